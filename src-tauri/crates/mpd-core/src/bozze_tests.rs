//! The validate-only report, the import that keeps invalid rows as drafts, the form's edit
//! and re-validation, and the bulk actions.

use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use mpd_domain::cf;
use mpd_store::{DovutoFilter, DovutoStato};

use super::*;
use crate::import::ImportMode;
use crate::sheets::SheetOptions;

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
cf_anonimo = false
scadenza_obbligatoria = true
"#;

fn cf16(first15: &str) -> String {
    format!("{first15}{}", cf::check_char(first15.as_bytes()).unwrap())
}

fn desk(dir: &Path) -> Desk {
    let mut d = Desk::open(Some(&dir.join("t.sqlite")), &mpd_store::testing::chiave())
        .unwrap()
        .with_now(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
    let ente = dir.join("ente.toml");
    std::fs::write(&ente, ENTE).unwrap();
    d.ente_set_file(&ente).unwrap();
    d
}

/// A clerk's CSV: row 2 valid, row 3 a wrong check character, row 4 an amount in words,
/// row 5 a repetition of row 2, row 6 valid.
fn lista(dir: &Path) -> (PathBuf, String, String) {
    let anna = cf16("BNCNNA85M41F205");
    let luigi = cf16("VRDLGU75B12F205");
    let mut bad = anna.clone();
    let last = bad.pop().unwrap();
    bad.push(if last == 'A' { 'B' } else { 'A' });
    let text = format!(
        "Codice fiscale;Cognome e nome;Importo €;Scadenza;Causale\n\
         RSSMRA80A01H501U;Rossi Mario;120,50;31/12/2030;TARI 2030 acconto\n\
         {bad};Bianchi Anna;80;31/12/2030;TARI 2030 acconto\n\
         {luigi};Verdi Luigi;dodici;31/12/2030;TARI 2030 acconto\n\
         RSSMRA80A01H501U;Rossi Mario;120,50;31/12/2030;TARI 2030 acconto\n\
         {anna};Bianchi Anna;1.234,56;15/01/2031;TARI 2030 saldo\n"
    );
    let path = dir.join("lista.csv");
    std::fs::write(&path, text).unwrap();
    (path, bad, luigi)
}

fn all(desk: &Desk) -> Vec<mpd_store::DovutoRecord> {
    desk.debts(&DovutoFilter::default()).unwrap()
}

#[test]
fn check_reports_rows_headers_values_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(dir.path());
    let (file, bad, _) = lista(dir.path());
    let opts = SheetOptions {
        tipo: Some("TARI".into()),
        mapping: vec!["causale=E".into()],
        ..Default::default()
    };
    let r = desk.check_file(&file, &opts).unwrap();
    assert_eq!(r.righe_lette, 5);
    // Issue 13: the repetition of row 2 is never ready silently.
    assert_eq!(r.righe_valide, 2);
    assert_eq!(r.importate, 0);
    let righe: Vec<usize> = r.errori.iter().map(|e| e.riga).collect();
    assert_eq!(righe, vec![3, 4, 5]);
    let cf_problem = &r.errori[0].problemi[0];
    assert_eq!(cf_problem.campo.as_deref(), Some("Codice fiscale"));
    assert_eq!(cf_problem.valore.as_deref(), Some(bad.as_str()));
    assert!(cf_problem.grave);
    let amount = &r.errori[1].problemi[0];
    assert_eq!(amount.codice, "MPD_FOGLIO_IMPORTO");
    assert_eq!(amount.campo.as_deref(), Some("Importo €"));
    assert_eq!(amount.valore.as_deref(), Some("dodici"));
    assert!(
        amount.messaggio.contains("non è un importo"),
        "{}",
        amount.messaggio
    );
    assert!(r.avvisi.is_empty());
    let dup = &r.errori[2].problemi[0];
    assert_eq!(dup.codice, "MPD_DUPLICATO_NEL_FILE");
    assert!(dup.grave);
    assert!(
        dup.messaggio.contains("uguale alla riga 2 del file"),
        "{}",
        dup.messaggio
    );
    assert_eq!(r.duplicati.len(), 1);
    assert_eq!(r.duplicati[0].riga, Some(2));
    assert_eq!(r.duplicati[0].righe, vec![5]);
    assert!(r.duplicati[0].bozze.is_empty(), "nothing stored");
    // Nothing written: no debt, no source, and not even the clerk's mapping.
    assert!(all(&desk).is_empty());
    let headers: Vec<String> = [
        "Codice fiscale",
        "Cognome e nome",
        "Importo €",
        "Scadenza",
        "Causale",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(
        desk.store()
            .sheet_mapping(&mpd_sheets::mapping::layout_key(&headers))
            .unwrap(),
        None
    );
}

#[test]
fn check_flags_duplicates_against_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(dir.path());
    let (file, _, _) = lista(dir.path());
    let opts = SheetOptions {
        tipo: Some("TARI".into()),
        valid_only: true,
        ..Default::default()
    };
    let first = desk.import_file(&file, &opts).unwrap();
    assert_eq!(first.importate, 2, "the repetition of row 2 is left out");
    assert_eq!(first.bozze, 0, "--valid-only keeps no drafts");
    let again = desk.check_file(&file, &opts).unwrap();
    let dup: Vec<usize> = again
        .errori
        .iter()
        .filter(|e| {
            e.problemi
                .iter()
                .any(|p| p.codice == "MPD_DUPLICATO_IN_ARCHIVIO")
        })
        .map(|e| e.riga)
        .collect();
    assert_eq!(dup, vec![2, 5, 6]);
    assert_eq!(all(&desk).len(), 2, "the check wrote nothing");
}

