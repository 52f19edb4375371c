//! Ente e adesione, Contributo: the profile, its completeness, the documents and the contribution.
