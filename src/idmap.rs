//! Subordinate IDs (`/etc/subuid`, `/etc/subgid`, `getsubids`) and the ID mapping rctr uses.
//!
//! One mapping is used everywhere: layers are unpacked with it and containers run with it, so
//! on-disk owners and in-container owners always agree.
//!
//! * Full: container 0 = the user, container 1..=N = the first subordinate range (podman's
//!   rootless default).
//! * Single-ID: container 0 = the user and nothing else (HPC sites without subordinate IDs).
use serde::Serialize;
use std::path::Path;

/// One line of a subordinate-ID file: `owner:start:count`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubIdRange {
    pub start: u32,
    pub count: u32,
}

/// A problem found while reading a subordinate-ID file; reported by `info`/`doctor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubIdProblem {
    pub line: usize,
    pub text: String,
    pub why: String,
}

/// What a subordinate-ID file says about one user.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SubIdLookup {
    /// Ranges for the user, found by name or by numeric uid.
    pub ranges: Vec<SubIdRange>,
    /// Which key matched: "name", "uid", or both.
    pub matched_by: Vec<String>,
    /// Malformed lines (anywhere in the file).
    pub problems: Vec<SubIdProblem>,
    /// Ranges of this user that overlap another user's range.
    pub overlaps: Vec<String>,
}

/// Parse a subordinate-ID file's text and pick the ranges owned by `name` or `id`.
/// `shadow-utils` accepts either the login name or the numeric id as owner.
pub fn parse_subid(text: &str, name: Option<&str>, id: u32) -> SubIdLookup {
    let mut out = SubIdLookup::default();
    let id_s = id.to_string();
    let mut others: Vec<(String, SubIdRange)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split(':').collect();
        let bad = |why: &str| SubIdProblem {
            line: i + 1,
            text: raw.to_string(),
            why: why.to_string(),
        };
        if parts.len() != 3 || parts[0].is_empty() {
            out.problems.push(bad("expected owner:start:count"));
            continue;
        }
        let (Ok(start), Ok(count)) = (parts[1].parse::<u32>(), parts[2].parse::<u32>()) else {
            out.problems.push(bad("start and count must be numbers"));
            continue;
        };
        if count == 0 {
            out.problems.push(bad("count is 0"));
            continue;
        }
        if start.checked_add(count).is_none() {
            out.problems.push(bad("range runs past 2^32"));
            continue;
        }
        let r = SubIdRange { start, count };
        let by = if Some(parts[0]) == name {
            Some("name")
        } else if parts[0] == id_s {
            Some("uid")
        } else {
            None
        };
        match by {
            Some(b) => {
                if !out.matched_by.iter().any(|m| m == b) {
                    out.matched_by.push(b.to_string());
                }
                if !out.ranges.contains(&r) {
                    out.ranges.push(r);
                }
            }
            None => others.push((parts[0].to_string(), r)),
        }
    }
    for mine in &out.ranges {
        for (who, r) in &others {
            if mine.start < r.start + r.count && r.start < mine.start + mine.count {
                out.overlaps.push(format!(
                    "{}:{} overlaps {who}:{}:{}",
                    mine.start, mine.count, r.start, r.count
                ));
            }
        }
    }
    out
}

/// Ask `getsubids` (shadow-utils ≥ 4.11, backed by NSS: sssd/LDAP sites) for ranges.
/// Output lines look like `0: alice 100000 65536`. `None` when the tool is absent or fails.
pub fn getsubids(user: &str, group: bool) -> Option<Vec<SubIdRange>> {
    let bin = find_in_path("getsubids")?;
    let mut cmd = std::process::Command::new(bin);
    if group {
        cmd.arg("-g");
    }
    let out = cmd
        .arg(user)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Vec<SubIdRange> = text
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            if f.len() < 4 {
                return None;
            }
            Some(SubIdRange {
                start: f[f.len() - 2].parse().ok()?,
                count: f[f.len() - 1].parse().ok()?,
            })
        })
        .collect();
    Some(v)
}

/// `PATH` lookup without running a shell.
pub fn find_in_path(prog: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
    std::env::split_paths(&path)
        .map(|d| d.join(prog))
        .find(|p| p.is_file())
}

/// One line of a `uid_map`/`gid_map`: `container host size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct IdMap {
    pub container_id: u32,
    pub host_id: u32,
    pub size: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MappingMode {
    /// Subordinate ranges via newuidmap/newgidmap.
    Full,
    /// Only the user's own uid/gid is mapped (to 0); no helper needed.
    SingleId,
}

/// The mapping rctr will use for this user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct IdMapping {
    pub mode: MappingMode,
    pub uid_map: Vec<IdMap>,
    pub gid_map: Vec<IdMap>,
}

