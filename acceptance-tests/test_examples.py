"""Every folder under examples/ with a main.tf, applied as a user would: copied into a workspace
(its provider.tf link resolved), validated, applied, planned again (no changes), checked, and
destroyed, after which the emulators hold what they held before the apply.

The examples' provider block is what a real-AWS user writes; the tests aim it at the emulators
with the standard AWS environment variables (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ECR_PUBLIC).
Examples with pull-through cache rules or registry-wide types go through ``RoutingProxy`` (those
operations and Secrets Manager on fakecloud, everything else on moto), so the provider still sees
one endpoint.

Each registered resource type must have ``examples/resources/<type>/main.tf``, each data source
``examples/data-sources/<type>/main.tf``, each ephemeral resource
``examples/ephemeral-resources/<type>/main.tf``, each list resource
``examples/list-resources/<type>/query.tfquery.hcl`` (with a main.tf creating what it lists) and
each function ``examples/functions/<name>/main.tf``; the type list comes from the provider
binary's schema, so a new type without an example fails ``test_every_type_has_an_example``.
Folders of newer surfaces are skipped on a Terraform that does not know them (``MIN_TERRAFORM``).
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any, Callable

import boto3
import pytest
from botocore.exceptions import ClientError

from harness import REGION, REPO_ROOT, RoutingProxy, Terraform, Workspace, push_image
from test_scanning import moto_scan_result

EXAMPLES = REPO_ROOT / "examples"
ACCOUNT = "123456789012"
SECRET_NAME = "ecr-pullthroughcache/docker-hub"
MIB = 1 << 20


def example_dirs() -> list[str]:
    """Folders holding a main.tf, relative to examples/ (e.g. ``resources/ecr_repository``)."""
    return sorted(str(p.parent.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("main.tf"))


# The first Terraform release that knows each newer kind of example.
MIN_TERRAFORM = {"functions": (1, 8), "ephemeral-resources": (1, 10), "list-resources": (1, 14)}


def skip_if_too_old(name: str, terraform: Terraform) -> None:
    need = MIN_TERRAFORM.get(name.split("/")[0])
    if need and not terraform.at_least(*need):
        pytest.skip(f"examples/{name} needs Terraform >= {'.'.join(map(str, need))}")


# --------------------------------------------------------------------------------------------
# the type list, from the binary under test
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def provider_schema(tmp_path_factory, provider_dir, terraform) -> dict:
    ws = Workspace(tmp_path_factory.mktemp("schema"), provider_dir, terraform=terraform)
    ws.write('terraform {\n  required_providers {\n    ecr = { source = "ecr-rs/ecr" }\n  }\n}\n')
    schemas = json.loads(ws.run("providers", "schema", "-json").stdout)["provider_schemas"]
    (schema,) = schemas.values()
    return schema


def test_every_type_has_an_example(provider_schema):
    resources = sorted(provider_schema["resource_schemas"])
    data_sources = sorted(provider_schema["data_source_schemas"])
    assert len(resources) >= 9 and len(data_sources) >= 6, (resources, data_sources)
    # Terraform before 1.10 / 1.14 / 1.8 does not print these: then only the folders are checked.
    newer = [
        ("ephemeral", "ephemeral-resources", "main.tf", provider_schema.get("ephemeral_resource_schemas")),
        ("list", "list-resources", "query.tfquery.hcl", provider_schema.get("list_resource_schemas")),
        ("provider::ecr::", "functions", "main.tf", provider_schema.get("functions")),
    ]
    missing = []
    kinds = [("resource", "resources", "main.tf", resources), ("data", "data-sources", "main.tf", data_sources)]
    for kind, folder, file, types in kinds + [n for n in newer if n[3] is not None]:
        for t in sorted(types):
            example = EXAMPLES / folder / t / file
            want = f"{kind}{t}(" if kind.endswith("::") else f'{kind} "{t}"'
            if not example.is_file():
                missing.append(f"examples/{folder}/{t}/{file}")
            elif want not in example.read_text():
                missing.append(f"examples/{folder}/{t}/{file} has no {want}")
        stale = sorted({p.name for p in (EXAMPLES / folder).iterdir() if p.is_dir()} - set(types))
        assert not stale, f"example folders for types the provider does not have: {stale}"
    assert not missing, missing
    assert (EXAMPLES / "provider" / "main.tf").is_file() and (EXAMPLES / "complete" / "main.tf").is_file()


def test_example_folders_use_the_shared_provider_file():
    """main.tf holds what a user copies; provider configuration is the shared examples/provider.tf
    (a symlink), except in examples/provider, which is about the provider block."""
    for name in example_dirs():
        folder = EXAMPLES / name
        main = (folder / "main.tf").read_text()
        assert main.startswith("#"), f"{name}/main.tf must start with a comment saying what it shows"
        if name == "provider":
            assert not (folder / "provider.tf").exists()
            continue
        link = folder / "provider.tf"
        assert link.is_symlink() and link.resolve() == (EXAMPLES / "provider.tf").resolve(), f"{name}/provider.tf"
        assert 'provider "ecr"' not in main and "required_providers" not in main, f"{name}/main.tf configures the provider"
        assert "aws_endpoint" not in main and "endpoints {" not in main and "127.0.0.1" not in main, f"{name}/main.tf has emulator plumbing"


# --------------------------------------------------------------------------------------------
# helpers: pushing images, reading the emulators
# --------------------------------------------------------------------------------------------


def delete_images(ecr, repository: str) -> None:
    ids = ecr.list_images(repositoryName=repository)["imageIds"]
    if ids:
        ecr.batch_delete_image(repositoryName=repository, imageIds=ids)


def _or_none(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except ClientError as e:
        if e.response["Error"]["Code"].endswith("NotFoundException"):
            return None
        raise


def snapshot(ctx: "Ctx") -> dict:
    """What the emulators hold that an example could create or change."""
    ecr = ctx.ecr
    snap: dict[str, Any] = {}
    for r in ecr.describe_repositories()["repositories"]:
        name = r["repositoryName"]
        snap[f"repository {name}"] = {
            "images": len(ecr.list_images(repositoryName=name)["imageIds"]),
            "policy": _or_none(lambda: ecr.get_repository_policy(repositoryName=name)["policyText"]),
            "lifecycle": _or_none(lambda: ecr.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"]),
        }
    snap["registry policy"] = _or_none(lambda: ecr.get_registry_policy()["policyText"])
    scanning = ecr.get_registry_scanning_configuration()["scanningConfiguration"]
    snap["registry scanning"] = {"scanType": scanning.get("scanType", "BASIC"), "rules": scanning.get("rules", [])}
    if ctx.fakecloud_ecr is not None:
        snap["pull-through cache rules"] = sorted(
            r["ecrRepositoryPrefix"] for r in ctx.fakecloud_ecr.describe_pull_through_cache_rules().get("pullThroughCacheRules", [])
        )
        snap["registry"] = registry_snapshot(ctx.fakecloud_ecr)
    snap["public repositories"] = sorted(ctx.public.state.repos)
    return snap


# Registry-wide types whose operations the routing proxy sends to fakecloud.
REGISTRY_TYPES = (
    "ecr_replication_configuration",
    "ecr_replication_rule",
    "ecr_repository_creation_template",
    "ecr_account_setting",
    "ecr_signing_configuration",
    "ecr_pull_time_update_exclusion",
)


def registry_snapshot(fc) -> dict:
    """fakecloud's registry-wide settings."""
    return {
        "replication": fc.describe_registry().get("replicationConfiguration", {}).get("rules", []),
        "templates": sorted(t["prefix"] for t in fc.describe_repository_creation_templates().get("repositoryCreationTemplates", [])),
        "blob mounting": fc.get_account_setting(name="BLOB_MOUNTING")["value"],
        "signing": _or_none(lambda: fc.get_signing_configuration()["signingConfiguration"]),
        "pull-time exclusions": fc.list_pull_time_update_exclusions().get("pullTimeUpdateExclusions", []),
    }


