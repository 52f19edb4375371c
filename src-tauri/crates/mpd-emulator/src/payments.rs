//! Simulated payments: citizens paying open debts through `POST /sim/pay` (used by
//! `mypay-desk sim pay`), and the pretend-citizen landing page that `paaSILInviaDovuti` and
//! `paaSILVerificaAvviso` send the browser to.
//!
//! A payment produces what MyPay would store from pagoPA's receipt: a PSP among real Italian
//! ones (BIC as identifier), an IUR, the outcome date and time, a `paSendRTV2`-style receipt XML
//! (the `rt` of exports and `paaSILChiediPagatiConRicevuta`), and the debt moves to
//! `COMPLETATO`. Citizens pay as households: the options of one notice (the rata unica and the
//! instalments MyPay Desk sends as separate debts, told apart by their causale "… - rata
//! unica" / "… - rata 2 di 3", same payer and payment type) are paid one way — the rata unica,
//! or the first instalments — and, when asked, some households pay both ways (a double
//! payment to refund). A debt without an IUV gets one when its payment starts, as in MyPay. The
//! choice of debts, PSPs, times and IURs is drawn from a seeded RNG: the same seed on the same
//! state pays the same debts the same way.

use std::sync::Arc;

use crate::db::Connection;
use axum::extract::{Form, Query, State as AxState};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use mpd_domain::Column;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::db::{self, DovutoRec, Pagamento, stato};
use crate::error::EmulatorError;
use crate::state::State;
use crate::xml::esc;

/// `POST /sim/pay` body.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PayRequest {
    /// IPA code of the Ente whose open debts are paid.
    pub ente: String,
    /// Share of open debts paid (0.0–1.0, default 0.7).
    #[serde(default)]
    pub share: Option<f64>,
    /// Seed of the choices (default 1).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Payment date (default today).
    #[serde(default)]
    pub data: Option<NaiveDate>,
    /// Pay exactly the open debts with these IUDs (the share is then not used): a citizen
    /// who pays the rata unica of a position, another who pays its first instalment.
    #[serde(default)]
    pub iud: Vec<String>,
    /// Pay each open debt on its own, ignoring households: the options of one notice (a
    /// rata unica and its instalments) are then paid independently, as no citizen would.
    #[serde(default)]
    pub indipendenti: bool,
    /// Share of paying households that pay both ways (the rata unica and the first
    /// instalment): the "pagamento doppio" a refund is due for. Default 0.
    #[serde(default)]
    pub doppi: Option<f64>,
}

/// How a household paid its notice.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Modo {
    /// The rata unica.
    RataUnica,
    /// The first k instalments.
    Rate,
    /// Both ways: the rata unica and the first instalment.
    Doppio,
}

/// A household that paid (the options of one notice).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FamigliaPagata {
    /// The payer's fiscal code.
    pub pagatore: String,
    /// The notice's subject: the causale without the option's name.
    pub oggetto: String,
    pub modo: Modo,
    /// The debts paid (IUD).
    pub iud: Vec<String>,
}

/// One receipt produced.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct PaidDebt {
    pub iud: String,
    pub iuv: String,
    pub iur: String,
    pub importo: String,
    pub psp: String,
    pub data: String,
}

/// `POST /sim/pay` answer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PayResponse {
    /// Open debts before paying.
    pub aperti: usize,
    pub pagati: Vec<PaidDebt>,
    /// The households among them, and how each paid.
    #[serde(default)]
    pub famiglie: Vec<FamigliaPagata>,
}

/// Which option of a notice a causale names, the way MyPay Desk writes them
/// ("TARI 2027 - rata unica", "TARI 2027 - rata 2 di 3"): `None` for any other debt.
fn opzione(causale: &str) -> Option<(String, u8)> {
    let (base, nome) = causale.rsplit_once(" - ").unwrap_or(("", causale));
    let nome = nome.trim().to_lowercase();
    let n = if nome == "rata unica" || nome == "unica soluzione" {
        0
    } else {
        let resto = nome.strip_prefix("rata ")?;
        let numero = resto.split(" di ").next()?.trim();
        numero.parse::<u8>().ok().filter(|n| *n > 0)?
    };
    Some((base.trim().to_string(), n))
}

