//! Container names: podman-style generated `adjective_noun` names and the name index
//! (`containers/names/<name>` symlinks to the ID; IDs come from [`crate::fsutil::random_id`]).
//!
//! A symlink is the index entry because `symlink(2)` is atomic and fails with EEXIST: two
//! creators can never both own a name. Reservations happen under `containers/names.lock`
//! together with the creation of the record, so an entry whose container has no record is
//! provably stale (its creator crashed) and may be taken over.
use crate::fsutil::fill_random;
use anyhow::{bail, Context as _};
use std::path::Path;

/// A random number below `n`.
pub fn random_below(n: usize) -> usize {
    let mut b = [0u8; 8];
    let _ = fill_random(&mut b);
    (u64::from_le_bytes(b) % n as u64) as usize
}

// Our own word lists (any pair reads well; no copies of docker's lists).
const ADJECTIVES: &[&str] = &[
    "agile", "amazing", "ample", "awake", "bold", "brave", "bright", "brisk", "calm", "candid",
    "charming", "cheerful", "clever", "cool", "cosmic", "crisp", "curious", "daring", "dazzling",
    "eager", "earnest", "elastic", "epic", "fervent", "fearless", "festive", "fluent", "focused",
    "frosty", "gallant", "gentle", "gifted", "glad", "golden", "graceful", "happy", "hardy",
    "honest", "humble", "jolly", "keen", "kind", "lively", "loyal", "lucid", "lucky", "mellow",
    "merry", "mighty", "modest", "nimble", "noble", "patient", "peaceful", "plucky", "polite",
    "proud", "quick", "quiet", "radiant", "rapid", "relaxed", "resolute", "serene", "sharp",
    "shiny", "silent", "sleepy", "smart", "snappy", "solid", "spry", "steady", "stoic", "sunny",
    "swift", "tender", "thrifty", "tidy", "tranquil", "trusty", "upbeat", "vibrant", "vivid",
    "warm", "wise", "witty", "zealous", "zen",
];

const NOUNS: &[&str] = &[
    "albatross",
    "alpaca",
    "antelope",
    "badger",
    "beaver",
    "bison",
    "bobcat",
    "buffalo",
    "caribou",
    "cheetah",
    "chipmunk",
    "condor",
    "cougar",
    "coyote",
    "crane",
    "dingo",
    "dolphin",
    "eagle",
    "egret",
    "falcon",
    "ferret",
    "finch",
    "flamingo",
    "fox",
    "gazelle",
    "gecko",
    "gibbon",
    "giraffe",
    "gopher",
    "heron",
    "hedgehog",
    "ibex",
    "iguana",
    "jackal",
    "jaguar",
    "kestrel",
    "kingfisher",
    "koala",
    "lemur",
    "leopard",
    "lynx",
    "magpie",
    "manatee",
    "marmot",
    "meerkat",
    "mongoose",
    "moose",
    "narwhal",
    "newt",
    "ocelot",
    "octopus",
    "orca",
    "osprey",
    "otter",
    "owl",
    "panda",
    "pelican",
    "penguin",
    "puffin",
    "quokka",
    "rabbit",
    "raccoon",
    "raven",
    "reindeer",
    "salamander",
    "seal",
    "sparrow",
    "squirrel",
    "stork",
    "swan",
    "tapir",
    "tiger",
    "toucan",
    "turtle",
    "viper",
    "vulture",
    "walrus",
    "weasel",
    "whale",
    "wolf",
    "wombat",
    "woodpecker",
    "yak",
    "zebra",
];

/// A generated name: `adjective_noun`, and after `attempt` ≥ 3 collisions a digit suffix
/// (as podman/docker do) so the search always ends.
pub fn generate_name(attempt: usize) -> String {
    let a = ADJECTIVES[random_below(ADJECTIVES.len())];
    let n = NOUNS[random_below(NOUNS.len())];
    if attempt < 3 {
        format!("{a}_{n}")
    } else {
        format!(
            "{a}_{n}{}",
            random_below(10usize.pow((attempt as u32 / 3).min(6)))
        )
    }
}

/// podman's rule for names: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
pub fn validate_name(name: &str) -> anyhow::Result<()> {
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    if !ok {
        bail!("container name {name:?} is invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
    }
    Ok(())
}

/// Is `s` a 64-hex container ID?
pub fn is_full_id(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// The ID a name index entry points at.
pub fn read_entry(names_dir: &Path, name: &str) -> Option<String> {
    if validate_name(name).is_err() {
        return None;
    }
    let t = std::fs::read_link(names_dir.join(name)).ok()?;
    let id = t.to_str()?.to_string();
    is_full_id(&id).then_some(id)
}

/// Outcome of trying to reserve a name.
pub enum Reserve {
    Done,
    /// Held by this live container ID.
    Taken(String),
}

/// Create the index entry `name → id`. Must be called with the names lock held; an entry
/// whose container has no record (`exists(id)` false) is stale and replaced.
pub fn reserve(
    names_dir: &Path,
    name: &str,
    id: &str,
    exists: impl Fn(&str) -> bool,
) -> anyhow::Result<Reserve> {
    let link = names_dir.join(name);
    for _ in 0..2 {
        match std::os::unix::fs::symlink(id, &link) {
            Ok(()) => return Ok(Reserve::Done),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                match read_entry(names_dir, name) {
                    Some(owner) if owner == id => return Ok(Reserve::Done),
                    Some(owner) if exists(&owner) => return Ok(Reserve::Taken(owner)),
                    _ => {
                        let _ = std::fs::remove_file(&link);
                    }
                }
            }
            Err(e) => {
                return Err(e).with_context(|| format!("reserving name in {}", names_dir.display()))
            }
        }
    }
    bail!("could not reserve container name {name:?}")
}

/// Drop the index entry `name` if it still points at `id`.
pub fn release(names_dir: &Path, name: &str, id: &str) {
    if read_entry(names_dir, name).as_deref() == Some(id) {
        let _ = std::fs::remove_file(names_dir.join(name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fsutil::random_id;

    #[test]
    fn ids_are_64_hex_and_distinct() {
        let a = random_id().unwrap();
        let b = random_id().unwrap();
        assert!(is_full_id(&a) && is_full_id(&b));
        assert_ne!(a, b);
    }

    #[test]
    fn names_validate_and_generate() {
        for n in ["web", "a.b-c_d", "0abc"] {
            validate_name(n).unwrap();
        }
        for n in ["", "-x", "_x", "a/b", "a b", "é"] {
            assert!(validate_name(n).is_err(), "{n}");
        }
        let g = generate_name(0);
        validate_name(&g).unwrap();
        assert!(g.contains('_'));
        validate_name(&generate_name(7)).unwrap();
    }

    #[test]
    fn reserve_takes_over_stale_entries_only() {
        let d = tempfile::tempdir().unwrap();
        let id1 = "a".repeat(64);
        let id2 = "b".repeat(64);
        assert!(matches!(
            reserve(d.path(), "web", &id1, |_| true).unwrap(),
            Reserve::Done
        ));
        assert!(
            matches!(reserve(d.path(), "web", &id2, |_| true).unwrap(), Reserve::Taken(o) if o == id1)
        );
        // id1's record is gone: the entry is stale.
        assert!(matches!(
            reserve(d.path(), "web", &id2, |_| false).unwrap(),
            Reserve::Done
        ));
        assert_eq!(read_entry(d.path(), "web").unwrap(), id2);
        release(d.path(), "web", &id1);
        assert!(read_entry(d.path(), "web").is_some());
        release(d.path(), "web", &id2);
        assert!(read_entry(d.path(), "web").is_none());
    }
}