#[test]
fn keep_drafts_stores_every_row_and_invalid_ones_carry_their_problems() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(dir.path());
    let (file, bad, luigi) = lista(dir.path());
    let opts = SheetOptions {
        tipo: Some("TARI".into()),
        ..Default::default()
    };
    // The CLI's all-or-nothing import still stores nothing.
    assert_eq!(desk.import_file(&file, &opts).unwrap().importate, 0);
    assert!(all(&desk).is_empty());

    let r = desk
        .import_file_with(&file, &opts, ImportMode::KeepDrafts, Default::default())
        .unwrap();
    assert_eq!(r.importate, 5);
    assert_eq!(r.bozze, 3, "rows 3 and 4, and row 5 repeating row 2");
    assert!(r.errori.iter().all(|e| e.bozza && !e.iud.is_empty()));
    let debts = all(&desk);
    let stati = |s: DovutoStato| debts.iter().filter(|d| d.stato == s).count();
    assert_eq!(stati(DovutoStato::Ready), 2);
    assert_eq!(stati(DovutoStato::Draft), 3);

    // Row 3: the wrong code is kept as typed, its problem tied to the form field.
    let f3 = desk.debt_form(&r.errori[0].iud).unwrap();
    assert_eq!(f3.stato, DovutoStato::Draft);
    assert_eq!(f3.origine.as_deref(), Some("lista.csv, riga 3"));
    assert_eq!(f3.valori["codice_pagatore"], bad);
    assert_eq!(f3.valori["importo"], "80,00");
    assert_eq!(f3.valori["scadenza"], "31/12/2030");
    let p = &f3.problemi[0];
    assert_eq!(p.chiave.as_deref(), Some("codice_pagatore"));
    assert_eq!(p.campo.as_deref(), Some("Codice fiscale"));
    assert!(!f3.pronto_possibile);

    // Row 4: the amount in words could not be stored; the form shows it as typed.
    let f4 = desk.debt_form(&r.errori[1].iud).unwrap();
    assert_eq!(f4.valori["importo"], "dodici");
    assert_eq!(f4.valori["codice_pagatore"], luigi);
    assert_eq!(f4.problemi[0].chiave.as_deref(), Some("importo"));
    assert_eq!(f4.problemi[0].valore.as_deref(), Some("dodici"));
    let d4 = desk.store().dovuto(&r.errori[1].iud).unwrap().unwrap();
    assert_eq!(d4.sorgente_riga, Some(4));

    // Drafts never go out: bulk ready refuses both.
    let esiti = desk
        .mark_ready_checked(&[r.errori[0].iud.clone(), r.errori[1].iud.clone()])
        .unwrap();
    assert!(esiti.iter().all(|e| !e.ok), "{esiti:?}");
    assert!(esiti[1].messaggio.contains("1 problema"), "{esiti:?}");
    // `debts ready` (every draft) leaves them too.
    assert_eq!(desk.mark_ready(&[]).unwrap(), 0);
}

#[test]
fn keep_drafts_gives_a_new_iud_when_the_files_is_taken() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(dir.path());
    let text = "IUD;Codice fiscale;Cognome e nome;Importo;Scadenza\n\
                A1;RSSMRA80A01H501U;Rossi Mario;10,00;31/12/2030\n\
                A1;RSSMRA80A01H501U;Rossi Maria;-3;31/12/2030\n";
    let file = dir.path().join("iud.csv");
    std::fs::write(&file, text).unwrap();
    let opts = SheetOptions {
        tipo: Some("TARI".into()),
        ..Default::default()
    };
    let r = desk
        .import_file_with(&file, &opts, ImportMode::KeepDrafts, Default::default())
        .unwrap();
    assert_eq!((r.importate, r.bozze), (2, 1), "{r:?}");
    let draft = &r.errori[0];
    assert_eq!(draft.riga, 3);
    assert_ne!(draft.iud, "A1");
    let form = desk.debt_form(&draft.iud).unwrap();
    assert!(
        form.problemi
            .iter()
            .any(|p| p.codice == CODICE_IUD_SOSTITUITO && p.valore.as_deref() == Some("A1"))
    );
    assert_eq!(
        desk.store().dovuto("A1").unwrap().unwrap().stato,
        DovutoStato::Ready
    );
}

