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
//! Every profile has its strategies, derived from its rule instances ([`limits`]:
//! `max-chars`, `list-count`, `domain-label-length`, `chain-depth`, `pattern`, `one-of`,
//! `required`): [`valid_for`] / [`past_for`] with any built-in profile id, [`valid_of`] /
//! [`past_of`] with any profile and a [`Base`] (a user's own profile included). The
//! hand-named [`Boundary`] values and [`elb_v3`], [`apic_v2`] remain as wrappers.
//!
//! Each request is a valid base request changed at one field. The base is the profile's
//! `corpus/<id>/pass-typical.json`, or else its first `pass-*.json` whose references are
//! all committed files (an `{"env"}` value is not committed): the corpus runner checks
//! those clean, so the base is valid by construction, and a new target's author writes
//! it anyway. Filling the fields from materials instead would need a valid value for
//! every pattern and every conditional rule, which only the fixture's author knows.
//! Chains for `chain-depth` come from `corpus/materials/` (at most 12 certificates); no
//! key is generated. Materials are valid from 2026-01-01 for years, so evaluate at a
//! fixed time such as 2026-06-01.

// Test support over committed fixtures and generator-controlled sizes, compiled only
// with the `proptest` feature: the library's no-panic lints do not apply here.
#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};

use crate::catalogue::{Catalogue, Check, Material, Profile};
use crate::report::Severity;
use crate::request::Request;

#[path = "fixture_base.rs"]
mod fixture_base;

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

impl Boundary {
    /// The profile instance this named boundary is: its derived [`Limit`].
    pub fn limit(self) -> Option<Limit> {
        let catalogue = builtin()?;
        let profile = catalogue.profile(self.profile())?;
        limits(profile)
            .into_iter()
            .find(|l| l.rule == self.rule() && l.pointer == self.location())
    }
}

/// A limit that one of a profile's rule instances (severity error, unconditional)
/// documents, from which requests at the boundary and one step past it are derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// The profile id.
    pub profile: String,
    /// The rule id a request past the limit raises.
    pub rule: String,
    /// The JSON Pointer of the field.
    pub pointer: String,
    /// The kind and its parameters.
    pub kind: LimitKind,
}

/// The rule kinds strategies are derived from, with their parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LimitKind {
    /// `max-chars`: at most this many characters.
    MaxChars(usize),
    /// `list-count`: at most this many comma-separated names.
    ListCount(usize),
    /// `domain-label-length`: every label at most this many characters.
    LabelLength(usize),
    /// `chain-depth`: at most this many certificates.
    ChainDepth(usize),
    /// `pattern`: `min..=max` characters matching the pattern.
    Pattern {
        /// The regex.
        pattern: String,
        /// Fewest characters.
        min: usize,
        /// Most characters.
        max: usize,
    },
    /// `one-of`: one of the values (or `true`/`false` as booleans).
    OneOf {
        /// The allowed values.
        values: Vec<String>,
        /// Whether the values are the booleans.
        booleans: bool,
    },
    /// `required`: the field (or one of these alternative pointers) is present.
    Required {
        /// The alternatives (`or`): a base holding one of them cannot be made to break
        /// the rule by removing the field alone.
        or: Vec<String>,
    },
}

/// Every limit of `profile` strategies can be derived for.
pub fn limits(profile: &Profile) -> Vec<Limit> {
    limits_where(profile, |r| r.when.is_always())
}

/// [`limits`], and the limits of rules whose `when` holds for `base` (a Kubernetes
/// Secret's keys are required when its `type` is `kubernetes.io/tls`), unless the
/// condition reads the limited field itself or needs a field present.
fn limits_for(profile: &Profile, base: &Base) -> Vec<Limit> {
    let request = Request::from_value(base.request.clone()).ok();
    limits_where(profile, |r| {
        r.when.is_always()
            || (r.when.present.is_none()
                && request
                    .as_ref()
                    .is_some_and(|req| r.when.holds(profile, req))
                && !r.when.vars.keys().any(|var| {
                    profile.vars.get(var).map(|v| v.pointer.as_str()) == r.at.as_deref()
                }))
    })
}

