//! Store tests: migrations, the debt lifecycle with M/A alignment, flows and receipts.

use chrono::{TimeZone, Utc};
use mpd_domain::{Azione, Column, Ente, RawRow, TipoDovuto};

use super::*;

pub(crate) fn now() -> Now {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

/// The key of the tests' databases on disk.
pub(crate) fn chiave() -> Chiave {
    Chiave::grezza([42; 32])
}

pub(crate) fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    let ente = Ente {
        codice_ipa: "c_x123".into(),
        codice_fiscale: "00123456789".into(),
        denominazione: "Comune di Esempio".into(),
        codice_segregazione: "12".into(),
    };
    let tari = TipoDovuto {
        codice: "TARI".into(),
        descrizione: "Tassa rifiuti".into(),
        dati_specifici_riscossione: "9/0101100IM/".into(),
        attivo: true,
        cf_anonimo: false,
        scadenza_obbligatoria: true,
        stampa_data_scadenza: false,
        causale_predefinita: None,
        importo_predefinito: None,
        scadenza_predefinita: None,
        posizioni: Default::default(),
    };
    s.save_ente(&ente, "{}", &[tari], now()).unwrap();
    s
}

pub(crate) fn debt(iud: &str, cents: i64) -> NewDovuto {
    let mut row = RawRow::default();
    row.set(Column::Iud, iud);
    row.set(Column::TipoIdentificativoUnivoco, "F");
    row.set(Column::CodiceIdentificativoUnivoco, "RSSMRA80A01H501U");
    row.set(Column::AnagraficaPagatore, "Mario Rossi");
    row.set(Column::DataScadenzaPagamento, "2026-12-31");
    row.set(Column::TipoDovuto, "TARI");
    row.set(Column::CausaleVersamento, "TARI 2026");
    row.set(Column::DatiSpecificiRiscossione, "9/0101100IM/");
    row.set(Column::FlagGeneraIuv, "true");
    NewDovuto {
        row,
        importo_cents: cents,
        commissione_cents: None,
        stato: DovutoStato::Ready,
        sorgente: None,
        posizione: None,
    }
}

fn send(s: &mut Store, name: &str) -> i64 {
    let pending = s.dovuti_da_inviare().unwrap();
    let righe = pending
        .iter()
        .map(|d| (d.id, d.azione_pendente.unwrap()))
        .collect();
    let f = NewFlusso {
        nome: name.into(),
        iuf: name.into(),
        versione: "1_3".into(),
        percorso_zip: format!("/tmp/{name}.zip"),
        byte_zip: 1,
        byte_csv: 1,
        righe,
    };
    s.record_flussi(&[f], now()).unwrap()[0]
}

#[test]
fn migrations_apply_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    {
        let s = Store::open(&path, &chiave()).unwrap();
        assert!(s.ente().unwrap().is_none());
    }
    let s = Store::open(&path, &chiave()).unwrap();
    let mode: String = s
        .conn()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = s
        .conn()
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
}

#[test]
fn newer_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    drop(Store::open(&path, &chiave()).unwrap());
    let c = rusqlite::Connection::open(&path).unwrap();
    cifratura::applica(&c, &chiave(), "db").unwrap();
    c.pragma_update(None, "user_version", 99).unwrap();
    drop(c);
    assert!(matches!(
        Store::open(&path, &chiave()),
        Err(StoreError::TooNew(_))
    ));
}

#[test]
fn ente_and_tipi_round_trip_and_missing_tipi_are_deactivated() {
    let mut s = store();
    assert_eq!(s.ente().unwrap().unwrap().codice_ipa, "c_x123");
    let ente = s.ente().unwrap().unwrap();
    s.save_ente(&ente, "{}", &[], now()).unwrap();
    let tipi = s.tipi_dovuto().unwrap();
    assert_eq!(tipi.len(), 1);
    assert!(!tipi[0].attivo);
}

