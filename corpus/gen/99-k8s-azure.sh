#!/usr/bin/env bash
# Request fixtures for kubernetes-tls-secret (a Secret of type kubernetes.io/tls, as
# JSON and YAML manifests) and azure-appservice-pfx (the ARM certificate resource's
# base64 `pfxBlob`). Kubernetes: both sides of every decoding diagnosis, each required
# key, `stringData` winning over `data`, and a two-document stream (batch/). The
# Kubernetes fixtures embed the materials of 10-materials.sh (test keys) as base64.
# Run from the repository root: `bash corpus/gen/99-k8s-azure.sh` (python3, openssl).
set -euo pipefail
PYTHONPATH=corpus/gen python3 - <<'PY'
import base64, os

from fixtures import read, writer

out = "corpus/kubernetes-tls-secret"
os.makedirs(out + "/batch", exist_ok=True)
write_json, _ = writer(out)

def b64(text):
    data = text.encode() if isinstance(text, str) else text
    return base64.b64encode(data).decode()

def der_of(pem):
    body = "".join(l for l in pem.splitlines() if l and not l.startswith("-----"))
    return base64.b64decode(body)

CHAIN = read("server-chain.pem")
KEY = read("server.key")

def secret(data=None, string_data=None, type_="kubernetes.io/tls", name="web-tls"):
    s = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name}}
    if type_ is not None:
        s["type"] = type_
    if data is not None:
        s["data"] = data
    if string_data is not None:
        s["stringData"] = string_data
    return s

def typical_data(**over):
    d = {"tls.crt": b64(CHAIN), "tls.key": b64(KEY)}
    for k, v in over.items():
        k = k.replace("_", ".")
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return d

def block(text, indent="    "):
    return "|\n" + "".join(indent + l + "\n" for l in text.rstrip("\n").split("\n"))

def wrap(s, width=76):
    return "\n".join(s[i:i + width] for i in range(0, len(s), width))

def yaml_secret(body, type_="kubernetes.io/tls", name="web-tls"):
    head = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n"
    if type_ is not None:
        head += f"type: {type_}\n"
    return head + body

def write_yaml(name, text, folder=out):
    with open(os.path.join(folder, name + ".yaml"), "w") as f:
        f.write(text)

# Passing: JSON and YAML, `data` and `stringData`, with and without ca.crt.
write_json("pass-typical", secret(typical_data()))
write_yaml("pass-typical", yaml_secret(
    "data:\n  tls.crt: " + block(wrap(b64(CHAIN))) + "  tls.key: " + block(wrap(b64(KEY)))))
write_yaml("pass-stringdata", yaml_secret(
    "stringData:\n  tls.crt: " + block(CHAIN) + "  tls.key: " + block(KEY)))
write_json("pass-with-ca-crt", secret(typical_data(ca_crt=b64(read("root-ca.pem")))))
# stringData wins: the data value (encoded twice) is not what the Secret holds.
write_json("pass-stringdata-wins", secret(
    typical_data(tls_crt=b64(b64(CHAIN))), {"tls.crt": CHAIN}))

# The API server refuses these.
write_json("fail-field-required-tls-key", secret(typical_data(tls_key=None)))
write_yaml("fail-field-required-tls-crt", yaml_secret("data:\n  tls.key: " + b64(KEY) + "\n"))
spaced = b64(CHAIN)
write_json("fail-data-base64-space", secret(typical_data(tls_crt=spaced[:64] + " " + spaced[64:])))
write_json("fail-data-base64-truncated", secret(typical_data(tls_crt=b64(CHAIN)[:-1])))
write_json("fail-data-base64-pem-text", secret(typical_data(tls_key=KEY)))
write_json("fail-data-base64-url-safe", secret(typical_data(
    tls_crt=base64.urlsafe_b64encode(CHAIN.encode() + b"\xfb\xff").decode())))

