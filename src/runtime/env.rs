//! The container's environment as a list of `KEY=VALUE` entries, merged with one rule for
//! the spec (image env, podman's additions, `-e`) and for `exec -e`: a later entry replaces
//! every earlier one with the same key and goes to the end, as podman's env maps do.

/// The key of an entry: everything before the first `=` (the whole entry if it has none).
pub fn key(entry: &str) -> &str {
    entry.split('=').next().unwrap_or(entry)
}

/// Apply `over` to `base`, in order: each entry replaces `base`'s entries with its key.
pub fn merge(base: &mut Vec<String>, over: impl IntoIterator<Item = String>) {
    for e in over {
        let k = key(&e);
        base.retain(|b| key(b) != k);
        base.push(e);
    }
}

/// Does `env` give `name` a value (an entry `name=...`)?
pub fn has(env: &[String], name: &str) -> bool {
    env.iter()
        .any(|e| e.strip_prefix(name).is_some_and(|v| v.starts_with('=')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_entries_replace_keys_and_go_last() {
        let mut e = vec!["PATH=/bin".to_string(), "A=1".into(), "A=0".into()];
        merge(&mut e, ["A=2".to_string(), "B=3".into(), "PATH=/x".into()]);
        assert_eq!(e, vec!["A=2", "B=3", "PATH=/x"]);
        merge(&mut e, ["B".to_string()]);
        assert_eq!(e, vec!["A=2", "PATH=/x", "B"]);
        assert!(has(&e, "PATH") && !has(&e, "B") && !has(&e, "PAT"));
    }
}
