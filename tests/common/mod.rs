//! Black-box test harness: run the REAL `rctr` binary as the UNPRIVILEGED lab user.
//!
//! `cargo test` (and CI) runs as root, but rctr's whole point is running as a user without
//! privileges, so every integration test drops to `rctrtest` (with subordinate IDs) or
//! `rctrnosub` (without). Their uids and rctrtest's range are whatever this machine gave them:
//! read them with [`user`]`().uid` and [`subuid_range`], never write the numbers down.
//! Usage from `tests/<area>.rs`:
//!
//! ```ignore
//! mod common;
//! use common::*;
//!
//! #[test]
//! fn pull_busybox() {
//!     require_lab!();                       // SKIP (or panic when CI=true) without the lab
//!     let sb = Sandbox::new(&user());       // temp HOME/XDG world owned by rctrtest
//!     let out = sb.rctr(&["pull", "busybox"]);
//!     assert_ok(&out);
//!     let owners = sb.sh("stat -c %u $XDG_DATA_HOME");
//! }
//! ```
//!
//! The lab (users, registries on 127.0.0.1:5100/5101, images) is set up by
//! `tests/lab/setup.sh` (as root). Set `RCTR_IT_KEEP=1` to keep sandboxes for debugging.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::fs::{chown, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

mod gate;
mod output;
mod subids;
#[allow(unused_imports)] // not every test binary needs them
pub use gate::*;
#[allow(unused_imports)]
pub use output::*;
#[allow(unused_imports)]
pub use subids::*;

/// The plain-HTTP lab registry.
pub const REGISTRY: &str = "127.0.0.1:5100";
/// The htpasswd-auth lab registry (user [`AUTH_USER`], password [`AUTH_PASS`]).
pub const AUTH_REGISTRY: &str = "127.0.0.1:5101";
pub const AUTH_USER: &str = "rctr";
pub const AUTH_PASS: &str = "rctrpass";
/// Environment marker set on every process the harness starts, so a sandbox can find (and
/// kill, on drop) exactly the processes its test left behind and nothing else.
pub const SANDBOX_MARKER: &str = "RCTR_IT_SANDBOX";
/// PATH given to the user's processes (a login shell's default, no cargo or root dirs).
pub const USER_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Default per-command timeout; a hung rctr fails the test instead of hanging CI.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(180);

/// A local, unprivileged account used to run rctr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestUser {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
}

fn lookup_user(name: &str) -> Option<TestUser> {
    let u = nix::unistd::User::from_name(name).ok().flatten()?;
    Some(TestUser {
        name: u.name,
        uid: u.uid.as_raw(),
        gid: u.gid.as_raw(),
    })
}

/// `rctrtest`: has subordinate IDs (see [`subuid_range`]); its uid is what `useradd` gave.
pub fn user() -> TestUser {
    lookup_user("rctrtest").expect("user rctrtest missing: run tests/lab/setup.sh as root")
}

/// `rctrnosub`: no subordinate IDs (single-ID mode).
pub fn nosub_user() -> TestUser {
    lookup_user("rctrnosub").expect("user rctrnosub missing: run tests/lab/setup.sh as root")
}

/// The lab state dir (`/var/tmp/rctr-lab`, or `$RCTR_LAB_DIR`).
pub fn lab_dir() -> PathBuf {
    std::env::var_os("RCTR_LAB_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/tmp/rctr-lab"))
}

