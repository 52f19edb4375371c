//! The CSV giornale di cassa (MyPivot type C, spec §3.1), with a column mapping like the debt
//! import's.
//!
//! Seven fields ([`Campo`]). The first row is the header, as in MyPivot: its names are matched
//! against each field's synonyms ([`Campo::sinonimi`]: MyPivot's default names, PU's
//! `ESERCIZIO;N.PROVV.;DATA ESEC.;ANAGRAFICA CLIENTE;DESCRIZIONE CAUSALE;IMPORTO PROVVISORIO;
//! VALUTA ENTE`, the usual Italian ones); when none matches, MyPivot's default order applies
//! (anno, bolletta, data contabile, ordinante, causale, importo, data valuta). The clerk can
//! change any field's column with `campo=colonna` pairs ([`Mappatura::applica`]), the column by
//! header, by letter (`F`) or by number (`6`).
//!
//! More lenient than MyPivot, which wants `yyyy-mm-dd` and `1234.56` only: `;` or `,` as
//! separator (from the header), UTF-8 or Latin-1 (Windows-1252), CRLF or LF, dates
//! `dd/mm/yyyy` or `yyyy-mm-dd`, amounts `1.234,56` or `1234.56`, an empty anno taken from the
//! date, an empty data valuta equal to the data contabile. Rows with a negative or zero amount
//! are debits, left out and counted.

use super::{
    ErroreTesoreria, Formato, Giornale, Ignorata, Movimento, Problemi, anno, data,
    identita_periodo, importo, impronta, riferimenti, taglia, testo,
};

/// A field of the CSV giornale di cassa.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Campo {
    Anno,
    Bolletta,
    DataContabile,
    Ordinante,
    Causale,
    Importo,
    DataValuta,
}

impl Campo {
    /// MyPivot's default order.
    pub const TUTTI: [Campo; 7] = [
        Campo::Anno,
        Campo::Bolletta,
        Campo::DataContabile,
        Campo::Ordinante,
        Campo::Causale,
        Campo::Importo,
        Campo::DataValuta,
    ];

    /// The field's key in a `campo=colonna` pair.
    pub fn chiave(self) -> &'static str {
        match self {
            Campo::Anno => "anno",
            Campo::Bolletta => "bolletta",
            Campo::DataContabile => "data_contabile",
            Campo::Ordinante => "ordinante",
            Campo::Causale => "causale",
            Campo::Importo => "importo",
            Campo::DataValuta => "data_valuta",
        }
    }

    /// The field as the clerk reads it.
    pub fn etichetta(self) -> &'static str {
        match self {
            Campo::Anno => "anno bolletta",
            Campo::Bolletta => "numero bolletta",
            Campo::DataContabile => "data contabile",
            Campo::Ordinante => "ordinante",
            Campo::Causale => "causale",
            Campo::Importo => "importo",
            Campo::DataValuta => "data valuta",
        }
    }

    /// Header names recognised, normalised ([`normalizza`]).
    pub fn sinonimi(self) -> &'static [&'static str] {
        match self {
            Campo::Anno => &[
                "anno",
                "anno bolletta",
                "de anno bolletta",
                "esercizio",
                "anno esercizio",
            ],
            Campo::Bolletta => &[
                "numero",
                "bolletta",
                "numero bolletta",
                "num bolletta",
                "n bolletta",
                "codice bolletta",
                "cod bolletta",
                "n provv",
                "n provvisorio",
                "numero provvisorio",
                "provvisorio",
                "numero sospeso",
            ],
            Campo::DataContabile => &[
                "data contabile",
                "data esec",
                "data esecuzione",
                "data operazione",
                "data movimento",
                "data bolletta",
                "dt bolletta",
                "data",
            ],
            Campo::Ordinante => &[
                "ordinante",
                "denominazione",
                "denominazione ordinante",
                "anagrafica cliente",
                "anagrafica",
                "cliente",
                "versante",
                "de cognome",
            ],
            Campo::Causale => &[
                "causale",
                "descrizione causale",
                "descrizione",
                "de causale",
                "causale movimento",
            ],
            Campo::Importo => &[
                "importo",
                "importo provvisorio",
                "importo bolletta",
                "num ip bolletta",
                "entrate",
                "accrediti",
                "avere",
            ],
            Campo::DataValuta => &[
                "data valuta",
                "valuta",
                "valuta ente",
                "dt data valuta regione",
                "data valuta ente",
            ],
        }
    }

    fn da_chiave(s: &str) -> Option<Campo> {
        let n = normalizza(s).replace(' ', "_");
        Campo::TUTTI
            .into_iter()
            .find(|c| c.chiave() == n || normalizza(c.etichetta()).replace(' ', "_") == n)
    }
}

/// A header as compared: lower case, anything but letters and digits a single space.
pub fn normalizza(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

/// Which column (0-based) holds each field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mappatura {
    colonne: [Option<usize>; 7],
    /// The header was recognised (else MyPivot's default order).
    pub da_intestazione: bool,
}

