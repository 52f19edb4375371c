//! The *flusso di rendicontazione* (FdR): pagoPA's `FlussoRiversamento` XML, in which a PSP
//! reports the payments it transferred to the Ente in one SCT (spec riconciliazione §1).
//!
//! Map of the document (a strict `xsd:sequence`, namespace
//! `http://www.digitpa.gov.it/schemas/2011/Pagamenti/`, read here by *local* name so that any
//! prefix, or none, works):
//!
//! | element | field |
//! |---|---|
//! | `versioneOggetto` | [`Fdr::versione_oggetto`] |
//! | `identificativoFlusso` (IUF) | [`Fdr::iuf`]; the PSP is [`psp_da_iuf`] (§1.4) |
//! | `dataOraFlusso` | [`Fdr::data_ora_flusso`] (this version of the flow) |
//! | `identificativoUnivocoRegolamento`, `dataRegolamento` | the SCT that settled the money |
//! | `istitutoMittente/…` | [`Fdr::mittente_tipo`], [`Fdr::mittente_codice`], [`Fdr::mittente_nome`] |
//! | `codiceBicBancaDiRiversamento` | [`Fdr::bic_riversamento`] |
//! | `istitutoRicevente/…` | [`Fdr::ricevente_codice`] (the Ente's codice fiscale), [`Fdr::ricevente_nome`] |
//! | `numeroTotalePagamenti`, `importoTotalePagamenti` | the declared count and total |
//! | `datiSingoliPagamenti` (1..n) | one [`RigaFdr`] per reported transfer |
//!
//! Every schema version of §1.1 reads the same way: they differ only in the outcome codes they
//! allow (0, 3, 9 in MyPivot's and MyPay's copies; 4 and then 8 added in pagoPA's 1_0_4; 3
//! removed in 1_0_5) and in the amounts' digits. This reader accepts the union, [`Esito`], and
//! the old schema's negative amount for a revoked payment (esito 3). What a code means for the
//! totals and the matching is decided above, not here.
//!
//! Limits: nesting deeper than [`MAX_DEPTH`] or more than [`MAX_ELEMENTS`] elements is refused,
//! as for MyPay's SOAP answers, and a DOCTYPE is refused outright. Problems are collected (up to
//! [`MAX_PROBLEMI`]), each naming the element and, inside a payment, its number and the line of
//! the file; the caller adds the file's name.

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use quick_xml::Reader;
use quick_xml::events::Event;
use rust_decimal::Decimal;

/// Deepest nesting accepted (an FdR is four levels deep).
pub const MAX_DEPTH: usize = 16;
/// Most elements in one FdR: a payment is 7 elements, so this allows about 1,400,000 payments,
/// far above any PSP's daily flow, while a hostile file of millions of empty elements stops.
pub const MAX_ELEMENTS: usize = 10_000_000;
/// Most problems reported for one file.
pub const MAX_PROBLEMI: usize = 20;

/// `codiceEsitoSingoloPagamento` (§1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Esito {
    /// 0: pagamento eseguito.
    Eseguito,
    /// 3: pagamento revocato (schemas up to 1_0_4): kept, but out of the totals.
    Revocato,
    /// 4: pagamento eseguito in Stand-In.
    StandIn,
    /// 8: pagamento eseguito in Stand-In senza RPT.
    StandInSenzaRpt,
    /// 9: pagamento eseguito senza RPT.
    SenzaRpt,
}

impl Esito {
    /// The code as written in the file.
    pub fn codice(self) -> u8 {
        match self {
            Esito::Eseguito => 0,
            Esito::Revocato => 3,
            Esito::StandIn => 4,
            Esito::StandInSenzaRpt => 8,
            Esito::SenzaRpt => 9,
        }
    }

    /// The code read from a file or the store.
    pub fn da_codice(codice: u8) -> Option<Esito> {
        Some(match codice {
            0 => Esito::Eseguito,
            3 => Esito::Revocato,
            4 => Esito::StandIn,
            8 => Esito::StandInSenzaRpt,
            9 => Esito::SenzaRpt,
            _ => return None,
        })
    }
}

/// One `datiSingoliPagamenti`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RigaFdr {
    /// 1-based position among the payments of the flow.
    pub numero: usize,
    pub iuv: String,
    pub iur: String,
    /// `indiceDatiSingoloPagamento` (1–5), absent in some flows.
    pub indice: Option<u8>,
    pub importo: Decimal,
    pub esito: Esito,
    pub data_esito: NaiveDate,
}

