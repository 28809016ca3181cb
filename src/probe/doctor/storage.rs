//! Overlay (native and fuse-overlayfs) and the store directory.
use super::{c, Check, Status};
use crate::probe::fixes::{install, Pkg};
use crate::probe::Report;

pub(super) fn overlay_checks(v: &mut Vec<Check>, r: &Report) {
    use Status::*;
    let o = &r.rctr.overlay;
    let distro = &r.host.basics.distribution;
    let fuse_ok = o.fuse.fuse_overlayfs.is_some() && o.fuse.dev_fuse.usable;
    let fuse_fix = || {
        let mut f = Vec::new();
        if o.fuse.fuse_overlayfs.is_none() {
            f.push(install(distro, &[Pkg::FuseOverlayfs]));
        }
        if !o.fuse.dev_fuse.usable {
            f.push(if o.fuse.dev_fuse.path.exists() {
                "chmod 0666 /dev/fuse".to_string()
            } else {
                "modprobe fuse".to_string()
            });
        }
        f.join(" && ")
    };
    let native = o.native.ok();
    match native {
        Some(n) if n.supported => v.push(c(
            Pass,
            "overlay",
            format!(
                "native overlay: mounted with userxattr in the store ({}, kernel {})",
                if n.from_cache {
                    "cached result"
                } else {
                    "tested now"
                },
                n.kernel
            ),
            None,
        )),
        _ => {
            let why = native
                .and_then(|n| n.reason.clone())
                .or_else(|| o.native.err().map(str::to_string))
                .unwrap_or_default();
            let on_network = r.rctr.store.filesystem.ok().is_some_and(|f| f.network);
            let untested = native.is_none();
            let native_fix = if r.rctr.store.dir.problem.is_some() {
                "fix the store (see the store line), then run rctr doctor again".to_string()
            } else if untested {
                "the overlay mount could not be tried: fix the lines above first".into()
            } else if on_network {
                "put the store on a local disk (--root)".into()
            } else {
                "use a kernel >= 5.11 that allows overlay mounts in user namespaces".into()
            };
            let what = if untested {
                format!("native overlay: not tested ({why})")
            } else {
                format!("native overlay unavailable ({why})")
            };
            if fuse_ok {
                v.push(c(
                    Warn,
                    "overlay",
                    format!("{what}: rctr uses fuse-overlayfs (slower)"),
                    Some(native_fix),
                ));
            } else {
                v.push(c(
                    Fail,
                    "overlay",
                    format!("no overlay: {what} and fuse-overlayfs unusable"),
                    Some(format!("{} (or {native_fix})", fuse_fix())),
                ));
            }
        }
    }
    let native_ok = native.is_some_and(|n| n.supported);
    let desc = match &o.fuse.fuse_overlayfs {
        Some(t) => format!(
            "fuse-overlayfs: {} ({})",
            t.executable.display(),
            t.version.as_deref().unwrap_or("version unknown")
        ),
        None => "fuse-overlayfs: not installed".into(),
    };
    let dev = if o.fuse.dev_fuse.usable {
        "/dev/fuse usable".to_string()
    } else {
        format!(
            "/dev/fuse not usable: {}",
            o.fuse.dev_fuse.error.as_deref().unwrap_or("?")
        )
    };
    if fuse_ok {
        v.push(c(Pass, "fuse", format!("{desc}, {dev}"), None));
    } else if native_ok {
        v.push(c(
            Pass,
            "fuse",
            format!("{desc}, {dev} (not needed while native overlay works)"),
            None,
        ));
    } else {
        v.push(c(Fail, "fuse", format!("{desc}, {dev}"), Some(fuse_fix())));
    }
}

pub(super) fn store_checks(v: &mut Vec<Check>, r: &Report, user: &str) {
    use Status::*;
    let st = &r.rctr.store;
    let p = st.dir.path.display();
    if let Some(prob) = &st.dir.problem {
        let fix = if prob.contains("by other users") {
            format!("check what is in it, then chmod 700 {p}")
        } else if prob.contains("owned by") {
            format!("chown -R {user}: {p}")
        } else if prob.contains("not writable") {
            format!("chmod u+rwx {p}")
        } else if prob.contains("not a directory") {
            format!("remove {p}, or give rctr another store with --root DIR")
        } else {
            format!("install -d -o {user} {p}, or give rctr another store with --root DIR")
        };
        v.push(c(Fail, "store", format!("store: {prob}"), Some(fix)));
        return;
    }
    match &st.filesystem {
        crate::probe::Probed::Ok(f) if f.network => v.push(c(
            Warn,
            "store",
            format!(
                "store {p} is on {} ({}), a network/parallel filesystem: overlay upper dirs, user xattrs and subordinate owners break there (podman#7091)",
                f.fs_type,
                f.source.as_deref().unwrap_or("?")
            ),
            Some(format!(
                "keep the store on local disk: rctr --root /var/tmp/{user}/rctr … (or set XDG_DATA_HOME to a local path)"
            )),
        )),
        crate::probe::Probed::Ok(f) => v.push(c(
            Pass,
            "store",
            format!("store: {p} on {} ({})", f.fs_type, f.source.as_deref().unwrap_or("?")),
            None,
        )),
        crate::probe::Probed::Failed { error } => v.push(c(
            Warn,
            "store",
            format!("store: {p}: cannot tell its filesystem: {error}"),
            None,
        )),
    }
}
