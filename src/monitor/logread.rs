//! Reading a k8s-file log back without holding it in memory: [`RecordReader`] turns the
//! bytes into events (a record's header, pieces of its content, its end) through one
//! fixed buffer, so a record of any length (a file another tool wrote, or a line of 1 GB in
//! thousands of `P` records) costs [`READ_BUF`] bytes; [`tail_offset`] finds where the last
//! N lines begin by reading backwards in blocks, as podman's `--tail` counts them.
use super::log::{scan_header, Header, HeaderScan, HEADER_MAX};
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::FileExt;

/// The reader's buffer.
pub const READ_BUF: usize = 64 * 1024;

/// What [`RecordReader::next`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Event<'a> {
    Start(Header),
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
    start: usize,
    end: usize,
    at: At,
}

impl Default for RecordReader {
    fn default() -> Self {
        RecordReader {
            buf: vec![0u8; READ_BUF].into_boxed_slice(),
            start: 0,
            end: 0,
            at: At::Header,
        }
    }
}

impl RecordReader {
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
                        self.start += used;
                        self.at = match (&h, ended) {
                            (None, true) => At::Header,
                            (None, false) => At::Skip,
                            (Some(_), true) => At::End,
                            (Some(_), false) => At::Content,
                        };
                        if let Some(h) = h {
                            return Ok(Some(Event::Start(h)));
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

/// Where the last `n` lines of the log begin, counted as podman does: from the end, every
/// full (`F`) record is a line, and so is a trailing partial one; the `P` records before a
/// line's `F` belong to it. Reads backwards in [`READ_BUF`] blocks.
pub fn tail_offset(f: &File, n: usize) -> std::io::Result<u64> {
    let len = f.metadata()?.len();
    let mut block = vec![0u8; READ_BUF];
    let mut counted = 0usize;
    // End of the record after the newline being looked at (its own newline excluded).
    let mut rec_end = len;
    let mut pos = len;
    // Is the record [start, end) one more than the last `n` lines?
    let mut beyond = |start: u64, end: u64, block: &[u8], block_at: u64| {
        if end <= start {
            return Ok::<_, std::io::Error>(false);
        }
        let want = ((end - start) as usize).min(HEADER_MAX);
        let mut head = [0u8; HEADER_MAX + 1];
        let off = (start - block_at) as usize;
        if off + want <= block.len() {
            head[..want].copy_from_slice(&block[off..off + want]);
        } else {
            f.read_exact_at(&mut head[..want], start)?;
        }
        // A record shorter than a header's maximum is whole here: end it as in the file.
        let whole = (end - start) as usize <= HEADER_MAX;
        head[want] = b'\n';
        let partial = match scan_header(&head[..want + whole as usize]) {
            HeaderScan::Done(Some(h), _, _) => h.partial,
            _ => return Ok(false),
        };
        if !partial || counted == 0 {
            counted += 1;
        }
        Ok(counted > n)
    };
    while pos > 0 {
        let at = pos.saturating_sub(READ_BUF as u64);
        let chunk = &mut block[..(pos - at) as usize];
        f.read_exact_at(chunk, at)?;
        let mut i = chunk.len();
        while let Some(j) = chunk[..i].iter().rposition(|b| *b == b'\n') {
            let nl = at + j as u64;
            if beyond(nl + 1, rec_end, chunk, at)? {
                return Ok((rec_end + 1).min(len));
            }
            rec_end = nl;
            i = j;
        }
        pos = at;
    }
    if beyond(0, rec_end, &[], 0)? {
        return Ok((rec_end + 1).min(len));
    }
    Ok(0)
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
                Event::Start(h) => out.push((format!("{}{}", h.time, h.partial), Vec::new())),
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
        assert!(matches!(r.next(&mut b).unwrap(), Some(Event::Start(h)) if h.time == "T1"));
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

    /// The messages from `off` on, partials joined.
    fn from(f: &mut File, off: u64) -> Vec<u8> {
        f.seek(SeekFrom::Start(off)).unwrap();
        let mut out = Vec::new();
        let mut r = RecordReader::default();
        let mut partial = false;
        while let Some(e) = r.next(f).unwrap() {
            match e {
                Event::Start(h) => partial = h.partial,
                Event::Content(c) => out.extend_from_slice(c),
                Event::End if !partial => out.push(b'\n'),
                Event::End => {}
            }
        }
        out
    }

    #[test]
    fn tail_counts_lines_as_podman() {
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
        // The `P` records before the last `F` are its line, whatever the stream (podman's
        // count): stdout's "thr" is cut off by stderr's "two".
        let off = tail_offset(&f, 1).unwrap();
        assert_eq!(from(&mut f, off), b"ee four\n");
        let off = tail_offset(&f, 2).unwrap();
        assert_eq!(from(&mut f, off), b"thrtwo\nee four\n");
        assert_eq!(tail_offset(&f, 100_000).unwrap(), 0);
        assert_eq!(tail_offset(&f, 0).unwrap(), data.len() as u64);
        let off = tail_offset(&f, 5002).unwrap();
        assert_eq!(
            from(&mut f, off).split(|b| *b == b'\n').next(),
            Some(&b"line 0"[..])
        );
        let off = tail_offset(&f, 5001).unwrap();
        assert!(from(&mut f, off).starts_with(b"line 1\n"));
        // A trailing partial line counts as one (podman#19545).
        let mut more = data.clone();
        encode(&mut more, "T", Stream::Stdout, b"unfinished");
        let (_d, mut f) = log_file(&more);
        let off = tail_offset(&f, 1).unwrap();
        assert_eq!(from(&mut f, off), b"unfinished");
        let off = tail_offset(&f, 2).unwrap();
        assert_eq!(from(&mut f, off), b"ee four\nunfinished");
    }

    #[test]
    fn tail_of_one_long_line_in_many_records() {
        let mut data = Vec::new();
        encode(&mut data, "T", Stream::Stdout, b"first\n");
        let long = vec![b'L'; READ_BUF * 5];
        for piece in long.chunks(1000) {
            encode(&mut data, "T", Stream::Stdout, piece);
        }
        encode(&mut data, "T", Stream::Stdout, b"\n");
        let (_d, mut f) = log_file(&data);
        let off = tail_offset(&f, 1).unwrap();
        let mut want = long.clone();
        want.push(b'\n');
        assert_eq!(from(&mut f, off), want);
        assert_eq!(tail_offset(&f, 2).unwrap(), 0);
        let (_d, f) = log_file(b"");
        assert_eq!(tail_offset(&f, 3).unwrap(), 0);
    }
}
