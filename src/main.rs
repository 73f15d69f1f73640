//! The `gosales` binary: parse the command line, dispatch, render any error once, exit.

use clap::{CommandFactory, FromArgMatches, Parser};

fn main() {
    // `gosales dag | head`: a reader that closes the pipe ends the process quietly, as it does
    // any Unix tool, instead of a "failed printing to stdout" panic (Rust ignores SIGPIPE).
    #[cfg(unix)]
    // SAFETY: called first, before any thread exists; restores the signal's default action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Past a file-size limit (`ulimit -f`), a write raises SIGXFSZ, which kills the process
    // mid-append with no word. Caught, the write fails with EFBIG instead, and the run stops as
    // on a full disk: exit 6, named, its logs whole. A handler, not SIG_IGN: it is reset at
    // `exec`, so the commands a run starts keep the default.
    #[cfg(unix)]
    // SAFETY: as above; the handler does nothing, so it is async-signal-safe.
    unsafe {
        libc::signal(
            libc::SIGXFSZ,
            on_file_size_limit as *const () as libc::sighandler_t,
        );
    }
    // `--version` says which build of each stage's code and which runtime libraries produce
    // outputs (what fingerprints record mixed into one hash); computed only when asked, as it
    // hashes the runtime libraries.
    // A script that asked for JSON gets JSON on failure too: an object naming the error, the
    // same message as stderr's, and the exit code (an empty stdout read as "no result"); a
    // command line clap refuses (`run --json --bogus`) included.
    let json = std::env::args().any(|a| a == "--json");
    let cli = if std::env::args().any(|a| a == "--version") {
        let cmd =
            gosales::cli::Cli::command().long_version(&*gosales::stages::long_version().leak());
        gosales::cli::Cli::from_arg_matches(&cmd.get_matches()).unwrap_or_else(|e| e.exit())
    } else {
        gosales::cli::Cli::try_parse().unwrap_or_else(|e| {
            if json && e.use_stderr() {
                let _ = e.print();
                let code = e.exit_code();
                // The message without clap's usage lines: `the following required arguments
                // were not provided: <INSTANCE>`.
                let text = e.render().to_string();
                let message = text.split("\n\nUsage:").next().unwrap_or_default();
                let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
                let err = gosales::Error::usage(message.trim_start_matches("error: "), None);
                gosales::cli::finish_json(code, Some(&err));
                std::process::exit(code);
            }
            e.exit()
        })
    };
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

#[cfg(unix)]
extern "C" fn on_file_size_limit(_: libc::c_int) {}
