//! Which header is which: the names each canonical column goes by beyond the ETL's aliases,
//! how a wide log's GP/Qty pairs and a long log's product, GP and quantity columns are told
//! apart, and which way round a log writes its dates.

use std::path::Path;

use super::{Aliases, DateOrder, Unplaced};
use crate::stages::etl::parse;

/// Lowercase letters and digits only: `Rec Date`, `rec_date` and `RecDate` compare equal.
pub(super) fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Names accepted for each canonical column beyond the ETL's aliases, normalised.
pub(super) const CUSTOMER_ID: &[&str] = &[
    "customerid",
    "companyid",
    "accountid",
    "clientid",
    "custid",
    "customerno",
    "customernumber",
    "customercode",
    "accountnumber",
    "accountno",
    "buyerid",
    // `Cust #`, `Cust No.`, SAP's `Sold-To Party`, a ledger's debtor number.
    "cust",
    "custno",
    "custnum",
    "custnumber",
    "custcode",
    "customerkey",
    "clientno",
    "clientnumber",
    "soldto",
    "soldtoparty",
    "debtorno",
    "debtornumber",
    // Dynamics 365 Business Central / NAV: the customer who bought, then the one who paid.
    "selltocustomerno",
    "selltocustomernumber",
    "billtocustomerno",
    "billtocustomernumber",
    // The same without `No.`, as reports head them: the customer who bought, else who paid
    // (a ship-to is a delivery address, never the customer).
    "selltocustomer",
    "soldtocustomer",
    "billtocustomer",
    "billtocustomerid",
    "billtoaccount",
    // SAP's sold-to, payer and customer fields (VBRK, KNA1).
    "kunag",
    "kunrg",
    "kunnr",
    // Odoo's partner, Dynamics 365's invoice and order accounts.
    "partnerid",
    "commercialpartnerid",
    // Dynamics 365's `Customer account`, HubSpot's deals. (Not `account_code`: Recurly's
    // customer, but Xero's ledger account.)
    "customeraccount",
    "customeraccountnumber",
    "associatedcompanyidsprimary",
    "associatedcompanyid",
    "invoiceaccount",
    "custaccount",
    "orderaccount",
    // Japanese exports' customer (得意先) and account codes.
    "得意先コード",
    "得意先cd",
    "顧客コード",
    "取引先コード",
    // `Acct #`, `Acct No`, `Acct Num`: an account abbreviated, as CRMs head it; last, as a
    // ledger's `Acct` may be its GL account.
    "acct",
    "acctno",
    "acctnum",
    "acctnumber",
    "acctid",
    "accountnum",
    // The account that pays (SAP's payer), and a client's or customer's reference.
    "payer",
    "payerid",
    "payerno",
    "payernumber",
    "payeraccount",
    "clientref",
    "clientreference",
    "customerref",
    "customerreference",
    "accountref",
    "accountreference",
];
/// A buyer's email address: the customer when nothing else names one.
pub(super) const EMAIL: &[&str] = &[
    "email",
    "customeremail",
    "emailaddress",
    "buyeremail",
    // WooCommerce's order export, where `Customer User ID` is 0 for every guest.
    "billingemail",
    "billingemailaddress",
    // A CRM's or a shop's contact (`Contact E-mail`), an order's buyer.
    "contactemail",
    "contactemailaddress",
    "customeremailaddress",
    "orderemail",
    "purchaseremail",
];
pub(super) const CUSTOMER_NAME: &[&str] = &[
    "customer",
    "customername",
    // Xero's invoice export (`*ContactName`).
    "contactname",
    "associatedcompany",
    "companyname",
    "accountname",
    "acctname",
    "clientname",
    "company",
    "account",
    "client",
    // Xero's reports: a contact is the customer (a person, where a company column is none).
    "contact",
    "name",
    "newbusiness",
    "selltocustomername",
    "soldtoname",
    "billtocustomername",
    "billtoname",
    // Japanese exports' customer names.
    "得意先名",
    "顧客名",
    "取引先名",
];
/// Names of [`CUSTOMER_NAME`] that may not serve as an id when the log has none: a bare `Name`
/// may name anything, `New Business` is a flag, a bill-to name the account that pays.
pub(super) const NOT_NAME_AS_ID: &[&str] = &["name", "newbusiness", "billtoname"];
pub(super) const DIVISION: &[&str] = &[
    "division",
    "department",
    "dept",
    "businessunit",
    "segment",
    "productdivision",
    "productline",
    // Sage Intacct's product line, Tally's stock group, Dynamics GP's item class.
    "productlineid",
    "stockgroup",
    "itemclasscode",
    "itemclass",
    "productgroup",
    // Salesforce's opportunity products.
    "productfamily",
    "itemcategory",
    "itemcategorycode",
    "productcategory",
    // SAP's division.
    "spart",
    "sparte",
    // Odoo's product category, Dynamics 365's item group.
    "productcategoryid",
    "categid",
    "itemgroupid",
    "itemgroup",
    // Square's item category, a shop's or a spreadsheet's `Category` of each line's product.
    // (Not NetSuite's `Class`: a product line in one account, a location in the next.)
    "category",
    // A JSON export's nested category (`category.name`).
    "categoryname",
    "productcategoryname",
    "itemcategoryname",
    // Japanese exports' department and product class.
    "部門",
    "商品分類",
    "商品区分",
];
/// The invoice's number before a document's, and a document's before an order's: a header
/// exported beside its lines has the order an invoice was billed from too (Business Central's
/// `Order No.` beside the lines' `Document No.`), and one order may be billed in several
/// invoices.
pub(super) const INVOICE_ID: &[&str] = &[
    "invoiceid",
    "invoice",
    "invoiceno",
    "invoicenumber",
    "billingdocument",
    // SAP's billing and accounting document numbers.
    "vbeln",
    "belnr",
    "documentno",
    "documentnumber",
    "docno",
    "docnumber",
    "documentid",
    "orderid",
    "orderno",
    "ordernumber",
    "salesorder",
    "salesorderno",
    "salesordernumber",
    "receiptno",
    // Magento's order number (its `entity_id` is the database's).
    "orderincrementid",
    "incrementid",
    // Japanese exports' slip (伝票) and invoice numbers.
    "伝票番号",
    "請求書番号",
    "伝票no",
];
pub(super) const LINE_ID: &[&str] = &[
    "lineid",
    "invoiceline",
    "invoicelineid",
    "lineno",
    "linenumber",
    // SAP's item numbers.
    "posnr",
    "buzei",
];
/// A long log's product column, GP column and quantity column.
pub(super) const PRODUCT: &[&str] = &[
    "product",
    "sku",
    "item",
    "productcode",
    "productname",
    "productid",
    "itemcode",
    "itemno",
    "itemnumber",
    "itemname",
    "partnumber",
    "partno",
    "partnum",
    "partcode",
    "partid",
    // Sage's and MYOB's stock items; a catalogue's or a shop's codes.
    "stockcode",
    "stockitem",
    "stockno",
    "skucode",
    "productsku",
    "itemsku",
    "productnumber",
    "productno",
    "materialnumber",
    "materialno",
    "articlenumber",
    "articleno",
    "catalognumber",
    "catalogno",
    // Barcodes: a product's code where nothing else names one.
    "upc",
    "upccode",
    "ean",
    "eancode",
    "ean13",
    "gtin",
    "article",
    "material",
    // SAP's material number.
    "matnr",
    // Odoo's product, Dynamics 365's item.
    "productid",
    "itemid",
    // QuickBooks' `Product/Service`, Xero's `InventoryItemCode`, Shopify's `Lineitem sku`.
    "productservice",
    "productorservice",
    "inventoryitemcode",
    "lineitemsku",
    "lineitemname",
    // Recurly's line items; Acumatica's inventory item.
    "plancode",
    "inventoryid",
    "inventorycd",
    // Stripe's invoice line: its price's product (`price.product`, once `plan.product`).
    "priceproduct",
    "planproduct",
    // Japanese exports' product codes, then names.
    "商品コード",
    "品番",
    "品目コード",
    "商品名",
];
pub(super) const GROSS_PROFIT: &[&str] = &[
    "gp",
    "grossprofit",
    "profit",
    "margin",
    "grossmargin",
    "gpamount",
    "gpusd",
    // Business Central's `Profit (LCY)`, in the local currency.
    "profitlcy",
    "profitamount",
    "grossprofitamount",
    // A JSON export's nested margin (`margin.amount`).
    "marginamount",
    "grossmarginamount",
    // A line's own beside an invoice's (`Invoice GP` repeated on each of its lines).
    "linegp",
    "lineprofit",
    "linemargin",
    "linegrossprofit",
    // NetSuite's transaction lines.
    "estgrossprofit",
    "estimatedgrossprofit",
    "estgp",
    // Japanese exports' gross profit (粗利).
    "粗利",
    "粗利益",
    "粗利額",
    "粗利金額",
];
pub(super) const QUANTITY: &[&str] = &[
    "qty",
    "quantity",
    "units",
    "unitssold",
    "qtysold",
    "lineitemquantity",
    // Magento's order items; an ERP's value entries.
    "qtyordered",
    "invoicedquantity",
    "qtyinvoiced",
    "itemquantity",
    // SAP's billed quantity.
    "fkimg",
    // Japanese exports.
    "数量",
];
/// A line's value when the log has no GP column: revenue stands in for it.
pub(super) const REVENUE: &[&str] = &[
    "revenue",
    "netrevenue",
    "sales",
    "netsales",
    "salesamount",
    "amount",
    "netamount",
    // Xero's reports: a line's `Net` beside its `Gross`.
    "net",
    // Recurly's line items, written in cents (read so: `amounts_in_cents`).
    "subtotalincents",
    "amountincents",
    "lineamount",
    // A line's before tax, beside its total with it (FreshBooks' `Item Subtotal`, Vend's
    // `Subtotal`; an order's subtotal on each of its lines is passed over as the order's).
    "itemsubtotal",
    "linesubtotal",
    "subtotal",
    "linetotal",
    // Zoho Books' `Item Total`, Magento's `row_total`: a line's, beside its order's `Total`.
    "itemtotal",
    "lineitemtotal",
    "rowtotal",
    // Salesforce's opportunity products: `Total Price` beside the unit `Sales Price`.
    "totalprice",
    // Business Central's value entries.
    "salesamountactual",
    "extendedprice",
    "extprice",
    "total",
    "value",
    // SAP's net value.
    "netwr",
    // Odoo's line net amount.
    "pricesubtotal",
    // Japanese exports' sales amount.
    "売上金額",
    "売上高",
    "金額",
];
/// A price per unit: a line's value once multiplied by its quantity, when the log has no line
/// value at all (Xero's invoice export: `UnitAmount` and `Quantity`, and a `Total` that is the
/// invoice's).
pub(super) const UNIT_PRICE: &[&str] = &[
    "unitamount",
    "unitprice",
    "price",
    "salesprice",
    "unitsalesprice",
    "priceunit",
    "rate",
    "lineitemprice",
    // Chargebee's invoice line items.
    "lineitemunitamount",
    // eBay's orders report; Recurly's, in cents.
    "soldfor",
    "unitamountincents",
    // WooCommerce's order export: `Item Cost` is what the buyer paid a unit, its only line
    // value (a unit cost of one's own is no line's value either way: it is taken only when
    // the log has no other).
    "itemcost",
    "itemprice",
    // Japanese exports.
    "単価",
];
/// A line's cost, subtracted from revenue when the log has no GP column. Line totals only: a
/// unit cost (`Unit Cost`, `Standard Cost`) would need the quantity, and is not taken.
pub(super) const COST: &[&str] = &[
    "cost",
    "totalcost",
    "linecost",
    "extcost",
    "extendedcost",
    "costamount",
    "costofsales",
    "costofgoodssold",
    "cogs",
    "costlcy",
    "costamountactual",
    // SAP's cost (VBRP).
    "wavwr",
    // Japanese exports' cost.
    "原価金額",
    "原価",
];
/// Suffixes that make `X<suffix>` the quantity of `X` (tried on the GP column with any GP
/// suffix removed).
pub(super) const QTY_SUFFIXES: &[&str] = &[
    "_Qty",
    " Qty",
    "_qty",
    " qty",
    "_QTY",
    " QTY",
    "_Quantity",
    " Quantity",
    "_quantity",
];
pub(crate) const GP_SUFFIXES: &[&str] = &["_GP", " GP", "_gp", " gp"];

