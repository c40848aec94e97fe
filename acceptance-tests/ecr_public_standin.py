"""TEST DOUBLE: a local stand-in for the handful of Amazon ECR Public operations the provider calls.

This is NOT an emulator of ECR Public and NOT AWS: no local emulator implements ECR Public
(moto has no ecr-public backend; checked in moto's package), so the acceptance tests run real
Terraform against this in-memory server instead. It speaks the AWS JSON 1.1 protocol exactly as
the API model (botocore ``ecr-public/2020-10-30/service-2.json``, mirrored by aws-sdk-ecrpublic)
defines it:

* ``POST /`` with ``X-Amz-Target: SpencerFrontendService.<Operation>`` and
  ``Content-Type: application/x-amz-json-1.1``; JSON bodies with the model's member names;
* errors as HTTP 400 (500 for ``ServerException``) with ``{"__type": CODE, "message": ...}`` and
  the ``x-amzn-ErrorType`` header, using only error codes the model lists for the operation;
* timestamps as epoch seconds, blobs as base64.

It also checks the SigV4 ``Authorization`` header: the credential scope must be
``<date>/us-east-1/ecr-public/aws4_request`` (ECR Public exists only in us-east-1), otherwise it
answers ``InvalidSignatureException`` like AWS does for a wrong region. Signatures themselves are
not verified. Every request is recorded (operation, scope region/service, body) for assertions.

Deliberate behaviours worth knowing:
* ``GetRepositoryPolicy`` returns the stored policy re-serialised (indented, as AWS may reformat),
  which exercises the provider's comparison by meaning.
* ``PutRepositoryCatalogData`` replaces the whole catalog data with the input.
* ``inject_failure`` makes the next N calls of an operation fail with a given code/message.
* ``add_image`` puts an image (digest, tags, push time, size) in a repository: DescribeImages
  lists it (pages of ``maxResults``, default 100, ``nextToken``; ``imageIds`` by tag and/or
  digest, ``ImageNotFoundException`` for a missing one) and DeleteRepository without ``force``
  fails.

Operations: CreateRepository, DescribeRepositories, DeleteRepository, GetRepositoryCatalogData,
PutRepositoryCatalogData, ListTagsForResource, TagResource, UntagResource, SetRepositoryPolicy,
GetRepositoryPolicy, DeleteRepositoryPolicy, GetAuthorizationToken, DescribeImages.

Run standalone: ``python ecr_public_standin.py [--port N]``.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ACCOUNT = "123456789012"
REGISTRY_ALIAS = "standin"
TARGET_PREFIX = "SpencerFrontendService."
SIGNING_REGION = "us-east-1"
SIGNING_SERVICE = "ecr-public"

NAME_RE = re.compile(r"^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$")
SCOPE_RE = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request")
MAX_TAGS = 50  # per repository (AWS's documented tag limit)


class ApiError(Exception):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@dataclass
class Repo:
    name: str
    created_at: float
    catalog: dict = field(default_factory=dict)
    logo: bytes | None = None
    tags: dict = field(default_factory=dict)
    policy: str | None = None
    images: list = field(default_factory=list)  # imageDetails shapes, in push order

    @property
    def arn(self) -> str:
        return f"arn:aws:ecr-public::{ACCOUNT}:repository/{self.name}"

    def shape(self) -> dict:
        return {
            "repositoryArn": self.arn,
            "registryId": ACCOUNT,
            "repositoryName": self.name,
            "repositoryUri": f"public.ecr.aws/{REGISTRY_ALIAS}/{self.name}",
            "createdAt": self.created_at,
        }

    def catalog_shape(self) -> dict:
        out = {k: v for k, v in self.catalog.items()}
        if self.logo:
            out["logoUrl"] = f"https://d2l2v3p0k8k6t7.cloudfront.net/logo/{self.name}.png"
        out["marketplaceCertified"] = False
        return out


@dataclass
class Recorded:
    operation: str
    region: str | None
    service: str | None
    body: dict


class State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.requests: list[Recorded] = []
        self.failures: dict[str, list[tuple[str, str]]] = {}
        self.tokens: list[str] = []


# ----------------------------------------------------------------------------------------------
# validation per the API model
# ----------------------------------------------------------------------------------------------


def _param(member: str, value: Any, constraint: str) -> ApiError:
    return ApiError(
        "InvalidParameterException",
        f"Invalid parameter at '{member}' failed to satisfy constraint: '{constraint}'",
    )


def check_name(body: dict, member: str = "repositoryName") -> str:
    name = body.get(member)
    if not isinstance(name, str):
        raise _param(member, name, "Member must not be null")
    if not 2 <= len(name) <= 205:
        raise _param(member, name, "Member must have length between 2 and 205")
    if not NAME_RE.match(name):
        raise _param(member, name, "Member must satisfy regular expression pattern: (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*")
    registry = body.get("registryId")
    if registry is not None and registry != ACCOUNT:
        raise ApiError("RepositoryNotFoundException", f"The repository with name '{name}' does not exist in the registry with id '{registry}'")
    return name


def check_catalog(data: Any) -> tuple[dict, bytes | None]:
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        raise _param("catalogData", data, "Member must be a structure")
    out: dict = {}
    for key, limit in (("description", 1024), ("aboutText", 25600), ("usageText", 25600)):
        if key in data:
            v = data[key]
            if not isinstance(v, str) or len(v) > limit:
                raise _param(f"catalogData.{key}", v, f"Member must have length less than or equal to {limit}")
            out[key] = v
    for key in ("architectures", "operatingSystems"):
        if key in data:
            v = data[key]
            if not isinstance(v, list) or len(v) > 50 or any(not isinstance(x, str) or not 1 <= len(x) <= 50 for x in v):
                raise _param(f"catalogData.{key}", v, "Member must have length less than or equal to 50")
            out[key] = list(v)
    logo = None
    if "logoImageBlob" in data:
        try:
            logo = base64.b64decode(data["logoImageBlob"], validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise _param("catalogData.logoImageBlob", None, "Member must be base64") from None
        if len(logo) > 512000:
            raise _param("catalogData.logoImageBlob", None, "Member must have length less than or equal to 512000")
    return out, logo


def check_tags(tags: Any) -> dict:
    if not isinstance(tags, list):
        raise ApiError("InvalidTagParameterException", "tags must be a list")
    out = {}
    for t in tags:
        k, v = t.get("Key"), t.get("Value", "")
        if not isinstance(k, str) or not 1 <= len(k) <= 128 or not isinstance(v, str) or len(v) > 256:
            raise ApiError("InvalidTagParameterException", "Tag keys must be 1-128 characters and values at most 256")
        out[k] = v
    return out


# ----------------------------------------------------------------------------------------------
# operations
# ----------------------------------------------------------------------------------------------


class Api:
    def __init__(self, state: State):
        self.s = state

    def _repo(self, name: str) -> Repo:
        repo = self.s.repos.get(name)
        if repo is None:
            raise ApiError(
                "RepositoryNotFoundException",
                f"The repository with name '{name}' does not exist in the registry with id '{ACCOUNT}'",
            )
        return repo

    def _repo_by_arn(self, body: dict) -> Repo:
        arn = body.get("resourceArn")
        prefix = f"arn:aws:ecr-public::{ACCOUNT}:repository/"
        if not isinstance(arn, str) or not arn.startswith(prefix):
            raise ApiError("InvalidParameterException", f"Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN {arn}'")
        return self._repo(arn[len(prefix):])

    def CreateRepository(self, b: dict) -> dict:
        name = check_name(b)
        catalog, logo = check_catalog(b.get("catalogData"))
        tags = check_tags(b.get("tags", []))
        if len(tags) > MAX_TAGS:
            raise ApiError("TooManyTagsException", f"The maximum number of tags that can be applied to a repository is {MAX_TAGS}.")
        if name in self.s.repos:
            raise ApiError(
                "RepositoryAlreadyExistsException",
                f"The repository with name '{name}' already exists in the registry with id '{ACCOUNT}'",
            )
        repo = Repo(name=name, created_at=time.time(), catalog=catalog, logo=logo, tags=tags)
        self.s.repos[name] = repo
        return {"repository": repo.shape(), "catalogData": repo.catalog_shape()}

    def DescribeRepositories(self, b: dict) -> dict:
        names = b.get("repositoryNames")
        if names is None:
            return {"repositories": [r.shape() for r in self.s.repos.values()]}
        if not isinstance(names, list) or not 1 <= len(names) <= 100:
            raise _param("repositoryNames", names, "Member must have length between 1 and 100")
        return {"repositories": [self._repo(check_name({"repositoryName": n, "registryId": b.get("registryId")})).shape() for n in names]}

    def DeleteRepository(self, b: dict) -> dict:
        repo = self._repo(check_name(b))
        if repo.images and not b.get("force"):
            raise ApiError(
                "RepositoryNotEmptyException",
                f"The repository with name '{repo.name}' in registry with id '{ACCOUNT}' cannot be deleted because it still contains images",
            )
        del self.s.repos[repo.name]
        return {"repository": repo.shape()}

    def DescribeImages(self, b: dict) -> dict:
        repo = self._repo(check_name(b))
        ids = b.get("imageIds")
        if ids is not None:
            if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
                raise _param("imageIds", ids, "Member must have length between 1 and 100")
            if "maxResults" in b or "nextToken" in b:
                raise ApiError("InvalidParameterException", "Invalid parameter: maxResults and nextToken cannot be used with imageIds")
            found = []
            for i in ids:
                tag, digest = i.get("imageTag"), i.get("imageDigest")
                match = [d for d in repo.images if (tag is None or tag in d.get("imageTags", [])) and (digest is None or digest == d["imageDigest"])]
                if not match:
                    raise ApiError(
                        "ImageNotFoundException",
                        f"The image with imageId {{imageDigest:'{digest or 'null'}', imageTag:'{tag or 'null'}'}} does not exist "
                        f"within the repository with name '{repo.name}' in the registry with id '{ACCOUNT}'",
                    )
                found.extend(m for m in match if m not in found)
            return {"imageDetails": found}
        size = b.get("maxResults", 100)
        if not isinstance(size, int) or not 1 <= size <= 1000:
            raise _param("maxResults", size, "Member must have value between 1 and 1000")
        start = int(b.get("nextToken") or 0)
        out: dict = {"imageDetails": repo.images[start:start + size]}
        if start + size < len(repo.images):
            out["nextToken"] = str(start + size)
        return out

    def GetRepositoryCatalogData(self, b: dict) -> dict:
        return {"catalogData": self._repo(check_name(b)).catalog_shape()}

    def PutRepositoryCatalogData(self, b: dict) -> dict:
        repo = self._repo(check_name(b))
        if "catalogData" not in b:
            raise _param("catalogData", None, "Member must not be null")
        catalog, logo = check_catalog(b["catalogData"])
        repo.catalog = catalog
        if logo is not None:
            repo.logo = logo or None
        return {"catalogData": repo.catalog_shape()}

    def ListTagsForResource(self, b: dict) -> dict:
        repo = self._repo_by_arn(b)
        return {"tags": [{"Key": k, "Value": v} for k, v in sorted(repo.tags.items())]}

    def TagResource(self, b: dict) -> dict:
        repo = self._repo_by_arn(b)
        new = {**repo.tags, **check_tags(b.get("tags"))}
        if len(new) > MAX_TAGS:
            raise ApiError("TooManyTagsException", f"The maximum number of tags that can be applied to a repository is {MAX_TAGS}.")
        repo.tags = new
        return {}

    def UntagResource(self, b: dict) -> dict:
        repo = self._repo_by_arn(b)
        keys = b.get("tagKeys")
        if not isinstance(keys, list):
            raise ApiError("InvalidTagParameterException", "tagKeys must be a list")
        for k in keys:
            repo.tags.pop(k, None)
        return {}

    def SetRepositoryPolicy(self, b: dict) -> dict:
        repo = self._repo(check_name(b))
        text = b.get("policyText")
        if not isinstance(text, str) or len(text) > 10240:
            raise _param("policyText", text, "Member must have length less than or equal to 10240")
        try:
            doc = json.loads(text)
        except ValueError:
            doc = None
        if not isinstance(doc, dict) or "Statement" not in doc:
            raise ApiError("InvalidParameterException", "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'")
        repo.policy = text
        return {"registryId": ACCOUNT, "repositoryName": repo.name, "policyText": text}

    def GetRepositoryPolicy(self, b: dict) -> dict:
        repo = self._repo(check_name(b))
        if repo.policy is None:
            raise ApiError(
                "RepositoryPolicyNotFoundException",
                f"Repository policy does not exist for the repository with name '{repo.name}' in the registry with id '{ACCOUNT}'",
            )
        pretty = json.dumps(json.loads(repo.policy), indent=2)
        return {"registryId": ACCOUNT, "repositoryName": repo.name, "policyText": pretty}

    def DeleteRepositoryPolicy(self, b: dict) -> dict:
        out = self.GetRepositoryPolicy(b)
        self._repo(check_name(b)).policy = None
        return out

    def GetAuthorizationToken(self, b: dict) -> dict:
        password = "standin-" + secrets.token_urlsafe(24)
        token = base64.b64encode(f"AWS:{password}".encode()).decode()
        self.s.tokens.append(token)
        return {"authorizationData": {"authorizationToken": token, "expiresAt": time.time() + 12 * 3600}}


# ----------------------------------------------------------------------------------------------
# HTTP
# ----------------------------------------------------------------------------------------------


def _handler(state: State):
    api = Api(state)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "ecr-public-standin"

        def log_message(self, fmt: str, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: dict, error: str | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("x-amzn-RequestId", secrets.token_hex(16))
            if error:
                self.send_header("x-amzn-ErrorType", error)
            self.end_headers()
            self.wfile.write(data)

        def _error(self, e: ApiError) -> None:
            self._send(e.status, {"__type": e.code, "message": e.message}, e.code)

        def do_GET(self) -> None:
            self._error(ApiError("UnsupportedCommandException", "ECR Public's API takes POST / only", 404))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            target = self.headers.get("X-Amz-Target", "")
            auth = self.headers.get("Authorization", "")
            m = SCOPE_RE.search(auth)
            region, service = (m.group(3), m.group(4)) if m else (None, None)
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {"$unparsable": raw.decode("utf-8", "replace")}
            op = target[len(TARGET_PREFIX):] if target.startswith(TARGET_PREFIX) else target
            with state.lock:
                state.requests.append(Recorded(op, region, service, body))
            if self.path != "/" or not target.startswith(TARGET_PREFIX):
                return self._error(ApiError("UnknownOperationException", f"unknown target {target!r} (expected {TARGET_PREFIX}<Operation>)"))
            if not (self.headers.get("Content-Type") or "").startswith("application/x-amz-json-1.1"):
                return self._error(ApiError("SerializationException", "Content-Type must be application/x-amz-json-1.1"))
            if not m:
                return self._error(ApiError("MissingAuthenticationTokenException", "Missing Authentication Token", 403))
            if region != SIGNING_REGION or service != SIGNING_SERVICE:
                return self._error(
                    ApiError(
                        "InvalidSignatureException",
                        f"Credential should be scoped to a valid region and service: got {region}/{service}, expected {SIGNING_REGION}/{SIGNING_SERVICE}.",
                        403,
                    )
                )
            fn = getattr(api, op, None)
            if fn is None or not op[:1].isupper():
                return self._error(ApiError("UnknownOperationException", f"the stand-in does not implement {op}"))
            if "$unparsable" in body:
                return self._error(ApiError("SerializationException", "body is not JSON"))
            with state.lock:
                queued = state.failures.get(op)
                if queued:
                    code, message = queued.pop(0)
                    return self._error(ApiError(code, message, 500 if code == "ServerException" else 400))
                try:
                    out = fn(body)
                except ApiError as e:
                    return self._error(e)
            self._send(200, out)

    return Handler


class EcrPublicStandIn:
    """The stand-in server on 127.0.0.1:<free port>, in a background thread of this process."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.state = State()
        self.server = ThreadingHTTPServer((host, port), _handler(self.state))
        self.server.daemon_threads = True
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "EcrPublicStandIn":
        self.thread = threading.Thread(target=self.server.serve_forever, name="ecr-public-standin", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- test controls ---------------------------------------------------------------------

    def reset(self) -> None:
        with self.state.lock:
            self.state.reset()

    def requests(self, operation: str | None = None) -> list[Recorded]:
        with self.state.lock:
            return [r for r in self.state.requests if operation is None or r.operation == operation]

    def inject_failure(self, operation: str, code: str, message: str, times: int = 1) -> None:
        with self.state.lock:
            self.state.failures.setdefault(operation, []).extend([(code, message)] * times)

    def add_image(self, name: str, digest: str | None = None, tags: list[str] | None = None,
                  pushed_at: float | None = None, size: int = 1000,
                  media_type: str = "application/vnd.oci.image.manifest.v1+json",
                  artifact_media_type: str = "application/vnd.oci.image.config.v1+json") -> str:
        """Put an image in a repository (what a push leaves: no layers are kept); returns its
        digest (by default a made-up one)."""
        with self.state.lock:
            repo = self.state.repos[name]
            digest = digest or "sha256:" + f"{len(repo.images):064x}"
            detail = {"registryId": ACCOUNT, "repositoryName": name, "imageDigest": digest,
                      "imageSizeInBytes": size, "imagePushedAt": time.time() if pushed_at is None else pushed_at,
                      "imageManifestMediaType": media_type, "artifactMediaType": artifact_media_type}
            if tags:
                detail["imageTags"] = list(tags)
            repo.images.append(detail)
            return digest

    def repo(self, name: str) -> Repo | None:
        with self.state.lock:
            return self.state.repos.get(name)

    def tokens(self) -> list[str]:
        with self.state.lock:
            return list(self.state.tokens)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    s = EcrPublicStandIn(args.host, args.port)
    print(f"ECR Public stand-in (test double) on {s.url}", flush=True)
    try:
        s.server.serve_forever()
    except KeyboardInterrupt:
        pass