# Accepted by the API server, then the ingress controller fails.
write_json("fail-data-pem-double-encoded", secret(typical_data(tls_crt=b64(b64(CHAIN)))))
write_json("fail-data-pem-der", secret(typical_data(tls_crt=b64(der_of(read("server.pem"))))))
body = "\n".join(l for l in read("server.pem").splitlines() if not l.startswith("-----")) + "\n"
write_json("fail-data-pem-without-armour", secret(typical_data(tls_crt=b64(body))))
write_json("fail-key-mismatch", secret(typical_data(tls_key=b64(read("other-rsa.key")))))
write_yaml("fail-chain-order", yaml_secret(
    "data:\n  tls.crt: " + b64(read("server-chain-reversed.pem")) + "\n  tls.key: " + b64(KEY) + "\n"))
write_json("fail-secret-type-opaque", secret(typical_data(), type_="Opaque"))
write_json("fail-secret-type-required-missing", secret(typical_data(), type_=None))

# A stream of two Secrets: a batch, each document reported with its index.
write_yaml("two-secrets", "# two TLS Secrets\n---\n" + yaml_secret(
    "data:\n  tls.crt: " + b64(CHAIN) + "\n  tls.key: " + b64(KEY) + "\n", name="good")
    + "---\n" + yaml_secret(
    "data:\n  tls.crt: " + b64(CHAIN) + "\n", name="no-key"), folder=out + "/batch")
PY
echo "corpus/kubernetes-tls-secret: requests written"

# azure-appservice-pfx: archives made here from the materials of 10-materials.sh, then
# embedded as base64 `pfxBlob`s. 3DES as App Service documents it; AES-256 (OpenSSL 3's
# default); a 1024-bit key; a client certificate (no serverAuth).
az=corpus/azure-appservice-pfx
m=corpus/materials
mkdir -p "$az"
pw=pass:certgate-test
tdes=(-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg SHA1)
openssl pkcs12 -export "${tdes[@]}" -inkey $m/server.key -in $m/server-chain.pem -passout $pw -out $az/legacy-3des.pfx
openssl pkcs12 -export -inkey $m/server.key -in $m/server-chain.pem -passout $pw -out $az/aes.pfx
openssl pkcs12 -export "${tdes[@]}" -inkey $m/rsa1024.key -in $m/rsa1024-chain.pem -passout $pw -out $az/rsa1024.pfx
openssl pkcs12 -export "${tdes[@]}" -inkey $m/client-leaf.key -in $m/client-leaf-chain.pem -passout $pw -out $az/client-leaf.pfx
openssl pkcs12 -export "${tdes[@]}" -inkey $m/server.key -in $m/server.pem -passout $pw -out $az/leaf-only.pfx
PYTHONPATH=corpus/gen python3 - <<'PY'
import base64

from fixtures import blob, writer

out = "corpus/azure-appservice-pfx"
write, _ = writer(out)

def body(pfx="legacy-3des.pfx", password="certgate-test", pfx_blob=None):
    props = {"pfxBlob": pfx_blob if pfx_blob is not None else blob(out, pfx)}
    if password is not None:
        props["password"] = password
    return {"location": "westeurope", "properties": props}

write("pass-typical", body())
write("fail-pkcs12-cipher-aes", body("aes.pfx"))
write("fail-weak-key-rsa1024", body("rsa1024.pfx"))
write("fail-leaf-server-auth-client", body("client-leaf.pfx"))
write("fail-chain-incomplete-leaf-only", body("leaf-only.pfx"))
write("fail-field-required-password", body(password=None))
write("fail-pkcs12-password-wrong", body(password="not-the-password"))
write("fail-pfx-base64-url-safe", body(pfx_blob=blob(out, "legacy-3des.pfx").replace("+", "-").replace("/", "_") + "-"))
write("fail-pfx-base64-double-encoded", body(pfx_blob=base64.b64encode(blob(out, "legacy-3des.pfx").encode()).decode()))
PY
echo "corpus/azure-appservice-pfx: archives and requests written"
