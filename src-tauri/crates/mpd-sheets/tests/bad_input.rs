//! The issue's "bad input" list, each fixture built here in code: password-protected workbooks
//! (an encrypted OOXML package is an OLE container with `EncryptionInfo`), a BIFF8 `.xls`
//! written record by record, corrupt workbooks, a `.xlsx` that is a CSV, merged cells and
//! formulas in `.xlsx`, `.xls` and `.ods`, full-height and full-width sheets, hidden sheets,
//! and codici fiscali with spaces, non-breaking spaces and zero-width characters.
//! Every parsed value is asserted exactly.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use mpd_domain::Column;
use mpd_sheets::mapper::{Mapper, codes};
use mpd_sheets::source::{self, MAX_COLUMNS};
use mpd_sheets::{Cell, Format, MappedRow, SheetError, SheetRow, SourceInfo, mapping};
use rust_xlsxwriter::{Formula, Workbook};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn read_all(path: &Path, sheet: Option<&str>) -> (SourceInfo, Vec<SheetRow>, Vec<String>) {
    let mut s = source::open(path, sheet).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rows: Vec<SheetRow> = s.by_ref().map(Result::unwrap).collect();
    (s.info().clone(), rows, s.end_notes().to_vec())
}

/// The error of a file that cannot be read, whether at opening or at the first row.
fn failure(path: &Path) -> SheetError {
    match source::open(path, None) {
        Err(e) => e,
        Ok(mut s) => match s.find_map(Result::err) {
            Some(e) => e,
            None => panic!("{} was read without error", path.display()),
        },
    }
}

fn mapped(rows: &[SheetRow]) -> (Mapper, Vec<MappedRow>) {
    let h = mapping::find_header(rows).expect("header");
    let mapper = Mapper::new(mapping::propose(&mapping::headers_of(&rows[h])));
    let out = rows[h + 1..].iter().map(|r| mapper.map(r)).collect();
    (mapper, out)
}

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

// ---------------------------------------------------------------------------------------------
// OLE containers and BIFF8

/// An OLE (CFB) file with the given streams.
fn ole(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut c = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    for (name, bytes) in streams {
        if let Some((dir, _)) = name.rsplit_once('/') {
            c.create_storage_all(format!("/{dir}")).unwrap();
        }
        let mut s = c.create_stream(format!("/{name}")).unwrap();
        s.write_all(bytes).unwrap();
    }
    c.flush().unwrap();
    c.into_inner().into_inner()
}

/// What Excel writes for "Encrypt with password": the package encrypted inside an OLE file
/// (MS-OFFCRYPTO: `EncryptionInfo`, `EncryptedPackage`, `\u{6}DataSpaces`).
fn encrypted_ooxml() -> Vec<u8> {
    // Agile encryption header: version 4.4, flags 0x40, then the XML descriptor.
    let mut info = vec![4, 0, 4, 0, 0x40, 0, 0, 0];
    info.extend_from_slice(
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>"#,
    );
    let mut package = 4096u64.to_le_bytes().to_vec();
    package.extend(std::iter::repeat_n(0x5a, 4096));
    ole(&[
        ("EncryptionInfo", &info),
        ("EncryptedPackage", &package),
        ("\u{6}DataSpaces/Version", b"\x3c\x00\x00\x00"),
    ])
}

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

