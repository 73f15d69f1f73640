//! The log's dates: which column holds them, and the stray days (`1900-01-01`, a mistyped year)
//! left out of the span `init` chooses windows in.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use super::columns::share;
use super::names::norm;
use crate::stages::etl::layout::Aliases;
use crate::stages::etl::parse::{self, DateOrder};

/// The date column: the one the user named; else a header that says so (`date`, `day`,
/// `timestamp`) whose values read as dates (either way round) in 90% of the sampled rows; else any
/// column that does, bare numbers aside. None: an error naming the nearest miss and its
/// unreadable values, or the columns there are.
pub(super) fn find_order_date(
    path: &Path,
    header: &[String],
    rows: &[Vec<String>],
    aliases: &Aliases,
    given: &[(String, String)],
    taken: &[usize],
) -> Result<usize, String> {
    // The date: a header that says so and whose values parse (either way round), else any column
    // that parses.
    let is_date = |v: &str| {
        parse::date_in(v, DateOrder::Mdy).is_some() || parse::date_in(v, DateOrder::Dmy).is_some()
    };
    let named = |h: &str| {
        let n = norm(h);
        aliases.order_date.iter().any(|a| a == h)
            || n.contains("date")
            || n.contains("datum")
            || n.contains("fecha")
            // Norwegian and Danish (`Fakturadato`), Finnish (`Laskun päivämäärä`, `pvm`), a
            // Portuguese or an Italian `Data`.
            || n.contains("dato")
            || n.contains("päivämäärä")
            || n.ends_with("pvm")
            || n == "data"
            // Polish and Portuguese dates named by their event (`Data wystawienia`, `Data
            // sprzedaży`, `Data de emissão`, `Data Emissão`), a Czech tax date (DUZP); not an
            // English `Data Usage MB` (five-digit numbers, read as spreadsheet days, 2009-2042).
            || (n.starts_with("data")
                && [
                    "wystaw", "sprzeda", "dokument", "operac", "dostaw", "wplyw", "wpływ", "emis",
                    "de", "do", "da", "fatur", "venda", "nota", "pedido",
                ]
                .iter()
                .any(|w| n["data".len()..].starts_with(w)))
            || n == "duzp"
            || n == "day"
            // Japanese: 売上日 (sales day), 伝票日付 (slip date).
            || n.ends_with('日')
            || n.contains("日付")
            // Chinese and Taiwanese (`单据日期`), Korean (`거래일자`, `날짜`), Russian (`Дата`),
            // Turkish (`Fatura Tarihi`), Vietnamese (`Ngày chứng từ`), Indonesian (`Tanggal`)
            // and Thai (`วันที่`) dates.
            || n.contains("日期")
            || n.contains("일자")
            || n.contains("날짜")
            || n.contains("дата")
            || n.contains("tarih")
            || n.starts_with("ngày")
            || n.starts_with("ngay")
            || n.contains("tanggal")
            || n.contains("วันที่")
            // Arabic (`التاريخ`).
            || n.contains("تاريخ")
            || n == "timestamp"
            // A record's creation (`Created At`, `Created`): else `Updated At`, whose letters
            // hold "date", was the only date named so, and taken.
            || n.contains("creat")
            // `Posted At`, `Invoiced On`, `Invoice Dt`, `ord_dt`: a day named by its event
            // (their values must still read as dates).
            || ["posted", "invoiced", "ordered", "shipped", "delivered", "booked"]
                .iter()
                .any(|w| n.contains(w))
            || n.ends_with("dt")
            || n.contains("timestamp")
            // SAP's billing, posting and document dates.
            || ["fkdat", "budat", "bldat", "audat"].contains(&n.as_str())
    };
    // Of several date columns, the sale's own first: an invoice's or posting's day before a
    // plain `Date`, and both before a shipment's, a due date or a record's creation (a trial's
    // lines carried their ship date beside the header's invoice date, and it was taken).
    let rank = |h: &str| -> u8 {
        let n = norm(h);
        let any = |words: &[&str]| words.iter().any(|w| n.contains(w));
        // A payment's or a fulfilment's day after a record's creation: a web shop's order is
        // created when it is placed, and `Paid at` and `Fulfilled at` (which Shopify writes
        // before `Created at`, and a trial's log was dated by) come later, or never.
        if any(&[
            "paid",
            "payment",
            "fulfil",
            // German, French, Spanish and Italian payments and value dates (a tester's
            // `Zahlungsdatum` was taken over `Belegdatum`).
            "zahlung",
            "valuta",
            "wertstellung",
            "paiement",
            "pago",
            "pagamento",
            "оплат",
            "ödeme",
            "odeme",
            "付款",
            "收款",
        ]) {
            50
        } else if any(&["modif", "updat", "changed", "edited", "geander"]) {
            // A record's last edit: any day after the sale (a tester's `Updated At`, 20 days
            // on, was taken over `Created At`).
            45
        } else if any(&[
            "ship",
            "deliver",
            "dispatch",
            "due",
            "expir",
            "renew",
            // German, Spanish, French: delivery, due, dispatch.
            "liefer",
            // Polish delivery, Czech and Slovak due dates (`Data dostawy`, `Datum splatnosti`).
            "dostaw",
            "splatn",
            "faellig",
            "fällig",
            "versand",
            "entrega",
            "vencim",
            "envio",
            "envío",
            "livraison",
            "echeance",
            "échéance",
            "expedi",
            // Turkish and Italian due dates, Turkish dispatch, Russian shipment, Chinese and
            // Korean delivery and due dates.
            "vade",
            "scadenza",
            "sevk",
            "到期",
            "交货",
            "发货",
            "납기",
            // The stock's side: the day the seller bought or received the goods (a public
            // log's `ProcuredDate`, 11 batch days, came before its `OrderDate` and was taken).
            "procur",
            "receiv",
            "goodsreceipt",
            "requir",
            "promis",
            // A forecast (a CRM's `Expected Close Date`), not the day it closed.
            "expect",
            "forecast",
            "estimat",
        ]) {
            40
        } else if any(&["creat"]) {
            // A record's creation: a web shop's order, before its payment and fulfilment; after
            // a plain or an order's date.
            35
        } else if any(&[
            "invoice", "posting", "posted", "billing", "fkdat", "budat", "invdt", "invdate",
            // German, Spanish, French, Italian invoices and postings.
            "rechnung", "buchung", "factura", "facture", "fattura",
        ]) {
            10
        } else if any(&["document", "transaction", "sale", "bldat", "beleg"]) {
            20
        } else if any(&[
            "order", "book", "purchas", "orddt", "orddate", "bestell", "auftrag", "pedido",
            "commande",
        ]) || aliases.order_date.iter().any(|a| norm(a) == n)
        {
            // An order's day (or a booking's, a purchase's): an order is placed before it is
            // invoiced (a trial's Business Central header put `Order Date` before `Posting
            // Date`, and sales were dated by orders: 171 labels wrong).
            30
        } else {
            // A plain `Date`, or a date of something the header does not say: after an order's.
            31
        }
    };
    // A date column the user named is the date column.
    let mut best: Option<(usize, f64, u8)> = given
        .iter()
        .find(|(c, _)| c == "order_date")
        .and_then(|(_, h)| header.iter().position(|x| x == h))
        .map(|i| (i, 1.0, 0));
    for pass in [true, false] {
        for (i, h) in header.iter().enumerate() {
            if taken.contains(&i) || (pass && !named(h)) {
                continue;
            }
            // Dates written as bare numbers (`44197`, `20240131`) only in a column whose header
            // says it holds dates: an unnamed column of numbers is more likely ids or amounts.
            // A dotted day (`05.03.2024`) has two dots; a number one at most.
            let bare = |v: &str| {
                v.bytes().all(|b| b.is_ascii_digit() || b == b'.') && v.matches('.').count() < 2
            };
            // Seconds since 1970 likewise (`1609468980`), where the header ends naming a date
            // or a time: a `Mandate ID` of ten digits, before `Belegdatum`, was taken.
            let epoch = pass && names_a_time(h);
            let (s, n) = if pass {
                share(rows, i, |v| {
                    is_date(v) || (epoch && parse::epoch_day(v).is_some())
                })
            } else {
                share(rows, i, |v| is_date(v) && !bare(v))
            };
            let r = rank(h);
            if n > 0 && s >= 0.9 && best.is_none_or(|(_, b, br)| r < br || (r == br && s > b)) {
                best = Some((i, s, r));
            }
        }
        if best.is_some() {
            break;
        }
    }
    let Some((order_date, _, _)) = best else {
        // A date column most of whose values read: say so, with what does not, rather than
        // claim there is none.
        let near = header
            .iter()
            .enumerate()
            .filter(|(i, h)| !taken.contains(i) && named(h))
            .map(|(i, h)| (i, h, share(rows, i, is_date)))
            .filter(|(_, _, (s, n))| *n > 0 && *s >= 0.5)
            .max_by(|a, b| a.2 .0.total_cmp(&b.2 .0));
        if let Some((i, h, (s, n))) = near {
            let mut bad: Vec<String> = Vec::new();
            for v in rows.iter().filter_map(|r| r.get(i).map(|v| v.trim())) {
                let v = format!("`{v}`");
                if v != "``" && !is_date(&v[1..v.len() - 1]) && !bad.contains(&v) {
                    bad.push(v);
                    if bad.len() == 3 {
                        break;
                    }
                }
            }
            return Err(format!(
                "`{}`: `{h}` reads as a date in only {:.0}% of {n} sampled rows (90% needed); unreadable: {}; fix those values, or write them as YYYY-MM-DD",
                path.display(),
                s * 100.0,
                bad.join(", ")
            ));
        }
        // Hijri dates (`1442/05/17`): said, since every one is unreadable as a Gregorian day.
        let hijri = header.iter().enumerate().find(|&(i, _)| {
            let year = |v: &str| {
                v.split(['/', '-', '.', ' '])
                    .filter(|p| p.len() == 4)
                    .find_map(|p| p.parse::<u32>().ok())
            };
            share(rows, i, |v| {
                year(v).is_some_and(|y| (1300..1600).contains(&y))
            })
            .0 >= 0.9
        });
        if let Some((_, h)) = hijri {
            return Err(format!(
                "`{}`: `{h}` holds dates of the years 1300 to 1599: Hijri (or Solar Hijri) dates, which gosales does not convert; give a column of Gregorian dates (`--column order_date=HEADER`), or convert these to YYYY-MM-DD",
                path.display()
            ));
        }
        let refusal = super::refuse(
            path,
            "date",
            "order_date",
            "a column whose values are dates (YYYY-MM-DD, M/D/YYYY, D/M/YYYY, DD.MM.YYYY, YYYY/MM/DD, any with a time), preferably with `date` (or `Datum`, `Fecha`, `Dato`, ...) in its header".into(),
            header,
        );
        // A summary with a column per week or day (`2023-01-02`, `2023-01-09`, ...; one per
        // month is read as one line per row and month, `stages::etl::pivot`): its dates are in
        // its header, and no row is a sale.
        let months: Vec<&String> = header
            .iter()
            .filter(|h| parse::month_only(h.trim()).is_some() || is_date(h.trim()))
            .collect();
        if months.len() >= 3 {
            return Err(format!(
                "{refusal}\n`{}` has a column per date ({} of them, `{}` to `{}`): a summary, whose dates are in its header; gosales reads one row per sale, or per customer, product and month (a summary with a column per month it reads so itself): unpivot those columns into a date column and a value column (Excel's Power Query: select them, Transform > Unpivot Columns), then give that file",
                path.display(),
                months.len(),
                months[0],
                months[months.len() - 1]
            ));
        }
        return Err(refusal);
    };
    Ok(order_date)
}

