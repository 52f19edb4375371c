//! Tests of the adhesion crate: contribution boundaries, the profile check, the documents.

use std::io::Read;

use chrono::NaiveDate;
use mpd_domain::{Ente, TipoDovuto};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::json;

use crate::contributo::{Misura, Richiesta, Valore, VoceSpesa, calcola, stima};
use crate::documento::{checklist, genera};
use crate::profilo::{Modalita, Profilo, TipoEnte};
use crate::{AdesioneError, Gravita, verifica};

fn oggi() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn richiesta(
    tipo: TipoEnte,
    pop: Option<u32>,
    modalita: &str,
    spesa: Option<Decimal>,
) -> Richiesta {
    Richiesta {
        tipo_ente: tipo,
        popolazione: pop,
        popolazione_data: Some(oggi()),
        modalita: Modalita::parse_list(modalita).unwrap(),
        spesa,
    }
}

#[test]
fn every_boundary_of_the_dgr_6911_preset() {
    use TipoEnte::*;
    let m = Misura::preset();
    let cases: &[(TipoEnte, Option<u32>, &str, u8, &str)] = &[
        (
            Comune,
            Some(3000),
            "base,per-flussi",
            80,
            "80%: comune con 3.000 abitanti, soglia 3.000",
        ),
        (
            Comune,
            Some(3001),
            "base,per-flussi",
            50,
            "50%: comune con 3.001 abitanti, oltre la soglia di 3.000",
        ),
        (
            Comune,
            Some(1),
            "presso-ente",
            80,
            "80%: comune con 1 abitanti",
        ),
        (
            ComuneMontano,
            Some(4200),
            "per-flussi",
            80,
            "80%: comune montano con 4.200 abitanti, soglia 5.000",
        ),
        (ComuneMontano, Some(5000), "per-flussi", 80, "soglia 5.000"),
        (
            ComuneMontano,
            Some(5001),
            "per-flussi",
            50,
            "50%: comune montano con 5.001 abitanti, oltre la soglia di 5.000",
        ),
        (
            ComuneMontano,
            Some(2000),
            "per-flussi",
            80,
            "80%: comune montano con 2.000 abitanti",
        ),
        (
            ComunitaMontana,
            Some(150_000),
            "per-flussi",
            80,
            "80%: comunità montana, qualunque sia la popolazione",
        ),
        (
            ComunitaMontana,
            None,
            "presso-ente",
            80,
            "80%: comunità montana",
        ),
        (
            AreaProtetta,
            None,
            "per-flussi",
            80,
            "ente gestore di area protetta",
        ),
        (Natura2000, None, "per-flussi", 80, "Rete Natura 2000"),
        (
            UnioneComuni,
            Some(2000),
            "per-flussi",
            50,
            "50%: unione di comuni: rientra tra gli altri enti pubblici",
        ),
        (
            Altro,
            None,
            "per-flussi,presso-ente",
            50,
            "50%: altro ente pubblico",
        ),
        (
            Comune,
            Some(1000),
            "base",
            0,
            "0%: modalità base; il contributo spetta solo con per flussi o pagamento iniziato presso l'Ente",
        ),
        (ComunitaMontana, None, "base", 0, "0%"),
        (Comune, Some(1000), "", 0, "0%: nessuna modalità scelta"),
        (Comune, Some(1000), "base,per-flussi", 80, "80%"),
        (Comune, Some(1000), "base,presso-ente", 80, "80%"),
    ];
    for (tipo, pop, modalita, pct, motivo) in cases {
        let e = calcola(&m, &richiesta(*tipo, *pop, modalita, None));
        assert_eq!(
            e.percentuale, *pct,
            "{tipo:?} {pop:?} {modalita}: {}",
            e.motivo
        );
        assert!(
            e.motivo.starts_with(motivo) || e.motivo.contains(motivo),
            "{tipo:?} {pop:?} {modalita}: {}",
            e.motivo
        );
        assert_eq!(e.ammissibile, *pct > 0);
        assert_eq!(e.contributo, None, "no expense, no contribution");
    }
}

