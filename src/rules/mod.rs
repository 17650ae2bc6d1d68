//! Rule kinds. Each kind reads the request and the submission and returns findings;
//! the engine adds the instance's id, severity, help and citation. Rules never print.

mod certs;
mod chain;
mod domains;
mod encoding;
mod esri;
pub use esri::CSR_RESPONSE_FIELD;
mod fields;
pub mod key_encoding;
mod keys;
pub mod kinds;
mod mismatch;
mod pem;
mod pem_line_form;
mod pkcs12_cipher;
mod policy;
pub mod registry;
mod verdicts;
pub use verdicts::Verdicts;

mod allowed_chars;
mod certificate_count;
mod chain_excludes_leaf;
#[cfg(test)]
mod field_forms_tests;
mod key_algorithm;
#[cfg(test)]
mod kind_tests;
mod max_bytes;

use time::OffsetDateTime;

use crate::catalogue::{Applies, Material, Profile, RuleInstance};
use crate::report::{Diagnostic, Item, Severity};
use crate::request::Request;
use crate::submission::Submission;

pub use registry::Kind;

/// What one rule found at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub location: String,
    /// What in the field it is about (numbered file-wide: see [`Ctx::base`]).
    pub item: Item,
    pub message: String,
    /// The offending value, safe to show (never a secret).
    pub value: Option<String>,
    /// Set when this finding is milder or harsher than the instance's severity.
    pub severity: Option<Severity>,
    /// The rule could not run here: the message says why (see [`Finding::not_checked`]).
    pub not_checked: bool,
}

impl Finding {
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            location: location.into(),
            item: Item::Field,
            message: message.into(),
            value: None,
            severity: None,
            not_checked: false,
        }
    }

    /// Marks this as "not checked": the rule could not run (the message says why), so the
    /// report lists it apart, neither a finding nor part of the verdict.
    pub fn not_checked(mut self) -> Finding {
        self.not_checked = true;
        self
    }

    pub fn value(mut self, value: impl Into<String>) -> Finding {
        self.value = Some(value.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = Some(severity);
        self
    }

    pub fn item(mut self, item: Item) -> Finding {
        self.item = item;
        self
    }
}

/// Where a field's text starts in the text it was cut from: `lint` checks a long file in
/// segments (and a key block on its own), and messages number blocks and certificates
/// as the file does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Base {
    /// `-----BEGIN` lines before the field's first.
    pub block: usize,
    /// Certificates before the field's first.
    pub cert: usize,
}

/// Whose words messages use: a request's fields (`check`) or files on disk (`lint`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Speaker {
    #[default]
    Request,
    File,
}

/// How messages name things: the words, and the numbering base of each field.
#[derive(Debug, Clone, Copy, Default)]
pub struct Frame<'a> {
    pub speaker: Speaker,
    /// `(field pointer, base)`; a field not listed counts from zero.
    pub bases: &'a [(&'a str, Base)],
}

/// Everything a rule may read.
pub struct Ctx<'a> {
    pub profile: &'a Profile,
    pub request: &'a Request,
    pub submission: &'a Submission,
    pub at: OffsetDateTime,
    /// The anchors and extra intermediates of the client verdict.
    pub trust: &'a crate::trust::Trust,
    /// How messages name things.
    pub frame: Frame<'a>,
    /// The client verdicts computed so far in this run (start with `Default::default()`).
    pub verdicts: Verdicts<'a>,
}

impl Ctx<'_> {
    /// The numbering base of the field at `at`.
    pub fn base(&self, at: &str) -> Base {
        self.frame
            .bases
            .iter()
            .find(|(p, _)| *p == at)
            .map_or_else(Base::default, |(_, b)| *b)
    }

    /// The item of certificate `index` of the field at `at`.
    pub fn cert_item(&self, at: &str, index: usize) -> Item {
        Item::Cert(self.base(at).cert.saturating_add(index))
    }

    /// Certificate `index` of the field at `at` as messages number it (from 1).
    pub fn cert_no(&self, at: &str, index: usize) -> usize {
        self.base(at).cert.saturating_add(index).saturating_add(1)
    }

    /// Block `index` of the field at `at` as messages number it (from 1).
    pub fn block_no(&self, at: &str, index: usize) -> usize {
        self.base(at).block.saturating_add(index).saturating_add(1)
    }

    /// A finding about certificate `e` of the field at `at`.
    pub fn cert_finding(
        &self,
        at: &str,
        e: &crate::submission::CertEntry,
        message: impl Into<String>,
    ) -> Finding {
        Finding::new(&e.location, message).item(self.cert_item(at, e.index))
    }

    /// `request` in a request's words, `file` in a file's.
    pub fn words<'w>(&self, request: &'w str, file: &'w str) -> &'w str {
        match self.frame.speaker {
            Speaker::Request => request,
            Speaker::File => file,
        }
    }

    /// Whether the first certificate of a certificates field is a server leaf here.
    pub(crate) fn is_server_leaf_field(&self, pointer: &str) -> bool {
        self.profile
            .active_field(pointer, self.request)
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
            out.extend(
                run(ctx, rule, &target)
                    .into_iter()
                    .map(|f| diagnostic(rule, f)),
            );
        }
    }
    out
}

/// A finding of `rule` as reported: the instance's id, severity (unless the finding
/// sets its own), help, citation, basis and rationale.
pub fn diagnostic(rule: &RuleInstance, f: Finding) -> Diagnostic {
    let mut d = Diagnostic::new(
        rule.id.clone(),
        f.severity.unwrap_or(rule.severity),
        f.location,
        f.message,
        rule.help.clone(),
    );
    d.citation = rule.citation.clone();
    d.basis = rule.basis;
    d.value = f.value;
    d.why = rule.why.clone();
    d.item = f.item;
    d.not_checked = f.not_checked;
    d
}

/// The field pointers a rule instance runs on.
fn targets(ctx: &Ctx<'_>, rule: &RuleInstance) -> Vec<String> {
    if let Some(at) = &rule.at {
        return vec![at.clone()];
    }
    let Some(applies) = rule.applies else {
        return Vec::new();
    };
    // Only the declarations that hold: a field declared once per form is checked as
    // the form the request has.
    ctx.profile
        .active_fields(ctx.request)
        .filter(|f| match applies {
            Applies::Pem => f.material.is_pem(),
            Applies::Certificates => f.material.has_certificates(),
            Applies::PrivateKey => f.material.has_private_key(),
            Applies::ServerLeaf => {
                f.material.has_certificates() && ctx.is_server_leaf_field(&f.pointer)
            }
            Applies::Pkcs12 => f.material == Material::Pkcs12,
            Applies::Fields => true,
        })
        .map(|f| f.pointer.clone())
        .collect()
}

fn run(ctx: &Ctx<'_>, rule: &RuleInstance, at: &str) -> Vec<Finding> {
    rule.check.as_kind().check(ctx, at)
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
