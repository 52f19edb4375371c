//! Talks to MyPay (spec `mypay-ente-interface.md` §1–§3, §5–§7) and keeps the local store in
//! step with it.
//!
//! * [`api`]: the wire client: SOAP 1.1 operations, MyBox upload and download, MyPay's quirks
//!   tolerated (faults in a 200 body, `null`, double base64, JSON errors with HTTP 200).
//!   Only this module knows SOAP and HTTP.
//! * [`xml`]: tolerant reading of answers by local name.
//! * [`faults`]: every MyPay fault code with an Italian explanation and a suggested action.
//! * [`credentials`]: the password in the OS keyring (or `MYPAY_DESK_PASSWORD`), never printed.
//! * [`piattaforma`]: MyPay, MyPay through ARIA's middleware, or PU (issue 15), with every
//!   path, part name, limit and version rule configurable.
//! * [`config`]: environments (demo, collaudo, produzione, custom), backoff and timeouts.
//! * [`sync`]: the resumable engine over mpd-core's `Desk`: flows submitted to their outcome,
//!   receipts downloaded incrementally, the counter, `sync`.
//!
//! No tauri; the binary `mpd-sync-helper` exists only for the crash test.

pub mod api;
pub mod config;
pub mod credentials;
pub mod faults;
pub mod piattaforma;
pub mod sync;
pub mod xml;

pub use api::{ApiError, MyPayClient};
pub use config::{Ambiente, Connessione, SyncConfig};
pub use credentials::{CredentialStore, KeyringStore, MemoryStore, PasswordSource, Secret};
pub use piattaforma::{OpzioniPiattaforma, Piattaforma};
pub use sync::{Engine, Event, SyncError, SyncReport};
