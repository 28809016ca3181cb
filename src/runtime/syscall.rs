//! The syscalls of the last steps before `execve` (process finalisation, `pivot_root`) behind
//! one trait, so their ordering rules get unit tests that run without root: [`Linux`] makes
//! the calls, the test-only `Recorder` writes them down (youki's `Syscall` seam).
//!
//! Only the calls whose *order* matters live here; everything else stays a direct call.
use std::io;
use std::os::fd::{BorrowedFd, RawFd};
use std::path::Path;

pub trait Syscall {
    fn setrlimit(
        &self,
        resource: libc::__rlimit_resource_t,
        soft: u64,
        hard: u64,
    ) -> io::Result<()>;
    /// Install a compiled seccomp program (see [`super::seccomp::install`]).
    fn seccomp(&self, prog: &[u8]) -> anyhow::Result<()>;
    /// Drop `cap` from the bounding set (EINVAL, a cap this kernel lacks, is not an error).
    fn capbset_drop(&self, cap: u32) -> io::Result<()>;
    fn set_keepcaps(&self, on: bool) -> io::Result<()>;
    /// May this user namespace call setgroups(2)? (not in single-ID mode: `deny`).
    fn setgroups_allowed(&self) -> bool;
    fn setgroups(&self, gids: &[u32]) -> io::Result<()>;
    fn setresgid(&self, gid: u32) -> io::Result<()>;
    fn setresuid(&self, uid: u32) -> io::Result<()>;
    fn capset(&self, effective: u64, permitted: u64, inheritable: u64) -> io::Result<()>;
    fn ambient_clear(&self);
    fn ambient_raise(&self, cap: u32) -> io::Result<()>;
    fn umask(&self, mask: u32);
    fn no_new_privs(&self) -> io::Result<()>;
    /// chdir into the working directory, refusing one outside the root (CVE-2024-21626).
    fn enter_cwd(&self, cwd: &Path) -> anyhow::Result<()>;
    fn parent_death_signal(&self);
    /// Every fd above stderr close-on-exec (CVE-2024-21626).
    fn close_host_fds(&self);
    fn fchdir(&self, fd: BorrowedFd<'_>) -> io::Result<()>;
    fn pivot_root_dot(&self) -> io::Result<()>;
    fn detach_dot(&self) -> io::Result<()>;
    fn chdir_root(&self) -> io::Result<()>;
}

fn rc(r: libc::c_int) -> io::Result<()> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

fn prctl(op: libc::c_int, a: libc::c_ulong, b: libc::c_ulong) -> io::Result<()> {
    // SAFETY: prctl with integer arguments only.
    rc(unsafe { libc::prctl(op, a, b, 0, 0) })
}

/// The real calls.
pub struct Linux;

impl Syscall for Linux {
    fn setrlimit(&self, res: libc::__rlimit_resource_t, soft: u64, hard: u64) -> io::Result<()> {
        let lim = libc::rlimit {
            rlim_cur: soft,
            rlim_max: hard,
        };
        // SAFETY: plain syscall with a valid struct.
        rc(unsafe { libc::setrlimit(res, &lim) })
    }
    fn seccomp(&self, prog: &[u8]) -> anyhow::Result<()> {
        super::seccomp::install(prog)
    }
    fn capbset_drop(&self, cap: u32) -> io::Result<()> {
        match prctl(libc::PR_CAPBSET_DROP, cap as libc::c_ulong, 0) {
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => Ok(()),
            r => r,
        }
    }
    fn set_keepcaps(&self, on: bool) -> io::Result<()> {
        prctl(libc::PR_SET_KEEPCAPS, on as libc::c_ulong, 0)
    }
    fn setgroups_allowed(&self) -> bool {
        super::process::setgroups_allowed()
    }
    fn setgroups(&self, gids: &[u32]) -> io::Result<()> {
        // SAFETY: valid pointer and length.
        rc(unsafe { libc::setgroups(gids.len(), gids.as_ptr()) })
    }
    fn setresgid(&self, gid: u32) -> io::Result<()> {
        // SAFETY: plain syscall.
        rc(unsafe { libc::setresgid(gid, gid, gid) })
    }
    fn setresuid(&self, uid: u32) -> io::Result<()> {
        // SAFETY: plain syscall.
        rc(unsafe { libc::setresuid(uid, uid, uid) })
    }
    fn capset(&self, effective: u64, permitted: u64, inheritable: u64) -> io::Result<()> {
        super::caps::capset(effective, permitted, inheritable)
    }
    fn ambient_clear(&self) {
        let _ = prctl(
            libc::PR_CAP_AMBIENT,
            libc::PR_CAP_AMBIENT_CLEAR_ALL as libc::c_ulong,
            0,
        );
    }
    fn ambient_raise(&self, cap: u32) -> io::Result<()> {
        prctl(
            libc::PR_CAP_AMBIENT,
            libc::PR_CAP_AMBIENT_RAISE as libc::c_ulong,
            cap as libc::c_ulong,
        )
    }
    fn umask(&self, mask: u32) {
        // SAFETY: plain syscall.
        unsafe { libc::umask(mask as libc::mode_t) };
    }
    fn no_new_privs(&self) -> io::Result<()> {
        prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0)
    }
    fn enter_cwd(&self, cwd: &Path) -> anyhow::Result<()> {
        super::process::enter_cwd(cwd)
    }
    fn parent_death_signal(&self) {
        let _ = prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0);
    }
    fn close_host_fds(&self) {
        super::process::close_host_fds()
    }
    fn fchdir(&self, fd: BorrowedFd<'_>) -> io::Result<()> {
        let raw: RawFd = std::os::fd::AsRawFd::as_raw_fd(&fd);
        // SAFETY: fchdir on a borrowed, open fd.
        rc(unsafe { libc::fchdir(raw) })
    }
    fn pivot_root_dot(&self) -> io::Result<()> {
        Ok(rustix::process::pivot_root(".", ".")?)
    }
    fn detach_dot(&self) -> io::Result<()> {
        Ok(rustix::mount::unmount(
            ".",
            rustix::mount::UnmountFlags::DETACH,
        )?)
    }
    fn chdir_root(&self) -> io::Result<()> {
        Ok(rustix::process::chdir("/")?)
    }
}

