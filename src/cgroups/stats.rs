//! A running container's resource usage, read from its own cgroup (the node above the
//! `container` leaf, see `place`) and its network namespace: what `rctr stats` shows.
use super::place::key_value;
use std::path::Path;
use std::time::Instant;

/// One reading.
#[derive(Debug, Clone)]
pub struct Sample {
    pub at: Instant,
    /// cpu.stat `usage_usec`.
    pub cpu_usec: u64,
    /// memory.current (minus inactive file pages, as podman and docker report it).
    pub mem_usage: u64,
    /// memory.max, or the host's RAM when unlimited.
    pub mem_limit: u64,
    /// pids.current.
    pub pids: u64,
    /// io.stat rbytes/wbytes over all devices.
    pub blk_read: u64,
    pub blk_write: u64,
    /// Bytes received/sent on the container's interfaces but lo.
    pub net_rx: u64,
    pub net_tx: u64,
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_default()
}

fn number(dir: &Path, file: &str) -> Option<u64> {
    read(dir, file).trim().parse().ok()
}

/// Read `dir` (the container's cgroup) and PID 1 `pid`'s network namespace.
pub fn sample(dir: &Path, pid: i32) -> Sample {
    let cpu = read(dir, "cpu.stat");
    let mem = read(dir, "memory.stat");
    let current = number(dir, "memory.current").unwrap_or(0);
    let inactive = key_value(&mem, "inactive_file").unwrap_or(0);
    let (blk_read, blk_write) = io_bytes(&read(dir, "io.stat"));
    let net = std::fs::read_to_string(format!("/proc/{pid}/net/dev")).unwrap_or_default();
    let (net_rx, net_tx) = net_bytes(&net);
    Sample {
        at: Instant::now(),
        cpu_usec: key_value(&cpu, "usage_usec").unwrap_or(0),
        mem_usage: current.saturating_sub(inactive),
        mem_limit: number(dir, "memory.max").unwrap_or_else(host_memory),
        pids: number(dir, "pids.current").unwrap_or(0),
        blk_read,
        blk_write,
        net_rx,
        net_tx,
    }
}

/// `io.stat` lines: `MAJ:MIN rbytes=N wbytes=N rios=…`, summed.
pub fn io_bytes(text: &str) -> (u64, u64) {
    let mut r = 0;
    let mut w = 0;
    for kv in text.split_whitespace() {
        if let Some(v) = kv.strip_prefix("rbytes=") {
            r += v.parse::<u64>().unwrap_or(0);
        } else if let Some(v) = kv.strip_prefix("wbytes=") {
            w += v.parse::<u64>().unwrap_or(0);
        }
    }
    (r, w)
}

/// `/proc/PID/net/dev`: received and sent bytes of every interface but `lo`.
pub fn net_bytes(text: &str) -> (u64, u64) {
    let mut rx = 0;
    let mut tx = 0;
    for line in text.lines().skip(2) {
        let Some((name, rest)) = line.split_once(':') else {
            continue;
        };
        if name.trim() == "lo" {
            continue;
        }
        let f: Vec<u64> = rest
            .split_whitespace()
            .map(|x| x.parse().unwrap_or(0))
            .collect();
        rx += f.first().copied().unwrap_or(0);
        tx += f.get(8).copied().unwrap_or(0);
    }
    (rx, tx)
}

fn host_memory() -> u64 {
    let t = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    t.lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |k| k * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_and_net_counters() {
        let io =
            "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n254:0 rbytes=1 wbytes=2\n";
        assert_eq!(io_bytes(io), (4097, 8194));
        let dev = "Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0\n  tap0:    1500      10    0    0    0     0          0         0      648       5    0    0    0     0       0          0\n";
        assert_eq!(net_bytes(dev), (1500, 648));
    }
}
