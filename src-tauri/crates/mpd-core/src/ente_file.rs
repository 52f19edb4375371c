//! The Ente profile file (TOML), read by `ente set` and by the emulator's `--config`.
//!
//! ```toml
//! [ente]
//! codice_ipa = "c_x123"
//! codice_fiscale = "00123456789"
//! denominazione = "Comune di Esempio"
//! codice_segregazione = "12"      # two digits, prefix of the Ente's IUV17
//! # password = "…"                # only for the emulator; `ente set` ignores it and never stores it
//!
//! [[tipi_dovuto]]
//! codice = "TARI"
//! descrizione = "Tassa rifiuti"
//! dati_specifici_riscossione = "9/0101100IM/"
//! attivo = true                   # default true
//! cf_anonimo = false              # default false
//! scadenza_obbligatoria = true    # default false
//! stampa_data_scadenza = false    # default false
//! # Defaults for imported sheets whose rows lack the field (all optional):
//! causale_predefinita = "TARI {anno} - {anagrafica}"
//! importo_predefinito = "120,50"
//! scadenza_predefinita = "31/03/2027"
//! # Positions of this type (rata unica and instalments; both optional):
//! [tipi_dovuto.posizioni]
//! sconto_rata_unica = false       # the rata unica may cost less than the instalments together
//! annulla_alternative = true      # a payment one way cancels the other way at MyPay
//! ```
//!
//! Unknown keys are kept (under `[ente]` they are stored as the Ente's extra data), so the file
//! can grow with the adhesion data without breaking older readers. The other top-level sections
//! (`[adesione]`, `[referenti.…]`, `[[conti]]`, see mpd-adesione `profilo`) join the extra data
//! under their own names, and each `[[tipi_dovuto]]`'s unknown keys (`iban`, `capitolo`,
//! `modalita`) under `tipi_dovuto_extra.<codice>`.

pub mod avviso;

use mpd_domain::{Ente, TipoDovuto};
use serde::Deserialize;

/// A parsed and checked profile file.
#[derive(Debug, Clone)]
pub struct EnteFile {
    pub ente: Ente,
    pub tipi: Vec<TipoDovuto>,
    /// Every key of `[ente]` except the four above and `password`, as JSON.
    pub extra_json: String,
    /// The emulator's password, if the file has one. Never stored by `ente set`.
    pub password: Option<String>,
    /// Things worth telling the clerk that do not stop the import.
    pub warnings: Vec<String>,
    /// The `[avviso]` section, checked (its logo is still the file named in the profile).
    pub avviso: avviso::DatiAvviso,
}

#[derive(Deserialize)]
struct RawFile {
    ente: toml::Table,
    #[serde(default)]
    tipi_dovuto: Vec<RawTipo>,
    /// Other top-level sections (adhesion data), kept as extra data.
    #[serde(flatten)]
    altro: toml::Table,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct RawTipo {
    codice: String,
    descrizione: String,
    dati_specifici_riscossione: String,
    #[serde(default = "yes")]
    attivo: bool,
    #[serde(default)]
    cf_anonimo: bool,
    #[serde(default)]
    scadenza_obbligatoria: bool,
    #[serde(default)]
    stampa_data_scadenza: bool,
    #[serde(default)]
    causale_predefinita: Option<String>,
    #[serde(default)]
    importo_predefinito: Option<String>,
    #[serde(default)]
    scadenza_predefinita: Option<String>,
    /// Rules for positions of this type (`[tipi_dovuto.posizioni]`).
    #[serde(default)]
    posizioni: mpd_domain::posizione::RegolePosizioni,
    /// Keys the backbone does not know (adhesion data: iban, capitolo, modalita).
    #[serde(flatten)]
    altro: toml::Table,
}

/// Why a profile file was refused; the message names the file's field.
#[derive(Debug, thiserror::Error)]
pub enum EnteFileError {
    #[error(
        "il file non è un profilo dell'Ente leggibile{0}: controlli che sia il file TOML esportato da MyPay Desk o preparato sul suo modello"
    )]
    Toml(String),
    #[error("{0}")]
    Invalid(String),
}

