//! The notices of a campaign (issue 14 item 5): every household's pagoPA notice of a payment
//! type and/or a year, or of one payer.
//!
//! [`prepara`] says what a run would do (how many notices and payment options, the positions
//! skipped with their reason, the files it writes); [`genera`] writes them: one PDF per
//! household (its name from a pattern), the merged print files sorted by postcode and address
//! with every notice on an odd page (at most [`PER_FILE`] notices each, so memory stays
//! bounded), and the manifest as CSV and XLSX for the mail merge and the postal service.
//!
//! Nothing half-written is left behind: everything is written in a staging folder inside the
//! destination and moved in place at the end; a cancelled or failed run removes it. The
//! households' PDFs are drawn on other threads (one per core) while this one draws the print file.

use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::Datelike;
use mpd_avviso::{Avviso, Opzioni};
use mpd_core::Desk;
use mpd_sheets::export::{ExportValue, Sheet};
use mpd_store::posizioni::FiltroPosizioni;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AvvisoPosizione, MotivoEsclusione, avviso_posizione, ente_stampa, errore_avviso};
use crate::errore::{Codice, Errore, Risultato};
use crate::{App, Lavoro};

/// Notices per print file unless the clerk says otherwise.
pub const PER_FILE: usize = 2_000;
/// Most notices in one print file (a print file is built in memory before it is written).
pub const MAX_PER_FILE: usize = 10_000;
/// The households' file names unless the clerk says otherwise.
pub const MODELLO_NOME: &str = "{cf}_{codice}.pdf";
/// The placeholders of a file-name pattern.
pub const SEGNAPOSTI: [&str; 3] = ["{cf}", "{codice}", "{posizione}"];

/// Which positions get a notice: of a payment type and/or whose first due date falls in a
/// year, or those of one payer. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Campagna {
    /// The payment type's code ("TARI").
    #[serde(default)]
    pub tipo: Option<String>,
    /// The year of the position's first due date.
    #[serde(default)]
    pub anno: Option<i32>,
    /// The payer's fiscal code or partita IVA.
    #[serde(default)]
    pub codice_fiscale: Option<String>,
}

impl Campagna {
    fn tipo(&self) -> Option<String> {
        self.tipo
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    }

    fn codice_fiscale(&self) -> Option<String> {
        self.codice_fiscale
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_uppercase)
    }

    /// The campaign in a file name: `TARI_2027`, `tutte`.
    fn nome(&self) -> String {
        let parti: Vec<String> = [
            self.tipo(),
            self.anno.map(|a| a.to_string()),
            self.codice_fiscale(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parti.is_empty() {
            "tutte".into()
        } else {
            nome_sicuro(&parti.join("_"))
        }
    }
}

/// How [`genera`] writes.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct OpzioniLotto {
    /// The destination folder (created if missing).
    pub cartella: String,
    /// The households' file names: [`MODELLO_NOME`] when empty; placeholders [`SEGNAPOSTI`].
    #[serde(default)]
    pub modello_nome: Option<String>,
    /// Notices per print file: [`PER_FILE`] when empty.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub per_file: Option<usize>,
}

/// A position that gets no notice.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PosizioneEsclusa {
    pub posizione: String,
    pub codice_fiscale: String,
    pub nominativo: String,
    pub motivo: MotivoEsclusione,
    /// Why, in the clerk's words.
    pub messaggio: String,
}

/// The skipped positions of one reason.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GruppoEsclusi {
    pub motivo: MotivoEsclusione,
    /// "già pagate", "senza IUV: …".
    pub descrizione: String,
    pub quante: usize,
}

/// What a run would write.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PianoAvvisi {
    pub campagna: Campagna,
    /// Households with a notice.
    pub avvisi: usize,
    /// Payment options on them (each a payment code).
    pub opzioni: usize,
    /// Positions without a notice, grouped by reason (in the order of [`MotivoEsclusione`]).
    pub gruppi_esclusi: Vec<GruppoEsclusi>,
    /// Each of them, with its reason.
    pub esclusi: Vec<PosizioneEsclusa>,
    /// Notices per print file.
    pub per_file: usize,
    /// The merged print files, in order.
    pub file_stampa: Vec<String>,
    /// The manifest's files (CSV, XLSX).
    pub manifesto: Vec<String>,
    /// The position whose notice comes first in the print file (for the preview).
    pub prima_posizione: Option<String>,
}

