//! A container's cgroup as podman (through crun) gets one rootless: a transient scope
//! `rctr-<id>.scope` that the user's systemd creates around the container's PID 1, with the
//! limits as unit properties and `Delegate=yes` so the container may divide it further.
//!
//! Older systemd versions refuse properties they do not know; like crun, we drop such a
//! property and try again (a few times), and say which limits went missing.
use super::dbus::{Bus, DbusError, Value};
use super::limits::{Resources, CPU_PERIOD};
use anyhow::{anyhow, bail, Context as _};
use std::path::Path;
use std::time::{Duration, Instant};

const SYSTEMD: &str = "org.freedesktop.systemd1";
const SYSTEMD_PATH: &str = "/org/freedesktop/systemd1";
const MANAGER: &str = "org.freedesktop.systemd1.Manager";
/// Added before the unit is started, so that the end of its job cannot be missed.
const JOB_REMOVED: &str = "type='signal',sender='org.freedesktop.systemd1',\
    interface='org.freedesktop.systemd1.Manager',member='JobRemoved',\
    path='/org/freedesktop/systemd1'";
const UNIT_EXISTS: &str = "org.freedesktop.systemd1.UnitExists";
/// The errors systemd answers a property it cannot set with (the name depends on its age).
const REFUSALS: [&str; 3] = [
    "org.freedesktop.DBus.Error.PropertyReadOnly",
    "org.freedesktop.DBus.Error.UnknownProperty",
    "org.freedesktop.DBus.Error.InvalidArgs",
];
/// Without these the scope is no use: better to fail than to run outside it.
const ESSENTIAL: [&str; 2] = ["PIDs", "Delegate"];
const MAX_DROPS: usize = 3;
/// AllowedCPUs/AllowedMemoryNodes: far beyond any machine, small enough for a byte mask.
const MAX_CPUS: usize = 8192;

/// The scope the container runs in, and the limits (as flag names) systemd refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub unit: String,
    pub dropped: Vec<&'static str>,
}

/// One unit property, as StartTransientUnit takes it.
type Property = (&'static str, Value);

pub fn unit_name(id: &str) -> String {
    format!("rctr-{id}.scope")
}

/// A kernel CPU or node list (`0-2,4`) as systemd's AllowedCPUs wants it: bit n of byte n/8.
pub fn cpu_mask(list: &str) -> anyhow::Result<Vec<u8>> {
    let bad = || anyhow!("invalid CPU list {list:?}: expected a list such as 0-2,4");
    let num = |s: &str| -> anyhow::Result<usize> {
        let n = Some(s.trim())
            .filter(|s| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|s| s.parse().ok());
        n.filter(|n| *n < MAX_CPUS).ok_or_else(bad)
    };
    let mut mask = Vec::new();
    for part in list.split(',') {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let (a, b) = (num(a)?, num(b)?);
        if a > b {
            return Err(bad());
        }
        if mask.len() <= b / 8 {
            mask.resize(b / 8 + 1, 0);
        }
        for n in a..=b {
            mask[n / 8] |= 1 << (n % 8);
        }
    }
    Ok(mask)
}

/// The flag a limit property comes from; `None` for the others, whose loss is not the
/// user's concern (CPUQuotaPeriodUSec: systemd's default period is the same 100 ms).
fn flag_of(property: &str) -> Option<&'static str> {
    Some(match property {
        "MemoryMax" => "--memory",
        "MemorySwapMax" => "--memory-swap",
        "MemoryLow" => "--memory-reservation",
        "CPUQuotaPerSecUSec" => "--cpus",
        "CPUWeight" => "--cpu-shares",
        "AllowedCPUs" => "--cpuset-cpus",
        "AllowedMemoryNodes" => "--cpuset-mems",
        "TasksMax" => "--pids-limit",
        _ => return None,
    })
}

