//! Tolerant reading of MyPay's XML answers: a small tree of elements keyed by *local* name.
//!
//! MyPay's prefixes vary (`ns2`, `SOAP-ENV`, none) and its schema leaves children unqualified,
//! so matching on local names is both simpler and more forgiving than a namespace-aware
//! mapping; the only same-named elements in different namespaces (the SOAP `Fault` and the
//! business `fault`) differ by case. Depth and size are capped: an answer is never trusted.

use quick_xml::Reader;
use quick_xml::events::Event;

/// Deepest nesting accepted (MyPay's answers are a few levels deep).
const MAX_DEPTH: usize = 64;
/// Most elements in one answer: MyPay's answers read here (a status, a position list, one
/// payment's receipt) have hundreds; a hostile one of millions of empty elements would take
/// gigabytes as a tree (issue 17 item 6).
const MAX_ELEMENTS: usize = 200_000;

/// One element: local name, text (concatenated, entities resolved) and children.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// First child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Children with this local name.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Trimmed text of a child; `None` when absent, empty, or the literal `null` MyPay's
    /// serializers sometimes write.
    pub fn text_of(&self, name: &str) -> Option<String> {
        self.child(name).and_then(|c| clean(&c.text))
    }

    /// First descendant (depth first, self included) with this local name.
    pub fn find(&self, name: &str) -> Option<&Element> {
        if self.name == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }
}

/// Trimmed text, `None` for blank or `null`.
pub fn clean(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("null") {
        None
    } else {
        Some(t.to_string())
    }
}

fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => name.to_string(),
    }
}

/// Parses a document into its root element.
pub fn parse(text: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut elementi = 0usize;
    loop {
        let evento = reader.read_event();
        if matches!(evento, Ok(Event::Start(_) | Event::Empty(_))) {
            elementi += 1;
            if elementi > MAX_ELEMENTS {
                return Err("XML con troppi elementi".into());
            }
        }
        match evento {
            Ok(Event::Start(e)) => {
                if stack.len() >= MAX_DEPTH {
                    return Err("XML troppo annidato".into());
                }
                stack.push(Element {
                    name: local(e.name().into_inner()),
                    ..Default::default()
                });
            }
            Ok(Event::Empty(e)) => {
                let el = Element {
                    name: local(e.name().into_inner()),
                    ..Default::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = root.or(Some(el)),
                }
            }
            Ok(Event::End(_)) => {
                let Some(el) = stack.pop() else {
                    return Err("XML non ben formato".into());
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = root.or(Some(el)),
                }
            }
            Ok(Event::Text(t)) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&t);
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some(el) = stack.last_mut() {
                    let name: &str = &r;
                    el.text.push_str(
                        &resolve_ref(name)
                            .ok_or_else(|| format!("entità XML sconosciuta «{name}»"))?,
                    );
                }
            }
            Ok(Event::CData(t)) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&t);
                }
            }
            Ok(Event::DocType(_)) => return Err("XML con DOCTYPE rifiutato".into()),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("XML non valido: {e}")),
        }
    }
    if !stack.is_empty() {
        return Err("XML troncato".into());
    }
    root.ok_or_else(|| "risposta vuota".to_string())
}

fn resolve_ref(name: &str) -> Option<String> {
    Some(match name {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)?.to_string()
        }
    })
}

/// Escapes text for an element's content.
pub fn esc(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_names_entities_and_nulls() {
        let doc = parse(
            "<a:Root xmlns:a='x'><b>1 &amp; 2</b><c>null</c><d/><e>&#x41;&#66;</e><b>second</b></a:Root>",
        )
        .unwrap();
        assert_eq!(doc.name, "Root");
        assert_eq!(doc.text_of("b").as_deref(), Some("1 & 2"));
        assert_eq!(doc.text_of("c"), None);
        assert_eq!(doc.text_of("d"), None);
        assert_eq!(doc.text_of("e").as_deref(), Some("AB"));
        assert_eq!(doc.all("b").count(), 2);
    }

    #[test]
    fn hostile_and_broken_documents_are_refused() {
        assert!(parse("<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>").is_err());
        assert!(parse("<x><y></x>").is_err());
        assert!(parse("<x><y>").is_err());
        assert!(parse("").is_err());
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(parse(&deep).is_err());
    }

    /// Issue 17 item 6: a valid answer of millions of empty elements (32 MB took 1.8 GB as a
    /// tree) is refused by count, not only by depth.
    #[test]
    fn an_answer_with_too_many_elements_is_refused() {
        let molti = format!("<r>{}</r>", "<a/>".repeat(MAX_ELEMENTS));
        assert_eq!(parse(&molti).unwrap_err(), "XML con troppi elementi");
        let pieni = format!("<r>{}</r>", "<a>1</a>".repeat(MAX_ELEMENTS));
        assert!(parse(&pieni).is_err());
        let giusti = format!("<r>{}</r>", "<a/>".repeat(MAX_ELEMENTS - 1));
        assert_eq!(parse(&giusti).unwrap().children.len(), MAX_ELEMENTS - 1);
    }
}
