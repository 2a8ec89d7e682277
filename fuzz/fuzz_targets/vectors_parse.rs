//! Arbitrary bytes into the YAML vector loader (`mmr_vectors::vectors_parse`, the entry
//! point the vectors crate provides for this target): it never panics, and a file it
//! accepts writes back (`to_yaml`, the generator's canonical form) to YAML that parses to
//! the same file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mmr_vectors::model::{parse, to_yaml};
use mmr_vectors::vectors_parse;

fuzz_target!(|data: &[u8]| {
    let Ok(file) = vectors_parse(data) else {
        return;
    };
    let text = to_yaml(&file)
        .unwrap_or_else(|e| panic!("an accepted vector file does not write back: {e}\n{file:?}"));
    match parse(&text) {
        Ok(back) => assert_eq!(back, file, "the written file parses to another file"),
        Err(e) => panic!("the written form of an accepted file is rejected: {e}\n{text}"),
    }
});
