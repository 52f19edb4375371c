//! `fdr download` and `sim tesoreria` against MyPay's emulator, through the CLI (issue 16):
//! debts paid in the emulator, `sync`, `fdr download`, every payment `rendicontato`; a second
//! download adds nothing; a flow that cannot be imported is set aside with its reason and file
//! while the days go on, and its day asked again once corrected stores it; the treasury journal of the same settlements read
//! back, CSV and OPI.

use std::time::Duration;

use chrono::Local;
use mpd_domain::Version;
use mpd_e2e::{Env, Run, row, tracciato};

const PASSWORD: &str = "Segreta-Fdr-7Qx";

fn must(r: &Run, what: &str) {
    assert_eq!(r.code, 0, "{what}: {r:?}");
}

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn fdr_download_reconciles_the_payments_resumes_and_the_journal_matches() {
    // SAFETY: first statement of this binary's only test: no other thread exists yet.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var("MYPAY_DESK_PASSWORD", PASSWORD)
    };
    let env = Env::with_ente();
    // The payments are made days ago and no treasury journal comes here: the treasury's and the
    // FdR's days wide, so that «rendicontato» stays so (not «non incassato»).
    let r = env.cli(&[
        "treasury",
        "rules",
        "--giorni-rendicontazione",
        "366",
        "--giorni-incasso",
        "366",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let emu_dir = tempfile::tempdir().unwrap();
    let emu = {
        let desk = env.desk();
        let mut options = mpd_emulator::EmulatorOptions::new(emu_dir.path().join("emu"));
        options.batch_interval = Duration::from_millis(20);
        options.enti = vec![mpd_emulator::EnteConfig {
            ente: desk.require_ente().unwrap(),
            tipi: desk.store().tipi_dovuto().unwrap(),
            password: Some(PASSWORD.to_string()),
            stato: "ESERCIZIO".into(),
            client_id: String::new(),
            client_secret: None,
        }];
        mpd_emulator::Emulator::start(options).unwrap()
    };
    let base = emu.base_url.clone();
    let ipa = env.desk().require_ente().unwrap().codice_ipa;
    must(
        &env.cli(&["--env", "custom", "--base-url", &base, "connection", "set"]),
        "connection set",
    );
    let righe: Vec<_> = (0..12)
        .map(|i| {
            row(
                &format!("FDR-{i:02}"),
                "RSSMRA80A01H501U",
                &format!("{}.25", 10 + i),
            )
        })
        .collect();
    let file = env.write("dovuti.csv", &tracciato(Version::V1_4, &righe));
    must(
        &env.cli(&["debts", "import", file.to_str().unwrap()]),
        "debts import",
    );
    must(&env.cli(&["sync"]), "sync");
    let giorno = (Local::now().date_naive() - chrono::Duration::days(12)).to_string();
    must(
        &env.cli(&[
            "sim",
            "pay",
            "--url",
            &base,
            "--ente",
            &ipa,
            "--share",
            "1",
            "--independent",
            "--data",
            &giorno,
        ]),
        "sim pay",
    );
    mpd_e2e::after_this_second();
    must(&env.cli(&["sync"]), "sync");
    let (_, pagamenti) = env.json(&["fdr", "payments"]);
    let n = pagamenti.as_array().unwrap().len();
    assert_eq!(n, 12, "{pagamenti}");

    // The emulator's scheduler has built the flows (the journal asks it too): spoil the latest
    // one, as if a PSP had sent it for another Ente.
    let csv_out = env.path("giornale.csv");
    must(
        &env.cli(&[
            "sim",
            "tesoreria",
            "--url",
            &base,
            "--ente",
            &ipa,
            "--format",
            "csv",
            "--out",
            csv_out.to_str().unwrap(),
        ]),
        "sim tesoreria",
    );
    let mut xml = Vec::new();
    files(
        &emu_dir
            .path()
            .join("emu/DATA")
            .join(&ipa)
            .join("RENDICONTAZIONE"),
        &mut xml,
    );
    xml.sort_by_key(|p| {
        let n = p.file_name().unwrap().to_string_lossy().to_string();
        n.rsplit('_').next().unwrap().to_string()
    });
    assert!(xml.len() >= 2, "{xml:?}");
    let ultimo = xml.last().unwrap().clone();
    let buono = std::fs::read_to_string(&ultimo).unwrap();
    std::fs::write(&ultimo, buono.replace("00123456789", "99999999999")).unwrap();
    // A flow that cannot be imported (another Ente's) is set aside, not a stop: the days go on.
    let (code, esito) = env.json(&["fdr", "download"]);
    assert_eq!(code, 0, "{esito}");
    let ieri = (Local::now().date_naive() - chrono::Duration::days(1)).to_string();
    assert_eq!(esito["fino_a"], ieri.as_str(), "{esito}");
    assert_eq!(esito["riepilogo"]["livello"], "avviso", "{esito}");
    let scartati = esito["scartati"].as_array().unwrap();
    assert_eq!(scartati.len(), 1, "{esito}");
    assert!(
        scartati[0]["motivo"]
            .as_str()
            .unwrap()
            .contains("99999999999"),
        "{esito}"
    );
    let tenuto = std::path::PathBuf::from(scartati[0]["file"].as_str().unwrap());
    assert!(tenuto.is_file(), "{esito}");
    let giorno = scartati[0]["giorno"].as_str().unwrap().to_string();
    let (_, pagamenti) = env.json(&["fdr", "payments"]);
    let rendicontati = pagamenti
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["stato"] == "rendicontato")
        .count();
    assert!(
        rendicontati > 0 && rendicontati < n,
        "the set-aside flow's payments are not reported: {pagamenti}"
    );
    // Its day asked again: set aside again, named in the text with its file.
    let r = env.cli(&["fdr", "download", "--from", &giorno, "--to", &giorno]);
    must(&r, "fdr download of the set-aside day");
    assert!(
        r.out.contains("Messo da parte il flusso")
            && r.out.contains("99999999999")
            && r.out
                .contains(&*tenuto.file_name().unwrap().to_string_lossy()),
        "{r:?}"
    );

    // Fixed at the source (the PSP's corrected flow): that day asked again stores it.
    std::fs::write(&ultimo, buono).unwrap();
    let (code, esito) = env.json(&["fdr", "download", "--from", &giorno, "--to", &giorno]);
    assert_eq!(code, 0, "{esito}");
    assert_eq!(esito["scartati"], serde_json::json!([]), "{esito}");
    assert!(esito["nuovi"].as_u64().unwrap() >= 1, "{esito}");
    let (_, pagamenti) = env.json(&["fdr", "payments"]);
    assert!(
        pagamenti
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["stato"] == "rendicontato"),
        "{pagamenti}"
    );
    // Again: nothing to add.
    let r = env.cli(&["fdr", "download"]);
    must(&r, "fdr download");
    assert!(r.out.contains("già aggiornati"), "{r:?}");
    // An explicit range: listed again, nothing new.
    let dal = (Local::now().date_naive() - chrono::Duration::days(30))
        .format("%d/%m/%Y")
        .to_string();
    let oggi = Local::now().date_naive().format("%d/%m/%Y").to_string();
    let (code, esito) = env.json(&["fdr", "download", "--from", &dal, "--to", &oggi]);
    assert_eq!(code, 0, "{esito}");
    assert_eq!(esito["nuovi"], 0);
    assert_eq!(esito["gia_presenti"], esito["elencati"]);

    // The journal: one entry per flow, for the flows' totals.
    let (_, fdr) = env.json(&["fdr", "list"]);
    let flussi = fdr.as_array().unwrap();
    let totale: i64 = flussi
        .iter()
        .map(|f| f["importo_dichiarato_cents"].as_i64().unwrap())
        .sum();
    let testo = std::fs::read_to_string(&csv_out).unwrap();
    let righe: Vec<&str> = testo.lines().collect();
    assert_eq!(
        righe[0],
        "anno;numero;data_contabile;ordinante;causale;importo;data_valuta"
    );
    assert_eq!(righe.len() - 1, flussi.len(), "{testo}");
    let somma: i64 = righe[1..]
        .iter()
        .map(|r| {
            let importo = r.split(';').nth(5).unwrap();
            let (e, c) = importo.split_once('.').unwrap();
            e.parse::<i64>().unwrap() * 100 + c.parse::<i64>().unwrap()
        })
        .sum();
    assert_eq!(somma, totale);
    for f in flussi {
        let iuf = f["iuf"].as_str().unwrap();
        assert!(
            righe.iter().any(|r| r
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .contains(iuf)),
            "{iuf}: {testo}"
        );
    }
    let opi_out = env.path("giornale.xml");
    let (code, t) = env.json(&[
        "sim",
        "tesoreria",
        "--url",
        &base,
        "--ente",
        &ipa,
        "--format",
        "opi",
        "--out",
        opi_out.to_str().unwrap(),
        "--anomalie",
        "storno,corto",
    ]);
    assert_eq!(code, 0, "{t}");
    let opi = std::fs::read_to_string(&opi_out).unwrap();
    assert!(opi.starts_with("<?xml") && opi.trim_end().ends_with("</flusso_giornale_di_cassa>"));
    assert_eq!(
        opi.matches("<tipo_operazione>STORNATO</tipo_operazione>")
            .count(),
        1
    );
    let escluse = t["escluse"].as_i64().unwrap();
    assert_eq!(
        opi.matches("<movimento_conto_evidenza>").count() as i64,
        flussi.len() as i64 + 1 - escluse
    );
    // A storno only exists in OPI.
    let r = env.cli(&[
        "sim",
        "tesoreria",
        "--url",
        &base,
        "--ente",
        &ipa,
        "--format",
        "csv",
        "--out",
        csv_out.to_str().unwrap(),
        "--anomalie",
        "storno",
    ]);
    assert_ne!(r.code, 0);
    assert!(r.err.contains("OPI"), "{r:?}");

    // The whole path: the emulator's treasury journal (its causali with the real-world
    // variants) imported here carries every payment to «incassato».
    let giornale = env.path("giornale-tesoreria.csv");
    let (code, t) = env.json(&[
        "sim",
        "tesoreria",
        "--url",
        &base,
        "--ente",
        &ipa,
        "--format",
        "csv",
        "--out",
        giornale.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{t}");
    let (code, v) = env.json(&["treasury", "import", giornale.to_str().unwrap()]);
    assert_eq!(code, 0, "{v}");
    let (code, r) = env.json(&["reconcile"]);
    assert_eq!(code, 0, "{r}");
    let pagamenti = r["pagamenti"].as_array().unwrap();
    assert_eq!(pagamenti.len(), n, "{r}");
    for p in pagamenti {
        assert_eq!(p["stato"], "incassato", "{p}");
        assert!(
            p["etichette"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e == "RT_IUF_TES"),
            "{p}"
        );
    }
    assert!(
        r["movimenti"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["esito"] == "abbinato"),
        "{r}"
    );
    drop(emu);
}
