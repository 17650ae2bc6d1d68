#!/usr/bin/env bash
# tencent-ssl-upload: a server certificate uploaded as `CertificateType` CA
# (client-cert-not-ca), beside pass-type-ca-without-key.json (the test root as CA). No keys
# are made: a re-run writes the same bytes.
# Run from the repository root: `bash corpus/gen/99-tencent-ca-type.sh` (python3).
set -euo pipefail
PYTHONPATH=corpus/gen python3 - <<'PY'
from fixtures import ref, writer

write, _ = writer("corpus/tencent-ssl-upload")
write("fail-client-cert-not-ca-server-certificate", {
    "CertificatePublicKey": ref("server-chain.pem"),
    "CertificateType": "CA",
})
PY
