//! Fault injection through `/sim/faults`: latency, HTTP errors, dropped and truncated
//! transfers, stuck processing; the same seed replays the same failures.

use std::time::{Duration, Instant};

use mpd_domain::Version;

use crate::common::*;

fn set(sim: &Sim, cfg: serde_json::Value) {
    let r = sim
        .http
        .put(sim.url("/sim/faults"))
        .json(&cfg)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

fn statuses(sim: &Sim, n: usize) -> Vec<u16> {
    (0..n)
        .map(|_| {
            sim.post_soap(
                "paaSILAutorizzaImportFlusso",
                envelope(
                    "paaSILAutorizzaImportFlusso",
                    Some("c_demo"),
                    "<password>demo</password>",
                ),
            )
            .0
        })
        .collect()
}

#[test]
fn http_errors_are_seeded_and_replayable() {
    let sim = start();
    set(
        &sim,
        serde_json::json!({ "seed": 9, "http_error_rate": 0.5, "http_error_status": 500 }),
    );
    let first = statuses(&sim, 20);
    assert!(first.contains(&500) && first.contains(&200), "{first:?}");
    set(
        &sim,
        serde_json::json!({ "seed": 9, "http_error_rate": 0.5, "http_error_status": 500 }),
    );
    assert_eq!(statuses(&sim, 20), first);
    // /sim is never faulty.
    assert_eq!(
        sim.http
            .get(sim.url("/sim/status"))
            .send()
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    set(&sim, serde_json::json!({}));
    assert!(statuses(&sim, 5).iter().all(|s| *s == 200));
}

#[test]
fn latency_is_added() {
    let sim = start_with(|o| o.faults.latency_ms = 300);
    let t = Instant::now();
    statuses(&sim, 1);
    assert!(t.elapsed() >= Duration::from_millis(300));
}

#[test]
fn downloads_dropped_or_truncated_and_uploads_dropped() {
    let sim = start();
    let data = csv(Version::V1_4, &rows(3, 111, Version::V1_4), &[]);
    let (t, _) = sim.upload("c_demo-F-1_4.zip", zip_of("c_demo-F-1_4.csv", &data));
    let url = field(&sim.wait_import(&t), "urlFileIUV").unwrap();
    let (_, whole) = sim.get_bytes(&url);
    set(&sim, serde_json::json!({ "truncate_zip_rate": 1.0 }));
    let (status, cut) = sim.get_bytes(&url);
    assert_eq!(status, 200);
    assert_eq!(cut.len(), whole.len() / 2);
    assert!(zip::ZipArchive::new(std::io::Cursor::new(cut)).is_err());
    set(&sim, serde_json::json!({ "drop_download_rate": 1.0 }));
    let r = sim.http.get(&url).send();
    assert!(
        r.is_err() || r.unwrap().bytes().is_err(),
        "the body must fail"
    );
    set(&sim, serde_json::json!({ "drop_upload_rate": 1.0 }));
    let resp = sim.soap("paaSILAutorizzaImportFlusso", "<password>demo</password>");
    let part = reqwest::blocking::multipart::Part::bytes(zip_of("c_demo-G-1_4.csv", &data))
        .file_name("c_demo-G-1_4.zip");
    let form = reqwest::blocking::multipart::Form::new()
        .text(
            "authorizationToken",
            field(&resp, "authorizationToken").unwrap(),
        )
        .part("file", part);
    let r = sim
        .http
        .post(sim.url("/public/mybox/uploadFlusso"))
        .multipart(form)
        .send();
    assert!(
        r.is_err() || r.unwrap().text().is_err(),
        "the upload must fail"
    );
}

#[test]
fn processing_stuck_for_n_seconds() {
    let sim = start_with(|o| o.faults.stuck_secs = 2);
    let data = csv(Version::V1_4, &rows(1, 112, Version::V1_4), &[]);
    let (t, _) = sim.upload("c_demo-S-1_4.zip", zip_of("c_demo-S-1_4.csv", &data));
    std::thread::sleep(Duration::from_millis(800));
    let r = sim.soap(
        "paaSILChiediStatoImportFlusso",
        &format!("<requestToken>{t}</requestToken><password>demo</password>"),
    );
    assert_eq!(field(&r, "stato").as_deref(), Some("LOAD_IMPORT"));
    assert_eq!(
        field(&sim.wait_import(&t), "stato").as_deref(),
        Some("IMPORT_ESEGUITO")
    );
}
