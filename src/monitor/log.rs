//! Container logs in podman's `k8s-file` format (what conmon writes):
//!
//! ```text
//! 2024-01-02T15:04:05.123456789Z stdout F a complete line
//! 2024-01-02T15:04:05.123456789Z stderr P the start of a line that did not end (yet)
//! ```
//! One timestamp per read from the container's pipe (as conmon does), so a container that
//! writes fast costs one clock read per pipe buffer, not per line. A read that ends without a
//! newline is written at once as a `P` (partial) record: nothing is held back in memory and a
//! reader reassembles `P…P F` into one message.
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

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

/// RFC 3339 UTC with 9 fractional digits.
pub fn timestamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()
}

/// Appends records to a container's log file.
pub struct LogWriter {
    file: File,
    buf: Vec<u8>,
}

impl LogWriter {
    pub fn open(path: &Path) -> std::io::Result<LogWriter> {
        use std::os::unix::fs::OpenOptionsExt;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)?;
        Ok(LogWriter {
            file,
            buf: Vec::with_capacity(64 * 1024),
        })
    }

    /// Record one chunk read from `stream`.
    pub fn write_chunk(&mut self, stream: Stream, chunk: &[u8]) -> std::io::Result<()> {
        if chunk.is_empty() {
            return Ok(());
        }
        let ts = timestamp(chrono::Utc::now());
        self.buf.clear();
        encode(&mut self.buf, &ts, stream, chunk);
        self.file.write_all(&self.buf)
    }
}

/// Encode `chunk` as records stamped `ts`.
pub fn encode(out: &mut Vec<u8>, ts: &str, stream: Stream, chunk: &[u8]) {
    let mut rest = chunk;
    while !rest.is_empty() {
        let (line, flag, next) = match rest.iter().position(|b| *b == b'\n') {
            Some(i) => (&rest[..i], b'F', &rest[i + 1..]),
            None => (rest, b'P', &rest[rest.len()..]),
        };
        out.extend_from_slice(ts.as_bytes());
        out.push(b' ');
        out.extend_from_slice(stream.as_str().as_bytes());
        out.push(b' ');
        out.push(flag);
        out.push(b' ');
        out.extend_from_slice(line);
        out.push(b'\n');
        rest = next;
    }
}

/// One record of the log file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    pub time: &'a str,
    pub stream: Stream,
    pub partial: bool,
    pub content: &'a [u8],
}

/// Parse one line (without its newline).
pub fn parse_record(line: &[u8]) -> Option<Record<'_>> {
    let mut it = line.splitn(4, |b| *b == b' ');
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
    Some(Record {
        time,
        stream,
        partial,
        content: it.next().unwrap_or(b""),
    })
}

/// A whole message (partials joined), as `logs` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Time of the message's first record.
    pub time: String,
    pub stream: Stream,
    pub content: Vec<u8>,
    /// False for a trailing partial line (the container has not finished it yet).
    pub complete: bool,
}

/// Reassembles records into messages; keeps one pending partial per stream.
#[derive(Default)]
pub struct Assembler {
    pending: [Option<Message>; 2],
}

impl Assembler {
    /// Feed one record; returns a message when it completes one.
    pub fn push(&mut self, r: &Record) -> Option<Message> {
        let slot = &mut self.pending[r.stream as usize];
        let m = slot.get_or_insert_with(|| Message {
            time: r.time.to_string(),
            stream: r.stream,
            content: Vec::new(),
            complete: false,
        });
        m.content.extend_from_slice(r.content);
        if r.partial {
            return None;
        }
        let mut m = slot.take()?;
        m.complete = true;
        Some(m)
    }

    /// Unfinished partial messages (printed at the end of a non-following `logs`).
    pub fn take_pending(&mut self) -> Vec<Message> {
        self.pending.iter_mut().filter_map(Option::take).collect()
    }
}