#[cfg(test)]
pub use recorder::{Call, Recorder};

#[cfg(test)]
mod recorder {
    use super::*;
    use std::cell::RefCell;

    /// One recorded call.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Call {
        Rlimit(libc::__rlimit_resource_t),
        Seccomp,
        CapbsetDrop(u32),
        KeepCaps(bool),
        Setgroups(Vec<u32>),
        Setresgid(u32),
        Setresuid(u32),
        Capset(u64, u64, u64),
        AmbientClear,
        AmbientRaise(u32),
        Umask(u32),
        NoNewPrivs,
        EnterCwd(std::path::PathBuf),
        ParentDeathSignal,
        CloseHostFds,
        Fchdir,
        PivotRoot,
        Detach,
        ChdirRoot,
    }

    /// Records every call; `fail` makes the first call equal to it fail with EPERM/EINVAL.
    #[derive(Default)]
    pub struct Recorder {
        pub calls: RefCell<Vec<Call>>,
        pub fail: Option<Call>,
        pub fail_errno: i32,
        pub no_setgroups: bool,
    }

    impl Recorder {
        fn note(&self, c: Call) -> io::Result<()> {
            let failing = self.fail.as_ref() == Some(&c);
            self.calls.borrow_mut().push(c);
            if failing {
                Err(io::Error::from_raw_os_error(if self.fail_errno == 0 {
                    libc::EPERM
                } else {
                    self.fail_errno
                }))
            } else {
                Ok(())
            }
        }
        /// The calls, in order.
        pub fn calls(&self) -> Vec<Call> {
            self.calls.borrow().clone()
        }
        /// Index of the first call matching `f` (panics when there is none).
        pub fn pos(&self, f: impl Fn(&Call) -> bool) -> usize {
            self.calls()
                .iter()
                .position(f)
                .expect("the call was not made")
        }
    }

    impl Syscall for Recorder {
        fn setrlimit(&self, res: libc::__rlimit_resource_t, _: u64, _: u64) -> io::Result<()> {
            self.note(Call::Rlimit(res))
        }
        fn seccomp(&self, _: &[u8]) -> anyhow::Result<()> {
            Ok(self.note(Call::Seccomp)?)
        }
        fn capbset_drop(&self, cap: u32) -> io::Result<()> {
            self.note(Call::CapbsetDrop(cap))
        }
        fn set_keepcaps(&self, on: bool) -> io::Result<()> {
            self.note(Call::KeepCaps(on))
        }
        fn setgroups_allowed(&self) -> bool {
            !self.no_setgroups
        }
        fn setgroups(&self, gids: &[u32]) -> io::Result<()> {
            self.note(Call::Setgroups(gids.to_vec()))
        }
        fn setresgid(&self, gid: u32) -> io::Result<()> {
            self.note(Call::Setresgid(gid))
        }
        fn setresuid(&self, uid: u32) -> io::Result<()> {
            self.note(Call::Setresuid(uid))
        }
        fn capset(&self, e: u64, p: u64, i: u64) -> io::Result<()> {
            self.note(Call::Capset(e, p, i))
        }
        fn ambient_clear(&self) {
            let _ = self.note(Call::AmbientClear);
        }
        fn ambient_raise(&self, cap: u32) -> io::Result<()> {
            self.note(Call::AmbientRaise(cap))
        }
        fn umask(&self, mask: u32) {
            let _ = self.note(Call::Umask(mask));
        }
        fn no_new_privs(&self) -> io::Result<()> {
            self.note(Call::NoNewPrivs)
        }
        fn enter_cwd(&self, cwd: &Path) -> anyhow::Result<()> {
            Ok(self.note(Call::EnterCwd(cwd.to_path_buf()))?)
        }
        fn parent_death_signal(&self) {
            let _ = self.note(Call::ParentDeathSignal);
        }
        fn close_host_fds(&self) {
            let _ = self.note(Call::CloseHostFds);
        }
        fn fchdir(&self, _: BorrowedFd<'_>) -> io::Result<()> {
            self.note(Call::Fchdir)
        }
        fn pivot_root_dot(&self) -> io::Result<()> {
            self.note(Call::PivotRoot)
        }
        fn detach_dot(&self) -> io::Result<()> {
            self.note(Call::Detach)
        }
        fn chdir_root(&self) -> io::Result<()> {
            self.note(Call::ChdirRoot)
        }
    }
}
