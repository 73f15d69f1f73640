//! The programs and options a `cmd`'s parser knows by name: launchers, interpreters, the
//! programs whose operands are written, and the extensions of the files a command runs.

/// Extensions of the files a command runs rather than reads.
pub(super) const SCRIPT_EXTENSIONS: &[&str] = &[
    "py", "r", "R", "jl", "sh", "bash", "zsh", "pl", "rb", "js", "mjs", "ts", "lua", "sql", "awk",
    "sed", "tcl", "php", "ipynb", "Rmd", "qmd", "ksh", "dash",
    // Configuration and programs for other programs: `jq -f q.jq`, `--config conf.yaml`,
    // `make -f build.mk`, `gnuplot plot.gp`.
    "yaml", "yml", "json", "toml", "ini", "cfg", "conf", "jq", "mk", "mak", "gp", "plt",
];

/// `mpirun`'s and `mpiexec`'s options that take an argument.
const MPI_OPTIONS: &[&str] = &[
    "-n",
    "-np",
    "-c",
    "-N",
    "-H",
    "--host",
    "--hostfile",
    "--map-by",
    "--bind-to",
];

/// Wrappers and launchers that run the program after them: their options that take an
/// argument, and how many plain arguments come before the program (`timeout 60 prog`,
/// `taskset 0x3 prog`, `flock lockfile prog`).
pub(super) const WRAPPERS: &[(&str, &[&str], usize)] = &[
    (
        "env",
        &["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
        0,
    ),
    ("exec", &["-a"], 0),
    ("command", &[], 0),
    ("time", &["-f", "--format", "-o", "--output"], 0),
    ("nice", &["-n", "--adjustment"], 0),
    ("nohup", &[], 0),
    ("setsid", &[], 0),
    ("timeout", &["-s", "--signal", "-k", "--kill-after"], 1),
    ("stdbuf", &["-i", "-o", "-e"], 0),
    ("ionice", &["-c", "-n", "-p", "--class", "--classdata"], 0),
    ("taskset", &[], 1),
    ("chrt", &[], 1),
    (
        "flock",
        &["-w", "--timeout", "-E", "--conflict-exit-code"],
        1,
    ),
    (
        "xargs",
        &[
            "-n",
            "-P",
            "-L",
            "-I",
            "-d",
            "-a",
            "-E",
            "-s",
            "--max-args",
            "--max-procs",
            "--max-lines",
            "--delimiter",
            "--arg-file",
            "--eof",
            "--max-chars",
        ],
        0,
    ),
    (
        "srun",
        &[
            "-A",
            "-c",
            "-d",
            "-D",
            "-e",
            "-i",
            "-J",
            "-m",
            "-n",
            "-N",
            "-o",
            "-p",
            "-q",
            "-t",
            "-w",
            "-x",
            "-C",
            "-G",
            "-M",
            "-W",
            "--account",
            "--cpus-per-task",
            "--dependency",
            "--chdir",
            "--error",
            "--input",
            "--job-name",
            "--ntasks",
            "--nodes",
            "--output",
            "--partition",
            "--qos",
            "--time",
            "--mem",
            "--gres",
            "--constraint",
        ],
        0,
    ),
    ("mpirun", MPI_OPTIONS, 0),
    ("mpiexec", MPI_OPTIONS, 0),
];

/// Programs whose last operand is a file they write.
pub(super) const COPIERS: &[&str] = &["cp", "mv", "install", "ln", "rsync", "scp"];

/// Interpreters whose first operand is the script they run.
pub(super) fn is_interpreter(name: &str) -> bool {
    let python = name
        .strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'));
    python
        || matches!(
            name,
            "Rscript"
                | "perl"
                | "ruby"
                | "node"
                | "julia"
                | "lua"
                | "php"
                | "tclsh"
                | "pypy"
                | "pypy3"
        )
}

/// An interpreter's options that take the next word as their argument (`python3 -W ignore
/// job`: `ignore` is no script), and those whose argument is a file it runs (`julia -L
/// setup.jl`, `php -f job`).
pub(super) fn interpreter_options(
    name: &str,
) -> (&'static [&'static str], &'static [&'static str]) {
    if name.starts_with("python") || name.starts_with("pypy") {
        return (&["-W", "-X", "--check-hash-based-pycs"], &[]);
    }
    match name {
        "perl" => (&["-I", "-M", "-m", "-x"], &[]),
        "ruby" => (&["-I", "-r", "-C", "-E", "--encoding", "-F", "-x"], &[]),
        "node" => (
            &[
                "-r",
                "--require",
                "--import",
                "--loader",
                "--experimental-loader",
                "-C",
                "--conditions",
                "--input-type",
                "--env-file",
                "--title",
            ],
            &[],
        ),
        "julia" => (
            &[
                "-t",
                "--threads",
                "-p",
                "--procs",
                "-J",
                "--sysimage",
                "-C",
                "--cpu-target",
                "-H",
                "--home",
                "--machine-file",
            ],
            &["-L", "--load"],
        ),
        "lua" => (&["-l"], &[]),
        "php" => (&["-c", "-d", "-z"], &["-f", "--file"]),
        _ => (&[], &[]),
    }
}

/// Programs whose every operand is a file they write or remove.
pub(super) const WRITERS: &[&str] = &["tee", "touch", "truncate", "rm", "mkdir", "sponge"];

/// Options after which a word names what the command writes.
pub(super) const OUTPUT_FLAGS: &[&str] = &["-o", "--output", "--out", "--outfile", "--output-file"];