/// A whole FdR.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fdr {
    pub versione_oggetto: String,
    pub iuf: String,
    pub data_ora_flusso: NaiveDateTime,
    pub iur_regolamento: String,
    pub data_regolamento: NaiveDate,
    pub mittente_tipo: String,
    pub mittente_codice: String,
    pub mittente_nome: String,
    pub bic_riversamento: String,
    pub ricevente_codice: String,
    pub ricevente_nome: String,
    pub numero_totale: u64,
    pub importo_totale: Decimal,
    pub righe: Vec<RigaFdr>,
}

/// The PSP of an IUF as MyPay and MyPivot derive it: from the eleventh character up to the
/// first `-` (`2024-05-14BCITITMM-S240514000123` → `BCITITMM`); `None` when the IUF is shorter.
pub fn psp_da_iuf(iuf: &str) -> Option<&str> {
    iuf.get(10..)
        .and_then(|s| s.split('-').next())
        .filter(|s| !s.is_empty())
}

/// Why an FdR cannot be read: the problems found, each an Italian sentence.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", .problemi.join("; "))]
pub struct FdrError {
    pub problemi: Vec<String>,
}

impl FdrError {
    fn uno(p: impl Into<String>) -> FdrError {
        FdrError {
            problemi: vec![p.into()],
        }
    }
}

#[derive(Default)]
struct RigaInCorso {
    inizio: usize,
    iuv: Option<String>,
    iur: Option<String>,
    indice: Option<String>,
    importo: Option<String>,
    esito: Option<String>,
    data_esito: Option<String>,
}

#[derive(Default)]
struct Testata {
    versione_oggetto: Option<String>,
    iuf: Option<String>,
    data_ora_flusso: Option<String>,
    iur_regolamento: Option<String>,
    data_regolamento: Option<String>,
    mittente_tipo: Option<String>,
    mittente_codice: Option<String>,
    mittente_nome: Option<String>,
    bic: Option<String>,
    ricevente_tipo: Option<String>,
    ricevente_codice: Option<String>,
    ricevente_nome: Option<String>,
    numero_totale: Option<String>,
    importo_totale: Option<String>,
    /// `datiSingoliPagamenti` closed so far, read or not.
    pagamenti_letti: usize,
}

/// The local name of an XML document's root element (any prefix, or none), read from the
/// document's first bytes (a prefix is enough: reading stops at the root); `None` when they
/// hold no element, the text is not XML, or a DOCTYPE comes first (refused by every reader
/// here). Tells an FdR (`FlussoRiversamento`) from an OPI giornale di cassa
/// (`flusso_giornale_di_cassa`) before either reader runs.
pub fn elemento_radice(inizio: &[u8]) -> Option<String> {
    let inizio = inizio.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(inizio);
    let mut reader = Reader::from_reader(inizio);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                return Some(local(e.name().into_inner()).to_string());
            }
            Ok(Event::Decl(_) | Event::Comment(_) | Event::PI(_)) => {}
            Ok(Event::Text(t)) if t.trim().is_empty() => {}
            Ok(_) | Err(_) => return None,
        }
        buf.clear();
    }
}

pub(crate) fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

pub(crate) fn line_of(text: &str, pos: usize) -> usize {
    1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..pos.min(text.len())]).count()
}

pub(crate) fn resolve_ref(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}

/// An amount with at most two decimals and no exponent (`\d+\.\d{2}` in the newest schemas,
/// `decimal` with two fraction digits in the older ones).
fn importo(testo: &str) -> Option<Decimal> {
    let t = testo.trim();
    let cifre = t.strip_prefix('-').unwrap_or(t);
    let (intero, decimali) = cifre.split_once('.').unwrap_or((cifre, ""));
    if intero.is_empty()
        || !intero.bytes().all(|b| b.is_ascii_digit())
        || !decimali.bytes().all(|b| b.is_ascii_digit())
        || decimali.len() > 2
        || intero.len() > 15
    {
        return None;
    }
    Decimal::from_str(t).ok()
}

fn data(testo: &str) -> Option<NaiveDate> {
    // xsd:date may carry a time zone (`2024-05-14Z`, `2024-05-14+02:00`): the day is what counts.
    let t = testo.trim();
    NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok()
}

fn data_ora(testo: &str) -> Option<NaiveDateTime> {
    let t = testo.trim();
    let base = t.get(..19)?;
    NaiveDateTime::parse_from_str(base, "%Y-%m-%dT%H:%M:%S").ok()
}

