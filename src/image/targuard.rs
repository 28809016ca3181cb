//! A bounds check in front of the tar crate. `tar::Archive` reads a PAX extended header or a
//! GNU long name into memory whole, whatever size its header declares: one layer with a
//! 100 MB (or 8 GB) PAX header would make rctr allocate that much (CWE-789, memory allocation
//! with an excessive size value; Go's archive/tar caps it at 1 MiB for the same reason,
//! CVE-2022-2879). [`TarGuard`] walks the same stream header by header, as the bytes pass, and
//! fails the read at the header that declares too much — before its data is read — and after
//! [`MAX_ENTRIES`] entries.
//!
//! It parses headers with the tar crate's own `Header` and follows the crate's rules for
//! where the next header starts (PAX `size`, GNU sparse extension blocks). The caller checks
//! every entry the crate yields against [`TarGuard::entry_position`], so a disagreement between
//! the two walks refuses the stream instead of letting a header slip past the caps.
use super::limits::{
    human, MAX_ENTRIES, MAX_LONG_NAME, MAX_PATH, MAX_PAX_HEADER, MAX_SPARSE_BLOCKS,
};
use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;
use tar::EntryType as T;

const BLOCK: u64 = 512;

enum State {
    /// Collecting the header block that starts at `at`.
    Header { at: u64 },
    /// `left` bytes of entry data (padded) to pass; `pax` collects a PAX header's records
    /// (the first `.1` bytes, the padding excluded).
    Data {
        left: u64,
        pax: Option<(Vec<u8>, usize)>,
    },
    /// GNU sparse extension blocks, then `data` bytes (padded).
    Sparse { data: u64, blocks: u64 },
    /// After the end-of-archive block (or a header the tar crate rejects itself).
    Done,
}

pub struct TarGuard<R> {
    inner: R,
    state: State,
    block: [u8; 512],
    filled: usize,
    /// Stream offset of the next byte.
    pos: u64,
    /// `size` record of a local PAX header, for the entry it describes.
    pax_size: Option<u64>,
    entries: u64,
    last_entry: Rc<Cell<Option<u64>>>,
}

/// The one error this module raises (becomes the read error the tar crate reports).
fn too_big(what: &str, n: u64, cap: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!(
            "{what} of {n} bytes exceeds the {} limit: refusing the layer",
            human(cap)
        ),
    )
}

impl<R: Read> TarGuard<R> {
    pub fn new(inner: R) -> TarGuard<R> {
        TarGuard {
            inner,
            state: State::Header { at: 0 },
            block: [0; 512],
            filled: 0,
            pos: 0,
            pax_size: None,
            entries: 0,
            last_entry: Rc::new(Cell::new(None)),
        }
    }

    /// Header offset of the last entry (not an extension header) the guard has passed; the
    /// tar crate's `Entry::raw_header_position` of the entry it just yielded must equal it.
    pub fn entry_position(&self) -> Rc<Cell<Option<u64>>> {
        self.last_entry.clone()
    }

    fn header_done(&mut self, at: u64) -> std::io::Result<State> {
        let b = self.block;
        if b.iter().all(|&x| x == 0) {
            return Ok(State::Done);
        }
        let h = tar::Header::from_byte_slice(&b);
        let Ok(mut size) = h.entry_size() else {
            return Ok(State::Done); // the tar crate fails on it too
        };
        let kind = h.entry_type();
        let known = h.as_gnu().is_some() || h.as_ustar().is_some();
        let ext = matches!(
            kind,
            T::XHeader | T::XGlobalHeader | T::GNULongName | T::GNULongLink
        );
        match kind {
            T::XHeader | T::XGlobalHeader if size > MAX_PAX_HEADER => {
                return Err(too_big("PAX extended header", size, MAX_PAX_HEADER))
            }
            T::GNULongName | T::GNULongLink if size > MAX_LONG_NAME => {
                return Err(too_big("GNU long name", size, MAX_LONG_NAME))
            }
            _ => {}
        }
        // The tar crate consumes known `x`, `L` and `K` headers itself (reading them into
        // memory) and yields everything else as an entry; a pending PAX `size` applies to the
        // next entry that is not an extension header, and only to that one.
        let consumed = known && matches!(kind, T::XHeader | T::GNULongName | T::GNULongLink);
        if !consumed {
            let pending = self.pax_size.take();
            if !ext {
                size = pending.unwrap_or(size);
            }
            self.count(at)?;
        }
        if ext {
            let collect = known && kind == T::XHeader;
            return Ok(State::Data {
                left: pad(size),
                pax: collect.then(|| (Vec::with_capacity(size as usize), size as usize)),
            });
        }
        if kind == T::GNUSparse && h.as_gnu().is_some_and(|g| g.is_extended()) {
            return Ok(State::Sparse {
                data: pad(size),
                blocks: 0,
            });
        }
        Ok(State::Data {
            left: pad(size),
            pax: None,
        })
    }

