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

/// Issue 14 item 4: the notice's fields of the profile, from the file: checked (the field
/// named), stored, and the logo copied into the data folder.
#[test]
fn the_notice_fields_of_a_profile_are_checked_and_the_logo_is_copied() {
    let env = Env::new();
    // A 1 × 1 PNG next to the profile, in a folder of its own.
    let png: [u8; 70] = [
        137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6,
        0, 0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 96, 248, 95, 15,
        0, 2, 135, 1, 128, 235, 71, 186, 146, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
    ];
    let altrove = env.dir.path().join("profilo");
    std::fs::create_dir_all(&altrove).unwrap();
    std::fs::write(altrove.join("stemma.png"), png).unwrap();
    let profilo = ENTE_TOML.replace(
        "scadenza_obbligatoria = true\n",
        "scadenza_obbligatoria = true\nconto_postale = \"1234567\"\nintestatario_conto_postale = \"Comune di Esempio\"\nautorizzazione_poste = \"AUT. DB/SISB/E 123456 DEL 01/02/2026\"\n",
    ) + "\n[avviso]\nsettore = \"Ufficio Tributi\"\ncbill = \"a0edt\"\nlogo = \"stemma.png\"\n";
    let bad = altrove.join("bad.toml");
    std::fs::write(&bad, profilo.replace("a0edt", "A0-ED")).unwrap();
    let r = env.cli(&["ente", "set", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.err.contains("sezione «avviso»")
            && r.err.contains("cbill")
            && r.err.contains("5 lettere o cifre"),
        "{}",
        r.err
    );
    std::fs::write(&bad, profilo.replace("\"1234567\"", "\"12345678901234\"")).unwrap();
    let r = env.cli(&["ente", "set", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(
        r.err.contains("TARI") && r.err.contains("conto_postale"),
        "{}",
        r.err
    );

    let good = altrove.join("ente.toml");
    std::fs::write(&good, &profilo).unwrap();
    let r = env.cli(&["ente", "set", good.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{r:?}");
    let copia = env.db().parent().unwrap().join("logo-ente.png");
    assert_eq!(std::fs::read(&copia).unwrap(), png);
    let (_, v) = env.json(&["ente", "show"]);
    assert_eq!(v["extra"]["avviso"]["cbill"], "A0EDT", "{v}");
    assert_eq!(v["extra"]["avviso"]["logo"], "logo-ente.png", "{v}");
    assert_eq!(
        v["extra"]["tipi_dovuto_extra"]["TARI"]["conto_postale"], "000001234567",
        "{v}"
    );
}
