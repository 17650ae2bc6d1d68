//! [proptest](https://docs.rs/proptest) strategies for request documents at the documented
//! boundaries of each profile (feature `proptest`).
//!
//! A team that tests its own upload client can generate requests that the real API must
//! accept ([`Expect::Accept`]) or reject with a known rule ([`Expect::Reject`]), and feed
//! them to its client (or to a mock of the API) as well as to [`crate::check`]:
//!
//! ```
//! use certgate::strategies::{self, Expect};
//! use proptest::prelude::*;
//! use proptest::test_runner::{Config, TestRunner};
//!
//! let catalogue = certgate::Catalogue::builtin().unwrap();
//! let profile = catalogue.profile("huawei-elb-v3").unwrap();
//! let at = time::macros::datetime!(2026-06-01 0:00 UTC);
//!
//! let mut runner = TestRunner::new(Config::with_cases(8));
//! runner
//!     .run(&strategies::elb_v3(), |case| {
//!         // Send `case.request` with your own client here; the API must answer as
//!         // `case.expect` says. certgate agrees:
//!         let report = certgate::check(profile, &case.to_request(), at);
//!         match case.expect {
//!             Expect::Accept => prop_assert!(!report.has_errors()),
//!             Expect::Reject { rule, .. } => prop_assert!(report.has_errors()
//!                 && report.diagnostics.iter().any(|d| d.rule == rule)),
//!         }
//!         Ok(())
//!     })
//!     .unwrap();
//! ```
//!
//! Every profile has its strategies: [`elb_v3`], [`apic_v2`], or [`valid_for`] /
//! [`past_for`] with any profile id (the Esri Portal ones included: their cases carry the
//! PKCS#12 archive in [`Case::attachments`], as the multipart upload's file part).
//!
//! Certificates and keys come from the committed fixtures in `corpus/materials/` (the
//! leaf's SAN lists `www.example.com`, `example.com`, `*.api.example.com`, ...); no key is
//! generated. They are valid from 2026-01-01 for years, so evaluate at a fixed time such
//! as 2026-06-01. Requests about a text limit carry no certificate, so nothing but the
//! limit is at stake.

// Test support over committed fixtures and generator-controlled sizes, compiled only
// with the `proptest` feature: the library's no-panic lints do not apply here.
#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};

/// The leaf (SAN www.example.com, example.com, ...) and its two intermediates, in order.
pub const SERVER_CHAIN_PEM: &str = include_str!("../corpus/materials/server-chain.pem");
/// The RSA private key of [`SERVER_CHAIN_PEM`]'s leaf (PKCS#8 PEM).
pub const SERVER_KEY_PEM: &str = include_str!("../corpus/materials/server.key");
/// An 11-certificate chain (leaf + 9 intermediates + root, leaf SAN www.example.com).
pub const CHAIN11_PEM: &str = include_str!("../corpus/materials/chain11.pem");
/// The key of [`CHAIN11_PEM`]'s leaf.
pub const CHAIN11_KEY_PEM: &str = include_str!("../corpus/materials/chain11-leaf.key");
/// A 12-certificate chain, one past the ELB limit.
pub const CHAIN12_PEM: &str = include_str!("../corpus/materials/chain12.pem");
/// The key of [`CHAIN12_PEM`]'s leaf.
pub const CHAIN12_KEY_PEM: &str = include_str!("../corpus/materials/chain12-leaf.key");
/// A PKCS#12 archive (RSA key, leaf and its two intermediates; 3DES, SHA-1 MAC) for the
/// Esri Portal profiles; its password is [`PORTAL_P12_PASSWORD`].
pub const PORTAL_P12: &[u8] = include_bytes!("../corpus/esri/materials/rsa-chain-legacy.p12");
/// The password of [`PORTAL_P12`] (a test fixture's, committed with it).
pub const PORTAL_P12_PASSWORD: &str = "certgate-test";
/// A CSR such as Esri Portal's `generateCsr` returns (RSA-2048, SHA-256).
pub const PORTAL_CSR_PEM: &str = include_str!("../corpus/esri/materials/csr-rsa.pem");

