//! pagoPA payment notices (`_AVVISI_PDF`, `urlFileAvviso`): a real one-page PDF per debt with
//! the Ente, the payer, the notice number (`3` + IUV17), the amount and the due date, and the
//! pagoPA QR code `PAGOPA|002|<notice number>|<Ente fiscal code>|<amount in cents>`.
//!
//! Drawn with krilla (vector text with an embedded subset of DejaVu Sans, shipped in
//! `assets/fonts/`) and qrcode (modules drawn as rectangles). The layout is a plain sketch of
//! the official notice, enough for a clerk to recognise it; the data are the point.

use std::io::{Cursor, Write};
use std::sync::OnceLock;

use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use mpd_domain::{Column, Ente, RawRow};
use zip::write::SimpleFileOptions;

const FONT: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");

fn font() -> Option<Font> {
    static F: OnceLock<Option<Font>> = OnceLock::new();
    F.get_or_init(|| Font::new(FONT.to_vec().into(), 0)).clone()
}

/// What a notice shows.
#[derive(Clone, Debug)]
pub struct Notice {
    pub iuv: String,
    pub importo: String,
    pub pagatore: String,
    pub codice_pagatore: String,
    pub causale: String,
    pub scadenza: Option<String>,
}

impl Notice {
    pub fn from_row(row: &RawRow) -> Notice {
        let importo = row
            .get(Column::ImportoDovuto)
            .trim()
            .parse::<rust_decimal::Decimal>()
            .map(|d| format!("{:.2}", d.round_dp(2)))
            .unwrap_or_else(|_| row.get(Column::ImportoDovuto).to_string());
        Notice {
            iuv: row.get(Column::CodIuv).to_string(),
            importo,
            pagatore: row.get(Column::AnagraficaPagatore).to_string(),
            codice_pagatore: row.get(Column::CodiceIdentificativoUnivoco).to_uppercase(),
            causale: row.get(Column::CausaleVersamento).to_string(),
            scadenza: Some(row.get(Column::DataScadenzaPagamento).to_string())
                .filter(|s| !s.is_empty()),
        }
    }

    /// `3` + IUV17 (aux digit 3), or the IUV itself for other lengths.
    pub fn numero_avviso(&self) -> String {
        mpd_domain::iuv::notice_from_iuv17(&self.iuv).unwrap_or_else(|| self.iuv.clone())
    }

    fn cents(&self) -> String {
        let digits: String = self.importo.chars().filter(char::is_ascii_digit).collect();
        digits.trim_start_matches('0').to_string()
    }

    /// The pagoPA QR payload.
    pub fn qr_payload(&self, ente: &Ente) -> String {
        format!(
            "PAGOPA|002|{}|{}|{}",
            self.numero_avviso(),
            ente.codice_fiscale,
            self.cents()
        )
    }
}

/// One notice as a PDF.
pub fn pdf(ente: &Ente, n: &Notice) -> Result<Vec<u8>, String> {
    let font = font().ok_or("font non leggibile")?;
    let mut doc = Document::new();
    let mut page = doc.start_page_with(PageSettings::from_wh(595.0, 842.0).ok_or("pagina")?);
    let mut s = page.surface();
    let y = std::cell::Cell::new(60.0f32);
    let line = |s: &mut krilla::surface::Surface<'_>, text: &str, size: f32, gap: f32| {
        s.draw_text(
            Point::from_xy(50.0, y.get()),
            font.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
        y.set(y.get() + gap);
    };
    line(&mut s, "AVVISO DI PAGAMENTO pagoPA", 20.0, 36.0);
    line(&mut s, &ente.denominazione, 14.0, 18.0);
    line(
        &mut s,
        &format!("Codice fiscale Ente: {}", ente.codice_fiscale),
        10.0,
        28.0,
    );
    line(&mut s, &format!("Destinatario: {}", n.pagatore), 12.0, 16.0);
    line(
        &mut s,
        &format!("Codice fiscale / P.IVA: {}", n.codice_pagatore),
        10.0,
        28.0,
    );
    line(&mut s, "Oggetto del pagamento:", 10.0, 14.0);
    for chunk in wrap(&n.causale, 80).iter().take(4) {
        line(&mut s, chunk, 10.0, 14.0);
    }
    y.set(y.get() + 14.0);
    line(
        &mut s,
        &format!("Importo: {} euro", n.importo.replace('.', ",")),
        16.0,
        22.0,
    );
    if let Some(d) = &n.scadenza {
        line(&mut s, &format!("Entro il: {d}"), 12.0, 18.0);
    }
    line(
        &mut s,
        &format!(
            "Codice avviso: {}",
            mpd_domain::iuv::format_notice(&n.numero_avviso())
        ),
        12.0,
        16.0,
    );
    line(&mut s, &format!("IUV: {}", n.iuv), 10.0, 16.0);
    let qr = qrcode::QrCode::with_error_correction_level(n.qr_payload(ente), qrcode::EcLevel::M)
        .map_err(|e| e.to_string())?;
    let width = qr.width();
    let module = 3.0f32;
    let (x0, y0) = (400.0f32, 420.0f32);
    let mut pb = PathBuilder::new();
    for (i, c) in qr.to_colors().iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (cx, cy) = ((i % width) as f32, (i / width) as f32);
            if let Some(r) = Rect::from_xywh(x0 + cx * module, y0 + cy * module, module, module) {
                pb.push_rect(r);
            }
        }
    }
    if let Some(path) = pb.finish() {
        s.draw_path(&path);
    }
    s.finish();
    page.finish();
    doc.finish().map_err(|e| format!("{e:?}"))
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + word.chars().count() + 1 > width {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `_AVVISI_PDF.zip`: one `avviso_<IUV>.pdf` per notice.
pub fn avvisi_zip(ente: &Ente, notices: &[Notice]) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for n in notices {
        let bytes = pdf(ente, n)?;
        zip.start_file(format!("avviso_{}.pdf", n.iuv), opts)
            .map_err(|e| e.to_string())?;
        zip.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    zip.finish()
        .map(|c| c.into_inner())
        .map_err(|e| e.to_string())
}

/// `avviso_<codiceFiscaleEnte>_<IUV>.pdf` zipped, for `paaSILImportaDovuto` azione S.
pub fn stampa_zip(ente: &Ente, n: &Notice) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(
        format!("avviso_{}_{}.pdf", ente.codice_fiscale, n.iuv),
        opts,
    )
    .map_err(|e| e.to_string())?;
    zip.write_all(&pdf(ente, n)?).map_err(|e| e.to_string())?;
    zip.finish()
        .map(|c| c.into_inner())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_is_a_pdf_with_the_pagopa_payload() {
        let ente = mpd_core::debts::demo_ente();
        let n = Notice {
            iuv: "12000000000000148".into(),
            importo: "120.50".into(),
            pagatore: "MARIO ROSSI".into(),
            codice_pagatore: "RSSMRA80A01H501U".into(),
            causale: "TARI 2027 prima rata".into(),
            scadenza: Some("2027-03-31".into()),
        };
        assert_eq!(
            n.qr_payload(&ente),
            "PAGOPA|002|312000000000000148|00123456789|12050"
        );
        let pdf = pdf(&ente, &n).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