#[test]
fn insert_list_and_count() {
    let mut s = store();
    s.insert_dovuti(&[debt("A1", 1250), debt("A2", 100)], now())
        .unwrap();
    let all = s.dovuti(&DovutoFilter::default()).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].row.get(Column::ImportoDovuto), "12.50");
    assert_eq!(all[0].row.get(Column::Azione), "I");
    assert_eq!(all[0].row.get(Column::FlagGeneraIuv), "true");
    let found = s
        .dovuti(&DovutoFilter {
            testo: Some("a2".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.len(), 1);
    let counts = s.count_by_state().unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!((counts[0].numero, counts[0].importo_cents), (2, 1350));
    // IUD is unique: the whole batch is refused and nothing is half-written.
    assert!(
        s.insert_dovuti(&[debt("B1", 1), debt("A1", 1)], now())
            .is_err()
    );
    assert_eq!(s.dovuti(&DovutoFilter::default()).unwrap().len(), 2);
}

/// Issue 13 item 13: a draft whose due date is not a real date (typed the Italian way, or
/// 30 February) adds no junk month to the Home's chart; real months keep their totals.
#[test]
fn monthly_totals_leave_out_unreadable_due_dates() {
    let mut s = store();
    let with_date = |iud: &str, cents: i64, date: &str, stato: DovutoStato| {
        let mut d = debt(iud, cents);
        d.row.set(Column::DataScadenzaPagamento, date);
        d.stato = stato;
        d
    };
    s.insert_dovuti(
        &[
            with_date("M1", 1000, "2026-12-31", DovutoStato::Ready),
            with_date("M2", 500, "2026-12-01", DovutoStato::Draft),
            with_date("M3", 200, "2027-01-15", DovutoStato::Ready),
            with_date("J1", 7, "31/03/2027", DovutoStato::Draft),
            with_date("J2", 7, "2027-02-30", DovutoStato::Draft),
            with_date("J3", 7, "2027-13-01", DovutoStato::Draft),
            with_date("J4", 7, "9999-99", DovutoStato::Draft),
            with_date("J5", 7, "", DovutoStato::Draft),
        ],
        now(),
    )
    .unwrap();
    let mesi: Vec<(String, i64)> = s
        .totals_by_month()
        .unwrap()
        .into_iter()
        .map(|m| (m.mese, m.atteso_cents))
        .collect();
    assert_eq!(
        mesi,
        // M2 is a draft: not expected yet (the report counts drafts apart too).
        [("2026-12".to_string(), 1000), ("2027-01".to_string(), 200)]
    );
}

#[test]
fn loaded_debt_edited_goes_out_as_m_and_deleted_as_a() {
    let mut s = store();
    s.insert_dovuti(&[debt("A1", 1000), debt("A2", 2000)], now())
        .unwrap();
    let f = send(&mut s, "F1");
    assert_eq!(s.dovuto("A1").unwrap().unwrap().stato, DovutoStato::Sent);
    // While in flight, no change is allowed.
    let err = s.update_dovuto("A1", &debt("A1", 1100), now()).unwrap_err();
    assert!(err.to_string().contains("attesa di esito"), "{err}");
    s.apply_esiti(
        f,
        &[
            RigaEsito::Caricato {
                iud: "A1".into(),
                iuv: Some("12000000000000119".into()),
            },
            RigaEsito::Caricato {
                iud: "A2".into(),
                iuv: None,
            },
        ],
        now(),
    )
    .unwrap();
    let a1 = s.dovuto("A1").unwrap().unwrap();
    assert_eq!((a1.stato, a1.azione_pendente), (DovutoStato::Loaded, None));
    assert_eq!(a1.row.get(Column::CodIuv), "12000000000000119");
    assert!(s.dovuti_da_inviare().unwrap().is_empty());

    // Edit ⇒ M, keeping the IUV (the clerk's row has none: it must be re-sent in full).
    let mut edit = debt("A1", 1100);
    edit.row.set(Column::CodIuv, "12000000000000119");
    let a1 = s.update_dovuto("A1", &edit, now()).unwrap();
    assert_eq!(
        (a1.stato, a1.azione_pendente),
        (DovutoStato::Loaded, Some(Azione::Modifica))
    );
    assert_eq!(a1.row.get(Column::Azione), "M");
    // Changing the IUV or the tipo dovuto of a loaded debt is refused with the reason.
    let mut bad = edit.clone();
    bad.row.set(Column::CodIuv, "");
    assert!(
        s.update_dovuto("A1", &bad, now())
            .unwrap_err()
            .to_string()
            .contains("IUV")
    );
    let mut bad = edit.clone();
    bad.row.set(Column::TipoDovuto, "COSAP");
    assert!(
        s.update_dovuto("A1", &bad, now())
            .unwrap_err()
            .to_string()
            .contains("tipo dovuto")
    );

    // Delete ⇒ A.
    let a2 = s.cancel_dovuto("A2", now()).unwrap();
    assert_eq!(
        (a2.stato, a2.azione_pendente),
        (DovutoStato::Loaded, Some(Azione::Annullamento))
    );
    let pending: Vec<_> = s
        .dovuti_da_inviare()
        .unwrap()
        .into_iter()
        .map(|d| (d.iud, d.row.get(Column::Azione).to_string()))
        .collect();
    assert_eq!(
        pending,
        vec![
            ("A1".to_string(), "M".to_string()),
            ("A2".to_string(), "A".to_string())
        ]
    );

    let f2 = send(&mut s, "F2");
    s.apply_esiti(
        f2,
        &[
            RigaEsito::Caricato {
                iud: "A1".into(),
                iuv: None,
            },
            RigaEsito::Caricato {
                iud: "A2".into(),
                iuv: None,
            },
        ],
        now(),
    )
    .unwrap();
    assert_eq!(s.dovuto("A1").unwrap().unwrap().stato, DovutoStato::Loaded);
    assert_eq!(s.dovuto("A1").unwrap().unwrap().importo_cents, 1100);
    assert_eq!(
        s.dovuto("A2").unwrap().unwrap().stato,
        DovutoStato::Cancelled
    );
}

#[test]
fn payment_started_blocks_cancel_with_reason() {
    let mut s = store();
    s.insert_dovuti(&[debt("A1", 1000)], now()).unwrap();
    let f = send(&mut s, "F1");
    s.apply_esiti(
        f,
        &[RigaEsito::Caricato {
            iud: "A1".into(),
            iuv: None,
        }],
        now(),
    )
    .unwrap();
    s.mark_payment_started("A1", now()).unwrap();
    let err = s.cancel_dovuto("A1", now()).unwrap_err().to_string();
    assert!(
        err.contains("pagamento è iniziato") && err.contains("2026-11-27"),
        "{err}"
    );
}

#[test]
fn rejected_insert_is_fixed_and_ready_again_and_abort_restores() {
    let mut s = store();
    s.insert_dovuti(&[debt("A1", 1000), debt("A2", 1000)], now())
        .unwrap();
    let f = send(&mut s, "F1");
    let unknown = s
        .apply_esiti(
            f,
            &[
                RigaEsito::Scartato {
                    iud: "A1".into(),
                    cod_rifiuto: "PAA_IMPORT_SINTASSI_CSV_COD_FISC".into(),
                    de_rifiuto: "x".into(),
                    spiegazione: "codice fiscale errato".into(),
                },
                RigaEsito::Caricato {
                    iud: "ZZ".into(),
                    iuv: None,
                },
            ],
            now(),
        )
        .unwrap();
    assert_eq!(unknown, vec!["ZZ".to_string()]);
    let a1 = s.dovuto("A1").unwrap().unwrap();
    assert_eq!(a1.stato, DovutoStato::Rejected);
    assert_eq!(
        a1.rifiuto_messaggio.as_deref(),
        Some("codice fiscale errato")
    );
    let rows = s.righe_flusso(f).unwrap();
    assert_eq!(rows[0].esito, "scartato");
    assert_eq!(s.flusso("F1").unwrap().unwrap().righe_scartate, 1);
    let a1 = s.update_dovuto("A1", &debt("A1", 1000), now()).unwrap();
    assert_eq!((a1.stato, a1.rifiuto_codice), (DovutoStato::Ready, None));

    let f2 = send(&mut s, "F2");
    s.abort_flusso(f2, "PAA_IMPORT_FLUSSO_DUPLICATO", "flusso duplicato", now())
        .unwrap();
    assert_eq!(s.dovuto("A1").unwrap().unwrap().stato, DovutoStato::Ready);
    assert_eq!(s.flusso("F2").unwrap().unwrap().stato, FlussoStato::Aborted);
}

#[test]
fn receipts_are_stored_once_and_matched() {
    let mut s = store();
    s.insert_dovuti(&[debt("A1", 1000), debt("A2", 2000)], now())
        .unwrap();
    let r = |iud: &str, iur: &str, cents| NewRicevuta {
        iuv: format!("IUV{iud}"),
        iur: iur.into(),
        iud: iud.into(),
        importo_cents: cents,
        data_esito: "2026-11-20".into(),
        ..Default::default()
    };
    let sum = s
        .upsert_ricevute(
            vec![
                r("A1", "R1", 1000),
                r("A2", "R2", 1500),
                r("X9", "R3", 700),
                r("A1", "R4", 1000),
            ],
            now(),
        )
        .unwrap();
    assert_eq!(
        (
            sum.nuove,
            sum.pagato,
            sum.importo_diverso,
            sum.sconosciuto,
            sum.doppio
        ),
        (4, 1, 1, 1, 1)
    );
    let again = s.upsert_ricevute(vec![r("A1", "R1", 1000)], now()).unwrap();
    assert_eq!((again.nuove, again.gia_presenti), (0, 1));
    assert_eq!(s.count_ricevute().unwrap(), 4);
    assert_eq!(s.dovuto("A1").unwrap().unwrap().stato, DovutoStato::Paid);
    // The export's receipts: the newest matched one per debt, none for an unknown IUD.
    let abbinate = s
        .ricevute_dei_dovuti(&["A1".into(), "A2".into(), "X9".into()])
        .unwrap();
    assert_eq!(abbinate.len(), 2, "{abbinate:?}");
    assert_eq!(abbinate["A1"].iur, "R4");
    assert_eq!(abbinate["A2"].importo_cents, 1500);
    let err = s.cancel_dovuto("A1", now()).unwrap_err().to_string();
    assert!(err.contains("già pagato"), "{err}");
}

#[test]
fn backup_writes_a_readable_copy() {
    let mut s = store();
    s.insert_dovuti(&[debt("A1", 1000)], now()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("copia.sqlite");
    s.backup_to(&dest).unwrap();
    let copy = Store::open(&dest, &chiave()).unwrap();
    assert_eq!(copy.dovuti(&DovutoFilter::default()).unwrap().len(), 1);
}

#[test]
fn bulk_load_leaves_its_indexes_to_the_upkeep_and_rolls_back_whole() {
    let mut s = store();
    let before = s.secondary_indexes().unwrap();
    assert_eq!(before.len(), 9, "{before:?}");
    assert!(s.manutenzione().unwrap().completa());
    let n = 60_000;
    let rows = (0..n).map(|i| Ok(debt(&format!("B{i}"), 100 + i as i64)));
    assert_eq!(s.insert_dovuti_from(rows, now()).unwrap(), n);
    // The load committed without its secondary indexes and search index: both are owed. The
    // UNIQUE index of the positions' options is a rule and stays.
    let rimasti: Vec<String> = s
        .secondary_indexes()
        .unwrap()
        .into_iter()
        .map(|i| i.0)
        .collect();
    assert_eq!(rimasti, ["dovuto_posizione_rata"]);
    assert_eq!(
        s.manutenzione().unwrap(),
        Manutenzione {
            dovuti: n as i64,
            da_indicizzare: n as i64,
            indici_da_ricostruire: 8
        }
    );
    let b5999 = |s: &Store| {
        s.dovuti(&DovutoFilter {
            testo: Some("5999".into()),
            ..Default::default()
        })
        .unwrap()
        .len()
    };
    // B5999, B15999 … B55999 and B59990 … B59999.
    assert_eq!(b5999(&s), 16, "the search is complete before the upkeep");

    // Each step builds one index, then indexes up to the given number of debts.
    let mut steps = 0;
    loop {
        let left = s.passo_manutenzione(25_000).unwrap();
        steps += 1;
        if left.completa() {
            break;
        }
        assert!(steps < 20, "{left:?}");
    }
    assert_eq!(steps, 8 + 3);
    assert_eq!(
        s.secondary_indexes().unwrap(),
        before,
        "indexes rebuilt identically"
    );
    assert_eq!(b5999(&s), 16);
    let left = s.passo_manutenzione(25_000).unwrap();
    assert!(left.completa(), "a step with nothing to do is harmless");

    // A load that fails after the indexes were dropped leaves the store as it was.
    let mut s = store();
    let rows = (0..n).map(|i| {
        if i == n - 1 {
            Err("riga illeggibile".to_string())
        } else {
            Ok(debt(&format!("C{i}"), 1))
        }
    });
    assert!(s.insert_dovuti_from(rows, now()).is_err());
    assert_eq!(s.secondary_indexes().unwrap(), before);
    assert!(s.manutenzione().unwrap().completa());
    assert_eq!(s.dovuti(&DovutoFilter::default()).unwrap().len(), 0);
}

fn payer(iud: &str, name: &str, causale: &str) -> NewDovuto {
    let mut d = debt(iud, 100);
    d.row.set(Column::AnagraficaPagatore, name);
    d.row.set(Column::CausaleVersamento, causale);
    d
}

fn iuds_of(s: &Store, filter: &DovutoFilter) -> Vec<String> {
    let page = s.dovuti(filter).unwrap();
    assert_eq!(
        s.count_dovuti(filter).unwrap(),
        s.dovuti(&DovutoFilter {
            limit: None,
            offset: 0,
            ..filter.clone()
        })
        .unwrap()
        .len() as i64,
        "count and list agree for {filter:?}"
    );
    page.into_iter().map(|d| d.iud).collect()
}

fn text(t: &str) -> DovutoFilter {
    DovutoFilter {
        testo: Some(t.into()),
        ..Default::default()
    }
}

#[test]
fn free_text_search_finds_substrings_ignoring_case_and_accents() {
    let mut s = store();
    s.insert_dovuti(
        &[
            payer("P1", "NICOLÒ D'AMICO", "Mensa scolastica 2026"),
            payer("P2", "Pierossi Anna", "Sanzione 50% ridotta"),
            payer("P3", "ROSSI LUCA", "Mensa_2026 \"B\""),
        ],
        now(),
    )
    .unwrap();
    assert!(
        s.manutenzione().unwrap().completa(),
        "small loads index their rows"
    );
    assert_eq!(iuds_of(&s, &text("rossi")), ["P2", "P3"]);
    assert_eq!(iuds_of(&s, &text("nicolo")), ["P1"], "accents ignored");
    assert_eq!(iuds_of(&s, &text("d'amico")), ["P1"]);
    assert_eq!(
        iuds_of(&s, &text("50%")),
        ["P2"],
        "% is a character, not a wildcard"
    );
    assert_eq!(iuds_of(&s, &text("Mensa_")), ["P3"], "so is _");
    assert_eq!(
        iuds_of(&s, &text("\"b\"")),
        ["P3"],
        "quotes are searched, not parsed"
    );
    assert_eq!(
        iuds_of(&s, &text("ro")),
        ["P2", "P3"],
        "two characters: scanned"
    );
    assert_eq!(iuds_of(&s, &text("mensa scolastica 2026")), ["P1"]);
    // Words in any order, across columns (issue 13: "maria bianchi" found nothing).
    assert_eq!(iuds_of(&s, &text("luca rossi")), ["P3"]);
    assert_eq!(iuds_of(&s, &text("anna sanzione")), ["P2"]);
    assert_eq!(iuds_of(&s, &text("2026 nicolo")), ["P1"]);
    assert_eq!(iuds_of(&s, &text("luca anna")), Vec::<String>::new());
    assert_eq!(s.count_dovuti(&text("luca rossi")).unwrap(), 1);
    assert_eq!(iuds_of(&s, &text("zzz")), Vec::<String>::new());
    // Free text with other filters, and pages of it.
    s.cancel_dovuto("P3", now()).unwrap();
    let cancelled_rossi = DovutoFilter {
        stato: Some(DovutoStato::Cancelled),
        ..text("ROSSI")
    };
    assert_eq!(iuds_of(&s, &cancelled_rossi), ["P3"]);
    let second = DovutoFilter {
        limit: Some(1),
        offset: 1,
        ..text("rossi")
    };
    assert_eq!(iuds_of(&s, &second), ["P3"]);
    // The selection of a filter (issue 13 item 12) is every match whatever the page, read up
    // to one more than its cap, by each of the three forms of the query.
    assert_eq!(s.iud_dovuti(&second, 10).unwrap(), ["P2", "P3"]);
    assert_eq!(s.iud_dovuti(&cancelled_rossi, 10).unwrap(), ["P3"]);
    assert_eq!(s.iud_dovuti(&text("ro"), 10).unwrap(), ["P2", "P3"]);
    assert_eq!(
        s.iud_dovuti(&DovutoFilter::default(), 1).unwrap(),
        ["P1", "P2"]
    );
    assert_eq!(
        s.iud_dovuti(
            &DovutoFilter {
                stato: Some(DovutoStato::Draft),
                ..Default::default()
            },
            5
        )
        .unwrap(),
        Vec::<String>::new()
    );
}

#[test]
fn an_edited_debt_is_found_by_its_new_name_only() {
    let mut s = store();
    s.insert_dovuti(&[payer("E1", "Bianchi Carla", "TARI 2026")], now())
        .unwrap();
    let mut new = payer("E1", "Verdi Carla", "TARI 2026");
    new.stato = DovutoStato::Ready;
    s.update_dovuto("E1", &new, now()).unwrap();
    assert_eq!(iuds_of(&s, &text("bianchi")), Vec::<String>::new());
    assert_eq!(iuds_of(&s, &text("verdi")), ["E1"]);
    // The FTS index agrees with its content table.
    s.conn()
        .execute(
            "INSERT INTO dovuto_ricerca (dovuto_ricerca, rank) VALUES ('integrity-check', 1)",
            [],
        )
        .unwrap();
}

#[test]
fn search_while_the_upkeep_is_behind_matches_a_plain_scan() {
    // Indexed, half-indexed and unindexed debts, edits to both kinds, and pages that straddle
    // the index's mark: every answer equals a scan of the rows in Rust.
    let names = [
        "Rossi", "Bianchi", "Ferrari", "Esposito", "Romano", "Colombo",
    ];
    let make = |i: usize| {
        payer(
            &format!("R{i:06}"),
            &format!("{} {}", names[i % names.len()].to_uppercase(), i % 7),
            &format!("Rata {} anno 202{}", i % 12, i % 4),
        )
    };
    let mut s = store();
    s.insert_dovuti(&(0..500).map(make).collect::<Vec<_>>(), now())
        .unwrap();
    let rows = (500..60_500).map(|i| Ok(make(i)));
    s.insert_dovuti_from(rows, now()).unwrap();
    s.passo_manutenzione(1).unwrap(); // one index back
    let mut edited = make(100);
    edited.row.set(Column::AnagraficaPagatore, "GALLO 9");
    s.update_dovuto("R000100", &edited, now()).unwrap();
    let mut edited = make(59_000);
    edited.row.set(Column::AnagraficaPagatore, "GALLO 9");
    s.update_dovuto("R059000", &edited, now()).unwrap();
    for i in (0..60_500).step_by(997) {
        s.cancel_dovuto(&format!("R{i:06}"), now()).unwrap();
    }
    let check = |s: &Store, label: &str| {
        for t in [
            "gallo",
            "rossi 3",
            "esposito",
            "rata 11 anno 2023",
            "R0599",
            "anno",
            // Words in any order (issue 13): each word in any of the four columns.
            "3 rossi",
            "2023 rata",
            "esposito anno",
        ] {
            let all = s
                .dovuti(&DovutoFilter::default())
                .unwrap()
                .into_iter()
                .filter(|d| {
                    t.split_whitespace().all(|w| {
                        [
                            Column::Iud,
                            Column::CodiceIdentificativoUnivoco,
                            Column::AnagraficaPagatore,
                            Column::CausaleVersamento,
                        ]
                        .iter()
                        .any(|c| d.row.get(*c).to_lowercase().contains(&w.to_lowercase()))
                    })
                })
                .map(|d| d.iud)
                .collect::<Vec<_>>();
            let found = iuds_of(s, &text(t));
            assert_eq!(found.len(), all.len(), "{label}: {t}");
            assert_eq!(found, all, "{label}: {t}");
            let at = all.len() / 2;
            let page = DovutoFilter {
                limit: Some(50),
                offset: at,
                ..text(t)
            };
            let want: Vec<_> = all.iter().skip(at).take(50).cloned().collect();
            assert_eq!(iuds_of(s, &page), want, "{label}: page of {t}");
            // With another filter: only the ready ones (the cancelled are every 997th).
            let ready: Vec<_> = all
                .iter()
                .filter(|iud| iud[1..].parse::<usize>().unwrap() % 997 != 0)
                .cloned()
                .collect();
            let at = ready.len() / 3;
            let page = DovutoFilter {
                stato: Some(DovutoStato::Ready),
                limit: Some(50),
                offset: at,
                ..text(t)
            };
            let want: Vec<_> = ready.iter().skip(at).take(50).cloned().collect();
            assert_eq!(iuds_of(s, &page), want, "{label}: ready, page of {t}");
        }
    };
    check(&s, "behind");
    while s.manutenzione().unwrap().indici_da_ricostruire > 0 {
        s.passo_manutenzione(1).unwrap();
    }
    s.passo_manutenzione(30_000).unwrap();
    assert!(s.manutenzione().unwrap().da_indicizzare > 0);
    check(&s, "half-way");
    while !s.passo_manutenzione(30_000).unwrap().completa() {}
    check(&s, "caught up");
}

#[test]
fn search_by_whole_code_or_iuv_uses_the_index_and_substring_still_works() {
    let mut s = store();
    let mut other = debt("B1", 500);
    other
        .row
        .set(Column::CodiceIdentificativoUnivoco, "01234567890");
    other
        .row
        .set(Column::AnagraficaPagatore, "Ditta Bianchi srl");
    s.insert_dovuti(&[debt("A1", 100), other, debt("A10", 1)], now())
        .unwrap();
    s.conn()
        .execute(
            "UPDATE dovuto SET iuv = '03000000000012345' WHERE iud = 'A1'",
            [],
        )
        .unwrap();
    let found = |t: &str| -> Vec<String> {
        s.dovuti(&DovutoFilter {
            testo: Some(t.into()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|d| d.iud)
        .collect()
    };
    // A whole CF, typed in lower case; a partita IVA; an IUV; the notice number (aux digit 3).
    assert_eq!(found("rssmra80a01h501u"), ["A1", "A10"]);
    assert_eq!(found("01234567890"), ["B1"]);
    assert_eq!(found("03000000000012345"), ["A1"]);
    assert_eq!(found("303000000000012345"), ["A1"]);
    // Parts of a code, names and causali are still substrings, case-insensitive.
    assert_eq!(found("RSSMRA"), ["A1", "A10"]);
    assert_eq!(found("bianchi"), ["B1"]);
    assert_eq!(found("tari 2026"), ["A1", "B1", "A10"]);

    let plan = |t: &str, extra: &str| -> String {
        s.piano_dovuti(&DovutoFilter {
            testo: (!t.is_empty()).then(|| t.to_string()),
            tipo_dovuto: (!extra.is_empty()).then(|| extra.to_string()),
            ..Default::default()
        })
        .unwrap()
        .join(" | ")
    };
    assert!(
        plan("RSSMRA80A01H501U", "").contains("dovuto_codice_pagatore"),
        "{}",
        plan("RSSMRA80A01H501U", "")
    );
    assert!(plan("03000000000012345", "").contains("dovuto_iuv"));
    assert!(plan("", "TARI").contains("dovuto_tipo"));
    assert!(
        plan("A1", "").contains("sqlite_autoindex_dovuto"),
        "{}",
        plan("A1", "")
    );
    // A whole stored IUD shows that debt only; a part of one is still a substring.
    assert_eq!(found("a1"), ["A1", "A10"]);
    assert_eq!(found("A1"), ["A1"]);
}

#[test]
fn a_search_read_once_for_its_pages_sees_every_later_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    let mut s = Store::open(&path, &chiave()).unwrap();
    let debts: Vec<_> = (0..30)
        .map(|i| debt(&format!("R{i:02}"), 100 + i))
        .collect();
    s.insert_dovuti(&debts, now()).unwrap();
    let rossi = |offset| DovutoFilter {
        testo: Some("rossi".into()),
        limit: Some(10),
        offset,
        ..Default::default()
    };
    let page = |s: &Store, offset| -> Vec<String> {
        s.dovuti(&rossi(offset))
            .unwrap()
            .into_iter()
            .map(|d| d.iud)
            .collect()
    };
    assert_eq!(s.count_dovuti(&rossi(0)).unwrap(), 30);
    assert_eq!(
        page(&s, 20),
        (20..30).map(|i| format!("R{i:02}")).collect::<Vec<_>>()
    );
    // A write of this connection: the next page is read again.
    s.insert_dovuti(&[debt("R30", 1)], now()).unwrap();
    assert_eq!(s.count_dovuti(&rossi(0)).unwrap(), 31);
    assert_eq!(page(&s, 28), ["R28", "R29", "R30"]);
    s.cancel_dovuto("R29", now()).unwrap();
    let mut other = debt("X1", 1);
    other.row.set(Column::AnagraficaPagatore, "Anna Bianchi");
    // A write of another connection (another window, a CLI command) too.
    let mut altro = Store::open(&path, &chiave()).unwrap();
    altro
        .insert_dovuti(&[debt("R31", 1), other], now())
        .unwrap();
    altro
        .conn()
        .execute("DELETE FROM dovuto WHERE iud = 'R00'", [])
        .unwrap();
    assert_eq!(s.count_dovuti(&rossi(0)).unwrap(), 31);
    assert_eq!(page(&s, 0)[0], "R01");
    assert_eq!(page(&s, 28), ["R29", "R30", "R31"]);
}

#[test]
fn a_scroll_skips_ids_in_an_index_not_whole_rows() {
    let mut s = store();
    let debts: Vec<_> = (0..300)
        .map(|i| debt(&format!("S{i:03}"), 100 + i))
        .collect();
    s.insert_dovuti(&debts, now()).unwrap();
    for i in (0..300).step_by(7) {
        s.cancel_dovuto(&format!("S{i:03}"), now()).unwrap();
    }
    let all = |f: &DovutoFilter| {
        iuds_of(
            &s,
            &DovutoFilter {
                limit: None,
                offset: 0,
                ..f.clone()
            },
        )
    };
    for f in [
        DovutoFilter::default(),
        DovutoFilter {
            stato: Some(DovutoStato::Cancelled),
            ..Default::default()
        },
        DovutoFilter {
            stato: Some(DovutoStato::Ready),
            ..Default::default()
        },
    ] {
        let every = all(&f);
        for at in [
            1,
            every.len() / 2,
            every.len().saturating_sub(3),
            every.len() + 5,
        ] {
            let page = DovutoFilter {
                limit: Some(20),
                offset: at,
                ..f.clone()
            };
            let want: Vec<_> = every.iter().skip(at).take(20).cloned().collect();
            assert_eq!(iuds_of(&s, &page), want, "{f:?} at {at}");
        }
    }
    // An unfiltered scroll reads the skipped ids from `dovuto_id` (two integers an entry), not
    // the table's rows: without it a scroll to row 500,000 of 1,000,000 took 0.3 s encrypted.
    let plan = s
        .piano_dovuti(&DovutoFilter {
            limit: Some(200),
            offset: 150,
            ..Default::default()
        })
        .unwrap()
        .join(" | ");
    assert!(plan.contains("COVERING INDEX dovuto_id"), "{plan}");
}

#[test]
fn state_with_a_type_or_a_due_date_is_one_index_range() {
    let s = store();
    let plan = |f: DovutoFilter| -> String {
        s.piano_dovuti(&DovutoFilter {
            limit: Some(200),
            ..f
        })
        .unwrap()
        .join(" | ")
    };
    let paid = || DovutoFilter {
        stato: Some(DovutoStato::Paid),
        ..Default::default()
    };
    let p = plan(DovutoFilter {
        scadenza_dal: Some("2027-06-01".into()),
        scadenza_al: Some("2027-06-30".into()),
        ..paid()
    });
    assert!(
        p.contains("dovuto_stato_scadenza (stato=? AND data_scadenza>?"),
        "{p}"
    );
    let p = plan(DovutoFilter {
        tipo_dovuto: Some("TARI".into()),
        scadenza_dal: Some("2027-06-01".into()),
        ..paid()
    });
    assert!(
        p.contains("dovuto_stato_tipo (stato=? AND tipo_dovuto=? AND data_scadenza>?"),
        "{p}"
    );
    // The state alone: its own index, already in id order (no sort for the page).
    let p = plan(paid());
    assert!(
        p.contains("dovuto_stato (stato=?)") && !p.contains("ORDER BY"),
        "{p}"
    );
    let p = plan(DovutoFilter {
        tipo_dovuto: Some("TARI".into()),
        ..Default::default()
    });
    assert!(p.contains("dovuto_tipo (tipo_dovuto=?)"), "{p}");
}

/// A receipt of 1.00 € for each debt `P0`…`P{n-1}` of the tests below.
fn ricevute_dei_dovuti_p(n: usize) -> impl Iterator<Item = NewRicevuta> {
    (0..n).map(|i| NewRicevuta {
        iuv: format!("IUVP{i}"),
        iur: format!("R{i}"),
        iud: format!("P{i}"),
        importo_cents: 100,
        data_esito: "2026-11-20".into(),
        ..Default::default()
    })
}

#[test]
fn a_very_large_export_leaves_the_state_indexes_to_the_upkeep() {
    let mut s = store();
    let n = 12_000;
    let rows = (0..n).map(|i| Ok(debt(&format!("P{i}"), 100)));
    s.insert_dovuti_from(rows, now()).unwrap();
    while !s.passo_manutenzione(100_000).unwrap().completa() {}
    let before = s.secondary_indexes().unwrap();
    let receipts = ricevute_dei_dovuti_p(n);
    let sum = s.upsert_ricevute(receipts, now()).unwrap();
    assert_eq!(sum.pagato, n as u64);
    let names: Vec<String> = s
        .secondary_indexes()
        .unwrap()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with("dovuto_stato")) && names.len() == before.len() - 3,
        "{names:?}"
    );
    assert_eq!(s.manutenzione().unwrap().indici_da_ricostruire, 3);
    let paid = DovutoFilter {
        stato: Some(DovutoStato::Paid),
        ..Default::default()
    };
    assert_eq!(
        s.count_dovuti(&paid).unwrap(),
        n as i64,
        "right before the upkeep"
    );
    while !s.passo_manutenzione(100_000).unwrap().completa() {}
    assert_eq!(s.secondary_indexes().unwrap(), before);
    assert_eq!(s.count_dovuti(&paid).unwrap(), n as i64);

    // A small export changes the indexes in place.
    let mut s = store();
    s.insert_dovuti(&[debt("Q1", 100)], now()).unwrap();
    let before = s.secondary_indexes().unwrap();
    s.upsert_ricevute(
        vec![NewRicevuta {
            iuv: "IUVQ1".into(),
            iur: "R1".into(),
            iud: "Q1".into(),
            importo_cents: 100,
            ..Default::default()
        }],
        now(),
    )
    .unwrap();
    assert_eq!(s.secondary_indexes().unwrap(), before);
    assert!(s.manutenzione().unwrap().completa());
}

fn opzione(iud: &str, cents: i64, scadenza: &str, codice: &str, rata: u8) -> NewDovuto {
    let mut d = debt(iud, cents);
    d.row.set(Column::DataScadenzaPagamento, scadenza);
    d.posizione = Some(PosizioneDi {
        codice: codice.into(),
        rata: mpd_domain::posizione::Rata::da_numero(rata).unwrap(),
        oggetto: "TARI 2027".into(),
    });
    d
}

/// Issue 14: a position is stored with its debts, read back with its options in order, kept
/// by a backup, and goes away with its last debt.
#[test]
fn positions_are_stored_with_their_debts_and_go_with_the_last_one() {
    use crate::posizioni::FiltroPosizioni;
    use mpd_domain::posizione::Rata;
    let mut s = store();
    s.insert_dovuti(
        &[
            opzione("P1-2", 15_000, "2027-07-31", "P1", 2),
            opzione("P1-0", 30_000, "2027-04-30", "P1", 0),
            opzione("P1-1", 15_000, "2027-04-30", "P1", 1),
            opzione("P2-0", 9_000, "2027-04-30", "P2", 0),
            debt("SOLO", 100),
        ],
        now(),
    )
    .unwrap();
    let p = s.posizione("P1").unwrap().unwrap();
    assert_eq!(
        p.opzioni
            .iter()
            .map(|o| (o.rata, o.iud.as_str()))
            .collect::<Vec<_>>(),
        [
            (Rata::Unica, "P1-0"),
            (Rata::N(1), "P1-1"),
            (Rata::N(2), "P1-2")
        ]
    );
    assert_eq!(
        (
            p.codice_pagatore.as_str(),
            p.tipo_dovuto.as_str(),
            p.oggetto.as_str()
        ),
        ("RSSMRA80A01H501U", "TARI", "TARI 2027")
    );
    assert_eq!(
        s.posizione_del_dovuto("P1-2").unwrap().unwrap().codice,
        "P1"
    );
    assert!(s.posizione_del_dovuto("SOLO").unwrap().is_none());
    let tutte = s.posizioni(&FiltroPosizioni::default()).unwrap();
    assert_eq!(
        tutte.iter().map(|p| p.codice.as_str()).collect::<Vec<_>>(),
        ["P1", "P2"]
    );
    assert_eq!(
        s.codici_posizione_esistenti(&["P2".into(), "P9".into()])
            .unwrap(),
        ["P2".to_string()].into_iter().collect()
    );
    // Two debts for the same option of a position: refused, nothing stored.
    assert!(
        s.insert_dovuti(&[opzione("P1-1bis", 15_000, "2027-04-30", "P1", 1)], now())
            .is_err()
    );
    assert!(s.dovuto("P1-1bis").unwrap().is_none());
    // A backup keeps the positions.
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("copia.sqlite");
    s.backup_to(&dest).unwrap();
    assert_eq!(
        Store::open(&dest, &chiave())
            .unwrap()
            .posizione("P1")
            .unwrap()
            .unwrap()
            .opzioni
            .len(),
        3
    );
    // Deleting the only debt of P2 (a draft would be deleted so) removes the position.
    s.conn()
        .execute("DELETE FROM dovuto WHERE iud = 'P2-0'", [])
        .unwrap();
    assert!(s.posizione("P2").unwrap().is_none());
    assert_eq!(s.conta_posizioni().unwrap(), 1);
}

/// The alignment's query: positions with a paid option and another still open.
#[test]
fn positions_to_align_have_a_payment_and_an_open_option() {
    use crate::posizioni::FiltroPosizioni;
    let mut s = store();
    s.insert_dovuti(
        &[
            opzione("A-0", 300, "2027-04-30", "A", 0),
            opzione("A-1", 150, "2027-04-30", "A", 1),
            opzione("A-2", 150, "2027-07-31", "A", 2),
            opzione("B-0", 300, "2027-04-30", "B", 0),
            opzione("B-1", 300, "2027-04-30", "B", 1),
        ],
        now(),
    )
    .unwrap();
    let da_allineare = |s: &Store| -> Vec<String> {
        s.posizioni(&FiltroPosizioni {
            da_allineare: true,
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|p| p.codice)
        .collect()
    };
    assert!(da_allineare(&s).is_empty());
    s.conn()
        .execute(
            "UPDATE dovuto SET stato = 'paid' WHERE iud IN ('A-0', 'B-1')",
            [],
        )
        .unwrap();
    assert_eq!(da_allineare(&s), ["A", "B"]);
    s.conn()
        .execute(
            "UPDATE dovuto SET stato = 'cancelled' WHERE iud = 'B-0'",
            [],
        )
        .unwrap();
    assert_eq!(da_allineare(&s), ["A"]);
}

#[test]
fn a_path_that_is_no_database_file_is_named_not_reported_as_a_broken_database() {
    // `--db` naming a folder (Windows: `C:\Tributi\Archivio città` for
    // `C:\Tributi\Archivio città\mypay-desk.sqlite`): the clerk reads the path to check, not an
    // unexpected error of the database that sends them to their backups. (A file another
    // program holds on Windows is told apart from this, `StoreError::Bloccato`: checked under
    // Wine by src-tauri/packaging/windows/check.sh, as Unix has no such locks.)
    let dir = tempfile::tempdir().unwrap();
    let cartella = dir.path().join("Archivio città");
    std::fs::create_dir(&cartella).unwrap();
    let Err(e) = Store::open(&cartella, &chiave()) else {
        panic!("a folder opened as a database")
    };
    let testo = e.to_string();
    assert!(testo.contains("Archivio città"), "{testo}");
    assert!(!testo.contains("copia di sicurezza"), "{testo}");
    assert!(matches!(e, StoreError::NonApribile(_)), "{e:?}");
}

fn unknown_receipts(prefix: &str, n: usize) -> impl Iterator<Item = NewRicevuta> + '_ {
    (0..n).map(move |i| NewRicevuta {
        iuv: format!("{prefix}{i:06}"),
        iur: format!("R{i}"),
        importo_cents: 100,
        data_esito: "2026-11-20".into(),
        ..Default::default()
    })
}

fn log_iuv(s: &Store) -> Vec<String> {
    let mut stmt = s
        .conn
        .prepare("SELECT iuv FROM riconciliazione_modifica ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn trigger_sql(s: &Store) -> Option<String> {
    s.conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'ric_ricevuta_nuova'",
            [],
            |r| r.get(0),
        )
        .optional()
        .unwrap()
}

/// A load of many receipts logs each one for the reconciliation once, as the trigger does for
/// a few (it drops the trigger for the rest of the load and logs them at the end), and the
/// trigger is there again afterwards, word for word; a load that fails midway leaves neither
/// receipts nor log, and the trigger in place.
#[test]
fn a_large_receipt_load_logs_every_receipt_for_the_reconciliation() {
    let mut s = store();
    let trigger = trigger_sql(&s).expect("the trigger");
    // No reconciliation yet: nothing to log.
    s.upsert_ricevute(unknown_receipts("A", 3_000), now())
        .unwrap();
    assert!(log_iuv(&s).is_empty());
    assert_eq!(trigger_sql(&s).as_ref(), Some(&trigger));

    s.conn
        .execute(
            "INSERT INTO riconciliazione_esecuzione (id, oggi, regole, pagamenti, eseguita_at)
             VALUES (1, 0, '', 0, '')",
            [],
        )
        .unwrap();
    let n = 5_000;
    let sum = s.upsert_ricevute(unknown_receipts("B", n), now()).unwrap();
    assert_eq!(sum.nuove, n as u64);
    let expected: Vec<String> = (0..n).map(|i| format!("B{i:06}")).collect();
    assert_eq!(log_iuv(&s), expected, "each new receipt once, in order");
    assert_eq!(trigger_sql(&s).as_ref(), Some(&trigger));

    // Read again: nothing new, nothing logged.
    s.upsert_ricevute(unknown_receipts("B", n), now()).unwrap();
    assert_eq!(log_iuv(&s).len(), n);
    // The trigger works again for the next receipt.
    s.upsert_ricevute(unknown_receipts("C", 1), now()).unwrap();
    assert_eq!(log_iuv(&s).last().map(String::as_str), Some("C000000"));

    // A source that fails after the trigger was dropped: all rolled back.
    let before = (log_iuv(&s).len(), s.count_ricevute().unwrap());
    let outcome = s
        .upsert_ricevute_checked(
            unknown_receipts("D", 4_000),
            || Some("riga 4001 illeggibile".into()),
            now(),
        )
        .unwrap();
    assert!(outcome.is_err());
    assert_eq!((log_iuv(&s).len(), s.count_ricevute().unwrap()), before);
    assert_eq!(trigger_sql(&s).as_ref(), Some(&trigger));
}

/// A load that leaves the indexes to the upkeep leaves it the checkpoint too: the pages stay in
/// the WAL (the database file does not grow) until the upkeep's first step, and the
/// connection's automatic checkpoint is back to what it was.
#[test]
fn a_very_large_export_leaves_the_checkpoint_to_the_upkeep() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    let mut s = Store::open(&path, &chiave()).unwrap();
    let n = 12_000;
    s.insert_dovuti_from((0..n).map(|i| Ok(debt(&format!("P{i}"), 100))), now())
        .unwrap();
    while !s.passo_manutenzione(100_000).unwrap().completa() {}
    s.conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    // A lower threshold than SQLite's 1,000 pages, which a test this size would not reach.
    s.conn
        .pragma_update(None, "wal_autocheckpoint", 100)
        .unwrap();
    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let wal = cifratura::accanto(&path, "-wal");
    let db_before = size(&path);
    let receipts = ricevute_dei_dovuti_p(n);
    assert_eq!(s.upsert_ricevute(receipts, now()).unwrap().pagato, n as u64);
    assert!(
        size(&wal) > 100 * 4096,
        "a WAL past the automatic checkpoint"
    );
    assert_eq!(size(&path), db_before, "no checkpoint at the load's commit");
    let auto: i64 = s
        .conn
        .pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))
        .unwrap();
    assert_eq!(auto, 100);
    s.passo_manutenzione(100_000).unwrap();
    assert!(
        size(&path) > db_before,
        "the upkeep's first step checkpoints"
    );
}

