//! Running a command with a deadline and reading its outcome: exit code, stdout/stderr,
//! the asserts every test uses, and store/tree listings.
use super::*;
/// Spawn, feed stdin, capture stdout/stderr; kill (by pid) and panic after `timeout`.
pub fn run_with_timeout(mut cmd: Command, input: Option<&[u8]>, timeout: Duration) -> Output {
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let desc = format!("{cmd:?}");
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot spawn {desc}: {e}"));
    if let Some(data) = input {
        let mut stdin = child.stdin.take().unwrap();
        let data = data.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&data);
        });
    }
    let so = child.stdout.take().unwrap();
    let se = child.stderr.take().unwrap();
    let (bo, ro) = drain(so);
    let (be, re) = drain(se);
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "timed out after {timeout:?}: {desc}\n--- stdout so far ---\n{}--- stderr so far ---\n{}",
                String::from_utf8_lossy(&bo.lock().unwrap()),
                String::from_utf8_lossy(&be.lock().unwrap())
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    // A process left in the background may hold the pipes open: give the readers a short grace
    // period after the command exited instead of hanging until that process ends.
    let grace = Instant::now() + Duration::from_secs(2);
    while !(ro.is_finished() && re.is_finished()) && Instant::now() < grace {
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut stderr = be.lock().unwrap().clone();
    if !(ro.is_finished() && re.is_finished()) {
        stderr.extend_from_slice(
            b"[harness: stdout/stderr still held open by a background process after exit]\n",
        );
    }
    let stdout = bo.lock().unwrap().clone();
    Output {
        status,
        stdout,
        stderr,
    }
}

/// Read a pipe to the end on a thread, appending to a shared buffer as data arrives.
fn drain(
    mut r: impl Read + Send + 'static,
) -> (std::sync::Arc<Mutex<Vec<u8>>>, std::thread::JoinHandle<()>) {
    let buf = std::sync::Arc::new(Mutex::new(Vec::new()));
    let b2 = buf.clone();
    let h = std::thread::spawn(move || {
        let mut chunk = [0u8; 8192];
        loop {
            match r.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => b2.lock().unwrap().extend_from_slice(&chunk[..n]),
            }
        }
    });
    (buf, h)
}

/// Everything about a finished command, for failure messages.
pub fn describe(out: &Output) -> String {
    format!(
        "exit: {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Assert exit status 0, printing stdout, stderr and the status otherwise.
#[track_caller]
pub fn assert_ok(out: &Output) {
    assert!(out.status.success(), "command failed\n{}", describe(out));
}

/// Assert a specific exit code.
#[track_caller]
pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "unexpected exit code\n{}",
        describe(out)
    );
}

/// stdout as a String (lossy).
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// stderr as a String (lossy).
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The text of `tests/lab/list-tree.sh`, to feed a container's shell:
/// `sb.rctr_stdin(&["run", "--rm", "-i", "layered", "sh", "-s", "/"], &list_tree_script())`
/// prints the listing that must equal `golden("layered.txt")`.
pub fn list_tree_script() -> Vec<u8> {
    std::fs::read(repo_dir().join("tests/lab/list-tree.sh")).expect("read tests/lab/list-tree.sh")
}

/// `tests/lab/list-tree.sh ROOT PATHS...` as root: the golden-file listing format.
pub fn list_tree(root: &Path, paths: &[&str]) -> String {
    let out = Command::new(repo_dir().join("tests/lab/list-tree.sh"))
        .arg(root)
        .args(paths)
        .output()
        .expect("run tests/lab/list-tree.sh");
    assert_ok(&out);
    stdout(&out)
}

/// The store holds no image, no layer and no work in progress.
pub fn assert_store_empty(store: &Path) {
    let names = std::fs::read_to_string(store.join("images/names.json"))
        .unwrap_or_else(|_| r#"{"names":{}}"#.into());
    let v: serde_json::Value = serde_json::from_str(&names).unwrap();
    assert!(
        v["names"].as_object().map_or(true, |m| m.is_empty()),
        "names left in the store: {names}"
    );
    for d in ["images", "layers", "tmp"] {
        let entries: Vec<String> = std::fs::read_dir(store.join(d))
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n != "names.json")
                    .collect()
            })
            .unwrap_or_default();
        assert!(entries.is_empty(), "{d}/ not empty: {entries:?}");
    }
}
