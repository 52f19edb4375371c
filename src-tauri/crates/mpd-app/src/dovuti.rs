//! Dovuti: the debts as a paged, filtered list (the window's virtualized table) or a whole list
//! (scripts), the edit form (one debt with its problems; saving checks the row again and
//! answers field by field), adding and editing a debt from its fields, the bulk actions (mark
//! ready, cancel: one outcome per debt), the Excel export and the synthetic tracciato.
//!
//! One rule for both front ends: the filter ([`filtro`]: state by English name or Italian
//! label, dates `YYYY-MM-DD`, search text), the fields a clerk types ([`controlla_campi`]:
//! sizes, an empty type meaning the default, the IUD never changed by an edit), the selection
//! of a bulk action ([`MAX_SELEZIONE`]).

use std::collections::HashMap;
use std::path::Path;

use mpd_core::bozze;
use mpd_core::debts::DebtOutcome;
use mpd_core::input::DebtInput;
use mpd_core::{CoreError, DovutoFilter, DovutoRecord, DovutoStato, RicevutaRecord};
use mpd_domain::Column;
use mpd_store::StoreError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::App;
use crate::errore::{Errore, Risultato};

/// The largest page the window may ask for.
pub const MAX_PAGINA: usize = 500;
/// The most debts a bulk action takes at once.
pub const MAX_SELEZIONE: usize = 10_000;
/// The longest search text.
const MAX_TESTO: usize = 200;
/// The longest value of a field.
const MAX_CAMPO: usize = 1024;
/// The longest IUD (MyPay's limit is 35; a longer one is refused by the rules, this only
/// bounds what a front end may send).
const MAX_IUD: usize = 64;

/// The states of a debt, as the window receives them.
#[derive(Debug, Clone, Copy, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StatoDovuto {
    Draft,
    Ready,
    Sent,
    Loaded,
    Rejected,
    Paid,
    Cancelled,
}

/// The filters of a list of debts and, for a page, where it starts and how long it is.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
pub struct FiltroDovuti {
    /// The state's English name (`ready`, `paid`…) or Italian label (`pronto`, `pagato`…).
    #[ts(optional)]
    pub stato: Option<String>,
    /// Code of the payment type.
    #[ts(optional)]
    pub tipo: Option<String>,
    /// IUD, payer code or name, causale.
    #[ts(optional)]
    pub testo: Option<String>,
    /// Due date from, `YYYY-MM-DD`, inclusive.
    #[ts(optional)]
    pub scadenza_dal: Option<String>,
    /// Due date up to, `YYYY-MM-DD`, inclusive.
    #[ts(optional)]
    pub scadenza_al: Option<String>,
    pub offset: usize,
    /// At most this many debts (a page: 1 to [`MAX_PAGINA`]; a whole list: none = all).
    #[ts(optional)]
    pub limit: Option<usize>,
}

fn non_vuoto(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The state named by its English name or Italian label.
pub fn stato(s: &str) -> Risultato<DovutoStato> {
    DovutoStato::parse(s).ok_or_else(|| {
        Errore::argomento(format!(
            "stato «{s}» sconosciuto: gli stati sono draft, ready, sent, loaded, rejected, paid e cancelled \
             (o bozza, pronto, inviato, caricato, scartato, pagato, annullato)"
        ))
    })
}

/// Checks a filter and turns it into the store's: the one rule of both front ends.
pub fn filtro(f: &FiltroDovuti) -> Risultato<DovutoFilter> {
    let stato = non_vuoto(&f.stato).map(stato).transpose()?;
    let data = |d: &Option<String>, campo: &str| -> Risultato<Option<String>> {
        match non_vuoto(d) {
            None => Ok(None),
            Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|_| Some(s.to_string()))
                .map_err(|_| {
                    Errore::argomento(format!(
                        "{campo}: data «{s}» non valida (si scrive AAAA-MM-GG)"
                    ))
                }),
        }
    };
    if f.limit == Some(0) {
        return Err(Errore::argomento(
            "il numero massimo di dovuti deve essere almeno 1",
        ));
    }
    let testo = non_vuoto(&f.testo).map(str::to_string);
    if testo
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_TESTO)
    {
        return Err(Errore::argomento(format!(
            "testo di ricerca troppo lungo (al massimo {MAX_TESTO} caratteri)"
        )));
    }
    Ok(DovutoFilter {
        stato,
        tipo_dovuto: non_vuoto(&f.tipo).map(str::to_string),
        testo,
        scadenza_dal: data(&f.scadenza_dal, "scadenza dal")?,
        scadenza_al: data(&f.scadenza_al, "scadenza al")?,
        limit: f.limit,
        offset: f.offset,
    })
}

