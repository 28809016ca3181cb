//! `-p` port forwarding as the unprivileged user: a host directory served by busybox httpd
//! through `-p`, UDP echo through `-p …/udp`, `port`/`ps`/`inspect` views, ports freed the
//! moment the container (or its monitor) is gone, a flood of short connections without a
//! descriptor leak, and every bad `-p` refused in one line before anything is created.
mod common;
use common::*;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

fn sandbox() -> Sandbox {
    Sandbox::with_busybox(&user())
}

/// A free TCP port on the host's loopback (the same number is then free for UDP too, most
/// likely; tests that need both check).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// GET `/` from 127.0.0.1:`port`, retrying while the container's server starts.
fn http_get(port: u16) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let _ = s.write_all(b"GET / HTTP/1.0\r\n\r\n");
            let mut out = String::new();
            let _ = s.read_to_string(&mut out);
            if !out.is_empty() {
                return out;
            }
        }
        assert!(Instant::now() < deadline, "nothing served on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn port_is_free(port: u16) -> bool {
    TcpListener::bind(("0.0.0.0", port)).is_ok()
}

fn monitor_pid(sb: &Sandbox, id: &str) -> i32 {
    let p = std::fs::read_to_string(
        sb.run_dir()
            .join(format!("rctr/containers/{id}/monitor.pid")),
    )
    .or_else(|_| {
        sb.rctr_ok(&["inspect", "--format", "{{.State.ConmonPid}}", id])
            .parse::<String>()
    })
    .unwrap();
    p.trim().parse().unwrap()
}

/// (pipes, sockets, other) descriptors of `pid`.
fn fd_kinds(pid: i32) -> (usize, usize, usize) {
    let mut k = (0, 0, 0);
    for e in std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .flatten()
    {
        let t = std::fs::read_link(e.path()).unwrap_or_default();
        let t = t.to_string_lossy();
        if t.starts_with("pipe:") {
            k.0 += 1;
        } else if t.starts_with("socket:") {
            k.1 += 1;
        } else {
            k.2 += 1;
        }
    }
    k
}

/// No connection left open: the pipes (two per connection) and other descriptors are as
/// before; sockets may differ by the forwarder's stock of unconnected ones (at most 24).
fn settled(before: (usize, usize, usize), now: (usize, usize, usize)) -> bool {
    now.0 <= before.0 && now.2 <= before.2 && now.1 <= before.1 + 24
}

/// A detached busybox httpd serving `page` (as index.html, from a host directory `dir`
/// bind-mounted on /www) through `-p PORT:80`, with `net` network arguments. (ID, port)
fn httpd(sb: &Sandbox, dir: &str, page: &str, net: &[&str]) -> (String, u16) {
    let site = sb.tmp_dir().join(dir);
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("index.html"), page).unwrap();
    let port = free_port();
    let publish = format!("{port}:80");
    let vol = format!("{}:/www", site.display());
    let mut args = vec!["run", "-d"];
    args.extend(net);
    args.extend([
        "-p", &publish, "-v", &vol, "busybox", "httpd", "-f", "-p", "80", "-h", "/www",
    ]);
    let id = sb.rctr_ok(&args);
    (id.trim().to_string(), port)
}

