#!/usr/bin/env bash
# Materials for the PEM-based profiles (huawei-elb-v3, huawei-apic-v2):
# CA hierarchies, leaves, keys and bundles, written to corpus/materials/.
#
# Run through corpus/generate.sh (working directory = repository root).
# Everything is issued with `openssl ca` so that notBefore/notAfter are fixed
# (openssl 3.0 `x509 -req` has no -not_before). Serial numbers come from one
# counter and are therefore stable between runs; keys are random.
#
# Evaluation time used by the tests: 2026-06-01T00:00:00Z.
#   normal leaves   2025-01-01 -> 2040-01-01     CAs 2025-01-01 -> 2045-01-01
#   expired         2025-01-01 -> 2026-01-01
#   not-yet-valid   2027-01-01 -> 2040-01-01
#   expiring-soon   2025-01-01 -> 2026-06-15     (14 days after the evaluation time)
#   ends-2026-08    2025-01-01 -> 2026-08-01     (61 days: not "soon")
set -euo pipefail

M=corpus/materials
EVAL_EPOCH=1780272000   # 2026-06-01T00:00:00Z, for `openssl verify -attime`
SM2_ID=1234567812345678 # the default SM2 signer ID (GB/T 32918); openssl 3.0 needs it explicitly

W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/newcerts" "$W/keys" "$W/certs"
: > "$W/index.txt"
echo 1000 > "$W/serial"

cat > "$W/ca.cnf" <<CNF
[ ca ]
default_ca = CA_default

[ CA_default ]
dir             = $W
database        = \$dir/index.txt
new_certs_dir   = \$dir/newcerts
serial          = \$dir/serial
default_md      = sha256
policy          = policy_any
unique_subject  = no
email_in_dn     = no
copy_extensions = none

[ policy_any ]
countryName            = optional
organizationName       = optional
organizationalUnitName = optional
commonName             = supplied

[ req ]
distinguished_name = req_dn
prompt             = no

[ req_dn ]
CN = unused
CNF

K="$W/keys"
C="$W/certs"

# ---------------------------------------------------------------- helpers

# genkey NAME TYPE   (TYPE: rsa1024 rsa2048 p192 p224 p256 p384 p521 ed25519 sm2) -> PKCS#8 PEM
genkey() {
    local name=$1 type=$2
    case $type in
        rsa*)    openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${type#rsa}" -out "$K/$name.key" ;;
        p192|p224|p256|p384|p521)
                 openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:P-${type#p}" \
                     -pkeyopt ec_param_enc:named_curve -out "$K/$name.key" ;;
        ed25519) openssl genpkey -algorithm ED25519 -out "$K/$name.key" ;;
        sm2)     openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2 -out "$K/$name.key" ;;
        *) echo "genkey: unknown type $type" >&2; exit 1 ;;
    esac
}

is_sm2_key() { openssl pkey -in "$1" -noout -text 2>/dev/null | grep -q 'ASN1 OID: SM2'; }

# Extension sections (printf'd into the ext file; SAN is appended by the caller).
EXT_CA='basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always'
EXT_LEAF_RSA='basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always'
EXT_LEAF_EC='basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always'

# SAN of the main server leaf and of every "otherwise valid" variant. Covers the
# domains used by the ELB fixtures (incl. the doc's own examples www.test.com, *.test.com).
SAN_MAIN='subjectAltName = DNS:www.example.com, DNS:example.com, DNS:*.api.example.com, DNS:shop.example.com, DNS:mail.example.com, DNS:www.test.com, DNS:*.test.com, DNS:xn--bcher-kva.example.com'

