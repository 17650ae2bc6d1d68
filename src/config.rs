//! Run configuration (`certgate.toml`): which rules run, at which severity, with which
//! thresholds, when the run fails, and (for batch runs) which uploads to check.
//!
//! Pure: the caller finds and reads the file; this module parses the text and applies
//! it to a [`Profile`].
//!
//! ```toml
//! fail-on = "warning"            # exit 1 on warnings too (default: "error")
//! rules-files = ["policy.toml"]  # user rule files, relative to this file
//!
//! [rules]
//! disable = ["chain-root-included"]
//! severity = { cert-expiring-soon = "error" }
//!
//! [parameters]                  # rule id -> parameters of each of its instances
//! cert-expiring-soon = { days = 45 }
//!
//! [thresholds]                   # the older form of two parameters (still read)
//! expiring-soon-days = 45        # `days` of every `cert-expiring-soon` instance
//! min-rsa-bits = 3072            # `min-rsa-bits` of every `weak-key` instance
//!
//! [[upload]]                     # batch runs: `certgate check --manifest certgate.toml`
//! profile = "huawei-elb-v3"
//! document = "requests/web.json"
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Deserialize;

use crate::catalogue::{Catalogue, Profile};
use crate::report::{Report, Severity};
use crate::rules::kinds::THRESHOLDS;

/// The least severe finding that fails a run (exit code 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum FailOn {
    /// Errors fail the run (the default).
    #[default]
    Error,
    /// Errors and warnings fail the run.
    Warning,
}

impl FailOn {
    /// Whether the report fails the run.
    pub fn fails(self, report: &Report) -> bool {
        match self {
            FailOn::Error => report.summary.errors > 0,
            FailOn::Warning => report.summary.errors + report.summary.warnings > 0,
        }
    }

    /// The report with its `failed` verdict set under this setting.
    pub fn judge(self, report: Report) -> Report {
        report.fail_on_warnings(self == FailOn::Warning)
    }
}

/// `[rules]`: switch rules off or change their severity, by id.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RulesConfig {
    /// Rule ids switched off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Rule id → the severity it reports with.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

/// `[thresholds]`: the older form of two parameters, each set on every instance of a
/// kind (`crate::rules::kinds::THRESHOLDS` says which).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Thresholds {
    /// Days before notAfter when expiry warnings start.
    #[serde(default)]
    pub expiring_soon_days: Option<i64>,
    /// The smallest RSA key accepted.
    #[serde(default)]
    pub min_rsa_bits: Option<usize>,
}

impl Thresholds {
    /// `(key, value)` of each threshold set.
    fn set(&self) -> Vec<(&'static str, serde_json::Value)> {
        let mut out = Vec::new();
        if let Some(d) = self.expiring_soon_days {
            out.push(("expiring-soon-days", d.into()));
        }
        if let Some(b) = self.min_rsa_bits {
            out.push(("min-rsa-bits", b.into()));
        }
        out
    }
}

/// Parameter values for the instances of one rule id (`[parameters]`).
pub type Parameters = serde_json::Map<String, serde_json::Value>;

/// One upload of a batch run.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Upload {
    /// A label for reports; default: the document path.
    #[serde(default)]
    pub name: Option<String>,
    /// The profile id (`huawei-elb-v3`).
    pub profile: String,
    /// The request document, relative to the configuration file.
    pub document: String,
}

/// A parsed `certgate.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct Config {
    /// `fail-on`: the least severe finding that fails a run.
    #[serde(default)]
    pub fail_on: Option<FailOn>,
    /// User rule files (same format as `rules/*.toml`), relative to the configuration.
    #[serde(default)]
    pub rules_files: Vec<String>,
    /// `[rules]`: rules switched off or given another severity.
    #[serde(default)]
    pub rules: RulesConfig,
    /// `[thresholds]`: the common tunable limits.
    #[serde(default)]
    pub thresholds: Thresholds,
    /// Rule id → parameters merged into each instance of that id.
    #[serde(default)]
    pub parameters: BTreeMap<String, Parameters>,
    /// `[[upload]]`: the uploads `certgate check` checks without arguments.
    #[serde(default)]
    pub upload: Vec<Upload>,
    /// `[revisions]`: profile id → the revision a bare `--profile id` selects in this
    /// project (e.g. an opt-in document the team has adopted).
    #[serde(default)]
    pub revisions: BTreeMap<String, String>,
}

