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
use crate::errore::{Codice, Errore, Risultato};

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
            "testo di ricerca troppo lungo (al massimo {} caratteri)",
            mpd_domain::testo::numero(MAX_TESTO)
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
    /// The position this debt is an option of (none: a debt on its own).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub posizione: Option<RigaPosizione>,
}

/// The position of a row of the list (issue 14): the list shows its options grouped.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RigaPosizione {
    pub codice: String,
    pub oggetto: String,
    /// "da pagare", "pagata in parte (1 di 3)", "pagata", "annullata", "pagamento doppio".
    pub stato: String,
    /// What the position costs: its rata unica, or its instalments together without one
    /// (cancelled options left out).
    #[ts(type = "number")]
    pub importo_cents: i64,
    /// Its options, cancelled ones included.
    pub opzioni: usize,
    /// This row's option: 0 the rata unica, 1–12 an instalment.
    pub rata: u8,
    /// "rata unica", "rata 2".
    pub etichetta: String,
}

impl RigaPosizione {
    fn di(p: &mpd_core::posizioni::PosizioneVista, iud: &str) -> Option<RigaPosizione> {
        let o = p.opzioni.iter().find(|o| o.iud == iud)?;
        let vive = p
            .opzioni
            .iter()
            .filter(|o| o.stato != DovutoStato::Cancelled);
        let importo_cents = match p.opzioni.iter().find(|o| o.rata.is_unica()) {
            Some(u) if u.stato != DovutoStato::Cancelled => u.importo_cents,
            _ => vive
                .filter(|o| !o.rata.is_unica())
                .map(|o| o.importo_cents)
                .sum(),
        };
        Some(RigaPosizione {
            codice: p.codice.clone(),
            oggetto: p.oggetto.clone(),
            stato: p.etichetta.clone(),
            importo_cents,
            opzioni: p.opzioni.len(),
            rata: o.rata.numero(),
            etichetta: o.etichetta.clone(),
        })
    }
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
            posizione: None,
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
            let con_nota = desk.con_nota(&bozze)?;
            for r in &mut righe {
                r.da_correggere = con_nota.contains(&r.iud);
            }
        }
        let iuds: Vec<String> = righe.iter().map(|r| r.iud.clone()).collect();
        let posizioni = desk.posizioni_dei_dovuti(&iuds)?;
        for r in &mut righe {
            r.posizione = posizioni
                .get(&r.iud)
                .and_then(|p| RigaPosizione::di(p, &r.iud));
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
                "{nome}: troppo lungo (al massimo {} caratteri)",
                mpd_domain::testo::numero(MAX_CAMPO)
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
            "selezioni da 1 a {} dovuti",
            mpd_domain::testo::numero(MAX_SELEZIONE)
        )));
    }
    iuds.iter()
        .map(|i| self::iud(i).map(str::to_string))
        .collect()
}

/// A debt MyPay already holds: loaded (or sent, paid, cancelled there), rejected on a change
/// of a loaded one, or in any state with an IUV MyPay generated. Its IUV and payment type
/// cannot change any more (MyPay refuses both).
pub fn su_mypay(d: &DovutoRecord) -> bool {
    let su_mypay = match d.stato {
        DovutoStato::Draft | DovutoStato::Ready => false,
        DovutoStato::Rejected => d
            .azione_pendente
            .is_some_and(|a| a != mpd_domain::Azione::Inserimento),
        DovutoStato::Sent | DovutoStato::Loaded => true,
        // Cancelled or paid: there only if it ever went (a draft cancelled here never did).
        DovutoStato::Paid | DovutoStato::Cancelled => {
            d.ultimo_flusso_id.is_some() || !d.row.get(Column::CodIuv).is_empty()
        }
    };
    // The store writes the flag as `true` or nothing.
    let iuv_di_mypay =
        !d.row.get(Column::CodIuv).is_empty() && d.row.get(Column::FlagGeneraIuv) == "true";
    su_mypay || iuv_di_mypay
}

