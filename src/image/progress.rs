//! Pull chatter on stderr, podman style: indicatif bars per layer on a terminal, one line per
//! step otherwise, nothing with `-q` (the image ID on stdout is printed by the caller).
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

pub struct Progress {
    mode: Mode,
}

enum Mode {
    Quiet,
    Lines,
    Bars(MultiProgress),
}

fn short(digest: &str) -> &str {
    let h = digest.split_once(':').map(|(_, h)| h).unwrap_or(digest);
    &h[..12.min(h.len())]
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        let mode = if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            Mode::Bars(MultiProgress::with_draw_target(ProgressDrawTarget::stderr()))
        } else {
            Mode::Lines
        };
        Progress { mode }
    }

    pub fn line(&self, s: &str) {
        match &self.mode {
            Mode::Quiet => {}
            Mode::Lines => eprintln!("{s}"),
            Mode::Bars(m) => {
                let _ = m.println(s);
            }
        }
    }

    /// A layer download starts: a bar (terminal) or a `Copying blob` line.
    pub fn blob(&self, digest: &str, size: u64) -> Option<ProgressBar> {
        match &self.mode {
            Mode::Quiet => None,
            Mode::Lines => {
                eprintln!("Copying blob {digest}");
                None
            }
            Mode::Bars(m) => {
                let b = m.add(ProgressBar::new(size));
                b.set_style(
                    ProgressStyle::with_template(
                        "Copying blob {prefix} [{bar:30}] {bytes} / {total_bytes} | {bytes_per_sec}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                b.set_prefix(short(digest).to_string());
                Some(b)
            }
        }
    }

    pub fn skipped(&self, digest: &str) {
        match &self.mode {
            Mode::Quiet => {}
            Mode::Lines => eprintln!("Copying blob {digest} skipped: already exists"),
            Mode::Bars(m) => {
                let _ = m.println(format!(
                    "Copying blob {} skipped: already exists",
                    short(digest)
                ));
            }
        }
    }

    pub fn done(&self, bar: Option<&ProgressBar>) {
        if let Some(b) = bar {
            b.set_style(
                ProgressStyle::with_template("Copying blob {prefix} done {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b.finish();
        }
    }

    pub fn fail(&self, bar: Option<&ProgressBar>) {
        if let Some(b) = bar {
            b.abandon();
        }
    }
}