/// One row of the window's table.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RigaDovuto {
    pub iud: String,
    #[ts(type = "StatoDovuto")]
    pub stato: &'static str,
    pub etichetta: &'static str,
    pub iuv: String,
    pub codice_pagatore: String,
    pub anagrafica: String,
    /// `YYYY-MM-DD` or empty.
    pub scadenza: String,
    pub importo_cents: i64,
    pub tipo: String,
    pub causale: String,
    pub rifiuto: Option<String>,
    /// A draft with problems to fix (kept by an import, or saved with errors).
    pub da_correggere: bool,
}

impl From<DovutoRecord> for RigaDovuto {
    fn from(d: DovutoRecord) -> Self {
        let g = |c: Column| d.row.get(c).to_string();
        RigaDovuto {
            stato: d.stato.as_str(),
            etichetta: d.stato.label_it(),
            iuv: g(Column::CodIuv),
            codice_pagatore: g(Column::CodiceIdentificativoUnivoco),
            anagrafica: g(Column::AnagraficaPagatore),
            scadenza: g(Column::DataScadenzaPagamento),
            tipo: g(Column::TipoDovuto),
            causale: g(Column::CausaleVersamento),
            rifiuto: d.rifiuto_messaggio.clone(),
            da_correggere: false,
            importo_cents: d.importo_cents,
            iud: d.iud,
        }
    }
}

/// A page of debts and, for the first page, how many match in all.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PaginaDovuti {
    /// Counted on the first page only (`offset` 0): scrolling keeps the count it has.
    pub totale: Option<i64>,
    pub offset: usize,
    pub righe: Vec<RigaDovuto>,
}

/// One page of the filtered debts (from SQLite, `LIMIT`/`OFFSET`), with the total on the
/// first page.
pub fn pagina(app: &App, richiesta: &FiltroDovuti) -> Risultato<PaginaDovuti> {
    if richiesta.limit.is_none_or(|l| l == 0 || l > MAX_PAGINA) {
        return Err(Errore::argomento(format!(
            "una pagina ha da 1 a {MAX_PAGINA} righe"
        )));
    }
    let f = filtro(richiesta)?;
    app.con_desk(|desk| {
        let mut righe: Vec<RigaDovuto> =
            desk.debts(&f)?.into_iter().map(RigaDovuto::from).collect();
        let bozze: Vec<String> = righe
            .iter()
            .filter(|r| r.stato == DovutoStato::Draft.as_str())
            .map(|r| r.iud.clone())
            .collect();
        if !bozze.is_empty() {
            let con_nota = desk.store().con_nota(&bozze)?;
            for r in &mut righe {
                r.da_correggere = con_nota.contains(&r.iud);
            }
        }
        Ok(PaginaDovuti {
            // A count is a second pass over every matching debt: the first page only.
            totale: if f.offset == 0 {
                Some(desk.debts_count(&f)?)
            } else {
                None
            },
            offset: f.offset,
            righe,
        })
    })
}

/// A debt of a whole list, with the receipt matched to it (scripts).
#[derive(Debug, Clone)]
pub struct DovutoConRicevuta {
    pub dovuto: DovutoRecord,
    pub ricevuta: Option<RicevutaRecord>,
}

/// Every debt matching the filter (up to its `limit`), each with its receipt.
pub fn elenco(app: &App, richiesta: &FiltroDovuti) -> Risultato<Vec<DovutoConRicevuta>> {
    let f = filtro(richiesta)?;
    app.con_desk(|desk| {
        let dovuti = desk.debts(&f)?;
        let mut ricevute: HashMap<String, RicevutaRecord> = HashMap::new();
        if !dovuti.is_empty() {
            for r in desk.receipts(None)? {
                if let Some(iud) = r.dovuto_iud.clone() {
                    // The first one listed, as the list always showed.
                    ricevute.entry(iud).or_insert(r);
                }
            }
        }
        Ok(dovuti
            .into_iter()
            .map(|d| DovutoConRicevuta {
                ricevuta: ricevute.remove(&d.iud),
                dovuto: d,
            })
            .collect())
    })
}

