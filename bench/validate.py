#!/usr/bin/env python3
"""`terraform validate` over 500 resource blocks: our provider vs a Go terraform-plugin-framework
provider (Workato, from the PyPI package workato-terraform-provider), side by side in one run.

    bench/validate.py [--binary target/release/terraform-provider-ecr] [--blocks 500] [--runs 7]

Each run is a full `terraform validate` (Terraform starts the provider, fetches its schema, and
calls ValidateResourceConfig once per block). Runs alternate between the two providers.
Run with the venv's python after bench/run installed the Go provider.
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "acceptance-tests"))
from harness import PROVIDER_SOURCE, Workspace, link_provider  # noqa: E402

# Terraform's own log would cost more than what is measured.
QUIET = {"TF_LOG": "", "TF_LOG_PATH": ""}


def workato_mirror() -> Path:
    import workato_terraform_provider as w
    payload = Path(w.__file__).parent / "payload"
    # pip installs the package data without exec bits.
    for exe in payload.glob("registry.terraform.io/local/workato/*/linux_amd64/terraform-provider-workato*"):
        exe.chmod(0o755)
    return payload


def workato_binary() -> Path:
    return next(workato_mirror().glob("registry.terraform.io/local/workato/*/linux_amd64/terraform-provider-workato*"))


def ours_workspace(d: Path, binary: str, blocks: int) -> Workspace:
    """Our provider through dev_overrides, as the acceptance tests run it."""
    ws = Workspace(d / "ours", link_provider(binary, d / "provider"), env=QUIET)
    ws.write(f'terraform {{\n  required_providers {{\n    ecr = {{ source = "{PROVIDER_SOURCE}" }}\n  }}\n}}\n'
             'provider "ecr" {\n  region = "us-east-1"\n}\n'
             + "".join(f'resource "ecr_repository" "r{i}" {{\n  name = "team/app-{i}"\n'
                       f'  image_tag_mutability = "IMMUTABLE"\n}}\n' for i in range(blocks)))
    return ws


def go_workspace(d: Path, blocks: int) -> Workspace:
    """The Go provider from its package's filesystem mirror, installed by `terraform init`."""
    ws = Workspace(d / "go", d / "unused", env=QUIET)
    ws.cli_config_path.write_text(f'provider_installation {{\n  filesystem_mirror {{ path = "{workato_mirror()}" }}\n}}\n')
    ws.write('terraform {\n  required_providers {\n    workato = { source = "local/workato" }\n  }\n}\n'
             'provider "workato" {\n  api_key = "x"\n  base_url = "http://127.0.0.1:1"\n}\n'
             + "".join(f'resource "workato_folder" "f{i}" {{\n  name = "folder-{i}"\n  folder_id = "{i}"\n}}\n'
                       for i in range(blocks)))
    ws.run("init", "-input=false")
    return ws


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(ROOT / "target/release/terraform-provider-ecr"))
    ap.add_argument("--blocks", type=int, default=500)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        spaces = {"ours": ours_workspace(d, a.binary, a.blocks), "go": go_workspace(d, a.blocks)}
        times = {"ours": [], "go": []}
        for _ in range(a.runs):
            for name, ws in spaces.items():
                t = time.perf_counter()
                ws.run("validate", "-no-color")
                times[name].append(time.perf_counter() - t)
        o, g = statistics.median(times["ours"]), statistics.median(times["go"])
        print(f"terraform validate, {a.blocks} resource blocks, median of {a.runs}:")
        print(f"  terraform-provider-ecr (Rust)      {o * 1000:.0f} ms")
        print(f"  terraform-provider-workato (Go)    {g * 1000:.0f} ms")
        print(f"  ratio ours/go: {o / g:.2f}x (target <= 0.8x)")


if __name__ == "__main__":
    main()
