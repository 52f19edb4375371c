//! Drawing primitives on a krilla page, or on an SVG page for the preview ([`Svg`], the same
//! calls in the same coordinates): text in the notice's fonts (measured, so it can be
//! right-aligned and wrapped), filled rectangles, the QR code and the Data Matrix as vector
//! squares, the Ente's logo.
//!
//! Fonts: Titillium Web (Regular, SemiBold, Bold, Black) for text and Roboto Mono Bold for
//! codes, the OFL fonts of the standard's implementations (spec avviso-pagamento.md §2.2),
//! shipped in `assets/fonts/` with their licences and embedded as subsets. Widths come from
//! the fonts' own advances (skrifa, the version krilla uses); kerning is left out, so a
//! measured run is at most a hair wider than the drawn one.
//!
//! Coordinates are points from the top-left corner (krilla's), y growing downwards; a text's
//! `y` is its baseline.

use std::sync::OnceLock;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size as FontSize};

/// Millimetres to points.
pub const MM: f32 = 72.0 / 25.4;

/// The notice's typefaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stile {
    /// Titillium Web Regular.
    Regolare,
    /// Titillium Web SemiBold.
    Semi,
    /// Titillium Web Bold.
    Grassetto,
    /// Titillium Web Black.
    Nero,
    /// Roboto Mono Bold (codes).
    Mono,
}

const REGOLARE: &[u8] = include_bytes!("../../../../assets/fonts/TitilliumWeb-Regular.ttf");
const SEMI: &[u8] = include_bytes!("../../../../assets/fonts/TitilliumWeb-SemiBold.ttf");
const GRASSETTO: &[u8] = include_bytes!("../../../../assets/fonts/TitilliumWeb-Bold.ttf");
const NERO: &[u8] = include_bytes!("../../../../assets/fonts/TitilliumWeb-Black.ttf");
const MONO: &[u8] = include_bytes!("../../../../assets/fonts/RobotoMono-Bold.ttf");

/// One font: krilla's handle and the advance of each character below U+2200 (in em).
struct Carattere {
    font: Font,
    avanzamenti: Vec<f32>,
    medio: f32,
}

const COPERTI: usize = 0x2200;

fn carica(bytes: &'static [u8]) -> Option<Carattere> {
    let font = Font::new(bytes.into(), 0)?;
    let f = skrifa::FontRef::new(bytes).ok()?;
    let upem = f32::from(
        f.metrics(FontSize::unscaled(), LocationRef::default())
            .units_per_em,
    );
    let cmap = f.charmap();
    let metriche = f.glyph_metrics(FontSize::unscaled(), LocationRef::default());
    let mut avanzamenti = vec![0.0; COPERTI];
    for (cp, slot) in avanzamenti.iter_mut().enumerate() {
        if let Some(c) = char::from_u32(cp as u32)
            && let Some(g) = cmap.map(c)
        {
            *slot = metriche.advance_width(g).unwrap_or(0.0) / upem;
        }
    }
    let medio = avanzamenti[usize::from(b'n')];
    Some(Carattere {
        font,
        avanzamenti,
        medio,
    })
}

struct Caratteri([Carattere; 5]);

fn caratteri() -> Option<&'static Caratteri> {
    static C: OnceLock<Option<Caratteri>> = OnceLock::new();
    C.get_or_init(|| {
        Some(Caratteri([
            carica(REGOLARE)?,
            carica(SEMI)?,
            carica(GRASSETTO)?,
            carica(NERO)?,
            carica(MONO)?,
        ]))
    })
    .as_ref()
}

fn carattere(stile: Stile) -> &'static Carattere {
    // `verifica_caratteri` runs before any drawing (render and Lotto call it), so the fonts
    // are there whenever this is reached.
    let c = caratteri().unwrap_or_else(|| unreachable!("fonts checked by verifica_caratteri"));
    &c.0[stile as usize]
}

/// `true` when the shipped fonts load (they are compiled in: a broken build fails here).
pub fn verifica_caratteri() -> bool {
    caratteri().is_some()
}

/// The width of `testo` in `stile` at `corpo` points.
pub fn larghezza(testo: &str, stile: Stile, corpo: f32) -> f32 {
    let c = carattere(stile);
    testo
        .chars()
        .map(|ch| {
            c.avanzamenti
                .get(ch as usize)
                .copied()
                .filter(|a| *a > 0.0)
                .unwrap_or(c.medio)
        })
        .sum::<f32>()
        * corpo
}

