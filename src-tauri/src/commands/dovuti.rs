//! Dovuti: one page of the filtered list for the virtualized table, the edit form and the bulk
//! actions (`mpd_app::dovuti`).

use mpd_app::Risultato;
/// The form's fields (the counter's form uses them too).
pub use mpd_app::dovuti::CampiDovuto;
use mpd_app::dovuti::{
    self, BozzeEliminate, EsitoAzione, EsitoScheda, FiltroDovuti, PaginaDovuti, SchedaDovuto,
};
use tauri::State;

use super::StatoApp;

/// One page of the filtered debts, with the total on the first page.
#[tauri::command]
pub fn dovuti_pagina(app: State<'_, StatoApp>, richiesta: FiltroDovuti) -> Risultato<PaginaDovuti> {
    dovuti::pagina(&app, &richiesta)
}

/// One debt for the edit form: values as the clerk writes them and current problems.
#[tauri::command]
pub fn dovuto_scheda(app: State<'_, StatoApp>, iud: String) -> Risultato<SchedaDovuto> {
    dovuti::scheda(&app, &iud)
}

/// Saves the form (a draft is kept even with errors; with `pronto` it becomes ready when valid).
#[tauri::command]
pub fn dovuto_salva(
    app: State<'_, StatoApp>,
    iud: String,
    campi: CampiDovuto,
    pronto: Option<bool>,
) -> Risultato<EsitoScheda> {
    dovuti::salva(&app, &iud, campi, pronto.unwrap_or(false))
}

/// «Segna come pronti»: one outcome per debt.
#[tauri::command]
pub fn dovuti_pronti(app: State<'_, StatoApp>, iuds: Vec<String>) -> Risultato<Vec<EsitoAzione>> {
    dovuti::pronti(&app, &iuds)
}

/// «Annulla»: one outcome per debt.
#[tauri::command]
pub fn dovuti_annulla(app: State<'_, StatoApp>, iuds: Vec<String>) -> Risultato<Vec<EsitoAzione>> {
    dovuti::annulla(&app, &iuds)
}

/// «Elimina bozze»: the drafts never sent are deleted, the others refused with the reason.
#[tauri::command]
pub fn dovuti_elimina_bozze(
    app: State<'_, StatoApp>,
    iuds: Vec<String>,
) -> Risultato<BozzeEliminate> {
    dovuti::elimina_bozze(&app, &iuds)
}

/// «Successiva da correggere»: the next draft with problems after `iud`, if any.
#[tauri::command]
pub fn dovuti_successiva_da_correggere(
    app: State<'_, StatoApp>,
    iud: String,
) -> Risultato<Option<String>> {
    dovuti::successiva_da_correggere(&app, &iud)
}
