#!/usr/bin/env bash
# Hostile certificates and archives for tests/hostile.rs and the `fail-`/`pass-` request
# fixtures that use them, written to corpus/hostile/ (see corpus/hostile/README.md).
#
# Run through corpus/generate.sh (after 10-materials.sh and 60-esri.sh: it reads
# corpus/materials/{server.pem,int2-ca.key} and corpus/esri/materials/ec-p256-chain.p12).
# openssl makes what it can (the explicit-parameter EC key); what openssl refuses to write
# (duplicate extensions, exact UTCTime/GeneralizedTime values, an inverted validity, an
# archive without content) is made by editing server.pem's DER with the small DER
# helpers below and re-signing the edited TBSCertificate with int2's key (python3 with
# `cryptography`), so each certificate differs from server.pem in exactly one respect
# and still chains to int2. Everything but the explicit EC key is deterministic.
set -euo pipefail

M=corpus/materials
OUT=corpus/hostile
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
mkdir -p "$OUT"
rm -f "$OUT"/*.pem "$OUT"/*.key "$OUT"/*.p12

# An EC P-256 key whose parameters are spelled out (ECParameters) instead of named
# (namedCurve prime256v1): RFC 5480 forbids this in certificates.
openssl ecparam -name prime256v1 -param_enc explicit -genkey -noout -out "$W/explicit.pem"
openssl pkcs8 -topk8 -nocrypt -in "$W/explicit.pem" -out "$OUT/explicit-ec-params.key"
openssl pkey -in "$W/explicit.pem" -pubout -outform DER -out "$W/explicit-spki.der"

# An archive whose safes each ask for 65,536 iterations (below the per-derivation cap).
openssl pkcs12 -export -in "$M/server.pem" -inkey "$M/server.key" -iter 65536 \
  -passout pass:certgate-test -out "$W/iter65536.p12"

python3 - "$M" "$OUT" "$W/explicit-spki.der" corpus/esri/materials/ec-p256-chain.p12 "$W/iter65536.p12" <<'PY'
import base64, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

M, OUT, EXPLICIT_SPKI, P12, P12_SLOW = sys.argv[1:6]

def tlv(b, i):
    """(tag, header start, value start, value end) of the DER value at i."""
    tag = b[i]; ln = b[i + 1]; j = i + 2
    if ln & 0x80:
        n = ln & 0x7f; ln = int.from_bytes(b[j:j + n], "big"); j += n
    return tag, i, j, j + ln

def children(b):
    """The encoded DER values that make up b, in order."""
    out, i = [], 0
    while i < len(b):
        _, s, _, e = tlv(b, i)
        out.append(b[s:e]); i = e
    return out

def value(b):
    _, _, s, e = tlv(b, 0)
    return b[s:e]

def enc(tag, v):
    n = len(v)
    if n < 0x80:
        ln = bytes([n])
    else:
        s = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(s)]) + s
    return bytes([tag]) + ln + v

def pem(label, der):
    body = base64.b64encode(der).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"

def der_of(path):
    text = open(path).read()
    body = text.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
    return base64.b64decode("".join(body.split()))

ca_key = serialization.load_pem_private_key(open(f"{M}/int2-ca.key", "rb").read(), None)
cert = der_of(f"{M}/server.pem")
tbs, sig_alg, _ = children(value(cert))
# version, serial, signature, issuer, validity, subject, spki, [3] extensions
fields = children(value(tbs))
assert len(fields) == 8 and fields[7][0] == 0xA3

def utc(s):  return enc(0x17, s.encode())
def gen(s):  return enc(0x18, s.encode())

def write(name, fields, raw_tbs=None):
    t = raw_tbs if raw_tbs is not None else enc(0x30, b"".join(fields))
    sig = ca_key.sign(t, padding.PKCS1v15(), hashes.SHA256())
    der = enc(0x30, t + sig_alg + enc(0x03, b"\x00" + sig))
    open(f"{OUT}/{name}.pem", "w").write(pem("CERTIFICATE", der))

def with_validity(not_before, not_after):
    f = list(fields); f[4] = enc(0x30, not_before + not_after); return f

def with_extensions(exts):
    f = list(fields); f[7] = enc(0xA3, enc(0x30, b"".join(exts))); return f

exts = children(value(value(fields[7])))
oid = lambda e: children(value(e))[0]
SAN = bytes.fromhex("0603551d11")

# Validity boundaries (RFC 5280, 4.1.2.5.1: UTCTime YY >= 50 is 19YY, < 50 is 20YY;
# 2050 and later are GeneralizedTime).
write("utctime-1950-to-2049", with_validity(utc("500101000000Z"), utc("491231235959Z")))
write("generalizedtime-2050", with_validity(utc("250101000000Z"), gen("20500101000000Z")))
write("utctime-not-after-1950", with_validity(utc("500101000000Z"), utc("500102000000Z")))
write("utctime-not-before-2049", with_validity(utc("491231235959Z"), gen("20500101000000Z")))
write("generalizedtime-not-before-2050", with_validity(gen("20500101000000Z"), gen("20600101000000Z")))
# DER forbids fractional seconds in GeneralizedTime (X.690 11.7; RFC 5280 4.1.2.5.2).
write("generalizedtime-fractional", with_validity(utc("250101000000Z"), gen("20500101000000.5Z")))
# notBefore after notAfter: no instant is inside the validity period.
write("validity-inverted", with_validity(utc("300101000000Z"), utc("250101000000Z")))

# The subjectAltName extension twice (RFC 5280, 4.2: "MUST NOT include more than one
# instance of a particular extension").
san = [e for e in exts if oid(e) == SAN]
assert len(san) == 1
write("duplicate-extension", with_extensions(exts + san))

# A critical extension no one implements (OID under the private-enterprise arc 1.3.6.1.4.1.
# 32473, which RFC 5612 reserves for documentation), value an ASN.1 NULL.
unknown = enc(0x30, enc(0x06, bytes.fromhex("2b0601040181fd5901")) + enc(0x01, b"\xff") + enc(0x04, b"\x05\x00"))
write("unknown-critical-extension", with_extensions(exts + [unknown]))

# Non-minimal DER: the serial number's length written in long form (0x81 0x02), which
# BER allows and DER forbids (X.690 10.1).
serial = fields[1]
assert serial[1] < 0x80
f = list(fields); f[1] = bytes([0x02, 0x81]) + serial[1:]
write("non-minimal-length", f)

# Names with bytes a display or a string compare may mangle: a NUL inside the only
# subjectAltName DNS name (the "NUL prefix" attack: www.example.com\0.evil.example), an
# ANSI escape in the subject CN (UTF8String), and a CN that is not UTF-8 (0xff 0xfe).
def san_ext(*names):
    gn = b"".join(enc(0x82, n) for n in names)
    return enc(0x30, enc(0x06, bytes.fromhex("551d11")) + enc(0x04, enc(0x30, gn)))
write("san-nul", with_extensions([e for e in exts if oid(e) != SAN] + [san_ext(b"www.example.com\x00.evil.example")]))
def subject_cn(value):
    return enc(0x30, enc(0x31, enc(0x30, enc(0x06, bytes.fromhex("550403")) + enc(0x0C, value))))
f = with_extensions([e for e in exts if oid(e) != SAN]); f[5] = subject_cn(b"www.example.com\x1b[31m\x07")
write("cn-control", f)   # without subjectAltName, so that the CN is shown (no-san)
f = list(fields); f[5] = subject_cn(b"www.\xff\xfe.example.com"); write("cn-invalid-utf8", f)

# Serial numbers RFC 5280 4.1.2.2 forbids: negative (two's complement 0x9003), and 21
# octets (0x01 followed by 20 bytes 0x10..0x23).
f = list(fields); f[1] = enc(0x02, bytes([0x90, 0x03])); write("serial-negative", f)
f = list(fields); f[1] = enc(0x02, bytes([0x01]) + bytes(range(0x10, 0x24))); write("serial-21-octets", f)

# The explicit-parameter EC public key in place of the RSA one.
f = list(fields); f[6] = open(EXPLICIT_SPKI, "rb").read()
write("explicit-ec-params", f)

# PKCS#12: the authSafe ContentInfo without its [0] content (and so without a MAC, which
# would cover nothing).
p12 = open(P12, "rb").read()
version, auth_safe, mac = children(value(p12))
content_type = children(value(auth_safe))[0]
open(f"{OUT}/pkcs12-missing-content.p12", "wb").write(
    enc(0x30, version + enc(0x30, content_type) ))

def many_safes(src, count, name):
    """The archive's certificate safe (EncryptedData, PBES2) `count` times, ciphertext cut
    to one block, no MAC: the archive is refused before any decryption, so what the
    safes would decrypt to does not matter."""
    version, auth_safe, _mac = children(value(open(src, "rb").read()))
    content_type, explicit = children(value(auth_safe))
    safes = children(value(value(value(explicit))))            # [0] -> OCTET STRING -> SEQUENCE
    enc_safe = next(s for s in safes if children(value(s))[0] == enc(0x06, bytes.fromhex("2a864886f70d010706")))
    ct, body = children(value(enc_safe))
    ed = children(value(value(body)))                          # [0] -> EncryptedData
    eci = children(value(ed[1]))                               # type, algorithm, [0] ciphertext
    eci[2] = enc(0x80, value(eci[2])[:16])
    small = enc(0x30, ct + enc(0xA0, enc(0x30, ed[0] + enc(0x30, b"".join(eci)))))
    authsafe = enc(0x30, content_type + enc(0xA0, enc(0x04, enc(0x30, small * count))))
    open(f"{OUT}/{name}.p12", "wb").write(enc(0x30, version + authsafe))

# 1,100 safes of OpenSSL's default 2,048 iterations: more containers than any archive has.
many_safes(P12, 1100, "pkcs12-many-encrypted-safes")
# 64 safes of 65,536 iterations: 4,194,304 iterations of key derivation in all, above
# the per-archive cap although each safe is within the per-derivation one.
many_safes(P12_SLOW, 64, "pkcs12-encrypted-safes-work")
PY
# The certificate with the unknown critical extension in an archive, with its key.
openssl pkcs12 -export -in "$OUT/unknown-critical-extension.pem" -inkey "$M/server.key" \
  -certfile <(cat "$M/int2-ca.pem" "$M/int1-ca.pem") -passout pass:certgate-test \
  -out "$OUT/pkcs12-unknown-critical-extension.p12"

# Each certificate as the server chain (leaf, int2, int1) the request fixtures upload.
for leaf in "$OUT"/*.pem; do
  case "$leaf" in *-chain.pem) continue ;; esac
  cat "$leaf" "$M/int2-ca.pem" "$M/int1-ca.pem" > "${leaf%.pem}-chain.pem"
done

# Request fixtures: written here (after 20-requests.sh, which empties the profile folders).
python3 - <<'PY'
import json

def write(profile, name, doc):
    with open(f"corpus/{profile}/{name}.json", "w") as f:
        f.write(json.dumps(doc, indent=2) + "\n")

KEY = {"file": "../materials/server.key"}
elb = [
    # (fixture, certificate in corpus/hostile, description)
    ("fail-der-malformed-duplicate-extension", "duplicate-extension",
     "leaf with its subjectAltName extension twice"),
    ("fail-der-malformed-non-minimal-length", "non-minimal-length",
     "leaf whose serial number length is in long form (0x81 0x02): BER, not DER"),
    ("fail-der-malformed-generalizedtime-fractional", "generalizedtime-fractional",
     "leaf whose notAfter is GeneralizedTime 20500101000000.5Z (fractional seconds)"),
    ("fail-unknown-critical-extension", "unknown-critical-extension",
     "leaf with a critical extension 1.3.6.1.4.1.32473.1 (documentation OID)"),
    ("fail-weak-key-explicit-ec-params", "explicit-ec-params",
     "leaf whose EC P-256 key has explicit curve parameters instead of a named curve"),
    ("fail-cert-expired-utctime-1950", "utctime-not-after-1950",
     "valid from UTCTime 500101000000Z to 500102000000Z: January 1950, not 2050"),
    ("fail-cert-not-yet-valid-utctime-2049", "utctime-not-before-2049",
     "notBefore UTCTime 491231235959Z: 2049-12-31, not 1949"),
    ("fail-cert-not-yet-valid-generalizedtime-2050", "generalizedtime-not-before-2050",
     "notBefore GeneralizedTime 20500101000000Z"),
    ("fail-cert-expired-validity-inverted", "validity-inverted",
     "notBefore 2030-01-01 after notAfter 2025-01-01"),
    ("fail-der-malformed-serial-negative", "serial-negative",
     "leaf with the negative serial number 0x9003"),
    ("fail-cert-issuance-serial-21-octets", "serial-21-octets",
     "leaf with a 21-octet serial number (info: clients read it)"),
    ("fail-domain-not-in-certificate-san-nul", "san-nul",
     "the only SAN DNS name is www.example.com NUL .evil.example: it does not cover www.example.com"),
    ("fail-no-san-cn-control", "cn-control",
     "no subjectAltName; subject CN with an ANSI escape and a BEL, shown escaped"),
    ("fail-der-malformed-cn-invalid-utf8", "cn-invalid-utf8",
     "subject CN UTF8String with the bytes 0xff 0xfe (not UTF-8)"),
    ("pass-utctime-1950-to-2049", "utctime-1950-to-2049",
     "valid from UTCTime 500101000000Z (1950) to UTCTime 491231235959Z (2049)"),
    ("pass-generalizedtime-2050", "generalizedtime-2050",
     "notAfter GeneralizedTime 20500101000000Z"),
]
for name, cert, shows in elb:
    key = {"file": "../hostile/explicit-ec-params.key"} if cert == "explicit-ec-params" else KEY
    write("huawei-elb-v3", name, {"certificate": {
        "name": name, "description": shows,
        "certificate": {"file": f"../hostile/{cert}-chain.pem"},
        "private_key": key, "domain": "www.example.com"}})

PASSWORD = {"env": "CERTGATE_TEST_PASSWORD"}
for name, archive in [
    ("fail-pkcs12-required-missing-content", "pkcs12-missing-content"),
    ("fail-pkcs12-required-many-encrypted-safes", "pkcs12-many-encrypted-safes"),
    ("fail-pkcs12-iterations-encrypted-safes", "pkcs12-encrypted-safes-work"),
    ("fail-unknown-critical-extension", "pkcs12-unknown-critical-extension"),
]:
    write("esri-portal-update", name,
          {"file": f"../hostile/{archive}.p12", "password": PASSWORD, "f": "json"})
PY
ls -l "$OUT"