/// One payment code of a household, as the manifest lists it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PagamentoManifesto {
    /// 0 the rata unica, 1–12 an instalment.
    pub rata: u8,
    /// "rata unica", "rata 2".
    pub etichetta: String,
    /// The 18-digit notice code.
    pub codice_avviso: String,
    #[ts(type = "number")]
    pub importo_cents: i64,
    /// `80,00`.
    pub importo: String,
    /// `30/04/2027`, or empty.
    pub scadenza: String,
}

/// One household of the manifest.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RigaManifesto {
    pub posizione: String,
    pub codice_fiscale: String,
    pub nominativo: String,
    pub indirizzo: String,
    pub cap: String,
    pub localita: String,
    pub provincia: String,
    /// E-mail or PEC, where known.
    pub email: String,
    pub pagamenti: Vec<PagamentoManifesto>,
    /// Pages of its notice.
    pub pagine: usize,
    /// Its own PDF's file name.
    pub file: String,
    /// The print file it is in, and its first page there (odd).
    pub file_stampa: String,
    pub prima_pagina: usize,
}

/// One merged print file written.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FileStampa {
    pub file: String,
    pub avvisi: usize,
    /// Pages, blank ones included.
    pub pagine: usize,
    #[ts(type = "number")]
    pub byte: u64,
}

/// What [`genera`] wrote.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EsitoAvvisi {
    pub cartella: String,
    pub avvisi: usize,
    pub opzioni: usize,
    pub file_stampa: Vec<FileStampa>,
    pub manifesto_csv: String,
    pub manifesto_xlsx: String,
    /// The households' PDFs together, in bytes.
    #[ts(type = "number")]
    pub byte_avvisi: u64,
    pub esclusi: Vec<PosizioneEsclusa>,
    /// The manifest: one row per household, in print order.
    pub righe: Vec<RigaManifesto>,
}

/// How far a run is: notices drawn of the total.
#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct AvanzamentoAvvisi {
    pub fatti: usize,
    pub totale: usize,
}

/// The households with a notice, in print order, and the positions skipped.
struct Selezione {
    avvisi: Vec<AvvisoPosizione>,
    esclusi: Vec<PosizioneEsclusa>,
    oggi: chrono::NaiveDate,
}

/// `Via Roma 10` after `Via Roma 9`: runs of digits compare as numbers.
fn chiave_naturale(s: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut testo = String::new();
    let mut cifre = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            cifre.push(c);
        } else {
            if !cifre.is_empty() {
                out.push((
                    std::mem::take(&mut testo),
                    cifre.parse().unwrap_or(u64::MAX),
                ));
                cifre.clear();
            }
            testo.extend(c.to_lowercase());
        }
    }
    if !cifre.is_empty() || !testo.is_empty() {
        out.push((testo, cifre.parse().unwrap_or(0)));
    }
    out
}

