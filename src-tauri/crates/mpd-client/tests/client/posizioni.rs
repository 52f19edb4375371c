//! Issue 14 items 3 and 7 against the emulator: citizens pay one position's rata unica and
//! another's first instalment; the next download cancels the other way of paying of each, the
//! next flow carries exactly those `A` rows, and once MyPay has loaded it the positions read
//! "pagata" and "pagata in parte (1 di 3)".

use mpd_client::Engine;
use mpd_core::posizioni::{EsitoPosizione, PosizioneInput, PosizioneVista};
use mpd_core::{Desk, DovutoStato};
use mpd_domain::posizione::{Rata, StatoPosizione};
use mpd_emulator::FaultConfig;

use crate::common::*;

fn posizione(desk: &mut Desk, codice: &str, cf: &str) -> PosizioneVista {
    let tipo = mpd_core::synth::tipi_demo()[0].codice.clone();
    let opzione = |rata: u8, importo: &str, scadenza: &str| {
        (
            Rata::da_numero(rata).unwrap(),
            mpd_core::input::DebtInput {
                codice: Some(cf.into()),
                anagrafica: Some(format!("Famiglia {codice}")),
                importo: Some(importo.into()),
                scadenza: Some(scadenza.into()),
                tipo_dovuto: Some(tipo.clone()),
                causale: Some(format!(
                    "{codice} - {}",
                    Rata::da_numero(rata).unwrap().etichetta()
                )),
                ..Default::default()
            },
        )
    };
    let input = PosizioneInput {
        codice: Some(codice.into()),
        oggetto: Some("TARI 2027".into()),
        opzioni: vec![
            opzione(0, "240,00", "30/04/2030"),
            opzione(1, "80,00", "30/04/2030"),
            opzione(2, "80,00", "31/07/2030"),
            opzione(3, "80,00", "31/10/2030"),
        ],
    };
    match desk.crea_posizione(&input, false).unwrap() {
        EsitoPosizione::Salvata { posizione } => *posizione,
        EsitoPosizione::NonValida { problemi } => panic!("{problemi:#?}"),
    }
}

fn sync(desk: &mut Desk, world: &World) -> mpd_client::sync::SyncReport {
    let client = client(world);
    let mut on_event = |_: &mpd_client::Event| {};
    let mut engine = Engine::new(desk, &client, config(), &mut on_event);
    let r = engine.sync(mpd_domain::Version::V1_4).unwrap();
    assert!(r.errori.is_empty(), "{:?}", r.errori);
    r
}

