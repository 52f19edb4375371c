//! Helpers: start an emulator in a temporary folder, send raw SOAP envelopes, read fields,
//! validate with xmllint, build and upload flows, wait for the batch.

use std::io::{Cursor, Read};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use base64::Engine;
use mpd_domain::{RawRow, Version};
use mpd_emulator::{Emulator, EmulatorHandle, EmulatorOptions};

pub const PPT: &str = "http://www.regione.veneto.it/pagamenti/ente/";
pub const PAY_I: &str = "http://www.regione.veneto.it/schemas/2012/Pagamenti/Ente/";

pub struct Sim {
    pub handle: EmulatorHandle,
    pub http: reqwest::blocking::Client,
    pub dir: tempfile::TempDir,
}

pub fn start() -> Sim {
    start_with(|_| {})
}

pub fn start_with(f: impl FnOnce(&mut EmulatorOptions)) -> Sim {
    let dir = tempfile::tempdir().unwrap();
    let mut options = EmulatorOptions::new(dir.path().join("emu"));
    options.batch_interval = Duration::from_millis(100);
    f(&mut options);
    let handle = Emulator::start(options).unwrap();
    let http = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        // No kept-alive connections: a request the server cut short (the oversized body
        // answered 413 before it was read) must not leave a dead connection for the next one.
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    Sim { handle, http, dir }
}

/// A hand-written SOAP 1.1 envelope: the header only when `ipa` is given; `inner` holds the
/// unqualified children of `ppt:<op>`.
pub fn envelope(op: &str, ipa: Option<&str>, inner: &str) -> String {
    let header = match ipa {
        Some(ipa) => format!(
            "<soapenv:Header><ppthead:intestazionePPT><codIpaEnte>{ipa}</codIpaEnte></ppthead:intestazionePPT></soapenv:Header>"
        ),
        None => String::new(),
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                  xmlns:ppt="http://www.regione.veneto.it/pagamenti/ente/"
                  xmlns:ppthead="http://www.regione.veneto.it/pagamenti/ente/ppthead"
                  xmlns:pay_i="http://www.regione.veneto.it/schemas/2012/Pagamenti/Ente/">
  {header}
  <soapenv:Body><ppt:{op}>{inner}</ppt:{op}></soapenv:Body>
</soapenv:Envelope>"#
    )
}