/// On a debt MyPay already holds ([`su_mypay`]), a change of its IUV or payment type is
/// refused ([`Codice::NonConsentito`], the message starting with the field's name); a field
/// not given, or given unchanged, is fine.
///
/// [`Codice::NonConsentito`]: crate::Codice::NonConsentito
pub fn controlla_campi_fissi(d: &DovutoRecord, input: &DebtInput) -> Risultato<()> {
    if !su_mypay(d) {
        return Ok(());
    }
    let iuv = d.row.get(Column::CodIuv);
    if let Some(nuovo) = &input.iuv
        && mpd_core::input::clean_code(nuovo) != iuv
    {
        return Err(Errore::new(
            crate::Codice::NonConsentito,
            format!(
                "IUV: il dovuto «{}» è già su MyPay e questo codice non si può cambiare né togliere; \
                 per averne un altro si annulla il dovuto e se ne crea uno nuovo",
                d.iud
            ),
        ));
    }
    let tipo = d.row.get(Column::TipoDovuto);
    if let Some(nuovo) = &input.tipo_dovuto
        && !nuovo.trim().is_empty()
        && nuovo.trim() != tipo
    {
        return Err(Errore::new(
            crate::Codice::NonConsentito,
            format!(
                "tipo dovuto: il dovuto «{}» è già su MyPay e il tipo ({tipo}) non si può cambiare; \
                 per un altro si annulla il dovuto e se ne crea uno nuovo",
                d.iud
            ),
        ));
    }
    Ok(())
}

/// The stored debt `iud` (its absence is [`Codice::DovutoInesistente`]).
///
/// [`Codice::DovutoInesistente`]: crate::Codice::DovutoInesistente
fn dovuto(desk: &mpd_core::Desk, iud: &str) -> Risultato<DovutoRecord> {
    Ok(desk
        .dovuto(iud)?
        .ok_or_else(|| StoreError::DovutoNotFound(iud.to_string()))?)
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
            "IUD: non si può cambiare; annulli il dovuto «{iud}» e ne crei uno nuovo"
        )));
    }
    input.iud = Some(iud.to_string());
    app.con_desk(|desk| {
        controlla_campi_fissi(&dovuto(desk, iud)?, &input)?;
        Ok(desk.edit_debt(iud, &input)?)
    })
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
    /// MyPay already holds the debt ([`su_mypay`]): IUV and payment type are read-only.
    pub su_mypay: bool,
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
            su_mypay: false,
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
    app.con_desk(|desk| scheda_di(desk, iud))
}

/// The form of `iud` from `desk`, with [`SchedaDovuto::su_mypay`].
fn scheda_di(desk: &mpd_core::Desk, iud: &str) -> Risultato<SchedaDovuto> {
    let mut s: SchedaDovuto = desk.debt_form(iud)?.into();
    s.su_mypay = su_mypay(&dovuto(desk, iud)?);
    Ok(s)
}