/// Words of `testo` in lines no wider than `misura` points (a word longer than a line is cut).
pub fn a_capo(testo: &str, stile: Stile, corpo: f32, misura: f32) -> Vec<String> {
    let mut righe = Vec::new();
    let mut riga = String::new();
    for parola in testo.split_whitespace() {
        let prova = if riga.is_empty() {
            parola.to_string()
        } else {
            format!("{riga} {parola}")
        };
        if larghezza(&prova, stile, corpo) <= misura || riga.is_empty() {
            riga = prova;
        } else {
            righe.push(std::mem::replace(&mut riga, parola.to_string()));
        }
        // A single word wider than the line (an e-mail address, a long code): cut it.
        while larghezza(&riga, stile, corpo) > misura && riga.chars().count() > 1 {
            let mut taglio = riga.chars().count() - 1;
            while taglio > 1
                && larghezza(&riga.chars().take(taglio).collect::<String>(), stile, corpo) > misura
            {
                taglio -= 1;
            }
            let testa: String = riga.chars().take(taglio).collect();
            let coda: String = riga.chars().skip(taglio).collect();
            righe.push(testa);
            riga = coda;
        }
    }
    if !riga.is_empty() {
        righe.push(riga);
    }
    righe
}

/// A colour of the standard's palette.
#[derive(Clone, Copy, Debug)]
pub enum Colore {
    /// Nero 100%.
    Nero,
    /// 70 % black (Poste's authorisation).
    Nero70,
    /// Grigio secondario `#7C7C7B`.
    Grigio,
    /// Grigio chiaro `#ECECEC` (section backgrounds).
    GrigioChiaro,
    /// Blu pagoPA `#0066CC` (the pagoPA mark only).
    Blu,
    /// White.
    Bianco,
}

impl Colore {
    /// The colour's red, green and blue.
    fn rgb(self) -> (u8, u8, u8) {
        match self {
            Colore::Nero => (0, 0, 0),
            Colore::Nero70 => (77, 77, 77),
            Colore::Grigio => (0x7c, 0x7c, 0x7b),
            Colore::GrigioChiaro => (0xec, 0xec, 0xec),
            Colore::Blu => (0x00, 0x66, 0xcc),
            Colore::Bianco => (255, 255, 255),
        }
    }
}

