#!/usr/bin/env bash
# Request fixtures for gcp-compute-sslcertificate's `selfManaged` form
# (`{"type": "SELF_MANAGED", "selfManaged": {"certificate", "privateKey"}}`): a typical
# upload, each field missing, both sides of the 5-certificate limit, the key list, and the
# shared key and chain rules reaching the wrapper's fields. Written beside the top-level
# form's fixtures of 98-aws-gcp.sh, whose chain-5.pem and chain-6.pem they reuse; every
# other text is a material of 10-materials.sh. No key is made: a re-run rewrites the same
# bytes. Run from the repository root: `bash corpus/gen/99-gcp-self-managed.sh` (python3).
set -euo pipefail
PYTHONPATH=corpus/gen python3 - <<'PY'
from fixtures import edit, local, ref, writer

write, _ = writer("corpus/gcp-compute-sslcertificate")

def wrapped(**over):
    """A request in the `selfManaged` form; `over` edits the wrapper's fields."""
    inner = edit({"certificate": ref("server-chain.pem"), "privateKey": ref("server.key")}, over)
    return {"name": "web-2026", "type": "SELF_MANAGED", "selfManaged": inner}

write("pass-self-managed-typical", wrapped())
write("fail-field-required-self-managed-no-certificate", wrapped(certificate=None))
write("fail-field-required-self-managed-no-private-key", wrapped(privateKey=None))
write("fail-field-required-self-managed-empty-certificate", wrapped(certificate=""))
write("fail-field-required-self-managed-empty-object",
      {"name": "web-2026", "type": "SELF_MANAGED", "selfManaged": {}})
write("pass-certificate-count-self-managed-5", wrapped(certificate=local("chain-5.pem")))
write("fail-certificate-count-self-managed-6", wrapped(certificate=local("chain-6.pem")))
write("pass-key-algorithm-self-managed-ec-p384",
      wrapped(certificate=ref("ec-p384-chain.pem"), privateKey=ref("ec-p384.key")))
write("fail-key-algorithm-self-managed-ec-p521",
      wrapped(certificate=ref("ec-p521-chain.pem"), privateKey=ref("ec-p521.key")))
write("fail-key-algorithm-self-managed-rsa1024",
      wrapped(certificate=ref("rsa1024-chain.pem"), privateKey=ref("rsa1024.key")))
write("fail-key-mismatch-self-managed", wrapped(privateKey=ref("other-rsa.key")))
write("fail-key-encrypted-self-managed", wrapped(privateKey=ref("server-encrypted-pkcs8.key")))
write("fail-chain-broken-self-managed-missing-middle",
      wrapped(certificate=ref("server-chain-missing-middle.pem")))
write("fail-field-type-self-managed-string",
      {"name": "web-2026", "type": "SELF_MANAGED", "selfManaged": "server-chain.pem"})
write("fail-field-unknown-self-managed-private-key",
      wrapped(privateKey=None, private_key=ref("server.key")))
print("corpus/gcp-compute-sslcertificate: selfManaged requests written")
PY