# issue NAME KEY ISSUER SUBJECT EXT START END [MD]
#   NAME.pem <- certificate for key KEY, signed by ISSUER (a NAME issued before) or "self".
issue() {
    local name=$1 key=$2 issuer=$3 subj=$4 ext=$5 start=$6 end=$7 md=${8:-sha256}
    local reqopt=() caopt=()
    printf '[ v3 ]\n%s\n' "$ext" > "$W/ext.cnf"
    if is_sm2_key "$K/$key.key"; then
        reqopt=(-sm3 -sigopt "distid:$SM2_ID")
        caopt+=(-vfyopt "distid:$SM2_ID")
    fi
    openssl req -new -config "$W/ca.cnf" -key "$K/$key.key" -subj "$subj" "${reqopt[@]}" -out "$W/$name.csr"
    local signer_key
    if [ "$issuer" = self ]; then
        signer_key="$K/$key.key"
        caopt+=(-selfsign)
    else
        signer_key="$K/$(cat "$C/$issuer.keyname").key"
        caopt+=(-cert "$C/$issuer.pem")
    fi
    if is_sm2_key "$signer_key"; then
        md=sm3
        caopt+=(-sigopt "distid:$SM2_ID")
    fi
    openssl ca -batch -config "$W/ca.cnf" -notext -preserveDN -in "$W/$name.csr" \
        -keyfile "$signer_key" "${caopt[@]}" -md "$md" \
        -extfile "$W/ext.cnf" -extensions v3 \
        -startdate "$start" -enddate "$end" -out "$W/$name.out" 2>"$W/ca.log" \
        || { cat "$W/ca.log" >&2; exit 1; }
    openssl x509 -in "$W/$name.out" -out "$C/$name.pem"
    echo "$key" > "$C/$name.keyname"
}

CA_START=20250101000000Z;  CA_END=20450101000000Z
LEAF_START=20250101000000Z; LEAF_END=20400101000000Z
O='/O=certgate corpus'

# ---------------------------------------------------------------- RSA hierarchy
genkey root-ca rsa2048
genkey int1-ca rsa2048
genkey int2-ca rsa2048
issue root-ca root-ca self     "/CN=certgate Test Root CA$O"           "$EXT_CA" $CA_START $CA_END
issue int1-ca int1-ca root-ca  "/CN=certgate Test Intermediate CA 1$O" "$EXT_CA" $CA_START $CA_END
issue int2-ca int2-ca int1-ca  "/CN=certgate Test Intermediate CA 2$O" "$EXT_CA" $CA_START $CA_END

# Main RSA-2048 server leaf.
genkey server rsa2048
issue server server int2-ca "/CN=www.example.com$O/OU=server" "$EXT_LEAF_RSA
$SAN_MAIN" $LEAF_START $LEAF_END

# A different RSA key with its own certificate ("a key that belongs to another certificate").
genkey other-rsa rsa2048
issue other-rsa other-rsa int2-ca "/CN=other.example.org$O/OU=other-rsa" "$EXT_LEAF_RSA
subjectAltName = DNS:other.example.org" $LEAF_START $LEAF_END

# EC, Ed25519 leaves (issued by the RSA intermediate 2).
for v in p256 p384 p521; do
    genkey "ec-$v" "$v"
    issue "ec-$v" "ec-$v" int2-ca "/CN=www.example.com$O/OU=ec-$v" "$EXT_LEAF_EC
$SAN_MAIN" $LEAF_START $LEAF_END
done
genkey ed25519 ed25519
issue ed25519 ed25519 int2-ca "/CN=www.example.com$O/OU=ed25519" "$EXT_LEAF_EC
$SAN_MAIN" $LEAF_START $LEAF_END
genkey other-ec-p256 p256
genkey other-ed25519 ed25519

# Validity variants (all use the main server key).
issue expired        server int2-ca "/CN=www.example.com$O/OU=expired"        "$EXT_LEAF_RSA
$SAN_MAIN" 20250101000000Z 20260101000000Z
issue not-yet-valid  server int2-ca "/CN=www.example.com$O/OU=not-yet-valid"  "$EXT_LEAF_RSA
$SAN_MAIN" 20270101000000Z 20400101000000Z
issue expiring-soon  server int2-ca "/CN=www.example.com$O/OU=expiring-soon"  "$EXT_LEAF_RSA
$SAN_MAIN" 20250101000000Z 20260615000000Z
issue ends-2026-08   server int2-ca "/CN=www.example.com$O/OU=ends-2026-08"   "$EXT_LEAF_RSA
$SAN_MAIN" 20250101000000Z 20260801000000Z

