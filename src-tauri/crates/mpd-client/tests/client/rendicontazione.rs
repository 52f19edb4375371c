//! FdR from MyPay against the running emulator (issue 16): incremental by acquisition day,
//! idempotent, resumable after a cancel, a re-published flow replacing the older one, links to
//! another host refused.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{Duration, Local};
use mpd_client::sync::rendicontazione::FinestraFdr;
use mpd_client::{Engine, Event, SyncError};
use mpd_core::riconciliazione::SETTING_FDR_FINO_A;
use mpd_domain::riconciliazione::Stato;
use mpd_emulator::{AnomaliaFdr, FaultConfig};

use crate::common::*;

/// [`prepare_desk`] with no treasury journal expected: these tests pay days ago and look at
/// the FdR side only, so the days after which a missing FdR or a payment not yet in the
/// treasury is an anomaly are set to their maximum (else "non incassato" after 10 days).
fn senza_tesoreria(world: &World, n: usize, seed: u64) -> mpd_core::Desk {
    let mut desk = prepare_desk(world, n, seed);
    desk.imposta_regole_incasso(mpd_domain::incasso::RegoleIncasso {
        giorni_rendicontazione: 366,
        giorni_incasso: 366,
        giorni_suggerimento: 3,
    })
    .unwrap();
    desk
}

