//! Flussi: building flows from the debts waiting to go, submitting them to MyPay, their
//! timeline and rejected rows, and the whole submission's report.
//!
//! A submission reports every flow's outcome ([`EsitoFlusso`]: done, refused, still processing,
//! not sent after the retries with the last error, cancelled) and the sentence that sums it up
//! ([`Riepilogo`]); the front ends only render them. A send in which some flow did not go is an
//! error-coloured summary naming those flows, and a non-zero exit in the CLI.

use mpd_client::sync::submit::FlowOutcome;
use mpd_client::{Event, SyncError};
use mpd_core::flows::BuildReport;
use mpd_core::flows::PianoVersioni;
use mpd_core::{Desk, FlussoRecord, FlussoStato};
use mpd_domain::Version;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::errore::{Codice, Errore, Risultato};
use crate::{App, Lavoro};

/// Versions of the tracciato a flow can be built in.
pub const VERSIONI: [&str; 5] = ["1_0", "1_1", "1_2", "1_3", "1_4"];
/// Most flows one submission may name.
const MAX_FLUSSI: usize = 1000;

/// A flow as the list shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FlussoRiga {
    pub id: i64,
    pub nome: String,
    /// FlussoStato code: built authorised uploaded processing done aborted.
    #[ts(type = "StatoFlusso")]
    pub stato: &'static str,
    pub etichetta: &'static str,
    pub versione: String,
    pub righe: i64,
    pub caricate: i64,
    pub scartate: i64,
    pub creato_at: String,
    pub aggiornato_at: String,
    /// File-level refusal explained in Italian.
    pub esito_messaggio: Option<String>,
    /// The state MyPay last reported (LOAD_IMPORT, IMPORT_IN_ELAB…).
    pub stato_mypay: Option<String>,
    /// The last failed step (network, MyPay down) and how many times it failed.
    pub ultimo_errore: Option<String>,
    pub tentativi: i64,
}

/// The states of a flow, as the window receives them.
#[derive(Debug, Clone, Copy, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StatoFlusso {
    Built,
    Authorised,
    Uploaded,
    Processing,
    Done,
    Aborted,
}

fn riga(desk: &Desk, f: FlussoRecord) -> Risultato<FlussoRiga> {
    let inv = desk.invio(f.id)?;
    Ok(FlussoRiga {
        id: f.id,
        nome: f.nome,
        stato: f.stato.as_str(),
        etichetta: f.stato.label_it(),
        versione: f.versione,
        righe: f.righe,
        caricate: f.righe_caricate,
        scartate: f.righe_scartate,
        creato_at: f.creato_at,
        aggiornato_at: f.aggiornato_at,
        esito_messaggio: f.esito_messaggio,
        stato_mypay: inv.stato_mypay,
        ultimo_errore: inv.ultimo_errore,
        tentativi: inv.tentativi,
    })
}

/// Every flow, newest first.
pub fn elenco(app: &App) -> Risultato<Vec<FlussoRiga>> {
    app.con_desk(|desk| desk.flows()?.into_iter().map(|f| riga(desk, f)).collect())
}

/// A step recorded in the flow's history.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EventoFlusso {
    pub at: String,
    pub azione: String,
    pub oggetto: String,
    pub dettaglio: String,
}

/// A rejected row: the clerk's source row, MyPay's code and the Italian explanation.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Scarto {
    /// Row of the flow file.
    pub riga: i64,
    pub iud: String,
    /// Row of the clerk's sheet the debt came from, if imported.
    pub sorgente_riga: Option<i64>,
    pub codice: Option<String>,
    /// Our explanation, else MyPay's own text.
    pub spiegazione: String,
    /// The debt's state now (rejected until fixed; ready once corrected).
    pub stato_dovuto: Option<&'static str>,
}

/// A flow with its recorded steps (for the timeline) and its rejected rows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DettaglioFlusso {
    pub flusso: FlussoRiga,
    /// Audit entries of the flow, oldest first (`flusso.autorizzato`, `flusso.caricato`,
    /// `flusso.in_elaborazione`, `flusso.esito`, `flusso.rifiutato`).
    pub eventi: Vec<EventoFlusso>,
    pub scarti: Vec<Scarto>,
}

fn trova(desk: &Desk, id_o_nome: &str) -> Risultato<FlussoRecord> {
    desk.flusso(id_o_nome)?.ok_or_else(|| {
        Errore::new(
            Codice::FlussoInesistente,
            format!("nessun flusso «{id_o_nome}»"),
        )
    })
}

