//! Payments carried to incassato, and each anomaly that stops them with its reason; treasury
//! entries matched, or not with their suggestions; each FdR's treasury amount.

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn ric(iuv: &str, cents: i64) -> Ricevuta {
    Ricevuta {
        iuv: iuv.into(),
        iur: format!("R{iuv}"),
        importo_cents: cents,
    }
}

fn riga(iuf: &str, iuv: &str, cents: i64) -> Riga {
    Riga {
        iuf: iuf.into(),
        iuv: iuv.into(),
        iur: format!("R{iuv}"),
        indice: Some(1),
        importo_cents: cents,
        esito: 0,
    }
}

fn flusso(iuf: &str, data: &str, cents: i64) -> Flusso {
    Flusso {
        iuf: iuf.into(),
        psp_id: crate::causale::mypivot_psp_da_iuf(iuf).unwrap_or_default(),
        psp_nome: "Banca Esempio S.p.A.".into(),
        bic_riversamento: String::new(),
        data_regolamento: d(data),
        importo_dichiarato_cents: cents,
    }
}

fn mov(bolletta: &str, data: &str, cents: i64, iuf: Option<&str>, iuv: Option<&str>) -> Movimento {
    Movimento {
        anno: 2024,
        bolletta: bolletta.into(),
        data_contabile: d(data),
        importo_cents: cents,
        ordinante: String::new(),
        causale: String::new(),
        iuf: iuf.map(String::from),
        iuv: iuv.map(String::from),
    }
}

const A: &str = "2024-05-14BCITITMM-S240514000001";
const B: &str = "2024-05-14BPPIITRRXXX-S240514000002";
const C: &str = "2024-05-01BCITITMM-S240501000003";
const D: &str = "2024-05-18UNCRITMM-S240518000004";

struct Scenario {
    ricevute: Vec<Ricevuta>,
    date: Vec<NaiveDate>,
    iud: Vec<Option<String>>,
    righe: Vec<Riga>,
    date_righe: Vec<NaiveDate>,
    flussi: Vec<Flusso>,
    movimenti: Vec<Movimento>,
}

fn scenario() -> Scenario {
    let ricevute = vec![
        ric("IUV1", 10000),
        ric("IUV2", 5000),
        ric("IUV3", 7000),
        ric("IUV4", 3000),
        ric("IUV5", 2000),
        ric("IUV6", 1500),
        ric("IUV7", 1200),
        ric("IUV8", 8000),
        ric("IUV9", 10000),
    ];
    let date = [
        "2024-05-13",
        "2024-05-13",
        "2024-05-13",
        "2024-04-30",
        "2024-05-17",
        "2024-05-01",
        "2024-05-19",
        "2024-05-10",
        "2024-05-13",
    ]
    .map(d)
    .to_vec();
    let mut iud = vec![None; ricevute.len()];
    iud[0] = Some("TARI-1".to_string());
    let righe = vec![
        riga(A, "IUV1", 10000),
        riga(A, "IUV2", 5000),
        riga(B, "IUV3", 7000),
        riga(C, "IUV4", 3000),
        riga(D, "IUV5", 2000),
        riga(A, "IUV9", 9000),
    ];
    let date_righe = vec![d("2024-05-13"); righe.len()];
    let flussi = vec![
        flusso(A, "2024-05-14", 24000),
        flusso(B, "2024-05-14", 7000),
        flusso(C, "2024-05-01", 3000),
        flusso(D, "2024-05-18", 2000),
    ];
    let mut senza = mov("9", "2024-05-19", 2000, None, None);
    senza.ordinante = "BANCA ESEMPIO SPA".into();
    let movimenti = vec![
        mov("1", "2024-05-15", 24000, Some(&A.to_lowercase()), None),
        mov("2", "2024-05-15", 6950, Some(B), None),
        mov("3", "2024-05-11", 8000, None, Some("IUV8")),
        // A near miss of C's IUF (one character missing).
        mov(
            "4",
            "2024-05-02",
            2999,
            Some("2024-05-01BCITITMM-S24050100003"),
            None,
        ),
        senza,
        mov("6", "2024-05-15", 4200, None, Some("IUVXX")),
    ];
    Scenario {
        ricevute,
        date,
        iud,
        righe,
        date_righe,
        flussi,
        movimenti,
    }
}

