//! Reconciliation, first part (issue 16): FdR files read into the store (all or nothing), each
//! flow's quadratura, and each payment's state with its reason.
//!
//! The file is read whole (an FdR is a day of one PSP's payments: kilobytes to a few megabytes,
//! refused above [`MAX_BYTE_FDR`]) by mpd-tracciato's `fdr`, checked against the Ente's codice
//! fiscale as MyPivot does, then every file given is stored in one transaction: one bad file
//! and nothing is stored. The matching and the quadratura are mpd-domain's `riconciliazione`;
//! the treasury side (the entries the `tesoreria` module stores, each payment carried to
//! incassato, each entry's match and suggestions, each FdR's treasury amount) is mpd-domain's
//! `incasso`, run as of [`Desk::now`].
//!
//! The states are kept in the store ([`Desk::stati_riconciliazione`]): a run from scratch
//! reads only the columns the matching needs and matches a part of the IUVs at a time, keeping
//! each payment's state and no reason; the next runs recompute only the IUVs that changed
//! (the store's triggers record them) and those whose «N days» deadline came. The reasons are
//! built for the payments shown ([`Desk::dettagli_pagamenti`]); [`Desk::riconcilia`] builds
//! them all.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::Arc;

use mpd_domain::incasso::{
    self, EsitoMovimento, IncassoFlusso, RegoleIncasso, Suggerimento, Tesoreria,
};
use mpd_domain::riconciliazione::{self, Quadratura, Regole, Stato};
use mpd_store::RicevutaRecord;
use mpd_store::rendicontazione::{FdrRecord, NewFdr, NewRigaFdr, RigaFdrRecord, SalvataggioFdr};
use mpd_store::riconciliazione::{
    EsecuzioneRiconciliazione, RicevutaDaAbbinare, RigaDaAbbinare, StatoSalvato,
};
use mpd_store::tesoreria::MovimentoRecord;
use mpd_tracciato::fdr::{self, Fdr};
use rust_decimal::Decimal;

use crate::files::open_file;
use crate::{CoreError, Desk, Result};

/// Setting: an FdR row without `indiceDatiSingoloPagamento` is the first transfer (`primo`,
/// the default) or matches no receipt (`nessuno`, as MyPivot).
pub const SETTING_INDICE_MANCANTE: &str = "riconciliazione.indice_mancante";
/// Setting: an esito-9 row with no receipt is `rendicontato` (the default, as MyPivot's
/// synthetic receipt) or an `anomalia`.
pub const SETTING_ESITO9: &str = "riconciliazione.esito9_senza_ricevuta";

/// Setting: the last day (`yyyy-mm-dd`, MyPay's acquisition day) whose FdR were all
/// downloaded and stored; the next download starts the day after.
pub const SETTING_FDR_FINO_A: &str = "fdr.scaricati_fino_a";
/// Setting: how many days back the first download of the FdR may go (default
/// [`GIORNI_INIZIALI_FDR`]); it starts at the earliest receipt's day when that is later.
pub const SETTING_FDR_GIORNI_INIZIALI: &str = "fdr.giorni_primo_scaricamento";
/// Default of [`SETTING_FDR_GIORNI_INIZIALI`].
pub const GIORNI_INIZIALI_FDR: i64 = 90;
/// Setting: days after a payment with no FdR before it is «non rendicontato».
pub const SETTING_GIORNI_RENDICONTAZIONE: &str = "riconciliazione.giorni_rendicontazione";
/// Setting: days after an FdR's settlement with no treasury entry before it is «non incassato».
pub const SETTING_GIORNI_INCASSO: &str = "riconciliazione.giorni_incasso";
/// Setting: how many days apart an entry and an FdR may be for a suggestion.
pub const SETTING_GIORNI_SUGGERIMENTO: &str = "riconciliazione.giorni_suggerimento";

/// How [`Desk::importa_fdr`]'s refusal ends (after every file's problem): a caller that
/// imports one file at a time and goes on takes it off.
pub const NESSUN_FDR_IMPORTATO: &str = ". Nessun flusso è stato importato";

/// Largest FdR file read (a PSP's busiest day is far below).
pub const MAX_BYTE_FDR: u64 = 256 << 20;

/// What importing one file did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FdrImportato {
    pub file: String,
    pub iuf: String,
    pub psp_id: String,
    pub pagamenti: usize,
    pub esito: SalvataggioFdr,
}

/// A stored flow, its quadratura and its treasury amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FdrQuadrato {
    pub fdr: FdrRecord,
    pub quadratura: Quadratura,
    pub incasso: IncassoFlusso,
}

/// One payment's state: its receipt (if any), its FdR rows, the treasury entries that cashed
/// it, its state and reason.
#[derive(Clone, Debug)]
pub struct PagamentoRiconciliato {
    pub ricevuta: Option<RicevutaRecord>,
    pub righe: Vec<RigaFdrRecord>,
    /// Shared with the other payments the same entries cashed.
    pub movimenti: Vec<Arc<MovimentoRecord>>,
    pub stato: Stato,
    pub motivo: String,
}