/// Reads an FdR from its bytes (UTF-8, with or without a BOM).
pub fn leggi(bytes: &[u8]) -> Result<Fdr, FdrError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text =
        std::str::from_utf8(bytes).map_err(|_| FdrError::uno("il file non è un XML in UTF-8"))?;
    let mut reader = Reader::from_str(text);
    let mut percorso: Vec<String> = Vec::new();
    let mut testo = String::new();
    let mut testata = Testata::default();
    let mut riga: Option<RigaInCorso> = None;
    let mut righe: Vec<RigaFdr> = Vec::new();
    let mut problemi: Vec<String> = Vec::new();
    let mut elementi = 0usize;
    let mut radice_vista = false;
    loop {
        let pos = reader.buffer_position() as usize;
        let evento = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                problemi.push(format!(
                    "XML non ben formato alla riga {} ({e})",
                    line_of(text, reader.buffer_position() as usize)
                ));
                break;
            }
        };
        match evento {
            Event::Start(ref e) | Event::Empty(ref e) => {
                elementi += 1;
                if elementi > MAX_ELEMENTS {
                    return Err(FdrError::uno("XML con troppi elementi"));
                }
                if percorso.len() >= MAX_DEPTH {
                    return Err(FdrError::uno("XML troppo annidato"));
                }
                let nome = local(e.name().into_inner()).to_string();
                if percorso.is_empty() {
                    if radice_vista {
                        problemi.push("più di un elemento radice".into());
                        break;
                    }
                    radice_vista = true;
                    if nome != "FlussoRiversamento" {
                        return Err(FdrError::uno(format!(
                            "non è un flusso di rendicontazione: l'elemento principale è «{nome}» invece di «FlussoRiversamento»"
                        )));
                    }
                }
                if nome == "datiSingoliPagamenti" && percorso.len() == 1 {
                    riga = Some(RigaInCorso {
                        inizio: pos,
                        ..Default::default()
                    });
                }
                testo.clear();
                if matches!(evento, Event::Start(_)) {
                    percorso.push(nome);
                } else {
                    percorso.push(nome);
                    chiudi(
                        &percorso,
                        "",
                        &mut testata,
                        &mut riga,
                        &mut righe,
                        &mut problemi,
                        text,
                    );
                    percorso.pop();
                }
            }
            Event::End(_) => {
                chiudi(
                    &percorso,
                    testo.trim(),
                    &mut testata,
                    &mut riga,
                    &mut righe,
                    &mut problemi,
                    text,
                );
                testo.clear();
                percorso.pop();
            }
            Event::Text(t) => testo.push_str(&t),
            Event::CData(t) => testo.push_str(&t),
            Event::GeneralRef(r) => {
                let nome: &str = &r;
                match resolve_ref(nome) {
                    Some(c) => testo.push(c),
                    None => {
                        problemi.push(format!("entità XML sconosciuta «{nome}»"));
                        break;
                    }
                }
            }
            Event::DocType(_) => return Err(FdrError::uno("XML con DOCTYPE rifiutato")),
            Event::Eof => break,
            _ => {}
        }
        if problemi.len() >= MAX_PROBLEMI {
            break;
        }
    }
    if problemi.is_empty() && !percorso.is_empty() {
        problemi
            .push("XML troncato: il file finisce prima della chiusura dei suoi elementi".into());
    }
    if !radice_vista && problemi.is_empty() {
        return Err(FdrError::uno("il file è vuoto"));
    }
    let fdr = completa(testata, righe, &mut problemi);
    match fdr {
        Some(f) if problemi.is_empty() => Ok(f),
        _ => {
            problemi.truncate(MAX_PROBLEMI);
            Err(FdrError { problemi })
        }
    }
}

