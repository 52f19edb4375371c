//! The single-debt operations (spec §2.5.6–§2.5.12): `paaSILImportaDovuto`,
//! `paaSILChiediPosizioniAperte`, `paaSILChiediPagati`, `paaSILChiediPagatiConRicevuta`,
//! `paaSILVerificaAvviso`, `paaSILInviaDovuti`, `paaSILRegistraPagamento`, and the `pay_i`
//! payloads they carry in base64 (`Versamento`, `Dovuti` in; `Dovuti`, `Pagati`,
//! `PagatiConRicevuta` out).
//!
//! Incoming payloads are checked for the structure the XSD requires (root, mandatory
//! elements); the row rules are MyPay's own (mpd-domain's `mypay_findings` on the debt seen as a
//! tracciato row), mapped to the SOAP fault codes in the order MyPay checks them.
//! [QUIRK] `pagati` is base64 of base64 of the XML; `rt` is single base64.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use mpd_domain::validate::codes;
use mpd_domain::{Azione, Column, RawRow, RowContext, Version};
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::db::{self, DovutoRec, Pagamento, stato};
use crate::operation::{Failure, OpResult, business, header_ipa, verifica_ente};
use crate::soap::{Fault, PAY_I, Reply, Request};
use crate::state::State;
use crate::xml::{self, Element, esc};
use crate::{notice, payments};

/// Decodes a base64 payload into XML text; MyPay also accepts base64 of base64.
pub(crate) fn decode_payload(b64: &str) -> Option<String> {
    let clean: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
    let once = B64.decode(clean.as_bytes()).ok()?;
    let text = String::from_utf8(once).ok()?;
    if text.trim_start().starts_with('<') {
        return Some(text);
    }
    let twice = B64.decode(text.trim().as_bytes()).ok()?;
    String::from_utf8(twice).ok()
}

pub(crate) fn ko(op: &str, fault: Fault) -> Failure {
    Failure::reply(Reply::fault(op, fault).field("esito", "KO"))
}

pub(crate) fn xml_non_valido(op: &str, ipa: &str, detail: &str) -> Failure {
    ko(
        op,
        Fault::new("PAA_XML_NON_VALIDO", "XML dei dovuti non valido", ipa).with_description(detail),
    )
}

/// A base64 payload of a request (`Versamento`, `Dovuti`, `DovutiEntiSecondari`) as MyPay reads
/// it: decoded (single or double base64), validated against the contract's XSD, parsed, and
/// its root checked; each failure is `PAA_XML_NON_VALIDO` with the reason in `description`.
pub(crate) fn payload(
    op: &str,
    ipa: &str,
    b64: Option<&str>,
    root: &str,
) -> Result<Element, Failure> {
    let Some(text) = b64.and_then(decode_payload) else {
        return Err(xml_non_valido(op, ipa, "contenuto base64 non valido"));
    };
    if let Err(detail) = crate::xsd::validate(&text, root) {
        return Err(xml_non_valido(op, ipa, &detail));
    }
    match xml::parse(&text) {
        Ok(v) if v.ns.as_deref() == Some(PAY_I) && v.name == root => Ok(v),
        Ok(v) => Err(xml_non_valido(
            op,
            ipa,
            &format!("elemento radice inatteso: {}", v.name),
        )),
        Err(e) => Err(xml_non_valido(op, ipa, &e.to_string())),
    }
}

pub(crate) fn t<'a>(el: &'a Element, name: &str) -> &'a str {
    el.text_ns(PAY_I, name).map(str::trim).unwrap_or("")
}

/// Copies `soggettoPagatore` into a row.
pub(crate) fn pagatore_into(sp: &Element, row: &mut RawRow) {
    if let Some(id) = sp.child_ns(PAY_I, "identificativoUnivocoPagatore") {
        row.set(
            Column::TipoIdentificativoUnivoco,
            t(id, "tipoIdentificativoUnivoco"),
        );
        row.set(
            Column::CodiceIdentificativoUnivoco,
            t(id, "codiceIdentificativoUnivoco"),
        );
    }
    row.set(Column::AnagraficaPagatore, t(sp, "anagraficaPagatore"));
    row.set(Column::IndirizzoPagatore, t(sp, "indirizzoPagatore"));
    row.set(Column::CivicoPagatore, t(sp, "civicoPagatore"));
    row.set(Column::CapPagatore, t(sp, "capPagatore"));
    row.set(Column::LocalitaPagatore, t(sp, "localitaPagatore"));
    row.set(
        Column::ProvinciaPagatore,
        t(sp, "provinciaPagatore").to_uppercase(),
    );
    row.set(Column::NazionePagatore, t(sp, "nazionePagatore"));
    row.set(Column::EmailPagatore, t(sp, "e-mailPagatore"));
}

/// Copies a `DovutiEntiSecondari` payload into the row's 1_4 secondary-beneficiary columns.
fn secondario_into(x: &Element, row: &mut RawRow) {
    let Some(d) = x.child_ns(PAY_I, "datiVersamentoEntiSecondari") else {
        return;
    };
    row.set(Column::FlagMultiBeneficiario, "true");
    for (col, name) in [
        (
            Column::CodiceFiscaleEnteSecondario,
            "codiceFiscaleBeneficiario",
        ),
        (
            Column::DenominazioneEnteSecondario,
            "denominazioneBeneficiario",
        ),
        (
            Column::IbanAccreditoEnteSecondario,
            "ibanAccreditoBeneficiario",
        ),
        (Column::IndirizzoEnteSecondario, "indirizzoBeneficiario"),
        (Column::CivicoEnteSecondario, "civicoBeneficiario"),
        (Column::CapEnteSecondario, "capBeneficiario"),
        (Column::LocalitaEnteSecondario, "localitaBeneficiario"),
        (Column::ProvinciaEnteSecondario, "provinciaBeneficiario"),
        (Column::NazioneEnteSecondario, "nazioneBeneficiario"),
        (
            Column::DatiSpecificiRiscossioneEnteSecondario,
            "datiSpecificiRiscossione",
        ),
        (Column::CausaleVersamentoEnteSecondario, "causaleVersamento"),
        (
            Column::ImportoVersamentoEnteSecondario,
            "importoSingoloVersamento",
        ),
    ] {
        row.set(col, t(d, name));
    }
    let cf = row.get(Column::CodiceFiscaleEnteSecondario).to_uppercase();
    row.set(Column::CodiceFiscaleEnteSecondario, cf);
}

