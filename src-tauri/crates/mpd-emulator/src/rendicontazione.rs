//! The FdR the PSPs would send for the simulated payments, as MyPay's FESP scheduler acquires
//! them (spec riconciliazione §1, §2.1, §2.4): the state behind `PagamentiTelematiciFlussiSPC`
//! (`flussi_spc`) and the treasury journal (`tesoreria`).
//!
//! Built lazily: every time a flow is listed or the journal written, [`acquisisci`] turns the
//! Ente's executed payments that no FdR reports yet into flows, for the settlements MyPay would
//! already have acquired at that moment, and stores them for good (a later payment never
//! changes a published flow; a payment simulated afterwards with a past date lands in a new
//! flow of its PSP and day, numbered after the others, and acquired when it would have been).
//!
//! * One flow per PSP and settlement day. A PSP settles one or two working days after the
//!   payment (which one is fixed per PSP), working days as the SEPA credit transfer that
//!   carries the money has them: TARGET2's calendar, without Saturdays, Sundays, 1 January,
//!   Good Friday, Easter Monday, 1 May, 25 and 26 December. Italy's other public holidays
//!   (2 June, 15 August…) are TARGET2 business days, and so settlement days here.
//! * IUF `yyyy-MM-dd<PSP>-<n>`: the settlement day, the PSP's id, the flow's number among that
//!   PSP's flows of the day (SACI's `<dataRegolamento><idPSP>-<free>`, §1.2; the PSP is
//!   recovered from it by §1.4's rule).
//! * `dataOraFlusso` on the settlement day between 17:00 and 19:00; MyPay acquires it
//!   (`dt_creazione`) the next day between 02:00 and 03:00. The file is
//!   `RENDICONTAZIONE/<yyyy_MM>/<PSP>_<IUF>_<yyyyMMddHHmmss>.xml` in the Ente's MyBox folder,
//!   raw `FlussoRiversamento` XML (pagoPA 1_0_4), `importoTotalePagamenti` = Σ
//!   `singoloImportoPagato`, one row per payment (index 1, esito 0).
//!
//! Anomalies are planted on request ([`crate::faults::FaultConfig::fdr_anomalie`]), each once
//! per Ente, in the next flows built, and recorded (`db::anomalie`) so that a test knows where
//! they went. Quadrature (`Q`) are never produced: MyPay4 no longer acquires them (§1.6), so
//! the list of `Q` is always empty, as on the real service.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rust_decimal::Decimal;

use crate::db::{self, AnomaliaPiantata, Connection, DaRendicontare, FlussoSpc};
use crate::error::EmulatorError;
use crate::faults::AnomaliaFdr;
use crate::state::State;
use crate::xml::esc;

/// The FdR namespace (§1.1).
const NS_FDR: &str = "http://www.digitpa.gov.it/schemas/2011/Pagamenti/";

/// A small stable hash (FNV-1a) for the choices that must not change between runs.
fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Easter Sunday of `anno` in the Gregorian calendar (the anonymous algorithm published by
/// Meeus, after Jones and Butcher).
fn pasqua(anno: i32) -> NaiveDate {
    let a = anno % 19;
    let b = anno / 100;
    let c = anno % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let mese = (h + l - 7 * m + 114) / 31;
    let giorno = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(anno, mese as u32, giorno as u32).expect("Easter is a real day")
}

/// A TARGET2 business day, on which a SEPA credit transfer settles.
fn lavorativo(d: NaiveDate) -> bool {
    if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        return false;
    }
    if matches!((d.month(), d.day()), (1, 1) | (5, 1) | (12, 25) | (12, 26)) {
        return false;
    }
    let p = pasqua(d.year());
    d != p - Duration::days(2) && d != p + Duration::days(1)
}

/// The settlement day of a payment made on `giorno` through `psp`: one or two working days
/// later, the same lag for every payment of that PSP.
pub fn regolamento(psp: &str, giorno: NaiveDate) -> NaiveDate {
    let mut giorni = 1 + hash(psp) % 2;
    let mut d = giorno;
    while giorni > 0 {
        d += Duration::days(1);
        if lavorativo(d) {
            giorni -= 1;
        }
    }
    d
}

