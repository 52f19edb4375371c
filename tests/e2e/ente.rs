//! `ente set` / `ente show`.

use mpd_e2e::{ENTE_TOML, Env};

#[test]
fn profile_is_stored_and_shown_and_the_password_never_is() {
    let env = Env::new();
    let toml = env.write("ente.toml", ENTE_TOML.as_bytes());
    let r = env.cli(&["ente", "set", toml.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.err.contains("password") && r.err.contains("ignorato"),
        "{}",
        r.err
    );
    assert!(!r.out.contains("Segreta") && !r.err.contains("Segreta"));

    let (code, v) = env.json(&["ente", "show"]);
    assert_eq!(code, 0);
    assert_eq!(v["ente"]["codice_ipa"], "c_x123");
    assert_eq!(v["tipi_dovuto"].as_array().unwrap().len(), 2);
    assert_eq!(v["tipi_dovuto"][1]["codice"], "TARI");

    let r = env.cli(&["ente", "show"]);
    assert!(
        r.out.contains("Comune di Esempio") && r.out.contains("scadenza obbligatoria"),
        "{}",
        r.out
    );

    // No trace of the password anywhere in the data folder (database, WAL, anything).
    for entry in std::fs::read_dir(env.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() == "ente.toml" {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !bytes.windows(14).any(|w| w == b"Segreta-Pw-123"),
            "password found in {}",
            path.display()
        );
    }
}

#[test]
fn wrong_profile_names_the_field_and_changes_nothing() {
    let env = Env::with_ente();
    let bad = env.write(
        "bad.toml",
        ENTE_TOML
            .replace("\"00123456789\"", "\"0012345678\"")
            .as_bytes(),
    );
    let r = env.cli(&["ente", "set", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("codice_fiscale"), "{}", r.err);
    let (_, v) = env.json(&["ente", "show"]);
    assert_eq!(v["ente"]["codice_fiscale"], "00123456789");
}

#[test]
fn no_profile_is_explained() {
    let env = Env::new();
    let r = env.cli(&["ente", "show"]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("ente set"), "{}", r.err);
}
