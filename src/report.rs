//! Findings and the report: what the rules produce and the renderers read.

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

use crate::sources::{Document, section_phrase};

/// How bad a finding is. `Error` means the upload will be rejected or will break the
/// service; `Warning` likely wrong or depends on server state; `Info` a useful fact.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Severity {
    /// The API refuses the upload.
    Error,
    /// The API accepts the upload, and clients or the server will fail.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`, as the JSON output writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether the seed documentation states a constraint or certgate infers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Basis {
    /// The target's documentation states the constraint (with a citation).
    Documented,
    /// certgate infers it (how TLS clients and servers behave).
    Inferred,
    /// The user's own policy (a `--rules` file), not the target API's constraint.
    Policy,
}

/// The sentence a rule rests on, and the document it comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Citation {
    /// The id of a document in `rules/sources/sources.toml` (`rfc5280`), or, in a user's
    /// rule file, any name for their own document (`ACME security policy 4.2`).
    pub source: String,
    /// The part of the document cited (`4.1.2.5`, `abstract`).
    #[serde(default)]
    pub section: Option<String>,
    /// The exact sentence, verbatim.
    pub quote: String,
    /// The document `source` names, filled in from the registry when the catalogue
    /// loads; `None` for a document the registry does not know.
    #[serde(skip)]
    pub document: Option<Document>,
}

impl Citation {
    /// The cited document as reports name it (vendor, title, date, section, URL); a
    /// document the registry does not know is named as the rule file wrote it.
    pub fn cited(&self) -> String {
        match &self.document {
            Some(d) => d.name(self.section.as_deref()),
            None => match &self.section {
                Some(s) => format!("{}, {}", self.source, section_phrase(s)),
                None => self.source.clone(),
            },
        }
    }

    /// A shorter name for listings that name the profile's documentation already.
    pub fn short_name(&self) -> String {
        match &self.document {
            Some(d) => d.short_name(self.section.as_deref()),
            None => self.cited(),
        }
    }

    /// The document's address, when known.
    pub fn url(&self) -> Option<&str> {
        self.document.as_ref()?.url.as_deref()
    }
}

/// The JSON form: the rule file's `source` (id), `section` and `quote`, and the
/// document's `vendor`, `title`, `date` and `url` (null when unknown), so that a consumer
/// needs no copy of the registry.
impl Serialize for Citation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Out<'a> {
            source: &'a str,
            section: Option<&'a str>,
            quote: &'a str,
            vendor: Option<&'a str>,
            title: Option<&'a str>,
            date: Option<&'a str>,
            url: Option<&'a str>,
        }
        let d = self.document.as_ref();
        Out {
            source: &self.source,
            section: self.section.as_deref(),
            quote: &self.quote,
            vendor: d.map(|d| d.vendor.as_str()),
            title: d.map(|d| d.title.as_str()),
            date: d.and_then(|d| d.date.as_deref()),
            url: d.and_then(|d| d.url.as_deref()),
        }
        .serialize(s)
    }
}

/// What a finding is about inside its field, beside the JSON Pointer: `lint` maps it to
/// a place in a file without reading the pointer or the message. Numbers count from 0
/// across the whole text the field came from (a file, when `lint` splits one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Item {
    /// The field (or file) as a whole.
    #[default]
    Field,
    /// A PEM block, by its position among the `-----BEGIN` lines.
    Block(usize),
    /// A certificate, by its position among the certificates.
    Cert(usize),
    /// An entry of a PKCS#12 archive.
    Entry(usize),
    /// The private key.
    Key,
    /// A name of a list (a domain).
    Name(usize),
}

/// One finding. `location` is a JSON Pointer into the request document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Diagnostic {
    /// The rule id (`domain-wildcard`).
    pub rule: String,
    /// How bad it is.
    pub severity: Severity,
    /// A JSON Pointer into the request document (or a file and item for `lint`).
    pub location: String,
    /// What is wrong, naming the field and the value.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// The documentation sentence the rule enforces, for documented rules.
    pub citation: Option<Citation>,
    /// Whether the constraint is documented, inferred or the user's policy.
    pub basis: Basis,
    /// The offending value as shown to the user; never key material or a password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Why the upload fails, for inferred rules (human output only; `explain` has it too).
    #[serde(skip)]
    pub why: Option<String>,
    /// What in the field the finding is about.
    #[serde(skip)]
    pub item: Item,
    /// The 1-based line of the file where the item starts, when the caller knows the
    /// file's text (`lint`'s PEM blocks): SARIF's region.
    #[serde(skip)]
    pub line: Option<usize>,
    /// Not a finding: the rule could not run here (the message says why).
    /// [`Report::new`] moves it to [`Report::not_checked`].
    #[serde(skip)]
    pub not_checked: bool,
}

