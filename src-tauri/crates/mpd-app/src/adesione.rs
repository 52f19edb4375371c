//! Ente e adesione: the Ente profile (the window's form, the profile file, the completeness
//! check), the adhesion documents and steps, the pagoPA taxonomy, and the tables of kinds of
//! Ente and adhesion modes both front ends offer. The regional contribution is [`crate::contributo`].
//!
//! The rules live in mpd-core (`adesione`, `adesione::modulo`) and mpd-adesione; this module
//! opens the store for them, checks what a front end passes, and turns their results into the
//! types the window and the CLI render. Messages name fields in words ("Importo", "Data"),
//! never a command-line flag: the CLI adds its own hints.

use std::path::Path;

use chrono::NaiveDate;
use mpd_core::adesione::{self as core, AdesioneCoreError, AdesioneError, Modalita, TipoEnte};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::App;
pub use crate::errore::Salvataggio;
use crate::errore::{Codice, Errore, Risultato};

pub use mpd_core::EnteView;

/// Longest text a front end may pass in a free field (descriptions, notes, references).
pub const MAX_TESTO: usize = 500;

impl From<AdesioneCoreError> for Errore {
    fn from(e: AdesioneCoreError) -> Errore {
        match e {
            AdesioneCoreError::Core(c) => c.into(),
            AdesioneCoreError::Invalid(m) => Errore::non_valido(m),
            AdesioneCoreError::Adesione(a) => {
                crate::errore::registra(&a);
                Errore::new(Codice::Adesione, a.to_string())
            }
        }
    }
}

impl From<AdesioneError> for Errore {
    fn from(e: AdesioneError) -> Errore {
        AdesioneCoreError::Adesione(e).into()
    }
}

/// `v` is at most [`MAX_TESTO`] characters long.
pub(crate) fn testo(v: &str, campo: &str) -> Risultato<()> {
    if v.chars().count() > MAX_TESTO {
        return Err(Errore::argomento(format!(
            "{campo}: al massimo {} caratteri",
            mpd_domain::testo::numero(MAX_TESTO)
        )));
    }
    Ok(())
}

/// A text that says nothing once trimmed is no text.
pub(crate) fn opzionale(s: Option<&str>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

// ---------------------------------------------------------------------------------------------
// The shared tables
// ---------------------------------------------------------------------------------------------

/// One entry of a pick list: the code files and rules use, the name the clerk reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VoceTabella {
    pub codice: String,
    pub nome: String,
}

/// The pick lists of the profile and of the what-if, from the rules' own types.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TabelleAdesione {
    /// Kinds of Ente, as the contribution rules name them.
    pub tipi_ente: Vec<VoceTabella>,
    /// Adhesion modes.
    pub modalita: Vec<VoceTabella>,
}