/// The rejected rows of a flow, each explained: our explanation of the debt's refusal, else
/// MyPay's own text (a flow rejected before this version of MyPay Desk explained it).
fn scarti(desk: &Desk, flusso_id: i64) -> Risultato<Vec<Scarto>> {
    let mut out = Vec::new();
    for r in desk
        .righe_flusso(flusso_id)?
        .into_iter()
        .filter(|r| r.esito == "scartato")
    {
        let d = desk.dovuto(&r.iud)?;
        // The clerk reads an explanation, never MyPay's code (issue 13 item 17).
        let spiegazione = d
            .as_ref()
            .and_then(|d| d.rifiuto_messaggio.clone())
            .unwrap_or_else(|| {
                let codici: Vec<String> = r
                    .cod_rifiuto
                    .as_deref()
                    .unwrap_or("")
                    .split('|')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(String::from)
                    .collect();
                mpd_client::faults::explain_rifiuto(&codici, r.de_rifiuto.as_deref().unwrap_or(""))
            });
        out.push(Scarto {
            riga: r.riga,
            iud: r.iud,
            sorgente_riga: r.sorgente_riga,
            codice: r.cod_rifiuto,
            spiegazione,
            stato_dovuto: d.map(|d| d.stato.as_str()),
        });
    }
    Ok(out)
}

/// One flow, by id or name: its timeline events and its rejected rows with their explanation.
pub fn dettaglio(app: &App, id_o_nome: &str) -> Risultato<DettaglioFlusso> {
    if id_o_nome.trim().is_empty() || id_o_nome.starts_with('-') || id_o_nome == "0" {
        return Err(Errore::argomento("identificativo di flusso non valido"));
    }
    app.con_desk(|desk| {
        let f = trova(desk, id_o_nome)?;
        let id = f.id;
        let eventi = desk
            .audit_flusso(id)?
            .into_iter()
            .map(|a| EventoFlusso {
                at: a.at,
                azione: a.azione,
                oggetto: a.oggetto,
                dettaglio: a.dettaglio,
            })
            .collect();
        Ok(DettaglioFlusso {
            flusso: riga(desk, f)?,
            eventi,
            scarti: scarti(desk, id)?,
        })
    })
}

/// The version of the tracciato asked for (default 1_4).
pub fn versione(v: Option<&str>) -> Risultato<Version> {
    let v = v.unwrap_or("1_4");
    if !VERSIONI.contains(&v) {
        return Err(Errore::argomento(format!(
            "versione del tracciato «{v}» sconosciuta: le versioni sono 1_0, 1_1, 1_2, 1_3 e 1_4"
        )));
    }
    Version::parse(v)
        .ok_or_else(|| Errore::argomento(format!("versione del tracciato «{v}» sconosciuta")))
}

/// The versions new flows go out in (issue 15): the one asked for, else the platform's
/// default (1_4 on MyPay; 1_3 where 1_4 is refused, by the platform's setting or because a
/// server was seen refusing it); debts with a secondary beneficiary in 1_4 where the platform
/// takes it, else left waiting with the reason.
pub fn piano(app: &App, desk: &Desk, v: Option<&str>) -> Risultato<PianoVersioni> {
    let p = crate::connessione::resolve_piattaforma(desk, app.opzioni())?;
    let opzioni = mpd_client::OpzioniPiattaforma::carica(desk, p);
    let osservate = mpd_client::piattaforma::versioni_osservate(desk);
    let rifiuta = |v: Version| opzioni.rifiuta(v, &osservate);
    let base = match v {
        Some(_) => {
            let v = versione(v)?;
            if rifiuta(v) {
                return Err(Errore::new(
                    Codice::NonConsentito,
                    format!(
                        "il tracciato {v} non è accettato dalla piattaforma del Suo Ente ({}): \
                         prepari i flussi senza indicare la versione, MyPay Desk sceglie quella accettata",
                        p.label_it()
                    ),
                ));
            }
            v
        }
        None if rifiuta(opzioni.versione_predefinita) => Version::V1_3,
        None => opzioni.versione_predefinita,
    };
    let multibeneficiario = if base >= Version::V1_4 {
        Ok(base)
    } else if !rifiuta(Version::V1_4) {
        Ok(Version::V1_4)
    } else {
        Err(
            "ha un ente secondario (multibeneficiario), che richiede il tracciato 1_4: la \
             piattaforma del Suo Ente per ora non lo accetta. Il dovuto resta in attesa finché la \
             Regione non abilita il tracciato che lo accoglie; se è urgente, lo crei senza ente \
             secondario"
                .to_string(),
        )
    };
    Ok(PianoVersioni {
        base,
        multibeneficiario,
    })
}

/// A flow just built.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FlussoPreparato {
    pub id: i64,
    pub nome: String,
    pub percorso: String,
    pub righe: usize,
    pub byte_zip: u64,
    pub byte_csv: u64,
}

/// One problem of a row, as the clerk reads it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Problema {
    /// MyPay's rule code or ours (for the log and scripts; the window does not show it).
    pub codice: String,
    /// The column header, as in the file.
    pub campo: Option<String>,
    pub valore: Option<String>,
    pub messaggio: String,
    /// It stops the row (else a warning).
    pub grave: bool,
}

