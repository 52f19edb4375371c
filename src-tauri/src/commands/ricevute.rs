//! Ricevute: the one-click receipt download with progress, the receipts and their match.
