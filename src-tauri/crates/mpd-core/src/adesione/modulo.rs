//! The Ente profile as the window edits it: a form of plain text fields ([`ModuloEnte`]),
//! checked field by field ([`valida`]) and saved through the same path as `ente set`.
//!
//! Every value stays text as the clerk typed it, so a form sent back with errors loses
//! nothing. Saving writes the form as a profile file ([`ModuloEnte::to_toml`]), reads it back
//! with [`crate::ente_file::parse`] (the backbone's own checks) and stores it; keys of the
//! stored extra data that the form does not manage (for instance `[adesione] pec_regione`,
//! loaded from a file) are kept.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use mpd_adesione::profilo::{Modalita, TipoEnte};

use crate::Desk;

/// A contact person.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModuloReferente {
    pub nome: String,
    pub codice_fiscale: String,
    pub email: String,
    pub telefono: String,
    pub ruolo: String,
}

/// An account the Ente collects on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModuloConto {
    pub iban: String,
    /// `tesoreria` or `postale`.
    pub tipo: String,
    pub intestatario: String,
    pub descrizione: String,
}

/// A payment type with its adhesion data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The postal account the type collects on (its notices get the Bollettino Postale PA).
    pub conto_postale: String,
    pub intestatario_conto_postale: String,
    /// Poste's "stampa in proprio" authorisation.
    pub autorizzazione_poste: String,
}

impl Default for ModuloTipo {
    fn default() -> Self {
        ModuloTipo {
            codice: String::new(),
            descrizione: String::new(),
            tassonomia: String::new(),
            attivo: true,
            cf_anonimo: false,
            scadenza_obbligatoria: false,
            stampa_data_scadenza: false,
            importo_predefinito: String::new(),
            causale_predefinita: String::new(),
            scadenza_predefinita: String::new(),
            iban: String::new(),
            capitolo: String::new(),
            modalita: String::new(),
            conto_postale: String::new(),
            intestatario_conto_postale: String::new(),
            autorizzazione_poste: String::new(),
        }
    }
}

/// What the pagoPA notice says of the Ente (the profile's `[avviso]` section).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModuloAvviso {
    /// The office that manages the payments.
    pub settore: String,
    /// The contacts (site, phone, e-mail).
    pub info: String,
    pub cbill: String,
    /// The Ente's own desk that takes payments.
    pub canale_fisico: String,
    /// The logo's file name in the data folder (`logo-ente.png`), or empty.
    pub logo: String,
}

/// The whole profile as a form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModuloEnte {
    pub denominazione: String,
    pub codice_ipa: String,
    pub codice_fiscale: String,
    pub codice_segregazione: String,
    pub pec: String,
    pub indirizzo: String,
    /// A [`TipoEnte`] code, or empty.
    pub tipo_ente: String,
    pub codice_istat: String,
    pub popolazione: String,
    pub popolazione_fonte: String,
    /// `gg/mm/aaaa`.
    pub popolazione_data: String,
    /// [`Modalita`] codes.
    pub modalita: Vec<String>,
    pub legale_rappresentante: String,
    pub referente_amministrativo: ModuloReferente,
    pub referente_tecnico: ModuloReferente,
    pub conti: Vec<ModuloConto>,
    pub tipi: Vec<ModuloTipo>,
    pub avviso: ModuloAvviso,
}

/// A field that is not acceptable: `campo` is the form's key (`codice_fiscale`,
/// `conti.0.iban`, `tipi.1.tassonomia`, `referente_tecnico.email`), `messaggio` names the
/// field for the clerk and says why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErroreCampo {
    pub campo: String,
    pub messaggio: String,
}

/// The outcome of a save: nothing is stored while there are errors.
#[derive(Clone, Debug, Serialize)]
pub struct Salvataggio {
    pub salvato: bool,
    pub errori: Vec<ErroreCampo>,
    /// Things worth knowing that did not stop the save.
    pub avvisi: Vec<String>,
}

fn t(s: &str) -> &str {
    s.trim()
}

fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase()
}

fn population(s: &str) -> Option<u32> {
    let digits: String = s
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}'))
        .collect();
    digits.parse().ok()
}

fn date(s: &str) -> Option<NaiveDate> {
    mpd_adesione::profilo::parse_date(s)
}