/// An element ends: its text goes to the header or the payment in progress.
fn chiudi(
    percorso: &[String],
    valore: &str,
    testata: &mut Testata,
    riga: &mut Option<RigaInCorso>,
    righe: &mut Vec<RigaFdr>,
    problemi: &mut Vec<String>,
    text: &str,
) {
    let nomi: Vec<&str> = percorso.iter().skip(1).map(String::as_str).collect();
    let v = || Some(valore.to_string());
    match nomi.as_slice() {
        ["datiSingoliPagamenti"] => {
            if let Some(r) = riga.take() {
                // Counted whether it reads or not, so the next payments keep their number.
                testata.pagamenti_letti += 1;
                if let Some(fatta) = riga_finita(r, testata.pagamenti_letti, problemi, text) {
                    righe.push(fatta);
                }
            }
        }
        ["datiSingoliPagamenti", campo] => {
            if let Some(r) = riga.as_mut() {
                match *campo {
                    "identificativoUnivocoVersamento" => r.iuv = v(),
                    "identificativoUnivocoRiscossione" => r.iur = v(),
                    "indiceDatiSingoloPagamento" => r.indice = v(),
                    "singoloImportoPagato" => r.importo = v(),
                    "codiceEsitoSingoloPagamento" => r.esito = v(),
                    "dataEsitoSingoloPagamento" => r.data_esito = v(),
                    _ => {}
                }
            }
        }
        ["versioneOggetto"] => testata.versione_oggetto = v(),
        ["identificativoFlusso"] => testata.iuf = v(),
        ["dataOraFlusso"] => testata.data_ora_flusso = v(),
        ["identificativoUnivocoRegolamento"] => testata.iur_regolamento = v(),
        ["dataRegolamento"] => testata.data_regolamento = v(),
        [
            "istitutoMittente",
            "identificativoUnivocoMittente",
            "tipoIdentificativoUnivoco",
        ] => testata.mittente_tipo = v(),
        [
            "istitutoMittente",
            "identificativoUnivocoMittente",
            "codiceIdentificativoUnivoco",
        ] => testata.mittente_codice = v(),
        ["istitutoMittente", "denominazioneMittente"] => testata.mittente_nome = v(),
        ["codiceBicBancaDiRiversamento"] => testata.bic = v(),
        [
            "istitutoRicevente",
            "identificativoUnivocoRicevente",
            "tipoIdentificativoUnivoco",
        ] => testata.ricevente_tipo = v(),
        [
            "istitutoRicevente",
            "identificativoUnivocoRicevente",
            "codiceIdentificativoUnivoco",
        ] => testata.ricevente_codice = v(),
        ["istitutoRicevente", "denominazioneRicevente"] => testata.ricevente_nome = v(),
        ["numeroTotalePagamenti"] => testata.numero_totale = v(),
        ["importoTotalePagamenti"] => testata.importo_totale = v(),
        _ => {}
    }
}

fn riga_finita(
    r: RigaInCorso,
    numero: usize,
    problemi: &mut Vec<String>,
    text: &str,
) -> Option<RigaFdr> {
    let dove = format!(
        "pagamento n. {numero} (riga {} del file)",
        line_of(text, r.inizio)
    );
    let prima = problemi.len();
    let mut obbligatorio = |valore: Option<String>, elemento: &str| -> String {
        match valore.filter(|s| !s.is_empty()) {
            Some(s) => s,
            None => {
                problemi.push(format!("{dove}: manca «{elemento}»"));
                String::new()
            }
        }
    };
    let iuv = obbligatorio(r.iuv, "identificativoUnivocoVersamento");
    let iur = obbligatorio(r.iur, "identificativoUnivocoRiscossione");
    let importo_testo = obbligatorio(r.importo, "singoloImportoPagato");
    let esito_testo = obbligatorio(r.esito, "codiceEsitoSingoloPagamento");
    let data_testo = obbligatorio(r.data_esito, "dataEsitoSingoloPagamento");
    let indice = match r.indice.as_deref() {
        None | Some("") => None,
        Some(t) => match t.parse::<u8>() {
            Ok(n @ 1..=5) => Some(n),
            _ => {
                problemi.push(format!(
                    "{dove}: «indiceDatiSingoloPagamento» «{t}» non è un numero da 1 a 5"
                ));
                None
            }
        },
    };
    let esito = if esito_testo.is_empty() {
        None
    } else {
        let e = esito_testo.parse::<u8>().ok().and_then(Esito::da_codice);
        if e.is_none() {
            problemi.push(format!(
                "{dove}: «codiceEsitoSingoloPagamento» «{esito_testo}» non è un esito previsto (0, 3, 4, 8 o 9)"
            ));
        }
        e
    };
    let importo = if importo_testo.is_empty() {
        None
    } else {
        match importo(&importo_testo) {
            // The old schema allowed a negative amount for a revoked payment only.
            Some(d) if d.is_sign_negative() && esito != Some(Esito::Revocato) => {
                problemi.push(format!(
                    "{dove}: «singoloImportoPagato» «{importo_testo}» è negativo"
                ));
                None
            }
            Some(d) => Some(d),
            None => {
                problemi.push(format!(
                    "{dove}: «singoloImportoPagato» «{importo_testo}» non è un importo (ad esempio 48.50)"
                ));
                None
            }
        }
    };
    let data_esito = if data_testo.is_empty() {
        None
    } else {
        let d = data(&data_testo);
        if d.is_none() {
            problemi.push(format!(
                "{dove}: «dataEsitoSingoloPagamento» «{data_testo}» non è una data (AAAA-MM-GG)"
            ));
        }
        d
    };
    if problemi.len() > prima {
        return None;
    }
    Some(RigaFdr {
        numero,
        iuv,
        iur,
        indice,
        importo: importo?,
        esito: esito?,
        data_esito: data_esito?,
    })
}

