//! A payer's payment through a payment session (spec §2.5.8, §2.5.10, §7.4):
//! `paaSILVerificaAvviso` opens a session on an IUV (the address the citizen pays at, and the
//! `idSession`), `paaSILChiediPagati` returns that session's outcome, the `Pagati` XML (double
//! base64, decoded here), with each paid item.
//!
//! A child module of [`crate::api`] (declared there) so that it uses the same envelope, call and
//! fault handling as every other operation.

use serde::Serialize;

use super::{ApiError, MyPayClient, decode_xml_payload, field, required};
use crate::xml;

/// A payment session opened by `paaSILVerificaAvviso`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sessione {
    pub id_session: String,
    /// Where the citizen pays (MyPay's landing page).
    pub url: Option<String>,
}

/// One paid item of a `Pagati` document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PagatoSingolo {
    pub iud: Option<String>,
    /// As MyPay wrote it (`0.00`).
    pub importo: Option<String>,
    pub esito: Option<String>,
    /// `yyyy-mm-dd`.
    pub data_esito: Option<String>,
    pub iur: Option<String>,
    pub causale: Option<String>,
}

/// The outcome of a payment session (`pay_i:Pagati`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pagati {
    pub iuv: Option<String>,
    /// `codiceEsitoPagamento`: 0 paid, 1 not paid, 2 partially paid, 3/4 time expired.
    pub codice_esito: Option<String>,
    pub importo_totale: Option<String>,
    pub pagamenti: Vec<PagatoSingolo>,
    /// The decoded XML, for the record.
    pub xml: String,
}

/// Reads a `Pagati` (or `PagatiConRicevuta`) document by local names.
pub fn parse_pagati(text: &str) -> Result<Pagati, ApiError> {
    let doc = xml::parse(text).map_err(ApiError::Malformed)?;
    let dp = doc.find("datiPagamento");
    Ok(Pagati {
        iuv: dp.and_then(|d| d.text_of("identificativoUnivocoVersamento")),
        codice_esito: dp.and_then(|d| d.text_of("codiceEsitoPagamento")),
        importo_totale: dp.and_then(|d| d.text_of("importoTotalePagato")),
        pagamenti: dp
            .map(|d| {
                d.all("datiSingoloPagamento")
                    .map(|s| PagatoSingolo {
                        iud: s.text_of("identificativoUnivocoDovuto"),
                        importo: s.text_of("singoloImportoPagato"),
                        esito: s.text_of("esitoSingoloPagamento"),
                        data_esito: s.text_of("dataEsitoSingoloPagamento"),
                        iur: s.text_of("identificativoUnivocoRiscossione"),
                        causale: s.text_of("causaleVersamento"),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        xml: text.to_string(),
    })
}

impl MyPayClient {
    /// `paaSILVerificaAvviso`: opens a payment session on `iuv`; `back_url` is where MyPay
    /// sends the citizen afterwards (with `idSession` and `esito`).
    pub fn verifica_avviso(&self, iuv: &str, back_url: Option<&str>) -> Result<Sessione, ApiError> {
        let children = format!(
            "{}{}{}",
            self.password_field(),
            field("identificativoUnivocoVersamento", iuv),
            back_url
                .map(|u| field("enteSILInviaRispostaPagamentoUrl", u))
                .unwrap_or_default(),
        );
        let r = self.call("paaSILVerificaAvviso", true, &children)?;
        Ok(Sessione {
            id_session: required(&r, "idSession")?,
            url: r.text_of("url"),
        })
    }

    /// `paaSILChiediPagati`: the outcome of the payment session `id_session`. A session not
    /// paid yet is a fault (`PAA_PAGAMENTO_NON_INIZIATO`, `…_IN_CORSO`, `…_ANNULLATO`,
    /// `…_SCADUTO`), explained in Italian by [`crate::faults`].
    pub fn pagati_sessione(&self, id_session: &str) -> Result<Pagati, ApiError> {
        let children = format!(
            "{}{}{}",
            field("codIpaEnte", self.cod_ipa()),
            self.password_field(),
            field("idSession", id_session),
        );
        let r = self.call("paaSILChiediPagati", false, &children)?;
        parse_pagati(&decode_xml_payload(&required(&r, "pagati")?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagati_read_by_local_name_with_any_prefix() {
        let xml = "<ns2:Pagati xmlns:ns2=\"http://www.regione.veneto.it/schemas/2012/Pagamenti/Ente/\">\
            <ns2:versioneOggetto>6.2.0</ns2:versioneOggetto><ns2:datiPagamento>\
            <ns2:codiceEsitoPagamento>0</ns2:codiceEsitoPagamento><ns2:importoTotalePagato>12.50</ns2:importoTotalePagato>\
            <ns2:identificativoUnivocoVersamento>RF01000000000000001</ns2:identificativoUnivocoVersamento>\
            <ns2:codiceContestoPagamento>n/a</ns2:codiceContestoPagamento>\
            <ns2:datiSingoloPagamento><ns2:identificativoUnivocoDovuto>IUD-1</ns2:identificativoUnivocoDovuto>\
            <ns2:singoloImportoPagato>12.50</ns2:singoloImportoPagato><ns2:esitoSingoloPagamento>ESEGUITO</ns2:esitoSingoloPagamento>\
            <ns2:dataEsitoSingoloPagamento>2026-11-27</ns2:dataEsitoSingoloPagamento>\
            <ns2:identificativoUnivocoRiscossione>IUR-9</ns2:identificativoUnivocoRiscossione>\
            <ns2:causaleVersamento>Diritti</ns2:causaleVersamento></ns2:datiSingoloPagamento>\
            </ns2:datiPagamento></ns2:Pagati>";
        let p = parse_pagati(xml).unwrap();
        assert_eq!(p.iuv.as_deref(), Some("RF01000000000000001"));
        assert_eq!(p.codice_esito.as_deref(), Some("0"));
        assert_eq!(p.importo_totale.as_deref(), Some("12.50"));
        assert_eq!(
            p.pagamenti,
            vec![PagatoSingolo {
                iud: Some("IUD-1".into()),
                importo: Some("12.50".into()),
                esito: Some("ESEGUITO".into()),
                data_esito: Some("2026-11-27".into()),
                iur: Some("IUR-9".into()),
                causale: Some("Diritti".into()),
            }]
        );
        assert!(parse_pagati("non xml").is_err());
    }
}
