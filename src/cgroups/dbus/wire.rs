//! The D-Bus wire format: values, signatures and messages, marshalled little-endian
//! (either byte order read), protocol version 1.
use super::DbusError;

/// The specification's limits: a whole message, and one array.
const MAX_MESSAGE: usize = 128 << 20;
const MAX_ARRAY: usize = 64 << 20;
/// Variants can nest without bound on the wire; the stack must not.
const MAX_DEPTH: u32 = 64;

type Result<T> = std::result::Result<T, DbusError>;

fn protocol(what: impl Into<String>) -> DbusError {
    DbusError::Protocol(what.into())
}
/// One D-Bus value; arrays carry their element signature so an empty one can be encoded.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Byte(u8),
    Bool(bool),
    I16(i16),
    U16(u16),
    I32(i32),
    U32(u32),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(String),
    ObjPath(String),
    Sig(String),
    UnixFd(u32),
    Array(String, Vec<Value>),
    Struct(Vec<Value>),
    DictEntry(Box<Value>, Box<Value>),
    Variant(Box<Value>),
}

impl Value {
    /// The value's own type signature (what a variant holding it announces).
    pub fn signature(&self) -> String {
        let s = match self {
            Value::Byte(_) => "y",
            Value::Bool(_) => "b",
            Value::I16(_) => "n",
            Value::U16(_) => "q",
            Value::I32(_) => "i",
            Value::U32(_) => "u",
            Value::I64(_) => "x",
            Value::U64(_) => "t",
            Value::F64(_) => "d",
            Value::Str(_) => "s",
            Value::ObjPath(_) => "o",
            Value::Sig(_) => "g",
            Value::UnixFd(_) => "h",
            Value::Variant(_) => "v",
            Value::Array(elem, _) => return format!("a{elem}"),
            Value::Struct(v) => {
                return format!("({})", v.iter().map(Value::signature).collect::<String>())
            }
            Value::DictEntry(k, v) => return format!("{{{}{}}}", k.signature(), v.signature()),
        };
        s.to_string()
    }

    /// The text of a string, object path or signature.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) | Value::ObjPath(s) | Value::Sig(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_u32(&self) -> Option<u32> {
        match self {
            Value::U32(n) => Some(*n),
            _ => None,
        }
    }
}

/// The first complete type of `sig`, and the rest.
fn split_type(sig: &str) -> Result<(&str, &str)> {
    let bad = || protocol(format!("invalid type signature {sig:?}"));
    let mut depth = 0usize;
    for (i, c) in sig.bytes().enumerate() {
        match c {
            // An array's element type follows.
            b'a' => continue,
            b'(' | b'{' => depth += 1,
            b')' | b'}' => depth = depth.checked_sub(1).ok_or_else(bad)?,
            b'y' | b'b' | b'n' | b'q' | b'i' | b'u' | b'x' | b't' | b'd' | b's' | b'o' | b'g'
            | b'v' | b'h' => {}
            _ => return Err(bad()),
        }
        if depth == 0 {
            return Ok(sig.split_at(i + 1));
        }
    }
    Err(bad())
}

/// The complete types inside a struct or dict entry type (`(su)` → `s`, `u`).
fn inner_types(ty: &str) -> Result<Vec<&str>> {
    let mut rest = &ty[1..ty.len() - 1];
    let mut v = Vec::new();
    while !rest.is_empty() {
        let (t, r) = split_type(rest)?;
        v.push(t);
        rest = r;
    }
    if v.is_empty() {
        return Err(protocol(format!("empty struct in signature {ty:?}")));
    }
    Ok(v)
}

fn align_of(ty: &str) -> usize {
    match ty.as_bytes()[0] {
        b'y' | b'g' | b'v' => 1,
        b'n' | b'q' => 2,
        b'b' | b'i' | b'u' | b's' | b'o' | b'a' | b'h' => 4,
        _ => 8, // x t d ( {
    }
}

