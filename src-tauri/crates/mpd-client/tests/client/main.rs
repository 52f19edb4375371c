//! Integration tests of the MyPay client and the sync engine against the emulator
//! (mpd-emulator, started in-process): the happy path end to end, 200 seeded fault schedules,
//! the crash test (SIGKILL after each persisted step, then restart) and a scan for the password.

mod certificato;
mod collegamenti;
mod common;
mod counter;
mod crash;
mod gocciola;
mod pagati;
mod piattaforme;
mod posizioni;
mod rendicontazione;
mod schedules;
mod vertical;
mod xsd;
