//! Importa: preview of a spreadsheet with the proposed column mapping, the import and its report, the template.
