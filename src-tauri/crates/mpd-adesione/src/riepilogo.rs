//! The contribution's summary report: the computation, the expense items and the tracked
//! amounts (requested, granted, received), as PDF (through [`crate::documento`]) and XLSX.
//!
//! The XLSX writes amounts as numbers with a euro format, converted from `Decimal` only at
//! the cell (the spreadsheet needs an f64; cents survive the round trip), and codes as text.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;

use crate::contributo::{Esito, Misura, Stima, Valore, format_euro};
use crate::documento::{Blocco, Documento};
use crate::{AdesioneError, Result};

/// What a tracked amount is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TipoMovimento {
    Richiesto,
    Concesso,
    Incassato,
}

impl TipoMovimento {
    pub const ALL: [TipoMovimento; 3] = [
        TipoMovimento::Richiesto,
        TipoMovimento::Concesso,
        TipoMovimento::Incassato,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TipoMovimento::Richiesto => "richiesto",
            TipoMovimento::Concesso => "concesso",
            TipoMovimento::Incassato => "incassato",
        }
    }

    pub fn parse(s: &str) -> Option<TipoMovimento> {
        let s = s.trim().to_ascii_lowercase();
        TipoMovimento::ALL.into_iter().find(|t| t.code() == s)
    }
}

impl Serialize for TipoMovimento {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// A requested, granted or received amount with its date and reference (decree, reversal…).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Movimento {
    pub id: Option<i64>,
    pub tipo: TipoMovimento,
    pub importo: Decimal,
    pub data: NaiveDate,
    pub riferimento: Option<String>,
}

/// Sums per kind of amount.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Totali {
    pub richiesto: Decimal,
    pub concesso: Decimal,
    pub incassato: Decimal,
    /// Granted but not yet received.
    pub da_incassare: Decimal,
}

/// Everything the report shows.
#[derive(Clone, Debug, Serialize)]
pub struct Riepilogo {
    pub ente: String,
    pub misura: String,
    pub atto: String,
    pub esito: Esito,
    pub stima: Stima,
    pub movimenti: Vec<Movimento>,
    pub totali: Totali,
}

impl Riepilogo {
    pub fn new(
        ente: &str,
        misura: &Misura,
        esito: Esito,
        stima: Stima,
        movimenti: Vec<Movimento>,
    ) -> Riepilogo {
        let sum = |t: TipoMovimento| {
            movimenti
                .iter()
                .filter(|m| m.tipo == t)
                .map(|m| m.importo)
                .sum::<Decimal>()
        };
        let (richiesto, concesso, incassato) = (
            sum(TipoMovimento::Richiesto),
            sum(TipoMovimento::Concesso),
            sum(TipoMovimento::Incassato),
        );
        Riepilogo {
            ente: ente.to_string(),
            misura: misura.nome.clone(),
            atto: misura.atto.clone(),
            esito,
            stima,
            totali: Totali {
                richiesto,
                concesso,
                incassato,
                da_incassare: (concesso - incassato).max(Decimal::ZERO),
            },
            movimenti,
        }
    }