fn bof(dt: u16) -> Vec<u8> {
    let mut v = 0x0600u16.to_le_bytes().to_vec();
    v.extend_from_slice(&dt.to_le_bytes());
    v.extend_from_slice(&[0; 12]);
    v
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// A cell of the BIFF8 sheets below.
enum X {
    S(&'static str),
    N(f64),
    /// A number shown as a date (XF 1, built-in format 14).
    D(f64),
    /// A formula `=0.1+0.2` whose cached value is the given number.
    F(f64),
}

struct XlsSheet {
    name: &'static str,
    hidden: bool,
    cells: Vec<(u16, u16, X)>,
    merges: Vec<(u16, u16, u16, u16)>,
}

/// A BIFF8 workbook (what Excel 97–2003 saves as `.xls`), written record by record into an
/// OLE `Workbook` stream. `file_pass` adds the FilePass record of a password-protected file.
fn biff8(sheets: &[XlsSheet], file_pass: bool) -> Vec<u8> {
    let mut strings: Vec<&str> = Vec::new();
    for s in sheets {
        for (_, _, c) in &s.cells {
            if let X::S(t) = c
                && !strings.contains(t)
            {
                strings.push(t);
            }
        }
    }
    let globals = |offsets: &[u32]| {
        let mut g = Vec::new();
        record(&mut g, 0x0809, &bof(0x0005));
        if file_pass {
            // FilePass: RC4 CryptoAPI (wEncryptionType 1) with a dummy header.
            let mut fp = vec![1, 0, 2, 0, 2, 0];
            fp.extend_from_slice(&[0; 48]);
            record(&mut g, 0x002F, &fp);
        }
        record(&mut g, 0x0042, &1200u16.to_le_bytes());
        // XF 0: General; XF 1: built-in date format 14.
        for ifmt in [0u16, 14] {
            let mut xf = 0u16.to_le_bytes().to_vec();
            xf.extend_from_slice(&ifmt.to_le_bytes());
            xf.extend_from_slice(&[0; 16]);
            record(&mut g, 0x00E0, &xf);
        }
        for (s, off) in sheets.iter().zip(offsets) {
            let mut b = off.to_le_bytes().to_vec();
            b.push(u8::from(s.hidden));
            b.push(0);
            b.push(s.name.len() as u8);
            b.push(0);
            b.extend_from_slice(s.name.as_bytes());
            record(&mut g, 0x0085, &b);
        }
        let mut sst = (strings.len() as u32).to_le_bytes().to_vec();
        sst.extend_from_slice(&(strings.len() as u32).to_le_bytes());
        for s in &strings {
            sst.extend_from_slice(&(s.encode_utf16().count() as u16).to_le_bytes());
            sst.push(1);
            sst.extend_from_slice(&utf16(s));
        }
        record(&mut g, 0x00FC, &sst);
        record(&mut g, 0x000A, &[]);
        g
    };
    let bodies: Vec<Vec<u8>> = sheets
        .iter()
        .map(|s| {
            let mut b = Vec::new();
            record(&mut b, 0x0809, &bof(0x0010));
            let rows = s.cells.iter().map(|c| c.0 as u32 + 1).max().unwrap_or(0);
            let cols = s.cells.iter().map(|c| c.1 + 1).max().unwrap_or(0);
            let mut dim = 0u32.to_le_bytes().to_vec();
            dim.extend_from_slice(&rows.to_le_bytes());
            dim.extend_from_slice(&0u16.to_le_bytes());
            dim.extend_from_slice(&cols.to_le_bytes());
            dim.extend_from_slice(&0u16.to_le_bytes());
            record(&mut b, 0x0200, &dim);
            for (r, c, x) in &s.cells {
                let mut data = r.to_le_bytes().to_vec();
                data.extend_from_slice(&c.to_le_bytes());
                match x {
                    X::S(t) => {
                        data.extend_from_slice(&0u16.to_le_bytes());
                        let i = strings.iter().position(|s| s == t).unwrap() as u32;
                        data.extend_from_slice(&i.to_le_bytes());
                        record(&mut b, 0x00FD, &data);
                    }
                    X::N(v) | X::D(v) => {
                        let xf: u16 = if matches!(x, X::D(_)) { 1 } else { 0 };
                        data.extend_from_slice(&xf.to_le_bytes());
                        data.extend_from_slice(&v.to_le_bytes());
                        record(&mut b, 0x0203, &data);
                    }
                    X::F(v) => {
                        data.extend_from_slice(&0u16.to_le_bytes());
                        data.extend_from_slice(&v.to_le_bytes());
                        data.extend_from_slice(&0u16.to_le_bytes()); // grbit
                        data.extend_from_slice(&0u32.to_le_bytes()); // chn
                        // rgce: PtgNum 0.1, PtgNum 0.2, PtgAdd.
                        let mut rgce = vec![0x1F];
                        rgce.extend_from_slice(&0.1f64.to_le_bytes());
                        rgce.push(0x1F);
                        rgce.extend_from_slice(&0.2f64.to_le_bytes());
                        rgce.push(0x03);
                        data.extend_from_slice(&(rgce.len() as u16).to_le_bytes());
                        data.extend_from_slice(&rgce);
                        record(&mut b, 0x0006, &data);
                    }
                }
            }
            if !s.merges.is_empty() {
                let mut m = (s.merges.len() as u16).to_le_bytes().to_vec();
                for (r0, r1, c0, c1) in &s.merges {
                    for v in [r0, r1, c0, c1] {
                        m.extend_from_slice(&v.to_le_bytes());
                    }
                }
                record(&mut b, 0x00E5, &m);
            }
            record(&mut b, 0x000A, &[]);
            b
        })
        .collect();
    let head_len = globals(&vec![0; sheets.len()]).len() as u32;
    let mut offsets = Vec::new();
    let mut at = head_len;
    for b in &bodies {
        offsets.push(at);
        at += b.len() as u32;
    }
    let mut stream = globals(&offsets);
    for b in &bodies {
        stream.extend_from_slice(b);
    }
    ole(&[("Workbook", &stream)])
}

fn clerk_xls() -> Vec<u8> {
    use X::*;
    biff8(
        &[
            XlsSheet {
                name: "Note",
                hidden: false,
                cells: vec![(0, 0, S("Appunti"))],
                merges: vec![],
            },
            XlsSheet {
                name: "Vecchio",
                hidden: true,
                cells: vec![(0, 0, S("Codice fiscale")), (0, 1, S("Importo"))],
                merges: vec![],
            },
            XlsSheet {
                name: "Trasporto",
                hidden: false,
                cells: vec![
                    (0, 0, S("Trasporto scolastico 2027")),
                    (2, 0, S("Codice fiscale")),
                    (2, 1, S("Cognome e nome")),
                    (2, 2, S("Importo")),
                    (2, 3, S("Scadenza")),
                    (2, 4, S("Comune")),
                    // Row 4: NBSP and zero-width around and inside the CF, a date cell.
                    (3, 0, S("\u{a0}RSSMRA80A01\u{200b}H501U\u{feff}")),
                    (3, 1, S("Rossi\u{a0}\u{a0}Mario")),
                    (3, 2, N(1234.56)),
                    (3, 3, D(46477.0)),
                    (3, 4, S("Viterbo")),
                    // Row 5: a formula with its cached value, the comune merged from row 4.
                    (4, 0, S("bnc mra 80a01 h501 x")),
                    (4, 1, S("Bianchi Maria")),
                    (4, 2, F(0.1 + 0.2)),
                    (4, 3, S("30/06/2027")),
                    // Row 6: only spaces where the name should be.
                    (5, 0, S("VRDNNA70A41F205X")),
                    (5, 1, S("   \u{a0} ")),
                    (5, 2, N(5.0)),
                    (5, 3, D(46477.0)),
                    (5, 4, S("Como")),
                ],
                merges: vec![(3, 4, 4, 4)],
            },
        ],
        false,
    )
}

#[test]
fn a_biff8_xls_is_read_value_by_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "trasporto.xls", &clerk_xls());
    let (info, rows, notes) = read_all(&path, None);
    assert_eq!(info.formato, Format::Xls);
    assert_eq!(info.foglio, "Trasporto", "the sheet that looks like a list");
    assert_eq!(
        info.fogli
            .iter()
            .map(|s| (s.nome.as_str(), s.nascosto))
            .collect::<Vec<_>>(),
        vec![("Note", false), ("Vecchio", true), ("Trasporto", false)]
    );
    assert_eq!(
        rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        vec![1, 3, 4, 5, 6]
    );
    assert_eq!(rows[2].get(2), &Cell::Number(1234.56));
    assert_eq!(rows[2].get(3), &Cell::Date(d(2027, 3, 31)));
    assert_eq!(
        rows[4].get(1),
        &Cell::Empty,
        "a cell of only spaces is empty"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("1 cella contiene formule") && n.contains("C5")),
        "{notes:?}"
    );
    assert!(notes.iter().any(|n| n.contains("celle unite")), "{notes:?}");
    let (_, out) = mapped(&rows);
    let got: Vec<[&str; 5]> = out
        .iter()
        .map(|m| {
            [
                m.row.get(Column::CodiceIdentificativoUnivoco),
                m.row.get(Column::AnagraficaPagatore),
                m.row.get(Column::ImportoDovuto),
                m.row.get(Column::DataScadenzaPagamento),
                m.row.get(Column::LocalitaPagatore),
            ]
        })
        .collect();
    assert_eq!(
        got,
        vec![
            [
                "RSSMRA80A01H501U",
                "Rossi Mario",
                "1234.56",
                "2027-03-31",
                "Viterbo"
            ],
            [
                "BNCMRA80A01H501X",
                "Bianchi Maria",
                "0.30",
                "2027-06-30",
                "Viterbo"
            ],
            ["VRDNNA70A41F205X", "", "5.00", "2027-03-31", "Como"],
        ]
    );
    assert_eq!(
        out.iter().map(|m| m.number).collect::<Vec<_>>(),
        vec![4, 5, 6]
    );
    assert!(out[0].problems.is_empty(), "{:?}", out[0].problems);
    assert!(out[1].problems.is_empty(), "{:?}", out[1].problems);
    // The hidden sheet is read only when named.
    let (info, rows, _) = read_all(&path, Some("vecchio"));
    assert_eq!((info.foglio.as_str(), rows.len()), ("Vecchio", 1));
}

