//! Linux capability names and numbers, and podman's default set.
//!
//! The OCI spec names capabilities (`CAP_CHOWN`); the kernel takes bit numbers. This table is
//! the one translation, used by spec generation (`--cap-add`/`--cap-drop` validation) and by
//! the process setup (`capset`, bounding-set drops).

/// Capability names by number (capabilities(7), linux/capability.h up to CAP_LAST_CAP = 40).
pub const NAMES: [&str; 41] = [
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
];

/// podman 4.x's `default_capabilities` (containers.conf, containers/common pkg/config).
pub const PODMAN_DEFAULT: [&str; 11] = [
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Number of a capability given as `CAP_X`, `cap_x` or `X`.
pub fn number(name: &str) -> Option<u32> {
    let up = name.trim().to_ascii_uppercase();
    let bare = up.strip_prefix("CAP_").unwrap_or(&up);
    NAMES.iter().position(|n| *n == bare).map(|i| i as u32)
}

/// Canonical bare name (`CHOWN`) of a capability, or `None` if unknown.
pub fn canonical(name: &str) -> Option<&'static str> {
    number(name).map(|n| NAMES[n as usize])
}

/// The highest capability the running kernel knows (`/proc/sys/kernel/cap_last_cap`).
pub fn last_cap() -> u32 {
    std::fs::read_to_string("/proc/sys/kernel/cap_last_cap")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(NAMES.len() as u32 - 1)
}

/// A capability set as the kernel's 64-bit mask.
pub fn mask<'a>(names: impl IntoIterator<Item = &'a str>) -> u64 {
    names
        .into_iter()
        .filter_map(number)
        .fold(0u64, |m, n| m | (1u64 << n))
}

/// The container's capability set (bare names): podman's defaults, then `--cap-add` /
/// `--cap-drop` (either may say ALL); `--privileged` gets every capability. An unknown name
/// is an error naming it.
pub fn resolve(
    privileged: bool,
    add: &[String],
    drop: &[String],
) -> anyhow::Result<Vec<&'static str>> {
    let all: Vec<&'static str> = NAMES[..=(last_cap() as usize).min(NAMES.len() - 1)].to_vec();
    if privileged {
        return Ok(all);
    }
    let canon = |list: &[String]| -> anyhow::Result<(bool, Vec<&'static str>)> {
        let mut has_all = false;
        let mut v = Vec::new();
        for c in list {
            if c.eq_ignore_ascii_case("all") {
                has_all = true;
            } else {
                v.push(canonical(c).ok_or_else(|| {
                    anyhow::anyhow!("unknown capability {c:?}: see capabilities(7) for the names")
                })?);
            }
        }
        Ok((has_all, v))
    };
    let (add_all, add) = canon(add)?;
    let (drop_all, drop) = canon(drop)?;
    let mut set: Vec<&'static str> = if add_all {
        all
    } else if drop_all {
        vec![]
    } else {
        PODMAN_DEFAULT.to_vec()
    };
    for c in add {
        if !set.contains(&c) {
            set.push(c);
        }
    }
    set.retain(|c| !drop.contains(c));
    Ok(set)
}

/// Set the three capability sets with `capset(2)` (version 3: 64-bit sets).
pub fn capset(effective: u64, permitted: u64, inheritable: u64) -> std::io::Result<()> {
    #[repr(C)]
    struct Header {
        version: u32,
        pid: i32,
    }
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    let hdr = Header {
        version: 0x2008_0522, // _LINUX_CAPABILITY_VERSION_3
        pid: 0,
    };
    let lo = |m: u64| m as u32;
    let hi = |m: u64| (m >> 32) as u32;
    let data = [
        Data {
            effective: lo(effective),
            permitted: lo(permitted),
            inheritable: lo(inheritable),
        },
        Data {
            effective: hi(effective),
            permitted: hi(permitted),
            inheritable: hi(inheritable),
        },
    ];
    // SAFETY: header and two data structs laid out as linux/capability.h requires.
    let rc = unsafe { libc::syscall(libc::SYS_capset, &hdr, data.as_ptr()) };
    if rc < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(number("CAP_CHOWN"), Some(0));
        assert_eq!(number("net_raw"), Some(13));
        assert_eq!(number("CAP_CHECKPOINT_RESTORE"), Some(40));
        assert_eq!(number("CAP_NOPE"), None);
        assert_eq!(canonical("cap_sys_admin"), Some("SYS_ADMIN"));
        assert_eq!(mask(["CHOWN", "KILL"]), 0b100001);
        // Every podman default is a known name.
        assert!(PODMAN_DEFAULT.iter().all(|c| number(c).is_some()));
    }

    #[test]
    fn resolve_follows_podman_rules() {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(resolve(false, &[], &[]).unwrap().len(), 11);
        let c = resolve(false, &v(&["net_raw"]), &v(&["CAP_CHOWN"])).unwrap();
        assert!(c.contains(&"NET_RAW") && !c.contains(&"CHOWN"));
        assert_eq!(
            resolve(false, &v(&["net_raw"]), &v(&["all"])).unwrap(),
            vec!["NET_RAW"]
        );
        let e = resolve(false, &v(&["CAP_BOGUS"]), &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown capability"), "{e}");
        assert_eq!(
            resolve(true, &[], &[]).unwrap().len() as u32,
            last_cap() + 1
        );
    }
}
