//! What the command line prints in text mode passes through [`Pulito`]: control characters
//! (an escape sequence in a spreadsheet cell or in a server's answer would recolour, move or
//! clear the clerk's terminal) become `�`, and a line longer than [`MAX_RIGA`] bytes (a 5 MB
//! cell quoted in a message) is cut with a note. JSON output needs neither: serde_json escapes
//! control characters, and its one line is a document.

use std::io::{self, Write};

/// Longest line printed whole, in bytes.
pub const MAX_RIGA: usize = 2000;

const TAGLIO: &[u8] = " … (riga accorciata)".as_bytes();
const SOSTITUTO: &[u8] = "\u{FFFD}".as_bytes();

/// A writer that cleans what goes through it (see the module's doc).
pub struct Pulito<'a> {
    inner: &'a mut dyn Write,
    /// Bytes of the current line written so far.
    riga: usize,
    /// The current line was cut: its bytes are dropped until the next newline.
    tagliata: bool,
    /// A `0xC2` lead byte held back: with the next byte it may be a C1 control.
    c2: bool,
}

impl<'a> Pulito<'a> {
    pub fn new(inner: &'a mut dyn Write) -> Pulito<'a> {
        Pulito {
            inner,
            riga: 0,
            tagliata: false,
            c2: false,
        }
    }

    /// Appends the bytes of one character (or a replacement) to `out`, minding the line's cap.
    fn metti(&mut self, out: &mut Vec<u8>, pezzo: &[u8]) {
        if self.tagliata {
            return;
        }
        if self.riga + pezzo.len() > MAX_RIGA {
            out.extend_from_slice(TAGLIO);
            self.tagliata = true;
            return;
        }
        self.riga += pezzo.len();
        out.extend_from_slice(pezzo);
    }
}

impl Write for Pulito<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut out = Vec::with_capacity(buf.len());
        let mut i = 0;
        while i < buf.len() {
            let b = buf[i];
            if self.c2 {
                self.c2 = false;
                if (0x80..=0x9F).contains(&b) {
                    // U+0080–U+009F: C1 controls (CSI among them).
                    self.metti(&mut out, SOSTITUTO);
                    i += 1;
                    continue;
                }
                self.metti(&mut out, &[0xC2]);
            }
            match b {
                b'\n' => {
                    out.push(b'\n');
                    self.riga = 0;
                    self.tagliata = false;
                }
                b'\t' => self.metti(&mut out, b"\t"),
                0x00..=0x1F | 0x7F => self.metti(&mut out, SOSTITUTO),
                0xC2 => self.c2 = true,
                _ => {
                    // A whole UTF-8 character at once, so that a cut never splits one.
                    let len = match b {
                        0xC0..=0xDF => 2,
                        0xE0..=0xEF => 3,
                        0xF0..=0xF7 => 4,
                        _ => 1,
                    };
                    let fine = (i + len).min(buf.len());
                    let pezzo = buf[i..fine].to_vec();
                    self.metti(&mut out, &pezzo);
                    i = fine;
                    continue;
                }
            }
            i += 1;
        }
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.c2 {
            self.c2 = false;
            let mut out = Vec::new();
            self.metti(&mut out, &[0xC2]);
            self.inner.write_all(&out)?;
        }
        self.inner.flush()
    }
}

impl Drop for Pulito<'_> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pulisci(pezzi: &[&[u8]]) -> String {
        let mut v = Vec::new();
        {
            let mut p = Pulito::new(&mut v);
            for x in pezzi {
                p.write_all(x).unwrap();
            }
        }
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn control_characters_are_replaced_and_text_kept() {
        let s = pulisci(&[
            b"ROSSI \x1b[31mMARIO\x1b[0m\r\n",
            "\tàè € 😀 ok\n".as_bytes(),
        ]);
        assert_eq!(
            s,
            "ROSSI \u{FFFD}[31mMARIO\u{FFFD}[0m\u{FFFD}\n\tàè € 😀 ok\n"
        );
        // A C1 CSI (U+009B), its two bytes split across writes; a plain "Â" (U+00C2 0xC3 0x82)
        // and "¢" (U+00A2 = C2 A2) stay.
        let s = pulisci(&[b"a\xC2", b"\x9B2Jb \xC2\xA2 \xC3\x82\n"]);
        assert_eq!(s, "a\u{FFFD}2Jb ¢ Â\n");
    }

    #[test]
    fn a_long_line_is_cut_once_at_a_character_boundary() {
        let lunga = "è".repeat(5 * 1024 * 1024);
        let s = pulisci(&[b"riga 1: ", lunga.as_bytes(), b"\nriga 2\n"]);
        let righe: Vec<&str> = s.lines().collect();
        assert_eq!(righe.len(), 2);
        assert!(
            righe[0].len() <= MAX_RIGA + TAGLIO.len(),
            "{}",
            righe[0].len()
        );
        assert!(righe[0].ends_with(" … (riga accorciata)"));
        assert_eq!(righe[1], "riga 2");
    }
}
