//! Resoconto: the one-page report for the ragioneria or the mayor (issue 13 item 21), on
//! screen, as a PDF and as an Excel workbook.
//!
//! Expected, collected, outstanding and overdue amounts by payment type and by month of the
//! due date, and the payers with overdue debts for the reminders. The figures come from the
//! store ([`mpd_store::rapporto`], where the rules are written); this module names the types,
//! writes the notes and draws the two documents. The report's date is passed in (`None`: the
//! desk's today), never read from the clock here.

use std::path::Path;

use chrono::NaiveDate;
use mpd_adesione::pdf::{self, LEFT, Line, PAGE_W};
use mpd_domain::money::format_it;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, FormatAlign, Formula, Workbook, Worksheet, XlsxError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::App;
use crate::errore::{Codice, Errore, Risultato};

/// Amounts of one group of expected debts (cents; counts of debts).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(rename = "ImportiRapporto")]
pub struct Importi {
    pub dovuti: i64,
    pub atteso_cents: i64,
    pub pagati: i64,
    pub incassato_cents: i64,
    pub da_incassare: i64,
    pub residuo_cents: i64,
    pub scaduti: i64,
    pub scaduto_cents: i64,
}

impl From<mpd_store::rapporto::Importi> for Importi {
    fn from(i: mpd_store::rapporto::Importi) -> Importi {
        Importi {
            dovuti: i.dovuti,
            atteso_cents: i.atteso_cents,
            pagati: i.pagati,
            incassato_cents: i.incassato_cents,
            da_incassare: i.da_incassare,
            residuo_cents: i.residuo_cents,
            scaduti: i.scaduti,
            scaduto_cents: i.scaduto_cents,
        }
    }
}

/// One payment type's amounts.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "RapportoTipo")]
pub struct RigaTipo {
    pub tipo_dovuto: String,
    /// The type's description from the Ente's catalogue (the code when unknown).
    pub descrizione: String,
    pub importi: Importi,
}

/// One month's amounts (month of the due date).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "RapportoMese")]
pub struct RigaMese {
    /// `YYYY-MM`.
    pub mese: String,
    /// `novembre 2026`.
    pub etichetta: String,
    pub importi: Importi,
}

/// A payer with overdue debts, for the reminders.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Moroso {
    pub codice_pagatore: String,
    pub anagrafica: String,
    pub dovuti: i64,
    pub importo_cents: i64,
    /// `YYYY-MM-DD`.
    pub scadenza_piu_vecchia: String,
}

/// Debts left out of the expected amounts.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(rename = "EsclusiRapporto")]
pub struct Esclusi {
    pub dovuti: i64,
    pub importo_cents: i64,
}

/// The report.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Rapporto {
    /// The Ente's name (empty when no Ente is configured).
    pub ente: String,
    /// The report's date, `YYYY-MM-DD`: overdue means due before it.
    pub data: String,
    pub totale: Importi,
    pub per_tipo: Vec<RigaTipo>,
    pub per_mese: Vec<RigaMese>,
    /// Expected debts whose due date is missing or unreadable: in the totals, not the months.
    pub senza_scadenza: Importi,
    pub bozze: Esclusi,
    pub annullati: Esclusi,
    /// Largest amount first.
    pub morosi: Vec<Moroso>,
    /// The footnotes: what is counted and what is not.
    pub note: Vec<String>,
}

/// The document to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FormatoRapporto {
    Pdf,
    Xlsx,
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

fn etichetta_mese(ym: &str) -> String {
    let mese = ym
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| MESI.get(m.wrapping_sub(1)));
    match (mese, ym.get(..4)) {
        (Some(m), Some(y)) => format!("{m} {y}"),
        _ => ym.to_string(),
    }
}

