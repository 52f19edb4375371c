//! The counter beyond creation: a debt changed on MyPay (azione `M`, same IUD and IUV, a new
//! notice) and the refusals a clerk can meet; and cancelling a long submission, which stops
//! between persisted steps and resumes later without a second upload.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use mpd_client::{Engine, Event, SyncError};
use mpd_core::DovutoStato;
use mpd_core::input::DebtInput;
use mpd_emulator::FaultConfig;

use crate::common::*;

const CF: &str = "VRDLGU75C12H501D";

fn new_input(importo: &str) -> DebtInput {
    DebtInput {
        codice: Some(CF.into()),
        anagrafica: Some("Luigi Verdi".into()),
        importo: Some(importo.into()),
        tipo_dovuto: Some(mpd_core::synth::tipi_demo()[0].codice.clone()),
        causale: Some("Diritti di segreteria".into()),
        scadenza: Some(
            (chrono::Local::now().date_naive() + chrono::Days::new(30))
                .format("%d/%m/%Y")
                .to_string(),
        ),
        ..Default::default()
    }
}

#[test]
fn a_counter_debt_is_modified_on_mypay_keeping_its_iuv() {
    let world = start(FaultConfig::default());
    let mut desk = prepare_desk(&world, 3, 11);
    let client = client(&world);
    let mut sink = |_: &Event| {};
    let mut engine = Engine::new(&mut desk, &client, config(), &mut sink);

    let created = engine.counter_new(&new_input("12,50")).unwrap();
    let iuv = created.iuv.clone().unwrap();

    let change = DebtInput {
        importo: Some("20,00".into()),
        causale: Some("Diritti di segreteria e bollo".into()),
        ..Default::default()
    };
    let modified = engine.counter_modify(&created.iud, &change).unwrap();
    assert_eq!(modified.iud, created.iud);
    assert_eq!(modified.iuv.as_deref(), Some(iuv.as_str()), "the IUV stays");
    assert_eq!(modified.numero_avviso, created.numero_avviso);
    assert!(
        modified
            .pdf
            .as_deref()
            .is_some_and(|p| std::fs::read(p).unwrap().starts_with(b"%PDF")),
        "new notice: {modified:?}"
    );

    // MyPay now holds the new amount and reason under the same IUD.
    let open = engine.counter_lookup(CF).unwrap();
    let p = open
        .iter()
        .find(|p| p.iud.as_deref() == Some(created.iud.as_str()))
        .unwrap_or_else(|| panic!("{open:?}"));
    assert_eq!(p.importo.as_deref(), Some("20.00"), "{p:?}");
    assert_eq!(p.causale.as_deref(), Some("Diritti di segreteria e bollo"));

    // Refusals: the IUD cannot change; an invalid amount is explained by field, and nothing
    // reaches MyPay.
    let other_iud = DebtInput {
        iud: Some("ALTRO".into()),
        ..Default::default()
    };
    let e = engine.counter_modify(&created.iud, &other_iud).unwrap_err();
    assert!(e.to_string().contains("non si può cambiare"), "{e}");
    let bad = DebtInput {
        importo: Some("dodici".into()),
        ..Default::default()
    };
    let e = engine.counter_modify(&created.iud, &bad).unwrap_err();
    assert!(e.to_string().contains("modifica non valida"), "{e}");

    // A debt not on MyPay yet is changed in the list, not at the counter.
    let ready = engine
        .desk()
        .debts(&mpd_core::DovutoFilter {
            stato: Some(DovutoStato::Ready),
            ..Default::default()
        })
        .unwrap();
    let e = engine.counter_modify(&ready[0].iud, &change).unwrap_err();
    assert!(e.to_string().contains("non caricato su MyPay"), "{e}");

    // Cancelled at the counter, it can no longer be modified (MyPay would refuse it too).
    engine.counter_cancel(&created.iud).unwrap();
    assert!(engine.counter_modify(&created.iud, &change).is_err());
    drop(engine);

    let d = desk.store().dovuto(&created.iud).unwrap().unwrap();
    assert_eq!(d.stato, DovutoStato::Cancelled);
    assert_eq!(d.importo_cents, 2000);
}

