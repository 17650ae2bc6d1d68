//! Criterion benchmarks: the engine per profile, PEM splitting, key matching and
//! signature verification per algorithm, certificate parsing and chain analysis, PKCS#12
//! open at 2,048 iterations, and lint (a leaf, a verified chain, a bundle).
//!
//! Short runs: `cargo bench --bench lint -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;
use std::path::Path;

use certgate::Source;
use certgate::harness::internals::key::{ParsedKey, key_matches_spki, parse_private_key};
use certgate::harness::internals::pem::scan;
use certgate::harness::internals::verify::verify_issued_by;
use certgate::{Catalogue, Request};
use certgate::{LintInput as Input, LintOptions as Options, Linter};
use criterion::{Criterion, criterion_group, criterion_main};
use x509_parser::prelude::{FromDer, X509Certificate};

const AT: time::OffsetDateTime = time::macros::datetime!(2026-06-01 0:00 UTC);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(root().join(rel)).expect("fixture")
}

fn text(rel: &str) -> String {
    String::from_utf8(read(rel)).expect("UTF-8")
}

/// A request document with its `{"file"}` references resolved, as the CLI does.
fn request(rel: &str) -> Request {
    let path = root().join(rel);
    let mut r = Request::parse(&text(rel), None).expect("a request");
    for s in r.sources() {
        if let Source::File(p) = &s.source {
            let bytes = std::fs::read(path.parent().unwrap().join(p)).expect("referenced file");
            r.resolve(&s.pointer, bytes);
        }
    }
    r
}

fn engine(c: &mut Criterion) {
    let catalogue = Catalogue::builtin().unwrap();
    let mut g = c.benchmark_group("engine");
    for (profile, doc) in [
        ("huawei-elb-v3", "corpus/huawei-elb-v3/pass-typical.json"),
        ("huawei-apic-v2", "corpus/huawei-apic-v2/pass-ecc.json"),
    ] {
        let p = catalogue.profile(profile).unwrap();
        let r = request(doc);
        g.bench_function(profile, |b| {
            b.iter(|| certgate::check(p, black_box(&r), AT))
        });
    }
    g.bench_function("catalogue-load", |b| b.iter(Catalogue::builtin));
    g.finish();
}

fn pem_split(c: &mut Criterion) {
    let chain = text("corpus/materials/server-chain.pem");
    let bundle: String = std::iter::repeat_n(chain.as_str(), 300).collect();
    let mut g = c.benchmark_group("pem");
    g.bench_function("scan-3-blocks", |b| b.iter(|| scan(black_box(&chain))));
    g.bench_function("scan-900-blocks", |b| b.iter(|| scan(black_box(&bundle))));
    g.bench_function("markers-900-blocks", |b| {
        b.iter(|| certgate::harness::internals::markers(black_box(&bundle)))
    });
    g.finish();
}

fn first_cert_der(rel: &str) -> Vec<u8> {
    scan(&text(rel))
        .blocks
        .first()
        .map(|b| b.der.to_vec())
        .unwrap()
}

fn key_match(c: &mut Criterion) {
    let mut g = c.benchmark_group("key-match");
    for (alg, cert, key) in [
        (
            "rsa-2048",
            "corpus/materials/server.pem",
            "corpus/materials/server.key",
        ),
        (
            "ec-p256",
            "corpus/materials/ec-p256.pem",
            "corpus/materials/ec-p256.key",
        ),
        (
            "ec-p384",
            "corpus/materials/ec-p384.pem",
            "corpus/materials/ec-p384.key",
        ),
        (
            "ed25519",
            "corpus/materials/ed25519.pem",
            "corpus/materials/ed25519.key",
        ),
        (
            "sm2",
            "corpus/materials/sm2-sign.pem",
            "corpus/materials/sm2-sign.key",
        ),
    ] {
        let der = first_cert_der(cert);
        let (_, x) = X509Certificate::from_der(&der).unwrap();
        let spki = x.public_key().raw.to_vec();
        let key_text = text(key);
        let scanned = scan(&key_text);
        let Ok(ParsedKey::Plain(k)) = parse_private_key(&scanned.blocks[0]) else {
            panic!("{key} is a plain key");
        };
        g.bench_function(alg, |b| b.iter(|| key_matches_spki(&k, black_box(&spki))));
        g.bench_function(format!("{alg}-parse-key"), |b| {
            b.iter(|| parse_private_key(black_box(&scanned.blocks[0])))
        });
    }
    g.finish();
}