// ---------------------------------------------------------------------------------------------
// Password-protected and corrupt workbooks

#[test]
fn password_protected_workbooks_say_so_in_italian() {
    let dir = tempfile::tempdir().unwrap();
    let enc = encrypted_ooxml();
    let mut ods_manifest = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut ods_manifest);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("mimetype", o).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        z.start_file("META-INF/manifest.xml", o).unwrap();
        z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="900"><manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/></manifest:encryption-data></manifest:file-entry>
</manifest:manifest>"#).unwrap();
        z.start_file("content.xml", o).unwrap();
        z.write_all(&[0x9c, 0x13, 0xfe, 0x00, 0x42, 0x17, 0x88, 0x01])
            .unwrap();
        z.finish().unwrap();
    }
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("ruolo.xlsx", enc.clone()),
        // Renamed by the clerk: the content decides.
        ("ruolo.xls", enc),
        (
            "vecchio.xls",
            biff8(
                &[XlsSheet {
                    name: "Foglio1",
                    hidden: false,
                    cells: vec![(0, 0, X::S("CF"))],
                    merges: vec![],
                }],
                true,
            ),
        ),
        ("mensa.ods", ods_manifest.into_inner()),
    ];
    for (name, bytes) in cases {
        let path = write(dir.path(), name, &bytes);
        let err = failure(&path);
        assert!(matches!(err, SheetError::Password(_)), "{name}: {err:?}");
        let msg = err.to_string();
        assert!(
            msg.contains(name) && msg.contains("protetto da password") && msg.contains("lo salvi"),
            "{name}: {msg}"
        );
    }
}

fn small_xlsx(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Codice fiscale").unwrap();
    ws.write_string(0, 1, "Importo").unwrap();
    for r in 1..200u32 {
        ws.write_string(r, 0, "RSSMRA80A01H501U").unwrap();
        ws.write_number(r, 1, f64::from(r)).unwrap();
    }
    wb.save(path).unwrap();
}

/// Rewrites the zip at `src` into `dst`, replacing one entry's bytes.
fn with_entry(src: &Path, dst: &Path, entry: &str, bytes: &[u8]) {
    let mut zin = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        zout.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        if name == entry {
            zout.write_all(bytes).unwrap();
        } else {
            std::io::copy(&mut f, &mut zout).unwrap();
        }
    }
    zout.finish().unwrap();
}

