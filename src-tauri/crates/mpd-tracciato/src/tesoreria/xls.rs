//! The bank's movements as a workbook (MyPivot type T, spec §3.2): sheet `MOVIMENTI`, one
//! header row, columns `ABI, CAB, CONTO, DIVISA, DATA_CONTABILE, DATA_VALUTA, IMPORTO, SEGNO,
//! CAUSALE, NUM__ASSEGNO, RIF__BANCA, RIF__CLIENTE, DESCRIZIONE, DESCRIZIONE_ESTESA` (or the
//! visible names `DATA CONTABILE`, `RIF. BANCA`, `DESCRIZIONE ESTESA`…, matched whatever the
//! spacing and punctuation).
//!
//! The workbook itself is read by mpd-sheets (calamine behind its guard against hostile
//! files); this module takes its rows as text (dates as `yyyy-mm-dd`) and keeps, as MyPivot,
//! the rows with `SEGNO` `+` whose `DESCRIZIONE_ESTESA` (the bank tags `:BI2:`, `:RI3:`…,
//! `Descrizione Ordinante: …`) yields an IUF or an IUV; the others are counted as left out.
//! The bolletta is `RIF. BANCA` when given, else one made from the row
//! ([`super::bolletta_sintetica`]).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::csv::normalizza;
use super::{
    ErroreTesoreria, Formato, Giornale, Ignorata, Movimento, Problemi, anno, bolletta_sintetica,
    data, identita_periodo, importo, impronta, riferimenti, taglia,
};

/// The sheet MyPivot reads.
pub const FOGLIO: &str = "MOVIMENTI";

static ORDINANTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)Descrizione\s+Ordinante\s*:\s*([^:;]*)")
        .unwrap_or_else(|e| panic!("espressione non valida: {e}"))
});

fn colonna(intestazione: &[String], nomi: &[&str]) -> Option<usize> {
    intestazione
        .iter()
        .position(|h| nomi.iter().any(|n| normalizza(h) == *n))
}

/// Reads the rows of the `MOVIMENTI` sheet: `(row number, cells as text)`.
pub fn leggi_righe(
    righe: impl IntoIterator<Item = (usize, Vec<String>)>,
) -> Result<Giornale, ErroreTesoreria> {
    let mut righe = righe.into_iter();
    let intestazione = loop {
        match righe.next() {
            Some((_, celle)) if celle.iter().all(|c| c.trim().is_empty()) => continue,
            Some((_, celle)) => break celle,
            None => return Err(ErroreTesoreria::file("il foglio MOVIMENTI è vuoto")),
        }
    };
    let col = |nomi: &[&str]| colonna(&intestazione, nomi);
    let (Some(c_data), Some(c_importo), Some(c_segno)) =
        (col(&["data contabile"]), col(&["importo"]), col(&["segno"]))
    else {
        return Err(ErroreTesoreria::file(
            "il foglio non ha le colonne DATA_CONTABILE, IMPORTO e SEGNO dei movimenti bancari",
        ));
    };
    let c_valuta = col(&["data valuta"]);
    let c_estesa = col(&["descrizione estesa"]);
    let c_descr = col(&["descrizione"]);
    let c_causale = col(&["causale"]);
    let c_rif = col(&["rif banca"]);
    let mut problemi = Problemi::default();
    let mut movimenti = Vec::new();
    let mut ignorate = Vec::new();
    let mut stessi: HashMap<String, usize> = HashMap::new();
    for (riga, celle) in righe {
        let cella = |i: Option<usize>| i.and_then(|i| celle.get(i)).map_or("", |s| s.trim());
        if celle.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if cella(Some(c_segno)) != "+" {
            ignorate.push(Ignorata {
                riga,
                motivo: "segno diverso da + (un addebito)".into(),
            });
            continue;
        }
        let estesa = cella(c_estesa);
        let testo = if estesa.is_empty() {
            format!("{} {}", cella(c_causale), cella(c_descr))
        } else {
            estesa.to_string()
        };
        let (iuf, iuv, lettura) = riferimenti(&testo);
        if iuf.is_none() && iuv.is_none() {
            ignorate.push(Ignorata {
                riga,
                motivo: "nessun riferimento pagoPA (IUF o IUV) nella descrizione".into(),
            });
            continue;
        }
        let prima_di = problemi.0.len();
        let dc = data(cella(Some(c_data)))
            .map_err(|e| problemi.push(riga, &intestazione[c_data], e))
            .ok();
        let dv = match c_valuta {
            Some(i) if !cella(Some(i)).is_empty() => data(cella(Some(i)))
                .map_err(|e| problemi.push(riga, &intestazione[i], e))
                .ok(),
            _ => dc,
        };
        let imp = importo(cella(Some(c_importo)))
            .map_err(|e| problemi.push(riga, &intestazione[c_importo], e))
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
        let bolletta = match cella(c_rif) {
            "" => {
                let base = bolletta_sintetica('T', dc, imp, &testo, 0);
                let n = stessi.entry(base).or_insert(0);
                *n += 1;
                bolletta_sintetica('T', dc, imp, &testo, *n - 1)
            }
            r => r.to_string(),
        };
        let ordinante = ORDINANTE
            .captures(&testo)
            .and_then(|c| c.get(1))
            .map_or(String::new(), |m| taglia(m.as_str().trim(), 140));
        movimenti.push(Movimento {
            formato: Formato::Xls,
            riga,
            anno: anno(dc),
            bolletta,
            data_contabile: dc,
            data_valuta: dv,
            importo: imp.abs(),
            ordinante,
            causale: testo,
            iuf,
            iuv,
            lettura,
            sospeso: None,
            storno: false,
        });
    }
    let movimenti = problemi.esito(movimenti)?;
    Ok(Giornale {
        formato: Formato::Xls,
        identita: identita_periodo(Formato::Xls, &movimenti),
        impronta: impronta(&movimenti),
        movimenti,
        ignorate,
        note: Vec::new(),
    })
}
