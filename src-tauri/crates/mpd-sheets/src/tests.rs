//! Tests of the readers, the mapping and the writers, on fixtures built here in code: xlsx
//! written with rust_xlsxwriter, a hand-built ODS zip, CSV in each encoding and separator.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use mpd_domain::Column;
use rust_decimal_macros::dec;
use rust_xlsxwriter::{Format, Formula, Workbook};

use crate::cell::{Cell, SheetRow};
use crate::mapper::{Mapper, codes};
use crate::mapping::{self, Field};
use crate::source::{self, Format as Fmt};
use crate::values::{self, CodeKind};
use crate::{SheetError, export, template};

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

fn rows_of(path: &Path, sheet: Option<&str>) -> (crate::SourceInfo, Vec<SheetRow>, Vec<String>) {
    let mut s = source::open(path, sheet).unwrap();
    let rows: Vec<SheetRow> = s.by_ref().map(Result::unwrap).collect();
    (s.info().clone(), rows, s.end_notes().to_vec())
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Maps every data row after the header and returns them.
fn mapped(rows: &[SheetRow]) -> (Mapper, Vec<crate::MappedRow>, usize) {
    let h = mapping::find_header(rows).expect("header");
    let headers = mapping::headers_of(&rows[h]);
    let mapper = Mapper::new(mapping::propose(&headers));
    let out = rows[h + 1..].iter().map(|r| mapper.map(r)).collect();
    (mapper, out, rows[h].number)
}

#[test]
fn numbers_show_as_an_italian_spreadsheet_shows_them() {
    assert_eq!(Cell::Number(120.5).display(), "120,5");
    assert_eq!(Cell::Number(1234.56).display(), "1234,56");
    assert_eq!(Cell::Number(2026.0).display(), "2026");
    assert_eq!(Cell::Number(-0.25).display(), "-0,25");
    // A decimal typed in a text column reads as the clerk sees it.
    assert_eq!(values::text(&Cell::Number(1.5)), "1,5");
}

#[test]
fn amounts_never_carry_float_noise() {
    let a = values::amount(&Cell::Number(0.1 + 0.2)).unwrap();
    assert_eq!((a.value, a.rounded_from), (dec!(0.30), None));
    assert_eq!(a.tracciato(), "0.30");
    let a = values::amount(&Cell::Number(1234.56)).unwrap();
    assert_eq!(a.tracciato(), "1234.56");
    let a = values::amount(&Cell::Number(12.345)).unwrap();
    assert_eq!((a.value, a.rounded_from), (dec!(12.35), Some(dec!(12.345))));
    let a = values::amount(&Cell::Number(1e9 + 0.1)).unwrap();
    assert_eq!(a.tracciato(), "1000000000.10");
    for (text, want) in [
        ("1.234,56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("€ 12,00", "12.00"),
        ("12,00 €", "12.00"),
        ("1.234", "1234.00"),
    ] {
        assert_eq!(
            values::amount(&Cell::Text(text.into()))
                .unwrap()
                .tracciato(),
            want,
            "{text}"
        );
    }
    assert!(
        values::amount(&Cell::Text("12,345".into()))
            .unwrap_err()
            .contains("due decimali")
    );
    assert!(values::amount(&Cell::Text("dodici".into())).is_err());
    assert!(
        values::amount(&Cell::Date(d(2026, 1, 1)))
            .unwrap_err()
            .contains("data")
    );
}

#[test]
fn dates_as_clerks_write_them() {
    for (text, want) in [
        ("31/12/2026", d(2026, 12, 31)),
        ("1/2/27", d(2027, 2, 1)),
        ("2026-12-31", d(2026, 12, 31)),
        ("31.12.2026", d(2026, 12, 31)),
        ("31-12-2026", d(2026, 12, 31)),
        ("31/12/2026 00:00:00", d(2026, 12, 31)),
    ] {
        assert_eq!(values::date_text(text), Ok(want), "{text}");
    }
    assert!(
        values::date_text("31/02/2026")
            .unwrap_err()
            .contains("calendario")
    );
    assert!(values::date_text("domani").is_err());
    assert_eq!(values::excel_serial_date(45658.0), Some(d(2025, 1, 1)));
    assert_eq!(values::excel_serial_date(59.0), Some(d(1900, 2, 28)));
    assert_eq!(values::excel_serial_date(61.0), Some(d(1900, 3, 1)));
    assert_eq!(values::date(&Cell::Number(46387.0)), Ok(d(2026, 12, 31)));
    assert_eq!(values::excel_serial_date(-3.0), None);
}

#[test]
fn codes_arriving_as_numbers_are_repaired_or_refused() {
    let c = values::code(&Cell::Number(1100.0), CodeKind::Cap).unwrap();
    assert_eq!(c.text, "01100");
    assert!(c.warning.unwrap().contains("zeri iniziali"));
    let c = values::code(&Cell::Number(1234567890.0), CodeKind::CodiceFiscale).unwrap();
    assert_eq!(c.text, "01234567890");
    let e = values::code(&Cell::Number(120000000000012345.0), CodeKind::Other).unwrap_err();
    assert!(e.contains("15 cifre"), "{e}");
    assert!(values::code(&Cell::Number(12345678901234.0), CodeKind::Iuv).is_err());
    let c = values::code(
        &Cell::Text("\u{a0}rssmra80a01h501u\u{200b} ".into()),
        CodeKind::CodiceFiscale,
    )
    .unwrap();
    assert_eq!((c.text.as_str(), c.warning), ("RSSMRA80A01H501U", None));
}

#[test]
fn headers_by_synonym() {
    for (h, f) in [
        ("Codice fiscale", Field::Codice),
        ("CF", Field::Codice),
        ("C.F./P.IVA", Field::Codice),
        ("Cognome e nome", Field::Anagrafica),
        ("Ragione sociale", Field::Anagrafica),
        ("Importo", Field::Importo),
        ("Importo €", Field::Importo),
        ("Importo TARI 2027", Field::Importo),
        ("Scadenza", Field::Scadenza),
        ("Data scadenza", Field::Scadenza),
        ("Causale", Field::Causale),
        ("E-mail", Field::Email),
        ("Indirizzo", Field::Indirizzo),
        ("C.A.P.", Field::Cap),
        ("Comune", Field::Comune),
        ("Provincia", Field::Provincia),
        ("Località", Field::Comune),
        ("Amount", Field::Importo),
        ("Due date", Field::Scadenza),
        ("codiceIdentificativoUnivoco", Field::Codice),
    ] {
        assert_eq!(mapping::field_for_header(h).map(|x| x.0), Some(f), "{h}");
    }
    assert_eq!(mapping::field_for_header("Note interne"), None);
    let headers: Vec<String> = ["Cognome", "Nome", "CF", "Importo", "Note"]
        .map(String::from)
        .to_vec();
    let mut m = mapping::propose(&headers);
    assert_eq!(m.get(Field::Cognome).unwrap().colonna, 0);
    assert_eq!(m.get(Field::Nome).unwrap().colonna, 1);
    m.apply_override("causale=Note", &headers).unwrap();
    m.apply_override("importo=-", &headers).unwrap();
    m.apply_override("scadenza=F", &headers).unwrap();
    assert_eq!(m.get(Field::Causale).unwrap().colonna, 4);
    assert!(!m.has(Field::Importo));
    assert_eq!(m.get(Field::Scadenza).unwrap().colonna, 5);
    assert!(
        m.apply_override("importo=Inesistente", &headers)
            .unwrap_err()
            .contains("«Importo»")
    );
    assert!(
        m.apply_override("colore=A", &headers)
            .unwrap_err()
            .contains("sconosciuto")
    );
    assert_eq!(
        mapping::layout_key(&headers),
        "cognome|nome|cf|importo|note"
    );
}

/// A workbook as clerks make them: a title block, a header on row 4, a notes sheet first, a hidden one,
/// every kind of cell.
fn clerk_xlsx(path: &Path) {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("Note").unwrap();
    notes.write_string(0, 0, "Appunti dell'ufficio").unwrap();
    // Excel never hides the first (active) sheet, so the hidden one comes second.
    let hidden = wb.add_worksheet();
    hidden.set_name("Appoggio").unwrap();
    hidden.write_string(0, 0, "Codice fiscale").unwrap();
    hidden.write_string(0, 1, "Importo").unwrap();
    hidden.set_hidden(true);
    let ws = wb.add_worksheet();
    ws.set_name("Ruolo TARI").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    ws.merge_range(
        0,
        0,
        0,
        5,
        "Comune di Esempio - Ruolo TARI 2027",
        &Format::new(),
    )
    .unwrap();
    ws.write_string(1, 0, "Elenco al 15/11/2026").unwrap();
    for (c, h) in [
        "Cognome",
        "Nome",
        "C.F./P.IVA",
        "Importo €",
        "Scadenza",
        "CAP",
        "Comune",
        "IUV",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    // Row 5: text everywhere, NBSP and zero-width in the CF, a date cell.
    ws.write_string(4, 0, "Rossi").unwrap();
    ws.write_string(4, 1, "Mario").unwrap();
    ws.write_string(4, 2, "\u{a0}RSSMRA80A01H501U\u{200b}")
        .unwrap();
    ws.write_string(4, 3, "1.234,56").unwrap();
    ws.write_date_with_format(4, 4, d(2027, 3, 31), &date)
        .unwrap();
    ws.write_string(4, 5, "20121").unwrap();
    ws.write_string(4, 6, "Milano").unwrap();
    // Row 6: numbers (an amount from a formula with its cached value, a CAP that lost its
    // zero, a serial date), the surname merged down from row 5… no: its own.
    ws.write_string(5, 0, "Bianchi").unwrap();
    ws.write_string(5, 1, "   ").unwrap();
    ws.write_number(5, 2, 2342520158.0).unwrap();
    ws.write_formula(
        5,
        3,
        Formula::new("=0.1+0.2").set_result("0.30000000000000004"),
    )
    .unwrap();
    ws.write_number(5, 4, 46387.0).unwrap();
    ws.write_number(5, 5, 1100.0).unwrap();
    ws.write_string(5, 6, "Viterbo").unwrap();
    // Row 7 is empty; row 8: bad values, an IUV as a number, a text date two-digit year.
    ws.write_string(7, 0, "Verdi").unwrap();
    ws.write_string(7, 1, "Anna").unwrap();
    ws.write_string(7, 2, "VRDNNA70A41F205X").unwrap();
    ws.write_number(7, 3, 12.345).unwrap();
    ws.write_string(7, 4, "1/2/27").unwrap();
    ws.write_number(7, 7, 120000000000012345.0).unwrap();
    // Rows 9–10: the comune merged over two rows.
    ws.write_string(8, 0, "Neri").unwrap();
    ws.write_string(8, 2, "NRENRE80A01F205X").unwrap();
    ws.write_string(8, 3, "dieci").unwrap();
    ws.merge_range(8, 6, 9, 6, "Como", &Format::new()).unwrap();
    ws.write_string(9, 0, "Gialli").unwrap();
    ws.write_string(9, 2, "GLLGLL80A01F205X").unwrap();
    ws.write_number(9, 3, 5.0).unwrap();
    // Something far to the right is ignored, not allocated.
    ws.write_string(9, 16383, "lontano").unwrap();
    wb.save(path).unwrap();
}

#[test]
fn xlsx_of_a_clerk_is_read_value_by_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ruolo.xlsx");
    clerk_xlsx(&path);
    let (info, rows, notes) = rows_of(&path, None);
    assert_eq!(info.formato, Fmt::Xlsx);
    assert_eq!(
        info.foglio, "Ruolo TARI",
        "the sheet that looks like a list, not the first one"
    );
    assert!(
        info.fogli
            .iter()
            .any(|s| s.nome == "Appoggio" && s.nascosto)
    );
    assert!(
        info.note
            .iter()
            .any(|n| n.contains("va indicato il foglio")),
        "{:?}",
        info.note
    );
    assert!(
        info.note
            .iter()
            .any(|n| n.contains("nascosti") && n.contains("Appoggio")),
        "{:?}",
        info.note
    );
    let numbers: Vec<usize> = rows.iter().map(|r| r.number).collect();
    assert_eq!(
        numbers,
        vec![1, 2, 4, 5, 6, 8, 9, 10],
        "blank rows skipped, numbers as in Excel"
    );
    assert!(rows.iter().all(|r| r.cells.len() <= source::MAX_COLUMNS));
    assert!(
        notes
            .iter()
            .any(|n| n.contains("formule") && n.contains("D6")),
        "{notes:?}"
    );
    assert!(notes.iter().any(|n| n.contains("celle unite")), "{notes:?}");
    assert!(
        notes.iter().any(|n| n.contains("colonne dopo")),
        "{notes:?}"
    );

    let (mapper, out, header) = mapped(&rows);
    assert_eq!(header, 4);
    let m = mapper.mapping();
    assert_eq!(m.header_of(Field::Codice), Some("C.F./P.IVA"));
    assert_eq!(m.header_of(Field::Importo), Some("Importo €"));
    assert_eq!(
        mapper
            .header_for(Column::AnagraficaPagatore, None)
            .as_deref(),
        Some("Cognome + Nome")
    );
    let get = |i: usize, c: Column| out[i].row.get(c).to_string();
    assert_eq!(
        out.iter().map(|r| r.number).collect::<Vec<_>>(),
        vec![5, 6, 8, 9, 10]
    );
    // Row 5.
    assert_eq!(get(0, Column::AnagraficaPagatore), "Rossi Mario");
    assert_eq!(
        get(0, Column::CodiceIdentificativoUnivoco),
        "RSSMRA80A01H501U"
    );
    assert_eq!(get(0, Column::ImportoDovuto), "1234.56");
    assert_eq!(get(0, Column::DataScadenzaPagamento), "2027-03-31");
    assert_eq!(get(0, Column::CapPagatore), "20121");
    assert!(out[0].problems.is_empty(), "{:?}", out[0].problems);
    // Row 6.
    assert_eq!(get(1, Column::AnagraficaPagatore), "Bianchi");
    assert_eq!(get(1, Column::CodiceIdentificativoUnivoco), "02342520158");
    assert_eq!(get(1, Column::ImportoDovuto), "0.30");
    assert_eq!(get(1, Column::DataScadenzaPagamento), "2026-12-31");
    assert_eq!(get(1, Column::CapPagatore), "01100");
    let codes1: Vec<&str> = out[1].problems.iter().map(|p| p.code).collect();
    assert_eq!(codes1, vec![codes::CODICE_NUMERICO, codes::CODICE_NUMERICO]);
    assert!(out[1].problems.iter().all(|p| !p.error));
    // Row 8.
    assert_eq!(get(2, Column::ImportoDovuto), "12.35");
    assert_eq!(get(2, Column::DataScadenzaPagamento), "2027-02-01");
    let p8: Vec<(&str, bool)> = out[2].problems.iter().map(|p| (p.code, p.error)).collect();
    assert_eq!(
        p8,
        vec![(codes::IMPORTO_ARROTONDATO, false), (codes::CODICE, true)]
    );
    assert_eq!(
        mapper.original(&rows[5], Column::CodIuv, None).as_deref(),
        Some("120000000000012350")
    );
    // Row 9: a bad amount; the merged comune is repeated on row 10.
    assert_eq!(out[3].problems[0].code, codes::IMPORTO);
    assert_eq!(get(3, Column::LocalitaPagatore), "Como");
    assert_eq!(get(4, Column::LocalitaPagatore), "Como");
    assert_eq!(get(4, Column::ImportoDovuto), "5.00");
}

#[test]
fn a_sheet_asked_by_name_even_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ruolo.xlsx");
    clerk_xlsx(&path);
    let (info, rows, _) = rows_of(&path, Some("appoggio"));
    assert_eq!(info.foglio, "Appoggio");
    assert_eq!(rows.len(), 1);
    match source::open(&path, Some("Altro")) {
        Err(SheetError::NoSuchSheet { available, .. }) => {
            assert!(available.contains("«Ruolo TARI»"))
        }
        other => panic!("{:?}", other.map(|s| s.info().clone())),
    }
}

fn ods_bytes() -> Vec<u8> {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet>
<table:table table:name="Mensa">
<table:table-row><table:table-cell office:value-type="string"><text:p>Servizio mensa 2027</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Codice fiscale</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Nominativo</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Importo</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Data scadenza</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>RSSMRA80A01H501U</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Rossi Mario</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="45.1"><text:p>45,10</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="2027-01-31"><text:p>31/01/2027</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="4"/></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>02342520158</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Ditta Srl</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>€ 1.000,00</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>28/02/27</text:p></table:table-cell></table:table-row>
</table:table>
</office:spreadsheet></office:body></office:document-content>"#;
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("mimetype", stored).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        let deflated = zip::write::SimpleFileOptions::default();
        z.start_file("META-INF/manifest.xml", deflated).unwrap();
        z.write_all(manifest.as_bytes()).unwrap();
        z.start_file("content.xml", deflated).unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn ods_is_read_value_by_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "mensa.ods", &ods_bytes());
    let (info, rows, _) = rows_of(&path, None);
    assert_eq!((info.formato, info.foglio.as_str()), (Fmt::Ods, "Mensa"));
    assert_eq!(
        rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        vec![1, 2, 3, 6]
    );
    let (_, out, header) = mapped(&rows);
    assert_eq!(header, 2);
    let r = &out[0].row;
    assert_eq!(
        [
            r.get(Column::CodiceIdentificativoUnivoco),
            r.get(Column::AnagraficaPagatore),
            r.get(Column::ImportoDovuto),
            r.get(Column::DataScadenzaPagamento)
        ],
        ["RSSMRA80A01H501U", "Rossi Mario", "45.10", "2027-01-31"]
    );
    let r = &out[1].row;
    assert_eq!(
        [
            r.get(Column::CodiceIdentificativoUnivoco),
            r.get(Column::ImportoDovuto),
            r.get(Column::DataScadenzaPagamento)
        ],
        ["02342520158", "1000.00", "2027-02-28"]
    );
    assert_eq!(out[1].number, 6);
}

