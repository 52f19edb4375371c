//! Single-debt operations with hand-written payloads: ImportaDovuto, ChiediPosizioniAperte,
//! VerificaAvviso and InviaDovuti with the pretend-citizen page, ChiediPagati(ConRicevuta),
//! RegistraPagamento.

use crate::common::*;

fn versamento(iud: &str, cf: &str, importo: &str, azione: &str, iuv: Option<&str>) -> String {
    let iuv = iuv
        .map(|i| {
            format!(
                "<pay_i:identificativoUnivocoVersamento>{i}</pay_i:identificativoUnivocoVersamento>"
            )
        })
        .unwrap_or_default();
    format!(
        r#"<pay_i:Versamento xmlns:pay_i="{PAY_I}"><pay_i:versioneOggetto>6.2.0</pay_i:versioneOggetto>
<pay_i:soggettoPagatore><pay_i:identificativoUnivocoPagatore><pay_i:tipoIdentificativoUnivoco>F</pay_i:tipoIdentificativoUnivoco>
<pay_i:codiceIdentificativoUnivoco>{cf}</pay_i:codiceIdentificativoUnivoco></pay_i:identificativoUnivocoPagatore>
<pay_i:anagraficaPagatore>MARIO ROSSI</pay_i:anagraficaPagatore></pay_i:soggettoPagatore>
<pay_i:datiVersamento><pay_i:dataEsecuzionePagamento>2099-12-31</pay_i:dataEsecuzionePagamento><pay_i:tipoVersamento>ALL</pay_i:tipoVersamento>{iuv}
<pay_i:identificativoUnivocoDovuto>{iud}</pay_i:identificativoUnivocoDovuto><pay_i:importoSingoloVersamento>{importo}</pay_i:importoSingoloVersamento>
<pay_i:identificativoTipoDovuto>MENSA</pay_i:identificativoTipoDovuto><pay_i:causaleVersamento>Mensa scolastica marzo</pay_i:causaleVersamento>
<pay_i:datiSpecificiRiscossione>9/0107101TS/</pay_i:datiSpecificiRiscossione></pay_i:datiVersamento><pay_i:azione>{azione}</pay_i:azione></pay_i:Versamento>"#
    )
}

const CF: &str = "RSSMRA80A01H501U";

fn importa(sim: &Sim, xml: &str, genera: bool) -> String {
    sim.soap(
        "paaSILImportaDovuto",
        &format!(
            "<password>demo</password><dovuto>{}</dovuto><flagGeneraIuv>{genera}</flagGeneraIuv>",
            b64(xml)
        ),
    )
}