/// A documented limit that a generated request sits at or one step past. New limits
/// are added as the profiles grow, hence `non_exhaustive`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Boundary {
    /// ELB: `domain` lists at most 30 names (31 fails, rule `domain-count`).
    ElbDomainCount,
    /// ELB: every label is at most 63 characters (64 fails, `domain-label-length`).
    ElbDomainLabelLength,
    /// ELB: `domain` is at most 1,024 characters (1,025 fails, `field-too-long`).
    ElbDomainChars,
    /// ELB: `name` is at most 255 characters (256 fails, `field-too-long`).
    ElbNameChars,
    /// ELB: `description` is at most 255 characters (256 fails, `field-too-long`).
    ElbDescriptionChars,
    /// ELB: the chain holds at most 11 certificates (12 fails, `chain-depth`).
    ElbChainDepth,
    /// ELB: `private_key` is at most 8,192 characters (8,193 fails, `field-too-long`).
    ElbPrivateKeyChars,
    /// APIC: `name` has 4 to 50 characters (3 and 51 fail, `name-pattern`).
    ApicNameChars,
    /// Esri update: `f` is `html`, `json` or `pjson`, or absent (any other word fails,
    /// `format-param`).
    EsriUpdateFormat,
    /// Esri update: `password` is present (a request without it fails,
    /// `password-required`).
    EsriUpdatePassword,
    /// Esri import: `alias` is present and not empty (`""` fails, `alias-required`).
    EsriImportAlias,
    /// Esri import: `importCertificateChain` is `true` or `false` (as a boolean or a
    /// string) or absent (any other value fails, `import-chain-param`).
    EsriImportChainParam,
    /// Esri CSR: `f` is `html`, `json` or `pjson`, or absent (any other word fails,
    /// `format-param`).
    EsriCsrFormat,
}

impl Boundary {
    /// Every boundary of the `huawei-elb-v3` profile.
    pub const ELB_V3: [Boundary; 7] = [
        Boundary::ElbDomainCount,
        Boundary::ElbDomainLabelLength,
        Boundary::ElbDomainChars,
        Boundary::ElbNameChars,
        Boundary::ElbDescriptionChars,
        Boundary::ElbChainDepth,
        Boundary::ElbPrivateKeyChars,
    ];
    /// Every boundary of the `huawei-apic-v2` profile.
    pub const APIC_V2: [Boundary; 1] = [Boundary::ApicNameChars];
    /// Every boundary of the `esri-portal-update` profile.
    pub const ESRI_UPDATE: [Boundary; 2] =
        [Boundary::EsriUpdateFormat, Boundary::EsriUpdatePassword];
    /// Every boundary of the `esri-portal-import` profile.
    pub const ESRI_IMPORT: [Boundary; 2] =
        [Boundary::EsriImportAlias, Boundary::EsriImportChainParam];
    /// Every boundary of the `esri-portal-csr` profile.
    pub const ESRI_CSR: [Boundary; 1] = [Boundary::EsriCsrFormat];

    /// Every boundary of every profile.
    pub fn all() -> impl Iterator<Item = Boundary> {
        Boundary::ELB_V3
            .into_iter()
            .chain(Boundary::APIC_V2)
            .chain(Boundary::ESRI_UPDATE)
            .chain(Boundary::ESRI_IMPORT)
            .chain(Boundary::ESRI_CSR)
    }

