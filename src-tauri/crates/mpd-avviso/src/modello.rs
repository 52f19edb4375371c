//! What one notice shows, and the standard's limits on it.
//!
//! The field names follow the placeholders of the notice standard (Allegato 2):
//! `AVVISO.OGGETTO` is [`Avviso::oggetto`], `ENTE.NOME` is [`EnteAvviso::nome`],
//! `DESTINATARIO.NOMECOMPLETO` is [`Destinatario::nome`], `AVVISO.CODICE` is
//! [`Pagamento::codice`], and so on. Amounts are integer euro cents, dates are `NaiveDate`:
//! the Italian formats (`1.234,56 €`, `dd/mm/yyyy`) are made only when drawing.
//!
//! [`Avviso::verifica`] checks every limit and collects every problem, each with the field it
//! is about and an Italian message; nothing is ever truncated silently. The Poste Data Matrix
//! is the one place where text is cut and padded to fixed widths, as Poste's layout requires
//! (see `codici`), and what is cut there is still printed whole on the notice.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// `ENTE.NOME`: 100 characters since 3.5.1 (50 before).
pub const MAX_NOME_ENTE: usize = 100;
/// `ENTE.SETTORE`.
pub const MAX_SETTORE: usize = 50;
/// `ENTE.INFO`.
pub const MAX_INFO: usize = 100;
/// `ENTE.CANALE.FISICO`.
pub const MAX_CANALE_FISICO: usize = 50;
/// `AVVISO.OGGETTO`.
pub const MAX_OGGETTO: usize = 90;
/// `DESTINATARIO.NOMECOMPLETO` (3.1 and later).
pub const MAX_NOME_DESTINATARIO: usize = 70;
/// `DESTINATARIO.INDIRIZZO`, all lines together.
pub const MAX_INDIRIZZO: usize = 140;
/// Lines of the recipient's address (street, postcode and town, and one more).
pub const MAX_RIGHE_INDIRIZZO: usize = 3;
/// Instalments on one notice (pagoPA's print service goes up to 12 too).
pub const MAX_RATE: usize = 12;
/// `AVVISO.IMPORTO`: 999.999.999,99 €.
pub const MAX_CENTESIMI: u64 = 99_999_999_999;
/// With a postal account the Data Matrix holds the amount in 10 digits: 99.999.999,99 €.
pub const MAX_CENTESIMI_POSTE: u64 = 9_999_999_999;
/// The account holder printed on the Bollettino PA.
pub const MAX_INTESTATARIO: usize = 50;
/// Poste's authorisation text.
pub const MAX_AUTORIZZAZIONE: usize = 100;

/// One notice: who asks, who pays, for what, and the payment options.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Avviso {
    /// The Ente creditore.
    pub ente: EnteAvviso,
    /// The recipient (debtor).
    pub destinatario: Destinatario,
    /// `AVVISO.OGGETTO`: what is being paid, ≤ 90 characters, sentence case.
    pub oggetto: String,
    /// The single payment of the whole amount, if offered.
    #[serde(default)]
    pub rata_unica: Option<Pagamento>,
    /// The instalments, in order of due date (none, or 2 to 12).
    #[serde(default)]
    pub rate: Vec<Pagamento>,
    /// The postal account, when the payment type collects on one: then every payment option
    /// gets its Bollettino Postale PA block with Poste's Data Matrix.
    #[serde(default)]
    pub poste: Option<ContoPostale>,
    /// The notice's language.
    #[serde(default)]
    pub lingua: Lingua,
}

/// The Ente as the notice shows it (`ENTE.*`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnteAvviso {
    /// `ENTE.NOME`, ≤ 100 characters.
    pub nome: String,
    /// `ENTE.SETTORE`: the office that manages the payment, ≤ 50 characters.
    #[serde(default)]
    pub settore: String,
    /// `ENTE.INFO`: contacts (site, phone, e-mail), ≤ 100 characters.
    #[serde(default)]
    pub info: String,
    /// `ENTE.CF`: the Ente's 11-digit fiscal code (it goes into every QR code).
    pub codice_fiscale: String,
    /// `ENTE.CBILL`: the interbank CBILL code, upper case; `None` prints a dash.
    #[serde(default)]
    pub cbill: Option<String>,
    /// `ENTE.CANALE.ONLINE`: whether the Ente's own site or app takes the payment ("Dove
    /// pagare?" then names it).
    #[serde(default)]
    pub canale_online: Option<CanaleOnline>,
    /// `ENTE.CANALE.FISICO`: the Ente's own desk or machines that take the payment, ≤ 50
    /// characters, initials in capitals (for example "Presso Lo Sportello Tributi").
    #[serde(default)]
    pub canale_fisico: Option<String>,
    /// `ENTE.LOGO`: PNG or JPEG bytes, drawn in the header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<Vec<u8>>,
}

