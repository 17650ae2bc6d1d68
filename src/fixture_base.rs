//! Which committed fixture is a profile's base request, and its `{"file"}` references
//! inlined. Shared by build.rs (which embeds every built-in profile's base for
//! `crate::strategies`) and by `strategies::Base::from_corpus` (a profile that is not
//! built in), so both pick the same file the same way. Plain std and serde_json: build.rs
//! compiles this file on its own.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The candidates, best first: `pass-typical.json`, then every other `pass-*.json` by
/// name. The corpus runner checks each of them clean, so a base is valid by construction.
pub fn candidates(names: &[String]) -> Vec<&String> {
    let mut out: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("pass-") && n.ends_with(".json"))
        .collect();
    out.sort_by_key(|n| (n.as_str() != "pass-typical.json", n.as_str()));
    out
}

/// A fixture with its text references inlined.
pub struct Inlined {
    /// The body; a binary part's value is its file name.
    pub body: Value,
    /// Binary parts (an archive): JSON Pointer and the file it is read from.
    pub binary: Vec<(String, PathBuf)>,
}

/// Inlines `{"file": path}` references (relative to `dir`): UTF-8 files become the
/// field's text, other files binary parts, as `certgate check` reads them. `archives`
/// are the pointers of PKCS#12 fields, whose plain string value is also a file name.
/// `None` when the fixture is not self-contained: an `{"env"}` reference (its value is
/// not committed) or a file that cannot be read.
pub fn inline(text: &str, dir: &Path, archives: &[String]) -> Option<Inlined> {
    let mut body: Value = serde_json::from_str(text).ok()?;
    let mut binary = Vec::new();
    walk(&mut body, String::new(), dir, archives, &mut binary)?;
    Some(Inlined { body, binary })
}

fn walk(
    v: &mut Value,
    pointer: String,
    dir: &Path,
    archives: &[String],
    binary: &mut Vec<(String, PathBuf)>,
) -> Option<()> {
    let reference = match v {
        Value::Object(o) if o.len() == 1 && o.contains_key("env") => return None,
        Value::Object(o) if o.len() == 1 => o.get("file").and_then(Value::as_str),
        Value::String(s) if archives.contains(&pointer) => Some(s.as_str()),
        _ => None,
    };
    if let Some(file) = reference {
        let path = dir.join(file);
        let bytes = std::fs::read(&path).ok()?;
        match String::from_utf8(bytes) {
            Ok(text) if !archives.contains(&pointer) => *v = Value::String(text),
            _ => {
                let name = path.file_name()?.to_string_lossy().into_owned();
                *v = Value::String(name);
                binary.push((pointer, path));
            }
        }
        return Some(());
    }
    if let Value::Object(o) = v {
        for (k, child) in o.iter_mut() {
            let escaped = k.replace('~', "~0").replace('/', "~1");
            walk(child, format!("{pointer}/{escaped}"), dir, archives, binary)?;
        }
    }
    Some(())
}