fn limits_where(
    profile: &Profile,
    applies: impl Fn(&crate::catalogue::RuleInstance) -> bool,
) -> Vec<Limit> {
    profile
        .rules
        .iter()
        .filter(|r| r.severity == Severity::Error && applies(r))
        .filter_map(|r| {
            let kind = match &r.check {
                Check::MaxChars(k) => LimitKind::MaxChars(k.max),
                Check::ListCount(k) => LimitKind::ListCount(k.max),
                Check::DomainLabelLength(k) => LimitKind::LabelLength(k.max),
                Check::ChainDepth(k) => LimitKind::ChainDepth(k.max),
                Check::Pattern(k) => LimitKind::Pattern {
                    pattern: k.pattern.clone(),
                    min: k.min_chars,
                    max: k.max_chars,
                },
                Check::OneOf(k) => LimitKind::OneOf {
                    values: k.values.clone(),
                    booleans: k.accept_booleans,
                },
                Check::Required(k) => LimitKind::Required { or: k.or.clone() },
                _ => return None,
            };
            Some(Limit {
                profile: profile.id().to_string(),
                rule: r.id.clone(),
                pointer: r.at.clone()?,
                kind,
            })
        })
        .collect()
}

/// A valid request of a profile, which generated requests change at one field.
#[derive(Debug, Clone)]
pub struct Base {
    /// The body; a binary part's value is its file name.
    pub request: Value,
    /// The binary parts (Esri's archive), by JSON Pointer.
    pub attachments: Vec<(String, Vec<u8>)>,
}

/// `(profile id, fixture, body, binary parts)`, made by build.rs from `corpus/<id>/`.
type BuiltinBase = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static [u8])],
);
const BUILTIN_BASES: &[BuiltinBase] = include!(concat!(env!("OUT_DIR"), "/rules/bases.rs"));

impl Base {
    /// A built-in profile's base: `corpus/<id>/pass-typical.json`, or else its first
    /// `pass-*.json` by name whose references are all committed files (not `{"env"}`),
    /// embedded at build time with its `{"file"}` references inlined.
    pub fn builtin(profile: &str) -> Option<Base> {
        let (_, _, body, parts) = BUILTIN_BASES.iter().find(|(id, ..)| *id == profile)?;
        Some(Base {
            request: serde_json::from_str(body).ok()?,
            attachments: parts
                .iter()
                .map(|(p, b)| ((*p).to_string(), b.to_vec()))
                .collect(),
        })
    }

    /// The same choice for a profile that is not built in, read from its fixtures folder
    /// (`dir`, e.g. `corpus/<id>/`) now.
    pub fn from_corpus(profile: &Profile, dir: &std::path::Path) -> Option<Base> {
        let names: Vec<String> = std::fs::read_dir(dir)
            .ok()?
            .filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
            .collect();
        let archives: Vec<String> = profile
            .fields
            .iter()
            .filter(|f| f.is_archive_file())
            .map(|f| f.pointer.clone())
            .collect();
        fixture_base::candidates(&names)
            .into_iter()
            .find_map(|name| {
                let text = std::fs::read_to_string(dir.join(name)).ok()?;
                let inlined = fixture_base::inline(&text, dir, &archives)?;
                let attachments = inlined
                    .binary
                    .into_iter()
                    .map(|(p, path)| Some((p, std::fs::read(path).ok()?)))
                    .collect::<Option<_>>()?;
                Some(Base {
                    request: inlined.body,
                    attachments,
                })
            })
    }
}

/// What the API must do with a generated request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// The request is at the boundary (or inside it): no error.
    Accept,
    /// The request is one step past the boundary: rejected by this rule, and only it.
    /// `location` is the JSON Pointer certgate reports (for domain rules, the pointer of
    /// the field; certgate may add the name's index, e.g. `/certificate/domain/3`).
    Reject {
        /// The rule id expected.
        rule: String,
        /// The location expected.
        location: String,
    },
}

/// One generated request with the limit it exercises and the expected outcome.
#[derive(Debug, Clone)]
pub struct Case {
    /// The limit exercised.
    pub limit: Limit,
    /// What certgate must report.
    pub expect: Expect,
    /// The request body, as the API takes it (`{"file"}` references already inlined;
    /// for a multipart upload, the file part's value is its file name).
    pub request: Value,
    /// The binary parts of a multipart upload (Esri's `file`), by JSON Pointer; empty
    /// for the JSON APIs.
    pub attachments: Vec<(String, Vec<u8>)>,
}

impl Case {
    /// The request as [`crate::check`] takes it: the body with the attachments attached.
    pub fn to_request(&self) -> crate::Request {
        // The generated body is always a JSON object, which `from_value` accepts.
        let mut request = crate::Request::from_value(self.request.clone())
            .expect("a generated request is a JSON object");
        for (pointer, bytes) in &self.attachments {
            request.attach(pointer, bytes.clone());
        }
        request
    }
}

