//! MyPivot's labels (*classificazione completezza*), for offices that compare with MyPivot or
//! still load its export (issue 16 item 3; spec riconciliazione §4.2–§4.5, §7.2).
//!
//! MyPivot classifies in SQL: a FULL OUTER JOIN of its sources, then one output row per
//! satisfied predicate, so a payment carries several labels at once. This module reproduces it:
//!
//! | source | here | joined on |
//! |---|---|---|
//! | I, the Ente's IUD notifications | [`Notifica`] (the local debts a receipt paid) | `I.iud = E.iud` |
//! | E, the receipts, one row per transfer | [`Trasferimento`]; an esito-9 FdR row with no receipt of the same IUV, IUR and index adds a synthetic one (§2.6) | `(iuv, iur, indice)` with R |
//! | R, the FdR rows, esito 3 excluded | [`RigaFdr`] | |
//! | TF / TV, the bank's XLS by IUF / by IUV | [`Provvisorio`] with [`Fonte::Xls`] | `upper(TF.iuf) = upper(R.iuf)`; `TV.iuv = coalesce(E.iuv, R.iuv)` |
//! | GF / GV / G0, the giornale di cassa with IUF only / IUV only / neither | [`Provvisorio`] with [`Fonte::Giornale`] (both IUF and IUV: in none, as in MyPivot) | `upper(GF.iuf) = upper(R.iuf)`; `GV.iuv = coalesce(E.iuv, R.iuv)`; G0 never joins |
//!
//! [`unisci`] builds the tuples in that order, [`etichette`] applies the predicates of §4.3
//! verbatim (exact cents, SQL's NULL: a comparison with an absent side is false), [`doppi`] is
//! §4.5 (the same IUV reported once with esito 0 and once with 9, the same amount), and
//! [`classifica`] does all three, with MyPivot's optional one-year window (patch 0007: only data
//! acquired after 1 January of the previous year) when [`Opzioni::finestra`] gives today.
//!
//! The FdR row without transfer index never joins in MyPivot (its loader even fails on it);
//! [`Opzioni::indice_mancante_primo`] follows the Ente's matching rule instead, as the states do
//! (mpd-domain `riconciliazione::Regole`).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::Hash;

use chrono::{Datelike, NaiveDate};

pub use crate::contabilita::{Fonte, Provvisorio};

/// A MyPivot label (`classificazione_completezza`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Etichetta {
    IudRtIufTes,
    IudRtIuf,
    RtIufTes,
    RtIuf,
    RtTes,
    RtNoIuf,
    RtNoIud,
    IudNoRt,
    IuvNoRt,
    IufNoTes,
    IufTesDivImp,
    TesNoIufOrIuv,
    TesNoMatch,
    Doppi,
}

/// Which of the Ente's MyPivot flags a label needs to be shown (MyPivot applies them in the UI
/// only, `VerificationUtils.checkValiditaClassificazione`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Richiede {
    pub flg_pagati: bool,
    pub flg_tesoreria: bool,
}

impl Etichetta {
    /// Every label, in the order of MyPivot's table (§4.3).
    pub const TUTTE: [Etichetta; 14] = [
        Etichetta::IudRtIufTes,
        Etichetta::IudRtIuf,
        Etichetta::RtIufTes,
        Etichetta::RtIuf,
        Etichetta::RtTes,
        Etichetta::RtNoIuf,
        Etichetta::RtNoIud,
        Etichetta::IudNoRt,
        Etichetta::IuvNoRt,
        Etichetta::IufNoTes,
        Etichetta::IufTesDivImp,
        Etichetta::TesNoIufOrIuv,
        Etichetta::TesNoMatch,
        Etichetta::Doppi,
    ];

