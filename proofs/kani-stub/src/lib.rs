//! Pass-through stand-ins for Kani's `#[kani::proof]`, `#[kani::unwind(N)]`,
//! `#[kani::proof_for_contract(f)]` and `#[kani::stub_verified(f)]` attributes.
//!
//! Used only by `mmr-proofs` with the cargo feature `kani-stub`, when the harnesses are
//! compiled with `RUSTFLAGS='--cfg kani'` outside real Kani (see `proofs/check-kani-cfg.sh`).
//! Real Kani provides the `kani` crate itself and never enables that feature.

use proc_macro::TokenStream;

/// Prefixes `#[allow(dead_code)]`: a harness is never called from Rust code.
fn keep(item: TokenStream) -> TokenStream {
    let mut out: TokenStream = "#[allow(dead_code)]"
        .parse()
        .expect("a fixed attribute parses");
    out.extend(item);
    out
}

/// Stand-in for `#[kani::proof]`: returns the harness unchanged (marked `allow(dead_code)`).
#[proc_macro_attribute]
pub fn proof(_attr: TokenStream, item: TokenStream) -> TokenStream {
    keep(item)
}

/// Stand-in for `#[kani::unwind(N)]`: ignores the bound, returns the item unchanged.
#[proc_macro_attribute]
pub fn unwind(_attr: TokenStream, item: TokenStream) -> TokenStream {
    item
}

/// Stand-in for `#[kani::proof_for_contract(f)]`: a harness, returned unchanged (marked
/// `allow(dead_code)`).
#[proc_macro_attribute]
pub fn proof_for_contract(_attr: TokenStream, item: TokenStream) -> TokenStream {
    keep(item)
}

/// Stand-in for `#[kani::stub_verified(f)]`: ignores the stub, returns the item unchanged.
#[proc_macro_attribute]
pub fn stub_verified(_attr: TokenStream, item: TokenStream) -> TokenStream {
    item
}
