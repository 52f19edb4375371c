//! The WSDL's remaining operations (multi-Ente carts, export of expired debts, payment
//! history), every WSDL operation answered as MyPay answers it, and the pretend-citizen page
//! behind `urlPagamento`.

use crate::common::*;

const CF: &str = "RSSMRA80A01H501U";

fn person() -> String {
    format!(
        "<identificativoUnivocoPersonaFG><pay_i:tipoIdentificativoUnivoco>F</pay_i:tipoIdentificativoUnivoco><pay_i:codiceIdentificativoUnivoco>{CF}</pay_i:codiceIdentificativoUnivoco></identificativoUnivocoPersonaFG>"
    )
}

#[test]
fn every_wsdl_operation_has_an_answer_but_the_one_mypay_lacks() {
    let sim = start();
    let (_, wsdl) = sim.get_bytes(&sim.handle.wsdl_url());
    let wsdl = String::from_utf8(wsdl).unwrap();
    let mut ops: Vec<String> = wsdl
        .split("<wsdl:operation name=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(String::from))
        .collect();
    ops.sort();
    ops.dedup();
    assert_eq!(ops.len(), 18, "{ops:?}");
    for op in &ops {
        let (status, body) = sim.post_soap(
            op,
            envelope(op, Some("c_demo"), "<password>demo</password>"),
        );
        if op == "paaSILChiediAvvisiPendenti" {
            // No endpoint in MyPay: Spring-WS's NoEndpointFoundException, 404 and no body.
            assert_eq!((status, body.as_str()), (404, ""), "{op}");
        } else {
            assert_eq!(status, 200, "{op}: {body}");
            assert!(
                body.contains(&format!("<ns2:{op}Risposta ")),
                "{op}: {body}"
            );
        }
    }
}

#[test]
fn url_pagamento_of_posizioni_aperte_leads_to_a_working_page() {
    let sim = start();
    let r = importa_dovuto(&sim, &versamento_xml("POS-1", "18.40", "I", ""), "");
    assert_eq!(field(&r, "esito").as_deref(), Some("OK"), "{r}");
    let r = sim.soap_body_only(
        "paaSILChiediPosizioniAperte",
        &format!("<password>demo</password>{}", person()),
    );
    validate_response(&r);
    let url = field(&r, "urlPagamento").unwrap();
    let id_session = url.split("id=").nth(1).unwrap().to_string();
    assert!(url.starts_with(&sim.url("/public/landing/precaricato?id=")));
    let (status, page) = sim.get_bytes(&url);
    assert_eq!(status, 200);
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("POS-1") && page.contains("18.40"), "{page}");
    // The same position asked again keeps its idSession (stored on the debt).
    let r = sim.soap_body_only(
        "paaSILChiediPosizioniAperte",
        &format!("<password>demo</password>{}", person()),
    );
    assert_eq!(field(&r, "urlPagamento").unwrap(), url);
    let ask = || {
        sim.soap_body_only(
            "paaSILChiediPagati",
            &format!("<codIpaEnte>c_demo</codIpaEnte><password>demo</password><idSession>{id_session}</idSession>"),
        )
    };
    assert_eq!(
        fault_code(&ask()).as_deref(),
        Some("PAA_PAGAMENTO_NON_INIZIATO")
    );
    // The citizen presses «Paga» on that page.
    let landing = form_value(&page, "id").unwrap();
    let r = sim
        .http
        .post(sim.url("/public/landing/inviaDovuti"))
        .form(&[("id", landing.as_str()), ("esito", "OK")])
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().unwrap().contains("Pagamento eseguito"));
    let r = ask();
    validate_response(&r);
    let xml = String::from_utf8(unb64(
        std::str::from_utf8(&unb64(&field(&r, "pagati").unwrap())).unwrap(),
    ))
    .unwrap();
    validate_pay_i(&xml);
    assert!(xml.contains("POS-1"));
    // Paid: no longer an open position.
    let r = sim.soap_body_only(
        "paaSILChiediPosizioniAperte",
        &format!("<password>demo</password>{}", person()),
    );
    assert!(field(&r, "urlPagamento").is_none(), "{r}");
    let (status, page) = sim.get_bytes(&sim.url("/public/landing/precaricato?id=ignoto"));
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("Posizione non trovata"));
}

