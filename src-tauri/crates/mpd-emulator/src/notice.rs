//! pagoPA payment notices (`_AVVISI_PDF`, `urlFileAvviso`): a real one-page PDF per debt with
//! the Ente, the payer, the notice number (`3` + IUV17), the amount and the due date, and the
//! pagoPA QR code `PAGOPA|002|<notice number>|<Ente fiscal code>|<amount in cents>`.
//!
//! The PDF is written by hand (PDF 1.4, about 3 KB): text in the standard Helvetica fonts
//! (WinAnsiEncoding, not embedded, so accented Italian letters print), the QR code as a 1-bit
//! image mask. A 100,000-row flow asks for 100,000 notices, so they must cost microseconds:
//! drawing them with a general PDF library (font subsetting per document) took about 2 ms
//! each, 190 s for such a flow. `_AVVISI_PDF.zip` is built on every core, each thread
//! deflating its share into a zip of its own, merged without recompression.
//! The layout is a plain sketch of the official notice, enough for a clerk to recognise it;
//! the data are the point.

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use mpd_domain::{Column, Ente, RawRow};
use zip::write::SimpleFileOptions;

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

/// A PDF string literal in WinAnsiEncoding: `(`, `)` and `\` escaped, Latin-1 letters as
/// octal escapes, the euro sign as 0x80, anything else as `?`.
fn pdf_text(out: &mut String, text: &str) {
    out.push('(');
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            '\u{a0}'..='\u{ff}' => {
                let _ = write!(out, "\\{:03o}", c as u32);
            }
            '€' => out.push_str("\\200"),
            _ => out.push('?'),
        }
    }
    out.push(')');
}

/// The modules of the QR code of `payload` (EC level M): its width and colours, row by row.
///
/// Built step by step with qrcode's own encoder, but with one fixed mask (pattern 000) instead
/// of the best of eight: every mask gives a standard, readable code (the choice only lowers a
/// readability penalty), and scoring the eight was 60 % of the time of a notice.
pub fn qr_modules(payload: &str) -> Result<(usize, Vec<qrcode::Color>), String> {
    use qrcode::EcLevel;
    let err = |e: qrcode::types::QrError| e.to_string();
    let bits = qrcode::bits::encode_auto(payload.as_bytes(), EcLevel::M).map_err(err)?;
    let version = bits.version();
    let (data, ec) =
        qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).map_err(err)?;
    let mut canvas = qrcode::canvas::Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    canvas.apply_mask(qrcode::canvas::MaskPattern::Checkerboard);
    Ok((version.width() as usize, canvas.into_colors()))
}

