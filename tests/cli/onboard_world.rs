//! Exports of countries and systems whose words, encodings, digits and calendars are not
//! English ones: each written as its system writes it, with credits as that system marks them,
//! read by `init` with no column named, and the star's GP equal to its truth to the cent.

use std::fmt::Write as _;

use crate::onboard::{init, shop};
use crate::onboard_erps::{assert_total, documents, money, truth, Kind, Line, PRODUCTS};
use crate::support::Ws;

/// Writes `lines` with `header` and one row per line from `row` (the line, its sign as the
/// system writes it: `true` for a credit), encodes the text, onboards it with no `--column`
/// and checks the star's GP against the truth; returns init's output.
fn onboard(
    file: &str,
    encoding: &'static encoding_rs::Encoding,
    header: &str,
    lines: &[Line],
    row: impl Fn(&Line, bool) -> String,
) -> String {
    let mut text = format!("{header}\n");
    for l in lines {
        writeln!(text, "{}", row(l, l.kind == Kind::Credit)).unwrap();
    }
    let (bytes, _, lossy) = encoding.encode(&text);
    assert!(!lossy, "{file}: letters {} lacks", encoding.name());
    let ws = Ws::new("# not the workspace\n");
    std::fs::write(ws.path(file), &bytes).unwrap();
    let r = init(&ws, &["--sales-log", file]).ok();
    shop(&ws, &["run", "--target", "star"]).ok();
    assert_total(&ws, truth(lines));
    r.stderr
}

