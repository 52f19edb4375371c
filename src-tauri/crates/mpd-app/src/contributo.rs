//! Contributo: the regional contribution for the adhesion. The computation for the stored
//! profile and its reason, the what-if under the same rules, the estimated expense items, the
//! requested, granted and received amounts, the rules in use and the summary report.
//!
//! The what-if ([`simula`]) is one function for both front ends: its [`EsitoContributo`] says whether it
//! is provisional (`provvisorio`) by the rule the profile's computation follows. A what-if's
//! population is a hypothesis without an official reference date, so for a comune it is
//! provisional, with the warning that says why.

use std::path::{Path, PathBuf};

use mpd_adesione::contributo::Arrotondamento;
use mpd_core::Desk;
use mpd_core::adesione::{
    self as core, Modalita, Richiesta, Riepilogo, TipoEnte, TipoMovimento, VoceInput,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::App;
use crate::adesione::{opzionale, testo};
use crate::errore::{Codice, Errore, Risultato};

pub use mpd_core::adesione::Misura;

/// The result of a computation, with its reason.
#[derive(Clone, Debug, Serialize, TS)]
pub struct EsitoContributo {
    /// The rules' id and act.
    pub misura: String,
    pub atto: String,
    pub ammissibile: bool,
    pub percentuale: u8,
    /// One sentence: "80%: comune montano con 4.200 abitanti, soglia 5.000".
    pub motivo: String,
    /// Number (from 1) of the rule that applied, if one did.
    pub regola: Option<usize>,
    #[ts(type = "string")]
    pub tipo_ente: TipoEnte,
    pub popolazione: Option<u32>,
    #[ts(type = "Array<string>")]
    pub modalita: Vec<Modalita>,
    /// An input is missing or undated: the result must be confirmed (the warnings say why).
    pub provvisorio: bool,
    /// Decimal amounts as text (`"9600.00"`).
    #[ts(type = "string | null")]
    pub spesa: Option<Decimal>,
    /// The expense after the cap, if the rules have one.
    #[ts(type = "string | null")]
    pub spesa_ammessa: Option<Decimal>,
    #[ts(type = "string | null")]
    pub contributo: Option<Decimal>,
    #[ts(type = "\"commerciale\" | \"difetto\"")]
    pub arrotondamento: Arrotondamento,
    pub avvisi: Vec<String>,
    pub da_verificare: Vec<String>,
}

impl From<core::Esito> for EsitoContributo {
    fn from(e: core::Esito) -> Self {
        let core::Esito {
            misura,
            atto,
            ammissibile,
            percentuale,
            motivo,
            regola,
            tipo_ente,
            popolazione,
            modalita,
            provvisorio,
            spesa,
            spesa_ammessa,
            contributo,
            arrotondamento,
            avvisi,
            da_verificare,
        } = e;
        EsitoContributo {
            misura,
            atto,
            ammissibile,
            percentuale,
            motivo,
            regola,
            tipo_ente,
            popolazione,
            modalita,
            provvisorio,
            spesa,
            spesa_ammessa,
            contributo,
            arrotondamento,
            avvisi,
            da_verificare,
        }
    }
}

/// How an expense item is valued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "tipo", rename_all = "kebab-case")]
pub enum ValoreVoce {
    /// A supplier's quote, VAT included if not recoverable.
    Preventivo {
        #[ts(type = "string")]
        importo: Decimal,
    },
    /// A standard cost of the rules times a number of services.
    CostoStandard { codice: String, quantita: u32 },
}

/// One item of the estimated expense.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct VoceSpesa {
    pub id: Option<i64>,
    pub descrizione: String,
    pub fornitore: Option<String>,
    /// Quote number, CIG or other reference.
    pub riferimento: Option<String>,
    pub data: Option<chrono::NaiveDate>,
    #[serde(flatten)]
    pub valore: ValoreVoce,
}

/// An item with its value under the rules in use.
#[derive(Clone, Debug, Serialize, TS)]
pub struct RigaStima {
    pub voce: VoceSpesa,
    #[ts(type = "string | null")]
    pub importo: Option<Decimal>,
    /// Why the value is missing or to be verified.
    pub nota: Option<String>,
}

/// The estimated expense: the items and their sum.
#[derive(Clone, Debug, Serialize, TS)]
pub struct Stima {
    pub righe: Vec<RigaStima>,
    #[ts(type = "string")]
    pub totale: Decimal,
    /// Some item has no value (a standard cost still empty in the rules): the sum is partial.
    pub incompleta: bool,
}