/// `X_Qty`, `X Quantity`: a quantity column, never a product's GP.
pub(super) fn is_qty_name(h: &str) -> bool {
    let n = norm(h);
    n.len() > 3 && (n.ends_with("qty") || n.ends_with("quantity"))
}

pub(super) fn by_name(
    header: &[String],
    aliases: &[String],
    names: &[&str],
    taken: &[usize],
) -> Option<usize> {
    by_name_where(header, aliases, names, taken, |h| !is_share_name(h))
}

/// [`by_name`], a header by one of `names` only when `ok` (a share's name is none but a
/// percentage's).
fn by_name_where(
    header: &[String],
    aliases: &[String],
    names: &[&str],
    taken: &[usize],
    ok: impl Fn(&str) -> bool,
) -> Option<usize> {
    let free = |i: &usize| !taken.contains(i);
    let by = |key: &dyn Fn(&str) -> Option<String>| {
        names.iter().find_map(|n| {
            header
                .iter()
                .enumerate()
                .find(|(i, h)| key(h).as_deref() == Some(*n) && free(i) && ok(h))
                .map(|(i, _)| i)
        })
    };
    aliases
        .iter()
        .find_map(|a| header.iter().position(|h| h == a).filter(free))
        .or_else(|| by(&|h| Some(norm(h))))
        .or_else(|| by(&|h| field_part(h).map(norm)))
}