impl From<mpd_core::import::Problem> for Problema {
    fn from(p: mpd_core::import::Problem) -> Problema {
        Problema {
            codice: p.codice,
            campo: p.campo,
            valore: p.valore,
            messaggio: p.messaggio,
            grave: p.grave,
        }
    }
}

/// A debt left out of the flows, and why (it stays waiting).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Escluso {
    pub riga: usize,
    pub iud: String,
    pub problemi: Vec<Problema>,
}

/// What "Prepara i flussi" did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Preparazione {
    pub versione: String,
    pub flussi: Vec<FlussoPreparato>,
    pub righe_i: usize,
    pub righe_m: usize,
    pub righe_a: usize,
    pub esclusi: Vec<Escluso>,
    pub riepilogo: Riepilogo,
}

/// The sentence shown when flows are prepared.
fn riepilogo_preparazione(flussi: usize, righe: usize, esclusi: usize) -> Riepilogo {
    if flussi == 0 && esclusi == 0 {
        return Riepilogo {
            livello: Livello::Avviso,
            testo: "Nessun dovuto pronto da inviare.".into(),
        };
    }
    let mut testo = format!(
        "Preparati {} con {}",
        n(flussi, "flusso", "flussi"),
        n(righe, "riga", "righe")
    );
    if esclusi > 0 {
        testo.push_str(&format!(
            "; {} da correggere.",
            n(esclusi, "dovuto escluso resta", "dovuti esclusi restano")
        ));
        Riepilogo {
            livello: Livello::Avviso,
            testo,
        }
    } else {
        testo.push('.');
        Riepilogo {
            livello: Livello::Successo,
            testo,
        }
    }
}

impl From<BuildReport> for Preparazione {
    fn from(r: BuildReport) -> Preparazione {
        let riepilogo = riepilogo_preparazione(
            r.flussi.len(),
            r.righe_i + r.righe_m + r.righe_a,
            r.esclusi.len(),
        );
        Preparazione {
            riepilogo,
            versione: r.versione,
            flussi: r
                .flussi
                .into_iter()
                .map(|f| FlussoPreparato {
                    id: f.id,
                    nome: f.nome,
                    percorso: f.percorso,
                    righe: f.righe,
                    byte_zip: f.byte_zip,
                    byte_csv: f.byte_csv,
                })
                .collect(),
            righe_i: r.righe_i,
            righe_m: r.righe_m,
            righe_a: r.righe_a,
            esclusi: r
                .esclusi
                .into_iter()
                .map(|e| Escluso {
                    riga: e.riga,
                    iud: e.iud,
                    problemi: e.problemi.into_iter().map(Problema::from).collect(),
                })
                .collect(),
        }
    }
}

/// The debts of one payment type waiting to go to MyPay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct GruppoDaInviare {
    /// The payment type's code.
    pub tipo: String,
    /// Its description, as the Ente named it.
    pub descrizione: String,
    /// New debts (rows `I`).
    pub nuovi: usize,
    /// Changes of debts already on MyPay (rows `M`).
    pub modifiche: usize,
    /// Cancellations of debts already on MyPay (rows `A`).
    pub annullamenti: usize,
    /// The amount of the new and changed debts, in cents.
    pub importo_cents: i64,
}

/// What "Prepara i flussi" would send: per payment type and in all (issue 13: the clerk sees
/// what goes before preparing, and may send one type only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DaInviare {
    pub tipi: Vec<GruppoDaInviare>,
    pub numero: usize,
    pub importo_cents: i64,
}

/// The debts waiting to go, grouped by payment type (sorted by code).
pub fn da_inviare(app: &App) -> Risultato<DaInviare> {
    app.con_desk(|desk| {
        let descrizioni: std::collections::HashMap<String, String> = desk
            .tipi_dovuto()?
            .into_iter()
            .map(|t| (t.codice, t.descrizione))
            .collect();
        let mut tipi: std::collections::BTreeMap<String, GruppoDaInviare> = Default::default();
        for d in desk.dovuti_da_inviare()? {
            let tipo = d.row.get(mpd_domain::Column::TipoDovuto).to_string();
            let g = tipi.entry(tipo.clone()).or_insert_with(|| GruppoDaInviare {
                descrizione: descrizioni.get(&tipo).cloned().unwrap_or_default(),
                tipo,
                nuovi: 0,
                modifiche: 0,
                annullamenti: 0,
                importo_cents: 0,
            });
            match d.azione_pendente.unwrap_or(mpd_domain::Azione::Inserimento) {
                mpd_domain::Azione::Inserimento => g.nuovi += 1,
                mpd_domain::Azione::Modifica => g.modifiche += 1,
                mpd_domain::Azione::Annullamento => g.annullamenti += 1,
            }
            if d.azione_pendente != Some(mpd_domain::Azione::Annullamento) {
                g.importo_cents += d.importo_cents;
            }
        }
        let tipi: Vec<GruppoDaInviare> = tipi.into_values().collect();
        Ok(DaInviare {
            numero: tipi
                .iter()
                .map(|g| g.nuovi + g.modifiche + g.annullamenti)
                .sum(),
            importo_cents: tipi.iter().map(|g| g.importo_cents).sum(),
            tipi,
        })
    })
}

