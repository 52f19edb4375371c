//! The Tauri shell of MyPay Desk.
//!
//! A thin layer: it opens the same local database as the CLI (`MYPAY_DESK_DB` overrides the
//! per-user default, as `--db` does for the CLI) and exposes commands that are one-line
//! adapters onto the application layer `mpd_app` ([`commands`]). The window's front end lives in `ui/`.

mod commands;

/// What the window found in its process environment for the connection (headless-style runs,
/// issue 17 item 10 and issue 15): the MyPay password and PU's client id and secret; and the
/// archive's passphrase or recovery code (`MYPAY_DESK_DB_PASSPHRASE`, issue 17 item 7).
#[derive(Default)]
pub struct Credenziali {
    pub password: Option<String>,
    pub frase_archivio: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

/// Takes `MYPAY_DESK_PASSWORD`, `MYPAY_DESK_CLIENT_SECRET` and `MYPAY_DESK_DB_PASSPHRASE` out of the process environment
/// and returns them (with `MYPAY_DESK_CLIENT_ID`, which is no secret and stays): the window
/// keeps them in memory for the connection, and the programs it opens (the PDF viewer, the
/// file manager, the browser) no longer inherit them (issue 17 item 10). `main` calls it
/// first, before any thread exists.
#[allow(unsafe_code)]
pub fn trattieni_credenziali() -> Credenziali {
    let c = Credenziali {
        password: std::env::var(mpd_app::ENV_PASSWORD).ok(),
        frase_archivio: std::env::var(mpd_app::archivio::ENV_FRASE_ARCHIVIO).ok(),
        client_id: std::env::var(mpd_app::ENV_CLIENT_ID).ok(),
        client_secret: std::env::var(mpd_app::ENV_CLIENT_SECRET).ok(),
    };
    // SAFETY: removing a variable is unsound only while another thread reads the environment;
    // this runs at the start of `main`, before the window, the runtime or any thread starts.
    unsafe {
        std::env::remove_var(mpd_app::ENV_PASSWORD);
        std::env::remove_var(mpd_app::ENV_CLIENT_SECRET);
        std::env::remove_var(mpd_app::archivio::ENV_FRASE_ARCHIVIO);
    };
    c
}

/// Opens the main window; `credenziali` is what [`trattieni_credenziali`] took from the
/// environment.
pub fn run(credenziali: Credenziali) {
    let app = commands::nuova_app(credenziali);
    registro(&app);
    let alla_fine = app.clone();
    build(tauri::Builder::default(), app)
        .setup(|app| {
            use tauri::Manager as _;
            for window in app.webview_windows().values() {
                webkit::configura(window);
            }
            commands::manutenzione::avvia(app.handle());
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("errore nell'avvio della finestra di MyPay Desk")
        .run(move |_, evento| {
            // The event loop ends the process without dropping managed state: the files
            // received for an import are removed here.
            if let tauri::RunEvent::Exit = evento {
                alla_fine.chiudi();
            }
        });
}

/// The window's log, `mypay-desk.log` in the data folder: the technical detail of what the
/// clerk read in Italian (an opener's command line, a keyring's or the system's English error,
/// a code of MyPay: issue 13 item 17) is kept there, never shown. Warnings and errors unless
/// `MYPAY_DESK_LOG` says otherwise, as for the CLI; never a password (`Secret` prints hidden).
fn registro(app: &mpd_app::App) {
    let Ok(file) = mpd_app::impostazioni::file_registro(app) else {
        return;
    };
    let filtro = tracing_subscriber::EnvFilter::try_from_env("MYPAY_DESK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filtro)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}

/// Registers state and commands on a builder; split out so tests can pass a mock builder and
/// an application on their own database.
pub fn build<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    app: std::sync::Arc<mpd_app::App>,
) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(commands::importa::StatoImporta::default())
        .manage(commands::avvisi::StatoAvvisi::default())
        .manage(commands::connessione::StatoConnessione::new(app.clone()))
        .manage(app)
        .manage(commands::manutenzione::StatoManutenzione::default())
        .invoke_handler(tauri::generate_handler![
            commands::home::panoramica,
            commands::home::avvia_demo,
            commands::dovuti::dovuti_pagina,
            commands::dovuti::dovuto_scheda,
            commands::dovuti::dovuto_posizione,
            commands::dovuti::posizione_avviso,
            commands::dovuti::avviso_anteprima,
            commands::dovuti::posizione_crea,
            commands::dovuti::posizione_cambia_rate,
            commands::dovuti::dovuto_salva,
            commands::dovuti::dovuti_pronti,
            commands::dovuti::dovuti_annulla,
            commands::dovuti::dovuti_pronti_filtro,
            commands::dovuti::dovuti_annulla_filtro,
            commands::dovuti::dovuti_esporta,
            commands::dovuti::dovuti_elimina_bozze,
            commands::dovuti::dovuti_successiva_da_correggere,
            commands::importa::importa_carica,
            commands::importa::importa_formati,
            commands::importa::importa_anteprima,
            commands::importa::importa_verifica,
            commands::importa::importa_esegui,
            commands::importa::importa_comunque,
            commands::importa::importa_annulla,
            commands::importa::importa_modello,
            commands::importa::importa_ultima,
            commands::importa::importa_annulla_importazione,
            commands::adesione::adesione_tabelle,
            commands::adesione::ente_modulo,
            commands::adesione::ente_logo,
            commands::adesione::ente_salva,
            commands::adesione::ente_completezza,
            commands::adesione::ente_documenti,
            commands::adesione::ente_importa_profilo,
            commands::adesione::ente_esporta_profilo,
            commands::adesione::tassonomia_elenco,
            commands::adesione::ente_prefissi,
            commands::adesione::adesione_passi,
            commands::adesione::adesione_passo_registra,
            commands::adesione::contributo_stato,
            commands::adesione::contributo_voce_aggiungi,
            commands::adesione::contributo_voce_elimina,
            commands::adesione::contributo_importo_aggiungi,
            commands::adesione::contributo_importo_elimina,
            commands::adesione::contributo_simula,
            commands::adesione::contributo_riepilogo_salva,
            commands::impostazioni::impostazioni_stato,
            commands::impostazioni::impostazioni_salva,
            commands::impostazioni::password_salva,
            commands::impostazioni::password_cancella,
            commands::impostazioni::cartella_dati_apri,
            commands::impostazioni::backup_salva,
            commands::impostazioni::conservazione,
            commands::impostazioni::conservazione_salva,
            commands::impostazioni::conservazione_applica,
            commands::impostazioni::backup_esamina,
            commands::impostazioni::backup_ripristina,
            commands::impostazioni::archivio_stato,
            commands::impostazioni::archivio_chiave,
            commands::impostazioni::archivio_sblocca,
            commands::impostazioni::primo_configura,
            commands::impostazioni::indirizzo_controlla,
            commands::connessione::connessione_info,
            commands::flussi::flussi_elenco,
            commands::flussi::flussi_dettaglio,
            commands::flussi::flussi_da_inviare,
            commands::flussi::flussi_prepara,
            commands::flussi::flussi_invia,
            commands::flussi::flussi_annulla,
            commands::ricevute::ricevute_elenco,
            commands::ricevute::ricevute_dettaglio,
            commands::ricevute::ricevute_scarica,
            commands::ricevute::ricevute_annulla,
            commands::ricevute::ricevute_esporta,
            commands::ricevute::demo_simula_pagamenti,
            commands::riconciliazione::fdr_importa,
            commands::riconciliazione::fdr_scarica,
            commands::riconciliazione::fdr_annulla,
            commands::riconciliazione::fdr_elenco,
            commands::riconciliazione::fdr_carica,
            commands::riconciliazione::fdr_dettaglio,
            commands::riconciliazione::riconciliazione_elenco,
            commands::riconciliazione::riconciliazione_regole,
            commands::riconciliazione::riconciliazione_regole_salva,
            commands::tesoreria::tesoreria_importa,
            commands::tesoreria::tesoreria_movimenti,
            commands::tesoreria::riconciliazione_completa,
            commands::tesoreria::tesoreria_regole,
            commands::tesoreria::tesoreria_regole_salva,
            commands::tesoreria::tesoreria_carica,
            commands::tesoreria::riconciliazione_riconosci,
            commands::contabilita::riconciliazione_totali,
            commands::contabilita::riconciliazione_proposte,
            commands::contabilita::riconciliazione_salva_proposte,
            commands::contabilita::riconciliazione_esporta,
            commands::contabilita::riconciliazione_esporta_mypivot,
            commands::contabilita::capitoli_tipi,
            commands::contabilita::capitolo_tipo_salva,
            commands::rapporto::rapporto,
            commands::rapporto::rapporto_esporta,
            commands::sportello::sportello_duplicati,
            commands::sportello::sportello_crea,
            commands::sportello::sportello_modifica,
            commands::sportello::sportello_annulla,
            commands::sportello::sportello_cerca,
            commands::sportello::sportello_apri_avviso,
            commands::avvisi::avvisi_prepara,
            commands::avvisi::avvisi_genera,
            commands::avvisi::avvisi_annulla,
            commands::avvisi::avvisi_apri_cartella,
            commands::manutenzione::manutenzione_stato,
        ])
}

/// WebKitGTK settings of the window (Linux only; Windows' WebView2 is left as it is).
#[cfg(target_os = "linux")]
mod webkit {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt as _, WebViewExt as _};

    /// Software rendering, without GPU compositing, unless `MYPAY_DESK_GPU=1`: compositing
    /// through OpenGL (Mesa's llvmpipe where there is no GPU) held about 120 MB of the web
    /// process's 250 MB private memory with 100,000 debts, in its textures and libLLVM's code,
    /// and scrolled the Dovuti table slower, not faster (BENCHMARKS.md, "Cold start, memory").
    /// WebKitWebDriver 2.50's screenshots then need the page to draw a frame meanwhile (see
    /// `Session::screenshot` in tests/webdriver/wd.rs).
    pub fn configura<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
        if std::env::var_os("MYPAY_DESK_GPU").is_some_and(|v| v == "1") {
            return;
        }
        let esito = window.with_webview(|w| {
            if let Some(settings) = w.inner().settings() {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
        if let Err(e) = esito {
            tracing::warn!("impostazioni di WebKit non applicate: {e}");
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod webkit {
    pub fn configura<R: tauri::Runtime>(_window: &tauri::WebviewWindow<R>) {}
}

#[cfg(test)]
mod test_password {
    /// The only test of this crate that touches the environment.
    #[test]
    fn the_password_and_the_client_secret_leave_the_environment_that_opened_programs_inherit() {
        let (nome, segreto) = (mpd_app::ENV_PASSWORD, mpd_app::ENV_CLIENT_SECRET);
        #[allow(unsafe_code)]
        // SAFETY: no other test of this crate reads or writes the environment.
        unsafe {
            std::env::set_var(nome, "Segreta-Ereditata-1");
            std::env::set_var(segreto, "Segreto-Client-Ereditato-2");
        };
        let c = super::trattieni_credenziali();
        assert_eq!(c.password.as_deref(), Some("Segreta-Ereditata-1"));
        assert_eq!(
            c.client_secret.as_deref(),
            Some("Segreto-Client-Ereditato-2")
        );
        assert!(std::env::var_os(nome).is_none() && std::env::var_os(segreto).is_none());
        let figlio = std::process::Command::new("env").output().unwrap();
        let testo = String::from_utf8_lossy(&figlio.stdout);
        for x in [
            "Segreta-Ereditata-1",
            nome,
            "Segreto-Client-Ereditato-2",
            segreto,
        ] {
            assert!(!testo.contains(x), "{x}");
        }
        let c = super::trattieni_credenziali();
        assert_eq!((c.password, c.client_secret), (None, None));
    }
}
