//! End-to-end tests of the template engine against podman's documented behaviour.
use super::*;
use serde_json::json;

fn r(t: &str, v: &Value) -> String {
    Template::parse(t).unwrap().render(v).unwrap()
}

#[test]
fn fields_nested_and_literal_text() {
    let v = json!({"ID": "abc", "State": {"Status": "running", "Pid": 42}});
    assert_eq!(
        r("id={{.ID}} {{.State.Status}}/{{.State.Pid}}", &v),
        "id=abc running/42\n"
    );
    assert_eq!(r("{{ .ID }}\\t{{.ID}}\\n", &v), "abc\tabc\n");
    // A missing top-level field is an error (podman: struct field); nested maps give <no value>.
    let e = Template::parse("{{.Nope}}")
        .unwrap()
        .render(&v)
        .unwrap_err();
    assert!(e.to_string().contains("can't evaluate field Nope"), "{e}");
    assert_eq!(r("{{.State.Nope}}", &v), "<no value>\n");
}

#[test]
fn json_function_and_json_format() {
    let v = json!({"Names": ["a", "b"], "Labels": {"k": "v"}});
    assert_eq!(r("{{json .Names}}", &v), "[\"a\",\"b\"]\n");
    assert_eq!(
        r("{{json .}}", &v),
        "{\"Names\":[\"a\",\"b\"],\"Labels\":{\"k\":\"v\"}}\n"
    );
    assert!(is_json("json") && is_json(" {{ json . }} ") && is_json("{{json .}}"));
    assert!(!is_json("{{json .Names}}"));
    let out = render_rows(Some("json"), "table {{.Names}}", std::slice::from_ref(&v)).unwrap();
    assert!(out.starts_with("[\n    {\n        \"Names\": [\n"), "{out}");
}

#[test]
fn index_upper_lower_join() {
    let v = json!({"Labels": {"app": "web", "a b": "x"}, "Names": ["n1", "n2"], "S": "MiXed"});
    assert_eq!(
        r(
            r#"{{index .Labels "app"}}|{{index .Labels "zz"}}|{{index .Names 1}}"#,
            &v
        ),
        "web||n2\n"
    );
    assert_eq!(
        r("{{upper .S}} {{.S | lower}} {{join .Names \",\"}}", &v),
        "MIXED mixed n1,n2\n"
    );
}