/// The open debts grouped as citizens see them: the options of one notice (same payer, same
/// payment type, same subject) together, keyed in a stable order; debts that are no option of
/// a notice are returned apart, in their order.
#[allow(clippy::type_complexity)]
fn famiglie(
    open: &[DovutoRec],
) -> (
    std::collections::BTreeMap<(String, String, String), Vec<(u8, &DovutoRec)>>,
    Vec<&DovutoRec>,
) {
    let mut gruppi: std::collections::BTreeMap<_, Vec<(u8, &DovutoRec)>> = Default::default();
    let mut sciolti = Vec::new();
    for d in open {
        match opzione(d.riga.get(Column::CausaleVersamento)) {
            Some((oggetto, n)) => gruppi
                .entry((
                    d.riga
                        .get(Column::CodiceIdentificativoUnivoco)
                        .to_uppercase(),
                    d.riga.get(Column::TipoDovuto).to_string(),
                    oggetto,
                ))
                .or_default()
                .push((n, d)),
            None => sciolti.push(d),
        }
    }
    for v in gruppi.values_mut() {
        v.sort_by_key(|(n, d)| (*n, d.id));
    }
    (gruppi, sciolti)
}

/// Which options of one household are paid, drawn from `rng`: with probability `share` the
/// household pays; then, when it has both ways, `doppi` of them pay both, the others half the
/// rata unica and half the first k instalments (k drawn).
fn scelta<'a>(
    opzioni: &[(u8, &'a DovutoRec)],
    share: f64,
    doppi: f64,
    rng: &mut StdRng,
) -> Option<(Modo, Vec<&'a DovutoRec>)> {
    if !rng.random_bool(share) {
        return None;
    }
    let unica = opzioni.iter().find(|(n, _)| *n == 0).map(|(_, d)| *d);
    let rate: Vec<&DovutoRec> = opzioni
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(_, d)| *d)
        .collect();
    match (unica, rate.is_empty()) {
        (Some(u), true) => Some((Modo::RataUnica, vec![u])),
        (None, false) => {
            let k = rng.random_range(1..=rate.len());
            Some((Modo::Rate, rate[..k].to_vec()))
        }
        (Some(u), false) => {
            if rng.random_bool(doppi) {
                Some((Modo::Doppio, vec![u, rate[0]]))
            } else if rng.random_bool(0.5) {
                Some((Modo::RataUnica, vec![u]))
            } else {
                let k = rng.random_range(1..=rate.len());
                Some((Modo::Rate, rate[..k].to_vec()))
            }
        }
        (None, true) => None,
    }
}

/// Real PSPs of the pagoPA network: (identifier type, BIC, name).
const PSP: &[(&str, &str, &str)] = &[
    ("B", "BCITITMM", "Intesa Sanpaolo S.p.A."),
    ("B", "UNCRITMM", "UniCredit S.p.A."),
    ("B", "BPPIITRRXXX", "Poste Italiane S.p.A."),
    ("B", "PASCITMM", "Banca Monte dei Paschi di Siena S.p.A."),
    ("B", "BAPPIT21", "Banco BPM S.p.A."),
    ("B", "CIPBITMM", "Nexi Payments S.p.A."),
    ("B", "SATYLUL1", "Satispay Europe S.A."),
    (
        "B",
        "PPAYITR1XXX",
        "PayPal (Europe) S.a r.l. et Cie, S.C.A.",
    ),
    ("B", "SARDIT31", "Banco di Sardegna S.p.A."),
    ("B", "ICRAITRR", "Iccrea Banca S.p.A."),
];

