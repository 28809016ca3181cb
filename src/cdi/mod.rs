//! Devices for a container: podman's `--device` (a host node, `device::DeviceRequest`) and
//! the Container Device Interface (CDI): spec files naming devices `VENDOR/CLASS=NAME` and
//! the edits each brings (device nodes, mounts, environment).
//!
//! This module holds the CDI spec model and its parser; `registry` finds the spec files and
//! resolves names into [`registry::Edits`]. It knows no flags, stores or OCI bundles: the
//! engine turns its results into the container's settings.
pub mod device;
pub mod registry;

pub use device::{Device, DeviceRequest};
pub use registry::{Edits, MountEdit, Registry};

use serde::{Deserialize, Deserializer};
use std::path::{Path, PathBuf};

/// What goes wrong with devices; each is one line for the user.
#[derive(Debug, thiserror::Error)]
pub enum CdiError {
    #[error("CDI spec {}: {problem}", .file.display())]
    Malformed { file: PathBuf, problem: String },
    #[error("invalid CDI device name {name:?}: {why}")]
    BadName { name: String, why: String },
    #[error("unknown CDI device kind {kind}: {known}")]
    UnknownKind { kind: String, known: String },
    #[error("unknown CDI device {name}: {kind} has {known}")]
    UnknownDevice {
        name: String,
        kind: String,
        known: String,
    },
    #[error("CDI device {name} is defined twice: in {} and {}", .a.display(), .b.display())]
    Conflict {
        name: String,
        a: PathBuf,
        b: PathBuf,
    },
    #[error("CDI device {name} ({}): {what} is not supported by rctr", .file.display())]
    Unsupported {
        name: String,
        file: PathBuf,
        what: String,
    },
    #[error("{0}")]
    Device(String),
}

/// A CDI spec file (the fields rctr reads; others are ignored).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Spec {
    #[serde(default)]
    pub cdi_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default, deserialize_with = "null_default")]
    pub devices: Vec<SpecDevice>,
    #[serde(default, deserialize_with = "null_default")]
    pub container_edits: ContainerEdits,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpecDevice {
    #[serde(default)]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub container_edits: ContainerEdits,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerEdits {
    #[serde(default, deserialize_with = "null_default")]
    pub env: Vec<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub device_nodes: Vec<DeviceNode>,
    #[serde(default, deserialize_with = "null_default")]
    pub mounts: Vec<Mount>,
    #[serde(default, deserialize_with = "null_default")]
    pub hooks: Vec<Hook>,
    #[serde(default, rename = "additionalGIDs", deserialize_with = "null_default")]
    pub additional_gids: Vec<u32>,
    #[serde(default)]
    pub intel_rdt: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceNode {
    #[serde(default)]
    pub path: String,
    pub host_path: Option<String>,
    /// `rwm` (cgroup permissions), default all.
    pub permissions: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mount {
    #[serde(default)]
    pub host_path: String,
    #[serde(default)]
    pub container_path: String,
    #[serde(default, deserialize_with = "null_default")]
    pub options: Vec<String>,
    #[serde(rename = "type")]
    pub typ: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Hook {
    #[serde(default)]
    pub hook_name: String,
    #[serde(default)]
    pub path: String,
}

/// Go writes an empty list as `null`: read it as empty.
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// The spec formats by file name (`*.json`, `*.yaml`, `*.yml`); others are not spec files.
pub fn is_spec_file(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("json" | "yaml" | "yml")
    )
}

/// Parse and check one spec file's text.
pub fn parse(file: &Path, text: &str) -> Result<Spec, CdiError> {
    let bad = |problem: String| CdiError::Malformed {
        file: file.to_path_buf(),
        problem,
    };
    let spec: Spec = if file.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(text).map_err(|e| bad(e.to_string()))?
    } else {
        serde_yaml_ng::from_str(text).map_err(|e| bad(e.to_string()))?
    };
    validate(&spec).map_err(bad)?;
    Ok(spec)
}

fn validate(spec: &Spec) -> Result<(), String> {
    let v = &spec.cdi_version;
    let parts: Vec<&str> = v.split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.parse::<u32>().is_err()) {
        return Err(format!(
            "cdiVersion {v:?} is not a version (e.g. \"0.6.0\")"
        ));
    }
    if parts[0] != "0" && parts[0] != "1" {
        return Err(format!("cdiVersion {v} is not one rctr knows (0.x, 1.x)"));
    }
    let (vendor, class) = spec
        .kind
        .split_once('/')
        .ok_or_else(|| format!("kind {:?} is not VENDOR/CLASS", spec.kind))?;
    check_vendor(vendor).map_err(|w| format!("kind {:?}: {w}", spec.kind))?;
    check_class(class).map_err(|w| format!("kind {:?}: {w}", spec.kind))?;
    if spec.devices.is_empty() {
        return Err("no devices".into());
    }
    let mut seen = std::collections::HashSet::new();
    for d in &spec.devices {
        check_device_name(&d.name).map_err(|w| format!("device {:?}: {w}", d.name))?;
        if !seen.insert(d.name.as_str()) {
            return Err(format!("device {} is listed twice", d.name));
        }
        check_edits(&d.container_edits).map_err(|w| format!("device {}: {w}", d.name))?;
    }
    check_edits(&spec.container_edits)
}