fn posto(c: Campo) -> usize {
    Campo::TUTTI.iter().position(|x| *x == c).unwrap_or(0)
}

impl Mappatura {
    /// MyPivot's default order: the seven fields in columns 1–7.
    pub fn predefinita() -> Mappatura {
        Mappatura {
            colonne: [
                Some(0),
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6),
            ],
            da_intestazione: false,
        }
    }

    /// The mapping the header suggests: each field to the first column whose name is one of
    /// its synonyms; MyPivot's default order when fewer than three fields are recognised.
    pub fn proponi(intestazione: &[String]) -> Mappatura {
        let norm: Vec<String> = intestazione.iter().map(|h| normalizza(h)).collect();
        let mut colonne = [None; 7];
        for c in Campo::TUTTI {
            colonne[posto(c)] = c.sinonimi().iter().find_map(|s| {
                norm.iter()
                    .enumerate()
                    .find(|(i, h)| h == s && !colonne.contains(&Some(*i)))
                    .map(|(i, _)| i)
            });
        }
        if colonne.iter().flatten().count() < 3 {
            return Mappatura::predefinita();
        }
        Mappatura {
            colonne,
            da_intestazione: true,
        }
    }

    pub fn colonna(&self, c: Campo) -> Option<usize> {
        self.colonne[posto(c)]
    }

    /// Applies the clerk's `campo=colonna` pairs: the column by header name, letter or
    /// 1-based number; `campo=` (nothing) leaves the field out.
    pub fn applica(&mut self, coppie: &[String], intestazione: &[String]) -> Result<(), String> {
        for coppia in coppie {
            let (k, v) = coppia.split_once('=').ok_or_else(|| {
                format!("«{coppia}» non è un abbinamento campo=colonna (ad esempio importo=F)")
            })?;
            let campo = Campo::da_chiave(k).ok_or_else(|| {
                format!(
                    "campo «{}» sconosciuto: i campi sono {}",
                    k.trim(),
                    Campo::TUTTI.map(Campo::chiave).join(", ")
                )
            })?;
            let v = v.trim();
            let colonna = if v.is_empty() {
                None
            } else if let Some(i) = intestazione
                .iter()
                .position(|h| normalizza(h) == normalizza(v))
            {
                Some(i)
            } else if let Ok(n) = v.parse::<usize>()
                && n >= 1
            {
                Some(n - 1)
            } else if let Some(i) = lettera(v) {
                Some(i)
            } else {
                return Err(format!(
                    "colonna «{v}» per il campo {} non trovata: la indichi con il nome dell'intestazione, la lettera (A, B…) o il numero",
                    campo.chiave()
                ));
            };
            self.colonne[posto(campo)] = colonna;
        }
        Ok(())
    }

    /// The mapping in words: `anno bolletta = «ESERCIZIO» (A), …`.
    pub fn descrizione(&self, intestazione: &[String]) -> String {
        Campo::TUTTI
            .into_iter()
            .map(|c| match self.colonna(c) {
                Some(i) => match intestazione.get(i).filter(|h| !h.trim().is_empty()) {
                    Some(h) => format!("{} = «{}» ({})", c.etichetta(), h.trim(), nome_colonna(i)),
                    None => format!("{} = colonna {}", c.etichetta(), nome_colonna(i)),
                },
                None => format!("{} = assente", c.etichetta()),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The 0-based column of a spreadsheet letter (`A`, `ab`).
fn lettera(s: &str) -> Option<usize> {
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut n = 0usize;
    for b in s.bytes() {
        n = n * 26 + usize::from(b.to_ascii_uppercase() - b'A') + 1;
    }
    Some(n - 1)
}

fn nome_colonna(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// The separator of the header line: `;` unless it has more `,` (or tabs).
fn separatore(riga: &str) -> u8 {
    let conta = |c: char| riga.chars().filter(|&x| x == c).count();
    let (pv, v, t) = (conta(';'), conta(','), conta('\t'));
    if pv >= v && pv >= t {
        b';'
    } else if v >= t {
        b','
    } else {
        b'\t'
    }
}

/// The 1-based line where a record starts. With CRLF the csv crate ends a record at `\r` and
/// starts the next one at the `\n` (its own line count is then one short), so a terminator
/// at the record's start is stepped over.
fn linea(text: &str, byte: u64) -> usize {
    let b = text.as_bytes();
    let mut inizio = usize::try_from(byte).unwrap_or(usize::MAX).min(b.len());
    if b.get(inizio) == Some(&b'\n') {
        inizio += 1;
    }
    1 + b[..inizio].iter().filter(|&&c| c == b'\n').count()
}

/// Reads a CSV giornale di cassa; `coppie` are the clerk's `campo=colonna` changes.
pub fn leggi(bytes: &[u8], coppie: &[String]) -> Result<Giornale, ErroreTesoreria> {
    let (text, codifica) = testo(bytes, encoding_rs::WINDOWS_1252);
    let prima = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if prima.is_empty() {
        return Err(ErroreTesoreria::file("il file è vuoto"));
    }
    let sep = separatore(prima);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut problemi = Problemi::default();
    let mut intestazione: Option<Vec<String>> = None;
    let mut mappa = Mappatura::predefinita();
    let mut movimenti = Vec::new();
    let mut ignorate = Vec::new();
    let mut note = vec![format!(
        "codifica {codifica}, separatore «{}»",
        if sep == b'\t' {
            "tab".to_string()
        } else {
            (sep as char).to_string()
        }
    )];
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let riga = e.position().map_or(0, |p| linea(&text, p.byte()));
                problemi.push(riga, "", "riga CSV non leggibile (virgolette non chiuse?)");
                if problemi.pieno() {
                    break;
                }
                continue;
            }
        };
        let riga = record.position().map_or(0, |p| linea(&text, p.byte()));
        let celle: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if celle.iter().all(String::is_empty) {
            continue;
        }
        let Some(testata) = &intestazione else {
            mappa = Mappatura::proponi(&celle);
            mappa
                .applica(coppie, &celle)
                .map_err(ErroreTesoreria::file)?;
            note.push(if mappa.da_intestazione {
                format!("colonne dall'intestazione: {}", mappa.descrizione(&celle))
            } else {
                format!(
                    "intestazione non riconosciuta, colonne nell'ordine di MyPivot: {}",
                    mappa.descrizione(&celle)
                )
            });
            for c in [Campo::Bolletta, Campo::DataContabile, Campo::Importo] {
                if mappa.colonna(c).is_none() {
                    return Err(ErroreTesoreria::file(format!(
                        "manca la colonna «{}»: la indichi nell'abbinamento delle colonne",
                        c.etichetta()
                    )));
                }
            }
            intestazione = Some(celle);
            continue;
        };
        let cella = |c: Campo| -> (&str, String) {
            let nome = mappa
                .colonna(c)
                .and_then(|i| testata.get(i))
                .filter(|h| !h.is_empty())
                .cloned()
                .unwrap_or_else(|| c.etichetta().to_string());
            (
                mappa
                    .colonna(c)
                    .and_then(|i| celle.get(i))
                    .map_or("", String::as_str),
                nome,
            )
        };
        let prima_di = problemi.0.len();
        let (v, nome) = cella(Campo::DataContabile);
        let data_contabile = data(v).map_err(|e| problemi.push(riga, &nome, e)).ok();
        let (v, nome) = cella(Campo::DataValuta);
        let data_valuta = if v.is_empty() {
            data_contabile
        } else {
            data(v).map_err(|e| problemi.push(riga, &nome, e)).ok()
        };
        let (v, nome) = cella(Campo::Importo);
        let imp = importo(v).map_err(|e| problemi.push(riga, &nome, e)).ok();
        let (v, nome) = cella(Campo::Bolletta);
        let bolletta = v.to_string();
        if bolletta.is_empty() {
            problemi.push(riga, &nome, "manca il numero della bolletta");
        } else if bolletta.chars().count() > 20 {
            problemi.push(riga, &nome, "numero di bolletta più lungo di 20 caratteri");
        }
        let (v, nome) = cella(Campo::Anno);
        let anno_letto = if v.is_empty() {
            None
        } else if v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()) {
            v.parse::<i32>().ok()
        } else {
            problemi.push(riga, &nome, format!("«{v}» non è un anno di quattro cifre"));
            None
        };
        if problemi.pieno() {
            break;
        }
        if problemi.0.len() > prima_di {
            continue;
        }
        let (Some(dc), Some(dv), Some(imp)) = (data_contabile, data_valuta, imp) else {
            continue;
        };
        if imp <= rust_decimal::Decimal::ZERO {
            ignorate.push(Ignorata {
                riga,
                motivo: "importo negativo o nullo: non è un'entrata".into(),
            });
            continue;
        }
        let causale = cella(Campo::Causale).0.to_string();
        let (iuf, iuv, lettura) = riferimenti(&causale);
        movimenti.push(Movimento {
            formato: Formato::Csv,
            riga,
            anno: anno_letto.unwrap_or_else(|| anno(dc)),
            bolletta,
            data_contabile: dc,
            data_valuta: dv,
            importo: imp,
            ordinante: taglia(cella(Campo::Ordinante).0, 140),
            causale,
            iuf,
            iuv,
            lettura,
            sospeso: None,
            storno: false,
        });
    }
    if intestazione.is_none() {
        return Err(ErroreTesoreria::file("il file è vuoto"));
    }
    let movimenti = problemi.esito(movimenti)?;
    Ok(Giornale {
        formato: Formato::Csv,
        identita: identita_periodo(Formato::Csv, &movimenti),
        impronta: impronta(&movimenti),
        movimenti,
        ignorate,
        note,
    })
}
