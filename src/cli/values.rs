//! Command-line spellings of library enums: the library types stay clap-free (no `clap`
//! outside `src/cli`), their flag values and `--help` lines are defined here.
use crate::image::archive::ArchiveFormat;
use crate::image::PullPolicy;
use clap::builder::PossibleValue;

impl clap::ValueEnum for PullPolicy {
    fn value_variants<'a>() -> &'a [Self] {
        &[Self::Missing, Self::Always, Self::Never, Self::Newer]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Self::Missing => PossibleValue::new("missing")
                .help("Pull only when the image is not in the store (default)"),
            Self::Always => PossibleValue::new("always")
                .help("Always pull (a no-op download when nothing changed)"),
            Self::Never => PossibleValue::new("never")
                .help("Never pull: fail when the image is not in the store"),
            Self::Newer => PossibleValue::new("newer").help(
                "Pull when the registry has a different manifest than the stored one (checks the registry; like `always` but quiet when nothing changed)",
            ),
        })
    }
}

impl clap::ValueEnum for ArchiveFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &[Self::OciArchive, Self::DockerArchive]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Self::OciArchive => {
                PossibleValue::new("oci-archive").help("An OCI image layout in a tar")
            }
            Self::DockerArchive => PossibleValue::new("docker-archive")
                .help("The `docker save` layout in a tar (podman's default)"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn spellings_round_trip() {
        for p in PullPolicy::value_variants() {
            let name = p.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(PullPolicy::from_str(&name, false).unwrap(), *p);
        }
        assert_eq!(
            ArchiveFormat::from_str("oci-archive", false).unwrap(),
            ArchiveFormat::OciArchive
        );
        assert_eq!(
            ArchiveFormat::from_str("docker-archive", false).unwrap(),
            ArchiveFormat::DockerArchive
        );
    }
}