/// `dataOraFlusso` of the `n`-th flow of a PSP's settlement day.
fn data_ora_flusso(psp: &str, regolamento: NaiveDate, n: i64) -> NaiveDateTime {
    let secondi = 17 * 3600 + (hash(psp) % 7200) as u32 + 60 * (n.clamp(1, 600) as u32 - 1);
    regolamento
        .and_time(NaiveTime::from_num_seconds_from_midnight_opt(secondi, 0).unwrap_or_default())
}

/// When MyPay acquires a flow written at `data_ora` (the next day, 02:00–03:00).
fn acquisizione(psp: &str, data_ora: NaiveDateTime) -> NaiveDateTime {
    let giorno = data_ora.date() + Duration::days(1);
    let secondi = 2 * 3600 + (hash(psp) % 3600) as u32;
    giorno.and_time(NaiveTime::from_num_seconds_from_midnight_opt(secondi, 0).unwrap_or_default())
}

/// `12.50` in cents (0 when unreadable).
pub fn cents(importo: &str) -> i64 {
    importo
        .trim()
        .parse::<Decimal>()
        .ok()
        .and_then(|d| i64::try_from((d * Decimal::ONE_HUNDRED).round_dp(0)).ok())
        .unwrap_or(0)
}

fn euro(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents.rem_euclid(100))
}

/// One reported transfer of a flow being built.
#[derive(Clone, Debug)]
struct Riga {
    iuv: String,
    iur: String,
    importo_cents: i64,
    esito: u8,
    data_esito: String,
}

/// A flow being built: one PSP, one settlement day.
#[derive(Clone, Debug)]
struct Nuovo {
    psp: String,
    psp_tipo: String,
    psp_nome: String,
    regolamento: NaiveDate,
    righe: Vec<Riga>,
    anomalie: Vec<AnomaliaFdr>,
}