#[test]
fn the_form_revalidates_keeps_what_was_typed_and_marks_ready() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(dir.path());
    let (file, _, _) = lista(dir.path());
    let opts = SheetOptions {
        tipo: Some("TARI".into()),
        ..Default::default()
    };
    let r = desk
        .import_file_with(&file, &opts, ImportMode::KeepDrafts, Default::default())
        .unwrap();
    let iud3 = r.errori[0].iud.clone();
    let iud4 = r.errori[1].iud.clone();

    // Still wrong: saved as a draft (nothing lost), the problem inline, the typed date kept.
    let still = DebtInput {
        importo: Some("tre euro".into()),
        anagrafica: Some("Verdi  Luigi Maria".into()),
        ..Default::default()
    };
    let e = desk.save_debt_form(&iud4, &still, true).unwrap();
    assert!(e.salvato);
    assert_eq!(e.scheda.stato, DovutoStato::Draft);
    assert_eq!(e.problemi[0].chiave.as_deref(), Some("importo"));
    assert_eq!(e.scheda.valori["importo"], "tre euro");
    assert_eq!(e.scheda.valori["anagrafica"], "Verdi Luigi Maria");
    assert_eq!(e.scheda.origine.as_deref(), Some("lista.csv, riga 4"));

    // Saving another field leaves the amount as typed (the form sends only what changed).
    let other = DebtInput {
        email: Some("luigi@example.it".into()),
        ..Default::default()
    };
    let e = desk.save_debt_form(&iud4, &other, true).unwrap();
    assert!(e.salvato);
    assert_eq!(
        e.scheda.stato,
        DovutoStato::Draft,
        "still an error on the amount"
    );
    assert_eq!(e.scheda.valori["importo"], "tre euro");
    assert_eq!(e.scheda.valori["email"], "luigi@example.it");
    let on_amount: Vec<_> = e
        .problemi
        .iter()
        .filter(|p| p.chiave.as_deref() == Some("importo"))
        .collect();
    assert_eq!(on_amount.len(), 1, "{on_amount:?}");

    // Fixed: valid, ready, the note gone.
    let fixed = DebtInput {
        importo: Some("1.234,56".into()),
        ..Default::default()
    };
    let e = desk.save_debt_form(&iud4, &fixed, true).unwrap();
    assert!(e.salvato, "{:?}", e.problemi);
    assert!(e.problemi.iter().all(|p| !p.grave), "{:?}", e.problemi);
    assert_eq!(e.scheda.stato, DovutoStato::Ready);
    assert_eq!(e.scheda.valori["importo"], "1.234,56");
    assert_eq!(desk.store().nota_dovuto(&iud4).unwrap(), None);
    assert_eq!(
        desk.store().dovuto(&iud4).unwrap().unwrap().importo_cents,
        123456
    );
    assert_eq!(
        e.scheda.origine.as_deref(),
        Some("lista.csv, riga 4"),
        "from the source"
    );

    // Fixed without «pronto»: valid but still a draft, and then bulk ready takes it.
    let good = DebtInput {
        codice: Some(cf16("BNCNNA85M41F205")),
        ..Default::default()
    };
    let e = desk.save_debt_form(&iud3, &good, false).unwrap();
    assert!(e.salvato);
    assert_eq!(e.scheda.stato, DovutoStato::Draft);
    assert!(e.scheda.pronto_possibile);
    let esiti = desk
        .mark_ready_checked(std::slice::from_ref(&iud3))
        .unwrap();
    assert!(esiti[0].ok, "{esiti:?}");
    assert_eq!(
        desk.store().dovuto(&iud3).unwrap().unwrap().stato,
        DovutoStato::Ready
    );

    // A ready debt is saved only when valid: a bad date changes nothing.
    let bad = DebtInput {
        scadenza: Some("31/02/2031".into()),
        ..Default::default()
    };
    let e = desk.save_debt_form(&iud3, &bad, false).unwrap();
    assert!(!e.salvato);
    assert_eq!(e.problemi[0].chiave.as_deref(), Some("scadenza"));
    assert_eq!(e.problemi[0].valore.as_deref(), Some("31/02/2031"));
    assert_eq!(e.scheda.valori["scadenza"], "31/12/2030");
}

