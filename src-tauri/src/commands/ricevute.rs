//! Ricevute: the receipts and their match, the one-click download with progress, the Excel
//! sheet, the demo's simulated payments (`mpd_app::ricevute`). The download runs off the
//! window's thread, reports over a [`Channel`] and stops at a safe point when `ricevute_annulla`
//! is called; afterwards the index upkeep is started in the background.

use std::path::Path;
use std::sync::atomic::Ordering;

use mpd_app::ricevute::{
    self, AvanzamentoRicevute, EsitoScarico, PagamentiSimulati, RicevutaDettaglio, RicevutaRiga,
};
use mpd_app::{Lavoro, Risultato};
use tauri::State;
use tauri::ipc::Channel;

use super::StatoApp;
use super::connessione::{StatoConnessione, flag_azzerato, lavoro};

/// Receipts, newest first; `abbinamento` filters on the match code.
#[tauri::command]
pub fn ricevute_elenco(
    app: State<'_, StatoApp>,
    abbinamento: Option<String>,
) -> Risultato<Vec<RicevutaRiga>> {
    ricevute::elenco(&app, abbinamento.as_deref(), None)
}

/// The detail of one receipt, RT included (base64 as MyPay sent it; the window decodes it).
#[tauri::command]
pub fn ricevute_dettaglio(app: State<'_, StatoApp>, id: i64) -> Risultato<RicevutaDettaglio> {
    ricevute::dettaglio(&app, id)
}

/// "Scarica ricevute": the news since the last download (or the payments dated `dal`..`al`).
#[tauri::command]
pub async fn ricevute_scarica<R: tauri::Runtime>(
    handle: tauri::AppHandle<R>,
    app: State<'_, StatoApp>,
    stato: State<'_, StatoConnessione>,
    dal: Option<String>,
    al: Option<String>,
    avanzamento: Channel<AvanzamentoRicevute>,
) -> Risultato<EsitoScarico> {
    let annulla = flag_azzerato(&stato.annulla_ricevute);
    let esito = lavoro(&app, move |a| {
        let l = Lavoro::new(|e| drop(avanzamento.send(e)), annulla);
        ricevute::scarica(a, dal.as_deref(), al.as_deref(), &l)
    })
    .await;
    // A very large download leaves the indexes on the debts' state to the background upkeep.
    super::manutenzione::avvia(&handle);
    esito
}

/// Stops the running download at the next safe point.
#[tauri::command]
pub fn ricevute_annulla(stato: State<'_, StatoConnessione>) {
    stato.annulla_ricevute.store(true, Ordering::SeqCst);
}

/// Writes every receipt to an Excel file chosen by the clerk; returns the rows written.
#[tauri::command]
pub async fn ricevute_esporta(app: State<'_, StatoApp>, percorso: String) -> Risultato<usize> {
    lavoro(&app, move |a| ricevute::esporta(a, Path::new(&percorso))).await
}

/// Demo only: the embedded emulator pays a share (default 70%) of the Ente's open debts.
#[tauri::command]
pub async fn demo_simula_pagamenti(
    app: State<'_, StatoApp>,
    quota: Option<f64>,
) -> Risultato<PagamentiSimulati> {
    lavoro(&app, move |a| ricevute::simula_pagamenti(a, quota)).await
}
