//! Sales logs saved as Parquet: a warehouse's unload (Snowflake, BigQuery, Redshift) or a Spark
//! job's output, a folder of `part-00000-….snappy.parquet` files that [`super::parts`] reads as
//! one log (Spark's `_SUCCESS` and `.crc` files are not parts). Read with polars and handed on
//! as CSV text, as [`super::workbook`] hands on a workbook, so the layout, the contracts and
//! `init`'s profile read it as they read a CSV export. Line `n + 1` of that text is the file's
//! row `n`, which is what a violation then names.
//!
//! Values become text as an export would write them: decimals with their scale (`1229.50`),
//! dates as ISO days, timestamps as their day (the ETL reads days; one declared in a zone is its
//! day in that zone), plain binary (as Hive and older Spark write strings) as text. Columns of
//! types a sales log has no use for (structs, lists, maps) are left out, and said so in an error
//! only if nothing is left.

use std::io::Cursor;
use std::path::Path;

use polars::prelude::*;

/// Whether `bytes` are a Parquet file: `PAR1` at both ends.
pub fn is_parquet(bytes: &[u8]) -> bool {
    bytes.len() >= 12 && bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1")
}

/// A column type the text can carry: flat values. Polars would panic on some others (a struct
/// without its feature), so the file's schema is checked before anything is read.
fn flat(dtype: &ArrowDataType) -> bool {
    use ArrowDataType as A;
    match dtype {
        A::Null
        | A::Boolean
        | A::Int8
        | A::Int16
        | A::Int32
        | A::Int64
        | A::UInt8
        | A::UInt16
        | A::UInt32
        | A::UInt64
        | A::Float32
        | A::Float64
        | A::Utf8
        | A::LargeUtf8
        | A::Utf8View
        | A::Date32
        | A::Date64
        | A::Timestamp(..)
        | A::Decimal32(..)
        | A::Decimal64(..)
        // Hive, Impala and older Spark write strings as plain binary: read as text.
        | A::Binary
        | A::LargeBinary
        | A::BinaryView => true,
        A::Decimal(p, _) => *p <= 38,
        A::Dictionary(_, values, _) => {
            matches!(values.as_ref(), A::Utf8 | A::LargeUtf8 | A::Utf8View)
        }
        _ => false,
    }
}

/// The Parquet file `bytes` as CSV text; `path` names it in errors.
pub fn to_csv(path: &Path, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let shown = path.display();
    let bad =
        |e: PolarsError| format!("`{shown}` looks like a Parquet file but cannot be read: {e}");
    // A file polars cannot take (a type it panics on that the check above missed) is an error
    // naming the file, not a crash.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut reader = ParquetReader::new(Cursor::new(bytes));
        let schema = reader.schema()?;
        let mut keep = Vec::new();
        let mut left_out = Vec::new();
        for (i, f) in schema.iter_values().enumerate() {
            if flat(&f.dtype) {
                keep.push(i);
            } else {
                left_out.push(f.name.to_string());
            }
        }
        if keep.is_empty() {
            return Ok(Err(format!(
                "`{shown}`: none of its columns holds plain values (left out: {})",
                left_out.join(", ")
            )));
        }
        let df = reader.with_projection(Some(keep)).finish()?;
        Ok(Ok(df))
    }));
    let mut df = match read {
        Ok(Ok(Ok(df))) => df,
        Ok(Ok(Err(message))) => return Err(message),
        Ok(Err(e)) => return Err(bad(e)),
        Err(_) => {
            return Err(format!(
                "`{shown}` looks like a Parquet file but cannot be read: polars stopped on it (a column type or an encoding it does not support)"
            ))
        }
    };
    as_days(&mut df).map_err(bad)?;
    as_text(&mut df).map_err(bad)?;
    let mut out = Vec::new();
    CsvWriter::new(&mut out)
        .include_header(true)
        .with_date_format(Some("%Y-%m-%d".into()))
        .finish(&mut df)
        .map_err(|e| format!("`{shown}`: cannot convert to text: {e}"))?;
    Ok(out)
}

/// Timestamps as their day: the ETL reads days. A timestamp declared in a zone
/// (`America/New_York`, `+01:00`) is the day in that zone, the business's calendar day (its UTC
/// day would move a 23:30 sale to the next day, across a cutoff); a naive one is its own day.
fn as_days(df: &mut DataFrame) -> PolarsResult<()> {
    let zoned: Vec<(PlSmallStr, Option<String>, TimeUnit)> = df
        .columns()
        .iter()
        .filter_map(|c| match c.dtype() {
            DataType::Datetime(unit, tz) => {
                Some((c.name().clone(), tz.as_ref().map(|z| z.to_string()), *unit))
            }
            _ => None,
        })
        .collect();
    for (name, zone, unit) in zoned {
        let day = match zone.as_deref().and_then(Zone::parse) {
            Some(zone) => {
                let ticks = df.column(&name)?.cast(&DataType::Int64)?;
                let days: Vec<Option<i32>> = ticks
                    .i64()?
                    .iter()
                    .map(|t| t.and_then(|t| zone.day(t, unit)))
                    .collect();
                Column::new(name.clone(), days).cast(&DataType::Date)?
            }
            None => df.column(&name)?.cast(&DataType::Date)?,
        };
        df.with_column(day)?;
    }
    Ok(())
}

