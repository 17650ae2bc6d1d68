//! Converts the built-in rule files (`rules/*.toml`, the single source of truth) into
//! JSON in `OUT_DIR`: `certgate check` then loads the catalogue with serde_json, which
//! is several times faster than parsing TOML at every start. A TOML syntax error in a
//! rule file fails the build here; the schema and validation are checked by
//! tests/catalogue.rs, which loads the same files from TOML (validating) and from JSON.
#![forbid(unsafe_code)]

use std::error::Error;
use std::path::Path;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=rules");
    let rules = Path::new(&std::env::var("CARGO_MANIFEST_DIR")?).join("rules");
    let out = Path::new(&std::env::var("OUT_DIR")?).join("rules");
    std::fs::create_dir_all(&out)?;
    // (file name, profile id or "" for a shared set or policy), so that one `check`
    // deserializes only its profile's files.
    let mut index = Vec::new();
    let mut paths = Vec::new();
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
    Ok(())
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