/// Parses and checks a profile file's text.
pub fn parse(text: &str) -> Result<EnteFile, EnteFileError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        // Where in the file: the line the parser stopped at (its English message to the log).
        let riga = e
            .span()
            .map(|r| text.get(..r.start).unwrap_or(text).matches('\n').count() + 1);
        tracing::warn!(dettaglio = %e, "profilo dell'Ente non leggibile");
        EnteFileError::Toml(riga.map_or_else(String::new, |r| format!(" (riga {r})")))
    })?;
    let mut table = raw.ente;
    let mut take = |key: &str| -> Result<String, EnteFileError> {
        match table.remove(key) {
            Some(toml::Value::String(s)) => Ok(s.trim().to_string()),
            Some(other) => Err(EnteFileError::Invalid(format!(
                "campo {key} dei dati dell'Ente: deve essere un testo tra virgolette, trovato {other}"
            ))),
            None => Err(EnteFileError::Invalid(format!(
                "campo {key} dei dati dell'Ente: obbligatorio, manca"
            ))),
        }
    };
    let ente = Ente {
        codice_ipa: take("codice_ipa")?,
        codice_fiscale: take("codice_fiscale")?,
        denominazione: take("denominazione")?,
        codice_segregazione: take("codice_segregazione")?,
    };
    let password = match table.remove("password") {
        Some(toml::Value::String(s)) => Some(s),
        Some(_) => {
            return Err(EnteFileError::Invalid(
                "campo password dei dati dell'Ente: deve essere un testo".into(),
            ));
        }
        None => None,
    };
    check_ente(&ente)?;
    let mut tipi = Vec::with_capacity(raw.tipi_dovuto.len());
    let mut tipi_extra = toml::Table::new();
    for (i, mut t) in raw.tipi_dovuto.into_iter().enumerate() {
        controlla_conto_tipo(i + 1, &t.codice, &mut t.altro)?;
        if !t.altro.is_empty() {
            tipi_extra.insert(
                t.codice.trim().to_string(),
                toml::Value::Table(std::mem::take(&mut t.altro)),
            );
        }
        let n = i + 1;
        let bad_default = |key: &str, m: String| {
            EnteFileError::Invalid(format!(
                "tipo dovuto n. {n} del file «{}»: {key}: {m}",
                t.codice.trim()
            ))
        };
        let importo_predefinito = match t.importo_predefinito.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(v) => {
                let (_, d) = crate::input::amount_text(v)
                    .map_err(|m| bad_default("importo_predefinito", m))?;
                if d <= rust_decimal::Decimal::ZERO {
                    return Err(bad_default(
                        "importo_predefinito",
                        format!("«{v}» deve essere maggiore di zero"),
                    ));
                }
                Some(d)
            }
        };
        let scadenza_predefinita = match t.scadenza_predefinita.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(v) => {
                let iso = crate::input::date_text(v)
                    .map_err(|m| bad_default("scadenza_predefinita", m))?;
                chrono::NaiveDate::parse_from_str(&iso, "%Y-%m-%d").ok()
            }
        };
        let causale_predefinita = t
            .causale_predefinita
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        let tipo = TipoDovuto {
            codice: t.codice.trim().to_string(),
            descrizione: t.descrizione.trim().to_string(),
            dati_specifici_riscossione: t.dati_specifici_riscossione.trim().to_string(),
            attivo: t.attivo,
            cf_anonimo: t.cf_anonimo,
            // MyPay forces "print the due date" when it is mandatory (adesione spec §3.3).
            stampa_data_scadenza: t.stampa_data_scadenza || t.scadenza_obbligatoria,
            scadenza_obbligatoria: t.scadenza_obbligatoria,
            causale_predefinita,
            importo_predefinito,
            scadenza_predefinita,
            posizioni: t.posizioni,
        };
        check_tipo(n, &tipo)?;
        if tipi.iter().any(|x: &TipoDovuto| x.codice == tipo.codice) {
            return Err(EnteFileError::Invalid(format!(
                "tipo dovuto n. {n} del file: il codice «{}» è già usato da un altro tipo dovuto",
                tipo.codice
            )));
        }
        tipi.push(tipo);
    }
    let mut warnings = Vec::new();
    // The check digit is only a warning: the code is the one MyPay registered for the Ente
    // (the issue's own sample, 00123456789, fails it), and MyPay's files must carry it as is.
    if let Err(err) = mpd_domain::piva::check_piva(&ente.codice_fiscale) {
        warnings.push(format!(
            "campo codice_fiscale «{}»: {}",
            ente.codice_fiscale,
            err.message_it()
        ));
    }
    if password.is_some() {
        warnings.push(
            "il campo password dei dati dell'Ente è ignorato: MyPay Desk non salva password nei file né nel database; \
             la password del servizio va salvata a parte, nel portachiavi del sistema"
                .to_string(),
        );
    }
    if tipi.is_empty() {
        warnings.push(
            "nessun tipo dovuto nel file: senza tipi dovuto non si possono preparare dovuti"
                .to_string(),
        );
    }
    let mut altro = raw.altro;
    let avviso = match altro.remove("avviso") {
        None => avviso::DatiAvviso::default(),
        Some(v) => {
            let sezione = |m: String| EnteFileError::Invalid(format!("sezione «avviso»: {m}"));
            let mut d: avviso::DatiAvviso = v.try_into().map_err(|_| {
                sezione(
                    "settore, info, cbill, canale_fisico e logo devono essere testi tra virgolette"
                        .into(),
                )
            })?;
            if let Some((chiave, m)) = avviso::controlla(&d).into_iter().next() {
                return Err(sezione(format!("campo {chiave}: {m}")));
            }
            d.settore = d.settore.trim().to_string();
            d.info = d.info.trim().to_string();
            d.cbill = d
                .cbill
                .map(|c| avviso::normalizza_cbill(&c))
                .filter(|c| !c.is_empty());
            d.canale_fisico = d
                .canale_fisico
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty());
            d.logo = d
                .logo
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty());
            altro.insert(
                "avviso".into(),
                toml::Value::try_from(&d).map_err(|_| sezione("non registrabile".into()))?,
            );
            d
        }
    };
    for (key, value) in altro {
        if table.contains_key(&key) {
            return Err(EnteFileError::Invalid(format!(
                "sezione «{key}»: c'è già un campo «{key}» tra i dati dell'Ente: tenerne uno solo"
            )));
        }
        table.insert(key, value);
    }
    if !tipi_extra.is_empty() {
        table.insert("tipi_dovuto_extra".into(), toml::Value::Table(tipi_extra));
    }
    let extra_json = serde_json::to_string(&table).unwrap_or_else(|_| "{}".into());
    Ok(EnteFile {
        ente,
        tipi,
        extra_json,
        password,
        warnings,
        avviso,
    })
}