    fn count(&mut self, at: u64) -> std::io::Result<()> {
        self.entries += 1;
        if self.entries > MAX_ENTRIES {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("more than {MAX_ENTRIES} entries: refusing the layer"),
            ));
        }
        self.last_entry.set(Some(at));
        Ok(())
    }

    /// Take up to one block of `data` into `self.block`; true when the block is complete.
    fn fill(&mut self, data: &mut &[u8]) -> bool {
        let n = (512 - self.filled).min(data.len());
        self.block[self.filled..self.filled + n].copy_from_slice(&data[..n]);
        self.filled += n;
        self.pos += n as u64;
        *data = &data[n..];
        let full = self.filled == 512;
        if full {
            self.filled = 0;
        }
        full
    }

    /// Walk `data` (bytes just read) through the state machine.
    fn see(&mut self, mut data: &[u8]) -> std::io::Result<()> {
        while !data.is_empty() {
            match self.state {
                State::Done => return Ok(()),
                State::Header { at } => {
                    if self.fill(&mut data) {
                        self.state = self.header_done(at)?;
                        self.next_header_if_empty();
                    }
                }
                State::Data {
                    ref mut left,
                    ref mut pax,
                } => {
                    let n = (*left).min(data.len() as u64) as usize;
                    if let Some((v, want)) = pax.as_mut() {
                        let k = (*want - v.len()).min(n);
                        v.extend_from_slice(&data[..k]);
                    }
                    *left -= n as u64;
                    self.pos += n as u64;
                    data = &data[n..];
                    self.next_header_if_empty();
                }
                State::Sparse { data: len, blocks } => {
                    if !self.fill(&mut data) {
                        continue;
                    }
                    if blocks + 1 > MAX_SPARSE_BLOCKS {
                        return Err(too_big(
                            "GNU sparse map",
                            (blocks + 1) * BLOCK,
                            MAX_SPARSE_BLOCKS * BLOCK,
                        ));
                    }
                    // `isextended` of a `GnuExtSparseHeader` is its byte 504; the tar crate
                    // reads another block only when it is exactly 1.
                    self.state = if self.block[504] != 1 {
                        State::Data {
                            left: len,
                            pax: None,
                        }
                    } else {
                        State::Sparse {
                            data: len,
                            blocks: blocks + 1,
                        }
                    };
                    self.next_header_if_empty();
                }
            }
        }
        Ok(())
    }

    /// After an entry's last data byte: its PAX records take effect, the next header starts.
    fn next_header_if_empty(&mut self) {
        if let State::Data { left: 0, pax } = &mut self.state {
            if let Some((v, _)) = pax.take() {
                self.pax_size = pax_size(&v);
            }
            self.state = State::Header { at: self.pos };
        }
    }
}

fn pad(n: u64) -> u64 {
    n.div_ceil(BLOCK).saturating_mul(BLOCK)
}

/// The tar crate's reading of a PAX `size` record (first one wins, unparsable means none).
fn pax_size(records: &[u8]) -> Option<u64> {
    for e in tar::PaxExtensions::new(records) {
        let e = e.ok()?;
        if e.key() == Ok("size") {
            return e.value().ok()?.parse().ok();
        }
    }
    None
}

impl<R: Read> Read for TarGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.see(&buf[..n])?;
        Ok(n)
    }
}

/// Check that the tar crate's entry at `header` is the one the guard last passed.
pub fn agrees(guard: &Cell<Option<u64>>, header: u64) -> std::io::Result<()> {
    if guard.get() == Some(header) {
        return Ok(());
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!(
            "the tar headers at offset {header} could not be read consistently: refusing the layer"
        ),
    ))
}

