//! What the pagoPA payment notice says of the Ente, as fields of the profile (issue 14 item 4):
//! the `[avviso]` section (office, contacts, CBILL code, the Ente's own desk, the logo) and, per
//! payment type, the postal account the type collects on with its holder and Poste's "stampa in
//! proprio" authorisation (`[[tipi_dovuto]]` keys `conto_postale`, `intestatario_conto_postale`,
//! `autorizzazione_poste`).
//!
//! ```toml
//! [avviso]
//! settore = "Ufficio Tributi"                    # ≤ 50 characters
//! info = "tributi@comune.example.it – 045 1234567" # the contacts, ≤ 100 characters
//! cbill = "A0EDT"                                # 5 letters or digits
//! canale_fisico = "Presso Lo Sportello Tributi"  # ≤ 50 characters
//! logo = "stemma.png"                            # PNG or JPEG, ≤ 1 MB: copied into the data folder
//!
//! [[tipi_dovuto]]
//! codice = "TARI"
//! # …
//! conto_postale = "001234567890"                 # 12 digits (leading zeros may be left out)
//! intestatario_conto_postale = "Comune di Esempio – Servizio Tesoreria"  # ≤ 50
//! autorizzazione_poste = "AUT. DB/SISB/E 123456 DEL 01/02/2026"          # ≤ 100
//! ```
//!
//! The section is stored as it always was, under the key `avviso` of the Ente's extra data,
//! and the accounts under `tipi_dovuto_extra.<codice>`: profiles written before these fields
//! were checked keep working. The checks here are the one rule for the profile file (`ente
//! set`), the window's form and the notice: each problem names its field, in Italian. The
//! limits are the notice standard's, from mpd-avviso.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use mpd_avviso::modello::{
    MAX_AUTORIZZAZIONE, MAX_CANALE_FISICO, MAX_INFO, MAX_INTESTATARIO, MAX_SETTORE,
};

/// The largest logo file accepted.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;
/// The name the logo takes in the data folder (and its extension, `png` or `jpg`).
pub const NOME_LOGO: &str = "logo-ente";

/// The `[avviso]` section, as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DatiAvviso {
    /// `ENTE.SETTORE`: the office that manages the payments.
    pub settore: String,
    /// `ENTE.INFO`: the contacts (site, phone, e-mail).
    pub info: String,
    /// `ENTE.CBILL`: the CBILL code, 5 letters or digits, upper case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cbill: Option<String>,
    /// `ENTE.CANALE.FISICO`: the Ente's own desk that takes payments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canale_fisico: Option<String>,
    /// The logo's file name in the data folder (in a profile file: the file to copy there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

/// A payment type's postal account, for the notice's Bollettino Postale PA.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContoPostaleTipo {
    /// 12 digits.
    pub numero: String,
    pub intestatario: String,
    /// Poste's "stampa in proprio" authorisation.
    pub autorizzazione: String,
}

/// The keys of a `[[tipi_dovuto]]` entry that hold its postal account.
pub const CHIAVI_CONTO: [&str; 3] = [
    "conto_postale",
    "intestatario_conto_postale",
    "autorizzazione_poste",
];