/// The form's fields as the clerk typed them (`None`: leave as stored).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct CampiDovuto {
    #[ts(optional)]
    pub codice_pagatore: Option<String>,
    #[ts(optional)]
    pub tipo_pagatore: Option<String>,
    #[ts(optional)]
    pub anagrafica: Option<String>,
    #[ts(optional)]
    pub importo: Option<String>,
    #[ts(optional)]
    pub scadenza: Option<String>,
    #[ts(optional)]
    pub tipo: Option<String>,
    #[ts(optional)]
    pub causale: Option<String>,
    #[ts(optional)]
    pub email: Option<String>,
    #[ts(optional)]
    pub indirizzo: Option<String>,
    #[ts(optional)]
    pub civico: Option<String>,
    #[ts(optional)]
    pub cap: Option<String>,
    #[ts(optional)]
    pub localita: Option<String>,
    #[ts(optional)]
    pub provincia: Option<String>,
    #[ts(optional)]
    pub nazione: Option<String>,
    #[ts(optional)]
    pub iuv: Option<String>,
}

impl From<CampiDovuto> for DebtInput {
    fn from(c: CampiDovuto) -> DebtInput {
        DebtInput {
            iud: None,
            codice: c.codice_pagatore,
            tipo_pagatore: c.tipo_pagatore,
            anagrafica: c.anagrafica,
            importo: c.importo,
            scadenza: c.scadenza,
            tipo_dovuto: c.tipo,
            causale: c.causale,
            email: c.email,
            indirizzo: c.indirizzo,
            civico: c.civico,
            cap: c.cap,
            localita: c.localita,
            provincia: c.provincia,
            nazione: c.nazione,
            iuv: c.iuv,
        }
    }
}

/// Checks the fields a clerk typed, the same for the form and the command line: each at most
/// [`MAX_CAMPO`] characters (else [`Codice::NonValido`] naming the field), and an empty
/// payment type or payer type means "the default" (the only active type; deduced from the
/// code). The row itself is then checked by the core with MyPay's rules and ours.
pub fn controlla_campi(input: DebtInput) -> Risultato<DebtInput> {
    let campi: [(&str, &Option<String>); 16] = [
        ("IUD", &input.iud),
        ("codice del pagatore", &input.codice),
        ("tipo di pagatore", &input.tipo_pagatore),
        ("anagrafica", &input.anagrafica),
        ("importo", &input.importo),
        ("scadenza", &input.scadenza),
        ("tipo dovuto", &input.tipo_dovuto),
        ("causale", &input.causale),
        ("e-mail", &input.email),
        ("indirizzo", &input.indirizzo),
        ("civico", &input.civico),
        ("CAP", &input.cap),
        ("località", &input.localita),
        ("provincia", &input.provincia),
        ("nazione", &input.nazione),
        ("IUV", &input.iuv),
    ];
    for (nome, valore) in campi {
        if valore
            .as_ref()
            .is_some_and(|v| v.chars().count() > MAX_CAMPO)
        {
            return Err(Errore::non_valido(format!(
                "{nome}: troppo lungo (al massimo {MAX_CAMPO} caratteri)"
            )));
        }
    }
    if let Some(iud) = &input.iud
        && (iud.trim().is_empty() || iud.trim().chars().count() > MAX_IUD)
    {
        return Err(Errore::non_valido(format!(
            "IUD: «{iud}» non è un identificativo valido (da 1 a {MAX_IUD} caratteri)"
        )));
    }
    Ok(DebtInput {
        iud: input.iud.map(|i| i.trim().to_string()),
        tipo_pagatore: input.tipo_pagatore.filter(|t| !t.trim().is_empty()),
        tipo_dovuto: input.tipo_dovuto.filter(|t| !t.trim().is_empty()),
        ..input
    })
}

/// The IUD a front end sent, trimmed.
fn iud(iud: &str) -> Risultato<&str> {
    let t = iud.trim();
    if t.is_empty() || t.chars().count() > MAX_IUD {
        return Err(Errore::argomento("IUD non valido"));
    }
    Ok(t)
}

/// The debts of a bulk action: 1 to [`MAX_SELEZIONE`] IUDs.
fn selezione(iuds: &[String]) -> Risultato<Vec<String>> {
    if iuds.is_empty() || iuds.len() > MAX_SELEZIONE {
        return Err(Errore::argomento(format!(
            "seleziona da 1 a {MAX_SELEZIONE} dovuti"
        )));
    }
    iuds.iter()
        .map(|i| self::iud(i).map(str::to_string))
        .collect()
}

