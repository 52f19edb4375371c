//! MyPay's file formats, byte for byte (spec §4 and §5).
//!
//! Bytes in, rows out, and back. No SQL, no network, no validation beyond what is needed to read a
//! file (validation lives in `mpd-domain`).
//!
//! Map of the crate:
//!
//! * [`flow_name`]: [`FlowName`], the `<codIpa>-<IUF>-<versione>.zip` naming rule (§4.1).
//! * [`import`]: the import tracciato CSV (§4.2–§4.3). [`ImportWriter`] writes rows that survive
//!   MyPay's own reader; [`ImportReader`] streams a file and splits each line with exactly MyPay's
//!   rule ([`import::split_line`], [`import::parse_line`]), so `flow check` and the emulator judge
//!   a row as MyPay does.
//! * [`flow_zip`]: one flow in one zip ([`flow_zip::write_flow_zip`]), many rows cut into zips that
//!   fit the upload limit ([`flow_zip::build_flows`], deflated in blocks on two threads while the
//!   rows are still being produced), and a defensive reader ([`FlowZipReader`]: zip slip, zip
//!   bombs, entry checks) that streams the CSV.
//! * [`results`]: the `_SCARTI.csv` and `_IUV.csv` files MyPay returns after an import (§4.9).
//! * [`export`]: the export of paid positions, versions 1.0–1.3 with and without `ricevuta` (§5).
//! * [`fdr`]: the *flusso di rendicontazione* (`FlussoRiversamento` XML) a PSP sends the Ente,
//!   every schema version (spec riconciliazione §1).
//! * [`tesoreria`]: the Ente's treasury journal (spec riconciliazione §3): CSV giornale di cassa
//!   with its column mapping, the bank's XLS/XLSX rows, OPI/SIOPE+ giornale di cassa XML and
//!   Poste's estratto conto, into one [`tesoreria::Movimento`] each, the format recognised from
//!   the content.
//! * [`mypivot`]: MyPivot's reconciliation export, tracciato 1.4 (120 or 141 columns, a CSV in a
//!   same-named zip; spec riconciliazione §5.3).
//!
//! Every error type carries a position (row, line, column) where one exists, and its `Display`
//! is an Italian sentence meant for the clerk. Nothing here panics on arbitrary input.

pub mod export;
pub mod fdr;
pub mod flow_name;
pub mod flow_zip;
pub mod import;
pub mod mypivot;
pub mod results;
pub mod tesoreria;

pub use export::{ExportLayout, ExportName, ExportReader, ExportRow, ExportVersion, ExportWriter};
pub use flow_name::{FlowName, FlowNameError};
pub use flow_zip::{
    BuildOptions, BuiltFlow, FlowZipReader, ZipLimits, ZipReadError, build_flows, build_flows_push,
};
pub use import::{
    ImportReader, ImportRecord, ImportWriter, RowPosition, RowSyntaxError, RowSyntaxKind,
};
pub use results::{IuvReader, IuvWriter, ScartiReader, ScartiWriter, ScartoRecord};
