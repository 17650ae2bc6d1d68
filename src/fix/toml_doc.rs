//! Replacing values in TOML text. A value is replaced where it stands, by its span in
//! the text, so every other byte stays; a `[table]` that becomes a plain value (a
//! `{"file": ...}` reference written as a table) needs the document restructured, which
//! `toml_edit` does while keeping the comments, key order and spacing it can.

use std::ops::Range;

use toml_edit::{Document, DocumentMut, Item, Table, Value};

/// Sets the value at each `(pointer, string)` and returns the new text; `Err` names the
/// pointer that could not be set, or says why the text did not parse.
pub fn apply(text: &str, edits: &[(&str, &str)]) -> Result<String, String> {
    let doc = Document::parse(text).map_err(|e| unreadable(&e))?;
    let mut spans: Vec<(Range<usize>, String)> = Vec::new();
    for (pointer, new) in edits {
        match find_in_table(doc.as_table(), &tokens(pointer)) {
            Some(Found::Span(span)) => spans.push((span, Value::from(*new).to_string())),
            Some(Found::Table) => return restructure(text, edits),
            None => return Err(format!("no value to replace at {pointer}")),
        }
    }
    spans.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (span, repr) in spans {
        let kept = text
            .get(done..span.start)
            .ok_or_else(|| "two changes overlap".to_string())?;
        out.push_str(kept);
        out.push_str(&repr);
        done = span.end;
    }
    out.push_str(text.get(done..).unwrap_or_default());
    Ok(out)
}

fn unreadable(e: &toml_edit::TomlError) -> String {
    // toml_edit reads TOML 1.0; a document using TOML 1.1 syntax is read by `check` but
    // cannot be edited in place.
    format!(
        "cannot edit this TOML in place ({}); `--to json` writes the fixed document as JSON instead",
        e.message().trim_end()
    )
}

