//! Container logs in podman's `k8s-file` format (what conmon writes):
//!
//! ```text
//! 2024-01-02T15:04:05.123456789Z stdout F a complete line
//! 2024-01-02T15:04:05.123456789Z stderr P the start of a line that did not end (yet)
//! ```
//! One timestamp per read from the container's pipe (as conmon does), so a container that
//! writes fast costs one clock read per pipe buffer, not per line. A read that ends without a
//! newline is written at once as a `P` (partial) record, and a record holds at most
//! [`RECORD_CONTENT_MAX`] bytes (conmon's 8 KiB read buffer): nothing is held back in memory,
//! however long a line is, and a reader reassembles `P…P F` into one message.
//!
//! Size cap (`--log-opt max-size`, conmon's `--log-size-max`): when the next record would
//! take the file past the cap, the log is replaced by an empty one (written as `<log>.tmp`,
//! renamed over it) and writing continues there, as conmon does, so the file never exceeds
//! the cap. Reading it back is in [`super::logread`].
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    pub fn as_str(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        }
    }
}

/// The most content bytes in one record: with the ~41 bytes of timestamp, stream, tag and
/// newline, a record fits in 8 KiB, the smallest cap allowed, so a capped file never exceeds
/// its cap.
pub const RECORD_CONTENT_MAX: usize = 8192 - 64;

/// RFC 3339 UTC with 9 fractional digits.
pub fn timestamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()
}

/// Appends records to a container's log file, replacing it when it reaches its cap.
pub struct LogWriter {
    file: File,
    path: PathBuf,
    /// `None`: no cap.
    max: Option<u64>,
    /// Bytes in the current file (what was there at open included).
    written: u64,
    buf: Vec<u8>,
}

fn open_log(path: &Path, truncate: bool) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut o = std::fs::OpenOptions::new();
    if truncate {
        o.write(true).truncate(true);
    } else {
        o.append(true);
    }
    // O_NOFOLLOW: a symlink planted at the log's place must not redirect our writes.
    o.create(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

impl LogWriter {
    pub fn open(path: &Path, max: Option<u64>) -> std::io::Result<LogWriter> {
        let file = open_log(path, false)?;
        let written = file.metadata()?.len();
        Ok(LogWriter {
            file,
            path: path.to_path_buf(),
            max,
            written,
            buf: Vec::with_capacity(80 * 1024),
        })
    }

    /// Record one chunk read from `stream`.
    pub fn write_chunk(&mut self, stream: Stream, chunk: &[u8]) -> std::io::Result<()> {
        self.buf.clear();
        if chunk.is_empty() {
            return Ok(());
        }
        let ts = timestamp(chrono::Utc::now());
        let mut rest = chunk;
        while let Some((partial, content, next)) = split_record(rest) {
            let len = record_len(&ts, stream, content) as u64;
            let used = self.written + self.buf.len() as u64;
            if self.max.is_some_and(|m| used > 0 && used + len > m) {
                self.flush()?;
                self.rotate()?;
            }
            push_record(&mut self.buf, &ts, stream, partial, content);
            rest = next;
        }
        self.flush()
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let res = self.file.write_all(&self.buf);
        // Counted even when the write failed part-way: overestimating only rotates sooner.
        self.written += self.buf.len() as u64;
        self.buf.clear();
        res
    }

    /// Start over with an empty log (conmon's `reopen_k8s_file`): a new file renamed over
    /// the old one, so a reader holding the old file reads it to its end.
    fn rotate(&mut self) -> std::io::Result<()> {
        let mut tmp = self.path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let fresh = open_log(&tmp, true).and_then(|f| {
            std::fs::rename(&tmp, &self.path)?;
            Ok(f)
        });
        match fresh {
            Ok(f) => self.file = f,
            // Cannot make a new file (full disk, quota): empty this one rather than exceed
            // the cap.
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                self.file.set_len(0).map_err(|_| e)?;
            }
        }
        self.written = 0;
        Ok(())
    }
}

