//! Files MyPay returns after an import (spec §4.9): `<nome>_SCARTI.csv` and `<nome>_IUV.csv`.
//!
//! `_SCARTI.csv` (rejected rows) — mapping of each line:
//! `<original raw line>;<cod_rifiuto>;<de_rifiuto>`; header = original header + `;cod_rifiuto;de_rifiuto`.
//! * the raw line is re-parsed with the import rules ([`crate::import::parse_line`]) into
//!   [`ScartoRecord::row`] (`None` when the row was rejected for its syntax);
//! * `cod_rifiuto` is found as the last `;`-field made only of `|`-separated `PAA_…` codes (the raw
//!   line and the description may both contain `;`); [`ScartoRecord::codes`] splits it on `|`;
//! * quirk: rows are in no particular order (Java `HashMap`); only the raw content (IUD) identifies them.
//!
//! `_IUV.csv` (loaded rows) — header = original header; each line regenerated from parsed values:
//! `IUD;codIuv;tipo;codice;anagrafica;indirizzo;civico;cap;localita;provincia;nazione;email;`
//! `dataScadenza;importo(0.00);commissione(0.00|empty);tipoDovuto;tipoVersamento;causale;dati;`
//! `[1_2+: bilancio;][1_3+: flagGeneraIuv;][1_4 multi: 13 secondary columns with importo 0.00;]azione`.
//! Quirks: empty `bilancio`/`flagGeneraIuv` are written `null`; blank `tipoVersamento` is `ALL`;
//! 1_4 rows have 22 fields, or 35 when `flagMultiBeneficiario` is `true`; nothing is quoted, so a
//! `;` in a value breaks the line (the reader reports it); `tipoIdentificativoUnivoco`,
//! `codiceIdentificativoUnivoco` and `codiceFiscaleEnteSecondario` are upper-cased by MyPay;
//! the due date is re-formatted by a lenient `SimpleDateFormat` (`2024-02-30` ⇒ `2024-03-01`).

use std::io::{self, BufRead, Read, Seek, Write};
use std::path::Path;
use std::str::FromStr;

use chrono::{Days, NaiveDate};
use mpd_domain::{Column, RawRow, Version};
use rust_decimal::{Decimal, RoundingStrategy};
use thiserror::Error;

use crate::flow_zip::{FlowZipReader, ZipLimits, ZipReadError};
use crate::import::{guess_version, parse_line};

/// Suffix MyPay appends to the header of the scarti file.
pub const SCARTI_HEADER_SUFFIX: &str = ";cod_rifiuto;de_rifiuto";

/// Errors of the result-file readers and writers.
#[derive(Debug, Error)]
pub enum ResultsError {
    #[error("il file è vuoto: manca la riga di intestazione")]
    Empty,
    #[error("impossibile riconoscere la versione del tracciato dall'intestazione")]
    UnknownVersion,
    #[error(
        "linea {line}: non è una riga di scarto valida (mancano codice e descrizione del rifiuto)"
    )]
    NotAScarto { line: usize },
    #[error("linea {line}: contiene caratteri non validi in UTF-8")]
    NotUtf8 { line: usize },
    #[error("linea {line}: {found} campi, attesi {expected}")]
    IuvFieldCount {
        line: usize,
        found: usize,
        expected: String,
    },
    #[error("riga {row}: il campo {column} ha un importo non valido «{value}»")]
    BadAmount {
        row: usize,
        column: &'static str,
        value: String,
    },
    #[error("riga {row}: un valore contiene un a capo e non può essere scritto")]
    LineBreak { row: usize },
    #[error(transparent)]
    Zip(#[from] ZipReadError),
    #[error(
        "errore di lettura o scrittura alla linea {line}: {}",
        mpd_domain::testo::causa_io(source)
    )]
    Io { line: usize, source: io::Error },
}

fn read_line<R: BufRead>(
    src: &mut R,
    buf: &mut Vec<u8>,
    line: usize,
) -> Result<Option<String>, ResultsError> {
    buf.clear();
    let n = src
        .read_until(b'\n', buf)
        .map_err(|source| match ZipReadError::from_io(&source) {
            Some(z) => ResultsError::Zip(z),
            None => ResultsError::Io { line, source },
        })?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    String::from_utf8(std::mem::take(buf))
        .map(Some)
        .map_err(|_| ResultsError::NotUtf8 { line })
}

// ---------------------------------------------------------------------------------------------
// _SCARTI