    /// The profile the boundary belongs to.
    pub fn profile(self) -> &'static str {
        match self {
            Boundary::ApicNameChars => "huawei-apic-v2",
            Boundary::EsriUpdateFormat | Boundary::EsriUpdatePassword => "esri-portal-update",
            Boundary::EsriImportAlias | Boundary::EsriImportChainParam => "esri-portal-import",
            Boundary::EsriCsrFormat => "esri-portal-csr",
            Boundary::ElbDomainCount
            | Boundary::ElbDomainLabelLength
            | Boundary::ElbDomainChars
            | Boundary::ElbNameChars
            | Boundary::ElbDescriptionChars
            | Boundary::ElbChainDepth
            | Boundary::ElbPrivateKeyChars => "huawei-elb-v3",
        }
    }

    /// The rule id that a request one step past the boundary raises.
    pub fn rule(self) -> &'static str {
        match self {
            Boundary::ElbDomainCount => "domain-count",
            Boundary::ElbDomainLabelLength => "domain-label-length",
            Boundary::ElbDomainChars
            | Boundary::ElbNameChars
            | Boundary::ElbDescriptionChars
            | Boundary::ElbPrivateKeyChars => "field-too-long",
            Boundary::ElbChainDepth => "chain-depth",
            Boundary::ApicNameChars => "name-pattern",
            Boundary::EsriUpdateFormat | Boundary::EsriCsrFormat => "format-param",
            Boundary::EsriUpdatePassword => "password-required",
            Boundary::EsriImportAlias => "alias-required",
            Boundary::EsriImportChainParam => "import-chain-param",
        }
    }

    /// The JSON Pointer of the field the boundary is about.
    pub fn location(self) -> &'static str {
        match self {
            Boundary::ElbDomainCount | Boundary::ElbDomainChars => "/certificate/domain",
            Boundary::ElbDomainLabelLength => "/certificate/domain",
            Boundary::ElbNameChars => "/certificate/name",
            Boundary::ElbDescriptionChars => "/certificate/description",
            Boundary::ElbChainDepth => "/certificate/certificate",
            Boundary::ElbPrivateKeyChars => "/certificate/private_key",
            Boundary::ApicNameChars => "/name",
            Boundary::EsriUpdateFormat | Boundary::EsriCsrFormat => "/f",
            Boundary::EsriUpdatePassword => "/password",
            Boundary::EsriImportAlias => "/alias",
            Boundary::EsriImportChainParam => "/importCertificateChain",
        }
    }
}

/// What the API must do with a generated request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The request is at the boundary (or inside it): no error.
    Accept,
    /// The request is one step past the boundary: rejected by this rule, and only it.
    /// `location` is the JSON Pointer certgate reports (for domain rules, the pointer of
    /// the field; certgate may add the name's index, e.g. `/certificate/domain/3`).
    Reject {
        rule: &'static str,
        location: &'static str,
    },
}

/// One generated request with the boundary it exercises and the expected outcome.
#[derive(Debug, Clone)]
pub struct Case {
    pub boundary: Boundary,
    pub expect: Expect,
    /// The request body, as the API takes it (`{"file"}` references already inlined;
    /// for a multipart upload, the file part's value is its file name).
    pub request: Value,
    /// The binary parts of a multipart upload (Esri's `file`), by JSON Pointer; empty
    /// for the JSON APIs.
    pub attachments: Vec<(&'static str, &'static [u8])>,
}

impl Case {
    /// The request as [`crate::check`] takes it: the body with the attachments attached.
    pub fn to_request(&self) -> crate::Request {
        // The generated body is always a small JSON object, which `from_value` accepts.
        let mut request = crate::Request::from_value(self.request.clone())
            .expect("a generated request is a JSON object");
        for (pointer, bytes) in &self.attachments {
            request.attach(pointer, bytes.to_vec());
        }
        request
    }
}

/// Valid requests at the boundary, for `boundary`.
pub fn valid(boundary: Boundary) -> BoxedStrategy<Case> {
    at(boundary, false)
}

/// Requests one step past `boundary`, which the API must reject.
pub fn past(boundary: Boundary) -> BoxedStrategy<Case> {
    at(boundary, true)
}

/// Valid `huawei-elb-v3` requests, each at one of its documented boundaries.
pub fn elb_v3_valid() -> BoxedStrategy<Case> {
    union(Boundary::ELB_V3.iter().map(|&b| valid(b)))
}

/// `huawei-elb-v3` requests one step past one of its documented boundaries.
pub fn elb_v3_past() -> BoxedStrategy<Case> {
    union(Boundary::ELB_V3.iter().map(|&b| past(b)))
}

/// Valid `huawei-apic-v2` requests, at the name-length boundaries (4 and 50) and inside.
pub fn apic_v2_valid() -> BoxedStrategy<Case> {
    union(Boundary::APIC_V2.iter().map(|&b| valid(b)))
}

/// `huawei-apic-v2` requests one step past a boundary (a name of 3 or 51 characters).
pub fn apic_v2_past() -> BoxedStrategy<Case> {
    union(Boundary::APIC_V2.iter().map(|&b| past(b)))
}

/// Both valid and past-the-boundary `huawei-elb-v3` requests.
pub fn elb_v3() -> BoxedStrategy<Case> {
    prop_oneof![elb_v3_valid(), elb_v3_past()].boxed()
}

