//! `allowed-chars`: a field holds only characters of listed code-point ranges, as APIs
//! whose model gives a character-class pattern (`[\u0009\u000A\u000D\u0020-\u00FF]+`)
//! check; the message names the first character outside them and where it is.

use std::fmt;

use super::fields::field_name;
use super::{Ctx, Finding, plural, show};
use crate::request::FieldValue;

/// Code-point ranges, written `U+0009` (one) or `U+0020-U+00FF` (inclusive) in rule files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharRanges(Vec<(u32, u32)>);

impl CharRanges {
    pub fn contains(&self, c: char) -> bool {
        let c = u32::from(c);
        self.0.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c))
    }

    fn parse(text: &str) -> Result<(u32, u32), String> {
        let point = |s: &str| {
            s.trim()
                .strip_prefix("U+")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .filter(|n| char::from_u32(*n).is_some())
                .ok_or_else(|| format!("{s:?} is not a code point written U+XXXX"))
        };
        let (lo, hi) = match text.split_once('-') {
            Some((lo, hi)) => (point(lo)?, point(hi)?),
            None => (point(text)?, point(text)?),
        };
        if lo > hi {
            return Err(format!("range {text:?} ends before it starts"));
        }
        Ok((lo, hi))
    }
}

impl<'de> serde::Deserialize<'de> for CharRanges {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let texts = Vec::<String>::deserialize(d)?;
        if texts.is_empty() {
            return Err(serde::de::Error::custom("`ranges` lists no range"));
        }
        texts
            .iter()
            .map(|t| CharRanges::parse(t))
            .collect::<Result<Vec<_>, _>>()
            .map(CharRanges)
            .map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for CharRanges {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|(lo, hi)| {
            if lo == hi {
                format!("U+{lo:04X}")
            } else {
                format!("U+{lo:04X}-U+{hi:04X}")
            }
        }))
    }
}

/// `U+FEFF (a byte order mark, BOM)`, `U+2014 "—"`.
struct CodePoint(char);

impl fmt::Display for CodePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.0;
        write!(f, "U+{:04X}", u32::from(c))?;
        match c {
            '\u{feff}' => f.write_str(" (a byte order mark, BOM)"),
            '\u{a0}' => f.write_str(" (a no-break space)"),
            '\u{200b}' => f.write_str(" (a zero-width space)"),
            c if c.is_control() => f.write_str(" (a control character)"),
            c => write!(f, " {}", show(&c.to_string())),
        }
    }
}

pub fn allowed_chars(ctx: &Ctx<'_>, at: &str, ranges: &CharRanges, describe: &str) -> Vec<Finding> {
    // Bytes that are not UTF-8 are the PEM kinds' finding (or `field-type`'s).
    let FieldValue::Text(s) = ctx.request.field(at) else {
        return Vec::new();
    };
    let mut outside = s.chars().enumerate().filter(|(_, c)| !ranges.contains(*c));
    let Some((index, c)) = outside.next() else {
        return Vec::new();
    };
    let more = outside.count();
    let before: String = s.chars().take(index).collect();
    let line = before.matches('\n').count() + 1;
    let column = before.chars().rev().take_while(|c| *c != '\n').count() + 1;
    let mut message = format!(
        "`{}` holds {} at character {} (line {line}, column {column}), outside the characters \
         the API accepts: {describe}",
        field_name(at),
        CodePoint(c),
        index + 1
    );
    if more > 0 {
        message.push_str(&format!(
            "; {} outside them follow",
            plural(more, "more character", "more characters")
        ));
    }
    // The code point, never the field's text: a private key's content is a secret.
    vec![Finding::new(at, message).value(format!("U+{:04X}", u32::from(c)))]
}

#[cfg(test)]
mod tests {
    use super::super::kind_tests::{body, run};

    const RULE: &str = "kind = \"allowed-chars\"\nat = \"/name\"\n\
                        ranges = [\"U+0009\", \"U+000A\", \"U+000D\", \"U+0020-U+00FF\"]\n\
                        describe = \"tab, line feed, carriage return and U+0020 to U+00FF\"\n";

    #[test]
    fn latin_1_and_the_three_controls_pass() {
        assert!(run(RULE, &body(&[("name", "a\tb\r\nc ÿ")])).is_empty());
    }

    #[test]
    fn a_bom_is_named_with_its_position() {
        let d = run(RULE, &body(&[("name", "\u{feff}abc")]));
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "`name` holds U+FEFF (a byte order mark, BOM) at character 1 (line 1, column 1), \
             outside the characters the API accepts: tab, line feed, carriage return and \
             U+0020 to U+00FF"
        );
        assert_eq!(d[0].value.as_deref(), Some("U+FEFF"));
    }

    #[test]
    fn the_first_character_outside_is_named_and_the_rest_counted() {
        let d = run(RULE, &body(&[("name", "ab\ncd\u{2014}e\u{0100}\u{1}")]));
        assert!(
            d[0].message
                .starts_with("`name` holds U+2014 \"\u{2014}\" at character 6 (line 2, column 3)"),
            "{}",
            d[0].message
        );
        assert!(
            d[0].message
                .ends_with("; 2 more characters outside them follow")
        );
    }

    #[test]
    fn a_bad_range_is_refused_when_the_rule_loads() {
        let bad = "kind = \"allowed-chars\"\nat = \"/name\"\nranges = [\"U+00FF-U+0020\"]\n\
                   describe = \"d\"\n";
        let err = std::panic::catch_unwind(|| run(bad, "{}")).unwrap_err();
        let text = err.downcast_ref::<String>().cloned().unwrap_or_default();
        assert!(text.contains("ends before it starts"), "{text}");
    }
}
