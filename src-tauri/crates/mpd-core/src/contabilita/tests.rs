//! The accounting side over a store: allocations from the bilancio, the type's default and
//! none; MyPivot's labels per payment; the export rows; the default chapter in the profile.

use mpd_domain::contabilita::Origine;
use mpd_domain::{Column, Ente, RawRow, TipoDovuto};
use mpd_store::{DovutoStato, NewDovuto, NewRicevuta};

use super::*;

const BIL: &str = "<bilancio><capitolo><codCapitolo>3010</codCapitolo><accertamento><codAccertamento>2024/15</codAccertamento><importo>80.00</importo></accertamento></capitolo><capitolo><codCapitolo>3020</codCapitolo><accertamento><importo>20.00</importo></accertamento></capitolo></bilancio>";

fn tipo(codice: &str) -> TipoDovuto {
    TipoDovuto {
        codice: codice.into(),
        descrizione: codice.into(),
        dati_specifici_riscossione: "9/0101100IM/".into(),
        attivo: true,
        cf_anonimo: false,
        scadenza_obbligatoria: false,
        stampa_data_scadenza: false,
        causale_predefinita: None,
        importo_predefinito: None,
        scadenza_predefinita: None,
        posizioni: Default::default(),
    }
}

fn debt(iud: &str, tipo: &str, cents: i64, bilancio: &str) -> NewDovuto {
    let mut row = RawRow::default();
    row.set(Column::Iud, iud);
    row.set(Column::TipoIdentificativoUnivoco, "F");
    row.set(Column::CodiceIdentificativoUnivoco, "RSSMRA80A01H501U");
    row.set(Column::AnagraficaPagatore, "ROSSI MARIO");
    row.set(Column::TipoDovuto, tipo);
    row.set(Column::CausaleVersamento, "causale");
    row.set(Column::DatiSpecificiRiscossione, "9/0101100IM/");
    row.set(Column::Bilancio, bilancio);
    NewDovuto {
        row,
        importo_cents: cents,
        commissione_cents: None,
        stato: DovutoStato::Loaded,
        sorgente: None,
        posizione: None,
    }
}

fn ricevuta(iud: &str, iuv: &str, cents: i64) -> NewRicevuta {
    NewRicevuta {
        iuv: iuv.into(),
        iur: format!("IUR-{iuv}"),
        iud: iud.into(),
        importo_cents: cents,
        data_esito: "2024-05-13".into(),
        esito: "0".into(),
        ..Default::default()
    }
}

fn desk() -> Desk {
    let mut desk = Desk::in_memory().unwrap();
    let now = desk.now();
    let ente = Ente {
        codice_ipa: "c_x123".into(),
        codice_fiscale: "00123456789".into(),
        denominazione: "Comune di Esempio".into(),
        codice_segregazione: "12".into(),
    };
    desk.store
        .save_ente(&ente, "{}", &[tipo("TARI"), tipo("IMU")], now)
        .unwrap();
    desk.store
        .insert_dovuti(
            &[
                debt("P1", "TARI", 10000, BIL),
                debt("P2", "IMU", 5000, ""),
                debt("P3", "TARI", 3000, ""),
            ],
            now,
        )
        .unwrap();
    desk.store
        .upsert_ricevute(
            [
                ricevuta("P1", "IUV1", 10000),
                ricevuta("P2", "IUV2", 5000),
                ricevuta("P3", "IUV3", 3000),
                ricevuta("ALTRO", "IUV4", 700),
            ],
            now,
        )
        .unwrap();
    desk
}