fn maiuscola(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(p) => p.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The kinds of Ente and the adhesion modes, in the order the lists show them.
pub fn tabelle() -> TabelleAdesione {
    TabelleAdesione {
        tipi_ente: TipoEnte::ALL
            .into_iter()
            .map(|t| VoceTabella {
                codice: t.code().into(),
                nome: maiuscola(t.nome()),
            })
            .collect(),
        modalita: Modalita::ALL
            .into_iter()
            .map(|m| VoceTabella {
                codice: m.code().into(),
                nome: maiuscola(m.nome()),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// The profile as a form
// ---------------------------------------------------------------------------------------------

/// A contact person.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ModuloReferente {
    pub nome: String,
    pub codice_fiscale: String,
    pub email: String,
    pub telefono: String,
    pub ruolo: String,
}

/// An account the Ente collects on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ModuloConto {
    pub iban: String,
    /// `tesoreria` or `postale`.
    pub tipo: String,
    pub intestatario: String,
    pub descrizione: String,
}

/// A payment type with its adhesion data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ModuloTipo {
    pub codice: String,
    pub descrizione: String,
    /// The taxonomy code as MyPay wants it: `9/0101101IM/`.
    pub tassonomia: String,
    pub attivo: bool,
    /// Anonymous payer allowed.
    pub cf_anonimo: bool,
    pub scadenza_obbligatoria: bool,
    pub stampa_data_scadenza: bool,
    pub importo_predefinito: String,
    pub causale_predefinita: String,
    pub scadenza_predefinita: String,
    pub iban: String,
    /// Accounting chapter.
    pub capitolo: String,
    /// `base`, `per-flussi`, `presso-ente` or empty (the Ente's mode).
    pub modalita: String,
    /// The postal account the type collects on: its notices get the Bollettino Postale PA.
    pub conto_postale: String,
    pub intestatario_conto_postale: String,
    /// Poste's "stampa in proprio" authorisation.
    pub autorizzazione_poste: String,
}

impl Default for ModuloTipo {
    fn default() -> Self {
        core::ModuloTipo::default().into()
    }
}

/// What the pagoPA notice says of the Ente: office, contacts, CBILL code, its own desk, the
/// logo (a file name in the data folder, set by [`ente_logo`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ModuloAvviso {
    pub settore: String,
    /// The contacts (site, phone, e-mail).
    pub info: String,
    pub cbill: String,
    /// The Ente's own desk that takes payments ("Presso lo Sportello Tributi").
    pub canale_fisico: String,
    pub logo: String,
}

macro_rules! avviso_tra {
    ($from:path => $to:path) => {
        impl From<$from> for $to {
            fn from(a: $from) -> Self {
                let $from {
                    settore,
                    info,
                    cbill,
                    canale_fisico,
                    logo,
                } = a;
                $to {
                    settore,
                    info,
                    cbill,
                    canale_fisico,
                    logo,
                }
            }
        }
    };
}
avviso_tra!(core::ModuloAvviso => ModuloAvviso);
avviso_tra!(ModuloAvviso => core::ModuloAvviso);

/// The whole profile as the window's form: every value as typed, so a form sent back with
/// errors loses nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ModuloEnte {
    pub denominazione: String,
    pub codice_ipa: String,
    pub codice_fiscale: String,
    pub codice_segregazione: String,
    pub pec: String,
    pub indirizzo: String,
    /// A kind of Ente's code ([`TabelleAdesione::tipi_ente`]), or empty.
    pub tipo_ente: String,
    pub codice_istat: String,
    pub popolazione: String,
    pub popolazione_fonte: String,
    /// `gg/mm/aaaa`.
    pub popolazione_data: String,
    /// Mode codes ([`TabelleAdesione::modalita`]).
    pub modalita: Vec<String>,
    pub legale_rappresentante: String,
    pub referente_amministrativo: ModuloReferente,
    pub referente_tecnico: ModuloReferente,
    pub conti: Vec<ModuloConto>,
    pub tipi: Vec<ModuloTipo>,
    /// What the payment notice says of the Ente.
    pub avviso: ModuloAvviso,
}

impl From<core::ModuloReferente> for ModuloReferente {
    fn from(r: core::ModuloReferente) -> Self {
        let core::ModuloReferente {
            nome,
            codice_fiscale,
            email,
            telefono,
            ruolo,
        } = r;
        ModuloReferente {
            nome,
            codice_fiscale,
            email,
            telefono,
            ruolo,
        }
    }
}

impl From<ModuloReferente> for core::ModuloReferente {
    fn from(r: ModuloReferente) -> Self {
        let ModuloReferente {
            nome,
            codice_fiscale,
            email,
            telefono,
            ruolo,
        } = r;
        core::ModuloReferente {
            nome,
            codice_fiscale,
            email,
            telefono,
            ruolo,
        }
    }
}

impl From<core::ModuloConto> for ModuloConto {
    fn from(c: core::ModuloConto) -> Self {
        let core::ModuloConto {
            iban,
            tipo,
            intestatario,
            descrizione,
        } = c;
        ModuloConto {
            iban,
            tipo,
            intestatario,
            descrizione,
        }
    }
}

