//! MyPivot's labels on the spec's worked examples (§4.4) and on a data set shaped as §7.3
//! suggests; labels are not exclusive, so each expectation is a whole set.

use super::*;
use Etichetta::*;

fn e(iud: Option<&str>, iuv: &str, iur: &str, cents: i64) -> Trasferimento {
    Trasferimento {
        iud: iud.map(str::to_string),
        iuv: iuv.into(),
        iur: iur.into(),
        indice: 1,
        importo_cents: cents,
        totale_cents: cents,
        acquisito: None,
    }
}

fn r(iuf: &str, totale: i64, iuv: &str, iur: &str, cents: i64, esito: u8) -> RigaFdr {
    RigaFdr {
        iuf: iuf.into(),
        iuv: iuv.into(),
        iur: iur.into(),
        indice: Some(1),
        importo_cents: cents,
        totale_flusso_cents: totale,
        esito,
        acquisito: None,
    }
}

fn i(iud: &str, iuv: &str, cents: i64) -> Notifica {
    Notifica {
        iud: iud.into(),
        iuv: iuv.into(),
        importo_cents: cents,
        acquisito: None,
    }
}

fn t(fonte: Fonte, iuf: Option<&str>, iuv: Option<&str>, cents: i64) -> Provvisorio {
    Provvisorio {
        fonte,
        anno: "2024".into(),
        numero: "1".into(),
        data_contabile: None,
        data_valuta: None,
        importo_cents: cents,
        ordinante: String::new(),
        causale: String::new(),
        iuf: iuf.map(str::to_string),
        iuv: iuv.map(str::to_string),
        acquisito: None,
    }
}

fn set(v: &[Etichetta]) -> BTreeSet<Etichetta> {
    v.iter().copied().collect()
}

/// The labels of the tuple that holds the receipt or FdR row of `iuv` (exactly one such tuple).
fn di(dati: &Dati, c: &[Classificata], iuv: &str) -> BTreeSet<Etichetta> {
    let mie: Vec<&Classificata> = c
        .iter()
        .filter(|x| iuv_di(dati, &x.tupla) == Some(iuv))
        .collect();
    assert_eq!(mie.len(), 1, "tuples of {iuv}: {mie:?}");
    mie[0].etichette.clone()
}

fn tutto(dati: &Dati) -> Vec<Classificata> {
    classifica(dati, &Opzioni::default())
}

const F: &str = "2024-05-14BCITITMM-S240514000123";

#[test]
fn notified_reported_and_transferred_gets_four_labels() {
    let dati = Dati {
        notifiche: vec![i("IUD1", "A", 22350)],
        ricevute: vec![e(Some("IUD1"), "A", "R1", 22350)],
        righe: vec![r(F, 22350, "A", "R1", 22350, 0)],
        tesoreria: vec![t(Fonte::Giornale, Some(&F.to_lowercase()), None, 22350)],
    };
    let c = tutto(&dati);
    assert_eq!(c.len(), 1);
    assert_eq!(
        c[0].etichette,
        set(&[IudRtIufTes, IudRtIuf, RtIufTes, RtIuf])
    );
}

#[test]
fn reported_without_treasury_nor_iud() {
    let dati = Dati {
        ricevute: vec![e(None, "A", "R1", 1000)],
        righe: vec![r(F, 1000, "A", "R1", 1000, 0)],
        ..Dati::default()
    };
    assert_eq!(tutto(&dati)[0].etichette, set(&[RtIuf, RtNoIud, IufNoTes]));
}

#[test]
fn receipt_only_waits_for_its_flow() {
    let dati = Dati {
        ricevute: vec![e(None, "A", "R1", 1000)],
        ..Dati::default()
    };
    assert_eq!(tutto(&dati)[0].etichette, set(&[RtNoIuf, RtNoIud]));
}

