//! How long the app keeps the files it writes into its own folders (issue 17 item 7): flows
//! and their result files (`flussi/`, `flussi/esiti/`), MyPay's exports of paid positions
//! (`ricevute/`) and the counter's notice PDFs (`avvisi/`). By default a year, then they are
//! deleted; the clerk may choose another period or «never».
//!
//! Only files go: the database keeps every row (a flow's record, its outcome, the receipts
//! read from an export). A flow whose outcome is not known yet (built, authorised, uploaded,
//! processing) keeps its zip and its result files whatever their age. A file's age is its
//! modification time against [`Desk::now`]. Files the clerk saved elsewhere are never looked at.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{CoreError, Desk, Result};

/// The setting: a number of days, or [`MAI`].
pub const SETTING_CONSERVAZIONE: &str = "conservazione.giorni";
/// The last clean-up's outcome (JSON of [`Pulizia`]).
pub const SETTING_ULTIMA_PULIZIA: &str = "conservazione.ultima";
/// The stored value for «never delete».
const MAI: &str = "mai";
/// The default: one year.
pub const GIORNI_PREDEFINITI: u32 = 365;
/// The shortest period allowed: a month (a shorter one would delete a flow's results before
/// the clerk has read them).
pub const GIORNI_MINIMI: u32 = 30;
/// The longest period that is a number of days (ten years); beyond it, «never».
pub const GIORNI_MASSIMI: u32 = 3650;

/// How long the app's own files are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Conservazione {
    /// Deleted when older than this many days.
    Giorni(u32),
    /// Never deleted.
    Sempre,
}

impl Default for Conservazione {
    fn default() -> Self {
        Conservazione::Giorni(GIORNI_PREDEFINITI)
    }
}

impl Conservazione {
    /// A period the clerk chose (`None`: never delete), checked.
    pub fn scelta(giorni: Option<u32>) -> Result<Conservazione> {
        match giorni {
            None => Ok(Conservazione::Sempre),
            Some(g) if (GIORNI_MINIMI..=GIORNI_MASSIMI).contains(&g) => {
                Ok(Conservazione::Giorni(g))
            }
            Some(g) => Err(CoreError::Invalid(format!(
                "conservazione dei file: {g} giorni non è ammesso; da {GIORNI_MINIMI} a \
                 {GIORNI_MASSIMI} giorni, oppure «mai» per non eliminarli"
            ))),
        }
    }

    /// The days, `None` for never.
    pub fn giorni(self) -> Option<u32> {
        match self {
            Conservazione::Giorni(g) => Some(g),
            Conservazione::Sempre => None,
        }
    }

    /// In Italian, for both front ends: «1 anno», «90 giorni», «sempre (mai eliminati)».
    pub fn descrizione(self) -> String {
        match self {
            Conservazione::Sempre => "sempre (i file non vengono mai eliminati)".into(),
            Conservazione::Giorni(g) if g % 365 == 0 && g / 365 == 1 => "1 anno".into(),
            Conservazione::Giorni(g) if g % 365 == 0 => format!("{} anni", g / 365),
            Conservazione::Giorni(g) => format!("{g} giorni"),
        }
    }
}

/// What a clean-up deleted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pulizia {
    /// When it ran (RFC 3339, UTC).
    pub quando: String,
    /// Files deleted.
    pub file: u64,
    /// Their size in bytes.
    pub byte: u64,
    /// Old files kept because their flow's outcome is not known yet.
    pub trattenuti: u64,
}

impl Desk {
    /// The retention setting (the default when never set).
    pub fn conservazione(&self) -> Result<Conservazione> {
        Ok(
            match self.store.setting(SETTING_CONSERVAZIONE)?.as_deref() {
                None => Conservazione::default(),
                Some(MAI) => Conservazione::Sempre,
                Some(v) => v
                    .parse()
                    .ok()
                    .and_then(|g| Conservazione::scelta(Some(g)).ok())
                    .unwrap_or_default(),
            },
        )
    }

