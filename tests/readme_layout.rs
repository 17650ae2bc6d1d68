//! The README's Architecture and Layout sections name real files and functions, and
//! every module file under `src/input/` is named in the Layout.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The text of a `## ` section of the README, up to the next `## ` heading.
fn section(readme: &str, heading: &str) -> String {
    let start = readme
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("README has no \"## {heading}\" section"));
    let body = &readme[start + heading.len() + 5..];
    let end = body.find("\n## ").unwrap_or(body.len());
    body[..end].to_string()
}

/// Path-like words (`src/...`, `python/...`, `build.rs`), trailing punctuation removed.
fn paths(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '(' || c == ',' || c == '`')
        .map(|w| w.trim_end_matches([')', ':', ';', '.', '\'']))
        .filter(|w| w.starts_with("src/") || w.starts_with("python/") || *w == "build.rs")
        .map(|w| w.trim_end_matches("'s").to_string())
        .collect()
}

fn sources() -> String {
    let mut all = String::new();
    let mut dirs = vec![root().join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                all.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    all
}

#[test]
fn architecture_and_layout_name_existing_paths() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for heading in ["Architecture", "Layout"] {
        let text = section(&readme, heading);
        let found = paths(&text);
        assert!(!found.is_empty(), "{heading}: no paths");
        for p in found {
            assert!(
                root().join(&p).exists(),
                "README {heading} names {p}, which does not exist"
            );
        }
    }
}

#[test]
fn architecture_names_existing_functions() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let text = section(&readme, "Architecture");
    let src = sources();
    let mut named = 0;
    for word in text.split(|c: char| c.is_whitespace() || c == ',') {
        let Some((_, f)) = word.split_once("::") else {
            continue;
        };
        let f = f.trim_end_matches([':', ',', ';']);
        if f.is_empty() || !f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        named += 1;
        assert!(
            src.contains(&format!("fn {f}(")),
            "README Architecture names {word}: no `fn {f}` in src/"
        );
    }
    assert!(named >= 3, "the Architecture names the engine's functions");
    assert!(text.contains("kinds!") && src.contains("macro_rules! kinds"));
}

#[test]
fn layout_names_every_input_module() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let layout = section(&readme, "Layout");
    let words: Vec<&str> = layout
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .collect();
    let input = root().join("src/input");
    for entry in std::fs::read_dir(&input).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if path.is_dir() {
            if name == "testdata" {
                continue;
            }
            for sub in std::fs::read_dir(&path).unwrap() {
                let sub = sub.unwrap().path();
                let stem = sub.file_stem().unwrap().to_str().unwrap().to_string();
                assert!(
                    words.contains(&stem.as_str()),
                    "README Layout does not name src/input/{name}/{stem}.rs"
                );
            }
        } else if name != "mod.rs" {
            assert!(
                words.contains(&name.as_str()),
                "README Layout does not name src/input/{name}"
            );
        }
    }
}