/// One rejected row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScartoRecord {
    /// Physical line in the scarti file (1 = header).
    pub line: usize,
    /// The original line of the import file.
    pub raw: String,
    /// `raw` re-parsed with MyPay's import rules; `None` if it does not parse.
    pub row: Option<RawRow>,
    pub cod_rifiuto: String,
    pub de_rifiuto: String,
    /// `cod_rifiuto` split on `|`, trimmed, empty parts dropped.
    pub codes: Vec<String>,
}

fn is_codes_field(s: &str) -> bool {
    let mut any = false;
    for part in s.split('|') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if !part.starts_with("PAA_") || part.contains(char::is_whitespace) {
            return false;
        }
        any = true;
    }
    any
}

/// Splits `raw;cod;de` (see the module doc). `None` if no codes field is found.
pub fn split_scarto_line(line: &str) -> Option<(&str, &str, &str)> {
    let seps: Vec<usize> = line.match_indices(';').map(|(i, _)| i).collect();
    for k in (1..seps.len()).rev() {
        let (p0, p1) = (seps[k - 1], seps[k]);
        let cod = &line[p0 + 1..p1];
        if is_codes_field(cod) {
            return Some((&line[..p0], cod, &line[p1 + 1..]));
        }
    }
    None
}

/// Streaming reader of a `_SCARTI.csv`.
pub struct ScartiReader<R: BufRead> {
    src: R,
    version: Version,
    original_header: String,
    line: usize,
    buf: Vec<u8>,
}

impl<R: BufRead> ScartiReader<R> {
    /// Reads the header; `version` is guessed from it when `None`.
    pub fn new(mut src: R, version: Option<Version>) -> Result<Self, ResultsError> {
        let mut buf = Vec::new();
        let header = read_line(&mut src, &mut buf, 1)?.ok_or(ResultsError::Empty)?;
        let original_header = header
            .strip_suffix(SCARTI_HEADER_SUFFIX)
            .unwrap_or(&header)
            .to_string();
        let version = match version {
            Some(v) => v,
            None => guess_version(&original_header).ok_or(ResultsError::UnknownVersion)?,
        };
        Ok(ScartiReader {
            src,
            version,
            original_header,
            line: 1,
            buf,
        })
    }

    /// The header of the original import file.
    pub fn original_header(&self) -> &str {
        &self.original_header
    }

    pub fn version(&self) -> Version {
        self.version
    }
}

impl<R: BufRead> Iterator for ScartiReader<R> {
    type Item = Result<ScartoRecord, ResultsError>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.line += 1;
            let line = match read_line(&mut self.src, &mut self.buf, self.line) {
                Ok(Some(l)) => l,
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            };
            if line.trim().is_empty() {
                continue;
            }
            let Some((raw, cod, de)) = split_scarto_line(&line) else {
                return Some(Err(ResultsError::NotAScarto { line: self.line }));
            };
            let codes = cod
                .split('|')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect();
            return Some(Ok(ScartoRecord {
                line: self.line,
                raw: raw.to_string(),
                row: parse_line(raw, self.version).ok(),
                cod_rifiuto: cod.to_string(),
                de_rifiuto: de.to_string(),
                codes,
            }));
        }
    }
}

/// Writer of a `_SCARTI.csv`, as MyPay writes it (for the emulator).
pub struct ScartiWriter<W: Write> {
    out: W,
    rows: usize,
}

impl<W: Write> ScartiWriter<W> {
    /// Writes `original_header` + `;cod_rifiuto;de_rifiuto`.
    pub fn new(mut out: W, original_header: &str) -> Result<Self, ResultsError> {
        writeln!(out, "{original_header}{SCARTI_HEADER_SUFFIX}")
            .map_err(|source| ResultsError::Io { line: 1, source })?;
        Ok(ScartiWriter { out, rows: 0 })
    }

    /// Writes `raw;cod;de`.
    pub fn write(
        &mut self,
        raw: &str,
        cod_rifiuto: &str,
        de_rifiuto: &str,
    ) -> Result<(), ResultsError> {
        self.rows += 1;
        if [raw, cod_rifiuto, de_rifiuto]
            .iter()
            .any(|s| s.contains(['\n', '\r']))
        {
            return Err(ResultsError::LineBreak { row: self.rows });
        }
        writeln!(self.out, "{raw};{cod_rifiuto};{de_rifiuto}").map_err(|source| ResultsError::Io {
            line: self.rows + 1,
            source,
        })
    }