#[test]
fn bulk_actions_answer_for_each_debt_and_respect_the_locks() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(dir.path());
    let (file, _, _) = lista(dir.path());
    let opts = SheetOptions {
        tipo: Some("TARI".into()),
        ..Default::default()
    };
    let r = desk
        .import_file_with(&file, &opts, ImportMode::KeepDrafts, Default::default())
        .unwrap();
    let ready: Vec<String> = all(&desk)
        .into_iter()
        .filter(|d| d.stato == DovutoStato::Ready)
        .map(|d| d.iud)
        .collect();
    let draft = r.errori[0].iud.clone();
    let esiti = desk
        .mark_ready_checked(&[ready[0].clone(), draft.clone(), "NESSUNO".into()])
        .unwrap();
    assert_eq!(
        esiti.iter().map(|e| e.ok).collect::<Vec<_>>(),
        vec![true, false, false]
    );
    assert!(esiti[2].messaggio.contains("non esiste"));

    let esiti = desk
        .cancel_many(&[ready[0].clone(), draft.clone(), ready[0].clone()])
        .unwrap();
    assert_eq!(
        esiti.iter().map(|e| e.ok).collect::<Vec<_>>(),
        vec![true, true, false]
    );
    assert!(esiti[2].messaggio.contains("già annullato"), "{esiti:?}");
    assert_eq!(
        desk.store().dovuto(&draft).unwrap().unwrap().stato,
        DovutoStato::Cancelled
    );
    // A cancelled debt is not a draft any more.
    let esiti = desk
        .mark_ready_checked(std::slice::from_ref(&draft))
        .unwrap();
    assert!(!esiti[0].ok);
    assert!(esiti[0].messaggio.contains("annullato"));
}