impl From<core::Stima> for Stima {
    fn from(s: core::Stima) -> Self {
        Stima {
            righe: s
                .righe
                .into_iter()
                .map(|r| {
                    let v = r.voce;
                    RigaStima {
                        voce: VoceSpesa {
                            id: v.id,
                            descrizione: v.descrizione,
                            fornitore: v.fornitore,
                            riferimento: v.riferimento,
                            data: v.data,
                            valore: match v.valore {
                                core::Valore::Preventivo { importo } => {
                                    ValoreVoce::Preventivo { importo }
                                }
                                core::Valore::CostoStandard { codice, quantita } => {
                                    ValoreVoce::CostoStandard { codice, quantita }
                                }
                            },
                        },
                        importo: r.importo,
                        nota: r.nota,
                    }
                })
                .collect(),
            totale: s.totale,
            incompleta: s.incompleta,
        }
    }
}

/// The contribution of the stored profile, with the estimate it used (none when the expense
/// was given instead of the items').
#[derive(Clone, Debug, Serialize, TS)]
pub struct CalcoloProfilo {
    #[serde(flatten)]
    pub esito: EsitoContributo,
    pub stima: Option<Stima>,
}

/// A requested, granted or received amount with its date and reference.
#[derive(Clone, Debug, Serialize, TS)]
pub struct Movimento {
    pub id: Option<i64>,
    #[ts(type = "\"richiesto\" | \"concesso\" | \"incassato\"")]
    pub tipo: TipoMovimento,
    #[ts(type = "string")]
    pub importo: Decimal,
    pub data: chrono::NaiveDate,
    pub riferimento: Option<String>,
}

impl From<core::Movimento> for Movimento {
    fn from(m: core::Movimento) -> Self {
        let core::Movimento {
            id,
            tipo,
            importo,
            data,
            riferimento,
        } = m;
        Movimento {
            id,
            tipo,
            importo,
            data,
            riferimento,
        }
    }
}

/// A standard cost of the rules in use, for the expense item editor.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CostoVista {
    pub codice: String,
    pub descrizione: String,
    #[ts(type = "string | null")]
    pub importo: Option<Decimal>,
    pub da_verificare: bool,
}

/// The rules in use, as the screen shows them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MisuraVista {
    pub nome: String,
    pub atto: String,
    pub versione: String,
    pub da_verificare: Vec<String>,
    pub costi_standard: Vec<CostoVista>,
    #[ts(type = "string | null")]
    pub massimale: Option<Decimal>,
    /// Edited by the clerk rather than the shipped preset.
    pub personalizzata: bool,
}

/// Totals of the tracked amounts.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TotaliVista {
    #[ts(type = "string")]
    pub richiesto: Decimal,
    #[ts(type = "string")]
    pub concesso: Decimal,
    #[ts(type = "string")]
    pub incassato: Decimal,
}

/// Everything the contribution shows: the computation (or why there is none), the estimate,
/// the amounts and the rules in use.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StatoContributo {
    /// The computation for the stored profile; `None` when it cannot be computed (then
    /// `calcolo_errore` says why, e.g. the kind of Ente is missing).
    pub calcolo: Option<CalcoloProfilo>,
    pub calcolo_errore: Option<String>,
    pub stima: Stima,
    pub importi: Vec<Movimento>,
    pub totali: TotaliVista,
    pub misura: MisuraVista,
}

fn calcolo_profilo(d: &Desk, spesa: Option<Decimal>) -> Risultato<CalcoloProfilo> {
    let p = d.adesione_profilo()?;
    if p.tipo_ente.is_none() {
        return Err(Errore::non_valido(
            "manca il tipo di ente nel profilo dell'Ente: indicarlo per calcolare la percentuale",
        ));
    }
    let mut c = d.contributo_calcola()?;
    if let Some(s) = spesa {
        // An explicit figure replaces the items' total for this computation only.
        c.esito = d.contributo_simula(&Richiesta {
            tipo_ente: c.esito.tipo_ente,
            popolazione: c.esito.popolazione,
            popolazione_data: p.popolazione_data,
            modalita: c.esito.modalita.clone(),
            spesa: Some(s),
        })?;
        c.stima = None;
    }
    Ok(CalcoloProfilo {
        esito: c.esito.into(),
        stima: c.stima.map(Stima::from),
    })
}

