//! The monitor's event loop: a table of sources (an fd, readable or writable interest, a
//! handler) and one-shot timers (a deadline, a handler) around one poll(2).
//!
//! Handlers get the loop's state (`S`, owned by the caller) and the loop itself, so they can
//! register sources and timers (a listener accepting a connection, a timer re-arming itself),
//! remove other sources, or stop the loop. Each round polls every source in registration
//! order, runs the handlers of the ready ones in that order, then the timers that are due in
//! deadline order; the poll's timeout is the nearest deadline. A source's fd belongs to the
//! caller: a handler that closes it returns [`Flow::Remove`] (or removes its source) first.
use std::os::fd::RawFd;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interest {
    Readable,
    Writable,
}

/// What a source's handler wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Keep,
    Remove,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceId(u64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimerId(u64);

/// What poll(2) reported for a source (a handler runs on any of these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revents(i16);

impl Revents {
    pub fn readable(self) -> bool {
        self.0 & libc::POLLIN != 0
    }
    pub fn writable(self) -> bool {
        self.0 & libc::POLLOUT != 0
    }
    /// The other end is gone or the fd is in error: a read returns EOF or the error.
    pub fn hangup(self) -> bool {
        self.0 & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
    }
}

type SourceFn<'h, S> =
    Box<dyn FnMut(&mut S, &mut EventLoop<'h, S>, Revents) -> anyhow::Result<Flow> + 'h>;
type TimerFn<'h, S> = Box<dyn FnOnce(&mut S, &mut EventLoop<'h, S>) -> anyhow::Result<()> + 'h>;

/// A source whose fds change from round to round (libslirp's sockets): it fills its part
/// of the poll set before each poll, and reads its results after the loop's handlers ran.
pub trait Poller {
    /// Append the fds to watch to `fds`; return the longest the loop may sleep for it.
    fn prepare(&mut self, fds: &mut Vec<libc::pollfd>) -> Option<Duration>;
    /// `fds` is the whole poll set of this round, with poll's results.
    fn dispatch(&mut self, fds: &[libc::pollfd]);
}

struct Source<'h, S> {
    id: u64,
    fd: RawFd,
    interest: Interest,
    /// `None` while the handler runs (it is called with the loop borrowed).
    handler: Option<SourceFn<'h, S>>,
}

struct Timer<'h, S> {
    id: u64,
    deadline: Instant,
    handler: TimerFn<'h, S>,
}

pub struct EventLoop<'h, S> {
    sources: Vec<Source<'h, S>>,
    timers: Vec<Timer<'h, S>>,
    pollers: Vec<Box<dyn Poller + 'h>>,
    next_id: u64,
    stopped: bool,
}

impl<'h, S> Default for EventLoop<'h, S> {
    fn default() -> Self {
        EventLoop {
            sources: Vec::new(),
            timers: Vec::new(),
            pollers: Vec::new(),
            next_id: 0,
            stopped: false,
        }
    }
}

