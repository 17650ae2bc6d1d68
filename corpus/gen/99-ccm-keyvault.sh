#!/usr/bin/env bash
# Request fixtures for huawei-ccm-import (CCM POST /v3/scm/certificates/import) and
# azure-keyvault-import (Key Vault POST {vault}/certificates/{name}/import): both sides
# of each documented limit, each required field, and a typical upload. The CCM requests
# name the materials of 10-materials.sh (and texts padded from them, written beside the
# requests); the Key Vault archives are made here from those materials and one new
# secp256k1 key (Key Vault's P-256K), written to corpus/azure-keyvault-import/.
# Run from the repository root: `bash corpus/gen/99-ccm-keyvault.sh` (python3, openssl).
set -euo pipefail
PYTHONPATH=corpus/gen python3 - <<'PY'
import json

from fixtures import edit, local, pad, read, ref, writer

out = "corpus/huawei-ccm-import"
write, material = writer(out)

issuers = read("int2-ca.pem") + read("int1-ca.pem")
material("issuers.pem", issuers)
material("issuers-gap.pem", read("int2-ca.pem") + read("root-ca.pem"))
material("certificate-4096.pem", pad(read("server.pem"), 4096))
material("certificate-4097.pem", pad(read("server.pem"), 4097))
material("chain-8192.pem", pad(issuers, 8192))
material("chain-8193.pem", pad(issuers, 8193))
material("key-4096.pem", pad(read("server.key"), 4096))
material("key-4097.pem", pad(read("server.key"), 4097))
material("enc-certificate-4096.pem", pad(read("sm2-enc.pem"), 4096))
material("enc-certificate-4097.pem", pad(read("sm2-enc.pem"), 4097))
material("enc-key-4096.pem", pad(read("sm2-enc.key"), 4096))
material("enc-key-4097.pem", pad(read("sm2-enc.key"), 4097))

def ccm(**over):
    return edit({"name": "web-2026", "certificate": ref("server.pem"),
                 "certificate_chain": local("issuers.pem"),
                 "private_key": ref("server.key")}, over)

def sm(**over):
    return edit(ccm(certificate=ref("sm2-sign.pem"), certificate_chain=ref("sm2-ca.pem"),
                    private_key=ref("sm2-sign.key"), enc_certificate=ref("sm2-enc.pem"),
                    enc_private_key=ref("sm2-enc.key")), over)

write("pass-typical", ccm())
write("pass-chain-in-certificate", ccm(certificate=ref("server-chain.pem"), certificate_chain=None))
write("pass-options", ccm(duplicate_check=True, enterprise_project_id="0"))
write("pass-sm2", sm())
write("pass-name-pattern-3", ccm(name="web"))
write("fail-name-pattern-2", ccm(name="we"))
write("pass-name-pattern-63", ccm(name="n" * 63))
write("fail-name-pattern-64", ccm(name="n" * 64))
write("pass-name-pattern-punctuation", ccm(name="web.example-com_2026"))
write("fail-name-pattern-space", ccm(name="web 2026"))
write("pass-field-too-long-certificate-4096", ccm(certificate=local("certificate-4096.pem")))
write("fail-field-too-long-certificate-4097", ccm(certificate=local("certificate-4097.pem")))
write("pass-field-too-long-certificate-chain-8192", ccm(certificate_chain=local("chain-8192.pem")))
write("fail-field-too-long-certificate-chain-8193", ccm(certificate_chain=local("chain-8193.pem")))
write("pass-field-too-long-private-key-4096", ccm(private_key=local("key-4096.pem")))
write("fail-field-too-long-private-key-4097", ccm(private_key=local("key-4097.pem")))
write("pass-field-too-long-enc-certificate-4096", sm(enc_certificate=local("enc-certificate-4096.pem")))
write("fail-field-too-long-enc-certificate-4097", sm(enc_certificate=local("enc-certificate-4097.pem")))
write("pass-field-too-long-enc-private-key-4096", sm(enc_private_key=local("enc-key-4096.pem")))
write("fail-field-too-long-enc-private-key-4097", sm(enc_private_key=local("enc-key-4097.pem")))
write("fail-certificate-single-chain-twice", ccm(certificate=ref("server-chain.pem")))
write("fail-chain-excludes-leaf", ccm(certificate_chain=ref("server-chain.pem")))
write("fail-chain-broken-missing-middle", ccm(certificate_chain=local("issuers-gap.pem")))
write("fail-chain-untrusted-no-chain", ccm(certificate_chain=None))
write("fail-key-mismatch", ccm(private_key=ref("other-rsa.key")))
write("fail-key-mismatch-enc-pair", sm(enc_private_key=ref("sm2-other.key")))
write("fail-key-encrypted", ccm(private_key=ref("server-encrypted-pkcs8.key")))
write("fail-cert-expired", ccm(certificate=ref("expired.pem")))
write("fail-enc-private-key-required", sm(enc_private_key=None))
write("fail-enc-certificate-required", sm(enc_certificate=None))
write("pass-enterprise-project-id-pattern-uuid",
      ccm(enterprise_project_id="0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"))
write("fail-enterprise-project-id-pattern-upper",
      ccm(enterprise_project_id="0A1B2C3D-4E5F-6A7B-8C9D-0E1F2A3B4C5D"))