#[test]
fn single_transfer_by_iuv_suppresses_rt_no_iuf() {
    for fonte in [Fonte::Giornale, Fonte::Xls] {
        let dati = Dati {
            ricevute: vec![e(None, "A", "R1", 8000)],
            tesoreria: vec![t(fonte, None, Some("A"), 8000)],
            ..Dati::default()
        };
        let c = tutto(&dati);
        assert_eq!(c.len(), 1, "{fonte:?}");
        assert_eq!(c[0].etichette, set(&[RtTes, RtNoIud]), "{fonte:?}");
    }
    // The single transfer of another amount: not RT_TES, and still no RT_NO_IUF (presence).
    let dati = Dati {
        ricevute: vec![e(None, "A", "R1", 8000)],
        tesoreria: vec![t(Fonte::Giornale, None, Some("A"), 7000)],
        ..Dati::default()
    };
    assert_eq!(tutto(&dati)[0].etichette, set(&[RtNoIud]));
}

#[test]
fn fdr_row_without_receipt() {
    let senza = Dati {
        righe: vec![r(F, 1000, "A", "R1", 1000, 0)],
        ..Dati::default()
    };
    assert_eq!(tutto(&senza)[0].etichette, set(&[IuvNoRt, IufNoTes]));
    let mut diverso = senza.clone();
    diverso.tesoreria = vec![t(Fonte::Giornale, Some(F), None, 900)];
    assert_eq!(tutto(&diverso)[0].etichette, set(&[IuvNoRt, IufTesDivImp]));
    let mut uguale = senza.clone();
    uguale.tesoreria = vec![t(Fonte::Giornale, Some(F), None, 1000)];
    assert_eq!(tutto(&uguale)[0].etichette, set(&[IuvNoRt]));
}

#[test]
fn transfer_short_of_the_flow_total_marks_every_row() {
    let dati = Dati {
        ricevute: vec![e(None, "A", "R1", 15000), e(None, "B", "R2", 7350)],
        righe: vec![
            r(F, 22350, "A", "R1", 15000, 0),
            r(F, 22350, "B", "R2", 7350, 0),
        ],
        tesoreria: vec![t(Fonte::Giornale, Some(F), None, 22300)],
        ..Dati::default()
    };
    let c = tutto(&dati);
    for iuv in ["A", "B"] {
        assert_eq!(di(&dati, &c, iuv), set(&[RtIuf, RtNoIud, IufTesDivImp]));
    }
}

#[test]
fn treasury_citing_an_unknown_flow_or_nothing() {
    let dati = Dati {
        tesoreria: vec![
            t(Fonte::Giornale, Some("2024-05-14XXXXXXXX-1"), None, 100),
            t(Fonte::Giornale, None, None, 120000),
            t(Fonte::Xls, Some("2024-05-14XXXXXXXX-2"), None, 100),
            // Both IUF and IUV from a giornale causale: in none of GF, GV, G0 (MyPivot loses it).
            t(
                Fonte::Giornale,
                Some("2024-05-14XXXXXXXX-3"),
                Some("A"),
                100,
            ),
        ],
        ..Dati::default()
    };
    let c = tutto(&dati);
    let per: Vec<BTreeSet<Etichetta>> = c.iter().map(|x| x.etichette.clone()).collect();
    assert_eq!(
        per,
        vec![
            set(&[TesNoIufOrIuv]),
            set(&[TesNoIufOrIuv]),
            set(&[TesNoMatch])
        ]
    );
}

#[test]
fn esito9_makes_a_synthetic_receipt_esito8_does_not_and_3_is_out() {
    let dati = Dati {
        righe: vec![
            r(F, 6000, "A", "R1", 2500, 9),
            r(F, 6000, "B", "R2", 3500, 8),
            r(F, 6000, "C", "R3", 1000, 3),
        ],
        tesoreria: vec![t(Fonte::Giornale, Some(F), None, 6000)],
        ..Dati::default()
    };
    let c = tutto(&dati);
    assert_eq!(c.len(), 2, "the esito-3 row is not in the view");
    assert_eq!(di(&dati, &c, "A"), set(&[RtIuf, RtIufTes, RtNoIud]));
    assert_eq!(di(&dati, &c, "B"), set(&[IuvNoRt]));
}