#[test]
fn allocation_bilancio_default_and_none() {
    let mut desk = desk();
    let imu = Voce {
        capitolo: "1010".into(),
        articolo: "2".into(),
        accertamento: "2024/3".into(),
        ufficio: String::new(),
    };
    desk.imposta_voce_predefinita("IMU", &imu).unwrap();
    assert_eq!(desk.voci_predefinite().unwrap().get("IMU"), Some(&imu));
    let q = desk.quadro().unwrap();
    assert_eq!(q.incassi.len(), 4);
    let di = |iuv: &str| {
        q.incassi
            .iter()
            .find(|p| p.iuv == iuv)
            .unwrap()
            .imputazioni
            .iter()
            .map(|i| (i.voce.capitolo.clone(), i.importo_cents, i.origine))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        di("IUV1"),
        vec![
            ("3010".into(), 8000, Origine::Bilancio),
            ("3020".into(), 2000, Origine::Bilancio)
        ]
    );
    assert_eq!(
        di("IUV2"),
        vec![("1010".into(), 5000, Origine::Predefinito)]
    );
    assert_eq!(
        di("IUV3"),
        vec![(String::new(), 3000, Origine::NonIndicato)]
    );
    // The unknown receipt has no type and no chapter.
    let altro = q.incassi.iter().find(|p| p.iuv == "IUV4").unwrap();
    assert_eq!(altro.tipo_dovuto, "");
    // No FdR, no treasury: every receipt waits for its flow; the unmatched one lacks an IUD.
    let et = |iuv: &str| {
        q.pagamenti
            .iter()
            .find(|p| {
                p.riconciliato
                    .ricevuta
                    .as_ref()
                    .is_some_and(|r| r.iuv == iuv)
            })
            .unwrap()
            .etichette
            .iter()
            .map(|e| e.codice())
            .collect::<Vec<_>>()
    };
    assert_eq!(et("IUV1"), ["RT_NO_IUF"]);
    assert_eq!(et("IUV4"), ["RT_NO_IUF", "RT_NO_IUD"]);
    assert!(q.provvisori.is_empty() && q.proposte.is_empty());

    // Removed with an empty chapter; an unknown type is refused naming the Ente's types.
    desk.imposta_voce_predefinita("IMU", &Voce::default())
        .unwrap();
    assert!(desk.voci_predefinite().unwrap().is_empty());
    let e = desk.imposta_voce_predefinita("TASI", &imu).unwrap_err();
    assert!(e.to_string().contains("(IMU, TARI)"), "{e}");
    let senza_capitolo = Voce {
        accertamento: "X".into(),
        ..Voce::default()
    };
    assert!(
        desk.imposta_voce_predefinita("IMU", &senza_capitolo)
            .is_err()
    );
}

#[test]
fn mypivot_rows_one_per_label_with_the_i_block() {
    let desk = desk();
    let righe = desk.righe_mypivot(true, None).unwrap();
    // Three notified receipts (one label each) and the unknown one (two labels).
    assert_eq!(righe.len(), 5);
    let p1: Vec<&Riga> = righe
        .iter()
        .filter(|r| r.valore("codIudI") == Some("P1"))
        .collect();
    assert_eq!(p1.len(), 1);
    assert_eq!(
        p1[0].valore("classificazioneCompletezza"),
        Some("RT_NO_IUF")
    );
    assert_eq!(p1[0].valore("bilancioI"), Some(BIL));
    assert_eq!(
        p1[0].valore("numEDatiPagDatiSingPagSingoloImportoPagatoE"),
        Some("100.00")
    );
    assert_eq!(p1[0].valore("codEDomIdDominioE"), Some("00123456789"));
    let altro: Vec<Option<&str>> = righe
        .iter()
        .filter(|r| r.valore("codRpSilinviarpIdUnivocoVersamentoE") == Some("IUV4"))
        .map(|r| r.valore("classificazioneCompletezza"))
        .collect();
    assert_eq!(altro, [Some("RT_NO_IUF"), Some("RT_NO_IUD")]);
    // Without the I-block no row fills it (the writer would refuse it).
    assert!(
        desk.righe_mypivot(false, None)
            .unwrap()
            .iter()
            .all(|r| r.valore("codIudI").is_none())
    );
}
