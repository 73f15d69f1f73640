//! Parquet and QA artifact writers. Parquet goes through polars-parquet's `FileWriter` (LZ4,
//! fixed row-group size, plain floats), which writes byte-identical files for identical frames
//! whatever the thread count (spec/dependencies.md section 5): checksums and fingerprints rely
//! on it.

use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;

use super::customers::DimCustomer;
use super::ingest::Row;
use super::skumap::Sku;

fn epoch_days(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
}

fn date_column(name: &str, days: Vec<i32>) -> PolarsResult<Column> {
    Ok(Series::new(name.into(), days).cast(&DataType::Date)?.into())
}

pub fn write_parquet(df: &mut DataFrame, path: &Path) -> Result<(), String> {
    write_parquet_groups(df, path, 128 * 1024)
}

/// [`write_parquet`] with row groups as polars cuts them for `group_rows` (a frame of one chunk
/// over it is split into `height / group_rows` even groups).
fn write_parquet_groups(df: &mut DataFrame, path: &Path, group_rows: usize) -> Result<(), String> {
    use polars_parquet::write::{
        get_dtype_encoding, CompressionOptions, Encoding, FileWriter, RowGroupIterator,
        StatisticsOptions, Version, WriteOptions,
    };
    let fail = |e: PolarsError| format!("cannot write `{}`: {e}", path.display());
    let file = std::fs::File::create(path)
        .map_err(|e| format!("cannot create `{}`: {e}", path.display()))?;
    // Buffered: the writer emits many small pieces (tens of thousands of syscalls unbuffered).
    let mut buf = std::io::BufWriter::with_capacity(1 << 20, file);
    // A frame that is one row group already is written as it is: polars' splitting takes every
    // column apart chunk by chunk, and its first empty chunk initialises a shared 8 MiB block
    // of zeroes, written byte by byte (a tenth of a `labels` instance, and 2,048 page faults
    // in every stage process that writes Parquet).
    let chunked = if df.height() <= group_rows {
        df.rechunk_mut();
        std::borrow::Cow::Borrowed(&*df)
    } else {
        polars::frame::chunk_df_for_writing(df, group_rows).map_err(fail)?
    };
    let schema = chunked.schema().to_arrow(CompatLevel::newest());
    // Floats are asked for plain. polars' `ParquetWriter` asks for a dictionary, estimates each
    // float column's cardinality (HyperLogLog), then fails to cast floats to a dictionary and
    // writes them plain anyway: the same bytes (test), after a tenth of a `features` instance's
    // instructions spent estimating. Every other type keeps polars' encoding.
    let encodings: Vec<Vec<Encoding>> = schema
        .iter_values()
        .map(|f| match f.dtype {
            ArrowDataType::Float64 | ArrowDataType::Float32 => vec![Encoding::Plain],
            ref t => get_dtype_encoding(t),
        })
        .collect();
    let options = WriteOptions {
        statistics: StatisticsOptions::default(),
        version: Version::V1,
        // LZ4: several times faster than zstd to write and read; the files are about a third larger.
        compression: CompressionOptions::Lz4Raw,
        data_page_size: None,
    };
    let rows: Vec<usize> = chunked
        .iter_chunks(CompatLevel::newest(), false)
        .map(|b| b.len())
        .collect();
    let groups = RowGroupIterator::try_new(
        chunked.iter_chunks(CompatLevel::newest(), false).map(Ok),
        &schema,
        options,
        encodings.into(),
    )
    .map_err(fail)?;
    let mut writer = FileWriter::try_new(&mut buf, schema, options).map_err(fail)?;
    for (n, group) in rows.into_iter().zip(groups) {
        if n > 0 {
            writer.write(n as u64, group.map_err(fail)?).map_err(fail)?;
        }
    }
    writer.end(None).map_err(fail)?;
    std::io::Write::flush(&mut buf)
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    Ok(())
}

