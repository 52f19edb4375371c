//! Validation of the `pay_i` payloads MyPay receives in base64 (`Versamento`, `Dovuti`,
//! `DovutiEntiSecondari`) against the contract's `PagInf_Dovuti_Pagati_6_2_0.xsd`, as MyPay's
//! `JAXBTransformService.unmarshalling` does before anything else (spec §7); a refusal is
//! `PAA_XML_NON_VALIDO` with the detail in `description`.
//!
//! The schema is read at first use from the contract file itself (no hand copy): it uses only
//! named complex types made of `xsd:sequence`s of typed elements, and named simple types
//! restricting `xsd:string`, `xsd:decimal`, `xsd:integer`, `xsd:date`, `xsd:dateTime` or
//! `xsd:base64Binary` with length, min/maxLength, pattern, enumeration and
//! min/maxInclusive facets. That subset is what this module implements; a schema using
//! anything else fails loudly at load (and in the tests), it is not silently ignored.
//! Patterns are anchored, as XSD patterns are; facets of different derivation steps all
//! apply, patterns of one step are alternatives. Attributes are not declared and not checked.

use std::collections::HashMap;
use std::sync::OnceLock;

use quick_xml::Reader;
use quick_xml::events::Event;
use regex::Regex;

use crate::soap::PAY_I;
use crate::xml::{self, Element};

const XSD: &str = include_str!("../../../../assets/contract/PagInf_Dovuti_Pagati_6_2_0.xsd");

#[derive(Debug)]
struct Particle {
    name: String,
    ty: String,
    min: usize,
    max: usize,
}

#[derive(Debug, Default)]
struct Facets {
    base: String,
    length: Option<usize>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    patterns: Vec<Regex>,
    enumeration: Vec<String>,
    min_inclusive: Option<rust_decimal::Decimal>,
    max_inclusive: Option<rust_decimal::Decimal>,
}

#[derive(Debug, Default)]
struct Schema {
    elements: HashMap<String, String>,
    complex: HashMap<String, Vec<Particle>>,
    simple: HashMap<String, Facets>,
}

fn local(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname)
}