#[test]
fn csv_in_every_encoding_and_separator() {
    let dir = tempfile::tempdir().unwrap();
    // UTF-8 with BOM and `;`, a title line, Italian numbers.
    let a = "\u{feff}Ruolo mensa;;\nCodice fiscale;Cognome e nome;Importo;Scadenza\nRSSMRA80A01H501U;Rossi Màrio;1.234,56;31/12/2026\n";
    // UTF-8 without BOM and `,`, a quoted field with a comma and a line break.
    let b = "CF,Nominativo,Importo,Scadenza\nRSSMRA80A01H501U,\"Rossi, Mario\nscala B\",\"1234.56\",2026-12-31\n02342520158,Ditta,5,1/1/27\n";
    // Windows-1252 with tabs: `à` is 0xE0 and `€` 0x80.
    let mut c = b"CF\tCognome e nome\tImporto \x80\tScadenza\r\n".to_vec();
    c.extend_from_slice(b"RSSMRA80A01H501U\tNicol\xe0 Rossi\t\x80 12,00\t31/12/2026\r\n");
    let cases: Vec<(&str, Vec<u8>, &str, &str, u8)> = vec![
        ("a.csv", a.as_bytes().to_vec(), "UTF-8", "Rossi Màrio", b';'),
        (
            "b.csv",
            b.as_bytes().to_vec(),
            "UTF-8",
            "Rossi, Mario scala B",
            b',',
        ),
        ("c.txt", c, "windows-1252", "Nicolà Rossi", b'\t'),
    ];
    for (name, bytes, enc, nome, sep) in cases {
        let path = write(dir.path(), name, &bytes);
        let (info, rows, notes) = rows_of(&path, None);
        assert_eq!(info.codifica.as_deref(), Some(enc), "{name}");
        let sep_name = crate::csv_text::TextLayout {
            encoding: encoding_rs::UTF_8,
            delimiter: sep,
        }
        .delimiter_name();
        assert_eq!(info.separatore.as_deref(), Some(sep_name), "{name}");
        assert!(notes.is_empty(), "{name}: {notes:?}");
        let (_, out, _) = mapped(&rows);
        assert_eq!(out[0].row.get(Column::AnagraficaPagatore), nome, "{name}");
        assert_eq!(
            out[0].row.get(Column::CodiceIdentificativoUnivoco),
            "RSSMRA80A01H501U",
            "{name}"
        );
        assert!(out[0].problems.is_empty(), "{name}: {:?}", out[0].problems);
    }
    // Values and row numbers of the multi-line CSV: the ditta is on the clerk's row 3.
    let (_, rows, _) = rows_of(&dir.path().join("b.csv"), None);
    let (_, out, _) = mapped(&rows);
    assert_eq!(out.iter().map(|r| r.number).collect::<Vec<_>>(), vec![2, 3]);
    assert_eq!(out[0].row.get(Column::ImportoDovuto), "1234.56");
    assert_eq!(out[1].row.get(Column::ImportoDovuto), "5.00");
    assert_eq!(out[1].row.get(Column::DataScadenzaPagamento), "2027-01-01");
    let (_, rows, _) = rows_of(&dir.path().join("c.txt"), None);
    let (_, out, _) = mapped(&rows);
    assert_eq!(out[0].row.get(Column::ImportoDovuto), "12.00");
    let (_, rows, _) = rows_of(&dir.path().join("a.csv"), None);
    let (_, out, h) = mapped(&rows);
    assert_eq!((h, out[0].number), (2, 3));
    assert_eq!(out[0].row.get(Column::ImportoDovuto), "1234.56");
    assert_eq!(out[0].row.get(Column::DataScadenzaPagamento), "2026-12-31");
}

