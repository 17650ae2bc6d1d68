#!/usr/bin/env bash
# Request fixtures for the PEM-based profiles:
#   corpus/huawei-elb-v3/*.json   PUT /v3/{project_id}/elb/certificates/{certificate_id}
#   corpus/huawei-apic-v2/*.json  PUT /v2/{project_id}/apic/certificates/{certificate_id}
# and their tables in corpus/README.md (between the "huawei-pem" markers).
#
# Run through corpus/generate.sh (working directory = repository root), after
# 10-materials.sh. PEM fields mostly use {"file": "../materials/x.pem"} (relative to
# the JSON document); strings are inlined where their shape is the point (one-line PEM,
# CRLF, escapes, quotes, exact lengths).
#
# Naming: pass-<what>.json raises no error-severity finding; fail-<rule-id>[-<detail>].json
# raises <rule-id> (the harness takes the longest catalogue id prefixing the name).
set -euo pipefail

python3 - <<'PY'
import json, os, re, sys

M = "corpus/materials"
REF = "../materials/"
ELB_DIR = "corpus/huawei-elb-v3"
APIC_DIR = "corpus/huawei-apic-v2"

# The seed-002 example response (huawei ELB v3 "Updating a Certificate"), verbatim:
# one-line PEM, SAN DNS:domain.com, valid 2018-07-02 .. 2045-11-17, key matches.
SEED_002_CERT = "-----BEGIN CERTIFICATE-----MIIC4TCCAcmgAwIBAgICEREwDQYJKoZIhvcNAQELBQAwFzEVMBMGA1UEAxMMTXlDb21wYW55IENBMB4XDTE4MDcwMjEzMjU0N1oXDTQ1MTExNzEzMjU0N1owFDESMBAGA1UEAwwJbG9jYWxob3N0MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0FQGzi3ucTX+DNud1p/b4XVM6I3rY7+Cfge5GMLDIUXIHXCfCgp19Z3807yNpLF5U0NqPQZKUrZz3rQeLN9mYiUTJZPutYlFDDbB8CtlgV+eyU9yYJslWx/Bm5kWNPh97B9Yu9pbp2u6zDA99IC4ekKD93KuzxlnLmSle4Y3dbYwk0LpMDL6lfCHKt/W7jaSIAzlsxD+QM6l7QjhWJ+kUx+UkboOISjTe7E9XmDLJR7u8LRAQylYKy4zgnv1tn/Ky09cxLKAFtgoZWQD2FAZJf9F7k1kYNwqITz3CPlLZUUn7yw3nkOOtLMI28IEv0WyYd7CMJQkS1NPJBKNOGfR/wIDAQABozowODAhBgNVHREEGjAYggpkb21haW4uY29thwQKuUvJhwR/AAABMBMGA1UdJQQMMAoGCCsGAQUFBwMBMA0GCSqGSIb3DQEBCwUAA4IBAQA8lMQJxaTey7EjXtRLSVlEAMftAQPG6jijNQuvIBQYUDauDT4W2XUZ5wAnjiOyQ83va672K1G9s8n6xlH+xwwdSNnozaKzC87vwSeZKIOdl9I5I98TGKI6OoDaezmzCwQYtHBMVQ4c7Ml8554Ft1mWSt4dMAK2rzNYjvPRLYlzp1HMnI6hkjPk4PCZwKnha0dlScati9CCt3UzXSNJOSLalKdHErH08Iqd+1BchScxCfk0xNITn1HZZGmI+vbmunok3A2lucI14rnsrcbkGYqxGikySN6B2cRLBDK4Y3wChiW6NVYtVqcx5/mZiYsGDVN+9QBd0eYUHce+77s96i3I-----END CERTIFICATE-----"
SEED_002_KEY = "-----BEGIN PRIVATE KEY-----MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDQVAbOLe5xNf4M253Wn9vhdUzojetjv4J+B7kYwsMhRcgdcJ8KCnX1nfzTvI2ksXlTQ2o9BkpStnPetB4s32ZiJRMlk+61iUUMNsHwK2WBX57JT3JgmyVbH8GbmRY0+H3sH1i72luna7rMMD30gLh6QoP3cq7PGWcuZKV7hjd1tjCTQukwMvqV8Icq39buNpIgDOWzEP5AzqXtCOFYn6RTH5SRug4hKNN7sT1eYMslHu7wtEBDKVgrLjOCe/W2f8rLT1zEsoAW2ChlZAPYUBkl/0XuTWRg3CohPPcI+UtlRSfvLDeeQ460swjbwgS/RbJh3sIwlCRLU08kEo04Z9H/AgMBAAECggEAEIeaQqHCWZk/HyYN0Am/GJSGFa2tD60SXY2fUieh8/HlfvCArftGgMaYWPSNCJRMXB7tPwpQu19esjz4Z/cR2Je4fTLPrffGUsHFgZjv5OQBZVe4a5Hj1OcgJYhwCqPs2d9i2wToYNBbcfgh8lSETq8YaXngBO6vES9LMhHkNKKrciu9YkInNEHu6uRJ5g/eGGX3KQynTvVIhnOVGAJvjTXcoU6fm7gYdHAD6jk9lc9MEGpfYI6AdHIwFZcT/RNAxhP82lg2gUJSgAu66FfDjMwQXKbafKdP3zq4Up8a7AlekrguPtfV1vWklg+bUFhgGaiAEYTpAUN9t2DVIiijgQKBgQDnYMMsaF0r557CM1CTXUqgCZo8MKeV2jf2drlxRRwRl33SksQbzAQ/qrLdT7GP3sCGqvkxWY2FPdFYf8kxGcCeZPcIeZYCQAM41pjtsaM8tVbLWVR8UtGBuQoPSph7JNF3Tm/JH/fbwjpjP7dtJ7n8EzkRUNE6aIMHOFEeych/PQKBgQDmf1bMogx63rTcwQ0PEZ9Vt7mTgKYK4aLriWgTWHXPZxUQaYhpjXo6+lMI6DpExiDgBAkMzJGIvS7yQiYWU+wthAr9urbWYdGZlS6VjoTkF6r7VZoILXX0fbuXh6lm8K8IQRfBpJff56p9phMwaBpDNDrfpHB5utBUxs40yIdp6wKBgQC69Cp/xUwTX7GdxQzEJctYiKnBHKcspAg38zJf3bGSXU/jR4eB1lVQhELGI9CbKSdzKM71GyEImix/T7FnJSHIWlho1qVo6AQyduNWnAQD15pr8KAdXGXAZZ1FQcb3KYa+2fflERmazdOTwjYZ0tGqZnXkEeMdSLkmqlCRigWhGQKBgDak/735uP20KKqhNehZpC2dJei7OiIgRhCS/dKASUXHSW4fptBnUxACYocdDxtY4VhafI7FPMdvGl8ioYbvlHFh+X0Xs9r1S8yeWnHoXMb6eXWmYKMJrAoveLa+2cFm1Agf7nLhA4R4lqm9IpV6SKegDUkR4fxp9pPyodZPqBLLAoGBAJkD4wHW54Pwd4Ctfk9ojHjWB7pQlUYpTZO9dm+4fpCMn9Okf43AE2yAOaAP94GdzdDJkxfciXKcsYr9IIukfaoXgjKR7p1zERiWZuFF63SB4aiyX1H7IX0MwHDZQO38a5gZaOm/BUlGKMWXzuEd3fy+1rCUwzOp9LSjtJYf4ege-----END PRIVATE KEY-----"