    /// MyPivot's code.
    pub fn codice(self) -> &'static str {
        match self {
            Etichetta::IudRtIufTes => "IUD_RT_IUF_TES",
            Etichetta::IudRtIuf => "IUD_RT_IUF",
            Etichetta::RtIufTes => "RT_IUF_TES",
            Etichetta::RtIuf => "RT_IUF",
            Etichetta::RtTes => "RT_TES",
            Etichetta::RtNoIuf => "RT_NO_IUF",
            Etichetta::RtNoIud => "RT_NO_IUD",
            Etichetta::IudNoRt => "IUD_NO_RT",
            Etichetta::IuvNoRt => "IUV_NO_RT",
            Etichetta::IufNoTes => "IUF_NO_TES",
            Etichetta::IufTesDivImp => "IUF_TES_DIV_IMP",
            Etichetta::TesNoIufOrIuv => "TES_NO_IUF_OR_IUV",
            Etichetta::TesNoMatch => "TES_NO_MATCH",
            Etichetta::Doppi => "DOPPI",
        }
    }

    /// MyPivot's Italian label (`messages_it.properties`).
    pub fn descrizione(self) -> &'static str {
        match self {
            Etichetta::IudRtIufTes => "Pagamenti Notificati",
            Etichetta::IudRtIuf => "Pagamenti Notificati e Rendicontati",
            Etichetta::RtIufTes => "Pagamenti riversati cumulativamente",
            Etichetta::RtIuf => "Pagamenti Rendicontati",
            Etichetta::RtTes => "Pagamenti riversati puntualmente",
            Etichetta::RtNoIuf => "Pagamenti non correttamente rendicontati",
            Etichetta::RtNoIud => "Pagamenti non correttamente notificati",
            Etichetta::IudNoRt => "Notifiche di pagamenti non eseguiti",
            Etichetta::IuvNoRt => "Rendicontazioni di pagamenti non eseguiti",
            Etichetta::IufNoTes => "Rendicontazioni non correttamente riversate",
            Etichetta::IufTesDivImp => "Rendicontazioni riversate con importo scorretto",
            Etichetta::TesNoIufOrIuv => "Riversamenti non rendicontati o di pagamenti non eseguiti",
            Etichetta::TesNoMatch => "Riversamenti di tesoreria sconosciuti",
            Etichetta::Doppi => "Pagamenti doppi",
        }
    }

    /// The label is in MyPivot's "Anomalie" group (else "Riconciliazioni").
    pub fn anomalia(self) -> bool {
        !matches!(
            self,
            Etichetta::IudRtIufTes
                | Etichetta::IudRtIuf
                | Etichetta::RtIufTes
                | Etichetta::RtIuf
                | Etichetta::RtTes
        )
    }

    /// The Ente flags MyPivot's UI needs to show the label.
    pub fn richiede(self) -> Richiede {
        let (flg_pagati, flg_tesoreria) = match self {
            Etichetta::IudRtIufTes => (true, true),
            Etichetta::IudRtIuf | Etichetta::RtNoIud | Etichetta::IudNoRt => (true, false),
            Etichetta::RtIufTes
            | Etichetta::RtTes
            | Etichetta::IufNoTes
            | Etichetta::IufTesDivImp
            | Etichetta::TesNoIufOrIuv
            | Etichetta::TesNoMatch => (false, true),
            Etichetta::RtIuf | Etichetta::RtNoIuf | Etichetta::IuvNoRt | Etichetta::Doppi => {
                (false, false)
            }
        };
        Richiede {
            flg_pagati,
            flg_tesoreria,
        }
    }

    /// The label a code names (MyPivot's spelling).
    pub fn parse(codice: &str) -> Option<Etichetta> {
        Etichetta::TUTTE.into_iter().find(|e| e.codice() == codice)
    }
}

/// I: the Ente's notification that a debt (IUD) was paid: here, a local debt a receipt paid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notifica {
    pub iud: String,
    pub iuv: String,
    /// `I.amt`: the debt's amount.
    pub importo_cents: i64,
    pub acquisito: Option<NaiveDate>,
}

/// E: one transfer of a receipt (RT).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trasferimento {
    /// The IUD the receipt carries (joins I).
    pub iud: Option<String>,
    pub iuv: String,
    pub iur: String,
    pub indice: u8,
    /// `E.single`: this transfer's amount.
    pub importo_cents: i64,
    /// `E.total`: the receipt's total.
    pub totale_cents: i64,
    pub acquisito: Option<NaiveDate>,
}