/// One row per product line, sorted by (order_date, customer_id, raw file row, SKU map order).
pub fn fact_frame(rows: &[Row], skus: &[Sku], files: &[String]) -> PolarsResult<DataFrame> {
    let mut lines: Vec<(&Row, &super::ingest::Line)> = rows
        .iter()
        .flat_map(|r| r.lines.iter().map(move |l| (r, l)))
        .collect();
    lines.sort_by_key(|(r, l)| {
        (
            r.order_date,
            r.customer_id.as_str(),
            r.part,
            r.raw_row,
            l.sku,
        )
    });
    // A folder's files share line numbers: the file's place in it keeps the surrogates apart.
    let invoice = |r: &Row| {
        r.invoice_id.clone().unwrap_or_else(|| {
            let part = if files.len() > 1 {
                format!("p{}", r.part + 1)
            } else {
                String::new()
            };
            format!(
                "AUTO-{}-{}-{part}r{}",
                r.customer_id,
                r.order_date.format("%Y%m%d"),
                r.raw_row
            )
        })
    };
    DataFrame::new_infer_height(vec![
        Column::new(
            "customer_id".into(),
            lines
                .iter()
                .map(|(r, _)| r.customer_id.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "invoice_id".into(),
            lines.iter().map(|(r, _)| invoice(r)).collect::<Vec<_>>(),
        ),
        date_column(
            "order_date",
            lines
                .iter()
                .map(|(r, _)| epoch_days(r.order_date))
                .collect(),
        )?,
        Column::new(
            "product_sku".into(),
            lines
                .iter()
                .map(|(_, l)| skus[l.sku as usize].gp_column.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "product_division".into(),
            lines
                .iter()
                .map(|(_, l)| l.division.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "gross_profit".into(),
            lines
                .iter()
                .map(|(_, l)| l.gross_profit)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "quantity".into(),
            lines.iter().map(|(_, l)| l.quantity).collect::<Vec<_>>(),
        ),
        Column::new(
            "source_row".into(),
            lines
                .iter()
                .map(|(r, _)| r.raw_row as i64)
                .collect::<Vec<_>>(),
        ),
        source_file(lines.iter().map(|(r, _)| r.part), files),
    ])
}

/// Which file each row came from: one name for a single file, the part's for a folder.
fn source_file(parts: impl Iterator<Item = u32>, files: &[String]) -> Column {
    Column::new(
        "source_file".into(),
        parts
            .map(|p| files.get(p as usize).map_or("", String::as_str))
            .collect::<Vec<_>>(),
    )
}

/// The typed staging table: one row per surviving raw row.
pub fn staging_frame(rows: &[Row], files: &[String]) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        Column::new(
            "source_row".into(),
            rows.iter().map(|r| r.raw_row as i64).collect::<Vec<_>>(),
        ),
        source_file(rows.iter().map(|r| r.part), files),
        Column::new(
            "customer_id".into(),
            rows.iter()
                .map(|r| r.customer_id.as_str())
                .collect::<Vec<_>>(),
        ),
        date_column(
            "order_date",
            rows.iter().map(|r| epoch_days(r.order_date)).collect(),
        )?,
        Column::new(
            "source_division".into(),
            rows.iter()
                .map(|r| r.source_division.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "customer_name".into(),
            rows.iter()
                .map(|r| r.customer_name.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "invoice_id".into(),
            rows.iter()
                .map(|r| r.invoice_id.as_deref())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "lines".into(),
            rows.iter()
                .map(|r| r.lines.len() as i64)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "gross_profit".into(),
            rows.iter()
                .map(|r| r.lines.iter().fold(0.0, |a, l| a + l.gross_profit))
                .collect::<Vec<_>>(),
        ),
    ])
}

pub fn dim_frame(dims: &[DimCustomer]) -> PolarsResult<DataFrame> {
    DataFrame::new_infer_height(vec![
        Column::new(
            "customer_id".into(),
            dims.iter()
                .map(|d| d.customer_id.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "customer_name".into(),
            dims.iter()
                .map(|d| d.customer_name.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "cleaned_name".into(),
            dims.iter()
                .map(|d| d.cleaned_name.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "industry".into(),
            dims.iter()
                .map(|d| d.industry.as_deref())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "industry_sub".into(),
            dims.iter()
                .map(|d| d.industry_sub.as_deref())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "web_address".into(),
            dims.iter()
                .map(|d| d.web_address.as_deref())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "match_method".into(),
            dims.iter().map(|d| d.match_method).collect::<Vec<_>>(),
        ),
        Column::new(
            "match_score".into(),
            dims.iter().map(|d| d.match_score).collect::<Vec<_>>(),
        ),
        Column::new(
            "match_name".into(),
            dims.iter()
                .map(|d| d.match_name.as_str())
                .collect::<Vec<_>>(),
        ),
        date_column(
            "first_order_date",
            dims.iter()
                .map(|d| epoch_days(d.first_order_date))
                .collect(),
        )?,
        date_column(
            "last_order_date",
            dims.iter().map(|d| epoch_days(d.last_order_date)).collect(),
        )?,
        Column::new(
            "orders".into(),
            dims.iter().map(|d| d.orders as i64).collect::<Vec<_>>(),
        ),
    ])
}

/// `[{name, dtype}]` of a frame, for the schema snapshot.
pub fn schema_of(df: &DataFrame) -> serde_json::Value {
    serde_json::Value::Array(
        df.columns()
            .iter()
            .map(|c| serde_json::json!({"name": c.name().as_str(), "dtype": c.dtype().to_string()}))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use polars::prelude::*;

    /// polars' own writer, with the settings gosales used before it wrote Parquet itself.
    fn polars_bytes(df: &mut DataFrame, group_rows: usize) -> Vec<u8> {
        let mut out = Vec::new();
        ParquetWriter::new(&mut out)
            .with_compression(ParquetCompression::Lz4Raw)
            .with_row_group_size(Some(group_rows))
            .finish(df)
            .unwrap();
        out
    }

    #[test]
    fn plain_floats_and_whole_frames_are_the_bytes_polars_writes() {
        let n = 2500;
        let mut df = df!(
            "customer_id" => (0..n).map(|i| format!("C{:05}", i % 700)).collect::<Vec<_>>(),
            "count" => (0..n).map(|i| (i % 4) as f64).collect::<Vec<_>>(),
            "gp" => (0..n).map(|i| if i % 9 == 0 { None } else { Some(i as f64 * 0.37 - 50.0) }).collect::<Vec<_>>(),
            "nan_and_zeros" => (0..n).map(|i| if i % 5 == 0 { f64::NAN } else if i % 7 == 0 { -0.0 } else { 0.0 }).collect::<Vec<_>>(),
            "flag" => (0..n).map(|i| (i % 3 == 0) as i8).collect::<Vec<_>>(),
            "day" => (0..n).collect::<Vec<i32>>(),
        )
        .unwrap();
        df.with_column(df.column("day").unwrap().cast(&DataType::Date).unwrap())
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        // Several row groups (polars splits 2,500 rows into two of 1,250).
        super::write_parquet_groups(&mut df, &path, 1000).unwrap();
        let ours = std::fs::read(&path).unwrap();
        assert_eq!(
            ours,
            polars_bytes(&mut df, 1000),
            "polars now encodes some column otherwise: see the comment in write_parquet"
        );
        let back = crate::stages::history::read_parquet(&path).unwrap();
        assert!(back.equals_missing(&df));
        // One row group, written without polars' splitting: still polars' bytes.
        super::write_parquet_groups(&mut df, &path, 2500).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), polars_bytes(&mut df, 2500));
        // Several chunks over one row group: polars' own grouping of the chunks.
        let part = df.head(Some(1000));
        let mut stacked = part.vstack(&part).unwrap().vstack(&part).unwrap();
        // Polars' bytes from a copy: a writer that merged the chunks first would change both.
        let want = polars_bytes(&mut stacked.clone(), 1500);
        super::write_parquet_groups(&mut stacked, &path, 1500).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), want);
        // No rows (a division without history at a cutoff): the schema alone, as polars writes it.
        let mut empty = df.head(Some(0));
        super::write_parquet(&mut empty, &path).unwrap();
        assert_eq!(
            std::fs::read(&path).unwrap(),
            polars_bytes(&mut empty, 128 * 1024)
        );
        let back = crate::stages::history::read_parquet(&path).unwrap();
        assert_eq!((back.height(), back.width()), (0, df.width()));
    }
}
