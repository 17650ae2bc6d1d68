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