/// A rule that could not run at a place (an archive the password did not open, a
/// signature algorithm the verifier lacks): listed, never counted as a finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub struct NotChecked {
    /// The rule id.
    pub rule: String,
    /// Where it could not run (a JSON Pointer).
    pub location: String,
    /// Why not.
    pub reason: String,
}

impl Diagnostic {
    /// The one constructor: a finding of rule `rule`, with no citation, value or
    /// rationale (callers set those from the rule's entry).
    pub fn new(
        rule: impl Into<String>,
        severity: Severity,
        location: String,
        message: String,
        help: String,
    ) -> Diagnostic {
        Diagnostic {
            rule: rule.into(),
            severity,
            location,
            message,
            help,
            citation: None,
            basis: Basis::Inferred,
            value: None,
            why: None,
            item: Item::Field,
            line: None,
            not_checked: false,
        }
    }
}

impl Diagnostic {
    /// Replaces private-key material in every text the user's input can reach.
    fn redact(&mut self) {
        for text in [&mut self.location, &mut self.message, &mut self.help] {
            redact_in_place(text);
        }
        if let Some(v) = &mut self.value {
            redact_in_place(v);
        }
    }
}

fn redact_in_place(text: &mut String) {
    if let std::borrow::Cow::Owned(clean) = crate::redact::text(text) {
        *text = clean;
    }
}

/// How many findings of each severity a report holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
}

/// The outcome of checking one request against one profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// The JSON report format's version.
    pub version: u32,
    /// The profile checked against (`id`, or `id@revision` for an opt-in revision).
    pub profile: String,
    /// Findings by severity.
    pub summary: Summary,
    /// Whether the report fails the run (exit 1) under the run's `fail-on`: by default,
    /// any error. Renderers show this verdict, so text, JSON and exit code agree.
    pub failed: bool,
    /// The findings, sorted by location.
    pub diagnostics: Vec<Diagnostic>,
    /// Rules that could not run, and why: not findings, no effect on the verdict.
    /// Absent from the JSON when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_checked: Vec<NotChecked>,
}

impl Report {
    /// Builds a report with diagnostics in their canonical order, so the same input
    /// always renders byte-identically. Private-key material anywhere in a diagnostic's
    /// text (a key pasted into a name field) is redacted here, before any renderer sees
    /// it.
    pub fn new(profile: &str, mut diagnostics: Vec<Diagnostic>) -> Report {
        diagnostics.iter_mut().for_each(Diagnostic::redact);
        let (skipped, mut diagnostics): (Vec<Diagnostic>, Vec<Diagnostic>) =
            diagnostics.into_iter().partition(|d| d.not_checked);
        let mut not_checked: Vec<NotChecked> = skipped
            .into_iter()
            .map(|d| NotChecked {
                rule: d.rule,
                location: d.location,
                reason: d.message,
            })
            .collect();
        not_checked.sort();
        not_checked.dedup();
        diagnostics.sort_by(compare);
        diagnostics.dedup();
        let mut summary = Summary::default();
        for d in &diagnostics {
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        Report {
            version: 1,
            profile: profile.to_string(),
            summary,
            failed: summary.errors > 0,
            diagnostics,
            not_checked,
        }
    }

    /// Sets [`Report::failed`] for a run that fails on warnings too (`fail-on =
    /// "warning"`), or only on errors.
    pub fn fail_on_warnings(mut self, warnings: bool) -> Report {
        self.failed = self.summary.errors > 0 || (warnings && self.summary.warnings > 0);
        self
    }

    /// Whether any finding is an error (the API will refuse the upload).
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }

    /// The most severe finding, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.diagnostics.iter().map(|d| d.severity).min()
    }
}

/// Canonical order: by location (numeric path segments compare as numbers), then
/// severity, rule id and message.
fn compare(a: &Diagnostic, b: &Diagnostic) -> Ordering {
    compare_pointers(&a.location, &b.location)
        .then(a.severity.cmp(&b.severity))
        .then_with(|| a.rule.cmp(&b.rule))
        .then_with(|| a.message.cmp(&b.message))
}

pub fn compare_pointers(a: &str, b: &str) -> Ordering {
    let mut xs = a.split('/');
    let mut ys = b.split('/');
    loop {
        match (xs.next(), ys.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let o = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(i), Ok(j)) => i.cmp(&j),
                    _ => x.cmp(y),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_sort_numerically() {
        let mut v = vec!["/a/10", "/a/2", "/a", "/b", "/a/2/x"];
        v.sort_by(|a, b| compare_pointers(a, b));
        assert_eq!(v, ["/a", "/a/2", "/a/2/x", "/a/10", "/b"]);
    }
}
