//! A small namespace-aware XML tree, read with quick-xml, for SOAP envelopes and the base64 XML
//! payloads inside them (`Versamento`, `Dovuti`).
//!
//! It is the emulator's own reader on purpose: the client has its own serializer, and the two
//! must not share a bug. Hostile input is bounded: a DOCTYPE (and so any entity declaration,
//! the XML bomb) is refused outright, unknown entity references are errors, and depth and
//! element count are capped. Only the five predefined entities and character references are
//! expanded.

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

/// Caps on a parsed document.
pub const MAX_DEPTH: usize = 64;
pub const MAX_ELEMENTS: usize = 200_000;

/// Why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("XML malformato: {0}")]
    Malformed(String),
    #[error("DOCTYPE non ammesso")]
    Doctype,
    #[error("documento XML troppo annidato o troppo grande")]
    TooBig,
    #[error("documento XML vuoto")]
    Empty,
}

/// One element: its namespace (`None` = unqualified), local name, children and text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element {
    pub ns: Option<String>,
    pub name: String,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    /// The first child with this local name and no namespace (JAXB's reading of an
    /// unqualified field: a qualified one is silently ignored).
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children
            .iter()
            .find(|c| c.ns.is_none() && c.name == name)
    }

    /// The first child with this namespace and local name.
    pub fn child_ns(&self, ns: &str, name: &str) -> Option<&Element> {
        self.children
            .iter()
            .find(|c| c.ns.as_deref() == Some(ns) && c.name == name)
    }

    /// All children with this namespace and local name.
    pub fn children_ns<'a>(
        &'a self,
        ns: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> {
        self.children
            .iter()
            .filter(move |c| c.ns.as_deref() == Some(ns) && c.name == name)
    }

    /// Text of an unqualified child, if present.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// Text of a namespaced child, if present.
    pub fn text_ns(&self, ns: &str, name: &str) -> Option<&str> {
        self.child_ns(ns, name).map(|c| c.text.as_str())
    }
}

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

/// Parses a whole document into its root element.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let mut reader = NsReader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    let malformed = |e: &dyn std::fmt::Display| XmlError::Malformed(e.to_string());
    loop {
        let (resolved, event) = reader.read_resolved_event().map_err(|e| malformed(&e))?;
        let ns = match resolved {
            ResolveResult::Bound(ns) => Some(ns.as_ref().to_string()),
            ResolveResult::Unbound => None,
            ResolveResult::Unknown(p) => {
                if matches!(event, Event::Start(_) | Event::Empty(_)) {
                    return Err(XmlError::Malformed(format!(
                        "prefisso non dichiarato «{}»",
                        p
                    )));
                }
                None
            }
        };
        match event {
            Event::DocType(_) => return Err(XmlError::Doctype),
            Event::Start(e) => {
                count += 1;
                if count > MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                    return Err(XmlError::TooBig);
                }
                if root.is_some() && stack.is_empty() {
                    return Err(XmlError::Malformed("più di un elemento radice".into()));
                }
                stack.push(Element {
                    ns,
                    name: e.local_name().as_ref().to_string(),
                    ..Default::default()
                });
            }
            Event::Empty(e) => {
                count += 1;
                if count > MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                    return Err(XmlError::TooBig);
                }
                let el = Element {
                    ns,
                    name: e.local_name().as_ref().to_string(),
                    ..Default::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None if root.is_none() => root = Some(el),
                    None => return Err(XmlError::Malformed("più di un elemento radice".into())),
                }
            }
            Event::End(_) => {
                let el = stack
                    .pop()
                    .ok_or_else(|| XmlError::Malformed("tag di chiusura inatteso".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => match stack.last_mut() {
                Some(el) => el.text.push_str(&t.xml10_content()),
                None if t.trim().is_empty() => {}
                None => {
                    return Err(XmlError::Malformed(
                        "testo fuori dall'elemento radice".into(),
                    ));
                }
            },
            Event::CData(c) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&c);
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| malformed(&e))? {
                    Some(c) => c,
                    None => predefined(&r).ok_or_else(|| {
                        XmlError::Malformed(format!("entità sconosciuta «&{};»", &*r))
                    })?,
                };
                match stack.last_mut() {
                    Some(el) => el.text.push(c),
                    None => {
                        return Err(XmlError::Malformed("riferimento fuori dalla radice".into()));
                    }
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlError::Malformed("documento troncato".into()));
    }
    root.ok_or(XmlError::Empty)
}

/// Escapes text for element content.
pub fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_and_entities() {
        let el = parse(
            r#"<?xml version="1.0"?><a:r xmlns:a="urn:a"><x>1 &amp; 2 &#65;</x><a:y/></a:r>"#,
        )
        .unwrap();
        assert_eq!(el.ns.as_deref(), Some("urn:a"));
        assert_eq!(el.text_of("x"), Some("1 & 2 A"));
        assert!(el.child("y").is_none());
        assert!(el.child_ns("urn:a", "y").is_some());
    }

    #[test]
    fn hostile_documents_are_refused() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><r>&lol2;</r>"#;
        assert_eq!(parse(bomb), Err(XmlError::Doctype));
        assert!(matches!(parse("<r>&xxe;</r>"), Err(XmlError::Malformed(_))));
        assert!(matches!(parse("<r><a></r>"), Err(XmlError::Malformed(_))));
        assert!(matches!(parse("<r><a>"), Err(XmlError::Malformed(_))));
        assert!(matches!(parse("<p:r/>"), Err(XmlError::Malformed(_))));
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert_eq!(parse(&deep), Err(XmlError::TooBig));
        assert_eq!(parse(""), Err(XmlError::Empty));
    }
}
