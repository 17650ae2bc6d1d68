#!/usr/bin/env bash
# Fixtures for the Esri Portal targets (PKCS#12 archives and CSRs).
# Re-runnable from the repository root: `bash corpus/gen/60-esri.sh`.
# Needs the OpenSSL 3 CLI (with the legacy provider), python3 and Java's keytool.
# Keys are random, so re-running changes the bytes; tests only rely on structure.
set -euo pipefail

OUT=corpus/esri/materials
PASS=certgate-test
CANARY='canary-Zq7!wX'        # the "right" password of the wrong-password fixture
START=20250101000000Z
END=20450101000000Z

[ -d corpus ] || { echo "run from the repository root" >&2; exit 1; }
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# --- a tiny CA with fixed validity dates (openssl 3.0 x509 has no -not_before) ---
mkdir -p "$TMP/ca/new"
: > "$TMP/ca/index.txt"
cat > "$TMP/ca.cnf" <<EOF
[ ca ]
default_ca = c
[ c ]
dir = $TMP/ca
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
default_md = sha256
policy = p
unique_subject = no
copy_extensions = copy
[ p ]
commonName = supplied
organizationName = optional
[ v3_root ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ v3_int ]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_leaf ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_self ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
EOF
echo 1000 > "$TMP/ca/serial"

# sign CSR CERT EXT ISSUER_CERT ISSUER_KEY [extra ca args]
sign() {
  local csr=$1 cert=$2 ext=$3 icert=$4 ikey=$5; shift 5
  openssl ca -batch -config "$TMP/ca.cnf" -notext -startdate $START -enddate $END \
    -extensions "$ext" -in "$csr" -out "$cert" -cert "$icert" -keyfile "$ikey" "$@" 2>/dev/null
}

cd "$TMP"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out root.key 2>/dev/null
openssl req -new -key root.key -subj "/O=certgate test/CN=certgate Test Root" -out root.csr
openssl ca -batch -config ca.cnf -notext -selfsign -startdate $START -enddate $END \
  -extensions v3_root -in root.csr -out root.pem -keyfile root.key 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out int.key 2>/dev/null
openssl req -new -key int.key -subj "/O=certgate test/CN=certgate Test Intermediate" -out int.csr
sign int.csr int.pem v3_int root.pem root.key
cat int.pem root.pem > chain.pem

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out leaf.key 2>/dev/null
openssl req -new -key leaf.key -subj "/CN=portal.example.com" \
  -addext "subjectAltName=DNS:portal.example.com" -out leaf.csr
sign leaf.csr leaf.pem v3_leaf int.pem int.key

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null
openssl req -new -key ec.key -subj "/CN=ec.portal.example.com" \
  -addext "subjectAltName=DNS:ec.portal.example.com" -out ec.csr
sign ec.csr ec.pem v3_leaf int.pem int.key

openssl genpkey -algorithm SM2 -out sm2.key 2>/dev/null
openssl req -new -key sm2.key -sm3 -subj "/CN=sm2.portal.example.com" -out sm2.csr
openssl ca -batch -config ca.cnf -notext -selfsign -startdate $START -enddate $END -md sm3 \
  -extensions v3_self -in sm2.csr -out sm2.pem -keyfile sm2.key 2>/dev/null
cd - >/dev/null

p12() { openssl pkcs12 -export "$@"; }

# OpenSSL 3 defaults: PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC, SHA-256 MAC, 2048 iterations.
p12 -inkey "$TMP/leaf.key" -in "$TMP/leaf.pem" -certfile "$TMP/chain.pem" -name portal \
  -passout pass:$PASS -out "$OUT/rsa-chain-openssl3.p12"
# CA-signed leaf without its issuers.
p12 -inkey "$TMP/leaf.key" -in "$TMP/leaf.pem" -name portal \
  -passout pass:$PASS -out "$OUT/rsa-nochain-openssl3.p12"
