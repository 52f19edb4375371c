//! Export of paid positions ("flusso RT", spec §5), versions 1.0–1.3, with or without `ricevuta`.
//!
//! Column mapping (header names exactly as MyPay writes them): [`BASE_COLUMNS`] (64), then with
//! `ricevuta` [`RICEVUTA_COLUMNS`] (6), then the version columns: 1.2 `bilancio`; 1.3 `bilancio`,
//! `cod_fiscale_pa1`, `de_nome_pa1`, `cod_tassonomico_dovuto_pa1`. Totals 64/64/65/68 (+6).
//!
//! Syntax: opencsv `CSVWriter`: `;`, every field double-quoted, embedded `"` doubled, `\n`, header
//! first; zipped as `<name>.zip` with the single entry `<name>.csv`.
//!
//! Quirks: 1.0 and 1.1 have identical columns (only the file name differs), so a header alone
//! detects "1.0/1.1" as [`ExportVersion::V1_0`]; refine it with [`ExportName`]. Amounts are `0.00`
//! with a dot; `dataOraMessaggioRicevuta` is `yyyy-MM-ddTHH:mm:ss` without zone.
//!
//! Reading is streaming with one reused `csv::ByteRecord` ([`ExportReader::read_row`]); typed
//! accessors of [`ExportRow`] parse on demand and report bad values with the row number.

use std::collections::HashMap;
use std::io::{self, Read, Seek, Write};
use std::str::FromStr;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use csv::{ByteRecord, QuoteStyle, Terminator};
use rust_decimal::Decimal;
use thiserror::Error;

use crate::flow_zip::{FlowZipError, write_single_entry_zip};

/// The 64 base columns.
pub const BASE_COLUMNS: [&str; 64] = [
    "iuf",
    "numRigaFlusso",
    "codIud",
    "codIuv",
    "versioneOggetto",
    "identificativoDominio",
    "identificativoStazioneRichiedente",
    "identificativoMessaggioRicevuta",
    "dataOraMessaggioRicevuta",
    "riferimentoMessaggioRichiesta",
    "riferimentoDataRichiesta",
    "tipoIdentificativoUnivoco",
    "codiceIdentificativoUnivoco",
    "denominazioneAttestante",
    "codiceUnitOperAttestante",
    "denomUnitOperAttestante",
    "indirizzoAttestante",
    "civicoAttestante",
    "capAttestante",
    "localitaAttestante",
    "provinciaAttestante",
    "nazioneAttestante",
    "enteBenefTipoIdentificativoUnivoco",
    "enteBenefCodiceIdentificativoUnivoco",
    "denominazioneBeneficiario",
    "codiceUnitOperBeneficiario",
    "denomUnitOperBeneficiario",
    "indirizzoBeneficiario",
    "civicoBeneficiario",
    "capBeneficiario",
    "localitaBeneficiario",
    "provinciaBeneficiario",
    "nazioneBeneficiario",
    "soggVersTipoIdentificativoUnivoco",
    "soggVersCodiceIdentificativoUnivoco",
    "anagraficaVersante",
    "indirizzoVersante",
    "civicoVersante",
    "capVersante",
    "localitaVersante",
    "provinciaVersante",
    "nazioneVersante",
    "emailVersante",
    "soggPagTipoIdentificativoUnivoco",
    "soggPagCodiceIdentificativoUnivoco",
    "anagraficaPagatore",
    "indirizzoPagatore",
    "civicoPagatore",
    "capPagatore",
    "localitaPagatore",
    "provinciaPagatore",
    "nazionePagatore",
    "emailPagatore",
    "codiceEsitoPagamento",
    "importoTotalePagato",
    "identificativoUnivocoVersamento",
    "codiceContestoPagamento",
    "singoloImportoPagato",
    "esitoSingoloPagamento",
    "dataEsitoSingoloPagamento",
    "identificativoUnivocoRiscoss",
    "causaleVersamento",
    "datiSpecificiRiscossione",
    "tipoDovuto",
];

/// The 6 columns added by `ricevuta=true`.
pub const RICEVUTA_COLUMNS: [&str; 6] = [
    "tipoFirma",
    "rt",
    "indiceDatiSingoloPagamento",
    "numRtDatiPagDatiSingPagCommissioniApplicatePsp",
    "codRtDatiPagDatiSingPagAllegatoRicevutaTipo",
    "blbRtDatiPagDatiSingPagAllegatoRicevutaTest",
];