fn load() -> Result<Schema, String> {
    let mut reader = Reader::from_str(XSD);
    let mut schema = Schema::default();
    let mut depth_path: Vec<String> = Vec::new();
    let mut cur_complex: Option<(String, Vec<Particle>)> = None;
    let mut cur_simple: Option<(String, Facets)> = None;
    let mut pending_patterns: Vec<String> = Vec::new();
    loop {
        let ev = reader.read_event().map_err(|e| e.to_string())?;
        let (start, e) = match &ev {
            Event::Start(e) => (true, e.clone()),
            Event::Empty(e) => (false, e.clone()),
            Event::End(_) => {
                let closed = depth_path.pop().unwrap_or_default();
                match closed.as_str() {
                    "complexType" => {
                        if let Some((n, p)) = cur_complex.take() {
                            schema.complex.insert(n, p);
                        }
                    }
                    "simpleType" => {
                        if let Some((n, mut f)) = cur_simple.take() {
                            if !pending_patterns.is_empty() {
                                let alt = pending_patterns
                                    .drain(..)
                                    .map(|p| format!("(?:{p})"))
                                    .collect::<Vec<_>>()
                                    .join("|");
                                f.patterns.push(
                                    Regex::new(&format!("^(?:{alt})$"))
                                        .map_err(|e| format!("pattern di {n}: {e}"))?,
                                );
                            }
                            schema.simple.insert(n, f);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let name = e.local_name().as_ref().to_string();
        let mut attrs: HashMap<String, String> = HashMap::new();
        for a in e.attributes() {
            let a = a.map_err(|e| e.to_string())?;
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| e.to_string())?;
            attrs.insert(a.key.local_name().as_ref().to_string(), v.into_owned());
        }
        let attr = |k: &str| attrs.get(k).cloned();
        let in_type = depth_path
            .iter()
            .any(|p| p == "complexType" || p == "simpleType");
        match name.as_str() {
            "schema" | "annotation" | "documentation" | "sequence" => {}
            "element" if !in_type => {
                let (Some(n), Some(t)) = (attr("name"), attr("type")) else {
                    return Err("elemento globale senza nome o tipo".into());
                };
                schema.elements.insert(n, t);
            }
            "element" => {
                let Some((_, particles)) = cur_complex.as_mut() else {
                    return Err("elemento fuori da un tipo complesso".into());
                };
                let (Some(n), Some(t)) = (attr("name"), attr("type")) else {
                    return Err("elemento senza nome o tipo".into());
                };
                let min = attr("minOccurs").map_or(Ok(1), |v| v.parse().map_err(|_| v))?;
                let max = match attr("maxOccurs").as_deref() {
                    None => 1,
                    Some("unbounded") => usize::MAX,
                    Some(v) => v.parse().map_err(|_| v.to_string())?,
                };
                particles.push(Particle {
                    name: n,
                    ty: t,
                    min,
                    max,
                });
            }
            "complexType" => {
                let n = attr("name").ok_or("tipo complesso anonimo non gestito")?;
                cur_complex = Some((n, Vec::new()));
            }
            "simpleType" => {
                let n = attr("name").ok_or("tipo semplice anonimo non gestito")?;
                cur_simple = Some((n, Facets::default()));
            }
            "restriction" => {
                let f = cur_simple
                    .as_mut()
                    .ok_or("restriction fuori da un tipo semplice")?;
                f.1.base = attr("base").unwrap_or_default();
            }
            facet => {
                let f = cur_simple
                    .as_mut()
                    .ok_or_else(|| format!("costrutto XSD non gestito: {facet}"))?;
                let v = attr("value").unwrap_or_default();
                let num = |v: &str| v.parse::<usize>().map_err(|_| v.to_string());
                let dec = |v: &str| {
                    v.parse::<rust_decimal::Decimal>()
                        .map_err(|_| v.to_string())
                };
                match facet {
                    "length" => f.1.length = Some(num(&v)?),
                    "minLength" => f.1.min_length = Some(num(&v)?),
                    "maxLength" => f.1.max_length = Some(num(&v)?),
                    "enumeration" => f.1.enumeration.push(v),
                    "minInclusive" => f.1.min_inclusive = Some(dec(&v)?),
                    "maxInclusive" => f.1.max_inclusive = Some(dec(&v)?),
                    "pattern" => pending_patterns.push(v),
                    other => return Err(format!("facet XSD non gestito: {other}")),
                }
            }
        }
        if start {
            depth_path.push(name);
        }
    }
    Ok(schema)
}

fn schema() -> &'static Result<Schema, String> {
    static SCHEMA: OnceLock<Result<Schema, String>> = OnceLock::new();
    SCHEMA.get_or_init(load)
}

/// Validates a payload whose root must be `pay_i:<root>`: `Err` holds the detail MyPay puts in
/// the fault's `description`.
pub fn validate(text: &str, root: &str) -> Result<(), String> {
    let schema = schema().as_ref().map_err(|e| format!("schema: {e}"))?;
    let el = xml::parse(text).map_err(|e| e.to_string())?;
    if el.ns.as_deref() != Some(PAY_I) || el.name != root {
        return Err(format!(
            "cvc-elt.1: elemento radice inatteso «{}», atteso «{root}»",
            el.name
        ));
    }
    let ty = schema
        .elements
        .get(root)
        .ok_or_else(|| format!("elemento {root} non dichiarato"))?;
    check(schema, &el, ty, root)
}

fn check(schema: &Schema, el: &Element, ty: &str, path: &str) -> Result<(), String> {
    let ty_local = local(ty);
    if let Some(particles) = schema.complex.get(ty_local) {
        if !el.text.trim().is_empty() {
            return Err(format!(
                "{path}: testo non ammesso in un elemento complesso"
            ));
        }
        let mut i = 0;
        for p in particles {
            let mut n = 0;
            while i < el.children.len()
                && el.children[i].name == p.name
                && el.children[i].ns.as_deref() == Some(PAY_I)
            {
                if n == p.max {
                    break;
                }
                check(
                    schema,
                    &el.children[i],
                    &p.ty,
                    &format!("{path}/{}", p.name),
                )?;
                n += 1;
                i += 1;
            }
            if n < p.min {
                return Err(format!(
                    "{path}: manca l'elemento «{}» (cvc-complex-type.2.4)",
                    p.name
                ));
            }
        }
        if let Some(extra) = el.children.get(i) {
            return Err(format!(
                "{path}: elemento inatteso «{}» (cvc-complex-type.2.4)",
                extra.name
            ));
        }
        return Ok(());
    }
    if let Some(child) = el.children.first() {
        return Err(format!(
            "{path}: elemento «{}» non ammesso in un valore semplice",
            child.name
        ));
    }
    simple(schema, &el.text, ty, path)
}

/// Lexical forms of the built-in types: 0 decimal, 1 integer, 2 date.
fn lexical(i: usize) -> Option<&'static Regex> {
    static RE: OnceLock<Vec<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        [
            r"^[+-]?(\d+(\.\d*)?|\.\d+)$",
            r"^[+-]?\d+$",
            r"^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$",
        ]
        .iter()
        .filter_map(|p| Regex::new(p).ok())
        .collect()
    })
    .get(i)
}

