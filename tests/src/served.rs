//! A `kedja` server started as a child process, as tests and the load
//! benchmark start one: told to listen on a free loopback port, found by
//! the line it prints when it serves, killed when dropped.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server process.
#[derive(Debug)]
pub struct Served {
    pub child: Child,
    /// "127.0.0.1:PORT".
    pub addr: String,
    /// What it wrote on standard error up to serving.
    pub log: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// Run `command` (a `kedja serve` or `kedja demo` with
    /// `--addr 127.0.0.1:0`) and wait up to `within` for the line that
    /// says where it serves; its log is drained from then on, so it never
    /// blocks on a full pipe.
    pub fn start(mut command: Command, within: Duration) -> anyhow::Result<Served> {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| anyhow::anyhow!("cannot start {command:?}: {e}"))?;
        let pipe = child
            .stderr
            .take()
            .ok_or_else(|| anyhow::anyhow!("no standard error"))?;
        let mut served = Served {
            child,
            addr: String::new(),
            log: String::new(),
        };
        let (tx, lines) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                // After serving, nobody listens: the log is only drained.
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = lines.recv_timeout(left).map_err(|e| {
                anyhow::anyhow!("{command:?} did not start serving ({e}): {}", served.log)
            })?;
            served.log.push_str(&line);
            served.log.push('\n');
            if let Some(rest) = line.split("serving on http://").nth(1) {
                served.addr = rest.split('/').next().unwrap_or_default().to_owned();
                return Ok(served);
            }
        }
    }
}