    pub fn finish(mut self) -> Result<W, ResultsError> {
        self.out.flush().map_err(|source| ResultsError::Io {
            line: self.rows + 1,
            source,
        })?;
        Ok(self.out)
    }
}

// ---------------------------------------------------------------------------------------------
// _IUV

const NULL: &str = "null";

fn is_true(s: &str) -> bool {
    s.trim().eq_ignore_ascii_case("true")
}

/// `DecimalFormat("0.00")` (HALF_EVEN) of a MyPay amount text.
fn format_amount(value: &str, row: usize, column: Column) -> Result<String, ResultsError> {
    let bad = || ResultsError::BadAmount {
        row,
        column: column.name(),
        value: value.to_string(),
    };
    let d = Decimal::from_str(value.trim())
        .or_else(|_| Decimal::from_scientific(value.trim()))
        .map_err(|_| bad())?;
    Ok(format!(
        "{:.2}",
        d.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
    ))
}

/// Lenient `SimpleDateFormat("yyyy-MM-dd")` re-format; other text is kept as it is.
fn lenient_date(value: &str) -> String {
    let parts: Vec<&str> = value.split('-').collect();
    if parts.len() == 3
        && let (Ok(y), Ok(m), Ok(d)) = (
            parts[0].parse::<i32>(),
            parts[1].parse::<i64>(),
            parts[2].parse::<i64>(),
        )
    {
        let months = i64::from(y) * 12 + (m - 1);
        let (yy, mm) = (months.div_euclid(12), months.rem_euclid(12) + 1);
        if let Some(first) = i32::try_from(yy)
            .ok()
            .and_then(|yy| NaiveDate::from_ymd_opt(yy, mm as u32, 1))
        {
            let date = if d >= 1 {
                first.checked_add_days(Days::new((d - 1) as u64))
            } else {
                first.checked_sub_days(Days::new((1 - d) as u64))
            };
            if let Some(date) = date {
                return date.format("%Y-%m-%d").to_string();
            }
        }
    }
    value.to_string()
}

/// The fields MyPay writes for one loaded row, in order.
pub fn iuv_fields(
    version: Version,
    row: &RawRow,
    row_number: usize,
) -> Result<Vec<String>, ResultsError> {
    use Column::*;
    let g = |c: Column| row.get(c).to_string();
    let mut f = vec![
        g(Iud),
        g(CodIuv),
        row.get(TipoIdentificativoUnivoco).to_uppercase(),
        row.get(CodiceIdentificativoUnivoco).to_uppercase(),
        g(AnagraficaPagatore),
        g(IndirizzoPagatore),
        g(CivicoPagatore),
        g(CapPagatore),
        g(LocalitaPagatore),
        g(ProvinciaPagatore),
        g(NazionePagatore),
        g(EmailPagatore),
        if row.get(DataScadenzaPagamento).is_empty() {
            String::new()
        } else {
            lenient_date(row.get(DataScadenzaPagamento))
        },
        format_amount(row.get(ImportoDovuto), row_number, ImportoDovuto)?,
        if row.get(CommissioneCaricoPa).trim().is_empty() {
            String::new()
        } else {
            format_amount(
                row.get(CommissioneCaricoPa),
                row_number,
                CommissioneCaricoPa,
            )?
        },
        g(TipoDovuto),
        if row.get(TipoVersamento).trim().is_empty() {
            "ALL".to_string()
        } else {
            g(TipoVersamento)
        },
        g(CausaleVersamento),
        g(DatiSpecificiRiscossione),
    ];
    let or_null = |c: Column| {
        if row.get(c).is_empty() {
            NULL.to_string()
        } else {
            g(c)
        }
    };
    if version >= Version::V1_2 {
        f.push(or_null(Bilancio));
    }
    if version >= Version::V1_3 {
        f.push(or_null(FlagGeneraIuv));
    }
    if version == Version::V1_4 && is_true(row.get(FlagMultiBeneficiario)) {
        f.push(g(FlagMultiBeneficiario));
        f.push(row.get(CodiceFiscaleEnteSecondario).to_uppercase());
        for c in [
            DenominazioneEnteSecondario,
            IbanAccreditoEnteSecondario,
            IndirizzoEnteSecondario,
            CivicoEnteSecondario,
            CapEnteSecondario,
            LocalitaEnteSecondario,
            ProvinciaEnteSecondario,
            NazioneEnteSecondario,
            DatiSpecificiRiscossioneEnteSecondario,
            CausaleVersamentoEnteSecondario,
        ] {
            f.push(g(c));
        }
        f.push(format_amount(
            row.get(ImportoVersamentoEnteSecondario),
            row_number,
            ImportoVersamentoEnteSecondario,
        )?);
    }
    f.push(g(Azione));
    Ok(f)
}