/// A header's field after the object or table it is of: Zuora's `Account: Account Number`,
/// Odoo's `Invoice lines/Quantity`, a JSON order's `customer.id`; `None` when it is all one
/// name. (Not after `_`: `Paper_Qty` is a wide log's product quantity, no field `Qty`.)
pub(super) fn field_part(h: &str) -> Option<&str> {
    let h = h.trim();
    let at = h.rfind([':', '.', '/'])?;
    // A parent's or a ship-to's account is not the account that bought (Zuora's `Parent
    // Account: Account Number` before `Account: Account Number` merged 396 customers into 10).
    let object = norm(&h[..at]);
    if ["parent", "ultimate", "shipto", "deliverto"]
        .iter()
        .any(|w| object.contains(w))
    {
        return None;
    }
    let cut = h[at + 1..].trim();
    (!cut.is_empty()).then_some(cut)
}

/// A long log's product column by name: the first so named that is filled on (nearly) every
/// sampled row, else the first. Square's `SKU` and Shopify's `Lineitem sku` are blank for items
/// sold without one, where `Item` and `Lineitem name` are not: keyed by the SKU, every such line
/// would be dropped as `blank_product` (half a trial's sales). A column the user `named` stays.
fn product_by_name(
    header: &[String],
    rows: &[Vec<String>],
    aliases: &Aliases,
    taken: &[usize],
    named: bool,
) -> Option<usize> {
    let first = by_name(header, &aliases.product, PRODUCT, taken)?;
    if named {
        return Some(first);
    }
    let blank = |i: usize| blank_share(rows, i, |v| v.trim().is_empty());
    let mut tried = taken.to_vec();
    let mut next = Some(first);
    while let Some(i) = next {
        if blank(i) <= 0.01 {
            return Some(i);
        }
        tried.push(i);
        next = by_name(header, &aliases.product, PRODUCT, &tried);
    }
    Some(first)
}

