//! The per-target loop of `rm`, `kill`, `stop`, `wait`, `start`, `restart`, `rmi` and
//! `volume rm`: act on each name in turn, print `Error: …` for each one that fails and go
//! on, and end with one exit code. Which failure's code wins differs per command in podman,
//! so the command passes its [`Rule`]; the code of each failure comes from the exit table
//! ([`super::exit`]).
use super::exit::{self, Cmd};
use std::process::ExitCode;

/// Which failure's code the command ends with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The last failure's (`start`, `restart`; `kill`, `stop`, `wait` always fail with 125).
    Last,
    /// The first failure's (`volume rm`).
    First,
    /// The first code other than this one, else this one (`rm`: 1 "no such container" only
    /// when nothing worse happened).
    FirstOtherThan(u8),
    /// The first failure's, and its message is printed after all the others (`rmi`).
    FirstShownLast,
}

/// The failures seen so far: the code to end with, and (for [`Rule::FirstShownLast`]) the
/// message held back.
#[derive(Debug)]
pub struct Tally<E> {
    rule: Rule,
    code: Option<u8>,
    held: Option<E>,
}

impl<E> Tally<E> {
    pub fn new(rule: Rule) -> Self {
        Tally {
            rule,
            code: None,
            held: None,
        }
    }

    /// Record a failure with `code`; returns the error when it is to be printed now.
    pub fn fail(&mut self, code: u8, err: E) -> Option<E> {
        let first = self.code.is_none();
        self.code = Some(match (self.rule, self.code) {
            (Rule::Last, _) | (_, None) => code,
            (Rule::FirstOtherThan(n), Some(c)) if c == n => code,
            (_, Some(c)) => c,
        });
        if first && self.rule == Rule::FirstShownLast {
            self.held = Some(err);
            return None;
        }
        Some(err)
    }

    /// The error held back (to print last), and the exit code (0 when nothing failed).
    pub fn finish(self) -> (Option<E>, u8) {
        (self.held, self.code.unwrap_or(0))
    }
}

/// Run `act` on each target; a failure is printed as `Error: …` (podman's form) and the loop
/// goes on. `act` prints what succeeded and swallows what the command's flags tolerate
/// (`--ignore`, `--force`). Returns the exit code per `rule` and the table for `cmd`.
pub fn each<T>(
    targets: impl IntoIterator<Item = T>,
    cmd: Cmd,
    rule: Rule,
    mut act: impl FnMut(T) -> anyhow::Result<()>,
) -> ExitCode {
    let mut tally = Tally::new(rule);
    for t in targets {
        if let Err(e) = act(t) {
            if let Some(e) = tally.fail(exit::code_for(cmd, &e), e) {
                eprintln!("Error: {e:#}");
            }
        }
    }
    let (held, code) = tally.finish();
    if let Some(e) = held {
        eprintln!("Error: {e:#}");
    }
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feed `codes` as failures; what was printed at once (by code), what was held, the code.
    fn run(rule: Rule, codes: &[u8]) -> (Vec<u8>, Option<u8>, u8) {
        let mut t = Tally::new(rule);
        let printed = codes.iter().filter_map(|&c| t.fail(c, c)).collect();
        let (held, code) = t.finish();
        (printed, held, code)
    }

    #[test]
    fn nothing_failed_is_zero() {
        for rule in [
            Rule::Last,
            Rule::First,
            Rule::FirstOtherThan(1),
            Rule::FirstShownLast,
        ] {
            assert_eq!(run(rule, &[]), (vec![], None, 0));
        }
    }

    #[test]
    fn last_and_first() {
        assert_eq!(
            run(Rule::Last, &[127, 125, 126]),
            (vec![127, 125, 126], None, 126)
        );
        assert_eq!(run(Rule::First, &[2, 1, 125]), (vec![2, 1, 125], None, 2));
    }

    #[test]
    fn rm_rule_first_code_other_than_one() {
        let rm = Rule::FirstOtherThan(1);
        assert_eq!(run(rm, &[1, 1]).2, 1);
        assert_eq!(run(rm, &[1, 2]).2, 2);
        assert_eq!(run(rm, &[1, 125]).2, 125);
        assert_eq!(run(rm, &[2, 125]).2, 2);
        assert_eq!(run(rm, &[125, 2]).2, 125);
        assert_eq!(run(rm, &[125, 1]).2, 125);
        assert_eq!(run(rm, &[2, 1]).2, 2);
        assert_eq!(run(rm, &[1, 2, 1]).1, None, "all printed at once");
    }

    #[test]
    fn rmi_shows_the_first_failure_last_and_ends_with_its_code() {
        assert_eq!(
            run(Rule::FirstShownLast, &[1, 2, 125]),
            (vec![2, 125], Some(1), 1)
        );
        assert_eq!(run(Rule::FirstShownLast, &[2]), (vec![], Some(2), 2));
    }
}
