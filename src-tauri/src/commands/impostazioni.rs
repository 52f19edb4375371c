//! Impostazioni: environment, credentials, data folder, backup and restore; and the first-start
//! "Configura l'Ente" (`mpd_app::impostazioni`, the same operations as the CLI's
//! `connection` and `credentials`). Opening the data folder in the file manager and pausing the
//! background upkeep during a restore are the window's own. Commands that touch the keyring are
//! `async` so that a slow Secret Service never blocks the window's main thread.

use mpd_app::Secret;
use mpd_app::archivio;
use mpd_app::impostazioni::{
    self, EsitoRipristino, Impostazioni, InfoBackup, PasswordCancellata, PrimoAvvio, Salvataggio,
    StatoPassword,
};
use mpd_app::{Errore, Risultato};
use tauri::State;

use super::StatoApp;

/// The settings screen's data.
#[tauri::command]
pub async fn impostazioni_stato(app: State<'_, StatoApp>) -> Risultato<Impostazioni> {
    impostazioni::stato(&app)
}

/// Saves the environment (and its address) as the default, and the platform with PU's client
/// id when given; drops the open connection.
#[tauri::command]
pub async fn impostazioni_salva(
    app: State<'_, StatoApp>,
    ambiente: String,
    url: Option<String>,
    piattaforma: Option<String>,
    client_id: Option<String>,
) -> Risultato<Impostazioni> {
    impostazioni::salva(
        &app,
        Some(&ambiente),
        url.as_deref(),
        piattaforma.as_deref(),
        client_id.as_deref(),
    )
}

/// Stores the web-service password in the OS keyring for the stored Ente and the current
/// environment. The password is not returned, logged or echoed.
#[tauri::command]
pub async fn password_salva(
    app: State<'_, StatoApp>,
    password: String,
) -> Risultato<StatoPassword> {
    let secret = Secret::new(password);
    impostazioni::password_salva(&app, move |_| Ok(secret))
}

/// Removes the password of the stored Ente and current environment from the keyring.
#[tauri::command]
pub async fn password_cancella(app: State<'_, StatoApp>) -> Risultato<PasswordCancellata> {
    impostazioni::password_cancella(&app)
}

/// Opens the data folder (where the database, flows and notices live) in the file manager.
#[tauri::command]
pub fn cartella_dati_apri(app: State<'_, StatoApp>) -> Risultato<()> {
    let dir = impostazioni::cartella_dati(&app)?;
    tauri_plugin_opener::open_path(dir.display().to_string(), None::<&str>)
        .map_err(|e| Errore::apertura("la cartella dei dati", &dir, &e))
}

/// How long the app keeps its own files, and the last clean-up.
#[tauri::command]
pub fn conservazione(app: State<'_, StatoApp>) -> Risultato<impostazioni::Conservazione> {
    impostazioni::conservazione(&app)
}

/// Stores the retention period (`giorni: null`: never delete).
#[tauri::command]
pub fn conservazione_salva(
    app: State<'_, StatoApp>,
    giorni: Option<u32>,
) -> Risultato<impostazioni::Conservazione> {
    impostazioni::conservazione_salva(&app, giorni)
}

/// Deletes now the app's files older than the retention period.
#[tauri::command]
pub async fn conservazione_applica(app: State<'_, StatoApp>) -> Risultato<impostazioni::Pulizia> {
    impostazioni::conservazione_applica(&app)
}

/// Saves a backup of the local database to the file chosen with the save dialog.
#[tauri::command]
pub async fn backup_salva(app: State<'_, StatoApp>, percorso_file: String) -> Risultato<String> {
    impostazioni::backup_salva(&app, &percorso_file)
}

/// What a backup file holds (checked: a MyPay Desk database this version can open); `chiave`:
/// the recovery code or passphrase of a backup made on another computer.
#[tauri::command]
pub async fn backup_esamina(
    app: State<'_, StatoApp>,
    percorso_file: String,
    chiave: Option<String>,
) -> Risultato<InfoBackup> {
    impostazioni::backup_esamina(&app, &percorso_file, chiave.map(Secret::new).as_ref())
}

