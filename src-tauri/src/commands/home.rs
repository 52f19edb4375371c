//! Home: the overview (debts by state, expected vs collected by month, attention items) and
//! the first start in demo mode.

use mpd_core::{DovutoStato, EnteView, FlussoRecord, FlussoStato, MonthTotals, StateCount};
use serde::Serialize;

use super::{DeskState, ErroreUi, with_desk};

/// Debts the demo creates on first start.
const DEMO_DEBTS: usize = 300;

/// A flow as the Home lists it.
#[derive(Serialize)]
pub struct FlussoVista {
    pub nome: String,
    pub stato: &'static str,
    /// Italian label of the state.
    pub etichetta: &'static str,
    pub righe: i64,
    pub righe_scartate: i64,
}

impl From<FlussoRecord> for FlussoVista {
    fn from(f: FlussoRecord) -> Self {
        FlussoVista {
            nome: f.nome,
            stato: f.stato.as_str(),
            etichetta: f.stato.label_it(),
            righe: f.righe,
            righe_scartate: f.righe_scartate,
        }
    }
}

/// One state with its Italian label and totals.
#[derive(Serialize)]
pub struct StatoVista {
    pub stato: &'static str,
    pub etichetta: &'static str,
    pub numero: i64,
    /// Cents, for the UI to format (`1.234,56 €`).
    pub importo_cents: i64,
}

impl From<&StateCount> for StatoVista {
    fn from(c: &StateCount) -> Self {
        StatoVista {
            stato: c.stato.as_str(),
            etichetta: c.stato.label_it(),
            numero: c.numero,
            importo_cents: c.importo_cents,
        }
    }
}

/// What needs the clerk's attention.
#[derive(Serialize)]
pub struct Attenzione {
    pub dovuti_scartati: i64,
    pub dovuti_pronti: i64,
    pub flussi_in_attesa: usize,
}

/// What the Home shows.
#[derive(Serialize)]
pub struct Panoramica {
    pub versione: &'static str,
    pub database: String,
    pub ente: Option<EnteView>,
    /// The stored Ente is the demo one (`c_demo`): the UI shows a DEMO badge.
    pub demo: bool,
    pub dovuti_per_stato: Vec<StatoVista>,
    pub mensile: Vec<MonthTotals>,
    pub flussi_recenti: Vec<FlussoVista>,
    pub attenzione: Attenzione,
    /// Last receipt download (`dd/mm/yyyy HH:MM`, local time), if any.
    pub ultima_sincronizzazione: Option<String>,
}

/// The Home overview; also the first call of the window, which opens the database.
#[tauri::command]
pub fn panoramica(state: tauri::State<'_, DeskState>) -> Result<Panoramica, ErroreUi> {
    with_desk(&state, |desk| {
        let counts = desk.debt_counts()?;
        let count_of =
            |s: DovutoStato| counts.iter().find(|c| c.stato == s).map_or(0, |c| c.numero);
        let flows = desk.flows()?;
        let ente = desk.ente_view()?;
        Ok(Panoramica {
            versione: env!("CARGO_PKG_VERSION"),
            database: desk
                .db_path()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            demo: ente
                .as_ref()
                .is_some_and(|e| e.ente.codice_ipa == mpd_core::debts::demo_ente().codice_ipa),
            ente,
            attenzione: Attenzione {
                dovuti_scartati: count_of(DovutoStato::Rejected),
                dovuti_pronti: count_of(DovutoStato::Ready),
                flussi_in_attesa: flows
                    .iter()
                    .filter(|f| !matches!(f.stato, FlussoStato::Done | FlussoStato::Aborted))
                    .count(),
            },
            dovuti_per_stato: counts.iter().map(StatoVista::from).collect(),
            mensile: desk.totals_by_month()?,
            flussi_recenti: flows.into_iter().take(5).map(FlussoVista::from).collect(),
            ultima_sincronizzazione: super::ricevute::ultima_sincronizzazione(desk)?,
        })
    })
}

/// "Prova con dati dimostrativi": the demo Ente and a few hundred sample debts.
#[tauri::command]
pub fn avvia_demo(state: tauri::State<'_, DeskState>) -> Result<usize, ErroreUi> {
    with_desk(&state, |desk| Ok(desk.setup_demo(DEMO_DEBTS)?))
}