/// Whether header `h` ends naming a date or a time (`invoice_date`, `Belegdatum`, `created_at`,
/// `orderTime`), as a column of seconds since 1970 must be named to be read so.
fn names_a_time(h: &str) -> bool {
    let n = norm(h);
    let raw = h.trim();
    [
        "date",
        "time",
        "timestamp",
        "datetime",
        "datum",
        "zeit",
        "fecha",
        "created",
    ]
    .iter()
    .any(|e| n.ends_with(e))
        || n.starts_with("fecha")
        || n.starts_with("date")
        || raw.ends_with("_at")
        || raw.ends_with("At")
        || raw.ends_with(" at")
}

/// Days and their rows.
pub type Strays = Vec<(NaiveDate, u64)>;

/// A stray is more than this many days away from the rest of the log.
const STRAY_GAP_DAYS: i64 = 366;
/// ... and, with the other strays on its side, at most this share of the dated rows.
const STRAY_SHARE: f64 = 0.01;

/// Takes out of `per_day` the days that lie more than a year before or after the bulk of the log
/// and hold at most 1% of its rows: `1900-01-01`, which exports write for "no date", or a
/// mistyped year (`2203`). Left in, one of them moves every cutoff `init` chooses (a log "from
/// 1900", or "to 2203" with nothing in its windows). Returns those before and those after.
pub(crate) fn split_strays(per_day: &mut BTreeMap<NaiveDate, u64>) -> (Strays, Strays) {
    // Runs of days with no gap over a year between neighbours: (first, last, rows).
    let mut runs: Vec<(NaiveDate, NaiveDate, u64)> = Vec::new();
    for (&d, &n) in per_day.iter() {
        match runs.last_mut() {
            Some(r) if (d - r.1).num_days() <= STRAY_GAP_DAYS => {
                r.1 = d;
                r.2 += n;
            }
            _ => runs.push((d, d, n)),
        }
    }
    let total: u64 = runs.iter().map(|r| r.2).sum();
    let Some(main) = (0..runs.len()).max_by_key(|&i| (runs[i].2, i)) else {
        return (Vec::new(), Vec::new());
    };
    let few = |rs: &[(NaiveDate, NaiveDate, u64)]| {
        let n: u64 = rs.iter().map(|r| r.2).sum();
        n > 0 && n as f64 <= STRAY_SHARE * total as f64
    };
    let (from, to) = (runs[main].0, runs[main].1);
    let before = if few(&runs[..main]) {
        let rest = per_day.split_off(&from);
        std::mem::replace(per_day, rest).into_iter().collect()
    } else {
        Vec::new()
    };
    let mut after: Strays = if few(&runs[main + 1..]) {
        let next = to.succ_opt().expect("a day after the log");
        per_day.split_off(&next).into_iter().collect()
    } else {
        Vec::new()
    };
    if after.is_empty() {
        after = thin_tail(per_day, total);
    }
    (before, after)
}