/// Pays open debts of an Ente as citizens would.
pub fn pay(state: &State, req: &PayRequest) -> Result<PayResponse, EmulatorError> {
    let (ente, ente_id) = state.ente(&req.ente).ok_or_else(|| {
        EmulatorError::Other(format!("Ente «{}» sconosciuto all'emulatore", req.ente))
    })?;
    let share = req.share.unwrap_or(0.7).clamp(0.0, 1.0);
    let mut rng = StdRng::seed_from_u64(req.seed.unwrap_or(1));
    let date = req.data.unwrap_or_else(|| state.now().date());
    let now = state.now();
    let mut conn = state.lock_db();
    let doppi = req.doppi.unwrap_or(0.0).clamp(0.0, 1.0);
    db::transaction(&mut conn, |tx| {
        let open = db::open_of_ente(tx, ente_id)?;
        let mut paid = Vec::new();
        let mut famiglie_pagate = Vec::new();
        let mut paga = |d: &DovutoRec, rng: &mut StdRng| -> Result<(), EmulatorError> {
            let p = pay_one(tx, &ente.ente, d, rng, date, None, "ESEGUITO", now)?;
            paid.push(PaidDebt {
                iud: d.iud.clone(),
                iuv: p.iuv,
                iur: p.iur,
                importo: p.importo,
                psp: p.psp_nome,
                data: p.data_esito,
            });
            Ok(())
        };
        if !req.iud.is_empty() {
            for d in open.iter().filter(|d| req.iud.contains(&d.iud)) {
                paga(d, &mut rng)?;
            }
        } else if req.indipendenti {
            for d in &open {
                if rng.random_bool(share) {
                    paga(d, &mut rng)?;
                }
            }
        } else {
            let (gruppi, sciolti) = famiglie(&open);
            for d in sciolti {
                if rng.random_bool(share) {
                    paga(d, &mut rng)?;
                }
            }
            for ((pagatore, _, oggetto), opzioni) in &gruppi {
                let Some((modo, scelti)) = scelta(opzioni, share, doppi, &mut rng) else {
                    continue;
                };
                for d in &scelti {
                    paga(d, &mut rng)?;
                }
                famiglie_pagate.push(FamigliaPagata {
                    pagatore: pagatore.clone(),
                    oggetto: oggetto.clone(),
                    modo,
                    iud: scelti.iter().map(|d| d.iud.clone()).collect(),
                });
            }
        }
        Ok(PayResponse {
            aperti: open.len(),
            pagati: paid,
            famiglie: famiglie_pagate,
        })
    })
}

/// The debt's IUV, generating and registering one (IUV17, aux digit 3) if it has none.
pub fn ensure_iuv(
    conn: &Connection,
    ente: &mpd_domain::Ente,
    d: &DovutoRec,
) -> Result<String, EmulatorError> {
    if let Some(iuv) = d.iuv.as_deref().filter(|s| !s.is_empty()) {
        return Ok(iuv.to_string());
    }
    let n = db::next_iuv_counter(conn, d.ente_id)?;
    let iuv = mpd_domain::iuv::generate_iuv17(&ente.codice_segregazione, "00", n)
        .map_err(|e| EmulatorError::Other(e.message_it()))?;
    db::register_iuv(conn, d.ente_id, &iuv)?;
    Ok(iuv)
}

/// `importoDovuto` as `0.00`.
pub fn importo(d: &DovutoRec) -> String {
    let raw = d.riga.get(Column::ImportoDovuto).trim();
    raw.parse::<rust_decimal::Decimal>()
        .map(|v| format!("{:.2}", v.round_dp(2)))
        .unwrap_or_else(|_| raw.to_string())
}

