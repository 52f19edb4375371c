//! Adhesion and regional contribution (issue 7): the operations behind `ente check`,
//! `adesione …` and `contributo …`.
//!
//! The rules, the check and the documents live in mpd-adesione; this module reads what they
//! need from the store (profile, recorded steps, expense items, amounts, an edited rules file)
//! and writes back what the clerk records. The contribution rules in use are the shipped
//! preset unless the clerk loaded an edited copy (setting [`SETTING_MISURA`]).

pub mod modulo;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

pub use modulo::{
    ErroreCampo, ModuloAvviso, ModuloConto, ModuloEnte, ModuloReferente, ModuloTipo, Salvataggio,
};
pub use mpd_adesione::contributo::{Esito, Misura, Richiesta, Stima, Valore, VoceSpesa};
pub use mpd_adesione::documento::{Generati, Passo, PassoRegistrato};
pub use mpd_adesione::riepilogo::{Movimento, Riepilogo, TipoMovimento};
pub use mpd_adesione::tassonomia::VoceTassonomia;
pub use mpd_adesione::{
    AdesioneError, Gravita, Modalita, Problema, Profilo, TipoEnte, Verifica, format_int,
};

use crate::{CoreError, Desk};

/// Setting holding the clerk's edited contribution rules (TOML); empty or absent: the preset.
pub const SETTING_MISURA: &str = "contributo.misura_toml";

/// The demo Ente's adhesion data: enough for the contribution (a comune of 2,850 inhabitants,
/// per flussi: 80%), while the completeness check still lists what a real profile would need
/// (legal representative, contacts, accounts; the demo fiscal code fails its check digit).
pub const DEMO_EXTRA_JSON: &str = r#"{"pec":"protocollo@pec.comune-dimostrativo.example.it","adesione":{"tipo_ente":"comune","codice_istat":"097999","popolazione":2850,"popolazione_fonte":"ISTAT, bilancio demografico (dato dimostrativo)","popolazione_data":"31/12/2025","modalita":["base","per-flussi"]}}"#;

/// Errors of the adhesion operations.
#[derive(Debug, thiserror::Error)]
pub enum AdesioneCoreError {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error(transparent)]
    Adesione(#[from] AdesioneError),
    /// Input the clerk typed is not valid; the message names it.
    #[error("{0}")]
    Invalid(String),
}

impl From<mpd_store::StoreError> for AdesioneCoreError {
    fn from(e: mpd_store::StoreError) -> Self {
        AdesioneCoreError::Core(e.into())
    }
}

pub type Result<T, E = AdesioneCoreError> = std::result::Result<T, E>;

/// The contribution computed for the stored profile, with the estimate it used.
#[derive(Clone, Debug, Serialize)]
pub struct CalcoloProfilo {
    #[serde(flatten)]
    pub esito: Esito,
    pub stima: Option<Stima>,
}

/// An expense item as the clerk types it: a quote (`importo`) or a standard cost × quantity.
#[derive(Clone, Debug, Default)]
pub struct VoceInput {
    pub descrizione: String,
    pub fornitore: Option<String>,
    pub riferimento: Option<String>,
    pub data: Option<String>,
    pub importo: Option<String>,
    pub costo_standard: Option<String>,
    pub quantita: Option<u32>,
}

fn invalid(m: impl Into<String>) -> AdesioneCoreError {
    AdesioneCoreError::Invalid(m.into())
}

/// `31/12/2026` or `2026-12-31`.
pub fn parse_data(s: &str, campo: &str) -> Result<NaiveDate> {
    mpd_adesione::profilo::parse_date(s).ok_or_else(|| {
        invalid(format!(
            "{campo} «{s}»: non è una data; scrivere gg/mm/aaaa, es. 31/12/2026"
        ))
    })
}

/// An amount as typed (`12.000,00`, `12000.00`) in cents; at most two decimals.
pub fn parse_importo(s: &str, campo: &str) -> Result<Decimal> {
    let d = mpd_adesione::contributo::parse_euro(s).map_err(|m| invalid(format!("{campo} {m}")))?;
    if d.normalize().scale() > 2 {
        return Err(invalid(format!(
            "{campo} «{s}»: al massimo due decimali (centesimi)"
        )));
    }
    let mut d = d.round_dp(2);
    d.rescale(2);
    Ok(d)
}

fn cents(d: Decimal) -> Result<i64> {
    use rust_decimal::prelude::ToPrimitive;
    (d * Decimal::ONE_HUNDRED)
        .to_i64()
        .ok_or_else(|| invalid(format!("importo {d} troppo grande")))
}

fn from_cents(c: i64) -> Decimal {
    Decimal::new(c, 2)
}

