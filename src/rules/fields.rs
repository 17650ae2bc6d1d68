//! Field-level kinds: presence, length, enumerations and patterns.

use super::{Ctx, Finding, plural, show};
use crate::request::FieldValue;

/// The field's own name: the last token of its pointer.
pub fn field_name(at: &str) -> &str {
    at.rsplit('/').next().unwrap_or(at)
}

/// 65536 -> "65,536".
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn required(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let name = field_name(at);
    let message = match ctx.request.field(at) {
        FieldValue::Absent => format!("`{name}` is missing"),
        FieldValue::Null => format!("`{name}` is null"),
        v if !v.is_non_empty() => format!("`{name}` is empty"),
        _ => return Vec::new(),
    };
    vec![Finding::new(at, message)]
}

pub fn forbidden(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    if !ctx.request.field(at).is_non_empty() {
        return Vec::new();
    }
    vec![Finding::new(
        at,
        format!("`{}` is given but not allowed here", field_name(at)),
    )]
}

pub fn ignored(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    if !ctx.request.field(at).is_non_empty() {
        return Vec::new();
    }
    vec![Finding::new(
        at,
        format!("`{}` is given but has no effect here", field_name(at)),
    )]
}

pub fn empty_string(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    match ctx.request.field(at) {
        FieldValue::Text(s) if s.trim().is_empty() => vec![
            Finding::new(
                at,
                format!(
                    "`{}` is set to the empty string: the update fails with 409 Conflict if a listener uses this certificate",
                    field_name(at)
                ),
            )
            .value(show(s)),
        ],
        _ => Vec::new(),
    }
}

pub fn max_chars(ctx: &Ctx<'_>, at: &str, max: usize, note: Option<&str>) -> Vec<Finding> {
    let (len, unit) = match ctx.request.field(at) {
        FieldValue::Text(s) => (s.chars().count(), "characters"),
        FieldValue::Bytes(b) => (b.len(), "bytes"),
        _ => return Vec::new(),
    };
    if len <= max {
        return Vec::new();
    }
    let mut message = format!(
        "`{}` is {} {unit}, {} over the limit of {}",
        field_name(at),
        thousands(len),
        thousands(len - max),
        thousands(max)
    );
    if let Some(n) = note {
        message.push_str(". ");
        message.push_str(n);
    }
    vec![Finding::new(at, message)]
}

pub fn one_of(ctx: &Ctx<'_>, at: &str, values: &[String], accept_booleans: bool) -> Vec<Finding> {
    let name = field_name(at);
    let list = values.join(", ");
    match ctx.request.field(at) {
        FieldValue::Text(s) if values.iter().any(|v| v == s) => Vec::new(),
        FieldValue::Text(s) => {
            let mut message = format!("`{name}` is {}; allowed values: {list}", show(s));
            if let Some(v) = values.iter().find(|v| v.eq_ignore_ascii_case(s.trim())) {
                message.push_str(&format!(
                    " (values are case-sensitive and exact: use \"{v}\")"
                ));
            }
            vec![Finding::new(at, message).value(show(s))]
        }
        FieldValue::Other(serde_json::Value::Bool(_)) if accept_booleans => Vec::new(),
        FieldValue::Absent | FieldValue::Null => Vec::new(),
        other => vec![Finding::new(
            at,
            format!(
                "`{name}` is {}, not a string; allowed values: {list}",
                other.type_name()
            ),
        )],
    }
}

pub fn pattern(
    ctx: &Ctx<'_>,
    at: &str,
    pattern: &str,
    min: usize,
    max: usize,
    describe: &str,
) -> Vec<Finding> {
    let name = field_name(at);
    let s = match ctx.request.field(at) {
        FieldValue::Text(s) => s,
        FieldValue::Absent | FieldValue::Null => return Vec::new(),
        other => {
            return vec![Finding::new(
                at,
                format!("`{name}` is {}, not a string", other.type_name()),
            )];
        }
    };
    if s.is_empty() {
        // Emptiness is `field-required`'s finding.
        return Vec::new();
    }
    let n = s.chars().count();
    let mut problems = Vec::new();
    if n < min {
        problems.push(format!(
            "it has {}, fewer than {min}",
            plural(n, "character", "characters")
        ));
    } else if n > max {
        problems.push(format!(
            "it has {}, more than {max}",
            plural(n, "character", "characters")
        ));
    }
    let matches = ctx
        .profile
        .pattern(pattern)
        .is_some_and(|re| re.is_match(s));
    if !matches {
        if let Some(first) = s.chars().next().filter(|c| !c.is_alphabetic()) {
            problems.push(format!(
                "it starts with {}, not a letter",
                show(&first.to_string())
            ));
        }
        let mut bad: Vec<char> = s
            .chars()
            .skip(1)
            .filter(|c| !(c.is_alphabetic() || c.is_ascii_digit() || *c == '_'))
            .collect();
        bad.sort_unstable();
        bad.dedup();
        if !bad.is_empty() {
            let shown: Vec<String> = bad.iter().map(|c| show(&c.to_string())).collect();
            problems.push(format!("it contains {}", shown.join(", ")));
        }
        if problems.is_empty() {
            problems.push(format!("it does not match {pattern}"));
        }
    }
    if problems.is_empty() {
        return Vec::new();
    }
    vec![
        Finding::new(
            at,
            format!("`{name}` must be {describe}: {}", problems.join("; ")),
        )
        .value(show(s)),
    ]
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(65536), "65,536");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
