//! Memory stays bounded on the largest sheets a spreadsheet program can make: 1,048,576 rows
//! in `.ods` and `.xlsx`, and a full 1,048,576 × 16,384 `.ods` refused before loading. One test in its
//! own binary, so that the process's peak resident memory (`VmHWM`) is this test's alone.

use std::io::Write;

use mpd_sheets::source;
use mpd_sheets::{Cell, SheetError};

/// Peak resident memory of this process, in MiB (Linux; `None` elsewhere).
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

fn ods(table: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{table}</office:spreadsheet></office:body></office:document-content>"#
    );
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
    buf.into_inner()
}

#[test]
fn a_full_height_sheet_streams_in_bounded_memory_and_a_full_sheet_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let before = peak_mib();
    // 1,048,576 rows: a header and the same debt repeated down to the last row Excel and
    // LibreOffice allow (a few hundred bytes on disk, a million rows once read).
    let tall = ods(
        r#"<table:table table:name="Ruolo"><table:table-row><table:table-cell office:value-type="string"><text:p>Codice fiscale</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Importo</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell office:value-type="string"><text:p>RSSMRA80A01H501U</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="12.5"><text:p>12,50</text:p></table:table-cell></table:table-row></table:table>"#,
    );
    let path = dir.path().join("alto.ods");
    std::fs::write(&path, tall).unwrap();
    let mut count = 0usize;
    let mut last = 0usize;
    for row in source::open(&path, None).unwrap() {
        let row = row.unwrap();
        if count > 0 {
            assert_eq!(row.get(1), &Cell::Number(12.5));
        }
        count += 1;
        last = row.number;
    }
    assert_eq!((count, last), (1_048_576, 1_048_576));

    // Every cell of a 1,048,576 × 16,384 sheet holding a value: 17 billion cells that
    // calamine would try to allocate. Refused after a streaming pass, without loading it.
    let full = ods(
        r#"<table:table table:name="Pieno"><table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell></table:table-row></table:table>"#,
    );
    let path = dir.path().join("pieno.ods");
    std::fs::write(&path, full).unwrap();
    match source::open(&path, None) {
        Err(SheetError::TooLarge { rows, cols, .. }) => {
            assert_eq!((rows, cols), (1_048_576, 16_384))
        }
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("a full sheet was opened"),
    }

    // xlsx: rows written cell by cell down to row 1,048,576 (the sheet XML of a workbook made
    // by rust_xlsxwriter replaced by a generated one), streamed. Every row with
    // MPD_SHEETS_FULL=1 (~70 MB of XML, a minute in a debug build); by default the first
    // 100,000 and the last, through the same code.
    let dense_to: u32 = if std::env::var_os("MPD_SHEETS_FULL").is_some() {
        1_048_576
    } else {
        100_000
    };
    let small = dir.path().join("piccolo.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "x").unwrap();
    wb.save(&small).unwrap();
    let big = dir.path().join("alto.xlsx");
    {
        let mut zin = zip::ZipArchive::new(std::fs::File::open(&small).unwrap()).unwrap();
        let mut zout = zip::ZipWriter::new(std::fs::File::create(&big).unwrap());
        // Stored, not deflated: the test measures the reader, not zlib in a debug build.
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(true);
        for i in 0..zin.len() {
            let mut f = zin.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            zout.start_file(name.as_str(), o).unwrap();
            if name != "xl/worksheets/sheet1.xml" {
                std::io::copy(&mut f, &mut zout).unwrap();
                continue;
            }
            let mut w = std::io::BufWriter::new(&mut zout);
            w.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:B1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Codice fiscale</t></is></c><c r="B1" t="inlineStr"><is><t>Importo</t></is></c></row>"#).unwrap();
            for r in (2..=dense_to).chain(std::iter::once(1_048_576).filter(|&r| r > dense_to)) {
                write!(
                    w,
                    r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>RSSMRA80A01H501U</t></is></c><c r="B{r}"><v>12.5</v></c></row>"#
                )
                .unwrap();
            }
            w.write_all(b"</sheetData></worksheet>").unwrap();
            w.flush().unwrap();
        }
        zout.finish().unwrap();
    }
    let mut count = 0usize;
    let mut last = 0usize;
    for row in source::open(&big, None).unwrap() {
        let row = row.unwrap();
        if count > 0 {
            assert_eq!(row.get(1), &Cell::Number(12.5));
        }
        count += 1;
        last = row.number;
    }
    let expected = if dense_to == 1_048_576 {
        1_048_576
    } else {
        dense_to as usize + 1
    };
    assert_eq!((count, last), (expected, 1_048_576));

    if let (Some(before), Some(after)) = (before, peak_mib()) {
        // calamine holds the ODS's million rows of two cells (~100 MB); the xlsx and the rows
        // themselves are streamed in batches. The issue's bound is 600 MB.
        assert!(
            after < 400,
            "peak resident memory {after} MiB (before: {before} MiB)"
        );
        eprintln!("peak resident memory: {before} MiB before, {after} MiB after");
    }
}