#[test]
fn httpd_serves_a_host_directory_through_p_and_the_port_is_free_after() {
    require_lab!();
    let sb = sandbox();
    let (id, port) = httpd(&sb, "site", "served through -p\n", &[]);
    let id = id.as_str();
    let publish = format!("{port}:80");
    let page = http_get(port);
    assert!(page.contains("served through -p"), "{page}");
    let shown = sb.rctr_ok(&["port", id]);
    assert_eq!(shown.trim(), format!("80/tcp -> 0.0.0.0:{port}"));
    let ps = sb.rctr_ok(&["ps", "--format", "{{.Ports}}"]);
    assert_eq!(ps.trim(), format!("0.0.0.0:{port}->80/tcp"));
    let insp = sb.rctr_ok(&["inspect", "--format", "{{json .NetworkSettings.Ports}}", id]);
    assert!(insp.contains(&format!("\"HostPort\":\"{port}\"")), "{insp}");
    // The same port again: refused before the second container starts.
    let out = sb.rctr(&["run", "--rm", "-p", &publish, "busybox", "true"]);
    assert_exit(&out, 125);
    let e = stderr(&out);
    assert!(
        e.contains(&format!("{port}")) && e.contains("already in use"),
        "{e}"
    );
    assert!(e.contains("ss -lnp"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
    // A connection still open when the container goes: the port is free at once.
    let mut open = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let _ = open.write_all(b"GET / HTTP/1.1\r\n");
    assert_ok(&sb.rctr(&["stop", "-t", "0", id]));
    assert!(port_is_free(port), "port {port} still held after stop");
    assert_ok(&sb.rctr(&["rm", id]));
    // A port another program holds.
    let holder = TcpListener::bind(("0.0.0.0", 0)).unwrap();
    let busy = holder.local_addr().unwrap().port();
    let out = sb.rctr(&[
        "run",
        "--rm",
        "-p",
        &format!("{busy}:80"),
        "busybox",
        "true",
    ]);
    assert_exit(&out, 125);
    assert!(
        stderr(&out).contains("already in use"),
        "{}",
        describe(&out)
    );
    assert!(
        sb.containers_in_store().is_empty(),
        "--rm left a container behind"
    );
}

#[test]
fn udp_echo_through_p() {
    require_lab!();
    let sb = sandbox();
    assert_ok(&sb.rctr(&["pull", "-q", "debian:bookworm"]));
    let port = free_port();
    let echo = "use IO::Socket::INET; $|=1; \
        $s=IO::Socket::INET->new(LocalPort=>9999,Proto=>'udp') or die; print \"ready\\n\"; \
        while($s->recv($m,2000)){ $s->send('echo:'.$m) }";
    let id = sb.rctr_ok(&[
        "run",
        "-d",
        "-p",
        &format!("{port}:9999/udp"),
        "debian:bookworm",
        "perl",
        "-e",
        echo,
    ]);
    let id = id.trim();
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    s.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut got = None;
    let deadline = Instant::now() + Duration::from_secs(20);
    while got.is_none() && Instant::now() < deadline {
        s.send_to(b"ping", ("127.0.0.1", port)).unwrap();
        let mut b = [0u8; 64];
        if let Ok((n, _)) = s.recv_from(&mut b) {
            got = Some(String::from_utf8_lossy(&b[..n]).into_owned());
        }
    }
    assert_eq!(got.as_deref(), Some("echo:ping"));
    assert_eq!(
        sb.rctr_ok(&["port", id]).trim(),
        format!("9999/udp -> 0.0.0.0:{port}")
    );
    assert_ok(&sb.rctr(&["rm", "-f", "-t", "0", id]));
}

/// 1,000 short connections: every one served (or cleanly closed), and the monitor holds as
/// many descriptors afterwards as before.
#[test]
fn a_flood_of_short_connections_leaks_nothing() {
    require_lab!();
    let sb = sandbox();
    let (id, port) = httpd(&sb, "flood", "ok\n", &[]);
    let id = id.as_str();
    assert!(http_get(port).contains("ok"));
    let mon = monitor_pid(&sb, id);
    let before = fd_kinds(mon);
    let mut served = 0;
    for _ in 0..1000 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let _ = s.write_all(b"GET / HTTP/1.0\r\n\r\n");
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        served += out.contains("200 OK") as usize;
    }
    assert!(served >= 990, "only {served} of 1000 served");
    // The last closes reach the monitor asynchronously: wait for the count to settle.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !settled(before, fd_kinds(mon)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let now = fd_kinds(mon);
    assert!(
        settled(before, now),
        "the monitor's descriptors grew: {before:?} -> {now:?}"
    );
    // SIGKILL of the monitor: the port is free again and `ps` tells the truth.
    // SAFETY: plain kill of the monitor process.
    unsafe { libc::kill(mon, libc::SIGKILL) };
    let deadline = Instant::now() + Duration::from_secs(10);
    while !port_is_free(port) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        port_is_free(port),
        "port {port} held after the monitor died"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let st = sb.rctr_ok(&["ps", "-a", "--format", "{{.State}}"]);
        if !st.contains("running") {
            break;
        }
        assert!(Instant::now() < deadline, "ps still says {st}");
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = sb.rctr(&["rm", "-f", "-t", "0", id]);
    sb.assert_no_leftovers_within(Duration::from_secs(10));
}

#[test]
fn bad_publish_is_refused_before_anything_is_created() {
    require_lab!();
    let sb = sandbox();
    let start = std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .ok()
        .and_then(|s| s.trim().parse::<u16>().ok())
        .unwrap_or(1024);
    let mut cases = vec![
        ("80:".to_string(), "container port"),
        ("a:b".to_string(), "port \"b\" is not a port"),
        ("70000:80".to_string(), "host port \"70000\""),
        ("1-3:1-2".to_string(), "3 ports and the container range 2"),
        ("8080:80/sctp".to_string(), "protocol"),
    ];
    if start > 80 {
        cases.push(("80:80".to_string(), "net.ipv4.ip_unprivileged_port_start"));
    }
    for (p, says) in &cases {
        let out = sb.rctr(&["run", "--rm", "-p", p, "busybox", "true"]);
        assert_exit(&out, 125);
        let e = stderr(&out);
        assert!(e.contains(says), "-p {p}: {e}");
        assert_eq!(e.lines().count(), 1, "-p {p}: {e}");
    }
    assert!(sb.containers_in_store().is_empty());
    // Modes without a network of their own: podman's warning, nothing published.
    let out = sb.rctr(&[
        "run",
        "--rm",
        "--network",
        "none",
        "-p",
        "8080:80",
        "busybox",
        "true",
    ]);
    assert_ok(&out);
    assert!(
        stderr(&out).contains("Port mappings have been discarded"),
        "{}",
        describe(&out)
    );
}

/// `--network pasta` (when pasta is installed): the same -p test as slirp's default, and
/// pasta goes with the container.
#[test]
fn pasta_publishes_a_port_and_stops_with_the_container() {
    require_lab!();
    require!(
        std::path::Path::new("/usr/bin/pasta").exists(),
        "pasta is not installed (Debian package passt)"
    );
    let sb = sandbox();
    let (id, port) = httpd(
        &sb,
        "pasta-site",
        "through pasta\n",
        &["--network", "pasta"],
    );
    let id = id.as_str();
    assert!(http_get(port).contains("through pasta"));
    let mode = sb.rctr_ok(&["inspect", "--format", "{{.HostConfig.NetworkMode}}", id]);
    assert_eq!(mode.trim(), "pasta");
    assert_ok(&sb.rctr(&["rm", "-f", "-t", "0", id]));
    let deadline = Instant::now() + Duration::from_secs(10);
    while !port_is_free(port) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(port_is_free(port), "pasta still holds {port}");
    sb.assert_no_leftovers_within(Duration::from_secs(10));
}

/// Without pasta on PATH: one line saying what to install, nothing created.
#[test]
fn pasta_missing_is_one_line() {
    require_lab!();
    let sb = sandbox();
    let bin = sb.tmp_dir().join("bin-without-pasta");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["newuidmap", "newgidmap", "fuse-overlayfs"] {
        if let Some(p) = ["/usr/bin", "/usr/sbin", "/bin"]
            .iter()
            .map(|d| std::path::Path::new(d).join(tool))
            .find(|p| p.exists())
        {
            std::os::unix::fs::symlink(p, bin.join(tool)).unwrap();
        }
    }
    sb.env("PATH", bin.as_os_str());
    let out = sb.rctr(&["run", "--rm", "--network", "pasta", "busybox", "true"]);
    assert_exit(&out, 125);
    let e = stderr(&out);
    assert!(e.contains("pasta") && e.contains("passt"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(sb.containers_in_store().is_empty());
}
