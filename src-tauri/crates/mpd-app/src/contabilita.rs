//! The reconciliation's outputs for the finance office (issue 16 item 4): collected amounts by
//! payment type, chapter, accertamento and month; the reversal proposals of the treasury's
//! provisional receipts, saved as XLSX or CSV for the accounting package; the reconciliation
//! workbook (Riepilogo, Pagamenti, Anomalie with «Cosa fare», Proposte di reversale); MyPivot's
//! export, tracciato 1.4; each payment type's default chapter.
//!
//! Amounts go to the front ends in cents (`*_cents`), never as floats. Text that a spreadsheet
//! could run as a formula is neutralised in every file (mpd-sheets `export::neutralize`).
//!
//! The treasury's provisional receipts come from mpd-core's `Desk::provvisori` (none until the
//! treasury journal's import is connected there): with none, there are no proposals.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use mpd_core::contabilita::{PagamentoContabile, Quadro};
use mpd_domain::contabilita::{self as dominio, Proposta, Provvisorio, Raggruppamento, Voce};
use mpd_domain::testo::conta;
use mpd_sheets::export::neutralize;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use serde::Serialize;
use ts_rs::TS;

use crate::App;
use crate::errore::{Errore, Risultato};
use crate::riconciliazione::PagamentoVista;

/// One group's collected amount.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TotaleVista {
    /// The group's code: a payment type, a chapter (`capitolo/articolo`), an accertamento, a
    /// month (`yyyy-mm`); empty when not given.
    pub chiave: String,
    /// The group as the clerk reads it («capitolo non indicato», «maggio 2024»…).
    pub etichetta: String,
    /// Payments with an amount in the group (a payment split over two chapters counts in both).
    pub pagamenti: usize,
    pub importo_cents: i64,
}

/// The collected amounts (every receipt, and the esito-9 payments reconciled from the flow).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Totali {
    pub pagamenti: usize,
    pub totale_cents: i64,
    pub per_tipo: Vec<TotaleVista>,
    pub per_capitolo: Vec<TotaleVista>,
    pub per_accertamento: Vec<TotaleVista>,
    pub per_mese: Vec<TotaleVista>,
}

const MESI: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

fn etichetta(per: Raggruppamento, chiave: &str) -> String {
    if chiave.is_empty() {
        return match per {
            Raggruppamento::Tipo => "tipo dovuto non indicato",
            Raggruppamento::Capitolo => dominio::CAPITOLO_NON_INDICATO,
            Raggruppamento::Accertamento => "accertamento non indicato",
            Raggruppamento::Mese => "data non indicata",
        }
        .to_string();
    }
    match per {
        Raggruppamento::Mese => {
            let mese = chiave
                .get(5..7)
                .and_then(|m| m.parse::<usize>().ok())
                .and_then(|m| MESI.get(m.wrapping_sub(1)));
            match mese {
                Some(m) => format!("{m} {}", &chiave[..4]),
                None => chiave.to_string(),
            }
        }
        _ => chiave.to_string(),
    }
}

fn vista(per: Raggruppamento, v: Vec<dominio::Totale>) -> Vec<TotaleVista> {
    v.into_iter()
        .map(|t| TotaleVista {
            etichetta: etichetta(per, &t.chiave),
            chiave: t.chiave,
            pagamenti: t.pagamenti,
            importo_cents: t.importo_cents,
        })
        .collect()
}

fn totali_di(q: &Quadro) -> Totali {
    let r = dominio::riepilogo(&q.incassi);
    Totali {
        pagamenti: r.pagamenti,
        totale_cents: r.totale_cents,
        per_tipo: vista(Raggruppamento::Tipo, r.per_tipo),
        per_capitolo: vista(Raggruppamento::Capitolo, r.per_capitolo),
        per_accertamento: vista(Raggruppamento::Accertamento, r.per_accertamento),
        per_mese: vista(Raggruppamento::Mese, r.per_mese),
    }
}

/// The collected amounts by payment type, chapter, accertamento and month.
pub fn totali(app: &App) -> Risultato<Totali> {
    app.con_desk(|desk| Ok(totali_di(&desk.quadro()?)))
}