/// Share of the first 5,000 rows whose cell of column `i` is missing or `blank`.
pub(super) fn blank_share(rows: &[Vec<String>], i: usize, blank: impl Fn(&str) -> bool) -> f64 {
    let sample = &rows[..rows.len().min(5_000)];
    let n = sample
        .iter()
        .filter(|r| r.get(i).is_none_or(|v| blank(v)))
        .count();
    n as f64 / sample.len().max(1) as f64
}

/// Share of the non-empty values of column `i` (in the first 5,000 rows) that `ok` accepts,
/// and how many there were.
pub(super) fn share(rows: &[Vec<String>], i: usize, ok: impl Fn(&str) -> bool) -> (f64, usize) {
    let vals: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.get(i).map(|s| s.trim()))
        .filter(|s| !s.is_empty())
        .take(5_000)
        .collect();
    if vals.is_empty() {
        return (0.0, 0);
    }
    let good = vals.iter().filter(|v| ok(v)).count();
    (good as f64 / vals.len() as f64, vals.len())
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

/// A long log's columns: its product, its line value, its quantity, and whether the value is
/// a price per unit (see [`long_columns`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Long {
    pub product: usize,
    pub value: usize,
    pub quantity: Option<usize>,
    pub per_unit: bool,
    /// With a price per unit: each line's discount in percent.
    pub discount: Option<usize>,
    /// Each line's discount as an amount, off its value.
    pub discount_amount: Option<usize>,
    /// Each line's quantity refunded, beside its quantity.
    pub refunded_quantity: Option<usize>,
    /// The line a line is part of (its parent holds its value).
    pub parent_line: Option<usize>,
}

/// A long log's columns: a product column by name (else `division`), and a GP column by name whose values are
/// numbers (90% of the sample), else a revenue column (see [`Profile::value_is_revenue`]) that
/// is a line's and not its invoice's, else a price per unit beside a quantity column; the
/// quantity column, if any, by name.
pub(super) fn long_columns(
    header: &[String],
    rows: &[Vec<String>],
    aliases: &Aliases,
    taken: &[usize],
    division: Option<usize>,
    decimal_comma: bool,
    product_named: bool,
) -> Option<Long> {
    let numeric = |i: &usize| {
        let (s, n) = share(rows, *i, |v| parse::currency(v, decimal_comma).is_some());
        n > 0 && s >= 0.9
    };
    // A count may carry its unit (Tally's `4 Nos`), which the ETL reads past.
    let counts = |i: &usize| {
        let (s, n) = share(rows, *i, |v| parse::quantity(v, decimal_comma).is_some());
        n > 0 && s >= 0.9
    };
    // A discount in percent on every line that has one.
    let percent = |i: &usize| {
        let (s, n) = share(rows, *i, |v| parse::percent(v, decimal_comma).is_some());
        n == 0 || s >= 0.9
    };
    // Named as the division's own column (the holdout of a log read so): each division is
    // its product.
    let named_division =
        division.filter(|&d| product_named && aliases.product.first() == Some(&header[d]));
    let product = named_division
        .or_else(|| product_by_name(header, rows, aliases, taken, product_named))
        .or_else(|| item_no(header, rows, taken))
        // A log that names no product finer than its division (a summary by customer and
        // product line): each line's product is its division.
        .or(division)?;
    let mut taken = taken.to_vec();
    taken.push(product);
    // The user's own header first; the ETL's default aliases (`GP`) rank with the other names,
    // so that `GP USD` beside `GP` is found.
    let defaults = Aliases::default().gross_profit;
    let users: Vec<String> = aliases
        .gross_profit
        .iter()
        .filter(|a| !defaults.contains(a))
        .cloned()
        .collect();
    // The invoice column is taken by now: looked for among all but the product; else the
    // column most often the same as on the row above (Shopify's order number, `Name`).
    let invoice = by_name(header, &aliases.invoice_id, INVOICE_ID, &[product])
        .or_else(|| repeating(rows, header.len(), &taken));
    let mut not_lines = taken.clone();
    let revenue = loop {
        match value_column(header, &[], REVENUE, &not_lines, &numeric) {
            // Xero's `Total` is its invoice's, on each of the invoice's lines: no line's value.
            Some(r) if invoice.is_some_and(|inv| inv != r && per_invoice(rows, r, inv)) => {
                not_lines.push(r)
            }
            other => break other,
        }
    };
    let gp = value_column(header, &users, GROSS_PROFIT, &taken, &numeric).or(revenue);
    let qty = |taken: &[usize]| by_name(header, &aliases.quantity, QUANTITY, taken).filter(counts);
    if let Some(gp) = gp {
        taken.push(gp);
        let quantity = qty(&taken);
        taken.extend(quantity);
        // A discount amount beside a line total written before it (Magento's `row_total`, which
        // is its price times its quantity): told by a unit price beside them.
        let gross = quantity.and_then(|q| {
            let price = value_column(header, &[], UNIT_PRICE, &taken, &numeric)?;
            Some((price, q))
        });
        let discount_amount = gross.and_then(|(price, q)| {
            let d = by_name(header, &aliases.discount_amount, DISCOUNT_AMOUNT, &taken)
                .filter(&numeric)?;
            (!per_order(rows, d, invoice)
                && before_discount(rows, [gp, price, q, d], decimal_comma, false))
            .then_some(d)
        });
        // A percentage likewise (FreshBooks' `Item Subtotal` beside `Discount Percentage`),
        // named as a share (`Discount %`, `Discount Percentage`): a bare `Discount` beside a line
        // total may be an amount, and 10.00 off a 200.00 line is no 10%.
        let discount = gross
            .filter(|_| discount_amount.is_none())
            .and_then(|(price, q)| {
                let d = percent_column(header, &aliases.discount, &taken)
                    .filter(percent)
                    .filter(|&d| is_share_name(&header[d]))?;
                before_discount(rows, [gp, price, q, d], decimal_comma, true).then_some(d)
            });
        taken.extend(discount_amount.or(discount));
        return Some(Long {
            product,
            value: gp,
            quantity,
            per_unit: false,
            discount,
            discount_amount,
            refunded_quantity: refunded_quantity(header, rows, aliases, &taken, quantity, &numeric),
            parent_line: parent_line(header, rows, aliases, &taken),
        });
    }
    let quantity = qty(&taken)?;
    taken.push(quantity);
    let price = value_column(header, &[], UNIT_PRICE, &taken, &numeric)?;
    taken.push(price);
    // A discount off the price: a percentage on every line that has one (Xero's `Discount`).
    let discount = percent_column(header, &aliases.discount, &taken).filter(percent);
    taken.extend(discount);
    // A line's discount as an amount, off price times quantity (Shopify's `Lineitem discount`;
    // its `Discount Amount` is the order's, not taken).
    let discount_amount = by_name(
        header,
        &aliases.discount_amount,
        LINE_DISCOUNT_AMOUNT,
        &taken,
    )
    .filter(&numeric)
    .filter(|&d| !per_order(rows, d, invoice));
    taken.extend(discount_amount);
    Some(Long {
        product,
        value: price,
        quantity: Some(quantity),
        per_unit: true,
        discount,
        discount_amount,
        refunded_quantity: refunded_quantity(
            header,
            rows,
            aliases,
            &taken,
            Some(quantity),
            &numeric,
        ),
        parent_line: parent_line(header, rows, aliases, &taken),
    })
}