/// Version columns of 1.2.
pub const V1_2_COLUMNS: [&str; 1] = ["bilancio"];
/// Version columns of 1.3.
pub const V1_3_COLUMNS: [&str; 4] = [
    "bilancio",
    "cod_fiscale_pa1",
    "de_nome_pa1",
    "cod_tassonomico_dovuto_pa1",
];

/// Export tracciato version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExportVersion {
    V1_0,
    V1_1,
    V1_2,
    V1_3,
}

impl ExportVersion {
    pub const ALL: [ExportVersion; 4] = [
        ExportVersion::V1_0,
        ExportVersion::V1_1,
        ExportVersion::V1_2,
        ExportVersion::V1_3,
    ];

    /// `1_0` … `1_3` (as in file names).
    pub fn as_str(self) -> &'static str {
        match self {
            ExportVersion::V1_0 => "1_0",
            ExportVersion::V1_1 => "1_1",
            ExportVersion::V1_2 => "1_2",
            ExportVersion::V1_3 => "1_3",
        }
    }

    /// Parses `1.0`/`1_0` … `1.3`/`1_3`.
    pub fn parse(s: &str) -> Option<ExportVersion> {
        ExportVersion::ALL
            .into_iter()
            .find(|v| v.as_str() == s.trim().replace('.', "_"))
    }

    fn extra(self) -> &'static [&'static str] {
        match self {
            ExportVersion::V1_0 | ExportVersion::V1_1 => &[],
            ExportVersion::V1_2 => &V1_2_COLUMNS,
            ExportVersion::V1_3 => &V1_3_COLUMNS,
        }
    }
}

/// Version plus `ricevuta`: fixes the column list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExportLayout {
    pub version: ExportVersion,
    pub ricevuta: bool,
}

impl ExportLayout {
    pub fn new(version: ExportVersion, ricevuta: bool) -> ExportLayout {
        ExportLayout { version, ricevuta }
    }

    /// Every column, in file order.
    pub fn columns(self) -> Vec<&'static str> {
        let mut c: Vec<&'static str> = BASE_COLUMNS.to_vec();
        if self.ricevuta {
            c.extend_from_slice(&RICEVUTA_COLUMNS);
        }
        c.extend_from_slice(self.version.extra());
        c
    }

    pub fn column_count(self) -> usize {
        64 + if self.ricevuta { 6 } else { 0 } + self.version.extra().len()
    }

    /// Detects the layout from header names (1.0 and 1.1 both give `V1_0`).
    pub fn detect<S: AsRef<[u8]>>(header: &[S]) -> Option<ExportLayout> {
        let names: Vec<&[u8]> = header.iter().map(|h| h.as_ref()).collect();
        let strip_bom =
            |n: &[u8]| -> Vec<u8> { n.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(n).to_vec() };
        let names: Vec<Vec<u8>> = names.into_iter().map(strip_bom).collect();
        [
            ExportVersion::V1_0,
            ExportVersion::V1_2,
            ExportVersion::V1_3,
        ]
        .into_iter()
        .flat_map(|v| [ExportLayout::new(v, false), ExportLayout::new(v, true)])
        .find(|l| {
            let cols = l.columns();
            cols.len() == names.len()
                && cols
                    .iter()
                    .zip(&names)
                    .all(|(a, b)| a.as_bytes() == b.as_slice())
        })
    }
}

// ---------------------------------------------------------------------------------------------
// File names

/// `<exportId>_ESTRAZIONE_DOVUTI_<yyyy-MM-dd_HH_mm_ss>` (1.0) or
/// `<codIpa>-<exportId>_ESTRAZIONE_DOVUTI_<yyyyMMddHHmmss>-<1_1|1_2|1_3>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportName {
    /// `None` for 1.0.
    pub codice_ipa: Option<String>,
    pub export_id: u64,
    pub generated_at: NaiveDateTime,
    pub version: ExportVersion,
}

const ESTRAZIONE: &str = "_ESTRAZIONE_DOVUTI_";

/// An export name that does not follow MyPay's pattern.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error(
    "il nome «{name}» non è quello di un export di MyPay (<id>_ESTRAZIONE_DOVUTI_<data> oppure <codice IPA>-<id>_ESTRAZIONE_DOVUTI_<data>-<versione>)"
)]
pub struct ExportNameError {
    pub name: String,
}

