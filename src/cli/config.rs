//! Finding and reading `certgate.toml` and user rule files.

use std::path::{Component, Path, PathBuf};

use certgate::Catalogue;
use certgate::Config;

use super::Fatal;

/// The configuration file's name, looked for in the working directory and its parents.
pub const CONFIG_NAME: &str = "certgate.toml";

/// The nearest `certgate.toml` in `start` or one of its parents.
pub fn find_upward(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(CONFIG_NAME))
        .find(|p| p.is_file())
}

/// `--config FILE` / `--no-config`, shared by every command that reads certgate.toml.
#[derive(clap::Args, Debug, Default)]
pub struct ConfigArgs {
    /// Configuration file (disabled rules, severities, parameters, fail-on, rule files);
    /// default: the nearest certgate.toml upward from here.
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// Ignore certgate.toml files.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

impl ConfigArgs {
    /// The configuration file this run reads: the one named, else `fallback` (a
    /// manifest, which is a configuration too), else the nearest one upward.
    pub fn path_or(&self, fallback: Option<PathBuf>) -> Option<PathBuf> {
        self.config
            .clone()
            .or(fallback)
            .or_else(|| discover(self.no_config))
    }
}

/// The configuration to use when none is named: the nearest certgate.toml upward from
/// the working directory, unless `no_config`.
pub fn discover(no_config: bool) -> Option<PathBuf> {
    if no_config {
        return None;
    }
    std::env::current_dir().ok().and_then(|d| find_upward(&d))
}

/// A configuration and the directory its relative paths are resolved against.
pub struct Loaded {
    pub config: Config,
    pub dir: PathBuf,
}

impl Loaded {
    /// The configuration's `rules-files` (relative to it), then `extra` (`--rules`).
    pub fn rule_files(&self, extra: &[PathBuf]) -> Vec<PathBuf> {
        self.config
            .rules_files
            .iter()
            .map(|f| join_clean(&self.dir, f))
            .chain(extra.iter().cloned())
            .collect()
    }
}

/// The settings of a run: the configuration at `path`, or the defaults.
pub fn settings(path: Option<&Path>) -> Result<Loaded, Fatal> {
    match path {
        Some(p) => load(p),
        None => Ok(Loaded {
            config: Config::default(),
            dir: PathBuf::new(),
        }),
    }
}

pub fn load(path: &Path) -> Result<Loaded, Fatal> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Fatal(format!("cannot read {}: {e}", path.display())))?;
    let config = Config::parse(&text).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    Ok(Loaded {
        config,
        dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
    })
}

/// The built-in catalogue plus user rule files (policies and new profiles), in order.
pub fn catalogue_with(rule_files: &[PathBuf]) -> Result<Catalogue, Fatal> {
    let texts = read_rule_files(rule_files)?;
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    Catalogue::builtin_with(&files).map_err(|e| Fatal(format!("rule file {e}")))
}

/// The rule files' names (as shown in errors) and texts.
pub fn read_rule_files(rule_files: &[PathBuf]) -> Result<Vec<(String, String)>, Fatal> {
    rule_files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Fatal(format!("cannot read rule file {}: {e}", path.display())))?;
            Ok((path.display().to_string(), text))
        })
        .collect()
}

/// `dir/path` with `.` and `..` removed lexically, so reports show
/// `corpus/x/req.json` rather than `corpus/ci/../x/req.json`.
pub fn join_clean(dir: &Path, path: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for c in dir.join(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_lexically() {
        assert_eq!(
            join_clean(Path::new("corpus/ci"), "../elb/a.json"),
            PathBuf::from("corpus/elb/a.json")
        );
        assert_eq!(
            join_clean(Path::new(""), "./a.json"),
            PathBuf::from("a.json")
        );
        assert_eq!(
            join_clean(Path::new(".."), "../a.json"),
            PathBuf::from("../../a.json")
        );
    }
}
