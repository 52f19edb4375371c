//! Avvisi: the pagoPA notices of a campaign (`mpd_app::avvisi::lotto`). The plan is quick; the
//! run draws every notice on a blocking thread, reports over a [`Channel`] and stops when
//! [`avvisi_annulla`] is called (nothing is left in the folder then).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use mpd_app::avvisi::lotto::{
    self, AvanzamentoAvvisi, Campagna, EsitoAvvisi, OpzioniLotto, PianoAvvisi,
};
use mpd_app::{Errore, Lavoro, Risultato};
use tauri::State;
use tauri::ipc::Channel;

use super::StatoApp;
use super::connessione::{flag_azzerato, lavoro};

/// The run's cancel flag.
#[derive(Default)]
pub struct StatoAvvisi {
    pub annulla: Arc<AtomicBool>,
}

/// How many notices, what is skipped and why, which files a run writes.
#[tauri::command]
pub async fn avvisi_prepara(
    app: State<'_, StatoApp>,
    campagna: Campagna,
    per_file: Option<usize>,
) -> Risultato<PianoAvvisi> {
    lavoro(&app, move |a| lotto::prepara(a, &campagna, per_file)).await
}

/// Writes the notices, the print files and the manifest in the chosen folder.
#[tauri::command]
pub async fn avvisi_genera(
    app: State<'_, StatoApp>,
    stato: State<'_, StatoAvvisi>,
    campagna: Campagna,
    opzioni: OpzioniLotto,
    avanzamento: Channel<AvanzamentoAvvisi>,
) -> Risultato<EsitoAvvisi> {
    let annulla = flag_azzerato(&stato.annulla);
    lavoro(&app, move |a| {
        let l = Lavoro::new(|p| drop(avanzamento.send(p)), annulla);
        lotto::genera(a, &campagna, &opzioni, &l)
    })
    .await
}

/// Stops the running generation (no file is left).
#[tauri::command]
pub fn avvisi_annulla(stato: State<'_, StatoAvvisi>) {
    stato.annulla.store(true, Ordering::SeqCst);
}

/// Opens the folder of the notices with the file manager.
#[tauri::command]
pub fn avvisi_apri_cartella<R: tauri::Runtime>(
    handle: tauri::AppHandle<R>,
    percorso: String,
) -> Risultato<()> {
    use tauri_plugin_opener::OpenerExt;
    let cartella = std::path::PathBuf::from(percorso.trim());
    if !cartella.is_dir() {
        return Err(Errore::argomento("la cartella degli avvisi non esiste"));
    }
    handle
        .opener()
        .open_path(cartella.display().to_string(), None::<&str>)
        .map_err(|e| Errore::apertura("la cartella degli avvisi", &cartella, &e))
}

/// The Avvisi commands through the real IPC (MockRuntime): argument names and JSON shapes as
/// the window sends them.
#[cfg(test)]
mod ipc {
    use serde_json::json;

    use crate::commands::prova_ipc::{chiama_json, finestra};

    #[test]
    fn plan_and_run_take_the_window_arguments() {
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = finestra(&dir.path().join("desk.sqlite"), 3);
        let p = chiama_json(
            &w,
            "avvisi_prepara",
            json!({ "campagna": { "tipo": "TARI", "anno": 2030, "codice_fiscale": null }, "perFile": 5 }),
        )
        .unwrap();
        assert_eq!(
            (p["avvisi"].clone(), p["per_file"].clone()),
            (json!(0), json!(5)),
            "{p}"
        );
        let e = chiama_json(
            &w,
            "avvisi_prepara",
            json!({ "campagna": { "tipo": null, "anno": null }, "perFile": 0 }),
        )
        .unwrap_err();
        assert_eq!(e["codice"], "argomento", "{e}");
        let cartella = dir.path().join("avvisi");
        let e = chiama_json(
            &w,
            "avvisi_genera",
            json!({
                "campagna": { "tipo": "TARI", "anno": 2030 },
                "opzioni": { "cartella": cartella, "modello_nome": null, "per_file": null },
                "avanzamento": "__CHANNEL__:1",
            }),
        )
        .unwrap_err();
        assert_eq!(e["codice"], "non_consentito", "{e}");
        assert!(!cartella.exists());
        let e =
            chiama_json(&w, "avvisi_apri_cartella", json!({ "percorso": cartella })).unwrap_err();
        assert_eq!(e["codice"], "argomento", "{e}");
        chiama_json(&w, "avvisi_annulla", json!({})).unwrap();
    }
}
