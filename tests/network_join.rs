//! `--network container:NAME` as the unprivileged user: the second container runs in the
//! first one's network namespace (and so reaches its server on 127.0.0.1), shares its
//! names and resolver, needs it running, keeps it from being removed under it (`rm
//! --depend` removes both), and every misuse is refused in one line with nothing created.
//! Also what containers.conf sets for networks (the default mode, DNS, the base hosts file,
//! host.containers.internal) and `--http-proxy`.
mod common;
use common::*;

fn sandbox() -> Sandbox {
    Sandbox::with_busybox(&user())
}

/// The network namespace (its `net:[inode]` link) of container `id`'s PID 1.
fn netns_of(sb: &Sandbox, id: &str) -> String {
    let pid = sb.rctr_ok(&["inspect", "--format", "{{.State.Pid}}", id]);
    let link = std::fs::read_link(format!("/proc/{}/ns/net", pid.trim())).unwrap();
    link.to_string_lossy().into_owned()
}

/// The IDs of the containers in the store (not those being deleted by `rm`'s reaper).
fn containers(sb: &Sandbox) -> Vec<String> {
    let mut v = sb.containers_in_store();
    v.retain(|n| !n.starts_with(".removing"));
    v
}

#[test]
fn a_second_container_joins_the_first_ones_network() {
    require_lab!();
    let sb = sandbox();
    let site = sb.tmp_dir().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("index.html"), "from the first container\n").unwrap();
    let vol = format!("{}:/www", site.display());
    let web = sb.rctr_ok(&[
        "run", "-d", "--name", "web", "-v", &vol, "busybox", "httpd", "-f", "-p", "8080", "-h",
        "/www",
    ]);
    let web = web.trim();
    // The server may need a moment to listen: the client retries, in the container.
    let fetch = "for i in $(seq 100); do wget -q -O /tmp/p http://127.0.0.1:8080/ && break; \
                 usleep 50000; done; cat /tmp/p; cat /etc/resolv.conf";
    let out = sb.rctr(&[
        "run",
        "--rm",
        "--network",
        "container:web",
        "busybox",
        "sh",
        "-c",
        fetch,
    ]);
    assert_ok(&out);
    let text = stdout(&out);
    assert!(text.starts_with("from the first container\n"), "{text}");
    let resolv = std::fs::read_to_string(
        sb.store()
            .join(format!("containers/{web}/userdata/resolv.conf")),
    )
    .unwrap();
    assert!(
        text.ends_with(&resolv),
        "resolv.conf not shared:\n{text}\nvs\n{resolv}"
    );
    // Detached too: the same namespace, shown as podman shows it.
    let joiner = sb.rctr_ok(&[
        "run",
        "-d",
        "--network",
        "container:web",
        "busybox",
        "sleep",
        "1000",
    ]);
    let joiner = joiner.trim();
    assert_eq!(netns_of(&sb, joiner), netns_of(&sb, web));
    assert_eq!(
        sb.rctr_ok(&["inspect", "--format", "{{.HostConfig.NetworkMode}}", joiner])
            .trim(),
        format!("container:{web}")
    );
    // `exec` into the joiner sees the first container's tap0.
    let ip = sb.rctr_ok(&["exec", joiner, "ip", "-o", "-4", "addr", "show", "tap0"]);
    assert!(ip.contains("10.0.2.100/24"), "{ip}");
    // The joined container cannot be removed under it; --depend removes both.
    let out = sb.rctr(&["rm", "-f", "web"]);
    assert_exit(&out, 125);
    let e = stderr(&out);
    assert!(
        e.contains("has dependent containers which must be removed before it")
            && e.contains(joiner),
        "{e}"
    );
    assert_eq!(containers(&sb).len(), 2);
    let out = sb.rctr(&["rm", "-f", "-t", "0", "--depend", "web"]);
    assert_ok(&out);
    let removed = stdout(&out);
    assert!(
        removed.contains(joiner) && removed.trim_end().ends_with("web"),
        "{removed}"
    );
    assert!(containers(&sb).is_empty());
    sb.assert_no_leftovers_within(std::time::Duration::from_secs(10));
}