/// How the archive is protected (encrypted, key in the keyring or a passphrase).
#[tauri::command]
pub async fn archivio_stato(app: State<'_, StatoApp>) -> Risultato<archivio::StatoArchivio> {
    archivio::stato(&app)
}

/// The archive's recovery code, shown on request to be written down.
#[tauri::command]
pub async fn archivio_chiave(app: State<'_, StatoApp>) -> Risultato<archivio::ChiaveRipristino> {
    archivio::chiave_di_ripristino(&app)
}

/// Opens the archive with the clerk's passphrase or recovery code (no keyring, or another
/// computer's key); a new passphrase comes with its repetition.
#[tauri::command]
pub async fn archivio_sblocca<R: tauri::Runtime>(
    handle: tauri::AppHandle<R>,
    app: State<'_, StatoApp>,
    frase: String,
    conferma: Option<String>,
) -> Risultato<()> {
    archivio::sblocca(
        &app,
        &Secret::new(frase),
        conferma.map(Secret::new).as_ref(),
    )?;
    // The upkeep could not start without the key.
    super::manutenzione::avvia(&handle);
    Ok(())
}

/// Restores the database from a backup file chosen with the open dialog.
#[tauri::command]
pub async fn backup_ripristina<R: tauri::Runtime>(
    handle: tauri::AppHandle<R>,
    app: State<'_, StatoApp>,
    manutenzione: State<'_, super::manutenzione::StatoManutenzione>,
    percorso_file: String,
    chiave: Option<String>,
) -> Risultato<EsitoRipristino> {
    // The index upkeep must not be writing to the database meanwhile.
    let esito = {
        let _pausa = manutenzione.0.sospendi();
        impostazioni::backup_ripristina(&app, &percorso_file, chiave.map(Secret::new).as_ref())
    };
    // The restored file may come from an older version, with its search index still to build.
    super::manutenzione::avvia(&handle);
    esito
}

/// "Configura l'Ente": saves the Ente's codes, the environment and (optionally) the
/// password; field errors come back in `errori` with nothing saved.
#[tauri::command]
pub async fn primo_configura(app: State<'_, StatoApp>, dati: PrimoAvvio) -> Risultato<Salvataggio> {
    impostazioni::primo_configura(&app, dati)
}

/// The first-start setup's check of the address step (the rule of saving): the Italian
/// problem, or nothing.
#[tauri::command]
pub async fn indirizzo_controlla(ambiente: String, url: String) -> Option<String> {
    impostazioni::controlla_indirizzo(&ambiente, &url)
}

/// The window and the command line through their real entry points (the IPC, the CLI's `run`) on
/// one database: the same MyPay address is accepted or refused by both, and by the first-start
/// setup.
#[cfg(test)]
mod ipc {
    use serde_json::json;

    use crate::commands::prova_ipc::{chiama_json, finestra};

    /// The CLI on `db`: exit code and standard error.
    fn cli(db: &std::path::Path, args: &[&str]) -> (i32, String) {
        let mut all = vec!["mypay-desk", "--db", db.to_str().unwrap()];
        all.extend_from_slice(args);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = mpd_cli::run_con_frase_archivio(
            all.iter().map(Into::into).collect(),
            &mut out,
            &mut err,
            Some(mpd_core::testing::CHIAVE_DI_PROVA.into()),
        );
        (code, String::from_utf8(err).unwrap())
    }

    /// Only `https://`, or `http://` towards this computer (a local emulator) in the custom
    /// environment only: (address, accepted for custom, accepted for produzione).
    const INDIRIZZI: [(&str, bool, bool); 9] = [
        ("https://mypay.example.it", true, true),
        ("http://mypay.example.it", false, false),
        ("http://127.0.0.1:8080", true, false),
        ("http://localhost:9000/", true, false),
        ("http://[::1]:8080", true, false),
        ("http://10.0.0.1:8080", false, false),
        ("http://localhost.example.it", false, false),
        ("ftp://x", false, false),
        ("https://", false, false),
    ];

