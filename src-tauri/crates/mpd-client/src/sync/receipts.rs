//! One-click receipts (spec §1.2, §5.4): an export of paid positions booked
//! (`paaSILPrenotaExportFlussoIncrementaleConRicevuta` from the stored cursor, or
//! `paaSILPrenotaExportFlusso` for a date range), polled, downloaded, read and upserted
//! (idempotent on IUV + IUR) and matched to debts.
//!
//! Resumable: the booking is persisted as soon as MyPay answers; a restart finishes it. The
//! cursor moves to MyPay's own `dateTo` only after the receipts are stored, in the same
//! transaction that closes the booking, so a crash in between reads the window again (and
//! every receipt is stored once). A booking lost before it was persisted is harmless: exports
//! only read.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use mpd_store::{ExportRichiesta, UpsertSummary};
use serde::Serialize;

use super::{Engine, Event, Result, SyncError, io_locale};
use crate::api::ApiError;

/// Which receipts to download.
#[derive(Clone, Debug)]
pub enum Window {
    /// Everything changed since the stored cursor (first time: since 2000, i.e. all).
    Incremental,
    /// Payments dated in `[from, to]` (days, inclusive); the cursor is not touched.
    Dates { from: NaiveDate, to: NaiveDate },
}

/// What a receipts download did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ReceiptsOutcome {
    pub esportazioni: Vec<i64>,
    pub file: Vec<String>,
    pub riepilogo: UpsertSummary,
    /// The cursor after the download (incremental).
    pub cursore: Option<String>,
    /// Still being prepared by MyPay: the next `sync` finishes it.
    pub in_attesa: bool,
}

/// How an export's polling ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fine {
    /// Read (or unknown, or empty): closed.
    Fatto,
    /// Still being prepared: the next run finishes it.
    InAttesa,
    /// Cancelled by the platform: closed without moving the cursor.
    Annullata,
}

const FIRST_CURSOR: &str = "2000-01-01T00:00:00";

fn add(total: &mut UpsertSummary, s: &UpsertSummary) {
    total.lette += s.lette;
    total.nuove += s.nuove;
    total.gia_presenti += s.gia_presenti;
    total.pagato += s.pagato;
    total.importo_diverso += s.importo_diverso;
    total.sconosciuto += s.sconosciuto;
    total.doppio += s.doppio;
    total.annullate_per_posizione += s.annullate_per_posizione;
}

