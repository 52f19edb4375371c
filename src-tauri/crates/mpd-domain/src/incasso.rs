//! The treasury side of the reconciliation (issue 16): FdR to treasury entries, one state per
//! payment carried to **incassato** or to the anomaly that stops it, each treasury entry's
//! match (or why not, with suggestions), and each FdR's treasury amount (spec §4, §7.1).
//!
//! Keys, as MyPivot: an FdR to the entries whose IUF is its IUF, compared whatever the case
//! (the store holds one Ente's data, so the match is scoped to the Ente); a payment transferred
//! on its own (`/RFS/`, `/RFB/`) to the entries with its IUV; the Ente's own debts to their
//! receipts on IUD (done when receipts are stored; here it only names the debt). Amounts in
//! cents, compared exactly: the FdR's declared total against the sum of its entries, a
//! receipt's amount against its single transfer.
//!
//! One state per payment ([`Stato`]), worked out on top of [`crate::riconciliazione::abbina`]:
//!
//! | from | to | when |
//! |---|---|---|
//! | pagato | incassato / incasso diverso | an entry with its IUV |
//! | pagato | non rendicontato | no FdR [`RegoleIncasso::giorni_rendicontazione`] days after the payment |
//! | rendicontato | incassato / incasso diverso | its FdR's entries (or one with its IUV) |
//! | rendicontato | non incassato | no entry [`RegoleIncasso::giorni_incasso`] days after the FdR's settlement |
//!
//! The anomalies of the FdR side (importo diverso, senza ricevuta, doppio) stay as they are.
//!
//! Suggestions for an entry matched to nothing (never applied): an FdR not yet cashed with the
//! same amount settled within [`RegoleIncasso::giorni_suggerimento`] days; an FdR of a PSP
//! whose name or BIC is in the ordering party or the causale, within those days; an FdR whose
//! IUF is a near miss (edit distance ≤ 2, or the same date and PSP). Every look-up goes through
//! a hash map built once, so the whole is linear in the receipts, rows and entries.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::riconciliazione::{self, Esame, Regole, Ricevuta, Riga, Stato};
use crate::{dates, money};

/// The days after which a missing step is an anomaly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegoleIncasso {
    /// A payment not reported this many days after it was made is «non rendicontato».
    pub giorni_rendicontazione: i64,
    /// An FdR not found in the treasury this many days after its settlement is «non incassato».
    pub giorni_incasso: i64,
    /// How far apart an entry's date and an FdR's settlement may be for a suggestion.
    pub giorni_suggerimento: i64,
}

impl Default for RegoleIncasso {
    fn default() -> RegoleIncasso {
        RegoleIncasso {
            giorni_rendicontazione: 10,
            giorni_incasso: 10,
            giorni_suggerimento: 3,
        }
    }
}

/// An FdR as the treasury matching needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flusso {
    pub iuf: String,
    pub psp_id: String,
    pub psp_nome: String,
    pub bic_riversamento: String,
    pub data_regolamento: NaiveDate,
    pub importo_dichiarato_cents: i64,
}

/// A treasury entry as the matching needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Movimento {
    pub anno: i32,
    pub bolletta: String,
    pub data_contabile: NaiveDate,
    pub importo_cents: i64,
    pub ordinante: String,
    pub causale: String,
    pub iuf: Option<String>,
    pub iuv: Option<String>,
}

/// Everything the reconciliation reads. `date_ricevute[i]` is receipt `i`'s payment date,
/// `iud_ricevute[i]` the IUD of the Ente's debt it paid; `date_righe[i]` row `i`'s date.
#[derive(Clone, Copy, Debug)]
pub struct Dati<'a> {
    pub ricevute: &'a [Ricevuta],
    pub date_ricevute: &'a [NaiveDate],
    pub iud_ricevute: &'a [Option<String>],
    pub righe: &'a [Riga],
    pub date_righe: &'a [NaiveDate],
    pub flussi: &'a [Flusso],
    pub movimenti: &'a [Movimento],
}

