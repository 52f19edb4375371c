//! Tests of the import of debt positions from the clerk's sheets (issue 14 item 2): the wide
//! shape (one row per household, the options in columns) from CSV and XLSX, the long shape
//! (one row per option, a position code and the option's number), their errors named by row
//! and column, drafts, and a roll imported twice.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeZone, Utc};
use mpd_domain::cf;
use mpd_domain::posizione::Rata;
use mpd_store::posizioni::FiltroPosizioni;
use mpd_store::{DovutoFilter, DovutoStato};

use super::*;
use crate::report::RowReport;

const ENTE: &str = r#"
[ente]
codice_ipa = "c_x123"
codice_fiscale = "00123456789"
denominazione = "Comune di Esempio"
codice_segregazione = "12"

[[tipi_dovuto]]
codice = "TARI"
descrizione = "Tassa rifiuti"
dati_specifici_riscossione = "9/0101100IM/"
attivo = true
scadenza_obbligatoria = true
"#;

fn cf16(first15: &str) -> String {
    format!("{first15}{}", cf::check_char(first15.as_bytes()).unwrap())
}

fn desk(dir: &Path) -> Desk {
    let mut d = Desk::open(Some(&dir.join("t.sqlite")), &mpd_store::testing::chiave())
        .unwrap()
        .with_now(Utc.with_ymd_and_hms(2027, 1, 15, 9, 0, 0).unwrap());
    let ente = dir.join("ente.toml");
    std::fs::write(&ente, ENTE).unwrap();
    d.ente_set_file(&ente).unwrap();
    d
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const LARGO: &str = "Codice fiscale;Cognome e nome;Causale;Importo rata unica;Scadenza rata unica;\
    Importo 1ª rata;Scadenza 1ª rata;Importo 2ª rata;Scadenza 2ª rata;Importo 3ª rata;Scadenza 3ª rata\n";

/// Two households with rata unica + 3 instalments, one with only the rata unica (a plain
/// debt), one with two instalments and no rata unica.
fn ruolo_largo(dir: &Path) -> PathBuf {
    let anna = cf16("BNCNNA85M41F205");
    let luigi = cf16("VRDLGU75B12F205");
    let text = format!(
        "{LARGO}\
         RSSMRA80A01H501U;Rossi Mario;TARI 2027;300,00;30/04/2027;100,00;30/04/2027;100,00;31/07/2027;100,00;31/10/2027\n\
         {anna};Bianchi Anna;TARI 2027;150,50;30/04/2027;50,00;30/04/2027;50,00;31/07/2027;50,50;31/10/2027\n\
         {luigi};Verdi Luigi;TARI 2027;80,00;30/04/2027;;;;;;\n\
         {luigi};Verdi Luigi;TARI 2027 (seconda casa);;;60,00;30/04/2027;60,00;31/07/2027;;\n\
         ;;;530,50;;210,00;;210,00;;150,50;\n"
    );
    write(dir, "ruolo.csv", &text)
}

fn opts() -> SheetOptions {
    SheetOptions::default()
}

fn problemi(r: &RowReport) -> String {
    r.problemi
        .iter()
        .map(|p| format!("{}: {}", p.campo.clone().unwrap_or_default(), p.messaggio))
        .collect::<Vec<_>>()
        .join(" | ")
}

fn riga(report: &ImportReport, n: usize) -> &RowReport {
    report
        .errori
        .iter()
        .find(|r| r.riga == n)
        .unwrap_or_else(|| panic!("no error on row {n}: {report:#?}"))
}

#[test]
fn a_wide_roll_makes_one_position_per_household_and_a_plain_row_stays_one_debt() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(dir.path());
    let path = ruolo_largo(dir.path());
    let r = d.import_file(&path, &opts()).unwrap();
    assert!(r.errori.is_empty(), "{r:#?}");
    // The totals at the bottom, in the options' columns, are not a household.
    assert!(
        r.foglio
            .as_ref()
            .unwrap()
            .note
            .iter()
            .any(|n| n.contains("riga 6: riga dei totali")),
        "{r:#?}"
    );
    assert_eq!(r.righe_lette, 4);
    assert_eq!(r.righe_valide, 4);
    assert_eq!((r.posizioni, r.opzioni), (3, 10));
    assert_eq!(r.importate, 11);
    let p = d.posizioni(&FiltroPosizioni::default()).unwrap();
    assert_eq!(p.len(), 3, "{p:#?}");
    let rossi = p
        .iter()
        .find(|p| p.codice_pagatore == "RSSMRA80A01H501U")
        .unwrap();
    // The natural key: payment type, year, payer, the causale's hash.
    assert!(
        rossi.codice.starts_with("TARI-2027-RSSMRA80A01H501U-"),
        "{}",
        rossi.codice
    );
    assert_eq!(rossi.oggetto, "TARI 2027");
    // Each option's causale names it, as `debts add-position` writes it.
    let causali: Vec<String> = d
        .store
        .dovuti(&DovutoFilter::default())
        .unwrap()
        .into_iter()
        .filter(|x| {
            x.row.get(mpd_domain::Column::CodiceIdentificativoUnivoco) == "RSSMRA80A01H501U"
        })
        .map(|x| x.row.get(mpd_domain::Column::CausaleVersamento).to_string())
        .collect();
    for c in [
        "TARI 2027 - rata unica",
        "TARI 2027 - rata 1 di 3",
        "TARI 2027 - rata 3 di 3",
    ] {
        assert!(causali.iter().any(|x| x == c), "{c}: {causali:?}");
    }
    let opzioni: Vec<(Rata, i64, &str)> = rossi
        .opzioni
        .iter()
        .map(|o| (o.rata, o.importo_cents, o.scadenza.as_str()))
        .collect();
    assert_eq!(
        opzioni,
        [
            (Rata::Unica, 30000, "2027-04-30"),
            (Rata::N(1), 10000, "2027-04-30"),
            (Rata::N(2), 10000, "2027-07-31"),
            (Rata::N(3), 10000, "2027-10-31"),
        ]
    );
    // Each option its own IUD, from one base.
    assert!(rossi.opzioni[0].iud.ends_with('U'));
    assert!(rossi.opzioni[3].iud.ends_with("R03"));
    // Verdi: a plain debt and a position of two instalments, apart (another causale).
    let verdi: Vec<_> = p
        .iter()
        .filter(|p| p.codice_pagatore.starts_with("VRDLGU"))
        .collect();
    assert_eq!(verdi.len(), 1);
    assert_eq!(verdi[0].opzioni.len(), 2);
    assert!(verdi[0].opzioni.iter().all(|o| !o.rata.is_unica()));
    let tutti = d.store.dovuti(&DovutoFilter::default()).unwrap();
    assert_eq!(tutti.len(), 11);
    assert!(tutti.iter().all(|x| x.stato == DovutoStato::Ready));
}

