//! `debts import`: a CSV in any MyPay tracciato version into the store, all or nothing.
//!
//! The file is read twice, streaming, so memory stays bounded whatever its size: the first
//! pass validates every row (MyPay's rules, ours, duplicates inside the file and against the
//! store) and builds the report; the second inserts the valid rows in one transaction, and
//! only if no row is invalid (or the clerk asked for `--valid-only`).
//!
//! Row numbers in the report are the file's line numbers, which is what the clerk sees in a
//! spreadsheet (the header is line 1).
//!
//! The two passes are the one pipeline's (`pipeline`); this module is its tracciato source.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use mpd_domain::{Azione, Column, Finding, RawRow, Version};
use mpd_tracciato::import::{ImportReadError, ImportReader};

use crate::pipeline::{self, Checked, Read, RowSource, SourceRow};
pub use crate::report::{
    ANNULLATA, DuplicateGroup, ImportHooks, ImportMode, ImportPhase, ImportProgress, ImportReport,
    Problem, RowReport,
};
use crate::{CoreError, Desk, Result};

/// The rows of a tracciato CSV.
pub(crate) struct TracciatoRows {
    path: PathBuf,
    version: Version,
    reader: ImportReader<BufReader<File>>,
}

impl TracciatoRows {
    /// Opens `path` and detects its version from the header.
    fn open(path: &Path) -> Result<TracciatoRows> {
        let reader = ImportReader::detect(crate::files::open_buffered(path)?)
            .map_err(|e| crate::file_non_valido(&path.display().to_string(), &e))?;
        Ok(TracciatoRows {
            path: path.to_path_buf(),
            version: reader.version(),
            reader,
        })
    }
}

impl RowSource for TracciatoRows {
    type Error = ImportReadError;

    const GENERATES_IUD: bool = false;

    fn next_row(&mut self) -> Option<std::result::Result<SourceRow, ImportReadError>> {
        let record = match self.reader.next()? {
            Ok(record) => record,
            Err(e) => return Some(Err(e)),
        };
        let read = match record.fields {
            Ok(row) => Read::Row(row),
            Err(e) => Read::Broken(
                Problem {
                    codice: "PAA_IMPORT_SINTASSI_CSV".into(),
                    campo: None,
                    valore: None,
                    messaggio: format!("{}: controlli i separatori «;» e le virgolette", e.kind),
                    grave: true,
                },
                e.to_string(),
            ),
        };
        Some(Ok(SourceRow {
            line: record.line,
            read,
            cells: Vec::new(),
            opzione: None,
        }))
    }

    fn failed(&self, e: ImportReadError) -> CoreError {
        crate::file_non_valido(&self.path.display().to_string(), &e)
    }

    fn reopen(&mut self) -> Result<()> {
        self.reader = ImportReader::new(crate::files::open_buffered(&self.path)?, self.version)
            .map_err(|e| crate::file_non_valido(&self.path.display().to_string(), &e))?;
        Ok(())
    }

    fn origin(&self) -> String {
        format!("tracciato {}", self.version)
    }

    fn more_findings(&mut self, row: &RawRow, _line: usize, findings: &mut Vec<Finding>) {
        if Azione::parse(row.get(Column::Azione)).is_some_and(|a| a != Azione::Inserimento) {
            findings.push(Finding::strict(
                "MPD_AZIONE_NON_IMPORTABILE",
                Some(Column::Azione),
                format!(
                    "la riga chiede l'azione «{}»: un dovuto già presente si modifica o si annulla dal suo \
                     dettaglio; qui si importano solo nuovi dovuti (azione I)",
                    row.get(Column::Azione)
                ),
            ));
        }
    }

    fn field(&self, row: &RawRow, column: Column) -> (Option<String>, Option<String>) {
        (
            Some(column.name().to_string()),
            Some(row.get(column).to_string()),
        )
    }

    fn campo_opzione(&self, _campo: &str, _rata: mpd_domain::posizione::Rata) -> Option<String> {
        None
    }

    fn finish(row: &mut RawRow) {
        row.set(
            Column::CodiceIdentificativoUnivoco,
            row.get(Column::CodiceIdentificativoUnivoco).to_uppercase(),
        );
        row.set(
            Column::ProvinciaPagatore,
            row.get(Column::ProvinciaPagatore).to_uppercase(),
        );
    }

    fn unreadable_amount(line: usize) -> String {
        format!("riga {}: importo illeggibile", line)
    }
}

impl Desk {
    /// Imports a tracciato CSV. With `valid_only` the valid rows go in even if others are bad.
    pub fn import_tracciato(&mut self, path: &Path, valid_only: bool) -> Result<ImportReport> {
        self.import_tracciato_with(
            path,
            ImportMode::from_valid_only(valid_only),
            ImportHooks::default(),
        )
    }

    /// Reads and validates a tracciato CSV without writing anything.
    pub fn check_tracciato(&self, path: &Path) -> Result<ImportReport> {
        Ok(self
            .check_tracciato_pass(path, false, false, ImportHooks::default())?
            .0)
    }

    /// The first pass: every row validated, the report built. With `keep_columns` the columns
    /// of each invalid row's problems are kept too (for the notes of drafts); with
    /// `duplicates_anyway` probable duplicates are only warnings.
    pub(crate) fn check_tracciato_pass(
        &self,
        path: &Path,
        keep_columns: bool,
        duplicates_anyway: bool,
        hooks: ImportHooks<'_>,
    ) -> Result<(ImportReport, TracciatoRows, Checked)> {
        let mut source = TracciatoRows::open(path)?;
        let version = source.version;
        let rules = self.rules(version)?;
        let mut report = ImportReport {
            file: path.display().to_string(),
            versione: version.as_str().to_string(),
            righe_lette: 0,
            righe_valide: 0,
            importate: 0,
            bozze: 0,
            errori: Vec::new(),
            avvisi: Vec::new(),
            foglio: None,
            duplicati: Vec::new(),
            posizioni: 0,
            opzioni: 0,
        };
        let checked = pipeline::check(
            self,
            &mut source,
            &rules,
            &mut report,
            keep_columns,
            duplicates_anyway,
            hooks,
        )?;
        Ok((report, source, checked))
    }

    /// Imports a tracciato CSV in any [`ImportMode`], with progress and cancel.
    pub fn import_tracciato_with(
        &mut self,
        path: &Path,
        mode: ImportMode,
        hooks: ImportHooks<'_>,
    ) -> Result<ImportReport> {
        self.import_tracciato_in(path, mode, false, hooks)
    }

    /// [`Desk::import_tracciato_with`]; with `duplicates_anyway` probable duplicates are
    /// imported as ready (see `pipeline`).
    pub(crate) fn import_tracciato_in(
        &mut self,
        path: &Path,
        mode: ImportMode,
        duplicates_anyway: bool,
        hooks: ImportHooks<'_>,
    ) -> Result<ImportReport> {
        let keep = mode == ImportMode::KeepDrafts;
        let (mut report, mut source, checked) =
            self.check_tracciato_pass(path, keep, duplicates_anyway, hooks)?;
        if !mode.writes(&report) {
            return Ok(report);
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        pipeline::write(
            self,
            &mut source,
            &mut report,
            checked,
            &file_name,
            keep,
            hooks,
        )?;
        Ok(report)
    }
}