/// The property systemd refused, from its error (`Cannot set property X, or unknown
/// property.`); `None` for any other error.
fn refused_property<'a>(name: &str, message: &'a str) -> Option<&'a str> {
    if !REFUSALS.contains(&name) {
        return None;
    }
    let rest = message.strip_prefix("Cannot set property ")?;
    let prop = rest.split(|c: char| !c.is_ascii_alphanumeric()).next()?;
    Some(prop).filter(|p| !p.is_empty())
}

/// The unit's properties: the scope itself, then one per limit set.
fn properties(
    id: &str,
    pid: i32,
    res: &Resources,
    slice: Option<&str>,
) -> anyhow::Result<Vec<Property>> {
    let pid = u32::try_from(pid)
        .ok()
        .filter(|p| *p > 0)
        .with_context(|| format!("invalid PID {pid} for scope {}", unit_name(id)))?;
    let text = |s: &str| Value::Str(s.into());
    let mut p = vec![
        ("Description", text(&format!("rctr container {id}"))),
        ("PIDs", Value::Array("u".into(), vec![Value::U32(pid)])),
        ("Delegate", Value::Bool(true)),
        // Gone once stopped, failed or not: a later start with this id is not refused.
        ("CollectMode", text("inactive-or-failed")),
        ("DefaultDependencies", Value::Bool(false)),
        // One process of the container killed for memory does not stop the others.
        ("OOMPolicy", text("continue")),
    ];
    if let Some(s) = slice {
        p.push(("Slice", text(s)));
    }
    let mut limit = |name, v: Option<u64>| {
        if let Some(v) = v {
            p.push((name, Value::U64(v)));
        }
    };
    limit("MemoryMax", res.memory);
    // podman's --memory-swap is memory plus swap; systemd's, like the cgroup's, swap alone.
    let swap = res.memory_swap.map(|s| match u64::try_from(s) {
        Ok(s) => s.saturating_sub(res.memory.unwrap_or(0)),
        Err(_) => u64::MAX,
    });
    limit("MemorySwapMax", swap);
    limit("MemoryLow", res.memory_reservation);
    limit(
        "CPUQuotaPerSecUSec",
        res.cpu_quota.map(|q| q * 1_000_000 / CPU_PERIOD),
    );
    limit("CPUQuotaPeriodUSec", res.cpu_quota.map(|_| CPU_PERIOD));
    limit("CPUWeight", res.cpu_weight());
    let tasks = res
        .pids_limit
        .map(|n| u64::try_from(n).ok().filter(|n| *n > 0));
    limit("TasksMax", tasks.map(|n| n.unwrap_or(u64::MAX)));
    let bytes = |m: Vec<u8>| Value::Array("y".into(), m.into_iter().map(Value::Byte).collect());
    if let Some(c) = &res.cpuset_cpus {
        p.push(("AllowedCPUs", bytes(cpu_mask(c).context("--cpuset-cpus")?)));
    }
    if let Some(m) = &res.cpuset_mems {
        p.push((
            "AllowedMemoryNodes",
            bytes(cpu_mask(m).context("--cpuset-mems")?),
        ));
    }
    Ok(p)
}

/// StartTransientUnit's arguments: name, mode, properties, auxiliary units (none).
fn start_args(unit: &str, props: &[Property]) -> [Value; 4] {
    let props = props.iter().map(|(name, v)| {
        Value::Struct(vec![
            Value::Str(name.to_string()),
            Value::Variant(Box::new(v.clone())),
        ])
    });
    [
        Value::Str(unit.into()),
        // Fail rather than queue behind, or replace, a job on a unit of that name.
        Value::Str("fail".into()),
        Value::Array("(sv)".into(), props.collect()),
        Value::Array("(sa(sv))".into(), Vec::new()),
    ]
}

/// A connection to the user's systemd on the bus at `bus` (authenticating as `uid`, the
/// caller's real uid on the host), already subscribed to JobRemoved, so that no job's end can
/// be missed. Made ahead of [`start_scope_on`], while the container's namespaces are set up:
/// its round trips are then off the start's critical path.
pub fn connect(bus: &Path, uid: u32, timeout: Duration) -> anyhow::Result<Bus> {
    let failed = || "connecting to the systemd user manager".to_string();
    let mut bus = Bus::connect_timeout(bus, uid, timeout).with_context(failed)?;
    bus.add_match(JOB_REMOVED).with_context(failed)?;
    Ok(bus)
}

