"""The Python package, against the repository's committed corpus (fixtures never expire:
every call pins `at`)."""

import concurrent.futures
import datetime as dt
import json
import pathlib
import threading

import pytest

import certgate

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
ELB = CORPUS / "huawei-elb-v3"
AT = "2026-06-01T00:00:00Z"
KEY_MARKER = "PRIVATE KEY-----"


def test_profiles_lists_the_builtin_targets():
    ids = certgate.profiles()
    assert "huawei-elb-v3" in ids and "esri-portal-import" in ids
    assert ids == sorted(ids)


def test_check_a_passing_document_by_text_and_base_dir():
    doc = (ELB / "pass-typical.json").read_text()
    report = certgate.check("huawei-elb-v3", doc, at=AT, base_dir=ELB)
    assert not report.has_errors
    assert report.profile == "huawei-elb-v3"
    assert report.errors == 0
    assert "huawei-elb-v3" in repr(report)


def test_check_a_dict_and_a_datetime():
    body = json.loads((ELB / "fail-domain-count-31.json").read_text())
    at = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
    report = certgate.check("huawei-elb-v3", body, at=at, base_dir=ELB)
    assert report.has_errors
    rules = {d.rule for d in report.diagnostics}
    assert "domain-count" in rules
    d = next(d for d in report.diagnostics if d.rule == "domain-count")
    assert d.severity == "error"
    assert d.location.startswith("/certificate/domain")
    assert d.help and d.citation is not None and d.citation.quote
    assert json.loads(report.to_json())["summary"]["errors"] == report.errors


def test_toml_text_is_a_request_too():
    toml = '[certificate]\nname = "web"\ndomain = "a.example.com"\n'
    report = certgate.check("huawei-elb-v3", toml, at=AT)
    assert isinstance(report, certgate.Report)


def test_a_finding_is_never_an_exception():
    report = certgate.check("huawei-elb-v3", {"certificate": {"name": 123}}, at=AT)
    assert report.has_errors
    assert any(d.rule == "field-type" for d in report.diagnostics)


def test_errors_that_stop_a_run_raise_value_error_with_certgates_message():
    with pytest.raises(ValueError, match="unknown profile"):
        certgate.check("huawei-elb-v2", {}, at=AT)
    with pytest.raises(ValueError, match="request"):
        certgate.check("huawei-elb-v3", "{not json", at=AT)
    with pytest.raises(ValueError, match="RFC 3339"):
        certgate.check("huawei-elb-v3", {}, at="2026-06-01")
    with pytest.raises(ValueError, match="timezone"):
        certgate.check("huawei-elb-v3", {}, at=dt.datetime(2026, 6, 1))
    with pytest.raises(ValueError, match="cannot read"):
        certgate.check("huawei-elb-v3", {"certificate": {"certificate": {"file": "nope.pem"}}}, at=AT)
    with pytest.raises(ValueError, match="expected a dict"):
        certgate.check("huawei-elb-v3", 42, at=AT)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="did you mean"):
        certgate.explain("domain-cuont")


def test_explain_names_the_rule_and_its_source():
    text = certgate.explain("domain-count")
    assert "domain-count" in text and "30" in text


def test_lint_files_and_directories():
    report = certgate.lint(CORPUS / "lint", at=AT)
    assert report.profile == "lint"
    rules = {d.rule for d in report.diagnostics}
    assert "cert-expired" in rules and "key-mismatch" in rules
    with pytest.raises(ValueError):
        certgate.lint(CORPUS / "no-such-folder", at=AT)


def test_lint_walks_directories_as_the_command_line_does(tmp_path):
    # A link to a file already listed is read once; a broken link is reported, not fatal.
    pair = (CORPUS / "lint" / "pair.pem").read_bytes()
    (tmp_path / "server.pem").write_bytes(pair)
    (tmp_path / "0a1b2c3d.0").symlink_to("server.pem")
    (tmp_path / "old.pem").symlink_to("gone.pem")
    report = certgate.lint(tmp_path, at=AT)
    located = sorted({d.location.split("#")[0] for d in report.diagnostics})
    assert located == [str(tmp_path / "old.pem"), str(tmp_path / "server.pem")], located
    broken = [d for d in report.diagnostics if d.rule == "lint-unreadable"]
    assert [d.severity for d in broken] == ["warning"]
    assert "broken symbolic link" in broken[0].message


def test_lint_pairs_certbots_privkey_with_fullchain(tmp_path):
    # As on the command line: conventional names pair although their stems differ.
    materials = CORPUS / "materials"
    (tmp_path / "fullchain.pem").write_bytes((materials / "server-chain.pem").read_bytes())
    (tmp_path / "privkey.pem").write_bytes((materials / "int1-ca.key").read_bytes())
    report = certgate.lint(tmp_path, at=AT)
    mismatched = [d for d in report.diagnostics if d.rule == "key-mismatch"]
    assert len(mismatched) == 1, report.diagnostics
    assert mismatched[0].location.startswith(str(tmp_path / "privkey.pem"))


