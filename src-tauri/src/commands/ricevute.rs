//! Ricevute: the one-click receipt download with progress, the receipts and their match.
//!
//! "Scarica ricevute" books an incremental export (or a date range), polls it, downloads and
//! stores it off the UI thread; the engine's progress (phase, bytes, rows) reaches the window
//! over a [`Channel`]. In the demo the embedded emulator can also "pay" some open debts, so a
//! download has something to find.

use std::path::Path;
use std::sync::atomic::Ordering;

use chrono::NaiveDate;
use mpd_client::sync::receipts::{ReceiptsOutcome, Window};
use mpd_client::{Event, SyncError};
use mpd_sheets::export::{ExportValue, write_export};
use mpd_store::mypay::RicevutaDettaglio;
use serde::Serialize;
use tauri::ipc::Channel;

use super::connessione::{self, StatoConnessione};
use super::{DeskState, ErroreUi, with_desk};

/// Most receipts the list sends to the window at once (newest first).
const MAX_ELENCO: usize = 200_000;

fn store_err(e: mpd_store::StoreError) -> ErroreUi {
    ErroreUi::from(mpd_core::CoreError::from(e))
}

/// `2026-11-27T10:15:00+00:00` → `27/11/2026 11:15` in local time.
pub fn data_ora_it(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// When receipts were last downloaded (an export read, even an empty one), for the Home.
pub fn ultima_sincronizzazione(desk: &mpd_core::Desk) -> Result<Option<String>, ErroreUi> {
    Ok(desk
        .store()
        .export_richieste(50)
        .map_err(store_err)?
        .into_iter()
        .find(|r| r.stato == "importata" || r.stato == "vuota")
        .map(|r| data_ora_it(&r.aggiornato_at)))
}

/// A receipt as the list shows it.
#[derive(Serialize)]
pub struct RicevutaRiga {
    pub id: i64,
    pub iuv: String,
    pub iur: String,
    pub iud: String,
    pub importo_cents: i64,
    /// `yyyy-mm-dd`.
    pub data_esito: String,
    pub psp: String,
    pub codice_pagatore: String,
    pub pagatore: String,
    /// Match code: pagato importo_diverso sconosciuto doppio.
    pub esito: &'static str,
    pub etichetta: &'static str,
    /// The local debt it matched, if any.
    pub dovuto_iud: Option<String>,
}

/// Receipts, newest first; `abbinamento` filters on the match code.
#[tauri::command]
pub fn ricevute_elenco(
    state: tauri::State<'_, DeskState>,
    abbinamento: Option<String>,
) -> Result<Vec<RicevutaRiga>, ErroreUi> {
    if let Some(a) = &abbinamento
        && !["pagato", "importo_diverso", "sconosciuto", "doppio"].contains(&a.as_str())
    {
        return Err(ErroreUi::argomento(format!(
            "abbinamento «{a}» sconosciuto"
        )));
    }
    with_desk(&state, |desk| {
        Ok(desk
            .receipts(Some(MAX_ELENCO))?
            .into_iter()
            .filter(|r| {
                abbinamento
                    .as_deref()
                    .is_none_or(|a| r.abbinamento.as_str() == a)
            })
            .map(|r| RicevutaRiga {
                id: r.id,
                iuv: r.iuv,
                iur: r.iur,
                iud: r.iud,
                importo_cents: r.importo_cents,
                data_esito: r.data_esito,
                psp: r.psp_nome,
                codice_pagatore: r.codice_pagatore,
                pagatore: r.anagrafica_pagatore,
                esito: r.abbinamento.as_str(),
                etichetta: r.abbinamento.label_it(),
                dovuto_iud: r.dovuto_iud,
            })
            .collect())
    })
}

/// The detail of one receipt, RT included (base64 as MyPay sent it; the window decodes it).
#[tauri::command]
pub fn ricevute_dettaglio(
    state: tauri::State<'_, DeskState>,
    id: i64,
) -> Result<RicevutaDettaglio, ErroreUi> {
    if id <= 0 {
        return Err(ErroreUi::argomento("identificativo di ricevuta non valido"));
    }
    with_desk(&state, |desk| {
        desk.store()
            .ricevuta_dettaglio(id)
            .map_err(store_err)?
            .ok_or_else(|| ErroreUi::argomento(format!("nessuna ricevuta con id {id}")))
    })
}

/// What the window receives while a download runs.
#[derive(Clone, Serialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum AvanzamentoRicevute {
    Evento { evento: Event },
}

/// The outcome of "Scarica ricevute".
#[derive(Serialize)]
pub struct EsitoScarico {
    pub esito: Option<ReceiptsOutcome>,
    pub annullato: bool,
}

fn data(s: &str, campo: &str) -> Result<NaiveDate, ErroreUi> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| ErroreUi::argomento(format!("{campo}: data «{s}» non valida")))
}

