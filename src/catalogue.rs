//! The rule catalogue: profiles and rule instances as data (`rules/*.toml`), compiled
//! into the binary. Rust implements the rule kinds (`crate::rules`); this module only
//! loads, validates and looks up the data.

use std::collections::BTreeMap;
use std::fmt;

use regex::Regex;
use serde::Deserialize;

use crate::report::{Basis, Citation, Severity};
use crate::request::{FieldValue, Request};
use crate::sources::{Document, Source, Sources};

// `BUILTIN_FILES` and `BUILTIN_JSON`: every rule file in `rules/` but
// `lint.toml`, listed by build.rs, so adding a target is adding a file.
include!(concat!(env!("OUT_DIR"), "/rules/builtin.rs"));
// `BUILTIN_FILES` is read through `harness::internals` (the tests); a use without it.
#[cfg(not(feature = "harness"))]
const _: usize = BUILTIN_FILES.len();

/// `(file name, profile id)` of every rule file in `rules/`, made by build.rs; the id
/// is empty for a shared set.
const BUILTIN_PROFILE_IDS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/rules/index.rs"));

/// What a field of the request holds, which decides how it is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Material {
    /// Plain text (names, domain lists, enums).
    Text,
    /// PEM certificates: a leaf and its chain, or a CA certificate.
    Certificates,
    /// One PEM private key.
    PrivateKey,
    /// A password or other secret: never shown.
    Secret,
    /// A PKCS#12 archive (.pfx/.p12): a file name relative to the request document, or
    /// `{"file": ...}`. Its password is the field named by `password`.
    Pkcs12,
    /// A PKCS#10 certificate signing request (PEM, DER, or a response body).
    Csr,
    /// A JSON object that holds other declared fields (ELB's `certificate` wrapper).
    Object,
    /// PEM text holding one private key and its certificates (leaf first, then its
    /// chain), in any block order: Key Vault's PEM import, HAProxy-style bundles. The
    /// certificates are read as a certificates field, the key as a private-key field
    /// paired with them, both at the field's own pointer.
    KeyAndCertificates,
}

impl Material {
    pub fn is_pem(self) -> bool {
        matches!(
            self,
            Material::Certificates | Material::PrivateKey | Material::KeyAndCertificates
        )
    }

    pub fn is_secret(self) -> bool {
        matches!(
            self,
            Material::PrivateKey | Material::Secret | Material::KeyAndCertificates
        )
    }

    /// Whether the field holds certificates (the certificate kinds apply to it).
    pub fn has_certificates(self) -> bool {
        matches!(self, Material::Certificates | Material::KeyAndCertificates)
    }

    /// Whether the field holds a PEM private key (the key kinds apply to it).
    pub fn has_private_key(self) -> bool {
        matches!(self, Material::PrivateKey | Material::KeyAndCertificates)
    }

    /// The JSON type a field of this material has unless its `[[field]]` says otherwise.
    pub fn default_type(self) -> FieldType {
        match self {
            Material::Object => FieldType::Object,
            _ => FieldType::String,
        }
    }
}

/// The JSON type the API takes for a field (`type` in a `[[field]]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldType {
    String,
    Boolean,
    Object,
    /// `true`/`false` as a JSON boolean or as the form-field text (Esri's flags).
    StringOrBoolean,
    /// A JSON integer (Tencent's `ProjectId`).
    Integer,
}

impl FieldType {
    /// Whether a JSON value has this type.
    pub fn accepts(self, v: &serde_json::Value) -> bool {
        use serde_json::Value;
        matches!(
            (self, v),
            (
                FieldType::String | FieldType::StringOrBoolean,
                Value::String(_)
            ) | (
                FieldType::Boolean | FieldType::StringOrBoolean,
                Value::Bool(_)
            ) | (FieldType::Object, Value::Object(_))
        ) || matches!((self, v), (FieldType::Integer, Value::Number(n)) if n.is_i64() || n.is_u64())
    }

    /// "a string", "a string or a boolean"...
    pub fn describe(self) -> &'static str {
        match self {
            FieldType::String => "a string",
            FieldType::Boolean => "a boolean",
            FieldType::Object => "an object",
            FieldType::StringOrBoolean => "a string or a boolean",
            FieldType::Integer => "an integer",
        }
    }
}

