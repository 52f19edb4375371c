//! Dovuti: one page of the filtered list for the virtualized table (the page comes from
//! SQLite, `LIMIT`/`OFFSET`, with the total count; the window never receives every row), the
//! edit form (one debt with its problems; saving checks the row again and answers field by
//! field) and the bulk actions (mark ready, cancel), one outcome per debt.

use mpd_core::bozze::{EsitoAzione, EsitoScheda, SchedaDovuto};
use mpd_core::input::DebtInput;
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
    /// A draft with problems to fix (kept by an import, or saved with errors).
    pub da_correggere: bool,
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
            da_correggere: false,
            importo_cents: d.importo_cents,
            iud: d.iud,
        }
    }
}

/// A page of debts and, for the first page, how many match in all.
#[derive(Serialize)]
pub struct PaginaDovuti {
    pub totale: Option<i64>,
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
        let mut righe: Vec<RigaDovuto> =
            desk.debts(&f)?.into_iter().map(RigaDovuto::from).collect();
        let bozze: Vec<String> = righe
            .iter()
            .filter(|r| r.stato == DovutoStato::Draft.as_str())
            .map(|r| r.iud.clone())
            .collect();
        if !bozze.is_empty() {
            let con_nota = desk
                .store()
                .con_nota(&bozze)
                .map_err(mpd_core::CoreError::from)?;
            for r in &mut righe {
                r.da_correggere = con_nota.contains(&r.iud);
            }
        }
        Ok(PaginaDovuti {
            // Counted for the first page only: scrolling keeps the count it already has
            // (a count is a second pass over every matching debt).
            totale: if f.offset == 0 {
                Some(desk.debts_count(&f)?)
            } else {
                None
            },
            offset: f.offset,
            righe,
        })
    })
}

/// The most debts a bulk action takes at once.
pub const MAX_SELEZIONE: usize = 10_000;

/// The form's fields as the clerk typed them (`None` = leave as stored).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CampiDovuto {
    pub codice_pagatore: Option<String>,
    pub tipo_pagatore: Option<String>,
    pub anagrafica: Option<String>,
    pub importo: Option<String>,
    pub scadenza: Option<String>,
    pub tipo: Option<String>,
    pub causale: Option<String>,
    pub email: Option<String>,
    pub indirizzo: Option<String>,
    pub civico: Option<String>,
    pub cap: Option<String>,
    pub localita: Option<String>,
    pub provincia: Option<String>,
    pub nazione: Option<String>,
    pub iuv: Option<String>,
}

/// Checks the form's fields (sizes) and turns them into the core's input.
pub fn input_di(c: CampiDovuto) -> Result<DebtInput, ErroreUi> {
    let campi = [
        &c.codice_pagatore,
        &c.tipo_pagatore,
        &c.anagrafica,
        &c.importo,
        &c.scadenza,
        &c.tipo,
        &c.causale,
        &c.email,
        &c.indirizzo,
        &c.civico,
        &c.cap,
        &c.localita,
        &c.provincia,
        &c.nazione,
        &c.iuv,
    ];
    if campi
        .iter()
        .any(|v| v.as_ref().is_some_and(|v| v.len() > 1024))
    {
        return Err(ErroreUi::argomento("un campo del dovuto è troppo lungo"));
    }
    Ok(DebtInput {
        iud: None,
        codice: c.codice_pagatore,
        tipo_pagatore: c.tipo_pagatore.filter(|t| !t.trim().is_empty()),
        anagrafica: c.anagrafica,
        importo: c.importo,
        scadenza: c.scadenza,
        tipo_dovuto: c.tipo.filter(|t| !t.trim().is_empty()),
        causale: c.causale,
        email: c.email,
        indirizzo: c.indirizzo,
        civico: c.civico,
        cap: c.cap,
        localita: c.localita,
        provincia: c.provincia,
        nazione: c.nazione,
        iuv: c.iuv,
    })
}

fn iud(iud: &str) -> Result<&str, ErroreUi> {
    let t = iud.trim();
    if t.is_empty() || t.len() > 64 {
        return Err(ErroreUi::argomento("IUD non valido"));
    }
    Ok(t)
}

fn selezione(iuds: Vec<String>) -> Result<Vec<String>, ErroreUi> {
    if iuds.is_empty() || iuds.len() > MAX_SELEZIONE {
        return Err(ErroreUi::argomento(format!(
            "seleziona da 1 a {MAX_SELEZIONE} dovuti"
        )));
    }
    iuds.iter()
        .map(|i| self::iud(i).map(str::to_string))
        .collect()
}

/// One debt for the edit form: values as the clerk writes them and current problems.
#[tauri::command]
pub fn dovuto_scheda(
    state: tauri::State<'_, DeskState>,
    iud: String,
) -> Result<SchedaDovuto, ErroreUi> {
    let iud = self::iud(&iud)?;
    with_desk(&state, |desk| Ok(desk.debt_form(iud)?))
}

/// Saves the form: the row is checked again; a draft is kept even with errors (and becomes
/// ready with `pronto` when valid), any other debt is saved only when valid.
#[tauri::command]
pub fn dovuto_salva(
    state: tauri::State<'_, DeskState>,
    iud: String,
    campi: CampiDovuto,
    pronto: Option<bool>,
) -> Result<EsitoScheda, ErroreUi> {
    let iud = self::iud(&iud)?;
    let input = input_di(campi)?;
    with_desk(&state, |desk| {
        Ok(desk.save_debt_form(iud, &input, pronto.unwrap_or(false))?)
    })
}

/// «Segna come pronti»: drafts without problems become ready; one outcome per debt.
#[tauri::command]
pub fn dovuti_pronti(
    state: tauri::State<'_, DeskState>,
    iuds: Vec<String>,
) -> Result<Vec<EsitoAzione>, ErroreUi> {
    let iuds = selezione(iuds)?;
    with_desk(&state, |desk| Ok(desk.mark_ready_checked(&iuds)?))
}

/// «Annulla»: each debt cancelled (or its cancellation queued for MyPay); locked ones say why.
#[tauri::command]
pub fn dovuti_annulla(
    state: tauri::State<'_, DeskState>,
    iuds: Vec<String>,
) -> Result<Vec<EsitoAzione>, ErroreUi> {
    let iuds = selezione(iuds)?;
    with_desk(&state, |desk| Ok(desk.cancel_many(&iuds)?))
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

    #[test]
    fn form_fields_and_selections_are_checked() {
        let input = input_di(CampiDovuto {
            importo: Some("1.234,56".into()),
            tipo: Some(" ".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(input.importo.as_deref(), Some("1.234,56"));
        assert_eq!(
            input.tipo_dovuto, None,
            "an empty select keeps the stored type"
        );
        assert!(
            input_di(CampiDovuto {
                causale: Some("x".repeat(2000)),
                ..Default::default()
            })
            .is_err()
        );
        assert!(selezione(Vec::new()).is_err());
        assert!(selezione(vec![" ".into()]).is_err());
        assert!(selezione(vec!["A".into(); MAX_SELEZIONE + 1]).is_err());
        assert_eq!(
            selezione(vec![" A1 ".into()]).unwrap(),
            vec!["A1".to_string()]
        );
    }
}
