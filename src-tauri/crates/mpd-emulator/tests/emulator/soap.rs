//! SOAP layer: WSDL and XSD served, dispatch on the payload root, the header, the password
//! check of spec §2.3, business faults in MyPay's shape, unsupported operations.

use crate::common::*;

#[test]
fn wsdl_and_xsd_are_served_with_the_address_rewritten() {
    let sim = start();
    let (status, body) = sim.get_bytes(&sim.handle.wsdl_url());
    assert_eq!(status, 200);
    let wsdl = String::from_utf8(body).unwrap();
    assert!(wsdl.contains(&format!(
        "<soap:address location=\"{}/ws/pa/\"/>",
        sim.handle.base_url
    )));
    assert!(wsdl.contains("paaSILAutorizzaImportFlusso"));
    let (status, xsd) = sim.get_bytes(&sim.url("/ws/pa/PagInf_Dovuti_Pagati_6_2_0.xsd"));
    assert_eq!(status, 200);
    assert!(
        String::from_utf8(xsd)
            .unwrap()
            .contains("name=\"Versamento\"")
    );
}

#[test]
fn autorizza_import_answers_the_four_fields_and_validates() {
    let sim = start();
    let resp = sim.soap("paaSILAutorizzaImportFlusso", "<password>demo</password>");
    validate_response(&resp);
    assert!(resp.contains(&format!("xmlns:ns2=\"{PPT}\"")));
    assert_eq!(
        field(&resp, "uploadUrl").unwrap(),
        sim.url("/public/mybox/uploadFlusso")
    );
    assert_eq!(field(&resp, "requestToken").unwrap().len(), 36);
    assert_eq!(field(&resp, "importPath").unwrap(), "/IMPORT");
    assert_eq!(
        field(&resp, "authorizationToken")
            .unwrap()
            .split('.')
            .count(),
        3
    );
    assert!(fault_code(&resp).is_none());
}

#[test]
fn any_path_under_ws_is_the_endpoint() {
    let sim = start();
    let r = sim
        .http
        .post(sim.url("/ws/qualsiasi/percorso"))
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(envelope(
            "paaSILAutorizzaImportFlusso",
            Some("c_demo"),
            "<password>demo</password>",
        ))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().unwrap().contains("<requestToken>"));
}

#[test]
fn wrong_password_and_unknown_ente_are_business_faults_with_the_ipa_as_id() {
    let sim = start();
    let resp = sim.soap(
        "paaSILAutorizzaImportFlusso",
        "<password>sbagliata</password>",
    );
    assert_eq!(fault_code(&resp).as_deref(), Some("PAA_ENTE_NON_VALIDO"));
    assert_eq!(
        field(&resp, "faultString").as_deref(),
        Some("Password non valida per ente [c_demo]")
    );
    assert_eq!(field(&resp, "id").as_deref(), Some("c_demo"));
    // MyPay's fault shape omits the fields the WSDL calls mandatory.
    assert!(field(&resp, "uploadUrl").is_none());
    let (status, resp) = sim.post_soap(
        "paaSILAutorizzaImportFlusso",
        envelope(
            "paaSILAutorizzaImportFlusso",
            Some("c_ignoto"),
            "<password>demo</password>",
        ),
    );
    assert_eq!(status, 200);
    assert_eq!(fault_code(&resp).as_deref(), Some("PAA_ENTE_NON_VALIDO"));
    assert_eq!(
        field(&resp, "faultString").as_deref(),
        Some("Codice IPA Ente [c_ignoto] non valido o password errata")
    );
}

#[test]
fn a_qualified_password_is_ignored_as_jaxb_does() {
    let sim = start();
    let resp = sim.soap(
        "paaSILAutorizzaImportFlusso",
        "<ppt:password>demo</ppt:password>",
    );
    assert_eq!(fault_code(&resp).as_deref(), Some("PAA_ENTE_NON_VALIDO"));
}

#[test]
fn passwords_are_trimmed_and_an_ente_without_password_accepts_none() {
    let sim = start_with(|o| {
        let mut e = mpd_emulator::EnteConfig::demo();
        e.password = None;
        o.enti = vec![e];
    });
    let resp = sim.soap("paaSILAutorizzaImportFlusso", "");
    assert!(fault_code(&resp).is_none(), "{resp}");
    let sim = start();
    let resp = sim.soap(
        "paaSILAutorizzaImportFlusso",
        "<password>  demo </password>",
    );
    assert!(fault_code(&resp).is_none(), "{resp}");
}

