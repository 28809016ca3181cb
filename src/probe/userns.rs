//! A real test of the user namespace rctr would use: spawn the `__userns-probe` helper with the
//! planned mapping (through newuidmap/newgidmap in full mode) and read the maps back from
//! inside. Nothing is inferred from config files alone.
use crate::idmap::{IdMap, IdMapping, MappingMode};
use serde::Serialize;
use std::process::{ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Hidden subcommand name (dispatched in `internal.rs`).
pub const CHILD: &str = "__userns-probe";

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsernsTest {
    pub mode: MappingMode,
    pub works: bool,
    /// `/proc/self/uid_map` as seen inside, one "container host size" triple per line.
    pub uid_map_inside: Option<String>,
    pub gid_map_inside: Option<String>,
    pub error: Option<String>,
    /// When the planned (full) mapping failed: does a single-ID namespace work at all?
    #[serde(skip_serializing_if = "Option::is_none")]
    pub single_id_works: Option<bool>,
    pub elapsed_ms: f64,
    pub knobs: Knobs,
}

/// Kernel switches that forbid unprivileged user namespaces.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Knobs {
    /// `user.max_user_namespaces` (0 forbids them).
    pub max_user_namespaces: Option<u64>,
    /// Debian/Ubuntu's `kernel.unprivileged_userns_clone` (0 forbids them), when present.
    pub unprivileged_userns_clone: Option<u64>,
    /// Ubuntu 23.10+ `kernel.apparmor_restrict_unprivileged_userns` (1 restricts them).
    pub apparmor_restrict_unprivileged_userns: Option<u64>,
}

fn read_num(p: &str) -> Option<u64> {
    std::fs::read_to_string(p).ok()?.trim().parse().ok()
}

pub fn knobs() -> Knobs {
    Knobs {
        max_user_namespaces: read_num("/proc/sys/user/max_user_namespaces"),
        unprivileged_userns_clone: read_num("/proc/sys/kernel/unprivileged_userns_clone"),
        apparmor_restrict_unprivileged_userns: read_num(
            "/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
        ),
    }
}

/// Normalize map text (the kernel right-aligns columns) into triples.
pub fn parse_map(text: &str) -> Vec<IdMap> {
    text.lines()
        .filter_map(|l| {
            let f: Vec<u32> = l
                .split_whitespace()
                .map(|x| x.parse().ok())
                .collect::<Option<_>>()?;
            (f.len() == 3).then(|| IdMap {
                container_id: f[0],
                host_id: f[1],
                size: f[2],
            })
        })
        .collect()
}

/// Run one namespace with `mapping`; returns the maps seen inside.
fn try_mapping(mapping: &IdMapping) -> anyhow::Result<(String, String)> {
    let mut cmd = crate::userns::self_command(CHILD);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = crate::userns::spawn_mapped(&mut cmd, mapping)?;
    let (ok, out, err) = super::tools::wait_with_timeout(child, Duration::from_secs(5))?;
    if !ok {
        let msg = err.trim().trim_start_matches("Error: ").to_string();
        anyhow::bail!(
            "{}",
            if msg.is_empty() {
                "helper failed"
            } else {
                &msg
            }
        );
    }
    let (u, g) = out
        .split_once("--\n")
        .ok_or_else(|| anyhow::anyhow!("unexpected helper output {out:?}"))?;
    let (got_u, got_g) = (parse_map(u), parse_map(g));
    if got_u != mapping.uid_map || got_g != mapping.gid_map {
        anyhow::bail!(
            "the kernel shows uid_map [{}] / gid_map [{}], not the planned mapping",
            u.trim(),
            g.trim()
        );
    }
    Ok((u.to_string(), g.to_string()))
}

/// Test `mapping` for real.
pub fn test(mapping: &IdMapping) -> UsernsTest {
    let t0 = Instant::now();
    let mut r = UsernsTest {
        mode: mapping.mode,
        works: false,
        uid_map_inside: None,
        gid_map_inside: None,
        error: None,
        single_id_works: None,
        elapsed_ms: 0.0,
        knobs: knobs(),
    };
    match try_mapping(mapping) {
        Ok((u, g)) => {
            r.works = true;
            r.uid_map_inside = Some(u);
            r.gid_map_inside = Some(g);
        }
        Err(e) => {
            r.error = Some(format!("{e:#}"));
            if mapping.mode == MappingMode::Full {
                let own_u = mapping.uid_map.first().map(|m| m.host_id).unwrap_or(0);
                let own_g = mapping.gid_map.first().map(|m| m.host_id).unwrap_or(0);
                r.single_id_works = Some(try_mapping(&IdMapping::single(own_u, own_g)).is_ok());
            }
        }
    }
    r.elapsed_ms = t0.elapsed().as_secs_f64() * 1000.0;
    r
}

/// Child side (`__userns-probe`): enter the namespace and print both maps as the kernel has
/// them, separated by a `--` line.
pub fn child_main() -> anyhow::Result<ExitCode> {
    crate::userns::child_enter(0)?;
    let u = std::fs::read_to_string("/proc/self/uid_map")?;
    let g = std::fs::read_to_string("/proc/self/gid_map")?;
    print!("{u}--\n{g}");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kernel_map_text() {
        let m = parse_map("         0       1001          1\n         1     100000      65536\n");
        assert_eq!(m.len(), 2);
        assert_eq!(
            (m[1].container_id, m[1].host_id, m[1].size),
            (1, 100000, 65536)
        );
        assert!(parse_map("x y z\n1 2\n").is_empty());
    }
}
