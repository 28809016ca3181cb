//! A small, blocking D-Bus client: just enough to ask the user's systemd for a transient
//! scope. Our own rather than a crate because the monitor that uses it is single-threaded
//! and forks (no runtime, no helper threads), and because the needs are few: SASL EXTERNAL,
//! method calls with replies, match rules and signals.
//!
//! Every wait has a deadline, enforced with the socket's read/write timeouts (one blocking
//! read at a time, never a polling loop). Signals that arrive while a reply is awaited are
//! queued, so a later [`Bus::wait_signal`] still sees them.
use nix::errno::Errno;
use nix::sys::socket;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

mod wire;
use wire::frame_len;
pub use wire::{decode, encode, Kind, Message, Value};

/// For calls that only the bus daemon answers (Hello, AddMatch): it answers at once.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Signals nobody waits for are kept, but not without bound.
const MAX_QUEUED: usize = 1024;

const BUS_NAME: &str = "org.freedesktop.DBus";
const BUS_PATH: &str = "/org/freedesktop/DBus";

#[derive(Debug, thiserror::Error)]
pub enum DbusError {
    #[error("cannot connect to the D-Bus socket {path}: {err}")]
    Connect { path: String, err: io::Error },
    #[error("D-Bus authentication failed: {0}")]
    Auth(String),
    #[error("D-Bus connection failed: {0}")]
    Io(io::Error),
    #[error("D-Bus protocol error: {0}")]
    Protocol(String),
    #[error("{name}: {message}")]
    Remote { name: String, message: String },
    #[error("no answer on D-Bus in time")]
    Timeout,
}

type Result<T> = std::result::Result<T, DbusError>;

fn protocol(what: impl Into<String>) -> DbusError {
    DbusError::Protocol(what.into())
}

fn deadline(timeout: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(timeout)
        .unwrap_or(now + Duration::from_secs(86_400 * 365))
}

/// A connection to a bus, authenticated and named. Not to be used from two processes:
/// after a fork, only one side may keep talking on it.
pub struct Bus {
    sock: UnixStream,
    rbuf: Vec<u8>,
    serial: u32,
    name: String,
    queue: VecDeque<Message>,
}

impl Bus {
    /// Connect to the bus at `path` as `uid`: the caller's real uid on the host, the one the
    /// bus sees on the socket (inside a user namespace, geteuid would say something else).
    pub fn connect(path: &Path, uid: u32) -> Result<Bus> {
        Bus::connect_timeout(path, uid, DEFAULT_TIMEOUT)
    }

    /// [`Bus::connect`], with authentication and Hello done within `timeout`.
    pub fn connect_timeout(path: &Path, uid: u32, timeout: Duration) -> Result<Bus> {
        let until = deadline(timeout);
        let sock = UnixStream::connect(path).map_err(|err| DbusError::Connect {
            path: path.display().to_string(),
            err,
        })?;
        let mut bus = Bus {
            sock,
            rbuf: Vec::new(),
            serial: 0,
            name: String::new(),
            queue: VecDeque::new(),
        };
        bus.authenticate(uid, until)?;
        let left = until.saturating_duration_since(Instant::now());
        let hello = bus.call(BUS_NAME, BUS_PATH, BUS_NAME, "Hello", "", &[], left)?;
        bus.name = hello
            .str_arg(0)
            .ok_or_else(|| protocol("Hello returned no name"))?
            .to_string();
        Ok(bus)
    }

    /// SASL EXTERNAL: the NUL byte, our uid as hex of its decimal text, `OK <guid>`, BEGIN.
    fn authenticate(&mut self, uid: u32, until: Instant) -> Result<()> {
        let hex = hex::encode(uid.to_string());
        self.write_all(format!("\0AUTH EXTERNAL {hex}\r\n").as_bytes(), until)?;
        let line = self.read_line(until)?;
        if line.starts_with("REJECTED") {
            return Err(DbusError::Auth(format!(
                "the bus refused uid {uid} (not the uid it sees on the socket)"
            )));
        }
        if !line.starts_with("OK ") {
            return Err(DbusError::Auth(format!("unexpected answer {line:?}")));
        }
        self.write_all(b"BEGIN\r\n", until)
    }

    fn read_line(&mut self, until: Instant) -> Result<String> {
        loop {
            if let Some(i) = self.rbuf.windows(2).position(|w| w == b"\r\n") {
                let line: Vec<u8> = self.rbuf.drain(..i + 2).take(i).collect();
                return Ok(String::from_utf8_lossy(&line).into_owned());
            }
            if self.rbuf.len() > 4096 {
                return Err(DbusError::Auth("overlong answer from the bus".into()));
            }
            self.fill(until)?;
        }
    }

