//! Riconciliazione (issue 16): FdR files imported or downloaded from MyPay (incremental,
//! resumable, with progress and cancel), every flow with its quadratura and treasury amount,
//! every payment with its one state and reason (up to incassato, with the treasury journal of
//! `crate::tesoreria`). The reversal proposals and the exports come later.
//!
//! Amounts go to the front ends in cents (`*_cents`), never as floats.

use std::path::PathBuf;

use mpd_core::riconciliazione::{FdrQuadrato, PagamentoRiconciliato, RigaEsaminata};
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
use crate::importa::FileCaricato;
use crate::{App, Lavoro};

/// A payment's state in the reconciliation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
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
    /// Paid, no FdR after the days the rules allow.
    NonRendicontato,
    /// The money is in the treasury with the same amount.
    Incassato,
    /// The treasury received another amount.
    IncassoDiverso,
    /// Reported, not in the treasury after the days the rules allow.
    NonIncassato,
}

impl From<Stato> for StatoPagamento {
    fn from(s: Stato) -> StatoPagamento {
        match s {
            Stato::Pagato => StatoPagamento::Pagato,
            Stato::Rendicontato => StatoPagamento::Rendicontato,
            Stato::ImportoDiverso => StatoPagamento::ImportoDiverso,
            Stato::SenzaRicevuta => StatoPagamento::SenzaRicevuta,
            Stato::Doppio => StatoPagamento::Doppio,
            Stato::NonRendicontato => StatoPagamento::NonRendicontato,
            Stato::Incassato => StatoPagamento::Incassato,
            Stato::IncassoDiverso => StatoPagamento::IncassoDiverso,
            Stato::NonIncassato => StatoPagamento::NonIncassato,
        }
    }
}

impl StatoPagamento {
    /// The state a front end named (`pagato`, `non_rendicontato`, `rendicontato`,
    /// `non_incassato`, `incassato`, `importo_diverso`, `incasso_diverso`, `senza_ricevuta`,
    /// `doppio`).
    pub fn parse(codice: &str) -> Risultato<StatoPagamento> {
        Stato::parse(codice)
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
    /// The sum of the treasury entries with its IUF (none: not in the treasury yet).
    pub importo_tesoreria_cents: Option<i64>,
    /// The treasury amount equals the declared total.
    pub incassato: bool,
    /// The treasury side in words (the bollette, or what is missing).
    pub motivo_tesoreria: String,
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
            importo_tesoreria_cents: q.incasso.importo_tesoreria_cents,
            incassato: q.incasso.incassato,
            motivo_tesoreria: q.incasso.motivo,
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

/// The most FdR files uploaded as bytes kept at once, until they are imported together.
pub const MAX_FDR_CARICATI: usize = 100;

/// Keeps the bytes of an FdR file the window received (`<input type="file">`, a drop in the
/// page) in the private temporary folder, to import it with the others by its path.
pub fn carica_fdr(app: &App, nome: &str, byte: &[u8]) -> Risultato<FileCaricato> {
    crate::importa::conserva(app, nome, byte, &["xml"], MAX_FDR_CARICATI)
}

/// One row of an FdR with the verdict on its payment.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RigaFdrVista {
    /// The row's position in the flow, from 1.
    pub numero: i64,
    pub iuv: String,
    pub iur: String,
    /// `indiceDatiSingoloPagamento`, when the flow gives it.
    pub indice: Option<u8>,
    pub importo_cents: i64,
    /// The outcome code: 0 paid, 3 revoked, 4 Stand-In, 8 Stand-In without RPT, 9 without RPT.
    pub esito: u8,
    /// `yyyy-mm-dd`.
    pub data_esito: String,
    /// The state of the payment the row reports; `None` for a revoked row (esito 3).
    pub stato: Option<StatoPagamento>,
    /// The state as the clerk reads it.
    pub etichetta: String,
    pub anomalia: bool,
    /// Why.
    pub motivo: String,
}

impl From<RigaEsaminata> for RigaFdrVista {
    fn from(r: RigaEsaminata) -> RigaFdrVista {
        let (stato, etichetta, anomalia, motivo) = match r.esame {
            Some((s, motivo)) => (
                Some(s.into()),
                s.etichetta().to_string(),
                s.anomalia(),
                motivo,
            ),
            None => (
                None,
                "revocato".to_string(),
                false,
                "il PSP lo riporta come revocato (esito 3): escluso dai totali del flusso"
                    .to_string(),
            ),
        };
        let riga = r.riga;
        RigaFdrVista {
            numero: riga.numero,
            iuv: riga.iuv,
            iur: riga.iur,
            indice: riga.indice,
            importo_cents: riga.importo_cents,
            esito: riga.esito,
            data_esito: riga.data_esito,
            stato,
            etichetta,
            anomalia,
            motivo,
        }
    }
}

/// One FdR: its quadratura and its rows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DettaglioFdr {
    pub fdr: FdrVista,
    pub righe: Vec<RigaFdrVista>,
}

