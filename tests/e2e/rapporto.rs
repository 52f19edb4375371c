//! `report`: the one-page report (expected, collected, outstanding, overdue; overdue payers),
//! as text, as JSON and as PDF and Excel files.

use chrono::{TimeZone, Utc};
use mpd_domain::Column;
use mpd_e2e::{Env, row};
use mpd_store::{DovutoStato, NewDovuto, NewRicevuta, Store};

/// The Ente of the tests with a paid debt, two overdue ones of one payer, one not yet due on
/// 27/11/2026, a cancelled one and a draft.
fn env() -> Env {
    use DovutoStato::*;
    let env = Env::with_ente();
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
    let debt = |iud: &str, cf: &str, nome: &str, scadenza: &str, cents: i64, stato| {
        let mut r = row(iud, cf, "0.00");
        r.set(Column::AnagraficaPagatore, nome);
        r.set(Column::DataScadenzaPagamento, scadenza);
        NewDovuto {
            row: r,
            importo_cents: cents,
            commissione_cents: None,
            stato,
            sorgente: None,
            posizione: None,
        }
    };
    let (a, b) = ("RSSMRA80A01H501U", "BNCLRA85M41F205X");
    let mut s = Store::open(&env.db(), &mpd_core::testing::chiave()).unwrap();
    s.insert_dovuti(
        &[
            debt("P1", a, "ROSSI MARIO", "2026-10-31", 10_000, Loaded),
            debt("S1", b, "BIANCHI LAURA", "2026-09-30", 100_000, Loaded),
            debt("S2", b, "BIANCHI LAURA", "2026-10-31", 23_456, Loaded),
            debt("N1", a, "ROSSI MARIO", "2026-12-31", 3_000, Loaded),
            debt("C1", a, "ROSSI MARIO", "2026-09-30", 7_000, Cancelled),
            debt("D1", b, "BIANCHI LAURA", "2026-09-30", 9_000, Draft),
        ],
        now,
    )
    .unwrap();
    s.upsert_ricevute(
        [NewRicevuta {
            iuv: "IUVP1".into(),
            iur: "IUR1".into(),
            iud: "P1".into(),
            importo_cents: 10_000,
            data_esito: "2026-10-20".into(),
            ..Default::default()
        }],
        now,
    )
    .unwrap();
    env
}

#[test]
fn report_json_has_the_totals_by_type_and_month_and_the_overdue_payers() {
    let env = env();
    let (code, r) = env.json(&["report", "--data", "27/11/2026"]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["ente"], "Comune di Esempio");
    assert_eq!(r["data"], "2026-11-27");
    let t = &r["totale"];
    assert_eq!(t["atteso_cents"], 10_000 + 100_000 + 23_456 + 3_000);
    assert_eq!(t["incassato_cents"], 10_000);
    assert_eq!(t["residuo_cents"], 100_000 + 23_456 + 3_000);
    assert_eq!(t["scaduto_cents"], 123_456);
    assert_eq!(r["per_tipo"][0]["descrizione"], "Tassa rifiuti");
    assert_eq!(r["per_mese"].as_array().unwrap().len(), 3);
    assert_eq!(r["morosi"].as_array().unwrap().len(), 1);
    assert_eq!(r["morosi"][0]["codice_pagatore"], "BNCLRA85M41F205X");
    assert_eq!(r["morosi"][0]["dovuti"], 2);
    assert_eq!(r["morosi"][0]["scadenza_piu_vecchia"], "2026-09-30");
    // A month later the debt due in December is overdue too.
    let (_, dopo) = env.json(&["report", "--data", "15/01/2027"]);
    assert_eq!(dopo["totale"]["scaduto_cents"], 126_456);
}

#[test]
fn report_writes_the_pdf_and_the_workbook_and_prints_the_figures_in_italian() {
    let env = env();
    let (pdf, xlsx) = (env.path("resoconto.pdf"), env.path("resoconto.xlsx"));
    let r = env.cli(&[
        "report",
        "--data",
        "27/11/2026",
        "--pdf",
        pdf.to_str().unwrap(),
        "--xlsx",
        xlsx.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    for atteso in [
        "Resoconto delle entrate – Comune di Esempio, situazione al 27/11/2026",
        "Scaduto:",
        "1.234,56 €",
        "BIANCHI LAURA",
        "scaduti dal 30/09/2026",
        "Resoconto salvato in PDF",
    ] {
        assert!(r.out.contains(atteso), "{atteso} missing in:\n{}", r.out);
    }
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
}

#[test]
fn report_refuses_a_date_that_is_not_one() {
    let env = env();
    let r = env.cli(&["report", "--data", "31/02/2026"]);
    assert_ne!(r.code, 0);
    assert!(r.err.contains("calendario"), "{r:?}");
}
