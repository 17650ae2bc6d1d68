//! Rule kinds. Each kind reads the request and the submission and returns findings;
//! the engine adds the instance's id, severity, help and citation. Rules never print.

mod certs;
mod chain;
mod domains;
mod esri;
pub use esri::CSR_RESPONSE_FIELD;
pub(crate) use esri::pkcs12_rule_id;
mod fields;
mod keys;
mod pem;
mod policy;

use time::OffsetDateTime;

use crate::catalogue::{Applies, Check, Material, Profile, RuleInstance};
use crate::report::{Diagnostic, Severity};
use crate::request::Request;
use crate::submission::Submission;

/// What one rule found at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub location: String,
    pub message: String,
    /// The offending value, safe to show (never a secret).
    pub value: Option<String>,
    /// Set when this finding is milder or harsher than the instance's severity.
    pub severity: Option<Severity>,
}

impl Finding {
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            location: location.into(),
            message: message.into(),
            value: None,
            severity: None,
        }
    }

    pub fn value(mut self, value: impl Into<String>) -> Finding {
        self.value = Some(value.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = Some(severity);
        self
    }
}

/// Everything a rule may read.
pub struct Ctx<'a> {
    pub profile: &'a Profile,
    pub request: &'a Request,
    pub submission: &'a Submission,
    pub at: OffsetDateTime,
    /// The anchors and extra intermediates of the client verdict.
    pub trust: &'a crate::trust::Trust,
}

impl Ctx<'_> {
    /// Whether the first certificate of a certificates field is a server leaf here.
    fn is_server_leaf_field(&self, pointer: &str) -> bool {
        self.profile
            .field_spec(pointer)
            .and_then(|f| f.server_leaf.as_ref())
            .is_some_and(|c| c.holds(self.profile, self.request))
    }
}

/// Runs every rule instance of the profile whose condition holds.
pub fn evaluate(ctx: &Ctx<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in &ctx.profile.rules {
        if !rule.when.holds(ctx.profile, ctx.request) {
            continue;
        }
        for target in targets(ctx, rule) {
            for f in run(ctx, rule, &target) {
                out.push(Diagnostic {
                    rule: rule.id.clone(),
                    severity: f.severity.unwrap_or(rule.severity),
                    location: f.location,
                    message: f.message,
                    help: rule.help.clone(),
                    citation: rule.citation.clone(),
                    basis: rule.basis,
                    value: f.value,
                    why: rule.why.clone(),
                });
            }
        }
    }
    out
}

/// The field pointers a rule instance runs on.
fn targets(ctx: &Ctx<'_>, rule: &RuleInstance) -> Vec<String> {
    if let Some(at) = &rule.at {
        return vec![at.clone()];
    }
    let Some(applies) = rule.applies else {
        return Vec::new();
    };
    ctx.profile
        .fields
        .iter()
        .filter(|f| match applies {
            Applies::Pem => f.material.is_pem(),
            Applies::Certificates => f.material == Material::Certificates,
            Applies::PrivateKey => f.material == Material::PrivateKey,
            Applies::ServerLeaf => {
                f.material == Material::Certificates && ctx.is_server_leaf_field(&f.pointer)
            }
            Applies::Pkcs12 => f.material == Material::Pkcs12,
            Applies::Fields => true,
        })
        .map(|f| f.pointer.clone())
        .collect()
}

