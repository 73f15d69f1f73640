//! Seeded mutation fuzzing of the parsers that read what users write: the manifest (with its
//! params files), the sales-log CSV, wide and long, a folder of log files joined, a summary with a
//! column per month, JSON records, and a `cmd` node's command as its
//! fingerprint reads it. Each case takes a valid input, applies random
//! byte-level mutations (flips, inserts of YAML/CSV syntax characters, deletions, repeats) and
//! asserts that parsing returns a value or an error, never a panic.
//!
//! `cargo test --lib fuzz` runs a few hundred cases per parser; `bench/fuzz.sh` runs as many as
//! `GOSALES_FUZZ_ITERS` asks (release mode, a few minutes). Any input that ever panicked goes
//! into `tests/fuzz/{manifest,csv}/` and is replayed by these tests for good. A stable,
//! dependency-free mutator instead of cargo-fuzz: the toolchain here is stable-only, and the
//! seed makes every failure reproducible from its printed case number.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use crate::synth::Rng;

const SYNTAX: &[u8] = b"{}[]:,-#&*!|>'\"%@`$\n\t\r \\/.0123456789\xff\xc3";

fn iterations() -> u64 {
    std::env::var("GOSALES_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300)
}

fn below(rng: &mut Rng, n: usize) -> usize {
    ((rng.f64() * n as f64) as usize).min(n.saturating_sub(1))
}

fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    for _ in 0..1 + below(rng, 8) {
        let len = v.len().max(1);
        let at = below(rng, len);
        match below(rng, 5) {
            0 if !v.is_empty() => {
                let i = at.min(v.len() - 1);
                v[i] ^= 1 << below(rng, 8);
            }
            1 => v.insert(at.min(v.len()), SYNTAX[below(rng, SYNTAX.len())]),
            2 if !v.is_empty() => {
                let end = (at + 1 + below(rng, 16)).min(v.len());
                v.drain(at.min(v.len())..end);
            }
            3 if !v.is_empty() => {
                let end = (at + 1 + below(rng, 64)).min(v.len());
                let piece = v[at.min(v.len())..end].to_vec();
                let to = below(rng, v.len() + 1);
                v.splice(to..to, piece);
            }
            _ => v.truncate(at),
        }
    }
    v
}

/// Parses a manifest from text in a scratch workspace holding the shipped stages/ files.
fn parse_manifest(dir: &Path, text: &[u8]) {
    let file = crate::engine::diagnostic::SourceFile::new(
        "pipeline.yaml",
        String::from_utf8_lossy(text).into_owned(),
    );
    if let Ok(m) =
        crate::engine::manifest::Manifest::parse(dir.to_path_buf(), file, &crate::stages::Catalog)
    {
        let _ = crate::engine::graph::Graph::build(&m, &crate::stages::Catalog);
    }
}

fn parse_log(text: &[u8], skus: &[crate::stages::etl::skumap::Sku]) {
    use crate::stages::etl::{contracts::Violations, ingest, layout};
    let mut vio = Violations::default();
    let aliases = layout::Aliases::default();
    if let Some(lay) = layout::layout(text, &aliases, skus, layout::Shape::Auto, &mut vio) {
        let rules = ingest::Rules {
            date_min: None,
            date_max: None,
            max_field_bytes: 1 << 10,
            date_order: Default::default(),
            keep_exact_duplicates: false,
            strip_id_zeros: false,
            id_words: false,
            id_prefix: Some("C-".into()),
            cost_negative: false,
            value_per_unit: true,
            cost_per_unit: true,
            discount_fraction: false,
            returns_by_quantity: true,
            values_negative: false,
            amounts_in_cents: false,
            cost_in_currency: false,
            dates_are_months: false,
        };
        let _ = ingest::ingest(text, lay, skus, &rules, &mut vio, None);
    }
    let _ = crate::onboard::profile::profile_bytes(Path::new("fuzz.csv"), text.to_vec(), None, &[]);
}

