#!/usr/bin/env bash
# Fixtures for the x509-limbo cases certgate missed (issue #13, item 3), in
# corpus/limbo-misses/, and the ELB requests that upload them (corpus/huawei-elb-v3/).
#
# Every chain is issued under the corpus's existing test root (corpus/materials/root-ca,
# made by 10-materials.sh and listed in test-roots.pem), through a new intermediate made
# here, so the client verdict with `--trust corpus/materials/test-roots.pem` sees a
# complete path and each fixture shows only its own problem. Keys made here are random;
# the root's key is read, never rewritten. Valid 2025-01-01 .. 2045-01-01.
#
# Run from the repository root: `bash corpus/gen/95-limbo-misses.sh` (OpenSSL 3.0 CLI,
# python3). Rewrites only corpus/limbo-misses/ and the requests named below.
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT_DIR/corpus/limbo-misses"
MAT="$ROOT_DIR/corpus/materials"
ELB="$ROOT_DIR/corpus/huawei-elb-v3"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
rm -f "$OUT"/*.pem "$OUT"/*.key

START=20250101000000Z
END=20450101000000Z

# shellcheck source=lib/ca.sh
source "$ROOT_DIR/corpus/gen/lib/ca.sh"

cd "$WORK"
ca_init 9500
cp "$MAT/root-ca.pem" root.crt
cp "$MAT/root-ca.key" root.key

# The SAN of the non-ASCII case: www.example.com and the UTF-8 bytes of
# "😜.example.com" as a dNSName (an IA5String may hold ASCII only).
SAN_NON_ASCII="$(python3 -c '
names = [b"www.example.com", "\U0001F61C.example.com".encode()]
body = b"".join(bytes([0x82, len(n)]) + n for n in names)
print((bytes([0x30, len(body)]) + body).hex())')"

cat >ext.cnf <<EOF
[int]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[int_clientauth]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:www.example.com
[leaf_keycertsign]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyCertSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:www.example.com
[leaf_aia_malformed]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:www.example.com
# the ASCII text "malformed" as the extension's value, as in limbo
authorityInfoAccess = DER:6d616c666f726d6564
[leaf_san_non_ascii]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DER:$SAN_NON_ASCII
[leaf_san_malformed]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DER:6d616c666f726d6564
EOF

# bundle FILE NAME... : the certificates, in order, as one PEM file, and the first
# one's private key beside it (FILE with .key), so that the requests are complete
bundle() {
  local file="$1"
  shift
  for n in "$@"; do openssl x509 -in "$n.crt"; done >"$OUT/$file"
  cp "$1.key" "$OUT/${file%.pem}.key"
}

ca_rsa_cert int "/O=certgate corpus/CN=certgate Limbo Misses CA" int root
ca_rsa_cert int_client "/O=certgate corpus/CN=certgate ClientAuth-only CA" int_clientauth root

# limbo: none of the 208 stored cases (Go and OpenSSL refuse a path through a CA whose
# extendedKeyUsage lacks serverAuth; issue #13): leaf (serverAuth), CA (clientAuth only).
ca_rsa_cert eku_leaf "/CN=www.example.com" leaf int_client
bundle intermediate-eku-clientauth.pem eku_leaf int_client

# limbo rfc5280::leaf-ku-keycertsign: a leaf with cA=FALSE and keyUsage keyCertSign.
ca_rsa_cert kcs_leaf "/CN=www.example.com" leaf_keycertsign int
bundle leaf-keycertsign-not-ca.pem kcs_leaf int

# limbo webpki::malformed-aia: authorityInfoAccess whose value is not DER.
ca_rsa_cert aia_leaf "/CN=www.example.com" leaf_aia_malformed int
bundle leaf-aia-malformed.pem aia_leaf int

# limbo webpki::san::unicode-emoji-san: a dNSName with non-ASCII (UTF-8) bytes.
ca_rsa_cert san_leaf "/CN=www.example.com" leaf_san_non_ascii int
bundle leaf-san-non-ascii.pem san_leaf int

# limbo rfc5280::mismatching-signature-algorithm: signed with sha256WithRSAEncryption,
# then the outer signatureAlgorithm rewritten to sha512WithRSAEncryption (OIDs
# ...1.1.11 and ...1.1.13 differ in their last byte); tbsCertificate.signature still
# says SHA-256, so the signature verifies with the issuer's key under the inner one.
ca_rsa_cert alg_leaf "/CN=www.example.com" leaf int
openssl x509 -in alg_leaf.crt -outform DER -out alg_leaf.der
python3 - alg_leaf.der <<'PY'
import sys
path = sys.argv[1]
der = bytearray(open(path, "rb").read())
sha256_rsa = bytes.fromhex("2a864886f70d01010b")
at = der.rfind(sha256_rsa)  # the last one is the outer signatureAlgorithm
assert at > 0 and der.find(sha256_rsa) < at, "two algorithm identifiers expected"
der[at + len(sha256_rsa) - 1] = 0x0D
open(path, "wb").write(bytes(der))
PY
openssl x509 -inform DER -in alg_leaf.der -out alg_leaf.crt
bundle leaf-signature-algorithms-differ.pem alg_leaf int

# limbo rfc5280::san::malformed: a leaf whose subjectAltName is not DER does not parse
# at all; the CA after it must not be taken for the server certificate.
ca_rsa_cert bad_leaf "/CN=www.example.com" leaf_san_malformed int
bundle leaf-unparsable-ca-next.pem bad_leaf int

cat >"$OUT/README.md" <<'EOF_README'
# x509-limbo misses (generated by corpus/gen/95-limbo-misses.sh; do not edit)

Each chain is leaf first, then its CA (issued by corpus/materials/root-ca.pem, not
included); the leaf's private key is beside it (`.key`). Valid 2025-01-01 .. 2045-01-01.

| file | limbo case | shows |
|---|---|---|
| intermediate-eku-clientauth.pem | (none of the stored 208; issue #13) | a CA whose extendedKeyUsage lacks serverAuth: leaf-server-auth |
| leaf-keycertsign-not-ca.pem | rfc5280::leaf-ku-keycertsign | leaf with keyCertSign and cA=FALSE: chain-ca-usage |
| leaf-aia-malformed.pem | webpki::malformed-aia | authorityInfoAccess value not DER: der-malformed |
| leaf-san-non-ascii.pem | webpki::san::unicode-emoji-san | dNSName with UTF-8 bytes: der-malformed |
| leaf-signature-algorithms-differ.pem | rfc5280::mismatching-signature-algorithm | inner and outer signature algorithms differ: der-malformed, not chain-broken |
| leaf-unparsable-ca-next.pem | rfc5280::san::malformed | leaf does not parse: der-malformed, no leaf-is-ca for the CA after it |
EOF_README

echo "wrote $(ls "$OUT"/*.pem | wc -l) bundles to $OUT"

python3 - "$ELB" <<'EOF_REQUESTS'
import json, os, sys
out = sys.argv[1]
bundles = {
    "fail-leaf-server-auth-intermediate-eku": "intermediate-eku-clientauth.pem",
    "fail-chain-ca-usage-leaf-keycertsign": "leaf-keycertsign-not-ca.pem",
    "fail-der-malformed-aia": "leaf-aia-malformed.pem",
    "fail-der-malformed-san-non-ascii": "leaf-san-non-ascii.pem",
    "fail-der-malformed-signature-algorithms-differ": "leaf-signature-algorithms-differ.pem",
    "fail-der-malformed-leaf-unparsable-ca-next": "leaf-unparsable-ca-next.pem",
}
for name, pem in bundles.items():
    doc = {"certificate": {"name": "chain-fixture", "type": "server",
                           "certificate": {"file": "../limbo-misses/" + pem},
                           "private_key": {"file": "../limbo-misses/" + pem[:-4] + ".key"}}}
    with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, indent=2) + "\n")
EOF_REQUESTS