impl From<ModuloConto> for core::ModuloConto {
    fn from(c: ModuloConto) -> Self {
        let ModuloConto {
            iban,
            tipo,
            intestatario,
            descrizione,
        } = c;
        core::ModuloConto {
            iban,
            tipo,
            intestatario,
            descrizione,
        }
    }
}

/// Both ways between mpd-core's payment type and this one, field by field (a field added on
/// one side and not the other stops the build here).
macro_rules! tipo_tra {
    ($from:path => $to:path) => {
        impl From<$from> for $to {
            fn from(t: $from) -> Self {
                let $from {
                    codice,
                    descrizione,
                    tassonomia,
                    attivo,
                    cf_anonimo,
                    scadenza_obbligatoria,
                    stampa_data_scadenza,
                    importo_predefinito,
                    causale_predefinita,
                    scadenza_predefinita,
                    iban,
                    capitolo,
                    modalita,
                    conto_postale,
                    intestatario_conto_postale,
                    autorizzazione_poste,
                } = t;
                $to {
                    codice,
                    descrizione,
                    tassonomia,
                    attivo,
                    cf_anonimo,
                    scadenza_obbligatoria,
                    stampa_data_scadenza,
                    importo_predefinito,
                    causale_predefinita,
                    scadenza_predefinita,
                    iban,
                    capitolo,
                    modalita,
                    conto_postale,
                    intestatario_conto_postale,
                    autorizzazione_poste,
                }
            }
        }
    };
}
tipo_tra!(core::ModuloTipo => ModuloTipo);
tipo_tra!(ModuloTipo => core::ModuloTipo);

/// Both ways between mpd-core's form and this one.
macro_rules! modulo_tra {
    ($from:path => $to:path) => {
        impl From<$from> for $to {
            fn from(m: $from) -> Self {
                let $from {
                    denominazione,
                    codice_ipa,
                    codice_fiscale,
                    codice_segregazione,
                    pec,
                    indirizzo,
                    tipo_ente,
                    codice_istat,
                    popolazione,
                    popolazione_fonte,
                    popolazione_data,
                    modalita,
                    legale_rappresentante,
                    referente_amministrativo,
                    referente_tecnico,
                    conti,
                    tipi,
                    avviso,
                } = m;
                $to {
                    denominazione,
                    codice_ipa,
                    codice_fiscale,
                    codice_segregazione,
                    pec,
                    indirizzo,
                    tipo_ente,
                    codice_istat,
                    popolazione,
                    popolazione_fonte,
                    popolazione_data,
                    modalita,
                    legale_rappresentante,
                    referente_amministrativo: referente_amministrativo.into(),
                    referente_tecnico: referente_tecnico.into(),
                    conti: conti.into_iter().map(Into::into).collect(),
                    tipi: tipi.into_iter().map(Into::into).collect(),
                    avviso: avviso.into(),
                }
            }
        }
    };
}
modulo_tra!(core::ModuloEnte => ModuloEnte);
modulo_tra!(ModuloEnte => core::ModuloEnte);

/// The stored profile as a form (an empty one, base mode, before the first save).
pub fn ente_modulo(app: &App) -> Risultato<ModuloEnte> {
    app.con_desk(|d| Ok(d.ente_modulo()?.into()))
}

/// Copies the logo the clerk chose (`sorgente`, PNG or JPEG, at most 1 MB) into the data folder,
/// and keeps it in the archive (so backups carry it); returns the file name to put in the
/// form's `avviso.logo` (saved with the form).
pub fn ente_logo(app: &App, sorgente: &Path) -> Risultato<String> {
    app.con_desk(|d| d.copia_logo(sorgente)?.map_err(Errore::non_valido))
}