/// R: one FdR row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RigaFdr {
    pub iuf: String,
    pub iuv: String,
    pub iur: String,
    pub indice: Option<u8>,
    /// `R.single`.
    pub importo_cents: i64,
    /// `R.total`: the flow's declared total.
    pub totale_flusso_cents: i64,
    pub esito: u8,
    pub acquisito: Option<NaiveDate>,
}

/// Everything MyPivot joins.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dati {
    pub notifiche: Vec<Notifica>,
    pub ricevute: Vec<Trasferimento>,
    pub righe: Vec<RigaFdr>,
    /// Empty until the treasury journal is imported.
    pub tesoreria: Vec<Provvisorio>,
}

/// The classification's options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Opzioni {
    /// Today, to apply MyPivot's one-year window (patch 0007): only data acquired after
    /// 1 January of the previous year (data without an acquisition date stay).
    pub finestra: Option<NaiveDate>,
    /// An FdR row without transfer index is the first transfer (MyPivot: it joins nothing).
    pub indice_mancante_primo: bool,
}

/// The E side of a tuple: a receipt's transfer, or the synthetic receipt MyPivot makes from an
/// esito-9 FdR row (§2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LatoE {
    Ricevuta(usize),
    DaEsito9(usize),
}

/// One row of MyPivot's joined view: indexes into [`Dati`]'s vectors (`tf`, `tv`, `gf`, `gv`,
/// `g0` into `tesoreria`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Tupla {
    pub i: Option<usize>,
    pub e: Option<LatoE>,
    pub r: Option<usize>,
    pub tf: Option<usize>,
    pub tv: Option<usize>,
    pub gf: Option<usize>,
    pub gv: Option<usize>,
    pub g0: Option<usize>,
}

/// A tuple with its labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classificata {
    pub tupla: Tupla,
    pub etichette: BTreeSet<Etichetta>,
}

/// `(E.single, E.total)` of a tuple's E side.
fn importi_e(dati: &Dati, e: LatoE) -> (i64, i64) {
    match e {
        LatoE::Ricevuta(n) => (
            dati.ricevute[n].importo_cents,
            dati.ricevute[n].totale_cents,
        ),
        // The synthetic receipt takes its amounts from the FdR row.
        LatoE::DaEsito9(n) => (dati.righe[n].importo_cents, dati.righe[n].importo_cents),
    }
}

/// `(iuv, iur, indice)` of a tuple's E side.
fn chiave_e(dati: &Dati, e: LatoE, indice_mancante_primo: bool) -> (&str, &str, Option<u8>) {
    match e {
        LatoE::Ricevuta(n) => {
            let r = &dati.ricevute[n];
            (&r.iuv, &r.iur, Some(r.indice))
        }
        LatoE::DaEsito9(n) => {
            let r = &dati.righe[n];
            (&r.iuv, &r.iur, indice_riga(r, indice_mancante_primo))
        }
    }
}

fn indice_riga(r: &RigaFdr, indice_mancante_primo: bool) -> Option<u8> {
    match r.indice {
        None if indice_mancante_primo => Some(1),
        i => i,
    }
}

fn iuv_di<'a>(dati: &'a Dati, t: &Tupla) -> Option<&'a str> {
    match t.e {
        Some(LatoE::Ricevuta(n)) => Some(&dati.ricevute[n].iuv),
        Some(LatoE::DaEsito9(n)) => Some(&dati.righe[n].iuv),
        None => t.r.map(|n| dati.righe[n].iuv.as_str()),
    }
}