impl ExportName {
    /// The name without extension.
    pub fn stem(&self) -> String {
        match (&self.codice_ipa, self.version) {
            (None, _) | (_, ExportVersion::V1_0) => {
                format!(
                    "{}{ESTRAZIONE}{}",
                    self.export_id,
                    self.generated_at.format("%Y-%m-%d_%H_%M_%S")
                )
            }
            (Some(ipa), v) => format!(
                "{ipa}-{}{ESTRAZIONE}{}-{}",
                self.export_id,
                self.generated_at.format("%Y%m%d%H%M%S"),
                v.as_str()
            ),
        }
    }

    pub fn zip_name(&self) -> String {
        format!("{}.zip", self.stem())
    }

    pub fn csv_name(&self) -> String {
        format!("{}.csv", self.stem())
    }

    /// Parses a stem, `.zip` or `.csv` name.
    pub fn parse(name: &str) -> Result<ExportName, ExportNameError> {
        let err = || ExportNameError {
            name: name.to_string(),
        };
        let stem = name
            .strip_suffix(".zip")
            .or_else(|| name.strip_suffix(".csv"))
            .unwrap_or(name);
        let (left, right) = stem.split_once(ESTRAZIONE).ok_or_else(err)?;
        if let Ok(id) = left.parse::<u64>() {
            let at =
                NaiveDateTime::parse_from_str(right, "%Y-%m-%d_%H_%M_%S").map_err(|_| err())?;
            if right.len() != 19 {
                return Err(err());
            }
            return Ok(ExportName {
                codice_ipa: None,
                export_id: id,
                generated_at: at,
                version: ExportVersion::V1_0,
            });
        }
        let (ipa, id) = left.rsplit_once('-').ok_or_else(err)?;
        let export_id = id.parse::<u64>().map_err(|_| err())?;
        let (ts, ver) = right.split_once('-').ok_or_else(err)?;
        let version = match ver {
            "1_1" => ExportVersion::V1_1,
            "1_2" => ExportVersion::V1_2,
            "1_3" => ExportVersion::V1_3,
            _ => return Err(err()),
        };
        if ts.len() != 14 || !ts.bytes().all(|b| b.is_ascii_digit()) || ipa.is_empty() {
            return Err(err());
        }
        let generated_at = NaiveDateTime::parse_from_str(ts, "%Y%m%d%H%M%S").map_err(|_| err())?;
        Ok(ExportName {
            codice_ipa: Some(ipa.to_string()),
            export_id,
            generated_at,
            version,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Errors

/// Errors of the export reader/writer.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error("il file di export è vuoto")]
    Empty,
    #[error(
        "l'intestazione del file non corrisponde a nessun tracciato di export (1.0–1.3): {columns} colonne"
    )]
    UnknownHeader { columns: usize },
    #[error("riga {row}: {found} colonne invece di {expected}")]
    FieldCount {
        row: usize,
        found: usize,
        expected: usize,
    },
    #[error("riga {row}: contiene caratteri non validi in UTF-8")]
    NotUtf8 { row: usize },
    #[error("riga {row}: il file CSV non è leggibile (virgolette o separatori non chiusi)")]
    Csv { row: usize, detail: String },
    #[error("riga {row}: {found} valori invece di {expected}")]
    WrongWidth {
        row: usize,
        found: usize,
        expected: usize,
    },
    #[error(transparent)]
    Zip(#[from] FlowZipError),
    #[error("errore di scrittura: {}", mpd_domain::testo::causa_io(.0))]
    Io(#[from] io::Error),
}

/// A value of one row that does not parse.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("riga {row}: il valore «{value}» della colonna {column} non è valido ({expected})")]
pub struct ExportFieldError {
    pub row: usize,
    pub column: &'static str,
    pub value: String,
    pub expected: &'static str,
}

// ---------------------------------------------------------------------------------------------
// Rows

struct HeaderIndex {
    layout: ExportLayout,
    by_name: HashMap<&'static str, usize, fnv::FnvBuildHasher>,
}

/// One data row. Reused by [`ExportReader::read_row`]; clone it to keep it.
#[derive(Clone)]
pub struct ExportRow {
    row: usize,
    record: ByteRecord,
    index: Arc<HeaderIndex>,
}

impl std::fmt::Debug for ExportRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportRow")
            .field("row", &self.row)
            .field("record", &self.record)
            .finish()
    }
}

macro_rules! text_accessors {
    ($($fn_name:ident => $col:literal),* $(,)?) => {
        $(
            #[doc = concat!("`", $col, "`")]
            pub fn $fn_name(&self) -> &str { self.text($col) }
        )*
    };
}

impl ExportRow {
    /// Data row number (1 = first row after the header).
    pub fn row(&self) -> usize {
        self.row
    }

