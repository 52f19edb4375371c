//! The exports read back: the workbook with calamine (sheets, headers, values), the reversal
//! proposals' files, MyPivot's zip; the default chapter through the app.

use std::io::Read;

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::{TimeZone, Utc};
use mpd_domain::{Column, Ente, RawRow, TipoDovuto};
use mpd_store::{DovutoStato, NewDovuto, NewRicevuta, Store};

use super::*;

const BIL: &str = "<bilancio><capitolo><codCapitolo>3010</codCapitolo><accertamento><codAccertamento>2024/15</codAccertamento><importo>150.00</importo></accertamento></capitolo></bilancio>";

fn fixture(nome: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../mpd-tracciato/testdata/fdr/{nome}"))
}

/// The Ente of the spec's FdR example, a TARI debt with a bilancio paid by the example's first
/// payment, a second receipt of another amount than reported, and the FdR imported.
fn app(dir: &Path) -> App {
    let db = dir.join("desk.sqlite");
    let now = Utc.with_ymd_and_hms(2024, 5, 20, 9, 0, 0).unwrap();
    let mut s = Store::open(&db, &mpd_store::testing::chiave()).unwrap();
    let ente = Ente {
        codice_ipa: "c_x000".into(),
        codice_fiscale: "80001234567".into(),
        denominazione: "Comune di Esempio".into(),
        codice_segregazione: "12".into(),
    };
    let tipo = |c: &str| TipoDovuto {
        codice: c.into(),
        descrizione: c.into(),
        dati_specifici_riscossione: "9/0101100IM/".into(),
        attivo: true,
        cf_anonimo: false,
        scadenza_obbligatoria: false,
        stampa_data_scadenza: false,
        causale_predefinita: None,
        importo_predefinito: None,
        scadenza_predefinita: None,
        posizioni: Default::default(),
    };
    s.save_ente(&ente, "{}", &[tipo("TARI"), tipo("IMU")], now)
        .unwrap();
    let mut row = RawRow::default();
    row.set(Column::Iud, "IUD-TARI-1");
    row.set(Column::TipoIdentificativoUnivoco, "F");
    row.set(Column::CodiceIdentificativoUnivoco, "RSSMRA80A01H501U");
    row.set(Column::AnagraficaPagatore, "=ROSSI MARIO");
    row.set(Column::TipoDovuto, "TARI");
    row.set(Column::CausaleVersamento, "TARI 2024");
    row.set(Column::DatiSpecificiRiscossione, "9/0101100IM/");
    row.set(Column::Bilancio, BIL);
    s.insert_dovuti(
        &[NewDovuto {
            row,
            importo_cents: 15000,
            commissione_cents: None,
            stato: DovutoStato::Loaded,
            sorgente: None,
            posizione: None,
        }],
        now,
    )
    .unwrap();
    s.upsert_ricevute(
        [
            NewRicevuta {
                iuv: "01240000000012345".into(),
                iur: "BCITITMM240513A0000001".into(),
                iud: "IUD-TARI-1".into(),
                importo_cents: 15000,
                data_esito: "2024-05-13".into(),
                esito: "0".into(),
                anagrafica_pagatore: "=ROSSI MARIO".into(),
                ..Default::default()
            },
            NewRicevuta {
                iuv: "01240000000012346".into(),
                iur: "BCITITMM240513A0000002".into(),
                iud: "ALTRO".into(),
                importo_cents: 4800,
                data_esito: "2024-05-13".into(),
                esito: "0".into(),
                tipo_dovuto: "IMU".into(),
                ..Default::default()
            },
        ],
        now,
    )
    .unwrap();
    drop(s);
    let credenziali = Box::leak(Box::new(mpd_client::MemoryStore::default()));
    let app = App::new(Some(db), crate::ConnectOptions::default(), credenziali)
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA))
        .con_ora(now);
    crate::riconciliazione::importa(&app, &[fixture("fdr-esempio.xml")]).unwrap();
    app
}

fn cella(r: &calamine::Range<Data>, riga: usize, col: usize) -> String {
    r.get((riga, col))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

#[test]
fn totals_by_type_chapter_and_month() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    imposta_capitolo_tipo(
        &app,
        CapitoloTipo {
            tipo_dovuto: "IMU".into(),
            capitolo: "1010".into(),
            articolo: String::new(),
            accertamento: "2024/3".into(),
            ufficio: String::new(),
        },
    )
    .unwrap();
    let t = totali(&app).unwrap();
    // Two receipts and the esito-9 row reconciled from the flow (25.00, no type known).
    assert_eq!(t.pagamenti, 3);
    assert_eq!(t.totale_cents, 15000 + 4800 + 2500);
    let g = |v: &[TotaleVista]| -> Vec<(String, i64)> {
        v.iter()
            .map(|t| (t.etichetta.clone(), t.importo_cents))
            .collect()
    };
    assert_eq!(
        g(&t.per_tipo),
        vec![
            ("IMU".into(), 4800),
            ("TARI".into(), 15000),
            ("tipo dovuto non indicato".into(), 2500)
        ]
    );
    assert_eq!(
        g(&t.per_capitolo),
        vec![
            ("1010".into(), 4800),
            ("3010".into(), 15000),
            ("capitolo non indicato".into(), 2500)
        ]
    );
    assert_eq!(g(&t.per_mese), vec![("maggio 2024".into(), 22300)]);
    assert_eq!(capitoli_tipi(&app).unwrap().len(), 1);
    assert!(raggruppamento("boh").is_err());
    // No treasury entries yet: no proposals, and the files say so with their header.
    assert!(proposte(&app).unwrap().is_empty());
    let csv = dir.path().join("reversali.csv");
    let e = salva_proposte(&app, &csv).unwrap();
    assert_eq!(e.righe, 0);
    let testo = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(
        testo.trim_end(),
        "\u{feff}Esercizio;Numero bolletta;Data;Capitolo;Articolo;Accertamento;Importo;Descrizione"
    );
    assert!(salva_proposte(&app, &dir.path().join("x.pdf")).is_err());
    assert!(salva_proposte(&app, Path::new("relativo.csv")).is_err());
}