#[test]
fn a_position_paid_one_way_has_the_other_way_cancelled_at_mypay() {
    let world = start(FaultConfig::default());
    let mut desk = Desk::open(Some(&world.db), &mpd_core::testing::chiave()).unwrap();
    let now = desk.now();
    desk.store_mut()
        .save_ente(
            &mpd_core::debts::demo_ente(),
            "{}",
            &mpd_core::synth::tipi_demo(),
            now,
        )
        .unwrap();
    let a = posizione(&mut desk, "A", "RSSMRA80A01H501U");
    let cf_b = format!(
        "BNCLRA85C41F205{}",
        mpd_domain::cf::check_char(b"BNCLRA85C41F205").unwrap()
    );
    let b = posizione(&mut desk, "B", &cf_b);
    let r = sync(&mut desk, &world);
    assert_eq!(r.flussi[0].caricate, 8, "{:?}", r.flussi);

    // One citizen pays A's rata unica, another B's first instalment.
    let pagati = mpd_emulator::remote_pay(
        &world.emu.base_url,
        &mpd_emulator::PayRequest {
            ente: "c_demo".into(),
            share: None,
            seed: None,
            data: None,
            iud: vec![a.opzioni[0].iud.clone(), b.opzioni[1].iud.clone()],
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(pagati.pagati.len(), 2);
    let second = chrono::Local::now().timestamp();
    while chrono::Local::now().timestamp() == second {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }

    // The download matches both and cancels A's instalments and B's rata unica.
    let r = sync(&mut desk, &world);
    let ricevute = r.ricevute.expect("receipts downloaded");
    assert_eq!(ricevute.riepilogo.pagato, 2);
    assert_eq!(ricevute.riepilogo.annullate_per_posizione, 4);
    let da_annullare: Vec<String> = desk
        .dovuti_da_inviare()
        .unwrap()
        .into_iter()
        .map(|d| {
            assert_eq!(d.azione_pendente, Some(mpd_domain::Azione::Annullamento));
            d.iud
        })
        .collect();
    let mut attese: Vec<String> = a.opzioni[1..]
        .iter()
        .map(|o| o.iud.clone())
        .chain([b.opzioni[0].iud.clone()])
        .collect();
    attese.sort();
    let mut da_annullare = da_annullare;
    da_annullare.sort();
    assert_eq!(da_annullare, attese);

    // The next flow carries exactly those A rows; MyPay loads it.
    let r = sync(&mut desk, &world);
    assert_eq!(r.flussi_creati, 1);
    let f = &r.flussi[0];
    assert_eq!((f.caricate, f.scartate), (4, 0), "{f:?}");
    let a = desk.posizione("A").unwrap().unwrap();
    assert_eq!(a.stato, StatoPosizione::Pagata);
    assert!(
        a.opzioni[1..]
            .iter()
            .all(|o| o.stato == DovutoStato::Cancelled)
    );
    let b = desk.posizione("B").unwrap().unwrap();
    assert_eq!(
        b.stato,
        StatoPosizione::PagataInParte { pagate: 1, rate: 3 }
    );
    assert_eq!(b.opzioni[0].stato, DovutoStato::Cancelled);
    assert!(
        b.opzioni[2..]
            .iter()
            .all(|o| o.stato == DovutoStato::Loaded)
    );
}

/// A valid fiscal code for household `i` (the birth day changes).
fn cf_famiglia(i: usize) -> String {
    let base = format!("BNCLRA85C{:02}F205", 41 + i);
    format!(
        "{base}{}",
        mpd_domain::cf::check_char(base.as_bytes()).unwrap()
    )
}

fn paga_famiglie(world: &World, seed: u64, doppi: f64) -> mpd_emulator::PayResponse {
    let r = mpd_emulator::remote_pay(
        &world.emu.base_url,
        &mpd_emulator::PayRequest {
            ente: "c_demo".into(),
            share: Some(1.0),
            seed: Some(seed),
            doppi: Some(doppi),
            ..Default::default()
        },
    )
    .unwrap();
    let second = chrono::Local::now().timestamp();
    while chrono::Local::now().timestamp() == second {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    r
}

/// Issue 14 item 7: the emulator's citizens pay as households (the rata unica of some, the
/// first instalments of others, never both unless asked), so the whole alignment runs on
/// positions MyPay Desk does not choose: after the receipts and the next flow every position
/// reads "pagata" or "pagata in parte", the flow carries one `A` row per option left unpaid
/// by the other way of paying, and a household asked to pay both ways is flagged.
#[test]
fn households_pay_one_way_and_the_other_way_is_cancelled() {
    let world = start(FaultConfig::default());
    let mut desk = Desk::open(Some(&world.db), &mpd_core::testing::chiave()).unwrap();
    let now = desk.now();
    desk.store_mut()
        .save_ente(
            &mpd_core::debts::demo_ente(),
            "{}",
            &mpd_core::synth::tipi_demo(),
            now,
        )
        .unwrap();
    let codici: Vec<String> = (0..6).map(|i| format!("F{i}")).collect();
    for (i, c) in codici.iter().enumerate() {
        posizione(&mut desk, c, &cf_famiglia(i));
    }
    let r = sync(&mut desk, &world);
    assert_eq!(r.flussi[0].caricate, 24, "{:?}", r.flussi);

    let pagati = paga_famiglie(&world, 7, 0.0);
    assert_eq!(pagati.famiglie.len(), 6, "{:?}", pagati.famiglie);
    let unica = pagati
        .famiglie
        .iter()
        .filter(|f| f.modo == mpd_emulator::Modo::RataUnica)
        .count();
    assert!(
        unica > 0 && unica < 6,
        "seed 7 has both ways: {:?}",
        pagati.famiglie
    );
    assert!(
        pagati
            .famiglie
            .iter()
            .all(|f| f.modo != mpd_emulator::Modo::Doppio)
    );
    // Each household left 3 options (the instalments) or 1 (the rata unica) to cancel.
    let attese_a: usize = pagati
        .famiglie
        .iter()
        .map(|f| {
            if f.modo == mpd_emulator::Modo::RataUnica {
                3
            } else {
                1
            }
        })
        .sum();

    let r = sync(&mut desk, &world);
    assert_eq!(
        r.ricevute
            .expect("receipts")
            .riepilogo
            .annullate_per_posizione,
        attese_a as u64
    );
    let r = sync(&mut desk, &world);
    assert_eq!(r.flussi_creati, 1);
    assert_eq!(
        (r.flussi[0].caricate, r.flussi[0].scartate),
        (attese_a as i64, 0)
    );
    for (c, f) in codici.iter().zip(&pagati.famiglie) {
        let p = desk.posizione(c).unwrap().unwrap();
        match f.modo {
            mpd_emulator::Modo::RataUnica => assert_eq!(p.stato, StatoPosizione::Pagata, "{c}"),
            _ => assert!(
                matches!(
                    p.stato,
                    StatoPosizione::PagataInParte { rate: 3, .. } | StatoPosizione::Pagata
                ),
                "{c}: {:?}",
                p.stato
            ),
        }
    }

    // A household asked to pay both ways is a double payment, with the amount to refund.
    posizione(&mut desk, "D", &cf_famiglia(7));
    sync(&mut desk, &world);
    // (households still paying by instalments go on with their next ones: not both ways)
    let doppio = paga_famiglie(&world, 1, 1.0);
    for f in &doppio.famiglie {
        let attesa = if f.oggetto == "D" {
            mpd_emulator::Modo::Doppio
        } else {
            mpd_emulator::Modo::Rate
        };
        assert_eq!(f.modo, attesa, "{f:?}");
    }
    assert!(doppio.famiglie.iter().any(|f| f.oggetto == "D"));
    sync(&mut desk, &world);
    let d = desk.posizione("D").unwrap().unwrap();
    assert!(
        matches!(
            d.stato,
            StatoPosizione::PagamentoDoppio {
                da_rimborsare_cents: 8000
            }
        ),
        "{:?}",
        d.stato
    );
}