#[test]
fn hostile_files_give_italian_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    // A .xlsx that is really a CSV is read as one, and the clerk is told.
    let p = write(
        dir.path(),
        "finto.xlsx",
        b"CF;Importo\nRSSMRA80A01H501U;10\n",
    );
    let (info, rows, _) = rows_of(&p, None);
    assert_eq!(info.formato, Fmt::Csv);
    assert!(info.note[0].contains(".xlsx"), "{:?}", info.note);
    assert_eq!(rows.len(), 2);
    // Broken or foreign content.
    let mut broken = b"PK\x03\x04".to_vec();
    broken.extend_from_slice(&[0u8; 100]);
    for (name, bytes) in [
        ("rotto.xlsx", broken),
        ("vuoto.xlsx", Vec::new()),
        ("doc.xlsx", b"%PDF-1.4 ...".to_vec()),
        ("ole.xls", {
            let mut v = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
            v.extend_from_slice(&[0u8; 600]);
            v
        }),
        ("bin.csv", vec![0u8, 1, 2, 3, 0, 0, 7]),
    ] {
        let path = write(dir.path(), name, &bytes);
        let err = match source::open(&path, None) {
            Err(e) => e.to_string(),
            Ok(mut s) => match s.next() {
                Some(Err(e)) => e.to_string(),
                other => panic!("{name}: {other:?}"),
            },
        };
        assert!(err.contains(name), "{name}: {err}");
        assert!(
            err.contains("vuoto") || err.contains("non si riesce") || err.contains("protetto"),
            "{name}: {err}"
        );
    }
}