#[test]
fn contribution_is_money_with_the_configured_rounding() {
    let mut m = Misura::preset();
    let e = calcola(
        &m,
        &richiesta(
            TipoEnte::ComuneMontano,
            Some(4200),
            "base,per-flussi",
            Some(dec!(12000.00)),
        ),
    );
    assert_eq!(e.contributo, Some(dec!(9600.00)));
    let e = calcola(
        &m,
        &richiesta(TipoEnte::Altro, None, "per-flussi", Some(dec!(10.05))),
    );
    assert_eq!(e.contributo, Some(dec!(5.03)), "half a cent goes up");
    m.arrotondamento = crate::contributo::Arrotondamento::Difetto;
    let e = calcola(
        &m,
        &richiesta(TipoEnte::Altro, None, "per-flussi", Some(dec!(10.05))),
    );
    assert_eq!(e.contributo, Some(dec!(5.02)), "never up");
    m.massimale = Some(dec!(5000));
    let e = calcola(
        &m,
        &richiesta(TipoEnte::Comune, Some(10), "per-flussi", Some(dec!(12000))),
    );
    assert_eq!(
        (e.spesa_ammessa, e.contributo),
        (Some(dec!(5000)), Some(dec!(4000.00)))
    );
    assert!(e.avvisi.iter().any(|a| a.contains("massimale")));
    let e = calcola(
        &m,
        &richiesta(TipoEnte::Comune, Some(10), "base", Some(dec!(12000))),
    );
    assert_eq!(e.contributo, Some(dec!(0.00)));
}

#[test]
fn population_without_date_or_value_makes_the_result_provisional() {
    let m = Misura::preset();
    let mut r = richiesta(TipoEnte::Comune, Some(2000), "per-flussi", None);
    r.popolazione_data = None;
    let e = calcola(&m, &r);
    assert!(
        e.provvisorio && e.avvisi.iter().any(|a| a.contains("data di riferimento")),
        "{e:?}"
    );
    let e = calcola(&m, &richiesta(TipoEnte::Comune, None, "per-flussi", None));
    assert_eq!(e.percentuale, 50);
    assert!(
        e.provvisorio && e.motivo.contains("senza popolazione"),
        "{}",
        e.motivo
    );
}

#[test]
fn rules_are_data_and_bad_rules_name_the_key() {
    let m = Misura::preset();
    assert_eq!(m.id, "dgr-x-6911-2017");
    assert!(!m.da_verificare.is_empty());
    assert!(
        m.costi_standard
            .iter()
            .all(|c| c.importo.is_none() && c.da_verificare)
    );
    let edited =
        crate::contributo::PRESET_TOML.replace("popolazione_max = 3000", "popolazione_max = 3500");
    let m2 = Misura::from_toml(&edited).unwrap();
    assert_eq!(
        calcola(
            &m2,
            &richiesta(TipoEnte::Comune, Some(3400), "per-flussi", None)
        )
        .percentuale,
        80
    );
    for (from, to, key) in [
        (
            "tipi_ente = [\"comunita-montana\"]",
            "tipi_ente = [\"provincia\"]",
            "tipi_ente",
        ),
        (
            "percentuale_altri_enti = 50",
            "percentuale_altri_enti = 150",
            "percentuale_altri_enti",
        ),
        (
            "arrotondamento = \"commerciale\"",
            "arrotondamento = \"su\"",
            "arrotondamento",
        ),
        ("massimale = \"\"", "massimale = \"mille\"", "massimale"),
        (
            "modalita_ammesse = [\"per-flussi\", \"presso-ente\"]",
            "modalita_ammesse = [\"flusso\"]",
            "modalita_ammesse",
        ),
    ] {
        let text = crate::contributo::PRESET_TOML.replace(from, to);
        assert_ne!(text, crate::contributo::PRESET_TOML, "{from}");
        let err = Misura::from_toml(&text).unwrap_err().to_string();
        assert!(err.contains(key), "{to}: {err}");
    }
}