/// Both valid and past-the-boundary `huawei-apic-v2` requests.
pub fn apic_v2() -> BoxedStrategy<Case> {
    prop_oneof![apic_v2_valid(), apic_v2_past()].boxed()
}

/// Valid requests for `profile` (any built-in profile id), each at one of its
/// documented boundaries; `None` for a profile without generated boundaries.
pub fn valid_for(profile: &str) -> Option<BoxedStrategy<Case>> {
    let bounds: Vec<Boundary> = Boundary::all().filter(|b| b.profile() == profile).collect();
    (!bounds.is_empty()).then(|| union(bounds.into_iter().map(valid)))
}

/// Requests for `profile` one step past one of its documented boundaries; `None` for a
/// profile without generated boundaries.
pub fn past_for(profile: &str) -> Option<BoxedStrategy<Case>> {
    let bounds: Vec<Boundary> = Boundary::all().filter(|b| b.profile() == profile).collect();
    (!bounds.is_empty()).then(|| union(bounds.into_iter().map(past)))
}

fn union(strategies: impl Iterator<Item = BoxedStrategy<Case>>) -> BoxedStrategy<Case> {
    proptest::strategy::Union::new(strategies).boxed()
}

fn case(boundary: Boundary, past: bool, request: Value) -> Case {
    let expect = if past {
        Expect::Reject {
            rule: boundary.rule(),
            location: boundary.location(),
        }
    } else {
        Expect::Accept
    };
    Case {
        boundary,
        expect,
        request,
        attachments: Vec::new(),
    }
}

/// An Esri Portal upload of [`PORTAL_P12`]: the body names the file part.
fn portal_case(boundary: Boundary, past: bool, mut body: Value) -> Case {
    body["file"] = json!("portal.pfx");
    Case {
        attachments: vec![("/file", PORTAL_P12)],
        ..case(boundary, past, body)
    }
}

/// `f` as Esri documents it: `html`, `json`, `pjson`, or absent.
fn format_param() -> impl Strategy<Value = Option<&'static str>> {
    select(vec![None, Some("html"), Some("json"), Some("pjson")])
}

/// A word that is not one of Esri's formats, in any letter case.
fn not_a_format() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec!["xml", "csv", "text", "jsonp", "pjsn", "html5", "kml"]).prop_map(String::from),
        "[a-z]{1,8}",
    ]
    .prop_filter("not a documented format", |w| {
        !["html", "json", "pjson"].contains(&w.to_ascii_lowercase().as_str())
    })
}

fn with_format(mut body: Value, f: Option<&str>) -> Value {
    if let Some(f) = f {
        body["f"] = json!(f);
    }
    body
}