/// One payment's verdict with its treasury entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pagamento {
    pub ricevuta: Option<usize>,
    pub righe: Vec<usize>,
    /// The treasury entries (indexes into the entries given) that cashed it.
    pub movimenti: Vec<usize>,
    pub stato: Stato,
    pub motivo: String,
    /// The day from which the rules' «N days» change its state, nothing else changing (a
    /// payment not yet reported, an FdR not yet in the treasury).
    pub scadenza: Option<NaiveDate>,
}

/// What a treasury entry matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EsitoMovimento {
    /// An FdR (by IUF) or a payment (by IUV), same amount.
    Abbinato,
    /// An FdR or a payment, another amount.
    ImportoDiverso,
    /// An IUF or IUV that matches nothing here.
    Sconosciuto,
    /// No pagoPA reference in the causale.
    SenzaRiferimento,
}

impl EsitoMovimento {
    pub const TUTTI: [EsitoMovimento; 4] = [
        EsitoMovimento::Abbinato,
        EsitoMovimento::ImportoDiverso,
        EsitoMovimento::Sconosciuto,
        EsitoMovimento::SenzaRiferimento,
    ];

    pub fn codice(self) -> &'static str {
        match self {
            EsitoMovimento::Abbinato => "abbinato",
            EsitoMovimento::ImportoDiverso => "importo_diverso",
            EsitoMovimento::Sconosciuto => "sconosciuto",
            EsitoMovimento::SenzaRiferimento => "senza_riferimento",
        }
    }
}

/// A likely match for an entry matched to nothing (not applied).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggerimento {
    /// Index into the FdR given.
    pub flusso: usize,
    pub iuf: String,
    pub motivo: String,
}

/// One treasury entry's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EsameMovimento {
    pub esito: EsitoMovimento,
    /// The FdR it matched (index into the FdR given).
    pub flusso: Option<usize>,
    /// The receipts it matched by IUV (indexes into the receipts given).
    pub ricevute: Vec<usize>,
    pub motivo: String,
    pub suggerimenti: Vec<Suggerimento>,
}

/// One FdR's treasury side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncassoFlusso {
    /// Sum of the entries with its IUF (none: not in the treasury).
    pub importo_tesoreria_cents: Option<i64>,
    pub movimenti: Vec<usize>,
    /// The treasury amount equals the declared total.
    pub incassato: bool,
    pub motivo: String,
}

/// The whole reconciliation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Riconciliazione {
    pub pagamenti: Vec<Pagamento>,
    pub movimenti: Vec<EsameMovimento>,
    pub flussi: Vec<IncassoFlusso>,
}

fn euro(cents: i64) -> String {
    money::format_it(Decimal::new(cents, 2))
}

fn giorno(d: NaiveDate) -> String {
    dates::format_it(d)
}

fn bollette(movimenti: &[Movimento], indici: &[usize]) -> String {
    let parti: Vec<String> = indici
        .iter()
        .map(|&i| {
            let m = &movimenti[i];
            format!(
                "bolletta {}/{} del {}",
                m.anno,
                m.bolletta,
                giorno(m.data_contabile)
            )
        })
        .collect();
    parti.join(", ")
}

