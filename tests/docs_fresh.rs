//! completions/ and man/ are generated from the clap definition and committed; this fails when
//! they no longer match it (same check as `scripts/gen-docs.sh --check`).
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn completions_and_man_pages_are_fresh() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    rctr::cli::docs::generate(tmp.path()).expect("generate docs");
    let mut stale = Vec::new();
    for sub in ["completions", "man"] {
        let (want, have) = (tmp.path().join(sub), repo.join(sub));
        let names = |d: &Path| -> Vec<_> {
            files(d)
                .into_iter()
                .map(|p| p.file_name().unwrap().to_owned())
                .collect()
        };
        let (wn, hn) = (names(&want), names(&have));
        for n in wn.iter().filter(|n| !hn.contains(n)) {
            stale.push(format!("{sub}/{} missing", n.to_string_lossy()));
        }
        for n in hn.iter().filter(|n| !wn.contains(n)) {
            stale.push(format!("{sub}/{} no longer generated", n.to_string_lossy()));
        }
        for n in wn.iter().filter(|n| hn.contains(n)) {
            if std::fs::read(want.join(n)).ok() != std::fs::read(have.join(n)).ok() {
                stale.push(format!("{sub}/{} differs", n.to_string_lossy()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "completions/man are stale: run scripts/gen-docs.sh\n  {}",
        stale.join("\n  ")
    );
}
