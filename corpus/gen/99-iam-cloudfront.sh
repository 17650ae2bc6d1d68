#!/usr/bin/env bash
# aws-iam-upload with a `Path` starting `/cloudfront/` (a certificate for CloudFront):
# both sides of CloudFront's key list (key-algorithm: RSA up to 4096 bits or EC P-256)
# and of its "no root in the chain" (chain-root-included), and the same uploads under
# other paths, where neither rule applies. No keys are made: the requests name the
# materials of 10-materials.sh and the issuers.pem of 98-aws-gcp.sh; the one text
# written (the issuers followed by the test root) is built from those materials.
# Run from the repository root: `bash corpus/gen/99-iam-cloudfront.sh` (python3).
set -euo pipefail
PYTHONPATH=corpus/gen python3 - <<'PY'
from fixtures import edit, local, read, ref, writer

write, material = writer("corpus/aws-iam-upload")
material("issuers-with-root.pem", read("int2-ca.pem") + read("int1-ca.pem") + read("root-ca.pem"))

def cloudfront(**over):
    return edit({"Path": "/cloudfront/test/", "ServerCertificateName": "web-2026",
                 "CertificateBody": ref("server.pem"), "PrivateKey": ref("server.key"),
                 "CertificateChain": local("issuers.pem")}, over)

p384 = dict(CertificateBody=ref("ec-p384.pem"), PrivateKey=ref("ec-p384.key"))
with_root = dict(CertificateChain=local("issuers-with-root.pem"))

# RSA-2048, issuers without their root.
write("pass-cloudfront-typical", cloudfront())
write("pass-key-algorithm-ec-p256-cloudfront",
      cloudfront(CertificateBody=ref("ec-p256.pem"), PrivateKey=ref("ec-p256.key")))
write("fail-key-algorithm-cloudfront-p384", cloudfront(**p384))
write("fail-key-algorithm-cloudfront-ed25519",
      cloudfront(CertificateBody=ref("ed25519.pem"), PrivateKey=ref("ed25519.key")))
write("pass-key-algorithm-p384-outside-cloudfront", cloudfront(Path="/", **p384))
write("pass-key-algorithm-p384-no-path", cloudfront(Path=None, **p384))
write("pass-key-algorithm-p384-cloudfront-not-first", cloudfront(Path="/web/cloudfront/", **p384))
write("fail-chain-root-included-cloudfront", cloudfront(**with_root))
write("pass-chain-root-included-outside-cloudfront", cloudfront(Path="/", **with_root))
print("corpus/aws-iam-upload: CloudFront requests written")
PY