/// Records one payment of a debt and marks it paid.
#[allow(clippy::too_many_arguments)]
pub fn pay_one(
    conn: &Connection,
    ente: &mpd_domain::Ente,
    d: &DovutoRec,
    rng: &mut StdRng,
    date: NaiveDate,
    id_session: Option<&str>,
    esito: &str,
    now: NaiveDateTime,
) -> Result<Pagamento, EmulatorError> {
    let iuv = ensure_iuv(conn, ente, d)?;
    let (psp_tipo, psp_id, psp_nome) = PSP[rng.random_range(0..PSP.len())];
    let secs = rng.random_range(8 * 3600..20 * 3600);
    let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap_or_default();
    // A payment of today cannot have happened later than now.
    let latest = (now - chrono::Duration::seconds(1)).max(date.and_hms_opt(0, 0, 0).unwrap_or(now));
    let paid_at = date.and_time(time).min(latest);
    let iur = format!(
        "{}{:010}",
        date.format("%y%m%d"),
        rng.random_range(0..10_000_000_000u64)
    );
    let ccp: String = (0..32)
        .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0'))
        .collect();
    let importo = importo(d);
    let id_msg = format!("{}-{}", &psp_id[..4.min(psp_id.len())], &ccp[..20]);
    let rt = rt_xml(ente, d, &iuv, &importo, psp_id, psp_nome, &ccp, paid_at);
    let p = Pagamento {
        id: 0,
        ente_id: d.ente_id,
        dovuto_id: d.id,
        id_session: id_session.map(String::from),
        iuv: iuv.clone(),
        iur,
        ccp,
        importo,
        data_esito: date.format("%Y-%m-%d").to_string(),
        data_ora: paid_at.format(db::TS).to_string(),
        esito: esito.to_string(),
        psp_tipo: psp_tipo.to_string(),
        psp_id: psp_id.to_string(),
        psp_nome: psp_nome.to_string(),
        id_msg,
        rt,
        tipo_firma: String::new(),
        modified: db::ts(now),
    };
    let id = db::insert_pagamento(conn, &p)?;
    db::set_dovuto_state(conn, d.id, stato::COMPLETATO, Some(&iuv), id_session, now)?;
    Ok(Pagamento { id, ..p })
}

/// A pagoPA receipt (`paSendRTV2`), as MyPay stores it for SANP 2.5 payments.
#[allow(clippy::too_many_arguments)]
fn rt_xml(
    ente: &mpd_domain::Ente,
    d: &DovutoRec,
    iuv: &str,
    importo: &str,
    psp_id: &str,
    psp_nome: &str,
    receipt_id: &str,
    at: NaiveDateTime,
) -> String {
    let r = &d.riga;
    let day = at.format("%Y-%m-%d");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<pafn:paSendRTV2Req xmlns:pafn=\"http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd\">\
<idPA>{cf}</idPA><idBrokerPA>80007580279</idBrokerPA><idStation>80007580279_03</idStation>\
<receipt><receiptId>{receipt_id}</receiptId><noticeNumber>3{iuv}</noticeNumber><fiscalCode>{cf}</fiscalCode>\
<outcome>OK</outcome><creditorReferenceId>{iuv}</creditorReferenceId><paymentAmount>{importo}</paymentAmount>\
<description>{causale}</description><companyName>{den}</companyName>\
<debtor><uniqueIdentifier><entityUniqueIdentifierType>{tipo}</entityUniqueIdentifierType>\
<entityUniqueIdentifierValue>{codice}</entityUniqueIdentifierValue></uniqueIdentifier>\
<fullName>{nome}</fullName></debtor>\
<transferList><transfer><idTransfer>1</idTransfer><transferAmount>{importo}</transferAmount>\
<fiscalCodePA>{cf}</fiscalCodePA><remittanceInformation>{causale}</remittanceInformation>\
<transferCategory>{dsr}</transferCategory></transfer>{secondario}</transferList>\
<idPSP>{psp_id}</idPSP><pspFiscalCode>{psp_id}</pspFiscalCode><pspCompanyName>{psp}</pspCompanyName>\
<idChannel>{psp_id}_01</idChannel><channelDescription>app</channelDescription>\
<paymentMethod>creditCard</paymentMethod><fee>0.00</fee>\
<paymentDateTime>{at}</paymentDateTime><applicationDate>{day}</applicationDate><transferDate>{day}</transferDate>\
</receipt></pafn:paSendRTV2Req>",
        cf = esc(&ente.codice_fiscale),
        den = esc(&ente.denominazione),
        causale = esc(r.get(Column::CausaleVersamento)),
        tipo = esc(&r.get(Column::TipoIdentificativoUnivoco).to_uppercase()),
        codice = esc(&r.get(Column::CodiceIdentificativoUnivoco).to_uppercase()),
        nome = esc(r.get(Column::AnagraficaPagatore)),
        dsr = esc(r.get(Column::DatiSpecificiRiscossione)),
        psp = esc(psp_nome),
        at = at.format("%Y-%m-%dT%H:%M:%S"),
        secondario = transfer_secondario(r),
    )
}

