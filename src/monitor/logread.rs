//! Reading a k8s-file log back without holding it in memory: [`RecordReader`] turns the
//! bytes into events (a record's header, pieces of its content, its end) through one
//! fixed buffer, so a record of any length (a file another tool wrote, or a line of 1 GB in
//! thousands of `P` records) costs [`READ_BUF`] bytes; [`tail_plan`] finds where the last
//! N lines begin by reading backwards in blocks.
use super::log::{scan_header, Header, HeaderScan, Stream, HEADER_MAX};
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;

/// The reader's buffer.
pub const READ_BUF: usize = 64 * 1024;

/// What [`RecordReader::next`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Event<'a> {
    /// A record begins, at this offset of the input.
    Start(Header, u64),
    Content(&'a [u8]),
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    Header,
    Content,
    /// The record had no content: its end is due.
    End,
    /// Not a record: skip to the next newline.
    Skip,
}

/// Streams records out of a reader (see the module doc). At the end of the input `next`
/// returns `None` and keeps its place: call it again when more was written (`logs -f`).
pub struct RecordReader {
    buf: Box<[u8]>,
    /// Offset in the input of `buf[0]`.
    origin: u64,
    start: usize,
    end: usize,
    at: At,
}

impl Default for RecordReader {
    fn default() -> Self {
        RecordReader::at(0)
    }
}

impl RecordReader {
    /// A reader of input that starts at `offset` (where the file was seeked to).
    pub fn at(offset: u64) -> Self {
        RecordReader {
            buf: vec![0u8; READ_BUF].into_boxed_slice(),
            origin: offset,
            start: 0,
            end: 0,
            at: At::Header,
        }
    }