/// A line's quantity refunded (Magento's `qty_refunded`), by name: numbers, beside a quantity
/// column, and no larger than the line's quantity on 99 lines in 100 (a column of the order's
/// refunds on each line would take more off than the line has).
fn refunded_quantity(
    header: &[String],
    rows: &[Vec<String>],
    aliases: &Aliases,
    taken: &[usize],
    quantity: Option<usize>,
    numeric: &impl Fn(&usize) -> bool,
) -> Option<usize> {
    let q = quantity?;
    let r =
        by_name(header, &aliases.refunded_quantity, REFUNDED_QUANTITY, taken).filter(numeric)?;
    let num = |row: &Vec<String>, i: usize| row.get(i).and_then(|v| parse::currency(v, false));
    let (mut within, mut n) = (0usize, 0usize);
    for row in rows {
        if let (Some(qty), Some(refunded)) = (num(row, q), num(row, r)) {
            n += 1;
            within += usize::from(refunded.abs() <= qty.abs());
        }
    }
    (n > 0 && within * 100 >= n * 99).then_some(r)
}

/// A line's refunded quantity, by letters and digits.
const REFUNDED_QUANTITY: &[&str] = &[
    "qtyrefunded",
    "quantityrefunded",
    "refundedqty",
    "refundedquantity",
    "itemqtyrefunded",
    "itemrefundedqty",
];

/// The line a line is part of (Magento's `parent_item_id`), by name: blank or `0` on half the
/// lines at least, since its lines are dropped (a column set on every line would drop the log).
fn parent_line(
    header: &[String],
    rows: &[Vec<String>],
    aliases: &Aliases,
    taken: &[usize],
) -> Option<usize> {
    let p = by_name(header, &aliases.parent_line, PARENT_LINE, taken)?;
    let blank = blank_share(rows, p, |v| matches!(v.trim(), "" | "0"));
    (!rows.is_empty() && blank >= 0.5).then_some(p)
}

/// A parent line's id, by letters and digits (not Magento's invoice items' `parent_id`, which is
/// their invoice's).
const PARENT_LINE: &[&str] = &[
    "parentitemid",
    "parentitem",
    "parentlineid",
    "parentline",
    "parentorderitemid",
];

/// The discount percentage column by name: a share's name (`Discount %`, `Discount
/// Percentage`) is what it should have, so the share-name rule of [`by_name`] is not applied.
fn percent_column(header: &[String], aliases: &[String], taken: &[usize]) -> Option<usize> {
    by_name_where(header, aliases, DISCOUNT, taken, |_| true)
}

/// A line's own discount as an amount: the first of [`DISCOUNT_AMOUNT`].
const LINE_DISCOUNT_AMOUNT: &[&str] = DISCOUNT_AMOUNT.split_at(5).0;

