//! The finance office's side of the reconciliation (issue 16 item 4): every payment with its
//! state, its budget allocation and MyPivot's labels; the collected amounts; the reversal
//! proposals of the treasury's provisional receipts; MyPivot's 1.4 export rows.
//!
//! The rules are mpd-domain's (`contabilita`, `mypivot`); this module reads the store (the
//! receipts with the debts they paid, the FdR) and the Ente's profile (each payment type's
//! default chapter, `tipi_dovuto_extra.<codice>` keys `capitolo`, `articolo`, `accertamento`,
//! `ufficio` — `capitolo` is the one the adhesion form already asks for).
//!
//! **Treasury entries** come in through [`Desk::provvisori`], the one place that reads them: the
//! treasury journal's import is another part of issue 16, so today it gives none, and every
//! function here works the same with them (labels TF/TV/GF/GV/G0, reversal proposals).

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate};
use mpd_domain::contabilita::{self, Pagamento, Proposta, Provvisorio, Voce};
use mpd_domain::mypivot::{self, Classificata, Dati, Etichetta, LatoE, Opzioni};
use mpd_domain::riconciliazione::Stato;
use mpd_store::contabilita::{DovutoContabile, RicevutaContabile};
use mpd_store::rendicontazione::FdrRecord;
use mpd_tracciato::mypivot::Riga;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::riconciliazione::PagamentoRiconciliato;
use crate::{CoreError, Desk, Result};

/// Keys of a payment type's default allocation under `tipi_dovuto_extra.<codice>` in the Ente's
/// extra data.
pub const CHIAVI_VOCE: [&str; 4] = ["capitolo", "articolo", "accertamento", "ufficio"];

/// One payment seen by the finance office.
#[derive(Clone, Debug)]
pub struct PagamentoContabile {
    /// Its state and reason, receipt and FdR rows.
    pub riconciliato: PagamentoRiconciliato,
    /// The receipt's accounting data (payment type, causale), when there is a receipt.
    pub ricevuta: Option<RicevutaContabile>,
    /// The local debt it paid (through the receipt, else by IUV).
    pub dovuto: Option<DovutoContabile>,
    /// The payment type (the receipt's, else the debt's).
    pub tipo_dovuto: String,
    /// MyPivot's labels (the union over the joined rows that hold this payment).
    pub etichette: BTreeSet<Etichetta>,
    /// Its place in [`Quadro::incassi`], when it counts as collected (a receipt, or an esito-9
    /// row reconciled from the flow).
    pub incasso: Option<usize>,
}

/// Everything the reconciliation's exports show.
#[derive(Clone, Debug)]
pub struct Quadro {
    pub pagamenti: Vec<PagamentoContabile>,
    /// The collected payments with their allocation.
    pub incassi: Vec<Pagamento>,
    pub provvisori: Vec<Provvisorio>,
    pub proposte: Vec<Proposta>,
}

/// MyPivot's sources, each receipt's id (by E index), each FdR row's `(IUF, numero)` (by R
/// index) and the stored flows.
type SorgentiMyPivot = (Dati, Vec<i64>, Vec<(String, i64)>, Vec<FdrRecord>);

fn data(iso: &str) -> Option<NaiveDate> {
    iso.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

fn istante(rfc3339: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|d| d.date_naive())
        .or_else(|| data(rfc3339))
}

fn euro(cents: i64) -> String {
    Decimal::new(cents, 2).to_string()
}

impl Desk {
    /// The treasury's provisional receipts: the stored treasury entries (storni already
    /// applied at import), the one entry point of the treasury journal into the
    /// reconciliation's accounting side (MyPivot's labels, reversal proposals, export). The
    /// IUF and IUV are our reading of the causale (MyPivot's, plus the real-world variants).
    pub fn provvisori(&self) -> Result<Vec<Provvisorio>> {
        Ok(self
            .store
            .movimenti_tesoreria()?
            .into_iter()
            .map(|m| Provvisorio {
                fonte: if m.formato == "xls" {
                    contabilita::Fonte::Xls
                } else {
                    contabilita::Fonte::Giornale
                },
                anno: m.anno.to_string(),
                numero: m.bolletta,
                data_contabile: data(&m.data_contabile),
                data_valuta: data(&m.data_valuta),
                importo_cents: m.importo_cents,
                ordinante: m.ordinante,
                causale: m.causale,
                iuf: m.iuf,
                iuv: m.iuv,
                acquisito: None,
            })
            .collect())
    }

