//! Listing the files under the paths given to an import, and reading them
//! safely: regular files only, no symbolic link out of the imported folder,
//! and a size limit enforced while reading.

use std::io::Read;
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

/// The bytes of `path`, a file found under `root` (the path the import
/// was given), or why it is not read: it is not a regular file (a named
/// pipe, a socket, a device, a directory), it is a symbolic link that
/// leads out of `root` (a link given as the root itself was asked for),
/// or it holds more than `limit` bytes. The length is counted while
/// reading, not taken from the metadata (`/dev/zero` reports 0).
pub(crate) fn read_file(path: &Path, root: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if meta.file_type().is_symlink() && path != root {
        let target = std::fs::canonicalize(path)
            .map_err(|e| format!("symbolic link that leads nowhere: {e}"))?;
        let inside = std::fs::canonicalize(root).is_ok_and(|r| target.starts_with(r));
        if !inside {
            return Err("symbolic link out of the imported folder; not followed".into());
        }
    }
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file (a named pipe, socket, device or folder)".into());
    }
    let file = open_without_blocking(path).map_err(|e| format!("cannot read: {e}"))?;
    // The file may have been swapped since it was looked at.
    let opened = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    if !opened.is_file() {
        return Err("not a regular file (a named pipe, socket, device or folder)".into());
    }
    if opened.len() > limit {
        return Err(format!(
            "file is {} bytes; the limit is {limit}",
            opened.len()
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(opened.len()).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!("file is over the limit of {limit} bytes"));
    }
    Ok(bytes)
}

/// Open for reading; on Unix without blocking, so that a named pipe put in
/// place of a file cannot hang the import.
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn special_files_and_links_out_of_the_folder_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("import");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("motion.txt"), "Motion om förskolan").unwrap();
        let outside = dir.path().join("secret.txt");
        std::fs::write(&outside, "hemligt").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("out.txt")).unwrap();
        std::os::unix::fs::symlink(root.join("motion.txt"), root.join("in.txt")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("zero.txt")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", root.join("passwd.txt")).unwrap();
        let fifo = root.join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let limit = 1024;
        let read = |name: &str| read_file(&root.join(name), &root, limit);
        assert_eq!(read("motion.txt").unwrap(), b"Motion om f\xc3\xb6rskolan");
        assert_eq!(read("in.txt").unwrap(), b"Motion om f\xc3\xb6rskolan");
        assert!(
            read("out.txt")
                .unwrap_err()
                .contains("out of the imported folder")
        );
        assert!(
            read("passwd.txt")
                .unwrap_err()
                .contains("out of the imported folder")
        );
        assert!(read("zero.txt").is_err());
        if made.is_ok_and(|s| s.success()) {
            assert!(read("pipe.txt").unwrap_err().contains("not a regular file"));
        }
        // A link given as the root is what was asked for; /dev/zero is
        // still not a regular file.
        let zero = root.join("zero.txt");
        assert!(
            read_file(&zero, &zero, limit)
                .unwrap_err()
                .contains("not a regular file")
        );
        let link = root.join("out.txt");
        assert_eq!(read_file(&link, &link, limit).unwrap(), b"hemligt");
        // The limit is counted in bytes read.
        std::fs::write(root.join("big.txt"), vec![b'a'; 2000]).unwrap();
        assert!(read("big.txt").unwrap_err().contains("limit"));
    }
}