impl Desk {
    /// The adhesion profile from the stored Ente, payment types and extra data.
    pub fn adesione_profilo(&self) -> Result<Profilo> {
        let ente = self.require_ente()?;
        let extra =
            serde_json::from_str(&self.store().ente_extra()?).unwrap_or(serde_json::Value::Null);
        Ok(Profilo::from_parts(
            ente,
            &self.store().tipi_dovuto()?,
            &extra,
        ))
    }

    /// `ente check`: what is missing or wrong in the profile, and why it matters.
    pub fn ente_check(&self) -> Result<Verifica> {
        Ok(mpd_adesione::verifica(
            &self.adesione_profilo()?,
            self.today(),
        ))
    }

    /// Every adhesion step with the date recorded, if any.
    pub fn adesione_passi(&self) -> Result<Vec<PassoRegistrato>> {
        let recorded: Vec<(Passo, NaiveDate, Option<String>)> = self
            .store()
            .adesione_passi()?
            .into_iter()
            .filter_map(|r| Passo::parse(&r.passo).map(|p| (p, r.data, r.nota)))
            .collect();
        Ok(mpd_adesione::documento::checklist(&recorded))
    }

    /// Records the date of an adhesion step (`delibera`, `pec-inviata`, …).
    pub fn set_adesione_passo(
        &self,
        passo: &str,
        data: &str,
        nota: Option<&str>,
    ) -> Result<Vec<PassoRegistrato>> {
        let p = Passo::parse(passo).ok_or_else(|| {
            invalid(format!(
                "passo «{passo}» sconosciuto: usare {}",
                Passo::ALL.map(Passo::code).join(", ")
            ))
        })?;
        let d = parse_data(data, "Data")?;
        self.store()
            .set_adesione_passo(p.code(), d, nota, self.now())?;
        self.adesione_passi()
    }

    /// `adesione documenti`: the documents into `out`, only for a complete profile.
    pub fn adesione_documenti(&self, out: &Path) -> Result<Generati> {
        let profilo = self.adesione_profilo()?;
        let passi = self.adesione_passi()?;
        Ok(mpd_adesione::documento::genera(
            &profilo,
            &passi,
            self.today(),
            out,
        )?)
    }

    /// The contribution rules in use: the clerk's edited copy, else the shipped preset.
    pub fn contributo_misura(&self) -> Result<Misura> {
        match self.store().setting(SETTING_MISURA)? {
            Some(text) if !text.trim().is_empty() => Ok(Misura::from_toml(&text)?),
            _ => Ok(Misura::preset()),
        }
    }