fn dovuti_of(iud: &str, tipo: &str, dsr: &str) -> String {
    format!(
        r#"<pay_i:Dovuti xmlns:pay_i="{PAY_I}"><pay_i:versioneOggetto>6.2.0</pay_i:versioneOggetto><pay_i:soggettoPagatore><pay_i:identificativoUnivocoPagatore><pay_i:tipoIdentificativoUnivoco>F</pay_i:tipoIdentificativoUnivoco><pay_i:codiceIdentificativoUnivoco>{CF}</pay_i:codiceIdentificativoUnivoco></pay_i:identificativoUnivocoPagatore><pay_i:anagraficaPagatore>MARIO ROSSI</pay_i:anagraficaPagatore></pay_i:soggettoPagatore><pay_i:datiVersamento><pay_i:tipoVersamento>ALL</pay_i:tipoVersamento><pay_i:datiSingoloVersamento><pay_i:identificativoUnivocoDovuto>{iud}</pay_i:identificativoUnivocoDovuto><pay_i:importoSingoloVersamento>15.00</pay_i:importoSingoloVersamento><pay_i:identificativoTipoDovuto>{tipo}</pay_i:identificativoTipoDovuto><pay_i:causaleVersamento>Pagamento {iud}</pay_i:causaleVersamento><pay_i:datiSpecificiRiscossione>{dsr}</pay_i:datiSpecificiRiscossione></pay_i:datiSingoloVersamento></pay_i:datiVersamento></pay_i:Dovuti>"#
    )
}

fn carrello_element(ipa: &str, cf: &str, dovuti: &str) -> String {
    format!(
        "<elementoListaDovuti><codIpaEnte>{ipa}</codIpaEnte><password>{}</password><dovuti>{}</dovuti></elementoListaDovuti>",
        mpd_emulator::carrello_element_password("intermediario-demo", cf),
        b64(dovuti)
    )
}

#[test]
fn invia_carrello_for_two_enti_pay_and_ask_the_outcome() {
    let sim = start_with(|o| {
        o.enti = vec![mpd_emulator::EnteConfig::demo(), ente_altro()];
    });
    let d1 = dovuti_of("CART-1", "MENSA", "9/0107101TS/");
    let d2 = dovuti_of("CART-2", "COSAP", "9/0101108TS/");
    validate_pay_i(&d1);
    // A wrong per-Ente hash is that Ente's password error.
    let bad = format!(
        "<password>demo</password><listaDovuti><elementoListaDovuti><codIpaEnte>c_altro</codIpaEnte><password>{}</password><dovuti>{}</dovuti></elementoListaDovuti></listaDovuti>",
        "0".repeat(64),
        b64(&d2)
    );
    let r = sim.soap("paaSILInviaCarrelloDovuti", &bad);
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_ENTE_NON_VALIDO"));
    assert_eq!(field(&r, "id").as_deref(), Some("c_altro"));
    assert_eq!(field(&r, "esito").as_deref(), Some("KO"));
    let body = format!(
        "<password>demo</password><listaDovuti>{}{}</listaDovuti><enteSILInviaRispostaPagamentoUrl>http://ente.example/fine</enteSILInviaRispostaPagamentoUrl>",
        carrello_element("c_demo", "00123456782", &d1),
        carrello_element("c_altro", "00987654324", &d2)
    );
    let r = sim.soap("paaSILInviaCarrelloDovuti", &body);
    validate_response(&r);
    assert_eq!(field(&r, "esito").as_deref(), Some("OK"), "{r}");
    let id = field(&r, "idSessionCarrello").unwrap();
    let url = field(&r, "url").unwrap();
    let esito = || {
        sim.soap_body_only(
            "paaSILChiediEsitoCarrelloDovuti",
            &format!("<codIpaEnte>c_demo</codIpaEnte><password>demo</password><idSessionCarrello>{id}</idSessionCarrello>"),
        )
    };
    let r = esito();
    assert_eq!(r.matches("<esito>NUOVO</esito>").count(), 2, "{r}");
    // One page for both Enti.
    let (status, page) = sim.get_bytes(&url);
    assert_eq!(status, 200);
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("CART-1") && page.contains("CART-2") && page.contains("Comune Altro"));
    let r = sim
        .http
        .post(sim.url("/public/landing/inviaDovuti"))
        .form(&[
            ("id", form_value(&page, "id").unwrap().as_str()),
            ("esito", "OK"),
        ])
        .send()
        .unwrap();
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("http://ente.example/fine?idSession={id}&esito=OK")
    );
    let r = esito();
    assert_eq!(r.matches("<esito>PAGATO</esito>").count(), 2, "{r}");
    assert!(r.contains("<codIpaEnte>c_altro</codIpaEnte>"));
    // [QUIRK] MyPay never fills codIdentificativoUnivocoCarrello (mandatory in the WSDL):
    // apart from it the answer is schema-valid.
    assert!(!r.contains("codIdentificativoUnivocoCarrello"));
    let patched = r.replace(
        "</codIpaEnte><pagati>",
        "</codIpaEnte><codIdentificativoUnivocoCarrello>x</codIdentificativoUnivocoCarrello><pagati>",
    );
    validate_response(&patched);
    for chunk in r.split("<pagati>").skip(1) {
        let b = chunk.split("</pagati>").next().unwrap();
        let xml = String::from_utf8(unb64(std::str::from_utf8(&unb64(b)).unwrap())).unwrap();
        validate_pay_i(&xml);
        assert!(xml.contains("PagatiConRicevuta"));
    }
    let r = sim.soap_body_only(
        "paaSILChiediEsitoCarrelloDovuti",
        "<codIpaEnte>c_demo</codIpaEnte><password>demo</password><idSessionCarrello>ignoto</idSessionCarrello>",
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_ID_SESSION_NON_VALIDO"));
    assert_eq!(field(&r, "id").as_deref(), Some("n/a"));
}