#[test]
fn template_reads_back_with_every_field_mapped_and_no_cell_problem() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("modello.xlsx");
    let tipi = vec![template::TemplateTipo {
        codice: "TARI".into(),
        descrizione: "Tassa rifiuti".into(),
    }];
    template::write_template(&path, &tipi, d(2027, 3, 31)).unwrap();
    let (info, rows, _) = rows_of(&path, None);
    assert_eq!(info.foglio, "Dovuti");
    let (mapper, out, header) = mapped(&rows);
    assert_eq!(header, 1);
    let m = mapper.mapping();
    assert_eq!(m.colonne.len(), template::COLUMNS.len(), "{m:?}");
    assert_eq!(out.len(), 1);
    assert!(out[0].problems.is_empty(), "{:?}", out[0].problems);
    let r = &out[0].row;
    // The wide shape: the rata unica and three instalments, each with its due date.
    assert_eq!(mapper.forma(), mapping::Forma::Larga);
    let opzioni: Vec<(u8, &str, &str)> = out[0]
        .opzioni
        .iter()
        .map(|o| (o.rata.numero(), o.importo.as_str(), o.scadenza.as_str()))
        .collect();
    assert_eq!(
        opzioni,
        [
            (0, "120.50", "2027-03-31"),
            (1, "40.00", "2027-03-31"),
            (2, "40.00", "2027-05-31"),
            (3, "40.50", "2027-07-31"),
        ]
    );
    assert_eq!(r.get(Column::TipoDovuto), "TARI");
    assert_eq!(r.get(Column::TipoIdentificativoUnivoco), "F");
    assert_eq!(r.get(Column::CapPagatore), "20121");
}