#[test]
fn the_workbook_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let out = dir.path().join("riconciliazione.xlsx");
    let e = esporta_riconciliazione(&app, &out).unwrap();
    assert_eq!(e.righe, 3, "{}", e.testo);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Riepilogo",
            "Pagamenti",
            "Anomalie",
            "Proposte di reversale"
        ]
    );
    let r = wb.worksheet_range("Riepilogo").unwrap();
    assert_eq!(cella(&r, 0, 0), "Riconciliazione — Comune di Esempio");
    assert_eq!(cella(&r, 1, 2), "223");
    let p = wb.worksheet_range("Pagamenti").unwrap();
    let intestazione: Vec<String> = (0..12).map(|c| cella(&p, 0, c)).collect();
    assert_eq!(intestazione[0], "IUV");
    assert_eq!(intestazione[9], "Stato");
    assert_eq!(intestazione[11], "Etichette MyPivot");
    let riga_di = |iuv: &str| (1..p.height()).find(|&i| cella(&p, i, 0) == iuv).unwrap();
    let tari = riga_di("01240000000012345");
    assert_eq!(cella(&p, tari, 3), "150");
    assert_eq!(cella(&p, tari, 6), "3010");
    assert_eq!(cella(&p, tari, 9), "rendicontato");
    assert_eq!(cella(&p, tari, 11), "IUD_RT_IUF, RT_IUF, IUF_NO_TES");
    // The payer that looked like a formula is text.
    assert_eq!(cella(&p, tari, 8), "'=ROSSI MARIO");
    let diverso = riga_di("01240000000012346");
    assert_eq!(cella(&p, diverso, 9), "rendicontato con importo diverso");
    assert_eq!(cella(&p, diverso, 11), "RT_NO_IUF, RT_NO_IUD, IUF_NO_TES");
    let a = wb.worksheet_range("Anomalie").unwrap();
    assert_eq!(cella(&a, 0, 12), "Cosa fare");
    assert_eq!(a.height(), 2, "one anomaly: the other amount");
    assert!(cella(&a, 1, 12).starts_with("Chieda al PSP"));
    let v = wb.worksheet_range("Proposte di reversale").unwrap();
    assert_eq!(cella(&v, 0, 6), "Importo");
    assert_eq!(v.height(), 1);
}

#[test]
fn mypivot_zip_with_and_without_the_i_block() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    for (con_i, colonne) in [(true, 141), (false, 120)] {
        let out = dir.path().join(format!("mypivot-{con_i}.zip"));
        let e = esporta_mypivot(&app, &out, con_i, false).unwrap();
        let mut z = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
        let mut f = z.by_index(0).unwrap();
        let nome = f.name().unwrap().to_string();
        assert!(
            nome.starts_with("c_x000-1_ESTRAZIONE_RICONCILIAZIONE_2024")
                && nome.ends_with("-1.4.csv"),
            "{nome}"
        );
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        let mut rd = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(s.as_bytes());
        assert_eq!(rd.headers().unwrap().len(), colonne);
        let righe: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
        assert_eq!(righe.len(), e.righe);
        // TARI: IUD_RT_IUF (its debt is paid: the Ente's notification), RT_IUF, IUF_NO_TES;
        // the other amount: RT_NO_IUF, RT_NO_IUD, IUF_NO_TES; the esito-9 row's synthetic
        // receipt: RT_IUF, RT_NO_IUD, IUF_NO_TES.
        let col = colonne - 7;
        let mut etichette: Vec<&str> = righe.iter().map(|r| &r[col]).collect();
        etichette.sort();
        assert_eq!(
            etichette,
            [
                "IUD_RT_IUF",
                "IUF_NO_TES",
                "IUF_NO_TES",
                "IUF_NO_TES",
                "RT_IUF",
                "RT_IUF",
                "RT_NO_IUD",
                "RT_NO_IUD",
                "RT_NO_IUF"
            ],
            "{s}"
        );
        assert_eq!(
            righe[0].iter().filter(|c| *c == "IUD-TARI-1").count(),
            if con_i { 2 } else { 1 }
        );
    }
}
