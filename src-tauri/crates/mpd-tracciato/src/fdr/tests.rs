//! The FdR reader on one fixture per schema version (`testdata/fdr/`) and on broken files.

use rust_decimal::Decimal;

use super::*;

fn fixture(nome: &str) -> Vec<u8> {
    let path = format!("{}/testdata/fdr/{nome}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn esiti(f: &Fdr) -> Vec<u8> {
    f.righe.iter().map(|r| r.esito.codice()).collect()
}

#[test]
fn the_spec_example_reads_whole() {
    let f = leggi(&fixture("fdr-esempio.xml")).unwrap();
    assert_eq!(f.iuf, "2024-05-14BCITITMM-S240514000123");
    assert_eq!(psp_da_iuf(&f.iuf), Some("BCITITMM"));
    assert_eq!(f.versione_oggetto, "1.0");
    assert_eq!(f.data_ora_flusso.to_string(), "2024-05-15 09:12:33");
    assert_eq!(f.iur_regolamento, "BCITITMM240514RIV0000187");
    assert_eq!(f.data_regolamento.to_string(), "2024-05-14");
    assert_eq!(
        (f.mittente_tipo.as_str(), f.mittente_codice.as_str()),
        ("B", "BCITITMM")
    );
    assert_eq!(f.mittente_nome, "Banca Esempio S.p.A.");
    assert_eq!(f.bic_riversamento, "BCITITMMXXX");
    assert_eq!(f.ricevente_codice, "80001234567");
    assert_eq!(f.ricevente_nome, "Comune di Esempio");
    assert_eq!(f.numero_totale, 3);
    assert_eq!(f.importo_totale, dec("223.50"));
    assert_eq!(f.righe.len(), 3);
    let r = &f.righe[1];
    assert_eq!(r.numero, 2);
    assert_eq!(r.iuv, "01240000000012346");
    assert_eq!(r.iur, "BCITITMM240513A0000002");
    assert_eq!(r.indice, Some(1));
    assert_eq!(r.importo, dec("48.50"));
    assert_eq!(r.data_esito.to_string(), "2024-05-13");
    assert_eq!(esiti(&f), [0, 0, 9]);
}

/// MyPivot's and MyPay's copy of the schema: esito 3 with the negative amount it documents.
#[test]
fn old_schema_revoked_payment_with_negative_amount() {
    let f = leggi(&fixture("fdr-1_0_4-revocato.xml")).unwrap();
    assert_eq!(esiti(&f), [0, 3]);
    assert_eq!(f.righe[1].importo, dec("-30.00"));
    assert_eq!(f.righe[1].esito, Esito::Revocato);
}

/// pagoPA's xsd-common 1_0_4 with esito 4, a namespace prefix, a time zone on `dataOraFlusso`
/// and a payment without `indiceDatiSingoloPagamento`.
#[test]
fn stand_in_schema_with_prefix_and_missing_index() {
    let f = leggi(&fixture("fdr-1_0_4-standin.xml")).unwrap();
    assert_eq!(psp_da_iuf(&f.iuf), Some("UNCRITMM"));
    assert_eq!(f.data_ora_flusso.to_string(), "2024-05-17 07:30:00");
    assert_eq!(esiti(&f), [0, 4]);
    assert_eq!(f.righe[1].indice, None);
}

/// pagoPA 1_0_5: esiti 0, 4, 8, 9 (3 removed); a second transfer of an RT (indice 2).
#[test]
fn schema_1_0_5_every_outcome() {
    let f = leggi(&fixture("fdr-1_0_5.xml")).unwrap();
    assert_eq!(esiti(&f), [0, 4, 8, 9]);
    assert_eq!(f.righe[3].indice, Some(2));
    assert_eq!(f.importo_totale, dec("46.00"));
}

#[test]
fn psp_from_iuf_as_mypay_does() {
    assert_eq!(
        psp_da_iuf("2024-05-14BCITITMM-S240514000123"),
        Some("BCITITMM")
    );
    assert_eq!(psp_da_iuf("2024-05-14ABI03069"), Some("ABI03069"));
    assert_eq!(psp_da_iuf("corto"), None);
    assert_eq!(psp_da_iuf("2024-05-14-X"), None);
}

fn con(da: &str, a: &str) -> Vec<u8> {
    let testo = String::from_utf8(fixture("fdr-esempio.xml")).unwrap();
    assert!(testo.contains(da), "{da}");
    testo.replacen(da, a, 1).into_bytes()
}

fn problemi(bytes: &[u8]) -> Vec<String> {
    leggi(bytes).unwrap_err().problemi
}

#[test]
fn a_bad_payment_is_named_by_number_line_and_element() {
    let p = problemi(&con(
        "<singoloImportoPagato>48.50</",
        "<singoloImportoPagato>48,50</",
    ));
    assert_eq!(
        p,
        [
            "pagamento n. 2 (riga 33 del file): «singoloImportoPagato» «48,50» non è un importo (ad esempio 48.50)"
        ]
    );
    let p = problemi(&con(
        "<codiceEsitoSingoloPagamento>9</",
        "<codiceEsitoSingoloPagamento>7</",
    ));
    assert!(
        p[0].starts_with("pagamento n. 3 (riga 41 del file)"),
        "{p:?}"
    );
    assert!(p[0].contains("«7» non è un esito previsto"), "{p:?}");
}

#[test]
fn every_problem_is_collected() {
    let testo = String::from_utf8(con(
        "<identificativoUnivocoRiscossione>BCITITMM240513A0000001</identificativoUnivocoRiscossione>",
        "",
    ))
    .unwrap()
    .replace("<dataRegolamento>2024-05-14<", "<dataRegolamento>14/05/2024<")
    .replace("<indiceDatiSingoloPagamento>1</indiceDatiSingoloPagamento>\n    <singoloImportoPagato>25.00", "<indiceDatiSingoloPagamento>6</indiceDatiSingoloPagamento>\n    <singoloImportoPagato>25.00");
    let p = problemi(testo.as_bytes());
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(
        p[0].contains("pagamento n. 1")
            && p[0].contains("manca «identificativoUnivocoRiscossione»")
    );
    assert!(p[1].contains("pagamento n. 3") && p[1].contains("«6» non è un numero da 1 a 5"));
    assert!(p[2].contains("«dataRegolamento» «14/05/2024» non è una data"));
}

#[test]
fn negative_amount_only_for_a_revoked_payment() {
    let p = problemi(&con(
        "<singoloImportoPagato>150.00</",
        "<singoloImportoPagato>-150.00</",
    ));
    assert!(p[0].contains("è negativo"), "{p:?}");
}

#[test]
fn broken_or_foreign_xml_is_refused() {
    let p = problemi(b"<FlussoRiversamento><versioneOggetto>1.0</versioneOggetto>");
    assert!(p[0].starts_with("XML troncato"), "{p:?}");
    let p = problemi(b"<FlussoRiversamento><b></FlussoRiversamento>");
    assert!(p[0].starts_with("XML non ben formato"), "{p:?}");
    let p = problemi(b"<RT><x/></RT>");
    assert!(p[0].contains("invece di «FlussoRiversamento»"), "{p:?}");
    assert_eq!(problemi(b""), ["il file è vuoto"]);
    assert_eq!(problemi(b"\xff\xfe<"), ["il file non è un XML in UTF-8"]);
    let p = problemi(b"<!DOCTYPE x [<!ENTITY a \"b\">]><FlussoRiversamento/>");
    assert_eq!(p, ["XML con DOCTYPE rifiutato"]);
    let p = problemi(&con(
        "<identificativoFlusso>2024-05-14BCITITMM-S240514000123<",
        "<identificativoFlusso>X1<",
    ));
    assert!(p[0].contains("il PSP non si ricava"), "{p:?}");
}

#[test]
fn limits_of_depth_and_size() {
    let profondo = format!(
        "<FlussoRiversamento>{}{}</FlussoRiversamento>",
        "<a>".repeat(MAX_DEPTH),
        "</a>".repeat(MAX_DEPTH)
    );
    assert_eq!(problemi(profondo.as_bytes()), ["XML troppo annidato"]);
}

#[test]
fn the_root_element_is_read_from_the_first_bytes() {
    let fdr = fixture("fdr-esempio.xml");
    assert_eq!(
        elemento_radice(&fdr[..200.min(fdr.len())]).as_deref(),
        Some("FlussoRiversamento")
    );
    let casi: [(&[u8], Option<&str>); 7] = [
        (
            b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- giornale -->\n<ns2:flusso_giornale_di_cassa xmlns:ns2=\"x\"><esercizio>",
            Some("flusso_giornale_di_cassa"),
        ),
        (b"  <FlussoRiversamento/>", Some("FlussoRiversamento")),
        (b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><x/>", None),
        (b"anno;numero;data_contabile\n", None),
        (b"<?xml version=\"1.0\"?>", None),
        (b"", None),
        (b"PK\x03\x04", None),
    ];
    for (byte, atteso) in casi {
        assert_eq!(
            elemento_radice(byte).as_deref(),
            atteso,
            "{}",
            String::from_utf8_lossy(byte)
        );
    }
}