#[test]
fn corrupt_workbooks_give_an_italian_message_and_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("buono.xlsx");
    small_xlsx(&good);
    let bytes = std::fs::read(&good).unwrap();
    // Cut in half (a download interrupted, a copy from a full USB stick).
    write(dir.path(), "troncato.xlsx", &bytes[..bytes.len() / 2]);
    // The sheet XML garbled.
    with_entry(
        &good,
        &dir.path().join("foglio_rotto.xlsx"),
        "xl/worksheets/sheet1.xml",
        b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>99",
    );
    // The workbook part missing its sheet.
    with_entry(
        &good,
        &dir.path().join("senza_fogli.xlsx"),
        "xl/workbook.xml",
        b"not xml at all \x00\x01",
    );
    // An .ods whose content.xml is not XML.
    let mut ods = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut ods);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("mimetype", o).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        z.start_file("META-INF/manifest.xml", o).unwrap();
        z.write_all(b"<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"/>").unwrap();
        z.start_file("content.xml", o).unwrap();
        z.write_all(b"<office:document-content><table:table table:name=\"x\"></table:tab")
            .unwrap();
        z.finish().unwrap();
    }
    write(dir.path(), "rotto.ods", &ods.into_inner());
    // An OLE file without a Workbook stream, and one whose Workbook stream is garbage.
    write(dir.path(), "vuoto.xls", &ole(&[("Altro", b"niente")]));
    write(
        dir.path(),
        "spazzatura.xls",
        &ole(&[("Workbook", &[0x09, 0x08, 0xff, 0xff, 1, 2, 3])]),
    );
    for name in [
        "troncato.xlsx",
        "foglio_rotto.xlsx",
        "senza_fogli.xlsx",
        "rotto.ods",
        "vuoto.xls",
        "spazzatura.xls",
    ] {
        let err = failure(&dir.path().join(name));
        assert!(
            matches!(err, SheetError::Corrupt { .. } | SheetError::NoSheet(_)),
            "{name}: {err:?}"
        );
        let msg = err.to_string();
        assert!(msg.contains(name), "{name}: {msg}");
        assert!(
            msg.contains("non si riesce a leggere") || msg.contains("non contiene fogli"),
            "{name}: {msg}"
        );
    }
}

#[test]
fn an_xlsx_that_is_really_a_latin1_csv_is_read_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"C.F.;Cognome e nome;Importo \x80;Scadenza\r\n".to_vec();
    bytes.extend_from_slice(b"RSSMRA80A01H501U;Nicol\xe0 Ross\xec;\x80 1.234,56;31/12/2026\r\n");
    bytes.extend_from_slice(b" \xa0 ;   ;  ;\r\n");
    bytes.extend_from_slice(b"02342520158;Ditta S.r.l.;12,5;1/2/27\r\n");
    let path = write(dir.path(), "ruolo.xlsx", &bytes);
    let (info, rows, _) = read_all(&path, None);
    assert_eq!(info.formato, Format::Csv);
    assert_eq!(info.codifica.as_deref(), Some("windows-1252"));
    assert_eq!(
        info.note,
        vec![
            "il file ha estensione .xlsx ma è un file CSV: letto come tale".to_string(),
            "codifica del testo: windows-1252".to_string()
        ]
    );
    assert_eq!(
        rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        vec![1, 2, 4],
        "a row of only (non-breaking) spaces is blank"
    );
    let (_, out) = mapped(&rows);
    let r = &out[0].row;
    assert_eq!(
        [
            r.get(Column::CodiceIdentificativoUnivoco),
            r.get(Column::AnagraficaPagatore),
            r.get(Column::ImportoDovuto),
            r.get(Column::DataScadenzaPagamento)
        ],
        ["RSSMRA80A01H501U", "Nicolà Rossì", "1234.56", "2026-12-31"]
    );
    let r = &out[1].row;
    assert_eq!(
        [
            r.get(Column::CodiceIdentificativoUnivoco),
            r.get(Column::ImportoDovuto),
            r.get(Column::DataScadenzaPagamento)
        ],
        ["02342520158", "12.50", "2027-02-01"]
    );
}

// ---------------------------------------------------------------------------------------------
// ODS: merged cells, formulas, hidden sheets, full height and width

const ODS_NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2""#;

fn ods(automatic_styles: &str, tables: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}><office:automatic-styles>{automatic_styles}</office:automatic-styles><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    );
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
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("META-INF/manifest.xml", o).unwrap();
        z.write_all(manifest.as_bytes()).unwrap();
        z.start_file("content.xml", o).unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn s(t: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>"#
    )
}

fn row(cells: &[String]) -> String {
    format!("<table:table-row>{}</table:table-row>", cells.concat())
}

#[test]
fn ods_merged_cells_formulas_and_hidden_sheets() {
    let styles = r#"<style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style><style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>"#;
    let header = row(&[
        s("Codice fiscale"),
        s("Cognome e nome"),
        s("Importo"),
        s("Comune"),
    ]);
    let tables = [
        format!(
            r#"<table:table table:name="Nascosto" table:style-name="ta2">{header}{}</table:table>"#,
            row(&[s("AAAAAA00A00A000A"), s("X"), s("1")])
        ),
        format!(
            r#"<table:table table:name="Mensa" table:style-name="ta1">{}{header}<table:table-row>{}{}<table:table-cell table:formula="of:=[.E3]*2" office:value-type="float" office:value="45.1"><text:p>45,10</text:p></table:table-cell><table:table-cell office:value-type="string" table:number-rows-spanned="2"><text:p>Como</text:p></table:table-cell></table:table-row><table:table-row>{}<table:table-cell table:formula="of:=1/0" office:value-type="string"><text:p></text:p></table:table-cell><table:table-cell table:formula="of:=0.1+0.2" office:value-type="float" office:value="0.30000000000000004"><text:p>0,3</text:p></table:table-cell><table:covered-table-cell/></table:table-row></table:table>"#,
            row(&[
                r#"<table:table-cell office:value-type="string" table:number-columns-spanned="4"><text:p>Mensa 2027</text:p></table:table-cell>"#
                    .to_string()
            ]),
            s("RSSMRA80A01H501U"),
            s("Rossi Mario"),
            s("\u{200b}BNCMRA80A01H501X\u{a0}"),
        ),
    ]
    .concat();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "mensa.ods", &ods(styles, &tables));
    let (info, rows, notes) = read_all(&path, None);
    assert_eq!((info.formato, info.foglio.as_str()), (Format::Ods, "Mensa"));
    assert_eq!(
        info.fogli
            .iter()
            .map(|s| (s.nome.as_str(), s.nascosto))
            .collect::<Vec<_>>(),
        vec![("Nascosto", true), ("Mensa", false)]
    );
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("3 celle contengono formule (la prima è C3)")),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.starts_with("2 zone di celle unite")),
        "{notes:?}"
    );
    // The title merged over four columns is repeated over them: still a title, not a header.
    assert_eq!(rows[0].cells, vec![Cell::Text("Mensa 2027".into()); 4]);
    let (_, out) = mapped(&rows);
    let got: Vec<[&str; 4]> = out
        .iter()
        .map(|m| {
            [
                m.row.get(Column::CodiceIdentificativoUnivoco),
                m.row.get(Column::AnagraficaPagatore),
                m.row.get(Column::ImportoDovuto),
                m.row.get(Column::LocalitaPagatore),
            ]
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ["RSSMRA80A01H501U", "Rossi Mario", "45.10", "Como"],
            ["BNCMRA80A01H501X", "", "0.30", "Como"],
        ],
        "cached formula values, the merged comune on both rows"
    );
    assert_eq!(out.iter().map(|m| m.number).collect::<Vec<_>>(), vec![3, 4]);
}

