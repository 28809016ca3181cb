//! The one message format between rctr's own processes (the runtime's start channel, the
//! userns handshake, `exec`'s helper, the detached monitor's readiness pipe).
//!
//! A message is a serde type (an enum per conversation) encoded as JSON, framed by the
//! transport it travels on:
//!
//! * [`Framing::Packet`] (`SOCK_SEQPACKET`): one message per datagram, so two writers (the
//!   runtime's helper and PID 1) never interleave;
//! * [`Framing::Stream`] (`SOCK_STREAM` socket) and [`Framing::Pipe`]: a 4-byte little-endian
//!   length, then the body.
//!
//! File descriptors travel as SCM_RIGHTS with the message they belong to (sockets only); a
//! message type says how many it carries ([`Message::fds`]), checked on both ends. Bodies are
//! bounded ([`MAX_MESSAGE`], [`MAX_PACKET`] for a datagram); reads and writes retry on EINTR; end of file before a message
//! is `Ok(None)` (several conversations give it a meaning: "exec'd", "gone"), inside one it
//! is [`WireError::Truncated`].
//!
//! An error that crosses a process boundary is a [`Failure`]: its kind and exit code travel
//! with it, so the receiver rebuilds the same error instead of parsing text.
//!
//! Encoding allocates: never call this between fork and exec of a multithreaded process
//! (`Command::pre_exec`). rctr's own forks are of fresh single-threaded re-execs, where it is
//! safe. Bottom layer: it uses nothing of rctr but the exit codes in `error`.
use nix::sys::socket::{recvmsg, sendmsg, ControlMessage, ControlMessageOwned, MsgFlags};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

/// The largest message body accepted or sent (an `exec` payload, the largest, is its process:
/// argv and env (under ARG_MAX, 2 MB) and a compiled seccomp program (~50 KB)).
pub const MAX_MESSAGE: usize = 4 << 20;
/// A datagram's limit (below the default socket send buffer, ~208 KB, so a message within
/// it can always be sent): the start channel's messages are a few hundred bytes.
pub const MAX_PACKET: usize = 64 * 1024;
/// The most descriptors one message may carry.
pub const MAX_FDS: usize = 4;
const HEADER: usize = 4;

/// A message of one conversation.
pub trait Message: Serialize + DeserializeOwned {
    /// How many descriptors travel with this message (0 for most).
    fn fds(&self) -> usize {
        0
    }
}

/// How messages are delimited on a descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `SOCK_SEQPACKET`: a datagram is a message.
    Packet,
    /// `SOCK_STREAM` socket: length prefix; may carry descriptors.
    Stream,
    /// A pipe: length prefix; no descriptors.
    Pipe,
}

#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("message of {0} bytes is over the limit")]
    Oversize(usize),
    #[error("truncated message")]
    Truncated,
    #[error("malformed message: {0}")]
    Malformed(#[from] serde_json::Error),
    #[error("message carries {got} file descriptor(s), expected {expected}")]
    Fds { expected: usize, got: usize },
}

impl From<nix::errno::Errno> for WireError {
    fn from(e: nix::errno::Errno) -> Self {
        WireError::Io(e.into())
    }
}

/// What kind of failure crossed the boundary; podman's exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FailureKind {
    /// 127: the command does not exist.
    NotFound,
    /// 126: it exists but cannot be executed.
    CannotInvoke,
    /// 125: the engine or runtime failed.
    Runtime,
    /// Any other exit status an error chain chose.
    Exit(u8),
}

impl FailureKind {
    pub fn code(self) -> u8 {
        use crate::error::{EXIT_CANNOT_INVOKE, EXIT_ENGINE, EXIT_NOT_FOUND};
        match self {
            FailureKind::NotFound => EXIT_NOT_FOUND,
            FailureKind::CannotInvoke => EXIT_CANNOT_INVOKE,
            FailureKind::Runtime => EXIT_ENGINE,
            FailureKind::Exit(c) => c,
        }
    }

