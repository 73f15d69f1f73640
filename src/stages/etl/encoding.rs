//! The encoding of a text log that is not UTF-8. Windows-1252 is the ETL's line-by-line
//! fallback (`encoding_fallback`); the others are told from the bytes of the file's first
//! 64 KiB and the whole file decoded before anything else reads it: UTF-16 (Excel's "Unicode
//! Text"), the CJK double-byte encodings of Japanese, Chinese and Korean Excel and ERPs
//! (Shift_JIS, GB18030, Big5, EUC-KR), and the Windows code pages of Central European,
//! Cyrillic, Turkish and Arabic Windows (1250, 1251, 1254, 1256). Read as Windows-1252, every
//! header and name of such a file was noise (`Iloœæ` for `Ilość`), to be typed so in `--column`.

/// UTF-8 text of a file in one of the encodings [`encoding_of`] tells, so the rest reads it
/// as any other text file; other bytes as they are.
pub fn to_utf8(bytes: Vec<u8>) -> Vec<u8> {
    let Some(encoding) = encoding_of(&bytes) else {
        return bytes;
    };
    // `decode` takes the BOM off; a malformed unit becomes U+FFFD, which the contracts report.
    let (text, _, _) = encoding.decode(&bytes);
    text.into_owned().into_bytes()
}

/// The encoding a text file other than UTF-8 (or Windows-1252, decoded line by line as the
/// ETL's `encoding_fallback`) is read in, if any: what init says of the file.
pub fn encoding_of(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    Some(match bytes {
        [0xFF, 0xFE, ..] => encoding_rs::UTF_16LE,
        [0xFE, 0xFF, ..] => encoding_rs::UTF_16BE,
        // No byte-order mark (a program that writes UTF-16 without one): ASCII text with a zero
        // byte beside every character, after it (little-endian) or before it.
        b if utf16_unmarked(b, 1) => encoding_rs::UTF_16LE,
        b if utf16_unmarked(b, 0) => encoding_rs::UTF_16BE,
        b if super::workbook::is_workbook(b) => return None,
        // The file's head, read once and asked of each encoding in turn.
        b => {
            let head = head_not_utf8(b)?;
            if shift_jis(head) {
                return Some(encoding_rs::SHIFT_JIS);
            }
            // Binary (a zip, an old `.xls`) is no text in the others.
            let text = (!head.contains(&0)).then_some(head)?;
            // The double-byte ones before Cyrillic and Arabic: two Chinese letters are four
            // bytes of 0xC0 and up as often as not, while a Cyrillic word of odd length before
            // a comma or a space is no GBK or EUC-KR.
            cjk(text)
                .or_else(|| single_byte(text))
                .or_else(|| windows_1254(text).then_some(encoding_rs::WINDOWS_1254))
                .or_else(|| windows_1250(text).then_some(encoding_rs::WINDOWS_1250))?
        }
    })
}

/// The first 64 KiB up to the last line end (a cut character is no error), when they are not
/// UTF-8: what the other encodings are asked of.
fn head_not_utf8(b: &[u8]) -> Option<&[u8]> {
    let head = &b[..b.len().min(1 << 16)];
    let head = &head[..head
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(head.len(), |i| i + 1)];
    (!mostly_utf8(head)).then_some(head)
}

/// Whether text is UTF-8 but for a few bad bytes: valid, or with ten letters of two bytes or
/// more for each bad sequence (a row pasted from a Windows-1252 file into a UTF-8 export). Such
/// a file is read as UTF-8, its bad rows line by line as Windows-1252: re-read whole as GB18030
/// or Windows-1250, every accented name of a misfire hunter's French and German logs was noise.
fn mostly_utf8(head: &[u8]) -> bool {
    let (mut wide, mut bad) = (0usize, 0usize);
    let mut rest = head;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                wide += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let ok = e.valid_up_to();
                wide += std::str::from_utf8(&rest[..ok])
                    .map_or(0, |s| s.chars().filter(|c| !c.is_ascii()).count());
                bad += 1;
                let skip = e.error_len().unwrap_or(rest.len() - ok);
                rest = &rest[ok + skip..];
            }
        }
    }
    bad == 0 || (wide >= 10 && wide >= 10 * bad)
}

/// Whether the text is Shift_JIS (Japanese Excel's and most Japanese ERPs' CSV): not UTF-8, its
/// first 64 KiB decode as Shift_JIS with no error, and the text holds kana (`得意先コード`).
/// Read as Windows-1252, as other text that is not UTF-8 is, every Japanese header and name was
/// noise and no column could be named. A European file of accented letters does not pass:
/// its accents break Shift_JIS's byte pairs, or make kanji but never kana.
fn shift_jis(head: &[u8]) -> bool {
    let Some(text) =
        encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(head)
    else {
        return false;
    };
    let kana = text
        .chars()
        .filter(|c| ('\u{3041}'..='\u{30FF}').contains(c))
        .count();
    kana >= 3
}

