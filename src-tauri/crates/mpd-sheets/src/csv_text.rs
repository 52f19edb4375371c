//! Text files (`.csv`, `.txt`): encoding, separator, rows.
//!
//! Encoding, in this order: a byte-order mark; strict UTF-8 over the sample; chardetng's
//! guess; windows-1252 (what Excel "CSV" saves on an Italian Windows). Only the first
//! [`SAMPLE_BYTES`] are examined so that a million-row file is not read twice for it; a later
//! byte that is not UTF-8 is replaced and reported, never a panic.
//!
//! Separator: the one of `;`, tab, `,` that splits the sample's lines into the same number
//! (≥ 2) of fields most often; ties prefer `;` (Italian Excel) then tab then `,`.
//!
//! Row numbers are those a spreadsheet shows when it opens the file: physical lines, minus
//! the line breaks inside quoted fields before the row.

use std::io::{self, Read};

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::cell::{Cell, SheetRow};

/// How much of a text file decides its encoding and separator.
pub const SAMPLE_BYTES: usize = 256 * 1024;

/// The layout of a text file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextLayout {
    pub encoding: &'static Encoding,
    pub delimiter: u8,
}

impl TextLayout {
    /// `UTF-8`, `windows-1252`…
    pub fn encoding_name(&self) -> &'static str {
        self.encoding.name()
    }

    /// The separator as a clerk names it.
    pub fn delimiter_name(&self) -> &'static str {
        match self.delimiter {
            b';' => "punto e virgola",
            b'\t' => "tabulazione",
            _ => "virgola",
        }
    }
}

/// Decides encoding and separator from the first bytes of a file.
pub fn sniff(sample: &[u8], complete: bool) -> TextLayout {
    let encoding = detect_encoding(sample, complete);
    let (text, _) = encoding.decode_with_bom_removal(sample);
    TextLayout {
        encoding,
        delimiter: detect_delimiter(&text),
    }
}

fn detect_encoding(sample: &[u8], complete: bool) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(sample) {
        return enc;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => return UTF_8,
        // A sample cut in the middle of a character is still UTF-8.
        Err(e) if e.error_len().is_none() && !complete => return UTF_8,
        Err(_) => {}
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(sample, complete);
    let guess = det.guess(Some(b"it"), chardetng::Utf8Detection::Allow);
    // Italian clerks' files are Western European: anything else chardetng proposes from a
    // short sample is more likely a wrong guess than a Cyrillic CSV.
    if guess == UTF_8 || guess == WINDOWS_1252 || guess.name().starts_with("ISO-8859-15") {
        guess
    } else {
        WINDOWS_1252
    }
}

fn detect_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .collect();
    let mut best = (b';', 0usize, 0usize);
    for d in [b';', b'\t', b','] {
        let mut counts: Vec<usize> = lines
            .iter()
            .map(|l| count_fields(l, d as char))
            .filter(|&n| n >= 2)
            .collect();
        if counts.is_empty() {
            continue;
        }
        counts.sort_unstable();
        // The most frequent field count and how many lines have it.
        let mut mode = (0usize, 0usize);
        let mut i = 0;
        while i < counts.len() {
            let j = counts[i..].iter().take_while(|&&c| c == counts[i]).count();
            if j > mode.1 || (j == mode.1 && counts[i] > mode.0) {
                mode = (counts[i], j);
            }
            i += j;
        }
        if mode.1 > best.2 || (mode.1 == best.2 && mode.0 > best.1 && best.2 == 0) {
            best = (d, mode.0, mode.1);
        }
    }
    best.0
}

/// Fields of one line split at `d` outside double quotes.
fn count_fields(line: &str, d: char) -> usize {
    let mut quoted = false;
    let mut n = 1;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if c == d && !quoted {
            n += 1;
        }
    }
    n
}

/// A `Read` that turns any encoding into UTF-8 on the fly (BOM removed).
pub struct Utf8Reader<R> {
    src: R,
    decoder: encoding_rs::Decoder,
    inbuf: Vec<u8>,
    in_start: usize,
    in_end: usize,
    eof: bool,
    finished: bool,
    out: Vec<u8>,
    out_start: usize,
}