/// A thin tail after the bulk of the log: its last months, two or more, each holding under a
/// tenth of the median month's rows, and together at most 1% of the rows: renewals billed ahead
/// (dated months after the export), or mistyped years close to the log. Left in, they set the
/// log's last date: a trial's 40 pre-billed rows after a three-year log made 1-month windows
/// and left 4 divisions of 5 without a model. One thin last month (an export taken early in the
/// month) is no tail, nor are months as thin a year before (a season).
fn thin_tail(per_day: &mut BTreeMap<NaiveDate, u64>, total: u64) -> Strays {
    use chrono::Datelike;
    let mut months: BTreeMap<(i32, u32), u64> = BTreeMap::new();
    for (d, &n) in per_day.iter() {
        *months.entry((d.year(), d.month())).or_default() += n;
    }
    let counts: Vec<u64> = months.values().copied().collect();
    if counts.len() < 6 {
        return Vec::new();
    }
    let mut sorted = counts.clone();
    sorted.sort_unstable();
    let median = sorted[sorted.len() / 2] as f64;
    let thin = counts
        .iter()
        .rev()
        .take_while(|&&c| (c as f64) < 0.1 * median)
        .count();
    let rows: u64 = counts.iter().rev().take(thin).sum();
    if thin < 2 || 2 * thin >= counts.len() || rows as f64 > STRAY_SHARE * total as f64 {
        return Vec::new();
    }
    // A season, not a tail: the same months were as quiet a year before (a tester's business
    // sold little in November and December every year, and init cut the last two off).
    let first = *months.keys().next().expect("months");
    let seasonal = months.keys().rev().take(thin).all(|&(y, m)| {
        (y - 1, m) >= first && (months.get(&(y - 1, m)).copied().unwrap_or(0) as f64) < 0.1 * median
    });
    if seasonal {
        return Vec::new();
    }
    let &(y, m) = months.keys().rev().nth(thin - 1).expect("a thin month");
    let from = NaiveDate::from_ymd_opt(y, m, 1).expect("a month's first day");
    per_day.split_off(&from).into_iter().collect()
}

