//! The runtime's start channel: a SOCK_SEQPACKET pair between `start` (the caller) and the
//! helper / container init. One message per datagram, so the helper and PID 1 can both write
//! without interleaving:
//!
//! * `P<pid>`: the container's PID 1 as seen from the host (sent by the helper);
//! * `T` + SCM_RIGHTS: the pty master allocated inside the container (`process.terminal`);
//! * `E<code><message>`: start failed; `code` is podman's 125/126/127.
//!
//! End of file means the command was exec'd: the last copy of the socket is close-on-exec.
use nix::sys::socket::{recvmsg, sendmsg, ControlMessage, ControlMessageOwned, MsgFlags};
use std::io::IoSlice;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

pub fn pair() -> std::io::Result<(OwnedFd, OwnedFd)> {
    use nix::sys::socket::{socketpair, AddressFamily, SockFlag, SockType};
    socketpair(
        AddressFamily::Unix,
        SockType::SeqPacket,
        None,
        SockFlag::SOCK_CLOEXEC,
    )
    .map_err(Into::into)
}

/// Send one message, optionally carrying an fd.
pub fn send(sock: RawFd, msg: &[u8], fd: Option<RawFd>) -> std::io::Result<()> {
    let iov = [IoSlice::new(msg)];
    let fds;
    let cmsg: Vec<ControlMessage> = match fd {
        Some(f) => {
            fds = [f];
            vec![ControlMessage::ScmRights(&fds)]
        }
        None => vec![],
    };
    sendmsg::<()>(sock, &iov, &cmsg, MsgFlags::MSG_NOSIGNAL, None)?;
    Ok(())
}

/// Report a start failure (best effort: the reader may be gone).
pub fn send_error(sock: RawFd, code: u8, msg: &str) {
    let mut m = vec![b'E', code];
    m.extend_from_slice(msg.as_bytes());
    let _ = send(sock, &m, None);
}

/// Receive one message; `None` at end of file.
pub fn recv(sock: &OwnedFd) -> std::io::Result<Option<(Vec<u8>, Option<OwnedFd>)>> {
    let mut buf = vec![0u8; 8192];
    let mut space = nix::cmsg_space!([RawFd; 2]);
    loop {
        let mut iov = [std::io::IoSliceMut::new(&mut buf)];
        let r = recvmsg::<()>(
            sock.as_raw_fd(),
            &mut iov,
            Some(&mut space),
            MsgFlags::MSG_CMSG_CLOEXEC,
        );
        match r {
            Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
            Ok(m) => {
                let mut fd = None;
                for c in m.cmsgs()? {
                    if let ControlMessageOwned::ScmRights(fds) = c {
                        for (i, f) in fds.into_iter().enumerate() {
                            // SAFETY: the kernel just installed these fds for us.
                            let owned = unsafe { OwnedFd::from_raw_fd(f) };
                            if i == 0 {
                                fd = Some(owned);
                            }
                        }
                    }
                }
                let n = m.bytes;
                if n == 0 && fd.is_none() {
                    return Ok(None);
                }
                buf.truncate(n);
                return Ok(Some((buf, fd)));
            }
        }
    }
}