fn seleziona(desk: &Desk, campagna: &Campagna) -> Risultato<Selezione> {
    let ente = ente_stampa(desk)?;
    let filtro = FiltroPosizioni {
        tipo_dovuto: campagna.tipo(),
        codice_pagatore: campagna.codice_fiscale(),
        da_allineare: false,
        limite: 0,
    };
    let mut avvisi = Vec::new();
    let mut esclusi = Vec::new();
    for p in desk.posizioni(&filtro)? {
        if let Some(anno) = campagna.anno {
            let prima = p
                .opzioni
                .iter()
                .filter_map(|o| mpd_domain::dates::parse_date_strict(&o.scadenza).ok())
                .min();
            if prima.map(|d| d.year()) != Some(anno) {
                continue;
            }
        }
        let escludi = |motivo, messaggio| PosizioneEsclusa {
            posizione: p.codice.clone(),
            codice_fiscale: p.codice_pagatore.clone(),
            nominativo: p.anagrafica.clone(),
            motivo,
            messaggio,
        };
        let a = match avviso_posizione(desk, &ente, &p)? {
            Ok(a) => a,
            Err(n) => {
                esclusi.push(escludi(n.motivo, n.messaggio));
                continue;
            }
        };
        let problemi = a.avviso.verifica();
        // The Ente's own data are the same on every notice: the whole campaign stops.
        if let Some(e) = problemi.iter().find(|x| x.campo.starts_with("Ente")) {
            return Err(Errore::new(
                Codice::ProfiloEnte,
                format!("gli avvisi non si possono stampare: {e}; lo corregga nei dati dell'Ente"),
            ));
        }
        if !problemi.is_empty() {
            let elenco: Vec<String> = problemi.iter().map(ToString::to_string).collect();
            esclusi.push(escludi(
                MotivoEsclusione::DatiMancanti,
                format!("posizione {}: {}", p.codice, elenco.join("; ")),
            ));
            continue;
        }
        // A printed batch goes by post: no street or no postcode and town, no notice.
        if a.recapito.via.is_empty() || a.recapito.cap.is_empty() || a.recapito.localita.is_empty()
        {
            esclusi.push(escludi(
                MotivoEsclusione::DatiMancanti,
                format!(
                    "posizione {}: manca l'indirizzo del destinatario (via, CAP e comune) per la spedizione",
                    p.codice
                ),
            ));
            continue;
        }
        avvisi.push(a);
    }
    avvisi.sort_by_cached_key(|a| {
        (
            a.recapito.cap.clone(),
            chiave_naturale(&a.recapito.via),
            a.avviso.destinatario.nome.to_lowercase(),
            a.posizione.clone(),
        )
    });
    esclusi.sort_by(|a, b| (a.motivo, &a.posizione).cmp(&(b.motivo, &b.posizione)));
    Ok(Selezione {
        avvisi,
        esclusi,
        oggi: desk.today(),
    })
}

fn per_file(n: Option<usize>) -> Risultato<usize> {
    match n.unwrap_or(PER_FILE) {
        0 => Err(Errore::argomento(
            "gli avvisi per file di stampa devono essere almeno 1",
        )),
        n if n > MAX_PER_FILE => Err(Errore::argomento(format!(
            "al massimo {} avvisi per file di stampa",
            mpd_domain::testo::numero(MAX_PER_FILE)
        ))),
        n => Ok(n),
    }
}

/// The names of the print files and of the manifest.
fn nomi_file(campagna: &Campagna, avvisi: usize, per_file: usize) -> (Vec<String>, [String; 2]) {
    let nome = campagna.nome();
    let quanti = avvisi.div_ceil(per_file);
    let stampa = (1..=quanti)
        .map(|i| format!("stampa_{nome}_{i:03}.pdf"))
        .collect();
    (
        stampa,
        [
            format!("manifesto_{nome}.csv"),
            format!("manifesto_{nome}.xlsx"),
        ],
    )
}

fn gruppi(esclusi: &[PosizioneEsclusa]) -> Vec<GruppoEsclusi> {
    let mut out: Vec<GruppoEsclusi> = Vec::new();
    for e in esclusi {
        match out.iter_mut().find(|g| g.motivo == e.motivo) {
            Some(g) => g.quante += 1,
            None => out.push(GruppoEsclusi {
                motivo: e.motivo,
                descrizione: e.motivo.descrizione().to_string(),
                quante: 1,
            }),
        }
    }
    out.sort_by_key(|g| g.motivo);
    out
}

/// What a run for `campagna` would write, with `per_file` notices per print file
/// ([`PER_FILE`] when `None`): nothing is written.
pub fn prepara(app: &App, campagna: &Campagna, per_file: Option<usize>) -> Risultato<PianoAvvisi> {
    let n = self::per_file(per_file)?;
    let s = app.con_desk(|desk| seleziona(desk, campagna))?;
    let (file_stampa, manifesto) = nomi_file(campagna, s.avvisi.len(), n);
    Ok(PianoAvvisi {
        campagna: campagna.clone(),
        avvisi: s.avvisi.len(),
        opzioni: s.avvisi.iter().map(|a| a.avviso.pagamenti().count()).sum(),
        gruppi_esclusi: gruppi(&s.esclusi),
        esclusi: s.esclusi,
        per_file: n,
        file_stampa,
        manifesto: manifesto.to_vec(),
        prima_posizione: s.avvisi.first().map(|a| a.posizione.clone()),
    })
}

