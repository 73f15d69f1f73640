//! The names each canonical column goes by beyond the ETL's aliases, normalised ([`norm`]):
//! the exports of the ERPs, shops and accounting packages logs have come from.

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
    "billtoaccountno",
    "billtoaccountnumber",
    "billtoid",
    "billtono",
    "billtonumber",
    // A distributor's `Sold-To Account` (a tester's was passed over for the name column, and
    // its 31 renamed accounts split in two).
    "soldtoaccount",
    "soldtoaccountno",
    "soldtoaccountnumber",
    "soldtoid",
    "soldtono",
    "soldtonumber",
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
    // German, French, Spanish and Italian exports' customer numbers (a DATEV or SAP
    // export's `Kundennummer`, a debtor's account).
    "kundennummer",
    "kundennr",
    "kundenid",
    "kdnr",
    "debitor",
    "debitornummer",
    "debitorennummer",
    "debitorennr",
    // Dutch, Portuguese, Spanish (with its accent), Nordic and Finnish customer numbers.
    "klantnummer",
    "klantnr",
    "debiteurnummer",
    "debiteurnr",
    "debiteur",
    "relatienummer",
    "códigocliente",
    "códigodocliente",
    "codigodocliente",
    "códigodecliente",
    "codigodecliente",
    "nºcliente",
    "númerocliente",
    "kundnummer",
    "kundenummer",
    "kundnr",
    "kundenr",
    "kundeid",
    "kundid",
    "asiakasnumero",
    "asiakasnro",
    "asiakastunnus",
    // The sold-to party and the payer of a German SAP export (`Auftraggeber`, `Regulierer`).
    "auftraggeber",
    "auftraggebernr",
    "auftraggebernummer",
    "regulierer",
    "numeroclient",
    "codeclient",
    "idclient",
    "noclient",
    "codigocliente",
    "idcliente",
    "numerocliente",
    "codicecliente",
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
    // A UK ledger's `A/C Ref`, MYOB's `Card ID`; a Polish or Czech customer's code. (Tax
    // numbers, after all of these: [`TAX_IDS`].)
    "acref",
    "acno",
    "acnumber",
    "cardid",
    "cardrecordid",
    "kodkontrahenta",
    "idkontrahenta",
    "nrkontrahenta",
    "kodklienta",
    "nrklienta",
    "numerklienta",
    "idklienta",
    "číslozákazníka",
    "cislozakaznika",
    "kódzákazníka",
    "kodzakaznika",
    "číslodběratele",
    "cislodberatele",
    "kódodběratele",
    "kododberatele",
];
/// Customer ids after every [`CUSTOMER_ID`]: a Polish tax number (NIP), a Czech company number
/// (IČ, IČO), a Brazilian CNPJ or CPF. A seller's export keys its buyers by them where it has no
/// customer number; they are blank for private buyers.
pub(super) const TAX_IDS: &[&str] = &[
    "nip",
    "nipnabywcy",
    "ič",
    "ičo",
    "ico",
    "cnpj",
    "cnpjcpf",
    "cpfcnpj",
    "cnpjcpfdestinatário",
    "cnpjcpfdestinatario",
    "cnpjdestinatário",
    "cnpjdestinatario",
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
    // German, French, Spanish and Italian exports' customer names.
    "kunde",
    "kundenname",
    "firma",
    "firmenname",
    "nomclient",
    "raisonsociale",
    "cliente",
    "nombrecliente",
    "ragionesociale",
    // Dutch, Portuguese, Nordic and Finnish customer names.
    "klantnaam",
    "klant",
    "debiteurnaam",
    "naamdebiteur",
    "razãosocial",
    "razaosocial",
    "nome",
    "nomecliente",
    "nomedocliente",
    "kundnamn",
    "kundenavn",
    "kundnavn",
    "asiakas",
    "asiakkaannimi",
    // Japanese exports' customer names.
    "得意先名",
    "顧客名",
    "取引先名",
    // Polish, Czech and Brazilian buyers; Tally's sales register names its party ledger
    // `Particulars`; MYOB its card `Co./Last Name`.
    "kontrahent",
    "nazwakontrahenta",
    "nabywca",
    "odbiorca",
    "odběratel",
    "odberatel",
    "názevfirmy",
    "nazevfirmy",
    "destinatário",
    "destinatario",
    "nomedestinatário",
    "nomedestinatario",
    "partyname",
    "partyledgername",
    "particulars",
    "colastname",
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
    // German, French, Spanish and Italian product groups.
    "warengruppe",
    "produktgruppe",
    "artikelgruppe",
    "famille",
    "familleproduit",
    "familia",
    "familiaproducto",
    "categoria",
    "gruppomerceologico",
    // Dutch, Portuguese, Nordic and Finnish product groups.
    "artikelgroep",
    "productgroep",
    "família",
    "artikelgrupp",
    "varugrupp",
    "produktgrupp",
    "varegruppe",
    "tuoteryhmä",
    // Japanese exports' department and product class.
    "部門",
    "商品分類",
    "商品区分",
    // Polish, Czech and Brazilian product groups; Tally's stock group.
    "grupa",
    "grupatowarowa",
    "grupatowarów",
    "skupina",
    "skupinazásob",
    "skupinazasob",
    "skupinazboží",
    "grupodeproduto",
    "grupoproduto",
    "stockgroup",
    // Epicor's product group, last: a log's own `Item Category` beside it is the surer name (a
    // tester's `Prod Group` held warehouse groups).
    "prodgroup",
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
    // Epicor's `Invoice Num`.
    "invoicenum",
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
    // German, French, Spanish and Italian exports' document and invoice numbers.
    "belegnummer",
    "belegnr",
    "rechnungsnummer",
    "rechnungsnr",
    "auftragsnummer",
    "auftragsnr",
    "numerofacture",
    "nfacture",
    "numerofactura",
    "numerodocumento",
    "numerofattura",
    // Dutch, Portuguese, Nordic and Finnish invoice and document numbers.
    "factuurnummer",
    "factuurnr",
    "nºdocumento",
    "númerodocumento",
    "nºfatura",
    "numerofatura",
    "númerofatura",
    "fakturanummer",
    "fakturanr",
    "laskunnumero",
    "laskunumero",
    "laskunro",
    // Brazil's invoice (nota fiscal) number.
    "númeronf",
    "numeronf",
    // Japanese exports' slip (伝票) and invoice numbers.
    "伝票番号",
    "請求書番号",
    "伝票no",
    // Tally's voucher; Polish and Czech invoice and document numbers (Subiekt's `Numer`).
    "voucherno",
    "numer",
    "vouchernumber",
    "numerfaktury",
    "nrfaktury",
    "numerdokumentu",
    "nrdokumentu",
    "číslofaktury",
    "cislofaktury",
    "číslodokladu",
    "cislodokladu",
    "doklad",
];
pub(super) const LINE_ID: &[&str] = &[
    "lineid",
    "invoiceline",
    "invoicelineid",
    "lineno",
    "linenumber",
    // German, French and Spanish exports' line positions.
    "position",
    "positionsnummer",
    "belegposition",
    "ligne",
    "linea",
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
    // Epicor's `Part`.
    "part",
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
    // A billing system's plan (`plan_id`, `core-std-annual`).
    "planid",
    "plan",
    "inventoryid",
    "inventorycd",
    // Stripe's invoice line: its price's product (`price.product`, once `plan.product`).
    "priceproduct",
    "planproduct",
    // A music store's (the Chinook sample database's `track_id`).
    "trackid",
    "track",
    "trackname",
    // German, French, Spanish and Italian exports' article numbers, then names.
    "artikelnummer",
    "artikelnr",
    "artikel",
    "materialnummer",
    "referenceproduit",
    "codeproduit",
    "codearticle",
    "codigoproducto",
    "codigoarticulo",
    "codicearticolo",
    "artikelbezeichnung",
    "produit",
    "producto",
    "articolo",
    // Dutch, Portuguese, Spanish, Nordic and Finnish article codes.
    "artikelcode",
    "artigo",
    "códigoartigo",
    "codigoartigo",
    "produto",
    "códigoproduto",
    "codigoproduto",
    "referencia",
    "referência",
    "varenummer",
    "varenr",
    "produktnummer",
    "produktnr",
    "produktkode",
    "produktkod",
    "tuotenumero",
    "tuotekoodi",
    "tuote",
    // Japanese exports' product codes, then names.
    "商品コード",
    "品番",
    "品目コード",
    "商品名",
    // Polish, Czech and Brazilian product codes; Tally's stock item.
    "towar",
    "symbol",
    "symboltowaru",
    "kodtowaru",
    "indeks",
    "kód",
    "kod",
    "kódzboží",
    "kodzbozi",
    "kódpoložky",
    "kodpolozky",
    "códigodoproduto",
    "codigodoproduto",
    "códigoproduto",
    "codigoproduto",
    "códproduto",
    "codproduto",
    "cprod",
    "stockitem",
    "nameofitem",
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
    // German (`Deckungsbeitrag`, `DB I`, `Rohertrag`), French, Spanish and Italian margins.
    "deckungsbeitrag",
    "db",
    "dbi",
    "db1",
    "rohertrag",
    "rohgewinn",
    "marge",
    "margebrute",
    "margen",
    "margenbruto",
    "margine",
    // Dutch, Portuguese, Spanish, Nordic and Finnish gross profit.
    "brutowinst",
    "brutomarge",
    "margem",
    "margembruta",
    "beneficio",
    "beneficiobruto",
    "täckningsbidrag",
    "tackningsbidrag",
    "dekningsbidrag",
    "dækningsbidrag",
    "daekningsbidrag",
    "bruttovinst",
    "bruttofortjeneste",
    "kate",
    "myyntikate",
    // Japanese exports' gross profit (粗利).
    "粗利",
    "粗利益",
    "粗利額",
    "粗利金額",
    // Polish, Czech and Brazilian gross profit.
    "zysk",
    "zyskbrutto",
    "zisk",
    "lucro",
    "lucrobruto",
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
    // The classic-models sample's `QUANTITYORDERED`; Northwind's and others' shipped units.
    "quantityordered",
    "orderedquantity",
    "orderquantity",
    "orderqty",
    "quantityshipped",
    "qtyshipped",
    "shippedquantity",
    "invoicedquantity",
    "qtyinvoiced",
    "itemquantity",
    // SAP's billed quantity.
    "fkimg",
    // German, French, Spanish and Italian exports.
    "menge",
    "anzahl",
    "stückzahl",
    "quantité",
    "cantidad",
    "quantità",
    // Dutch, Portuguese, Nordic and Finnish.
    "aantal",
    "quantidade",
    "qtd",
    "unidades",
    "antal",
    "antall",
    "määrä",
    "maara",
    // Japanese exports.
    "数量",
    // Polish, Czech and Brazilian.
    "ilość",
    "ilosc",
    "počet",
    "pocet",
    "množství",
    "mnozstvi",
    "qtde",
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
    // A billing system's `amount_cents` (read so too: a name ending in `cents`).
    "amountcents",
    "subtotalcents",
    "totalcents",
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
    // German, French, Spanish and Italian exports' net sales.
    "umsatz",
    "nettoumsatz",
    "umsatznetto",
    "umsatzerlöse",
    "erlös",
    "erlöse",
    "nettobetrag",
    "betrag",
    "chiffredaffaires",
    "montantht",
    "montant",
    "importe",
    "ventas",
    "fatturato",
    "importo",
    // Dutch, Portuguese, Spanish, Nordic and Finnish net sales.
    "omzet",
    "bedrag",
    "valor",
    "valorlíquido",
    "valorliquido",
    "baseimponible",
    "belopp",
    "beløb",
    "beløp",
    "omsättning",
    "omsetning",
    "myynti",
    // Japanese exports' sales amount.
    "売上金額",
    "売上高",
    "金額",
    // Tally's value before GST; Polish, Czech and Brazilian line values.
    "taxablevalue",
    "assessablevalue",
    "wartośćnetto",
    "wartoscnetto",
    "cenacelkem",
    "celkembezdph",
    "valortotal",
    "valortotaldoproduto",
    "valordoproduto",
    "vlrtotal",
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
    // A 2019 electronics store's monthly exports: `Price Each` beside `Quantity Ordered`.
    "priceeach",
    "priceperunit",
    "unitsellingprice",
    "sellingprice",
    "rate",
    "lineitemprice",
    // Chargebee's invoice line items.
    "lineitemunitamount",
    // eBay's orders report; Recurly's, in cents.
    "soldfor",
    "unitamountincents",
    "unitamountcents",
    "unitpricecents",
    // WooCommerce's order export: `Item Cost` is what the buyer paid a unit, its only line
    // value (a unit cost of one's own is no line's value either way: it is taken only when
    // the log has no other).
    "itemcost",
    "itemprice",
    // German, French, Spanish and Italian unit prices.
    "einzelpreis",
    "stückpreis",
    "preis",
    "prixunitaire",
    "preciounitario",
    "prezzounitario",
    // Dutch, Portuguese, Nordic and Finnish unit prices.
    "stukprijs",
    "eenheidsprijs",
    "prijs",
    "preçounitário",
    "precounitario",
    "styckpris",
    "enhetspris",
    "enhedspris",
    "yksikköhinta",
    // Japanese exports.
    "単価",
];
/// A line's cost, subtracted from revenue when the log has no GP column. Line totals only: a
/// unit cost (`Unit Cost`, `Standard Cost`) would need the quantity, and is not taken.
/// Whether a cost column's name says it is per unit (`Unit Cost`, `Standard Cost`, `Cost
/// Each`).
pub(crate) fn says_per_unit(header: &str) -> bool {
    let h = header.to_lowercase();
    [
        "unit", "standard", "std", "per ", "each", "einstand", "stück", "einzel",
    ]
    .iter()
    .any(|w| h.contains(w))
}

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
    // A cost per unit, times the quantity (`cost_per_unit`).
    "unitcost",
    "costperunit",
    "unitcostprice",
    "standardcost",
    "productstandardcost",
    "stdcost",
    "costeach",
    // A tester's `Cost Price` beside `Selling Price`: per unit or a line's, as the data say.
    "costprice",
    // SAP's cost (VBRP).
    "wavwr",
    // German (`Wareneinsatz`, per unit `Einstandspreis`), French, Spanish and Italian costs.
    "wareneinsatz",
    // A billing system's cost in cents (read so beside amounts in cents).
    "costcents",
    "costincents",
    "unitcostcents",
    "einstandspreis",
    "kosten",
    "coût",
    "cout",
    "coste",
    "costo",
    // Dutch, Portuguese, Nordic and Finnish costs.
    "kostprijs",
    "inkoopwaarde",
    "custo",
    "kostnad",
    "kostpris",
    "kustannus",
    // Japanese exports' cost.
    "原価金額",
    "原価",
    // Polish, Czech and Brazilian costs.
    "koszt",
    "kosztzakupu",
    "nákupnícena",
    "nakupnicena",
    "náklady",
    "naklady",
    "custototal",
    "custodoproduto",
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