    #[test]
    fn window_cli_and_first_start_judge_an_address_alike() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.sqlite");
        let (_app, w) = finestra(&db, 0);
        for (url, custom, produzione) in INDIRIZZI {
            for (ambiente, atteso) in [("produzione", produzione), ("custom", custom)] {
                let finestra = chiama_json(
                    &w,
                    "impostazioni_salva",
                    json!({ "ambiente": ambiente, "url": url }),
                );
                let (code, err) = cli(
                    &db,
                    &["--env", ambiente, "--base-url", url, "connection", "set"],
                );
                assert_eq!(
                    finestra.is_ok(),
                    code == 0,
                    "{url}: window {finestra:?}, CLI exit {code} {err}"
                );
                assert_eq!(finestra.is_ok(), atteso, "{url}: {finestra:?}");
                if let Err(e) = finestra {
                    assert_eq!(e["codice"], "impostazioni", "{url}: {e}");
                    assert!(err.contains("https://"), "{url}: {err}");
                }
                let primo = chiama_json(
                    &w,
                    "primo_configura",
                    json!({ "dati": {
                    "denominazione": "Comune di Esempio", "codice_ipa": "c_x123",
                    "codice_fiscale": "01199250158", "codice_segregazione": "12",
                    "ambiente": ambiente, "url": url, "password": "" } }),
                )
                .unwrap();
                assert_eq!(primo["salvato"], atteso, "{ambiente} {url}: {primo}");
                if !atteso {
                    assert_eq!(primo["errori"][0]["campo"], "url", "{url}: {primo}");
                }
                // The wizard's address step asks the same rule before going on.
                let passo = chiama_json(
                    &w,
                    "indirizzo_controlla",
                    json!({ "ambiente": ambiente, "url": url }),
                )
                .unwrap();
                assert_eq!(passo.is_null(), atteso, "{ambiente} {url}: {passo}");
            }
        }
        // What was stored last is what both read back.
        let stato = chiama_json(&w, "impostazioni_stato", json!({})).unwrap();
        assert_eq!(stato["ambiente"], "custom", "{stato}");
        let (code, err) = cli(&db, &["connection", "show"]);
        assert_eq!(code, 0, "{err}");
    }

    #[test]
    fn settings_backup_and_restore_through_the_ipc() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.sqlite");
        let (_app, w) = finestra(&db, 3);
        let stato = chiama_json(&w, "impostazioni_stato", json!({})).unwrap();
        assert_eq!(stato["ambiente"], "demo", "{stato}");
        assert_eq!(stato["codice_ipa"], "c_demo", "{stato}");
        assert_eq!(stato["password"]["origine"], "demo", "{stato}");
        let home = chiama_json(&w, "panoramica", json!({})).unwrap();
        assert_eq!(home["demo"], true, "{home}");
        assert_eq!(home["ente"]["ente"]["codice_ipa"], "c_demo", "{home}");
        let indici = chiama_json(&w, "manutenzione_stato", json!({})).unwrap();
        assert_eq!(indici["dovuti"], 3, "{indici}");

        let bak = dir.path().join("copia.sqlite");
        let salvato = chiama_json(&w, "backup_salva", json!({ "percorsoFile": bak })).unwrap();
        assert_eq!(salvato, json!(bak.display().to_string()));
        let e = chiama_json(
            &w,
            "backup_salva",
            json!({ "percorsoFile": "relativo.sqlite" }),
        )
        .unwrap_err();
        assert_eq!(e["codice"], "argomento", "{e}");
        let info = chiama_json(&w, "backup_esamina", json!({ "percorsoFile": bak })).unwrap();
        assert_eq!(info["dovuti"], 3, "{info}");
        // More debts after the backup; the restore brings back three, in every desk.
        chiama_json(&w, "avvia_demo", json!({})).unwrap();
        let r = chiama_json(&w, "backup_ripristina", json!({ "percorsoFile": bak })).unwrap();
        assert_eq!(r["info"]["dovuti"], 3, "{r}");
        let home = chiama_json(&w, "panoramica", json!({})).unwrap();
        let n: i64 = home["dovuti_per_stato"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["numero"].as_i64().unwrap())
            .sum();
        assert_eq!(n, 3, "{home}");
        let pagina = chiama_json(
            &w,
            "dovuti_pagina",
            json!({ "richiesta": { "offset": 0, "limit": 50 } }),
        )
        .unwrap();
        assert_eq!(pagina["totale"], 3, "{pagina}");
    }
}
