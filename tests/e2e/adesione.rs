//! `ente check`, `adesione documenti|passo|stato` and `contributo …` end to end.

use std::io::Read;

use mpd_e2e::Env;

/// A complete adhesion profile: the backbone's file plus the adhesion sections.
const PROFILO: &str = r#"
[ente]
codice_ipa = "c_x123"
codice_fiscale = "01199250158"
denominazione = "Comune di Esempio"
codice_segregazione = "12"
pec = "protocollo@pec.comune.esempio.it"
indirizzo = "Piazza Municipio 1, 23900 Esempio (LC)"

[adesione]
tipo_ente = "comune-montano"
codice_istat = "097999"
popolazione = 4200
popolazione_fonte = "ISTAT, bilancio demografico"
popolazione_data = "31/12/2025"
modalita = ["base", "per-flussi"]
legale_rappresentante = "Mario Rossi, Sindaco"

[referenti.amministrativo]
nome = "Anna Bianchi"
codice_fiscale = "RSSMRA80A01H501U"
email = "ragioneria@comune.esempio.it"

[referenti.tecnico]
nome = "Luca Verdi"
email = "ced@comune.esempio.it"

[[conti]]
iban = "IT60X0542811101000000123456"
tipo = "tesoreria"
intestatario = "Comune di Esempio"

[[tipi_dovuto]]
codice = "TARI"
descrizione = "Tassa rifiuti"
dati_specifici_riscossione = "9/0101100IM/"
scadenza_obbligatoria = true
modalita = "per-flussi"

[[tipi_dovuto]]
codice = "DIRITTI"
descrizione = "Diritti di segreteria"
dati_specifici_riscossione = "9/0103100TS/"
modalita = "base"
capitolo = "3010"
"#;

fn with_profile(toml: &str) -> Env {
    let env = Env::new();
    let f = env.write("ente.toml", toml.as_bytes());
    let r = env.cli(&["ente", "set", f.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{r:?}");
    env
}

fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext not found: install poppler-utils (bash .ci/setup does)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn problema<'a>(v: &'a serde_json::Value, campo: &str) -> &'a serde_json::Value {
    v["problemi"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["campo"] == campo)
        .unwrap_or_else(|| panic!("no problem on {campo}: {v:#}"))
}