/// A problem with one field: the key (`cbill`, `conto_postale`, …) and the message, which
/// names the field for the clerk.
pub type Problema = (&'static str, String);

fn lunghezza(s: &str) -> usize {
    s.chars().count()
}

fn massimo(out: &mut Vec<Problema>, chiave: &'static str, nome: &str, v: &str, max: usize) {
    let n = lunghezza(v.trim());
    if n > max {
        out.push((
            chiave,
            format!("{nome}: è lungo {n} caratteri, l'avviso pagoPA ne stampa al massimo {max}"),
        ));
    }
}

/// The CBILL code as stored: no spaces, upper case.
pub fn normalizza_cbill(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

/// The postal account as stored: its digits, left-padded with zeros to 12 (as Poste's Data
/// Matrix carries it); `None` when it is not 1 to 12 digits (spaces are ignored).
pub fn normalizza_conto(s: &str) -> Option<String> {
    let cifre: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (!cifre.is_empty() && cifre.len() <= 12 && cifre.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{cifre:0>12}"))
}

/// Every problem of the `[avviso]` section.
pub fn controlla(d: &DatiAvviso) -> Vec<Problema> {
    let mut out = Vec::new();
    massimo(
        &mut out,
        "settore",
        "Settore o ufficio",
        &d.settore,
        MAX_SETTORE,
    );
    massimo(&mut out, "info", "Contatti", &d.info, MAX_INFO);
    if let Some(c) = d.canale_fisico.as_deref() {
        massimo(
            &mut out,
            "canale_fisico",
            "Sportello dell'Ente",
            c,
            MAX_CANALE_FISICO,
        );
    }
    if let Some(c) = d.cbill.as_deref() {
        let c = normalizza_cbill(c);
        if !c.is_empty() && (c.len() != 5 || !c.chars().all(|x| x.is_ascii_alphanumeric())) {
            out.push((
                "cbill",
                format!(
                    "Codice CBILL «{c}»: sono 5 lettere o cifre (es. «A0EDT»), come assegnato dalla banca tesoriera"
                ),
            ));
        }
    }
    if let Some(l) = d.logo.as_deref()
        && !l.trim().is_empty()
        && !l.to_ascii_lowercase().ends_with(".png")
        && !l.to_ascii_lowercase().ends_with(".jpg")
        && !l.to_ascii_lowercase().ends_with(".jpeg")
    {
        out.push(("logo", format!("Logo «{l}»: serve un'immagine PNG o JPEG")));
    }
    out
}

/// Every problem of a payment type's postal account: the three fields go together.
pub fn controlla_conto(numero: &str, intestatario: &str, autorizzazione: &str) -> Vec<Problema> {
    let mut out = Vec::new();
    let (numero, intestatario, autorizzazione) =
        (numero.trim(), intestatario.trim(), autorizzazione.trim());
    if numero.is_empty() && intestatario.is_empty() && autorizzazione.is_empty() {
        return out;
    }
    if numero.is_empty() {
        out.push((
            "conto_postale",
            "Conto corrente postale: obbligatorio quando si indicano l'intestatario o l'autorizzazione di Poste".into(),
        ));
    } else if normalizza_conto(numero).is_none() {
        out.push((
            "conto_postale",
            format!("Conto corrente postale «{numero}»: sono 12 cifre (gli zeri iniziali si possono omettere)"),
        ));
    }
    if intestatario.is_empty() {
        out.push((
            "intestatario_conto_postale",
            "Intestatario del conto postale: obbligatorio con il conto (è stampato sul bollettino)"
                .into(),
        ));
    } else {
        massimo(
            &mut out,
            "intestatario_conto_postale",
            "Intestatario del conto postale",
            intestatario,
            MAX_INTESTATARIO,
        );
    }
    if autorizzazione.is_empty() {
        out.push((
            "autorizzazione_poste",
            "Autorizzazione di Poste alla stampa in proprio: obbligatoria con il conto (es. «AUT. DB/SISB/E 123456 DEL 01/02/2026»)".into(),
        ));
    } else {
        massimo(
            &mut out,
            "autorizzazione_poste",
            "Autorizzazione di Poste alla stampa in proprio",
            autorizzazione,
            MAX_AUTORIZZAZIONE,
        );
    }
    out
}

fn testo(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.trim().to_string(),
        _ => String::new(),
    }
}

/// The `[avviso]` section of the stored extra data (empty when there is none).
pub fn dati(extra: &Value) -> DatiAvviso {
    let a = extra.get("avviso");
    let opzione = |k: &str| Some(testo(a.and_then(|a| a.get(k)))).filter(|s| !s.is_empty());
    DatiAvviso {
        settore: testo(a.and_then(|a| a.get("settore"))),
        info: testo(a.and_then(|a| a.get("info"))),
        cbill: opzione("cbill"),
        canale_fisico: opzione("canale_fisico"),
        logo: opzione("logo"),
    }
}

/// The postal account of payment type `codice` in the stored extra data, if it has one.
pub fn conto(extra: &Value, codice: &str) -> Option<ContoPostaleTipo> {
    let x = extra.get("tipi_dovuto_extra")?.get(codice)?;
    let numero = testo(x.get("conto_postale"));
    if numero.is_empty() {
        return None;
    }
    Some(ContoPostaleTipo {
        numero: normalizza_conto(&numero).unwrap_or(numero),
        intestatario: testo(x.get("intestatario_conto_postale")),
        autorizzazione: testo(x.get("autorizzazione_poste")),
    })
}

/// Checks a logo file's bytes: PNG or JPEG by signature, at most [`MAX_LOGO_BYTES`]; returns
/// its extension (`png` or `jpg`).
pub fn controlla_logo(bytes: &[u8]) -> Result<&'static str, String> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(format!(
            "Logo: il file è di {} KB, al massimo {} KB (un logo per la stampa ne richiede molti meno)",
            bytes.len().div_ceil(1024),
            MAX_LOGO_BYTES / 1024
        ));
    }
    let ext = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "png"
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        "jpg"
    } else {
        return Err("Logo: il file non è un'immagine PNG o JPEG".into());
    };
    mpd_avviso::disegno::immagine_logo(bytes).map_err(|e| format!("Logo: {e}"))?;
    Ok(ext)
}