/// A declared field of a profile's request document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FieldSpec {
    pub pointer: String,
    pub material: Material,
    /// For a private key: the certificate field it belongs to.
    #[serde(default)]
    pub certificate: Option<String>,
    /// For certificates: when the first certificate is a TLS server leaf (server-only
    /// rules such as `leaf-is-ca` and `no-san` apply to it).
    #[serde(default)]
    pub server_leaf: Option<Condition>,
    /// For a PKCS#12 archive: the field holding its password.
    #[serde(default)]
    pub password: Option<String>,
    /// The JSON type the API takes; by default the material's (`object` for an
    /// object, else `string`).
    #[serde(default, rename = "type")]
    pub json_type: Option<FieldType>,
    /// How the value is encoded in the document (Kubernetes `data`: base64); the
    /// submission decodes it once before the material rules see it.
    #[serde(default)]
    pub encoding: Option<Encoding>,
    /// A field holding the same value unencoded, which wins when present (Kubernetes
    /// `stringData` over `data`, as the API server merges them).
    #[serde(default)]
    pub plain: Option<String>,
    /// When this declaration holds (the conditions rules use): a field whose form
    /// depends on another field (Key Vault's `value`, a PKCS#12 archive or PEM text as
    /// `contentType` says) is declared once per form, under exclusive conditions.
    #[serde(default)]
    pub when: Condition,
}

/// How a field's value is encoded in the request document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// Standard base64 with padding; line breaks are ignored (Go's `encoding/base64`,
    /// which Kubernetes' `[]byte` fields and Azure's `pfxBlob` use).
    Base64,
}

impl FieldSpec {
    /// A PKCS#12 field whose value names the archive file (a multipart upload), not an
    /// encoded archive such as a base64 `pfxBlob`.
    pub fn is_archive_file(&self) -> bool {
        self.material == Material::Pkcs12 && self.encoding.is_none()
    }

    /// The plain alternative (`plain`), when `request` gives it: its value wins over the
    /// encoded field's, as the API server merges them.
    pub fn plain_given<'a>(&'a self, request: &Request) -> Option<&'a str> {
        self.plain
            .as_deref()
            .filter(|p| request.field(p).is_non_empty())
    }

    /// Whether this declaration holds for `request` (its `when`).
    pub fn holds(&self, profile: &Profile, request: &Request) -> bool {
        self.when.holds(profile, request)
    }

    /// The declared JSON type, or the material's default.
    pub fn json_type(&self) -> FieldType {
        self.json_type
            .unwrap_or_else(|| self.material.default_type())
    }
}

/// A value of a profile variable, read from the request with a default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VarSpec {
    pub pointer: String,
    #[serde(default)]
    pub default: Option<String>,
}

/// One string or several.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    /// The values, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let (one, many) = match self {
            OneOrMany::One(x) => (Some(x.as_str()), &[][..]),
            OneOrMany::Many(xs) => (None, xs.as_slice()),
        };
        one.into_iter().chain(many.iter().map(String::as_str))
    }

    fn contains(&self, v: &str) -> bool {
        match self {
            OneOrMany::One(x) => x == v,
            OneOrMany::Many(xs) => xs.iter().any(|x| x == v),
        }
    }
}

/// What a condition asks of one variable: one value, one of several values, or a prefix.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(
    untagged,
    expecting = "a value, a list of values, or a table `{ starts-with = \"prefix\" }`"
)]
pub enum Want {
    /// `var = "value"` or `var = ["a", "b"]`: the value is one of those listed.
    Values(OneOrMany),
    /// `var = { starts-with = "/cloudfront/" }`: the value begins with the prefix (IAM's
    /// `Path`, whose meaning is its first segment).
    Prefix(Prefix),
}

/// `{ starts-with = "..." }`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Prefix {
    pub starts_with: String,
}

impl Want {
    /// Whether the variable's value `v` satisfies this.
    fn accepts(&self, v: &str) -> bool {
        match self {
            Want::Values(values) => values.contains(v),
            Want::Prefix(p) => v.starts_with(&p.starts_with),
        }
    }

    /// Whether some value satisfies both this and `other`. Two prefixes meet when one
    /// begins with the other (the longer one is such a value).
    fn meets(&self, other: &Want) -> bool {
        match (self, other) {
            (Want::Values(a), b) => a.iter().any(|v| b.accepts(v)),
            (a, Want::Values(b)) => b.iter().any(|v| a.accepts(v)),
            (Want::Prefix(a), Want::Prefix(b)) => {
                a.starts_with.starts_with(&b.starts_with)
                    || b.starts_with.starts_with(&a.starts_with)
            }
        }
    }
}

impl fmt::Display for Want {
    /// How a condition names the test after its variable: `= x`, `in [x, y]`, `starts
    /// with /p/`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Want::Values(OneOrMany::One(x)) => write!(f, "= {x}"),
            Want::Values(OneOrMany::Many(xs)) => write!(f, "in [{}]", xs.join(", ")),
            Want::Prefix(p) => write!(f, "starts with {}", p.starts_with),
        }
    }
}