/// `bilancio` back to the namespace-less text of the tracciato column.
fn bilancio_text(b: &Element) -> String {
    let mut s = String::from("<bilancio>");
    for cap in b.children_ns(PAY_I, "capitolo") {
        s.push_str("<capitolo>");
        s.push_str(&format!(
            "<codCapitolo>{}</codCapitolo>",
            esc(t(cap, "codCapitolo"))
        ));
        if let Some(u) = cap.text_ns(PAY_I, "codUfficio") {
            s.push_str(&format!("<codUfficio>{}</codUfficio>", esc(u.trim())));
        }
        for acc in cap.children_ns(PAY_I, "accertamento") {
            s.push_str("<accertamento>");
            if let Some(c) = acc.text_ns(PAY_I, "codAccertamento") {
                s.push_str(&format!(
                    "<codAccertamento>{}</codAccertamento>",
                    esc(c.trim())
                ));
            }
            s.push_str(&format!("<importo>{}</importo>", esc(t(acc, "importo"))));
            s.push_str("</accertamento>");
        }
        s.push_str("</capitolo>");
    }
    s.push_str("</bilancio>");
    s
}

/// The SOAP fault code for row findings, in MyPay's order of checks (§2.5.6).
pub(crate) fn fault_for(
    findings: &[mpd_domain::Finding],
    row: &RawRow,
) -> Option<(&'static str, &'static str)> {
    let mut best: Option<(u8, &'static str, &'static str)> = None;
    for f in findings {
        let hit: Option<(u8, &'static str, &'static str)> = if f.code == codes::SINTASSI_CSV {
            match f.column {
                Some(Column::CodIuv) => Some((4, "PAA_IUV_NON_VALIDO", "IUV non valido")),
                Some(Column::ImportoDovuto) | Some(Column::CommissioneCaricoPa) => Some((
                    5,
                    "PAA_IMPORTO_SINGOLO_VERSAMENTO_NON_VALIDO",
                    "Importo non valido",
                )),
                Some(Column::TipoDovuto) if row.get(Column::TipoDovuto).is_empty() => Some((
                    7,
                    "PAA_IDENT_TIPO_DOVUTO_NON_PRESENTE",
                    "Tipo dovuto non presente",
                )),
                Some(Column::TipoIdentificativoUnivoco)
                | Some(Column::CodiceIdentificativoUnivoco)
                | Some(Column::AnagraficaPagatore) => Some((
                    8,
                    "PAA_SOGG_PAG_NON_VALORIZZATO",
                    "Soggetto pagatore non valorizzato",
                )),
                Some(Column::Iud) => Some((10, "PAA_IUD_NON_VALIDO", "IUD non valido")),
                Some(Column::CausaleVersamento)
                    if row.get(Column::CausaleVersamento).is_empty() =>
                {
                    Some((11, "PAA_CAUSALE_NON_PRESENTE", "Causale non presente"))
                }
                Some(Column::DataScadenzaPagamento) => None,
                _ => Some((1, "PAA_XML_NON_VALIDO", "XML dei dovuti non valido")),
            }
        } else {
            match f.code.as_str() {
                codes::IUV => Some((4, "PAA_IUV_NON_VALIDO", "IUV non valido")),
                codes::IMPORTO | codes::COMMISSIONI_PA => Some((
                    5,
                    "PAA_IMPORTO_SINGOLO_VERSAMENTO_NON_VALIDO",
                    "Importo non valido",
                )),
                codes::BILANCIO => Some((
                    6,
                    "PAA_IMPORTO_BILANCIO_NON_VALIDO",
                    "Importo bilancio non valido",
                )),
                codes::TIPO_DOVUTO_INESISTENTE | codes::TIPO_DOVUTO_MARCA_DA_BOLLO => Some((
                    7,
                    "PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_VALIDO",
                    "Identificativo tipo dovuto non valido",
                )),
                codes::TIPO_VERS => Some((
                    9,
                    "PAA_TIPO_VERSAMENTO_NON_VALIDO",
                    "Tipo versamento non valido",
                )),
                codes::IUD => Some((10, "PAA_IUD_NON_VALIDO", "IUD non valido")),
                codes::DATI_RISCOSS | codes::DATI_RISCOSS_ENTE_SECONDARIO => Some((
                    12,
                    "PAA_DATI_SPECIFICI_RISCOSSIONE_NON_VALIDO",
                    "Dati specifici riscossione non validi",
                )),
                codes::COD_FISC | codes::ID_UNIV_FG => Some((
                    13,
                    "PAA_CODICE_FISCALE_NON_VALIDO",
                    "Codice fiscale non valido",
                )),
                codes::P_IVA => Some((13, "PAA_P_IVA_NON_VALIDO", "Partita IVA non valida")),
                codes::DATA_SCADENZA_OBBLIGATORIA | codes::DATA_SCADENZA_NON_PRESENTE => Some((
                    15,
                    "PAA_IMPORT_DATA_SCADENZA_PAGAMENTO_OBBLIGATORIA",
                    "Data scadenza pagamento obbligatoria",
                )),
                // Address fields are cleaned silently by MyPay, not refused.
                _ => None,
            }
        };
        if let Some(h) = hit
            && best.is_none_or(|b| h.0 < b.0)
        {
            best = Some(h);
        }
    }
    best.map(|(_, c, s)| (c, s))
}

// ---------------------------------------------------------------------------------------------
// paaSILImportaDovuto

