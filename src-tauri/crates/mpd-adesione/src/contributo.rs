//! The regional contribution: rules as versioned data, the computation, the expense estimate.
//!
//! The text of DGR X/6911/2017 was not found (spec §2.2), so nothing of it is code: the
//! categories, thresholds, percentages, admissible modes, cap, rounding and standard costs
//! are a [`Misura`] read from TOML. The preset ([`PRESET_TOML`], `assets/contributo/`) is
//! compiled in; a clerk's edited copy replaces it. The computation is:
//!
//! ```text
//! no admissible mode chosen               → 0 %
//! first rule matching kind (+ population) → its rate
//! otherwise                               → percentuale_altri_enti
//! contributo = round(rate × min(spesa, massimale))
//! ```
//!
//! and every result carries one sentence saying why ("80%: comune montano con 4.200
//! abitanti, soglia 5.000"), which rule applied and what is still to be verified.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::profilo::{Modalita, TipoEnte};
use crate::{AdesioneError, Result, format_int};

/// The shipped preset: what is known of DGR X/6911/2017.
pub const PRESET_TOML: &str = include_str!("../../../../assets/contributo/dgr-x-6911-2017.toml");

/// How the contribution is rounded to cents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Arrotondamento {
    /// Half a cent goes up (MidpointAwayFromZero).
    Commerciale,
    /// Never up (truncation), as grant acts often say "arrotondato per difetto".
    Difetto,
}

/// One rule: kinds of Ente, an optional population threshold (inclusive), a rate.
#[derive(Clone, Debug, Serialize)]
pub struct Regola {
    pub tipi_ente: Vec<TipoEnte>,
    pub popolazione_max: Option<u32>,
    pub percentuale: u8,
    pub descrizione: String,
}

/// A standard cost the act may fix (editable; `importo` empty when unknown).
#[derive(Clone, Debug, Serialize)]
pub struct CostoStandard {
    pub codice: String,
    pub descrizione: String,
    pub importo: Option<Decimal>,
    pub da_verificare: bool,
}

/// A contribution measure: its act, rules and figures.
#[derive(Clone, Debug, Serialize)]
pub struct Misura {
    pub id: String,
    pub versione: String,
    pub nome: String,
    pub atto: String,
    pub base_giuridica: String,
    pub fonte: String,
    pub modalita_ammesse: Vec<Modalita>,
    pub percentuale_altri_enti: u8,
    pub arrotondamento: Arrotondamento,
    pub massimale: Option<Decimal>,
    pub da_verificare: Vec<String>,
    pub regole: Vec<Regola>,
    pub costi_standard: Vec<CostoStandard>,
    /// The TOML it was read from (kept so that an edited copy can be exported again).
    #[serde(skip)]
    pub testo: String,
}

#[derive(Deserialize)]
struct RawFile {
    misura: RawMisura,
}

#[derive(Deserialize)]
struct RawMisura {
    id: String,
    #[serde(default)]
    versione: String,
    nome: String,
    atto: String,
    #[serde(default)]
    base_giuridica: String,
    #[serde(default)]
    fonte: String,
    modalita_ammesse: Vec<String>,
    percentuale_altri_enti: u8,
    #[serde(default)]
    arrotondamento: Option<String>,
    #[serde(default)]
    massimale: Option<String>,
    #[serde(default)]
    da_verificare: Vec<String>,
    #[serde(default)]
    regole: Vec<RawRegola>,
    #[serde(default)]
    costi_standard: Vec<RawCosto>,
}

#[derive(Deserialize)]
struct RawRegola {
    tipi_ente: Vec<String>,
    #[serde(default)]
    popolazione_max: Option<u32>,
    percentuale: u8,
    descrizione: String,
}

#[derive(Deserialize)]
struct RawCosto {
    codice: String,
    descrizione: String,
    #[serde(default)]
    importo: Option<String>,
    #[serde(default)]
    da_verificare: bool,
}

impl Misura {
    /// The shipped preset.
    pub fn preset() -> Misura {
        // The preset is tested; failing here means the shipped file was broken by an edit.
        Misura::from_toml(PRESET_TOML).expect("the shipped contribution preset is valid")
    }

