//! The wire format: round trips, alignment, refusals.
use super::*;
use Value::*;

fn s(t: &str) -> Value {
    Str(t.into())
}

fn var(v: Value) -> Value {
    Variant(Box::new(v))
}

fn round_trip(sig: &str, values: Vec<Value>) -> Vec<u8> {
    let data = encode(sig, &values).unwrap();
    assert_eq!(decode(sig, &data).unwrap(), values, "{sig}");
    data
}

#[test]
fn the_needed_signatures_round_trip() {
    let props = Array(
        "(sv)".into(),
        vec![Struct(vec![s("Delegate"), var(Bool(true))])],
    );
    round_trip("s", vec![s("héllo")]);
    round_trip("o", vec![ObjPath("/org/freedesktop/systemd1/job/7".into())]);
    round_trip("ub", vec![U32(7), Bool(false)]);
    round_trip("yt", vec![Byte(1), U64(u64::MAX)]);
    round_trip("au", vec![Array("u".into(), vec![U32(1), U32(42)])]);
    round_trip("ay", vec![Array("y".into(), vec![Byte(0b101)])]);
    round_trip(
        "(sv)",
        vec![Struct(vec![
            s("PIDs"),
            var(Array("u".into(), vec![U32(9)])),
        ])],
    );
    round_trip("v", vec![var(var(I64(-3)))]);
    round_trip(
        "ssa(sv)a(sa(sv))",
        vec![
            s("rctr-x.scope"),
            s("fail"),
            props.clone(),
            Array("(sa(sv))".into(), vec![Struct(vec![s("aux"), props])]),
        ],
    );
    round_trip(
        "uoss",
        vec![U32(7), ObjPath("/j/7".into()), s("u.scope"), s("done")],
    );
    round_trip(
        "a{sv}",
        vec![Array(
            "{sv}".into(),
            vec![DictEntry(Box::new(s("k")), Box::new(var(F64(0.5))))],
        )],
    );
    round_trip(
        "nqhg",
        vec![I16(-2), U16(2), UnixFd(0), Sig("a(sv)".into())],
    );
}

#[test]
fn a_u64_after_a_string_in_a_struct_is_aligned_to_8() {
    let v = Array("(sv)".into(), vec![Struct(vec![s("ab"), var(U64(7))])]);
    let data = round_trip("a(sv)", vec![v]);
    let mut want = vec![24, 0, 0, 0, 0, 0, 0, 0]; // length, padding to the first struct
    want.extend([2, 0, 0, 0, b'a', b'b', 0, 1, b't', 0, 0, 0, 0, 0, 0, 0]);
    want.extend(7u64.to_le_bytes());
    assert_eq!(data, want);
}

#[test]
fn empty_arrays_still_pad_to_their_element_alignment() {
    assert_eq!(round_trip("ay", vec![Array("y".into(), vec![])]), [0; 4]);
    assert_eq!(
        round_trip("a(sv)", vec![Array("(sv)".into(), vec![])]),
        [0; 8]
    );
    let data = round_trip(
        "ya(sv)y",
        vec![Byte(9), Array("(sv)".into(), vec![]), Byte(8)],
    );
    assert_eq!(data, [9, 0, 0, 0, 0, 0, 0, 0, 8]);
    assert_eq!(round_trip("at", vec![Array("t".into(), vec![])]), [0; 8]);
    assert_eq!(
        round_trip("yat", vec![Byte(1), Array("t".into(), vec![])]).len(),
        8
    );
}

#[test]
fn a_message_round_trips_with_its_header_padded_to_8() {
    let mut m = Message::new(Kind::MethodCall);
    m.serial = 3;
    m.path = Some("/org/freedesktop/DBus".into());
    m.interface = Some("org.freedesktop.DBus".into());
    m.member = Some("AddMatch".into());
    m.destination = Some("org.freedesktop.DBus".into());
    m.signature = "s".into();
    m.body = vec![s("type='signal'")];
    let data = m.encode().unwrap();
    let header = 16 + u32::from_le_bytes(data[12..16].try_into().unwrap()) as usize;
    assert_eq!(data.len(), header.next_multiple_of(8) + 4 + 14);
    assert_eq!(frame_len(&data).unwrap(), Some(data.len()));
    assert_eq!(frame_len(&data[..data.len() - 1]).unwrap(), None);
    assert_eq!(Message::decode(&data).unwrap(), m);
    let mut e = Message::new(Kind::Error);
    e.serial = 4;
    e.reply_serial = Some(3);
    e.error_name = Some("org.example.Error.Failed".into());
    assert_eq!(Message::decode(&e.encode().unwrap()).unwrap(), e);
}

#[test]
fn big_endian_messages_are_read() {
    // Byte order, METHOD_RETURN, no flags, version 1, body 4, serial 2, one field
    // fields of 15 bytes (REPLY_SERIAL u 1, SIGNATURE g "u"), padding, the body u 5.
    let mut data = vec![b'B', 2, 0, 1, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 15];
    data.extend([5, 1, b'u', 0, 0, 0, 0, 1, 8, 1, b'g', 0, 1, b'u', 0, 0]);
    data.extend([0, 0, 0, 5]);
    let m = Message::decode(&data).unwrap();
    assert_eq!(
        (m.kind, m.serial, m.reply_serial),
        (Kind::Return, 2, Some(1))
    );
    assert_eq!(m.body, [U32(5)]);
}

#[test]
fn bad_values_signatures_and_data_are_refused() {
    assert!(encode("s", &[U32(1)]).is_err());
    assert!(encode("su", &[s("x")])
        .unwrap_err()
        .to_string()
        .contains("wants more"));
    assert!(encode("au", &[Array("y".into(), vec![])]).is_err());
    assert!(encode("au", &[Array("u".into(), vec![Byte(1)])]).is_err());
    assert!(encode("o", &[ObjPath("relative".into())]).is_err());
    assert!(encode("s", &[s("a\0b")]).is_err());
    for sig in ["a", "(", "()", "z", "(s", "s)", "{s}"] {
        assert!(decode(sig, &[0; 16]).is_err(), "{sig}");
    }
    assert!(decode("s", &[5, 0, 0, 0, b'a']).is_err());
    assert!(decode("b", &[2, 0, 0, 0]).is_err());
    let e = decode("u", &[1]).unwrap_err();
    assert!(matches!(e, DbusError::Protocol(_)));
    assert_eq!(e.to_string(), "D-Bus protocol error: truncated message");
}