/// Adds a debt from its fields: stored ready (or as a draft with `bozza`) when valid, else the
/// problems field by field and nothing stored.
pub fn aggiungi(app: &App, campi: DebtInput, bozza: bool) -> Risultato<DebtOutcome> {
    let input = controlla_campi(campi)?;
    app.con_desk(|desk| Ok(desk.add_debt(&input, bozza)?))
}

/// Edits a debt: the fields given replace the stored ones and the whole row is checked again;
/// saved only when valid (a debt loaded on MyPay then goes out as an `M` row). The IUD of a
/// debt never changes.
pub fn modifica(app: &App, iud: &str, campi: DebtInput) -> Risultato<DebtOutcome> {
    let iud = self::iud(iud)?;
    let mut input = controlla_campi(campi)?;
    if input.iud.as_deref().is_some_and(|nuovo| nuovo != iud) {
        return Err(Errore::non_valido(format!(
            "IUD: l'IUD di un dovuto non si può cambiare: annulla il dovuto «{iud}» e creane uno nuovo"
        )));
    }
    input.iud = Some(iud.to_string());
    app.con_desk(|desk| Ok(desk.edit_debt(iud, &input)?))
}

/// One problem of a debt, tied to a form field when `chiave` is set.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Segnalazione {
    pub codice: String,
    /// The form field (`codice_pagatore`, `importo`, `scadenza`…).
    pub chiave: Option<String>,
    /// The field as the clerk knows it (the sheet's header, or the column's name).
    pub campo: Option<String>,
    /// The value as typed.
    pub valore: Option<String>,
    pub messaggio: String,
    pub grave: bool,
}

impl From<bozze::Segnalazione> for Segnalazione {
    fn from(s: bozze::Segnalazione) -> Segnalazione {
        Segnalazione {
            codice: s.codice,
            chiave: s.chiave,
            campo: s.campo,
            valore: s.valore,
            messaggio: s.messaggio,
            grave: s.grave,
        }
    }
}

/// A debt as the edit form shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SchedaDovuto {
    pub iud: String,
    #[ts(type = "StatoDovuto")]
    pub stato: &'static str,
    pub etichetta: &'static str,
    /// The clerk may change it (the store still has the last word).
    pub modificabile: bool,
    /// Form field (see [`CampiDovuto`]) → value as the clerk writes it (`1.234,56`,
    /// `31/12/2026`); a value that could not be read is shown as typed.
    #[ts(type = "Partial<Record<keyof CampiDovuto, string>>")]
    pub valori: std::collections::BTreeMap<&'static str, String>,
    /// Current problems (a draft's note, else the rules applied now).
    pub problemi: Vec<Segnalazione>,
    /// `file.xlsx, riga 7` for a debt that came from an import.
    pub origine: Option<String>,
    /// MyPay's rejection, if any.
    pub rifiuto: Option<String>,
    /// A draft with no error: it can be marked ready.
    pub pronto_possibile: bool,
}

impl From<bozze::SchedaDovuto> for SchedaDovuto {
    fn from(s: bozze::SchedaDovuto) -> SchedaDovuto {
        SchedaDovuto {
            iud: s.iud,
            stato: s.stato.as_str(),
            etichetta: s.etichetta,
            modificabile: s.modificabile,
            valori: s.valori,
            problemi: s.problemi.into_iter().map(Segnalazione::from).collect(),
            origine: s.origine,
            rifiuto: s.rifiuto,
            pronto_possibile: s.pronto_possibile,
        }
    }
}

/// What saving the form did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EsitoScheda {
    pub salvato: bool,
    /// Problems of what was sent (errors stopped a non-draft debt from being saved).
    pub problemi: Vec<Segnalazione>,
    /// The debt as stored now.
    pub scheda: SchedaDovuto,
}

/// One debt for the edit form: its values as the clerk writes them and its current problems.
pub fn scheda(app: &App, iud: &str) -> Risultato<SchedaDovuto> {
    let iud = self::iud(iud)?;
    app.con_desk(|desk| Ok(desk.debt_form(iud)?.into()))
}

