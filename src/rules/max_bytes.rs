//! `max-bytes`: a field's length in bytes as sent (UTF-8), for APIs whose limit counts
//! bytes, not characters.

use super::fields::{field_name, thousands};
use super::{Ctx, Finding, plural};
use crate::request::FieldValue;

pub fn max_bytes(ctx: &Ctx<'_>, at: &str, max: usize, note: Option<&str>) -> Vec<Finding> {
    let (bytes, chars) = match ctx.request.field(at) {
        FieldValue::Text(s) => (s.len(), Some(s.chars().count())),
        FieldValue::Bytes(b) => (b.len(), None),
        _ => return Vec::new(),
    };
    if bytes <= max {
        return Vec::new();
    }
    let mut message = format!(
        "`{}` is {} bytes, {} over the limit of {} bytes",
        field_name(at),
        thousands(bytes),
        thousands(bytes - max),
        thousands(max)
    );
    // Text with non-ASCII characters is longer in bytes than in characters: say so,
    // or a count in an editor would contradict the message.
    if let Some(n) = chars.filter(|n| *n != bytes) {
        message.push_str(&format!(
            " ({} in UTF-8: characters outside ASCII take 2 to 4 bytes each)",
            plural(n, "character", "characters")
        ));
    }
    if let Some(n) = note {
        message.push_str(". ");
        message.push_str(n);
    }
    vec![Finding::new(at, message).value(format!("{bytes} bytes"))]
}

#[cfg(test)]
mod tests {
    use super::super::kind_tests::run;

    const RULE: &str = "kind = \"max-bytes\"\nat = \"/name\"\nmax = 4\n";

    #[test]
    fn at_the_limit_passes() {
        assert!(run(RULE, r#"{"name": "abcd"}"#).is_empty());
        // Two characters, four bytes.
        assert!(run(RULE, r#"{"name": "éé"}"#).is_empty());
    }

    #[test]
    fn one_byte_over_is_reported_in_bytes() {
        let d = run(RULE, r#"{"name": "abcde"}"#);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].location, "/name");
        assert_eq!(
            d[0].message,
            "`name` is 5 bytes, 1 over the limit of 4 bytes"
        );
        // Three characters, but five bytes: over a byte limit a character limit would pass.
        let d = run(RULE, r#"{"name": "aéé"}"#);
        assert_eq!(
            d[0].message,
            "`name` is 5 bytes, 1 over the limit of 4 bytes (3 characters in UTF-8: \
             characters outside ASCII take 2 to 4 bytes each)"
        );
    }
}
