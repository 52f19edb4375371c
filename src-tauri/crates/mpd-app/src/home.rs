//! Home: the overview (debts by state, expected and collected by month, what needs the clerk's
//! attention, recent flows), the first start with demo data, and how far the upkeep of the
//! debts' indexes is (`mpd_core::manutenzione`, run in the background by the window).

use mpd_client::config::Ambiente;
use mpd_core::manutenzione::Manutentore;
use mpd_core::{DovutoStato, FlussoRecord, FlussoStato};
use serde::Serialize;
use ts_rs::TS;

use crate::errore::Risultato;
use crate::{App, Lavoro};

/// Debts the demo creates on first start.
const DEMO_DEBTS: usize = 300;

/// A flow as the Home lists it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FlussoVista {
    pub nome: String,
    #[ts(type = "StatoFlusso")]
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

/// One state of the debts with its Italian label and totals.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StatoVista {
    /// DovutoStato code: draft ready sent loaded rejected paid cancelled.
    pub stato: &'static str,
    pub etichetta: &'static str,
    pub numero: i64,
    /// Cents, for the front end to format (`1.234,56 €`).
    pub importo_cents: i64,
}

/// Expected and collected amounts of one month (`YYYY-MM` of the due date), in cents.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MeseTotali {
    pub mese: String,
    pub atteso_cents: i64,
    pub incassato_cents: i64,
}

/// The Ente's codes.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Ente {
    pub codice_ipa: String,
    pub codice_fiscale: String,
    pub denominazione: String,
    /// Two digits, the prefix of the Ente's IUV17.
    pub codice_segregazione: String,
}

/// A payment type of the Ente.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TipoDovuto {
    pub codice: String,
    pub descrizione: String,
    /// Taxonomy / accounting code, e.g. `9/0101100IM/`.
    pub dati_specifici_riscossione: String,
    pub attivo: bool,
    /// `ANONIMO` is accepted as payer code.
    pub cf_anonimo: bool,
    /// The due date is mandatory and must not be in the past.
    pub scadenza_obbligatoria: bool,
    /// The due date is printed on the notice.
    pub stampa_data_scadenza: bool,
    /// Causale for imported rows without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub causale_predefinita: Option<String>,
    /// Amount for imported rows without one (`"12.50"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub importo_predefinito: Option<rust_decimal::Decimal>,
    /// Due date for imported rows without one (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub scadenza_predefinita: Option<chrono::NaiveDate>,
    /// In a position the rata unica may cost less than the instalments together (issue 14);
    /// absent: it may not.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sconto_rata_unica: Option<bool>,
}

impl From<mpd_domain::TipoDovuto> for TipoDovuto {
    fn from(t: mpd_domain::TipoDovuto) -> TipoDovuto {
        TipoDovuto {
            codice: t.codice,
            descrizione: t.descrizione,
            dati_specifici_riscossione: t.dati_specifici_riscossione,
            attivo: t.attivo,
            cf_anonimo: t.cf_anonimo,
            scadenza_obbligatoria: t.scadenza_obbligatoria,
            stampa_data_scadenza: t.stampa_data_scadenza,
            causale_predefinita: t.causale_predefinita,
            importo_predefinito: t.importo_predefinito,
            scadenza_predefinita: t.scadenza_predefinita,
            sconto_rata_unica: t.posizioni.sconto_rata_unica.then_some(true),
        }
    }
}

/// The Ente and its payment types.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EnteView {
    pub ente: Ente,
    pub tipi_dovuto: Vec<TipoDovuto>,
    /// The rest of the profile (adhesion data), as stored.
    #[ts(type = "unknown")]
    pub extra: serde_json::Value,
}

impl From<mpd_core::EnteView> for EnteView {
    fn from(v: mpd_core::EnteView) -> EnteView {
        EnteView {
            ente: Ente {
                codice_ipa: v.ente.codice_ipa,
                codice_fiscale: v.ente.codice_fiscale,
                denominazione: v.ente.denominazione,
                codice_segregazione: v.ente.codice_segregazione,
            },
            tipi_dovuto: v.tipi_dovuto.into_iter().map(TipoDovuto::from).collect(),
            extra: v.extra,
        }
    }
}

/// What needs the clerk's attention.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Attenzione {
    pub dovuti_scartati: i64,
    pub dovuti_pronti: i64,
    pub flussi_in_attesa: usize,
}

