//! Storing treasury journals: new, the same again, corrected, entries moved between journals,
//! storni found and not found, all in one transaction.

use chrono::{TimeZone, Utc};

use super::*;

fn now() -> Now {
    Utc.with_ymd_and_hms(2024, 5, 20, 8, 0, 0).unwrap()
}

fn mov(bolletta: &str, cents: i64) -> NuovoMovimento {
    NuovoMovimento {
        riga: 2,
        anno: 2024,
        bolletta: bolletta.into(),
        data_contabile: "2024-05-14".into(),
        data_valuta: "2024-05-14".into(),
        importo_cents: cents,
        causale: format!("/RFB/0124{bolletta}"),
        iuv: Some(format!("0124{bolletta}")),
        ..Default::default()
    }
}

fn storno(bolletta: &str) -> NuovoMovimento {
    NuovoMovimento {
        storno: true,
        riga: 9,
        ..mov(bolletta, 0)
    }
}

fn giornale(identita: &str, impronta: &str, movimenti: Vec<NuovoMovimento>) -> NuovoGiornale {
    NuovoGiornale {
        formato: "opi".into(),
        identita: identita.into(),
        impronta: impronta.into(),
        file: "g.xml".into(),
        movimenti,
    }
}

fn chiavi(s: &Store) -> Vec<(String, i64)> {
    s.movimenti_tesoreria()
        .unwrap()
        .into_iter()
        .map(|m| (m.bolletta, m.importo_cents))
        .collect()
}

#[test]
fn new_again_corrected_and_storni() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("db.sqlite"), &crate::tests::chiave()).unwrap();
    let g1 = giornale("opi:A:1", "x1", vec![mov("1", 100), mov("2", 200)]);
    let e = s.salva_giornale(&g1, now()).unwrap();
    assert_eq!((e.esito, e.aggiunti), (EsitoGiornale::Nuovo, 2));
    // The same journal again: nothing.
    let e = s.salva_giornale(&g1, now()).unwrap();
    assert_eq!(
        (e.esito, e.aggiunti, e.sostituiti),
        (EsitoGiornale::GiaPresente, 0, 0)
    );
    assert_eq!(chiavi(&s), [("1".into(), 100), ("2".into(), 200)]);
    // Corrected: entry 1 changes, 2 is gone, 3 is new.
    let g1b = giornale("opi:A:1", "x2", vec![mov("1", 150), mov("3", 300)]);
    let e = s.salva_giornale(&g1b, now()).unwrap();
    assert_eq!(
        (e.esito, e.aggiunti, e.sostituiti, e.rimossi),
        (EsitoGiornale::Sostituito, 1, 1, 1)
    );
    assert_eq!(chiavi(&s), [("1".into(), 150), ("3".into(), 300)]);
    // Another journal: a storno of 3, one of an entry never stored, an entry of journal A sent
    // again unchanged.
    let g2 = giornale(
        "opi:B:1",
        "y",
        vec![storno("3"), storno("77"), mov("1", 150), mov("4", 400)],
    );
    let e = s.salva_giornale(&g2, now()).unwrap();
    assert_eq!((e.aggiunti, e.invariati, e.stornati), (1, 1, 1));
    assert_eq!(
        e.storni_mancanti,
        [StornoMancante {
            riga: 9,
            anno: 2024,
            bolletta: "77".into()
        }]
    );
    assert_eq!(chiavi(&s), [("1".into(), 150), ("4".into(), 400)]);
    let m = &s.movimenti_tesoreria().unwrap()[0];
    assert_eq!(
        (m.formato.as_str(), m.iuv.as_deref()),
        ("opi", Some("01241"))
    );
    let audit = s.audit_log(10).unwrap();
    assert!(audit.iter().any(|a| a.azione == "tesoreria.sostituisci"));
}

#[test]
fn one_transaction_per_journal() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("db.sqlite"), &crate::tests::chiave()).unwrap();
    s.salva_giornale(&giornale("csv:a", "1", vec![mov("1", 100)]), now())
        .unwrap();
    // A journal whose second entry breaks a constraint leaves nothing behind.
    let mut rotto = mov("2", 200);
    rotto.data_contabile = String::new();
    let conn = s.conn();
    conn.execute_batch(
        "CREATE TRIGGER rifiuta BEFORE INSERT ON tesoreria_movimento WHEN NEW.data_contabile = ''
         BEGIN SELECT RAISE(ABORT, 'no'); END;",
    )
    .unwrap();
    let e = s.salva_giornale(&giornale("csv:b", "2", vec![mov("5", 500), rotto]), now());
    assert!(e.is_err());
    assert_eq!(chiavi(&s), [("1".into(), 100)]);
}