def sids(ecr, repository: str) -> list[str]:
    return sorted(s["Sid"] for s in json.loads(ecr.get_repository_policy(repositoryName=repository)["policyText"])["Statement"])


class Ctx:
    """What an example's setup and checks need."""

    def __init__(self, name: str, ws: Workspace, moto, ecr, public):
        self.name = name
        self.moto = moto
        self.ws = ws
        self.ecr = ecr
        self.public = public
        self.fakecloud_ecr = None  # with the routing proxy only
        self.secrets = None
        self.proxy: RoutingProxy | None = None
        self.vars: list[str] = []

    def var(self, key: str, value: str) -> None:
        self.vars += ["-var", f"{key}={value}"]


# --------------------------------------------------------------------------------------------
# per-example setup (what exists before a user applies it) and checks (what it did)
# --------------------------------------------------------------------------------------------


def setup_existing_repository(ctx: Ctx) -> None:
    ctx.ecr.create_repository(repositoryName="my-org/app")


def setup_docker_hub_secret(ctx: Ctx) -> None:
    arn = ctx.secrets.create_secret(Name=SECRET_NAME, SecretString=json.dumps({"username": "u", "accessToken": "t"}))["ARN"]
    ctx.var("docker_hub_secret_arn", arn)


def setup_releases(ctx: Ctx) -> None:
    # v1 and v2 pushed a second apart before the rest, so "the oldest" is not a tie.
    for i in range(1, 13):
        push_image(ctx.ecr, "my-org/app", f"v{i}", config={"tag": f"v{i}"}, create=True)
        if i <= 2:
            time.sleep(1.1)


def setup_release_image(ctx: Ctx) -> None:
    push_image(ctx.ecr, "my-org/app", "v1.2.3", config={"tag": "v1.2.3"}, create=True)


def setup_images_with_layers(ctx: Ctx) -> None:
    # Ten builds sharing a 200 MB base layer, each with its own 50 MB layer: 700 MB stored.
    for i in range(10):
        push_image(ctx.ecr, "my-org/app", f"sha-{i}", config={"tag": f"sha-{i}"}, layers=[("base", 200 * MIB), (f"app-{i}", 50 * MIB)], create=True)