/// Upper case without whitespace: how IUF are compared.
fn chiave_iuf(iuf: &str) -> String {
    iuf.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Words of a name as compared: upper case, letters and digits, legal forms left out.
fn parole_nome(s: &str) -> String {
    let norm: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                ' '
            }
        })
        .collect();
    norm.split_whitespace()
        .filter(|w| {
            !matches!(
                *w,
                "S" | "P" | "A" | "SPA" | "SRL" | "SCPA" | "SOC" | "COOP"
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn giorni_tra(a: NaiveDate, b: NaiveDate) -> i64 {
    (a - b).num_days()
}

/// The treasury side worked out once for every FdR and entry: each FdR's entries and treasury
/// amount, the entries by IUV. Its [`Tesoreria::pagamenti`] take any set of receipts and rows
/// that holds, for each IUV it holds, every receipt and row with that IUV: a payment's verdict
/// depends on nothing else (its IUV's receipts and rows, the entries, the FdR), so a part of
/// the archive gives the same verdicts as the whole, which is what lets a run recompute only
/// the IUVs a new file touched, and build the reasons only of the payments shown.
pub struct Tesoreria<'a> {
    flussi: &'a [Flusso],
    movimenti: &'a [Movimento],
    per_iuv: HashMap<&'a str, Vec<usize>>,
    flusso_di: HashMap<String, usize>,
    /// Each FdR's treasury side, in the FdR's order.
    pub incassi: Vec<IncassoFlusso>,
    regole: RegoleIncasso,
    oggi: NaiveDate,
}

impl<'a> Tesoreria<'a> {
    /// The treasury side of `flussi` and `movimenti` as of `oggi`.
    pub fn new(
        flussi: &'a [Flusso],
        movimenti: &'a [Movimento],
        regole_incasso: &RegoleIncasso,
        oggi: NaiveDate,
    ) -> Tesoreria<'a> {
        // Entries by IUF and by IUV.
        let mut per_iuf: HashMap<String, Vec<usize>> = HashMap::new();
        let mut per_iuv: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, m) in movimenti.iter().enumerate() {
            if let Some(iuf) = &m.iuf {
                per_iuf.entry(chiave_iuf(iuf)).or_default().push(i);
            }
            if let Some(iuv) = &m.iuv {
                per_iuv.entry(iuv.as_str()).or_default().push(i);
            }
        }
        let mut flusso_di: HashMap<String, usize> = HashMap::with_capacity(flussi.len());
        let incassi: Vec<IncassoFlusso> = flussi
            .iter()
            .enumerate()
            .map(|(n, f)| {
                let chiave = chiave_iuf(&f.iuf);
                let mov = per_iuf.get(&chiave).cloned().unwrap_or_default();
                flusso_di.insert(chiave, n);
                incasso_flusso(f, mov, movimenti, regole_incasso, oggi)
            })
            .collect();
        Tesoreria {
            flussi,
            movimenti,
            per_iuv,
            flusso_di,
            incassi,
            regole: *regole_incasso,
            oggi,
        }
    }

    /// The FdR (index into those given) with this IUF, compared as the treasury does (whatever
    /// its case and spaces).
    pub fn flusso(&self, iuf: &str) -> Option<usize> {
        self.flusso_di.get(&chiave_iuf(iuf)).copied()
    }

    /// Every payment's verdict for these receipts and rows (`dati.flussi` and `dati.movimenti`
    /// those given to [`Tesoreria::new`]): one per receipt in their order, then one per row
    /// (or group of rows reported twice) that no receipt claims.
    pub fn pagamenti(&self, dati: &Dati<'_>, regole: &Regole) -> Vec<Pagamento> {
        riconciliazione::abbina(dati.ricevute, dati.righe, regole)
            .into_iter()
            .map(|e| self.stato_pagamento(e, dati))
            .collect()
    }

    /// Each entry's verdict: what it matched, or why not and the likely matches. `dati` must
    /// hold every receipt and row with the IUV an entry names.
    pub fn esamina_movimenti(&self, dati: &Dati<'_>) -> Vec<EsameMovimento> {
        let mut ricevute_per_iuv: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in dati.ricevute.iter().enumerate() {
            ricevute_per_iuv.entry(r.iuv.as_str()).or_default().push(i);
        }
        esamina_movimenti(
            self.movimenti,
            self.flussi,
            &self.flusso_di,
            &self.incassi,
            dati.ricevute,
            &ricevute_per_iuv,
            dati.righe,
            &self.regole,
        )
    }

    fn stato_pagamento(&self, e: Esame, dati: &Dati<'_>) -> Pagamento {
        stato_pagamento(
            e,
            dati,
            &self.per_iuv,
            &self.flusso_di,
            &self.incassi,
            &self.regole,
            self.oggi,
        )
    }
}