/// The first record of `rest`: (partial, content, what follows); `None` when it is empty.
fn split_record(rest: &[u8]) -> Option<(bool, &[u8], &[u8])> {
    if rest.is_empty() {
        return None;
    }
    let window = &rest[..rest.len().min(RECORD_CONTENT_MAX + 1)];
    Some(match window.iter().position(|b| *b == b'\n') {
        Some(i) => (false, &rest[..i], &rest[i + 1..]),
        None => {
            let n = rest.len().min(RECORD_CONTENT_MAX);
            (true, &rest[..n], &rest[n..])
        }
    })
}

fn record_len(ts: &str, stream: Stream, content: &[u8]) -> usize {
    ts.len() + 1 + stream.as_str().len() + 3 + content.len() + 1
}

fn push_record(out: &mut Vec<u8>, ts: &str, stream: Stream, partial: bool, content: &[u8]) {
    out.extend_from_slice(ts.as_bytes());
    out.push(b' ');
    out.extend_from_slice(stream.as_str().as_bytes());
    out.push(b' ');
    out.push(if partial { b'P' } else { b'F' });
    out.push(b' ');
    out.extend_from_slice(content);
    out.push(b'\n');
}

/// Encode `chunk` as records stamped `ts`.
pub fn encode(out: &mut Vec<u8>, ts: &str, stream: Stream, chunk: &[u8]) {
    let mut rest = chunk;
    while let Some((partial, content, next)) = split_record(rest) {
        push_record(out, ts, stream, partial, content);
        rest = next;
    }
}

/// A record's header: `TIME STREAM P|F`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub time: String,
    pub stream: Stream,
    pub partial: bool,
}

/// The longest header accepted (a timestamp with a zone offset is 35 bytes).
pub const HEADER_MAX: usize = 64;

/// How the start of a record parsed.
#[derive(Debug, PartialEq, Eq)]
pub enum HeaderScan {
    /// A header (`None`: not a valid one), the bytes it took (its trailing space or the
    /// newline included), and whether the record ended there (no content).
    Done(Option<Header>, usize, bool),
    /// Need more bytes to tell.
    More,
}

/// Parse the header at the start of `data` (a record's first bytes).
pub fn scan_header(data: &[u8]) -> HeaderScan {
    let mut spaces = 0;
    for (i, b) in data.iter().take(HEADER_MAX).enumerate() {
        let ended = *b == b'\n';
        if *b == b' ' {
            spaces += 1;
        }
        if ended || spaces == 3 {
            return HeaderScan::Done(parse_header(&data[..i]), i + 1, ended);
        }
    }
    if data.len() >= HEADER_MAX {
        HeaderScan::Done(None, 0, false)
    } else {
        HeaderScan::More
    }
}