/// Saves the form: the row is checked again; a draft is kept even with errors (and becomes
/// ready with `pronto` when valid), any other debt is saved only when valid.
pub fn salva(app: &App, iud: &str, campi: CampiDovuto, pronto: bool) -> Risultato<EsitoScheda> {
    let iud = self::iud(iud)?;
    let input = controlla_campi(campi.into())?;
    app.con_desk(|desk| {
        controlla_campi_fissi(&dovuto(desk, iud)?, &input)?;
        let e = desk.save_debt_form(iud, &input, pronto)?;
        Ok(EsitoScheda {
            salvato: e.salvato,
            problemi: e.problemi.into_iter().map(Segnalazione::from).collect(),
            scheda: scheda_di(desk, iud)?,
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

/// The IUDs of every debt matching the filter (its `offset` and `limit` ignored), resolved in
/// one query: what «Seleziona tutti i N del filtro» acts on, never only the rows the window
/// has loaded. More than [`MAX_SELEZIONE`] is refused, saying how many match. With `attesi`
/// (the count the clerk confirmed), a filter that now matches a different number is refused:
/// debts added or changed since then would be acted on unseen.
pub fn iud_del_filtro(
    app: &App,
    richiesta: &FiltroDovuti,
    attesi: Option<usize>,
) -> Risultato<Vec<String>> {
    let f = filtro(&FiltroDovuti {
        offset: 0,
        limit: None,
        ..richiesta.clone()
    })?;
    app.con_desk(|desk| {
        let iuds = desk.iud_dovuti(&f, MAX_SELEZIONE)?;
        if iuds.len() > MAX_SELEZIONE {
            let tutti = desk.debts_count(&f)?;
            return Err(Errore::new(
                Codice::NonConsentito,
                format!(
                    "il filtro comprende {} dovuti: se ne possono trattare al massimo {} alla volta; \
                     restringere il filtro (per stato, tipo o scadenza) e ripetere",
                    numero(tutti as usize),
                    numero(MAX_SELEZIONE)
                ),
            ));
        }
        if iuds.is_empty() {
            return Err(Errore::argomento("nessun dovuto corrisponde al filtro"));
        }
        if let Some(n) = attesi
            && n != iuds.len()
        {
            return Err(Errore::new(
                Codice::NonConsentito,
                format!(
                    "i dovuti del filtro sono cambiati: erano {}, ora sono {}; nulla è stato fatto, \
                     ricontrollare l'elenco e ripetere",
                    numero(n),
                    numero(iuds.len())
                ),
            ));
        }
        Ok(iuds)
    })
}

/// 10000 → «10.000», as the clerk reads numbers.
fn numero(n: usize) -> String {
    mpd_domain::testo::numero(n)
}

/// [`pronti`] on every debt matching the filter ([`iud_del_filtro`]).
pub fn pronti_del_filtro(
    app: &App,
    richiesta: &FiltroDovuti,
    attesi: Option<usize>,
) -> Risultato<Vec<EsitoAzione>> {
    let iuds = iud_del_filtro(app, richiesta, attesi)?;
    pronti(app, &iuds)
}

/// [`annulla`] on every debt matching the filter ([`iud_del_filtro`]).
pub fn annulla_del_filtro(
    app: &App,
    richiesta: &FiltroDovuti,
    attesi: Option<usize>,
) -> Risultato<Vec<EsitoAzione>> {
    let iuds = iud_del_filtro(app, richiesta, attesi)?;
    annulla(app, &iuds)
}

/// The columns of the export of the list: the template's first ones (so the payer and amount
/// stay where `debts export` always had them), then the IUV, the notice number and the
/// receipt's paid amount and date, then the address.
pub const INTESTAZIONI_ELENCO: [&str; 20] = [
    "IUD",
    "Stato dovuto",
    "Codice fiscale / P.IVA",
    "Tipo pagatore",
    "Cognome e nome / Ragione sociale",
    "Importo €",
    "Scadenza",
    "Tipo dovuto",
    "Causale",
    "IUV",
    "Numero avviso",
    "Importo pagato €",
    "Data pagamento",
    "Email",
    "Indirizzo",
    "Civico",
    "CAP",
    "Comune",
    "Provincia",
    "Nazione",
];
/// The columns added up in the total row: the amount and the paid amount.
const TOTALI_ELENCO: [usize; 2] = [5, 11];

/// Every debt matching the filter (its `offset` and `limit` ignored: the list as filtered, not
/// the page the window has loaded) written to the Excel file `percorso` (ending in `.xlsx`),
/// with its state, IUV, notice number and the matched receipt's paid amount and date; an
/// autofilter and a total row; formula-looking text neutralised. Read a page at a time and
/// written in constant memory. Returns how many debts.
pub fn esporta_filtrati(app: &App, richiesta: &FiltroDovuti, percorso: &Path) -> Risultato<usize> {
    use mpd_sheets::export::{Table, write_table};
    const PAGINA_EXPORT: usize = 5_000;
    if !percorso.is_absolute()
        || !percorso
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        return Err(Errore::argomento(
            "scelga un file Excel (.xlsx) con il suo percorso completo",
        ));
    }
    let f = filtro(&FiltroDovuti {
        offset: 0,
        limit: None,
        ..richiesta.clone()
    })?;
    let desk = app.desk_di_lavoro()?;
    let codice = desk
        .ente()?
        .map(|e| e.codice_segregazione)
        .unwrap_or_default();
    let mut guasto: Option<Errore> = None;
    let mut offset = 0usize;
    let pagine = std::iter::from_fn(|| {
        if guasto.is_some() {
            return None;
        }
        let pagina = DovutoFilter {
            limit: Some(PAGINA_EXPORT),
            offset,
            ..f.clone()
        };
        let letti = desk.debts(&pagina).map_err(Errore::from).and_then(|v| {
            let iuds: Vec<String> = v.iter().map(|d| d.iud.clone()).collect();
            let ricevute = desk.ricevute_dei_dovuti(&iuds)?;
            Ok((v, ricevute))
        });
        match letti {
            Ok((v, _)) if v.is_empty() => None,
            Ok((v, mut ricevute)) => {
                offset += v.len();
                Some(
                    v.into_iter()
                        .map(|d| {
                            let r = ricevute.remove(&d.iud);
                            riga_export(d, r, &codice)
                        })
                        .collect::<Vec<_>>(),
                )
            }
            Err(e) => {
                guasto = Some(e);
                None
            }
        }
    });
    let scritti = write_table(
        percorso,
        &Table {
            sheet: "Dovuti",
            headers: &INTESTAZIONI_ELENCO,
            totals: &TOTALI_ELENCO,
        },
        pagine.flatten(),
    )
    .map_err(|e| Errore::new(Codice::ScritturaFile, e.to_string()));
    match guasto {
        Some(e) => Err(e),
        None => scritti,
    }
}

/// One row of the export ([`INTESTAZIONI_ELENCO`]).
fn riga_export(
    d: DovutoRecord,
    ricevuta: Option<RicevutaRecord>,
    codice_applicazione: &str,
) -> Vec<mpd_sheets::export::ExportValue> {
    use mpd_sheets::export::ExportValue as V;
    let r = &d.row;
    let t = |s: &str| V::Text(s.to_string());
    let data = |s: &str| {
        V::Date(chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok())
    };
    let iuv = r.get(Column::CodIuv);
    let avviso = mpd_domain::iuv::notice_from_iuv(iuv, codice_applicazione).unwrap_or_default();
    let (pagato, data_pagamento) = match &ricevuta {
        Some(p) => (V::Cents(p.importo_cents), data(&p.data_esito)),
        None => (V::Text(String::new()), V::Date(None)),
    };
    vec![
        t(&d.iud),
        t(d.stato.label_it()),
        t(r.get(Column::CodiceIdentificativoUnivoco)),
        t(r.get(Column::TipoIdentificativoUnivoco)),
        t(r.get(Column::AnagraficaPagatore)),
        V::Cents(d.importo_cents),
        data(r.get(Column::DataScadenzaPagamento)),
        t(r.get(Column::TipoDovuto)),
        t(r.get(Column::CausaleVersamento)),
        t(iuv),
        V::Text(avviso),
        pagato,
        data_pagamento,
        t(r.get(Column::EmailPagatore)),
        t(r.get(Column::IndirizzoPagatore)),
        t(r.get(Column::CivicoPagatore)),
        t(r.get(Column::CapPagatore)),
        t(r.get(Column::LocalitaPagatore)),
        t(r.get(Column::ProvinciaPagatore)),
        t(r.get(Column::NazionePagatore)),
    ]
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
        let r = desk.elimina_bozze(&iuds, now)?;
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
    app.con_desk(|desk| Ok(desk.prossima_bozza_con_nota(dopo)?))
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
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA));
        app.con_desk(|d| Ok(d.setup_demo(3)?)).unwrap();
        (dir, app)
    }

    /// Issue 17 item 5: a write that finds the archive held by another writer past the busy
    /// timeout (a long import in the window while a command runs) is refused with its code and
    /// an Italian sentence saying who holds it, and changes nothing.
    #[test]
    fn a_write_while_another_holds_the_archive_says_so_in_italian() {
        let (dir, app) = app();
        let prima = elenco(&app, &FiltroDovuti::default()).unwrap();
        let blocco = mpd_store::testing::BloccoScrittura::prendi(
            &dir.path().join("desk.sqlite"),
            &mpd_store::testing::chiave(),
        )
        .unwrap();
        let iuds: Vec<String> = prima.iter().map(|d| d.dovuto.iud.clone()).collect();
        let e = elimina_bozze(&app, &iuds).unwrap_err();
        drop(blocco);
        assert_eq!(e.codice, Codice::DatabaseOccupato, "{e:?}");
        assert!(
            e.messaggio.contains("un'altra finestra o un altro comando"),
            "{}",
            e.messaggio
        );
        assert_eq!(
            elenco(&app, &FiltroDovuti::default()).unwrap().len(),
            prima.len()
        );
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
    fn on_a_debt_mypay_holds_iuv_and_type_are_fixed_and_the_form_says_so() {
        let (_dir, app) = app();
        let d = elenco(&app, &FiltroDovuti::default())
            .unwrap()
            .into_iter()
            .map(|d| d.dovuto)
            .find(|d| matches!(d.stato, DovutoStato::Draft | DovutoStato::Ready))
            .expect("a debt not sent yet");
        let tipo = d.row.get(Column::TipoDovuto).to_string();
        let cambia = |iuv: Option<&str>, tipo: Option<&str>| CampiDovuto {
            iuv: iuv.map(Into::into),
            tipo: tipo.map(Into::into),
            causale: Some("Causale cambiata".into()),
            ..Default::default()
        };
        // Not yet on MyPay: the form may still change both.
        assert!(!scheda(&app, &d.iud).unwrap().su_mypay);
        assert!(
            controlla_campi_fissi(&d, &cambia(Some("01000000000000099"), Some("ALTRO")).into())
                .is_ok()
        );

        // Created on MyPay (as the counter does): IUV and type are read-only and refused.
        let iuv = &mpd_domain::iuv::generate_iuv17("12", "01", 7).unwrap();
        app.con_desk(|desk| {
            let now = desk.now();
            Ok(desk.set_dovuto_sportello(&d.iud, DovutoStato::Loaded, Some(iuv.as_str()), now)?)
        })
        .unwrap();
        assert!(scheda(&app, &d.iud).unwrap().su_mypay);
        for (campi, campo) in [
            (cambia(Some("01000000000000099"), None), "IUV: "),
            (cambia(Some(""), None), "IUV: "),
            (cambia(None, Some("ALTRO")), "tipo dovuto: "),
        ] {
            let e = salva(&app, &d.iud, campi.clone(), false).unwrap_err();
            assert_eq!(e.codice, Codice::NonConsentito, "{}", e.messaggio);
            assert!(e.messaggio.starts_with(campo), "{}", e.messaggio);
            // The command line's edit has the same rule.
            let e = modifica(&app, &d.iud, campi.into()).unwrap_err();
            assert!(e.messaggio.starts_with(campo), "{}", e.messaggio);
        }
        // Unchanged (or not given) they are fine, and the rest is saved.
        let e = salva(&app, &d.iud, cambia(Some(iuv.as_str()), Some(&tipo)), false).unwrap();
        assert!(e.salvato, "{:?}", e.problemi);
        assert!(e.scheda.su_mypay);
        assert_eq!(e.scheda.valori["causale"], "Causale cambiata");
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

    /// A database with the Ente (segregation/application code 12), TARI and IMU debts in
    /// several states (one with an IUV17, one with a legacy IUV15, one with a formula-looking
    /// payer), a receipt paying the first one, and `altri` ready TARI debts more.
    fn app_con_dovuti(dir: &Path, altri: usize) -> App {
        use chrono::TimeZone;
        use mpd_domain::{Ente, RawRow, TipoDovuto};
        use mpd_store::{NewDovuto, NewRicevuta, Store};
        let db = dir.join("desk.sqlite");
        let now = chrono::Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
        let mut s = Store::open(&db, &mpd_store::testing::chiave()).unwrap();
        let ente = Ente {
            codice_ipa: "c_x123".into(),
            codice_fiscale: "00123456789".into(),
            denominazione: "Comune di Esempio".into(),
            codice_segregazione: "12".into(),
        };
        let tipo = |c: &str| TipoDovuto {
            codice: c.into(),
            descrizione: c.into(),
            dati_specifici_riscossione: "9/0101100IM/".into(),
            attivo: true,
            cf_anonimo: false,
            scadenza_obbligatoria: true,
            stampa_data_scadenza: false,
            causale_predefinita: None,
            importo_predefinito: None,
            scadenza_predefinita: None,
            posizioni: Default::default(),
        };
        s.save_ente(&ente, "{}", &[tipo("TARI"), tipo("IMU")], now)
            .unwrap();
        let debt = |iud: &str, nome: &str, tipo: &str, iuv: &str, cents: i64, stato| {
            let mut row = RawRow::default();
            row.set(Column::Iud, iud);
            row.set(Column::TipoIdentificativoUnivoco, "F");
            row.set(Column::CodiceIdentificativoUnivoco, "RSSMRA80A01H501U");
            row.set(Column::AnagraficaPagatore, nome);
            row.set(Column::DataScadenzaPagamento, "2026-12-31");
            row.set(Column::TipoDovuto, tipo);
            row.set(Column::CausaleVersamento, "Saldo 2026");
            row.set(Column::DatiSpecificiRiscossione, "9/0101100IM/");
            row.set(Column::CodIuv, iuv);
            NewDovuto {
                row,
                importo_cents: cents,
                commissione_cents: None,
                stato,
                sorgente: None,
                posizione: None,
            }
        };
        let mut dovuti = vec![
            debt(
                "T1",
                "ROSSI MARIO",
                "TARI",
                "12000000000000119",
                10_000,
                DovutoStato::Loaded,
            ),
            debt(
                "T2",
                "BIANCHI LAURA",
                "TARI",
                "160020399398578",
                2_550,
                DovutoStato::Loaded,
            ),
            debt(
                "T3",
                "=HYPERLINK(\"http://x\")",
                "TARI",
                "",
                1_000,
                DovutoStato::Draft,
            ),
            debt("I1", "ROSSI MARIO", "IMU", "", 50_000, DovutoStato::Draft),
            debt("I2", "VERDI ANNA", "IMU", "", 7_000, DovutoStato::Ready),
        ];
        for i in 0..altri {
            dovuti.push(debt(
                &format!("X{i}"),
                "NERI PIO",
                "TARI",
                "",
                100,
                DovutoStato::Ready,
            ));
        }
        s.insert_dovuti(&dovuti, now).unwrap();
        s.upsert_ricevute(
            [NewRicevuta {
                iuv: "12000000000000119".into(),
                iur: "IUR1".into(),
                iud: "T1".into(),
                importo_cents: 10_000,
                data_esito: "2026-10-20".into(),
                ..Default::default()
            }],
            now,
        )
        .unwrap();
        drop(s);
        App::new(
            Some(db),
            crate::ConnectOptions::default(),
            crate::connessione::keyring(),
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA))
        .con_ora(now)
    }

    fn tari() -> FiltroDovuti {
        FiltroDovuti {
            tipo: Some("TARI".into()),
            // A page's bounds are not the selection's.
            offset: 1,
            limit: Some(1),
            ..Default::default()
        }
    }

    #[test]
    fn the_selection_of_a_filter_is_every_debt_it_matches_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let app = app_con_dovuti(dir.path(), 0);
        assert_eq!(
            iud_del_filtro(&app, &tari(), None).unwrap(),
            ["T1", "T2", "T3"],
            "every TARI debt, not the page's one, no IMU"
        );
        let rossi = FiltroDovuti {
            testo: Some("mario rossi".into()),
            ..Default::default()
        };
        assert_eq!(iud_del_filtro(&app, &rossi, None).unwrap(), ["T1", "I1"]);
        // The clerk confirmed another count: nothing is done.
        let e = annulla_del_filtro(&app, &tari(), Some(2)).unwrap_err();
        assert_eq!(e.codice, Codice::NonConsentito);
        assert!(
            e.messaggio.contains("erano 2, ora sono 3"),
            "{}",
            e.messaggio
        );
        let bozze_tari = FiltroDovuti {
            stato: Some("bozza".into()),
            ..tari()
        };
        let esiti = annulla_del_filtro(&app, &bozze_tari, Some(1)).unwrap();
        assert_eq!(esiti.len(), 1);
        assert_eq!((esiti[0].iud.as_str(), esiti[0].ok), ("T3", true));
        let stati: Vec<(String, &str)> = elenco(&app, &FiltroDovuti::default())
            .unwrap()
            .into_iter()
            .map(|d| (d.dovuto.iud, d.dovuto.stato.as_str()))
            .collect();
        assert!(stati.contains(&("T3".into(), "cancelled")), "{stati:?}");
        assert!(
            stati.contains(&("I1".into(), "draft")),
            "the IMU draft untouched: {stati:?}"
        );
        let esiti = pronti_del_filtro(
            &app,
            &FiltroDovuti {
                stato: Some("draft".into()),
                ..Default::default()
            },
            Some(1),
        )
        .unwrap();
        assert_eq!(esiti[0].iud, "I1");
        let e = iud_del_filtro(&app, &bozze_tari, None).unwrap_err();
        assert_eq!(e.codice, Codice::Argomento, "{}", e.messaggio);
    }

    #[test]
    fn a_filter_wider_than_the_cap_is_refused_with_its_count() {
        let dir = tempfile::tempdir().unwrap();
        let app = app_con_dovuti(dir.path(), MAX_SELEZIONE);
        let e = annulla_del_filtro(&app, &tari(), None).unwrap_err();
        assert_eq!(e.codice, Codice::NonConsentito);
        assert!(
            e.messaggio.contains("10.003 dovuti") && e.messaggio.contains("al massimo 10.000"),
            "{}",
            e.messaggio
        );
        assert_eq!(
            elenco(
                &app,
                &FiltroDovuti {
                    stato: Some("cancelled".into()),
                    ..Default::default()
                }
            )
            .unwrap()
            .len(),
            0,
            "nothing cancelled"
        );
        assert_eq!(numero(1), "1");
        assert_eq!(numero(1_234_567), "1.234.567");
    }

    #[test]
    fn the_export_has_every_filtered_debt_with_its_notice_and_receipt() {
        use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
        let dir = tempfile::tempdir().unwrap();
        // More than a page of the list the window loads (200), fewer than a page of the export.
        let app = app_con_dovuti(dir.path(), 250);
        let percorso = dir.path().join("dovuti.xlsx");
        let e = esporta_filtrati(&app, &tari(), Path::new("dovuti.xlsx")).unwrap_err();
        assert_eq!(e.codice, Codice::Argomento, "a relative path");
        let n = esporta_filtrati(&app, &tari(), &percorso).unwrap();
        assert_eq!(n, 3 + 250);
        let mut wb: Xlsx<_> = open_workbook(&percorso).unwrap();
        assert_eq!(wb.sheet_names(), ["Dovuti"]);
        let foglio = wb.worksheet_range("Dovuti").unwrap();
        let righe: Vec<Vec<Data>> = foglio.rows().map(<[Data]>::to_vec).collect();
        assert_eq!(
            righe.len(),
            1 + 253 + 1,
            "headers, every TARI debt, the total"
        );
        let intestazioni: Vec<String> = righe[0].iter().map(|c| c.to_string()).collect();
        assert_eq!(intestazioni, INTESTAZIONI_ELENCO);
        let col = |h: &str| INTESTAZIONI_ELENCO.iter().position(|x| *x == h).unwrap();
        let riga = |iud: &str| {
            righe
                .iter()
                .find(|r| r[0] == Data::String(iud.into()))
                .unwrap_or_else(|| panic!("{iud} missing"))
        };
        assert!(
            righe
                .iter()
                .all(|r| r[col("Tipo dovuto")] != Data::String("IMU".into()))
        );
        let t1 = riga("T1");
        assert_eq!(t1[col("Stato dovuto")], Data::String("pagato".into()));
        assert_eq!(t1[col("IUV")], Data::String("12000000000000119".into()));
        assert_eq!(
            t1[col("Numero avviso")],
            Data::String("312000000000000119".into())
        );
        assert_eq!(t1[col("Importo pagato €")], Data::Float(100.0));
        assert_eq!(
            t1[col("Data pagamento")].as_date(),
            chrono::NaiveDate::from_ymd_opt(2026, 10, 20)
        );
        let t2 = riga("T2");
        assert_eq!(
            t2[col("Numero avviso")],
            Data::String("012160020399398578".into())
        );
        assert_eq!(t2[col("Importo pagato €")], Data::Empty);
        assert_eq!(t2[col("Importo €")], Data::Float(25.5));
        let t3 = riga("T3");
        assert_eq!(
            t3[col("Cognome e nome / Ragione sociale")],
            Data::String("'=HYPERLINK(\"http://x\")".into())
        );
        assert_eq!(t3[col("Numero avviso")], Data::Empty);
        let totale = righe.last().unwrap();
        assert_eq!(totale[0], Data::String("Totale".into()));
        assert_eq!(
            totale[col("Importo €")],
            Data::Float(100.0 + 25.5 + 10.0 + 250.0)
        );
        assert_eq!(totale[col("Importo pagato €")], Data::Float(100.0));
        let formule = wb.worksheet_formula("Dovuti").unwrap();
        assert!(
            formule
                .rows()
                .flatten()
                .any(|f| f.starts_with("SUBTOTAL(109,F2:F254")),
            "the total follows Excel's filter"
        );
    }
}