    /// Stores the retention setting.
    pub fn set_conservazione(&self, c: Conservazione) -> Result<()> {
        let v = match c {
            Conservazione::Giorni(g) => g.to_string(),
            Conservazione::Sempre => MAI.into(),
        };
        Ok(self.store.set_setting(SETTING_CONSERVAZIONE, &v)?)
    }

    /// The last clean-up, if one ran.
    pub fn ultima_pulizia(&self) -> Result<Option<Pulizia>> {
        Ok(self
            .store
            .setting(SETTING_ULTIMA_PULIZIA)?
            .and_then(|v| serde_json::from_str(&v).ok()))
    }

    /// Deletes the app's own files older than the retention period (nothing when «never»),
    /// keeps those of flows whose outcome is not known yet, and records what it did.
    pub fn applica_conservazione(&self) -> Result<Pulizia> {
        let now = self.now();
        let mut pulizia = Pulizia {
            quando: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ..Pulizia::default()
        };
        if let Conservazione::Giorni(g) = self.conservazione()? {
            let limite = now - chrono::Duration::days(i64::from(g));
            let in_corso = self.store.flussi_in_corso()?;
            let zip_in_corso: Vec<PathBuf> = in_corso
                .iter()
                .map(|f| PathBuf::from(&f.percorso_zip))
                .collect();
            let nomi_in_corso: Vec<&str> = in_corso.iter().map(|f| f.nome.as_str()).collect();
            let trattenuto = |p: &Path| {
                zip_in_corso.iter().any(|z| z == p)
                    || p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| nomi_in_corso.iter().any(|f| n.starts_with(f)))
            };
            let flussi = self.default_flows_dir();
            let base = self.cartella_file();
            for dir in [
                flussi.join("esiti"),
                flussi,
                base.join("ricevute"),
                base.join("avvisi"),
                // The FdR downloaded from MyPay (and its quadrature): copies of what the
                // archive already holds, read once at the download.
                base.join("rendicontazione").join("quadrature"),
                base.join("rendicontazione"),
            ] {
                pulisci_cartella(&dir, limite, &trattenuto, &mut pulizia);
            }
        }
        let json = serde_json::to_string(&pulizia).unwrap_or_default();
        self.store.set_setting(SETTING_ULTIMA_PULIZIA, &json)?;
        if pulizia.file > 0 {
            tracing::info!(
                file = pulizia.file,
                byte = pulizia.byte,
                "retention: old files deleted"
            );
        }
        Ok(pulizia)
    }

    /// [`Desk::applica_conservazione`] once a day: at the window's start and upkeep, at the end
    /// of a CLI command. `None` when it already ran today.
    pub fn conservazione_periodica(&self) -> Result<Option<Pulizia>> {
        let oggi = self.now().date_naive();
        let gia = self
            .ultima_pulizia()?
            .and_then(|p| DateTime::parse_from_rfc3339(&p.quando).ok())
            .is_some_and(|t| t.with_timezone(&Utc).date_naive() == oggi);
        if gia {
            return Ok(None);
        }
        self.applica_conservazione().map(Some)
    }
}

/// Deletes the regular files of `dir` (not its subfolders, not links) modified before
/// `limite`, except those `trattenuto` keeps. A file that cannot be read or deleted is left.
fn pulisci_cartella(
    dir: &Path,
    limite: DateTime<Utc>,
    trattenuto: &dyn Fn(&Path) -> bool,
    pulizia: &mut Pulizia,
) {
    let Ok(voci) = std::fs::read_dir(dir) else {
        return;
    };
    let limite = SystemTime::from(limite);
    for voce in voci.flatten() {
        let Ok(meta) = voce.metadata() else {
            continue;
        };
        if !meta.file_type().is_file() || meta.modified().map_or(true, |m| m >= limite) {
            continue;
        }
        let path = voce.path();
        if trattenuto(&path) {
            pulizia.trattenuti += 1;
            continue;
        }
        if std::fs::remove_file(&path).is_ok() {
            pulizia.file += 1;
            pulizia.byte += meta.len();
        }
    }
}

#[cfg(test)]
mod tests;