/// Copies the logo `sorgente` into `cartella` (the data folder) as `logo-ente.png` or `.jpg`,
/// after [`controlla_logo`]; returns the file name stored in the profile.
pub fn copia_logo(
    sorgente: &std::path::Path,
    cartella: &std::path::Path,
) -> Result<String, String> {
    let meta = std::fs::metadata(sorgente).map_err(|_| {
        format!(
            "Logo: il file «{}» non si trova o non si può leggere",
            sorgente.display()
        )
    })?;
    if meta.len() > MAX_LOGO_BYTES as u64 {
        return Err(format!(
            "Logo: il file è di {} KB, al massimo {} KB (un logo per la stampa ne richiede molti meno)",
            meta.len().div_ceil(1024),
            MAX_LOGO_BYTES / 1024
        ));
    }
    let bytes = std::fs::read(sorgente)
        .map_err(|_| format!("Logo: il file «{}» non si può leggere", sorgente.display()))?;
    let ext = controlla_logo(&bytes)?;
    let nome = format!("{NOME_LOGO}.{ext}");
    let dest = cartella.join(&nome);
    if std::fs::canonicalize(sorgente).ok() != std::fs::canonicalize(&dest).ok() {
        let tmp = cartella.join(format!("{nome}.copia-in-corso"));
        mpd_privato::scrivi(&tmp, &bytes)
            .and_then(|()| std::fs::rename(&tmp, &dest))
            .map_err(|_| {
                let _ = std::fs::remove_file(&tmp);
                format!(
                    "Logo: non si è potuto copiare nella cartella dei dati «{}»",
                    cartella.display()
                )
            })?;
    }
    Ok(nome)
}

