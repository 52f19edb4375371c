//! FdR from MyPay (issue 16, spec riconciliazione §2.2–§2.3): `paaSILChiediElencoFlussiSPC` day
//! by day, `paaSILChiediFlussoSPC` for each flow with the PSP taken from its IUF, the raw XML
//! fetched from the MyBox link (the client's download: configured host only, size cap, whole
//! exchange deadline) and stored through mpd-core's FdR import.
//!
//! Incremental and resumable: MyPay filters on the day *it acquired* a flow, so yesterday is
//! complete once its scheduler ran. The high-water mark (setting
//! [`mpd_core::riconciliazione::SETTING_FDR_FINO_A`]) is the last day all of whose flows are
//! stored; a run asks `[mark + 1, yesterday]`, one day at a time, and moves the mark after each
//! day. A flow already stored in the same or a newer version (same IUF, `dataOraFlusso` not
//! later) is not downloaded again; a newer version replaces the older (the store's rule). A
//! flow the import refuses (another Ente's, unreadable) is set aside with its reason
//! ([`FdrOutcome::scartati`]) and its day still completes. A run stopped (cancelled, MyPay
//! unreachable, a flow MyPay cannot give) keeps what it stored and the days it completed; the
//! next run resumes at the first day not completed.
//!
//! Type `R` and `Q`: quadrature (whose content the spec could not find, §1.6) are kept as
//! files in `rendicontazione/quadrature/` and counted, not read. With an explicit range the
//! mark is not touched.

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};
use mpd_core::riconciliazione::{
    GIORNI_INIZIALI_FDR, SETTING_FDR_FINO_A, SETTING_FDR_GIORNI_INIZIALI,
};
use mpd_store::rendicontazione::SalvataggioFdr;
use serde::Serialize;

use super::{Engine, Event, Result, SyncError, io_locale};
use crate::api::{ApiError, FlussoSpc, Scaricamento};

/// A flow downloaded from MyPay that the import refused.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FdrScartato {
    pub iuf: String,
    /// Its acquisition day.
    pub giorno: NaiveDate,
    /// The downloaded file, kept in `rendicontazione/` (for the retention period).
    pub file: String,
    /// Why the import refused it (Italian).
    pub motivo: String,
}

/// Which days to ask.
#[derive(Clone, Debug)]
pub enum FinestraFdr {
    /// From the day after the mark to yesterday (first time: see [`primo_giorno`]).
    Incrementale,
    /// These acquisition days (inclusive); the mark is not touched.
    Date { from: NaiveDate, to: NaiveDate },
}

/// What a download of FdR did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FdrOutcome {
    /// The days asked (none when already up to date).
    pub dal: Option<NaiveDate>,
    pub al: Option<NaiveDate>,
    /// Days completed in this run.
    pub giorni: usize,
    /// Flows listed by MyPay (type R).
    pub elencati: usize,
    /// Flows stored for the first time.
    pub nuovi: usize,
    /// Newer versions that replaced a stored one.
    pub sostituiti: usize,
    /// Listed versions already stored (or older than the stored one): not downloaded.
    pub gia_presenti: usize,
    /// Payments in the flows stored.
    pub pagamenti: usize,
    /// Quadrature (type Q) downloaded and kept.
    pub quadrature: usize,
    /// Flows MyPay gave that cannot be imported (another Ente's, unreadable): set aside with
    /// the reason, their file kept, their day completed all the same.
    pub scartati: Vec<FdrScartato>,
    /// The mark after the run (incremental).
    pub fino_a: Option<NaiveDate>,
    /// Files written.
    pub file: Vec<String>,
}

/// The first day of a first download: the earliest receipt's day, but no more than the set
/// number of days (default 90) back; with no receipt, that many days back.
pub fn primo_giorno(ieri: NaiveDate, prima_ricevuta: Option<NaiveDate>, giorni: i64) -> NaiveDate {
    let limite = ieri - Duration::days(giorni.max(1) - 1);
    prima_ricevuta.map_or(limite, |d| d.max(limite))
}

/// A file name safe on every system for a flow: its IUF and instant (MyPay's own naming).
fn nome_file(psp: &str, f: &FlussoSpc) -> String {
    let pulito = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let istante: String = f
        .data_ora
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect();
    format!("{}_{}_{istante}.xml", pulito(psp), pulito(&f.iuf))
}

