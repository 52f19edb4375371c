//! Flow life cycle and payload rules: annulment of a flow, a flow still being loaded blocking
//! another with the same IUF, XSD validation of the base64 payloads (judged against xmllint),
//! and the 1_4 secondary beneficiary stored and returned.

use mpd_domain::{Column, RawRow, Version};

use crate::common::*;

fn upload_rows(sim: &Sim, name: &str, version: Version, rows: &[RawRow]) -> String {
    let (token, json) = sim.upload(
        &format!("{name}.zip"),
        zip_of(&format!("{name}.csv"), &csv(version, rows, &[])),
    );
    assert!(json[0]["fileName"].is_string(), "{json}");
    token
}

fn with_prefix(mut rows: Vec<RawRow>, prefix: &str) -> Vec<RawRow> {
    for (i, r) in rows.iter_mut().enumerate() {
        r.set(Column::Iud, format!("{prefix}-{i}"));
    }
    rows
}

fn export_today(sim: &Sim, ipa: &str, password: &str, extra: &str) -> String {
    let today = chrono::Local::now().date_naive();
    let (_, r) = sim.post_soap(
        "paaSILPrenotaExportFlusso",
        envelope(
            "paaSILPrenotaExportFlusso",
            Some(ipa),
            &format!("<password>{password}</password><dateFrom>{today}</dateFrom><dateTo>{today}</dateTo>{extra}"),
        ),
    );
    let token = field(&r, "requestToken").expect(&r);
    loop {
        let (_, r) = sim.post_soap(
            "paaSILChiediStatoExportFlusso",
            envelope(
                "paaSILChiediStatoExportFlusso",
                Some(ipa),
                &format!("<password>{password}</password><requestToken>{token}</requestToken>"),
            ),
        );
        let stato = field(&r, "stato").unwrap_or_default();
        if stato != "LOAD_EXPORT" && stato != "EXPORT_IN_ELAB" {
            return r;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

fn annulla(sim: &Sim, iuf: &str) -> (u16, serde_json::Value) {
    let r = sim
        .http
        .post(sim.url("/sim/flussi/annulla"))
        .json(&serde_json::json!({ "ente": "c_demo", "iuf": iuf }))
        .send()
        .unwrap();
    (r.status().as_u16(), r.json().unwrap())
}

#[test]
fn annulment_of_a_flow_cancels_its_open_debts_and_frees_its_iuf() {
    let sim = start();
    let flow = with_prefix(rows(6, 21, Version::V1_4), "ANN");
    let token = upload_rows(&sim, "c_demo-ANN-1_4", Version::V1_4, &flow);
    let resp = sim.wait_import(&token);
    assert_eq!(field(&resp, "stato").as_deref(), Some("IMPORT_ESEGUITO"));
    let (_, zip) = sim.get_bytes(&field(&resp, "urlFileIUV").unwrap());
    let iuvs: Vec<String> = unzip_single(&zip)
        .1
        .lines()
        .skip(1)
        .map(|l| l.split(';').nth(1).unwrap().to_string())
        .collect();
    let paid = mpd_emulator::remote_pay(
        &sim.handle.base_url,
        &mpd_emulator::PayRequest {
            ente: "c_demo".into(),
            share: Some(0.5),
            seed: Some(5),
            data: None,
            iud: Vec::new(),
            ..Default::default()
        },
    )
    .unwrap();
    let n_paid = paid.pagati.len();
    assert!(n_paid > 0 && n_paid < 6);
    let exp = export_today(&sim, "c_demo", "demo", "");
    assert_eq!(field(&exp, "stato").as_deref(), Some("EXPORT_ESEGUITO"));
    // The same IUF cannot be loaded twice while the flow is loaded.
    let again = with_prefix(rows(2, 22, Version::V1_3), "ANN2");
    let t = upload_rows(&sim, "c_demo-ANN-1_2", Version::V1_3, &again);
    assert_eq!(
        field(&sim.wait_import(&t), "stato").as_deref(),
        Some("PAA_IMPORT_FLUSSO_DUPLICATO")
    );

    let (status, json) = annulla(&sim, "ANN");
    assert_eq!(status, 200, "{json}");
    assert_eq!(json["annullati"], 6 - n_paid);
    // Unpaid debts are gone: not payable any more.
    let unpaid = iuvs
        .iter()
        .find(|i| !paid.pagati.iter().any(|p| &&p.iuv == i))
        .unwrap();
    let r = sim.soap(
        "paaSILVerificaAvviso",
        &format!("<password>demo</password><identificativoUnivocoVersamento>{unpaid}</identificativoUnivocoVersamento>"),
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_IUV_NON_VALIDO"));
    assert_eq!(pay_all(&sim, "c_demo")["aperti"], 0);
    // Paid ones leave the exports, which select only debts of loaded flows.
    let exp = export_today(&sim, "c_demo", "demo", "");
    assert_eq!(
        field(&exp, "stato").as_deref(),
        Some("EXPORT_ESEGUITO_NESSUN_DOVUTO_TROVATO")
    );
    // Not twice; and the IUF can be loaded again.
    assert_eq!(annulla(&sim, "ANN").0, 404);
    assert_eq!(annulla(&sim, "IGNOTO").0, 404);
    let t = upload_rows(&sim, "c_demo-ANN-1_3", Version::V1_3, &again);
    assert_eq!(
        field(&sim.wait_import(&t), "stato").as_deref(),
        Some("IMPORT_ESEGUITO")
    );
    // The payments of the cancelled flow stay out of the exports after the IUF is reloaded.
    assert_eq!(
        pay_all(&sim, "c_demo")["pagati"].as_array().unwrap().len(),
        2
    );
    let exp = export_today(&sim, "c_demo", "demo", "");
    let (_, zip) = sim.get_bytes(&field(&exp, "downloadUrl").expect(&exp));
    let export = unzip_single(&zip).1;
    assert_eq!(export.lines().count(), 3, "{export}");
    assert!(
        export.contains("\"ANN2-0\"") && !export.contains("\"ANN-"),
        "{export}"
    );
}

#[test]
fn a_flow_still_being_loaded_blocks_another_with_the_same_iuf() {
    let sim = start_with(|o| o.faults.sync_secs = 3);
    let a = upload_rows(
        &sim,
        "c_demo-LOAD-1_4",
        Version::V1_4,
        &with_prefix(rows(3, 31, Version::V1_4), "LA"),
    );
    let b = upload_rows(
        &sim,
        "c_demo-LOAD-1_3",
        Version::V1_3,
        &with_prefix(rows(3, 32, Version::V1_3), "LB"),
    );
    let rb = sim.wait_import(&b);
    validate_response(&rb);
    assert_eq!(
        field(&rb, "stato").as_deref(),
        Some("PAA_IMPORT_FLUSSO_IN_CARICAMENTO")
    );
    // A is processed but waits for its (emulated) pagoPA sync.
    let ra = sim.soap(
        "paaSILChiediStatoImportFlusso",
        &format!("<requestToken>{a}</requestToken><password>demo</password>"),
    );
    assert_eq!(field(&ra, "stato").as_deref(), Some("IMPORT_IN_ELAB"));
    let ra = sim.wait_import(&a);
    assert_eq!(field(&ra, "stato").as_deref(), Some("IMPORT_ESEGUITO"));
    assert!(field(&ra, "urlFileIUV").is_some());
    // Once loaded, the IUF is a duplicate instead.
    let c = upload_rows(
        &sim,
        "c_demo-LOAD-1_2",
        Version::V1_3,
        &with_prefix(rows(1, 33, Version::V1_3), "LC"),
    );
    assert_eq!(
        field(&sim.wait_import(&c), "stato").as_deref(),
        Some("PAA_IMPORT_FLUSSO_DUPLICATO")
    );
}

#[test]
fn base64_payloads_are_validated_like_xmllint_does_with_the_contract_xsd() {
    let sim = start();
    let bil = |imp: &str| {
        format!(
            "<pay_i:bilancio><pay_i:capitolo><pay_i:codCapitolo>C1</pay_i:codCapitolo><pay_i:accertamento><pay_i:importo>{imp}</pay_i:importo></pay_i:accertamento></pay_i:capitolo></pay_i:bilancio>"
        )
    };
    let base = versamento_xml("X", "25.00", "I", "");
    let cases: Vec<(&str, String)> = vec![
        ("valido", base.clone()),
        ("importo senza decimali", versamento_xml("X", "25", "I", "")),
        ("importo con virgola", versamento_xml("X", "25,00", "I", "")),
        ("azione di due caratteri", versamento_xml("X", "25.00", "II", "")),
        (
            "commissione a un decimale",
            versamento_xml(
                "X",
                "25.00",
                "I",
                "<pay_i:commissioneCaricoPA>1.5</pay_i:commissioneCaricoPA>",
            ),
        ),
        (
            "commissione valida",
            versamento_xml(
                "X",
                "25.00",
                "I",
                "<pay_i:commissioneCaricoPA>1.50</pay_i:commissioneCaricoPA>",
            ),
        ),
        (
            "elemento inatteso",
            versamento_xml("X", "25.00", "I", "<pay_i:sconosciuto>1</pay_i:sconosciuto>"),
        ),
        (
            "ordine sbagliato",
            base.replace(
                "<pay_i:identificativoTipoDovuto>MENSA</pay_i:identificativoTipoDovuto><pay_i:causaleVersamento>Mensa scolastica</pay_i:causaleVersamento>",
                "<pay_i:causaleVersamento>Mensa scolastica</pay_i:causaleVersamento><pay_i:identificativoTipoDovuto>MENSA</pay_i:identificativoTipoDovuto>",
            ),
        ),
        (
            "azione mancante",
            base.replace("<pay_i:azione>I</pay_i:azione>", ""),
        ),
        (
            "data impossibile",
            base.replace("2099-12-31", "2099-13-01"),
        ),
        (
            "nazione minuscola",
            base.replace(
                "</pay_i:anagraficaPagatore>",
                "</pay_i:anagraficaPagatore><pay_i:nazionePagatore>it</pay_i:nazionePagatore>",
            ),
        ),
        (
            "email senza dominio",
            base.replace(
                "</pay_i:anagraficaPagatore>",
                "</pay_i:anagraficaPagatore><pay_i:e-mailPagatore>mario@</pay_i:e-mailPagatore>",
            ),
        ),
        (
            "email valida",
            base.replace(
                "</pay_i:anagraficaPagatore>",
                "</pay_i:anagraficaPagatore><pay_i:e-mailPagatore>mario.rossi@example.it</pay_i:e-mailPagatore>",
            ),
        ),
        (
            "causale troppo lunga",
            base.replace("Mensa scolastica", &"x".repeat(1025)),
        ),
        (
            "dati specifici fuori pattern",
            base.replace("9/0107101TS/", "5/0107101TS/"),
        ),
        (
            "bilancio con importo zero",
            base.replace(
                "</pay_i:datiSpecificiRiscossione>",
                &format!("</pay_i:datiSpecificiRiscossione>{}", bil("0.00")),
            ),
        ),
        (
            "bilancio valido",
            base.replace(
                "</pay_i:datiSpecificiRiscossione>",
                &format!("</pay_i:datiSpecificiRiscossione>{}", bil("25.00")),
            ),
        ),
        ("radice sbagliata", base.replace("Versamento", "Versamenti")),
        (
            "testo in un elemento complesso",
            base.replace("<pay_i:azione>", "testo<pay_i:azione>"),
        ),
    ];
    let mut refused = 0;
    for (i, (what, xml)) in cases.iter().enumerate() {
        let xml = xml.replace(
            "<pay_i:identificativoUnivocoDovuto>X<",
            &format!("<pay_i:identificativoUnivocoDovuto>XSD-{i}<"),
        );
        let expected = xmllint_accepts("PagInf_Dovuti_Pagati_6_2_0.xsd", &xml);
        let r = importa_dovuto(&sim, &xml, "");
        let code = fault_code(&r);
        let emulator = code.as_deref() != Some("PAA_XML_NON_VALIDO");
        assert_eq!(
            emulator, expected,
            "{what}: xmllint {expected}, emulatore {r}"
        );
        if !expected {
            refused += 1;
            assert_eq!(field(&r, "esito").as_deref(), Some("KO"));
            assert!(
                field(&r, "description").is_some_and(|d| !d.is_empty()),
                "{r}"
            );
        } else {
            assert_eq!(field(&r, "esito").as_deref(), Some("OK"), "{what}: {r}");
        }
    }
    assert!(refused >= 12, "{refused}");
    // The same check guards paaSILInviaDovuti's Dovuti.
    let dovuti = format!(
        r#"<pay_i:Dovuti xmlns:pay_i="{PAY_I}"><pay_i:versioneOggetto>6.2.0</pay_i:versioneOggetto><pay_i:soggettoPagatore><pay_i:identificativoUnivocoPagatore><pay_i:tipoIdentificativoUnivoco>F</pay_i:tipoIdentificativoUnivoco><pay_i:codiceIdentificativoUnivoco>RSSMRA80A01H501U</pay_i:codiceIdentificativoUnivoco></pay_i:identificativoUnivocoPagatore><pay_i:anagraficaPagatore>MARIO ROSSI</pay_i:anagraficaPagatore></pay_i:soggettoPagatore><pay_i:datiVersamento><pay_i:tipoVersamento>ALL</pay_i:tipoVersamento><pay_i:datiSingoloVersamento><pay_i:identificativoUnivocoDovuto>WEBX</pay_i:identificativoUnivocoDovuto><pay_i:importoSingoloVersamento>40</pay_i:importoSingoloVersamento><pay_i:identificativoTipoDovuto>COSAP</pay_i:identificativoTipoDovuto><pay_i:causaleVersamento>Occupazione</pay_i:causaleVersamento><pay_i:datiSpecificiRiscossione>9/0101108TS/</pay_i:datiSpecificiRiscossione></pay_i:datiSingoloVersamento></pay_i:datiVersamento></pay_i:Dovuti>"#
    );
    assert!(!xmllint_accepts("PagInf_Dovuti_Pagati_6_2_0.xsd", &dovuti));
    let r = sim.soap(
        "paaSILInviaDovuti",
        &format!("<password>demo</password><dovuti>{}</dovuti>", b64(&dovuti)),
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_XML_NON_VALIDO"), "{r}");
    assert!(
        field(&r, "description")
            .unwrap()
            .contains("importoSingoloVersamento")
    );
}

fn secondario_xml(dsr: &str) -> String {
    format!(
        r#"<pay_i:DovutiEntiSecondari xmlns:pay_i="{PAY_I}"><pay_i:versioneOggetto>6.2.0</pay_i:versioneOggetto><pay_i:datiVersamentoEntiSecondari><pay_i:codiceFiscaleBeneficiario>00987654324</pay_i:codiceFiscaleBeneficiario><pay_i:denominazioneBeneficiario>Comune Altro</pay_i:denominazioneBeneficiario><pay_i:ibanAccreditoBeneficiario>IT60X0542811101000000123456</pay_i:ibanAccreditoBeneficiario><pay_i:causaleVersamento>Quota comune altro</pay_i:causaleVersamento><pay_i:datiSpecificiRiscossione>{dsr}</pay_i:datiSpecificiRiscossione><pay_i:importoSingoloVersamento>5.00</pay_i:importoSingoloVersamento></pay_i:datiVersamentoEntiSecondari></pay_i:DovutiEntiSecondari>"#
    )
}

#[test]
fn the_secondary_beneficiary_is_stored_and_returned() {
    let sim = start_with(|o| {
        o.enti = vec![mpd_emulator::EnteConfig::demo(), ente_altro()];
    });
    // In a 1_4 flow: the _IUV line of a multi-beneficiary row carries the 13 columns.
    let mut rs = with_prefix(rows(2, 41, Version::V1_4), "MB");
    let r = &mut rs[0];
    r.set(Column::FlagMultiBeneficiario, "true");
    r.set(Column::CodiceFiscaleEnteSecondario, "00987654324");
    r.set(Column::DenominazioneEnteSecondario, "Comune Altro");
    r.set(
        Column::IbanAccreditoEnteSecondario,
        "IT60X0542811101000000123456",
    );
    r.set(
        Column::DatiSpecificiRiscossioneEnteSecondario,
        "9/0101108TS/",
    );
    r.set(
        Column::CausaleVersamentoEnteSecondario,
        "Quota comune altro",
    );
    r.set(Column::ImportoVersamentoEnteSecondario, "1.00");
    let token = upload_rows(&sim, "c_demo-MULTI-1_4", Version::V1_4, &rs);
    let resp = sim.wait_import(&token);
    assert!(field(&resp, "urlFileScarti").is_none(), "{resp}");
    let (_, zip) = sim.get_bytes(&field(&resp, "urlFileIUV").unwrap());
    let iuv_csv = unzip_single(&zip).1;
    let lines: Vec<Vec<&str>> = iuv_csv
        .lines()
        .skip(1)
        .map(|l| l.split(';').collect())
        .collect();
    let multi = lines.iter().find(|f| f[0] == "MB-0").unwrap();
    assert_eq!(multi.len(), 35, "{iuv_csv}");
    assert!(multi.contains(&"00987654324") && multi.contains(&"1.00"));
    assert_eq!(lines.iter().find(|f| f[0] == "MB-1").unwrap().len(), 22);

    // Through paaSILImportaDovuto: one secondary beneficiary at most, XSD-valid, known taxonomy.
    let lista = |xmls: &[String]| {
        let els: String = xmls
            .iter()
            .map(|x| {
                format!(
                    "<elementoListaDovutiEntiSecondari><dovutiEntiSecondari>{}</dovutiEntiSecondari></elementoListaDovutiEntiSecondari>",
                    b64(x)
                )
            })
            .collect();
        format!("<listaDovutiEntiSecondari>{els}</listaDovutiEntiSecondari>")
    };
    let ok = secondario_xml("9/0101108TS/");
    validate_pay_i(&ok);
    let r = importa_dovuto(
        &sim,
        &versamento_xml("MB-S1", "25.00", "I", ""),
        &lista(&[ok.clone(), ok.clone()]),
    );
    assert_eq!(
        fault_code(&r).as_deref(),
        Some("PAA_LIMITAZIONE_ENTI_SECONDARI_ERROR")
    );
    let r = importa_dovuto(
        &sim,
        &versamento_xml("MB-S1", "25.00", "I", ""),
        &lista(&[ok.replace("5.00", "5")]),
    );
    assert_eq!(fault_code(&r).as_deref(), Some("PAA_XML_NON_VALIDO"));
    let r = importa_dovuto(
        &sim,
        &versamento_xml("MB-S1", "25.00", "I", ""),
        &lista(&[secondario_xml("9/0000000XX/")]),
    );
    assert_eq!(
        fault_code(&r).as_deref(),
        Some("PAA_DATI_SPECIFICI_RISCOSSIONE_NON_VALIDO"),
        "{r}"
    );
    let r = importa_dovuto(
        &sim,
        &versamento_xml("MB-S1", "25.00", "I", ""),
        &lista(std::slice::from_ref(&ok)),
    );
    assert_eq!(field(&r, "esito").as_deref(), Some("OK"), "{r}");
    let iuv = field(&r, "identificativoUnivocoVersamento").unwrap();

    // Paid: the receipt has the secondary transfer, and the secondary Ente's
    // EXPORT_ENTE_SECONDARIO export (version 1.3) returns its share with the primary Ente.
    pay_all(&sim, "c_demo");
    let r = sim.soap_body_only(
        "paaSILChiediPagatiConRicevuta",
        &format!("<codIpaEnte>c_demo</codIpaEnte><password>demo</password><identificativoUnivocoVersamento>{iuv}</identificativoUnivocoVersamento>"),
    );
    let rt = String::from_utf8(unb64(&field(&r, "rt").unwrap())).unwrap();
    assert!(rt.contains("<idTransfer>2</idTransfer><transferAmount>5.00</transferAmount><fiscalCodePA>00987654324</fiscalCodePA>"), "{rt}");
    let exp = export_today(
        &sim,
        "c_altro",
        "altro",
        "<identificativoTipoDovuto>EXPORT_ENTE_SECONDARIO</identificativoTipoDovuto><versioneTracciato>1.3</versioneTracciato>",
    );
    validate_response(&exp);
    let (_, zip) = sim.get_bytes(&field(&exp, "downloadUrl").expect(&exp));
    let export = unzip_single(&zip).1;
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(export.as_bytes());
    let header = rd.headers().unwrap().clone();
    let col = |rec: &csv::StringRecord, name: &str| {
        rec[header.iter().position(|h| h == name).unwrap()].to_string()
    };
    let recs: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(recs.len(), 2, "{export}");
    let rec = recs.iter().find(|r| col(r, "codIud") == "MB-S1").unwrap();
    assert_eq!(col(rec, "tipoDovuto"), "EXPORT_ENTE_SECONDARIO");
    assert_eq!(col(rec, "singoloImportoPagato"), "5.00");
    assert_eq!(col(rec, "cod_fiscale_pa1"), "00123456782");
    assert_eq!(col(rec, "de_nome_pa1"), "Comune Dimostrativo");
    assert_eq!(
        col(rec, "enteBenefCodiceIdentificativoUnivoco"),
        "00987654324"
    );
    // The primary Ente's own export does not list the secondary rows.
    let exp = export_today(&sim, "c_altro", "altro", "");
    assert_eq!(
        field(&exp, "stato").as_deref(),
        Some("EXPORT_ESEGUITO_NESSUN_DOVUTO_TROVATO")
    );
}