/// A configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Parses the TOML text of a configuration file.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError(e.to_string()))?;
        if let Some(d) = config.thresholds.expiring_soon_days {
            if d < 0 {
                return Err(ConfigError(format!(
                    "thresholds.expiring-soon-days must not be negative (got {d})"
                )));
            }
        }
        if config.thresholds.min_rsa_bits == Some(0) {
            return Err(ConfigError(
                "thresholds.min-rsa-bits must be positive".into(),
            ));
        }
        Ok(config)
    }

    /// Every rule id the configuration names must exist in some profile of the catalogue
    /// or in `certgate lint`'s profile (one certgate.toml serves both commands); the
    /// error names the unknown ones.
    pub fn check_rule_ids(&self, catalogue: &Catalogue) -> Result<(), ConfigError> {
        let known: BTreeSet<&str> = catalogue
            .profiles()
            .iter()
            .flat_map(|p| p.rules.iter().map(|r| r.id.as_str()))
            .collect();
        let unknown: BTreeSet<&str> = self
            .rules
            .disable
            .iter()
            .chain(self.rules.severity.keys())
            .chain(self.parameters.keys())
            .map(String::as_str)
            .filter(|id| !known.contains(id))
            .collect();
        // Read only when needed: the lint profile is parsed from TOML.
        let unknown: BTreeSet<&str> = if unknown.is_empty() {
            unknown
        } else {
            let lint = crate::lint::rule_ids();
            unknown
                .into_iter()
                .filter(|id| !lint.contains(id))
                .collect()
        };
        if unknown.is_empty() {
            self.check_revisions(catalogue)?;
            self.check_parameters(catalogue)
        } else {
            let named: Vec<String> = unknown
                .into_iter()
                .map(
                    |id| match crate::suggest::closest(id, known.iter().copied()) {
                        Some(near) => format!("{id} (did you mean `{near}`?)"),
                        None => id.to_string(),
                    },
                )
                .collect();
            Err(ConfigError(format!(
                "unknown rule id{} in the configuration: {}; `certgate rules` lists them",
                if named.len() == 1 { "" } else { "s" },
                named.join(", ")
            )))
        }
    }

    /// Every `[revisions]` entry must name a profile id and one of its revisions.
    fn check_revisions(&self, catalogue: &Catalogue) -> Result<(), ConfigError> {
        for (id, revision) in &self.revisions {
            let revisions: Vec<&str> = catalogue
                .profiles()
                .iter()
                .filter(|p| p.id() == id)
                .map(|p| p.meta.revision.as_str())
                .collect();
            if revisions.is_empty() {
                let hint =
                    crate::suggest::did_you_mean(id, catalogue.profiles().iter().map(|p| p.id()));
                return Err(ConfigError(format!(
                    "[revisions] names the unknown profile {id:?}{hint}"
                )));
            }
            if !revisions.contains(&revision.as_str()) {
                return Err(ConfigError(format!(
                    "[revisions] {id} = {revision:?}: the profile has no such revision; its revisions: {}",
                    revisions.join(", ")
                )));
            }
        }
        Ok(())
    }

    /// The profile a `--profile` name selects under this configuration: `id@revision`
    /// when `[revisions]` pins the bare `id`, else the name as given.
    pub fn profile_name(&self, name: &str) -> String {
        match self.revisions.get(name) {
            Some(revision) if !name.contains('@') => format!("{name}@{revision}"),
            _ => name.to_string(),
        }
    }

    /// Every `[parameters]` entry must load into each instance of its rule id: a
    /// parameter the kind has, of the type it takes.
    fn check_parameters(&self, catalogue: &Catalogue) -> Result<(), ConfigError> {
        for (id, params) in &self.parameters {
            for r in catalogue
                .profiles()
                .iter()
                .flat_map(|p| &p.rules)
                .filter(|r| &r.id == id)
            {
                r.check
                    .with_params(params)
                    .map_err(|e| ConfigError(format!("[parameters] rule {id}: {e}")))?;
            }
        }
        Ok(())
    }

    /// The parameter values this configuration sets on an instance of rule `id` with
    /// kind `kind`: `[thresholds]` first, then `[parameters]`.
    fn overrides(&self, id: &str, kind: &str) -> Parameters {
        let mut out = Parameters::new();
        for (key, value) in self.thresholds.set() {
            if let Some(t) = THRESHOLDS.iter().find(|t| t.key == key && t.kind == kind) {
                out.insert(t.param.to_string(), value);
            }
        }
        if let Some(p) = self.parameters.get(id) {
            out.extend(p.clone());
        }
        out
    }

    /// The profile as this configuration runs it: disabled rules removed, severities
    /// overridden, parameters set (an instance they do not fit keeps its own:
    /// [`Config::check_rule_ids`] reports that before a run).
    pub fn apply(&self, profile: &Profile) -> Profile {
        let mut p = profile.clone();
        p.rules.retain(|r| !self.rules.disable.contains(&r.id));
        for r in &mut p.rules {
            if let Some(s) = self.rules.severity.get(&r.id) {
                r.severity = *s;
            }
            let overrides = self.overrides(&r.id, r.check.kind());
            if !overrides.is_empty() {
                if let Ok(c) = r.check.with_params(&overrides) {
                    r.check = c;
                }
            }
        }
        p
    }

    /// How this configuration changes rule `id` in `profile`, one phrase per change
    /// (`disabled`, `severity error (built-in warning)`, `min-bits = 3072 (built-in
    /// 2048)`); empty when the profile has no such rule or nothing changes.
    pub fn changes(&self, profile: &Profile, id: &str) -> Vec<String> {
        let configured = self.apply(profile);
        let Some(b) = profile.rules.iter().find(|r| r.id == id) else {
            return Vec::new();
        };
        let mut changes = Vec::new();
        match configured.rules.iter().find(|r| r.id == id) {
            None => changes.push("disabled".to_string()),
            Some(n) => {
                if b.severity != n.severity {
                    changes.push(format!("severity {} (built-in {})", n.severity, b.severity));
                }
                // Any parameter the configuration changed, by its kind's name for it.
                let (was, is) = (b.check.params(), n.check.params());
                for (name, value) in &is {
                    match was.get(name) {
                        Some(old) if old == value => {}
                        Some(old) => changes.push(format!("{name} = {value} (built-in {old})")),
                        None => changes.push(format!("{name} = {value}")),
                    }
                }
            }
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Check;

    fn elb() -> Profile {
        Catalogue::builtin()
            .unwrap()
            .profile("huawei-elb-v3")
            .unwrap()
            .clone()
    }

    #[test]
    fn revisions_pin_what_a_bare_id_selects() {
        let c = Config::parse("[revisions]\nhuawei-elb-v3 = \"2026-01-20\"\n").unwrap();
        assert_eq!(c.profile_name("huawei-elb-v3"), "huawei-elb-v3@2026-01-20");
        assert_eq!(
            c.profile_name("huawei-elb-v3@2024-07-11"),
            "huawei-elb-v3@2024-07-11"
        );
        assert_eq!(c.profile_name("huawei-apic-v2"), "huawei-apic-v2");
        assert!(c.check_rule_ids(&Catalogue::builtin().unwrap()).is_ok());
        let bad = Config::parse("[revisions]\nhuawei-apic-v2 = \"2026-01-20\"\n").unwrap();
        let e = bad
            .check_rule_ids(&Catalogue::builtin().unwrap())
            .unwrap_err();
        assert!(
            e.0.contains("huawei-apic-v2 = \"2026-01-20\": the profile has no such revision"),
            "{e}"
        );
    }

    #[test]
    fn disables_overrides_and_sets_thresholds() {
        let c = Config::parse(
            "[rules]\ndisable = [\"chain-root-included\"]\nseverity = { no-san = \"error\" }\n\
             [thresholds]\nexpiring-soon-days = 60\nmin-rsa-bits = 3072\n",
        )
        .unwrap();
        let p = c.apply(&elb());
        assert!(!p.rules.iter().any(|r| r.id == "chain-root-included"));
        let no_san = p.rules.iter().find(|r| r.id == "no-san").unwrap();
        assert_eq!(no_san.severity, Severity::Error);
        assert!(
            p.rules
                .iter()
                .any(|r| matches!(&r.check, Check::CertExpiringSoon(k) if k.days == 60))
        );
        assert!(
            p.rules
                .iter()
                .any(|r| matches!(&r.check, Check::WeakKey(k) if k.min_rsa_bits == 3072))
        );
    }

    #[test]
    fn unknown_ids_are_named() {
        let c = Config::parse(
            "[rules]\ndisable = [\"no-such\", \"no-san\"]\nseverity = { typo-rule = \"info\" }\n",
        )
        .unwrap();
        let e = c
            .check_rule_ids(&Catalogue::builtin().unwrap())
            .unwrap_err();
        assert!(e.0.contains("no-such, typo-rule"), "{e}");
        let e = Config::parse("[rules]\ndisable = [\"domain-cuont\"]\n")
            .unwrap()
            .check_rule_ids(&Catalogue::builtin().unwrap())
            .unwrap_err();
        assert!(
            e.0.contains("domain-cuont (did you mean `domain-count`?)"),
            "{e}"
        );
        assert!(!e.0.contains("no-san"), "{e}");
    }

    #[test]
    fn typos_in_keys_are_errors() {
        assert!(Config::parse("[thresholds]\nexpiring-days = 3\n").is_err());
        assert!(Config::parse("fail-on = \"info\"\n").is_err());
        assert!(Config::parse("[thresholds]\nexpiring-soon-days = -1\n").is_err());
    }

    #[test]
    fn fail_on_warning_counts_warnings() {
        let r = Report::new("x", Vec::new());
        assert!(!FailOn::Warning.fails(&r));
        let mut w = r.clone();
        w.summary.warnings = 1;
        assert!(FailOn::Warning.fails(&w));
        assert!(!FailOn::Error.fails(&w));
    }
}