/// When a rule applies: every listed variable has one of the listed values (or begins
/// with the listed prefix), and the `present` field (if named; of several, any one) is
/// present.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Condition {
    #[serde(default)]
    pub present: Option<OneOrMany>,
    /// What each named variable (a `[vars.<name>]` of the profile) must hold.
    #[serde(flatten)]
    pub vars: BTreeMap<String, Want>,
}

impl Condition {
    pub fn holds(&self, profile: &Profile, request: &Request) -> bool {
        if let Some(p) = &self.present {
            if !p.iter().any(|p| request.field(p).is_non_empty()) {
                return false;
            }
        }
        self.vars
            .iter()
            .all(|(var, want)| match profile.var(var, request) {
                Some(v) => want.accepts(&v),
                None => false,
            })
    }

    /// Whether this condition and `other` can never hold together: both constrain one
    /// variable so that no value satisfies both (values with none in common, a prefix
    /// none of the other's values begins with, two prefixes neither of which begins with
    /// the other).
    pub fn excludes(&self, other: &Condition) -> bool {
        self.vars.iter().any(|(var, want)| {
            other
                .vars
                .get(var)
                .is_some_and(|theirs| !want.meets(theirs))
        })
    }

    pub fn is_always(&self) -> bool {
        self.present.is_none() && self.vars.is_empty()
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = self
            .vars
            .iter()
            .map(|(k, want)| format!("{k} {want}"))
            .collect();
        if let Some(p) = &self.present {
            let fields: Vec<&str> = p.iter().collect();
            parts.push(format!("{} is given", fields.join(" or ")));
        }
        if parts.is_empty() {
            f.write_str("always")
        } else {
            f.write_str(&parts.join(" and "))
        }
    }
}

/// Which fields a rule without `at` applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applies {
    /// Every PEM field (certificates and private keys).
    Pem,
    Certificates,
    PrivateKey,
    /// The first certificate of each certificate field whose `server-leaf` holds.
    ServerLeaf,
    /// Every PKCS#12 archive field (its certificates, for the certificate kinds).
    Pkcs12,
    /// Every declared field.
    Fields,
}

impl Applies {
    /// How the catalogue listings name the fields a shared rule applies to.
    pub fn describe(self) -> &'static str {
        match self {
            Applies::Pem => "every PEM field",
            Applies::Certificates => "every certificate field",
            Applies::PrivateKey => "every private-key field",
            Applies::ServerLeaf => "every server certificate chain",
            Applies::Pkcs12 => "every PKCS#12 archive field",
            Applies::Fields => "every declared field",
        }
    }
}

/// A rule instance's kind and parameters: the kinds are listed once, in
/// `crate::rules::kinds`.
pub use crate::rules::kinds::Check;

/// The key-usage problems a `chain-usage` rule reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UsageKind {
    /// An issuing certificate without cA=TRUE or without keyCertSign.
    IssuerCa,
    /// A leaf with extendedKeyUsage but no serverAuth.
    ServerAuth,
    /// A pathLenConstraint the chain exceeds.
    PathLen,
}

/// One rule instance: a kind with parameters, where it applies, and its documentation.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)] // internal; reachable only through `harness::internals`
pub struct RuleInstance {
    pub id: String,
    pub severity: Severity,
    pub basis: Basis,
    pub summary: String,
    pub help: String,
    /// Why the upload fails, for inferred rules especially.
    #[serde(default)]
    pub why: Option<String>,
    #[serde(default)]
    pub citation: Option<Citation>,
    /// The field the rule checks; rules shared between profiles use `applies` instead.
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    pub applies: Option<Applies>,
    #[serde(default)]
    pub when: Condition,
    #[serde(flatten)]
    pub check: Check,
}

/// Where a profile's documentation comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[allow(missing_docs)] // internal; reachable only through `harness::internals`
pub struct ProfileMeta {
    pub id: String,
    pub title: String,
    pub endpoint: String,
    /// The document this profile encodes: an id in `rules/sources/sources.toml`.
    pub seed: String,
    /// That document, from the registry when the catalogue loads.
    #[serde(skip)]
    pub document: Option<Document>,
    /// The document's own "updated on" date, when it has one.
    #[serde(default)]
    pub doc_updated: Option<String>,
    /// The API version the endpoint was introduced in, when the document says.
    #[serde(default)]
    #[allow(dead_code)] // rule-file data no output shows yet
    pub api_version: Option<String>,
    /// Revision of this profile's data; a newer document gets a new revision beside
    /// the old one (`id@revision` selects it).
    pub revision: String,
    /// A revision only `id@revision` selects: `id` alone keeps meaning the newest
    /// revision without it (a newer document can be offered before it becomes the
    /// default, which changes what `--profile id` checks for every user).
    #[serde(default)]
    pub opt_in: bool,
    #[serde(default)]
    pub include: Vec<String>,
}

