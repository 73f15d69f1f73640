//! The `gosales` binary: parse the command line, dispatch, render any error once, exit.

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = gosales::cli::Cli::parse();
    let code = match gosales::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            gosales::cli::report_error(&err);
            err.exit_code()
        }
    };
    std::process::exit(code as i32);
}
