#!/usr/bin/env bash
# Request fixtures for the document-level rules every profile has: `field-type` (a
# field's JSON type), `field-unknown` (a key the API does not define) and
# `duplicate-key` (a key written twice in one object), for all five profiles, and their
# table in corpus/README.md (between the "fields" markers).
#
# Run through corpus/generate.sh after 20-requests.sh (which empties the Huawei
# folders) and 60-esri.sh (the archives and CSRs used here). No keys are made here: the
# fixtures reference existing materials. Documents with a repeated key are written as
# text, since a JSON library would merge the keys.
set -euo pipefail

python3 - <<'PY'
import json, os

PASSWORD = {"env": "CERTGATE_TEST_PASSWORD"}
ARCHIVE = "../esri/materials/rsa-chain-openssl3.p12"
rows = []

def write(profile, name, shows, expect, doc=None, raw=None):
    text = raw if raw is not None else json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    json.loads(text)  # valid JSON (a repeated key is valid JSON)
    with open(f"corpus/{profile}/{name}.json", "w", encoding="utf-8", newline="") as f:
        f.write(text)
    rows.append((profile, name, shows, expect))

def ref(path):
    return {"file": path}

# ---------------------------------------------------------------- huawei-elb-v3
ELB = "huawei-elb-v3"
write(ELB, "fail-field-type-name-number", "`name` is the number 2026", "field-type (/certificate/name)",
      {"certificate": {"name": 2026, "description": "name given as a number"}})
write(ELB, "fail-field-type-domain-list", "`domain` is a JSON list of names, not one comma-separated string",
      "field-type (/certificate/domain)",
      {"certificate": {"name": "web", "domain": ["www.example.com", "example.com"]}})
write(ELB, "fail-field-type-description-boolean", "`description` is false", "field-type (/certificate/description)",
      {"certificate": {"name": "web", "description": False}})
write(ELB, "fail-field-type-certificate-not-object", "the `certificate` wrapper is a string, not an object",
      "field-type (/certificate)", {"certificate": "web"})
write(ELB, "fail-field-type-private-key-list", "`private_key` is a list holding the key file (its value is not shown)",
      "field-type (/certificate/private_key)",
      {"certificate": {"name": "web", "certificate": ref("../materials/server-chain.pem"),
                       "private_key": [ref("../materials/server.key")], "domain": "www.example.com"}})
write(ELB, "fail-field-unknown-domian", "`domian` for `domain` (did you mean)", "field-unknown (/certificate/domian)",
      {"certificate": {"name": "web", "domian": "www.example.com"}})
# `enc_certificate` is a field of the 2026-01-20 document: unknown in the 2024-07-11 one.
write(ELB, "fail-field-unknown-enc-certificate", "`enc_certificate`, a field this document does not define",
      "field-unknown (/certificate/enc_certificate)",
      {"certificate": {"name": "web", "enc_certificate": ref("../materials/sm2-enc-chain.pem")}})
write(ELB, "fail-duplicate-key-name", "`name` written twice inside `certificate`", "duplicate-key (/certificate/name)",
      raw='{\n  "certificate": {\n    "name": "web-old",\n    "description": "two names",\n    "name": "web-new"\n  }\n}\n')

# ---------------------------------------------------------------- huawei-apic-v2
APIC = "huawei-apic-v2"
def apic(**fields):
    doc = {"name": "cert_demo", "cert_content": ref("../materials/server-chain.pem"),
           "private_key": ref("../materials/server.key")}
    doc.update(fields)
    return {k: v for k, v in doc.items() if v is not None}
write(APIC, "fail-field-type-name-number", "`name` is the number 2026", "field-type (/name)", apic(name=2026))
write(APIC, "fail-field-type-type-object", "`type` is an object", "field-type (/type)", apic(type={"scope": "global"}))
write(APIC, "fail-field-unknown-cert-contents", "`cert_contents` for `cert_content` (did you mean)",
      "field-unknown (/cert_contents)",
      apic(cert_content=None, cert_contents=ref("../materials/server-chain.pem")))
write(APIC, "fail-duplicate-key-private-key", "`private_key` written twice: another key, then the right one",
      "duplicate-key (/private_key)",
      raw='{\n  "name": "cert_demo",\n  "cert_content": {"file": "../materials/server-chain.pem"},\n'
          '  "private_key": {"file": "../materials/other-rsa.key"},\n'
          '  "private_key": {"file": "../materials/server.key"}\n}\n')

