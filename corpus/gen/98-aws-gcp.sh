#!/usr/bin/env bash
# Request fixtures for aws-acm-import (ACM ImportCertificate), aws-iam-upload (IAM
# UploadServerCertificate) and gcp-compute-sslcertificate (Compute Engine
# sslCertificates.insert): both sides of each documented limit, each required field,
# and a typical upload. No keys are made: the requests name the materials of
# 10-materials.sh, and the few texts built from them (a chain of issuers alone, a PEM
# padded to a byte limit) are written beside the requests.
# Run from the repository root: `bash corpus/gen/98-aws-gcp.sh` (python3).
set -euo pipefail
PYTHONPATH=corpus/gen python3 - <<'PY'
import json

from fixtures import edit, local, pad, read, ref, writer

issuers = read("int2-ca.pem") + read("int1-ca.pem")

# --- aws-acm-import ---------------------------------------------------------------
write, material = writer("corpus/aws-acm-import")
material("issuers.pem", issuers)
material("certificate-32768.pem", pad(read("server.pem"), 32768))
material("certificate-32769.pem", pad(read("server.pem"), 32769))
material("key-5120.pem", pad(read("server.key"), 5120))
material("key-5121.pem", pad(read("server.key"), 5121))

def acm(**over):
    return edit({"Certificate": ref("server.pem"), "PrivateKey": ref("server.key"),
                 "CertificateChain": local("issuers.pem")}, over)

write("pass-typical", acm())
write("pass-no-chain-self-signed", acm(Certificate=ref("selfsigned-not-ca.pem"),
                                       PrivateKey=ref("selfsigned-not-ca.key"),
                                       CertificateChain=None))
write("pass-field-too-long-certificate-32768", acm(Certificate=local("certificate-32768.pem")))
write("fail-field-too-long-certificate-32769", acm(Certificate=local("certificate-32769.pem")))
write("pass-field-too-long-private-key-5120", acm(PrivateKey=local("key-5120.pem")))
write("fail-field-too-long-private-key-5121", acm(PrivateKey=local("key-5121.pem")))
write("fail-certificate-single-whole-chain", acm(Certificate=ref("server-chain.pem")))
write("fail-chain-excludes-leaf", acm(CertificateChain=ref("server-chain.pem")))
material("issuers-gap.pem", read("int2-ca.pem") + read("root-ca.pem"))
write("fail-chain-broken-missing-middle", acm(CertificateChain=local("issuers-gap.pem")))
write("pass-key-algorithm-ec-p521", acm(Certificate=ref("ec-p521.pem"), PrivateKey=ref("ec-p521.key")))
write("pass-key-algorithm-ec-p384", acm(Certificate=ref("ec-p384.pem"), PrivateKey=ref("ec-p384.key")))
write("fail-key-algorithm-ed25519", acm(Certificate=ref("ed25519.pem"), PrivateKey=ref("ed25519.key")))
write("fail-key-algorithm-ec-p224", acm(Certificate=ref("ec-p224.pem"), PrivateKey=ref("ec-p224.key")))
write("fail-field-required-certificate", acm(Certificate=None))
write("fail-field-required-private-key", acm(PrivateKey=None))
write("fail-key-encrypted", acm(PrivateKey=ref("server-encrypted-pkcs8.key")))
write("fail-key-mismatch", acm(PrivateKey=ref("other-rsa.key")))
write("fail-cert-not-yet-valid", acm(Certificate=ref("not-yet-valid.pem"),
                                     PrivateKey=ref("server.key")))
arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
write("pass-arn-pattern-reimport", acm(CertificateArn=arn))
write("fail-arn-pattern-iam-arn", acm(CertificateArn="arn:aws:iam::123456789012:server-certificate/web"))
write("fail-arn-pattern-19", acm(CertificateArn="arn:aws:acm:x:1:abc"))
write("fail-field-type-certificate-arn-number", acm(CertificateArn=123456789012))
write("fail-field-unknown-certificate-body", acm(CertificateBody=ref("server.pem")))
def trailing_space(text):
    """`text` with a space after its second line (the first base64 line)."""
    lines = text.split("\n")
    lines[1] += " "
    return "\n".join(lines)

material("server-trailing-space.pem", trailing_space(read("server.pem")))
material("key-trailing-space.pem", trailing_space(read("server.key")))
material("issuers-trailing-space.pem", trailing_space(issuers))
write("fail-pem-trailing-space-certificate", acm(Certificate=local("server-trailing-space.pem")))
write("fail-pem-trailing-space-private-key", acm(PrivateKey=local("key-trailing-space.pem")))
write("fail-pem-trailing-space-chain", acm(CertificateChain=local("issuers-trailing-space.pem")))
write("fail-duplicate-key-private-key", raw=json.dumps(acm(), indent=2)[:-2]
      + ',\n  "PrivateKey": {"file": "../materials/other-rsa.key"}\n}\n')
print("corpus/aws-acm-import: requests written")