#[test]
fn a_payers_payments_are_asked_live_before_any_receipts_download() {
    let world = start(FaultConfig::default());
    let mut desk = prepare_desk(&world, 2, 13);
    let client = client(&world);
    let mut sink = |_: &Event| {};
    let mut engine = Engine::new(&mut desk, &client, config(), &mut sink);
    let a = engine.counter_new(&new_input("12,50")).unwrap();
    let b = engine.counter_new(&new_input("30,00")).unwrap();

    let none = engine.counter_payments(CF, 20).unwrap();
    assert_eq!(none.controllati, 2);
    assert!(none.pagamenti.is_empty(), "{none:?}");
    assert!(none.errori.is_empty(), "{none:?}");

    // The citizen pays (only the two counter debts are open on MyPay).
    assert_eq!(pay(&world, 1.0, 3), 2);
    let paid = engine.counter_payments(CF, 20).unwrap();
    assert!(paid.errori.is_empty(), "{paid:?}");
    let mut got: Vec<(String, Option<String>)> = paid
        .pagamenti
        .iter()
        .map(|p| (p.iud.clone(), p.importo.clone()))
        .collect();
    got.sort();
    let mut want = vec![
        (a.iud.clone(), Some("12.50".to_string())),
        (b.iud.clone(), Some("30.00".to_string())),
    ];
    want.sort();
    assert_eq!(got, want);
    assert!(
        paid.pagamenti
            .iter()
            .all(|p| p.iur.is_some() && p.codice_esito.as_deref() == Some("0"))
    );

    // The limit: newest first, the rest counted as not asked.
    let one = engine.counter_payments(CF, 1).unwrap();
    assert_eq!((one.controllati, one.non_controllati), (1, 1));
    assert_eq!(one.pagamenti[0].iud, b.iud);
    // Nothing was stored: the debts are still loaded until the receipts come.
    drop(engine);
    assert_eq!(
        desk.store().dovuto(&a.iud).unwrap().unwrap().stato,
        DovutoStato::Loaded
    );
}

#[test]
fn cancelling_a_submission_stops_between_steps_and_resumes_without_a_second_upload() {
    // MyPay "stuck" for a while: the flow waits in processing, where the clerk cancels.
    let world = start(FaultConfig {
        stuck_secs: 2,
        ..FaultConfig::default()
    });
    let mut desk = prepare_desk(&world, 5, 12);
    desk.build_flows(mpd_domain::Version::V1_4, None).unwrap();
    let flow = desk.flows().unwrap().remove(0);
    let client = client(&world);
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let mut on_event = move |e: &Event| {
        if matches!(e, Event::Waiting { .. }) {
            flag.store(true, Ordering::SeqCst);
        }
    };
    let started = std::time::Instant::now();
    let result = Engine::new(&mut desk, &client, config(), &mut on_event)
        .with_cancel(cancel.clone())
        .submit_flow(flow.id);
    assert!(matches!(result, Err(SyncError::Annullato)), "{result:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    let f = desk.store().flusso(&flow.id.to_string()).unwrap().unwrap();
    assert!(
        matches!(
            f.stato,
            mpd_core::FlussoStato::Uploaded | mpd_core::FlussoStato::Processing
        ),
        "{:?}",
        f.stato
    );

    // The timeline's steps are recorded with their time: authorised, uploaded, processing.
    let steps: Vec<String> = desk
        .store()
        .audit_flusso(flow.id)
        .unwrap()
        .into_iter()
        .map(|e| e.azione)
        .collect();
    assert_eq!(
        steps,
        [
            "flusso.autorizzato",
            "flusso.caricato",
            "flusso.in_elaborazione"
        ],
        "{steps:?}"
    );

    // Later, without cancelling: it resumes from the saved step to the outcome.
    let mut sink = |_: &Event| {};
    let out = Engine::new(&mut desk, &client, config(), &mut sink)
        .with_cancel(Arc::new(AtomicBool::new(false)))
        .submit_flow(flow.id)
        .unwrap();
    assert_eq!(out.stato, mpd_core::FlussoStato::Done);
    assert_eq!(out.caricate + out.scartate, f.righe);
    let last = desk.store().audit_flusso(flow.id).unwrap();
    assert_eq!(last.last().unwrap().azione, "flusso.esito");
    for (file, n) in uploads_per_file(&world) {
        assert_eq!(n, 1, "{file} uploaded {n} times");
    }
}
