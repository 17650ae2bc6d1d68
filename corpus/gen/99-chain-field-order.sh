#!/usr/bin/env bash
# The separate chain fields in the wrong order: the server certificate's issuers with the
# top one first (chain-order at `CertificateChain` / `certificate_chain`), for
# aws-acm-import, aws-iam-upload and huawei-ccm-import. Each folder gets the text
# issuers-reversed.pem (intermediate 1, then intermediate 2, from 10-materials.sh) and a
# request like its pass-typical.json with that chain. No keys are made: a re-run writes
# the same bytes.
# Run from the repository root: `bash corpus/gen/99-chain-field-order.sh` (python3).
set -euo pipefail
PYTHONPATH=corpus/gen python3 - <<'PY'
import json
from fixtures import read, local, writer, edit

reversed_issuers = read("int1-ca.pem") + read("int2-ca.pem")
for target, chain in [
    ("aws-acm-import", "CertificateChain"),
    ("aws-iam-upload", "CertificateChain"),
    ("huawei-ccm-import", "certificate_chain"),
]:
    out = "corpus/" + target
    write, material = writer(out)
    material("issuers-reversed.pem", reversed_issuers)
    with open(out + "/pass-typical.json") as f:
        base = json.load(f)
    write("fail-chain-order-issuers-reversed", edit(base, {chain: local("issuers-reversed.pem")}))
PY