/// A discount as an amount: a line's own (the first five), else one whose name says no more
/// (Magento's `discount_amount`), taken only where the data show it is the line's.
const DISCOUNT_AMOUNT: &[&str] = &[
    "lineitemdiscount",
    "linediscountamount",
    "itemdiscount",
    "itemdiscountamount",
    // Chargebee's invoice line items.
    "lineitemdiscountamount",
    "discountamount",
    "basediscountamount",
    "discountamt",
    // Recurly's, in cents as its amounts are.
    "discountincents",
];

/// Whether column `c` is the order's, not its lines': the same non-zero value on every line
/// of nine in ten orders of several lines that have one (an order's discount on each line).
fn per_order(rows: &[Vec<String>], c: usize, invoice: Option<usize>) -> bool {
    let zero = |v: &str| v.is_empty() || parse::currency(v, false) == Some(0.0);
    invoice.is_some_and(|inv| repeated_per_invoice(rows, c, inv, |v| !zero(v)))
}

/// Whether a line total (`cols[0]`) is written before its discount (`cols[3]`, an amount, or a
/// `percent`): on the lines with a discount, nine in ten (five at least) have it equal to the
/// unit price (`cols[1]`) times the quantity (`cols[2]`), not to that less the discount
/// (Zoho's `Item Total` is after it).
fn before_discount(
    rows: &[Vec<String>],
    cols: [usize; 4],
    decimal_comma: bool,
    percent: bool,
) -> bool {
    let (mut gross, mut net) = (0usize, 0usize);
    for r in rows.iter().take(5_000) {
        let n = |i: usize| r.get(i).and_then(|v| parse::currency(v, decimal_comma));
        let d = if percent {
            r.get(cols[3])
                .and_then(|v| parse::percent(v, decimal_comma))
        } else {
            n(cols[3])
        };
        let (Some(v), Some(p), Some(q), Some(d)) = (n(cols[0]), n(cols[1]), n(cols[2]), d) else {
            continue;
        };
        if d == 0.0 {
            continue;
        }
        let whole = p * q;
        let off = if percent {
            whole.abs() * d / 100.0
        } else {
            d.abs()
        };
        if (v - whole).abs() < 0.011 {
            gross += 1;
        } else if (v.abs() - (whole.abs() - off)).abs() < 0.011 {
            net += 1;
        }
    }
    gross >= 5 && gross >= 9 * net
}

/// A line's discount in percent, off its price per unit times its quantity (a discount
/// amount, `Line Discount Amount`, is no such column).
pub(super) const DISCOUNT: &[&str] = &[
    "discount",
    "discountpercent",
    "discountpct",
    "discountrate",
    "linediscount",
    "linediscountpercent",
    "linediscountpct",
    // FreshBooks' line.
    "discountpercentage",
    "disc",
    "discpct",
];

/// The column, never blank and of many values each in one run of rows, most often the same as on
/// the row above (on one row in ten at least): an order's number on each of its lines.
fn repeating(rows: &[Vec<String>], width: usize, but: &[usize]) -> Option<usize> {
    let filled = |c: usize| {
        rows.iter()
            .all(|r| r.get(c).is_some_and(|v| !v.trim().is_empty()))
    };
    // Of many values: a constant (a shop's name on every line) is no order's number.
    let many = |c: usize| {
        let values: std::collections::HashSet<&str> = rows
            .iter()
            .filter_map(|r| r.get(c).map(String::as_str))
            .collect();
        values.len() * 10 >= rows.len()
    };
    // An order's number stands on its lines and never again: a customer's email repeats on an
    // order's lines too, and again on the customer's next order (nine in ten values one run).
    // Of those, the finest (the most values): a buyer's email stands on the lines of their
    // orders one after another too, and the order's number splits them.
    let one_run = |c: usize| {
        let mut runs = 0usize;
        let mut values: std::collections::HashSet<&str> = Default::default();
        for (i, r) in rows.iter().enumerate() {
            let v = r.get(c).map_or("", String::as_str);
            if i == 0 || rows[i - 1].get(c).map_or("", String::as_str) != v {
                runs += 1;
            }
            values.insert(v);
        }
        (values.len() * 10 >= runs * 9).then_some(values.len())
    };
    (0..width)
        .filter(|c| !but.contains(c) && filled(*c) && many(*c))
        .filter(|&c| {
            let repeats = rows
                .windows(2)
                .filter(|w| w[0].get(c) == w[1].get(c))
                .count();
            repeats * 10 >= rows.len()
        })
        .filter_map(|c| one_run(c).map(|values| (values, c)))
        .max_by_key(|&(values, c)| (values, std::cmp::Reverse(c)))
        .map(|(_, c)| c)
}

/// Whether column `c` holds one value per invoice (column `invoice`), repeated on each of its
/// lines: in nine in ten of the sample's invoices of two lines or more (five such at least).
fn per_invoice(rows: &[Vec<String>], c: usize, invoice: usize) -> bool {
    repeated_per_invoice(rows, c, invoice, |_| true)
}