    /// Reads and checks a rules file; errors name the key.
    pub fn from_toml(text: &str) -> Result<Misura> {
        let bad = |m: String| AdesioneError::Regole(m);
        let raw: RawFile = toml::from_str(text).map_err(|e| bad(e.message().to_string()))?;
        let r = raw.misura;
        let pct = |p: u8, key: &str| {
            if p > 100 {
                Err(bad(format!("{key}: {p} non è una percentuale tra 0 e 100")))
            } else {
                Ok(p)
            }
        };
        let mut modalita_ammesse = Vec::new();
        for m in &r.modalita_ammesse {
            modalita_ammesse.push(Modalita::parse(m).ok_or_else(|| {
                bad(format!("misura.modalita_ammesse: «{m}» non è una modalità (base, per-flussi, presso-ente)"))
            })?);
        }
        let arrotondamento = match r.arrotondamento.as_deref().map(str::trim) {
            None | Some("") | Some("commerciale") => Arrotondamento::Commerciale,
            Some("difetto") => Arrotondamento::Difetto,
            Some(other) => {
                return Err(bad(format!(
                    "misura.arrotondamento: «{other}»: usare \"commerciale\" o \"difetto\""
                )));
            }
        };
        let massimale = amount(r.massimale.as_deref(), "misura.massimale")?;
        let mut regole = Vec::new();
        for (i, g) in r.regole.into_iter().enumerate() {
            let key = format!("misura.regole n. {}", i + 1);
            let mut tipi = Vec::new();
            for t in &g.tipi_ente {
                tipi.push(TipoEnte::parse(t).ok_or_else(|| {
                    bad(format!(
                        "{key}: tipi_ente: «{t}» non è un tipo di ente ({})",
                        TipoEnte::ALL.map(TipoEnte::code).join(", ")
                    ))
                })?);
            }
            regole.push(Regola {
                tipi_ente: tipi,
                popolazione_max: g.popolazione_max,
                percentuale: pct(g.percentuale, &format!("{key}: percentuale"))?,
                descrizione: g.descrizione,
            });
        }
        let mut costi_standard = Vec::new();
        for c in r.costi_standard {
            let key = format!("misura.costi_standard «{}».importo", c.codice);
            costi_standard.push(CostoStandard {
                importo: amount(c.importo.as_deref(), &key)?,
                codice: c.codice,
                descrizione: c.descrizione,
                da_verificare: c.da_verificare,
            });
        }
        Ok(Misura {
            id: r.id,
            versione: r.versione,
            nome: r.nome,
            atto: r.atto,
            base_giuridica: r.base_giuridica,
            fonte: r.fonte,
            modalita_ammesse,
            percentuale_altri_enti: pct(r.percentuale_altri_enti, "misura.percentuale_altri_enti")?,
            arrotondamento,
            massimale,
            da_verificare: r.da_verificare,
            regole,
            costi_standard,
            testo: text.to_string(),
        })
    }

    pub fn costo_standard(&self, codice: &str) -> Option<&CostoStandard> {
        self.costi_standard.iter().find(|c| c.codice == codice)
    }

    fn round(&self, d: Decimal) -> Decimal {
        let strategy = match self.arrotondamento {
            Arrotondamento::Commerciale => RoundingStrategy::MidpointAwayFromZero,
            Arrotondamento::Difetto => RoundingStrategy::ToZero,
        };
        // Always two decimals, so that money reads (and serializes) as "800.00".
        let mut r = d.round_dp_with_strategy(2, strategy);
        r.rescale(2);
        r
    }
}

/// An amount in a rules file: `"12000.00"` or `"12.000,00"`; empty means unknown.
fn amount(s: Option<&str>, key: &str) -> Result<Option<Decimal>> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => parse_euro(v)
            .map(|mut d| {
                d.rescale(2);
                Some(d)
            })
            .map_err(|m| AdesioneError::Regole(format!("{key}: {m}"))),
    }
}

/// An amount as a clerk types it (`12000`, `12000.00`, `12.000,00`, `€ 1.234,5`), > 0 … or 0.
pub fn parse_euro(s: &str) -> std::result::Result<Decimal, String> {
    let d = mpd_domain::money::parse_it(s).map_err(|e| format!("«{s}»: {}", e.message_it()))?;
    if d < Decimal::ZERO {
        return Err(format!("«{s}»: l'importo non può essere negativo"));
    }
    Ok(d)
}

