//! Converts the built-in rule files (`rules/*.toml`, the single source of truth) into
//! JSON in `OUT_DIR`: `certgate check` then loads the catalogue with serde_json, which
//! is several times faster than parsing TOML at every start. A TOML syntax error in a
//! rule file fails the build here; the schema and validation are checked by
//! tests/catalogue.rs, which loads the same files from TOML (validating) and from JSON.
#![forbid(unsafe_code)]

use std::error::Error;
use std::path::Path;

#[path = "src/fixture_base.rs"]
#[allow(dead_code)]
mod fixture_base;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=rules");
    let rules = Path::new(&std::env::var("CARGO_MANIFEST_DIR")?).join("rules");
    let out = Path::new(&std::env::var("OUT_DIR")?).join("rules");
    std::fs::create_dir_all(&out)?;
    // (file name, profile id or "" for a shared set or policy), so that one `check`
    // deserializes only its profile's files.
    let mut index = Vec::new();
    let mut paths = Vec::new();
    // (profile id, its PKCS#12 field pointers), for the strategies' base requests.
    let mut archives = Vec::new();
    for entry in std::fs::read_dir(&rules)? {
        paths.push(entry?.path());
    }
    paths.sort();
    for path in paths {
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)?;
        let table: toml::Table =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let id = table
            .get("profile")
            .and_then(|p| p.get("id"))
            .and_then(toml::Value::as_str)
            .unwrap_or_default()
            .to_string();
        if !id.is_empty() && !is_lint_profile(&id) {
            archives.push((id.clone(), pkcs12_fields(&table)));
        }
        let json =
            to_json(&toml::Value::Table(table)).map_err(|e| format!("{}: {e}", path.display()))?;
        let file = path.file_name().ok_or("a rule file without a name")?;
        index.push((file.to_string_lossy().into_owned(), id));
        std::fs::write(
            out.join(path.with_extension("json").file_name().ok_or("no name")?),
            serde_json::to_string(&json)?,
        )?;
    }
    // The registry of cited documents (src/sources.rs), the same way.
    let sources = rules.join("sources").join("sources.toml");
    println!("cargo::rerun-if-changed={}", sources.display());
    let text = std::fs::read_to_string(&sources)?;
    let table: toml::Table =
        toml::from_str(&text).map_err(|e| format!("{}: {e}", sources.display()))?;
    let json =
        to_json(&toml::Value::Table(table)).map_err(|e| format!("{}: {e}", sources.display()))?;
    std::fs::write(out.join("sources.json"), serde_json::to_string(&json)?)?;
    // `{:?}` of a str is a valid Rust string literal.
    let entries: String = index
        .iter()
        .map(|(file, id)| format!("    ({file:?}, {id:?}),\n"))
        .collect();
    std::fs::write(out.join("index.rs"), format!("&[\n{entries}]\n"))?;
    std::fs::write(out.join("builtin.rs"), builtin_list(&rules, &index))?;
    let corpus = rules.parent().ok_or("no repository root")?.join("corpus");
    std::fs::write(out.join("bases.rs"), bases(&corpus, &archives)?)?;
    Ok(())
}

fn pkcs12_fields(table: &toml::Table) -> Vec<String> {
    table
        .get("field")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        // An encoded archive (`encoding = "base64"`) is the archive itself, not a file name.
        .filter(|f| {
            f.get("material").and_then(toml::Value::as_str) == Some("pkcs12")
                && f.get("encoding").is_none()
        })
        .filter_map(|f| Some(f.get("pointer")?.as_str()?.to_string()))
        .collect()
}