/// A file name with only letters, digits, `.`, `_` and `-` (others become `_`), never hidden
/// nor empty, at most 120 characters.
pub fn nome_sicuro(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    while out.starts_with('.') {
        out.replace_range(0..1, "_");
    }
    if out.chars().count() > 120 {
        out = out.chars().take(120).collect();
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// The households' file names of `modello`, checked: only the known placeholders.
fn controlla_modello(modello: Option<&str>) -> Risultato<String> {
    let m = modello
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .unwrap_or(MODELLO_NOME);
    let mut resto = m.to_string();
    for s in SEGNAPOSTI {
        resto = resto.replace(s, "");
    }
    if resto.contains('{') || resto.contains('}') {
        return Err(Errore::argomento(format!(
            "il nome dei file «{m}» usa un segnaposto sconosciuto: si possono usare {}",
            SEGNAPOSTI.join(", ")
        )));
    }
    if !SEGNAPOSTI[1..].iter().any(|s| m.contains(s)) {
        return Err(Errore::argomento(format!(
            "il nome dei file «{m}» deve contenere {{codice}} o {{posizione}}, perché ogni avviso abbia il suo file"
        )));
    }
    Ok(m.to_string())
}

/// The file name of one household: the pattern filled in, unsafe characters replaced, `.pdf`
/// at the end, and `-2`, `-3`… when the name is already taken.
fn nome_file(modello: &str, a: &AvvisoPosizione, usati: &mut HashSet<String>) -> String {
    let codice = a
        .avviso
        .pagamenti()
        .next()
        .map(|p| p.codice.clone())
        .unwrap_or_default();
    let cf = a
        .avviso
        .destinatario
        .codice_fiscale
        .clone()
        .unwrap_or_else(|| "ANONIMO".into());
    let pieno = modello
        .replace("{cf}", &cf)
        .replace("{codice}", &codice)
        .replace("{posizione}", &a.posizione);
    let base = pieno
        .strip_suffix(".pdf")
        .or_else(|| pieno.strip_suffix(".PDF"))
        .unwrap_or(&pieno);
    let base = nome_sicuro(base);
    let mut nome = format!("{base}.pdf");
    let mut n = 2;
    while !usati.insert(nome.to_lowercase()) {
        nome = format!("{base}-{n}.pdf");
        n += 1;
    }
    nome
}

/// The staging folder of a run: removed when dropped (after a success it is empty).
struct Appoggio(PathBuf);

/// How a staging folder's name starts (hidden on Unix; the rest is unique per run).
const PREFISSO_APPOGGIO: &str = ".avvisi-in-corso-";

/// Removes the staging folders in `cartella` older than `eta`: a run killed before its end
/// (power cut, task manager) cannot remove its own, and its half-written notices must not
/// lie in the clerk's folder for ever. A younger one may be another window's run: left alone.
fn rimuovi_appoggi_abbandonati(cartella: &Path, eta: std::time::Duration) {
    let Ok(voci) = std::fs::read_dir(cartella) else {
        return;
    };
    for v in voci.flatten() {
        let vecchia = v
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|e| e >= eta);
        if vecchia
            && v.file_name()
                .to_string_lossy()
                .starts_with(PREFISSO_APPOGGIO)
            && v.file_type().is_ok_and(|t| t.is_dir())
        {
            let _ = std::fs::remove_dir_all(v.path());
        }
    }
}

impl Drop for Appoggio {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// How many threads draw the households' own PDFs: one per core, at least one, at most four
/// (the print file is drawn on the calling thread meanwhile).
fn fili_disegno() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 4)
}

fn annullato() -> Errore {
    Errore::new(
        Codice::Annullato,
        "generazione degli avvisi annullata: non è stato scritto nessun file",
    )
}