/// Formats an amount the Italian way: `12.000,00 €`.
pub fn format_euro(d: Decimal) -> String {
    mpd_domain::money::format_it(d)
}

/// What the computation needs: the Ente's kind, population, modes and, optionally, the
/// estimated expense.
#[derive(Clone, Debug)]
pub struct Richiesta {
    pub tipo_ente: TipoEnte,
    pub popolazione: Option<u32>,
    /// `None` with a population makes the result provisional (which figure was used?).
    pub popolazione_data: Option<NaiveDate>,
    pub modalita: Vec<Modalita>,
    pub spesa: Option<Decimal>,
}

/// The result, with its reason.
#[derive(Clone, Debug, Serialize)]
pub struct Esito {
    pub misura: String,
    pub atto: String,
    pub ammissibile: bool,
    pub percentuale: u8,
    /// One sentence: "80%: comune montano con 4.200 abitanti, soglia 5.000".
    pub motivo: String,
    /// Index (from 1) of the rule that applied, if one did.
    pub regola: Option<usize>,
    pub tipo_ente: TipoEnte,
    pub popolazione: Option<u32>,
    pub modalita: Vec<Modalita>,
    /// True when an input is missing or undated: the result must be confirmed.
    pub provvisorio: bool,
    pub spesa: Option<Decimal>,
    /// The expense after the cap, if the measure has one.
    pub spesa_ammessa: Option<Decimal>,
    pub contributo: Option<Decimal>,
    pub arrotondamento: Arrotondamento,
    pub avvisi: Vec<String>,
    pub da_verificare: Vec<String>,
}

/// Computes the rate and, with an expense, the contribution.
pub fn calcola(m: &Misura, r: &Richiesta) -> Esito {
    let mut avvisi = Vec::new();
    let mut provvisorio = false;
    let ammessa = r.modalita.iter().any(|x| m.modalita_ammesse.contains(x));
    let pop = r.popolazione;
    let with_pop = |desc: &str, soglia: Option<u32>| match (pop, soglia) {
        (Some(p), Some(s)) => format!(
            "{desc} con {} abitanti, soglia {}",
            format_int(p.into()),
            format_int(s.into())
        ),
        (_, None) => format!("{desc}, qualunque sia la popolazione"),
        (None, Some(s)) => format!("{desc}, soglia {}", format_int(s.into())),
    };
    let (percentuale, motivo, regola) = if !ammessa {
        let ammesse: Vec<&str> = m.modalita_ammesse.iter().map(|x| x.nome()).collect();
        let scelte = if r.modalita.is_empty() {
            "nessuna modalità scelta".to_string()
        } else {
            format!(
                "modalità {}",
                r.modalita
                    .iter()
                    .map(|x| x.nome())
                    .collect::<Vec<_>>()
                    .join(" + ")
            )
        };
        (
            0,
            format!(
                "0%: {scelte}; il contributo spetta solo con {}",
                ammesse.join(" o ")
            ),
            None,
        )
    } else {
        let found = m.regole.iter().enumerate().find(|(_, g)| {
            g.tipi_ente.contains(&r.tipo_ente)
                && match g.popolazione_max {
                    None => true,
                    Some(max) => pop.is_some_and(|p| p <= max),
                }
        });
        match found {
            Some((i, g)) => (
                g.percentuale,
                format!(
                    "{}%: {}",
                    g.percentuale,
                    with_pop(&g.descrizione, g.popolazione_max)
                ),
                Some(i + 1),
            ),
            None => {
                let altri = m.percentuale_altri_enti;
                // Say which threshold was missed, so the clerk sees how close the Ente is.
                let missed = m
                    .regole
                    .iter()
                    .filter(|g| g.tipi_ente.contains(&r.tipo_ente))
                    .filter_map(|g| g.popolazione_max)
                    .max();
                let motivo = match (missed, pop) {
                    (Some(s), Some(p)) => format!(
                        "{altri}%: {} con {} abitanti, oltre la soglia di {}: rientra tra gli altri enti pubblici",
                        r.tipo_ente.nome(),
                        format_int(p.into()),
                        format_int(s.into())
                    ),
                    (Some(s), None) => {
                        provvisorio = true;
                        avvisi.push(
                            "popolazione non indicata: senza, la soglia non si può verificare"
                                .to_string(),
                        );
                        format!(
                            "{altri}%: {} senza popolazione indicata (soglia {}): provvisorio",
                            r.tipo_ente.nome(),
                            format_int(s.into())
                        )
                    }
                    (None, _) => format!(
                        "{altri}%: {}: rientra tra gli altri enti pubblici",
                        r.tipo_ente.nome()
                    ),
                };
                (altri, motivo, None)
            }
        }
    };
    if pop.is_some() && r.popolazione_data.is_none() && r.tipo_ente.is_comune() {
        provvisorio = true;
        avvisi.push("la popolazione non ha una data di riferimento: verificare quale dato ufficiale vale per la misura".to_string());
    }
    if r.tipo_ente == TipoEnte::UnioneComuni {
        avvisi.push(
            "unione di comuni: verificare sull'atto se rientra tra i comuni o tra gli altri enti"
                .to_string(),
        );
    }
    let spesa_ammessa = r.spesa.map(|s| match m.massimale {
        Some(max) if s > max => {
            avvisi.push(format!(
                "spesa ridotta al massimale di {}",
                format_euro(max)
            ));
            max
        }
        _ => s,
    });
    let contributo =
        spesa_ammessa.map(|s| m.round(s * Decimal::from(percentuale) / Decimal::ONE_HUNDRED));
    Esito {
        misura: m.id.clone(),
        atto: m.atto.clone(),
        ammissibile: percentuale > 0,
        percentuale,
        motivo,
        regola,
        tipo_ente: r.tipo_ente,
        popolazione: pop,
        modalita: r.modalita.clone(),
        provvisorio,
        spesa: r.spesa,
        spesa_ammessa,
        contributo,
        arrotondamento: m.arrotondamento,
        avvisi,
        da_verificare: m.da_verificare.clone(),
    }
}

