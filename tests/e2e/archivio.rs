//! `archive show | key` and the archive encrypted at rest as the CLI sees it (issue 17 item 7):
//! no codice fiscale readable in the files, a wrong key refused in Italian with its code and
//! the CLI's hint, the recovery code opening the archive.

use mpd_e2e::Env;

/// Runs the CLI on `env`'s database with `frase` as `MYPAY_DESK_DB_PASSPHRASE` would give it.
fn cli_con(env: &Env, frase: &str, args: &[&str]) -> (i32, String, String) {
    let mut argv: Vec<std::ffi::OsString> =
        vec!["mypay-desk".into(), "--db".into(), env.db().into()];
    argv.extend(args.iter().map(Into::into));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = mpd_cli::run_con_frase_archivio(argv, &mut out, &mut err, Some(frase.into()));
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn the_archive_is_encrypted_and_a_wrong_key_is_refused_in_italian() {
    let env = Env::with_ente();
    let r = env.cli(&[
        "debts",
        "add",
        "--cf",
        "RSSMRA80A01H501U",
        "--nome",
        "Mario Rossi",
        "--importo",
        "120,50",
        "--scadenza",
        "31/03/2027",
        "--tipo",
        "TARI",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    // Every file of the data folder (the database, its -wal and -shm): no codice fiscale, no
    // name, not even SQLite's own header.
    for e in std::fs::read_dir(env.dir.path()).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() && p.extension().is_none_or(|x| x != "toml") {
            let b = std::fs::read(&p).unwrap();
            for testo in [&b"RSSMRA80A01H501U"[..], b"Mario Rossi", b"SQLite format 3"] {
                assert!(
                    !b.windows(testo.len()).any(|w| w == testo),
                    "{} holds {}",
                    p.display(),
                    String::from_utf8_lossy(testo)
                );
            }
        }
    }

    let show = env.cli(&["archive", "show"]);
    assert_eq!(show.code, 0, "{show:?}");
    assert!(show.out.contains("Cifrato"), "{}", show.out);
    let key = env.cli(&["archive", "key"]);
    assert!(
        key.out.contains(mpd_core::testing::CHIAVE_DI_PROVA),
        "{}",
        key.out
    );

    // Another key: refused, in Italian, with the code the window branches on and the hint.
    let (code, out, err) = cli_con(
        &env,
        "una frase che non è quella",
        &["--json", "debts", "list"],
    );
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["codice"], "chiave_archivio", "{v}");
    let testo = v["errore"].as_str().unwrap();
    assert!(
        testo.starts_with("archivio cifrato: chiave non disponibile"),
        "{testo}"
    );
    assert!(
        !format!("{out}{err}").contains("not a database"),
        "{out}{err}"
    );
    assert!(
        v["suggerimento"]
            .as_str()
            .unwrap()
            .contains("MYPAY_DESK_DB_PASSPHRASE")
    );
    // The recovery code written in lower case, without dashes, opens it.
    let codice = mpd_core::testing::CHIAVE_DI_PROVA
        .replace('-', "")
        .to_lowercase();
    let (code, out, _) = cli_con(&env, &codice, &["--json", "debts", "list"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap()[0]["codice_pagatore"],
        "RSSMRA80A01H501U"
    );
}
