#!/usr/bin/env bash
# Request fixtures for alibaba-clb-upload, alibaba-cas-upload and tencent-ssl-upload:
# both sides of each documented limit, each required field, the PEM line layout (CLB:
# 64-column lines, no spaces or blank lines; Tencent: no blank lines) and the key
# encoding (CLB: PKCS#1 only). No keys are made: the requests name the materials of
# 10-materials.sh, and the damaged PEM files (rewrapped, spaced, blank lines) are derived
# from them into each target's materials/ folder.
# Run from the repository root: `bash corpus/gen/99-ali-tencent.sh` (python3).
set -euo pipefail
PYTHONPATH=corpus/gen python3 - <<'PY'
import json, os, subprocess

from fixtures import MATERIALS, edit, read, ref

def blocks(text):
    """The PEM blocks of a text, each as its list of lines."""
    out, cur = [], None
    for line in text.splitlines():
        if line.startswith("-----BEGIN "):
            cur = [line]
        elif cur is not None:
            cur.append(line)
            if line.startswith("-----END "):
                out.append(cur)
                cur = None
    return out

def rewrap(text, width):
    out = []
    for b in blocks(text):
        body = "".join(b[1:-1])
        out.append(b[0])
        out.extend(body[i:i + width] for i in range(0, len(body), width))
        out.append(b[-1])
    return "\n".join(out) + "\n"

def writer(out):
    os.makedirs(os.path.join(out, "materials"), exist_ok=True)

    def material(name, text):
        with open(os.path.join(out, "materials", name), "w", newline="") as f:
            f.write(text)
        return {"file": "materials/" + name}

    def write(name, doc=None, raw=None):
        text = raw if raw is not None else json.dumps(doc, indent=2) + "\n"
        with open(os.path.join(out, name + ".json"), "w") as f:
            f.write(text)

    return material, write

def with_(base, **over):
    return edit(base, over)

def duplicate(base, key, value):
    # A repeated key is valid JSON text, which json.dumps cannot write.
    return json.dumps(base, indent=2)[:-2] + ',\n  "%s": %s\n}\n' % (key, json.dumps(value))

chain = read("server-chain.pem")
key1 = read("server-pkcs1.key")
# The other RSA key in PKCS#1 (a conversion, not a new key): only the pair is wrong.
other_pkcs1 = subprocess.check_output(
    ["openssl", "pkey", "-in", os.path.join(MATERIALS, "other-rsa.key"), "-traditional"], text=True)

# --- alibaba-clb-upload -----------------------------------------------------------------
material, write = writer("corpus/alibaba-clb-upload")
clb = {"RegionId": "cn-hangzhou", "ServerCertificateName": "web-2026",
       "ServerCertificate": ref("server-chain.pem"), "PrivateKey": ref("server-pkcs1.key")}
write("pass-typical", clb)
write("pass-name-pattern-80", with_(clb, ServerCertificateName="w" * 80))
write("fail-name-pattern-81", with_(clb, ServerCertificateName="w" * 81))
write("pass-name-pattern-1", with_(clb, ServerCertificateName="w"))
write("pass-name-pattern-dots", with_(clb, ServerCertificateName="www.example.com_2026-a"))
write("fail-name-pattern-digit-first", with_(clb, ServerCertificateName="2026-web"))
write("fail-name-pattern-space", with_(clb, ServerCertificateName="web 2026"))
write("fail-field-required-regionid", with_(clb, RegionId=None))
write("fail-private-key-required", with_(clb, PrivateKey=None))
write("pass-alicloud-certificate", {"RegionId": "cn-hangzhou", "AliCloudCertificateId": "775123",
                                    "AliCloudCertificateName": "cloudcertificate",
                                    "AliCloudCertificateRegionId": "cn-hangzhou"})
write("fail-key-encoding-pkcs8", with_(clb, PrivateKey=ref("server.key")))
write("fail-key-encoding-sec1", with_(clb, ServerCertificate=ref("ec-p256-chain.pem"),
                                      PrivateKey=ref("ec-p256-sec1.key")))
write("fail-key-encrypted", with_(clb, PrivateKey=ref("server-encrypted-pkcs1.key")))
# 64 columns is openssl's own width (pass-typical); one column more fails.
write("pass-certificate-line-form-64", with_(clb, ServerCertificate=material("server-chain-64.pem", rewrap(chain, 64))))
write("fail-certificate-line-form-65", with_(clb, ServerCertificate=material("server-chain-65.pem", rewrap(chain, 65))))
write("fail-certificate-line-form-76", with_(clb, ServerCertificate=material("server-chain-76.pem", rewrap(chain, 76))))
write("fail-certificate-line-form-blank-between", with_(clb, ServerCertificate=material(
    "server-chain-blank-between.pem", chain.replace("-----END CERTIFICATE-----\n", "-----END CERTIFICATE-----\n\n", 1))))
write("fail-certificate-line-form-trailing-space", with_(clb, ServerCertificate=material(
    "server-chain-trailing-space.pem", chain.replace("\n", " \n", 3))))
