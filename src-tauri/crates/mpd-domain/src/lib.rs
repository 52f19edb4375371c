//! Domain core of MyPay Desk: what a debt (dovuto) is, and whether MyPay would take it.
//!
//! * [`model`]: versions and columns of the import tracciato, [`model::RawRow`], Ente, tipi dovuto,
//!   findings.
//! * [`bilancio`]: hand parser of the namespace-less `<bilancio>` XML of the tracciato.
//! * [`cf`]: codice fiscale (16 characters with omocodia, or 11 digits), Belfiore look-up.
//! * [`piva`]: partita IVA check digit, plus the strict all-zero rule.
//! * [`iuv`]: IUV / notice number (mod 93), IUV17 generation, MyPay's `validaIUV`, ISO 11649 RF.
//! * [`iban`]: IBAN of the secondary beneficiary (full mod 97; MyPay checks only the length).
//! * [`money`]: amounts as `Decimal`: MyPay's `Double.valueOf` view, strict tracciato format,
//!   Italian display and clerk input.
//! * [`dates`]: MyPay's lenient `yyyy-MM-dd`, strict real dates, Italian `dd/mm/yyyy`.
//! * [`posizione`]: debt positions (rata unica and instalments): their checks, state and
//!   which options to cancel once one is paid.
//! * [`causale`]: the pagoPA references (IUF, IUV) in a treasury entry's causale: MyPivot's
//!   exact expressions and our lenient pass over the real-world variants, each reading
//!   explained (issue 16).
//! * [`riconciliazione`]: receipts matched to the PSPs' FdR rows, one state per payment with
//!   its reason, and an FdR's quadratura (issue 16).
//! * [`incasso`]: the treasury side of the reconciliation: FdR to treasury entries on IUF,
//!   single transfers on IUV, each payment's state carried to incassato or the anomaly that
//!   stops it, each entry's match or why not with suggestions, each FdR's treasury amount.
//! * [`mypivot`]: MyPivot's non-exclusive labels over the full outer join of debts, receipts,
//!   FdR rows and treasury entries, `DOPPI`, the optional one-year window (issue 16).
//! * [`contabilita`]: each payment's budget chapter and accertamento, the collected amounts by
//!   type, chapter, accertamento and month, and the reversal proposal of a treasury provisional
//!   receipt (issue 16).
//! * [`lookup`]: embedded tables of nazioni, province, comuni and the pagoPA taxonomy.
//! * [`taxonomy`]: dati specifici di riscossione, MyPay's regexes and the strict taxonomy code.
//! * [`testo`]: the words of sentences a clerk reads: counts (`1.200 dovuti`, `1 dovuto`), the
//!   Italian cause of a failed file operation.
//! * [`validate`]: per-row validation: [`validate::mypay_findings`] (exactly MyPay, with its
//!   codes), [`validate::strict_findings`] (our `MPD_…` rules), [`validate::validate_row`]
//!   (both), [`validate::IudTracker`] and [`validate::render_rifiuto`] (MyPay's `_SCARTI` text).
//!
//! Architecture invariant: this crate does no IO (the lookup tables are compiled in), knows no
//! SQL, no SOAP and no tauri, and never reads the clock, so everything here is a pure function of
//! its inputs.

pub mod bilancio;
pub mod causale;
pub mod cf;
pub mod contabilita;
pub mod dates;
pub mod iban;
pub mod incasso;
pub mod iuv;
pub mod lookup;
pub mod model;
pub mod money;
pub mod mypivot;
pub mod piva;
pub mod posizione;
pub mod riconciliazione;
pub mod taxonomy;
pub mod testo;
pub mod validate;

pub use model::{Azione, Column, Ente, Finding, RawRow, Rule, Severity, TipoDovuto, Version};
pub use validate::{
    IudTracker, Rifiuto, RowContext, TipiDovuto, iud_gia_presente, mypay_findings, render_rifiuto,
    strict_findings, validate_row,
};