/// Binary columns as text (a value that is not UTF-8 becomes empty, which the contracts
/// report where the column matters).
fn as_text(df: &mut DataFrame) -> PolarsResult<()> {
    let names: Vec<PlSmallStr> = df
        .columns()
        .iter()
        .filter(|c| matches!(c.dtype(), DataType::Binary | DataType::BinaryOffset))
        .map(|c| c.name().clone())
        .collect();
    for name in names {
        let text = df.column(&name)?.cast(&DataType::String)?;
        df.with_column(text)?;
    }
    Ok(())
}

/// A timestamp's declared zone: a named one (`Europe/Berlin`) or a fixed offset (`+01:00`).
/// UTC and names chrono-tz does not know are read as UTC.
enum Zone {
    Named(chrono_tz::Tz),
    Fixed(chrono::FixedOffset),
}

impl Zone {
    fn parse(z: &str) -> Option<Zone> {
        if z.eq_ignore_ascii_case("utc") || z == "Z" || z == "+00:00" {
            return None;
        }
        if let Ok(tz) = z.parse::<chrono_tz::Tz>() {
            return Some(Zone::Named(tz));
        }
        z.parse::<chrono::FixedOffset>().ok().map(Zone::Fixed)
    }

    /// The day, in this zone, of `ticks` units since the epoch (UTC), as days since the epoch.
    fn day(&self, ticks: i64, unit: TimeUnit) -> Option<i32> {
        let utc = match unit {
            TimeUnit::Milliseconds => chrono::DateTime::from_timestamp_millis(ticks),
            TimeUnit::Microseconds => chrono::DateTime::from_timestamp_micros(ticks),
            TimeUnit::Nanoseconds => Some(chrono::DateTime::from_timestamp_nanos(ticks)),
        }?;
        let local = match self {
            Zone::Named(tz) => utc.with_timezone(tz).date_naive(),
            Zone::Fixed(off) => utc.with_timezone(off).date_naive(),
        };
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
        i32::try_from((local - epoch).num_days()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/parquet")
            .join(name)
    }

    #[test]
    fn a_parquet_file_becomes_the_text_an_export_would_be() {
        let path =
            fixture("spark/part-00000-5f3c2a10-0b7e-4d2a-9c1e-2f6a8d4b1c00-c000.snappy.parquet");
        let bytes = std::fs::read(&path).unwrap();
        assert!(is_parquet(&bytes));
        let text = String::from_utf8(to_csv(&path, bytes).unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // The struct and list columns are left out; decimals keep their scale.
        assert_eq!(
            lines[0],
            "customer_id,order_date,division,invoice_id,product,qty,gp"
        );
        assert_eq!(lines[1], "C001,2023-01-02,Solidworks,1,SWX_Core,1,1229.50");
        assert_eq!(
            lines[3],
            "C002,2023-03-31,Solidworks,2,SWX_Pro_Prem,1,12.00"
        );
        assert_eq!(lines.len(), 4);
    }

    #[test]
    fn a_timestamp_declared_in_a_zone_is_read_as_its_day_there() {
        // 23:30 on New Year's Eve in New York is 04:30 on New Year's Day in UTC: a sale before
        // a 2023-12-31 cutoff, not after it.
        let path = fixture("zoned.parquet");
        let text =
            String::from_utf8(to_csv(&path, std::fs::read(&path).unwrap()).unwrap()).unwrap();
        assert_eq!(
            text,
            "customer_id,new_york,fixed,naive\nC001,2023-12-31,2023-12-31,2023-12-31\nC002,2024-01-01,2024-01-01,2024-01-01\n"
        );
    }

    #[test]
    fn ids_written_as_plain_binary_are_read_as_text() {
        let path = fixture("binary_ids.parquet");
        let text =
            String::from_utf8(to_csv(&path, std::fs::read(&path).unwrap()).unwrap()).unwrap();
        assert_eq!(text, "customer_id,gp\nC001,1.5\nC002,2.5\n");
    }

    #[test]
    fn a_parquet_file_it_cannot_use_is_a_clear_error() {
        let path = fixture("nested_only.parquet");
        let e = to_csv(&path, std::fs::read(&path).unwrap()).unwrap_err();
        assert!(
            e.contains("nested_only.parquet") && e.contains("meta, tags"),
            "{e}"
        );
        let e = to_csv(Path::new("x.parquet"), b"PAR1 not really PAR1".to_vec()).unwrap_err();
        assert!(
            e.contains("`x.parquet` looks like a Parquet file but cannot be read"),
            "{e}"
        );
        assert!(!is_parquet(b"customer_id,date\n1,2024-01-01\n"));
    }
}