write("pass-key-line-form-64", with_(clb, PrivateKey=material("server-pkcs1-64.key", rewrap(key1, 64))))
write("fail-key-line-form-65", with_(clb, PrivateKey=material("server-pkcs1-65.key", rewrap(key1, 65))))
write("fail-key-line-form-blank", with_(clb, PrivateKey=material("server-pkcs1-blank.key", key1.replace("\n", "\n\n", 2))))
write("fail-key-mismatch", with_(clb, PrivateKey=material("other-rsa-pkcs1.key", other_pkcs1)))
write("fail-field-type-name-number", with_(clb, ServerCertificateName=2026))
write("fail-field-unknown-servercertificatename", with_(clb, ServerCertificatename="web"))
write("fail-duplicate-key-name", raw=duplicate(clb, "ServerCertificateName", "web-2027"))

# --- alibaba-cas-upload -----------------------------------------------------------------
material, write = writer("corpus/alibaba-cas-upload")
os.rmdir("corpus/alibaba-cas-upload/materials")
cas = {"Name": "web_2026", "Cert": ref("server-chain.pem"), "Key": ref("server.key")}
sm = {"Name": "web_sm2_2026", "SignCert": ref("sm2-sign-chain.pem"), "SignPrivateKey": ref("sm2-sign.key"),
      "EncryptCert": ref("sm2-enc-chain.pem"), "EncryptPrivateKey": ref("sm2-enc.key")}
write("pass-typical", cas)
write("pass-pkcs1-key", with_(cas, Key=ref("server-pkcs1.key")))
write("pass-ec-key", with_(cas, Cert=ref("ec-p256-chain.pem"), Key=ref("ec-p256.key")))
write("pass-field-too-long-name-64", with_(cas, Name="n" * 64))
write("fail-field-too-long-name-65", with_(cas, Name="n" * 65))
write("fail-field-required-name", with_(cas, Name=None))
write("fail-private-key-required", with_(cas, Key=None))
write("fail-certificate-required", with_(cas, Cert=None))
write("fail-key-encrypted", with_(cas, Key=ref("server-encrypted-pkcs8.key")))
write("fail-key-mismatch", with_(cas, Key=ref("other-rsa.key")))
write("pass-sm2-set", sm)
for f in ["SignCert", "SignPrivateKey", "EncryptCert", "EncryptPrivateKey"]:
    write("fail-sm-set-incomplete-no-" + f.lower(), with_(sm, **{f: None}))
write("fail-sm-set-incomplete-sign-pair-only", with_(sm, EncryptCert=None, EncryptPrivateKey=None))
write("fail-key-mismatch-sm2-enc-pair", with_(sm, EncryptPrivateKey=ref("sm2-other.key")))
write("fail-sm-field-ignored", dict(cas, **{k: v for k, v in sm.items() if k != "Name"}))
write("fail-field-type-name-number", with_(cas, Name=2026))
write("fail-field-unknown-cert-lowercase", with_(cas, cert="x"))
write("fail-duplicate-key-name", raw=duplicate(cas, "Name", "web_2027"))

# --- tencent-ssl-upload -----------------------------------------------------------------
material, write = writer("corpus/tencent-ssl-upload")
tc = {"CertificatePublicKey": ref("server-chain.pem"), "CertificatePrivateKey": ref("server.key"),
      "Alias": "web-2026", "ProjectId": 0, "Repeatable": False}
write("pass-typical", tc)
write("pass-type-svr", with_(tc, CertificateType="SVR"))
write("pass-type-ca-without-key", {"CertificatePublicKey": ref("root-ca.pem"), "CertificateType": "CA"})
write("fail-private-key-required", with_(tc, CertificatePrivateKey=None))
write("fail-private-key-required-svr", with_(tc, CertificateType="SVR", CertificatePrivateKey=None))
write("fail-field-required-certificatepublickey", with_(tc, CertificatePublicKey=None))
write("fail-certificate-type-enum", with_(tc, CertificateType="svr"))
write("fail-chain-line-form-blank-between", with_(tc, CertificatePublicKey=material(
    "server-chain-blank-between.pem", chain.replace("-----END CERTIFICATE-----\n", "-----END CERTIFICATE-----\n\n", 1))))
write("pass-chain-line-form-blank-after", with_(tc, CertificatePublicKey=material(
    "server-chain-blank-after.pem", chain + "\n\n")))
write("fail-key-encrypted", with_(tc, CertificatePrivateKey=ref("server-encrypted-pkcs8.key")))
write("fail-key-mismatch", with_(tc, CertificatePrivateKey=ref("other-rsa.key")))
write("fail-field-type-projectid-string", with_(tc, ProjectId="0"))
write("fail-field-type-repeatable-string", with_(tc, Repeatable="false"))
write("fail-field-unknown-alias", with_(tc, alias="web"))
write("fail-duplicate-key-alias", raw=duplicate(tc, "Alias", "web-2027"))
PY
echo "corpus/alibaba-clb-upload, corpus/alibaba-cas-upload, corpus/tencent-ssl-upload: requests written"
