//! "tar-split": while a layer is unpacked, every byte of the uncompressed tar stream EXCEPT
//! regular-file contents is recorded (`layers/<hex>/tar-split`). `save` rebuilds the exact
//! original stream from it plus the unpacked files, so the rebuilt layer's sha256 equals the
//! diff ID in the image config and the image ID survives `save` + `load` (the idea of
//! containers/storage's tar-split, in a simpler format).
//!
//! Format: a sequence of records, `B <u64 len> <bytes>` (verbatim stream bytes) and
//! `F <u32 len> <path> <u64 size>` (`size` content bytes of the file at `path`, relative to the
//! layer root). Integers little-endian.
use std::cell::RefCell;
use std::io::{Read, Write};
use std::rc::Rc;

#[derive(Debug, Default)]
pub struct Recorder {
    /// Stream position of the next byte the tee sees.
    pos: u64,
    pending: Vec<u8>,
    /// Content range `[start, end)` not to record (the current regular file).
    skip: Option<(u64, u64)>,
    out: Vec<u8>,
    /// Where records go once `out` grows past [`SPILL`] (a layer of millions of entries must
    /// not hold all its headers in memory).
    sink: Option<std::io::BufWriter<std::fs::File>>,
    /// Set when the stream could not be described (then no tar-split is written).
    broken: bool,
}

const SPILL: usize = 1 << 20;

impl Recorder {
    /// A recorder writing to `file` as it goes.
    pub fn to_file(file: std::fs::File) -> Recorder {
        Recorder {
            sink: Some(std::io::BufWriter::new(file)),
            ..Default::default()
        }
    }

    fn spill(&mut self) {
        if self.out.len() < SPILL {
            return;
        }
        if let Some(w) = self.sink.as_mut() {
            if w.write_all(&self.out).is_err() {
                self.broken = true;
            }
            self.out.clear();
        }
    }

    fn flush_pending(&mut self) {
        if !self.pending.is_empty() {
            self.out.push(b'B');
            self.out
                .extend_from_slice(&(self.pending.len() as u64).to_le_bytes());
            self.out.append(&mut self.pending);
        }
    }

    /// The content of the entry at stream offset `start` (`size` bytes) is the file `path`.
    pub fn file(&mut self, start: u64, size: u64, path: &[u8]) {
        if start != self.pos || self.skip.is_some() {
            self.broken = true;
            return;
        }
        self.flush_pending();
        self.out.push(b'F');
        self.out
            .extend_from_slice(&(path.len() as u32).to_le_bytes());
        self.out.extend_from_slice(path);
        self.out.extend_from_slice(&size.to_le_bytes());
        self.skip = Some((start, start + size));
        self.spill();
    }

    fn see(&mut self, data: &[u8]) {
        let start = self.pos;
        let end = start + data.len() as u64;
        self.pos = end;
        let Some((s, e)) = self.skip else {
            self.pending.extend_from_slice(data);
            return;
        };
        // Bytes before/after the skipped content range are stream bytes.
        if start < s {
            let n = (end.min(s) - start) as usize;
            self.pending.extend_from_slice(&data[..n]);
        }
        if end > e {
            let from = (e.max(start) - start) as usize;
            self.pending.extend_from_slice(&data[from..]);
        }
        if end >= e {
            self.skip = None;
        }
    }

    /// The serialized tar-split (empty when it went to a file), or `None` if the stream
    /// could not be described or the file not written.
    pub fn finish(mut self) -> Option<Vec<u8>> {
        if self.broken || self.skip.is_some() {
            return None;
        }
        self.flush_pending();
        match self.sink.take() {
            None => Some(self.out),
            Some(mut w) => {
                w.write_all(&self.out).ok()?;
                w.into_inner().ok()?;
                Some(Vec::new())
            }
        }
    }
}

/// Passes a stream through, showing every byte to the shared [`Recorder`].
pub struct Tee<R> {
    pub inner: R,
    pub rec: Rc<RefCell<Recorder>>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut r = self.rec.borrow_mut();
        if r.skip.is_none() {
            // fast path: plain header bytes
            r.pos += n as u64;
            r.pending.extend_from_slice(&buf[..n]);
        } else {
            r.see(&buf[..n]);
        }
        // Stream bytes between two files are unbounded (the data of a symlink entry that
        // declares gigabytes, trailing padding): write them out in pieces, consecutive `B`
        // records rebuild the same stream.
        if r.pending.len() >= SPILL {
            r.flush_pending();
            r.spill();
        }
        Ok(n)
    }
}

