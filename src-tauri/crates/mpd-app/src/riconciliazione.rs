//! Riconciliazione (issue 16): FdR files imported or downloaded from MyPay (incremental,
//! resumable, with progress and cancel), every flow with its quadratura, every payment with
//! its state and reason. The treasury journal and the reversal proposals come later.
//!
//! Amounts go to the front ends in cents (`*_cents`), never as floats.

use std::path::PathBuf;

use mpd_core::riconciliazione::{FdrQuadrato, PagamentoRiconciliato};
use mpd_domain::riconciliazione::{Regole, Stato};
use mpd_domain::testo::conta;
use mpd_store::rendicontazione::SalvataggioFdr;
use serde::Serialize;
use ts_rs::TS;

use mpd_client::Event;
use mpd_client::SyncError;
use mpd_client::sync::rendicontazione::{FdrOutcome, FinestraFdr};

use crate::errore::{Errore, Risultato};
use crate::flussi::{Livello, Riepilogo};
use crate::{App, Lavoro};

/// A payment's state in the reconciliation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StatoPagamento {
    /// Paid, not yet in any FdR.
    Pagato,
    /// Paid and reported by the PSP with the same amount (or reported with esito 9).
    Rendicontato,
    /// Reported with another amount than the receipt's.
    ImportoDiverso,
    /// Reported by a PSP, but no receipt here.
    SenzaRicevuta,
    /// Reported more than once.
    Doppio,
}

impl From<Stato> for StatoPagamento {
    fn from(s: Stato) -> StatoPagamento {
        match s {
            Stato::Pagato => StatoPagamento::Pagato,
            Stato::Rendicontato => StatoPagamento::Rendicontato,
            Stato::ImportoDiverso => StatoPagamento::ImportoDiverso,
            Stato::SenzaRicevuta => StatoPagamento::SenzaRicevuta,
            Stato::Doppio => StatoPagamento::Doppio,
        }
    }
}

impl StatoPagamento {
    /// The state a front end named (`pagato`, `rendicontato`, `importo_diverso`,
    /// `senza_ricevuta`, `doppio`).
    pub fn parse(codice: &str) -> Risultato<StatoPagamento> {
        Stato::TUTTI
            .into_iter()
            .find(|s| s.codice() == codice)
            .map(StatoPagamento::from)
            .ok_or_else(|| {
                Errore::argomento(format!(
                    "stato di riconciliazione sconosciuto «{codice}»: i possibili sono {}",
                    Stato::TUTTI.map(Stato::codice).join(", ")
                ))
            })
    }
}

/// What importing one FdR file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EsitoFdr {
    /// A flow not seen before.
    Nuovo,
    /// Already imported: nothing added.
    GiaPresente,
    /// A newer version of an imported flow: it replaces the older one.
    Sostituito,
    /// An older version than the one imported: ignored.
    Superato,
}

impl From<SalvataggioFdr> for EsitoFdr {
    fn from(s: SalvataggioFdr) -> EsitoFdr {
        match s {
            SalvataggioFdr::Nuovo => EsitoFdr::Nuovo,
            SalvataggioFdr::GiaPresente => EsitoFdr::GiaPresente,
            SalvataggioFdr::Sostituito => EsitoFdr::Sostituito,
            SalvataggioFdr::Superato => EsitoFdr::Superato,
        }
    }
}

/// One imported file.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FdrImportato {
    pub file: String,
    pub iuf: String,
    /// The PSP's id, from the IUF.
    pub psp: String,
    pub pagamenti: usize,
    pub esito: EsitoFdr,
}

/// What an import of FdR files did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EsitoImportazioneFdr {
    pub flussi: Vec<FdrImportato>,
    pub riepilogo: Riepilogo,
}

