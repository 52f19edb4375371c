//! Flussi: building flows, submitting them to MyPay, their timeline and rejected rows.
