//! "Did you mean": the closest known name to a mistyped one (rule ids, profile ids,
//! request fields).

/// The candidate nearest to `name` by edit distance, when it is near enough to be a
/// typo (at most a third of the name's length, and at least one edit); ties go to the
/// first candidate.
pub fn closest<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = (name.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = distance(name, c);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// ` (did you mean `x`?)` for a message, or nothing.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    closest(name, candidates).map_or_else(String::new, |c| format!(" (did you mean `{c}`?)"))
}

/// Edit distance (adjacent transpositions count as one edit), case-insensitive: a
/// capital letter is no typo anyone means.
fn distance(a: &str, b: &str) -> usize {
    // Names are short; bound the work for hostile input all the same.
    if a.len() > 256 || b.len() > 256 {
        return usize::MAX;
    }
    strsim::osa_distance(&a.to_lowercase(), &b.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::{closest, distance};

    #[test]
    fn typos_find_their_name() {
        let ids = ["domain-count", "domain-empty", "key-mismatch"];
        assert_eq!(closest("domain-cuont", ids), Some("domain-count"));
        assert_eq!(closest("domian", ["domain", "name"]), Some("domain"));
        assert_eq!(closest("key-mismatsh", ids), Some("key-mismatch"));
        assert_eq!(closest("something-else", ids), None);
        assert_eq!(closest("", ids), None);
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("abc", "abc"), 0);
        assert_eq!(distance("abc", "acb"), 1);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("Name", "name"), 0);
    }
}
