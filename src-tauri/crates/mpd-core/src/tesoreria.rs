//! The treasury journal in (issue 16): a file read in the format given or recognised from its
//! content, every row checked, then stored in one transaction (mpd-store `tesoreria`: the
//! same journal again adds nothing, a corrected one replaces the old, a storno removes its
//! entry). A file with a bad row stores nothing and names every bad row and field.
//!
//! Text and XML journals are read whole (a year of a large Ente's treasury is a few megabytes;
//! refused above [`MAX_BYTE_TESORERIA`]); a workbook goes through mpd-sheets, which guards
//! against hostile files before calamine loads it, sheet `MOVIMENTI` when there is one.

use std::io::Read;
use std::path::Path;

use mpd_store::tesoreria::{NuovoGiornale, NuovoMovimento, SalvataggioGiornale};
use mpd_tracciato::tesoreria::{self, ErroreTesoreria, Formato, Giornale, Ignorata};
use rust_decimal::Decimal;

use crate::files::open_file;
use crate::{CoreError, Desk, Result};

/// Largest text or XML journal read.
pub const MAX_BYTE_TESORERIA: u64 = 128 << 20;

/// What importing a journal did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TesoreriaImportata {
    pub file: String,
    pub formato: Formato,
    /// The format was recognised from the content (not given).
    pub riconosciuto: bool,
    pub identita: String,
    pub salvataggio: SalvataggioGiornale,
    /// Entries read (storni apart).
    pub movimenti: usize,
    pub storni: usize,
    /// Rows the format leaves out on purpose, with the reason.
    pub ignorate: Vec<Ignorata>,
    /// What the clerk should know about how the file was read.
    pub note: Vec<String>,
}