fn esegui(s: &Scenario) -> Riconciliazione {
    riconcilia(
        Dati {
            ricevute: &s.ricevute,
            date_ricevute: &s.date,
            iud_ricevute: &s.iud,
            righe: &s.righe,
            date_righe: &s.date_righe,
            flussi: &s.flussi,
            movimenti: &s.movimenti,
        },
        &Regole::default(),
        &RegoleIncasso::default(),
        d("2024-05-20"),
    )
}

#[test]
fn every_payment_one_state_with_its_reason() {
    let r = esegui(&scenario());
    let stati: Vec<(Stato, &str)> = r
        .pagamenti
        .iter()
        .map(|p| (p.stato, p.motivo.as_str()))
        .collect();
    assert_eq!(stati.len(), 9);
    assert_eq!(stati[0].0, Stato::Incassato);
    assert_eq!(
        stati[0].1,
        "rendicontato nel flusso «2024-05-14BCITITMM-S240514000001»; incassato con bolletta 2024/1 del 15/05/2024 (dovuto «TARI-1»)"
    );
    assert_eq!(r.pagamenti[0].movimenti, [0]);
    assert_eq!(stati[1].0, Stato::Incassato);
    assert_eq!(stati[2].0, Stato::IncassoDiverso);
    assert!(
        stati[2].1.contains(
            "la tesoreria ha incassato 69,50 € (bolletta 2024/2 del 15/05/2024) invece dei 70,00 €"
        ),
        "{}",
        stati[2].1
    );
    assert_eq!(stati[3].0, Stato::NonIncassato);
    assert!(
        stati[3]
            .1
            .contains("non ancora in tesoreria dopo 19 giorni"),
        "{}",
        stati[3].1
    );
    assert_eq!(stati[4].0, Stato::Rendicontato);
    assert!(
        stati[4].1.ends_with("in attesa del movimento in tesoreria"),
        "{}",
        stati[4].1
    );
    assert_eq!(stati[5].0, Stato::NonRendicontato);
    assert!(
        stati[5]
            .1
            .starts_with("pagato il 01/05/2024 e nessun flusso di rendicontazione dopo 19 giorni"),
        "{}",
        stati[5].1
    );
    assert_eq!(
        stati[6],
        (
            Stato::Pagato,
            "in attesa del flusso di rendicontazione del PSP"
        )
    );
    assert_eq!(stati[7].0, Stato::Incassato);
    assert_eq!(
        stati[7].1,
        "non rendicontato, ma riversato da solo e incassato con bolletta 2024/3 del 11/05/2024"
    );
    // Reported with another amount: the anomaly of the FdR side stays.
    assert_eq!(stati[8].0, Stato::ImportoDiverso);
}

#[test]
fn each_flow_gets_its_treasury_amount() {
    let r = esegui(&scenario());
    let f: Vec<(Option<i64>, bool)> = r
        .flussi
        .iter()
        .map(|f| (f.importo_tesoreria_cents, f.incassato))
        .collect();
    assert_eq!(
        f,
        [
            (Some(24000), true),
            (Some(6950), false),
            (None, false),
            (None, false)
        ]
    );
}