    pub fn layout(&self) -> ExportLayout {
        self.index.layout
    }

    /// Any field by header name (`None` if the layout has no such column).
    pub fn get(&self, column: &str) -> Option<&str> {
        let i = *self.index.by_name.get(column)?;
        self.record
            .get(i)
            .map(|b| std::str::from_utf8(b).unwrap_or(""))
    }

    /// Every field, in file order.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.record
            .iter()
            .map(|b| std::str::from_utf8(b).unwrap_or(""))
    }

    fn text(&self, column: &'static str) -> &str {
        self.get(column).unwrap_or("")
    }

    fn bad(&self, column: &'static str, expected: &'static str) -> ExportFieldError {
        ExportFieldError {
            row: self.row,
            column,
            value: self.text(column).to_string(),
            expected,
        }
    }

    fn decimal(&self, column: &'static str) -> Result<Decimal, ExportFieldError> {
        let v = self.text(column).trim();
        if v.is_empty() || v.contains(',') {
            return Err(self.bad(column, "importo come 0.00"));
        }
        Decimal::from_str(v).map_err(|_| self.bad(column, "importo come 0.00"))
    }

    fn opt_decimal(&self, column: &'static str) -> Result<Option<Decimal>, ExportFieldError> {
        if self.text(column).trim().is_empty() {
            Ok(None)
        } else {
            self.decimal(column).map(Some)
        }
    }

    text_accessors! {
        iuf => "iuf",
        cod_iud => "codIud",
        cod_iuv => "codIuv",
        identificativo_dominio => "identificativoDominio",
        psp_id => "codiceIdentificativoUnivoco",
        psp_name => "denominazioneAttestante",
        pagatore_tipo => "soggPagTipoIdentificativoUnivoco",
        pagatore_cf => "soggPagCodiceIdentificativoUnivoco",
        pagatore_nome => "anagraficaPagatore",
        versante_tipo => "soggVersTipoIdentificativoUnivoco",
        versante_cf => "soggVersCodiceIdentificativoUnivoco",
        versante_nome => "anagraficaVersante",
        codice_esito_pagamento => "codiceEsitoPagamento",
        identificativo_univoco_versamento => "identificativoUnivocoVersamento",
        esito_singolo_pagamento => "esitoSingoloPagamento",
        iur => "identificativoUnivocoRiscoss",
        causale_versamento => "causaleVersamento",
        dati_specifici_riscossione => "datiSpecificiRiscossione",
        tipo_dovuto => "tipoDovuto",
    }

    /// `numRigaFlusso`.
    pub fn num_riga_flusso(&self) -> Result<u64, ExportFieldError> {
        self.text("numRigaFlusso")
            .trim()
            .parse()
            .map_err(|_| self.bad("numRigaFlusso", "numero intero"))
    }