pub fn importa_dovuto(state: &State, req: &Request) -> OpResult {
    const OP: &str = "paaSILImportaDovuto";
    let ipa = header_ipa(req)?;
    let b = &req.body;
    // The XML is parsed, with full XSD validation, before the Ente is checked.
    let v = payload(OP, ipa, b.text_of("dovuto"), "Versamento")?;
    let Some(dv) = v.child_ns(PAY_I, "datiVersamento") else {
        return Err(xml_non_valido(OP, ipa, "datiVersamento mancante"));
    };
    for required in [
        "importoSingoloVersamento",
        "identificativoTipoDovuto",
        "causaleVersamento",
        "datiSpecificiRiscossione",
    ] {
        if dv.child_ns(PAY_I, required).is_none() {
            return Err(xml_non_valido(OP, ipa, &format!("{required} mancante")));
        }
    }
    if v.child_ns(PAY_I, "versioneOggetto").is_none() || v.child_ns(PAY_I, "azione").is_none() {
        return Err(xml_non_valido(OP, ipa, "versioneOggetto o azione mancante"));
    }
    let (ente, ente_id) =
        verifica_ente(state, OP, ipa, b.text_of("password"), true).map_err(|f| ko(OP, f))?;
    let azione_txt = t(&v, "azione");
    if !["I", "M", "A", "S"].contains(&azione_txt) {
        return Err(ko(
            OP,
            Fault::new("PAA_AZIONE_NON_VALIDO", "Azione non valida", ipa),
        ));
    }
    let flag = crate::datatypes::boolean(b.text_of("flagGeneraIuv"));
    let Some(sp) = v.child_ns(PAY_I, "soggettoPagatore") else {
        return Err(ko(
            OP,
            Fault::new(
                "PAA_SOGG_PAG_NON_VALORIZZATO",
                "Soggetto pagatore non valorizzato",
                ipa,
            ),
        ));
    };
    let mut row = RawRow::default();
    pagatore_into(sp, &mut row);
    row.set(Column::Iud, t(dv, "identificativoUnivocoDovuto"));
    row.set(Column::CodIuv, t(dv, "identificativoUnivocoVersamento"));
    row.set(
        Column::DataScadenzaPagamento,
        t(dv, "dataEsecuzionePagamento"),
    );
    row.set(Column::ImportoDovuto, t(dv, "importoSingoloVersamento"));
    row.set(Column::CommissioneCaricoPa, t(dv, "commissioneCaricoPA"));
    row.set(Column::TipoDovuto, t(dv, "identificativoTipoDovuto"));
    row.set(Column::TipoVersamento, t(dv, "tipoVersamento"));
    row.set(Column::CausaleVersamento, t(dv, "causaleVersamento"));
    row.set(
        Column::DatiSpecificiRiscossione,
        t(dv, "datiSpecificiRiscossione"),
    );
    if let Some(bil) = dv.child_ns(PAY_I, "bilancio") {
        row.set(Column::Bilancio, bilancio_text(bil));
    }
    row.set(Column::FlagGeneraIuv, if flag { "true" } else { "false" });
    let azione = match azione_txt {
        "M" => Azione::Modifica,
        "A" => Azione::Annullamento,
        _ => Azione::Inserimento,
    };
    row.set(Column::Azione, azione.as_str());
    // The secondary beneficiary (multi-beneficiary debt), stored in the 1_4 columns.
    let secondari: Vec<&Element> = b
        .child("listaDovutiEntiSecondari")
        .map(|l| {
            l.children
                .iter()
                .filter(|c| c.ns.is_none() && c.name == "elementoListaDovutiEntiSecondari")
                .collect()
        })
        .unwrap_or_default();
    if secondari.len() > 1 {
        return Err(ko(
            OP,
            Fault::new(
                "PAA_LIMITAZIONE_ENTI_SECONDARI_ERROR",
                "E' possibile indicare un solo ente secondario",
                ipa,
            ),
        ));
    }
    let multi = match secondari.first() {
        Some(el) if azione != Azione::Annullamento => {
            let x = payload(
                OP,
                ipa,
                el.text_of("dovutiEntiSecondari"),
                "DovutiEntiSecondari",
            )?;
            secondario_into(&x, &mut row);
            true
        }
        _ => false,
    };
    let now = state.now();
    let version = if multi { Version::V1_4 } else { Version::V1_3 };
    let ctx = RowContext::new(&ente.ente, &ente.tipi, version, now.date());
    let findings = mpd_domain::mypay_findings(&row, &ctx);
    if let Some((code, string)) = fault_for(&findings, &row) {
        let detail = findings
            .first()
            .map(|f| f.message.clone())
            .unwrap_or_default();
        return Err(ko(
            OP,
            Fault::new(code, string, ipa).with_description(detail),
        ));
    }
    let iud = row.get(Column::Iud).to_string();
    let iuf = format!("_{}_IMPORT-DOVUTO", ente.ente.codice_ipa);
    let sys = |m: String| ko(OP, Fault::new("PAA_SYSTEM_ERROR", m, ipa));
    let mut conn = state.lock_db();
    if azione_txt == "S" {
        let iuv = row.get(Column::CodIuv).to_string();
        if iuv.is_empty() || flag {
            return Err(sys(
                "Per la stampa occorre lo IUV e flagGeneraIuv falso".into()
            ));
        }
        if db::current_by_iuv(&conn, ente_id, &iuv)?.is_empty() {
            return Err(ko(
                OP,
                Fault::new("PAA_IUV_NON_VALIDO", "IUV non valido", ipa),
            ));
        }
        let zip = notice::stampa_zip(&ente.ente, &notice::Notice::from_row(&row)).map_err(sys)?;
        return Ok(Reply::new(OP)
            .field("esito", "OK")
            .field("base64ZipAvviso", &B64.encode(zip)));
    }
    let mut generated = None;
    let result = db::transaction(
        &mut conn,
        |tx| -> Result<Result<i64, Failure>, crate::error::EmulatorError> {
            if azione != Azione::Annullamento && flag && row.get(Column::CodIuv).is_empty() {
                let n = db::next_iuv_counter(tx, ente_id)?;
                let iuv = mpd_domain::iuv::generate_iuv17(&ente.ente.codice_segregazione, "00", n)
                    .map_err(|e| crate::error::EmulatorError::Other(e.message_it()))?;
                row.set(Column::CodIuv, iuv.clone());
                generated = Some(iuv);
            }
            let iuv = row.get(Column::CodIuv).to_string();
            let new = |tx: &crate::db::Connection, row: &RawRow| {
                db::insert_dovuto(
                    tx,
                    &db::NewDovuto {
                        ente_id,
                        iuf: &iuf,
                        num_riga: 0,
                        iuv: (!iuv.is_empty()).then_some(iuv.as_str()),
                        riga: row,
                        now,
                    },
                )
            };
            match azione {
                Azione::Inserimento => {
                    if db::iud_registered(tx, ente_id, &iud)? {
                        return Ok(Err(ko(
                            OP,
                            Fault::new(
                                "PAA_IMPORT_IUD_DUPLICATO",
                                "IUD attivo presente nel database, non si accettano dovuti duplicati",
                                ipa,
                            ),
                        )));
                    }
                    if !iuv.is_empty() && db::iuv_registered(tx, ente_id, &iuv)? {
                        return Ok(Err(ko(
                            OP,
                            Fault::new("PAA_IMPORT_IUV_DUPLICATO", "IUV duplicato", ipa),
                        )));
                    }
                    db::register_iud(tx, ente_id, &iud)?;
                    if !iuv.is_empty() {
                        db::register_iuv(tx, ente_id, &iuv)?;
                    }
                    Ok(Ok(new(tx, &row)?))
                }
                Azione::Modifica | Azione::Annullamento => {
                    let Some(cur) = db::current_by_iud(tx, ente_id, &iud)? else {
                        return Ok(Err(sys(format!(
                            "paaSILImportaDovuto: Dovuto non trovato per IUD [{iud}] e codice IPA Ente [{ipa}]"
                        ))));
                    };
                    if cur.stato != stato::DA_PAGARE {
                        return Ok(Err(sys("pa.debiti.nonModificabile".into())));
                    }
                    if azione == Azione::Annullamento {
                        db::to_history(tx, cur.id, Some(stato::ANNULLATO), now)?;
                        return Ok(Ok(cur.id));
                    }
                    if cur.riga.get(Column::TipoDovuto) != row.get(Column::TipoDovuto) {
                        return Ok(Err(ko(
                            OP,
                            Fault::new(
                                "PAA_IMPORT_TIPO_DOVUTO_NON_MODIFICABILE",
                                "Tipo dovuto non modificabile",
                                ipa,
                            ),
                        )));
                    }
                    if let Some(old) = cur.iuv.as_deref()
                        && old != iuv
                    {
                        let code = if iuv.is_empty() {
                            "PAA_IMPORT_IUV_NO_NULLABLE"
                        } else {
                            "PAA_IMPORT_IUV_DUPLICATO"
                        };
                        return Ok(Err(ko(
                            OP,
                            Fault::new(code, "Non è possibile modificare il codice iuv", ipa),
                        )));
                    }
                    if cur.iuv.is_none() && !iuv.is_empty() {
                        db::register_iuv(tx, ente_id, &iuv)?;
                    }
                    db::to_history(tx, cur.id, None, now)?;
                    Ok(Ok(new(tx, &row)?))
                }
            }
        },
    )?;
    let dovuto_id = result?;
    let iuv = row.get(Column::CodIuv).to_string();
    let mut reply = Reply::new(OP)
        .field("esito", "OK")
        .opt("identificativoUnivocoVersamento", generated.as_deref());
    if flag && azione != Azione::Annullamento && (iuv.len() == 15 || iuv.len() == 17) {
        let token = state
            .tokens
            .download("AVVISO", dovuto_id, "", 2 * 365 * 24 * 3600);
        reply = reply.field(
            "urlFileAvviso",
            &format!(
                "{}/public/landing/avviso?id={dovuto_id}&securityToken={token}",
                state.base_url
            ),
        );
    }
    Ok(reply)
}