fn at(boundary: Boundary, past: bool) -> BoxedStrategy<Case> {
    let step = usize::from(past);
    match boundary {
        Boundary::ElbDomainCount => {
            let counts: BoxedStrategy<usize> = if past {
                Just(31usize).boxed()
            } else {
                prop_oneof![Just(30usize), 1usize..=30].boxed()
            };
            (counts, domain_names(31))
                .prop_map(move |(n, names)| {
                    let domain = names[..n].join(",");
                    case(boundary, past, elb(json!({ "domain": domain })))
                })
                .boxed()
        }
        Boundary::ElbDomainLabelLength => (label_of(63 + step), domain_names(3), 0usize..3)
            .prop_map(move |(label, mut names, pos)| {
                names.truncate(3);
                names.insert(pos, format!("{label}.example.com"));
                case(boundary, past, elb(json!({ "domain": names.join(",") })))
            })
            .boxed(),
        Boundary::ElbDomainChars => (5usize..=30, any::<u64>())
            .prop_map(move |(count, seed)| {
                let domain = domain_of_chars(1024 + step, count, seed);
                case(boundary, past, elb(json!({ "domain": domain })))
            })
            .boxed(),
        Boundary::ElbNameChars => text_of(255 + step)
            .prop_map(move |name| case(boundary, past, elb(json!({ "name": name }))))
            .boxed(),
        Boundary::ElbDescriptionChars => text_of(255 + step)
            .prop_map(move |d| case(boundary, past, elb(json!({ "description": d }))))
            .boxed(),
        Boundary::ElbChainDepth => (select(vec!["www.example.com", ""]), "[a-z][a-z0-9_-]{0,20}")
            .prop_map(move |(domain, name)| {
                let (cert, key) = if past {
                    (CHAIN12_PEM, CHAIN12_KEY_PEM)
                } else {
                    (CHAIN11_PEM, CHAIN11_KEY_PEM)
                };
                let mut body = json!({ "name": name, "certificate": cert, "private_key": key });
                if !domain.is_empty() {
                    body["domain"] = json!(domain);
                }
                case(boundary, past, elb(body))
            })
            .boxed(),
        Boundary::ElbPrivateKeyChars => (
            select(vec!["\n", "\r\n"]),
            select(vec!["www.example.com", "example.com,*.api.example.com"]),
        )
            .prop_map(move |(eol, domain)| {
                let key = pad_to(SERVER_KEY_PEM, 8192 + step, eol);
                let body = json!({
                    "name": "web",
                    "certificate": SERVER_CHAIN_PEM,
                    "private_key": key,
                    "domain": domain,
                });
                case(boundary, past, elb(body))
            })
            .boxed(),
        Boundary::ApicNameChars => {
            let lens: BoxedStrategy<usize> = if past {
                select(vec![3usize, 51]).boxed()
            } else {
                prop_oneof![Just(4usize), Just(50usize), 4usize..=50].boxed()
            };
            (lens, select(vec!["RSA", ""]), select(vec!["global", ""]))
                .prop_flat_map(move |(len, alg, scope)| {
                    apic_name(len).prop_map(move |name| {
                        let mut body = json!({
                            "name": name,
                            "cert_content": SERVER_CHAIN_PEM,
                            "private_key": SERVER_KEY_PEM,
                        });
                        if !alg.is_empty() {
                            body["algorithm_type"] = json!(alg);
                        }
                        if !scope.is_empty() {
                            body["type"] = json!(scope);
                        }
                        case(boundary, past, body)
                    })
                })
                .boxed()
        }
        Boundary::EsriUpdateFormat => {
            let f: BoxedStrategy<Option<String>> = if past {
                not_a_format().prop_map(Some).boxed()
            } else {
                format_param().prop_map(|f| f.map(String::from)).boxed()
            };
            f.prop_map(move |f| {
                let body = json!({ "password": PORTAL_P12_PASSWORD });
                portal_case(boundary, past, with_format(body, f.as_deref()))
            })
            .boxed()
        }
        Boundary::EsriUpdatePassword => format_param()
            .prop_map(move |f| {
                let body = if past {
                    json!({})
                } else {
                    json!({ "password": PORTAL_P12_PASSWORD })
                };
                portal_case(boundary, past, with_format(body, f))
            })
            .boxed(),
        Boundary::EsriImportAlias => {
            let alias: BoxedStrategy<String> = if past {
                Just(String::new()).boxed()
            } else {
                "[A-Za-z0-9][A-Za-z0-9_.-]{0,40}".boxed()
            };
            (alias, format_param())
                .prop_map(move |(alias, f)| {
                    let body = json!({ "alias": alias, "password": PORTAL_P12_PASSWORD });
                    portal_case(boundary, past, with_format(body, f))
                })
                .boxed()
        }
        Boundary::EsriImportChainParam => {
            let chain: BoxedStrategy<Option<Value>> = if past {
                select(vec!["yes", "no", "1", "0", "on", "off", "truee", "f"])
                    .prop_map(|v| Some(json!(v)))
                    .boxed()
            } else {
                select(vec![
                    None,
                    Some(json!(true)),
                    Some(json!(false)),
                    Some(json!("true")),
                    Some(json!("false")),
                ])
                .boxed()
            };
            (chain, format_param())
                .prop_map(move |(chain, f)| {
                    let mut body = json!({ "alias": "portal", "password": PORTAL_P12_PASSWORD });
                    if let Some(chain) = chain {
                        body["importCertificateChain"] = chain;
                    }
                    portal_case(boundary, past, with_format(body, f))
                })
                .boxed()
        }
        Boundary::EsriCsrFormat => {
            let f: BoxedStrategy<Option<String>> = if past {
                not_a_format().prop_map(Some).boxed()
            } else {
                format_param().prop_map(|f| f.map(String::from)).boxed()
            };
            (f, select(vec!["\n", "\r\n"]))
                .prop_map(move |(f, eol)| {
                    let csr = if eol == "\n" {
                        PORTAL_CSR_PEM.to_string()
                    } else {
                        PORTAL_CSR_PEM.replace('\n', "\r\n")
                    };
                    let body = json!({ "certificateSigningRequest": csr });
                    case(boundary, past, with_format(body, f.as_deref()))
                })
                .boxed()
        }
    }
}

