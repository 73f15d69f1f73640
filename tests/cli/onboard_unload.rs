//! A sales log as a warehouse or a Spark job writes it out: compressed parts, partitioned by a
//! column that is then only in the folders' names (`Business Unit=Food Service/part-....csv.gz`).

use std::io::Write as _;

use polars::prelude::*;

use crate::onboard::{fact_gp_total, init, shop};
use crate::onboard_lines::{erp_lines, ERP_ITEMS};
use crate::support::{assert_mentions, Ws};

fn gzip(text: &str) -> Vec<u8> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    w.write_all(text.as_bytes()).unwrap();
    w.finish().unwrap()
}

#[test]
fn a_partitioned_and_compressed_unload_onboards_as_it_is() {
    let (log, total, rows) = erp_lines(3, 160, (2015, 1), 36, ERP_ITEMS);
    let (holdout, _, _) = erp_lines(4, 160, (2018, 1), 6, ERP_ITEMS);
    let ws = Ws::new("# not the workspace\n");
    // `Business Unit` (the division) is the third column: Spark's `partitionBy` moves it into
    // the folder's name and out of the files. Each unit's rows in two parts, one gzip, one zstd.
    let mut lines = log.lines();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    let without = |cells: &[&str]| {
        let mut c = cells.to_vec();
        c.remove(2);
        c.join(";") + "\n"
    };
    let mut by_unit: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for l in lines {
        let cells: Vec<&str> = l.split(';').collect();
        by_unit
            .entry(cells[2].to_string())
            .or_default()
            .push(without(&cells));
    }
    assert_eq!(by_unit.len(), 3);
    for (unit, unit_rows) in &by_unit {
        let dir = format!("unload/Business Unit={unit}");
        let half = unit_rows.len() / 2;
        let part = |r: &[String]| without(&header) + &r.concat();
        std::fs::create_dir_all(ws.path(&dir)).unwrap();
        std::fs::write(
            ws.path(&format!("{dir}/part-00000.csv.gz")),
            gzip(&part(&unit_rows[..half])),
        )
        .unwrap();
        std::fs::write(
            ws.path(&format!("{dir}/part-00001.csv.zst")),
            zstd::stream::encode_all(part(&unit_rows[half..]).as_bytes(), 3).unwrap(),
        )
        .unwrap();
    }
    ws.write("unload/_SUCCESS", "");
    // A job that died half-way leaves its attempt under `_temporary/`: not a part.
    ws.write(
        "unload/_temporary/0/part-00000.csv",
        &(without(&header) + &by_unit["Food Service"].concat()),
    );
    ws.write("erp_2018_H1.csv", &holdout);

    let r = init(
        &ws,
        &["--sales-log", "unload", "--holdout", "erp_2018_H1.csv"],
    )
    .ok();
    assert_mentions(
        &r.stderr,
        &[
            "its 6 files (`Business Unit=Equipment Care/part-00000.csv.gz` to `Business Unit=Packaging & Disposables/part-00001.csv.zst`) are read as one log",
            "the column `Business Unit` is read from the partition folders' names",
            "8 values of `Item` in 3 divisions",
            "division of each: the `Business Unit` value on most of the product's rows",
        ],
    );
    shop(&ws, &["run", "-j", "2"]).ok();

    // Every line once, to the cent, in the division its folder names.
    let (facts, gp) = fact_gp_total(&ws);
    assert_eq!(facts, rows);
    assert!((gp - total).abs() < 0.005, "facts {gp}, log {total}");
    let f = std::fs::File::open(ws.path("shop/outputs/star/fact_transactions.parquet")).unwrap();
    let df = ParquetReader::new(f).finish().unwrap();
    let files = df.column("source_file").unwrap().str().unwrap();
    let divisions = df.column("product_division").unwrap().str().unwrap();
    for i in 0..df.height() {
        let (file, division) = (files.get(i).unwrap(), divisions.get(i).unwrap());
        assert!(
            file.starts_with(&format!("Business Unit={division}/part-0000")),
            "{file}: {division}"
        );
    }
    // An invoice's lines in two units' folders are one invoice, not an overlap of exports.
    let qa = ws.read("shop/outputs/qa/violations.csv");
    assert!(!qa.contains("invoice_in_two_parts"), "{qa}");
    let metrics =
        ws.read("shop/outputs/validate/Food Service/validation_metrics_Food Service.json");
    assert!(metrics.contains("\"auc\""), "{metrics}");

    // A part added to a partition later is loaded by the next run.
    let extra = without(&header) + "C001;2017-12-30;99999;Oat Milk;1;12,3400;1,00\n";
    std::fs::write(
        ws.path("unload/Business Unit=Food Service/part-00002.csv.gz"),
        gzip(&extra),
    )
    .unwrap();
    shop(&ws, &["run", "-j", "2"]).ok();
    let (facts, _) = fact_gp_total(&ws);
    assert_eq!(facts, rows + 1);
}
