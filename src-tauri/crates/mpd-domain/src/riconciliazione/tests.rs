//! Each state of the matching and the quadratura, on the spec's example identifiers.

use super::*;

fn ric(iuv: &str, iur: &str, cents: i64) -> Ricevuta {
    Ricevuta {
        iuv: iuv.into(),
        iur: iur.into(),
        importo_cents: cents,
    }
}

fn riga(iuf: &str, iuv: &str, iur: &str, cents: i64, esito: u8) -> Riga {
    Riga {
        iuf: iuf.into(),
        iuv: iuv.into(),
        iur: iur.into(),
        indice: Some(1),
        importo_cents: cents,
        esito,
    }
}

fn stati(esami: &[Esame]) -> Vec<(Option<usize>, Vec<usize>, Stato)> {
    esami
        .iter()
        .map(|e| (e.ricevuta, e.righe.clone(), e.stato))
        .collect()
}

const F1: &str = "2024-05-14BCITITMM-S240514000123";
const F2: &str = "2024-05-15UNCRITMM-U1";

#[test]
fn matched_other_amount_waiting_and_without_receipt() {
    let ricevute = [
        ric("A", "R1", 15000),
        ric("B", "R2", 4850),
        ric("C", "R3", 1000),
        // Same IUV as a row, another IUR: not the same payment.
        ric("D", "R9", 700),
    ];
    let righe = [
        riga(F1, "A", "R1", 15000, 0),
        riga(F1, "B", "R2", 4800, 0),
        riga(F1, "D", "R4", 700, 0),
        riga(F1, "E", "R5", 2500, 4),
    ];
    let esami = abbina(&ricevute, &righe, &Regole::default());
    assert_eq!(
        stati(&esami),
        [
            (Some(0), vec![0], Stato::Rendicontato),
            (Some(1), vec![1], Stato::ImportoDiverso),
            (Some(2), vec![], Stato::Pagato),
            (Some(3), vec![], Stato::Pagato),
            (None, vec![2], Stato::SenzaRicevuta),
            (None, vec![3], Stato::SenzaRicevuta),
        ]
    );
    assert_eq!(
        esami[1].motivo,
        format!("il flusso «{F1}» riporta 48,00 € invece dei 48,50 € della ricevuta")
    );
    assert_eq!(
        esami[2].motivo,
        "in attesa del flusso di rendicontazione del PSP"
    );
    assert!(esami[4].motivo.contains("nessuna ricevuta qui"));
}

#[test]
fn reported_twice_with_and_without_a_receipt() {
    let ricevute = [ric("A", "R1", 15000)];
    let righe = [
        riga(F1, "A", "R1", 15000, 0),
        riga(F2, "A", "R1b", 15000, 9),
        riga(F1, "X", "R7", 100, 0),
        riga(F2, "X", "R7", 100, 0),
    ];
    let esami = abbina(&ricevute, &righe, &Regole::default());
    assert_eq!(
        stati(&esami),
        [
            (Some(0), vec![0, 1], Stato::Doppio),
            (None, vec![2, 3], Stato::Doppio),
        ]
    );
    assert!(
        esami[0]
            .motivo
            .contains(&format!("2 volte (flussi «{F1}», «{F2}»)"))
    );
}

#[test]
fn esito_3_is_left_out_9_reconciles_from_the_flow_8_waits_for_a_receipt() {
    let ricevute = [ric("A", "R1", 3000)];
    let righe = [
        riga(F1, "A", "R1", -3000, 3),
        riga(F1, "N", "R2", 2500, 9),
        riga(F1, "S", "R3", 1200, 8),
    ];
    let esami = abbina(&ricevute, &righe, &Regole::default());
    assert_eq!(
        stati(&esami),
        [
            (Some(0), vec![], Stato::Pagato),
            (None, vec![1], Stato::Rendicontato),
            (None, vec![2], Stato::SenzaRicevuta),
        ]
    );
    assert!(esami[0].motivo.contains("revocato (esito 3)"));
    assert!(esami[1].motivo.contains("esito 9"));
    assert!(esami[2].motivo.contains("esito 8"));
}

/// A row without `indiceDatiSingoloPagamento` counts as index 1; index 2 is another transfer.
#[test]
fn missing_index_is_the_first_transfer() {
    let ricevute = [ric("A", "R1", 100), ric("B", "R2", 100)];
    let mut senza = riga(F1, "A", "R1", 100, 0);
    senza.indice = None;
    let mut seconda = riga(F1, "B", "R2", 100, 0);
    seconda.indice = Some(2);
    let esami = abbina(&ricevute, &[senza, seconda], &Regole::default());
    assert_eq!(
        stati(&esami),
        [
            (Some(0), vec![0], Stato::Rendicontato),
            (Some(1), vec![], Stato::Pagato),
            (None, vec![1], Stato::SenzaRicevuta),
        ]
    );
}

/// The rules off: MyPivot's strict index, esito 9 without a receipt an anomaly.
#[test]
fn the_rules_off_follow_mypivot_strictly() {
    let ricevute = [ric("A", "R1", 100)];
    let mut senza = riga(F1, "A", "R1", 100, 0);
    senza.indice = None;
    let nove = riga(F1, "N", "R2", 2500, 9);
    let rigide = Regole {
        indice_mancante_primo: false,
        esito9_rendicontato: false,
    };
    let esami = abbina(&ricevute, &[senza, nove], &rigide);
    assert_eq!(
        stati(&esami),
        [
            (Some(0), vec![], Stato::Pagato),
            (None, vec![0], Stato::SenzaRicevuta),
            (None, vec![1], Stato::SenzaRicevuta),
        ]
    );
    assert!(esami[2].motivo.contains("esito 9"));
}

#[test]
fn quadratura_total_and_count() {
    let q = quadratura(3, 22350, 3, 22350);
    assert!(q.quadra);
    assert_eq!((q.differenza_cents, q.differenza_numero), (0, 0));
    let q = quadratura(3, 22350, 2, 19850);
    assert!(!q.quadra);
    assert_eq!((q.differenza_cents, q.differenza_numero), (-2500, -1));
    assert_eq!(
        q.motivo,
        "la somma dei pagamenti (198,50 €) non è il totale dichiarato (223,50 €); i pagamenti sono 2 ma il flusso ne dichiara 3"
    );
}
