//! The uniffi bindings generator, built from this workspace so that it matches the library's uniffi version.
fn main() {
    uniffi::uniffi_bindgen_main()
}
