#!/usr/bin/env python3
"""OpenSSL's verdict on the limbo cases certgate's tests/limbo.rs holds in scope.

Not a test: run by hand (`python3 tests/data/limbo/openssl-figure.py`) to get the figure the
README puts beside certgate's. Runs the `openssl verify` command line the way limbo's
OpenSSL harness (harness/openssl/main.cpp of x509-limbo) drives the library: X509_STRICT,
PARTIAL_CHAIN, auth level 2, the case's validation time (or no time check when null),
the peer name as host or IP, the sslserver purpose when the case names serverAuth, the
case's max_chain_depth. The scope is tests/limbo.rs's: its OUT_OF_SCOPE features and
prefixes repeated here, its case ids (Scope::Ids rows, ANCHOR_DEFECTS, ISSUANCE) read
from the test.
"""
import gzip, json, os, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_FEATURES = {"has-crl", "has-policy-constraints", "max-chain-depth",
                "rfc5280-incompatible-with-webpki", "pedantic-public-suffix-wildcard",
                "pedantic-webpki-eku", "pedantic-webpki-subscriber-key", "pedantic-rfc5280",
                "name-constraint-dn"}


def listed_ids():
    """The case ids of tests/limbo.rs's ANCHOR_DEFECTS and ISSUANCE tables."""
    src = open(os.path.join(HERE, "..", "..", "limbo.rs"), encoding="utf-8").read()
    ids = set()
    for table in ("const ANCHOR_DEFECTS", "const ISSUANCE"):
        body = src[src.index(table):]
        body = body[:body.index("\n];")]
        ids |= set(re.findall(r'"([a-z0-9]+::[a-z0-9:_-]+)"', body))
    for body in re.findall(r"Scope::Ids\(&\[(.*?)\]\)", src, re.S):
        ids |= set(re.findall(r'"([a-z0-9]+::[a-z0-9:_-]+)"', body))
    return ids


LISTED = listed_ids()


def out_of_scope(t):
    return (t["validation_kind"] == "CLIENT" or t["id"].startswith("crl::")
            or OUT_FEATURES & set(t["features"])
            or t["id"] in LISTED
            or (not t["id"].startswith("webpki::")
                and any(c.startswith("webpki::") for c in t["conflicts_with"])))


def openssl(t, tmp):
    def write(name, pems):
        p = os.path.join(tmp, name)
        with open(p, "w") as f:
            f.write("\n".join(pems))
        return p
    args = ["openssl", "verify", "-x509_strict", "-partial_chain", "-auth_level", "2",
            "-CAfile", write("roots.pem", t["trusted_certs"])]
    if t["untrusted_intermediates"]:
        args += ["-untrusted", write("inter.pem", t["untrusted_intermediates"])]
    if t["validation_time"]:
        from datetime import datetime
        at = datetime.fromisoformat(t["validation_time"])
        args += ["-attime", str(int(at.timestamp()))]
    else:
        args += ["-no_check_time"]
    peer = t["expected_peer_name"]
    if peer:
        args += ["-verify_ip" if peer["kind"] == "IP" else "-verify_hostname", peer["value"]]
    if t["extended_key_usage"] == ["serverAuth"]:
        args += ["-purpose", "sslserver"]
    if t["max_chain_depth"] is not None:
        args += ["-verify_depth", str(t["max_chain_depth"])]
    args.append(write("leaf.pem", [t["peer_certificate"]]))
    r = subprocess.run(args, capture_output=True, text=True, timeout=30)
    return "SUCCESS" if r.returncode == 0 else "FAILURE"


def main():
    cases = json.load(gzip.open(os.path.join(HERE, "limbo-native.json.gz")))["testcases"]
    version = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()
    agree = total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for t in cases:
            if out_of_scope(t):
                continue
            total += 1
            verdict = openssl(t, tmp)
            if verdict == t["expected_result"]:
                agree += 1
            elif "-v" in sys.argv:
                print(f"{t['id']}: limbo {t['expected_result']}, openssl {verdict}")
    print(f"{version}: {agree} of {total} in-scope cases agree with limbo")


if __name__ == "__main__":
    main()
