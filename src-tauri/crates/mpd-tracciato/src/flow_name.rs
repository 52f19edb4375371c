//! The name of an import flow: `<codIpa>-<IUF>-<versione>.zip`, holding `<same>.csv` (spec §4.1).
//!
//! Mapping (the name is split on `-`, exactly as MyPay's batch does with `nomeFile.split("-")`):
//!
//! | part | field | rule |
//! |---|---|---|
//! | 1 | [`FlowName::codice_ipa`] | non-empty, no `-` |
//! | 2 | [`FlowName::iuf`] | non-empty, no `-`, at most [`IUF_MAX_LEN`] characters (DB `varchar(50)`) |
//! | 3 | [`FlowName::version`] | `1_0` … `1_4`, case-insensitive |
//!
//! Quirks kept on purpose:
//! * MyPay strips only `.zip` or `.ZIP` before splitting (`replace(".zip","").replace(".ZIP","")`),
//!   so `x-Y-1_4.Zip` is rejected here too, although the upload check accepts any case.
//! * The inner CSV must end in lower-case `.csv` (the batch opens exactly `<nome>.csv`).
//!
//! We add one rule MyPay lacks, because names become file paths on the clerk's disk: no path
//! separators, no control characters, no surrounding spaces.

use std::fmt;
use std::str::FromStr;

use mpd_domain::Version;
use thiserror::Error;

/// Maximum length of the IUF (`mygov_flusso.iuf varchar(50)`).
pub const IUF_MAX_LEN: usize = 50;

const RULE: &str = "il nome del file deve essere <codice IPA>-<IUF>-<versione>.zip";

/// A parsed flow name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FlowName {
    pub codice_ipa: String,
    pub iuf: String,
    pub version: Version,
}

/// Why a flow name is not acceptable. Messages are Italian and name the offending file.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum FlowNameError {
    /// The name does not end in `.zip` / `.ZIP` (or `.csv` for the inner file).
    #[error("«{name}»: {RULE} (estensione {expected} mancante)")]
    WrongExtension {
        name: String,
        expected: &'static str,
    },
    /// Not exactly three `-`-separated parts.
    #[error("«{name}»: {RULE} (trovate {parts} parti separate da «-» invece di 3)")]
    WrongParts { name: String, parts: usize },
    /// One of the parts is empty.
    #[error("«{name}»: {RULE} (una delle tre parti è vuota)")]
    EmptyPart { name: String },
    /// The IUF is longer than [`IUF_MAX_LEN`].
    #[error("«{name}»: l'IUF «{iuf}» è lungo {len} caratteri, il massimo è {IUF_MAX_LEN}")]
    IufTooLong {
        name: String,
        iuf: String,
        len: usize,
    },
    /// The version is not one of `1_0` … `1_4`.
    #[error("«{name}»: la versione «{version}» non è supportata (ammesse 1_0, 1_1, 1_2, 1_3, 1_4)")]
    BadVersion { name: String, version: String },
    /// A character that cannot appear in a file name on the clerk's disk.
    #[error(
        "«{name}»: il nome contiene un carattere non ammesso (spazi iniziali o finali, «/», «\\», caratteri di controllo)"
    )]
    BadCharacter { name: String },
}

impl FlowName {
    /// Builds a name from its parts, checking the same rules as [`FlowName::parse_stem`].
    pub fn new(codice_ipa: &str, iuf: &str, version: Version) -> Result<FlowName, FlowNameError> {
        let stem = format!("{codice_ipa}-{iuf}-{}", version.as_str());
        let name = FlowName::parse_stem(&stem)?;
        // `parse_stem` accepts any case of the version; the parts must round-trip exactly.
        Ok(name)
    }

    /// Parses `<codIpa>-<IUF>-<versione>` (no extension).
    pub fn parse_stem(stem: &str) -> Result<FlowName, FlowNameError> {
        let err_name = || stem.to_string();
        if stem.trim() != stem
            || stem
                .chars()
                .any(|c| c.is_control() || c == '/' || c == '\\')
        {
            return Err(FlowNameError::BadCharacter { name: err_name() });
        }
        let parts: Vec<&str> = stem.split('-').collect();
        if parts.len() != 3 {
            return Err(FlowNameError::WrongParts {
                name: err_name(),
                parts: parts.len(),
            });
        }
        if parts.iter().any(|p| p.is_empty()) {
            return Err(FlowNameError::EmptyPart { name: err_name() });
        }
        let iuf_len = parts[1].chars().count();
        if iuf_len > IUF_MAX_LEN {
            return Err(FlowNameError::IufTooLong {
                name: err_name(),
                iuf: parts[1].to_string(),
                len: iuf_len,
            });
        }
        let version = Version::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(parts[2]))
            .ok_or_else(|| FlowNameError::BadVersion {
                name: err_name(),
                version: parts[2].to_string(),
            })?;
        Ok(FlowName {
            codice_ipa: parts[0].to_string(),
            iuf: parts[1].to_string(),
            version,
        })
    }

    /// Parses a zip file name `<codIpa>-<IUF>-<versione>.zip` (or `.ZIP`).
    pub fn parse_zip(file_name: &str) -> Result<FlowName, FlowNameError> {
        let stem = file_name
            .strip_suffix(".zip")
            .or_else(|| file_name.strip_suffix(".ZIP"))
            .ok_or_else(|| FlowNameError::WrongExtension {
                name: file_name.to_string(),
                expected: ".zip",
            })?;
        FlowName::parse_stem(stem).map_err(|e| e.with_name(file_name))
    }

    /// Parses the inner file name `<codIpa>-<IUF>-<versione>.csv` (lower-case `.csv`).
    pub fn parse_csv(file_name: &str) -> Result<FlowName, FlowNameError> {
        let stem = file_name
            .strip_suffix(".csv")
            .ok_or_else(|| FlowNameError::WrongExtension {
                name: file_name.to_string(),
                expected: ".csv",
            })?;
        FlowName::parse_stem(stem).map_err(|e| e.with_name(file_name))
    }

    /// `<codIpa>-<IUF>-<versione>` with the version in canonical lower case.
    pub fn stem(&self) -> String {
        format!("{}-{}-{}", self.codice_ipa, self.iuf, self.version.as_str())
    }

    /// `<stem>.zip`.
    pub fn zip_name(&self) -> String {
        format!("{}.zip", self.stem())
    }

    /// `<stem>.csv`, the only entry of the zip.
    pub fn csv_name(&self) -> String {
        format!("{}.csv", self.stem())
    }
}

