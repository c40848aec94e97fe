"""The lookup data sources (`ecr_repository`, `ecr_repositories`, `ecr_image`, `ecr_images`,
`ecr_public_images`, `ecr_pull_through_cache_rule`, `ecr_repository_creation_template`) driven
by real Terraform (1.15; the tests marked `compat` also on 1.0.3).

Images are seeded in moto with known push times (the launcher's `tpe.test/pushed-at` manifest
annotation), sizes (moto reports the config size) and tags; their digests are what PutImage
returned. ECR Public images are seeded in the stand-in (`ecr_public_standin.py`). A proxy in
front of moto records each request's body, to check what reached AWS (`registry_id`, pages).
"""

from __future__ import annotations

import collections
import json
import re
import textwrap
import threading

import pytest

from harness import ForwardingProxy, RoutingProxy, provider_block, push_image
from harness import config as whole_config

ACCOUNT = "123456789012"
FOREIGN = "210987654321"
T0 = 1_767_225_600  # 2026-01-01T00:00:00Z
HOUR = 3600
URL = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com"
MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"  # what harness.push_image pushes
CONFIG = "application/vnd.docker.container.image.v1+json"


def rfc3339(secs: float) -> str:
    import datetime

    return datetime.datetime.fromtimestamp(int(secs), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def push(ecr, repo: str, tags: list[str], pushed_at: float, size: int, pulled_at: float | None = None) -> str:
    """An image with the given tags (none: untagged), push time and size; its digest."""
    digest = None
    for tag in tags or [None]:  # the same manifest again adds a tag to the image
        digest = push_image(ecr, repo, tag, salt=f"{repo}-{pushed_at}", config_size=size, pushed_at=pushed_at, pulled_at=pulled_at)
    return digest


class RecordingProxy(ForwardingProxy):
    """Counts ECR calls by operation and keeps each request's JSON body."""

    def __init__(self, upstream: str):
        super().__init__(upstream)
        self.calls: collections.Counter = collections.Counter()
        self.bodies: list[tuple[str, dict]] = []
        self._bodies_lock = threading.Lock()

    def seen_body(self, op, headers, body):
        with self._bodies_lock:
            self.calls[op] += 1
            try:
                self.bodies.append((op, json.loads(body or b"{}")))
            except ValueError:
                self.bodies.append((op, {}))

    def requests(self, op: str) -> list[dict]:
        with self._bodies_lock:
            return [b for o, b in self.bodies if o == op]

    def reset(self) -> None:
        with self._bodies_lock:
            self.calls.clear()
            self.bodies.clear()


@pytest.fixture
def proxy(moto):
    p = RecordingProxy(moto.url).start()
    yield p
    p.stop()


def config(endpoint: str, *blocks: str) -> str:
    return whole_config(provider_block(endpoint), *blocks)


@pytest.fixture
def seeded(ecr):
    """Repository `app` with five images (one untagged; D pushed a quarter second after E) and
    two more repositories. Returns the digests by letter."""
    ecr.create_repository(repositoryName="app", imageTagMutability="IMMUTABLE", tags=[{"Key": "team", "Value": "platform"}])
    ecr.create_repository(repositoryName="empty")
    ecr.create_repository(repositoryName="other/x")
    d = {
        "A": push(ecr, "app", ["v1.0"], T0, 1000),
        "B": push(ecr, "app", [], T0 + HOUR, 2000),
        "C": push(ecr, "app", ["v1.1", "stable"], T0 + 2 * HOUR, 3000, pulled_at=T0 + 3 * HOUR),
        "E": push(ecr, "app", ["v2.0-rc1"], T0 + 3 * HOUR, 5000),
        "D": push(ecr, "app", ["dev-7"], T0 + 3 * HOUR + 0.25, 4000),
    }
    assert len(set(d.values())) == 5
    return d


LOOKUPS = '''
data "ecr_repository" "app" {
  name = "app"
}
data "ecr_repositories" "all" {}
data "ecr_image" "by_tag" {
  repository_name = "app"
  image_tag       = "v1.1"
}
data "ecr_image" "by_digest" {
  repository_name = "app"
  image_digest    = "%(A)s"
}
data "ecr_image" "newest" {
  repository_name = "app"
  most_recent     = true
}
data "ecr_images" "all" {
  repository_name = "app"
}
data "ecr_images" "releases" {
  repository_name   = "app"
  tag_pattern       = "v*"
  most_recent_first = true
  limit             = 2
}
data "ecr_images" "untagged" {
  repository_name = "app"
  tag_status      = "UNTAGGED"
}
data "ecr_images" "recent" {
  repository_name = "app"
  pushed_after    = "2026-01-01T01:00:00Z"
}
output "repository" { value = data.ecr_repository.app }
output "names" { value = data.ecr_repositories.all.names }
output "by_tag" { value = data.ecr_image.by_tag }
output "by_digest" { value = data.ecr_image.by_digest }
output "newest" { value = data.ecr_image.newest }
output "all" { value = data.ecr_images.all }
output "releases" { value = data.ecr_images.releases }
output "untagged" { value = data.ecr_images.untagged.image_ids }
output "recent" { value = [for i in data.ecr_images.recent.images : i.image_digest] }
'''


@pytest.mark.compat
def test_seeded_images_give_the_expected_values(ws, moto, seeded):
    d = seeded
    ws.write(config(moto.url, LOOKUPS % d))
    ws.apply()

    by_tag = ws.output("by_tag")
    assert by_tag["image_digest"] == d["C"] and by_tag["id"] == d["C"]
    assert by_tag["image_tags"] == ["stable", "v1.1"]
    assert by_tag["image_uri"] == f"{URL}/app:v1.1"
    assert by_tag["image_pushed_at"] == T0 + 2 * HOUR
    assert by_tag["image_size_in_bytes"] == 3000
    assert by_tag["image_manifest_media_type"] == MANIFEST
    assert by_tag["artifact_media_type"] == CONFIG
    assert by_tag["last_recorded_pull_time"] == "2026-01-01T03:00:00Z"
    assert by_tag["image_status"] == "ACTIVE"
    assert by_tag["registry_id"] == ACCOUNT

    by_digest = ws.output("by_digest")
    assert (by_digest["image_tags"], by_digest["image_size_in_bytes"]) == (["v1.0"], 1000)
    assert by_digest["image_uri"] == f"{URL}/app@{d['A']}"
    assert by_digest["last_recorded_pull_time"] is None

    # most_recent: D, pushed a quarter of a second after E (same whole second).
    newest = ws.output("newest")
    assert (newest["image_digest"], newest["image_tags"]) == (d["D"], ["dev-7"])
    assert newest["image_uri"] == f"{URL}/app@{d['D']}"

    # Oldest first; E and D share a second and are told apart by the sub-second push time.
    everything = ws.output("all")
    assert [i["image_digest"] for i in everything["images"]] == [d[k] for k in "ABCED"]
    assert [(i["image_digest"], i["image_tag"]) for i in everything["image_ids"]] == [
        (d["A"], "v1.0"), (d["B"], None), (d["C"], "stable"), (d["C"], "v1.1"), (d["E"], "v2.0-rc1"), (d["D"], "dev-7"),
    ]
    c = everything["images"][2]
    assert c == {
        "image_digest": d["C"], "image_tags": ["stable", "v1.1"], "image_pushed_at": "2026-01-01T02:00:00Z",
        "image_size_in_bytes": 3000, "image_manifest_media_type": MANIFEST, "artifact_media_type": CONFIG,
        "registry_id": ACCOUNT, "repository_name": "app", "image_status": "ACTIVE",
        "last_recorded_pull_time": "2026-01-01T03:00:00Z",
    }

    releases = ws.output("releases")
    assert [i["image_digest"] for i in releases["images"]] == [d["E"], d["C"]]
    # Only the tags matching the pattern are listed as ids ("stable" is not).
    assert [(i["image_digest"], i["image_tag"]) for i in releases["image_ids"]] == [(d["E"], "v2.0-rc1"), (d["C"], "v1.1")]
    assert ws.output("untagged") == [{"image_digest": d["B"], "image_tag": None}]
    assert ws.output("recent") == [d["C"], d["E"], d["D"]]  # B was pushed at 01:00:00, not after

    repo = ws.output("repository")
    assert repo["most_recent_image_tags"] == ["dev-7"]
    assert repo["repository_url"] == f"{URL}/app"
    assert repo["arn"] == f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/app"
    assert (repo["registry_id"], repo["image_tag_mutability"], repo["tags"]) == (ACCOUNT, "IMMUTABLE", {"team": "platform"})
    assert repo["image_scanning_configuration"] == [{"scan_on_push": False}]
    assert repo["encryption_configuration"] == [{"encryption_type": "AES256", "kms_key": None}]
    assert repo["created_at"].endswith("Z")
    assert sorted(ws.output("names")) == ["app", "empty", "other/x"]

    # Reads are deterministic: a second plan has nothing to change.
    code, out = ws.plan_exitcode()
    assert code == 0 and "No changes." in out, out


@pytest.mark.compat
def test_lookups_with_region_read_that_region(ws, moto, ecr):
    """`region` sends the reads to that region's ECR (moto keeps one registry per region, as
    AWS does); without it the provider's region is read and recorded."""
    import boto3

    other = "eu-west-1"
    far = boto3.client("ecr", endpoint_url=moto.url, region_name=other, aws_access_key_id="test", aws_secret_access_key="test")
    far.create_repository(repositoryName="far", imageTagMutability="IMMUTABLE")
    old = push(far, "far", ["v1"], T0, 1000)
    new = push(far, "far", ["v2"], T0 + HOUR, 2000)
    ecr.create_repository(repositoryName="near")
    ws.write(config(moto.url, f'''
        data "ecr_repository" "far" {{
          name   = "far"
          region = "{other}"
        }}
        data "ecr_image" "far" {{
          repository_name = "far"
          image_tag       = "v1"
          region          = "{other}"
        }}
        data "ecr_image" "newest" {{
          repository_name = "far"
          most_recent     = true
          region          = "{other}"
        }}
        data "ecr_images" "far" {{
          repository_name = "far"
          region          = "{other}"
        }}
        data "ecr_repositories" "there" {{
          region = "{other}"
        }}
        data "ecr_repositories" "here" {{}}
        output "repository" {{ value = data.ecr_repository.far }}
        output "image" {{ value = data.ecr_image.far }}
        output "newest" {{ value = data.ecr_image.newest.image_digest }}
        output "images" {{ value = data.ecr_images.far.image_ids }}
        output "there" {{ value = data.ecr_repositories.there }}
        output "here" {{ value = data.ecr_repositories.here }}
    '''))
    ws.apply()
    far_url = f"{ACCOUNT}.dkr.ecr.{other}.amazonaws.com/far"
    repo = ws.output("repository")
    assert (repo["region"], repo["repository_url"], repo["image_tag_mutability"]) == (other, far_url, "IMMUTABLE")
    assert repo["arn"] == f"arn:aws:ecr:{other}:{ACCOUNT}:repository/far"
    assert repo["most_recent_image_tags"] == ["v2"]
    image = ws.output("image")
    assert (image["image_digest"], image["image_uri"], image["region"]) == (old, f"{far_url}:v1", other)
    assert ws.output("newest") == new
    assert ws.output("images") == [{"image_digest": old, "image_tag": "v1"}, {"image_digest": new, "image_tag": "v2"}]
    assert (ws.output("there")["names"], ws.output("there")["region"]) == (["far"], other)
    assert (ws.output("here")["names"], ws.output("here")["region"]) == (["near"], "us-east-1")
    code, out = ws.plan_exitcode()
    assert code == 0 and "No changes." in out, out

    # Without `region` the provider's region is read, where "far" does not exist.
    ws.write(config(moto.url, '''
        data "ecr_repository" "far" {
          name = "far"
        }
    '''))
    r = ws.plan(check=False)
    assert r.returncode == 1 and '"far"' in r.stderr, r.stderr


def test_most_recent_follows_new_pushes_and_empty_repositories_fail(ws, moto, ecr, seeded):
    ws.write(config(moto.url, '''
        data "ecr_image" "newest" {
          repository_name = "app"
          most_recent     = true
        }
        data "ecr_repository" "app" {
          name = "app"
        }
        output "tags" { value = data.ecr_image.newest.image_tags }
        output "repo_tags" { value = data.ecr_repository.app.most_recent_image_tags }
    '''))
    ws.apply()
    assert ws.output("tags") == ws.output("repo_tags") == ["dev-7"]
    push(ecr, "app", [], T0 + 10 * HOUR, 10)  # an untagged push becomes the newest
    ws.apply()
    assert ws.output("tags") == ws.output("repo_tags") == []

    ws.write(config(moto.url, '''
        data "ecr_image" "newest" {
          repository_name = "empty"
          most_recent     = true
        }
    '''))
    r = ws.plan(check=False)
    assert r.returncode == 1 and 'No image in "empty"' in r.stderr and "most_recent" in r.stderr, r.stderr


@pytest.mark.compat
def test_a_missing_tag_or_digest_fails_with_its_name(ws, moto, seeded):
    missing = "sha256:" + "0" * 64
    for block, fragments in (
        ('image_tag = "v404"', ['No image with tag "v404" in "app"', "image_tag"]),
        (f'image_digest = "{missing}"', [f'No image with digest "{missing}" in "app"', "image_digest"]),
    ):
        ws.write(config(moto.url, f'''
            data "ecr_image" "x" {{
              repository_name = "app"
              {block}
            }}
        '''))
        r = ws.plan(check=False)
        assert r.returncode == 1, r.stdout
        for f in fragments:
            assert f in r.stderr, r.stderr
    ws.write(config(moto.url, '''
        data "ecr_images" "x" {
          repository_name = "nope"
        }
    '''))
    r = ws.plan(check=False)
    assert r.returncode == 1 and 'ECR repository "nope" not found' in r.stderr, r.stderr


@pytest.mark.parametrize(
    "block, summary, attribute",
    [
        ('data "ecr_image" "x" {\n  repository_name = "app"\n  image_tag = "v1"\n  image_digest = "sha256:%s"\n}' % ("a" * 64),
         "Conflicting image_tag and image_digest", "image_digest"),
        ('data "ecr_image" "x" {\n  repository_name = "app"\n  most_recent = false\n}', "No image selected", "most_recent"),
        ('data "ecr_image" "x" {\n  repository_name = "app"\n  image_digest = "sha256:abc"\n}', "Invalid image_digest", "image_digest"),
        ('data "ecr_image" "x" {\n  repository_name = "App"\n  most_recent = true\n}', "Invalid repository_name", "repository_name"),
        ('data "ecr_images" "x" {\n  repository_name = "app"\n  tag_status = "tagged"\n}', "Invalid tag_status", "tag_status"),
        ('data "ecr_images" "x" {\n  repository_name = "app"\n  limit = 0\n}', "Invalid limit", "limit"),
        ('data "ecr_images" "x" {\n  repository_name = "app"\n  pushed_after = "yesterday"\n}', "Invalid pushed_after", "pushed_after"),
        ('data "ecr_images" "x" {\n  repository_name = "app"\n  image_status = "active"\n}', "Invalid image_status", "image_status"),
        ('data "ecr_repository" "x" {\n  name = "app"\n  registry_id = "1234"\n}', "Invalid registry_id", "registry_id"),
        ('data "ecr_public_images" "x" {\n  repository_name = "tool"\n  image_ids {\n  }\n}', "Empty image id", "image_ids"),
        ('data "ecr_pull_through_cache_rule" "x" {\n  ecr_repository_prefix = "X"\n}', "Invalid ecr_repository_prefix", "ecr_repository_prefix"),
    ],
)
def test_plan_time_validation_names_the_attribute(ws, moto, block, summary, attribute):
    ws.write(config(moto.url, block))
    r = ws.validate(check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 1 and f"Error: {summary}" in out, out
    # Terraform quotes the offending line of the configuration under the error.
    quoted = out[out.index(f"Error: {summary}"):].split("\n\n")[1]
    assert re.search(rf"^\s*\d+:\s+{attribute}\b", quoted, re.M), quoted


def test_filters_that_keep_nothing_only_warn(ws, moto, seeded):
    """No AWS rule is broken by filters that select nothing: a warning, and the read runs."""
    ws.write(config(moto.url, '''
        data "ecr_images" "x" {
          repository_name = "app"
          tag_status      = "UNTAGGED"
          tag_pattern     = "v*"
        }
        output "n" { value = length(data.ecr_images.x.images) }
    '''))
    r = ws.apply()
    out = r.stdout + r.stderr
    assert "Warning: Conflicting tag_status and tag_pattern" in out, out
    assert ws.output("n") == 0


@pytest.mark.compat
def test_arguments_unknown_at_plan_are_read_at_apply(ws, moto, ecr):
    ws.write(config(moto.url, '''
        resource "ecr_repository" "r" {
          name           = "made-here"
          posture_ignore = ["ECR-P001", "ECR-P002", "ECR-P003", "ECR-P004"]
        }
        data "ecr_images" "r" {
          repository_name = ecr_repository.r.name
        }
        data "ecr_repository" "r" {
          name = ecr_repository.r.name
        }
        output "ids" { value = data.ecr_images.r.image_ids }
        output "url" { value = data.ecr_repository.r.repository_url }
    '''))
    code, out = ws.plan_exitcode()
    assert code == 2 and "data.ecr_images.r will be read during apply" in out, out
    ws.apply()
    assert ws.output("ids") == [] and ws.output("url") == f"{URL}/made-here"
    code, out = ws.plan_exitcode()
    assert code == 0, out
    ws.destroy()


@pytest.mark.compat
def test_registry_id_reaches_aws(ws, proxy, seeded):
    """registry_id is sent on every call; moto holds one account, so a foreign registry is not
    found there, and the error names it."""
    ws.write(config(proxy.url, f'''
        data "ecr_image" "own" {{
          repository_name = "app"
          registry_id     = "{ACCOUNT}"
          image_tag       = "v1.0"
        }}
        data "ecr_images" "own" {{
          repository_name = "app"
          registry_id     = "{ACCOUNT}"
        }}
        data "ecr_repository" "own" {{
          name        = "app"
          registry_id = "{ACCOUNT}"
        }}
        output "digest" {{ value = data.ecr_image.own.image_digest }}
        output "count" {{ value = length(data.ecr_images.own.images) }}
        output "registry" {{ value = data.ecr_repository.own.registry_id }}
    '''))
    ws.apply()
    assert (ws.output("digest"), ws.output("count"), ws.output("registry")) == (seeded["A"], 5, ACCOUNT)
    sent = proxy.requests("DescribeImages") + proxy.requests("DescribeRepositories")
    assert sent and all(b.get("registryId") == ACCOUNT for b in sent), sent

    for block in (
        f'data "ecr_image" "x" {{\n  repository_name = "app"\n  registry_id = "{FOREIGN}"\n  most_recent = true\n}}',
        f'data "ecr_images" "x" {{\n  repository_name = "app"\n  registry_id = "{FOREIGN}"\n}}',
        f'data "ecr_repository" "x" {{\n  name = "app"\n  registry_id = "{FOREIGN}"\n}}',
    ):
        proxy.reset()
        ws.write(config(proxy.url, block))
        r = ws.plan(check=False)
        assert r.returncode == 1 and f'ECR repository "app" not found in registry {FOREIGN}' in r.stderr, r.stderr
        sent = proxy.requests("DescribeImages") + proxy.requests("DescribeRepositories")
        assert sent and all(b.get("registryId") == FOREIGN for b in sent), proxy.bodies


def test_one_page_walk_of_a_large_repository(ws, proxy, ecr):
    """1,001 images are read in two DescribeImages calls (1,000 a page), for the list and for
    most_recent alike; the newest is the last pushed."""
    ecr.create_repository(repositoryName="big")
    digests = [push(ecr, "big", [f"b{i}"] if i % 3 else [], T0 + i, 100 + i) for i in range(1001)]
    ws.write(config(proxy.url, '''
        data "ecr_images" "big" {
          repository_name = "big"
        }
        output "count" { value = length(data.ecr_images.big.images) }
        output "first" { value = data.ecr_images.big.images[0].image_digest }
    '''))
    proxy.reset()
    ws.apply()
    assert (ws.output("count"), ws.output("first")) == (1001, digests[0])
    pages = proxy.requests("DescribeImages")
    assert len(pages) == 2 and all(p.get("maxResults") == 1000 for p in pages), pages
    assert "nextToken" not in pages[0] and pages[1].get("nextToken"), pages

    ws.write(config(proxy.url, '''
        data "ecr_image" "newest" {
          repository_name = "big"
          most_recent     = true
        }
        output "newest" { value = data.ecr_image.newest.image_digest }
    '''))
    proxy.reset()
    r = ws.plan()
    assert proxy.calls["DescribeImages"] == 2 and proxy.calls["DescribeRepositories"] == 0, proxy.calls
    ws.apply()
    assert ws.output("newest") == digests[-1]


def public_provider(public, moto) -> str:
    return provider_block(moto.url, ecrpublic=public.url)


@pytest.mark.compat
def test_public_images(ws, moto, public):
    import boto3

    boto3.client("ecr-public", endpoint_url=public.url, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t").create_repository(repositoryName="tool")
    a = public.add_image("tool", tags=["v1"], pushed_at=T0, size=10, media_type=MANIFEST, artifact_media_type=CONFIG)
    b = public.add_image("tool", pushed_at=T0 + HOUR, size=20, media_type=MANIFEST, artifact_media_type=CONFIG)
    c = public.add_image("tool", tags=["v2", "latest"], pushed_at=T0 + 2 * HOUR, size=30, media_type=MANIFEST, artifact_media_type=CONFIG)
    ws.write(public_provider(public, moto) + textwrap.dedent(f'''
        data "ecr_public_images" "all" {{
          repository_name = "tool"
          registry_id     = "{ACCOUNT}"
        }}
        data "ecr_public_images" "newest_release" {{
          repository_name   = "tool"
          tag_pattern       = "v*"
          most_recent_first = true
          limit             = 1
        }}
        data "ecr_public_images" "picked" {{
          repository_name = "tool"
          image_ids {{
            image_tag = "v1"
          }}
          image_ids {{
            image_digest = "{b}"
          }}
        }}
        output "all" {{ value = data.ecr_public_images.all.images }}
        output "newest_release" {{ value = [for i in data.ecr_public_images.newest_release.images : i.image_digest] }}
        output "picked" {{ value = [for i in data.ecr_public_images.picked.images : i.image_digest] }}
    '''))
    ws.apply()
    everything = ws.output("all")
    assert [i["image_digest"] for i in everything] == [a, b, c]
    assert everything[2] == {
        "image_digest": c, "image_tags": ["latest", "v2"], "image_pushed_at": "2026-01-01T02:00:00Z",
        "image_size_in_bytes": 30, "image_manifest_media_type": MANIFEST, "artifact_media_type": CONFIG,
        "registry_id": ACCOUNT, "repository_name": "tool",
    }
    assert ws.output("newest_release") == [c]
    assert ws.output("picked") == [a, b]
    described = [r.body for r in public.requests("DescribeImages")]
    assert any(r.get("registryId") == ACCOUNT for r in described), described
    assert all(r.region == "us-east-1" for r in public.requests())
    code, out = ws.plan_exitcode()
    assert code == 0, out

    ws.write(public_provider(public, moto) + textwrap.dedent('''
        data "ecr_public_images" "x" {
          repository_name = "tool"
          image_ids {
            image_tag = "v404"
          }
        }
    '''))
    r = ws.plan(check=False)
    assert r.returncode == 1 and 'No image with tag "v404" in "tool"' in r.stderr, r.stderr


def test_pull_through_cache_rule_lookup(ws, moto, fakecloud):
    import boto3

    fakecloud.reset()
    with RoutingProxy(moto.url, fakecloud.url) as routing:
        fc = boto3.client("ecr", endpoint_url=fakecloud.url, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
        fc.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io")
        ws.write(config(routing.url, '''
            data "ecr_pull_through_cache_rule" "quay" {
              ecr_repository_prefix = "quay"
            }
            output "rule" { value = data.ecr_pull_through_cache_rule.quay }
        '''))
        ws.apply()
        rule = ws.output("rule")
        assert rule["upstream_registry_url"] == "quay.io" and rule["upstream_registry"] == "quay"
        assert rule["repository_url_prefix"] == f"{URL}/quay" and rule["registry_id"] == ACCOUNT
        ws.write(config(routing.url, '''
            data "ecr_pull_through_cache_rule" "x" {
              ecr_repository_prefix = "nothing-here"
            }
        '''))
        r = ws.plan(check=False)
        assert r.returncode == 1 and 'No pull-through cache rule for prefix "nothing-here"' in r.stderr, r.stderr


@pytest.mark.compat
def test_repository_creation_template_lookup(ws, moto, fakecloud):
    import boto3

    fakecloud.reset()
    with RoutingProxy(moto.url, fakecloud.url) as routing:
        fc = boto3.client("ecr", endpoint_url=fakecloud.url, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
        fc.create_repository_creation_template(
            prefix="team-a", appliedFor=["CREATE_ON_PUSH", "REPLICATION"], imageTagMutability="IMMUTABLE",
            description="team a", resourceTags=[{"Key": "team", "Value": "a"}],
        )
        ws.write(config(routing.url, '''
            data "ecr_repository_creation_template" "a" {
              prefix = "team-a"
            }
            output "t" { value = data.ecr_repository_creation_template.a }
        '''))
        ws.apply()
        t = ws.output("t")
        assert t["applied_for"] == ["CREATE_ON_PUSH", "REPLICATION"]
        assert (t["image_tag_mutability"], t["description"], t["resource_tags"]) == ("IMMUTABLE", "team a", {"team": "a"})
        assert t["registry_id"] == ACCOUNT and t["lifecycle_policy"] is None
        code, out = ws.plan_exitcode()
        assert code == 0, out
        ws.write(config(routing.url, '''
            data "ecr_repository_creation_template" "x" {
              prefix = "team-b"
            }
        '''))
        r = ws.plan(check=False)
        assert r.returncode == 1 and 'No repository creation template for prefix "team-b"' in r.stderr, r.stderr


def test_migrated_hashicorp_lookups_read_the_same_objects(ws, moto, ecr, provider_dir):
    """The lookup examples in hashicorp/aws form (tests/fixtures/migrate/examples-aws) through
    `migrate --write`: the converted configuration reads the seeded objects, and the expression
    `migrate` prints for a tag lookup's `image_uri` gives hashicorp/aws's digest form."""
    import subprocess

    from harness import PROVIDER_BINARY_NAME, REPO_ROOT

    ecr.create_repository(repositoryName="my-org/app")
    digest = push(ecr, "my-org/app", ["v1.2.3"], T0, 1000)
    fixtures = REPO_ROOT / "tests" / "fixtures" / "migrate" / "examples-aws" / "data-sources"
    ws.write(config(moto.url))
    for name in ("ecr_repository", "ecr_image"):
        (ws.path / f"{name}.tf").write_text((fixtures / name / "main.tf").read_text())
    r = subprocess.run([str(provider_dir / PROVIDER_BINARY_NAME), "migrate", str(ws.path), "--write"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    notes = [line for line in r.stderr.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1 and "data.aws_ecr_image.release: its image_uri is referenced" in notes[0], r.stderr
    expression = notes[0].split("to keep the digest form write ", 1)[1]
    converted = "".join((ws.path / f"{n}.tf").read_text() for n in ("ecr_repository", "ecr_image"))
    assert "aws_ecr" not in converted, converted
    with open(ws.path / "ecr_image.tf", "a") as f:
        f.write(f'\noutput "digest_form" {{\n  value = {expression}\n}}\n')
    ws.apply()
    url = f"{URL}/my-org/app"
    assert ws.output("push_to") == url
    assert ws.output("tags_of_newest_image") == ["v1.2.3"]
    assert ws.output("pinned_image") == f"{url}:v1.2.3"
    assert ws.output("digest_form") == f"{url}@{digest}"
    assert ws.output("release_pushed_at") == T0
    code, out = ws.plan_exitcode()
    assert code == 0, out
