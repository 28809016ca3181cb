//! The lab's own logic: the subordinate-range picker of tests/lab/setup.sh (shell, tested on
//! temporary files by tests/lab/test-subids.sh) and the harness' reading of the range.
mod common;
use common::*;

#[test]
fn subid_range_picker_shell_tests_pass() {
    let out = std::process::Command::new("bash")
        .arg(repo_dir().join("tests/lab/test-subids.sh"))
        .output()
        .expect("bash");
    assert_ok(&out);
}

#[test]
fn parse_subid_matches_name_or_uid_and_skips_junk() {
    let u = TestUser {
        name: "rctrtest".into(),
        uid: 1004,
        gid: 1004,
    };
    let r = |start, count| Some(SubIdRange { start, count });
    assert_eq!(parse_subid("rctrtest:165536:65536\n", &u), r(165536, 65536));
    assert_eq!(
        parse_subid(
            "# c\nalice:100000:65536\nrctrtest:x:1\n1004:231072:65536\n",
            &u
        ),
        r(231072, 65536)
    );
    assert_eq!(
        parse_subid("rctrtest2:1:2\n1001:1:2\nrctrtest:5:0\n", &u),
        None
    );
    assert_eq!(r(100000, 65536).unwrap().dashed(), "100000-165535");
}

/// What setup.sh recorded in users.env is what the system says (the harness reads the
/// latter; the file is for people and scripts, and must not go stale).
#[test]
fn users_env_agrees_with_the_system() {
    if !require_users() {
        return;
    }
    let p = lab_dir().join("users.env");
    require!(
        p.exists(),
        "{} missing: run tests/lab/setup.sh as root",
        p.display()
    );
    let text = std::fs::read_to_string(&p).unwrap();
    let get = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .unwrap_or_else(|| panic!("{k} missing in {}:\n{text}", p.display()))
            .parse::<u32>()
            .unwrap()
    };
    let (u, n) = (user(), nosub_user());
    let r = subuid_range(&u);
    assert_eq!(get("LAB_USER_UID"), u.uid);
    assert_eq!(get("LAB_NOSUB_UID"), n.uid);
    assert_eq!(get("LAB_USER_SUBID_START"), r.start);
    assert_eq!(get("LAB_USER_SUBID_COUNT"), r.count);
    assert_eq!(
        subgid_range(&u),
        r,
        "setup.sh gives rctrtest one range for both"
    );
    let sub = std::fs::read_to_string("/etc/subuid").unwrap_or_default();
    assert_eq!(parse_subid(&sub, &n), None, "rctrnosub must have no range");
}