impl FlowNameError {
    fn with_name(self, full: &str) -> FlowNameError {
        let name = full.to_string();
        match self {
            FlowNameError::WrongExtension { expected, .. } => {
                FlowNameError::WrongExtension { name, expected }
            }
            FlowNameError::WrongParts { parts, .. } => FlowNameError::WrongParts { name, parts },
            FlowNameError::EmptyPart { .. } => FlowNameError::EmptyPart { name },
            FlowNameError::IufTooLong { iuf, len, .. } => {
                FlowNameError::IufTooLong { name, iuf, len }
            }
            FlowNameError::BadVersion { version, .. } => {
                FlowNameError::BadVersion { name, version }
            }
            FlowNameError::BadCharacter { .. } => FlowNameError::BadCharacter { name },
        }
    }
}

impl fmt::Display for FlowName {
    /// Displays the stem (no extension).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.stem())
    }
}

impl FromStr for FlowName {
    type Err = FlowNameError;
    /// Accepts a stem, a `.zip` name or a `.csv` name.
    fn from_str(s: &str) -> Result<FlowName, FlowNameError> {
        if s.ends_with(".zip") || s.ends_with(".ZIP") {
            FlowName::parse_zip(s)
        } else if s.ends_with(".csv") {
            FlowName::parse_csv(s)
        } else {
            FlowName::parse_stem(s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        let n = FlowName::parse_zip("c_x123-TARI2024-1_4.zip").unwrap();
        assert_eq!(n.codice_ipa, "c_x123");
        assert_eq!(n.iuf, "TARI2024");
        assert_eq!(n.version, Version::V1_4);
        assert_eq!(n.zip_name(), "c_x123-TARI2024-1_4.zip");
        assert_eq!(n.csv_name(), "c_x123-TARI2024-1_4.csv");
        assert_eq!(FlowName::parse_csv("c_x123-TARI2024-1_4.csv").unwrap(), n);
        assert_eq!("c_x123-TARI2024-1_4".parse::<FlowName>().unwrap(), n);
        assert_eq!(
            FlowName::new("c_x123", "TARI2024", Version::V1_4).unwrap(),
            n
        );
    }

    #[test]
    fn version_is_case_insensitive_and_upper_zip_accepted() {
        assert_eq!(
            FlowName::parse_zip("A-B-1_3.ZIP").unwrap().version,
            Version::V1_3
        );
        // Underscore only: "1.3" is not a MyPay version in a file name.
        assert!(matches!(
            FlowName::parse_zip("A-B-1.3.zip"),
            Err(FlowNameError::BadVersion { .. })
        ));
    }

    #[test]
    fn rejects_bad_names() {
        let cases = [
            "A-B-1_4.Zip",
            "A-B-1_4.csv",
            "A-B.zip",
            "A-B-C-1_4.zip",
            "A--1_4.zip",
            "A-B-2_0.zip",
            " A-B-1_4.zip",
            "A-B/C-1_4.zip",
            "",
            "-",
        ];
        for c in cases {
            let e = FlowName::parse_zip(c).unwrap_err();
            assert!(!e.to_string().is_empty());
        }
        let long = format!("A-{}-1_0.zip", "X".repeat(51));
        assert!(matches!(
            FlowName::parse_zip(&long),
            Err(FlowNameError::IufTooLong { len: 51, .. })
        ));
        let ok = format!("A-{}-1_0.zip", "X".repeat(50));
        assert!(FlowName::parse_zip(&ok).is_ok());
        assert!(FlowName::parse_csv("A-B-1_4.CSV").is_err());
    }

    #[test]
    fn message_is_italian_and_names_the_file() {
        let e = FlowName::parse_zip("pippo.zip").unwrap_err();
        let m = e.to_string();
        assert!(m.contains("pippo.zip"), "{m}");
        assert!(
            m.contains("il nome del file deve essere <codice IPA>-<IUF>-<versione>.zip"),
            "{m}"
        );
    }
}