    /// `dataOraMessaggioRicevuta` (`yyyy-MM-ddTHH:mm:ss`, fractional seconds tolerated).
    pub fn data_ora_messaggio_ricevuta(&self) -> Result<NaiveDateTime, ExportFieldError> {
        let v = self.text("dataOraMessaggioRicevuta").trim();
        NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S%.f").map_err(|_| {
            self.bad(
                "dataOraMessaggioRicevuta",
                "data e ora come 2024-05-31T10:20:30",
            )
        })
    }

    /// `importoTotalePagato`.
    pub fn importo_totale_pagato(&self) -> Result<Decimal, ExportFieldError> {
        self.decimal("importoTotalePagato")
    }

    /// `singoloImportoPagato`.
    pub fn singolo_importo_pagato(&self) -> Result<Decimal, ExportFieldError> {
        self.decimal("singoloImportoPagato")
    }

    /// `dataEsitoSingoloPagamento` (`yyyy-MM-dd`).
    pub fn data_esito_singolo_pagamento(&self) -> Result<NaiveDate, ExportFieldError> {
        let v = self.text("dataEsitoSingoloPagamento").trim();
        // The usual `yyyy-mm-dd` without chrono's format interpreter (a read calls this once
        // per row); anything else goes through chrono, which decides as before.
        if let Some(d) = iso_date(v) {
            return Ok(d);
        }
        NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map_err(|_| self.bad("dataEsitoSingoloPagamento", "data come 2024-05-31"))
    }

    /// `rt`: base64 of the receipt XML (ricevuta layouts only).
    pub fn rt(&self) -> Option<&str> {
        self.get("rt")
    }

    /// `tipoFirma`.
    pub fn tipo_firma(&self) -> Option<&str> {
        self.get("tipoFirma")
    }

    /// `indiceDatiSingoloPagamento`.
    pub fn indice_dati_singolo_pagamento(&self) -> Option<&str> {
        self.get("indiceDatiSingoloPagamento")
    }

    /// `numRtDatiPagDatiSingPagCommissioniApplicatePsp` (ricevuta layouts; empty ⇒ `None`).
    pub fn commissioni_applicate_psp(&self) -> Result<Option<Decimal>, ExportFieldError> {
        self.opt_decimal("numRtDatiPagDatiSingPagCommissioniApplicatePsp")
    }

    /// `codRtDatiPagDatiSingPagAllegatoRicevutaTipo` (`ES`/`BD`).
    pub fn allegato_tipo(&self) -> Option<&str> {
        self.get("codRtDatiPagDatiSingPagAllegatoRicevutaTipo")
    }

    /// `blbRtDatiPagDatiSingPagAllegatoRicevutaTest` (base64 if `BD`, text if `ES`).
    pub fn allegato(&self) -> Option<&str> {
        self.get("blbRtDatiPagDatiSingPagAllegatoRicevutaTest")
    }

    /// `bilancio` (1.2, 1.3).
    pub fn bilancio(&self) -> Option<&str> {
        self.get("bilancio")
    }
}

