//! Reconciliation, first part (issue 16): FdR files read into the store (all or nothing), each
//! flow's quadratura, and each payment's state with its reason.
//!
//! The file is read whole (an FdR is a day of one PSP's payments: kilobytes to a few megabytes,
//! refused above [`MAX_BYTE_FDR`]) by mpd-tracciato's `fdr`, checked against the Ente's codice
//! fiscale as MyPivot does, then every file given is stored in one transaction: one bad file
//! and nothing is stored. The matching and the quadratura are mpd-domain's `riconciliazione`.

use std::io::Read;
use std::path::{Path, PathBuf};

use mpd_domain::riconciliazione::{self, Esame, Quadratura, Regole, Stato};
use mpd_store::RicevutaRecord;
use mpd_store::rendicontazione::{FdrRecord, NewFdr, NewRigaFdr, RigaFdrRecord, SalvataggioFdr};
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

/// A stored flow and its quadratura.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FdrQuadrato {
    pub fdr: FdrRecord,
    pub quadratura: Quadratura,
}

/// One payment's state: its receipt (if any), its FdR rows, its state and reason.
#[derive(Clone, Debug)]
pub struct PagamentoRiconciliato {
    pub ricevuta: Option<RicevutaRecord>,
    pub righe: Vec<RigaFdrRecord>,
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
            messaggio.push_str(". Nessun flusso è stato importato");
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

    /// Every stored FdR with its quadratura, newest settlement first.
    pub fn fdr_quadrature(&self) -> Result<Vec<FdrQuadrato>> {
        Ok(self
            .store
            .fdr()?
            .into_iter()
            .map(|f| {
                let quadratura = riconciliazione::quadratura(
                    f.numero_dichiarato,
                    f.importo_dichiarato_cents,
                    f.righe - f.righe_escluse,
                    f.somma_cents,
                );
                FdrQuadrato { fdr: f, quadratura }
            })
            .collect())
    }

    /// Every payment's state with its reason: the receipts (newest first), then the FdR rows
    /// no receipt claims.
    pub fn stati_pagamenti(&self) -> Result<Vec<PagamentoRiconciliato>> {
        let ricevute = self.store.ricevute(None)?;
        let righe = self.store.righe_fdr()?;
        let da_abbinare: Vec<riconciliazione::Ricevuta> = ricevute
            .iter()
            .map(|r| riconciliazione::Ricevuta {
                iuv: r.iuv.clone(),
                iur: r.iur.clone(),
                importo_cents: r.importo_cents,
            })
            .collect();
        let righe_da_abbinare: Vec<riconciliazione::Riga> = righe
            .iter()
            .map(|r| riconciliazione::Riga {
                iuf: r.iuf.clone(),
                iuv: r.iuv.clone(),
                iur: r.iur.clone(),
                indice: r.indice,
                importo_cents: r.importo_cents,
                esito: r.esito,
            })
            .collect();
        let regole = self.regole_riconciliazione()?;
        let esami = riconciliazione::abbina(&da_abbinare, &righe_da_abbinare, &regole);
        Ok(esami
            .into_iter()
            .map(
                |Esame {
                     ricevuta,
                     righe: indici,
                     stato,
                     motivo,
                 }| PagamentoRiconciliato {
                    ricevuta: ricevuta.map(|i| ricevute[i].clone()),
                    righe: indici.into_iter().map(|i| righe[i].clone()).collect(),
                    stato,
                    motivo,
                },
            )
            .collect())
    }

    /// One flow (its IUF in any case) with its quadratura and every row, each with the state
    /// and reason of the payment it reports; `None` when no such flow is stored. The states
    /// come from the whole matching, as in [`Desk::stati_pagamenti`]: a row's verdict can
    /// depend on other flows (a payment reported twice).
    pub fn dettaglio_fdr(&self, iuf: &str) -> Result<Option<DettaglioFdr>> {
        let Some(fdr) = self
            .fdr_quadrature()?
            .into_iter()
            .find(|f| f.fdr.iuf.eq_ignore_ascii_case(iuf))
        else {
            return Ok(None);
        };
        let mut esami: std::collections::HashMap<i64, (Stato, String)> =
            std::collections::HashMap::new();
        for p in self.stati_pagamenti()? {
            for r in p.righe.iter().filter(|r| r.iuf == fdr.fdr.iuf) {
                esami.insert(r.numero, (p.stato, p.motivo.clone()));
            }
        }
        let righe = self
            .store
            .righe_fdr()?
            .into_iter()
            .filter(|r| r.iuf == fdr.fdr.iuf)
            .map(|riga| RigaEsaminata {
                esame: esami.remove(&riga.numero),
                riga,
            })
            .collect();
        Ok(Some(DettaglioFdr { fdr, righe }))
    }
}

#[cfg(test)]
mod tests;
