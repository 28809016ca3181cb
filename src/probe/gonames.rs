//! podman's `info --format '{{.Host.Kernel}}'` addresses Go struct fields, while the JSON
//! output uses the json tags (`host.kernel`). This turns the JSON keys into the Go field
//! names for template rendering.
use serde_json::{Map, Value};

/// Go field names of podman's `define.Info` whose JSON tag does not capitalize mechanically.
const ALIASES: &[(&str, &str)] = &[
    ("idMappings", "IDMappings"),
    ("uidmap", "UIDMap"),
    ("gidmap", "GIDMap"),
    ("container_id", "ContainerID"),
    ("host_id", "HostID"),
    ("cgroupVersion", "CgroupsVersion"),
    ("ociRuntime", "OCIRuntime"),
    ("cpus", "CPUs"),
    ("os", "OS"),
    ("seccompEnabled", "SECCOMPEnabled"),
    ("seccompProfilePath", "SECCOMPProfilePath"),
    ("selinuxEnabled", "SELinuxEnabled"),
    ("apparmorEnabled", "AppArmorEnabled"),
    ("graphRootAllocated", "GraphRootAllocated"),
];

/// `camelCase` / `snake_case` → `PascalCase`, with podman's initialisms.
pub fn go_name(key: &str) -> String {
    if let Some((_, g)) = ALIASES.iter().find(|(k, _)| *k == key) {
        return g.to_string();
    }
    key.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// Rename every map key recursively (values untouched).
pub fn to_go_names(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (go_name(k), to_go_names(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(to_go_names).collect()),
        o => o.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(go_name("kernel"), "Kernel");
        assert_eq!(go_name("graphRoot"), "GraphRoot");
        assert_eq!(go_name("idMappings"), "IDMappings");
        assert_eq!(go_name("container_id"), "ContainerID");
        assert_eq!(go_name("APIVersion"), "APIVersion");
        let v = to_go_names(&serde_json::json!({"host": {"kernel": "6"}}));
        assert_eq!(v["Host"]["Kernel"], "6");
    }
}
