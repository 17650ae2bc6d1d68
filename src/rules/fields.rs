//! Field-level kinds: presence, types, length, enumerations and patterns, and the
//! document's keys (unknown or repeated).

use serde_json::{Map, Value};

use super::mismatch::Mismatch;
use super::{Ctx, Finding, plural, show};
use crate::catalogue::FieldType;
use crate::request::{FieldValue, escape_token, json_type};

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

/// The field at `at`, or one of its alternatives `or` (the same value elsewhere in the
/// body), is present and non-empty. The finding is at `at` and names every place.
pub fn required(ctx: &Ctx<'_>, at: &str, or: &[String]) -> Vec<Finding> {
    // A field with a plain alternative (Kubernetes `stringData`) is given by either.
    let plain = ctx
        .profile
        .active_field(at, ctx.request)
        .and_then(|f| f.plain.as_deref());
    if plain.is_some_and(|p| ctx.request.field(p).is_non_empty()) {
        return Vec::new();
    }
    let Some(state) = unset(ctx, at) else {
        return Vec::new();
    };
    if or.is_empty() {
        return vec![Finding::new(at, format!("`{}` is {state}", field_name(at)))];
    }
    let mut clauses = vec![format!("`{at}` is {state}")];
    for alternative in or {
        match unset(ctx, alternative) {
            Some(state) => clauses.push(format!("`{alternative}` is {state}")),
            None => return Vec::new(),
        }
    }
    let last = clauses.pop().unwrap_or_default();
    let message = format!("{} and {last}: one of them is required", clauses.join(", "));
    vec![Finding::new(at, message)]
}