/// A user policy file's header: which profiles its rules are added to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PolicyMeta {
    /// Profile ids (`"*"` for every profile) the file's `[[rule]]` entries apply to.
    pub profiles: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    #[serde(default)]
    profile: Option<ProfileMeta>,
    #[serde(default)]
    policy: Option<PolicyMeta>,
    #[serde(default)]
    vars: BTreeMap<String, VarSpec>,
    #[serde(default)]
    field: Vec<FieldSpec>,
    #[serde(default)]
    rule: Vec<RuleInstance>,
    #[serde(default)]
    cite: BTreeMap<String, SharedCitation>,
    /// A profile's own severity for a rule of a shared set it includes, by rule id.
    #[serde(default)]
    severity: BTreeMap<String, SharedSeverity>,
}

/// A profile's own severity for a shared rule (`[severity]` in the profile file): a
/// target whose API does not check what the set's rule assumes it checks (Kubernetes
/// stores `tls.crt` unread) makes that rule a warning, and says why.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedSeverity {
    severity: Severity,
    why: String,
}

/// A profile's own citation for a rule of a shared set it includes (`[cite]` in the
/// profile file, by rule id): what this target's documentation says, so that a finding
/// never cites another target's page. Without one, the shared rule keeps the citation of
/// its set (a standard, basis inferred).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedCitation {
    basis: Basis,
    source: String,
    #[serde(default)]
    section: Option<String>,
    quote: String,
}

/// One rule file, parsed. `trusted`: a built-in file, validated by the tests instead
/// of at every start.
struct Parsed {
    name: String,
    file: ProfileFile,
    trusted: bool,
}

impl Parsed {
    fn json(name: &str, json: &str) -> Result<Parsed, CatalogueError> {
        Parsed::new(name, serde_json::from_str(json), true)
    }

    fn toml(name: &str, text: &str) -> Result<Parsed, CatalogueError> {
        Parsed::new(name, toml::from_str(text), false)
    }

    fn new<E: fmt::Display>(
        name: &str,
        file: Result<ProfileFile, E>,
        trusted: bool,
    ) -> Result<Parsed, CatalogueError> {
        let file = file.map_err(|e| CatalogueError {
            file: name.to_string(),
            detail: e.to_string(),
        })?;
        Ok(Parsed {
            name: name.to_string(),
            file,
            trusted,
        })
    }
}

/// A target API: its documentation, fields and rule instances.
///
/// Profiles come from a [`Catalogue`]; they are not built by hand.
///
/// ```
/// let catalogue = certgate::Catalogue::builtin().expect("the built-in catalogue loads");
/// let profile = catalogue.profile("huawei-elb-v3").expect("a built-in target");
/// assert_eq!(profile.id(), "huawei-elb-v3");
/// assert!(profile.has_rule("domain-wildcard"));
/// ```
#[derive(Debug, Clone)]
pub struct Profile {
    pub(crate) meta: ProfileMeta,
    pub(crate) vars: BTreeMap<String, VarSpec>,
    pub(crate) fields: Vec<FieldSpec>,
    pub(crate) rules: Vec<RuleInstance>,
    /// Compiled on first use: a `check` needs one profile's patterns, not all of them.
    patterns: std::sync::OnceLock<BTreeMap<String, Regex>>,
}

impl Profile {
    /// The target's id (`huawei-elb-v3`), as `--profile` and [`Catalogue::profile`] take it.
    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// The target's title, one line for listings.
    pub fn title(&self) -> &str {
        &self.meta.title
    }

    /// The ids of the profile's rules, in catalogue order.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }

    /// Whether the profile has a rule with this id.
    pub fn has_rule(&self, id: &str) -> bool {
        self.rules.iter().any(|r| r.id == id)
    }