    /// The kind an exit status stands for (125/126/127 are named, others kept as is).
    pub fn from_code(code: u8) -> FailureKind {
        use crate::error::{EXIT_CANNOT_INVOKE, EXIT_ENGINE, EXIT_NOT_FOUND};
        match code {
            EXIT_NOT_FOUND => FailureKind::NotFound,
            EXIT_CANNOT_INVOKE => FailureKind::CannotInvoke,
            EXIT_ENGINE => FailureKind::Runtime,
            c => FailureKind::Exit(c),
        }
    }
}

/// An error sent to another rctr process: its kind (hence exit code) and its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
}

impl Failure {
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
        }
    }

    /// An error chain as it would end this process: its exit code and `{e:#}`.
    pub fn from_error(e: &anyhow::Error) -> Failure {
        Failure::new(
            FailureKind::from_code(crate::error::exit_code_for(e)),
            format!("{e:#}"),
        )
    }

    pub fn code(&self) -> u8 {
        self.kind.code()
    }
}

impl Message for Failure {}

impl From<Failure> for crate::error::ExitError {
    fn from(f: Failure) -> Self {
        crate::error::ExitError::new(f.code(), f.message)
    }
}

/// A descriptor with its framing: one end of a conversation.
#[derive(Debug)]
pub struct Channel {
    fd: OwnedFd,
    framing: Framing,
}

impl Channel {
    pub fn new(fd: OwnedFd, framing: Framing) -> Channel {
        Channel { fd, framing }
    }

    /// A connected close-on-exec socket pair (`Packet` or `Stream`).
    pub fn pair(framing: Framing) -> std::io::Result<(Channel, Channel)> {
        use nix::sys::socket::{socketpair, AddressFamily, SockFlag, SockType};
        let ty = match framing {
            Framing::Packet => SockType::SeqPacket,
            Framing::Stream => SockType::Stream,
            Framing::Pipe => return Err(std::io::ErrorKind::InvalidInput.into()),
        };
        let (a, b) = socketpair(AddressFamily::Unix, ty, None, SockFlag::SOCK_CLOEXEC)?;
        Ok((Channel::new(a, framing), Channel::new(b, framing)))
    }

    pub fn framing(&self) -> Framing {
        self.framing
    }

    pub fn into_fd(self) -> OwnedFd {
        self.fd
    }

    pub fn send<M: Message>(&self, msg: &M) -> Result<(), WireError> {
        send(self.fd.as_fd(), self.framing, msg, &[])
    }