# The seed-003 example request (ROMA Connect APIC v2 "Modifying an SSL certificate"), byte for byte.
SEED_003_REQUEST = '''{
  "name" : "cert_demo",
  "private_key" : "'-----BEGIN PRIVATE KEY-----THIS IS YOUR PRIVATE KEY-----END PRIVATE KEY-----'",
  "cert_content" : "'-----BEGIN CERTIFICATE-----THIS IS YOUR CERT CONTENT-----END CERTIFICATE-----'"
}
'''

def ref(name):
    if not os.path.exists(os.path.join(M, name)):
        sys.exit(f"20-requests: missing material {name}")
    return {"file": REF + name}

def read(name):
    with open(os.path.join(M, name), newline="") as f:
        return f.read()

BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----\n(.*?)-----END \1-----\n?", re.S)

def one_line(pem):
    """Every block on one line, blocks concatenated (the ELB example response style)."""
    return "".join(f"-----BEGIN {t}-----{b.replace(chr(10), '')}-----END {t}-----"
                   for t, b in BLOCK.findall(pem))

def blocks(pem):
    return [m.group(0) for m in BLOCK.finditer(pem)]

fixtures = {"huawei-elb-v3": [], "huawei-apic-v2": []}

def emit(profile, name, doc, shows, expect, raw=None):
    d = ELB_DIR if profile == "huawei-elb-v3" else APIC_DIR
    path = os.path.join(d, name + ".json")
    text = raw if raw is not None else json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    json.loads(text)  # must be valid JSON
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    fixtures[profile].append((name, shows, expect))

for d in (ELB_DIR, APIC_DIR):
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.endswith(".json"):
            os.remove(os.path.join(d, f))

def nchars(s):
    return len(s)  # Python str length = Unicode scalar values

# ====================================================================== ELB v3
def elb(fixture, shows, expect, **fields):
    """fields in API order; a value of None drops the field."""
    order = ["name", "description", "certificate", "private_key", "domain", "type"]
    extra = [k for k in fields if k not in order]
    assert not extra, extra
    c = {k: fields[k] for k in order if k in fields and fields[k] is not None}
    emit("huawei-elb-v3", fixture, {"certificate": c}, shows, expect)

