//! Issue 15: the same engine against the emulator playing ARIA's middleware (PU behind it)
//! and PU's own SOAP: a 1_4 flow refused and rebuilt in 1_3, a cancelled export booked again,
//! a token that stops working in the middle of a submission, a 401 on a download, a name
//! reused after an ERROR — each recovered or explained, nothing lost, nothing uploaded twice.

use std::time::Duration;

use mpd_client::api::OAuth;
use mpd_client::sync::receipts::Window;
use mpd_client::{
    Ambiente, Connessione, Engine, Event, MyPayClient, OpzioniPiattaforma, Piattaforma, Secret,
    SyncConfig,
};
use mpd_core::flows::PianoVersioni;
use mpd_core::{DovutoStato, FlussoStato};
use mpd_domain::Version;
use mpd_emulator::{Emulator, EmulatorOptions, FaultConfig};

use crate::common::*;

/// Distinctive, so a scan can find any leak.
const SEGRETO: &str = "Segreto-Client-PU-7Qx2";

fn start_on(p: mpd_emulator::Piattaforma, faults: FaultConfig) -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut options = EmulatorOptions::new(dir.path().join("emu")).con_piattaforma(p);
    options.batch_interval = Duration::from_millis(15);
    options.faults = faults;
    let mut ente = mpd_emulator::EnteConfig::demo();
    ente.password = Some(PASSWORD.to_string());
    ente.client_secret = Some(SEGRETO.to_string());
    options.enti = vec![ente];
    let emu = Emulator::start(options).unwrap();
    let db = dir.path().join("dati").join("mypay-desk.sqlite");
    World { dir, emu, db }
}

fn client_on(world: &World, p: Piattaforma) -> MyPayClient {
    let opzioni = OpzioniPiattaforma::predefinite(p);
    let conn = Connessione::new(Ambiente::Custom, &world.emu.base_url).sulla_piattaforma(&opzioni);
    let (password, oauth) = match p {
        Piattaforma::Pu => (
            Secret::new(""),
            Some(OAuth {
                token_url: format!("{}{}", world.emu.base_url, opzioni.percorso_token),
                client_id: mpd_emulator::client_id_predefinito("c_demo"),
                client_secret: Secret::new(SEGRETO),
                margine: Duration::from_secs(60),
            }),
        ),
        _ => (Secret::new(PASSWORD), None),
    };
    MyPayClient::new(&conn.soap_url(), "c_demo", password, &config().timeouts)
        .unwrap()
        .per_piattaforma(&opzioni, oauth)
}

fn config_on(p: Piattaforma) -> SyncConfig {
    SyncConfig {
        piattaforma: p,
        ..config()
    }
}

fn piano_13() -> PianoVersioni {
    PianoVersioni {
        base: Version::V1_3,
        multibeneficiario: Err("serve il tracciato 1_4".into()),
    }
}

fn count(desk: &mpd_core::Desk, stato: DovutoStato) -> i64 {
    desk.debt_counts()
        .unwrap()
        .iter()
        .filter(|c| c.stato == stato)
        .map(|c| c.numero)
        .sum()
}

