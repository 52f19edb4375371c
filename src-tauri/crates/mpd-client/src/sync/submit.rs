//! Submitting a flow to its outcome (spec §1.1): `paaSILAutorizzaImportFlusso` → MyBox upload
//! (the JSON body decides) → `paaSILChiediStatoImportFlusso` polled with backoff → `_SCARTI`
//! and `_IUV` (and on request `_AVVISI_PDF`) downloaded → outcome applied to the store.
//!
//! The state machine, each arrow a persisted step:
//!
//! ```text
//! built ──authorise──► authorised ──(upload started: flag)──► uploaded ──► processing ──► done
//!   ▲                      │                                     │              └──────► aborted
//!   └── token unknown to MyPay / upload token expired ◄──────────┘
//! ```
//!
//! Never twice: once an upload has started, its outcome is unknown until MyPay is asked. So
//! before any further upload the engine asks the status of the request token: a state means
//! the file landed (go on polling); `PAA_REQUEST_TOKEN_NON_VALIDO` means it did not, and the
//! same token is used again (MyBox refuses a token already used, so even a late arrival of the
//! first upload cannot make two imports).

use std::path::{Path, PathBuf};

use chrono::Duration as ChronoDuration;
use mpd_domain::{Column, Version};
use mpd_store::{FlussoRecord, FlussoStato, RigaEsito};
use mpd_tracciato::flow_zip::ZipLimits;
use mpd_tracciato::results;
use serde::Serialize;

use super::{Engine, Event, Result, SyncError, io_locale};
use crate::api::{ApiError, StatoImport};
use crate::faults;

/// Request token unknown to MyPay (the upload never landed).
const TOKEN_NON_VALIDO: &str = "PAA_REQUEST_TOKEN_NON_VALIDO";
/// MyBox upload tokens last an hour; a margin keeps a slow upload from outliving its token.
const UPLOAD_TOKEN_LIFE_MIN: i64 = 50;

/// Where a flow ended up after a `flow submit`.
#[derive(Clone, Debug, Serialize)]
pub struct FlowOutcome {
    pub id: i64,
    pub nome: String,
    pub stato: FlussoStato,
    pub stato_it: &'static str,
    pub righe: i64,
    pub caricate: i64,
    pub scartate: i64,
    /// File-level refusal: MyPay's code and the Italian explanation.
    pub esito_codice: Option<String>,
    pub esito_messaggio: Option<String>,
    /// Still waiting for MyPay (the next `sync` resumes).
    pub in_attesa: bool,
    /// The notices zip, when asked for.
    pub avvisi: Option<String>,
}

impl FlowOutcome {
    fn of(f: &FlussoRecord) -> FlowOutcome {
        FlowOutcome {
            id: f.id,
            nome: f.nome.clone(),
            stato: f.stato,
            stato_it: f.stato.label_it(),
            righe: f.righe,
            caricate: f.righe_caricate,
            scartate: f.righe_scartate,
            esito_codice: f.esito_codice.clone(),
            esito_messaggio: f.esito_messaggio.clone(),
            in_attesa: !matches!(f.stato, FlussoStato::Done | FlussoStato::Aborted),
            avvisi: None,
        }
    }
}

/// PU's state of a request whose file has not arrived (issue 15): upload it (again).
const WAITING_FILE: &str = "WAITING_FILE";

/// What a status answer means for the flow.
enum Reading {
    Waiting(String),
    Results(StatoImport),
    Refused(String),
    /// PU is still waiting for the file: the upload never landed.
    NotArrived,
}

/// MyPay's states, and PU's (`IngestionFlowFileLegacyStatus`, spec §1.2): `FILE_SCARICATO`
/// and `FILE_IN_CARICAMENTO` wait, `FILE_CARICATO` has results, `WARNING` has them when it
/// gives links (else it is explained), `ERROR_LOAD` refuses, `WAITING_FILE` wants the file.
fn read_state(st: StatoImport) -> Reading {
    match st.stato.as_str() {
        "LOAD_IMPORT" | "IMPORT_IN_ELAB" | "FILE_SCARICATO" | "FILE_IN_CARICAMENTO" => {
            Reading::Waiting(st.stato)
        }
        WAITING_FILE => Reading::NotArrived,
        "IMPORT_ESEGUITO" | "FILE_CARICATO" => Reading::Results(st),
        // [QUIRK] an error code in place of the state; with links the rows were processed
        // (writing one output file failed), without them the whole file was refused.
        _ if st.url_iuv.is_some() || st.url_scarti.is_some() => Reading::Results(st),
        _ => Reading::Refused(st.stato),
    }
}

