//! Ricevute: the receipts and their match to the debts; the one-click download from MyPay with
//! progress and cancel; a receipts export read from a file; the Excel sheet of every receipt;
//! in the demo, the emulator "paying" some open debts so a download has something to find.
//!
//! A download books an incremental export (or the payments of a date range), polls it,
//! downloads and stores it; the engine's steps go to the [`Lavoro`], whose flag stops it at the
//! next saved step (the next download resumes from there).

use std::path::Path;

use chrono::NaiveDate;
use mpd_client::sync::receipts::{ReceiptsOutcome, Window};
use mpd_client::{Event, SyncError};
use mpd_core::Desk;
use mpd_sheets::export::{ExportValue, Sheet, write_sheet};
use mpd_store::UpsertSummary;
use serde::Serialize;
use ts_rs::TS;

use crate::errore::{Codice, Errore, Risultato};
use crate::{App, Lavoro};

/// Most receipts a list returns at once (newest first).
pub const MAX_ELENCO: usize = 200_000;

/// `2026-11-27T10:15:00+00:00` → `27/11/2026 11:15` in local time (the text unchanged if it is
/// not such a timestamp).
pub fn data_ora_it(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// When receipts were last downloaded (an export read, even an empty one), as
/// `dd/mm/yyyy HH:MM` in local time; `None` before the first download. For the Home.
pub fn ultima_sincronizzazione(desk: &Desk) -> Risultato<Option<String>> {
    Ok(desk
        .export_richieste(50)?
        .into_iter()
        .find(|r| r.stato == "importata" || r.stato == "vuota")
        .map(|r| data_ora_it(&r.aggiornato_at)))
}

/// How a receipt relates to the local debts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Abbinamento {
    /// The debt exists and the amount paid equals its amount.
    Pagato,
    /// The debt exists but the amount differs.
    ImportoDiverso,
    /// No local debt (paid on a debt created elsewhere).
    Sconosciuto,
    /// The debt already had another receipt.
    Doppio,
}

impl Abbinamento {
    /// Every match code, as the front ends name them.
    pub const TUTTI: [Abbinamento; 4] = [
        Abbinamento::Pagato,
        Abbinamento::ImportoDiverso,
        Abbinamento::Sconosciuto,
        Abbinamento::Doppio,
    ];

    pub fn as_str(self) -> &'static str {
        mpd_store::Abbinamento::from(self).as_str()
    }

    /// The match code a front end passed (`pagato`, `importo_diverso`, `sconosciuto`, `doppio`).
    pub fn parse(codice: &str) -> Risultato<Abbinamento> {
        Abbinamento::TUTTI
            .into_iter()
            .find(|a| a.as_str() == codice)
            .ok_or_else(|| {
                Errore::argomento(format!(
                    "abbinamento «{codice}» sconosciuto: gli abbinamenti sono pagato, importo_diverso, sconosciuto e doppio"
                ))
            })
    }
}

impl From<mpd_store::Abbinamento> for Abbinamento {
    fn from(a: mpd_store::Abbinamento) -> Abbinamento {
        match a {
            mpd_store::Abbinamento::Pagato => Abbinamento::Pagato,
            mpd_store::Abbinamento::ImportoDiverso => Abbinamento::ImportoDiverso,
            mpd_store::Abbinamento::Sconosciuto => Abbinamento::Sconosciuto,
            mpd_store::Abbinamento::Doppio => Abbinamento::Doppio,
        }
    }
}

impl From<Abbinamento> for mpd_store::Abbinamento {
    fn from(a: Abbinamento) -> mpd_store::Abbinamento {
        match a {
            Abbinamento::Pagato => mpd_store::Abbinamento::Pagato,
            Abbinamento::ImportoDiverso => mpd_store::Abbinamento::ImportoDiverso,
            Abbinamento::Sconosciuto => mpd_store::Abbinamento::Sconosciuto,
            Abbinamento::Doppio => mpd_store::Abbinamento::Doppio,
        }
    }
}

/// A receipt as the list shows it.
#[derive(Debug, Clone, Serialize, TS)]
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
    /// How it matched the local debts.
    pub esito: Abbinamento,
    /// The match in words.
    pub etichetta: &'static str,
    /// The local debt it matched, if any.
    pub dovuto_iud: Option<String>,
}