/// One FULL OUTER JOIN step: every tuple of `sinistra` with every right row of the same key
/// (kept alone when none), then every right row no tuple took, alone. A tuple or row without a
/// key joins nothing (SQL's NULL).
fn full_join<K: Eq + Hash>(
    sinistra: Vec<Tupla>,
    destra: &[usize],
    chiave_sx: impl Fn(&Tupla) -> Option<K>,
    chiave_dx: impl Fn(usize) -> Option<K>,
    metti: impl Fn(&mut Tupla, usize),
) -> Vec<Tupla> {
    let mut per_chiave: HashMap<K, Vec<usize>> = HashMap::new();
    for &d in destra {
        if let Some(k) = chiave_dx(d) {
            per_chiave.entry(k).or_default().push(d);
        }
    }
    let mut prese: HashSet<usize> = HashSet::new();
    let mut out = Vec::with_capacity(sinistra.len());
    for t in sinistra {
        match chiave_sx(&t).and_then(|k| per_chiave.get(&k)) {
            Some(ds) => {
                for &d in ds {
                    prese.insert(d);
                    let mut u = t;
                    metti(&mut u, d);
                    out.push(u);
                }
            }
            None => out.push(t),
        }
    }
    for &d in destra {
        if !prese.contains(&d) {
            let mut u = Tupla::default();
            metti(&mut u, d);
            out.push(u);
        }
    }
    out
}

/// Which rows of each source take part: all of them, or those acquired after 1 January of the
/// year before `oggi`.
struct Scelta {
    notifiche: Vec<usize>,
    ricevute: Vec<usize>,
    righe: Vec<usize>,
    tesoreria: Vec<usize>,
}

fn scelta(dati: &Dati, opzioni: &Opzioni) -> Scelta {
    let soglia = opzioni
        .finestra
        .and_then(|oggi| NaiveDate::from_ymd_opt(oggi.year() - 1, 1, 1));
    let dentro = |d: Option<NaiveDate>| match (soglia, d) {
        (Some(s), Some(d)) => d > s,
        _ => true,
    };
    Scelta {
        notifiche: (0..dati.notifiche.len())
            .filter(|&n| dentro(dati.notifiche[n].acquisito))
            .collect(),
        ricevute: (0..dati.ricevute.len())
            .filter(|&n| dentro(dati.ricevute[n].acquisito))
            .collect(),
        // Esito 3 (revoked) is left out of MyPivot's view.
        righe: (0..dati.righe.len())
            .filter(|&n| dati.righe[n].esito != 3 && dentro(dati.righe[n].acquisito))
            .collect(),
        tesoreria: (0..dati.tesoreria.len())
            .filter(|&n| dentro(dati.tesoreria[n].acquisito))
            .collect(),
    }
}