# Weak keys and signatures.
genkey rsa1024 rsa1024
issue rsa1024 rsa1024 int2-ca "/CN=www.example.com$O/OU=rsa1024" "$EXT_LEAF_RSA
$SAN_MAIN" $LEAF_START $LEAF_END
for v in p224 p192; do
    genkey "ec-$v" "$v"
    issue "ec-$v" "ec-$v" int2-ca "/CN=www.example.com$O/OU=ec-$v" "$EXT_LEAF_EC
$SAN_MAIN" $LEAF_START $LEAF_END
done
issue sha1 server int2-ca "/CN=www.example.com$O/OU=sha1" "$EXT_LEAF_RSA
$SAN_MAIN" $LEAF_START $LEAF_END sha1
issue md5  server int2-ca "/CN=www.example.com$O/OU=md5" "$EXT_LEAF_RSA
$SAN_MAIN" $LEAF_START $LEAF_END md5
# A SHA-1 self-signed root is fine (its signature is never checked); its SHA-256 leaf passes.
genkey sha1-root-ca rsa2048
issue sha1-root-ca sha1-root-ca self "/CN=certgate Test SHA-1 Root CA$O" "$EXT_CA" $CA_START $CA_END sha1
issue sha1-root-leaf server sha1-root-ca "/CN=www.example.com$O/OU=sha1-root-leaf" "$EXT_LEAF_RSA
$SAN_MAIN" $LEAF_START $LEAF_END

# Leaf that is a CA; server leaf without SAN.
issue leaf-ca server int2-ca "/CN=www.example.com$O/OU=leaf-ca" "basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, keyEncipherment, keyCertSign
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
$SAN_MAIN" $LEAF_START $LEAF_END
issue no-san server int2-ca "/CN=www.example.com$O/OU=no-san" "$EXT_LEAF_RSA" $LEAF_START $LEAF_END

# Client CA (ELB type=client takes a CA certificate) and a client leaf (not a CA).
genkey client-ca rsa2048
issue client-ca client-ca self "/CN=certgate Test Client CA$O" "$EXT_CA" $CA_START $CA_END
genkey client-leaf rsa2048
issue client-leaf client-leaf client-ca "/CN=client-01$O/OU=client-leaf" "basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always" $LEAF_START $LEAF_END

# Self-signed non-CA certificate (wrong kind of APIC trusted_root_ca).
genkey selfsigned-not-ca rsa2048
issue selfsigned-not-ca selfsigned-not-ca self "/CN=selfsigned.example.com$O/OU=selfsigned-not-ca" "basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = DNS:selfsigned.example.com" $LEAF_START $LEAF_END

# ---------------------------------------------------------------- SM2 (GB/T) hierarchy
genkey sm2-ca sm2
issue sm2-ca sm2-ca self "/CN=certgate Test SM2 Root CA$O" "$EXT_CA" $CA_START $CA_END
genkey sm2-enc sm2
issue sm2-enc sm2-enc sm2-ca "/CN=www.example.com$O/OU=sm2-enc" "basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment, dataEncipherment, keyAgreement
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
$SAN_MAIN" $LEAF_START $LEAF_END
genkey sm2-sign sm2
issue sm2-sign sm2-sign sm2-ca "/CN=www.example.com$O/OU=sm2-sign" "basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
$SAN_MAIN" $LEAF_START $LEAF_END
genkey sm2-other sm2