#[test]
fn joining_needs_a_running_known_container_and_its_user_namespace() {
    require_lab!();
    let sb = sandbox();
    let out = sb.rctr(&[
        "run",
        "--rm",
        "--network",
        "container:nope",
        "busybox",
        "true",
    ]);
    assert_exit(&out, 125);
    let e = stderr(&out);
    assert!(
        e.contains("share net namespace") && e.contains("no container with name or ID \"nope\""),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(containers(&sb).is_empty());
    // Created (not running): a joiner can be created, but not started.
    sb.rctr_ok(&["create", "--name", "base", "busybox", "sleep", "1000"]);
    sb.rctr_ok(&[
        "create",
        "--name",
        "joiner",
        "--network",
        "container:base",
        "busybox",
        "true",
    ]);
    let out = sb.rctr(&["start", "joiner"]);
    assert_exit(&out, 125);
    let e = stderr(&out);
    assert!(
        e.contains("cannot join the network namespace of container base: it is not running"),
        "{e}"
    );
    // `rm -a` removes the joiner before the container it joins.
    assert_ok(&sb.rctr(&["rm", "-a"]));
    assert!(containers(&sb).is_empty());
    sb.rctr_ok(&["run", "-d", "--name", "base", "busybox", "sleep", "1000"]);
    for (extra, says) in [
        (
            &["--dns", "10.9.9.9"][..],
            "conflicting options: dns and the network mode: container",
        ),
        (
            &["--add-host", "db:10.9.9.9"][..],
            "cannot add host entries and the network mode: container",
        ),
        (&["--userns", "keep-id"][..], "maps user IDs differently"),
    ] {
        let mut args = vec!["run", "--rm", "--network", "container:base"];
        args.extend(extra);
        args.extend(["busybox", "true"]);
        let out = sb.rctr(&args);
        assert_exit(&out, 125);
        let e = stderr(&out);
        assert!(e.contains(says), "{extra:?}: {e}");
        assert_eq!(e.lines().count(), 1, "{e}");
    }
    assert_eq!(containers(&sb).len(), 1);
    assert_ok(&sb.rctr(&["rm", "-f", "-t", "0", "base"]));
}

/// containers.conf's `[network] default_rootless_network_cmd` picks the mode of a container
/// created without `--network` (the user's file over the system's); a bad value is one line
/// naming the file, and nothing is created.
#[test]
fn containers_conf_chooses_the_default_network() {
    require_lab!();
    let sb = sandbox();
    let conf = sb.config_home().join("containers/containers.conf");
    std::fs::create_dir_all(conf.parent().unwrap()).unwrap();
    let mode = |sb: &Sandbox, extra: &[&str]| {
        let mut args = vec!["create"];
        args.extend(extra);
        args.extend(["busybox", "true"]);
        let id = sb.rctr_ok(&args);
        let m = sb.rctr_ok(&[
            "inspect",
            "--format",
            "{{.HostConfig.NetworkMode}}",
            id.trim(),
        ]);
        sb.rctr_ok(&["rm", id.trim()]);
        m.trim().to_string()
    };
    assert_eq!(mode(&sb, &[]), "slirp4netns");
    std::fs::write(
        &conf,
        "[network]\ndefault_rootless_network_cmd = \"pasta\"\n",
    )
    .unwrap();
    assert_eq!(mode(&sb, &[]), "pasta");
    assert_eq!(mode(&sb, &["--network", "none"]), "none");
    std::fs::write(&conf, "[network]\ndefault_rootless_network_cmd = \"cni\"\n").unwrap();
    let out = sb.rctr(&["create", "busybox", "true"]);
    assert_exit(&out, 125);
    let e = stderr(&out);
    assert!(
        e.contains(&conf.display().to_string())
            && e.contains("expected \"slirp4netns\" or \"pasta\""),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(containers(&sb).is_empty());
}

/// containers.conf's `[containers]` DNS and hosts keys (podman's system test "CONTAINERS_CONF
/// /etc/hosts options" and "dns options"): the flags win over them.
#[test]
fn containers_conf_dns_and_hosts_keys() {
    require_lab!();
    let sb = sandbox();
    let dir = sb.tmp_dir();
    let base = dir.join("base-hosts");
    std::fs::write(&base, "10.5.5.1 one\n10.5.5.2 two #comment\n").unwrap();
    let conf = dir.join("custom.conf");
    std::fs::write(
        &conf,
        format!(
            "[containers]\n  dns_searches = [\"example.com\"]\n  dns_servers = [\"10.7.7.1\", \"10.7.7.2\"]\n  base_hosts_file = \"{}\"\n  host_containers_internal_ip = \"10.6.6.6\"\n",
            base.display()
        ),
    )
    .unwrap();
    sb.env("CONTAINERS_CONF", &conf);
    let out = sb.rctr_ok(&["run", "--rm", "busybox", "cat", "/etc/resolv.conf"]);
    assert!(out.starts_with("search example.com\n"), "{out}");
    assert!(
        out.ends_with("nameserver 10.7.7.1\nnameserver 10.7.7.2\n"),
        "{out}"
    );
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        "--dns",
        "10.8.8.8",
        "busybox",
        "cat",
        "/etc/resolv.conf",
    ]);
    assert!(
        out.ends_with("nameserver 10.8.8.8\n") && !out.contains("10.7.7.1"),
        "{out}"
    );
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        "--add-host",
        "three:10.5.5.3",
        "busybox",
        "cat",
        "/etc/hosts",
    ]);
    for want in [
        "10.5.5.1 one",
        "10.5.5.2 two",
        "10.5.5.3\tthree",
        "127.0.0.1\tlocalhost",
        "::1\tlocalhost",
        "10.6.6.6\thost.containers.internal",
    ] {
        assert!(out.contains(want), "{want}: {out}");
    }
    assert_eq!(out.lines().count(), 7, "{out}");
    // The hostname is in the base file already: no entry of rctr's for it.
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        "--name",
        "one",
        "--hostname",
        "one",
        "busybox",
        "cat",
        "/etc/hosts",
    ]);
    assert_eq!(out.lines().count(), 5, "{out}");
}

/// `--http-proxy` (default true): the host's proxy variables reach the container unless
/// turned off or set by `-e`.
#[test]
fn http_proxy_variables_pass_through() {
    require_lab!();
    let sb = sandbox();
    sb.env("https_proxy", "http://10.1.1.1:3128");
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        "busybox",
        "sh",
        "-c",
        "echo ${https_proxy-unset}",
    ]);
    assert_eq!(out, "http://10.1.1.1:3128\n");
    let out = sb.rctr(&[
        "run",
        "--rm",
        "--http-proxy=false",
        "busybox",
        "sh",
        "-c",
        "echo ${https_proxy-unset}",
    ]);
    assert_ok(&out);
    assert_eq!(stdout(&out), "unset\n");
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        "-e",
        "https_proxy=http://mine:1",
        "busybox",
        "sh",
        "-c",
        "echo ${https_proxy-unset}",
    ]);
    assert_eq!(out, "http://mine:1\n");
}
