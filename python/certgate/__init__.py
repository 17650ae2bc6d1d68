"""certgate: check a TLS certificate upload before it is sent.

A call from your own upload script, before the SDK call::

    import certgate
    report = certgate.check("huawei-elb-v3", body, base_dir="requests")
    if report.has_errors:
        raise SystemExit(str(report))

A finding is never an exception: ``check`` and ``lint`` return a :class:`Report`. Only
what stops a run (an unknown profile, a request that cannot be read, a bad time) raises
``ValueError`` with certgate's message. No private key or password appears in any
report, message, ``repr`` or exception.

The engine releases the GIL while it works, so threads (``concurrent.futures``) and
per-partition maps (Spark, Dask, Ray) run checks in parallel.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
from dataclasses import dataclass
from typing import Any, Iterable, List, Mapping, Optional, Union

from . import _certgate

__all__ = [
    "Citation",
    "Diagnostic",
    "Report",
    "check",
    "explain",
    "lint",
    "profiles",
    "request",
    "RequestRefused",
]

__version__: str = _certgate.__version__

Time = Union[str, _dt.datetime, None]


@dataclass(frozen=True)
class Citation:
    """The sentence a rule rests on and the document it comes from."""

    source: str
    quote: str
    section: Optional[str] = None
    vendor: Optional[str] = None
    title: Optional[str] = None
    date: Optional[str] = None
    url: Optional[str] = None


@dataclass(frozen=True)
class Diagnostic:
    """One finding: the rule id, its severity (``error``, ``warning`` or ``info``), the
    JSON Pointer it is about, what is wrong, how to fix it, and the citation."""

    rule: str
    severity: str
    location: str
    message: str
    help: str
    citation: Optional[Citation]
    basis: str
    value: Optional[str] = None

    def __str__(self) -> str:
        return f"{self.severity}[{self.rule}]: {self.message} (at {self.location})"


class Report:
    """The findings of one ``check`` or ``lint``, sorted as certgate sorts them."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)

    @property
    def profile(self) -> str:
        """The profile checked (``lint`` for :func:`lint`)."""
        return str(self._data.get("profile", ""))

    @property
    def diagnostics(self) -> List[Diagnostic]:
        """Every finding, errors first."""
        out = []
        for d in self._data.get("diagnostics", []):
            c = d.get("citation")
            citation = (
                Citation(
                    source=c.get("source", ""),
                    quote=c.get("quote", ""),
                    section=c.get("section"),
                    vendor=c.get("vendor"),
                    title=c.get("title"),
                    date=c.get("date"),
                    url=c.get("url"),
                )
                if c
                else None
            )
            out.append(
                Diagnostic(
                    rule=d["rule"],
                    severity=d["severity"],
                    location=d["location"],
                    message=d["message"],
                    help=d["help"],
                    citation=citation,
                    basis=d.get("basis", ""),
                    value=d.get("value"),
                )
            )
        return out

    @property
    def errors(self) -> int:
        return int(self._data.get("summary", {}).get("errors", 0))

    @property
    def warnings(self) -> int:
        return int(self._data.get("summary", {}).get("warnings", 0))

    @property
    def infos(self) -> int:
        return int(self._data.get("summary", {}).get("infos", 0))

    @property
    def has_errors(self) -> bool:
        """Whether the API will refuse the upload (at least one error finding)."""
        return self.errors > 0

    def to_json(self) -> str:
        """The versioned JSON report, as ``certgate check --format json`` writes it."""
        return _json.dumps(self._data, indent=2, ensure_ascii=False)

    def to_dict(self) -> dict:
        return _json.loads(self.to_json())

    def __repr__(self) -> str:
        return (
            f"<certgate.Report {self.profile}: {self.errors} errors, "
            f"{self.warnings} warnings, {self.infos} infos>"
        )

    def __str__(self) -> str:
        lines = [str(d) for d in self.diagnostics]
        lines.append(repr(self))
        return "\n".join(lines)


def _time(at: Time) -> Optional[str]:
    if at is None:
        return None
    if isinstance(at, _dt.datetime):
        if at.tzinfo is None:
            raise ValueError("at: give a timezone-aware datetime (e.g. tzinfo=timezone.utc)")
        return at.isoformat()
    if isinstance(at, str):
        return at
    raise ValueError(f"at: expected an RFC 3339 string or a datetime, found {type(at).__name__}")


def _document(request: Union[Mapping[str, Any], str, bytes]) -> str:
    if isinstance(request, Mapping):
        return _json.dumps(request)
    if isinstance(request, bytes):
        try:
            return request.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("request: not UTF-8 text (a request document is JSON or TOML)") from None
    if isinstance(request, str):
        return request
    raise ValueError(
        f"request: expected a dict or a JSON/TOML string, found {type(request).__name__}"
    )


def check(
    profile: str,
    request: Union[Mapping[str, Any], str, bytes],
    at: Time = None,
    base_dir: Union[str, "_os.PathLike[str]", None] = None,
) -> Report:
    """Checks a request body against a target API's profile.

    ``request`` is the body the API takes, as a dict or as JSON/TOML text; any string
    field may be ``{"file": "path"}`` (read relative to ``base_dir``, default the
    working directory) or ``{"env": "NAME"}``. ``at`` is an RFC 3339 string or an
    aware ``datetime`` (default: now).
    """
    base = _os.fspath(base_dir) if base_dir is not None else None
    text = _certgate.check(profile, _document(request), _time(at), base)
    return Report(_json.loads(text))


def lint(
    paths: Union[str, "_os.PathLike[str]", Iterable[Union[str, "_os.PathLike[str]"]]],
    password: Optional[str] = None,
    at: Time = None,
) -> Report:
    """Lints certificate, key, CSR and PKCS#12 files (directories are walked, hidden
    entries skipped) with the profile-independent rules; ``password`` opens archives."""
    if isinstance(paths, (str, _os.PathLike)):
        paths = [paths]
    names = [_os.fspath(p) for p in paths]
    text = _certgate.lint(names, password, _time(at))
    return Report(_json.loads(text))


class RequestRefused(ValueError):
    """:func:`request` found what makes the upload fail: no body was made. The
    :class:`Report` is in ``report``."""

    def __init__(self, report: "Report") -> None:
        super().__init__(
            f"the request would fail: {report.errors} errors, {report.warnings} warnings"
        )
        self.report = report


def request(
    profile: str,
    request: Union[Mapping[str, Any], str, bytes],
    at: Time = None,
    base_dir: Union[str, "_os.PathLike[str]", None] = None,
    fail_on_warning: bool = False,
) -> dict:
    """The API's own body, checked: every ``{"file"}``/``{"env"}`` reference resolved,
    then checked as :func:`check` does. Returns the body (a dict to pass to the SDK);
    for multipart uploads (Esri Portal) ``{"curl": "<command>"}`` with secrets read
    from environment variables. Raises :class:`RequestRefused` (a ``ValueError``,
    carrying the report) when a finding fails the request: nothing is returned then.
    The body holds the private key: keep it out of logs."""
    base = _os.fspath(base_dir) if base_dir is not None else None
    report_text, body = _certgate.request(
        profile, _document(request), _time(at), base, fail_on_warning
    )
    if body is None:
        raise RequestRefused(Report(_json.loads(report_text)))
    return _json.loads(body)


def profiles() -> List[str]:
    """The built-in profile ids (``huawei-elb-v3``, ``esri-portal-import``, ...)."""
    return list(_certgate.profiles())


def explain(rule_id: str) -> str:
    """What a rule checks, why uploads fail, how to fix it, and its source."""
    return _certgate.explain(rule_id)
