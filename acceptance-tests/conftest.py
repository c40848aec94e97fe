"""Fixtures for the acceptance tests: a real Terraform CLI, the provider binary, moto.

Terraform versions: every test that uses Terraform (the `terraform` fixture, directly or through
`ws`) runs on Terraform 1.15 (test id `test_x[tf1.15]`); a test marked `@pytest.mark.compat`
also runs on Terraform 1.0.3, the oldest protocol-6 client (`test_x[tf1.0]`). The compatibility
subset covers, per resource type, create, an empty second plan, import and destroy. Select one
version with `-k tf1.15` / `-k tf1.0`; `--all-terraform-versions` runs every test on both. A test
whose expectation depends on the client asks the fixture (`terraform.at_least(1, 5)`).

Environment:
  TPE_PROVIDER_BIN  provider executable to test (default: <repo>/target/debug/terraform-provider-ecr)
  TPE_TERRAFORM_1_15, TPE_TERRAFORM_1_0
                    Terraform binaries (default: from $TPE_CACHE/env.sh written by scripts/setup)
  TPE_MOTO_SERVER   moto_server executable (default: likewise, or next to this Python)
  TPE_FAKECLOUD     fakecloud executable (default: from $TPE_CACHE/env.sh, scripts/setup-fakecloud)
"""

from __future__ import annotations

import collections
import os
import re
import sys
from pathlib import Path

import boto3
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    PROVIDER_BINARY_NAME,
    REGION,
    REPO_ROOT,
    DEFAULT_TERRAFORM,
    TERRAFORM_VERSIONS,
    FakecloudEndpoint,
    FakecloudServer,
    MotoServer,
    Terraform,
    Workspace,
    link_provider,
    provider_block,
)


def pytest_addoption(parser):
    parser.addoption(
        "--all-terraform-versions",
        action="store_true",
        help="run every test on every Terraform version, not only those marked compat on 1.0",
    )


def pytest_generate_tests(metafunc):
    """Parametrise every test that needs Terraform by version: the default always, the others
    only for tests marked `compat` (or all with --all-terraform-versions)."""
    if "terraform" not in metafunc.fixturenames:
        return
    compat = metafunc.config.getoption("--all-terraform-versions") or (
        metafunc.definition.get_closest_marker("compat") is not None
    )
    versions = [v for v in TERRAFORM_VERSIONS if v == DEFAULT_TERRAFORM or compat]
    metafunc.parametrize("terraform", versions, ids=[f"tf{v}" for v in versions], indirect=True, scope="session")


@pytest.fixture(scope="session")
def terraform(request) -> Terraform:
    """The Terraform CLI this test runs on (a path str with `.name` and `.version`): one per
    version per session, checked to report the version it claims."""
    return Terraform(getattr(request, "param", DEFAULT_TERRAFORM))


@pytest.fixture(scope="session")
def provider_dir(tmp_path_factory) -> Path:
    """A directory holding only `terraform-provider-ecr`, a symlink to the binary under test
    (TPE_PROVIDER_BIN, else target/debug); see harness.link_provider."""
    configured = os.environ.get("TPE_PROVIDER_BIN")
    binary = Path(configured) if configured else REPO_ROOT / "target" / "debug" / PROVIDER_BINARY_NAME
    binary = binary.resolve() if binary.exists() else binary
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        source = "TPE_PROVIDER_BIN" if configured else "the default location"
        pytest.fail(
            f"provider binary not found at {binary} ({source}). Build it and run the acceptance "
            f"tests with scripts/test, or set TPE_PROVIDER_BIN to an executable "
            f"terraform-provider-ecr.",
            pytrace=False,
        )
    return link_provider(binary, tmp_path_factory.mktemp("provider"))


@pytest.fixture(scope="session")
def moto(tmp_path_factory):
    """One moto server for the whole session, on a free 127.0.0.1 port."""
    server = MotoServer(tmp_path_factory.mktemp("moto"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def fakecloud(tmp_path_factory):
    """One fakecloud server for the session (started by the first test that asks for it)."""
    server = FakecloudServer(tmp_path_factory.mktemp("fakecloud"))
    server.start()
    endpoint = FakecloudEndpoint(server)  # fakecloud answers in AWS's wire shapes
    yield endpoint
    endpoint.stop()


@pytest.fixture(autouse=True)
def reset(moto):
    """Every test starts from an empty emulated AWS account."""
    moto.reset()
    yield


@pytest.fixture(scope="session")
def ecr(moto):
    """boto3 ECR client on moto, for out-of-band changes and checks."""
    return boto3.client(
        "ecr",
        endpoint_url=moto.url,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


@pytest.fixture(scope="session")
def ecr_public_standin():
    """The ECR Public test double (ecr_public_standin.py): no emulator implements ECR Public."""
    from ecr_public_standin import EcrPublicStandIn

    server = EcrPublicStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def public(ecr_public_standin):
    """The ECR Public stand-in, emptied for this test."""
    ecr_public_standin.reset()
    return ecr_public_standin


@pytest.fixture
def provider_hcl(moto) -> str:
    """The terraform/provider blocks aimed at this session's moto server."""
    return provider_block(moto.url)


@pytest.fixture
def ws(request, tmp_path, provider_dir, terraform, moto) -> Workspace:
    """A fresh Terraform working directory. The AWS environment it sets holds test credentials
    only: requests reach moto through the provider's `endpoints` block (see provider_hcl)."""
    workspace = Workspace(tmp_path / "tf", provider_dir, terraform=terraform)
    request.node._tpe_workspace = workspace
    request.node._tpe_moto = moto
    return workspace


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    workspace = getattr(item, "_tpe_workspace", None)
    if report.failed and workspace is not None:
        moto = getattr(item, "_tpe_moto", None)
        lines = [
            f"workspace: {workspace.path}",
            f"TF log:    {workspace.log_path}",
        ]
        if moto is not None:
            lines.append(f"moto log:  {moto.log_path}")
        lines.append("commands:")
        for result in workspace.history:
            shown = " ".join(["terraform", *result.args[1:]])
            lines.append(f"  [{result.returncode}] {shown}  ({getattr(result, 'duration', 0):.1f}s)")
        report.sections.append(("terraform workspace", "\n".join(lines)))
    return report


# --------------------------------------------------------------------------------------------
# time per Terraform version, in the closing summary
# --------------------------------------------------------------------------------------------

_VERSION_ID = re.compile(r"\[(?:.*-)?tf(\d+\.\d+)(?:-.*)?\]$")
_per_version: dict[str, list] = collections.defaultdict(lambda: [set(), 0.0])


def pytest_runtest_logreport(report):
    m = _VERSION_ID.search(report.nodeid)
    entry = _per_version[f"Terraform {m.group(1)}" if m else "no Terraform"]
    entry[0].add(report.nodeid)
    entry[1] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _per_version:
        return
    parts = [f"{name}: {len(ids)} tests in {secs:.0f}s" for name, (ids, secs) in sorted(_per_version.items())]
    terminalreporter.write_line("time per Terraform version: " + "; ".join(parts))