#[test]
fn the_same_roll_twice_creates_no_second_position() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(dir.path());
    let path = ruolo_largo(dir.path());
    d.import_file(&path, &opts()).unwrap();
    // Every row already in: the file is refused whole.
    let again = d.import_file(&path, &opts());
    assert!(
        matches!(again, Err(CoreError::AlreadyImported(_))),
        "{again:?}"
    );
    // With a new household: the old ones are errors naming the position, nothing is saved.
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!(
        "{};Neri Carla;TARI 2027;90,00;30/04/2027;45,00;30/04/2027;45,00;31/07/2027;;\n",
        cf16("NRECRL70A41F205")
    ));
    let path2 = write(dir.path(), "ruolo2.csv", &text);
    let r = d.import_file(&path2, &opts()).unwrap();
    let e = riga(&r, 2);
    assert_eq!(e.problemi[0].codice, codes::POSIZIONE_IN_ARCHIVIO, "{e:#?}");
    assert!(problemi(e).contains("già in archivio"), "{}", problemi(e));
    assert_eq!(r.importate, 0);
    assert_eq!(d.posizioni(&FiltroPosizioni::default()).unwrap().len(), 3);
    // The same household twice in one file: the second row repeats the first.
    let dup = format!(
        "{LARGO}\
         RSSMRA80A01H501U;Rossi Mario;TARI 2028;300,00;30/04/2028;100,00;30/04/2028;100,00;31/07/2028;100,00;31/10/2028\n\
         RSSMRA80A01H501U;Rossi Mario;TARI 2028;300,00;30/04/2028;100,00;30/04/2028;100,00;31/07/2028;100,00;31/10/2028\n"
    );
    let path3 = write(dir.path(), "doppio.csv", &dup);
    let r = d.import_file(&path3, &opts()).unwrap();
    let e = riga(&r, 3);
    assert!(
        problemi(e).contains("ripete la posizione della riga 2"),
        "{}",
        problemi(e)
    );
    assert_eq!(r.errori.len(), 1, "{r:#?}");
}