fn incasso_flusso(
    f: &Flusso,
    mov: Vec<usize>,
    movimenti: &[Movimento],
    regole_incasso: &RegoleIncasso,
    oggi: NaiveDate,
) -> IncassoFlusso {
    if mov.is_empty() {
        let ritardo = giorni_tra(oggi, f.data_regolamento);
        return IncassoFlusso {
            importo_tesoreria_cents: None,
            movimenti: mov,
            incassato: false,
            motivo: if ritardo > regole_incasso.giorni_incasso {
                format!(
                    "regolato il {} e non ancora in tesoreria dopo {} giorni: verifichi il giornale di cassa o chieda al PSP il riversamento",
                    giorno(f.data_regolamento),
                    ritardo
                )
            } else {
                format!(
                    "regolato il {}: in attesa del movimento in tesoreria",
                    giorno(f.data_regolamento)
                )
            },
        };
    }
    let somma: i64 = mov.iter().map(|&i| movimenti[i].importo_cents).sum();
    let incassato = somma == f.importo_dichiarato_cents;
    let motivo = if incassato {
        format!("incassato con {}", bollette(movimenti, &mov))
    } else {
        format!(
            "la tesoreria ha incassato {} ({}) invece dei {} dichiarati dal flusso",
            euro(somma),
            bollette(movimenti, &mov),
            euro(f.importo_dichiarato_cents)
        )
    };
    IncassoFlusso {
        importo_tesoreria_cents: Some(somma),
        movimenti: mov,
        incassato,
        motivo,
    }
}

/// Reconciles receipts, FdR rows, FdR and treasury entries as of `oggi`.
pub fn riconcilia(
    dati: Dati<'_>,
    regole: &Regole,
    regole_incasso: &RegoleIncasso,
    oggi: NaiveDate,
) -> Riconciliazione {
    let tesoreria = Tesoreria::new(dati.flussi, dati.movimenti, regole_incasso, oggi);
    let pagamenti = tesoreria.pagamenti(&dati, regole);
    let movimenti = tesoreria.esamina_movimenti(&dati);
    Riconciliazione {
        pagamenti,
        movimenti,
        flussi: tesoreria.incassi,
    }
}

