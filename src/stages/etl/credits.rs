//! Credit memos written with positive amounts. Dynamics, NetSuite and many ERPs export a sales
//! ledger's credit memos (returns, price corrections) with the same unsigned amounts as
//! invoices and a document-type column that says which is which. Loaded as written, every
//! credit is a sale: a trial's log gained 10% of GP and 31 wrong labels. With
//! `credit_documents` (which `init` sets when it finds such a column), a row of a credit type
//! has its GP and quantity read as negative; an amount already negative stays so.

use super::contracts::Violations;
use super::marked::key;

/// The column that names a row's document type, and the values that mean a credit.
pub type CreditDocuments = super::marked::MarkedRows;

/// Headers of a document-type column, by letters and digits.
pub const TYPE_COLUMNS: &[&str] = &[
    // Odoo's `account.move`: `out_invoice`, `out_refund`.
    "movetype",
    // SAP's billing type (VBRK), and its name in S/4HANA's Fiori and CDS views.
    "fkart",
    "billingdocumenttype",
    // Tally's voucher type (`Sales`, `Credit Note`), Dynamics GP's SOP type (`Invoice`,
    // `Return`), SAP Business One's transaction type.
    "vouchertype",
    "soptype",
    "transtype",
    "salesdocumenttype",
    "documenttype",
    "doctype",
    "transactiontype",
    "invoicetype",
    "billingtype",
    "salestype",
    "entrytype",
    "recordtype",
    "type",
    // A distributor's `Order Type` (`Standard`, `Drop Ship`, `RMA`).
    "ordertype",
    // German, French, Spanish and Italian ERPs' document types (SAP's German `Fakturaart`).
    "belegart",
    "belegtyp",
    "typ",
    "dokumentart",
    "dokumenttyp",
    "fakturaart",
    "fakturatyp",
    "typedepièce",
    "typedepiece",
    "typedocument",
    "typedoc",
    // Dutch, Portuguese and Spanish, Nordic and Finnish document types.
    "soort",
    "documentsoort",
    "typefactuur",
    "factuurtype",
    "tipo",
    "tipodedocumento",
    "fakturatyp",
    "fakturatype",
    "bilagstype",
    "bilagstyp",
    "dokumenttype",
    "laskutyyppi",
    "typepièce",
    "typepiece",
    "typededocument",
    "tipodocumento",
    "tipodoc",
    // Japanese slip and transaction types (`売上`, `返品`).
    "伝票区分",
    "取引区分",
    "売上区分",
    // Polish, Czech and Brazilian document types (a Czech `Typ` of `Faktura`/`Dobropis`, a
    // Brazilian NF-e's nature of operation: `Venda de mercadoria`, `Devolução de venda`).
    "typdokumentu",
    "rodzajdokumentu",
    "rodzaj",
    "typdokladu",
    "druhdokladu",
    "naturezadaoperação",
    "naturezadaoperacao",
    "operação",
    "operacao",
    "tipodeoperação",
    "tipodeoperacao",
    "naturezaoperação",
    "naturezaoperacao",
    // MYOB's item sales: `Sale Status` (`Invoice`, `Order`, `Quote`).
    "salestatus",
    // Chinese (Kingdee's `红蓝字`: red-letter credits beside blue-letter invoices), Taiwanese,
    // Korean, Russian (1C's `Вид операции`), Turkish, Mexican (the CFDI's `TipoDeComprobante`:
    // `I` income, `E` egreso), Italian (FatturaPA's `TD01`, `TD04`), Vietnamese and
    // Indonesian document types.
    "单据类型",
    "单据类别",
    "发票类型",
    "發票類型",
    "业务类型",
    "红蓝字",
    "红蓝字标志",
    "單據類別",
    "單據類型",
    "거래구분",
    "전표구분",
    "구분",
    "видоперации",
    "виддокумента",
    "типдокумента",
    "операция",
    "faturatipi",
    "faturatürü",
    "faturaturu",
    "belgetipi",
    "belgetürü",
    "belgeturu",
    "tipodecomprobante",
    "tipocomprobante",
    "loạichứngtừ",
    "loaichungtu",
    "jenistransaksi",
    "jenisdokumen",
    // Arabic and Thai document types; a Chilean SII document type (`Tipo DTE`).
    "نوعالمستند",
    "نوعالفاتورة",
    "ประเภทเอกสาร",
    "tipodte",
];

