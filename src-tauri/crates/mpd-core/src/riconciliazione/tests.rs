//! FdR files into the store and the states that follow, on mpd-tracciato's fixtures.

use std::path::PathBuf;

use mpd_store::NewRicevuta;

use super::*;

fn fixture(nome: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../mpd-tracciato/testdata/fdr/{nome}"))
}

fn ricevuta(iuv: &str, iur: &str, cents: i64) -> NewRicevuta {
    NewRicevuta {
        iuv: iuv.into(),
        iur: iur.into(),
        importo_cents: cents,
        data_esito: "2024-05-13".into(),
        esito: "0".into(),
        ..Default::default()
    }
}

fn desk() -> Desk {
    // A week after the example's payments: within the days the rules allow.
    let mut desk = Desk::in_memory()
        .unwrap()
        .with_now(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2024, 5, 20, 9, 0, 0).unwrap());
    let now = desk.now();
    desk.store
        .upsert_ricevute(
            [
                ricevuta("01240000000012345", "BCITITMM240513A0000001", 15000),
                ricevuta("01240000000012346", "BCITITMM240513A0000002", 4800),
                ricevuta("01240000000099999", "BCITITMM240513A0000099", 1000),
            ],
            now,
        )
        .unwrap();
    desk
}

#[test]
fn every_schema_version_imports_and_again_adds_nothing() {
    let mut desk = desk();
    let tutti = [
        fixture("fdr-esempio.xml"),
        fixture("fdr-1_0_4-revocato.xml"),
        fixture("fdr-1_0_4-standin.xml"),
        fixture("fdr-1_0_5.xml"),
    ];
    let esiti = desk.importa_fdr(&tutti).unwrap();
    assert_eq!(
        esiti
            .iter()
            .map(|e| (e.psp_id.as_str(), e.pagamenti, e.esito))
            .collect::<Vec<_>>(),
        [
            ("BCITITMM", 3, SalvataggioFdr::Nuovo),
            ("BCITITMM", 2, SalvataggioFdr::Nuovo),
            ("UNCRITMM", 2, SalvataggioFdr::Nuovo),
            ("POSOIT22", 4, SalvataggioFdr::Nuovo),
        ]
    );
    let di_nuovo = desk.importa_fdr(&tutti).unwrap();
    assert!(
        di_nuovo
            .iter()
            .all(|e| e.esito == SalvataggioFdr::GiaPresente)
    );
    assert_eq!(desk.store.righe_fdr().unwrap().len(), 11);
    let q = desk.fdr_quadrature().unwrap();
    assert_eq!(q.len(), 4);
    assert!(q.iter().all(|f| f.quadratura.quadra), "{q:?}");
    let revocato = q.iter().find(|f| f.fdr.iuf.ends_with("000124")).unwrap();
    assert_eq!(
        (revocato.fdr.righe_escluse, revocato.fdr.somma_cents),
        (1, 6000)
    );
}

#[test]
fn states_after_the_example_flow() {
    let mut desk = desk();
    desk.importa_fdr(&[fixture("fdr-esempio.xml")]).unwrap();
    let stati: Vec<(String, Stato)> = desk
        .stati_pagamenti()
        .unwrap()
        .into_iter()
        .map(|p| {
            let iuv = p
                .ricevuta
                .map(|r| r.iuv)
                .unwrap_or_else(|| p.righe[0].iuv.clone());
            (iuv, p.stato)
        })
        .collect();
    assert_eq!(
        stati,
        [
            ("01240000000099999".to_string(), Stato::Pagato),
            ("01240000000012346".to_string(), Stato::ImportoDiverso),
            ("01240000000012345".to_string(), Stato::Rendicontato),
            // Esito 9 without a receipt: reconciled from the flow.
            ("01240000000012347".to_string(), Stato::Rendicontato),
        ]
    );
}