#[test]
fn full_height_and_full_width_sheets_are_read_or_refused_without_panic() {
    let dir = tempfile::tempdir().unwrap();
    // xlsx: a header, one row, a stray value in XFD1048576, and a row 16,384 columns wide.
    let path = dir.path().join("estremi.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Codice fiscale").unwrap();
    ws.write_string(0, 1, "Importo").unwrap();
    ws.write_string(1, 0, "RSSMRA80A01H501U").unwrap();
    ws.write_formula(1, 1, Formula::new("=10/4").set_result("2.5"))
        .unwrap();
    for c in 0..16_384u16 {
        ws.write_number(2, c, f64::from(c)).unwrap();
    }
    ws.write_string(1_048_575, 0, "ultima riga").unwrap();
    ws.write_string(1_048_575, 16_383, "ultima cella").unwrap();
    wb.save(&path).unwrap();
    let (_, rows, notes) = read_all(&path, None);
    assert_eq!(
        rows.iter()
            .map(|r| (r.number, r.cells.len()))
            .collect::<Vec<_>>(),
        vec![(1, 2), (2, 2), (3, MAX_COLUMNS), (1_048_576, 1)]
    );
    assert_eq!(rows[1].get(1), &Cell::Number(2.5));
    assert_eq!(rows[2].get(MAX_COLUMNS - 1), &Cell::Number(511.0));
    assert_eq!(rows[3].get(0), &Cell::Text("ultima riga".into()));
    assert!(
        notes.iter().any(|n| n.contains("le colonne dopo la SR")),
        "{notes:?}"
    );
    assert!(notes.iter().any(|n| n.contains("formule")), "{notes:?}");

    // ods: a LibreOffice-style sheet whose last row is 1,048,576 (the empty rows between
    // repeated), read; a value at XFD1 and one at A1048576, refused before loading.
    let header = row(&[s("Codice fiscale"), s("Importo")]);
    let tall = format!(
        r#"<table:table table:name="Alto">{header}{}<table:table-row table:number-rows-repeated="1048573"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>{}</table:table>"#,
        row(&[s("RSSMRA80A01H501U"), s("10")]),
        row(&[s("VRDNNA70A41F205X"), s("20")]),
    );
    let path = write(dir.path(), "alto.ods", &ods("", &tall));
    let (_, rows, _) = read_all(&path, None);
    assert_eq!(
        rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        vec![1, 2, 1_048_576]
    );
    let (_, out) = mapped(&rows);
    assert_eq!(
        out[1].row.get(Column::CodiceIdentificativoUnivoco),
        "VRDNNA70A41F205X"
    );
    assert_eq!(out[1].number, 1_048_576);

    let wide = format!(
        r#"<table:table table:name="Enorme">{}<table:table-row table:number-rows-repeated="1048574"><table:table-cell/></table:table-row>{}</table:table>"#,
        row(&[
            s("Codice fiscale"),
            r#"<table:table-cell table:number-columns-repeated="16382"/>"#.to_string(),
            s("lontano"),
        ]),
        row(&[s("RSSMRA80A01H501U")]),
    );
    let path = write(dir.path(), "enorme.ods", &ods("", &wide));
    let err = failure(&path);
    match &err {
        SheetError::TooLarge {
            sheet, rows, cols, ..
        } => assert_eq!(
            (sheet.as_str(), *rows, *cols),
            ("Enorme", 1_048_576, 16_384)
        ),
        other => panic!("{other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains("«Enorme»")
            && msg.contains("1.048.576 righe per 16.384 colonne")
            && msg.contains(".csv"),
        "{msg}"
    );

    // ods: a row with a value repeated over all 16,384 columns: cut at MAX_COLUMNS, said.
    let wide_row = format!(
        r#"<table:table table:name="Largo">{header}<table:table-row table:number-rows-repeated="3"><table:table-cell office:value-type="float" office:value="7" table:number-columns-repeated="16384"><text:p>7</text:p></table:table-cell></table:table-row></table:table>"#
    );
    let path = write(dir.path(), "largo.ods", &ods("", &wide_row));
    let (_, rows, notes) = read_all(&path, None);
    assert_eq!(
        rows.iter()
            .map(|r| (r.number, r.cells.len()))
            .collect::<Vec<_>>(),
        vec![(1, 2), (2, MAX_COLUMNS), (3, MAX_COLUMNS), (4, MAX_COLUMNS)]
    );
    assert_eq!(rows[3].get(MAX_COLUMNS - 1), &Cell::Number(7.0));
    assert!(
        notes.iter().any(|n| n.contains("le colonne dopo la SR")),
        "{notes:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Codici fiscali with spaces, non-breaking spaces and zero-width characters

#[test]
fn spaces_nbsp_and_zero_width_characters_in_codici_fiscali() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("codici.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["CF", "Nominativo", "Importo"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let cases = [
        // (as pasted, expected in the tracciato)
        ("  RSSMRA80A01H501U  ", "RSSMRA80A01H501U"),
        ("\u{a0}RSSMRA80A01H501U\u{a0}", "RSSMRA80A01H501U"),
        ("RSS MRA 80A01 H501U", "RSSMRA80A01H501U"),
        ("RSS\u{202f}MRA\u{a0}80A01\u{2007}H501U", "RSSMRA80A01H501U"),
        (
            "\u{200b}RSSMRA\u{200c}80A01\u{200d}H501U\u{2060}",
            "RSSMRA80A01H501U",
        ),
        ("\u{feff}rssmra80a01h501u\u{ad}", "RSSMRA80A01H501U"),
        ("\t02342520158\r\n", "02342520158"),
    ];
    for (i, (cf, _)) in cases.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *cf).unwrap();
        ws.write_string(r, 1, "Rossi\u{a0}Mario\u{200b}").unwrap();
        ws.write_number(r, 2, 10.0).unwrap();
    }
    // Only spaces (ASCII, NBSP, zero-width): an empty code, reported as missing by the caller.
    let blank_row = cases.len() as u32 + 1;
    ws.write_string(blank_row, 0, " \u{a0}\u{200b} ").unwrap();
    ws.write_string(blank_row, 1, "Verdi").unwrap();
    ws.write_number(blank_row, 2, 1.0).unwrap();
    wb.save(&path).unwrap();

    let (_, rows, _) = read_all(&path, None);
    let (_, out) = mapped(&rows);
    assert_eq!(out.len(), cases.len() + 1);
    for (m, (raw, want)) in out.iter().zip(cases) {
        assert_eq!(
            m.row.get(Column::CodiceIdentificativoUnivoco),
            want,
            "{raw:?}"
        );
        assert_eq!(m.row.get(Column::AnagraficaPagatore), "Rossi Mario");
        assert!(
            !m.problems.iter().any(|p| p.error),
            "{raw:?}: {:?}",
            m.problems
        );
    }
    let last = out.last().unwrap();
    assert_eq!(rows.last().unwrap().get(0), &Cell::Empty);
    assert_eq!(last.row.get(Column::CodiceIdentificativoUnivoco), "");
    assert_eq!(last.number, blank_row as usize + 1);
    // The same in a CSV (UTF-8), where nothing is trimmed by the workbook writer.
    let csv = "CF;Nominativo;Importo\n\u{a0}RSS\u{200b}MRA80A01H501U ;Rossi;1\n  ;Verdi;2\n";
    let path = write(dir.path(), "codici.csv", csv.as_bytes());
    let (_, rows, _) = read_all(&path, None);
    let (_, out) = mapped(&rows);
    assert_eq!(
        out.iter()
            .map(|m| m.row.get(Column::CodiceIdentificativoUnivoco))
            .collect::<Vec<_>>(),
        vec!["RSSMRA80A01H501U", ""]
    );
    assert!(out[0].problems.iter().all(|p| p.code != codes::CODICE));
}