    /// The JSON Pointer of the profile's CSR field, for targets whose response body
    /// carries a certificate signing request.
    pub fn csr_field(&self) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.material == Material::Csr)
            .map(|f| f.pointer.as_str())
    }

    /// The JSON Pointers of fields whose string names an archive file to read (a
    /// multipart upload's PKCS#12 path), which [`crate::resolve_references`] opens.
    pub fn archive_file_fields(&self) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .filter(|f| f.is_archive_file())
            .map(|f| f.pointer.as_str())
    }

    /// The name reports carry: the id, or `id@revision` for an opt-in revision (which
    /// `id` alone does not select, so the report must say which document it used).
    pub fn report_name(&self) -> String {
        if self.meta.opt_in {
            self.qualified_id()
        } else {
            self.meta.id.clone()
        }
    }

    /// `id@revision`, unique in a catalogue.
    pub fn qualified_id(&self) -> String {
        format!("{}@{}", self.meta.id, self.meta.revision)
    }

    /// The first declaration of `pointer`, whatever its condition: for callers without
    /// a request. With a request, [`Profile::active_field`] picks the one that holds.
    pub(crate) fn field_spec(&self, pointer: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.pointer == pointer)
    }

    /// The declarations whose `when` holds for `request`: one per pointer (conditions
    /// of one pointer's declarations are exclusive, which the catalogue checks).
    pub(crate) fn active_fields<'p>(
        &'p self,
        request: &'p Request,
    ) -> impl Iterator<Item = &'p FieldSpec> + 'p {
        self.fields.iter().filter(|f| f.holds(self, request))
    }

    /// The declaration of `pointer` that holds for `request`.
    pub(crate) fn active_field(&self, pointer: &str, request: &Request) -> Option<&FieldSpec> {
        self.fields
            .iter()
            .find(|f| f.pointer == pointer && f.holds(self, request))
    }

    /// A profile variable's value: the request's string at its pointer, else the default.
    pub(crate) fn var(&self, name: &str, request: &Request) -> Option<String> {
        let spec = self.vars.get(name)?;
        match request.field(&spec.pointer) {
            FieldValue::Text(s) => Some(s.to_string()),
            FieldValue::Other(v) => Some(v.to_string()),
            _ => spec.default.clone(),
        }
    }

    /// The compiled regex of a `pattern` rule, compiled once per profile on first use
    /// (the syntax was checked when the catalogue loaded).
    pub(crate) fn pattern(&self, source: &str) -> Option<&Regex> {
        self.patterns
            .get_or_init(|| {
                self.rules
                    .iter()
                    .filter_map(|r| match &r.check {
                        Check::Pattern(k) => Some(&k.pattern),
                        _ => None,
                    })
                    .filter_map(|p| Some((p.clone(), Regex::new(p).ok()?)))
                    .collect()
            })
            .get(source)
    }

    /// Whether the field holds secrets that must never be echoed (under any of its
    /// declarations).
    pub(crate) fn is_secret(&self, pointer: &str) -> bool {
        self.fields
            .iter()
            .any(|f| f.pointer == pointer && f.material.is_secret())
    }
}

/// A problem in catalogue data (built-in or a user's rule file).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CatalogueError {
    /// The rule file's name.
    pub file: String,
    /// What is wrong in it.
    pub detail: String,
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.detail)
    }
}

impl std::error::Error for CatalogueError {}

/// All profiles known to a run.
#[derive(Debug, Clone)]
pub struct Catalogue {
    profiles: Vec<Profile>,
}

impl Catalogue {
    /// The catalogue compiled into certgate.
    ///
    /// ```
    /// let catalogue = certgate::Catalogue::builtin().expect("the built-in catalogue loads");
    /// let elb = catalogue.profile("huawei-elb-v3").expect("a built-in target");
    /// assert!(catalogue.profile_ids().iter().any(|id| id == elb.id()));
    /// assert!(catalogue.profile("no-such-target").is_none());
    /// ```
    pub fn builtin() -> Result<Catalogue, CatalogueError> {
        Catalogue::builtin_with(&[])
    }

    /// The built-in catalogue plus user rule files (`(file name, TOML text)`: policies
    /// and new profiles), in that order. The built-in files are loaded from the JSON
    /// form build.rs made of them and are not validated again here: the tests load
    /// them from TOML through [`Catalogue::from_files`], which validates, and check that
    /// both forms give the same catalogue.
    pub fn builtin_with(user_files: &[(&str, &str)]) -> Result<Catalogue, CatalogueError> {
        let mut parsed = Vec::with_capacity(BUILTIN_JSON.len() + user_files.len());
        for (name, json) in BUILTIN_JSON {
            parsed.push(Parsed::json(name, json)?);
        }
        for (name, text) in user_files {
            parsed.push(Parsed::toml(name, text)?);
        }
        Catalogue::assemble(parsed)
    }

    /// The built-in catalogue restricted to the profiles named (`id` or `id@revision`,
    /// every revision of the id is kept) and the shared sets they include: one `check`
    /// needs one profile, and deserializing only its files is most of the start-up
    /// saving. Each profile is the same as in [`Catalogue::builtin`].
    pub fn builtin_only(names: &[&str]) -> Result<Catalogue, CatalogueError> {
        let wanted = |id: &str| {
            names
                .iter()
                .any(|n| n.split_once('@').map_or(*n, |(i, _)| i) == id)
        };
        let profile_files: Vec<&str> = BUILTIN_PROFILE_IDS
            .iter()
            .filter(|(_, id)| !id.is_empty() && wanted(id))
            .map(|(file, _)| *file)
            .collect();
        let mut parsed = Vec::new();
        for (name, json) in BUILTIN_JSON {
            if profile_files.contains(name) {
                parsed.push(Parsed::json(name, json)?);
            }
        }
        let includes: Vec<String> = parsed
            .iter()
            .filter_map(|p| p.file.profile.as_ref())
            .flat_map(|m| m.include.iter().map(|i| format!("{i}.toml")))
            .collect();
        // Shared sets first, as in the full catalogue's load order.
        let mut files = Vec::new();
        for (name, json) in BUILTIN_JSON {
            let shared_set = BUILTIN_PROFILE_IDS
                .iter()
                .any(|(file, id)| file == name && id.is_empty());
            if shared_set && includes.iter().any(|i| i == name) {
                files.push(Parsed::json(name, json)?);
            }
        }
        files.extend(parsed);
        Catalogue::assemble(files)
    }

