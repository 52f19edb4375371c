//! Lookup tables shipped with the app: nazioni, province, comuni (by Belfiore code) and the pagoPA
//! taxonomy.
//!
//! The CSV files live in `assets/lookup/` and are compiled into the binary (the domain crate does
//! no IO). Each table is parsed once, on first use, through a `LazyLock`; lookups afterwards are
//! hash look-ups that do not allocate, because validation calls them for every row of flows with
//! a million rows.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;

const NAZIONE_CSV: &str = include_str!("../../../../assets/lookup/nazione.csv");
const PROVINCIA_CSV: &str = include_str!("../../../../assets/lookup/provincia.csv");
const COMUNE_CSV: &str = include_str!("../../../../assets/lookup/comune.csv");
const TASSONOMIA_CSV: &str = include_str!("../../../../assets/lookup/tassonomia.csv");

/// A country of MyPay's `nazione` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nazione {
    pub nome: String,
    /// ISO 3166 alpha-2, upper case.
    pub alpha2: String,
}

/// An Italian province (`provincia` table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provincia {
    pub nome: String,
    /// Two-letter sigla, upper case (e.g. `MI`).
    pub sigla: String,
}

/// A comune (current or historical) of the `comune` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comune {
    pub nome: String,
    /// Province sigla.
    pub sigla: String,
    /// Cadastral (Belfiore) code, e.g. `H501` for Roma.
    pub belfiore: String,
    /// `false` for comuni that were merged or renamed (the table keeps them because old codici
    /// fiscali still carry their Belfiore code).
    pub attivo: bool,
}

/// One version of a taxonomy code with its validity period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validita {
    pub inizio: NaiveDate,
    pub fine: NaiveDate,
}

type Map<V> = HashMap<String, V, fnv::FnvBuildHasher>;

fn records(text: &'static str) -> impl Iterator<Item = csv::StringRecord> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .into_records()
        .filter_map(Result::ok)
}

static NAZIONI: LazyLock<Map<Nazione>> = LazyLock::new(|| {
    let mut map = Map::default();
    for r in records(NAZIONE_CSV) {
        let (Some(nome), Some(alpha2)) = (r.get(1), r.get(2)) else {
            continue;
        };
        let alpha2 = alpha2.trim().to_ascii_uppercase();
        if alpha2.len() == 2 {
            // Some alpha-2 codes appear more than once (territories); the first name wins.
            map.entry(alpha2.clone()).or_insert(Nazione {
                nome: nome.trim().to_string(),
                alpha2,
            });
        }
    }
    map
});

static PROVINCE: LazyLock<Map<Provincia>> = LazyLock::new(|| {
    let mut map = Map::default();
    for r in records(PROVINCIA_CSV) {
        let (Some(nome), Some(sigla)) = (r.get(1), r.get(2)) else {
            continue;
        };
        let sigla = sigla.trim().to_ascii_uppercase();
        if !sigla.is_empty() {
            map.entry(sigla.clone()).or_insert(Provincia {
                nome: nome.trim().to_string(),
                sigla,
            });
        }
    }
    map
});

static COMUNI: LazyLock<Map<Comune>> = LazyLock::new(|| {
    // Columns: id, name, prov_id, sigla, belfiore, istat, successor belfiore, successor sigla,
    // successor name. Rows with an empty ISTAT code are historical comuni.
    let mut map: Map<Comune> = Map::default();
    for r in records(COMUNE_CSV) {
        let (Some(nome), Some(sigla), Some(belfiore)) = (r.get(1), r.get(3), r.get(4)) else {
            continue;
        };
        let belfiore = belfiore.trim().to_ascii_uppercase();
        if belfiore.len() != 4 {
            continue;
        }
        let attivo = r.get(5).is_some_and(|istat| !istat.trim().is_empty());
        let comune = Comune {
            nome: nome.trim().to_string(),
            sigla: sigla.trim().to_string(),
            belfiore: belfiore.clone(),
            attivo,
        };
        match map.get(&belfiore) {
            // Prefer the current comune when a code is shared with historical names.
            Some(old) if old.attivo || !attivo => {}
            _ => {
                map.insert(belfiore, comune);
            }
        }
    }
    map
});