fn stato_pagamento(
    e: Esame,
    dati: &Dati<'_>,
    per_iuv: &HashMap<&str, Vec<usize>>,
    flusso_di: &HashMap<String, usize>,
    incassi: &[IncassoFlusso],
    regole: &RegoleIncasso,
    oggi: NaiveDate,
) -> Pagamento {
    let Esame {
        ricevuta,
        righe,
        stato,
        motivo,
    } = e;
    let iuv = match (ricevuta, righe.first()) {
        (Some(r), _) => dati.ricevute[r].iuv.as_str(),
        (None, Some(&r)) => dati.righe[r].iuv.as_str(),
        (None, None) => "",
    };
    let importo = match (ricevuta, righe.first()) {
        (Some(r), _) => dati.ricevute[r].importo_cents,
        (None, Some(&r)) => dati.righe[r].importo_cents,
        (None, None) => 0,
    };
    let data = match (ricevuta, righe.first()) {
        (Some(r), _) => dati.date_ricevute.get(r).copied(),
        (None, Some(&r)) => dati.date_righe.get(r).copied(),
        (None, None) => None,
    };
    let iud = ricevuta
        .and_then(|r| dati.iud_ricevute.get(r).cloned().flatten())
        .map(|iud| format!(" (dovuto «{iud}»)"))
        .unwrap_or_default();
    let singolo = per_iuv.get(iuv).filter(|_| !iuv.is_empty());
    let fatto = |movimenti: Vec<usize>, stato: Stato, motivo: String| Pagamento {
        ricevuta,
        righe: righe.clone(),
        movimenti,
        stato,
        motivo: format!("{motivo}{iud}"),
        scadenza: None,
    };
    let dopo = |d: NaiveDate, giorni: i64| d.checked_add_signed(chrono::Duration::days(giorni + 1));
    // A transfer of this payment on its own (`/RFS/`, `/RFB/`).
    let incasso_singolo = |prima: &str| -> Option<Pagamento> {
        let mov = singolo?.clone();
        let somma: i64 = mov.iter().map(|&i| dati.movimenti[i].importo_cents).sum();
        Some(if somma == importo {
            let testo = format!(
                "{prima}riversato da solo e incassato con {}",
                bollette(dati.movimenti, &mov)
            );
            fatto(mov, Stato::Incassato, testo)
        } else {
            let testo = format!(
                "{prima}riversato da solo: la tesoreria ha incassato {} ({}) invece di {}",
                euro(somma),
                bollette(dati.movimenti, &mov),
                euro(importo)
            );
            fatto(mov, Stato::IncassoDiverso, testo)
        })
    };
    match stato {
        Stato::Pagato => {
            if let Some(p) = incasso_singolo("non rendicontato, ma ") {
                return p;
            }
            match data {
                Some(d) if giorni_tra(oggi, d) > regole.giorni_rendicontazione => fatto(
                    Vec::new(),
                    Stato::NonRendicontato,
                    format!(
                        "pagato il {} e nessun flusso di rendicontazione dopo {} giorni: scarichi i flussi o chieda al PSP",
                        giorno(d),
                        giorni_tra(oggi, d)
                    ),
                ),
                _ => Pagamento {
                    scadenza: data.and_then(|d| dopo(d, regole.giorni_rendicontazione)),
                    ..fatto(Vec::new(), stato, motivo)
                },
            }
        }
        Stato::Rendicontato => {
            let Some(&r) = righe.first() else {
                return fatto(Vec::new(), stato, motivo);
            };
            let iuf = &dati.righe[r].iuf;
            let Some(&n) = flusso_di.get(&chiave_iuf(iuf)) else {
                return fatto(Vec::new(), stato, motivo);
            };
            let inc = &incassi[n];
            let f = &dati.flussi[n];
            if inc.importo_tesoreria_cents.is_some() {
                let stato = if inc.incassato {
                    Stato::Incassato
                } else {
                    Stato::IncassoDiverso
                };
                return fatto(
                    inc.movimenti.clone(),
                    stato,
                    format!("rendicontato nel flusso «{iuf}»; {}", inc.motivo),
                );
            }
            if let Some(p) = incasso_singolo(&format!("rendicontato nel flusso «{iuf}», ")) {
                return p;
            }
            let ritardo = giorni_tra(oggi, f.data_regolamento);
            if ritardo > regole.giorni_incasso {
                fatto(
                    Vec::new(),
                    Stato::NonIncassato,
                    format!("rendicontato nel flusso «{iuf}», {}", inc.motivo),
                )
            } else {
                Pagamento {
                    scadenza: dopo(f.data_regolamento, regole.giorni_incasso),
                    ..fatto(
                        Vec::new(),
                        stato,
                        format!("rendicontato nel flusso «{iuf}», {}", inc.motivo),
                    )
                }
            }
        }
        _ => fatto(Vec::new(), stato, motivo),
    }
}

/// Flows not cashed, indexed for the suggestions.
struct Candidati<'a> {
    flussi: &'a [Flusso],
    per_importo: HashMap<i64, Vec<usize>>,
    /// PSP id (and the BIC's first 8 characters) → its flows.
    per_psp: HashMap<String, Vec<usize>>,
    /// Normalised PSP name → its flows.
    per_nome: HashMap<String, Vec<usize>>,
    /// The IUF's date part (first 10 characters) → flows.
    per_data: HashMap<String, Vec<usize>>,
    /// The IUF after the date → flows.
    per_coda: HashMap<String, Vec<usize>>,
}