/// One record of a tar-split.
pub enum Record<'a> {
    Bytes(&'a [u8]),
    File { path: &'a [u8], size: u64 },
}

/// Iterate the records of a serialized tar-split.
pub fn records(data: &[u8]) -> impl Iterator<Item = Result<Record<'_>, String>> {
    let mut i = 0usize;
    std::iter::from_fn(move || {
        if i >= data.len() {
            return None;
        }
        let bad = || Some(Err("tar-split is corrupt".to_string()));
        let tag = data[i];
        i += 1;
        match tag {
            b'B' => {
                let len = u64::from_le_bytes(data.get(i..i + 8)?.try_into().ok()?) as usize;
                i += 8;
                let Some(b) = data.get(i..i + len) else {
                    return bad();
                };
                i += len;
                Some(Ok(Record::Bytes(b)))
            }
            b'F' => {
                let len = u32::from_le_bytes(data.get(i..i + 4)?.try_into().ok()?) as usize;
                i += 4;
                let Some(path) = data.get(i..i + len) else {
                    return bad();
                };
                i += len;
                let size = u64::from_le_bytes(data.get(i..i + 8)?.try_into().ok()?);
                i += 8;
                Some(Ok(Record::File { path, size }))
            }
            _ => bad(),
        }
    })
}

/// Rebuild the stream: verbatim bytes, and file contents from `open(path)`.
pub fn rebuild<W: Write>(
    data: &[u8],
    mut open: impl FnMut(&[u8]) -> std::io::Result<Box<dyn Read>>,
    out: &mut W,
) -> anyhow::Result<()> {
    for r in records(data) {
        match r.map_err(|e| anyhow::anyhow!(e))? {
            Record::Bytes(b) => out.write_all(b)?,
            Record::File { path, size } => {
                let f = open(path)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", String::from_utf8_lossy(path)))?;
                let n = std::io::copy(&mut f.take(size), out)?;
                if n != size {
                    anyhow::bail!(
                        "{} changed since it was unpacked (size {n}, expected {size})",
                        String::from_utf8_lossy(path)
                    );
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip() {
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        let content = b"hello".repeat(1000);
        h.set_size(content.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, "a/file", &content[..]).unwrap();
        let mut h = tar::Header::new_gnu();
        h.set_size(0);
        h.set_entry_type(tar::EntryType::Directory);
        h.set_cksum();
        b.append_data(&mut h, "a/dir", &b""[..]).unwrap();
        let stream = b.into_inner().unwrap();
        let rec = Rc::new(RefCell::new(Recorder::default()));
        let tee = Tee {
            inner: std::io::Cursor::new(stream.clone()),
            rec: rec.clone(),
        };
        let mut ar = tar::Archive::new(tee);
        for e in ar.entries().unwrap() {
            let mut e = e.unwrap();
            if e.header().entry_type().is_file() {
                let p = e.path_bytes().into_owned();
                rec.borrow_mut().file(e.raw_file_position(), e.size(), &p);
            }
            std::io::copy(&mut e, &mut std::io::sink()).unwrap();
        }
        let mut rest = ar.into_inner();
        std::io::copy(&mut rest, &mut std::io::sink()).unwrap();
        drop(rest);
        let split = Rc::try_unwrap(rec).unwrap().into_inner().finish().unwrap();
        assert!(
            split.len() + 4000 < stream.len(),
            "file content is not recorded"
        );
        let mut out = Vec::new();
        rebuild(
            &split,
            |p| {
                assert_eq!(p, b"a/file");
                Ok(Box::new(std::io::Cursor::new(b"hello".repeat(1000))))
            },
            &mut out,
        )
        .unwrap();
        assert_eq!(out, stream);
    }

    /// Stream bytes that are not file content (here: 3 MiB of "data" of a symlink entry) go
    /// to the file in pieces, not into memory, and still rebuild the same stream.
    #[test]
    fn long_runs_of_stream_bytes_are_spilled() {
        let mut h = tar::Header::new_ustar();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(3 << 20);
        h.set_cksum();
        let mut stream = h.as_bytes().to_vec();
        stream.extend(vec![7u8; 3 << 20]);
        stream.extend([0u8; 1024]);
        let f = tempfile::tempfile().unwrap();
        let rec = Rc::new(RefCell::new(Recorder::to_file(f.try_clone().unwrap())));
        let mut tee = Tee {
            inner: std::io::Cursor::new(stream.clone()),
            rec: rec.clone(),
        };
        let mut buf = vec![0u8; 64 * 1024];
        while tee.read(&mut buf).unwrap() > 0 {
            assert!(rec.borrow().pending.len() <= SPILL + buf.len());
        }
        drop(tee);
        Rc::try_unwrap(rec).unwrap().into_inner().finish().unwrap();
        let mut split = Vec::new();
        let mut f = f;
        std::io::Seek::rewind(&mut f).unwrap();
        f.read_to_end(&mut split).unwrap();
        let mut out = Vec::new();
        rebuild(&split, |_| unreachable!(), &mut out).unwrap();
        assert_eq!(out, stream);
    }
}
