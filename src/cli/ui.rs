//! `gosales ui`: the web UI over the workspace's outputs and engine state.

use clap::Args;

use super::Cli;
use crate::engine::workspace::Workspace;
use crate::{Error, ExitCode};

#[derive(Debug, Args)]
pub struct UiArgs {
    /// Address to bind (localhost by default: the UI has no authentication)
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port (0 picks a free one and prints it)
    #[arg(long, default_value_t = 8501)]
    pub port: u16,
}

pub fn run(cli: &Cli, a: &UiArgs) -> Result<ExitCode, Error> {
    let root = match (&cli.dir, &cli.manifest) {
        (_, Some(m)) => m
            .parent()
            .map(|p| p.to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| ".".into()),
        (Some(d), None) => d.clone(),
        (None, None) => std::env::current_dir()
            .map_err(|e| Error::io("cannot read current directory", ".", e))?,
    };
    crate::ui::serve(Workspace::new(root), &a.host, a.port)?;
    Ok(ExitCode::Ok)
}
