//! cty msgpack/JSON decoding with schema types; round trips must be exact.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| terraform_provider_ecr::fuzzing::msgpack_value(data));
