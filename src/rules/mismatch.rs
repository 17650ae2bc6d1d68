//! Where a value stops fitting a `pattern` rule's regular expression, so a finding can
//! name the first character that cannot be part of any match instead of guessing.

use regex_automata::hybrid::dfa::DFA;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::Look;

/// Why a value that does not match a start-anchored pattern fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// The character at `index` (0-based, in characters) cannot follow `prefix` in any
    /// match.
    At {
        index: usize,
        ch: char,
        prefix: String,
    },
    /// Every character fits, but the value ends before a match is complete.
    Incomplete,
}

/// Where `value` stops fitting `pattern`, for a value the pattern does not match.
/// `None` when that cannot be said exactly: a pattern not anchored at the start (it
/// may match anywhere), or one the lazy DFA cannot run (Unicode word boundaries).
pub fn mismatch(pattern: &str, value: &str) -> Option<Mismatch> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    if !hir.properties().look_set_prefix().contains(Look::Start) {
        return None;
    }
    let dfa = DFA::new(pattern).ok()?;
    let mut cache = dfa.create_cache();
    let input = Input::new(value).anchored(Anchored::Yes);
    let mut sid = dfa.start_state_forward(&mut cache, &input).ok()?;
    for (i, b) in value.bytes().enumerate() {
        sid = dfa.next_state(&mut cache, sid, b).ok()?;
        if sid.is_quit() {
            return None;
        }
        if sid.is_dead() {
            // The character this byte belongs to.
            let (start, ch) = value.char_indices().take_while(|(s, _)| *s <= i).last()?;
            return Some(Mismatch::At {
                index: value.get(..start)?.chars().count(),
                ch,
                prefix: value.get(..start)?.to_string(),
            });
        }
    }
    Some(Mismatch::Incomplete)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(index: usize, ch: char, prefix: &str) -> Option<Mismatch> {
        Some(Mismatch::At {
            index,
            ch,
            prefix: prefix.to_string(),
        })
    }

    #[test]
    fn names_the_first_character_that_cannot_fit() {
        let apic = r"^\p{L}[\p{L}0-9_]*$";
        assert_eq!(
            mismatch("^prod-[a-z0-9-]+$", "prod-Web"),
            at(5, 'W', "prod-")
        );
        assert_eq!(mismatch("^prod-[a-z0-9-]+$", "dev-web"), at(0, 'd', ""));
        assert_eq!(
            mismatch("^prod-[a-z0-9-]+$", "prod-"),
            Some(Mismatch::Incomplete)
        );
        assert_eq!(mismatch(apic, "1abc"), at(0, '1', ""));
        assert_eq!(mismatch(apic, "web-01"), at(3, '-', "web"));
        assert_eq!(mismatch(apic, "wéb ok"), at(3, ' ', "wéb"));
        assert_eq!(
            mismatch(r"^[a-z]+\.example\.com$", "www.example.org"),
            at(12, 'o', "www.example.")
        );
        assert_eq!(mismatch("^a{3}$", "aaaa"), at(3, 'a', "aaa"));
        assert_eq!(mismatch("(?i)^abc$", "ABx"), at(2, 'x', "AB"));
        assert_eq!(mismatch("^(foo|bar)-[0-9]+$", "baz-1"), at(2, 'z', "ba"));
    }

    #[test]
    fn says_nothing_it_cannot_be_sure_of() {
        // Unanchored: the pattern may match anywhere in the value.
        assert_eq!(mismatch("prod-[a-z]+", "xx"), None);
        assert_eq!(mismatch("[a-z]+$", "AB"), None);
        // A syntax error is the catalogue's to report.
        assert_eq!(mismatch("^(", "x"), None);
    }
}
