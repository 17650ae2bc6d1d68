//! File references re-expressed for a document written to another folder: a path
//! relative to the input's folder becomes the path to the same file relative to the
//! output's folder (an absolute path where no relative one exists).

use std::path::{Component, Path, PathBuf};

/// The folder a relative reference in the document at `document` is read from, made
/// absolute and canonical (standard input: the current folder).
pub fn input_folder(document: &str) -> Result<PathBuf, String> {
    let folder = if document == "-" {
        Path::new(".")
    } else {
        parent(Path::new(document))
    };
    canonical(folder)
}

/// The folder `output` is written to, canonical; it must exist.
pub fn output_folder(output: &Path) -> Result<PathBuf, String> {
    canonical(parent(output))
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn canonical(folder: &Path) -> Result<PathBuf, String> {
    std::fs::canonicalize(folder)
        .map_err(|e| format!("cannot resolve the folder {}: {e}", folder.display()))
}

/// `reference` (relative to `from`) as a path relative to `to`; `None` when it needs no
/// change (an absolute path, or the same text). `from` and `to` are canonical.
pub fn rebase(reference: &str, from: &Path, to: &Path) -> Result<Option<String>, String> {
    let path = Path::new(reference);
    if path.is_absolute() || from == to {
        return Ok(None);
    }
    let target = from.join(path);
    // The folder is resolved (symlinks and `..`, as the OS reads them) but the file name
    // is kept, so a symlinked `current.pem` still names the link, not today's target.
    let target = match (target.parent(), target.file_name()) {
        (Some(folder), Some(name)) => std::fs::canonicalize(folder).map(|f| f.join(name)),
        _ => std::fs::canonicalize(&target),
    }
    .map_err(|e| format!("cannot resolve {}: {e}", target.display()))?;
    let new = relative(&target, to).unwrap_or(target);
    let text = new.to_str().ok_or_else(|| {
        format!(
            "{} is not valid UTF-8 and cannot be written in the document",
            new.display()
        )
    })?;
    let text = if cfg!(windows) && !new.is_absolute() {
        // Forward slashes read on every system; the original reference used them too.
        text.replace('\\', "/")
    } else {
        text.to_string()
    };
    Ok((text != reference).then_some(text))
}

/// `target` relative to the folder `base`, both absolute and canonical; `None` when they
/// share no folder but the root (or not even that: two Windows drives), where a path
/// climbing to the root says less than the absolute one.
fn relative(target: &Path, base: &Path) -> Option<PathBuf> {
    let t: Vec<Component> = target.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let shared_folders = t
        .iter()
        .take(common)
        .filter(|c| matches!(c, Component::Normal(_)))
        .count();
    if shared_folders == 0 {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in t.iter().skip(common) {
        out.push(c.as_os_str());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_folders() {
        let r = |t: &str, b: &str| {
            relative(Path::new(t), Path::new(b)).map(|p| p.to_string_lossy().into_owned())
        };
        assert_eq!(r("/a/b/c.pem", "/a/x").as_deref(), Some("../b/c.pem"));
        assert_eq!(r("/a/b/c.pem", "/a/b").as_deref(), Some("c.pem"));
        assert_eq!(r("/a/b/c.pem", "/a/b/d/e").as_deref(), Some("../../c.pem"));
        assert_eq!(r("/a/c.pem", "/a").as_deref(), Some("c.pem"));
        assert_eq!(r("/a/c.pem", "/b"), None);
    }
}