/// SAP's billing type in a value: the code itself, a customer's copy of it (`ZRE` of `RE`,
/// `ZF2` of `F2`), or the code in parentheses after its description (`Cancel. Invoice (S1)`).
fn sap_code(value: &str) -> Option<String> {
    let t = value.trim();
    let code = t
        .strip_suffix(')')
        .and_then(|r| r.rfind('(').map(|i| &r[i + 1..]))
        .unwrap_or(t);
    let n = key(code);
    let n = match n.strip_prefix('z') {
        Some(rest) if n.len() == 3 => rest.to_string(),
        _ => n,
    };
    const CODES: &[&str] = &["f1", "f2", "f5", "f8", "l2", "g2", "re", "ro", "s1", "s2"];
    CODES.contains(&n.as_str()).then_some(n)
}

/// Whether a document type's value means a document of no sale: a quote, an estimate, a pro
/// forma (SAP's F5, F8), a payment's receipt, a delivery note; a sales order only where
/// `beside_invoices` (the column also holds the invoices orders become: Sage Intacct's `Sales
/// Order` rows `Converted` into the `Sales Invoice` beside them; alone, orders are the sales).
pub fn means_no_sale_document(value: &str, beside_invoices: bool) -> bool {
    let value = &folded(value);
    if means_credit(value) {
        return false;
    }
    if let Some(code) = sap_code(value) {
        return matches!(code.as_str(), "f5" | "f8");
    }
    let n = key(value);
    [
        "quot",
        "estimat",
        "proforma",
        "payment",
        "deliverynote",
        "packingslip",
        "angebot",
        "devis",
        "presupuesto",
    ]
    .iter()
    .any(|w| n.contains(w))
        // Tally's `Receipt` is a payment received; QuickBooks' `Sales Receipt` is a cash sale.
        || (n.contains("receipt") && !n.contains("sale"))
        || (beside_invoices && n.contains("order"))
}

/// Words beside which a credit word means no credit document (word starts; `on` whole, as in
/// `Invoice on Credit`).
const NOT_CREDIT: &[&str] = &[
    "card", "term", "limit", "approv", "account", "replace", "revers", "cancel", "void", "redeem",
    "redempt", "gift", "hold", "check",
    // Credits sold: a prepaid pack, a line of credit (a tester's `Credit Pack` sales were read
    // as credit memos, -31% GP).
    "pack", "line", "bundle", "token", "point", "prepaid",
];

