//! Tesoreria (issue 16): the treasury journal imported (CSV giornale di cassa, the bank's
//! Excel, OPI giornale di cassa, Poste estratto conto), each treasury entry with what it
//! matched or why not and its suggestions, the whole reconciliation with the totals by state,
//! and the days after which a missing step is an anomaly.
//!
//! Amounts go to the front ends in cents (`*_cents`), never as floats.

use std::path::Path;

use mpd_core::riconciliazione::{MovimentoRiconciliato, Stati};
use mpd_domain::incasso::{EsitoMovimento, RegoleIncasso};
use mpd_domain::testo::conta;
use mpd_store::tesoreria::EsitoGiornale;
use mpd_tracciato::tesoreria::Formato;
use serde::Serialize;
use ts_rs::TS;

use crate::App;
use crate::errore::{Errore, Risultato};
use crate::flussi::{Livello, Riepilogo};
use crate::riconciliazione::{PagamentoVista, StatoPagamento};

/// What importing the journal did as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EsitoGiornaleVista {
    /// A journal not seen before.
    Nuovo,
    /// The same journal again: nothing added.
    GiaPresente,
    /// A corrected version of a journal imported before: it replaces it.
    Sostituito,
}

/// A row not taken, with its row, field (when there is one) and why.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RigaNonPresa {
    pub riga: usize,
    pub campo: String,
    pub messaggio: String,
}

/// What importing a treasury journal did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EsitoImportazioneTesoreria {
    pub file: String,
    /// `csv`, `xls`, `opi`, `poste`.
    pub formato: String,
    /// The format as the clerk reads it.
    pub formato_nome: String,
    /// The format was recognised from the content.
    pub riconosciuto: bool,
    pub esito: EsitoGiornaleVista,
    pub aggiunti: usize,
    pub sostituiti: usize,
    /// Entries of the old version of a corrected journal it no longer has.
    pub rimossi: usize,
    /// Entries removed by a storno.
    pub storni_applicati: usize,
    /// Rows refused: storni whose entry is not here.
    pub rifiutate: Vec<RigaNonPresa>,
    /// Rows the format leaves out on purpose (debits, other documents, no pagoPA reference).
    pub ignorate: Vec<RigaNonPresa>,
    /// How the file was read (encoding, separator, columns).
    pub note: Vec<String>,
    pub riepilogo: Riepilogo,
}

