//! Any bytes as a response (first byte: status) to each ivschat operation.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| client_tests::fuzz::response(data));