/// "Scarica ricevute": the news since the last download (or the payments dated `dal`..`al`,
/// `yyyy-mm-dd`), stored and matched to debts. `ricevute_annulla` stops it at a safe point.
#[tauri::command]
pub async fn ricevute_scarica<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    stato: tauri::State<'_, StatoConnessione>,
    dal: Option<String>,
    al: Option<String>,
    avanzamento: Channel<AvanzamentoRicevute>,
) -> Result<EsitoScarico, ErroreUi> {
    let window = match (dal.as_deref(), al.as_deref()) {
        (None, None) => Window::Incremental,
        (Some(d), Some(a)) => {
            let (from, to) = (data(d, "dal")?, data(a, "al")?);
            if to < from {
                return Err(ErroreUi::argomento(
                    "al: la data finale è precedente a quella iniziale",
                ));
            }
            Window::Dates { from, to }
        }
        _ => {
            return Err(ErroreUi::argomento(
                "indica entrambe le date (dal e al) o nessuna",
            ));
        }
    };
    let cancel = connessione::flag_azzerato(&stato.annulla_ricevute);
    let esito = connessione::in_background(app.clone(), true, move |desk, conn| {
        let mut on_event = move |e: &Event| {
            let _ = avanzamento.send(AvanzamentoRicevute::Evento { evento: e.clone() });
        };
        let mut engine = conn.engine(desk, &mut on_event).with_cancel(cancel);
        match engine.download_receipts(&window) {
            Ok(r) => Ok(EsitoScarico {
                esito: Some(r),
                annullato: false,
            }),
            Err(SyncError::Annullato) => Ok(EsitoScarico {
                esito: None,
                annullato: true,
            }),
            Err(e) => Err(connessione::errore_sync(e)),
        }
    })
    .await;
    // A very large download leaves the indexes on the debts' state to the background upkeep.
    super::manutenzione::avvia(&app);
    esito
}

/// Stops the running download at the next safe point.
#[tauri::command]
pub fn ricevute_annulla(stato: tauri::State<'_, StatoConnessione>) {
    stato.annulla_ricevute.store(true, Ordering::SeqCst);
}

/// Headers of the receipts sheet.
const INTESTAZIONI: [&str; 11] = [
    "IUV",
    "IUR",
    "IUD",
    "Importo",
    "Data pagamento",
    "PSP",
    "Codice pagatore",
    "Pagatore",
    "Abbinamento",
    "Dovuto abbinato",
    "Causale",
];

/// Writes every receipt to an Excel file chosen by the clerk; returns the rows written.
#[tauri::command]
pub async fn ricevute_esporta<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    percorso: String,
) -> Result<usize, ErroreUi> {
    use tauri::Manager;
    let path = Path::new(&percorso).to_path_buf();
    if !path.is_absolute()
        || !path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        return Err(ErroreUi::argomento(
            "scegli un file Excel (.xlsx) con il suo percorso completo",
        ));
    }
    tauri::async_runtime::spawn_blocking(move || {
        let desk = connessione::desk_di_lavoro(&app.state::<DeskState>())?;
        let receipts = desk.receipts(None)?;
        let mut rows = Vec::with_capacity(receipts.len());
        for r in receipts {
            let causale = desk
                .store()
                .ricevuta_dettaglio(r.id)
                .map_err(store_err)?
                .map(|d| d.causale)
                .unwrap_or_default();
            rows.push(vec![
                ExportValue::Text(r.iuv),
                ExportValue::Text(r.iur),
                ExportValue::Text(r.iud),
                ExportValue::Cents(r.importo_cents),
                ExportValue::Date(NaiveDate::parse_from_str(&r.data_esito, "%Y-%m-%d").ok()),
                ExportValue::Text(r.psp_nome),
                ExportValue::Text(r.codice_pagatore),
                ExportValue::Text(r.anagrafica_pagatore),
                ExportValue::Text(r.abbinamento.label_it().to_string()),
                ExportValue::Text(r.dovuto_iud.unwrap_or_default()),
                ExportValue::Text(causale),
            ]);
        }
        write_export(&path, &INTESTAZIONI, rows).map_err(|e| ErroreUi {
            codice: "scrittura",
            messaggio: e.to_string(),
        })
    })
    .await
    .map_err(|e| ErroreUi {
        codice: "stato",
        messaggio: format!("esportazione interrotta: {e}"),
    })?
}

/// What the emulator paid.
#[derive(Serialize)]
pub struct PagamentiSimulati {
    pub aperti: usize,
    pub pagati: usize,
}

/// Demo only: the embedded emulator pays a share (default 70%) of the Ente's open debts, as
/// citizens would; "Scarica ricevute" then brings the receipts in.
#[tauri::command]
pub async fn demo_simula_pagamenti<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    quota: Option<f64>,
) -> Result<PagamentiSimulati, ErroreUi> {
    let quota = quota.unwrap_or(0.7);
    if !(0.0..=1.0).contains(&quota) || !quota.is_finite() {
        return Err(ErroreUi::argomento("la quota da pagare va da 0 a 1"));
    }
    connessione::in_background(app, true, move |_, conn| {
        if !conn.is_demo() {
            return Err(ErroreUi::argomento(
                "i pagamenti simulati esistono solo nell'ambiente dimostrativo",
            ));
        }
        let seed = chrono::Utc::now().timestamp() as u64;
        let r = conn.simulate_payments(quota, seed).map_err(|e| ErroreUi {
            codice: "mypay",
            messaggio: format!("{e:#}"),
        })?;
        Ok(PagamentiSimulati {
            aperti: r.aperti,
            pagati: r.pagati.len(),
        })
    })
    .await
}