    pub fn send_with_fds<M: Message>(
        &self,
        msg: &M,
        fds: &[BorrowedFd<'_>],
    ) -> Result<(), WireError> {
        send(self.fd.as_fd(), self.framing, msg, fds)
    }

    /// The next message (`None` at end of file) of a type that carries no descriptors.
    pub fn recv<M: Message>(&self) -> Result<Option<M>, WireError> {
        Ok(self.recv_with_fds()?.map(|(m, _)| m))
    }

    /// The next message and the descriptors that came with it (`None` at end of file).
    pub fn recv_with_fds<M: Message>(&self) -> Result<Option<(M, Vec<OwnedFd>)>, WireError> {
        recv(self.fd.as_fd(), self.framing)
    }
}

impl AsFd for Channel {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for Channel {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

/// Send `msg` (and `fds`, which must number `msg.fds()`) on `fd`.
pub fn send<M: Message>(
    fd: BorrowedFd<'_>,
    framing: Framing,
    msg: &M,
    fds: &[BorrowedFd<'_>],
) -> Result<(), WireError> {
    if fds.len() != msg.fds() || (framing == Framing::Pipe && !fds.is_empty()) {
        return Err(WireError::Fds {
            expected: msg.fds(),
            got: fds.len(),
        });
    }
    let mut buf = vec![
        0u8;
        if framing == Framing::Packet {
            0
        } else {
            HEADER
        }
    ];
    serde_json::to_writer(&mut buf, msg)?;
    let body = buf.len()
        - if framing == Framing::Packet {
            0
        } else {
            HEADER
        };
    if body > limit(framing) {
        return Err(WireError::Oversize(body));
    }
    if framing != Framing::Packet {
        buf[..HEADER].copy_from_slice(&(body as u32).to_le_bytes());
    }
    if framing == Framing::Pipe {
        return write_all(fd, &buf);
    }
    let raw: Vec<RawFd> = fds.iter().map(|f| f.as_raw_fd()).collect();
    let cmsg: Vec<ControlMessage> = if raw.is_empty() {
        vec![]
    } else {
        vec![ControlMessage::ScmRights(&raw)]
    };
    let mut off = 0;
    while off < buf.len() {
        let iov = [IoSlice::new(&buf[off..])];
        // The descriptors ride on the first byte only.
        let c = if off == 0 { &cmsg[..] } else { &[][..] };
        match sendmsg::<()>(fd.as_raw_fd(), &iov, c, MsgFlags::MSG_NOSIGNAL, None) {
            Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
            Ok(n) => off += n,
        }
        if framing == Framing::Packet {
            break; // a datagram goes whole or not at all
        }
    }
    Ok(())
}

fn limit(framing: Framing) -> usize {
    match framing {
        Framing::Packet => MAX_PACKET,
        Framing::Stream | Framing::Pipe => MAX_MESSAGE,
    }
}

fn write_all(fd: BorrowedFd<'_>, mut data: &[u8]) -> Result<(), WireError> {
    while !data.is_empty() {
        match rustix::io::write(fd, data) {
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(std::io::Error::from(e).into()),
            Ok(n) => data = &data[n..],
        }
    }
    Ok(())
}

/// Receive one message on `fd` (`None` at end of file before it).
pub fn recv<M: Message>(
    fd: BorrowedFd<'_>,
    framing: Framing,
) -> Result<Option<(M, Vec<OwnedFd>)>, WireError> {
    let mut fds = Vec::new();
    let body = match framing {
        Framing::Packet => {
            let mut buf = vec![0u8; MAX_PACKET];
            let n = read_some(fd, true, &mut buf, &mut fds)?;
            if n == 0 && fds.is_empty() {
                return Ok(None);
            }
            buf.truncate(n);
            buf
        }
        Framing::Stream | Framing::Pipe => {
            let sock = framing == Framing::Stream;
            let mut head = [0u8; HEADER];
            if !read_exact(fd, sock, &mut head, &mut fds)? {
                return Ok(None);
            }
            let len = u32::from_le_bytes(head) as usize;
            if len > MAX_MESSAGE {
                return Err(WireError::Oversize(len));
            }
            let mut buf = vec![0u8; len];
            if !read_exact(fd, sock, &mut buf, &mut fds)? && len > 0 {
                return Err(WireError::Truncated);
            }
            buf
        }
    };
    let msg: M = serde_json::from_slice(&body)?;
    if fds.len() != msg.fds() {
        return Err(WireError::Fds {
            expected: msg.fds(),
            got: fds.len(),
        });
    }
    Ok(Some((msg, fds)))
}

/// Fill `buf`; false at end of file before the first byte, `Truncated` after it.
fn read_exact(
    fd: BorrowedFd<'_>,
    sock: bool,
    buf: &mut [u8],
    fds: &mut Vec<OwnedFd>,
) -> Result<bool, WireError> {
    let mut off = 0;
    while off < buf.len() {
        match read_some(fd, sock, &mut buf[off..], fds)? {
            0 if off == 0 => return Ok(false),
            0 => return Err(WireError::Truncated),
            n => off += n,
        }
    }
    Ok(true)
}

/// One read (recvmsg on a socket, collecting descriptors), retried on EINTR.
fn read_some(
    fd: BorrowedFd<'_>,
    sock: bool,
    buf: &mut [u8],
    fds: &mut Vec<OwnedFd>,
) -> Result<usize, WireError> {
    if !sock {
        loop {
            match rustix::io::read(fd, &mut *buf) {
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(std::io::Error::from(e).into()),
                Ok(n) => return Ok(n),
            }
        }
    }
    let mut space = nix::cmsg_space!([RawFd; MAX_FDS]);
    loop {
        let mut iov = [IoSliceMut::new(buf)];
        let m = match recvmsg::<()>(
            fd.as_raw_fd(),
            &mut iov,
            Some(&mut space),
            MsgFlags::MSG_CMSG_CLOEXEC,
        ) {
            Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
            Ok(m) => m,
        };
        for c in m.cmsgs()? {
            if let ControlMessageOwned::ScmRights(got) = c {
                // SAFETY: the kernel just installed these descriptors for us.
                fds.extend(got.into_iter().map(|f| unsafe { OwnedFd::from_raw_fd(f) }));
            }
        }
        if m.flags.contains(MsgFlags::MSG_TRUNC) {
            return Err(WireError::Oversize(m.bytes));
        }
        if m.flags.contains(MsgFlags::MSG_CTRUNC) {
            return Err(WireError::Fds {
                expected: MAX_FDS,
                got: fds.len(),
            });
        }
        return Ok(m.bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Seek, Write};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    enum Talk {
        Hello(String),
        File,
        Fail(Failure),
    }

    impl Message for Talk {
        fn fds(&self) -> usize {
            matches!(self, Talk::File) as usize
        }
    }

    fn pipe() -> (Channel, Channel) {
        let (r, w) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).unwrap();
        (
            Channel::new(r, Framing::Pipe),
            Channel::new(w, Framing::Pipe),
        )
    }

    #[test]
    fn round_trip_on_every_framing() {
        let fail = Talk::Fail(Failure::new(FailureKind::NotFound, "no such file"));
        for (a, b) in [
            Channel::pair(Framing::Packet).unwrap(),
            Channel::pair(Framing::Stream).unwrap(),
            pipe(),
        ] {
            let (tx, rx) = if a.framing() == Framing::Pipe {
                (b, a)
            } else {
                (a, b)
            };
            tx.send(&Talk::Hello("é\n".into())).unwrap();
            tx.send(&fail).unwrap();
            drop(tx);
            assert_eq!(rx.recv::<Talk>().unwrap(), Some(Talk::Hello("é\n".into())));
            assert_eq!(rx.recv::<Talk>().unwrap(), Some(fail.clone()));
            assert!(rx.recv::<Talk>().unwrap().is_none(), "end of file");
        }
    }

    #[test]
    fn failure_keeps_kind_and_code() {
        for (code, kind) in [
            (127, FailureKind::NotFound),
            (126, FailureKind::CannotInvoke),
            (125, FailureKind::Runtime),
            (1, FailureKind::Exit(1)),
        ] {
            assert_eq!(FailureKind::from_code(code), kind);
            assert_eq!(kind.code(), code);
        }
        let e = anyhow::Error::new(crate::error::ExitError::new(126, "denied")).context("exec");
        let f = Failure::from_error(&e);
        assert_eq!(
            (f.kind, f.message.as_str()),
            (FailureKind::CannotInvoke, "exec: denied")
        );
        let back = crate::error::ExitError::from(f);
        assert_eq!((back.code, back.msg.as_str()), (126, "exec: denied"));
    }

    #[test]
    fn truncated_stream_is_an_error() {
        let (r, w) = pipe();
        // A header promising 10 bytes, then 3 and end of file.
        rustix::io::write(w.as_fd(), &10u32.to_le_bytes()).unwrap();
        rustix::io::write(w.as_fd(), b"\"He").unwrap();
        drop(w);
        assert!(matches!(r.recv::<Talk>(), Err(WireError::Truncated)));
        // A header cut short.
        let (r, w) = pipe();
        rustix::io::write(w.as_fd(), &[1, 0]).unwrap();
        drop(w);
        assert!(matches!(r.recv::<Talk>(), Err(WireError::Truncated)));
        // Garbage of the announced length.
        let (r, w) = pipe();
        rustix::io::write(w.as_fd(), &3u32.to_le_bytes()).unwrap();
        rustix::io::write(w.as_fd(), b"xyz").unwrap();
        assert!(matches!(r.recv::<Talk>(), Err(WireError::Malformed(_))));
    }

    #[test]
    fn oversize_is_refused_both_ways() {
        let (a, b) = Channel::pair(Framing::Stream).unwrap();
        let big = Talk::Hello("x".repeat(MAX_MESSAGE));
        assert!(matches!(a.send(&big), Err(WireError::Oversize(_))));
        // A header announcing too much is refused before anything is allocated for it.
        rustix::io::write(a.as_fd(), &u32::MAX.to_le_bytes()).unwrap();
        assert!(matches!(b.recv::<Talk>(), Err(WireError::Oversize(_))));
        // A datagram longer than the receive buffer is not silently cut.
        let (a, b) = Channel::pair(Framing::Packet).unwrap();
        assert!(matches!(
            a.send(&Talk::Hello("x".repeat(MAX_PACKET))),
            Err(WireError::Oversize(_))
        ));
        let raw = vec![b'x'; MAX_PACKET + 10];
        nix::sys::socket::send(a.as_raw_fd(), &raw, MsgFlags::empty()).unwrap();
        assert!(matches!(b.recv::<Talk>(), Err(WireError::Oversize(_))));
    }

    #[test]
    fn fd_passing_over_a_socketpair() {
        for framing in [Framing::Packet, Framing::Stream] {
            let (a, b) = Channel::pair(framing).unwrap();
            let mut f = tempfile::tempfile().unwrap();
            f.write_all(b"through the socket").unwrap();
            a.send_with_fds(&Talk::File, &[f.as_fd()]).unwrap();
            drop(f);
            let (msg, mut fds) = b.recv_with_fds::<Talk>().unwrap().unwrap();
            assert_eq!(msg, Talk::File);
            assert_eq!(fds.len(), 1);
            let fd = fds.pop().unwrap();
            let fl = rustix::io::fcntl_getfd(&fd).unwrap();
            assert!(fl.contains(rustix::io::FdFlags::CLOEXEC));
            let mut f = std::fs::File::from(fd);
            f.rewind().unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            assert_eq!(s, "through the socket");
            // The count is part of the message's type, checked on both ends.
            assert!(matches!(
                a.send(&Talk::File),
                Err(WireError::Fds {
                    expected: 1,
                    got: 0
                })
            ));
            let me = std::fs::File::open("/dev/null").unwrap();
            assert!(a
                .send_with_fds(&Talk::Hello("x".into()), &[me.as_fd()])
                .is_err());
        }
        let (_r, w) = pipe();
        let me = std::fs::File::open("/dev/null").unwrap();
        assert!(w.send_with_fds(&Talk::File, &[me.as_fd()]).is_err());
    }

    #[test]
    fn unexpected_fd_is_refused_on_receipt() {
        let (a, b) = Channel::pair(Framing::Packet).unwrap();
        // A peer that attaches a descriptor to a message that carries none.
        let me = std::fs::File::open("/dev/null").unwrap();
        let raw = [me.as_raw_fd()];
        let body = serde_json::to_vec(&Talk::Hello("x".into())).unwrap();
        sendmsg::<()>(
            a.as_raw_fd(),
            &[IoSlice::new(&body)],
            &[ControlMessage::ScmRights(&raw)],
            MsgFlags::empty(),
            None,
        )
        .unwrap();
        assert!(matches!(
            b.recv::<Talk>(),
            Err(WireError::Fds {
                expected: 0,
                got: 1
            })
        ));
    }
}