#[test]
fn a_cancelled_import_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(dir.path());
    let mut text = String::from("Codice fiscale;Cognome e nome;Importo;Scadenza;Causale\n");
    for i in 0..(crate::report::PROGRESS_EVERY * 2) {
        text += &format!("RSSMRA80A01H501U;Rossi Mario;{i},00;31/12/2030;TARI {i}\n");
    }
    let file = dir.path().join("grande.csv");
    std::fs::write(&file, text).unwrap();
    let opts = SheetOptions {
        tipo: Some("TARI".into()),
        ..Default::default()
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let seen = std::sync::Mutex::new(Vec::new());
    let progress = |p: crate::import::ImportProgress| {
        seen.lock().unwrap().push((p.fase, p.righe));
        if p.fase == crate::import::ImportPhase::Salvataggio && p.righe > 0 {
            cancel.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    };
    let hooks = crate::import::ImportHooks {
        progress: Some(&progress),
        cancel: Some(&cancel),
    };
    let err = desk
        .import_file_with(&file, &opts, ImportMode::KeepDrafts, hooks)
        .unwrap_err();
    assert!(err.to_string().contains(crate::import::ANNULLATA), "{err}");
    assert!(all(&desk).is_empty());
    assert_eq!(
        desk.store().count_sorgenti().unwrap(),
        0,
        "no record of the file either"
    );
    let seen = seen.into_inner().unwrap();
    assert!(seen.contains(&(
        crate::import::ImportPhase::Verifica,
        crate::report::PROGRESS_EVERY
    )));
}

#[test]
fn a_tracciato_keeps_its_invalid_rows_as_drafts_too() {
    use mpd_domain::{Column, Version};
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(dir.path());
    let ente = desk.require_ente().unwrap();
    let tipi = desk.store().tipi_dovuto().unwrap();
    let mut g = crate::synth::Generator::new(7, &ente, &tipi, desk.today());
    let mut rows: Vec<_> = (0..3).map(|_| g.next_row(Version::V1_4)).collect();
    rows[1].set(Column::ImportoDovuto, "12,3,4");
    let file = dir.path().join("tracciato.csv");
    let mut w =
        mpd_tracciato::ImportWriter::new(std::fs::File::create(&file).unwrap(), Version::V1_4)
            .unwrap();
    for r in &rows {
        w.write_row(r).unwrap();
    }
    w.finish().unwrap();

    let check = desk.check_file(&file, &SheetOptions::default()).unwrap();
    assert_eq!((check.righe_lette, check.righe_valide), (3, 2));
    assert_eq!(check.errori[0].riga, 3, "the header is line 1");
    assert!(all(&desk).is_empty());

    let r = desk
        .import_file_with(
            &file,
            &SheetOptions::default(),
            ImportMode::KeepDrafts,
            Default::default(),
        )
        .unwrap();
    assert_eq!((r.importate, r.bozze), (3, 1));
    let bad = &r.errori[0];
    assert!(bad.bozza);
    assert_eq!(
        bad.iud,
        rows[1].get(Column::Iud),
        "the file's own IUD is free"
    );
    let form = desk.debt_form(&bad.iud).unwrap();
    assert_eq!(form.stato, DovutoStato::Draft);
    assert_eq!(form.origine.as_deref(), Some("tracciato.csv, riga 3"));
    let p = form
        .problemi
        .iter()
        .find(|p| p.chiave.as_deref() == Some("importo"))
        .expect("a problem on the amount");
    assert_eq!(p.valore.as_deref(), Some("12,3,4"));
    assert_eq!(
        form.valori["importo"], "12,3,4",
        "shown as typed, not as 0,00"
    );
}

/// One pipeline for both formats: the same debts as a tracciato and as a clerk's sheet give
/// the same numbers, and each import is all or nothing against what the other stored.
#[test]
fn a_tracciato_and_a_sheet_of_the_same_debts_go_through_one_pipeline() {
    use mpd_domain::{Column, Version};
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(dir.path());
    let ente = desk.require_ente().unwrap();
    let tipi = desk.store().tipi_dovuto().unwrap();
    let mut g = crate::synth::Generator::new(11, &ente, &tipi, desk.today());
    let rows: Vec<_> = (0..3).map(|_| g.next_row(Version::V1_4)).collect();
    let tracciato = dir.path().join("tracciato.csv");
    let mut w =
        mpd_tracciato::ImportWriter::new(std::fs::File::create(&tracciato).unwrap(), Version::V1_4)
            .unwrap();
    for r in &rows {
        w.write_row(r).unwrap();
    }
    w.finish().unwrap();
    let mut text = String::from("Codice fiscale;Cognome e nome;Importo;Scadenza;Causale\n");
    for r in &rows {
        let cents = crate::input::cents(r.get(Column::ImportoDovuto)).unwrap();
        let due =
            chrono::NaiveDate::parse_from_str(r.get(Column::DataScadenzaPagamento), "%Y-%m-%d")
                .unwrap();
        text += &format!(
            "{};\"{}\";{},{:02};{};\"{}\"\n",
            r.get(Column::CodiceIdentificativoUnivoco),
            r.get(Column::AnagraficaPagatore),
            cents / 100,
            cents % 100,
            due.format("%d/%m/%Y"),
            r.get(Column::CausaleVersamento),
        );
    }
    let sheet = dir.path().join("lista.csv");
    std::fs::write(&sheet, &text).unwrap();
    let opts = SheetOptions {
        tipo: Some("TARI".into()),
        ..Default::default()
    };

    let a = desk.import_file(&sheet, &opts).unwrap();
    assert_eq!(
        (a.righe_lette, a.righe_valide, a.importate),
        (3, 3, 3),
        "{a:#?}"
    );
    // The same sheet again: every row repeats a stored debt, and the file is refused whole
    // with one sentence (issue 13).
    let again = desk.import_file(&sheet, &opts).unwrap_err();
    assert!(
        matches!(&again, CoreError::AlreadyImported(m) if m.contains("lista.csv") && m.contains("3 righe")),
        "{again}"
    );

    // The same debts as a tracciato go through the same rule: refused as already imported.
    let t = desk.import_tracciato(&tracciato, false).unwrap_err();
    assert!(matches!(t, CoreError::AlreadyImported(_)), "{t}");
    // Asked to import them anyway, they go in (their IUDs are new), as ready with a warning.
    let anyway = SheetOptions {
        anche_duplicati: true,
        ..Default::default()
    };
    let t = desk.import_file(&tracciato, &anyway).unwrap();
    assert_eq!(
        (t.righe_lette, t.righe_valide, t.importate),
        (3, 3, 3),
        "{t:#?}"
    );
    assert!(
        t.avvisi
            .iter()
            .all(|a| a.problemi[0].codice == crate::report::codes::DUPLICATO_IN_ARCHIVIO)
    );
    // A tracciato is also checked by its IUDs: the second time, refused row by row.
    let t2 = desk.import_file(&tracciato, &anyway).unwrap();
    assert_eq!((t2.righe_lette, t2.righe_valide, t2.importate), (3, 0, 0));
    assert_eq!(
        t2.errori.iter().map(|e| e.riga).collect::<Vec<_>>(),
        [2, 3, 4],
        "the file's lines"
    );
    assert_eq!(
        all(&desk).len(),
        6,
        "nothing of the refused files was stored"
    );
    assert_eq!(desk.store().count_sorgenti().unwrap(), 2);
}

/// Issue 13 item 2: a row-number column headed "N." became every payer's house number. The
/// proposed mapping leaves it out, the preview says which column and why, and the imported
/// debts carry no civico.
#[test]
fn a_row_number_column_is_left_out_and_never_becomes_the_house_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(dir.path());
    let text = format!(
        "N.;Codice fiscale;Cognome e nome;Importo;Scadenza;Causale;Indirizzo\n\
         1;RSSMRA80A01H501U;Rossi Mario;120,50;31/12/2030;TARI 2030;Via Roma\n\
         2;{};Bianchi Anna;80,00;31/12/2030;TARI 2030;Via Po\n\
         3;{};Verdi Luigi;50,00;31/12/2030;TARI 2030;Via Dante\n",
        cf16("BNCNNA85M41F205"),
        cf16("VRDLGU75B12F205")
    );
    let sheet = dir.path().join("ruolo.csv");
    std::fs::write(&sheet, &text).unwrap();
    let opts = SheetOptions {
        tipo: Some("TARI".into()),
        ..Default::default()
    };
    let p = desk.preview_sheet(&sheet, &opts).unwrap();
    assert!(
        !p.mappatura.colonne.iter().any(|c| c.colonna == 0),
        "{:?}",
        p.mappatura
    );
    // The preview says why «N.» is left out (it is no field's synonym, but the clerk sees a
    // column of numbers not imported and must know it is on purpose).
    assert_eq!(p.colonne_escluse.len(), 1, "{:?}", p.colonne_escluse);
    assert_eq!(p.colonne_escluse[0].lettera, "A");
    assert_eq!(p.colonne_escluse[0].intestazione, "N.");
    assert!(p.colonne_escluse[0].motivo.contains("numera le righe"));
    // "N." alone is no synonym of civico; a "Civico" header running 1, 2, 3 is a counter too.
    let text2 = text.replacen("N.;", "Civico;", 1);
    let sheet2 = dir.path().join("ruolo2.csv");
    std::fs::write(&sheet2, &text2).unwrap();
    let p2 = desk.preview_sheet(&sheet2, &opts).unwrap();
    assert_eq!(p2.colonne_escluse.len(), 1, "{:?}", p2.colonne_escluse);
    assert_eq!(p2.colonne_escluse[0].lettera, "A");
    assert!(p2.colonne_escluse[0].motivo.contains("numera le righe"));
    let r = desk.import_file(&sheet2, &opts).unwrap();
    assert_eq!(r.importate, 3, "{r:#?}");
    for d in all(&desk) {
        assert_eq!(d.row.get(Column::CivicoPagatore), "", "{}", d.iud);
    }
}