// ---------------------------------------------------------------------------------------------
// Dovuti / Pagati payloads

fn opt_el(out: &mut String, name: &str, value: &str) {
    if !value.is_empty() {
        out.push_str(&format!("<ns2:{name}>{}</ns2:{name}>", esc(value)));
    }
}

fn soggetto_pagatore(out: &mut String, r: &RawRow) {
    out.push_str("<ns2:soggettoPagatore><ns2:identificativoUnivocoPagatore>");
    opt_el(
        out,
        "tipoIdentificativoUnivoco",
        &r.get(Column::TipoIdentificativoUnivoco).to_uppercase(),
    );
    opt_el(
        out,
        "codiceIdentificativoUnivoco",
        &r.get(Column::CodiceIdentificativoUnivoco).to_uppercase(),
    );
    out.push_str("</ns2:identificativoUnivocoPagatore>");
    opt_el(out, "anagraficaPagatore", r.get(Column::AnagraficaPagatore));
    opt_el(out, "indirizzoPagatore", r.get(Column::IndirizzoPagatore));
    opt_el(out, "civicoPagatore", r.get(Column::CivicoPagatore));
    opt_el(out, "capPagatore", r.get(Column::CapPagatore));
    opt_el(out, "localitaPagatore", r.get(Column::LocalitaPagatore));
    let prov: String = r.get(Column::ProvinciaPagatore).chars().take(2).collect();
    opt_el(out, "provinciaPagatore", &prov);
    opt_el(out, "nazionePagatore", r.get(Column::NazionePagatore));
    opt_el(out, "e-mailPagatore", r.get(Column::EmailPagatore));
    out.push_str("</ns2:soggettoPagatore>");
}

/// `pay_i:Dovuti` of one open debt (no XML declaration), as ChiediPosizioniAperte returns it.
fn dovuti_xml(d: &DovutoRec) -> String {
    let r = &d.riga;
    let mut out = format!(
        "<ns2:Dovuti xmlns:ns2=\"{PAY_I}\"><ns2:versioneOggetto>6.2.0</ns2:versioneOggetto>"
    );
    soggetto_pagatore(&mut out, r);
    out.push_str("<ns2:datiVersamento>");
    let tv = r.get(Column::TipoVersamento);
    opt_el(
        &mut out,
        "tipoVersamento",
        if tv.is_empty() { "ALL" } else { tv },
    );
    opt_el(
        &mut out,
        "identificativoUnivocoVersamento",
        d.iuv.as_deref().unwrap_or(""),
    );
    out.push_str("<ns2:datiSingoloVersamento>");
    opt_el(&mut out, "identificativoUnivocoDovuto", &d.iud);
    opt_el(&mut out, "importoSingoloVersamento", &payments::importo(d));
    let comm = r.get(Column::CommissioneCaricoPa).trim();
    if let Ok(c) = comm.parse::<rust_decimal::Decimal>() {
        opt_el(
            &mut out,
            "commissioneCaricoPA",
            &format!("{:.2}", c.round_dp(2)),
        );
    }
    opt_el(
        &mut out,
        "identificativoTipoDovuto",
        r.get(Column::TipoDovuto),
    );
    opt_el(
        &mut out,
        "causaleVersamento",
        r.get(Column::CausaleVersamento),
    );
    opt_el(
        &mut out,
        "datiSpecificiRiscossione",
        r.get(Column::DatiSpecificiRiscossione),
    );
    out.push_str("</ns2:datiSingoloVersamento></ns2:datiVersamento></ns2:Dovuti>");
    out
}

