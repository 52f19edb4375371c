//! The command-line tools the tests read PDFs with (poppler-utils, dmtx-utils), and rqrr for
//! the QR codes. A missing tool fails loudly with what to install.

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

/// Page `pagina` rendered to a grey-scale image at `dpi`: (width, height, pixels).
fn immagine(pdf: &Path, pagina: usize, dpi: u32) -> (usize, usize, Vec<u8>) {
    let n = pagina.to_string();
    let r = dpi.to_string();
    let out = esegui(
        "pdftoppm",
        "poppler-utils",
        &["-gray", "-r", &r, "-f", &n, "-l", &n, pdf.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "pdftoppm: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    leggi_pgm(&out.stdout)
}

fn leggi_pgm(b: &[u8]) -> (usize, usize, Vec<u8>) {
    // P5 <w> <h> <max>\n<bytes>
    let mut campi = Vec::new();
    let mut i = 0;
    while campi.len() < 4 {
        while b[i].is_ascii_whitespace() {
            i += 1;
        }
        let inizio = i;
        while !b[i].is_ascii_whitespace() {
            i += 1;
        }
        campi.push(String::from_utf8_lossy(&b[inizio..i]).to_string());
    }
    assert_eq!(campi[0], "P5");
    let (w, h): (usize, usize) = (campi[1].parse().unwrap(), campi[2].parse().unwrap());
    let dati = b[i + 1..].to_vec();
    assert_eq!(dati.len(), w * h);
    (w, h, dati)
}

/// Every QR code on page `pagina`, decoded (rqrr on a 150 dpi rendering).
pub fn decodifica_qr(pdf: &Path, pagina: usize) -> Vec<String> {
    let (w, h, px) = immagine(pdf, pagina, 150);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| px[y * w + x]);
    img.detect_grids()
        .into_iter()
        .map(|g| {
            g.decode()
                .unwrap_or_else(|e| panic!("QR on page {pagina} not readable: {e:?}"))
                .1
        })
        .collect()
}

/// The Data Matrix symbols on page `pagina`: each one's text and its size in modules
/// (`dmtxread -v` on a 200 dpi PNG). dmtxread scans until its time limit unless told how many
/// symbols to expect and where: `attesi`, in the left quarter of the page, where the
/// bollettino draws them. Every payload starts with Poste's `codfase=`.
pub fn decodifica_datamatrix(pdf: &Path, pagina: usize, attesi: usize) -> Vec<(String, String)> {
    if attesi == 0 {
        return Vec::new();
    }
    let base = cartella().join(format!(
        "dm-{}-{pagina}",
        pdf.file_stem().unwrap().to_string_lossy()
    ));
    let n = pagina.to_string();
    ok(
        "pdftoppm",
        "poppler-utils",
        &[
            "-png",
            "-gray",
            "-r",
            "200",
            "-singlefile",
            "-f",
            &n,
            "-l",
            &n,
            pdf.to_str().unwrap(),
            base.to_str().unwrap(),
        ],
    );
    let png = base.with_extension("png");
    let out = esegui(
        "dmtxread",
        "dmtx-utils",
        &[
            "-v",
            "-n",
            "-s",
            "s",
            "-X",
            "25%",
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
