#!/usr/bin/env bash
# Request fixtures for huawei-ccm-import (CCM POST /v3/scm/certificates/import) and
# azure-keyvault-import (Key Vault POST {vault}/certificates/{name}/import): both sides
# of each documented limit, each required field, and a typical upload. The CCM requests
# name the materials of 10-materials.sh (and texts padded from them, written beside the
# requests); the Key Vault archives and PEM bundles are made here from those materials
# (the archives' keys are the materials' keys: no new key pair is generated).
# Run from the repository root: `bash corpus/gen/99-ccm-keyvault.sh` (python3, openssl).
set -euo pipefail
python3 - <<'PY'
import json, os

M = "corpus/materials/"
out = "corpus/huawei-ccm-import"
os.makedirs(out, exist_ok=True)

def read(name):
    with open(M + name) as f:
        return f.read()

def ref(name):
    return {"file": "../materials/" + name}

def local(name):
    return {"file": name}

def write(name, doc=None, raw=None):
    text = raw if raw is not None else json.dumps(doc, indent=2) + "\n"
    with open(os.path.join(out, name + ".json"), "w") as f:
        f.write(text)

def material(name, text):
    with open(os.path.join(out, name), "w", newline="") as f:
        f.write(text)

def pad(text, size):
    """`text` followed by newlines up to exactly `size` characters."""
    n = size - len(text)
    assert n >= 0, (size, len(text))
    return text + "\n" * n

def edit(base, over):
    b = dict(base)
    for k, v in over.items():
        if v is None:
            b.pop(k, None)
        else:
            b[k] = v
    return b

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