fn simple(schema: &Schema, value: &str, ty: &str, path: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("{path}: valore «{value}» non valido ({why})"));
    let ty_local = local(ty);
    if ty.starts_with("xsd:") || ty.starts_with("xs:") {
        let v = value.trim();
        let ok = match ty_local {
            "string" => true,
            "decimal" => lexical(0).is_some_and(|r| r.is_match(v)),
            "integer" | "int" => {
                lexical(1).is_some_and(|r| r.is_match(v))
                    && (ty_local == "integer" || v.parse::<i32>().is_ok())
            }
            "boolean" => matches!(v, "true" | "false" | "1" | "0"),
            "date" => {
                chrono::NaiveDate::parse_from_str(v.get(..10).unwrap_or(""), "%Y-%m-%d").is_ok()
                    && lexical(2).is_some_and(|r| r.is_match(v))
            }
            "dateTime" => {
                crate::datatypes::parse_xsd_datetime(Some(v)).is_some()
                    && v.len() >= 19
                    && v.as_bytes().get(10) == Some(&b'T')
            }
            "base64Binary" => {
                use base64::Engine;
                let clean: String = v.chars().filter(|c| !c.is_whitespace()).collect();
                base64::engine::general_purpose::STANDARD
                    .decode(clean)
                    .is_ok()
            }
            other => return Err(format!("{path}: tipo XSD non gestito {other}")),
        };
        return if ok { Ok(()) } else { bad(ty_local) };
    }
    let Some(f) = schema.simple.get(ty_local) else {
        return Err(format!("{path}: tipo {ty} non dichiarato"));
    };
    // Facets of the base first (all derivation steps apply).
    simple(schema, value, &f.base, path)?;
    let is_string = local(&f.base) == "string" || schema.simple.contains_key(local(&f.base));
    let v = if is_string && !base_is_numeric(schema, &f.base) {
        value
    } else {
        value.trim()
    };
    let len = v.chars().count();
    if f.length.is_some_and(|l| len != l) {
        return bad(&format!("lunghezza diversa da {}", f.length.unwrap_or(0)));
    }
    if f.min_length.is_some_and(|l| len < l) {
        return bad("troppo corto");
    }
    if f.max_length.is_some_and(|l| len > l) {
        return bad("troppo lungo");
    }
    if !f.enumeration.is_empty() && !f.enumeration.iter().any(|e| e == v) {
        return bad("non tra i valori ammessi");
    }
    for p in &f.patterns {
        if !p.is_match(v) {
            return bad(&format!("non conforme al pattern di {ty_local}"));
        }
    }
    if f.min_inclusive.is_some() || f.max_inclusive.is_some() {
        let Ok(n) = v.parse::<rust_decimal::Decimal>() else {
            return bad("non numerico");
        };
        if f.min_inclusive.is_some_and(|m| n < m) || f.max_inclusive.is_some_and(|m| n > m) {
            return bad("fuori intervallo");
        }
    }
    Ok(())
}

fn base_is_numeric(schema: &Schema, base: &str) -> bool {
    match local(base) {
        "decimal" | "integer" | "int" | "date" | "dateTime" | "boolean" => true,
        "string" | "base64Binary" => false,
        other => schema
            .simple
            .get(other)
            .is_some_and(|f| base_is_numeric(schema, &f.base)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_schema_loads_with_every_root() {
        let s = schema().as_ref().expect("schema");
        for root in [
            "Dovuti",
            "Versamento",
            "DovutiEntiSecondari",
            "Pagati",
            "PagatiConRicevuta",
        ] {
            let ty = s.elements.get(root).expect(root);
            assert!(s.complex.contains_key(local(ty)), "{root}");
        }
        assert!(s.simple["stImporto"].patterns.len() == 1);
    }
}