fn check_edits(e: &ContainerEdits) -> Result<(), String> {
    if let Some(bad) = e.env.iter().find(|v| !v.contains('=')) {
        return Err(format!("env {bad:?} is not KEY=VALUE"));
    }
    for n in &e.device_nodes {
        if !n.path.starts_with('/') {
            return Err(format!("deviceNodes path {:?} is not absolute", n.path));
        }
        if let Some(p) = n.permissions.as_deref() {
            device::check_permissions(p).map_err(|w| format!("deviceNodes {}: {w}", n.path))?;
        }
    }
    for m in &e.mounts {
        if !m.host_path.starts_with('/') || !m.container_path.starts_with('/') {
            return Err(format!(
                "mount {:?} on {:?}: hostPath and containerPath must be absolute",
                m.host_path, m.container_path
            ));
        }
    }
    Ok(())
}

fn name_chars(s: &str, extra: &str) -> Result<(), String> {
    let mut chars = s.chars();
    match chars.next() {
        None => return Err("empty".into()),
        Some(c) if !c.is_ascii_alphanumeric() => {
            return Err(format!("must start with a letter or digit, not {c:?}"))
        }
        _ => {}
    }
    match s
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && !extra.contains(*c))
    {
        Some(c) => Err(format!("{c:?} is not allowed")),
        None => Ok(()),
    }
}

fn check_vendor(v: &str) -> Result<(), String> {
    name_chars(v, ".-")
}

fn check_class(c: &str) -> Result<(), String> {
    name_chars(c, "_.-")
}

fn check_device_name(n: &str) -> Result<(), String> {
    name_chars(n, "_.:-")
}

/// A qualified name `VENDOR/CLASS=NAME` split into its kind and device name (checked).
pub fn split_qualified(name: &str) -> Result<(&str, &str), CdiError> {
    let bad = |why: String| CdiError::BadName {
        name: name.to_string(),
        why,
    };
    let (kind, dev) = name
        .split_once('=')
        .ok_or_else(|| bad("not VENDOR/CLASS=NAME".into()))?;
    let (vendor, class) = kind
        .split_once('/')
        .ok_or_else(|| bad("not VENDOR/CLASS=NAME".into()))?;
    check_vendor(vendor).map_err(|w| bad(format!("vendor: {w}")))?;
    check_class(class).map_err(|w| bad(format!("class: {w}")))?;
    check_device_name(dev).map_err(|w| bad(format!("device: {w}")))?;
    Ok((kind, dev))
}

/// Whether `s` has the shape of a CDI name rather than a host path (podman's test).
pub fn is_qualified(s: &str) -> bool {
    !s.starts_with('/') && s.contains('/') && s.contains('=')
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = r#"
cdiVersion: "0.6.0"
kind: vendor.example/gpu
containerEdits:
  env: ["TOP=1"]
devices:
  - name: g0
    containerEdits:
      deviceNodes:
        - path: /dev/g0
          hostPath: /dev/null
          permissions: rw
      mounts:
        - hostPath: /opt/lib
          containerPath: /usr/lib/g
          options: [ro, nosuid, nodev, bind]
  - name: g1
    containerEdits:
      env: null
"#;

    #[test]
    fn parses_yaml_and_json() {
        let s = parse(Path::new("/x/a.yaml"), YAML).unwrap();
        assert_eq!(s.kind, "vendor.example/gpu");
        assert_eq!(s.devices.len(), 2);
        let n = &s.devices[0].container_edits.device_nodes[0];
        assert_eq!(
            (n.path.as_str(), n.host_path.as_deref()),
            ("/dev/g0", Some("/dev/null"))
        );
        assert_eq!(s.container_edits.env, ["TOP=1"]);
        let json = r#"{"cdiVersion":"0.5.0","kind":"a.b/c","devices":[{"name":"x","containerEdits":{"env":["A=1"]}}]}"#;
        let s = parse(Path::new("/x/b.json"), json).unwrap();
        assert_eq!(s.devices[0].container_edits.env, ["A=1"]);
    }

    #[test]
    fn malformed_files_name_the_problem() {
        let f = Path::new("/etc/cdi/bad.yaml");
        let cases = [
            ("cdiVersion: 0.6.0\nkind: [", "bad.yaml"),
            ("cdiVersion: \"x\"\nkind: a.b/c\ndevices: [{name: d}]", "cdiVersion"),
            ("cdiVersion: 0.6.0\nkind: nokind\ndevices: [{name: d}]", "VENDOR/CLASS"),
            ("cdiVersion: 0.6.0\nkind: a.b/c\n", "no devices"),
            ("cdiVersion: 0.6.0\nkind: a.b/c\ndevices: [{name: d}, {name: d}]", "twice"),
            (
                "cdiVersion: 0.6.0\nkind: a.b/c\ndevices: [{name: d, containerEdits: {deviceNodes: [{path: dev/x}]}}]",
                "not absolute",
            ),
        ];
        for (text, want) in cases {
            let e = parse(f, text).unwrap_err().to_string();
            assert!(e.starts_with("CDI spec /etc/cdi/bad.yaml: "), "{e}");
            assert!(e.contains(want), "{text:?}: {e}");
            assert!(!e.contains('\n'), "one line: {e}");
        }
    }

    #[test]
    fn qualified_names() {
        assert_eq!(
            split_qualified("nvidia.com/gpu=all").unwrap(),
            ("nvidia.com/gpu", "all")
        );
        assert!(split_qualified("nvidia.com/gpu").is_err());
        assert!(split_qualified("nvidia.com/gpu=a=b").is_err());
        assert!(is_qualified("nvidia.com/gpu=0"));
        assert!(!is_qualified("/dev/null"));
        assert!(!is_qualified("/dev/a=b/c"));
    }
}
