//! Any bytes as a botocore `service-2.json` for the generator.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| client_tests::fuzz::model(data));