    /// Loads an edited rules file (checked before it replaces the rules in use).
    pub fn set_contributo_misura_file(&self, path: &Path) -> Result<Misura> {
        let text = std::fs::read_to_string(path).map_err(|source| CoreError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let misura = Misura::from_toml(&text)?;
        self.store().set_setting(SETTING_MISURA, &text)?;
        self.store().audit(
            self.now(),
            "contributo.misura",
            &misura.id,
            &misura.versione,
        )?;
        Ok(misura)
    }

    /// Goes back to the shipped preset.
    pub fn reset_contributo_misura(&self) -> Result<Misura> {
        self.store().set_setting(SETTING_MISURA, "")?;
        Ok(Misura::preset())
    }

    /// The contribution of the stored profile, with the expense items as the estimate.
    pub fn contributo_calcola(&self) -> Result<CalcoloProfilo> {
        let p = self.adesione_profilo()?;
        let tipo_ente = p.tipo_ente.ok_or_else(|| {
            invalid("manca il tipo di ente nel profilo dell'Ente (dati per l'adesione): va indicato prima di calcolare il contributo")
        })?;
        let misura = self.contributo_misura()?;
        let voci = self.contributo_voci()?;
        let stima = (!voci.is_empty()).then(|| mpd_adesione::contributo::stima(&misura, &voci));
        let richiesta = Richiesta {
            tipo_ente,
            popolazione: p.popolazione,
            popolazione_data: p.popolazione_data,
            modalita: p.modalita_effettive(),
            spesa: stima.as_ref().map(|s| s.totale),
        };
        let mut esito = mpd_adesione::contributo::calcola(&misura, &richiesta);
        if stima.as_ref().is_some_and(|s| s.incompleta) {
            esito.provvisorio = true;
            esito.avvisi.push(
                "alcune voci di spesa non hanno un importo: la spesa stimata è parziale".into(),
            );
        }
        Ok(CalcoloProfilo { esito, stima })
    }

    /// The what-if computation, under the rules in use.
    pub fn contributo_simula(&self, richiesta: &Richiesta) -> Result<Esito> {
        Ok(mpd_adesione::contributo::calcola(
            &self.contributo_misura()?,
            richiesta,
        ))
    }

    /// Adds an expense item; returns its number.
    pub fn add_contributo_voce(&self, v: &VoceInput) -> Result<i64> {
        if v.descrizione.trim().is_empty() {
            return Err(invalid(
                "Descrizione: obbligatoria (es. \"Adeguamento gestionale tributi\")",
            ));
        }
        let (importo_cents, costo_standard, quantita) = match (&v.importo, &v.costo_standard) {
            (Some(i), None) => (Some(cents(parse_importo(i, "Importo")?)?), None, None),
            (None, Some(codice)) => {
                let misura = self.contributo_misura()?;
                if misura.costo_standard(codice).is_none() {
                    let codici: Vec<&str> = misura
                        .costi_standard
                        .iter()
                        .map(|c| c.codice.as_str())
                        .collect();
                    return Err(invalid(format!(
                        "Costo standard «{codice}»: non è tra i costi standard della misura ({})",
                        codici.join(", ")
                    )));
                }
                (
                    None,
                    Some(codice.clone()),
                    Some(v.quantita.unwrap_or(1).max(1)),
                )
            }
            _ => {
                return Err(invalid(
                    "indicare l'importo del preventivo oppure scegliere un costo standard e il numero di servizi",
                ));
            }
        };
        let data = v
            .data
            .as_deref()
            .map(|d| parse_data(d, "Data"))
            .transpose()?;
        let record = mpd_store::adesione::VoceRecord {
            id: 0,
            descrizione: v.descrizione.trim().to_string(),
            fornitore: v.fornitore.clone(),
            riferimento: v.riferimento.clone(),
            data,
            importo_cents,
            costo_standard,
            quantita,
        };
        Ok(self.store().add_contributo_voce(&record, self.now())?)
    }

    /// The expense items.
    pub fn contributo_voci(&self) -> Result<Vec<VoceSpesa>> {
        Ok(self
            .store()
            .contributo_voci()?
            .into_iter()
            .map(|r| VoceSpesa {
                id: Some(r.id),
                descrizione: r.descrizione,
                fornitore: r.fornitore,
                riferimento: r.riferimento,
                data: r.data,
                valore: match (r.importo_cents, r.costo_standard) {
                    (Some(c), _) => Valore::Preventivo {
                        importo: from_cents(c),
                    },
                    (None, codice) => Valore::CostoStandard {
                        codice: codice.unwrap_or_default(),
                        quantita: r.quantita.unwrap_or(1),
                    },
                },
            })
            .collect())
    }

    /// The estimate under the rules in use.
    pub fn contributo_stima(&self) -> Result<Stima> {
        Ok(mpd_adesione::contributo::stima(
            &self.contributo_misura()?,
            &self.contributo_voci()?,
        ))
    }

    pub fn delete_contributo_voce(&self, id: i64) -> Result<()> {
        Ok(self.store().delete_contributo_voce(id, self.now())?)
    }

    /// Records a requested, granted or received amount.
    pub fn add_contributo_importo(
        &self,
        tipo: &str,
        importo: &str,
        data: &str,
        riferimento: Option<&str>,
    ) -> Result<Movimento> {
        let t = TipoMovimento::parse(tipo)
            .ok_or_else(|| invalid(format!("«{tipo}»: usare richiesto, concesso o incassato")))?;
        let d = parse_importo(importo, "Importo")?;
        let data = parse_data(data, "Data")?;
        let id = self.store().add_contributo_importo(
            t.code(),
            cents(d)?,
            data,
            riferimento,
            self.now(),
        )?;
        Ok(Movimento {
            id: Some(id),
            tipo: t,
            importo: d,
            data,
            riferimento: riferimento.map(str::to_string),
        })
    }

    /// The tracked amounts, by date.
    pub fn contributo_importi(&self) -> Result<Vec<Movimento>> {
        Ok(self
            .store()
            .contributo_importi()?
            .into_iter()
            .filter_map(|r| {
                Some(Movimento {
                    id: Some(r.id),
                    tipo: TipoMovimento::parse(&r.tipo)?,
                    importo: from_cents(r.importo_cents),
                    data: r.data,
                    riferimento: r.riferimento,
                })
            })
            .collect())
    }

    /// The summary of the contribution for the stored profile.
    pub fn contributo_riepilogo(&self) -> Result<Riepilogo> {
        let calcolo = self.contributo_calcola()?;
        let misura = self.contributo_misura()?;
        let stima = match calcolo.stima {
            Some(s) => s,
            None => mpd_adesione::contributo::stima(&misura, &[]),
        };
        let ente = self.require_ente()?;
        Ok(Riepilogo::new(
            &ente.denominazione,
            &misura,
            calcolo.esito,
            stima,
            self.contributo_importi()?,
        ))
    }

    /// Writes the summary as PDF and XLSX into `out`.
    pub fn contributo_report(&self, out: &Path) -> Result<(Riepilogo, Vec<PathBuf>)> {
        let r = self.contributo_riepilogo()?;
        let files = r.scrivi(out, self.today())?;
        Ok((r, files))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE: &str = r#"
[ente]
codice_ipa = "c_x123"
codice_fiscale = "01199250158"
denominazione = "Comune di Esempio"
codice_segregazione = "12"
pec = "protocollo@pec.comune.esempio.it"
indirizzo = "Piazza Municipio 1"

[adesione]
tipo_ente = "comune-montano"
codice_istat = "097999"
popolazione = 4200
popolazione_fonte = "ISTAT"
popolazione_data = 2025-12-31
modalita = ["base", "per-flussi"]
legale_rappresentante = "Mario Rossi"

[referenti.amministrativo]
nome = "Anna Bianchi"
email = "ragioneria@comune.esempio.it"

[referenti.tecnico]
nome = "Luca Verdi"
email = "ced@comune.esempio.it"

[[conti]]
iban = "IT60X0542811101000000123456"
tipo = "tesoreria"

[[tipi_dovuto]]
codice = "TARI"
descrizione = "Tassa rifiuti"
dati_specifici_riscossione = "9/0101100IM/"
capitolo = "1010"
modalita = "per-flussi"
"#;

    fn desk() -> Desk {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z")
            .unwrap()
            .to_utc();
        let mut desk = Desk::in_memory().unwrap().with_now(now);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ente.toml");
        std::fs::write(&path, PROFILE).unwrap();
        desk.ente_set_file(&path).unwrap();
        desk
    }

    #[test]
    fn the_profile_file_sections_reach_the_adhesion_profile() {
        let desk = desk();
        let p = desk.adesione_profilo().unwrap();
        assert_eq!(p.tipo_ente, Some(TipoEnte::ComuneMontano));
        assert_eq!(
            p.popolazione_data,
            NaiveDate::from_ymd_opt(2025, 12, 31),
            "a TOML date survives the JSON"
        );
        assert_eq!(p.conti.len(), 1);
        assert_eq!(p.tipi[0].capitolo.as_deref(), Some("1010"));
        assert_eq!(
            p.referente_tecnico.as_ref().and_then(|r| r.nome.as_deref()),
            Some("Luca Verdi")
        );
        let v = desk.ente_check().unwrap();
        assert!(v.completo, "{:#?}", v.problemi);
        // The backbone's reading of the file is unchanged.
        assert_eq!(desk.store().tipi_dovuto().unwrap()[0].codice, "TARI");
    }

    #[test]
    fn the_demo_ente_has_a_contribution_and_an_incomplete_adhesion_profile() {
        let mut desk = Desk::in_memory().unwrap();
        desk.setup_demo(0).unwrap();
        let c = desk.contributo_calcola().unwrap();
        assert_eq!(c.esito.percentuale, 80);
        assert_eq!(
            c.esito.motivo,
            "80%: comune con 2.850 abitanti, soglia 3.000"
        );
        let v = desk.ente_check().unwrap();
        assert!(!v.completo);
        assert!(v.errori().any(|p| p.campo == "conti"), "{:#?}", v.problemi);
    }

    #[test]
    fn expense_items_and_amounts_feed_the_computation() {
        let desk = desk();
        desk.add_contributo_voce(&VoceInput {
            descrizione: "Adeguamento gestionale".into(),
            importo: Some("12.000,00".into()),
            ..Default::default()
        })
        .unwrap();
        let err = desk
            .add_contributo_voce(&VoceInput {
                descrizione: "x".into(),
                costo_standard: Some("boh".into()),
                ..Default::default()
            })
            .unwrap_err()
            .to_string();
        assert!(err.contains("servizio-integrato"), "{err}");
        let c = desk.contributo_calcola().unwrap();
        assert_eq!(c.esito.percentuale, 80);
        assert_eq!(c.esito.contributo, Some(Decimal::new(960000, 2)));
        assert_eq!(
            c.esito.motivo,
            "80%: comune montano con 4.200 abitanti, soglia 5.000"
        );
        desk.add_contributo_voce(&VoceInput {
            descrizione: "Servizi".into(),
            costo_standard: Some("servizio-integrato".into()),
            quantita: Some(2),
            ..Default::default()
        })
        .unwrap();
        let c = desk.contributo_calcola().unwrap();
        assert!(
            c.esito.provvisorio,
            "a standard cost without amount makes it partial"
        );
        desk.add_contributo_importo("concesso", "9600", "15/01/2027", Some("decreto 1"))
            .unwrap();
        assert!(
            desk.add_contributo_importo("promesso", "1", "15/01/2027", None)
                .is_err()
        );
        assert!(
            desk.add_contributo_importo("incassato", "1,234", "15/01/2027", None)
                .is_err(),
            "three decimals"
        );
        let r = desk.contributo_riepilogo().unwrap();
        assert_eq!(r.totali.concesso, Decimal::new(9600, 0));
    }
}