/// The last `n` complete messages of the log, the assembler state after them (unfinished
/// partial lines), and the offset where reading stopped (after the last complete line).
///
/// Reads backwards in blocks so `--tail` of a huge log stays cheap. The two streams
/// interleave and a message may span several `P` records, so messages are assembled forward
/// from a line boundary. A stream's first message in the loaded range might be the end of a
/// longer one that began earlier; while one of the last `n` messages is such a message, more
/// is read (up to [`TAIL_SCAN_LIMIT`] bytes, beyond which it is taken as it is).
pub fn tail_messages(f: &mut File, n: usize) -> std::io::Result<(Vec<Message>, Assembler, u64)> {
    let len = f.seek(SeekFrom::End(0))?;
    let mut block: u64 = 64 * 1024;
    loop {
        let start = len.saturating_sub(block);
        let mut data = vec![0u8; (len - start) as usize];
        f.seek(SeekFrom::Start(start))?;
        f.read_exact(&mut data)?;
        // Begin at a line boundary; end after the last complete line.
        let begin = if start == 0 {
            0
        } else {
            match data.iter().position(|b| *b == b'\n') {
                Some(i) => i + 1,
                None => data.len(),
            }
        };
        let end = data
            .iter()
            .rposition(|b| *b == b'\n')
            .map(|i| i + 1)
            .unwrap_or(0)
            .max(begin);
        let mut asm = Assembler::default();
        // Has this stream had a complete record in the range (so its next message starts here)?
        let mut seen_full = [start == 0; 2];
        let mut msgs: Vec<(Message, bool)> = Vec::new();
        for line in data[begin..end].split(|b| *b == b'\n') {
            let Some(r) = parse_record(line) else {
                continue;
            };
            let k = r.stream as usize;
            if let Some(m) = asm.push(&r) {
                msgs.push((m, seen_full[k]));
                seen_full[k] = true;
            }
        }
        let skip = msgs.len().saturating_sub(n);
        let unsure = msgs[skip..].iter().any(|(_, certain)| !certain);
        if start == 0 || (msgs.len() >= n && !unsure) || block >= TAIL_SCAN_LIMIT {
            let out = msgs.into_iter().skip(skip).map(|(m, _)| m).collect();
            return Ok((out, asm, start + end as u64));
        }
        block *= 4;
    }
}

/// How far back `tail_messages` reads to make sure a message is whole.
pub const TAIL_SCAN_LIMIT: u64 = 64 << 20;

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
    fn parses_and_reassembles() {
        let mut a = Assembler::default();
        let r1 = parse_record(b"T1 stdout P hel").unwrap();
        let r2 = parse_record(b"T2 stderr F err line").unwrap();
        let r3 = parse_record(b"T3 stdout F lo world").unwrap();
        assert!(a.push(&r1).is_none());
        assert_eq!(a.push(&r2).unwrap().content, b"err line");
        let m = a.push(&r3).unwrap();
        assert_eq!(
            (m.time.as_str(), m.content.as_slice()),
            ("T1", &b"hello world"[..])
        );
        assert!(parse_record(b"garbage").is_none());
    }

    #[test]
    fn tail_with_interleaved_streams_and_partials() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("log");
        let mut data = Vec::new();
        for i in 0..5000 {
            encode(
                &mut data,
                "T",
                Stream::Stdout,
                format!("line {i}\n").as_bytes(),
            );
        }
        encode(&mut data, "T", Stream::Stdout, b"thr");
        encode(&mut data, "T", Stream::Stderr, b"two\n");
        encode(&mut data, "T", Stream::Stdout, b"ee four\n");
        encode(&mut data, "T", Stream::Stdout, b"unfinished");
        std::fs::write(&p, &data).unwrap();
        let mut f = File::open(&p).unwrap();
        let (m, mut asm, off) = tail_messages(&mut f, 1).unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].content, b"three four");
        assert_eq!(off as usize, data.len());
        assert_eq!(asm.take_pending()[0].content, b"unfinished");
        let (m, _, _) = tail_messages(&mut f, 2).unwrap();
        assert_eq!(
            (m[0].content.as_slice(), m[0].stream),
            (&b"two"[..], Stream::Stderr)
        );
        let (m, _, _) = tail_messages(&mut f, 100_000).unwrap();
        assert_eq!(m.len(), 5002);
        assert_eq!(m[0].content, b"line 0");
        let (m, _, _) = tail_messages(&mut f, 0).unwrap();
        assert!(m.is_empty());
    }
}