fn it_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Checks every field and returns all the problems (none: the form can be saved).
pub fn valida(m: &ModuloEnte, oggi: NaiveDate) -> Vec<ErroreCampo> {
    let mut e = Vec::new();
    let mut err = |campo: &str, messaggio: String| {
        e.push(ErroreCampo {
            campo: campo.to_string(),
            messaggio,
        })
    };
    if t(&m.denominazione).is_empty() {
        err(
            "denominazione",
            "Denominazione: obbligatoria (es. «Comune di Esempio»)".into(),
        );
    }
    let ipa = t(&m.codice_ipa);
    if ipa.is_empty() {
        err(
            "codice_ipa",
            "Codice IPA: obbligatorio, è il codice dell'Ente nell'Indice della PA (es. «c_a123»)"
                .into(),
        );
    } else if ipa.contains('-') || ipa.contains(char::is_whitespace) {
        err(
            "codice_ipa",
            format!(
                "Codice IPA «{ipa}»: senza spazi né trattini (il trattino separa le parti del nome dei flussi)"
            ),
        );
    }
    let cf = t(&m.codice_fiscale);
    if cf.is_empty() {
        err(
            "codice_fiscale",
            "Codice fiscale dell'Ente: obbligatorio, 11 cifre".into(),
        );
    } else if let Err(x) = mpd_domain::piva::check_piva_strict(cf) {
        err(
            "codice_fiscale",
            format!("Codice fiscale dell'Ente «{cf}»: {}", x.message_it()),
        );
    }
    let seg = t(&m.codice_segregazione);
    if seg.len() != 2 || !seg.bytes().all(|b| b.is_ascii_digit()) {
        err(
            "codice_segregazione",
            format!(
                "Codice di segregazione «{seg}»: servono esattamente due cifre (es. «12»), come assegnato da MyPay"
            ),
        );
    }
    let pec = t(&m.pec);
    if !pec.is_empty() && !mpd_adesione::verifica::looks_like_email(pec) {
        err(
            "pec",
            format!("PEC «{pec}»: non è un indirizzo di posta valido"),
        );
    }
    if !t(&m.tipo_ente).is_empty() && TipoEnte::parse(&m.tipo_ente).is_none() {
        err(
            "tipo_ente",
            format!("Tipo di ente «{}»: non riconosciuto", t(&m.tipo_ente)),
        );
    }
    let istat = t(&m.codice_istat);
    if !istat.is_empty() && (istat.len() != 6 || !istat.bytes().all(|b| b.is_ascii_digit())) {
        err(
            "codice_istat",
            format!("Codice ISTAT «{istat}»: deve avere 6 cifre (es. «013075»)"),
        );
    }
    let pop = t(&m.popolazione);
    if !pop.is_empty() {
        match population(pop) {
            None => err(
                "popolazione",
                format!("Popolazione «{pop}»: deve essere un numero intero di abitanti"),
            ),
            Some(_) if t(&m.popolazione_data).is_empty() => err(
                "popolazione_data",
                "Data di riferimento della popolazione: obbligatoria quando si indica la popolazione (le soglie del contributo valgono per un dato ufficiale a una data precisa)"
                    .into(),
            ),
            Some(_) => {}
        }
    }
    let pd = t(&m.popolazione_data);
    if !pd.is_empty() {
        match date(pd) {
            None => err(
                "popolazione_data",
                format!(
                    "Data di riferimento della popolazione «{pd}»: non è una data, scrivere gg/mm/aaaa"
                ),
            ),
            Some(d) if d > oggi => err(
                "popolazione_data",
                format!(
                    "Data di riferimento della popolazione «{pd}»: è nel futuro, indicare la data del dato ufficiale"
                ),
            ),
            Some(_) => {}
        }
    }
    for md in &m.modalita {
        if Modalita::parse(md).is_none() {
            err(
                "modalita",
                format!("Modalità «{md}»: usare base, per flussi o iniziato presso l'Ente"),
            );
        }
    }
    for (key, nome, r) in [
        (
            "referente_amministrativo",
            "Referente amministrativo",
            &m.referente_amministrativo,
        ),
        (
            "referente_tecnico",
            "Referente tecnico",
            &m.referente_tecnico,
        ),
    ] {
        let cf = compact(&r.codice_fiscale);
        if !cf.is_empty()
            && let Err(x) = mpd_domain::cf::check_cf16(&cf)
        {
            err(
                &format!("{key}.codice_fiscale"),
                format!("{nome}, codice fiscale «{cf}»: {}", x.message_it()),
            );
        }
        let mail = t(&r.email);
        if !mail.is_empty() && !mpd_adesione::verifica::looks_like_email(mail) {
            err(
                &format!("{key}.email"),
                format!("{nome}, email «{mail}»: non è un indirizzo di posta valido"),
            );
        }
    }
    for (i, c) in m.conti.iter().enumerate() {
        let n = i + 1;
        let iban = compact(&c.iban);
        if iban.is_empty() {
            err(
                &format!("conti.{i}.iban"),
                format!("Conto n. {n}, IBAN: obbligatorio"),
            );
        } else if let Err(x) = mpd_domain::iban::check_iban(&iban) {
            err(
                &format!("conti.{i}.iban"),
                format!("Conto n. {n}, IBAN «{iban}»: {}", x.message_it()),
            );
        }
        if !matches!(t(&c.tipo), "" | "tesoreria" | "postale") {
            err(
                &format!("conti.{i}.tipo"),
                format!(
                    "Conto n. {n}, tipo «{}»: usare tesoreria o postale",
                    t(&c.tipo)
                ),
            );
        }
    }
    let dati = crate::ente_file::avviso::DatiAvviso {
        settore: m.avviso.settore.clone(),
        info: m.avviso.info.clone(),
        cbill: Some(m.avviso.cbill.clone()),
        canale_fisico: Some(m.avviso.canale_fisico.clone()),
        logo: Some(m.avviso.logo.clone()),
    };
    for (k, messaggio) in crate::ente_file::avviso::controlla(&dati) {
        err(&format!("avviso.{k}"), messaggio);
    }
    let logo = t(&m.avviso.logo);
    if logo.contains(['/', '\\']) || logo.starts_with('.') {
        err(
            "avviso.logo",
            format!(
                "Logo «{logo}»: va scelto con il pulsante, che lo copia nella cartella dei dati"
            ),
        );
    }
    let mut codici: Vec<&str> = Vec::new();
    for (i, tp) in m.tipi.iter().enumerate() {
        let codice = t(&tp.codice);
        let nome = if codice.is_empty() {
            format!("Tipo dovuto n. {}", i + 1)
        } else {
            format!("Tipo dovuto «{codice}»")
        };
        let mut e2 = |k: &str, m: String| err(&format!("tipi.{i}.{k}"), format!("{nome}, {m}"));
        if codice.is_empty() || codice.contains(char::is_whitespace) || codice.chars().count() > 64
        {
            e2(
                "codice",
                "codice: obbligatorio, senza spazi, al massimo 64 caratteri".into(),
            );
        } else if codice == "MARCA_BOLLO_DIGITALE" {
            e2(
                "codice",
                "codice: MARCA_BOLLO_DIGITALE non si può usare nei flussi di dovuti".into(),
            );
        } else if codici.contains(&codice) {
            e2("codice", "codice: già usato da un altro tipo dovuto".into());
        }
        codici.push(codice);
        if t(&tp.descrizione).is_empty() {
            e2("descrizione", "descrizione: obbligatoria".into());
        }
        let tax = t(&tp.tassonomia);
        if !mpd_domain::taxonomy::mypay_dati_riscossione_ok(tax) {
            e2(
                "tassonomia",
                format!(
                    "codice tassonomico «{tax}»: sceglierlo dall'elenco pagoPA (forma 9/0101100IM/)"
                ),
            );
        } else if let Ok(mpd_domain::taxonomy::TaxonomyStatus::OutOfValidity) =
            mpd_domain::taxonomy::check_taxonomy(tax, oggi)
        {
            e2(
                "tassonomia",
                format!("codice tassonomico «{tax}»: non è più valido, sceglierne uno attuale"),
            );
        }
        let iban = compact(&tp.iban);
        if !iban.is_empty()
            && let Err(x) = mpd_domain::iban::check_iban(&iban)
        {
            e2("iban", format!("IBAN «{iban}»: {}", x.message_it()));
        }
        let imp = t(&tp.importo_predefinito);
        if !imp.is_empty() {
            match crate::input::amount_text(imp) {
                Err(m) => e2("importo_predefinito", format!("importo predefinito {m}")),
                Ok((_, d)) if d <= rust_decimal::Decimal::ZERO => e2(
                    "importo_predefinito",
                    format!("importo predefinito «{imp}»: deve essere maggiore di zero"),
                ),
                Ok(_) => {}
            }
        }
        let sc = t(&tp.scadenza_predefinita);
        if !sc.is_empty()
            && let Err(m) = crate::input::date_text(sc)
        {
            e2("scadenza_predefinita", format!("scadenza predefinita {m}"));
        }
        for (k, messaggio) in crate::ente_file::avviso::controlla_conto(
            &tp.conto_postale,
            &tp.intestatario_conto_postale,
            &tp.autorizzazione_poste,
        ) {
            e2(k, messaggio);
        }
        if !t(&tp.modalita).is_empty() && Modalita::parse(&tp.modalita).is_none() {
            e2(
                "modalita",
                format!(
                    "modalità «{}»: usare base, per flussi o iniziato presso l'Ente",
                    t(&tp.modalita)
                ),
            );
        }
    }
    e
}