/// `pay_i:Pagati` / `pay_i:PagatiConRicevuta` of the payments of one cart or debt.
pub(crate) fn pagati_xml(
    ente: &mpd_domain::Ente,
    items: &[(Pagamento, DovutoRec)],
    con_ricevuta: bool,
) -> String {
    let root = if con_ricevuta {
        "PagatiConRicevuta"
    } else {
        "Pagati"
    };
    let (p0, d0) = &items[0];
    let mut out = format!(
        "<ns2:{root} xmlns:ns2=\"{PAY_I}\"><ns2:versioneOggetto>6.2.0</ns2:versioneOggetto>"
    );
    out.push_str("<ns2:dominio>");
    opt_el(&mut out, "identificativoDominio", &ente.codice_fiscale);
    opt_el(
        &mut out,
        "identificativoStazioneRichiedente",
        "80007580279_03",
    );
    out.push_str("</ns2:dominio>");
    opt_el(&mut out, "identificativoMessaggioRicevuta", &p0.id_msg);
    opt_el(&mut out, "dataOraMessaggioRicevuta", &p0.data_ora);
    opt_el(
        &mut out,
        "riferimentoMessaggioRichiesta",
        &format!("RPT{}", p0.iuv),
    );
    opt_el(&mut out, "riferimentoDataRichiesta", &p0.data_esito);
    out.push_str("<ns2:istitutoAttestante><ns2:identificativoUnivocoAttestante>");
    opt_el(&mut out, "tipoIdentificativoUnivoco", &p0.psp_tipo);
    opt_el(&mut out, "codiceIdentificativoUnivoco", &p0.psp_id);
    out.push_str("</ns2:identificativoUnivocoAttestante>");
    opt_el(&mut out, "denominazioneAttestante", &p0.psp_nome);
    out.push_str(
        "</ns2:istitutoAttestante><ns2:enteBeneficiario><ns2:identificativoUnivocoBeneficiario>",
    );
    opt_el(&mut out, "tipoIdentificativoUnivoco", "G");
    opt_el(
        &mut out,
        "codiceIdentificativoUnivoco",
        &ente.codice_fiscale,
    );
    out.push_str("</ns2:identificativoUnivocoBeneficiario>");
    opt_el(&mut out, "denominazioneBeneficiario", &ente.denominazione);
    out.push_str("</ns2:enteBeneficiario>");
    soggetto_pagatore(&mut out, &d0.riga);
    out.push_str("<ns2:datiPagamento>");
    opt_el(&mut out, "codiceEsitoPagamento", "0");
    let total: rust_decimal::Decimal = items
        .iter()
        .filter_map(|(p, _)| p.importo.parse::<rust_decimal::Decimal>().ok())
        .sum();
    opt_el(
        &mut out,
        "importoTotalePagato",
        &format!("{:.2}", total.round_dp(2)),
    );
    opt_el(&mut out, "identificativoUnivocoVersamento", &p0.iuv);
    opt_el(&mut out, "codiceContestoPagamento", &p0.ccp);
    for (i, (p, d)) in items.iter().enumerate().take(5) {
        // Items without an IUR are skipped by MyPay.
        if p.iur.is_empty() {
            continue;
        }
        out.push_str("<ns2:datiSingoloPagamento>");
        opt_el(&mut out, "identificativoUnivocoDovuto", &d.iud);
        opt_el(&mut out, "singoloImportoPagato", &p.importo);
        opt_el(
            &mut out,
            "esitoSingoloPagamento",
            &p.esito.chars().take(35).collect::<String>(),
        );
        opt_el(&mut out, "dataEsitoSingoloPagamento", &p.data_esito);
        opt_el(&mut out, "identificativoUnivocoRiscossione", &p.iur);
        let causale: String = d
            .riga
            .get(Column::CausaleVersamento)
            .chars()
            .take(140)
            .collect();
        opt_el(&mut out, "causaleVersamento", &causale);
        opt_el(
            &mut out,
            "datiSpecificiRiscossione",
            d.riga.get(Column::DatiSpecificiRiscossione),
        );
        if con_ricevuta {
            opt_el(&mut out, "indiceDatiSingoloPagamento", &(i + 1).to_string());
            opt_el(&mut out, "commissioniApplicatePSP", "0.00");
        }
        out.push_str("</ns2:datiSingoloPagamento>");
    }
    out.push_str(&format!("</ns2:datiPagamento></ns2:{root}>"));
    out
}

/// The common head of the operations asked about one payer (`paaSILChiediPosizioniAperte`,
/// `paaSILChiediStoricoPagamenti`): the admin Ente's password (pa.codIpaEntePredefinito), the
/// optional `codIpaEnte` filter, and `identificativoUnivocoPersonaFG` (type F or G, a code).
/// Returns the admin IPA code (for faults), the Ente id filter and the payer's code.
pub fn richiesta_pagatore(
    state: &State,
    op: &'static str,
    b: &Element,
) -> Result<(String, Option<i64>, String), Failure> {
    let admin = state
        .options
        .admin_ente
        .clone()
        .unwrap_or_else(|| state.enti[0].ente.codice_ipa.clone());
    verifica_ente(state, op, &admin, b.text_of("password"), false)
        .map_err(|f| Failure::reply(Reply::fault(op, f)))?;
    let filter = match b
        .text_of("codIpaEnte")
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(ipa) => match state.ente(ipa) {
            Some((_, id)) => Some(id),
            None => {
                return Err(business(
                    op,
                    "PAA_ENTE_NON_VALIDO",
                    format!("Codice IPA Ente [{ipa}] non valido"),
                    &admin,
                ));
            }
        },
        None => None,
    };
    let person = b.child("identificativoUnivocoPersonaFG");
    let tipo = person
        .map(|p| t(p, "tipoIdentificativoUnivoco"))
        .unwrap_or("");
    if tipo != "F" && tipo != "G" {
        return Err(business(
            op,
            "PAA_TIPO_IDENTIFICATIVO_PAGATORE_NON_VALIDO",
            "Tipo identificativo pagatore non valido",
            &admin,
        ));
    }
    let codice = person
        .map(|p| t(p, "codiceIdentificativoUnivoco"))
        .unwrap_or("");
    if codice.is_empty() {
        return Err(business(
            op,
            "PAA_CODICE_IDENTIFICATIVO_PAGATORE_NON_PRESENTE",
            "Codice identificativo pagatore non presente",
            &admin,
        ));
    }
    Ok((admin, filter, codice.to_string()))
}

// ---------------------------------------------------------------------------------------------
// paaSILChiediPosizioniAperte

