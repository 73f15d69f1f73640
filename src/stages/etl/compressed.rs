//! Exports compressed as warehouses unload them: Snowflake's `COPY INTO @stage` writes
//! `data_0_0_0.csv.gz` by default, Redshift's `UNLOAD ... GZIP` (or `ZSTD`) `0000_part_00.gz`,
//! BigQuery's `EXPORT DATA` `*.csv.gz`. The bytes are recognised by their magic number, not the
//! file's name, and inflated before anything else reads them, so a compressed part is read
//! exactly as its uncompressed text would be.

use std::io::Read;
use std::path::Path;

const GZIP: &[u8] = &[0x1f, 0x8b];
const ZSTD: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

/// `bytes` inflated when they are gzip or zstd (every member or frame: Snowflake and `cat` of
/// two `.gz` files write several), else as they are. `path` names the file in errors.
pub fn inflate(path: &Path, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let bad = |what: &str, e: std::io::Error| {
        format!(
            "`{}` is {what}-compressed but cannot be decompressed ({e}): a truncated download? decompress it yourself to see",
            path.display()
        )
    };
    if bytes.starts_with(GZIP) {
        let mut out = Vec::with_capacity(bytes.len().saturating_mul(4));
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .map_err(|e| bad("gzip", e))?;
        Ok(out)
    } else if bytes.starts_with(ZSTD) {
        zstd::stream::decode_all(&bytes[..]).map_err(|e| bad("zstd", e))
    } else {
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(text: &[u8]) -> Vec<u8> {
        let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        w.write_all(text).unwrap();
        w.finish().unwrap()
    }

    #[test]
    fn gzip_and_zstd_are_inflated_and_text_is_left_as_it_is() {
        let text = b"id,date,gp\n1,2024-01-02,5\n".to_vec();
        let p = Path::new("x");
        assert_eq!(inflate(p, gzip(&text)).unwrap(), text);
        let z = zstd::stream::encode_all(&text[..], 3).unwrap();
        assert_eq!(inflate(p, z).unwrap(), text);
        assert_eq!(inflate(p, text.clone()).unwrap(), text);
    }

    #[test]
    fn every_gzip_member_is_read() {
        // Two `.gz` files concatenated (`cat a.gz b.gz`) are one gzip stream of two members.
        let mut two = gzip(b"id,date,gp\n1,2024-01-02,5\n");
        two.extend(gzip(b"2,2024-01-03,6\n"));
        assert_eq!(
            inflate(Path::new("x"), two).unwrap(),
            b"id,date,gp\n1,2024-01-02,5\n2,2024-01-03,6\n"
        );
    }

    #[test]
    fn a_truncated_download_is_an_error_naming_the_file() {
        let mut gz = gzip(&b"id,date,gp\n1,2024-01-02,5\n".repeat(100));
        gz.truncate(gz.len() / 2);
        let e = inflate(Path::new("sales.csv.gz"), gz).unwrap_err();
        assert!(e.contains("`sales.csv.gz` is gzip-compressed"), "{e}");
    }
}