def setup_repositories_to_list(ctx: Ctx) -> None:
    for name in ("my-org/app", "my-org/worker", "other/tool"):
        ctx.ecr.create_repository(repositoryName=name)


def setup_policies_to_list(ctx: Ctx) -> None:
    for name in ("my-org/app", "my-org/worker"):
        ctx.ecr.create_repository(repositoryName=name)
    rule = {"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14}, "action": {"type": "expire"}}
    ctx.ecr.put_lifecycle_policy(repositoryName="my-org/app", lifecyclePolicyText=json.dumps({"rules": [rule]}))
    statement = {"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["ecr:BatchGetImage"]}
    ctx.ecr.set_repository_policy(repositoryName="my-org/worker", policyText=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))


def setup_rule_to_list(ctx: Ctx) -> None:
    ctx.fakecloud_ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws")


def setup_repository_with_images(ctx: Ctx) -> None:
    ctx.ecr.create_repository(repositoryName="my-org/app", tags=[{"Key": "team", "Value": "platform"}])
    push_image(ctx.ecr, "my-org/app", "v1.2.3", salt="v1.2.3", pushed_at=1_767_225_600)
    push_image(ctx.ecr, "my-org/app", "build-42", salt="build-42", pushed_at=1_767_229_200)


def setup_release_history(ctx: Ctx) -> None:
    ctx.ecr.create_repository(repositoryName="my-org/app")
    t0 = 1_767_225_600
    for i in range(1, 6):
        push_image(ctx.ecr, "my-org/app", f"v{i}", salt=f"v{i}", pushed_at=t0 + i * 3600)
    push_image(ctx.ecr, "my-org/app", "dev-9", salt="dev-9", pushed_at=t0 + 9 * 3600)  # newest, not a release
    push_image(ctx.ecr, "my-org/app", None, salt="untagged", pushed_at=t0 + 8 * 3600)


def setup_public_images(ctx: Ctx) -> None:
    boto3.client("ecr-public", endpoint_url=ctx.public.url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test").create_repository(repositoryName="my-org/my-tool")
    ctx.public.add_image("my-org/my-tool", tags=["v1.0.0", "stable"], pushed_at=1_767_225_600)
    ctx.public.add_image("my-org/my-tool", tags=["v1.1.0"], pushed_at=1_767_229_200)
    ctx.public.add_image("my-org/my-tool", tags=["nightly"], pushed_at=1_767_232_800)


def setup_docker_hub_template(ctx: Ctx) -> None:
    rules = {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 20}, "action": {"type": "expire"}}]}
    ctx.fakecloud_ecr.create_repository_creation_template(
        prefix="docker-hub", appliedFor=["PULL_THROUGH_CACHE"], imageTagMutability="IMMUTABLE", lifecyclePolicy=json.dumps(rules)
    )


def setup_quay_rule(ctx: Ctx) -> None:
    ctx.fakecloud_ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io")


SETUP: dict[str, Callable[[Ctx], None]] = {
    "resources/ecr_cross_account_grant": setup_existing_repository,
    "resources/ecr_repository_policy": setup_existing_repository,
    "resources/ecr_pull_through_cache_rule": setup_docker_hub_secret,
    "data-sources/ecr_lifecycle_preview": setup_releases,
    "data-sources/ecr_image_scan_findings": setup_release_image,
    "data-sources/ecr_cost_estimate": setup_images_with_layers,
    "data-sources/ecr_repository": setup_repository_with_images,
    "data-sources/ecr_image": setup_repository_with_images,
    "data-sources/ecr_images": setup_release_history,
    "data-sources/ecr_repositories": setup_repositories_to_list,
    "data-sources/ecr_public_images": setup_public_images,
    "data-sources/ecr_pull_through_cache_rule": setup_quay_rule,
    "data-sources/ecr_repository_creation_template": setup_docker_hub_template,
    "complete": setup_docker_hub_secret,
    "list-resources/ecr_repository": setup_repositories_to_list,
    "list-resources/ecr_lifecycle_policy": setup_policies_to_list,
    "list-resources/ecr_repository_policy": setup_policies_to_list,
    "list-resources/ecr_pull_through_cache_rule": setup_rule_to_list,
}


def check_provider(ctx: Ctx) -> None:
    for out in ("registry", "registry_via_role"):
        assert ctx.ws.output(out) == f"https://{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com", out


def check_repository(ctx: Ctx) -> None:
    (r,) = ctx.ecr.describe_repositories(repositoryNames=["my-org/app"])["repositories"]
    assert r["imageTagMutability"] == "IMMUTABLE_WITH_EXCLUSION"
    assert r["imageScanningConfiguration"] == {"scanOnPush": True}
    assert r["encryptionConfiguration"]["encryptionType"] == "KMS"
    tags = {t["Key"]: t["Value"] for t in ctx.ecr.list_tags_for_resource(resourceArn=r["repositoryArn"])["tags"]}
    assert tags == {"managed-by": "terraform", "team": "platform", "env": "prod"}
    assert json.loads(ctx.ecr.get_lifecycle_policy(repositoryName="my-org/app")["lifecyclePolicyText"])["rules"][0]["selection"]["tagStatus"] == "untagged"
    assert ctx.ws.output("repository_url") == f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/my-org/app"