fn data_it(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

/// `1.234,56 €`.
pub fn euro(cents: i64) -> String {
    format_it(Decimal::new(cents, 2))
}

/// `1 dovuto`, `3 dovuti`.
fn quanti(n: i64, uno: &str, molti: &str) -> String {
    mpd_domain::testo::conta(n, uno, molti)
}

fn note(a: &mpd_store::rapporto::Aggregati, oggi: NaiveDate) -> Vec<String> {
    let mut v = vec![
        "Atteso: tutti i dovuti, esclusi le bozze (ancora in preparazione) e i dovuti annullati, \
         che non costituiscono entrate previste."
            .to_string(),
        "Incassato: gli importi delle ricevute di pagamento abbinate ai dovuti pagati. \
         Da incassare: l'importo dei dovuti attesi non ancora pagati."
            .to_string(),
        format!(
            "Scaduto: dovuti caricati su MyPay (pagabili), non pagati, con scadenza anteriore al {}.",
            oggi.format("%d/%m/%Y")
        ),
        "I mesi sono quelli della data di scadenza dei dovuti.".to_string(),
    ];
    if a.bozze.dovuti > 0 || a.annullati.dovuti > 0 {
        v.push(format!(
            "Esclusi dal resoconto: {} ({}) e {} ({}).",
            quanti(a.bozze.dovuti, "bozza", "bozze"),
            euro(a.bozze.importo_cents),
            quanti(a.annullati.dovuti, "dovuto annullato", "dovuti annullati"),
            euro(a.annullati.importo_cents)
        ));
    }
    if a.senza_scadenza.dovuti > 0 {
        v.push(format!(
            "Dovuti con data di scadenza mancante o illeggibile: {} ({}), compresi nei totali e \
             nei tipi di dovuto, non nei mesi; non sono mai considerati scaduti.",
            quanti(a.senza_scadenza.dovuti, "dovuto", "dovuti"),
            euro(a.senza_scadenza.atteso_cents)
        ));
    }
    v
}

/// The report on `oggi` (`None`: the desk's today).
pub fn rapporto(app: &App, oggi: Option<NaiveDate>) -> Risultato<Rapporto> {
    app.con_desk(|desk| {
        let oggi = oggi.unwrap_or_else(|| desk.today());
        let a = desk.rapporto(oggi)?;
        let ente = desk.ente()?.map(|e| e.denominazione).unwrap_or_default();
        let tipi = desk.tipi_dovuto()?;
        let note = note(&a, oggi);
        Ok(Rapporto {
            ente,
            data: oggi.format("%Y-%m-%d").to_string(),
            totale: a.totale.into(),
            per_tipo: a
                .per_tipo
                .into_iter()
                .map(|(codice, i)| RigaTipo {
                    descrizione: tipi
                        .iter()
                        .find(|t| t.codice == codice)
                        .map(|t| t.descrizione.clone())
                        .filter(|d| !d.trim().is_empty())
                        .unwrap_or_else(|| codice.clone()),
                    tipo_dovuto: codice,
                    importi: i.into(),
                })
                .collect(),
            per_mese: a
                .per_mese
                .into_iter()
                .map(|(mese, i)| RigaMese {
                    etichetta: etichetta_mese(&mese),
                    mese,
                    importi: i.into(),
                })
                .collect(),
            senza_scadenza: a.senza_scadenza.into(),
            bozze: Esclusi {
                dovuti: a.bozze.dovuti,
                importo_cents: a.bozze.importo_cents,
            },
            annullati: Esclusi {
                dovuti: a.annullati.dovuti,
                importo_cents: a.annullati.importo_cents,
            },
            morosi: a
                .morosi
                .into_iter()
                .map(|m| Moroso {
                    codice_pagatore: m.codice_pagatore,
                    anagrafica: m.anagrafica,
                    dovuti: m.dovuti,
                    importo_cents: m.importo_cents,
                    scadenza_piu_vecchia: m.scadenza_piu_vecchia.format("%Y-%m-%d").to_string(),
                })
                .collect(),
            note,
        })
    })
}

/// Writes the report on `oggi` to `percorso` as `formato`; returns the report written.
pub fn esporta(
    app: &App,
    formato: FormatoRapporto,
    oggi: Option<NaiveDate>,
    percorso: &Path,
) -> Risultato<Rapporto> {
    match formato {
        FormatoRapporto::Pdf => esporta_pdf(app, oggi, percorso),
        FormatoRapporto::Xlsx => esporta_xlsx(app, oggi, percorso),
    }
}

/// The report on `oggi`, also written to each of `file` (format, path): one computation for
/// every document, so they all show the same figures.
pub fn esporta_tutti(
    app: &App,
    oggi: Option<NaiveDate>,
    file: &[(FormatoRapporto, &Path)],
) -> Risultato<Rapporto> {
    let r = rapporto(app, oggi)?;
    for (formato, percorso) in file {
        scrivi_documento(&r, *formato, percorso)?;
    }
    Ok(r)
}

fn scrivi_documento(r: &Rapporto, formato: FormatoRapporto, percorso: &Path) -> Risultato<()> {
    match formato {
        FormatoRapporto::Pdf => scrivi(percorso, &pdf_di(r)?),
        FormatoRapporto::Xlsx => {
            xlsx_di(r, percorso).map_err(|e| Errore::scrittura_documento(percorso, &e))
        }
    }
}

fn scrivi(percorso: &Path, byte: &[u8]) -> Risultato<()> {
    std::fs::write(percorso, byte).map_err(|e| Errore::scrittura(percorso, &e))
}

/// The report as a PDF at `percorso`: one A4 page (the overdue payers continue on the next
/// pages when they are many).
pub fn esporta_pdf(app: &App, oggi: Option<NaiveDate>, percorso: &Path) -> Risultato<Rapporto> {
    esporta_tutti(app, oggi, &[(FormatoRapporto::Pdf, percorso)])
}

/// The report as an Excel workbook at `percorso`: a summary sheet, then one sheet per table.
pub fn esporta_xlsx(app: &App, oggi: Option<NaiveDate>, percorso: &Path) -> Risultato<Rapporto> {
    esporta_tutti(app, oggi, &[(FormatoRapporto::Xlsx, percorso)])
}

fn titolo(r: &Rapporto) -> String {
    if r.ente.is_empty() {
        "Resoconto delle entrate".to_string()
    } else {
        format!("Resoconto delle entrate – {}", r.ente)
    }
}

// ---- PDF ----------------------------------------------------------------------------------

/// Table text size, in points.
const TAB: f32 = 8.5;
/// Usable width of the page, in points.
const LARGHEZZA: f32 = PAGE_W - 2.0 * LEFT;
/// Right edges of the numeric columns of the amount tables.
const COLONNE: [f32; 5] = [
    LARGHEZZA - 4.0 * 74.0 - 10.0,
    LARGHEZZA - 3.0 * 74.0,
    LARGHEZZA - 2.0 * 74.0,
    LARGHEZZA - 74.0,
    LARGHEZZA,
];

/// An estimate of the width of `text` in DejaVu Sans (its digits all advance 0.636 em), to
/// align numbers on the right.
fn larghezza(text: &str, size: f32) -> f32 {
    text.chars()
        .map(|c| match c {
            '0'..='9' | '€' => 0.636,
            '.' | ',' | ' ' | ':' => 0.3179, // 651/2048 em
            '/' => 0.337,
            '-' => 0.361,
            'A'..='Z' => 0.7,
            _ => 0.56,
        })
        .sum::<f32>()
        * size
}

/// `text` cut (with `…`) to fit in `max` points at the table's size.
fn corto(text: &str, max: f32) -> String {
    if larghezza(text, TAB) <= max {
        return text.to_string();
    }
    let mut s = String::new();
    for c in text.chars() {
        if larghezza(&s, TAB) + larghezza(&format!("{c}…"), TAB) > max {
            break;
        }
        s.push(c);
    }
    s.trim_end().to_string() + "…"
}

/// `1.234.567`: a count as Italians write it.
pub fn numero(n: i64) -> String {
    mpd_domain::testo::numero(n)
}

fn riga(text: &str, size: f32, before: f32) -> Line {
    Line {
        text: text.to_string(),
        size,
        indent: 0.0,
        before,
        cells: Vec::new(),
    }
}

/// A table line: `first` on the left, `destra` right-aligned at `bordi`.
fn riga_tabella(first: &str, destra: &[(f32, String)], before: f32) -> Line {
    let mut l = riga(first, TAB, before);
    l.cells = destra
        .iter()
        .map(|(bordo, t)| (bordo - larghezza(t, TAB), t.clone()))
        .collect();
    l
}

fn righe_importi(etichetta: &str, i: &Importi) -> Line {
    let valori = [
        numero(i.dovuti),
        euro(i.atteso_cents),
        euro(i.incassato_cents),
        euro(i.residuo_cents),
        euro(i.scaduto_cents),
    ];
    let destra: Vec<(f32, String)> = COLONNE.iter().copied().zip(valori).collect();
    // Room for a count of up to 9 digits before the first number column's right edge.
    riga_tabella(&corto(etichetta, COLONNE[0] - 48.0), &destra, 2.0)
}

fn intestazione_importi(prima: &str) -> Line {
    let t = ["Dovuti", "Atteso", "Incassato", "Da incassare", "Scaduto"];
    let destra: Vec<(f32, String)> = COLONNE
        .iter()
        .copied()
        .zip(t.iter().map(|s| s.to_string()))
        .collect();
    riga_tabella(prima, &destra, 6.0)
}

fn pdf_di(r: &Rapporto) -> Risultato<Vec<u8>> {
    let oggi = NaiveDate::parse_from_str(&r.data, "%Y-%m-%d").map_err(Errore::interno)?;
    let mut v = vec![riga(&titolo(r), 15.0, 0.0)];
    for l in pdf::wrap(
        &format!(
            "Situazione al {}: importi attesi, incassati, da incassare e scaduti dei dovuti \
             gestiti con MyPay Desk.",
            data_it(&r.data)
        ),
        9.5,
        0.0,
    ) {
        v.push(riga(&l, 9.5, 4.0));
    }

    v.push(riga("Riepilogo", 12.0, 12.0));
    let t = &r.totale;
    let quadro = [
        ("Atteso", t.atteso_cents, t.dovuti),
        ("Incassato", t.incassato_cents, t.pagati),
        ("Da incassare", t.residuo_cents, t.da_incassare),
        ("Scaduto", t.scaduto_cents, t.scaduti),
    ];
    for (nome, cents, n) in quadro {
        let mut l = riga_tabella(nome, &[(COLONNE[1], euro(cents))], 3.0);
        l.size = 10.0;
        l.cells[0].0 = COLONNE[1] - larghezza(&l.cells[0].1, 10.0);
        l.cells
            .push((COLONNE[1] + 12.0, quanti(n, "dovuto", "dovuti")));
        v.push(l);
    }

    v.push(riga("Per tipo di dovuto", 12.0, 12.0));
    v.push(intestazione_importi("Tipo di dovuto"));
    for t in &r.per_tipo {
        v.push(righe_importi(&t.descrizione, &t.importi));
    }
    v.push(righe_importi("Totale", &r.totale));

    v.push(riga("Per mese di scadenza", 12.0, 12.0));
    v.push(intestazione_importi("Mese"));
    for m in &r.per_mese {
        v.push(righe_importi(&m.etichetta, &m.importi));
    }
    if r.senza_scadenza.dovuti > 0 {
        v.push(righe_importi(
            "Scadenza mancante o illeggibile",
            &r.senza_scadenza,
        ));
    }
    v.push(righe_importi("Totale", &r.totale));

    v.push(riga("Note", 10.5, 12.0));
    for n in &r.note {
        for (i, l) in pdf::wrap(n, 7.5, 8.0).into_iter().enumerate() {
            let mut line = riga(&l, 7.5, if i == 0 { 2.0 } else { 0.0 });
            line.indent = 8.0;
            v.push(line);
        }
    }

    v.push(riga("Debitori con dovuti scaduti", 12.0, 12.0));
    if r.morosi.is_empty() {
        v.push(riga("Nessun dovuto scaduto.", TAB, 4.0));
    } else {
        let (c_nome, c_n, c_imp, c_data) = (100.0, 355.0, 425.0, LARGHEZZA);
        let mut h = riga_tabella(
            "Codice pagatore",
            &[
                (c_n, "Dovuti".into()),
                (c_imp, "Importo".into()),
                (c_data, "Prima scadenza".into()),
            ],
            6.0,
        );
        h.cells.insert(0, (c_nome, "Nominativo".into()));
        v.push(h);
        for m in &r.morosi {
            let mut l = riga_tabella(
                &m.codice_pagatore,
                &[
                    (c_n, numero(m.dovuti)),
                    (c_imp, euro(m.importo_cents)),
                    (c_data, data_it(&m.scadenza_piu_vecchia)),
                ],
                2.0,
            );
            l.cells
                .insert(0, (c_nome, corto(&m.anagrafica, c_n - c_nome - 30.0)));
            v.push(l);
        }
        let somma: i64 = r.morosi.iter().map(|m| m.importo_cents).sum();
        let n: i64 = r.morosi.iter().map(|m| m.dovuti).sum();
        let mut l = riga_tabella(
            &format!(
                "Totale ({})",
                mpd_domain::testo::conta(r.morosi.len(), "debitore", "debitori")
            ),
            &[(c_n, numero(n)), (c_imp, euro(somma))],
            3.0,
        );
        l.cells.insert(0, (c_nome, String::new()));
        v.push(l);
    }
    pdf::impagina(&titolo(r), "resoconto", v, oggi)
        .map_err(|e| Errore::new(Codice::ScritturaFile, e.to_string()))
}

// ---- Excel --------------------------------------------------------------------------------

/// Euros as Excel's number (cents / 100, exact in decimal, rounded once to the cell's double).
fn euro_cella(cents: i64) -> f64 {
    Decimal::new(cents, 2).to_f64().unwrap_or_default()
}

struct Formati {
    titolo: Format,
    intestazione: Format,
    euro: Format,
    euro_totale: Format,
    numero_totale: Format,
    testo_totale: Format,
    data: Format,
    nota: Format,
}

impl Formati {
    fn new() -> Formati {
        let euro = "#,##0.00 \"€\"";
        Formati {
            titolo: Format::new().set_bold().set_font_size(14),
            intestazione: Format::new()
                .set_bold()
                .set_background_color(0xD9E1F2)
                .set_text_wrap()
                .set_align(FormatAlign::Center),
            euro: Format::new().set_num_format(euro),
            euro_totale: Format::new().set_num_format(euro).set_bold(),
            numero_totale: Format::new().set_bold(),
            testo_totale: Format::new().set_bold(),
            data: Format::new().set_num_format("dd/mm/yyyy"),
            nota: Format::new().set_text_wrap(),
        }
    }
}

/// One value of a table row.
enum Cella {
    Testo(String),
    Numero(i64),
    Euro(i64),
    Data(String),
}

fn lettera(col: u16) -> String {
    let mut n = col as u32 + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push((b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    s.iter().rev().collect()
}

/// What a column's total row shows.
#[derive(Clone, Copy, PartialEq)]
enum Somma {
    Nessuna,
    Numero,
    Euro,
}

/// A table from row 0: headers, rows, autofilter and a total row (SUBTOTAL, so it follows the
/// filter; its value is stored too, for programs that do not compute formulas).
fn tabella(
    ws: &mut Worksheet,
    f: &Formati,
    nome: &str,
    intestazioni: &[(&str, f64, Somma)],
    righe: &[Vec<Cella>],
) -> Result<(), XlsxError> {
    ws.set_name(nome)?;
    for (c, (h, w, _)) in intestazioni.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.intestazione)?;
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (i, r) in righe.iter().enumerate() {
        let row = i as u32 + 1;
        for (c, v) in r.iter().enumerate() {
            let c = c as u16;
            match v {
                Cella::Testo(t) => {
                    ws.write_string(row, c, mpd_sheets::export::neutralize(t))?;
                }
                Cella::Numero(n) => {
                    ws.write_number(row, c, *n as f64)?;
                }
                Cella::Euro(cents) => {
                    ws.write_number_with_format(row, c, euro_cella(*cents), &f.euro)?;
                }
                Cella::Data(iso) => match NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
                    Ok(d) => {
                        ws.write_date_with_format(row, c, d, &f.data)?;
                    }
                    Err(_) => {
                        ws.write_string(row, c, iso)?;
                    }
                },
            }
        }
    }
    let ultima = righe.len() as u32;
    let colonne = intestazioni.len() as u16;
    ws.autofilter(0, 0, ultima, colonne - 1)?;
    let tot = ultima + 1;
    ws.write_string_with_format(tot, 0, "Totale", &f.testo_totale)?;
    for c in 1..colonne {
        let somma_di = intestazioni[c as usize].2;
        if somma_di == Somma::Nessuna {
            continue;
        }
        let euro = somma_di == Somma::Euro;
        let somma: i64 = righe
            .iter()
            .map(|r| match r.get(c as usize) {
                Some(Cella::Numero(n) | Cella::Euro(n)) => *n,
                _ => 0,
            })
            .sum();
        let formato = if euro {
            &f.euro_totale
        } else {
            &f.numero_totale
        };
        if righe.is_empty() {
            // No rows to add up (a formula would refer to its own cell).
            ws.write_number_with_format(tot, c, 0.0, formato)?;
            continue;
        }
        let l = lettera(c);
        let formula = Formula::new(format!("=SUBTOTAL(109,{l}2:{l}{})", ultima + 1));
        if euro {
            let formula = formula.set_result(euro_cella(somma).to_string());
            ws.write_formula_with_format(tot, c, formula, &f.euro_totale)?;
        } else {
            let formula = formula.set_result(somma.to_string());
            ws.write_formula_with_format(tot, c, formula, &f.numero_totale)?;
        }
    }
    Ok(())
}

fn celle_importi(prima: Vec<Cella>, i: &Importi) -> Vec<Cella> {
    let mut v = prima;
    v.extend([
        Cella::Numero(i.dovuti),
        Cella::Euro(i.atteso_cents),
        Cella::Numero(i.pagati),
        Cella::Euro(i.incassato_cents),
        Cella::Euro(i.residuo_cents),
        Cella::Numero(i.scaduti),
        Cella::Euro(i.scaduto_cents),
    ]);
    v
}

const COLONNE_IMPORTI: [(&str, f64, Somma); 7] = [
    ("Dovuti attesi", 10.0, Somma::Numero),
    ("Atteso", 16.0, Somma::Euro),
    ("Dovuti pagati", 10.0, Somma::Numero),
    ("Incassato", 16.0, Somma::Euro),
    ("Da incassare", 16.0, Somma::Euro),
    ("Dovuti scaduti", 10.0, Somma::Numero),
    ("Scaduto", 16.0, Somma::Euro),
];

fn xlsx_di(r: &Rapporto, percorso: &Path) -> Result<(), XlsxError> {
    let f = Formati::new();
    let mut wb = Workbook::new();

    let ws = wb.add_worksheet();
    ws.set_name("Riepilogo")?;
    ws.set_column_width(0, 28.0)?;
    ws.set_column_width(1, 18.0)?;
    ws.set_column_width(2, 12.0)?;
    ws.write_string_with_format(0, 0, titolo(r), &f.titolo)?;
    ws.write_string(1, 0, "Situazione al")?;
    match NaiveDate::parse_from_str(&r.data, "%Y-%m-%d") {
        Ok(d) => ws.write_date_with_format(1, 1, d, &f.data)?,
        Err(_) => ws.write_string(1, 1, &r.data)?,
    };
    ws.write_string_with_format(3, 0, "Voce", &f.intestazione)?;
    ws.write_string_with_format(3, 1, "Importo", &f.intestazione)?;
    ws.write_string_with_format(3, 2, "Dovuti", &f.intestazione)?;
    let t = &r.totale;
    let quadro = [
        ("Atteso", t.atteso_cents, t.dovuti),
        ("Incassato", t.incassato_cents, t.pagati),
        ("Da incassare", t.residuo_cents, t.da_incassare),
        ("Scaduto", t.scaduto_cents, t.scaduti),
    ];
    for (i, (nome, cents, n)) in quadro.into_iter().enumerate() {
        let row = 4 + i as u32;
        ws.write_string(row, 0, nome)?;
        ws.write_number_with_format(row, 1, euro_cella(cents), &f.euro)?;
        ws.write_number(row, 2, n as f64)?;
    }
    ws.set_column_width(3, 80.0)?;
    ws.write_string_with_format(9, 0, "Note", &f.testo_totale)?;
    for (i, n) in r.note.iter().enumerate() {
        ws.merge_range(10 + i as u32, 0, 10 + i as u32, 3, n, &f.nota)?;
        ws.set_row_height(10 + i as u32, 30.0)?;
    }

    let righe: Vec<Vec<Cella>> = r
        .per_tipo
        .iter()
        .map(|t| {
            celle_importi(
                vec![
                    Cella::Testo(t.tipo_dovuto.clone()),
                    Cella::Testo(t.descrizione.clone()),
                ],
                &t.importi,
            )
        })
        .collect();
    let mut h = vec![
        ("Tipo di dovuto", 18.0, Somma::Nessuna),
        ("Descrizione", 30.0, Somma::Nessuna),
    ];
    h.extend(COLONNE_IMPORTI);
    tabella(wb.add_worksheet(), &f, "Per tipo di dovuto", &h, &righe)?;

    let mut righe: Vec<Vec<Cella>> = r
        .per_mese
        .iter()
        .map(|m| celle_importi(vec![Cella::Testo(m.etichetta.clone())], &m.importi))
        .collect();
    if r.senza_scadenza.dovuti > 0 {
        righe.push(celle_importi(
            vec![Cella::Testo("Scadenza mancante o illeggibile".into())],
            &r.senza_scadenza,
        ));
    }
    let mut h = vec![("Mese di scadenza", 30.0, Somma::Nessuna)];
    h.extend(COLONNE_IMPORTI);
    tabella(wb.add_worksheet(), &f, "Per mese", &h, &righe)?;

    let righe: Vec<Vec<Cella>> = r
        .morosi
        .iter()
        .map(|m| {
            vec![
                Cella::Testo(m.codice_pagatore.clone()),
                Cella::Testo(m.anagrafica.clone()),
                Cella::Numero(m.dovuti),
                Cella::Euro(m.importo_cents),
                Cella::Data(m.scadenza_piu_vecchia.clone()),
            ]
        })
        .collect();
    let h = [
        ("Codice pagatore", 20.0, Somma::Nessuna),
        ("Nominativo", 36.0, Somma::Nessuna),
        ("Dovuti scaduti", 12.0, Somma::Numero),
        ("Importo scaduto", 16.0, Somma::Euro),
        ("Prima scadenza", 14.0, Somma::Nessuna),
    ];
    tabella(wb.add_worksheet(), &f, "Debitori", &h, &righe)?;

    wb.save(percorso)
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    Rapporto::export_all(cfg)?;
    FormatoRapporto::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use mpd_domain::{Column, Ente, RawRow, TipoDovuto};
    use mpd_store::{DovutoStato, NewDovuto, NewRicevuta, Store};

    use super::*;

    fn debt(
        iud: &str,
        cf: &str,
        nome: &str,
        scadenza: &str,
        cents: i64,
        stato: DovutoStato,
    ) -> NewDovuto {
        let mut row = RawRow::default();
        row.set(Column::Iud, iud);
        row.set(Column::TipoIdentificativoUnivoco, "F");
        row.set(Column::CodiceIdentificativoUnivoco, cf);
        row.set(Column::AnagraficaPagatore, nome);
        row.set(Column::DataScadenzaPagamento, scadenza);
        row.set(Column::TipoDovuto, "TARI");
        row.set(Column::CausaleVersamento, "TARI 2026");
        row.set(Column::DatiSpecificiRiscossione, "9/0101100IM/");
        NewDovuto {
            row,
            importo_cents: cents,
            commissione_cents: None,
            stato,
            sorgente: None,
            posizione: None,
        }
    }

    /// An application on a database with a paid debt, three overdue ones of two payers, one
    /// not yet due, a cancelled one and a draft.
    fn app(dir: &Path) -> App {
        use DovutoStato::*;
        let db = dir.join("desk.sqlite");
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
        let mut s = Store::open(&db, &mpd_store::testing::chiave()).unwrap();
        let ente = Ente {
            codice_ipa: "c_x123".into(),
            codice_fiscale: "00123456789".into(),
            denominazione: "Comune di Esempio".into(),
            codice_segregazione: "12".into(),
        };
        let tari = TipoDovuto {
            codice: "TARI".into(),
            descrizione: "Tassa rifiuti".into(),
            dati_specifici_riscossione: "9/0101100IM/".into(),
            attivo: true,
            cf_anonimo: false,
            scadenza_obbligatoria: true,
            stampa_data_scadenza: false,
            causale_predefinita: None,
            importo_predefinito: None,
            scadenza_predefinita: None,
            posizioni: Default::default(),
        };
        s.save_ente(&ente, "{}", &[tari], now).unwrap();
        let (a, b) = ("RSSMRA80A01H501U", "BNCLRA85M41F205X");
        s.insert_dovuti(
            &[
                debt("P1", a, "ROSSI MARIO", "2026-10-31", 10_000, Loaded),
                debt("S1", a, "ROSSI MARIO", "2026-09-30", 5_000, Loaded),
                debt("S2", a, "ROSSI MARIO", "2026-10-31", 2_550, Loaded),
                debt("S3", b, "BIANCHI LAURA", "2026-11-26", 123_456, Loaded),
                debt("N1", b, "BIANCHI LAURA", "2026-12-31", 3_000, Loaded),
                debt("C1", a, "ROSSI MARIO", "2026-09-30", 7_000, Cancelled),
                debt("D1", b, "BIANCHI LAURA", "2026-09-30", 9_000, Draft),
            ],
            now,
        )
        .unwrap();
        s.upsert_ricevute(
            [NewRicevuta {
                iuv: "IUVP1".into(),
                iur: "IUR1".into(),
                iud: "P1".into(),
                importo_cents: 10_000,
                data_esito: "2026-10-20".into(),
                ..Default::default()
            }],
            now,
        )
        .unwrap();
        drop(s);
        let credenziali = Box::leak(Box::new(mpd_client::MemoryStore::default()));
        App::new(Some(db), crate::ConnectOptions::default(), credenziali)
            .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA))
            .con_ora(now)
    }

    fn oggi() -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2026, 11, 27)
    }

    #[test]
    fn the_report_names_the_ente_the_types_and_the_overdue_payers() {
        let dir = tempfile::tempdir().unwrap();
        let r = rapporto(&app(dir.path()), None).unwrap();
        assert_eq!(r.data, "2026-11-27", "the desk's today when none is given");
        assert_eq!(r.ente, "Comune di Esempio");
        assert_eq!(
            r.totale.atteso_cents,
            10_000 + 5_000 + 2_550 + 123_456 + 3_000
        );
        assert_eq!(r.totale.incassato_cents, 10_000);
        assert_eq!(r.totale.scaduto_cents, 5_000 + 2_550 + 123_456);
        assert_eq!(r.per_tipo[0].descrizione, "Tassa rifiuti");
        assert_eq!(r.per_mese[0].etichetta, "settembre 2026");
        let morosi: Vec<(&str, i64)> = r
            .morosi
            .iter()
            .map(|m| (m.codice_pagatore.as_str(), m.importo_cents))
            .collect();
        assert_eq!(
            morosi,
            [("BNCLRA85M41F205X", 123_456), ("RSSMRA80A01H501U", 7_550)]
        );
        assert_eq!(r.morosi[1].scadenza_piu_vecchia, "2026-09-30");
        assert!(
            r.note
                .iter()
                .any(|n| n.contains("1 bozza") && n.contains("90,00 €")),
            "{:?}",
            r.note
        );
    }

    /// What a poppler-utils tool (installed by `.ci/setup`) prints about the PDF.
    fn poppler(tool: &str, percorso: &Path) -> String {
        let mut cmd = std::process::Command::new(tool);
        if tool == "pdftotext" {
            cmd.args(["-layout"]).arg(percorso).arg("-");
        } else {
            cmd.arg(percorso);
        }
        let out = cmd
            .output()
            .unwrap_or_else(|e| panic!("{tool} not found (install poppler-utils): {e}"));
        assert!(out.status.success(), "{tool}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn pagine(percorso: &Path) -> usize {
        let info = poppler("pdfinfo", percorso);
        let riga = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
        riga["Pages:".len()..].trim().parse().unwrap()
    }

    #[test]
    fn a_workbook_without_overdue_payers_has_a_zero_total() {
        use calamine::{Data, Reader, Xlsx, open_workbook};
        let dir = tempfile::tempdir().unwrap();
        let percorso = dir.path().join("vuoto.xlsx");
        let prima = NaiveDate::from_ymd_opt(2026, 1, 1);
        let r = esporta_xlsx(&app(dir.path()), prima, &percorso).unwrap();
        assert!(r.morosi.is_empty());
        let mut wb: Xlsx<_> = open_workbook(&percorso).unwrap();
        let debitori = wb.worksheet_range("Debitori").unwrap();
        assert_eq!(debitori.height(), 2);
        assert_eq!(debitori.get((1, 0)), Some(&Data::String("Totale".into())));
        assert_eq!(debitori.get((1, 3)), Some(&Data::Float(0.0)));
        let formule = wb.worksheet_formula("Debitori").unwrap();
        assert!(formule.cells().all(|(_, _, f)| f.is_empty()), "{formule:?}");
    }

    #[test]
    fn counts_and_long_names_fit_their_columns() {
        assert_eq!(numero(1_234_567), "1.234.567");
        assert_eq!(numero(999), "999");
        assert_eq!(numero(-1000), "-1.000");
        let lungo =
            "CANONE PATRIMONIALE DI OCCUPAZIONE DEL SUOLO PUBBLICO E DI ESPOSIZIONE PUBBLICITARIA";
        let c = corto(lungo, 120.0);
        assert!(c.ends_with('…') && larghezza(&c, TAB) <= 120.0, "{c}");
        assert_eq!(corto("TARI", 120.0), "TARI");
    }

    #[test]
    fn the_pdf_is_one_a4_page_in_italian() {
        let dir = tempfile::tempdir().unwrap();
        let percorso = dir.path().join("resoconto.pdf");
        esporta(&app(dir.path()), FormatoRapporto::Pdf, oggi(), &percorso).unwrap();
        let byte = std::fs::read(&percorso).unwrap();
        assert!(byte.starts_with(b"%PDF"));
        assert_eq!(pagine(&percorso), 1);
        let t = poppler("pdftotext", &percorso);
        {
            for atteso in [
                "Resoconto delle entrate – Comune di Esempio",
                "1.234,56 €",
                "1.310,06 €",
                "BIANCHI LAURA",
                "26/11/2026",
                "Debitori con dovuti scaduti",
                "pagina 1 di 1",
            ] {
                assert!(t.contains(atteso), "{atteso} missing in:\n{t}");
            }
        }
    }

    #[test]
    fn many_overdue_payers_continue_on_the_next_pages() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = rapporto(&app(dir.path()), oggi()).unwrap();
        let m = r.morosi[0].clone();
        r.morosi = vec![m; 150];
        let percorso = dir.path().join("lungo.pdf");
        std::fs::write(&percorso, pdf_di(&r).unwrap()).unwrap();
        let n = pagine(&percorso);
        assert!(n >= 3, "{n}");
        let t = poppler("pdftotext", &percorso);
        assert!(t.contains(&format!("pagina {n} di {n}")), "{t}");
    }

    #[test]
    fn the_workbook_has_one_sheet_per_table_and_the_reports_totals() {
        use calamine::{Data, Reader, Xlsx, open_workbook};
        let dir = tempfile::tempdir().unwrap();
        let percorso = dir.path().join("resoconto.xlsx");
        let r = esporta(&app(dir.path()), FormatoRapporto::Xlsx, oggi(), &percorso).unwrap();
        let mut wb: Xlsx<_> = open_workbook(&percorso).unwrap();
        assert_eq!(
            wb.sheet_names(),
            ["Riepilogo", "Per tipo di dovuto", "Per mese", "Debitori"]
        );
        let euro = |d: &Data| match d {
            Data::Float(f) => Decimal::try_from(*f).unwrap().round_dp(2),
            Data::Int(i) => Decimal::from(*i),
            other => panic!("not a number: {other:?}"),
        };
        let cents = |c: i64| Decimal::new(c, 2);
        let riepilogo = wb.worksheet_range("Riepilogo").unwrap();
        assert_eq!(
            euro(riepilogo.get((4, 1)).unwrap()),
            cents(r.totale.atteso_cents)
        );
        assert_eq!(
            euro(riepilogo.get((5, 1)).unwrap()),
            cents(r.totale.incassato_cents)
        );
        assert_eq!(
            euro(riepilogo.get((7, 1)).unwrap()),
            cents(r.totale.scaduto_cents)
        );

        let mesi = wb.worksheet_range("Per mese").unwrap();
        let ultima = mesi.height() - 1;
        assert_eq!(mesi.get((ultima, 0)), Some(&Data::String("Totale".into())));
        // Columns: month, debts, expected, paid, collected, outstanding, overdue debts, overdue.
        assert_eq!(
            euro(mesi.get((ultima, 2)).unwrap()),
            cents(r.totale.atteso_cents)
        );
        assert_eq!(
            euro(mesi.get((ultima, 4)).unwrap()),
            cents(r.totale.incassato_cents)
        );
        assert_eq!(
            euro(mesi.get((ultima, 5)).unwrap()),
            cents(r.totale.residuo_cents)
        );
        assert_eq!(
            euro(mesi.get((ultima, 7)).unwrap()),
            cents(r.totale.scaduto_cents)
        );

        let tipi = wb.worksheet_range("Per tipo di dovuto").unwrap();
        let ultima = tipi.height() - 1;
        assert_eq!(
            euro(tipi.get((ultima, 3)).unwrap()),
            cents(r.totale.atteso_cents)
        );

        let debitori = wb.worksheet_range("Debitori").unwrap();
        assert_eq!(debitori.height(), 1 + r.morosi.len() + 1);
        assert_eq!(
            debitori.get((1, 1)),
            Some(&Data::String("BIANCHI LAURA".into()))
        );
        assert_eq!(
            euro(debitori.get((3, 3)).unwrap()),
            cents(r.totale.scaduto_cents)
        );
        assert!(matches!(debitori.get((1, 4)), Some(Data::DateTime(_))));
    }
}