#[test]
fn export_neutralises_formulas() {
    use export::ExportValue as V;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.xlsx");
    let names = [
        "=HYPERLINK(\"http://x\",\"clic\")",
        "+39 333",
        "-1",
        "@SUM(A1)",
        "Rossi Mario",
    ];
    let rows = names.iter().map(|n| {
        vec![
            V::Text(n.to_string()),
            V::Cents(12050),
            V::Date(Some(d(2027, 3, 31))),
        ]
    });
    let n =
        export::write_export(&path, &["Cognome e nome", "Importo €", "Scadenza"], rows).unwrap();
    assert_eq!(n, 5);
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let formulas = wb.worksheet_formula("Dovuti").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula in the export"
    );
    let (_, rows, _) = rows_of(&path, None);
    let got: Vec<String> = rows[1..].iter().map(|r| r.get(0).display()).collect();
    assert_eq!(
        got,
        [
            "'=HYPERLINK(\"http://x\",\"clic\")",
            "'+39 333",
            "'-1",
            "'@SUM(A1)",
            "Rossi Mario"
        ]
    );
    assert_eq!(rows[1].get(1), &Cell::Number(120.5));
    assert_eq!(rows[1].get(2), &Cell::Date(d(2027, 3, 31)));
}

/// Issue 13 item 19: a sheet with a total row (the receipts' workbook) is named as asked, has
/// an autofilter over its header and rows, and adds up each amount column under the rows
/// with SUBTOTAL (which follows the filter), its value stored for programs that compute none.
#[test]
fn a_sheet_with_a_total_row_has_a_filter_and_adds_up_the_amounts() {
    use export::ExportValue as V;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ricevute.xlsx");
    let rows = [("A", 1250), ("B", 100)].map(|(n, c)| {
        vec![
            V::Text(n.into()),
            V::Cents(c),
            V::Date(Some(d(2027, 3, 31))),
        ]
    });
    let sheet = export::Sheet {
        name: "Ricevute",
        too_many: "ricevute non stanno in un foglio Excel",
        total_row: true,
    };
    let n = export::write_sheet(&path, &sheet, &["IUV", "Importo", "Data"], rows).unwrap();
    assert_eq!(n, 2);
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(wb.sheet_names(), ["Ricevute"]);
    let range = wb.worksheet_range("Ricevute").unwrap();
    assert_eq!(
        range.get_value((3, 0)),
        Some(&calamine::Data::String("Totale".into()))
    );
    assert_eq!(range.get_value((3, 1)), Some(&calamine::Data::Float(13.5)));
    let formulas = wb.worksheet_formula("Ricevute").unwrap();
    assert_eq!(
        formulas.get_value((3, 1)).map(String::as_str),
        Some("SUBTOTAL(109,B2:B3)")
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(xml.contains(r#"<autoFilter ref="A1:C3"/>"#), "{xml}");
}

/// Issue 13 item 2: a column headed "N." became every payer's house number.
#[test]
fn a_bare_number_header_is_never_the_house_number() {
    for h in ["N.", "Nr.", "Num.", "N°", "#", "n"] {
        let headers = vec![h.to_string(), "Codice fiscale".into(), "Importo".into()];
        let m = mapping::propose(&headers);
        assert!(!m.has(Field::Civico), "«{h}» mapped to civico");
    }
    for h in ["N. civico", "N° civico", "Numero civico", "Civico"] {
        let m = mapping::propose(&[h.to_string()]);
        assert!(m.has(Field::Civico), "«{h}» not mapped to civico");
    }
}

#[test]
fn a_column_running_1_2_3_is_a_row_counter_and_is_left_out() {
    let row = |n: usize, cells: Vec<Cell>| SheetRow { number: n, cells };
    let headers: Vec<String> = ["Civico", "Codice fiscale", "Importo"]
        .map(String::from)
        .to_vec();
    let mut m = mapping::propose(&headers);
    assert!(m.has(Field::Civico));
    let rows: Vec<SheetRow> = (1..=4)
        .map(|i| {
            row(
                i + 1,
                vec![
                    Cell::Number(i as f64),
                    Cell::text("RSSMRA80A01H501U"),
                    Cell::Number(10.0),
                ],
            )
        })
        .chain([row(
            6,
            vec![Cell::Empty, Cell::text("Totale"), Cell::Number(40.0)],
        )])
        .collect();
    let left = mapping::drop_row_counters(&mut m, &rows);
    assert!(!m.has(Field::Civico), "{m:?}");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].lettera, "A");
    assert!(
        left[0].motivo.contains("numera le righe"),
        "{}",
        left[0].motivo
    );
    // Real house numbers, or a counter seen on too few rows, stay.
    let civici = |v: [f64; 3]| -> Vec<SheetRow> {
        v.iter()
            .enumerate()
            .map(|(i, x)| row(i + 2, vec![Cell::Number(*x)]))
            .collect()
    };
    assert!(!mapping::is_row_counter(&civici([12.0, 3.0, 40.0]), 0));
    assert!(!mapping::is_row_counter(&civici([1.0, 2.0, 2.0]), 0));
    assert!(mapping::is_row_counter(&civici([7.0, 8.0, 9.0]), 0));
    assert!(!mapping::is_row_counter(&civici([1.0, 2.0, 3.0])[..2], 0));
}

#[test]
fn an_unmapped_column_running_1_2_3_is_named_with_its_reason() {
    // «N.» is no field's synonym: unmapped, and the preview says it numbers the rows. A column
    // of other numbers, or a mapped one, is not named.
    let headers: Vec<String> = ["N.", "Codice fiscale", "Importo", "Anno"]
        .map(String::from)
        .to_vec();
    let m = mapping::propose(&headers);
    assert!(!m.colonne.iter().any(|c| c.colonna == 0), "{m:?}");
    let rows: Vec<SheetRow> = (1..=4)
        .map(|i| SheetRow {
            number: i + 3,
            cells: vec![
                Cell::Number(i as f64),
                Cell::text("RSSMRA80A01H501U"),
                Cell::Number(i as f64),
                Cell::Number(2027.0),
            ],
        })
        .collect();
    let left = mapping::unmapped_row_counters(&m, &headers, &rows);
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].lettera, "A");
    assert_eq!(left[0].intestazione, "N.");
    assert!(
        left[0].motivo.contains("numera le righe"),
        "{}",
        left[0].motivo
    );
}

