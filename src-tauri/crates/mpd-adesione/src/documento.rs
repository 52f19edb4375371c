//! The adhesion documents as a format-free model, and writing them as ODT and PDF.
//!
//! A [`Documento`] is a title and a list of [`Blocco`]s (headings, paragraphs, label/value
//! fields, tables); [`crate::odt`] and [`crate::pdf`] render the same model, so the editable
//! and the printable copy never disagree. The official Lombardy templates were not found
//! (spec §1.2): the wording is reconstructed from what the Region's FAQ says the Atto and the
//! informativa must contain, and the documents say so. The clerk can edit the ODT.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::profilo::{Modalita, Profilo};
use crate::verifica::{Verifica, verifica};
use crate::{AdesioneError, Gravita, Result, format_int};

/// Where the adhesion goes by PEC when the profile does not say otherwise (spec §1.3, from a
/// supplier's FAQ: to be verified on the Region's site; `[adesione] pec_regione`/`pec_cc`
/// override them).
pub const PEC_REGIONE: &str = "presidenza@pec.regione.lombardia.it";
pub const PEC_CC: &str = "supporto.mypay@ariaspa.it";

/// One block of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocco {
    Sezione(String),
    Paragrafo(String),
    Elenco(Vec<String>),
    /// Label and value, one per line.
    Campi(Vec<(String, String)>),
    Tabella {
        intestazioni: Vec<String>,
        righe: Vec<Vec<String>>,
    },
}

/// A document: the file's base name, its title, its blocks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Documento {
    pub file: String,
    pub titolo: String,
    pub blocchi: Vec<Blocco>,
}

/// A step of the adhesion whose date the clerk records (spec §1.3, §2.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Passo {
    Delibera,
    PecInviata,
    RiscontroRegione,
    PreEsercizio,
    Esercizio,
}

impl Passo {
    pub const ALL: [Passo; 5] = [
        Passo::Delibera,
        Passo::PecInviata,
        Passo::RiscontroRegione,
        Passo::PreEsercizio,
        Passo::Esercizio,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Passo::Delibera => "delibera",
            Passo::PecInviata => "pec-inviata",
            Passo::RiscontroRegione => "riscontro-regione",
            Passo::PreEsercizio => "pre-esercizio",
            Passo::Esercizio => "esercizio",
        }
    }

    pub fn nome(self) -> &'static str {
        match self {
            Passo::Delibera => "Delibera o determina di approvazione dell'Atto di adesione",
            Passo::PecInviata => "Invio via PEC di Atto, modulo informativa e informativa privacy",
            Passo::RiscontroRegione => "Riscontro della Regione (censimento dell'Ente su MyPay)",
            Passo::PreEsercizio => "Fase di prova (pre-esercizio)",
            Passo::Esercizio => "Avvio in produzione (esercizio)",
        }
    }

    pub fn parse(s: &str) -> Option<Passo> {
        let s = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Passo::ALL
            .into_iter()
            .find(|p| p.code() == s)
            .or(match s.as_str() {
                "determina" => Some(Passo::Delibera),
                "pec" => Some(Passo::PecInviata),
                "collaudo" | "prova" => Some(Passo::PreEsercizio),
                "produzione" => Some(Passo::Esercizio),
                _ => None,
            })
    }
}

impl Serialize for Passo {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// A step with the date the clerk recorded, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PassoRegistrato {
    pub passo: Passo,
    pub nome: &'static str,
    pub data: Option<NaiveDate>,
    pub nota: Option<String>,
}

/// Every step in order, with the recorded dates filled in.
pub fn checklist(registrati: &[(Passo, NaiveDate, Option<String>)]) -> Vec<PassoRegistrato> {
    Passo::ALL
        .into_iter()
        .map(|passo| {
            let r = registrati.iter().find(|r| r.0 == passo);
            PassoRegistrato {
                passo,
                nome: passo.nome(),
                data: r.map(|r| r.1),
                nota: r.and_then(|r| r.2.clone()),
            }
        })
        .collect()
}