fn elb(fields: Value) -> Value {
    json!({ "certificate": fields })
}

/// `n` distinct host names under example.com, each label valid.
fn domain_names(n: usize) -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec("[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", n).prop_map(|labels| {
        labels
            .into_iter()
            .enumerate()
            .map(|(i, l)| format!("h{i}-{l}.example.com"))
            .collect()
    })
}

/// A DNS label of exactly `len` letters, digits and inner hyphens.
fn label_of(len: usize) -> impl Strategy<Value = String> {
    (
        "[a-z0-9]",
        proptest::collection::vec(select(LABEL_CHARS.to_vec()), len - 2),
        "[a-z0-9]",
    )
        .prop_map(|(first, middle, last)| {
            let mut s = first;
            s.extend(middle);
            s.push_str(&last);
            s
        })
}

const LABEL_CHARS: [char; 11] = ['a', 'b', 'k', 'q', 'z', '0', '1', '7', '9', '-', 'x'];

/// `count` distinct host names joined by commas, exactly `chars` characters in all,
/// every label at most 40 characters and every name at most 253.
fn domain_of_chars(chars: usize, count: usize, seed: u64) -> String {
    let total = chars - (count - 1);
    let base = total / count;
    let extra = total % count;
    (0..count)
        .map(|i| host_of_len(i, base + usize::from(i < extra), seed))
        .collect::<Vec<_>>()
        .join(",")
}

/// A host name of exactly `len` (>= 8) characters: `d{i}` then labels of letters, then
/// a TLD `.com`-like label.
fn host_of_len(i: usize, len: usize, seed: u64) -> String {
    let letters = b"abcdefghijklmnopqrstuvwxyz";
    let mut s = format!("d{i}");
    let mut k = seed as usize;
    // Leave room for the final ".tld" (4 characters).
    while s.len() < len - 4 {
        let room = len - 4 - s.len();
        // A label needs a dot and at least one character; never leave 1 character over.
        let take = match room {
            0..=41 => room - 1,
            42 => 39,
            _ => 40,
        };
        s.push('.');
        for _ in 0..take {
            s.push(letters[k % 26] as char);
            k = k
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407)
                >> 1;
        }
    }
    s.push_str(".com");
    s
}

/// Exactly `chars` characters of printable text, including non-ASCII.
fn text_of(chars: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::char::range('a', 'z'),
            1 => select(vec![' ', '-', '_', '.', '0', '9', 'É', 'ß', '中', '证', '書', '😀']),
        ],
        chars,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// An APIC name of `len` characters: a letter, then letters (Latin, accented, Chinese),
/// digits and underscores.
fn apic_name(len: usize) -> impl Strategy<Value = String> {
    let letter = prop_oneof![
        4 => proptest::char::range('a', 'z'),
        2 => proptest::char::range('A', 'Z'),
        1 => proptest::char::range('\u{e0}', '\u{f6}'),
        2 => proptest::char::range('\u{4e00}', '\u{9fa5}'),
    ];
    let rest = prop_oneof![
        6 => letter.clone(),
        2 => proptest::char::range('0', '9'),
        1 => Just('_'),
    ];
    (letter, proptest::collection::vec(rest, len - 1)).prop_map(|(first, rest)| {
        let mut s = String::new();
        s.push(first);
        s.extend(rest);
        s
    })
}

/// `pem` followed by line ends until it is exactly `chars` characters long.
fn pad_to(pem: &str, chars: usize, eol: &str) -> String {
    let mut s = pem.to_string();
    while s.chars().count() + eol.chars().count() <= chars {
        s.push_str(eol);
    }
    while s.chars().count() < chars {
        s.push('\n');
    }
    s
}
