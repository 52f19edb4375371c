//! The note of a draft: what an import or the form could not accept, field by field, and
//! the IUDs of the drafts an import keeps ([`DraftIuds`]).
//!
//! Below both import pipelines and the form (`bozze`): it uses only the leaf `report`.

use std::collections::HashSet;

use mpd_domain::validate::IudTracker;
use mpd_domain::{Column, RawRow};
use serde::{Deserialize, Serialize};

use crate::report::{RowReport, codes};

/// Problem code of a value the clerk typed that could not be converted.
pub const CODICE_INPUT: &str = "MPD_INPUT";
/// Problem code of an IUD replaced because the file's one was already used.
pub const CODICE_IUD_SOSTITUITO: &str = "MPD_BOZZA_IUD_SOSTITUITO";

/// One problem of a debt, tied to a field of the form when it has one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segnalazione {
    pub codice: String,
    /// The form field (`codice_pagatore`, `importo`, `scadenza`… see [`form_key`]).
    pub chiave: Option<String>,
    /// The field as the clerk knows it (the sheet's header, or the column's name).
    pub campo: Option<String>,
    /// The value as typed.
    pub valore: Option<String>,
    pub messaggio: String,
    pub grave: bool,
}

impl Segnalazione {
    /// Whether the stored value does not hold what the clerk typed (the form shows `valore`).
    pub(crate) fn is_unread_value(&self) -> bool {
        self.grave
            && (self.codice == CODICE_INPUT
                || self.codice.starts_with("MPD_FOGLIO_") && self.codice != codes::TIPO_DOVUTO)
    }
}

/// What a draft carries: where it came from and what is wrong with it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotaBozza {
    /// `file.xlsx, riga 7` for a row kept by an import.
    pub origine: Option<String>,
    pub problemi: Vec<Segnalazione>,
}

/// The form field that shows a tracciato column (the names of the window's inputs).
pub fn form_key(c: Column) -> Option<&'static str> {
    Some(match c {
        Column::Iud => "iud",
        Column::CodIuv => "iuv",
        Column::TipoIdentificativoUnivoco => "tipo_pagatore",
        Column::CodiceIdentificativoUnivoco => "codice_pagatore",
        Column::AnagraficaPagatore => "anagrafica",
        Column::IndirizzoPagatore => "indirizzo",
        Column::CivicoPagatore => "civico",
        Column::CapPagatore => "cap",
        Column::LocalitaPagatore => "localita",
        Column::ProvinciaPagatore => "provincia",
        Column::NazionePagatore => "nazione",
        Column::EmailPagatore => "email",
        Column::DataScadenzaPagamento => "scadenza",
        Column::ImportoDovuto => "importo",
        Column::TipoDovuto => "tipo",
        Column::CausaleVersamento => "causale",
        _ => return None,
    })
}

/// Assigns the IUDs of the drafts an import keeps and writes their notes.
pub(crate) struct DraftIuds<'a> {
    prefix: &'a str,
    valid: &'a IudTracker,
    in_store: &'a HashSet<String>,
    used: HashSet<String>,
}

impl<'a> DraftIuds<'a> {
    pub(crate) fn new(
        prefix: &'a str,
        valid: &'a IudTracker,
        in_store: &'a HashSet<String>,
    ) -> DraftIuds<'a> {
        DraftIuds {
            prefix,
            valid,
            in_store,
            used: HashSet::new(),
        }
    }

    /// How many drafts were kept.
    pub(crate) fn count(&self) -> usize {
        self.used.len()
    }

    /// Keeps the invalid row `line` as a draft: gives it an IUD no other debt has (the
    /// file's own when free), marks its report row, and returns the JSON of its note.
    /// `columns` are the columns of the report row's problems, in order.
    pub(crate) fn keep(
        &mut self,
        row: &mut RawRow,
        line: usize,
        suffisso: &str,
        file: &str,
        rr: &mut RowReport,
        columns: &[Option<Column>],
    ) -> String {
        let written = row.get(Column::Iud).trim().to_string();
        let taken = written.is_empty()
            || written.starts_with(self.prefix)
            || self.in_store.contains(&written)
            || self.valid.check(&written).is_some()
            || self.used.contains(&written);
        let mut problemi: Vec<Segnalazione> = rr
            .problemi
            .iter()
            .enumerate()
            .map(|(i, p)| Segnalazione {
                codice: p.codice.clone(),
                chiave: columns
                    .get(i)
                    .copied()
                    .flatten()
                    .and_then(form_key)
                    .map(str::to_string),
                campo: p.campo.clone(),
                valore: p.valore.clone(),
                messaggio: p.messaggio.clone(),
                grave: p.grave,
            })
            .collect();
        let iud = if taken {
            let generated = format!("{}-{line:07}{suffisso}", self.prefix);
            if !written.is_empty() && !written.starts_with(self.prefix) {
                problemi.push(Segnalazione {
                    codice: CODICE_IUD_SOSTITUITO.into(),
                    chiave: Some("iud".into()),
                    campo: Some("IUD".into()),
                    valore: Some(written.clone()),
                    messaggio: format!(
                        "l'IUD «{written}» del file è già usato da un altro dovuto: la bozza è stata salvata \
                         con l'IUD {generated}"
                    ),
                    grave: false,
                });
            }
            generated
        } else {
            written
        };
        row.set(Column::Iud, iud.as_str());
        if row.get(Column::Azione).is_empty() {
            row.set(Column::Azione, "I");
        }
        self.used.insert(iud.clone());
        // A wide row's options are drafts each: the report opens the first.
        if !rr.bozza {
            rr.iud = iud;
        }
        rr.bozza = true;
        let nota = NotaBozza {
            origine: Some(format!("{file}, riga {line}")),
            problemi,
        };
        serde_json::to_string(&nota).expect("a note always serializes")
    }
}
