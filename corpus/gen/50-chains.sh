#!/usr/bin/env bash
# Generates the certificate-chain fixtures in corpus/chains/ (OpenSSL 3.0 CLI).
#
# Run from anywhere: `bash corpus/gen/50-chains.sh`. Keys are random, so every run
# rewrites every file; the committed outputs are what the tests read. Every
# certificate is valid from 2025-01-01 to 2045-01-01 (`openssl ca -startdate/-enddate`;
# OpenSSL 3.0 `x509` has no `-not_before`), so tests never expire.
#
# Each output is a PEM bundle named for what it shows; see corpus/chains/README.md.
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT_DIR/corpus/chains"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
rm -f "$OUT"/*.pem

START=20250101000000Z
END=20450101000000Z
SM2_ID=1234567812345678
export FORGED_SKI=hash # replaced before the forged certificate is made

# shellcheck source=lib/ca.sh
source "$ROOT_DIR/corpus/gen/lib/ca.sh"

cd "$WORK"
ca_init 1000

cat >ext.cnf <<'EOF'
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[root_pathlen0]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[int]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[int_forged]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = $ENV::FORGED_SKI
authorityKeyIdentifier = keyid:always
[int_no_keycertsign]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[int_not_ca]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:www.example.com
[leaf_client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:client.example.com
[cycle]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF

# key NAME TYPE   (TYPE: rsa | rsa-pss | P-256 | P-384 | P-521 | ed25519 | sm2)
key() {
  case "$2" in
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null ;;
    rsa-pss) openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null ;;
    P-*) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:"$2" \
           -pkeyopt ec_param_enc:named_curve -out "$1.key" ;;
    ed25519) openssl genpkey -algorithm ED25519 -out "$1.key" ;;
    sm2) openssl genpkey -algorithm SM2 -out "$1.key" ;;
    *) echo "unknown key type $2" >&2; exit 1 ;;
  esac
}

# csr NAME TYPE SUBJECT : request signed by NAME.key (SM2 requests use the empty id,
# which is also what `openssl ca` verifies them with).
csr() {
  local md=()
  case "$2" in
    ed25519) md=() ;;
    sm2) md=(-sm3) ;;
    *) md=(-sha256) ;;
  esac
  openssl req -new -config ca.cnf -key "$1.key" -subj "$3" "${md[@]}" -out "$1.csr"
}

# sign NAME ISSUER EXT [openssl ca options...] : NAME.csr -> NAME.crt signed by ISSUER
sign() {
  local name="$1" issuer="$2" ext="$3"
  shift 3
  openssl ca -batch -config ca.cnf -notext -preserveDN -startdate "$START" -enddate "$END" \
    -in "$name.csr" -out "$name.crt" -cert "$issuer.crt" -keyfile "$issuer.key" \
    -extfile ext.cnf -extensions "$ext" "$@" 2>ca.log || { cat ca.log >&2; return 1; }
}

# selfsign NAME EXT [openssl ca options...]
selfsign() {
  local name="$1" ext="$2"
  shift 2
  openssl ca -batch -config ca.cnf -notext -preserveDN -startdate "$START" -enddate "$END" \
    -selfsign -in "$name.csr" -out "$name.crt" -keyfile "$name.key" \
    -extfile ext.cnf -extensions "$ext" "$@" 2>ca.log || { cat ca.log >&2; return 1; }
}

# cert NAME TYPE SUBJECT EXT ISSUER|self [ca options...]
cert() {
  local name="$1" type="$2" subj="$3" ext="$4" issuer="$5"
  shift 5
  key "$name" "$type"
  csr "$name" "$type" "$subj"
  if [ "$issuer" = self ]; then selfsign "$name" "$ext" "$@"; else sign "$name" "$issuer" "$ext" "$@"; fi
}

# bundle OUTFILE CERT... : concatenate PEM certificates in the order given
bundle() {
  local out="$OUT/$1"
  shift
  : >"$out"
  for c in "$@"; do openssl x509 -in "$c.crt" >>"$out"; done
}

# --- RSA 4-level chain: root -> Intermediate A -> Intermediate B -> leaf -------------
cert root rsa "/O=certgate test/CN=Root" root self
cert inta rsa "/O=certgate test/CN=Intermediate A" int root
cert intb rsa "/O=certgate test/CN=Intermediate B" int inta
cert leaf rsa "/O=certgate test/CN=www.example.com" leaf intb
bundle rsa-4chain-in-order.pem leaf intb inta root
bundle rsa-4chain-reversed.pem root inta intb leaf
bundle duplicate-leaf.pem leaf intb leaf inta root
bundle missing-intermediate.pem leaf inta root
bundle no-root.pem leaf intb inta

# --- shuffled 5-chain: root + 3 intermediates + leaf ---------------------------------
cert r5 rsa "/CN=Five Root" root self
cert i51 rsa "/CN=Five Intermediate 1" int r5
cert i52 rsa "/CN=Five Intermediate 2" int i51
cert i53 rsa "/CN=Five Intermediate 3" int i52
cert l5 rsa "/CN=five.example.com" leaf i53
bundle shuffled-5chain.pem i52 l5 r5 i53 i51

# --- forged link: an "Intermediate B" with the same subject DN and the same SKI as the
# real one but another key. The leaf names it as issuer (DN and AKI) yet its signature
# does not verify with the forged key.
FORGED_SKI="$(openssl x509 -in intb.crt -noout -ext subjectKeyIdentifier | sed -n 2p | tr -d ' ')"
export FORGED_SKI
cert forged rsa "/O=certgate test/CN=Intermediate B" int_forged inta
bundle forged-link.pem leaf forged inta root

# --- RSA PKCS#1 v1.5 with each hash; SHA-1 and MD5 leaves -----------------------------
for md in sha224 sha384 sha512; do
  cert "leaf_$md" rsa "/CN=$md.example.com" leaf root -md "$md"
done
bundle rsa-pkcs1-hashes.pem root leaf_sha224 leaf_sha384 leaf_sha512
cert leaf_sha1 rsa "/CN=sha1.example.com" leaf root -md sha1
bundle sha1-leaf.pem leaf_sha1 root
cert leaf_md5 rsa "/CN=md5.example.com" leaf root -md md5
bundle md5-leaf.pem leaf_md5 root

# --- RSA-PSS: root signs itself and an intermediate with PSS/SHA-256 (salt 32), the
# intermediate (an RSA-PSS key) signs the leaf with PSS/SHA-384 and the default salt.
cert pss_root rsa "/CN=PSS Root" root self -md sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
cert pss_int rsa-pss "/CN=PSS Intermediate" int pss_root -md sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
cert pss_leaf rsa "/CN=pss.example.com" leaf pss_int -md sha384 -sigopt rsa_padding_mode:pss
bundle rsa-pss-chain.pem pss_leaf pss_int pss_root

# --- ECDSA: P-521 root (SHA-512) -> P-384 intermediate -> P-256 leaf (the P-384 key
# signs with SHA-512); and a P-521 key signing with SHA-256 (hash shorter than half
# the field), plus P-256 signing with SHA-384 and P-384 signing with SHA-224.
cert ec_root P-521 "/CN=EC P-521 Root" root self -md sha512
cert ec_int P-384 "/CN=EC P-384 Intermediate" int ec_root -md sha512
cert ec_leaf P-256 "/CN=ec.example.com" leaf ec_int -md sha512
bundle p521-chain.pem ec_leaf ec_int ec_root
cert ec256_root P-521 "/CN=EC P-521 SHA-256 Root" root self -md sha256
cert ec256_leaf P-384 "/CN=ec256.example.com" leaf ec256_root -md sha256
bundle p521-sha256-chain.pem ec256_leaf ec256_root
cert ecx_root P-256 "/CN=EC P-256 Root" root self -md sha384
cert ecx_int P-384 "/CN=EC P-384 Intermediate SHA-384" int ecx_root -md sha384
cert ecx_leaf P-256 "/CN=ecx.example.com" leaf ecx_int -md sha224
bundle ecdsa-mixed-hashes.pem ecx_leaf ecx_int ecx_root

# --- Ed25519 ------------------------------------------------------------------------
cert ed_root ed25519 "/CN=Ed25519 Root" root self
cert ed_leaf ed25519 "/CN=ed.example.com" leaf ed_root
bundle ed25519-chain.pem ed_leaf ed_root

# --- SM2 with SM3: default signer id, and the empty id (no distid given) -------------
cert sm2_root sm2 "/CN=SM2 Root" root self -md sm3 -sigopt "distid:$SM2_ID"
cert sm2_leaf sm2 "/CN=sm2.example.com" leaf sm2_root -md sm3 -sigopt "distid:$SM2_ID"
bundle sm2-chain.pem sm2_leaf sm2_root
cert sm2_leaf_empty sm2 "/CN=sm2-empty-id.example.com" leaf sm2_root -md sm3
bundle sm2-chain-empty-id.pem sm2_leaf_empty sm2_root

# --- key usage / path length ----------------------------------------------------------
cert pl_root rsa "/CN=Pathlen0 Root" root_pathlen0 self
cert pl_int rsa "/CN=Pathlen Intermediate" int pl_root
cert pl_leaf rsa "/CN=pathlen.example.com" leaf pl_int
bundle pathlen-violation.pem pl_leaf pl_int pl_root

cert nk_int rsa "/CN=No KeyCertSign Intermediate" int_no_keycertsign root
cert nk_leaf rsa "/CN=nokcs.example.com" leaf nk_int
bundle ca-without-keycertsign.pem nk_leaf nk_int root

cert nca_int rsa "/CN=Not CA Intermediate" int_not_ca root
cert nca_leaf rsa "/CN=notca.example.com" leaf nca_int
bundle issuer-not-ca.pem nca_leaf nca_int root

cert cl_leaf rsa "/CN=client.example.com" leaf_client intb
bundle leaf-eku-clientauth.pem cl_leaf intb inta root

# --- mutual-issuer cycle: "Cycle A" is issued by "Cycle B" and "Cycle B" by "Cycle A";
# the leaf is issued by "Cycle A". Temporary self-signed A/B carry the keys.
cert tmp_a rsa "/CN=Cycle A" cycle self
cert tmp_b rsa "/CN=Cycle B" cycle self
cp tmp_a.key cyc_a.key; cp tmp_a.csr cyc_a.csr
cp tmp_b.key cyc_b.key; cp tmp_b.csr cyc_b.csr
sign cyc_a tmp_b cycle
sign cyc_b tmp_a cycle
cert cyc_leaf rsa "/CN=cycle.example.com" leaf tmp_a
bundle mutual-issuer-cycle.pem cyc_leaf cyc_a cyc_b

# --- unrelated extra certificate appended to a good chain -----------------------------
bundle unrelated-extra.pem leaf intb inta root ed_root

# --- PKCS#10 requests for the self-signature check ------------------------------------
openssl req -new -config ca.cnf -key leaf.key -subj "/CN=www.example.com" -sha256 -out "$OUT/csr-rsa.pem"
openssl req -new -config ca.cnf -key sm2_leaf.key -subj "/CN=sm2.example.com" -sm3 \
  -sigopt "distid:$SM2_ID" -out "$OUT/csr-sm2.pem"
openssl req -new -config ca.cnf -key sm2_leaf.key -subj "/CN=sm2.example.com" -sm3 \
  -out "$OUT/csr-sm2-empty-id.pem"

cat >"$OUT/README.md" <<'EOF_README'
# Chain fixtures (generated by corpus/gen/50-chains.sh; do not edit)

All certificates are valid 2025-01-01 .. 2045-01-01. Bundles list certificates in the
order given below (leaf = end-entity, int = intermediate).

| file | order in the file | shows |
|---|---|---|
| rsa-4chain-in-order.pem | leaf, Int B, Int A, Root | correct RSA chain, root included |
| rsa-4chain-reversed.pem | Root, Int A, Int B, leaf | chain-order (reversed) |
| shuffled-5chain.pem | Int 2, leaf, Root, Int 3, Int 1 | chain-order (shuffled 5-chain) |
| duplicate-leaf.pem | leaf, Int B, leaf, Int A, Root | chain-duplicate |
| forged-link.pem | leaf, forged Int B, Int A, Root | chain-broken: same DN and SKI as Int B, other key |
| missing-intermediate.pem | leaf, Int A, Root | chain-incomplete: Int B missing (gap) |
| no-root.pem | leaf, Int B, Int A | chain does not reach a root (root omitted) |
| unrelated-extra.pem | leaf, Int B, Int A, Root, Ed25519 Root | a certificate not on the leaf's path |
| rsa-pkcs1-hashes.pem | Root, leaves signed with SHA-224, SHA-384, SHA-512 | PKCS#1 v1.5 hashes (verify tests) |
| sha1-leaf.pem | SHA-1-signed leaf, Root | weak-signature (SHA-1), still verifiable |
| md5-leaf.pem | MD5-signed leaf, Root | weak-signature (MD5), not verifiable (Unsupported) |
| rsa-pss-chain.pem | leaf (PSS SHA-384, default salt), Int (RSA-PSS key, PSS SHA-256 salt 32), Root (PSS SHA-256) | RSASSA-PSS |
| p521-chain.pem | P-256 leaf, P-384 Int, P-521 Root; all signed with SHA-512 | ECDSA P-521, P-384 with SHA-512 |
| p521-sha256-chain.pem | P-384 leaf, P-521 Root; SHA-256 | digest shorter than half the P-521 field |
| ecdsa-mixed-hashes.pem | P-256 leaf (SHA-224 by P-384), P-384 Int, P-256 Root (SHA-384) | any curve x any hash |
| ed25519-chain.pem | leaf, Root | Ed25519 |
| sm2-chain.pem | leaf, Root; SM2-with-SM3, signer id 1234567812345678 | SM2 default id |
| sm2-chain-empty-id.pem | leaf signed with the empty id, Root | SM2 empty id (OpenSSL 3.0 default without distid) |
| pathlen-violation.pem | leaf, Int, Root with pathlen:0 | pathLenConstraint violated |
| ca-without-keycertsign.pem | leaf, Int (keyUsage digitalSignature only), Root | CA without keyCertSign |
| issuer-not-ca.pem | leaf, Int with CA:FALSE, Root | issuer is not a CA |
| leaf-eku-clientauth.pem | leaf (EKU clientAuth only), Int B, Int A, Root | leaf without serverAuth |
| mutual-issuer-cycle.pem | leaf, Cycle A (issued by B), Cycle B (issued by A) | issuer loop |
| csr-rsa.pem, csr-sm2.pem, csr-sm2-empty-id.pem | PKCS#10 requests | CSR self-signature (SM2 with default / empty id) |
EOF_README

echo "wrote $(ls "$OUT"/*.pem | wc -l) bundles to $OUT"

# The ELB requests that upload these bundles (20-requests.sh, which runs first, clears
# that folder). Certificate only, except chain-incomplete: the leaf alone, with its key.
python3 - "$ROOT_DIR/corpus/huawei-elb-v3" <<'EOF_REQUESTS'
import json, sys, os
out = sys.argv[1]
bundles = {
    "fail-chain-broken-cycle": "mutual-issuer-cycle.pem",
    "fail-chain-broken-forged-link": "forged-link.pem",
    "fail-chain-broken-sm2-empty-id": "sm2-chain-empty-id.pem",
    "fail-chain-ca-usage-keycertsign": "ca-without-keycertsign.pem",
    "fail-chain-ca-usage-not-ca": "issuer-not-ca.pem",
    "fail-chain-order-shuffled": "shuffled-5chain.pem",
    "fail-chain-pathlen": "pathlen-violation.pem",
    "fail-chain-root-included": "rsa-4chain-in-order.pem",
    "fail-leaf-server-auth": "leaf-eku-clientauth.pem",
}
docs = {
    name: {"certificate": {"name": "chain-fixture", "type": "server",
                           "certificate": {"file": "../chains/" + pem}}}
    for name, pem in bundles.items()
}
# A leaf sent alone is chain-untrusted's (90-trust.sh writes that request);
# chain-incomplete speaks only where the client verdict cannot be computed (SM2).
for name, doc in docs.items():
    with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, indent=2) + "\n")
EOF_REQUESTS
