//! Talking to one registry source with oci-client: client setup (HTTP for insecure
//! registries, credentials), manifests and indexes (own parsing: a manifest WITHOUT
//! `mediaType` is legal — umoci writes them), platform choice, and one-line error messages.
use super::registries::Source;
use super::unpack::Compression;
use anyhow::bail;
use oci_client::errors::{OciDistributionError, OciErrorCode};
use oci_client::secrets::RegistryAuth;
use serde::Deserialize;

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
/// Sent as `Accept` for manifests (image manifests and indexes, OCI and Docker schema2).
pub const ACCEPT: &[&str] = &[OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST];

#[derive(Debug, Clone, Deserialize)]
pub struct Descriptor {
    #[serde(rename = "mediaType", default)]
    pub media_type: String,
    pub digest: String,
    /// Bytes of the blob; -1 when the descriptor has none (refused by [`parse_manifest`]).
    #[serde(default = "no_size")]
    pub size: i64,
    #[serde(default)]
    pub platform: Option<Platform>,
}

fn no_size() -> i64 {
    -1
}

/// Refuse a descriptor whose digest could not name a file or whose size is missing: both are
/// used before the blob arrives (a path in the store, the bound of the download).
fn check_descriptor(kind: &str, d: &Descriptor) -> anyhow::Result<()> {
    super::limits::check_digest("manifest", kind, &d.digest)?;
    if d.size < 0 {
        bail!(
            "manifest: the {kind} {} has no valid size: the image is corrupt",
            d.digest
        );
    }
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct Platform {
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub variant: Option<String>,
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Deserialize)]
struct RawManifest {
    #[serde(rename = "schemaVersion")]
    schema_version: Option<i64>,
    #[serde(rename = "mediaType")]
    media_type: Option<String>,
    config: Option<Descriptor>,
    layers: Option<Vec<Descriptor>>,
    manifests: Option<Vec<Descriptor>>,
}

/// A parsed manifest.
#[derive(Debug, Clone)]
pub enum Manifest {
    Image {
        media_type: String,
        config: Descriptor,
        layers: Vec<Descriptor>,
    },
    Index {
        manifests: Vec<Descriptor>,
    },
}

/// Parse manifest bytes. `header_type` is the response's Content-Type when known.
pub fn parse_manifest(bytes: &[u8]) -> anyhow::Result<Manifest> {
    let raw: RawManifest = serde_json::from_slice(bytes)
        .map_err(|e| anyhow::anyhow!("the manifest is not valid JSON: {e}"))?;
    if raw.schema_version == Some(1) {
        bail!("Docker schema 1 manifests are not supported: rebuild or re-push the image with a current tool");
    }
    let mt = raw.media_type.clone().unwrap_or_default();
    match mt.as_str() {
        "" | OCI_MANIFEST | DOCKER_MANIFEST | OCI_INDEX | DOCKER_LIST => {}
        other => bail!("unsupported manifest media type {other:?}"),
    }
    if mt == OCI_INDEX || mt == DOCKER_LIST || (mt.is_empty() && raw.manifests.is_some()) {
        let manifests = raw.manifests.unwrap_or_default();
        for m in &manifests {
            check_descriptor("manifest digest", m)?;
        }
        return Ok(Manifest::Index { manifests });
    }
    let (Some(config), Some(layers)) = (raw.config, raw.layers) else {
        bail!("the manifest has neither config+layers nor manifests: not an image");
    };
    if !config.media_type.is_empty()
        && config.media_type != OCI_CONFIG
        && config.media_type != DOCKER_CONFIG
    {
        bail!(
            "unsupported config media type {:?}: this artifact is not a container image",
            config.media_type
        );
    }
    for l in &layers {
        layer_compression(&l.media_type)?;
    }
    check_descriptor("config digest", &config)?;
    for l in &layers {
        check_descriptor("layer digest", l)?;
    }
    Ok(Manifest::Image {
        media_type: if mt.is_empty() {
            OCI_MANIFEST.into()
        } else {
            mt
        },
        config,
        layers,
    })
}

/// Compression declared by a layer media type (the unpacker also checks the magic bytes).
pub fn layer_compression(mt: &str) -> anyhow::Result<Compression> {
    Ok(match mt {
        "application/vnd.oci.image.layer.v1.tar"
        | "application/vnd.oci.image.layer.nondistributable.v1.tar"
        | "application/vnd.docker.image.rootfs.diff.tar" => Compression::None,
        "application/vnd.oci.image.layer.v1.tar+gzip"
        | "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
        | "application/vnd.docker.image.rootfs.diff.tar.gzip"
        | "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip" => Compression::Gzip,
        "application/vnd.oci.image.layer.v1.tar+zstd"
        | "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd" => Compression::Zstd,
        other => bail!("unsupported layer media type {other:?}"),
    })
}

