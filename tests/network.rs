//! User-mode networking (slirp4netns mode, libslirp in the monitor), end to end as the
//! unprivileged user: the container's tap0 and files, real outbound traffic to a server in a
//! network namespace this test creates (never to any other address), DNS from a server the
//! test starts there, and the host-loopback policy.
mod common;
use common::*;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const SLIRP: &str = "--network=slirp4netns";

fn sandbox() -> Sandbox {
    Sandbox::with_busybox(&user())
}

/// A network namespace of the test's own, joined to the host by a veth pair: the host side
/// is `.1`, the namespace side `.2` of a private /30 (no route beyond it). Deleted on drop
/// with everything running in it.
struct TestNetns {
    name: String,
    host_if: String,
    inside: String,
    servers: Vec<Child>,
}

impl TestNetns {
    fn new(tag: u8) -> TestNetns {
        let pid = std::process::id();
        let name = format!("rctr-it-{pid}-{tag}");
        let host_if = format!("rv{}h{tag}", pid % 100_000);
        let peer = format!("rv{}n{tag}", pid % 100_000);
        // A /30 per process and tag inside 10.213.0.0/16, so parallel runs never collide.
        let third = (pid % 60) as u8 * 4 + tag;
        let (host, inside) = (format!("10.213.{third}.1"), format!("10.213.{third}.2"));
        let script = format!(
            "set -e; ip netns add {name}; ip link add {host_if} type veth peer name {peer}; \
             ip link set {peer} netns {name}; ip addr add {host}/30 dev {host_if}; \
             ip link set {host_if} up; ip -n {name} addr add {inside}/30 dev {peer}; \
             ip -n {name} link set {peer} up; ip -n {name} link set lo up"
        );
        let ns = TestNetns {
            name,
            host_if,
            inside,
            servers: Vec::new(),
        };
        let out = Command::new("sh").arg("-c").arg(&script).output().unwrap();
        assert!(out.status.success(), "{}", describe(&out));
        ns
    }

    /// Start `argv` inside the namespace; returns once it printed its first line.
    fn serve(&mut self, argv: &[&str]) {
        let mut child = Command::new("ip")
            .args(["netns", "exec", &self.name])
            .args(argv)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let mut b = [0u8; 1];
        // The server's "ready" (or EOF if it died).
        while out.read(&mut b).unwrap_or(0) == 1 && b[0] != b'\n' {}
        self.servers.push(child);
    }
}

impl Drop for TestNetns {
    fn drop(&mut self) {
        for c in &mut self.servers {
            let _ = c.kill();
            let _ = c.wait();
        }
        let _ = Command::new("ip")
            .args(["netns", "pids", &self.name])
            .output()
            .map(|o| {
                for p in String::from_utf8_lossy(&o.stdout).split_whitespace() {
                    let _ = Command::new("kill").args(["-9", p]).status();
                }
            });
        let _ = Command::new("ip")
            .args(["link", "del", &self.host_if])
            .status();
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
    }
}

/// A one-line TCP server on the host's loopback: says `hello` to each client.
fn loopback_greeter() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut c in l.incoming().flatten() {
            let _ = c.write_all(b"hello\n");
        }
    });
    port
}

#[test]
fn slirp_gives_tap0_with_podmans_addresses_and_files() {
    require_lab!();
    let sb = sandbox();
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        SLIRP,
        "--hostname",
        "box",
        "busybox",
        "sh",
        "-c",
        "ip -o -4 addr show tap0; cat /sys/class/net/tap0/mtu; ip route; \
         cat /etc/resolv.conf; grep -E 'host.containers|box' /etc/hosts",
    ]);
    assert!(out.contains("inet 10.0.2.100/24"), "{out}");
    assert!(out.contains("\n65520\n"), "{out}");
    assert!(out.contains("default via 10.0.2.2 dev tap0"), "{out}");
    assert!(out.contains("nameserver 10.0.2.3"), "{out}");
    // The host's loopback is closed to the container: the name is the host's own address
    // (the first `hostname -I` prints), as podman writes it.
    let hostname_i = Command::new("hostname").arg("-I").output().unwrap();
    let first = String::from_utf8_lossy(&hostname_i.stdout)
        .split_whitespace()
        .next()
        .unwrap_or("10.0.2.2")
        .to_string();
    assert!(
        out.contains(&format!(
            "{first}\thost.containers.internal host.docker.internal"
        )),
        "{out}"
    );
    assert!(out.contains("10.0.2.100\tbox"), "{out}");
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        "--network",
        "slirp4netns:mtu=1500,cidr=10.9.0.0/24",
        "busybox",
        "sh",
        "-c",
        "ip -o -4 addr show tap0; cat /sys/class/net/tap0/mtu",
    ]);
    assert!(out.contains("inet 10.9.0.100/24"), "{out}");
    assert!(out.contains("\n1500\n"), "{out}");
}