#[test]
fn expense_items_sum_quotes_and_standard_costs() {
    let mut m = Misura::preset();
    let voci = vec![
        VoceSpesa {
            id: Some(1),
            descrizione: "Adeguamento gestionale tributi".into(),
            fornitore: Some("Software Srl".into()),
            riferimento: Some("prev. 12/2026".into()),
            data: Some(oggi()),
            valore: Valore::Preventivo {
                importo: dec!(7320.00),
            },
        },
        VoceSpesa {
            id: Some(2),
            descrizione: "Servizi integrati".into(),
            fornitore: None,
            riferimento: None,
            data: None,
            valore: Valore::CostoStandard {
                codice: "servizio-integrato".into(),
                quantita: 3,
            },
        },
    ];
    let s = stima(&m, &voci);
    assert!(s.incompleta, "the preset's standard cost is empty");
    assert_eq!(s.totale, dec!(7320.00));
    assert!(
        s.righe[1]
            .nota
            .as_deref()
            .unwrap()
            .contains("non ha ancora un importo")
    );
    m.costi_standard[0].importo = Some(dec!(1000.00));
    let s = stima(&m, &voci);
    assert!(!s.incompleta);
    assert_eq!(s.totale, dec!(10320.00));
    assert!(
        s.righe[1]
            .nota
            .as_deref()
            .unwrap()
            .contains("da verificare")
    );
}

pub(crate) fn ente(cf: &str) -> Ente {
    Ente {
        codice_ipa: "c_x123".into(),
        codice_fiscale: cf.into(),
        denominazione: "Comune di Esempio".into(),
        codice_segregazione: "12".into(),
    }
}

pub(crate) fn tipi() -> Vec<TipoDovuto> {
    vec![TipoDovuto {
        codice: "TARI".into(),
        descrizione: "Tassa rifiuti".into(),
        dati_specifici_riscossione: "9/0101100IM/".into(),
        attivo: true,
        cf_anonimo: false,
        scadenza_obbligatoria: true,
        stampa_data_scadenza: true,
        causale_predefinita: None,
        importo_predefinito: Some(dec!(120.50)),
        scadenza_predefinita: None,
        posizioni: Default::default(),
    }]
}

pub(crate) fn extra() -> serde_json::Value {
    json!({
        "pec": "protocollo@pec.comune.esempio.it",
        "indirizzo": "Piazza Municipio 1, 23900 Esempio (LC)",
        "adesione": {
            "tipo_ente": "comune-montano",
            "codice_istat": "097999",
            "popolazione": 4200,
            "popolazione_fonte": "ISTAT, bilancio demografico",
            "popolazione_data": {"$__toml_private_datetime": "2025-12-31"},
            "modalita": ["base", "per-flussi"],
            "legale_rappresentante": "Mario Rossi, Sindaco"
        },
        "referenti": {
            "amministrativo": {"nome": "Anna Bianchi", "codice_fiscale": "RSSMRA80A01H501U", "email": "ragioneria@comune.esempio.it", "telefono": "0341 000000"},
            "tecnico": {"nome": "Luca Verdi", "email": "ced@comune.esempio.it"}
        },
        "conti": [{"iban": "IT60X0542811101000000123456", "tipo": "tesoreria", "intestatario": "Comune di Esempio"}],
        "tipi_dovuto_extra": {"TARI": {"capitolo": "1010", "modalita": "per-flussi"}}
    })
}

fn profilo(cf: &str, extra: &serde_json::Value) -> Profilo {
    Profilo::from_parts(ente(cf), &tipi(), extra)
}

