//! End-to-end tests of the headless commands, run in-process through `mpd_cli::run`.
//! Modules mirror the CLI's command groups.

mod adesione;
mod archivio;
mod avvisi;
mod bad_input;
mod contabilita;
mod debts;
mod ente;
mod flows;
mod rapporto;
mod receipts;
mod riconciliazione;
mod sheets;
mod sheets_bad;
mod tidy;
mod tidy_messaggi;
mod tidy_strati;