impl From<mpd_store::RicevutaRecord> for RicevutaRiga {
    fn from(r: mpd_store::RicevutaRecord) -> RicevutaRiga {
        RicevutaRiga {
            id: r.id,
            iuv: r.iuv,
            iur: r.iur,
            iud: r.iud,
            importo_cents: r.importo_cents,
            data_esito: r.data_esito,
            psp: r.psp_nome,
            codice_pagatore: r.codice_pagatore,
            pagatore: r.anagrafica_pagatore,
            esito: r.abbinamento.into(),
            etichetta: r.abbinamento.label_it(),
            dovuto_iud: r.dovuto_iud,
        }
    }
}

/// The receipts, newest first: at most `limite` (default and most: [`MAX_ELENCO`]), those with
/// the match code `abbinamento` only when given.
pub fn elenco(
    app: &App,
    abbinamento: Option<&str>,
    limite: Option<usize>,
) -> Risultato<Vec<RicevutaRiga>> {
    let filtro = abbinamento.map(Abbinamento::parse).transpose()?;
    let limite = limite.unwrap_or(MAX_ELENCO).min(MAX_ELENCO);
    app.con_desk(|desk| {
        Ok(desk
            .receipts(Some(limite))?
            .into_iter()
            .map(RicevutaRiga::from)
            .filter(|r| filtro.is_none_or(|a| r.esito == a))
            .collect())
    })
}

/// A receipt's detail, RT included.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RicevutaDettaglio {
    pub causale: String,
    pub tipo_dovuto: String,
    pub esito: String,
    pub psp_id: String,
    pub codice_versante: String,
    /// The RT base64 as MyPay sent it (sometimes encoded twice, sometimes XML already).
    pub rt_base64: Option<String>,
    pub ricevuto_at: String,
}

impl From<mpd_store::mypay::RicevutaDettaglio> for RicevutaDettaglio {
    fn from(d: mpd_store::mypay::RicevutaDettaglio) -> RicevutaDettaglio {
        RicevutaDettaglio {
            causale: d.causale,
            tipo_dovuto: d.tipo_dovuto,
            esito: d.esito,
            psp_id: d.psp_id,
            codice_versante: d.codice_versante,
            rt_base64: d.rt_base64,
            ricevuto_at: d.ricevuto_at,
        }
    }
}

/// One receipt's detail by its id.
pub fn dettaglio(app: &App, id: i64) -> Risultato<RicevutaDettaglio> {
    if id <= 0 {
        return Err(Errore::argomento("identificativo di ricevuta non valido"));
    }
    app.con_desk(|desk| {
        desk.ricevuta_dettaglio(id)?
            .map(RicevutaDettaglio::from)
            .ok_or_else(|| Errore::argomento(format!("nessuna ricevuta con id {id}")))
    })
}

/// What reading receipts did: rows read, new, already stored, and how the new ones matched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct RiepilogoRicevute {
    pub lette: u64,
    pub nuove: u64,
    pub gia_presenti: u64,
    pub pagato: u64,
    pub importo_diverso: u64,
    pub sconosciuto: u64,
    pub doppio: u64,
    /// Options of positions cancelled because their position was paid the other way.
    pub annullate_per_posizione: u64,
}

impl From<UpsertSummary> for RiepilogoRicevute {
    fn from(s: UpsertSummary) -> RiepilogoRicevute {
        RiepilogoRicevute {
            lette: s.lette,
            nuove: s.nuove,
            gia_presenti: s.gia_presenti,
            pagato: s.pagato,
            importo_diverso: s.importo_diverso,
            sconosciuto: s.sconosciuto,
            doppio: s.doppio,
            annullate_per_posizione: s.annullate_per_posizione,
        }
    }
}

/// Reads an export of paid positions saved from MyPay (zip or CSV, versions 1.0–1.3) into the
/// receipts, matched to the debts; all or nothing. A very large file leaves the debts' indexes
/// to the upkeep.
pub fn importa(app: &App, file: &Path) -> Risultato<RiepilogoRicevute> {
    let mut desk = app.desk_di_lavoro()?;
    Ok(desk.import_export(file)?.into())
}

