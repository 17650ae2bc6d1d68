# The `openssl ca` set-up shared by the gen scripts that issue certificates (50-chains.sh,
# 92-issuance.sh, 95-limbo-misses.sh). Sourced, never run: corpus/generate.sh runs only
# corpus/gen/*.sh. Every function works in the current directory (the script's scratch
# directory) and reads START and END (openssl ca dates, default 2025-01-01 .. 2045-01-01).

: "${START:=20250101000000Z}"
: "${END:=20450101000000Z}"

# ca_init SERIAL : an empty CA database, serial numbers from SERIAL, and ca.cnf (for
# `openssl ca` and `openssl req`). The policy keeps a subject as the request gives it:
# C, O and OU optional, CN required.
ca_init() {
  mkdir -p newcerts
  : >index.txt
  echo "$1" >serial
  cat >ca.cnf <<'CNF'
[ca]
default_ca = CA_default
[CA_default]
dir = .
database = ./index.txt
new_certs_dir = ./newcerts
serial = ./serial
default_md = sha256
policy = policy_anything
unique_subject = no
copy_extensions = none
email_in_dn = no
[policy_anything]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[req]
distinguished_name = req_dn
prompt = no
[req_dn]
CN = unused
CNF
}

# ca_rsa_cert NAME SUBJECT EXT ISSUER : a new 2048-bit RSA key NAME.key and NAME.crt for
# SUBJECT, signed by ISSUER.crt/ISSUER.key with the extensions of section EXT of ext.cnf.
ca_rsa_cert() {
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null
  openssl req -new -config ca.cnf -key "$1.key" -subj "$2" -sha256 -out "$1.csr"
  openssl ca -batch -config ca.cnf -notext -preserveDN -startdate "$START" -enddate "$END" \
    -in "$1.csr" -out "$1.crt" -cert "$4.crt" -keyfile "$4.key" \
    -extfile ext.cnf -extensions "$3" 2>ca.log || { cat ca.log >&2; return 1; }
}