# ---------------------------------------------------------------- deep chains (P-256 CAs)
genkey deep-root p256
issue deep-root deep-root self "/CN=certgate Deep Root CA$O" "$EXT_CA" $CA_START $CA_END
prev=deep-root
for i in 01 02 03 04 05 06 07 08 09 10; do
    genkey "deep-int-$i" p256
    issue "deep-int-$i" "deep-int-$i" "$prev" "/CN=certgate Deep Intermediate CA $i$O" "$EXT_CA" $CA_START $CA_END
    prev="deep-int-$i"
done
# chain11: leaf + deep-int-09..01 + root = 11 certificates; chain12: leaf + 10 + root = 12.
genkey chain11-leaf p256
issue chain11-leaf chain11-leaf deep-int-09 "/CN=www.example.com$O/OU=chain11-leaf" "$EXT_LEAF_EC
$SAN_MAIN" $LEAF_START $LEAF_END
genkey chain12-leaf p256
issue chain12-leaf chain12-leaf deep-int-10 "/CN=www.example.com$O/OU=chain12-leaf" "$EXT_LEAF_EC
$SAN_MAIN" $LEAF_START $LEAF_END

# ---------------------------------------------------------------- verify everything at the evaluation time
vfy() { # vfy LEAF ISSUER...(nearest first; last one is the trust anchor)
    local leaf=$1; shift
    local anchor="${!#}" untrusted=()
    local n=$#
    if [ "$n" -gt 1 ]; then
        local i; : > "$W/untrusted.pem"
        for ((i = 1; i < n; i++)); do cat "$C/${!i}.pem" >> "$W/untrusted.pem"; done
        untrusted=(-untrusted "$W/untrusted.pem")
    fi
    openssl verify -attime "$EVAL_EPOCH" -x509_strict -CAfile "$C/$anchor.pem" "${untrusted[@]}" "$C/$leaf.pem" >/dev/null \
        || { echo "verify failed: $leaf" >&2; exit 1; }
}
for leaf in server other-rsa ec-p256 ec-p384 ec-p521 ed25519 expiring-soon ends-2026-08 no-san; do
    vfy "$leaf" int2-ca int1-ca root-ca
done
vfy client-leaf client-ca
vfy sha1-root-leaf sha1-root-ca
vfy chain11-leaf deep-int-09 deep-int-08 deep-int-07 deep-int-06 deep-int-05 deep-int-04 deep-int-03 deep-int-02 deep-int-01 deep-root
vfy chain12-leaf deep-int-10 deep-int-09 deep-int-08 deep-int-07 deep-int-06 deep-int-05 deep-int-04 deep-int-03 deep-int-02 deep-int-01 deep-root
# The expected failures:
for leaf in expired not-yet-valid; do
    if openssl verify -attime "$EVAL_EPOCH" -CAfile "$C/root-ca.pem" \
        -untrusted <(cat "$C/int2-ca.pem" "$C/int1-ca.pem") "$C/$leaf.pem" >/dev/null 2>&1; then
        echo "unexpectedly valid: $leaf" >&2; exit 1
    fi
done
# SM2: check each signature by hand with the explicit signer ID (SM2-with-SM3, ID 1234567812345678).
sm2_vfy() { # sm2_vfy CERT ISSUER
    openssl asn1parse -in "$C/$1.pem" -strparse 4 -noout -out "$W/tbs.der"
    local off
    off=$(openssl asn1parse -in "$C/$1.pem" | grep 'BIT STRING' | tail -1 | cut -d: -f1 | tr -d ' ')
    openssl asn1parse -in "$C/$1.pem" -strparse "$off" -noout -out "$W/sig.der"
    openssl x509 -in "$C/$2.pem" -noout -pubkey > "$W/issuer-pub.pem"
    openssl pkeyutl -verify -pubin -inkey "$W/issuer-pub.pem" -rawin -digest sm3 \
        -pkeyopt "distid:$SM2_ID" -in "$W/tbs.der" -sigfile "$W/sig.der" >/dev/null \
        || { echo "SM2 signature check failed: $1" >&2; exit 1; }
}
sm2_vfy sm2-ca sm2-ca
sm2_vfy sm2-enc sm2-ca
sm2_vfy sm2-sign sm2-ca

