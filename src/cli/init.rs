//! `gosales init DIR --sales-log FILE`: a workspace for the user's own files, with every choice
//! printed beside the file and key that holds it.

use std::path::{Path, PathBuf};

use clap::Args;

use super::print_json;
use crate::onboard::{self, Request, WriteError};
use crate::{Error, ExitCode};

#[derive(Debug, Args)]
#[command(after_help = "\
What init decides, and where to change it afterwards:
  columns       the customer id, date, division, name and invoice headers (division
                names over their codes; a `GP %` is never GP)
                -> stages/etl.yaml `aliases`
  products      every GP column `X` (or `X GP`) with a quantity column `X_Qty` / `X Qty`;
                or, in a log of one row per line, every value of its product column
                (`Product`, `SKU`, `Item`, ...) beside a numeric GP column (`GP`, `Gross
                Profit`, `Margin`, ...; one converted to one currency, `GP USD`, first;
                without one, revenue: `Net Amount`, `Sales`, less a line cost column
                `Cost` if there is one, said so) and, if any, a quantity column (`Qty`,
                `Units`); a BI export's `Total GP` is no product; an invoice's total on
                each of its lines is no line's value; with none, a unit price times the
                quantity (Xero's `UnitAmount`)
                -> stages/sku_map.csv (and stages/etl.yaml `aliases`, `cost_sign`,
                   `value_per_unit`)
  dates         day or month first (30/06/2024 or 6/30/2024): day first when some dates
                read only that way and none only month first; a month alone (`May 2023`),
                or a log all on the 1st (`dates_are_months`), is its last day
                -> stages/etl.yaml `date_order`
  divisions     per product, the division column's value on most of its rows; in a log of
                lines, a line booked to another division stays there (`division_routes`);
                freight and discount lines no row gives a division are left out
                -> stages/sku_map.csv
  rows          credit memos (a document type, a yes/no return flag, or a file of returns)
                written positive are read negative, as are returns of negative quantity
                with a positive GP; a log of sales written negative (a journal's credits)
                read with its signs turned, one of whole cents beside Stripe's currency
                codes divided by 100; cancelled and open
                orders, and lost or open opportunities (a CRM's `Stage`), left out;
                names written several ways, and ids that lost a prefix
                (`C-0001`, then `0001`), read as one customer; a weekday business's log run
                through a weekend month-end; all when found
                -> stages/etl.yaml `credit_documents`, `credit_parts`, `returns_by_quantity`,
                   `values_negative`, `amounts_in_cents`,
                   `excluded_statuses`, `customer_id_spelling`, `customer_id_prefix`,
                   `closed_on_weekends`
  label window  the longest of 6/3/1 months that fits three times after a year of history
                (relaxed to less history and two windows; 6 and 3 months before 1)
                -> stages/labels.yaml `window_months`
  cutoffs       the month-ends those windows start at
                -> pipeline.yaml `vars.cutoffs`
  scoring       `latest`: the last date of the sales log (or the month-end it runs through)
                -> pipeline.yaml `vars.score_cutoff`
  enrichment    a customer master with an industry column in the log's folder, when no
                `--enrichment` is given
                -> pipeline.yaml, the source's `enrichment` input

Reports read as they export: QuickBooks' Sales by Customer Detail (each customer's name on
a row above its lines), Shopify's orders (the order's fields on its first line only), a
Salesforce opportunity report, Business Central's invoice and credit memo tables, Xero's
invoices (unit price times quantity, less the discount) and reports, a summary with a column
per month (a pivot table, Excel's with its years above its months: one line per row and
month), JSON records (JSON Lines, or an API's orders with their list of lines: a row per
line; Stripe's invoices), WooCommerce, Square, Magento, Zoho Books, Sage 50, NetSuite,
Acumatica, Dynamics 365, HubSpot, Recurly, FreshBooks, Lightspeed and eBay exports
(bench/exports.sh tries each). A discount as an amount is `aliases.discount_amount`.

Examples:
  gosales init shop --sales-log data/sales.csv --holdout data/sales_2018.csv
  gosales init shop --sales-log data/exports/   (one file a year, read as one log)
  gosales init shop --sales-log data/erp/   (an invoice header table and a lines table,
                                            joined by the invoice number)
  gosales init shop --sales-log warehouse/sales_unload/   (Parquet or .csv.gz part files,
                                                          partition folders `year=2024/`)
  gosales -C shop run")]
pub struct InitArgs {
    /// The workspace directory to write (created if missing)
    // Its own id: under `dir`, clap would fill the global `-C DIR` with it.
    #[arg(id = "workspace", value_name = "DIR")]
    pub dir: PathBuf,
    /// The sales log: wide (a GP and a Qty column per product, several on a row) or long (one
    /// row per product line: a product column, a GP column, a quantity column); CSV, a
    /// workbook, Parquet or JSON. A folder is read as one log: its .csv/.tsv/.txt/.xlsx/.parquet/...
    /// files in name order (`2023.csv`, `2024.xlsx`, a Spark job's part files), each violation
    /// naming its file
    #[arg(long, value_name = "FILE|FOLDER")]
    pub sales_log: PathBuf,
    /// A later log of the same shape, for holdout validation (adds `holdout_star` and
    /// `validate`); a file or a folder
    #[arg(long, value_name = "FILE|FOLDER")]
    pub holdout: Option<PathBuf>,
    /// Industry enrichment: a customer's name or id (`Customer`, `Account Name`, `ID`,
    /// `Customer No.`, ...) and its industry (`Industry`, `Sector`, `Vertical`); optionally a
    /// sub-industry and a web address. Without it, a customer master with an industry column in
    /// the log's folder is used
    #[arg(long, value_name = "FILE")]
    pub enrichment: Option<PathBuf>,
    /// Your SKU map instead of the proposed one: a CSV of `gp_column` (a GP column's header; for
    /// a log of product lines, the product value, which may be headed SKU, Product or Item),
    /// `division`, and optionally `qty_column`, `family`
    #[arg(long, value_name = "FILE")]
    pub sku_map: Option<PathBuf>,
    /// Which header holds a column, when init would not guess it (repeatable):
    /// `--column customer_id="Cust #" --column order_date=Belegdatum`. Columns: customer_id,
    /// order_date, division, customer_name, invoice_id, line_id, product, gross_profit,
    /// quantity, cost (a line's cost: GP is then the gross_profit column, revenue, less it),
    /// unit_price (a price per unit: each line's value is it times the quantity),
    /// discount_amount (taken off each line's value), discount (a percentage off it),
    /// refunded_quantity (units of the line refunded), parent_line (a component line's parent,
    /// which holds its value: the component is dropped)
    #[arg(long = "column", value_name = "COLUMN=HEADER", value_parser = column_arg)]
    pub columns: Vec<(String, String)>,
    /// Use this label window (months) instead of choosing one
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=60))]
    pub window_months: Option<u32>,
    /// Overwrite files that exist (without it, init refuses and writes nothing)
    #[arg(long)]
    pub force: bool,
    /// Print the decisions as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