impl Engine<'_> {
    /// `fdr download`: the FdR of the days of `finestra`, stored; progress as
    /// [`Event::Progress`] with `fase` `rendicontazione` (flows so far in `righe`) and a
    /// [`Event::Step`] per day completed.
    pub fn download_fdr(&mut self, finestra: &FinestraFdr) -> Result<FdrOutcome> {
        let mut out = FdrOutcome::default();
        self.download_fdr_into(finestra, &mut out)?;
        Ok(out)
    }

    /// [`Engine::download_fdr`] writing its outcome into `out` as it goes, so that a run that
    /// stops (cancelled, MyPay unreachable, a flow that cannot be imported) still tells what
    /// it stored and which days it completed.
    pub fn download_fdr_into(
        &mut self,
        finestra: &FinestraFdr,
        out: &mut FdrOutcome,
    ) -> Result<()> {
        let ieri = self.desk.now().with_timezone(&chrono::Local).date_naive() - Duration::days(1);
        let (from, to, incrementale) = match finestra {
            FinestraFdr::Date { from, to } => (*from, *to, false),
            FinestraFdr::Incrementale => {
                let mark = self
                    .desk
                    .setting(SETTING_FDR_FINO_A)?
                    .map(|s| {
                        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
                            SyncError::Invalid(format!(
                                "data dell'ultimo scaricamento dei flussi di rendicontazione non valida: «{s}»"
                            ))
                        })
                    })
                    .transpose()?;
                let from = match mark {
                    Some(m) => m + Duration::days(1),
                    None => {
                        let giorni = self
                            .desk
                            .setting(SETTING_FDR_GIORNI_INIZIALI)?
                            .and_then(|g| g.trim().parse::<i64>().ok())
                            .unwrap_or(GIORNI_INIZIALI_FDR);
                        primo_giorno(ieri, self.desk.prima_ricevuta()?, giorni)
                    }
                };
                (from, ieri, true)
            }
        };
        *out = FdrOutcome {
            fino_a: self
                .desk
                .setting(SETTING_FDR_FINO_A)?
                .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()),
            ..FdrOutcome::default()
        };
        if to < from {
            return Ok(());
        }
        out.dal = Some(from);
        out.al = Some(to);
        let dir = self.desk.cartella_file().join("rendicontazione");
        let quad = dir.join("quadrature");
        for d in [&dir, &quad] {
            mpd_privato::cartella(d).map_err(|e| io_locale(d, &e))?;
        }
        let mut giorno = from;
        while giorno <= to {
            self.check_cancel()?;
            self.giorno_fdr(giorno, &dir, out)?;
            self.giorno_quadrature(giorno, &quad, out)?;
            out.giorni += 1;
            if incrementale {
                self.desk
                    .set_setting(SETTING_FDR_FINO_A, &giorno.format("%Y-%m-%d").to_string())?;
                out.fino_a = Some(giorno);
            }
            self.step(
                &format!(
                    "Flussi di rendicontazione del {}",
                    giorno.format("%d/%m/%Y")
                ),
                "giorno completo",
            );
            giorno += Duration::days(1);
        }
        Ok(())
    }

    /// The link of one flow, then its file; a link that expired on the way is asked again.
    fn scarica_flusso(
        &mut self,
        tipo: &'static str,
        psp: &str,
        f: &FlussoSpc,
        dest: &Path,
    ) -> Result<()> {
        let mut scaduti = 0;
        loop {
            let url = self.retry("richiesta di un flusso di rendicontazione", |c| {
                c.chiedi_flusso_spc(tipo, psp, f)
            })?;
            let Some(url) = url else {
                return Err(SyncError::Invalid(format!(
                    "MyPay non trova il flusso di rendicontazione «{}» del {} che ha appena elencato: \
                     riprovi più tardi; i giorni già completati restano salvati",
                    f.iuf, f.data_ora
                )));
            };
            match self.download_to(&url, dest, Scaricamento::Rendicontazione) {
                Err(SyncError::Api(ApiError::LinkExpired)) if scaduti < 3 => scaduti += 1,
                r => return r.map(|_| ()),
            }
        }
    }

    fn giorno_fdr(&mut self, giorno: NaiveDate, dir: &Path, out: &mut FdrOutcome) -> Result<()> {
        let elenco = self.retry("elenco dei flussi di rendicontazione", |c| {
            c.elenco_flussi_spc("R", giorno, giorno)
        })?;
        out.elencati += elenco.len();
        for f in &elenco {
            self.check_cancel()?;
            if self.desk.fdr_data_ora(&f.iuf)?.is_some_and(|stored| {
                stored.as_str() >= f.data_ora.get(..19).unwrap_or(&f.data_ora)
            }) {
                out.gia_presenti += 1;
                continue;
            }
            let psp = mpd_tracciato::fdr::psp_da_iuf(&f.iuf)
                .unwrap_or_default()
                .to_string();
            let path: PathBuf = dir.join(nome_file(&psp, f));
            self.scarica_flusso("R", &psp, f, &path)?;
            let importati = match self.desk.importa_fdr(std::slice::from_ref(&path)) {
                Ok(i) => i,
                Err(mpd_core::CoreError::Invalid(why)) => {
                    // Set aside, not a stop: a flow that can never be imported (a PSP's flow
                    // for another Ente) would otherwise hold every later day back for good.
                    // Its IUF still shows in the reconciliation (a treasury entry for it
                    // matches no flow), and its file stays for the clerk.
                    tracing::warn!(iuf = %f.iuf, "flusso di rendicontazione messo da parte");
                    let motivo = why
                        .strip_suffix(mpd_core::riconciliazione::NESSUN_FDR_IMPORTATO)
                        .unwrap_or(&why)
                        .to_string();
                    out.scartati.push(FdrScartato {
                        iuf: f.iuf.clone(),
                        giorno,
                        file: path.display().to_string(),
                        motivo,
                    });
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            for i in importati {
                match i.esito {
                    SalvataggioFdr::Nuovo => out.nuovi += 1,
                    SalvataggioFdr::Sostituito => out.sostituiti += 1,
                    SalvataggioFdr::GiaPresente | SalvataggioFdr::Superato => out.gia_presenti += 1,
                }
                if matches!(i.esito, SalvataggioFdr::Nuovo | SalvataggioFdr::Sostituito) {
                    out.pagamenti += i.pagamenti;
                }
            }
            out.file.push(path.display().to_string());
            self.emit(Event::Progress {
                fase: "rendicontazione",
                byte: 0,
                totale: None,
                righe: (out.nuovi + out.sostituiti) as u64,
            });
        }
        Ok(())
    }

    fn giorno_quadrature(
        &mut self,
        giorno: NaiveDate,
        dir: &Path,
        out: &mut FdrOutcome,
    ) -> Result<()> {
        let elenco = self.retry("elenco dei flussi di quadratura", |c| {
            c.elenco_flussi_spc("Q", giorno, giorno)
        })?;
        for f in &elenco {
            self.check_cancel()?;
            let path = dir.join(nome_file("Q", f));
            if path.exists() {
                continue;
            }
            // A quadratura has no PSP: MyPay ignores it.
            self.scarica_flusso("Q", "", f, &path)?;
            out.quadrature += 1;
            out.file.push(path.display().to_string());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_download_starts_at_the_first_receipt_but_no_more_than_the_days_set() {
        let ieri = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        assert_eq!(
            primo_giorno(ieri, None, 90),
            NaiveDate::from_ymd_opt(2026, 4, 2).unwrap()
        );
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        assert_eq!(primo_giorno(ieri, Some(d), 90), d);
        let vecchia = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        assert_eq!(
            primo_giorno(ieri, Some(vecchia), 10),
            NaiveDate::from_ymd_opt(2026, 6, 21).unwrap()
        );
    }

    #[test]
    fn file_names_are_the_iuf_and_the_instant() {
        let f = FlussoSpc {
            iuf: "2024-05-14BCITITMM-1".into(),
            data_ora: "2024-05-14T17:12:33".into(),
        };
        assert_eq!(
            nome_file("BCITITMM", &f),
            "BCITITMM_2024-05-14BCITITMM-1_20240514171233.xml"
        );
        let f = FlussoSpc {
            iuf: "../x/y".into(),
            data_ora: "2024".into(),
        };
        assert_eq!(nome_file("P", &f), "P____x_y_2024.xml");
    }
}
