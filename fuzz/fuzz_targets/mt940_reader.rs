#![cfg_attr(fuzzing, no_main)]

include!("../bodies/mt940_reader.rs");

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| check(data));

include!("../replay.rs");