/// The contribution of the stored profile: with `spesa` (as typed) for that expense, else for
/// the sum of the expense items.
pub fn calcola(app: &App, spesa: Option<&str>) -> Risultato<CalcoloProfilo> {
    let spesa = match spesa.map(str::trim) {
        None | Some("") => None,
        Some(s) => {
            testo(s, "Spesa stimata")?;
            Some(core::parse_importo(s, "Spesa stimata")?)
        }
    };
    app.con_desk(|d| calcolo_profilo(d, spesa))
}

fn frase(s: &str) -> String {
    let mut c = s.chars();
    let mut out: String = match c.next() {
        Some(p) => p.to_uppercase().chain(c).collect(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

fn stato_di(d: &Desk) -> Risultato<StatoContributo> {
    let (calcolo, calcolo_errore) = match calcolo_profilo(d, None) {
        Ok(c) => (Some(c), None),
        Err(e) if e.codice == Codice::EnteMancante => (
            None,
            Some("Nessun profilo dell'Ente: completarlo per calcolare il contributo.".into()),
        ),
        Err(e) if e.codice == Codice::NonValido => (None, Some(frase(&e.messaggio))),
        Err(e) => return Err(e),
    };
    let misura = d.contributo_misura()?;
    let personalizzata = d
        .setting(core::SETTING_MISURA)?
        .is_some_and(|t| !t.trim().is_empty());
    let importi: Vec<Movimento> = d
        .contributo_importi()?
        .into_iter()
        .map(Movimento::from)
        .collect();
    let somma = |t: TipoMovimento| -> Decimal {
        importi
            .iter()
            .filter(|m| m.tipo == t)
            .map(|m| m.importo)
            .sum()
    };
    Ok(StatoContributo {
        calcolo,
        calcolo_errore,
        stima: d.contributo_stima()?.into(),
        totali: TotaliVista {
            richiesto: somma(TipoMovimento::Richiesto),
            concesso: somma(TipoMovimento::Concesso),
            incassato: somma(TipoMovimento::Incassato),
        },
        importi,
        misura: MisuraVista {
            nome: misura.nome,
            atto: misura.atto,
            versione: misura.versione,
            da_verificare: misura.da_verificare,
            costi_standard: misura
                .costi_standard
                .into_iter()
                .map(|c| CostoVista {
                    codice: c.codice,
                    descrizione: c.descrizione,
                    importo: c.importo,
                    da_verificare: c.da_verificare,
                })
                .collect(),
            massimale: misura.massimale,
            personalizzata,
        },
    })
}

/// Everything the contribution shows, for the stored profile.
pub fn stato(app: &App) -> Risultato<StatoContributo> {
    app.con_desk(|d| stato_di(d))
}

// ---------------------------------------------------------------------------------------------
// The what-if
// ---------------------------------------------------------------------------------------------

/// A what-if as the clerk types it.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct SimulazioneContributo {
    /// A kind of Ente's code.
    pub tipo_ente: String,
    /// Inhabitants as typed (`4.200`); empty: not given.
    pub popolazione: String,
    /// Mode codes; none: no admissible mode (0%).
    pub modalita: Vec<String>,
    /// Expense as typed (`12.000,00`); empty: the rate only.
    pub spesa: String,
}

fn richiesta(s: &SimulazioneContributo) -> Risultato<Richiesta> {
    for (v, campo) in [
        (&s.tipo_ente, "Tipo di ente"),
        (&s.popolazione, "Popolazione"),
        (&s.spesa, "Spesa stimata"),
    ] {
        testo(v, campo)?;
    }
    if s.modalita.len() > 10 || s.modalita.iter().any(|m| m.len() > 40) {
        return Err(Errore::argomento("modalità non valide"));
    }
    let tipo_ente = TipoEnte::parse(&s.tipo_ente).ok_or_else(|| {
        Errore::non_valido(format!(
            "Tipo di ente «{}»: non riconosciuto; i tipi sono {}",
            s.tipo_ente.trim(),
            TipoEnte::ALL.map(TipoEnte::code).join(", ")
        ))
    })?;
    let pop = s.popolazione.trim();
    let popolazione = if pop.is_empty() {
        None
    } else {
        let digits: String = pop
            .chars()
            .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}'))
            .collect();
        Some(digits.parse::<u32>().map_err(|_| {
            Errore::non_valido(format!(
                "Popolazione «{pop}»: deve essere un numero intero di abitanti"
            ))
        })?)
    };
    let mut modalita = Vec::new();
    for m in &s.modalita {
        let m = Modalita::parse(m).ok_or_else(|| {
            Errore::non_valido(format!(
                "Modalità «{}»: non è una modalità; usare {}",
                m.trim(),
                Modalita::ALL.map(Modalita::code).join(", ")
            ))
        })?;
        if !modalita.contains(&m) {
            modalita.push(m);
        }
    }
    modalita.sort();
    let spesa = match s.spesa.trim() {
        "" => None,
        v => Some(core::parse_importo(v, "Spesa stimata")?),
    };
    Ok(Richiesta {
        tipo_ente,
        popolazione,
        // A what-if's population is a hypothesis, not an official figure at a date: for a
        // comune the result is provisional, as the profile's is without the date.
        popolazione_data: None,
        modalita,
        spesa,
    })
}

/// The what-if: the contribution for a kind of Ente, population, modes and expense, under the
/// rules in use. `provvisorio` says whether it must be confirmed, and the warnings why.
pub fn simula(app: &App, simulazione: &SimulazioneContributo) -> Risultato<EsitoContributo> {
    let r = richiesta(simulazione)?;
    app.con_desk(|d| Ok(d.contributo_simula(&r)?.into()))
}

// ---------------------------------------------------------------------------------------------
// The rules in use
// ---------------------------------------------------------------------------------------------

/// The rules in use: the clerk's edited copy, else the shipped preset.
pub fn misura(app: &App) -> Risultato<Misura> {
    app.con_desk(|d| Ok(d.contributo_misura()?))
}

/// Loads edited rules from a TOML file (checked before they replace the rules in use).
pub fn misura_carica(app: &App, file: &Path) -> Risultato<Misura> {
    app.con_desk(|d| Ok(d.set_contributo_misura_file(file)?))
}

/// Goes back to the rules shipped with the app.
pub fn misura_predefinita(app: &App) -> Risultato<Misura> {
    app.con_desk(|d| Ok(d.reset_contributo_misura()?))
}

/// Writes the rules in use to a TOML file, to edit and load again.
pub fn misura_esporta(app: &App, file: &Path) -> Risultato<Misura> {
    let m = misura(app)?;
    std::fs::write(file, &m.testo).map_err(|e| Errore::scrittura(file, &e))?;
    Ok(m)
}

// ---------------------------------------------------------------------------------------------
// Expense items and amounts
// ---------------------------------------------------------------------------------------------

/// An expense item as typed: a quote (`importo`) or a standard cost × quantity.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct VoceNuova {
    pub descrizione: String,
    #[ts(optional)]
    pub fornitore: Option<String>,
    #[ts(optional)]
    pub riferimento: Option<String>,
    /// `gg/mm/aaaa`.
    #[ts(optional)]
    pub data: Option<String>,
    #[ts(optional)]
    pub importo: Option<String>,
    /// A standard cost's code ([`CostoVista::codice`]).
    #[ts(optional)]
    pub costo_standard: Option<String>,
    /// Number of services for the standard cost (default 1).
    #[ts(optional)]
    pub quantita: Option<u32>,
}

