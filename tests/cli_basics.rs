//! The command line itself, run as the unprivileged user: version, help, usage errors (125).
mod common;
use common::*;

#[test]
fn version_and_help_exit_zero() {
    if !require_users() {
        return;
    }
    let sb = Sandbox::new(&user());
    let out = sb.rctr(&["--version"]);
    assert_ok(&out);
    assert_eq!(
        stdout(&out).trim(),
        format!("rctr {}", env!("CARGO_PKG_VERSION"))
    );
    let out = sb.rctr(&["--help"]);
    assert_ok(&out);
    let text = stdout(&out);
    assert!(text.contains("Usage: rctr"), "{}", describe(&out));
    assert!(text.contains("info"), "{}", describe(&out));
    // Subcommand help too (the `info` subcommand exists since the skeleton).
    assert_ok(&sb.rctr(&["info", "--help"]));
}

#[test]
fn runs_as_the_unprivileged_user() {
    if !require_users() {
        return;
    }
    let sb = Sandbox::new(&user());
    let out = sb.sh("id -u; echo $HOME; echo $XDG_RUNTIME_DIR");
    assert_ok(&out);
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(user().uid.to_string().as_str()));
    assert_eq!(lines.next(), Some(sb.home().to_str().unwrap()));
    assert_eq!(lines.next(), Some(sb.run_dir().to_str().unwrap()));
    // The sandbox belongs to the user: rctr can create its store there.
    let out = sb.sh("touch \"$XDG_DATA_HOME/x\" \"$XDG_RUNTIME_DIR/x\" \"$TMPDIR/x\" && stat -c %u \"$XDG_DATA_HOME/x\"");
    assert_ok(&out);
    assert_eq!(stdout(&out).trim(), user().uid.to_string());
}

#[test]
fn unknown_flag_is_a_usage_error_125() {
    if !require_users() {
        return;
    }
    let sb = Sandbox::new(&user());
    let out = sb.rctr(&["--no-such-flag"]);
    assert_exit(&out, 125);
    let err = stderr(&out);
    assert!(
        err.contains("unexpected argument '--no-such-flag'"),
        "{}",
        describe(&out)
    );
    let out = sb.rctr(&["info", "--bogus"]);
    assert_exit(&out, 125);
    assert!(stderr(&out).contains("'--bogus'"), "{}", describe(&out));
}

#[test]
fn unknown_command_is_a_usage_error_125() {
    if !require_users() {
        return;
    }
    let sb = Sandbox::new_nosub();
    let out = sb.rctr(&["frobnicate"]);
    assert_exit(&out, 125);
    assert!(
        stderr(&out).contains("unrecognized subcommand 'frobnicate'"),
        "{}",
        describe(&out)
    );
    assert!(out.stdout.is_empty(), "{}", describe(&out));
}

#[test]
fn lab_is_ready() {
    require_lab!();
    // Both registries answer; the auth one asks for credentials.
    assert_eq!(registry_answers(REGISTRY), Ok(200));
    assert_eq!(registry_answers(AUTH_REGISTRY), Ok(401));
    // The golden listing and its lister are where the tests expect them.
    assert!(golden("layered.txt").contains("/data/opaque/new.txt|f|0:0|0644|1|"));
    assert!(repo_dir().join("tests/lab/list-tree.sh").exists());
    // The user can reach the registry from its sandbox (no proxy, loopback open).
    let sb = Sandbox::new(&user());
    let out = sb.sh("curl -fsS http://127.0.0.1:5100/v2/busybox/tags/list");
    assert_ok(&out);
    assert!(stdout(&out).contains("latest"), "{}", describe(&out));
}
