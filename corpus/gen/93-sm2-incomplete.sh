#!/usr/bin/env bash
# chain-incomplete speaks only where the client verdict cannot be computed: an SM2 leaf
# uploaded without its issuer (rustls-webpki verifies no SM2). The request names the
# SM2 materials of 10-materials.sh; no keys are made.
# Run from the repository root: `bash corpus/gen/93-sm2-incomplete.sh` (python3).
set -euo pipefail
python3 - <<'PY'
import json

doc = {
    "name": "cert_demo",
    "cert_content": {"file": "../materials/sm2-enc.pem"},
    "private_key": {"file": "../materials/sm2-enc.key"},
    "algorithm_type": "SM2",
    "cert_content_sign": {"file": "../materials/sm2-sign.pem"},
    "private_key_sign": {"file": "../materials/sm2-sign.key"},
}
with open("corpus/huawei-apic-v2/fail-chain-incomplete-sm2.json", "w") as f:
    f.write(json.dumps(doc, indent=2) + "\n")
PY