/// `units` grouped by threes with `sep`, as a whole number.
fn grouped(units: i64, sep: char) -> String {
    let digits = units.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[test]
fn a_kingdee_export_in_gbk_with_chinese_dates_and_returns_written_positive() {
    let lines = documents(61, 120, 12, 1_000_000);
    let out = onboard(
        "销售出库单.csv",
        encoding_rs::GB18030,
        "单据日期,单据编号,单据类型,客户编码,客户名称,物料编码,物料分组,数量,不含税金额,含税金额",
        &lines,
        |l, credit| {
            let (y, m, d) = l.date;
            let (p, division) = PRODUCTS[l.product];
            let kind = if credit {
                "销售退货单"
            } else {
                "标准销售出库单"
            };
            let net = money(l.cents);
            let gross = money(l.cents * 113 / 100);
            format!(
                "{y}年{m}月{d}日,XSCKD{},{kind},01.{:04},客户{},{p},{division},{},\"￥{net}\",\"￥{gross}\"",
                l.doc, l.customer, l.customer, l.qty
            )
        },
    );
    assert!(
        out.contains("read as gb18030") && out.contains("customer_id `客户编码`"),
        "{out}"
    );
}

#[test]
fn a_douzone_export_in_euc_kr_with_full_width_won_and_returns() {
    let lines = documents(62, 120, 12, 1_000_000);
    onboard(
        "매출현황.csv",
        encoding_rs::EUC_KR,
        "거래일자,전표번호,구분,거래처코드,품목코드,품목군,수량,공급가액,합계금액",
        &lines,
        |l, credit| {
            let (y, m, d) = l.date;
            let (p, division) = PRODUCTS[l.product];
            let kind = if credit { "반품" } else { "매출" };
            format!(
                "{y}-{m:02}-{d:02},{},{kind},{:05},{p},{division},{},\"￦{}\",\"￦{}\"",
                l.doc,
                l.customer,
                l.qty,
                money(l.cents),
                money(l.cents * 11 / 10)
            )
        },
    );
}

#[test]
fn a_1c_export_in_windows_1251_with_returns_from_buyers() {
    let lines = documents(63, 120, 12, 1_000_000);
    let out = onboard(
        "Продажи.csv",
        encoding_rs::WINDOWS_1251,
        "Дата;Вид документа;Номер;Контрагент;ИНН;Артикул;Группа номенклатуры;Количество;Сумма;Всего",
        &lines,
        |l, credit| {
            let (y, m, d) = l.date;
            let (p, division) = PRODUCTS[l.product];
            let kind = if credit {
                "Возврат товаров от покупателя"
            } else {
                "Реализация товаров и услуг"
            };
            let rub = |c: i64| format!("{}\u{a0}{:03},{:02}", c / 100_000, (c / 100) % 1000, c % 100);
            format!(
                "{d:02}.{m:02}.{y};{kind};00БП-{};ООО Клиент {};{:010};{p};{division};{},000;{};{}",
                l.doc,
                l.customer,
                7_700_000_000u64 + l.customer as u64,
                l.qty,
                rub(l.cents),
                rub(l.cents * 12 / 10)
            )
        },
    );
    assert!(out.contains("read as windows-1251"), "{out}");
}

#[test]
fn a_logo_export_in_windows_1254_with_return_invoices() {
    let lines = documents(64, 120, 12, 1_000_000);
    onboard(
        "Satislar.csv",
        encoding_rs::WINDOWS_1254,
        "Fatura Tarihi;Fatura No;Fatura Türü;Cari Kodu;Cari Ünvanı;Stok Kodu;Grup Kodu;Miktar;Tutar;Toplam",
        &lines,
        |l, credit| {
            let (y, m, d) = l.date;
            let (p, division) = PRODUCTS[l.product];
            let kind = if credit {
                "Satış İade Faturası"
            } else {
                "Toptan Satış Faturası"
            };
            let tl = |c: i64| format!("{},{:02}", grouped(c / 100, '.'), c % 100);
            format!(
                "{d:02}.{m:02}.{y};SF{};{kind};120.01.{:03};Şahin Ticaret {};{p};{division};{},00;{};{}",
                l.doc,
                l.customer,
                l.customer,
                l.qty,
                tl(l.cents),
                tl(l.cents * 12 / 10)
            )
        },
    );
}

#[test]
fn a_thai_export_dated_in_the_buddhist_era_with_credit_notes() {
    let lines = documents(65, 120, 12, 1_000_000);
    let ws_out = onboard(
        "ขาย.csv",
        encoding_rs::UTF_8,
        "วันที่,เลขที่เอกสาร,ประเภทเอกสาร,รหัสลูกค้า,รหัสสินค้า,กลุ่มสินค้า,จำนวน,จำนวนเงิน",
        &lines,
        |l, credit| {
            let (y, m, d) = l.date;
            let (p, division) = PRODUCTS[l.product];
            let kind = if credit {
                "ใบลดหนี้"
            } else {
                "ใบกำกับภาษี"
            };
            format!(
                "{d:02}/{m:02}/{},IV{},{kind},AR-{:04},{p},{division},{},\"{}\"",
                y + 543,
                l.doc,
                l.customer,
                l.qty,
                money(l.cents)
            )
        },
    );
    // Gregorian days: 2021 to 2023, not 2564 to 2566.
    assert!(
        ws_out.contains("2021-") && !ws_out.contains("2564-"),
        "{ws_out}"
    );
}

#[test]
fn an_arabic_export_in_arabic_indic_digits_with_sales_returns() {
    let lines = documents(66, 120, 12, 1_000_000);
    let arabic = |s: String| -> String {
        s.chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - 0x30 + 0x660).unwrap(),
                '.' => '\u{66B}',
                ',' => '\u{66C}',
                c => c,
            })
            .collect()
    };
    onboard(
        "المبيعات.csv",
        encoding_rs::UTF_8,
        "التاريخ,رقم الفاتورة,نوع المستند,رمز العميل,رمز الصنف,المجموعة,الكمية,المبلغ",
        &lines,
        |l, credit| {
            let (y, m, d) = l.date;
            let (p, division) = PRODUCTS[l.product];
            let kind = if credit {
                "مرتجع مبيعات"
            } else {
                "فاتورة مبيعات"
            };
            // `1,234.56`, then in Arabic separators: thousands `٬`, decimals `٫`.
            let amount = format!("{}.{:02}", grouped(l.cents / 100, ','), l.cents % 100);
            format!(
                "{},INV-{},{kind},{},{p},{division},{},{}",
                arabic(format!("{d:02}/{m:02}/{y}")),
                l.doc,
                arabic((1000 + l.customer).to_string()),
                arabic(l.qty.to_string()),
                arabic(amount)
            )
        },
    );
}

