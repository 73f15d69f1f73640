"""Every export trial: write each system's export (and its truth) with its generator, onboard it
with `gosales init` and `run` alone (plus the `--column` the export needs), and compare the
star's fact lines with the truth: lines, value to the cent, customers. One line per case.

Run by bench/exports.sh, which sets GOSALES_BIN and EXPORTS_DIR.
"""
import os, subprocess, sys
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
G = os.environ["GOSALES_BIN"]
ROOT = os.environ["EXPORTS_DIR"]

# name, generator (and its arguments), folder, log, holdout, init's extra arguments, the truth's
# column naming customers as the star does (None: it names them otherwise).
CASES = [
    ("Excel PivotTable (CSV)", ["gen_pivot.py"], "s6_pivot", "pivot_tabular_2022-2024.csv", "pivot_tabular_2025H1.csv", [], "cust"),
    ("Excel PivotTable (.xlsx)", [], "s6_pivot", "pivot_tabular_2022-2024.xlsx", "pivot_tabular_2025H1.xlsx", [], "cust"),
    ("Square, some items without a SKU", ["gen_square.py", "mk_square_halfsku.py"], "s2_square", "halfsku_items-2022-01-01-2024-12-31.csv", "halfsku_items-2025-01-01-2025-06-30.csv", [], "cust"),
    ("Shopify orders", ["gen_shopify.py"], "s10_shopify", "orders_export_2022-2024.csv", "orders_export_2025H1.csv", [], "cust"),
    ("Sage 50 sales journal", ["gen_sage50.py"], "s4_sage", "SALES_JOURNAL_2022_2024.CSV", "SALES_JOURNAL_2025.CSV", [], "cust"),
    ("NetSuite transaction lines", ["gen_netsuite.py"], "s9_netsuite", "TransactionSalesDetail2022-2024.csv", "TransactionSalesDetail2025H1.csv", ["--column", "customer_id=Name", "--column", "division=Class"], "cust"),
    ("Salesforce opportunities", ["gen_sfdc.py"], "s7_sfdc", "report1672862533142.csv", "report1746093001234.csv", [], "cust"),
    ("Google Sheets log with a title", ["gen_sheets.py"], "s11_sheets", "Sales Log 2022-2024 - Sheet1.csv", "Sales Log 2025H1 - Sheet1.csv", [], "cust"),
    ("WooCommerce order items", ["gen_woo.py"], "s1_woo", "orders-2022-2024.csv", "orders-2025-H1.csv", [], "cust"),
    ("Magento order items", ["gen_magento.py"], "s5_magento", "order_items_2022_2024.csv", "order_items_2025H1.csv", [], "cust"),
    ("Zoho Books invoices", ["gen_zoho.py"], "s3_zoho", "Invoice.csv", "Invoice_2025H1.csv", [], "cust"),
    ("Stripe line items (CSV)", ["gen_stripe.py"], "s8_stripe", "sigma_invoice_line_items_2022-2024.csv", "sigma_invoice_line_items_2025H1.csv", [], "cust"),
    ("Stripe invoices (JSON)", [], "s8_stripe", "invoices_2022-2024.json", "invoices_2025H1.json", [], "cust"),
    ("Xero report, grouped by contact", ["gen_xero.py"], "s2_xero", "Receivable_Invoice_Detail_2022-2024.csv", "Receivable_Invoice_Detail_2025.csv", [], "cust"),
    ("Xero report, ungrouped", ["gen_xero.py flat"], "s2_xero_flat", "Receivable_Invoice_Detail_2022-2024.csv", "Receivable_Invoice_Detail_2025.csv", [], "cust"),
    ("Acumatica invoice details", ["gen_acu.py"], "s3_acu", "SalesInvoiceDetails_2022_2024.csv", "SalesInvoiceDetails_2025.csv", [], "cust"),
    ("German ERP (columns named)", ["gen_eu.py DE"], "s8_de", "Umsatzliste_2022-2024.csv", "Umsatzliste_2025.csv", ["--column", "customer_id=Kundennr.", "--column", "product=Artikelnr.", "--column", "gross_profit=Deckungsbeitrag", "--column", "quantity=Menge"], "cust"),
    ("French ERP (columns named)", ["gen_eu.py FR"], "s8_fr", "ventes_articles_2022-2024.csv", "ventes_articles_2025.csv", ["--column", "customer_id=Code client", "--column", "product=Code article", "--column", "gross_profit=Marge", "--column", "quantity=Quantité", "--column", "order_date=Date pièce", "--column", "division=Famille"], "cust"),
    ("Lightspeed X-Series (Vend)", ["gen_vend.py"], "s7_vend", "sales_2022-2024.csv", "sales_2025.csv", [], "cust"),
    ("FreshBooks invoice details", ["gen_fb.py"], "s9_fb", "invoice_details_2022-2024.csv", "invoice_details_2025.csv", [], "cust"),
    ("Recurly line items", ["gen_recurly.py"], "s5_recurly", "line_items_export_2022-2024.csv", "line_items_export_2025.csv", ["--column", "customer_id=account_code"], "cust"),
    ("Customer Account beside Customer", ["gen_ml.py dup"], "s11_ml_dup", "account.move.line_2022-2024.csv", "account.move.line_2025.csv", [], "cust"),
    ("Dynamics 365 invoice lines (.xlsx)", ["gen_d365.py"], "s12_d365", "Invoice journal lines 2022-2024.xlsx", "Invoice journal lines 2025.xlsx", [], "cust"),
    ("HubSpot deals and line items", ["gen_hub.py"], "s4_hub", "log", "holdout", [], "hid"),
    ("eBay orders report", ["gen_ebay.py"], "s10_ebay", "eBay-OrdersReport-2022-2024.csv", "eBay-OrdersReport-2025.csv", [], None),
    ("Multi-line quoted addresses", ["gen_ml.py"], "s11_ml", "account.move.line_2022-2024.csv", "account.move.line_2025.csv", [], "cust"),
    ("Value entries beside a product master", ["gen_pm.py"], "s13_pm", "log", "holdout", ["--column", "customer_id=Source No."], "cust"),
    # Not read (README): each should be refused, saying why.
    ("Excel PivotTable, compact form", ["gen_pivot_compact.py"], "s6_pivot", "compact_2022-2024.csv", "compact_2025H1.csv", [], "cust"),
    ("QuickBooks Desktop, sales by item detail", ["gen_qbd.py"], "s1_qbd", "sales_by_item_detail_2022-2024.csv", "sales_by_item_detail_2025H1.csv", [], "cust"),
    ("BigCommerce orders (products in one cell)", ["gen_bc.py"], "s6_bc", "orders-2022-2024.csv", "orders-2025.csv", [], "cust"),
    ("A column of totals per year", ["gen_yr.py"], "s14_yr", "sales_by_year.csv", None, [], "cust"),
]


