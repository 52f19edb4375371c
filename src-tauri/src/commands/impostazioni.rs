//! Impostazioni: environment, credentials, data folder, backup and restore.
