//! SOAP 1.1 envelopes of `PagamentiTelematiciDovutiPagati` (spec §2.1, §2.2): reading a request
//! and writing a response, a business fault, or a real `SOAP-ENV:Fault`.
//!
//! Mapping (as Spring-WS + JAXB do it):
//!
//! * the Envelope must be SOAP 1.1 (`http://schemas.xmlsoap.org/soap/envelope/`); a SOAP 1.2
//!   envelope gets a `VersionMismatch` fault;
//! * dispatch is on the body's first element, which must be in the `ppt` namespace: anything
//!   else, or an operation without an endpoint (`paaSILChiediAvvisiPendenti`), is Spring-WS's
//!   "no endpoint mapping": HTTP 404 with an empty body;
//! * fields are the *unqualified* children of that element; a qualified child is ignored, as
//!   JAXB ignores it (so a qualified `<ppt:password>` reads as no password);
//! * the header `ppthead:intestazionePPT` carries an unqualified `codIpaEnte`;
//! * responses put the operation's `…Risposta` element in the `ppt` namespace (prefix `ns2`, as
//!   JAXB writes it) with unqualified children; a business fault is a `<fault>` first child
//!   and the other fields are omitted even where the WSDL calls them mandatory.

use std::fmt::Write as _;

use crate::xml::{self, Element, XmlError, esc};

pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const PPT: &str = "http://www.regione.veneto.it/pagamenti/ente/";
pub const PPTHEAD: &str = "http://www.regione.veneto.it/pagamenti/ente/ppthead";
pub const PAY_I: &str = "http://www.regione.veneto.it/schemas/2012/Pagamenti/Ente/";
/// The payload namespace of `PagamentiTelematiciFlussiSPC` (MyPivot's WSDL, spec
/// riconciliazione §2.2): the same `/ws/pa/` address, another namespace, no header.
pub const PPT_PA: &str = "http://www.regione.veneto.it/pagamenti/pa/";

/// A parsed request.
#[derive(Debug)]
pub struct Request {
    /// Local name of the body's root element, e.g. `paaSILAutorizzaImportFlusso`.
    pub operation: String,
    /// Its namespace: [`PPT`] or [`PPT_PA`] (Spring-WS dispatches on both).
    pub ns: String,
    pub body: Element,
    /// `intestazionePPT/codIpaEnte`, if the header is there (`Some("")` for an empty one).
    pub header_cod_ipa: Option<String>,
}

/// Why an envelope could not be dispatched.
#[derive(Debug)]
pub enum EnvelopeError {
    /// Not XML (or hostile XML): Spring-WS answers HTTP 400 with no body.
    Xml(XmlError),
    /// Not a SOAP 1.1 envelope.
    VersionMismatch,
    /// An envelope without a body element.
    NoBody,
    /// No endpoint for this payload root: HTTP 404.
    NoEndpoint(String),
}

/// Reads an envelope.
pub fn parse_request(text: &str) -> Result<Request, EnvelopeError> {
    let root = xml::parse(text).map_err(EnvelopeError::Xml)?;
    if root.name != "Envelope" || root.ns.as_deref() != Some(SOAP11) {
        return Err(EnvelopeError::VersionMismatch);
    }
    let header_cod_ipa = root
        .child_ns(SOAP11, "Header")
        .and_then(|h| h.child_ns(PPTHEAD, "intestazionePPT"))
        .map(|i| i.text_of("codIpaEnte").unwrap_or("").to_string());
    let body = root
        .child_ns(SOAP11, "Body")
        .and_then(|b| b.children.first())
        .ok_or(EnvelopeError::NoBody)?;
    let ns = match body.ns.as_deref() {
        Some(ns @ (PPT | PPT_PA)) => ns.to_string(),
        _ => return Err(EnvelopeError::NoEndpoint(body.name.clone())),
    };
    Ok(Request {
        operation: body.name.clone(),
        ns,
        body: body.clone(),
        header_cod_ipa,
    })
}

/// A business fault (`ppt:faultBean`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    pub code: String,
    pub string: String,
    pub id: String,
    pub description: Option<String>,
    pub serial: Option<i32>,
}

impl Fault {
    pub fn new(code: &str, string: impl Into<String>, id: &str) -> Fault {
        Fault {
            code: code.to_string(),
            string: string.into(),
            id: id.to_string(),
            description: None,
            serial: None,
        }
    }

    pub fn with_description(mut self, d: impl Into<String>) -> Fault {
        self.description = Some(d.into());
        self
    }
}

/// The response element of one operation, built field by field in WSDL order.
pub struct Reply {
    operation: String,
    /// The namespace of the `…Risposta` element.
    ns: &'static str,
    fault: Option<Fault>,
    fields: String,
}

