#!/usr/bin/env python3
"""Builds the seed corpus of every fuzz target from the committed fixtures in ../corpus.

Writes fuzz/corpus/<target>/ (git-ignored). Run from anywhere: python3 fuzz/seed.py
"""
import base64
import hashlib
import json
import pathlib
import re
import tomllib

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent
CORPUS = ROOT / "corpus"
OUT = FUZZ / "corpus"
PASSWORD = b"certgate-test"

# The `check` target's first line names the profile (certgate::harness::check).
# rules/lint.toml is `certgate lint`'s, not a built-in upload profile.
PROFILES = sorted(
    tomllib.loads(f.read_text())["profile"]["id"]
    for f in (ROOT / "rules").glob("*.toml")
    if f.name != "lint.toml" and "profile" in tomllib.loads(f.read_text())
)

BLOCK = re.compile(
    rb"-----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END \1-----", re.DOTALL
)


def put(target, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def der_blocks(text):
    for m in BLOCK.finditer(text):
        body = b"".join(
            line for line in m.group(2).splitlines() if b":" not in line
        )
        try:
            yield m.group(1).decode(), base64.b64decode(body, validate=False)
        except Exception:
            continue


def inline(doc, base):
    """Replaces {"file": ...} references with the file's text, so `check` sees materials."""
    if isinstance(doc, dict):
        if set(doc) == {"file"} and isinstance(doc["file"], str):
            p = (base / doc["file"]).resolve()
            try:
                return p.read_text()
            except Exception:
                return doc
        return {k: inline(v, base) for k, v in doc.items()}
    if isinstance(doc, list):
        return [inline(v, base) for v in doc]
    return doc


for path in sorted(CORPUS.rglob("*")):
    if not path.is_file():
        continue
    data = path.read_bytes()
    if path.suffix in (".pem", ".key"):
        put("pem", data)
        for label, der in der_blocks(data):
            if "CERTIFICATE REQUEST" in label:
                put("csr", der)
                put("csr", data)
            elif "CERTIFICATE" in label:
                put("cert", der)
            elif "KEY" in label:
                put("key", der)
    elif path.suffix == ".der":
        put("csr" if "csr" in path.name else "cert", data)
    elif path.suffix == ".p12":
        put("pkcs12", bytes([len(PASSWORD)]) + PASSWORD + data)
        put("pkcs12", bytes([0]) + data)
    elif path.suffix == ".json":
        try:
            doc = json.loads(data)
        except Exception:
            continue
        full = json.dumps(inline(doc, path.parent)).encode()
        # A request under corpus/<profile>/ seeds that profile; any other (ci/, lint/)
        # seeds them all.
        mine = [p for p in PROFILES if p in path.parts]
        for p in mine or PROFILES:
            put("check", p.encode() + b"\n" + full)

for d in sorted(OUT.iterdir()):
    print(f"{d.name}: {len(list(d.iterdir()))} seeds")
