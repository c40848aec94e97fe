//! Compiles the plugin protocol definitions with a vendored `protoc`, so a fresh machine needs
//! nothing but cargo.
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    let include = protoc_bin_vendored::include_path()?;
    // SAFETY: build scripts are single-threaded; prost-build reads PROTOC from the environment.
    unsafe { std::env::set_var("PROTOC", protoc) };
    println!("cargo:rerun-if-changed=proto");
    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        .compile_protos(
            &[
                PathBuf::from("proto/tfplugin6.proto"),
                PathBuf::from("proto/plugin.proto"),
            ],
            &[PathBuf::from("proto"), include],
        )?;
    startup_symbol_order();
    Ok(())
}

/// Release builds place the functions that run from exec to the handshake next to each other
/// (lld's `--symbol-ordering-file`), so an idle provider maps a few hundred KiB of code instead
/// of pages scattered over the whole text segment. The list is made by `bench/startup-symbols`;
/// names missing from a later build are ignored, so a stale list only costs memory, never
/// correctness. `TPE_NO_SYMBOL_ORDER=1` turns it off (e.g. with a linker other than lld).
fn startup_symbol_order() {
    println!("cargo:rerun-if-changed=bench/startup-symbols.txt");
    println!("cargo:rerun-if-env-changed=TPE_NO_SYMBOL_ORDER");
    let release = std::env::var("PROFILE").as_deref() == Ok("release");
    let target = std::env::var("TARGET").unwrap_or_default();
    let list = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("bench/startup-symbols.txt");
    if release
        && target == "x86_64-unknown-linux-gnu"
        && std::env::var_os("TPE_NO_SYMBOL_ORDER").is_none()
        && list.is_file()
    {
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            list.display()
        );
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}