/// Whether a document type's value means a credit (`Credit Memo`, `Credit Note`, `CN`,
/// `Return`, `RMA`, `Refund`).
pub fn means_credit(value: &str) -> bool {
    let value = &folded(value);
    if let Some(code) = sap_code(value) {
        return matches!(code.as_str(), "g2" | "re" | "ro" | "s1");
    }
    let n = key(value);
    // A German cancellation (`Storno`, `Stornorechnung`) reverses an invoice written
    // with its positive amounts; a cancelled credit note (`Storno Gutschrift`) is no credit.
    if n.contains("storno") {
        return !(n.contains("gutschrift") || n.contains("credit"));
    }
    // A sale on credit, paid by card, or a credit's reversal or cancellation is no credit:
    // `Credit Card`, `Invoice on Credit Terms`, `Credit Limit Sale`, `RMA Replacement`,
    // `Reversal of Credit Memo`, `Invoice - RET Customer` (a tester's such values were read
    // as credits, a fifth of a log's sales turned negative).
    let lower = value.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words
        .iter()
        .any(|w| *w == "on" || NOT_CREDIT.iter().any(|x| w.starts_with(x)))
    {
        return false;
    }
    // A sale on credit or by credit card (`Venta a crédito`, `Venda cartão de crédito`): a
    // tester's such sales made the credits a third of the rows, and its returns loaded as
    // sales (+5.5% GP).
    if ["venta", "venda", "vente", "verkauf"]
        .iter()
        .any(|w| n.starts_with(w))
        && n.contains("credit")
    {
        return false;
    }
    // A credit code among the value's words (`INV/CR`, `Invoice/Cr Note`, `INV/RET`), not
    // beside a customer (`Invoice - RET Customer`: a returning one).
    let of_customer = words
        .iter()
        .any(|w| w.starts_with("customer") || w.starts_with("client"));
    let credit_word = words.len() > 1
        && !of_customer
        && words
            .iter()
            .any(|w| matches!(*w, "cr" | "crn" | "cn" | "cm" | "ret" | "rtn" | "rma"));
    credit_word
        || n.contains("credit")
        || n.ends_with("refund")
        // Acumatica's `Cash Return`; German, French and Spanish credit notes.
        || n.ends_with("return")
        || n.contains("gutschrift")
        // German invoice corrections, written positive beside the invoices they reduce; a
        // Spanish corrective invoice; Nordic and Finnish credit invoices.
        || n.contains("rechnungskorrektur")
        || n.contains("rectificativa")
        || ["kreditnota", "kreditfaktura", "kreditnote", "kreditrechnung", "hyvitys"]
            .iter()
            .any(|w| n.contains(w))
        || n.starts_with("avoir")
        || n.starts_with("retoure")
        || n.starts_with("abono")
        // A Spanish or Portuguese return (`Devolución`, `Devolução de venda`, read without
        // their accents).
        || n.starts_with("devolucion")
        || n.starts_with("devolucao")
        // Czech and Slovak credit notes; a Polish corrective invoice (`Faktura korygująca`,
        // `Korekta`).
        || n.starts_with("dobropis")
        || n.contains("korygujaca")
        || n.starts_with("korekta")
        // Japanese returns (返品), red slips (赤伝: a reversal), allowances (値引).
        || n.contains("返品")
        || n.contains("赤伝")
        || n.contains("値引")
        // Chinese red-letter documents (红字, 红冲) and returns, Taiwanese returns and
        // allowances; Korean returns and refunds; a Russian return (`Возврат товаров от
        // покупателя`); a Turkish return invoice (`İade Faturası`); a Mexican CFDI's egreso;
        // Vietnamese and Indonesian returns; a Thai credit note (ใบลดหนี้).
        || ["红字", "红冲", "冲红", "退货", "退貨", "销货退回", "銷貨退回", "折让", "折讓"]
            .iter()
            .any(|w| n.contains(w))
        || n == "红"
        || n.contains("반품")
        || n.contains("환불")
        || n.starts_with("возврат")
        // A word of it: not `Olimpiade` or `Triade`, nor `İadesiz` (non-returnable).
        || words
            .iter()
            .any(|w| w.starts_with("iade") && !w.starts_with("iadesiz"))
        || n.starts_with("egreso")
        || n.contains("tralai")
        || n.contains("trahang")
        || n.starts_with("returpenjualan")
        || n == "retur"
        // Arabic sales returns (`مرتجع مبيعات`).
        || n.contains("مرتجع")
        || n.contains(&thai("ลดหนี้"))
        || n.contains(&thai("คืนสินค้า"))
        || matches!(
            n.as_str(),
            "cm" | "cn" | "cr" | "crn" | "return" | "returns" | "returnorder" | "rma" | "refund"
                // Sage's sales credit, beside its sales invoice `SI`.
                | "sc"
                // SAP's billing types of credit memos and returns; S1 cancels an invoice,
                // written with the invoice's positive amounts: read negative, the two net to
                // nothing, as the cancelled sale is.
                | "g2" | "re" | "ro" | "s1"
                // FatturaPA's credit note.
                | "td04"
        )
}