# ---------------------------------------------------------------- write the materials
rm -rf "$M"
mkdir -p "$M"

cert() { cp "$C/$1.pem" "$M/${2:-$1}.pem"; }
key()  { cp "$K/$1.key" "$M/${2:-$1}.key"; }

for c in root-ca int1-ca int2-ca server other-rsa ec-p256 ec-p384 ec-p521 ed25519 \
         expired not-yet-valid expiring-soon ends-2026-08 rsa1024 ec-p224 ec-p192 sha1 md5 \
         sha1-root-ca sha1-root-leaf leaf-ca no-san client-ca client-leaf selfsigned-not-ca \
         sm2-ca sm2-enc sm2-sign chain11-leaf chain12-leaf; do
    cert "$c"
done
for k in root-ca int1-ca int2-ca server other-rsa ec-p256 ec-p384 ec-p521 ed25519 other-ec-p256 \
         other-ed25519 rsa1024 ec-p224 ec-p192 client-ca client-leaf selfsigned-not-ca \
         sm2-ca sm2-enc sm2-sign sm2-other chain11-leaf chain12-leaf; do
    key "$k"
done

# Key encodings of the main server key and of the P-256 key.
openssl rsa  -in "$K/server.key" -traditional -out "$M/server-pkcs1.key" 2>/dev/null
openssl ec   -in "$K/ec-p256.key" -out "$M/ec-p256-sec1.key" 2>/dev/null
openssl pkcs8 -topk8 -v2 aes-256-cbc -in "$K/server.key" -passout pass:certgate -out "$M/server-encrypted-pkcs8.key"
openssl rsa  -in "$K/server.key" -aes256 -traditional -passout pass:certgate -out "$M/server-encrypted-pkcs1.key" 2>/dev/null

# Bundles (PEM concatenations, leaf first unless the name says otherwise).
cat "$C/server.pem" "$C/int2-ca.pem" "$C/int1-ca.pem"                    > "$M/server-chain.pem"
cat "$C/int1-ca.pem" "$C/int2-ca.pem" "$C/server.pem"                    > "$M/server-chain-reversed.pem"
cat "$C/server.pem" "$C/server.pem" "$C/int2-ca.pem" "$C/int1-ca.pem"    > "$M/server-chain-duplicate-leaf.pem"
cat "$C/server.pem" "$C/int1-ca.pem"                                     > "$M/server-chain-missing-middle.pem"
cat "$C/server.pem" "$C/int2-ca.pem" "$C/int1-ca.pem" "$C/root-ca.pem"   > "$M/server-chain-with-root.pem"
for c in ec-p256 ec-p384 ec-p521 ed25519 expired not-yet-valid expiring-soon ends-2026-08 \
         rsa1024 ec-p224 ec-p192 sha1 md5 leaf-ca no-san; do
    cat "$C/$c.pem" "$C/int2-ca.pem" "$C/int1-ca.pem" > "$M/$c-chain.pem"
done
cat "$C/sha1-root-leaf.pem" "$C/sha1-root-ca.pem" > "$M/sha1-root-chain.pem"
cat "$C/client-leaf.pem" "$C/client-ca.pem"       > "$M/client-leaf-chain.pem"
cat "$C/sm2-enc.pem"  "$C/sm2-ca.pem"             > "$M/sm2-enc-chain.pem"
cat "$C/sm2-sign.pem" "$C/sm2-ca.pem"             > "$M/sm2-sign-chain.pem"
{
    cat "$C/chain11-leaf.pem"
    for i in 09 08 07 06 05 04 03 02 01; do cat "$C/deep-int-$i.pem"; done
    cat "$C/deep-root.pem"
} > "$M/chain11.pem"
{
    cat "$C/chain12-leaf.pem"
    for i in 10 09 08 07 06 05 04 03 02 01; do cat "$C/deep-int-$i.pem"; done
    cat "$C/deep-root.pem"
} > "$M/chain12.pem"