/// What the Home shows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Panoramica {
    pub versione: &'static str,
    pub database: String,
    pub ente: Option<EnteView>,
    /// The environment in use is the demo one (the embedded emulator: nothing reaches a real
    /// MyPay) and an Ente is configured: the window shows a DEMO badge. The demo Ente moved
    /// to another environment (collaudo, produzione, custom) is not a demo any more.
    pub demo: bool,
    pub dovuti_per_stato: Vec<StatoVista>,
    pub mensile: Vec<MeseTotali>,
    pub flussi_recenti: Vec<FlussoVista>,
    pub attenzione: Attenzione,
    /// Last receipt download (`dd/mm/yyyy HH:MM`, local time), if any.
    pub ultima_sincronizzazione: Option<String>,
}

/// The overview of the local database, with when receipts were last downloaded.
pub fn panoramica(app: &App) -> Risultato<Panoramica> {
    app.con_desk(|desk| {
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
            demo: ente.is_some()
                && crate::connessione::resolve_env(desk, app.opzioni())? == Ambiente::Demo,
            ente: ente.map(EnteView::from),
            attenzione: Attenzione {
                dovuti_scartati: count_of(DovutoStato::Rejected),
                dovuti_pronti: count_of(DovutoStato::Ready),
                flussi_in_attesa: flows
                    .iter()
                    .filter(|f| !matches!(f.stato, FlussoStato::Done | FlussoStato::Aborted))
                    .count(),
            },
            dovuti_per_stato: counts
                .iter()
                .map(|c| StatoVista {
                    stato: c.stato.as_str(),
                    etichetta: c.stato.label_it(),
                    numero: c.numero,
                    importo_cents: c.importo_cents,
                })
                .collect(),
            mensile: desk
                .totals_by_month()?
                .into_iter()
                .map(|m| MeseTotali {
                    mese: m.mese,
                    atteso_cents: m.atteso_cents,
                    incassato_cents: m.incassato_cents,
                })
                .collect(),
            flussi_recenti: flows.into_iter().take(5).map(FlussoVista::from).collect(),
            ultima_sincronizzazione: crate::ricevute::ultima_sincronizzazione(desk)?,
        })
    })
}

/// "Prova con dati dimostrativi": saves the demo Ente and a few hundred sample debts; returns
/// how many debts were added.
pub fn avvia_demo(app: &App) -> Risultato<usize> {
    app.con_desk(|desk| Ok(desk.setup_demo(DEMO_DEBTS)?))
}

/// How far the upkeep of the debts' indexes is (shown while it is behind).
#[derive(Debug, Clone, Serialize, TS)]
pub struct StatoIndici {
    pub dovuti: i64,
    /// Debts not in the search index yet (found by a slower scan meanwhile).
    pub da_indicizzare: i64,
    /// Secondary indexes a very large load dropped and not built again yet.
    pub indici_da_ricostruire: i64,
    /// The upkeep is running.
    pub in_corso: bool,
    /// Why the last run stopped, if it failed.
    pub errore: Option<String>,
}

/// The upkeep's state: what is left in the database and what `manutentore` (the front end's
/// background upkeep) is doing.
pub fn stato_indici(app: &App, manutentore: &Manutentore) -> Risultato<StatoIndici> {
    let m = app.con_desk(|d| Ok(d.manutenzione()?))?;
    Ok(StatoIndici {
        dovuti: m.dovuti,
        da_indicizzare: m.da_indicizzare,
        indici_da_ricostruire: m.indici_da_ricostruire,
        in_corso: manutentore.in_corso(),
        errore: manutentore.ultimo_errore(),
    })
}