/// Place `pid` in a new scope `rctr-<id>.scope` holding the limits `res`, through the
/// systemd user manager on the bus at `bus`, within `timeout` in all.
pub fn start_scope(
    bus: &Path,
    uid: u32,
    id: &str,
    pid: i32,
    res: &Resources,
    slice: Option<&str>,
    timeout: Duration,
) -> anyhow::Result<Scope> {
    let mut bus = connect(bus, uid, timeout)?;
    start_scope_on(&mut bus, id, pid, res, slice, timeout)
}

/// [`start_scope`] on a connection from [`connect`].
pub fn start_scope_on(
    bus: &mut Bus,
    id: &str,
    pid: i32,
    res: &Resources,
    slice: Option<&str>,
    timeout: Duration,
) -> anyhow::Result<Scope> {
    let now = Instant::now();
    let until = now
        .checked_add(timeout)
        .unwrap_or(now + Duration::from_secs(3600));
    let unit = unit_name(id);
    let failed = || format!("systemd could not start scope {unit}");
    let props = properties(id, pid, res, slice)?;
    let (job, dropped) = start_unit(bus, &unit, props, until).with_context(failed)?;
    let left = until.saturating_duration_since(Instant::now());
    let end = bus.wait_signal(left, |m| {
        m.is_signal(MANAGER, "JobRemoved")
            && m.path.as_deref() == Some(SYSTEMD_PATH)
            && m.signature == "uoss"
            && m.str_arg(1) == Some(job.as_str())
    });
    let end = match end {
        Err(DbusError::Timeout) => bail!("{}: job {job} did not end within {timeout:?}", failed()),
        r => r.with_context(failed)?,
    };
    match end.str_arg(3) {
        Some("done") => Ok(Scope { unit, dropped }),
        result => bail!("{}: job {}", failed(), result.unwrap_or("?")),
    }
}