/// The repo root (where Cargo.toml is).
pub fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/lab/golden/<name>`, read.
pub fn golden(name: &str) -> String {
    let p = repo_dir().join("tests/lab/golden").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// A copy of the freshly built `rctr` in a world-readable dir under /tmp.
///
/// Why a copy: the repo (and `target/`) may live where the test user cannot traverse, and a
/// concurrent `cargo build` by someone else must not swap the binary in the middle of a test.
/// The copy is keyed by the source file's identity, so test binaries of one build share it.
pub fn rctr_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        use std::os::unix::fs::MetadataExt;
        let src = PathBuf::from(env!("CARGO_BIN_EXE_rctr"));
        let m = std::fs::metadata(&src)
            .unwrap_or_else(|e| panic!("cannot stat {}: {e}", src.display()));
        let base = Path::new("/tmp/rctr-it-bin");
        make_dir(base, 0o755);
        let key = format!(
            "{:x}-{:x}-{:x}-{:x}",
            m.ino(),
            m.size(),
            m.mtime(),
            m.mtime_nsec()
        );
        let dir = base.join(&key);
        let dst = dir.join("rctr");
        if !dst.exists() {
            // Copy to a private temp name, then rename: concurrent test processes race safely.
            let tmp = base.join(format!(".{key}.{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&tmp);
            make_dir(&tmp, 0o755);
            std::fs::copy(&src, tmp.join("rctr")).expect("copy rctr binary");
            std::fs::set_permissions(tmp.join("rctr"), std::fs::Permissions::from_mode(0o755))
                .unwrap();
            if std::fs::rename(&tmp, &dir).is_err() {
                // Another process won the race; its copy is identical.
                let _ = std::fs::remove_dir_all(&tmp);
            }
            prune_old_bins(base, &key);
        }
        assert!(dst.exists(), "{} missing after copy", dst.display());
        dst
    })
    .clone()
}

/// Remove copies of older builds (untouched for 6 hours) so /tmp does not fill up.
fn prune_old_bins(base: &Path, keep: &str) {
    let Ok(rd) = std::fs::read_dir(base) else {
        return;
    };
    for e in rd.flatten() {
        let old = e
            .metadata()
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(6 * 3600));
        if old && e.file_name() != keep {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn make_dir(p: &Path, mode: u32) {
    match std::fs::create_dir_all(p) {
        Ok(()) => {}
        Err(e) => panic!("cannot create {}: {e}", p.display()),
    }
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A per-test world owned by the test user:
/// `<dir>/home` (HOME, cwd; `home/.config` = XDG_CONFIG_HOME with a lab registries.conf),
/// `<dir>/data` (XDG_DATA_HOME), `<dir>/run` (XDG_RUNTIME_DIR, 0700), `<dir>/tmp` (TMPDIR).
/// Dropping it kills processes it started that are still running, lazily unmounts anything
/// mounted below it and removes it.
pub struct Sandbox {
    dir: PathBuf,
    user: TestUser,
    env: Mutex<BTreeMap<String, Option<OsString>>>,
    timeout: Mutex<Duration>,
}

/// The registries.conf every sandbox gets (podman's v2 format).
pub const REGISTRIES_CONF: &str = r#"# written by tests/common/mod.rs: the lab registries only
unqualified-search-registries = ["127.0.0.1:5100"]

[[registry]]
location = "127.0.0.1:5100"
insecure = true

[[registry]]
location = "127.0.0.1:5101"
insecure = true
"#;

impl Sandbox {
    pub fn new(user: &TestUser) -> Sandbox {
        announce(user);
        let base = Path::new("/tmp/rctr-it");
        make_dir(base, 0o755);
        let dir = tempfile::Builder::new()
            .prefix("sb-")
            .tempdir_in(base)
            .expect("create sandbox dir")
            .keep();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let sb = Sandbox {
            dir,
            user: user.clone(),
            env: Mutex::new(BTreeMap::new()),
            timeout: Mutex::new(DEFAULT_TIMEOUT),
        };
        let conf_dir = sb.home().join(".config/containers");
        for (d, mode) in [
            (sb.home(), 0o755),
            (sb.home().join(".config"), 0o755),
            (conf_dir.clone(), 0o755),
            (sb.data_dir(), 0o755),
            (sb.run_dir(), 0o700),
            (sb.tmp_dir(), 0o700),
        ] {
            make_dir(&d, mode);
        }
        std::fs::write(conf_dir.join("registries.conf"), REGISTRIES_CONF).unwrap();
        for p in [
            sb.dir.clone(),
            sb.home(),
            sb.home().join(".config"),
            conf_dir.clone(),
            conf_dir.join("registries.conf"),
            sb.data_dir(),
            sb.run_dir(),
            sb.tmp_dir(),
        ] {
            chown(&p, Some(user.uid), Some(user.gid))
                .unwrap_or_else(|e| panic!("chown {}: {e}", p.display()));
        }
        sb
    }

    /// A sandbox for `rctrnosub` (no subordinate IDs).
    pub fn new_nosub() -> Sandbox {
        Sandbox::new(&nosub_user())
    }

    pub fn user(&self) -> &TestUser {
        &self.user
    }
    pub fn path(&self) -> &Path {
        &self.dir
    }
    pub fn home(&self) -> PathBuf {
        self.dir.join("home")
    }
    pub fn config_home(&self) -> PathBuf {
        self.home().join(".config")
    }
    /// XDG_DATA_HOME; rctr's store is `data_dir()/rctr`.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }
    /// rctr's store (`$XDG_DATA_HOME/rctr`).
    pub fn store(&self) -> PathBuf {
        self.data_dir().join("rctr")
    }
    /// XDG_RUNTIME_DIR.
    pub fn run_dir(&self) -> PathBuf {
        self.dir.join("run")
    }
    pub fn tmp_dir(&self) -> PathBuf {
        self.dir.join("tmp")
    }

    /// Set (or override) a variable for every later command of this sandbox.
    pub fn env(&self, k: &str, v: impl Into<OsString>) -> &Self {
        self.env.lock().unwrap().insert(k.into(), Some(v.into()));
        self
    }

    /// Remove a variable (including the defaults, e.g. `XDG_RUNTIME_DIR`).
    pub fn unset(&self, k: &str) -> &Self {
        self.env.lock().unwrap().insert(k.into(), None);
        self
    }

    /// Per-command timeout for [`Sandbox::rctr`]/[`Sandbox::sh`] (default 180 s).
    pub fn set_timeout(&self, t: Duration) -> &Self {
        *self.timeout.lock().unwrap() = t;
        self
    }

    /// The environment a command gets: a clean login-like env plus per-test tweaks.
    pub fn apply_env(&self, cmd: &mut Command) {
        cmd.env_clear();
        let defaults: [(&str, OsString); 10] = [
            ("HOME", self.home().into()),
            ("USER", self.user.name.clone().into()),
            ("LOGNAME", self.user.name.clone().into()),
            ("PATH", USER_PATH.into()),
            ("XDG_DATA_HOME", self.data_dir().into()),
            ("XDG_CONFIG_HOME", self.config_home().into()),
            ("XDG_RUNTIME_DIR", self.run_dir().into()),
            ("TMPDIR", self.tmp_dir().into()),
            ("LANG", "C.UTF-8".into()),
            (SANDBOX_MARKER, self.dir.clone().into()),
        ];
        // scripts/test.sh tags its run so its final leftover check only looks at our processes
        // (other runs may share the machine).
        if let Some(run) = std::env::var_os("RCTR_IT_RUN") {
            cmd.env("RCTR_IT_RUN", run);
        }
        let over = self.env.lock().unwrap();
        for (k, v) in defaults {
            if !over.contains_key(k) {
                cmd.env(k, v);
            }
        }
        for (k, v) in over.iter() {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
    }

    fn as_user(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        // Root spawning with uid set: std calls setgroups(0) first, so no root groups leak.
        cmd.uid(self.user.uid).gid(self.user.gid);
        cmd.current_dir(self.home());
        self.apply_env(&mut cmd);
        cmd
    }

    /// `rctr ARGS` as the test user, not yet started (for stdin, spawn, custom stdio).
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = self.as_user(rctr_bin());
        c.args(args);
        c
    }

    /// `/bin/sh -c SCRIPT` as the test user with the sandbox environment.
    pub fn sh_cmd(&self, script: &str) -> Command {
        let mut c = self.as_user("/bin/sh");
        c.arg("-c").arg(script);
        c
    }

    /// Run `rctr ARGS` as the test user and capture its output.
    pub fn rctr(&self, args: &[&str]) -> Output {
        run_with_timeout(self.cmd(args), None, *self.timeout.lock().unwrap())
    }

    /// Like [`Sandbox::rctr`] with `input` on stdin.
    pub fn rctr_stdin(&self, args: &[&str], input: &[u8]) -> Output {
        run_with_timeout(self.cmd(args), Some(input), *self.timeout.lock().unwrap())
    }

    /// Run `rctr ARGS`, assert exit 0, return stdout.
    pub fn rctr_ok(&self, args: &[&str]) -> String {
        let out = self.rctr(args);
        assert_ok(&out);
        stdout(&out)
    }

    /// Run a shell script as the test user and capture its output.
    pub fn sh(&self, script: &str) -> Output {
        run_with_timeout(self.sh_cmd(script), None, *self.timeout.lock().unwrap())
    }

    /// Processes started from this sandbox (by the marker in their environment) and all their
    /// descendants, e.g. a detached container's monitor and the container itself.
    pub fn leftover_pids(&self) -> Vec<i32> {
        let marker = {
            let mut m = format!("{SANDBOX_MARKER}=").into_bytes();
            m.extend_from_slice(self.dir.as_os_str().as_encoded_bytes());
            m.push(0);
            m
        };
        let me = std::process::id() as i32;
        let mut procs: Vec<(i32, i32)> = Vec::new(); // (pid, ppid)
        let mut roots: Vec<i32> = Vec::new();
        for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
                continue;
            };
            if pid == me {
                continue;
            }
            let Some(ppid) = read_ppid(pid) else { continue };
            procs.push((pid, ppid));
            if let Ok(env) = std::fs::read(format!("/proc/{pid}/environ")) {
                let mut with_nul = env.clone();
                with_nul.push(0);
                if with_nul
                    .windows(marker.len())
                    .any(|w| w == marker.as_slice())
                {
                    roots.push(pid);
                }
            }
        }
        let mut all = roots.clone();
        let mut i = 0;
        while i < all.len() {
            let p = all[i];
            for &(c, pp) in &procs {
                if pp == p && !all.contains(&c) {
                    all.push(c);
                }
            }
            i += 1;
        }
        all
    }

    /// A sandbox of `user` with busybox pulled.
    pub fn with_busybox(user: &TestUser) -> Sandbox {
        let sb = Sandbox::new(user);
        assert_ok(&sb.rctr(&["pull", "-q", "busybox"]));
        sb
    }

    /// The containers in the store (their directories, and ones being removed).
    pub fn containers_in_store(&self) -> Vec<String> {
        std::fs::read_dir(self.data_dir().join("rctr/containers"))
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.len() == 64 || n.starts_with(".removing"))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Wait (up to `within`) until no process of this sandbox is left: a detached monitor
    /// that reported a failed start exits right after; fail with what is still there.
    #[track_caller]
    pub fn assert_no_leftovers_within(&self, within: Duration) {
        let deadline = std::time::Instant::now() + within;
        while !self.leftover_pids().is_empty() {
            assert!(
                std::time::Instant::now() < deadline,
                "processes left behind: {:?}",
                self.leftover_pids()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL the processes this sandbox left behind (by pid); returns how many there were.
    pub fn kill_leftovers(&self) -> usize {
        let pids = self.leftover_pids();
        for &p in &pids {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(p),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        if !pids.is_empty() {
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline
                && pids
                    .iter()
                    .any(|p| Path::new(&format!("/proc/{p}")).exists())
            {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        pids.len()
    }
}

fn read_ppid(pid: i32) -> Option<i32> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // comm may contain spaces/parens: fields after the last ')' are "state ppid ...".
    let rest = &s[s.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let n = self.kill_leftovers();
        if n > 0 {
            eprintln!(
                "warning: {}: killed {n} process(es) left running by the test in {}",
                test_name(),
                self.dir.display()
            );
        }
        if std::env::var_os("RCTR_IT_KEEP").is_some() {
            eprintln!("RCTR_IT_KEEP: keeping {}", self.dir.display());
            return;
        }
        unmount_below(&self.dir);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Lazily unmount everything visible below `dir` in our mount namespace, deepest first.
fn unmount_below(dir: &Path) {
    let Ok(mi) = std::fs::read_to_string("/proc/self/mountinfo") else {
        return;
    };
    let mut points: Vec<PathBuf> = mi
        .lines()
        .filter_map(|l| l.split(' ').nth(4))
        .map(unescape_mount_path)
        .filter(|p| p.starts_with(dir))
        .collect();
    points.sort_by_key(|p| std::cmp::Reverse(p.as_os_str().len()));
    for p in points {
        let _ = nix::mount::umount2(&p, nix::mount::MntFlags::MNT_DETACH);
    }
}

/// mountinfo escapes space, tab, newline and backslash as `\ooo`.
fn unescape_mount_path(s: &str) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 3 < b.len() && b[i + 1..i + 4].iter().all(|c| c.is_ascii_digit()) {
            let v = std::str::from_utf8(&b[i + 1..i + 4])
                .ok()
                .and_then(|o| u8::from_str_radix(o, 8).ok());
            if let Some(v) = v {
                out.push(v);
                i += 4;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    PathBuf::from(OsString::from_vec(out))
}

/// Print once per test process and user which user the tests run as (the CI log proves it).
fn announce(user: &TestUser) {
    static SEEN: Mutex<Vec<u32>> = Mutex::new(Vec::new());
    let mut seen = SEEN.lock().unwrap();
    if !seen.contains(&user.uid) {
        seen.push(user.uid);
        visible(&format!(
            "integration tests run as uid {} ({})",
            user.uid, user.name
        ));
    }
}