/// Writes the notices of `campagna` as `opzioni` say, reporting each notice drawn to
/// `lavoro` and stopping at its flag. Cancelled or failed, no file is left behind.
pub fn genera(
    app: &App,
    campagna: &Campagna,
    opzioni: &OpzioniLotto,
    lavoro: &Lavoro<'_, AvanzamentoAvvisi>,
) -> Risultato<EsitoAvvisi> {
    let per_file = self::per_file(opzioni.per_file)?;
    let modello = controlla_modello(opzioni.modello_nome.as_deref())?;
    let cartella = PathBuf::from(opzioni.cartella.trim());
    if opzioni.cartella.trim().is_empty() || !cartella.is_absolute() {
        return Err(Errore::argomento(
            "la cartella degli avvisi dev'essere un percorso completo",
        ));
    }
    let s = {
        let desk = app.desk_di_lavoro()?;
        seleziona(&desk, campagna)?
    };
    if s.avvisi.is_empty() {
        return Err(Errore::new(
            Codice::NonConsentito,
            format!(
                "nessun avviso da stampare per questa campagna ({} posizioni escluse)",
                mpd_domain::testo::numero(s.esclusi.len())
            ),
        ));
    }
    std::fs::create_dir_all(&cartella).map_err(|e| Errore::scrittura(&cartella, &e))?;
    rimuovi_appoggi_abbandonati(&cartella, std::time::Duration::from_secs(24 * 3600));
    let appoggio = Appoggio(cartella.join(format!("{PREFISSO_APPOGGIO}{}", crate::nome_unico())));
    std::fs::create_dir(&appoggio.0).map_err(|e| Errore::scrittura(&cartella, &e))?;
    let (nomi_stampa, [nome_csv, nome_xlsx]) = nomi_file(campagna, s.avvisi.len(), per_file);
    let mut usati: HashSet<String> = nomi_stampa
        .iter()
        .chain([&nome_csv, &nome_xlsx])
        .map(|n| n.to_lowercase())
        .collect();
    let nomi: Vec<String> = s
        .avvisi
        .iter()
        .map(|a| nome_file(&modello, a, &mut usati))
        .collect();
    let opz = Opzioni::new(s.oggi);
    let totale = s.avvisi.len();
    lavoro.segnala(AvanzamentoAvvisi { fatti: 0, totale });

    let mut righe: Vec<RigaManifesto> = Vec::with_capacity(totale);
    let mut file_stampa: Vec<FileStampa> = Vec::new();
    let byte_avvisi = std::thread::scope(|scope| -> Risultato<u64> {
        // The households' PDFs on other threads (one per core: the print file on this one
        // is the lighter half), fed by a queue long enough to keep them busy while this
        // thread writes a print file (a few seconds each; 32 notices starved them) and short
        // enough to keep memory flat (a notice's data is a few KB).
        let (tx, rx) = std::sync::mpsc::sync_channel::<(Avviso, PathBuf)>(1024);
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        let disegnatori: Vec<_> = (0..fili_disegno())
            .map(|_| {
                let (rx, annulla, opz) = (rx.clone(), lavoro.flag(), opz.clone());
                scope.spawn(move || -> Risultato<u64> {
                    let mut byte = 0u64;
                    loop {
                        // The lock is held only while waiting for the next notice.
                        let prossimo = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => break,
                        };
                        let Ok((avviso, percorso)) = prossimo else {
                            break;
                        };
                        if annulla.load(std::sync::atomic::Ordering::SeqCst) {
                            break;
                        }
                        let pdf = mpd_avviso::render(&avviso, &opz)
                            .map_err(|e| errore_avviso(&percorso, e))?;
                        std::fs::write(&percorso, &pdf)
                            .map_err(|e| Errore::scrittura(&percorso, &e))?;
                        byte += pdf.len() as u64;
                    }
                    Ok(byte)
                })
            })
            .collect();
        let mut esito: Risultato<()> = Ok(());
        'file: for (n, (gruppo, nome_stampa)) in
            s.avvisi.chunks(per_file).zip(&nomi_stampa).enumerate()
        {
            let mut lotto = mpd_avviso::Lotto::con_titolo(opz.clone(), &gruppo[0].avviso.oggetto);
            for (i, a) in gruppo.iter().enumerate() {
                if lavoro.annullato() {
                    esito = Err(annullato());
                    break 'file;
                }
                let k = n * per_file + i;
                let percorso = appoggio.0.join(&nomi[k]);
                if tx.send((a.avviso.clone(), percorso)).is_err() {
                    // The other thread stopped on an error: its join says which.
                    break 'file;
                }
                let posto = match lotto.aggiungi(&a.avviso) {
                    Ok(p) => p,
                    Err(e) => {
                        esito = Err(errore_avviso(&cartella.join(nome_stampa), e));
                        break 'file;
                    }
                };
                righe.push(riga(a, &nomi[k], nome_stampa, posto));
                lavoro.segnala(AvanzamentoAvvisi {
                    fatti: k + 1,
                    totale,
                });
            }
            let percorso = appoggio.0.join(nome_stampa);
            let pagine = lotto.pagine();
            let avvisi = lotto.avvisi();
            let scritto = std::fs::File::create(&percorso)
                .map_err(|e| Errore::scrittura(&cartella.join(nome_stampa), &e))
                .and_then(|f| {
                    lotto
                        .scrivi(std::io::BufWriter::new(f))
                        .map_err(|e| errore_avviso(&cartella.join(nome_stampa), e))
                });
            match scritto {
                Ok(byte) => file_stampa.push(FileStampa {
                    file: nome_stampa.clone(),
                    avvisi,
                    pagine,
                    byte: byte as u64,
                }),
                Err(e) => {
                    esito = Err(e);
                    break 'file;
                }
            }
        }
        drop(tx);
        let mut byte = Ok(0u64);
        for d in disegnatori {
            let b = d
                .join()
                .map_err(|_| Errore::interno("il disegno degli avvisi si è interrotto"))?;
            byte = match (byte, b) {
                (Ok(a), Ok(b)) => Ok(a + b),
                (Err(e), _) | (_, Err(e)) => Err(e),
            };
        }
        esito?;
        let byte = byte?;
        if lavoro.annullato() {
            return Err(annullato());
        }
        Ok(byte)
    })?;

    scrivi_manifesto(&appoggio.0, &cartella, &nome_csv, &nome_xlsx, &righe)?;
    if lavoro.annullato() {
        return Err(annullato());
    }
    // Everything is written: moved in place (a file of the same name is replaced).
    for nome in nomi
        .iter()
        .chain(&nomi_stampa)
        .chain([&nome_csv, &nome_xlsx])
    {
        let finale = cartella.join(nome);
        std::fs::rename(appoggio.0.join(nome), &finale)
            .map_err(|e| Errore::scrittura(&finale, &e))?;
    }
    drop(appoggio);
    Ok(EsitoAvvisi {
        cartella: cartella.display().to_string(),
        avvisi: righe.len(),
        opzioni: righe.iter().map(|r| r.pagamenti.len()).sum(),
        file_stampa,
        manifesto_csv: nome_csv,
        manifesto_xlsx: nome_xlsx,
        byte_avvisi,
        esclusi: s.esclusi,
        righe,
    })
}

