//! The sans-IO FTP job state machine (in progress).
#![no_std]