/// Imports a treasury journal; `formato` (`csv`, `xls`, `opi`, `poste`) when the clerk gives
/// it, else recognised from the content; `mappatura` the `campo=colonna` changes of a CSV.
pub fn importa(
    app: &App,
    file: &Path,
    formato: Option<&str>,
    mappatura: &[String],
) -> Risultato<EsitoImportazioneTesoreria> {
    let formato = formato
        .filter(|f| !f.trim().is_empty())
        .map(|f| {
            Formato::da_codice(f).ok_or_else(|| {
                Errore::argomento(format!(
                    "formato del giornale di tesoreria sconosciuto «{f}»: i possibili sono {}",
                    Formato::TUTTI.map(Formato::codice).join(", ")
                ))
            })
        })
        .transpose()?;
    let mut desk = app.desk_di_lavoro()?;
    let t = desk.importa_tesoreria(file, formato, mappatura)?;
    let s = &t.salvataggio;
    let rifiutate: Vec<RigaNonPresa> = s
        .storni_mancanti
        .iter()
        .map(|m| RigaNonPresa {
            riga: usize::try_from(m.riga).unwrap_or(0),
            campo: "numero_bolletta_quietanza".into(),
            messaggio: format!(
                "la bolletta {}/{} non è presente: impossibile stornarla",
                m.anno, m.bolletta
            ),
        })
        .collect();
    let ignorate: Vec<RigaNonPresa> = t
        .ignorate
        .iter()
        .map(|i| RigaNonPresa {
            riga: i.riga,
            campo: String::new(),
            messaggio: i.motivo.clone(),
        })
        .collect();
    let esito = match s.esito {
        EsitoGiornale::Nuovo => EsitoGiornaleVista::Nuovo,
        EsitoGiornale::GiaPresente => EsitoGiornaleVista::GiaPresente,
        EsitoGiornale::Sostituito => EsitoGiornaleVista::Sostituito,
    };
    let mut parti = Vec::new();
    let testo = match esito {
        EsitoGiornaleVista::GiaPresente => format!(
            "Giornale già importato ({}): nessun movimento aggiunto.",
            t.formato.nome()
        ),
        _ => {
            if s.aggiunti > 0 {
                parti.push(conta(
                    s.aggiunti,
                    "movimento aggiunto",
                    "movimenti aggiunti",
                ));
            }
            if s.sostituiti > 0 {
                parti.push(conta(
                    s.sostituiti,
                    "movimento corretto",
                    "movimenti corretti",
                ));
            }
            if s.rimossi > 0 {
                parti.push(conta(
                    s.rimossi,
                    "movimento tolto dalla versione precedente",
                    "movimenti tolti dalla versione precedente",
                ));
            }
            if s.stornati > 0 {
                parti.push(conta(s.stornati, "storno applicato", "storni applicati"));
            }
            if s.invariati > 0 {
                parti.push(conta(
                    s.invariati,
                    "movimento già presente",
                    "movimenti già presenti",
                ));
            }
            if parti.is_empty() {
                parti.push("nessun movimento da importare".to_string());
            }
            let mut testo = format!(
                "{} {}: {}.",
                if esito == EsitoGiornaleVista::Sostituito {
                    "Giornale corretto, sostituisce il precedente"
                } else {
                    "Giornale importato"
                },
                format_args!("({})", t.formato.nome()),
                parti.join(", ")
            );
            if !rifiutate.is_empty() {
                testo.push_str(&format!(
                    " {} non applicabili: la bolletta da stornare non c'è.",
                    conta(rifiutate.len(), "storno", "storni")
                ));
            }
            if !ignorate.is_empty() {
                testo.push_str(&format!(
                    " {} che non sono entrate pagoPA.",
                    conta(
                        ignorate.len(),
                        "riga lasciata fuori",
                        "righe lasciate fuori"
                    )
                ));
            }
            testo
        }
    };
    let livello = if esito == EsitoGiornaleVista::GiaPresente || !rifiutate.is_empty() {
        Livello::Avviso
    } else {
        Livello::Successo
    };
    Ok(EsitoImportazioneTesoreria {
        file: t.file,
        formato: t.formato.codice().to_string(),
        formato_nome: t.formato.nome().to_string(),
        riconosciuto: t.riconosciuto,
        esito,
        aggiunti: s.aggiunti,
        sostituiti: s.sostituiti,
        rimossi: s.rimossi,
        storni_applicati: s.stornati,
        rifiutate,
        ignorate,
        note: t.note,
        riepilogo: Riepilogo { livello, testo },
    })
}

/// What a treasury entry matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EsitoMovimentoVista {
    /// An FdR (by IUF) or a payment (by IUV), same amount.
    Abbinato,
    /// An FdR or a payment, another amount.
    ImportoDiverso,
    /// An IUF or IUV that matches nothing here.
    Sconosciuto,
    /// No pagoPA reference in the causale.
    SenzaRiferimento,
}

impl From<EsitoMovimento> for EsitoMovimentoVista {
    fn from(e: EsitoMovimento) -> EsitoMovimentoVista {
        match e {
            EsitoMovimento::Abbinato => EsitoMovimentoVista::Abbinato,
            EsitoMovimento::ImportoDiverso => EsitoMovimentoVista::ImportoDiverso,
            EsitoMovimento::Sconosciuto => EsitoMovimentoVista::Sconosciuto,
            EsitoMovimento::SenzaRiferimento => EsitoMovimentoVista::SenzaRiferimento,
        }
    }
}

/// A likely match (not applied).
#[derive(Debug, Clone, Serialize, TS)]
pub struct SuggerimentoVista {
    pub iuf: String,
    pub motivo: String,
}

