//! Allocation (bilancio split, default chapter, none), totals that add up, and reversal
//! proposals exact to the cent.

use super::*;

const BIL2: &str = "<bilancio><capitolo><codCapitolo>3010</codCapitolo><codUfficio>TRIB</codUfficio><accertamento><codAccertamento>2024/15</codAccertamento><importo>70.00</importo></accertamento><accertamento><codAccertamento>2024/16</codAccertamento><importo>20.00</importo></accertamento></capitolo><capitolo><codCapitolo>3020</codCapitolo><accertamento><importo>10.00</importo></accertamento></capitolo></bilancio>";

fn linee(v: &[Imputazione]) -> Vec<(&str, &str, i64, Origine)> {
    v.iter()
        .map(|i| {
            (
                i.voce.capitolo.as_str(),
                i.voce.accertamento.as_str(),
                i.importo_cents,
                i.origine,
            )
        })
        .collect()
}

#[test]
fn allocation_from_the_bilancio_split() {
    let v = imputa(10000, BIL2, None);
    assert_eq!(
        linee(&v),
        vec![
            ("3010", "2024/15", 7000, Origine::Bilancio),
            ("3010", "2024/16", 2000, Origine::Bilancio),
            ("3020", "", 1000, Origine::Bilancio),
        ]
    );
    assert_eq!(v[0].voce.ufficio, "TRIB");
    // Paid 100.01 against a bilancio of 100.00: scaled, the odd cent to the largest share.
    let v = imputa(10001, BIL2, None);
    assert_eq!(
        v.iter().map(|i| i.importo_cents).collect::<Vec<_>>(),
        vec![7001, 2000, 1000]
    );
    // A third of 100.00 each: 33.34 + 33.33 + 33.33.
    let terzi = "<bilancio><capitolo><codCapitolo>A</codCapitolo><accertamento><importo>1</importo></accertamento></capitolo><capitolo><codCapitolo>B</codCapitolo><accertamento><importo>1</importo></accertamento></capitolo><capitolo><codCapitolo>C</codCapitolo><accertamento><importo>1</importo></accertamento></capitolo></bilancio>";
    assert_eq!(
        imputa(10000, terzi, None)
            .iter()
            .map(|i| i.importo_cents)
            .collect::<Vec<_>>(),
        vec![3334, 3333, 3333]
    );
}

#[test]
fn allocation_default_chapter_and_missing() {
    let tari = Voce {
        capitolo: "3010".into(),
        articolo: "1".into(),
        accertamento: "2024/15".into(),
        ufficio: String::new(),
    };
    let v = imputa(5000, "", Some(&tari));
    assert_eq!(
        linee(&v),
        vec![("3010", "2024/15", 5000, Origine::Predefinito)]
    );
    assert_eq!(v[0].voce.capitolo_leggibile(), "3010/1");
    // An unreadable bilancio counts as absent.
    let v = imputa(5000, "<bilancio>", Some(&tari));
    assert_eq!(v[0].origine, Origine::Predefinito);
    let v = imputa(5000, "", None);
    assert_eq!(linee(&v), vec![("", "", 5000, Origine::NonIndicato)]);
    assert_eq!(v[0].voce.capitolo_leggibile(), "capitolo non indicato");
    // A default without a chapter is no default.
    let v = imputa(5000, "", Some(&Voce::default()));
    assert_eq!(v[0].origine, Origine::NonIndicato);
}

#[test]
fn ripartisci_always_adds_up() {
    for (importo, pesi) in [
        (100, vec![1, 1, 1]),
        (1, vec![5, 5]),
        (-1001, vec![7, 3]),
        (999_999, vec![1, 2, 3, 4, 5, 6, 7]),
        (0, vec![3, 4]),
        (50, vec![0, 0]),
    ] {
        let q = ripartisci(importo, &pesi);
        assert_eq!(q.iter().sum::<i64>(), importo, "{importo} {pesi:?}");
        assert_eq!(q.len(), pesi.len());
    }
    assert_eq!(ripartisci(50, &[0, 0]), vec![50, 0]);
}

fn pag(
    iuv: &str,
    tipo: &str,
    data: &str,
    cents: i64,
    bilancio: &str,
    iuf: &[(&str, i64)],
) -> Pagamento {
    Pagamento {
        iuv: iuv.into(),
        iur: format!("R-{iuv}"),
        tipo_dovuto: tipo.into(),
        data: NaiveDate::parse_from_str(data, "%Y-%m-%d").ok(),
        importo_cents: cents,
        imputazioni: imputa(cents, bilancio, None),
        rendicontazioni: iuf.iter().map(|(f, c)| (f.to_string(), *c)).collect(),
    }
}