def test_lint_opens_archives_with_the_password():
    archive = CORPUS / "esri" / "materials" / "key-mismatch.p12"
    closed = certgate.lint([archive], at=AT)
    assert any(d.rule == "pkcs12-password" for d in closed.diagnostics)
    opened = certgate.lint([archive], password="certgate-test", at=AT)
    assert any(d.rule == "key-mismatch" for d in opened.diagnostics)


def test_no_secret_in_any_output():
    key = (CORPUS / "materials" / "server.key").read_text()
    body = {"certificate": {"name": key, "domain": key, "private_key": "not a key"}}
    report = certgate.check("huawei-elb-v3", body, at=AT)
    for text in [report.to_json(), repr(report), str(report)] + [str(d) for d in report.diagnostics]:
        assert KEY_MARKER not in text
        assert key.splitlines()[1] not in text
    password = "certgate-test"
    archive = CORPUS / "esri" / "materials" / "rsa-chain-openssl3.p12"
    report = certgate.lint([archive], password=password, at=AT)
    assert password not in report.to_json()
    try:
        certgate.check("huawei-elb-v2", body, at=AT)
    except ValueError as e:
        assert KEY_MARKER not in str(e)


def test_threads_share_the_engine_and_agree():
    docs = sorted(ELB.glob("*.json"))[:40]
    expected = {d: certgate.check("huawei-elb-v3", d.read_text(), at=AT, base_dir=ELB).to_json() for d in docs}
    seen_threads = set()

    def one(d):
        seen_threads.add(threading.get_ident())
        return d, certgate.check("huawei-elb-v3", d.read_text(), at=AT, base_dir=ELB).to_json()

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for d, text in pool.map(one, docs * 3):
            assert text == expected[d]
    assert len(seen_threads) > 1


def test_the_readme_guard_for_an_sdk_call():
    # The README's recipe, without the SDK: the body a huaweicloudsdkelb
    # UpdateCertificateRequest would carry, checked before the call.
    body = {
        "certificate": {
            "name": "web",
            "certificate": {"file": "../materials/server-chain.pem"},
            "private_key": {"file": "../materials/server.key"},
            "domain": "www.example.com",
        }
    }
    report = certgate.check("huawei-elb-v3", body, at=AT, base_dir=ELB)
    assert not report.has_errors, str(report)


def test_request_returns_the_body_with_references_resolved():
    doc = (ELB / "pass-typical.json").read_text()
    body = certgate.request("huawei-elb-v3", doc, at=AT, base_dir=ELB)
    key = (CORPUS / "materials" / "server.key").read_text()
    assert body["certificate"]["private_key"] == key
    assert body["certificate"]["certificate"].startswith("-----BEGIN CERTIFICATE-----\n")


def test_request_refuses_a_failing_body_with_the_report():
    doc = (ELB / "fail-domain-count-31.json").read_text()
    with pytest.raises(certgate.RequestRefused) as e:
        certgate.request("huawei-elb-v3", doc, at=AT, base_dir=ELB)
    assert any(d.rule == "domain-count" for d in e.value.report.diagnostics)
    assert isinstance(e.value, ValueError)


def test_request_for_a_multipart_upload_is_a_curl_command_without_the_password(monkeypatch):
    monkeypatch.setenv("CERTGATE_TEST_PASSWORD", "certgate-test")
    folder = CORPUS / "esri-portal-import"
    doc = (folder / "pass-openssl3-chain.json").read_text()
    body = certgate.request("esri-portal-import", doc, at=AT, base_dir=folder)
    assert "curl " in body["curl"] and "${CERTGATE_TEST_PASSWORD}" in body["curl"]
    assert "certgate-test" not in body["curl"]


def test_the_gil_is_released_while_certgate_works():
    # While a long lint runs in another thread, this thread keeps running Python code.
    # With the GIL held through the call, this loop would stall for the whole call: the
    # longest gap between its iterations would be about the call's duration.
    import time

    started = threading.Event()
    times = {}

    def work():
        started.set()
        t0 = time.perf_counter()
        certgate.lint([CORPUS / "huawei-elb-v3", CORPUS / "materials", CORPUS / "chains"], at=AT)
        times["call"] = time.perf_counter() - t0

    t = threading.Thread(target=work)
    t.start()
    started.wait()
    gap, last = 0.0, time.perf_counter()
    while t.is_alive():
        now = time.perf_counter()
        gap, last = max(gap, now - last), now
    t.join()
    assert times["call"] > 0.05, times
    assert gap < times["call"] / 2, (gap, times)