impl<'a> Candidati<'a> {
    fn new(flussi: &'a [Flusso], incassi: &[IncassoFlusso]) -> Candidati<'a> {
        let mut c = Candidati {
            flussi,
            per_importo: HashMap::new(),
            per_psp: HashMap::new(),
            per_nome: HashMap::new(),
            per_data: HashMap::new(),
            per_coda: HashMap::new(),
        };
        for (n, f) in flussi.iter().enumerate() {
            if incassi[n].importo_tesoreria_cents.is_some() {
                continue;
            }
            c.per_importo
                .entry(f.importo_dichiarato_cents)
                .or_default()
                .push(n);
            let chiave = chiave_iuf(&f.iuf);
            let psp = f.psp_id.to_uppercase();
            if psp.len() >= 6 {
                c.per_psp.entry(psp.clone()).or_default().push(n);
            }
            let bic: String = f.bic_riversamento.to_uppercase().chars().take(8).collect();
            if bic.len() == 8 && bic != psp {
                c.per_psp.entry(bic).or_default().push(n);
            }
            let nome = parole_nome(&f.psp_nome);
            if nome.len() >= 4 {
                c.per_nome.entry(nome).or_default().push(n);
            }
            if let (Some(d), Some(coda)) = (chiave.get(..10), chiave.get(10..)) {
                c.per_data.entry(d.to_string()).or_default().push(n);
                c.per_coda.entry(coda.to_string()).or_default().push(n);
            }
        }
        c
    }

    fn vicino(&self, n: usize, m: &Movimento, giorni: i64) -> bool {
        giorni_tra(m.data_contabile, self.flussi[n].data_regolamento).abs() <= giorni
    }

    fn suggerisci(&self, m: &Movimento, giorni: i64) -> Vec<Suggerimento> {
        let mut out: Vec<Suggerimento> = Vec::new();
        let mut aggiungi = |n: usize, motivo: String| {
            if let Some(s) = out.iter_mut().find(|s| s.flusso == n) {
                s.motivo.push_str("; ");
                s.motivo.push_str(&motivo);
            } else {
                out.push(Suggerimento {
                    flusso: n,
                    iuf: self.flussi[n].iuf.clone(),
                    motivo,
                });
            }
        };
        // A near-miss IUF.
        if let Some(iuf) = &m.iuf {
            let chiave = chiave_iuf(iuf);
            let mut visti = Vec::new();
            for gruppo in [
                chiave.get(..10).and_then(|d| self.per_data.get(d)),
                chiave.get(10..).and_then(|c| self.per_coda.get(c)),
            ]
            .into_iter()
            .flatten()
            {
                for &n in gruppo {
                    if visti.contains(&n) {
                        continue;
                    }
                    visti.push(n);
                    let altro = chiave_iuf(&self.flussi[n].iuf);
                    let distanza = strsim::levenshtein(&chiave, &altro);
                    if distanza <= 2 {
                        aggiungi(
                            n,
                            format!(
                                "IUF quasi uguale ({} {} di differenza)",
                                distanza,
                                if distanza == 1 {
                                    "carattere"
                                } else {
                                    "caratteri"
                                }
                            ),
                        );
                    } else if chiave.get(..10) == altro.get(..10)
                        && crate::causale::mypivot_psp_da_iuf(&chiave)
                            == crate::causale::mypivot_psp_da_iuf(&altro)
                    {
                        aggiungi(n, "IUF con la stessa data e lo stesso PSP".to_string());
                    }
                }
            }
        }
        // The same amount within a few days.
        for &n in self.per_importo.get(&m.importo_cents).into_iter().flatten() {
            if self.vicino(n, m, giorni) {
                aggiungi(
                    n,
                    format!(
                        "stesso importo ({}) del flusso regolato il {}",
                        euro(m.importo_cents),
                        giorno(self.flussi[n].data_regolamento)
                    ),
                );
            }
        }
        // The PSP named in the ordering party or the causale, within a few days.
        let testo = format!("{} {}", m.ordinante, m.causale).to_uppercase();
        let nomi = parole_nome(&testo);
        for (psp, gruppo) in &self.per_psp {
            if testo.contains(psp.as_str()) {
                for &n in gruppo {
                    if self.vicino(n, m, giorni) {
                        aggiungi(n, format!("il PSP {psp} compare nel movimento"));
                    }
                }
            }
        }
        for (nome, gruppo) in &self.per_nome {
            if nomi.contains(nome.as_str()) {
                for &n in gruppo {
                    if self.vicino(n, m, giorni) {
                        aggiungi(
                            n,
                            format!("l'ordinante è il PSP «{}»", self.flussi[n].psp_nome),
                        );
                    }
                }
            }
        }
        // The strongest first: more reasons, then the nearest settlement.
        out.sort_by_key(|s| {
            (
                std::cmp::Reverse(s.motivo.matches("; ").count()),
                giorni_tra(m.data_contabile, self.flussi[s.flusso].data_regolamento).abs(),
                s.flusso,
            )
        });
        out.truncate(5);
        out
    }
}

#[allow(clippy::too_many_arguments)]
fn esamina_movimenti(
    movimenti: &[Movimento],
    flussi: &[Flusso],
    flusso_di: &HashMap<String, usize>,
    incassi: &[IncassoFlusso],
    ricevute: &[Ricevuta],
    ricevute_per_iuv: &HashMap<&str, Vec<usize>>,
    righe: &[Riga],
    regole: &RegoleIncasso,
) -> Vec<EsameMovimento> {
    let candidati = Candidati::new(flussi, incassi);
    let mut righe_per_iuv: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in righe.iter().enumerate() {
        if r.esito != 3 {
            righe_per_iuv.entry(r.iuv.as_str()).or_default().push(i);
        }
    }
    movimenti
        .iter()
        .map(|m| {
            if let Some(iuf) = &m.iuf
                && let Some(&n) = flusso_di.get(&chiave_iuf(iuf))
            {
                let f = &flussi[n];
                let inc = &incassi[n];
                let (esito, motivo) = if inc.incassato {
                    (
                        EsitoMovimento::Abbinato,
                        format!(
                            "riversamento del flusso «{}» del PSP {} ({}), importo uguale al totale dichiarato",
                            f.iuf,
                            f.psp_id,
                            euro(f.importo_dichiarato_cents)
                        ),
                    )
                } else {
                    (
                        EsitoMovimento::ImportoDiverso,
                        format!(
                            "riversamento del flusso «{}», ma {}",
                            f.iuf, inc.motivo
                        ),
                    )
                };
                return EsameMovimento {
                    esito,
                    flusso: Some(n),
                    ricevute: Vec::new(),
                    motivo,
                    suggerimenti: Vec::new(),
                };
            }
            if let Some(iuv) = &m.iuv {
                if let Some(rs) = ricevute_per_iuv.get(iuv.as_str()) {
                    let totale: i64 = rs.iter().map(|&i| ricevute[i].importo_cents).sum();
                    let (esito, motivo) = if totale == m.importo_cents {
                        (
                            EsitoMovimento::Abbinato,
                            format!("riversamento del solo pagamento con IUV «{iuv}», stesso importo"),
                        )
                    } else {
                        (
                            EsitoMovimento::ImportoDiverso,
                            format!(
                                "riversamento del pagamento con IUV «{iuv}», ma la ricevuta è di {} e il movimento di {}",
                                euro(totale),
                                euro(m.importo_cents)
                            ),
                        )
                    };
                    return EsameMovimento {
                        esito,
                        flusso: None,
                        ricevute: rs.clone(),
                        motivo,
                        suggerimenti: Vec::new(),
                    };
                }
                let motivo = if righe_per_iuv.contains_key(iuv.as_str()) {
                    format!(
                        "lo IUV «{iuv}» è in un flusso di rendicontazione ma non ha una ricevuta qui: scarichi le ricevute"
                    )
                } else {
                    format!(
                        "lo IUV «{iuv}» non corrisponde a nessun pagamento dell'Ente: scarichi le ricevute, o il pagamento non è di questo Ente"
                    )
                };
                return EsameMovimento {
                    esito: EsitoMovimento::Sconosciuto,
                    flusso: None,
                    ricevute: Vec::new(),
                    motivo,
                    suggerimenti: candidati.suggerisci(m, regole.giorni_suggerimento),
                };
            }
            let (esito, motivo) = match &m.iuf {
                Some(iuf) => (
                    EsitoMovimento::Sconosciuto,
                    format!(
                        "lo IUF «{iuf}» non corrisponde a nessun flusso di rendicontazione importato: scarichi i flussi; se il riferimento è scritto male, veda i suggerimenti"
                    ),
                ),
                None => (
                    EsitoMovimento::SenzaRiferimento,
                    "nessun riferimento pagoPA (IUF o IUV) nella causale: non è un riversamento pagoPA o la banca ha alterato la causale".to_string(),
                ),
            };
            EsameMovimento {
                esito,
                flusso: None,
                ricevute: Vec::new(),
                motivo,
                suggerimenti: candidati.suggerisci(m, regole.giorni_suggerimento),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