#[test]
fn importa_dovuto_insert_modify_cancel_and_print() {
    let sim = start();
    validate_pay_i(&versamento("IUD-1", CF, "25.00", "I", None));
    let r = importa(&sim, &versamento("IUD-1", CF, "25.00", "I", None), true);
    validate_response(&r);
    assert_eq!(field(&r, "esito").as_deref(), Some("OK"), "{r}");
    let iuv = field(&r, "identificativoUnivocoVersamento").unwrap();
    assert!(iuv.starts_with("1200") && iuv.len() == 17);
    let (status, pdf) = sim.get_bytes(&field(&r, "urlFileAvviso").unwrap());
    assert_eq!(status, 200);
    assert!(pdf.starts_with(b"%PDF-"));
    // Same IUD again.
    let r = importa(&sim, &versamento("IUD-1", CF, "25.00", "I", None), true);
    assert_eq!(field(&r, "esito").as_deref(), Some("KO"));
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_IMPORT_IUD_DUPLICATO"));
    // Modify (the generated IUV is resent), print, cancel.
    let r = importa(
        &sim,
        &versamento("IUD-1", CF, "30.00", "M", Some(&iuv)),
        true,
    );
    assert_eq!(field(&r, "esito").as_deref(), Some("OK"), "{r}");
    // Printing (S) needs flagGeneraIuv false, so MyPay's own IUVs (`00` after the
    // segregation code) fail its IUV check: only the Ente's own IUVs can be printed.
    let r = importa(
        &sim,
        &versamento("IUD-1", CF, "30.00", "S", Some(&iuv)),
        false,
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_IUV_NON_VALIDO"));
    let own = mpd_domain::iuv::generate_iuv17("12", "01", 5).unwrap();
    let r = importa(
        &sim,
        &versamento("IUD-1S", CF, "9.00", "I", Some(&own)),
        false,
    );
    assert_eq!(field(&r, "esito").as_deref(), Some("OK"), "{r}");
    assert!(field(&r, "identificativoUnivocoVersamento").is_none());
    let r = importa(
        &sim,
        &versamento("IUD-1S", CF, "9.00", "S", Some(&own)),
        false,
    );
    assert_eq!(field(&r, "esito").as_deref(), Some("OK"), "{r}");
    let zip = unb64(&field(&r, "base64ZipAvviso").unwrap());
    let z = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    assert_eq!(
        z.name_for_index(0).unwrap().unwrap(),
        format!("avviso_00123456782_{own}.pdf")
    );
    let r = importa(
        &sim,
        &versamento("IUD-1", CF, "30.00", "A", Some(&iuv)),
        true,
    );
    assert_eq!(field(&r, "esito").as_deref(), Some("OK"), "{r}");
    let r = importa(
        &sim,
        &versamento("IUD-1", CF, "30.00", "M", Some(&iuv)),
        true,
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_SYSTEM_ERROR"));
}

#[test]
fn importa_dovuto_faults() {
    let sim = start();
    let r = sim.soap(
        "paaSILImportaDovuto",
        "<password>demo</password><dovuto>bm9uIMOoIFhNTA==</dovuto>",
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_XML_NON_VALIDO"));
    assert_eq!(field(&r, "esito").as_deref(), Some("KO"));
    // The XML is checked before the password.
    let r = sim.soap(
        "paaSILImportaDovuto",
        &format!("<password>no</password><dovuto>{}</dovuto>", b64("<x/>")),
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_XML_NON_VALIDO"));
    let r = sim.soap(
        "paaSILImportaDovuto",
        &format!(
            "<password>no</password><dovuto>{}</dovuto>",
            b64(&versamento("IUD-2", CF, "1.00", "I", None))
        ),
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_ENTE_NON_VALIDO"));
    let r = importa(&sim, &versamento("IUD-2", CF, "1.00", "X", None), false);
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_AZIONE_NON_VALIDO"));
    let r = importa(
        &sim,
        &versamento("IUD-2", "RSSMRA80A01H501X", "1.00", "I", None),
        false,
    );
    assert_eq!(
        fault_code(&r).as_deref(),
        Some("PAA_CODICE_FISCALE_NON_VALIDO")
    );
    let r = importa(&sim, &versamento("000IUD", CF, "1.00", "I", None), false);
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_IUD_NON_VALIDO"));
    let r = importa(
        &sim,
        &versamento("IUD-2", CF, "1.00", "I", Some("123")),
        false,
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_IUV_NON_VALIDO"));
    // Double base64 is accepted as MyPay does.
    let r = sim.soap(
        "paaSILImportaDovuto",
        &format!(
            "<password>demo</password><dovuto>{}</dovuto>",
            b64(&b64(&versamento("IUD-3", CF, "1.00", "I", None)))
        ),
    );
    assert_eq!(field(&r, "esito").as_deref(), Some("OK"), "{r}");
}

#[test]
fn posizioni_aperte_verifica_avviso_pay_and_chiedi_pagati() {
    let sim = start();
    let r = importa(&sim, &versamento("IUD-10", CF, "12.50", "I", None), true);
    let iuv = field(&r, "identificativoUnivocoVersamento").unwrap();
    let person = format!(
        "<identificativoUnivocoPersonaFG><pay_i:tipoIdentificativoUnivoco>F</pay_i:tipoIdentificativoUnivoco><pay_i:codiceIdentificativoUnivoco>{CF}</pay_i:codiceIdentificativoUnivoco></identificativoUnivocoPersonaFG>"
    );
    let r = sim.soap_body_only(
        "paaSILChiediPosizioniAperte",
        &format!("<password>demo</password>{person}"),
    );
    validate_response(&r);
    let dovuti = String::from_utf8(unb64(&field(&r, "dovuti").unwrap())).unwrap();
    validate_pay_i(&dovuti);
    assert!(dovuti.contains(&iuv));
    let r = sim.soap_body_only(
        "paaSILChiediPosizioniAperte",
        "<password>demo</password><identificativoUnivocoPersonaFG><pay_i:tipoIdentificativoUnivoco>X</pay_i:tipoIdentificativoUnivoco></identificativoUnivocoPersonaFG>",
    );
    assert_eq!(
        fault_code(&r).as_deref(),
        Some("PAA_TIPO_IDENTIFICATIVO_PAGATORE_NON_VALIDO")
    );

    let r = sim.soap(
        "paaSILVerificaAvviso",
        &format!("<password>demo</password><identificativoUnivocoVersamento>{iuv}</identificativoUnivocoVersamento><enteSILInviaRispostaPagamentoUrl>http://ente.example/esito</enteSILInviaRispostaPagamentoUrl>"),
    );
    validate_response(&r);
    assert_eq!(field(&r, "redirect").as_deref(), Some("1"));
    let id_session = field(&r, "idSession").unwrap();
    let url = field(&r, "url").unwrap();
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
    // The pretend citizen opens the page and pays.
    let (status, page) = sim.get_bytes(&url);
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("IUD-10"));
    let landing = url.split("id=").nth(1).unwrap();
    let r = sim
        .http
        .post(sim.url("/public/landing/inviaDovuti"))
        .form(&[("id", landing), ("esito", "OK")])
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(
        location,
        format!("http://ente.example/esito?idSession={id_session}&esito=OK")
    );
    let r = ask();
    validate_response(&r);
    let xml = String::from_utf8(unb64(
        std::str::from_utf8(&unb64(&field(&r, "pagati").unwrap())).unwrap(),
    ))
    .unwrap();
    validate_pay_i(&xml);
    assert!(
        xml.contains("<ns2:identificativoUnivocoDovuto>IUD-10</ns2:identificativoUnivocoDovuto>")
    );
    // Paid now: VerificaAvviso refuses it.
    let r = sim.soap(
        "paaSILVerificaAvviso",
        &format!("<password>demo</password><identificativoUnivocoVersamento>{iuv}</identificativoUnivocoVersamento>"),
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_IUV_NON_VALIDO"));
    let r = sim.soap_body_only(
        "paaSILChiediPagati",
        "<codIpaEnte>c_demo</codIpaEnte><password>demo</password><idSession>ignota</idSession>",
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_ID_SESSION_NON_VALIDO"));
}

fn dovuti_xml(iud: &str, iuv: bool) -> String {
    let iuv = if iuv {
        "<pay_i:identificativoUnivocoVersamento>12000000000000001</pay_i:identificativoUnivocoVersamento>"
    } else {
        ""
    };
    format!(
        r#"<pay_i:Dovuti xmlns:pay_i="{PAY_I}"><pay_i:versioneOggetto>6.2.0</pay_i:versioneOggetto><pay_i:soggettoPagatore><pay_i:identificativoUnivocoPagatore><pay_i:tipoIdentificativoUnivoco>F</pay_i:tipoIdentificativoUnivoco><pay_i:codiceIdentificativoUnivoco>{CF}</pay_i:codiceIdentificativoUnivoco></pay_i:identificativoUnivocoPagatore><pay_i:anagraficaPagatore>MARIO ROSSI</pay_i:anagraficaPagatore></pay_i:soggettoPagatore><pay_i:datiVersamento><pay_i:tipoVersamento>ALL</pay_i:tipoVersamento>{iuv}<pay_i:datiSingoloVersamento><pay_i:identificativoUnivocoDovuto>{iud}</pay_i:identificativoUnivocoDovuto><pay_i:importoSingoloVersamento>40.00</pay_i:importoSingoloVersamento><pay_i:identificativoTipoDovuto>COSAP</pay_i:identificativoTipoDovuto><pay_i:causaleVersamento>Occupazione suolo</pay_i:causaleVersamento><pay_i:datiSpecificiRiscossione>9/0101108TS/</pay_i:datiSpecificiRiscossione></pay_i:datiSingoloVersamento></pay_i:datiVersamento></pay_i:Dovuti>"#
    )
}

#[test]
fn invia_dovuti_cart_abandoned_then_iud_reused() {
    let sim = start();
    validate_pay_i(&dovuti_xml("WEB-1", false));
    let r = sim.soap(
        "paaSILInviaDovuti",
        &format!(
            "<password>demo</password><dovuti>{}</dovuti>",
            b64(&dovuti_xml("WEB-1", true))
        ),
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_IUV_NON_VALIDO"));
    let r = sim.soap(
        "paaSILInviaDovuti",
        &format!(
            "<password>demo</password><dovuti>{}</dovuti>",
            b64(&dovuti_xml("WEB-1", false))
        ),
    );
    validate_response(&r);
    assert_eq!(field(&r, "esito").as_deref(), Some("OK"), "{r}");
    let url = field(&r, "url").unwrap();
    let id_session = field(&r, "idSession").unwrap();
    let landing = url.split("id=").nth(1).unwrap();
    let r = sim
        .http
        .post(sim.url("/public/landing/inviaDovuti"))
        .form(&[("id", landing), ("esito", "ERROR")])
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let r = sim.soap_body_only(
        "paaSILChiediPagatiConRicevuta",
        &format!("<codIpaEnte>c_demo</codIpaEnte><password>demo</password><idSession>{id_session}</idSession>"),
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_PAGAMENTO_ANNULLATO"));
    let r = sim.soap(
        "paaSILInviaDovuti",
        &format!(
            "<password>demo</password><dovuti>{}</dovuti>",
            b64(&dovuti_xml("WEB-1", false))
        ),
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_IUD_DUPLICATO"));
    // Exactly one selector.
    let r = sim.soap_body_only(
        "paaSILChiediPagatiConRicevuta",
        "<codIpaEnte>c_demo</codIpaEnte><password>demo</password><idSession>a</idSession><identificativoUnivocoDovuto>b</identificativoUnivocoDovuto>",
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_SYSTEM_ERROR"));
}

#[test]
fn registra_pagamento_marks_a_debt_paid_outside_pagopa() {
    let sim = start();
    let r = importa(&sim, &versamento("IUD-20", CF, "18.00", "I", None), true);
    let iuv = field(&r, "identificativoUnivocoVersamento").unwrap();
    let r = sim.soap_body_only(
        "paaSILRegistraPagamento",
        &format!(
            "<codIpaEnte>c_demo</codIpaEnte><password>demo</password><identificativoUnivocoVersamento>{iuv}</identificativoUnivocoVersamento>\
             <singoloImportoPagato>18.00</singoloImportoPagato><dataEsitoSingoloPagamento>2026-11-20</dataEsitoSingoloPagamento>\
             <identificativoUnivocoRiscossione>CONTANTI-1</identificativoUnivocoRiscossione><tipoIstitutoAttestante>B</tipoIstitutoAttestante>\
             <codiceIstitutiAttestante>UNCRITMM</codiceIstitutiAttestante><denominazioneAttestante>Tesoreria</denominazioneAttestante>"
        ),
    );
    validate_response(&r);
    assert_eq!(field(&r, "esito").as_deref(), Some("OK"), "{r}");
    let r = sim.soap_body_only(
        "paaSILChiediPagatiConRicevuta",
        "<codIpaEnte>c_demo</codIpaEnte><password>demo</password><identificativoUnivocoDovuto>IUD-20</identificativoUnivocoDovuto>",
    );
    let xml = String::from_utf8(unb64(
        std::str::from_utf8(&unb64(&field(&r, "pagati").unwrap())).unwrap(),
    ))
    .unwrap();
    assert!(
        xml.contains("PAGATO CON RENDICONTAZIONE 9") && xml.contains("CONTANTI-1"),
        "{xml}"
    );
    // By payment date 2026-11-20 the export finds it.
    let r = sim.soap(
        "paaSILPrenotaExportFlusso",
        "<password>demo</password><dateFrom>2026-11-20</dateFrom><dateTo>2026-11-20</dateTo>",
    );
    let resp = sim.wait_export(&field(&r, "requestToken").unwrap());
    assert_eq!(field(&resp, "stato").as_deref(), Some("EXPORT_ESEGUITO"));
    let (_, zip) = sim.get_bytes(&field(&resp, "downloadUrl").unwrap());
    let (entry, export) = unzip_single(&zip);
    assert!(
        entry.contains("_ESTRAZIONE_DOVUTI_") && !entry.starts_with("c_demo"),
        "1.0 names have no IPA: {entry}"
    );
    assert!(export.contains("\"CONTANTI-1\""));
}