# CA-signed leaf with its intermediate but not the root.
p12 -inkey "$TMP/leaf.key" -in "$TMP/leaf.pem" -certfile "$TMP/int.pem" -name portal \
  -passout pass:$PASS -out "$OUT/rsa-chain-no-root-openssl3.p12"
# Legacy: pbeWithSHAAnd40BitRC2-CBC (certs), pbeWithSHAAnd3-KeyTripleDES-CBC (key), SHA-1 MAC.
p12 -legacy -inkey "$TMP/leaf.key" -in "$TMP/leaf.pem" -certfile "$TMP/chain.pem" -name portal \
  -passout pass:$PASS -out "$OUT/rsa-chain-legacy.p12"
p12 -inkey "$TMP/ec.key" -in "$TMP/ec.pem" -certfile "$TMP/chain.pem" -name ec \
  -passout pass:$PASS -out "$OUT/ec-p256-chain.p12"
p12 -inkey "$TMP/sm2.key" -in "$TMP/sm2.pem" -name sm2 \
  -passout pass:$PASS -out "$OUT/sm2-selfsigned.p12"
# Trusted-certificate store: certificates only.
p12 -nokeys -in "$TMP/chain.pem" -passout pass:$PASS -out "$OUT/certs-only.p12"
# No MAC: the password can only be checked by decrypting.
p12 -nomac -inkey "$TMP/leaf.key" -in "$TMP/leaf.pem" -name portal \
  -passout pass:$PASS -out "$OUT/rsa-nomac.p12"
# Wrong-password fixture: its real password is the canary, tests open it with $PASS.
p12 -inkey "$TMP/ec.key" -in "$TMP/ec.pem" -name ec \
  -passout "pass:$CANARY" -out "$OUT/ec-canary-password.p12"
# MAC password differs from the bag password (what `-twopass` makes; it needs a terminal):
# the bags are encrypted with the canary, the MAC is recomputed with $PASS, so opening with
# $PASS verifies the MAC and then fails at decryption.
p12 -inkey "$TMP/ec.key" -in "$TMP/ec.pem" -name ec \
  -passout "pass:$CANARY" -out "$TMP/twopass.p12"
python3 - "$TMP/twopass.p12" "$OUT/ec-twopass.p12" "$PASS" <<'PY'
import sys, hashlib, hmac

def tlv(b, i):
    tag = b[i]; ln = b[i + 1]; j = i + 2
    if ln & 0x80:
        n = ln & 0x7f; ln = int.from_bytes(b[j:j + n], "big"); j += n
    return tag, j, j + ln          # tag, value start, value end

