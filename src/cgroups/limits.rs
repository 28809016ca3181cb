//! Resource limits as podman spells them (`--memory 512m`, `--cpus 1.5`, …), parsed once into
//! the cgroup v2 values they become (`memory.max`, `cpu.max`, `cpu.weight`, `pids.max`, …).
use anyhow::{bail, Context as _};
use serde::{Deserialize, Serialize};

/// The smallest memory limit podman accepts (a container below it cannot even start).
pub const MIN_MEMORY: u64 = 6 * 1024 * 1024;
/// `cpu.max`'s period podman and crun use for `--cpus`.
pub const CPU_PERIOD: u64 = 100_000;

/// The limits of one container, validated. `None`: not set (no limit).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Resources {
    /// `--memory`: bytes (`memory.max`).
    pub memory: Option<u64>,
    /// `--memory-swap`: memory + swap in bytes; -1 unlimited (`memory.swap.max` = swap − memory).
    pub memory_swap: Option<i64>,
    /// `--memory-reservation`: bytes (`memory.low`).
    pub memory_reservation: Option<u64>,
    /// `--cpus`: the quota per [`CPU_PERIOD`] µs (`cpu.max`).
    pub cpu_quota: Option<u64>,
    /// `--cpu-shares` as given (inspect shows it; the cgroup gets [`Resources::cpu_weight`]).
    pub cpu_shares: Option<u64>,
    /// `--cpuset-cpus`, `--cpuset-mems`: kernel list syntax (`0-2,4`).
    pub cpuset_cpus: Option<String>,
    pub cpuset_mems: Option<String>,
    /// `--pids-limit`: 0 or -1 unlimited (`pids.max`).
    pub pids_limit: Option<i64>,
}

/// The flags' text, as the CLI got it.
#[derive(Debug, Clone, Default)]
pub struct Requested {
    pub memory: Option<String>,
    pub memory_swap: Option<String>,
    pub memory_reservation: Option<String>,
    pub cpus: Option<String>,
    pub cpu_shares: Option<String>,
    pub cpuset_cpus: Option<String>,
    pub cpuset_mems: Option<String>,
    pub pids_limit: Option<String>,
}

impl Resources {
    /// Is any limit set?
    pub fn any(&self) -> bool {
        !self.is_default()
    }

    pub fn is_default(&self) -> bool {
        self == &Resources::default()
    }

    /// `--cpu-shares` → `cpu.weight`, crun's conversion (shares 2..262144 → weight 1..10000:
    /// 1024 shares, podman's default, become 39).
    pub fn cpu_weight(&self) -> Option<u64> {
        self.cpu_shares
            .map(|s| 1 + (s.clamp(2, 262_144) - 2) * 9999 / 262_142)
    }

    /// The cgroup v2 controllers these limits need enabled in the parent.
    pub fn controllers(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.cpuset_cpus.is_some() || self.cpuset_mems.is_some() {
            v.push("cpuset");
        }
        if self.memory.is_some() || self.memory_swap.is_some() || self.memory_reservation.is_some()
        {
            v.push("memory");
        }
        if self.cpu_quota.is_some() || self.cpu_shares.is_some() {
            v.push("cpu");
        }
        if self.pids_limit.is_some() {
            v.push("pids");
        }
        v
    }

    /// The limits as (flag, cgroup v2 file, value) for the cgroupfs manager, cpuset first
    /// (its files must be set before tasks may join).
    pub fn files(&self) -> Vec<(&'static str, &'static str, String)> {
        let mut v = Vec::new();
        if let Some(c) = &self.cpuset_cpus {
            v.push(("--cpuset-cpus", "cpuset.cpus", c.clone()));
        }
        if let Some(m) = &self.cpuset_mems {
            v.push(("--cpuset-mems", "cpuset.mems", m.clone()));
        }
        if let Some(m) = self.memory {
            v.push(("--memory", "memory.max", m.to_string()));
        }
        if let Some(s) = self.memory_swap {
            let swap = match (s, self.memory) {
                (s, Some(m)) if s >= 0 => (s as u64).saturating_sub(m).to_string(),
                (s, None) if s >= 0 => s.to_string(),
                _ => "max".to_string(),
            };
            v.push(("--memory-swap", "memory.swap.max", swap));
        }
        if let Some(r) = self.memory_reservation {
            v.push(("--memory-reservation", "memory.low", r.to_string()));
        }
        if let Some(q) = self.cpu_quota {
            v.push(("--cpus", "cpu.max", format!("{q} {CPU_PERIOD}")));
        }
        if let Some(w) = self.cpu_weight() {
            v.push(("--cpu-shares", "cpu.weight", w.to_string()));
        }
        if let Some(p) = self.pids_limit {
            let val = if p > 0 { p.to_string() } else { "max".into() };
            v.push(("--pids-limit", "pids.max", val));
        }
        v
    }