#[test]
fn export_scaduti_books_builds_and_downloads_the_expired_debts() {
    let sim = start();
    for iud in ["SCAD-1", "SCAD-2"] {
        let r = importa_dovuto(&sim, &versamento_xml(iud, "11.00", "I", ""), "");
        assert_eq!(field(&r, "esito").as_deref(), Some("OK"), "{r}");
    }
    let prenota = |inner: &str| sim.soap("paaSILPrenotaExportFlussoScaduti", inner);
    let r = prenota("<password>demo</password><tipiDovuto>MENSA</tipiDovuto>");
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_DATE_FROM_NON_VALIDO"));
    let r = prenota(
        "<password>demo</password><dataScadenza>2100-01-01</dataScadenza><tipiDovuto> ; </tipiDovuto>",
    );
    assert_eq!(
        fault_code(&r).as_deref(),
        Some("PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_INSERITO")
    );
    let r = prenota(
        "<password>demo</password><dataScadenza>2100-01-01</dataScadenza><tipiDovuto>MENSA;IGNOTO</tipiDovuto>",
    );
    assert_eq!(
        fault_code(&r).as_deref(),
        Some("PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_VALIDO")
    );
    // Due 2099-12-31: expired by 2100-01-01, not by 2099-12-31.
    let book = |data: &str| {
        let r = prenota(&format!(
            "<password>demo</password><dataScadenza>{data}</dataScadenza><tipiDovuto>MENSA;COSAP</tipiDovuto>"
        ));
        validate_response(&r);
        field(&r, "requestToken").unwrap()
    };
    let (t_all, t_none) = (book("2100-01-01"), book("2099-12-31"));
    let wait = |token: &str| loop {
        let r = sim.soap(
            "paaSILChiediStatoExportFlussoScaduti",
            &format!("<password>demo</password><requestToken>{token}</requestToken>"),
        );
        if field(&r, "stato").as_deref() == Some("EXPORT_ESEGUITO") {
            return r;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let r = wait(&t_all);
    validate_response(&r);
    assert_eq!(
        field(&r, "nomeFile").unwrap(),
        format!("EXP_SCADUTI_{t_all}.zip")
    );
    assert!(
        field(&r, "pathFile")
            .unwrap()
            .starts_with("/EXPORT_DOVUTI_SCADUTI/")
    );
    let url = field(&r, "downloadUrl").unwrap();
    assert!(url.contains("type=FLUSSI_EXPORT_SCADUTI"));
    let (status, zip) = sim.get_bytes(&url);
    assert_eq!(status, 200);
    let (entry, csv) = unzip_single(&zip);
    assert_eq!(entry, format!("EXP_SCADUTI_{t_all}.csv"));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0].split(';').count(), 22);
    assert!(lines[0].starts_with("\"IUD\";\"codIuv\";\"dataCreazione\""));
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(csv.contains("\"SCAD-1\"") && csv.contains("\"2099-12-31\";\"11.00\""));
    let (_, zip) = sim.get_bytes(&field(&wait(&t_none), "downloadUrl").unwrap());
    assert_eq!(unzip_single(&zip).1.lines().count(), 1);
    // Paid debts are no longer expired debts.
    pay_all(&sim, "c_demo");
    let t = book("2100-01-01");
    let (_, zip) = sim.get_bytes(&field(&wait(&t), "downloadUrl").unwrap());
    assert_eq!(unzip_single(&zip).1.lines().count(), 1);
    let r = sim.soap(
        "paaSILChiediStatoExportFlussoScaduti",
        "<password>demo</password><requestToken>ignoto</requestToken>",
    );
    assert_eq!(
        fault_code(&r).as_deref(),
        Some("PAA_REQUEST_TOKEN_NON_VALIDO")
    );
}