pub fn posizioni_aperte(state: &State, req: &Request) -> OpResult {
    const OP: &str = "paaSILChiediPosizioniAperte";
    let b = &req.body;
    let (_admin, filter, codice) = richiesta_pagatore(state, OP, b)?;
    let codice = codice.as_str();
    let now = state.now();
    let conn = state.lock_db();
    let mut reply = Reply::new(OP);
    for d in db::open_by_cf(&conn, codice, filter)? {
        let Some(ente) = state.ente_by_id(d.ente_id) else {
            continue;
        };
        let id_session = match &d.id_session {
            Some(s) => s.clone(),
            None => {
                let s = uuid::Uuid::new_v4().to_string();
                db::set_dovuto_state(&conn, d.id, &d.stato, None, Some(&s), now)?;
                s
            }
        };
        reply = reply.raw(&format!(
            "<paaSILPosizioniAperte><codIpaEnte>{}</codIpaEnte><deNomeEnte>{}</deNomeEnte>\
             <urlPagamento>{}/public/landing/precaricato?id={}</urlPagamento><dovuti>{}</dovuti></paaSILPosizioniAperte>",
            esc(&ente.ente.codice_ipa),
            esc(&ente.ente.denominazione),
            esc(&state.base_url),
            esc(&id_session),
            B64.encode(dovuti_xml(&d))
        ));
    }
    Ok(reply)
}

// ---------------------------------------------------------------------------------------------
// paaSILChiediPagati / paaSILChiediPagatiConRicevuta

pub(crate) fn session_state_fault(stato_cart: &str) -> Option<(&'static str, &'static str)> {
    match stato_cart {
        "NUOVO_CARRELLO" | "PREDISPOSTO" => {
            Some(("PAA_PAGAMENTO_NON_INIZIATO", "Pagamento non iniziato"))
        }
        "PAGAM_IN_CORSO" => Some(("PAA_PAGAMENTO_IN_CORSO", "Pagamento in corso")),
        "ABORT" => Some(("PAA_PAGAMENTO_ANNULLATO", "Pagamento annullato")),
        "SCADUTO" | "SCADUTO_ELABORATO" => Some(("PAA_PAGAMENTO_SCADUTO", "Pagamento scaduto")),
        "PAGATO" | "NON_PAGATO" | "DECORR_TERM" | "DECORR_TERM_PARZ" => None,
        _ => Some(("PAA_SYSTEM_ERROR", "PAA SYSTEM ERROR")),
    }
}

fn debt_state_fault(stato_debt: &str) -> Option<(&'static str, &'static str)> {
    match stato_debt {
        stato::DA_PAGARE | "PREDISPOSTO" => {
            Some(("PAA_PAGAMENTO_NON_INIZIATO", "Pagamento non iniziato"))
        }
        stato::PAGAMENTO_INIZIATO => Some(("PAA_PAGAMENTO_IN_CORSO", "Pagamento in corso")),
        "SCADUTO" | "SCADUTO_ELABORATO" => Some(("PAA_PAGAMENTO_SCADUTO", "Pagamento scaduto")),
        "ABORT" => Some(("PAA_PAGAMENTO_ANNULLATO", "Pagamento annullato")),
        _ => None,
    }
}

pub fn chiedi_pagati(state: &State, req: &Request, con_ricevuta: bool) -> OpResult {
    let op = if con_ricevuta {
        "paaSILChiediPagatiConRicevuta"
    } else {
        "paaSILChiediPagati"
    };
    let b = &req.body;
    let ipa = b.text_of("codIpaEnte").unwrap_or("").trim();
    let (ente, ente_id) = verifica_ente(state, op, ipa, b.text_of("password"), !con_ricevuta)
        .map_err(|f| Failure::reply(Reply::fault(op, f)))?;
    let sel = |n: &str| b.text_of(n).map(str::trim).filter(|s| !s.is_empty());
    let (id_session, iuv, iud) = (
        sel("idSession"),
        if con_ricevuta {
            sel("identificativoUnivocoVersamento")
        } else {
            None
        },
        if con_ricevuta {
            sel("identificativoUnivocoDovuto")
        } else {
            None
        },
    );
    if con_ricevuta
        && [id_session, iuv, iud]
            .iter()
            .filter(|s| s.is_some())
            .count()
            != 1
    {
        return Err(Failure::reply(Reply::fault(
            op,
            Fault::new("PAA_SYSTEM_ERROR", "PAA SYSTEM ERROR", ipa)
                .with_description("Occorre indicare uno e uno solo tra idSession, identificativoUnivocoVersamento e identificativoUnivocoDovuto"),
        )));
    }
    let conn = state.lock_db();
    let fault = |code: &str, s: &str| business(op, code, s, ipa);
    let mut items: Vec<(Pagamento, DovutoRec)> = Vec::new();
    if let Some(sid) = id_session {
        let Some(s) = db::sessione(&conn, sid)?.filter(|s| s.ente_id == ente_id) else {
            return Err(fault("PAA_ID_SESSION_NON_VALIDO", "idSession non valido"));
        };
        if let Some((c, m)) = session_state_fault(&s.stato) {
            return Err(fault(c, m));
        }
        for id in &s.dovuti {
            if let Some(d) = db::dovuto(&conn, *id)? {
                for p in db::pagamenti_of_dovuto(&conn, d.id)? {
                    items.push((p, d.clone()));
                }
            }
        }
    } else {
        let debts = match (iuv, iud) {
            (Some(iuv), _) => db::current_by_iuv(&conn, ente_id, iuv)?,
            (_, Some(iud)) => db::current_by_iud(&conn, ente_id, iud)?
                .into_iter()
                .collect(),
            _ => Vec::new(),
        };
        let Some(d) = debts.into_iter().next() else {
            return Err(if iuv.is_some() {
                fault("PAA_IUV_NON_VALIDO", "IUV non valido")
            } else {
                fault("PAA_IUD_NON_VALIDO", "IUD non valido")
            });
        };
        if let Some((c, m)) = debt_state_fault(&d.stato) {
            return Err(fault(c, m));
        }
        for p in db::pagamenti_of_dovuto(&conn, d.id)? {
            items.push((p, d.clone()));
        }
    }
    if items.is_empty() {
        return Err(fault(
            "PAA_PAGAMENTO_NON_INIZIATO",
            "Pagamento non iniziato",
        ));
    }
    let xml = pagati_xml(&ente.ente, &items, con_ricevuta);
    // [QUIRK] base64 of the base64 text: the code encodes once, JAXB's DataHandler again.
    let pagati = B64.encode(B64.encode(xml.as_bytes()));
    let mut reply = Reply::new(op).field("pagati", &pagati);
    if con_ricevuta {
        let p0 = &items[0].0;
        if !p0.tipo_firma.is_empty() {
            reply = reply.field("tipoFirma", &p0.tipo_firma);
        }
        reply = reply.field("rt", &B64.encode(p0.rt.as_bytes()));
    }
    Ok(reply)
}

// ---------------------------------------------------------------------------------------------
// Web payments: paaSILVerificaAvviso, paaSILInviaDovuti