/// Checks the form field by field and saves it when every field is acceptable (the same
/// checks and the same path as a profile file, see [`ente_importa`]).
pub fn ente_salva(app: &App, modulo: ModuloEnte) -> Risultato<Salvataggio> {
    if modulo.tipi.len() > 500 || modulo.conti.len() > 50 {
        return Err(Errore::argomento("troppi tipi dovuto o conti nel modulo"));
    }
    let modulo: core::ModuloEnte = modulo.into();
    app.con_desk(|d| Ok(d.salva_modulo(&modulo)?.into()))
}

// ---------------------------------------------------------------------------------------------
// The profile as a file
// ---------------------------------------------------------------------------------------------

/// The stored Ente with its payment types and the extra data of its profile file.
pub fn ente_mostra(app: &App) -> Risultato<EnteView> {
    app.con_desk(|d| {
        d.ente_view()?
            .ok_or_else(|| Errore::new(Codice::EnteMancante, "nessun profilo dell'Ente"))
    })
}

/// A profile file just loaded: the warnings of its reading and the Ente as now stored.
#[derive(Debug, Clone, Serialize)]
pub struct ProfiloCaricato {
    pub ente: EnteView,
    pub avvisi: Vec<String>,
}

/// Loads a profile file (TOML) as the Ente's profile; a `password` in it is ignored (said
/// among the warnings). Nothing changes when the file is not valid.
pub fn ente_importa(app: &App, file: &Path) -> Risultato<ProfiloCaricato> {
    app.con_desk(|d| {
        let avvisi = d.ente_set_file(file)?;
        let ente = d
            .ente_view()?
            .ok_or_else(|| Errore::interno("profilo appena salvato non trovato"))?;
        Ok(ProfiloCaricato { ente, avvisi })
    })
}

/// Writes the stored profile as a TOML file (to move it to another computer); returns the path.
pub fn ente_esporta(app: &App, file: &Path) -> Risultato<String> {
    app.con_desk(|d| {
        let text = d.ente_toml()?;
        std::fs::write(file, text).map_err(|e| Errore::scrittura(file, &e))?;
        Ok(file.display().to_string())
    })
}

// ---------------------------------------------------------------------------------------------
// Completeness and documents
// ---------------------------------------------------------------------------------------------

/// How serious a [`ProblemaProfilo`] is: an error stops the documents, a warning does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Gravita {
    Errore,
    Avviso,
}

/// One thing missing or wrong in the profile: the field (as named in the profile file), what
/// is wrong and why it matters for the adhesion or the contribution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct ProblemaProfilo {
    pub campo: String,
    pub gravita: Gravita,
    pub messaggio: String,
    pub perche: String,
}

impl From<core::Problema> for ProblemaProfilo {
    fn from(p: core::Problema) -> Self {
        ProblemaProfilo {
            campo: p.campo,
            gravita: match p.gravita {
                core::Gravita::Errore => Gravita::Errore,
                core::Gravita::Avviso => Gravita::Avviso,
            },
            messaggio: p.messaggio,
            perche: p.perche,
        }
    }
}

fn problemi(v: Vec<core::Problema>) -> Vec<ProblemaProfilo> {
    v.into_iter().map(ProblemaProfilo::from).collect()
}

/// The completeness check: what is missing or wrong, and why it matters.
#[derive(Clone, Debug, Serialize, TS)]
pub struct Completezza {
    /// No errors: the documents can be written.
    pub completo: bool,
    pub problemi: Vec<ProblemaProfilo>,
}

impl Completezza {
    pub fn errori(&self) -> impl Iterator<Item = &ProblemaProfilo> {
        self.problemi
            .iter()
            .filter(|p| p.gravita == Gravita::Errore)
    }
}

/// The completeness check of the stored profile (the same the documents apply).
pub fn ente_completezza(app: &App) -> Risultato<Completezza> {
    app.con_desk(|d| {
        let v = d.ente_check()?;
        Ok(Completezza {
            completo: v.completo,
            problemi: problemi(v.problemi),
        })
    })
}

