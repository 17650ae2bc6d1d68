//! "Did you mean": the closest known name to a mistyped one (rule ids, profile ids,
//! request fields).

/// The candidate nearest to `name` by edit distance, when it is near enough to be a
/// typo: one edit for names of up to 4 characters, two up to 8, three beyond, and never
/// the whole name. Ties go to the alphabetically first, so the answer does not depend
/// on the candidates' order.
pub fn closest<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let len = c.chars().count();
        let allowed = match len {
            0..=4 => 1,
            5..=8 => 2,
            _ => 3,
        };
        let d = distance(name, c);
        if d <= allowed && d < len && best.is_none_or(|b| (d, c) < b) {
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
pub fn distance(a: &str, b: &str) -> usize {
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
        assert_eq!(closest("privatekey", ["private_key"]), Some("private_key"));
        assert_eq!(closest("ab", ["xy"]), None);
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("abc", "abc"), 0);
        assert_eq!(distance("abc", "acb"), 1);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("Name", "name"), 0);
        assert_eq!(distance("domian", "domain"), 1);
        assert_eq!(distance("privatekey", "private_key"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
