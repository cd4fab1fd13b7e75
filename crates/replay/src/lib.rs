//! Transcript replay (in progress).