# --- aws-iam-upload ---------------------------------------------------------------
# (server.pem is ASCII: its padded length in characters, IAM's unit, is in bytes too.)
write, material = writer("corpus/aws-iam-upload")
material("issuers.pem", read("int2-ca.pem") + read("int1-ca.pem"))
material("certificate-16384.pem", pad(read("server.pem"), 16384))
material("certificate-16385.pem", pad(read("server.pem"), 16385))
material("certificate-bom.pem", "\ufeff" + read("server.pem"))
material("certificate-latin1-comment.pem", "Zertifikat f\u00fcr www.example.com\n" + read("server.pem"))
material("key-bom.pem", "\ufeff" + read("server.key"))

def iam(**over):
    return edit({"Path": "/", "ServerCertificateName": "web-2026", "CertificateBody": ref("server.pem"),
         "PrivateKey": ref("server.key"), "CertificateChain": local("issuers.pem")}, over)

write("pass-typical", iam())
write("pass-no-path", iam(Path=None))
write("pass-path-pattern-cloudfront", iam(Path="/cloudfront/web/"))
write("fail-path-pattern-no-trailing-slash", iam(Path="/cloudfront"))
write("pass-path-pattern-512", iam(Path="/" + "p" * 510 + "/"))
write("fail-path-pattern-513", iam(Path="/" + "p" * 511 + "/"))
write("pass-name-pattern-128", iam(ServerCertificateName="n" * 128))
write("fail-name-pattern-129", iam(ServerCertificateName="n" * 129))
write("pass-name-pattern-punctuation", iam(ServerCertificateName="web_2026+a=b,c.d@e-f"))
write("fail-name-pattern-space", iam(ServerCertificateName="web 2026"))
write("fail-name-pattern-path-in-name", iam(ServerCertificateName="/cloudfront/web"))
write("pass-field-too-long-certificate-16384", iam(CertificateBody=local("certificate-16384.pem")))
write("fail-field-too-long-certificate-16385", iam(CertificateBody=local("certificate-16385.pem")))
write("fail-field-chars-certificate-bom", iam(CertificateBody=local("certificate-bom.pem")))
write("fail-field-chars-private-key-bom", iam(PrivateKey=local("key-bom.pem")))
write("pass-field-chars-latin-1", iam(CertificateBody=local("certificate-latin1-comment.pem")))
write("fail-chain-excludes-leaf", iam(CertificateChain=ref("server-chain.pem")))
write("fail-cert-not-yet-valid", iam(CertificateBody=ref("not-yet-valid.pem")))
write("fail-field-required-name", iam(ServerCertificateName=None))
write("fail-field-required-certificate-body", iam(CertificateBody=None))
write("fail-field-required-private-key", iam(PrivateKey=None))
write("fail-key-mismatch", iam(PrivateKey=ref("other-rsa.key")))
write("fail-field-type-name-number", iam(ServerCertificateName=2026))
write("fail-field-unknown-certificate", iam(Certificate=ref("server.pem")))
write("fail-duplicate-key-name", raw=json.dumps(iam(), indent=2)[:-2]
      + ',\n  "ServerCertificateName": "web-2027"\n}\n')
print("corpus/aws-iam-upload: requests written")

# --- gcp-compute-sslcertificate ---------------------------------------------------
write, material = writer("corpus/gcp-compute-sslcertificate")

# Five and six certificates: the leaf, its two issuers, then issuers repeated (a bundle
# that was concatenated twice; duplicates are a warning, the count is the error).
chain = read("server-chain.pem")
material("chain-5.pem", chain + read("int2-ca.pem") + read("int1-ca.pem"))
material("chain-6.pem", chain + read("int2-ca.pem") + read("int1-ca.pem") + read("root-ca.pem"))

def gcp(**over):
    return edit({"name": "web-2026", "certificate": ref("server-chain.pem"), "privateKey": ref("server.key")}, over)

write("pass-typical", gcp())
write("pass-described", gcp(description="www.example.com, 2026", type="SELF_MANAGED"))
write("pass-name-pattern-63", gcp(name="n" * 63))
write("fail-name-pattern-64", gcp(name="n" * 64))
write("pass-name-pattern-one-letter", gcp(name="w"))
write("fail-name-pattern-upper-case", gcp(name="Web-2026"))
write("fail-name-pattern-trailing-dash", gcp(name="web-"))
write("fail-name-pattern-digit-first", gcp(name="2026-web"))
write("pass-certificate-count-5", gcp(certificate=local("chain-5.pem")))
write("fail-certificate-count-6", gcp(certificate=local("chain-6.pem")))
write("pass-key-algorithm-ec-p384", gcp(certificate=ref("ec-p384-chain.pem"), privateKey=ref("ec-p384.key")))
write("fail-key-algorithm-ec-p521", gcp(certificate=ref("ec-p521-chain.pem"), privateKey=ref("ec-p521.key")))
write("fail-field-required-name", gcp(name=None))
write("fail-field-required-certificate", gcp(certificate=None))
write("fail-field-required-private-key", gcp(privateKey=None))
write("fail-key-encrypted", gcp(privateKey=ref("server-encrypted-pkcs8.key")))
write("fail-key-mismatch", gcp(privateKey=ref("other-rsa.key")))
write("fail-field-type-name-number", gcp(name=2026))
write("fail-field-unknown-private-key", gcp(private_key=ref("server.key")))
write("fail-duplicate-key-name", raw=json.dumps(gcp(), indent=2)[:-2]
      + ',\n  "name": "web-2027"\n}\n')
print("corpus/gcp-compute-sslcertificate: requests written")
PY
