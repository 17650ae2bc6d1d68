#!/usr/bin/env bash
# The corpus's trust anchors: every self-signed CA certificate the other scripts made,
# in one PEM file. Tests pass it as `--trust` so that the client verdict
# (chain-untrusted) judges the fixtures' chains against their own test roots rather
# than Mozilla's (which rightly trusts none of them). Run after the other scripts.
set -euo pipefail
out=corpus/materials/test-roots.pem
python3 - "$out" <<'PY'
import pathlib, re, subprocess, sys
out = pathlib.Path(sys.argv[1])
block = re.compile(rb"-----BEGIN CERTIFICATE-----\r?\n.*?-----END CERTIFICATE-----", re.S)
seen, roots = set(), []
for path in sorted(pathlib.Path("corpus").rglob("*")):
    if not path.is_file() or path == out or path.suffix not in {".pem", ".crt"}:
        continue
    for m in block.finditer(path.read_bytes()):
        pem = m.group(0).replace(b"\r\n", b"\n") + b"\n"
        r = subprocess.run(["openssl", "x509", "-noout", "-subject", "-issuer", "-ext",
                            "basicConstraints", "-nameopt", "RFC2253"],
                           input=pem, capture_output=True)
        if r.returncode != 0:
            continue
        text = r.stdout.decode(errors="replace")
        subject = re.search(r"^subject=(.*)$", text, re.M)
        issuer = re.search(r"^issuer=(.*)$", text, re.M)
        if not subject or not issuer or subject.group(1) != issuer.group(1):
            continue
        if "CA:TRUE" not in text:
            continue
        if pem not in seen:
            seen.add(pem)
            roots.append(pem)
out.write_bytes(b"".join(roots))
print(f"{out}: {len(roots)} roots")
PY

# The client verdict's own fixture: a leaf sent without its intermediates, so no client
# builds a path to the test roots (chain-untrusted names where the path stops).
python3 - <<'PY'
import json
doc = {"certificate": {
    "name": "fail-chain-untrusted-missing-intermediate",
    "type": "server",
    "certificate": {"file": "../materials/server.pem"},
    "private_key": {"file": "../materials/server.key"},
    "domain": "www.example.com",
}}
with open("corpus/huawei-elb-v3/fail-chain-untrusted-missing-intermediate.json", "w") as f:
    f.write(json.dumps(doc, indent=2) + "\n")
PY