fn tokens(pointer: &str) -> Vec<String> {
    pointer
        .strip_prefix('/')
        .unwrap_or_default()
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// What stands at a pointer: a value with its place in the text, or a table.
enum Found {
    Span(Range<usize>),
    Table,
}

fn find_in_table(table: &Table, tokens: &[String]) -> Option<Found> {
    let (key, rest) = tokens.split_first()?;
    find_in_item(table.get(key)?, rest)
}

fn find_in_item(item: &Item, tokens: &[String]) -> Option<Found> {
    let Some((first, rest)) = tokens.split_first() else {
        return match item {
            Item::Value(v) => Some(v.span().map_or(Found::Table, Found::Span)),
            Item::Table(_) | Item::ArrayOfTables(_) => Some(Found::Table),
            Item::None => None,
        };
    };
    match item {
        Item::Table(t) => find_in_table(t, tokens),
        Item::ArrayOfTables(a) => find_in_table(a.get(first.parse().ok()?)?, rest),
        Item::Value(v) => find_in_value(v, tokens),
        Item::None => None,
    }
}

fn find_in_value(value: &Value, tokens: &[String]) -> Option<Found> {
    let Some((first, rest)) = tokens.split_first() else {
        return Some(value.span().map_or(Found::Table, Found::Span));
    };
    match value {
        Value::InlineTable(t) => find_in_value(t.get(first)?, rest),
        Value::Array(a) => find_in_value(a.get(first.parse().ok()?)?, rest),
        _ => None,
    }
}

/// The edits made through `toml_edit`'s document model, for a table that becomes a value.
fn restructure(text: &str, edits: &[(&str, &str)]) -> Result<String, String> {
    let mut doc: DocumentMut = text.parse().map_err(|e| unreadable(&e))?;
    for (pointer, new) in edits {
        if pointer.is_empty() || !set_in_table(doc.as_table_mut(), &tokens(pointer), new) {
            return Err(format!("no value to replace at {pointer}"));
        }
    }
    Ok(doc.to_string())
}

fn set_in_table(table: &mut Table, tokens: &[String], new: &str) -> bool {
    let Some((key, rest)) = tokens.split_first() else {
        return false;
    };
    let Some(item) = table.get_mut(key) else {
        return false;
    };
    // A `[header]` table that becomes `key = value`: the comment lines above the header
    // move above the key, and the key gets the usual spacing (the header had none).
    let header = match (rest.is_empty(), &*item) {
        (true, Item::Table(t)) => Some(t.decor().prefix().cloned()),
        _ => None,
    };
    if !set_item(item, rest, new) {
        return false;
    }
    if let (Some(prefix), Some(mut k)) = (header, table.key_mut(key)) {
        let decor = k.leaf_decor_mut();
        decor.clear();
        if let Some(p) = prefix {
            decor.set_prefix(p);
        }
    }
    true
}

fn set_item(item: &mut Item, tokens: &[String], new: &str) -> bool {
    let Some((first, rest)) = tokens.split_first() else {
        *item = match item {
            // The value's own spacing and trailing comment stay.
            Item::Value(old) => Item::Value(with_decor(old, new)),
            // A `[table]` or dotted table (a `{"file"}` reference) becomes a plain value.
            _ => toml_edit::value(new),
        };
        return true;
    };
    match item {
        Item::Table(t) => set_in_table(t, tokens, new),
        Item::ArrayOfTables(a) => first
            .parse()
            .ok()
            .and_then(|i: usize| a.get_mut(i))
            .is_some_and(|t| set_in_table(t, rest, new)),
        Item::Value(v) => set_value(v, tokens, new),
        Item::None => false,
    }
}

fn set_value(value: &mut Value, tokens: &[String], new: &str) -> bool {
    let Some((first, rest)) = tokens.split_first() else {
        *value = with_decor(value, new);
        return true;
    };
    match value {
        Value::InlineTable(t) => t.get_mut(first).is_some_and(|v| set_value(v, rest, new)),
        Value::Array(a) => first
            .parse()
            .ok()
            .and_then(|i: usize| a.get_mut(i))
            .is_some_and(|v| set_value(v, rest, new)),
        _ => false,
    }
}

fn with_decor(old: &Value, new: &str) -> Value {
    let mut value = Value::from(new);
    *value.decor_mut() = old.decor().clone();
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value_at(text: &str, path: &[&str]) -> toml::Value {
        let mut v: toml::Value = toml::from_str(text).unwrap();
        for p in path {
            v = v.get(p).unwrap().clone();
        }
        v
    }

    #[test]
    fn a_value_is_replaced_in_place() {
        let text = "a = {\n  b = { file = \"x\" } , # c\n  k = 1,\n}\n[t]\nz = 'q'   # q\n";
        let out = apply(text, &[("/a/b", "P\nQ\n"), ("/t/z", "r")]).unwrap();
        assert_eq!(
            out,
            "a = {\n  b = \"\"\"\nP\nQ\n\"\"\" , # c\n  k = 1,\n}\n[t]\nz = \"r\"   # q\n"
        );
    }

    #[test]
    fn a_table_becomes_a_value() {
        for text in [
            "[c]\nn = 1\n\n# chain\n[c.cert]\nfile = \"x\"\n\n[d]\nk = 1\n",
            "c.n = 1\nc.cert.file = \"x\"\n[d]\nk = 1\n",
        ] {
            let out = apply(text, &[("/c/cert", "P\n")]).unwrap();
            assert_eq!(
                value_at(&out, &["c", "cert"]).as_str(),
                Some("P\n"),
                "{out}"
            );
            assert_eq!(value_at(&out, &["d", "k"]).as_integer(), Some(1), "{out}");
            assert!(
                out.contains("# chain") || !text.contains("# chain"),
                "{out}"
            );
        }
    }

    #[test]
    fn a_missing_value_is_an_error() {
        assert!(apply("a = 1\n", &[("/b", "x")]).is_err());
        assert!(apply("a = [1]\n", &[("/a/3", "x")]).is_err());
        assert!(apply("a = \"s\"\n", &[("/a/b", "x")]).is_err());
    }
}