fn builtin() -> Option<&'static Catalogue> {
    static CATALOGUE: OnceLock<Option<Catalogue>> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::builtin().ok()).as_ref()
}

/// Valid requests at the named boundary.
pub fn valid(boundary: Boundary) -> BoxedStrategy<Case> {
    named(boundary, false)
}

/// Requests one step past the named boundary, which the API must reject.
pub fn past(boundary: Boundary) -> BoxedStrategy<Case> {
    named(boundary, true)
}

fn named(boundary: Boundary, past: bool) -> BoxedStrategy<Case> {
    let catalogue = builtin().expect("the built-in catalogue loads");
    let profile = catalogue
        .profile(boundary.profile())
        .expect("a built-in profile");
    let base = Base::builtin(boundary.profile()).expect("a built-in profile's base");
    let limit = boundary
        .limit()
        .expect("a named boundary is a profile instance");
    at(profile, &base, &limit, past).expect("a named boundary has strategies")
}

/// Valid `huawei-elb-v3` requests, each at one of its documented boundaries.
pub fn elb_v3_valid() -> BoxedStrategy<Case> {
    valid_for("huawei-elb-v3").expect("huawei-elb-v3 has boundaries")
}

/// `huawei-elb-v3` requests one step past one of its documented boundaries.
pub fn elb_v3_past() -> BoxedStrategy<Case> {
    past_for("huawei-elb-v3").expect("huawei-elb-v3 has boundaries")
}

/// Valid `huawei-apic-v2` requests, each at one of its documented boundaries.
pub fn apic_v2_valid() -> BoxedStrategy<Case> {
    valid_for("huawei-apic-v2").expect("huawei-apic-v2 has boundaries")
}

/// `huawei-apic-v2` requests one step past one of its documented boundaries.
pub fn apic_v2_past() -> BoxedStrategy<Case> {
    past_for("huawei-apic-v2").expect("huawei-apic-v2 has boundaries")
}

/// Both valid and past-the-boundary `huawei-elb-v3` requests.
pub fn elb_v3() -> BoxedStrategy<Case> {
    prop_oneof![elb_v3_valid(), elb_v3_past()].boxed()
}

/// Both valid and past-the-boundary `huawei-apic-v2` requests.
pub fn apic_v2() -> BoxedStrategy<Case> {
    prop_oneof![apic_v2_valid(), apic_v2_past()].boxed()
}

/// Valid requests for a built-in `profile` id, each at one of its derived limits;
/// `None` for an unknown profile or one without a base or limits.
pub fn valid_for(profile: &str) -> Option<BoxedStrategy<Case>> {
    let p = builtin()?.profile(profile)?;
    valid_of(p, &Base::builtin(profile)?)
}

/// Requests for a built-in `profile` id one step past one of its derived limits.
pub fn past_for(profile: &str) -> Option<BoxedStrategy<Case>> {
    let p = builtin()?.profile(profile)?;
    past_of(p, &Base::builtin(profile)?)
}

/// Valid requests for any profile (a user's own included), from `base`.
pub fn valid_of(profile: &Profile, base: &Base) -> Option<BoxedStrategy<Case>> {
    of(profile, base, false)
}

/// Requests for any profile one step past one of its limits, from `base`.
pub fn past_of(profile: &Profile, base: &Base) -> Option<BoxedStrategy<Case>> {
    of(profile, base, true)
}

fn of(profile: &Profile, base: &Base, past: bool) -> Option<BoxedStrategy<Case>> {
    let all: Vec<_> = limits_for(profile, base)
        .iter()
        .filter_map(|l| at(profile, base, l, past))
        .collect();
    (!all.is_empty()).then(|| proptest::strategy::Union::new(all).boxed())
}

/// The limits of `profile` that strategies exist for with `base`, both sides.
pub fn covered(profile: &Profile, base: &Base) -> Vec<Limit> {
    limits_for(profile, base)
        .into_iter()
        .filter(|l| at(profile, base, l, false).is_some() && at(profile, base, l, true).is_some())
        .collect()
}