/// One treasury entry with its match.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MovimentoVista {
    /// `csv`, `xls`, `opi`, `poste`.
    pub formato: String,
    pub file: String,
    pub riga: i64,
    pub anno: i32,
    pub bolletta: String,
    /// `yyyy-mm-dd`.
    pub data_contabile: String,
    pub data_valuta: String,
    pub importo_cents: i64,
    pub ordinante: String,
    pub causale: String,
    pub iuf: Option<String>,
    pub iuv: Option<String>,
    /// How the causale was read.
    pub lettura: String,
    /// The provisional receipt to regularise (OPI), when there is one.
    pub sospeso: Option<String>,
    pub esito: EsitoMovimentoVista,
    /// The FdR it matched.
    pub iuf_abbinato: Option<String>,
    /// The payments it matched by IUV.
    pub iuv_abbinati: Vec<String>,
    /// What it matched, or why not.
    pub motivo: String,
    /// For an entry matched to nothing: the likely FdR.
    pub suggerimenti: Vec<SuggerimentoVista>,
}

impl From<MovimentoRiconciliato> for MovimentoVista {
    fn from(m: MovimentoRiconciliato) -> MovimentoVista {
        let r = m.movimento;
        MovimentoVista {
            formato: r.formato,
            file: r.file,
            riga: r.riga,
            anno: r.anno,
            bolletta: r.bolletta,
            data_contabile: r.data_contabile,
            data_valuta: r.data_valuta,
            importo_cents: r.importo_cents,
            ordinante: r.ordinante,
            causale: r.causale,
            iuf: r.iuf,
            iuv: r.iuv,
            lettura: r.lettura,
            sospeso: match (r.sospeso_codice, r.sospeso_data) {
                (None, None) => None,
                (c, d) => Some(
                    [c, d.map(|d| format!("del {d}"))]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
            },
            esito: m.esito.into(),
            iuf_abbinato: m.iuf_abbinato,
            iuv_abbinati: m.iuv_abbinati,
            motivo: m.motivo,
            suggerimenti: m
                .suggerimenti
                .into_iter()
                .map(|s| SuggerimentoVista {
                    iuf: s.iuf,
                    motivo: s.motivo,
                })
                .collect(),
        }
    }
}

/// Every treasury entry with what it matched, or why not and its suggestions.
pub fn movimenti(app: &App) -> Risultato<Vec<MovimentoVista>> {
    app.con_desk(|desk| {
        Ok(desk
            .stati_riconciliazione()?
            .movimenti
            .into_iter()
            .map(MovimentoVista::from)
            .collect())
    })
}

/// How many payments are in a state, and their amount.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TotaleStato {
    pub stato: StatoPagamento,
    pub etichetta: &'static str,
    pub anomalia: bool,
    pub numero: usize,
    /// The receipts' amounts (the FdR's, for a payment without receipt).
    pub importo_cents: i64,
}

/// Every state in order with how many payments are in it and their amount.
pub(crate) fn totali_stato(r: &Stati) -> Vec<TotaleStato> {
    r.totali()
        .into_iter()
        .map(|(s, numero, importo_cents)| TotaleStato {
            stato: s.into(),
            etichetta: s.etichetta(),
            anomalia: s.anomalia(),
            numero,
            importo_cents,
        })
        .collect()
}

/// The whole reconciliation: every payment, every treasury entry, the totals by state.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RiconciliazioneVista {
    pub pagamenti: Vec<PagamentoVista>,
    pub movimenti: Vec<MovimentoVista>,
    /// Every state in order, with its count and amount (zero ones too).
    pub totali: Vec<TotaleStato>,
}

/// The whole reconciliation as of now; the payments only in state `stato` when given (the
/// totals count them all). The states come up to date in the store (only what changed since
/// the last run is recomputed); the reasons are built only for the payments returned.
pub fn riconciliazione(app: &App, stato: Option<&str>) -> Risultato<RiconciliazioneVista> {
    let filtro = stato.map(StatoPagamento::parse).transpose()?;
    app.con_desk(|desk| {
        let r = desk.stati_riconciliazione()?;
        let totali = totali_stato(&r);
        let scelti: Vec<_> = r
            .pagamenti
            .into_iter()
            .filter(|p| filtro.is_none_or(|s| StatoPagamento::from(p.stato) == s))
            .collect();
        Ok(RiconciliazioneVista {
            pagamenti: desk
                .dettagli_pagamenti(&scelti)?
                .into_iter()
                .map(PagamentoVista::from)
                .collect(),
            movimenti: r.movimenti.into_iter().map(MovimentoVista::from).collect(),
            totali,
        })
    })
}

