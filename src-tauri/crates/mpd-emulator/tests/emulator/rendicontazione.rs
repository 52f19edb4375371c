//! `PagamentiTelematiciFlussiSPC` (issue 16): FdR built from the simulated payments, each quirk
//! of spec riconciliazione §2.4, the anomalies planted on request, and the treasury journal of
//! the same settlements.

use chrono::{Duration, Local, NaiveDate};
use mpd_emulator::{AnomaliaFdr, Piattaforma};
use rust_decimal::Decimal;

use crate::common::*;

const PA: &str = "http://www.regione.veneto.it/pagamenti/pa/";

fn envelope_pa(op: &str, inner: &str) -> String {
    format!(
        r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ppt="{PA}"><soapenv:Header/><soapenv:Body><ppt:{op}>{inner}</ppt:{op}></soapenv:Body></soapenv:Envelope>"#
    )
}

fn elenco_raw(sim: &Sim, inner: &str) -> String {
    let (status, text) = sim.post_soap(
        "paaSILChiediElencoFlussiSPC",
        envelope_pa("paaSILChiediElencoFlussiSPC", inner),
    );
    assert_eq!(status, 200, "{text}");
    assert!(text.contains(&format!("xmlns:ns2=\"{PA}\"")), "{text}");
    text
}

/// The (IUF, dataOraFlusso) listed for `[from, to]`.
fn elenco(
    sim: &Sim,
    tipo: &str,
    psp: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<(String, String)> {
    let text = elenco_raw(
        sim,
        &format!(
            "<password>demo</password><codIpaEnte>c_demo</codIpaEnte><identificativoPsp>{psp}</identificativoPsp>\
             <tipoFlusso>{tipo}</tipoFlusso><dateFrom>{from}</dateFrom><dateTo>{to}</dateTo>"
        ),
    );
    assert_eq!(fault_code(&text), None, "{text}");
    let n: usize = field(&text, "totRestituiti").unwrap().parse().unwrap();
    let out: Vec<(String, String)> = text
        .split("<idSPC>")
        .skip(1)
        .map(|s| {
            (
                field(s, "identificativoFlusso").unwrap(),
                field(s, "dataOraFlusso").unwrap(),
            )
        })
        .collect();
    assert_eq!(out.len(), n);
    out
}

fn chiedi(sim: &Sim, tipo: &str, psp: &str, iuf: &str, data_ora: &str) -> String {
    let (status, text) = sim.post_soap(
        "paaSILChiediFlussoSPC",
        envelope_pa(
            "paaSILChiediFlussoSPC",
            &format!(
                "<password>demo</password><codIpaEnte>c_demo</codIpaEnte><identificativoPsp>{psp}</identificativoPsp>\
                 <tipoFlusso>{tipo}</tipoFlusso><identificativoFlusso>{iuf}</identificativoFlusso>\
                 <dataOraFlusso>{data_ora}</dataOraFlusso>"
            ),
        ),
    );
    assert_eq!(status, 200, "{text}");
    text
}

/// `n` debts created and paid `giorni` days ago; returns the payments.
fn pagati(sim: &Sim, n: usize, giorni: i64) -> Vec<serde_json::Value> {
    for i in 0..n {
        let r = importa_dovuto(
            sim,
            &versamento_xml(
                &format!("IUD-FDR-{i:03}"),
                &format!("{}.50", 10 + i),
                "I",
                "",
            ),
            "",
        );
        assert_eq!(fault_code(&r), None, "{r}");
    }
    let data = Local::now().date_naive() - Duration::days(giorni);
    let r = sim
        .http
        .post(sim.url("/sim/pay"))
        .json(&serde_json::json!({ "ente": "c_demo", "share": 1.0, "seed": 5, "data": data, "indipendenti": true }))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let v: serde_json::Value = r.json().unwrap();
    v["pagati"].as_array().unwrap().clone()
}

fn stato_fdr(sim: &Sim) -> serde_json::Value {
    sim.http
        .get(sim.url("/sim/fdr?ente=c_demo"))
        .send()
        .unwrap()
        .json()
        .unwrap()
}

fn giorno(ts: &str) -> NaiveDate {
    NaiveDate::parse_from_str(&ts[..10], "%Y-%m-%d").unwrap()
}

fn cents(d: Decimal) -> i64 {
    i64::try_from(d * Decimal::ONE_HUNDRED).unwrap()
}

#[test]
fn fdr_are_built_per_psp_and_settlement_day_and_listed_by_acquisition_day() {
    let sim = start();
    let pagati = pagati(&sim, 8, 20);
    assert_eq!(pagati.len(), 8);
    let stato = stato_fdr(&sim);
    let flussi = stato["flussi"].as_array().unwrap();
    assert!(!flussi.is_empty());
    let pagato_il = giorno(pagati[0]["data"].as_str().unwrap());
    let mut riportati = 0;
    for f in flussi {
        let iuf = f["iuf"].as_str().unwrap();
        let psp = f["psp"].as_str().unwrap();
        let regolamento = giorno(f["dataRegolamento"].as_str().unwrap());
        // IUF yyyy-MM-dd<PSP>-<n>, the PSP recovered by MyPay's rule.
        assert!(iuf.starts_with(&format!("{regolamento}{psp}-")), "{iuf}");
        assert_eq!(mpd_tracciato::fdr::psp_da_iuf(iuf), Some(psp));
        // One or two working days after the payment.
        let lag = (regolamento - pagato_il).num_days();
        assert!((1..=4).contains(&lag), "{iuf}: {lag}");
        // Acquired the day after the flow.
        let acquisito = giorno(f["acquisito"].as_str().unwrap());
        assert_eq!(
            acquisito,
            giorno(f["dataOraFlusso"].as_str().unwrap()) + Duration::days(1)
        );
        // Listed on its acquisition day, not the day after; every PSP with "", its own alone.
        let listed = elenco(&sim, "R", "", acquisito, acquisito);
        assert!(listed.iter().any(|(i, _)| i == iuf), "{iuf} {listed:?}");
        assert!(
            !elenco(
                &sim,
                "R",
                "",
                acquisito + Duration::days(1),
                acquisito + Duration::days(1)
            )
            .iter()
            .any(|(i, _)| i == iuf)
        );
        let suo = elenco(&sim, "R", psp, acquisito, acquisito);
        assert!(
            suo.iter()
                .all(|(i, _)| mpd_tracciato::fdr::psp_da_iuf(i) == Some(psp))
        );
        assert!(suo.iter().any(|(i, _)| i == iuf));
        assert!(elenco(&sim, "R", "NESSUNPSP", acquisito, acquisito).is_empty());
        // No zone, no milliseconds.
        let (_, d) = listed.iter().find(|(i, _)| i == iuf).unwrap();
        assert_eq!(d.len(), 19, "{d}");
        assert_eq!(d, f["dataOraFlusso"].as_str().unwrap());
        // The flow: raw XML at a MyBox link, Σ rows = total.
        let r = chiedi(&sim, "R", psp, iuf, d);
        assert_eq!(field(&r, "stato").as_deref(), Some("OK"), "{r}");
        let url = field(&r, "downloadUrl").unwrap();
        assert!(
            url.contains("/public/mybox/download/") && url.contains("type=FLUSSI_RENDIC"),
            "{url}"
        );
        let resp = sim.http.get(&url).send().unwrap();
        assert_eq!(resp.status().as_u16(), 200);
        assert_eq!(resp.headers()["content-type"], "application/octet-stream");
        let fdr = mpd_tracciato::fdr::leggi(&resp.bytes().unwrap()).unwrap();
        assert_eq!(fdr.iuf, iuf);
        assert_eq!(
            fdr.ricevente_codice,
            mpd_core::debts::demo_ente().codice_fiscale
        );
        let somma: Decimal = fdr.righe.iter().map(|r| r.importo).sum();
        assert_eq!(fdr.importo_totale, somma);
        assert_eq!(cents(somma), f["importoCents"].as_i64().unwrap());
        assert_eq!(fdr.numero_totale as usize, fdr.righe.len());
        assert!(
            fdr.righe
                .iter()
                .all(|r| r.indice == Some(1) && r.esito.codice() == 0)
        );
        riportati += fdr.righe.len();
    }
    assert_eq!(riportati, 8, "every payment is in exactly one flow");
    // Asked again, nothing new is built.
    assert_eq!(stato_fdr(&sim)["flussi"], stato["flussi"]);
    // A payment of today is not settled yet: no flow.
    let oggi = Local::now().date_naive();
    assert!(elenco(&sim, "R", "", oggi - Duration::days(60), oggi).len() == flussi.len());
    // Quadrature: MyPay4 no longer acquires them.
    assert!(elenco(&sim, "Q", "", oggi - Duration::days(60), oggi).is_empty());
}

#[test]
fn list_faults_are_mypays() {
    let sim = start();
    let ask = |inner: &str| {
        elenco_raw(
            &sim,
            &format!(
                "<password>demo</password><codIpaEnte>c_demo</codIpaEnte><identificativoPsp></identificativoPsp>{inner}"
            ),
        )
    };
    // Date errors reuse PAA_ENTE_NON_VALIDO.
    for (inner, msg) in [
        (
            "<tipoFlusso>R</tipoFlusso><dateTo>2024-05-01</dateTo>",
            "Data inizio non valida",
        ),
        (
            "<tipoFlusso>R</tipoFlusso><dateFrom>2024-05-01</dateFrom>",
            "Data fine non valida",
        ),
        (
            "<tipoFlusso>R</tipoFlusso><dateFrom>2024-05-02</dateFrom><dateTo>2024-05-01</dateTo>",
            "Intervallo data Extraction non valida",
        ),
    ] {
        let t = ask(inner);
        assert_eq!(
            fault_code(&t).as_deref(),
            Some("PAA_ENTE_NON_VALIDO"),
            "{t}"
        );
        assert_eq!(field(&t, "faultString").as_deref(), Some(msg));
        assert!(!t.contains("elencoFlussiSPC"));
    }
    // R or Q exactly: the FESP's fault copied, with an empty list.
    for tipo in ["r", "X", ""] {
        let t = ask(&format!(
            "<tipoFlusso>{tipo}</tipoFlusso><dateFrom>2024-05-01</dateFrom><dateTo>2024-05-01</dateTo>"
        ));
        assert_eq!(fault_code(&t).as_deref(), Some("PAA_SYSTEM_ERROR"), "{t}");
        assert_eq!(
            field(&t, "faultString"),
            Some(format!("tipo flusso non supportato: {tipo}"))
        );
        assert_eq!(
            field(&t, "id").as_deref(),
            Some("NODO_REGIONALE_CHIEDI_LISTA_FLUSSO_SPC")
        );
        assert_eq!(field(&t, "totRestituiti").as_deref(), Some("0"));
    }
    // The Ente and its password, from the body.
    let t = elenco_raw(
        &sim,
        "<password>sbagliata</password><codIpaEnte>c_demo</codIpaEnte><tipoFlusso>R</tipoFlusso><dateFrom>2024-05-01</dateFrom><dateTo>2024-05-01</dateTo>",
    );
    assert_eq!(fault_code(&t).as_deref(), Some("PAA_ENTE_NON_VALIDO"));
    // The DovutiPagati namespace has no such operation: Spring-WS's 404.
    let (status, _) = sim.post_soap(
        "paaSILChiediElencoFlussiSPC",
        envelope(
            "paaSILChiediElencoFlussiSPC",
            Some("c_demo"),
            "<password>demo</password>",
        ),
    );
    assert_eq!(status, 404);
}

#[test]
fn a_flow_is_found_by_exact_psp_and_timestamp_only() {
    let sim = start();
    pagati(&sim, 3, 15);
    let stato = stato_fdr(&sim);
    let f = &stato["flussi"][0];
    let (iuf, psp, d) = (
        f["iuf"].as_str().unwrap(),
        f["psp"].as_str().unwrap(),
        f["dataOraFlusso"].as_str().unwrap(),
    );
    assert_eq!(
        field(&chiedi(&sim, "R", psp, iuf, d), "stato").as_deref(),
        Some("OK")
    );
    assert_eq!(
        field(&chiedi(&sim, "R", psp, iuf, &format!("{d}.000")), "stato").as_deref(),
        Some("OK")
    );
    // An empty PSP never matches; another second or milliseconds neither: KO, no downloadUrl.
    for (p, t) in [
        ("", d.to_string()),
        (psp, format!("{d}.123")),
        (psp, format!("{}00", &d[..17])),
    ] {
        let r = chiedi(&sim, "R", p, iuf, &t);
        assert_eq!(field(&r, "stato").as_deref(), Some("KO"), "{p} {t}: {r}");
        assert!(!r.contains("downloadUrl"), "{r}");
        assert_eq!(fault_code(&r), None);
    }
    // A bad tipoFlusso: the FESP's fault is swallowed, the stato empty.
    let r = chiedi(&sim, "Z", psp, iuf, d);
    assert!(r.contains("<stato></stato>"), "{r}");
    assert_eq!(fault_code(&r), None);
    // A wrong password: the fault and KO.
    let (_, r) = sim.post_soap(
        "paaSILChiediFlussoSPC",
        envelope_pa(
            "paaSILChiediFlussoSPC",
            "<password>x</password><codIpaEnte>c_demo</codIpaEnte>",
        ),
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_ENTE_NON_VALIDO"));
    assert_eq!(field(&r, "stato").as_deref(), Some("KO"));
    // The link is bound to its file: another filename is refused.
    let url = field(&chiedi(&sim, "R", psp, iuf, d), "downloadUrl").unwrap();
    let altro = url.replace("type=FLUSSI_RENDIC", "type=FLUSSI_QUADR");
    let (status, body) = sim.get_bytes(&altro);
    assert_eq!(status, 500, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("codice sicurezza non valido"));
    // A link whose token expired: MyBox's 401.
    let r = sim
        .http
        .put(sim.url("/sim/faults"))
        .json(&serde_json::json!({ "token_ttl_secs": 0 }))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let url = field(&chiedi(&sim, "R", psp, iuf, d), "downloadUrl").unwrap();
    let (status, body) = sim.get_bytes(&url);
    assert_eq!(status, 401);
    assert!(String::from_utf8_lossy(&body).starts_with("Token download scaduto"));
}

#[test]
fn internal_errors_are_code_paa_errore_interno() {
    let sim = start();
    pagati(&sim, 2, 15);
    let stato = stato_fdr(&sim);
    let f = &stato["flussi"][0];
    let (iuf, psp, d) = (
        f["iuf"].as_str().unwrap().to_string(),
        f["psp"].as_str().unwrap().to_string(),
        f["dataOraFlusso"].as_str().unwrap().to_string(),
    );
    // MyPay's DAO finds two rows for one key: "… is not unique", caught by the SIL layer.
    let db = rusqlite::Connection::open(sim.dir.path().join("emu/emulator.sqlite")).unwrap();
    db.execute(
        "INSERT INTO flusso_spc (ente_id, tipo, psp, psp_nome, iuf, data_ora_flusso, data_regolamento, file_rel,
            dimensione, stato, dt_creazione, pubblicato, importo_cents, pagamenti)
         SELECT ente_id, tipo, psp, psp_nome, iuf, data_ora_flusso, data_regolamento, file_rel, dimensione,
            stato, dt_creazione, pubblicato, importo_cents, pagamenti FROM flusso_spc WHERE iuf = ?1",
        [&iuf],
    )
    .unwrap();
    let r = chiedi(&sim, "R", &psp, &iuf, &d);
    assert_eq!(
        fault_code(&r).as_deref(),
        Some("CODE_PAA_ERRORE_INTERNO"),
        "{r}"
    );
    assert_eq!(
        field(&r, "faultString").as_deref(),
        Some("Errore interno a pa")
    );
    assert_eq!(field(&r, "serial").as_deref(), Some("1"));
    assert_eq!(field(&r, "stato").as_deref(), Some("KO"));
    // A stored timestamp that cannot be rebuilt: the list fails the same way.
    db.execute(
        "UPDATE flusso_spc SET data_ora_flusso = 'rotto' WHERE iuf = ?1",
        [&iuf],
    )
    .unwrap();
    let a = giorno(f["acquisito"].as_str().unwrap());
    let t = elenco_raw(
        &sim,
        &format!(
            "<password>demo</password><codIpaEnte>c_demo</codIpaEnte><identificativoPsp></identificativoPsp><tipoFlusso>R</tipoFlusso><dateFrom>{a}</dateFrom><dateTo>{a}</dateTo>"
        ),
    );
    assert_eq!(
        fault_code(&t).as_deref(),
        Some("CODE_PAA_ERRORE_INTERNO"),
        "{t}"
    );
}

#[test]
fn anomalies_are_planted_once_each_where_the_emulator_says() {
    let sim = start_with(|o| o.faults.fdr_anomalie = AnomaliaFdr::TUTTE.to_vec());
    let pagati = pagati(&sim, 12, 25);
    let stato = stato_fdr(&sim);
    assert_eq!(stato["daPiantare"], serde_json::json!([]), "{stato}");
    let anomalie = stato["anomalie"].as_array().unwrap();
    assert_eq!(anomalie.len(), 7, "{stato}");
    let di = |tipo: &str| anomalie.iter().find(|a| a["tipo"] == tipo).unwrap().clone();
    let flussi = stato["flussi"].as_array().unwrap();
    let oggi = Local::now().date_naive();
    let tutti = elenco(&sim, "R", "", oggi - Duration::days(60), oggi);
    // Missing: built, never published, never listed.
    let mancante = di("mancante")["iuf"].as_str().unwrap().to_string();
    assert!(
        flussi
            .iter()
            .any(|f| f["iuf"] == mancante && f["pubblicato"] == false)
    );
    assert!(!tutti.iter().any(|(i, _)| *i == mancante));
    // Re-published: the same IUF twice, the second later, acquired at the next midnight, so the
    // list of the day before shows it too (to + 1 day, both ends included).
    let rip = di("ripubblicato")["iuf"].as_str().unwrap().to_string();
    let versioni: Vec<&(String, String)> = tutti.iter().filter(|(i, _)| *i == rip).collect();
    assert_eq!(versioni.len(), 2, "{tutti:?}");
    let nuova = flussi
        .iter()
        .filter(|f| f["iuf"] == rip.as_str())
        .max_by_key(|f| f["dataOraFlusso"].as_str().unwrap().to_string())
        .unwrap();
    let mezzanotte = nuova["acquisito"].as_str().unwrap();
    assert!(mezzanotte.ends_with("T00:00:00"), "{mezzanotte}");
    let prima = giorno(mezzanotte) - Duration::days(1);
    assert!(
        elenco(&sim, "R", "", prima, prima)
            .iter()
            .any(|(i, d)| *i == rip && d == nuova["dataOraFlusso"].as_str().unwrap())
    );
    // The rows of each published flow, and its receiver.
    let mut righe = Vec::new();
    let mut riceventi = Vec::new();
    for (iuf, d) in &tutti {
        let psp = mpd_tracciato::fdr::psp_da_iuf(iuf).unwrap();
        let url = field(&chiedi(&sim, "R", psp, iuf, d), "downloadUrl").unwrap();
        let (_, bytes) = sim.get_bytes(&url);
        let fdr = mpd_tracciato::fdr::leggi(&bytes).unwrap();
        assert_eq!(
            fdr.importo_totale,
            fdr.righe.iter().map(|r| r.importo).sum::<Decimal>()
        );
        riceventi.push((iuf.clone(), fdr.ricevente_codice.clone()));
        if *iuf != rip || d == nuova["dataOraFlusso"].as_str().unwrap() {
            righe.extend(fdr.righe.into_iter().map(|r| (iuf.clone(), r)));
        }
    }
    // Another Ente's flow: listed and downloadable like the others, addressed to another
    // codice fiscale (the import refuses it); every other flow is the Ente's.
    let altro = di("altro_ente")["iuf"].as_str().unwrap().to_string();
    let ente = mpd_core::debts::demo_ente().codice_fiscale;
    for (iuf, cf) in &riceventi {
        let atteso = if *iuf == altro {
            mpd_emulator::CF_ALTRO_ENTE
        } else {
            ente.as_str()
        };
        assert_eq!(cf, atteso, "{iuf}");
    }
    let importo_di = |iuv: &str| {
        pagati
            .iter()
            .find(|p| p["iuv"] == iuv)
            .map(|p| p["importo"].as_str().unwrap().parse::<Decimal>().unwrap())
    };
    let diverso = di("importo_diverso");
    let r = righe
        .iter()
        .find(|(_, r)| r.iuv == diverso["iuv"].as_str().unwrap())
        .unwrap();
    assert_ne!(Some(r.1.importo), importo_di(&r.1.iuv));
    let doppio = di("doppio")["iuv"].as_str().unwrap().to_string();
    assert_eq!(righe.iter().filter(|(_, r)| r.iuv == doppio).count(), 2);
    let e9 = di("esito9")["iuv"].as_str().unwrap().to_string();
    let r = righe.iter().find(|(_, r)| r.iuv == e9).unwrap();
    assert_eq!(r.1.esito.codice(), 9);
    assert_eq!(importo_di(&e9), None, "no payment here");
    let ignoto = di("iuv_sconosciuto")["iuv"].as_str().unwrap().to_string();
    assert!(
        righe
            .iter()
            .any(|(_, r)| r.iuv == ignoto && r.esito.codice() == 0)
    );
    assert!(ignoto.starts_with("99"));
    // Every payment but those of the missing flow is reported.
    let riportati: std::collections::HashSet<&str> =
        righe.iter().map(|(_, r)| r.iuv.as_str()).collect();
    let mancanti = pagati
        .iter()
        .filter(|p| !riportati.contains(p["iuv"].as_str().unwrap()))
        .count();
    let nel_mancante = flussi.iter().find(|f| f["iuf"] == mancante).unwrap()["pagamenti"]
        .as_i64()
        .unwrap();
    assert_eq!(mancanti as i64, nel_mancante);
}

#[test]
fn the_treasury_journal_has_one_entry_per_settlement_in_csv_and_opi() {
    let sim = start_with(|o| {
        o.faults.fdr_anomalie = vec![AnomaliaFdr::Mancante, AnomaliaFdr::Ripubblicato]
    });
    pagati(&sim, 14, 30);
    let stato = stato_fdr(&sim);
    let mut per_iuf: std::collections::BTreeMap<String, (String, i64)> = Default::default();
    for f in stato["flussi"].as_array().unwrap() {
        let k = f["iuf"].as_str().unwrap().to_string();
        let v = (
            f["dataOraFlusso"].as_str().unwrap().to_string(),
            f["importoCents"].as_i64().unwrap(),
        );
        if per_iuf.get(&k).is_none_or(|(d, _)| *d < v.0) {
            per_iuf.insert(k, v);
        }
    }
    let totale: i64 = per_iuf.values().map(|(_, c)| c).sum();
    let chiedi_t = |formato: &str, anomalie: serde_json::Value| {
        sim.http
            .post(sim.url("/sim/tesoreria"))
            .json(&serde_json::json!({ "ente": "c_demo", "formato": formato, "seme": 7, "anomalie": anomalie }))
            .send()
            .unwrap()
    };
    let r = chiedi_t("csv", serde_json::json!([]));
    assert_eq!(r.status().as_u16(), 200);
    let t: serde_json::Value = r.json().unwrap();
    let testo = t["testo"].as_str().unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(testo.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "anno",
            "numero",
            "data_contabile",
            "ordinante",
            "causale",
            "importo",
            "data_valuta"
        ]
    );
    let mut somma = 0;
    let mut causali = Vec::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        somma += cents(rec[5].parse::<Decimal>().unwrap());
        assert_eq!(&rec[0], &rec[2][..4]);
        causali.push(rec[4].to_string());
        // Each causale carries its flow's IUF (whatever the spacing).
        let compatto: String = rec[4].chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            per_iuf.keys().any(|iuf| compatto.contains(iuf.as_str())),
            "{}",
            &rec[4]
        );
    }
    assert_eq!(
        causali.len(),
        per_iuf.len(),
        "one entry per flow, the missing one too"
    );
    assert_eq!(somma, totale);
    assert_eq!(t["totale_cents"], totale);
    // The variants of §3.6 all appear when there are enough entries.
    if causali.len() >= 7 {
        for pezzo in [
            "/TXT/1/URI/",
            "LGPE - RIVERSAMENTO",
            "ACCREDITI VARI",
            "- ",
            "PUR LGPE-RIVERSAMENTO URI",
        ] {
            assert!(
                causali.iter().any(|c| c.contains(pezzo)),
                "{pezzo}: {causali:?}"
            );
        }
    }
    // The same seed, the same journal.
    let again: serde_json::Value = chiedi_t("csv", serde_json::json!([])).json().unwrap();
    assert_eq!(again["testo"], t["testo"]);
    // A storno exists only in OPI.
    assert_eq!(
        chiedi_t("csv", serde_json::json!(["storno"]))
            .status()
            .as_u16(),
        400
    );
    // OPI: well-formed, ENTRATA / SOSPESO ENTRATA / ESEGUITO, the storno of an earlier entry.
    let t: serde_json::Value = chiedi_t(
        "opi",
        serde_json::json!(["corto", "rfb", "estraneo", "storno"]),
    )
    .json()
    .unwrap();
    let xml = t["testo"].as_str().unwrap();
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut percorso, mut movimenti): (
        Vec<String>,
        Vec<std::collections::HashMap<String, String>>,
    ) = (Vec::new(), Vec::new());
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) => {
                let n = e.local_name().as_ref().to_string();
                if n == "movimento_conto_evidenza" {
                    movimenti.push(Default::default());
                }
                percorso.push(n);
            }
            quick_xml::events::Event::Text(e) => {
                if let (Some(m), Some(n)) = (movimenti.last_mut(), percorso.last()) {
                    m.entry(n.clone()).or_default().push_str(&e);
                }
            }
            quick_xml::events::Event::End(_) => {
                percorso.pop();
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(percorso.is_empty());
    let anomalie: Vec<serde_json::Value> = t["anomalie"].as_array().unwrap().clone();
    assert_eq!(anomalie.len(), 4, "{anomalie:?}");
    let mut somma = 0;
    for m in &movimenti {
        assert_eq!(m["tipo_movimento"], "ENTRATA");
        assert_eq!(m["tipo_documento"], "SOSPESO ENTRATA");
        let c = cents(m["importo"].parse::<Decimal>().unwrap());
        match m["tipo_operazione"].as_str() {
            "ESEGUITO" => somma += c,
            "STORNATO" => somma -= c,
            o => panic!("{o}"),
        }
        assert!(!m["anagrafica_cliente"].is_empty());
    }
    assert_eq!(somma, t["totale_cents"].as_i64().unwrap());
    let storno = anomalie.iter().find(|a| a["tipo"] == "storno").unwrap();
    let numero = storno["numero"].to_string();
    assert_eq!(
        movimenti
            .iter()
            .filter(|m| m["numero_bolletta_quietanza"] == numero)
            .count(),
        2
    );
    let fattura = anomalie.iter().find(|a| a["tipo"] == "estraneo").unwrap();
    let numero_fattura = fattura["numero"].to_string();
    assert!(
        movimenti
            .iter()
            .any(|m| m["numero_bolletta_quietanza"] == numero_fattura
                && m["causale"] == "BONIFICO FATTURA 12")
    );
    let rfb = anomalie.iter().find(|a| a["tipo"] == "rfb").unwrap();
    assert!(movimenti.iter().any(|m| {
        m["causale"].starts_with(&format!("/RFB/{}/", rfb["riferimento"].as_str().unwrap()))
    }));
    // Σ ESEGUITO − STORNATO: the flows, 0.50 less, plus the single transfer and the invoice,
    // minus the entry reversed.
    assert!(somma < totale + 120_000 + 10_000_000);
}

#[test]
fn aria_serves_it_at_mypays_path_and_pu_does_not() {
    let sim = start_with(|o| *o = o.clone().con_piattaforma(Piattaforma::Aria));
    let oggi = Local::now().date_naive();
    assert!(elenco(&sim, "R", "", oggi, oggi).is_empty());
    let sim = start_with(|o| *o = o.clone().con_piattaforma(Piattaforma::Pu));
    let (status, _) = sim.post_soap(
        "paaSILChiediElencoFlussiSPC",
        envelope_pa("paaSILChiediElencoFlussiSPC", "<password>demo</password>"),
    );
    assert_eq!(status, 404);
}