#[test]
fn outbound_traffic_reaches_a_server_in_a_test_namespace_and_its_dns() {
    require_lab!();
    let sb = sandbox();
    assert_ok(&sb.rctr(&["pull", "-q", "debian:bookworm"]));
    let mut ns = TestNetns::new(1);
    let inside = ns.inside.clone();
    let site = sb.tmp_dir().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("index.html"), "from the test namespace\n").unwrap();
    let py = format!(
        "import http.server,functools,sys\n\
         h=functools.partial(http.server.SimpleHTTPRequestHandler,directory={:?})\n\
         s=http.server.HTTPServer(({inside:?},80),h)\nprint('ready',flush=True)\ns.serve_forever()",
        site.to_string_lossy()
    );
    ns.serve(&["python3", "-c", &py]);
    let dns = repo_dir().join("tests/lab/dns.py");
    let dns = dns.to_string_lossy().into_owned();
    ns.serve(&["python3", &dns, &inside, &format!("web.rctr.test={inside}")]);
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        SLIRP,
        "busybox",
        "sh",
        "-c",
        &format!("printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc {inside} 80"),
    ]);
    assert!(
        out.contains("200 OK") && out.contains("from the test namespace"),
        "{out}"
    );
    // DNS: the resolver the container is told to use, in the test's namespace.
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        SLIRP,
        "--dns",
        &inside,
        "debian:bookworm",
        "getent",
        "hosts",
        "web.rctr.test",
    ]);
    assert!(out.starts_with(&inside), "{out}");
    let out = sb.rctr(&[
        "run",
        "--rm",
        SLIRP,
        "--dns",
        &inside,
        "debian:bookworm",
        "getent",
        "hosts",
        "nowhere.rctr.test",
    ]);
    assert_exit(&out, 2);
}

#[test]
fn host_loopback_only_with_allow_host_loopback() {
    require_lab!();
    let sb = sandbox();
    let port = loopback_greeter().to_string();
    let nc = format!("nc -w 3 host.containers.internal {port}");
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        "--network",
        "slirp4netns:allow_host_loopback=true",
        "busybox",
        "sh",
        "-c",
        &nc,
    ]);
    assert_eq!(out, "hello\n");
    let nc = format!("nc -w 3 10.0.2.2 {port}");
    let out = sb.rctr(&["run", "--rm", SLIRP, "busybox", "sh", "-c", &nc]);
    assert_exit(&out, 1);
    assert!(!stdout(&out).contains("hello"), "{}", describe(&out));
}

/// `enable_ipv6=true`: tap0 gets fd00::100/64 via fd00::2 (no address without it), and
/// with `allow_host_loopback` a server on the host's `::1` answers at fd00::2.
#[test]
fn ipv6_when_enabled() {
    require_lab!();
    let sb = sandbox();
    let l = TcpListener::bind("[::1]:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut c in l.incoming().flatten() {
            let _ = c.write_all(b"hello over v6\n");
        }
    });
    let script = format!("ip -o -6 addr show tap0; ip -6 route; nc -w 3 fd00::2 {port}");
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        "--network",
        "slirp4netns:enable_ipv6=true,allow_host_loopback=true",
        "busybox",
        "sh",
        "-c",
        &script,
    ]);
    assert!(out.contains("inet6 fd00::100/64 scope global"), "{out}");
    assert!(out.contains("default via fd00::2 dev tap0"), "{out}");
    assert!(out.ends_with("hello over v6\n"), "{out}");
    let out = sb.rctr_ok(&["run", "--rm", SLIRP, "busybox", "ip", "-o", "-6", "addr"]);
    assert!(!out.contains("fd00::"), "{out}");
}

