//! The `gosales` binary: parse the command line, dispatch, render any error once, exit.

use clap::Parser;

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