#[test]
fn an_amount_column_running_1_2_3_stays_mapped() {
    // Only the house number and the IUD are mistaken for a row counter.
    let mut m = mapping::propose(&["Importo".to_string()]);
    let importi: Vec<SheetRow> = (1..=4)
        .map(|i| SheetRow {
            number: i + 1,
            cells: vec![Cell::Number(i as f64)],
        })
        .collect();
    assert!(mapping::drop_row_counters(&mut m, &importi).is_empty());
    assert!(m.has(Field::Importo));
}

/// Issue 13 items 17-18: a workbook that cannot be written tells the clerk why in Italian (with
/// its numbers grouped), the spreadsheet library's words stay out of the message.
#[test]
fn write_errors_show_the_reason_not_the_library() {
    let e = crate::SheetError::Write {
        path: "/dati/dovuti.xlsx".into(),
        detail:
            "più di 1.048.574 dovuti non stanno in un foglio Excel: esportarne meno, filtrandoli"
                .into(),
        causa: String::new(),
    };
    assert!(e.to_string().contains("più di 1.048.574 dovuti"), "{e}");
    let e = crate::SheetError::Write {
        path: "/dati/dovuti.xlsx".into(),
        detail: "controlli che il file non sia aperto in un altro programma".into(),
        causa: "IoError(Os { code: 13, kind: PermissionDenied })".into(),
    };
    let m = e.to_string();
    assert!(
        m.contains("/dati/dovuti.xlsx") && m.contains("controlli"),
        "{m}"
    );
    assert!(
        !m.contains("IoError") && !m.contains("PermissionDenied"),
        "{m}"
    );
    assert!(
        format!("{e:?}").contains("PermissionDenied"),
        "the log keeps the cause"
    );
}