/// Writer of a `_IUV.csv`, as MyPay writes it (for the emulator).
pub struct IuvWriter<W: Write> {
    out: W,
    version: Version,
    rows: usize,
}

impl<W: Write> IuvWriter<W> {
    /// Writes the original header line.
    pub fn new(mut out: W, version: Version, original_header: &str) -> Result<Self, ResultsError> {
        writeln!(out, "{original_header}")
            .map_err(|source| ResultsError::Io { line: 1, source })?;
        Ok(IuvWriter {
            out,
            version,
            rows: 0,
        })
    }

    /// Writes one loaded row, regenerated as MyPay does.
    pub fn write_row(&mut self, row: &RawRow) -> Result<(), ResultsError> {
        self.rows += 1;
        let fields = iuv_fields(self.version, row, self.rows)?;
        if fields.iter().any(|f| f.contains(['\n', '\r'])) {
            return Err(ResultsError::LineBreak { row: self.rows });
        }
        writeln!(self.out, "{}", fields.join(";")).map_err(|source| ResultsError::Io {
            line: self.rows + 1,
            source,
        })
    }

    pub fn finish(mut self) -> Result<W, ResultsError> {
        self.out.flush().map_err(|source| ResultsError::Io {
            line: self.rows + 1,
            source,
        })?;
        Ok(self.out)
    }
}

/// One line of a `_IUV.csv`.
#[derive(Debug)]
pub struct IuvRecord {
    pub line: usize,
    pub raw: String,
    /// Values with `null` mapped back to empty (only for bilancio/flagGeneraIuv).
    pub fields: Result<RawRow, ResultsError>,
}

/// Streaming reader of a `_IUV.csv`.
pub struct IuvReader<R: BufRead> {
    src: R,
    version: Version,
    header: String,
    line: usize,
    buf: Vec<u8>,
}

impl<R: BufRead> IuvReader<R> {
    pub fn new(mut src: R, version: Option<Version>) -> Result<Self, ResultsError> {
        let mut buf = Vec::new();
        let header = read_line(&mut src, &mut buf, 1)?.ok_or(ResultsError::Empty)?;
        let version = match version {
            Some(v) => v,
            None => guess_version(&header).ok_or(ResultsError::UnknownVersion)?,
        };
        Ok(IuvReader {
            src,
            version,
            header,
            line: 1,
            buf,
        })
    }

    pub fn header(&self) -> &str {
        &self.header
    }
}

fn parse_iuv_line(line: &str, version: Version, line_no: usize) -> Result<RawRow, ResultsError> {
    let values: Vec<&str> = line.split(';').collect();
    let layout: &[Column] = match (version, values.len()) {
        (Version::V1_4, 22) => Version::V1_3.columns(),
        (v, n) if n == v.column_count() => v.columns(),
        (v, found) => {
            let expected = if v == Version::V1_4 {
                "22 o 35".to_string()
            } else {
                v.column_count().to_string()
            };
            return Err(ResultsError::IuvFieldCount {
                line: line_no,
                found,
                expected,
            });
        }
    };
    let mut row = RawRow::default();
    for (col, value) in layout.iter().zip(values) {
        let nullable = matches!(col, Column::Bilancio | Column::FlagGeneraIuv);
        row.set(*col, if nullable && value == NULL { "" } else { value });
    }
    Ok(row)
}