/// `customer_id=Cust #` -> (`customer_id`, `Cust #`).
fn column_arg(s: &str) -> Result<(String, String), String> {
    let (c, h) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}`: write COLUMN=HEADER, e.g. customer_id=\"Cust #\""))?;
    let c = c.trim();
    let columns = crate::stages::etl::layout::Aliases::COLUMNS;
    if !columns.contains(&c) && c != "unit_price" {
        return Err(format!(
            "no column is called `{c}`; name one of {}, unit_price",
            columns.join(", ")
        ));
    }
    Ok((c.to_string(), h.to_string()))
}

/// `entered`: the `-C DIR` the command ran in, for a next command pasted where the user stands.
pub fn run(a: &InitArgs, entered: Option<&Path>) -> Result<ExitCode, Error> {
    let req = Request {
        dir: a.dir.clone(),
        sales_log: a.sales_log.clone(),
        holdout: a.holdout.clone(),
        enrichment: a.enrichment.clone(),
        sku_map: a.sku_map.clone(),
        window_months: a.window_months,
        columns: a.columns.clone(),
    };
    for (flag, f) in [
        ("--sales-log", Some(&a.sales_log)),
        ("--holdout", a.holdout.as_ref()),
        ("--enrichment", a.enrichment.as_ref()),
        ("--sku-map", a.sku_map.as_ref()),
    ] {
        // The logs may be folders of exports, one file a year (`etl::parts`).
        let folder_ok = matches!(flag, "--sales-log" | "--holdout");
        if let Some(f) = f.filter(|f| !(f.is_file() || folder_ok && f.is_dir())) {
            return Err(Error::usage(
                format!(
                    "{flag} `{}`: no such {}",
                    f.display(),
                    if folder_ok { "file or folder" } else { "file" }
                ),
                None,
            ));
        }
    }
    // The directory must exist for paths to be written relative to it; one init made for a
    // plan that then failed goes again, so that "nothing was written" is true.
    let created = !a.dir.exists();
    std::fs::create_dir_all(&a.dir).map_err(|e| Error::io("cannot create", &a.dir, e))?;
    let plan = onboard::plan(&req).map_err(|m| {
        if created {
            let _ = std::fs::remove_dir(&a.dir);
        }
        Error::usage(
            format!("init cannot set up this data: {m}"),
            Some("nothing was written".into()),
        )
    })?;
    let replaced = match onboard::write(&plan, &a.dir, a.force) {
        Ok(r) => r,
        Err(WriteError::Exists(files)) => {
            return Err(Error::usage(
                format!(
                    "`{}` already has {}",
                    a.dir.display(),
                    files
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Some("nothing was written; pass `--force` to overwrite them".into()),
            ))
        }
        Err(WriteError::Io(path, e)) => return Err(Error::io("cannot write", path, e)),
    };
    if a.json {
        print_json(&serde_json::json!({
            "dir": a.dir,
            "files": plan.files.iter().map(|(f, _)| f).collect::<Vec<_>>(),
            "replaced": replaced,
            "plan": plan,
        }));
    } else {
        let here = match entered {
            Some(c) if a.dir.is_relative() => c.join(&a.dir),
            _ => a.dir.clone(),
        };
        eprint!("{}", describe(&plan, a, &replaced, &here));
    }
    Ok(ExitCode::Ok)
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The human summary: each decision, then where to change it.
fn describe(plan: &onboard::Plan, a: &InitArgs, replaced: &[String], here: &Path) -> String {
    let mut o = String::new();
    let log = &plan.log;
    let c = &log.columns;
    let opt = |x: &Option<String>| {
        x.as_ref()
            .map(|s| format!("`{s}`"))
            .unwrap_or_else(|| "(none)".into())
    };
    o += &format!(
        "gosales init: a workspace in `{}` for `{}`\n\n",
        a.dir.display(),
        a.sales_log.display()
    );
    o += &format!(
        "  columns      customer_id `{}`, order_date `{}`, division {},\n               customer_name {}, invoice_id {}, line_id {}\n               -> stages/etl.yaml `aliases`\n",
        c.customer_id,
        c.order_date,
        opt(&c.division),
        opt(&c.customer_name),
        opt(&c.invoice_id),
        opt(&c.line_id)
    );
    if let (Some(p), Some(g)) = (&c.product, &c.gross_profit) {
        o += &format!(
            "  shape        one row per product line: product `{p}`, GP `{g}`, quantity {}\n               -> stages/etl.yaml `aliases`\n",
            opt(&c.quantity)
        );
        let off = c.discount.as_ref().map_or(String::new(), |d| {
            if log.discount_fraction {
                format!(", less `{d}` (a fraction: 0.2 is 20%),")
            } else {
                format!(", less `{d}` percent,")
            }
        });
        if let Some(cost) = &c.cost {
            let revenue = if log.value_per_unit {
                format!("`{g}` (a price per unit) times {}{off}", opt(&c.quantity))
            } else {
                format!("`{g}`{off}")
            };
            let cost_of = if log.cost_per_unit {
                format!("`{cost}` (a cost per unit) times {}", opt(&c.quantity))
            } else {
                format!("`{cost}`")
            };
            let mut keys = vec!["`aliases.cost`"];
            keys.extend(log.cost_negative.then_some("`cost_sign: negative`"));
            keys.extend(log.cost_per_unit.then_some("`cost_per_unit: true`"));
            keys.extend(log.value_per_unit.then_some("`value_per_unit: true`"));
            keys.extend((!off.is_empty()).then_some("`aliases.discount`"));
            o += &if log.cost_negative {
                format!(
                    "               GP = {revenue} plus {cost_of}: no GP column, and the costs are written negative, so each line's GP is its revenue less its cost -> stages/etl.yaml {}\n",
                    keys.join(", ")
                )
            } else {
                format!(
                    "               GP = {revenue} less {cost_of}: no GP column, so each line's GP is its revenue less its cost -> stages/etl.yaml {}\n",
                    keys.join(", ")
                )
            };
        } else if log.value_per_unit {
            o += &format!(
                "               no line value: `{g}` (a price per unit) times {}{off} is each line's revenue, and stands in for GP, so every GP figure is revenue -> stages/etl.yaml `value_per_unit: true`{}\n",
                opt(&c.quantity),
                if off.is_empty() { "" } else { ", `aliases.discount`" }
            );
        } else if log.value_is_revenue {
            o += &format!(
                "               no GP column: `{g}` (revenue) stands in for it, so every GP figure is revenue (a column of each line's total cost would be subtracted: `--column cost=HEADER`; not a cost per unit)\n"
            );
        }
        if let Some(d) = &c.discount_amount {
            o += &format!(
                "               less `{d}`: each line's discount as an amount, off its value -> stages/etl.yaml `aliases.discount_amount`\n"
            );
        }
        if let Some(r) = &c.refunded_quantity {
            o += &format!(
                "               less `{r}`: each line's quantity refunded, its share off the line (refunded whole, no sale) -> stages/etl.yaml `aliases.refunded_quantity`\n"
            );
        }
        if let Some(p) = &c.parent_line {
            o += &format!(
                "               lines with `{p}` set are left out: each is part of that line, which holds its value and quantity -> stages/etl.yaml `aliases.parent_line`\n"
            );
        }
    }
    o += &format!(
        "  dates        {} to {}: {} rows ({} with a readable date)\n               read {} -> stages/etl.yaml `date_order`\n",
        log.first_date,
        log.last_date,
        thousands(log.rows),
        thousands(log.dated_rows),
        onboard::date_order_rule(log)
    );
    for (k, n) in &log.other_order_parts {
        o += &format!(
            "               but `{}` writes them {}: {n} of its dates read only that way, none the other; the run reads it as written\n",
            log.parts.get(*k).map_or("", String::as_str),
            log.date_order.other().words()
        );
    }
    match &plan.proposed_skus {
        Some(lines) => {
            o += &format!(
                "  products     {} {} in {} divisions -> stages/sku_map.csv (proposed: review it)\n               division of each: {}\n",
                lines.len(),
                match &c.product {
                    Some(p) => format!("values of `{p}`"),
                    None => "GP/Qty column pairs".to_string(),
                },
                plan.divisions.len(),
                plan.division_rule
            );
            // Hundreds of divisions (a product apiece) are the map's to list: 1,806 console
            // lines buried the warning about them.
            const SHOWN: usize = 30;
            for d in plan.divisions.iter().take(SHOWN) {
                let skus: Vec<&str> = lines
                    .iter()
                    .filter(|l| &l.division == d)
                    .map(|l| l.gp_column.as_str())
                    .collect();
                // A division of dozens of products is named by its first; the map has all.
                let more = match skus.len().saturating_sub(12) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                o += &format!(
                    "                 {d}: {}{more}\n",
                    skus[..skus.len().min(12)].join(", ")
                );
            }
            if plan.divisions.len() > SHOWN {
                o += &format!(
                    "                 ... and {} more divisions (each in stages/sku_map.csv)\n",
                    plan.divisions.len() - SHOWN
                );
            }
        }
        None => {
            o += &format!(
                "  products     {} SKUs of your map found in the log, {} divisions ({})\n",
                log.products.len(),
                plan.divisions.len(),
                plan.division_rule
            );
        }
    }
    for u in &log.unplaced {
        o += &if u.total {
            format!("  not placed   `{}`: {}\n", u.column, u.reason)
        } else {
            // The log has no quantity for it: a blank `qty_column` loads its GP alone (naming
            // `X_Qty`, which the log lacks, loaded it with a `missing_product_column` per run).
            format!(
                "  not placed   `{}`: {}; to load it (its GP, with no quantity), add to stages/sku_map.csv:\n                 {},,<division>,,,\n",
                u.column, u.reason, u.column
            )
        };
    }
    let ch = &plan.choice;
    o += &format!(
        "  label window {} month{}: {}\n               -> stages/labels.yaml `window_months` (validation uses the same)\n",
        ch.window_months,
        if ch.window_months == 1 { "" } else { "s" },
        ch.rule
    );
    o += "  cutoffs      ";
    o += &ch
        .windows
        .iter()
        .map(|w| format!("{} ({} rows in its window)", w.cutoff, thousands(w.rows)))
        .collect::<Vec<_>>()
        .join(", ");
    o += "\n               -> pipeline.yaml `vars.cutoffs`\n";
    o += &format!(
        "  scoring      `latest` = {} ({}) -> pipeline.yaml `vars.score_cutoff`\n",
        ch.score_cutoff,
        if plan.data_through.is_some() {
            "the month-end the sales log was cut at, after its last sale"
        } else if log.through.is_some() {
            "the weekend month-end the sales log runs through"
        } else {
            "the last date of the sales log"
        }
    );
    match (&plan.holdout, ch.holdout_window_end) {
        (Some(h), Some(end)) => {
            o += &format!(
                "  holdout      `{}`, {} to {}: validation labels from ({}, {end}]{}\n",
                h.file.display(),
                h.first_date,
                h.last_date,
                ch.score_cutoff,
                if h.end() < end {
                    format!(
                        " (its last sale is {} before the window's end: validation takes up to {} quiet days there as covered)",
                        days((end - h.end()).num_days()),
                        crate::stages::validate::quiet_days(ch.score_cutoff, end)
                    )
                } else {
                    String::new()
                }
            )
        }
        _ => o += "  holdout      none: no `holdout_star` or `validate` nodes (rerun init with `--holdout FILE` to add them)\n",
    }
    o += &format!(
        "  key SKUs     {} (the products with the most rows) -> stages/features.yaml `key_skus`\n",
        plan.key_skus.join(", ")
    );
    for n in &plan.notes {
        o += &format!("  note         {n}\n");
    }
    o += &format!(
        "\nwrote {} files{}; next:\n  gosales -C {} run\n",
        plan.files.len(),
        if replaced.is_empty() {
            String::new()
        } else {
            format!(" (replaced {})", replaced.join(", "))
        },
        // Pasted as it is: quoted for the shell where the path needs it (`my ws`).
        shlex::try_quote(&here.to_string_lossy())
            .map_or_else(|_| here.display().to_string(), |q| q.into_owned())
    );
    o
}

/// "1 day", "3 days".
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}