impl Engine<'_> {
    /// `receipts download`: finishes a booked export left open, then books and reads `window`.
    pub fn download_receipts(&mut self, window: &Window) -> Result<ReceiptsOutcome> {
        let mut out = ReceiptsOutcome::default();
        if let Some(open) = self.desk.export_aperta()?
            && self.finish_export(&open, &mut out)? == Fine::InAttesa
        {
            out.in_attesa = true;
            return Ok(out);
        }
        // PU may cancel a booking (`EXPORT_CANCELLATO`): nothing was read and the cursor did
        // not move, so booking again loses nothing; twice in a row, the next run tries again.
        for _ in 0..2 {
            let req = self.book(window)?;
            match self.finish_export(&req, &mut out)? {
                Fine::Fatto => break,
                Fine::InAttesa => {
                    out.in_attesa = true;
                    break;
                }
                Fine::Annullata => {}
            }
        }
        out.cursore = self.desk.setting(mpd_store::mypay::SETTING_EXPORT_CURSOR)?;
        Ok(out)
    }

    fn book(&mut self, window: &Window) -> Result<ExportRichiesta> {
        let versione = self.config.export_version.clone();
        let (token, incrementale, from, to) = match window {
            Window::Incremental => {
                let cursor = self
                    .desk
                    .setting(mpd_store::mypay::SETTING_EXPORT_CURSOR)?
                    .unwrap_or_else(|| FIRST_CURSOR.to_string());
                let valid = chrono::DateTime::parse_from_rfc3339(&cursor).is_ok()
                    || NaiveDateTime::parse_from_str(&cursor, "%Y-%m-%dT%H:%M:%S%.f").is_ok();
                if !valid {
                    return Err(SyncError::Invalid(format!(
                        "cursore delle ricevute non valido: «{cursor}»"
                    )));
                }
                let (token, date_to) = self.retry("richiesta delle ricevute", |c| {
                    c.prenota_export_incrementale(&cursor, None, &versione)
                })?;
                (token, true, cursor, date_to)
            }
            Window::Dates { from, to } => {
                let (from, to) = (*from, *to);
                let token = self.retry("richiesta delle ricevute", |c| {
                    c.prenota_export(from, to, &versione)
                })?;
                (token, false, from.to_string(), Some(to.to_string()))
            }
        };
        let now = self.desk.now();
        let id = self
            .desk
            .add_export(&token, incrementale, &from, to.as_deref(), now)?;
        self.step(&etichetta(id), "prenotata");
        self.desk
            .export_aperta()?
            .filter(|r| r.id == id)
            .ok_or_else(|| SyncError::Invalid("export appena prenotato non trovato".into()))
    }

    /// Polls, downloads and stores one export.
    fn finish_export(&mut self, req: &ExportRichiesta, out: &mut ReceiptsOutcome) -> Result<Fine> {
        let label = etichetta(req.id);
        let started = std::time::Instant::now();
        let mut polls = 0;
        let mut failures = 0;
        loop {
            self.check_cancel()?;
            let st = match self.retry("stato della richiesta delle ricevute", |c| {
                c.stato_export(&req.request_token)
            }) {
                Ok(st) => st,
                Err(ApiError::Fault(f)) if f.code == "PAA_REQUEST_TOKEN_NON_VALIDO" => {
                    let now = self.desk.now();
                    self.desk.chiudi_export(req.id, "errore", None, None, now)?;
                    self.step(&label, "sconosciuta a MyPay");
                    return Ok(Fine::Fatto);
                }
                Err(e) => return Err(e.into()),
            };
            match (st.stato.as_str(), st.download_url) {
                ("EXPORT_ESEGUITO_NESSUN_DOVUTO_TROVATO", _) => {
                    let now = self.desk.now();
                    self.desk.chiudi_export(req.id, "vuota", None, None, now)?;
                    out.esportazioni.push(req.id);
                    self.step(&label, "nessuna ricevuta");
                    return Ok(Fine::Fatto);
                }
                ("EXPORT_ESEGUITO", Some(url)) => match self.read_export(req, &url) {
                    Ok((file, summary)) => {
                        let json = serde_json::to_string(&summary).ok();
                        let now = self.desk.now();
                        self.desk.chiudi_export(
                            req.id,
                            "importata",
                            Some(&file),
                            json.as_deref(),
                            now,
                        )?;
                        add(&mut out.riepilogo, &summary);
                        out.esportazioni.push(req.id);
                        out.file.push(file);
                        self.step(&label, "ricevute salvate");
                        return Ok(Fine::Fatto);
                    }
                    Err(SyncError::Api(e))
                        if e.is_transient() && failures < self.config.retry.max_attempts =>
                    {
                        failures += 1;
                        self.backoff("scaricamento delle ricevute", failures, &e);
                    }
                    Err(e) => return Err(e),
                },
                ("EXPORT_CANCELLATO", _) => {
                    let now = self.desk.now();
                    self.desk
                        .chiudi_export(req.id, "annullata", None, None, now)?;
                    self.step(&label, "annullata dalla piattaforma");
                    return Ok(Fine::Annullata);
                }
                ("ERROR_EXPORT", _) => {
                    let now = self.desk.now();
                    self.desk.chiudi_export(req.id, "errore", None, None, now)?;
                    return Err(SyncError::Invalid(
                        "MyPay non è riuscito a preparare le ricevute richieste: riprovi più tardi"
                            .into(),
                    ));
                }
                (stato, _) => {
                    self.emit(Event::Waiting {
                        oggetto: label.clone(),
                        stato: stato.to_string(),
                    });
                    if started.elapsed() >= self.config.max_wait {
                        return Ok(Fine::InAttesa);
                    }
                    polls += 1;
                    self.poll_pause(polls);
                }
            }
        }
    }

    fn export_dir(&self) -> PathBuf {
        self.desk.cartella_file().join("ricevute")
    }

    /// Downloads the export and stores its receipts. A zip that does not read (cut in
    /// transit) is transient: it is downloaded again.
    fn read_export(&mut self, req: &ExportRichiesta, url: &str) -> Result<(String, UpsertSummary)> {
        let dir = self.export_dir();
        mpd_privato::cartella(&dir).map_err(|e| io_locale(&dir, &e))?;
        let tmp = dir.join(format!("export-{}.zip", req.id));
        let (_, name) = self.download_to(url, &tmp, crate::api::Scaricamento::Ricevute)?;
        // The export's own name tells versions 1.0 and 1.1 apart; keep it.
        let name = std::path::Path::new(&name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n.to_ascii_lowercase().ends_with(".zip"))
            .unwrap_or_else(|| format!("export-{}.zip", req.id));
        let path = dir.join(&name);
        std::fs::rename(&tmp, &path).map_err(|e| io_locale(&path, &e))?;
        match self.desk.import_export(&path) {
            Ok(s) => {
                self.emit(Event::Progress {
                    fase: "ricevute",
                    byte: 0,
                    totale: None,
                    righe: s.lette,
                });
                Ok((path.display().to_string(), s))
            }
            Err(mpd_core::CoreError::Invalid(why)) => {
                let _ = std::fs::remove_file(&path);
                Err(SyncError::Api(ApiError::Malformed(why)))
            }
            Err(e) => Err(e.into()),
        }
    }
}
/// How the clerk's progress line names a request of receipts (the store's id is a number the
/// clerk never typed, so it follows the words).
fn etichetta(id: i64) -> String {
    format!("Richiesta delle ricevute n. {id}")
}