impl<R: BufRead> Iterator for IuvReader<R> {
    type Item = Result<IuvRecord, ResultsError>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.line += 1;
            let line = match read_line(&mut self.src, &mut self.buf, self.line) {
                Ok(Some(l)) => l,
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            };
            if line.trim().is_empty() {
                continue;
            }
            let fields = parse_iuv_line(&line, self.version, self.line);
            return Some(Ok(IuvRecord {
                line: self.line,
                raw: line,
                fields,
            }));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Zipped

/// Reads every record of `<nome>_SCARTI.zip` (files of rejected rows are small).
pub fn read_scarti_zip(
    path: &Path,
    version: Option<Version>,
    limits: &ZipLimits,
) -> Result<Vec<ScartoRecord>, ResultsError> {
    let mut zip = FlowZipReader::open_path(path, limits)?;
    let reader = ScartiReader::new(io::BufReader::new(zip.csv()?), version)?;
    reader.collect()
}

/// Reads every loaded row of `<nome>_IUV.zip`.
pub fn read_iuv_zip(
    path: &Path,
    version: Option<Version>,
    limits: &ZipLimits,
) -> Result<Vec<IuvRecord>, ResultsError> {
    let mut zip = FlowZipReader::open_path(path, limits)?;
    let reader = IuvReader::new(io::BufReader::new(zip.csv()?), version)?;
    reader.collect()
}

/// Opens any single-entry result zip from a reader (e.g. bytes just downloaded).
pub fn open_result_zip<R: Read + Seek>(
    reader: R,
    zip_file_name: &str,
    limits: &ZipLimits,
) -> Result<FlowZipReader<R>, ResultsError> {
    Ok(FlowZipReader::open(reader, zip_file_name, limits)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow_zip::write_single_entry_zip;
    use crate::import::{parse_line, write_import};

    fn row(v: Version, iud: &str) -> RawRow {
        let mut r = RawRow::default();
        for c in v.columns() {
            r.set(*c, format!("x{}", *c as usize));
        }
        r.set(Column::Iud, iud);
        r.set(Column::ImportoDovuto, "12.5");
        r.set(Column::CommissioneCaricoPa, "");
        r.set(Column::DataScadenzaPagamento, "2024-02-30");
        r.set(Column::TipoVersamento, "");
        r.set(Column::TipoIdentificativoUnivoco, "f");
        r.set(Column::Azione, "I");
        if v >= Version::V1_2 {
            r.set(Column::Bilancio, "");
        }
        if v >= Version::V1_3 {
            r.set(Column::FlagGeneraIuv, "");
        }
        r
    }

    #[test]
    fn scarti_round_trip() {
        let v = Version::V1_2;
        let rows = [row(v, "A"), row(v, "B;C")];
        let csv = String::from_utf8(write_import(Vec::new(), v, &rows).unwrap()).unwrap();
        let mut lines = csv.lines();
        let header = lines.next().unwrap();
        let raws: Vec<&str> = lines.collect();
        let mut w = ScartiWriter::new(Vec::new(), header).unwrap();
        w.write(
            raws[1],
            "|PAA_IMPORT_SINTASSI_CSV_IUD|PAA_IMPORT_ERROR",
            "|Errore; con punto e virgola|altro",
        )
        .unwrap();
        w.write(
            raws[0],
            "PAA_IMPORT_SINTASSI_CSV_COD_FISC",
            "|Errore sintassi CSV Codice fiscale non valido",
        )
        .unwrap();
        w.write(
            "a;b",
            "PAA_IMPORT_SINTASSI_CSV",
            "ERRORE GENERICO NELLA LETTURA DELLA RIGA DEL CSV",
        )
        .unwrap();
        let bytes = w.finish().unwrap();
        assert!(
            String::from_utf8_lossy(&bytes)
                .starts_with(&format!("{header};cod_rifiuto;de_rifiuto\n"))
        );
        let r = ScartiReader::new(&bytes[..], None).unwrap();
        assert_eq!(r.original_header(), header);
        assert_eq!(r.version(), Version::V1_2);
        let recs: Vec<ScartoRecord> = r.map(Result::unwrap).collect();
        assert_eq!(recs[0].raw, raws[1]);
        assert_eq!(
            recs[0].codes,
            vec!["PAA_IMPORT_SINTASSI_CSV_IUD", "PAA_IMPORT_ERROR"]
        );
        assert_eq!(recs[0].de_rifiuto, "|Errore; con punto e virgola|altro");
        assert_eq!(recs[0].row.as_ref().unwrap(), &rows[1]);
        assert_eq!(recs[1].row.as_ref().unwrap(), &rows[0]);
        assert!(recs[2].row.is_none());
        // Write again from what was read: identical bytes.
        let mut w2 = ScartiWriter::new(Vec::new(), header).unwrap();
        for r in &recs {
            w2.write(&r.raw, &r.cod_rifiuto, &r.de_rifiuto).unwrap();
        }
        assert_eq!(w2.finish().unwrap(), bytes);
        assert!(matches!(
            ScartiReader::new(&b"h;cod_rifiuto;de_rifiuto\nno codes here\n"[..], Some(v))
                .unwrap()
                .next(),
            Some(Err(ResultsError::NotAScarto { line: 2 }))
        ));
    }

    #[test]
    fn iuv_regeneration_quirks() {
        let v = Version::V1_4;
        let plain = row(v, "A");
        let mut multi = row(v, "B");
        multi.set(Column::FlagMultiBeneficiario, "true");
        multi.set(Column::ImportoVersamentoEnteSecondario, "1");
        multi.set(Column::CodiceFiscaleEnteSecondario, "abc");
        let mut w = IuvWriter::new(Vec::new(), v, &v.header()).unwrap();
        w.write_row(&plain).unwrap();
        w.write_row(&multi).unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let f: Vec<&str> = lines[1].split(';').collect();
        assert_eq!(f.len(), 22);
        assert_eq!(
            (f[2], f[12], f[13], f[14], f[16], f[19], f[20]),
            ("F", "2024-03-01", "12.50", "", "ALL", "null", "null")
        );
        let g: Vec<&str> = lines[2].split(';').collect();
        assert_eq!(g.len(), 35);
        assert_eq!((g[21], g[22], g[33]), ("true", "ABC", "1.00"));
        let recs: Vec<IuvRecord> = IuvReader::new(text.as_bytes(), Some(v))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let a = recs[0].fields.as_ref().unwrap();
        assert_eq!(a.get(Column::Bilancio), "");
        assert_eq!(a.get(Column::Azione), "I");
        assert_eq!(a.get(Column::ImportoDovuto), "12.50");
        let b = recs[1].fields.as_ref().unwrap();
        assert_eq!(b.get(Column::ImportoVersamentoEnteSecondario), "1.00");
        // Writing what was read gives the same bytes (the regeneration is idempotent).
        let mut w2 = IuvWriter::new(Vec::new(), v, &v.header()).unwrap();
        for r in &recs {
            w2.write_row(r.fields.as_ref().unwrap()).unwrap();
        }
        assert_eq!(String::from_utf8(w2.finish().unwrap()).unwrap(), text);
        // A ';' in a value breaks the line: reported, not a crash.
        let broken = format!("{}\n{};extra\n", v.header(), lines[1]);
        let r: Vec<IuvRecord> = IuvReader::new(broken.as_bytes(), Some(v))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(matches!(
            r[0].fields,
            Err(ResultsError::IuvFieldCount {
                line: 2,
                found: 23,
                ..
            })
        ));
        let mut bad = row(Version::V1_0, "Z");
        bad.set(Column::ImportoDovuto, "dodici");
        let mut w3 = IuvWriter::new(Vec::new(), Version::V1_0, "h").unwrap();
        assert!(matches!(
            w3.write_row(&bad),
            Err(ResultsError::BadAmount { row: 1, .. })
        ));
    }

    #[test]
    fn zipped_results() {
        let dir = tempfile::tempdir().unwrap();
        let v = Version::V1_0;
        let r = row(v, "A");
        let csv = write_import(Vec::new(), v, [&r]).unwrap();
        let text = String::from_utf8(csv).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        let mut w = ScartiWriter::new(Vec::new(), header).unwrap();
        w.write(lines.next().unwrap(), "PAA_IMPORT_ERROR", "|x")
            .unwrap();
        let path = dir.path().join("A-B-1_0_SCARTI.zip");
        write_single_entry_zip(
            std::fs::File::create(&path).unwrap(),
            "A-B-1_0_SCARTI.csv",
            &w.finish().unwrap(),
            6,
        )
        .unwrap();
        let recs = read_scarti_zip(&path, None, &ZipLimits::default()).unwrap();
        assert_eq!(recs.len(), 1);
        assert_eq!(
            recs[0].row.as_ref(),
            parse_line(&recs[0].raw, Version::V1_1).ok().as_ref()
        );
        let mut iw = IuvWriter::new(Vec::new(), v, header).unwrap();
        iw.write_row(&r).unwrap();
        let ipath = dir.path().join("A-B-1_0_IUV.zip");
        write_single_entry_zip(
            std::fs::File::create(&ipath).unwrap(),
            "A-B-1_0_IUV.csv",
            &iw.finish().unwrap(),
            6,
        )
        .unwrap();
        let irecs = read_iuv_zip(&ipath, Some(v), &ZipLimits::default()).unwrap();
        assert_eq!(irecs[0].fields.as_ref().unwrap().get(Column::Iud), "A");
    }
}
