//! Sportello: one debt at the counter (IUV and notice on the spot), a citizen's positions
//! (`mpd_app::sportello`). The remote work runs off the window's thread; opening a saved notice
//! with the default program is the window's own job.

use mpd_app::dovuti::RigaDovuto;
use mpd_app::sportello::{self, DovutoSportello, EsitoSportello, PosizioniPagatore};
use mpd_app::{Errore, Risultato};
use tauri::State;

use super::StatoApp;
use super::connessione::lavoro;

/// The open debts identical to the form (same payer, type, amount, due date), from the local
/// debts: the window asks before creating another.
#[tauri::command]
pub fn sportello_duplicati(
    app: State<'_, StatoApp>,
    dovuto: DovutoSportello,
) -> Risultato<Vec<RigaDovuto>> {
    sportello::duplicati(&app, &dovuto)
}

/// "Crea il dovuto e l'avviso": creates the debt on MyPay with a generated IUV (refused when an
/// identical open debt exists, unless `anche_se_duplicato`).
#[tauri::command]
pub async fn sportello_crea(
    app: State<'_, StatoApp>,
    dovuto: DovutoSportello,
    anche_se_duplicato: bool,
) -> Risultato<EsitoSportello> {
    lavoro(&app, move |a| {
        sportello::crea(a, dovuto, anche_se_duplicato)
    })
    .await
}

/// Changes a debt already on MyPay: same IUD and IUV, a new notice.
#[tauri::command]
pub async fn sportello_modifica(
    app: State<'_, StatoApp>,
    iud: String,
    dovuto: DovutoSportello,
) -> Risultato<EsitoSportello> {
    lavoro(&app, move |a| sportello::modifica(a, &iud, dovuto)).await
}

/// Cancels on MyPay a debt not yet paid.
#[tauri::command]
pub async fn sportello_annulla(app: State<'_, StatoApp>, iud: String) -> Risultato<()> {
    lavoro(&app, move |a| sportello::annulla(a, &iud)).await
}

/// "Cerca": the payer's open positions and payments.
#[tauri::command]
pub async fn sportello_cerca(
    app: State<'_, StatoApp>,
    codice: String,
) -> Risultato<PosizioniPagatore> {
    lavoro(&app, move |a| sportello::cerca(a, &codice)).await
}

/// Opens a saved notice PDF with the default program (only the counter's notices).
#[tauri::command]
pub fn sportello_apri_avviso<R: tauri::Runtime>(
    handle: tauri::AppHandle<R>,
    app: State<'_, StatoApp>,
    percorso: String,
) -> Risultato<()> {
    use tauri_plugin_opener::OpenerExt;
    let pdf = sportello::avviso(&app, &percorso)?;
    handle
        .opener()
        .open_path(pdf.display().to_string(), None::<&str>)
        .map_err(|e| Errore::apertura("l'avviso", &pdf, &e))
}