def kdf(password, salt, ident, iters, n):   # RFC 7292 appendix B.2 with SHA-256 (u=32, v=64)
    v = 64
    pw = (password + "\0").encode("utf-16-be")
    def fill(x):
        n = v * ((len(x) + v - 1) // v)
        return (x * (n // len(x) + 1))[:n]
    S, P = fill(salt), fill(pw)
    a = bytes([ident]) * v + S + P
    for _ in range(iters):
        a = hashlib.sha256(a).digest()
    return a[:n]

src, dst, pw = sys.argv[1], sys.argv[2], sys.argv[3]
b = bytearray(open(src, "rb").read())
_, s, e = tlv(b, 0)                 # PFX
_, vs, ve = tlv(b, s)               # version
_, cs, ce = tlv(b, ve)              # authSafe ContentInfo
_, os_, oe = tlv(b, cs)             # contentType OID
_, xs, xe = tlv(b, oe)              # [0]
_, ds, de = tlv(b, xs)              # OCTET STRING: the MAC'd data
_, ms, me = tlv(b, ce)              # macData
_, dis, die = tlv(b, ms)            # DigestInfo
_, as_, ae = tlv(b, dis)            # AlgorithmIdentifier (SHA-256 expected)
_, gs, ge = tlv(b, ae)              # digest OCTET STRING
_, ss, se = tlv(b, die)             # macSalt
_, is_, ie = tlv(b, se)             # iterations
iters = int.from_bytes(b[is_:ie], "big")
key = kdf(pw, bytes(b[ss:se]), 3, iters, 32)
b[gs:ge] = hmac.new(key, bytes(b[ds:de]), hashlib.sha256).digest()
open(dst, "wb").write(bytes(b))
PY

# Java keytool: one PrivateKeyEntry, and a store with two PrivateKeyEntries.
rm -f "$OUT/keytool-rsa.p12" "$OUT/keytool-two-keys.p12"
kt() {
  keytool -genkeypair -storetype PKCS12 -storepass $PASS -keystore "$1" -alias "$2" \
    -keyalg "$3" -dname "CN=$4" -startdate "2025/01/01 00:00:00" -validity 7300 >/dev/null 2>&1
}
kt "$OUT/keytool-rsa.p12" portal RSA keytool.portal.example.com
kt "$OUT/keytool-two-keys.p12" first RSA one.portal.example.com
kt "$OUT/keytool-two-keys.p12" second EC two.portal.example.com

# PBES2 with the HMAC-SHA1 PRF and AES-256 (what OpenSSL 1.1 and many Java/Windows exporters
# write): the OpenSSL 3 archive re-written by keytool with SHA-1 as the PBKDF2 PRF.
rm -f "$OUT/rsa-chain-pbes2-sha1.p12"
keytool -importkeystore -noprompt -srckeystore "$OUT/rsa-chain-openssl3.p12" -srcstoretype PKCS12 \
  -srcstorepass $PASS -destkeystore "$OUT/rsa-chain-pbes2-sha1.p12" -deststoretype PKCS12 \
  -deststorepass $PASS \
  -J-Dkeystore.pkcs12.keyProtectionAlgorithm=PBEWithHmacSHA1AndAES_256 \
  -J-Dkeystore.pkcs12.certProtectionAlgorithm=PBEWithHmacSHA1AndAES_256 \
  -J-Dkeystore.pkcs12.macAlgorithm=HmacPBESHA256 >/dev/null 2>&1

# Crafted: iteration counts re-encoded to 2^31-1 (DER lengths are recomputed, the MAC is
# then wrong, which does not matter: the archive must be refused before any derivation).
p12 -inkey "$TMP/ec.key" -in "$TMP/ec.pem" -name ec -passout pass:$PASS -out "$TMP/small.p12"
python3 - "$TMP/small.p12" "$OUT" <<'PY'
import sys

def parse(b, i, end):
    out = []
    while i < end:
        tag = b[i]; i += 1
        ln = b[i]; i += 1
        if ln & 0x80:
            n = ln & 0x7f
            ln = int.from_bytes(b[i:i + n], "big"); i += n
        val = b[i:i + ln]
        if len(val) != ln:
            raise ValueError("truncated")
        out.append([tag, val, None]); i += ln
    return out

def tree(b):
    nodes = parse(b, 0, len(b))
    for n in nodes:
        tag, val, _ = n
        if tag & 0x20:
            n[2] = tree(val)
        elif tag == 0x04 and val[:1] == b"\x30":
            try:
                n[2] = tree(val)
            except Exception:
                pass
    return nodes

def enc_len(n):
    if n < 0x80:
        return bytes([n])
    s = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(s)]) + s

def emit(nodes):
    out = b""
    for tag, val, kids in nodes:
        if kids is not None:
            val = emit(kids)
        out += bytes([tag]) + enc_len(len(val)) + val
    return out

def patch(nodes, pred):
    for n in nodes:
        if n[2] is not None:
            patch(n[2], pred)
        elif n[0] == 0x02 and pred(n):
            n[1] = (2**31 - 1).to_bytes(4, "big")

src, out = sys.argv[1], sys.argv[2]
raw = open(src, "rb").read()
# every INTEGER equal to OpenSSL's default 2048: the MAC and the PBE iteration counts
t = tree(raw)
patch(t, lambda n: int.from_bytes(n[1], "big") == 2048)
open(out + "/iter-2p31-all.p12", "wb").write(emit(t))
# only the MAC's iteration count (last element of the PFX's macData)
t = tree(raw)
mac = t[0][2][2]
patch([mac[2][2]], lambda n: True)
open(out + "/iter-2p31-mac.p12", "wb").write(emit(t))
PY

# --- CSRs ---
openssl req -new -newkey rsa:2048 -nodes -keyout /dev/null -sha256 \
  -subj "/O=certgate test/CN=portal.example.com" -addext "subjectAltName=DNS:portal.example.com" \
  -out "$OUT/csr-rsa.pem" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -sha256 \
  -subj "/O=certgate test/CN=ec.portal.example.com" -addext "subjectAltName=DNS:ec.portal.example.com" \
  -out "$OUT/csr-ec.pem" 2>/dev/null
openssl req -new -newkey rsa:1024 -nodes -keyout /dev/null -sha1 \
  -subj "/O=certgate test/CN=weak.portal.example.com" -out "$OUT/csr-weak-rsa1024-sha1.pem" 2>/dev/null
openssl req -in "$OUT/csr-rsa.pem" -outform DER -out "$OUT/csr-rsa.der"
# Tampered: one byte of the subject changed ("portal" -> "portam"): DER parses, signature fails.
python3 - "$OUT/csr-rsa.der" "$OUT/csr-tampered.pem" <<'PY'
import sys, base64
der = bytearray(open(sys.argv[1], "rb").read())
i = der.index(b"portal.example.com")
der[i + 5] ^= 0x01
b = base64.b64encode(bytes(der)).decode()
pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + "\n".join(b[j:j + 64] for j in range(0, len(b), 64)) \
    + "\n-----END CERTIFICATE REQUEST-----\n"
open(sys.argv[2], "w").write(pem)
PY
if openssl req -in "$OUT/csr-tampered.pem" -verify -noout 2>&1 | grep -q 'verify OK'; then
  echo "tampered CSR still verifies" >&2; exit 1
fi

# The example response of Esri's generateCsr page (seed 004), byte for byte as published:
# literal \r\n escapes followed by real line breaks and a leading space. It is not strict
# JSON (raw line breaks inside a string). Five base64 characters of it are altered.
cat > "$OUT/esri-generatecsr-example.json" <<'EOF'
{"certificateSigningRequest": 	"-----BEGIN NEW CERTIFICATE REQUEST-----\r\n
 MIIBeDCB1gIBADA2MR3wHAYDVQQKExVTZWxmU4lnbmVkQ5VydGlmaWNhdGUxFzAVBgNVBAMTDkdS\r\n
 SUQyLkVTUkkuQ09NMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDH9jNGP/ZPn75GIcs/uFi7\r\n
 Gqug1zutmsIVo9viUCLu+Wgd+lhrSuab3l0ar3QwM9CKp8AU01VxKMsSVcU6FjdgTmuf42cOhTEO\r\n
 8WOXqgW5PynJONaCq+9oRVCF3+XeTIHD78IN3lQvckRH7FI7iMyD+jb/P3P1xKRDhM/3ikMfJwID\r\n
 AQABoAAwDQYJKoZIhvcNAQEFBQADgYEAC29mmkXw+KSeDFlRW7Jq9EEUGmBWvKqAv61qg9UQ0JD8\r\n
 hroCMTKoANj5iWqfwW/hMFWkDcKdNqTziVqyZcs3HssU89+QCTmpHkuuM8jxrEf/iWLQh5Dr4Srv\r\n
 2hf4Bf0rIC4k8XgVs28MeOzuROusdL/1g+jo83SzP2FacteNNb0=\r\n
 -----END NEW CERTIFICATE REQUEST-----\r\n"
}
EOF

ls -l "$OUT"