#[test]
fn a_merged_pair_on_every_row_is_read_in_linear_time() {
    // 20,000 rows, each with its name merged over two columns: looking at every area for
    // every cell would be 20,000 × 60,000 checks; the reader looks at the current row's only.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unite.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let plain = rust_xlsxwriter::Format::new();
    ws.write_string(0, 0, "Codice fiscale").unwrap();
    ws.merge_range(0, 1, 0, 2, "Cognome e nome", &plain)
        .unwrap();
    ws.write_string(0, 3, "Importo").unwrap();
    const N: u32 = 20_000;
    for r in 1..=N {
        ws.write_string(r, 0, "RSSMRA80A01H501U").unwrap();
        ws.merge_range(r, 1, r, 2, &format!("Rossi {r}"), &plain)
            .unwrap();
        ws.write_number(r, 3, f64::from(r)).unwrap();
    }
    wb.save(&path).unwrap();
    let t = std::time::Instant::now();
    let (_, rows, notes) = read_all(&path, None);
    let took = t.elapsed();
    assert_eq!(rows.len(), N as usize + 1);
    assert_eq!(
        rows[7].cells,
        vec![
            Cell::Text("RSSMRA80A01H501U".into()),
            Cell::Text("Rossi 7".into()),
            Cell::Text("Rossi 7".into()),
            Cell::Number(7.0),
        ]
    );
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("20001 zone di celle unite")),
        "{notes:?}"
    );
    eprintln!("read in {took:?}");
    assert!(took < std::time::Duration::from_secs(10), "{took:?}");
}