/// One FdR row with the verdict on its payment: `None` for a revoked row (esito 3), which
/// takes part in no matching.
#[derive(Clone, Debug)]
pub struct RigaEsaminata {
    pub riga: RigaFdrRecord,
    pub esame: Option<(Stato, String)>,
}

/// One stored flow, its quadratura and every row, in the flow's order.
#[derive(Clone, Debug)]
pub struct DettaglioFdr {
    pub fdr: FdrQuadrato,
    pub righe: Vec<RigaEsaminata>,
}

/// One treasury entry: what it matched, or why not and the likely matches.
#[derive(Clone, Debug)]
pub struct MovimentoRiconciliato {
    pub movimento: MovimentoRecord,
    pub esito: EsitoMovimento,
    /// The FdR it matched (its IUF).
    pub iuf_abbinato: Option<String>,
    /// The payments it matched by IUV.
    pub iuv_abbinati: Vec<String>,
    pub motivo: String,
    pub suggerimenti: Vec<Suggerimento>,
}

/// What a run of the reconciliation recomputed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Esecuzione {
    /// Everything (no run before, the rules changed, the day went back, too much changed).
    pub completa: bool,
    /// The payments recomputed (a run from scratch) or the IUVs (a run that recomputed only
    /// what changed).
    pub ricalcolati: usize,
}

/// The whole reconciliation without the payments' reasons: what the totals, the filters and
/// a run's cost need. A payment's reason, receipt and rows come from
/// [`Desk::dettagli_pagamenti`], for the payments a screen or a file shows.
#[derive(Clone, Debug)]
pub struct Stati {
    /// Receipts newest first, then the FdR rows no receipt claims.
    pub pagamenti: Vec<StatoSalvato>,
    /// Treasury entries by accounting date.
    pub movimenti: Vec<MovimentoRiconciliato>,
    /// FdR newest settlement first.
    pub flussi: Vec<FdrQuadrato>,
    pub esecuzione: Esecuzione,
}

impl Stati {
    /// Every state in [`Stato::TUTTI`]'s order with how many payments are in it and their
    /// amount (the receipt's, else the FdR's).
    pub fn totali(&self) -> Vec<(Stato, usize, i64)> {
        let mut t: Vec<(Stato, usize, i64)> = Stato::TUTTI.iter().map(|&s| (s, 0, 0)).collect();
        for p in &self.pagamenti {
            if let Some(v) = t.iter_mut().find(|v| v.0 == p.stato) {
                v.1 += 1;
                v.2 += p.importo_cents;
            }
        }
        t
    }
}

/// The whole reconciliation.
#[derive(Clone, Debug)]
pub struct Riconciliazione {
    /// Receipts newest first, then the FdR rows no receipt claims.
    pub pagamenti: Vec<PagamentoRiconciliato>,
    /// Treasury entries by accounting date.
    pub movimenti: Vec<MovimentoRiconciliato>,
    /// FdR newest settlement first.
    pub flussi: Vec<FdrQuadrato>,
}

/// The day a stored text (`yyyy-mm-dd…`) starts with.
fn data(testo: &str) -> Option<NaiveDate> {
    testo
        .get(..10)
        .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
}

fn giorno(testo: &str, altrimenti: NaiveDate) -> NaiveDate {
    data(testo).unwrap_or(altrimenti)
}

fn cents(d: Decimal) -> Option<i64> {
    i64::try_from((d * Decimal::ONE_HUNDRED).round_dp(0)).ok()
}