#[test]
fn aria_refuses_1_4_the_flow_is_explained_and_rebuilt_in_1_3() {
    let world = start_on(
        mpd_emulator::Piattaforma::Aria,
        FaultConfig {
            export_annullati: 1,
            ..FaultConfig::default()
        },
    );
    let mut desk = prepare_desk(&world, 12, 5);
    let pronti = count(&desk, DovutoStato::Ready);
    desk.build_flows(Version::V1_4, None).unwrap();
    let client = client_on(&world, Piattaforma::Mypay);
    let mut sink = |_: &Event| {};
    // The connection still says MyPay: the Ente moved behind ARIA without the clerk knowing.
    let mut engine = Engine::new(&mut desk, &client, config(), &mut sink);
    let (outcomes, errors) = engine.submit_all().unwrap();
    drop(engine);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(outcomes.len(), 1);
    let o = &outcomes[0];
    assert_eq!(o.stato, FlussoStato::Aborted);
    let msg = o.esito_messaggio.clone().unwrap_or_default();
    assert!(
        msg.contains("Piattaforma Unitaria") && msg.contains("1_4") && msg.contains("1_3"),
        "{msg}"
    );
    assert!(!msg.contains("PAA_"), "no MyPay code for the clerk: {msg}");
    // Nothing lost, nothing uploaded.
    assert_eq!(count(&desk, DovutoStato::Ready), pronti);
    assert!(uploads_per_file(&world).is_empty());
    assert_eq!(
        mpd_client::piattaforma::versioni_osservate(&desk),
        vec!["1_4".to_string()]
    );

    // Rebuilt in 1_3 (the platform's version), the flow goes through with PU's states.
    let report = desk.build_flows_piano(&piano_13(), None, None).unwrap();
    assert!(report.flussi.iter().all(|f| f.nome.ends_with("-1_3.zip")));
    let client = client_on(&world, Piattaforma::Aria);
    let mut steps: Vec<String> = Vec::new();
    let mut on_event = |e: &Event| {
        if let Event::Waiting { stato, .. } = e {
            steps.push(stato.clone());
        }
    };
    let mut engine = Engine::new(
        &mut desk,
        &client,
        config_on(Piattaforma::Aria),
        &mut on_event,
    );
    let (outcomes, errors) = engine.submit_all().unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    let o = &outcomes[0];
    assert_eq!(o.stato, FlussoStato::Done, "{o:?}");
    assert!(o.caricate > 0 && o.scartate > 0, "{o:?}");
    drop(engine);
    assert!(steps.iter().all(|s| s.starts_with("FILE_")), "{steps:?}");
    for (name, n) in uploads_per_file(&world) {
        assert_eq!(n, 1, "{name}");
    }

    // Receipts: PU cancels the first booking (EXPORT_CANCELLATO); it is booked again.
    assert!(pay(&world, 1.0, 3) > 0);
    let mut sink = |_: &Event| {};
    let mut engine = Engine::new(&mut desk, &client, config_on(Piattaforma::Aria), &mut sink);
    let r = engine.download_receipts(&Window::Incremental).unwrap();
    assert!(!r.in_attesa);
    assert!(r.riepilogo.nuove > 0, "{r:?}");
    assert_eq!(r.esportazioni.len(), 1, "{r:?}");
}

#[test]
fn pu_token_stops_working_mid_submission_and_on_a_download() {
    // Tokens say they last an hour but stop working after one second: every renewal is a 401.
    let world = start_on(
        mpd_emulator::Piattaforma::Pu,
        FaultConfig {
            pu_token_ttl_secs: Some(1),
            latency_ms: 400,
            ..FaultConfig::default()
        },
    );
    let mut desk = prepare_desk(&world, 10, 9);
    desk.build_flows_piano(&piano_13(), None, None).unwrap();
    let client = client_on(&world, Piattaforma::Pu);
    let mut sink = |_: &Event| {};
    let mut engine = Engine::new(&mut desk, &client, config_on(Piattaforma::Pu), &mut sink);
    let (outcomes, errors) = engine.submit_all().unwrap();
    drop(engine);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(outcomes[0].stato, FlussoStato::Done, "{:?}", outcomes[0]);
    assert!(outcomes[0].caricate > 0);
    assert!(
        client.token_richiesti() >= 2,
        "renewed after a 401: {}",
        client.token_richiesti()
    );
    assert_settled(&world, &desk);

    // A 401 on a download: the link is fine, the token is not; renewed once, downloaded.
    let f = desk.flows().unwrap().remove(0);
    let st = client
        .stato_import(f.request_token.as_deref().unwrap(), false)
        .unwrap();
    let url = st.url_iuv.expect("IUV link");
    std::thread::sleep(Duration::from_millis(1200));
    let prima = client.token_richiesti();
    let dest = world.dir.path().join("iuv.zip");
    let (bytes, _) = client
        .download(
            &url,
            mpd_client::api::Scaricamento::Esito,
            &dest,
            &mut |_, _| {},
        )
        .unwrap();
    assert!(bytes > 0);
    assert_eq!(client.token_richiesti(), prima + 1);

    // The secret is nowhere on disk on the client's side.
    for p in files_under(&world.dir.path().join("dati")) {
        let bytes = std::fs::read(&p).unwrap();
        assert!(
            !bytes
                .windows(SEGRETO.len())
                .any(|w| w == SEGRETO.as_bytes()),
            "{}",
            p.display()
        );
    }
}