def srv(name, shows, expect, cert="server-chain.pem", key="server.key",
        domain="www.example.com,example.com", **kw):
    """A server certificate update: valid chain + key + covered domains unless overridden."""
    f = {"name": kw.pop("cert_name", name), "description": kw.pop("description", shows)}
    f["certificate"] = ref(cert) if isinstance(cert, str) and cert.endswith(".pem") else cert
    f["private_key"] = ref(key) if isinstance(key, str) and key.endswith((".key", ".pem")) and "\n" not in key and "-----" not in key else key
    f["domain"] = domain
    f.update(kw)
    elb(name, shows, expect, **f)

NONE = "none"

# --- whole documents
TYPICAL_DOMAINS = "www.example.com,example.com,shop.example.com,mail.example.com,*.api.example.com"
elb("pass-typical",
    "leaf + 2 intermediates, RSA-2048 PKCS#8 key, 5 domains all in the SAN",
    NONE,
    name="www-example-com-2026", description="Production certificate for www.example.com",
    certificate=ref("server-chain.pem"), private_key=ref("server.key"),
    domain=TYPICAL_DOMAINS, type="server")
elb("pass-seed-example",
    "the seed-002 example response as an update request: one-line PEM cert and key inline, domain.com in its SAN",
    NONE,
    name="My Certificate", description="Update my Certificate.",
    certificate=SEED_002_CERT, private_key=SEED_002_KEY, domain="domain.com")
emit("huawei-elb-v3", "pass-seed-request",
     {"certificate": {"name": "My Certificate", "description": "Update my Certificate."}},
     "the seed-002 example request: name and description only (no certificate, so no key needed)", NONE)
emit("huawei-elb-v3", "fail-field-required",
     {"name": "My Certificate", "description": "Update my Certificate."},
     "fields at top level, the `certificate` wrapper object is missing", "field-required")
emit("huawei-elb-v3", "fail-field-required-empty-body", {},
     "empty body `{}`", "field-required")

# --- length boundaries (inline, counts in Unicode characters)
def pad(text, total):
    assert nchars(text) <= total
    return text + "\n" * (total - nchars(text))

chain = read("server-chain.pem")
for n, kind in ((65536, "pass"), (65537, "fail")):
    v = pad(chain, n); assert nchars(v) == n
    srv(f"{kind}-field-too-long-certificate-{n}",
        f"certificate = valid chain padded with trailing newlines to {n:,} characters",
        NONE if kind == "pass" else "field-too-long (/certificate/certificate)",
        cert=v, description=f"certificate is {n} characters")
key = read("server.key")
for n, kind in ((8192, "pass"), (8193, "fail")):
    v = pad(key, n); assert nchars(v) == n
    srv(f"{kind}-field-too-long-private-key-{n}",
        f"private_key = valid key padded with trailing newlines to {n:,} characters",
        NONE if kind == "pass" else "field-too-long (/certificate/private_key)",
        key=v, description=f"private_key is {n} characters")

