#!/usr/bin/env python3
"""`terraform validate` over 500 resource blocks: our provider vs a Go terraform-plugin-framework
provider (Workato, from the PyPI package workato-terraform-provider), side by side in one run.

    bench/validate.py [--binary target/release/terraform-provider-ecr] [--blocks 500] [--runs 7]

Each run is a full `terraform validate` (Terraform starts the provider, fetches its schema, and
calls ValidateResourceConfig once per block). Runs alternate between the two providers.
Run with the venv's python after bench/run installed the Go provider.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "acceptance-tests"))
from harness import terraform_bin  # noqa: E402


def workato_mirror() -> Path:
    import workato_terraform_provider as w
    payload = Path(w.__file__).parent / "payload"
    # pip installs the package data without exec bits.
    for exe in payload.glob("registry.terraform.io/local/workato/*/linux_amd64/terraform-provider-workato*"):
        exe.chmod(0o755)
    return payload


def workato_binary() -> Path:
    return next(workato_mirror().glob("registry.terraform.io/local/workato/*/linux_amd64/terraform-provider-workato*"))


def env_for(rc: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "AWS_"))}
    env.update(TF_CLI_CONFIG_FILE=str(rc), CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1")
    return env


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(ROOT / "target/release/terraform-provider-ecr"))
    ap.add_argument("--blocks", type=int, default=500)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    tf = terraform_bin()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        # ours, through dev_overrides
        pdir = d / "provider"
        pdir.mkdir()
        (pdir / "terraform-provider-ecr").symlink_to(Path(a.binary).resolve())
        ours = d / "ours"
        ours.mkdir()
        (ours / "rc").write_text(f'provider_installation {{\n  dev_overrides {{ "ecr-rs/ecr" = "{pdir}" }}\n  direct {{}}\n}}\n')
        blocks = "".join(f'resource "ecr_repository" "r{i}" {{\n  name = "team/app-{i}"\n  image_tag_mutability = "IMMUTABLE"\n}}\n'
                         for i in range(a.blocks))
        (ours / "main.tf").write_text('terraform {\n  required_providers {\n    ecr = { source = "ecr-rs/ecr" }\n  }\n}\n'
                                      'provider "ecr" {\n  region = "us-east-1"\n}\n' + blocks)
        # Go provider, through a filesystem mirror and terraform init
        go = d / "go"
        go.mkdir()
        (go / "rc").write_text(f'provider_installation {{\n  filesystem_mirror {{ path = "{workato_mirror()}" }}\n}}\n')
        blocks = "".join(f'resource "workato_folder" "f{i}" {{\n  name = "folder-{i}"\n  folder_id = "{i}"\n}}\n'
                         for i in range(a.blocks))
        (go / "main.tf").write_text('terraform {\n  required_providers {\n    workato = { source = "local/workato" }\n  }\n}\n'
                                    'provider "workato" {\n  api_key = "x"\n  base_url = "http://127.0.0.1:1"\n}\n' + blocks)
        subprocess.run([tf, "init", "-input=false"], cwd=go, env=env_for(go / "rc"), check=True, capture_output=True)

        times = {"ours": [], "go": []}
        for _ in range(a.runs):
            for name, wd in (("ours", ours), ("go", go)):
                t = time.perf_counter()
                p = subprocess.run([tf, "validate", "-no-color"], cwd=wd, env=env_for(wd / "rc"), capture_output=True, text=True)
                times[name].append(time.perf_counter() - t)
                if p.returncode != 0:
                    sys.exit(f"{name}: terraform validate failed:\n{p.stdout}\n{p.stderr}")
        o, g = statistics.median(times["ours"]), statistics.median(times["go"])
        print(f"terraform validate, {a.blocks} resource blocks, median of {a.runs}:")
        print(f"  terraform-provider-ecr (Rust)      {o * 1000:.0f} ms")
        print(f"  terraform-provider-workato (Go)    {g * 1000:.0f} ms")
        print(f"  ratio ours/go: {o / g:.2f}x (target <= 0.8x)")


if __name__ == "__main__":
    main()