def check_lifecycle_policy(ctx: Ctx) -> None:
    prod = json.loads(ctx.ecr.get_lifecycle_policy(repositoryName="my-org/app")["lifecyclePolicyText"])
    assert [(r["rulePriority"], r["selection"]["tagStatus"]) for r in prod["rules"]] == [(1, "tagged"), (2, "untagged"), (3, "tagged")]
    assert json.loads(ctx.ws.output("prod_policy_json")) == prod
    dev = json.loads(ctx.ecr.get_lifecycle_policy(repositoryName="my-org/app-dev")["lifecyclePolicyText"])
    assert dev["rules"][0]["selection"]["countNumber"] == 14


def check_registry_scanning(ctx: Ctx) -> None:
    c = ctx.ecr.get_registry_scanning_configuration()["scanningConfiguration"]
    assert c["scanType"] == "ENHANCED"
    assert sorted((r["scanFrequency"], r["repositoryFilters"][0]["filter"]) for r in c["rules"]) == [
        ("CONTINUOUS_SCAN", "my-org/prod-*"),
        ("SCAN_ON_PUSH", "*"),
    ]


def check_cross_account_grant(ctx: Ctx) -> None:
    assert sids(ctx.ecr, "my-org/app") == ["ProdPull", "ProdPullLambda", "StagingPull"]
    consumer = json.loads(ctx.ws.output("prod_consumer_policy"))
    assert consumer["Statement"][1]["Resource"] == f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/my-org/app"


def check_repository_policy(ctx: Ctx) -> None:
    assert sids(ctx.ecr, "my-org/app") == ["CIPush", "ClusterPull"]
    assert ctx.ws.output("registry_id") == ACCOUNT