/// Each built-in profile's base request for `crate::strategies`: its first
/// self-contained `pass-` fixture (see src/fixture_base.rs), text references inlined,
/// binary parts embedded with `include_bytes!`. A profile without one gets no entry.
fn bases(corpus: &Path, profiles: &[(String, Vec<String>)]) -> Result<String, Box<dyn Error>> {
    let mut out = String::from("&[\n");
    for (id, archives) in profiles {
        let dir = corpus.join(id);
        println!("cargo::rerun-if-changed={}", dir.display());
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names = Vec::new();
        for e in entries {
            names.push(e?.file_name().to_string_lossy().into_owned());
        }
        for name in fixture_base::candidates(&names) {
            let text = std::fs::read_to_string(dir.join(name))?;
            let Some(inlined) = fixture_base::inline(&text, &dir, archives) else {
                continue;
            };
            for (_, path) in &inlined.binary {
                println!("cargo::rerun-if-changed={}", path.display());
            }
            let parts: String = inlined
                .binary
                .iter()
                .map(|(pointer, path)| {
                    format!(
                        "({pointer:?}, include_bytes!({:?}).as_slice()), ",
                        path.display().to_string()
                    )
                })
                .collect();
            out.push_str(&format!(
                "    ({id:?}, {name:?}, {:?}, &[{parts}]),\n",
                serde_json::to_string(&inlined.body)?
            ));
            break;
        }
    }
    out.push_str("]\n");
    Ok(out)
}

/// The built-in catalogue files, in load order, as Rust items for src/catalogue.rs to
/// `include!`: the rule files are the list, so a new target needs no Rust edit.
/// `lint.toml` and `lint-pkcs12.toml` are `certgate lint`'s own profiles (src/lint.rs
/// loads them), not targets.
/// Shared sets (no `[profile]`) come first, as profiles include them; then profiles by
/// id, a stable order that needs no ordering key in the data.
fn builtin_list(rules: &Path, index: &[(String, String)]) -> String {
    let mut files: Vec<&(String, String)> = index
        .iter()
        .filter(|(_, id)| !is_lint_profile(id))
        .collect();
    files.sort_by(|(fa, ia), (fb, ib)| (!ia.is_empty(), ia, fa).cmp(&(!ib.is_empty(), ib, fb)));
    let mut toml = String::new();
    let mut json = String::new();
    for (file, _) in files {
        let stem = file.trim_end_matches(".toml");
        let path = rules.join(file);
        // `{:?}` of a str is a valid Rust string literal (paths with quotes included).
        toml.push_str(&format!(
            "    ({file:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
        json.push_str(&format!(
            "    ({file:?}, include_str!(concat!(env!(\"OUT_DIR\"), {:?}))),\n",
            format!("/rules/{stem}.json")
        ));
    }
    format!(
        "/// The built-in catalogue files (`rules/*.toml` but lint's own), in load order:\n\
         /// shared sets first, then profiles by id. Generated by build.rs.\n\
         pub const BUILTIN_FILES: &[(&str, &str)] = &[\n{toml}];\n\
         /// The same files as JSON, converted by build.rs: serde_json loads them several\n\
         /// times faster than the TOML parser, which matters for one `check` per process.\n\
         const BUILTIN_JSON: &[(&str, &str)] = &[\n{json}];\n"
    )
}

/// The same data as JSON. The catalogue schema has no dates or floats; refusing them
/// keeps the JSON form from accepting what the TOML loader would reject.
fn to_json(v: &toml::Value) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    Ok(match v {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Float(_) | toml::Value::Datetime(_) => {
            return Err(format!(
                "unsupported value {v}: the rule schema has no floats or dates"
            ));
        }
        toml::Value::Array(a) => J::Array(a.iter().map(to_json).collect::<Result<_, _>>()?),
        toml::Value::Table(t) => J::Object(
            t.iter()
                .map(|(k, v)| Ok((k.clone(), to_json(v)?)))
                .collect::<Result<_, String>>()?,
        ),
    })
}

/// `certgate lint`'s own profiles (`lint`, `lint-pkcs12`): not upload targets.
fn is_lint_profile(id: &str) -> bool {
    id == "lint" || id.starts_with("lint-")
}