/// The platform to pick from an index: `--platform os/arch[/variant]`, `--arch`, else the host.
pub fn wanted_platform(platform: Option<&str>, arch: Option<&str>) -> anyhow::Result<Platform> {
    let mut p = Platform {
        os: "linux".into(),
        architecture: host_arch().into(),
        variant: None,
    };
    if let Some(s) = platform {
        let parts: Vec<&str> = s.split('/').collect();
        match parts.as_slice() {
            [os, a] => {
                p.os = os.to_string();
                p.architecture = normalize_arch(a).into();
            }
            [os, a, v] => {
                p.os = os.to_string();
                p.architecture = normalize_arch(a).into();
                p.variant = Some(v.to_string());
            }
            _ => bail!("invalid --platform {s:?}: expected os/arch[/variant], e.g. linux/arm64"),
        }
    }
    if let Some(a) = arch {
        p.architecture = normalize_arch(a).into();
    }
    Ok(p)
}

pub fn host_arch() -> &'static str {
    normalize_arch(std::env::consts::ARCH)
}

fn normalize_arch(a: &str) -> &str {
    match a {
        "x86_64" | "x86-64" => "amd64",
        "aarch64" => "arm64",
        "x86" | "i386" | "i686" => "386",
        "powerpc64le" => "ppc64le",
        other => other,
    }
}

/// Choose the entry of an index for `want` (a missing variant matches any; arm64 "v8" matches
/// an entry without variant).
pub fn choose_platform<'a>(
    manifests: &'a [Descriptor],
    want: &Platform,
) -> Result<&'a Descriptor, String> {
    let ok = |p: &Platform| {
        p.os == want.os
            && p.architecture == want.architecture
            && match (&want.variant, &p.variant) {
                (None, _) => true,
                (Some(w), Some(v)) => w == v,
                (Some(w), None) => want.architecture == "arm64" && w == "v8",
            }
    };
    manifests
        .iter()
        .find(|d| d.platform.as_ref().is_some_and(ok))
        .ok_or_else(|| {
            let have: Vec<String> = manifests
                .iter()
                .filter_map(|d| d.platform.as_ref().map(|p| p.to_string()))
                .filter(|p| p != "unknown/unknown")
                .collect();
            format!(
                "no image for {want} in this index (it has {}): choose one with --platform",
                if have.is_empty() {
                    "no platforms".into()
                } else {
                    have.join(", ")
                }
            )
        })
}

/// An oci-client for one source. Insecure sources use plain HTTP unless the registry speaks
/// TLS (probed), and accept unverified certificates.
pub async fn client_for(src: &Source) -> oci_client::Client {
    use oci_client::client::{ClientConfig, ClientProtocol};
    let http = src.insecure && !speaks_tls(&src.registry).await;
    let cfg = ClientConfig {
        protocol: if http {
            ClientProtocol::HttpsExcept(vec![src.registry.clone()])
        } else {
            ClientProtocol::Https
        },
        accept_invalid_certificates: src.insecure,
        platform_resolver: None,
        connect_timeout: Some(std::time::Duration::from_secs(30)),
        read_timeout: Some(std::time::Duration::from_secs(120)),
        user_agent: concat!("rctr/", env!("CARGO_PKG_VERSION")),
        ..Default::default()
    };
    oci_client::Client::new(cfg)
}

/// Whether `host` answers TLS (podman tries HTTPS first for insecure registries too).
///
/// With an explicit port, one plain `GET /v2/` over TCP tells: a plain-HTTP registry answers
/// `HTTP/1.x`, a TLS one does not (Go's TLS servers answer a 400 "Client sent an HTTP request
/// to an HTTPS server"). This avoids a TLS handshake, whose one-time entropy setup in aws-lc
/// alone costs ~25 ms, on every pull from a local plain-HTTP registry.
pub async fn speaks_tls(host: &str) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let has_port = host.rsplit_once(':').is_some_and(|(h, p)| {
        !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && !h.ends_with(':')
    });
    if has_port {
        let probe = async {
            let mut s = tokio::net::TcpStream::connect(host).await.ok()?;
            s.write_all(format!("GET /v2/ HTTP/1.0\r\nHost: {host}\r\n\r\n").as_bytes())
                .await
                .ok()?;
            let mut buf = vec![0u8; 512];
            let mut n = 0;
            while n < 16 {
                match s.read(&mut buf[n..]).await.ok()? {
                    0 => break,
                    k => n += k,
                }
            }
            let _ = s.read(&mut buf[n..]).await.map(|k| n += k);
            let text = String::from_utf8_lossy(&buf[..n]).into_owned();
            // Go: "Client sent an HTTP request to an HTTPS server"; nginx: "The plain HTTP
            // request was sent to HTTPS port".
            Some(!text.starts_with("HTTP/1.") || text.contains("HTTPS"))
        };
        return tokio::time::timeout(std::time::Duration::from_secs(5), probe)
            .await
            .ok()
            .flatten()
            .unwrap_or(false);
    }
    let Ok(c) = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .timeout(std::time::Duration::from_secs(5))
        .build()
    else {
        return false;
    };
    c.get(format!("https://{host}/v2/")).send().await.is_ok()
}