/// The wide shape's headers, with the usual ways of writing them, each to its option's amount
/// or due date; the plain «Importo»/«Scadenza» and the long shape's columns stay what they were.
#[test]
fn instalment_headers_name_each_option() {
    let cases: &[(&str, Field)] = &[
        ("Importo rata unica", Field::ImportoRata(0)),
        ("Importo rata unica €", Field::ImportoRata(0)),
        ("Rata unica", Field::ImportoRata(0)),
        ("Unica soluzione", Field::ImportoRata(0)),
        ("Importo unica soluzione", Field::ImportoRata(0)),
        ("Importo in unica soluzione (€)", Field::ImportoRata(0)),
        ("Scadenza rata unica", Field::ScadenzaRata(0)),
        ("Scadenza unica soluzione", Field::ScadenzaRata(0)),
        ("Importo rata 1", Field::ImportoRata(1)),
        ("Rata 1", Field::ImportoRata(1)),
        ("1ª rata", Field::ImportoRata(1)),
        ("1a rata", Field::ImportoRata(1)),
        ("1° rata", Field::ImportoRata(1)),
        ("Prima rata", Field::ImportoRata(1)),
        ("Importo 1ª rata", Field::ImportoRata(1)),
        ("Importo 2a rata €", Field::ImportoRata(2)),
        ("Rata n. 3", Field::ImportoRata(3)),
        ("Importo rata 12", Field::ImportoRata(12)),
        ("Scadenza rata 1", Field::ScadenzaRata(1)),
        ("Scadenza 1ª rata", Field::ScadenzaRata(1)),
        ("Data scadenza 2ª rata", Field::ScadenzaRata(2)),
        ("Scadenza terza rata", Field::ScadenzaRata(3)),
        ("Scadenza rata 4", Field::ScadenzaRata(4)),
        // The long shape.
        ("Codice avviso", Field::Posizione),
        ("Posizione", Field::Posizione),
        ("Codice posizione", Field::Posizione),
        ("Rata", Field::Rata),
        ("Numero rata", Field::Rata),
        ("N. rata", Field::Rata),
        // Not options.
        ("Importo", Field::Importo),
        ("Importo TARI 2027", Field::Importo),
        ("Scadenza", Field::Scadenza),
        ("Data scadenza", Field::Scadenza),
    ];
    for (h, f) in cases {
        assert_eq!(
            mapping::field_for_header(h).map(|(f, _)| f),
            Some(*f),
            "«{h}»"
        );
    }
    // Past the twelfth instalment nothing is an option's amount.
    assert_ne!(
        mapping::field_for_header("Importo rata 13").map(|(f, _)| f),
        Some(Field::ImportoRata(13))
    );
    // Keys round-trip (the `campo=colonna` of an override).
    for f in Field::ALL {
        assert_eq!(Field::from_key(f.key()), Some(f), "{}", f.key());
    }
}

