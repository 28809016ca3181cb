//! The CDI spec files of the host and the user, and the resolution of qualified names into
//! the edits a container gets.
use super::device::{host_device, Device};
use super::{CdiError, ContainerEdits, Spec};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The spec files found, in the order of their directories (a later directory wins, as the
/// CDI library ranks `/var/run/cdi` over `/etc/cdi`).
#[derive(Debug, Default)]
pub struct Registry {
    dirs: Vec<PathBuf>,
    specs: Vec<Loaded>,
    /// Files that could not be read or parsed: named when a lookup fails.
    errors: Vec<CdiError>,
}

#[derive(Debug)]
struct Loaded {
    file: PathBuf,
    priority: usize,
    spec: Spec,
}

/// A bind mount a CDI spec asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountEdit {
    pub host: PathBuf,
    pub container: String,
    pub options: Vec<String>,
}

/// What the requested CDI devices add to a container.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edits {
    pub env: Vec<String>,
    pub devices: Vec<Device>,
    pub mounts: Vec<MountEdit>,
}

impl Registry {
    /// Read every spec file in `dirs` (lowest priority first); a missing directory is empty.
    pub fn load(dirs: &[PathBuf]) -> Registry {
        let mut r = Registry {
            dirs: dirs.to_vec(),
            ..Default::default()
        };
        for (priority, dir) in dirs.iter().enumerate() {
            let Ok(rd) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut files: Vec<PathBuf> = rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| super::is_spec_file(p))
                .collect();
            files.sort();
            for file in files {
                let parsed = std::fs::read_to_string(&file)
                    .map_err(|e| CdiError::Malformed {
                        file: file.clone(),
                        problem: e.to_string(),
                    })
                    .and_then(|t| super::parse(&file, &t));
                match parsed {
                    Ok(spec) => r.specs.push(Loaded {
                        file,
                        priority,
                        spec,
                    }),
                    Err(e) => r.errors.push(e),
                }
            }
        }
        r
    }

    /// A lookup failed: a broken spec file may be why, so it is named instead.
    fn fail(&self, e: CdiError) -> CdiError {
        match self.errors.first() {
            Some(CdiError::Malformed { file, problem }) => CdiError::Malformed {
                file: file.clone(),
                problem: problem.clone(),
            },
            _ => e,
        }
    }

    /// Broken spec files that did not matter for a lookup that succeeded.
    pub fn warnings(&self) -> Vec<String> {
        self.errors
            .iter()
            .map(|e| format!("ignoring {e}"))
            .collect()
    }

    /// The devices of `kind`, each from its highest-priority file: (name → spec index).
    fn devices_of(&self, kind: &str) -> Result<BTreeMap<&str, usize>, CdiError> {
        let mut out: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, l) in self.specs.iter().enumerate() {
            if l.spec.kind != kind {
                continue;
            }
            for d in &l.spec.devices {
                match out.get(d.name.as_str()).map(|&j| &self.specs[j]) {
                    Some(prev) if prev.priority == l.priority => {
                        return Err(CdiError::Conflict {
                            name: format!("{kind}={}", d.name),
                            a: prev.file.clone(),
                            b: l.file.clone(),
                        })
                    }
                    Some(prev) if prev.priority > l.priority => {}
                    _ => {
                        out.insert(&d.name, i);
                    }
                }
            }
        }
        Ok(out)
    }

    fn unknown_kind(&self, kind: &str) -> CdiError {
        let mut kinds: Vec<&str> = self.specs.iter().map(|l| l.spec.kind.as_str()).collect();
        kinds.sort();
        kinds.dedup();
        let known = if kinds.is_empty() {
            let dirs: Vec<String> = self.dirs.iter().map(|d| d.display().to_string()).collect();
            format!("no CDI spec files in {}", dirs.join(", "))
        } else {
            format!("known kinds: {}", kinds.join(", "))
        };
        CdiError::UnknownKind {
            kind: kind.into(),
            known,
        }
    }

    /// Resolve qualified names (`VENDOR/CLASS=NAME`, `NAME=all` for every device of the
    /// kind) into the device edits plus the top-level edits of each spec used.
    pub fn resolve(&self, names: &[String]) -> Result<Edits, CdiError> {
        let mut used: Vec<(usize, Option<usize>)> = Vec::new();
        for name in names {
            let (kind, dev) = super::split_qualified(name)?;
            let devices = self.devices_of(kind)?;
            if devices.is_empty() {
                return Err(self.fail(self.unknown_kind(kind)));
            }
            let picked: Vec<(&str, usize)> = if dev == "all" {
                devices.iter().map(|(n, i)| (*n, *i)).collect()
            } else {
                match devices.get(dev) {
                    Some(&i) => vec![(dev, i)],
                    None => {
                        let known: Vec<&str> = devices.keys().copied().collect();
                        return Err(self.fail(CdiError::UnknownDevice {
                            name: name.clone(),
                            kind: kind.into(),
                            known: format!("{} (and all)", known.join(", ")),
                        }));
                    }
                }
            };
            for (n, i) in picked {
                let d = self.specs[i].spec.devices.iter().position(|d| d.name == n);
                for key in [(i, d), (i, None)] {
                    if !used.contains(&key) {
                        used.push(key);
                    }
                }
            }
        }
        let mut edits = Edits::default();
        for (i, d) in used {
            let l = &self.specs[i];
            let (name, e) = match d {
                Some(d) => {
                    let dev = &l.spec.devices[d];
                    (
                        format!("{}={}", l.spec.kind, dev.name),
                        &dev.container_edits,
                    )
                }
                None => (l.spec.kind.clone(), &l.spec.container_edits),
            };
            apply(&mut edits, &name, &l.file, e)?;
        }
        Ok(edits)
    }
}