fn signatures(c: &mut Criterion) {
    let mut g = c.benchmark_group("verify");
    for (alg, file) in [
        ("rsa-2048-sha256", "corpus/materials/server-chain.pem"),
        ("ecdsa-p256-sha256", "corpus/materials/ec-p256-chain.pem"),
        ("ecdsa-p384", "corpus/materials/ec-p384-chain.pem"),
        ("ecdsa-p521", "corpus/chains/p521-chain.pem"),
        ("rsa-pss", "corpus/chains/rsa-pss-chain.pem"),
        ("ed25519", "corpus/chains/ed25519-chain.pem"),
        ("sm2-sm3", "corpus/chains/sm2-chain.pem"),
    ] {
        let s = scan(&text(file));
        let child = s.blocks[0].der.to_vec();
        let issuer = s.blocks[1].der.to_vec();
        let (_, c1) = X509Certificate::from_der(&child).unwrap();
        let (_, c2) = X509Certificate::from_der(&issuer).unwrap();
        assert!(verify_issued_by(&c1, &c2).is_valid(), "{file}");
        g.bench_function(alg, |b| b.iter(|| verify_issued_by(black_box(&c1), &c2)));
    }
    g.finish();
}

/// Certificate parsing and the chain analysis on already-parsed certificates (the
/// submission parses each DER once and hands the result to the analysis).
fn certificates(c: &mut Criterion) {
    let s = scan(&text("corpus/materials/server-chain.pem"));
    let ders: Vec<Vec<u8>> = s.blocks.iter().map(|b| b.der.to_vec()).collect();
    let mut g = c.benchmark_group("certificates");
    g.bench_function("parse-1", |b| {
        b.iter(|| certgate::harness::internals::cert::parse_certificate(black_box(&ders[0])))
    });
    let parsed: Vec<_> = ders
        .iter()
        .map(|d| certgate::harness::internals::cert::parse_certificate_x509(d).unwrap())
        .collect();
    let given: Vec<_> = parsed
        .iter()
        .map(|(info, cert)| {
            Some(certgate::harness::internals::chain::Parsed {
                cert,
                info: Some(info),
            })
        })
        .collect();
    // Self-signatures are remembered per process: the figure is the analysis with the
    // two link signatures, not the root's.
    g.bench_function("chain-analyse-3-parsed", |b| {
        b.iter(|| {
            certgate::harness::internals::chain::analyse_parsed(black_box(&given), given.len())
        })
    });
    g.finish();
}

fn pkcs12_open(c: &mut Criterion) {
    let der = read("corpus/esri/materials/rsa-chain-openssl3.p12");
    let password = secrecy::SecretString::from("certgate-test".to_string());
    let mut g = c.benchmark_group("pkcs12");
    g.sample_size(10);
    g.bench_function("open-2048-iterations", |b| {
        b.iter(|| certgate::harness::internals::pkcs12::open(black_box(&der), &password).unwrap())
    });
    g.finish();
}

fn lint(c: &mut Criterion) {
    let linter = Linter::new().unwrap();
    let opts = Options {
        at: AT,
        password: None,
        report_unrecognised: true,
    };
    let chain = read("corpus/materials/server-chain.pem");
    let leaf = read("corpus/materials/expired.pem");
    let mut g = c.benchmark_group("lint");
    g.bench_function("leaf", |b| {
        b.iter(|| {
            linter.lint_file(
                Input {
                    name: "leaf.pem",
                    bytes: black_box(&leaf),
                },
                &opts,
            )
        })
    });
    // More than 64 certificates: the bundle path (segments linted in parallel, per-
    // certificate rules only). 320 copies of a leaf whose issuer is absent, so no
    // signature is checked, as in benches/compare.sh's bundle.pem.
    let bundle: Vec<u8> = std::iter::repeat_n(leaf.as_slice(), 320)
        .flatten()
        .copied()
        .collect();
    g.sample_size(20);
    g.bench_function("bundle-320-leaves", |b| {
        b.iter(|| {
            linter.lint_file(
                Input {
                    name: "bundle.pem",
                    bytes: black_box(&bundle),
                },
                &opts,
            )
        })
    });
    g.bench_function("chain-3-verifying", |b| {
        b.iter(|| {
            linter.lint_file(
                Input {
                    name: "chain.pem",
                    bytes: black_box(&chain),
                },
                &opts,
            )
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    engine,
    pem_split,
    key_match,
    signatures,
    certificates,
    pkcs12_open,
    lint
);
criterion_main!(benches);
