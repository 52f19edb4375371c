//! Sportello: one debt at the counter (IUV and notice on the spot), a citizen's positions.