fn parse_header(h: &[u8]) -> Option<Header> {
    let mut it = h.split(|b| *b == b' ');
    let time = std::str::from_utf8(it.next()?).ok()?;
    let stream = match it.next()? {
        b"stdout" => Stream::Stdout,
        b"stderr" => Stream::Stderr,
        _ => return None,
    };
    let partial = match it.next()? {
        b"P" => true,
        b"F" => false,
        _ => return None,
    };
    (!time.is_empty()).then(|| Header {
        time: time.to_string(),
        stream,
        partial,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_full_and_partial_lines() {
        let mut out = Vec::new();
        encode(&mut out, "T", Stream::Stdout, b"a\nbb\nccc");
        assert_eq!(out, b"T stdout F a\nT stdout F bb\nT stdout P ccc\n");
        let mut out = Vec::new();
        encode(&mut out, "T", Stream::Stderr, b"\n");
        assert_eq!(out, b"T stderr F \n");
        assert_eq!(
            timestamp(chrono::DateTime::from_timestamp(0, 5).unwrap()),
            "1970-01-01T00:00:00.000000005Z"
        );
    }

    #[test]
    fn long_lines_are_split_into_bounded_records() {
        let mut line = vec![b'a'; RECORD_CONTENT_MAX * 2 + 10];
        line.push(b'\n');
        let mut out = Vec::new();
        encode(&mut out, "T", Stream::Stdout, &line);
        let recs: Vec<&[u8]> = out
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(recs.len(), 3);
        assert!(recs[0].starts_with(b"T stdout P aaa") && recs[1].starts_with(b"T stdout P "));
        assert_eq!(recs[2], [&b"T stdout F "[..], &[b'a'; 10][..]].concat());
        assert!(recs.iter().all(|r| r.len() < 8192));
        // A line of exactly the maximum and its newline is one full record.
        let mut out = Vec::new();
        let mut line = vec![b'b'; RECORD_CONTENT_MAX];
        line.push(b'\n');
        encode(&mut out, "T", Stream::Stdout, &line);
        assert_eq!(out.iter().filter(|b| **b == b'\n').count(), 1);
        assert!(out.starts_with(b"T stdout F b"));
    }

    #[test]
    fn scans_headers() {
        let h = |t: &str, s, p| {
            Some(Header {
                time: t.into(),
                stream: s,
                partial: p,
            })
        };
        assert_eq!(
            scan_header(b"T1 stdout P hel"),
            HeaderScan::Done(h("T1", Stream::Stdout, true), 12, false)
        );
        assert_eq!(
            scan_header(b"T2 stderr F\nnext"),
            HeaderScan::Done(h("T2", Stream::Stderr, false), 12, true)
        );
        assert_eq!(scan_header(b"T2 stderr"), HeaderScan::More);
        assert_eq!(
            scan_header(b"garbage line\n"),
            HeaderScan::Done(None, 13, true)
        );
        assert_eq!(scan_header(b"T x F y"), HeaderScan::Done(None, 6, false));
        assert_eq!(scan_header(&[b'x'; 100]), HeaderScan::Done(None, 0, false));
    }

    fn capped_writer(max: u64) -> (tempfile::TempDir, PathBuf, LogWriter) {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("ctr.log");
        let w = LogWriter::open(&p, Some(max)).unwrap();
        (d, p, w)
    }

    #[test]
    fn rotation_keeps_the_file_within_its_cap() {
        let (_d, p, mut w) = capped_writer(8192);
        let chunk = vec![b'z'; 64 * 1024];
        for _ in 0..20 {
            w.write_chunk(Stream::Stdout, &chunk).unwrap();
            assert!(std::fs::metadata(&p).unwrap().len() <= 8192);
        }
        w.write_chunk(Stream::Stdout, b"end\n").unwrap();
        let log = std::fs::read(&p).unwrap();
        assert!(log.ends_with(b" stdout F end\n"), "{}", log.len());
        assert!(!p.with_extension("log.tmp").exists());
        // Reopened over a file already past a (smaller) cap: the next record starts over.
        std::fs::write(&p, vec![b'x'; 20_000]).unwrap();
        let mut w = LogWriter::open(&p, Some(10_000)).unwrap();
        w.write_chunk(Stream::Stderr, b"fresh\n").unwrap();
        let log = std::fs::read_to_string(&p).unwrap();
        assert!(log.ends_with(" stderr F fresh\n") && log.lines().count() == 1);
    }

    #[test]
    fn no_cap_appends_forever() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("ctr.log");
        let mut w = LogWriter::open(&p, None).unwrap();
        for _ in 0..4 {
            w.write_chunk(Stream::Stdout, &[b'q'; 10_000]).unwrap();
        }
        assert!(std::fs::metadata(&p).unwrap().len() > 40_000);
    }

    #[test]
    fn refuses_a_symlink_at_the_log_path() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("ctr.log");
        std::os::unix::fs::symlink(d.path().join("elsewhere"), &p).unwrap();
        assert!(LogWriter::open(&p, None).is_err());
        assert!(!d.path().join("elsewhere").exists());
    }
}
