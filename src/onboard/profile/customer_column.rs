//! Which column tells the log's customers apart: an id, else an email address, else a name
//! (a ledger account is never one).

use std::collections::HashSet;
use std::path::Path;

use crate::stages::etl::layout::Aliases;
use crate::stages::etl::parse;

use super::columns::{blank_share, by_name, share};
use super::header::refuse;
use super::names::{self, norm, CUSTOMER_ID, CUSTOMER_NAME, NOT_NAME_AS_ID};

/// The customer column, and whether it holds names rather than ids. `taken` are columns
/// placed already; `notes` gets the reasons for a choice a user may want to undo.
pub(super) fn find(
    path: &Path,
    header: &[String],
    rows: &[Vec<String>],
    aliases: &Aliases,
    given: &[(String, String)],
    taken: &[usize],
    id_notes: &mut Vec<String>,
) -> Result<(usize, bool), String> {
    // A ledger account (`200 - Sales - Networking`, Xero's reports' `Account`) is no customer:
    // a column named for an account whose values are codes and names so, or of three values or
    // fewer over fifty rows or more (a customer `10003 - Acme Ltd` is named for a customer).
    const LEDGER: &[&str] = &[
        "account",
        "accountcode",
        "glaccount",
        "glcode",
        "ledgeraccount",
        "incomeaccount",
        "salesaccount",
        "revenueaccount",
        "nominalcode",
        "nominalaccount",
    ];
    let ledger: Vec<usize> = (0..header.len())
        .filter(|&i| LEDGER.contains(&norm(&header[i]).as_str()))
        .filter(|&i| {
            let (s, n) = share(rows, i, |v| {
                let (code, rest) = v.split_once(" - ").unwrap_or(("", ""));
                code.len() >= 3 && code.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty()
            });
            let values: HashSet<&str> = rows
                .iter()
                .filter_map(|r| r.get(i).map(|v| v.trim()))
                .filter(|v| !v.is_empty())
                .take(5_000)
                .collect();
            (n > 0 && s >= 0.9) || (n >= 50 && values.len() <= 3)
        })
        .collect();
    // A tax number (a Polish NIP, a Czech IČ, a Brazilian CNPJ) keys only businesses: blank
    // for private buyers, it is no customer id when blank on more than 1 row in 100 (a
    // tester's NIP lost 552 rows, -8.4% GP, over a name column that keyed them all).
    let blank_tax_ids: Vec<usize> = (0..header.len())
        .filter(|&i| names::TAX_IDS.contains(&norm(&header[i]).as_str()))
        .filter(|&i| blank_share(rows, i, |v| parse::id(v).is_none()) > 0.01)
        .collect();
    let not_ledger: Vec<usize> = taken
        .iter()
        .chain(&ledger)
        .chain(&blank_tax_ids)
        .copied()
        .collect();
    // No id column: a log that names its customers tells them apart by the name (`Customer`).
    let by_id = by_name(header, &aliases.customer_id, CUSTOMER_ID, &not_ledger)
        .or_else(|| by_name(header, &[], names::TAX_IDS, &not_ledger));
    let names: Vec<&str> = CUSTOMER_NAME
        .iter()
        .copied()
        .filter(|n| !NOT_NAME_AS_ID.contains(n))
        .collect();
    // A web shop's guest orders have no customer id, but an email address (Magento's
    // `customer_id` beside `customer_email`): dropped as `null_customer_id`, a trial lost 12%
    // of its lines. The email tells every buyer apart, guests too.
    let named_id = given.iter().any(|(k, _)| k == "customer_id");
    // As the ETL reads ids: `NULL`, `n/a` are blank too.
    let blank = |i: usize| blank_share(rows, i, |v| parse::id(v).is_none());
    let by_id = match by_id {
        Some(i) if !named_id && blank(i) > 0.01 => {
            match by_name(header, &[], names::EMAIL, taken).filter(|&e| blank(e) <= 0.01) {
                Some(e) => {
                    id_notes.push(format!(
                        "`{}` is blank on {:.0}% of the sampled rows (guest orders?), `{}` on none: customers are told apart by `{}` (to keep the id, `--column customer_id={}`; its blank rows are then dropped)",
                        header[i],
                        100.0 * blank(i),
                        header[e],
                        header[e],
                        header[i]
                    ));
                    Some(e)
                }
                None => Some(i),
            }
        }
        other => other,
    };
    // A web shop's orders name their buyer by an email address only (Shopify's `Email`).
    let Some(customer_id) = by_id
        .or_else(|| by_name(header, &[], &names, &not_ledger))
        .or_else(|| by_name(header, &[], names::EMAIL, taken))
        // A report grouped under names its title does not say (Xero's "Receivable Invoice
        // Detail", grouped by contact): the groups, read into a `Group` column, are the
        // customers when nothing else names them.
        .or_else(|| by_name(header, &[], &["group"], &not_ledger))
    else {
        return Err(refuse(
            path,
            "customer id",
            "customer_id",
            format!(
                "{} or a header like `Customer ID`, `Account Id`, `Client_ID`",
                aliases.customer_id.join(", ")
            ),
            header,
        ));
    };
    // A column headed like a name whose values are numbers (`Customer #`) is an id after all.
    let numbers = share(rows, customer_id, |v| v.bytes().all(|b| b.is_ascii_digit()));
    let id_is_name = by_id.is_none() && !(numbers.1 > 0 && numbers.0 >= 0.99);
    Ok((customer_id, id_is_name))
}