fn con_testo(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

/// The joined tuples of MyPivot's view (§4.2), before labelling.
pub fn unisci(dati: &Dati, opzioni: &Opzioni) -> Vec<Tupla> {
    let s = scelta(dati, opzioni);
    let imp = opzioni.indice_mancante_primo;
    // E: the receipts, then a synthetic receipt for each esito-9 row no receipt has (MyPivot
    // upserts it on the same key, so an existing receipt is not doubled).
    let chiavi_e: HashSet<(&str, &str, Option<u8>)> = s
        .ricevute
        .iter()
        .map(|&n| chiave_e(dati, LatoE::Ricevuta(n), imp))
        .collect();
    let mut lati_e: Vec<LatoE> = s.ricevute.iter().map(|&n| LatoE::Ricevuta(n)).collect();
    for &n in &s.righe {
        let r = &dati.righe[n];
        if r.esito == 9
            && !chiavi_e.contains(&(r.iuv.as_str(), r.iur.as_str(), indice_riga(r, imp)))
        {
            lati_e.push(LatoE::DaEsito9(n));
        }
    }
    // I ⟗ E on the IUD.
    let e_idx: Vec<usize> = (0..lati_e.len()).collect();
    let iniziali: Vec<Tupla> = s
        .notifiche
        .iter()
        .map(|&n| Tupla {
            i: Some(n),
            ..Tupla::default()
        })
        .collect();
    let tuple = full_join(
        iniziali,
        &e_idx,
        |t| t.i.map(|n| dati.notifiche[n].iud.as_str()),
        |k| match lati_e[k] {
            LatoE::Ricevuta(n) => con_testo(&dati.ricevute[n].iud),
            LatoE::DaEsito9(_) => None,
        },
        |t, k| t.e = Some(lati_e[k]),
    );
    // ⟗ R on (IUV, IUR, index): only through E.
    let tuple = full_join(
        tuple,
        &s.righe,
        |t| {
            t.e.map(|e| chiave_e(dati, e, imp))
                .filter(|k| k.2.is_some())
        },
        |n| {
            let r = &dati.righe[n];
            let i = indice_riga(r, imp);
            i.map(|_| (r.iuv.as_str(), r.iur.as_str(), i))
        },
        |t, n| t.r = Some(n),
    );
    let xls: Vec<usize> = s
        .tesoreria
        .iter()
        .copied()
        .filter(|&n| dati.tesoreria[n].fonte == Fonte::Xls)
        .collect();
    let giornale = |iuf: bool, iuv: bool| -> Vec<usize> {
        s.tesoreria
            .iter()
            .copied()
            .filter(|&n| {
                let p = &dati.tesoreria[n];
                p.fonte == Fonte::Giornale
                    && con_testo(&p.iuf).is_some() == iuf
                    && con_testo(&p.iuv).is_some() == iuv
            })
            .collect()
    };
    let iuf_r = |t: &Tupla| t.r.map(|n| dati.righe[n].iuf.to_ascii_uppercase());
    let iuf_t = |n: usize| con_testo(&dati.tesoreria[n].iuf).map(str::to_ascii_uppercase);
    let iuv_t = |n: usize| con_testo(&dati.tesoreria[n].iuv);
    // ⟗ TF on the IUF (any case), ⟗ TV on the IUV.
    let tf: Vec<usize> = xls
        .iter()
        .copied()
        .filter(|&n| iuf_t(n).is_some())
        .collect();
    let tv: Vec<usize> = xls
        .iter()
        .copied()
        .filter(|&n| iuv_t(n).is_some())
        .collect();
    let tuple = full_join(tuple, &tf, iuf_r, iuf_t, |t, n| t.tf = Some(n));
    let tuple = full_join(
        tuple,
        &tv,
        |t| iuv_di(dati, t),
        iuv_t,
        |t, n| t.tv = Some(n),
    );
    // ⟗ GF, ⟗ GV; G0 stands alone (`ON 1 = 0`).
    let tuple = full_join(tuple, &giornale(true, false), iuf_r, iuf_t, |t, n| {
        t.gf = Some(n)
    });
    let mut tuple = full_join(
        tuple,
        &giornale(false, true),
        |t| iuv_di(dati, t),
        iuv_t,
        |t, n| t.gv = Some(n),
    );
    for n in giornale(false, false) {
        tuple.push(Tupla {
            g0: Some(n),
            ..Tupla::default()
        });
    }
    tuple
}

/// `a = b` in SQL: false when a side is absent.
fn eq(a: Option<i64>, b: Option<i64>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a == b)
}

/// `a <> b` in SQL: false when a side is absent.
fn ne(a: Option<i64>, b: Option<i64>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a != b)
}