fn replay(kind: &str, mut f: impl FnMut(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(kind);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    for p in files {
        let bytes = std::fs::read(&p).unwrap();
        let r = catch_unwind(AssertUnwindSafe(|| f(&bytes)));
        assert!(r.is_ok(), "corpus input `{}` panics", p.display());
    }
}

fn fuzz(kind: &str, seed: u64, base: &[u8], mut f: impl FnMut(&[u8])) {
    replay(kind, &mut f);
    let mut rng = Rng::new(seed, 0);
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut crash = None;
    for case in 0..iterations() {
        let input = mutate(&mut rng, base);
        if catch_unwind(AssertUnwindSafe(|| f(&input))).is_err() {
            crash = Some((case, input));
            break;
        }
    }
    std::panic::set_hook(prev);
    if let Some((case, input)) = crash {
        let out = std::env::temp_dir().join(format!("gosales-fuzz-{kind}-{case}.bin"));
        let _ = std::fs::write(&out, &input);
        panic!(
            "{kind} parser panicked on case {case} (seed {seed}); input saved to `{}`: add it to tests/fuzz/{kind}/",
            out.display()
        );
    }
}

#[test]
fn the_manifest_parser_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(dir.path().join("stages")).unwrap();
    for e in std::fs::read_dir(root.join("stages")).unwrap().flatten() {
        std::fs::copy(e.path(), dir.path().join("stages").join(e.file_name())).unwrap();
    }
    let base = std::fs::read(root.join("pipeline.yaml")).unwrap();
    fuzz("manifest", 1, &base, |t| parse_manifest(dir.path(), t));
}

#[test]
fn the_sales_log_parsers_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let skus = crate::stages::etl::skumap::load(&root.join("stages/sku_map.csv"), None).unwrap();
    let base = b"CustomerId,Rec Date,Division,Customer,InvoiceId,LineId,SWX_Core,SWX_Core_Qty,PDM,PDM_Qty\n\
101,2024-01-02,Solidworks,\"Acme, Inc\",7,1,\"$1,234.50\",1,,\n\
102,1/3/2024 10:00,Solidworks,Bolt,8,1,(12.50),1,3.1415,2\n\
103,2024/01/04,,Cobalt,9,2,1.234,50,0,0\n";
    fuzz("csv", 2, base, |t| parse_log(t, &skus));
}

#[test]
fn the_long_sales_log_parsers_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let skus = crate::stages::etl::skumap::load(&root.join("stages/sku_map.csv"), None).unwrap();
    let base = b"CustomerId;Rec Date;Division;InvoiceId;Product;Qty;GP\n\
101;2024-01-02;Solidworks;7;SWX_Core;1;1.234,50\n\
101;2024-01-02;Solidworks;7;SWX_Core;2;(12,50)\n\
102;3/1/2024 10:00;;8;Not A Product;1;3,1415\n\
103;2024-01-04;Solidworks;9;PDM;;\n";
    fuzz("csv", 3, base, |t| parse_log(t, &skus));
}

#[test]
fn the_command_parser_never_panics() {
    // What a `cmd` node's fingerprint reads of its command: programs, scripts, redirections,
    // heredocs, subshells (crates/engine/src/tools.rs).
    let base =
        b"cd sub && LC_ALL=C env -u X nice -n 5 timeout -s KILL 5m python3 'a b.py' --config=c.py \
2>&1 > out.sql | (cd x; Rscript fit.R) # it's\npsql < q.sql <<-'EOF'\n\tselect 1<<3;\n\tEOF\n\
for R in a b; do sh \"$R\".sh; done; echo `wc -l < f` $(cat <<< \"$x\") >| o.R";
    fuzz("cmd", 4, base, |t| {
        let _ = crate::engine::tools::named(&String::from_utf8_lossy(t));
    });
}

/// Two mutated parts in a folder, joined: no panic, and every line of the joined text maps to a
/// part the log names.
fn join_parts(dir: &Path, text: &[u8]) {
    use crate::stages::etl::parts;
    let split = text
        .windows(SPLIT.len())
        .position(|w| w == SPLIT)
        .unwrap_or(text.len());
    let (a, b) = text.split_at(split);
    let b = b.get(SPLIT.len()..).unwrap_or_default();
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("a.csv"), a).unwrap();
    std::fs::write(dir.join("b.csv"), b).unwrap();
    if let Ok(log) = parts::read(dir) {
        let lines = log.bytes.iter().filter(|&&c| c == b'\n').count() as u64 + 1;
        for l in 1..=lines {
            let (part, _) = log.map.locate(l);
            assert!(part < log.files.len(), "line {l} maps to part {part}");
        }
    }
}

