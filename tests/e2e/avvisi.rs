//! `notices plan` and `notices build`: a campaign's notices from the CLI (issue 14 item 5).

use mpd_e2e::{ENTE_TOML, Env};
use mpd_store::RigaEsito;

fn posizione(env: &Env, codice: &str, cf: &str, nome: &str, cap: &str) {
    let r = env.cli(&[
        "debts",
        "add-position",
        "--codice",
        codice,
        "--cf",
        cf,
        "--nome",
        nome,
        "--tipo",
        "TARI",
        "--causale",
        "TARI 2030",
        "--indirizzo",
        "Via Roma",
        "--civico",
        "1",
        "--cap",
        cap,
        "--localita",
        "Milano",
        "--provincia",
        "MI",
        "--unica",
        "240,00@30/04/2030",
        "--rata",
        "120,00@30/04/2030",
        "--rata",
        "120,00@31/10/2030",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
}

/// Sends the ready debts and lets MyPay load them with an IUV each.
fn carica(env: &Env) {
    let r = env.cli(&[
        "flow",
        "build",
        "--out",
        env.path("flussi").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let mut desk = env.desk();
    let now = desk.now();
    let righe = desk.store().righe_flusso(1).unwrap();
    let esiti: Vec<RigaEsito> = righe
        .into_iter()
        .enumerate()
        .map(|(i, r)| RigaEsito::Caricato {
            iud: r.iud,
            iuv: Some(mpd_domain::iuv::generate_iuv17("12", "00", 500 + i as u64).unwrap()),
        })
        .collect();
    desk.store_mut().apply_esiti(1, &esiti, now).unwrap();
}

#[test]
fn notices_build_json_prints_the_manifest_and_plan_writes_nothing() {
    // The shared profile's fiscal code fails the check digit a notice's QR code needs.
    let env = Env::new();
    let toml = ENTE_TOML.replace("00123456789", "02342520158");
    let toml = env.write("ente.toml", toml.as_bytes());
    assert_eq!(env.cli(&["ente", "set", toml.to_str().unwrap()]).code, 0);
    posizione(&env, "T-1", "RSSMRA80A01H501U", "Mario Rossi", "20100");
    posizione(&env, "T-2", "VRDLGU75B02F205A", "Luigi Verdi", "10100");
    carica(&env);
    // Created after the flow: no IUVs yet, listed with its reason.
    posizione(&env, "T-3", "BNCGNN70A41F205Y", "Giovanna Bianchi", "30100");
    let out = env.path("avvisi");
    let o = out.to_str().unwrap();

    let (code, piano) = env.json(&["notices", "plan", "--tipo", "TARI", "--anno", "2030"]);
    assert_eq!(code, 0, "{piano}");
    assert_eq!(piano["avvisi"], 2, "{piano}");
    assert_eq!(piano["opzioni"], 6, "{piano}");
    assert_eq!(piano["gruppi_esclusi"][0]["motivo"], "senza_iuv", "{piano}");
    assert_eq!(piano["esclusi"][0]["posizione"], "T-3", "{piano}");
    let r = env.cli(&[
        "notices",
        "build",
        "--out",
        o,
        "--tipo",
        "TARI",
        "--dry-run",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.out.contains("2 avvisi da stampare"), "{}", r.out);
    assert!(r.out.contains("T-3"), "{}", r.out);
    assert!(!out.exists(), "a plan writes nothing");

    let (code, v) = env.json(&[
        "notices",
        "build",
        "--out",
        o,
        "--tipo",
        "TARI",
        "--anno",
        "2030",
        "--per-file",
        "1",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["avvisi"], 2);
    let righe = v["righe"].as_array().unwrap();
    // By postcode: Verdi (10100) first.
    assert_eq!(righe[0]["posizione"], "T-2");
    assert_eq!(righe[0]["cap"], "10100");
    assert_eq!(righe[0]["file_stampa"], "stampa_TARI_2030_001.pdf");
    assert_eq!(righe[1]["file_stampa"], "stampa_TARI_2030_002.pdf");
    assert_eq!(righe[1]["prima_pagina"], 1);
    let p = &righe[0]["pagamenti"];
    assert_eq!(p.as_array().unwrap().len(), 3);
    assert_eq!(p[1]["etichetta"], "rata 1");
    assert_eq!(p[1]["importo"], "120,00");
    assert_eq!(p[2]["scadenza"], "31/10/2030");
    let codice = p[0]["codice_avviso"].as_str().unwrap();
    assert_eq!(codice.len(), 18);
    assert_eq!(righe[0]["file"], format!("VRDLGU75B02F205A_{codice}.pdf"));
    for f in [
        righe[0]["file"].as_str().unwrap(),
        "stampa_TARI_2030_001.pdf",
        "stampa_TARI_2030_002.pdf",
        v["manifesto_csv"].as_str().unwrap(),
        v["manifesto_xlsx"].as_str().unwrap(),
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    assert_eq!(v["esclusi"][0]["motivo"], "senza_iuv");

    // Nothing to print: an error with its code, exit 2, no file.
    let (code, e) = env.json(&["notices", "build", "--out", o, "--anno", "2040"]);
    assert_eq!(code, 2, "{e}");
    assert_eq!(e["codice"], "non_consentito", "{e}");
    let r = env.cli(&["notices", "build", "--out", o, "--nome", "{nome}.pdf"]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.err.contains("segnaposto"), "{}", r.err);
}