/// Imports FdR files (XML `FlussoRiversamento`, any schema version): all of them or, if one
/// cannot be read or is for another Ente, none.
pub fn importa(app: &App, file: &[PathBuf]) -> Risultato<EsitoImportazioneFdr> {
    if file.is_empty() {
        return Err(Errore::argomento(
            "nessun file indicato: serve almeno un flusso di rendicontazione",
        ));
    }
    let mut desk = app.desk_di_lavoro()?;
    let flussi: Vec<FdrImportato> = desk
        .importa_fdr(file)?
        .into_iter()
        .map(|f| FdrImportato {
            file: f.file,
            iuf: f.iuf,
            psp: f.psp_id,
            pagamenti: f.pagamenti,
            esito: f.esito.into(),
        })
        .collect();
    let nuovi = flussi
        .iter()
        .filter(|f| matches!(f.esito, EsitoFdr::Nuovo | EsitoFdr::Sostituito))
        .count();
    let pagamenti: usize = flussi
        .iter()
        .filter(|f| matches!(f.esito, EsitoFdr::Nuovo | EsitoFdr::Sostituito))
        .map(|f| f.pagamenti)
        .sum();
    let gia = flussi.len() - nuovi;
    let riepilogo = if nuovi == 0 {
        Riepilogo {
            livello: Livello::Avviso,
            testo: format!(
                "Nessun flusso nuovo: {} già presenti (o più vecchi di quelli presenti).",
                conta(gia, "flusso era", "flussi erano")
            ),
        }
    } else {
        let mut testo = format!(
            "{} con {}.",
            conta(
                nuovi,
                "flusso di rendicontazione importato",
                "flussi di rendicontazione importati"
            ),
            conta(pagamenti, "pagamento", "pagamenti")
        );
        if gia > 0 {
            testo.push_str(&format!(
                " {} già presenti, non aggiunti.",
                conta(gia, "altro flusso era", "altri flussi erano")
            ));
        }
        Riepilogo {
            livello: Livello::Successo,
            testo,
        }
    };
    Ok(EsitoImportazioneFdr { flussi, riepilogo })
}

/// One FdR with its quadratura.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FdrVista {
    pub iuf: String,
    /// The PSP's id, from the IUF.
    pub psp: String,
    /// The PSP's name as the flow gives it (may be empty).
    pub psp_nome: String,
    /// `yyyy-mm-dd`: when the PSP settled the money (one SCT).
    pub data_regolamento: String,
    /// The SCT's reference (TRN/CRO).
    pub iur_regolamento: String,
    pub numero_dichiarato: i64,
    pub importo_dichiarato_cents: i64,
    /// Payments counted (esito 3 apart).
    pub numero_pagamenti: i64,
    /// Sum of the payments (esito 3 apart).
    pub somma_cents: i64,
    /// Payments revoked (esito 3): kept, out of the totals.
    pub revocati: i64,
    /// The sum and the count agree with the declared ones.
    pub quadra: bool,
    /// Why it does or does not.
    pub motivo: String,
    pub file: String,
}

impl From<FdrQuadrato> for FdrVista {
    fn from(q: FdrQuadrato) -> FdrVista {
        let f = q.fdr;
        FdrVista {
            iuf: f.iuf,
            psp: f.psp_id,
            psp_nome: f.mittente_nome,
            data_regolamento: f.data_regolamento,
            iur_regolamento: f.iur_regolamento,
            numero_dichiarato: f.numero_dichiarato,
            importo_dichiarato_cents: f.importo_dichiarato_cents,
            numero_pagamenti: f.righe - f.righe_escluse,
            somma_cents: f.somma_cents,
            revocati: f.righe_escluse,
            quadra: q.quadratura.quadra,
            motivo: q.quadratura.motivo,
            file: f.file,
        }
    }
}

/// Every imported FdR with its quadratura, newest settlement first.
pub fn elenco_fdr(app: &App) -> Risultato<Vec<FdrVista>> {
    app.con_desk(|desk| {
        Ok(desk
            .fdr_quadrature()?
            .into_iter()
            .map(FdrVista::from)
            .collect())
    })
}

