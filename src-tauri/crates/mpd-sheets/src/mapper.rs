//! One sheet row through a [`Mapping`] into tracciato text.
//!
//! Only the cell conversions happen here (amount, date, code, text; see [`crate::values`]).
//! A cell that cannot be converted keeps its text in the row and gets a [`CellProblem`] with
//! an Italian message; the caller's validation then skips its own finding on that column so
//! the clerk reads one message per cell. Defaults, IUD, validation and duplicates are the
//! caller's (mpd-core), which knows the Ente.

use mpd_domain::posizione::Rata;
use mpd_domain::{Column, RawRow};

use crate::cell::{Cell, SheetRow};
use crate::mapping::{Field, Forma, Mapping};
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
    /// The option's number (long shape) is not 0/U or 1–12.
    pub const RATA: &str = "MPD_FOGLIO_RATA";
}

/// A problem of one cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellProblem {
    /// The tracciato column the cell feeds (none: the position's code or the option's number).
    pub column: Option<Column>,
    /// The field of the cell's column.
    pub field: Field,
    pub code: &'static str,
    pub message: String,
    pub error: bool,
}

/// One option (rata unica or instalment) of a wide row: its amount and due date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpzioneLetta {
    pub rata: Rata,
    /// The amount as tracciato text (`120.50`); as typed when it cannot be read; empty when
    /// the row leaves it empty.
    pub importo: String,
    /// The due date as `yyyy-mm-dd`; as typed when it cannot be read; empty when none.
    pub scadenza: String,
    /// The problems of its two cells.
    pub problems: Vec<CellProblem>,
}

/// A sheet row as tracciato text, before defaults and validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedRow {
    /// The clerk's row number.
    pub number: usize,
    /// The row's fields; in the wide shape the fields every option shares (the options'
    /// amounts and due dates are in `opzioni`).
    pub row: RawRow,
    pub problems: Vec<CellProblem>,
    /// Long shape: the position's code as written (empty: none).
    pub posizione: String,
    /// Long shape: the option's number, when its cell has one that reads.
    pub rata: Option<Rata>,
    /// Wide shape: the options the row fills (an amount or a due date), in order.
    pub opzioni: Vec<OpzioneLetta>,
}

impl MappedRow {
    /// True when a cell of `column` already has a conversion error.
    pub fn has_error_on(&self, column: Column) -> bool {
        self.problems
            .iter()
            .any(|p| p.error && p.column == Some(column))
    }
}

/// Applies a mapping to rows.
#[derive(Clone, Debug)]
pub struct Mapper {
    mapping: Mapping,
    forma: Forma,
}

/// The number of the option a long row's cell names: `0`, `U`, `unica`, `rata unica` for the
/// rata unica, `1`…`12` (also `1ª`, `prima`) for an instalment.
pub fn rata_di(cell: &Cell) -> Result<Option<Rata>, String> {
    let n = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(x) if x.fract() == 0.0 && *x >= 0.0 && *x <= 12.0 => Some(*x as u8),
        _ => {
            let t = crate::text::normalize_header(&cell.display());
            match t.as_str() {
                "" => return Ok(None),
                "u" | "unica" | "rata unica" | "unica soluzione" | "ru" | "0" => Some(0),
                t => {
                    let t = t.strip_prefix("rata ").unwrap_or(t);
                    t.trim_end_matches(['a', 'ª', 'o', 'º'])
                        .parse::<u8>()
                        .ok()
                        .filter(|n| (1..=12).contains(n))
                }
            }
        }
    };
    n.and_then(Rata::da_numero).map(Some).ok_or_else(|| {
        format!(
            "«{}» non è una rata: scriva 0 o U per la rata unica, da 1 a 12 per le rate",
            cell.display()
        )
    })
}

impl Mapper {
    pub fn new(mapping: Mapping) -> Mapper {
        let forma = mapping.forma();
        Mapper { mapping, forma }
    }

    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// How the rows make debts (see [`Mapping::forma`]).
    pub fn forma(&self) -> Forma {
        self.forma
    }

    /// In the wide shape, the plain «Importo» / «Scadenza» column feeds the rata unica when
    /// no column is the rata unica's own.
    fn unica_da_semplice(&self, campo: Field) -> bool {
        self.forma == Forma::Larga
            && match campo {
                Field::Importo => !self.mapping.has(Field::ImportoRata(0)),
                Field::Scadenza => !self.mapping.has(Field::ScadenzaRata(0)),
                _ => false,
            }
    }

    /// The field feeding `column` of option `rata` (none: a field the options share).
    fn campo_opzione(&self, column: Column, rata: Option<Rata>) -> Option<Field> {
        let n = rata?.numero();
        let (proprio, semplice) = match column {
            Column::ImportoDovuto => (Field::ImportoRata(n), Field::Importo),
            Column::DataScadenzaPagamento => (Field::ScadenzaRata(n), Field::Scadenza),
            _ => return None,
        };
        if self.mapping.has(proprio) || !self.unica_da_semplice(semplice) || n != 0 {
            Some(proprio)
        } else {
            Some(semplice)
        }
    }