fn riga(
    a: &AvvisoPosizione,
    file: &str,
    file_stampa: &str,
    posto: mpd_avviso::PosizioneAvviso,
) -> RigaManifesto {
    let r = &a.recapito;
    RigaManifesto {
        posizione: a.posizione.clone(),
        codice_fiscale: a
            .avviso
            .destinatario
            .codice_fiscale
            .clone()
            .unwrap_or_default(),
        nominativo: a.avviso.destinatario.nome.clone(),
        indirizzo: r.via.clone(),
        cap: r.cap.clone(),
        localita: r.localita.clone(),
        provincia: r.provincia.clone(),
        email: r.email.clone(),
        pagamenti: a
            .avviso
            .pagamenti()
            .zip(&a.etichette)
            .map(|(p, (rata, etichetta))| PagamentoManifesto {
                rata: *rata,
                etichetta: etichetta.clone(),
                codice_avviso: p.codice.clone(),
                importo_cents: p.importo_centesimi as i64,
                importo: mpd_avviso::codici::importo_it_cifre(p.importo_centesimi),
                scadenza: p
                    .scadenza
                    .map(mpd_avviso::codici::data_it)
                    .unwrap_or_default(),
            })
            .collect(),
        pagine: posto.pagine,
        file: file.to_string(),
        file_stampa: file_stampa.to_string(),
        prima_pagina: posto.prima_pagina,
    }
}