/// One payment in the reconciliation.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PagamentoVista {
    pub iuv: String,
    pub iur: String,
    /// The receipt's amount, when there is one.
    pub importo_cents: Option<i64>,
    /// The amount the FdR reports (the first row's, when reported twice).
    pub importo_rendicontato_cents: Option<i64>,
    /// `yyyy-mm-dd`: the receipt's date, else the FdR row's.
    pub data_esito: String,
    /// The FdR reporting it (one IUF per row).
    pub iuf: Vec<String>,
    /// The FdR rows' outcome codes (0, 4, 8, 9).
    pub esiti: Vec<u8>,
    /// The local debt the receipt paid, if any.
    pub dovuto_iud: Option<String>,
    pub pagatore: String,
    pub stato: StatoPagamento,
    /// The state as the clerk reads it.
    pub etichetta: &'static str,
    pub anomalia: bool,
    /// Why it is in this state.
    pub motivo: String,
}

impl From<PagamentoRiconciliato> for PagamentoVista {
    fn from(p: PagamentoRiconciliato) -> PagamentoVista {
        let prima = p.righe.first();
        let (iuv, iur) = match (&p.ricevuta, prima) {
            (Some(r), _) => (r.iuv.clone(), r.iur.clone()),
            (None, Some(r)) => (r.iuv.clone(), r.iur.clone()),
            (None, None) => Default::default(),
        };
        PagamentoVista {
            iuv,
            iur,
            importo_cents: p.ricevuta.as_ref().map(|r| r.importo_cents),
            importo_rendicontato_cents: prima.map(|r| r.importo_cents),
            data_esito: p
                .ricevuta
                .as_ref()
                .map(|r| r.data_esito.clone())
                .or_else(|| prima.map(|r| r.data_esito.clone()))
                .unwrap_or_default(),
            iuf: p.righe.iter().map(|r| r.iuf.clone()).collect(),
            esiti: p.righe.iter().map(|r| r.esito).collect(),
            dovuto_iud: p.ricevuta.as_ref().and_then(|r| r.dovuto_iud.clone()),
            pagatore: p
                .ricevuta
                .as_ref()
                .map(|r| r.anagrafica_pagatore.clone())
                .unwrap_or_default(),
            stato: p.stato.into(),
            etichetta: p.stato.etichetta(),
            anomalia: p.stato.anomalia(),
            motivo: p.motivo,
        }
    }
}

/// Every payment's state with its reason (receipts newest first, then the FdR rows no receipt
/// claims), only those in state `stato` when given.
pub fn pagamenti(app: &App, stato: Option<&str>) -> Risultato<Vec<PagamentoVista>> {
    let filtro = stato.map(StatoPagamento::parse).transpose()?;
    app.con_desk(|desk| {
        Ok(desk
            .stati_pagamenti()?
            .into_iter()
            .map(PagamentoVista::from)
            .filter(|p| filtro.is_none_or(|s| p.stato == s))
            .collect())
    })
}

/// The matching's rules where the spec infers MyPivot's behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct RegoleRiconciliazione {
    /// An FdR row without transfer index is the first transfer (else, as in MyPivot, it
    /// matches no receipt).
    pub indice_mancante_primo: bool,
    /// An esito-9 row (paid without RPT) with no receipt is reconciled from the flow (else it
    /// is an anomaly).
    pub esito9_rendicontato: bool,
}

impl From<Regole> for RegoleRiconciliazione {
    fn from(r: Regole) -> RegoleRiconciliazione {
        RegoleRiconciliazione {
            indice_mancante_primo: r.indice_mancante_primo,
            esito9_rendicontato: r.esito9_rendicontato,
        }
    }
}

/// The matching's rules in force.
pub fn regole(app: &App) -> Risultato<RegoleRiconciliazione> {
    app.con_desk(|desk| Ok(desk.regole_riconciliazione()?.into()))
}