    /// The header(s) the clerk wrote for the column feeding `column` (`Cognome + Nome` when
    /// two columns are joined); with `rata`, in the wide shape, that option's own column.
    pub fn header_for(&self, column: Column, rata: Option<Rata>) -> Option<String> {
        if self.forma == Forma::Larga
            && let Some(f) = self.campo_opzione(column, rata)
        {
            return self.mapping.header_of(f).map(str::to_string);
        }
        let parts: Vec<&str> = self
            .mapping
            .colonne
            .iter()
            .filter(|c| c.campo.column() == Some(column) && c.campo.opzione().is_none())
            .map(|c| c.intestazione.as_str())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" + "))
    }

    /// The value(s) as the clerk typed them in the cells feeding `column` (with `rata`, in the
    /// wide shape, that option's own cell).
    pub fn original(&self, row: &SheetRow, column: Column, rata: Option<Rata>) -> Option<String> {
        if self.forma == Forma::Larga
            && let Some(f) = self.campo_opzione(column, rata)
        {
            return self
                .mapping
                .get(f)
                .map(|c| row.get(c.colonna).display())
                .filter(|v| !v.is_empty());
        }
        let parts: Vec<String> = self
            .mapping
            .colonne
            .iter()
            .filter(|c| c.campo.column() == Some(column) && c.campo.opzione().is_none())
            .map(|c| row.get(c.colonna).display())
            .filter(|v| !v.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// The header of the column feeding `field`.
    pub fn header_of(&self, field: Field) -> Option<String> {
        self.mapping.header_of(field).map(str::to_string)
    }

    /// The value as typed in the cell feeding `field`.
    pub fn original_of(&self, row: &SheetRow, field: Field) -> Option<String> {
        self.mapping
            .get(field)
            .map(|c| row.get(c.colonna).display())
            .filter(|v| !v.is_empty())
    }

    /// Converts one row.
    pub fn map(&self, sheet_row: &SheetRow) -> MappedRow {
        let mut out = MappedRow {
            number: sheet_row.number,
            row: RawRow::default(),
            problems: Vec::new(),
            posizione: String::new(),
            rata: None,
            opzioni: Vec::new(),
        };
        let mut cognome = String::new();
        let mut nome = String::new();
        let mut opzioni: std::collections::BTreeMap<u8, OpzioneLetta> = Default::default();
        for mc in &self.mapping.colonne {
            let cell = sheet_row.get(mc.colonna);
            let campo = mc.campo;
            let column = campo.column();
            if let Some(n) = campo.opzione() {
                if cell.is_empty() {
                    continue;
                }
                let o = opzioni.entry(n).or_insert_with(|| OpzioneLetta {
                    rata: Rata::da_numero(n).unwrap_or(Rata::Unica),
                    importo: String::new(),
                    scadenza: String::new(),
                    problems: Vec::new(),
                });
                let mut problems = Vec::new();
                let value = match campo {
                    Field::ImportoRata(_) => importo(cell, campo, &mut problems),
                    _ => scadenza(cell, campo, &mut problems),
                };
                match campo {
                    Field::ImportoRata(_) => o.importo = value,
                    _ => o.scadenza = value,
                }
                o.problems.extend(problems);
                continue;
            }
            if let Cell::Error(e) = cell {
                if let Some(column) = column {
                    out.row.set(column, e.clone());
                }
                out.problems.push(errore_formula(campo, e));
                continue;
            }
            match campo {
                Field::Importo => {
                    let v = importo(cell, campo, &mut out.problems);
                    out.row.set(Column::ImportoDovuto, v);
                }
                Field::Scadenza => {
                    let v = scadenza(cell, campo, &mut out.problems);
                    out.row.set(Column::DataScadenzaPagamento, v);
                }
                Field::Codice
                | Field::Cap
                | Field::Iuv
                | Field::Provincia
                | Field::Nazione
                | Field::Iud => {
                    let Some(column) = column else { continue };
                    let kind = match campo {
                        Field::Codice => CodeKind::CodiceFiscale,
                        Field::Cap => CodeKind::Cap,
                        Field::Iuv => CodeKind::Iuv,
                        _ => CodeKind::Other,
                    };
                    match values::code(cell, kind) {
                        Ok(code) => {
                            // The IUD is the Ente's own text: keep its case.
                            let text = if campo == Field::Iud {
                                crate::text::clean_text(&cell.display()).replace(' ', "")
                            } else {
                                code.text
                            };
                            out.row.set(column, text);
                            if let Some(w) = code.warning {
                                out.problems.push(CellProblem {
                                    column: Some(column),
                                    field: campo,
                                    code: codes::CODICE_NUMERICO,
                                    message: w,
                                    error: false,
                                });
                            }
                        }
                        Err(m) => {
                            out.row.set(column, cell.display());
                            out.problems.push(problema(campo, codes::CODICE, m, true));
                        }
                    }
                }
                Field::TipoPagatore => match values::tipo_pagatore(cell) {
                    Ok(t) => out.row.set(Column::TipoIdentificativoUnivoco, t),
                    Err(m) => {
                        out.row
                            .set(Column::TipoIdentificativoUnivoco, cell.display());
                        out.problems
                            .push(problema(campo, codes::TIPO_PAGATORE, m, true));
                    }
                },
                Field::Cognome => cognome = values::text(cell),
                Field::Nome => nome = values::text(cell),
                Field::Email => out
                    .row
                    .set(Column::EmailPagatore, values::text(cell).replace(' ', "")),
                Field::Posizione => out.posizione = values::text(cell),
                Field::Rata => match rata_di(cell) {
                    Ok(r) => out.rata = r,
                    Err(m) => out.problems.push(problema(campo, codes::RATA, m, true)),
                },
                Field::Anagrafica
                | Field::TipoDovuto
                | Field::Causale
                | Field::Indirizzo
                | Field::Civico
                | Field::Comune => {
                    if let Some(column) = column {
                        out.row.set(column, values::text(cell));
                    }
                }
                Field::ImportoRata(_) | Field::ScadenzaRata(_) => {}
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
        if self.forma == Forma::Larga {
            // The plain «Importo» / «Scadenza» of a wide sheet with no rata unica column of
            // its own: the rata unica's.
            for (campo, column) in [
                (Field::Importo, Column::ImportoDovuto),
                (Field::Scadenza, Column::DataScadenzaPagamento),
            ] {
                let value = out.row.get(column).to_string();
                if !self.unica_da_semplice(campo) || value.is_empty() {
                    continue;
                }
                let o = opzioni.entry(0).or_insert_with(|| OpzioneLetta {
                    rata: Rata::Unica,
                    importo: String::new(),
                    scadenza: String::new(),
                    problems: Vec::new(),
                });
                let (problems, rest): (Vec<CellProblem>, Vec<CellProblem>) =
                    out.problems.drain(..).partition(|p| p.field == campo);
                out.problems = rest;
                o.problems.extend(problems);
                match campo {
                    Field::Importo => o.importo = value,
                    _ => o.scadenza = value,
                }
            }
            out.row.set(Column::ImportoDovuto, "");
            out.row.set(Column::DataScadenzaPagamento, "");
            out.opzioni = opzioni.into_values().collect();
        }
        out
    }
}

fn problema(field: Field, code: &'static str, message: String, error: bool) -> CellProblem {
    CellProblem {
        column: field.column(),
        field,
        code,
        message,
        error,
    }
}

fn errore_formula(field: Field, e: &str) -> CellProblem {
    problema(
        field,
        codes::ERRORE_FORMULA,
        format!(
            "la cella contiene l'errore di formula {e}: corregga la formula o scriva il valore"
        ),
        true,
    )
}

/// An amount cell as tracciato text (as typed, with a problem, when it cannot be read).
fn importo(cell: &Cell, field: Field, problems: &mut Vec<CellProblem>) -> String {
    if let Cell::Error(e) = cell {
        problems.push(errore_formula(field, e));
        return e.clone();
    }
    match values::amount(cell) {
        Ok(a) => {
            if let Some(from) = a.rounded_from {
                problems.push(problema(
                    field,
                    codes::IMPORTO_ARROTONDATO,
                    format!(
                        "l'importo {} ha più di due decimali: arrotondato a {}; controlli che sia giusto",
                        mpd_domain::money::format_it(from).trim_end_matches(" €"),
                        mpd_domain::money::format_it(a.value)
                    ),
                    false,
                ));
            }
            a.tracciato()
        }
        Err(_) if cell.is_empty() => String::new(),
        Err(m) => {
            problems.push(problema(field, codes::IMPORTO, m, true));
            cell.display()
        }
    }
}

/// A date cell as `yyyy-mm-dd` (as typed, with a problem, when it cannot be read).
fn scadenza(cell: &Cell, field: Field, problems: &mut Vec<CellProblem>) -> String {
    if let Cell::Error(e) = cell {
        problems.push(errore_formula(field, e));
        return e.clone();
    }
    match values::date(cell) {
        Ok(d) => iso_date(d),
        Err(_) if cell.is_empty() => String::new(),
        Err(m) => {
            problems.push(problema(field, codes::DATA, m, true));
            cell.display()
        }
    }
}

/// `yyyy-mm-dd` without chrono's format-string parser (this runs once per row).
fn iso_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}
