//! Integration tests of the MyPay emulator: hand-written raw SOAP envelopes and plain HTTP
//! calls against a running emulator, successful bodies validated with `xmllint` against the
//! WSDL's own schemas (extracted under `fixtures/`), faults checked in MyPay's real shape.
//! Modules by area; each quirk a client must survive has its own test in `quirks`.

mod common;
mod faults;
mod flows;
mod hostile;
mod lifecycle;
mod operations;
mod quirks;
mod rendicontazione;
mod single;
mod soap;