    /// Builds a catalogue from `(file name, TOML text)` pairs. Files without a
    /// `[profile]` table are shared sets that profiles `include` by file stem.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Catalogue, CatalogueError> {
        let parsed = files
            .iter()
            .map(|(name, text)| Parsed::toml(name, text))
            .collect::<Result<Vec<_>, _>>()?;
        Catalogue::assemble(parsed)
    }

    fn assemble(files: Vec<Parsed>) -> Result<Catalogue, CatalogueError> {
        // Shared sets by stem, and whether they are built-in.
        let mut shared: BTreeMap<String, (Vec<RuleInstance>, bool)> = BTreeMap::new();
        let mut raw = Vec::new();
        let mut policies = Vec::new();
        for Parsed {
            name,
            file: parsed,
            trusted,
        } in files
        {
            if parsed.profile.is_none() && !(parsed.cite.is_empty() && parsed.severity.is_empty()) {
                return Err(CatalogueError {
                    file: name,
                    detail: "`[cite]` and `[severity]` give a profile's own citations and severities for the shared rules it includes: only a file with `[profile]` has them".into(),
                });
            }
            if let Some(policy) = parsed.policy.clone() {
                if parsed.profile.is_some() {
                    return Err(CatalogueError {
                        file: name,
                        detail: "a file has `[profile]` (a new target) or `[policy]` (rules added to existing targets), not both".into(),
                    });
                }
                policies.push((name, policy, parsed.rule));
                continue;
            }
            match parsed.profile.clone() {
                None => {
                    let stem = name.trim_end_matches(".toml").to_string();
                    shared.insert(stem, (parsed.rule, trusted));
                }
                Some(meta) => raw.push((name, meta, parsed, trusted)),
            }
        }
        let mut profiles = Vec::new();
        for (file, meta, parsed, mut trusted) in raw {
            let mut rules = parsed.rule;
            let own = rules.len();
            for inc in &meta.include {
                let (set, set_trusted) = shared.get(inc).ok_or_else(|| CatalogueError {
                    file: file.clone(),
                    detail: format!("includes unknown rule set {inc:?}"),
                })?;
                // A profile's own rule with the id and location of a shared one replaces
                // it: what a target's document says of that check (ELB 2026-01-20: the
                // API does not check validity, so expiry is a warning) wins.
                let shadowed = |s: &RuleInstance| {
                    rules
                        .get(..own)
                        .unwrap_or_default()
                        .iter()
                        .any(|r| r.id == s.id && r.at == s.at && r.applies == s.applies)
                };
                let kept: Vec<RuleInstance> =
                    set.iter().filter(|s| !shadowed(s)).cloned().collect();
                rules.extend(kept);
                // A user file can shadow a built-in set's stem.
                trusted &= *set_trusted;
            }
            cite_shared(
                &file,
                &parsed.cite,
                rules.get_mut(own..).unwrap_or_default(),
            )?;
            rate_shared(
                &file,
                &parsed.severity,
                rules.get_mut(own..).unwrap_or_default(),
            )?;
            let profile = Profile {
                patterns: std::sync::OnceLock::new(),
                meta,
                vars: parsed.vars,
                fields: parsed.field,
                rules,
            };
            if !trusted {
                check_patterns(&file, &profile.rules)?;
                validate(&file, &profile)?;
            }
            profiles.push(profile);
        }
        for (file, policy, rules) in policies {
            apply_policy(&file, &policy, &rules, &mut profiles)?;
        }
        resolve_sources(&mut profiles)?;
        Ok(Catalogue { profiles })
    }

    /// Every profile, shared sets excluded, in id order.
    pub fn profiles(&self) -> &[Profile] {
        &self.profiles
    }

    /// Looks a profile up by `id` (newest revision) or `id@revision`.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        let (id, rev) = match name.split_once('@') {
            Some((i, r)) => (i, Some(r)),
            None => (name, None),
        };
        let matching: Vec<&Profile> = self
            .profiles
            .iter()
            .filter(|p| p.meta.id == id && rev.is_none_or(|r| p.meta.revision == r))
            .collect();
        let newest = |opt_in_too: bool| {
            matching
                .iter()
                .filter(|p| opt_in_too || !p.meta.opt_in)
                .max_by(|a, b| a.meta.revision.cmp(&b.meta.revision))
                .copied()
        };
        // `id` alone: the newest revision that is not opt-in, else the newest.
        newest(rev.is_some()).or_else(|| newest(true))
    }

    /// [`Catalogue::profile`], or an error naming the file the profile should be in.
    pub fn require(&self, name: &str) -> Result<&Profile, CatalogueError> {
        self.profile(name).ok_or_else(|| CatalogueError {
            file: format!("{}.toml", name.split('@').next().unwrap_or(name)),
            detail: format!("no profile {name:?}"),
        })
    }

    /// Profile ids, sorted and unique.
    pub fn profile_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.profiles.iter().map(|p| p.meta.id.clone()).collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