/// Checks the postal account keys of the `n`-th `[[tipi_dovuto]]` (its unknown keys `altro`)
/// and stores the account number as 12 digits.
fn controlla_conto_tipo(
    n: usize,
    codice: &str,
    altro: &mut toml::Table,
) -> Result<(), EnteFileError> {
    let male = |m: String| {
        EnteFileError::Invalid(format!(
            "tipo dovuto n. {n} del file «{}»: {m}",
            codice.trim()
        ))
    };
    let mut valori = [String::new(), String::new(), String::new()];
    for (k, v) in avviso::CHIAVI_CONTO.iter().zip(valori.iter_mut()) {
        match altro.get(*k) {
            None => {}
            Some(toml::Value::String(s)) => *v = s.trim().to_string(),
            Some(_) => return Err(male(format!("{k}: deve essere un testo tra virgolette"))),
        }
    }
    if let Some((chiave, m)) = avviso::controlla_conto(&valori[0], &valori[1], &valori[2])
        .into_iter()
        .next()
    {
        return Err(male(format!("{chiave}: {m}")));
    }
    if let Some(numero) = avviso::normalizza_conto(&valori[0]) {
        altro.insert("conto_postale".into(), numero.into());
    }
    Ok(())
}

fn check_ente(e: &Ente) -> Result<(), EnteFileError> {
    let bad = |m: String| Err(EnteFileError::Invalid(m));
    if e.codice_ipa.is_empty()
        || e.codice_ipa.contains('-')
        || e.codice_ipa.contains(char::is_whitespace)
    {
        return bad(format!(
            "campo codice_ipa «{}»: deve essere il codice IPA dell'Ente, senza spazi né trattini \
             (il trattino separa le parti del nome del flusso)",
            e.codice_ipa
        ));
    }
    if e.codice_fiscale.len() != 11 || !e.codice_fiscale.bytes().all(|b| b.is_ascii_digit()) {
        return bad(format!(
            "campo codice_fiscale «{}»: deve essere il codice fiscale numerico dell'Ente, 11 cifre",
            e.codice_fiscale
        ));
    }
    if e.denominazione.is_empty() {
        return bad("campo denominazione: non può essere vuoto".into());
    }
    if e.codice_segregazione.len() != 2
        || !e.codice_segregazione.bytes().all(|b| b.is_ascii_digit())
    {
        return bad(format!(
            "campo codice_segregazione «{}»: servono esattamente due cifre (es. \"12\"), come assegnato da MyPay",
            e.codice_segregazione
        ));
    }
    Ok(())
}

