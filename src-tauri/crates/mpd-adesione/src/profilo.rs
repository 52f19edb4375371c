//! The Ente's adhesion profile, read from the profile file's extra data.
//!
//! `ente set` keeps everything of the TOML file that the backbone does not know as JSON (the
//! keys of `[ente]` beyond the four codes, the other top-level sections, and each
//! `[[tipi_dovuto]]`'s extra keys under `tipi_dovuto_extra`). This module reads that JSON by
//! hand rather than through a serde derive: a value of the wrong type must become a
//! [`Problema`] that names the field, not an error that hides the rest of the profile.
//!
//! ```toml
//! [ente]                      # …the four codes, then:
//! pec = "protocollo@pec.comune.esempio.it"
//! indirizzo = "Piazza Municipio 1, 20100 Esempio (MI)"
//!
//! [adesione]
//! tipo_ente = "comune-montano"        # see TipoEnte::code
//! codice_istat = "013999"
//! popolazione = 4200
//! popolazione_fonte = "ISTAT, bilancio demografico"
//! popolazione_data = "31/12/2025"     # or 2025-12-31
//! modalita = ["base", "per-flussi"]   # base, per-flussi, presso-ente
//! legale_rappresentante = "Mario Rossi, Sindaco"
//!
//! [referenti.amministrativo]          # the referente dei pagamenti
//! nome = "Anna Bianchi"
//! codice_fiscale = "BNCNNA80A41F205X"
//! email = "ragioneria@comune.esempio.it"
//! telefono = "0341 000000"
//!
//! [[conti]]
//! iban = "IT60X0542811101000000123456"
//! tipo = "tesoreria"                  # or "postale"
//! intestatario = "Comune di Esempio"
//!
//! [[tipi_dovuto]]                     # …the backbone's keys, then:
//! iban = "IT60X0542811101000000123456"
//! capitolo = "3010"
//! modalita = "per-flussi"
//! ```

use chrono::NaiveDate;
use mpd_domain::{Ente, TipoDovuto};
use serde::Serialize;
use serde_json::Value;

use crate::{Gravita, Problema};

/// Kind of Ente, as the contribution rules name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TipoEnte {
    Comune,
    ComuneMontano,
    UnioneComuni,
    ComunitaMontana,
    AreaProtetta,
    Natura2000,
    Altro,
}

impl TipoEnte {
    pub const ALL: [TipoEnte; 7] = [
        TipoEnte::Comune,
        TipoEnte::ComuneMontano,
        TipoEnte::UnioneComuni,
        TipoEnte::ComunitaMontana,
        TipoEnte::AreaProtetta,
        TipoEnte::Natura2000,
        TipoEnte::Altro,
    ];

    /// The code used in files, rules and the CLI.
    pub fn code(self) -> &'static str {
        match self {
            TipoEnte::Comune => "comune",
            TipoEnte::ComuneMontano => "comune-montano",
            TipoEnte::UnioneComuni => "unione-comuni",
            TipoEnte::ComunitaMontana => "comunita-montana",
            TipoEnte::AreaProtetta => "area-protetta",
            TipoEnte::Natura2000 => "natura-2000",
            TipoEnte::Altro => "altro",
        }
    }

    /// How the clerk reads it.
    pub fn nome(self) -> &'static str {
        match self {
            TipoEnte::Comune => "comune",
            TipoEnte::ComuneMontano => "comune montano",
            TipoEnte::UnioneComuni => "unione di comuni",
            TipoEnte::ComunitaMontana => "comunità montana",
            TipoEnte::AreaProtetta => "ente gestore di area protetta",
            TipoEnte::Natura2000 => "ente gestore di sito Rete Natura 2000",
            TipoEnte::Altro => "altro ente pubblico",
        }
    }

    /// Parses a code (`comune-montano`; `_` and case are tolerated).
    pub fn parse(s: &str) -> Option<TipoEnte> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        TipoEnte::ALL.into_iter().find(|t| t.code() == s)
    }

    /// Comuni are the kinds whose population decides the rate.
    pub fn is_comune(self) -> bool {
        matches!(self, TipoEnte::Comune | TipoEnte::ComuneMontano)
    }
}

impl Serialize for TipoEnte {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// Adhesion mode (spec §1.1). Base is always on; the other two can both be chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Modalita {
    Base,
    PerFlussi,
    PressoEnte,
}

impl Modalita {
    pub const ALL: [Modalita; 3] = [Modalita::Base, Modalita::PerFlussi, Modalita::PressoEnte];