/// An expense item added: its number and what the contribution shows now.
#[derive(Debug, Clone, Serialize, TS)]
pub struct VoceAggiunta {
    pub numero: i64,
    pub stato: StatoContributo,
}

/// The estimated expense: every item with its value, and the total.
pub fn voci(app: &App) -> Risultato<Stima> {
    app.con_desk(|d| Ok(d.contributo_stima()?.into()))
}

/// Adds an expense item.
pub fn voce_aggiungi(app: &App, voce: &VoceNuova) -> Risultato<VoceAggiunta> {
    for (v, campo) in [
        (Some(&voce.descrizione), "Descrizione"),
        (voce.fornitore.as_ref(), "Fornitore"),
        (voce.riferimento.as_ref(), "Riferimento"),
        (voce.importo.as_ref(), "Importo"),
        (voce.costo_standard.as_ref(), "Costo standard"),
        (voce.data.as_ref(), "Data"),
    ] {
        testo(v.map(String::as_str).unwrap_or_default(), campo)?;
    }
    if voce.quantita.is_some_and(|q| q == 0 || q > 100_000) {
        return Err(Errore::non_valido("Numero di servizi: tra 1 e 100.000"));
    }
    let input = VoceInput {
        descrizione: voce.descrizione.clone(),
        fornitore: opzionale(voce.fornitore.as_deref()),
        riferimento: opzionale(voce.riferimento.as_deref()),
        data: opzionale(voce.data.as_deref()),
        importo: opzionale(voce.importo.as_deref()),
        costo_standard: opzionale(voce.costo_standard.as_deref()),
        quantita: voce.quantita,
    };
    app.con_desk(|d| {
        let numero = d.add_contributo_voce(&input)?;
        Ok(VoceAggiunta {
            numero,
            stato: stato_di(d)?,
        })
    })
}