/// StartTransientUnit, retried past a failed unit of the same name and past refused
/// properties: the job's object path, and the limits dropped on the way.
fn start_unit(
    bus: &mut Bus,
    unit: &str,
    mut props: Vec<Property>,
    until: Instant,
) -> anyhow::Result<(String, Vec<&'static str>)> {
    let mut dropped = Vec::new();
    let mut drops = 0;
    let mut reset = false;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        let args = start_args(unit, &props);
        let sig = "ssa(sv)a(sa(sv))";
        let err = match bus.call(
            SYSTEMD,
            SYSTEMD_PATH,
            MANAGER,
            "StartTransientUnit",
            sig,
            &args,
            left,
        ) {
            Ok(reply) if reply.signature == "o" => {
                return Ok((reply.str_arg(0).unwrap_or_default().to_string(), dropped))
            }
            Ok(reply) => bail!(
                "StartTransientUnit returned {:?}, not a job",
                reply.signature
            ),
            Err(e) => e,
        };
        let DbusError::Remote { name, message } = &err else {
            return Err(err.into());
        };
        if name == UNIT_EXISTS && !reset {
            // A scope left failed by an earlier run under this id: systemd keeps it until
            // reset (an active one stays, and the retry says so).
            reset = true;
            let arg = [Value::Str(unit.into())];
            bus.call(
                SYSTEMD,
                SYSTEMD_PATH,
                MANAGER,
                "ResetFailedUnit",
                "s",
                &arg,
                left,
            )?;
            continue;
        }
        let refused = refused_property(name, message)
            .filter(|p| !ESSENTIAL.contains(p))
            .and_then(|p| props.iter().position(|(k, _)| *k == p));
        match refused {
            Some(i) if drops < MAX_DROPS => {
                let (prop, _) = props.remove(i);
                drops += 1;
                if let Some(flag) = flag_of(prop).filter(|f| !dropped.contains(f)) {
                    dropped.push(flag);
                }
            }
            _ => return Err(err.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cgroups::dbus::{testbus, Kind, Message};

    fn names(props: &[Property]) -> Vec<&str> {
        props.iter().map(|(k, _)| *k).collect()
    }

    fn get<'a>(props: &'a [Property], name: &str) -> &'a Value {
        &props.iter().find(|(k, _)| *k == name).unwrap().1
    }

    #[test]
    fn cpu_lists_become_byte_masks() {
        assert_eq!(cpu_mask("0-2,4").unwrap(), [0b1_0111]);
        assert_eq!(cpu_mask("9").unwrap(), [0, 0b10]);
        assert_eq!(cpu_mask("7-8").unwrap(), [0x80, 1]);
        assert_eq!(cpu_mask("0,0-1").unwrap(), [0b11]);
        for bad in ["", "1-", "-1", "3-1", "a", "1,,2", "+1", "99999"] {
            let e = cpu_mask(bad).unwrap_err().to_string();
            assert_eq!(
                e,
                format!("invalid CPU list {bad:?}: expected a list such as 0-2,4")
            );
        }
    }

    #[test]
    fn limits_become_unit_properties() {
        let res = Resources {
            memory: Some(64 << 20),
            memory_swap: Some(96 << 20),
            memory_reservation: Some(32 << 20),
            cpu_quota: Some(150_000),
            cpu_shares: Some(1024),
            cpuset_cpus: Some("0-1".into()),
            cpuset_mems: Some("0".into()),
            pids_limit: Some(-1),
        };
        let p = properties("abc", 42, &res, Some("user.slice")).unwrap();
        assert_eq!(
            names(&p)[..7],
            [
                "Description",
                "PIDs",
                "Delegate",
                "CollectMode",
                "DefaultDependencies",
                "OOMPolicy",
                "Slice"
            ]
        );
        assert_eq!(
            get(&p, "Description"),
            &Value::Str("rctr container abc".into())
        );
        assert_eq!(
            get(&p, "PIDs"),
            &Value::Array("u".into(), vec![Value::U32(42)])
        );
        assert_eq!(get(&p, "MemoryMax"), &Value::U64(64 << 20));
        assert_eq!(get(&p, "MemorySwapMax"), &Value::U64(32 << 20));
        assert_eq!(get(&p, "MemoryLow"), &Value::U64(32 << 20));
        assert_eq!(get(&p, "CPUQuotaPerSecUSec"), &Value::U64(1_500_000));
        assert_eq!(get(&p, "CPUQuotaPeriodUSec"), &Value::U64(100_000));
        assert_eq!(get(&p, "CPUWeight"), &Value::U64(39));
        assert_eq!(get(&p, "TasksMax"), &Value::U64(u64::MAX));
        assert_eq!(
            get(&p, "AllowedCPUs"),
            &Value::Array("y".into(), vec![Value::Byte(3)])
        );
        // Every value is marshalled the way StartTransientUnit's signature says.
        crate::cgroups::dbus::encode("ssa(sv)a(sa(sv))", &start_args("u", &p)).unwrap();

        let unlimited = Resources {
            memory: Some(1 << 30),
            memory_swap: Some(-1),
            pids_limit: Some(0),
            ..Default::default()
        };
        let p = properties("x", 1, &unlimited, None).unwrap();
        assert!(!names(&p).contains(&"Slice"));
        assert_eq!(get(&p, "MemorySwapMax"), &Value::U64(u64::MAX));
        assert_eq!(get(&p, "TasksMax"), &Value::U64(u64::MAX));
        assert_eq!(
            properties("x", 1, &Resources::default(), None)
                .unwrap()
                .len(),
            6
        );
        assert!(properties("x", 0, &Resources::default(), None).is_err());
        let bad = Resources {
            cpuset_mems: Some("1-0".into()),
            ..Default::default()
        };
        let e = format!("{:#}", properties("x", 1, &bad, None).unwrap_err());
        assert!(e.starts_with("--cpuset-mems: invalid CPU list"), "{e}");
    }

    #[test]
    fn refused_properties_are_named_and_mapped_to_flags() {
        let msg = "Cannot set property CPUQuotaPeriodUSec, or unknown property.";
        for name in REFUSALS {
            assert_eq!(refused_property(name, msg), Some("CPUQuotaPeriodUSec"));
        }
        assert_eq!(
            refused_property(REFUSALS[0], "Cannot set property X"),
            Some("X")
        );
        assert_eq!(
            refused_property("org.freedesktop.DBus.Error.AccessDenied", msg),
            None
        );
        assert_eq!(refused_property(REFUSALS[2], "Invalid unit name"), None);
        assert_eq!(flag_of("MemoryMax"), Some("--memory"));
        assert_eq!(flag_of("AllowedMemoryNodes"), Some("--cpuset-mems"));
        assert_eq!(flag_of("CPUQuotaPerSecUSec"), Some("--cpus"));
        assert_eq!(flag_of("CPUQuotaPeriodUSec"), None);
        assert_eq!(flag_of("OOMPolicy"), None);
        assert_eq!(unit_name("f00"), "rctr-f00.scope");
    }

    const SECOND: Duration = Duration::from_secs(5);
    const JOB: &str = "/org/freedesktop/systemd1/job/42";

    fn uid() -> u32 {
        nix::unistd::getuid().as_raw()
    }

    fn refuse(bus: &mut Bus, m: &Message, name: &str, text: &str) {
        bus.reply(m, Err((name, text))).unwrap();
    }

    fn job_removed(bus: &mut Bus, job: &str, result: &str) {
        let body = [
            Value::U32(42),
            Value::ObjPath(job.into()),
            Value::Str("u".into()),
            Value::Str(result.into()),
        ];
        bus.emit_signal(SYSTEMD_PATH, MANAGER, "JobRemoved", "uoss", &body)
            .unwrap();
    }

    /// A stand-in for the systemd manager on a private bus: owns its name and answers each
    /// call with `answer` (a thread: the test's, not the monitor's) until that says done;
    /// then hands back the calls it got.
    fn fake_systemd(
        socket: &Path,
        mut answer: impl FnMut(&mut Bus, &Message, usize) -> bool + Send + 'static,
    ) -> std::thread::JoinHandle<Vec<Message>> {
        let mut bus = Bus::connect(socket, uid()).unwrap();
        let args = [Value::Str(SYSTEMD.into()), Value::U32(4)];
        let r = bus
            .call(
                "org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus",
                "RequestName",
                "su",
                &args,
                SECOND,
            )
            .unwrap();
        assert_eq!(r.body, [Value::U32(1)], "primary owner");
        std::thread::spawn(move || {
            let mut calls = Vec::new();
            loop {
                let m = bus.recv(SECOND).unwrap();
                if m.kind != Kind::MethodCall {
                    continue;
                }
                calls.push(m.clone());
                if answer(&mut bus, &m, calls.len()) {
                    return calls;
                }
            }
        })
    }

    fn props_of(call: &Message) -> Vec<String> {
        let Value::Array(_, props) = &call.body[2] else {
            panic!("{call:?}")
        };
        props
            .iter()
            .map(|p| match p {
                Value::Struct(f) => f[0].as_str().unwrap().to_string(),
                _ => panic!("{p:?}"),
            })
            .collect()
    }

    #[test]
    fn a_scope_is_started_past_a_failed_unit_and_refused_limits() {
        let Some(d) = testbus::start("a_scope_is_started_past_a_failed_unit_and_refused_limits")
        else {
            return;
        };
        let fake = fake_systemd(&d.socket, |bus, m, n| {
            let refused = |p: &str| format!("Cannot set property {p}, or unknown property.");
            match n {
                1 => refuse(bus, m, UNIT_EXISTS, "Unit rctr-c1.scope already exists."),
                2 => bus.reply(m, Ok(("", &[]))).unwrap(), // ResetFailedUnit
                3 => refuse(bus, m, REFUSALS[0], &refused("CPUQuotaPeriodUSec")),
                4 => refuse(bus, m, REFUSALS[1], &refused("MemorySwapMax")),
                _ => {
                    // The job ends before its reply is sent: the client must queue it.
                    job_removed(bus, "/org/freedesktop/systemd1/job/41", "failed");
                    job_removed(bus, JOB, "done");
                    bus.reply(m, Ok(("o", &[Value::ObjPath(JOB.into())])))
                        .unwrap();
                    return true;
                }
            }
            false
        });
        let res = Resources {
            memory: Some(64 << 20),
            memory_swap: Some(128 << 20),
            cpu_quota: Some(50_000),
            ..Default::default()
        };
        let scope = start_scope(&d.socket, uid(), "c1", 4242, &res, None, SECOND).unwrap();
        assert_eq!(
            scope,
            Scope {
                unit: "rctr-c1.scope".into(),
                dropped: vec!["--memory-swap"]
            }
        );
        let calls = fake.join().unwrap();
        let members: Vec<_> = calls.iter().map(|c| c.member.clone().unwrap()).collect();
        assert_eq!(
            members,
            [
                "StartTransientUnit",
                "ResetFailedUnit",
                "StartTransientUnit",
                "StartTransientUnit",
                "StartTransientUnit"
            ]
        );
        assert_eq!(calls[1].body, [Value::Str("rctr-c1.scope".into())]);
        assert_eq!(calls[0].str_arg(0), Some("rctr-c1.scope"));
        assert_eq!(calls[0].str_arg(1), Some("fail"));
        assert!(props_of(&calls[0]).contains(&"CPUQuotaPeriodUSec".into()));
        let last = props_of(&calls[4]);
        assert!(
            !last.contains(&"CPUQuotaPeriodUSec".into()) && !last.contains(&"MemorySwapMax".into())
        );
        assert!(last.contains(&"CPUQuotaPerSecUSec".into()) && last.contains(&"PIDs".into()));
    }

    #[test]
    fn a_failed_job_or_a_refused_delegate_fails_in_one_line() {
        let Some(d) = testbus::start("a_failed_job_or_a_refused_delegate_fails_in_one_line") else {
            return;
        };
        let fake = fake_systemd(&d.socket, |bus, m, n| {
            if n == 1 {
                bus.reply(m, Ok(("o", &[Value::ObjPath(JOB.into())])))
                    .unwrap();
                job_removed(bus, JOB, "failed");
                return false;
            }
            let text = "Cannot set property Delegate, or unknown property.";
            refuse(bus, m, REFUSALS[0], text);
            true
        });
        let res = Resources::default();
        let e = start_scope(&d.socket, uid(), "c2", 7, &res, None, SECOND).unwrap_err();
        assert_eq!(
            format!("{e:#}"),
            "systemd could not start scope rctr-c2.scope: job failed"
        );
        let e = start_scope(&d.socket, uid(), "c2", 7, &res, None, SECOND).unwrap_err();
        assert_eq!(format!("{e:#}"), "systemd could not start scope rctr-c2.scope: org.freedesktop.DBus.Error.PropertyReadOnly: Cannot set property Delegate, or unknown property.");
        assert!(e
            .chain()
            .any(|c| matches!(c.downcast_ref(), Some(DbusError::Remote { .. }))));
        fake.join().unwrap();
        // With nobody owning the name, the daemon's own error at once (no activation).
        let e = start_scope(&d.socket, uid(), "c3", 7, &res, None, SECOND).unwrap_err();
        let e = format!("{e:#}");
        assert!(e.starts_with("systemd could not start scope rctr-c3.scope: org.freedesktop.DBus.Error.NameHasNoOwner"), "{e}");
        assert!(!e.contains('\n'));
    }
}
