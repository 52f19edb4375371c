//! `fdr import`, `fdr list`, `fdr show`, `fdr payments`: the PSPs' FdR against the receipts of
//! an export (issue 16, first part); `treasury import`, `treasury list`, `reconcile`: the
//! treasury journal, each payment carried to incassato or its anomaly.

use mpd_domain::Version;
use mpd_e2e::{Env, row, tracciato};
use mpd_tracciato::export::ExportVersion;

use crate::receipts::export_zip;

/// An FdR for the test Ente (`00123456789`) with the rows `(iuv, iur, amount, esito)` and the
/// declared total given.
fn fdr(iuf: &str, totale: &str, righe: &[(&str, &str, &str, u8)]) -> String {
    let mut x = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">
  <versioneOggetto>1.0</versioneOggetto>
  <identificativoFlusso>{iuf}</identificativoFlusso>
  <dataOraFlusso>2026-11-22T09:12:33</dataOraFlusso>
  <identificativoUnivocoRegolamento>TRN0001</identificativoUnivocoRegolamento>
  <dataRegolamento>2026-11-21</dataRegolamento>
  <istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>ABI03069</codiceIdentificativoUnivoco></identificativoUnivocoMittente></istitutoMittente>
  <istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>00123456789</codiceIdentificativoUnivoco></identificativoUnivocoRicevente></istitutoRicevente>
  <numeroTotalePagamenti>{}</numeroTotalePagamenti>
  <importoTotalePagamenti>{totale}</importoTotalePagamenti>
"#,
        righe.len()
    );
    for (iuv, iur, importo, esito) in righe {
        x.push_str(&format!(
            "  <datiSingoliPagamenti><identificativoUnivocoVersamento>{iuv}</identificativoUnivocoVersamento><identificativoUnivocoRiscossione>{iur}</identificativoUnivocoRiscossione><indiceDatiSingoloPagamento>1</indiceDatiSingoloPagamento><singoloImportoPagato>{importo}</singoloImportoPagato><codiceEsitoSingoloPagamento>{esito}</codiceEsitoSingoloPagamento><dataEsitoSingoloPagamento>2026-11-20</dataEsitoSingoloPagamento></datiSingoliPagamenti>\n"
        ));
    }
    x.push_str("</FlussoRiversamento>\n");
    x
}

/// The desk's clock in these tests: the fixtures' days (payments of 20/11/2026, flows settled on
/// the 21st, entries of the 22nd and 23rd) are fixed, so the «N days» rules are reckoned from a
/// fixed day too, whatever the day the tests run.
const ORA: &str = "2026-12-05T10:00:00Z";
const IUF1: &str = "2026-11-21ABI03069-S1";
const IUF2: &str = "2026-11-21ABI03069-S2";

