//! Storing FdR: new, the same again, a newer and an older version, several flows at once.

use chrono::{TimeZone, Utc};

use super::*;

fn now() -> Now {
    Utc.with_ymd_and_hms(2024, 5, 20, 8, 0, 0).unwrap()
}

fn riga(numero: i64, iuv: &str, cents: i64, esito: u8) -> NewRigaFdr {
    NewRigaFdr {
        numero,
        iuv: iuv.into(),
        iur: format!("IUR{iuv}"),
        indice: Some(1),
        importo_cents: cents,
        esito,
        data_esito: "2024-05-13".into(),
    }
}

fn flusso(iuf: &str, data_ora: &str, righe: Vec<NewRigaFdr>) -> NewFdr {
    NewFdr {
        iuf: iuf.into(),
        psp_id: "BCITITMM".into(),
        versione_oggetto: "1.0".into(),
        data_ora_flusso: data_ora.into(),
        iur_regolamento: "RIV1".into(),
        data_regolamento: "2024-05-14".into(),
        mittente_tipo: "B".into(),
        mittente_codice: "BCITITMM".into(),
        ricevente_codice: "80001234567".into(),
        numero_dichiarato: 2,
        importo_dichiarato_cents: 19850,
        file: "f.xml".into(),
        righe,
        ..Default::default()
    }
}

const IUF: &str = "2024-05-14BCITITMM-S240514000123";

#[test]
fn the_same_flow_twice_adds_nothing_and_sums_leave_out_esito_3() {
    let mut s = Store::open_in_memory().unwrap();
    let f = flusso(
        IUF,
        "2024-05-15T09:12:33",
        vec![
            riga(1, "A", 15000, 0),
            riga(2, "B", 4850, 9),
            riga(3, "C", -3000, 3),
        ],
    );
    assert_eq!(
        s.salva_fdr(std::slice::from_ref(&f), now()).unwrap(),
        [SalvataggioFdr::Nuovo]
    );
    let mut minuscolo = f.clone();
    minuscolo.iuf = IUF.to_lowercase();
    assert_eq!(
        s.salva_fdr(&[f, minuscolo], now()).unwrap(),
        [SalvataggioFdr::GiaPresente, SalvataggioFdr::GiaPresente]
    );
    let elenco = s.fdr().unwrap();
    assert_eq!(elenco.len(), 1);
    let q = &elenco[0];
    assert_eq!((q.righe, q.righe_escluse, q.somma_cents), (3, 1, 19850));
    assert_eq!(s.righe_fdr().unwrap().len(), 3);
}

#[test]
fn a_newer_version_replaces_an_older_one_is_ignored() {
    let mut s = Store::open_in_memory().unwrap();
    let primo = flusso(IUF, "2024-05-15T09:12:33", vec![riga(1, "A", 15000, 0)]);
    let nuovo = flusso(
        IUF,
        "2024-05-16T09:00:00",
        vec![riga(1, "A", 15000, 0), riga(2, "B", 4850, 0)],
    );
    let vecchio = flusso(IUF, "2024-05-14T09:00:00", vec![riga(1, "Z", 1, 0)]);
    s.salva_fdr(&[primo], now()).unwrap();
    assert_eq!(
        s.salva_fdr(&[nuovo, vecchio], now()).unwrap(),
        [SalvataggioFdr::Sostituito, SalvataggioFdr::Superato]
    );
    let righe = s.righe_fdr().unwrap();
    assert_eq!(
        righe.iter().map(|r| r.iuv.as_str()).collect::<Vec<_>>(),
        ["A", "B"]
    );
    assert_eq!(s.fdr().unwrap()[0].data_ora_flusso, "2024-05-16T09:00:00");
}

#[test]
fn several_flows_are_stored_all_or_none() {
    let mut s = Store::open_in_memory().unwrap();
    let buono = flusso(IUF, "2024-05-15T09:12:33", vec![riga(1, "A", 15000, 0)]);
    let mut guasto = flusso("2024-05-14BCITITMM-S2", "2024-05-15T09:12:33", vec![]);
    guasto.righe.push(riga(1, "B", 1, 0));
    s.conn()
        .execute_batch(
            "CREATE TRIGGER no_b BEFORE INSERT ON fdr_riga WHEN new.iuv = 'B'
             BEGIN SELECT RAISE(ABORT, 'no'); END;",
        )
        .unwrap();
    assert!(s.salva_fdr(&[buono, guasto], now()).is_err());
    assert!(s.fdr().unwrap().is_empty());
    assert!(s.righe_fdr().unwrap().is_empty());
}
