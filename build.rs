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
/// correctness. Only lld knows the flag: it is added when rustc links with its bundled lld (the
/// default for this target since Rust 1.90) and no other linker is chosen; `TPE_NO_SYMBOL_ORDER=1`
/// turns it off in any case.
fn startup_symbol_order() {
    println!("cargo:rerun-if-changed=bench/startup-symbols.txt");
    println!("cargo:rerun-if-env-changed=TPE_NO_SYMBOL_ORDER");
    println!("cargo:rerun-if-env-changed=CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    let release = std::env::var("PROFILE").as_deref() == Ok("release");
    let target = std::env::var("TARGET").unwrap_or_default();
    let list = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("bench/startup-symbols.txt");
    if release
        && target == "x86_64-unknown-linux-gnu"
        && std::env::var_os("TPE_NO_SYMBOL_ORDER").is_none()
        && list.is_file()
        && links_with_bundled_lld()
    {
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            list.display()
        );
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

/// Whether rustc links this build with its bundled lld: Rust ≥ 1.90 on x86_64 Linux, with no
/// linker or linker flavour chosen in the target's linker setting or RUSTFLAGS (GNU ld and gold
/// reject `--symbol-ordering-file`, which would fail the link).
fn links_with_bundled_lld() -> bool {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let minor = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|v| {
            v.split_whitespace()
                .nth(1)?
                .split('.')
                .nth(1)?
                .parse::<u32>()
                .ok()
        });
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    // A linker from .cargo/config.toml or the environment reaches build scripts as RUSTC_LINKER.
    let custom = std::env::var_os("RUSTC_LINKER").is_some()
        || std::env::var_os("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_some()
        || flags.contains("linker")
        || flags.contains("-fuse-ld");
    minor.is_some_and(|m| m >= 90) && !custom
}
