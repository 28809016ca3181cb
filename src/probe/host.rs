//! Plain facts about the host and this build: kernel, distribution, memory, security, version.
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Basics {
    pub arch: String,
    pub os: String,
    pub kernel: String,
    pub hostname: String,
    pub cpus: usize,
    pub mem_total: u64,
    pub mem_free: u64,
    pub swap_total: u64,
    pub swap_free: u64,
    pub uptime: String,
    pub distribution: Distribution,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Distribution {
    pub distribution: String,
    pub version: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub codename: String,
    /// `ID_LIKE` (to pick the package manager for fixes).
    #[serde(skip)]
    pub like: Vec<String>,
}

/// podman's (Go's) architecture names.
pub fn go_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" => "ppc64le",
        "loongarch64" => "loong64",
        a => a,
    }
}

pub fn parse_os_release(text: &str) -> Distribution {
    let get = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(k)?.strip_prefix('='))
            .map(|v| v.trim().trim_matches('"').to_string())
            .unwrap_or_default()
    };
    Distribution {
        distribution: get("ID"),
        version: get("VERSION_ID"),
        codename: get("VERSION_CODENAME"),
        like: get("ID_LIKE")
            .split_whitespace()
            .map(str::to_string)
            .collect(),
    }
}

pub fn distribution() -> Distribution {
    let t = std::fs::read_to_string("/etc/os-release")
        .or_else(|_| std::fs::read_to_string("/usr/lib/os-release"))
        .unwrap_or_default();
    parse_os_release(&t)
}

fn meminfo(text: &str, key: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

pub fn basics() -> Basics {
    let u = nix::sys::utsname::uname().ok();
    let s = |f: fn(&nix::sys::utsname::UtsName) -> &std::ffi::OsStr| {
        u.as_ref()
            .map(|u| f(u).to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mi = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let up = std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|t| t.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0);
    let up_s = up as u64;
    Basics {
        arch: go_arch().into(),
        os: "linux".into(),
        kernel: s(|u| u.release()),
        hostname: s(|u| u.nodename()),
        cpus: std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        mem_total: meminfo(&mi, "MemTotal"),
        mem_free: meminfo(&mi, "MemAvailable"),
        swap_total: meminfo(&mi, "SwapTotal"),
        swap_free: meminfo(&mi, "SwapFree"),
        uptime: format!("{}h {}m {:.2}s", up_s / 3600, (up_s % 3600) / 60, up % 60.0),
        distribution: distribution(),
    }
}

/// podman's default capability set for containers (containers.conf `default_capabilities`).
pub const DEFAULT_CAPABILITIES: &[&str] = &[
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_NET_BIND_SERVICE",
    "CAP_SETFCAP",
    "CAP_SETGID",
    "CAP_SETPCAP",
    "CAP_SETUID",
    "CAP_SYS_CHROOT",
];

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Security {
    pub rootless: bool,
    /// The kernel has seccomp filtering (`Seccomp:` in /proc/self/status).
    pub seccomp_enabled: bool,
    pub seccomp_profile_path: String,
    pub capabilities: String,
    pub apparmor_enabled: bool,
    pub selinux_enabled: bool,
}

pub fn security(uid: u32) -> Security {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    Security {
        rootless: uid != 0,
        seccomp_enabled: status.lines().any(|l| l.starts_with("Seccomp:")),
        seccomp_profile_path: "(built-in default profile)".into(),
        capabilities: DEFAULT_CAPABILITIES.join(","),
        apparmor_enabled: std::fs::read_to_string("/sys/module/apparmor/parameters/enabled")
            .is_ok_and(|s| s.trim() == "Y"),
        selinux_enabled: std::path::Path::new("/sys/fs/selinux/enforce").exists(),
    }
}

/// podman's `version` block, with Rust in place of Go.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Version {
    #[serde(rename = "APIVersion")]
    pub api_version: String,
    pub version: String,
    pub rust_version: String,
    pub git_commit: String,
    pub built_time: String,
    pub built: i64,
    pub os_arch: String,
    pub os: String,
}

pub fn version() -> Version {
    let v = env!("CARGO_PKG_VERSION").to_string();
    let built: i64 = option_env!("RCTR_BUILD_EPOCH")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Version {
        api_version: v.clone(),
        version: v,
        rust_version: rustc_version().unwrap_or_else(|| "unknown".into()),
        git_commit: option_env!("RCTR_GIT_COMMIT").unwrap_or("").into(),
        built_time: if built > 0 {
            chrono::DateTime::from_timestamp(built, 0)
                .map(|d| d.to_rfc2822())
                .unwrap_or_default()
        } else {
            String::new()
        },
        built,
        os_arch: format!("linux/{}", go_arch()),
        os: "linux".into(),
    }
}

/// The compiler that built this binary, from the ELF `.comment` section rustc writes
/// ("rustc version 1.95.0 (…)"): read from /proc/self/exe with a handful of small reads.
pub fn rustc_version() -> Option<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open("/proc/self/exe").ok()?;
    let mut read_at = |off: u64, len: usize| -> Option<Vec<u8>> {
        let mut b = vec![0u8; len];
        f.seek(SeekFrom::Start(off)).ok()?;
        f.read_exact(&mut b).ok()?;
        Some(b)
    };
    let h = read_at(0, 64)?;
    // ELF64 little-endian only (the targets rctr builds for).
    if &h[..4] != b"\x7fELF" || h[4] != 2 || h[5] != 1 {
        return None;
    }
    let u16_at = |b: &[u8], o: usize| u16::from_le_bytes([b[o], b[o + 1]]) as u64;
    let u64_at = |b: &[u8], o: usize| u64::from_le_bytes(b[o..o + 8].try_into().unwrap());
    let (shoff, shentsize, shnum, shstrndx) = (
        u64_at(&h, 0x28),
        u16_at(&h, 0x3A),
        u16_at(&h, 0x3C),
        u16_at(&h, 0x3E),
    );
    if shentsize != 64 || shnum == 0 || shnum > 4096 || shstrndx >= shnum {
        return None;
    }
    let sh = read_at(shoff, (shnum * 64) as usize)?;
    let sec = |i: u64| {
        let o = (i * 64) as usize;
        (
            u32::from_le_bytes(sh[o..o + 4].try_into().unwrap()) as u64,
            u64_at(&sh, o + 0x18),
            u64_at(&sh, o + 0x20),
        )
    };
    let (_, str_off, str_size) = sec(shstrndx);
    let names = read_at(str_off, str_size.min(1 << 16) as usize)?;
    for i in 0..shnum {
        let (name, off, size) = sec(i);
        let n = names.get(name as usize..)?;
        if n.starts_with(b".comment\0") {
            let body = read_at(off, size.min(4096) as usize)?;
            return body
                .split(|c| *c == 0)
                .filter_map(|s| std::str::from_utf8(s).ok())
                .find_map(|s| s.strip_prefix("rustc version "))
                .map(|s| s.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_release() {
        let d = parse_os_release(
            "PRETTY_NAME=\"Debian GNU/Linux 12\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n",
        );
        assert_eq!(
            (d.distribution.as_str(), d.version.as_str()),
            ("debian", "12")
        );
        assert_eq!(d.codename, "bookworm");
        let d = parse_os_release("ID=ubuntu\nID_LIKE=debian\n");
        assert_eq!(d.like, vec!["debian"]);
    }

    #[test]
    fn reads_own_compiler_version() {
        // The test binary is built by rustc too.
        assert!(rustc_version().is_some_and(|v| v.starts_with("1.")));
    }
}