/// Issue 13 item 1: a row repeating another row of the file was imported as ready and sent.
/// Now it is kept as a draft whose note names the first row, the report groups it, and the
/// clerk's «Importa comunque» makes it ready.
#[test]
fn a_repeated_row_is_a_draft_naming_the_first_until_imported_anyway() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(dir.path());
    let (file, _, _) = lista(dir.path());
    let opts = SheetOptions {
        tipo: Some("TARI".into()),
        ..Default::default()
    };
    let r = desk
        .import_file_with(&file, &opts, ImportMode::KeepDrafts, Default::default())
        .unwrap();
    let row5 = r
        .errori
        .iter()
        .find(|e| e.riga == 5)
        .expect("row 5 reported");
    assert!(row5.bozza);
    let form = desk.debt_form(&row5.iud).unwrap();
    assert_eq!(form.stato, DovutoStato::Draft);
    assert!(
        form.problemi
            .iter()
            .any(|p| p.codice == "MPD_DUPLICATO_NEL_FILE"
                && p.grave
                && p.messaggio.contains("uguale alla riga 2 del file")),
        "{:?}",
        form.problemi
    );
    assert_eq!(r.duplicati.len(), 1);
    let g = &r.duplicati[0];
    assert_eq!((g.riga, g.righe.clone()), (Some(2), vec![5]));
    assert_eq!(g.bozze, vec![row5.iud.clone()]);
    assert!(g.descrizione.contains("Rossi Mario"), "{}", g.descrizione);
    assert!(g.descrizione.contains("120,50"), "{}", g.descrizione);
    // Bulk ready leaves it a draft; «Importa comunque» makes it ready.
    assert!(!desk.mark_ready_checked(&g.bozze).unwrap()[0].ok);
    let esiti = desk.import_duplicates_anyway(&g.bozze).unwrap();
    assert!(esiti[0].ok, "{esiti:?}");
    let d = desk.store().dovuto(&row5.iud).unwrap().unwrap();
    assert_eq!(d.stato, DovutoStato::Ready);
    // A draft with other problems stays one.
    let row3 = &r.errori[0];
    assert!(
        !desk
            .import_duplicates_anyway(std::slice::from_ref(&row3.iud))
            .unwrap()[0]
            .ok
    );
}