/// Add one set of container edits, refusing what rctr cannot do rootless.
fn apply(out: &mut Edits, name: &str, file: &Path, e: &ContainerEdits) -> Result<(), CdiError> {
    let unsupported = |what: String| CdiError::Unsupported {
        name: name.into(),
        file: file.into(),
        what,
    };
    if let Some(h) = e.hooks.first() {
        return Err(unsupported(format!("its {} hook {}", h.hook_name, h.path)));
    }
    if !e.additional_gids.is_empty() {
        return Err(unsupported("additionalGIDs".into()));
    }
    if e.intel_rdt.is_some() {
        return Err(unsupported("intelRdt".into()));
    }
    out.env.extend(e.env.iter().cloned());
    for n in &e.device_nodes {
        let host = Path::new(n.host_path.as_deref().unwrap_or(&n.path));
        let perms = n.permissions.as_deref().unwrap_or("rwm");
        let dev = host_device(host, Path::new(&n.path), perms)
            .map_err(|err| CdiError::Device(format!("CDI device {name}: {err}")))?;
        out.devices.retain(|d| d.container != dev.container);
        out.devices.push(dev);
    }
    for m in &e.mounts {
        if !matches!(m.typ.as_deref(), None | Some("" | "bind")) {
            let t = m.typ.as_deref().unwrap_or_default();
            return Err(unsupported(format!("a mount of type {t}")));
        }
        let host = PathBuf::from(&m.host_path);
        if !host.exists() {
            return Err(CdiError::Device(format!(
                "CDI device {name}: mount source {} does not exist",
                host.display()
            )));
        }
        let mut options = m.options.clone();
        if !options.iter().any(|o| o == "bind" || o == "rbind") {
            options.push("rbind".into());
        }
        out.mounts.push(MountEdit {
            host,
            container: m.container_path.clone(),
            options,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(name), text).unwrap();
    }

    const SPEC: &str = r#"
cdiVersion: 0.6.0
kind: test.example/dev
containerEdits:
  env: [FROM_SPEC=1]
devices:
  - name: d1
    containerEdits:
      env: [D1=yes]
      deviceNodes: [{path: /dev/mynull, hostPath: /dev/null, permissions: r}]
      mounts: [{hostPath: /etc, containerPath: /host-etc, options: [ro]}]
  - name: d2
    containerEdits:
      deviceNodes: [{path: /dev/zero}]
"#;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn resolves_devices_and_spec_edits() {
        let td = tempfile::tempdir().unwrap();
        let user = td.path().join("user");
        write(&user, "test.yaml", SPEC);
        let r = Registry::load(&[td.path().join("none"), user]);
        let e = r.resolve(&names(&["test.example/dev=d1"])).unwrap();
        assert_eq!(e.env, ["D1=yes", "FROM_SPEC=1"]);
        assert_eq!(e.devices.len(), 1);
        assert_eq!(e.devices[0].host, Path::new("/dev/null"));
        assert_eq!(e.devices[0].container, Path::new("/dev/mynull"));
        assert_eq!(e.mounts[0].options, ["ro", "rbind"]);
        let all = r.resolve(&names(&["test.example/dev=all"])).unwrap();
        let paths: Vec<_> = all.devices.iter().map(|d| d.container.clone()).collect();
        assert_eq!(paths, [PathBuf::from("/dev/mynull"), "/dev/zero".into()]);
        assert_eq!(all.env, ["D1=yes", "FROM_SPEC=1"], "spec edits once");
    }

    #[test]
    fn unknown_names_list_what_is_known() {
        let td = tempfile::tempdir().unwrap();
        write(
            td.path(),
            "test.json",
            &serde_json::to_string(&serde_yaml_ng::from_str::<serde_json::Value>(SPEC).unwrap())
                .unwrap(),
        );
        let r = Registry::load(&[td.path().into()]);
        let e = r.resolve(&names(&["test.example/dev=nope"])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown CDI device test.example/dev=nope: test.example/dev has d1, d2 (and all)"
        );
        let e = r.resolve(&names(&["other.example/x=y"])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown CDI device kind other.example/x: known kinds: test.example/dev"
        );
        let empty = Registry::load(&[td.path().join("missing")]);
        let e = empty.resolve(&names(&["a.b/c=d"])).unwrap_err().to_string();
        assert!(e.contains("no CDI spec files in"), "{e}");
    }

    #[test]
    fn broken_files_conflicts_and_hooks() {
        let td = tempfile::tempdir().unwrap();
        let (low, high) = (td.path().join("etc"), td.path().join("run"));
        write(&low, "a.yaml", SPEC);
        write(&high, "b.yaml", &SPEC.replace("/dev/mynull", "/dev/other"));
        write(&high, "broken.yaml", "cdiVersion: [");
        let r = Registry::load(&[low.clone(), high]);
        let e = r.resolve(&names(&["test.example/dev=d1"])).unwrap();
        assert_eq!(
            e.devices[0].container,
            Path::new("/dev/other"),
            "higher wins"
        );
        assert_eq!(r.warnings().len(), 1);
        let e = r.resolve(&names(&["test.example/dev=zz"])).unwrap_err();
        assert!(e.to_string().starts_with("CDI spec "), "{e}");
        assert!(e.to_string().contains("broken.yaml"), "{e}");
        write(&low, "c.yaml", SPEC);
        let r = Registry::load(std::slice::from_ref(&low));
        let e = r.resolve(&names(&["test.example/dev=d2"])).unwrap_err();
        assert!(matches!(e, CdiError::Conflict { .. }), "{e}");
        let hooked = SPEC.replace(
            "  env: [FROM_SPEC=1]",
            "  hooks: [{hookName: createContainer, path: /usr/bin/nvidia-ctk}]",
        );
        let d = td.path().join("hooks");
        write(&d, "h.yaml", &hooked);
        let e = Registry::load(&[d]).resolve(&names(&["test.example/dev=d2"]));
        let e = e.unwrap_err().to_string();
        assert!(
            e.contains("createContainer hook /usr/bin/nvidia-ctk"),
            "{e}"
        );
    }
}