/// How the field at `at` fails to be given ("missing", "null", "empty"), or `None` when
/// it is given.
fn unset(ctx: &Ctx<'_>, at: &str) -> Option<&'static str> {
    match ctx.request.field(at) {
        FieldValue::Absent => Some("missing"),
        FieldValue::Null => Some("null"),
        v if !v.is_non_empty() => Some("empty"),
        _ => None,
    }
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

/// `note` (the instance's data) says what the API does with the empty string.
pub fn empty_string(ctx: &Ctx<'_>, at: &str, note: Option<&str>) -> Vec<Finding> {
    match ctx.request.field(at) {
        FieldValue::Text(s) if s.trim().is_empty() => {
            let mut message = format!("`{}` is set to the empty string", field_name(at));
            if let Some(n) = note {
                message.push_str(": ");
                message.push_str(n);
            }
            vec![Finding::new(at, message).value(show(s))]
        }
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
        FieldValue::Other(Value::Bool(_)) if accept_booleans => Vec::new(),
        // A number, list or object is `field-type`'s finding.
        FieldValue::Absent | FieldValue::Null | FieldValue::Other(_) => Vec::new(),
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
        // A number, list or object is `field-type`'s finding.
        FieldValue::Absent | FieldValue::Null | FieldValue::Other(_) => return Vec::new(),
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
        // Explained from the pattern itself, never from what one vendor's grammar
        // happens to allow; `describe` (the instance's data) gives the form in words.
        match super::mismatch::mismatch(pattern, s) {
            Some(Mismatch::At { index: 0, ch, .. }) => {
                problems.push(format!("it cannot start with {}", show(&ch.to_string())));
            }
            Some(Mismatch::At { index, ch, prefix }) => problems.push(format!(
                "character {} ({}) cannot follow {}",
                index + 1,
                show(&ch.to_string()),
                show(&prefix)
            )),
            // The length is the explanation already.
            Some(Mismatch::Incomplete) if n < min => {}
            Some(Mismatch::Incomplete) => {
                problems.push("it ends before the form is complete".to_string());
            }
            None => problems.push(format!("it does not match {pattern}")),
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

/// The field's JSON value has the type its `[[field]]` declares. Absent and null are
/// `required`'s business; an unresolved `{"file": ...}` reference and bytes read from a
/// file stand for text.
pub fn field_type(ctx: &Ctx<'_>, at: &str) -> Vec<Finding> {
    let Some(spec) = ctx.profile.active_field(at, ctx.request) else {
        return Vec::new();
    };
    if ctx.request.is_binary(at) || ctx.request.is_reference(at) {
        return Vec::new();
    }
    let want = spec.json_type();
    let Some(v) = ctx.request.root().pointer(at) else {
        return Vec::new();
    };
    if v.is_null() || want.accepts(v) {
        return Vec::new();
    }
    let mut message = format!(
        "`{}` must be {}, but it is {}",
        token_name(field_name(at)),
        want.describe(),
        json_type(v)
    );
    if want == FieldType::String && matches!(v, Value::Number(_) | Value::Bool(_)) {
        message.push_str(" (put the value in quotes)");
    }
    let finding = Finding::new(at, message);
    // A secret field's value is not shown even when it has the wrong type.
    if ctx.profile.is_secret(at) {
        vec![finding]
    } else {
        vec![finding.value(show_json(v))]
    }
}

/// Every key of the document is a declared field, or an object on the way to one.
pub fn unknown(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(root) = ctx.request.root().as_object() {
        walk(ctx, root, "", &mut out);
    }
    out
}

fn walk(ctx: &Ctx<'_>, object: &Map<String, Value>, at: &str, out: &mut Vec<Finding>) {
    for (key, value) in object {
        let pointer = format!("{at}/{}", escape_token(key));
        let inner = format!("{pointer}/");
        let descend = match ctx.profile.active_field(&pointer, ctx.request) {
            Some(spec) => spec.json_type() == FieldType::Object,
            // An undeclared object that declared fields sit in.
            None if ctx
                .profile
                .fields
                .iter()
                .any(|f| f.pointer.starts_with(&inner)) =>
            {
                true
            }
            None => {
                out.push(unknown_key(ctx, at, key, &pointer));
                continue;
            }
        };
        if descend && !ctx.request.is_reference(&pointer) {
            if let Value::Object(o) = value {
                walk(ctx, o, &pointer, out);
            }
        }
    }
}

fn unknown_key(ctx: &Ctx<'_>, parent: &str, key: &str, pointer: &str) -> Finding {
    let container = if parent.is_empty() {
        "the request body".to_string()
    } else {
        format!("`{}`", token_name(field_name(parent)))
    };
    let mut message = format!("{} is not a documented field of {container}", key_name(key));
    if let Some(hint) = suggestion(ctx, parent, key) {
        message.push_str("; ");
        message.push_str(&hint);
    }
    Finding::new(pointer, message)
}

/// "did you mean `domain`?" for a close sibling; or where a field of that name belongs.
fn suggestion(ctx: &Ctx<'_>, parent: &str, key: &str) -> Option<String> {
    const LONGEST: usize = 64;
    if key.chars().count() > LONGEST {
        return None;
    }
    let siblings: Vec<String> = ctx
        .profile
        .fields
        .iter()
        .filter_map(|f| f.pointer.rsplit_once('/'))
        .filter(|(dir, _)| *dir == parent)
        .map(|(_, token)| token_name(token))
        .collect();
    let best = crate::suggest::closest(key, siblings.iter().map(String::as_str));
    if let Some(name) = best {
        let case = if name.eq_ignore_ascii_case(key) {
            " (field names are case-sensitive)"
        } else {
            ""
        };
        return Some(format!("did you mean `{name}`?{case}"));
    }
    // The right name at the wrong level: ELB's fields outside their `certificate` object.
    let elsewhere = ctx.profile.fields.iter().find(|f| {
        f.pointer
            .rsplit_once('/')
            .is_some_and(|(dir, token)| dir != parent && token_name(token) == key)
    })?;
    let (dir, _) = elsewhere.pointer.rsplit_once('/')?;
    if dir.is_empty() {
        Some(format!(
            "`{}` belongs at the top level of the body (`{}`)",
            key, elsewhere.pointer
        ))
    } else {
        Some(format!(
            "it belongs inside `{}` (`{}`)",
            token_name(field_name(dir)),
            elsewhere.pointer
        ))
    }
}

/// A key written more than once in one object: the API reads one of the values, and
/// which one depends on its parser.
pub fn duplicate_key(ctx: &Ctx<'_>) -> Vec<Finding> {
    ctx.request
        .duplicate_keys()
        .iter()
        .map(|d| {
            let key = token_name(field_name(&d.pointer));
            Finding::new(
                &d.pointer,
                format!(
                    "{} is written {} times in the same object; the API takes one of the values \
                     and which one depends on its JSON parser (certgate checked the last)",
                    key_name(&key),
                    d.count
                ),
            )
        })
        .collect()
}

/// A JSON Pointer token as the key it names (`~1` is `/`, `~0` is `~`).
fn token_name(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// A user's key, named in a message: in backticks when it is plain, else quoted and
/// escaped like any shown value.
fn key_name(key: &str) -> String {
    let plain = !key.is_empty()
        && key.chars().count() <= 64
        && key.chars().all(|c| c.is_ascii_graphic() && c != '`');
    if plain { format!("`{key}`") } else { show(key) }
}

/// A JSON value as the document has it (`123`, `["a.example.com"]`), shortened like
/// [`show`] and with bidirectional controls escaped.
fn show_json(v: &Value) -> String {
    const MAX: usize = 120;
    let text: String = v
        .to_string()
        .chars()
        .map(|c| {
            let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}');
            if bidi {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect();
    let n = text.chars().count();
    if n <= MAX {
        return text;
    }
    let head: String = text.chars().take(MAX / 2).collect();
    let tail: String = text.chars().skip(n - MAX / 2).collect();
    format!("{head}…{tail} ({n} characters)")
}

#[cfg(test)]
mod tests {
    use super::super::kind_tests::{body, run};
    use super::thousands;

    const HERE_OR_THERE: &str = "kind = \"required\"\nat = \"/cert\"\nor = [\"/chain\"]\n";

    #[test]
    fn required_alone_names_the_field() {
        let d = run(
            "kind = \"required\"\nat = \"/cert\"\n",
            &body(&[("chain", "x")]),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].location.as_str(), d[0].message.as_str()),
            ("/cert", "`cert` is missing")
        );
    }

    #[test]
    fn required_with_alternatives_holds_when_any_place_is_given() {
        assert!(run(HERE_OR_THERE, &body(&[("cert", "x")])).is_empty());
        assert!(run(HERE_OR_THERE, &body(&[("chain", "x")])).is_empty());
        // An empty field with a given alternative: the alternative is the value.
        assert!(run(HERE_OR_THERE, &body(&[("cert", " "), ("chain", "x")])).is_empty());
    }

    #[test]
    fn required_alternatives_must_be_json_pointers() {
        let profile = "[profile]\nid = \"t\"\ntitle = \"t\"\nendpoint = \"POST /\"\n\
                       seed = \"rfc5280\"\nrevision = \"1\"\n\n\
                       [[rule]]\nid = \"field-required\"\nkind = \"required\"\nat = \"/cert\"\n\
                       or = [\"chain\"]\nseverity = \"error\"\nbasis = \"inferred\"\n\
                       summary = \"s\"\nhelp = \"h\"\n";
        let err = crate::Catalogue::from_files(&[("t.toml", profile)]).unwrap_err();
        assert!(err.detail.contains("`or` names \"chain\""), "{err}");
    }

    #[test]
    fn required_with_alternatives_names_every_place_when_none_is_given() {
        let d = run(HERE_OR_THERE, &body(&[("name", "x")]));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].location, "/cert");
        assert_eq!(
            d[0].message,
            "`/cert` is missing and `/chain` is missing: one of them is required"
        );
        let d = run(
            "kind = \"required\"\nat = \"/cert\"\nor = [\"/chain\", \"/key\"]\n",
            r#"{"cert": "", "key": null}"#,
        );
        assert_eq!(
            d[0].message,
            "`/cert` is empty, `/chain` is missing and `/key` is null: one of them is required"
        );
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(65536), "65,536");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