    /// The flag names of the limits set, for messages (`--memory, --cpus`).
    pub fn flag_names(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        let mut add = |set: bool, name| {
            if set {
                v.push(name);
            }
        };
        add(self.memory.is_some(), "--memory");
        add(self.memory_swap.is_some(), "--memory-swap");
        add(self.memory_reservation.is_some(), "--memory-reservation");
        add(self.cpu_quota.is_some(), "--cpus");
        add(self.cpu_shares.is_some(), "--cpu-shares");
        add(self.cpuset_cpus.is_some(), "--cpuset-cpus");
        add(self.cpuset_mems.is_some(), "--cpuset-mems");
        add(self.pids_limit.is_some(), "--pids-limit");
        v
    }
}

impl Requested {
    /// Validate into [`Resources`], with podman's rules and messages.
    pub fn parse(&self) -> anyhow::Result<Resources> {
        let memory = self
            .memory
            .as_deref()
            .map(|m| ram_in_bytes(m, "--memory"))
            .transpose()?;
        if let Some(m) = memory.filter(|m| *m < MIN_MEMORY) {
            bail!("--memory {m} bytes: the minimum memory limit allowed is 6MB");
        }
        let memory_swap = match self.memory_swap.as_deref() {
            None => None,
            Some("-1") => Some(-1),
            Some(s) => {
                let v = ram_in_bytes(s, "--memory-swap")? as i64;
                let Some(m) = memory else {
                    bail!("--memory-swap needs --memory too (it is memory plus swap)");
                };
                if v < m as i64 {
                    bail!(
                        "--memory-swap must be larger than or equal to --memory (memory plus swap)"
                    );
                }
                Some(v)
            }
        };
        let memory_reservation = self
            .memory_reservation
            .as_deref()
            .map(|m| ram_in_bytes(m, "--memory-reservation"))
            .transpose()?;
        let cpu_quota = match self.cpus.as_deref() {
            None => None,
            Some(c) => {
                let n: f64 = c
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite())
                    .with_context(|| {
                        format!("--cpus {c:?}: expected a number of CPUs such as 1.5")
                    })?;
                if n < 0.01 {
                    bail!("--cpus {c}: the smallest CPU limit is 0.01");
                }
                Some((n * CPU_PERIOD as f64).round() as u64)
            }
        };
        let cpu_shares = self
            .cpu_shares
            .as_deref()
            .map(|s| {
                s.parse::<u64>()
                    .ok()
                    .filter(|s| *s > 0)
                    .with_context(|| format!("--cpu-shares {s:?}: expected a positive integer (1024 is the default weight)"))
            })
            .transpose()?;
        let cpuset = |v: &Option<String>, flag: &str| -> anyhow::Result<Option<String>> {
            match v.as_deref() {
                None => Ok(None),
                Some(s) if valid_cpu_list(s) => Ok(Some(s.to_string())),
                Some(s) => bail!("{flag} {s:?}: expected a list such as 0-2,4"),
            }
        };
        let pids_limit = self
            .pids_limit
            .as_deref()
            .map(|p| {
                p.parse::<i64>().ok().filter(|p| *p >= -1).with_context(|| {
                    format!(
                        "--pids-limit {p:?}: expected a number of processes (-1 or 0: unlimited)"
                    )
                })
            })
            .transpose()?;
        Ok(Resources {
            memory,
            memory_swap,
            memory_reservation,
            cpu_quota,
            cpu_shares,
            cpuset_cpus: cpuset(&self.cpuset_cpus, "--cpuset-cpus")?,
            cpuset_mems: cpuset(&self.cpuset_mems, "--cpuset-mems")?,
            pids_limit,
        })
    }
}

/// go-units `RAMInBytes`, as podman reads `--memory`: `NUMBER[b|k|m|g|t|p][b|ib]`,
/// case-insensitive, binary multiples (`512m` = 512 MiB).
pub fn ram_in_bytes(s: &str, flag: &str) -> anyhow::Result<u64> {
    let bad = || format!("{flag} {s:?}: expected a size such as 512m or 2g (units b, k, m, g)");
    let t = s.trim().to_ascii_lowercase();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok().with_context(bad)?;
    let unit = unit.trim();
    let unit = unit
        .strip_suffix("ib")
        .or_else(|| unit.strip_suffix('b').filter(|u| !u.is_empty()))
        .unwrap_or(unit);
    let mult: u64 = match unit {
        "" | "b" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        "t" => 1 << 40,
        "p" => 1 << 50,
        _ => bail!(bad()),
    };
    let v = n * mult as f64;
    if !(v.is_finite() && v >= 0.0 && v < u64::MAX as f64) {
        bail!(bad());
    }
    Ok(v as u64)
}