/// `yyyy-mm-dd` with exactly four, two and two digits, if it is a real date.
fn iso_date(v: &str) -> Option<NaiveDate> {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

// ---------------------------------------------------------------------------------------------
// Reader

/// Streaming reader of an export CSV.
pub struct ExportReader<R: Read> {
    csv: csv::Reader<R>,
    index: Arc<HeaderIndex>,
    rows: usize,
    scratch: ByteRecord,
}

impl<R: Read> ExportReader<R> {
    /// Reads the header and detects the layout.
    pub fn new(src: R) -> Result<ExportReader<R>, ExportError> {
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(src);
        let mut header = ByteRecord::new();
        match csv.read_byte_record(&mut header) {
            Ok(true) => {}
            Ok(false) => return Err(ExportError::Empty),
            Err(e) => {
                return Err(ExportError::Csv {
                    row: 0,
                    detail: e.to_string(),
                });
            }
        }
        let names: Vec<&[u8]> = header.iter().collect();
        let layout = ExportLayout::detect(&names).ok_or(ExportError::UnknownHeader {
            columns: names.len(),
        })?;
        let by_name = layout
            .columns()
            .into_iter()
            .enumerate()
            .map(|(i, n)| (n, i))
            .collect();
        Ok(ExportReader {
            csv,
            index: Arc::new(HeaderIndex { layout, by_name }),
            rows: 0,
            scratch: ByteRecord::new(),
        })
    }

    pub fn layout(&self) -> ExportLayout {
        self.index.layout
    }

    /// Sets the version when the file name tells 1.1 from 1.0 (same columns).
    pub fn set_version(&mut self, version: ExportVersion) {
        let l = self.index.layout;
        if ExportLayout::new(version, l.ricevuta).column_count() == l.column_count() {
            let by_name = self.index.by_name.clone();
            self.index = Arc::new(HeaderIndex {
                layout: ExportLayout::new(version, l.ricevuta),
                by_name,
            });
        }
    }

    /// An empty row to pass to [`ExportReader::read_row`].
    pub fn new_row(&self) -> ExportRow {
        ExportRow {
            row: 0,
            record: ByteRecord::new(),
            index: self.index.clone(),
        }
    }

    /// Reads the next row into `row` (reusing its buffers). `Ok(false)` at the end. A row with a
    /// wrong field count or invalid UTF-8 is an error for that row only: reading may continue.
    pub fn read_row(&mut self, row: &mut ExportRow) -> Result<bool, ExportError> {
        let more = self
            .csv
            .read_byte_record(&mut row.record)
            .map_err(|e| ExportError::Csv {
                row: self.rows + 1,
                detail: e.to_string(),
            })?;
        if !more {
            return Ok(false);
        }
        self.rows += 1;
        row.row = self.rows;
        if !Arc::ptr_eq(&row.index, &self.index) {
            row.index = self.index.clone();
        }
        let expected = self.index.layout.column_count();
        if row.record.len() != expected {
            return Err(ExportError::FieldCount {
                row: self.rows,
                found: row.record.len(),
                expected,
            });
        }
        if std::str::from_utf8(row.record.as_slice()).is_err() {
            return Err(ExportError::NotUtf8 { row: self.rows });
        }
        Ok(true)
    }
}

impl<R: Read> Iterator for ExportReader<R> {
    type Item = Result<ExportRow, ExportError>;
    /// Convenience: one owned row per item (allocates; prefer `read_row` in hot loops).
    fn next(&mut self) -> Option<Self::Item> {
        let mut row = ExportRow {
            row: 0,
            record: std::mem::take(&mut self.scratch),
            index: self.index.clone(),
        };
        match self.read_row(&mut row) {
            Ok(true) => Some(Ok(row)),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Writer

/// opencsv-style writer: `;`, every field quoted, `""` for embedded quotes, `\n`.
pub struct ExportWriter<W: Write> {
    csv: csv::Writer<W>,
    layout: ExportLayout,
    rows: usize,
}

impl<W: Write> ExportWriter<W> {
    /// Writes the header of `layout`.
    pub fn new(out: W, layout: ExportLayout) -> Result<ExportWriter<W>, ExportError> {
        let mut csv = csv::WriterBuilder::new()
            .delimiter(b';')
            .quote_style(QuoteStyle::Always)
            .double_quote(true)
            .terminator(Terminator::Any(b'\n'))
            .from_writer(out);
        csv.write_record(layout.columns()).map_err(csv_io)?;
        Ok(ExportWriter {
            csv,
            layout,
            rows: 0,
        })
    }

    /// Writes one row; it must have exactly the layout's column count.
    pub fn write_fields<I, T>(&mut self, fields: I) -> Result<(), ExportError>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.rows += 1;
        let record: ByteRecord = fields.into_iter().collect();
        if record.len() != self.layout.column_count() {
            return Err(ExportError::WrongWidth {
                row: self.rows,
                found: record.len(),
                expected: self.layout.column_count(),
            });
        }
        self.csv.write_byte_record(&record).map_err(csv_io)
    }

    /// Writes a row read by [`ExportReader`].
    pub fn write_row(&mut self, row: &ExportRow) -> Result<(), ExportError> {
        self.write_fields(row.record.iter())
    }

    pub fn finish(self) -> Result<W, ExportError> {
        self.csv
            .into_inner()
            .map_err(|e| ExportError::Io(io::Error::other(e.to_string())))
    }
}

fn csv_io(e: csv::Error) -> ExportError {
    ExportError::Io(io::Error::other(e.to_string()))
}

/// Zips an export CSV as `<name>.zip` with the entry `<name>.csv`.
pub fn write_export_zip<W: Write + Seek>(
    out: W,
    name: &ExportName,
    csv: &[u8],
    level: i64,
) -> Result<W, ExportError> {
    Ok(write_single_entry_zip(out, &name.csv_name(), csv, level)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow_zip::{FlowZipReader, ZipLimits};
    use std::io::Cursor;

    fn layouts() -> Vec<ExportLayout> {
        ExportVersion::ALL
            .into_iter()
            .flat_map(|v| [ExportLayout::new(v, false), ExportLayout::new(v, true)])
            .collect()
    }

    fn sample_row(layout: ExportLayout, i: usize) -> Vec<String> {
        layout
            .columns()
            .iter()
            .map(|c| match *c {
                "numRigaFlusso" => i.to_string(),
                "dataOraMessaggioRicevuta" => "2026-03-01T10:20:30".into(),
                "importoTotalePagato" | "singoloImportoPagato" => format!("{}.50", i),
                "dataEsitoSingoloPagamento" => "2026-03-01".into(),
                "causaleVersamento" => format!("TARI \"acconto\"; rata {i}\nseconda riga"),
                "rt" => "PD94bWwgdmVyc2lvbj0iMS4wIj8+".into(),
                other => format!("{other}-{i}"),
            })
            .collect()
    }

    #[test]
    fn counts_match_the_spec() {
        let counts: Vec<usize> = layouts().iter().map(|l| l.column_count()).collect();
        assert_eq!(counts, vec![64, 70, 64, 70, 65, 71, 68, 74]);
        for l in layouts() {
            assert_eq!(l.columns().len(), l.column_count());
        }
    }

    #[test]
    fn round_trip_all_variants() {
        for layout in layouts() {
            let mut w = ExportWriter::new(Vec::new(), layout).unwrap();
            for i in 0..5 {
                w.write_fields(sample_row(layout, i)).unwrap();
            }
            let bytes = w.finish().unwrap();
            let text = String::from_utf8(bytes.clone()).unwrap();
            assert!(text.starts_with("\"iuf\";\"numRigaFlusso\";"));
            assert!(text.contains("\"TARI \"\"acconto\"\"; rata 0\nseconda riga\""));
            let mut r = ExportReader::new(&bytes[..]).unwrap();
            let detected = r.layout();
            assert_eq!(detected.ricevuta, layout.ricevuta);
            r.set_version(layout.version);
            assert_eq!(r.layout(), layout);
            let mut w2 = ExportWriter::new(Vec::new(), layout).unwrap();
            let mut row = r.new_row();
            let mut n = 0;
            while r.read_row(&mut row).unwrap() {
                n += 1;
                assert_eq!(row.num_riga_flusso().unwrap(), (n - 1) as u64);
                assert_eq!(
                    row.singolo_importo_pagato().unwrap(),
                    Decimal::from_str(&format!("{}.50", n - 1)).unwrap()
                );
                assert_eq!(
                    row.data_esito_singolo_pagamento().unwrap(),
                    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
                );
                assert_eq!(
                    row.data_ora_messaggio_ricevuta().unwrap().to_string(),
                    "2026-03-01 10:20:30"
                );
                assert_eq!(row.psp_name(), format!("denominazioneAttestante-{}", n - 1));
                assert_eq!(row.rt().is_some(), layout.ricevuta);
                assert_eq!(
                    row.bilancio().is_some(),
                    layout.version >= ExportVersion::V1_2
                );
                w2.write_row(&row).unwrap();
            }
            assert_eq!(n, 5);
            assert_eq!(w2.finish().unwrap(), bytes, "{layout:?}");
        }
    }

    #[test]
    fn bad_values_are_row_errors() {
        let layout = ExportLayout::new(ExportVersion::V1_3, false);
        let mut w = ExportWriter::new(Vec::new(), layout).unwrap();
        let mut bad = sample_row(layout, 1);
        bad[57] = "12,50".into();
        bad[59] = "2026-02-30".into();
        w.write_fields(&bad).unwrap();
        let mut bytes = w.finish().unwrap();
        bytes.extend_from_slice(b"\"a\";\"b\"\n");
        bytes.extend_from_slice(b"\"\xff\"");
        bytes.extend_from_slice(&b";\"x\"".repeat(67));
        bytes.push(b'\n');
        let mut r = ExportReader::new(&bytes[..]).unwrap();
        let mut row = r.new_row();
        assert!(r.read_row(&mut row).unwrap());
        let e = row.singolo_importo_pagato().unwrap_err();
        assert_eq!((e.row, e.column), (1, "singoloImportoPagato"));
        assert!(e.to_string().starts_with("riga 1:"));
        assert!(row.data_esito_singolo_pagamento().is_err());
        assert!(matches!(
            r.read_row(&mut row),
            Err(ExportError::FieldCount {
                row: 2,
                found: 2,
                expected: 68
            })
        ));
        assert!(matches!(
            r.read_row(&mut row),
            Err(ExportError::NotUtf8 { row: 3 })
        ));
        assert!(!r.read_row(&mut row).unwrap());
        assert!(matches!(
            ExportReader::new(&b""[..]),
            Err(ExportError::Empty)
        ));
        assert!(matches!(
            ExportReader::new(&b"\"a\";\"b\"\n"[..]),
            Err(ExportError::UnknownHeader { columns: 2 })
        ));
    }

    #[test]
    fn names() {
        let n = ExportName::parse("123_ESTRAZIONE_DOVUTI_2026-03-01_10_20_30.zip").unwrap();
        assert_eq!(
            (n.codice_ipa.as_deref(), n.export_id, n.version),
            (None, 123, ExportVersion::V1_0)
        );
        assert_eq!(
            n.zip_name(),
            "123_ESTRAZIONE_DOVUTI_2026-03-01_10_20_30.zip"
        );
        let m = ExportName::parse("c_x123-45_ESTRAZIONE_DOVUTI_20260301102030-1_3").unwrap();
        assert_eq!(
            (m.codice_ipa.as_deref(), m.export_id, m.version),
            (Some("c_x123"), 45, ExportVersion::V1_3)
        );
        assert_eq!(
            m.csv_name(),
            "c_x123-45_ESTRAZIONE_DOVUTI_20260301102030-1_3.csv"
        );
        for bad in [
            "x",
            "c_x-45_ESTRAZIONE_DOVUTI_2026030110203-1_3",
            "c_x-45_ESTRAZIONE_DOVUTI_20260301102030-1_4",
            "a_ESTRAZIONE_DOVUTI_2026-03-01_10_20_30",
        ] {
            assert!(ExportName::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn zipped_export() {
        let layout = ExportLayout::new(ExportVersion::V1_2, true);
        let mut w = ExportWriter::new(Vec::new(), layout).unwrap();
        w.write_fields(sample_row(layout, 7)).unwrap();
        let csv = w.finish().unwrap();
        let name = ExportName::parse("c_x-9_ESTRAZIONE_DOVUTI_20260301102030-1_2").unwrap();
        let zip = write_export_zip(Cursor::new(Vec::new()), &name, &csv, 6)
            .unwrap()
            .into_inner();
        let mut z =
            FlowZipReader::open(Cursor::new(zip), &name.zip_name(), &ZipLimits::default()).unwrap();
        let rows: Vec<ExportRow> = ExportReader::new(z.csv().unwrap())
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows[0].cod_iud(), "codIud-7");
    }

    /// Throughput check; size from `MPD_PERF_ROWS` (default small so the suite stays fast).
    #[test]
    fn perf_read() {
        let n: usize = std::env::var("MPD_PERF_ROWS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(2_000);
        let layout = ExportLayout::new(ExportVersion::V1_3, false);
        let mut w = ExportWriter::new(Vec::new(), layout).unwrap();
        let fields = sample_row(layout, 1);
        for _ in 0..n {
            w.write_fields(&fields).unwrap();
        }
        let bytes = w.finish().unwrap();
        let t = std::time::Instant::now();
        let mut r = ExportReader::new(&bytes[..]).unwrap();
        let mut row = r.new_row();
        let mut total = Decimal::ZERO;
        while r.read_row(&mut row).unwrap() {
            total += row.singolo_importo_pagato().unwrap();
            let _ = row.data_esito_singolo_pagamento().unwrap();
        }
        eprintln!(
            "export read: {n} rows, {} MB in {:?}",
            bytes.len() / 1_000_000,
            t.elapsed()
        );
        assert!(total > Decimal::ZERO);
        // With ricevuta: ~4 KB base64 RT per row.
        let n2 = n / 10;
        let layout = ExportLayout::new(ExportVersion::V1_3, true);
        let mut fields = sample_row(layout, 1);
        fields[65] = "QUJD".repeat(1024);
        let mut w = ExportWriter::new(Vec::new(), layout).unwrap();
        for _ in 0..n2 {
            w.write_fields(&fields).unwrap();
        }
        let bytes = w.finish().unwrap();
        let t = std::time::Instant::now();
        let mut r = ExportReader::new(&bytes[..]).unwrap();
        let mut row = r.new_row();
        let mut len = 0;
        while r.read_row(&mut row).unwrap() {
            len += row.rt().unwrap_or("").len();
        }
        eprintln!(
            "export read with RT: {n2} rows, {} MB in {:?}",
            bytes.len() / 1_000_000,
            t.elapsed()
        );
        assert_eq!(len, n2 * 4096);
    }
}