    /// The report as a document (rendered to PDF).
    pub fn documento(&self) -> Documento {
        let e = &self.esito;
        let opt = |d: Option<Decimal>| d.map(format_euro).unwrap_or_else(|| "—".into());
        let mut b = vec![
            Blocco::Campi(vec![
                ("Ente".into(), self.ente.clone()),
                ("Misura".into(), format!("{} ({})", self.misura, self.atto)),
            ]),
            Blocco::Sezione("Calcolo".into()),
            Blocco::Paragrafo(e.motivo.clone()),
            Blocco::Campi(vec![
                ("Spesa stimata".into(), opt(e.spesa)),
                ("Spesa ammessa".into(), opt(e.spesa_ammessa)),
                ("Percentuale".into(), format!("{}%", e.percentuale)),
                ("Contributo".into(), opt(e.contributo)),
            ]),
        ];
        if e.provvisorio || !e.avvisi.is_empty() {
            let mut items = e.avvisi.clone();
            if e.provvisorio {
                items.insert(0, "risultato provvisorio".into());
            }
            b.push(Blocco::Elenco(items));
        }
        b.push(Blocco::Sezione("Voci di spesa".into()));
        b.push(Blocco::Tabella {
            intestazioni: [
                "Voce",
                "Tipo",
                "Fornitore",
                "Riferimento",
                "Data",
                "Importo",
                "Nota",
            ]
            .map(String::from)
            .to_vec(),
            righe: self
                .stima
                .righe
                .iter()
                .map(|r| {
                    let tipo = match &r.voce.valore {
                        Valore::Preventivo { .. } => "preventivo".to_string(),
                        Valore::CostoStandard { codice, quantita } => {
                            format!("costo standard «{codice}» × {quantita}")
                        }
                    };
                    vec![
                        r.voce.descrizione.clone(),
                        tipo,
                        r.voce.fornitore.clone().unwrap_or_default(),
                        r.voce.riferimento.clone().unwrap_or_default(),
                        r.voce
                            .data
                            .map(|d| d.format("%d/%m/%Y").to_string())
                            .unwrap_or_default(),
                        opt(r.importo),
                        r.nota.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        });
        b.push(Blocco::Campi(vec![(
            "Totale spesa stimata".into(),
            format_euro(self.stima.totale),
        )]));
        b.push(Blocco::Sezione(
            "Importi richiesti, concessi, incassati".into(),
        ));
        b.push(Blocco::Tabella {
            intestazioni: ["Data", "Tipo", "Importo", "Riferimento"]
                .map(String::from)
                .to_vec(),
            righe: self
                .movimenti
                .iter()
                .map(|m| {
                    vec![
                        m.data.format("%d/%m/%Y").to_string(),
                        m.tipo.code().to_string(),
                        format_euro(m.importo),
                        m.riferimento.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        });
        b.push(Blocco::Campi(vec![
            ("Richiesto".into(), format_euro(self.totali.richiesto)),
            ("Concesso".into(), format_euro(self.totali.concesso)),
            ("Incassato".into(), format_euro(self.totali.incassato)),
            ("Da incassare".into(), format_euro(self.totali.da_incassare)),
        ]));
        if !e.da_verificare.is_empty() {
            b.push(Blocco::Sezione("Da verificare sull'atto".into()));
            b.push(Blocco::Elenco(e.da_verificare.clone()));
        }
        Documento {
            file: "riepilogo-contributo".into(),
            titolo: format!("Contributo regionale – {}", self.ente),
            blocchi: b,
        }
    }

    /// The report as an Excel workbook: a summary sheet, the items, the amounts.
    pub fn xlsx(&self) -> Result<Vec<u8>> {
        let fail = |e: rust_xlsxwriter::XlsxError| {
            AdesioneError::Documento(format!("riepilogo-contributo.xlsx: {e}"))
        };
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold();
        let euro = Format::new().set_num_format("#,##0.00 €");
        let num = |d: Decimal| d.to_f64().unwrap_or_default();
        let e = &self.esito;
        {
            let ws = wb.add_worksheet();
            ws.set_name("Riepilogo").map_err(fail)?;
            ws.set_column_width(0, 28).map_err(fail)?;
            ws.set_column_width(1, 70).map_err(fail)?;
            let rows: Vec<(&str, Option<Decimal>, String)> = vec![
                ("Ente", None, self.ente.clone()),
                ("Misura", None, format!("{} ({})", self.misura, self.atto)),
                ("Motivo", None, e.motivo.clone()),
                ("Percentuale", None, format!("{}%", e.percentuale)),
                (
                    "Provvisorio",
                    None,
                    if e.provvisorio { "sì" } else { "no" }.into(),
                ),
                ("Spesa stimata", e.spesa, String::new()),
                ("Spesa ammessa", e.spesa_ammessa, String::new()),
                ("Contributo", e.contributo, String::new()),
                ("Richiesto", Some(self.totali.richiesto), String::new()),
                ("Concesso", Some(self.totali.concesso), String::new()),
                ("Incassato", Some(self.totali.incassato), String::new()),
                (
                    "Da incassare",
                    Some(self.totali.da_incassare),
                    String::new(),
                ),
            ];
            for (i, (label, amount, text)) in rows.into_iter().enumerate() {
                let r = i as u32;
                ws.write_string_with_format(r, 0, label, &bold)
                    .map_err(fail)?;
                match amount {
                    Some(d) => ws
                        .write_number_with_format(r, 1, num(d), &euro)
                        .map_err(fail)?,
                    None => ws.write_string(r, 1, text).map_err(fail)?,
                };
            }
        }
        {
            let ws = wb.add_worksheet();
            ws.set_name("Voci di spesa").map_err(fail)?;
            for (c, h) in [
                "Voce",
                "Tipo",
                "Codice costo standard",
                "Quantità",
                "Fornitore",
                "Riferimento",
                "Data",
                "Importo",
                "Nota",
            ]
            .iter()
            .enumerate()
            {
                ws.write_string_with_format(0, c as u16, *h, &bold)
                    .map_err(fail)?;
            }
            for (i, r) in self.stima.righe.iter().enumerate() {
                let row = i as u32 + 1;
                ws.write_string(row, 0, &r.voce.descrizione).map_err(fail)?;
                match &r.voce.valore {
                    Valore::Preventivo { .. } => {
                        ws.write_string(row, 1, "preventivo").map_err(fail)?;
                    }
                    Valore::CostoStandard { codice, quantita } => {
                        ws.write_string(row, 1, "costo standard").map_err(fail)?;
                        ws.write_string(row, 2, codice).map_err(fail)?;
                        ws.write_number(row, 3, f64::from(*quantita))
                            .map_err(fail)?;
                    }
                }
                ws.write_string(row, 4, r.voce.fornitore.as_deref().unwrap_or(""))
                    .map_err(fail)?;
                ws.write_string(row, 5, r.voce.riferimento.as_deref().unwrap_or(""))
                    .map_err(fail)?;
                ws.write_string(
                    row,
                    6,
                    r.voce
                        .data
                        .map(|d| d.format("%d/%m/%Y").to_string())
                        .unwrap_or_default(),
                )
                .map_err(fail)?;
                if let Some(d) = r.importo {
                    ws.write_number_with_format(row, 7, num(d), &euro)
                        .map_err(fail)?;
                }
                ws.write_string(row, 8, r.nota.as_deref().unwrap_or(""))
                    .map_err(fail)?;
            }
            let total_row = self.stima.righe.len() as u32 + 1;
            ws.write_string_with_format(total_row, 0, "Totale", &bold)
                .map_err(fail)?;
            ws.write_number_with_format(total_row, 7, num(self.stima.totale), &euro)
                .map_err(fail)?;
        }
        {
            let ws = wb.add_worksheet();
            ws.set_name("Importi").map_err(fail)?;
            for (c, h) in ["Data", "Tipo", "Importo", "Riferimento"]
                .iter()
                .enumerate()
            {
                ws.write_string_with_format(0, c as u16, *h, &bold)
                    .map_err(fail)?;
            }
            for (i, m) in self.movimenti.iter().enumerate() {
                let row = i as u32 + 1;
                ws.write_string(row, 0, m.data.format("%d/%m/%Y").to_string())
                    .map_err(fail)?;
                ws.write_string(row, 1, m.tipo.code()).map_err(fail)?;
                ws.write_number_with_format(row, 2, num(m.importo), &euro)
                    .map_err(fail)?;
                ws.write_string(row, 3, m.riferimento.as_deref().unwrap_or(""))
                    .map_err(fail)?;
            }
        }
        wb.save_to_buffer().map_err(fail)
    }

    /// Writes `riepilogo-contributo.pdf` and `.xlsx` into `dir`.
    pub fn scrivi(&self, dir: &Path, oggi: NaiveDate) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|source| AdesioneError::Write {
            path: dir.display().to_string(),
            source,
        })?;
        let d = self.documento();
        Ok(vec![
            crate::write_file(
                &dir.join("riepilogo-contributo.pdf"),
                &crate::pdf::pdf(&d, oggi)?,
            )?,
            crate::write_file(&dir.join("riepilogo-contributo.xlsx"), &self.xlsx()?)?,
        ])
    }
}