#[test]
fn a_complete_profile_passes_and_is_read_in_full() {
    let p = profilo("01199250158", &extra());
    let v = verifica(&p, oggi());
    assert!(v.completo, "{:#?}", v.problemi);
    assert_eq!(p.tipo_ente, Some(TipoEnte::ComuneMontano));
    assert_eq!(p.popolazione, Some(4200));
    assert_eq!(p.popolazione_data, NaiveDate::from_ymd_opt(2025, 12, 31));
    assert_eq!(p.modalita, vec![Modalita::Base, Modalita::PerFlussi]);
    assert_eq!(p.tipi[0].capitolo.as_deref(), Some("1010"));
    assert_eq!(
        p.iban_del_tipo(&p.tipi[0]),
        Some("IT60X0542811101000000123456")
    );
}

fn problem<'a>(v: &'a crate::Verifica, campo: &str) -> &'a crate::Problema {
    v.problemi
        .iter()
        .find(|p| p.campo == campo)
        .unwrap_or_else(|| panic!("no problem on {campo}: {:#?}", v.problemi))
}

#[test]
fn a_counter_type_with_the_request_to_pay_prefix_is_a_warning() {
    // TARI sent per flussi with 9/: nothing to say (the complete profile above passes quietly).
    let v = verifica(&profilo("01199250158", &extra()), oggi());
    assert!(
        v.problemi.iter().all(|p| p.gravita != Gravita::Avviso),
        "{:#?}",
        v.problemi
    );
    // The same type paid at the Ente's desk, no due date: a warning, not an error.
    let mut x = extra();
    x["adesione"]["modalita"] = json!(["base", "presso-ente"]);
    x["tipi_dovuto_extra"]["TARI"]["modalita"] = json!("presso-ente");
    let mut tipi = tipi();
    tipi[0].scadenza_obbligatoria = false;
    tipi[0].stampa_data_scadenza = false;
    let p = Profilo::from_parts(ente("01199250158"), &tipi, &x);
    let v = verifica(&p, oggi());
    assert!(v.completo, "{:#?}", v.problemi);
    let w = problem(&v, "tipi_dovuto «TARI».dati_specifici_riscossione");
    assert_eq!(w.gravita, Gravita::Avviso);
    assert!(
        w.messaggio.contains("9/") && w.messaggio.contains("app della banca"),
        "{w:?}"
    );
    assert!(w.perche.contains("sportello"), "{w:?}");
}

#[test]
fn wrong_codes_name_the_field_and_the_reason() {
    // The demo profile's fiscal code fails the check digit: an error for the adhesion.
    let mut x = extra();
    x["conti"][0]["iban"] = json!("IT61X0542811101000000123456");
    x["tipi_dovuto_extra"]["TARI"]["iban"] = json!("IT60X05428");
    x["referenti"]["amministrativo"]["codice_fiscale"] = json!("RSSMRA80A01H501X");
    let v = verifica(&profilo("00123456789", &x), oggi());
    assert!(!v.completo);
    let cf = problem(&v, "ente.codice_fiscale");
    assert_eq!(cf.gravita, Gravita::Errore);
    assert!(
        cf.messaggio.contains("00123456789") && cf.messaggio.contains("cifra"),
        "{cf:?}"
    );
    assert!(cf.perche.contains("MyPay"), "{cf:?}");
    let iban = problem(&v, "conti[1].iban");
    assert!(
        iban.messaggio.contains("IT61X") && iban.messaggio.contains("cifre di controllo"),
        "{iban:?}"
    );
    assert!(
        problem(&v, "tipi_dovuto «TARI».iban")
            .messaggio
            .contains("27 caratteri")
    );
    assert_eq!(
        problem(&v, "referenti.amministrativo.codice_fiscale").gravita,
        Gravita::Errore
    );
}

