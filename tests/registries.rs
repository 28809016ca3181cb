//! Registry access, black-box, as the unprivileged lab user: login/logout against the
//! auth registry, docker credential helpers, registries.conf (mirrors, prefix rewrites,
//! blocked registries) and podman's refusal of short names without search registries.
mod common;
use common::*;

#[test]
fn login_logout_against_the_auth_registry() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let out = sb.rctr(&["pull", "-q", "127.0.0.1:5101/busybox"]);
    assert_exit(&out, 125);
    assert!(
        stderr(&out).contains("rctr login 127.0.0.1:5101"),
        "{}",
        describe(&out)
    );
    let out = sb.rctr(&["login", "-u", AUTH_USER, "-p", "wrong", AUTH_REGISTRY]);
    assert_exit(&out, 125);
    assert!(
        stderr(&out).contains("invalid username/password"),
        "{}",
        describe(&out)
    );
    assert!(
        !sb.run_dir().join("containers/auth.json").exists(),
        "nothing stored on failure"
    );
    let out = sb.rctr_stdin(
        &["login", "-u", AUTH_USER, "--password-stdin", AUTH_REGISTRY],
        format!("{AUTH_PASS}\n").as_bytes(),
    );
    assert_ok(&out);
    assert_eq!(stdout(&out), "Login Succeeded!\n");
    let auth = std::fs::read_to_string(sb.run_dir().join("containers/auth.json")).unwrap();
    assert!(auth.contains("127.0.0.1:5101"), "{auth}");
    sb.rctr_ok(&["pull", "-q", "127.0.0.1:5101/busybox"]);
    assert_eq!(
        sb.rctr_ok(&["logout", AUTH_REGISTRY]),
        "Removed login credentials for 127.0.0.1:5101\n"
    );
    assert_exit(&sb.rctr(&["logout", AUTH_REGISTRY]), 125);
    // --creds and --authfile work without login state.
    sb.rctr_ok(&[
        "pull",
        "-q",
        "--creds",
        "rctr:rctrpass",
        "127.0.0.1:5101/busybox",
    ]);
    let af = sb.home().join("myauth.json");
    let out = sb.rctr(&[
        "login",
        "--authfile",
        af.to_str().unwrap(),
        "-u",
        AUTH_USER,
        "-p",
        AUTH_PASS,
        AUTH_REGISTRY,
    ]);
    assert_ok(&out);
    sb.rctr_ok(&["rmi", "-a"]);
    sb.rctr_ok(&[
        "pull",
        "-q",
        "--authfile",
        af.to_str().unwrap(),
        "127.0.0.1:5101/busybox",
    ]);
    // podman's fallback: ~/.docker/config.json
    let docker = sb.home().join(".docker");
    std::fs::create_dir_all(&docker).unwrap();
    std::fs::copy(&af, docker.join("config.json")).unwrap();
    for p in [docker.clone(), docker.join("config.json")] {
        std::os::unix::fs::chown(&p, Some(sb.user().uid), Some(sb.user().gid)).unwrap();
    }
    sb.rctr_ok(&["rmi", "-a"]);
    sb.rctr_ok(&["pull", "-q", "127.0.0.1:5101/busybox"]);
}

#[test]
fn short_name_without_search_registries_is_refused_like_podman() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let conf = sb.home().join(".config/containers/registries.conf");
    std::fs::write(
        &conf,
        "[[registry]]\nlocation = \"127.0.0.1:5100\"\ninsecure = true\n",
    )
    .unwrap();
    let out = sb.rctr(&["pull", "busybox"]);
    assert_exit(&out, 125);
    assert_eq!(
        stderr(&out).trim(),
        format!(
            "Error: short-name \"busybox\" did not resolve to an alias and no unqualified-search registries are defined in \"{}\"",
            conf.display()
        )
    );
    // A fully qualified name still works.
    sb.rctr_ok(&["pull", "-q", "127.0.0.1:5100/busybox"]);
    // --tls-verify=false makes a registry without `insecure` reachable over plain HTTP.
    std::fs::write(&conf, "").unwrap();
    assert_exit(
        &sb.rctr(&["pull", "-q", "127.0.0.1:5100/busybox:v2s2"]),
        125,
    );
    sb.rctr_ok(&[
        "pull",
        "-q",
        "--tls-verify=false",
        "127.0.0.1:5100/busybox:v2s2",
    ]);
}

#[test]
fn registries_conf_mirror_prefix_rewrite_and_block() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let conf = sb.home().join(".config/containers/registries.conf");
    std::fs::write(
        &conf,
        r#"unqualified-search-registries = ["example.com"]
[[registry]]
prefix = "example.com/lab"
location = "unreachable.invalid/lab"
[[registry.mirror]]
location = "127.0.0.1:5100"
insecure = true
[[registry]]
prefix = "blocked.example"
location = "127.0.0.1:5100"
insecure = true
blocked = true
[aliases]
"bb" = "example.com/lab/busybox"
"#,
    )
    .unwrap();
    // example.com/lab/busybox is served by the mirror 127.0.0.1:5100/busybox.
    let out = sb.rctr(&["pull", "example.com/lab/busybox"]);
    assert_ok(&out);
    assert!(stderr(&out).contains("Trying to pull example.com/lab/busybox:latest"));
    let names = sb.rctr_ok(&["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    assert_eq!(names.trim(), "example.com/lab/busybox:latest");
    // An alias resolves a short name.
    sb.rctr_ok(&["pull", "-q", "bb:v2s2"]);
    let out = sb.rctr(&["pull", "blocked.example/busybox"]);
    assert_exit(&out, 125);
    assert!(stderr(&out).contains("is blocked in"), "{}", describe(&out));
}

#[test]
fn docker_credential_helper() {
    require_lab!();
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new(&user());
    let bin = sb.home().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let helper = bin.join("docker-credential-labfake");
    std::fs::write(
        &helper,
        format!(
            "#!/bin/sh\nread reg\n[ \"$1\" = get ] && [ \"$reg\" = 127.0.0.1:5101 ] && echo '{{\"Username\":\"{AUTH_USER}\",\"Secret\":\"{AUTH_PASS}\"}}'\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let docker = sb.home().join(".docker");
    std::fs::create_dir_all(&docker).unwrap();
    std::fs::write(
        docker.join("config.json"),
        r#"{"credHelpers": {"127.0.0.1:5101": "labfake"}}"#,
    )
    .unwrap();
    sb.env("PATH", format!("{}:{USER_PATH}", bin.display()));
    sb.rctr_ok(&["pull", "-q", "127.0.0.1:5101/busybox"]);
}