def check_registry_policy(ctx: Ctx) -> None:
    (s,) = json.loads(ctx.ecr.get_registry_policy()["policyText"])["Statement"]
    assert s["Sid"] == "ReplicationFromTooling" and s["Resource"] == f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/*"


def check_pull_through_cache(ctx: Ctx) -> None:
    rules = {r["ecrRepositoryPrefix"]: r for r in ctx.fakecloud_ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"]}
    assert set(rules) == {"docker-hub", "quay", "k8s"}
    assert rules["docker-hub"]["credentialArn"].split(":secret:")[1].startswith(SECRET_NAME)
    assert ctx.ws.output("node_base_image") == f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/docker-hub/library/node:20-alpine"


def check_public_repository(ctx: Ctx) -> None:
    r = ctx.public.repo("my-org/my-tool")
    assert r.catalog["description"].startswith("my-tool:") and sorted(r.catalog["architectures"]) == ["ARM 64", "x86-64"]
    assert r.logo == (EXAMPLES / ctx.name / "logo.png").read_bytes()
    assert r.tags == {"managed-by": "terraform", "project": "my-tool"}
    assert ctx.ws.output("repository_uri") == "public.ecr.aws/standin/my-org/my-tool"


def check_public_repository_policy(ctx: Ctx) -> None:
    (s,) = json.loads(ctx.public.repo("my-org/my-tool").policy)["Statement"]
    assert s["Principal"] == {"AWS": "arn:aws:iam::111122223333:role/ci"} and "ecr-public:PutImage" in s["Action"]


def check_public_token(ctx: Ctx) -> None:
    assert ctx.ws.output("registry_user") == "AWS"
    assert ctx.ws.output("registry_password").startswith("standin-")


def check_token(ctx: Ctx) -> None:
    assert ctx.ws.output("registry") == f"https://{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com"
    assert ctx.ws.output("docker_password") == f"{ACCOUNT}-auth-token"  # moto's


def check_policy_document(ctx: Ctx) -> None:
    rules = json.loads(ctx.ws.output("policy_json"))["rules"]
    assert [r["action"] for r in rules] == [{"type": "transition", "targetStorageClass": "archive"}, {"type": "expire"}]
    assert rules[1]["selection"]["countType"] == "sinceImageTransitioned" and rules[1]["selection"]["countNumber"] == 90


def check_preview(ctx: Ctx) -> None:
    # 12 release images, keep the 10 newest: the two oldest go; nothing is deleted by a preview.
    assert ctx.ws.output("would_expire") == 2
    assert sorted(ctx.ws.output("expiring_tags")) == ["v1", "v2"]
    assert len(ctx.ecr.list_images(repositoryName="my-org/app")["imageIds"]) == 12


def check_scan_findings(ctx: Ctx) -> None:
    assert ctx.ws.output("image").startswith("my-org/app@sha256:")
    assert ctx.ws.output("severity_counts")["HIGH"] == 1  # moto's one fake finding, below the CRITICAL gate
    assert ctx.ws.output("high_findings") == ["CVE-9999-9999 moto_fake 9.9.9"]


def check_cost_estimate(ctx: Ctx) -> None:
    gb = ctx.ws.output("stored_gb")
    assert 0.683 < gb < 0.685, gb  # 700 MiB of unique layers (the base counted once) plus tiny configs
    assert ctx.ws.output("monthly_cost_usd") > 0
    f = ctx.ws.output("forecast_12_months_usd")
    assert f["with_policy"] < f["without_policy"], f
    assert ctx.ws.output("repositories_without_lifecycle_policy") == ["my-org/app"]
    assert ctx.ws.output("how_bytes_were_counted").startswith("unique_layers; prices: ")


def check_repository_lookup(ctx: Ctx) -> None:
    assert ctx.ws.output("push_to") == f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/my-org/app"
    assert ctx.ws.output("arn") == f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/my-org/app"
    assert ctx.ws.output("tags_of_newest_image") == ["build-42"]
    assert ctx.ws.output("scan_on_push") is False


def check_repositories_lookup(ctx: Ctx) -> None:
    assert ctx.ws.output("team_repositories") == ["my-org/app", "my-org/worker"]


def check_image_lookup(ctx: Ctx) -> None:
    (img,) = ctx.ecr.describe_images(repositoryName="my-org/app", imageIds=[{"imageTag": "v1.2.3"}])["imageDetails"]
    assert ctx.ws.output("pinned_image") == f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/my-org/app@{img['imageDigest']}"
    assert ctx.ws.output("release_pushed_at") == 1_767_225_600 == int(img["imagePushedAt"].timestamp())
    assert ctx.ws.output("newest_tags") == ["build-42"]


def check_images_lookup(ctx: Ctx) -> None:
    assert ctx.ws.output("latest_releases") == ["v5", "v4", "v3"]
    by_tag = {d["imageTags"][0]: d["imageDigest"] for d in ctx.ecr.describe_images(repositoryName="my-org/app")["imageDetails"] if d.get("imageTags")}
    assert ctx.ws.output("release_digests") == [by_tag["v5"], by_tag["v4"], by_tag["v3"]]
    assert ctx.ws.output("untagged_count") == 1


def check_public_images_lookup(ctx: Ctx) -> None:
    assert ctx.ws.output("newest_release_tags") == ["v1.1.0"]
    assert ctx.ws.output("stable_digest") == ctx.public.repo("my-org/my-tool").images[0]["imageDigest"]


def check_template_lookup(ctx: Ctx) -> None:
    assert ctx.ws.output("applies_to") == ["PULL_THROUGH_CACHE"]
    assert ctx.ws.output("new_repositories_immutable") is True
    assert ctx.ws.output("keeps_images") == 20


def check_pull_through_lookup(ctx: Ctx) -> None:
    assert ctx.ws.output("upstream") == "quay.io"
    assert ctx.ws.output("prometheus_image") == f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/quay/prometheus/prometheus:v3.0.0"


def check_replication_configuration(ctx: Ctx) -> None:
    rules = ctx.fakecloud_ecr.describe_registry()["replicationConfiguration"]["rules"]
    assert [[d["registryId"] for d in r["destinations"]] for r in rules] == [[ACCOUNT, "210987654321"], [ACCOUNT]]
    assert rules[0]["repositoryFilters"] == [{"filter": "my-org/prod", "filterType": "PREFIX_MATCH"}]
    assert ctx.ws.output("registry_id") == ACCOUNT


def check_replication_rule(ctx: Ctx) -> None:
    (rule,) = ctx.fakecloud_ecr.describe_registry()["replicationConfiguration"]["rules"]
    assert sorted(d["region"] for d in rule["destinations"]) == ["ap-southeast-2", "eu-west-1"]
    assert ctx.ws.output("rule_id") == "ap-southeast-2:123456789012+eu-west-1:123456789012|PREFIX_MATCH:my-org/payments"


def check_creation_template(ctx: Ctx) -> None:
    (t,) = ctx.fakecloud_ecr.describe_repository_creation_templates(prefixes=["docker-hub"])["repositoryCreationTemplates"]
    assert t["imageTagMutability"] == "IMMUTABLE" and t["encryptionConfiguration"]["encryptionType"] == "KMS"
    assert json.loads(t["lifecyclePolicy"])["rules"][0]["selection"]["countNumber"] == 30
    assert json.loads(t["repositoryPolicy"])["Statement"][0]["Sid"] == "WorkloadsPull"
    assert ctx.ws.output("template_registry") == ACCOUNT


def check_account_setting(ctx: Ctx) -> None:
    assert ctx.fakecloud_ecr.get_account_setting(name="BLOB_MOUNTING")["value"] == "ENABLED"
    assert ctx.ws.output("blob_mounting") == "ENABLED"


def check_signing(ctx: Ctx) -> None:
    rules = ctx.fakecloud_ecr.get_signing_configuration()["signingConfiguration"]["rules"]
    assert [r["signingProfileArn"].rsplit("/", 1)[1] for r in rules] == ["release", "ci_builds"]
    assert rules[0]["repositoryFilters"] == [{"filter": "my-org/prod-*", "filterType": "WILDCARD_MATCH"}]


def check_pull_time_exclusion(ctx: Ctx) -> None:
    excluded = ctx.fakecloud_ecr.list_pull_time_update_exclusions()["pullTimeUpdateExclusions"]
    assert excluded == [f"arn:aws:iam::{ACCOUNT}:role/vulnerability-scanner"] == [ctx.ws.output("excluded")]


def check_ephemeral_token(ctx: Ctx) -> None:
    config = json.loads((ctx.ws.path / ".docker" / "config.json").read_text())
    ((registry, entry),) = config["auths"].items()
    user, password = base64.b64decode(entry["auth"]).decode().split(":", 1)
    assert user == "AWS" and password, config
    if ctx.name.endswith("/ecr_public_authorization_token"):
        assert registry == "public.ecr.aws" and password.startswith("standin-"), config
    else:
        assert registry == f"https://{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com" and password == f"{ACCOUNT}-auth-token"
    state = (ctx.ws.path / "terraform.tfstate").read_text()
    assert entry["auth"] not in state and password not in state, "the token is never stored"


def check_parse_image_uri(ctx: Ctx) -> None:
    assert ctx.ws.output("parts") == {
        "registry_id": "123456789012",
        "region": "eu-west-1",
        "repository_name": "team/app",
        "tag": "1.4.2",
        "digest": None,
        "registry_host": "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
    }
    assert ctx.ws.output("public_repository") == "library/nginx"


def check_image_uri(ctx: Ctx) -> None:
    url = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-org/app"
    assert ctx.ws.output("by_tag") == f"{url}:1.4.2"
    assert ctx.ws.output("by_digest") == f"{url}@sha256:" + "0123456789abcdef" * 4


def check_lifecycle_function(ctx: Ctx) -> None:
    canonical = ctx.ws.output("canonical_policy")
    assert json.loads(canonical)["rules"][0]["selection"]["countNumber"] == 14 and "\n" not in canonical


def check_query(*names: str) -> Callable[[Ctx], None]:
    """`terraform query` in the example lists `names` (its display names)."""

    def check(ctx: Ctx) -> None:
        out = ctx.ws.run("query", "-no-color").stdout
        shown = sorted(line.split()[-1] for line in out.splitlines() if line.startswith("list."))
        assert shown == sorted(names), out

    return check


CHECKS: dict[str, Callable[[Ctx], None]] = {
    "resources/ecr_replication_configuration": check_replication_configuration,
    "resources/ecr_replication_rule": check_replication_rule,
    "resources/ecr_repository_creation_template": check_creation_template,
    "resources/ecr_account_setting": check_account_setting,
    "resources/ecr_signing_configuration": check_signing,
    "resources/ecr_pull_time_update_exclusion": check_pull_time_exclusion,
    "provider": check_provider,
    "resources/ecr_repository": check_repository,
    "resources/ecr_lifecycle_policy": check_lifecycle_policy,
    "resources/ecr_registry_scanning_configuration": check_registry_scanning,
    "resources/ecr_cross_account_grant": check_cross_account_grant,
    "resources/ecr_repository_policy": check_repository_policy,
    "resources/ecr_registry_policy": check_registry_policy,
    "resources/ecr_pull_through_cache_rule": check_pull_through_cache,
    "resources/ecr_public_repository": check_public_repository,
    "resources/ecr_public_repository_policy": check_public_repository_policy,
    "data-sources/ecr_public_authorization_token": check_public_token,
    "data-sources/ecr_authorization_token": check_token,
    "data-sources/ecr_lifecycle_policy_document": check_policy_document,
    "data-sources/ecr_lifecycle_preview": check_preview,
    "data-sources/ecr_image_scan_findings": check_scan_findings,
    "data-sources/ecr_cost_estimate": check_cost_estimate,
    "data-sources/ecr_repository": check_repository_lookup,
    "data-sources/ecr_repositories": check_repositories_lookup,
    "data-sources/ecr_image": check_image_lookup,
    "data-sources/ecr_images": check_images_lookup,
    "data-sources/ecr_public_images": check_public_images_lookup,
    "data-sources/ecr_pull_through_cache_rule": check_pull_through_lookup,
    "data-sources/ecr_repository_creation_template": check_template_lookup,
    "ephemeral-resources/ecr_authorization_token": check_ephemeral_token,
    "ephemeral-resources/ecr_public_authorization_token": check_ephemeral_token,
    "functions/parse_image_uri": check_parse_image_uri,
    "functions/image_uri": check_image_uri,
    "functions/lifecycle_policy": check_lifecycle_function,
    "list-resources/ecr_repository": check_query("my-org/app", "my-org/worker"),
    "list-resources/ecr_lifecycle_policy": check_query("my-org/app"),
    "list-resources/ecr_repository_policy": check_query("my-org/worker"),
    "list-resources/ecr_pull_through_cache_rule": check_query("ecr-public"),
}

# Examples whose outputs come from a token that is new on every read (as with AWS): the second
# plan changes those outputs and nothing else.
VOLATILE_OUTPUTS = {"data-sources/ecr_public_authorization_token"}


# --------------------------------------------------------------------------------------------
# running an example
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def routing(request, moto):
    """moto and fakecloud behind one endpoint (started only if an example needs fakecloud)."""
    fakecloud = request.getfixturevalue("fakecloud")
    proxy = RoutingProxy(moto.url, fakecloud.url).start()
    yield proxy
    proxy.stop()


def _client(service: str, url: str):
    return boto3.client(service, endpoint_url=url, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test")


@pytest.fixture
def example_ctx(request, ws, moto, ecr, public):
    name = request.param
    skip_if_too_old(name, ws.terraform)  # before starting an emulator it would not use
    ctx = Ctx(name, ws, moto, ecr, public)
    endpoint = moto.url
    text = (EXAMPLES / name / "main.tf").read_text()
    if "ecr_pull_through_cache_rule" in text or any(t in text for t in REGISTRY_TYPES):
        fakecloud = request.getfixturevalue("fakecloud")
        fakecloud.reset()
        ctx.proxy = request.getfixturevalue("routing")
        endpoint = ctx.proxy.url
        ctx.fakecloud_ecr = _client("ecr", fakecloud.url)
        ctx.secrets = _client("secretsmanager", ctx.proxy.url)  # routed to fakecloud
    ws.use_example(name, endpoint)
    ws.env["AWS_ENDPOINT_URL_ECR_PUBLIC"] = public.url
    return ctx


def warnings(out: str) -> list[str]:
    """Warning titles in Terraform's output, but for the dev_overrides notice the harness causes."""
    titles = [line.split("Warning:", 1)[1].strip() for line in out.splitlines() if line.startswith("Warning:")]
    return [t for t in titles if t != "Provider development overrides are in effect"]


def assert_no_warnings(result) -> str:
    out = result.stdout + result.stderr
    assert not warnings(out), f"`terraform {' '.join(result.args[1:3])}` warned:\n{out}"
    return out


def plan_exit(ctx: Ctx, *extra: str) -> tuple[int, str]:
    return ctx.ws.plan_exitcode(*ctx.vars, *extra)


@pytest.mark.compat
@pytest.mark.parametrize("example_ctx", [d for d in example_dirs() if d != "complete"], indirect=True)
def test_example_applies_is_stable_and_destroys(example_ctx):
    ctx = example_ctx
    ws = ctx.ws
    out = assert_no_warnings(ws.validate())
    assert "The configuration is valid" in out
    if ctx.name in SETUP:
        SETUP[ctx.name](ctx)
    before = snapshot(ctx)

    assert_no_warnings(ws.apply(*ctx.vars))
    code, out = plan_exit(ctx)
    if ctx.name in VOLATILE_OUTPUTS:
        assert code == 2 and "Changes to Outputs" in out and "Plan:" not in out, out
    else:
        assert code == 0 and "No changes." in out, out
    assert not warnings(out), out
    assert ctx.name in CHECKS, f"add a check of what examples/{ctx.name} does to CHECKS"
    CHECKS[ctx.name](ctx)

    ws.destroy(*ctx.vars)
    assert snapshot(ctx) == before


@pytest.mark.parametrize("example_ctx", ["complete"], indirect=True)
def test_complete_example_tells_the_whole_story(example_ctx):
    """First apply: infrastructure (no release yet). CI then pushes release images; the second
    apply, for release v12, runs the CVE gate, previews the lifecycle policy and estimates cost.
    A CRITICAL finding fails the plan until it is accepted."""
    ctx = example_ctx
    ws, ecr = ctx.ws, ctx.ecr
    assert_no_warnings(ws.validate())
    setup_docker_hub_secret(ctx)
    before = snapshot(ctx)

    assert_no_warnings(ws.apply(*ctx.vars))
    outputs = json.loads(ws.run("output", "-json", "-no-color").stdout)
    assert "release_image" not in outputs, "null outputs are not stored: no gate without a release"
    assert ws.output("prod_would_expire") == 0 and ws.output("monthly_cost_usd") == 0
    (prod,) = ecr.describe_repositories(repositoryNames=["my-org/app"])["repositories"]
    assert prod["imageTagMutability"] == "IMMUTABLE" and prod["encryptionConfiguration"]["encryptionType"] == "KMS"
    assert prod["imageScanningConfiguration"] == {"scanOnPush": True}
    assert ecr.get_registry_scanning_configuration()["scanningConfiguration"]["rules"][0]["scanFrequency"] == "SCAN_ON_PUSH"
    assert len(json.loads(ecr.get_lifecycle_policy(repositoryName="my-org/app")["lifecyclePolicyText"])["rules"]) == 3
    assert json.loads(ecr.get_lifecycle_policy(repositoryName="my-org/app-dev")["lifecyclePolicyText"])["rules"][0]["selection"]["countNumber"] == 14
    assert sids(ecr, "my-org/app") == ["ProdPull", "ProdPullLambda", "StagingPull"]
    rules = ctx.fakecloud_ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"]
    assert sorted(r["ecrRepositoryPrefix"] for r in rules) == ["docker-hub", "k8s", "quay"]
    templates = ctx.fakecloud_ecr.describe_repository_creation_templates()["repositoryCreationTemplates"]
    assert sorted((t["prefix"], t["imageTagMutability"]) for t in templates) == [("docker-hub", "IMMUTABLE"), ("k8s", "IMMUTABLE"), ("quay", "IMMUTABLE")]
    (dr,) = ctx.fakecloud_ecr.describe_registry()["replicationConfiguration"]["rules"]
    assert dr["destinations"] == [{"region": "us-west-2", "registryId": ACCOUNT}]
    assert ctx.proxy.routed["fakecloud"] > 0 and ctx.proxy.routed["moto"] > 0
    code, out = plan_exit(ctx)
    assert code == 0 and not warnings(out), out

    # CI pushes twelve releases (a shared 200 MB base layer plus 20 MB each).
    digests = {f"v{i}": push_image(ecr, "my-org/app", f"v{i}", config={"tag": f"v{i}"}, layers=[("base", 200 * MIB), (f"v{i}", 20 * MIB)], create=True) for i in range(1, 13)}
    release = ("-var", "release_tag=v12")
    assert_no_warnings(ws.apply(*ctx.vars, *release))
    assert ws.output("release_image") == f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/my-org/app@{digests['v12']}"
    counts = ws.output("release_severity_counts")
    assert counts["HIGH"] == 1 and counts["CRITICAL"] == 0, counts  # moto's one fake finding
    assert ws.output("prod_would_expire") == 2
    assert ws.output("monthly_cost_usd") > 0
    f = ws.output("forecast_12_months_usd")
    assert f["with_policy"] < f["without_policy"], f
    assert ws.output("node_base_image").endswith("/docker-hub/library/node:20-alpine")
    code, out = plan_exit(ctx, *release)
    assert code == 0 and "No changes." in out, out

    # A CRITICAL finding in the release blocks the plan; accepting it lets the plan through.
    critical = {
        "registryId": ACCOUNT,
        "repositoryName": "my-org/app",
        "imageId": {"imageTag": "v12", "imageDigest": digests["v12"]},
        "imageScanStatus": {"status": "COMPLETE", "description": "done"},
        "imageScanFindings": {
            "findingSeverityCounts": {"CRITICAL": 1},
            "findings": [{"name": "CVE-2025-1111", "severity": "CRITICAL", "attributes": [{"key": "package_name", "value": "glibc"}, {"key": "package_version", "value": "2.31"}]}],
        },
    }
    moto_scan_result(ctx.moto, critical)
    code, out = plan_exit(ctx, *release)
    assert code == 1 and "CVE-2025-1111 (CRITICAL, glibc 2.31)" in out, out
    code, out = plan_exit(ctx, *release, "-var", 'accepted_findings=["CVE-2025-1111"]')
    assert code in (0, 2) and "Error" not in out, out

    delete_images(ecr, "my-org/app")  # production images are not force-deleted
    ws.destroy(*ctx.vars)
    assert snapshot(ctx) == before


# --------------------------------------------------------------------------------------------
# the endpoint environment variables the examples rely on
# --------------------------------------------------------------------------------------------

ENV_ONLY_PROVIDER = """
terraform {
  required_providers {
    ecr = { source = "ecr-rs/ecr" }
  }
}

provider "ecr" {
  max_retries = 0
%s}

resource "ecr_repository" "r" {
  name           = "env-endpoints"
  posture_ignore = ["ECR-P001", "ECR-P002", "ECR-P003", "ECR-P004"]
}
"""


def test_endpoint_environment_variables_and_their_precedence(ws, ecr, moto):
    """AWS_ENDPOINT_URL_<SERVICE> wins over AWS_ENDPOINT_URL, and an `endpoints` block over both
    (AWS_ENDPOINT_URL points at a closed port: a request that followed it would fail)."""
    from harness import free_port

    dead = f"http://127.0.0.1:{free_port()}"
    ws.env.update({"AWS_ENDPOINT_URL": dead, "AWS_ENDPOINT_URL_ECR": moto.url, "AWS_ENDPOINT_URL_STS": moto.url})
    ws.write(ENV_ONLY_PROVIDER % "")
    ws.apply()
    assert [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]] == ["env-endpoints"]
    ws.destroy()

    del ws.env["AWS_ENDPOINT_URL_ECR"], ws.env["AWS_ENDPOINT_URL_STS"]
    r = ws.plan(check=False)
    # The general one is used: the error names its (closed) port, not moto's.
    assert r.returncode == 1 and dead.rsplit(":", 1)[1] in r.stdout + r.stderr, r.stdout + r.stderr

    ws.write(ENV_ONLY_PROVIDER % f'  endpoints {{\n    ecr = "{moto.url}"\n    sts = "{moto.url}"\n  }}\n')
    ws.apply()
    assert [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]] == ["env-endpoints"]
    ws.destroy()