/// Deletes an expense item.
pub fn voce_elimina(app: &App, numero: i64) -> Risultato<StatoContributo> {
    app.con_desk(|d| {
        d.delete_contributo_voce(numero)?;
        stato_di(d)
    })
}

/// An amount recorded and what the contribution shows now.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportoRegistrato {
    pub movimento: Movimento,
    pub stato: StatoContributo,
}

/// Records a requested, granted or received amount (`tipo`: richiesto, concesso, incassato;
/// `data`: `gg/mm/aaaa`).
pub fn importo_aggiungi(
    app: &App,
    tipo: &str,
    importo: &str,
    data: &str,
    riferimento: Option<&str>,
) -> Risultato<ImportoRegistrato> {
    testo(tipo, "Tipo")?;
    testo(importo, "Importo")?;
    testo(data, "Data")?;
    testo(riferimento.unwrap_or_default(), "Riferimento")?;
    let riferimento = opzionale(riferimento);
    app.con_desk(|d| {
        let m = d.add_contributo_importo(tipo, importo, data, riferimento.as_deref())?;
        Ok(ImportoRegistrato {
            movimento: m.into(),
            stato: stato_di(d)?,
        })
    })
}

/// Deletes a tracked amount typed by mistake.
pub fn importo_elimina(app: &App, id: i64) -> Risultato<StatoContributo> {
    app.con_desk(|d| {
        d.delete_contributo_importo(id, d.now())?;
        stato_di(d)
    })
}

/// The tracked amounts, by date.
pub fn importi(app: &App) -> Risultato<Vec<Movimento>> {
    app.con_desk(|d| {
        Ok(d.contributo_importi()?
            .into_iter()
            .map(Movimento::from)
            .collect())
    })
}

// ---------------------------------------------------------------------------------------------
// The summary report
// ---------------------------------------------------------------------------------------------

/// Writes the summary report to `file`: PDF or XLSX by its extension; returns the path.
pub fn riepilogo_salva(app: &App, file: &Path) -> Risultato<String> {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    app.con_desk(|d| {
        let r = d.contributo_riepilogo()?;
        let bytes = match ext.as_deref() {
            Some("pdf") => mpd_adesione::pdf::pdf(&r.documento(), d.today()),
            Some("xlsx") => r.xlsx(),
            _ => {
                return Err(Errore::argomento("il riepilogo si salva come .pdf o .xlsx"));
            }
        }?;
        std::fs::write(file, bytes).map_err(|e| Errore::scrittura(file, &e))?;
        Ok(file.display().to_string())
    })
}

/// The summary report written into a folder (PDF and XLSX).
#[derive(Debug, Clone, Serialize)]
pub struct RiepilogoScritto {
    pub riepilogo: Riepilogo,
    pub file: Vec<PathBuf>,
}

