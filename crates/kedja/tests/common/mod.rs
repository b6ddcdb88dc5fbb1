//! Helpers shared by the tests that run the `kedja` binary.
// Each test file compiles this module on its own and uses a part of it.
#![allow(dead_code)]

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

/// A running `kedja demo` on a free port of 127.0.0.1.
pub struct Demo {
    /// Killed when the demo is dropped.
    pub process: Killed,
    /// "127.0.0.1:PORT".
    pub addr: String,
    /// What it printed on stderr up to serving.
    pub stderr: String,
}

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
    let mut child = Command::new(env!("CARGO_BIN_EXE_kedja"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .current_dir(repo())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kedja runs");
    let pipe = child.stderr.take().expect("stderr piped");
    let process = Killed(child);
    let (lines_tx, lines) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut stderr = String::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) => {
                stderr.push_str(&line);
                stderr.push('\n');
                if let Some(rest) = line.split("serving on http://").nth(1) {
                    let addr = rest.split('/').next().expect("an address").to_owned();
                    return Demo {
                        process,
                        addr,
                        stderr,
                    };
                }
            }
            Err(e) => panic!("kedja {args:?} did not start serving ({e}): {stderr}"),
        }
    }
}