/// Whether a document type's value means an invoice or a sale (`Invoice`, `Sales Invoice`,
/// `INV`, `Order`, `Sale`, `Debit Memo`): what a document-type column holds beside its credits.
pub fn means_invoice(value: &str) -> bool {
    let value = &folded(value);
    if let Some(code) = sap_code(value) {
        return matches!(code.as_str(), "f1" | "f2" | "l2" | "s2");
    }
    // `Rechnungskorrektur`, `Rechnungsstorno`: named for the invoice they reduce.
    if means_credit(value) {
        return false;
    }
    let n = key(value);
    n.contains("invoice")
        || n.contains("order")
        || n.contains("debit")
        // German, French, Spanish, Italian, Dutch, Portuguese, Nordic and Finnish invoices.
        || n.starts_with("rechnung")
        || n.starts_with("factuur")
        || n.starts_with("fatura")
        || n.starts_with("faktura")
        || n.starts_with("lasku")
        || n.starts_with("facture")
        || n.starts_with("factura")
        || n.starts_with("fattura")
        // Portuguese and Spanish sales (a Brazilian NF-e's `Venda de mercadoria`).
        || n.starts_with("venda")
        || n.starts_with("venta")
        // Japanese sales, on account (掛売) or for cash (現売, 現金売上), and deliveries.
        || n.starts_with("売上")
        || n.starts_with("掛売")
        || n.starts_with("現売")
        || n.starts_with("現金売")
        || n.starts_with("納品")
        // Chinese and Taiwanese sales, deliveries and invoices (`销售出库`, `蓝字`), Korean
        // sales and tax invoices, Russian sales (1C's `Реализация`), Turkish sales invoices, a
        // Mexican CFDI's ingreso, Vietnamese, Indonesian and Thai sales and invoices.
        || ["销售", "銷貨", "銷售", "出库", "出庫", "发票", "發票", "蓝字"]
            .iter()
            .any(|w| n.contains(w))
        || n == "蓝"
        || n.starts_with("매출")
        || n.starts_with("판매")
        || n.contains("세금계산서")
        || n.starts_with("реализац")
        || n.starts_with("продаж")
        || n.starts_with("отгрузк")
        || n.starts_with("счетфактур")
        || n.contains("satıs")
        || n.contains("satis")
        || n.starts_with("ingreso")
        || n.contains("banhang")
        || n.contains("xuatban")
        || n.starts_with("hoađon")
        || n.starts_with("hoadon")
        || n.starts_with("penjualan")
        || n.starts_with("faktur")
        || n.starts_with(&thai("ขาย"))
        || n.contains(&thai("ใบกำกับ"))
        // Arabic sales invoices (`فاتورة مبيعات`).
        || n.starts_with("فاتورة")
        || n.contains("مبيعات")
        || matches!(
            n.as_str(),
            "inv" | "in" | "si" | "sale" | "sales" | "bill" | "dm" | "shipment"
                // SAP's standard sales order types, beside its returns (`RE`) and credit
                // requests (`CR`): `OR`, and the German `TA`.
                | "or" | "ta"
                // SAP's billing types of invoices and debit memos; S2 cancels a credit memo.
                | "f1" | "f2" | "l2" | "s2"
                // FatturaPA's invoices (immediate, deferred) and debit notes.
                | "td01" | "td05" | "td24" | "td25"
        )
}