/// oci-client's reference for a source + tag/digest.
pub fn oci_ref(src: &Source, tag: Option<&str>, digest: Option<&str>) -> oci_client::Reference {
    match (tag, digest) {
        (_, Some(d)) => oci_client::Reference::with_digest(
            src.registry.clone(),
            src.repository.clone(),
            d.to_string(),
        ),
        (t, None) => oci_client::Reference::with_tag(
            src.registry.clone(),
            src.repository.clone(),
            t.unwrap_or("latest").to_string(),
        ),
    }
}

pub fn registry_auth(creds: Option<&super::auth::Credentials>) -> RegistryAuth {
    match creds {
        Some(c) => RegistryAuth::Basic(c.username.clone(), c.password.clone()),
        None => RegistryAuth::Anonymous,
    }
}

/// One clear line for a registry error about `what` (e.g. `127.0.0.1:5100/busybox:latest`).
pub fn explain(e: &OciDistributionError, what: &str, registry: &str) -> String {
    use OciDistributionError as E;
    match e {
        E::RegistryError { envelope, .. } => {
            let code = envelope.errors.first().map(|x| &x.code);
            match code {
                Some(OciErrorCode::ManifestUnknown) | Some(OciErrorCode::NotFound) => {
                    format!("{what}: manifest unknown: the registry has no such image or tag")
                }
                Some(OciErrorCode::NameUnknown) => {
                    format!("{what}: repository name not known to registry")
                }
                Some(OciErrorCode::BlobUnknown) => format!("{what}: blob unknown to registry"),
                Some(OciErrorCode::Unauthorized) | Some(OciErrorCode::Denied) => {
                    auth_msg(what, registry)
                }
                _ => format!(
                    "{what}: registry error: {}",
                    envelope
                        .errors
                        .iter()
                        .map(|x| format!("{:?}: {}", x.code, x.message))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            }
        }
        E::UnauthorizedError { .. } | E::AuthenticationFailure(_) => auth_msg(what, registry),
        E::ServerError { code: 404, .. } => {
            format!("{what}: manifest unknown: the registry has no such image or tag")
        }
        E::ServerError { code, message, .. } => {
            format!(
                "{what}: registry {registry} answered HTTP {code}: {}",
                message.trim()
            )
        }
        E::RequestError(re) => {
            let mut s = re.to_string();
            let mut src: Option<&dyn std::error::Error> = std::error::Error::source(re);
            while let Some(x) = src {
                s = x.to_string();
                src = x.source();
            }
            let tls = [
                "InvalidContentType",
                "corrupt message",
                "certificate",
                "handshake",
            ]
            .iter()
            .any(|k| s.contains(k));
            if tls {
                format!(
                    "{what}: TLS with registry {registry} failed ({s}): if it serves plain HTTP or a self-signed certificate, set `insecure = true` for it in registries.conf or pass --tls-verify=false"
                )
            } else if re.is_connect() || re.is_timeout() {
                format!("{what}: cannot connect to registry {registry}: {s}")
            } else {
                format!("{what}: talking to registry {registry}: {s}")
            }
        }
        E::DigestError(d) => format!(
            "{what}: content does not match its digest ({d}): the registry sent corrupt data"
        ),
        E::IoError(io) => format!("{what}: {io}"),
        other => format!("{what}: {other}"),
    }
}

fn auth_msg(what: &str, registry: &str) -> String {
    format!("{what}: authentication required or invalid username/password for {registry}: run `rctr login {registry}`")
}

/// Check `creds` against `host` the way podman's login does: `GET /v2/` with basic auth, and
/// for a bearer-token registry a token request with the same credentials.
pub async fn verify_login(
    host: &str,
    creds: &super::auth::Credentials,
    insecure: bool,
) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .danger_accept_invalid_certs(insecure)
        .timeout(std::time::Duration::from_secs(30))
        .user_agent(concat!("rctr/", env!("CARGO_PKG_VERSION")))
        .build()?;
    let scheme = if insecure && !speaks_tls(host).await {
        "http"
    } else {
        "https"
    };
    let url = format!("{scheme}://{host}/v2/");
    let res = client
        .get(&url)
        .basic_auth(&creds.username, Some(&creds.password))
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("cannot connect to registry {host}: {}", root_cause(&e)))?;
    if res.status().is_success() {
        return Ok(());
    }
    if res.status() != reqwest::StatusCode::UNAUTHORIZED {
        bail!(
            "registry {host} answered HTTP {} to /v2/",
            res.status().as_u16()
        );
    }
    let challenge = res
        .headers()
        .get(reqwest::header::WWW_AUTHENTICATE)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_string();
    if !challenge.to_ascii_lowercase().starts_with("bearer") {
        bail!("invalid username/password");
    }
    let param = |k: &str| -> Option<String> {
        let i = challenge.find(&format!("{k}=\""))? + k.len() + 2;
        let rest = &challenge[i..];
        Some(rest[..rest.find('"')?].to_string())
    };
    let Some(realm) = param("realm") else {
        bail!("registry {host} sent a bearer challenge without a realm");
    };
    let mut req = client
        .get(&realm)
        .basic_auth(&creds.username, Some(&creds.password));
    if let Some(svc) = param("service") {
        req = req.query(&[("service", svc)]);
    }
    let tok = req.send().await.map_err(|e| {
        anyhow::anyhow!("cannot reach the token server {realm}: {}", root_cause(&e))
    })?;
    if tok.status().is_success() {
        Ok(())
    } else {
        bail!("invalid username/password")
    }
}

