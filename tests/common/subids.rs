//! The lab user's subordinate IDs as this machine has them: read from `/etc/subuid` and
//! `/etc/subgid`, never assumed (tests/lab/setup.sh picks a free range, 100000:65536 only
//! where nobody else has one; `useradd` picks the uid).
use super::TestUser;

/// One subordinate range: host IDs `start ..= start + count - 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubIdRange {
    pub start: u32,
    pub count: u32,
}

impl SubIdRange {
    /// The last host ID of the range.
    pub fn last(&self) -> u32 {
        self.start + (self.count - 1)
    }

    /// `start-last`, the form `usermod --add-subuids` takes.
    pub fn dashed(&self) -> String {
        format!("{}-{}", self.start, self.last())
    }
}

/// The first entry of `user` (by name or by uid, as newuidmap matches) in subuid(5) text.
pub fn parse_subid(text: &str, user: &TestUser) -> Option<SubIdRange> {
    let uid = user.uid.to_string();
    text.lines().find_map(|l| {
        let mut f = l.split(':');
        let owner = f.next()?;
        if owner != user.name && owner != uid {
            return None;
        }
        let start = f.next()?.parse().ok()?;
        let count = f.next()?.parse().ok()?;
        (f.next().is_none() && count > 0).then_some(SubIdRange { start, count })
    })
}

fn read_range(file: &str, user: &TestUser) -> SubIdRange {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    parse_subid(&text, user).unwrap_or_else(|| {
        panic!(
            "{file} has no range for {}: run tests/lab/setup.sh as root",
            user.name
        )
    })
}

/// `user`'s range in /etc/subuid (panics with the setup hint when it has none).
pub fn subuid_range(user: &TestUser) -> SubIdRange {
    read_range("/etc/subuid", user)
}

/// `user`'s range in /etc/subgid (panics with the setup hint when it has none).
pub fn subgid_range(user: &TestUser) -> SubIdRange {
    read_range("/etc/subgid", user)
}