/// Refuse a path or link name longer than PATH_MAX (a PAX `path` record can be 1 MiB).
pub fn check_path_len(what: &str, p: &[u8]) -> std::io::Result<()> {
    if p.len() > MAX_PATH {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "{what} of {} bytes exceeds the {} limit (PATH_MAX): refusing the layer",
                p.len(),
                human(MAX_PATH as u64)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(path: &str, kind: T, size: u64) -> Vec<u8> {
        let mut h = tar::Header::new_ustar();
        h.as_old_mut().name[..path.len()].copy_from_slice(path.as_bytes());
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(0o644);
        h.set_cksum();
        h.as_bytes().to_vec()
    }

    fn entry(out: &mut Vec<u8>, path: &str, kind: T, data: &[u8]) {
        out.extend(header(path, kind, data.len() as u64));
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }

    /// Read `stream` through the guard and the tar crate, checking positions like the unpacker.
    fn walk(stream: Vec<u8>, chunk: usize) -> std::io::Result<Vec<String>> {
        struct Chunked(std::io::Cursor<Vec<u8>>, usize);
        impl Read for Chunked {
            fn read(&mut self, b: &mut [u8]) -> std::io::Result<usize> {
                let n = b.len().min(self.1);
                self.0.read(&mut b[..n])
            }
        }
        let g = TarGuard::new(Chunked(std::io::Cursor::new(stream), chunk));
        let pos = g.entry_position();
        let mut ar = tar::Archive::new(g);
        let mut names = Vec::new();
        for e in ar.entries()? {
            let mut e = e?;
            agrees(&pos, e.raw_header_position()).expect("walks agree");
            names.push(String::from_utf8_lossy(&e.path_bytes()).into_owned());
            std::io::copy(&mut e, &mut std::io::sink())?;
        }
        Ok(names)
    }

    fn pax(records: &[(&str, &str)]) -> Vec<u8> {
        let mut v = Vec::new();
        for (k, val) in records {
            let body = format!(" {k}={val}\n");
            let mut n = body.len() + 1;
            while format!("{n}{body}").len() != n {
                n += 1;
            }
            v.extend(format!("{n}{body}").into_bytes());
        }
        v
    }

    #[test]
    fn passes_ordinary_streams_and_agrees_on_positions() {
        let mut s = Vec::new();
        entry(&mut s, "a", T::Regular, &[7u8; 700]);
        entry(&mut s, "././@LongLink", T::GNULongName, b"long/name\0");
        entry(&mut s, "x", T::Regular, b"y");
        entry(
            &mut s,
            "pax",
            T::XHeader,
            &pax(&[("path", "p/q"), ("size", "3")]),
        );
        // The header says 0 bytes, the PAX record 3: the tar crate follows the record.
        s.extend(header("ignored", T::Regular, 0));
        s.extend(b"abc");
        s.resize(s.len().div_ceil(512) * 512, 0);
        entry(&mut s, "g", T::XGlobalHeader, &pax(&[("comment", "hi")]));
        entry(&mut s, "last", T::Directory, b"");
        s.extend([0u8; 1024]);
        for chunk in [1, 100, 512, 4096] {
            let names = walk(s.clone(), chunk).unwrap();
            assert_eq!(names, ["a", "long/name", "p/q", "g", "last"], "{chunk}");
        }
    }

    #[test]
    fn refuses_oversized_extension_headers_before_reading_them() {
        // Only the header: a reader that had to buffer the declared 100 MB would fail on EOF
        // instead, with another message.
        let s = header("big", T::XHeader, 100 << 20);
        let e = walk(s, 512).unwrap_err();
        assert!(
            e.to_string()
                .contains("PAX extended header of 104857600 bytes exceeds the 1 MiB limit"),
            "{e}"
        );
        let e = walk(header("big", T::XGlobalHeader, MAX_PAX_HEADER + 1), 512).unwrap_err();
        assert!(e.to_string().contains("PAX extended header"), "{e}");
        let e = walk(header("l", T::GNULongName, 4097), 512).unwrap_err();
        assert!(
            e.to_string()
                .contains("GNU long name of 4097 bytes exceeds the 4096 bytes limit"),
            "{e}"
        );
        let mut ok = Vec::new();
        entry(&mut ok, "l", T::GNULongName, &[b'a'; 4096]);
        entry(&mut ok, "f", T::Regular, b"");
        ok.extend([0u8; 1024]);
        assert_eq!(walk(ok, 512).unwrap()[0].len(), 4096);
    }

    #[test]
    fn caps_the_entry_count() {
        let mut g = TarGuard::new(std::io::empty());
        g.entries = MAX_ENTRIES - 1;
        let mut s = Vec::new();
        entry(&mut s, "a", T::Regular, b"");
        entry(&mut s, "b", T::Regular, b"");
        let e = g.see(&s).unwrap_err();
        assert!(e.to_string().contains("more than 1000000 entries"), "{e}");
    }

    #[test]
    fn path_length() {
        assert!(check_path_len("path", &[b'a'; 4096]).is_ok());
        let e = check_path_len("path", &[b'a'; 4097]).unwrap_err();
        assert!(e.to_string().contains("PATH_MAX"), "{e}");
    }
}
