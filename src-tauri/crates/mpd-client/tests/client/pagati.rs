//! A payer's payment session end to end against the emulator: a counter debt, a session opened
//! on its IUV (`paaSILVerificaAvviso`), `paaSILChiediPagati` refusing while nothing is paid,
//! the citizen paying on MyPay's landing page, then the session's `Pagati` read back.

use mpd_client::api::pagati::Sessione;
use mpd_client::{Engine, Event};
use mpd_core::input::DebtInput;
use mpd_emulator::FaultConfig;

use crate::common::*;

#[test]
fn a_session_is_opened_then_its_payment_is_read_back() {
    let world = start(FaultConfig::default());
    let mut desk = prepare_desk(&world, 1, 21);
    let client = client(&world);
    let mut sink = |_: &Event| {};
    let mut engine = Engine::new(&mut desk, &client, config(), &mut sink);
    let c = engine
        .counter_new(&DebtInput {
            codice: Some("RSSMRA80A01H501U".into()),
            anagrafica: Some("Mario Rossi".into()),
            importo: Some("12,50".into()),
            tipo_dovuto: Some(mpd_core::synth::tipi_demo()[0].codice.clone()),
            causale: Some("Diritti di segreteria".into()),
            scadenza: Some(
                (chrono::Local::now().date_naive() + chrono::Days::new(30))
                    .format("%d/%m/%Y")
                    .to_string(),
            ),
            ..Default::default()
        })
        .unwrap();
    let iuv = c.iuv.clone().expect("IUV");

    let Sessione { id_session, url } = client
        .verifica_avviso(&iuv, Some("http://ente.example/esito"))
        .unwrap();
    let url = url.expect("the page where the citizen pays");
    let err = client.pagati_sessione(&id_session).unwrap_err();
    assert_eq!(
        err.fault_code(),
        Some("PAA_PAGAMENTO_NON_INIZIATO"),
        "{err:?}"
    );
    let unknown = client.pagati_sessione("sessione-ignota").unwrap_err();
    assert_eq!(unknown.fault_code(), Some("PAA_ID_SESSION_NON_VALIDO"));

    // The citizen pays on MyPay's page.
    let landing = url.split("id=").nth(1).expect("landing id").to_string();
    let http = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = http
        .post(format!("{}/public/landing/inviaDovuti", world.emu.base_url))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("id={landing}&esito=OK"))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);

    let p = client.pagati_sessione(&id_session).unwrap();
    assert_eq!(p.iuv.as_deref(), Some(iuv.as_str()));
    assert_eq!(p.codice_esito.as_deref(), Some("0"));
    assert_eq!(p.importo_totale.as_deref(), Some("12.50"));
    assert_eq!(p.pagamenti.len(), 1, "{}", p.xml);
    let s = &p.pagamenti[0];
    assert_eq!(s.iud.as_deref(), Some(c.iud.as_str()));
    assert_eq!(s.importo.as_deref(), Some("12.50"));
    assert!(s.iur.as_deref().is_some_and(|i| !i.is_empty()));
    assert_eq!(s.causale.as_deref(), Some("Diritti di segreteria"));
}