/// One FdR (by its IUF, in any case) with its quadratura and every row, each with the state
/// and reason of the payment it reports.
pub fn dettaglio_fdr(app: &App, iuf: &str) -> Risultato<DettaglioFdr> {
    let iuf = iuf.trim();
    app.con_desk(|desk| {
        let d = desk.dettaglio_fdr(iuf)?.ok_or_else(|| {
            Errore::new(
                crate::errore::Codice::FlussoInesistente,
                format!("nessun flusso di rendicontazione «{iuf}» tra quelli importati"),
            )
        })?;
        Ok(DettaglioFdr {
            fdr: d.fdr.into(),
            righe: d.righe.into_iter().map(RigaFdrVista::from).collect(),
        })
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
    /// The treasury bollette that cashed it (`anno/numero`).
    pub bollette: Vec<String>,
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
            bollette: p
                .movimenti
                .iter()
                .map(|m| format!("{}/{}", m.anno, m.bolletta))
                .collect(),
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

/// Rows per page of the payments' list ([`elenco_pagamenti`]).
pub const PAGAMENTI_PER_PAGINA: usize = 50;

/// Which payments a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FiltroPagamenti {
    /// Those in a state that stops the chain ([`Stato::anomalia`]).
    Anomalie,
    Tutti,
    Stato(Stato),
}

impl FiltroPagamenti {
    fn parse(codice: &str) -> Risultato<FiltroPagamenti> {
        match codice {
            "anomalie" => Ok(FiltroPagamenti::Anomalie),
            "tutti" => Ok(FiltroPagamenti::Tutti),
            c => Stato::parse(c).map(FiltroPagamenti::Stato).ok_or_else(|| {
                Errore::argomento(format!(
                    "stato di riconciliazione sconosciuto «{c}»: i possibili sono anomalie, \
                         tutti, {}",
                    Stato::TUTTI.map(Stato::codice).join(", ")
                ))
            }),
        }
    }

    fn prende(self, s: Stato) -> bool {
        match self {
            FiltroPagamenti::Anomalie => s.anomalia(),
            FiltroPagamenti::Tutti => true,
            FiltroPagamenti::Stato(x) => x == s,
        }
    }

    fn codice(self) -> &'static str {
        match self {
            FiltroPagamenti::Anomalie => "anomalie",
            FiltroPagamenti::Tutti => "tutti",
            FiltroPagamenti::Stato(s) => s.codice(),
        }
    }
}

/// A page of the payments' list, with the totals of every payment.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ElencoPagamenti {
    /// Every state in order with its count and amount, over all payments (zero ones too).
    pub totali: Vec<crate::tesoreria::TotaleStato>,
    /// The filter applied: `anomalie`, `tutti` or a state's code.
    pub filtro: String,
    /// How many payments the filter takes.
    pub numero: usize,
    /// The page shown, from 0 (the last one when the page asked is past it).
    pub pagina: usize,
    /// How many pages the filter's payments take (at least 1).
    pub pagine: usize,
    /// The page's payments with their reasons, in the list's order (receipts newest first,
    /// then the FdR rows no receipt claims).
    pub pagamenti: Vec<PagamentoVista>,
}

