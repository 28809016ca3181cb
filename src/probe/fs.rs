//! Which filesystem holds the store, and whether it is a good place for one.
//!
//! Network and parallel filesystems (NFS, Lustre, GPFS, BeeGFS, CIFS, Ceph…) break rootless
//! storage: no user xattrs or whiteouts for overlay upper dirs, root_squash vs subordinate
//! owners, slow metadata (podman#7091, #4551). rctr names the type and warns.
use serde::Serialize;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// `statfs(2)` `f_type` magics (linux/magic.h and the vendors' headers).
const MAGICS: &[(u64, &str, bool)] = &[
    // (magic, name, network/parallel)
    (0xEF53, "ext4", false),
    (0x5846_5342, "xfs", false),
    (0x9123_683E, "btrfs", false),
    (0x0102_1994, "tmpfs", false),
    (0x2FC1_2FC1, "zfs", false),
    (0xF2F5_2010, "f2fs", false),
    (0xCA45_1A4E, "bcachefs", false),
    (0x794C_7630, "overlay", false),
    (0x6573_5546, "fuse", false),
    (0x7371_7368, "squashfs", false),
    (0x4D44, "vfat", false),
    (0x5346_544E, "ntfs", false),
    (0x8584_58F6, "ramfs", false),
    (0x6969, "nfs", true),
    (0x0BD0_0BD0, "lustre", true),
    (0x4750_4653, "gpfs", true),
    (0x1983_0326, "beegfs", true),
    (0xFF53_4D42, "cifs", true),
    (0xFE53_4D42, "smb2", true),
    (0x517B, "smb", true),
    (0x00C3_6400, "ceph", true),
    (0x0116_1970, "gfs2", true),
    (0x7461_636F, "ocfs2", true),
    (0x1366_1366, "orangefs", true),
    (0x5346_414F, "afs", true),
    (0x6B41_4653, "afs", true),
    (0x0102_1997, "9p", true),
    (0xAAD7_AAEA, "panfs", true),
];

/// FUSE filesystems that are network or parallel ones (`fuse.<subtype>` in mountinfo).
const NETWORK_FUSE: &[&str] = &[
    "fuse.glusterfs",
    "fuse.sshfs",
    "fuse.beegfs",
    "fuse.ceph",
    "fuse.ceph-fuse",
    "fuse.s3fs",
    "fuse.gcsfuse",
    "fuse.rclone",
    "fuse.cvmfs2",
    "fuse.juicefs",
];

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FsInfo {
    /// The path that was examined (the store, or its nearest existing parent).
    pub path: PathBuf,
    /// Name from mountinfo when found (e.g. `fuse.sshfs`), else from the statfs magic.
    #[serde(rename = "type")]
    pub fs_type: String,
    pub magic: String,
    pub mount_point: Option<String>,
    pub source: Option<String>,
    /// A network or parallel filesystem: a bad place for the store.
    pub network: bool,
}

/// Name a statfs magic: (name, is network/parallel).
pub fn name_magic(magic: u64) -> (String, bool) {
    MAGICS
        .iter()
        .find(|(m, _, _)| *m == magic)
        .map(|(_, n, net)| (n.to_string(), *net))
        .unwrap_or_else(|| (format!("unknown (0x{magic:x})"), false))
}

/// The network or parallel filesystem holding `p` (or its nearest existing parent), by name;
/// `None` for a local one. One statfs; mountinfo is read only for a FUSE filesystem (its
/// subtype says which). Cheap enough for every command's choice of store.
pub fn network_fs(p: &Path) -> Option<String> {
    let path = nearest_existing(p);
    let magic = rustix::fs::statfs(&path).ok()?.f_type as u64 & 0xFFFF_FFFF;
    match name_magic(magic) {
        (name, true) => Some(name),
        (name, false) if name == "fuse" => {
            examine(&path).ok().filter(|i| i.network).map(|i| i.fs_type)
        }
        _ => None,
    }
}