#[test]
fn fdr_import_quadratura_and_each_payment_state() {
    let env = Env::with_ente().alle(ORA);
    let file = env.write(
        "in.csv",
        &tracciato(
            Version::V1_4,
            &[
                row("P-1", "RSSMRA80A01H501U", "10.00"),
                row("P-2", "02342520158", "20.00"),
            ],
        ),
    );
    assert_eq!(
        env.cli(&["debts", "import", file.to_str().unwrap()]).code,
        0
    );
    // Receipts: IUV …001 10.00, …002 15.00, …003 7.00 (export_zip numbers the IUVs).
    let zip = export_zip(
        &env,
        ExportVersion::V1_3,
        false,
        &[
            ("P-1", "IUR1", "10.00"),
            ("P-2", "IUR2", "15.00"),
            ("X-9", "IUR3", "7.00"),
        ],
    );
    assert_eq!(
        env.cli(&["receipts", "import", zip.to_str().unwrap()]).code,
        0
    );
    let uno = env.write(
        "fdr1.xml",
        fdr(
            IUF1,
            "50.00",
            &[
                ("12000000000000001", "IUR1", "10.00", 0),
                ("12000000000000002", "IUR2", "20.00", 0),
                ("99000000000000001", "IURX", "5.00", 0),
                ("98000000000000001", "IURD", "10.00", 0),
                ("97000000000000001", "IUR9", "5.00", 9),
            ],
        )
        .as_bytes(),
    );
    // Declares 12.00 for 10.00 of payments: does not square.
    let due = env.write(
        "fdr2.xml",
        fdr(IUF2, "12.00", &[("98000000000000001", "IURD2", "10.00", 9)]).as_bytes(),
    );
    let (code, v) = env.json(&[
        "fdr",
        "import",
        uno.to_str().unwrap(),
        due.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["flussi"][0]["esito"], "nuovo", "{v}");
    assert_eq!(v["flussi"][0]["psp"], "ABI03069");
    assert_eq!(v["flussi"][1]["pagamenti"], 1);
    // This test is about the FdR side: the treasury's days (counted from 2026-11-20) wide.
    let r = env.cli(&[
        "treasury",
        "rules",
        "--giorni-rendicontazione",
        "366",
        "--giorni-incasso",
        "366",
    ]);
    assert_eq!(r.code, 0, "{r:?}");

    // Again: nothing added.
    let r = env.cli(&["fdr", "import", uno.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.out.contains("Nessun flusso nuovo") && r.out.contains("già presente"),
        "{}",
        r.out
    );

    let (_, lista) = env.json(&["fdr", "list"]);
    let lista = lista.as_array().unwrap().clone();
    assert_eq!(lista.len(), 2);
    let q1 = lista.iter().find(|f| f["iuf"] == IUF1).unwrap();
    assert_eq!(
        (q1["quadra"].as_bool(), q1["somma_cents"].as_i64()),
        (Some(true), Some(5000))
    );
    let q2 = lista.iter().find(|f| f["iuf"] == IUF2).unwrap();
    assert_eq!(q2["quadra"], false);
    assert!(
        q2["motivo"]
            .as_str()
            .unwrap()
            .contains("(10,00 €) non è il totale dichiarato (12,00 €)"),
        "{q2}"
    );
    let testo = env.cli(&["fdr", "list"]).out;
    assert!(testo.contains("NON QUADRA"), "{testo}");

    let (_, pagamenti) = env.json(&["fdr", "payments"]);
    let stato = |iuv: &str| -> String {
        pagamenti
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["iuv"] == iuv)
            .map(|p| p["stato"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{iuv} missing in {pagamenti}"))
    };
    assert_eq!(stato("12000000000000001"), "rendicontato");
    assert_eq!(stato("12000000000000002"), "importo_diverso");
    assert_eq!(stato("12000000000000003"), "pagato");
    assert_eq!(stato("99000000000000001"), "senza_ricevuta");
    assert_eq!(stato("98000000000000001"), "doppio");
    assert_eq!(stato("97000000000000001"), "rendicontato");
    // The anomalies only, as the window's list first shows them, a page at a time.
    let (code, anomalie) = env.json(&["fdr", "payments", "--state", "anomalie", "--page", "1"]);
    assert_eq!(code, 0, "{anomalie}");
    let mut stati: Vec<&str> = anomalie
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["stato"].as_str().unwrap())
        .collect();
    stati.sort();
    stati.dedup();
    assert_eq!(
        stati,
        ["doppio", "importo_diverso", "senza_ricevuta"],
        "{anomalie}"
    );
    assert_eq!(env.cli(&["fdr", "payments", "--page", "0"]).code, 2);

    // One flow's rows, each with its payment's state (the window's detail of an FdR).
    let (code, d) = env.json(&["fdr", "show", IUF1]);
    assert_eq!(code, 0, "{d}");
    let righe = d["righe"].as_array().unwrap();
    assert_eq!(
        righe
            .iter()
            .map(|r| r["stato"].as_str().unwrap())
            .collect::<Vec<_>>(),
        [
            "rendicontato",
            "importo_diverso",
            "senza_ricevuta",
            "doppio",
            "rendicontato"
        ],
        "{d}"
    );
    let testo = env.cli(&["fdr", "show", IUF2]).out;
    assert!(
        testo.contains("NON QUADRA") && testo.contains("rendicontato più volte"),
        "{testo}"
    );
    let r = env.cli(&["fdr", "show", "2026-11-21ABI03069-S9"]);
    assert_ne!(r.code, 0, "{r:?}");
    assert!(
        r.err
            .contains("nessun flusso di rendicontazione «2026-11-21ABI03069-S9»"),
        "{}",
        r.err
    );

    let (_, diversi) = env.json(&["fdr", "payments", "--state", "importo_diverso"]);
    assert_eq!(diversi.as_array().unwrap().len(), 1);
    assert_eq!(
        diversi[0]["motivo"],
        format!(
            "il flusso «{IUF1}» riporta 20,00 € invece dei 15,00 € della ricevuta (dovuto «P-2»)"
        )
    );
    // The rules where the spec infers MyPivot: esito 9 without a receipt becomes an anomaly.
    let (code, regole) = env.json(&["fdr", "rules"]);
    assert_eq!(
        (code, regole["esito9_rendicontato"].as_bool()),
        (0, Some(true))
    );
    let r = env.cli(&["fdr", "rules", "--esito9", "anomalia"]);
    assert!(r.out.contains("anomalia da verificare"), "{r:?}");
    let (_, v) = env.json(&["fdr", "payments", "--state", "senza_ricevuta"]);
    assert_eq!(v.as_array().unwrap().len(), 2, "{v}");
    assert!(v.to_string().contains("97000000000000001"), "{v}");
    let r = env.cli(&["fdr", "rules", "--esito9", "forse"]);
    assert_eq!(r.code, 2, "{r:?}");
    let testo = env.cli(&["fdr", "payments", "--state", "pagato"]).out;
    assert!(
        testo.contains("in attesa del flusso di rendicontazione"),
        "{testo}"
    );
}

#[test]
fn a_malformed_fdr_is_refused_with_its_file_and_row_and_nothing_is_stored() {
    let env = Env::with_ente().alle(ORA);
    let buono = env.write(
        "buono.xml",
        fdr(IUF1, "10.00", &[("12000000000000001", "IUR1", "10.00", 0)]).as_bytes(),
    );
    let rotto = env.write(
        "rotto.xml",
        fdr(IUF2, "10.00", &[("12000000000000002", "IUR2", "10.00", 7)]).as_bytes(),
    );
    let r = env.cli(&[
        "fdr",
        "import",
        buono.to_str().unwrap(),
        rotto.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.err.contains("rotto.xml: pagamento n. 1 (riga 12 del file): «codiceEsitoSingoloPagamento» «7» non è un esito previsto (0, 3, 4, 8 o 9)"),
        "{}",
        r.err
    );
    assert!(
        r.err.contains("Nessun flusso è stato importato"),
        "{}",
        r.err
    );
    let (_, v) = env.json(&["fdr", "import", rotto.to_str().unwrap()]);
    assert_eq!(v["codice"], "non_valido", "{v}");
    let (_, lista) = env.json(&["fdr", "list"]);
    assert_eq!(lista.as_array().unwrap().len(), 0);
    let r = env.cli(&["fdr", "payments", "--state", "boh"]);
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains("stato di riconciliazione sconosciuto «boh»"),
        "{}",
        r.err
    );
}

#[test]
fn treasury_journal_to_incassato_with_every_entry_explained() {
    let env = Env::with_ente().alle(ORA);
    let file = env.write(
        "in.csv",
        &tracciato(Version::V1_4, &[row("P-1", "RSSMRA80A01H501U", "10.00")]),
    );
    assert_eq!(
        env.cli(&["debts", "import", file.to_str().unwrap()]).code,
        0
    );
    let zip = export_zip(
        &env,
        ExportVersion::V1_3,
        false,
        &[("P-1", "IUR1", "10.00")],
    );
    assert_eq!(
        env.cli(&["receipts", "import", zip.to_str().unwrap()]).code,
        0
    );
    let flusso = env.write(
        "fdr1.xml",
        fdr(IUF1, "10.00", &[("12000000000000001", "IUR1", "10.00", 0)]).as_bytes(),
    );
    assert_eq!(
        env.cli(&["fdr", "import", flusso.to_str().unwrap()]).code,
        0
    );
    // Settled on 2026-11-21, 14 days before the clock, and not in the treasury.
    let (code, v) = env.json(&["reconcile"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["pagamenti"][0]["stato"], "non_incassato", "{v}");
    assert!(
        v["pagamenti"][0]["motivo"]
            .as_str()
            .unwrap()
            .contains("non ancora in tesoreria dopo"),
        "{v}"
    );
    // The bank wrapped the IUF inside its date; a second transfer has no pagoPA reference.
    let giornale = env.write(
        "giornale.csv",
        "ESERCIZIO;N.PROVV.;DATA ESEC.;ANAGRAFICA CLIENTE;DESCRIZIONE CAUSALE;IMPORTO PROVVISORIO;VALUTA ENTE\r\n\
2026;101;22/11/2026;BANCA;/PUR/LGPE-RIVERSAMENTO/URI/2026-11- 21ABI03069-S1;10,00;22/11/2026\r\n\
2026;102;22/11/2026;ABI03069 SPA;BONIFICO;12,00;22/11/2026\r\n"
            .as_bytes(),
    );
    let (code, v) = env.json(&["treasury", "import", giornale.to_str().unwrap()]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        (v["formato"].clone(), v["aggiunti"].clone()),
        ("csv".into(), 2.into()),
        "{v}"
    );
    let r = env.cli(&[
        "treasury",
        "import",
        giornale.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert!(r.out.contains("Giornale già importato"), "{r:?}");
    let (_, v) = env.json(&["reconcile"]);
    assert_eq!(v["pagamenti"][0]["stato"], "incassato", "{v}");
    assert_eq!(v["pagamenti"][0]["iuv"], "12000000000000001");
    assert_eq!(v["pagamenti"][0]["bollette"][0], "2026/101");
    assert_eq!(v["movimenti"][0]["esito"], "abbinato", "{v}");
    assert!(
        v["movimenti"][0]["lettura"]
            .as_str()
            .unwrap()
            .contains("spazio nella data rimosso"),
        "{v}"
    );
    assert_eq!(v["movimenti"][1]["esito"], "senza_riferimento", "{v}");
    let totali = v["totali"].as_array().unwrap();
    let incassati = totali.iter().find(|t| t["stato"] == "incassato").unwrap();
    assert_eq!(
        (
            incassati["numero"].clone(),
            incassati["importo_cents"].clone()
        ),
        (1.into(), 1000.into())
    );
    let (_, fdr) = env.json(&["fdr", "list"]);
    assert_eq!(fdr[0]["importo_tesoreria_cents"], 1000, "{fdr}");
    let testo = env.cli(&["reconcile"]).out;
    assert!(testo.contains("incassato in tesoreria"), "{testo}");
    assert!(testo.contains("Totali per stato"), "{testo}");
    assert!(testo.contains("senza riferimento pagoPA"), "{testo}");
    // The treasury reaches the accounting side: MyPivot's label with the treasury, and a
    // reversal proposal for bolletta 101 (102 has no pagoPA reference, so none).
    let etichette = v["pagamenti"][0]["etichette"].as_array().unwrap();
    assert!(etichette.iter().any(|e| e == "RT_IUF_TES"), "{etichette:?}");
    let csv = env.path("reversali.csv");
    let r = env.cli(&["reconcile", "reversali", "--out", csv.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{r:?}");
    let righe = std::fs::read_to_string(&csv).unwrap();
    let proposte: Vec<&str> = righe.lines().skip(1).collect();
    assert_eq!(proposte.len(), 1, "{righe}");
    assert!(
        proposte[0].contains("101") && proposte[0].contains("10,00"),
        "{righe}"
    );
    // A storno of a bolletta that is not here: said, nothing else changes.
    let storno = env.write(
        "gdc.xml",
        "<flusso_giornale_di_cassa><identificativo_flusso_BT>GDC9</identificativo_flusso_BT><esercizio>2026</esercizio>\
<informazioni_conto_evidenza><movimento_conto_evidenza><tipo_movimento>ENTRATA</tipo_movimento>\
<tipo_documento>SOSPESO ENTRATA</tipo_documento><tipo_operazione>STORNATO</tipo_operazione><importo>3.00</importo>\
<numero_bolletta_quietanza>999</numero_bolletta_quietanza><data_movimento>2026-11-23</data_movimento><causale>X</causale>\
</movimento_conto_evidenza></informazioni_conto_evidenza></flusso_giornale_di_cassa>"
            .as_bytes(),
    );
    let r = env.cli(&["treasury", "import", storno.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.out
            .contains("la bolletta 2026/999 non è presente: impossibile stornarla"),
        "{}",
        r.out
    );
    // A bad row: refused with its row and field, nothing stored.
    let rotto = env.write(
        "rotto.csv",
        "anno;numero;data_contabile;ordinante;causale;importo;data_valuta\n2026;7;2026-11-23;A;B;sette;\n".as_bytes(),
    );
    let r = env.cli(&["treasury", "import", rotto.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.err
            .contains("rotto.csv: riga 2, «importo»: «sette» non è un importo"),
        "{}",
        r.err
    );
    let (_, m) = env.json(&["treasury", "list"]);
    assert_eq!(m.as_array().unwrap().len(), 2, "{m}");
}
