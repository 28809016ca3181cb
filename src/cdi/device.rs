//! `--device`: a host device node (`/dev/X[:/dev/Y][:rwm]`) or a CDI name, and the device a
//! container gets. A user namespace cannot mknod, so a device is the host's node
//! bind-mounted at its container path (as rootless podman does).
use super::CdiError;
use serde::{Deserialize, Serialize};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

/// One `--device` value, parsed (nothing looked up yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceRequest {
    /// A host node, its path in the container and the cgroup permissions (`rwm`).
    Path {
        host: PathBuf,
        container: PathBuf,
        permissions: String,
    },
    /// A CDI name, `VENDOR/CLASS=NAME` (checked).
    Cdi(String),
}

impl DeviceRequest {
    /// podman's `--device` syntax: `HOST[:CONTAINER][:PERMISSIONS]`, or a CDI name.
    pub fn parse(s: &str) -> Result<DeviceRequest, CdiError> {
        if super::is_qualified(s) {
            super::split_qualified(s)?;
            return Ok(DeviceRequest::Cdi(s.to_string()));
        }
        let bad = |why: &str| CdiError::Device(format!("invalid device {s:?}: {why}"));
        let parts: Vec<&str> = s.split(':').collect();
        let (host, container, perms) = match parts[..] {
            [h] => (h, h, "rwm"),
            [h, p] if check_permissions(p).is_ok() => (h, h, p),
            [h, c] => (h, c, "rwm"),
            [h, c, p] => (h, c, p),
            _ => return Err(bad("expected HOST[:CONTAINER][:PERMISSIONS]")),
        };
        if !host.starts_with('/') {
            return Err(bad("the host path must be absolute"));
        }
        if !container.starts_with('/') {
            return Err(bad("the container path must be absolute"));
        }
        check_permissions(perms).map_err(|w| bad(&w))?;
        Ok(DeviceRequest::Path {
            host: host.into(),
            container: container.into(),
            permissions: perms.to_string(),
        })
    }
}

/// `rwm` and any subset of it, each letter once.
pub fn check_permissions(p: &str) -> Result<(), String> {
    let ok = !p.is_empty()
        && p.chars().all(|c| "rwm".contains(c))
        && p.chars().count() == p.chars().collect::<std::collections::HashSet<_>>().len();
    if ok {
        Ok(())
    } else {
        Err(format!("permissions {p:?} are not a subset of rwm"))
    }
}

/// A device the container gets: the host node (symlinks resolved) and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub host: PathBuf,
    pub container: PathBuf,
    pub permissions: String,
    /// `c` or `b`.
    pub kind: String,
    pub major: u64,
    pub minor: u64,
    pub file_mode: u32,
}

impl Device {
    /// Without `w` the node is bound read-only, as rootless podman does. That is advisory
    /// only (the kernel lets a device node on a read-only mount be written): enforcing the
    /// permissions takes a cgroup device filter, which an unprivileged user cannot load.
    pub fn read_only(&self) -> bool {
        !self.permissions.contains('w')
    }
}

/// The host node at `host`, checked to be a character or block device.
pub fn host_device(host: &Path, container: &Path, permissions: &str) -> Result<Device, CdiError> {
    let md = std::fs::metadata(host).map_err(|e| {
        CdiError::Device(match e.kind() {
            std::io::ErrorKind::NotFound => {
                format!("device {}: no such device node on the host", host.display())
            }
            _ => format!("device {}: {e}", host.display()),
        })
    })?;
    let ft = md.file_type();
    let kind = if ft.is_char_device() {
        "c"
    } else if ft.is_block_device() {
        "b"
    } else {
        let what = if ft.is_dir() {
            "a directory"
        } else if ft.is_file() {
            "a regular file"
        } else {
            "not a device node"
        };
        return Err(CdiError::Device(format!(
            "{} is not a device ({what})",
            host.display()
        )));
    };
    let real = std::fs::canonicalize(host).unwrap_or_else(|_| host.to_path_buf());
    let rdev = md.rdev();
    Ok(Device {
        host: real,
        container: container.to_path_buf(),
        permissions: permissions.to_string(),
        kind: kind.into(),
        major: nix::sys::stat::major(rdev),
        minor: nix::sys::stat::minor(rdev),
        file_mode: md.mode() & 0o7777,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(h: &str, c: &str, p: &str) -> DeviceRequest {
        DeviceRequest::Path {
            host: h.into(),
            container: c.into(),
            permissions: p.into(),
        }
    }

    #[test]
    fn podman_syntax() {
        let p = |s| DeviceRequest::parse(s).unwrap();
        assert_eq!(p("/dev/fuse"), path("/dev/fuse", "/dev/fuse", "rwm"));
        assert_eq!(p("/dev/fuse:r"), path("/dev/fuse", "/dev/fuse", "r"));
        assert_eq!(p("/dev/zero:/dev/z"), path("/dev/zero", "/dev/z", "rwm"));
        assert_eq!(p("/dev/zero:/dev/z:rw"), path("/dev/zero", "/dev/z", "rw"));
        assert_eq!(
            p("nvidia.com/gpu=all"),
            DeviceRequest::Cdi("nvidia.com/gpu=all".into())
        );
        for bad in [
            "dev/x",
            "/dev/x:rel",
            "/dev/x:/y:rwx",
            "/a:/b:r:w",
            "/dev/x:/y:rr",
            "a.b/c=",
        ] {
            assert!(DeviceRequest::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn host_nodes_checked() {
        let d = host_device(Path::new("/dev/null"), Path::new("/dev/n"), "r").unwrap();
        assert_eq!((d.kind.as_str(), d.major, d.minor), ("c", 1, 3));
        assert!(d.read_only());
        let e = host_device(Path::new("/dev/nope-xyz"), Path::new("/x"), "rwm").unwrap_err();
        assert!(e.to_string().contains("no such device node"), "{e}");
        let e = host_device(Path::new("/etc/passwd"), Path::new("/x"), "rwm").unwrap_err();
        assert_eq!(
            e.to_string(),
            "/etc/passwd is not a device (a regular file)"
        );
        let e = host_device(Path::new("/dev"), Path::new("/x"), "rwm").unwrap_err();
        assert!(
            e.to_string().contains("is not a device (a directory)"),
            "{e}"
        );
    }
}
