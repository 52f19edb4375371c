//! Commands the window may call. Each one calls one function of `mpd_core`.
//!
//! Errors reach the UI as `{ codice, messaggio }` so the front end branches on a code, never on
//! text; the message is Italian and meant for the clerk.

use std::path::PathBuf;
use std::sync::Mutex;

use mpd_core::{Desk, EnteView, FlussoRecord, StateCount};

/// A flow as the start page lists it.
#[derive(Serialize)]
pub struct FlussoVista {
    pub nome: String,
    /// Italian label of the state.
    pub stato: &'static str,
    pub righe: i64,
    pub righe_scartate: i64,
}

impl From<FlussoRecord> for FlussoVista {
    fn from(f: FlussoRecord) -> Self {
        FlussoVista {
            nome: f.nome,
            stato: f.stato.label_it(),
            righe: f.righe,
            righe_scartate: f.righe_scartate,
        }
    }
}
use serde::Serialize;

/// The desk, opened on first use (the database may not exist before the first start).
pub struct DeskState(pub Mutex<Option<Desk>>);

/// An error as the UI sees it.
#[derive(Debug, Serialize)]
pub struct ErroreUi {
    pub codice: &'static str,
    pub messaggio: String,
}

impl From<mpd_core::CoreError> for ErroreUi {
    fn from(e: mpd_core::CoreError) -> Self {
        ErroreUi {
            codice: "core",
            messaggio: e.to_string(),
        }
    }
}

fn with_desk<T>(
    state: &DeskState,
    f: impl FnOnce(&mut Desk) -> Result<T, ErroreUi>,
) -> Result<T, ErroreUi> {
    let mut guard = state.0.lock().map_err(|_| ErroreUi {
        codice: "stato",
        messaggio: "stato interno non disponibile".into(),
    })?;
    if guard.is_none() {
        let db = std::env::var_os("MYPAY_DESK_DB").map(PathBuf::from);
        *guard = Some(Desk::open(db.as_deref())?);
    }
    f(guard.as_mut().expect("opened above"))
}

/// What the start page shows.
#[derive(Serialize)]
pub struct Panoramica {
    pub versione: &'static str,
    pub database: String,
    pub ente: Option<EnteView>,
    pub dovuti_per_stato: Vec<StatoVista>,
    pub flussi_recenti: Vec<FlussoVista>,
}

/// One state with its Italian label and totals.
#[derive(Serialize)]
pub struct StatoVista {
    pub stato: &'static str,
    pub etichetta: &'static str,
    pub numero: i64,
    /// `1.234,56 €`.
    pub importo: String,
}

impl From<&StateCount> for StatoVista {
    fn from(c: &StateCount) -> Self {
        StatoVista {
            stato: c.stato.as_str(),
            etichetta: c.stato.label_it(),
            numero: c.numero,
            importo: mpd_core::format_euro_cents(c.importo_cents),
        }
    }
}

#[tauri::command]
pub fn panoramica(state: tauri::State<'_, DeskState>) -> Result<Panoramica, ErroreUi> {
    with_desk(&state, |desk| {
        Ok(Panoramica {
            versione: env!("CARGO_PKG_VERSION"),
            database: desk
                .db_path()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            ente: desk.ente_view()?,
            dovuti_per_stato: desk.debt_counts()?.iter().map(StatoVista::from).collect(),
            flussi_recenti: desk
                .flows()?
                .into_iter()
                .take(5)
                .map(FlussoVista::from)
                .collect(),
        })
    })
}