#[test]
fn an_incomplete_profile_lists_what_is_missing_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("adesione");
    let p = profilo("01199250158", &json!({}));
    let err = genera(&p, &checklist(&[]), oggi(), &out).unwrap_err();
    let AdesioneError::Incompleto(problemi) = err else {
        panic!("{err}")
    };
    let campi: Vec<&str> = problemi.iter().map(|p| p.campo.as_str()).collect();
    for c in [
        "ente.pec",
        "adesione.tipo_ente",
        "adesione.modalita",
        "adesione.legale_rappresentante",
        "referenti.amministrativo",
        "conti",
    ] {
        assert!(campi.contains(&c), "{c} missing from {campi:?}");
    }
    assert!(problemi.iter().all(|p| !p.perche.is_empty()));
    assert!(!out.exists(), "no documents for an incomplete profile");
}

#[test]
fn population_without_reference_date_is_flagged() {
    let mut x = extra();
    x["adesione"]
        .as_object_mut()
        .unwrap()
        .remove("popolazione_data");
    let v = verifica(&profilo("01199250158", &x), oggi());
    let p = problem(&v, "adesione.popolazione_data");
    assert_eq!(p.gravita, Gravita::Errore);
    assert!(p.messaggio.contains("data di riferimento"));
    x["adesione"]["popolazione_data"] = json!("31/02/2025");
    x["adesione"]["popolazione"] = json!("quattromila");
    let v = verifica(&profilo("01199250158", &x), oggi());
    assert!(
        problem(&v, "adesione.popolazione_data")
            .messaggio
            .contains("31/02/2025")
    );
    assert!(
        problem(&v, "adesione.popolazione")
            .messaggio
            .contains("quattromila")
    );
    x["adesione"]["popolazione"] = json!("4.200");
    x["adesione"]["popolazione_data"] = json!("31/12/2025");
    let p = profilo("01199250158", &x);
    assert_eq!(
        (p.popolazione, p.popolazione_data),
        (Some(4200), NaiveDate::from_ymd_opt(2025, 12, 31))
    );
}

fn unzip(bytes: &[u8]) -> zip::ZipArchive<std::io::Cursor<&[u8]>> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap()
}

/// Checks an ODT as the OpenDocument spec wants it and returns its content.xml.
pub(crate) fn odt_content(bytes: &[u8]) -> String {
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    // The mimetype is the first entry, stored, with no extra field, readable at offset 38.
    assert_eq!(&bytes[30..38], b"mimetype");
    assert_eq!(
        &bytes[38..38 + crate::odt::MIMETYPE.len()],
        crate::odt::MIMETYPE.as_bytes()
    );
    assert_eq!(
        u16::from_le_bytes([bytes[28], bytes[29]]),
        0,
        "no extra field"
    );
    let mut z = unzip(bytes);
    {
        let first = z.by_index(0).unwrap();
        assert_eq!(first.name().unwrap(), "mimetype");
        assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    }
    for name in [
        "META-INF/manifest.xml",
        "styles.xml",
        "meta.xml",
        "content.xml",
    ] {
        let mut s = String::new();
        z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        let mut r = quick_xml::Reader::from_str(&s);
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed XML: {e}"),
            }
        }
    }
    let mut s = String::new();
    z.by_name("content.xml")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    // The text as a reader sees it: unescaped content of every element.
    let mut r = quick_xml::Reader::from_str(&s);
    let mut text = String::new();
    loop {
        match r.read_event().unwrap() {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Text(t) => {
                text.push_str(&t.into_inner());
            }
            quick_xml::events::Event::End(_) => text.push(' '),
            quick_xml::events::Event::GeneralRef(g) => {
                text.push_str(match &*g.into_inner() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "apos" => "'",
                    "quot" => "\"",
                    _ => "?",
                });
            }
            _ => {}
        }
    }
    text
}

