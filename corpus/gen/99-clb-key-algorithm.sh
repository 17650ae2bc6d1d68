#!/usr/bin/env bash
# alibaba-clb-upload takes RSA certificates only: an ECDSA upload (key-algorithm) and
# its RSA counterpart, both naming the materials of 10-materials.sh and
# 99-ali-tencent.sh. No keys are made.
# Run from the repository root: `bash corpus/gen/99-clb-key-algorithm.sh` (python3).
set -euo pipefail
python3 - <<'PY'
import json

def write(name, doc):
    with open("corpus/alibaba-clb-upload/" + name + ".json", "w") as f:
        f.write(json.dumps(doc, indent=2) + "\n")

write("fail-key-algorithm-ecdsa", {
    "RegionId": "cn-hangzhou",
    "ServerCertificateName": "web-2026",
    "ServerCertificate": {"file": "../materials/ec-p256-chain.pem"},
    "PrivateKey": {"file": "../materials/ec-p256-sec1.key"},
})
PY