const SPLIT: &[u8] = b"\n--8<--\n";

#[test]
fn the_folder_joiner_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    // Two exports of one log: the second with its columns in another order and a report title.
    let base = b"CustomerId,Rec Date,Division,SWX_Core,SWX_Core_Qty\n\
101,2024-01-02,Solidworks,\"1,234.50\",1\n\
102,1/3/2024,Solidworks,12.5,2\n\
\n--8<--\n\
Sales report\n\nRec Date;CustomerId;SWX_Core;SWX_Core_Qty;PDM;PDM_Qty\n\
2024-02-03;103;5;1;3,5;1\n\
2024-02-04;104;\"6\";1;;\n";
    let parts = dir.path().join("parts");
    fuzz("parts", 4, base, |t| join_parts(&parts, t));
}

/// Every line of a reshaped text (a summary unpivoted, JSON records as rows) has a file line.
fn assert_every_line_placed(bytes: &[u8], origins: &[u64]) {
    let lines = bytes.iter().filter(|&&c| c == b'\n').count();
    assert!(
        origins.len() >= lines,
        "{} lines, {} origins",
        lines,
        origins.len()
    );
}

#[test]
fn the_summary_reader_never_panics() {
    // A pivot by month: titles, a label written once, subtotals, a grand total, a total column.
    let base = b"Sales by Customer, by Month\n\nCustomer ID,Customer,Product Line,Jan 2023,Feb-23,2023-03,04/2023,Total\n\
1001,\"Acme, Inc\",CAD,\"1,200.00\",,(3.00),-,1\n\
,,\"CAM\nTools\",0,450,-,2,450\n\
Acme Total,,,1,2,3,4,6\n\
Grand Total,,,1,2,3,4,6\n";
    let unpivoted = |t: &[u8]| {
        let text = crate::stages::etl::preamble::blank(t.to_vec());
        crate::stages::etl::pivot::unpivot(&text, b',', 3).is_some()
    };
    assert!(unpivoted(base), "the base case is a summary");
    fuzz("summary", 5, base, |t| {
        let text = crate::stages::etl::preamble::blank(t.to_vec());
        for delimiter in [b',', b';'] {
            if let Some(u) = crate::stages::etl::pivot::unpivot(&text, delimiter, 3) {
                assert_every_line_placed(&u.bytes, &u.origins);
            }
        }
    });
}

#[test]
fn the_json_reader_never_panics() {
    // JSON Lines, and an API's page wrapping orders with their lines.
    let base = b"{\"id\": 1, \"customer\": {\"id\": \"C1\", \"name\": \"A \\\"B\\\" [x]\"}, \"amount\": 12.5}\n\
{\"id\": 2, \"line_items\": [{\"sku\": \"A\", \"id\": 3}, {\"sku\": \"B\"}], \"tags\": [1, null]}\n\
--8<--\n\
{\"orders\": [\n {\"n\": \"#1\", \"line_items\": [{\"sku\": \"A\"}], \"shipping_lines\": [{\"p\": 1}]},\n {\"n\": \"#2\"}\n], \"next\": null}\n";
    fuzz("json", 6, base, |t| {
        for part in t.split(|&b| b == b'-') {
            if let Ok((bytes, origins)) = crate::stages::etl::json::to_csv("f.json", part) {
                assert_every_line_placed(&bytes, &origins);
            }
        }
    });
}

#[test]
fn the_folder_joiner_never_panics_on_summaries_and_json() {
    let dir = tempfile::tempdir().unwrap();
    // A year as a summary by month, the next as JSON Lines.
    let base = b"Customer ID,Product Line,Jan 2023,Feb 2023,Mar 2023,Total\n\
1001,CAD,\"1,200.00\",,3,1\n,CAM,0,450,-,450\nGrand Total,,1,2,3,6\n\
\n--8<--\n\
{\"Customer ID\": \"1002\", \"Month\": \"2024-01\", \"Product Line\": \"CAD\", \"Amount\": 5}\n\
\n{\"Customer ID\": \"1003\", \"Month\": \"2024-02\", \"Product Line\": \"CAM\", \"Amount\": \"6\"}\n";
    let parts = dir.path().join("parts");
    fuzz("parts", 7, base, |t| join_parts(&parts, t));
}