def filler(n, seed="certificate-name-"):
    s = (seed * (n // len(seed) + 1))[:n]
    assert nchars(s) == n
    return s

for n, kind in ((255, "pass"), (256, "fail")):
    exp = NONE if kind == "pass" else "field-too-long (/certificate/name)"
    elb(f"{kind}-field-too-long-name-{n}", f"name of {n} ASCII characters", exp,
        name=filler(n))
    zh = filler(n, "证书名称")
    elb(f"{kind}-field-too-long-name-{n}-unicode",
        f"name of {n} Chinese characters ({len(zh.encode())} UTF-8 bytes): counted as characters", exp,
        name=zh)
    exp = NONE if kind == "pass" else "field-too-long (/certificate/description)"
    elb(f"{kind}-field-too-long-description-{n}", f"description of {n} characters", exp,
        name="My Certificate", description=filler(n, "Updated description. "))

# --- domain list
def api_names(lengths):
    """names <label>.api.example.com, all covered by the SAN *.api.example.com"""
    out = []
    for i, L in enumerate(lengths, 1):
        lab = f"node{i:02d}"
        lab = lab + "x" * (L - len(lab))
        assert len(lab) == L
        out.append(lab + ".api.example.com")
    return out

d1024 = ",".join(api_names([18] * 5 + [17] * 25)); assert nchars(d1024) == 1024
d1025 = ",".join(api_names([19] + [18] * 4 + [17] * 25)); assert nchars(d1025) == 1025
srv("pass-field-too-long-domain-1024", "domain of exactly 1,024 characters, 30 names, all covered by *.api.example.com",
    NONE, domain=d1024)
srv("fail-field-too-long-domain-1025", "domain of 1,025 characters, 30 names (the table's \"Maximum: 10000\" conflicts; 1,024 is enforced)",
    "field-too-long (/certificate/domain)", domain=d1025)
d30 = ",".join(api_names([6] * 30)); d31 = ",".join(api_names([6] * 31))
srv("pass-domain-count-30", "30 comma-separated names", NONE, domain=d30)
srv("fail-domain-count-31", "31 comma-separated names", "domain-count", domain=d31)
srv("pass-domain-label-length-63", "a 63-character label", NONE,
    domain="a" * 62 + "1.api.example.com")
srv("fail-domain-label-length-64", "a 64-character label", "domain-label-length",
    domain="a" * 63 + "1.api.example.com")
assert len(("a" * 62 + "1")) == 63
srv("pass-domain-label-chars-hyphen", "hyphen inside a label (`my-host.api.example.com`)", NONE,
    domain="www.example.com,my-host.api.example.com")
srv("fail-domain-label-chars-underscore", "underscore in a label (`my_host.api.example.com`)",
    "domain-label-chars", domain="www.example.com,my_host.api.example.com")
srv("fail-domain-label-chars-leading-hyphen", "label starting with a hyphen (`-www.api.example.com`)",
    "domain-label-chars", domain="-www.api.example.com")
srv("fail-domain-label-chars-trailing-hyphen", "label ending with a hyphen (`www-.api.example.com`)",
    "domain-label-chars", domain="www-.api.example.com")
srv("pass-domain-wildcard", "wildcard as the whole leftmost label: `*.test.com` (the doc's example)", NONE,
    domain="*.test.com,www.test.com")
srv("fail-domain-wildcard-middle", "wildcard in a middle label: `www.*.test.com`", "domain-wildcard",
    domain="www.*.test.com")
srv("fail-domain-wildcard-partial", "partial-label wildcard: `*test.com`", "domain-wildcard",
    domain="*test.com")
srv("fail-domain-wildcard-double", "two wildcard labels: `*.*.test.com`", "domain-wildcard",
    domain="*.*.test.com")
srv("fail-domain-idn", "non-ASCII name `bücher.example.com` (A-label: xn--bcher-kva.example.com)", "domain-idn",
    domain="bücher.example.com")
srv("pass-domain-idn-a-label", "the A-label form `xn--bcher-kva.example.com` (in the SAN)", NONE,
    domain="xn--bcher-kva.example.com")
elb("fail-domain-empty", "domain set to \"\" (409 Conflict if a listener uses the certificate)", "domain-empty (warning)",
    name="My Certificate", domain="")
srv("fail-domain-not-in-certificate", "`www.example.org` is not in the certificate's SAN",
    "domain-not-in-certificate (warning)", domain="www.example.com,www.example.org")
srv("fail-domain-not-in-certificate-wildcard-depth",
    "`a.b.api.example.com` is not covered by `*.api.example.com` (one label only)",
    "domain-not-in-certificate (warning)", domain="a.b.api.example.com")
srv("fail-domain-not-in-certificate-wildcard-parent",
    "`api.example.com` is not covered by `*.api.example.com`",
    "domain-not-in-certificate (warning)", domain="api.example.com")
srv("pass-domain-not-in-certificate-wildcard",
    "`foo.api.example.com` is covered by the SAN `*.api.example.com`", NONE,
    domain="foo.api.example.com,www.example.com")

# --- type, private key presence, client certificates
srv("fail-private-key-required", "type server, certificate without private_key", "private-key-required",
    key=None, type="server")
srv("fail-private-key-required-default-type", "no type (defaults to server), certificate without private_key",
    "private-key-required", key=None)
elb("fail-private-key-not-allowed", "type client (CA certificate) with a private_key", "private-key-not-allowed",
    name="client-ca", certificate=ref("client-ca.pem"), private_key=ref("client-ca.key"), type="client")
elb("pass-client-cert-not-ca", "type client with a CA certificate, no key, no domain", NONE,
    name="client-ca", certificate=ref("client-ca.pem"), type="client")
elb("fail-client-cert-not-ca", "type client with an end-entity (CA:FALSE) client certificate",
    "client-cert-not-ca (warning)",
    name="client-leaf", certificate=ref("client-leaf.pem"), type="client")
elb("fail-domain-ignored", "type client with a domain (no effect)", "domain-ignored (warning)",
    name="client-ca", certificate=ref("client-ca.pem"), domain="www.example.com", type="client")
srv("fail-type-enum", "type \"Server\" (case matters)", "type-enum", type="Server")
srv("pass-type-enum-server", "explicit type \"server\"", NONE, type="server")

# --- chains
srv("pass-chain-depth-11", "11 certificates: leaf + 9 intermediates + root (P-256 CAs)", NONE,
    cert="chain11.pem", key="chain11-leaf.key", domain="www.example.com")
srv("fail-chain-depth-12", "12 certificates: leaf + 10 intermediates + root", "chain-depth",
    cert="chain12.pem", key="chain12-leaf.key", domain="www.example.com")
srv("pass-chain-with-root", "leaf, intermediate 2, intermediate 1, root", NONE, cert="server-chain-with-root.pem")
srv("fail-chain-order", "chain reversed: intermediate 1, intermediate 2, leaf", "chain-order (the key matches the leaf, i.e. the last block)",
    cert="server-chain-reversed.pem")
srv("fail-chain-duplicate", "leaf pasted twice: leaf, leaf, intermediate 2, intermediate 1",
    "chain-duplicate (warning); chain-order/chain-broken only if duplicates are not collapsed first",
    cert="server-chain-duplicate-leaf.pem")
srv("fail-chain-broken-missing-middle", "leaf then intermediate 1: intermediate 2 is missing", "chain-broken",
    cert="server-chain-missing-middle.pem")

# --- PEM syntax
leaf_pem = read("server.pem")
key_pem = read("server.key")
srv("fail-pem-malformed-garbage", "certificate is plain text, no PEM block", "pem-malformed",
    cert="this is not a certificate")
srv("fail-pem-malformed-key-garbage", "private_key is plain text, no PEM block", "pem-malformed",
    key="my private key")
srv("fail-pem-malformed-missing-end", "leaf PEM without its END line", "pem-malformed",
    cert=leaf_pem.replace("-----END CERTIFICATE-----\n", ""), key="server.key")
lines = leaf_pem.split("\n")
lines[3] = lines[3][:20] + "!!!!" + lines[3][24:]
srv("fail-pem-malformed-bad-base64", "leaf PEM with `!!!!` inside the base64 body", "pem-malformed",
    cert="\n".join(lines))
srv("fail-pem-malformed-begin-end-mismatch", "BEGIN CERTIFICATE closed by END PRIVATE KEY", "pem-malformed",
    cert=leaf_pem.replace("-----END CERTIFICATE-----", "-----END PRIVATE KEY-----"))
srv("fail-pem-malformed-placeholder-key", "the doc's placeholder `-----BEGIN PRIVATE KEY-----THIS IS YOUR PRIVATE KEY-----END PRIVATE KEY-----` as key",
    "pem-malformed", key="-----BEGIN PRIVATE KEY-----THIS IS YOUR PRIVATE KEY-----END PRIVATE KEY-----")
srv("fail-pem-malformed-placeholder-cert", "the doc's placeholder `-----BEGIN CERTIFICATE-----THIS IS YOUR CERT CONTENT-----END CERTIFICATE-----` as certificate",
    "pem-malformed", cert="-----BEGIN CERTIFICATE-----THIS IS YOUR CERT CONTENT-----END CERTIFICATE-----")
srv("fail-pem-stray-text-quotes", "seed-003 quoting: `'-----BEGIN ...-----...-----END ...-----'` around a real one-line cert and key",
    "pem-stray-text (warning)", cert="'" + one_line(leaf_pem) + "'", key="'" + one_line(key_pem) + "'")
srv("fail-pem-stray-text-bag-attributes", "`openssl pkcs12 -nodes` output: `Bag Attributes` / `subject=` lines before each block",
    "pem-stray-text (warning)", cert="server-chain-bag-attributes.pem", key="server-bag-attributes.key")
srv("fail-der-malformed-junk", "CERTIFICATE block holding valid base64 of non-DER bytes", "der-malformed",
    cert="der-junk-cert.pem")
srv("fail-der-malformed-truncated", "CERTIFICATE block holding the first 600 bytes of a real certificate", "der-malformed",
    cert="der-truncated-cert.pem")
srv("fail-der-malformed-key", "PRIVATE KEY block holding valid base64 of non-DER bytes", "der-malformed",
    key="der-junk-key.pem")

# PEM shapes that must parse (pem-stray-text may note escapes; no error)
chain_pem = read("server-chain.pem")
srv("pass-pem-one-line", "leaf and key each on one line (`-----BEGIN CERTIFICATE-----MIIE...-----END CERTIFICATE-----`)", NONE,
    cert=one_line(leaf_pem), key=one_line(key_pem))
srv("pass-pem-one-line-chain", "3-certificate chain, all blocks on one line back to back", NONE,
    cert=one_line(chain_pem), key=one_line(key_pem))
srv("pass-pem-crlf", "chain and key with CRLF line ends", NONE,
    cert=chain_pem.replace("\n", "\r\n"), key=key_pem.replace("\n", "\r\n"))
srv("pass-pem-indented", "every line indented by 4 spaces (pasted from YAML/docs)", NONE,
    cert="".join("    " + l + "\n" for l in chain_pem.splitlines()),
    key="".join("    " + l + "\n" for l in key_pem.splitlines()))
srv("pass-pem-escaped-lf", "literal `\\n` escapes instead of newlines (JSON tooling left them in)",
    "none (pem-stray-text warning allowed)",
    cert=chain_pem.replace("\n", "\\n"), key=key_pem.replace("\n", "\\n"))
srv("pass-pem-escaped-crlf", "literal `\\r\\n` escapes instead of newlines",
    "none (pem-stray-text warning allowed)",
    cert=chain_pem.replace("\n", "\\r\\n"), key=key_pem.replace("\n", "\\r\\n"))
srv("pass-pem-several-blocks", "3 blocks separated by blank lines, leading and trailing blank lines", NONE,
    cert="\n" + "\n\n".join(blocks(chain_pem)) + "\n\n", key=key_pem)
srv("pass-pem-no-final-newline", "chain and key without a final newline", NONE,
    cert=chain_pem.rstrip("\n"), key=key_pem.rstrip("\n"))

# --- keys
srv("fail-key-encrypted-pkcs8", "`ENCRYPTED PRIVATE KEY` (PKCS#8, PBES2 AES-256-CBC)", "key-encrypted",
    key="server-encrypted-pkcs8.key")
srv("fail-key-encrypted-legacy", "legacy `RSA PRIVATE KEY` with `Proc-Type: 4,ENCRYPTED` (AES-256-CBC)", "key-encrypted",
    key="server-encrypted-pkcs1.key")
srv("pass-key-mismatch-rsa-pkcs1", "RSA key as PKCS#1 `RSA PRIVATE KEY`", NONE, key="server-pkcs1.key")
srv("fail-key-mismatch-rsa", "RSA leaf with the key of another RSA certificate", "key-mismatch", key="other-rsa.key")
srv("fail-key-mismatch-rsa-cert-ec-key", "RSA leaf with a P-256 key", "key-mismatch", key="ec-p256.key")
for v in ("p256", "p384", "p521"):
    srv(f"pass-key-mismatch-ec-{v}", f"EC {v.upper()} leaf and its PKCS#8 key", NONE,
        cert=f"ec-{v}-chain.pem", key=f"ec-{v}.key")
srv("pass-key-mismatch-ec-p256-sec1", "EC P-256 leaf and its SEC1 `EC PRIVATE KEY`", NONE,
    cert="ec-p256-chain.pem", key="ec-p256-sec1.key")
srv("fail-key-mismatch-ec", "EC P-256 leaf with another P-256 key", "key-mismatch",
    cert="ec-p256-chain.pem", key="other-ec-p256.key")
srv("pass-key-mismatch-ed25519", "Ed25519 leaf and its key", NONE, cert="ed25519-chain.pem", key="ed25519.key")
srv("fail-key-mismatch-ed25519", "Ed25519 leaf with another Ed25519 key", "key-mismatch",
    cert="ed25519-chain.pem", key="other-ed25519.key")
srv("pass-key-mismatch-sm2", "SM2 leaf (+ SM2 CA, SM2-with-SM3) and its key", NONE,
    cert="sm2-enc-chain.pem", key="sm2-enc.key")
srv("fail-key-mismatch-sm2", "SM2 leaf with another SM2 key", "key-mismatch",
    cert="sm2-enc-chain.pem", key="sm2-other.key")

# --- certificate properties
srv("fail-cert-expired", "leaf ended 2026-01-01", "cert-expired", cert="expired-chain.pem")
srv("fail-cert-not-yet-valid", "leaf starts 2027-01-01", "cert-not-yet-valid", cert="not-yet-valid-chain.pem")
srv("fail-cert-expiring-soon", "leaf ends 2026-06-15 (14 days after the evaluation time)", "cert-expiring-soon (warning)",
    cert="expiring-soon-chain.pem")
srv("pass-cert-expiring-soon-2026-08", "leaf ends 2026-08-01 (61 days: not soon)", NONE, cert="ends-2026-08-chain.pem")
srv("fail-weak-key-rsa1024", "RSA-1024 leaf", "weak-key", cert="rsa1024-chain.pem", key="rsa1024.key")
srv("fail-weak-key-ec-p224", "EC P-224 leaf", "weak-key", cert="ec-p224-chain.pem", key="ec-p224.key")
srv("fail-weak-key-ec-p192", "EC P-192 leaf", "weak-key", cert="ec-p192-chain.pem", key="ec-p192.key")
srv("fail-weak-signature-sha1", "leaf signed sha1WithRSAEncryption", "weak-signature", cert="sha1-chain.pem")
srv("fail-weak-signature-md5", "leaf signed md5WithRSAEncryption", "weak-signature", cert="md5-chain.pem")
srv("pass-weak-signature-sha1-root", "SHA-256 leaf under a self-signed SHA-1 root included in the PEM (root signatures are not checked)",
    NONE, cert="sha1-root-chain.pem")
srv("fail-leaf-is-ca", "server leaf with basicConstraints CA:TRUE", "leaf-is-ca (warning)", cert="leaf-ca-chain.pem")
srv("fail-no-san", "server leaf without subjectAltName (CN only); no domain given", "no-san (warning)",
    cert="no-san-chain.pem", domain=None)

# ====================================================================== APIC v2
def apic(fixture, shows, expect, raw=None, **fields):
    order = ["name", "cert_content", "private_key", "type", "instance_id", "trusted_root_ca",
             "algorithm_type", "cert_content_sign", "private_key_sign"]
    extra = [k for k in fields if k not in order]
    assert not extra, extra
    doc = {}
    for k in order:
        if k in fields and fields[k] is not None:
            v = fields[k]
            doc[k] = ref(v) if isinstance(v, str) and (v.endswith(".pem") or v.endswith(".key")) else v
    emit("huawei-apic-v2", fixture, doc, shows, expect, raw=raw)

RSA = dict(name="cert_demo", cert_content="server-chain.pem", private_key="server.key")
SM2 = dict(name="cert_demo", cert_content="sm2-enc.pem", private_key="sm2-enc.key", algorithm_type="SM2",
           cert_content_sign="sm2-sign.pem", private_key_sign="sm2-sign.key")
def w(base, **kw):
    d = dict(base); d.update(kw); return d

apic("pass-rsa", "RSA chain + key, algorithm_type RSA, type global", NONE, **w(RSA, type="global", algorithm_type="RSA"))
apic("pass-algorithm-mismatch-default-rsa", "RSA certificate, algorithm_type absent (default RSA)", NONE, **RSA)
apic("pass-ecc", "EC P-256 chain + key, algorithm_type ECC", NONE,
     name="cert_demo", cert_content="ec-p256-chain.pem", private_key="ec-p256.key", algorithm_type="ECC")
apic("pass-ecc-p384", "EC P-384 chain + key (SEC1 not used), algorithm_type ECC", NONE,
     name="cert_demo", cert_content="ec-p384-chain.pem", private_key="ec-p384.key", algorithm_type="ECC")
apic("pass-sm2", "SM2 encryption cert + key and SM2 signing cert + key, algorithm_type SM2", NONE, **SM2)
apic("pass-sm2-sign-pair-required-chains", "SM2 pair, each certificate followed by the SM2 CA", NONE,
     **w(SM2, cert_content="sm2-enc-chain.pem", cert_content_sign="sm2-sign-chain.pem"))
apic("pass-trusted-root-not-ca", "trusted_root_ca is the RSA root CA", NONE, **w(RSA, trusted_root_ca="root-ca.pem"))
apic("fail-trusted-root-not-ca", "trusted_root_ca is a self-signed CA:FALSE certificate", "trusted-root-not-ca (warning)",
     **w(RSA, trusted_root_ca="selfsigned-not-ca.pem"))

apic("fail-field-required-name", "name missing", "field-required (/name)", **w(RSA, name=None))
apic("fail-field-required-cert-content", "cert_content missing", "field-required (/cert_content)", **w(RSA, cert_content=None))
apic("fail-field-required-private-key", "private_key missing", "field-required (/private_key)", **w(RSA, private_key=None))
apic("fail-field-required-private-key-empty", "private_key is \"\"", "field-required (/private_key)", **w(RSA, private_key=""))
apic("fail-field-required-cert-content-empty", "cert_content is \"\"", "field-required (/cert_content)", **w(RSA, cert_content=""))

for nm, kind, what in (
        ("cer", "fail", "3-chars"),
        ("证书名", "fail", "3-chinese-chars"),
        ("c" + "x" * 49 + "y", "fail", "51-chars"),
        ("1cert_demo", "fail", "leading-digit"),
        ("_cert_demo", "fail", "leading-underscore"),
        ("cert-demo", "fail", "hyphen"),
        ("cert demo", "fail", "space"),
        ("cert", "pass", "4-chars"),
        ("c" + "x" * 48 + "y", "pass", "50-chars"),
        ("证书" * 25, "pass", "50-chinese-chars"),
        ("证书_test", "pass", "chinese"),
        ("cert_demo_2025", "pass", "underscore")):
    if what == "51-chars": assert nchars(nm) == 51
    if what in ("50-chars", "50-chinese-chars"): assert nchars(nm) == 50
    apic(f"{kind}-name-pattern-{what}", f"name `{nm}` ({nchars(nm)} characters, {len(nm.encode())} bytes)",
         NONE if kind == "pass" else "name-pattern", **w(RSA, name=nm))

apic("fail-type-enum", "type \"public\"", "type-enum", **w(RSA, type="public"))
apic("pass-type-enum-global", "type \"global\"", NONE, **w(RSA, type="global"))
apic("fail-instance-id-required", "type instance without instance_id", "instance-id-required", **w(RSA, type="instance"))
apic("pass-instance-id-required", "type instance with instance_id", NONE,
     **w(RSA, type="instance", instance_id="eddc4d25480b4cd6b512f270a1b8b341"))
apic("fail-algorithm-enum", "algorithm_type \"DSA\"", "algorithm-enum", **w(RSA, algorithm_type="DSA"))
apic("fail-algorithm-enum-lowercase", "algorithm_type \"rsa\" (the enum is upper case)", "algorithm-enum",
     **w(RSA, algorithm_type="rsa"))
apic("fail-sm2-sign-pair-required-cert", "algorithm_type SM2 without cert_content_sign", "sm2-sign-pair-required",
     **w(SM2, cert_content_sign=None))
apic("fail-sm2-sign-pair-required-key", "algorithm_type SM2 without private_key_sign", "sm2-sign-pair-required",
     **w(SM2, private_key_sign=None))
apic("fail-algorithm-mismatch-rsa-as-ecc", "RSA certificate, algorithm_type ECC", "algorithm-mismatch",
     **w(RSA, algorithm_type="ECC"))
apic("fail-algorithm-mismatch-ec-as-sm2", "EC P-256 certificate, algorithm_type SM2 (SM2 sign pair given)", "algorithm-mismatch",
     **w(SM2, cert_content="ec-p256-chain.pem", private_key="ec-p256.key"))
apic("fail-algorithm-mismatch-sm2-as-rsa", "SM2 certificate, algorithm_type RSA", "algorithm-mismatch",
     name="cert_demo", cert_content="sm2-enc.pem", private_key="sm2-enc.key", algorithm_type="RSA")
apic("fail-algorithm-mismatch-sm2-default", "SM2 certificate, algorithm_type absent (default RSA)", "algorithm-mismatch",
     name="cert_demo", cert_content="sm2-enc.pem", private_key="sm2-enc.key")
apic("fail-key-mismatch-private-key", "RSA chain with the key of another certificate", "key-mismatch (/private_key)",
     **w(RSA, private_key="other-rsa.key"))
apic("fail-key-mismatch-private-key-sign", "SM2: private_key_sign is another SM2 key", "key-mismatch (/private_key_sign)",
     **w(SM2, private_key_sign="sm2-other.key"))
apic("fail-pem-stray-text", "seed-003 quoting `'-----BEGIN ...-----...-----END ...-----'` around a real one-line cert and key",
     "pem-stray-text (warning)",
     name="cert_demo", cert_content="'" + one_line(leaf_pem) + "'", private_key="'" + one_line(key_pem) + "'")
emit("huawei-apic-v2", "fail-pem-malformed-seed-example", None,
     "the seed-003 example request, byte for byte (placeholder PEM in quotes)", "pem-malformed (/private_key, /cert_content)",
     raw=SEED_003_REQUEST)
apic("fail-key-encrypted", "encrypted PKCS#8 key", "key-encrypted", **w(RSA, private_key="server-encrypted-pkcs8.key"))
apic("fail-cert-expired", "leaf ended 2026-01-01", "cert-expired", **w(RSA, cert_content="expired-chain.pem"))
apic("fail-chain-order", "chain reversed", "chain-order", **w(RSA, cert_content="server-chain-reversed.pem"))

# ====================================================================== README tables
def table(profile):
    rows = ["| fixture | shows | expected |", "|---|---|---|"]
    for name, shows, expect in sorted(fixtures[profile]):
        e = "no error" if expect == NONE else expect
        cell = shows.replace("|", "\\|")
        rows.append(f"| `{name}.json` | {cell} | {e} |")
    return "\n".join(rows)

readme = "corpus/README.md"
begin, end = "<!-- BEGIN huawei-pem fixtures (generated by corpus/gen/20-requests.sh) -->", "<!-- END huawei-pem fixtures -->"
body = (f"{begin}\n\n### `huawei-elb-v3` ({len(fixtures['huawei-elb-v3'])} fixtures, `corpus/huawei-elb-v3/`)\n\n"
        f"{table('huawei-elb-v3')}\n\n"
        f"### `huawei-apic-v2` ({len(fixtures['huawei-apic-v2'])} fixtures, `corpus/huawei-apic-v2/`)\n\n"
        f"{table('huawei-apic-v2')}\n\n{end}")
text = open(readme, encoding="utf-8").read() if os.path.exists(readme) else ""
if begin in text and end in text:
    text = text[:text.index(begin)] + body + text[text.index(end) + len(end):]
else:
    text = text + ("\n" if text else "") + body + "\n"
open(readme, "w", encoding="utf-8").write(text)
print(f"requests: {len(fixtures['huawei-elb-v3'])} ELB, {len(fixtures['huawei-apic-v2'])} APIC fixtures")
PY