/// The grouping a front end named (`tipo`, `capitolo`, `accertamento`, `mese`).
pub fn raggruppamento(codice: &str) -> Risultato<Raggruppamento> {
    Raggruppamento::parse(codice).ok_or_else(|| {
        Errore::argomento(format!(
            "raggruppamento sconosciuto «{codice}»: i possibili sono {}",
            Raggruppamento::TUTTI.map(Raggruppamento::codice).join(", ")
        ))
    })
}

/// One line of a reversal proposal, as the accounting package takes it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RigaReversale {
    pub esercizio: String,
    pub numero_bolletta: String,
    /// `yyyy-mm-dd`: the provisional receipt's accounting date.
    pub data: String,
    /// Empty on the residue line and for payments without a chapter.
    pub capitolo: String,
    pub articolo: String,
    pub accertamento: String,
    pub importo_cents: i64,
    pub descrizione: String,
    /// The part of the receipt no payment covers (or, negative, their excess).
    pub residuo: bool,
}

/// The proposta di reversale of one provisional receipt.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PropostaReversale {
    pub esercizio: String,
    pub numero_bolletta: String,
    pub data: String,
    pub ordinante: String,
    pub causale: String,
    pub importo_cents: i64,
    pub coperto_cents: i64,
    pub residuo_cents: i64,
    pub pagamenti: usize,
    /// The proposal as the clerk reads it.
    pub motivo: String,
    /// Lines adding up to the receipt's amount.
    pub righe: Vec<RigaReversale>,
}