write("fail-field-required-name", ccm(name=None))
write("fail-field-required-certificate", ccm(certificate=None))
write("fail-field-required-private-key", ccm(private_key=None))
write("fail-field-type-duplicate-check-string", ccm(duplicate_check="true"))
write("fail-field-unknown-chain", ccm(chain=local("issuers.pem")))
write("fail-duplicate-key-name", raw=json.dumps(ccm(), indent=2)[:-2]
      + ',\n  "name": "web-2027"\n}\n')
PY
echo "corpus/huawei-ccm-import: requests written"

# azure-keyvault-import: archives made here from the materials of 10-materials.sh (OpenSSL
# 3's default protection, AES-256), then embedded as base64 `value`s. The one new key is
# a secp256k1 (Key Vault's P-256K) key with a certificate from the test intermediate.
kv=corpus/azure-keyvault-import
m=corpus/materials
mkdir -p "$kv"
pw=pass:certgate-test
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out $kv/ec-p256k.key 2>/dev/null
openssl req -new -key $kv/ec-p256k.key -subj "/O=certgate corpus/OU=ec-p256k/CN=www.example.com" -out $kv/ec-p256k.csr
# `openssl ca` fixes notBefore/notAfter (openssl 3.0 `x509 -req` has no -not_before).
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
: > "$W/index.txt"
echo 6B5601 > "$W/serial"
cat > "$W/ca.cnf" <<CNF
[ ca ]
default_ca = CA_default
[ CA_default ]
database = $W/index.txt
serial = $W/serial
new_certs_dir = $W
policy = policy_any
email_in_dn = no
[ policy_any ]
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[ v3 ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
openssl ca -batch -config "$W/ca.cnf" -notext -preserveDN -in $kv/ec-p256k.csr \
  -cert $m/int2-ca.pem -keyfile $m/int2-ca.key -md sha256 -extensions v3 \
  -startdate 20250101000000Z -enddate 20400101000000Z -out $kv/ec-p256k.pem 2>"$W/ca.log" \
  || { cat "$W/ca.log" >&2; exit 1; }
cat $kv/ec-p256k.pem $m/int2-ca.pem $m/int1-ca.pem > $kv/ec-p256k-chain.pem
rm $kv/ec-p256k.csr
openssl pkcs12 -export -inkey $m/server.key -in $m/server-chain.pem -passout $pw -out $kv/server.pfx
openssl pkcs12 -export -inkey $m/server.key -in $m/server-chain.pem -passout pass: -out $kv/no-password.pfx
openssl pkcs12 -export -nokeys -in $m/server-chain.pem -passout $pw -out $kv/certificates-only.pfx
openssl pkcs12 -export -inkey $m/ec-p384.key -in $m/ec-p384-chain.pem -passout $pw -out $kv/ec-p384.pfx
openssl pkcs12 -export -inkey $kv/ec-p256k.key -in $kv/ec-p256k-chain.pem -passout $pw -out $kv/ec-p256k.pfx
openssl pkcs12 -export -inkey $m/rsa1024.key -in $m/rsa1024-chain.pem -passout $pw -out $kv/rsa1024.pfx
openssl pkcs12 -export -inkey $m/ec-p224.key -in $m/ec-p224-chain.pem -passout $pw -out $kv/ec-p224.pfx
PYTHONPATH=corpus/gen python3 - <<'PY'
import base64, json

from fixtures import blob, read, writer

out = "corpus/azure-keyvault-import"
write, _ = writer(out)

def body(pfx="server.pfx", pwd="certgate-test", value=None, **extra):
    b = {"value": value if value is not None else blob(out, pfx)}
    if pwd is not None:
        b["pwd"] = pwd
    b.update(extra)
    return b

write("pass-typical", body())
write("pass-policy-pkcs12", body(policy={"secret_props": {"contentType": "application/x-pkcs12"}},
                                 tags={"team": "web"}))
write("pass-no-password", body("no-password.pfx", pwd=""))
write("pass-key-algorithm-ec-p384", body("ec-p384.pfx"))
write("pass-key-algorithm-ec-p256k", body("ec-p256k.pfx"))
write("fail-key-algorithm-rsa1024", body("rsa1024.pfx"))
write("fail-key-algorithm-ec-p224", body("ec-p224.pfx"))
write("fail-pkcs12-password-wrong", body(pwd="not-the-password"))
write("fail-pkcs12-private-key-entry", body("certificates-only.pfx"))
write("fail-pfx-base64-double-encoded", body(value=base64.b64encode(blob(out, "server.pfx").encode()).decode()))
write("fail-pfx-base64-pem-without-content-type",
      body(pwd=None, value=read("server.key") + read("server-chain.pem")))
# The PEM form's fixtures are 99-keyvault-pem.sh's.
write("fail-field-required-value", {"pwd": "certgate-test"})
write("fail-field-type-pwd-number", body(pwd=1234))
write("fail-duplicate-key-pwd", raw=json.dumps(body(), indent=2)[:-2]
      + ',\n  "pwd": "other"\n}\n')
PY
echo "corpus/azure-keyvault-import: archives and requests written"