#[test]
fn pu_name_reused_after_an_error_is_accepted_and_wrong_credentials_are_explained() {
    let world = start_on(
        mpd_emulator::Piattaforma::Pu,
        FaultConfig {
            import_in_errore: 1,
            ..FaultConfig::default()
        },
    );
    let now = chrono::Utc::now();
    drop(prepare_desk(&world, 8, 11));
    // A backup of the archive with the debts ready, restored later.
    let backup = world.dir.path().join("copia.sqlite");
    std::fs::copy(&world.db, &backup).unwrap();
    let mut desk = mpd_core::Desk::open(Some(&world.db), &mpd_core::testing::chiave())
        .unwrap()
        .with_now(now);
    let pronti = count(&desk, DovutoStato::Ready);
    let first = desk.build_flows_piano(&piano_13(), None, None).unwrap();
    let client = client_on(&world, Piattaforma::Pu);
    let mut sink = |_: &Event| {};
    let mut engine = Engine::new(&mut desk, &client, config_on(Piattaforma::Pu), &mut sink);
    let (outcomes, _) = engine.submit_all().unwrap();
    drop(engine);
    assert_eq!(outcomes[0].stato, FlussoStato::Aborted, "{:?}", outcomes[0]);
    let msg = outcomes[0].esito_messaggio.clone().unwrap_or_default();
    assert!(msg.contains("Piattaforma Unitaria"), "{msg}");
    assert_eq!(count(&desk, DovutoStato::Ready), pronti, "nothing lost");
    drop(desk);

    // The backup restored, at the same instant: the same flow name again. PU takes it,
    // because the first upload of that name ended in ERROR.
    let restored = world
        .dir
        .path()
        .join("ripristinato")
        .join("mypay-desk.sqlite");
    std::fs::create_dir_all(restored.parent().unwrap()).unwrap();
    std::fs::copy(&backup, &restored).unwrap();
    let mut desk = mpd_core::Desk::open(Some(&restored), &mpd_core::testing::chiave())
        .unwrap()
        .with_now(now);
    let second = desk.build_flows_piano(&piano_13(), None, None).unwrap();
    assert_eq!(first.flussi[0].nome, second.flussi[0].nome);
    let mut engine = Engine::new(&mut desk, &client, config_on(Piattaforma::Pu), &mut sink);
    let (outcomes, errors) = engine.submit_all().unwrap();
    drop(engine);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(outcomes[0].stato, FlussoStato::Done, "{:?}", outcomes[0]);
    assert_eq!(
        uploads_per_file(&world),
        vec![(second.flussi[0].nome.clone(), 2)],
        "one upload ended in ERROR, one loaded: the debts went up once"
    );

    // A wrong secret: explained, not retried, never echoed.
    let opzioni = OpzioniPiattaforma::predefinite(Piattaforma::Pu);
    let conn = Connessione::new(Ambiente::Custom, &world.emu.base_url).sulla_piattaforma(&opzioni);
    let bad = MyPayClient::new(
        &conn.soap_url(),
        "c_demo",
        Secret::new(""),
        &config().timeouts,
    )
    .unwrap()
    .per_piattaforma(
        &opzioni,
        Some(OAuth {
            token_url: format!("{}{}", world.emu.base_url, opzioni.percorso_token),
            client_id: mpd_emulator::client_id_predefinito("c_demo"),
            client_secret: Secret::new("Sbagliato-Qz9"),
            margine: Duration::from_secs(60),
        }),
    );
    let e = bad.autorizza_import().unwrap_err();
    assert!(!e.is_transient());
    let text = e.to_string();
    assert!(
        text.contains("Client SIL") && !text.contains("Sbagliato-Qz9"),
        "{text}"
    );
}

#[test]
fn unsupported_operations_are_explained_not_retried() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = EmulatorOptions::new(dir.path().join("emu"))
        .con_piattaforma(mpd_emulator::Piattaforma::Aria);
    options.operazioni_non_supportate = vec!["paaSILChiediPosizioniAperte".into()];
    let mut ente = mpd_emulator::EnteConfig::demo();
    ente.password = Some(PASSWORD.to_string());
    options.enti = vec![ente];
    let emu = Emulator::start(options).unwrap();
    let world = World {
        db: dir.path().join("dati").join("mypay-desk.sqlite"),
        dir,
        emu,
    };
    let mut desk = prepare_desk(&world, 1, 1);
    let client = client_on(&world, Piattaforma::Aria);
    let mut retries = 0;
    let mut on_event = |e: &Event| {
        if matches!(e, Event::Retry { .. }) {
            retries += 1;
        }
    };
    let mut engine = Engine::new(
        &mut desk,
        &client,
        config_on(Piattaforma::Aria),
        &mut on_event,
    );
    let e = engine.counter_lookup("RSSMRA80A01H501U").unwrap_err();
    drop(engine);
    let text = e.to_string();
    assert!(
        text.contains("posizioni aperte") && text.contains("non è offerta"),
        "{text}"
    );
    assert!(!text.contains("paaSIL"), "{text}");
    assert_eq!(retries, 0);
}