/// "Prepara i flussi": one flow zip per batch of debts waiting to go (ready debts, pending
/// changes and cancellations) of payment type `tipo` (`None`: every type), in `versione`, into
/// `cartella` (default: next to the database). No network; a large batch takes a while, so
/// the window runs it off its thread.
pub fn prepara(
    app: &App,
    versione: Option<&str>,
    cartella: Option<&std::path::Path>,
    tipo: Option<&str>,
) -> Risultato<Preparazione> {
    let tipo = tipo.map(str::trim).filter(|t| !t.is_empty());
    let mut desk = app.desk_di_lavoro()?;
    let piano = self::piano(app, &desk, versione)?;
    if let Some(t) = tipo
        && !desk.tipi_dovuto()?.iter().any(|x| x.codice == t)
    {
        return Err(Errore::argomento(format!(
            "il tipo dovuto «{t}» non è tra quelli dell'Ente"
        )));
    }
    Ok(desk.build_flows_piano(&piano, cartella, tipo)?.into())
}

/// What a submission was asked to do.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct RichiestaInvio {
    /// Flows by id or name; empty: every unfinished flow, oldest first.
    #[serde(default)]
    pub flussi: Vec<String>,
    /// Build flows from the debts waiting to go first (the "re-send" of corrected rows).
    #[serde(default)]
    pub prepara: bool,
    /// Also download the payment notices' PDF (`_AVVISI_PDF`).
    #[serde(default)]
    pub avvisi: bool,
}

/// How one flow of a submission ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EsitoFlussoTipo {
    /// Processed by MyPay (rows loaded, maybe some rejected).
    Elaborato,
    /// Refused as a whole by MyPay.
    Rifiutato,
    /// Sent; MyPay is still processing it (the next submission resumes).
    InAttesa,
    /// Not sent: a step failed after its retries (the last error says why).
    NonInviato,
    /// Stopped by the clerk before it ended.
    Annullato,
}

/// One flow's outcome in a submission.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EsitoFlusso {
    pub id: i64,
    pub nome: String,
    pub esito: EsitoFlussoTipo,
    #[ts(type = "StatoFlusso")]
    pub stato: &'static str,
    /// The flow's state in words.
    pub stato_it: &'static str,
    pub righe: i64,
    pub caricate: i64,
    pub scartate: i64,
    /// File-level refusal explained in Italian.
    pub esito_messaggio: Option<String>,
    /// Why it was not sent (the last error after the retries).
    pub errore: Option<Errore>,
    /// The notices zip, when asked for.
    pub avvisi: Option<String>,
    /// Its rejected rows, explained.
    pub scarti: Vec<Scarto>,
}

impl EsitoFlusso {
    fn da_outcome(o: FlowOutcome, scarti: Vec<Scarto>) -> EsitoFlusso {
        let esito = match o.stato {
            FlussoStato::Aborted => EsitoFlussoTipo::Rifiutato,
            FlussoStato::Done => EsitoFlussoTipo::Elaborato,
            _ => EsitoFlussoTipo::InAttesa,
        };
        EsitoFlusso {
            id: o.id,
            nome: o.nome,
            esito,
            stato: o.stato.as_str(),
            stato_it: o.stato_it,
            righe: o.righe,
            caricate: o.caricate,
            scartate: o.scartate,
            esito_messaggio: o.esito_messaggio,
            errore: None,
            avvisi: o.avvisi,
            scarti,
        }
    }

    fn senza_esito(f: &FlussoRecord, esito: EsitoFlussoTipo, errore: Option<Errore>) -> Self {
        EsitoFlusso {
            id: f.id,
            nome: f.nome.clone(),
            esito,
            stato: f.stato.as_str(),
            stato_it: f.stato.label_it(),
            righe: f.righe,
            caricate: f.righe_caricate,
            scartate: f.righe_scartate,
            esito_messaggio: f.esito_messaggio.clone(),
            errore,
            avvisi: None,
            scarti: Vec::new(),
        }
    }
}

/// How a summary should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Livello {
    /// Everything went.
    Successo,
    /// Done, with something for the clerk to look at (rejected rows, still processing,
    /// cancelled, nothing to do).
    Avviso,
    /// Something did not go: the clerk must act or retry.
    Errore,
}