/// A 1 × 1 PNG, for tests.
#[cfg(test)]
pub(crate) const PNG_MINIMO: [u8; 70] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
    0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 96, 248, 95, 15, 0, 2,
    135, 1, 128, 235, 71, 186, 146, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bad_field_is_named_in_italian() {
        let buono = DatiAvviso {
            settore: "Ufficio Tributi".into(),
            info: "tributi@comune.example.it".into(),
            cbill: Some("a0edt".into()),
            canale_fisico: Some("Presso Lo Sportello Tributi".into()),
            logo: Some("logo-ente.png".into()),
        };
        assert_eq!(controlla(&buono), vec![]);
        for (modifica, chiave, parola) in [
            (
                Box::new(|d: &mut DatiAvviso| d.cbill = Some("A0ED".into()))
                    as Box<dyn Fn(&mut DatiAvviso)>,
                "cbill",
                "Codice CBILL «A0ED»",
            ),
            (
                Box::new(|d: &mut DatiAvviso| d.cbill = Some("A0-DT".into())),
                "cbill",
                "5 lettere o cifre",
            ),
            (
                Box::new(|d: &mut DatiAvviso| d.settore = "x".repeat(51)),
                "settore",
                "Settore o ufficio: è lungo 51",
            ),
            (
                Box::new(|d: &mut DatiAvviso| d.info = "x".repeat(101)),
                "info",
                "Contatti",
            ),
            (
                Box::new(|d: &mut DatiAvviso| d.canale_fisico = Some("x".repeat(51))),
                "canale_fisico",
                "Sportello",
            ),
            (
                Box::new(|d: &mut DatiAvviso| d.logo = Some("stemma.gif".into())),
                "logo",
                "PNG o JPEG",
            ),
        ] {
            let mut d = buono.clone();
            modifica(&mut d);
            let p = controlla(&d);
            assert_eq!(p.len(), 1, "{p:?}");
            assert_eq!(p[0].0, chiave);
            assert!(p[0].1.contains(parola), "{}", p[0].1);
        }
        assert_eq!(normalizza_cbill(" a0edt "), "A0EDT");
    }

    #[test]
    fn a_postal_account_is_12_digits_with_its_holder_and_authorisation() {
        assert_eq!(controlla_conto("", "", ""), vec![]);
        assert_eq!(controlla_conto("001234567890", "Comune", "AUT. 1"), vec![]);
        assert_eq!(
            normalizza_conto("1234 5678").as_deref(),
            Some("000012345678")
        );
        let chiavi = |p: Vec<Problema>| p.into_iter().map(|p| p.0).collect::<Vec<_>>();
        assert_eq!(
            chiavi(controlla_conto("1234567890123", "Comune", "AUT. 1")),
            vec!["conto_postale"]
        );
        assert_eq!(
            chiavi(controlla_conto("12345A", "Comune", "AUT. 1")),
            vec!["conto_postale"]
        );
        assert_eq!(
            chiavi(controlla_conto("12345", "", "")),
            vec!["intestatario_conto_postale", "autorizzazione_poste"]
        );
        assert_eq!(
            chiavi(controlla_conto("", "Comune", "")),
            vec!["conto_postale", "autorizzazione_poste"]
        );
        let p = controlla_conto("12345", &"x".repeat(51), &"y".repeat(101));
        assert_eq!(
            chiavi(p.clone()),
            vec!["intestatario_conto_postale", "autorizzazione_poste"]
        );
        assert!(p[1].1.starts_with("Autorizzazione di Poste"), "{}", p[1].1);
    }

    #[test]
    fn a_logo_is_a_png_or_jpeg_of_at_most_1_mb() {
        let dir = tempfile::tempdir().unwrap();
        let gif = dir.path().join("stemma.gif");
        std::fs::write(&gif, b"GIF89a....").unwrap();
        let e = copia_logo(&gif, dir.path()).unwrap_err();
        assert!(e.contains("PNG o JPEG"), "{e}");
        let grande = dir.path().join("grande.png");
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        bytes.resize(MAX_LOGO_BYTES + 1, 0);
        std::fs::write(&grande, &bytes).unwrap();
        let e = copia_logo(&grande, dir.path()).unwrap_err();
        assert!(e.contains("al massimo 1024 KB"), "{e}");
        // A PNG signature over broken data is refused too.
        let rotto = dir.path().join("rotto.png");
        std::fs::write(&rotto, b"\x89PNG\r\n\x1a\nniente").unwrap();
        assert!(copia_logo(&rotto, dir.path()).is_err());
        assert!(!dir.path().join("logo-ente.png").exists());
        let e = copia_logo(&dir.path().join("manca.png"), dir.path()).unwrap_err();
        assert!(e.contains("non si trova"), "{e}");
        // A real PNG is copied under the profile's name.
        let stemma = dir.path().join("stemma.png");
        std::fs::write(&stemma, PNG_MINIMO).unwrap();
        let dati = dir.path().join("dati");
        std::fs::create_dir(&dati).unwrap();
        assert_eq!(copia_logo(&stemma, &dati).unwrap(), "logo-ente.png");
        assert_eq!(
            std::fs::read(dati.join("logo-ente.png")).unwrap(),
            PNG_MINIMO
        );
    }
}
