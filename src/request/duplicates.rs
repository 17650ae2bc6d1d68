//! Keys written twice in one JSON object. serde_json keeps the last value without a
//! word; the target API's parser may keep the first, so such a document says two things.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{DuplicateKey, escape_token};

/// Every key that appears more than once in one object of `text`, a document that has
/// already parsed as JSON.
pub fn scan(text: &str) -> Vec<DuplicateKey> {
    let found = RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_str(text);
    // The text parsed as JSON already (within the depth limit); an error here could
    // only end the scan early, never change the request.
    let _ = Node {
        at: String::new(),
        found: &found,
    }
    .deserialize(&mut de);
    found.into_inner()
}

/// One value of the document, at its JSON Pointer.
struct Node<'a> {
    at: String,
    found: &'a RefCell<Vec<DuplicateKey>>,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        while seq
            .next_element_seed(Node {
                at: format!("{}/{i}", self.at),
                found: self.found,
            })?
            .is_some()
        {
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Count per key, remembering the order keys first appear in.
        let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let at = format!("{}/{}", self.at, escape_token(&key));
            map.next_value_seed(Node {
                at,
                found: self.found,
            })?;
            let first = counts.len();
            counts.entry(key).or_insert((first, 0)).1 += 1;
        }
        let mut repeated: Vec<(usize, String, usize)> = counts
            .into_iter()
            .filter(|(_, (_, n))| *n > 1)
            .map(|(k, (first, n))| (first, k, n))
            .collect();
        repeated.sort();
        let mut found = self.found.borrow_mut();
        for (_, key, count) in repeated {
            found.push(DuplicateKey {
                pointer: format!("{}/{}", self.at, escape_token(&key)),
                count,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::scan;

    #[test]
    fn repeated_keys_are_found_at_every_depth() {
        let d =
            scan(r#"{"a": 1, "b": {"x": [{"k": 1, "k": 2, "k": 3}], "x~/": 0, "x~/": 1}, "a": 2}"#);
        let got: Vec<(&str, usize)> = d.iter().map(|d| (d.pointer.as_str(), d.count)).collect();
        assert_eq!(got, [("/b/x/0/k", 3), ("/b/x~0~1", 2), ("/a", 2)]);
    }

    #[test]
    fn distinct_keys_and_escaped_spellings() {
        assert!(scan(r#"{"a": 1, "b": [1, {"a": 2}], "c": {"a": 3}}"#).is_empty());
        // Two spellings of one key are one key once decoded.
        assert_eq!(scan(r#"{"name": 1, "n\u0061me": 2}"#).len(), 1);
    }
}