impl<'h, S> EventLoop<'h, S> {
    pub fn new() -> Self {
        Self::default()
    }

    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Call `handler` whenever `fd` is ready for `interest` (or hung up / in error).
    pub fn add_source(
        &mut self,
        fd: RawFd,
        interest: Interest,
        handler: impl FnMut(&mut S, &mut EventLoop<'h, S>, Revents) -> anyhow::Result<Flow> + 'h,
    ) -> SourceId {
        let id = self.id();
        self.sources.push(Source {
            id,
            fd,
            interest,
            handler: Some(Box::new(handler)),
        });
        SourceId(id)
    }

    /// Stop watching a source (no-op when it is already gone).
    pub fn remove(&mut self, id: SourceId) {
        self.sources.retain(|s| s.id != id.0);
    }

    /// Call `handler` once, at `deadline` or as soon after it as the loop gets to it.
    pub fn add_timer(
        &mut self,
        deadline: Instant,
        handler: impl FnOnce(&mut S, &mut EventLoop<'h, S>) -> anyhow::Result<()> + 'h,
    ) -> TimerId {
        let id = self.id();
        self.timers.push(Timer {
            id,
            deadline,
            handler: Box::new(handler),
        });
        TimerId(id)
    }

    /// Poll `p`'s fds on every round, for as long as the loop runs (see [`Poller`]).
    pub fn add_poller(&mut self, p: Box<dyn Poller + 'h>) {
        self.pollers.push(p);
    }

    pub fn cancel_timer(&mut self, id: TimerId) {
        self.timers.retain(|t| t.id != id.0);
    }

    /// End [`EventLoop::run`] once the current round's handlers have run.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    /// Run rounds until `done(state)` holds (checked before each round), a handler stops the
    /// loop, or nothing is left to wait for. A handler's error ends the loop with it.
    pub fn run(&mut self, state: &mut S, mut done: impl FnMut(&S) -> bool) -> anyhow::Result<()> {
        self.stopped = false;
        while !self.stopped && !done(state) {
            if self.sources.is_empty() && self.timers.is_empty() {
                break;
            }
            self.round(state)?;
        }
        Ok(())
    }

    fn timeout_ms(&self, pollers: Option<Duration>) -> i32 {
        let now = Instant::now();
        let timers = self.timers.iter().map(|t| t.deadline).min();
        let next = match (timers, pollers.map(|d| now + d)) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => return -1,
        };
        let left = next.saturating_duration_since(now);
        // Rounded up: waking before the deadline would only spin until it.
        let ms = left.as_millis() + u128::from(left.subsec_nanos() % 1_000_000 != 0);
        ms.min(i32::MAX as u128) as i32
    }

    fn round(&mut self, state: &mut S) -> anyhow::Result<()> {
        let mut fds: Vec<libc::pollfd> = self
            .sources
            .iter()
            .map(|s| libc::pollfd {
                fd: s.fd,
                events: match s.interest {
                    Interest::Readable => libc::POLLIN,
                    Interest::Writable => libc::POLLOUT,
                },
                revents: 0,
            })
            .collect();
        let ids: Vec<u64> = self.sources.iter().map(|s| s.id).collect();
        let mut poller_wait: Option<Duration> = None;
        for p in &mut self.pollers {
            if let Some(d) = p.prepare(&mut fds) {
                poller_wait = Some(poller_wait.map_or(d, |w| w.min(d)));
            }
        }
        // SAFETY: `fds` is a valid array of pollfd of the given length.
        let n = unsafe {
            libc::poll(
                fds.as_mut_ptr(),
                fds.len() as libc::nfds_t,
                self.timeout_ms(poller_wait),
            )
        };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                anyhow::bail!("poll: {e}");
            }
            // Nothing is ready; pollers still get their round (libslirp pairs each fill
            // with a poll).
            fds.iter_mut().for_each(|p| p.revents = 0);
        }
        for (p, id) in fds.iter().zip(ids) {
            if p.revents != 0 {
                self.dispatch(state, id, Revents(p.revents))?;
            }
        }
        for p in &mut self.pollers {
            p.dispatch(&fds);
        }
        self.fire_timers(state)
    }

    /// Run one ready source's handler (unless an earlier handler of this round removed it).
    fn dispatch(&mut self, state: &mut S, id: u64, rev: Revents) -> anyhow::Result<()> {
        let Some(mut h) = self
            .sources
            .iter_mut()
            .find(|s| s.id == id)
            .and_then(|s| s.handler.take())
        else {
            return Ok(());
        };
        let flow = h(state, self, rev);
        match (&flow, self.sources.iter_mut().find(|s| s.id == id)) {
            (Ok(Flow::Keep), Some(s)) => s.handler = Some(h),
            _ => self.remove(SourceId(id)),
        }
        flow.map(|_| ())
    }

    fn fire_timers(&mut self, state: &mut S) -> anyhow::Result<()> {
        let now = Instant::now();
        while !self.stopped {
            let due = self
                .timers
                .iter()
                .enumerate()
                .filter(|(_, t)| t.deadline <= now)
                .min_by_key(|(_, t)| t.deadline)
                .map(|(i, _)| i);
            let Some(i) = due else { break };
            let t = self.timers.remove(i);
            (t.handler)(state, self)?;
        }
        Ok(())
    }
}

