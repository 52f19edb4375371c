//! Riconciliazione (issue 16, first part): FdR files imported, the FdR with their quadratura,
//! each payment's state and reason (`mpd_app::riconciliazione`). The import runs off the
//! window's thread; afterwards nothing needs the index upkeep (no debt changes).

use std::path::PathBuf;

use mpd_app::Risultato;
use mpd_app::riconciliazione::{
    self, EsitoImportazioneFdr, FdrVista, PagamentoVista, RegoleRiconciliazione,
};
use tauri::State;

use super::StatoApp;
use super::connessione::lavoro;

/// Imports the FdR files the clerk chose: all of them, or none if one is wrong.
#[tauri::command]
pub async fn fdr_importa(
    app: State<'_, StatoApp>,
    percorsi: Vec<String>,
) -> Risultato<EsitoImportazioneFdr> {
    let file: Vec<PathBuf> = percorsi.into_iter().map(PathBuf::from).collect();
    lavoro(&app, move |a| riconciliazione::importa(a, &file)).await
}

/// Every imported FdR with its quadratura.
#[tauri::command]
pub fn fdr_elenco(app: State<'_, StatoApp>) -> Risultato<Vec<FdrVista>> {
    riconciliazione::elenco_fdr(&app)
}

/// Every payment's state and reason; `stato` filters on the state's code.
#[tauri::command]
pub fn riconciliazione_pagamenti(
    app: State<'_, StatoApp>,
    stato: Option<String>,
) -> Risultato<Vec<PagamentoVista>> {
    riconciliazione::pagamenti(&app, stato.as_deref())
}

/// The matching's rules in force.
#[tauri::command]
pub fn riconciliazione_regole(app: State<'_, StatoApp>) -> Risultato<RegoleRiconciliazione> {
    riconciliazione::regole(&app)
}

/// Changes the matching's rules given; returns the rules in force.
#[tauri::command]
pub fn riconciliazione_regole_salva(
    app: State<'_, StatoApp>,
    indice_mancante_primo: Option<bool>,
    esito9_rendicontato: Option<bool>,
) -> Risultato<RegoleRiconciliazione> {
    riconciliazione::imposta_regole(&app, indice_mancante_primo, esito9_rendicontato)
}