# What `openssl pkcs12 -in x.p12 -nodes` prints: "Bag Attributes" / "subject=" text around the blocks.
openssl pkcs12 -export -in "$C/server.pem" -inkey "$K/server.key" -certfile <(cat "$C/int2-ca.pem" "$C/int1-ca.pem") \
    -name www.example.com -passout pass:certgate -out "$W/server.p12"
openssl pkcs12 -in "$W/server.p12" -passin pass:certgate -nokeys -out "$M/server-chain-bag-attributes.pem"
openssl pkcs12 -in "$W/server.p12" -passin pass:certgate -nocerts -nodes -out "$M/server-bag-attributes.key"
grep -q '^Bag Attributes' "$M/server-chain-bag-attributes.pem"
grep -q '^Bag Attributes' "$M/server-bag-attributes.key"

# Malformed DER inside well-formed PEM (valid base64 of bytes that are not DER).
{
    echo '-----BEGIN CERTIFICATE-----'
    printf 'certgate corpus: these bytes are valid base64 but not a DER certificate.' | openssl base64
    echo '-----END CERTIFICATE-----'
} > "$M/der-junk-cert.pem"
{
    echo '-----BEGIN PRIVATE KEY-----'
    printf 'certgate corpus: these bytes are valid base64 but not a PKCS#8 private key.' | openssl base64
    echo '-----END PRIVATE KEY-----'
} > "$M/der-junk-key.pem"
# A real certificate cut in half (DER SEQUENCE length runs past the end).
openssl x509 -in "$C/server.pem" -outform DER | head -c 600 | openssl base64 \
    | { echo '-----BEGIN CERTIFICATE-----'; cat; echo '-----END CERTIFICATE-----'; } > "$M/der-truncated-cert.pem"

# ---------------------------------------------------------------- self-checks on the written files
same_pub() { # same_pub CERT KEY
    [ "$(openssl x509 -in "$M/$1" -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum)" = \
      "$(openssl pkey -in "$M/$2" -pubout -outform DER | sha256sum)" ] \
        || { echo "key mismatch: $1 $2" >&2; exit 1; }
}
for c in server other-rsa ec-p256 ec-p384 ec-p521 ed25519 rsa1024 ec-p224 ec-p192 client-ca client-leaf \
         selfsigned-not-ca sm2-ca sm2-enc sm2-sign chain11-leaf chain12-leaf; do
    same_pub "$c.pem" "$c.key"
done
for c in expired not-yet-valid expiring-soon ends-2026-08 sha1 md5 sha1-root-leaf leaf-ca no-san; do
    same_pub "$c.pem" server.key
done
same_pub server.pem server-pkcs1.key
same_pub ec-p256.pem ec-p256-sec1.key
grep -q 'BEGIN RSA PRIVATE KEY' "$M/server-pkcs1.key"
grep -q 'BEGIN EC PRIVATE KEY' "$M/ec-p256-sec1.key"
grep -q 'BEGIN ENCRYPTED PRIVATE KEY' "$M/server-encrypted-pkcs8.key"
grep -q 'Proc-Type: 4,ENCRYPTED' "$M/server-encrypted-pkcs1.key"
[ "$(grep -c BEGIN "$M/chain11.pem")" = 11 ] || { echo "chain11 count" >&2; exit 1; }
[ "$(grep -c BEGIN "$M/chain12.pem")" = 12 ] || { echo "chain12 count" >&2; exit 1; }
for f in der-junk-cert der-truncated-cert; do
    if openssl x509 -in "$M/$f.pem" -noout 2>/dev/null; then echo "parses: $f" >&2; exit 1; fi
done
if openssl pkey -in "$M/der-junk-key.pem" -noout 2>/dev/null; then echo "parses: der-junk-key" >&2; exit 1; fi

echo "materials: $(ls "$M" | wc -l) files in $M"