/// Changes the rules given (the others stay); returns the rules in force.
pub fn imposta_regole(
    app: &App,
    indice_mancante_primo: Option<bool>,
    esito9_rendicontato: Option<bool>,
) -> Risultato<RegoleRiconciliazione> {
    app.con_desk(|desk| {
        let mut r = desk.regole_riconciliazione()?;
        if let Some(v) = indice_mancante_primo {
            r.indice_mancante_primo = v;
        }
        if let Some(v) = esito9_rendicontato {
            r.esito9_rendicontato = v;
        }
        desk.imposta_regole_riconciliazione(r)?;
        Ok(r.into())
    })
}

/// What a download of FdR from MyPay did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EsitoScaricamentoFdr {
    /// The acquisition days asked (`yyyy-mm-dd`); none when already up to date.
    pub dal: Option<String>,
    pub al: Option<String>,
    /// Days completed.
    pub giorni: usize,
    /// Flows MyPay listed.
    pub elencati: usize,
    /// Flows stored for the first time, and newer versions that replaced a stored one.
    pub nuovi: usize,
    pub sostituiti: usize,
    /// Listed flows already stored: not downloaded again.
    pub gia_presenti: usize,
    /// Payments in the flows stored.
    pub pagamenti: usize,
    /// Quadrature kept as files (not read).
    pub quadrature: usize,
    /// The last day whose flows are all stored (`yyyy-mm-dd`): the next download starts after.
    pub fino_a: Option<String>,
    /// The clerk stopped it: what was stored stays, the next download resumes.
    pub annullato: bool,
    pub riepilogo: Riepilogo,
}

/// What a download of FdR reports while it runs.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum AvanzamentoFdr {
    /// An engine event: a day completed (`step`), the flows stored so far (`progress`, phase
    /// `rendicontazione`, count in `righe`), a retry.
    Evento { evento: Event },
}