/// The labels of one tuple: every predicate of §4.3 but `DOPPI` (a separate query, [`doppi`]).
pub fn etichette(dati: &Dati, t: &Tupla) -> BTreeSet<Etichetta> {
    let i_amt = t.i.map(|n| dati.notifiche[n].importo_cents);
    let (e_single, e_total) = match t.e.map(|e| importi_e(dati, e)) {
        Some((s, tot)) => (Some(s), Some(tot)),
        None => (None, None),
    };
    let r_single = t.r.map(|n| dati.righe[n].importo_cents);
    let r_total = t.r.map(|n| dati.righe[n].totale_flusso_cents);
    let amt = |x: Option<usize>| x.map(|n| dati.tesoreria[n].importo_cents);
    let (tf, tv, gf, gv) = (amt(t.tf), amt(t.tv), amt(t.gf), amt(t.gv));
    let (i, e, r) = (t.i.is_some(), t.e.is_some(), t.r.is_some());
    let (tf_, tv_, gf_, gv_) = (
        t.tf.is_some(),
        t.tv.is_some(),
        t.gf.is_some(),
        t.gv.is_some(),
    );

    let mut out = BTreeSet::new();
    let mut se = |cond: bool, et: Etichetta| {
        if cond {
            out.insert(et);
        }
    };
    let r_tes_totale =
        r && eq(e_single, r_single) && r_total.is_some() && (eq(tf, r_total) || eq(gf, r_total));
    se(
        i && e && eq(i_amt, e_single) && (r_tes_totale || eq(tv, e_total) || eq(gv, e_total)),
        Etichetta::IudRtIufTes,
    );
    se(
        i && e && eq(i_amt, e_single) && r && eq(e_single, r_single),
        Etichetta::IudRtIuf,
    );
    se(
        e && r
            && eq(e_single, r_single)
            && r_total.is_some()
            && (eq(tf, r_total) || eq(gf, r_total)),
        Etichetta::RtIufTes,
    );
    se(e && r && eq(e_single, r_single), Etichetta::RtIuf);
    se(
        e && !r && (eq(tv, e_total) || eq(gv, e_total)),
        Etichetta::RtTes,
    );
    se(
        e && !(tv_ || gv_) && (!r || ne(e_single, r_single)),
        Etichetta::RtNoIuf,
    );
    se(e && !i, Etichetta::RtNoIud);
    se(i && (!e || ne(i_amt, e_single)), Etichetta::IudNoRt);
    se(r && !e, Etichetta::IuvNoRt);
    se(r && !tf_ && !tv_ && !gf_ && !gv_, Etichetta::IufNoTes);
    se(
        r && (ne(tf, r_total) || ne(tv, r_total) || ne(gf, r_total) || ne(gv, r_total)),
        Etichetta::IufTesDivImp,
    );
    se(
        (tf_ || tv_ || gf_ || gv_) && !r && !e && !i,
        Etichetta::TesNoIufOrIuv,
    );
    se(
        t.g0.is_some() && !i && !e && !r && !tf_ && !tv_ && !gf_ && !gv_,
        Etichetta::TesNoMatch,
    );
    out
}

/// §4.5: the FdR rows (esito 0 or 9) that have a receipt of the same IUV and IUR (a real one or,
/// for esito 9, the synthetic one) while another row reports the same IUV and amount with the
/// other outcome (9 − esito): the same payment reported once with RPT and once without.
pub fn doppi(dati: &Dati, opzioni: &Opzioni) -> BTreeSet<usize> {
    let s = scelta(dati, opzioni);
    let con_rt: HashSet<(&str, &str)> = s
        .ricevute
        .iter()
        .map(|&n| (dati.ricevute[n].iuv.as_str(), dati.ricevute[n].iur.as_str()))
        .collect();
    let mut per_iuv: HashMap<(&str, i64), Vec<u8>> = HashMap::new();
    for &n in &s.righe {
        let r = &dati.righe[n];
        per_iuv
            .entry((r.iuv.as_str(), r.importo_cents))
            .or_default()
            .push(r.esito);
    }
    s.righe
        .iter()
        .copied()
        .filter(|&n| {
            let r = &dati.righe[n];
            matches!(r.esito, 0 | 9)
                && (r.esito == 9 || con_rt.contains(&(r.iuv.as_str(), r.iur.as_str())))
                && per_iuv
                    .get(&(r.iuv.as_str(), r.importo_cents))
                    .is_some_and(|es| es.contains(&(9 - r.esito)))
        })
        .collect()
}

/// MyPivot's view: every joined tuple with its labels, `DOPPI` on the tuples of the rows
/// [`doppi`] finds. A tuple with no label is MyPivot's `OTHERS` (kept, with an empty set).
pub fn classifica(dati: &Dati, opzioni: &Opzioni) -> Vec<Classificata> {
    let doppie = doppi(dati, opzioni);
    unisci(dati, opzioni)
        .into_iter()
        .map(|tupla| {
            let mut et = etichette(dati, &tupla);
            if tupla.r.is_some_and(|n| doppie.contains(&n)) {
                et.insert(Etichetta::Doppi);
            }
            Classificata {
                tupla,
                etichette: et,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
