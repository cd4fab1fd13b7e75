//! Fuzzing harnesses (in progress).