/// The FdR XML of a flow (pagoPA `FlussoRiversamento` 1_0_4, §1.2 in schema order).
#[allow(clippy::too_many_arguments)]
fn xml(ente: &mpd_domain::Ente, f: &Nuovo, iuf: &str, data_ora: NaiveDateTime, n: i64) -> String {
    let totale: i64 = f.righe.iter().map(|r| r.importo_cents).sum();
    let bic = if f.psp.len() == 8 {
        format!("{}XXX", f.psp)
    } else {
        f.psp.clone()
    };
    let iur_regolamento = format!(
        "{}{}RIV{n:07}",
        &f.psp[..f.psp.len().min(8)],
        f.regolamento.format("%y%m%d")
    );
    let mut righe = String::new();
    for r in &f.righe {
        righe.push_str(&format!(
            "<datiSingoliPagamenti><identificativoUnivocoVersamento>{}</identificativoUnivocoVersamento>\
<identificativoUnivocoRiscossione>{}</identificativoUnivocoRiscossione>\
<indiceDatiSingoloPagamento>1</indiceDatiSingoloPagamento>\
<singoloImportoPagato>{}</singoloImportoPagato>\
<codiceEsitoSingoloPagamento>{}</codiceEsitoSingoloPagamento>\
<dataEsitoSingoloPagamento>{}</dataEsitoSingoloPagamento></datiSingoliPagamenti>\n",
            esc(&r.iuv),
            esc(&r.iur),
            euro(r.importo_cents),
            r.esito,
            esc(&r.data_esito)
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<FlussoRiversamento xmlns=\"{NS_FDR}\">\n\
<versioneOggetto>1.0</versioneOggetto>\
<identificativoFlusso>{iuf}</identificativoFlusso>\
<dataOraFlusso>{data_ora}</dataOraFlusso>\
<identificativoUnivocoRegolamento>{iur_regolamento}</identificativoUnivocoRegolamento>\
<dataRegolamento>{regolamento}</dataRegolamento>\
<istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>{psp_tipo}</tipoIdentificativoUnivoco>\
<codiceIdentificativoUnivoco>{psp}</codiceIdentificativoUnivoco></identificativoUnivocoMittente>\
<denominazioneMittente>{psp_nome}</denominazioneMittente></istitutoMittente>\
<codiceBicBancaDiRiversamento>{bic}</codiceBicBancaDiRiversamento>\
<istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco>\
<codiceIdentificativoUnivoco>{cf}</codiceIdentificativoUnivoco></identificativoUnivocoRicevente>\
<denominazioneRicevente>{den}</denominazioneRicevente></istitutoRicevente>\
<numeroTotalePagamenti>{numero}</numeroTotalePagamenti>\
<importoTotalePagamenti>{totale}</importoTotalePagamenti>\n{righe}</FlussoRiversamento>\n",
        iuf = esc(iuf),
        data_ora = data_ora.format("%Y-%m-%dT%H:%M:%S"),
        regolamento = f.regolamento.format("%Y-%m-%d"),
        psp_tipo = esc(&f.psp_tipo),
        psp = esc(&f.psp),
        psp_nome = esc(&f.psp_nome),
        cf = esc(if f.anomalie.contains(&AnomaliaFdr::AltroEnte) {
            CF_ALTRO_ENTE
        } else {
            &ente.codice_fiscale
        }),
        den = esc(&ente.denominazione),
        numero = f.righe.len(),
        totale = euro(totale),
    )
}

/// The receiver of a flow planted as [`AnomaliaFdr::AltroEnte`]: another Ente's codice fiscale.
pub const CF_ALTRO_ENTE: &str = "80012000826";

/// Which flows of a batch get the anomalies still to plant: every anomaly but `mancante`
/// round-robin from the first flow; `mancante` the last flow, when it is not the only one
/// (else it waits for a later batch, unless it is the only anomaly asked).
fn assegna(nuovi: &mut [Nuovo], da_piantare: &[AnomaliaFdr]) -> Vec<AnomaliaFdr> {
    let mut piantate = Vec::new();
    if nuovi.is_empty() {
        return piantate;
    }
    let mancante = da_piantare.contains(&AnomaliaFdr::Mancante);
    let altre: Vec<AnomaliaFdr> = da_piantare
        .iter()
        .copied()
        .filter(|a| *a != AnomaliaFdr::Mancante)
        .collect();
    let ultimo = nuovi.len() - 1;
    let bersagli = if mancante && nuovi.len() >= 2 {
        ultimo
    } else {
        nuovi.len()
    };
    for (k, a) in altre.iter().enumerate() {
        nuovi[k % bersagli].anomalie.push(*a);
        piantate.push(*a);
    }
    if mancante && (nuovi.len() >= 2 || altre.is_empty()) {
        nuovi[ultimo].anomalie.push(AnomaliaFdr::Mancante);
        piantate.push(AnomaliaFdr::Mancante);
    }
    piantate
}

/// An IUV of the Ente that no payment here settles: an open debt's, else a new one registered.
fn iuv_senza_pagamento(
    conn: &Connection,
    ente: &mpd_domain::Ente,
    ente_id: i64,
) -> Result<(String, i64), EmulatorError> {
    for d in db::open_of_ente(conn, ente_id)? {
        if let Some(iuv) = d.iuv.as_deref().filter(|s| !s.is_empty()) {
            return Ok((iuv.to_string(), cents(&crate::payments::importo(&d))));
        }
    }
    let n = db::next_iuv_counter(conn, ente_id)?;
    let iuv = mpd_domain::iuv::generate_iuv17(&ente.codice_segregazione, "00", n)
        .map_err(|e| EmulatorError::Other(e.message_it()))?;
    db::register_iuv(conn, ente_id, &iuv)?;
    Ok((iuv, 1000))
}

/// Applies a flow's anomalies to its rows; returns what to record for each.
fn applica(
    conn: &Connection,
    ente: &mpd_domain::Ente,
    ente_id: i64,
    f: &mut Nuovo,
) -> Result<Vec<AnomaliaPiantata>, EmulatorError> {
    let mut out = Vec::new();
    let giorno = f.righe[0].data_esito.clone();
    for a in f.anomalie.clone() {
        let (iuv, dettaglio) = match a {
            AnomaliaFdr::ImportoDiverso => {
                let r = &mut f.righe[0];
                let prima = r.importo_cents;
                r.importo_cents = if prima > 100 {
                    prima - 100
                } else {
                    prima + 100
                };
                (
                    r.iuv.clone(),
                    format!("{} invece di {}", euro(r.importo_cents), euro(prima)),
                )
            }
            AnomaliaFdr::Doppio => {
                let r = f.righe[f.righe.len() - 1].clone();
                let iuv = r.iuv.clone();
                f.righe.push(r);
                (iuv, "riportato due volte nello stesso flusso".to_string())
            }
            AnomaliaFdr::Esito9 => {
                let (iuv, importo) = iuv_senza_pagamento(conn, ente, ente_id)?;
                f.righe.push(Riga {
                    iuv: iuv.clone(),
                    iur: format!(
                        "{}E9{}",
                        f.regolamento.format("%y%m%d"),
                        hash(&iuv) % 1_000_000
                    ),
                    importo_cents: importo,
                    esito: 9,
                    data_esito: giorno.clone(),
                });
                (
                    iuv,
                    format!("esito 9, {} senza pagamento qui", euro(importo)),
                )
            }
            AnomaliaFdr::IuvSconosciuto => {
                let iuv = format!(
                    "99{:015}",
                    hash(&format!("{ente_id}{giorno}")) % 10u64.pow(15)
                );
                f.righe.push(Riga {
                    iuv: iuv.clone(),
                    iur: format!(
                        "{}X{}",
                        f.regolamento.format("%y%m%d"),
                        hash(&iuv) % 1_000_000
                    ),
                    importo_cents: 2500,
                    esito: 0,
                    data_esito: giorno.clone(),
                });
                (iuv, "IUV mai emesso dall'Ente, 25.00".to_string())
            }
            AnomaliaFdr::Mancante => (
                String::new(),
                "flusso mai pubblicato: il riversamento arriva in tesoreria".to_string(),
            ),
            AnomaliaFdr::Ripubblicato => (
                String::new(),
                "ripubblicato il giorno dopo con dataOraFlusso successiva".to_string(),
            ),
            AnomaliaFdr::AltroEnte => (
                String::new(),
                format!("intestato a un altro Ente (codice fiscale ricevente {CF_ALTRO_ENTE})"),
            ),
        };
        out.push(AnomaliaPiantata {
            tipo: a.nome().to_string(),
            iuf: String::new(),
            iuv,
            dettaglio,
        });
    }
    Ok(out)
}

/// Writes one version of a flow into the Ente's MyBox folder and stores it.
#[allow(clippy::too_many_arguments)]
fn salva(
    state: &State,
    conn: &Connection,
    ente: &mpd_domain::Ente,
    ente_id: i64,
    f: &Nuovo,
    iuf: &str,
    n: i64,
    data_ora: NaiveDateTime,
    creazione: NaiveDateTime,
    pubblicato: bool,
) -> Result<i64, EmulatorError> {
    let testo = xml(ente, f, iuf, data_ora, n);
    let rel = format!(
        "RENDICONTAZIONE/{}/{}_{}_{}.xml",
        creazione.format("%Y_%m"),
        f.psp,
        iuf,
        data_ora.format("%Y%m%d%H%M%S")
    );
    let path = state.ente_dir(&ente.codice_ipa).join(&rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(crate::io_err(dir))?;
    }
    std::fs::write(&path, testo.as_bytes()).map_err(crate::io_err(&path))?;
    db::insert_flusso_spc(
        conn,
        &FlussoSpc {
            id: 0,
            ente_id,
            tipo: "R".into(),
            psp: f.psp.clone(),
            psp_nome: f.psp_nome.clone(),
            iuf: iuf.to_string(),
            data_ora_flusso: db::ts(data_ora),
            data_regolamento: f.regolamento.format("%Y-%m-%d").to_string(),
            file_rel: rel,
            dimensione: testo.len() as i64,
            stato: "OK".into(),
            dt_creazione: db::ts(creazione),
            pubblicato,
            importo_cents: f.righe.iter().map(|r| r.importo_cents).sum(),
            pagamenti: f.righe.len() as i64,
        },
    )
}

/// MyPay's FESP scheduler up to `now`: the Ente's payments that no flow reports yet, whose
/// flow MyPay would have acquired by `now`, become flows (anomalies planted as asked). Returns
/// how many flow versions were stored.
pub fn acquisisci(state: &State, ente_id: i64, now: NaiveDateTime) -> Result<usize, EmulatorError> {
    let Some(ente) = state.ente_by_id(ente_id).map(|e| e.ente.clone()) else {
        return Ok(0);
    };
    let mut conn = state.lock_db();
    let pagamenti = db::da_rendicontare(&conn, ente_id)?;
    let mut gruppi: BTreeMap<(NaiveDate, String), Vec<DaRendicontare>> = BTreeMap::new();
    for p in pagamenti {
        let Ok(giorno) = NaiveDate::parse_from_str(&p.data_esito, "%Y-%m-%d") else {
            continue;
        };
        let s = regolamento(&p.psp_id, giorno);
        // Acquired by now? (the first flow of the day; a later one of the same day too.)
        if acquisizione(&p.psp_id, data_ora_flusso(&p.psp_id, s, 1)) > now {
            continue;
        }
        gruppi.entry((s, p.psp_id.clone())).or_default().push(p);
    }
    if gruppi.is_empty() {
        return Ok(0);
    }
    let mut nuovi: Vec<(Nuovo, Vec<i64>)> = gruppi
        .into_iter()
        .map(|((s, psp), ps)| {
            let ids = ps.iter().map(|p| p.id).collect();
            let primo = &ps[0];
            (
                Nuovo {
                    psp: psp.clone(),
                    psp_tipo: primo.psp_tipo.clone(),
                    psp_nome: primo.psp_nome.clone(),
                    regolamento: s,
                    righe: ps
                        .iter()
                        .map(|p| Riga {
                            iuv: p.iuv.clone(),
                            iur: p.iur.clone(),
                            importo_cents: cents(&p.importo),
                            esito: 0,
                            data_esito: p.data_esito.clone(),
                        })
                        .collect(),
                    anomalie: Vec::new(),
                },
                ids,
            )
        })
        .collect();
    let da_piantare: Vec<AnomaliaFdr> = {
        let f = state.faults();
        f.config.fdr_anomalie.clone()
    };
    let piantate = {
        let mut solo: Vec<Nuovo> = nuovi.iter().map(|(n, _)| n.clone()).collect();
        let p = assegna(&mut solo, &da_piantare);
        for ((n, _), s) in nuovi.iter_mut().zip(solo) {
            n.anomalie = s.anomalie;
        }
        p
    };
    let mut salvati = 0;
    db::transaction(&mut conn, |tx| {
        for (f, ids) in &mut nuovi {
            let registro = applica(tx, &ente, ente_id, f)?;
            let s = f.regolamento.format("%Y-%m-%d").to_string();
            let n = db::flussi_spc_del_giorno(tx, &f.psp, &s)? + 1;
            let iuf = format!("{s}{}-{n}", f.psp);
            let data_ora = data_ora_flusso(&f.psp, f.regolamento, n);
            let creazione = acquisizione(&f.psp, data_ora);
            let pubblicato = !f.anomalie.contains(&AnomaliaFdr::Mancante);
            let id = salva(
                state, tx, &ente, ente_id, f, &iuf, n, data_ora, creazione, pubblicato,
            )?;
            salvati += 1;
            if f.anomalie.contains(&AnomaliaFdr::Ripubblicato) {
                // Written the next morning, acquired by MyPay's midnight run after it (exactly
                // 00:00:00: the list of the day before shows it too, the `to + 1` quirk).
                let dopo = (f.regolamento + Duration::days(1))
                    .and_hms_opt(10, 15, 0)
                    .unwrap_or(data_ora);
                let mezzanotte = (f.regolamento + Duration::days(2))
                    .and_hms_opt(0, 0, 0)
                    .unwrap_or(dopo);
                salva(
                    state, tx, &ente, ente_id, f, &iuf, n, dopo, mezzanotte, pubblicato,
                )?;
                salvati += 1;
            }
            db::segna_rendicontati(tx, id, ids)?;
            for mut a in registro {
                a.iuf = iuf.clone();
                db::insert_anomalia(tx, ente_id, &a)?;
            }
        }
        Ok(())
    })?;
    drop(conn);
    if !piantate.is_empty() {
        let mut f = state.faults();
        f.config.fdr_anomalie.retain(|a| !piantate.contains(a));
    }
    Ok(salvati)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settlement_is_one_or_two_working_days_later() {
        // 2024-05-10 is a Friday: the next working days are Monday 13 and Tuesday 14.
        let venerdi = NaiveDate::from_ymd_opt(2024, 5, 10).unwrap();
        for psp in ["BCITITMM", "UNCRITMM", "BPPIITRRXXX", "SATYLUL1"] {
            let s = regolamento(psp, venerdi);
            assert!(
                s == NaiveDate::from_ymd_opt(2024, 5, 13).unwrap()
                    || s == NaiveDate::from_ymd_opt(2024, 5, 14).unwrap(),
                "{psp}: {s}"
            );
            // The same lag on a Tuesday: Wednesday or Thursday.
            let martedi = NaiveDate::from_ymd_opt(2024, 5, 14).unwrap();
            let lag = (s - venerdi).num_days();
            assert_eq!((regolamento(psp, martedi) - martedi).num_days(), lag - 2);
        }
        let lags: std::collections::HashSet<i64> = [
            "BCITITMM",
            "UNCRITMM",
            "BPPIITRRXXX",
            "SATYLUL1",
            "PASCITMM",
        ]
        .iter()
        .map(|p| {
            (regolamento(p, NaiveDate::from_ymd_opt(2024, 5, 14).unwrap())
                - NaiveDate::from_ymd_opt(2024, 5, 14).unwrap())
            .num_days()
        })
        .collect();
        assert_eq!(lags.len(), 2, "both lags are used: {lags:?}");
    }

    #[test]
    fn easter_falls_where_the_calendar_has_it() {
        for (anno, mese, giorno) in [
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
        ] {
            assert_eq!(
                pasqua(anno),
                NaiveDate::from_ymd_opt(anno, mese, giorno).unwrap()
            );
        }
    }

    #[test]
    fn no_settlement_on_target2_holidays() {
        let giorno = |m, g| NaiveDate::from_ymd_opt(2026, m, g).unwrap();
        for psp in ["BCITITMM", "UNCRITMM"] {
            let lag = (regolamento(psp, giorno(5, 12)) - giorno(5, 12)).num_days();
            // Thursday 2 April 2026: Good Friday and Easter Monday closed, so Tuesday 7 or
            // Wednesday 8.
            let pasqua = regolamento(psp, giorno(4, 2));
            assert_eq!(pasqua, giorno(4, 6 + lag as u32), "{psp}");
            // Thursday 24 December: Christmas, Saint Stephen and the weekend, so Monday 28
            // or Tuesday 29.
            assert_eq!(
                regolamento(psp, giorno(12, 24)),
                giorno(12, 27 + lag as u32)
            );
            // Thursday 30 April: 1 May closed, so Monday 4 or Tuesday 5.
            assert_eq!(regolamento(psp, giorno(4, 30)), giorno(5, 3 + lag as u32));
            // Tuesday 2 June, Italy's Republic Day, is a TARGET2 business day.
            assert_eq!(regolamento(psp, giorno(6, 1)), giorno(6, 1 + lag as u32));
        }
    }

    #[test]
    fn a_flow_is_acquired_the_day_after_it_was_written() {
        let s = NaiveDate::from_ymd_opt(2024, 5, 14).unwrap();
        let d = data_ora_flusso("BCITITMM", s, 1);
        assert_eq!(d.date(), s);
        assert!(d.time() >= NaiveTime::from_hms_opt(17, 0, 0).unwrap());
        assert_eq!(acquisizione("BCITITMM", d).date(), s + Duration::days(1));
        assert!(data_ora_flusso("BCITITMM", s, 2) > d);
    }

    #[test]
    fn anomalies_go_to_distinct_flows_and_mancante_to_the_last() {
        let vuoto = |psp: &str| Nuovo {
            psp: psp.into(),
            psp_tipo: "B".into(),
            psp_nome: psp.into(),
            regolamento: NaiveDate::from_ymd_opt(2024, 5, 14).unwrap(),
            righe: Vec::new(),
            anomalie: Vec::new(),
        };
        let mut tre = vec![vuoto("A"), vuoto("B"), vuoto("C")];
        let p = assegna(
            &mut tre,
            &[
                AnomaliaFdr::Mancante,
                AnomaliaFdr::Doppio,
                AnomaliaFdr::Esito9,
            ],
        );
        assert_eq!(p.len(), 3);
        assert_eq!(tre[0].anomalie, vec![AnomaliaFdr::Doppio]);
        assert_eq!(tre[1].anomalie, vec![AnomaliaFdr::Esito9]);
        assert_eq!(tre[2].anomalie, vec![AnomaliaFdr::Mancante]);
        // One flow: mancante waits while others are asked.
        let mut uno = vec![vuoto("A")];
        let p = assegna(&mut uno, &[AnomaliaFdr::Mancante, AnomaliaFdr::Doppio]);
        assert_eq!(p, vec![AnomaliaFdr::Doppio]);
        let mut uno = vec![vuoto("A")];
        assert_eq!(
            assegna(&mut uno, &[AnomaliaFdr::Mancante]),
            vec![AnomaliaFdr::Mancante]
        );
    }
}
