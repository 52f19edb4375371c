//! Poste's *estratto conto* CSV (MyPivot type Y, spec §3.4).
//!
//! ISO-8859-15 (UTF-8 accepted too), `;`, no quoting. Line 1 is `<label>;<IBAN>`, line 2 the
//! column header, then `data_contabile;data_valuta;cod_causale;causale;divisa;importo_debito;
//! importo_credito;accessoria1;causale_movimento`, then a footer line (left out when it is not
//! a movement). Only credits are kept (a non-empty `importo_credito`), and, as MyPivot, only
//! those whose `causale_movimento` yields an IUF or IUV; the others are counted as left out.
//! Dates `dd/mm/yyyy`; the year is the data contabile's; the bolletta, which Poste does not
//! give (MyPivot draws `P` and a number from a database sequence), is made from the row
//! ([`super::bolletta_sintetica`]) so that a statement imported again gives the same keys.

use std::collections::HashMap;

use super::{
    ErroreTesoreria, Formato, Giornale, Ignorata, Movimento, Problemi, anno, bolletta_sintetica,
    data, identita_periodo, importo, impronta, riferimenti, testo,
};

/// The IBAN of the first line `<label>;<IBAN>`, when the line is one.
pub fn riga_iban(riga: &str) -> Option<String> {
    let campi: Vec<&str> = riga.trim_end().split(';').collect();
    if campi.len() != 2 {
        return None;
    }
    let iban: String = campi[1].chars().filter(|c| !c.is_whitespace()).collect();
    (iban.len() == 27
        && iban.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("IT"))
        && iban.chars().all(|c| c.is_ascii_alphanumeric()))
    .then_some(iban)
}

const CREDITO: usize = 6;
const CAUSALE_MOVIMENTO: usize = 8;

/// Reads a Poste estratto conto.
pub fn leggi(bytes: &[u8]) -> Result<Giornale, ErroreTesoreria> {
    let (text, codifica) = testo(bytes, encoding_rs::ISO_8859_15);
    let mut righe: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let Some(&(_, prima)) = righe.first() else {
        return Err(ErroreTesoreria::file("il file è vuoto"));
    };
    let iban = riga_iban(prima).ok_or_else(|| {
        ErroreTesoreria::file("la prima riga non è «descrizione;IBAN» di un estratto conto Poste")
    })?;
    if righe.len() < 2 {
        return Err(ErroreTesoreria::file("manca l'intestazione delle colonne"));
    }
    // The footer: the last line, when it is not a movement.
    if righe.len() > 2
        && let Some(&(_, ultima)) = righe.last()
        && data(ultima.split(';').next().unwrap_or("")).is_err()
    {
        righe.pop();
    }
    let mut problemi = Problemi::default();
    let mut movimenti = Vec::new();
    let mut ignorate = Vec::new();
    let mut stessi: HashMap<String, usize> = HashMap::new();
    for &(riga, linea) in &righe[2..] {
        let c: Vec<&str> = linea.split(';').map(str::trim).collect();
        let campo = |i: usize| c.get(i).copied().unwrap_or("");
        if campo(CREDITO).is_empty() {
            ignorate.push(Ignorata {
                riga,
                motivo: "addebito (nessun importo a credito)".into(),
            });
            continue;
        }
        let causale = campo(CAUSALE_MOVIMENTO).to_string();
        let (iuf, iuv, lettura) = riferimenti(&causale);
        if iuf.is_none() && iuv.is_none() {
            ignorate.push(Ignorata {
                riga,
                motivo: "nessun riferimento pagoPA (IUF o IUV) nella causale del movimento".into(),
            });
            continue;
        }
        let prima_di = problemi.0.len();
        let dc = data(campo(0))
            .map_err(|e| problemi.push(riga, "data_contabile", e))
            .ok();
        let dv = if campo(1).is_empty() {
            dc
        } else {
            data(campo(1))
                .map_err(|e| problemi.push(riga, "data_valuta", e))
                .ok()
        };
        let imp = importo(campo(CREDITO))
            .map_err(|e| problemi.push(riga, "importo_credito", e))
            .ok();
        if problemi.pieno() {
            break;
        }
        let (Some(dc), Some(dv), Some(imp)) = (dc, dv, imp) else {
            continue;
        };
        if problemi.0.len() > prima_di {
            continue;
        }
        let base = bolletta_sintetica('P', dc, imp, &causale, 0);
        let n = stessi.entry(base).or_insert(0);
        *n += 1;
        movimenti.push(Movimento {
            formato: Formato::Poste,
            riga,
            anno: anno(dc),
            bolletta: bolletta_sintetica('P', dc, imp, &causale, *n - 1),
            data_contabile: dc,
            data_valuta: dv,
            importo: imp,
            ordinante: "POSTE ITALIANE SPA".into(),
            causale,
            iuf,
            iuv,
            lettura,
            sospeso: None,
            storno: false,
        });
    }
    let movimenti = problemi.esito(movimenti)?;
    Ok(Giornale {
        formato: Formato::Poste,
        identita: format!(
            "{}:{}",
            identita_periodo(Formato::Poste, &movimenti),
            &iban[iban.len().saturating_sub(7)..]
        ),
        impronta: impronta(&movimenti),
        movimenti,
        ignorate,
        note: vec![format!("codifica {codifica}, conto {iban}")],
    })
}