/// A probable duplicate stays one when the clerk saves its form (or edits it from the CLI)
/// without touching what makes it a duplicate: the warning is not lost and the draft does not
/// become ready. Changing one of the compared fields (here the causale) lifts it.
#[test]
fn saving_a_duplicate_draft_keeps_its_warning_until_it_differs() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(dir.path());
    let (file, _, _) = lista(dir.path());
    let opts = SheetOptions {
        tipo: Some("TARI".into()),
        ..Default::default()
    };
    let r = desk
        .import_file_with(&file, &opts, ImportMode::KeepDrafts, Default::default())
        .unwrap();
    let iud = r.duplicati[0].bozze[0].clone();
    let is_dup = |desk: &Desk| {
        desk.debt_form(&iud)
            .unwrap()
            .problemi
            .iter()
            .any(|p| crate::report::codes::is_duplicate(&p.codice))
    };
    let email = |e: &str| DebtInput {
        email: Some(e.into()),
        ..Default::default()
    };
    // The window's form, asking for ready: saved, still a draft, still a duplicate.
    let e = desk
        .save_debt_form(&iud, &email("mario.rossi@example.it"), true)
        .unwrap();
    assert!(e.salvato, "{:?}", e.problemi);
    assert_eq!(e.scheda.stato, DovutoStato::Draft);
    assert!(is_dup(&desk));
    // The CLI's edit, then «segna come pronti»: the same.
    let o = desk.edit_debt(&iud, &email("m.rossi@example.it")).unwrap();
    assert!(
        matches!(o, crate::debts::DebtOutcome::Salvato { .. }),
        "{o:?}"
    );
    assert!(is_dup(&desk));
    assert!(!desk.mark_ready_checked(std::slice::from_ref(&iud)).unwrap()[0].ok);
    // Another causale: not the same debt any more.
    let causale = DebtInput {
        causale: Some("TARI 2027 seconda utenza".into()),
        ..Default::default()
    };
    let e = desk.save_debt_form(&iud, &causale, true).unwrap();
    assert!(e.salvato, "{:?}", e.problemi);
    assert_eq!(e.scheda.stato, DovutoStato::Ready);
    assert!(!is_dup(&desk));
}

/// Issue 13 items 1 and 9: importing the same file twice created junk drafts. A file whose
/// every row is in the archive is refused with one sentence and nothing is stored; a file
/// with some rows in the archive keeps those as drafts naming the stored debt.
#[test]
fn a_file_already_in_the_archive_is_refused_and_a_stored_repetition_names_the_debt() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(dir.path());
    let text = "Codice fiscale;Cognome e nome;Importo;Scadenza;Causale\n\
                RSSMRA80A01H501U;Rossi Mario;120,50;31/12/2030;TARI 2030\n";
    let file = dir.path().join("uno.csv");
    std::fs::write(&file, text).unwrap();
    let opts = SheetOptions {
        tipo: Some("TARI".into()),
        ..Default::default()
    };
    let first = desk
        .import_file_with(&file, &opts, ImportMode::KeepDrafts, Default::default())
        .unwrap();
    assert_eq!((first.importate, first.bozze), (1, 0));
    let stored = all(&desk)[0].iud.clone();
    let sorgenti = desk.store().count_sorgenti().unwrap();
    for mode in [
        ImportMode::KeepDrafts,
        ImportMode::AllOrNothing,
        ImportMode::CheckOnly,
    ] {
        let e = desk
            .import_file_with(&file, &opts, mode, Default::default())
            .unwrap_err();
        match e {
            CoreError::AlreadyImported(m) => assert_eq!(
                m,
                "il file «uno.csv» è già stato importato: la sua riga è già in archivio, con lo \
                 stesso pagatore, tipo dovuto, importo, scadenza e causale, e non è stato salvato nulla"
            ),
            e => panic!("{e}"),
        }
    }
    assert_eq!(all(&desk).len(), 1, "nothing stored");
    assert_eq!(desk.store().count_sorgenti().unwrap(), sorgenti);

    // A new row and the old one: the old one is a draft naming the stored debt (a later
    // import: generated IUDs carry the time).
    let mut desk = desk.with_now(Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap());
    let file2 = dir.path().join("due.csv");
    std::fs::write(
        &file2,
        format!(
            "{text}{};Bianchi Anna;80,00;31/12/2030;TARI 2030\n",
            cf16("BNCNNA85M41F205")
        ),
    )
    .unwrap();
    let r = desk
        .import_file_with(&file2, &opts, ImportMode::KeepDrafts, Default::default())
        .unwrap();
    assert_eq!((r.importate, r.bozze), (2, 1));
    let p = &r.errori[0].problemi[0];
    assert_eq!(p.codice, "MPD_DUPLICATO_IN_ARCHIVIO");
    assert!(
        p.messaggio
            .contains(&format!("uguale al dovuto IUD {stored} già in archivio")),
        "{}",
        p.messaggio
    );
    assert_eq!(
        r.duplicati[0].iud_archivio.as_deref(),
        Some(stored.as_str())
    );
    assert_eq!(r.duplicati[0].bozze, vec![r.errori[0].iud.clone()]);
    // A cancelled debt is no duplicate (a later import: generated IUDs carry the time).
    desk.cancel_many(&r.duplicati[0].bozze).unwrap();
    desk.cancel_many(std::slice::from_ref(&stored)).unwrap();
    let mut desk = desk.with_now(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
    let again = desk.import_file(&file, &opts).unwrap();
    assert_eq!(again.importate, 1, "{again:#?}");
}