fn root_cause(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(x) = src {
        s = x.to_string();
        src = x.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_without_media_type() {
        let (aa, bb, cc) = (d("aa"), d("bb"), d("cc"));
        let m = format!(
            r#"{{"schemaVersion":2,"config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{aa}","size":1}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{bb}","size":2}}]}}"#
        );
        assert!(matches!(
            parse_manifest(m.as_bytes()).unwrap(),
            Manifest::Image { .. }
        ));
        let i = format!(
            r#"{{"schemaVersion":2,"manifests":[{{"digest":"{cc}","size":3,"platform":{{"os":"linux","architecture":"arm64","variant":"v8"}}}}]}}"#
        );
        let Manifest::Index { manifests } = parse_manifest(i.as_bytes()).unwrap() else {
            panic!()
        };
        let want = wanted_platform(Some("linux/arm64"), None).unwrap();
        assert_eq!(choose_platform(&manifests, &want).unwrap().digest, cc);
        let want = wanted_platform(Some("linux/s390x"), None).unwrap();
        let e = choose_platform(&manifests, &want).unwrap_err();
        assert!(e.contains("it has linux/arm64/v8"), "{e}");
        assert!(parse_manifest(b"not json").is_err());
        assert!(parse_manifest(br#"{"schemaVersion":1}"#).is_err());
        let bad = br#"{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:aa"},"layers":[{"mediaType":"application/x-weird","digest":"sha256:bb"}]}"#;
        assert!(parse_manifest(bad)
            .unwrap_err()
            .to_string()
            .contains("unsupported layer media type"));
    }

    fn d(byte: &str) -> String {
        format!("sha256:{}", byte.repeat(32))
    }

    #[test]
    fn descriptors_are_checked_before_use() {
        let image = |cfg: &str, size: &str, layer: &str| {
            format!(
                r#"{{"schemaVersion":2,"config":{{"digest":"{cfg}"{size}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{layer}","size":2}}]}}"#
            )
        };
        let err = |m: String| parse_manifest(m.as_bytes()).unwrap_err().to_string();
        assert_eq!(
            err(image(&d("aa"), r#","size":1"#, "sha256:../../x")),
            "manifest: layer digest \"sha256:../../x\" is not a sha256 digest"
        );
        assert!(err(image("../../x", r#","size":1"#, &d("bb"))).contains("config digest"));
        assert!(err(image(&d("aa"), "", &d("bb"))).contains("has no valid size"));
        assert!(err(image(&d("aa"), r#","size":-5"#, &d("bb"))).contains("has no valid size"));
        let idx = r#"{"schemaVersion":2,"manifests":[{"digest":"sha256:/etc","size":3}]}"#;
        assert!(err(idx.into()).contains("manifest digest \"sha256:/etc\""));
    }
}
