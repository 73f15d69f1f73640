//! `gosales ui`: the web UI over the workspace's outputs and engine state.

use clap::Args;

use super::Cli;
use crate::{Error, ExitCode};

#[derive(Debug, Args)]
pub struct UiArgs {
    /// Address to bind (localhost by default: the UI has no authentication)
    ///
    /// On a loopback address the UI answers only requests for `localhost`, `127.0.0.1` or
    /// `[::1]` (a `Host` header naming another site gets 403: DNS rebinding). Any other
    /// address serves every name, to anyone who can reach it.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port (0 picks a free one and prints it)
    #[arg(long, default_value_t = 8501)]
    pub port: u16,
}

pub fn run(cli: &Cli, a: &UiArgs) -> Result<ExitCode, Error> {
    crate::ui::serve(super::workspace_only(cli)?, &a.host, a.port)?;
    Ok(ExitCode::Ok)
}