fn nome_file(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The parsed flow as the store keeps it.
fn da_salvare(f: Fdr, file: String) -> std::result::Result<NewFdr, String> {
    let fuori_scala = || "un importo è fuori scala".to_string();
    let psp_id = fdr::psp_da_iuf(&f.iuf).unwrap_or_default().to_string();
    let righe = f
        .righe
        .iter()
        .map(|r| {
            Ok(NewRigaFdr {
                numero: r.numero as i64,
                iuv: r.iuv.clone(),
                iur: r.iur.clone(),
                indice: r.indice,
                importo_cents: cents(r.importo).ok_or_else(fuori_scala)?,
                esito: r.esito.codice(),
                data_esito: r.data_esito.format("%Y-%m-%d").to_string(),
            })
        })
        .collect::<std::result::Result<Vec<_>, String>>()?;
    Ok(NewFdr {
        psp_id,
        versione_oggetto: f.versione_oggetto,
        data_ora_flusso: f.data_ora_flusso.format("%Y-%m-%dT%H:%M:%S").to_string(),
        iur_regolamento: f.iur_regolamento,
        data_regolamento: f.data_regolamento.format("%Y-%m-%d").to_string(),
        mittente_tipo: f.mittente_tipo,
        mittente_codice: f.mittente_codice,
        mittente_nome: f.mittente_nome,
        bic_riversamento: f.bic_riversamento,
        ricevente_codice: f.ricevente_codice,
        ricevente_nome: f.ricevente_nome,
        numero_dichiarato: i64::try_from(f.numero_totale).map_err(|_| fuori_scala())?,
        importo_dichiarato_cents: cents(f.importo_totale).ok_or_else(fuori_scala)?,
        iuf: f.iuf,
        file,
        righe,
    })
}

/// The rules a kept reconciliation was computed with, as stored with it: another value and the
/// next run is a whole one.
fn impronta_regole(r: &Regole, i: &RegoleIncasso) -> String {
    format!(
        "indice_mancante_primo={} esito9_rendicontato={} giorni_rendicontazione={} \
         giorni_incasso={} giorni_suggerimento={}",
        r.indice_mancante_primo,
        r.esito9_rendicontato,
        i.giorni_rendicontazione,
        i.giorni_incasso,
        i.giorni_suggerimento
    )
}

impl Desk {
    /// `fdr import`: FdR files read and stored in one transaction, one outcome per file. A file
    /// that cannot be read, or a flow for another Ente, stops the import with every file's
    /// problems and nothing stored.
    pub fn importa_fdr(&mut self, files: &[PathBuf]) -> Result<Vec<FdrImportato>> {
        let ente_cf = self.store.ente()?.map(|e| e.codice_fiscale);
        let mut flussi = Vec::with_capacity(files.len());
        let mut problemi = Vec::new();
        for path in files {
            let nome = nome_file(path);
            let mut bytes = Vec::new();
            let file = open_file(path)?;
            file.take(MAX_BYTE_FDR + 1)
                .read_to_end(&mut bytes)
                .map_err(|source| CoreError::Read {
                    path: path.display().to_string(),
                    source,
                })?;
            if bytes.len() as u64 > MAX_BYTE_FDR {
                return Err(CoreError::UnusableFile(format!(
                    "{nome}: il file supera {} MB, troppo grande per un flusso di rendicontazione",
                    MAX_BYTE_FDR >> 20
                )));
            }
            let letto = match fdr::leggi(&bytes) {
                Ok(f) => f,
                Err(e) => {
                    tracing::warn!(file = nome, dettaglio = ?e, "flusso di rendicontazione non leggibile");
                    problemi.push(format!("{nome}: {e}"));
                    continue;
                }
            };
            if let Some(cf) = ente_cf.as_deref().filter(|cf| !cf.is_empty())
                && !letto.ricevente_codice.eq_ignore_ascii_case(cf)
            {
                problemi.push(format!(
                    "{nome}: il flusso è per l'ente con codice fiscale {}, non per questo Ente ({cf})",
                    letto.ricevente_codice
                ));
                continue;
            }
            match da_salvare(letto, nome.clone()) {
                Ok(f) => flussi.push(f),
                Err(e) => problemi.push(format!("{nome}: {e}")),
            }
        }
        if !problemi.is_empty() {
            let mut messaggio = problemi.join("; ");
            messaggio.push_str(NESSUN_FDR_IMPORTATO);
            return Err(CoreError::Invalid(messaggio));
        }
        let now = self.now();
        let esiti = self.store.salva_fdr(&flussi, now)?;
        Ok(flussi
            .into_iter()
            .zip(esiti)
            .map(|(f, esito)| FdrImportato {
                file: f.file,
                iuf: f.iuf,
                psp_id: f.psp_id,
                pagamenti: f.righe.len(),
                esito,
            })
            .collect())
    }

    /// The instant of the stored version of a flow (`yyyy-mm-ddThh:mm:ss`), if any.
    pub fn fdr_data_ora(&self, iuf: &str) -> Result<Option<String>> {
        Ok(self.store.fdr_data_ora(iuf)?)
    }

    /// The payment day of the earliest receipt, if any.
    pub fn prima_ricevuta(&self) -> Result<Option<chrono::NaiveDate>> {
        Ok(self
            .store
            .prima_ricevuta()?
            .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
    }

    /// The matching's rules, as the Ente set them (default [`Regole::default`]).
    pub fn regole_riconciliazione(&self) -> Result<Regole> {
        let base = Regole::default();
        Ok(Regole {
            indice_mancante_primo: self
                .store
                .setting(SETTING_INDICE_MANCANTE)?
                .map_or(base.indice_mancante_primo, |v| v != "nessuno"),
            esito9_rendicontato: self
                .store
                .setting(SETTING_ESITO9)?
                .map_or(base.esito9_rendicontato, |v| v != "anomalia"),
        })
    }

    /// Saves the matching's rules.
    pub fn imposta_regole_riconciliazione(&mut self, regole: Regole) -> Result<()> {
        let indice = if regole.indice_mancante_primo {
            "primo"
        } else {
            "nessuno"
        };
        let esito9 = if regole.esito9_rendicontato {
            "rendicontato"
        } else {
            "anomalia"
        };
        self.store.set_setting(SETTING_INDICE_MANCANTE, indice)?;
        self.store.set_setting(SETTING_ESITO9, esito9)?;
        self.store.audit(
            self.now(),
            "riconciliazione.regole",
            "",
            &format!("indice mancante: {indice}; esito 9 senza ricevuta: {esito9}"),
        )?;
        Ok(())
    }

    /// The days the treasury side allows, as the Ente set them (default
    /// [`RegoleIncasso::default`]).
    pub fn regole_incasso(&self) -> Result<RegoleIncasso> {
        let base = RegoleIncasso::default();
        let leggi = |chiave: &str, base: i64| -> Result<i64> {
            Ok(self
                .store
                .setting(chiave)?
                .and_then(|v| v.parse().ok())
                .unwrap_or(base))
        };
        Ok(RegoleIncasso {
            giorni_rendicontazione: leggi(
                SETTING_GIORNI_RENDICONTAZIONE,
                base.giorni_rendicontazione,
            )?,
            giorni_incasso: leggi(SETTING_GIORNI_INCASSO, base.giorni_incasso)?,
            giorni_suggerimento: leggi(SETTING_GIORNI_SUGGERIMENTO, base.giorni_suggerimento)?,
        })
    }

    /// Saves the treasury side's days (each between 0 and 366).
    pub fn imposta_regole_incasso(&mut self, regole: RegoleIncasso) -> Result<()> {
        for (nome, v) in [
            (
                "giorni per la rendicontazione",
                regole.giorni_rendicontazione,
            ),
            ("giorni per l'incasso", regole.giorni_incasso),
            ("giorni per i suggerimenti", regole.giorni_suggerimento),
        ] {
            if !(0..=366).contains(&v) {
                return Err(CoreError::Invalid(format!(
                    "{nome}: {v} non va bene, indichi un numero di giorni fra 0 e 366"
                )));
            }
        }
        self.store.set_setting(
            SETTING_GIORNI_RENDICONTAZIONE,
            &regole.giorni_rendicontazione.to_string(),
        )?;
        self.store
            .set_setting(SETTING_GIORNI_INCASSO, &regole.giorni_incasso.to_string())?;
        self.store.set_setting(
            SETTING_GIORNI_SUGGERIMENTO,
            &regole.giorni_suggerimento.to_string(),
        )?;
        self.store.audit(
            self.now(),
            "riconciliazione.regole_incasso",
            "",
            &format!(
                "rendicontazione entro {} giorni, incasso entro {}, suggerimenti a {} giorni",
                regole.giorni_rendicontazione, regole.giorni_incasso, regole.giorni_suggerimento
            ),
        )?;
        Ok(())
    }

    /// The whole reconciliation as of now, every payment with its reason: the states of
    /// [`Desk::stati_riconciliazione`] (brought up to date), each reason built from its IUV's
    /// receipts, rows and entries ([`Desk::dettagli_pagamenti`]).
    pub fn riconcilia(&self) -> Result<Riconciliazione> {
        let stati = self.stati_riconciliazione()?;
        let pagamenti = self.dettagli_pagamenti(&stati.pagamenti)?;
        Ok(Riconciliazione {
            pagamenti,
            movimenti: stati.movimenti,
            flussi: stati.flussi,
        })
    }

    /// Every payment's state (without its reason), every treasury entry's match and every FdR's
    /// quadratura as of now. The states are kept in the store: a run recomputes only the IUVs
    /// that changed since the last one (receipts, FdR rows, FdR and entries stored or removed
    /// since, and the payments whose «N days» deadline came), and everything when there was
    /// no run yet, when the rules changed, when the day went back or when too much changed.
    /// A part of the archive closed under IUV gives the same verdicts as the whole
    /// ([`incasso::Tesoreria`]), so the result is the same as a run from scratch.
    pub fn stati_riconciliazione(&self) -> Result<Stati> {
        let ctx = self.contesto()?;
        let tesoreria = Tesoreria::new(&ctx.flussi, &ctx.mov, &ctx.regole_incasso, ctx.oggi);
        let impronta = impronta_regole(&ctx.regole, &ctx.regole_incasso);
        let precedente = self.store.esecuzione_riconciliazione()?;
        let modifiche = self.store.modifiche_riconciliazione()?;
        let salvati = precedente
            .as_ref()
            .filter(|p| p.regole == impronta && p.oggi <= ctx.oggi)
            .map(|p| p.pagamenti);
        let esecuzione = EsecuzioneRiconciliazione {
            oggi: ctx.oggi,
            regole: impronta,
            pagamenti: 0,
        };
        let mut da_rifare = None;
        if let Some(salvati) = salvati {
            let mut iuv = modifiche.iuv.clone();
            iuv.extend(self.store.iuv_in_scadenza(ctx.oggi)?);
            // An FdR or entry changed: every payment of the FdR with that IUF (as the
            // treasury compares them).
            let flussi: Vec<i64> = modifiche
                .iuf
                .iter()
                .filter_map(|iuf| tesoreria.flusso(iuf))
                .map(|n| ctx.fdr[n].id)
                .collect();
            iuv.extend(self.store.iuv_dei_flussi(&flussi)?);
            iuv.sort_unstable();
            iuv.dedup();
            if (iuv.len() as i64) <= (salvati / 5).max(10_000) {
                da_rifare = Some(iuv);
            }
        }
        let (ricevute, righe) = match &da_rifare {
            Some(iuv) => (
                self.store.ricevute_da_abbinare_con_iuv(iuv)?,
                self.store.righe_da_abbinare_con_iuv(iuv)?,
            ),
            None => (
                self.store.ricevute_da_abbinare()?,
                self.store.righe_da_abbinare()?,
            ),
        };
        let mut calcolati = calcola_stati(&ctx, &tesoreria, &ricevute, &righe);
        drop((ricevute, righe));
        let ricalcolati = match &da_rifare {
            Some(iuv) => iuv.len(),
            None => calcolati.len(),
        };
        self.store.salva_riconciliazione(
            da_rifare.as_deref(),
            &mut calcolati,
            &esecuzione,
            modifiche.fino_a,
            self.now(),
        )?;
        let mut pagamenti: Vec<StatoSalvato> = if da_rifare.is_some() {
            drop(calcolati);
            self.store.stati_riconciliazione()?
        } else {
            calcolati.into_iter().map(|(_, s)| s).collect()
        };
        pagamenti.sort_unstable_by_key(ordine);
        let movimenti = self.esamina_movimenti(&ctx, &tesoreria)?;
        let incassi = tesoreria.incassi;
        let flussi = ctx
            .fdr
            .into_iter()
            .zip(incassi)
            .map(|(f, incasso)| FdrQuadrato {
                quadratura: riconciliazione::quadratura(
                    f.numero_dichiarato,
                    f.importo_dichiarato_cents,
                    f.righe - f.righe_escluse,
                    f.somma_cents,
                ),
                fdr: f,
                incasso,
            })
            .collect();
        Ok(Stati {
            pagamenti,
            movimenti,
            flussi,
            esecuzione: Esecuzione {
                completa: da_rifare.is_none(),
                ricalcolati,
            },
        })
    }

    /// Forgets the reconciliation kept in the store: the next run starts from scratch.
    pub fn dimentica_riconciliazione(&self) -> Result<()> {
        Ok(self.store.dimentica_riconciliazione()?)
    }

    /// The payments given with their receipt, FdR rows, treasury entries and reason, in their
    /// order: the matching run again on their IUVs' receipts and rows only.
    pub fn dettagli_pagamenti(&self, stati: &[StatoSalvato]) -> Result<Vec<PagamentoRiconciliato>> {
        if stati.is_empty() {
            return Ok(Vec::new());
        }
        let tutti = self
            .store
            .esecuzione_riconciliazione()?
            .is_some_and(|e| stati.len() as i64 >= e.pagamenti);
        let (ricevute, righe) = if tutti {
            (self.store.ricevute(None)?, self.store.righe_fdr()?)
        } else {
            let ids: Vec<i64> = stati.iter().filter_map(|s| s.ricevuta_id).collect();
            let id_righe: Vec<i64> = stati.iter().flat_map(|s| s.righe.iter().copied()).collect();
            let iuv = self.store.iuv_di(&ids, &id_righe)?;
            (
                self.store.ricevute_con_iuv(&iuv)?,
                self.store.righe_fdr_con_iuv(&iuv)?,
            )
        };
        let ctx = self.contesto()?;
        let tesoreria = Tesoreria::new(&ctx.flussi, &ctx.mov, &ctx.regole_incasso, ctx.oggi);
        // Where each payment asked for goes in the answer.
        let posizione: HashMap<i64, usize> = stati
            .iter()
            .enumerate()
            .map(|(n, s)| (chiave(s.ricevuta_id, s.righe.first().copied()), n))
            .collect();
        let mut out: Vec<Option<PagamentoRiconciliato>> = (0..stati.len()).map(|_| None).collect();
        // Each entry once, shared by the payments it cashed (an FdR's 50, say).
        let movimenti: Vec<Arc<MovimentoRecord>> =
            ctx.movimenti.iter().cloned().map(Arc::new).collect();
        let parti = per_parte(
            ricevute.iter().map(|r| r.iuv.as_str()),
            righe.iter().map(|r| r.iuv.as_str()),
        );
        // The records move into the answer (a row two receipts claim is copied).
        let mut ricevute: Vec<Option<RicevutaRecord>> = ricevute.into_iter().map(Some).collect();
        let mut righe: Vec<Option<RigaFdrRecord>> = righe.into_iter().map(Some).collect();
        for (quali_ricevute, quali_righe) in parti {
            // Every record is in one part only: none was taken yet.
            let mie: Vec<&RicevutaRecord> = quali_ricevute
                .iter()
                .map(|&i| ricevute[i].as_ref().expect("a receipt in one part"))
                .collect();
            let mie_righe: Vec<RigaDaAbbinare> = quali_righe
                .iter()
                .map(|&i| riga_da_abbinare(righe[i].as_ref().expect("a row in one part")))
                .collect();
            let lette: Vec<RicevutaDaAbbinare> = mie.iter().map(|r| da_abbinare(r)).collect();
            let mut parte = Parte::di(
                &ctx,
                &lette,
                &mie_righe,
                (0..lette.len()).collect(),
                (0..mie_righe.len()).collect(),
            );
            parte.iud_ricevute = mie.iter().map(|r| r.dovuto_iud.clone()).collect();
            let dati = parte.dati(&ctx);
            let pagamenti = tesoreria.pagamenti(&dati, &ctx.regole);
            let mut usi = vec![0usize; quali_righe.len()];
            for p in &pagamenti {
                for &i in &p.righe {
                    usi[i] += 1;
                }
            }
            for p in pagamenti {
                let k = chiave(
                    p.ricevuta.map(|i| lette[i].id),
                    p.righe.first().map(|&i| mie_righe[i].id),
                );
                let ricevuta = p.ricevuta.and_then(|i| ricevute[quali_ricevute[i]].take());
                let sue: Vec<RigaFdrRecord> = p
                    .righe
                    .iter()
                    .filter_map(|&i| {
                        usi[i] -= 1;
                        let riga = &mut righe[quali_righe[i]];
                        if usi[i] == 0 {
                            riga.take()
                        } else {
                            riga.clone()
                        }
                    })
                    .collect();
                // A payment of the same IUVs not asked for.
                let Some(&n) = posizione.get(&k) else {
                    continue;
                };
                out[n] = Some(PagamentoRiconciliato {
                    ricevuta,
                    righe: sue,
                    movimenti: p.movimenti.iter().map(|&i| movimenti[i].clone()).collect(),
                    stato: p.stato,
                    motivo: p.motivo,
                });
            }
        }
        if let Some(s) = out
            .iter()
            .zip(stati)
            .find_map(|(p, s)| p.is_none().then_some(s))
        {
            return Err(CoreError::Invalid(format!(
                "la riconciliazione è cambiata mentre la si leggeva (pagamento {}): la ripeta",
                chiave(s.ricevuta_id, s.righe.first().copied())
            )));
        }
        // In place: a million payments are not copied again.
        Ok(out
            .into_iter()
            .map(|p| p.expect("every payment found, checked above"))
            .collect())
    }

    /// What every run reads whole: the FdR and the treasury entries (tens of thousands in a
    /// large Ente's year), the rules, today.
    fn contesto(&self) -> Result<Contesto> {
        let oggi = self.now().date_naive();
        let fdr = self.store.fdr()?;
        let movimenti = self.store.movimenti_tesoreria()?;
        let flussi = fdr
            .iter()
            .map(|f| incasso::Flusso {
                iuf: f.iuf.clone(),
                psp_id: f.psp_id.clone(),
                psp_nome: f.mittente_nome.clone(),
                bic_riversamento: String::new(),
                data_regolamento: giorno(&f.data_regolamento, oggi),
                importo_dichiarato_cents: f.importo_dichiarato_cents,
            })
            .collect();
        let mov = movimenti
            .iter()
            .map(|m| incasso::Movimento {
                anno: m.anno,
                bolletta: m.bolletta.clone(),
                data_contabile: giorno(&m.data_contabile, oggi),
                importo_cents: m.importo_cents,
                ordinante: m.ordinante.clone(),
                causale: m.causale.clone(),
                iuf: m.iuf.clone(),
                iuv: m.iuv.clone(),
            })
            .collect();
        let fdr_per_id = fdr.iter().enumerate().map(|(n, f)| (f.id, n)).collect();
        Ok(Contesto {
            oggi,
            fdr,
            fdr_per_id,
            movimenti,
            flussi,
            mov,
            regole: self.regole_riconciliazione()?,
            regole_incasso: self.regole_incasso()?,
        })
    }

    /// Each treasury entry's verdict, with the receipts and rows of the IUVs the entries name.
    fn esamina_movimenti(
        &self,
        ctx: &Contesto,
        tesoreria: &Tesoreria<'_>,
    ) -> Result<Vec<MovimentoRiconciliato>> {
        let mut iuv: Vec<String> = ctx.mov.iter().filter_map(|m| m.iuv.clone()).collect();
        iuv.sort_unstable();
        iuv.dedup();
        let ricevute = self.store.ricevute_da_abbinare_con_iuv(&iuv)?;
        let righe = self.store.righe_da_abbinare_con_iuv(&iuv)?;
        let parte = Parte::di(
            ctx,
            &ricevute,
            &righe,
            (0..ricevute.len()).collect(),
            (0..righe.len()).collect(),
        );
        let esami = tesoreria.esamina_movimenti(&parte.dati(ctx));
        Ok(esami
            .into_iter()
            .zip(&ctx.movimenti)
            .map(|(e, m)| MovimentoRiconciliato {
                movimento: m.clone(),
                esito: e.esito,
                iuf_abbinato: e.flusso.map(|n| ctx.fdr[n].iuf.clone()),
                iuv_abbinati: e
                    .ricevute
                    .iter()
                    .map(|&i| ricevute[i].iuv.clone())
                    .collect(),
                motivo: e.motivo,
                suggerimenti: e.suggerimenti,
            })
            .collect())
    }

    /// One flow (its IUF in any case) with its quadratura and every row, each with the state
    /// and reason of the payment it reports; `None` when no such flow is stored. The states
    /// come from the whole matching, as in [`Desk::stati_pagamenti`]: a row's verdict can
    /// depend on other flows (a payment reported twice).
    pub fn dettaglio_fdr(&self, iuf: &str) -> Result<Option<DettaglioFdr>> {
        let stati = self.stati_riconciliazione()?;
        let Some(fdr) = stati
            .flussi
            .into_iter()
            .find(|f| f.fdr.iuf.eq_ignore_ascii_case(iuf))
        else {
            return Ok(None);
        };
        let righe = self.store.righe_fdr_del_flusso(fdr.fdr.id)?;
        let ids: std::collections::HashSet<i64> = righe.iter().map(|r| r.id).collect();
        let suoi: Vec<StatoSalvato> = stati
            .pagamenti
            .into_iter()
            .filter(|p| p.righe.iter().any(|r| ids.contains(r)))
            .collect();
        let mut esami: HashMap<i64, (Stato, String)> = HashMap::new();
        for p in self.dettagli_pagamenti(&suoi)? {
            for r in &p.righe {
                esami.insert(r.id, (p.stato, p.motivo.clone()));
            }
        }
        let righe = righe
            .into_iter()
            .map(|riga| RigaEsaminata {
                esame: esami.remove(&riga.id),
                riga,
            })
            .collect();
        Ok(Some(DettaglioFdr { fdr, righe }))
    }

    /// Every stored FdR with its quadratura and treasury amount, newest settlement first.
    pub fn fdr_quadrature(&self) -> Result<Vec<FdrQuadrato>> {
        Ok(self.stati_riconciliazione()?.flussi)
    }

    /// Every payment's state with its reason: the receipts (newest first), then the FdR rows
    /// no receipt claims.
    pub fn stati_pagamenti(&self) -> Result<Vec<PagamentoRiconciliato>> {
        Ok(self.riconcilia()?.pagamenti)
    }
}

/// What every run reads whole ([`Desk::contesto`]).
struct Contesto {
    oggi: NaiveDate,
    fdr: Vec<FdrRecord>,
    fdr_per_id: HashMap<i64, usize>,
    movimenti: Vec<MovimentoRecord>,
    flussi: Vec<incasso::Flusso>,
    mov: Vec<incasso::Movimento>,
    regole: Regole,
    regole_incasso: RegoleIncasso,
}

/// A whole receipt as the matching reads it.
fn da_abbinare(r: &RicevutaRecord) -> RicevutaDaAbbinare {
    RicevutaDaAbbinare {
        id: r.id,
        iuv: r.iuv.clone(),
        iur: r.iur.clone(),
        importo_cents: r.importo_cents,
        giorno: data(&r.data_esito),
    }
}

/// A whole FdR row as the matching reads it.
fn riga_da_abbinare(r: &RigaFdrRecord) -> RigaDaAbbinare {
    RigaDaAbbinare {
        id: r.id,
        fdr_id: r.fdr_id,
        numero: r.numero,
        iuv: r.iuv.clone(),
        iur: r.iur.clone(),
        indice: r.indice,
        importo_cents: r.importo_cents,
        esito: r.esito,
        giorno: data(&r.data_esito),
    }
}

/// Some receipts and rows (indexes into those read) as the domain's matching takes them.
struct Parte {
    ricevute: Vec<usize>,
    righe: Vec<usize>,
    da_abbinare: Vec<riconciliazione::Ricevuta>,
    date_ricevute: Vec<NaiveDate>,
    /// The IUD of the debt each receipt paid (only in the reasons: none for the states).
    iud_ricevute: Vec<Option<String>>,
    righe_da_abbinare: Vec<riconciliazione::Riga>,
    date_righe: Vec<NaiveDate>,
}

impl Parte {
    fn di(
        ctx: &Contesto,
        ricevute: &[RicevutaDaAbbinare],
        righe: &[RigaDaAbbinare],
        quali_ricevute: Vec<usize>,
        quali_righe: Vec<usize>,
    ) -> Parte {
        let da_abbinare = quali_ricevute
            .iter()
            .map(|&i| riconciliazione::Ricevuta {
                iuv: ricevute[i].iuv.clone(),
                iur: ricevute[i].iur.clone(),
                importo_cents: ricevute[i].importo_cents,
            })
            .collect();
        let date_ricevute = quali_ricevute
            .iter()
            .map(|&i| ricevute[i].giorno.unwrap_or(ctx.oggi))
            .collect();
        let righe_da_abbinare = quali_righe
            .iter()
            .map(|&i| {
                let r = &righe[i];
                riconciliazione::Riga {
                    iuf: ctx
                        .fdr_per_id
                        .get(&r.fdr_id)
                        .map(|&n| ctx.fdr[n].iuf.clone())
                        .unwrap_or_default(),
                    iuv: r.iuv.clone(),
                    iur: r.iur.clone(),
                    indice: r.indice,
                    importo_cents: r.importo_cents,
                    esito: r.esito,
                }
            })
            .collect();
        let date_righe = quali_righe
            .iter()
            .map(|&i| righe[i].giorno.unwrap_or(ctx.oggi))
            .collect();
        Parte {
            ricevute: quali_ricevute,
            righe: quali_righe,
            da_abbinare,
            date_ricevute,
            iud_ricevute: Vec::new(),
            righe_da_abbinare,
            date_righe,
        }
    }

    fn dati<'a>(&'a self, ctx: &'a Contesto) -> incasso::Dati<'a> {
        incasso::Dati {
            ricevute: &self.da_abbinare,
            date_ricevute: &self.date_ricevute,
            iud_ricevute: &self.iud_ricevute,
            righe: &self.righe_da_abbinare,
            date_righe: &self.date_righe,
            flussi: &ctx.flussi,
            movimenti: &ctx.mov,
        }
    }
}

/// How many parts a run from scratch splits the archive into (by IUV): the matching's copies,
/// maps and reasons exist for one part at a time.
const PARTI: u64 = 32;

/// Every payment's state (with its IUV) for these receipts and rows, which hold every receipt
/// and row of each IUV they hold. Done a part of the IUVs at a time.
fn calcola_stati(
    ctx: &Contesto,
    tesoreria: &Tesoreria<'_>,
    ricevute: &[RicevutaDaAbbinare],
    righe: &[RigaDaAbbinare],
) -> Vec<(String, StatoSalvato)> {
    let parti = per_parte(
        ricevute.iter().map(|r| r.iuv.as_str()),
        righe.iter().map(|r| r.iuv.as_str()),
    );
    let mut out = Vec::with_capacity(ricevute.len() + righe.len() / 50);
    for (quali_ricevute, quali_righe) in parti {
        let parte = Parte::di(ctx, ricevute, righe, quali_ricevute, quali_righe);
        for p in tesoreria.pagamenti(&parte.dati(ctx), &ctx.regole) {
            let ricevuta = p.ricevuta.map(|i| &ricevute[parte.ricevute[i]]);
            let prima = p.righe.first().map(|&i| &righe[parte.righe[i]]);
            let (iuv, importo_cents) = match (ricevuta, prima) {
                (Some(r), _) => (r.iuv.clone(), r.importo_cents),
                (None, Some(r)) => (r.iuv.clone(), r.importo_cents),
                (None, None) => continue,
            };
            out.push((
                iuv,
                StatoSalvato {
                    ricevuta_id: ricevuta.map(|r| r.id),
                    righe: p.righe.iter().map(|&i| righe[parte.righe[i]].id).collect(),
                    stato: p.stato,
                    importo_cents,
                    scadenza: p.scadenza,
                    fdr_id: prima.map(|r| r.fdr_id),
                    numero: prima.map(|r| r.numero),
                },
            ));
        }
    }
    out
}

/// The receipts and rows (by their IUV) split in parts by IUV, each part the indexes of its
/// receipts and of its rows in their order: [`PARTI`] parts for a large archive, one for a few
/// IUVs.
fn per_parte<'a>(
    ricevute: impl ExactSizeIterator<Item = &'a str>,
    righe: impl ExactSizeIterator<Item = &'a str>,
) -> Vec<(Vec<usize>, Vec<usize>)> {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    let parti = if ricevute.len() + righe.len() > 100_000 {
        PARTI
    } else {
        1
    };
    let hasher = BuildHasherDefault::<DefaultHasher>::default();
    let parte_di = |iuv: &str| (hasher.hash_one(iuv) % parti) as usize;
    let mut out: Vec<(Vec<usize>, Vec<usize>)> = vec![(Vec::new(), Vec::new()); parti as usize];
    for (i, iuv) in ricevute.enumerate() {
        out[parte_di(iuv)].0.push(i);
    }
    for (i, iuv) in righe.enumerate() {
        out[parte_di(iuv)].1.push(i);
    }
    out
}

/// A payment's key: its receipt's id, else minus its first row's id.
fn chiave(ricevuta: Option<i64>, prima_riga: Option<i64>) -> i64 {
    ricevuta.unwrap_or_else(|| -prima_riga.unwrap_or_default())
}

/// The payments' order: receipts newest first, then the rows no receipt claims in the flows'
/// order.
fn ordine(s: &StatoSalvato) -> (u8, i64, i64) {
    match s.ricevuta_id {
        Some(id) => (0, -id, 0),
        None => (
            1,
            s.fdr_id.unwrap_or_default(),
            s.numero.unwrap_or_default(),
        ),
    }
}

#[cfg(test)]
mod tests;
