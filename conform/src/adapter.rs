//! An outside implementation run as a child process speaking the protocol
//! ([`crate::protocol`]). Every read has a timeout (a reader thread feeds a channel read
//! with `recv_timeout`), output lines are capped in length, a crash, hang or garbage line is
//! reported as such with the tail of the adapter's stderr, and the child is killed when the
//! target is dropped or misbehaves. A misbehaving adapter is restarted for the next case.

use crate::protocol::{Body, Caps, Got, Hello, parse_response, request};
use crate::target::{Failure, Target};
use mmr_vectors::model::{Query, VOp, VOut};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The longest response line accepted.
pub const MAX_LINE: u64 = 16 << 20;
/// Lines of the adapter's stderr kept for reports.
const STDERR_TAIL: usize = 20;

enum Line {
    Text(String),
    Eof,
    TooLong,
    Error(String),
}

struct Running {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<Line>,
    stderr: Arc<Mutex<VecDeque<String>>>,
}

impl Running {
    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An adapter process as a [`Target`].
pub struct ProcessTarget {
    command: Vec<String>,
    timeout: Duration,
    hello: Hello,
    caps: Caps,
    running: Option<Running>,
    /// The stderr tail of the last process, kept when it is replaced or dropped.
    last_stderr: Vec<String>,
    next_id: u64,
    /// How many times the adapter was (re)started.
    pub starts: u64,
}

fn spawn(command: &[String]) -> Result<Running, String> {
    let (prog, args) = command
        .split_first()
        .ok_or_else(|| "no adapter command given".to_string())?;
    let mut child = Command::new(prog)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start adapter `{}`: {e}", command.join(" ")))?;
    let stdin = child.stdin.take().ok_or("adapter stdin unavailable")?;
    let stdout = child.stdout.take().ok_or("adapter stdout unavailable")?;
    let stderr_pipe = child.stderr.take().ok_or("adapter stderr unavailable")?;
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        loop {
            let mut buf = Vec::new();
            match (&mut r).take(MAX_LINE + 1).read_until(b'\n', &mut buf) {
                Ok(0) => {
                    let _ = tx.send(Line::Eof);
                    return;
                }
                Ok(_) if buf.last() != Some(&b'\n') && buf.len() as u64 > MAX_LINE => {
                    let _ = tx.send(Line::TooLong);
                    return;
                }
                Ok(_) => {
                    let text = String::from_utf8_lossy(&buf).trim_end().to_string();
                    if tx.send(Line::Text(text)).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    let _ = tx.send(Line::Error(e.to_string()));
                    return;
                }
            }
        }
    });
    let stderr = Arc::new(Mutex::new(VecDeque::new()));
    let tail = Arc::clone(&stderr);
    std::thread::spawn(move || {
        let r = BufReader::new(stderr_pipe);
        for line in r.lines() {
            let Ok(line) = line else { return };
            if let Ok(mut t) = tail.lock() {
                if t.len() == STDERR_TAIL {
                    t.pop_front();
                }
                t.push_back(line);
            }
        }
    });
    Ok(Running {
        child,
        stdin,
        lines: rx,
        stderr,
    })
}

impl Running {
    fn stderr_lines(&self) -> Vec<String> {
        self.stderr
            .lock()
            .map(|t| t.iter().cloned().collect())
            .unwrap_or_default()
    }

    fn stderr_tail(&self) -> String {
        // Give the stderr reader a moment to catch the last lines of a dying process.
        std::thread::sleep(Duration::from_millis(50));
        let t = self.stderr.lock().map(|t| t.clone()).unwrap_or_default();
        if t.is_empty() {
            String::new()
        } else {
            format!(
                "\nadapter stderr (last lines):\n  {}",
                t.into_iter().collect::<Vec<_>>().join("\n  ")
            )
        }
    }

    fn read_line(&mut self, timeout: Duration) -> Result<String, String> {
        match self.lines.recv_timeout(timeout) {
            Ok(Line::Text(t)) => Ok(t),
            Ok(Line::TooLong) => Err(format!(
                "garbage output: a line longer than {MAX_LINE} bytes"
            )),
            Ok(Line::Eof) | Err(RecvTimeoutError::Disconnected) => {
                let status = self
                    .child
                    .wait()
                    .map(|s| s.to_string())
                    .unwrap_or_else(|e| e.to_string());
                Err(format!(
                    "adapter crashed: it closed its output and exited ({status}){}",
                    self.stderr_tail()
                ))
            }
            Ok(Line::Error(e)) => Err(format!("reading the adapter's output failed: {e}")),
            Err(RecvTimeoutError::Timeout) => Err(format!(
                "adapter hung: no response within {} s (timeout; the process was killed){}",
                timeout.as_secs_f64(),
                self.stderr_tail()
            )),
        }
    }
}

