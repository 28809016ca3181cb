//! Subordinate IDs (`/etc/subuid`, `/etc/subgid`, `getsubids`) and the ID mapping rctr uses.
//!
//! One mapping is used everywhere: layers are unpacked with it and containers run with it, so
//! on-disk owners and in-container owners always agree.
//!
//! * Full: container 0 = the user, container 1..=N = the first subordinate range (podman's
//!   rootless default).
//! * Single-ID: container 0 = the user and nothing else (HPC sites without subordinate IDs).
use serde::Serialize;
use std::path::{Path, PathBuf};

pub mod helper;
mod subid;

pub use subid::{
    free_range, getsubids_in, parse_entries, parse_subid, SubIdEntry, SubIdLookup, SubIdProblem,
    SubIdRange,
};

/// `PATH` lookup without running a shell, in an explicit search path (`Context::path()`: the
/// environment is read only in `context.rs`), default when unset.
pub fn find_in_path_in(path: Option<&std::ffi::OsStr>, prog: &str) -> Option<std::path::PathBuf> {
    let path = path.unwrap_or_else(|| std::ffi::OsStr::new("/usr/local/bin:/usr/bin:/bin"));
    std::env::split_paths(path)
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
    pub single_reason: Option<SingleReason>,
}

/// Why rctr runs in single-ID mode. Callers branch on the kind (a user without subordinate
/// IDs is normal; broken helpers are news); the text is for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SingleReason {
    /// No subordinate UIDs (`gids: false`) or GIDs for `who` in `file`.
    NoSubIds {
        who: String,
        file: PathBuf,
        gids: bool,
    },
    /// newuidmap or newgidmap cannot do their job (not setuid, no file capability, …).
    BrokenHelper(String),
    /// The store was created in single-ID mode and is kept in it.
    StoreIsSingleId(PathBuf),
}

impl SingleReason {
    /// The user has no subordinate IDs (rather than helpers that fail them).
    pub fn is_missing_ids(&self) -> bool {
        matches!(self, SingleReason::NoSubIds { .. })
    }
}

impl std::fmt::Display for SingleReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SingleReason::NoSubIds { who, file, gids } => write!(
                f,
                "no subordinate {} for {who} in {}",
                if *gids { "GIDs" } else { "UIDs" },
                file.display()
            ),
            SingleReason::BrokenHelper(why) => f.write_str(why),
            SingleReason::StoreIsSingleId(root) => write!(
                f,
                "the store {} was created in single-ID mode; run `rctr system reset` to use your subordinate IDs",
                root.display()
            ),
        }
    }
}

impl Serialize for SingleReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
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

/// Environment overrides for the subordinate-ID files (tests and administrators: point rctr at
/// another file without touching /etc). Setting either also skips `getsubids`, which would
/// read the real /etc files through NSS and contradict the override.
pub const SUBUID_FILE_ENV: &str = "RCTR_SUBUID_FILE";
pub const SUBGID_FILE_ENV: &str = "RCTR_SUBGID_FILE";

/// The mapping for the user of `ctx`: the one entry point commands should use, so that `run`,
/// `pull` and `info` agree (same files, same overrides, same PATH).
pub fn plan_for(ctx: &crate::context::Context) -> IdPlan {
    let (su, sg, overridden) = subid_paths(ctx);
    let files = SubIdFiles {
        subuid: &su,
        subgid: &sg,
        use_getsubids: !overridden,
    };
    plan_in(&files, ctx.user.as_deref(), ctx.uid, ctx.gid, ctx.path())
}

/// The subuid and subgid files for `ctx` (honouring the overrides), and whether an override
/// is in effect.
pub fn subid_paths(
    ctx: &crate::context::Context,
) -> (std::path::PathBuf, std::path::PathBuf, bool) {
    let over = |k: &str| {
        ctx.var(k)
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
    };
    let (su, sg) = (over(SUBUID_FILE_ENV), over(SUBGID_FILE_ENV));
    let overridden = su.is_some() || sg.is_some();
    (
        su.unwrap_or_else(|| "/etc/subuid".into()),
        sg.unwrap_or_else(|| "/etc/subgid".into()),
        overridden,
    )
}

/// Decide the mapping for `uid`/`gid` (login `user`), with tools (`getsubids`, `newuidmap`,
/// `newgidmap`) looked up in `path`.
///
/// Full mode needs ranges in both files and working `newuidmap`/`newgidmap`; anything less
/// gives single-ID mode with the reason recorded (a first-class mode, not an error).
pub fn plan_in(
    files: &SubIdFiles,
    user: Option<&str>,
    uid: u32,
    gid: u32,
    path: Option<&std::ffi::OsStr>,
) -> IdPlan {
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    let mut subuid = parse_subid(&read(files.subuid), user, uid);
    let mut subgid = parse_subid(&read(files.subgid), user, uid);
    let mut source = format!("{}, {}", files.subuid.display(), files.subgid.display());
    if (subuid.ranges.is_empty() || subgid.ranges.is_empty()) && files.use_getsubids {
        if let Some(name) = user {
            if let (Some(u), Some(g)) = (
                getsubids_in(path, name, false),
                getsubids_in(path, name, true),
            ) {
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
    // A helper that cannot gain CAP_SETUID/CAP_SETGID fails at run time with "Operation not
    // permitted"; deciding here lets rctr run in single-ID mode instead (podman does the same
    // after newuidmap fails) and lets `doctor` name the fix.
    let helper_problem = if uid == 0 {
        None
    } else {
        [
            helper::inspect(path, "newuidmap", helper::CAP_SETUID),
            helper::inspect(path, "newgidmap", helper::CAP_SETGID),
        ]
        .into_iter()
        .find_map(|h| h.problem)
    };
    let who = user.map(str::to_string).unwrap_or_else(|| uid.to_string());
    let single_reason = if subuid.ranges.is_empty() {
        Some(SingleReason::NoSubIds {
            who,
            file: files.subuid.to_path_buf(),
            gids: false,
        })
    } else if subgid.ranges.is_empty() {
        Some(SingleReason::NoSubIds {
            who,
            file: files.subgid.to_path_buf(),
            gids: true,
        })
    } else {
        helper_problem.map(SingleReason::BrokenHelper)
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
        let p = plan_in(&files, Some("me"), 1234, 1234, None);
        assert_eq!(p.mapping.mode, MappingMode::SingleId);
        let why = p.single_reason.unwrap();
        assert!(why.is_missing_ids());
        assert!(why.to_string().contains("no subordinate UIDs for me"));
    }
}