#[test]
fn the_demo_profile_is_incomplete_and_gets_no_documents() {
    let env = Env::with_ente();
    let (code, v) = env.json(&["ente", "check"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["completo"], false);
    let cf = problema(&v, "ente.codice_fiscale");
    assert_eq!(cf["gravita"], "errore");
    assert!(
        cf["messaggio"].as_str().unwrap().contains("00123456789"),
        "{cf}"
    );
    for campo in [
        "ente.pec",
        "adesione.tipo_ente",
        "adesione.modalita",
        "referenti.amministrativo",
        "conti",
    ] {
        let p = problema(&v, campo);
        assert!(!p["perche"].as_str().unwrap().is_empty(), "{p}");
    }

    let out = env.path("adesione");
    let (code, v) = env.json(&["adesione", "documenti", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["file"].as_array().unwrap().len(), 0);
    assert_eq!(v["completo"], false);
    assert!(
        v["mancanti"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["campo"] == "ente.codice_fiscale"),
        "{v:#}"
    );
    assert!(!out.exists(), "no documents for an incomplete profile");

    let r = env.cli(&["ente", "check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.out.contains("Profilo incompleto") && r.out.contains("perché conta:"),
        "{}",
        r.out
    );
}

#[test]
fn a_counter_type_with_the_request_to_pay_prefix_gets_a_warning_line() {
    // DIRITTI paid at the Ente's desk, no due date, code 9/: pagoPA would also send it to the
    // debtor's bank app (issue 15, item 5). A warning: the profile stays complete.
    let toml = PROFILO
        .replace(
            "modalita = [\"base\", \"per-flussi\"]",
            "modalita = [\"base\", \"per-flussi\", \"presso-ente\"]",
        )
        .replace(
            "modalita = \"base\"\ncapitolo",
            "modalita = \"presso-ente\"\ncapitolo",
        );
    let env = with_profile(&toml);
    let r = env.cli(&["ente", "check"]);
    assert_eq!(r.code, 0, "{r:?}");
    let riga = r
        .out
        .lines()
        .find(|l| {
            l.starts_with(
                "avviso  tipi_dovuto «DIRITTI».dati_specifici_riscossione: il codice inizia con 9/",
            )
        })
        .unwrap_or_else(|| panic!("{}", r.out));
    assert!(riga.contains("app della banca del debitore"), "{riga}");
    assert!(!r.out.contains("«TARI».dati_specifici"), "{}", r.out);
}

#[test]
fn wrong_iban_and_undated_population_name_the_field() {
    let toml = PROFILO
        .replace(
            "iban = \"IT60X0542811101000000123456\"",
            "iban = \"IT60X0542811101000000123457\"",
        )
        .replace("popolazione_data = \"31/12/2025\"\n", "");
    let env = with_profile(&toml);
    let (code, v) = env.json(&["ente", "check"]);
    assert_eq!(code, 1);
    assert!(
        problema(&v, "conti[1].iban")["messaggio"]
            .as_str()
            .unwrap()
            .contains("IT60X0542811101000000123457")
    );
    assert!(
        problema(&v, "adesione.popolazione_data")["messaggio"]
            .as_str()
            .unwrap()
            .contains("data di riferimento")
    );
}

#[test]
fn a_complete_profile_gets_odt_and_pdf_documents_with_its_fields() {
    let env = with_profile(PROFILO);
    let (code, v) = env.json(&["ente", "check"]);
    assert_eq!(code, 0, "{v:#}");
    let r = env.cli(&[
        "adesione",
        "passo",
        "delibera",
        "--data",
        "10/01/2027",
        "--nota",
        "G.C. n. 3",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let out = env.path("adesione");
    let (code, v) = env.json(&["adesione", "documenti", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["file"].as_array().unwrap().len(), 6);

    let bytes = std::fs::read(out.join("modulo-informativa-ente.odt")).unwrap();
    assert_eq!(&bytes[30..38], b"mimetype");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    {
        let mut first = zip.by_index(0).unwrap();
        assert_eq!(first.compression(), zip::CompressionMethod::Stored);
        let mut m = String::new();
        first.read_to_string(&mut m).unwrap();
        assert_eq!(m, "application/vnd.oasis.opendocument.text");
    }
    let mut content = String::new();
    zip.by_name("content.xml")
        .unwrap()
        .read_to_string(&mut content)
        .unwrap();
    let fields = [
        "Comune di Esempio",
        "01199250158",
        "097999",
        "protocollo@pec.comune.esempio.it",
        "IT60X0542811101000000123456",
        "Anna Bianchi",
        "9/0103100TS/",
        "3010",
    ];
    for f in fields {
        assert!(content.contains(f), "content.xml lacks {f}");
    }
    let text = pdf_text(&out.join("modulo-informativa-ente.pdf"));
    for f in fields {
        assert!(text.contains(f), "PDF lacks {f}:\n{text}");
    }
    let atto = pdf_text(&out.join("atto-di-adesione.pdf"));
    assert!(
        atto.contains("Mario Rossi, Sindaco") && atto.contains("intermediario tecnologico"),
        "{atto}"
    );
    let promemoria = pdf_text(&out.join("promemoria-invio.pdf"));
    assert!(
        promemoria.contains("10/01/2027")
            && promemoria.contains("presidenza@pec.regione.lombardia.it"),
        "{promemoria}"
    );

    let (_, passi) = env.json(&["adesione", "stato"]);
    assert_eq!(passi[0]["passo"], "delibera");
    assert_eq!(passi[0]["data"], "2027-01-10");
    assert_eq!(passi[1]["data"], serde_json::Value::Null);
}

type Case = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    i64,
    &'static str,
    Option<&'static str>,
);

#[test]
fn what_if_contribution_at_every_boundary() {
    let env = Env::new();
    // tipo ente, population, modes, expense, expected rate, part of the reason, contribution
    let cases: &[Case] = &[
        (
            "comune",
            "3000",
            "base,per-flussi",
            Some("12000.00"),
            80,
            "80%: comune con 3.000 abitanti, soglia 3.000",
            Some("9600.00"),
        ),
        (
            "comune",
            "3001",
            "base,per-flussi",
            Some("12000.00"),
            50,
            "50%: comune con 3.001 abitanti, oltre la soglia di 3.000",
            Some("6000.00"),
        ),
        (
            "comune-montano",
            "4200",
            "per-flussi",
            Some("12.345,67"),
            80,
            "80%: comune montano con 4.200 abitanti, soglia 5.000",
            Some("9876.54"),
        ),
        (
            "comune-montano",
            "5000",
            "presso-ente",
            None,
            80,
            "soglia 5.000",
            None,
        ),
        (
            "comune-montano",
            "5001",
            "per-flussi",
            None,
            50,
            "oltre la soglia di 5.000",
            None,
        ),
        (
            "comunita-montana",
            "250000",
            "per-flussi",
            Some("1000"),
            80,
            "80%: comunità montana",
            Some("800.00"),
        ),
        (
            "comunita-montana",
            "10",
            "presso-ente",
            None,
            80,
            "80%: comunità montana",
            None,
        ),
        (
            "area-protetta",
            "0",
            "per-flussi",
            None,
            80,
            "area protetta",
            None,
        ),
        (
            "natura-2000",
            "0",
            "per-flussi",
            None,
            80,
            "Natura 2000",
            None,
        ),
        (
            "unione-comuni",
            "2000",
            "per-flussi",
            None,
            50,
            "unione di comuni",
            None,
        ),
        (
            "altro",
            "0",
            "per-flussi,presso-ente",
            Some("10.05"),
            50,
            "altro ente pubblico",
            Some("5.03"),
        ),
        (
            "comune",
            "1000",
            "base",
            Some("12000"),
            0,
            "0%: modalità base",
            Some("0.00"),
        ),
        ("comunita-montana", "1000", "base", None, 0, "0%", None),
    ];
    for (tipo, pop, modalita, spesa, pct, motivo, contributo) in cases {
        let mut args = vec![
            "contributo",
            "calcola",
            "--tipo-ente",
            tipo,
            "--popolazione",
            pop,
            "--modalita",
            modalita,
        ];
        if let Some(s) = spesa {
            args.extend(["--spesa", s]);
        }
        let (code, v) = env.json(&args);
        assert_eq!(code, 0, "{args:?}: {v:#}");
        assert_eq!(v["percentuale"], *pct, "{args:?}: {v:#}");
        assert!(
            v["motivo"].as_str().unwrap().contains(motivo),
            "{args:?}: {}",
            v["motivo"]
        );
        match contributo {
            Some(c) => assert_eq!(v["contributo"], *c, "{args:?}: money as text"),
            None => assert!(v["contributo"].is_null()),
        }
    }
    let r = env.cli(&[
        "contributo",
        "calcola",
        "--tipo-ente",
        "provincia",
        "--modalita",
        "base",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains("--tipo-ente") && r.err.contains("comunita-montana"),
        "{}",
        r.err
    );
    let r = env.cli(&[
        "contributo",
        "calcola",
        "--tipo-ente",
        "comune",
        "--popolazione",
        "100",
        "--modalita",
        "flusso",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("flusso"), "{}", r.err);
}

#[test]
fn expense_items_amounts_and_the_summary_report() {
    let env = with_profile(PROFILO);
    let r = env.cli(&[
        "contributo",
        "spesa",
        "aggiungi",
        "--descrizione",
        "Adeguamento gestionale tributi",
        "--fornitore",
        "Software Srl",
        "--riferimento",
        "prev. 12/2026",
        "--importo",
        "7.320,00",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let r = env.cli(&[
        "contributo",
        "spesa",
        "aggiungi",
        "--descrizione",
        "Servizi integrati",
        "--costo-standard",
        "servizio-integrato",
        "--quantita",
        "2",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let (_, v) = env.json(&["contributo", "calcola"]);
    assert_eq!(v["percentuale"], 80);
    assert_eq!(v["spesa"], "7320.00");
    assert_eq!(v["contributo"], "5856.00");
    assert_eq!(
        v["provvisorio"], true,
        "a standard cost without an amount: {v:#}"
    );

    // The clerk fills in the standard cost the act fixes, by editing the exported rules.
    let rules = env.path("regole.toml");
    let r = env.cli(&["contributo", "misura", "--esporta", rules.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.out.contains("da verificare"), "{}", r.out);
    let text = std::fs::read_to_string(&rules).unwrap();
    let edited = text.replacen("importo = \"\"", "importo = \"1000.00\"", 1);
    std::fs::write(&rules, edited).unwrap();
    let r = env.cli(&["contributo", "misura", "--carica", rules.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{r:?}");
    let (_, v) = env.json(&["contributo", "calcola"]);
    assert_eq!(v["spesa"], "9320.00");
    assert_eq!(v["contributo"], "7456.00");
    assert_eq!(v["provvisorio"], false, "{v:#}");

    let r = env.cli(&[
        "contributo",
        "importo",
        "richiesto",
        "--importo",
        "7.456,00",
        "--data",
        "01/02/2027",
        "--riferimento",
        "prot. 123",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    env.cli(&[
        "contributo",
        "importo",
        "concesso",
        "--importo",
        "7456",
        "--data",
        "01/04/2027",
    ]);
    env.cli(&[
        "contributo",
        "importo",
        "incassato",
        "--importo",
        "3728",
        "--data",
        "01/06/2027",
    ]);
    let r = env.cli(&[
        "contributo",
        "importo",
        "promesso",
        "--importo",
        "1",
        "--data",
        "01/06/2027",
    ]);
    assert_eq!(r.code, 2);
    let out = env.path("riepilogo");
    let (code, v) = env.json(&["contributo", "riepilogo", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["riepilogo"]["totali"]["da_incassare"], "3728.00");
    let text = pdf_text(&out.join("riepilogo-contributo.pdf"));
    assert!(
        text.contains("80%: comune montano con 4.200 abitanti, soglia 5.000"),
        "{text}"
    );
    assert!(
        text.contains("Software Srl") && text.contains("3.728,00"),
        "{text}"
    );
    assert!(out.join("riepilogo-contributo.xlsx").exists());

    let r = env.cli(&["contributo", "spesa", "elimina", "1"]);
    assert_eq!(r.code, 0, "{r:?}");
    let (_, v) = env.json(&["contributo", "spesa", "elenco"]);
    assert_eq!(v["totale"], "2000.00");
}

#[test]
fn the_shipped_example_profile_is_complete() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../assets/demo/ente-adesione-esempio.toml");
    let env = with_profile(&std::fs::read_to_string(path).unwrap());
    let (code, v) = env.json(&["ente", "check"]);
    assert_eq!(code, 0, "{v:#}");
    let r = env.cli(&["contributo", "calcola"]);
    assert!(
        r.out
            .starts_with("80%: comune montano con 4.200 abitanti, soglia 5.000"),
        "{}",
        r.out
    );
}