/// What a download did.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct EsitoRicevute {
    /// The exports read (local ids).
    pub esportazioni: Vec<i64>,
    /// The files downloaded.
    pub file: Vec<String>,
    pub riepilogo: RiepilogoRicevute,
    /// Where the next incremental download starts.
    pub cursore: Option<String>,
    /// MyPay is still preparing the export: the next download finishes it.
    pub in_attesa: bool,
}

impl From<ReceiptsOutcome> for EsitoRicevute {
    fn from(r: ReceiptsOutcome) -> EsitoRicevute {
        EsitoRicevute {
            esportazioni: r.esportazioni,
            file: r.file,
            riepilogo: r.riepilogo.into(),
            cursore: r.cursore,
            in_attesa: r.in_attesa,
        }
    }
}

/// The outcome of a download: what it did, or that the clerk stopped it (what was read is
/// saved; the next download resumes).
#[derive(Debug, Clone, Serialize, TS)]
pub struct EsitoScarico {
    pub esito: Option<EsitoRicevute>,
    pub annullato: bool,
}

/// What a download reports while it runs.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum AvanzamentoRicevute {
    /// An engine event (step persisted, transfer progress, retry, waiting for MyPay).
    Evento { evento: Event },
}

/// A day typed by the clerk: `dd/mm/yyyy` (as the clerk writes it) or `yyyy-mm-dd`.
pub(crate) fn giorno(testo: &str, quale: &str) -> Risultato<NaiveDate> {
    let t = testo.trim();
    NaiveDate::parse_from_str(t, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d"))
        .map_err(|_| {
            Errore::non_valido(format!(
                "data {quale} «{t}» non valida: la scriva come GG/MM/AAAA"
            ))
        })
}

/// Which receipts a download asks for: the news since the last download when no date is
/// given, else the payments dated from `dal` to `al` (both included, both needed).
fn finestra(dal: Option<&str>, al: Option<&str>) -> Risultato<Window> {
    match (dal, al) {
        (None, None) => Ok(Window::Incremental),
        (Some(d), Some(a)) => {
            let (from, to) = (giorno(d, "iniziale")?, giorno(a, "finale")?);
            if to < from {
                return Err(Errore::non_valido(
                    "la data finale è precedente a quella iniziale",
                ));
            }
            Ok(Window::Dates { from, to })
        }
        _ => Err(Errore::non_valido(
            "indichi entrambe le date (iniziale e finale) o nessuna",
        )),
    }
}

/// "Scarica ricevute": the receipts since the last download, or the payments dated `dal`..`al`
/// (`dd/mm/yyyy` or `yyyy-mm-dd`), stored and matched to the debts. A booked export left open
/// by an earlier run is finished first. Progress goes to `lavoro`, whose flag stops the
/// download at the next saved step (then the outcome says `annullato`).
pub fn scarica(
    app: &App,
    dal: Option<&str>,
    al: Option<&str>,
    lavoro: &Lavoro<'_, AvanzamentoRicevute>,
) -> Risultato<EsitoScarico> {
    let finestra = finestra(dal, al)?;
    app.remoto(true, |desk, conn| {
        let mut on_event =
            |e: &Event| lavoro.segnala(AvanzamentoRicevute::Evento { evento: e.clone() });
        let mut engine = conn.engine(desk, &mut on_event).with_cancel(lavoro.flag());
        match engine.download_receipts(&finestra) {
            Ok(r) => Ok(EsitoScarico {
                esito: Some(r.into()),
                annullato: false,
            }),
            Err(SyncError::Annullato) => Ok(EsitoScarico {
                esito: None,
                annullato: true,
            }),
            Err(e) => Err(e.into()),
        }
    })
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

/// Writes every receipt to the Excel file `percorso` (a full path ending in `.xlsx`); returns
/// the rows written.
pub fn esporta(app: &App, percorso: &Path) -> Risultato<usize> {
    if !percorso.is_absolute()
        || !percorso
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        return Err(Errore::argomento(
            "scelga un file Excel (.xlsx) con il suo percorso completo",
        ));
    }
    let desk = app.desk_di_lavoro()?;
    let receipts = desk.receipts(None)?;
    let mut rows = Vec::with_capacity(receipts.len());
    for r in receipts {
        let causale = desk
            .ricevuta_dettaglio(r.id)?
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
    let foglio = Sheet {
        name: "Ricevute",
        too_many: "ricevute non stanno in un foglio Excel",
        total_row: true,
    };
    write_sheet(percorso, &foglio, &INTESTAZIONI, rows)
        .map_err(|e| Errore::new(Codice::ScritturaFile, e.to_string()))
}

/// What the emulator paid.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PagamentiSimulati {
    /// The Ente's open debts at MyPay.
    pub aperti: usize,
    /// Those it paid.
    pub pagati: usize,
}

/// Demo only: the embedded emulator pays a share `quota` (0 to 1, default 0.7) of the Ente's
/// open debts, as citizens would; a download then brings their receipts in.
pub fn simula_pagamenti(app: &App, quota: Option<f64>) -> Risultato<PagamentiSimulati> {
    let quota = quota.unwrap_or(0.7);
    if !quota.is_finite() || !(0.0..=1.0).contains(&quota) {
        return Err(Errore::argomento("la quota da pagare va da 0 a 1"));
    }
    app.remoto(true, |desk, conn| {
        let seed = desk.now().timestamp() as u64;
        let r = conn.simulate_payments(quota, seed)?;
        Ok(PagamentiSimulati {
            aperti: r.aperti,
            pagati: r.pagati.len(),
        })
    })
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    RicevutaRiga::export_all(cfg)?;
    RicevutaDettaglio::export_all(cfg)?;
    EsitoScarico::export_all(cfg)?;
    AvanzamentoRicevute::export_all(cfg)?;
    PagamentiSimulati::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app_in(dir: &Path) -> App {
        App::new(
            Some(dir.join("db.sqlite")),
            crate::ConnectOptions::default(),
            crate::connessione::keyring(),
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA))
    }

    #[test]
    fn the_list_filter_refuses_an_unknown_match_code_and_knows_the_four() {
        let dir = tempfile::tempdir().unwrap();
        let app = app_in(dir.path());
        let e = elenco(&app, Some("pagata"), None).unwrap_err();
        assert_eq!(e.codice, Codice::Argomento);
        assert!(e.messaggio.contains("«pagata»"), "{}", e.messaggio);
        for a in Abbinamento::TUTTI {
            assert_eq!(Abbinamento::parse(a.as_str()).unwrap(), a);
            assert_eq!(
                serde_json::to_value(a).unwrap(),
                serde_json::json!(a.as_str())
            );
            assert!(elenco(&app, Some(a.as_str()), Some(10)).unwrap().is_empty());
        }
        assert_eq!(dettaglio(&app, 0).unwrap_err().codice, Codice::Argomento);
        assert_eq!(dettaglio(&app, 7).unwrap_err().codice, Codice::Argomento);
    }

    #[test]
    fn a_download_window_is_both_dates_in_order_or_none() {
        assert!(matches!(finestra(None, None), Ok(Window::Incremental)));
        let d = |y, m, g| NaiveDate::from_ymd_opt(y, m, g).unwrap();
        match finestra(Some("01/11/2026"), Some("2026-11-30")).unwrap() {
            Window::Dates { from, to } => assert_eq!((from, to), (d(2026, 11, 1), d(2026, 11, 30))),
            w => panic!("{w:?}"),
        }
        let e = finestra(Some("30/11/2026"), Some("01/11/2026")).unwrap_err();
        assert_eq!(e.codice, Codice::NonValido);
        assert!(e.messaggio.contains("precedente"), "{}", e.messaggio);
        let e = finestra(Some("31/02/2026"), Some("01/03/2026")).unwrap_err();
        assert_eq!(e.codice, Codice::NonValido);
        assert!(
            e.messaggio.contains("data iniziale «31/02/2026»"),
            "{}",
            e.messaggio
        );
        assert_eq!(
            finestra(Some("01/11/2026"), None).unwrap_err().codice,
            Codice::NonValido
        );
    }

    #[test]
    fn an_export_needs_a_full_xlsx_path_and_a_simulation_a_share() {
        let dir = tempfile::tempdir().unwrap();
        let app = app_in(dir.path());
        for p in ["ricevute.xlsx", "/tmp/ricevute.csv"] {
            let e = esporta(&app, Path::new(p)).unwrap_err();
            assert_eq!(e.codice, Codice::Argomento, "{p}");
        }
        let out = dir.path().join("ricevute.xlsx");
        assert_eq!(esporta(&app, &out).unwrap(), 0);
        assert!(std::fs::read(&out).unwrap().starts_with(b"PK"));
        // Issue 13 item 19: the receipts' sheet is "Ricevute" and ends with its total row.
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
        assert_eq!(wb.sheet_names(), ["Ricevute"]);
        let foglio = wb.worksheet_range("Ricevute").unwrap();
        assert_eq!(
            foglio.get_value((1, 0)),
            Some(&calamine::Data::String("Totale".into()))
        );
        for q in [-0.1, 1.5, f64::NAN] {
            let e = simula_pagamenti(&app, Some(q)).unwrap_err();
            assert_eq!(e.codice, Codice::Argomento, "{q}");
        }
    }

    #[test]
    fn on_the_demo_a_cancelled_download_resumes_and_finds_the_paid_counter_debt() {
        let dir = tempfile::tempdir().unwrap();
        let credenziali: &'static mpd_client::credentials::MemoryStore = Box::leak(Box::default());
        let opzioni = crate::ConnectOptions {
            env: Some("demo".into()),
            seed_demo: true,
            ..Default::default()
        };
        let app = App::new(Some(dir.path().join("db.sqlite")), opzioni, credenziali)
            .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA));
        let scadenza = (chrono::Local::now().date_naive() + chrono::Days::new(30))
            .format("%d/%m/%Y")
            .to_string();
        let c = crate::sportello::crea(
            &app,
            crate::sportello::DovutoSportello {
                codice_pagatore: Some("RSSMRA80A01H501U".into()),
                anagrafica: Some("Mario Rossi".into()),
                importo: Some("12,50".into()),
                tipo: Some("TARI".into()),
                causale: Some("TARI allo sportello".into()),
                scadenza: Some(scadenza),
                ..Default::default()
            },
            false,
        )
        .unwrap();
        let pagati = simula_pagamenti(&app, Some(1.0)).unwrap();
        assert_eq!(pagati.pagati, 1, "{pagati:?}");

        // Stopped at the first safe point: the export stays booked, nothing is read.
        let fermo = Lavoro::new(|_| {}, std::sync::Arc::new(true.into()));
        let e = scarica(&app, None, None, &fermo).unwrap();
        assert!(e.annullato && e.esito.is_none(), "{e:?}");
        assert!(elenco(&app, None, None).unwrap().is_empty());

        let mut eventi = 0;
        let e = scarica(
            &app,
            None,
            None,
            &Lavoro::new(|_| eventi += 1, Default::default()),
        )
        .unwrap();
        let r = e.esito.expect("not cancelled");
        assert_eq!((r.riepilogo.nuove, r.riepilogo.pagato), (1, 1), "{r:?}");
        assert!(eventi > 0);
        let righe = elenco(&app, Some("pagato"), None).unwrap();
        assert_eq!(righe.len(), 1);
        assert_eq!(righe[0].dovuto_iud.as_ref(), Some(&c.iud));
        assert!(dettaglio(&app, righe[0].id).unwrap().rt_base64.is_some());
        let ultima = app.con_desk(|d| ultima_sincronizzazione(d)).unwrap();
        assert!(ultima.is_some_and(|t| t.contains('/')));
        let e = scarica(
            &app,
            Some("2026-11-30"),
            Some("01/11/2026"),
            &Lavoro::muto(),
        );
        assert_eq!(e.unwrap_err().codice, Codice::NonValido);
    }

    #[test]
    fn the_last_download_is_none_before_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::open(
            Some(&dir.path().join("db.sqlite")),
            &mpd_store::testing::chiave(),
        )
        .unwrap();
        assert_eq!(ultima_sincronizzazione(&desk).unwrap(), None);
        assert_eq!(data_ora_it("non una data"), "non una data");
    }
}