/// Whether the text is Windows-1250 (Polish, Czech and Hungarian Windows and their ERPs' CSV):
/// not UTF-8, and three bytes or more inside words that are letters there but a symbol in
/// Windows-1252 (`ą` `ł` `ż` `Ą` `Ł` `Ż` `ľ`, read `¹` `³` `¿` `¥` `£` `¯` `¾`). Read as
/// Windows-1252, a tester's Polish headers came out as `Iloœæ`, to be typed so in `--column`.
/// Inside a word only: `m³`, `¿Qué?` and `£120` in a Western file have a space or a digit
/// beside them.
fn windows_1250(head: &[u8]) -> bool {
    const EASTERN: &[u8] = &[0xB9, 0xB3, 0xBF, 0xA5, 0xA3, 0xAF, 0xBC, 0xBE];
    let letter = |c: u8| c.is_ascii_alphabetic() || c >= 0xC0 || EASTERN.contains(&c);
    let lower = |c: u8| c.is_ascii_lowercase() || c >= 0xDF;
    // Inside a word, or starting one before a small letter (`Łódź`, `Żaba`).
    let polish = head
        .windows(3)
        .filter(|w| EASTERN.contains(&w[1]) && ((letter(w[0]) && letter(w[2])) || lower(w[2])))
        .count();
    // Czech letters are Western ones in Windows-1252 (`ě` `ř` `ů` `č` read `ì` `ø` `ù` `è`):
    // Czech writes `ě` and `ř` inside words all the time, Western text `ì` and `ø` seldom, and
    // then beside its own `å`, `æ`, `à` or `ñ` (a tester's `Poèet`, `Odbìratel`).
    let inside = |w: &[u8], bytes: &[u8]| bytes.contains(&w[1]) && letter(w[0]) && letter(w[2]);
    let czech = head
        .windows(3)
        .filter(|w| inside(w, &[0xEC, 0xF8, 0xF9]))
        .count();
    let western = head
        .windows(3)
        .filter(|w| inside(w, &[0xE5, 0xE6, 0xE0, 0xF1, 0xC5, 0xC6]))
        .count();
    polish >= 3 || (czech >= 3 && czech > 2 * western)
}

/// Whether the first 512 bytes are UTF-16 without its mark: in nine character pairs in ten the
/// byte at `zero` is 0 and the other is not (Latin text; no text file of one-byte characters
/// has zero bytes in it), the first pair among them.
fn utf16_unmarked(b: &[u8], zero: usize) -> bool {
    let head = &b[..b.len().min(512) & !1];
    let latin = |p: &[u8]| p[zero] == 0 && p[1 - zero] != 0;
    let pairs = head.len() / 2;
    pairs >= 4 && latin(&head[..2]) && head.chunks(2).filter(|p| latin(p)).count() * 10 >= pairs * 9
}

