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

/// A run that recomputes only what changed gives what a run from scratch gives.
mod incrementale {
    use chrono::{Duration, NaiveDate, TimeZone, Utc};
    use mpd_store::rendicontazione::{NewFdr, NewRigaFdr};
    use mpd_store::tesoreria::{NuovoGiornale, NuovoMovimento};

    use super::*;

    fn data(d: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 5, 1).unwrap() + Duration::days(d)
    }

    fn alle_nove(d: i64) -> chrono::DateTime<Utc> {
        Utc.from_utc_datetime(&data(d).and_hms_opt(9, 0, 0).unwrap())
    }

    fn iuv(n: usize) -> String {
        format!("{:017}", 10_000_000 + n)
    }

    fn importo(n: usize) -> i64 {
        1_000 + n as i64
    }

    /// Payment `n`, made on day `n / 4`.
    fn ricevuta_n(n: usize) -> NewRicevuta {
        NewRicevuta {
            iuv: iuv(n),
            iur: format!("IUR{n:08}"),
            importo_cents: importo(n),
            data_esito: data(n as i64 / 4).to_string(),
            esito: "0".into(),
            ..Default::default()
        }
    }

    fn riga_n(numero: i64, n: usize, cents: i64) -> NewRigaFdr {
        NewRigaFdr {
            numero,
            iuv: iuv(n),
            iur: format!("IUR{n:08}"),
            indice: Some(1),
            importo_cents: cents,
            esito: 0,
            data_esito: data(n as i64 / 4).to_string(),
        }
    }

    fn iuf(d: i64) -> String {
        format!("{}BCITITMM-{d}", data(d + 1))
    }

    /// The FdR of day `d`'s payments, settled the day after.
    fn flusso(d: i64, versione: &str, righe: Vec<NewRigaFdr>) -> NewFdr {
        NewFdr {
            iuf: iuf(d),
            psp_id: "BCITITMM".into(),
            versione_oggetto: "1.0".into(),
            data_ora_flusso: format!("{}T{versione}", data(d + 1)),
            iur_regolamento: format!("TRN{d}"),
            data_regolamento: data(d + 1).to_string(),
            mittente_tipo: "B".into(),
            mittente_codice: "BCITITMM".into(),
            mittente_nome: "Banca".into(),
            ricevente_codice: "80001234567".into(),
            numero_dichiarato: righe.len() as i64,
            importo_dichiarato_cents: righe.iter().map(|r| r.importo_cents).sum(),
            file: format!("fdr-{d}.xml"),
            righe,
            ..Default::default()
        }
    }

    fn del_giorno(d: i64) -> NewFdr {
        let righe = (0..4)
            .map(|k| {
                let n = d as usize * 4 + k;
                // Payment 2 reported with another amount.
                let cents = if n == 2 { importo(n) + 50 } else { importo(n) };
                riga_n(k as i64 + 1, n, cents)
            })
            .collect();
        flusso(d, "08:00:00", righe)
    }

    /// The treasury entry of day `d`'s FdR, the day after its settlement.
    fn movimento(d: i64, importo_cents: i64) -> NuovoMovimento {
        NuovoMovimento {
            riga: d + 2,
            anno: 2024,
            bolletta: format!("B{d}"),
            data_contabile: data(d + 2).to_string(),
            data_valuta: data(d + 2).to_string(),
            importo_cents,
            ordinante: "BANCA".into(),
            causale: format!("/PUR/LGPE-RIVERSAMENTO/URI/{}", iuf(d)),
            iuf: Some(iuf(d)),
            ..Default::default()
        }
    }

    fn giornale(nome: &str, movimenti: Vec<NuovoMovimento>) -> NuovoGiornale {
        NuovoGiornale {
            formato: "csv".into(),
            identita: nome.into(),
            impronta: nome.into(),
            file: format!("{nome}.csv"),
            movimenti,
        }
    }

    /// Days 0–20: four payments a day (payment 30's receipt not yet downloaded), each day's
    /// FdR (none for day 13), an entry for each FdR (none for days 10 and 14), an entry that
    /// names nothing.
    fn archivio() -> Desk {
        let mut desk = Desk::in_memory().unwrap().with_now(alle_nove(22));
        let now = desk.now();
        desk.store
            .upsert_ricevute((0..84).filter(|&n| n != 30).map(ricevuta_n), now)
            .unwrap();
        let flussi: Vec<NewFdr> = (0..=20).filter(|&d| d != 13).map(del_giorno).collect();
        desk.store.salva_fdr(&flussi, now).unwrap();
        let mut movimenti: Vec<NuovoMovimento> = (0..=20)
            .filter(|d| ![10, 13, 14].contains(d))
            .map(|d| movimento(d, del_giorno(d).importo_dichiarato_cents))
            .collect();
        movimenti.push(NuovoMovimento {
            riga: 99,
            anno: 2024,
            bolletta: "X1".into(),
            data_contabile: data(12).to_string(),
            data_valuta: data(12).to_string(),
            importo_cents: 4_242,
            ordinante: "BANCA".into(),
            causale: "BONIFICO".into(),
            ..Default::default()
        });
        desk.store
            .salva_giornale(&giornale("maggio", movimenti), now)
            .unwrap();
        desk
    }

    /// Day 21 and what it changes in older payments: its receipts and payment 30's (day 7,
    /// already reported and cashed); its FdR, which also reports
    /// payment 1 (day 0) a second time and an IUV unknown here; a newer version of day 5's FdR
    /// with another amount for payment 21; the entries of day 21's and day 10's FdR; payment
    /// 53 (day 13, never reported) transferred on its own; and four days later, so that
    /// day 13's payments are late and day 14's FdR is not cashed in time.
    fn un_giorno_in_piu(desk: Desk) -> Desk {
        let mut desk = desk.with_now(alle_nove(26));
        let now = desk.now();
        desk.store
            .upsert_ricevute((84..88).chain([30]).map(ricevuta_n), now)
            .unwrap();
        let mut nuovo = del_giorno(21);
        nuovo.righe.push(riga_n(5, 1, importo(1)));
        nuovo.righe.push(riga_n(6, 9_999, 777));
        nuovo.numero_dichiarato = 6;
        nuovo.importo_dichiarato_cents = nuovo.righe.iter().map(|r| r.importo_cents).sum();
        let mut corretto = del_giorno(5);
        corretto.data_ora_flusso = format!("{}T09:00:00", data(6));
        corretto.righe[1].importo_cents += 10;
        desk.store
            .salva_fdr(&[nuovo.clone(), corretto], now)
            .unwrap();
        let dieci = del_giorno(10).importo_dichiarato_cents;
        let mut singolo = movimento(13, importo(53));
        singolo.bolletta = "RFS53".into();
        singolo.causale = format!("/RFS/{}/{}", iuv(53), importo(53));
        singolo.iuf = None;
        singolo.iuv = Some(iuv(53));
        desk.store
            .salva_giornale(
                &giornale(
                    "giugno",
                    vec![
                        movimento(21, nuovo.importo_dichiarato_cents),
                        movimento(10, dieci),
                        singolo,
                    ],
                ),
                now,
            )
            .unwrap();
        desk
    }

    fn stato_di(stati: &Stati, desk: &Desk, n: usize) -> Stato {
        let dettagli = desk.dettagli_pagamenti(&stati.pagamenti).unwrap();
        dettagli
            .iter()
            .find(|p| p.ricevuta.as_ref().is_some_and(|r| r.iuv == iuv(n)))
            .unwrap()
            .stato
    }

    /// Field by field (through `Debug` where a record has no equality).
    fn stessi(a: &Stati, b: &Stati) {
        assert_eq!(a.pagamenti.len(), b.pagamenti.len());
        for (x, y) in a.pagamenti.iter().zip(&b.pagamenti) {
            assert_eq!(x, y);
        }
        assert_eq!(a.flussi, b.flussi);
        assert_eq!(a.movimenti.len(), b.movimenti.len());
        for (x, y) in a.movimenti.iter().zip(&b.movimenti) {
            assert_eq!(format!("{x:?}"), format!("{y:?}"));
        }
    }

    fn stessi_dettagli(a: &Riconciliazione, b: &Riconciliazione) {
        assert_eq!(a.pagamenti.len(), b.pagamenti.len());
        for (x, y) in a.pagamenti.iter().zip(&b.pagamenti) {
            assert_eq!(format!("{x:?}"), format!("{y:?}"));
        }
    }

    #[test]
    fn one_more_day_recomputed_in_part_equals_a_run_from_scratch() {
        let mut desk = archivio();
        let primo = desk.stati_riconciliazione().unwrap();
        assert!(primo.esecuzione.completa);
        assert_eq!(stato_di(&primo, &desk, 53), Stato::Pagato);
        assert_eq!(stato_di(&primo, &desk, 57), Stato::Rendicontato);
        assert_eq!(stato_di(&primo, &desk, 41), Stato::NonIncassato);
        assert_eq!(stato_di(&primo, &desk, 1), Stato::Incassato);
        assert!(primo.pagamenti.iter().any(|p| p.ricevuta_id.is_none()
            && p.stato == Stato::SenzaRicevuta
            && p.importo_cents == importo(30)));

        desk = un_giorno_in_piu(desk);
        let incrementale = desk.stati_riconciliazione().unwrap();
        assert!(!incrementale.esecuzione.completa);
        assert!(
            incrementale.esecuzione.ricalcolati < 40,
            "{:?}",
            incrementale.esecuzione
        );
        let dettagli_incrementale = desk.riconcilia().unwrap();
        // The count kept with the run is the payments' (it decides «every payment» cheaply).
        assert_eq!(
            desk.store
                .esecuzione_riconciliazione()
                .unwrap()
                .unwrap()
                .pagamenti,
            incrementale.pagamenti.len() as i64
        );

        desk.store.dimentica_riconciliazione().unwrap();
        let da_capo = desk.stati_riconciliazione().unwrap();
        assert!(da_capo.esecuzione.completa);
        stessi(&incrementale, &da_capo);
        stessi_dettagli(&dettagli_incrementale, &desk.riconcilia().unwrap());

        // The day changed older payments, each way the scenario meant.
        assert_eq!(stato_di(&da_capo, &desk, 1), Stato::Doppio);
        assert_eq!(stato_di(&da_capo, &desk, 21), Stato::ImportoDiverso);
        assert_eq!(stato_di(&da_capo, &desk, 30), Stato::Incassato);
        assert_eq!(stato_di(&da_capo, &desk, 41), Stato::Incassato);
        assert_eq!(stato_di(&da_capo, &desk, 52), Stato::NonRendicontato);
        assert_eq!(stato_di(&da_capo, &desk, 53), Stato::Incassato);
        assert_eq!(stato_di(&da_capo, &desk, 57), Stato::NonIncassato);
        assert_eq!(stato_di(&da_capo, &desk, 85), Stato::Incassato);
        assert!(
            da_capo
                .pagamenti
                .iter()
                .any(|p| p.ricevuta_id.is_none() && p.stato == Stato::SenzaRicevuta)
        );
    }

    #[test]
    fn a_storno_a_rule_and_a_day_back_agree_with_a_run_from_scratch() {
        let mut desk = archivio();
        desk.stati_riconciliazione().unwrap();
        // A storno of day 3's entry: its payments are no longer cashed.
        let now = desk.now();
        let mut storno = movimento(3, 0);
        storno.storno = true;
        desk.store
            .salva_giornale(&giornale("storni", vec![storno]), now)
            .unwrap();
        let dopo_storno = desk.stati_riconciliazione().unwrap();
        assert!(!dopo_storno.esecuzione.completa);
        assert_eq!(stato_di(&dopo_storno, &desk, 13), Stato::NonIncassato);
        desk.store.dimentica_riconciliazione().unwrap();
        stessi(&dopo_storno, &desk.stati_riconciliazione().unwrap());
        // Other rules: everything again.
        desk.imposta_regole_incasso(RegoleIncasso {
            giorni_rendicontazione: 3,
            ..RegoleIncasso::default()
        })
        .unwrap();
        let regole = desk.stati_riconciliazione().unwrap();
        assert!(regole.esecuzione.completa);
        assert_eq!(stato_di(&regole, &desk, 53), Stato::NonRendicontato);
        // A day back: everything again.
        desk = desk.with_now(alle_nove(15));
        let indietro = desk.stati_riconciliazione().unwrap();
        assert!(indietro.esecuzione.completa);
        desk.store.dimentica_riconciliazione().unwrap();
        stessi(&indietro, &desk.stati_riconciliazione().unwrap());
    }
}