fn riempimento(colore: Colore) -> Fill {
    let (r, g, b) = colore.rgb();
    let c = rgb::Color::new(r, g, b);
    Fill {
        paint: c.into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// Where a [`Tela`] draws: a krilla surface (the PDF), an SVG page (the preview), or nowhere.
enum Fondo<'a, 'b> {
    Vuoto,
    Pdf(&'a mut Surface<'b>),
    Svg(&'a mut Svg),
}

/// A page being drawn, or only measured (no surface: every drawing call is skipped, the
/// positions are computed all the same). The layout (`impagina`) draws through it alone, so a
/// page is the same code path whether it becomes PDF or SVG.
pub struct Tela<'a, 'b> {
    s: Fondo<'a, 'b>,
}

impl<'a, 'b> Tela<'a, 'b> {
    /// Draws on `s`.
    pub fn new(s: &'a mut Surface<'b>) -> Self {
        Tela { s: Fondo::Pdf(s) }
    }

    /// Draws into the SVG page `s`, in the same coordinates.
    pub fn svg(s: &'a mut Svg) -> Self {
        Tela { s: Fondo::Svg(s) }
    }

    /// A page that is only measured.
    pub fn a_vuoto() -> Self {
        Tela { s: Fondo::Vuoto }
    }

    fn vuota(&self) -> bool {
        matches!(self.s, Fondo::Vuoto)
    }

    /// Text at baseline `(x, y)`.
    pub fn testo(&mut self, x: f32, y: f32, stile: Stile, corpo: f32, colore: Colore, t: &str) {
        if t.is_empty() {
            return;
        }
        match &mut self.s {
            Fondo::Vuoto => {}
            Fondo::Pdf(s) => {
                s.set_fill(Some(riempimento(colore)));
                s.draw_text(
                    Point::from_xy(x, y),
                    carattere(stile).font.clone(),
                    corpo,
                    t,
                    false,
                    TextDirection::Auto,
                );
            }
            Fondo::Svg(s) => s.testo(x, y, stile, corpo, colore, t),
        }
    }

    /// Text ending at `x_destra`.
    pub fn testo_a_destra(
        &mut self,
        x_destra: f32,
        y: f32,
        stile: Stile,
        corpo: f32,
        colore: Colore,
        t: &str,
    ) {
        let w = larghezza(t, stile, corpo);
        self.testo(x_destra - w, y, stile, corpo, colore, t);
    }

    /// A paragraph wrapped to `misura` from baseline `y`; returns the baseline after its last
    /// line (`y` + lines × `interlinea`).
    #[allow(clippy::too_many_arguments)]
    pub fn paragrafo(
        &mut self,
        x: f32,
        y: f32,
        misura: f32,
        stile: Stile,
        corpo: f32,
        interlinea: f32,
        t: &str,
    ) -> f32 {
        let mut y = y;
        for riga in a_capo(t, stile, corpo, misura) {
            self.testo(x, y, stile, corpo, Colore::Nero, &riga);
            y += interlinea;
        }
        y
    }

    /// A filled rectangle.
    pub fn rettangolo(&mut self, x: f32, y: f32, w: f32, h: f32, colore: Colore) {
        let Some(r) = Rect::from_xywh(x, y, w, h) else {
            return;
        };
        match &mut self.s {
            Fondo::Vuoto => {}
            Fondo::Pdf(s) => {
                let mut pb = PathBuilder::new();
                pb.push_rect(r);
                if let Some(path) = pb.finish() {
                    s.set_fill(Some(riempimento(colore)));
                    s.draw_path(&path);
                }
            }
            Fondo::Svg(s) => s.percorso(&[(x, y, w, h)], colore),
        }
    }

    /// A frame of `spessore` around the rectangle (four thin filled bars).
    pub fn cornice(&mut self, x: f32, y: f32, w: f32, h: f32, spessore: f32, colore: Colore) {
        self.rettangolo(x, y, w, spessore, colore);
        self.rettangolo(x, y + h - spessore, w, spessore, colore);
        self.rettangolo(x, y, spessore, h, colore);
        self.rettangolo(x + w - spessore, y, spessore, h, colore);
    }

    /// A square matrix of modules (`scuro(x, y)` for the dark ones) filling `lato` points at
    /// `(x, y)`, on white: one path of squares, so it stays vector.
    fn matrice(
        &mut self,
        x: f32,
        y: f32,
        lato: f32,
        moduli_x: usize,
        moduli_y: usize,
        scuro: impl Fn(usize, usize) -> bool,
    ) {
        self.rettangolo(
            x,
            y,
            lato,
            lato * moduli_y as f32 / moduli_x as f32,
            Colore::Bianco,
        );
        let m = lato / moduli_x as f32;
        // One rectangle per horizontal run of dark modules.
        let mut corse = Vec::new();
        for j in 0..moduli_y {
            let mut i = 0;
            while i < moduli_x {
                if scuro(i, j) {
                    let inizio = i;
                    while i < moduli_x && scuro(i, j) {
                        i += 1;
                    }
                    corse.push((
                        x + inizio as f32 * m,
                        y + j as f32 * m,
                        (i - inizio) as f32 * m,
                        m,
                    ));
                } else {
                    i += 1;
                }
            }
        }
        match &mut self.s {
            Fondo::Vuoto => {}
            Fondo::Pdf(s) => {
                let mut pb = PathBuilder::new();
                for &(rx, ry, rw, rh) in &corse {
                    if let Some(r) = Rect::from_xywh(rx, ry, rw, rh) {
                        pb.push_rect(r);
                    }
                }
                if let Some(path) = pb.finish() {
                    s.set_fill(Some(riempimento(Colore::Nero)));
                    s.draw_path(&path);
                }
            }
            Fondo::Svg(s) => s.percorso(&corse, Colore::Nero),
        }
    }

    /// The QR code of `payload` (version 4, ECC M) in a `lato`-point square, quiet zone
    /// included (4 modules on each side, as ISO/IEC 18004 asks).
    pub fn qr(&mut self, x: f32, y: f32, lato: f32, payload: &str) -> Result<(), String> {
        if self.vuota() {
            return Ok(());
        }
        let moduli = qr_moduli(payload)?;
        let (n, scuri) = (moduli.0, &moduli.1);
        let zona = 4;
        let tot = n + 2 * zona;
        self.matrice(x, y, lato, tot, tot, |i, j| {
            i >= zona
                && j >= zona
                && i < zona + n
                && j < zona + n
                && scuri[(j - zona) * n + (i - zona)]
        });
        Ok(())
    }

    /// The ECC200 Data Matrix of `payload` in a `lato`-point square, with a quiet zone of 2
    /// modules: a square symbol of `moduli` × `moduli` when given, else the smallest square
    /// one that holds it.
    pub fn datamatrix(
        &mut self,
        x: f32,
        y: f32,
        lato: f32,
        payload: &str,
        moduli: Option<usize>,
    ) -> Result<(), String> {
        if self.vuota() {
            return Ok(());
        }
        let simboli = match moduli {
            Some(m) => {
                let scelta = simbolo_quadrato(m).ok_or_else(|| {
                    format!("{m} moduli non è una dimensione quadrata di Data Matrix ECC200")
                })?;
                datamatrix::SymbolList::with_whitelist([scelta])
            }
            None => datamatrix::SymbolList::default().enforce_square(),
        };
        let code = datamatrix::DataMatrix::encode(payload.as_bytes(), simboli).map_err(|_| {
            "Data Matrix non generabile: i dati non entrano nel simbolo".to_string()
        })?;
        let bitmap = code.bitmap();
        let (w, h) = (bitmap.width(), bitmap.height());
        let mut scuri = vec![false; w * h];
        for (i, j) in bitmap.pixels() {
            scuri[j * w + i] = true;
        }
        let zona = 2;
        let tot = w + 2 * zona;
        self.matrice(x, y, lato, tot, h + 2 * zona, |i, j| {
            i >= zona
                && j >= zona
                && i < zona + w
                && j < zona + h
                && scuri[(j - zona) * w + (i - zona)]
        });
        Ok(())
    }

    /// The logo fitted into the `w`×`h` box at `(x, y)`, keeping its proportions, aligned
    /// right: `immagine` decoded for the PDF, `bytes` its PNG or JPEG file for the SVG.
    #[allow(clippy::too_many_arguments)]
    pub fn logo(&mut self, x: f32, y: f32, w: f32, h: f32, immagine: &Image, bytes: &[u8]) {
        let (iw, ih) = immagine.size();
        if iw == 0 || ih == 0 {
            return;
        }
        let scala = (w / iw as f32).min(h / ih as f32);
        let (dw, dh) = (iw as f32 * scala, ih as f32 * scala);
        let Some(size) = Size::from_wh(dw, dh) else {
            return;
        };
        let (lx, ly) = (x + w - dw, y + (h - dh) / 2.0);
        match &mut self.s {
            Fondo::Vuoto => {}
            Fondo::Pdf(s) => {
                s.push_transform(&Transform::from_translate(lx, ly));
                s.draw_image(immagine.clone(), size);
                s.pop();
            }
            Fondo::Svg(s) => s.immagine(lx, ly, dw, dh, bytes),
        }
    }
}

/// One page as SVG, drawn by a [`Tela`] in the PDF's coordinates (points, y down): text as
/// `<text>` in the notice's fonts, rectangles and the QR and Data Matrix modules as paths, the
/// logo as a data-URI `<image>`.
///
/// The fonts used on the page are embedded as `@font-face` data URIs (about 75 KB each as
/// base64, some 400 KB when all five are used): the preview is then exact wherever it is shown
/// (inline in the page or as an `<img>`, which cannot reach the page's own fonts; the window's
/// bootstrap-italia has neither Titillium Web Black nor Roboto Mono Bold). The embedded
/// families get names of their own, so an inline preview never replaces the page's fonts.
#[derive(Default)]
pub struct Svg {
    corpo: String,
    usati: [bool; 5],
}

/// A number for SVG: two decimals at most, no trailing zeros.
fn n(v: f32) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

fn esc(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn esadecimale(c: Colore) -> String {
    let (r, g, b) = c.rgb();
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The embedded family, the page's own family as fallback, and the weight of `stile`.
fn famiglia(stile: Stile) -> (&'static str, &'static str, u16, &'static [u8]) {
    match stile {
        Stile::Regolare => ("MPD Avviso Titillium", "'Titillium Web'", 400, REGOLARE),
        Stile::Semi => ("MPD Avviso Titillium", "'Titillium Web'", 600, SEMI),
        Stile::Grassetto => ("MPD Avviso Titillium", "'Titillium Web'", 700, GRASSETTO),
        Stile::Nero => ("MPD Avviso Titillium", "'Titillium Web'", 900, NERO),
        Stile::Mono => ("MPD Avviso Roboto Mono", "'Roboto Mono'", 700, MONO),
    }
}

const STILI: [Stile; 5] = [
    Stile::Regolare,
    Stile::Semi,
    Stile::Grassetto,
    Stile::Nero,
    Stile::Mono,
];

impl Svg {
    /// An empty page.
    pub fn new() -> Svg {
        Svg::default()
    }

    fn testo(&mut self, x: f32, y: f32, stile: Stile, corpo: f32, colore: Colore, t: &str) {
        use std::fmt::Write;
        self.usati[stile as usize] = true;
        let (fam, riserva, peso, _) = famiglia(stile);
        let _ = writeln!(
            self.corpo,
            r#"<text x="{}" y="{}" font-family="'{fam}', {riserva}, sans-serif" font-weight="{peso}" font-size="{}" fill="{}">{}</text>"#,
            n(x),
            n(y),
            n(corpo),
            esadecimale(colore),
            esc(t)
        );
    }

    /// Filled rectangles `(x, y, w, h)` as one path.
    fn percorso(&mut self, rettangoli: &[(f32, f32, f32, f32)], colore: Colore) {
        use std::fmt::Write;
        if rettangoli.is_empty() {
            return;
        }
        let mut d = String::new();
        for &(x, y, w, h) in rettangoli {
            let _ = write!(d, "M{} {}h{}v{}h{}z", n(x), n(y), n(w), n(h), n(-w));
        }
        let _ = writeln!(
            self.corpo,
            r#"<path d="{d}" fill="{}"/>"#,
            esadecimale(colore)
        );
    }

    fn immagine(&mut self, x: f32, y: f32, w: f32, h: f32, bytes: &[u8]) {
        use base64::Engine;
        use std::fmt::Write;
        let tipo = if bytes.starts_with(&[0xff, 0xd8]) {
            "image/jpeg"
        } else {
            "image/png"
        };
        let _ = writeln!(
            self.corpo,
            r#"<image x="{}" y="{}" width="{}" height="{}" preserveAspectRatio="none" href="data:{tipo};base64,{}"/>"#,
            n(x),
            n(y),
            n(w),
            n(h),
            base64::engine::general_purpose::STANDARD.encode(bytes)
        );
    }

    /// The whole SVG document of a `larghezza` × `altezza` page (points), white, with the
    /// fonts it uses.
    pub fn documento(&self, larghezza: f32, altezza: f32, titolo: &str) -> String {
        use base64::Engine;
        use std::fmt::Write;
        let mut out = String::with_capacity(self.corpo.len() + 64 * 1024);
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}" xml:space="preserve" role="img"><title>{}</title>"#,
            esc(titolo),
            w = n(larghezza),
            h = n(altezza),
        );
        let usati: Vec<Stile> = STILI
            .into_iter()
            .filter(|s| self.usati[*s as usize])
            .collect();
        if !usati.is_empty() {
            out.push_str("<defs><style>");
            for stile in usati {
                let (fam, _, peso, bytes) = famiglia(stile);
                let _ = write!(
                    out,
                    "@font-face{{font-family:'{fam}';font-weight:{peso};font-style:normal;src:url(data:font/ttf;base64,{}) format('truetype');}}",
                    base64::engine::general_purpose::STANDARD.encode(bytes)
                );
            }
            out.push_str("</style></defs>\n");
        }
        let _ = writeln!(
            out,
            r#"<rect x="0" y="0" width="{}" height="{}" fill="white"/>"#,
            n(larghezza),
            n(altezza)
        );
        out.push_str(&self.corpo);
        out.push_str("</svg>\n");
        out
    }
}

/// The modules of the QR code of `payload` (its width, and dark or not row by row), encoded
/// once and kept for a while: a campaign draws every notice twice (its own PDF and the print
/// file's page, on different threads), and choosing a QR code's mask was a fifth of a
/// notice's drawing time.
fn qr_moduli(payload: &str) -> Result<std::sync::Arc<(usize, Vec<bool>)>, String> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    type Moduli = Arc<(usize, Vec<bool>)>;
    static CODICI: OnceLock<Mutex<HashMap<String, Moduli>>> = OnceLock::new();
    let codici = CODICI.get_or_init(Default::default);
    if let Some(m) = codici.lock().ok().and_then(|c| c.get(payload).cloned()) {
        return Ok(m);
    }
    let code = qrcode::QrCode::with_version(
        payload.as_bytes(),
        qrcode::Version::Normal(4),
        qrcode::EcLevel::M,
    )
    .map_err(|_| "codice QR non generabile: dati troppo lunghi per la versione 4".to_string())?;
    let moduli: Moduli = Arc::new((
        code.width(),
        code.to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect(),
    ));
    if let Ok(mut c) = codici.lock() {
        // A few hundred notices' worth (about 1 KB each): enough for threads drawing the same
        // notices a queue apart, small whatever the campaign.
        if c.len() >= 2048 {
            c.clear();
        }
        c.insert(payload.to_string(), moduli.clone());
    }
    Ok(moduli)
}

/// The square ECC200 symbol of `moduli` × `moduli`.
pub fn simbolo_quadrato(moduli: usize) -> Option<datamatrix::SymbolSize> {
    use datamatrix::SymbolSize as S;
    Some(match moduli {
        10 => S::Square10,
        12 => S::Square12,
        14 => S::Square14,
        16 => S::Square16,
        18 => S::Square18,
        20 => S::Square20,
        22 => S::Square22,
        24 => S::Square24,
        26 => S::Square26,
        32 => S::Square32,
        36 => S::Square36,
        40 => S::Square40,
        44 => S::Square44,
        48 => S::Square48,
        52 => S::Square52,
        64 => S::Square64,
        72 => S::Square72,
        80 => S::Square80,
        88 => S::Square88,
        96 => S::Square96,
        104 => S::Square104,
        120 => S::Square120,
        132 => S::Square132,
        144 => S::Square144,
        _ => return None,
    })
}

/// The logo's bytes as an image: PNG or JPEG, told by their signature.
pub fn immagine_logo(bytes: &[u8]) -> Result<Image, String> {
    let letta = if bytes.starts_with(b"\x89PNG") {
        Image::from_png(bytes.to_vec().into(), false)
    } else if bytes.starts_with(&[0xff, 0xd8]) {
        Image::from_jpeg(bytes.to_vec().into(), false)
    } else {
        return Err("il logo deve essere un'immagine PNG o JPEG".to_string());
    };
    letta.map_err(|_| "il logo non si può leggere: il file PNG o JPEG è danneggiato".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font() {
        assert!(verifica_caratteri());
        let a = larghezza("AVVISO DI PAGAMENTO", Stile::Nero, 10.0);
        assert!(a > 60.0 && a < 140.0, "{a}");
        // Roboto Mono: every character has the same advance (0.6 em).
        let m = larghezza("3010 0000 0000 0001 44", Stile::Mono, 10.0);
        assert!((m - 22.0 * 6.0).abs() < 0.5, "{m}");
        assert!(larghezza("€", Stile::Regolare, 10.0) > 0.0);
    }

    #[test]
    fn posts_payload_fits_a_square_symbol_readable_at_25_mm() {
        // A worst case for Data Matrix: no run of digits in the free text.
        let payload = format!(
            "codfase=NBPA;183011000000001000241200000123456710000012345638961P101199250158RSSMRA80A01H501U{:<40}{:<110}{}A",
            "NICCOLO' DELL'ACQUA",
            "TARI 2027 - TASSA SUI RIFIUTI, ACCONTO E SALDO",
            " ".repeat(12)
        );
        assert_eq!(payload.len(), 256);
        let code = datamatrix::DataMatrix::encode(
            payload.as_bytes(),
            datamatrix::SymbolList::default().enforce_square(),
        )
        .unwrap();
        let b = code.bitmap();
        assert_eq!(b.width(), b.height());
        // 25 mm over the symbol and a 2-module quiet zone: modules of at least 0.4 mm.
        assert!(b.width() <= 56, "{} modules", b.width());
        eprintln!("Data Matrix {}x{}", b.width(), b.height());
    }

    #[test]
    fn wrapping_keeps_every_word_and_the_measure() {
        let t =
            "Comune di Sant'Ambrogio di Valpolicella, Ufficio Tributi: tributi@comune.example.it";
        let righe = a_capo(t, Stile::Regolare, 9.0, 120.0);
        assert!(righe.len() > 1);
        for r in &righe {
            assert!(larghezza(r, Stile::Regolare, 9.0) <= 120.0, "{r}");
        }
        assert_eq!(righe.concat().replace(' ', ""), t.replace(' ', ""));
    }
}