/// Debts submitted, some paid `giorni` days ago, the receipts downloaded: the receipts.
fn paid_and_synced(world: &World, desk: &mut mpd_core::Desk, giorni: i64) -> usize {
    let client = client(world);
    let mut on_event = |_: &Event| {};
    let mut engine = Engine::new(desk, &client, config(), &mut on_event);
    let r = engine.sync(mpd_domain::Version::V1_4).unwrap();
    assert!(r.errori.is_empty(), "{:?}", r.errori);
    let request = mpd_emulator::PayRequest {
        ente: "c_demo".into(),
        share: Some(0.6),
        seed: Some(4),
        data: Some(Local::now().date_naive() - Duration::days(giorni)),
        ..Default::default()
    };
    let paid = mpd_emulator::remote_pay(&world.emu.base_url, &request).unwrap();
    let second = Local::now().timestamp();
    while Local::now().timestamp() == second {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let r = engine.sync(mpd_domain::Version::V1_4).unwrap();
    assert!(r.errori.is_empty(), "{:?}", r.errori);
    assert_eq!(
        r.ricevute.unwrap().riepilogo.nuove as usize,
        paid.pagati.len()
    );
    paid.pagati.len()
}

fn stati(desk: &mpd_core::Desk) -> Vec<Stato> {
    desk.stati_pagamenti()
        .unwrap()
        .into_iter()
        .map(|p| p.stato)
        .collect()
}

#[test]
fn fdr_download_is_incremental_idempotent_and_reconciles_every_payment() {
    let world = start(FaultConfig::default());
    let mut desk = senza_tesoreria(&world, 30, 5);
    let n = paid_and_synced(&world, &mut desk, 12);
    assert!(n > 3);
    assert!(stati(&desk).iter().all(|s| *s == Stato::Pagato));
    let client = client(&world);
    let mut events = Vec::new();
    let mut on_event = |e: &Event| events.push(e.clone());
    let mut engine = Engine::new(&mut desk, &client, config(), &mut on_event);
    let r = engine.download_fdr(&FinestraFdr::Incrementale).unwrap();
    let ieri = Local::now().date_naive() - Duration::days(1);
    // First run: from the first receipt's day to yesterday, every day completed.
    assert_eq!(r.dal, Some(Local::now().date_naive() - Duration::days(12)));
    assert_eq!(r.al, Some(ieri));
    assert_eq!(r.giorni, 12);
    assert_eq!(r.fino_a, Some(ieri));
    assert!(r.nuovi > 0 && r.nuovi == r.elencati, "{r:?}");
    assert_eq!(r.pagamenti, n);
    assert_eq!(r.quadrature, 0);
    drop(engine);
    assert!(events.iter().any(|e| matches!(e, Event::Progress { fase: "rendicontazione", righe, .. } if *righe == r.nuovi as u64)));
    assert_eq!(
        desk.setting(SETTING_FDR_FINO_A).unwrap().as_deref(),
        Some(ieri.format("%Y-%m-%d").to_string().as_str())
    );
    assert!(
        stati(&desk).iter().all(|s| *s == Stato::Rendicontato),
        "{:?}",
        stati(&desk)
    );
    assert_eq!(desk.fdr_quadrature().unwrap().len(), r.nuovi);
    // Again: up to date, nothing asked.
    let mut on_event = |_: &Event| {};
    let mut engine = Engine::new(&mut desk, &client, config(), &mut on_event);
    let again = engine.download_fdr(&FinestraFdr::Incrementale).unwrap();
    assert_eq!((again.giorni, again.nuovi, again.dal), (0, 0, None));
    // An explicit range: listed again, nothing downloaded, the mark untouched.
    let range = engine
        .download_fdr(&FinestraFdr::Date {
            from: ieri - Duration::days(20),
            to: ieri,
        })
        .unwrap();
    assert_eq!(range.nuovi, 0);
    assert_eq!(range.gia_presenti, range.elencati);
    assert_eq!(range.elencati, r.elencati);
    assert_eq!(range.fino_a, Some(ieri));
}

#[test]
fn a_cancelled_download_resumes_where_it_stopped() {
    let world = start(FaultConfig::default());
    let mut desk = senza_tesoreria(&world, 30, 6);
    let n = paid_and_synced(&world, &mut desk, 10);
    let client = client(&world);
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let mut on_event = |e: &Event| {
        if matches!(
            e,
            Event::Progress {
                fase: "rendicontazione",
                ..
            }
        ) {
            flag.store(true, Ordering::SeqCst);
        }
    };
    let mut engine =
        Engine::new(&mut desk, &client, config(), &mut on_event).with_cancel(stop.clone());
    let mut partial = mpd_client::sync::rendicontazione::FdrOutcome::default();
    let e = engine
        .download_fdr_into(&FinestraFdr::Incrementale, &mut partial)
        .unwrap_err();
    assert!(matches!(e, SyncError::Annullato), "{e}");
    drop(engine);
    let stored = desk.fdr_quadrature().unwrap().len();
    assert_eq!(stored, 1, "the flow stored before the cancel stays");
    // What the stopped run did is told: the flow it stored, the days it asked.
    assert_eq!(
        (partial.nuovi, partial.pagamenti > 0),
        (1, true),
        "{partial:?}"
    );
    assert_eq!(
        partial.dal,
        Some(Local::now().date_naive() - Duration::days(10))
    );
    let mark = desk.setting(SETTING_FDR_FINO_A).unwrap();
    let ieri = Local::now().date_naive() - Duration::days(1);
    assert_ne!(
        mark.as_deref(),
        Some(ieri.format("%Y-%m-%d").to_string().as_str())
    );
    // The next run resumes: the stored flow is not downloaded again, the rest comes.
    let mut on_event = |_: &Event| {};
    let mut engine = Engine::new(&mut desk, &client, config(), &mut on_event);
    let r = engine.download_fdr(&FinestraFdr::Incrementale).unwrap();
    assert_eq!(r.fino_a, Some(ieri));
    drop(engine);
    let flows: usize = desk.fdr_quadrature().unwrap().len();
    assert_eq!(flows, stored + r.nuovi);
    assert!(stati(&desk).iter().all(|s| *s == Stato::Rendicontato));
    assert_eq!(stati(&desk).len(), n);
}

#[test]
fn a_republished_flow_replaces_the_older_and_anomalies_are_explained() {
    let world = start(FaultConfig {
        fdr_anomalie: vec![
            AnomaliaFdr::Ripubblicato,
            AnomaliaFdr::ImportoDiverso,
            AnomaliaFdr::Doppio,
            AnomaliaFdr::Esito9,
        ],
        ..FaultConfig::default()
    });
    let mut desk = senza_tesoreria(&world, 40, 8);
    paid_and_synced(&world, &mut desk, 14);
    let client = client(&world);
    let mut on_event = |_: &Event| {};
    let mut engine = Engine::new(&mut desk, &client, config(), &mut on_event);
    let r = engine.download_fdr(&FinestraFdr::Incrementale).unwrap();
    assert_eq!(r.sostituiti, 1, "{r:?}");
    assert!(
        r.gia_presenti >= 1,
        "the newer version is listed again the next day: {r:?}"
    );
    drop(engine);
    let s = stati(&desk);
    assert!(s.contains(&Stato::ImportoDiverso), "{s:?}");
    assert!(s.contains(&Stato::Doppio), "{s:?}");
    assert!(s.iter().filter(|s| s.anomalia()).count() == 2, "{s:?}");
}

#[test]
fn a_flow_that_cannot_be_imported_is_set_aside_and_the_days_go_on() {
    let world = start(FaultConfig {
        fdr_anomalie: vec![AnomaliaFdr::AltroEnte],
        ..FaultConfig::default()
    });
    let mut desk = senza_tesoreria(&world, 30, 9);
    let n = paid_and_synced(&world, &mut desk, 8);
    let client = client(&world);
    let mut on_event = |_: &Event| {};
    let mut engine = Engine::new(&mut desk, &client, config(), &mut on_event);
    let r = engine.download_fdr(&FinestraFdr::Incrementale).unwrap();
    drop(engine);
    // Before, the refused flow stopped the run on its day, and every later run on it again.
    let ieri = Local::now().date_naive() - Duration::days(1);
    assert_eq!(r.fino_a, Some(ieri), "{r:?}");
    assert_eq!(r.scartati.len(), 1, "{r:?}");
    let s = &r.scartati[0];
    assert!(
        s.motivo.contains(mpd_emulator::CF_ALTRO_ENTE) && s.motivo.contains("non per questo Ente"),
        "{}",
        s.motivo
    );
    assert!(
        !s.motivo.contains("Nessun flusso è stato importato"),
        "{}",
        s.motivo
    );
    assert!(std::path::Path::new(&s.file).exists(), "{}", s.file);
    assert_eq!(r.nuovi + 1, r.elencati, "{r:?}");
    assert!(desk.fdr_data_ora(&s.iuf).unwrap().is_none());
    // Its payments stay «pagato» (not reported here), every other one is reported.
    let st = stati(&desk);
    assert_eq!(st.len(), n);
    let non_rendicontati = st.iter().filter(|s| **s == Stato::Pagato).count();
    assert!(non_rendicontati > 0, "{st:?}");
    assert_eq!(
        non_rendicontati + st.iter().filter(|s| **s == Stato::Rendicontato).count(),
        n,
        "{st:?}"
    );
    // The next run starts after yesterday: nothing asked again.
    let mut on_event = |_: &Event| {};
    let mut engine = Engine::new(&mut desk, &client, config(), &mut on_event);
    let again = engine.download_fdr(&FinestraFdr::Incrementale).unwrap();
    assert_eq!((again.giorni, again.scartati.len()), (0, 0));
}

#[test]
fn a_link_to_another_host_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = mpd_emulator::EmulatorOptions::new(dir.path().join("emu"));
    options.public_url = Some("http://altro.example:9".into());
    let mut ente = mpd_emulator::EnteConfig::demo();
    ente.password = Some(PASSWORD.to_string());
    options.enti = vec![ente];
    let emu = mpd_emulator::Emulator::start(options).unwrap();
    let world = World {
        dir,
        db: std::path::PathBuf::new(),
        emu,
    };
    let real = format!("http://{}", world.emu.addr);
    let base = mpd_client::Connessione::new(mpd_client::Ambiente::Custom, &real);
    let client = mpd_client::MyPayClient::new(
        &base.soap_url(),
        "c_demo",
        mpd_client::Secret::new(PASSWORD),
        &config().timeouts,
    )
    .unwrap();
    // Fake a listed flow: MyPay's KO is an answer, not a link; the link of an existing one
    // would point at altro.example and be refused by the download (same check as every file).
    let out = client
        .elenco_flussi_spc("R", Local::now().date_naive(), Local::now().date_naive())
        .unwrap();
    assert!(out.is_empty());
    let e = client
        .download(
            "http://altro.example:9/public/mybox/download/1?type=FLUSSI_RENDIC",
            mpd_client::api::Scaricamento::Rendicontazione,
            &world.dir.path().join("x.xml"),
            &mut |_, _| {},
        )
        .unwrap_err();
    assert!(
        matches!(e, mpd_client::api::ApiError::LinkEsterno { .. }),
        "{e}"
    );
}