#[test]
fn iud_notifications_by_iud_not_iuv() {
    let dati = Dati {
        notifiche: vec![
            i("IUD1", "A", 1000),
            i("IUD2", "B", 1000),
            i("IUD3", "C", 1000),
        ],
        ricevute: vec![
            e(Some("IUD1"), "A", "R1", 1000),
            // Another amount than notified.
            e(Some("IUD2"), "B", "R2", 900),
            // Same IUV as IUD3 but no IUD: joins nothing.
            e(None, "C", "R3", 1000),
        ],
        ..Dati::default()
    };
    let c = tutto(&dati);
    assert_eq!(c.len(), 4);
    let di_iud = |iud: &str| -> Vec<BTreeSet<Etichetta>> {
        c.iter()
            .filter(|x| x.tupla.i.is_some_and(|n| dati.notifiche[n].iud == iud))
            .map(|x| x.etichette.clone())
            .collect()
    };
    assert_eq!(di_iud("IUD1"), vec![set(&[RtNoIuf])]);
    assert_eq!(di_iud("IUD2"), vec![set(&[RtNoIuf, IudNoRt])]);
    assert_eq!(di_iud("IUD3"), vec![set(&[IudNoRt])]);
    let solo_rt: Vec<&Classificata> = c.iter().filter(|x| x.tupla.i.is_none()).collect();
    assert_eq!(solo_rt.len(), 1);
    assert_eq!(solo_rt[0].etichette, set(&[RtNoIuf, RtNoIud]));
}

#[test]
fn iud_and_single_transfer_without_fdr() {
    // IUD_RT_IUF_TES's IUV-treasury branch needs no FdR.
    let dati = Dati {
        notifiche: vec![i("IUD1", "A", 8000)],
        ricevute: vec![e(Some("IUD1"), "A", "R1", 8000)],
        tesoreria: vec![t(Fonte::Xls, None, Some("A"), 8000)],
        ..Dati::default()
    };
    assert_eq!(tutto(&dati)[0].etichette, set(&[IudRtIufTes, RtTes]));
}

#[test]
fn xls_by_iuf_and_the_iuv_oddity() {
    // TF equal to the flow total; a TV single transfer of the same IUV compared with the
    // whole flow total (§4.4 oddity) fires IUF_TES_DIV_IMP too.
    let dati = Dati {
        ricevute: vec![e(None, "A", "R1", 1000)],
        righe: vec![r(F, 3000, "A", "R1", 1000, 0)],
        tesoreria: vec![
            t(Fonte::Xls, Some(F), None, 3000),
            t(Fonte::Xls, None, Some("A"), 1000),
        ],
        ..Dati::default()
    };
    assert_eq!(
        tutto(&dati)[0].etichette,
        set(&[RtIuf, RtIufTes, RtNoIud, IufTesDivImp])
    );
}

#[test]
fn doppi_is_the_same_iuv_with_esito_0_and_9() {
    let dati = Dati {
        ricevute: vec![e(None, "A", "R1", 4000)],
        righe: vec![
            r(F, 8000, "A", "R1", 4000, 0),
            r(F, 8000, "A", "R2", 4000, 9),
            // Same IUV, esito 0 twice: not MyPivot's DOPPI.
            r(F, 8000, "B", "R3", 100, 0),
            r(F, 8000, "B", "R4", 100, 0),
            // 0 + 9 with another amount: not DOPPI either.
            r(F, 8000, "C", "R5", 100, 0),
            r(F, 8000, "C", "R6", 200, 9),
        ],
        ..Dati::default()
    };
    assert_eq!(doppi(&dati, &Opzioni::default()), [0, 1].into());
    let c = tutto(&dati);
    for x in c.iter().filter(|x| x.tupla.r.is_some_and(|n| n < 2)) {
        assert_eq!(x.etichette, set(&[RtIuf, RtNoIud, IufNoTes, Doppi]));
    }
}

#[test]
fn one_year_window_and_missing_index() {
    let oggi = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    let mut vecchia = e(None, "A", "R1", 1000);
    vecchia.acquisito = NaiveDate::from_ymd_opt(2023, 12, 31);
    let mut nuova = e(None, "B", "R2", 1000);
    nuova.acquisito = NaiveDate::from_ymd_opt(2024, 1, 2);
    let dati = Dati {
        ricevute: vec![vecchia, nuova],
        ..Dati::default()
    };
    assert_eq!(tutto(&dati).len(), 2);
    let c = classifica(
        &dati,
        &Opzioni {
            finestra: Some(oggi),
            ..Opzioni::default()
        },
    );
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].tupla.e, Some(LatoE::Ricevuta(1)));

    // An FdR row without index: alone in MyPivot, joined as index 1 by the Ente's rule.
    let mut riga = r(F, 1000, "A", "R1", 1000, 0);
    riga.indice = None;
    let dati = Dati {
        ricevute: vec![e(None, "A", "R1", 1000)],
        righe: vec![riga],
        ..Dati::default()
    };
    assert_eq!(tutto(&dati).len(), 2);
    let c = classifica(
        &dati,
        &Opzioni {
            indice_mancante_primo: true,
            ..Opzioni::default()
        },
    );
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].etichette, set(&[RtIuf, RtNoIud, IufNoTes]));
}