/// The CJK double-byte encoding other than Shift_JIS the text is in, if any: Chinese GB18030
/// (GBK, GB2312: Kingdee's and Yonyou's CSV and Chinese Excel's), Big5 (Taiwan, Hong Kong) or
/// EUC-KR (Korean Excel, Douzone). Their byte ranges overlap, so the first 64 KiB are decoded
/// in each, and the one that decodes with no error into the most of its language's common
/// letters wins, at three at least and twice the next: decoded in another, the same bytes are
/// other letters of that script, seldom common ones.
fn cjk(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    const CANDIDATES: &[(&encoding_rs::Encoding, &str)] = &[
        (
            encoding_rs::GB18030,
            "日期客户编码名称物料数量金额单价成本号销售退货商品类别税合计部门规格型含订据发票存\
             代出库位公司有限责任科技年月业务员红字利润毛",
        ),
        (
            encoding_rs::BIG5,
            "日期客戶編碼名稱物料數量金額單價成本號銷售退貨商品類別稅合計部門規格型訂據發票存\
             代出庫位公司有限責任科技年月業務員利潤毛",
        ),
        (
            encoding_rs::EUC_KR,
            "일자거래처코드품목명수량금액단가공급부세합계번호반매출고객상회사주식원의이다는전표\
             판입규격액",
        ),
    ];
    let mut hits: Vec<(usize, &'static encoding_rs::Encoding)> = CANDIDATES
        .iter()
        .filter_map(|&(encoding, common)| {
            let text = encoding.decode_without_bom_handling_and_without_replacement(head)?;
            Some((
                text.chars().filter(|&c| common.contains(c)).count(),
                encoding,
            ))
        })
        .collect();
    hits.sort_by_key(|h| std::cmp::Reverse(h.0));
    let best = hits.first()?;
    let next = hits.get(1).map_or(0, |h| h.0);
    (best.0 >= 3 && best.0 > 2 * next).then_some(best.1)
}

/// Windows-1251 (Russian, Ukrainian, Bulgarian, Serbian Windows and 1C's CSV) or Windows-1256
/// (Arabic), if the text is in one: words of four letters or more in bytes 0xC0 and up, three
/// such words at least (in Windows-1252 those are accented Latin letters, which no Western
/// language writes four in a row). Arabic is told from Cyrillic by the bytes Windows-1256 keeps
/// for French (`à`, `é`, `ô`, ...): an Arabic word has none of them, a Cyrillic one many
/// (`о`, `а`, `и` are among them).
fn single_byte(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let mut words = 0;
    let (mut letters, mut french) = (0usize, 0usize);
    for run in head.split(|&c| c < 0xC0).filter(|r| r.len() >= 4) {
        words += 1;
        letters += run.len();
        french += run
            .iter()
            .filter(|c| {
                matches!(
                    c,
                    0xD7 | 0xE0 | 0xE2 | 0xE7
                        ..=0xEB | 0xEE | 0xEF | 0xF4 | 0xF7 | 0xF9 | 0xFB | 0xFC
                )
            })
            .count();
    }
    if words < 3 {
        return None;
    }
    Some(if french * 33 < letters {
        encoding_rs::WINDOWS_1256
    } else {
        encoding_rs::WINDOWS_1251
    })
}

/// Whether the text is Windows-1254 (Turkish Windows, Logo's and Netsis' CSV): not UTF-8, and
/// three bytes or more that are Turkish letters there (`ğ` `ı` `ş` `Ğ` `İ` `Ş`, read `ð` `ý`
/// `þ` `Ð` `Ý` `Þ` in Windows-1252) in a word, with
/// at most half as many of the accents Turkish never writes (`á` `é` `í` `ó` `ú` `æ` `ã` `è`
/// `ø`: Icelandic, Czech and Romanian use those bytes beside their own).
fn windows_1254(head: &[u8]) -> bool {
    const TURKISH: &[u8] = &[0xF0, 0xFD, 0xFE, 0xD0, 0xDD, 0xDE];
    const OTHERS: &[u8] = &[
        0xE1, 0xC1, 0xE9, 0xC9, 0xED, 0xCD, 0xF3, 0xD3, 0xFA, 0xDA, 0xE6, 0xC6, 0xE3, 0xE8, 0xC8,
        0xF8, 0xEC,
    ];
    let letter = |c: u8| c.is_ascii_alphabetic() || c >= 0xC0;
    // At a word's edge too: capitals (`SATIŞ FATURASI`, `İADE`) and a word's last `ı`.
    let turkish = head
        .windows(3)
        .filter(|w| TURKISH.contains(&w[1]) && (letter(w[0]) || letter(w[2])))
        .count();
    let others = head
        .windows(3)
        .filter(|w| OTHERS.contains(&w[1]) && (letter(w[0]) || letter(w[2])))
        .count();
    turkish >= 3 && others * 2 < turkish
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_polish_windows_1250_export_is_read_as_its_letters_and_a_western_one_as_it_was() {
        let text =
            "Kontrahent;Ilość;Wartość\nSpółka Łódź;2;10,50\nWrocław Żaba;1;5,00\nPiękna;3;1,00\n";
        let (cp1250, _, bad) = encoding_rs::WINDOWS_1250.encode(text);
        assert!(!bad);
        assert_eq!(to_utf8(cp1250.into_owned()), text.as_bytes());
        // Czech: `ě`, `ř`, `ů` inside words.
        let czech = "Odběratel;Počet;Cena\nStavebniny Hořice;2;10,50\nNářadí Třebíč;1;5,00\nDům a zahrada;3;1,00\n";
        let (cp1250, _, bad) = encoding_rs::WINDOWS_1250.encode(czech);
        assert!(!bad);
        assert_eq!(to_utf8(cp1250.into_owned()), czech.as_bytes());
        // Norwegian in Windows-1252: `ø` beside `å` and `æ`.
        let norsk = "Kunde;Beløp\nBjørnstad Sjø;1\nMøller Ærø;2\nKjøkken Gård;3\nSkjæret Øst;4\n";
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(norsk);
        assert_eq!(to_utf8(cp1252.to_vec()), cp1252.as_ref());
        // Western text with `m³`, `¿Qué?` and `£120`: left for Windows-1252.
        let western = "Artículo;Volumen\n¿Qué?;3 m³\nCafé;£120\nNiño;½\n";
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(western);
        assert_eq!(to_utf8(cp1252.to_vec()), cp1252.as_ref());
    }

    #[test]
    fn a_shift_jis_export_is_read_as_its_japanese_and_a_european_one_as_it_was() {
        let text = "得意先コード,売上日,品目,粗利\n1001,2023/04/01,プリンター,１２,０００\n";
        let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
        assert!(!bad);
        let read = to_utf8(sjis.into_owned());
        assert_eq!(String::from_utf8(read).unwrap(), text);
        // Windows-1252 accents, some of them Shift_JIS lead bytes: no kana, left as written.
        let (latin, _, _) = encoding_rs::WINDOWS_1252
            .encode("Cliente,Fecha\nFabricación Ñandú,1/2/2023\nÉcole,x\n");
        assert_eq!(to_utf8(latin.to_vec()), latin.to_vec());
    }

    /// `text` written in `encoding` and read back.
    fn round_trip(text: &str, encoding: &'static encoding_rs::Encoding) -> String {
        let (bytes, _, bad) = encoding.encode(text);
        assert!(!bad, "{text} has letters {} lacks", encoding.name());
        assert_eq!(encoding_of(&bytes), Some(encoding), "{text}");
        String::from_utf8(to_utf8(bytes.into_owned())).unwrap()
    }

    #[test]
    fn chinese_korean_cyrillic_turkish_and_arabic_exports_are_read_as_their_letters() {
        let cases: &[(&str, &'static encoding_rs::Encoding)] = &[
            (
                "单据日期,客户编码,客户名称,物料编码,数量,含税金额\n2024-03-05,C001,华为技术有限公司,M-01,2,\"1,200.00\"\n2024-03-06,C002,北京科技,M-02,-1,-300.00\n",
                encoding_rs::GB18030,
            ),
            (
                "單據日期,客戶編碼,客戶名稱,數量,金額\n2024/03/05,C001,台灣科技股份有限公司,2,1200\n",
                encoding_rs::BIG5,
            ),
            (
                "거래일자,거래처코드,거래처명,품목코드,수량,공급가액\n2024-03-05,K001,삼성전자 주식회사,P-01,2,\"1,200,000\"\n",
                encoding_rs::EUC_KR,
            ),
            (
                "Дата;Контрагент;Номенклатура;Количество;Сумма\n05.03.2024;ООО Ромашка;Кабель медный;2;1 200,00\n06.03.2024;Возврат товаров от покупателя;Кабель;-1;-600,00\n",
                encoding_rs::WINDOWS_1251,
            ),
            (
                "التاريخ,العميل,الصنف,الكمية,المبلغ\n2024-03-05,شركة النور للتجارة,كابل نحاس,2,1200\n",
                encoding_rs::WINDOWS_1256,
            ),
            (
                "Fatura Tarihi;Cari Kodu;Cari Ünvanı;Stok Kodu;Miktar;Tutar\n05.03.2024;C001;Yıldız Ağ Sistemleri;S-01;2;1.200,00\n06.03.2024;C002;Işık Şirketi;S-02;1;300,00\n",
                encoding_rs::WINDOWS_1254,
            ),
        ];
        for &(text, encoding) in cases {
            assert_eq!(round_trip(text, encoding), text);
        }
    }

    #[test]
    fn a_utf8_file_with_a_row_pasted_from_windows_1252_stays_utf8() {
        let mut text = String::new();
        for i in 0..30 {
            text.push_str(&format!("{i},Société Générale Crème,Müller Straße,Ærø\n"));
        }
        let mut bytes = text.into_bytes();
        // One name in Windows-1252: `é` as the single byte 0xE9.
        bytes.extend_from_slice(b"31,Soci\xe9t\xe9 Anonyme,x,y\n");
        assert_eq!(encoding_of(&bytes), None);
    }

    #[test]
    fn western_central_european_and_nordic_text_is_not_taken_for_another_script() {
        // Icelandic in Windows-1252 writes `ð`, `þ` and `ý`, Turkish letters in Windows-1254,
        // beside its `á` and `æ`; Czech writes `ý` beside `á` and `í`; French and Spanish
        // accents never four in a row.
        let western = "Viðskiptavinur;Þjónusta;Upphæð\nGuðrún Þórsdóttir;Kýr og fé;1.200\nSjávarútvegur ehf;Síðumúli;300\nBókhald;Háskóli;Þýðing\n\
                       Société Générale;Crème brûlée;Niño Año\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(western);
        assert_eq!(encoding_of(&bytes), None);
        let czech = "Odběratel;Výrobek;Počet\nStavebniny Hořice;Dlažba;2\nNářadí Třebíč;Kýbl;1\nDům a zahrada;Vědro;3\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(czech);
        assert_eq!(encoding_of(&bytes), Some(encoding_rs::WINDOWS_1250));
    }
}