/// Writes the summary report into `cartella` as `riepilogo-contributo.pdf` and `.xlsx`.
pub fn riepilogo_scrivi(app: &App, cartella: &Path) -> Risultato<RiepilogoScritto> {
    app.con_desk(|d| {
        let (riepilogo, file) = d.contributo_report(cartella)?;
        Ok(RiepilogoScritto { riepilogo, file })
    })
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    StatoContributo::export_all(cfg)?;
    EsitoContributo::export_all(cfg)?;
    SimulazioneContributo::export_all(cfg)?;
    VoceNuova::export_all(cfg)?;
    VoceAggiunta::export_all(cfg)?;
    ImportoRegistrato::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esempio() -> core::Esito {
        let mut m = core::Misura::preset();
        m.massimale = Some(Decimal::new(1000, 0));
        mpd_adesione::contributo::calcola(
            &m,
            &Richiesta {
                tipo_ente: TipoEnte::UnioneComuni,
                popolazione: Some(2000),
                popolazione_data: None,
                modalita: vec![Modalita::Base, Modalita::PerFlussi],
                spesa: Some(Decimal::new(200000, 2)),
            },
        )
    }

    #[test]
    fn results_serialise_as_the_rules_own_types() {
        let e = esempio();
        assert!(!e.avvisi.is_empty() && e.contributo.is_some());
        assert_eq!(
            serde_json::to_value(EsitoContributo::from(e.clone())).unwrap(),
            serde_json::to_value(&e).unwrap()
        );
        let m = core::Misura::preset();
        let voci = vec![
            core::VoceSpesa {
                id: Some(1),
                descrizione: "a".into(),
                fornitore: Some("f".into()),
                riferimento: None,
                data: chrono::NaiveDate::from_ymd_opt(2027, 1, 2),
                valore: core::Valore::Preventivo {
                    importo: Decimal::new(12345, 2),
                },
            },
            core::VoceSpesa {
                id: Some(2),
                descrizione: "b".into(),
                fornitore: None,
                riferimento: Some("r".into()),
                data: None,
                valore: core::Valore::CostoStandard {
                    codice: m.costi_standard[0].codice.clone(),
                    quantita: 2,
                },
            },
        ];
        let s = mpd_adesione::contributo::stima(&m, &voci);
        assert_eq!(
            serde_json::to_value(Stima::from(s.clone())).unwrap(),
            serde_json::to_value(&s).unwrap()
        );
        let c = core::CalcoloProfilo {
            esito: e.clone(),
            stima: Some(s.clone()),
        };
        let nostro = CalcoloProfilo {
            esito: e.into(),
            stima: Some(s.into()),
        };
        assert_eq!(
            serde_json::to_value(nostro).unwrap(),
            serde_json::to_value(c).unwrap()
        );
        let mv = core::Movimento {
            id: Some(3),
            tipo: TipoMovimento::Concesso,
            importo: Decimal::new(960000, 2),
            data: chrono::NaiveDate::from_ymd_opt(2027, 1, 15).unwrap(),
            riferimento: Some("decreto".into()),
        };
        assert_eq!(
            serde_json::to_value(Movimento::from(mv.clone())).unwrap(),
            serde_json::to_value(mv).unwrap()
        );
    }

    #[test]
    fn a_what_if_is_checked_field_by_field_in_words() {
        let s = SimulazioneContributo {
            tipo_ente: "comune".into(),
            popolazione: "3.001".into(),
            modalita: vec!["per-flussi".into(), "base".into(), "base".into()],
            spesa: "10.000,00".into(),
        };
        let r = richiesta(&s).unwrap();
        assert_eq!(r.popolazione, Some(3001));
        assert_eq!(r.modalita, [Modalita::Base, Modalita::PerFlussi]);
        assert_eq!(r.popolazione_data, None);
        for (s, campo) in [
            (
                SimulazioneContributo {
                    tipo_ente: "provincia".into(),
                    ..s.clone()
                },
                "Tipo di ente «provincia»",
            ),
            (
                SimulazioneContributo {
                    popolazione: "tanti".into(),
                    ..s.clone()
                },
                "Popolazione «tanti»",
            ),
            (
                SimulazioneContributo {
                    modalita: vec!["flusso".into()],
                    ..s.clone()
                },
                "Modalità «flusso»",
            ),
            (
                SimulazioneContributo {
                    spesa: "1,234".into(),
                    ..s.clone()
                },
                "Spesa stimata",
            ),
        ] {
            let e = richiesta(&s).unwrap_err();
            assert_eq!(e.codice, Codice::NonValido, "{e:?}");
            assert!(e.messaggio.starts_with(campo), "{}", e.messaggio);
            assert!(!e.messaggio.contains("--"), "{}", e.messaggio);
        }
    }
}

/// The operations on a database, as both front ends call them (moved from the window's tests).
#[cfg(test)]
mod su_un_database {
    use super::*;
    use crate::adesione;