fn or_blank(v: Option<&str>) -> String {
    v.map(str::to_string)
        .unwrap_or_else(|| "__________".to_string())
}

fn date_it(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn modalita_text(p: &Profilo) -> String {
    p.modalita_effettive()
        .iter()
        .map(|m| m.nome())
        .collect::<Vec<_>>()
        .join(", ")
}

fn anagrafica(p: &Profilo) -> Vec<(String, String)> {
    let e = &p.ente;
    let mut v = vec![
        ("Denominazione".to_string(), e.denominazione.clone()),
        ("Codice fiscale".into(), e.codice_fiscale.clone()),
        ("Codice IPA".into(), e.codice_ipa.clone()),
        ("Codice ISTAT".into(), or_blank(p.codice_istat.as_deref())),
        (
            "Tipo di ente".into(),
            p.tipo_ente
                .map(|t| t.nome().to_string())
                .unwrap_or_default(),
        ),
        ("Sede".into(), or_blank(p.indirizzo.as_deref())),
        ("PEC".into(), or_blank(p.pec.as_deref())),
    ];
    if let Some(n) = p.popolazione {
        let mut s = format!("{} abitanti", format_int(n.into()));
        if let Some(d) = p.popolazione_data {
            s.push_str(&format!(" al {}", date_it(d)));
        }
        if let Some(f) = &p.popolazione_fonte {
            s.push_str(&format!(" (fonte: {f})"));
        }
        v.push(("Popolazione residente".into(), s));
    }
    v.push((
        "Codice di segregazione (MyPay)".into(),
        e.codice_segregazione.clone(),
    ));
    v
}

fn referente_text(r: Option<&crate::profilo::Referente>) -> String {
    let Some(r) = r else {
        return "__________".into();
    };
    let mut parts = vec![or_blank(r.nome.as_deref())];
    for x in [&r.ruolo, &r.codice_fiscale, &r.email, &r.telefono]
        .into_iter()
        .flatten()
    {
        parts.push(x.clone());
    }
    parts.join(", ")
}

/// The "Atto di adesione" (to be adopted by delibera or determina and signed digitally).
pub fn atto_di_adesione(p: &Profilo) -> Documento {
    let e = &p.ente;
    let firmatario = or_blank(p.legale_rappresentante.as_deref());
    let b = vec![
        Blocco::Paragrafo(format!(
            "Ente: {} – codice fiscale {} – codice IPA {}",
            e.denominazione, e.codice_fiscale, e.codice_ipa
        )),
        Blocco::Sezione("Dati dell'Ente".into()),
        Blocco::Campi(anagrafica(p)),
        Blocco::Sezione("Dichiarazione".into()),
        Blocco::Paragrafo(format!(
            "Il sottoscritto {firmatario}, legale rappresentante di {}, in esecuzione della \
             delibera/determina n. ______ del __________, con il presente atto",
            e.denominazione
        )),
        Blocco::Sezione("ADERISCE".into()),
        Blocco::Elenco(vec![
            "al servizio MyPay di Regione Lombardia per i pagamenti verso la Pubblica Amministrazione tramite il sistema pagoPA;".into(),
            format!("nelle modalità: {};", modalita_text(p)),
            "designando Regione Lombardia quale intermediario tecnologico dell'Ente verso la piattaforma pagoPA;".into(),
            format!(
                "nominando referente dei pagamenti: {};",
                referente_text(p.referente_amministrativo.as_ref())
            ),
            format!(
                "indicando come referente tecnico: {}.",
                referente_text(p.referente_tecnico.as_ref())
            ),
        ]),
        Blocco::Paragrafo(
            "L'Ente si impegna a comunicare tempestivamente alla Regione ogni variazione dei dati \
             indicati e di quelli del modulo informativa allegato."
                .into(),
        ),
        Blocco::Paragrafo("Luogo e data: __________________".into()),
        Blocco::Paragrafo(format!(
            "Il legale rappresentante: {firmatario} (documento firmato digitalmente)"
        )),
        Blocco::Paragrafo(
            "Testo predisposto da MyPay Desk sulla base delle indicazioni pubbliche della Regione: \
             confrontarlo con il modello ufficiale in vigore prima della firma."
                .into(),
        ),
    ];
    Documento {
        file: "atto-di-adesione".into(),
        titolo: "Atto di adesione al servizio MyPay di Regione Lombardia".into(),
        blocchi: b,
    }
}

/// The "Modulo informativa Ente": registry data, mode, contacts, accounts, payment types.
pub fn modulo_informativa(p: &Profilo) -> Documento {
    let mut b = vec![
        Blocco::Sezione("1. Anagrafica dell'Ente".into()),
        Blocco::Campi(anagrafica(p)),
        Blocco::Sezione("2. Modalità di adesione".into()),
        Blocco::Paragrafo(modalita_text(p)),
        Blocco::Sezione("3. Referenti".into()),
    ];
    let mut refs = Vec::new();
    for (ruolo, r) in [
        (
            "Referente dei pagamenti (amministrativo)",
            &p.referente_amministrativo,
        ),
        ("Referente tecnico", &p.referente_tecnico),
    ] {
        if let Some(r) = r {
            refs.push(vec![
                ruolo.to_string(),
                or_blank(r.nome.as_deref()),
                r.codice_fiscale.clone().unwrap_or_default(),
                r.email.clone().unwrap_or_default(),
                r.telefono.clone().unwrap_or_default(),
            ]);
        }
    }
    b.push(Blocco::Tabella {
        intestazioni: ["Ruolo", "Nome", "Codice fiscale", "Email", "Telefono"]
            .map(String::from)
            .to_vec(),
        righe: refs,
    });
    b.push(Blocco::Sezione("4. Conti di accredito".into()));
    b.push(Blocco::Tabella {
        intestazioni: ["IBAN", "Tipo", "Intestatario", "Descrizione"]
            .map(String::from)
            .to_vec(),
        righe: p
            .conti
            .iter()
            .map(|c| {
                vec![
                    c.iban.clone(),
                    c.tipo.nome().to_string(),
                    c.intestatario.clone().unwrap_or_default(),
                    c.descrizione.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    });
    b.push(Blocco::Sezione("5. Tipi dovuto da attivare".into()));
    b.push(Blocco::Tabella {
        intestazioni: [
            "Codice",
            "Descrizione",
            "Codice tassonomico",
            "Modalità",
            "IBAN di accredito",
            "Importo predefinito",
            "Capitolo",
            "CF anonimo",
            "Scadenza obbligatoria",
        ]
        .map(String::from)
        .to_vec(),
        righe: p
            .tipi
            .iter()
            .map(|t| {
                let yn = |b: bool| if b { "sì" } else { "no" }.to_string();
                vec![
                    t.tipo.codice.clone(),
                    t.tipo.descrizione.clone(),
                    t.tipo.dati_specifici_riscossione.clone(),
                    p.modalita_del_tipo(t).nome().to_string(),
                    p.iban_del_tipo(t).unwrap_or_default().to_string(),
                    t.tipo
                        .importo_predefinito
                        .map(crate::contributo::format_euro)
                        .unwrap_or_default(),
                    t.capitolo.clone().unwrap_or_default(),
                    yn(t.tipo.cf_anonimo),
                    yn(t.tipo.scadenza_obbligatoria),
                ]
            })
            .collect(),
    });
    if p.tipi
        .iter()
        .any(|t| p.modalita_del_tipo(t) == Modalita::Base)
    {
        b.push(Blocco::Paragrafo(
            "I capitoli contabili sono indicati per i dovuti attivati in modalità base; negli altri \
             casi i dati contabili arrivano con ogni posizione dal gestionale dell'Ente."
                .into(),
        ));
    }
    Documento {
        file: "modulo-informativa-ente".into(),
        titolo: format!("Modulo informativa Ente – {}", p.ente.denominazione),
        blocchi: b,
    }
}

/// The reminder for sending: recipients, attachments, the steps with their recorded dates and
/// the profile's warnings.
pub fn promemoria(p: &Profilo, v: &Verifica, passi: &[PassoRegistrato]) -> Documento {
    let mut b = vec![
        Blocco::Sezione("Invio via PEC".into()),
        Blocco::Campi(vec![
            ("Da".into(), or_blank(p.pec.as_deref())),
            ("A".into(), p.pec_regione.clone().unwrap_or_else(|| PEC_REGIONE.into())),
            ("Copia a".into(), p.pec_cc.clone().unwrap_or_else(|| PEC_CC.into())),
            ("Oggetto".into(), format!("Adesione a MyPay – {} ({})", p.ente.denominazione, p.ente.codice_ipa)),
        ]),
        Blocco::Paragrafo(
            "Indirizzi da verificare sul sito della Regione prima dell'invio (modificabili nel \
             profilo dell'Ente, tra i dati per l'adesione)."
                .into(),
        ),
        Blocco::Elenco(vec![
            "Atto di adesione firmato digitalmente (atto-di-adesione.pdf, dopo la delibera o determina);".into(),
            "Modulo informativa Ente (modulo-informativa-ente);".into(),
            "Informativa privacy (modello della Regione, non generato da MyPay Desk).".into(),
        ]),
        Blocco::Sezione("Passi dell'adesione".into()),
        Blocco::Tabella {
            intestazioni: ["Passo", "Data", "Nota"].map(String::from).to_vec(),
            righe: passi
                .iter()
                .map(|s| {
                    vec![
                        s.nome.to_string(),
                        s.data.map(date_it).unwrap_or_else(|| "____/____/______".into()),
                        s.nota.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        },
        Blocco::Paragrafo("Le date dei passi si registrano in MyPay Desk man mano che avvengono (gg/mm/aaaa).".into()),
    ];
    let avvisi: Vec<String> = v
        .problemi
        .iter()
        .filter(|x| x.gravita == Gravita::Avviso)
        .map(|x| format!("{}: {} ({})", x.campo, x.messaggio, x.perche))
        .collect();
    if !avvisi.is_empty() {
        b.push(Blocco::Sezione("Da verificare".into()));
        b.push(Blocco::Elenco(avvisi));
    }
    Documento {
        file: "promemoria-invio".into(),
        titolo: format!("Promemoria per l'adesione – {}", p.ente.denominazione),
        blocchi: b,
    }
}

/// What [`genera`] wrote.
#[derive(Clone, Debug, Serialize)]
pub struct Generati {
    pub cartella: PathBuf,
    pub file: Vec<PathBuf>,
    pub avvisi: Vec<crate::Problema>,
}

/// Checks the profile and, only if it has no errors, writes every document into `dir` as ODT
/// and PDF. With errors nothing is written and [`AdesioneError::Incompleto`] lists them.
pub fn genera(
    p: &Profilo,
    passi: &[PassoRegistrato],
    oggi: NaiveDate,
    dir: &Path,
) -> Result<Generati> {
    let v = verifica(p, oggi);
    if !v.completo {
        return Err(AdesioneError::Incompleto(v.errori().cloned().collect()));
    }
    let docs = [
        atto_di_adesione(p),
        modulo_informativa(p),
        promemoria(p, &v, passi),
    ];
    let file = scrivi(&docs, dir, oggi)?;
    Ok(Generati {
        cartella: dir.to_path_buf(),
        file,
        avvisi: v.problemi,
    })
}

/// Writes each document as `<file>.odt` and `<file>.pdf` into `dir` (created if missing).
pub fn scrivi(docs: &[Documento], dir: &Path, oggi: NaiveDate) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|source| AdesioneError::Write {
        path: dir.display().to_string(),
        source,
    })?;
    let mut out = Vec::new();
    for d in docs {
        out.push(crate::write_file(
            &dir.join(format!("{}.odt", d.file)),
            &crate::odt::odt(d, oggi)?,
        )?);
        out.push(crate::write_file(
            &dir.join(format!("{}.pdf", d.file)),
            &crate::pdf::pdf(d, oggi)?,
        )?);
    }
    Ok(out)
}
