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
    // A script that asked for JSON gets JSON on failure too: an object naming the error, the
    // same message as stderr's, and the exit code (an empty stdout read as "no result").
    let json = std::env::args().any(|a| a == "--json");
    let code = match gosales::cli::run(cli) {
        Ok(code) => {
            gosales::cli::finish_json(code as i32, None);
            code
        }
        Err(err) => {
            gosales::cli::report_error(&err);
            if json {
                gosales::cli::finish_json(err.exit_code() as i32, Some(&err));
            }
            err.exit_code()
        }
    };
    std::process::exit(code as i32);
}