fn check_tipo(n: usize, t: &TipoDovuto) -> Result<(), EnteFileError> {
    let bad = |m: String| {
        Err(EnteFileError::Invalid(format!(
            "tipo dovuto n. {n} del file «{}»: {m}",
            t.codice
        )))
    };
    if t.codice.is_empty()
        || t.codice.contains(char::is_whitespace)
        || t.codice.chars().count() > 64
    {
        return bad("codice: obbligatorio, senza spazi, al massimo 64 caratteri".into());
    }
    if t.codice == "MARCA_BOLLO_DIGITALE" {
        return bad("il tipo MARCA_BOLLO_DIGITALE non si può usare nei flussi di dovuti".into());
    }
    if t.descrizione.is_empty() {
        return bad("descrizione: obbligatoria".into());
    }
    if !mpd_domain::taxonomy::mypay_dati_riscossione_ok(&t.dati_specifici_riscossione) {
        return bad(format!(
            "dati_specifici_riscossione «{}»: deve avere la forma 9/<codice tassonomico>/ (es. 9/0101100IM/)",
            t.dati_specifici_riscossione
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
[ente]
codice_ipa = "c_x123"
codice_fiscale = "00123456789"
denominazione = "Comune di Esempio"
codice_segregazione = "12"
pec = "protocollo@pec.comune.esempio.it"
password = "segreta"
[[tipi_dovuto]]
codice = "TARI"
descrizione = "Tassa rifiuti"
dati_specifici_riscossione = "9/0101100IM/"
attivo = true
cf_anonimo = false
scadenza_obbligatoria = true
"#;

    #[test]
    fn sample_of_the_issue_is_accepted_and_password_is_not_kept_in_extra() {
        let f = parse(SAMPLE).unwrap();
        assert_eq!(f.ente.codice_ipa, "c_x123");
        assert_eq!(f.tipi.len(), 1);
        assert!(
            f.tipi[0].stampa_data_scadenza,
            "mandatory due date forces printing it"
        );
        assert_eq!(f.password.as_deref(), Some("segreta"));
        assert!(f.warnings.iter().any(|w| w.contains("password")));
        assert!(
            f.warnings.iter().any(|w| w.contains("codice_fiscale")),
            "bad check digit is a warning"
        );
        assert!(f.extra_json.contains("pec") && !f.extra_json.contains("segreta"));
    }

    #[test]
    fn the_notice_fields_are_checked_and_old_avviso_sections_still_load() {
        // A profile written before the fields were checked: free office and contacts only.
        let vecchio = format!(
            "{SAMPLE}\n[avviso]\nsettore = \"Ufficio Tributi\"\ninfo = \"tel. 045 1234567\"\n"
        );
        let f = parse(&vecchio).unwrap();
        assert_eq!(f.avviso.settore, "Ufficio Tributi");
        let extra: serde_json::Value = serde_json::from_str(&f.extra_json).unwrap();
        assert_eq!(avviso::dati(&extra).info, "tel. 045 1234567");
        // CBILL upper-cased, the postal account padded to 12 digits.
        let nuovo = SAMPLE.replace(
            "scadenza_obbligatoria = true\n",
            "scadenza_obbligatoria = true\nconto_postale = \"1234567\"\nintestatario_conto_postale = \"Comune di Esempio\"\nautorizzazione_poste = \"AUT. 1\"\n",
        ) + "[avviso]\ncbill = \"a0edt\"\n";
        let f = parse(&nuovo).unwrap();
        assert_eq!(f.avviso.cbill.as_deref(), Some("A0EDT"));
        let extra: serde_json::Value = serde_json::from_str(&f.extra_json).unwrap();
        let conto = avviso::conto(&extra, "TARI").unwrap();
        assert_eq!(conto.numero, "000001234567");
        assert_eq!(conto.autorizzazione, "AUT. 1");
        assert!(avviso::conto(&extra, "ALTRO").is_none());
        // Each bad value is refused with its section and field.
        for (da, a, parole) in [
            (
                "cbill = \"a0edt\"",
                "cbill = \"A0ED\"",
                "sezione «avviso»: campo cbill: Codice CBILL",
            ),
            ("cbill = \"a0edt\"", "cbill = 5", "sezione «avviso»"),
            ("cbill = \"a0edt\"", "logo = \"stemma.bmp\"", "campo logo"),
            (
                "conto_postale = \"1234567\"",
                "conto_postale = \"12345678901234\"",
                "«TARI»: conto_postale: Conto corrente postale",
            ),
            (
                "autorizzazione_poste = \"AUT. 1\"\n",
                "",
                "autorizzazione_poste: Autorizzazione di Poste",
            ),
        ] {
            let e = parse(&nuovo.replace(da, a)).unwrap_err().to_string();
            assert!(e.contains(parole), "{a}: {e}");
        }
    }

    #[test]
    fn bad_fields_are_named() {
        let cases = [
            (
                "codice_ipa = \"c_x123\"",
                "codice_ipa = \"c-x\"",
                "codice_ipa",
            ),
            (
                "codice_fiscale = \"00123456789\"",
                "codice_fiscale = \"0012345678\"",
                "codice_fiscale",
            ),
            (
                "codice_segregazione = \"12\"",
                "codice_segregazione = \"1\"",
                "codice_segregazione",
            ),
            (
                "\"9/0101100IM/\"",
                "\"0101100IM\"",
                "dati_specifici_riscossione",
            ),
            ("codice = \"TARI\"", "codice = \"TA RI\"", "codice"),
        ];
        for (from, to, field) in cases {
            let err = parse(&SAMPLE.replace(from, to)).unwrap_err().to_string();
            assert!(err.contains(field), "{to}: {err}");
        }
        let err = parse("[ente]\ncodice_ipa = 1").unwrap_err().to_string();
        assert!(err.contains("codice_ipa"), "{err}");
        assert!(matches!(parse("not toml ="), Err(EnteFileError::Toml(_))));
        // The clerk reads where, in Italian; the parser's English words go to the log.
        let err = parse("[ente]\ncodice_ipa = \"c_x\"\nnot toml =")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("(riga 3)") && !err.contains("expected"),
            "{err}"
        );
    }
}