/// Short document codes that name an invoice and a credit only beside each other: a German
/// ERP's `RE` (Rechnung) and `GS`/`GU` (Gutschrift), an Italian `FT` (fattura) and `NC`/`NDC`
/// (nota di credito), a French `FA` (facture) and `AV` (avoir). Alone, `RE` is SAP's return.
/// The third list, when not empty, is the only headers (by [`key`]) the pair is read under: a
/// `Type` of `I`/`E` for import and export, or a `Tipo` of branches 33 and 61, turned a
/// misfire hunter's sales into credits (-41% and -22% GP).
const SHORT_CODES: &[(&[&str], &[&str], &[&str])] = &[
    (&["re"], &["gs", "gu", "gut"], &[]),
    (&["ft", "fat"], &["nc", "ndc"], &[]),
    (&["fa", "fac"], &["av", "avo"], &[]),
    // A Mexican CFDI's `TipoDeComprobante`: `I` (ingreso) and `E` (egreso).
    (
        &["i"],
        &["e"],
        &["tipodecomprobante", "tipocomprobante", "tipodocomprobante"],
    ),
    // Chile's SII document types: electronic invoices (33, 34 exempt, 39 and 41 receipts) and
    // the credit note (61).
    (
        &["33", "34", "39", "41"],
        &["61"],
        &[
            "tipodte",
            "tipodocumento",
            "tipodedocumento",
            "tipodoc",
            "codigosii",
            "códigosii",
        ],
    ),
];

/// Which pair of [`SHORT_CODES`] a document-type column's values (by [`key`]) hold, if any (a
/// tester's `RE`/`GS` log loaded its credit notes as sales, +3% GP).
pub fn short_codes<'a>(
    header: &str,
    keys: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<usize> {
    let header = key(header);
    SHORT_CODES.iter().position(|(invoice, credit, headers)| {
        (headers.is_empty() || headers.contains(&header.as_str()))
            && keys.clone().into_iter().any(|k| invoice.contains(&k))
            && keys.clone().into_iter().any(|k| credit.contains(&k))
    })
}

/// [`means_credit`] of a value of a column of [`short_codes`] `codes`.
pub fn means_credit_in(value: &str, codes: Option<usize>) -> bool {
    let k = key(value);
    match codes.map(|i| SHORT_CODES[i]) {
        Some((invoice, _, _)) if invoice.contains(&k.as_str()) => false,
        Some((_, credit, _)) if credit.contains(&k.as_str()) => true,
        _ => means_credit(value),
    }
}

/// [`means_invoice`] of a value of a column of [`short_codes`] `codes`.
pub fn means_invoice_in(value: &str, codes: Option<usize>) -> bool {
    let k = key(value);
    codes.is_some_and(|i| SHORT_CODES[i].0.contains(&k.as_str())) || means_invoice(value)
}

/// A value's letters without their accents (`Nota de crédito` is `Nota de credito`: a tester's
/// Spanish and French credit notes with the accent loaded as sales, +18%).
fn folded(value: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    // Composed again, so that a Korean syllable is one letter as written, not its jamo.
    value
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .nfc()
        .collect()
}

/// A Thai word as [`key`] of [`folded`] compares it: without its vowel and tone marks.
fn thai(word: &str) -> String {
    key(&folded(word))
}

/// Whether a value means a credit whatever stands beside it: a credit memo or note, a refund,
/// an RMA (a bare `Return` may be a customer's type: `New`, `Return`, `Existing`).
pub fn plainly_credit(value: &str) -> bool {
    let n = key(&folded(value));
    means_credit(value)
        && ([
            "credit",
            "refund",
            "gutschrift",
            "avoir",
            "abono",
            "retoure",
            "storno",
            "kredit",
            "hyvitys",
            "rectificativa",
            "dobropis",
            "korygujaca",
            "devolucaodevenda",
            "devoluciondeventa",
            "返品",
            "赤伝",
            "红字",
            "红冲",
            "冲红",
            "退货",
            "退貨",
            "반품",
            "возврат",
            "iade",
            "egreso",
            "td04",
            // Thai `ลดหนี้` (a credit note) as it compares, without its marks.
            "ลดหน",
            "مرتجع",
        ]
        .iter()
        .any(|w| n.contains(w))
            || n.starts_with("rma"))
}