/// [`per_invoice`], among the invoices whose first line's value `counts`.
fn repeated_per_invoice(
    rows: &[Vec<String>],
    c: usize,
    invoice: usize,
    counts: impl Fn(&str) -> bool,
) -> bool {
    let mut by: std::collections::HashMap<&str, (usize, &str, bool)> = Default::default();
    for r in rows {
        let (Some(inv), Some(v)) = (r.get(invoice), r.get(c)) else {
            continue;
        };
        let inv = inv.trim();
        if inv.is_empty() {
            continue;
        }
        let e = by.entry(inv).or_insert((0, v.trim(), true));
        e.0 += 1;
        e.2 &= e.1 == v.trim();
    }
    let (many, same) = by
        .values()
        .filter(|e| e.0 >= 2 && counts(e.1))
        .fold((0, 0), |(m, s), e| (m + 1, s + usize::from(e.2)));
    many >= 5 && same * 10 >= many * 9
}

/// The cost column of a long log whose value column is revenue (no GP column): GP is then
/// revenue less it.
pub(super) fn cost_column(
    header: &[String],
    rows: &[Vec<String>],
    aliases: &Aliases,
    taken: &[usize],
    decimal_comma: bool,
) -> Option<usize> {
    by_name(header, &aliases.cost, COST, taken).filter(|i| {
        let (s, n) = share(rows, *i, |v| parse::currency(v, decimal_comma).is_some());
        n > 0 && s >= 0.9
    })
}

/// Business Central's and NAV's sales lines name the item `No.`: taken for the product when
/// nothing else is, and only when its values repeat as products do (a row counter headed `No.`
/// never repeats).
fn item_no(header: &[String], rows: &[Vec<String>], taken: &[usize]) -> Option<usize> {
    let i = header
        .iter()
        .enumerate()
        .position(|(i, h)| norm(h) == "no" && !taken.contains(&i))?;
    let values: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.get(i).map(|v| v.trim()))
        .filter(|v| !v.is_empty())
        .collect();
    let distinct: std::collections::HashSet<&str> = values.iter().copied().collect();
    (values.len() >= 20 && 2 * distinct.len() <= values.len()).then_some(i)
}

/// Why init cannot read a log's products: a product column with no line value (and which
/// columns are prices per unit), or no product columns at all (and the numeric columns it saw).
pub(super) fn no_products(
    path: &Path,
    header: &[String],
    aliases: &Aliases,
    taken: &[usize],
    unplaced: &[Unplaced],
) -> String {
    // A product column but no GP, revenue or line-total column: say what is missing, and that a
    // price per unit is no line's value (named as GP, it loaded prices as profit in a trial).
    if let Some(p) = by_name(header, &aliases.product, PRODUCT, taken) {
        let prices: Vec<String> = header
            .iter()
            .filter(|h| {
                let n = norm(h);
                n.contains("price") || n.contains("unitcost") || n == "rate"
            })
            .map(|h| format!("`{h}`"))
            .collect();
        return format!(
            "`{}`: `{}` names products, but no column is known to hold a line's value: name it with `--column gross_profit=HEADER` (a GP column; init knows `GP`, `Gross Profit`, `Margin`, `Profit`, ..., and, standing in for GP, revenue: `Revenue`, `Sales`, `Net Amount`, `Line Total`, ...){}; or add one to the export (quantity times price is revenue; less cost, GP)",
            path.display(),
            header[p],
            if prices.is_empty() {
                String::new()
            } else {
                format!(
                    ". {} {} a price per unit, not a line's value: named as GP, every figure would be a unit price",
                    prices.join(", "),
                    if prices.len() == 1 { "is" } else { "are" }
                )
            }
        );
    }
    format!(
        "`{}`: no product columns: a product is a GP column `X` with a quantity column beside it (`X_Qty`, `X Qty`, `X_Quantity`; or `X_GP` with `X_Qty`), or, one row per line, a product column (`Product`, `SKU`, `Item`, ...) with a numeric GP column (`GP`, `Gross Profit`, `Margin`, ...){}; name them: one row per line, `--column product=HEADER --column gross_profit=HEADER` (and `--column quantity=HEADER`); a GP column per product, `--sku-map FILE` (columns `gp_column,qty_column,division`)",
        path.display(),
        if unplaced.is_empty() {
            String::new()
        } else {
            format!(
                ". Numeric columns without a Qty sibling: {}",
                unplaced.iter().map(|u| format!("`{}`", u.column)).collect::<Vec<_>>().join(", ")
            )
        }
    )
}

/// The GP columns of `pairs` that are row totals, not products: named so (`Total GP`, `Grand
/// Total`, `Sum of GP`, `All Products`), or equal to the sum of the other pairs' GP on nine in
/// ten of the sampled rows where they hold a value (ten at least).
pub(super) fn total_pairs(
    header: &[String],
    rows: &[Vec<String>],
    pairs: &[(usize, Option<usize>)],
    decimal_comma: bool,
) -> Vec<usize> {
    let named = |h: &str| {
        let n = norm(h);
        ["total", "grandtotal", "sumof", "allproducts", "rowtotal"]
            .iter()
            .any(|p| n.starts_with(p))
    };
    let gps: Vec<usize> = pairs.iter().map(|&(g, _)| g).collect();
    let by_name: Vec<bool> = gps.iter().map(|&g| named(&header[g])).collect();
    // Each sampled row's GP cells, read once, and their sum over the pairs not named totals.
    let cells: Vec<(Vec<f64>, f64)> = rows
        .iter()
        .map(|r| {
            let v: Vec<f64> = gps
                .iter()
                .map(|&g| {
                    r.get(g)
                        .and_then(|v| parse::currency(v.trim(), decimal_comma))
                        .unwrap_or(0.0)
                })
                .collect();
            let sum = v
                .iter()
                .zip(&by_name)
                .filter(|(_, &n)| !n)
                .map(|(x, _)| x)
                .sum();
            (v, sum)
        })
        .collect();
    (0..gps.len())
        .filter(|&k| {
            if by_name[k] {
                return true;
            }
            let (mut held, mut sums) = (0, 0);
            for (v, sum) in &cells {
                let v = v[k];
                if v == 0.0 {
                    continue;
                }
                held += 1;
                sums += usize::from((sum - 2.0 * v).abs() < 0.005 * v.abs().max(1.0));
            }
            held >= 10 && gps.len() > 2 && 10 * sums >= 9 * held
        })
        .map(|k| gps[k])
        .collect()
}