fn data(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn esito_scaricamento(r: Option<FdrOutcome>, annullato: bool) -> EsitoScaricamentoFdr {
    let r = r.unwrap_or_default();
    let testo = if annullato {
        "Scaricamento interrotto: i flussi e i giorni già completati restano salvati e il prossimo \
         scaricamento riprende da lì."
            .to_string()
    } else if r.dal.is_none() {
        "I flussi di rendicontazione sono già aggiornati a ieri.".to_string()
    } else {
        let mut t = format!(
            "{} da MyPay ({}, {}).",
            conta(
                r.nuovi + r.sostituiti,
                "flusso di rendicontazione scaricato",
                "flussi di rendicontazione scaricati"
            ),
            conta(r.pagamenti, "pagamento", "pagamenti"),
            conta(r.giorni, "giorno controllato", "giorni controllati"),
        );
        if r.sostituiti > 0 {
            t.push_str(&format!(
                " {} una versione precedente.",
                conta(r.sostituiti, "sostituisce", "sostituiscono")
            ));
        }
        if r.gia_presenti > 0 {
            t.push_str(&format!(
                " {}.",
                conta(r.gia_presenti, "era già presente", "erano già presenti")
            ));
        }
        t
    };
    EsitoScaricamentoFdr {
        dal: data(r.dal),
        al: data(r.al),
        giorni: r.giorni,
        elencati: r.elencati,
        nuovi: r.nuovi,
        sostituiti: r.sostituiti,
        gia_presenti: r.gia_presenti,
        pagamenti: r.pagamenti,
        quadrature: r.quadrature,
        fino_a: data(r.fino_a),
        annullato,
        riepilogo: Riepilogo {
            livello: if annullato {
                Livello::Avviso
            } else {
                Livello::Successo
            },
            testo,
        },
    }
}

/// "Scarica flussi di rendicontazione": the FdR MyPay acquired since the last day fully
/// downloaded up to yesterday (the first time from the earliest receipt's day, at most 90 days
/// back), or those acquired from `dal` to `al` (`dd/mm/yyyy` or `yyyy-mm-dd`, both or neither;
/// the next incremental download is not affected). Progress goes to `lavoro`, whose flag stops
/// it at the next flow (then `annullato`): what was stored stays.
pub fn scarica(
    app: &App,
    dal: Option<&str>,
    al: Option<&str>,
    lavoro: &Lavoro<'_, AvanzamentoFdr>,
) -> Risultato<EsitoScaricamentoFdr> {
    let finestra = match (dal, al) {
        (None, None) => FinestraFdr::Incrementale,
        (Some(d), Some(a)) => {
            let (from, to) = (
                crate::ricevute::giorno(d, "iniziale")?,
                crate::ricevute::giorno(a, "finale")?,
            );
            if to < from {
                return Err(Errore::non_valido(
                    "la data finale è precedente a quella iniziale",
                ));
            }
            FinestraFdr::Date { from, to }
        }
        _ => {
            return Err(Errore::non_valido(
                "indichi entrambe le date (iniziale e finale) o nessuna",
            ));
        }
    };
    app.remoto(true, |desk, conn| {
        let mut on_event = |e: &Event| lavoro.segnala(AvanzamentoFdr::Evento { evento: e.clone() });
        let mut engine = conn.engine(desk, &mut on_event).with_cancel(lavoro.flag());
        match engine.download_fdr(&finestra) {
            Ok(r) => Ok(esito_scaricamento(Some(r), false)),
            Err(SyncError::Annullato) => Ok(esito_scaricamento(None, true)),
            Err(e) => Err(e.into()),
        }
    })
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    EsitoScaricamentoFdr::export_all(cfg)?;
    AvanzamentoFdr::export_all(cfg)?;
    EsitoImportazioneFdr::export_all(cfg)?;
    FdrVista::export_all(cfg)?;
    PagamentoVista::export_all(cfg)?;
    RegoleRiconciliazione::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(nome: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../mpd-tracciato/testdata/fdr/{nome}"))
    }

    #[test]
    fn import_list_and_states_through_the_app() {
        let dir = tempfile::tempdir().unwrap();
        let app = App::new(
            Some(dir.path().join("db.sqlite")),
            crate::ConnectOptions::default(),
            crate::connessione::keyring(),
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA));
        let esito = importa(&app, &[fixture("fdr-esempio.xml")]).unwrap();
        assert_eq!(esito.flussi[0].esito, EsitoFdr::Nuovo);
        assert_eq!(
            esito.riepilogo.testo,
            "1 flusso di rendicontazione importato con 3 pagamenti."
        );
        let di_nuovo = importa(&app, &[fixture("fdr-esempio.xml")]).unwrap();
        assert_eq!(di_nuovo.riepilogo.livello, Livello::Avviso);
        let fdr = elenco_fdr(&app).unwrap();
        assert_eq!(
            (fdr.len(), fdr[0].quadra, fdr[0].somma_cents),
            (1, true, 22350)
        );
        // No receipts here: the two esito-0 rows lack one, the esito-9 row reconciles.
        let anomalie = pagamenti(&app, Some("senza_ricevuta")).unwrap();
        assert_eq!(anomalie.len(), 2);
        assert!(
            anomalie
                .iter()
                .all(|p| p.anomalia && p.importo_cents.is_none())
        );
        let e = pagamenti(&app, Some("boh")).unwrap_err();
        assert_eq!(e.codice, crate::errore::Codice::Argomento);
        let r = imposta_regole(&app, None, Some(false)).unwrap();
        assert_eq!(
            (r.indice_mancante_primo, r.esito9_rendicontato),
            (true, false)
        );
        assert_eq!(regole(&app).unwrap(), r);
        assert_eq!(pagamenti(&app, Some("senza_ricevuta")).unwrap().len(), 3);
        let e = importa(&app, &[dir.path().join("manca.xml")]).unwrap_err();
        assert_eq!(e.codice, crate::errore::Codice::LetturaFile);
    }
}