/// Gives the included shared rules (`rules`) the profile's own citations (`[cite]`);
/// every entry must name one of them.
fn cite_shared(
    file: &str,
    cite: &BTreeMap<String, SharedCitation>,
    rules: &mut [RuleInstance],
) -> Result<(), CatalogueError> {
    for (id, c) in cite {
        let mut found = false;
        for r in rules.iter_mut().filter(|r| &r.id == id) {
            r.basis = c.basis;
            r.citation = Some(Citation {
                source: c.source.clone(),
                section: c.section.clone(),
                quote: c.quote.clone(),
                document: None,
            });
            found = true;
        }
        if !found {
            return Err(CatalogueError {
                file: file.to_string(),
                detail: format!("[cite] names rule {id:?}, which no included rule set has"),
            });
        }
    }
    Ok(())
}

/// Gives the included shared rules (`rules`) the profile's own severities
/// (`[severity]`); every entry must name one of them.
fn rate_shared(
    file: &str,
    severity: &BTreeMap<String, SharedSeverity>,
    rules: &mut [RuleInstance],
) -> Result<(), CatalogueError> {
    for (id, s) in severity {
        let mut found = false;
        for r in rules.iter_mut().filter(|r| &r.id == id) {
            r.severity = s.severity;
            r.why = Some(s.why.clone());
            found = true;
        }
        if !found {
            return Err(CatalogueError {
                file: file.to_string(),
                detail: format!("[severity] names rule {id:?}, which no included rule set has"),
            });
        }
    }
    Ok(())
}

/// Fills in the document each citation and each profile's `seed` names, from the
/// registry of sources; a name the registry does not know (a user's own policy
/// document) stays as written.
fn resolve_sources(profiles: &mut [Profile]) -> Result<(), CatalogueError> {
    let sources = Sources::builtin().map_err(|detail| CatalogueError {
        file: "sources.toml".into(),
        detail,
    })?;
    for p in profiles {
        p.meta.document = sources.get(&p.meta.seed).map(Source::document);
        for c in p.rules.iter_mut().filter_map(|r| r.citation.as_mut()) {
            c.document = sources.get(&c.source).map(Source::document);
        }
    }
    Ok(())
}

/// Adds a policy file's rules to the profiles it names; a rule with the id and location
/// (`at` or `applies`) of an existing rule replaces it.
fn apply_policy(
    file: &str,
    policy: &PolicyMeta,
    rules: &[RuleInstance],
    profiles: &mut [Profile],
) -> Result<(), CatalogueError> {
    let err = |detail: String| CatalogueError {
        file: file.to_string(),
        detail,
    };
    for want in &policy.profiles {
        if want != "*" && !profiles.iter().any(|p| &p.meta.id == want) {
            let mut known: Vec<&str> = profiles.iter().map(|p| p.meta.id.as_str()).collect();
            known.sort();
            known.dedup();
            return Err(err(format!(
                "[policy] names unknown profile {want:?}; known profiles: {}",
                known.join(", ")
            )));
        }
    }
    if let Some(r) = rules.iter().find(|r| r.citation.is_none()) {
        return Err(err(format!(
            "rule {}: a policy rule needs a `citation` (e.g. your policy document and the sentence it rests on)",
            r.id
        )));
    }
    for p in profiles.iter_mut() {
        if !policy.profiles.iter().any(|w| w == "*" || *w == p.meta.id) {
            continue;
        }
        for r in rules {
            // A rule whose id and kind the profile already has overrides every such
            // instance (parameters, severity, texts) but keeps each one's location: where
            // a built-in rule looks is the profile's business. Anything else is added.
            let mut overridden = false;
            for existing in p
                .rules
                .iter_mut()
                .filter(|x| x.id == r.id && x.check.kind() == r.check.kind())
            {
                let (at, applies) = (existing.at.clone(), existing.applies);
                *existing = r.clone();
                existing.at = at;
                existing.applies = applies;
                overridden = true;
            }
            if !overridden {
                p.rules.push(r.clone());
            }
        }
        check_patterns(file, &p.rules)?;
        p.patterns = std::sync::OnceLock::new();
        validate(file, p)?;
    }
    Ok(())
}

