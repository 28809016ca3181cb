//! The exit-code table: which status a command ends with for which kind of failure.
//!
//! The library returns typed errors (`ContainerError`, `ImageError`, `VolumeError`) and, for
//! a container's own exit status or a start failure, an [`ExitError`] carrying podman's
//! 125/126/127. Only this table turns them into a command's exit code, because podman's codes
//! differ per command: `rm nosuch` is 1 but `stop nosuch` is 125, `rmi` of an image in use
//! is 2. An error a command returns as a whole (not one target's) gets the library's default,
//! [`crate::error::exit_code_for`].
use crate::container::ContainerError;
use crate::error::{ExitError, EXIT_ENGINE};
use crate::image::remove::ImageError;
use crate::volume::VolumeError;

/// The commands whose per-target failures the table knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    Rm,
    Rmi,
    VolumeRm,
    /// `container exists`
    Exists,
    Kill,
    Stop,
    Wait,
    Start,
    Restart,
}

/// What a failure is, as far as exit codes care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    NoSuchContainer,
    /// `rm` without `--force` of a running container.
    ContainerRunning,
    NoSuchImage,
    ImageInUse,
    NoSuchVolume,
    VolumeInUse,
    /// A status the error carries ([`ExitError`]: the container's own, or 126/127).
    Status(u8),
    /// Anything else: the engine failed.
    Engine,
}

/// Classify `err`: the typed error it is (the outermost error or the one under its
/// context), else the first status in its chain, else an engine failure.
pub fn kind(err: &anyhow::Error) -> Kind {
    if let Some(e) = err.downcast_ref::<ContainerError>() {
        match e {
            ContainerError::NotFound(_) => return Kind::NoSuchContainer,
            ContainerError::CannotRemoveRunning(_) => return Kind::ContainerRunning,
            _ => {}
        }
    }
    if let Some(e) = err.downcast_ref::<ImageError>() {
        return match e {
            ImageError::NotKnown(_) => Kind::NoSuchImage,
            ImageError::InUse(_) => Kind::ImageInUse,
        };
    }
    match err.downcast_ref::<VolumeError>() {
        Some(VolumeError::NotFound(_)) => return Kind::NoSuchVolume,
        Some(VolumeError::InUse(..)) => return Kind::VolumeInUse,
        _ => {}
    }
    err.chain()
        .find_map(|e| e.downcast_ref::<ExitError>().map(|x| Kind::Status(x.code)))
        .unwrap_or(Kind::Engine)
}

/// podman's exit code for one target of `cmd` failing with `kind`.
pub fn code(cmd: Cmd, kind: Kind) -> u8 {
    use Kind::*;
    match (cmd, kind) {
        // podman rm: 1 "no such container", 2 "container is running", else 125.
        (Cmd::Rm, NoSuchContainer) => 1,
        (Cmd::Rm, ContainerRunning) => 2,
        (Cmd::Exists, NoSuchContainer) => 1,
        (Cmd::Rmi, NoSuchImage) => 1,
        (Cmd::Rmi, ImageInUse) => 2,
        (Cmd::VolumeRm, NoSuchVolume) => 1,
        (Cmd::VolumeRm, VolumeInUse) => 2,
        // These commands end with 125 for any failing target, whatever it carries.
        (Cmd::Rm | Cmd::VolumeRm | Cmd::Kill | Cmd::Stop | Cmd::Wait, _) => EXIT_ENGINE,
        // A start failure keeps its code (126 cannot invoke, 127 not found).
        (_, Status(c)) => c,
        _ => EXIT_ENGINE,
    }
}

/// [`code`] of [`kind`].
pub fn code_for(cmd: Cmd, err: &anyhow::Error) -> u8 {
    code(cmd, kind(err))
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context as _;

    fn nf() -> anyhow::Error {
        ContainerError::NotFound("x".into()).into()
    }

    #[test]
    fn kinds() {
        assert_eq!(kind(&nf()), Kind::NoSuchContainer);
        assert_eq!(
            kind(&nf().context("removing")),
            Kind::NoSuchContainer,
            "seen under a context"
        );
        let running = ContainerError::CannotRemoveRunning("id".into()).into();
        assert_eq!(kind(&running), Kind::ContainerRunning);
        let kill = ContainerError::CannotKill {
            id: "id".into(),
            status: "exited",
        };
        assert_eq!(kind(&kill.into()), Kind::Engine);
        assert_eq!(
            kind(&ImageError::NotKnown("i".into()).into()),
            Kind::NoSuchImage
        );
        assert_eq!(
            kind(&ImageError::InUse("c".into()).into()),
            Kind::ImageInUse
        );
        assert_eq!(
            kind(&VolumeError::NotFound("v".into()).into()),
            Kind::NoSuchVolume
        );
        assert_eq!(
            kind(&VolumeError::InUse("v".into(), "c".into()).into()),
            Kind::VolumeInUse
        );
        assert_eq!(kind(&VolumeError::Exists("v".into()).into()), Kind::Engine);
        let st: anyhow::Error = Err::<(), _>(ExitError::new(127, "nope"))
            .context("starting")
            .unwrap_err();
        assert_eq!(kind(&st), Kind::Status(127));
        assert_eq!(kind(&anyhow::anyhow!("boom")), Kind::Engine);
    }

    #[test]
    fn podman_codes() {
        use Kind::*;
        let table = [
            (Cmd::Rm, NoSuchContainer, 1),
            (Cmd::Rm, ContainerRunning, 2),
            (Cmd::Rm, Status(127), 125),
            (Cmd::Rm, Engine, 125),
            (Cmd::Exists, NoSuchContainer, 1),
            (Cmd::Rmi, NoSuchImage, 1),
            (Cmd::Rmi, ImageInUse, 2),
            (Cmd::Rmi, Engine, 125),
            (Cmd::VolumeRm, NoSuchVolume, 1),
            (Cmd::VolumeRm, VolumeInUse, 2),
            (Cmd::VolumeRm, Status(126), 125),
            (Cmd::Kill, NoSuchContainer, 125),
            (Cmd::Stop, NoSuchContainer, 125),
            (Cmd::Wait, NoSuchContainer, 125),
            (Cmd::Kill, Status(1), 125),
            (Cmd::Start, NoSuchContainer, 125),
            (Cmd::Start, Status(126), 126),
            (Cmd::Start, Status(127), 127),
            (Cmd::Restart, Status(127), 127),
            (Cmd::Restart, Engine, 125),
        ];
        for (cmd, k, want) in table {
            assert_eq!(code(cmd, k), want, "{cmd:?} {k:?}");
        }
    }
}