/// The search index's leaves fit the encrypted archive's pages (migration 14): no leaf spills
/// into an overflow page, and an 8 KiB page holds two of them, not one.
#[test]
fn the_search_index_fills_the_encrypted_pages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    let mut s = Store::open(&path, &chiave()).unwrap();
    let cognomi = [
        "Rossi", "Bianchi", "Esposito", "Colombo", "Ricci", "Marino", "Greco",
    ];
    let rows = (0..20_000).map(|i| {
        let mut d = debt(&format!("P{i:05}"), 100);
        let nome = format!("{} Anna Maria {i}", cognomi[i % cognomi.len()]);
        d.row.set(Column::AnagraficaPagatore, &nome);
        d.row.set(
            Column::CausaleVersamento,
            format!("TARI 2026 utenza {i} via Garibaldi {}", i * 7 % 997),
        );
        Ok(d)
    });
    s.insert_dovuti_from(rows, now()).unwrap();
    while !s.passo_manutenzione(100_000).unwrap().completa() {}
    let (foglie, celle, overflow): (i64, i64, i64) = s
        .conn
        .query_row(
            "SELECT SUM(pagetype = 'leaf'), SUM(CASE WHEN pagetype = 'leaf' THEN ncell END),
                    SUM(pagetype = 'overflow')
             FROM dbstat WHERE name = 'dovuto_ricerca_data'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(foglie > 100, "{foglie} leaf pages: too few to tell");
    assert_eq!(overflow, 0);
    assert!(
        celle as f64 / foglie as f64 > 1.8,
        "{celle} index leaves in {foglie} pages"
    );
}