#[test]
fn a_missing_header_is_a_soap_fault() {
    let sim = start();
    let (status, resp) = sim.post_soap(
        "paaSILAutorizzaImportFlusso",
        envelope(
            "paaSILAutorizzaImportFlusso",
            None,
            "<password>demo</password>",
        ),
    );
    assert_eq!(status, 500);
    assert!(
        resp.contains("<faultcode>SOAP-ENV:Server</faultcode>"),
        "{resp}"
    );
}

#[test]
fn unsupported_and_unknown_operations_have_no_endpoint() {
    let sim = start();
    // paaSILChiediAvvisiPendenti is in the WSDL but has no endpoint in MyPay: Spring-WS
    // answers it as any unknown root, HTTP 404 with an empty body.
    for op in ["paaSILChiediAvvisiPendenti", "operazioneInventata"] {
        let (status, body) = sim.post_soap(
            op,
            envelope(op, Some("c_demo"), "<password>demo</password>"),
        );
        assert_eq!(status, 404, "{op}");
        assert!(body.is_empty());
    }
    // A payload root outside the ppt namespace has no endpoint either.
    let body = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x:paaSILAutorizzaImportFlusso xmlns:x="urn:altro"/></s:Body></s:Envelope>"#;
    assert_eq!(sim.post_soap("x", body.to_string()).0, 404);
}

#[test]
fn soap_12_gets_a_version_mismatch() {
    let sim = start();
    let body = r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><p:paaSILAutorizzaImportFlusso xmlns:p="http://www.regione.veneto.it/pagamenti/ente/"/></e:Body></e:Envelope>"#;
    let (status, resp) = sim.post_soap("x", body.to_string());
    assert_eq!(status, 500);
    assert!(resp.contains("VersionMismatch"));
}

#[test]
fn stato_import_of_an_unknown_token_and_of_another_ente() {
    let sim = start();
    let resp = sim.soap(
        "paaSILChiediStatoImportFlusso",
        "<requestToken>non-esiste</requestToken><password>demo</password>",
    );
    assert_eq!(
        fault_code(&resp).as_deref(),
        Some("PAA_REQUEST_TOKEN_NON_VALIDO")
    );
    assert_eq!(
        field(&resp, "faultString").as_deref(),
        Some("nessun record trovato per Ente [c_demo] e requestToken [non-esiste]")
    );
    assert!(field(&resp, "stato").is_none());
}

#[test]
fn export_booking_checks_in_mypay_order() {
    let sim = start();
    let book = |inner: &str| {
        sim.soap(
            "paaSILPrenotaExportFlusso",
            &format!("<password>demo</password>{inner}"),
        )
    };
    let r = book("<dateTo>2026-01-31</dateTo>");
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_DATE_FROM_NON_VALIDO"));
    let r = book("<dateFrom>2026-01-01</dateFrom>");
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_DATE_TO_NON_VALIDO"));
    let r = book("<dateFrom>2026-02-01</dateFrom><dateTo>2026-01-01</dateTo>");
    assert_eq!(
        fault_code(&r).as_deref(),
        Some("PAA_INTERVALLO_DATE_NON_VALIDO")
    );
    let r = book(
        "<dateFrom>2026-01-01</dateFrom><dateTo>2026-01-31</dateTo><identificativoTipoDovuto>NESSUNO</identificativoTipoDovuto>",
    );
    assert_eq!(
        fault_code(&r).as_deref(),
        Some("PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_VALIDO")
    );
    let r = book(
        "<dateFrom>2026-01-01</dateFrom><dateTo>2026-01-31</dateTo><versioneTracciato>1.4</versioneTracciato>",
    );
    assert_eq!(
        fault_code(&r).as_deref(),
        Some("PAA_VERSIONE_TRACCIATO_NON_VALIDA")
    );
    let r = book(
        "<dateFrom>2026-01-01</dateFrom><dateTo>2026-01-31</dateTo><identificativoTipoDovuto>TARI</identificativoTipoDovuto><versioneTracciato>1.3</versioneTracciato>",
    );
    validate_response(&r);
    assert_eq!(field(&r, "requestToken").unwrap().len(), 36);
}

