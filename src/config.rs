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
//! [thresholds]
//! expiring-soon-days = 45        # the `expiring-soon` kind's window (built-in: 30)
//! min-rsa-bits = 3072            # the `weak-key` kind's RSA minimum (built-in: 2048)
//!
//! [[upload]]                     # batch runs: `certgate check --manifest certgate.toml`
//! profile = "huawei-elb-v3"
//! document = "requests/web.json"
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Deserialize;

use crate::catalogue::{Catalogue, Check, Profile};
use crate::report::{Report, Severity};

/// The least severe finding that fails a run (exit code 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    #[default]
    Error,
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
    #[serde(default)]
    pub disable: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

/// `[thresholds]`: parameters of every rule of a kind.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Thresholds {
    /// Days before notAfter when `expiring-soon` rules start warning.
    #[serde(default)]
    pub expiring_soon_days: Option<i64>,
    /// The smallest RSA key `weak-key` rules accept.
    #[serde(default)]
    pub min_rsa_bits: Option<usize>,
}

/// One upload of a batch run.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Upload {
    /// A label for reports; default: the document path.
    #[serde(default)]
    pub name: Option<String>,
    pub profile: String,
    /// The request document, relative to the configuration file.
    pub document: String,
}

/// A parsed `certgate.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub fail_on: Option<FailOn>,
    /// User rule files (same format as `rules/*.toml`), relative to the configuration.
    #[serde(default)]
    pub rules_files: Vec<String>,
    #[serde(default)]
    pub rules: RulesConfig,
    #[serde(default)]
    pub thresholds: Thresholds,
    #[serde(default)]
    pub upload: Vec<Upload>,
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
            Ok(())
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

    /// The profile as this configuration runs it: disabled rules removed, severities
    /// overridden, thresholds set.
    pub fn apply(&self, profile: &Profile) -> Profile {
        let mut p = profile.clone();
        p.rules.retain(|r| !self.rules.disable.contains(&r.id));
        for r in &mut p.rules {
            if let Some(s) = self.rules.severity.get(&r.id) {
                r.severity = *s;
            }
            match &mut r.check {
                Check::ExpiringSoon { days } => {
                    if let Some(d) = self.thresholds.expiring_soon_days {
                        *days = d;
                    }
                }
                Check::WeakKey { min_rsa_bits, .. } => {
                    if let Some(b) = self.thresholds.min_rsa_bits {
                        *min_rsa_bits = b;
                    }
                }
                _ => {}
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elb() -> Profile {
        Catalogue::builtin()
            .unwrap()
            .profile("huawei-elb-v3")
            .unwrap()
            .clone()
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
                .any(|r| matches!(r.check, Check::ExpiringSoon { days: 60 }))
        );
        assert!(p.rules.iter().any(|r| matches!(
            r.check,
            Check::WeakKey {
                min_rsa_bits: 3072,
                ..
            }
        )));
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
