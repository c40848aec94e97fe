//! `terraform-provider-ecr`: run by Terraform as a plugin, or by hand for CLI subcommands.

use std::process::ExitCode;

use terraform_provider_ecr::cli;
use terraform_provider_ecr::plugin::{self, ServeOptions};
use terraform_provider_ecr::provider::PROVIDER_ADDRESS;

const USAGE: &str = "terraform-provider-ecr — Terraform provider for Amazon ECR

Usage:
  terraform-provider-ecr            run as a plugin (started by terraform/tofu)
  terraform-provider-ecr --debug    serve without TLS and print TF_REATTACH_PROVIDERS for debugging
  terraform-provider-ecr version    print the version
  terraform-provider-ecr lifecycle validate [FILE|-] [--format text|json]
                                    check a lifecycle policy (exit 0 valid, 1 invalid, 2 error)
  terraform-provider-ecr lifecycle preview --policy FILE --images FILE [--now RFC3339] [--format text|json]
                                    images a policy would expire or transition now
                                    (--images: output of `aws ecr describe-images`)
  terraform-provider-ecr lifecycle schema
                                    print the JSON Schema of lifecycle policies
  terraform-provider-ecr policy validate [FILE|-] --kind repository|registry|public-repository [--format text|json]
                                    check a repository/registry/ECR Public policy (exit 0 valid, 1 invalid, 2 error)
  terraform-provider-ecr pullthrough validate [FILE|-] [--region R] [--format text|json]
                                    check a pull-through cache rule given as the API's JSON (same exit codes)
  terraform-provider-ecr scan gate --repository R (--tag T | --digest D) --fail-on SEVERITY
                                    [--ignore ID]... [--timeout 5m] [--format text|json]
                                    block on scan findings (exit 0 pass, 1 blocked, 2 error)
  terraform-provider-ecr migrate [DIR] [--write]
                                    rewrite a configuration from hashicorp/aws's ECR types to this
                                    provider's, with `moved` blocks (prints a diff without --write)
  terraform-provider-ecr docs [--out DIR] [--examples DIR] [--check]
                                    write the registry docs generated from the schemas (default
                                    docs/, examples from examples/); --check: exit 1 if they differ
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => serve(false),
        Some("--debug") | Some("-debug") => serve(true),
        Some("version") | Some("--version") | Some("-v") => {
            println!("terraform-provider-ecr {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("lifecycle") => {
            let out = cli::lifecycle::run(&args[1..], &mut std::io::stdin().lock());
            print!("{}", out.stdout);
            eprint!("{}", out.stderr);
            ExitCode::from(out.code)
        }
        Some("policy") => {
            let out = cli::policy::run(&args[1..], &mut std::io::stdin().lock());
            print!("{}", out.stdout);
            eprint!("{}", out.stderr);
            ExitCode::from(out.code)
        }
        Some("pullthrough") => {
            let out = cli::pullthrough::run(&args[1..], &mut std::io::stdin().lock());
            print!("{}", out.stdout);
            eprint!("{}", out.stderr);
            ExitCode::from(out.code)
        }
        Some("scan") => {
            let out = cli::scan::run(&args[1..]);
            print!("{}", out.stdout);
            eprint!("{}", out.stderr);
            ExitCode::from(out.code)
        }
        Some("migrate") => {
            let out = cli::migrate::run(&args[1..], &terraform_provider_ecr::migrate_targets());
            print!("{}", out.stdout);
            eprint!("{}", out.stderr);
            ExitCode::from(out.code)
        }
        Some("docs") => {
            let out = cli::docs::run(&args[1..]);
            print!("{}", out.stdout);
            eprint!("{}", out.stderr);
            ExitCode::from(out.code)
        }
        Some("help") | Some("--help") | Some("-h") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("unknown command {other:?}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn serve(debug: bool) -> ExitCode {
    if !debug {
        // Checked before anything else so a person running the binary gets a clear message.
        let cookie = std::env::var(plugin::handshake::MAGIC_COOKIE_KEY).ok();
        if let Err(msg) = plugin::handshake::check_magic_cookie(cookie.as_deref()) {
            eprintln!("{msg}\n\n{USAGE}");
            return ExitCode::from(1);
        }
    }
    plugin::logging::init();
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let opts = ServeOptions {
        debug,
        provider_address: PROVIDER_ADDRESS.to_string(),
    };
    match runtime.block_on(plugin::serve(
        terraform_provider_ecr::provider_routes(),
        opts,
    )) {
        Ok(()) => {
            // Don't wait for lingering AWS calls: Terraform is done with us.
            runtime.shutdown_timeout(std::time::Duration::from_millis(100));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("terraform-provider-ecr: {e}");
            ExitCode::from(1)
        }
    }
}