#[test]
fn storico_pagamenti_lists_the_payments_of_a_person() {
    let sim = start();
    for iud in ["STO-1", "STO-2"] {
        importa_dovuto(&sim, &versamento_xml(iud, "7.50", "I", ""), "");
    }
    let paid = pay_all(&sim, "c_demo");
    assert_eq!(paid["pagati"].as_array().unwrap().len(), 2);
    let ask = |window: &str, password: &str| {
        sim.soap_body_only(
            "paaSILChiediStoricoPagamenti",
            &format!("<password>{password}</password>{}{window}", person()),
        )
    };
    let r = ask("<dataFrom>2000-01-01T00:00:00</dataFrom>", "demo");
    validate_response(&r);
    assert!(field(&r, "dateTo").is_some());
    let entries: Vec<&str> = r.split("<paaSILStoricoPagamenti>").skip(1).collect();
    assert_eq!(entries.len(), 2, "{r}");
    for e in entries {
        assert!(e.contains("<codIpaEnte>c_demo</codIpaEnte>"));
        // Single base64 here, unlike ChiediPagati.
        let xml = String::from_utf8(unb64(&field(e, "ctPagatiConRicevuta").unwrap())).unwrap();
        validate_pay_i(&xml);
        let rt = String::from_utf8(unb64(&field(e, "rt").unwrap())).unwrap();
        assert!(rt.contains("paSendRTV2"));
    }
    let r = ask(
        "<dataFrom>2000-01-01T00:00:00</dataFrom><dataTo>2000-01-02T00:00:00</dataTo>",
        "demo",
    );
    validate_response(&r);
    assert!(!r.contains("<paaSILStoricoPagamenti>"));
    let r = ask(
        "<dataFrom>2001-01-01T00:00:00</dataFrom><dataTo>2000-01-01T00:00:00</dataTo>",
        "demo",
    );
    assert_eq!(
        fault_code(&r).as_deref(),
        Some("PAA_INTERVALLO_DATE_NON_VALIDO")
    );
    let r = ask("<dataFrom>2000-01-01T00:00:00</dataFrom>", "sbagliata");
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_ENTE_NON_VALIDO"));
}

#[test]
fn fifty_concurrent_soap_clients_are_all_served() {
    let sim = start();
    let r = importa_dovuto(&sim, &versamento_xml("CONC-1", "3.00", "I", ""), "");
    assert_eq!(field(&r, "esito").as_deref(), Some("OK"), "{r}");
    let url = sim.handle.soap_url();
    let errors: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..50)
            .map(|c| {
                let (url, http) = (url.clone(), sim.http.clone());
                s.spawn(move || {
                    let mut errors = Vec::new();
                    for i in 0..6 {
                        let (op, ipa, inner) = match (c + i) % 3 {
                            0 => (
                                "paaSILAutorizzaImportFlusso",
                                Some("c_demo"),
                                "<password>demo</password>".to_string(),
                            ),
                            1 => (
                                "paaSILChiediPosizioniAperte",
                                None,
                                format!("<password>demo</password>{}", person()),
                            ),
                            _ => (
                                "paaSILPrenotaExportFlusso",
                                Some("c_demo"),
                                "<password>demo</password><dateFrom>2026-01-01</dateFrom><dateTo>2026-12-31</dateTo>".to_string(),
                            ),
                        };
                        let resp = http
                            .post(&url)
                            .header("Content-Type", "text/xml; charset=utf-8")
                            .body(envelope(op, ipa, &inner))
                            .send()
                            .and_then(|r| Ok((r.status().as_u16(), r.text()?)));
                        match resp {
                            Ok((200, body)) if !body.contains("<fault>") => {}
                            other => errors.push(format!("{op}: {other:?}")),
                        }
                    }
                    errors
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        errors.is_empty(),
        "{} errori: {:?}",
        errors.len(),
        &errors[..errors.len().min(3)]
    );
}
