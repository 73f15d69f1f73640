//! End-to-end tests of the `gosales` binary. Each module covers one concern:
//! - `incremental`: what reruns after which change (the core promise);
//! - `manifest_errors`: every manifest error names file:line:column, exit code 3;
//! - `audit`: tampering with outputs or the run log is caught;
//! - `browser`: every UI page in headless chromium;
//! - `safety`: failures, kills, locks and corrupt state never lose good outputs;
//! - `interrupt`: Ctrl-C and kill stop a run cleanly and it is recorded;
//! - `clean`: orphaned outputs are named by `status` and removed by `clean`;
//! - `commands`: selection, dag, explain, exec, status and their output formats;
//! - `etl`: phase 0, the synthetic source and the ETL to a star schema;
//! - `phases`: labels and features in a pipeline and as standalone commands;
//! - `train`: phase 3 training, scoring and whitespace, out-of-time metrics and guardrails;
//! - `roles`: stages read upstream by role; renaming nodes works or fails at load;
//! - `slurm`: the Slurm executor on a real single-node Slurm (scripts/slurm-dev);
//! - `ui`: the web UI over HTTP.

mod audit;
mod browser;
mod certificate;
mod clean;
mod commands;
mod etl;
mod faults;
mod incremental;
mod interrupt;
mod manifest_errors;
mod onboard;
mod onboard_folder;
mod onboard_lines;
mod onboard_unload;
mod phases;
mod roles;
mod safety;
mod slurm;
mod source;
mod support;
mod tools;
mod train;
mod ui;