    fn app(dir: &Path, profilo: bool) -> App {
        let ora = chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z")
            .unwrap()
            .to_utc();
        let app = App::new(
            Some(dir.join("desk.sqlite")),
            crate::ConnectOptions::default(),
            crate::connessione::keyring(),
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA))
        .con_ora(ora);
        if profilo {
            let f = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../assets/demo/ente-adesione-esempio.toml");
            adesione::ente_importa(&app, &f).unwrap();
        }
        app
    }

    #[test]
    fn screen_data_and_documents_for_complete_and_incomplete_profiles() {
        let dir = tempfile::tempdir().unwrap();
        let a = app(dir.path(), true);
        let s = stato(&a).unwrap();
        let c = s.calcolo.unwrap();
        assert_eq!(c.esito.percentuale, 80);
        assert_eq!(
            c.esito.motivo,
            "80%: comune montano con 4.200 abitanti, soglia 5.000"
        );
        assert!(s.misura.costi_standard.iter().all(|c| c.da_verificare));
        let e = adesione::documenti(&a, &dir.path().join("doc")).unwrap();
        assert!(e.completo && e.mancanti.is_empty(), "{:?}", e.mancanti);
        assert!(e.file.iter().any(|f| f.ends_with(".odt")));
        assert!(e.file.iter().any(|f| f.ends_with(".pdf")));
        assert!(adesione::ente_completezza(&a).unwrap().completo);

        // Without the PEC and the legal representative: no document, the list of what is missing.
        let mut m = adesione::ente_modulo(&a).unwrap();
        m.pec = String::new();
        m.legale_rappresentante = String::new();
        assert!(adesione::ente_salva(&a, m).unwrap().salvato);
        let out = dir.path().join("doc2");
        let e = adesione::documenti(&a, &out).unwrap();
        assert!(!e.completo && e.cartella.is_none());
        let campi: Vec<&str> = e.mancanti.iter().map(|p| p.campo.as_str()).collect();
        assert!(campi.contains(&"ente.pec"), "{campi:?}");
        assert!(
            campi.contains(&"adesione.legale_rappresentante"),
            "{campi:?}"
        );
        assert_eq!(std::fs::read_dir(&out).map(|r| r.count()).unwrap_or(0), 0);

        // No profile: the contribution says why rather than failing.
        let vuota = tempfile::tempdir().unwrap();
        let s = stato(&app(vuota.path(), false)).unwrap();
        assert!(s.calcolo.is_none());
        assert!(s.calcolo_errore.unwrap().contains("profilo"));
    }

    #[test]
    fn items_and_amounts_speak_of_fields_not_flags() {
        let dir = tempfile::tempdir().unwrap();
        let a = app(dir.path(), true);
        let e = voce_aggiungi(
            &a,
            &VoceNuova {
                descrizione: "x".into(),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.codice, Codice::NonValido);
        assert!(!e.messaggio.contains("--"), "{}", e.messaggio);
        let e = importo_aggiungi(&a, "concesso", "1,234", "01/01/2027", None).unwrap_err();
        assert!(e.messaggio.starts_with("Importo"), "{}", e.messaggio);
        let r = voce_aggiungi(
            &a,
            &VoceNuova {
                descrizione: "Adeguamento".into(),
                importo: Some("12.000,00".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            r.stato.calcolo.unwrap().esito.contributo,
            Some(Decimal::new(960000, 2))
        );
        let r = importo_aggiungi(&a, "concesso", "9600", "15/01/2027", Some("decreto")).unwrap();
        assert_eq!(r.stato.totali.concesso, Decimal::new(9600, 0));
        let s = importo_elimina(&a, r.movimento.id.unwrap()).unwrap();
        assert!(s.importi.is_empty());
        let s = voce_elimina(&a, 1).unwrap();
        assert!(s.stima.righe.is_empty());
    }

    #[test]
    fn the_summary_is_saved_as_pdf_or_xlsx_by_extension() {
        let dir = tempfile::tempdir().unwrap();
        let a = app(dir.path(), true);
        riepilogo_salva(&a, &dir.path().join("r.pdf")).unwrap();
        assert!(
            std::fs::read(dir.path().join("r.pdf"))
                .unwrap()
                .starts_with(b"%PDF")
        );
        riepilogo_salva(&a, &dir.path().join("r.XLSX")).unwrap();
        assert!(
            std::fs::read(dir.path().join("r.XLSX"))
                .unwrap()
                .starts_with(b"PK")
        );
        let e = riepilogo_salva(&a, &dir.path().join("r.txt")).unwrap_err();
        assert_eq!(e.codice, Codice::Argomento);
        assert!(!dir.path().join("r.txt").exists());
    }
}