/// The manifest's columns: the household's, then code, amount and due date of each option
/// any household has (rata unica first), then where its notice is.
fn intestazioni(rate: &BTreeSet<(u8, String)>) -> Vec<String> {
    let mut h: Vec<String> = [
        "Posizione",
        "Codice fiscale",
        "Nominativo",
        "Indirizzo",
        "CAP",
        "Località",
        "Provincia",
        "E-mail o PEC",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (_, etichetta) in rate {
        h.push(format!("Codice avviso {etichetta}"));
        h.push(format!("Importo {etichetta}"));
        h.push(format!("Scadenza {etichetta}"));
    }
    h.extend(
        ["Pagine", "File", "File di stampa", "Prima pagina"]
            .iter()
            .map(|s| s.to_string()),
    );
    h
}

/// One row of the manifest, amounts and dates as the spreadsheet holds them (`csv`: as text,
/// Italian formats).
fn valori(r: &RigaManifesto, rate: &BTreeSet<(u8, String)>) -> Vec<ExportValue> {
    let t = |s: &str| ExportValue::Text(s.to_string());
    let mut v = vec![
        t(&r.posizione),
        t(&r.codice_fiscale),
        t(&r.nominativo),
        t(&r.indirizzo),
        t(&r.cap),
        t(&r.localita),
        t(&r.provincia),
        t(&r.email),
    ];
    for (rata, _) in rate {
        match r.pagamenti.iter().find(|p| p.rata == *rata) {
            Some(p) => {
                v.push(t(&p.codice_avviso));
                v.push(ExportValue::Cents(p.importo_cents));
                v.push(ExportValue::Date(
                    mpd_domain::dates::parse_it(&p.scadenza).ok(),
                ));
            }
            None => v.extend([t(""), t(""), t("")]),
        }
    }
    v.extend([
        t(&r.pagine.to_string()),
        t(&r.file),
        t(&r.file_stampa),
        t(&r.prima_pagina.to_string()),
    ]);
    v
}

fn testo_csv(v: &ExportValue) -> String {
    match v {
        ExportValue::Text(s) => mpd_sheets::export::neutralize(s).into_owned(),
        ExportValue::Cents(c) => mpd_avviso::codici::importo_it_cifre((*c).max(0) as u64),
        ExportValue::Date(d) => d.map(mpd_domain::dates::format_it).unwrap_or_default(),
    }
}

fn scrivi_manifesto(
    appoggio: &Path,
    cartella: &Path,
    nome_csv: &str,
    nome_xlsx: &str,
    righe: &[RigaManifesto],
) -> Risultato<()> {
    let rate: BTreeSet<(u8, String)> = righe
        .iter()
        .flat_map(|r| r.pagamenti.iter().map(|p| (p.rata, p.etichetta.clone())))
        .collect();
    let intestazioni = intestazioni(&rate);
    // CSV: `;` and a BOM, as Excel in Italian opens it.
    let finale = cartella.join(nome_csv);
    let f = std::fs::File::create(appoggio.join(nome_csv))
        .map_err(|e| Errore::scrittura(&finale, &e))?;
    let mut buf = std::io::BufWriter::new(f);
    buf.write_all("\u{feff}".as_bytes())
        .map_err(|e| Errore::scrittura(&finale, &e))?;
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(buf);
    let err_csv = |e: csv::Error| Errore::scrittura_documento(&finale, &e);
    w.write_record(&intestazioni).map_err(err_csv)?;
    for r in righe {
        w.write_record(valori(r, &rate).iter().map(testo_csv))
            .map_err(err_csv)?;
    }
    w.flush().map_err(|e| Errore::scrittura(&finale, &e))?;
    drop(w);
    let finale = cartella.join(nome_xlsx);
    let h: Vec<&str> = intestazioni.iter().map(String::as_str).collect();
    mpd_sheets::export::write_sheet(
        &appoggio.join(nome_xlsx),
        &Sheet {
            name: "Avvisi",
            too_many: "avvisi non stanno in un foglio Excel",
            total_row: false,
        },
        &h,
        righe.iter().map(|r| valori(r, &rate)),
    )
    .map_err(|e| Errore::scrittura_documento(&finale, &e))?;
    Ok(())
}

/// The types of this module the window sees.
#[cfg(test)]
pub(crate) fn tipi_ts(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    Campagna::export_all(cfg)?;
    OpzioniLotto::export_all(cfg)?;
    PianoAvvisi::export_all(cfg)?;
    EsitoAvvisi::export_all(cfg)?;
    AvanzamentoAvvisi::export_all(cfg)?;
    Ok(())
}

#[cfg(test)]
#[path = "lotto_tests.rs"]
mod tests;
