//! A [`Documento`] as a PDF, ready to be signed digitally.
//!
//! Drawn with krilla in DejaVu Sans (shipped in `assets/fonts/`, embedded as a subset). krilla
//! writes a ToUnicode map for every font it embeds, so the text can be searched, copied and
//! extracted (`pdftotext` in the tests), which protocol systems and the Region's staff rely on.
//! Layout is deliberately simple: lines are wrapped by an estimate of DejaVu's average advance
//! (0.56 em, a little wide, so lines never overflow), laid out first and then cut into A4
//! pages, each with a footer. A table becomes one block per row (first cell as its heading,
//! the others as "header: value" lines), which reads better on A4 than nine narrow columns.

use std::sync::OnceLock;

use chrono::NaiveDate;
use krilla::Document;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};

use crate::documento::{Blocco, Documento};
use crate::{AdesioneError, Result};

const FONT: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
/// The A4 page width, in points.
pub const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
/// The left (and right) margin, in points.
pub const LEFT: f32 = 56.0;
const TOP: f32 = 64.0;
const BOTTOM: f32 = 70.0;
const AVG_ADVANCE_EM: f32 = 0.56;

fn font() -> Option<Font> {
    static F: OnceLock<Option<Font>> = OnceLock::new();
    F.get_or_init(|| Font::new(FONT.to_vec().into(), 0)).clone()
}

/// One line of text laid out on the page (also for other documents: the report).
pub struct Line {
    pub text: String,
    /// Points.
    pub size: f32,
    /// From the left margin, in points.
    pub indent: f32,
    /// Space before the line (headings get more).
    pub before: f32,
    /// More text on the same line, each at its distance from the left margin (table columns).
    pub cells: Vec<(f32, String)>,
}

/// Wraps `text` to the width left after `indent` at `size` points.
pub fn wrap(text: &str, size: f32, indent: f32) -> Vec<String> {
    let width = PAGE_W - 2.0 * LEFT - indent;
    let max = ((width / (size * AVG_ADVANCE_EM)) as usize).max(10);
    let mut out = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let wlen = word.chars().count();
        if !cur.is_empty() && cur.chars().count() + 1 + wlen > max {
            out.push(std::mem::take(&mut cur));
        }
        if wlen > max {
            // An IBAN or an address without spaces: cut it rather than overflow the margin.
            let chars: Vec<char> = word.chars().collect();
            for chunk in chars.chunks(max) {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                cur = chunk.iter().collect();
            }
            continue;
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

fn lines(d: &Documento) -> Vec<Line> {
    let mut v = Vec::new();
    let mut push = |text: &str, size: f32, indent: f32, before: f32| {
        for (i, l) in wrap(text, size, indent).into_iter().enumerate() {
            v.push(Line {
                text: l,
                size,
                indent,
                before: if i == 0 { before } else { 0.0 },
                cells: Vec::new(),
            });
        }
    };
    push(&d.titolo, 16.0, 0.0, 0.0);
    for b in &d.blocchi {
        match b {
            Blocco::Sezione(s) => push(s, 12.5, 0.0, 12.0),
            Blocco::Paragrafo(s) => push(s, 10.0, 0.0, 5.0),
            Blocco::Elenco(items) => {
                for i in items {
                    push(&format!("– {i}"), 10.0, 10.0, 3.0);
                }
            }
            Blocco::Campi(campi) => {
                for (k, val) in campi {
                    push(&format!("{k}: {val}"), 10.0, 0.0, 2.0);
                }
            }
            Blocco::Tabella {
                intestazioni,
                righe,
            } => {
                if righe.is_empty() {
                    push("(nessuno)", 10.0, 0.0, 3.0);
                }
                for r in righe {
                    push(r.first().map(String::as_str).unwrap_or(""), 10.5, 0.0, 6.0);
                    for (h, c) in intestazioni.iter().zip(r.iter()).skip(1) {
                        if !c.is_empty() {
                            push(&format!("{h}: {c}"), 9.5, 14.0, 1.0);
                        }
                    }
                }
            }
        }
    }
    v
}

/// The bytes of the `.pdf` file.
pub fn pdf(d: &Documento, oggi: NaiveDate) -> Result<Vec<u8>> {
    impagina(&d.titolo, &d.file, lines(d), oggi)
}

/// Laid-out `lines` cut into A4 pages, each with a footer (`titolo`, `oggi`, page n of N):
/// the bytes of the `.pdf` file (`file` names it in errors).
pub fn impagina(titolo: &str, file: &str, lines: Vec<Line>, oggi: NaiveDate) -> Result<Vec<u8>> {
    let fail = |m: String| AdesioneError::Documento(format!("{file}.pdf: {m}"));
    let font = font().ok_or_else(|| fail("carattere DejaVu Sans non leggibile".into()))?;
    // Cut the laid-out lines into pages first, so every footer knows the page count.
    let mut pages: Vec<Vec<(f32, Line)>> = vec![Vec::new()];
    let mut y = TOP;
    for line in lines {
        let step = line.before + line.size * 1.35;
        if y + step > PAGE_H - BOTTOM && !pages.last().is_some_and(Vec::is_empty) {
            pages.push(Vec::new());
            y = TOP;
        }
        y += if pages.last().is_some_and(Vec::is_empty) {
            line.size
        } else {
            step
        };
        if let Some(p) = pages.last_mut() {
            p.push((y, line));
        }
    }
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(titolo.to_string())
            .language("it-IT".into())
            .creator("MyPay Desk".into()),
    );
    let total = pages.len();
    let settings =
        PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| fail("formato pagina".into()))?;
    for (n, page_lines) in pages.into_iter().enumerate() {
        let mut page = doc.start_page_with(settings.clone());
        let mut s = page.surface();
        for (y, l) in page_lines {
            s.draw_text(
                Point::from_xy(LEFT + l.indent, y),
                font.clone(),
                l.size,
                &l.text,
                false,
                TextDirection::Auto,
            );
            for (x, text) in &l.cells {
                s.draw_text(
                    Point::from_xy(LEFT + x, y),
                    font.clone(),
                    l.size,
                    text,
                    false,
                    TextDirection::Auto,
                );
            }
        }
        let footer = format!(
            "{} – generato il {} – pagina {} di {total}",
            titolo,
            oggi.format("%d/%m/%Y"),
            n + 1
        );
        let footer: String = footer.chars().take(120).collect();
        s.draw_text(
            Point::from_xy(LEFT, PAGE_H - 36.0),
            font.clone(),
            7.5,
            &footer,
            false,
            TextDirection::Auto,
        );
        s.finish();
        page.finish();
    }
    doc.finish().map_err(|e| fail(Dettaglio(&e).to_string()))
}

/// The PDF library's own description of a failure (it has no `Display`): for the log only, the
/// clerk reads the document's name ([`AdesioneError::Documento`]).
struct Dettaglio<'a, T: std::fmt::Debug>(&'a T);

impl<T: std::fmt::Debug> std::fmt::Display for Dettaglio<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.0, f)
    }
}
