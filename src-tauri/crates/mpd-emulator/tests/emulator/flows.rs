//! Import and export flows end to end: authorise, upload, poll, download `_SCARTI`, `_IUV` and
//! `_AVVISI_PDF`; I/M/A semantics; file-level errors; payments and their export.

use mpd_domain::{Column, Version};

use crate::common::*;

fn flow_name(iuf: &str) -> String {
    format!("c_demo-{iuf}-1_4")
}

#[test]
fn scripted_import_pay_and_export() {
    let sim = start();
    let version = Version::V1_4;
    let good = rows(12, 7, version);
    let mut bad_cf = rows(1, 8, version).remove(0);
    bad_cf.set(Column::Iud, "BAD-CF-1");
    bad_cf.set(Column::CodiceIdentificativoUnivoco, "RSSMRA80A01H501X");
    let mut dup = good[0].clone();
    dup.set(Column::CausaleVersamento, "duplicato");
    let name = flow_name("SCRIPT1");
    let data = csv(
        version,
        &[good.clone(), vec![bad_cf, dup]].concat(),
        &["troppo;poche;colonne"],
    );
    let (token, json) = sim.upload(
        &format!("{name}.zip"),
        zip_of(&format!("{name}.csv"), &data),
    );
    assert_eq!(json[0]["fileName"], format!("{name}.zip"));
    assert!(json[0]["fileSize"].is_string());
    let resp = sim.wait_import(&token);
    validate_response(&resp);
    assert_eq!(
        field(&resp, "stato").as_deref(),
        Some("IMPORT_ESEGUITO"),
        "{resp}"
    );
    // _SCARTI: the three rejected rows, as the original line + MyPay's codes.
    let (status, zip) = sim.get_bytes(&field(&resp, "urlFileScarti").unwrap());
    assert_eq!(status, 200);
    let (entry, scarti) = unzip_single(&zip);
    assert_eq!(entry, format!("{name}_SCARTI.csv"));
    let lines: Vec<&str> = scarti.lines().collect();
    assert_eq!(
        lines[0],
        format!("{};cod_rifiuto;de_rifiuto", version.header())
    );
    assert_eq!(lines.len(), 4, "{scarti}");
    assert!(
        scarti.contains(";PAA_IMPORT_SINTASSI_CSV_COD_FISC;"),
        "{scarti}"
    );
    assert!(scarti.contains(
        ";PAA_IMPORT_IUD_DUPLICATO;Errore IUD duplicato all''interno dello stesso flusso"
    ));
    assert!(scarti.contains("troppo;poche;colonne;PAA_IMPORT_SINTASSI_CSV;|ERRORE GENERICO NELLA LETTURA DELLA RIGA DEL CSV"));
    // _IUV: the loaded rows, with the IUVs MyPay generated (segregation 12, then 00, mod 93).
    let (_, zip) = sim.get_bytes(&field(&resp, "urlFileIUV").unwrap());
    let (entry, iuv_csv) = unzip_single(&zip);
    assert_eq!(entry, format!("{name}_IUV.csv"));
    let iuv_lines: Vec<&str> = iuv_csv.lines().skip(1).collect();
    assert_eq!(iuv_lines.len(), 12);
    for l in &iuv_lines {
        let f: Vec<&str> = l.split(';').collect();
        assert_eq!(
            f.len(),
            22,
            "1_4 rows without a secondary beneficiary have 22 fields: {l}"
        );
        assert!(
            f[1].starts_with("1200") && mpd_domain::iuv::iuv17_is_valid(f[1]),
            "{l}"
        );
    }
    // _AVVISI_PDF: one real PDF per generated IUV.
    let (_, zip) = sim.get_bytes(&field(&resp, "urlFileAvvisi").unwrap());
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    assert_eq!(z.len(), 12);
    let mut pdf = Vec::new();
    std::io::Read::read_to_end(&mut z.by_index(0).unwrap(), &mut pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        z.by_index(0)
            .unwrap()
            .name()
            .unwrap()
            .starts_with("avviso_1200")
    );

    // Citizens pay 70% of the open debts.
    let paid = mpd_emulator::remote_pay(
        &sim.handle.base_url,
        &mpd_emulator::PayRequest {
            ente: "c_demo".into(),
            share: Some(0.7),
            seed: Some(3),
            data: None,
            iud: Vec::new(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(paid.aperti, 12);
    assert!(!paid.pagati.is_empty() && paid.pagati.len() < 12);

    // Their export, by payment date (today), version 1.3 with ricevuta through the incremental call.
    let today = chrono::Local::now().date_naive();
    let r = sim.soap(
        "paaSILPrenotaExportFlusso",
        &format!("<password>demo</password><dateFrom>{today}</dateFrom><dateTo>{today}</dateTo><versioneTracciato>1.2</versioneTracciato>"),
    );
    let resp = sim.wait_export(&field(&r, "requestToken").unwrap());
    validate_response(&resp);
    assert_eq!(field(&resp, "stato").as_deref(), Some("EXPORT_ESEGUITO"));
    let (status, zip) = sim.get_bytes(&field(&resp, "downloadUrl").unwrap());
    assert_eq!(status, 200);
    let (entry, export) = unzip_single(&zip);
    let exp_name = mpd_tracciato::ExportName::parse(&entry).unwrap();
    assert_eq!(exp_name.codice_ipa.as_deref(), Some("c_demo"));
    let rows: Vec<_> = mpd_tracciato::ExportReader::new(export.as_bytes())
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(rows.len(), paid.pagati.len());
    assert_eq!(rows[0].layout().column_count(), 65);
    let iurs: Vec<&str> = rows
        .iter()
        .map(|r| r.get("identificativoUnivocoRiscoss").unwrap())
        .collect();
    for p in &paid.pagati {
        assert!(iurs.contains(&p.iur.as_str()));
    }

    // Incremental with ricevuta, version 1.3: the same payments, and the window chains. The
    // window is half-open on seconds: wait for the payments' second to be in the past.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let from = (chrono::Local::now() - chrono::Duration::hours(1)).format("%Y-%m-%dT%H:%M:%S");
    let r = sim.soap(
        "paaSILPrenotaExportFlussoIncrementaleConRicevuta",
        &format!("<password>demo</password><dateFrom>{from}</dateFrom><ricevuta>true</ricevuta><incrementale>true</incrementale><versioneTracciato>1.3</versioneTracciato>"),
    );
    let date_to = field(&r, "dateTo").unwrap_or_else(|| panic!("{r}"));
    let resp = sim.wait_export(&field(&r, "requestToken").unwrap());
    let (_, zip) = sim.get_bytes(&field(&resp, "downloadUrl").unwrap());
    let (_, export) = unzip_single(&zip);
    let rows: Vec<_> = mpd_tracciato::ExportReader::new(export.as_bytes())
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(rows.len(), paid.pagati.len());
    assert_eq!(rows[0].layout().column_count(), 74);
    let rt = String::from_utf8(unb64(rows[0].rt().unwrap())).unwrap();
    assert!(rt.contains("<receipt>") && rt.contains("<idPSP>"), "{rt}");
    // The next window starts at dateTo: nothing new.
    let r = sim.soap(
        "paaSILPrenotaExportFlussoIncrementaleConRicevuta",
        &format!("<password>demo</password><dateFrom>{date_to}</dateFrom><ricevuta>false</ricevuta><incrementale>true</incrementale>"),
    );
    let resp = sim.wait_export(&field(&r, "requestToken").unwrap());
    assert_eq!(
        field(&resp, "stato").as_deref(),
        Some("EXPORT_ESEGUITO_NESSUN_DOVUTO_TROVATO")
    );
    assert!(field(&resp, "downloadUrl").is_none());
}

#[test]
fn modify_and_cancel_against_the_emulator_debts() {
    let sim = start();
    let version = Version::V1_4;
    let base = rows(3, 21, version);
    let name = flow_name("IMA1");
    let (t, _) = sim.upload(
        &format!("{name}.zip"),
        zip_of(&format!("{name}.csv"), &csv(version, &base, &[])),
    );
    assert_eq!(
        field(&sim.wait_import(&t), "stato").as_deref(),
        Some("IMPORT_ESEGUITO")
    );
    // Read the generated IUVs back: M must resend them.
    let resp = sim.wait_import(&t);
    let (_, zip) = sim.get_bytes(&field(&resp, "urlFileIUV").unwrap());
    let (_, iuv_csv) = unzip_single(&zip);
    let iuvs: Vec<String> = iuv_csv
        .lines()
        .skip(1)
        .map(|l| l.split(';').nth(1).unwrap().to_string())
        .collect();

    let mut m = base[0].clone();
    m.set(Column::Azione, "M");
    // MyPay's own IUVs (`00` after the segregation code) pass its check only with the flag.
    m.set(Column::CodIuv, iuvs[0].clone());
    m.set(Column::ImportoDovuto, "99.00");
    let mut a = base[1].clone();
    a.set(Column::Azione, "A");
    a.set(Column::CodIuv, iuvs[1].clone());
    let mut m_unknown = base[2].clone();
    m_unknown.set(Column::Iud, "MAI-VISTO");
    m_unknown.set(Column::Azione, "M");
    let mut i_again = base[2].clone();
    i_again.set(Column::CausaleVersamento, "reinserito");
    let mut m_iuv_changed = base[2].clone();
    m_iuv_changed.set(Column::Azione, "M");
    m_iuv_changed.set(Column::CodIuv, "");
    let name = flow_name("IMA2");
    let data = csv(version, &[m, a, m_unknown, i_again, m_iuv_changed], &[]);
    let (t, _) = sim.upload(
        &format!("{name}.zip"),
        zip_of(&format!("{name}.csv"), &data),
    );
    let resp = sim.wait_import(&t);
    let (_, zip) = sim.get_bytes(&field(&resp, "urlFileScarti").unwrap());
    let (_, scarti) = unzip_single(&zip);
    assert!(scarti.contains("MAI-VISTO") && scarti.contains(";PAA_IMPORT_ERROR;|CODICE PAA_IMPORT_ERROR DESCRIZIONE Dovuto non trovato per IUD [MAI-VISTO] e codice IPA Ente [c_demo]"), "{scarti}");
    assert!(
        scarti.contains(";|PAA_IMPORT_IUD_DUPLICATO;|IUD attivo presente nel database"),
        "{scarti}"
    );
    assert!(scarti.contains(";|PAA_IMPORT_IUV_NO_NULLABLE;"), "{scarti}");
    let (_, zip) = sim.get_bytes(&field(&resp, "urlFileIUV").unwrap());
    let (_, iuv_csv) = unzip_single(&zip);
    assert_eq!(iuv_csv.lines().count(), 3, "{iuv_csv}");
    assert!(iuv_csv.contains(";99.00;"));
    // A cancelled debt cannot be modified any more; a paid one neither.
    let mut again = base[1].clone();
    again.set(Column::Azione, "A");
    again.set(Column::CodIuv, iuvs[1].clone());
    let name = flow_name("IMA3");
    let (t, _) = sim.upload(
        &format!("{name}.zip"),
        zip_of(&format!("{name}.csv"), &csv(version, &[again], &[])),
    );
    let resp = sim.wait_import(&t);
    assert!(field(&resp, "urlFileScarti").is_some());
}

#[test]
fn file_level_errors_are_reported_instead_of_the_state() {
    let sim = start();
    // Duplicate IUF (same Ente, flow already loaded).
    let data = csv(Version::V1_4, &rows(1, 31, Version::V1_4), &[]);
    let (t, _) = sim.upload("c_demo-DUP-1_4.zip", zip_of("c_demo-DUP-1_4.csv", &data));
    assert_eq!(
        field(&sim.wait_import(&t), "stato").as_deref(),
        Some("IMPORT_ESEGUITO")
    );
    let (t, _) = sim.upload("c_demo-DUP-1_3.zip", zip_of("c_demo-DUP-1_3.csv", &data));
    assert_eq!(
        field(&sim.wait_import(&t), "stato").as_deref(),
        Some("PAA_IMPORT_FLUSSO_DUPLICATO")
    );
    // Unknown version, two-part name, wrong Ente case, missing csv.
    let (t, _) = sim.upload("c_demo-V9-1_9.zip", zip_of("c_demo-V9-1_9.csv", &data));
    assert_eq!(
        field(&sim.wait_import(&t), "stato").as_deref(),
        Some("PAA_IMPORT_FILE_VERSIONE_ERR(1_9)")
    );
    let (t, _) = sim.upload("c_demo-DUEPARTI.zip", zip_of("c_demo-DUEPARTI.csv", &data));
    assert_eq!(
        field(&sim.wait_import(&t), "stato").as_deref(),
        Some("PAA_IMPORT_NOME_FILE_ERR(c_demo-DUEPARTI)")
    );
    let (t, _) = sim.upload(
        "c_demo-NOCSV-1_4.zip",
        zip_of("c_demo-NOCSV-1_4.txt", &data),
    );
    assert_eq!(
        field(&sim.wait_import(&t), "stato").as_deref(),
        Some("PAA_IMPORT_NO_CSV")
    );
}

#[test]
fn upload_checks_answer_http_200_with_a_json_error() {
    let sim = start();
    let data = csv(Version::V1_4, &rows(1, 41, Version::V1_4), &[]);
    let (_, json) = sim.upload("c_demo-A-1_4.csv", data.clone());
    assert_eq!(json[0]["codice"], "400");
    assert!(
        json[0]["descrizione"]
            .as_str()
            .unwrap()
            .ends_with("Il formato del file [c_demo-A-1_4.csv] deve essere lo zip.")
    );
    let (_, json) = sim.upload("c_demo-B-1_4.zip", zip_of("altro.csv", &data));
    assert!(
        json[0]["descrizione"]
            .as_str()
            .unwrap()
            .contains("deve essere uguale al nome dello zip")
    );
    let (_, json) = sim.upload("c_altro-C-1_4.zip", zip_of("c_altro-C-1_4.csv", &data));
    assert!(
        json[0]["descrizione"]
            .as_str()
            .unwrap()
            .contains("deve iniziare col codice dell'ente")
    );
    let (t, _) = sim.upload("c_demo-D-1_4.zip", zip_of("c_demo-D-1_4.csv", &data));
    sim.wait_import(&t);
    let (_, json) = sim.upload("c_demo-D-1_4.zip", zip_of("c_demo-D-1_4.csv", &data));
    assert!(
        json[0]["descrizione"]
            .as_str()
            .unwrap()
            .contains("esiste gia'"),
        "{json}"
    );
    // A rejected upload leaves no import: the status call says the token is unknown.
    let (t, _) = sim.upload("c_demo-E-1_4.txt", data);
    let r = sim.soap(
        "paaSILChiediStatoImportFlusso",
        &format!("<requestToken>{t}</requestToken><password>demo</password>"),
    );
    assert_eq!(
        fault_code(&r).as_deref(),
        Some("PAA_REQUEST_TOKEN_NON_VALIDO")
    );
}

#[test]
fn upload_token_is_single_use_and_must_be_valid() {
    let sim = start();
    let resp = sim.soap("paaSILAutorizzaImportFlusso", "<password>demo</password>");
    let token = field(&resp, "authorizationToken").unwrap();
    let data = zip_of(
        "c_demo-T-1_4.csv",
        &csv(Version::V1_4, &rows(1, 51, Version::V1_4), &[]),
    );
    let send = |tok: &str| {
        let part =
            reqwest::blocking::multipart::Part::bytes(data.clone()).file_name("c_demo-T-1_4.zip");
        let form = reqwest::blocking::multipart::Form::new().part("file", part);
        let r = sim
            .http
            .post(sim.url(&format!(
                "/public/mybox/uploadFlusso?authorizationToken={tok}"
            )))
            .multipart(form)
            .send()
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        r.json::<serde_json::Value>().unwrap()
    };
    assert!(send(&token)[0]["fileName"].is_string());
    let again = send(&token);
    assert_eq!(again[0]["codice"], "500");
    assert!(
        again[0]["descrizione"]
            .as_str()
            .unwrap()
            .contains("Request token già usato")
    );
    assert_eq!(send("token-falso")[0]["codice"], "500");
}

#[test]
fn an_oversized_upload_is_a_400() {
    let sim = start();
    let resp = sim.soap("paaSILAutorizzaImportFlusso", "<password>demo</password>");
    let token = field(&resp, "authorizationToken").unwrap();
    let big = vec![b'x'; 10 * 1024 * 1024 + 10];
    let part = reqwest::blocking::multipart::Part::bytes(big).file_name("c_demo-BIG-1_4.zip");
    let form = reqwest::blocking::multipart::Form::new()
        .text("authorizationToken", token)
        .part("file", part);
    let r = sim
        .http
        .post(sim.url("/public/mybox/uploadFlusso"))
        .multipart(form)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let json: serde_json::Value = r.json().unwrap();
    assert!(
        json["message"]
            .as_str()
            .unwrap()
            .contains("superiore a quella consentita")
    );
}

#[test]
fn download_errors_401_418_and_a_bad_token() {
    let sim = start_with(|o| o.faults.token_ttl_secs = Some(1));
    let data = csv(Version::V1_4, &rows(2, 61, Version::V1_4), &[]);
    let (t, _) = sim.upload("c_demo-DL-1_4.zip", zip_of("c_demo-DL-1_4.csv", &data));
    let resp = sim.wait_import(&t);
    let url = field(&resp, "urlFileIUV").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let (status, body) = sim.get_bytes(&url);
    assert_eq!(status, 401);
    assert!(String::from_utf8_lossy(&body).starts_with("Token download scaduto"));
    // A fresh status call mints a fresh token; a missing file is MyPay's 418.
    sim.http
        .put(sim.url("/sim/faults"))
        .json(&serde_json::json!({}))
        .send()
        .unwrap();
    let resp = sim.wait_import(&t);
    let url = field(&resp, "urlFileIUV").unwrap();
    assert_eq!(sim.get_bytes(&url).0, 200);
    let missing = url.replace("_IUV.zip", "_NONCE.zip");
    assert_eq!(sim.get_bytes(&missing).0, 418);
    let traversal = url.replace("/IMPORT_ELABORATI/", "/../../IMPORT_ELABORATI/");
    assert_eq!(sim.get_bytes(&traversal).0, 500);
    let forged = url.replace("securityToken=", "securityToken=x");
    assert_eq!(sim.get_bytes(&forged).0, 500);
}

#[test]
fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("emu");
    let token;
    {
        let sim = start_with(|o| o.data_dir = data_dir.clone());
        let data = csv(Version::V1_4, &rows(2, 71, Version::V1_4), &[]);
        let (t, _) = sim.upload("c_demo-R-1_4.zip", zip_of("c_demo-R-1_4.csv", &data));
        sim.wait_import(&t);
        token = t;
    }
    let sim = start_with(|o| o.data_dir = data_dir.clone());
    let resp = sim.wait_import(&token);
    assert_eq!(field(&resp, "stato").as_deref(), Some("IMPORT_ESEGUITO"));
    assert_eq!(sim.get_bytes(&field(&resp, "urlFileIUV").unwrap()).0, 200);
}