/// §7.3's data set, in small: three PSPs' flows, esito 9 and 4, a DOPPI pair, a receipt without
/// FdR, an FdR row without receipt, a transfer 0.50 short, a single `/RFB/` transfer, an
/// unrelated transfer; the expected labels worked out by hand from §4.3.
#[test]
fn spec_data_set() {
    const A: &str = "2024-05-14AAAAITMM-1";
    const B: &str = "2024-05-14BBBBITMM-1";
    const C: &str = "2024-05-15CCCCITMM-1";
    let dati = Dati {
        notifiche: vec![i("IUD1", "P1", 10000)],
        ricevute: vec![
            e(Some("IUD1"), "P1", "R1", 10000),
            e(None, "P2", "R2", 15000),
            e(None, "P5", "R5", 4000),
            e(None, "P7", "R7", 2000),
            e(None, "P8", "R8", 6000),
        ],
        righe: vec![
            r(A, 25000, "P1", "R1", 10000, 0),
            r(A, 25000, "P2", "R2", 15000, 4),
            r(B, 8000, "P3", "R3", 3000, 9),
            r(B, 8000, "P4", "R4", 5000, 0),
            r(C, 8000, "P5", "R5", 4000, 0),
            r(C, 8000, "P5", "R6", 4000, 9),
        ],
        tesoreria: vec![
            t(Fonte::Giornale, Some(A), None, 25000),
            t(Fonte::Giornale, Some(B), None, 7950),
            t(Fonte::Giornale, None, Some("P8"), 6000),
            t(Fonte::Giornale, None, None, 120000),
        ],
    };
    let c = tutto(&dati);
    assert_eq!(
        di(&dati, &c, "P1"),
        set(&[IudRtIufTes, IudRtIuf, RtIufTes, RtIuf])
    );
    assert_eq!(di(&dati, &c, "P2"), set(&[RtIufTes, RtIuf, RtNoIud]));
    assert_eq!(di(&dati, &c, "P3"), set(&[RtIuf, RtNoIud, IufTesDivImp]));
    assert_eq!(di(&dati, &c, "P4"), set(&[IuvNoRt, IufTesDivImp]));
    let p5: Vec<BTreeSet<Etichetta>> = c
        .iter()
        .filter(|x| iuv_di(&dati, &x.tupla) == Some("P5"))
        .map(|x| x.etichette.clone())
        .collect();
    assert_eq!(
        p5,
        vec![set(&[RtIuf, RtNoIud, IufNoTes, Doppi]); 2],
        "both rows of the pair"
    );
    assert_eq!(di(&dati, &c, "P7"), set(&[RtNoIuf, RtNoIud]));
    assert_eq!(di(&dati, &c, "P8"), set(&[RtTes, RtNoIud]));
    let sconosciuti: Vec<&Classificata> = c.iter().filter(|x| x.tupla.g0.is_some()).collect();
    assert_eq!(sconosciuti.len(), 1);
    assert_eq!(sconosciuti[0].etichette, set(&[TesNoMatch]));
    // 5 receipts, 2 synthetic (P3, and P5 with esito 9 under its own IUR), P4 alone, G0.
    assert_eq!(c.len(), 9);
}

#[test]
fn codes_and_flags() {
    assert_eq!(Etichetta::TUTTE.len(), 14);
    for e in Etichetta::TUTTE {
        assert_eq!(Etichetta::parse(e.codice()), Some(e));
    }
    assert_eq!(
        IudRtIufTes.richiede(),
        Richiede {
            flg_pagati: true,
            flg_tesoreria: true
        }
    );
    assert!(RtNoIuf.anomalia() && !RtTes.anomalia());
    assert_eq!(
        TesNoMatch.descrizione(),
        "Riversamenti di tesoreria sconosciuti"
    );
}