#[test]
fn an_xls_with_a_stray_value_in_iv65536_is_refused_before_loading() {
    // calamine would load the sheet as 65,536 × 256 cells (over 500 MB) to hold two values.
    let dir = tempfile::tempdir().unwrap();
    let bytes = biff8(
        &[XlsSheet {
            name: "Ruolo",
            hidden: false,
            cells: vec![(0, 0, X::S("Codice fiscale")), (65_535, 255, X::N(1.0))],
            merges: vec![],
        }],
        false,
    );
    let path = write(dir.path(), "lontano.xls", &bytes);
    let err = failure(&path);
    match &err {
        SheetError::TooLarge {
            sheet, rows, cols, ..
        } => assert_eq!((sheet.as_str(), *rows, *cols), ("Ruolo", 65_536, 256)),
        other => panic!("{other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains("65.536 righe per 256 colonne") && msg.contains("come .xls"),
        "{msg}"
    );
    // The same two values 200 rows apart are read.
    let bytes = biff8(
        &[XlsSheet {
            name: "Ruolo",
            hidden: false,
            cells: vec![(0, 0, X::S("Codice fiscale")), (199, 255, X::N(1.0))],
            merges: vec![],
        }],
        false,
    );
    let path = write(dir.path(), "vicino.xls", &bytes);
    let (_, rows, _) = read_all(&path, None);
    assert_eq!(
        rows.iter()
            .map(|r| (r.number, r.cells.len()))
            .collect::<Vec<_>>(),
        vec![(1, 1), (200, 256)]
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile files (issue 17): small on disk, huge once read

fn unsafe_detail(path: &Path) -> String {
    match failure(path) {
        SheetError::Unsafe { detail, .. } => {
            let e = failure(path).to_string();
            assert!(
                e.contains(&path.display().to_string())
                    && e.contains("Non è stato importato nulla"),
                "{e}"
            );
            detail
        }
        other => panic!("{}: {other:?}", path.display()),
    }
}

#[test]
fn text_without_line_breaks_is_refused_at_the_record_cap() {
    let dir = tempfile::tempdir().unwrap();
    let cap = mpd_sheets::guard::MAX_RECORD_BYTES;
    // 3 MB without a line break after the header (the attack: 2 GB, 10.5 GB of memory).
    let mut bytes = b"Codice fiscale;Importo\n".to_vec();
    bytes.resize(3 << 20, b'x');
    let p = write(dir.path(), "senza a capo.csv", &bytes);
    match failure(&p) {
        SheetError::RecordTooLarge { row, max, .. } => assert_eq!((row, max), (2, cap)),
        other => panic!("{other:?}"),
    }
    let msg = failure(&p).to_string();
    assert!(
        msg.contains("senza a capo.csv") && msg.contains("la riga 2 è lunga più di 1 MB"),
        "{msg}"
    );
    // A quote never closed: short lines, one record.
    let mut bytes = b"Codice fiscale;Importo\nRSSMRA80A01H501U;1\n\"".to_vec();
    while bytes.len() < 2 * cap {
        bytes.extend_from_slice(b"RSSMRA80A01H501U;12,50\n");
    }
    let p = write(dir.path(), "virgolette.csv", &bytes);
    assert!(matches!(
        failure(&p),
        SheetError::RecordTooLarge { row: 3, .. }
    ));
    // In windows-1252 too (the reader decodes on the fly).
    let mut bytes = b"Citt\xe0;Importo\n".to_vec();
    bytes.resize(3 << 20, b'\xe0');
    let p = write(dir.path(), "latin1.csv", &bytes);
    assert!(matches!(
        failure(&p),
        SheetError::RecordTooLarge { row: 2, .. }
    ));
    // One field just under the cap on 40 rows: read whole (batches bounded by bytes).
    let field = "a".repeat(cap - 1000);
    let mut text = String::from("Codice fiscale;Causale\n");
    for _ in 0..40 {
        text.push_str(&format!("RSSMRA80A01H501U;{field}\n"));
    }
    let p = write(dir.path(), "lunghe.csv", text.as_bytes());
    let (_, rows, _) = read_all(&p, None);
    assert_eq!(rows.len(), 41);
    assert_eq!(rows[40].number, 41);
    assert_eq!(rows[40].get(1), &Cell::Text(field));
}

/// Rewrites the workbook at `src` into `dst`, the entry `entry` written by `fill` (added if
/// missing) with `method`.
fn rezip(
    src: &Path,
    dst: &Path,
    entry: &str,
    method: zip::CompressionMethod,
    fill: impl Fn(&mut dyn Write),
) {
    let mut zin = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let mut seen = false;
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        if name == entry {
            seen = true;
            let mut o = zip::write::SimpleFileOptions::default()
                .compression_method(method)
                .large_file(true);
            if method == zip::CompressionMethod::Deflated {
                o = o.compression_level(Some(9));
            }
            zout.start_file(name.as_str(), o).unwrap();
            fill(&mut zout);
        } else {
            zout.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::copy(&mut f, &mut zout).unwrap();
        }
    }
    if !seen {
        let o = zip::write::SimpleFileOptions::default().compression_method(method);
        zout.start_file(entry, o).unwrap();
        fill(&mut zout);
    }
    zout.finish().unwrap();
}

/// Sets the uncompressed size an archive declares for `entry` (local and central headers).
fn lie_about_size(path: &Path, entry: &str, size: u32) {
    let mut b = std::fs::read(path).unwrap();
    let name = entry.as_bytes();
    for (sig, name_at, size_at) in [(b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)] {
        let at = (0..b.len() - name_at - name.len())
            .find(|&i| &b[i..i + 4] == sig && &b[i + name_at..i + name_at + name.len()] == name)
            .unwrap();
        b[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
    }
    std::fs::write(path, b).unwrap();
}

/// XML that deflates like real data (about 2×): numbered rows of pseudo-random hex.
fn plain_rows(out: &mut dyn Write, bytes: usize) {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut written = 0;
    let mut i = 0;
    while written < bytes {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let line = format!("<!--{i} {x:016x}{:016x}-->", x.rotate_left(29));
        out.write_all(line.as_bytes()).unwrap();
        written += line.len();
        i += 1;
    }
}

const SHEET: &str = "xl/worksheets/sheet1.xml";

#[test]
fn workbook_zip_bombs_lying_sizes_and_huge_parts_are_refused_before_loading() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("buono.xlsx");
    small_xlsx(&good);
    let deflated = zip::CompressionMethod::Deflated;
    let stored = zip::CompressionMethod::Stored;

    // A bomb: 16 MiB of empty cells deflated ~1000× (the attack: 1 MB to 1 GB).
    let p = dir.path().join("bomba.xlsx");
    rezip(&good, &p, SHEET, deflated, |w| {
        w.write_all(b"<worksheet><sheetData><row r=\"1\">").unwrap();
        let cells = b"<c/>".repeat(1 << 16);
        for _ in 0..64 {
            w.write_all(&cells).unwrap();
        }
        w.write_all(b"</row></sheetData></worksheet>").unwrap();
    });
    let d = unsafe_detail(&p);
    assert!(
        d.contains("compresso in modo anomalo") && d.contains(SHEET),
        "{d}"
    );

    // Sizes that lie: the header says 1,000 bytes, the entry inflates to 3 MB, deflated or
    // stored. Caught on the bytes actually read.
    for (name, method) in [
        ("bugiardo.xlsx", deflated),
        ("bugiardo-stored.xlsx", stored),
    ] {
        let p = dir.path().join(name);
        rezip(&good, &p, SHEET, method, |w| plain_rows(w, 3 << 20));
        lie_about_size(&p, SHEET, 1000);
        let d = unsafe_detail(&p);
        assert!(d.contains("oltre la dimensione dichiarata"), "{name}: {d}");
    }

    // Shared strings (loaded whole by calamine) past 100 MiB, stored: refused on the header.
    let p = dir.path().join("stringhe.xlsx");
    rezip(&good, &p, "xl/sharedStrings.xml", stored, |w| {
        w.write_all(b"<sst>").unwrap();
        let si = b"<si><t>RSSMRA80A01H501U</t></si>".repeat(1 << 15);
        for _ in 0..100 {
            w.write_all(&si).unwrap();
        }
        w.write_all(b"</sst>").unwrap();
    });
    let d = unsafe_detail(&p);
    assert!(
        d.contains("xl/sharedStrings.xml") && d.contains("oltre il massimo"),
        "{d}"
    );

    // One cell of 5 MB (a cell holds 32,767 characters): the XML reader would hold it whole.
    let p = dir.path().join("cella.xlsx");
    rezip(&good, &p, SHEET, stored, |w| {
        w.write_all(b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>")
            .unwrap();
        w.write_all(&vec![b'x'; 5 << 20]).unwrap();
        w.write_all(b"</t></is></c></row></sheetData></worksheet>")
            .unwrap();
    });
    let d = unsafe_detail(&p);
    assert!(d.contains(SHEET) && d.contains("senza interruzioni"), "{d}");

    // Too many entries.
    let p = dir.path().join("parti.xlsx");
    {
        std::fs::copy(&good, &p).unwrap();
        let mut z = zip::ZipWriter::new_append(
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&p)
                .unwrap(),
        )
        .unwrap();
        for i in 0..mpd_sheets::guard::MAX_ENTRIES {
            z.start_file(
                format!("xl/media/{i}.txt"),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
        }
        z.finish().unwrap();
    }
    let d = unsafe_detail(&p);
    assert!(d.contains("il massimo accettato è 1000"), "{d}");

    // The file the bombs were made from is still read.
    assert_eq!(read_all(&good, None).1.len(), 200);
}

#[test]
fn ods_bombs_and_repeated_text_are_refused_before_loading() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "buono.ods",
        &ods(
            "",
            &format!(
                r#"<table:table table:name="A"><table:table-row>{}</table:table-row></table:table>"#,
                s("x")
            ),
        ),
    );
    let p = dir.path().join("bomba.ods");
    rezip(
        &good,
        &p,
        "content.xml",
        zip::CompressionMethod::Deflated,
        |w| {
            w.write_all(b"<office:document-content><office:body><office:spreadsheet><table:table table:name=\"A\"><table:table-row>").unwrap();
            let cells = b"<table:table-cell/>".repeat(1 << 14);
            for _ in 0..64 {
                w.write_all(&cells).unwrap();
            }
            w.write_all(b"</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>").unwrap();
        },
    );
    let d = unsafe_detail(&p);
    assert!(
        d.contains("content.xml") && d.contains("compresso in modo anomalo"),
        "{d}"
    );

    // 4,000,000 cells (allowed) each repeating 100 bytes of text: 400 MB once expanded.
    let text = "y".repeat(100);
    let p = write(
        dir.path(),
        "ripetuto.ods",
        &ods(
            "",
            &format!(
                r#"<table:table table:name="A"><table:table-row table:number-rows-repeated="1000"><table:table-cell office:value-type="string" table:number-columns-repeated="4000"><text:p>{text}</text:p></table:table-cell></table:table-row></table:table>"#
            ),
        ),
    );
    let d = unsafe_detail(&p);
    assert!(d.contains("righe e le colonne ripetute"), "{d}");
    assert_eq!(read_all(&good, None).1.len(), 1);
}

#[test]
fn an_xls_with_a_huge_workbook_stream_is_refused_before_loading() {
    let dir = tempfile::tempdir().unwrap();
    let big = vec![0u8; mpd_sheets::guard::MAX_LOADED_PART_BYTES as usize + 1];
    let p = write(dir.path(), "enorme.xls", &ole(&[("Workbook", &big)]));
    drop(big);
    let d = unsafe_detail(&p);
    assert!(
        d.contains("Workbook") && d.contains("oltre il massimo di 100 MB"),
        "{d}"
    );
}