/// The sentence that sums up a piece of work, and how it should look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Riepilogo {
    pub livello: Livello,
    pub testo: String,
}

/// The report of a submission.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EsitoInvio {
    /// Flows built first (with `prepara`).
    pub flussi_preparati: usize,
    /// Every flow asked for, in order, with its outcome.
    pub flussi: Vec<EsitoFlusso>,
    /// The clerk cancelled: what was done is saved, the rest resumes next time.
    pub annullato: bool,
    pub riepilogo: Riepilogo,
}

impl EsitoInvio {
    /// The flows that did not go.
    pub fn non_inviati(&self) -> impl Iterator<Item = &EsitoFlusso> {
        self.flussi
            .iter()
            .filter(|f| f.esito == EsitoFlussoTipo::NonInviato)
    }

    /// A flow refused, a row rejected or a flow not sent: the clerk has work to do.
    pub fn da_correggere(&self) -> bool {
        self.flussi.iter().any(|f| {
            f.esito == EsitoFlussoTipo::Rifiutato
                || f.esito == EsitoFlussoTipo::NonInviato
                || f.scartate > 0
        })
    }
}

fn n(k: usize, uno: &str, tanti: &str) -> String {
    mpd_domain::testo::conta(k, uno, tanti)
}

/// The sentence shown when a submission ends, in the window and in the CLI.
pub fn riepilogo(flussi_preparati: usize, flussi: &[EsitoFlusso], annullato: bool) -> Riepilogo {
    let di = |t: EsitoFlussoTipo| flussi.iter().filter(move |f| f.esito == t);
    let mut parti: Vec<String> = Vec::new();
    if flussi_preparati > 0 {
        parti.push(format!(
            "preparati {}",
            n(flussi_preparati, "flusso", "flussi")
        ));
    }
    let elaborati: Vec<_> = di(EsitoFlussoTipo::Elaborato).collect();
    let (mut righe, mut scarti) = (0, 0);
    for f in &elaborati {
        righe += f.caricate as usize;
        scarti += f.scartate as usize;
    }
    if !elaborati.is_empty() {
        parti.push(format!(
            "{}: {}, {}",
            n(elaborati.len(), "flusso elaborato", "flussi elaborati"),
            n(righe, "riga caricata", "righe caricate"),
            n(scarti, "scartata", "scartate"),
        ));
    }
    let rifiutati = di(EsitoFlussoTipo::Rifiutato).count();
    if rifiutati > 0 {
        parti.push(format!(
            "{} da MyPay",
            n(rifiutati, "flusso rifiutato", "flussi rifiutati")
        ));
    }
    let attesa = di(EsitoFlussoTipo::InAttesa).count();
    if attesa > 0 {
        parti.push(format!(
            "{} presso MyPay (riprenderà al prossimo invio)",
            n(
                attesa,
                "flusso ancora in elaborazione",
                "flussi ancora in elaborazione"
            )
        ));
    }
    let non_inviati: Vec<&EsitoFlusso> = di(EsitoFlussoTipo::NonInviato).collect();
    let mut testo = if non_inviati.is_empty() {
        let t = if parti.is_empty() {
            "Nessun flusso da inviare".to_string()
        } else {
            parti.join("; ")
        };
        let mut c = t.chars();
        let primo = c.next().map(|c| c.to_uppercase().collect::<String>());
        format!("{}{}.", primo.unwrap_or_default(), c.as_str())
    } else {
        let nomi: Vec<&str> = non_inviati.iter().map(|f| f.nome.as_str()).collect();
        let ultimo = non_inviati
            .last()
            .and_then(|f| f.errore.as_ref())
            .map(|e| e.messaggio.clone())
            .unwrap_or_default();
        // The sentence below says that nothing is lost and when it resumes: once is enough.
        let ultimo = ultimo
            .strip_suffix(mpd_client::api::IN_CODA)
            .map(|s| s.trim_end_matches([';', ' ']).to_string())
            .unwrap_or(ultimo);
        let mut t = format!(
            "{} a MyPay: {}. {} Nulla è perso: i dovuti restano pronti e l'invio riprenderà da dove si è fermato; riprovi quando MyPay risponde.",
            if non_inviati.len() == 1 {
                "Un flusso non è stato inviato".to_string()
            } else {
                format!(
                    "{} non sono stati inviati",
                    mpd_domain::testo::conta(non_inviati.len(), "flusso", "flussi")
                )
            },
            nomi.join(", "),
            capitalizza(&ultimo, true),
        );
        if !parti.is_empty() {
            let fatto = parti.join("; ");
            t.push_str(&format!(" Fatto: {fatto}."));
        }
        t
    };
    if annullato {
        testo.push_str(" Invio annullato: quanto già fatto è salvato.");
    }
    let livello = if !non_inviati.is_empty() || rifiutati > 0 {
        Livello::Errore
    } else if annullato || attesa > 0 || scarti > 0 || flussi.is_empty() {
        Livello::Avviso
    } else {
        Livello::Successo
    };
    Riepilogo { livello, testo }
}