/// How an expense item is valued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "tipo", rename_all = "kebab-case")]
pub enum Valore {
    /// A supplier's quote, VAT included if not recoverable.
    Preventivo { importo: Decimal },
    /// A standard cost of the measure times a number of services.
    CostoStandard { codice: String, quantita: u32 },
}

/// One item of the estimated expense.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VoceSpesa {
    pub id: Option<i64>,
    pub descrizione: String,
    pub fornitore: Option<String>,
    /// Quote number, CIG or other reference.
    pub riferimento: Option<String>,
    pub data: Option<NaiveDate>,
    #[serde(flatten)]
    pub valore: Valore,
}

/// An item with its value under a measure.
#[derive(Clone, Debug, Serialize)]
pub struct RigaStima {
    pub voce: VoceSpesa,
    pub importo: Option<Decimal>,
    /// Why the value is missing or to be verified.
    pub nota: Option<String>,
}

/// The estimated expense.
#[derive(Clone, Debug, Serialize)]
pub struct Stima {
    pub righe: Vec<RigaStima>,
    pub totale: Decimal,
    /// Some item has no value (a standard cost still empty in the rules).
    pub incompleta: bool,
}

/// Values every item under `m` and sums them.
pub fn stima(m: &Misura, voci: &[VoceSpesa]) -> Stima {
    let mut righe = Vec::new();
    let mut totale = Decimal::ZERO;
    let mut incompleta = false;
    for v in voci {
        let (importo, nota) = match &v.valore {
            Valore::Preventivo { importo } => (Some(*importo), None),
            Valore::CostoStandard { codice, quantita } => match m.costo_standard(codice) {
                None => (
                    None,
                    Some(format!(
                        "il costo standard «{codice}» non è tra quelli della misura"
                    )),
                ),
                Some(CostoStandard { importo: None, .. }) => (
                    None,
                    Some(format!(
                        "il costo standard «{codice}» non ha ancora un importo: indicarlo nelle regole della misura"
                    )),
                ),
                Some(c) => (
                    Some(c.importo.unwrap_or_default() * Decimal::from(*quantita)),
                    c.da_verificare
                        .then(|| format!("costo standard «{codice}» da verificare sull'atto")),
                ),
            },
        };
        match importo {
            Some(i) => totale += i,
            None => incompleta = true,
        }
        righe.push(RigaStima {
            voce: v.clone(),
            importo,
            nota,
        });
    }
    Stima {
        righe,
        totale,
        incompleta,
    }
}