/// Issue 13 item 1 through the tracciato: the same rule, in the same pipeline.
#[test]
fn a_repeated_row_of_a_tracciato_is_a_draft_too() {
    use mpd_domain::{Column, Version};
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(dir.path());
    let ente = desk.require_ente().unwrap();
    let tipi = desk.store().tipi_dovuto().unwrap();
    let mut g = crate::synth::Generator::new(5, &ente, &tipi, desk.today());
    let first = g.next_row(Version::V1_4);
    let mut again = first.clone();
    again.set(Column::Iud, format!("{}X", first.get(Column::Iud)));
    let other = g.next_row(Version::V1_4);
    let file = dir.path().join("tracciato.csv");
    let mut w =
        mpd_tracciato::ImportWriter::new(std::fs::File::create(&file).unwrap(), Version::V1_4)
            .unwrap();
    for r in [&first, &other, &again] {
        w.write_row(r).unwrap();
    }
    w.finish().unwrap();

    // The CLI's default: the file is refused because of the repetition, which names line 2.
    let r = desk.import_tracciato(&file, false).unwrap();
    assert_eq!(r.importate, 0);
    let dup = &r.errori[0];
    assert_eq!(dup.riga, 4);
    assert_eq!(dup.problemi[0].codice, "MPD_DUPLICATO_NEL_FILE");
    assert!(
        dup.problemi[0]
            .messaggio
            .contains("uguale alla riga 2 del file")
    );

    let r = desk
        .import_file_with(
            &file,
            &SheetOptions::default(),
            ImportMode::KeepDrafts,
            Default::default(),
        )
        .unwrap();
    assert_eq!((r.importate, r.bozze), (3, 1));
    assert_eq!(r.duplicati[0].riga, Some(2));
    assert_eq!(
        r.duplicati[0].bozze,
        vec![again.get(Column::Iud).to_string()]
    );
    let d = desk
        .store()
        .dovuto(again.get(Column::Iud))
        .unwrap()
        .unwrap();
    assert_eq!(d.stato, DovutoStato::Draft);
}

/// Issue 13 item 9: the sheet's total row and the template's example row were imported as
/// debts. They are skipped, each with a note naming its row; a row with only an amount is a
/// total only at the bottom (in the middle it is a row to fix).
#[test]
fn total_rows_and_the_templates_example_row_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = desk(dir.path());
    let anna = cf16("BNCNNA85M41F205");
    let text = format!(
        "Codice fiscale;Cognome e nome;Importo;Scadenza;Causale\n\
         RSSMRA80A01H501U;Rossi Mario;120,50;31/12/2030;Esempio: sostituisci questa riga\n\
         {anna};Bianchi Anna;80,00;31/12/2030;TARI 2030\n\
         ;;10,00;;\n\
         {anna};Bianchi Anna;90,00;31/12/2030;TARI 2030 saldo\n\
         TOTALE;;200,50;;\n\
         ;;200,50;;\n"
    );
    let file = dir.path().join("ruolo.csv");
    std::fs::write(&file, text).unwrap();
    let opts = SheetOptions {
        tipo: Some("TARI".into()),
        valid_only: true,
        ..Default::default()
    };
    let r = desk.import_file(&file, &opts).unwrap();
    assert_eq!(r.righe_lette, 3, "rows 3, 4 and 5: {r:#?}");
    assert_eq!(r.importate, 2);
    assert_eq!(r.errori.len(), 1);
    assert_eq!(
        r.errori[0].riga, 4,
        "an amount alone in the middle is a row to fix"
    );
    let note = &r.foglio.as_ref().unwrap().note;
    for n in [
        "riga 2: riga di esempio del modello, non importata",
        "riga 6: riga dei totali, non importata",
        "riga 7: riga dei totali, non importata",
    ] {
        assert!(note.iter().any(|x| x == n), "{n} in {note:?}");
    }
    let importi: Vec<i64> = all(&desk).iter().map(|d| d.importo_cents).collect();
    assert!(
        !importi.contains(&20050) && !importi.contains(&12050),
        "{importi:?}"
    );

    // The template itself: its example row is never a debt.
    let modello = dir.path().join("modello.xlsx");
    desk.write_template(&modello).unwrap();
    let t = desk
        .import_file(&modello, &SheetOptions::default())
        .unwrap();
    assert_eq!((t.righe_lette, t.importate), (0, 0), "{t:#?}");
    assert!(
        t.foglio
            .unwrap()
            .note
            .contains(&"riga 2: riga di esempio del modello, non importata".to_string())
    );
}