    pub fn next(&mut self, src: &mut dyn Read) -> std::io::Result<Option<Event<'_>>> {
        loop {
            let avail = &self.buf[self.start..self.end];
            let newline = || avail.iter().position(|b| *b == b'\n');
            match self.at {
                At::End => {
                    self.at = At::Header;
                    return Ok(Some(Event::End));
                }
                At::Skip => match newline() {
                    Some(i) => {
                        self.start += i + 1;
                        self.at = At::Header;
                        continue;
                    }
                    None => self.start = self.end,
                },
                At::Content => match newline() {
                    Some(0) => {
                        self.start += 1;
                        self.at = At::Header;
                        return Ok(Some(Event::End));
                    }
                    nl => {
                        let n = nl.unwrap_or(avail.len());
                        if n > 0 {
                            let s = self.start;
                            self.start += n;
                            return Ok(Some(Event::Content(&self.buf[s..s + n])));
                        }
                    }
                },
                At::Header => match scan_header(avail) {
                    HeaderScan::Done(h, used, ended) => {
                        let offset = self.origin + self.start as u64;
                        self.start += used;
                        self.at = match (&h, ended) {
                            (None, true) => At::Header,
                            (None, false) => At::Skip,
                            (Some(_), true) => At::End,
                            (Some(_), false) => At::Content,
                        };
                        if let Some(h) = h {
                            return Ok(Some(Event::Start(h, offset)));
                        }
                        continue;
                    }
                    HeaderScan::More => {}
                },
            }
            if !self.fill(src)? {
                return Ok(None);
            }
        }
    }

    /// Read more after what is buffered; false at the end of the input.
    fn fill(&mut self, src: &mut dyn Read) -> std::io::Result<bool> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.origin += self.start as u64;
            self.end -= self.start;
            self.start = 0;
        }
        loop {
            match src.read(&mut self.buf[self.end..]) {
                Ok(n) => {
                    self.end += n;
                    return Ok(n > 0);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

/// Where `--tail N` starts reading, and which records from there on belong to older lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tail {
    pub start: u64,
    /// Per stream ([`Stream`] as index): its records before this offset are not printed.
    pub skip_before: [u64; 2],
}

impl Tail {
    /// Is the record of `stream` at `offset` part of the tail?
    pub fn shows(&self, stream: Stream, offset: u64) -> bool {
        offset >= self.skip_before[stream as usize]
    }
}

/// The last `n` lines of the log, read backwards in [`READ_BUF`] blocks. A line is a
/// stream's message: its `P` records and the `F` that ends it (or a trailing partial line,
/// which counts as one, as podman counts it); the two streams interleave, so a line's first
/// records may come before another stream's older lines, which are then skipped.
pub fn tail_plan(f: &File, n: usize) -> std::io::Result<Tail> {
    #[derive(Clone, Copy, PartialEq)]
    enum Line {
        None,
        Shown,
        Older,
    }
    let len = f.metadata()?.len();
    let mut block = vec![0u8; READ_BUF];
    let mut counted = 0usize;
    // Per stream: the line the records being read belong to.
    let mut line = [Line::None; 2];
    let mut first_shown = [u64::MAX; 2];
    // Visit the record [start, end) (newline excluded); true when nothing before it matters.
    let mut visit = |start: u64, end: u64, block: &[u8], block_at: u64| {
        let Some(h) = header_at(f, start, end, block, block_at)? else {
            return Ok::<_, std::io::Error>(false);
        };
        let k = h.stream as usize;
        if !h.partial || line[k] == Line::None {
            // The end of an earlier line of this stream (or its unfinished last line).
            line[k] = if counted < n {
                counted += 1;
                Line::Shown
            } else {
                Line::Older
            };
        }
        if line[k] == Line::Shown {
            first_shown[k] = start;
        }
        Ok(counted >= n && !line.contains(&Line::Shown))
    };
    let (mut rec_end, mut pos) = (len, len);
    'scan: while pos > 0 {
        let at = pos.saturating_sub(READ_BUF as u64);
        let chunk = &mut block[..(pos - at) as usize];
        f.read_exact_at(chunk, at)?;
        let mut i = chunk.len();
        while let Some(j) = chunk[..i].iter().rposition(|b| *b == b'\n') {
            let nl = at + j as u64;
            if visit(nl + 1, rec_end, chunk, at)? {
                break 'scan;
            }
            rec_end = nl;
            i = j;
        }
        pos = at;
    }
    if pos == 0 {
        visit(0, rec_end, &[], 0)?;
    }
    let skip_before = first_shown.map(|o| o.min(len));
    Ok(Tail {
        start: skip_before[0].min(skip_before[1]),
        skip_before,
    })
}

/// The header of the record [start, end), from `block` (read at `block_at`) when it is there.
fn header_at(
    f: &File,
    start: u64,
    end: u64,
    block: &[u8],
    block_at: u64,
) -> std::io::Result<Option<Header>> {
    if end <= start {
        return Ok(None);
    }
    let want = ((end - start) as usize).min(HEADER_MAX);
    let mut head = [0u8; HEADER_MAX + 1];
    let off = start.saturating_sub(block_at) as usize;
    if start >= block_at && off + want <= block.len() {
        head[..want].copy_from_slice(&block[off..off + want]);
    } else {
        f.read_exact_at(&mut head[..want], start)?;
    }
    // A record shorter than a header's maximum is whole here: end it as in the file.
    let whole = (end - start) as usize <= HEADER_MAX;
    head[want] = b'\n';
    Ok(match scan_header(&head[..want + whole as usize]) {
        HeaderScan::Done(h, _, _) => h,
        HeaderScan::More => None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::log::{encode, Stream};
    use super::*;
    use std::io::{Seek, SeekFrom};

    /// Everything `r` yields from `data`, content joined per record.
    fn events(data: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut r = RecordReader::default();
        let mut src = data;
        let mut out: Vec<(String, Vec<u8>)> = Vec::new();
        while let Some(e) = r.next(&mut src).unwrap() {
            match e {
                Event::Start(h, _) => out.push((format!("{}{}", h.time, h.partial), Vec::new())),
                Event::Content(c) => out.last_mut().unwrap().1.extend_from_slice(c),
                Event::End => out.last_mut().unwrap().0.push('.'),
            }
        }
        out
    }

    #[test]
    fn reads_records_of_any_length_through_a_fixed_buffer() {
        let big = vec![b'y'; READ_BUF * 3 + 17];
        let mut data = b"T1 stdout F one\nnot a record\nT2 stderr F\n".to_vec();
        data.extend_from_slice(b"T3 stdout F ");
        data.extend_from_slice(&big);
        data.extend_from_slice(b"\nT4 stdout P tail");
        let ev = events(&data);
        assert_eq!(ev[0], ("T1false.".into(), b"one".to_vec()));
        assert_eq!(ev[1], ("T2false.".into(), Vec::new()));
        assert_eq!(ev[2], ("T3false.".into(), big));
        // The last record has not ended yet.
        assert_eq!(ev[3], ("T4true".into(), b"tail".to_vec()));
        assert_eq!(ev.len(), 4);
    }

    #[test]
    fn resumes_where_the_input_ended() {
        let mut r = RecordReader::default();
        let mut a: &[u8] = b"T1 std";
        assert!(r.next(&mut a).unwrap().is_none());
        let mut b: &[u8] = b"out F hi\n";
        assert!(matches!(r.next(&mut b).unwrap(), Some(Event::Start(h, 0)) if h.time == "T1"));
        assert_eq!(r.next(&mut b).unwrap(), Some(Event::Content(b"hi")));
        assert_eq!(r.next(&mut b).unwrap(), Some(Event::End));
        assert!(r.next(&mut b).unwrap().is_none());
    }

    #[test]
    fn a_huge_garbage_line_is_skipped() {
        let mut data = vec![b'g'; READ_BUF * 2];
        data.extend_from_slice(b"\nT stdout F ok\n");
        let ev = events(&data);
        assert_eq!(ev, vec![("Tfalse.".into(), b"ok".to_vec())]);
    }

    fn log_file(data: &[u8]) -> (tempfile::TempDir, File) {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("log");
        std::fs::write(&p, data).unwrap();
        let f = File::open(&p).unwrap();
        (d, f)
    }

    /// What `logs --tail` prints (stdout, stderr), partials joined.
    fn tail(f: &mut File, n: usize) -> (String, String) {
        let t = tail_plan(f, n).unwrap();
        f.seek(SeekFrom::Start(t.start)).unwrap();
        let mut out = [Vec::new(), Vec::new()];
        let mut r = RecordReader::at(t.start);
        let mut cur = None;
        while let Some(e) = r.next(f).unwrap() {
            match e {
                Event::Start(h, off) => cur = t.shows(h.stream, off).then_some(h),
                Event::Content(c) => {
                    if let Some(h) = &cur {
                        out[h.stream as usize].extend_from_slice(c);
                    }
                }
                Event::End => {
                    if let Some(h) = cur.take().filter(|h| !h.partial) {
                        out[h.stream as usize].push(b'\n');
                    }
                }
            }
        }
        let [o, e] = out.map(|v| String::from_utf8(v).unwrap());
        (o, e)
    }

    fn s(o: &str, e: &str) -> (String, String) {
        (o.to_string(), e.to_string())
    }

    #[test]
    fn tail_counts_each_streams_lines() {
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
        let (_d, mut f) = log_file(&data);
        // stdout's "thr" belongs to the last line, stderr's "two" between is older.
        assert_eq!(tail(&mut f, 1), s("three four\n", ""));
        assert_eq!(tail(&mut f, 2), s("three four\n", "two\n"));
        assert_eq!(tail(&mut f, 3), s("line 4999\nthree four\n", "two\n"));
        assert_eq!(tail_plan(&f, 100_000).unwrap().start, 0);
        let all = tail(&mut f, 5002);
        assert!(all.0.starts_with("line 0\nline 1\n") && all.1 == "two\n");
        assert!(tail(&mut f, 5001).0.starts_with("line 1\n"));
        let none = tail_plan(&f, 0).unwrap();
        assert_eq!(none.start, data.len() as u64);
        assert!(
            none.shows(Stream::Stderr, data.len() as u64),
            "followed from the end"
        );
        // A trailing partial line counts as one (podman#19545).
        let mut more = data.clone();
        encode(&mut more, "T", Stream::Stdout, b"unfinished");
        let (_d, mut f) = log_file(&more);
        assert_eq!(tail(&mut f, 1), s("unfinished", ""));
        assert_eq!(tail(&mut f, 2), s("three four\nunfinished", ""));
        assert_eq!(tail(&mut f, 3), s("three four\nunfinished", "two\n"));
    }

    #[test]
    fn tail_of_one_long_line_in_many_records() {
        let mut data = Vec::new();
        encode(&mut data, "T", Stream::Stdout, b"first\n");
        let long = "L".repeat(READ_BUF * 5);
        for piece in long.as_bytes().chunks(1000) {
            encode(&mut data, "T", Stream::Stdout, piece);
            encode(&mut data, "T", Stream::Stderr, b"e\n");
        }
        encode(&mut data, "T", Stream::Stdout, b"\n");
        let (_d, mut f) = log_file(&data);
        assert_eq!(tail(&mut f, 1), s(&format!("{long}\n"), ""));
        let (o, e) = tail(&mut f, 2);
        assert_eq!((o, e.as_str()), (format!("{long}\n"), "e\n"));
        assert_eq!(tail_plan(&f, 10_000).unwrap().start, 0);
        let (_d, f) = log_file(b"");
        assert_eq!(tail_plan(&f, 3).unwrap().start, 0);
    }
}