/// The secondary beneficiary's transfer of a multi-beneficiary debt (1_4 columns), if any.
fn transfer_secondario(r: &mpd_domain::RawRow) -> String {
    if !r
        .get(Column::FlagMultiBeneficiario)
        .eq_ignore_ascii_case("true")
    {
        return String::new();
    }
    let importo = r
        .get(Column::ImportoVersamentoEnteSecondario)
        .trim()
        .parse::<rust_decimal::Decimal>()
        .map(|v| format!("{:.2}", v.round_dp(2)))
        .unwrap_or_default();
    format!(
        "<transfer><idTransfer>2</idTransfer><transferAmount>{importo}</transferAmount>\
         <fiscalCodePA>{cf}</fiscalCodePA><IBAN>{iban}</IBAN><remittanceInformation>{causale}</remittanceInformation>\
         <transferCategory>{dsr}</transferCategory></transfer>",
        cf = esc(r.get(Column::CodiceFiscaleEnteSecondario)),
        iban = esc(r.get(Column::IbanAccreditoEnteSecondario)),
        causale = esc(r.get(Column::CausaleVersamentoEnteSecondario)),
        dsr = esc(r.get(Column::DatiSpecificiRiscossioneEnteSecondario)),
    )
}

// ---------------------------------------------------------------------------------------------
// Landing pages (pretend citizen)

#[derive(Deserialize)]
pub struct LandingQuery {
    id: Option<String>,
}

#[derive(Deserialize)]
pub struct LandingForm {
    id: String,
    esito: String,
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html lang=\"it\"><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body><h1>{t}</h1>{body}<p><small>Emulatore di MyPay (MyPay Desk): nessun pagamento reale.</small></p></body></html>",
        t = esc(title)
    ))
}