/// `testo` with its first letter upper case and, with `punto`, a full stop at the end.
fn capitalizza(testo: &str, punto: bool) -> String {
    let t = testo.trim();
    if t.is_empty() {
        return String::new();
    }
    let mut c = t.chars();
    let primo: String = c
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    let mut s = format!("{primo}{}", c.as_str());
    if punto && !s.ends_with('.') {
        s.push('.');
    }
    s
}

/// What a submission reports while it runs.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Avanzamento {
    /// Flow `indice` (from 1) of `totale` starts.
    Flusso {
        indice: usize,
        totale: usize,
        nome: String,
    },
    /// An engine event (step persisted, transfer progress, retry, waiting for MyPay).
    Evento { evento: Event },
}

/// `flow check`: judges a flow file (a tracciato zip) as MyPay would, without sending it.
/// A file that cannot be read, or whose name MyPay would refuse, is [`Codice::FileNonValido`].
pub fn controlla_file(app: &App, zip: &std::path::Path) -> Risultato<mpd_core::flows::CheckReport> {
    app.con_desk(|desk| match desk.check_flow(zip) {
        Ok(report) => Ok(report),
        Err(mpd_core::flows::CheckError::Core(e)) => Err(e.into()),
        Err(e) => Err(Errore::new(Codice::FileNonValido, e.to_string())),
    })
}

/// The whole job in one go (the CLI's `sync`, for scripts and scheduled runs): builds flows
/// from the debts waiting to go, takes every unfinished flow to its outcome, then downloads
/// the new receipts. A part that fails does not stop the others: the report lists its error
/// and the work stays queued. Engine events go to `lavoro`, which can stop it between steps.
pub fn sincronizza(
    app: &App,
    versione: Option<&str>,
    lavoro: &Lavoro<'_, Event>,
) -> Risultato<mpd_client::sync::SyncReport> {
    app.remoto(true, |desk, conn| {
        let piano = piano(app, desk, versione)?;
        let mut on_event = |e: &Event| lavoro.segnala(e.clone());
        let mut engine =
            mpd_client::Engine::new(desk, &conn.client, conn.config.clone(), &mut on_event)
                .with_cancel(lavoro.flag());
        Ok(engine.sync_piano(&piano)?)
    })
}