    pub fn code(self) -> &'static str {
        match self {
            Modalita::Base => "base",
            Modalita::PerFlussi => "per-flussi",
            Modalita::PressoEnte => "presso-ente",
        }
    }

    pub fn nome(self) -> &'static str {
        match self {
            Modalita::Base => "base",
            Modalita::PerFlussi => "per flussi",
            Modalita::PressoEnte => "pagamento iniziato presso l'Ente",
        }
    }

    pub fn parse(s: &str) -> Option<Modalita> {
        let s = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        match s.as_str() {
            "base" => Some(Modalita::Base),
            "per-flussi" | "flussi" => Some(Modalita::PerFlussi),
            "presso-ente" | "iniziato-presso-ente" | "ws" => Some(Modalita::PressoEnte),
            _ => None,
        }
    }

    /// Parses `base,per-flussi`; the first unknown value is the error.
    pub fn parse_list(s: &str) -> Result<Vec<Modalita>, String> {
        let mut out = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let m = Modalita::parse(part).ok_or_else(|| part.to_string())?;
            if !out.contains(&m) {
                out.push(m);
            }
        }
        out.sort();
        Ok(out)
    }
}

impl Serialize for Modalita {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// A person the Ente names to the Region.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Referente {
    pub nome: Option<String>,
    pub codice_fiscale: Option<String>,
    pub email: Option<String>,
    pub telefono: Option<String>,
    pub ruolo: Option<String>,
}

/// Treasury (bank) or postal account: MyPay keeps one IBAN of each per payment type (spec §3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TipoConto {
    Tesoreria,
    Postale,
}

impl TipoConto {
    pub fn nome(self) -> &'static str {
        match self {
            TipoConto::Tesoreria => "tesoreria",
            TipoConto::Postale => "postale",
        }
    }
}

/// An account the Ente collects on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conto {
    pub iban: String,
    pub tipo: TipoConto,
    pub intestatario: Option<String>,
    pub descrizione: Option<String>,
}

/// A payment type with what the informativa asks beyond the backbone's fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TipoAdesione {
    #[serde(flatten)]
    pub tipo: TipoDovuto,
    pub iban: Option<String>,
    /// Accounting chapter: asked only for types in base mode (spec §3.1).
    pub capitolo: Option<String>,
    /// Activation mode of this type; `None` means the Ente's first advanced mode, or base.
    pub modalita: Option<Modalita>,
}

/// Everything the adhesion documents and the contribution need to know about the Ente.
#[derive(Clone, Debug, Serialize)]
pub struct Profilo {
    pub ente: Ente,
    pub pec: Option<String>,
    pub indirizzo: Option<String>,
    pub tipo_ente: Option<TipoEnte>,
    pub codice_istat: Option<String>,
    pub popolazione: Option<u32>,
    pub popolazione_fonte: Option<String>,
    pub popolazione_data: Option<NaiveDate>,
    pub modalita: Vec<Modalita>,
    pub legale_rappresentante: Option<String>,
    pub referente_amministrativo: Option<Referente>,
    pub referente_tecnico: Option<Referente>,
    pub conti: Vec<Conto>,
    pub tipi: Vec<TipoAdesione>,
    /// PEC of the Region and copy address, when the profile overrides the shipped ones.
    pub pec_regione: Option<String>,
    pub pec_cc: Option<String>,
    /// Values that could not be read (wrong type, unknown code), each naming its field.
    #[serde(skip)]
    pub letture: Vec<Problema>,
}

