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

/// Why a text file stopped being read.
#[derive(Debug)]
pub enum TextError {
    /// The file could not be read.
    Io(io::Error),
    /// The record starting at this row (numbered for the clerk) is longer than the cap.
    RecordTooLarge { row: usize },
}

/// Streams the rows of a text file already positioned at its start. `f` returns `false` to
/// stop early (a preview). Blank rows are skipped. A record (quoted line breaks included)
/// longer than `max_record` bytes stops the reading: nothing of it is kept beyond the cap.
pub fn read_rows<R: Read>(
    src: R,
    layout: TextLayout,
    max_columns: usize,
    max_record: usize,
    mut f: impl FnMut(SheetRow) -> bool,
) -> Result<TextNotes, TextError> {
    use csv_core::ReadRecordResult;
    use std::io::BufRead;

    let src: Box<dyn Read> = if layout.encoding == UTF_8 {
        Box::new(src)
    } else {
        Box::new(Utf8Reader::new(src, layout.encoding))
    };
    // Row numbers come from the parser's line count, which is one short for every record
    // after the first when lines end in CRLF (it counts the `\n` of a `\r\n` only when the next
    // record starts). So when the file has `\n` at all, `\n` alone ends a record, and the `\r`
    // left at the end of the last field is trimmed with the other whitespace by `Cell::text`.
    // A file of bare `\r` (old Mac) keeps the default terminator.
    let mut src = std::io::BufReader::with_capacity(1 << 20, src);
    let terminator = match src.fill_buf() {
        Ok(head) if head.contains(&b'\n') => csv_core::Terminator::Any(b'\n'),
        _ => csv_core::Terminator::CRLF,
    };
    // csv-core rather than the csv crate, whose records grow without limit (a 2 GB file
    // without line breaks took 10 GB): the same parser, with the buffers in our hands.
    let mut parser = csv_core::ReaderBuilder::new()
        .terminator(terminator)
        .delimiter(layout.delimiter)
        .build();
    let mut bytes: Vec<u8> = vec![0; 4096];
    let mut ends: Vec<usize> = vec![0; 64];
    let mut notes = TextNotes::default();
    let mut embedded_newlines = 0usize;
    let mut first = true;
    loop {
        let line = parser.line() as usize;
        let number = line.saturating_sub(embedded_newlines);
        let (mut nbytes, mut nends, mut consumed) = (0usize, 0usize, 0usize);
        let more = loop {
            let input = match src.fill_buf() {
                Ok(input) => input,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(TextError::Io(e)),
            };
            let (res, nin, nout, nend) =
                parser.read_record(input, &mut bytes[nbytes..], &mut ends[nends..]);
            src.consume(nin);
            consumed += nin;
            nbytes += nout;
            nends += nend;
            if consumed > max_record {
                return Err(TextError::RecordTooLarge { row: number });
            }
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => bytes.resize(bytes.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
                ReadRecordResult::Record => break true,
                ReadRecordResult::End => break false,
            }
        };
        if !more {
            break;
        }
        embedded_newlines += bytes[..nbytes].iter().filter(|&&b| b == b'\n').count();
        let mut cells = Vec::with_capacity(nends.min(max_columns));
        let mut from = 0usize;
        for (i, &to) in ends[..nends].iter().enumerate() {
            if i >= max_columns {
                break;
            }
            let field = &bytes[from..to];
            from = to;
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