/// The days after which a missing step is an anomaly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct RegoleTesoreria {
    /// A payment with no FdR this many days after it was made is «non rendicontato».
    pub giorni_rendicontazione: i64,
    /// An FdR not in the treasury this many days after its settlement is «non incassato».
    pub giorni_incasso: i64,
    /// How far apart an entry and an FdR may be for a suggestion.
    pub giorni_suggerimento: i64,
}

impl From<RegoleIncasso> for RegoleTesoreria {
    fn from(r: RegoleIncasso) -> RegoleTesoreria {
        RegoleTesoreria {
            giorni_rendicontazione: r.giorni_rendicontazione,
            giorni_incasso: r.giorni_incasso,
            giorni_suggerimento: r.giorni_suggerimento,
        }
    }
}

/// The days in force.
pub fn regole(app: &App) -> Risultato<RegoleTesoreria> {
    app.con_desk(|desk| Ok(desk.regole_incasso()?.into()))
}

/// Changes the days given (the others stay); returns the days in force.
pub fn imposta_regole(
    app: &App,
    giorni_rendicontazione: Option<i64>,
    giorni_incasso: Option<i64>,
    giorni_suggerimento: Option<i64>,
) -> Risultato<RegoleTesoreria> {
    app.con_desk(|desk| {
        let mut r = desk.regole_incasso()?;
        if let Some(v) = giorni_rendicontazione {
            r.giorni_rendicontazione = v;
        }
        if let Some(v) = giorni_incasso {
            r.giorni_incasso = v;
        }
        if let Some(v) = giorni_suggerimento {
            r.giorni_suggerimento = v;
        }
        desk.imposta_regole_incasso(r)?;
        Ok(r.into())
    })
}

/// Keeps the bytes of a treasury journal the window received (`<input type="file">`, a drop
/// in the page) in the private temporary folder, to import it by its path. An `.xml` is kept
/// too: it may be an OPI journal or an FdR ([`riconosci_file`] tells).
pub fn carica(app: &App, nome: &str, byte: &[u8]) -> Risultato<crate::importa::FileCaricato> {
    crate::importa::conserva(
        app,
        nome,
        byte,
        &ESTENSIONI,
        crate::riconciliazione::MAX_FDR_CARICATI,
    )
}

/// The extensions of the files the reconciliation takes: FdR (`.xml`) and treasury journals
/// (`.csv`, `.txt` for Poste's statement, `.xls`, `.xlsx`, OPI's `.xml`).
pub const ESTENSIONI: [&str; 5] = ["xml", "csv", "txt", "xls", "xlsx"];

/// What a file given to the reconciliation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TipoFile {
    /// A flusso di rendicontazione (`FlussoRiversamento` XML): `fdr_importa`.
    Fdr,
    /// A treasury journal (CSV, the bank's Excel, OPI XML, Poste): `tesoreria_importa`.
    Tesoreria,
    /// Neither: refused, with why.
    Altro,
}

/// A file given to the reconciliation and what it is.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FileRiconosciuto {
    pub percorso: String,
    /// The file's name, as the clerk knows it.
    pub nome: String,
    pub tipo: TipoFile,
    /// What it is, or why it is neither, in words.
    pub motivo: String,
}

/// The first bytes read to tell a file's kind: the root element of an XML or a workbook's
/// signature comes well before.
const INIZIO: usize = 64 * 1024;

