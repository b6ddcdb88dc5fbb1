//! Listing the files under the paths given to an import.

use std::path::{Path, PathBuf};

/// `path` itself if it is a file, else every file below it, sorted by path
/// so imports are repeatable. Symbolic links to directories are not
/// followed (they could loop); they are listed as files and rejected when
/// read.
pub(crate) fn files(path: &Path) -> Result<Vec<PathBuf>, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_owned()];
    while let Some(dir) = stack.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
            let p = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(p),
                _ => out.push(p),
            }
        }
    }
    out.sort();
    Ok(out)
}
