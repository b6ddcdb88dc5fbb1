//! A consistent copy of the store while it is in use: SQLite's online
//! backup API, in one step under one read transaction.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use crate::{Error, Result, Store};

/// How long a backup waits for a lock before it gives up.
const LOCK_PATIENCE: Duration = Duration::from_secs(60);

impl Store {
    /// Copy the whole database to `dest`, consistent as of one moment even
    /// while other connections (a running server, an import, a crawl)
    /// write: the copy is taken in one step of SQLite's online backup
    /// under a single read transaction, which WAL lets writers work beside.
    /// The copy is written beside `dest` and renamed into place, so `dest`
    /// is never a half-written file. Returns the number of pages copied.
    pub fn backup_to(&self, dest: &Path) -> Result<u64> {
        let tmp = partial_name(dest);
        // A leftover from an interrupted backup is not worth keeping.
        let _ = std::fs::remove_file(&tmp);
        let pages = {
            let mut to = Connection::open(&tmp)?;
            let backup = Backup::new(&self.conn, &mut to)?;
            let started = Instant::now();
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::Busy | StepResult::Locked if started.elapsed() < LOCK_PATIENCE => {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    StepResult::Busy | StepResult::Locked => {
                        return Err(Error::Backup(format!(
                            "the database stayed locked for {} s",
                            LOCK_PATIENCE.as_secs()
                        )));
                    }
                    // More cannot follow a step of all pages; step again.
                    _ => {}
                }
            }
            let pages = backup.progress().pagecount;
            drop(backup);
            // The copy is a database of its own: one file, no WAL beside it.
            to.pragma_update(None, "journal_mode", "DELETE")?;
            pages
        };
        std::fs::rename(&tmp, dest).map_err(|e| {
            Error::Backup(format!(
                "cannot move {} to {}: {e}",
                tmp.display(),
                dest.display()
            ))
        })?;
        Ok(u64::try_from(pages).unwrap_or(0))
    }
}

/// `dest` with `.partial` appended to its file name.
fn partial_name(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_owned();
    name.push(".partial");
    dest.with_file_name(name)
}