/// Tells, for each file dropped on the window, whether it is an FdR or a treasury journal, so
/// that the window sends it to the right import: an XML by its root element
/// (`FlussoRiversamento` an FdR, `flusso_giornale_di_cassa` OPI; an XML that cannot be read
/// goes to the FdR import, which names the problem), a workbook or any `.csv`/`.txt` the
/// treasury; anything else neither.
pub fn riconosci_file(percorsi: &[std::path::PathBuf]) -> Risultato<Vec<FileRiconosciuto>> {
    use std::io::Read;
    percorsi
        .iter()
        .map(|percorso| {
            let nome = percorso.file_name().map_or_else(
                || percorso.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let leggi = |e: std::io::Error| {
                Errore::new(
                    crate::errore::Codice::LetturaFile,
                    format!(
                        "impossibile leggere «{nome}»: {}",
                        mpd_domain::testo::causa_io(&e)
                    ),
                )
            };
            let mut inizio = Vec::new();
            std::fs::File::open(percorso)
                .and_then(|f| f.take(INIZIO as u64).read_to_end(&mut inizio))
                .map_err(leggi)?;
            let estensione = percorso
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .unwrap_or_default();
            let formato = mpd_tracciato::tesoreria::riconosci(&inizio);
            let (tipo, motivo) = if formato == Formato::Opi || estensione == "xml" {
                match mpd_tracciato::fdr::elemento_radice(&inizio).as_deref() {
                    Some("flusso_giornale_di_cassa") => {
                        (TipoFile::Tesoreria, Formato::Opi.nome().to_string())
                    }
                    Some("FlussoRiversamento") | None => {
                        (TipoFile::Fdr, "flusso di rendicontazione".to_string())
                    }
                    Some(altro) => (
                        TipoFile::Altro,
                        format!(
                            "«{nome}»: l'elemento principale è «{altro}», né un flusso di \
                             rendicontazione né un giornale di cassa OPI"
                        ),
                    ),
                }
            } else if formato == Formato::Xls
                || ["csv", "txt", "xls", "xlsx"].contains(&estensione.as_str())
            {
                (TipoFile::Tesoreria, formato.nome().to_string())
            } else {
                (
                    TipoFile::Altro,
                    format!(
                        "«{nome}»: si importano i flussi di rendicontazione (.xml) e i giornali \
                         di tesoreria (.csv, .xls, .xlsx, .xml)"
                    ),
                )
            };
            Ok(FileRiconosciuto {
                percorso: percorso.display().to_string(),
                nome,
                tipo,
                motivo,
            })
        })
        .collect()
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    EsitoImportazioneTesoreria::export_all(cfg)?;
    MovimentoVista::export_all(cfg)?;
    RiconciliazioneVista::export_all(cfg)?;
    RegoleTesoreria::export_all(cfg)?;
    FileRiconosciuto::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpd_domain::riconciliazione::Stato;

    #[test]
    fn import_entries_and_totals_through_the_app() {
        let dir = tempfile::tempdir().unwrap();
        let app = App::new(
            Some(dir.path().join("db.sqlite")),
            crate::ConnectOptions::default(),
            crate::connessione::keyring(),
        )
        .con_frase_archivio(Some(mpd_store::testing::CHIAVE_DI_PROVA));
        let fdr = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../mpd-tracciato/testdata/fdr/fdr-esempio.xml");
        crate::riconciliazione::importa(&app, &[fdr]).unwrap();
        let csv = dir.path().join("giornale.csv");
        std::fs::write(
            &csv,
            "anno;numero;data_contabile;ordinante;causale;importo;data_valuta\n\
2024;1523;14/05/2024;BANCA;/PUR/LGPE-RIVERSAMENTO/URI/2024-05-14BCITITMM-S240514000123;223,50;\n\
2024;1525;15/05/2024;VERDI SRL;BONIFICO FATTURA 12;1.200,00;\n",
        )
        .unwrap();
        let e = importa(&app, &csv, None, &[]).unwrap();
        assert_eq!(
            (e.esito, e.aggiunti, e.formato.as_str()),
            (EsitoGiornaleVista::Nuovo, 2, "csv")
        );
        assert_eq!(
            e.riepilogo.testo,
            "Giornale importato (giornale di cassa CSV): 2 movimenti aggiunti."
        );
        let di_nuovo = importa(&app, &csv, Some("csv"), &[]).unwrap();
        assert_eq!(di_nuovo.esito, EsitoGiornaleVista::GiaPresente);
        assert_eq!(di_nuovo.riepilogo.livello, Livello::Avviso);
        let m = movimenti(&app).unwrap();
        assert_eq!(
            m.iter().map(|m| m.esito).collect::<Vec<_>>(),
            [
                EsitoMovimentoVista::Abbinato,
                EsitoMovimentoVista::SenzaRiferimento
            ]
        );
        let r = riconciliazione(&app, None).unwrap();
        assert_eq!(r.totali.len(), Stato::TUTTI.len());
        let incassati = r
            .totali
            .iter()
            .find(|t| t.stato == StatoPagamento::Incassato)
            .unwrap();
        // The FdR's three rows have no receipt here: the esito-9 one reconciles from the flow
        // and its FdR is cashed; the other two stay «senza ricevuta».
        assert_eq!((incassati.numero, incassati.importo_cents), (1, 2500));
        assert_eq!(
            riconciliazione(&app, Some("incassato"))
                .unwrap()
                .pagamenti
                .len(),
            1
        );
        assert!(riconciliazione(&app, Some("boh")).is_err());
        let e = importa(&app, &csv, Some("pdf"), &[]).unwrap_err();
        assert_eq!(e.codice, crate::errore::Codice::Argomento);
        let regole_prima = regole(&app).unwrap();
        assert_eq!(regole_prima.giorni_incasso, 10);
        let r = imposta_regole(&app, None, Some(20), None).unwrap();
        assert_eq!((r.giorni_rendicontazione, r.giorni_incasso), (10, 20));
    }

    #[test]
    fn a_dropped_file_is_told_fdr_treasury_or_neither() {
        let dir = tempfile::tempdir().unwrap();
        let fdr = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../mpd-tracciato/testdata/fdr/fdr-esempio.xml");
        let scrivi = |nome: &str, byte: &[u8]| {
            let p = dir.path().join(nome);
            std::fs::write(&p, byte).unwrap();
            p
        };
        let file = [
            fdr,
            scrivi(
                "GDC.XML",
                b"<?xml version=\"1.0\"?>\n<flusso_giornale_di_cassa xmlns=\"x\"/>",
            ),
            scrivi("giornale.csv", b"anno;numero\n"),
            scrivi("estratto.txt", b"CONTO;IT60X0542811101000000123456\n"),
            scrivi("movimenti.dat", b"PK\x03\x04resto"),
            scrivi("rotto.xml", b"<FlussoRiversam"),
            scrivi("altro.xml", b"<fattura/>"),
            scrivi("nota.pdf", b"%PDF-1.4"),
        ];
        let r = riconosci_file(&file).unwrap();
        let tipi: Vec<(&str, TipoFile)> = r.iter().map(|f| (f.nome.as_str(), f.tipo)).collect();
        assert_eq!(
            tipi,
            [
                ("fdr-esempio.xml", TipoFile::Fdr),
                ("GDC.XML", TipoFile::Tesoreria),
                ("giornale.csv", TipoFile::Tesoreria),
                ("estratto.txt", TipoFile::Tesoreria),
                ("movimenti.dat", TipoFile::Tesoreria),
                ("rotto.xml", TipoFile::Fdr),
                ("altro.xml", TipoFile::Altro),
                ("nota.pdf", TipoFile::Altro),
            ]
        );
        assert_eq!(r[1].motivo, "giornale di cassa OPI");
        assert_eq!(r[3].motivo, "estratto conto Poste");
        assert_eq!(
            r[6].motivo,
            "«altro.xml»: l'elemento principale è «fattura», né un flusso di rendicontazione \
             né un giornale di cassa OPI"
        );
        assert!(
            r[7].motivo.starts_with("«nota.pdf»: si importano"),
            "{}",
            r[7].motivo
        );
        let e = riconosci_file(&[dir.path().join("manca.csv")]).unwrap_err();
        assert_eq!(e.codice, crate::errore::Codice::LetturaFile);
        assert!(
            e.messaggio.starts_with("impossibile leggere «manca.csv»"),
            "{}",
            e.messaggio
        );

        let app = App::new(
            Some(dir.path().join("db.sqlite")),
            crate::ConnectOptions::default(),
            crate::connessione::keyring(),
        );
        let c = carica(&app, "giornale.CSV", b"anno;numero\n").unwrap();
        assert_eq!(c.nome, "giornale.CSV");
        let e = carica(&app, "nota.pdf", b"%PDF").unwrap_err();
        assert_eq!(e.codice, crate::errore::Codice::FileNonValido);
    }
}