impl Profilo {
    /// Reads the profile from the Ente, its payment types and the extra JSON kept by `ente set`.
    pub fn from_parts(ente: Ente, tipi: &[TipoDovuto], extra: &Value) -> Profilo {
        let mut r = Reader {
            problemi: Vec::new(),
        };
        let ad = extra.get("adesione");
        // Keys are looked up in [adesione] first, then in [ente], so either place works.
        let key = |k: &str| ad.and_then(|a| a.get(k)).or_else(|| extra.get(k));
        let field = |k: &str| {
            if ad.and_then(|a| a.get(k)).is_some() {
                format!("adesione.{k}")
            } else {
                format!("ente.{k}")
            }
        };
        let tipo_ente = match r.text(key("tipo_ente"), &field("tipo_ente")) {
            Some(t) => match TipoEnte::parse(&t) {
                Some(t) => Some(t),
                None => {
                    r.bad(
                        &field("tipo_ente"),
                        format!(
                            "«{t}» non è un tipo di ente riconosciuto: usare uno di {}",
                            TipoEnte::ALL.map(TipoEnte::code).join(", ")
                        ),
                        "il tipo di ente decide la percentuale del contributo regionale",
                    );
                    None
                }
            },
            None => None,
        };
        let modalita = match key("modalita") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => r.modalita(s, &field("modalita")),
            Some(Value::Array(items)) => {
                let joined: Vec<String> = items
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string())
                    })
                    .collect();
                r.modalita(&joined.join(","), &field("modalita"))
            }
            Some(other) => {
                r.bad(
                    &field("modalita"),
                    format!(
                        "deve essere un elenco, es. [\"base\", \"per-flussi\"], trovato {other}"
                    ),
                    "la modalità decide cosa chiedere alla Regione e se spetta il contributo",
                );
                Vec::new()
            }
        };
        let referenti = extra.get("referenti");
        let referente = |r: &mut Reader, which: &str| {
            let v = referenti.and_then(|x| x.get(which))?;
            let f = |k: &str| format!("referenti.{which}.{k}");
            Some(Referente {
                nome: r.text(v.get("nome"), &f("nome")),
                codice_fiscale: r.text(v.get("codice_fiscale"), &f("codice_fiscale")),
                email: r.text(v.get("email"), &f("email")),
                telefono: r.text(v.get("telefono"), &f("telefono")),
                ruolo: r.text(v.get("ruolo"), &f("ruolo")),
            })
        };
        let referente_amministrativo = referente(&mut r, "amministrativo");
        let referente_tecnico = referente(&mut r, "tecnico");
        let mut conti = Vec::new();
        if let Some(list) = extra.get("conti") {
            match list.as_array() {
                Some(items) => {
                    for (i, c) in items.iter().enumerate() {
                        let f = |k: &str| format!("conti[{}].{k}", i + 1);
                        let iban = r
                            .text(c.get("iban"), &f("iban"))
                            .map(|s| s.replace(' ', "").to_ascii_uppercase())
                            .unwrap_or_default();
                        let tipo = match r.text(c.get("tipo"), &f("tipo")).as_deref() {
                            None => {
                                if is_postal_iban(&iban) {
                                    TipoConto::Postale
                                } else {
                                    TipoConto::Tesoreria
                                }
                            }
                            Some(t) if t.eq_ignore_ascii_case("postale") => TipoConto::Postale,
                            Some(t)
                                if t.eq_ignore_ascii_case("tesoreria")
                                    || t.eq_ignore_ascii_case("bancario") =>
                            {
                                TipoConto::Tesoreria
                            }
                            Some(t) => {
                                r.bad(
                                    &f("tipo"),
                                    format!("«{t}»: usare \"tesoreria\" o \"postale\""),
                                    "MyPay tiene separati l'IBAN postale e quello di tesoreria di ogni tipo dovuto",
                                );
                                TipoConto::Tesoreria
                            }
                        };
                        conti.push(Conto {
                            iban,
                            tipo,
                            intestatario: r.text(c.get("intestatario"), &f("intestatario")),
                            descrizione: r.text(c.get("descrizione"), &f("descrizione")),
                        });
                    }
                }
                None => r.bad(
                    "conti",
                    "deve essere un elenco di conti, ognuno con iban e tipo".into(),
                    "i conti di accredito vanno indicati nel modulo informativa",
                ),
            }
        }
        let tipi_extra = extra.get("tipi_dovuto_extra");
        let tipi = tipi
            .iter()
            .filter(|t| t.attivo)
            .map(|t| {
                let x = tipi_extra.and_then(|m| m.get(&t.codice));
                let f = |k: &str| format!("tipi_dovuto «{}».{k}", t.codice);
                let modalita = r
                    .text(x.and_then(|x| x.get("modalita")), &f("modalita"))
                    .and_then(|m| {
                        let parsed = Modalita::parse(&m);
                        if parsed.is_none() {
                            r.bad(
                                &f("modalita"),
                                format!("«{m}»: usare base, per-flussi o presso-ente"),
                                "la modalità di attivazione di ogni tipo dovuto va nel modulo informativa",
                            );
                        }
                        parsed
                    });
                TipoAdesione {
                    tipo: t.clone(),
                    iban: r
                        .text(x.and_then(|x| x.get("iban")), &f("iban"))
                        .map(|s| s.replace(' ', "").to_ascii_uppercase()),
                    capitolo: r.text(x.and_then(|x| x.get("capitolo")), &f("capitolo")),
                    modalita,
                }
            })
            .collect();
        let popolazione = r.count(key("popolazione"), &field("popolazione"));
        let popolazione_data = r.date(key("popolazione_data"), &field("popolazione_data"));
        Profilo {
            pec: r.text(key("pec"), &field("pec")),
            indirizzo: r.text(key("indirizzo"), &field("indirizzo")),
            tipo_ente,
            codice_istat: r.text(key("codice_istat"), &field("codice_istat")),
            popolazione,
            popolazione_fonte: r.text(key("popolazione_fonte"), &field("popolazione_fonte")),
            popolazione_data,
            modalita,
            legale_rappresentante: r.text(
                key("legale_rappresentante"),
                &field("legale_rappresentante"),
            ),
            referente_amministrativo,
            referente_tecnico,
            conti,
            tipi,
            pec_regione: r.text(key("pec_regione"), &field("pec_regione")),
            pec_cc: r.text(key("pec_cc"), &field("pec_cc")),
            letture: r.problemi,
            ente,
        }
    }

    /// The modes with base always included (spec §1.1: base is implicitly on).
    pub fn modalita_effettive(&self) -> Vec<Modalita> {
        let mut m = self.modalita.clone();
        if !m.contains(&Modalita::Base) && !m.is_empty() {
            m.insert(0, Modalita::Base);
        }
        m
    }

    /// The IBAN a payment type credits: its own, else the first treasury account.
    pub fn iban_del_tipo<'a>(&'a self, t: &'a TipoAdesione) -> Option<&'a str> {
        t.iban.as_deref().or_else(|| {
            self.conti
                .iter()
                .find(|c| c.tipo == TipoConto::Tesoreria)
                .map(|c| c.iban.as_str())
        })
    }

    /// The activation mode of a payment type.
    pub fn modalita_del_tipo(&self, t: &TipoAdesione) -> Modalita {
        t.modalita.unwrap_or_else(|| {
            self.modalita
                .iter()
                .copied()
                .find(|m| *m != Modalita::Base)
                .unwrap_or(Modalita::Base)
        })
    }
}