    /// Each payment type's default allocation, from the Ente's profile (types without a chapter
    /// are left out).
    pub fn voci_predefinite(&self) -> Result<HashMap<String, Voce>> {
        let extra: Value = serde_json::from_str(&self.store.ente_extra()?).unwrap_or_default();
        let mut out = HashMap::new();
        if let Some(Value::Object(tipi)) = extra.get("tipi_dovuto_extra") {
            for (codice, v) in tipi {
                let testo = |k: &str| {
                    v.get(k)
                        .and_then(|x| match x {
                            Value::String(s) => Some(s.trim().to_string()),
                            Value::Number(n) => Some(n.to_string()),
                            _ => None,
                        })
                        .unwrap_or_default()
                };
                let voce = Voce {
                    capitolo: testo("capitolo"),
                    articolo: testo("articolo"),
                    accertamento: testo("accertamento"),
                    ufficio: testo("ufficio"),
                };
                if !voce.capitolo.is_empty() {
                    out.insert(codice.clone(), voce);
                }
            }
        }
        Ok(out)
    }

    /// Sets a payment type's default allocation in the Ente's profile (an empty chapter removes
    /// it). The type must be one of the Ente's.
    pub fn imposta_voce_predefinita(&mut self, tipo: &str, voce: &Voce) -> Result<()> {
        let ente = self.store.ente()?.ok_or_else(|| {
            CoreError::Invalid("manca il profilo dell'Ente: lo salvi prima".into())
        })?;
        let tipi = self.store.tipi_dovuto()?;
        if !tipi.iter().any(|t| t.codice == tipo) {
            return Err(CoreError::Invalid(format!(
                "tipo dovuto «{tipo}»: non è tra quelli dell'Ente ({})",
                tipi.iter()
                    .map(|t| t.codice.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        for (campo, v, max) in [
            ("capitolo", &voce.capitolo, 12),
            ("articolo", &voce.articolo, 12),
            ("accertamento", &voce.accertamento, 32),
            ("ufficio", &voce.ufficio, 16),
        ] {
            if v.chars().count() > max {
                return Err(CoreError::Invalid(format!(
                    "{campo} «{v}»: al massimo {max} caratteri, come nel bilancio di MyPay"
                )));
            }
        }
        if voce.capitolo.trim().is_empty()
            && !(voce.articolo.is_empty() && voce.accertamento.is_empty())
        {
            return Err(CoreError::Invalid(
                "capitolo: serve il capitolo per indicare articolo o accertamento".into(),
            ));
        }
        let mut extra: serde_json::Map<String, Value> =
            serde_json::from_str(&self.store.ente_extra()?).unwrap_or_default();
        let tipi_extra = extra
            .entry("tipi_dovuto_extra")
            .or_insert_with(|| Value::Object(Default::default()));
        if !tipi_extra.is_object() {
            *tipi_extra = Value::Object(Default::default());
        }
        let Value::Object(tipi_extra) = tipi_extra else {
            unreachable!("made an object above")
        };
        let del_tipo = tipi_extra
            .entry(tipo)
            .or_insert_with(|| Value::Object(Default::default()));
        if !del_tipo.is_object() {
            *del_tipo = Value::Object(Default::default());
        }
        if let Value::Object(o) = del_tipo {
            for (k, v) in CHIAVI_VOCE.iter().zip([
                &voce.capitolo,
                &voce.articolo,
                &voce.accertamento,
                &voce.ufficio,
            ]) {
                let v = if voce.capitolo.trim().is_empty() {
                    ""
                } else {
                    v.trim()
                };
                if v.is_empty() {
                    o.remove(*k);
                } else {
                    o.insert((*k).to_string(), Value::String(v.to_string()));
                }
            }
            if o.is_empty() {
                tipi_extra.remove(tipo);
            }
        }
        if tipi_extra.is_empty() {
            extra.remove("tipi_dovuto_extra");
        }
        let now = self.now();
        let json = Value::Object(extra).to_string();
        self.store.save_ente(&ente, &json, &tipi, now)?;
        self.store.audit(
            now,
            "riconciliazione.capitolo_predefinito",
            tipo,
            &format!(
                "capitolo «{}», articolo «{}», accertamento «{}», ufficio «{}»",
                voce.capitolo, voce.articolo, voce.accertamento, voce.ufficio
            ),
        )?;
        Ok(())
    }

    /// Every payment with its state, allocation and MyPivot labels; the collected amounts'
    /// payments; the treasury's provisional receipts and their reversal proposals.
    pub fn quadro(&self) -> Result<Quadro> {
        let pagamenti = self.stati_pagamenti()?;
        let mut ricevute = self.store.ricevute_contabili()?;
        let senza_ricevuta: Vec<String> = pagamenti
            .iter()
            .filter(|p| p.ricevuta.is_none())
            .filter_map(|p| p.righe.first().map(|r| r.iuv.clone()))
            .collect();
        let per_iuv = self.store.dovuti_contabili_per_iuv(&senza_ricevuta)?;
        let voci = self.voci_predefinite()?;
        let etichette = self.etichette_mypivot(&pagamenti, &Opzioni::default())?;
        let mut incassi = Vec::new();
        let mut out = Vec::with_capacity(pagamenti.len());
        for (p, etichette) in pagamenti.into_iter().zip(etichette) {
            let ricevuta = p.ricevuta.as_ref().and_then(|r| ricevute.remove(&r.id));
            let dovuto = match &ricevuta {
                Some(r) => r.dovuto.clone(),
                None => p.righe.first().and_then(|r| per_iuv.get(&r.iuv).cloned()),
            };
            let tipo_dovuto = ricevuta
                .as_ref()
                .map(|r| r.tipo_dovuto.clone())
                .filter(|t| !t.is_empty())
                .or_else(|| dovuto.as_ref().map(|d| d.tipo_dovuto.clone()))
                .unwrap_or_default();
            // A receipt, or an FdR row reconciled from the flow (esito 9): the states past
            // «rendicontato» count as paid too.
            let incassato = p.ricevuta.is_some()
                || matches!(
                    p.stato,
                    Stato::Rendicontato
                        | Stato::Incassato
                        | Stato::NonIncassato
                        | Stato::IncassoDiverso
                );
            let fonte = match (&p.ricevuta, p.righe.first()) {
                (Some(r), _) => Some((r.importo_cents, r.data_esito.as_str(), &r.iuv, &r.iur)),
                (None, Some(r)) => Some((r.importo_cents, r.data_esito.as_str(), &r.iuv, &r.iur)),
                (None, None) => None,
            };
            let incasso = match fonte {
                Some((importo_cents, data_esito, iuv, iur)) if incassato => {
                    let bilancio = dovuto.as_ref().map_or("", |d| d.bilancio.as_str());
                    incassi.push(Pagamento {
                        iuv: iuv.clone(),
                        iur: iur.clone(),
                        tipo_dovuto: tipo_dovuto.clone(),
                        data: data(data_esito),
                        importo_cents,
                        imputazioni: contabilita::imputa(
                            importo_cents,
                            bilancio,
                            voci.get(&tipo_dovuto),
                        ),
                        rendicontazioni: p
                            .righe
                            .iter()
                            .filter(|r| r.esito != 3)
                            .map(|r| (r.iuf.clone(), r.importo_cents))
                            .collect(),
                    });
                    Some(incassi.len() - 1)
                }
                _ => None,
            };
            out.push(PagamentoContabile {
                riconciliato: p,
                ricevuta,
                dovuto,
                tipo_dovuto,
                etichette,
                incasso,
            });
        }
        let provvisori = self.provvisori()?;
        let proposte = contabilita::proposte(&provvisori, &incassi);
        Ok(Quadro {
            pagamenti: out,
            incassi,
            provvisori,
            proposte,
        })
    }

    /// MyPivot's sources as the store holds them: the debts the receipts paid (I), the receipts
    /// (E), the FdR rows (R, with their flow's total) and the treasury's provisional receipts.
    fn dati_mypivot(&self) -> Result<SorgentiMyPivot> {
        let ricevute = self.store.ricevute(None)?;
        let contabili = self.store.ricevute_contabili()?;
        let righe = self.store.righe_fdr()?;
        let flussi = self.store.fdr()?;
        let per_iuf: HashMap<&str, &FdrRecord> =
            flussi.iter().map(|f| (f.iuf.as_str(), f)).collect();
        let mut notifiche = Vec::new();
        let mut viste: BTreeSet<String> = BTreeSet::new();
        for r in &ricevute {
            if let Some(d) = contabili.get(&r.id).and_then(|c| c.dovuto.as_ref())
                && d.stato == "paid"
                && viste.insert(d.iud.clone())
            {
                notifiche.push(mypivot::Notifica {
                    iud: d.iud.clone(),
                    iuv: d.iuv.clone(),
                    importo_cents: d.importo_cents,
                    acquisito: istante(&d.aggiornato_at),
                });
            }
        }
        let dati = Dati {
            notifiche,
            ricevute: ricevute
                .iter()
                .map(|r| mypivot::Trasferimento {
                    iud: Some(r.iud.clone()).filter(|s| !s.is_empty()),
                    iuv: r.iuv.clone(),
                    iur: r.iur.clone(),
                    indice: 1,
                    importo_cents: r.importo_cents,
                    totale_cents: r.importo_cents,
                    acquisito: contabili.get(&r.id).and_then(|c| istante(&c.ricevuto_at)),
                })
                .collect(),
            righe: righe
                .iter()
                .map(|r| {
                    let f = per_iuf.get(r.iuf.as_str());
                    mypivot::RigaFdr {
                        iuf: r.iuf.clone(),
                        iuv: r.iuv.clone(),
                        iur: r.iur.clone(),
                        indice: r.indice,
                        importo_cents: r.importo_cents,
                        totale_flusso_cents: f.map_or(0, |f| f.importo_dichiarato_cents),
                        esito: r.esito,
                        acquisito: f.and_then(|f| istante(&f.importato_at)),
                    }
                })
                .collect(),
            tesoreria: self.provvisori()?,
        };
        let id_ricevute = ricevute.iter().map(|r| r.id).collect();
        let chiavi_righe = righe.iter().map(|r| (r.iuf.clone(), r.numero)).collect();
        Ok((dati, id_ricevute, chiavi_righe, flussi))
    }

    /// MyPivot's labels of each payment (the union over the joined rows holding its receipt or,
    /// without one, its FdR rows), in the payments' order.
    fn etichette_mypivot(
        &self,
        pagamenti: &[PagamentoRiconciliato],
        opzioni: &Opzioni,
    ) -> Result<Vec<BTreeSet<Etichetta>>> {
        let (dati, id_ricevute, chiavi_righe, _) = self.dati_mypivot()?;
        let opzioni = Opzioni {
            indice_mancante_primo: self.regole_riconciliazione()?.indice_mancante_primo,
            ..*opzioni
        };
        let classificate = mypivot::classifica(&dati, &opzioni);
        let mut per_ricevuta: HashMap<i64, BTreeSet<Etichetta>> = HashMap::new();
        let mut per_riga: HashMap<(&str, i64), BTreeSet<Etichetta>> = HashMap::new();
        for c in &classificate {
            if let Some(LatoE::Ricevuta(n)) = c.tupla.e {
                per_ricevuta
                    .entry(id_ricevute[n])
                    .or_default()
                    .extend(&c.etichette);
            }
            if let Some(n) = c.tupla.r {
                let (iuf, numero) = &chiavi_righe[n];
                per_riga
                    .entry((iuf.as_str(), *numero))
                    .or_default()
                    .extend(&c.etichette);
            }
        }
        Ok(pagamenti
            .iter()
            .map(|p| match &p.ricevuta {
                Some(r) => per_ricevuta.remove(&r.id).unwrap_or_default(),
                None => p
                    .righe
                    .iter()
                    .flat_map(|r| {
                        per_riga
                            .get(&(r.iuf.as_str(), r.numero))
                            .cloned()
                            .unwrap_or_default()
                    })
                    .collect(),
            })
            .collect())
    }

    /// MyPivot's reconciliation export (tracciato 1.4): one row per joined tuple and label
    /// (a tuple without labels is MyPivot's `OTHERS`, written with an empty label), the I-block
    /// filled from the local debt when `con_i`. `oggi` applies MyPivot's one-year window.
    pub fn righe_mypivot(&self, con_i: bool, finestra: Option<NaiveDate>) -> Result<Vec<Riga>> {
        let (dati, id_ricevute, _, flussi) = self.dati_mypivot()?;
        let ente = self.store.ente()?;
        let opzioni = Opzioni {
            finestra,
            indice_mancante_primo: self.regole_riconciliazione()?.indice_mancante_primo,
        };
        let classificate = mypivot::classifica(&dati, &opzioni);
        let ricevute = self.store.ricevute(None)?;
        let per_id: HashMap<i64, &mpd_store::RicevutaRecord> =
            ricevute.iter().map(|r| (r.id, r)).collect();
        let contabili = self.store.ricevute_contabili()?;
        let per_iuf: HashMap<&str, &FdrRecord> =
            flussi.iter().map(|f| (f.iuf.as_str(), f)).collect();
        let debiti: HashMap<&str, &DovutoContabile> = contabili
            .values()
            .filter_map(|c| c.dovuto.as_ref())
            .map(|d| (d.iud.as_str(), d))
            .collect();
        let oggi = self.today().format("%Y-%m-%d").to_string();
        let mut out = Vec::new();
        for Classificata { tupla, etichette } in classificate {
            let mut base = Riga::default();
            if con_i && let Some(n) = tupla.i {
                let notifica = &dati.notifiche[n];
                if let Some(d) = debiti.get(notifica.iud.as_str()) {
                    riga_i(&mut base, d);
                }
            }
            match tupla.e {
                Some(LatoE::Ricevuta(n)) => {
                    let id = id_ricevute[n];
                    if let Some(r) = per_id.get(&id) {
                        riga_e(&mut base, r, contabili.get(&id), ente.as_ref());
                    }
                }
                Some(LatoE::DaEsito9(n)) => {
                    let r = &dati.righe[n];
                    base.imposta("codRpSilinviarpIdUnivocoVersamentoE", r.iuv.as_str())
                        .imposta("codEDatiPagIdUnivocoVersamentoE", r.iuv.as_str())
                        .imposta("codEDatiPagDatiSingPagIdUnivocoRiscossE", r.iur.as_str())
                        .imposta("numEDatiPagImportoTotalePagatoE", euro(r.importo_cents))
                        .imposta(
                            "numEDatiPagDatiSingPagSingoloImportoPagatoE",
                            euro(r.importo_cents),
                        );
                }
                None => {}
            }
            if let Some(n) = tupla.r {
                let r = &dati.righe[n];
                let f = per_iuf.get(r.iuf.as_str());
                base.imposta("codIdentificativoFlussoR", r.iuf.as_str())
                    .imposta(
                        "codDatiSingPagamIdentificativoUnivocoVersamentoR",
                        r.iuv.as_str(),
                    )
                    .imposta(
                        "codDatiSingPagamIdentificativoUnivocoRiscossioneR",
                        r.iur.as_str(),
                    )
                    .imposta(
                        "numDatiSingPagamSingoloImportoPagatoR",
                        euro(r.importo_cents),
                    )
                    .imposta(
                        "codDatiSingPagamCodiceEsitoSingoloPagamentoR",
                        r.esito.to_string(),
                    )
                    .imposta("numImportoTotalePagamentiR", euro(r.totale_flusso_cents));
                if let Some(f) = f {
                    base.imposta("dtDataOraFlussoR", f.data_ora_flusso.as_str())
                        .imposta(
                            "codIdentificativoUnivocoRegolamentoR",
                            f.iur_regolamento.as_str(),
                        )
                        .imposta("dtDataRegolamentoR", f.data_regolamento.as_str())
                        .imposta(
                            "codIstMittIdUnivMittCodiceIdentificativoUnivocoR",
                            f.psp_id.as_str(),
                        )
                        .imposta("deIstMittDenominazioneMittenteR", f.mittente_nome.as_str())
                        .imposta("numNumeroTotalePagamentiR", f.numero_dichiarato.to_string())
                        .imposta("dtAcquisizioneR", f.importato_at.get(..10).unwrap_or(""));
                }
                if let Some(e) = ente.as_ref() {
                    base.imposta("codIstRicevIdUnivRicevTipoIdentificativoUnivocoR", "G")
                        .imposta(
                            "codIstRicevIdUnivRicevCodiceIdentificativoUnivocoR",
                            e.codice_fiscale.as_str(),
                        )
                        .imposta(
                            "deIstRicevDenominazioneRiceventeR",
                            e.denominazione.as_str(),
                        );
                }
            }
            let t = [tupla.tf, tupla.tv, tupla.gf, tupla.gv, tupla.g0]
                .into_iter()
                .flatten()
                .next();
            if let Some(k) = t {
                riga_t(&mut base, &dati.tesoreria[k]);
            }
            base.imposta("dtDataUltimoAggiornamento", oggi.as_str());
            if etichette.is_empty() {
                out.push(base);
            } else {
                for e in etichette {
                    let mut r = base.clone();
                    r.imposta("classificazioneCompletezza", e.codice());
                    out.push(r);
                }
            }
        }
        Ok(out)
    }
}

impl Desk {
    /// Writes MyPivot's export (tracciato 1.4) to `percorso`: a zip holding
    /// `<codIpa>-1_ESTRAZIONE_RICONCILIAZIONE_<yyyyMMddHHmmss>-1.4.csv` (the desk's local time),
    /// with the I-block when `con_i`, MyPivot's one-year window when `finestra`. Returns the
    /// rows written.
    pub fn esporta_mypivot(
        &self,
        percorso: &std::path::Path,
        con_i: bool,
        finestra: bool,
    ) -> Result<usize> {
        let oggi = self.today();
        let righe = self.righe_mypivot(con_i, finestra.then_some(oggi))?;
        let cod_ipa = self.store.ente()?.map(|e| e.codice_ipa).unwrap_or_default();
        let istante = self.now().with_timezone(&chrono::Local).naive_local();
        let nome = mpd_tracciato::mypivot::nome(&cod_ipa, 1, istante);
        let scrittura = |source| CoreError::Write {
            path: percorso.display().to_string(),
            source,
        };
        let file = std::fs::File::create(percorso).map_err(scrittura)?;
        let (file, n) = mpd_tracciato::mypivot::scrivi_zip(file, &nome, con_i, righe)
            .map_err(|e| scrittura(std::io::Error::other(e.to_string())))?;
        file.sync_all().map_err(scrittura)?;
        Ok(n)
    }
}

/// The I-block from the local debt.
fn riga_i(r: &mut Riga, d: &DovutoContabile) {
    r.imposta("codIudI", d.iud.as_str())
        .imposta("codRpSilinviarpIdUnivocoVersamentoI", d.iuv.as_str())
        .imposta(
            "codRpSoggPagIdUnivPagTipoIdUnivocoI",
            d.tipo_pagatore.as_str(),
        )
        .imposta(
            "codRpSoggPagIdUnivPagCodiceIdUnivocoI",
            d.codice_pagatore.as_str(),
        )
        .imposta("deRpSoggPagAnagraficaPagatoreI", d.anagrafica.as_str())
        .imposta("deRpSoggPagIndirizzoPagatoreI", d.indirizzo.as_str())
        .imposta("deRpSoggPagCivicoPagatoreI", d.civico.as_str())
        .imposta("codRpSoggPagCapPagatoreI", d.cap.as_str())
        .imposta("deRpSoggPagLocalitaPagatoreI", d.localita.as_str())
        .imposta("deRpSoggPagProvinciaPagatoreI", d.provincia.as_str())
        .imposta("codRpSoggPagNazionePagatoreI", d.nazione.as_str())
        .imposta("deRpSoggPagEmailPagatoreI", d.email.as_str())
        .imposta("codRpDatiVersTipoVersamentoI", d.tipo_versamento.as_str())
        .imposta(
            "numRpDatiVersDatiSingVersImportoSingoloVersamentoI",
            euro(d.importo_cents),
        )
        .imposta(
            "numRpDatiVersDatiSingVersCommissioneCaricoPaI",
            d.commissione_cents.map(euro).unwrap_or_default(),
        )
        .imposta(
            "deRpDatiVersDatiSingVersCausaleVersamentoI",
            d.causale.as_str(),
        )
        .imposta(
            "deRpDatiVersDatiSingVersDatiSpecificiRiscossioneI",
            d.dati_specifici.as_str(),
        )
        .imposta("codTipoDovutoI", d.tipo_dovuto.as_str())
        .imposta("bilancioI", d.bilancio.as_str())
        .imposta("dtAcquisizioneI", d.aggiornato_at.get(..10).unwrap_or(""));
}

/// The E-block from the receipt.
fn riga_e(
    r: &mut Riga,
    ric: &mpd_store::RicevutaRecord,
    c: Option<&RicevutaContabile>,
    ente: Option<&mpd_domain::Ente>,
) {
    r.imposta("codIudE", ric.iud.as_str())
        .imposta("codRpSilinviarpIdUnivocoVersamentoE", ric.iuv.as_str())
        .imposta("codEDatiPagIdUnivocoVersamentoE", ric.iuv.as_str())
        .imposta("codEDatiPagDatiSingPagIdUnivocoRiscossE", ric.iur.as_str())
        .imposta("codEDatiPagCodiceEsitoPagamentoE", "0")
        .imposta("numEDatiPagImportoTotalePagatoE", euro(ric.importo_cents))
        .imposta(
            "numEDatiPagDatiSingPagSingoloImportoPagatoE",
            euro(ric.importo_cents),
        )
        .imposta(
            "dtEDatiPagDatiSingPagDataEsitoSingoloPagamentoE",
            ric.data_esito.as_str(),
        )
        .imposta("deEIstitAttDenominazioneAttestanteE", ric.psp_nome.as_str())
        .imposta(
            "codESoggPagIdUnivPagCodiceIdUnivocoE",
            ric.codice_pagatore.as_str(),
        )
        .imposta(
            "codESoggPagAnagraficaPagatoreE",
            ric.anagrafica_pagatore.as_str(),
        );
    if let Some(c) = c {
        r.imposta("codEIstitAttIdUnivAttCodiceIdUnivocoE", c.psp_id.as_str())
            .imposta(
                "codESoggVersIdUnivVersCodiceIdUnivocoE",
                c.codice_versante.as_str(),
            )
            .imposta(
                "deEDatiPagDatiSingPagCausaleVersamentoE",
                c.causale.as_str(),
            )
            .imposta("codTipoDovutoE", c.tipo_dovuto.as_str())
            .imposta("dtAcquisizioneE", c.ricevuto_at.get(..10).unwrap_or(""));
        if let Some(d) = &c.dovuto {
            r.imposta(
                "deEDatiPagDatiSingPagDatiSpecificiRiscossioneE",
                d.dati_specifici.as_str(),
            )
            .imposta("bilancioE", d.bilancio.as_str());
        }
    }
    if let Some(e) = ente {
        r.imposta("codEDomIdDominioE", e.codice_fiscale.as_str())
            .imposta("codEEnteBenefIdUnivBenefTipoIdUnivocoE", "G")
            .imposta(
                "codEEnteBenefIdUnivBenefCodiceIdUnivocoE",
                e.codice_fiscale.as_str(),
            )
            .imposta(
                "deEEnteBenefDenominazioneBeneficiarioE",
                e.denominazione.as_str(),
            );
    }
}

/// The T-block from the treasury's provisional receipt.
fn riga_t(r: &mut Riga, p: &Provvisorio) {
    let d = |x: Option<NaiveDate>| {
        x.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    r.imposta("dtDataContabileT", d(p.data_contabile))
        .imposta("dtDataValutaT", d(p.data_valuta))
        .imposta("numImportoTesoreria", euro(p.importo_cents))
        .imposta("codSegnoT", "+")
        .imposta("deCausaleT", p.causale.as_str())
        .imposta("deDescrizioneOrdinanteT", p.ordinante.as_str())
        .imposta("codIdUnivocoFlussoT", p.iuf.clone().unwrap_or_default())
        .imposta("codIdUnivocoVersamentoT", p.iuv.clone().unwrap_or_default())
        .imposta("dtAcquisizioneT", d(p.acquisito))
        .imposta("deAnnoBollettaT", p.anno.as_str())
        .imposta("codBollettaT", p.numero.as_str());
}

#[cfg(test)]
mod tests;
