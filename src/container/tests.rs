//! Record lifecycle against a temporary store.
use super::*;
use std::collections::HashMap;
use std::ffi::OsString;

fn ctx(d: &Path) -> Context {
    let env: HashMap<String, OsString> = [
        ("HOME", d.join("home")),
        ("XDG_DATA_HOME", d.join("data")),
        ("XDG_RUNTIME_DIR", d.join("nonexistent-run")),
        ("TMPDIR", d.join("tmp")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_os_string()))
    .collect();
    std::fs::create_dir_all(d.join("tmp")).unwrap();
    Context::from_parts(env, &Default::default()).unwrap()
}

fn opts(name: Option<&str>) -> CreateOptions {
    CreateOptions {
        name: name.map(String::from),
        image: "127.0.0.1:5100/busybox:latest".into(),
        image_id: "f".repeat(64),
        command: vec!["sh".into()],
        ..Default::default()
    }
}

#[test]
fn create_lookup_rename_remove() {
    let d = tempfile::tempdir().unwrap();
    let c = ctx(d.path());
    let a = Container::create(&c, opts(Some("web"))).unwrap();
    assert_eq!(a.rec.state.status, Status::Created);
    assert_eq!(a.rec.config.stop_signal, "SIGTERM");
    assert_eq!(a.rec.config.stop_timeout, 10);
    assert!(a.bundle_dir().is_dir());
    let e = Container::create(&c, opts(Some("web"))).unwrap_err();
    assert!(
        matches!(
            e.downcast_ref::<ContainerError>(),
            Some(ContainerError::NameInUse { .. })
        ),
        "{e}"
    );
    let b = Container::create(&c, opts(None)).unwrap();
    assert!(b.name().contains('_'));
    assert_eq!(Container::list(&c).unwrap().len(), 2);
    // Full ID, name, prefix.
    assert_eq!(Container::lookup(&c, a.id()).unwrap().id(), a.id());
    assert_eq!(Container::lookup(&c, "web").unwrap().id(), a.id());
    assert_eq!(Container::lookup(&c, &a.id()[..10]).unwrap().id(), a.id());
    let e = Container::lookup(&c, "nosuch").unwrap_err();
    assert!(e.to_string().contains("no such container"), "{e}");
    let mut a = Container::lookup(&c, "web").unwrap();
    a.rename(&c, "web2").unwrap();
    assert!(Container::lookup(&c, "web").is_err());
    assert_eq!(Container::lookup(&c, "web2").unwrap().id(), a.id());
    // The old name is free again.
    let x = Container::create(&c, opts(Some("web"))).unwrap();
    x.remove(&c).unwrap();
    a.remove(&c).unwrap();
    let e = a.remove(&c).unwrap_err();
    assert!(
        matches!(
            e.downcast_ref::<ContainerError>(),
            Some(ContainerError::NotFound(_))
        ),
        "{e}"
    );
    assert!(Container::lookup(&c, "web2").is_err());
    assert_eq!(Container::list(&c).unwrap().len(), 1);
    b.remove(&c).unwrap();
    let left: Vec<_> = std::fs::read_dir(containers_root(&c))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}"); // names/ and names.lock only
}

#[test]
fn ambiguous_prefix() {
    let d = tempfile::tempdir().unwrap();
    let c = ctx(d.path());
    let mut ids = Vec::new();
    for _ in 0..40 {
        ids.push(Container::create(&c, opts(None)).unwrap().rec.id);
    }
    // 40 IDs over 16 first digits: some first digit repeats.
    let first = ids
        .iter()
        .map(|i| &i[..1])
        .find(|p| ids.iter().filter(|i| i.starts_with(*p)).count() > 1)
        .unwrap();
    let e = Container::lookup(&c, first).unwrap_err();
    assert!(
        matches!(
            e.downcast_ref::<ContainerError>(),
            Some(ContainerError::Ambiguous(..))
        ),
        "{e}"
    );
}

#[test]
fn running_record_with_dead_process_reads_exited() {
    let d = tempfile::tempdir().unwrap();
    let c = ctx(d.path());
    let mut a = Container::create(&c, opts(None)).unwrap();
    let mut child = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let p = live::identify(child.id() as i32).unwrap();
    a.update(|r| {
        r.state.status = Status::Running;
        r.state.pid = Some(p.pid);
        r.state.pid_start = Some(p.start);
        r.state.boot_id = Some(live::boot_id());
    })
    .unwrap();
    assert_eq!(a.state().status, Status::Running);
    child.kill().unwrap();
    child.wait().unwrap();
    let s = a.state();
    assert_eq!((s.status, s.exit_code), (Status::Exited, Some(-1)));
    a.sync_state().unwrap();
    let again = Container::lookup(&c, a.id()).unwrap();
    assert_eq!(again.rec.state.status, Status::Exited);
    assert!(again.rec.state.finished_at.is_some());
    // Another boot: nothing recorded is alive.
    a.update(|r| {
        r.state.status = Status::Running;
        r.state.pid = Some(std::process::id() as i32);
        r.state.pid_start = live::start_time(std::process::id() as i32);
        r.state.boot_id = Some("other-boot".into());
    })
    .unwrap();
    assert_eq!(a.state().status, Status::Exited);
}
