//! Image scanning, as pure domain logic (no AWS, no gRPC): registry scanning configuration rules
//! (`config`), normalisation of basic and enhanced findings and severity gating (`findings`),
//! and the wait-for-scan / read-all-pages loop behind a small trait (`fetch`), so each is
//! unit-tested without AWS.

pub mod config;
pub mod fetch;
pub mod findings;

pub use fetch::{
    fetch, Clock, FetchError, FetchOptions, Page, ScanApi, ScanApiError, ScanReport, TokioClock,
};
pub use findings::{
    gate, normalise_basic, normalise_enhanced, BasicFinding, EnhancedFinding, Finding, GateResult,
    Severity,
};