impl Sim {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.handle.base_url)
    }

    pub fn post_soap(&self, op: &str, body: String) -> (u16, String) {
        self.try_post_soap(op, body).unwrap()
    }

    /// Like [`Sim::post_soap`], returning transport errors instead of panicking.
    pub fn try_post_soap(&self, op: &str, body: String) -> Result<(u16, String), reqwest::Error> {
        let r = self
            .http
            .post(self.handle.soap_url())
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", format!("\"{op}\""))
            .body(body)
            .send()?;
        let status = r.status().as_u16();
        Ok((status, r.text()?))
    }

    /// Sends `ppt:<op>` for the demo Ente, with the header.
    pub fn soap(&self, op: &str, inner: &str) -> String {
        let (status, text) = self.post_soap(op, envelope(op, Some("c_demo"), inner));
        assert_eq!(status, 200, "{text}");
        text
    }

    /// Sends without the header (body-only operations).
    pub fn soap_body_only(&self, op: &str, inner: &str) -> String {
        let (status, text) = self.post_soap(op, envelope(op, None, inner));
        assert_eq!(status, 200, "{text}");
        text
    }

    pub fn get_bytes(&self, url: &str) -> (u16, Vec<u8>) {
        let r = self.http.get(url).send().unwrap();
        (
            r.status().as_u16(),
            r.bytes().map(|b| b.to_vec()).unwrap_or_default(),
        )
    }

    /// authorise, upload: returns the requestToken and the upload's JSON answer.
    pub fn upload(&self, file_name: &str, zip: Vec<u8>) -> (String, serde_json::Value) {
        let resp = self.soap("paaSILAutorizzaImportFlusso", "<password>demo</password>");
        let upload_url = field(&resp, "uploadUrl").unwrap();
        let token = field(&resp, "authorizationToken").unwrap();
        let request_token = field(&resp, "requestToken").unwrap();
        let part = reqwest::blocking::multipart::Part::bytes(zip)
            .file_name(file_name.to_string())
            .mime_str("application/zip")
            .unwrap();
        let form = reqwest::blocking::multipart::Form::new()
            .text("authorizationToken", token)
            .part("file", part);
        let r = self.http.post(upload_url).multipart(form).send().unwrap();
        assert_eq!(r.status().as_u16(), 200);
        (request_token, r.json().unwrap())
    }

    /// Polls `paaSILChiediStatoImportFlusso` until the state is no longer a waiting one.
    pub fn wait_import(&self, request_token: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let resp = self.soap(
                "paaSILChiediStatoImportFlusso",
                &format!(
                    "<requestToken>{request_token}</requestToken><password>demo</password>\
                     <fileScarti>true</fileScarti><fileIUV>true</fileIUV><fileAvvisi>true</fileAvvisi>"
                ),
            );
            let stato = field(&resp, "stato").unwrap_or_default();
            if stato != "LOAD_IMPORT" && stato != "IMPORT_IN_ELAB" {
                return resp;
            }
            assert!(Instant::now() < deadline, "import still {stato}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Polls `paaSILChiediStatoExportFlusso` until done.
    pub fn wait_export(&self, request_token: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let resp = self.soap(
                "paaSILChiediStatoExportFlusso",
                &format!("<password>demo</password><requestToken>{request_token}</requestToken>"),
            );
            let stato = field(&resp, "stato").unwrap_or_default();
            if stato != "LOAD_EXPORT" && stato != "EXPORT_IN_ELAB" {
                return resp;
            }
            assert!(Instant::now() < deadline, "export still {stato}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Text of the first `<name>` element (unqualified, as MyPay writes the fields), unescaped.
pub fn field(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(
        xml[start..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

pub fn fault_code(xml: &str) -> Option<String> {
    field(xml, "faultCode")
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/emulator/fixtures")
}

/// Whether xmllint accepts the document against a fixture schema.
pub fn xmllint_accepts(schema: &str, doc: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.xml");
    std::fs::write(&path, doc).unwrap();
    Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(fixtures().join(schema))
        .arg(&path)
        .output()
        .expect("xmllint (package libxml2-utils) must be installed")
        .status
        .success()
}

fn xmllint(schema: &str, doc: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.xml");
    std::fs::write(&path, doc).unwrap();
    let out = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(fixtures().join(schema))
        .arg(&path)
        .output()
        .expect("xmllint (package libxml2-utils) must be installed");
    assert!(
        out.status.success(),
        "xmllint refused the document:\n{}\n{doc}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Validates the body element of a SOAP response against the WSDL's inline schema.
pub fn validate_response(envelope: &str) {
    let start = envelope.find("<SOAP-ENV:Body>").expect("body") + "<SOAP-ENV:Body>".len();
    let end = envelope.rfind("</SOAP-ENV:Body>").expect("body end");
    xmllint("ppt.xsd", &envelope[start..end]);
}

/// Validates a `pay_i` payload (Dovuti, Pagati…).
pub fn validate_pay_i(xml: &str) {
    xmllint("PagInf_Dovuti_Pagati_6_2_0.xsd", xml);
}

pub fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

pub fn unb64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .unwrap()
}

/// Valid rows from the backbone's generator (azione I, flagGeneraIuv true in 1_3+).
pub fn rows(n: usize, seed: u64, version: Version) -> Vec<RawRow> {
    let ente = mpd_core::debts::demo_ente();
    let today = chrono::Local::now().date_naive();
    let mut g = mpd_core::synth::Generator::new(seed, &ente, &mpd_core::synth::tipi_demo(), today);
    (0..n).map(|_| g.next_row(version)).collect()
}

/// The CSV of a flow: header, then each row's fields (no quoting needed for generated rows).
pub fn csv(version: Version, rows: &[RawRow], raw_lines: &[&str]) -> Vec<u8> {
    let mut out = version.header();
    out.push('\n');
    for r in rows {
        out.push_str(&r.values(version).collect::<Vec<_>>().join(";"));
        out.push('\n');
    }
    for l in raw_lines {
        out.push_str(l);
        out.push('\n');
    }
    out.into_bytes()
}

/// A zip holding `entry` = `data`.
pub fn zip_of(entry: &str, data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    z.start_file(entry, zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(data).unwrap();
    z.finish().unwrap().into_inner()
}

/// The single CSV of a result zip.
pub fn unzip_single(bytes: &[u8]) -> (String, String) {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    assert_eq!(z.len(), 1);
    let mut f = z.by_index(0).unwrap();
    let name = f.name().unwrap().to_string();
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    (name, s)
}

/// A second Ente for multi-Ente tests: `c_altro`, CF 00987654324, password `altro`.
pub fn ente_altro() -> mpd_emulator::EnteConfig {
    let mut e = mpd_emulator::EnteConfig::demo();
    e.ente.codice_ipa = "c_altro".into();
    e.ente.codice_fiscale = "00987654324".into();
    e.ente.denominazione = "Comune Altro".into();
    e.ente.codice_segregazione = "34".into();
    e.password = Some("altro".into());
    e
}

/// A `pay_i:Versamento` of tipo MENSA for the demo payer.
pub fn versamento_xml(iud: &str, importo: &str, azione: &str, extra_dati: &str) -> String {
    format!(
        r#"<pay_i:Versamento xmlns:pay_i="{PAY_I}"><pay_i:versioneOggetto>6.2.0</pay_i:versioneOggetto><pay_i:soggettoPagatore><pay_i:identificativoUnivocoPagatore><pay_i:tipoIdentificativoUnivoco>F</pay_i:tipoIdentificativoUnivoco><pay_i:codiceIdentificativoUnivoco>RSSMRA80A01H501U</pay_i:codiceIdentificativoUnivoco></pay_i:identificativoUnivocoPagatore><pay_i:anagraficaPagatore>MARIO ROSSI</pay_i:anagraficaPagatore></pay_i:soggettoPagatore><pay_i:datiVersamento><pay_i:dataEsecuzionePagamento>2099-12-31</pay_i:dataEsecuzionePagamento><pay_i:tipoVersamento>ALL</pay_i:tipoVersamento><pay_i:identificativoUnivocoDovuto>{iud}</pay_i:identificativoUnivocoDovuto><pay_i:importoSingoloVersamento>{importo}</pay_i:importoSingoloVersamento>{extra_dati}<pay_i:identificativoTipoDovuto>MENSA</pay_i:identificativoTipoDovuto><pay_i:causaleVersamento>Mensa scolastica</pay_i:causaleVersamento><pay_i:datiSpecificiRiscossione>9/0107101TS/</pay_i:datiSpecificiRiscossione></pay_i:datiVersamento><pay_i:azione>{azione}</pay_i:azione></pay_i:Versamento>"#
    )
}

/// `paaSILImportaDovuto` for the demo Ente with MyPay generating the IUV; returns the answer.
pub fn importa_dovuto(sim: &Sim, xml: &str, extra: &str) -> String {
    sim.soap(
        "paaSILImportaDovuto",
        &format!(
            "<password>demo</password><dovuto>{}</dovuto><flagGeneraIuv>true</flagGeneraIuv>{extra}",
            b64(xml)
        ),
    )
}

/// Pays every open debt of an Ente through `/sim/pay`.
pub fn pay_all(sim: &Sim, ente: &str) -> serde_json::Value {
    let r = sim
        .http
        .post(sim.url("/sim/pay"))
        .json(&serde_json::json!({ "ente": ente, "share": 1.0, "seed": 3 }))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    r.json().unwrap()
}

/// The value of `name="<name>" value="…"` in an HTML page.
pub fn form_value(html: &str, name: &str) -> Option<String> {
    let key = format!("name=\"{name}\" value=\"");
    let start = html.find(&key)? + key.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}