/// The outcome of writing the adhesion documents: the files written, or what is missing.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EsitoDocumenti {
    /// The profile had no errors and the documents were written.
    pub completo: bool,
    pub cartella: Option<String>,
    pub file: Vec<String>,
    /// Errors of the completeness check: no document was written.
    pub mancanti: Vec<ProblemaProfilo>,
    /// Warnings printed in the documents as things to verify.
    pub avvisi: Vec<ProblemaProfilo>,
}

/// Writes the Atto di adesione, the Modulo informativa and the PEC reminder (ODT + PDF) into
/// `cartella` (created if missing); for a profile with errors writes nothing and lists them.
pub fn documenti(app: &App, cartella: &Path) -> Risultato<EsitoDocumenti> {
    app.con_desk(|d| match d.adesione_documenti(cartella) {
        Ok(g) => Ok(EsitoDocumenti {
            completo: true,
            cartella: Some(g.cartella.display().to_string()),
            file: g.file.iter().map(|f| f.display().to_string()).collect(),
            mancanti: Vec::new(),
            avvisi: problemi(g.avvisi),
        }),
        Err(AdesioneCoreError::Adesione(AdesioneError::Incompleto(p))) => Ok(EsitoDocumenti {
            completo: false,
            cartella: None,
            file: Vec::new(),
            mancanti: problemi(p),
            avvisi: Vec::new(),
        }),
        Err(e) => Err(e.into()),
    })
}

// ---------------------------------------------------------------------------------------------
// Taxonomy and steps
// ---------------------------------------------------------------------------------------------

/// One service of the pagoPA taxonomy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct VoceTassonomia {
    /// `9/0101101IM/`: what a payment type's `dati_specifici_riscossione` carries.
    pub codice: String,
    /// `Mense scolastiche`.
    pub nome: String,
    /// The kind of body the code is meant for (`COMUNE/UNIONE DI COMUNI`, …).
    pub ente: String,
    /// Valid today.
    pub valido: bool,
}

/// The pagoPA taxonomy shipped with the app, to pick a payment type's code from.
pub fn tassonomia(app: &App) -> Risultato<Vec<VoceTassonomia>> {
    let oggi = app.con_desk(|d| Ok(d.today()))?;
    Ok(mpd_adesione::tassonomia::elenco(oggi)
        .into_iter()
        .map(|v| VoceTassonomia {
            codice: v.codice,
            nome: v.nome,
            ente: v.ente,
            valido: v.valido,
        })
        .collect())
}

/// What pagoPA does with a debt, by its taxonomy code's prefix, as to SEPA Request To Pay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum InvioRtp {
    /// Sent to the debtor's bank app as a request to pay (`9/`).
    Inviato,
    /// Not sent: the Ente opts out (`6/`, `7/`, `8/`).
    Escluso,
    /// An old form, not a taxonomy code: the sources say nothing (`0/`, `1/`, `2/`).
    NonDocumentato,
}

/// A payment type's taxonomy prefix for the clerk: what it means, what of that is inferred,
/// and a warning when the prefix looks unintended for how the type is used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct PrefissoTipo {
    /// `9/`.
    pub prefisso: String,
    pub invio_rtp: InvioRtp,
    /// What a debt of this prefix does (Italian).
    pub significato: String,
    /// What is still to verify (Italian, shown after «Da verificare:»): the part of the meaning
    /// that is inferred or unverified rather than read in a source.
    pub dedotto: Option<String>,
    /// MyPay's import check takes the prefix (the profile can be saved with it).
    pub accettato_da_mypay: bool,
    /// Why the prefix looks unintended for this type (Italian), if it does.
    pub avviso: Option<String>,
    /// The heuristic behind [`Self::avviso`], said plainly.
    pub avviso_perche: Option<String>,
}

