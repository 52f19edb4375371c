//! The connection to MyPay shared by the remote commands: environment, credentials, the demo emulator.
