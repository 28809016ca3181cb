//! Distribution-specific package commands for `doctor`'s fixes.
use super::host::Distribution;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pkg {
    /// newuidmap/newgidmap.
    Uidmap,
    FuseOverlayfs,
    Slirp4netns,
    /// pasta.
    Passt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Debian,
    Fedora,
    Suse,
    Arch,
    Alpine,
}

fn family(d: &Distribution) -> Option<Family> {
    let ids = std::iter::once(d.distribution.as_str()).chain(d.like.iter().map(|s| s.as_str()));
    for id in ids {
        let f = match id {
            "debian" | "ubuntu" | "linuxmint" | "pop" => Family::Debian,
            "fedora" | "rhel" | "centos" | "rocky" | "almalinux" | "ol" | "amzn" => Family::Fedora,
            "opensuse" | "opensuse-leap" | "opensuse-tumbleweed" | "sles" | "suse" => Family::Suse,
            "arch" | "manjaro" => Family::Arch,
            "alpine" => Family::Alpine,
            _ => continue,
        };
        return Some(f);
    }
    None
}

fn name(f: Family, p: Pkg) -> &'static str {
    match (f, p) {
        (Family::Debian, Pkg::Uidmap) => "uidmap",
        (Family::Fedora, Pkg::Uidmap) => "shadow-utils",
        (Family::Suse | Family::Arch, Pkg::Uidmap) => "shadow",
        (Family::Alpine, Pkg::Uidmap) => "shadow-uidmap",
        (_, Pkg::FuseOverlayfs) => "fuse-overlayfs",
        (_, Pkg::Slirp4netns) => "slirp4netns",
        (_, Pkg::Passt) => "passt",
    }
}

/// The install command for `pkgs` on this distribution (Debian's when unknown, marked so).
pub fn install(d: &Distribution, pkgs: &[Pkg]) -> String {
    let f = family(d);
    let fam = f.unwrap_or(Family::Debian);
    let names: Vec<&str> = pkgs.iter().map(|p| name(fam, *p)).collect();
    let cmd = match fam {
        Family::Debian => "apt-get install",
        Family::Fedora => "dnf install",
        Family::Suse => "zypper install",
        Family::Arch => "pacman -S",
        Family::Alpine => "apk add",
    };
    let s = format!("{cmd} {}", names.join(" "));
    if f.is_none() {
        format!("{s} (or your distribution's equivalent)")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(id: &str, like: &[&str]) -> Distribution {
        Distribution {
            distribution: id.into(),
            like: like.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn per_distro() {
        assert_eq!(
            install(&d("debian", &[]), &[Pkg::Uidmap]),
            "apt-get install uidmap"
        );
        assert_eq!(
            install(
                &d("rocky", &["rhel", "fedora"]),
                &[Pkg::Uidmap, Pkg::FuseOverlayfs]
            ),
            "dnf install shadow-utils fuse-overlayfs"
        );
        assert_eq!(
            install(&d("pop", &["ubuntu", "debian"]), &[Pkg::Passt]),
            "apt-get install passt"
        );
        assert!(install(&d("gentoo", &[]), &[Pkg::Uidmap]).contains("equivalent"));
    }
}
