//! Which files `certgate lint` checks together (the command line and the Python package
//! alike): a certificate file and a key file of one directory with one stem
//! (`server.pem` + `server.key`), or with the conventional names of [`NAMED_PAIRS`]
//! (certbot's `privkey.pem` + `fullchain.pem`), so that the key is matched against the
//! certificate.

use std::collections::{BTreeMap, BTreeSet};
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

/// Conventional names of a private key file and the certificate file it belongs to, in
/// one directory, beside the same-stem rule: certbot's `privkey.pem` with `fullchain.pem`
/// (what servers are told to serve; its `cert.pem` is the leaf alone), and `key.pem` with
/// `cert.pem` (OpenSSL's examples, `openssl req -x509 -keyout key.pem -out cert.pem`).
pub const NAMED_PAIRS: &[(&str, &str)] = &[("privkey", "fullchain"), ("key", "cert")];

/// Groups file `names` by directory and file stem (a key file of [`NAMED_PAIRS`] with its
/// certificate file), in path order: every file is in
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
    let keys: Vec<(String, String)> = names
        .iter()
        .map(|name| {
            let p = Path::new(name.as_ref());
            (
                p.parent().map(crate::walk::display).unwrap_or_default(),
                p.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let present: BTreeSet<&(String, String)> = keys.iter().collect();
    let mut by_stem: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, (dir, stem)) in keys.iter().enumerate() {
        // A key file of a conventional name joins its certificate file's group when that
        // file is there; otherwise it stays in its own.
        let partner = NAMED_PAIRS
            .iter()
            .find(|(key, _)| key == stem)
            .map(|(_, certs)| (dir.clone(), (*certs).to_string()))
            .filter(|k| present.contains(k));
        by_stem
            .entry(partner.unwrap_or_else(|| (dir.clone(), stem.clone())))
            .or_default()
            .push(i);
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
    fn conventional_key_names_join_their_certificate_file() {
        // certbot's live folder: privkey.pem goes with fullchain.pem.
        let names = [
            "le/cert.pem",
            "le/chain.pem",
            "le/fullchain.pem",
            "le/privkey.pem",
        ];
        let files: Vec<Vec<usize>> = group(&names).into_iter().map(|g| g.files).collect();
        assert_eq!(files, [vec![0], vec![1], vec![2, 3]]);
        // OpenSSL's example names.
        let files: Vec<Vec<usize>> = group(&["x/cert.pem", "x/key.pem"])
            .into_iter()
            .map(|g| g.files)
            .collect();
        assert_eq!(files, [vec![0, 1]]);
        // Without the partner in the same directory, the key file stays alone.
        let files: Vec<Vec<usize>> = group(&["a/privkey.pem", "b/fullchain.pem"])
            .into_iter()
            .map(|g| g.files)
            .collect();
        assert_eq!(files, [vec![0], vec![1]]);
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