/// A postal IBAN carries Poste Italiane's ABI `07601` (MyPay forces the Poste BIC on it).
pub fn is_postal_iban(iban: &str) -> bool {
    iban.len() == 27 && iban.starts_with("IT") && &iban[5..10] == "07601"
}

struct Reader {
    problemi: Vec<Problema>,
}

impl Reader {
    fn bad(&mut self, campo: &str, messaggio: String, perche: &str) {
        self.problemi.push(Problema {
            campo: campo.to_string(),
            gravita: Gravita::Errore,
            messaggio,
            perche: perche.to_string(),
        });
    }

    /// A non-empty trimmed text; numbers are accepted as their digits (an ISTAT code typed
    /// without quotes), anything else is reported.
    fn text(&mut self, v: Option<&Value>, campo: &str) -> Option<String> {
        match v? {
            Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Value::Number(n) => Some(n.to_string()),
            Value::Null => None,
            other => {
                self.bad(
                    campo,
                    format!("deve essere un testo tra virgolette, trovato {other}"),
                    "il valore non si può leggere, quindi non finisce nei documenti",
                );
                None
            }
        }
    }

    fn count(&mut self, v: Option<&Value>, campo: &str) -> Option<u32> {
        let why = "la popolazione decide se il comune rientra nelle soglie del contributo";
        match v? {
            Value::Number(n) => match n.as_u64().and_then(|n| u32::try_from(n).ok()) {
                Some(n) => Some(n),
                None => {
                    self.bad(
                        campo,
                        format!("«{n}» deve essere un numero intero di abitanti"),
                        why,
                    );
                    None
                }
            },
            Value::String(s) => {
                // Italians write 4.200: dots and spaces are thousands separators here.
                let digits: String = s
                    .chars()
                    .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}'))
                    .collect();
                match digits.parse::<u32>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        self.bad(
                            campo,
                            format!("«{s}» deve essere un numero intero di abitanti"),
                            why,
                        );
                        None
                    }
                }
            }
            Value::Null => None,
            other => {
                self.bad(
                    campo,
                    format!("deve essere un numero, trovato {other}"),
                    why,
                );
                None
            }
        }
    }

    fn date(&mut self, v: Option<&Value>, campo: &str) -> Option<NaiveDate> {
        // A TOML date (popolazione_data = 2025-12-31) reaches the JSON as toml's private
        // datetime wrapper; a quoted one as text, Italian or ISO.
        let text = match v? {
            Value::String(s) => s.trim().to_string(),
            Value::Object(o) => o
                .get("$__toml_private_datetime")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            Value::Null => return None,
            other => other.to_string(),
        };
        if text.is_empty() {
            return None;
        }
        let parsed = parse_date(&text);
        if parsed.is_none() {
            self.bad(
                campo,
                format!("«{text}» non è una data: scrivere gg/mm/aaaa, es. 31/12/2025"),
                "la popolazione vale alla sua data di riferimento: senza, la soglia non si può verificare",
            );
        }
        parsed
    }

    fn modalita(&mut self, s: &str, campo: &str) -> Vec<Modalita> {
        match Modalita::parse_list(s) {
            Ok(m) => m,
            Err(bad) => {
                self.bad(
                    campo,
                    format!("«{bad}» non è una modalità: usare base, per-flussi, presso-ente"),
                    "la modalità decide cosa chiedere alla Regione e se spetta il contributo",
                );
                Vec::new()
            }
        }
    }
}

/// `31/12/2025`, `31-12-2025` or `2025-12-31` (a time part, as TOML may add, is ignored).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let s = s.split(['T', ' ']).next().unwrap_or(s);
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .ok()
}
