//! `--device` and `--gpus` → the container's device nodes, and the environment and mounts
//! CDI devices bring; every host node checked before anything is created.
use crate::cdi::{Device, DeviceRequest, Registry};
use crate::context::Context;
use crate::specgen::settings::{MountType, UserMount};

/// What the requested devices add to the container's settings.
#[derive(Debug, Default)]
pub(super) struct Resolved {
    pub devices: Vec<Device>,
    pub env: Vec<String>,
    pub mounts: Vec<UserMount>,
}

/// Check the host nodes and resolve CDI names (the spec files are read only when a CDI name
/// is asked for).
pub(super) fn resolve(ctx: &Context, reqs: &[DeviceRequest]) -> anyhow::Result<Resolved> {
    let mut out = Resolved::default();
    let mut cdi = Vec::new();
    for r in reqs {
        match r {
            DeviceRequest::Path {
                host,
                container,
                permissions,
            } => add(
                &mut out.devices,
                crate::cdi::device::host_device(host, container, permissions)?,
            ),
            DeviceRequest::Cdi(name) => cdi.push(name.clone()),
        }
    }
    if cdi.is_empty() {
        return Ok(out);
    }
    let registry = Registry::load(&ctx.cdi_dirs());
    let edits = registry.resolve(&cdi)?;
    for w in registry.warnings() {
        eprintln!("Warning: {w}");
    }
    for d in edits.devices {
        add(&mut out.devices, d);
    }
    out.env = edits.env;
    out.mounts = edits
        .mounts
        .into_iter()
        .map(|m| UserMount {
            destination: m.container,
            typ: MountType::Bind,
            source: m.host.to_string_lossy().into_owned(),
            options: m.options,
            copy_up: false,
        })
        .collect();
    Ok(out)
}

/// A later device at the same container path replaces the earlier one.
fn add(devices: &mut Vec<Device>, d: Device) {
    devices.retain(|x| x.container != d.container);
    devices.push(d);
}
