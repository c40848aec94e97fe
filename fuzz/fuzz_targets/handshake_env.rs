//! go-plugin handshake environment: cookie, versions, ports, client certificate PEM.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| terraform_provider_ecr::fuzzing::handshake_env(data));