fn put(table: &mut toml::Table, key: &str, v: &str) {
    let v = v.trim();
    if !v.is_empty() {
        table.insert(key.into(), toml::Value::String(v.to_string()));
    }
}

impl ModuloEnte {
    /// The form as a profile file (the format `ente set` reads). Call [`valida`] first.
    pub fn to_toml(&self) -> String {
        let mut root = toml::Table::new();
        let mut ente = toml::Table::new();
        put(&mut ente, "codice_ipa", &self.codice_ipa);
        put(&mut ente, "codice_fiscale", &self.codice_fiscale);
        put(&mut ente, "denominazione", &self.denominazione);
        put(&mut ente, "codice_segregazione", &self.codice_segregazione);
        put(&mut ente, "pec", &self.pec);
        put(&mut ente, "indirizzo", &self.indirizzo);
        root.insert("ente".into(), ente.into());
        let mut ad = toml::Table::new();
        if let Some(te) = TipoEnte::parse(&self.tipo_ente) {
            ad.insert("tipo_ente".into(), te.code().into());
        }
        put(&mut ad, "codice_istat", &self.codice_istat);
        if let Some(p) = population(t(&self.popolazione)) {
            ad.insert("popolazione".into(), i64::from(p).into());
        }
        put(&mut ad, "popolazione_fonte", &self.popolazione_fonte);
        if let Some(d) = date(&self.popolazione_data) {
            ad.insert("popolazione_data".into(), it_date(d).into());
        }
        let mut modi: Vec<Modalita> = self
            .modalita
            .iter()
            .filter_map(|m| Modalita::parse(m))
            .collect();
        modi.sort();
        modi.dedup();
        if !modi.is_empty() {
            ad.insert(
                "modalita".into(),
                toml::Value::Array(modi.iter().map(|m| m.code().into()).collect()),
            );
        }
        put(
            &mut ad,
            "legale_rappresentante",
            &self.legale_rappresentante,
        );
        if !ad.is_empty() {
            root.insert("adesione".into(), ad.into());
        }
        let mut referenti = toml::Table::new();
        for (k, r) in [
            ("amministrativo", &self.referente_amministrativo),
            ("tecnico", &self.referente_tecnico),
        ] {
            let mut x = toml::Table::new();
            put(&mut x, "nome", &r.nome);
            put(&mut x, "codice_fiscale", &compact(&r.codice_fiscale));
            put(&mut x, "email", &r.email);
            put(&mut x, "telefono", &r.telefono);
            put(&mut x, "ruolo", &r.ruolo);
            if !x.is_empty() {
                referenti.insert(k.into(), x.into());
            }
        }
        if !referenti.is_empty() {
            root.insert("referenti".into(), referenti.into());
        }
        let conti: Vec<toml::Value> = self
            .conti
            .iter()
            .map(|c| {
                let mut x = toml::Table::new();
                put(&mut x, "iban", &compact(&c.iban));
                put(&mut x, "tipo", &c.tipo);
                put(&mut x, "intestatario", &c.intestatario);
                put(&mut x, "descrizione", &c.descrizione);
                x.into()
            })
            .collect();
        if !conti.is_empty() {
            root.insert("conti".into(), toml::Value::Array(conti));
        }
        let tipi: Vec<toml::Value> = self
            .tipi
            .iter()
            .map(|tp| {
                let mut x = toml::Table::new();
                put(&mut x, "codice", &tp.codice);
                put(&mut x, "descrizione", &tp.descrizione);
                put(&mut x, "dati_specifici_riscossione", &tp.tassonomia);
                x.insert("attivo".into(), tp.attivo.into());
                x.insert("cf_anonimo".into(), tp.cf_anonimo.into());
                x.insert(
                    "scadenza_obbligatoria".into(),
                    tp.scadenza_obbligatoria.into(),
                );
                x.insert(
                    "stampa_data_scadenza".into(),
                    tp.stampa_data_scadenza.into(),
                );
                put(&mut x, "causale_predefinita", &tp.causale_predefinita);
                put(&mut x, "importo_predefinito", &tp.importo_predefinito);
                put(&mut x, "scadenza_predefinita", &tp.scadenza_predefinita);
                put(&mut x, "iban", &compact(&tp.iban));
                put(&mut x, "capitolo", &tp.capitolo);
                if let Some(m) = Modalita::parse(&tp.modalita) {
                    x.insert("modalita".into(), m.code().into());
                }
                put(
                    &mut x,
                    "conto_postale",
                    &crate::ente_file::avviso::normalizza_conto(&tp.conto_postale)
                        .unwrap_or_else(|| tp.conto_postale.clone()),
                );
                put(
                    &mut x,
                    "intestatario_conto_postale",
                    &tp.intestatario_conto_postale,
                );
                put(&mut x, "autorizzazione_poste", &tp.autorizzazione_poste);
                x.into()
            })
            .collect();
        if !tipi.is_empty() {
            root.insert("tipi_dovuto".into(), toml::Value::Array(tipi));
        }
        let mut av = toml::Table::new();
        put(&mut av, "settore", &self.avviso.settore);
        put(&mut av, "info", &self.avviso.info);
        put(
            &mut av,
            "cbill",
            &crate::ente_file::avviso::normalizza_cbill(&self.avviso.cbill),
        );
        put(&mut av, "canale_fisico", &self.avviso.canale_fisico);
        put(&mut av, "logo", &self.avviso.logo);
        if !av.is_empty() {
            root.insert("avviso".into(), av.into());
        }
        toml::to_string_pretty(&root).unwrap_or_default()
    }
}

