//! Lifecycle policy parsing, validation, canonical form and evaluation.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| terraform_provider_ecr::fuzzing::lifecycle_policy(data));