/// Is a mountinfo filesystem type a network/parallel one?
pub fn is_network_type(t: &str) -> bool {
    NETWORK_FUSE.contains(&t)
        || MAGICS
            .iter()
            .any(|(_, n, net)| *net && (t == *n || t.starts_with(&format!("{n}."))))
        || matches!(t, "nfs4" | "smb3" | "lustre_lite")
}

/// The nearest existing ancestor of `p` (itself included).
pub fn nearest_existing(p: &Path) -> PathBuf {
    let mut cur = p.to_path_buf();
    loop {
        if std::fs::symlink_metadata(&cur).is_ok() || !cur.pop() {
            return if cur.as_os_str().is_empty() {
                PathBuf::from("/")
            } else {
                cur
            };
        }
    }
}

/// Examine the filesystem holding `p` (or its nearest existing parent).
pub fn examine(p: &Path) -> anyhow::Result<FsInfo> {
    let path = nearest_existing(p);
    let sf =
        rustix::fs::statfs(&path).map_err(|e| anyhow::anyhow!("statfs {}: {e}", path.display()))?;
    let magic = sf.f_type as u64 & 0xFFFF_FFFF;
    let (mut name, mut network) = name_magic(magic);
    let dev = std::fs::metadata(&path)?.dev();
    let (maj, min) = (libc::major(dev), libc::minor(dev));
    let mi = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let hit = find_mount(&mi, maj, min, &path);
    if let Some((_, t, _)) = &hit {
        if name.starts_with("unknown") || name == "fuse" || t.starts_with("fuse.") {
            name = t.clone();
        }
        network |= is_network_type(t);
    }
    Ok(FsInfo {
        path,
        fs_type: name,
        magic: format!("0x{magic:x}"),
        mount_point: hit.as_ref().map(|h| h.0.clone()),
        source: hit.map(|h| h.2),
        network,
    })
}

/// The mountinfo entry of device `maj:min` whose mount point is the longest prefix of `path`
/// (the last such line: the top of an over-mount stack): (mount point, fstype, source).
/// Format: proc(5), `/proc/pid/mountinfo`.
pub fn find_mount(
    mountinfo: &str,
    maj: u32,
    min: u32,
    path: &Path,
) -> Option<(String, String, String)> {
    let want = format!("{maj}:{min}");
    let mut best: Option<(String, String, String)> = None;
    for l in mountinfo.lines() {
        let f: Vec<&str> = l.split(' ').collect();
        let Some(sep) = f.iter().position(|x| *x == "-") else {
            continue;
        };
        let (Some(dev), Some(mp), Some(t), Some(src)) =
            (f.get(2), f.get(4), f.get(sep + 1), f.get(sep + 2))
        else {
            continue;
        };
        let mp = unescape(mp);
        if *dev != want || !path.starts_with(&mp) {
            continue;
        }
        if !matches!(&best, Some(b) if mp.len() < b.0.len()) {
            best = Some((mp, t.to_string(), unescape(src)));
        }
    }
    best
}

