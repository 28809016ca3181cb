//! Can `newuidmap`/`newgidmap` do their job for an unprivileged caller?
//!
//! They write a process's `uid_map`/`gid_map` with ranges the caller does not own, which the
//! kernel allows only with CAP_SETUID/CAP_SETGID in the parent namespace (user_namespaces(7),
//! "Defining user and group ID mappings"). So each helper must be setuid root or carry that
//! capability as a file capability (`security.capability` xattr); podman#12637 and #19334 are
//! the field reports of helpers that are neither (e.g. copied, or unpacked by a tool that drops
//! xattrs and setuid bits).
use serde::Serialize;
use std::ffi::OsStr;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Capability numbers from linux/capability.h.
pub const CAP_SETGID: u32 = 6;
pub const CAP_SETUID: u32 = 7;

/// A decoded `security.capability` xattr (`struct vfs_ns_cap_data`, linux/capability.h).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileCaps {
    /// VFS_CAP_REVISION_1/2/3.
    pub revision: u32,
    pub permitted: u64,
    pub inheritable: u64,
    /// VFS_CAP_FLAGS_EFFECTIVE: the permitted set becomes effective at exec (`+ep`).
    pub effective: bool,
    /// Revision 3 only: the namespace root the caps apply to (0 = the host).
    pub rootid: Option<u32>,
}

impl FileCaps {
    pub fn has(&self, cap: u32) -> bool {
        cap < 64 && self.permitted & (1u64 << cap) != 0
    }
}

/// Decode the raw xattr value. `None` when it is not a valid capability record.
pub fn parse_file_caps(raw: &[u8]) -> Option<FileCaps> {
    const REVISION_MASK: u32 = 0xFF00_0000;
    const FLAGS_EFFECTIVE: u32 = 0x0000_0001;
    let word = |i: usize| -> Option<u32> {
        raw.get(i * 4..i * 4 + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let magic = word(0)?;
    let revision = (magic & REVISION_MASK) >> 24;
    // Sizes: rev1 = 12 bytes (one 32-bit set), rev2 = 20 (two), rev3 = 24 (two + rootid).
    let (words, need) = match revision {
        1 => (1, 12),
        2 => (2, 20),
        3 => (2, 24),
        _ => return None,
    };
    if raw.len() < need {
        return None;
    }
    let mut permitted = 0u64;
    let mut inheritable = 0u64;
    for i in 0..words {
        permitted |= (word(1 + 2 * i)? as u64) << (32 * i);
        inheritable |= (word(2 + 2 * i)? as u64) << (32 * i);
    }
    Some(FileCaps {
        revision,
        permitted,
        inheritable,
        effective: magic & FLAGS_EFFECTIVE != 0,
        rootid: if revision == 3 { word(5) } else { None },
    })
}

/// What rctr found out about one helper.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HelperStatus {
    pub name: String,
    pub path: Option<PathBuf>,
    pub owner_uid: Option<u32>,
    pub mode: Option<String>,
    pub setuid_root: bool,
    pub file_caps: Option<FileCaps>,
    /// Why the helper cannot work, if it cannot (`None` = usable).
    pub problem: Option<String>,
}

/// Find `name` in `path` (a PATH value) and check that it can gain `cap`.
pub fn inspect(path: Option<&OsStr>, name: &str, cap: u32) -> HelperStatus {
    let mut st = HelperStatus {
        name: name.into(),
        path: None,
        owner_uid: None,
        mode: None,
        setuid_root: false,
        file_caps: None,
        problem: None,
    };
    let Some(p) = super::find_in_path_in(path, name) else {
        st.problem = Some(format!("{name} not found in PATH"));
        return st;
    };
    inspect_file(&p, cap, st)
}

fn inspect_file(p: &Path, cap: u32, mut st: HelperStatus) -> HelperStatus {
    st.path = Some(p.to_path_buf());
    let md = match std::fs::metadata(p) {
        Ok(m) => m,
        Err(e) => {
            st.problem = Some(format!("cannot stat {}: {e}", p.display()));
            return st;
        }
    };
    let mode = md.permissions().mode();
    st.owner_uid = Some(md.uid());
    st.mode = Some(format!("{:04o}", mode & 0o7777));
    st.setuid_root = mode & 0o4000 != 0 && md.uid() == 0;
    let mut buf = [0u8; 64];
    st.file_caps = rustix::fs::getxattr(p, "security.capability", &mut buf[..])
        .ok()
        .and_then(|n| parse_file_caps(&buf[..n]));
    let cap_name = if cap == CAP_SETUID {
        "cap_setuid"
    } else {
        "cap_setgid"
    };
    let caps_ok = st
        .file_caps
        .as_ref()
        .is_some_and(|c| c.has(cap) && c.effective && c.rootid.unwrap_or(0) == 0);
    if rustix::fs::access(p, rustix::fs::Access::EXEC_OK).is_err() {
        st.problem = Some(format!("{} is not executable by you", p.display()));
    } else if !st.setuid_root && !caps_ok {
        st.problem = Some(match &st.file_caps {
            Some(c) if c.has(cap) && !c.effective => format!(
                "{} has {cap_name} permitted but not effective (needs {cap_name}+ep)",
                p.display()
            ),
            _ if mode & 0o4000 != 0 => format!(
                "{} is setuid but owned by uid {}, not root",
                p.display(),
                md.uid()
            ),
            _ => format!(
                "{} is neither setuid root nor has the {cap_name} file capability",
                p.display()
            ),
        });
    }
    st
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(magic: u32, words: &[u32]) -> Vec<u8> {
        std::iter::once(magic)
            .chain(words.iter().copied())
            .flat_map(|w| w.to_le_bytes())
            .collect()
    }

    #[test]
    fn decodes_setcap_records() {
        // `setcap cap_setuid+ep`: revision 2, effective, permitted bit 7.
        let c = parse_file_caps(&rec(0x0200_0001, &[1 << 7, 0, 0, 0])).unwrap();
        assert!(c.has(CAP_SETUID) && !c.has(CAP_SETGID) && c.effective);
        assert_eq!(c.rootid, None);
        // Revision 3 (namespaced) carries a rootid.
        let c = parse_file_caps(&rec(0x0300_0000, &[1 << 6, 0, 0, 0, 100000])).unwrap();
        assert!(c.has(CAP_SETGID) && !c.effective);
        assert_eq!(c.rootid, Some(100000));
        // Revision 1: one 32-bit word per set.
        assert!(parse_file_caps(&rec(0x0100_0001, &[1 << 7, 0]))
            .unwrap()
            .has(CAP_SETUID));
        // High capabilities land in the second word.
        let c = parse_file_caps(&rec(0x0200_0000, &[0, 0, 1, 0])).unwrap();
        assert!(c.has(32));
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(parse_file_caps(&[]), None);
        assert_eq!(parse_file_caps(&rec(0x0200_0000, &[1])), None);
        assert_eq!(parse_file_caps(&rec(0x0900_0000, &[0, 0, 0, 0])), None);
    }

    #[test]
    fn plain_copy_is_not_usable() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("newuidmap");
        std::fs::write(&p, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        let st = inspect(Some(d.path().as_os_str()), "newuidmap", CAP_SETUID);
        assert_eq!(st.path.as_deref(), Some(p.as_path()));
        assert!(st.problem.unwrap().contains("neither setuid root"));
        let st = inspect(
            Some(OsStr::new("/nonexistent-dir")),
            "newuidmap",
            CAP_SETUID,
        );
        assert!(st.problem.unwrap().contains("not found"));
    }
}