/// Saves the form: the row is checked again; a draft is kept even with errors (and becomes
/// ready with `pronto` when valid), any other debt is saved only when valid.
pub fn salva(app: &App, iud: &str, campi: CampiDovuto, pronto: bool) -> Risultato<EsitoScheda> {
    let iud = self::iud(iud)?;
    let input = controlla_campi(campi.into())?;
    app.con_desk(|desk| {
        let e = desk.save_debt_form(iud, &input, pronto)?;
        Ok(EsitoScheda {
            salvato: e.salvato,
            problemi: e.problemi.into_iter().map(Segnalazione::from).collect(),
            scheda: e.scheda.into(),
        })
    })
}

/// The outcome of a bulk action on one debt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EsitoAzione {
    pub iud: String,
    pub ok: bool,
    pub messaggio: String,
}

impl From<bozze::EsitoAzione> for EsitoAzione {
    fn from(e: bozze::EsitoAzione) -> EsitoAzione {
        EsitoAzione {
            iud: e.iud,
            ok: e.ok,
            messaggio: e.messaggio,
        }
    }
}

/// «Segna come pronti»: drafts without problems become ready (in one transaction); a draft
/// with problems stays a draft and says why; one outcome per debt, in order.
pub fn pronti(app: &App, iuds: &[String]) -> Risultato<Vec<EsitoAzione>> {
    let iuds = selezione(iuds)?;
    app.con_desk(|desk| {
        Ok(desk
            .mark_ready_checked(&iuds)?
            .into_iter()
            .map(EsitoAzione::from)
            .collect())
    })
}

/// Every draft marked ready as [`pronti`] does (those with problems stay drafts).
pub fn bozze_pronte(app: &App) -> Risultato<Vec<EsitoAzione>> {
    app.con_desk(|desk| {
        let bozze: Vec<String> = desk
            .debts(&DovutoFilter {
                stato: Some(DovutoStato::Draft),
                ..Default::default()
            })?
            .into_iter()
            .map(|d| d.iud)
            .collect();
        Ok(desk
            .mark_ready_checked(&bozze)?
            .into_iter()
            .map(EsitoAzione::from)
            .collect())
    })
}

/// «Annulla»: each debt cancelled at once if it never went to MyPay, or its cancellation
/// queued for the next flow (an `A` row); a locked or unknown one says why. One outcome per
/// debt, in order.
pub fn annulla(app: &App, iuds: &[String]) -> Risultato<Vec<EsitoAzione>> {
    let iuds = selezione(iuds)?;
    app.con_desk(|desk| {
        let mut out = Vec::with_capacity(iuds.len());
        for iud in iuds {
            let (ok, messaggio) = match desk.cancel_debt(&iud) {
                Ok(d) if d.stato == DovutoStato::Cancelled => (
                    true,
                    "annullato (non era mai stato inviato a MyPay)".to_string(),
                ),
                Ok(_) => (
                    true,
                    "l'annullamento partirà con il prossimo flusso (riga A)".to_string(),
                ),
                Err(CoreError::Store(
                    e @ (StoreError::NotAllowed(_) | StoreError::DovutoNotFound(_)),
                )) => (false, e.to_string()),
                Err(e) => return Err(e.into()),
            };
            out.push(EsitoAzione { iud, ok, messaggio });
        }
        Ok(out)
    })
}

/// A debt «Elimina bozze» did not delete, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BozzaRifiutata {
    pub iud: String,
    pub motivo: String,
}

/// What «Elimina bozze» did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BozzeEliminate {
    /// The IUDs deleted, in the order given.
    pub eliminate: Vec<String>,
    /// The IUDs not deleted (not a draft, already sent, with an IUV, unknown), with the reason.
    pub rifiutate: Vec<BozzaRifiutata>,
}

/// «Elimina bozze»: deletes, in one transaction, the selected drafts that MyPay has never
/// heard of (never in a flow, no IUV); every other debt is refused with its reason and stays
/// as it is (it can only be cancelled).
pub fn elimina_bozze(app: &App, iuds: &[String]) -> Risultato<BozzeEliminate> {
    let iuds = selezione(iuds)?;
    app.con_desk(|desk| {
        let now = desk.now();
        let r = desk.store_mut().elimina_bozze(&iuds, now)?;
        Ok(BozzeEliminate {
            eliminate: r.eliminate,
            rifiutate: r
                .rifiutate
                .into_iter()
                .map(|x| BozzaRifiutata {
                    iud: x.iud,
                    motivo: x.motivo,
                })
                .collect(),
        })
    })
}