/// The column index and the credit values of `credits` in `header`; a column the log lacks
/// blocks, since every credit would load as a sale.
pub fn locate(
    credits: Option<&CreditDocuments>,
    header: &[String],
    vio: &mut Violations,
) -> Option<(usize, Vec<String>)> {
    super::marked::locate(
        credits,
        header,
        vio,
        "credit_documents",
        "its credit rows would load as sales",
    )
}

pub use super::marked::is_marked as is_credit;

/// Reads every row of the parts named in `credit_parts` (a folder's `returns.csv`) as a credit:
/// its GP and quantity negative (one already negative stays so).
pub fn in_credit_parts(rows: &mut [super::ingest::Row], files: &[String], credit_parts: &[String]) {
    if credit_parts.is_empty() {
        return;
    }
    let credit: Vec<bool> = files
        .iter()
        .map(|f| credit_parts.iter().any(|c| c == f))
        .collect();
    for r in rows
        .iter_mut()
        .filter(|r| credit.get(r.part as usize) == Some(&true))
    {
        for l in &mut r.lines {
            l.gross_profit = -l.gross_profit.abs();
            l.quantity = -l.quantity.abs();
        }
    }
}

/// A file of a log's folder whose name says it holds returns or credits (`returns.csv`,
/// `credit_notes_2023.csv`, `Gutschriften.xlsx`), in any of the languages init reads.
pub fn names_credits(file: &str) -> bool {
    const WORDS: &[&str] = &[
        "return",
        "returns",
        "returned",
        "credit",
        "credits",
        "creditnote",
        "creditnotes",
        "creditmemo",
        "creditmemos",
        "refund",
        "refunds",
        "rma",
        "gutschrift",
        "gutschriften",
        "retoure",
        "retouren",
        "avoir",
        "avoirs",
        "devolucion",
        "devoluciones",
        "reso",
        "resi",
    ];
    let name = file.rsplit('/').next().unwrap_or(file);
    // Business Central's `Sales Cr.Memo Line.csv`: the dot is inside the name.
    let stem = name
        .rsplit_once('.')
        .map_or(name, |(stem, ext)| if ext.len() <= 4 { stem } else { name });
    let joined = super::parts::column_key(stem);
    let words: Vec<String> = stem
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .collect();
    // `credit` alone also names sales paid or sold on credit (`credit_card_sales.csv`,
    // `Credit Sales 2023.csv`): read as credits, a folder's card sales were all negated.
    let card = words.iter().any(|w| w == "card" || w == "cards");
    let on_credit = |w: &String| {
        let at = words.iter().position(|x| std::ptr::eq(x, w));
        let next = at.and_then(|i| words.get(i + 1)).map(String::as_str);
        (w == "credit" || w == "credits") && (card || matches!(next, Some("sale" | "sales")))
    };
    words
        .iter()
        .any(|w| WORDS.contains(&w.as_str()) && !on_credit(w))
        || ["crmemo", "creditmemo", "creditnote"]
            .iter()
            .any(|w| joined.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_types_are_known_in_the_ways_erps_write_them() {
        for v in [
            "Credit Memo",
            "CREDIT NOTE",
            "Sales Credit Memo",
            "CN",
            "Return",
            "RMA",
            // A tester's codes that loaded as sales (+17% GP): Sage's sales credit, and a
            // credit code among the value's words.
            "SC",
            "CR",
            "INV/CR",
            "Invoice/Cr Note",
            "INV/RET",
            "Customer Credit Note",
        ] {
            assert!(means_credit(v), "{v}");
        }
        // Sales on credit or by card, a credit's reversal or cancellation (a tester's).
        for v in [
            "Cr Card",
            "Sale Cr. Card",
            "RMA Replacement",
            "Invoice - RET Customer",
            "Credit Card",
            "Invoice - Credit Card",
            "Invoice on Credit",
            "Credit Account Sale",
            "Credit Approved",
            "Credit Limit Sale",
            "Invoice/Credit Terms",
            "Store Credit Redemption",
            "Gift Card Credit",
            "Credit Pack",
            "Credit Line",
            "Prepaid Credits",
            "Reversal of Credit Memo",
            "Cancelled Credit Note",
        ] {
            assert!(!means_credit(v), "{v}");
        }
        for v in [
            "Invoice",
            "Order",
            "Shipment",
            "Debit Memo",
            "",
            "SI",
            "INV",
            "Retail Sale",
            "Crate",
        ] {
            assert!(!means_credit(v), "{v}");
        }
        assert!(means_invoice("SI"));
        let values = vec![key("Credit Memo")];
        assert!(is_credit(" credit memo ", &values));
        assert!(!is_credit("Invoice", &values));
    }

    #[test]
    fn czech_polish_brazilian_and_japanese_credits_beside_their_invoices() {
        // A tester's logs whose credits loaded as sales (+1.3% to +2.4% GP, exit 0).
        for (invoice, credit) in [
            ("Faktura", "Dobropis"),
            ("Faktura VAT", "Faktura korygująca"),
            ("Faktura", "Korekta"),
            ("Venda de mercadoria", "Devolução de venda"),
            ("掛売", "返品"),
            ("現売", "返品"),
            ("現金売上", "赤伝"),
        ] {
            assert!(
                means_invoice(invoice) && !means_credit(invoice),
                "{invoice}"
            );
            assert!(means_credit(credit) && !means_invoice(credit), "{credit}");
            // A bare correction may raise an invoice too: a credit only beside invoices.
            assert_eq!(plainly_credit(credit), credit != "Korekta", "{credit}");
        }
        assert!(!plainly_credit("Devolução"));
        for sale in [
            "Venta a crédito",
            "Venda cartão de crédito",
            "Venta al contado",
        ] {
            assert!(!means_credit(sale) && means_invoice(sale), "{sale}");
        }
    }

    #[test]
    fn german_cancellations_corrections_and_short_codes() {
        for v in [
            "Storno",
            "Stornorechnung",
            "Rechnungsstorno",
            "Rechnungskorrektur",
        ] {
            assert!(means_credit(v) && !means_invoice(v), "{v}");
        }
        // SAP's stock transport order is no cancellation.
        for v in ["Storno Gutschrift", "Gutschriftsstorno", "STO"] {
            assert!(!means_credit(v), "{v}");
        }
        for v in [
            "Nota de crédito",
            "Note de crédit",
            "Nota di credito",
            "Creditnota",
            "Kreditfaktura",
            "Kreditnota",
            "Hyvityslasku",
            "Factura rectificativa",
        ] {
            assert!(means_credit(v) && plainly_credit(v), "{v}");
        }
        // A return, as `Return` is: a credit beside invoices, not plainly one alone.
        assert!(means_credit("Devolución") && !plainly_credit("Devolución"));
        // `RE` is SAP's returns billing type, but a German ERP's invoice beside `GS`.
        let de = short_codes("Belegart", ["re", "gs"]);
        assert!(de.is_some() && short_codes("Belegart", ["re", "f2"]).is_none());
        assert!(means_credit_in("GS", de) && !means_credit_in("RE", de));
        assert!(means_invoice_in("RE", de) && !means_invoice_in("RE", None));
        assert!(means_credit_in("RE", None) && !means_credit_in("GS", None));
        // Italian and French short codes, each only beside its invoice's.
        let it = short_codes("Tipo", ["ft", "nc"]);
        assert!(means_credit_in("NC", it) && means_invoice_in("FT", it));
        let fr = short_codes("Type", ["fa", "av"]);
        assert!(means_credit_in("AV", fr) && means_invoice_in("FA", fr));
        assert!(!means_credit_in("AV", None));
        for v in ["RMA", "Credit Memo", "Gutschrift", "Refund"] {
            assert!(plainly_credit(v), "{v}");
        }
        for v in ["Return", "CR", "Standard", "Normal"] {
            assert!(!plainly_credit(v), "{v}");
        }
    }

    #[test]
    fn credit_and_sale_documents_of_asia_russia_turkey_the_gulf_and_latin_america() {
        // (a sale, its credit) as each system writes them.
        for (sale, credit) in [
            ("标准销售出库单", "销售退货单"),
            ("蓝字", "红字"),
            ("매출", "반품"),
            (
                "Реализация товаров и услуг",
                "Возврат товаров от покупателя",
            ),
            ("Toptan Satış Faturası", "Satış İade Faturası"),
            ("TD01", "TD04"),
            ("فاتورة مبيعات", "مرتجع مبيعات"),
            ("ใบกำกับภาษี", "ใบลดหนี้"),
            ("Bán hàng", "Hàng bán trả lại"),
            ("Ingreso", "Egreso"),
        ] {
            assert!(means_invoice(sale) && !means_credit(sale), "{sale}");
            assert!(means_credit(credit) && !means_invoice(credit), "{credit}");
        }
        for credit in [
            "销售退货单",
            "반품",
            "Возврат товаров от покупателя",
            "ใบลดหนี้",
        ] {
            assert!(plainly_credit(credit), "{credit}");
        }
        // Codes that mean a credit only beside their invoice's: the CFDI's `E` beside `I`,
        // Chile's SII 61 beside 33.
        let mx = short_codes("TipoDeComprobante", ["i", "e"]);
        assert!(means_credit_in("E", mx) && means_invoice_in("I", mx));
        assert!(!means_credit_in("E", None) && !means_credit_in("61", None));
        let cl = short_codes("Tipo DTE", ["33", "61"]);
        assert!(means_credit_in("61", cl) && means_invoice_in("33", cl));
        // Under another header the same codes are import and export, or branches.
        assert!(short_codes("Type", ["i", "e"]).is_none());
        assert!(short_codes("Tipo", ["33", "61"]).is_none());
        // A Turkish word that holds `iade` only by its letters is no return; the Thai and
        // Turkish headers compare with their marks and dots as a header's key keeps them.
        for v in ["Promo Olimpiade", "Triade Invoice", "İadesiz Satış"] {
            assert!(!means_credit(v), "{v}");
        }
        assert!(means_credit("İADE FATURASI") && means_invoice("Xuất bán"));
        assert_eq!(key("Fatura Türü"), "faturatürü");
        assert_eq!(key("İADE"), "iade");
        assert!(TYPE_COLUMNS.contains(&key("ประเภทเอกสาร").as_str()));
    }

    #[test]
    fn sap_billing_types_by_code_copy_or_description() {
        for v in [
            "G2",
            "RE",
            "ZRE",
            "S1",
            "Cancel. Invoice (S1)",
            "Credit Memo (G2)",
        ] {
            assert!(means_credit(v), "{v}");
        }
        for v in ["F2", "ZF2", "S2", "Invoice (F2)", "L2"] {
            assert!(means_invoice(v) && !means_credit(v), "{v}");
        }
        assert!(means_no_sale_document("F8", false));
        assert!(means_no_sale_document("Pro Forma Invoice (F5)", false));
    }

    #[test]
    fn documents_of_no_sale_and_orders_only_beside_invoices() {
        for v in [
            "Quote",
            "Quotation",
            "Estimate",
            "Receipt",
            "Payment",
            "Delivery Note",
        ] {
            assert!(means_no_sale_document(v, false), "{v}");
        }
        // QuickBooks' cash sale, a credit, an invoice: documents of sales.
        for v in [
            "Sales Receipt",
            "Credit Memo",
            "Return Order",
            "Invoice",
            "Sales",
        ] {
            assert!(!means_no_sale_document(v, true), "{v}");
        }
        // An order is the sale in a log of orders, and none beside the invoice it became.
        assert!(!means_no_sale_document("Sales Order", false));
        assert!(means_no_sale_document("Sales Order", true));
    }
}