/// Little-endian marshalling; offsets count from the start of `buf`, which must be the
/// start of the message or of its (8-aligned) body.
#[derive(Default)]
struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    fn pad(&mut self, n: usize) {
        while self.buf.len() % n != 0 {
            self.buf.push(0);
        }
    }

    fn string(&mut self, s: &str, sig: bool) -> Result<()> {
        if s.contains('\0') {
            return Err(protocol(format!("string {s:?} holds a NUL byte")));
        }
        if sig {
            let n = u8::try_from(s.len()).map_err(|_| protocol("signature too long"))?;
            self.buf.push(n);
        } else {
            self.buf.extend((s.len() as u32).to_le_bytes());
        }
        self.buf.extend(s.as_bytes());
        self.buf.push(0);
        Ok(())
    }

    fn put(&mut self, ty: &str, v: &Value, depth: u32) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(protocol("values nested too deeply"));
        }
        self.pad(align_of(ty));
        let b = &mut self.buf;
        match (ty.as_bytes()[0], v) {
            (b'y', Value::Byte(x)) => b.push(*x),
            (b'b', Value::Bool(x)) => b.extend(u32::from(*x).to_le_bytes()),
            (b'n', Value::I16(x)) => b.extend(x.to_le_bytes()),
            (b'q', Value::U16(x)) => b.extend(x.to_le_bytes()),
            (b'i', Value::I32(x)) => b.extend(x.to_le_bytes()),
            (b'u', Value::U32(x)) | (b'h', Value::UnixFd(x)) => b.extend(x.to_le_bytes()),
            (b'x', Value::I64(x)) => b.extend(x.to_le_bytes()),
            (b't', Value::U64(x)) => b.extend(x.to_le_bytes()),
            (b'd', Value::F64(x)) => b.extend(x.to_le_bytes()),
            (b's', Value::Str(s)) => self.string(s, false)?,
            (b'o', Value::ObjPath(s)) if s.starts_with('/') => self.string(s, false)?,
            (b'g', Value::Sig(s)) => self.string(s, true)?,
            (b'a', Value::Array(elem, items)) if elem == &ty[1..] => {
                let at = b.len();
                b.extend([0; 4]);
                // Padding to the element's alignment comes even for an empty array, and
                // is not counted in its length.
                self.pad(align_of(elem));
                let start = self.buf.len();
                for item in items {
                    self.put(elem, item, depth + 1)?;
                }
                let n = self.buf.len() - start;
                if n > MAX_ARRAY {
                    return Err(protocol("array longer than 64 MiB"));
                }
                self.buf[at..at + 4].copy_from_slice(&(n as u32).to_le_bytes());
            }
            (b'(', Value::Struct(fields)) => {
                let types = inner_types(ty)?;
                if types.len() != fields.len() {
                    return Err(mismatch(ty, v));
                }
                for (t, f) in types.iter().zip(fields) {
                    self.put(t, f, depth + 1)?;
                }
            }
            (b'{', Value::DictEntry(k, val)) => match inner_types(ty)?[..] {
                [kt, vt] => {
                    self.put(kt, k, depth + 1)?;
                    self.put(vt, val, depth + 1)?;
                }
                _ => return Err(mismatch(ty, v)),
            },
            (b'v', Value::Variant(inner)) => {
                let sig = inner.signature();
                self.string(&sig, true)?;
                self.put(&sig, inner, depth + 1)?;
            }
            _ => return Err(mismatch(ty, v)),
        }
        Ok(())
    }
}

fn mismatch(ty: &str, v: &Value) -> DbusError {
    protocol(format!(
        "a value of type {} where the signature says {ty}",
        v.signature()
    ))
}

/// Marshal `values` as the complete types of `sig` say (little-endian, offsets from 0).
pub fn encode(sig: &str, values: &[Value]) -> Result<Vec<u8>> {
    let mut w = Writer::default();
    let mut rest = sig;
    for v in values {
        let (ty, r) = split_type(rest).map_err(|_| mismatch(sig, v))?;
        w.put(ty, v, 0)?;
        rest = r;
    }
    if !rest.is_empty() {
        return Err(protocol(format!("signature {sig:?} wants more values")));
    }
    Ok(w.buf)
}