/// A deadline `d` from now.
pub fn after(d: Duration) -> Instant {
    Instant::now() + d
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::{AsRawFd, OwnedFd};

    fn pipe() -> (OwnedFd, OwnedFd) {
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).unwrap()
    }

    #[derive(Default)]
    struct Seen {
        log: Vec<String>,
        reader: Option<OwnedFd>,
    }

    fn read_into(s: &mut Seen, tag: &str) -> Flow {
        let mut b = [0u8; 64];
        let n = nix::unistd::read(s.reader.as_ref().unwrap(), &mut b).unwrap();
        if n == 0 {
            s.log.push(format!("{tag}: eof"));
            s.reader = None;
            return Flow::Remove;
        }
        s.log
            .push(format!("{tag}: {}", String::from_utf8_lossy(&b[..n])));
        Flow::Keep
    }

    #[test]
    fn reads_until_eof_then_runs_out_of_sources() {
        let (r, w) = pipe();
        let mut s = Seen {
            reader: Some(r),
            ..Default::default()
        };
        let mut lp = EventLoop::new();
        let fd = s.reader.as_ref().unwrap().as_raw_fd();
        lp.add_source(fd, Interest::Readable, |s: &mut Seen, _, rev| {
            assert!(rev.readable() || rev.hangup());
            Ok(read_into(s, "r"))
        });
        nix::unistd::write(&w, b"hi").unwrap();
        drop(w);
        lp.run(&mut s, |_| false).unwrap();
        assert_eq!(s.log, ["r: hi", "r: eof"]);
    }

    #[test]
    fn timer_fires_after_its_deadline_and_can_stop_the_loop() {
        let (r, _w) = pipe(); // never readable: only the timer can end this
        let mut s = Seen::default();
        let mut lp = EventLoop::new();
        lp.add_source(r.as_raw_fd(), Interest::Readable, |_, _, _| Ok(Flow::Keep));
        let t0 = Instant::now();
        let late = lp.add_timer(after(Duration::from_secs(30)), |s: &mut Seen, _| {
            s.log.push("late".into());
            Ok(())
        });
        lp.add_timer(after(Duration::from_millis(50)), move |s: &mut Seen, lp| {
            s.log.push("first".into());
            lp.cancel_timer(late);
            // A timer may arm another one.
            lp.add_timer(after(Duration::from_millis(20)), |s: &mut Seen, lp| {
                s.log.push("second".into());
                lp.stop();
                Ok(())
            });
            Ok(())
        });
        lp.run(&mut s, |_| false).unwrap();
        assert!(
            t0.elapsed() >= Duration::from_millis(70),
            "{:?}",
            t0.elapsed()
        );
        assert!(t0.elapsed() < Duration::from_secs(10));
        assert_eq!(s.log, ["first", "second"]);
    }

    #[test]
    fn registration_order_removal_by_others_and_done_predicate() {
        struct Two {
            log: Vec<&'static str>,
            second: Option<SourceId>,
            remove_second: bool,
        }
        for remove_second in [false, true] {
            let (r1, w1) = pipe();
            let (r2, w2) = pipe();
            let mut s = Two {
                log: vec![],
                second: None,
                remove_second,
            };
            let mut lp: EventLoop<Two> = EventLoop::new();
            lp.add_source(r1.as_raw_fd(), Interest::Readable, |s: &mut Two, lp, _| {
                s.log.push("a");
                // Both are ready in this round: removing the second skips its handler.
                if s.remove_second {
                    if let Some(id) = s.second.take() {
                        lp.remove(id);
                    }
                }
                Ok(Flow::Keep)
            });
            let b = lp.add_source(r2.as_raw_fd(), Interest::Readable, |s: &mut Two, _, _| {
                s.log.push("b");
                Ok(Flow::Keep)
            });
            s.second = Some(b);
            nix::unistd::write(&w2, b"y").unwrap();
            nix::unistd::write(&w1, b"x").unwrap();
            // The predicate ends it after the first round (the data is never read).
            lp.run(&mut s, |s| !s.log.is_empty()).unwrap();
            let want: &[&str] = if remove_second { &["a"] } else { &["a", "b"] };
            assert_eq!(s.log, want);
        }
    }

    #[test]
    fn writable_interest_and_errors_end_the_loop() {
        let (_r, w) = pipe();
        let mut s = 0u32;
        let mut lp = EventLoop::new();
        lp.add_source(w.as_raw_fd(), Interest::Writable, |n: &mut u32, _, rev| {
            assert!(rev.writable());
            *n += 1;
            if *n == 3 {
                anyhow::bail!("enough");
            }
            Ok(Flow::Keep)
        });
        let e = lp.run(&mut s, |_| false).unwrap_err();
        assert_eq!((s, e.to_string().as_str()), (3, "enough"));
    }
}