/// A long log's value column among `names` (GP, else revenue): the user's alias first; else,
/// of the numeric headers that are such a name with or without a currency tag, a converted one
/// (`GP USD`) before a bare one (`GP`) before a local one (`GP (Local)`): in a log of several
/// currencies the converted column is the one whose figures add up (a trial's init took the
/// local `GP` beside `GP USD`: thirty times the GP, in yen).
fn value_column(
    header: &[String],
    aliases: &[String],
    names: &[&str],
    taken: &[usize],
    numeric: &dyn Fn(&usize) -> bool,
) -> Option<usize> {
    let free = |i: &usize| !taken.contains(i);
    if let Some(i) = aliases
        .iter()
        .find_map(|a| header.iter().position(|h| h == a).filter(free))
    {
        return Some(i).filter(numeric);
    }
    header
        .iter()
        .enumerate()
        .filter(|(i, h)| free(i) && !is_share_name(h))
        .filter_map(|(i, h)| {
            // By its name without a currency tag, else as written (`gpusd` is a name too).
            let (base, rank) = crate::stages::etl::currency::money_name(h);
            let tagged = names.iter().position(|n| *n == base).map(|k| (rank, k));
            let exact = || names.iter().position(|n| *n == norm(h)).map(|k| (1, k));
            // Last, by its field's name (Odoo's `Invoice lines/Subtotal`).
            let field = || {
                let f = norm(field_part(h)?);
                names.iter().position(|n| *n == f).map(|k| (3, k))
            };
            tagged
                .or_else(exact)
                .or_else(field)
                .map(|(rank, k)| (rank, k, i))
        })
        .filter(|(_, _, i)| numeric(i))
        .min()
        .map(|(_, _, i)| i)
}

/// The column naming the codes of division column `d` (`Division Name` beside `Division` of
/// `10`, `20`): named after it (`... Name`, `... Description`, `... Desc`, `... Text`), with
/// words where the codes are digits, one name to a code.
pub(super) fn division_names(
    header: &[String],
    rows: &[Vec<String>],
    d: usize,
    taken: &[usize],
) -> Option<usize> {
    let (codes, n) = share(rows, d, |v| v.bytes().all(|b| b.is_ascii_digit()));
    if n == 0 || codes < 1.0 {
        return None;
    }
    let base = norm(&header[d]);
    let n = header.iter().enumerate().position(|(i, h)| {
        !taken.contains(&i)
            && ["name", "description", "desc", "text", "label"]
                .iter()
                .any(|s| norm(h) == format!("{base}{s}"))
    })?;
    let (words, _) = share(rows, n, |v| v.bytes().any(|b| b.is_ascii_alphabetic()));
    let mut named: std::collections::HashMap<&str, &str> = Default::default();
    let one_to_one = rows.iter().take(5_000).all(|r| {
        match (r.get(d).map(|s| s.trim()), r.get(n).map(|s| s.trim())) {
            (Some(code), Some(name)) if !code.is_empty() => {
                *named.entry(code).or_insert(name) == name
            }
            _ => true,
        }
    });
    (words >= 0.9 && one_to_one).then_some(n)
}

/// Whether a header names a share, not an amount: `GP %`, `Margin Pct`, `GP Percent`, `Margin
/// Ratio`. Compared as letters and digits, `GP %` would be `GP`; exports write a percent column's
/// values as bare numbers (`0.1769`, `17.69`), so they cannot tell (a trial's init took `GP %`
/// for the GP: a two-thousandth of it, and labels wrong where lines lost money).
pub(super) fn is_share_name(h: &str) -> bool {
    let n = norm(h);
    // A bare `Rate` is a price per unit (QuickBooks', FreshBooks'); `Tax Rate` is a share.
    if n == "rate" {
        return false;
    }
    h.contains('%')
        || ["percent", "percentage", "pct", "ratio", "rate"]
            .iter()
            .any(|w| n.ends_with(w) || n.starts_with(w))
}

/// Whether a header names a GP column, with or without a currency tag (`GP`, `GP USD`).
pub(super) fn is_gp_name(h: &str) -> bool {
    !is_share_name(h)
        && (GROSS_PROFIT.contains(&norm(h).as_str())
            || GROSS_PROFIT.contains(&crate::stages::etl::currency::money_name(h).0.as_str()))
}
