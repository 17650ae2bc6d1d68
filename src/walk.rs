//! The files `certgate lint` reads (the command line and the Python package alike):
//! the paths named, and the directories among them searched recursively. Symbolic links are followed (`/etc/ssl/certs` is mostly links);
//! each directory is walked once, which also ends link loops, and each file is listed
//! once, under the name closest to it: the fewest links followed (`Foo.pem` rather than
//! the hash link `1a2b3c4d.0 -> Foo.pem`), then the first found.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::human::printable;

/// What the paths named hold.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Found {
    /// (display name, named on the command line), sorted by name; each file once.
    pub files: Vec<(String, bool)>,
    /// Names that led to a file already listed (links, or a file named twice).
    pub duplicates: usize,
    /// Entries of directories that could not be followed or read.
    pub problems: Vec<Problem>,
}

/// An entry of a directory that was not read.
#[derive(Debug)]
#[non_exhaustive]
pub struct Problem {
    /// The entry's path, as shown.
    pub name: String,
    /// Why it was not read.
    pub reason: String,
    /// A symbolic link whose target is missing (or a link loop): worth a warning, not
    /// an error, since there is no file that went unchecked.
    pub broken_link: bool,
}

/// Lists the files under `paths`. A path that does not exist, a broken link named
/// explicitly, or a directory holding no files (hidden entries aside) cannot be linted:
/// the error says which and why.
///
/// ```
/// let found = certgate::walk_files(&["corpus/lint".into()]).expect("a directory of files");
/// assert!(found.files.iter().any(|(name, named)| name == "corpus/lint/pair.pem" && !named));
/// ```
pub fn collect(paths: &[PathBuf]) -> Result<Found, String> {
    // Sorted, so that which name of a file reached twice is shown does not depend on
    // the order of the arguments.
    let mut named: Vec<&PathBuf> = paths.iter().collect();
    named.sort();
    named.dedup();
    let mut walk = Walk::default();
    for path in named {
        let before = walk.reached;
        walk.named(path)?;
        if walk.reached == before {
            return Err(format!(
                "{}: the directory holds no files to lint (hidden entries are skipped)",
                show(path)
            ));
        }
    }
    let mut files: Vec<(String, bool)> = walk.files;
    files.sort();
    Ok(Found {
        files,
        duplicates: walk.duplicates,
        problems: walk.problems,
    })
}

#[derive(Default)]
struct Walk {
    /// Canonical paths of the directories walked (or being walked).
    dirs: HashSet<PathBuf>,
    /// Canonical path of each file listed, to its index in `files`.
    seen: HashMap<PathBuf, usize>,
    files: Vec<(String, bool)>,
    /// Links followed from each listed name to its file.
    hops: Vec<usize>,
    duplicates: usize,
    problems: Vec<Problem>,
    /// Names found so far (files, duplicates, problems, directories named twice).
    reached: usize,
}

impl Walk {
    fn named(&mut self, path: &Path) -> Result<(), String> {
        let meta = fs::metadata(path).map_err(|e| named_error(path, &e))?;
        let canonical =
            fs::canonicalize(path).map_err(|e| format!("cannot read {}: {e}", show(path)))?;
        if !meta.is_dir() {
            self.file(path, canonical, true, hops(path));
            return Ok(());
        }
        if !self.dirs.insert(canonical.clone()) {
            // The same directory under another name: walked already.
            self.reached += 1;
            return Ok(());
        }
        let entries = read_dir(path).map_err(|e| format!("cannot read {}: {e}", show(path)))?;
        self.walk(path.to_path_buf(), canonical, entries);
        Ok(())
    }