impl Reply {
    pub fn new(operation: &str) -> Reply {
        Reply {
            operation: operation.to_string(),
            ns: PPT,
            fault: None,
            fields: String::new(),
        }
    }

    /// The reply of an operation of `PagamentiTelematiciFlussiSPC` (namespace [`PPT_PA`]).
    pub fn in_pa(mut self) -> Reply {
        self.ns = PPT_PA;
        self
    }

    /// A reply carrying only a fault (plus the fields added afterwards, e.g. `esito` = `KO`).
    pub fn fault(operation: &str, fault: Fault) -> Reply {
        Reply {
            operation: operation.to_string(),
            ns: PPT,
            fault: Some(fault),
            fields: String::new(),
        }
    }

    /// Adds `<name>value</name>`.
    pub fn field(mut self, name: &str, value: &str) -> Reply {
        let _ = write!(self.fields, "<{name}>{}</{name}>", esc(value));
        self
    }

    /// Adds `<name>value</name>` when there is a value.
    pub fn opt(self, name: &str, value: Option<&str>) -> Reply {
        match value {
            Some(v) => self.field(name, v),
            None => self,
        }
    }

    /// Adds already-serialized content.
    pub fn raw(mut self, xml: &str) -> Reply {
        self.fields.push_str(xml);
        self
    }

    /// The whole envelope.
    pub fn envelope(&self) -> String {
        let mut out = String::with_capacity(self.fields.len() + 512);
        out.push_str(&format!(
            "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"{SOAP11}\"><SOAP-ENV:Header/><SOAP-ENV:Body>\
             <ns2:{op}Risposta xmlns:ns2=\"{ns}\" xmlns:ns3=\"{PAY_I}\" xmlns:ns4=\"{PPTHEAD}\">",
            op = self.operation,
            ns = self.ns
        ));
        if let Some(f) = &self.fault {
            out.push_str("<fault>");
            let _ = write!(out, "<faultCode>{}</faultCode>", esc(&f.code));
            let _ = write!(out, "<faultString>{}</faultString>", esc(&f.string));
            let _ = write!(out, "<id>{}</id>", esc(&f.id));
            if let Some(d) = &f.description {
                let _ = write!(out, "<description>{}</description>", esc(d));
            }
            if let Some(s) = f.serial {
                let _ = write!(out, "<serial>{s}</serial>");
            }
            out.push_str("</fault>");
        }
        out.push_str(&self.fields);
        out.push_str(&format!(
            "</ns2:{}Risposta></SOAP-ENV:Body></SOAP-ENV:Envelope>",
            self.operation
        ));
        out
    }
}

/// A real SOAP 1.1 fault (HTTP 500), as Spring-WS writes it for an unhandled exception.
pub fn soap_fault(code: &str, message: &str) -> String {
    format!(
        "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"{SOAP11}\"><SOAP-ENV:Header/><SOAP-ENV:Body>\
         <SOAP-ENV:Fault><faultcode>SOAP-ENV:{code}</faultcode>\
         <faultstring xml:lang=\"en\">{}</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>",
        esc(message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";

    #[test]
    fn reads_header_body_and_ignores_qualified_children() {
        let req = parse_request(&format!(
            r#"<s:Envelope xmlns:s="{SOAP11}" xmlns:p="{PPT}" xmlns:h="{PPTHEAD}">
                 <s:Header><h:intestazionePPT><codIpaEnte>c_x</codIpaEnte></h:intestazionePPT></s:Header>
                 <s:Body><p:paaSILAutorizzaImportFlusso><p:password>q</p:password></p:paaSILAutorizzaImportFlusso></s:Body>
               </s:Envelope>"#
        ))
        .unwrap();
        assert_eq!(req.operation, "paaSILAutorizzaImportFlusso");
        assert_eq!(req.header_cod_ipa.as_deref(), Some("c_x"));
        assert_eq!(req.body.text_of("password"), None);
    }

    #[test]
    fn soap12_and_foreign_roots() {
        let v12 = format!(r#"<e:Envelope xmlns:e="{SOAP12}"><e:Body/></e:Envelope>"#);
        assert!(matches!(
            parse_request(&v12),
            Err(EnvelopeError::VersionMismatch)
        ));
        let foreign = format!(
            r#"<e:Envelope xmlns:e="{SOAP11}"><e:Body><x xmlns="urn:x"/></e:Body></e:Envelope>"#
        );
        assert!(matches!(
            parse_request(&foreign),
            Err(EnvelopeError::NoEndpoint(_))
        ));
    }
}
