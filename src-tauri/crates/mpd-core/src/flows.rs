//! `flow build` and `flow check`.
//!
//! Build: the debts waiting to go (new ones as `I`, loaded ones the clerk changed as `M`,
//! deleted ones as `A`, each as a full row: MyPay replaces the whole debt, spec §4.5) are
//! checked again, written as one or more zips no larger than MyPay's upload limit, and marked
//! `sent` in the same transaction that records the flows.
//!
//! Check: a zip is judged offline exactly as MyPay would judge it for the stored Ente (file
//! name, the row rules and their `cod_rifiuto` codes, IUDs repeated in the file), plus our
//! stricter `MPD_…` rules.

use std::io::BufReader;
use std::path::{Path, PathBuf};

use mpd_domain::validate::{self, IudTracker};
use mpd_domain::{Column, Finding, RawRow, Version};
use mpd_store::NewFlusso;
use mpd_tracciato::flow_name::FlowName;
use mpd_tracciato::flow_zip::{self, BuildOptions, FlowZipReader, ZipLimits};
use mpd_tracciato::import::ImportReader;
use serde::Serialize;

use crate::report::{Problem, RowReport, problem};
use crate::{CoreError, Desk, Result};

/// One zip written by `flow build`.
#[derive(Debug, Clone, Serialize)]
pub struct BuiltFlowView {
    pub id: i64,
    pub nome: String,
    pub percorso: String,
    pub righe: usize,
    pub byte_zip: u64,
    pub byte_csv: u64,
}

/// What `flow build` did.
#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
    pub versione: String,
    pub flussi: Vec<BuiltFlowView>,
    pub righe_i: usize,
    pub righe_m: usize,
    pub righe_a: usize,
    /// Pending debts left out, and why (they stay pending).
    pub esclusi: Vec<RowReport>,
}

/// A row `flow check` rejects.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RejectedRow {
    /// Data row number, from 1, as MyPay counts it.
    pub row: usize,
    pub iud: String,
    pub codes: Vec<String>,
    pub messages: Vec<String>,
}

/// What `flow check` found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub file: String,
    pub version: String,
    pub rows: usize,
    pub rejected: Vec<RejectedRow>,
    /// Rows with only warnings (MyPay would load them).
    pub warnings: Vec<RejectedRow>,
}

/// Why `flow check` could not judge the rows at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("{0}")]
    Unreadable(String),
    #[error("{0}")]
    Misnamed(String),
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// Makes a stored row fit `version`, or says why it cannot.
fn fit_row(row: &RawRow, version: Version) -> std::result::Result<RawRow, String> {
    let mut row = row.clone();
    if row
        .get(Column::FlagMultiBeneficiario)
        .eq_ignore_ascii_case("true")
        && version < Version::V1_4
    {
        return Err(format!(
            "ha un ente secondario (multibeneficiario): serve il tracciato 1_4, non {version}"
        ));
    }
    if !row.get(Column::Bilancio).is_empty() && version < Version::V1_2 {
        return Err(format!(
            "ha il bilancio: serve il tracciato 1_2 o successivo, non {version}"
        ));
    }
    if version < Version::V1_3 {
        // Without the column MyPay generates no IUV: the debt is payable from MyPay's portal only.
        row.set(Column::FlagGeneraIuv, "");
    }
    for c in Column::ALL {
        if !version.has(c) {
            row.set(c, "");
        }
    }
    Ok(row)
}

/// Which tracciato version each debt goes out in (issue 15): `base` for all, except the debts
/// with a secondary beneficiary when `base` cannot carry them (before 1_4): those go in a flow
/// of their own in `multibeneficiario`, or, when the platform cannot take that version, stay
/// waiting with its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PianoVersioni {
    pub base: Version,
    pub multibeneficiario: std::result::Result<Version, String>,
}

impl PianoVersioni {
    /// Every debt in `v` (a debt with a secondary beneficiary only if `v` is 1_4).
    pub fn unica(v: Version) -> PianoVersioni {
        PianoVersioni {
            base: v,
            multibeneficiario: if v >= Version::V1_4 {
                Ok(v)
            } else {
                Err(format!(
                    "ha un ente secondario (multibeneficiario): serve il tracciato 1_4, non {v}"
                ))
            },
        }
    }
}

/// One flow group of a build: its version and its debts (id, action, fitted row).
struct Gruppo {
    version: Version,
    righe: Vec<(i64, mpd_domain::Azione, RawRow)>,
}

impl Desk {
    /// `flow build`: every debt waiting to go.
    pub fn build_flows(&mut self, version: Version, out_dir: Option<&Path>) -> Result<BuildReport> {
        self.build_flows_of(version, out_dir, None)
    }

