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
    Ok(())
}