#[test]
fn a_cfdi_export_takes_its_egresos_and_its_line_discounts_off() {
    // Importe is quantity times unit value, before the line's Descuento (an amount).
    let lines = documents(67, 120, 12, 1_000_000);
    let discount = |l: &Line| if l.doc % 5 == 0 { l.cents / 10 } else { 0 };
    let mut net = Vec::new();
    let header = "UUID,Fecha,TipoDeComprobante,RfcReceptor,NoIdentificacion,Cantidad,ValorUnitario,Importe,Descuento";
    let mut text = format!("{header}\n");
    for l in &lines {
        let (y, m, d) = l.date;
        let (p, _) = PRODUCTS[l.product];
        let unit = l.cents;
        let importe = unit * l.qty as i64;
        writeln!(
            text,
            "{:08X}-0000-4000-8000-{:012},{d:02}/{m:02}/{y},{},XAXX{:06}A1,{p},{},\"{}\",\"{}\",{}",
            l.doc,
            l.doc,
            if l.kind == Kind::Credit { "E" } else { "I" },
            l.customer,
            l.qty,
            money(unit),
            money(importe),
            money(discount(l) * l.qty as i64)
        )
        .unwrap();
        net.push(Line {
            cents: importe - discount(l) * l.qty as i64,
            ..*l
        });
    }
    let ws = Ws::new("# not the workspace\n");
    std::fs::write(ws.path("cfdi.csv"), text).unwrap();
    init(&ws, &["--sales-log", "cfdi.csv"]).ok();
    shop(&ws, &["run", "--target", "star"]).ok();
    assert_total(&ws, truth(&net));
}

#[test]
fn a_chilean_sii_export_reads_its_net_total_and_its_credit_notes() {
    // Whole pesos grouped by dots, `Total` with 19% IVA beside `Total Neto`; document type 33
    // (factura electrónica) and 61 (nota de crédito).
    let lines: Vec<Line> = documents(68, 120, 12, 1_000_000)
        .into_iter()
        .map(|l| Line {
            cents: l.cents * 100,
            ..l
        })
        .collect();
    let out = onboard(
        "ventas.csv",
        encoding_rs::UTF_8,
        "Fecha;Tipo Documento;Folio;RUT Cliente;Código;Familia;Cantidad;Total Neto;IVA;Total",
        &lines,
        |l, credit| {
            let (y, m, d) = l.date;
            let (p, division) = PRODUCTS[l.product];
            let pesos = l.cents / 100;
            let iva = pesos * 19 / 100;
            format!(
                "{d:02}-{m:02}-{y};{};{};{}.{:03}.{:03}-{};{p};{division};{};${};${};${}",
                if credit { 61 } else { 33 },
                l.doc,
                76 + l.customer / 1000,
                l.customer % 1000,
                l.customer,
                l.customer % 10,
                l.qty,
                grouped(pesos, '.'),
                grouped(iva, '.'),
                grouped(pesos + iva, '.')
            )
        },
    );
    assert!(out.contains("`Total Neto`"), "{out}");
}

#[test]
fn a_misa_export_of_whole_dong_grouped_by_dots_in_a_comma_file() {
    let lines: Vec<Line> = documents(69, 120, 12, 1_000_000)
        .into_iter()
        .map(|l| Line {
            // Millions of dong, as MISA's lines are: several dots in each amount.
            cents: l.cents * 100_000,
            ..l
        })
        .collect();
    onboard(
        "so_chi_tiet_ban_hang.csv",
        encoding_rs::UTF_8,
        "Ngày chứng từ,Số chứng từ,Loại chứng từ,Mã khách hàng,Mã hàng,Nhóm hàng,Số lượng,Doanh số bán",
        &lines,
        |l, credit| {
            let (y, m, d) = l.date;
            let (p, division) = PRODUCTS[l.product];
            let kind = if credit { "Hàng bán trả lại" } else { "Bán hàng" };
            format!(
                "{d:02}/{m:02}/{y},BH{},{kind},KH{:05},{p},{division},{},{}",
                l.doc,
                l.customer,
                l.qty,
                grouped(l.cents / 100, '.')
            )
        },
    );
}

#[test]
fn hijri_dates_are_refused_by_name_not_read_as_gregorian_years() {
    let ws = Ws::new("# not the workspace\n");
    let mut text = String::from("التاريخ الهجري,رمز العميل,رمز الصنف,المبلغ\n");
    for i in 0..60 {
        writeln!(
            text,
            "1443/{:02}/{:02},{},HW-100,{}.50",
            1 + i % 12,
            1 + i % 28,
            100 + i % 7,
            10 + i
        )
        .unwrap();
    }
    std::fs::write(ws.path("hijri.csv"), text).unwrap();
    let r = init(&ws, &["--sales-log", "hijri.csv"]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr
            .contains("`التاريخ الهجري` holds dates of the years 1300 to")
            && r.stderr.contains("Hijri (or Solar Hijri) dates"),
        "{}",
        r.stderr
    );
}
