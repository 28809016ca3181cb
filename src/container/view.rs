//! How containers look to users: podman's `ps` rows (JSON and template fields), status
//! texts, port strings, and the `inspect` document. Built from the record alone: `ps` never
//! reads the OCI spec or the image store.
use super::{Container, MountKind, PortMapping, State, Status};
use crate::format::{human_duration, seconds_since};
use serde_json::{json, Map, Value};

/// podman's STATUS column: "Created", "Up 5 seconds", "Exited (0) 3 seconds ago".
pub fn status_text(s: &State) -> String {
    match s.status {
        Status::Created => "Created".into(),
        Status::Running => {
            format!(
                "Up {}",
                human_duration(seconds_since(s.started_at.as_deref().unwrap_or("")))
            )
        }
        Status::Exited => format!(
            "Exited ({}) {} ago",
            s.exit_code.unwrap_or(0),
            human_duration(seconds_since(s.finished_at.as_deref().unwrap_or("")))
        ),
        Status::Unknown => "Unknown".into(),
    }
}

/// podman's PORTS column: `0.0.0.0:8080->80/tcp, 127.0.0.1:9000-9001->9000-9001/udp`.
pub fn ports_text(ports: &[PortMapping]) -> String {
    ports
        .iter()
        .map(|p| {
            let ip = if p.host_ip.is_empty() {
                "0.0.0.0"
            } else {
                &p.host_ip
            };
            let proto = if p.protocol.is_empty() {
                "tcp"
            } else {
                &p.protocol
            };
            if p.range > 1 {
                format!(
                    "{ip}:{}-{}->{}-{}/{proto}",
                    p.host_port,
                    p.host_port as u32 + p.range as u32 - 1,
                    p.container_port,
                    p.container_port as u32 + p.range as u32 - 1
                )
            } else {
                format!("{ip}:{}->{}/{proto}", p.host_port, p.container_port)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn unix(t: Option<&str>) -> i64 {
    t.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.timestamp())
        .unwrap_or(-62135596800) // Go's zero time, as podman prints for "never"
}

fn labels(c: &Container) -> Value {
    if c.rec.config.labels.is_empty() {
        Value::Null
    } else {
        json!(c.rec.config.labels)
    }
}

/// `ps --format json`: podman's ListContainer shape.
pub fn ps_json(c: &Container, s: &State) -> Value {
    let r = &c.rec;
    json!({
        "AutoRemove": r.auto_remove,
        "Command": r.command,
        "CreatedAt": format!("{} ago", human_duration(seconds_since(&r.created))),
        "Exited": s.status == Status::Exited,
        "ExitedAt": unix(s.finished_at.as_deref()),
        "ExitCode": s.exit_code.unwrap_or(0),
        "Id": r.id,
        "Image": r.image,
        "ImageID": r.image_id,
        "IsInfra": false,
        "Labels": labels(c),
        "Mounts": r.mounts.iter().map(|m| m.destination.clone()).collect::<Vec<_>>(),
        "Names": [r.name],
        "Namespaces": {},
        "Networks": [],
        "Pid": if s.status == Status::Running { s.pid.unwrap_or(0) } else { 0 },
        "Pod": "",
        "PodName": "",
        "Ports": if r.ports.is_empty() { Value::Null } else { json!(r.ports) },
        "Size": null,
        "StartedAt": unix(s.started_at.as_deref()),
        "State": s.status.as_str(),
        "Status": status_text(s),
        "Created": unix(Some(&r.created)),
    })
}

/// Fields a `ps --format` template sees (podman's psReporter: strings where the table
/// shows strings, the raw JSON fields otherwise).
pub fn ps_fields(c: &Container, s: &State, no_trunc: bool) -> Value {
    let mut v = ps_json(c, s);
    let r = &c.rec;
    let cmd = r.command.join(" ");
    let cmd = if !no_trunc && cmd.chars().count() > 17 {
        format!("{}...", cmd.chars().take(17).collect::<String>())
    } else {
        cmd
    };
    let created = go_time_string(&r.created);
    let ago = format!("{} ago", human_duration(seconds_since(&r.created)));
    if let Value::Object(m) = &mut v {
        let id = if no_trunc {
            r.id.clone()
        } else {
            r.id[..12].to_string()
        };
        m.insert("ID".into(), json!(id));
        m.insert("Command".into(), json!(cmd));
        m.insert("CreatedAt".into(), json!(created));
        m.insert("CreatedHuman".into(), json!(ago));
        m.insert("RunningFor".into(), json!(ago));
        m.insert("Names".into(), json!(r.name));
        m.insert("Ports".into(), json!(ports_text(&r.ports)));
        m.insert("Networks".into(), json!(""));
        m.insert("Restarts".into(), json!(s.restart_count));
        m.insert("Size".into(), json!(""));
        if m.get("Labels").is_some_and(Value::is_null) {
            m.insert("Labels".into(), json!({}));
        }
    }
    v
}

/// Go's `time.Time.String()` in UTC: `2024-01-02 15:04:05.123456789 +0000 UTC` (trailing
/// zeros of the fraction dropped), what podman's `{{.CreatedAt}}` prints.
pub fn go_time_string(rfc3339: &str) -> String {
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(rfc3339) else {
        return String::new();
    };
    let t = t.with_timezone(&chrono::Utc);
    let frac = format!("{:09}", t.timestamp_subsec_nanos());
    let frac = frac.trim_end_matches('0');
    let dot = if frac.is_empty() { "" } else { "." };
    format!("{}{dot}{frac} +0000 UTC", t.format("%Y-%m-%d %H:%M:%S"))
}

fn opt(s: &Option<String>) -> Value {
    json!(s.as_deref().unwrap_or("0001-01-01T00:00:00Z"))
}

/// `inspect` of a container: podman's document shape (fields rctr knows).
pub fn inspect_json(c: &Container) -> Value {
    let r = &c.rec;
    let s = c.state();
    let running = s.status == Status::Running;
    let mut ports = Map::new();
    for p in &r.ports {
        let proto = if p.protocol.is_empty() {
            "tcp"
        } else {
            &p.protocol
        };
        for i in 0..p.range.max(1) {
            let key = format!("{}/{proto}", p.container_port as u32 + i as u32);
            let bind = json!({"HostIp": p.host_ip, "HostPort": (p.host_port as u32 + i as u32).to_string()});
            match ports.get_mut(&key) {
                Some(Value::Array(a)) => a.push(bind),
                _ => {
                    ports.insert(key, json!([bind]));
                }
            }
        }
    }
    let (path, args) = match r.command.split_first() {
        Some((p, a)) => (p.clone(), a.to_vec()),
        None => (String::new(), Vec::new()),
    };
    let mounts: Vec<Value> = r
        .mounts
        .iter()
        .map(|m| {
            json!({
                "Type": m.kind, "Name": m.name, "Source": m.source, "Destination": m.destination,
                "Driver": if m.kind == MountKind::Volume { "local" } else { "" },
                "Mode": "", "Options": m.options, "RW": m.rw, "Propagation": "rprivate",
            })
        })
        .collect();
    // The spec holds what was finally decided (image env merged, hostname, capabilities).
    let spec: Value = std::fs::read(c.spec_path())
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null);
    let env = match spec.pointer("/process/env") {
        Some(Value::Array(a)) if !a.is_empty() => Value::Array(a.clone()),
        _ => json!(r.config.env),
    };
    let hostname = match spec.pointer("/hostname").and_then(Value::as_str) {
        Some(h) if !h.is_empty() => h.to_string(),
        _ if !r.config.hostname.is_empty() => r.config.hostname.clone(),
        _ => r.id[..12].to_string(),
    };
    let caps = |set: &str| -> Value {
        let mut v: Vec<String> = spec
            .pointer(&format!("/process/capabilities/{set}"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        json!(v)
    };
    let mut annotations = r.config.annotations.clone();
    annotations.insert(
        "io.podman.annotations.autoremove".into(),
        if r.auto_remove { "TRUE" } else { "FALSE" }.into(),
    );
    let config = json!({
        "Hostname": hostname,
        "Domainname": "",
        "User": r.config.user,
        "AttachStdin": false,
        "AttachStdout": false,
        "AttachStderr": false,
        "Tty": r.config.tty,
        "OpenStdin": r.config.interactive,
        "StdinOnce": false,
        "Env": env,
        "Cmd": r.config.cmd,
        "Image": r.image,
        "Volumes": null,
        "WorkingDir": if r.config.working_dir.is_empty() { "/" } else { &r.config.working_dir },
        "Entrypoint": r.config.entrypoint.join(" "),
        "OnBuild": null,
        "Labels": labels(c),
        "Annotations": annotations,
        "StopSignal": r.config.stop_signal,
        "CreateCommand": r.create_command,
        "StopTimeout": r.config.stop_timeout,
    });
    let state = json!({
        "OciVersion": "1.0.2",
        "Status": s.status.as_str(),
        "Running": running,
        "Paused": false,
        "Restarting": false,
        "OOMKilled": s.oom_killed,
        "Dead": false,
        "Pid": if running { s.pid.unwrap_or(0) } else { 0 },
        "ConmonPid": if running { s.monitor_pid.unwrap_or(0) } else { 0 },
        "ExitCode": s.exit_code.unwrap_or(0),
        "Error": s.error.clone().unwrap_or_default(),
        "StartedAt": opt(&s.started_at),
        "FinishedAt": opt(&s.finished_at),
    });
    json!({
        "Id": r.id,
        "Created": r.created,
        "Path": path,
        "Args": args,
        "State": state,
        "Image": r.image_id,
        "ImageName": r.image,
        "Rootfs": "",
        "Pod": "",
        "OCIConfigPath": c.spec_path(),
        "OCIRuntime": "rctr",
        "ConmonPidFile": c.run_dir().join("monitor.pid"),
        "PidFile": c.run_dir().join("pidfile"),
        "LogPath": c.log_path(),
        "Name": r.name,
        "RestartCount": s.restart_count,
        "Driver": "overlay",
        "EffectiveCaps": caps("effective"),
        "BoundingCaps": caps("bounding"),
        "Mounts": mounts,
        "NetworkSettings": { "Ports": ports },
        "Config": config,
        "HostConfig": host_config(c, &ports),
    })
}

/// inspect's `HostConfig`.
fn host_config(c: &Container, ports: &Map<String, Value>) -> Value {
    let r = &c.rec;
    let res = &r.resources;
    // "" when the container stays in the caller's cgroup (podman always has a manager).
    let cgroup_manager = r.cgroup.as_ref().map_or("", |p| p.manager.as_str());
    let cgroup_parent = r.cgroup.as_ref().and_then(|p| p.parent.clone());
    let cgroup_parent = cgroup_parent.unwrap_or_default();
    json!({
        "Binds": r.mounts.iter().filter(|m| m.kind == MountKind::Bind).map(|m| {
            format!("{}:{}{}", m.source, m.destination, if m.rw { "" } else { ":ro" })
        }).collect::<Vec<_>>(),
        "Devices": r.devices.iter().map(|d| json!({
            "PathOnHost": d.host,
            "PathInContainer": d.container,
            "CgroupPermissions": d.permissions,
        })).collect::<Vec<_>>(),
        "LogConfig": {
            "Type": "k8s-file",
            "Path": c.log_path(),
            "Tag": r.log.tag.clone().unwrap_or_default(),
            "Size": log_size(r.log.cap()),
        },
        "Memory": res.memory.unwrap_or(0),
        "MemorySwap": res.memory_swap.unwrap_or(0),
        "MemoryReservation": res.memory_reservation.unwrap_or(0),
        "NanoCpus": res.cpu_quota.map_or(0, |q| q * 1_000_000_000 / crate::cgroups::limits::CPU_PERIOD),
        "CpuPeriod": res.cpu_quota.map_or(0, |_| crate::cgroups::limits::CPU_PERIOD),
        "CpuQuota": res.cpu_quota.unwrap_or(0),
        "CpuShares": res.cpu_shares.unwrap_or(0),
        "CpusetCpus": res.cpuset_cpus.clone().unwrap_or_default(),
        "CpusetMems": res.cpuset_mems.clone().unwrap_or_default(),
        "PidsLimit": res.pids_limit.unwrap_or(0),
        "CgroupManager": cgroup_manager,
        "CgroupParent": cgroup_parent,
        "NetworkMode": match (&r.network, &r.network_container) {
            (crate::container::NetworkMode::Container, Some(id)) => json!(format!("container:{id}")),
            (mode, _) => json!(mode),
        },
        "PortBindings": ports,
        "AutoRemove": r.auto_remove,
        "Privileged": false,
        "ReadonlyRootfs": false,
    })
}

/// The log cap as podman's inspect shows it (go-units `HumanSizeWithPrecision(n, 3)`).
fn log_size(cap: Option<u64>) -> String {
    let Some(n) = cap else {
        return "0B".into();
    };
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit < 6 {
        v /= 1000.0;
        unit += 1;
    }
    let digits = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    let s = format!("{v:.digits$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    format!("{s}{}", ["B", "kB", "MB", "GB", "TB", "PB", "EB"][unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_sizes_as_podman_inspect() {
        assert_eq!(log_size(None), "0B");
        assert_eq!(log_size(Some(10_000_000)), "10MB");
        assert_eq!(log_size(Some(134_217_728)), "134MB");
        assert_eq!(log_size(Some(8192)), "8.19kB");
        assert_eq!(log_size(Some(1_500)), "1.5kB");
    }

    #[test]
    fn ports_and_status_texts() {
        let p = vec![
            PortMapping {
                host_port: 8080,
                container_port: 80,
                range: 1,
                ..Default::default()
            },
            PortMapping {
                host_ip: "127.0.0.1".into(),
                host_port: 9000,
                container_port: 9000,
                range: 2,
                protocol: "udp".into(),
            },
        ];
        assert_eq!(
            ports_text(&p),
            "0.0.0.0:8080->80/tcp, 127.0.0.1:9000-9001->9000-9001/udp"
        );
        let mut s = State::default();
        assert_eq!(status_text(&s), "Created");
        s.status = Status::Exited;
        s.exit_code = Some(3);
        s.finished_at = Some(crate::container::now_rfc3339());
        assert_eq!(status_text(&s), "Exited (3) Less than a second ago");
        s.status = Status::Running;
        s.started_at = Some((chrono::Utc::now() - chrono::Duration::seconds(5)).to_rfc3339());
        assert_eq!(status_text(&s), "Up 5 seconds");
        assert_eq!(
            go_time_string("2026-11-25T11:35:42.175805120Z"),
            "2026-11-25 11:35:42.17580512 +0000 UTC"
        );
        assert_eq!(
            go_time_string("2026-11-25T11:35:42Z"),
            "2026-11-25 11:35:42 +0000 UTC"
        );
    }
}