#[test]
fn totals_add_up_for_every_grouping() {
    let p = vec![
        pag("A", "TARI", "2024-05-13", 10000, BIL2, &[]),
        pag("B", "TARI", "2024-06-01", 3333, BIL2, &[]),
        pag("C", "IMU", "2024-05-20", 4850, "", &[]),
    ];
    let r = riepilogo(&p);
    assert_eq!(r.totale_cents, 18183);
    for g in [
        &r.per_tipo,
        &r.per_capitolo,
        &r.per_accertamento,
        &r.per_mese,
    ] {
        assert_eq!(g.iter().map(|t| t.importo_cents).sum::<i64>(), 18183);
    }
    let k = |v: &[Totale]| -> Vec<(String, usize, i64)> {
        v.iter()
            .map(|t| (t.chiave.clone(), t.pagamenti, t.importo_cents))
            .collect()
    };
    assert_eq!(
        k(&r.per_tipo),
        vec![("IMU".into(), 1, 4850), ("TARI".into(), 2, 13333)]
    );
    // 33.33 over 70/20/10: 23.33 + 6.67 + 3.33.
    assert_eq!(
        k(&r.per_capitolo),
        vec![
            ("3010".into(), 2, 7000 + 2000 + 2333 + 667),
            ("3020".into(), 2, 1000 + 333),
            (String::new(), 1, 4850),
        ]
    );
    assert_eq!(
        k(&r.per_accertamento),
        vec![
            ("2024/15".into(), 2, 9333),
            ("2024/16".into(), 2, 2667),
            (String::new(), 3, 1333 + 4850),
        ]
    );
    assert_eq!(
        k(&r.per_mese),
        vec![("2024-05".into(), 2, 14850), ("2024-06".into(), 1, 3333)]
    );
    assert_eq!(Raggruppamento::parse("mese"), Some(Raggruppamento::Mese));
    assert_eq!(Raggruppamento::parse("boh"), None);
}

fn prov(iuf: Option<&str>, iuv: Option<&str>, cents: i64) -> Provvisorio {
    Provvisorio {
        fonte: Fonte::Giornale,
        anno: "2024".into(),
        numero: "1523".into(),
        data_contabile: NaiveDate::from_ymd_opt(2024, 5, 14),
        data_valuta: None,
        importo_cents: cents,
        ordinante: "BANCA ESEMPIO SPA".into(),
        causale: String::new(),
        iuf: iuf.map(str::to_string),
        iuv: iuv.map(str::to_string),
        acquisito: None,
    }
}

const F: &str = "2024-05-14BCITITMM-S240514000123";

#[test]
fn reversal_split_exact_to_the_cent() {
    let p = vec![
        pag("A", "TARI", "2024-05-13", 10000, BIL2, &[(F, 10000)]),
        // Reported for 33.33 although paid 33.34: the FdR's amount is what was transferred.
        pag("B", "TARI", "2024-05-13", 3334, BIL2, &[(F, 3333)]),
        pag("C", "IMU", "2024-05-13", 4850, "", &[(F, 4850)]),
        pag("D", "IMU", "2024-05-13", 8000, "", &[]),
    ];
    // Exactly covered; the IUF in another case still matches.
    let v = proposte(&[prov(Some(&F.to_lowercase()), None, 18183)], &p);
    assert_eq!(v.len(), 1);
    let x = &v[0];
    assert_eq!((x.coperto_cents, x.residuo_cents), (18183, 0));
    assert_eq!(x.pagamenti, vec![0, 1, 2]);
    let righe: Vec<(&str, &str, i64, usize, bool)> = x
        .righe
        .iter()
        .map(|r| {
            (
                r.voce.capitolo.as_str(),
                r.voce.accertamento.as_str(),
                r.importo_cents,
                r.pagamenti,
                r.residuo,
            )
        })
        .collect();
    assert_eq!(
        righe,
        vec![
            ("3010", "2024/15", 7000 + 2333, 2, false),
            ("3010", "2024/16", 2000 + 667, 2, false),
            ("3020", "", 1000 + 333, 2, false),
            ("", "", 4850, 1, false),
        ]
    );
    assert_eq!(x.righe.iter().map(|r| r.importo_cents).sum::<i64>(), 18183);
    assert_eq!(
        x.righe[3].descrizione,
        format!(
            "IMU: 1 pagamento, flusso {} (capitolo da indicare)",
            F.to_lowercase()
        )
    );
    assert!(x.motivo.contains("coprono esattamente"), "{}", x.motivo);

    // 0.50 more on the receipt than the payments: a residue line.
    let v = proposte(&[prov(Some(F), None, 18233)], &p);
    let x = &v[0];
    assert_eq!(x.residuo_cents, 50);
    let ultima = x.righe.last().unwrap();
    assert!(ultima.residuo && ultima.importo_cents == 50);
    assert_eq!(x.righe.iter().map(|r| r.importo_cents).sum::<i64>(), 18233);
    assert!(x.motivo.contains("restano 0,50"), "{}", x.motivo);

    // A single transfer by IUV; a receipt citing nothing gets no proposal; an unknown IUF is
    // all residue.
    let v = proposte(
        &[
            prov(None, Some("D"), 8000),
            prov(None, None, 5),
            prov(Some("2024-05-14XXXXXXXX-1"), None, 700),
        ],
        &p,
    );
    assert_eq!(v.len(), 2);
    assert_eq!((v[0].provvisorio, v[0].coperto_cents), (0, 8000));
    assert_eq!(v[0].righe.len(), 1);
    assert_eq!(
        v[0].righe[0].descrizione,
        "IMU: 1 pagamento, IUV D (capitolo da indicare)"
    );
    assert_eq!((v[1].provvisorio, v[1].residuo_cents), (2, 700));
    assert!(v[1].righe[0].residuo);
    assert!(v[1].motivo.starts_with("nessun pagamento"));
}
