//! Helpers shared by the tests that run the `kedja` binary.
// Each test file compiles this module on its own and uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Kills a child process when dropped, so a failing test leaves nothing behind.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A running `kedja demo` or `kedja serve` on a free port of 127.0.0.1,
/// killed when dropped; `addr` and `log` (what it printed up to serving).
pub type Demo = kedja_tests::served::Served;

/// Start `kedja demo --addr 127.0.0.1:0` with `data` as its data directory
/// and wait (up to two minutes) for the line that gives the URL it serves.
pub fn start_demo(data: &Path) -> Demo {
    start(data, &["demo", "--addr", "127.0.0.1:0"])
}

/// Start `kedja serve --addr 127.0.0.1:0` on what `data` holds.
pub fn start_serve(data: &Path) -> Demo {
    start(data, &["serve", "--addr", "127.0.0.1:0"])
}

fn start(data: &Path, args: &[&str]) -> Demo {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kedja"));
    command
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .current_dir(repo());
    kedja_tests::served::Served::start(command, Duration::from_secs(120))
        .unwrap_or_else(|e| panic!("kedja {args:?}: {e:#}"))
}