impl<R: Read> Utf8Reader<R> {
    pub fn new(src: R, encoding: &'static Encoding) -> Utf8Reader<R> {
        Utf8Reader {
            src,
            decoder: encoding.new_decoder_with_bom_removal(),
            inbuf: vec![0; 64 * 1024],
            in_start: 0,
            in_end: 0,
            eof: false,
            finished: false,
            out: Vec::new(),
            out_start: 0,
        }
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out.len() {
                let n = buf.len().min(self.out.len() - self.out_start);
                buf[..n].copy_from_slice(&self.out[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.finished {
                return Ok(0);
            }
            if self.in_start >= self.in_end && !self.eof {
                let n = self.src.read(&mut self.inbuf)?;
                self.in_start = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            let input = &self.inbuf[self.in_start..self.in_end];
            // Sized by the decoder's own worst case, so one call always consumes all input.
            let cap = self
                .decoder
                .max_utf8_buffer_length(input.len())
                .unwrap_or(input.len() * 4 + 16);
            self.out.clear();
            self.out.resize(cap, 0);
            self.out_start = 0;
            let (_, read, written, _) = self.decoder.decode_to_utf8(input, &mut self.out, self.eof);
            self.in_start += read;
            self.out.truncate(written);
            if self.eof && self.in_start >= self.in_end {
                self.finished = true;
            }
        }
    }
}

/// What reading a text file met that the clerk should know.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextNotes {
    /// Rows (as numbered for the clerk) with bytes that were not valid in the chosen encoding.
    pub unreadable_rows: Vec<usize>,
}

/// Streams the rows of a text file already positioned at its start. `f` returns `false` to
/// stop early (a preview). Blank rows are skipped.
pub fn read_rows<R: Read>(
    src: R,
    layout: TextLayout,
    max_columns: usize,
    mut f: impl FnMut(SheetRow) -> bool,
) -> Result<TextNotes, String> {
    let src: Box<dyn Read> = if layout.encoding == UTF_8 {
        Box::new(src)
    } else {
        Box::new(Utf8Reader::new(src, layout.encoding))
    };
    // Row numbers come from the csv crate's line count, which is one short for every record
    // after the first when lines end in CRLF (it counts the `\n` of a `\r\n` only when the next
    // record starts). So when the file has `\n` at all, `\n` alone ends a record, and the `\r`
    // left at the end of the last field is trimmed with the other whitespace by `Cell::text`.
    // A file of bare `\r` (old Mac) keeps the default terminator.
    let mut src = std::io::BufReader::with_capacity(1 << 20, src);
    let terminator = match std::io::BufRead::fill_buf(&mut src) {
        Ok(head) if head.contains(&b'\n') => csv::Terminator::Any(b'\n'),
        _ => csv::Terminator::CRLF,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .terminator(terminator)
        .flexible(true)
        .delimiter(layout.delimiter)
        .buffer_capacity(1 << 20)
        .from_reader(src);
    let mut record = csv::ByteRecord::new();
    let mut notes = TextNotes::default();
    let mut embedded_newlines = 0usize;
    let mut first = true;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(e.to_string()),
        }
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        let number = line.saturating_sub(embedded_newlines);
        embedded_newlines += record.as_slice().iter().filter(|&&b| b == b'\n').count();
        let mut cells = Vec::with_capacity(record.len().min(max_columns));
        for (i, field) in record.iter().enumerate() {
            if i >= max_columns {
                break;
            }
            let field = if first && i == 0 {
                field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field)
            } else {
                field
            };
            let cell = match std::str::from_utf8(field) {
                Ok(s) => Cell::text(s),
                Err(_) => {
                    if notes.unreadable_rows.last() != Some(&number) {
                        notes.unreadable_rows.push(number);
                    }
                    Cell::text(&String::from_utf8_lossy(field))
                }
            };
            cells.push(cell);
        }
        first = false;
        while cells.last().is_some_and(Cell::is_empty) {
            cells.pop();
        }
        if cells.is_empty() {
            continue;
        }
        if !f(SheetRow { number, cells }) {
            break;
        }
    }
    Ok(notes)
}
