#!/usr/bin/env bash
# huawei-ccm-import keeps only the first certificate of `certificate` once
# `certificate_chain` is given: a whole chain in `certificate` beside a chain field that
# lacks an intermediate leaves CCM storing a broken chain, which the client verdict
# (chain-untrusted, chain-replaces) must see. Names the materials of 10-materials.sh and
# the issuers of 99-ccm-keyvault.sh; no keys are made.
# Run from the repository root: `bash corpus/gen/99-ccm-chain-replaces.sh` (python3).
set -euo pipefail
PYTHONPATH=corpus/gen python3 - <<'PY'
from fixtures import local, read, ref, writer

write, material = writer("corpus/huawei-ccm-import")
# The chain field with the intermediate closest to the root only.
material("issuers-top-only.pem", read("int1-ca.pem"))
write("fail-chain-untrusted-chain-replaces", {
    "name": "web-2026",
    "certificate": ref("server-chain.pem"),
    "certificate_chain": local("issuers-top-only.pem"),
    "private_key": ref("server.key"),
})
PY