/// The header checked and the flow put together.
fn completa(t: Testata, righe: Vec<RigaFdr>, problemi: &mut Vec<String>) -> Option<Fdr> {
    let mut obbligatorio = |valore: Option<String>, elemento: &str| -> String {
        match valore.filter(|s| !s.is_empty()) {
            Some(s) => s,
            None => {
                problemi.push(format!("manca «{elemento}»"));
                String::new()
            }
        }
    };
    let versione_oggetto = obbligatorio(t.versione_oggetto, "versioneOggetto");
    let iuf = obbligatorio(t.iuf, "identificativoFlusso");
    let data_ora_testo = obbligatorio(t.data_ora_flusso, "dataOraFlusso");
    let iur_regolamento = obbligatorio(t.iur_regolamento, "identificativoUnivocoRegolamento");
    let data_reg_testo = obbligatorio(t.data_regolamento, "dataRegolamento");
    let mittente_tipo = obbligatorio(
        t.mittente_tipo,
        "istitutoMittente/identificativoUnivocoMittente/tipoIdentificativoUnivoco",
    );
    let mittente_codice = obbligatorio(
        t.mittente_codice,
        "istitutoMittente/identificativoUnivocoMittente/codiceIdentificativoUnivoco",
    );
    let _ = obbligatorio(
        t.ricevente_tipo,
        "istitutoRicevente/identificativoUnivocoRicevente/tipoIdentificativoUnivoco",
    );
    let ricevente_codice = obbligatorio(
        t.ricevente_codice,
        "istitutoRicevente/identificativoUnivocoRicevente/codiceIdentificativoUnivoco",
    );
    let numero_testo = obbligatorio(t.numero_totale, "numeroTotalePagamenti");
    let importo_testo = obbligatorio(t.importo_totale, "importoTotalePagamenti");
    if t.pagamenti_letti == 0 {
        problemi.push("nessun pagamento («datiSingoliPagamenti»)".into());
    }
    let data_ora_flusso = data_ora(&data_ora_testo);
    if data_ora_flusso.is_none() && !data_ora_testo.is_empty() {
        problemi.push(format!(
            "«dataOraFlusso» «{data_ora_testo}» non è una data e ora (AAAA-MM-GGThh:mm:ss)"
        ));
    }
    let data_regolamento = data(&data_reg_testo);
    if data_regolamento.is_none() && !data_reg_testo.is_empty() {
        problemi.push(format!(
            "«dataRegolamento» «{data_reg_testo}» non è una data (AAAA-MM-GG)"
        ));
    }
    let numero_totale = numero_testo.parse::<u64>().ok();
    if numero_totale.is_none() && !numero_testo.is_empty() {
        problemi.push(format!(
            "«numeroTotalePagamenti» «{numero_testo}» non è un numero intero"
        ));
    }
    let importo_totale = importo(&importo_testo).filter(|d| !d.is_sign_negative());
    if importo_totale.is_none() && !importo_testo.is_empty() {
        problemi.push(format!(
            "«importoTotalePagamenti» «{importo_testo}» non è un importo (ad esempio 223.50)"
        ));
    }
    if !iuf.is_empty() && psp_da_iuf(&iuf).is_none() {
        problemi.push(format!(
            "«identificativoFlusso» «{iuf}» non ha la forma AAAA-MM-GG<PSP>-<progressivo>: il PSP non si ricava"
        ));
    }
    if !problemi.is_empty() {
        return None;
    }
    Some(Fdr {
        versione_oggetto,
        iuf,
        data_ora_flusso: data_ora_flusso?,
        iur_regolamento,
        data_regolamento: data_regolamento?,
        mittente_tipo,
        mittente_codice,
        mittente_nome: t.mittente_nome.unwrap_or_default(),
        bic_riversamento: t.bic.unwrap_or_default(),
        ricevente_codice,
        ricevente_nome: t.ricevente_nome.unwrap_or_default(),
        numero_totale: numero_totale?,
        importo_totale: importo_totale?,
        righe,
    })
}

#[cfg(test)]
mod tests;