/// Requests at `limit` (or one step past it), `None` where this module cannot make one
/// from `base` and the committed materials (the field is absent from the base, a chain
/// deeper than the committed 12-certificate chain, ...).
pub fn at(
    profile: &Profile,
    base: &Base,
    limit: &Limit,
    past: bool,
) -> Option<BoxedStrategy<Case>> {
    let step = usize::from(past);
    let p = limit.pointer.clone();
    let spec = profile.field_spec(&p);
    let current = base.request.pointer(&p).cloned();
    let is_domain_list = limits(profile).iter().any(|l| {
        l.pointer == p && matches!(l.kind, LimitKind::ListCount(_) | LimitKind::LabelLength(_))
    });
    let list_max = limits(profile).iter().find_map(|l| match l.kind {
        LimitKind::ListCount(n) if l.pointer == p => Some(n),
        _ => None,
    });
    let chars_max = limits(profile).iter().find_map(|l| match l.kind {
        LimitKind::MaxChars(n) if l.pointer == p => Some(n),
        _ => None,
    });
    let maker = Maker {
        limit: limit.clone(),
        past,
        base: base.clone(),
    };
    let values: BoxedStrategy<Option<Value>> = match &limit.kind {
        LimitKind::MaxChars(n) => {
            let n = n + step;
            match spec.map(|s| s.material) {
                Some(Material::Certificates | Material::PrivateKey) => {
                    let pem = current?.as_str()?.to_string();
                    if pem.chars().count() > n {
                        return None;
                    }
                    select(vec!["\n", "\r\n"])
                        .prop_map(move |eol| Some(json!(pad_to(&pem, n, eol))))
                        .boxed()
                }
                Some(Material::Text) if is_domain_list => {
                    let lo = n.div_ceil(200).max(1);
                    let hi = list_max.unwrap_or(30).min(30).min(n / 9);
                    if lo > hi {
                        return None;
                    }
                    (lo..=hi, any::<u64>())
                        .prop_map(move |(count, seed)| Some(json!(domain_of_chars(n, count, seed))))
                        .boxed()
                }
                Some(Material::Text) => {
                    let shaped = limits(profile).iter().any(|l| {
                        l.pointer == p
                            && matches!(l.kind, LimitKind::Pattern { .. } | LimitKind::OneOf { .. })
                    });
                    if shaped {
                        return None;
                    }
                    text_of(n).prop_map(|t| Some(json!(t))).boxed()
                }
                _ => return None,
            }
        }
        LimitKind::ListCount(n) => {
            let n = *n;
            if n + 1 > 200 || chars_max.is_some_and(|c| (n + 1) * 30 > c) {
                return None;
            }
            let counts: BoxedStrategy<usize> = if past {
                Just(n + 1).boxed()
            } else {
                prop_oneof![Just(n), 1usize..=n].boxed()
            };
            (counts, domain_names(n + 1))
                .prop_map(|(k, names)| Some(json!(names[..k].join(","))))
                .boxed()
        }
        LimitKind::LabelLength(n) => {
            let n = n + step;
            if !(2..=200).contains(&n) {
                return None;
            }
            let others = if list_max.is_some() { 3 } else { 0 };
            (label_of(n), domain_names(others), 0usize..=others)
                .prop_map(move |(label, mut names, pos)| {
                    names.insert(pos, format!("{label}.example.com"));
                    Some(json!(names.join(",")))
                })
                .boxed()
        }
        LimitKind::ChainDepth(n) => {
            let k = n + step;
            if spec.map(|s| s.material) != Some(Material::Certificates) || k == 0 || k > 12 {
                return None;
            }
            let key = profile
                .fields
                .iter()
                .find(|f| {
                    f.material == Material::PrivateKey && f.certificate.as_deref() == Some(&p)
                })
                .map(|f| f.pointer.clone());
            let (chain, chain_key) = if k == 12 {
                (CHAIN12_PEM.to_string(), CHAIN12_KEY_PEM)
            } else {
                (first_certs(CHAIN11_PEM, k), CHAIN11_KEY_PEM)
            };
            let maker = maker.clone();
            return Some(
                Just(())
                    .prop_map(move |()| {
                        let mut case = maker.case(Some(json!(chain)));
                        if let Some(key) = &key {
                            if let Some(slot) = case.request.pointer_mut(key) {
                                *slot = json!(chain_key);
                            }
                        }
                        case
                    })
                    .boxed(),
            );
        }
        LimitKind::Pattern { pattern, min, max } => {
            let (min, max) = (*min, *max);
            let lens: Vec<usize> = if past {
                [min.checked_sub(1).filter(|&l| l > 0), Some(max + 1)]
                    .into_iter()
                    .flatten()
                    .collect()
            } else {
                vec![min.max(1), max, (min.max(1) + max) / 2]
            };
            let re = regex::Regex::new(pattern).ok()?;
            let inner = pattern.trim_start_matches('^').trim_end_matches('$');
            let sample = proptest::string::string_regex(inner).ok()?;
            (
                select(lens),
                sample,
                proptest::collection::vec(any::<prop::sample::Index>(), 0..=max + 1),
            )
                .prop_filter_map(
                    "a string of the length matching the pattern",
                    move |(len, seed, picks)| {
                        let chars: Vec<char> = seed.chars().collect();
                        if chars.is_empty() || chars.len() > len {
                            return None;
                        }
                        let mut s: String = chars.iter().collect();
                        for i in picks.iter().take(len - chars.len()) {
                            s.push(*i.get(&chars));
                        }
                        (s.chars().count() == len && re.is_match(&s)).then(|| Some(json!(s)))
                    },
                )
                .boxed()
        }
        LimitKind::OneOf { values, booleans } => {
            let others: Vec<&crate::catalogue::RuleInstance> = profile
                .rules
                .iter()
                .filter(|r| r.id != limit.rule)
                .collect();
            let name = p.rsplit('/').next().unwrap_or_default().to_string();
            // A value that switches another rule on (a `when`, or a rule checking the
            // same field against others) is not "just valid": leave it out.
            let free = |v: &Value| {
                current.as_ref() == Some(v)
                    || !others.iter().any(|r| {
                        r.at.as_deref() == Some(p.as_str())
                            && !matches!(r.check, Check::OneOf { .. })
                            || format!("{:?}", r.when)
                                .contains(&format!("{:?}", v.as_str().unwrap_or_default()))
                            || format!("{:?}", r.check).contains(&format!("{name:?}"))
                    })
            };
            if past {
                let values = values.clone();
                select(vec!["xml", "yes", "bogus", "zz-top", "pjsn", "truee", "on"])
                    .prop_filter("not a documented value", move |w| {
                        !values.iter().any(|v| v.eq_ignore_ascii_case(w))
                    })
                    .prop_map(|w| Some(json!(w)))
                    .boxed()
            } else {
                let mut ok: Vec<Option<Value>> = values
                    .iter()
                    .map(|v| json!(v))
                    .chain(
                        booleans
                            .then(|| [json!(true), json!(false)])
                            .into_iter()
                            .flatten(),
                    )
                    .filter(|v| free(v))
                    .map(Some)
                    .collect();
                if current.is_none() {
                    ok.push(None);
                }
                if ok.is_empty() {
                    return None;
                }
                select(ok).boxed()
            }
        }
        LimitKind::Required { or } => {
            current.as_ref()?;
            if or.iter().any(|p| base.request.pointer(p).is_some()) {
                return None;
            }
            if past {
                Just(None).boxed()
            } else {
                Just(current).boxed()
            }
        }
    };
    Some(values.prop_map(move |v| maker.case(v)).boxed())
}

