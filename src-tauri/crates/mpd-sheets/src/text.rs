//! Text clean-up for what spreadsheets and copy-paste leave behind.
//!
//! Codici fiscali pasted from a PDF or a web page carry non-breaking spaces (U+00A0, U+202F)
//! and zero-width characters (U+200B…) that are invisible in Excel and make MyPay reject the
//! row; headers carry accents, `€`, dots and slashes (`C.F./P.IVA`). Both are normalised here.

/// Characters that take no room on screen but break a code.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'
            | '\u{200c}'
            | '\u{200d}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2060}'
            | '\u{feff}'
            | '\u{00ad}'
    )
}

/// A code (CF, P.IVA, IUV, CAP, province): without spaces of any kind and invisible
/// characters, upper case.
pub fn clean_code(s: &str) -> String {
    // Fast path, the usual case: plain ASCII letters and digits.
    if s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return s.to_ascii_uppercase();
    }
    s.chars()
        .filter(|c| !c.is_whitespace() && !is_invisible(*c))
        .flat_map(char::to_uppercase)
        .collect()
}

/// Free text (names, addresses, causale): invisible characters dropped, runs of whitespace
/// (non-breaking spaces and line breaks included) collapsed to one space.
pub fn clean_text(s: &str) -> String {
    // Fast path, the usual case: ASCII with single spaces and nothing to trim.
    let b = s.as_bytes();
    if b.iter().all(|&c| c.is_ascii_graphic() || c == b' ')
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
    {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        let word: String = word.chars().filter(|c| !is_invisible(*c)).collect();
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}

/// A header as compared with the synonyms: lower case, accents dropped, every run of
/// non-alphanumerics one space. `"C.F./P.IVA"` ⇒ `"c f p iva"`, `"Importo €"` ⇒ `"importo"`.
pub fn normalize_header(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c => c,
        };
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}
