//! Running `/usr/bin/python3` the corpus way (`scripts/python_expected.py`): corpus-relative
//! paths, a reduced environment, a time limit, absolute script paths in tracebacks made
//! relative.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `/usr/bin/python3` if it is CPython 3.11; otherwise `None`, after saying so on stderr
/// with `fallback` (what the caller does instead).
pub fn cpython(fallback: &str) -> Option<PathBuf> {
    let python = PathBuf::from("/usr/bin/python3");
    let out = Command::new(&python).arg("--version").output().ok()?;
    let version = String::from_utf8_lossy(&out.stdout).into_owned();
    if version.starts_with("Python 3.11.") {
        return Some(python);
    }
    eprintln!("/usr/bin/python3 is {version:?}, not CPython 3.11: {fallback}");
    None
}

/// What a run produced.
pub struct Run {
    pub out: Vec<u8>,
    pub err: Vec<u8>,
    pub status: i32,
    pub time: Duration,
}

/// Runs CPython on `args` in `dir` the corpus way (see the module header and
/// `scripts/python_expected.py`), killing it after `limit`.
pub fn run_cpython(
    python: &Path,
    dir: &Path,
    args: &[String],
    stdin: Option<Vec<u8>>,
    limit: Duration,
) -> Run {
    let start = Instant::now();
    let mut child = Command::new(python)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("LC_ALL", "C.UTF-8")
        .env("PYTHONIOENCODING", "utf-8")
        .env("PYTHONHASHSEED", "0")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    if let (Some(data), Some(mut pipe)) = (stdin, child.stdin.take()) {
        std::thread::spawn(move || {
            use std::io::Write;
            let _ = pipe.write_all(&data);
        });
    }
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code().unwrap_or(-1);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break -9;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let time = start.elapsed();
    let out = out_reader.join().unwrap();
    let err = err_reader.join().unwrap();
    // Tracebacks name the main script by its absolute path; the corpus convention is the path
    // as given on the command line.
    let canon = std::fs::canonicalize(dir).unwrap_or(dir.to_path_buf());
    let abs = format!("File \"{}/", canon.to_string_lossy());
    let err = String::from_utf8_lossy(&err).replace(&abs, "File \"").into_bytes();
    Run { out, err, status, time }
}
