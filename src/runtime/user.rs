//! The container's user: podman's `-u user[:group]` resolved against the image's own passwd
//! and group files (read inside the container, after its root is mounted).
use oci_spec::runtime::Process;
use std::path::Path;

/// A user resolved against the container's `/etc/passwd` and `/etc/group`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecUser {
    pub uid: u32,
    pub gid: u32,
    pub additional_gids: Vec<u32>,
    pub home: Option<String>,
}

/// Resolve podman's `-u user[:group]` (names or numbers) against the text of the container's
/// passwd and group files, with runc's rules: a name must exist; a number need not (its group
/// is then 0); supplementary groups are the groups that list the user as a member.
pub fn resolve_user(spec: &str, passwd: &str, group: &str) -> Result<ExecUser, String> {
    let (u, g) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let u = if u.is_empty() { "0" } else { u };
    let pw: Vec<Vec<&str>> = passwd
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split(':').collect::<Vec<_>>())
        .filter(|f| f.len() >= 7)
        .collect();
    let gr: Vec<Vec<&str>> = group
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split(':').collect::<Vec<_>>())
        .filter(|f| f.len() >= 4)
        .collect();
    let numeric = u.parse::<u32>().ok();
    let entry = pw.iter().find(|f| match numeric {
        Some(n) => f[2].parse::<u32>() == Ok(n),
        None => f[0] == u,
    });
    let (uid, mut gid, name, home) = match (entry, numeric) {
        (Some(f), _) => (
            f[2].parse::<u32>()
                .map_err(|_| format!("bad uid for {} in /etc/passwd", f[0]))?,
            f[3].parse::<u32>().unwrap_or(0),
            Some(f[0]),
            Some(f[5].to_string()),
        ),
        (None, Some(n)) => (n, 0, None, None),
        (None, None) => {
            return Err(format!(
                "unable to find user {u}: no matching entries in passwd file"
            ))
        }
    };
    if let Some(g) = g.filter(|g| !g.is_empty()) {
        gid = match g.parse::<u32>() {
            Ok(n) => n,
            Err(_) => gr
                .iter()
                .find(|f| f[0] == g)
                .and_then(|f| f[2].parse().ok())
                .ok_or_else(|| {
                    format!("unable to find group {g}: no matching entries in group file")
                })?,
        };
    }
    // An explicit user also keeps its primary group as a supplementary one (runc's Sgids,
    // what podman shows: `groups=1000(user)`); the default root only gets memberships.
    let mut additional_gids: Vec<u32> = if spec.is_empty() { vec![] } else { vec![gid] };
    if let Some(n) = name {
        for g in gr.iter().filter(|f| f[3].split(',').any(|m| m == n)) {
            if let Ok(g) = g[2].parse::<u32>() {
                if !additional_gids.contains(&g) {
                    additional_gids.push(g);
                }
            }
        }
    }
    Ok(ExecUser {
        uid,
        gid,
        additional_gids,
        home,
    })
}

/// The container's user cannot be set up (unknown name, unmapped ID). The caller picks the
/// exit code: podman reports it as "cannot invoke" (126) at start, as an engine error (125)
/// for exec, where libpod resolves the user before the runtime runs.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

/// Resolve `-u user[:group]` against the container's own `/etc/passwd` and `/etc/group` (the
/// caller is inside its mount namespace, after pivot_root) and apply it to `process`: the one
/// user resolution for the first process and for exec.
pub fn apply(process: &mut Process, spec: &str) -> Result<(), UserError> {
    let passwd = read_small_file(Path::new("/etc/passwd"));
    let group = read_small_file(Path::new("/etc/group"));
    let eu = resolve_user(spec, &passwd, &group).map_err(UserError)?;
    apply_resolved(process, &eu);
    Ok(())
}

/// libpod's rules for both start and exec: the ids of the resolved user; its groups *added*
/// to the ones the container was created with (`--group-add`); `HOME` from passwd only when
/// the environment does not already set it (`-e HOME=…` or the image's `Env` win).
pub fn apply_resolved(process: &mut Process, eu: &ExecUser) {
    let user = process.user_mut();
    user.set_uid(eu.uid);
    user.set_gid(eu.gid);
    let mut gids = user.additional_gids().clone().unwrap_or_default();
    for g in &eu.additional_gids {
        if !gids.contains(g) {
            gids.push(*g);
        }
    }
    user.set_additional_gids(Some(gids));
    let mut env = process.env().clone().unwrap_or_default();
    if !env.iter().any(|e| e.starts_with("HOME=")) {
        env.push(format!("HOME={}", eu.home.as_deref().unwrap_or("/")));
        process.set_env(Some(env));
    }
}

/// Read a small regular file from the container (its passwd/group). A FIFO or device planted
/// by a hostile image must not hang or confuse the runtime, so only regular files up to 4 MiB.
pub fn read_small_file(path: &Path) -> String {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let Ok(f) = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_CLOEXEC)
        .open(path)
    else {
        return String::new();
    };
    match f.metadata() {
        Ok(m) if m.is_file() => {}
        _ => return String::new(),
    }
    let mut s = String::new();
    let _ = f.take(4 << 20).read_to_string(&mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const PW: &str = "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:U:/home/user:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n";
    const GR: &str = "root:x:0:\nwheel:x:10:root,user\nuser:x:1000:\nstaff:x:50:user\n";

    #[test]
    fn resolves_names_numbers_and_groups() {
        let u = resolve_user("", PW, GR).unwrap();
        assert_eq!((u.uid, u.gid, u.additional_gids.clone()), (0, 0, vec![10]));
        assert_eq!(u.home.as_deref(), Some("/root"));
        let u = resolve_user("user", PW, GR).unwrap();
        assert_eq!(
            (u.uid, u.gid, u.additional_gids),
            (1000, 1000, vec![1000, 10, 50])
        );
        let u = resolve_user("4242", PW, GR).unwrap();
        assert_eq!((u.uid, u.gid, u.home), (4242, 0, None));
        let u = resolve_user("user:staff", PW, GR).unwrap();
        assert_eq!(u.gid, 50);
        let u = resolve_user("1000:7", PW, GR).unwrap();
        assert_eq!((u.uid, u.gid), (1000, 7));
        let e = resolve_user("nosuch", PW, GR).unwrap_err();
        assert!(e.contains("unable to find user nosuch"), "{e}");
        assert!(resolve_user("user:nogroup", PW, GR).is_err());
    }
}