/// Where the Ente itself takes payments online (`ENTE.CANALE.ONLINE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CanaleOnline {
    /// "sul sito di <Ente>".
    Sito,
    /// "sull'app di <Ente>".
    App,
    /// "sul sito o app di <Ente>".
    SitoOApp,
}

/// The recipient (`DESTINATARIO.*`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destinatario {
    /// `DESTINATARIO.CF`: fiscal code or partita IVA; omitted only when unknown.
    #[serde(default)]
    pub codice_fiscale: Option<String>,
    /// `DESTINATARIO.NOMECOMPLETO`, ≤ 70 characters.
    pub nome: String,
    /// `DESTINATARIO.INDIRIZZO`, as lines (street and number; postcode, town and province),
    /// ≤ 140 characters in all.
    #[serde(default)]
    pub indirizzo: Vec<String>,
}

/// One payment option: the rata unica or one instalment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pagamento {
    /// `AVVISO.CODICE`: the 18-digit notice number (aux digit + IUV).
    pub codice: String,
    /// The amount in euro cents.
    pub importo_centesimi: u64,
    /// The due date; `None` for a notice "senza scadenza".
    #[serde(default)]
    pub scadenza: Option<NaiveDate>,
}

impl Pagamento {
    /// The option of an IUV: a 17-digit IUV gets aux digit 3, a legacy 15-digit one aux digit 0
    /// and the Ente's application code (as MyPay prints them). `None` for an IUV that cannot
    /// appear on a notice (alphanumeric, RF…).
    pub fn da_iuv(
        iuv: &str,
        codice_applicazione: &str,
        importo_centesimi: u64,
        scadenza: Option<NaiveDate>,
    ) -> Option<Pagamento> {
        mpd_domain::iuv::notice_from_iuv(iuv, codice_applicazione).map(|codice| Pagamento {
            codice,
            importo_centesimi,
            scadenza,
        })
    }
}

/// The postal current account the payment type collects on (Bollettino Postale PA).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContoPostale {
    /// The account number, digits only, up to 12.
    pub numero: String,
    /// The account holder, ≤ 50 characters.
    pub intestatario: String,
    /// Poste's "stampa in proprio" authorisation, e.g. `AUT. DB/SISB/E 12345 DEL 01/02/2026`.
    pub autorizzazione: String,
}

/// The language of the notice. Only Italian for now; the bilingual variants (German,
/// Slovenian, French) of the standard would add their texts here.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lingua {
    /// Italiano.
    #[default]
    It,
}

/// One problem of a notice's data: the field, as the clerk knows it, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problema {
    /// The field in Italian, e.g. "Oggetto" or "Rata 2, codice avviso".
    pub campo: String,
    /// What is wrong and what to do, in Italian.
    pub messaggio: String,
}

impl std::fmt::Display for Problema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.campo, self.messaggio)
    }
}

fn lunghezza(s: &str) -> usize {
    s.chars().count()
}

struct Raccolta(Vec<Problema>);

impl Raccolta {
    fn metti(&mut self, campo: impl Into<String>, messaggio: impl Into<String>) {
        self.0.push(Problema {
            campo: campo.into(),
            messaggio: messaggio.into(),
        });
    }

    fn massimo(&mut self, campo: &str, valore: &str, max: usize) {
        let n = lunghezza(valore);
        if n > max {
            self.metti(
                campo,
                format!(
                    "è lungo {n} caratteri, il massimo dell'avviso pagoPA è {max}: va accorciato"
                ),
            );
        }
    }

    fn obbligatorio(&mut self, campo: &str, valore: &str) -> bool {
        if valore.trim().is_empty() {
            self.metti(campo, "manca: è obbligatorio sull'avviso pagoPA");
            false
        } else {
            true
        }
    }
}