impl ProcessTarget {
    /// Starts the adapter and reads its handshake (within `timeout`).
    pub fn start(command: Vec<String>, timeout: Duration) -> Result<ProcessTarget, String> {
        let (running, hello, caps) = Self::launch(&command, timeout)?;
        Ok(ProcessTarget {
            command,
            timeout,
            hello,
            caps,
            running: Some(running),
            last_stderr: Vec::new(),
            next_id: 1,
            starts: 1,
        })
    }

    fn launch(command: &[String], timeout: Duration) -> Result<(Running, Hello, Caps), String> {
        let mut r = spawn(command)?;
        let line = match r.read_line(timeout) {
            Ok(l) => l,
            Err(e) => {
                r.kill();
                return Err(format!("no handshake from the adapter: {e}"));
            }
        };
        let hello: Hello = match serde_json::from_str(&line) {
            Ok(h) => h,
            Err(e) => {
                r.kill();
                let shown: String = line.chars().take(200).collect();
                return Err(format!("bad handshake line ({e}): {shown:?}"));
            }
        };
        let caps = match hello.validate() {
            Ok(c) => c,
            Err(e) => {
                r.kill();
                return Err(format!("bad handshake: {e}"));
            }
        };
        Ok((r, hello, caps))
    }

    /// The adapter's handshake.
    pub fn hello(&self) -> &Hello {
        &self.hello
    }

    fn call(&mut self, body: &Body<'_>) -> Result<Got, Failure> {
        if self.running.is_none() {
            let (r, hello, caps) = Self::launch(&self.command, self.timeout).map_err(Failure)?;
            if caps != self.caps {
                return Err(Failure(format!(
                    "the restarted adapter's handshake differs from its first one ({})",
                    caps.describe()
                )));
            }
            self.running = Some(r);
            self.hello = hello;
            self.starts += 1;
        }
        let id = self.next_id;
        self.next_id += 1;
        let line = request(id, body);
        let result = {
            let r = self
                .running
                .as_mut()
                .ok_or_else(|| Failure("adapter not running".into()))?;
            let written = writeln!(r.stdin, "{line}").and_then(|_| r.stdin.flush());
            match written {
                // A write fails when the adapter is gone: report the crash if it shows.
                Err(e) => match r.read_line(Duration::from_millis(500)) {
                    Err(crash) if crash.starts_with("adapter crashed") => Err(crash),
                    _ => Err(format!("cannot write to the adapter: {e}")),
                },
                Ok(()) => r
                    .read_line(self.timeout)
                    .and_then(|resp| parse_response(&resp, id)),
            }
        };
        result.map_err(|e| {
            if let Some(r) = self.running.take() {
                self.last_stderr = r.stderr_lines();
                r.kill();
            }
            Failure(e)
        })
    }
}

impl Drop for ProcessTarget {
    fn drop(&mut self) {
        if let Some(mut r) = self.running.take() {
            // Closing stdin asks the adapter to exit; then make sure it did.
            let _ = r.stdin.flush();
            drop(r.stdin);
            let _ = r.child.kill();
            let _ = r.child.wait();
        }
    }
}

impl Target for ProcessTarget {
    fn name(&self) -> String {
        self.hello.name.clone()
    }
    fn caps(&self) -> &Caps {
        &self.caps
    }
    fn reset(&mut self, profile: &str, retain: u64) -> Result<(), Failure> {
        match self.call(&Body::Reset { profile, retain })? {
            Got::Out(VOut::Unit) => Ok(()),
            other => Err(Failure(format!(
                "reset answered {other}, expected \"unit\""
            ))),
        }
    }
    fn run(&mut self, op: &VOp) -> Result<Got, Failure> {
        self.call(&Body::Op(op))
    }
    fn append_hash(&mut self, hash: [u8; 32], value: u64) -> Result<Got, Failure> {
        self.call(&Body::AppendHash { hash, value })
    }
    fn query(&mut self, q: &Query) -> Result<Got, Failure> {
        self.call(&Body::Arith(q))
    }
    fn stderr_tail(&self) -> Vec<String> {
        match &self.running {
            Some(r) => r.stderr_lines(),
            None => self.last_stderr.clone(),
        }
    }
}