/// The payments the filter `filtro` takes (`anomalie`, `tutti` or a state's code; none: the
/// anomalies when there are some, else every payment), page `pagina` of
/// [`PAGAMENTI_PER_PAGINA`] (from 0; all of them when `None`), with the totals by state of every
/// payment. The states come up to date in the store; the reasons, receipts and rows are read
/// only for the payments returned, so a page of a million payments costs their compact states,
/// not their details.
pub fn elenco_pagamenti(
    app: &App,
    filtro: Option<&str>,
    pagina: Option<usize>,
) -> Risultato<ElencoPagamenti> {
    let filtro = filtro.map(FiltroPagamenti::parse).transpose()?;
    app.con_desk(|desk| {
        let r = desk.stati_riconciliazione()?;
        let totali = crate::tesoreria::totali_stato(&r);
        let filtro = filtro.unwrap_or(if r.pagamenti.iter().any(|p| p.stato.anomalia()) {
            FiltroPagamenti::Anomalie
        } else {
            FiltroPagamenti::Tutti
        });
        let numero = r
            .pagamenti
            .iter()
            .filter(|p| filtro.prende(p.stato))
            .count();
        let (pagina, pagine, salta, prendi) = match pagina {
            Some(p) => {
                let pagine = numero.div_ceil(PAGAMENTI_PER_PAGINA).max(1);
                let p = p.min(pagine - 1);
                (p, pagine, p * PAGAMENTI_PER_PAGINA, PAGAMENTI_PER_PAGINA)
            }
            None => (0, 1, 0, numero),
        };
        let scelti: Vec<_> = r
            .pagamenti
            .into_iter()
            .filter(|p| filtro.prende(p.stato))
            .skip(salta)
            .take(prendi)
            .collect();
        Ok(ElencoPagamenti {
            totali,
            filtro: filtro.codice().to_string(),
            numero,
            pagina,
            pagine,
            pagamenti: desk
                .dettagli_pagamenti(&scelti)?
                .into_iter()
                .map(PagamentoVista::from)
                .collect(),
        })
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
    /// Flows MyPay gave that cannot be imported, set aside (their days completed all the same).
    pub scartati: Vec<FlussoScartato>,
    /// The last day whose flows are all stored (`yyyy-mm-dd`): the next download starts after.
    pub fino_a: Option<String>,
    /// The clerk stopped it: what was stored stays, the next download resumes.
    pub annullato: bool,
    pub riepilogo: Riepilogo,
}

/// A flow downloaded from MyPay that the import refused (another Ente's, unreadable).
#[derive(Debug, Clone, Serialize, TS)]
pub struct FlussoScartato {
    pub iuf: String,
    /// Its acquisition day (`yyyy-mm-dd`).
    pub giorno: String,
    /// The downloaded file, kept in the data folder's `rendicontazione/`.
    pub file: String,
    /// Why it was refused.
    pub motivo: String,
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

fn data_it(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The last day a run completed (its days are asked in order from `dal`).
fn ultimo_giorno(r: &FdrOutcome) -> Option<chrono::NaiveDate> {
    let giorni = i64::try_from(r.giorni).ok().filter(|g| *g > 0)?;
    Some(r.dal? + chrono::Duration::days(giorni - 1))
}

/// What a run that stopped before its end kept, and where the next one starts: «2 flussi di
/// rendicontazione salvati (5 pagamenti) e i giorni completi fino al 14/05/2026. Il prossimo
/// scaricamento riprende dal 15/05/2026.» An explicit range moves no mark: the same days asked
/// again skip the flows already stored.
fn cosa_resta(r: &FdrOutcome, incrementale: bool) -> String {
    let salvati = r.nuovi + r.sostituiti;
    let flussi = if salvati == 0 {
        "nessun flusso di rendicontazione salvato".to_string()
    } else {
        format!(
            "{} ({})",
            conta(
                salvati,
                "flusso di rendicontazione salvato",
                "flussi di rendicontazione salvati"
            ),
            conta(r.pagamenti, "pagamento", "pagamenti")
        )
    };
    let ultimo = ultimo_giorno(r);
    let giorni = match ultimo {
        Some(u) => format!("giorni completi fino al {}", data_it(u)),
        None => "nessun giorno completato".to_string(),
    };
    let riprende = if !incrementale {
        " Ripetendo lo scaricamento degli stessi giorni, i flussi già salvati non si scaricano di \
         nuovo."
            .to_string()
    } else {
        match ultimo.map(|u| u + chrono::Duration::days(1)).or(r.dal) {
            Some(d) => format!(" Il prossimo scaricamento riprende dal {}.", data_it(d)),
            None => " Il prossimo scaricamento riprende dal primo giorno non completato.".into(),
        }
    };
    format!("{flussi}; {giorni}.{riprende}")
}

fn esito_scaricamento(r: FdrOutcome, annullato: bool, incrementale: bool) -> EsitoScaricamentoFdr {
    let testo = if annullato {
        format!("Scaricamento interrotto: {}", cosa_resta(&r, incrementale))
    } else if r.dal.is_none() {
        "I flussi di rendicontazione sono già aggiornati a ieri.".to_string()
    } else if r.nuovi + r.sostituiti == 0 {
        let mut t = format!(
            "Nessun flusso di rendicontazione nuovo da MyPay ({}).",
            conta(r.giorni, "giorno controllato", "giorni controllati")
        );
        if r.gia_presenti > 0 {
            t.push_str(&format!(
                " {} già {}.",
                conta(
                    r.gia_presenti,
                    "flusso elencato era",
                    "flussi elencati erano"
                ),
                if r.gia_presenti == 1 {
                    "presente"
                } else {
                    "presenti"
                }
            ));
        }
        t
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
    let mut testo = testo;
    if !r.scartati.is_empty() {
        let n = r.scartati.len();
        testo.push_str(&format!(
            " {} da MyPay {}: {} qui sotto.",
            conta(n, "flusso scaricato", "flussi scaricati"),
            if n == 1 {
                "non si può importare ed è stato messo da parte"
            } else {
                "non si possono importare e sono stati messi da parte"
            },
            if n == 1 {
                "lo controlli"
            } else {
                "li controlli"
            },
        ));
    }
    let avviso = annullato || !r.scartati.is_empty();
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
        scartati: r
            .scartati
            .into_iter()
            .map(|s| FlussoScartato {
                iuf: s.iuf,
                giorno: s.giorno.format("%Y-%m-%d").to_string(),
                file: s.file,
                motivo: s.motivo,
            })
            .collect(),
        fino_a: data(r.fino_a),
        annullato,
        riepilogo: Riepilogo {
            livello: if avviso {
                Livello::Avviso
            } else {
                Livello::Successo
            },
            testo,
        },
    }
}

/// A download that failed on the way: the error as it is, without the submission's «the work
/// stays queued for the next submission» (not what happens here), followed by what the run
/// kept when it kept something.
fn errore_scaricamento(e: Errore, r: &FdrOutcome, incrementale: bool) -> Errore {
    let messaggio = e
        .messaggio
        .strip_suffix(mpd_client::api::IN_CODA)
        .map(|m| m.trim_end_matches([';', ' ']).to_string())
        .unwrap_or(e.messaggio);
    if r.nuovi + r.sostituiti == 0 && r.giorni == 0 {
        return Errore::new(e.codice, messaggio);
    }
    let resta = cosa_resta(r, incrementale);
    let mut c = resta.chars();
    let resta = c
        .next()
        .map(|p| p.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default();
    let punto = if messaggio.ends_with(['.', '!', '?']) {
        ""
    } else {
        "."
    };
    Errore::new(
        e.codice,
        format!("{messaggio}{punto} Resta salvato quanto già scaricato: {resta}"),
    )
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
    let incrementale = matches!(finestra, FinestraFdr::Incrementale);
    app.remoto(true, |desk, conn| {
        let mut on_event = |e: &Event| lavoro.segnala(AvanzamentoFdr::Evento { evento: e.clone() });
        let mut engine = conn.engine(desk, &mut on_event).with_cancel(lavoro.flag());
        let mut r = FdrOutcome::default();
        match engine.download_fdr_into(&finestra, &mut r) {
            Ok(()) => Ok(esito_scaricamento(r, false, incrementale)),
            Err(SyncError::Annullato) => Ok(esito_scaricamento(r, true, incrementale)),
            Err(e) => Err(errore_scaricamento(e.into(), &r, incrementale)),
        }
    })
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    EsitoScaricamentoFdr::export_all(cfg)?;
    FlussoScartato::export_all(cfg)?;
    AvanzamentoFdr::export_all(cfg)?;
    EsitoImportazioneFdr::export_all(cfg)?;
    FdrVista::export_all(cfg)?;
    DettaglioFdr::export_all(cfg)?;
    PagamentoVista::export_all(cfg)?;
    ElencoPagamenti::export_all(cfg)?;
    RegoleRiconciliazione::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every payment in state `stato`, with its reason.
    fn pagamenti(app: &App, stato: &str) -> Risultato<Vec<PagamentoVista>> {
        Ok(elenco_pagamenti(app, Some(stato), None)?.pagamenti)
    }

    fn giorno(s: &str) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A run from 10/05/2026 that completed three days and stored two flows.
    fn a_meta() -> FdrOutcome {
        FdrOutcome {
            dal: Some(giorno("2026-05-10")),
            al: Some(giorno("2026-05-20")),
            giorni: 3,
            elencati: 3,
            nuovi: 1,
            sostituiti: 1,
            gia_presenti: 1,
            pagamenti: 5,
            fino_a: Some(giorno("2026-05-12")),
            ..FdrOutcome::default()
        }
    }

    #[test]
    fn a_flow_set_aside_is_a_warning_with_its_reason_and_file() {
        let r = FdrOutcome {
            giorni: 3,
            fino_a: Some(giorno("2026-05-12")),
            scartati: vec![mpd_client::sync::rendicontazione::FdrScartato {
                iuf: "2026-05-11BCITITMM-1".into(),
                giorno: giorno("2026-05-11"),
                file: "/dati/rendicontazione/x.xml".into(),
                motivo: "x.xml: il flusso è per l'ente con codice fiscale 80012000826, non per \
                         questo Ente (00123456782)"
                    .into(),
            }],
            ..a_meta()
        };
        let e = esito_scaricamento(r, false, true);
        assert_eq!(e.riepilogo.livello, Livello::Avviso);
        assert!(
            e.riepilogo.testo.ends_with(
                "1 flusso scaricato da MyPay non si può importare ed è stato messo da parte: lo \
                 controlli qui sotto."
            ),
            "{}",
            e.riepilogo.testo
        );
        assert_eq!(e.scartati.len(), 1);
        assert_eq!(e.scartati[0].giorno, "2026-05-11");
        assert!(e.scartati[0].motivo.contains("80012000826"));
        assert_eq!(e.fino_a.as_deref(), Some("2026-05-12"));
        // Without one, a complete download is a success.
        assert_eq!(
            esito_scaricamento(a_meta(), false, true).riepilogo.livello,
            Livello::Successo
        );
    }

    #[test]
    fn a_cancelled_download_says_what_it_kept_and_where_the_next_resumes() {
        let e = esito_scaricamento(a_meta(), true, true);
        assert!(e.annullato);
        assert_eq!(e.riepilogo.livello, Livello::Avviso);
        assert_eq!(
            e.riepilogo.testo,
            "Scaricamento interrotto: 2 flussi di rendicontazione salvati (5 pagamenti); giorni \
             completi fino al 12/05/2026. Il prossimo scaricamento riprende dal 13/05/2026."
        );
        assert_eq!((e.nuovi, e.fino_a.as_deref()), (1, Some("2026-05-12")));
        let prima = FdrOutcome {
            dal: Some(giorno("2026-05-10")),
            ..FdrOutcome::default()
        };
        assert_eq!(
            esito_scaricamento(prima, true, true).riepilogo.testo,
            "Scaricamento interrotto: nessun flusso di rendicontazione salvato; nessun giorno \
             completato. Il prossimo scaricamento riprende dal 10/05/2026."
        );
        // Days chosen: no mark moves, the same days again skip what is stored.
        assert!(
            esito_scaricamento(a_meta(), true, false)
                .riepilogo
                .testo
                .ends_with("fino al 12/05/2026. Ripetendo lo scaricamento degli stessi giorni, i flussi già salvati non si scaricano di nuovo.")
        );
    }

    #[test]
    fn a_download_that_finds_nothing_new_says_so() {
        let r = FdrOutcome {
            nuovi: 0,
            sostituiti: 0,
            gia_presenti: 2,
            pagamenti: 0,
            ..a_meta()
        };
        let e = esito_scaricamento(r, false, false);
        assert_eq!(e.riepilogo.livello, Livello::Successo);
        assert_eq!(
            e.riepilogo.testo,
            "Nessun flusso di rendicontazione nuovo da MyPay (3 giorni controllati). 2 flussi \
             elencati erano già presenti."
        );
        let e = esito_scaricamento(a_meta(), false, true);
        assert_eq!(
            e.riepilogo.testo,
            "2 flussi di rendicontazione scaricati da MyPay (5 pagamenti, 3 giorni controllati). 1 \
             sostituisce una versione precedente. 1 era già presente."
        );
    }

    #[test]
    fn a_failed_download_keeps_the_error_and_adds_what_was_kept() {
        let rete = Errore::from(mpd_client::api::ApiError::Network("refused".into()));
        let e = errore_scaricamento(rete.clone(), &a_meta(), true);
        assert_eq!(e.codice, crate::errore::Codice::MypayNonRaggiunto);
        assert_eq!(
            e.messaggio,
            "MyPay non risponde: controlli la connessione a Internet e l'indirizzo di MyPay. Resta \
             salvato quanto già scaricato: 2 flussi di rendicontazione salvati (5 pagamenti); \
             giorni completi fino al 12/05/2026. Il prossimo scaricamento riprende dal 13/05/2026."
        );
        // Nothing done: the error alone, without the submission's queue.
        let e = errore_scaricamento(rete, &FdrOutcome::default(), true);
        assert_eq!(
            e.messaggio,
            "MyPay non risponde: controlli la connessione a Internet e l'indirizzo di MyPay"
        );
    }

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
        let anomalie = pagamenti(&app, "senza_ricevuta").unwrap();
        assert_eq!(anomalie.len(), 2);
        assert!(
            anomalie
                .iter()
                .all(|p| p.anomalia && p.importo_cents.is_none())
        );
        let e = pagamenti(&app, "boh").unwrap_err();
        assert_eq!(e.codice, crate::errore::Codice::Argomento);
        let r = imposta_regole(&app, None, Some(false)).unwrap();
        assert_eq!(
            (r.indice_mancante_primo, r.esito9_rendicontato),
            (true, false)
        );
        assert_eq!(regole(&app).unwrap(), r);
        assert_eq!(pagamenti(&app, "senza_ricevuta").unwrap().len(), 3);
        let d = dettaglio_fdr(&app, " 2024-05-14BCITITMM-S240514000123 ").unwrap();
        assert_eq!(d.righe.len(), 3);
        assert_eq!(d.righe[2].esito, 9);
        assert_eq!(d.righe[0].stato, Some(StatoPagamento::SenzaRicevuta));
        assert_eq!(d.righe[0].etichetta, "rendicontato senza ricevuta");
        let e = dettaglio_fdr(&app, "2024-05-14ALTRO-1").unwrap_err();
        assert_eq!(e.codice, crate::errore::Codice::FlussoInesistente);
        assert!(e.messaggio.contains("2024-05-14ALTRO-1"), "{}", e.messaggio);
        let caricato = carica_fdr(&app, "../flusso.XML", b"<x/>").unwrap();
        assert_eq!(caricato.nome, "flusso.XML");
        assert!(std::path::Path::new(&caricato.percorso).is_file());
        let e = carica_fdr(&app, "giornale.csv", b"a;b").unwrap_err();
        assert_eq!(e.codice, crate::errore::Codice::FileNonValido);
        assert_eq!(e.messaggio, "«giornale.csv»: si importano file .xml");
        let e = importa(&app, &[dir.path().join("manca.xml")]).unwrap_err();
        assert_eq!(e.codice, crate::errore::Codice::LetturaFile);
    }

    /// 120 receipts of yesterday (`pagato`) and `vecchie` of two months ago, never reported
    /// (`non_rendicontato`, an anomaly).
    fn app_con_pagamenti(dir: &std::path::Path, vecchie: usize) -> App {
        use chrono::TimeZone;
        let db = dir.join("desk.sqlite");
        let now = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        let mut s = mpd_store::Store::open(&db, &mpd_store::testing::chiave()).unwrap();
        let ricevuta = |i: usize, giorno: &str| mpd_store::NewRicevuta {
            iuv: format!("0126000000{i:07}"),
            iur: format!("IUR{i}"),
            iud: format!("IUD{i}"),
            importo_cents: 1000 + i as i64,
            data_esito: giorno.into(),
            esito: "0".into(),
            ..Default::default()
        };
        let ricevute = (0..120)
            .map(|i| ricevuta(i, "2026-11-30"))
            .chain((120..120 + vecchie).map(|i| ricevuta(i, "2026-10-01")));
        s.upsert_ricevute(ricevute, now).unwrap();
        drop(s);
        let credenziali = Box::leak(Box::new(mpd_client::MemoryStore::default()));
        App::new(Some(db), crate::ConnectOptions::default(), credenziali)
            .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA))
            .con_ora(now)
    }

    #[test]
    fn the_payments_list_comes_a_page_at_a_time_with_the_totals_of_all() {
        let dir = tempfile::tempdir().unwrap();
        let app = app_con_pagamenti(dir.path(), 7);
        let iuv = |e: &ElencoPagamenti| {
            e.pagamenti
                .iter()
                .map(|p| p.iuv.clone())
                .collect::<Vec<_>>()
        };
        // No filter given: the anomalies, since there are some.
        let e = elenco_pagamenti(&app, None, Some(0)).unwrap();
        assert_eq!(
            (e.filtro.as_str(), e.numero, e.pagina, e.pagine),
            ("anomalie", 7, 0, 1)
        );
        assert!(
            e.pagamenti
                .iter()
                .all(|p| p.anomalia && !p.motivo.is_empty())
        );
        let numero = |e: &ElencoPagamenti, s: StatoPagamento| {
            e.totali
                .iter()
                .find(|t| t.stato == s)
                .map(|t| (t.numero, t.importo_cents))
        };
        let importi = |r: std::ops::Range<i64>| r.map(|i| 1000 + i).sum::<i64>();
        assert_eq!(
            numero(&e, StatoPagamento::Pagato),
            Some((120, importi(0..120)))
        );
        assert_eq!(
            numero(&e, StatoPagamento::NonRendicontato),
            Some((7, importi(120..127)))
        );
        // Every payment, a page at a time: the pages are the whole list's slices.
        let tutti = iuv(&elenco_pagamenti(&app, Some("tutti"), None).unwrap());
        assert_eq!(tutti.len(), 127);
        let mut a_pagine = Vec::new();
        for p in 0..3 {
            let e = elenco_pagamenti(&app, Some("tutti"), Some(p)).unwrap();
            assert_eq!((e.numero, e.pagina, e.pagine), (127, p, 3));
            assert_eq!(e.pagamenti.len(), if p < 2 { 50 } else { 27 });
            a_pagine.extend(iuv(&e));
        }
        assert_eq!(a_pagine, tutti);
        // A page past the last is the last.
        let e = elenco_pagamenti(&app, Some("tutti"), Some(9)).unwrap();
        assert_eq!((e.pagina, e.pagamenti.len()), (2, 27));
        // One state; an empty one is one empty page.
        let e = elenco_pagamenti(&app, Some("pagato"), Some(1)).unwrap();
        assert_eq!((e.numero, e.pagine, e.pagamenti.len()), (120, 3, 50));
        assert!(
            e.pagamenti
                .iter()
                .all(|p| p.stato == StatoPagamento::Pagato)
        );
        let e = elenco_pagamenti(&app, Some("doppio"), Some(0)).unwrap();
        assert_eq!((e.numero, e.pagine, e.pagamenti.len()), (0, 1, 0));
        assert_eq!(pagamenti(&app, "non_rendicontato").unwrap().len(), 7);
        let e = elenco_pagamenti(&app, Some("boh"), Some(0)).unwrap_err();
        assert_eq!(e.codice, crate::errore::Codice::Argomento);
        assert!(
            e.messaggio.contains("anomalie, tutti, pagato"),
            "{}",
            e.messaggio
        );
        // No anomaly: every payment.
        let dir = tempfile::tempdir().unwrap();
        let e = elenco_pagamenti(&app_con_pagamenti(dir.path(), 0), None, Some(0)).unwrap();
        assert_eq!((e.filtro.as_str(), e.numero, e.pagine), ("tutti", 120, 3));
    }
}