#[test]
fn if_else_range_with_variables() {
    let v = json!({"Running": true, "Ports": [], "Mounts": [{"Dst": "/a"}, {"Dst": "/b"}], "M": {"z": 1, "a": 2}});
    assert_eq!(r("{{if .Running}}up{{else}}down{{end}}", &v), "up\n");
    assert_eq!(
        r("{{if .Ports}}p{{else if .Running}}r{{else}}n{{end}}", &v),
        "r\n"
    );
    assert_eq!(r("{{range .Mounts}}[{{.Dst}}]{{end}}", &v), "[/a][/b]\n");
    assert_eq!(r("{{range .Ports}}x{{else}}none{{end}}", &v), "none\n");
    assert_eq!(
        r("{{range $i, $m := .Mounts}}{{$i}}={{$m.Dst}} {{end}}", &v),
        "0=/a 1=/b \n"
    );
    assert_eq!(r("{{range $k, $v := .M}}{{$k}}{{$v}}{{end}}", &v), "a2z1\n");
    assert_eq!(
        r("{{with .Mounts}}{{len .}}{{end}}{{$x := 5}}{{$x}}", &v),
        "25\n"
    );
    assert_eq!(
        r("{{range .Mounts}}{{$.Running}}{{break}}{{end}}", &v),
        "true\n"
    );
    assert_eq!(
        r("{{- if eq .Running true -}}  yes  {{- end}}", &v),
        "yes\n"
    );
    assert_eq!(
        r(r#"{{printf "%.3s|%-4s|" "abcdef" "x"}}"#, &v),
        "abc|x   |\n"
    );
    assert_eq!(r("{{(index .Mounts 1).Dst}}", &v), "/b\n");
}

#[test]
fn table_header_and_alignment_like_podman() {
    let rows = vec![
        json!({"ID": "0123456789ab", "Image": "localhost/busybox:latest", "Names": "web", "CreatedAt": "x"}),
        json!({"ID": "ba9876543210", "Image": "debian:bookworm", "Names": "a_long_name", "CreatedAt": "y"}),
    ];
    let rep = Report {
        default_table: "table {{.ID}}\t{{.Image}}\t{{.Names}}",
        headers: &[("ID", "container id")],
        no_heading: false,
    };
    let out = render_report(None, &rep, &rows).unwrap();
    assert_eq!(
        out,
        "CONTAINER ID  IMAGE                     NAMES\n\
         0123456789ab  localhost/busybox:latest  web\n\
         ba9876543210  debian:bookworm           a_long_name\n"
    );
    // User table with spaces as separators, camel-case header, --noheading.
    let out = render_report(Some("table {{.Names}} {{.CreatedAt}}"), &rep, &rows).unwrap();
    assert_eq!(
        out,
        "NAMES        CREATED AT\nweb          x\na_long_name  y\n"
    );
    let out = render_report(
        Some("table"),
        &Report {
            no_heading: true,
            ..rep
        },
        &rows[..1],
    )
    .unwrap();
    assert_eq!(out, "0123456789ab  localhost/busybox:latest  web\n");
    // No rows: the header alone.
    assert_eq!(
        render_report(None, &rep, &[]).unwrap(),
        "CONTAINER ID  IMAGE       NAMES\n"
    );
}

#[test]
fn plain_templates_are_not_aligned_and_range_gets_the_list() {
    let rows = vec![
        json!({"ID": "a", "N": 1}),
        json!({"ID": "bbbbbbbbbbbbbbbbb", "N": 2}),
    ];
    let out = render_rows(Some("{{.ID}}\\t{{.N}}"), "table {{.ID}}", &rows).unwrap();
    assert_eq!(out, "a\t1\nbbbbbbbbbbbbbbbbb\t2\n");
    let out = render_rows(Some("{{range .}}{{.N}},{{end}}"), "table {{.ID}}", &rows).unwrap();
    assert_eq!(out, "1,2,\n");
}

#[test]
fn headers_follow_camelcase_rules() {
    assert_eq!(camel_split("CreatedAt"), vec!["Created", "At"]);
    assert_eq!(camel_split("ImageID"), vec!["Image", "ID"]);
    assert_eq!(camel_split("ID"), vec!["ID"]);
    assert_eq!(header_name("RunningFor", &[]), "RUNNING FOR");
    let t = Template::parse("table {{.ID | upper}} {{json .Labels}}").unwrap();
    assert_eq!(t.render_header(&[]).unwrap(), "ID\t\"LABELS\"\n");
}

#[test]
fn render_one_for_inspect() {
    let v = json!({"State": {"Status": "exited", "ExitCode": 3}});
    assert_eq!(
        render_one("{{.State.Status}} {{.State.ExitCode}}", &v).unwrap(),
        "exited 3\n"
    );
    assert!(render_one("json", &v)
        .unwrap()
        .starts_with("{\n    \"State\""));
}

#[test]
fn parse_errors_are_template_errors() {
    let e = render_rows(Some("{{.ID"), "table {{.ID}}", &[]).unwrap_err();
    assert!(e.to_string().starts_with("template: "), "{e}");
    let e = Template::parse("{{nosuchfn .ID}}")
        .unwrap()
        .render(&json!({"ID": 1}))
        .unwrap_err();
    assert!(e.to_string().contains("\"nosuchfn\" not defined"), "{e}");
}

#[test]
fn human_durations_like_go_units() {
    assert_eq!(human_duration(0.5), "Less than a second");
    assert_eq!(human_duration(1.2), "1 second");
    assert_eq!(human_duration(59.0), "59 seconds");
    assert_eq!(human_duration(61.0), "About a minute");
    assert_eq!(human_duration(59.0 * 60.0), "59 minutes");
    assert_eq!(human_duration(3600.0), "About an hour");
    assert_eq!(human_duration(5.0 * 3600.0), "5 hours");
    assert_eq!(human_duration(3.0 * 86400.0), "3 days");
    assert_eq!(human_duration(20.0 * 86400.0), "2 weeks");
    assert_eq!(human_duration(100.0 * 86400.0), "3 months");
    assert_eq!(human_duration(800.0 * 86400.0), "2 years");
}
