//! Queries for importing the clerk's spreadsheets: saved column mappings and the keys that
//! find a debt already in the store.
//!
//! A mapping is stored as opaque JSON under its layout key: mpd-sheets owns its shape, the
//! store only keeps it. The payment types' import defaults (causale, amount, due date) live in
//! `tipo_dovuto.extra_json`, whose keys are those of [`TipoDovuto`]'s optional fields.

use mpd_domain::TipoDovuto;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::{Now, Result, Store};

/// What identifies a debt for the duplicate check of an import: the same payer, payment type,
/// amount, due date and causale.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DebtKey {
    /// The debt's row id (its IUD by [`Store::iud_by_id`], when a report must name it).
    pub id: i64,
    pub codice_pagatore: String,
    pub tipo_dovuto: String,
    pub importo_cents: i64,
    pub data_scadenza: String,
    pub causale: String,
}

#[derive(Serialize, Deserialize, Default)]
struct TipoExtra {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    causale_predefinita: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    importo_predefinito: Option<rust_decimal::Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scadenza_predefinita: Option<chrono::NaiveDate>,
    #[serde(default)]
    posizioni: mpd_domain::posizione::RegolePosizioni,
}

/// The JSON of a payment type's import defaults.
pub(crate) fn tipo_extra_json(t: &TipoDovuto) -> String {
    serde_json::to_string(&TipoExtra {
        causale_predefinita: t.causale_predefinita.clone(),
        importo_predefinito: t.importo_predefinito,
        scadenza_predefinita: t.scadenza_predefinita,
        posizioni: t.posizioni,
    })
    .unwrap_or_else(|_| "{}".into())
}

/// Fills a payment type's import defaults from its `extra_json` (unknown or bad JSON: none).
pub(crate) fn read_tipo_extra_json(t: &mut TipoDovuto, json: &str) {
    let extra: TipoExtra = serde_json::from_str(json).unwrap_or_default();
    t.causale_predefinita = extra.causale_predefinita;
    t.importo_predefinito = extra.importo_predefinito;
    t.scadenza_predefinita = extra.scadenza_predefinita;
    t.posizioni = extra.posizioni;
}

impl Store {
    /// The mapping saved for a sheet layout, as JSON.
    pub fn sheet_mapping(&self, layout: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT mappatura_json FROM mappatura_foglio WHERE layout = ?1",
                params![layout],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Saves (or replaces) the mapping of a sheet layout.
    pub fn save_sheet_mapping(&self, layout: &str, mapping_json: &str, now: Now) -> Result<()> {
        self.conn().execute(
            "INSERT INTO mappatura_foglio (layout, mappatura_json, aggiornato_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(layout) DO UPDATE SET mappatura_json = ?2, aggiornato_at = ?3",
            params![layout, mapping_json, now.to_rfc3339()],
        )?;
        Ok(())
    }

    /// The IUD of the debt with row id `id`.
    pub fn iud_by_id(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT iud FROM dovuto WHERE id = ?1", params![id], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Calls `f` with the key of every debt not cancelled.
    pub fn for_each_debt_key(&self, mut f: impl FnMut(DebtKey)) -> Result<()> {
        let mut stmt = self.conn().prepare(
            "SELECT id, codice_pagatore, tipo_dovuto, importo_cents, data_scadenza, causale
             FROM dovuto WHERE stato <> 'cancelled' ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            f(DebtKey {
                id: r.get(0)?,
                codice_pagatore: r.get(1)?,
                tipo_dovuto: r.get(2)?,
                importo_cents: r.get(3)?,
                data_scadenza: r.get(4)?,
                causale: r.get(5)?,
            });
        }
        Ok(())
    }
}