/// mountinfo escapes space, tab, newline and backslash as `\ooo`.
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 4 <= b.len() {
            let oct = std::str::from_utf8(&b[i + 1..i + 4]).ok();
            if let Some(v) = oct.and_then(|o| u8::from_str_radix(o, 8).ok()) {
                out.push(v);
                i += 4;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether the store dir can be used: created if missing, a directory, ours, writable.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreDir {
    pub path: PathBuf,
    pub created: bool,
    pub owner_uid: Option<u32>,
    /// Why the store cannot be used (`None` = usable).
    pub problem: Option<String>,
}

pub fn check_store_dir(dir: &Path, uid: u32) -> StoreDir {
    let mut st = StoreDir {
        path: dir.to_path_buf(),
        created: false,
        owner_uid: None,
        problem: None,
    };
    if std::fs::symlink_metadata(dir).is_err() {
        use std::os::unix::fs::DirBuilderExt;
        match std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
        {
            Ok(()) => st.created = true,
            Err(e) => {
                st.problem = Some(format!("cannot create {}: {e}", dir.display()));
                return st;
            }
        }
    }
    let md = match std::fs::metadata(dir) {
        Ok(m) => m,
        Err(e) => {
            st.problem = Some(format!("cannot stat {}: {e}", dir.display()));
            return st;
        }
    };
    st.owner_uid = Some(md.uid());
    if !md.is_dir() {
        st.problem = Some(format!("{} is not a directory", dir.display()));
    } else if md.uid() != uid {
        st.problem = Some(format!(
            "{} is owned by uid {}, not by you (uid {uid})",
            dir.display(),
            md.uid()
        ));
    } else if md.mode() & 0o022 != 0 {
        // Others could replace layers or records in it (rctr refuses to use it).
        st.problem = Some(format!(
            "{} is writable by other users (mode {:04o})",
            dir.display(),
            md.mode() & 0o7777
        ));
    } else if rustix::fs::access(
        dir,
        rustix::fs::Access::WRITE_OK | rustix::fs::Access::EXEC_OK,
    )
    .is_err()
    {
        st.problem = Some(format!("{} is not writable by you", dir.display()));
    }
    st
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_magics() {
        assert_eq!(name_magic(0xEF53), ("ext4".into(), false));
        assert_eq!(name_magic(0x6969), ("nfs".into(), true));
        assert_eq!(name_magic(0x0BD00BD0), ("lustre".into(), true));
        assert_eq!(name_magic(0x47504653), ("gpfs".into(), true));
        assert_eq!(name_magic(0x19830326), ("beegfs".into(), true));
        assert_eq!(name_magic(0xFE534D42), ("smb2".into(), true));
        assert!(name_magic(0x1234).0.starts_with("unknown"));
        assert!(is_network_type("nfs4") && is_network_type("fuse.sshfs"));
        assert!(!is_network_type("ext4") && !is_network_type("fuse.fuse-overlayfs"));
    }

    #[test]
    fn mountinfo_lookup_takes_last_and_unescapes() {
        let mi = "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n\
                  40 22 0:50 / /home/my\\040dir rw - nfs4 srv:/export rw\n\
                  41 40 0:50 / /home/my\\040dir rw - nfs4 srv:/other rw\n";
        let p = Path::new("/home/my dir/x");
        let (mp, t, src) = find_mount(mi, 0, 50, p).unwrap();
        assert_eq!(
            (mp.as_str(), t.as_str(), src.as_str()),
            ("/home/my dir", "nfs4", "srv:/other")
        );
        // The root fs, not a bind mount of the same device elsewhere.
        let mi2 = "22 1 254:0 / / rw - ext4 /dev/vda rw\n\
                   30 22 254:0 /etc/h /etc/hosts rw - ext4 /dev/vda rw\n";
        let (mp, _, _) = find_mount(mi2, 254, 0, Path::new("/home/u")).unwrap();
        assert_eq!(mp, "/");
        assert_eq!(find_mount(mi, 9, 9, p), None);
        assert_eq!(find_mount("garbage\n\n- - -\n", 0, 1, p), None);
    }

    #[test]
    fn examines_nearest_parent_and_store_dir() {
        let d = tempfile::tempdir().unwrap();
        let deep = d.path().join("a/b/c");
        let fi = examine(&deep).unwrap();
        assert_eq!(fi.path, d.path());
        assert!(!fi.fs_type.is_empty());
        let uid = nix::unistd::getuid().as_raw();
        let st = check_store_dir(&deep, uid);
        assert!(st.created && st.problem.is_none(), "{st:?}");
        let f = d.path().join("file");
        std::fs::write(&f, "").unwrap();
        assert!(check_store_dir(&f, uid)
            .problem
            .unwrap()
            .contains("not a directory"));
        assert!(check_store_dir(&deep, uid + 1)
            .problem
            .unwrap()
            .contains("owned by"));
    }
}
