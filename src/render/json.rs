//! The JSON report: the stable, versioned contract for CI tools.

use crate::report::Report;

/// Pretty-printed JSON with a trailing newline; field order is fixed by the types.
pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).unwrap_or_else(|e| {
        // Serializing plain strings and numbers cannot fail; keep the contract if it does.
        format!("{{\"version\": 1, \"error\": {:?}}}", e.to_string())
    });
    s.push('\n');
    s
}

/// The JSON document for a run that could not start (exit 2): the contract's `version`
/// and the reason, so a CI step that parses stdout gets an object, not nothing.
pub fn failure(message: &str) -> String {
    let mut s = serde_json::to_string_pretty(&serde_json::json!({
        "version": 1,
        "error": message,
    }))
    .unwrap_or_default();
    s.push('\n');
    s
}