impl Engine<'_> {
    fn flusso(&self, id: i64) -> Result<FlussoRecord> {
        self.desk
            .flusso(&id.to_string())?
            .ok_or_else(|| SyncError::Invalid(format!("nessun flusso con id {id}")))
    }

    /// `flow submit --all`: every unfinished flow, oldest first. Errors of one flow are kept
    /// in its outcome list as a message and the next flow is tried.
    pub fn submit_all(&mut self) -> Result<(Vec<FlowOutcome>, Vec<String>)> {
        let mut done = Vec::new();
        let mut errors = Vec::new();
        for f in self.desk.flussi_in_corso()? {
            match self.submit_flow(f.id) {
                Ok(o) => done.push(o),
                Err(SyncError::Annullato) => {
                    errors.push(SyncError::Annullato.to_string());
                    break;
                }
                Err(e) => errors.push(format!("flusso {}: {e}", f.nome)),
            }
        }
        Ok((done, errors))
    }

    /// Takes one flow as far as it goes: to `done`/`aborted`, or until `max_wait` passes
    /// while MyPay processes it, or until a step fails for good (the flow stays resumable).
    pub fn submit_flow(&mut self, id: i64) -> Result<FlowOutcome> {
        let started = std::time::Instant::now();
        let mut failures: u32 = 0;
        let mut polls: u32 = 0;
        loop {
            let f = self.flusso(id)?;
            if !matches!(f.stato, FlussoStato::Done | FlussoStato::Aborted) {
                self.check_cancel()?;
            }
            let result = match f.stato {
                FlussoStato::Done | FlussoStato::Aborted => return Ok(FlowOutcome::of(&f)),
                FlussoStato::Built => self.authorise(&f),
                FlussoStato::Authorised => self.upload(&f),
                FlussoStato::Uploaded | FlussoStato::Processing => match self.poll(&f) {
                    Ok(true) => Ok(()),
                    Ok(false) => {
                        if started.elapsed() >= self.config.max_wait {
                            return Ok(FlowOutcome::of(&self.flusso(id)?));
                        }
                        polls += 1;
                        self.poll_pause(polls);
                        Ok(())
                    }
                    Err(e) => Err(e),
                },
            };
            match result {
                Ok(()) => failures = 0,
                Err(SyncError::Api(e))
                    if e.is_transient() && failures < self.config.retry.max_attempts =>
                {
                    failures += 1;
                    let now = self.desk.now();
                    self.desk.set_errore_invio(id, &e.to_string(), now)?;
                    self.backoff("invio del flusso", failures, &e);
                }
                Err(e) => {
                    let now = self.desk.now();
                    self.desk.set_errore_invio(id, &e.to_string(), now)?;
                    return Err(e);
                }
            }
        }
    }

    fn authorise(&mut self, f: &FlussoRecord) -> Result<()> {
        // Nothing is stored at MyPay by this call: repeating it is harmless.
        let a = self.client.autorizza_import()?;
        let now = self.desk.now();
        self.desk.set_autorizzazione(
            f.id,
            &a.request_token,
            &a.upload_url,
            &a.authorization_token,
            now,
        )?;
        self.step(&f.nome, "autorizzato");
        Ok(())
    }

    fn upload(&mut self, f: &FlussoRecord) -> Result<()> {
        let inv = self.desk.invio(f.id)?;
        let token = f.request_token.clone().unwrap_or_default();
        if inv.upload_tentato {
            // An upload started earlier and its outcome is unknown: ask before anything else.
            match self.client.stato_import(&token, false) {
                // PU: the request waits for its file, which never landed; PU takes a file
                // for this request only in this state, so sending it again cannot make two.
                Ok(st) if st.stato == WAITING_FILE => {
                    self.step(&f.nome, "caricamento non arrivato");
                }
                Ok(st) => {
                    let now = self.desk.now();
                    self.desk.set_caricato(f.id, Some(&st.stato), now)?;
                    self.step(&f.nome, "caricato");
                    return Ok(());
                }
                Err(ApiError::Fault(fault)) if fault.code == TOKEN_NON_VALIDO => {}
                Err(e) => return Err(e.into()),
            }
        }
        let now = self.desk.now();
        let fresh = inv
            .autorizzato_at
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .is_some_and(|t| {
                now.signed_duration_since(t) < ChronoDuration::minutes(UPLOAD_TOKEN_LIFE_MIN)
            });
        let (Some(auth), Some(url), true) =
            (inv.authorization_token.clone(), self.upload_url(f)?, fresh)
        else {
            // No usable upload token (expired, or never stored): authorise again. The old
            // token can no longer upload, so no late copy can land.
            self.desk.reset_autorizzazione(f.id, now)?;
            self.step(&f.nome, "autorizzazione scaduta");
            return Ok(());
        };
        self.desk.set_upload_tentato(f.id, now)?;
        self.step(&f.nome, "caricamento iniziato");
        self.emit(Event::Progress {
            fase: "caricamento",
            byte: 0,
            totale: Some(f.byte_zip as u64),
            righe: 0,
        });
        match self.client.upload(&url, &auth, Path::new(&f.percorso_zip)) {
            Ok(()) => {
                let now = self.desk.now();
                self.desk.set_caricato(f.id, None, now)?;
                self.emit(Event::Progress {
                    fase: "caricamento",
                    byte: f.byte_zip as u64,
                    totale: Some(f.byte_zip as u64),
                    righe: f.righe as u64,
                });
                self.step(&f.nome, "caricato");
                Ok(())
            }
            Err(ApiError::Upload {
                codice,
                descrizione,
            }) => {
                let lower = descrizione.to_lowercase();
                let now = self.desk.now();
                let bare = faults::normalise(&codice);
                if bare == "PAA_IMPORT_FILE_VERSIONE_ERR" {
                    // ARIA's middleware checks the version before forwarding to PU.
                    self.versione_rifiutata(f, &codice)?;
                    Ok(())
                } else if matches!(
                    bare,
                    "FILE_ALREADY_EXISTS" | "INVALID_FILE_NAME" | "MPD_FILE_TROPPO_GRANDE"
                ) || bare.starts_with("PAA_IMPORT")
                {
                    // Refused for good, before anything was loaded: the debts go back to ready.
                    let msg = faults::explain_upload(&codice, &descrizione);
                    self.desk.abort_flusso(f.id, bare, &msg, now)?;
                    self.step(&f.nome, "rifiutato");
                    Ok(())
                } else if lower.contains("già usato") || lower.contains("gia' usato") {
                    // The first upload of this token landed after all.
                    self.desk.set_caricato(f.id, None, now)?;
                    self.step(&f.nome, "caricato");
                    Ok(())
                } else if lower.contains("token") {
                    self.desk.reset_autorizzazione(f.id, now)?;
                    self.step(&f.nome, "autorizzazione scaduta");
                    Ok(())
                } else if codice == "400" {
                    // MyBox's own checks of the file (name, zip, Ente): it never will load.
                    let msg = format!(
                        "MyPay ha rifiutato il file: {descrizione}. Il flusso va ricreato."
                    );
                    self.desk
                        .abort_flusso(f.id, &format!("MYBOX_{codice}"), &msg, now)?;
                    self.step(&f.nome, "rifiutato");
                    Ok(())
                } else {
                    // "500": MyBox failed before or after storing; the status call decides.
                    Err(SyncError::Api(ApiError::Network(format!(
                        "caricamento non riuscito: {descrizione}"
                    ))))
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The MyBox URL that came with the authorisation (not part of `FlussoRecord`).
    fn upload_url(&self, f: &FlussoRecord) -> Result<Option<String>> {
        Ok(self.desk.flusso_upload_url(f.id)?)
    }

    /// One status call. `Ok(true)` when the flow moved (results applied, refused, reset).
    fn poll(&mut self, f: &FlussoRecord) -> Result<bool> {
        let token = f.request_token.clone().unwrap_or_default();
        let st = match self.client.stato_import(&token, self.config.avvisi) {
            Ok(st) => st,
            Err(ApiError::Fault(fault)) if fault.code == TOKEN_NON_VALIDO => {
                // MyPay does not know the upload: it never landed, send it again.
                let now = self.desk.now();
                self.desk.reset_autorizzazione(f.id, now)?;
                self.step(&f.nome, "caricamento non arrivato");
                return Ok(true);
            }
            Err(e) => return Err(e.into()),
        };
        match read_state(st) {
            Reading::Waiting(stato) => {
                let now = self.desk.now();
                if f.stato != FlussoStato::Processing {
                    self.desk.set_in_elaborazione(f.id, &stato, now)?;
                    self.step(&f.nome, "in elaborazione");
                }
                self.emit(Event::Waiting {
                    oggetto: f.nome.clone(),
                    stato,
                });
                Ok(false)
            }
            Reading::NotArrived => {
                // PU: the upload reported done, yet the file is not there: send it again
                // under a new authorisation (the old request takes nothing more).
                let now = self.desk.now();
                self.desk.reset_autorizzazione(f.id, now)?;
                self.step(&f.nome, "caricamento non arrivato");
                Ok(true)
            }
            Reading::Refused(code)
                if faults::normalise(&code) == "PAA_IMPORT_FILE_VERSIONE_ERR" =>
            {
                self.versione_rifiutata(f, &code)?;
                Ok(true)
            }
            Reading::Refused(code) => {
                let msg = faults::explain(&code, "");
                let now = self.desk.now();
                self.desk.abort_flusso(f.id, &code, &msg, now)?;
                self.step(&f.nome, "rifiutato");
                Ok(true)
            }
            Reading::Results(st) => {
                let esiti = self.fetch_results(f, &st)?;
                let now = self.desk.now();
                self.desk.apply_esiti(f.id, &esiti, now)?;
                self.step(&f.nome, "esiti applicati");
                Ok(true)
            }
        }
    }

    /// The platform refused the flow's tracciato version: the flow is refused with the
    /// platform's explanation (its debts go back to ready) and the version is remembered, so
    /// the next flows are built in one the platform takes.
    fn versione_rifiutata(&mut self, f: &FlussoRecord, codice: &str) -> Result<()> {
        let versione = faults::versione_del_codice(codice).unwrap_or(&f.versione);
        crate::piattaforma::registra_versione_rifiutata(self.desk, versione);
        let msg = faults::spiega_versione_rifiutata(self.config.piattaforma, versione);
        let now = self.desk.now();
        self.desk
            .abort_flusso(f.id, "PAA_IMPORT_FILE_VERSIONE_ERR", &msg, now)?;
        self.step(&f.nome, "rifiutato");
        Ok(())
    }

    fn results_dir(&self) -> PathBuf {
        self.desk.default_flows_dir().join("esiti")
    }

    /// Downloads and reads `_SCARTI` and `_IUV` into per-row outcomes (by IUD: the rows of
    /// `_SCARTI` come in no particular order).
    fn fetch_results(&mut self, f: &FlussoRecord, st: &StatoImport) -> Result<Vec<RigaEsito>> {
        let dir = self.results_dir();
        mpd_privato::cartella(&dir).map_err(|e| io_locale(&dir, &e))?;
        let version = Version::parse(&f.versione);
        let limits = ZipLimits::default();
        let mut esiti = Vec::new();
        if let Some(url) = &st.url_iuv {
            let path = dir.join(format!("{}_IUV.zip", f.nome));
            self.download_to(url, &path, crate::api::Scaricamento::Esito)?;
            let records =
                results::read_iuv_zip(&path, version, &limits).map_err(|e| corrupt(&path, e))?;
            for r in records {
                let row = r
                    .fields
                    .map_err(|e| SyncError::Invalid(format!("{}: {e}", path.display())))?;
                let iuv = row.get(Column::CodIuv).trim().to_string();
                esiti.push(RigaEsito::Caricato {
                    iud: row.get(Column::Iud).to_string(),
                    iuv: Some(iuv).filter(|s| !s.is_empty() && s != "null"),
                });
            }
        }
        if let Some(url) = &st.url_scarti {
            let path = dir.join(format!("{}_SCARTI.zip", f.nome));
            self.download_to(url, &path, crate::api::Scaricamento::Esito)?;
            let records =
                results::read_scarti_zip(&path, version, &limits).map_err(|e| corrupt(&path, e))?;
            for r in records {
                let iud = match &r.row {
                    Some(row) => row.get(Column::Iud).to_string(),
                    None => r
                        .raw
                        .split(';')
                        .next()
                        .unwrap_or("")
                        .trim_matches('"')
                        .to_string(),
                };
                let spiegazione = faults::explain_rifiuto(&r.codes, &r.de_rifiuto);
                esiti.push(RigaEsito::Scartato {
                    iud,
                    cod_rifiuto: r.cod_rifiuto.trim_start_matches('|').to_string(),
                    de_rifiuto: r.de_rifiuto.clone(),
                    spiegazione,
                });
            }
        }
        if self.config.avvisi
            && let Some(url) = &st.url_avvisi
        {
            let path = dir.join(format!("{}_AVVISI_PDF.zip", f.nome));
            self.download_to(url, &path, crate::api::Scaricamento::Avvisi)?;
        }
        Ok(esiti)
    }

    /// Downloads a link to a file, retrying transient failures (a download is safe to repeat).
    pub(crate) fn download_to(
        &mut self,
        url: &str,
        path: &Path,
        tipo: crate::api::Scaricamento,
    ) -> Result<(u64, String)> {
        let fase = tipo.fase();
        let mut last = 0u64;
        let out = self.retry_emitting("scaricamento", |c, emit| {
            c.download(url, tipo, path, &mut |byte, totale| {
                // Throttled: one event per MiB and at the end, sent as the bytes arrive.
                if byte / (1 << 20) != last / (1 << 20) || Some(byte) == totale {
                    emit(&Event::Progress {
                        fase,
                        byte,
                        totale,
                        righe: 0,
                    });
                }
                last = byte;
            })
        });
        Ok(out?)
    }
}

/// A result zip that does not read (cut in transit): removed, and reported as transient so the
/// step is repeated with a fresh download.
fn corrupt(path: &Path, e: results::ResultsError) -> SyncError {
    let _ = std::fs::remove_file(path);
    SyncError::Api(ApiError::Malformed(format!("{}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;
    use std::time::Duration;

    use super::*;
    use crate::api::Timeouts;
    use crate::{MyPayClient, Secret, SyncConfig};
    use mpd_core::Desk;

    /// Serves one file of `len` bytes in 1 MiB pieces, pausing between them (a slow link).
    fn slow_server(len: usize) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/mybox/export.zip", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap() > 2 {
                line.clear();
            }
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let piece = vec![7u8; 1 << 20];
            let mut left = len;
            while left > 0 {
                let n = left.min(piece.len());
                stream.write_all(&piece[..n]).unwrap();
                stream.flush().unwrap();
                left -= n;
                std::thread::sleep(Duration::from_millis(150));
            }
        });
        url
    }

    #[test]
    fn a_download_reports_its_bytes_while_they_arrive() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("export.zip");
        let url = slow_server(3 << 20);
        let timeouts = Timeouts {
            connect: Duration::from_secs(2),
            soap: Duration::from_secs(5),
            transfer: Duration::from_secs(20),
        };
        // MyBox links are followed only to the configured server: the slow one here.
        let base = url.trim_end_matches("/mybox/export.zip");
        let client = MyPayClient::new(
            &format!("{base}/ws/pa/"),
            "c_x",
            Secret::new(String::from("x")),
            &timeouts,
        )
        .unwrap();
        let mut desk = Desk::in_memory().unwrap();
        // For each progress event: its bytes, and whether the download had finished by then.
        let mut seen: Vec<(u64, bool)> = Vec::new();
        let mut on_event = |e: &Event| {
            if let Event::Progress { byte, .. } = e {
                seen.push((*byte, dest.exists()));
            }
        };
        let mut engine = Engine::new(&mut desk, &client, SyncConfig::default(), &mut on_event);
        let (bytes, _) = engine
            .download_to(&url, &dest, crate::api::Scaricamento::Ricevute)
            .unwrap();
        drop(engine);
        assert_eq!(bytes, 3 << 20);
        assert!(seen.len() >= 3, "{seen:?}");
        assert!(
            seen.iter().any(|(b, done)| *b < 3 << 20 && !done),
            "progress must be reported during the download, not after it: {seen:?}"
        );
        assert_eq!(
            seen.last(),
            Some(&(3 << 20, false)),
            "the last event before the rename"
        );
    }
}
