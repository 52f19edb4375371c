//! Dovuti: one page of the filtered list for the virtualized table. The page comes from
//! SQLite (`LIMIT`/`OFFSET`) with the total count; the window never receives every row.

use mpd_core::{DovutoFilter, DovutoRecord, DovutoStato};
use mpd_domain::Column;
use serde::{Deserialize, Serialize};

use super::{DeskState, ErroreUi, with_desk};

/// The largest page the window may ask for.
pub const MAX_PAGINA: usize = 500;

/// The filters and the page the window asks for.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FiltroDovuti {
    /// English state name (`ready`, `paid`…).
    pub stato: Option<String>,
    pub tipo: Option<String>,
    /// IUD, payer code or name, causale.
    pub testo: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub scadenza_dal: Option<String>,
    pub scadenza_al: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

/// One row of the table.
#[derive(Serialize)]
pub struct RigaDovuto {
    pub iud: String,
    pub stato: &'static str,
    pub etichetta: &'static str,
    pub iuv: String,
    pub codice_pagatore: String,
    pub anagrafica: String,
    /// `YYYY-MM-DD` or empty.
    pub scadenza: String,
    pub importo_cents: i64,
    pub tipo: String,
    pub causale: String,
    pub rifiuto: Option<String>,
}

impl From<DovutoRecord> for RigaDovuto {
    fn from(d: DovutoRecord) -> Self {
        let g = |c: Column| d.row.get(c).to_string();
        RigaDovuto {
            stato: d.stato.as_str(),
            etichetta: d.stato.label_it(),
            iuv: g(Column::CodIuv),
            codice_pagatore: g(Column::CodiceIdentificativoUnivoco),
            anagrafica: g(Column::AnagraficaPagatore),
            scadenza: g(Column::DataScadenzaPagamento),
            tipo: g(Column::TipoDovuto),
            causale: g(Column::CausaleVersamento),
            rifiuto: d.rifiuto_messaggio.clone(),
            importo_cents: d.importo_cents,
            iud: d.iud,
        }
    }
}

/// A page of debts and how many match in all.
#[derive(Serialize)]
pub struct PaginaDovuti {
    pub totale: i64,
    pub offset: usize,
    pub righe: Vec<RigaDovuto>,
}

/// Checks the window's filter and turns it into the store's.
pub fn filtro(f: FiltroDovuti) -> Result<DovutoFilter, ErroreUi> {
    let stato = match f.stato.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            DovutoStato::parse(s)
                .ok_or_else(|| ErroreUi::argomento(format!("stato «{s}» sconosciuto")))?,
        ),
    };
    let data = |d: Option<String>, campo: &str| -> Result<Option<String>, ErroreUi> {
        match d.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|_| Some(s.to_string()))
                .map_err(|_| ErroreUi::argomento(format!("{campo}: data «{s}» non valida"))),
        }
    };
    if f.limit == 0 || f.limit > MAX_PAGINA {
        return Err(ErroreUi::argomento(format!(
            "una pagina ha da 1 a {MAX_PAGINA} righe"
        )));
    }
    let testo = f.testo.filter(|t| !t.trim().is_empty());
    if testo.as_ref().is_some_and(|t| t.len() > 200) {
        return Err(ErroreUi::argomento("testo di ricerca troppo lungo"));
    }
    Ok(DovutoFilter {
        stato,
        tipo_dovuto: f.tipo.filter(|t| !t.trim().is_empty()),
        testo,
        scadenza_dal: data(f.scadenza_dal, "scadenza dal")?,
        scadenza_al: data(f.scadenza_al, "scadenza al")?,
        limit: Some(f.limit),
        offset: f.offset,
    })
}

/// One page of the filtered debts, with the total.
#[tauri::command]
pub fn dovuti_pagina(
    state: tauri::State<'_, DeskState>,
    richiesta: FiltroDovuti,
) -> Result<PaginaDovuti, ErroreUi> {
    let f = filtro(richiesta)?;
    with_desk(&state, |desk| {
        Ok(PaginaDovuti {
            totale: desk.debts_count(&f)?,
            offset: f.offset,
            righe: desk.debts(&f)?.into_iter().map(RigaDovuto::from).collect(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filtro_checks_its_arguments() {
        let ok = FiltroDovuti {
            stato: Some("pagato".into()),
            scadenza_dal: Some("2026-01-31".into()),
            limit: 100,
            ..Default::default()
        };
        let f = filtro(ok).unwrap();
        assert_eq!(f.stato, Some(DovutoStato::Paid));
        assert_eq!(f.limit, Some(100));
        for bad in [
            FiltroDovuti {
                limit: 0,
                ..Default::default()
            },
            FiltroDovuti {
                limit: 10_000,
                ..Default::default()
            },
            FiltroDovuti {
                limit: 10,
                stato: Some("boh".into()),
                ..Default::default()
            },
            FiltroDovuti {
                limit: 10,
                scadenza_al: Some("31/01/2026".into()),
                ..Default::default()
            },
        ] {
            assert_eq!(filtro(bad).unwrap_err().codice, "argomento");
        }
    }
}
