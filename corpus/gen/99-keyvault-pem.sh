#!/usr/bin/env bash
# Request fixtures for azure-keyvault-import's PEM form (`policy.secret_props.contentType`
# `application/x-pem-file`: `value` is PEM text holding the private key and the
# certificates): both sides of each rule of that form, written beside the PFX fixtures
# of 99-ccm-keyvault.sh in corpus/azure-keyvault-import/. Every key and certificate is a
# material of 10-materials.sh (server.key is PKCS#8, server-pkcs1.key the same key as
# PKCS#1, ec-p256-sec1.key a SEC1 key), embedded as text: nothing new is generated.
# Run from the repository root: `bash corpus/gen/99-keyvault-pem.sh` (python3).
set -euo pipefail
PYTHONPATH=corpus/gen python3 - <<'PY'
from fixtures import read, writer

write, _ = writer("corpus/azure-keyvault-import")
PEM = {"secret_props": {"contentType": "application/x-pem-file"}}

def pem(value, **extra):
    b = {"value": value, "policy": PEM}
    b.update(extra)
    return b

chain = read("server-chain.pem")
key = read("server.key")

write("pass-pem-typical", pem(key + chain))
write("pass-pem-key-after-certificates", pem(chain + key, tags={"team": "web"}))
write("pass-key-algorithm-pem-ec-p384", pem(read("ec-p384.key") + read("ec-p384-chain.pem")))
write("pass-key-encoding-pem-ec-pkcs8", pem(read("ec-p256.key") + read("ec-p256-chain.pem")))
# An encrypted PKCS#8 key with its `pwd`: information only (see the profile).
write("pass-pem-encrypted-key-with-pwd",
      pem(read("server-encrypted-pkcs8.key") + chain, pwd="certgate-test"))
write("fail-key-encoding-pem-pkcs1", pem(read("server-pkcs1.key") + chain))
write("fail-key-encoding-pem-sec1", pem(read("ec-p256-sec1.key") + read("ec-p256-chain.pem")))
write("fail-pem-malformed-pem-no-key", pem(chain))
write("fail-pem-malformed-pem-no-certificates", pem(key))
write("fail-pem-malformed-pem-two-keys", pem(key + read("other-rsa.key") + chain))
write("fail-key-mismatch-pem", pem(read("other-rsa.key") + chain))
write("fail-key-algorithm-pem-rsa1024", pem(read("rsa1024.key") + read("rsa1024-chain.pem")))
write("fail-key-algorithm-pem-ec-p224", pem(read("ec-p224.key") + read("ec-p224-chain.pem")))
write("fail-chain-broken-pem-missing-middle", pem(key + read("server-chain-missing-middle.pem")))
write("fail-cert-expired-pem", pem(key + read("expired-chain.pem")))
write("fail-field-type-pem-value-number", pem(1234))
PY
echo "corpus/azure-keyvault-import: PEM-form requests written"
