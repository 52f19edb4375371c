//! Bad requests get MyPay's fault or a 4xx, never a crash or a hang: malformed XML, an XML
//! bomb, an oversized body, bytes that are not UTF-8, zip slip and zip bombs, a path in the
//! upload's file name. After each, the emulator still answers.

use std::io::Write;

use mpd_domain::Version;

use crate::common::*;

fn still_alive(sim: &Sim) {
    let r = sim.soap("paaSILAutorizzaImportFlusso", "<password>demo</password>");
    assert!(r.contains("<requestToken>"));
}

#[test]
fn malformed_xml_is_a_400() {
    let sim = start();
    for body in [
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>",
        "non è XML",
        "",
        "<a></b>",
        "<p:x/>",
    ] {
        assert_eq!(sim.post_soap("x", body.to_string()).0, 400, "{body}");
    }
    let r = sim
        .http
        .post(sim.handle.soap_url())
        .body(vec![0xff, 0xfe, 0x00, 0x3c])
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    still_alive(&sim);
}

#[test]
fn an_xml_bomb_is_refused_without_expanding_it() {
    let sim = start();
    let mut bomb = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        bomb.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    bomb.push_str("]>");
    bomb.push_str(
        &envelope(
            "paaSILAutorizzaImportFlusso",
            Some("c_demo"),
            "<password>&lol9;</password>",
        )
        .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", ""),
    );
    let start = std::time::Instant::now();
    assert_eq!(sim.post_soap("x", bomb).0, 400);
    assert!(start.elapsed().as_secs() < 5);
    // An external entity (XXE) is refused the same way.
    let xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";
    assert_eq!(sim.post_soap("x", xxe.to_string()).0, 400);
    still_alive(&sim);
}

#[test]
fn an_oversized_soap_body_is_a_413() {
    let sim = start();
    let big = "A".repeat(6 * 1024 * 1024);
    let body = envelope(
        "paaSILImportaDovuto",
        Some("c_demo"),
        &format!("<dovuto>{big}</dovuto>"),
    );
    // The server answers 413 as soon as the declared length exceeds the limit and may close the
    // connection while the client is still writing: then the client sees the connection cut
    // instead of the status. Either way the body was refused; a crash is caught below.
    match sim.try_post_soap("paaSILImportaDovuto", body) {
        Ok((status, _)) => assert_eq!(status, 413),
        Err(e) => assert!(!e.is_connect(), "the emulator refused the connection: {e}"),
    }
    still_alive(&sim);
}

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap().into_inner()
}

#[test]
fn zip_slip_entries_are_refused() {
    let sim = start();
    let data = csv(Version::V1_4, &rows(1, 101, Version::V1_4), &[]);
    // Outside the flow's name: the upload check refuses it on the spot.
    let (_, json) = sim.upload(
        "c_demo-SLIP-1_4.zip",
        zip_with(&[("c_demo-SLIP-1_4.csv", &data), ("../../evil.sh", b"x")]),
    );
    assert_eq!(json[0]["codice"], "400");
    // Starting with the flow's name but climbing out: the batch refuses the file.
    let (t, json) = sim.upload(
        "c_demo-SLIP2-1_4.zip",
        zip_with(&[
            ("c_demo-SLIP2-1_4.csv", &data),
            ("c_demo-SLIP2-1_4./../../evil", b"x"),
        ]),
    );
    assert!(json[0]["fileName"].is_string(), "{json}");
    assert_eq!(
        field(&sim.wait_import(&t), "stato").as_deref(),
        Some("PAA_IMPORT_ERROR")
    );
    assert!(!sim.dir.path().join("evil").exists());
    still_alive(&sim);
}

#[test]
fn a_zip_bomb_is_refused() {
    let sim = start();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file(
        "c_demo-BOMB-1_4.csv",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..600 {
        z.write_all(&zeros).unwrap();
    }
    let bytes = z.finish().unwrap().into_inner();
    assert!(bytes.len() < 10 * 1024 * 1024);
    let (t, _) = sim.upload("c_demo-BOMB-1_4.zip", bytes);
    assert_eq!(
        field(&sim.wait_import(&t), "stato").as_deref(),
        Some("PAA_IMPORT_ERROR")
    );
    still_alive(&sim);
}

#[test]
fn a_path_in_the_upload_file_name_is_refused() {
    let sim = start();
    let data = csv(Version::V1_4, &rows(1, 102, Version::V1_4), &[]);
    let (_, json) = sim.upload("../c_demo-P-1_4.zip", zip_of("c_demo-P-1_4.csv", &data));
    assert_eq!(json[0]["codice"], "400", "{json}");
    still_alive(&sim);
}