/// Each payment type of the form, in order: its taxonomy prefix and what it means, or `None`
/// when the code starts with no known prefix (the form's own check says what is wrong). Works
/// on the form as typed, saved or not; the rule is mpd-domain's `taxonomy::PREFISSI` and
/// `taxonomy::avviso_prefisso`, the same the completeness check applies.
pub fn ente_prefissi(modulo: &ModuloEnte) -> Vec<Option<PrefissoTipo>> {
    use mpd_domain::taxonomy;
    // A type without its own mode takes the Ente's first mode other than base (as the profile).
    let dell_ente = modulo
        .modalita
        .iter()
        .filter_map(|m| Modalita::parse(m))
        .find(|m| *m != Modalita::Base)
        .unwrap_or(Modalita::Base);
    modulo
        .tipi
        .iter()
        .map(|t| {
            let p = taxonomy::prefisso(&t.tassonomia)?;
            let modalita = Modalita::parse(&t.modalita).unwrap_or(dell_ente);
            let uso = taxonomy::UsoTipo {
                iniziato_presso_ente: modalita == Modalita::PressoEnte,
                per_flussi: modalita == Modalita::PerFlussi,
                scadenza_obbligatoria: t.scadenza_obbligatoria,
            };
            let avviso = taxonomy::avviso_prefisso(&t.tassonomia, uso);
            Some(PrefissoTipo {
                prefisso: p.prefisso.to_string(),
                invio_rtp: match p.invio_rtp {
                    taxonomy::InvioRtp::Inviato => InvioRtp::Inviato,
                    taxonomy::InvioRtp::Escluso => InvioRtp::Escluso,
                    taxonomy::InvioRtp::NonDocumentato => InvioRtp::NonDocumentato,
                },
                significato: p.significato.to_string(),
                dedotto: p.dedotto.map(str::to_string),
                accettato_da_mypay: p.accettato_da_mypay,
                avviso_perche: avviso.as_ref().map(|a| a.perche.to_string()),
                avviso: avviso.map(|a| a.messaggio),
            })
        })
        .collect()
}

/// An adhesion step with the date recorded, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct PassoRegistrato {
    /// `delibera`, `pec-inviata`, `riscontro-regione`, `pre-esercizio`, `esercizio`.
    #[ts(type = "string")]
    pub passo: core::Passo,
    pub nome: String,
    pub data: Option<NaiveDate>,
    pub nota: Option<String>,
}

fn passi_da(v: Vec<core::PassoRegistrato>) -> Vec<PassoRegistrato> {
    v.into_iter()
        .map(|p| PassoRegistrato {
            passo: p.passo,
            nome: p.nome.to_string(),
            data: p.data,
            nota: p.nota,
        })
        .collect()
}

/// Every adhesion step, in order, with the dates recorded.
pub fn passi(app: &App) -> Risultato<Vec<PassoRegistrato>> {
    app.con_desk(|d| Ok(passi_da(d.adesione_passi()?)))
}