/// Runs the index upkeep to its end (the CLI's way: after a very large import or download,
/// the command ends with every index in place). `lavoro` receives, before the first step and
/// after each, how many debts are still to index; its cancel flag stops it between steps
/// (what was done is kept). Returns whether there was anything to do.
pub fn completa_manutenzione(app: &App, lavoro: &Lavoro<'_, i64>) -> Risultato<bool> {
    let mut desk = app.desk_di_lavoro()?;
    // Once a day, the app's files older than the retention period (impostazioni::conservazione);
    // a failure there does not fail the command that ran (it is tried again next time).
    if let Err(e) = desk.conservazione_periodica() {
        crate::errore::registra(&e);
    }
    let m = desk.manutenzione()?;
    if m.completa() {
        return Ok(false);
    }
    lavoro.segnala(m.da_indicizzare);
    let annulla = lavoro.flag();
    desk.completa_manutenzione(Some(&annulla), |m| lavoro.segnala(m.da_indicizzare))?;
    Ok(true)
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    Panoramica::export_all(cfg)?;
    StatoIndici::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_fills_the_overview() {
        let dir = tempfile::tempdir().unwrap();
        let app = App::new(
            Some(dir.path().join("db.sqlite")),
            crate::ConnectOptions::default(),
            Box::leak(Box::<mpd_client::credentials::MemoryStore>::default()),
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA));
        let p = panoramica(&app).unwrap();
        assert!(p.ente.is_none() && !p.demo);
        assert!(avvia_demo(&app).unwrap() > 0);
        let p = panoramica(&app).unwrap();
        assert!(p.demo);
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["ente"]["ente"]["codice_ipa"], "c_demo");
        assert!(!json["ente"]["tipi_dovuto"].as_array().unwrap().is_empty());
        let n: i64 = p.dovuti_per_stato.iter().map(|s| s.numero).sum();
        assert_eq!(n, DEMO_DEBTS as i64);
        let s = stato_indici(&app, &Manutentore::default()).unwrap();
        assert_eq!(s.dovuti, DEMO_DEBTS as i64);
        assert!(!s.in_corso && s.errore.is_none());
    }

    /// Home's chart and the report count the same money: a draft is not expected yet (it may
    /// never go to MyPay), in neither.
    #[test]
    fn the_chart_expects_what_the_report_expects() {
        let dir = tempfile::tempdir().unwrap();
        let app = App::new(
            Some(dir.path().join("db.sqlite")),
            crate::ConnectOptions::default(),
            Box::leak(Box::<mpd_client::credentials::MemoryStore>::default()),
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA));
        avvia_demo(&app).unwrap();
        let mese = panoramica(&app).unwrap().mensile[0].mese.clone();
        let bozza = mpd_core::input::DebtInput {
            codice: Some("RSSMRA80A01H501U".into()),
            anagrafica: Some("Mario Rossi".into()),
            importo: Some("1.000,00".into()),
            scadenza: Some(format!("{mese}-15")),
            causale: Some("Bozza da controllare".into()),
            tipo_dovuto: Some("TARI".into()),
            ..Default::default()
        };
        let esito = crate::dovuti::aggiungi(&app, bozza, true).unwrap();
        assert!(
            matches!(esito, mpd_core::debts::DebtOutcome::Salvato { .. }),
            "{esito:?}"
        );
        let home: std::collections::BTreeMap<String, i64> = panoramica(&app)
            .unwrap()
            .mensile
            .into_iter()
            .map(|m| (m.mese, m.atteso_cents))
            .collect();
        let rapporto = crate::rapporto::rapporto(&app, None).unwrap();
        assert!(
            rapporto.bozze.dovuti > 0,
            "the draft is in the report's drafts"
        );
        for m in &rapporto.per_mese {
            assert_eq!(
                home.get(&m.mese),
                Some(&m.importi.atteso_cents),
                "{}",
                m.mese
            );
        }
    }

    /// Issue 13 item 19: the DEMO badge follows the environment, not the Ente's code: the demo
    /// Ente moved to a custom MyPay sends real data, so no badge.
    #[test]
    fn the_demo_badge_is_only_for_the_demo_environment() {
        let dir = tempfile::tempdir().unwrap();
        let app = App::new(
            Some(dir.path().join("db.sqlite")),
            crate::ConnectOptions::default(),
            Box::leak(Box::<mpd_client::credentials::MemoryStore>::default()),
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA));
        avvia_demo(&app).unwrap();
        assert!(panoramica(&app).unwrap().demo);
        crate::impostazioni::salva(
            &app,
            Some("custom"),
            Some("https://mypay.example.it"),
            None,
            None,
        )
        .unwrap();
        assert!(!panoramica(&app).unwrap().demo);
        crate::impostazioni::salva(&app, Some("demo"), None, None, None).unwrap();
        assert!(panoramica(&app).unwrap().demo);
    }
}
