//! The date order of each file of a folder: a UK office's day-first export among US month-first
//! ones is read day first. Each file is judged by its own dates, as the holdout is, and never
//! row by row: one export is written under one locale. Read under the folder's order, that
//! file's dates past the 12th were dropped as unreadable and the rest loaded with day and month
//! swapped (`05/12/2021`, 5 December, as 12 May), with no word of the swap.

use super::layout::{decode, Layout};
use super::parse::{self, DateOrder};
use super::parts::Log;

/// How one part's dates are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartOrder {
    pub order: DateOrder,
    /// When `order` is not the configured one: how many of the part's dates read only that way
    /// (none reads only the configured way).
    pub evidence: u64,
}

/// What a scan of one date column found: dates that read only under the order scanned for,
/// only under the other, and that read at all.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    own: u64,
    other: u64,
    dated: u64,
}

/// Tallies column `column` of `text` (its first line a header when `headed`) against `order`,
/// until `stop` says enough is known.
fn scan(
    text: &[u8],
    headed: bool,
    delimiter: u8,
    column: usize,
    order: DateOrder,
    stop: impl Fn(&Tally) -> bool,
) -> Tally {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(headed)
        .flexible(true)
        .from_reader(text);
    let mut t = Tally::default();
    for rec in rdr.byte_records().flatten() {
        let Some(b) = rec.get(column).filter(|b| !b.is_empty()) else {
            continue;
        };
        let v = decode(b).0;
        let read = (
            parse::date_in(&v, order).is_some(),
            parse::date_in(&v, order.other()).is_some(),
        );
        t.dated += u64::from(read.0 || read.1);
        match read {
            (true, false) => t.own += 1,
            (false, true) => t.other += 1,
            _ => {}
        }
        if stop(&t) {
            break;
        }
    }
    t
}

/// A part's tally (its rows, no header), up to the first date that reads only under `order`:
/// the common case (a part written as the params say) costs a few rows. A part that tells
/// nothing in its first 20,000 dates (ISO, or ambiguous only) is read as configured, so the
/// scan of a large log's parts stays bounded.
fn evidence(rows: &[u8], delimiter: u8, column: usize, order: DateOrder) -> Tally {
    scan(rows, false, delimiter, column, order, |t| {
        t.own > 0 || (t.other == 0 && t.dated >= 20_000)
    })
}

/// The least share of a part's dates that must read only the other way for the part to be
/// read so: a month-first file of days 1 to 12 with one typo (`13/12/2021`) stays month first,
/// its typo dropped, where one date had moved 41 invoices by months (a tester). A day-first
/// file of any days has far more (a date in the 13th to 31st reads only day first).
const MIN_OTHER_SHARE: f64 = 0.05;

/// The date order of each part of a log of parts (`starts`: where each part's rows start in
/// `bytes`; empty for a single file, which gets one entry, `configured`): the other order for a
/// part some of whose dates (5% or more) read only that way and none only the configured way. A part that
/// reads both ways is left to the configured order, its rows judged one by one (a file with both
/// is mixed within itself, and `too_many_bad_dates` stops it when it is many). `init` judges
/// the parts as the ETL does.
pub fn orders_of(
    bytes: &[u8],
    delimiter: u8,
    column: usize,
    starts: &[usize],
    configured: DateOrder,
) -> Vec<PartOrder> {
    let same = PartOrder {
        order: configured,
        evidence: 0,
    };
    if starts.len() < 2 {
        return vec![same];
    }
    (0..starts.len())
        .map(|k| {
            let end = starts.get(k + 1).copied().unwrap_or(bytes.len());
            let rows = &bytes[starts[k].min(end)..end];
            let t = evidence(rows, delimiter, column, configured);
            if t.own == 0 && t.other > 0 && t.other as f64 >= MIN_OTHER_SHARE * t.dated as f64 {
                PartOrder {
                    order: configured.other(),
                    evidence: t.other,
                }
            } else {
                same
            }
        })
        .collect()
}

/// [`orders_of`] the parts of the ETL's `log`.
pub fn date_orders(
    bytes: &[u8],
    lay: &Layout,
    log: Option<&Log>,
    configured: DateOrder,
) -> Vec<PartOrder> {
    let starts = log
        .filter(|l| l.has_parts())
        .map_or(&[][..], |l| &l.starts[..]);
    orders_of(bytes, lay.delimiter, lay.order_date, starts, configured)
}

/// Dates of a whole headed text that read only under `order`, and only under the other: what
/// tells a log written the other way round (few of the first) from one mixing both orders.
pub fn tally(bytes: &[u8], delimiter: u8, column: usize, order: DateOrder) -> (u64, u64) {
    let t = scan(bytes, true, delimiter, column, order, |_| false);
    (t.own, t.other)
}