/// One notice as a PDF.
pub fn pdf(ente: &Ente, n: &Notice) -> Result<Vec<u8>, String> {
    const HEIGHT: i32 = 842;
    let mut content = String::with_capacity(1500);
    let y = std::cell::Cell::new(60i32);
    let line = |content: &mut String, text: &str, bold: bool, size: i32, gap: i32| {
        let _ = write!(
            content,
            "BT /{} {size} Tf 50 {} Td ",
            if bold { "F2" } else { "F1" },
            HEIGHT - y.get() - size
        );
        pdf_text(content, text);
        content.push_str(" Tj ET\n");
        y.set(y.get() + gap);
    };
    line(&mut content, "AVVISO DI PAGAMENTO pagoPA", true, 20, 36);
    line(&mut content, &ente.denominazione, true, 14, 18);
    line(
        &mut content,
        &format!("Codice fiscale Ente: {}", ente.codice_fiscale),
        false,
        10,
        28,
    );
    line(
        &mut content,
        &format!("Destinatario: {}", n.pagatore),
        false,
        12,
        16,
    );
    line(
        &mut content,
        &format!("Codice fiscale / P.IVA: {}", n.codice_pagatore),
        false,
        10,
        28,
    );
    line(&mut content, "Oggetto del pagamento:", false, 10, 14);
    for chunk in wrap(&n.causale, 80).iter().take(4) {
        line(&mut content, chunk, false, 10, 14);
    }
    y.set(y.get() + 14);
    line(
        &mut content,
        &format!("Importo: {} euro", n.importo.replace('.', ",")),
        true,
        16,
        22,
    );
    if let Some(d) = &n.scadenza {
        line(&mut content, &format!("Entro il: {d}"), false, 12, 18);
    }
    line(
        &mut content,
        &format!(
            "Codice avviso: {}",
            mpd_domain::iuv::format_notice(&n.numero_avviso())
        ),
        true,
        12,
        16,
    );
    line(&mut content, &format!("IUV: {}", n.iuv), false, 10, 16);
    // The QR code: one bit per module (1 = light, so that the mask paints the dark ones),
    // rows padded to whole bytes, scaled to 3 points a module.
    let (width, colors) = qr_modules(&n.qr_payload(ente))?;
    let row_bytes = width.div_ceil(8);
    let mut mask = vec![0u8; row_bytes * width];
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Light {
            let (x, yq) = (i % width, i / width);
            mask[yq * row_bytes + x / 8] |= 0x80 >> (x % 8);
        }
    }
    let side = 3 * width as i32;
    let _ = writeln!(
        content,
        "q {side} 0 0 {side} 400 {} cm /Q1 Do Q",
        HEIGHT - 420 - side
    );
    // The objects, then the cross-reference table with their byte offsets.
    let mut out: Vec<u8> = Vec::with_capacity(content.len() + mask.len() + 1200);
    out.extend_from_slice(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
    let mut offsets = Vec::with_capacity(8);
    let mut obj = |out: &mut Vec<u8>, head: &str, stream: Option<&[u8]>| {
        offsets.push(out.len());
        let _ = write!(out, "{} 0 obj\n{head}", offsets.len());
        if let Some(data) = stream {
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(data);
            out.extend_from_slice(b"\nendstream");
        }
        out.extend_from_slice(b"\nendobj\n");
    };
    obj(&mut out, "<< /Type /Catalog /Pages 2 0 R >>", None);
    obj(&mut out, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", None);
    obj(
        &mut out,
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R /F2 6 0 R >> /XObject << /Q1 7 0 R >> >> >>",
        None,
    );
    obj(
        &mut out,
        &format!("<< /Length {} >>", content.len()),
        Some(content.as_bytes()),
    );
    obj(
        &mut out,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        None,
    );
    obj(
        &mut out,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        None,
    );
    obj(
        &mut out,
        &format!(
            "<< /Type /XObject /Subtype /Image /Width {width} /Height {width} /ImageMask true \
             /BitsPerComponent 1 /Length {} >>",
            mask.len()
        ),
        Some(&mask),
    );
    let xref = out.len();
    let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1);
    for o in &offsets {
        let _ = writeln!(out, "{o:010} 00000 n ");
    }
    let _ = write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        offsets.len() + 1
    );
    Ok(out)
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

/// `_AVVISI_PDF.zip`: one `avviso_<IUV>.pdf` per notice, in the notices' order (the batch uses
/// [`AvvisiBuilder`] directly, to draw notices while rows are still being judged).
#[cfg(test)]
pub fn avvisi_zip(ente: &Ente, notices: &[Notice]) -> Result<Vec<u8>, String> {
    let mut b = AvvisiBuilder::new(ente);
    for n in notices {
        b.push(n.clone());
    }
    let mut out = Cursor::new(Vec::new());
    b.finish(&mut out)?;
    Ok(out.into_inner())
}

/// Notices per batch handed to a worker.
const BATCH: usize = 512;

type Part = (usize, Result<Vec<u8>, String>);

/// Builds `_AVVISI_PDF.zip` while the import is still judging rows: notices are pushed as
/// their rows are loaded, and one worker per core writes and deflates them in batches, each
/// batch a small zip of its own; `finish` merges the batches in order, copying their
/// compressed entries. On two cores the notices are drawn beside the row checks instead of
/// after them.
pub struct AvvisiBuilder {
    tx: Option<std::sync::mpsc::Sender<(usize, Vec<Notice>)>>,
    workers: Vec<std::thread::JoinHandle<Vec<Part>>>,
    pending: Vec<Notice>,
    batches: usize,
    count: usize,
}