/// Checks every `pattern` rule's syntax (cheap: no automaton is built); the profile
/// compiles them on first use.
fn check_patterns(file: &str, rules: &[RuleInstance]) -> Result<(), CatalogueError> {
    for r in rules {
        if let Check::Pattern(k) = &r.check {
            regex_syntax::Parser::new()
                .parse(&k.pattern)
                .map_err(|e| CatalogueError {
                    file: file.to_string(),
                    detail: format!("rule {}: bad pattern: {e}", r.id),
                })?;
        }
    }
    Ok(())
}

/// Structural checks a typo in a rule file would break.
fn validate(file: &str, p: &Profile) -> Result<(), CatalogueError> {
    let err = |detail: String| CatalogueError {
        file: file.to_string(),
        detail,
    };
    let mut seen = std::collections::BTreeSet::new();
    for r in &p.rules {
        if r.id.is_empty()
            || !r
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(err(format!(
                "rule id {:?} must be lowercase kebab-case",
                r.id
            )));
        }
        match (&r.at, &r.applies) {
            (Some(_), Some(_)) => {
                return Err(err(format!("rule {} has both `at` and `applies`", r.id)));
            }
            (None, None) => {
                return Err(err(format!("rule {} needs `at` or `applies`", r.id)));
            }
            _ => {}
        }
        if let Some(at) = &r.at {
            if !at.starts_with('/') {
                return Err(err(format!("rule {}: `at` must be a JSON Pointer", r.id)));
            }
        }
        if let Check::Required(k) = &r.check {
            if let Some(p) = k.or.iter().find(|p| !p.starts_with('/')) {
                return Err(err(format!(
                    "rule {}: `or` names {p:?}, which is not a JSON Pointer",
                    r.id
                )));
            }
        }
        if let Check::Pkcs12HostCompat(k) = &r.check {
            if let Some(code) = k
                .reads
                .iter()
                .find(|c| !crate::input::pkcs12::HOST_NOTE_CODES.contains(&c.as_str()))
            {
                return Err(err(format!(
                    "rule {}: `reads` names {code:?}; known: {}",
                    r.id,
                    crate::input::pkcs12::HOST_NOTE_CODES.join(", ")
                )));
            }
        }
        let key = (r.id.clone(), r.at.clone(), format!("{:?}", r.applies));
        if !seen.insert(key) {
            return Err(err(format!(
                "rule {} is defined twice for the same location",
                r.id
            )));
        }
    }
    for (i, f) in p.fields.iter().enumerate() {
        // One pointer may be declared again only under an exclusive condition, so that
        // one declaration at most holds for any request.
        let later = p.fields.iter().skip(i.saturating_add(1));
        if let Some(g) = later
            .filter(|g| g.pointer == f.pointer)
            .find(|g| !f.when.excludes(&g.when))
        {
            return Err(err(format!(
                "field {} is declared twice under conditions that can hold together ({} / {}): \
                 give each declaration a `when` on one variable with values the other's does not have",
                f.pointer, f.when, g.when
            )));
        }
        if !f.pointer.starts_with('/') {
            return Err(err(format!(
                "field {:?}: `pointer` must be a JSON Pointer",
                f.pointer
            )));
        }
        // Materials are decoded from text: a PEM, archive, CSR or secret field is a string.
        let typed = match f.material {
            Material::Text => f.json_type() != FieldType::Object,
            Material::Object => f.json_type() == FieldType::Object,
            _ => f.json_type() == FieldType::String,
        };
        if !typed {
            return Err(err(format!(
                "field {}: a {:?} field cannot have type {:?}",
                f.pointer,
                f.material,
                f.json_type()
            )));
        }
        if let Some(c) = &f.certificate {
            if !p
                .field_spec(c)
                .is_some_and(|s| s.material.has_certificates())
            {
                return Err(err(format!(
                    "field {} pairs with {c}, which is not a certificates field",
                    f.pointer
                )));
            }
        }
        if let Some(pw) = &f.password {
            if f.material != Material::Pkcs12
                || p.field_spec(pw).map(|s| s.material) != Some(Material::Secret)
            {
                return Err(err(format!(
                    "field {} names password {pw}: only a pkcs12 field names a password, \
                     and it must be a secret field",
                    f.pointer
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod condition_tests;