#[test]
fn each_entry_matched_or_why_not_with_suggestions() {
    let s = scenario();
    let r = esegui(&s);
    let esiti: Vec<EsitoMovimento> = r.movimenti.iter().map(|m| m.esito).collect();
    assert_eq!(
        esiti,
        [
            EsitoMovimento::Abbinato,
            EsitoMovimento::ImportoDiverso,
            EsitoMovimento::Abbinato,
            EsitoMovimento::Sconosciuto,
            EsitoMovimento::SenzaRiferimento,
            EsitoMovimento::Sconosciuto,
        ]
    );
    assert_eq!(r.movimenti[0].flusso, Some(0));
    assert_eq!(r.movimenti[2].ricevute, [7]);
    // The near-miss IUF points at C.
    let sugg = &r.movimenti[3].suggerimenti;
    assert_eq!(sugg[0].iuf, C, "{sugg:?}");
    assert!(
        sugg[0]
            .motivo
            .contains("IUF quasi uguale (1 carattere di differenza)"),
        "{sugg:?}"
    );
    // Same amount as D within days, and the PSP's name in the ordering party: both reasons.
    let sugg = &r.movimenti[4].suggerimenti;
    assert_eq!(sugg[0].iuf, D, "{sugg:?}");
    assert!(
        sugg[0].motivo.contains("stesso importo (20,00 €)"),
        "{sugg:?}"
    );
    assert!(
        sugg[0]
            .motivo
            .contains("l'ordinante è il PSP «Banca Esempio S.p.A.»"),
        "{sugg:?}"
    );
    // A flow already cashed is never suggested.
    assert!(
        r.movimenti
            .iter()
            .flat_map(|m| &m.suggerimenti)
            .all(|s| s.iuf != A)
    );
    assert!(
        r.movimenti[5]
            .motivo
            .contains("non corrisponde a nessun pagamento")
    );
}

#[test]
fn the_days_are_rules() {
    let s = scenario();
    let r = riconcilia(
        Dati {
            ricevute: &s.ricevute,
            date_ricevute: &s.date,
            iud_ricevute: &s.iud,
            righe: &s.righe,
            date_righe: &s.date_righe,
            flussi: &s.flussi,
            movimenti: &s.movimenti,
        },
        &Regole::default(),
        &RegoleIncasso {
            giorni_rendicontazione: 30,
            giorni_incasso: 30,
            giorni_suggerimento: 0,
        },
        d("2024-05-20"),
    );
    assert_eq!(r.pagamenti[3].stato, Stato::Rendicontato);
    assert_eq!(r.pagamenti[5].stato, Stato::Pagato);
    assert!(r.movimenti[4].suggerimenti.is_empty());
}

#[test]
fn a_large_year_stays_linear() {
    // 200,000 receipts and rows in 4,000 flows, 4,000 entries: well under a second in debug
    // builds when every look-up is hashed (a quadratic pass would take minutes).
    let n = 200_000usize;
    let ricevute: Vec<Ricevuta> = (0..n).map(|i| ric(&format!("{i:017}"), 1000)).collect();
    let date = vec![d("2024-05-13"); n];
    let iud = vec![None; n];
    let iuf = |f: usize| format!("2024-05-14BCITITMM-S{f:012}");
    let righe: Vec<Riga> = (0..n)
        .map(|i| riga(&iuf(i / 50), &format!("{i:017}"), 1000))
        .collect();
    let date_righe = vec![d("2024-05-13"); n];
    let flussi: Vec<Flusso> = (0..n / 50)
        .map(|f| flusso(&iuf(f), "2024-05-14", 50_000))
        .collect();
    let movimenti: Vec<Movimento> = (0..n / 50)
        .map(|f| {
            mov(
                &f.to_string(),
                "2024-05-15",
                50_000 - (f % 2) as i64,
                Some(&iuf(f)),
                None,
            )
        })
        .collect();
    let inizio = std::time::Instant::now();
    let r = riconcilia(
        Dati {
            ricevute: &ricevute,
            date_ricevute: &date,
            iud_ricevute: &iud,
            righe: &righe,
            date_righe: &date_righe,
            flussi: &flussi,
            movimenti: &movimenti,
        },
        &Regole::default(),
        &RegoleIncasso::default(),
        d("2024-05-20"),
    );
    let incassati = r
        .pagamenti
        .iter()
        .filter(|p| p.stato == Stato::Incassato)
        .count();
    assert_eq!(incassati, n / 2);
    assert!(inizio.elapsed().as_secs() < 20, "{:?}", inizio.elapsed());
}
