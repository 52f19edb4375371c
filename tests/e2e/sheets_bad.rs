//! Bad spreadsheets through `debts import`: a clear Italian message and an empty store, never a
//! half-written import, also when the file breaks after hundreds of good rows; what was read
//! from formulas is said in the report; row numbers of a Windows (CRLF) CSV are the clerk's.

use std::io::Write;

use mpd_e2e::Env;
use rust_xlsxwriter::{Formula, Workbook};

fn debts(env: &Env) -> usize {
    env.json(&["debts", "list"]).1.as_array().unwrap().len()
}

/// What Excel writes for "Encrypt with password": an OLE file with `EncryptionInfo` and
/// `EncryptedPackage` instead of a zip.
fn encrypted_xlsx() -> Vec<u8> {
    let mut c = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    for (name, bytes) in [
        ("/EncryptionInfo", vec![4u8, 0, 4, 0, 0x40, 0, 0, 0]),
        ("/EncryptedPackage", vec![0x5a; 4104]),
    ] {
        c.create_stream(name).unwrap().write_all(&bytes).unwrap();
    }
    c.flush().unwrap();
    c.into_inner().into_inner()
}

fn tari(rows: u32, path: &std::path::Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Codice fiscale", "Cognome e nome", "Importo", "Scadenza"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=rows {
        ws.write_string(r, 0, "RSSMRA80A01H501U").unwrap();
        ws.write_string(r, 1, format!("Rossi Mario {r}")).unwrap();
        ws.write_number(r, 2, 10.0 + f64::from(r)).unwrap();
        ws.write_string(r, 3, "31/12/2030").unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn a_password_protected_workbook_stops_with_an_italian_message() {
    let env = Env::with_ente();
    for name in ["ruolo.xlsx", "ruolo.xls"] {
        let file = env.write(name, &encrypted_xlsx());
        let r = env.cli(&["debts", "import", file.to_str().unwrap(), "--tipo", "TARI"]);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(
            r.err.contains(name) && r.err.contains("protetto da password"),
            "{}",
            r.err
        );
        let r = env.cli(&["debts", "preview", file.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(r.err.contains("protetto da password"), "{}", r.err);
    }
    assert_eq!(debts(&env), 0);
}

#[test]
fn a_workbook_broken_after_600_good_rows_stores_nothing() {
    let env = Env::with_ente();
    let good = env.path("buono.xlsx");
    tari(700, &good);
    // The same workbook with its sheet cut after row 600: the first rows stream out fine, then
    // the XML ends in the middle of a cell.
    let mut zin = zip::ZipArchive::new(std::fs::File::open(&good).unwrap()).unwrap();
    let broken = env.path("rotto.xlsx");
    let mut zout = zip::ZipWriter::new(std::fs::File::create(&broken).unwrap());
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let text = String::from_utf8(bytes).unwrap();
            let cut = text.find("<row r=\"602\"").expect("row 602");
            bytes =
                format!("{}<row r=\"602\"><c r=\"A602\" t=\"s\"><v>1", &text[..cut]).into_bytes();
        }
        zout.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(&bytes).unwrap();
    }
    zout.finish().unwrap();
    for extra in [&[][..], &["--valid-only"][..]] {
        let mut args = vec![
            "debts",
            "import",
            broken.to_str().unwrap(),
            "--tipo",
            "TARI",
        ];
        args.extend_from_slice(extra);
        let r = env.cli(&args);
        assert_eq!(r.code, 2, "{extra:?}: {r:?}");
        assert!(
            r.err.contains("rotto.xlsx") && r.err.contains("non si riesce a leggere"),
            "{}",
            r.err
        );
        assert_eq!(debts(&env), 0, "{extra:?}: nothing half-written");
    }
    // The intact file imports all 700.
    let r = env.cli(&["debts", "import", good.to_str().unwrap(), "--tipo", "TARI"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(debts(&env), 700);
}

#[test]
fn an_ods_too_large_to_load_is_refused_before_loading() {
    let env = Env::with_ente();
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Ruolo"><table:table-row><table:table-cell office:value-type="string"><text:p>Codice fiscale</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16382"/><table:table-cell office:value-type="string"><text:p>Importo</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell office:value-type="string"><text:p>RSSMRA80A01H501U</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("mimetype", o).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        z.start_file("META-INF/manifest.xml", o).unwrap();
        z.write_all(b"<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"/>").unwrap();
        z.start_file("content.xml", o).unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    let file = env.write("ruolo.ods", &buf.into_inner());
    let r = env.cli(&["debts", "import", file.to_str().unwrap(), "--tipo", "TARI"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.err.contains("«Ruolo»") && r.err.contains("1.048.576 righe per 16.384 colonne"),
        "{}",
        r.err
    );
    assert_eq!(debts(&env), 0);
}

#[test]
fn formulas_are_reported_and_crlf_rows_keep_their_numbers() {
    let env = Env::with_ente();
    let path = env.path("formule.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["CF", "Nominativo", "Importo", "Scadenza"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "RSSMRA80A01H501U").unwrap();
    ws.write_string(1, 1, "Rossi Mario").unwrap();
    ws.write_formula(
        1,
        2,
        Formula::new("=0.1+0.2").set_result("0.30000000000000004"),
    )
    .unwrap();
    ws.write_string(1, 3, "31/12/2030").unwrap();
    wb.save(&path).unwrap();
    let (code, v) = env.json(&["debts", "import", path.to_str().unwrap(), "--tipo", "TARI"]);
    assert_eq!(code, 0, "{v}");
    assert!(
        v.to_string().contains("1 cella contiene formule"),
        "the report says the saved values of formulas were used: {v}"
    );
    let (_, list) = env.json(&["debts", "list"]);
    assert_eq!(list[0]["importo"], "0.30", "no float noise: {list}");

    // A Windows CSV: an invalid amount on the clerk's line 3 is reported as row 3.
    let csv = "CF;Nominativo;Importo;Scadenza\r\nRSSMRA80A01H501U;Bianchi Anna;12,00;31/12/2030\r\n\
               VRDNNA70A41F205X;Verdi Anna;dodici;31/12/2030\r\n";
    let file = env.write("windows.csv", csv.as_bytes());
    let (code, v) = env.json(&[
        "debts",
        "import",
        file.to_str().unwrap(),
        "--tipo",
        "TARI",
        "--check",
    ]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["errori"][0]["riga"], 3, "{v}");
    assert_eq!(v["errori"][0]["problemi"][0]["valore"], "dodici", "{v}");
}
