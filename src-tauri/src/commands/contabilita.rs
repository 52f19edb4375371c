//! The reconciliation's outputs for the finance office (`mpd_app::contabilita`): collected
//! amounts, reversal proposals, the exports, each payment type's default chapter. The exports
//! run off the window's thread.

use std::path::PathBuf;

use mpd_app::Risultato;
use mpd_app::contabilita::{self, CapitoloTipo, EsitoEsportazione, PropostaReversale, Totali};
use tauri::State;

use super::StatoApp;
use super::connessione::lavoro;

/// The collected amounts by payment type, chapter, accertamento and month.
#[tauri::command]
pub fn riconciliazione_totali(app: State<'_, StatoApp>) -> Risultato<Totali> {
    contabilita::totali(&app)
}

/// The reversal proposals of the treasury's provisional receipts.
#[tauri::command]
pub fn riconciliazione_proposte(app: State<'_, StatoApp>) -> Risultato<Vec<PropostaReversale>> {
    contabilita::proposte(&app)
}

/// Saves the reversal proposals as `.xlsx` or `.csv` at `percorso`.
#[tauri::command]
pub async fn riconciliazione_salva_proposte(
    app: State<'_, StatoApp>,
    percorso: String,
) -> Risultato<EsitoEsportazione> {
    lavoro(&app, move |a| {
        contabilita::salva_proposte(a, &PathBuf::from(percorso))
    })
    .await
}

/// The reconciliation workbook (Riepilogo, Pagamenti, Anomalie, Proposte di reversale).
#[tauri::command]
pub async fn riconciliazione_esporta(
    app: State<'_, StatoApp>,
    percorso: String,
) -> Risultato<EsitoEsportazione> {
    lavoro(&app, move |a| {
        contabilita::esporta_riconciliazione(a, &PathBuf::from(percorso))
    })
    .await
}

/// MyPivot's export, tracciato 1.4, as a zip.
#[tauri::command]
pub async fn riconciliazione_esporta_mypivot(
    app: State<'_, StatoApp>,
    percorso: String,
    con_notifiche: bool,
    finestra: bool,
) -> Risultato<EsitoEsportazione> {
    lavoro(&app, move |a| {
        contabilita::esporta_mypivot(a, &PathBuf::from(percorso), con_notifiche, finestra)
    })
    .await
}

/// Each payment type's default chapter.
#[tauri::command]
pub fn capitoli_tipi(app: State<'_, StatoApp>) -> Risultato<Vec<CapitoloTipo>> {
    contabilita::capitoli_tipi(&app)
}

/// Sets (an empty chapter removes) a payment type's default chapter; returns every type's.
#[tauri::command]
pub fn capitolo_tipo_salva(
    app: State<'_, StatoApp>,
    capitolo: CapitoloTipo,
) -> Risultato<Vec<CapitoloTipo>> {
    contabilita::imposta_capitolo_tipo(&app, capitolo)
}