/// The log's other columns of dates (`Ship Date`, `Due Date` beside `Invoice Date`): headers
/// that say so and whose values read as dates. The user is told which one dates a sale, and
/// how to choose another: it moves every line across cutoffs.
pub(super) fn other_date_columns(
    header: &[String],
    rows: &[Vec<String>],
    chosen: usize,
    taken: &[usize],
) -> Vec<String> {
    let is_date = |v: &str| {
        parse::date_in(v, DateOrder::Mdy).is_some() || parse::date_in(v, DateOrder::Dmy).is_some()
    };
    // Any column of dates, however named (`Last Modified`, `Shipped On`, `Delivered At` were
    // left out of the note when it asked for "date" in the header); bare numbers (`20240131`,
    // a serial day) only under a header that says date.
    let bare = |v: &str| v.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    header
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != chosen && !taken.contains(i))
        .filter(|(i, h)| {
            let timed = names_a_time(h);
            let named = timed || norm(h).contains("date");
            let (s, n) = share(rows, *i, |v| {
                (is_date(v) && (named || !bare(v))) || (timed && parse::epoch_day(v).is_some())
            });
            n > 0 && s >= 0.9
        })
        .map(|(_, h)| h.clone())
        .collect()
}

/// Whether the sampled dates of column `i` are day-first: some read only day-first (a first part
/// over 12) and none only month-first. Otherwise month-first, the original's convention. Returns
/// the order, (dates only it reads, dates that read as two different days), whether day first
/// rests on the file's order alone ([`sorted_day_first`]), and the dates only the other order
/// reads (a file mixing both has many).
pub(super) fn date_order_of(
    rows: &[Vec<String>],
    i: usize,
) -> (DateOrder, (usize, usize), bool, usize) {
    let (mut mdy, mut dmy, mut both) = (0, 0, 0);
    for v in rows.iter().filter_map(|r| r.get(i)) {
        match (
            parse::date_in(v, DateOrder::Mdy),
            parse::date_in(v, DateOrder::Dmy),
        ) {
            (Some(_), None) => mdy += 1,
            (None, Some(_)) => dmy += 1,
            (Some(a), Some(b)) if a != b => both += 1,
            _ => {}
        }
    }
    // Day first only where no date reads only month first: nothing contrary then.
    if dmy > 0 && mdy == 0 {
        (DateOrder::Dmy, (dmy, both), false, 0)
    } else if mdy == 0 && both > 0 && firsts_of_months(rows, i) {
        // A monthly summary dated on each month's first day, day first (`01/03/2023`): no date
        // reads only one way, but month first every sale would fall on January 1 to 12.
        (DateOrder::Dmy, (0, both), false, 0)
    } else if mdy == 0 && both > 0 && sorted_day_first(rows, i) {
        (DateOrder::Dmy, (0, both), true, 0)
    } else {
        (DateOrder::Mdy, (mdy, both), false, dmy)
    }
}