/// `GET /public/landing/inviaDovuti?id=…`: the cart and two buttons.
pub async fn landing_page(
    AxState(state): AxState<Arc<State>>,
    Query(q): Query<LandingQuery>,
) -> Response {
    let id = q.id.unwrap_or_default();
    let out = tokio::task::spawn_blocking(move || -> Result<Html<String>, EmulatorError> {
        let conn = state.lock_db();
        let Some((carts, _, _)) = carts_of_landing(&conn, &id)? else {
            return Ok(page(
                "Sessione non trovata",
                "<p>Il collegamento non è valido o è scaduto.</p>",
            ));
        };
        let mut rows = String::new();
        for s in &carts {
            let den = state
                .ente_by_id(s.ente_id)
                .map(|e| e.ente.denominazione.clone())
                .unwrap_or_default();
            for did in &s.dovuti {
                if let Some(d) = db::dovuto(&conn, *did)? {
                    rows.push_str(&format!(
                        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} €</td></tr>",
                        esc(&den),
                        esc(&d.iud),
                        esc(d.riga.get(Column::CausaleVersamento)),
                        esc(&importo(&d))
                    ));
                }
            }
        }
        let body = format!(
            "<table><tr><th>Ente</th><th>IUD</th><th>Causale</th><th>Importo</th></tr>{rows}</table>\
             <form method=\"post\"><input type=\"hidden\" name=\"id\" value=\"{id}\">\
             <button name=\"esito\" value=\"OK\">Paga</button> \
             <button name=\"esito\" value=\"ERROR\">Annulla</button></form>",
            id = esc(&id)
        );
        Ok(page("Pagamento pagoPA", &body))
    })
    .await;
    match out {
        Ok(Ok(html)) => html.into_response(),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `POST /public/landing/inviaDovuti`: pays (or abandons) the cart, then back to the Ente.
pub async fn landing_pay(
    AxState(state): AxState<Arc<State>>,
    Form(f): Form<LandingForm>,
) -> Response {
    let out =
        tokio::task::spawn_blocking(move || pay_session(&state, &f.id, f.esito == "OK")).await;
    match out {
        Ok(Ok(Some((back, id_session, ok)))) => match back {
            Some(url) if !url.trim().is_empty() => {
                let sep = if url.contains('?') { '&' } else { '?' };
                let esito = if ok { "OK" } else { "ERROR" };
                Redirect::to(&format!("{url}{sep}idSession={id_session}&esito={esito}"))
                    .into_response()
            }
            _ => page(
                if ok {
                    "Pagamento eseguito"
                } else {
                    "Pagamento annullato"
                },
                &format!("<p>idSession: {}</p>", esc(&id_session)),
            )
            .into_response(),
        },
        Ok(Ok(None)) => page(
            "Sessione non trovata",
            "<p>Il collegamento non è valido.</p>",
        )
        .into_response(),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The carts of a landing page, its back URL and the id sent back to it.
type LandingCarts = (Vec<db::Sessione>, Option<String>, String);

/// The carts behind a landing id: one Ente's cart, or every cart of a multi-Ente one
/// (`paaSILInviaCarrelloDovuti`). Also the back URL and the id sent back to it.
pub fn carts_of_landing(
    conn: &Connection,
    landing_id: &str,
) -> Result<Option<LandingCarts>, EmulatorError> {
    if let Some(s) = db::sessione_by_landing(conn, landing_id)? {
        let (back, id) = (s.back_url.clone(), s.id_session.clone());
        return Ok(Some((vec![s], back, id)));
    }
    let Some(c) = db::carrello_by_landing(conn, landing_id)? else {
        return Ok(None);
    };
    let mut carts = Vec::new();
    for sid in &c.sessioni {
        if let Some(s) = db::sessione(conn, sid)? {
            carts.push(s);
        }
    }
    Ok(Some((carts, c.back_url, c.id_session_carrello)))
}

/// Pays every debt of the carts behind a landing id (or marks them abandoned):
/// `(back URL, idSession, paid)`.
pub fn pay_session(
    state: &State,
    landing_id: &str,
    ok: bool,
) -> Result<Option<(Option<String>, String, bool)>, EmulatorError> {
    let now = state.now();
    let mut conn = state.lock_db();
    let Some((carts, back_url, id_back)) = carts_of_landing(&conn, landing_id)? else {
        return Ok(None);
    };
    if carts.iter().all(|s| s.stato != "NUOVO_CARRELLO") {
        let paid = carts.iter().all(|s| s.stato == "PAGATO");
        return Ok(Some((back_url, id_back, paid)));
    }
    db::transaction(&mut conn, |tx| {
        for s in carts.iter().filter(|s| s.stato == "NUOVO_CARRELLO") {
            let ente = state
                .ente_by_id(s.ente_id)
                .ok_or_else(|| EmulatorError::Other("ente".into()))?
                .ente
                .clone();
            let seed = s
                .id_session
                .bytes()
                .fold(1u64, |h, b| h.wrapping_mul(131).wrapping_add(u64::from(b)));
            let mut rng = StdRng::seed_from_u64(seed);
            if ok {
                for id in &s.dovuti {
                    if let Some(d) = db::dovuto(tx, *id)?
                        && d.stato != stato::COMPLETATO
                    {
                        pay_one(
                            tx,
                            &ente,
                            &d,
                            &mut rng,
                            now.date(),
                            Some(&s.id_session),
                            "ESEGUITO",
                            now,
                        )?;
                    }
                }
                db::set_sessione_state(tx, &s.id_session, "PAGATO")?;
            } else {
                for id in &s.dovuti {
                    db::set_dovuto_state(tx, *id, stato::DA_PAGARE, None, None, now)?;
                }
                db::set_sessione_state(tx, &s.id_session, "ABORT")?;
            }
        }
        Ok(())
    })?;
    Ok(Some((back_url, id_back, ok)))
}

#[derive(Deserialize)]
pub struct AvvisoQuery {
    id: Option<String>,
    #[serde(rename = "securityToken")]
    security_token: Option<String>,
}

/// `GET /public/landing/avviso?id=…&securityToken=…`: the payment notice of a debt (PDF).
pub async fn landing_avviso(
    AxState(state): AxState<Arc<State>>,
    Query(q): Query<AvvisoQuery>,
) -> Response {
    let out = tokio::task::spawn_blocking(move || -> Result<Option<Vec<u8>>, EmulatorError> {
        let id = q.id.unwrap_or_default();
        let claims = state
            .tokens
            .verify(q.security_token.as_deref().unwrap_or(""));
        let Ok(c) = claims else { return Ok(None) };
        if c.oid.as_deref() != Some(&format!("AVVISO|{id}|")) {
            return Ok(None);
        }
        let Some(d) = id
            .parse()
            .ok()
            .and_then(|id| db::dovuto(&state.lock_db(), id).ok().flatten())
        else {
            return Ok(None);
        };
        let Some(ente) = state.ente_by_id(d.ente_id) else {
            return Ok(None);
        };
        let n = crate::notice::Notice::from_row(&d.riga);
        crate::notice::pdf(&ente.ente, &n)
            .map(Some)
            .map_err(EmulatorError::Other)
    })
    .await;
    match out {
        Ok(Ok(Some(pdf))) => ([(header::CONTENT_TYPE, "application/pdf")], pdf).into_response(),
        Ok(Ok(None)) => StatusCode::UNAUTHORIZED.into_response(),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `GET /public/landing/precaricato?id=<idSession>`: the `urlPagamento` of
/// `paaSILChiediPosizioniAperte`. The idSession is the one stored on the debt; the page opens
/// (once) a cart with that idSession, so that after paying the Ente can ask
/// `paaSILChiediPagati(idSession)`, and then shows the same pretend-citizen page as
/// `paaSILInviaDovuti`'s URL (its form posts to `/public/landing/inviaDovuti`).
pub async fn landing_precaricato(
    AxState(state): AxState<Arc<State>>,
    Query(q): Query<LandingQuery>,
) -> Response {
    let id = q.id.unwrap_or_default();
    let st = state.clone();
    let out = tokio::task::spawn_blocking(move || -> Result<Option<String>, EmulatorError> {
        open_precaricato(&st, &id)
    })
    .await;
    match out {
        Ok(Ok(Some(landing))) => {
            landing_page(AxState(state), Query(LandingQuery { id: Some(landing) })).await
        }
        Ok(Ok(None)) => page(
            "Posizione non trovata",
            "<p>Il collegamento non è valido o la posizione non è più pagabile.</p>",
        )
        .into_response(),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The landing id of the cart of a preloaded position (created on first use), or `None` when
/// no debt carries that idSession.
pub fn open_precaricato(state: &State, id_session: &str) -> Result<Option<String>, EmulatorError> {
    let conn = state.lock_db();
    if let Some(s) = db::sessione(&conn, id_session)? {
        return Ok(Some(s.landing_id));
    }
    let Some(d) = db::dovuto_by_session(&conn, id_session)? else {
        return Ok(None);
    };
    if d.stato != stato::DA_PAGARE {
        return Ok(None);
    }
    let landing = uuid::Uuid::new_v4().simple().to_string();
    db::insert_sessione(
        &conn,
        &db::Sessione {
            id_session: id_session.to_string(),
            ente_id: d.ente_id,
            stato: "NUOVO_CARRELLO".into(),
            dovuti: vec![d.id],
            back_url: None,
            landing_id: landing.clone(),
        },
        state.now(),
    )?;
    Ok(Some(landing))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_causale_names_the_option_of_a_notice_or_none() {
        assert_eq!(
            opzione("TARI 2027 - rata unica"),
            Some(("TARI 2027".into(), 0))
        );
        assert_eq!(
            opzione("TARI 2027 - Rata 2 di 3"),
            Some(("TARI 2027".into(), 2))
        );
        assert_eq!(
            opzione("Mensa - a.s. 2026 - unica soluzione"),
            Some(("Mensa - a.s. 2026".into(), 0))
        );
        assert_eq!(opzione("rata 3 di 4"), Some((String::new(), 3)));
        assert_eq!(opzione("TARI 2027 - rata 0 di 3"), None);
        assert_eq!(opzione("TARI 2027 - saldo"), None);
        assert_eq!(opzione("Diritti di segreteria"), None);
    }
}