/// "Invia a MyPay": takes each flow asked for (default: every unfinished one, oldest first) to
/// its outcome; with `prepara`, builds flows from the debts waiting to go first. Progress goes
/// to `lavoro`, which can stop it between steps (the flow resumes from there next time).
///
/// Never fails because a flow did not go: that flow's outcome says why, and the report's
/// summary is an error. Fails only when nothing could start (MyPay unreachable before the first
/// flow is not that: the flow's outcome says so).
pub fn invia(
    app: &App,
    richiesta: &RichiestaInvio,
    lavoro: &Lavoro<'_, Avanzamento>,
) -> Risultato<EsitoInvio> {
    if richiesta.flussi.len() > MAX_FLUSSI {
        return Err(Errore::argomento("elenco di flussi non valido"));
    }
    app.remoto(true, |desk, conn| {
        let mut flussi_preparati = 0;
        if richiesta.prepara {
            let piano = piano(app, desk, None)?;
            flussi_preparati = desk.build_flows_piano(&piano, None, None)?.flussi.len();
        }
        let da_inviare: Vec<FlussoRecord> = if richiesta.flussi.is_empty() {
            desk.flussi_in_corso()?
        } else {
            richiesta
                .flussi
                .iter()
                .map(|f| trova(desk, f))
                .collect::<Risultato<_>>()?
        };
        let mut cfg = conn.config.clone();
        cfg.avvisi = richiesta.avvisi;
        let totale = da_inviare.len();
        let mut esiti: Vec<EsitoFlusso> = Vec::with_capacity(totale);
        let mut annullato = false;
        {
            let mut on_event =
                |e: &Event| lavoro.segnala(Avanzamento::Evento { evento: e.clone() });
            let mut engine = mpd_client::Engine::new(desk, &conn.client, cfg, &mut on_event)
                .with_cancel(lavoro.flag());
            for (i, f) in da_inviare.iter().enumerate() {
                if annullato || lavoro.annullato() {
                    annullato = true;
                    esiti.push(EsitoFlusso::senza_esito(
                        f,
                        EsitoFlussoTipo::Annullato,
                        None,
                    ));
                    continue;
                }
                lavoro.segnala(Avanzamento::Flusso {
                    indice: i + 1,
                    totale,
                    nome: f.nome.clone(),
                });
                match engine.submit_flow(f.id) {
                    Ok(o) => {
                        let scarti = scarti(engine.desk(), o.id)?;
                        esiti.push(EsitoFlusso::da_outcome(o, scarti));
                    }
                    Err(SyncError::Annullato) => {
                        annullato = true;
                        esiti.push(EsitoFlusso::senza_esito(
                            f,
                            EsitoFlussoTipo::Annullato,
                            None,
                        ));
                    }
                    Err(e) => {
                        let errore = Errore::from(e);
                        let f =
                            trova(engine.desk(), &f.id.to_string()).unwrap_or_else(|_| f.clone());
                        esiti.push(EsitoFlusso::senza_esito(
                            &f,
                            EsitoFlussoTipo::NonInviato,
                            Some(errore),
                        ));
                    }
                }
            }
        }
        let riepilogo = riepilogo(flussi_preparati, &esiti, annullato);
        Ok(EsitoInvio {
            flussi_preparati,
            flussi: esiti,
            annullato,
            riepilogo,
        })
    })
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    FlussoRiga::export_all(cfg)?;
    DaInviare::export_all(cfg)?;
    StatoFlusso::export_all(cfg)?;
    DettaglioFlusso::export_all(cfg)?;
    Preparazione::export_all(cfg)?;
    RichiestaInvio::export_all(cfg)?;
    EsitoInvio::export_all(cfg)?;
    Avanzamento::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esito(nome: &str, esito: EsitoFlussoTipo, caricate: i64, scartate: i64) -> EsitoFlusso {
        EsitoFlusso {
            id: 1,
            nome: nome.into(),
            esito,
            stato: "done",
            stato_it: "elaborato",
            righe: caricate + scartate,
            caricate,
            scartate,
            esito_messaggio: None,
            errore: (esito == EsitoFlussoTipo::NonInviato).then(|| {
                Errore::new(
                    Codice::MypayNonRaggiunto,
                    "MyPay non risponde (tempo scaduto): controlli la connessione",
                )
            }),
            avvisi: None,
            scarti: Vec::new(),
        }
    }

    #[test]
    fn a_send_that_failed_on_every_flow_is_an_error_naming_them() {
        let r = riepilogo(
            0,
            &[
                esito("c_demo-1", EsitoFlussoTipo::NonInviato, 0, 0),
                esito("c_demo-2", EsitoFlussoTipo::NonInviato, 0, 0),
            ],
            false,
        );
        assert_eq!(r.livello, Livello::Errore);
        assert!(
            r.testo.contains("2 flussi non sono stati inviati"),
            "{}",
            r.testo
        );
        assert!(r.testo.contains("c_demo-1, c_demo-2"), "{}", r.testo);
        assert!(r.testo.contains("Nulla è perso"), "{}", r.testo);
        assert!(r.testo.contains("MyPay non risponde"), "{}", r.testo);
        assert!(!r.testo.contains("Nessun flusso"), "{}", r.testo);
    }

    #[test]
    fn summaries_count_with_italian_plurals() {
        let r = riepilogo(1, &[esito("a", EsitoFlussoTipo::Elaborato, 1, 0)], false);
        assert_eq!(
            r.testo,
            "Preparati 1 flusso; 1 flusso elaborato: 1 riga caricata, 0 scartate."
        );
        assert_eq!(r.livello, Livello::Successo);
        let r = riepilogo(
            0,
            &[
                esito("a", EsitoFlussoTipo::Elaborato, 3, 2),
                esito("b", EsitoFlussoTipo::Rifiutato, 0, 0),
                esito("c", EsitoFlussoTipo::InAttesa, 0, 0),
            ],
            false,
        );
        assert_eq!(
            r.testo,
            "1 flusso elaborato: 3 righe caricate, 2 scartate; 1 flusso rifiutato da MyPay; 1 flusso ancora in elaborazione presso MyPay (riprenderà al prossimo invio)."
        );
        assert_eq!(r.livello, Livello::Errore);
        let r = riepilogo(0, &[], true);
        assert_eq!(
            r.testo,
            "Nessun flusso da inviare. Invio annullato: quanto già fatto è salvato."
        );
        assert_eq!(r.livello, Livello::Avviso);
    }

    #[test]
    fn preparing_says_how_many_flows_rows_and_left_out_debts() {
        assert_eq!(
            riepilogo_preparazione(1, 1, 0).testo,
            "Preparati 1 flusso con 1 riga."
        );
        let r = riepilogo_preparazione(2, 30, 1);
        assert_eq!(
            r.testo,
            "Preparati 2 flussi con 30 righe; 1 dovuto escluso resta da correggere."
        );
        assert_eq!(r.livello, Livello::Avviso);
        assert_eq!(
            riepilogo_preparazione(0, 0, 0).testo,
            "Nessun dovuto pronto da inviare."
        );
    }

    /// Issue 13 item 4: with MyPay unreachable every flow is reported not sent, with the last
    /// error, and the summary is an error naming them (it was a blue "Nessun flusso da
    /// inviare."); the flows stay resumable.
    #[test]
    fn with_mypay_unreachable_every_flow_is_reported_not_sent() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.sqlite");
        {
            let mut desk = Desk::open(Some(&db), &mpd_store::testing::chiave()).unwrap();
            desk.setup_demo(3).unwrap();
            desk.mark_ready(&[]).unwrap();
            desk.build_flows(Version::V1_4, None).unwrap();
        }
        let porta = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", porta.local_addr().unwrap());
        drop(porta);
        let sync = mpd_client::SyncConfig {
            retry: mpd_client::config::Backoff {
                initial: std::time::Duration::from_millis(1),
                max: std::time::Duration::from_millis(2),
                max_attempts: 2,
            },
            ..Default::default()
        };
        let opzioni = crate::ConnectOptions {
            env: Some("custom".into()),
            base_url: Some(url),
            env_password: Some("segreta".into()),
            sync: Some(sync),
            ..Default::default()
        };
        let credenziali = Box::leak(Box::new(mpd_client::MemoryStore::default()));
        let app = App::new(Some(db), opzioni, credenziali)
            .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA));
        let esito = invia(&app, &RichiestaInvio::default(), &Lavoro::muto()).unwrap();
        assert_eq!(esito.flussi.len(), 1, "{esito:?}");
        let f = &esito.flussi[0];
        assert_eq!(f.esito, EsitoFlussoTipo::NonInviato);
        assert_eq!(
            f.errore.as_ref().map(|e| e.codice),
            Some(Codice::MypayNonRaggiunto),
            "{f:?}"
        );
        assert_eq!(esito.riepilogo.livello, Livello::Errore);
        assert!(
            esito.riepilogo.testo.contains(&f.nome),
            "{}",
            esito.riepilogo.testo
        );
        assert!(esito.riepilogo.testo.contains("Nulla è perso"));
        // Said once, not twice (the network error's own reassurance is dropped).
        assert_eq!(
            esito.riepilogo.testo.matches("riprender").count(),
            1,
            "{}",
            esito.riepilogo.testo
        );
        // Still there to resume.
        assert_eq!(elenco(&app).unwrap()[0].stato, "built");
    }

    /// Issue 13 item 5: before preparing, the clerk sees what will go per payment type, and
    /// may prepare one type only.
    #[test]
    fn what_waits_is_grouped_by_type_and_one_type_can_be_prepared_alone() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("desk.sqlite");
        {
            let mut desk = Desk::open(Some(&db), &mpd_store::testing::chiave()).unwrap();
            desk.setup_demo(30).unwrap();
            desk.mark_ready(&[]).unwrap();
        }
        let app = App::new(
            Some(db),
            crate::ConnectOptions::default(),
            Box::leak(Box::new(mpd_client::MemoryStore::default())),
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA));
        let prima = da_inviare(&app).unwrap();
        assert!(prima.tipi.len() >= 2, "{prima:?}");
        assert_eq!(
            prima.numero,
            prima.tipi.iter().map(|g| g.nuovi).sum::<usize>()
        );
        assert_eq!(
            prima.importo_cents,
            prima.tipi.iter().map(|g| g.importo_cents).sum::<i64>()
        );
        let scelto = &prima.tipi[0];
        assert!(!scelto.descrizione.is_empty());
        let r = prepara(&app, None, None, Some(&scelto.tipo)).unwrap();
        assert_eq!(
            r.righe_i + r.esclusi.len(),
            scelto.nuovi,
            "only the chosen type: {r:?}"
        );
        let dopo = da_inviare(&app).unwrap();
        assert!(
            dopo.tipi
                .iter()
                .all(|g| g.tipo != scelto.tipo || g.nuovi == r.esclusi.len())
        );
        assert_eq!(
            dopo.tipi.len() + usize::from(r.esclusi.is_empty()),
            prima.tipi.len()
        );
        let e = prepara(&app, None, None, Some("NON_ESISTE")).unwrap_err();
        assert_eq!(e.codice, Codice::Argomento);
    }

    #[test]
    fn a_partial_send_says_what_went_and_what_did_not() {
        let r = riepilogo(
            0,
            &[
                esito("a", EsitoFlussoTipo::Elaborato, 5, 0),
                esito("b", EsitoFlussoTipo::NonInviato, 0, 0),
            ],
            false,
        );
        assert_eq!(r.livello, Livello::Errore);
        assert!(
            r.testo
                .starts_with("Un flusso non è stato inviato a MyPay: b."),
            "{}",
            r.testo
        );
        assert!(
            r.testo
                .contains("Fatto: 1 flusso elaborato: 5 righe caricate"),
            "{}",
            r.testo
        );
    }
}