/// Adhesion keys the form manages, wherever a file put them (`[adesione]` or `[ente]`).
const CHIAVI_ADESIONE: [&str; 7] = [
    "tipo_ente",
    "codice_istat",
    "popolazione",
    "popolazione_fonte",
    "popolazione_data",
    "modalita",
    "legale_rappresentante",
];

/// The stored extra data with the form's values in place of the keys it manages; every other
/// key (e.g. `[adesione] pec_regione`) is kept.
fn unisci_extra(old: &str, new: &str) -> String {
    let mut out = match serde_json::from_str::<Value>(old) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    for k in ["pec", "indirizzo", "conti", "avviso"]
        .iter()
        .chain(&CHIAVI_ADESIONE)
    {
        out.remove(*k);
    }
    if let Some(Value::Object(ad)) = out.get_mut("adesione") {
        for k in CHIAVI_ADESIONE {
            ad.remove(k);
        }
    }
    if let Some(Value::Object(r)) = out.get_mut("referenti") {
        r.remove("amministrativo");
        r.remove("tecnico");
    }
    if let Some(Value::Object(tx)) = out.get_mut("tipi_dovuto_extra") {
        for v in tx.values_mut() {
            if let Value::Object(o) = v {
                for k in ["iban", "capitolo", "modalita"]
                    .iter()
                    .chain(&crate::ente_file::avviso::CHIAVI_CONTO)
                {
                    o.remove(*k);
                }
            }
        }
    }
    let new = match serde_json::from_str::<Value>(new) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    fn merge(into: &mut Map<String, Value>, from: Map<String, Value>) {
        for (k, v) in from {
            match (into.get_mut(&k), v) {
                (Some(Value::Object(a)), Value::Object(b)) => merge(a, b),
                (_, v) => {
                    into.insert(k, v);
                }
            }
        }
    }
    merge(&mut out, new);
    // Sections left empty by the removals above say nothing: drop them.
    out.retain(|_, v| !matches!(v, Value::Object(o) if o.is_empty()));
    if let Some(Value::Object(tx)) = out.get_mut("tipi_dovuto_extra") {
        tx.retain(|_, v| !matches!(v, Value::Object(o) if o.is_empty()));
        if tx.is_empty() {
            out.remove("tipi_dovuto_extra");
        }
    }
    Value::Object(out).to_string()
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

impl Desk {
    /// The stored profile as a form (an empty form, base mode, when there is none).
    pub fn ente_modulo(&self) -> crate::Result<ModuloEnte> {
        let Some(ente) = self.store().ente()? else {
            return Ok(ModuloEnte {
                modalita: vec![Modalita::Base.code().into()],
                ..Default::default()
            });
        };
        let extra: Value = serde_json::from_str(&self.store().ente_extra()?).unwrap_or_default();
        let tipi = self.store().tipi_dovuto()?;
        let p = mpd_adesione::Profilo::from_parts(ente.clone(), &tipi, &extra);
        let ad = extra.get("adesione");
        // The raw value when the profile could not read it: what was typed is not lost.
        let raw = |k: &str| text(ad.and_then(|a| a.get(k)).or_else(|| extra.get(k)));
        let referente = |r: Option<&mpd_adesione::profilo::Referente>| {
            r.map(|r| ModuloReferente {
                nome: r.nome.clone().unwrap_or_default(),
                codice_fiscale: r.codice_fiscale.clone().unwrap_or_default(),
                email: r.email.clone().unwrap_or_default(),
                telefono: r.telefono.clone().unwrap_or_default(),
                ruolo: r.ruolo.clone().unwrap_or_default(),
            })
            .unwrap_or_default()
        };
        let tipi_extra = extra.get("tipi_dovuto_extra");
        Ok(ModuloEnte {
            denominazione: ente.denominazione,
            codice_ipa: ente.codice_ipa,
            codice_fiscale: ente.codice_fiscale,
            codice_segregazione: ente.codice_segregazione,
            pec: p.pec.clone().unwrap_or_default(),
            indirizzo: p.indirizzo.clone().unwrap_or_default(),
            tipo_ente: p
                .tipo_ente
                .map(|t| t.code().to_string())
                .unwrap_or_else(|| raw("tipo_ente")),
            codice_istat: p.codice_istat.clone().unwrap_or_default(),
            popolazione: p
                .popolazione
                .map(|n| n.to_string())
                .unwrap_or_else(|| raw("popolazione")),
            popolazione_fonte: p.popolazione_fonte.clone().unwrap_or_default(),
            popolazione_data: p
                .popolazione_data
                .map(it_date)
                .unwrap_or_else(|| raw("popolazione_data")),
            modalita: p.modalita.iter().map(|m| m.code().to_string()).collect(),
            legale_rappresentante: p.legale_rappresentante.clone().unwrap_or_default(),
            referente_amministrativo: referente(p.referente_amministrativo.as_ref()),
            referente_tecnico: referente(p.referente_tecnico.as_ref()),
            conti: p
                .conti
                .iter()
                .map(|c| ModuloConto {
                    iban: c.iban.clone(),
                    tipo: c.tipo.nome().to_string(),
                    intestatario: c.intestatario.clone().unwrap_or_default(),
                    descrizione: c.descrizione.clone().unwrap_or_default(),
                })
                .collect(),
            // Every type, inactive ones too (debts may refer to them).
            tipi: tipi
                .iter()
                .map(|tp| {
                    let x = tipi_extra.and_then(|m| m.get(&tp.codice));
                    ModuloTipo {
                        codice: tp.codice.clone(),
                        descrizione: tp.descrizione.clone(),
                        tassonomia: tp.dati_specifici_riscossione.clone(),
                        attivo: tp.attivo,
                        cf_anonimo: tp.cf_anonimo,
                        scadenza_obbligatoria: tp.scadenza_obbligatoria,
                        stampa_data_scadenza: tp.stampa_data_scadenza,
                        importo_predefinito: tp
                            .importo_predefinito
                            .map(|d| d.to_string().replace('.', ","))
                            .unwrap_or_default(),
                        causale_predefinita: tp.causale_predefinita.clone().unwrap_or_default(),
                        scadenza_predefinita: tp
                            .scadenza_predefinita
                            .map(it_date)
                            .unwrap_or_default(),
                        iban: text(x.and_then(|x| x.get("iban"))),
                        capitolo: text(x.and_then(|x| x.get("capitolo"))),
                        modalita: text(x.and_then(|x| x.get("modalita"))),
                        conto_postale: text(x.and_then(|x| x.get("conto_postale"))),
                        intestatario_conto_postale: text(
                            x.and_then(|x| x.get("intestatario_conto_postale")),
                        ),
                        autorizzazione_poste: text(x.and_then(|x| x.get("autorizzazione_poste"))),
                    }
                })
                .collect(),
            avviso: {
                let d = crate::ente_file::avviso::dati(&extra);
                ModuloAvviso {
                    settore: d.settore,
                    info: d.info,
                    cbill: d.cbill.unwrap_or_default(),
                    canale_fisico: d.canale_fisico.unwrap_or_default(),
                    logo: d.logo.unwrap_or_default(),
                }
            },
        })
    }

    /// Checks the form and, when every field is acceptable, stores it as the Ente profile.
    pub fn salva_modulo(&mut self, m: &ModuloEnte) -> crate::Result<Salvataggio> {
        let mut errori = valida(m, self.today());
        let logo = m.avviso.logo.trim();
        if !logo.is_empty()
            && !errori.iter().any(|e| e.campo == "avviso.logo")
            && !self.cartella_dati().is_some_and(|c| c.join(logo).is_file())
        {
            errori.push(ErroreCampo {
                campo: "avviso.logo".into(),
                messaggio: format!(
                    "Logo «{logo}»: non è nella cartella dei dati, sceglierlo di nuovo"
                ),
            });
        }
        let mut avvisi = Vec::new();
        // A check-digit failure on the code already stored is the code MyPay registered (as
        // `ente set`, only a warning: the documents check still refuses it).
        if let Some(old) = self.store().ente()?
            && old.codice_fiscale == m.codice_fiscale.trim()
            && mpd_domain::piva::check_piva(&old.codice_fiscale)
                .is_err_and(|e| matches!(e, mpd_domain::piva::PivaError::WrongCheckDigit { .. }))
        {
            errori.retain(|e| {
                let keep = e.campo != "codice_fiscale";
                if !keep {
                    avvisi.push(format!(
                        "{} (codice già registrato, non modificato)",
                        e.messaggio
                    ));
                }
                keep
            });
        }
        if !errori.is_empty() {
            return Ok(Salvataggio {
                salvato: false,
                errori,
                avvisi: Vec::new(),
            });
        }
        let mut file = match crate::ente_file::parse(&m.to_toml()) {
            Ok(f) => f,
            // The form's checks cover the file's: this is a safety net, still named for the clerk.
            Err(e) => {
                return Ok(Salvataggio {
                    salvato: false,
                    errori: vec![ErroreCampo {
                        campo: String::new(),
                        messaggio: e.to_string(),
                    }],
                    avvisi: Vec::new(),
                });
            }
        };
        // The file reader's warnings speak of file sections; the form's clerk sees fields.
        avvisi.extend(file.warnings.into_iter().filter_map(|w| {
            if w.starts_with("campo codice_fiscale") {
                // Said above (the stored code kept) or refused by the form's own check.
                None
            } else if w.starts_with("nessun tipo dovuto nel file") {
                Some("nessun tipo dovuto: aggiungerne almeno uno (sezione «Tipi dovuto») per preparare dovuti".into())
            } else {
                Some(w)
            }
        }));
        if let Some(old) = self.store().ente()?
            && old.codice_ipa != file.ente.codice_ipa
            && self.debt_counts()?.iter().any(|c| c.numero > 0)
        {
            avvisi.push(format!(
                "il codice IPA è passato da «{}» a «{}»: i flussi già preparati portano il codice precedente, e la password va salvata di nuovo in Impostazioni",
                old.codice_ipa, file.ente.codice_ipa
            ));
        }
        // The form does not show a payment type's rules for positions (`[tipi_dovuto.posizioni]`,
        // set by `ente set`): a type already stored keeps its own.
        let stored = self.store().tipi_dovuto()?;
        for t in &mut file.tipi {
            if let Some(v) = stored.iter().find(|v| v.codice == t.codice) {
                t.posizioni = v.posizioni;
            }
        }
        let extra = unisci_extra(&self.store().ente_extra()?, &file.extra_json);
        let now = self.now();
        self.store_mut()
            .save_ente(&file.ente, &extra, &file.tipi, now)?;
        Ok(Salvataggio {
            salvato: true,
            errori: Vec::new(),
            avvisi,
        })
    }

    /// The stored profile as a profile file, for `ente set` on another computer.
    pub fn ente_toml(&self) -> crate::Result<String> {
        let testo = self.ente_modulo()?.to_toml();
        // The rules for positions are not in the form: written from the stored types, where
        // they differ from the defaults, so that the file carries the whole profile.
        let stored = self.store().tipi_dovuto()?;
        let Ok(mut root) = toml::from_str::<toml::Table>(&testo) else {
            return Ok(testo);
        };
        if let Some(toml::Value::Array(tipi)) = root.get_mut("tipi_dovuto") {
            for x in tipi.iter_mut() {
                let Some(x) = x.as_table_mut() else { continue };
                let codice = x.get("codice").and_then(toml::Value::as_str).unwrap_or("");
                let Some(t) = stored.iter().find(|t| t.codice == codice) else {
                    continue;
                };
                if t.posizioni != mpd_domain::posizione::RegolePosizioni::default()
                    && let Ok(v) = toml::Value::try_from(t.posizioni)
                {
                    x.insert("posizioni".into(), v);
                }
            }
        }
        Ok(toml::to_string_pretty(&root).unwrap_or(testo))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oggi() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn desk() -> Desk {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z")
            .unwrap()
            .to_utc();
        Desk::in_memory().unwrap().with_now(now)
    }

    fn completo() -> ModuloEnte {
        ModuloEnte {
            denominazione: "Comune di Esempio".into(),
            codice_ipa: "c_x123".into(),
            codice_fiscale: "01199250158".into(),
            codice_segregazione: "12".into(),
            pec: "protocollo@pec.comune.esempio.it".into(),
            indirizzo: "Piazza Municipio 1".into(),
            tipo_ente: "comune-montano".into(),
            codice_istat: "097999".into(),
            popolazione: "4.200".into(),
            popolazione_fonte: "ISTAT".into(),
            popolazione_data: "31/12/2025".into(),
            modalita: vec!["base".into(), "per-flussi".into()],
            legale_rappresentante: "Mario Rossi".into(),
            referente_amministrativo: ModuloReferente {
                nome: "Anna Bianchi".into(),
                email: "ragioneria@comune.esempio.it".into(),
                ..Default::default()
            },
            referente_tecnico: ModuloReferente {
                nome: "Luca Verdi".into(),
                email: "ced@comune.esempio.it".into(),
                ..Default::default()
            },
            conti: vec![ModuloConto {
                iban: "IT60 X054 2811 1010 0000 0123 456".into(),
                tipo: "tesoreria".into(),
                ..Default::default()
            }],
            tipi: vec![ModuloTipo {
                codice: "TARI".into(),
                descrizione: "Tassa rifiuti".into(),
                tassonomia: "9/0101101IM/".into(),
                scadenza_obbligatoria: true,
                importo_predefinito: "120,50".into(),
                capitolo: "1010".into(),
                modalita: "per-flussi".into(),
                conto_postale: "1234567".into(),
                intestatario_conto_postale: "Comune di Esempio".into(),
                autorizzazione_poste: "AUT. DB/SISB/E 123456 DEL 01/02/2026".into(),
                ..Default::default()
            }],
            avviso: ModuloAvviso {
                settore: "Ufficio Tributi".into(),
                info: "tributi@comune.esempio.it – 045 1234567".into(),
                cbill: "a0edt".into(),
                canale_fisico: "Presso lo Sportello Tributi".into(),
                logo: String::new(),
            },
        }
    }

    fn campi(e: &[ErroreCampo]) -> Vec<&str> {
        e.iter().map(|e| e.campo.as_str()).collect()
    }

    #[test]
    fn a_complete_form_is_valid_and_each_bad_field_is_named() {
        assert_eq!(valida(&completo(), oggi()), vec![]);
        type Edit = Box<dyn Fn(&mut ModuloEnte)>;
        let cases: Vec<(&str, Edit)> = vec![
            (
                "codice_fiscale",
                Box::new(|m| m.codice_fiscale = "01199250159".into()),
            ),
            (
                "codice_fiscale",
                Box::new(|m| m.codice_fiscale = "0119925015".into()),
            ),
            ("codice_ipa", Box::new(|m| m.codice_ipa = "c-x".into())),
            (
                "codice_segregazione",
                Box::new(|m| m.codice_segregazione = "1".into()),
            ),
            ("pec", Box::new(|m| m.pec = "protocollo".into())),
            (
                "codice_istat",
                Box::new(|m| m.codice_istat = "97999".into()),
            ),
            ("popolazione", Box::new(|m| m.popolazione = "molti".into())),
            (
                "popolazione_data",
                Box::new(|m| m.popolazione_data = String::new()),
            ),
            (
                "popolazione_data",
                Box::new(|m| m.popolazione_data = "31/02/2025".into()),
            ),
            (
                "popolazione_data",
                Box::new(|m| m.popolazione_data = "01/01/2027".into()),
            ),
            (
                "conti.0.iban",
                Box::new(|m| m.conti[0].iban = "IT61X0542811101000000123456".into()),
            ),
            (
                "conti.0.tipo",
                Box::new(|m| m.conti[0].tipo = "cassa".into()),
            ),
            (
                "tipi.0.tassonomia",
                Box::new(|m| m.tipi[0].tassonomia = "0101101IM".into()),
            ),
            (
                "tipi.0.importo_predefinito",
                Box::new(|m| m.tipi[0].importo_predefinito = "0".into()),
            ),
            (
                "tipi.0.scadenza_predefinita",
                Box::new(|m| m.tipi[0].scadenza_predefinita = "32/01/2027".into()),
            ),
            (
                "tipi.0.codice",
                Box::new(|m| m.tipi[0].codice = "TA RI".into()),
            ),
            (
                "referente_amministrativo.codice_fiscale",
                Box::new(|m| m.referente_amministrativo.codice_fiscale = "RSSMRA80A01H501X".into()),
            ),
            (
                "referente_tecnico.email",
                Box::new(|m| m.referente_tecnico.email = "ced".into()),
            ),
            (
                "avviso.cbill",
                Box::new(|m| m.avviso.cbill = "A0EDT1".into()),
            ),
            (
                "avviso.settore",
                Box::new(|m| m.avviso.settore = "Ufficio ".repeat(8)),
            ),
            ("avviso.info", Box::new(|m| m.avviso.info = "x".repeat(101))),
            (
                "avviso.canale_fisico",
                Box::new(|m| m.avviso.canale_fisico = "x".repeat(51)),
            ),
            (
                "avviso.logo",
                Box::new(|m| m.avviso.logo = "../stemma.png".into()),
            ),
            (
                "tipi.0.conto_postale",
                Box::new(|m| m.tipi[0].conto_postale = "1234567890123".into()),
            ),
            (
                "tipi.0.intestatario_conto_postale",
                Box::new(|m| m.tipi[0].intestatario_conto_postale = String::new()),
            ),
            (
                "tipi.0.autorizzazione_poste",
                Box::new(|m| m.tipi[0].autorizzazione_poste = "x".repeat(101)),
            ),
        ];
        for (campo, edit) in cases {
            let mut m = completo();
            edit(&mut m);
            let e = valida(&m, oggi());
            assert_eq!(campi(&e), vec![campo], "{e:?}");
        }
        // A population date without a population is fine.
        let mut m = completo();
        m.popolazione = String::new();
        assert_eq!(valida(&m, oggi()), vec![]);
        // Two types with the same code.
        let mut m = completo();
        m.tipi.push(m.tipi[0].clone());
        assert_eq!(campi(&valida(&m, oggi())), vec!["tipi.1.codice"]);
        // The notice's fields: the message names the field, in Italian.
        let mut m = completo();
        m.avviso.cbill = "A0E".into();
        let e = valida(&m, oggi());
        assert!(
            e[0].messaggio
                .starts_with("Codice CBILL «A0E»: sono 5 lettere o cifre"),
            "{e:?}"
        );
        let mut m = completo();
        m.tipi[0].conto_postale = "12-34".into();
        let e = valida(&m, oggi());
        assert!(
            e[0].messaggio
                .starts_with("Tipo dovuto «TARI», Conto corrente postale «12-34»: sono 12 cifre"),
            "{e:?}"
        );
        // The message names the field and says why.
        let mut m = completo();
        m.conti[0].iban = "IT61X0542811101000000123456".into();
        let msg = &valida(&m, oggi())[0].messaggio;
        assert!(
            msg.starts_with("Conto n. 1, IBAN") && msg.contains("controllo"),
            "{msg}"
        );
    }

    #[test]
    fn the_form_keeps_a_types_rules_for_positions_and_the_exported_file_carries_them() {
        let mut desk = desk();
        assert!(desk.salva_modulo(&completo()).unwrap().salvato);
        // The rules come from a profile file (`ente set`): the form does not show them.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ente.toml");
        let con_regole = desk.ente_toml().unwrap().replacen(
            "[[tipi_dovuto]]\n",
            "[[tipi_dovuto]]\nposizioni = { sconto_rata_unica = true, annulla_alternative = false }\n",
            1,
        );
        std::fs::write(&path, &con_regole).unwrap();
        desk.ente_set_file(&path).unwrap();
        let regole = |d: &Desk| d.store().tipi_dovuto().unwrap()[0].posizioni;
        let attese = mpd_domain::posizione::RegolePosizioni {
            sconto_rata_unica: true,
            annulla_alternative: false,
        };
        assert_eq!(regole(&desk), attese, "{con_regole}");
        // The clerk changes another field in the form and saves: the rules stay.
        let mut m = desk.ente_modulo().unwrap();
        m.tipi[0].descrizione = "Tassa sui rifiuti".into();
        assert!(desk.salva_modulo(&m).unwrap().salvato);
        assert_eq!(regole(&desk), attese);
        // The exported profile carries them to another computer.
        let toml = desk.ente_toml().unwrap();
        std::fs::write(&path, &toml).unwrap();
        let mut other = self::desk();
        other.ente_set_file(&path).unwrap();
        assert_eq!(regole(&other), attese, "{toml}");
    }

    #[test]
    fn a_saved_form_reads_back_the_same_and_is_complete() {
        let mut desk = desk();
        let s = desk.salva_modulo(&completo()).unwrap();
        assert!(s.salvato, "{:?}", s.errori);
        let back = desk.ente_modulo().unwrap();
        let mut expected = completo();
        expected.popolazione = "4200".into();
        expected.conti[0].iban = "IT60X0542811101000000123456".into();
        expected.tipi[0].stampa_data_scadenza = true; // forced by a mandatory due date
        expected.tipi[0].conto_postale = "000001234567".into(); // 12 digits
        expected.avviso.cbill = "A0EDT".into();
        assert_eq!(back, expected);
        let toml = desk.ente_toml().unwrap();
        assert!(
            toml.contains("[avviso]") && toml.contains("cbill = \"A0EDT\""),
            "{toml}"
        );
        assert!(toml.contains("conto_postale = \"000001234567\""), "{toml}");
        let v = desk.ente_check().unwrap();
        assert!(v.completo, "{:#?}", v.problemi);
        assert_eq!(desk.contributo_calcola().unwrap().esito.percentuale, 80);
        // The exported file loads into another desk unchanged.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ente.toml");
        std::fs::write(&path, desk.ente_toml().unwrap()).unwrap();
        let mut other = self::desk();
        other.ente_set_file(&path).unwrap();
        assert_eq!(other.ente_modulo().unwrap(), back);
    }

    #[test]
    fn a_profile_file_copies_its_logo_into_the_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        let dati = dir.path().join("dati");
        let altrove = dir.path().join("profilo");
        std::fs::create_dir_all(&dati).unwrap();
        std::fs::create_dir_all(&altrove).unwrap();
        let mut desk =
            Desk::open(Some(&dati.join("db.sqlite")), &mpd_store::testing::chiave()).unwrap();
        std::fs::write(
            altrove.join("stemma.png"),
            crate::ente_file::avviso::PNG_MINIMO,
        )
        .unwrap();
        let mut m = completo();
        m.avviso.logo = "stemma.png".into();
        let file = altrove.join("ente.toml");
        std::fs::write(&file, m.to_toml()).unwrap();
        desk.ente_set_file(&file).unwrap();
        let back = desk.ente_modulo().unwrap();
        assert_eq!(back.avviso.logo, "logo-ente.png");
        assert_eq!(
            std::fs::read(dati.join("logo-ente.png")).unwrap(),
            crate::ente_file::avviso::PNG_MINIMO
        );
        // The exported profile names the copy, and loads again from the data folder.
        let esportato = dati.join("ente.toml");
        std::fs::write(&esportato, desk.ente_toml().unwrap()).unwrap();
        desk.ente_set_file(&esportato).unwrap();
        assert_eq!(desk.ente_modulo().unwrap(), back);
        // The form keeps it; a name that is not in the data folder is refused, field named.
        assert!(desk.salva_modulo(&back).unwrap().salvato);
        let mut m = back.clone();
        m.avviso.logo = "altro.png".into();
        let s = desk.salva_modulo(&m).unwrap();
        assert_eq!(campi(&s.errori), vec!["avviso.logo"]);
        // A file that is not an image is refused by `ente set`, naming the field.
        std::fs::write(altrove.join("stemma.png"), b"non un'immagine").unwrap();
        let e = desk.ente_set_file(&file).unwrap_err().to_string();
        assert!(e.contains("campo logo") && e.contains("PNG o JPEG"), "{e}");
    }

    #[test]
    fn a_form_with_errors_stores_nothing() {
        let mut desk = desk();
        let mut m = completo();
        m.codice_fiscale = "01199250159".into();
        let s = desk.salva_modulo(&m).unwrap();
        assert!(!s.salvato);
        assert_eq!(campi(&s.errori), vec!["codice_fiscale"]);
        assert!(desk.store().ente().unwrap().is_none());
    }

    #[test]
    fn edits_keep_what_the_form_does_not_manage_and_drop_cleared_values() {
        let mut desk = desk();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ente.toml");
        std::fs::write(
            &path,
            completo().to_toml().replace(
                "[adesione]\n",
                "[adesione]\npec_regione = \"altra@pec.regione.it\"\n",
            ),
        )
        .unwrap();
        desk.ente_set_file(&path).unwrap();
        let mut m = desk.ente_modulo().unwrap();
        m.pec = String::new();
        m.popolazione = "2.999".into();
        m.tipo_ente = "comune".into();
        m.tipi[0].capitolo = String::new();
        m.tipi.push(ModuloTipo {
            codice: "MENSA".into(),
            descrizione: "Mensa scolastica".into(),
            tassonomia: "9/0107101TS/".into(),
            ..Default::default()
        });
        assert!(desk.salva_modulo(&m).unwrap().salvato);
        let p = desk.adesione_profilo().unwrap();
        assert_eq!(p.pec_regione.as_deref(), Some("altra@pec.regione.it"));
        assert_eq!(p.pec, None);
        assert_eq!(p.popolazione, Some(2999));
        assert_eq!(p.tipi.len(), 2);
        assert_eq!(
            p.tipi
                .iter()
                .find(|t| t.tipo.codice == "TARI")
                .unwrap()
                .capitolo,
            None
        );
        let v = desk.ente_check().unwrap();
        assert!(
            v.errori().any(|e| e.campo == "ente.pec"),
            "{:#?}",
            v.problemi
        );
        let c = desk.contributo_calcola().unwrap();
        assert_eq!(c.esito.percentuale, 80);
        assert_eq!(
            c.esito.motivo,
            "80%: comune con 2.999 abitanti, soglia 3.000"
        );
        // A type removed from the form is deactivated, not deleted.
        let mut m = desk.ente_modulo().unwrap();
        m.tipi.retain(|t| t.codice != "MENSA");
        assert!(desk.salva_modulo(&m).unwrap().salvato);
        let all = desk.store().tipi_dovuto().unwrap();
        assert!(all.iter().any(|t| t.codice == "MENSA" && !t.attivo));
    }

    #[test]
    fn a_stored_code_with_a_bad_check_digit_does_not_block_other_edits() {
        let mut desk = desk();
        desk.setup_demo(0).unwrap();
        // A code stored with a wrong check digit (`ente set` only warns about it).
        let mut ente = desk.store().ente().unwrap().unwrap();
        ente.codice_fiscale = "00123456789".into();
        let extra = desk.store().ente_extra().unwrap();
        let tipi = desk.store().tipi_dovuto().unwrap();
        let now = desk.now();
        desk.store_mut()
            .save_ente(&ente, &extra, &tipi, now)
            .unwrap();
        let mut m = desk.ente_modulo().unwrap();
        assert_eq!(m.codice_fiscale, "00123456789");
        m.legale_rappresentante = "Sindaco Dimostrativo".into();
        let s = desk.salva_modulo(&m).unwrap();
        assert!(s.salvato, "{:?}", s.errori);
        assert!(
            s.avvisi.iter().any(|a| a.contains("già registrato")),
            "{:?}",
            s.avvisi
        );
        // A new wrong code is still refused.
        m.codice_fiscale = "00123456788".into();
        assert_eq!(
            campi(&desk.salva_modulo(&m).unwrap().errori),
            vec!["codice_fiscale"]
        );
    }

    #[test]
    fn an_empty_desk_gives_an_empty_form_in_base_mode() {
        let m = desk().ente_modulo().unwrap();
        assert_eq!(m.codice_ipa, "");
        assert_eq!(m.modalita, vec!["base".to_string()]);
    }
}