#[test]
fn incremental_booking_returns_date_to_and_checks_the_mypivot_password() {
    let sim = start();
    let r = sim.soap(
        "paaSILPrenotaExportFlussoIncrementaleConRicevuta",
        "<password>demo</password><dateFrom>2026-01-01T00:00:00</dateFrom><ricevuta>true</ricevuta><incrementale>true</incrementale>",
    );
    validate_response(&r);
    assert!(field(&r, "dateTo").is_some());
    let r = sim.soap(
        "paaSILPrenotaExportFlussoIncrementaleConRicevuta",
        "<password>demo</password><dateFrom>2026-01-01T00:00:00</dateFrom><ricevuta>true</ricevuta><incrementale>true</incrementale><passwordMypivot>pivotxyz1</passwordMypivot>",
    );
    assert_eq!(
        fault_code(&r).as_deref(),
        Some("CODE_PAA_PASSWORD_ALLINEAMENTO_MYPIVOT_NON_VALIDA")
    );
    assert_eq!(field(&r, "id").as_deref(), Some("pivotxyz1"));
}

#[test]
fn an_ente_inserito_fails_the_state_check_only_where_mypay_checks_it() {
    let sim = start_with(|o| {
        let mut e = mpd_emulator::EnteConfig::demo();
        e.stato = "INSERITO".into();
        o.enti = vec![e];
    });
    let r = sim.soap(
        "paaSILPrenotaExportFlusso",
        "<password>demo</password><dateFrom>2026-01-01</dateFrom><dateTo>2026-01-31</dateTo>",
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_ENTE_NON_VALIDO"));
    assert_eq!(
        field(&r, "faultString").as_deref(),
        Some("Stato Ente non valido: INSERITO")
    );
    // AutorizzaImportFlusso does not check the state.
    let r = sim.soap("paaSILAutorizzaImportFlusso", "<password>demo</password>");
    assert!(fault_code(&r).is_none());
}

#[test]
fn profiles_from_toml_with_password_and_several_enti() {
    let toml = r#"
[ente]
codice_ipa = "c_x123"
codice_fiscale = "00123456789"
denominazione = "Comune di Esempio"
codice_segregazione = "47"
password = "Segreta123!"

[[tipi_dovuto]]
codice = "TARI"
descrizione = "Tassa rifiuti"
dati_specifici_riscossione = "9/0101100IM/"
"#;
    let other = mpd_emulator::EnteConfig::from_toml(toml).unwrap();
    assert_eq!(other.password.as_deref(), Some("Segreta123!"));
    let sim = start_with(|o| o.enti = vec![mpd_emulator::EnteConfig::demo(), other]);
    let (_, r) = sim.post_soap(
        "paaSILAutorizzaImportFlusso",
        envelope(
            "paaSILAutorizzaImportFlusso",
            Some("c_x123"),
            "<password>Segreta123!</password>",
        ),
    );
    assert!(fault_code(&r).is_none(), "{r}");
    let (_, r) = sim.post_soap(
        "paaSILAutorizzaImportFlusso",
        envelope(
            "paaSILAutorizzaImportFlusso",
            Some("c_x123"),
            "<password>demo</password>",
        ),
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_ENTE_NON_VALIDO"));
}

#[test]
fn fifty_concurrent_clients_are_served_without_error() {
    let sim = start();
    let url = sim.handle.soap_url();
    let handles: Vec<_> = (0..50)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                let c = reqwest::blocking::Client::new();
                let mut ok = 0;
                for _ in 0..4 {
                    let r = c
                        .post(&url)
                        .header("Content-Type", "text/xml; charset=utf-8")
                        .body(envelope(
                            "paaSILAutorizzaImportFlusso",
                            Some("c_demo"),
                            "<password>demo</password>",
                        ))
                        .send()
                        .unwrap();
                    if r.status().as_u16() == 200 && r.text().unwrap().contains("<requestToken>") {
                        ok += 1;
                    }
                }
                ok
            })
        })
        .collect();
    let ok: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(ok, 200);
}