fn nome_file(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn cents(d: Decimal) -> Option<i64> {
    i64::try_from((d * Decimal::ONE_HUNDRED).round_dp(0)).ok()
}

fn rifiutato(nome: &str, e: ErroreTesoreria) -> CoreError {
    CoreError::Invalid(format!("{nome}: {e}. Nessun movimento è stato importato"))
}

fn leggi_foglio(path: &Path) -> Result<Giornale> {
    let nome = nome_file(path);
    let errore = |e: mpd_sheets::SheetError| {
        tracing::warn!(file = nome, dettaglio = ?e, "giornale di tesoreria non leggibile");
        match e {
            mpd_sheets::SheetError::RecordTooLarge { .. }
            | mpd_sheets::SheetError::Unsafe { .. }
            | mpd_sheets::SheetError::TooLarge { .. } => CoreError::UnusableFile(e.to_string()),
            _ => CoreError::Invalid(e.to_string()),
        }
    };
    let stream = match mpd_sheets::source::open(path, Some(tesoreria::xls::FOGLIO)) {
        Ok(s) => s,
        Err(mpd_sheets::SheetError::NoSuchSheet { .. }) => {
            mpd_sheets::source::open(path, None).map_err(errore)?
        }
        Err(e) => return Err(errore(e)),
    };
    let mut righe = Vec::new();
    for riga in stream {
        let riga = riga.map_err(errore)?;
        let celle = riga
            .cells
            .iter()
            .map(|c| match c {
                mpd_sheets::Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
                altro => altro.display(),
            })
            .collect();
        righe.push((riga.number, celle));
    }
    tesoreria::xls::leggi_righe(righe).map_err(|e| rifiutato(&nome, e))
}

fn da_salvare(g: &Giornale, file: String) -> std::result::Result<NuovoGiornale, String> {
    let movimenti = g
        .movimenti
        .iter()
        .map(|m| {
            Ok(NuovoMovimento {
                riga: m.riga as i64,
                anno: m.anno,
                bolletta: m.bolletta.clone(),
                data_contabile: m.data_contabile.format("%Y-%m-%d").to_string(),
                data_valuta: m.data_valuta.format("%Y-%m-%d").to_string(),
                importo_cents: cents(m.importo)
                    .ok_or_else(|| format!("riga {}: importo fuori scala", m.riga))?,
                ordinante: m.ordinante.clone(),
                causale: m.causale.clone(),
                iuf: m.iuf.clone(),
                iuv: m.iuv.clone(),
                lettura: m.lettura.clone(),
                sospeso_data: m
                    .sospeso
                    .as_ref()
                    .and_then(|s| s.data)
                    .map(|d| d.format("%Y-%m-%d").to_string()),
                sospeso_codice: m
                    .sospeso
                    .as_ref()
                    .map(|s| s.codice.clone())
                    .filter(|c| !c.is_empty()),
                storno: m.storno,
            })
        })
        .collect::<std::result::Result<Vec<_>, String>>()?;
    Ok(NuovoGiornale {
        formato: g.formato.codice().to_string(),
        identita: g.identita.clone(),
        impronta: g.impronta.clone(),
        file,
        movimenti,
    })
}

impl Desk {
    /// `treasury import`: one journal read (in `formato`, else recognised from its content)
    /// and stored in one transaction. `mappatura` holds the clerk's `campo=colonna` changes
    /// for a CSV giornale di cassa.
    pub fn importa_tesoreria(
        &mut self,
        path: &Path,
        formato: Option<Formato>,
        mappatura: &[String],
    ) -> Result<TesoreriaImportata> {
        let nome = nome_file(path);
        let mut inizio = Vec::with_capacity(4096);
        open_file(path)?
            .take(4096)
            .read_to_end(&mut inizio)
            .map_err(|source| CoreError::Read {
                path: path.display().to_string(),
                source,
            })?;
        if inizio.is_empty() {
            return Err(CoreError::Invalid(format!("{nome}: il file è vuoto")));
        }
        let riconosciuto = tesoreria::riconosci(&inizio);
        let scelto = formato.unwrap_or(riconosciuto);
        if !mappatura.is_empty() && scelto != Formato::Csv {
            return Err(CoreError::Invalid(format!(
                "{nome}: l'abbinamento delle colonne vale solo per il giornale di cassa CSV, e il file è un {}",
                scelto.nome()
            )));
        }
        let giornale = if scelto == Formato::Xls {
            if riconosciuto != Formato::Xls {
                return Err(CoreError::Invalid(format!(
                    "{nome}: non è un file Excel ma un {}",
                    riconosciuto.nome()
                )));
            }
            leggi_foglio(path)?
        } else {
            if riconosciuto == Formato::Xls {
                return Err(CoreError::Invalid(format!(
                    "{nome}: è un file Excel, non un {}",
                    scelto.nome()
                )));
            }
            let mut bytes = Vec::new();
            open_file(path)?
                .take(MAX_BYTE_TESORERIA + 1)
                .read_to_end(&mut bytes)
                .map_err(|source| CoreError::Read {
                    path: path.display().to_string(),
                    source,
                })?;
            if bytes.len() as u64 > MAX_BYTE_TESORERIA {
                return Err(CoreError::UnusableFile(format!(
                    "{nome}: il file supera {} MB, troppo grande per un giornale di cassa",
                    MAX_BYTE_TESORERIA >> 20
                )));
            }
            tesoreria::leggi_testo(scelto, &bytes, mappatura).map_err(|e| rifiutato(&nome, e))?
        };
        let nuovo = da_salvare(&giornale, nome.clone()).map_err(|e| {
            CoreError::Invalid(format!("{nome}: {e}. Nessun movimento è stato importato"))
        })?;
        let now = self.now();
        let salvataggio = self.store.salva_giornale(&nuovo, now)?;
        let storni = giornale.movimenti.iter().filter(|m| m.storno).count();
        Ok(TesoreriaImportata {
            file: nome,
            formato: scelto,
            riconosciuto: formato.is_none(),
            identita: giornale.identita,
            salvataggio,
            movimenti: giornale.movimenti.len() - storni,
            storni,
            ignorate: giornale.ignorate,
            note: giornale.note,
        })
    }
}

#[cfg(test)]
mod tests;
