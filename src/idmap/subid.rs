//! Parsing `/etc/subuid`/`/etc/subgid` (shadow-utils' `owner:start:count` lines) and asking
//! `getsubids` for NSS-backed ranges (sssd/LDAP sites, podman#25041).
use super::find_in_path_in;
use serde::Serialize;

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

/// One well-formed line of a subordinate-ID file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubIdEntry {
    /// Login name or numeric id, as written.
    pub owner: String,
    pub range: SubIdRange,
    /// 1-based line number.
    pub line: usize,
}

impl SubIdRange {
    /// One past the last id (u64: a range may end exactly at 2^32).
    pub fn end(&self) -> u64 {
        self.start as u64 + self.count as u64
    }
    pub fn overlaps(&self, other: &SubIdRange) -> bool {
        (self.start as u64) < other.end() && (other.start as u64) < self.end()
    }
}

/// Parse every line of a subordinate-ID file: well-formed entries, and problems with line
/// numbers (a malformed line is reported, never fatal: shadow-utils skips it too).
pub fn parse_entries(text: &str) -> (Vec<SubIdEntry>, Vec<SubIdProblem>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
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
            problems.push(bad("expected owner:start:count"));
            continue;
        }
        let (Ok(start), Ok(count)) = (parts[1].parse::<u32>(), parts[2].parse::<u32>()) else {
            problems.push(bad("start and count must be numbers"));
            continue;
        };
        if count == 0 {
            problems.push(bad("count is 0"));
            continue;
        }
        if start.checked_add(count).is_none() {
            problems.push(bad("range runs past 2^32"));
            continue;
        }
        entries.push(SubIdEntry {
            owner: parts[0].to_string(),
            range: SubIdRange { start, count },
            line: i + 1,
        });
    }
    (entries, problems)
}

/// Parse a subordinate-ID file's text and pick the ranges owned by `name` or `id`.
/// `shadow-utils` accepts either the login name or the numeric id as owner.
pub fn parse_subid(text: &str, name: Option<&str>, id: u32) -> SubIdLookup {
    let (entries, problems) = parse_entries(text);
    let mut out = SubIdLookup {
        problems,
        ..Default::default()
    };
    let id_s = id.to_string();
    let mut others: Vec<&SubIdEntry> = Vec::new();
    for e in &entries {
        let by = if Some(e.owner.as_str()) == name {
            Some("name")
        } else if e.owner == id_s {
            Some("uid")
        } else {
            None
        };
        match by {
            Some(b) => {
                if !out.matched_by.iter().any(|m| m == b) {
                    out.matched_by.push(b.to_string());
                }
                if !out.ranges.contains(&e.range) {
                    out.ranges.push(e.range.clone());
                }
            }
            None => others.push(e),
        }
    }
    for mine in &out.ranges {
        for o in &others {
            if mine.overlaps(&o.range) {
                out.overlaps.push(format!(
                    "{}:{} overlaps {}:{}:{}",
                    mine.start, mine.count, o.owner, o.range.start, o.range.count
                ));
            }
        }
    }
    out
}

/// The lowest range of `count` ids at or above 100000 (shadow-utils' `SUB_UID_MIN`) that
/// overlaps no entry of any of `files` (pass both the subuid and subgid entries, so one
/// `usermod --add-subuids X --add-subgids X` fixes both).
pub fn free_range(files: &[&[SubIdEntry]], count: u32) -> Option<SubIdRange> {
    let mut start: u64 = 100_000;
    loop {
        let cand_end = start + count as u64;
        if cand_end > u32::MAX as u64 {
            return None;
        }
        let blocker = files
            .iter()
            .flat_map(|f| f.iter())
            .filter(|e| (e.range.start as u64) < cand_end && start < e.range.end())
            .map(|e| e.range.end())
            .max();
        match blocker {
            Some(end) => start = end,
            None => {
                return Some(SubIdRange {
                    start: start as u32,
                    count,
                })
            }
        }
    }
}

/// Ask `getsubids` (shadow-utils ≥ 4.11, backed by NSS: sssd/LDAP sites) for ranges, the tool
/// looked up in `path` (`Context::path()`). Output lines look like `0: alice 100000 65536`.
/// `None` when the tool is absent or fails.
pub fn getsubids_in(
    path: Option<&std::ffi::OsStr>,
    user: &str,
    group: bool,
) -> Option<Vec<SubIdRange>> {
    let bin = find_in_path_in(path, "getsubids")?;
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
    fn uid_owner_and_problem_line_numbers() {
        let text = "1001:200000:65536\nrctrtest:100000\n\u{0}:1:2:3\nbob:-5:10\n";
        let l = parse_subid(text, Some("rctrtest"), 1001);
        assert_eq!(l.matched_by, vec!["uid"]);
        assert_eq!(l.ranges[0].start, 200000);
        let lines: Vec<usize> = l.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 3, 4]);
        assert!(l.problems[2].why.contains("numbers"));
        // Binary junk and huge numbers never panic.
        let l = parse_subid("a:4294967295:1\n\u{fffd}\u{fffd}\n:::\n", Some("a"), 1);
        assert_eq!(l.problems.len(), 3);
        assert!(l.ranges.is_empty());
    }

    #[test]
    fn overlap_names_the_other_owner() {
        let l = parse_subid("me:100000:65536\nbob:165000:65536\n", Some("me"), 7);
        assert_eq!(l.overlaps, vec!["100000:65536 overlaps bob:165000:65536"]);
        // Adjacent ranges do not overlap.
        let l = parse_subid("me:100000:65536\nbob:165536:65536\n", Some("me"), 7);
        assert!(l.overlaps.is_empty());
    }

    #[test]
    fn free_range_skips_every_entry_of_both_files() {
        let (u, _) = parse_entries("a:100000:65536\nb:165536:65536\n");
        let (g, _) = parse_entries("c:231072:10\n");
        let r = free_range(&[&u, &g], 65536).unwrap();
        assert_eq!((r.start, r.count), (231082, 65536));
        assert_eq!(free_range(&[], 65536).unwrap().start, 100000);
        let (full, _) = parse_entries("x:100000:4294867295\n");
        assert_eq!(free_range(&[&full], 65536), None);
    }
}