/// `true` when the text is written in capitals: two or more words of four or more letters and
/// none of them has a lower-case letter ("TASSA RIFIUTI 2027"). Short upper-case words are
/// acronyms ("TARI 2027 – saldo" is fine).
pub fn tutto_maiuscolo(testo: &str) -> bool {
    let parole: Vec<&str> = testo
        .split(|c: char| !c.is_alphabetic())
        .filter(|p| p.chars().count() >= 4)
        .collect();
    parole.len() >= 2 && parole.iter().all(|p| !p.chars().any(char::is_lowercase))
}

impl Avviso {
    /// Every payment option in print order: the rata unica, then the instalments.
    pub fn pagamenti(&self) -> impl Iterator<Item = &Pagamento> {
        self.rata_unica.iter().chain(self.rate.iter())
    }

    /// Checks the standard's limits and the consistency of the options; every problem found,
    /// none when the notice can be printed.
    pub fn verifica(&self) -> Vec<Problema> {
        let mut r = Raccolta(Vec::new());
        let e = &self.ente;
        if r.obbligatorio("Ente, denominazione", &e.nome) {
            r.massimo("Ente, denominazione", &e.nome, MAX_NOME_ENTE);
        }
        r.massimo("Ente, settore", &e.settore, MAX_SETTORE);
        r.massimo("Ente, informazioni di contatto", &e.info, MAX_INFO);
        if let Some(fisico) = &e.canale_fisico {
            r.massimo(
                "Ente, dove si paga presso l'Ente",
                fisico,
                MAX_CANALE_FISICO,
            );
        }
        if r.obbligatorio("Ente, codice fiscale", &e.codice_fiscale) {
            if e.codice_fiscale.len() != 11 || !e.codice_fiscale.bytes().all(|b| b.is_ascii_digit())
            {
                r.metti(
                    "Ente, codice fiscale",
                    "deve essere di 11 cifre: è quello che il codice QR porta a chi paga",
                );
            } else if let Err(err) = mpd_domain::piva::check_piva(&e.codice_fiscale) {
                r.metti("Ente, codice fiscale", err.message_it());
            }
        }
        if let Some(cbill) = &e.cbill
            && (cbill.is_empty()
                || lunghezza(cbill) > 16
                || !cbill
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()))
        {
            r.metti(
                "Ente, codice CBILL",
                "deve essere di lettere maiuscole e cifre (ad esempio A0EDT), al massimo 16",
            );
        }

        let d = &self.destinatario;
        if let Some(cf) = &d.codice_fiscale {
            let cf = cf.trim();
            let valido = match cf.len() {
                16 => mpd_domain::cf::check_cf16(&cf.to_uppercase())
                    .map_err(|e| e.message_it())
                    .err(),
                11 => mpd_domain::cf::check_cf11(cf).map_err(|e| e.message_it()).err(),
                _ => Some(
                    "deve essere di 16 caratteri (persona) o di 11 cifre; se non è noto si lascia vuoto"
                        .to_string(),
                ),
            };
            if let Some(m) = valido {
                r.metti("Destinatario, codice fiscale", m);
            }
        }
        if r.obbligatorio("Destinatario, nome e cognome o ragione sociale", &d.nome) {
            r.massimo(
                "Destinatario, nome e cognome o ragione sociale",
                &d.nome,
                MAX_NOME_DESTINATARIO,
            );
        }
        if d.indirizzo.len() > MAX_RIGHE_INDIRIZZO {
            r.metti(
                "Destinatario, indirizzo",
                format!(
                    "ha {} righe, al massimo {MAX_RIGHE_INDIRIZZO}",
                    d.indirizzo.len()
                ),
            );
        }
        let indirizzo: usize = d.indirizzo.iter().map(|l| lunghezza(l)).sum::<usize>()
            + d.indirizzo.len().saturating_sub(1);
        if indirizzo > MAX_INDIRIZZO {
            r.metti(
                "Destinatario, indirizzo",
                format!("è lungo {indirizzo} caratteri, il massimo dell'avviso pagoPA è {MAX_INDIRIZZO}: va accorciato"),
            );
        }

