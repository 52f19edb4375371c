//! Dovuti: one page of the filtered list for the virtualized table, the edit form and the bulk
//! actions (`mpd_app::dovuti`).

use mpd_app::Risultato;
/// The form's fields (the counter's form uses them too).
pub use mpd_app::dovuti::CampiDovuto;
use mpd_app::dovuti::{
    self, BozzeEliminate, EsitoAzione, EsitoScheda, FiltroDovuti, PaginaDovuti, SchedaDovuto,
};
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

/// The position (rata unica and instalments) the debt belongs to, if any.
#[tauri::command]
pub fn dovuto_posizione(
    app: State<'_, StatoApp>,
    iud: String,
) -> Risultato<Option<mpd_app::posizioni::VistaPosizione>> {
    mpd_app::posizioni::del_dovuto(&app, &iud)
}

/// Writes the pagoPA notice of a position (by its code or a debt's IUD) to `percorso` as PDF.
#[tauri::command]
pub fn posizione_avviso(
    app: State<'_, StatoApp>,
    codice: String,
    percorso: String,
) -> Risultato<mpd_app::avvisi::AvvisoStampato> {
    mpd_app::avvisi::stampa_posizione(&app, &codice, Path::new(&percorso))
}

/// The first page of a position's notice as SVG (by its code or a debt's IUD), for a preview.
#[tauri::command]
pub fn avviso_anteprima(app: State<'_, StatoApp>, codice: String) -> Risultato<String> {
    mpd_app::avvisi::anteprima(&app, &codice)
}

/// Creates a position (rata unica and instalments of one payer) from the window's form.
#[tauri::command]
pub fn posizione_crea(
    app: State<'_, StatoApp>,
    posizione: mpd_app::posizioni::NuovaPosizione,
    bozza: bool,
) -> Risultato<mpd_app::posizioni::EsitoRate> {
    mpd_app::posizioni::crea_dal_form(&app, posizione, bozza)
}

/// Changes, adds or removes instalments of a position not settled yet, all together.
#[tauri::command]
pub fn posizione_cambia_rate(
    app: State<'_, StatoApp>,
    codice: String,
    cambi: Vec<mpd_app::posizioni::CambioRate>,
) -> Risultato<mpd_app::posizioni::EsitoRate> {
    mpd_app::posizioni::cambia_rate_dal_form(&app, &codice, &cambi)
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

#[cfg(test)]
mod ipc {
    use serde_json::json;

    use crate::commands::prova_ipc::chiama_json as call;

    #[test]
    fn bulk_actions_and_the_export_take_the_filter_through_the_ipc() {
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = crate::commands::prova_ipc::finestra(&dir.path().join("desk.sqlite"), 12);
        let pagina = call(
            &w,
            "dovuti_pagina",
            json!({ "richiesta": { "limit": 1, "testo": "" } }),
        )
        .unwrap();
        let dovuti_n = pagina["totale"].as_u64().unwrap();
        assert!(dovuti_n > 1, "{pagina}");
        // The count the clerk confirmed is not the filter's any more: nothing is done.
        let e = call(
            &w,
            "dovuti_annulla_filtro",
            json!({ "filtro": {}, "attesi": dovuti_n + 1 }),
        )
        .unwrap_err();
        assert_eq!(e["codice"], "non_consentito", "{e}");
        let esiti = call(
            &w,
            "dovuti_pronti_filtro",
            json!({ "filtro": { "offset": 0, "limit": 1 }, "attesi": dovuti_n }),
        )
        .unwrap();
        assert_eq!(esiti.as_array().unwrap().len() as u64, dovuti_n, "{esiti}");

        let tutti =
            call(&w, "dovuti_pagina", json!({ "richiesta": { "limit": 1 } })).unwrap()["totale"]
                .as_u64()
                .unwrap();
        let file = dir.path().join("dovuti.xlsx");
        let n = call(
            &w,
            "dovuti_esporta",
            json!({ "filtro": {}, "percorso": file.to_str().unwrap() }),
        )
        .unwrap();
        assert_eq!(n.as_u64(), Some(tutti));
        assert!(file.exists());
    }

    #[test]
    fn the_notice_preview_is_reached_by_a_positions_code() {
        let dir = tempfile::tempdir().unwrap();
        let (_app, w) = crate::commands::prova_ipc::finestra(&dir.path().join("desk.sqlite"), 0);
        // The code reaches the application layer (named in its answer) and its error code comes
        // back as the window branches on it.
        let e = call(
            &w,
            "avviso_anteprima",
            json!({ "codice": "TARI-2027-0001" }),
        )
        .unwrap_err();
        assert_eq!(e["codice"], "dovuto_inesistente", "{e}");
        assert!(
            e["messaggio"]
                .as_str()
                .unwrap()
                .contains("«TARI-2027-0001»"),
            "{e}"
        );
        // Without the argument the call is refused before reaching it.
        assert!(call(&w, "avviso_anteprima", json!({})).is_err());
    }
}