/// `idSession`: a UUID whose last group is a hex timestamp, as MyPay makes it.
pub(crate) fn new_id_session() -> String {
    let u = uuid::Uuid::new_v4().to_string();
    let ts = format!(
        "{:012x}",
        chrono::Utc::now().timestamp_millis() & 0xffff_ffff_ffff
    );
    format!("{}{}", &u[..24], ts)
}

fn start_session(
    state: &State,
    conn: &crate::db::Connection,
    op: &str,
    ente_id: i64,
    dovuti: Vec<i64>,
    back_url: Option<&str>,
) -> OpResult {
    let id_session = new_id_session();
    let landing = uuid::Uuid::new_v4().simple().to_string();
    db::insert_sessione(
        conn,
        &db::Sessione {
            id_session: id_session.clone(),
            ente_id,
            stato: "NUOVO_CARRELLO".into(),
            dovuti,
            back_url: back_url.map(String::from).filter(|s| !s.trim().is_empty()),
            landing_id: landing.clone(),
        },
        state.now(),
    )?;
    Ok(Reply::new(op)
        .field("esito", "OK")
        .field("idSession", &id_session)
        .field("redirect", "1")
        .field(
            "url",
            &format!("{}/public/landing/inviaDovuti?id={landing}", state.base_url),
        ))
}

pub fn verifica_avviso(state: &State, req: &Request) -> OpResult {
    const OP: &str = "paaSILVerificaAvviso";
    let ipa = header_ipa(req)?;
    let b = &req.body;
    let (ente, ente_id) =
        verifica_ente(state, OP, ipa, b.text_of("password"), true).map_err(|f| ko(OP, f))?;
    let iuv = b
        .text_of("identificativoUnivocoVersamento")
        .unwrap_or("")
        .trim();
    let conn = state.lock_db();
    let debts = db::current_by_iuv(&conn, ente_id, iuv)?;
    if debts.is_empty() {
        return Err(ko(
            OP,
            Fault::new("PAA_IUV_NON_VALIDO", "IUV non valido", ipa),
        ));
    }
    if debts.iter().any(|d| d.stato != stato::DA_PAGARE) {
        return Err(ko(
            OP,
            Fault::new("PAA_IUV_NON_VALIDO", "IUV non valido", ipa)
                .with_description("non ci sono dovuti pagabili per il dato IUV"),
        ));
    }
    let today = state.now().date();
    for d in &debts {
        let tipo = ente
            .tipi
            .iter()
            .find(|t| t.codice == d.riga.get(Column::TipoDovuto));
        if tipo.is_some_and(|t| !t.attivo) {
            return Err(ko(
                OP,
                Fault::new("PAA_IUV_NON_VALIDO", "IUV non valido", ipa)
                    .with_description("tipo dovuto disabilitato"),
            ));
        }
        let scaduto = chrono::NaiveDate::parse_from_str(
            d.riga.get(Column::DataScadenzaPagamento),
            "%Y-%m-%d",
        )
        .is_ok_and(|s| s < today);
        if tipo.is_some_and(|t| t.scadenza_obbligatoria) && scaduto {
            return Err(ko(OP, Fault::new("PAA_IUV_SCADUTO", "IUV scaduto", ipa)));
        }
    }
    start_session(
        state,
        &conn,
        OP,
        ente_id,
        debts.iter().map(|d| d.id).collect(),
        b.text_of("enteSILInviaRispostaPagamentoUrl"),
    )
}

