//! `debts add | list | import | edit | cancel | ready`.

use mpd_domain::{Column, Version};
use mpd_e2e::{Env, row, tracciato};

#[test]
fn add_typed_the_italian_way_then_list() {
    let env = Env::with_ente();
    let r = env.cli(&[
        "debts",
        "add",
        "--iud",
        "TARI-1",
        "--cf",
        "rssmra80a01h501u",
        "--nome",
        "Mario Rossi",
        "--importo",
        "1.234,56",
        "--scadenza",
        "31/03/2027",
        "--tipo",
        "TARI",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.out.contains("1.234,56 €"), "{}", r.out);
    let (_, v) = env.json(&["debts", "list"]);
    let d = &v[0];
    assert_eq!(d["iud"], "TARI-1");
    assert_eq!(d["stato"], "ready");
    assert_eq!(d["importo"], "1234.56");
    assert_eq!(d["scadenza"], "2027-03-31");
    assert_eq!(d["codice_pagatore"], "RSSMRA80A01H501U");
    assert_eq!(d["causale"], "Tassa rifiuti");
    let text = env.cli(&["debts", "list", "--state", "pronto"]).out;
    assert!(
        text.contains("TARI-1") && text.contains("31/03/2027"),
        "{text}"
    );
}

#[test]
fn add_refuses_bad_fields_naming_each() {
    let env = Env::with_ente();
    let r = env.cli(&[
        "debts",
        "add",
        "--cf",
        "RSSMRA80A01H501X",
        "--nome",
        "Mario Rossi",
        "--importo",
        "0",
        "--scadenza",
        "31/03/2027",
        "--tipo",
        "TARI",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.err.contains("codiceIdentificativoUnivoco"), "{}", r.err);
    assert!(r.err.contains("importoDovuto"), "{}", r.err);
    let (_, v) = env.json(&["debts", "list"]);
    assert_eq!(v.as_array().unwrap().len(), 0);

    // ANONIMO only where the tipo allows it.
    let base = [
        "debts",
        "add",
        "--cf",
        "ANONIMO",
        "--nome",
        "Anonimo",
        "--importo",
        "50",
        "--scadenza",
        "31/03/2027",
    ];
    let r = env.cli(&[&base[..], &["--tipo", "TARI"]].concat());
    assert_eq!(r.code, 1, "{r:?}");
    let r = env.cli(&[&base[..], &["--tipo", "SANZIONI"]].concat());
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn import_is_all_or_nothing_and_reports_the_clerks_rows() {
    let env = Env::with_ente();
    let mut bad_cf = row("B-2", "RSSMRA80A01H501X", "10.00");
    bad_cf.set(Column::AnagraficaPagatore, "BIANCHI ANNA");
    let mut bad_amount = row("B-3", "RSSMRA80A01H501U", "12,50");
    bad_amount.set(Column::CausaleVersamento, "virgola");
    let rows = vec![
        row("B-1", "RSSMRA80A01H501U", "10.00"),
        bad_cf,
        bad_amount,
        row("B-1", "02342520158", "5.00"),
        // Another amount: repeating row 5 would make it a probable duplicate (issue 13).
        row("B-5", "02342520158", "6.00"),
    ];
    let file = env.write("lista.csv", &tracciato(Version::V1_4, &rows));
    let (code, v) = env.json(&["debts", "import", file.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(v["righe_lette"], 5);
    assert_eq!(v["righe_valide"], 2);
    assert_eq!(v["importate"], 0);
    let errori = v["errori"].as_array().unwrap();
    let lines: Vec<u64> = errori.iter().map(|e| e["riga"].as_u64().unwrap()).collect();
    assert_eq!(
        lines,
        vec![3, 4, 5],
        "line 1 is the header: the clerk's spreadsheet rows"
    );
    assert_eq!(
        errori[0]["problemi"][0]["campo"],
        "codiceIdentificativoUnivoco"
    );
    assert_eq!(errori[0]["problemi"][0]["valore"], "RSSMRA80A01H501X");
    assert_eq!(errori[1]["problemi"][0]["campo"], "importoDovuto");
    assert!(
        errori[2]["problemi"][0]["codice"]
            .as_str()
            .unwrap()
            .contains("IUD"),
        "{}",
        errori[2]
    );
    assert_eq!(
        env.json(&["debts", "list"]).1.as_array().unwrap().len(),
        0,
        "nothing imported"
    );

    let (code, v) = env.json(&["debts", "import", "--valid-only", file.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(v["importate"], 2);
    let list = env.json(&["debts", "list"]).1;
    assert_eq!(list[0]["iud"], "B-1");
    assert_eq!(list[0]["sorgente_riga"], 2);

    // The same file again: every IUD is now already in the store.
    let (_, v) = env.json(&["debts", "import", "--valid-only", file.to_str().unwrap()]);
    assert_eq!(v["righe_valide"], 0);
    assert!(
        v["errori"][0]["problemi"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["codice"] == "MPD_IUD_GIA_PRESENTE"),
        "{v}"
    );
}

#[test]
fn generated_list_imports_clean_in_every_version() {
    for version in ["1_0", "1_1", "1_2", "1_3", "1_4"] {
        let env = Env::with_ente();
        let csv = env.path("gen.csv");
        let r = env.cli(&[
            "generate",
            "debts",
            "--count",
            "300",
            "--version",
            version,
            "--seed",
            "3",
            "--out",
            csv.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{r:?}");
        let (code, v) = env.json(&["debts", "import", csv.to_str().unwrap()]);
        assert_eq!(code, 0, "{version}: {v}");
        assert_eq!(v["importate"], 300);
        assert_eq!(
            v["versione"],
            version.replace("1_0", "1_1"),
            "1_0 and 1_1 share the header"
        );
    }
}

#[test]
fn drafts_are_not_sent_until_ready() {
    let env = Env::with_ente();
    let r = env.cli(&[
        "debts",
        "add",
        "--iud",
        "D1",
        "--cf",
        "02342520158",
        "--nome",
        "Ditta",
        "--importo",
        "10",
        "--scadenza",
        "31/03/2027",
        "--tipo",
        "TARI",
        "--bozza",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let out = env.path("out");
    let (_, v) = env.json(&["flow", "build", "--out", out.to_str().unwrap()]);
    assert_eq!(v["flussi"].as_array().unwrap().len(), 0);
    let (_, v) = env.json(&["debts", "ready"]);
    assert_eq!(v["pronti"], 1);
    let (_, v) = env.json(&["flow", "build", "--out", out.to_str().unwrap()]);
    assert_eq!(v["flussi"].as_array().unwrap().len(), 1);
}

#[test]
fn import_finishes_the_upkeep_a_very_large_load_left_behind() {
    let env = Env::with_ente();
    // A million-row load commits without its secondary indexes and search index (they are
    // owed to the upkeep); 60,000 rows are enough to take that path.
    {
        let mut desk = env.desk();
        let now = desk.now();
        let rows = (0..60_000).map(|i| {
            Ok(mpd_store::NewDovuto {
                row: row(&format!("G-{i}"), "RSSMRA80A01H501U", "1.00"),
                importo_cents: 100,
                commissione_cents: None,
                stato: mpd_core::DovutoStato::Ready,
                sorgente: None,
                posizione: None,
            })
        });
        desk.store_mut().insert_dovuti_from(rows, now).unwrap();
        assert!(!desk.manutenzione().unwrap().completa());
    }
    let file = env.write(
        "lista.csv",
        &tracciato(Version::V1_4, &[row("S-1", "RSSMRA80A01H501U", "10.00")]),
    );
    let r = env.cli(&["debts", "import", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{r:?}");
    // The 60,000 and this import's own row, which waits for the upkeep too.
    assert!(
        r.err.contains("60.001 da indicizzare") && r.err.contains("Indici aggiornati"),
        "{}",
        r.err
    );
    assert!(env.desk().manutenzione().unwrap().completa());
    // With --json nothing is added to either stream once the upkeep is done.
    let file = env.write(
        "altra.csv",
        // Another amount: the same debt again would be refused as already imported (issue 13).
        &tracciato(Version::V1_4, &[row("S-2", "RSSMRA80A01H501U", "11.00")]),
    );
    let r = env.cli(&["--json", "debts", "import", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(!r.err.contains("Indici"), "{}", r.err);
}

fn add_draft(env: &Env, iud: &str) {
    let r = env.cli(&[
        "debts",
        "add",
        "--iud",
        iud,
        "--cf",
        "RSSMRA80A01H501U",
        "--nome",
        "Mario Rossi",
        "--importo",
        "10,00",
        "--scadenza",
        "31/03/2027",
        "--tipo",
        "TARI",
        "--bozza",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
}

fn iuds(env: &Env) -> Vec<String> {
    let (_, v) = env.json(&["debts", "list"]);
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| d["iud"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn delete_removes_only_drafts_never_sent_and_says_why_for_the_others() {
    let env = Env::with_ente();
    add_draft(&env, "BOZZA-1");
    add_draft(&env, "BOZZA-2");
    add_draft(&env, "PRONTO-1");
    assert_eq!(env.cli(&["debts", "ready", "PRONTO-1"]).code, 0);
    let r = env.cli(&["debts", "delete", "BOZZA-1", "PRONTO-1"]);
    assert_eq!(r.code, 1, "a refusal is an exit code: {r:?}");
    assert!(r.out.contains("1 bozza eliminata."), "{}", r.out);
    assert!(
        r.err.contains("PRONTO-1") && r.err.contains("non è una bozza"),
        "{}",
        r.err
    );
    assert_eq!(iuds(&env), ["BOZZA-2", "PRONTO-1"]);
    let (code, v) = env.json(&["debts", "delete", "BOZZA-2"]);
    assert_eq!(code, 0);
    assert_eq!(v["eliminate"][0], "BOZZA-2");
    assert_eq!(iuds(&env), ["PRONTO-1"]);
    assert_ne!(env.cli(&["debts", "delete"]).code, 0, "an IUD is required");
}

#[test]
fn import_undo_removes_the_last_import_and_refuses_once_sent() {
    let env = Env::with_ente();
    let a = env.write(
        "a.csv",
        &tracciato(Version::V1_4, &[row("A-1", "RSSMRA80A01H501U", "10.00")]),
    );
    let b = env.write(
        "b.csv",
        &tracciato(
            Version::V1_4,
            &[
                row("B-1", "RSSMRA80A01H501U", "11.00"),
                row("B-2", "02342520158", "12.00"),
            ],
        ),
    );
    assert_eq!(env.cli(&["debts", "import", a.to_str().unwrap()]).code, 0);
    assert_eq!(env.cli(&["debts", "import", b.to_str().unwrap()]).code, 0);
    add_draft(&env, "A-MANO");
    let r = env.cli(&["debts", "import-undo"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.out.contains("«b.csv»") && r.out.contains("2 dovuti eliminati"),
        "{}",
        r.out
    );
    assert_eq!(iuds(&env), ["A-1", "A-MANO"], "only b.csv's debts went");

    let out = env.path("out");
    assert_eq!(
        env.cli(&["flow", "build", "--out", out.to_str().unwrap()])
            .code,
        0
    );
    let r = env.cli(&["debts", "import-undo"]);
    assert_ne!(r.code, 0, "{r:?}");
    assert!(
        r.err.contains("a.csv") && r.err.contains("A-1") && r.err.contains("già stato inviato"),
        "{}",
        r.err
    );
    assert_eq!(iuds(&env), ["A-1", "A-MANO"], "nothing deleted");
}

/// Issue 14: a TARI position from the command line: rata unica and three instalments, one
/// debt each, listed with the position's state; a broken rule names the option and saves
/// nothing.
#[test]
fn add_position_then_list_positions() {
    let env = Env::with_ente();
    let payer = [
        "--cf",
        "RSSMRA80A01H501U",
        "--nome",
        "Mario Rossi",
        "--tipo",
        "TARI",
        "--causale",
        "TARI 2027",
    ];
    let mut args = vec![
        "debts",
        "add-position",
        "--codice",
        "TARI-0001",
        "--unica",
        "240,00@30/04/2027",
        "--rata",
        "80,00@30/04/2027",
        "--rata",
        "80,00@31/07/2027",
        "--rata",
        "80,00@31/10/2027",
    ];
    args.extend(payer);
    let r = env.cli(&args);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.out.contains("TARI-0001") && r.out.contains("da pagare"),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("rata 3") && r.out.contains("31/10/2027"),
        "{}",
        r.out
    );
    let (code, v) = env.json(&["debts", "positions", "--tipo", "TARI"]);
    assert_eq!(code, 0);
    assert_eq!(v[0]["codice"], "TARI-0001");
    assert_eq!(v[0]["stato"]["stato"], "da_pagare");
    assert_eq!(v[0]["opzioni"].as_array().unwrap().len(), 4);
    assert_eq!(v[0]["opzioni"][0]["rata"], 0);
    // Four debts, ready for the next flow.
    let (_, d) = env.json(&["debts", "list", "--state", "ready"]);
    assert_eq!(d.as_array().unwrap().len(), 4);
    // Instalments that do not add up to the rata unica, and out of order.
    let mut args = vec![
        "debts",
        "add-position",
        "--unica",
        "250,00@30/04/2027",
        "--rata",
        "80,00@31/07/2027",
        "--rata",
        "80,00@30/04/2027",
    ];
    args.extend(payer);
    let r = env.cli(&args);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.err.contains("rata 2, scadenza"), "{}", r.err);
    assert!(r.err.contains("rata unica, importo"), "{}", r.err);
    let (_, v) = env.json(&["debts", "positions"]);
    assert_eq!(v.as_array().unwrap().len(), 1);
    // Its notice waits for the IUVs MyPay assigns.
    let pdf = env.path("avviso.pdf");
    let r = env.cli(&[
        "debts",
        "notice",
        "TARI-0001",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert_ne!(r.code, 0, "{r:?}");
    assert!(r.err.contains("non ha ancora l'IUV"), "{}", r.err);
    assert!(!pdf.exists());
    // The amount goes with --rata, never --importo.
    let mut args = vec!["debts", "add-position", "--importo", "10", "--rata", "10@"];
    args.extend(payer);
    let r = env.cli(&args);
    assert_ne!(r.code, 0);
    assert!(r.err.contains("--unica e --rata"), "{}", r.err);
    let mut args = vec![
        "debts",
        "add-position",
        "--iuv",
        "12000000000000119",
        "--rata",
        "10@",
    ];
    args.extend(payer);
    let r = env.cli(&args);
    assert_ne!(r.code, 0);
    assert!(r.err.contains("gli IUV li assegna MyPay"), "{}", r.err);
}

/// Issue 17 item 5: fifteen `debts add` at once on one archive (fifteen connections, as fifteen
/// commands or windows would open) all succeed: a write transaction starts as a writer, so
/// SQLite's busy timeout makes each wait its turn instead of failing at once.
#[test]
fn fifteen_simultaneous_writers_all_succeed() {
    let env = std::sync::Arc::new(Env::with_ente());
    let via = std::sync::Arc::new(std::sync::Barrier::new(15));
    let fili: Vec<_> = (0..15)
        .map(|i| {
            let (env, via) = (env.clone(), via.clone());
            std::thread::spawn(move || {
                let importo = format!("{},00", 10 + i);
                via.wait();
                env.cli(&[
                    "debts",
                    "add",
                    "--cf",
                    "RSSMRA80A01H501U",
                    "--nome",
                    "Mario Rossi",
                    "--importo",
                    &importo,
                    "--tipo",
                    "TARI",
                    "--scadenza",
                    "31/12/2030",
                ])
            })
        })
        .collect();
    for f in fili {
        let r = f.join().unwrap();
        assert_eq!(r.code, 0, "{r:?}");
    }
    let (_, v) = env.json(&["debts", "list"]);
    assert_eq!(v.as_array().map(Vec::len), Some(15), "{v}");
}

/// Issue 17 item 8: values from a file reach the terminal cleaned: an escape sequence in a
/// cell (here one that would clear the screen) is printed as `�[2J`, and a 200 KB value is
/// cut at the end of a line instead of filling the terminal.
#[test]
fn escape_sequences_and_huge_values_never_reach_the_terminal() {
    let env = Env::with_ente();
    let mut ostile = row("E-1", "RSSMRA80A01H501U", "10.00");
    ostile.set(Column::AnagraficaPagatore, "ROSSI \u{1b}[2J\u{1b}[31mMARIO");
    let mut enorme = row("E-2", "RSSMRA80A01H501X", "10.00");
    enorme.set(Column::CausaleVersamento, "TARI ".repeat(40_000));
    let file = env.write("ostile.csv", &tracciato(Version::V1_4, &[ostile, enorme]));
    let mut testo = String::new();
    for args in [
        vec!["debts", "import", file.to_str().unwrap()],
        vec!["debts", "list"],
        vec!["debts", "show", "E-1"],
    ] {
        let r = env.cli(&args);
        testo.push_str(&r.out);
        testo.push_str(&r.err);
    }
    assert!(!testo.contains('\u{1b}'), "{testo}");
    assert!(
        testo.lines().all(|l| l.len() < 2100),
        "a line of {} bytes",
        testo.lines().map(str::len).max().unwrap_or(0)
    );
    assert!(
        testo.contains("ROSSI \u{FFFD}[2J\u{FFFD}[31mMARIO"),
        "{testo}"
    );
}

/// Issue 14: a position's instalments changed from the command line, all in one call
/// (`debts position CODE --set-rata N I@D --add-rata I@D --remove-rata N`); a broken rule
/// names the option and changes nothing.
#[test]
fn position_instalments_set_added_and_removed() {
    let env = Env::with_ente();
    let r = env.cli(&[
        "debts",
        "add-position",
        "--codice",
        "TARI-0002",
        "--unica",
        "240,00@30/04/2027",
        "--rata",
        "80,00@30/04/2027",
        "--rata",
        "80,00@31/07/2027",
        "--rata",
        "80,00@31/10/2027",
        "--cf",
        "RSSMRA80A01H501U",
        "--nome",
        "Mario Rossi",
        "--tipo",
        "TARI",
        "--causale",
        "TARI 2027",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    // A fourth instalment without raising the rata unica: refused, nothing changed.
    let r = env.cli(&[
        "debts",
        "position",
        "TARI-0002",
        "--add-rata",
        "80,00@31/01/2028",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.err.contains("rata unica, importo"), "{}", r.err);
    let (_, v) = env.json(&["debts", "position", "TARI-0002"]);
    assert_eq!(v[0]["opzioni"].as_array().unwrap().len(), 4);
    // Together: instalment 1 removed, the rata unica 240 again with a new fourth one, the
    // third a month later.
    let r = env.cli(&[
        "debts",
        "position",
        "TARI-0002",
        "--remove-rata",
        "1",
        "--set-rata",
        "3",
        "@30/11/2027",
        "--add-rata",
        "80,00@31/01/2028",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.out.contains("Rate cambiate"), "{}", r.out);
    let (_, v) = env.json(&["debts", "position", "TARI-0002"]);
    let opzioni: Vec<(u64, i64, String)> = v[0]["opzioni"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["rata"].as_u64().unwrap(),
                o["importo_cents"].as_i64().unwrap(),
                o["scadenza"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        opzioni,
        [
            (0, 24_000, "2027-04-30".into()),
            (1, 8_000, "2027-07-31".into()),
            (2, 8_000, "2027-11-30".into()),
            (3, 8_000, "2028-01-31".into()),
        ]
    );
    // Not a number, not an amount@date.
    let r = env.cli(&["debts", "position", "TARI-0002", "--set-rata", "x", "1@"]);
    assert_ne!(r.code, 0);
    assert!(r.err.contains("numero della rata"), "{}", r.err);
    let r = env.cli(&["debts", "position", "TARI-0002", "--add-rata", "80"]);
    assert_ne!(r.code, 0);
    assert!(r.err.contains("separati da @"), "{}", r.err);
}
