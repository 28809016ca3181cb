//! Subordinate IDs and the newuidmap/newgidmap helpers.
use super::{c, Check, Status};
use crate::probe::fixes::{install, Pkg};
use crate::probe::Report;

/// The fix for the first broken helper.
pub(super) fn helper_fix(r: &Report) -> Option<String> {
    let x = &r.rctr.id_helpers;
    let mut fixes = Vec::new();
    for (h, cap) in [(&x.newuidmap, "cap_setuid"), (&x.newgidmap, "cap_setgid")] {
        let Some(prob) = &h.problem else { continue };
        let Some(p) = &h.path else {
            fixes.push(install(&r.host.basics.distribution, &[Pkg::Uidmap]));
            continue;
        };
        let p = p.display();
        fixes.push(if prob.contains("not executable") {
            format!("chmod 0755 {p}")
        } else if prob.contains("not root") {
            format!("chown root:root {p} && chmod u+s {p}")
        } else if prob.contains("not effective") {
            format!("setcap {cap}+ep {p}")
        } else {
            format!("chmod u+s {p} (or: setcap {cap}+ep {p})")
        });
    }
    fixes.dedup();
    (!fixes.is_empty()).then(|| fixes.join("; "))
}

pub(super) fn subid_checks(v: &mut Vec<Check>, r: &Report, user: &str) {
    use Status::*;
    let s = &r.rctr.subordinate_ids;
    let free = s
        .suggested_range
        .as_ref()
        .map(|f| format!("{}-{}", f.start, f.end() - 1))
        .unwrap_or_else(|| "START-END".into());
    let named = user.parse::<u32>().is_err();
    let add = |flags: &str| {
        if named {
            format!("usermod {flags} {user}")
        } else {
            format!("add a line `{user}:START:65536` (a range no other line overlaps) to /etc/subuid and /etc/subgid")
        }
    };
    for f in [&s.subuid, &s.subgid] {
        if let Some(e) = &f.read_error {
            v.push(c(
                Warn,
                "subuid",
                format!("cannot read {}: {e}", f.file.display()),
                Some(format!("chmod 0644 {}", f.file.display())),
            ));
        }
        if !f.problems.is_empty() {
            let lines: Vec<String> = f
                .problems
                .iter()
                .map(|p| format!("line {} {:?}: {}", p.line, p.text, p.why))
                .collect();
            v.push(c(
                Warn,
                "subuid-syntax",
                format!("{}: malformed {}", f.file.display(), lines.join("; ")),
                Some(format!(
                    "edit {}: correct or delete line{} {} (format: name:start:count)",
                    f.file.display(),
                    if f.problems.len() > 1 { "s" } else { "" },
                    f.problems
                        .iter()
                        .map(|p| p.line.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ));
        }
        for o in &f.overlaps {
            let (mine, _) = o.split_once(" overlaps ").unwrap_or((o, ""));
            let (st, cnt) = mine.split_once(':').unwrap_or(("0", "0"));
            let (st, cnt): (u64, u64) = (st.parse().unwrap_or(0), cnt.parse().unwrap_or(0));
            let flag = if std::ptr::eq(f, &s.subuid) {
                "subuids"
            } else {
                "subgids"
            };
            v.push(c(
                Warn,
                "subuid-overlap",
                format!(
                    "{}: {user}'s range {o}: the two users' containers share host IDs and can touch each other's files",
                    f.file.display()
                ),
                Some(add(&format!(
                    "--del-{flag} {st}-{} --add-{flag} {free}",
                    st + cnt.max(1) - 1
                ))),
            ));
        }
    }
    let (u, g) = (&s.subuid, &s.subgid);
    let how = |f: &crate::probe::SubIdFile| {
        let by = f.matched_by.join("+");
        format!(
            "{} in {} (by {by})",
            f.ranges
                .iter()
                .map(|r| format!("{}-{}", r.start, r.end() - 1))
                .collect::<Vec<_>>()
                .join(","),
            if by == "getsubids" {
                "NSS".to_string()
            } else {
                f.file.display().to_string()
            }
        )
    };
    match (u.ranges.is_empty(), g.ranges.is_empty()) {
        (false, false) => v.push(c(
            Pass,
            "subuid",
            format!("subordinate IDs: uids {}, gids {}", how(u), how(g)),
            None,
        )),
        (true, true) => v.push(c(
            Warn,
            "subuid",
            format!(
                "subordinate IDs: {}: single-ID mode (only uid/gid 0 inside; images owning files by other IDs cannot be unpacked)",
                s.single_id_reason
                    .clone()
                    .unwrap_or_else(|| format!("none for {user}"))
            ),
            Some(add(&format!("--add-subuids {free} --add-subgids {free}"))),
        )),
        (true, false) => v.push(c(
            Warn,
            "subuid",
            format!(
                "subordinate IDs: gids {} but no uids in {}: single-ID mode",
                how(g),
                u.file.display()
            ),
            Some(add(&format!("--add-subuids {free}"))),
        )),
        (false, true) => v.push(c(
            Warn,
            "subuid",
            format!(
                "subordinate IDs: uids {} but no gids in {}: single-ID mode",
                how(u),
                g.file.display()
            ),
            Some(add(&format!("--add-subgids {free}"))),
        )),
    }
}