/// «Successiva da correggere»: the IUD of the next draft with problems after `dopo` (going
/// round to the first), never `dopo` itself; `None` when no other draft has problems.
pub fn successiva_da_correggere(app: &App, dopo: &str) -> Risultato<Option<String>> {
    let dopo = iud(dopo)?;
    app.con_desk(|desk| Ok(desk.store().prossima_bozza_con_nota(dopo)?))
}

/// The debts matching the filter written to an Excel file at `percorso`; how many.
pub fn esporta(app: &App, percorso: &Path, richiesta: &FiltroDovuti) -> Risultato<usize> {
    let f = filtro(richiesta)?;
    app.con_desk(|desk| Ok(desk.export_debts_xlsx(percorso, &f)?))
}

/// A tracciato CSV of `quanti` synthetic debts for the stored Ente (or a demo one), in
/// `versione` (default 1_4), reproducible with `seme`; how many rows were written.
pub fn genera(
    app: &App,
    percorso: &Path,
    versione: Option<&str>,
    quanti: usize,
    seme: u64,
) -> Risultato<usize> {
    let v = crate::flussi::versione(versione)?;
    app.con_desk(|desk| Ok(desk.generate_debts_csv(percorso, v, quanti, seme)?))
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    StatoDovuto::export_all(cfg)?;
    FiltroDovuti::export_all(cfg)?;
    PaginaDovuti::export_all(cfg)?;
    CampiDovuto::export_all(cfg)?;
    SchedaDovuto::export_all(cfg)?;
    EsitoScheda::export_all(cfg)?;
    EsitoAzione::export_all(cfg)?;
    BozzeEliminate::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Codice;

    #[test]
    fn the_filter_refuses_an_unknown_state_and_accepts_both_names() {
        let e = filtro(&FiltroDovuti {
            stato: Some("boh".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.codice, Codice::Argomento);
        assert!(e.messaggio.contains("«boh»"), "{}", e.messaggio);
        assert!(e.messaggio.contains("ready"), "{}", e.messaggio);
        for (s, atteso) in [
            ("pagato", DovutoStato::Paid),
            (" ready ", DovutoStato::Ready),
        ] {
            let f = filtro(&FiltroDovuti {
                stato: Some(s.into()),
                scadenza_dal: Some("2026-01-31".into()),
                limit: Some(100),
                ..Default::default()
            })
            .unwrap();
            assert_eq!(f.stato, Some(atteso));
            assert_eq!(f.limit, Some(100));
        }
        let vuoto = filtro(&FiltroDovuti {
            stato: Some(" ".into()),
            testo: Some("".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!((vuoto.stato, vuoto.testo, vuoto.limit), (None, None, None));
        for bad in [
            FiltroDovuti {
                limit: Some(0),
                ..Default::default()
            },
            FiltroDovuti {
                scadenza_al: Some("31/01/2026".into()),
                ..Default::default()
            },
            FiltroDovuti {
                testo: Some("x".repeat(201)),
                ..Default::default()
            },
        ] {
            assert_eq!(filtro(&bad).unwrap_err().codice, Codice::Argomento);
        }
    }

    fn app() -> (tempfile::TempDir, App) {
        let dir = tempfile::tempdir().unwrap();
        let app = App::new(
            Some(dir.path().join("desk.sqlite")),
            crate::ConnectOptions::default(),
            crate::connessione::keyring(),
        );
        app.con_desk(|d| Ok(d.setup_demo(3)?)).unwrap();
        (dir, app)
    }

    #[test]
    fn only_never_sent_drafts_are_deleted_and_the_next_draft_to_fix_is_found() {
        let (_dir, app) = app();
        let tutti = elenco(&app, &FiltroDovuti::default()).unwrap();
        let iuds: Vec<String> = tutti.iter().map(|d| d.dovuto.iud.clone()).collect();
        app.con_desk(|d| Ok(d.mark_ready(&iuds[..1])?)).unwrap();
        let tutti = elenco(&app, &FiltroDovuti::default()).unwrap();
        let prima = iuds.len();
        let r = elimina_bozze(&app, &iuds).unwrap();
        let bozze: Vec<&String> = tutti
            .iter()
            .filter(|d| {
                d.dovuto.stato == DovutoStato::Draft && d.dovuto.row.get(Column::CodIuv).is_empty()
            })
            .map(|d| &d.dovuto.iud)
            .collect();
        assert_eq!(r.eliminate.iter().collect::<Vec<_>>(), bozze);
        assert_eq!(r.eliminate.len() + r.rifiutate.len(), prima);
        assert!(r.rifiutate.iter().all(|x| !x.motivo.is_empty()));
        let dopo = elenco(&app, &FiltroDovuti::default()).unwrap();
        assert_eq!(dopo.len(), prima - r.eliminate.len());
        assert!(dopo.iter().all(|d| !r.eliminate.contains(&d.dovuto.iud)));
        assert_eq!(
            elimina_bozze(&app, &[]).unwrap_err().codice,
            Codice::Argomento
        );
        assert_eq!(
            successiva_da_correggere(&app, " ").unwrap_err().codice,
            Codice::Argomento
        );
    }

    #[test]
    fn a_page_is_bounded_and_counted_on_the_first_page() {
        let (_dir, app) = app();
        for limit in [None, Some(0), Some(MAX_PAGINA + 1)] {
            let e = pagina(
                &app,
                &FiltroDovuti {
                    limit,
                    ..Default::default()
                },
            )
            .unwrap_err();
            assert_eq!(e.codice, Codice::Argomento);
        }
        let p = pagina(
            &app,
            &FiltroDovuti {
                limit: Some(2),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(p.righe.len(), 2);
        assert!(p.totale.is_some_and(|t| t >= 2));
        let e = pagina(
            &app,
            &FiltroDovuti {
                stato: Some("boh".into()),
                limit: Some(10),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.codice, Codice::Argomento);
    }

    #[test]
    fn a_field_too_long_is_not_valid_and_names_the_field() {
        let (_dir, app) = app();
        let iud = elenco(&app, &FiltroDovuti::default()).unwrap()[0]
            .dovuto
            .iud
            .clone();
        let e = salva(
            &app,
            &iud,
            CampiDovuto {
                causale: Some("x".repeat(2000)),
                ..Default::default()
            },
            false,
        )
        .unwrap_err();
        assert_eq!(e.codice, Codice::NonValido);
        assert!(e.messaggio.starts_with("causale:"), "{}", e.messaggio);
        // The command line's way in has the same rule.
        let e = aggiungi(
            &app,
            DebtInput {
                anagrafica: Some("x".repeat(2000)),
                ..Default::default()
            },
            false,
        )
        .unwrap_err();
        assert_eq!(e.codice, Codice::NonValido);
        assert!(e.messaggio.starts_with("anagrafica:"), "{}", e.messaggio);
        // An edit never changes the IUD.
        let e = modifica(
            &app,
            &iud,
            DebtInput {
                iud: Some("ALTRO".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.codice, Codice::NonValido);
        assert!(e.messaggio.starts_with("IUD:"), "{}", e.messaggio);
    }

    #[test]
    fn an_empty_type_means_the_default_and_selections_are_bounded() {
        let input = controlla_campi(
            CampiDovuto {
                importo: Some("1.234,56".into()),
                tipo: Some(" ".into()),
                ..Default::default()
            }
            .into(),
        )
        .unwrap();
        assert_eq!(input.importo.as_deref(), Some("1.234,56"));
        assert_eq!(input.tipo_dovuto, None);
        assert!(selezione(&[]).is_err());
        assert!(selezione(&[" ".into()]).is_err());
        assert!(selezione(&vec!["A".into(); MAX_SELEZIONE + 1]).is_err());
        assert_eq!(selezione(&[" A1 ".into()]).unwrap(), vec!["A1".to_string()]);
    }

    #[test]
    fn bulk_actions_answer_for_each_debt() {
        let (_dir, app) = app();
        let iud = elenco(&app, &FiltroDovuti::default()).unwrap()[0]
            .dovuto
            .iud
            .clone();
        let e = annulla(&app, &[iud.clone(), "NESSUNO".into()]).unwrap();
        assert!(e[0].ok, "{e:?}");
        assert!(!e[1].ok, "{e:?}");
        assert_eq!(pronti(&app, &[]).unwrap_err().codice, Codice::Argomento);
        let e = pronti(&app, &[iud]).unwrap();
        assert!(!e[0].ok, "a cancelled debt is not made ready: {e:?}");
    }
}
