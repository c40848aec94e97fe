"""The release artefacts work as a private registry user would install them.

scripts/release packages the binary under test (--binary) into dist/-style artefacts; the zip goes
into a filesystem mirror (packed layout), `terraform init` installs it from there (checking the
platform and, through the lock file, its hash), and `apply`/`destroy` run against moto.
"""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from harness import PROVIDER_SOURCE, REPO_ROOT, provider_block


def version() -> str:
    return re.search(r'^version\s*=\s*"([^"]+)"', (REPO_ROOT / "Cargo.toml").read_text(), re.M).group(1)


@pytest.mark.compat
def test_release_zip_installs_from_a_filesystem_mirror_and_applies(ws, ecr, moto, provider_dir, tmp_path):
    v = version()
    dist = tmp_path / "dist"
    binary = (provider_dir / "terraform-provider-ecr").resolve()
    subprocess.run([str(REPO_ROOT / "scripts/release"), "--binary", str(binary), "--out", str(dist)], check=True)

    name = f"terraform-provider-ecr_{v}"
    zip_path = dist / f"{name}_linux_amd64.zip"
    manifest = json.loads((dist / f"{name}_manifest.json").read_text())
    assert manifest["metadata"]["protocol_versions"] == ["6.0"]
    sums = dict(line.split()[::-1] for line in (dist / f"{name}_SHA256SUMS").read_text().splitlines())
    assert sums[zip_path.name] == hashlib.sha256(zip_path.read_bytes()).hexdigest()
    with zipfile.ZipFile(zip_path) as z:
        assert z.namelist() == [f"terraform-provider-ecr_v{v}"]

    mirror = tmp_path / "mirror" / "registry.terraform.io" / PROVIDER_SOURCE
    mirror.mkdir(parents=True)
    (mirror / zip_path.name).write_bytes(zip_path.read_bytes())
    ws.cli_config_path.write_text(
        f'provider_installation {{\n  filesystem_mirror {{\n    path = "{tmp_path / "mirror"}"\n  }}\n}}\n'
    )
    hcl = provider_block(moto.url).replace(f'source = "{PROVIDER_SOURCE}" }}', f'source = "{PROVIDER_SOURCE}", version = "{v}" }}')
    assert f'version = "{v}"' in hcl
    ws.write(hcl + '\nresource "ecr_repository" "app" {\n  name = "from-mirror"\n}\n')

    init = ws.run("init", "-input=false", "-no-color")
    assert f"Installed {PROVIDER_SOURCE} v{v}" in init.stdout or f"Installing {PROVIDER_SOURCE} v{v}" in init.stdout, init.stdout
    lock = (ws.path / ".terraform.lock.hcl").read_text()
    assert re.search(rf'version\s*=\s*"{re.escape(v)}"', lock), lock
    ws.apply()
    assert ecr.describe_repositories(repositoryNames=["from-mirror"])["repositories"]
    code, out = ws.plan_exitcode()
    assert code == 0, out
    ws.destroy()
    assert not ecr.describe_repositories()["repositories"]