/// Makes the case of one limit from the base and the field's new value.
#[derive(Clone)]
struct Maker {
    limit: Limit,
    past: bool,
    base: Base,
}

impl Maker {
    /// The base with the field set to `value` (removed for `None`).
    fn case(&self, value: Option<Value>) -> Case {
        let mut request = self.base.request.clone();
        let mut attachments = self.base.attachments.clone();
        let p = &self.limit.pointer;
        match value {
            Some(v) => set(&mut request, p, v),
            None => {
                remove(&mut request, p);
                attachments.retain(|(a, _)| a != p);
            }
        }
        let expect = if self.past {
            Expect::Reject {
                rule: self.limit.rule.clone(),
                location: p.clone(),
            }
        } else {
            Expect::Accept
        };
        Case {
            limit: self.limit.clone(),
            expect,
            request,
            attachments,
        }
    }
}

/// Sets the value at a JSON Pointer, creating the last key in its parent object.
fn set(root: &mut Value, pointer: &str, v: Value) {
    if let Some(slot) = root.pointer_mut(pointer) {
        *slot = v;
        return;
    }
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    if let Some(Value::Object(o)) = root.pointer_mut(parent) {
        o.insert(unescape(key), v);
    }
}

fn remove(root: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    if let Some(Value::Object(o)) = root.pointer_mut(parent) {
        o.remove(&unescape(key));
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The first `k` certificates of a PEM chain.
fn first_certs(pem: &str, k: usize) -> String {
    const END: &str = "-----END CERTIFICATE-----";
    pem.split_inclusive(END)
        .take(k)
        .map(|c| c.trim_start())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
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