    /// Our unique name on the bus (`:1.42`).
    pub fn unique_name(&self) -> &str {
        &self.name
    }

    fn write_all(&mut self, data: &[u8], until: Instant) -> Result<()> {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(DbusError::Timeout);
        }
        self.sock
            .set_write_timeout(Some(left))
            .map_err(DbusError::Io)?;
        // send(2) with MSG_NOSIGNAL rather than write(2): a bus gone away is an error to
        // report, not a SIGPIPE (the monitor may have it blocked, or set to default).
        let mut rest = data;
        while !rest.is_empty() {
            let flags = socket::MsgFlags::MSG_NOSIGNAL;
            match socket::send(self.sock.as_raw_fd(), rest, flags) {
                Ok(n) => rest = &rest[n..],
                Err(Errno::EINTR) => {}
                Err(Errno::EAGAIN) => return Err(DbusError::Timeout),
                Err(e) => return Err(DbusError::Io(e.into())),
            }
        }
        Ok(())
    }

    /// One blocking read, bounded by `until`, appended to the read buffer.
    fn fill(&mut self, until: Instant) -> Result<()> {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(DbusError::Timeout);
        }
        self.sock
            .set_read_timeout(Some(left))
            .map_err(DbusError::Io)?;
        let mut chunk = [0u8; 8192];
        match self.sock.read(&mut chunk) {
            Ok(0) => Err(DbusError::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the bus closed the connection",
            ))),
            Ok(n) => {
                self.rbuf.extend_from_slice(&chunk[..n]);
                Ok(())
            }
            // The caller loops, and the next read gets what is left of the deadline.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(()),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                Err(DbusError::Timeout)
            }
            Err(e) => Err(DbusError::Io(e)),
        }
    }

    /// The next message off the wire. A partial one stays buffered across a timeout, so the
    /// stream never loses its framing.
    fn read_message(&mut self, until: Instant) -> Result<Message> {
        loop {
            if let Some(n) = frame_len(&self.rbuf)? {
                let m = Message::decode(&self.rbuf[..n]);
                self.rbuf.drain(..n);
                return m;
            }
            self.fill(until)?;
        }
    }

    fn send(&mut self, mut m: Message, until: Instant) -> Result<u32> {
        // Serials are nonzero; wrapping after 4 billion messages is harmless.
        self.serial = self.serial.checked_add(1).unwrap_or(1);
        m.serial = self.serial;
        let data = m.encode()?;
        self.write_all(&data, until)?;
        Ok(m.serial)
    }

    fn enqueue(&mut self, m: Message) {
        if self.queue.len() >= MAX_QUEUED {
            self.queue.pop_front();
        }
        self.queue.push_back(m);
    }

    /// Call `iface.member` on `dest` at `path` and wait for its reply; an error reply is
    /// [`DbusError::Remote`]. Signals read meanwhile are queued for [`Bus::wait_signal`].
    /// A service not running is not started (`ServiceUnknown`).
    #[allow(clippy::too_many_arguments)]
    pub fn call(
        &mut self,
        dest: &str,
        path: &str,
        iface: &str,
        member: &str,
        signature: &str,
        body: &[Value],
        timeout: Duration,
    ) -> Result<Message> {
        let until = deadline(timeout);
        let mut m = Message::new(Kind::MethodCall);
        // NO_AUTO_START: what we call runs already or not at all (systemd's activation
        // file for the manager is /bin/false), and trying only delays the error.
        m.flags = 2;
        m.destination = Some(dest.into());
        m.path = Some(path.into());
        m.interface = Some(iface.into());
        m.member = Some(member.into());
        m.signature = signature.into();
        m.body = body.to_vec();
        let serial = self.send(m, until)?;
        loop {
            let r = self.read_message(until)?;
            match r.kind {
                Kind::Return if r.reply_serial == Some(serial) => return Ok(r),
                Kind::Error if r.reply_serial == Some(serial) => {
                    return Err(DbusError::Remote {
                        name: r.error_name.clone().unwrap_or_default(),
                        message: r.str_arg(0).unwrap_or_default().to_string(),
                    })
                }
                Kind::Signal => self.enqueue(r),
                // Calls to us and stray replies: nothing here serves or awaits them.
                _ => {}
            }
        }
    }

    /// Ask the bus to route us the signals that `rule` matches.
    pub fn add_match(&mut self, rule: &str) -> Result<()> {
        let body = [Value::Str(rule.into())];
        self.call(
            BUS_NAME,
            BUS_PATH,
            BUS_NAME,
            "AddMatch",
            "s",
            &body,
            DEFAULT_TIMEOUT,
        )
        .map(drop)
    }

    /// Broadcast the signal `iface.member` from `path`.
    pub fn emit_signal(
        &mut self,
        path: &str,
        iface: &str,
        member: &str,
        signature: &str,
        body: &[Value],
    ) -> Result<()> {
        let mut m = Message::new(Kind::Signal);
        m.flags = 1; // NO_REPLY_EXPECTED
        m.path = Some(path.into());
        m.interface = Some(iface.into());
        m.member = Some(member.into());
        m.signature = signature.into();
        m.body = body.to_vec();
        self.send(m, deadline(DEFAULT_TIMEOUT)).map(drop)
    }

    /// The first signal `pred` accepts: from the queue, else read (blocking, up to
    /// `timeout`). Signals it passes over stay queued for a later wait.
    pub fn wait_signal(
        &mut self,
        timeout: Duration,
        mut pred: impl FnMut(&Message) -> bool,
    ) -> Result<Message> {
        if let Some(i) = self.queue.iter().position(&mut pred) {
            return Ok(self.queue.remove(i).expect("position is in the queue"));
        }
        let until = deadline(timeout);
        loop {
            let m = self.read_message(until)?;
            if m.kind != Kind::Signal {
                continue;
            }
            if pred(&m) {
                return Ok(m);
            }
            self.enqueue(m);
        }
    }

    /// The next message of any kind (queued signals first): for serving calls, in tests.
    pub fn recv(&mut self, timeout: Duration) -> Result<Message> {
        match self.queue.pop_front() {
            Some(m) => Ok(m),
            None => self.read_message(deadline(timeout)),
        }
    }

    /// Answer the method call `to`: with a return of `signature`/`body`, or with the
    /// error `Err((name, message))`.
    pub fn reply(
        &mut self,
        to: &Message,
        answer: std::result::Result<(&str, &[Value]), (&str, &str)>,
    ) -> Result<()> {
        let mut m = Message::new(Kind::Return);
        match answer {
            Ok((sig, body)) => {
                m.signature = sig.into();
                m.body = body.to_vec();
            }
            Err((name, text)) => {
                m.kind = Kind::Error;
                m.error_name = Some(name.into());
                m.signature = "s".into();
                m.body = vec![Value::Str(text.into())];
            }
        }
        m.reply_serial = Some(to.serial);
        m.destination = to.sender.clone();
        self.send(m, deadline(DEFAULT_TIMEOUT)).map(drop)
    }
}