#[test]
fn a_wide_row_breaking_a_rule_is_named_by_row_and_column_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(dir.path());
    let text = format!(
        "{LARGO}\
         RSSMRA80A01H501U;Rossi Mario;TARI 2027;300,00;30/04/2027;100,00;30/04/2027;100,00;31/07/2027;100,00;31/10/2027\n\
         {};Bianchi Anna;TARI 2027;300,00;30/04/2027;100,00;30/04/2027;100,00;31/07/2027;50,00;31/10/2027\n\
         {};Verdi Luigi;TARI 2027;300,00;30/04/2027;100,00;30/04/2027;100,00;31/10/2027;100,00;31/07/2027\n\
         {};Neri Carla;TARI 2027;;;100,00;30/04/2027;;31/07/2027;;\n",
        cf16("BNCNNA85M41F205"),
        cf16("VRDLGU75B12F205"),
        cf16("NRECRL70A41F205"),
    );
    let path = write(dir.path(), "errato.csv", &text);
    let r = d.import_file(&path, &opts()).unwrap();
    assert_eq!(r.importate, 0);
    assert_eq!((r.posizioni, r.opzioni), (4, 14));
    assert_eq!(
        r.errori.iter().map(|e| e.riga).collect::<Vec<_>>(),
        [3, 4, 5]
    );
    // Row 3: the instalments do not add up to the rata unica.
    let e = riga(&r, 3);
    let p = &e.problemi[0];
    assert_eq!(p.campo.as_deref(), Some("Importo rata unica"), "{e:#?}");
    assert!(p.messaggio.contains("250,00"), "{}", p.messaggio);
    // Row 4: the 3rd instalment falls before the 2nd, named by its own column.
    let e = riga(&r, 4);
    assert_eq!(e.problemi.len(), 1, "{e:#?}");
    assert_eq!(e.problemi[0].campo.as_deref(), Some("Scadenza 3ª rata"));
    assert!(e.problemi[0].messaggio.contains("ordine crescente"));
    // Row 5: a due date with no amount.
    let e = riga(&r, 5);
    assert_eq!(
        e.problemi[0].campo.as_deref(),
        Some("Importo 2ª rata"),
        "{e:#?}"
    );
    assert!(d.posizioni(&FiltroPosizioni::default()).unwrap().is_empty());

    // Kept as drafts (the window's import): every option of every row, the broken positions
    // with their options as drafts, the valid one ready.
    let r = d
        .import_file_with(
            &path,
            &opts(),
            ImportMode::KeepDrafts,
            crate::report::ImportHooks::default(),
        )
        .unwrap();
    assert_eq!(r.importate, 4 + 4 + 4 + 2, "{r:#?}");
    assert_eq!(r.bozze, 10);
    assert!(r.errori.iter().all(|e| e.bozza && !e.iud.is_empty()));
    let p = d.posizioni(&FiltroPosizioni::default()).unwrap();
    assert_eq!(p.len(), 4, "{p:#?}");
    let tutti = d.store.dovuti(&DovutoFilter::default()).unwrap();
    assert_eq!(
        tutti
            .iter()
            .filter(|x| x.stato == DovutoStato::Draft)
            .count(),
        10
    );
}

