//! The command-line tools the tests read PDFs with: poppler-utils (`pdftoppm`, `pdftotext`,
//! `pdfinfo`, `pdffonts`, `pdfimages`), zbar-tools (`zbarimg`) and dmtx-utils (`dmtxread`). A
//! missing tool fails loudly with what to install.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `target/mpd-avviso/` (or `$CARGO_TARGET_DIR/mpd-avviso/`), where samples are written.
pub fn cartella() -> PathBuf {
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../target"));
    let d = base.join("mpd-avviso");
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn esegui(programma: &str, pacchetto: &str, args: &[&str]) -> std::process::Output {
    Command::new(programma).args(args).output().unwrap_or_else(|e| {
        panic!("{programma} not runnable ({e}): install the Debian package {pacchetto} (.ci/setup does)")
    })
}

fn ok(programma: &str, pacchetto: &str, args: &[&str]) -> String {
    let out = esegui(programma, pacchetto, args);
    assert!(
        out.status.success(),
        "{programma} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The page count (`pdfinfo`).
pub fn pagine_pdf(pdf: &Path) -> usize {
    let info = ok("pdfinfo", "poppler-utils", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

/// The text, in reading order (`pdftotext -layout`).
pub fn testo_pdf(pdf: &Path) -> String {
    ok(
        "pdftotext",
        "poppler-utils",
        &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"],
    )
}

/// `pdffonts`' table.
pub fn font_pdf(pdf: &Path) -> String {
    ok("pdffonts", "poppler-utils", &[pdf.to_str().unwrap()])
}

/// The number of images drawn (`pdfimages -list`).
pub fn immagini_pdf(pdf: &Path) -> usize {
    ok(
        "pdfimages",
        "poppler-utils",
        &["-list", pdf.to_str().unwrap()],
    )
    .lines()
    .skip(2)
    .count()
}

/// Every word: (page, xMin, xMax, yMin, yMax, text), in points (`pdftotext -bbox`).
pub type Parola = (usize, f32, f32, f32, f32, String);

/// Every word of `pdf` with its box.
pub fn riquadri(pdf: &Path) -> Vec<Parola> {
    let html = ok(
        "pdftotext",
        "poppler-utils",
        &["-bbox", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"],
    );
    let mut out = Vec::new();
    let mut pagina = 0;
    for riga in html.lines() {
        let riga = riga.trim();
        if riga.starts_with("<page ") {
            pagina += 1;
        } else if let Some(resto) = riga.strip_prefix("<word ") {
            let attr = |nome: &str| -> f32 {
                let i = resto.find(&format!("{nome}=\"")).unwrap() + nome.len() + 2;
                resto[i..].split('"').next().unwrap().parse().unwrap()
            };
            let parola = resto.split('>').nth(1).unwrap().split('<').next().unwrap();
            out.push((
                pagina,
                attr("xMin"),
                attr("xMax"),
                attr("yMin"),
                attr("yMax"),
                parola.to_string(),
            ));
        }
    }
    out
}

/// Every word with its page and position (points, one decimal): the golden layout.
pub fn parole(pdf: &Path) -> String {
    riquadri(pdf)
        .into_iter()
        .map(|(pagina, x, _, _, y, parola)| format!("{pagina} {x:.1} {y:.1} {parola}\n"))
        .collect()
}

/// Page `pagina` as a grey-scale PNG at `dpi` in the samples' folder; returns its path.
fn png_pagina(pdf: &Path, pagina: usize, dpi: u32, tag: &str) -> PathBuf {
    let base = cartella().join(format!(
        "{tag}-{}-{pagina}",
        pdf.file_stem().unwrap().to_string_lossy()
    ));
    let (n, r) = (pagina.to_string(), dpi.to_string());
    ok(
        "pdftoppm",
        "poppler-utils",
        &[
            "-png",
            "-gray",
            "-r",
            &r,
            "-singlefile",
            "-f",
            &n,
            "-l",
            &n,
            pdf.to_str().unwrap(),
            base.to_str().unwrap(),
        ],
    );
    base.with_extension("png")
}

/// Every QR code on page `pagina`, decoded (`zbarimg` on a 150 dpi rendering).
pub fn decodifica_qr(pdf: &Path, pagina: usize) -> Vec<String> {
    let png = png_pagina(pdf, pagina, 150, "qr");
    let out = esegui(
        "zbarimg",
        "zbar-tools",
        &[
            "-q",
            "--raw",
            "-Sdisable",
            "-Sqrcode.enable",
            png.to_str().unwrap(),
        ],
    );
    let _ = std::fs::remove_file(&png);
    // zbarimg exits 4 when it finds nothing: the comparison with the expected payloads says so.
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The Data Matrix symbols on page `pagina`: each one's text and its size in modules
/// (`dmtxread -v` on a 200 dpi PNG). dmtxread scans until its time limit unless told how many
/// symbols to expect (`attesi`). Every payload starts with Poste's `codfase=`.
pub fn decodifica_datamatrix(pdf: &Path, pagina: usize, attesi: usize) -> Vec<(String, String)> {
    if attesi == 0 {
        return Vec::new();
    }
    let png = png_pagina(pdf, pagina, 200, "dm");
    let out = esegui(
        "dmtxread",
        "dmtx-utils",
        &[
            "-v",
            "-n",
            "-s",
            "s",
            "-N",
            &attesi.to_string(),
            "-m",
            "20000",
            png.to_str().unwrap(),
        ],
    );
    // dmtxread exits 1 when it finds nothing: the comparison with the expected payloads says so.
    let testo = String::from_utf8_lossy(&out.stdout).to_string();
    let dettagli = String::from_utf8_lossy(&out.stderr).to_string();
    let _ = std::fs::remove_file(&png);
    let dimensioni = dettagli
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Matrix Size:"))
        .map(|d| d.trim().to_string());
    let testi = testo
        .lines()
        .filter(|l| l.starts_with("codfase="))
        .map(str::to_string);
    testi.zip(dimensioni).collect()
}

/// The pages of `pdf` as PNG files `<base>-<n>.png` at 110 dpi.
pub fn png(pdf: &Path, base: &Path) {
    ok(
        "pdftoppm",
        "poppler-utils",
        &[
            "-png",
            "-r",
            "110",
            pdf.to_str().unwrap(),
            base.to_str().unwrap(),
        ],
    );
}