#[test]
fn the_rules_are_settings() {
    let mut desk = desk();
    assert_eq!(desk.regole_riconciliazione().unwrap(), Regole::default());
    desk.importa_fdr(&[fixture("fdr-esempio.xml")]).unwrap();
    let rigide = Regole {
        indice_mancante_primo: false,
        esito9_rendicontato: false,
    };
    desk.imposta_regole_riconciliazione(rigide).unwrap();
    assert_eq!(desk.regole_riconciliazione().unwrap(), rigide);
    let nove = desk
        .stati_pagamenti()
        .unwrap()
        .into_iter()
        .find(|p| p.righe.first().is_some_and(|r| r.esito == 9))
        .unwrap();
    assert_eq!(nove.stato, Stato::SenzaRicevuta);
}

#[test]
fn a_bad_file_stops_the_import_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let rotto = dir.path().join("rotto.xml");
    let testo = std::fs::read_to_string(fixture("fdr-esempio.xml"))
        .unwrap()
        .replace(
            "<singoloImportoPagato>48.50<",
            "<singoloImportoPagato>48,50<",
        );
    std::fs::write(&rotto, testo).unwrap();
    let mut desk = desk();
    let e = desk
        .importa_fdr(&[fixture("fdr-1_0_5.xml"), rotto])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "rotto.xml: pagamento n. 2 (riga 33 del file): «singoloImportoPagato» «48,50» non è un importo (ad esempio 48.50). Nessun flusso è stato importato"
    );
    assert!(desk.fdr_quadrature().unwrap().is_empty());
}

#[test]
fn a_flow_for_another_ente_is_refused() {
    let mut desk = desk();
    let ente = mpd_domain::Ente {
        codice_ipa: "c_x123".into(),
        codice_fiscale: "00000000001".into(),
        denominazione: "Comune di Prova".into(),
        codice_segregazione: "01".into(),
    };
    let now = desk.now();
    desk.store.save_ente(&ente, "{}", &[], now).unwrap();
    let e = desk.importa_fdr(&[fixture("fdr-esempio.xml")]).unwrap_err();
    assert!(
        e.to_string().starts_with("fdr-esempio.xml: il flusso è per l'ente con codice fiscale 80001234567, non per questo Ente (00000000001)"),
        "{e}"
    );
}

#[test]
fn an_fdr_detail_has_every_row_with_its_payment_state() {
    let mut desk = desk();
    desk.importa_fdr(&[
        fixture("fdr-esempio.xml"),
        fixture("fdr-1_0_4-revocato.xml"),
    ])
    .unwrap();
    // The IUF in another case finds the flow, as the import does.
    let d = desk
        .dettaglio_fdr("2024-05-14bcititmm-s240514000123")
        .unwrap()
        .unwrap();
    assert!(d.fdr.quadratura.quadra);
    let righe: Vec<(i64, &str, i64, Option<Stato>)> = d
        .righe
        .iter()
        .map(|r| {
            (
                r.riga.numero,
                r.riga.iuv.as_str(),
                r.riga.importo_cents,
                r.esame.as_ref().map(|e| e.0),
            )
        })
        .collect();
    assert_eq!(
        righe,
        [
            (1, "01240000000012345", 15000, Some(Stato::Rendicontato)),
            (2, "01240000000012346", 4850, Some(Stato::ImportoDiverso)),
            (3, "01240000000012347", 2500, Some(Stato::Rendicontato)),
        ]
    );
    assert!(d.righe[1].esame.as_ref().unwrap().1.contains("48,50"));
    // The revoked row is listed, with no verdict: it takes part in no matching.
    let revocato = desk
        .dettaglio_fdr("2024-05-15BCITITMM-S240515000124")
        .unwrap()
        .unwrap();
    assert_eq!(revocato.righe.len(), 2);
    assert_eq!(revocato.righe[1].riga.esito, 3);
    assert!(revocato.righe[1].esame.is_none());
    assert!(revocato.righe[0].esame.is_some());
    assert!(desk.dettaglio_fdr("2024-05-14XXXX-1").unwrap().is_none());
}