/// The taxonomy file is a database dump whose long description fields are not always quoted
/// correctly, so a column-based parse loses rows. Every entry however ends with
/// `<start datetime>,<end datetime>,<code>,`: scanning the raw text for that shape is robust.
static TASSONOMIA: LazyLock<Map<Vec<Validita>>> = LazyLock::new(|| {
    let mut map: Map<Vec<Validita>> = Map::default();
    let bytes = TASSONOMIA_CSV.as_bytes();
    let mut i = 0;
    while let Some(off) = TASSONOMIA_CSV[i..].find(",9/") {
        let start = i + off + 1;
        i = start;
        let Some(code) = TASSONOMIA_CSV.get(start..start + 12) else {
            break;
        };
        if !crate::taxonomy::is_taxonomy_core(code) || bytes.get(start + 12) != Some(&b',') {
            continue;
        }
        // `YYYY-MM-DD HH:MM:SS,YYYY-MM-DD HH:MM:SS,` = 40 bytes before the code.
        let Some(dates) = start
            .checked_sub(40)
            .and_then(|s| TASSONOMIA_CSV.get(s..start))
        else {
            continue;
        };
        let parse = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let (Some(inizio), Some(fine)) = (
            dates.get(0..10).and_then(parse),
            dates.get(20..30).and_then(parse),
        ) else {
            continue;
        };
        let v = map.entry(code.to_string()).or_default();
        let val = Validita { inizio, fine };
        if !v.contains(&val) {
            v.push(val);
        }
    }
    map
});

fn upper2(code: &str) -> Option<[u8; 2]> {
    let b = code.as_bytes();
    (b.len() == 2).then(|| [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()])
}

fn upper4(code: &str) -> Option<[u8; 4]> {
    let b = code.as_bytes();
    (b.len() == 4).then(|| [b[0], b[1], b[2], b[3]].map(|c| c.to_ascii_uppercase()))
}

/// The country with ISO alpha-2 `code` (case-insensitive).
pub fn nazione(code: &str) -> Option<&'static Nazione> {
    let key = upper2(code)?;
    NAZIONI.get(std::str::from_utf8(&key).ok()?)
}

/// The province with this sigla (case-insensitive).
pub fn provincia(sigla: &str) -> Option<&'static Provincia> {
    let key = upper2(sigla)?;
    PROVINCE.get(std::str::from_utf8(&key).ok()?)
}

/// The comune with this Belfiore code (case-insensitive); the current one when a code was reused.
pub fn comune_by_belfiore(code: &str) -> Option<&'static Comune> {
    let key = upper4(code)?;
    COMUNI.get(std::str::from_utf8(&key).ok()?)
}

/// Validity periods of a taxonomy code such as `9/0101105IM/` (exact, upper case).
pub fn tassonomia(code: &str) -> Option<&'static [Validita]> {
    TASSONOMIA.get(code).map(Vec::as_slice)
}

/// Number of distinct taxonomy codes in the shipped table.
pub fn tassonomia_count() -> usize {
    TASSONOMIA.len()
}

/// Forces the parse of every table (e.g. at start-up, so the first validation is not slower).
pub fn warm_up() {
    LazyLock::force(&NAZIONI);
    LazyLock::force(&PROVINCE);
    LazyLock::force(&COMUNI);
    LazyLock::force(&TASSONOMIA);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        assert_eq!(nazione("it").unwrap().nome, "ITALIA");
        assert!(nazione("XX").is_none());
        assert!(nazione("ITA").is_none());
        assert_eq!(provincia("mi").unwrap().nome, "MILANO");
        assert_eq!(comune_by_belfiore("H501").unwrap().nome, "ROMA");
        assert!(comune_by_belfiore("A001").unwrap().attivo);
        assert!(comune_by_belfiore("Q999").is_none());
        assert_eq!(tassonomia_count(), 466);
        let v = tassonomia("9/0101105IM/").unwrap();
        assert_eq!(v[0].inizio, NaiveDate::from_ymd_opt(1900, 1, 2).unwrap());
        assert!(tassonomia("9/0101100IM/").is_some());
        assert!(tassonomia("9/9999999IM/").is_none());
    }
}