    /// Depth-first in name order, with an explicit stack: the depth of a tree of links
    /// is not bounded by anything the call stack would survive.
    fn walk(&mut self, dir: PathBuf, canonical: PathBuf, entries: Vec<fs::DirEntry>) {
        let mut stack = vec![(dir, canonical, entries)];
        while let Some((dir, canonical, entries)) = stack.pop() {
            let mut subdirs = Vec::new();
            for entry in entries {
                let name = entry.file_name();
                let path = dir.join(&name);
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_symlink() {
                    match fs::metadata(&path).and_then(|m| Ok((m, fs::canonicalize(&path)?))) {
                        Ok((m, target)) if m.is_dir() => subdirs.push((path, target)),
                        Ok((m, target)) if m.is_file() => {
                            self.file(&path, target, false, hops(&path))
                        }
                        // A device, socket or pipe holds no certificate file.
                        Ok(_) => {}
                        Err(e) => self.broken_link(&path, &e),
                    }
                } else if kind.is_dir() {
                    subdirs.push((path, canonical.join(&name)));
                } else if kind.is_file() {
                    self.file(&path, canonical.join(&name), false, 0);
                }
            }
            // Reversed onto the stack, so that subdirectories are walked in name order.
            for (path, target) in subdirs.into_iter().rev() {
                // A directory walked already, or an ancestor (a link loop): skipped.
                if !self.dirs.insert(target.clone()) {
                    continue;
                }
                match read_dir(&path) {
                    Ok(entries) => stack.push((path, target, entries)),
                    Err(e) => self.problem(&path, format!("cannot read the directory: {e}"), false),
                }
            }
        }
    }

    fn file(&mut self, path: &Path, canonical: PathBuf, explicit: bool, hops: usize) {
        self.reached += 1;
        match self.seen.get(&canonical) {
            Some(&i) => {
                self.duplicates += 1;
                if let (Some(f), Some(h)) = (self.files.get_mut(i), self.hops.get_mut(i)) {
                    f.1 |= explicit;
                    if hops < *h {
                        f.0 = display(path);
                        *h = hops;
                    }
                }
            }
            None => {
                self.seen.insert(canonical, self.files.len());
                self.files.push((display(path), explicit));
                self.hops.push(hops);
            }
        }
    }

    fn broken_link(&mut self, path: &Path, e: &io::Error) {
        let target = fs::read_link(path)
            .map(|t| format!(" to {}", show(&t)))
            .unwrap_or_default();
        if e.kind() == io::ErrorKind::PermissionDenied {
            self.problem(
                path,
                format!("cannot follow the symbolic link{target}: {e}"),
                false,
            );
        } else {
            self.problem(path, format!("broken symbolic link{target}: {e}"), true);
        }
    }

    fn problem(&mut self, path: &Path, reason: String, broken_link: bool) {
        self.reached += 1;
        self.problems.push(Problem {
            name: display(path),
            reason,
            broken_link,
        });
    }
}

/// Symbolic links followed from `path` (its last component) to a name that is none.
fn hops(path: &Path) -> usize {
    // Linux follows at most 40; past that the name is as far from its file as can be.
    const MAX_HOPS: usize = 40;
    let mut p = path.to_path_buf();
    let mut n = 0;
    while n < MAX_HOPS {
        let Ok(target) = fs::read_link(&p) else {
            break;
        };
        n += 1;
        // An absolute target replaces the whole path in `join`.
        p = p
            .parent()
            .map_or_else(|| target.clone(), |d| d.join(&target));
    }
    n
}

/// A directory's entries in name order, hidden ones left out.
fn read_dir(path: &Path) -> io::Result<Vec<fs::DirEntry>> {
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(path)?
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    entries.sort_by_key(fs::DirEntry::file_name);
    Ok(entries)
}

/// Why a path named on the command line cannot be linted.
fn named_error(path: &Path, e: &io::Error) -> String {
    if let Ok(target) = fs::read_link(path) {
        return format!(
            "{} is a broken symbolic link (to {}): {e}",
            show(path),
            show(&target)
        );
    }
    match e.kind() {
        io::ErrorKind::NotFound => format!("{}: no such file or directory", show(path)),
        _ => format!("cannot read {}: {e}", show(path)),
    }
}

/// A path as lint's reports name it: `/` separators, whatever the platform.
pub fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn show(p: &Path) -> String {
    printable(&display(p))
}
