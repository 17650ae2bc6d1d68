#!/usr/bin/env bash
# Request fixtures for huawei-elb-v3 revision 2026-01-20 (issue #14, item 1), in
# corpus/huawei-elb-v3@2026-01-20/ (a revision selected as `huawei-elb-v3@2026-01-20`;
# the default stays the seed's 2024-07-11 document): both sides of every limit that
# changed (100/101 names, 10,000/10,001 characters), the SM2 encryption pair of a
# server_sm certificate (with and without it, its limits, its key matched, refused for
# other types) and the new optional fields. One fixture for the default revision
# (server_sm refused) goes to corpus/huawei-elb-v3/.
#
# No keys are made: the requests use the SM2 materials of 10-materials.sh
# (corpus/materials/sm2-*). Run from anywhere: `bash corpus/gen/96-elb-2026.sh`
# (python3). Rewrites only the files named below.
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ROOT_DIR

python3 - <<'PY'
import json, os

root = os.environ["ROOT_DIR"]
new = os.path.join(root, "corpus", "huawei-elb-v3@2026-01-20")
old = os.path.join(root, "corpus", "huawei-elb-v3")
mat = os.path.join(root, "corpus", "materials")


def ref(name):
    return {"file": "../materials/" + name}


def read(name):
    with open(os.path.join(mat, name)) as f:
        return f.read()


def write(folder, stem, description, fields):
    body = {"certificate": {"name": stem, "description": description, **fields}}
    with open(os.path.join(folder, stem + ".json"), "w") as f:
        json.dump(body, f, indent=2, ensure_ascii=False)
        f.write("\n")


def names(count, length=None):
    """`count` distinct host names, comma-separated, `length` characters in all (by
    default as short as they come)."""
    base = ["h%03d.example.com" % i for i in range(count)]
    text = ",".join(base)
    pad = (length or len(text)) - len(text)
    assert pad >= 0, (count, length)
    # Lengthen the names with labels of at most 63 characters, evenly.
    out, i = list(base), 0
    while pad > 0:
        grow = min(pad, 62)
        # Prepend a new label: grow - 1 letters and its dot.
        if grow < 2:
            # A single character left: lengthen the first label by one.
            out[i] = out[i].replace(".", "x.", 1)
            pad -= 1
        else:
            out[i] = "a" * (grow - 1) + "." + out[i]
            pad -= grow
        i = (i + 1) % count
    text = ",".join(out)
    assert len(text) == (length or len(text)) and len(out) == count, (len(text), len(out))
    return text


def pad_to(text, length):
    """The PEM text padded with trailing newlines to exactly `length` characters."""
    assert len(text) <= length
    return text + "\n" * (length - len(text))


sm = {
    "type": "server_sm",
    "certificate": ref("sm2-sign-chain.pem"),
    "private_key": ref("sm2-sign.key"),
    "enc_certificate": ref("sm2-enc-chain.pem"),
    "enc_private_key": ref("sm2-enc.key"),
    "domain": "www.example.com,example.com",
}

# The changed domain limits (no certificate: the names are the point).
write(new, "pass-domain-count-100", "100 comma-separated names", {"domain": names(100)})
write(new, "fail-domain-count-101", "101 comma-separated names", {"domain": names(101)})
write(new, "pass-field-too-long-domain-10000", "100 names, 10,000 characters", {"domain": names(100, 10000)})
write(new, "fail-field-too-long-domain-10001", "100 names, 10,001 characters", {"domain": names(100, 10001)})

# server_sm: the signing pair and the encryption pair.
write(new, "pass-type-server-sm", "SM2 signing pair and encryption pair", sm)
write(new, "pass-type-server-sm-without-enc-pair", "server_sm updating the signing pair only",
      {k: v for k, v in sm.items() if not k.startswith("enc_")})
write(new, "fail-key-mismatch-enc-pair", "enc_private_key is the signing key, not the encryption certificate's",
      {**sm, "enc_private_key": ref("sm2-sign.key")})
enc_cert = read("sm2-enc-chain.pem")
enc_key = read("sm2-enc.key")
write(new, "pass-field-too-long-enc-certificate-65536", "enc_certificate of 65,536 characters",
      {**sm, "enc_certificate": pad_to(enc_cert, 65536)})
write(new, "fail-field-too-long-enc-certificate-65537", "enc_certificate of 65,537 characters",
      {**sm, "enc_certificate": pad_to(enc_cert, 65537)})
write(new, "pass-field-too-long-enc-private-key-8192", "enc_private_key of 8,192 characters",
      {**sm, "enc_private_key": pad_to(enc_key, 8192)})
write(new, "fail-field-too-long-enc-private-key-8193", "enc_private_key of 8,193 characters",
      {**sm, "enc_private_key": pad_to(enc_key, 8193)})

# The encryption pair with another type.
server = {"certificate": ref("server-chain.pem"), "private_key": ref("server.key"),
          "domain": "www.example.com,example.com"}
write(new, "fail-enc-certificate-not-allowed", "enc_certificate with the default type (server)",
      {**server, "enc_certificate": ref("sm2-enc-chain.pem")})
write(new, "fail-enc-private-key-not-allowed", "enc_private_key with type server",
      {**server, "type": "server", "enc_private_key": ref("sm2-enc.key")})
write(new, "fail-enc-certificate-not-allowed-client", "enc_certificate with type client",
      {"type": "client", "certificate": ref("client-ca.pem"), "enc_certificate": ref("sm2-enc-chain.pem")})

# The new optional fields.
write(new, "pass-source-scm", "a CCM certificate", {"source": "scm", "scm_certificate_id": "scs1554192131150"})
write(new, "pass-source-empty", "your own certificate", {"source": ""})
write(new, "fail-source-enum", "source \"SCM\" (case matters)", {"source": "SCM"})
write(new, "pass-protection-status-console", "console protection with its reason",
      {"protection_status": "consoleProtection", "protection_reason": "change window only"})
write(new, "fail-type-enum-sm2", "type \"sm2\" (the document's value is server_sm)", dict(sm, type="sm2"))
write(new, "fail-protection-status-enum", "protection_status \"protected\"", {"protection_status": "protected"})
write(new, "fail-protection-reason-ignored", "a reason without protection",
      {"protection_status": "nonProtection", "protection_reason": "change window only"})

# The old revision refuses the new type.
write(old, "fail-type-enum-server-sm", "server_sm is not a type of the 2024-07-11 document",
      {k: v for k, v in sm.items() if not k.startswith("enc_")})
PY