/// Unmarshal a whole body of signature `sig` (little-endian).
pub fn decode(sig: &str, data: &[u8]) -> Result<Vec<Value>> {
    Reader::new(data, false).all(sig)
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    big: bool,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8], big: bool) -> Reader<'a> {
        Reader { buf, pos: 0, big }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.buf.len());
        let end = end.ok_or_else(|| protocol("truncated message"))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn align(&mut self, n: usize) -> Result<()> {
        let pad = (n - self.pos % n) % n;
        self.take(pad).map(drop)
    }

    fn fixed<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut a: [u8; N] = self.take(N)?.try_into().expect("N bytes");
        if self.big {
            a.reverse();
        }
        Ok(a)
    }

    fn u32(&mut self) -> Result<u32> {
        self.fixed().map(u32::from_le_bytes)
    }

    fn text(&mut self, len: usize) -> Result<String> {
        let b = self.take(len + 1)?;
        if b[len] != 0 {
            return Err(protocol("string without its NUL"));
        }
        String::from_utf8(b[..len].to_vec()).map_err(|_| protocol("string is not UTF-8"))
    }

    /// The values of all complete types in `sig`.
    fn all(&mut self, sig: &str) -> Result<Vec<Value>> {
        let mut rest = sig;
        let mut v = Vec::new();
        while !rest.is_empty() {
            let (ty, r) = split_type(rest)?;
            v.push(self.get(ty, 0)?);
            rest = r;
        }
        Ok(v)
    }

    fn get(&mut self, ty: &str, depth: u32) -> Result<Value> {
        if depth > MAX_DEPTH {
            return Err(protocol("values nested too deeply"));
        }
        self.align(align_of(ty))?;
        Ok(match ty.as_bytes()[0] {
            b'y' => Value::Byte(self.take(1)?[0]),
            b'b' => match self.u32()? {
                0 => Value::Bool(false),
                1 => Value::Bool(true),
                n => return Err(protocol(format!("boolean {n}"))),
            },
            b'n' => Value::I16(self.fixed().map(i16::from_le_bytes)?),
            b'q' => Value::U16(self.fixed().map(u16::from_le_bytes)?),
            b'i' => Value::I32(self.fixed().map(i32::from_le_bytes)?),
            b'u' => Value::U32(self.u32()?),
            b'h' => Value::UnixFd(self.u32()?),
            b'x' => Value::I64(self.fixed().map(i64::from_le_bytes)?),
            b't' => Value::U64(self.fixed().map(u64::from_le_bytes)?),
            b'd' => Value::F64(self.fixed().map(f64::from_le_bytes)?),
            b's' => Value::Str(self.u32().and_then(|n| self.text(n as usize))?),
            b'o' => Value::ObjPath(self.u32().and_then(|n| self.text(n as usize))?),
            b'g' => Value::Sig(self.take(1).and_then(|n| self.text(n[0] as usize))?),
            b'a' => {
                let n = self.u32()? as usize;
                if n > MAX_ARRAY {
                    return Err(protocol("array longer than 64 MiB"));
                }
                let elem = &ty[1..];
                self.align(align_of(elem))?;
                let end = self.pos + n;
                let mut items = Vec::new();
                while self.pos < end {
                    items.push(self.get(elem, depth + 1)?);
                }
                if self.pos != end {
                    return Err(protocol("array length does not match its elements"));
                }
                Value::Array(elem.to_string(), items)
            }
            b'(' => {
                let types = inner_types(ty)?;
                let fields = types.iter().map(|t| self.get(t, depth + 1));
                Value::Struct(fields.collect::<Result<_>>()?)
            }
            b'{' => match inner_types(ty)?[..] {
                [k, v] => Value::DictEntry(
                    Box::new(self.get(k, depth + 1)?),
                    Box::new(self.get(v, depth + 1)?),
                ),
                _ => return Err(protocol(format!("invalid dict entry {ty:?}"))),
            },
            b'v' => {
                let sig = self.take(1).and_then(|n| self.text(n[0] as usize))?;
                let (t, rest) = split_type(&sig)?;
                if !rest.is_empty() {
                    return Err(protocol(format!("variant of several types {sig:?}")));
                }
                Value::Variant(Box::new(self.get(t, depth + 1)?))
            }
            _ => return Err(protocol(format!("invalid type {ty:?}"))),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    MethodCall,
    Return,
    Error,
    Signal,
    /// The specification says to ignore unknown types, not to fail on them.
    Other(u8),
}

impl Kind {
    fn code(self) -> u8 {
        match self {
            Kind::MethodCall => 1,
            Kind::Return => 2,
            Kind::Error => 3,
            Kind::Signal => 4,
            Kind::Other(n) => n,
        }
    }

    fn from_code(n: u8) -> Kind {
        [Kind::MethodCall, Kind::Return, Kind::Error, Kind::Signal]
            .into_iter()
            .find(|k| k.code() == n)
            .unwrap_or(Kind::Other(n))
    }
}

/// One message, its header fields decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub kind: Kind,
    pub flags: u8,
    pub serial: u32,
    pub path: Option<String>,
    pub interface: Option<String>,
    pub member: Option<String>,
    pub error_name: Option<String>,
    pub reply_serial: Option<u32>,
    pub destination: Option<String>,
    pub sender: Option<String>,
    pub signature: String,
    pub body: Vec<Value>,
}

/// Header field codes (the specification's order).
const PATH: u8 = 1;
const INTERFACE: u8 = 2;
const MEMBER: u8 = 3;
const ERROR_NAME: u8 = 4;
const REPLY_SERIAL: u8 = 5;
const DESTINATION: u8 = 6;
const SENDER: u8 = 7;
const SIGNATURE: u8 = 8;
const HEADER_SIG: &str = "yyyyuua(yv)";

impl Message {
    pub fn new(kind: Kind) -> Message {
        Message {
            kind,
            flags: 0,
            serial: 0,
            path: None,
            interface: None,
            member: None,
            error_name: None,
            reply_serial: None,
            destination: None,
            sender: None,
            signature: String::new(),
            body: Vec::new(),
        }
    }

    /// Body argument `i` as text (string, object path or signature).
    pub fn str_arg(&self, i: usize) -> Option<&str> {
        self.body.get(i).and_then(Value::as_str)
    }

    /// Is this the signal `iface.member`?
    pub fn is_signal(&self, iface: &str, member: &str) -> bool {
        self.kind == Kind::Signal
            && self.interface.as_deref() == Some(iface)
            && self.member.as_deref() == Some(member)
    }

    /// The wire form: header, padding to 8, body.
    pub fn encode(&self) -> Result<Vec<u8>> {
        let body = encode(&self.signature, &self.body)?;
        let mut fields = Vec::new();
        let mut field = |code: u8, v: Option<Value>| {
            if let Some(v) = v {
                fields.push(Value::Struct(vec![
                    Value::Byte(code),
                    Value::Variant(Box::new(v)),
                ]));
            }
        };
        let text = |s: &Option<String>| s.clone().map(Value::Str);
        field(PATH, self.path.clone().map(Value::ObjPath));
        field(INTERFACE, text(&self.interface));
        field(MEMBER, text(&self.member));
        field(ERROR_NAME, text(&self.error_name));
        field(REPLY_SERIAL, self.reply_serial.map(Value::U32));
        field(DESTINATION, text(&self.destination));
        field(SENDER, text(&self.sender));
        if !self.signature.is_empty() {
            field(SIGNATURE, Some(Value::Sig(self.signature.clone())));
        }
        let header = [
            Value::Byte(b'l'),
            Value::Byte(self.kind.code()),
            Value::Byte(self.flags),
            Value::Byte(1),
            Value::U32(body.len() as u32),
            Value::U32(self.serial),
            Value::Array("(yv)".into(), fields),
        ];
        let mut w = Writer {
            buf: encode(HEADER_SIG, &header)?,
        };
        w.pad(8);
        w.buf.extend(body);
        Ok(w.buf)
    }

    /// Parse one whole message (either byte order).
    pub fn decode(data: &[u8]) -> Result<Message> {
        let mut r = Reader::new(data, endian(data)?);
        let h = r.all(HEADER_SIG)?;
        let (Value::Byte(kind), Value::Byte(flags), Value::Byte(version)) = (&h[1], &h[2], &h[3])
        else {
            unreachable!("decoded as the header signature");
        };
        if *version != 1 {
            return Err(protocol(format!("protocol version {version}")));
        }
        let mut m = Message::new(Kind::from_code(*kind));
        m.flags = *flags;
        m.serial = h[5].as_u32().unwrap_or(0);
        let Value::Array(_, fields) = &h[6] else {
            unreachable!("decoded as the header signature");
        };
        for f in fields {
            let Value::Struct(f) = f else { continue };
            let (Value::Byte(code), Value::Variant(v)) = (&f[0], &f[1]) else {
                continue;
            };
            let text = v.as_str().map(str::to_string);
            match *code {
                PATH => m.path = text,
                INTERFACE => m.interface = text,
                MEMBER => m.member = text,
                ERROR_NAME => m.error_name = text,
                REPLY_SERIAL => m.reply_serial = v.as_u32(),
                DESTINATION => m.destination = text,
                SENDER => m.sender = text,
                SIGNATURE => m.signature = text.unwrap_or_default(),
                _ => {} // unknown fields are to be ignored
            }
        }
        r.align(8)?;
        let body = &data[r.pos..];
        if Some(body.len() as u32) != h[4].as_u32() {
            return Err(protocol("body length does not match the header"));
        }
        m.body = Reader::new(body, r.big).all(&m.signature)?;
        Ok(m)
    }
}

fn endian(data: &[u8]) -> Result<bool> {
    match data.first() {
        Some(b'l') => Ok(false),
        Some(b'B') => Ok(true),
        _ => Err(protocol("unknown byte order")),
    }
}

/// The length of the first message in `buf` once it is all there (`None`: not yet).
pub(super) fn frame_len(buf: &[u8]) -> Result<Option<usize>> {
    if buf.len() < 16 {
        return Ok(None);
    }
    let mut r = Reader::new(buf, endian(buf)?);
    r.pos = 4;
    let body = r.u32()? as usize;
    r.pos = 12;
    let fields = r.u32()? as usize;
    let total = (16 + fields).next_multiple_of(8) + body;
    if total > MAX_MESSAGE {
        return Err(protocol(format!("message of {total} bytes")));
    }
    Ok((buf.len() >= total).then_some(total))
}

#[cfg(test)]
mod tests;
