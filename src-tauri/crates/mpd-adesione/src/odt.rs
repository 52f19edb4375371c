//! A [`Documento`] as an OpenDocument text file (ODT), editable in LibreOffice and Word.
//!
//! An ODT is a zip whose first entry is `mimetype`, stored (not compressed) and without extra
//! fields, so that tools can sniff the type from byte 38; then the manifest, `content.xml`,
//! `styles.xml` and `meta.xml`. The XML is written from small templates with our own escaping:
//! the shapes are fixed and few, and a serializer would add nothing but a dependency.
//! Headings use the built-in "Heading 1/2" names so that Word and LibreOffice show an outline.

use std::io::{Cursor, Write};

use chrono::NaiveDate;
use zip::write::SimpleFileOptions;

use crate::documento::{Blocco, Documento};
use crate::{AdesioneError, Result};

pub const MIMETYPE: &str = "application/vnd.oasis.opendocument.text";

const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/""#;

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#;

const STYLES_BODY: &str = r#"<office:styles>
 <style:default-style style:family="paragraph"><style:text-properties fo:font-size="11pt" fo:language="it" fo:country="IT"/></style:default-style>
 <style:style style:name="Standard" style:family="paragraph" style:class="text"><style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.18cm"/></style:style>
 <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard" style:class="chapter"><style:paragraph-properties fo:margin-bottom="0.4cm"/><style:text-properties fo:font-size="17pt" fo:font-weight="bold"/></style:style>
 <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="2" style:class="text"><style:paragraph-properties fo:margin-top="0.35cm" fo:margin-bottom="0.15cm" fo:keep-with-next="always"/><style:text-properties fo:font-size="13pt" fo:font-weight="bold"/></style:style>
 <style:style style:name="Strong_20_Emphasis" style:display-name="Strong Emphasis" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
"#;

const AUTOMATIC: &str = r#"<office:automatic-styles>
 <style:style style:name="Tab" style:family="table"><style:table-properties style:width="17cm" table:align="margins" fo:margin-bottom="0.3cm"/></style:style>
 <style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.06cm" fo:border="0.5pt solid #000000"/></style:style>
 <style:style style:name="PTab" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:margin-bottom="0cm"/><style:text-properties fo:font-size="9pt"/></style:style>
 <style:style style:name="PHead" style:family="paragraph" style:parent-style-name="PTab"><style:text-properties fo:font-weight="bold"/></style:style>
</office:automatic-styles>
"#;

/// Escapes text for XML content and attributes; drops control characters XML 1.0 forbids.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// The `content.xml` of a document.
pub fn content_xml(d: &Documento) -> String {
    let mut x = String::new();
    x.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    x.push_str(&format!(
        "\n<office:document-content {NS} office:version=\"1.3\">\n"
    ));
    x.push_str(AUTOMATIC);
    x.push_str("<office:body><office:text>\n");
    x.push_str(&format!(
        "<text:h text:style-name=\"Title\" text:outline-level=\"1\">{}</text:h>\n",
        escape(&d.titolo)
    ));
    let mut tables = 0;
    for b in &d.blocchi {
        match b {
            Blocco::Sezione(s) => x.push_str(&format!(
                "<text:h text:style-name=\"Heading_20_2\" text:outline-level=\"2\">{}</text:h>\n",
                escape(s)
            )),
            Blocco::Paragrafo(s) => x.push_str(&format!(
                "<text:p text:style-name=\"Standard\">{}</text:p>\n",
                escape(s)
            )),
            Blocco::Elenco(items) => {
                for i in items {
                    x.push_str(&format!(
                        "<text:p text:style-name=\"Standard\">– {}</text:p>\n",
                        escape(i)
                    ));
                }
            }
            Blocco::Campi(campi) => {
                for (k, v) in campi {
                    x.push_str(&format!(
                        "<text:p text:style-name=\"Standard\"><text:span text:style-name=\"Strong_20_Emphasis\">{}:</text:span> {}</text:p>\n",
                        escape(k),
                        escape(v)
                    ));
                }
            }
            Blocco::Tabella {
                intestazioni,
                righe,
            } => {
                tables += 1;
                x.push_str(&format!(
                    "<table:table table:name=\"Tabella{tables}\" table:style-name=\"Tab\">\n<table:table-column table:number-columns-repeated=\"{}\"/>\n",
                    intestazioni.len().max(1)
                ));
                let row = |x: &mut String, cells: &[String], style: &str| {
                    x.push_str("<table:table-row>");
                    for c in cells {
                        x.push_str(&format!(
                            "<table:table-cell table:style-name=\"Cell\" office:value-type=\"string\"><text:p text:style-name=\"{style}\">{}</text:p></table:table-cell>",
                            escape(c)
                        ));
                    }
                    x.push_str("</table:table-row>\n");
                };
                x.push_str("<table:table-header-rows>");
                row(&mut x, intestazioni, "PHead");
                x.push_str("</table:table-header-rows>\n");
                for r in righe {
                    let mut cells = r.clone();
                    cells.resize(intestazioni.len(), String::new());
                    row(&mut x, &cells, "PTab");
                }
                x.push_str("</table:table>\n");
                if righe.is_empty() {
                    x.push_str("<text:p text:style-name=\"Standard\">(nessuno)</text:p>\n");
                }
            }
        }
    }
    x.push_str("</office:text></office:body></office:document-content>\n");
    x
}

fn meta_xml(d: &Documento, oggi: NaiveDate) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta {NS} office:version=\"1.3\"><office:meta>\
         <meta:generator>MyPay Desk</meta:generator><dc:title>{}</dc:title><dc:language>it-IT</dc:language>\
         <meta:creation-date>{}T00:00:00</meta:creation-date></office:meta></office:document-meta>\n",
        escape(&d.titolo),
        oggi.format("%Y-%m-%d")
    )
}

fn styles_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles {NS} office:version=\"1.3\">\n{STYLES_BODY}</office:document-styles>\n"
    )
}

/// The bytes of the `.odt` file.
pub fn odt(d: &Documento, oggi: NaiveDate) -> Result<Vec<u8>> {
    let fail = |e: &dyn std::fmt::Display| AdesioneError::Documento(format!("{}.odt: {e}", d.file));
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let entries: [(&str, String, SimpleFileOptions); 5] = [
        ("mimetype", MIMETYPE.to_string(), stored),
        ("META-INF/manifest.xml", MANIFEST.to_string(), deflated),
        ("content.xml", content_xml(d), deflated),
        ("styles.xml", styles_xml(), deflated),
        ("meta.xml", meta_xml(d, oggi), deflated),
    ];
    for (name, text, opts) in entries {
        zip.start_file(name, opts).map_err(|e| fail(&e))?;
        zip.write_all(text.as_bytes()).map_err(|e| fail(&e))?;
    }
    Ok(zip.finish().map_err(|e| fail(&e))?.into_inner())
}