#[test]
fn a_wide_xlsx_with_numbers_and_dates_reads_as_its_csv() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(dir.path());
    let path = dir.path().join("ruolo.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let headers = [
        "C.F.",
        "Nominativo",
        "Causale",
        "Unica soluzione",
        "Scadenza unica soluzione",
        "Rata 1",
        "Scadenza rata 1",
        "Rata 2",
        "Scadenza rata 2",
        "Rata 3",
        "Scadenza rata 3",
    ];
    for (i, h) in headers.iter().enumerate() {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    let g = |m, dd| NaiveDate::from_ymd_opt(2027, m, dd).unwrap();
    let rows = [
        ("RSSMRA80A01H501U", "Rossi Mario", 240.0, [80.0, 80.0, 80.0]),
        (
            "BNCNNA85M41F205",
            "Bianchi Anna",
            99.99,
            [33.33, 33.33, 33.33],
        ),
    ];
    for (i, (cf, nome, unica, rate)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        let cf = if cf.len() == 15 {
            cf16(cf)
        } else {
            cf.to_string()
        };
        ws.write_string(r, 0, &cf).unwrap();
        ws.write_string(r, 1, *nome).unwrap();
        ws.write_string(r, 2, "TARI 2027").unwrap();
        ws.write_number(r, 3, *unica).unwrap();
        ws.write_date_with_format(r, 4, g(4, 30), &date).unwrap();
        for (k, (imp, due)) in rate.iter().zip([g(4, 30), g(7, 31), g(10, 31)]).enumerate() {
            ws.write_number(r, 5 + 2 * k as u16, *imp).unwrap();
            ws.write_date_with_format(r, 6 + 2 * k as u16, due, &date)
                .unwrap();
        }
    }
    wb.save(&path).unwrap();
    let r = d.import_file(&path, &opts()).unwrap();
    assert!(r.errori.is_empty(), "{r:#?}");
    assert_eq!(
        (r.righe_lette, r.posizioni, r.opzioni, r.importate),
        (2, 2, 8, 8)
    );
    let p = d.posizioni(&FiltroPosizioni::default()).unwrap();
    let bianchi = p
        .iter()
        .find(|p| p.codice_pagatore.starts_with("BNC"))
        .unwrap();
    assert_eq!(
        bianchi
            .opzioni
            .iter()
            .map(|o| (o.importo_cents, o.scadenza.as_str()))
            .collect::<Vec<_>>(),
        [
            (9999, "2027-04-30"),
            (3333, "2027-04-30"),
            (3333, "2027-07-31"),
            (3333, "2027-10-31")
        ]
    );
}

#[test]
fn a_long_roll_groups_rows_by_position_code_and_two_payers_name_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(dir.path());
    let anna = cf16("BNCNNA85M41F205");
    let text = format!(
        "Codice avviso;N. rata;Codice fiscale;Nominativo;Importo;Scadenza;Causale\n\
         AV-001;U;RSSMRA80A01H501U;Rossi Mario;200,00;30/04/2027;TARI 2027\n\
         AV-002;0;{anna};Bianchi Anna;100,00;30/04/2027;TARI 2027\n\
         AV-001;1;RSSMRA80A01H501U;Rossi Mario;100,00;30/04/2027;TARI 2027\n\
         AV-001;2ª;RSSMRA80A01H501U;Rossi Mario;100,00;31/07/2027;TARI 2027\n\
         AV-002;1;{anna};Bianchi Anna;50,00;30/04/2027;TARI 2027\n\
         AV-002;2;RSSMRA80A01H501U;Rossi Mario;50,00;31/07/2027;TARI 2027\n"
    );
    let path = write(dir.path(), "lungo.csv", &text);
    let r = d.import_file(&path, &opts()).unwrap();
    assert_eq!((r.righe_lette, r.posizioni, r.opzioni), (6, 2, 6));
    // AV-002: two payers, named on the row of the other payer with the rows of the position;
    // its other rows say why they were not imported.
    assert_eq!(
        r.errori.iter().map(|e| e.riga).collect::<Vec<_>>(),
        [3, 6, 7]
    );
    let e = riga(&r, 7);
    assert_eq!(e.problemi[0].campo.as_deref(), Some("Codice fiscale"));
    assert!(
        problemi(e).contains("posizione «AV-002» (righe 3, 6 e 7)"),
        "{}",
        problemi(e)
    );
    assert!(problemi(e).contains("stesso pagatore"), "{}", problemi(e));
    assert!(problemi(riga(&r, 3)).contains("per i problemi della riga 7"));
    assert_eq!(r.importate, 0);

    // Valid rows only: AV-001 whole, AV-002 not at all.
    let o = SheetOptions {
        valid_only: true,
        ..opts()
    };
    let r = d.import_file(&path, &o).unwrap();
    assert_eq!(r.importate, 3, "{r:#?}");
    let p = d.posizioni(&FiltroPosizioni::default()).unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].codice, "AV-001");
    assert_eq!(
        p[0].opzioni.iter().map(|o| o.rata).collect::<Vec<_>>(),
        [Rata::Unica, Rata::N(1), Rata::N(2)]
    );
}