/// A wide roll: the shared columns once, each option's amount and due date from its columns;
/// the plain «Importo» is the rata unica's when the sheet has no column of its own for it.
#[test]
fn a_wide_row_gives_its_options_and_a_long_sheet_its_position_and_number() {
    let row = |n: usize, cells: &[&str]| SheetRow {
        number: n,
        cells: cells
            .iter()
            .map(|c| {
                if c.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(c.to_string())
                }
            })
            .collect(),
    };
    let rows = vec![
        row(
            1,
            &[
                "Codice fiscale",
                "Nominativo",
                "Totale",
                "Scadenza",
                "1ª rata",
                "Scadenza 1ª rata",
                "2ª rata",
                "Scadenza 2ª rata",
            ],
        ),
        row(
            2,
            &[
                "RSSMRA80A01H501U",
                "Rossi Mario",
                "100,00",
                "16/05/2027",
                "50,00",
                "16/05/2027",
                "cinquanta",
                "16/09/2027",
            ],
        ),
        row(
            3,
            &["RSSMRA80A01H501U", "Rossi Mario", "80,00", "16/05/2027"],
        ),
    ];
    let (mapper, out, _) = mapped(&rows);
    assert_eq!(mapper.forma(), mapping::Forma::Larga);
    let o = &out[0].opzioni;
    assert_eq!(o.len(), 3, "{o:?}");
    assert_eq!((o[0].rata.numero(), o[0].importo.as_str()), (0, "100.00"));
    assert_eq!(o[0].scadenza, "2027-05-16");
    assert_eq!(
        (o[1].importo.as_str(), o[1].scadenza.as_str()),
        ("50.00", "2027-05-16")
    );
    // A cell that cannot be read is its option's problem, named by its own column.
    assert_eq!(o[2].problems.len(), 1);
    assert_eq!(o[2].problems[0].field, Field::ImportoRata(2));
    assert_eq!(
        mapper.header_for(
            Column::ImportoDovuto,
            mpd_domain::posizione::Rata::da_numero(2)
        ),
        Some("2ª rata".to_string())
    );
    assert_eq!(
        mapper.header_for(
            Column::ImportoDovuto,
            mpd_domain::posizione::Rata::da_numero(0)
        ),
        Some("Totale".to_string())
    );
    assert!(out[0].row.get(Column::ImportoDovuto).is_empty());
    // A row with no instalment: its rata unica alone.
    assert_eq!(out[1].opzioni.len(), 1);

    let rows = vec![
        row(
            1,
            &[
                "Codice avviso",
                "N. rata",
                "Codice fiscale",
                "Importo",
                "Scadenza",
            ],
        ),
        row(2, &["AV-1", "U", "RSSMRA80A01H501U", "100", "16/05/2027"]),
        row(3, &["AV-1", "1ª", "RSSMRA80A01H501U", "50", "16/05/2027"]),
        row(4, &["AV-1", "13", "RSSMRA80A01H501U", "50", "16/09/2027"]),
    ];
    let (mapper, out, _) = mapped(&rows);
    assert_eq!(mapper.forma(), mapping::Forma::Lunga);
    assert_eq!(out[0].posizione, "AV-1");
    assert_eq!(out[0].rata, Some(mpd_domain::posizione::Rata::Unica));
    assert_eq!(out[1].rata, Some(mpd_domain::posizione::Rata::N(1)));
    assert!(out[0].opzioni.is_empty());
    assert_eq!(out[0].row.get(Column::ImportoDovuto), "100.00");
    assert_eq!(out[2].rata, None);
    assert_eq!(out[2].problems[0].code, codes::RATA);
}