impl AvvisiBuilder {
    pub fn new(ente: &Ente) -> AvvisiBuilder {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Vec<Notice>)>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8);
        let workers = (0..threads)
            .map(|_| {
                let (rx, ente) = (rx.clone(), ente.clone());
                std::thread::spawn(move || {
                    let mut parts = Vec::new();
                    loop {
                        let next = rx.lock().map(|r| r.recv());
                        let Ok(Ok((i, batch))) = next else {
                            break;
                        };
                        parts.push((i, zip_of(&ente, &batch)));
                    }
                    parts
                })
            })
            .collect();
        AvvisiBuilder {
            tx: Some(tx),
            workers,
            pending: Vec::with_capacity(BATCH),
            batches: 0,
            count: 0,
        }
    }

    pub fn push(&mut self, n: Notice) {
        self.count += 1;
        self.pending.push(n);
        if self.pending.len() == BATCH {
            self.flush();
        }
    }

    /// Notices pushed so far.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let batch = std::mem::replace(&mut self.pending, Vec::with_capacity(BATCH));
        if let Some(tx) = &self.tx {
            let _ = tx.send((self.batches, batch));
        }
        self.batches += 1;
    }

    /// Waits for the workers and writes the whole zip to `out`.
    pub fn finish<W: Write + std::io::Seek>(mut self, out: W) -> Result<(), String> {
        self.flush();
        self.tx = None;
        let mut parts: Vec<Part> = Vec::with_capacity(self.batches);
        for w in self.workers.drain(..) {
            parts.extend(
                w.join()
                    .map_err(|_| "thread dei PDF interrotto".to_string())?,
            );
        }
        if parts.len() != self.batches {
            return Err("avvisi mancanti".into());
        }
        parts.sort_by_key(|p| p.0);
        let mut zip = zip::ZipWriter::new(out);
        for (_, p) in parts {
            let archive = zip::ZipArchive::new(Cursor::new(p?)).map_err(|e| e.to_string())?;
            zip.merge_archive(archive).map_err(|e| e.to_string())?;
        }
        zip.finish().map(|_| ()).map_err(|e| e.to_string())
    }
}

fn zip_of(ente: &Ente, notices: &[Notice]) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(notices.len() * 2048)));
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
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
            "PAGOPA|002|312000000000000148|00123456782|12050"
        );
        let pdf = pdf(&ente, &n).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        // An independent reader (poppler's pdftotext, when installed) finds the data.
        let dir = std::env::temp_dir().join(format!("mpd-notice-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("avviso.pdf");
        std::fs::write(&path, &pdf).unwrap();
        if let Ok(out) = std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
        {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                text.contains("3120 0000 0000 0001 48") || text.contains("312000000000000148"),
                "{text}"
            );
            assert!(
                text.contains("120,50 euro") && text.contains("MARIO ROSSI"),
                "{text}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_fixed_mask_qr_code_is_a_standard_one() {
        // The same code qrcode builds with mask 000 chosen among the eight: compare with its
        // own renderer after forcing that mask through the public API.
        // An independent decoder (rqrr) reads back the payload from the modules, drawn 4
        // pixels each with a 4-module quiet zone.
        let payload = "PAGOPA|002|312000000000000148|00123456789|12050";
        let (w, colors) = qr_modules(payload).unwrap();
        assert_eq!(colors.len(), w * w);
        let (scale, quiet) = (4, 4);
        let side = (w + 2 * quiet) * scale;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            let (mx, my) = (
                (x / scale).wrapping_sub(quiet),
                (y / scale).wrapping_sub(quiet),
            );
            if mx < w && my < w && colors[my * w + mx] == qrcode::Color::Dark {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        let (meta, text) = grids[0].decode().unwrap();
        assert_eq!(text, payload);
        assert_eq!(meta.mask, 0);
    }

    #[test]
    fn the_avvisi_zip_keeps_one_pdf_per_notice_in_order() {
        let ente = mpd_core::debts::demo_ente();
        let notices: Vec<Notice> = (0..25)
            .map(|i| Notice {
                iuv: format!("1200000000000{i:04}"),
                importo: "1.00".into(),
                pagatore: "Società Àèìòù".into(),
                codice_pagatore: "RSSMRA80A01H501U".into(),
                causale: "Prova (con parentesi) e \\ barra".into(),
                scadenza: None,
            })
            .collect();
        let zip = avvisi_zip(&ente, &notices).unwrap();
        let mut z = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        assert_eq!(z.len(), 25);
        for (i, n) in notices.iter().enumerate() {
            let mut f = z.by_index(i).unwrap();
            assert_eq!(f.name().unwrap(), format!("avviso_{}.pdf", n.iuv));
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut b).unwrap();
            assert!(b.starts_with(b"%PDF-1.4") && b.ends_with(b"%%EOF\n"));
        }
    }
}