/// The kernel's cpu/mem list syntax: `N` or `N-M`, comma-separated.
fn valid_cpu_list(s: &str) -> bool {
    !s.is_empty()
        && s.split(',').all(|part| {
            let mut it = part.splitn(2, '-');
            let a = it.next().and_then(|a| a.parse::<u32>().ok());
            match (a, it.next()) {
                (Some(_), None) => true,
                (Some(a), Some(b)) => b.parse::<u32>().is_ok_and(|b| b >= a),
                _ => false,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_become_cgroupfs_files_cpuset_first() {
        let r = Resources {
            memory: Some(64 << 20),
            memory_swap: Some(128 << 20),
            cpu_quota: Some(50_000),
            cpuset_cpus: Some("0".into()),
            pids_limit: Some(-1),
            ..Default::default()
        };
        let f: Vec<(&str, String)> = r.files().into_iter().map(|(_, f, v)| (f, v)).collect();
        assert_eq!(
            f,
            [
                ("cpuset.cpus", "0".to_string()),
                ("memory.max", (64u64 << 20).to_string()),
                ("memory.swap.max", (64u64 << 20).to_string()),
                ("cpu.max", "50000 100000".to_string()),
                ("pids.max", "max".to_string()),
            ]
        );
        assert_eq!(r.controllers(), ["cpuset", "memory", "cpu", "pids"]);
    }

    #[test]
    fn sizes_as_podman_reads_them() {
        assert_eq!(ram_in_bytes("512m", "-m").unwrap(), 512 << 20);
        assert_eq!(ram_in_bytes("1.5g", "-m").unwrap(), 3 << 29);
        assert_eq!(ram_in_bytes("64MB", "-m").unwrap(), 64 << 20);
        assert_eq!(ram_in_bytes("100kib", "-m").unwrap(), 100 << 10);
        assert_eq!(ram_in_bytes("4096", "-m").unwrap(), 4096);
        for bad in ["", "m", "12x", "-5m", "1..2g"] {
            assert!(ram_in_bytes(bad, "-m").is_err(), "{bad}");
        }
    }

    #[test]
    fn flags_become_cgroup_values() {
        let r = Requested {
            memory: Some("64m".into()),
            memory_swap: Some("128m".into()),
            cpus: Some("0.5".into()),
            cpu_shares: Some("1024".into()),
            cpuset_cpus: Some("0-1,3".into()),
            pids_limit: Some("20".into()),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(r.memory, Some(64 << 20));
        assert_eq!(r.memory_swap, Some(128 << 20));
        assert_eq!(r.cpu_quota, Some(50_000));
        assert_eq!(r.cpu_weight(), Some(39));
        assert_eq!(r.pids_limit, Some(20));
        assert_eq!(
            r.flag_names(),
            [
                "--memory",
                "--memory-swap",
                "--cpus",
                "--cpu-shares",
                "--cpuset-cpus",
                "--pids-limit"
            ]
        );
        assert!(!Requested::default().parse().unwrap().any());
    }

    #[test]
    fn bad_limits_are_refused_with_the_flag_named() {
        for (r, says) in [
            (
                Requested {
                    memory: Some("1m".into()),
                    ..Default::default()
                },
                "minimum memory limit allowed is 6MB",
            ),
            (
                Requested {
                    memory_swap: Some("1g".into()),
                    ..Default::default()
                },
                "needs --memory",
            ),
            (
                Requested {
                    memory: Some("1g".into()),
                    memory_swap: Some("512m".into()),
                    ..Default::default()
                },
                "larger than or equal",
            ),
            (
                Requested {
                    cpus: Some("0.001".into()),
                    ..Default::default()
                },
                "smallest CPU limit",
            ),
            (
                Requested {
                    cpus: Some("many".into()),
                    ..Default::default()
                },
                "--cpus \"many\"",
            ),
            (
                Requested {
                    cpu_shares: Some("0".into()),
                    ..Default::default()
                },
                "--cpu-shares",
            ),
            (
                Requested {
                    cpuset_cpus: Some("3-1".into()),
                    ..Default::default()
                },
                "--cpuset-cpus",
            ),
            (
                Requested {
                    pids_limit: Some("-2".into()),
                    ..Default::default()
                },
                "--pids-limit",
            ),
        ] {
            let e = r.parse().unwrap_err().to_string();
            assert!(e.contains(says), "{r:?}: {e}");
        }
    }
}