impl IdMapping {
    /// Map just `uid`/`gid` to 0.
    pub fn single(uid: u32, gid: u32) -> IdMapping {
        IdMapping {
            mode: MappingMode::SingleId,
            uid_map: vec![IdMap {
                container_id: 0,
                host_id: uid,
                size: 1,
            }],
            gid_map: vec![IdMap {
                container_id: 0,
                host_id: gid,
                size: 1,
            }],
        }
    }

    /// The user as 0, then the subordinate ranges packed from container id 1 upwards.
    pub fn full(uid: u32, gid: u32, subuid: &[SubIdRange], subgid: &[SubIdRange]) -> IdMapping {
        fn pack(own: u32, ranges: &[SubIdRange]) -> Vec<IdMap> {
            let mut v = vec![IdMap {
                container_id: 0,
                host_id: own,
                size: 1,
            }];
            let mut next = 1u32;
            for r in ranges {
                v.push(IdMap {
                    container_id: next,
                    host_id: r.start,
                    size: r.count,
                });
                next = next.saturating_add(r.count);
            }
            v
        }
        IdMapping {
            mode: MappingMode::Full,
            uid_map: pack(uid, subuid),
            gid_map: pack(gid, subgid),
        }
    }

    /// Highest container uid/gid + 1 covered by the map (how many IDs an image may use).
    pub fn uid_span(&self) -> u64 {
        span(&self.uid_map)
    }
    pub fn gid_span(&self) -> u64 {
        span(&self.gid_map)
    }

    /// Host id of a container id, if mapped.
    pub fn host_uid(&self, cid: u32) -> Option<u32> {
        lookup(&self.uid_map, cid)
    }
    pub fn host_gid(&self, cid: u32) -> Option<u32> {
        lookup(&self.gid_map, cid)
    }

    /// `--userns=keep-id`: the user keeps its own id inside. Container ids below it come from
    /// the subordinate range, the user maps to itself, ids above continue in the range.
    pub fn keep_id(&self, uid: u32, gid: u32) -> IdMapping {
        fn remap(map: &[IdMap], own: u32) -> Vec<IdMap> {
            // Flatten the subordinate host ids (everything but container 0) in order.
            let subs: Vec<(u32, u32)> = map
                .iter()
                .filter(|m| m.container_id != 0)
                .map(|m| (m.host_id, m.size))
                .collect();
            let mut out = Vec::new();
            let mut cid = 0u32;
            let mut pending = own; // container ids still to fill below `own`
            for (mut host, mut size) in subs {
                if pending > 0 {
                    let take = size.min(pending);
                    out.push(IdMap {
                        container_id: cid,
                        host_id: host,
                        size: take,
                    });
                    cid += take;
                    pending -= take;
                    host += take;
                    size -= take;
                    if pending == 0 {
                        out.push(IdMap {
                            container_id: own,
                            host_id: own,
                            size: 1,
                        });
                        cid = own + 1;
                    }
                }
                if size > 0 {
                    out.push(IdMap {
                        container_id: cid,
                        host_id: host,
                        size,
                    });
                    cid = cid.saturating_add(size);
                }
            }
            if pending > 0 {
                out.push(IdMap {
                    container_id: own,
                    host_id: own,
                    size: 1,
                });
            }
            out
        }
        match self.mode {
            MappingMode::SingleId => IdMapping {
                mode: MappingMode::SingleId,
                uid_map: vec![IdMap {
                    container_id: uid,
                    host_id: uid,
                    size: 1,
                }],
                gid_map: vec![IdMap {
                    container_id: gid,
                    host_id: gid,
                    size: 1,
                }],
            },
            MappingMode::Full => IdMapping {
                mode: MappingMode::Full,
                uid_map: remap(&self.uid_map, uid),
                gid_map: remap(&self.gid_map, gid),
            },
        }
    }

    /// The text written to `/proc/PID/uid_map` (or passed to newuidmap as triples).
    pub fn map_text(map: &[IdMap]) -> String {
        map.iter()
            .map(|m| format!("{} {} {}\n", m.container_id, m.host_id, m.size))
            .collect()
    }
}

fn span(map: &[IdMap]) -> u64 {
    map.iter()
        .map(|m| m.container_id as u64 + m.size as u64)
        .max()
        .unwrap_or(0)
}

fn lookup(map: &[IdMap], cid: u32) -> Option<u32> {
    map.iter()
        .find(|m| cid >= m.container_id && (cid - m.container_id) < m.size)
        .map(|m| m.host_id + (cid - m.container_id))
}

/// Everything rctr found out about the user's subordinate IDs, and the mapping it chose.
#[derive(Debug, Clone, Serialize)]
pub struct IdPlan {
    pub subuid: SubIdLookup,
    pub subgid: SubIdLookup,
    /// Where the ranges came from: "/etc/subuid", "getsubids", or none.
    pub source: String,
    pub mapping: IdMapping,
    /// Why single-ID mode was chosen, if it was.
    pub single_reason: Option<String>,
}

