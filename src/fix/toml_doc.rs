//! Replacing values in TOML text with `toml_edit`, which keeps the comments, key order
//! and whitespace of everything it is not asked to change.

use toml_edit::{DocumentMut, Item, Table, Value};

/// Sets the value at each `(pointer, string)` and returns the new text; `Err` names the
/// pointer that could not be set, or says why the text did not parse.
pub fn apply(text: &str, edits: &[(&str, &str)]) -> Result<String, String> {
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        format!("toml_edit cannot read the document: {}", e.message())
    })?;
    for (pointer, new) in edits {
        let tokens: Vec<String> = pointer
            .strip_prefix('/')
            .unwrap_or_default()
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect();
        if pointer.is_empty() || !set_in_table(doc.as_table_mut(), &tokens, new) {
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
