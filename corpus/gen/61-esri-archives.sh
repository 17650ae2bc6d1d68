#!/usr/bin/env bash
# Extra PKCS#12 archives for the Esri Portal profiles, built from the PEM materials of
# 10-materials.sh (so the certificate facts match the PEM fixtures). Re-runnable from the
# repository root after 10-materials.sh: `bash corpus/gen/61-esri-archives.sh`.
# Needs the OpenSSL 3 CLI and python3 with `cryptography` (for the mismatched archive,
# which the OpenSSL CLI refuses to build).
set -euo pipefail
M=corpus/materials
OUT=corpus/esri/materials
PASS=certgate-test
[ -d corpus ] || { echo "run from the repository root" >&2; exit 1; }
p12() { openssl pkcs12 -export -passout pass:$PASS "$@"; }
# name  leaf-chain  key
while read -r name chain key; do
  p12 -in "$M/$chain" -inkey "$M/$key" -name portal -out "$OUT/$name.p12"
done <<'LIST'
expired expired-chain.pem server.key
not-yet-valid not-yet-valid-chain.pem server.key
expiring-soon expiring-soon-chain.pem server.key
rsa1024 rsa1024-chain.pem rsa1024.key
sha1-leaf sha1-chain.pem server.key
leaf-ca leaf-ca-chain.pem server.key
LIST
# A PKCS#12 archive under a name without .pfx/.p12.
cp "$OUT/rsa-chain-openssl3.p12" "$OUT/rsa-chain-openssl3.bin"
# The private key of another certificate, with no localKeyId pairing.
python3 - "$M/other-rsa.key" "$M/server-chain.pem" "$OUT/key-mismatch.p12" "$PASS" <<'PY'
import sys
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
key = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), None)
certs = x509.load_pem_x509_certificates(open(sys.argv[2], "rb").read())
enc = serialization.BestAvailableEncryption(sys.argv[4].encode())
open(sys.argv[3], "wb").write(pkcs12.serialize_key_and_certificates(b"portal", key, None, certs, enc))
PY