/// The text of a PDF as `pdftotext` extracts it (poppler-utils, installed by `.ci/setup`).
pub(crate) fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext not found: install poppler-utils (bash .ci/setup does)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn documents_are_valid_odt_and_pdf_carrying_the_entes_fields() {
    let dir = tempfile::tempdir().unwrap();
    let mut x = extra();
    x["adesione"]["legale_rappresentante"] = json!("Mario Rossi & C. <Sindaco>");
    let p = profilo("01199250158", &x);
    let passi = checklist(&[(
        crate::documento::Passo::Delibera,
        oggi(),
        Some("delibera G.C. n. 12".into()),
    )]);
    let g = genera(&p, &passi, oggi(), dir.path()).unwrap();
    let names: Vec<String> = g
        .file
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for n in [
        "atto-di-adesione",
        "modulo-informativa-ente",
        "promemoria-invio",
    ] {
        assert!(
            names.contains(&format!("{n}.odt")) && names.contains(&format!("{n}.pdf")),
            "{names:?}"
        );
    }
    let fields = [
        "Comune di Esempio",
        "01199250158",
        "c_x123",
        "097999",
        "protocollo@pec.comune.esempio.it",
        "IT60X0542811101000000123456",
        "Anna Bianchi",
        "4.200 abitanti",
        "9/0101100IM/",
    ];
    let atto = odt_content(&std::fs::read(dir.path().join("atto-di-adesione.odt")).unwrap());
    assert!(
        atto.contains("Mario Rossi & C. <Sindaco>"),
        "escaped and read back: {atto}"
    );
    let modulo =
        odt_content(&std::fs::read(dir.path().join("modulo-informativa-ente.odt")).unwrap());
    for f in fields {
        assert!(modulo.contains(f), "ODT lacks {f}: {modulo}");
    }
    let pdf = pdf_text(&dir.path().join("modulo-informativa-ente.pdf"));
    for f in fields {
        assert!(pdf.contains(f), "PDF lacks {f}:\n{pdf}");
    }
    assert!(
        pdf.contains("Modulo informativa Ente") && pdf.contains("Modalità"),
        "accents survive: {pdf}"
    );
    let promemoria = pdf_text(&dir.path().join("promemoria-invio.pdf"));
    assert!(
        promemoria.contains(crate::documento::PEC_REGIONE) && promemoria.contains("27/11/2026"),
        "{promemoria}"
    );
    assert!(promemoria.contains("pre-esercizio"), "{promemoria}");
}

#[test]
fn summary_report_is_written_as_pdf_and_xlsx() {
    use crate::riepilogo::{Movimento, Riepilogo, TipoMovimento};
    let dir = tempfile::tempdir().unwrap();
    let m = Misura::preset();
    let voci = vec![VoceSpesa {
        id: Some(1),
        descrizione: "Adeguamento gestionale".into(),
        fornitore: Some("Software Srl".into()),
        riferimento: None,
        data: None,
        valore: Valore::Preventivo {
            importo: dec!(12000),
        },
    }];
    let s = stima(&m, &voci);
    let e = calcola(
        &m,
        &richiesta(
            TipoEnte::ComuneMontano,
            Some(4200),
            "per-flussi",
            Some(s.totale),
        ),
    );
    let mov = vec![
        Movimento {
            id: None,
            tipo: TipoMovimento::Richiesto,
            importo: dec!(9600),
            data: oggi(),
            riferimento: Some("domanda prot. 1234".into()),
        },
        Movimento {
            id: None,
            tipo: TipoMovimento::Concesso,
            importo: dec!(9000),
            data: oggi(),
            riferimento: None,
        },
        Movimento {
            id: None,
            tipo: TipoMovimento::Incassato,
            importo: dec!(4500),
            data: oggi(),
            riferimento: None,
        },
    ];
    let r = Riepilogo::new("Comune di Esempio", &m, e, s, mov);
    assert_eq!(r.totali.da_incassare, dec!(4500));
    let files = r.scrivi(dir.path(), oggi()).unwrap();
    let text = pdf_text(&files[0]);
    assert!(
        text.contains("80%: comune montano con 4.200 abitanti, soglia 5.000")
            && text.contains("9.600,00"),
        "{text}"
    );
    let bytes = std::fs::read(&files[1]).unwrap();
    let mut z = unzip(&bytes);
    assert!(z.by_name("xl/workbook.xml").is_ok());
}
