//! The spec's devices: `linux.devices` at their container paths, and the annotation telling
//! the runtime which host node each one binds (rootless cannot mknod).
use crate::cdi::Device;
use crate::runtime::{rootfs::DeviceSource, ANN_DEVICE_SOURCES};
use oci_spec::runtime::{Linux, LinuxDevice, LinuxDeviceType};
use std::collections::{BTreeMap, HashMap};

pub(super) fn apply(
    linux: &mut Linux,
    ann: &mut HashMap<String, String>,
    devices: &[Device],
) -> anyhow::Result<()> {
    if devices.is_empty() {
        return Ok(());
    }
    let mut specs = linux.devices().clone().unwrap_or_default();
    let mut sources = BTreeMap::new();
    for d in devices {
        let mut dev = LinuxDevice::default();
        dev.set_path(d.container.clone());
        dev.set_typ(if d.kind == "b" {
            LinuxDeviceType::B
        } else {
            LinuxDeviceType::C
        });
        dev.set_major(d.major as i64);
        dev.set_minor(d.minor as i64);
        dev.set_file_mode(Some(d.file_mode));
        specs.retain(|x| x.path() != dev.path());
        specs.push(dev);
        sources.insert(
            d.container.clone(),
            DeviceSource {
                source: d.host.clone(),
                readonly: d.read_only(),
            },
        );
    }
    linux.set_devices(Some(specs));
    ann.insert(
        ANN_DEVICE_SOURCES.to_string(),
        serde_json::to_string(&sources)?,
    );
    Ok(())
}
