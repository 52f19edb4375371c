//! Dovuti: one page of the filtered list for the virtualized table, the edit form and the bulk
//! actions (`mpd_app::dovuti`).

use mpd_app::Risultato;
/// The form's fields (the counter's form uses them too).
pub use mpd_app::dovuti::CampiDovuto;
use mpd_app::dovuti::{self, EsitoAzione, EsitoScheda, FiltroDovuti, PaginaDovuti, SchedaDovuto};
use std::path::Path;

use tauri::State;

use super::StatoApp;
use super::connessione::lavoro;

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

/// «Segna come pronti» on every debt of the filter (`attesi`: the count the clerk confirmed).
#[tauri::command]
pub async fn dovuti_pronti_filtro(
    app: State<'_, StatoApp>,
    filtro: FiltroDovuti,
    attesi: usize,
) -> Risultato<Vec<EsitoAzione>> {
    lavoro(&app, move |a| {
        dovuti::pronti_del_filtro(a, &filtro, Some(attesi))
    })
    .await
}

/// «Annulla» on every debt of the filter (`attesi`: the count the clerk confirmed).
#[tauri::command]
pub async fn dovuti_annulla_filtro(
    app: State<'_, StatoApp>,
    filtro: FiltroDovuti,
    attesi: usize,
) -> Risultato<Vec<EsitoAzione>> {
    lavoro(&app, move |a| {
        dovuti::annulla_del_filtro(a, &filtro, Some(attesi))
    })
    .await
}

/// Every debt of the filter to the Excel file the clerk chose; returns how many.
#[tauri::command]
pub async fn dovuti_esporta(
    app: State<'_, StatoApp>,
    filtro: FiltroDovuti,
    percorso: String,
) -> Risultato<usize> {
    lavoro(&app, move |a| {
        dovuti::esporta_filtrati(a, &filtro, Path::new(&percorso))
    })
    .await
}
