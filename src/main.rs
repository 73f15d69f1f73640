//! The `gosales` binary: parse the command line, dispatch, render any error once, exit.

use clap::Parser;

fn main() {
    // `gosales dag | head`: a reader that closes the pipe ends the process quietly, as it does
    // any Unix tool, instead of a "failed printing to stdout" panic (Rust ignores SIGPIPE).
    #[cfg(unix)]
    // SAFETY: called first, before any thread exists; restores the signal's default action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
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
