//! One sheet row through a [`Mapping`] into tracciato text.
//!
//! Only the cell conversions happen here (amount, date, code, text; see [`crate::values`]).
//! A cell that cannot be converted keeps its text in the row and gets a [`CellProblem`] with
//! an Italian message; the caller's validation then skips its own finding on that column so
//! the clerk reads one message per cell. Defaults, IUD, validation and duplicates are the
//! caller's (mpd-core), which knows the Ente.

use mpd_domain::{Column, RawRow};

use crate::cell::{Cell, SheetRow};
use crate::mapping::{Field, Mapping};
use crate::values::{self, CodeKind};

/// Codes of the problems found converting a cell.
pub mod codes {
    /// The amount cannot be read.
    pub const IMPORTO: &str = "MPD_FOGLIO_IMPORTO";
    /// The amount had decimals beyond the cents and was rounded (warning).
    pub const IMPORTO_ARROTONDATO: &str = "MPD_FOGLIO_IMPORTO_ARROTONDATO";
    /// The date cannot be read.
    pub const DATA: &str = "MPD_FOGLIO_DATA";
    /// A code cannot be read (a number that lost digits, a date…).
    pub const CODICE: &str = "MPD_FOGLIO_CODICE";
    /// A code arrived as a number (warning: leading zeros may be lost).
    pub const CODICE_NUMERICO: &str = "MPD_FOGLIO_CODICE_NUMERICO";
    /// The payer type is not F/G.
    pub const TIPO_PAGATORE: &str = "MPD_FOGLIO_TIPO_PAGATORE";
    /// A formula error value (`#DIV/0!`).
    pub const ERRORE_FORMULA: &str = "MPD_FOGLIO_ERRORE_FORMULA";
}

/// A problem of one cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellProblem {
    pub column: Column,
    pub code: &'static str,
    pub message: String,
    pub error: bool,
}

/// A sheet row as tracciato text, before defaults and validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedRow {
    /// The clerk's row number.
    pub number: usize,
    pub row: RawRow,
    pub problems: Vec<CellProblem>,
}

impl MappedRow {
    /// True when a cell of `column` already has a conversion error.
    pub fn has_error_on(&self, column: Column) -> bool {
        self.problems.iter().any(|p| p.error && p.column == column)
    }
}

/// Applies a mapping to rows.
#[derive(Clone, Debug)]
pub struct Mapper {
    mapping: Mapping,
}

impl Mapper {
    pub fn new(mapping: Mapping) -> Mapper {
        Mapper { mapping }
    }

    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// The header(s) the clerk wrote for the column feeding `column` (`Cognome + Nome` when
    /// two columns are joined).
    pub fn header_for(&self, column: Column) -> Option<String> {
        let parts: Vec<&str> = self
            .mapping
            .colonne
            .iter()
            .filter(|c| c.campo.column() == column)
            .map(|c| c.intestazione.as_str())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" + "))
    }

    /// The value(s) as the clerk typed them in the cells feeding `column`.
    pub fn original(&self, row: &SheetRow, column: Column) -> Option<String> {
        let parts: Vec<String> = self
            .mapping
            .colonne
            .iter()
            .filter(|c| c.campo.column() == column)
            .map(|c| row.get(c.colonna).display())
            .filter(|v| !v.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// Converts one row.
    pub fn map(&self, sheet_row: &SheetRow) -> MappedRow {
        let mut out = MappedRow {
            number: sheet_row.number,
            row: RawRow::default(),
            problems: Vec::new(),
        };
        let mut cognome = String::new();
        let mut nome = String::new();
        for mc in &self.mapping.colonne {
            let cell = sheet_row.get(mc.colonna);
            let column = mc.campo.column();
            if let Cell::Error(e) = cell {
                out.row.set(column, e.clone());
                out.problems.push(CellProblem {
                    column,
                    code: codes::ERRORE_FORMULA,
                    message: format!(
                        "la cella contiene l'errore di formula {e}: corregga la formula o scriva il valore"
                    ),
                    error: true,
                });
                continue;
            }
            match mc.campo {
                Field::Importo => match values::amount(cell) {
                    Ok(a) => {
                        out.row.set(column, a.tracciato());
                        if let Some(from) = a.rounded_from {
                            out.problems.push(CellProblem {
                                column,
                                code: codes::IMPORTO_ARROTONDATO,
                                message: format!(
                                    "l'importo {} ha più di due decimali: arrotondato a {}; controlli che sia giusto",
                                    mpd_domain::money::format_it(from).trim_end_matches(" €"),
                                    mpd_domain::money::format_it(a.value)
                                ),
                                error: false,
                            });
                        }
                    }
                    Err(_) if cell.is_empty() => {}
                    Err(m) => self.fail(&mut out, column, cell, codes::IMPORTO, m),
                },
                Field::Scadenza => match values::date(cell) {
                    Ok(d) => out.row.set(column, iso_date(d)),
                    Err(_) if cell.is_empty() => {}
                    Err(m) => self.fail(&mut out, column, cell, codes::DATA, m),
                },
                Field::Codice
                | Field::Cap
                | Field::Iuv
                | Field::Provincia
                | Field::Nazione
                | Field::Iud => {
                    let kind = match mc.campo {
                        Field::Codice => CodeKind::CodiceFiscale,
                        Field::Cap => CodeKind::Cap,
                        Field::Iuv => CodeKind::Iuv,
                        _ => CodeKind::Other,
                    };
                    match values::code(cell, kind) {
                        Ok(code) => {
                            // The IUD is the Ente's own text: keep its case.
                            let text = if mc.campo == Field::Iud {
                                crate::text::clean_text(&cell.display()).replace(' ', "")
                            } else {
                                code.text
                            };
                            out.row.set(column, text);
                            if let Some(w) = code.warning {
                                out.problems.push(CellProblem {
                                    column,
                                    code: codes::CODICE_NUMERICO,
                                    message: w,
                                    error: false,
                                });
                            }
                        }
                        Err(m) => self.fail(&mut out, column, cell, codes::CODICE, m),
                    }
                }
                Field::TipoPagatore => match values::tipo_pagatore(cell) {
                    Ok(t) => out.row.set(column, t),
                    Err(m) => self.fail(&mut out, column, cell, codes::TIPO_PAGATORE, m),
                },
                Field::Cognome => cognome = values::text(cell),
                Field::Nome => nome = values::text(cell),
                Field::Email => out.row.set(column, values::text(cell).replace(' ', "")),
                Field::Anagrafica
                | Field::TipoDovuto
                | Field::Causale
                | Field::Indirizzo
                | Field::Civico
                | Field::Comune => out.row.set(column, values::text(cell)),
            }
        }
        if !self.mapping.has(Field::Anagrafica) && (!cognome.is_empty() || !nome.is_empty()) {
            let joined = [cognome, nome]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            out.row.set(Column::AnagraficaPagatore, joined);
        }
        out
    }

    fn fail(
        &self,
        out: &mut MappedRow,
        column: Column,
        cell: &Cell,
        code: &'static str,
        message: String,
    ) {
        out.row.set(column, cell.display());
        out.problems.push(CellProblem {
            column,
            code,
            message,
            error: true,
        });
    }
}

/// `yyyy-mm-dd` without chrono's format-string parser (this runs once per row).
fn iso_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}