fn run(ctx: &Ctx<'_>, rule: &RuleInstance, at: &str) -> Vec<Finding> {
    match &rule.check {
        Check::Required {} => fields::required(ctx, at),
        Check::Forbidden {} => fields::forbidden(ctx, at),
        Check::Ignored {} => fields::ignored(ctx, at),
        Check::MaxChars { max, note } => fields::max_chars(ctx, at, *max, note.as_deref()),
        Check::OneOf {
            values,
            accept_booleans,
        } => fields::one_of(ctx, at, values, *accept_booleans),
        Check::Pattern {
            pattern,
            min_chars,
            max_chars,
            describe,
        } => fields::pattern(ctx, at, pattern, *min_chars, *max_chars, describe),
        Check::ListCount { max } => domains::count(ctx, at, *max),
        Check::DomainLabelLength { max } => domains::label_length(ctx, at, *max),
        Check::DomainLabelChars {} => domains::label_chars(ctx, at),
        Check::DomainWildcard {} => domains::wildcard(ctx, at),
        Check::DomainIdn {} => domains::idn(ctx, at),
        Check::EmptyString {} => fields::empty_string(ctx, at),
        Check::DomainInCertificate { certificate } => domains::in_certificate(ctx, at, certificate),
        Check::PemWellFormed {} => pem::well_formed(ctx, at),
        Check::PemStrayText {} => pem::stray_text(ctx, at),
        Check::DerWellFormed {} => pem::der_well_formed(ctx, at),
        Check::KeyEncrypted {} => keys::encrypted(ctx, at),
        Check::KeyMatchesCertificate { certificate } => {
            keys::matches_certificate(ctx, at, certificate.as_deref())
        }
        Check::AlgorithmMatchesKey {
            certificate,
            default,
        } => keys::algorithm_matches(ctx, at, certificate, default),
        Check::ChainDepth { max } => chain::depth(ctx, at, *max),
        Check::ChainOrder {} => chain::order(ctx, at),
        Check::ChainBroken {} => chain::broken(ctx, at),
        Check::ChainDuplicate {} => chain::duplicate(ctx, at),
        Check::ChainIncomplete {} => chain::incomplete(ctx, at),
        Check::ChainRootIncluded {} => chain::root_included(ctx, at),
        Check::ChainUsage { problem } => chain::usage(ctx, at, *problem),
        Check::NotExpired {} => certs::not_expired(ctx, at),
        Check::NotYetValid {} => certs::not_yet_valid(ctx, at),
        Check::ExpiringSoon { days } => certs::expiring_soon(ctx, at, *days),
        Check::WeakKey {
            min_rsa_bits,
            min_ec_bits,
        } => certs::weak_key(ctx, at, *min_rsa_bits, *min_ec_bits),
        Check::WeakSignature {} => certs::weak_signature(ctx, at),
        Check::LeafIsCa {} => certs::leaf_is_ca(ctx, at),
        Check::ChainTrusted { names } => chain::chain_trusted(ctx, at, names.as_deref()),
        Check::NoSan {} => certs::no_san(ctx, at),
        Check::UnknownCriticalExtension {} => certs::unknown_critical_extension(ctx, at),
        // Reported by `certgate lint` itself (`crate::lint::own`).
        Check::LintFile {} => Vec::new(),
        Check::IsCa {} => certs::is_ca(ctx, at),
        Check::Pkcs12Required {} => esri::pkcs12_required(ctx, at),
        Check::Pkcs12Password {} => esri::pkcs12_password(ctx, at),
        Check::Pkcs12Iterations {} => esri::pkcs12_iterations(ctx, at),
        Check::Pkcs12Protection {} => esri::pkcs12_protection(ctx, at),
        Check::Pkcs12HostCompat { host, reads } => {
            esri::pkcs12_host_compat(ctx, at, host.as_deref(), reads)
        }
        Check::Pkcs12PrivateKeyEntry {} => esri::pkcs12_private_key_entry(ctx, at),
        Check::Pkcs12SingleKey {} => esri::pkcs12_single_key(ctx, at),
        Check::Pkcs12KeyMatch {} => esri::pkcs12_key_match(ctx, at),
        Check::PasswordMultipart {} => esri::password_multipart(ctx, at),
        Check::IssuerImport { chain_param } => esri::issuer_import(ctx, at, chain_param),
        Check::CsrWellFormed {} => esri::csr_well_formed(ctx, at),
        Check::CsrSignature {} => esri::csr_signature(ctx, at),
        Check::FieldType {} => fields::field_type(ctx, at),
        Check::FieldUnknown {} => fields::unknown(ctx),
        Check::DuplicateKey {} => fields::duplicate_key(ctx),
        Check::MaxValidityDays { days } => policy::max_validity_days(ctx, at, *days),
    }
}

/// Shows a user-supplied string safely: control and bidi characters escaped, long
/// values shortened in the middle.
pub fn show(s: &str) -> String {
    const MAX: usize = 120;
    let mut escaped = String::with_capacity(s.len());
    s.chars().for_each(|c| escape_into(&mut escaped, c));
    let n = escaped.chars().count();
    if n <= MAX {
        return format!("\"{escaped}\"");
    }
    let head: String = escaped.chars().take(MAX / 2).collect();
    let tail: String = escaped.chars().skip(n - MAX / 2).collect();
    format!("\"{head}…{tail}\" ({} characters)", s.chars().count())
}

fn escape_into(out: &mut String, c: char) {
    use std::fmt::Write;
    let bidi =
        matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}');
    if c == '"' || c == '\\' {
        out.push('\\');
        out.push(c);
    } else if c.is_control() || bidi {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    } else {
        out.push(c);
    }
}

/// "1 name" / "2 names".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}