    /// Builds flows of the debts waiting to go of one payment type (`tipo`), or of all.
    pub fn build_flows_of(
        &mut self,
        version: Version,
        out_dir: Option<&Path>,
        tipo: Option<&str>,
    ) -> Result<BuildReport> {
        self.build_flows_piano(&PianoVersioni::unica(version), out_dir, tipo)
    }

    /// Builds flows by a [`PianoVersioni`]: one group of flows per version, recorded in one
    /// transaction; each group has its own IUF (MyPay refuses an IUF twice).
    pub fn build_flows_piano(
        &mut self,
        piano: &PianoVersioni,
        out_dir: Option<&Path>,
        tipo: Option<&str>,
    ) -> Result<BuildReport> {
        let version = piano.base;
        // The app's own flows folder is private to the user, and so are its zips; a folder the
        // clerk named (`--out`) is theirs: its files keep what the OS gives.
        let privati = out_dir.is_none();
        let out_dir: PathBuf = out_dir
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.default_flows_dir());
        let fatto = if privati {
            mpd_privato::cartella(&out_dir)
        } else {
            std::fs::create_dir_all(&out_dir)
        };
        fatto.map_err(|source| CoreError::Write {
            path: out_dir.display().to_string(),
            source,
        })?;
        let mut report = BuildReport {
            versione: version.as_str().to_string(),
            flussi: Vec::new(),
            righe_i: 0,
            righe_m: 0,
            righe_a: 0,
            esclusi: Vec::new(),
        };
        let multi_version = piano.multibeneficiario.as_ref().ok().copied();
        let mut gruppi: Vec<Gruppo> = std::iter::once(version)
            .chain(multi_version.filter(|m| *m != version))
            .map(|v| Gruppo {
                version: v,
                righe: Vec::new(),
            })
            .collect();
        let mut contesti = Vec::new();
        for g in &gruppi {
            contesti.push(self.rules(g.version)?);
        }
        for d in self.store.dovuti_da_inviare()? {
            if tipo.is_some_and(|t| d.row.get(mpd_domain::Column::TipoDovuto) != t) {
                continue;
            }
            let multi = d
                .row
                .get(Column::FlagMultiBeneficiario)
                .eq_ignore_ascii_case("true");
            let (gi, fitted) = match (multi && version < Version::V1_4, &piano.multibeneficiario) {
                (false, _) => (0, fit_row(&d.row, version)),
                (true, Ok(m)) => {
                    let gi = gruppi.iter().position(|g| g.version == *m).unwrap_or(0);
                    (gi, fit_row(&d.row, *m))
                }
                (true, Err(why)) => (0, Err(why.clone())),
            };
            let ctx = contesti[gi].context();
            let findings: Vec<Finding> = match &fitted {
                Ok(row) => validate::validate_row(row, &ctx)
                    .into_iter()
                    .filter(Finding::is_error)
                    .collect(),
                Err(why) => vec![Finding::strict("MPD_VERSIONE_TRACCIATO", None, why.clone())],
            };
            if !findings.is_empty() {
                report.esclusi.push(RowReport {
                    riga: d.sorgente_riga.unwrap_or(0) as usize,
                    iud: d.iud.clone(),
                    problemi: findings.iter().map(|f| problem(f, Some(&d.row))).collect(),
                    bozza: false,
                    pagatore: d
                        .row
                        .get(mpd_domain::Column::AnagraficaPagatore)
                        .to_string(),
                    importo: d.row.get(mpd_domain::Column::ImportoDovuto).to_string(),
                });
                continue;
            }
            let azione = d.azione_pendente.unwrap_or(mpd_domain::Azione::Inserimento);
            match azione {
                mpd_domain::Azione::Inserimento => report.righe_i += 1,
                mpd_domain::Azione::Modifica => report.righe_m += 1,
                mpd_domain::Azione::Annullamento => report.righe_a += 1,
            }
            gruppi[gi]
                .righe
                .push((d.id, azione, fitted.expect("checked above")));
        }
        let now = self.now();
        let ipa = contesti[0].ente.codice_ipa.clone();
        let mut new: Vec<NewFlusso> = Vec::new();
        let mut views = Vec::new();
        for (n, g) in gruppi
            .iter()
            .enumerate()
            .filter(|(_, g)| !g.righe.is_empty())
        {
            // IUF: unique per Ente forever, no '-', at most 50 characters (spec §4.1); a
            // second group of the same build gets a letter of its own.
            let mut iuf = format!("MPD{}", now.format("%Y%m%d%H%M%S%3f"));
            if n > 0 {
                iuf.push(char::from(b'A' + n as u8));
            }
            let rows: Vec<RawRow> = g.righe.iter().map(|r| r.2.clone()).collect();
            let ids: Vec<(i64, mpd_domain::Azione)> = g.righe.iter().map(|r| (r.0, r.1)).collect();
            let built = flow_zip::build_flows(
                &out_dir,
                &ipa,
                &iuf,
                g.version,
                &rows,
                &BuildOptions {
                    privati,
                    ..BuildOptions::default()
                },
            )
            .map_err(|e| CoreError::Invalid(e.to_string()))?;
            for b in &built {
                new.push(NewFlusso {
                    nome: b.name.stem(),
                    iuf: b.name.iuf.clone(),
                    versione: g.version.as_str().to_string(),
                    percorso_zip: b.path.display().to_string(),
                    byte_zip: b.compressed_bytes as i64,
                    byte_csv: b.uncompressed_bytes as i64,
                    righe: ids[b.rows.clone()].to_vec(),
                });
                views.push(BuiltFlowView {
                    id: 0,
                    nome: b.name.zip_name(),
                    percorso: b.path.display().to_string(),
                    righe: b.rows.len(),
                    byte_zip: b.compressed_bytes,
                    byte_csv: b.uncompressed_bytes,
                });
            }
        }
        if new.is_empty() {
            return Ok(report);
        }
        let flow_ids = self.store.record_flussi(&new, now)?;
        for (mut v, id) in views.into_iter().zip(flow_ids) {
            v.id = id;
            report.flussi.push(v);
        }
        Ok(report)
    }

    /// `flow check`.
    pub fn check_flow(&self, zip_path: &Path) -> std::result::Result<CheckReport, CheckError> {
        let file_name = zip_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name =
            FlowName::parse_zip(&file_name).map_err(|e| CheckError::Misnamed(e.to_string()))?;
        let rules = self.rules(name.version)?;
        if !name.codice_ipa.eq_ignore_ascii_case(&rules.ente.codice_ipa) {
            return Err(CheckError::Misnamed(format!(
                "il file è dell'Ente «{}», ma il profilo è dell'Ente «{}»: MyPay lo rifiuterebbe",
                name.codice_ipa, rules.ente.codice_ipa
            )));
        }
        let ctx = rules.context();
        let mut zip = FlowZipReader::open_path(zip_path, &ZipLimits::default())
            .map_err(|e| CheckError::Unreadable(e.to_string()))?;
        let csv = zip
            .csv()
            .map_err(|e| CheckError::Unreadable(e.to_string()))?;
        let reader = ImportReader::new(BufReader::with_capacity(1 << 20, csv), name.version)
            .map_err(|e| CheckError::Unreadable(e.to_string()))?;
        let mut report = CheckReport {
            file: file_name,
            version: name.version.as_str().to_string(),
            rows: 0,
            rejected: Vec::new(),
            warnings: Vec::new(),
        };
        let mut tracker = IudTracker::default();
        for record in reader {
            let record = record.map_err(|e| CheckError::Unreadable(e.to_string()))?;
            report.rows += 1;
            let (row, mut findings) = match record.fields {
                Ok(row) => {
                    let f = validate::validate_row(&row, &ctx);
                    (Some(row), f)
                }
                Err(e) => (
                    None,
                    vec![Finding::mypay(
                        "PAA_IMPORT_SINTASSI_CSV",
                        None,
                        format!("{}: controlli separatori e virgolette", e.kind),
                    )],
                ),
            };
            let iud = row
                .as_ref()
                .map(|r| r.get(Column::Iud).to_string())
                .unwrap_or_default();
            if row.is_some()
                && let Some(f) = tracker.check(&iud)
            {
                findings.push(f);
            }
            let rejected = findings.iter().any(Finding::is_error);
            // MyPay counts an IUD as taken only once its row loads (spec §4.4 step 2).
            if !findings
                .iter()
                .any(|f| f.is_error() && f.rule == mpd_domain::Rule::MyPay)
            {
                tracker.mark_loaded(&iud);
            }
            if findings.is_empty() {
                continue;
            }
            let problems: Vec<Problem> =
                findings.iter().map(|f| problem(f, row.as_ref())).collect();
            let entry = RejectedRow {
                row: record.row,
                iud,
                codes: problems.iter().map(|p| p.codice.clone()).collect(),
                messages: problems
                    .iter()
                    .map(|p| match &p.campo {
                        Some(c) => format!("{c}: {}", p.messaggio),
                        None => p.messaggio.clone(),
                    })
                    .collect(),
            };
            if rejected {
                report.rejected.push(entry)
            } else {
                report.warnings.push(entry)
            }
        }
        Ok(report)
    }
}