/// A private dbus-daemon for tests, on a socket in a temporary directory.
#[cfg(test)]
pub(crate) mod testbus {
    use std::io::BufRead;
    use std::path::PathBuf;
    use std::process::{Child, Command, Stdio};

    pub(crate) struct Daemon {
        child: Child,
        pub socket: PathBuf,
        _dir: tempfile::TempDir,
    }

    impl Drop for Daemon {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// A running daemon, or `None` (SKIP printed; fatal with CI=true) without dbus-daemon.
    pub(crate) fn start(test: &str) -> Option<Daemon> {
        let exe = "/usr/bin/dbus-daemon";
        if !std::path::Path::new(exe).exists() {
            // The one environment read here: the tests' SKIP rule (tests/common/gate.rs).
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("{test}: {exe} missing in CI (apt-get install dbus)");
            }
            // Past libtest's capture, so the SKIP shows in the log.
            let line = format!("SKIP {test}: {exe} missing (apt-get install dbus)\n");
            let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("bus");
        let mut child = Command::new(exe)
            .arg("--session")
            .arg("--nofork")
            .arg(format!("--address=unix:path={}", socket.display()))
            .arg("--print-address")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The address is printed once the socket listens: no sleeping.
        let mut line = String::new();
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut line).unwrap();
        assert!(line.starts_with("unix:path="), "dbus-daemon: {line:?}");
        Some(Daemon {
            child,
            socket,
            _dir: dir,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(5);

    fn uid() -> u32 {
        nix::unistd::getuid().as_raw()
    }

    fn bus_call(bus: &mut Bus, member: &str, sig: &str, body: &[Value]) -> Result<Message> {
        bus.call(BUS_NAME, BUS_PATH, BUS_NAME, member, sig, body, SECOND)
    }

    #[test]
    fn calls_to_a_real_bus_daemon() {
        let Some(d) = testbus::start("calls_to_a_real_bus_daemon") else {
            return;
        };
        let mut bus = Bus::connect(&d.socket, uid()).unwrap();
        assert!(bus.unique_name().starts_with(':'), "{}", bus.unique_name());
        let names = bus_call(&mut bus, "ListNames", "", &[]).unwrap();
        assert_eq!(names.signature, "as");
        let Value::Array(_, names) = &names.body[0] else {
            panic!("{names:?}")
        };
        assert!(names.contains(&Value::Str(BUS_NAME.into())));
        assert!(names.contains(&Value::Str(bus.unique_name().into())));
        let id = bus_call(&mut bus, "GetId", "", &[]).unwrap();
        assert_eq!(id.str_arg(0).map(str::len), Some(32));
        // The daemon's error reply, as the caller branches on it.
        match bus_call(&mut bus, "NoSuchMethod", "", &[]) {
            Err(DbusError::Remote { name, message }) => {
                assert_eq!(
                    name, "org.freedesktop.DBus.Error.UnknownMethod",
                    "{message}"
                );
                assert!(!message.contains('\n'));
            }
            r => panic!("{r:?}"),
        }
        // The connection is still usable after an error reply.
        bus_call(&mut bus, "GetId", "", &[]).unwrap();
    }

    #[test]
    fn signals_are_routed_queued_and_waited_for() {
        let Some(d) = testbus::start("signals_are_routed_queued_and_waited_for") else {
            return;
        };
        let mut rx = Bus::connect(&d.socket, uid()).unwrap();
        let mut tx = Bus::connect(&d.socket, uid()).unwrap();
        rx.add_match("type='signal',interface='org.rctr.Test',member='JobRemoved'")
            .unwrap();
        let job = |n: u32| {
            let path = format!("/org/rctr/job/{n}");
            [
                Value::U32(n),
                Value::ObjPath(path),
                Value::Str("rctr-x.scope".into()),
                Value::Str("done".into()),
            ]
        };
        for n in [1, 2] {
            tx.emit_signal("/org/rctr", "org.rctr.Test", "JobRemoved", "uoss", &job(n))
                .unwrap();
        }
        // A round trip of the sender's: the daemon has routed both signals by its reply,
        // so they are ahead of rx's own reply below and must be queued, not lost.
        bus_call(&mut tx, "GetId", "", &[]).unwrap();
        bus_call(&mut rx, "GetId", "", &[]).unwrap();
        let is_job = |n: u32| {
            move |m: &Message| {
                m.is_signal("org.rctr.Test", "JobRemoved") && m.body.first() == Some(&Value::U32(n))
            }
        };
        // No time at all to read: these can only come from the queue.
        let second = rx.wait_signal(Duration::ZERO, is_job(2)).unwrap();
        assert_eq!(second.signature, "uoss");
        assert_eq!(second.body, job(2));
        assert_eq!(second.sender.as_deref(), Some(tx.unique_name()));
        rx.wait_signal(Duration::ZERO, is_job(1)).unwrap();
        // And one emitted while rx waits, read from the socket.
        tx.emit_signal("/org/rctr", "org.rctr.Test", "JobRemoved", "uoss", &job(3))
            .unwrap();
        assert_eq!(rx.wait_signal(SECOND, is_job(3)).unwrap().body, job(3));
        let start = Instant::now();
        let e = rx
            .wait_signal(Duration::from_millis(200), |_| false)
            .unwrap_err();
        assert!(matches!(e, DbusError::Timeout), "{e:?}");
        assert!(start.elapsed() >= Duration::from_millis(200));
    }

    #[test]
    fn a_wrong_uid_a_missing_socket_and_a_dead_bus_are_errors() {
        let Some(d) = testbus::start("a_wrong_uid_a_missing_socket_and_a_dead_bus_are_errors")
        else {
            return;
        };
        let e = Bus::connect(&d.socket, uid() + 1).err().unwrap();
        assert!(matches!(e, DbusError::Auth(_)), "{e:?}");
        assert!(
            e.to_string()
                .contains(&format!("refused uid {}", uid() + 1)),
            "{e}"
        );
        let gone = d.socket.with_file_name("nothing-here");
        let e = Bus::connect(&gone, uid()).err().unwrap();
        assert!(matches!(e, DbusError::Connect { .. }), "{e:?}");
        assert!(e.to_string().contains("nothing-here"), "{e}");
        // The daemon gone: an I/O error in one line, not a signal, not a hang.
        let mut bus = Bus::connect(&d.socket, uid()).unwrap();
        drop(d);
        let e = bus_call(&mut bus, "GetId", "", &[]).unwrap_err();
        assert!(matches!(e, DbusError::Io(_)), "{e:?}");
        assert!(
            e.to_string().starts_with("D-Bus connection failed: "),
            "{e}"
        );
    }
}
