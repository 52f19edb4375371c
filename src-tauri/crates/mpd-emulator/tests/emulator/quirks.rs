//! The quirks of MyPay a client must survive (issue 4, item 7), one test each.

use mpd_domain::{Column, Version};

use crate::common::*;

/// Imports `n` bad rows (wrong CF) and `good` good ones; returns the scarti CSV.
fn scarti_of(sim: &Sim, iuf: &str, n: usize) -> (Vec<String>, String) {
    let version = Version::V1_4;
    let mut bad = rows(n, 90, version);
    let mut iuds = Vec::new();
    for (i, r) in bad.iter_mut().enumerate() {
        r.set(Column::Iud, format!("SCARTO-{i:03}"));
        r.set(Column::CodiceIdentificativoUnivoco, "NONVALIDO");
        iuds.push(format!("SCARTO-{i:03}"));
    }
    let name = format!("c_demo-{iuf}-1_4");
    let (t, _) = sim.upload(
        &format!("{name}.zip"),
        zip_of(&format!("{name}.csv"), &csv(version, &bad, &[])),
    );
    let resp = sim.wait_import(&t);
    let (_, zip) = sim.get_bytes(&field(&resp, "urlFileScarti").unwrap());
    (iuds, unzip_single(&zip).1)
}

#[test]
fn scarti_rows_are_not_in_file_order() {
    let sim = start();
    let (iuds, scarti) = scarti_of(&sim, "ORDINE", 10);
    let found: Vec<String> = scarti
        .lines()
        .skip(1)
        .map(|l| l.split(';').next().unwrap().to_string())
        .collect();
    let mut sorted = found.clone();
    sorted.sort();
    assert_eq!(sorted, iuds, "every rejected row is there");
    assert_ne!(found, iuds, "but not in the file's order");
    // With the quirk switched off the order is the file's.
    let sim = start_with(|o| o.shuffle_scarti = false);
    let (iuds, scarti) = scarti_of(&sim, "ORDINE2", 10);
    let found: Vec<String> = scarti
        .lines()
        .skip(1)
        .map(|l| l.split(';').next().unwrap().to_string())
        .collect();
    assert_eq!(found, iuds);
}

#[test]
fn iuv_file_writes_empty_bilancio_and_flag_as_literal_null() {
    let sim = start();
    let version = Version::V1_3;
    let mut r = rows(1, 91, version).remove(0);
    r.set(Column::FlagGeneraIuv, "");
    r.set(Column::CodIuv, "");
    let name = "c_demo-NULL-1_3";
    let (t, _) = sim.upload(
        &format!("{name}.zip"),
        zip_of(&format!("{name}.csv"), &csv(version, &[r], &[])),
    );
    let resp = sim.wait_import(&t);
    let (_, zip) = sim.get_bytes(&field(&resp, "urlFileIUV").unwrap());
    let (_, iuv_csv) = unzip_single(&zip);
    let line = iuv_csv.lines().nth(1).unwrap();
    assert!(line.ends_with(";null;null;I"), "{line}");
}

#[test]
fn upload_errors_come_with_http_200() {
    let sim = start();
    let (_, json) = sim.upload("c_demo-X-1_4.rar", b"not a zip".to_vec());
    assert!(json.is_array());
    assert_eq!(json[0]["codice"], "400");
    assert!(json[0]["descrizione"].as_str().unwrap().starts_with('['));
}

#[test]
fn status_call_answers_an_error_code_instead_of_a_state() {
    let sim = start();
    let data = csv(Version::V1_4, &rows(1, 92, Version::V1_4), &[]);
    let (t, _) = sim.upload("c_demo-ENTE-1_9.zip", zip_of("c_demo-ENTE-1_9.csv", &data));
    let resp = sim.wait_import(&t);
    validate_response(&resp);
    assert_eq!(
        field(&resp, "stato").as_deref(),
        Some("PAA_IMPORT_FILE_VERSIONE_ERR(1_9)")
    );
    assert!(field(&resp, "urlFileScarti").is_none());
}

#[test]
fn pagati_is_base64_of_base64() {
    let sim = start();
    let data = csv(Version::V1_4, &rows(1, 93, Version::V1_4), &[]);
    let (t, _) = sim.upload("c_demo-B64-1_4.zip", zip_of("c_demo-B64-1_4.csv", &data));
    let resp = sim.wait_import(&t);
    let (_, zip) = sim.get_bytes(&field(&resp, "urlFileIUV").unwrap());
    let (_, iuv_csv) = unzip_single(&zip);
    let iuv = iuv_csv
        .lines()
        .nth(1)
        .unwrap()
        .split(';')
        .nth(1)
        .unwrap()
        .to_string();
    mpd_emulator::remote_pay(
        &sim.handle.base_url,
        &mpd_emulator::PayRequest {
            ente: "c_demo".into(),
            share: Some(1.0),
            seed: None,
            data: None,
            iud: Vec::new(),
            ..Default::default()
        },
    )
    .unwrap();
    let r = sim.soap_body_only(
        "paaSILChiediPagatiConRicevuta",
        &format!("<codIpaEnte>c_demo</codIpaEnte><password>demo</password><identificativoUnivocoVersamento>{iuv}</identificativoUnivocoVersamento>"),
    );
    validate_response(&r);
    let once = unb64(&field(&r, "pagati").unwrap());
    assert!(!once.starts_with(b"<"), "decoded once it is still base64");
    let xml = String::from_utf8(unb64(std::str::from_utf8(&once).unwrap())).unwrap();
    assert!(xml.starts_with("<ns2:PagatiConRicevuta"), "{xml}");
    validate_pay_i(&xml);
    // rt is single base64.
    let rt = String::from_utf8(unb64(&field(&r, "rt").unwrap())).unwrap();
    assert!(rt.starts_with("<?xml"));
}