#[test]
fn a_long_row_missing_its_number_or_its_code_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(dir.path());
    let text = "Posizione;Rata;Codice fiscale;Nominativo;Importo;Scadenza;Causale\n\
         P1;;RSSMRA80A01H501U;Rossi Mario;200,00;30/04/2027;TARI 2027\n\
         ;1;RSSMRA80A01H501U;Rossi Mario;100,00;30/04/2027;TARI 2027\n\
         P2;14;RSSMRA80A01H501U;Rossi Mario;100,00;30/04/2027;TARI 2027\n\
         ;;RSSMRA80A01H501U;Rossi Mario;10,00;30/04/2027;Multa\n";
    let path = write(dir.path(), "lungo.csv", text);
    let r = d.import_file(&path, &opts()).unwrap();
    assert_eq!(
        r.errori.iter().map(|e| e.riga).collect::<Vec<_>>(),
        [2, 3, 4]
    );
    assert_eq!(riga(&r, 2).problemi[0].campo.as_deref(), Some("Rata"));
    assert_eq!(riga(&r, 3).problemi[0].campo.as_deref(), Some("Posizione"));
    assert!(problemi(riga(&r, 4)).contains("«14» non è una rata"));
    // A row with neither is a debt on its own.
    assert_eq!(r.righe_valide, 1);
}

/// The README's two examples («Positions from a spreadsheet») import as it says: the wide one
/// two positions (4 and 2 options) and a plain debt, the long one a position of three.
#[test]
fn the_readme_examples_import_as_described() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../README.md"))
            .unwrap();
    let block = |head: &str| -> String {
        let start = readme.find(head).expect("example in the README");
        let end = readme[start..].find("```").unwrap() + start;
        readme[start..end]
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    };
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(dir.path());
    let largo = write(
        dir.path(),
        "largo.csv",
        &block("Codice fiscale;Cognome e nome;Causale;Importo rata unica"),
    );
    let r = d.import_file(&largo, &opts()).unwrap();
    assert!(r.errori.is_empty(), "{r:#?}");
    assert_eq!(
        (r.righe_lette, r.posizioni, r.opzioni, r.importate),
        (3, 2, 6, 7)
    );
    // Another archive: with the clock pinned, two imports would generate the same IUDs.
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(dir.path());
    let lungo = write(
        dir.path(),
        "lungo.csv",
        &block("Codice avviso;N. rata;Codice fiscale"),
    );
    let r = d.import_file(&lungo, &opts()).unwrap();
    assert!(r.errori.is_empty(), "{r:#?}");
    assert_eq!(
        (r.righe_lette, r.posizioni, r.opzioni, r.importate),
        (3, 1, 3, 3)
    );
    assert!(d.posizione("TARI-0001").unwrap().is_some());
}

/// A wide roll with its own position codes («Codice avviso»): the positions take them, and
/// two households given the same code by mistake are one row's error, not a merged position.
#[test]
fn a_wide_roll_with_its_own_codes_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = desk(dir.path());
    let text = format!(
        "Codice avviso;{LARGO}\
         AV-1;RSSMRA80A01H501U;Rossi Mario;TARI 2027;200,00;30/04/2027;100,00;30/04/2027;100,00;31/07/2027;;\n\
         AV-1;{};Bianchi Anna;TARI 2027;200,00;30/04/2027;100,00;30/04/2027;100,00;31/07/2027;;\n\
         AV-2;{};Verdi Luigi;TARI 2027;200,00;30/04/2027;100,00;30/04/2027;100,00;31/07/2027;;\n",
        cf16("BNCNNA85M41F205"),
        cf16("VRDLGU75B12F205")
    );
    let path = write(dir.path(), "codici.csv", &text);
    let r = d.import_file(&path, &opts()).unwrap();
    assert_eq!(
        r.errori.iter().map(|e| e.riga).collect::<Vec<_>>(),
        [3],
        "{r:#?}"
    );
    assert!(problemi(&r.errori[0]).contains("ripete la posizione della riga 2"));
    let o = SheetOptions {
        valid_only: true,
        ..opts()
    };
    let r = d.import_file(&path, &o).unwrap();
    assert_eq!(r.importate, 6, "{r:#?}");
    let p = d.posizioni(&FiltroPosizioni::default()).unwrap();
    assert_eq!(
        p.iter().map(|p| p.codice.as_str()).collect::<Vec<_>>(),
        ["AV-1", "AV-2"]
    );
    assert_eq!(p[0].codice_pagatore, "RSSMRA80A01H501U");
}
