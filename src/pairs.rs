//! Which files `certgate lint` checks together (the command line and the Python package
//! alike): a certificate file and a key file of one directory with one stem
//! (`server.pem` + `server.key`), so that the key is matched against the certificate.

use std::collections::BTreeMap;
use std::path::Path;

use crate::lint::Detected;

/// The files of one directory with one stem: the only files that may pair.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileGroup {
    /// Indexes into the names given to [`group`], in path order.
    pub files: Vec<usize>,
}

/// How a group's files are linted; each number is a position in [`FileGroup::files`].
/// Exhaustive: a file is linted alone or with its partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LintUnit {
    /// A file on its own.
    File(usize),
    /// A certificate file with the private key file of the same stem.
    Pair {
        /// The certificate file.
        certs: usize,
        /// The private key file.
        key: usize,
    },
}

/// Groups file `names` by directory and file stem, in path order: every file is in
/// exactly one group. A group's files are read and classified together
/// ([`crate::detect`]); [`FileGroup::units`] then says which of them pair. Groups are
/// independent, so they can be linted in parallel with only the files in flight read.
///
/// ```
/// use certgate::{Detected, LintUnit, pair_files};
///
/// let names = ["tls/other.pem", "tls/server.key", "tls/server.pem"];
/// let groups = pair_files(&names);
/// assert_eq!(groups.len(), 2); // `other`, and `server`
/// let server = &groups[1];
/// assert_eq!(server.files, [1, 2]);
/// // What `detect` says of tls/server.key and tls/server.pem, in the group's order:
/// let units = server.units(&[Detected::DerPrivateKey, Detected::DerCertificate]);
/// assert_eq!(units, [LintUnit::Pair { certs: 1, key: 0 }]);
/// ```
pub fn group<S: AsRef<str>>(names: &[S]) -> Vec<FileGroup> {
    let mut by_stem: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        let p = Path::new(name.as_ref());
        let key = (
            p.parent().map(crate::walk::display).unwrap_or_default(),
            p.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        by_stem.entry(key).or_default().push(i);
    }
    by_stem
        .into_values()
        .map(|files| FileGroup { files })
        .collect()
}

impl FileGroup {
    /// The group's files as they are linted, given what each holds (`detected[g]` for
    /// `files[g]`): the certificate file with the key file when the group has exactly
    /// one of each (anything else would be a guess), then every other file alone.
    pub fn units(&self, detected: &[Detected]) -> Vec<LintUnit> {
        let only = |f: fn(&Detected) -> bool| -> Vec<usize> {
            (0..self.files.len())
                .filter(|&g| detected.get(g).is_some_and(f))
                .collect()
        };
        let pair = match (
            only(Detected::certificates_only).as_slice(),
            only(Detected::key_only).as_slice(),
        ) {
            ([c], [k]) => Some((*c, *k)),
            _ => None,
        };
        let mut units: Vec<LintUnit> = pair
            .map(|(certs, key)| LintUnit::Pair { certs, key })
            .into_iter()
            .collect();
        units.extend(
            (0..self.files.len())
                .filter(|g| pair.is_none_or(|(c, k)| *g != c && *g != k))
                .map(LintUnit::File),
        );
        units
    }
}

#[cfg(test)]
mod tests {
    use super::{LintUnit, group};
    use crate::lint::Detected;

    #[test]
    fn groups_by_directory_and_stem_in_path_order() {
        let names = [
            "b/server.pem",
            "a/server.key",
            "b/server.key",
            "a/x.pem",
            "b/server",
        ];
        let files: Vec<Vec<usize>> = group(&names).into_iter().map(|g| g.files).collect();
        assert_eq!(files, [vec![1], vec![3], vec![0, 2, 4]]);
    }

    #[test]
    fn pairs_only_one_certificate_file_with_one_key_file() {
        let g = &group(&["s.crt", "s.key", "s.pem"])[0];
        use Detected::{DerCertificate as C, DerPrivateKey as K, Nothing as N};
        assert_eq!(
            g.units(&[C, K, N]),
            [LintUnit::Pair { certs: 0, key: 1 }, LintUnit::File(2)]
        );
        // Two certificate files: which one the key belongs to would be a guess.
        assert_eq!(
            g.units(&[C, K, C]),
            [LintUnit::File(0), LintUnit::File(1), LintUnit::File(2)]
        );
    }
}