def facts(path):
    return pd.read_parquet(path) if os.path.exists(path) else None


def line(t, f, key):
    if f is None:
        return "no star"
    got = f.gross_profit.sum()
    want = t.value.sum()
    if key is None:
        # The truth names its buyers otherwise (eBay's user names; the star, their emails).
        n, m = f.customer_id.nunique(), len(t.cust.unique())
        return f"{len(f):>6} of {len(t):>6} lines, {got:>16,.2f} of {want:>16,.2f}, {n} customers of {m}"
    by = f.groupby(f.customer_id.astype(str)).gross_profit.sum().round(2)
    truth = t.groupby(t[key].astype(str)).value.sum().round(2)
    both = pd.concat([by.rename("a"), truth.rename("b")], axis=1).fillna(0)
    off = int(((both.a - both.b).abs() > 0.005).sum())
    return f"{len(f):>6} of {len(t):>6} lines, {got:>16,.2f} of {want:>16,.2f}, {off} customers off"


def main():
    done = set()
    for name, gens, folder, log, holdout, extra, key in CASES:
        for g in gens:
            if g not in done:
                args = g.split()
                subprocess.run(
                    [sys.executable, os.path.join(HERE, args[0]), *args[1:]],
                    check=True,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                )
                done.add(g)
        d = os.path.join(ROOT, folder)
        ws = os.path.join(ROOT, "ws_" + "".join(c if c.isalnum() else "_" for c in name))
        given = ["--holdout", os.path.join(d, holdout)] if holdout else []
        init = subprocess.run(
            [G, "init", ws, "--force", "--sales-log", os.path.join(d, log), *given, *extra],
            capture_output=True,
            text=True,
        )
        if init.returncode != 0:
            why = " ".join(l.strip(" │×") for l in init.stderr.splitlines() if l.strip())
            print(f"{name:<44} init refused: {why[:300]}")
            continue
        run = subprocess.run([G, "-C", ws, "run", "-j", "2"], capture_output=True, text=True)
        t = pd.read_csv(os.path.join(d, "truth.csv"), dtype={key or "cust": str})
        log_ = line(t[t.part == "log"], facts(f"{ws}/outputs/star/fact_transactions.parquet"), key)
        ho = line(t[t.part == "holdout"], facts(f"{ws}/outputs/holdout/star/fact_transactions.parquet"), key)
        print(f"{name:<44} log: {log_} | holdout: {ho}" + ("" if run.returncode == 0 else f" | run exit {run.returncode}"))


main()