/// Files to read; tests point these elsewhere.
#[derive(Debug, Clone)]
pub struct SubIdFiles<'a> {
    pub subuid: &'a Path,
    pub subgid: &'a Path,
    /// Whether to ask `getsubids` when the files have nothing for the user.
    pub use_getsubids: bool,
}

impl Default for SubIdFiles<'static> {
    fn default() -> Self {
        SubIdFiles {
            subuid: Path::new("/etc/subuid"),
            subgid: Path::new("/etc/subgid"),
            use_getsubids: true,
        }
    }
}

/// Decide the mapping for `uid`/`gid` (login `user`).
///
/// Full mode needs ranges in both files and working `newuidmap`/`newgidmap`; anything less
/// gives single-ID mode with the reason recorded (a first-class mode, not an error).
pub fn plan(files: &SubIdFiles, user: Option<&str>, uid: u32, gid: u32) -> IdPlan {
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    let mut subuid = parse_subid(&read(files.subuid), user, uid);
    let mut subgid = parse_subid(&read(files.subgid), user, uid);
    let mut source = format!("{}, {}", files.subuid.display(), files.subgid.display());
    if (subuid.ranges.is_empty() || subgid.ranges.is_empty()) && files.use_getsubids {
        if let Some(name) = user {
            if let (Some(u), Some(g)) = (getsubids(name, false), getsubids(name, true)) {
                if !u.is_empty() && !g.is_empty() {
                    subuid.ranges = u;
                    subgid.ranges = g;
                    subuid.matched_by = vec!["getsubids".into()];
                    subgid.matched_by = vec!["getsubids".into()];
                    source = "getsubids (NSS)".into();
                }
            }
        }
    }
    let helpers = ["newuidmap", "newgidmap"]
        .iter()
        .all(|h| find_in_path(h).is_some());
    let single_reason = if subuid.ranges.is_empty() {
        Some(format!(
            "no subordinate UIDs for {} in {}",
            user.unwrap_or(&uid.to_string()),
            files.subuid.display()
        ))
    } else if subgid.ranges.is_empty() {
        Some(format!(
            "no subordinate GIDs for {} in {}",
            user.unwrap_or(&uid.to_string()),
            files.subgid.display()
        ))
    } else if !helpers {
        Some("newuidmap/newgidmap not found in PATH (install the uidmap package)".into())
    } else {
        None
    };
    let mapping = if single_reason.is_some() {
        IdMapping::single(uid, gid)
    } else {
        IdMapping::full(uid, gid, &subuid.ranges, &subgid.ranges)
    };
    if single_reason.is_some() && subuid.ranges.is_empty() {
        source = "none".into();
    }
    IdPlan {
        subuid,
        subgid,
        source,
        mapping,
        single_reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_by_name_and_uid_and_flags_bad_lines() {
        let text =
            "alice:100000:65536\n# c\n\nbob:165536:65536\n1001:300000:10\nbad line\nx:1:y\nz:5:0\n";
        let l = parse_subid(text, Some("alice"), 1001);
        assert_eq!(
            l.ranges,
            vec![
                SubIdRange {
                    start: 100000,
                    count: 65536
                },
                SubIdRange {
                    start: 300000,
                    count: 10
                }
            ]
        );
        assert_eq!(l.matched_by, vec!["name", "uid"]);
        assert_eq!(l.problems.len(), 3);
        assert!(l.overlaps.is_empty());
    }

    #[test]
    fn overlap_detected() {
        let l = parse_subid("a:100000:65536\nb:150000:100\n", Some("a"), 5);
        assert_eq!(l.overlaps.len(), 1);
    }

    #[test]
    fn full_and_keep_id() {
        let m = IdMapping::full(
            1000,
            1000,
            &[SubIdRange {
                start: 100000,
                count: 65536,
            }],
            &[SubIdRange {
                start: 100000,
                count: 65536,
            }],
        );
        assert_eq!(m.uid_span(), 65537);
        assert_eq!(m.host_uid(0), Some(1000));
        assert_eq!(m.host_uid(1), Some(100000));
        assert_eq!(m.host_uid(65536), Some(165535));
        assert_eq!(m.host_uid(65537), None);
        let k = m.keep_id(1000, 1000);
        assert_eq!(k.host_uid(1000), Some(1000));
        assert_eq!(k.host_uid(0), Some(100000));
        assert_eq!(k.host_uid(999), Some(100999));
        assert_eq!(k.host_uid(1001), Some(101000));
        assert_eq!(k.uid_span(), 65537);
    }

    #[test]
    fn plan_without_ranges_is_single_id() {
        let d = tempfile::tempdir().unwrap();
        let su = d.path().join("subuid");
        std::fs::write(&su, "other:100000:65536\n").unwrap();
        let files = SubIdFiles {
            subuid: &su,
            subgid: &su,
            use_getsubids: false,
        };
        let p = plan(&files, Some("me"), 1234, 1234);
        assert_eq!(p.mapping.mode, MappingMode::SingleId);
        assert!(p.single_reason.unwrap().contains("no subordinate UIDs"));
    }
}