        if r.obbligatorio("Oggetto", &self.oggetto) {
            r.massimo("Oggetto", &self.oggetto, MAX_OGGETTO);
            if tutto_maiuscolo(&self.oggetto) {
                r.metti(
                    "Oggetto",
                    "è scritto tutto in maiuscolo: l'avviso pagoPA lo vuole in minuscolo con l'iniziale maiuscola (ad esempio \"Tassa rifiuti 2027\")",
                );
            }
        }

        if self.rata_unica.is_none() && self.rate.is_empty() {
            r.metti(
                "Pagamenti",
                "l'avviso non ha né la rata unica né rate: serve almeno un codice da pagare",
            );
        }
        if self.rate.len() == 1 {
            r.metti(
                "Rate",
                "c'è una sola rata: un pagamento in una volta va indicato come rata unica",
            );
        }
        if self.rate.len() > MAX_RATE {
            r.metti(
                "Rate",
                format!(
                    "sono {}, al massimo {MAX_RATE} su un avviso",
                    self.rate.len()
                ),
            );
        }
        let max = if self.poste.is_some() {
            MAX_CENTESIMI_POSTE
        } else {
            MAX_CENTESIMI
        };
        let mut visti: Vec<&str> = Vec::new();
        for (nome, p) in self.pagamenti_con_nome() {
            let campo = format!("{nome}, codice avviso");
            if p.codice.len() != 18 || !p.codice.bytes().all(|b| b.is_ascii_digit()) {
                r.metti(
                    &campo,
                    "deve essere di 18 cifre (la cifra 3 seguita dallo IUV di 17 cifre)",
                );
            } else if !mpd_domain::iuv::notice_is_valid(&p.codice) {
                r.metti(
                    &campo,
                    "le due cifre di controllo (le ultime) non corrispondono alle altre: il codice è stato copiato male",
                );
            } else if visti.contains(&p.codice.as_str()) {
                r.metti(
                    &campo,
                    "è uguale a quello di un'altra rata: ogni rata ha il suo codice",
                );
            }
            visti.push(&p.codice);
            if p.importo_centesimi == 0 {
                r.metti(format!("{nome}, importo"), "deve essere almeno 0,01 €");
            } else if p.importo_centesimi > max {
                let limite = if self.poste.is_some() {
                    "99.999.999,99 € con il bollettino postale"
                } else {
                    "999.999.999,99 €"
                };
                r.metti(
                    format!("{nome}, importo"),
                    format!("supera il massimo di {limite}"),
                );
            }
        }
        for (i, coppia) in self.rate.windows(2).enumerate() {
            if let (Some(a), Some(b)) = (coppia[0].scadenza, coppia[1].scadenza)
                && b <= a
            {
                r.metti(
                    format!("Rata {}, scadenza", i + 2),
                    format!(
                        "deve venire dopo quella della rata {} ({})",
                        i + 1,
                        mpd_domain::dates::format_it(a)
                    ),
                );
            }
        }

        if let Some(c) = &self.poste {
            if c.numero.is_empty()
                || c.numero.len() > 12
                || !c.numero.bytes().all(|b| b.is_ascii_digit())
            {
                r.metti(
                    "Conto corrente postale, numero",
                    "deve essere di sole cifre, al massimo 12",
                );
            }
            if r.obbligatorio("Conto corrente postale, intestatario", &c.intestatario) {
                r.massimo(
                    "Conto corrente postale, intestatario",
                    &c.intestatario,
                    MAX_INTESTATARIO,
                );
            }
            if r.obbligatorio(
                "Conto corrente postale, autorizzazione di Poste alla stampa in proprio",
                &c.autorizzazione,
            ) {
                r.massimo(
                    "Conto corrente postale, autorizzazione di Poste alla stampa in proprio",
                    &c.autorizzazione,
                    MAX_AUTORIZZAZIONE,
                );
            }
        }
        r.0
    }

    /// The options with their Italian names ("Rata unica", "Rata 1", …).
    pub fn pagamenti_con_nome(&self) -> impl Iterator<Item = (String, &Pagamento)> {
        self.rata_unica
            .iter()
            .map(|p| ("Rata unica".to_string(), p))
            .chain(
                self.rate
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (format!("Rata {}", i + 1), p)),
            )
    }
}