fn iso(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn proposta_vista(p: &Proposta, prov: &Provvisorio) -> PropostaReversale {
    let data = iso(prov.data_contabile);
    PropostaReversale {
        esercizio: prov.anno.clone(),
        numero_bolletta: prov.numero.clone(),
        data: data.clone(),
        ordinante: prov.ordinante.clone(),
        causale: prov.causale.clone(),
        importo_cents: prov.importo_cents,
        coperto_cents: p.coperto_cents,
        residuo_cents: p.residuo_cents,
        pagamenti: p.pagamenti.len(),
        motivo: p.motivo.clone(),
        righe: p
            .righe
            .iter()
            .map(|r| RigaReversale {
                esercizio: prov.anno.clone(),
                numero_bolletta: prov.numero.clone(),
                data: data.clone(),
                capitolo: r.voce.capitolo.clone(),
                articolo: r.voce.articolo.clone(),
                accertamento: r.voce.accertamento.clone(),
                importo_cents: r.importo_cents,
                descrizione: r.descrizione.clone(),
                residuo: r.residuo,
            })
            .collect(),
    }
}

fn proposte_di(q: &Quadro) -> Vec<PropostaReversale> {
    q.proposte
        .iter()
        .map(|p| proposta_vista(p, &q.provvisori[p.provvisorio]))
        .collect()
}

/// The reversal proposals of the treasury's provisional receipts that carry an IUF or an IUV.
pub fn proposte(app: &App) -> Risultato<Vec<PropostaReversale>> {
    app.con_desk(|desk| Ok(proposte_di(&desk.quadro()?)))
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EsitoEsportazione {
    pub percorso: String,
    /// Rows written (payments, proposal lines, MyPivot rows: the file's main content).
    pub righe: usize,
    /// The export as the clerk reads it.
    pub testo: String,
}

fn estensione(percorso: &Path) -> String {
    percorso
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn richiedi(percorso: &Path, ammesse: &[&str], cosa: &str) -> Risultato<String> {
    let est = estensione(percorso);
    if !percorso.is_absolute() || !ammesse.contains(&est.as_str()) {
        return Err(Errore::argomento(format!(
            "scelga {cosa} con il suo percorso completo"
        )));
    }
    Ok(est)
}

/// The reversal proposals' header, in Italian, as both files write it.
pub const INTESTAZIONE_REVERSALI: [&str; 8] = [
    "Esercizio",
    "Numero bolletta",
    "Data",
    "Capitolo",
    "Articolo",
    "Accertamento",
    "Importo",
    "Descrizione",
];

/// `1234,56`: the Italian decimal comma, no thousands separator (accounting packages read it).
fn importo_csv(cents: i64) -> String {
    rust_decimal::Decimal::new(cents, 2)
        .to_string()
        .replace('.', ",")
}

/// `dd/mm/yyyy` from `yyyy-mm-dd`.
fn data_it(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

/// The reversal proposals as CSV: `;`-separated, UTF-8 with a BOM (Excel reads it), Italian
/// header, dates `dd/mm/yyyy`, amounts with a decimal comma; one row per receipt × chapter ×
/// accertamento.
fn reversali_csv(proposte: &[PropostaReversale], percorso: &Path) -> Risultato<usize> {
    let mut byte = Vec::from(*b"\xEF\xBB\xBF");
    let mut n = 0;
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut byte);
        let e = |e: csv::Error| Errore::interno(e);
        w.write_record(INTESTAZIONE_REVERSALI).map_err(e)?;
        for r in proposte.iter().flat_map(|p| &p.righe) {
            w.write_record([
                neutralize(&r.esercizio).as_ref(),
                neutralize(&r.numero_bolletta).as_ref(),
                &data_it(&r.data),
                neutralize(&r.capitolo).as_ref(),
                neutralize(&r.articolo).as_ref(),
                neutralize(&r.accertamento).as_ref(),
                &importo_csv(r.importo_cents),
                neutralize(&r.descrizione).as_ref(),
            ])
            .map_err(e)?;
            n += 1;
        }
        w.flush().map_err(|e| Errore::scrittura(percorso, &e))?;
    }
    std::fs::write(percorso, byte).map_err(|e| Errore::scrittura(percorso, &e))?;
    Ok(n)
}

/// Saves the reversal proposals as `.xlsx` (sheet «Proposte di reversale») or `.csv` (see
/// [`reversali_csv`]) at `percorso`, chosen by its extension.
pub fn salva_proposte(app: &App, percorso: &Path) -> Risultato<EsitoEsportazione> {
    let est = richiedi(
        percorso,
        &["xlsx", "csv"],
        "un file Excel (.xlsx) o CSV (.csv)",
    )?;
    let proposte = proposte(app)?;
    let righe = if est == "csv" {
        reversali_csv(&proposte, percorso)?
    } else {
        let mut wb = Workbook::new();
        let f = Formati::new();
        foglio_proposte(wb.add_worksheet(), &f, &proposte)
            .and_then(|n| wb.save(percorso).map(|_| n))
            .map_err(|e| Errore::scrittura_documento(percorso, &e))?
    };
    let testo = if proposte.is_empty() {
        "Nessuna proposta di reversale: non ci sono provvisori di tesoreria con un riferimento pagoPA; il file ha solo l'intestazione.".to_string()
    } else {
        format!(
            "{} ({}) salvate in {}.",
            conta(
                proposte.len(),
                "proposta di reversale",
                "proposte di reversale"
            ),
            conta(righe, "riga", "righe"),
            percorso.display()
        )
    };
    Ok(EsitoEsportazione {
        percorso: percorso.display().to_string(),
        righe,
        testo,
    })
}

/// What the clerk should do about a payment in state `stato` (the state's code; states this
/// version does not know get a general answer).
pub fn cosa_fare(stato: &str) -> &'static str {
    match stato {
        "pagato" => {
            "Attenda il flusso di rendicontazione del PSP (di solito entro due giorni lavorativi); se non arriva dopo una settimana, chieda al PSP il flusso che riporta il pagamento."
        }
        "rendicontato" => {
            "Nulla: attenda il riversamento in tesoreria e lo abbini alla proposta di reversale."
        }
        "importo_diverso" => {
            "Chieda al PSP il motivo dell'importo diverso (commissioni trattenute, rettifica, errore) e una rendicontazione corretta; nel frattempo non regolarizzi il provvisorio per la differenza."
        }
        "senza_ricevuta" => {
            "Scarichi di nuovo le ricevute da MyPay; se la ricevuta manca ancora, verifichi che lo IUV sia dell'Ente e chieda al PSP la ricevuta del pagamento."
        }
        "doppio" => {
            "Verifichi con il PSP se il pagamento è stato riversato due volte; se sì, chieda lo storno o predisponga il rimborso al pagatore."
        }
        "incassato" => "Nulla: il pagamento è rendicontato e riversato in tesoreria.",
        _ => {
            "Verifichi il pagamento con il PSP e con il tesoriere, partendo dal motivo indicato; se non si chiarisce, lo segnali all'assistenza di MyPay."
        }
    }
}

/// Cell formats shared by the sheets.
struct Formati {
    intestazione: Format,
    euro: Format,
    data: Format,
    titolo: Format,
}

impl Formati {
    fn new() -> Formati {
        Formati {
            intestazione: Format::new().set_bold().set_background_color(0xD9E1F2),
            euro: Format::new().set_num_format("#,##0.00"),
            data: Format::new().set_num_format("dd/mm/yyyy"),
            titolo: Format::new().set_bold().set_font_size(14),
        }
    }
}

/// A cell of the workbook.
enum Cella {
    Testo(String),
    Euro(i64),
    /// `yyyy-mm-dd` (else written as text).
    Data(String),
}

fn testo(s: impl Into<String>) -> Cella {
    Cella::Testo(s.into())
}

/// A table from row `da`: headers, rows, an autofilter; returns the rows written.
fn tabella(
    ws: &mut Worksheet,
    f: &Formati,
    da: u32,
    intestazioni: &[(&str, f64)],
    righe: Vec<Vec<Cella>>,
) -> Result<usize, XlsxError> {
    for (c, (h, w)) in intestazioni.iter().enumerate() {
        ws.write_string_with_format(da, c as u16, *h, &f.intestazione)?;
        ws.set_column_width(c as u16, *w)?;
    }
    let n = righe.len();
    for (i, r) in righe.into_iter().enumerate() {
        let row = da + 1 + i as u32;
        for (c, v) in r.into_iter().enumerate() {
            let c = c as u16;
            match v {
                Cella::Testo(t) if t.is_empty() => {}
                Cella::Testo(t) => {
                    ws.write_string(row, c, neutralize(&t))?;
                }
                Cella::Euro(cents) => {
                    ws.write_number_with_format(row, c, cents as f64 / 100.0, &f.euro)?;
                }
                Cella::Data(iso) => match NaiveDate::parse_from_str(&iso, "%Y-%m-%d") {
                    Ok(d) => {
                        ws.write_date_with_format(row, c, d, &f.data)?;
                    }
                    Err(_) if iso.is_empty() => {}
                    Err(_) => {
                        ws.write_string(row, c, neutralize(&iso))?;
                    }
                },
            }
        }
    }
    if !intestazioni.is_empty() {
        ws.autofilter(da, 0, da + n as u32, intestazioni.len() as u16 - 1)?;
    }
    Ok(n)
}

fn foglio_proposte(
    ws: &mut Worksheet,
    f: &Formati,
    proposte: &[PropostaReversale],
) -> Result<usize, XlsxError> {
    ws.set_name("Proposte di reversale")?;
    ws.set_freeze_panes(1, 0)?;
    let larghezze = [10.0, 16.0, 12.0, 12.0, 10.0, 16.0, 14.0, 70.0];
    let intestazioni: Vec<(&str, f64)> = INTESTAZIONE_REVERSALI
        .iter()
        .copied()
        .zip(larghezze)
        .collect();
    let righe = proposte
        .iter()
        .flat_map(|p| &p.righe)
        .map(|r| {
            vec![
                testo(&r.esercizio),
                testo(&r.numero_bolletta),
                Cella::Data(r.data.clone()),
                testo(&r.capitolo),
                testo(&r.articolo),
                testo(&r.accertamento),
                Cella::Euro(r.importo_cents),
                testo(&r.descrizione),
            ]
        })
        .collect();
    tabella(ws, f, 0, &intestazioni, righe)
}

fn riepilogo(ws: &mut Worksheet, f: &Formati, t: &Totali, ente: &str) -> Result<(), XlsxError> {
    ws.set_name("Riepilogo")?;
    ws.set_column_width(0, 34.0)?;
    ws.set_column_width(1, 12.0)?;
    ws.set_column_width(2, 16.0)?;
    ws.write_string_with_format(0, 0, format!("Riconciliazione — {ente}"), &f.titolo)?;
    ws.write_string(1, 0, "Pagamenti incassati")?;
    ws.write_number(1, 1, t.pagamenti as f64)?;
    ws.write_number_with_format(1, 2, t.totale_cents as f64 / 100.0, &f.euro)?;
    let mut riga = 3u32;
    for (titolo, gruppo) in [
        ("Per tipo dovuto", &t.per_tipo),
        ("Per capitolo", &t.per_capitolo),
        ("Per accertamento", &t.per_accertamento),
        ("Per mese", &t.per_mese),
    ] {
        ws.write_string_with_format(riga, 0, titolo, &f.intestazione)?;
        ws.write_string_with_format(riga, 1, "Pagamenti", &f.intestazione)?;
        ws.write_string_with_format(riga, 2, "Importo", &f.intestazione)?;
        riga += 1;
        for v in gruppo {
            ws.write_string(riga, 0, neutralize(&v.etichetta))?;
            ws.write_number(riga, 1, v.pagamenti as f64)?;
            ws.write_number_with_format(riga, 2, v.importo_cents as f64 / 100.0, &f.euro)?;
            riga += 1;
        }
        ws.write_string(riga, 0, "Totale")?;
        ws.write_number_with_format(
            riga,
            2,
            gruppo.iter().map(|v| v.importo_cents).sum::<i64>() as f64 / 100.0,
            &f.euro,
        )?;
        riga += 2;
    }
    Ok(())
}

/// The columns of the «Pagamenti» and «Anomalie» sheets (the latter adds «Cosa fare»).
const COLONNE_PAGAMENTI: [(&str, f64); 12] = [
    ("IUV", 20.0),
    ("IUR", 26.0),
    ("Data", 12.0),
    ("Importo", 14.0),
    ("Importo rendicontato", 14.0),
    ("Tipo dovuto", 12.0),
    ("Capitoli", 24.0),
    ("Flussi (IUF)", 36.0),
    ("Pagatore", 28.0),
    ("Stato", 28.0),
    ("Motivo", 70.0),
    ("Etichette MyPivot", 40.0),
];

fn celle_pagamento(p: &PagamentoContabile, q: &Quadro) -> (PagamentoVista, Vec<Cella>) {
    let v = PagamentoVista::from(p.riconciliato.clone());
    let capitoli: BTreeSet<String> = p
        .incasso
        .map(|i| {
            q.incassi[i]
                .imputazioni
                .iter()
                .map(|x| x.voce.capitolo_leggibile())
                .collect()
        })
        .unwrap_or_default();
    let celle = vec![
        testo(&v.iuv),
        testo(&v.iur),
        Cella::Data(v.data_esito.clone()),
        v.importo_cents.map_or(testo(""), Cella::Euro),
        v.importo_rendicontato_cents.map_or(testo(""), Cella::Euro),
        testo(&p.tipo_dovuto),
        testo(capitoli.into_iter().collect::<Vec<_>>().join(", ")),
        testo(v.iuf.join(", ")),
        testo(&v.pagatore),
        testo(v.etichetta),
        testo(&v.motivo),
        testo(
            p.etichette
                .iter()
                .map(|e| e.codice())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    (v, celle)
}

/// One payment with its state, its allocation and MyPivot's labels.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PagamentoEtichettato {
    #[serde(flatten)]
    pub pagamento: PagamentoVista,
    pub tipo_dovuto: String,
    /// The chapters its amount goes to («capitolo non indicato» when none).
    pub capitoli: Vec<String>,
    /// MyPivot's labels (`RT_IUF`, `IUF_NO_TES`…), not exclusive.
    pub etichette: Vec<String>,
}

/// Every payment with its state, reason, allocation and MyPivot labels.
pub fn pagamenti(app: &App) -> Risultato<Vec<PagamentoEtichettato>> {
    let q = app.con_desk(|desk| Ok(desk.quadro()?))?;
    Ok(q.pagamenti
        .iter()
        .map(|p| PagamentoEtichettato {
            pagamento: PagamentoVista::from(p.riconciliato.clone()),
            tipo_dovuto: p.tipo_dovuto.clone(),
            capitoli: p
                .incasso
                .map(|i| {
                    q.incassi[i]
                        .imputazioni
                        .iter()
                        .map(|x| x.voce.capitolo_leggibile())
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect()
                })
                .unwrap_or_default(),
            etichette: p.etichette.iter().map(|e| e.codice().to_string()).collect(),
        })
        .collect())
}

/// The whole reconciliation with MyPivot's labels: every payment (those in `stato` only, when
/// given) with its state, reason, chapters and labels; every treasury entry with its match or
/// why not; the totals by state (over all payments).
#[derive(Debug, Clone, Serialize, TS)]
pub struct RiconciliazioneEtichettata {
    pub pagamenti: Vec<PagamentoEtichettato>,
    pub movimenti: Vec<crate::tesoreria::MovimentoVista>,
    pub totali: Vec<crate::tesoreria::TotaleStato>,
}

/// [`RiconciliazioneEtichettata`]: the treasury side of [`crate::tesoreria::riconciliazione`]
/// and the payments of [`pagamenti`], in the same order.
pub fn riconciliazione_etichettata(
    app: &App,
    stato: Option<&str>,
) -> Risultato<RiconciliazioneEtichettata> {
    let r = crate::tesoreria::riconciliazione(app, stato)?;
    let filtro = stato
        .map(crate::riconciliazione::StatoPagamento::parse)
        .transpose()?;
    let pagamenti = pagamenti(app)?
        .into_iter()
        .filter(|p| filtro.is_none_or(|s| p.pagamento.stato == s))
        .collect();
    Ok(RiconciliazioneEtichettata {
        pagamenti,
        movimenti: r.movimenti,
        totali: r.totali,
    })
}

/// The reconciliation as one workbook at `percorso` (`.xlsx`): «Riepilogo» (collected amounts
/// by type, chapter, accertamento, month), «Pagamenti» (each payment with its state, reason and
/// MyPivot labels), «Anomalie» (the payments to look into, with «Cosa fare»), «Proposte di
/// reversale».
pub fn esporta_riconciliazione(app: &App, percorso: &Path) -> Risultato<EsitoEsportazione> {
    richiedi(percorso, &["xlsx"], "un file Excel (.xlsx)")?;
    let (q, ente) = app.con_desk(|desk| {
        let ente = desk.ente()?.map(|e| e.denominazione).unwrap_or_default();
        Ok((desk.quadro()?, ente))
    })?;
    let totali = totali_di(&q);
    let proposte = proposte_di(&q);
    let mut pagamenti = Vec::with_capacity(q.pagamenti.len());
    let mut anomalie = Vec::new();
    for p in &q.pagamenti {
        let (v, celle) = celle_pagamento(p, &q);
        if v.anomalia {
            let (_, mut a) = celle_pagamento(p, &q);
            a.push(testo(cosa_fare(p.riconciliato.stato.codice())));
            anomalie.push(a);
        }
        pagamenti.push(celle);
    }
    let n_pagamenti = pagamenti.len();
    let n_anomalie = anomalie.len();
    let f = Formati::new();
    let scrivi = || -> Result<(), XlsxError> {
        let mut wb = Workbook::new();
        riepilogo(wb.add_worksheet(), &f, &totali, &ente)?;
        let ws = wb.add_worksheet();
        ws.set_name("Pagamenti")?;
        ws.set_freeze_panes(1, 0)?;
        tabella(ws, &f, 0, &COLONNE_PAGAMENTI, pagamenti)?;
        let ws = wb.add_worksheet();
        ws.set_name("Anomalie")?;
        ws.set_freeze_panes(1, 0)?;
        let mut colonne = COLONNE_PAGAMENTI.to_vec();
        colonne.push(("Cosa fare", 80.0));
        tabella(ws, &f, 0, &colonne, anomalie)?;
        foglio_proposte(wb.add_worksheet(), &f, &proposte)?;
        wb.save(percorso)
    };
    scrivi().map_err(|e| Errore::scrittura_documento(percorso, &e))?;
    Ok(EsitoEsportazione {
        percorso: percorso.display().to_string(),
        righe: n_pagamenti,
        testo: format!(
            "Riconciliazione salvata in {}: {}, {}, {}.",
            percorso.display(),
            conta(n_pagamenti, "pagamento", "pagamenti"),
            conta(n_anomalie, "anomalia", "anomalie"),
            conta(
                proposte.len(),
                "proposta di reversale",
                "proposte di reversale"
            )
        ),
    })
}

/// MyPivot's reconciliation export, tracciato 1.4, at `percorso` (a `.zip` holding the
/// same-named CSV; the zip's name is the clerk's choice, the CSV's MyPivot's:
/// `<codIpa>-<id>_ESTRAZIONE_RICONCILIAZIONE_<yyyyMMddHHmmss>-1.4.csv`). With `con_notifiche` the
/// I-block (the Ente's debts, 141 columns), else 120 columns; `finestra`: only data acquired
/// after 1 January of last year, as MyPivot's patch 0007.
pub fn esporta_mypivot(
    app: &App,
    percorso: &Path,
    con_notifiche: bool,
    finestra: bool,
) -> Risultato<EsitoEsportazione> {
    richiedi(percorso, &["zip"], "un file .zip")?;
    let n = app.con_desk(|desk| Ok(desk.esporta_mypivot(percorso, con_notifiche, finestra)?))?;
    Ok(EsitoEsportazione {
        percorso: percorso.display().to_string(),
        righe: n,
        testo: format!(
            "Estrazione per MyPivot (tracciato 1.4, {} colonne) salvata in {}: {}.",
            if con_notifiche { 141 } else { 120 },
            percorso.display(),
            conta(n, "riga", "righe")
        ),
    })
}

/// A payment type's default chapter, for payments whose debt has no `bilancio`.
#[derive(Debug, Clone, Serialize, serde::Deserialize, TS)]
pub struct CapitoloTipo {
    pub tipo_dovuto: String,
    pub capitolo: String,
    pub articolo: String,
    pub accertamento: String,
    pub ufficio: String,
}

/// The default chapter of each payment type that has one.
pub fn capitoli_tipi(app: &App) -> Risultato<Vec<CapitoloTipo>> {
    app.con_desk(|desk| {
        let mut v: Vec<CapitoloTipo> = desk
            .voci_predefinite()?
            .into_iter()
            .map(|(tipo_dovuto, v)| CapitoloTipo {
                tipo_dovuto,
                capitolo: v.capitolo,
                articolo: v.articolo,
                accertamento: v.accertamento,
                ufficio: v.ufficio,
            })
            .collect();
        v.sort_by(|a, b| a.tipo_dovuto.cmp(&b.tipo_dovuto));
        Ok(v)
    })
}

/// Sets (or, with an empty chapter, removes) a payment type's default chapter, article,
/// accertamento and office; returns every type's.
pub fn imposta_capitolo_tipo(app: &App, c: CapitoloTipo) -> Risultato<Vec<CapitoloTipo>> {
    app.con_desk(|desk| {
        desk.imposta_voce_predefinita(
            c.tipo_dovuto.trim(),
            &Voce {
                capitolo: c.capitolo.trim().to_string(),
                articolo: c.articolo.trim().to_string(),
                accertamento: c.accertamento.trim().to_string(),
                ufficio: c.ufficio.trim().to_string(),
            },
        )?;
        Ok(())
    })?;
    capitoli_tipi(app)
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    Totali::export_all(cfg)?;
    PagamentoEtichettato::export_all(cfg)?;
    RiconciliazioneEtichettata::export_all(cfg)?;
    PropostaReversale::export_all(cfg)?;
    EsitoEsportazione::export_all(cfg)?;
    CapitoloTipo::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests;