# ---------------------------------------------------------------- esri-portal-update
UPD = "esri-portal-update"
write(UPD, "fail-field-type-f-number", "`f` is the number 1", "field-type (/f)",
      {"file": ARCHIVE, "password": PASSWORD, "f": 1})
write(UPD, "fail-field-unknown-pasword", "`pasword` for `password` (did you mean)", "field-unknown (/pasword)",
      {"file": ARCHIVE, "pasword": PASSWORD, "f": "json"})
write(UPD, "fail-duplicate-key-f", "`f` written twice", "duplicate-key (/f)",
      raw='{\n  "file": "%s",\n  "password": {"env": "CERTGATE_TEST_PASSWORD"},\n  "f": "html",\n  "f": "json"\n}\n' % ARCHIVE)
write(UPD, "pass-token", "the session `token` parameter (a secret: never shown)", "no error",
      {"file": ARCHIVE, "password": PASSWORD, "f": "json", "token": PASSWORD})

# ---------------------------------------------------------------- esri-portal-import
IMP = "esri-portal-import"
write(IMP, "fail-field-type-import-chain-number", "`importCertificateChain` is the number 1", "field-type (/importCertificateChain)",
      {"alias": "portal", "file": ARCHIVE, "password": PASSWORD, "f": "json", "importCertificateChain": 1})
write(IMP, "fail-field-unknown-import-chain-case", "`importcertificatechain` (names are case-sensitive)",
      "field-unknown (/importcertificatechain)",
      {"alias": "portal", "file": ARCHIVE, "password": PASSWORD, "f": "json", "importcertificatechain": "false"})
write(IMP, "fail-duplicate-key-alias", "`alias` written twice", "duplicate-key (/alias)",
      raw='{\n  "alias": "portal",\n  "file": "%s",\n  "password": {"env": "CERTGATE_TEST_PASSWORD"},\n  "alias": "portal-2026"\n}\n' % ARCHIVE)
write(IMP, "pass-token", "the session `token` parameter (a secret: never shown)", "no error",
      {"alias": "portal", "file": ARCHIVE, "password": PASSWORD, "f": "json", "token": PASSWORD})

# ---------------------------------------------------------------- esri-portal-csr
CSR = "esri-portal-csr"
csr = open("corpus/esri/materials/csr-rsa.pem", encoding="ascii").read()
write(CSR, "fail-field-type-csr-lines", "the CSR as a JSON list of its lines", "field-type (/certificateSigningRequest)",
      {"certificateSigningRequest": csr.splitlines(), "f": "pjson"})
write(CSR, "fail-field-unknown-csr-key", "`certificateSignRequest` for `certificateSigningRequest` (did you mean)",
      "field-unknown (/certificateSignRequest)", {"certificateSignRequest": csr})
write(CSR, "fail-duplicate-key-csr", "two `certificateSigningRequest` keys (two responses pasted together)",
      "duplicate-key (/certificateSigningRequest)",
      raw='{\n  "certificateSigningRequest": %s,\n  "certificateSigningRequest": %s\n}\n'
          % (json.dumps(open("corpus/esri/materials/csr-ec.pem", encoding="ascii").read()), json.dumps(csr)))

# ---------------------------------------------------------------- README table
readme = "corpus/README.md"
begin = "<!-- BEGIN fields fixtures (generated by corpus/gen/80-fields.sh) -->"
end = "<!-- END fields fixtures -->"
lines = [begin, "", f"### Document-level rules, every profile ({len(rows)} fixtures)", "",
         "| fixture | shows | expected |", "|---|---|---|"]
for profile, name, shows, expect in sorted(rows):
    lines.append(f"| `{profile}/{name}.json` | {shows.replace('|', chr(92) + '|')} | {expect} |")
lines += ["", end]
body = "\n".join(lines)
text = open(readme, encoding="utf-8").read()
if begin in text and end in text:
    text = text[:text.index(begin)] + body + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n" + body + "\n"
open(readme, "w", encoding="utf-8").write(text)
print(f"fields: {len(rows)} fixtures")
PY
