//! The pagoPA taxonomy as a list to pick from (code, service name, kind of body), read from
//! the table shipped in `assets/lookup/tassonomia.csv` (the same file mpd-domain checks codes
//! against: replace it to update both).
//!
//! The file is a database dump whose long descriptions are not always quoted correctly, so a
//! single CSV pass loses the rows after a broken quote. Two passes are merged: the whole file
//! as CSV, then each physical line on its own; a code found in neither (its line is damaged
//! beyond both) is still listed, with no name.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::Serialize;

const TASSONOMIA_CSV: &str = include_str!("../../../../assets/lookup/tassonomia.csv");

/// One service of the taxonomy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VoceTassonomia {
    /// `9/0101101IM/`: what a payment type's `dati_specifici_riscossione` carries.
    pub codice: String,
    /// `Mense scolastiche`; empty when the file's line could not be read.
    pub nome: String,
    /// The kind of body the code is meant for (`COMUNE/UNIONE DI COMUNI`, …).
    pub ente: String,
    /// Valid on the day asked for.
    pub valido: bool,
}

fn is_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 12
        && b.starts_with(b"9/")
        && b[2..9].iter().all(u8::is_ascii_digit)
        && b[9..11].iter().all(u8::is_ascii_uppercase)
        && b[11] == b'/'
}

fn take(rec: &csv::StringRecord, out: &mut BTreeMap<String, (String, String)>) {
    let Some(i) = rec.iter().position(is_code) else {
        return;
    };
    // …, <service code>, <name>, <description>, <suffix>, <start>, <end>, <code>, …
    if i < 13
        || !rec
            .get(0)
            .is_some_and(|f| f.bytes().all(|b| b.is_ascii_digit()))
    {
        return;
    }
    let nome = rec.get(i - 5).unwrap_or_default().trim().to_string();
    let ente = rec.get(3).unwrap_or_default().trim().to_string();
    out.entry(rec[i].to_string()).or_insert((nome, ente));
}

static VOCI: LazyLock<Vec<(String, String, String)>> = LazyLock::new(|| {
    let mut found = BTreeMap::new();
    let mut builder = csv::ReaderBuilder::new();
    builder.has_headers(false).flexible(true);
    for rec in builder
        .from_reader(TASSONOMIA_CSV.as_bytes())
        .records()
        .flatten()
    {
        take(&rec, &mut found);
    }
    for line in TASSONOMIA_CSV.lines() {
        if let Some(Ok(rec)) = builder.from_reader(line.as_bytes()).records().next() {
            take(&rec, &mut found);
        }
    }
    let mut i = 0;
    while let Some(off) = TASSONOMIA_CSV[i..].find(",9/") {
        let start = i + off + 1;
        i = start;
        if let Some(code) = TASSONOMIA_CSV.get(start..start + 12)
            && is_code(code)
        {
            found
                .entry(code.to_string())
                .or_insert((String::new(), String::new()));
        }
    }
    found.into_iter().map(|(c, (n, e))| (c, n, e)).collect()
});

/// Every code of the shipped table, by code, with whether it is valid on `oggi`.
pub fn elenco(oggi: NaiveDate) -> Vec<VoceTassonomia> {
    VOCI.iter()
        .map(|(codice, nome, ente)| VoceTassonomia {
            valido: mpd_domain::taxonomy::check_taxonomy(codice, oggi)
                .is_ok_and(|s| s == mpd_domain::taxonomy::TaxonomyStatus::Valid),
            codice: codice.clone(),
            nome: nome.clone(),
            ente: ente.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_of_the_table_is_listed_and_most_have_a_name() {
        let oggi = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let l = elenco(oggi);
        assert_eq!(
            l.len(),
            mpd_domain::lookup::tassonomia_count(),
            "same codes as the validation table"
        );
        let named = l.iter().filter(|v| !v.nome.is_empty()).count();
        assert!(named * 100 >= l.len() * 95, "{named} of {}", l.len());
        let mensa = l.iter().find(|v| v.codice == "9/0107101TS/").unwrap();
        assert_eq!(mensa.nome, "Mense scolastiche");
        assert_eq!(mensa.ente, "COMUNE/UNIONE DI COMUNI");
        assert!(mensa.valido);
        let tari = l.iter().find(|v| v.codice == "9/0101101IM/").unwrap();
        assert!(tari.nome.contains("TARI"), "{}", tari.nome);
    }
}
