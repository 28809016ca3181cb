//! `rctr port`: list published ports (`80/tcp -> 0.0.0.0:8080`).
use crate::container::{select, PortMapping};
use crate::context::Context;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct PortArgs {
    /// Display port information for all containers
    #[arg(short, long)]
    pub all: bool,
    /// Act on the latest container created
    #[arg(short, long)]
    pub latest: bool,
    /// CONTAINER [PRIVATE_PORT[/PROTO]]
    pub args: Vec<String>,
}

fn expand(p: &PortMapping) -> impl Iterator<Item = (u32, u32, String, String)> + '_ {
    let proto = if p.protocol.is_empty() {
        "tcp".to_string()
    } else {
        p.protocol.clone()
    };
    let ip = if p.host_ip.is_empty() {
        "0.0.0.0".to_string()
    } else {
        p.host_ip.clone()
    };
    (0..p.range.max(1) as u32).map(move |i| {
        (
            p.container_port as u32 + i,
            p.host_port as u32 + i,
            proto.clone(),
            ip.clone(),
        )
    })
}

pub fn run(args: PortArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let (names, want) = if args.all || args.latest {
        (Vec::new(), args.args.first().cloned())
    } else {
        match args.args.split_first() {
            Some((c, rest)) => (vec![c.clone()], rest.first().cloned()),
            None => anyhow::bail!("you must provide a container name or ID, or --all, or --latest"),
        }
    };
    let want = match &want {
        Some(w) => {
            let (port, proto) = w.split_once('/').unwrap_or((w, "tcp"));
            let port: u32 = port
                .parse()
                .map_err(|_| anyhow::anyhow!("invalid port {w:?}"))?;
            Some((port, proto.to_string()))
        }
        None => None,
    };
    let mut found = false;
    for (_, c) in select(ctx, &names, args.all, args.latest)? {
        let c = c?;
        for p in &c.rec.ports {
            for (cport, hport, proto, ip) in expand(p) {
                match &want {
                    Some((w, wp)) if *w == cport && *wp == proto => {
                        println!("{ip}:{hport}");
                        found = true;
                    }
                    Some(_) => {}
                    None => {
                        if args.all {
                            println!("{}\t{cport}/{proto} -> {ip}:{hport}", c.short_id());
                        } else {
                            println!("{cport}/{proto} -> {ip}:{hport}");
                        }
                    }
                }
            }
        }
    }
    if let (Some((w, wp)), false) = (&want, found) {
        anyhow::bail!("failed to find published port {w}/{wp}");
    }
    Ok(ExitCode::SUCCESS)
}