/// The stack lives in the detached monitor as long as the container; `ps` and `inspect`
/// say which mode it has; nothing is left once it is gone.
#[test]
fn detached_container_is_networked_until_it_exits() {
    require_lab!();
    let sb = sandbox();
    let port = loopback_greeter().to_string();
    let id = sb.rctr_ok(&[
        "run",
        "-d",
        "--network",
        "slirp4netns:allow_host_loopback=true",
        "busybox",
        "sleep",
        "600",
    ]);
    let id = id.trim();
    let mode = sb.rctr_ok(&["inspect", "--format", "{{.HostConfig.NetworkMode}}", id]);
    assert_eq!(mode.trim(), "slirp4netns");
    let out = sb.rctr_ok(&["exec", id, "nc", "-w", "3", "10.0.2.2", &port]);
    assert_eq!(out, "hello\n");
    assert_ok(&sb.rctr(&["rm", "-f", "-t", "0", id]));
    sb.assert_no_leftovers_within(Duration::from_secs(10));
}

#[test]
fn bad_network_modes_fail_before_anything_is_created() {
    require_lab!();
    let sb = sandbox();
    for (arg, says) in [
        ("bogus", "unknown network mode"),
        ("slirp4netns:mtu=abc", "mtu"),
        ("slirp4netns:frob=1", "unknown slirp4netns option"),
        ("host:x=1", "takes no options"),
    ] {
        let out = sb.rctr(&["run", "--rm", "--network", arg, "busybox", "true"]);
        assert_exit(&out, 125);
        assert!(stderr(&out).contains(says), "{arg}: {}", describe(&out));
        assert_eq!(stderr(&out).lines().count(), 1, "{}", describe(&out));
    }
    assert!(sb.containers_in_store().is_empty());
}

/// Without a usable /dev/net/tun the slirp mode fails in one line naming it, and
/// `--network none` still works (the device is hidden from the user's mount namespace).
#[test]
fn missing_tun_device_is_named_and_none_still_works() {
    require_lab!();
    let sb = sandbox();
    let rctr = rctr_bin();
    let script = format!(
        "mount --bind /dev/null /dev/net/tun && exec setpriv --reuid={u} --regid={g} --clear-groups \
         sh -c '{r} run --rm {SLIRP} busybox true; echo rc=$?; {r} run --rm --network none busybox echo fine'",
        u = sb.user().uid,
        g = sb.user().gid,
        r = rctr.display(),
    );
    let mut cmd = Command::new("unshare");
    cmd.args(["-m", "--propagation", "private", "sh", "-c", &script]);
    sb.apply_env(&mut cmd);
    cmd.current_dir(Path::new("/"));
    let out = run_with_timeout(cmd, None, Duration::from_secs(60));
    let (o, e) = (stdout(&out), stderr(&out));
    assert!(
        o.contains("rc=125") && o.contains("fine"),
        "{}",
        describe(&out)
    );
    assert!(e.contains("/dev/net/tun"), "{e}");
}

#[test]
fn dns_options_and_no_hosts() {
    require_lab!();
    let sb = sandbox();
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        "--dns-option",
        "ndots:3",
        "--dns-search",
        "lab.test",
        "busybox",
        "cat",
        "/etc/resolv.conf",
    ]);
    assert_eq!(
        out,
        "search lab.test\noptions ndots:3\nnameserver 10.0.2.3\n"
    );
    // --no-hosts: the image's own /etc/hosts (busybox's has none: the file is absent).
    let out = sb.rctr(&["run", "--rm", "--no-hosts", "busybox", "cat", "/etc/hosts"]);
    assert!(
        !stdout(&out).contains("host.containers.internal"),
        "{}",
        describe(&out)
    );
    let out = sb.rctr(&[
        "run",
        "--rm",
        "--no-hosts",
        "--add-host",
        "a:1.2.3.4",
        "busybox",
        "true",
    ]);
    assert_exit(&out, 125);
    assert!(
        stderr(&out).contains("cannot be set together"),
        "{}",
        describe(&out)
    );
}