/// Records the date (`gg/mm/aaaa`) of a step (`delibera`, `pec-inviata`, …); returns every step.
pub fn passo_registra(
    app: &App,
    passo: &str,
    data: &str,
    nota: Option<&str>,
) -> Risultato<Vec<PassoRegistrato>> {
    testo(nota.unwrap_or_default(), "Nota")?;
    if passo.len() > 40 || data.len() > 20 {
        return Err(Errore::argomento("passo o data non validi"));
    }
    let nota = opzionale(nota);
    app.con_desk(|d| {
        Ok(passi_da(d.set_adesione_passo(
            passo,
            data,
            nota.as_deref(),
        )?))
    })
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    TabelleAdesione::export_all(cfg)?;
    ModuloEnte::export_all(cfg)?;
    ModuloAvviso::export_all(cfg)?;
    Salvataggio::export_all(cfg)?;
    Completezza::export_all(cfg)?;
    EsitoDocumenti::export_all(cfg)?;
    VoceTassonomia::export_all(cfg)?;
    PrefissoTipo::export_all(cfg)?;
    PassoRegistrato::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_come_from_the_rules_types() {
        let t = tabelle();
        assert_eq!(t.tipi_ente.len(), TipoEnte::ALL.len());
        assert_eq!(
            t.tipi_ente[1],
            VoceTabella {
                codice: "comune-montano".into(),
                nome: "Comune montano".into()
            }
        );
        let m: Vec<&str> = t.modalita.iter().map(|m| m.nome.as_str()).collect();
        assert_eq!(
            m,
            ["Base", "Per flussi", "Pagamento iniziato presso l'Ente"]
        );
    }

    #[test]
    fn the_form_serialises_as_mpd_core_s() {
        let mut m = core::ModuloEnte {
            denominazione: "Comune".into(),
            modalita: vec!["base".into()],
            ..Default::default()
        };
        m.tipi.push(core::ModuloTipo::default());
        m.conti.push(core::ModuloConto::default());
        let nostro: ModuloEnte = m.clone().into();
        assert_eq!(
            serde_json::to_value(&nostro).unwrap(),
            serde_json::to_value(&m).unwrap()
        );
        let indietro: core::ModuloEnte = nostro.into();
        assert_eq!(indietro, m);
        assert!(ModuloTipo::default().attivo);
    }

    #[test]
    fn each_type_of_the_form_gets_its_prefix_and_a_warning_when_it_looks_unintended() {
        let tipo = |codice: &str, tassonomia: &str, modalita: &str, scadenza: bool| ModuloTipo {
            codice: codice.into(),
            tassonomia: tassonomia.into(),
            modalita: modalita.into(),
            scadenza_obbligatoria: scadenza,
            ..Default::default()
        };
        let modulo = ModuloEnte {
            modalita: vec!["base".into(), "per-flussi".into()],
            tipi: vec![
                // Sent per flussi (the Ente's mode), 9/: the meaning, no warning.
                tipo("TARI", "9/0101101IM/", "", true),
                // Paid at the desk there and then, 9/: a warning.
                tipo("SEGRETERIA", " 9/0103100TS/ ", "presso-ente", false),
                // Periodic with an opt-out prefix: a warning (and MyPay does not take it).
                tipo("MENSA", "6/0107101TS/", "", true),
                // No known prefix: nothing, the form's check speaks.
                tipo("X", "0101100IM", "", false),
            ],
            ..Default::default()
        };
        let p = ente_prefissi(&modulo);
        assert_eq!(p.len(), 4);
        let tari = p[0].as_ref().unwrap();
        assert_eq!(
            (
                tari.prefisso.as_str(),
                tari.invio_rtp,
                tari.accettato_da_mypay
            ),
            ("9/", InvioRtp::Inviato, true)
        );
        assert!(tari.significato.contains("app della banca"), "{tari:?}");
        assert!(tari.dedotto.is_some() && tari.avviso.is_none(), "{tari:?}");
        let segreteria = p[1].as_ref().unwrap();
        assert!(
            segreteria
                .avviso
                .as_deref()
                .unwrap()
                .contains("si paga subito"),
            "{segreteria:?}"
        );
        assert!(segreteria.avviso_perche.is_some());
        let mensa = p[2].as_ref().unwrap();
        assert_eq!(mensa.invio_rtp, InvioRtp::Escluso);
        assert!(!mensa.accettato_da_mypay);
        assert!(
            mensa
                .avviso
                .as_deref()
                .unwrap()
                .contains("usi il prefisso 9/"),
            "{mensa:?}"
        );
        assert_eq!(p[3], None);
        // The type's own mode wins over the Ente's: MENSA at the desk opts out as meant.
        let mut m = modulo.clone();
        m.tipi[2].modalita = "presso-ente".into();
        m.tipi[2].scadenza_obbligatoria = false;
        assert_eq!(ente_prefissi(&m)[2].as_ref().unwrap().avviso, None);
        // The serialised names the window reads.
        let json = serde_json::to_value(&p[2]).unwrap();
        assert_eq!(json["invio_rtp"], "escluso");
        assert_eq!(
            serde_json::to_value(InvioRtp::NonDocumentato).unwrap(),
            "non-documentato"
        );
    }
}