/// Whether the sampled dates, in the file's order, run one way (forward or back) read day first
/// and jump back and forth read month first: a log sorted by date whose days all happen to be
/// the 1st to the 12th (billing early in the month) has no date that reads only one way, and
/// month first a tester's such log moved every sale (a range ending 2033-12-11, not 2033-11-12).
fn sorted_day_first(rows: &[Vec<String>], i: usize) -> bool {
    let disorder = |order: DateOrder| {
        let days: Vec<_> = rows
            .iter()
            .filter_map(|r| parse::date_in(r.get(i)?, order))
            .collect();
        let back = days.windows(2).filter(|w| w[1] < w[0]).count();
        let forth = days.windows(2).filter(|w| w[1] > w[0]).count();
        (back.min(forth), days.len())
    };
    let (dmy, n) = disorder(DateOrder::Dmy);
    let (mdy, _) = disorder(DateOrder::Mdy);
    // Sorted by date, read month first the days of a month (1-12) run forward as months and
    // turn back at each new month: a step back a month. Clear on both sides: a log sorted by
    // customer runs neither way, and one of late entries only nearly.
    n >= 50 && mdy >= 5 && dmy * 10 <= mdy
}

/// The numeric dates' (first, second) parts of column `i`, as written (`01/03/2023`: 1, 3).
fn date_parts(rows: &[Vec<String>], i: usize) -> impl Iterator<Item = [u32; 3]> + '_ {
    rows.iter().filter_map(move |r| {
        let v = r.get(i)?.trim();
        let day = v.split([' ', 'T']).next()?;
        let sep = if day.contains('/') { '/' } else { '-' };
        let parts: Vec<&str> = day.split(sep).collect();
        match parts[..] {
            [a, b, c] if [a, b, c].iter().all(|p| !p.is_empty() && p.len() <= 4) => {
                Some([a.parse().ok()?, b.parse().ok()?, c.parse().ok()?])
            }
            _ => None,
        }
    })
}

/// Whether every sampled date's first part is 1 while its second takes several values: the
/// first days of months written day first.
fn firsts_of_months(rows: &[Vec<String>], i: usize) -> bool {
    let mut seconds = std::collections::BTreeSet::new();
    for [a, b, _] in date_parts(rows, i) {
        if a != 1 {
            return false;
        }
        seconds.insert(b);
    }
    seconds.len() >= 3
}

/// A sampled date written year first with two digits (`22/03/15`, `22-03-15`), when the last
/// part takes more values than a log has years (over 12, up to 31: days): such dates read day
/// or month first land decades apart.
pub(super) fn short_year_first(rows: &[Vec<String>], i: usize) -> Option<String> {
    let lasts: std::collections::BTreeSet<u32> = date_parts(rows, i)
        .filter(|p| p[2] < 100)
        .map(|p| p[2])
        .collect();
    let firsts_are_years = date_parts(rows, i).all(|p| p[0] < 100 && p[0] > 12 || p[0] == 0);
    (lasts.len() > 12 && firsts_are_years)
        .then(|| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .find(|v| !v.trim().is_empty())
                .cloned()
        })
        .flatten()
}