/// The checks of `paaSILInviaDovuti` on one `Dovuti` payload (spec §2.5.11), in MyPay's order:
/// the rows of its 1..5 debts, or the fault (`esito` = `KO`). Shared with
/// `paaSILInviaCarrelloDovuti`, which runs them for every Ente of the cart.
pub(crate) fn check_dovuti(
    state: &State,
    op: &str,
    ipa: &str,
    ente: &crate::config::EnteConfig,
    ente_id: i64,
    conn: &crate::db::Connection,
    dovuti_b64: Option<&str>,
) -> Result<Vec<RawRow>, Failure> {
    let dv = payload(op, ipa, dovuti_b64, "Dovuti")?;
    let Some(sp) = dv.child_ns(PAY_I, "soggettoPagatore") else {
        return Err(xml_non_valido(op, ipa, "soggettoPagatore mancante"));
    };
    let Some(dati) = dv.child_ns(PAY_I, "datiVersamento") else {
        return Err(xml_non_valido(op, ipa, "datiVersamento mancante"));
    };
    let items: Vec<&Element> = dati.children_ns(PAY_I, "datiSingoloVersamento").collect();
    if items.is_empty() || items.len() > 5 {
        return Err(xml_non_valido(op, ipa, "da 1 a 5 datiSingoloVersamento"));
    }
    if dati
        .child_ns(PAY_I, "identificativoUnivocoVersamento")
        .is_some()
    {
        return Err(ko(
            op,
            Fault::new(
                "PAA_IUV_NON_VALIDO",
                "l'inserimento dello IUV è deprecato",
                ipa,
            ),
        ));
    }
    let now = state.now();
    let ctx = RowContext::new(&ente.ente, &ente.tipi, Version::V1_3, now.date());
    let mut rows = Vec::new();
    for it in items {
        let mut row = RawRow::default();
        pagatore_into(sp, &mut row);
        row.set(Column::TipoVersamento, t(dati, "tipoVersamento"));
        row.set(Column::Iud, t(it, "identificativoUnivocoDovuto"));
        row.set(Column::ImportoDovuto, t(it, "importoSingoloVersamento"));
        row.set(Column::CommissioneCaricoPa, t(it, "commissioneCaricoPA"));
        row.set(Column::TipoDovuto, t(it, "identificativoTipoDovuto"));
        row.set(Column::CausaleVersamento, t(it, "causaleVersamento"));
        row.set(
            Column::DatiSpecificiRiscossione,
            t(it, "datiSpecificiRiscossione"),
        );
        row.set(Column::Azione, "I");
        let iud = row.get(Column::Iud).to_string();
        if db::iud_registered(conn, ente_id, &iud)? {
            return Err(ko(
                op,
                Fault::new("PAA_IUD_DUPLICATO", format!("IUD [{iud}] già inviato"), ipa),
            ));
        }
        let tipo = row.get(Column::TipoDovuto);
        if let Some(tt) = ente.tipi.iter().find(|x| x.codice == tipo)
            && !tt.attivo
        {
            return Err(ko(
                op,
                Fault::new(
                    "PAA_IDENTIFICATIVO_TIPO_DOVUTO_NON_ABILITATO",
                    "Tipo dovuto non abilitato",
                    ipa,
                ),
            ));
        }
        let findings: Vec<_> = mpd_domain::mypay_findings(&row, &ctx)
            .into_iter()
            // The due date is not part of a web payment.
            .filter(|f| {
                f.column != Some(Column::DataScadenzaPagamento) && !f.code.contains("DATA_SCADENZA")
            })
            .collect();
        if let Some((code, s)) = fault_for(&findings, &row) {
            return Err(ko(op, Fault::new(code, s, ipa)));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Stores the debts of a web payment (flow `_<codIpa>_ESTERNO-ANONIMO`, as MyPay names it).
pub(crate) fn insert_web_debts(
    tx: &crate::db::Connection,
    ente_id: i64,
    cod_ipa: &str,
    rows: &[RawRow],
    now: chrono::NaiveDateTime,
) -> Result<Vec<i64>, crate::error::EmulatorError> {
    let iuf = format!("_{cod_ipa}_ESTERNO-ANONIMO");
    let mut ids = Vec::new();
    for row in rows {
        db::register_iud(tx, ente_id, row.get(Column::Iud))?;
        ids.push(db::insert_dovuto(
            tx,
            &db::NewDovuto {
                ente_id,
                iuf: &iuf,
                num_riga: 0,
                iuv: None,
                riga: row,
                now,
            },
        )?);
    }
    Ok(ids)
}

pub fn invia_dovuti(state: &State, req: &Request) -> OpResult {
    const OP: &str = "paaSILInviaDovuti";
    let ipa = header_ipa(req)?;
    let b = &req.body;
    let Some(ente_cfg) = state.ente(ipa) else {
        return Err(ko(
            OP,
            Fault::new(
                "PAA_ENTE_NON_VALIDO",
                format!("Codice IPA Ente [{ipa}] non valido o password errata"),
                ipa,
            ),
        ));
    };
    if ente_cfg.0.stato == "INSERITO" {
        return Err(ko(
            OP,
            Fault::new("PAA_STATO_ENTE_NON_VALIDO", "Stato Ente non valido", ipa),
        ));
    }
    let (ente, ente_id) =
        verifica_ente(state, OP, ipa, b.text_of("password"), false).map_err(|f| ko(OP, f))?;
    let mut conn = state.lock_db();
    let rows = check_dovuti(state, OP, ipa, ente, ente_id, &conn, b.text_of("dovuti"))?;
    let now = state.now();
    let ipa_ente = ente.ente.codice_ipa.clone();
    let ids = db::transaction(&mut conn, |tx| {
        insert_web_debts(tx, ente_id, &ipa_ente, &rows, now)
    })?;
    start_session(
        state,
        &conn,
        OP,
        ente_id,
        ids,
        b.text_of("enteSILInviaRispostaPagamentoUrl"),
    )
}

// ---------------------------------------------------------------------------------------------
// paaSILRegistraPagamento

pub fn registra_pagamento(state: &State, req: &Request) -> OpResult {
    const OP: &str = "paaSILRegistraPagamento";
    let b = &req.body;
    let ipa = b.text_of("codIpaEnte").unwrap_or("").trim();
    let Some((cfg, _)) = state.ente(ipa) else {
        return Err(ko(
            OP,
            Fault::new(
                "PAA_ENTE_NON_VALIDO",
                format!("Codice IPA Ente [{ipa}] non valido o password errata"),
                ipa,
            ),
        ));
    };
    if cfg.stato == "INSERITO" {
        return Err(ko(
            OP,
            Fault::new("PAA_STATO_ENTE_NON_VALIDO", "Stato Ente non valido", ipa),
        ));
    }
    let (ente, ente_id) =
        verifica_ente(state, OP, ipa, b.text_of("password"), false).map_err(|f| ko(OP, f))?;
    let g = |n: &str| b.text_of(n).map(str::trim).unwrap_or("").to_string();
    let iuv = g("identificativoUnivocoVersamento");
    let importo = g("singoloImportoPagato");
    let data = crate::datatypes::parse_xsd_date(b.text_of("dataEsitoSingoloPagamento"));
    let (Some(data), false, false) = (data, iuv.is_empty(), importo.is_empty()) else {
        return Err(ko(
            OP,
            Fault::new("PAA_SYSTEM_ERROR", "PAA SYSTEM ERROR", ipa),
        ));
    };
    let now = state.now();
    let mut conn = state.lock_db();
    db::transaction(&mut conn, |tx| {
        let d = match db::current_by_iuv(tx, ente_id, &iuv)?.into_iter().next() {
            Some(d) => d,
            None => {
                // An unknown IUV gets a debt of the DEFAULT tipo in MyPay's REND9 flow.
                let mut row = RawRow::default();
                row.set(Column::Iud, format!("REND9-{iuv}"));
                row.set(Column::CodIuv, iuv.clone());
                row.set(Column::TipoIdentificativoUnivoco, "F");
                row.set(Column::CodiceIdentificativoUnivoco, "ANONIMO");
                row.set(Column::AnagraficaPagatore, "ANONIMO");
                row.set(Column::ImportoDovuto, importo.clone());
                row.set(Column::TipoDovuto, "DEFAULT");
                row.set(Column::CausaleVersamento, "Pagamento registrato");
                row.set(Column::DatiSpecificiRiscossione, "9/0101100IM/");
                row.set(Column::Azione, "I");
                let iuf = format!("_{ipa}_REND9");
                let id = db::insert_dovuto(
                    tx,
                    &db::NewDovuto {
                        ente_id,
                        iuf: &iuf,
                        num_riga: 0,
                        iuv: Some(&iuv),
                        riga: &row,
                        now,
                    },
                )?;
                db::dovuto(tx, id)?
                    .ok_or_else(|| crate::error::EmulatorError::Db("dovuto".into()))?
            }
        };
        let mut rng = StdRng::seed_from_u64(d.id as u64);
        let mut p = payments::pay_one(
            tx,
            &ente.ente,
            &d,
            &mut rng,
            data,
            None,
            "PAGATO CON RENDICONTAZIONE 9",
            now,
        )?;
        // The Ente's own data replace the simulated PSP.
        p.iur = g("identificativoUnivocoRiscossione");
        p.psp_tipo = g("tipoIstitutoAttestante");
        p.psp_id = g("codiceIstitutiAttestante");
        p.psp_nome = g("denominazioneAttestante");
        p.importo = importo.clone();
        if let Some(ccp) = b
            .text_of("codiceContestoPagamento")
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            p.ccp = ccp.to_string();
        }
        db::update_pagamento_ente_data(tx, &p)
    })?;
    Ok(Reply::new(OP).field("esito", "OK"))
}
