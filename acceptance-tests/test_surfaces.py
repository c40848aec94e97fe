"""The newer Terraform surfaces, driven by Terraform >= 1.14 against moto and the ECR Public
stand-in: ephemeral registry tokens (never in state or plan files), `terraform query` with
`-generate-config-out`, provider functions, and import by identity for every resource type.

Terraform 1.0.3 knows none of this; on it these tests are skipped (the compatibility suite
checks that the provider still works there).
"""

from __future__ import annotations

import base64
import json
import textwrap

import boto3
import pytest

from harness import REGION, provider_block

ACCOUNT = "123456789012"  # moto's
MOTO_TOKEN = base64.b64encode(f"AWS:{ACCOUNT}-auth-token".encode()).decode()
MOTO_PASSWORD = f"{ACCOUNT}-auth-token"


@pytest.fixture(autouse=True)
def needs_terraform_1_14(terraform):
    if not terraform.at_least(1, 14):
        pytest.skip("ephemeral resources, list resources and identities need Terraform >= 1.14")


def public_provider(moto, public) -> str:
    return provider_block(moto.url, ecrpublic=public.url)


def files_without(ws, *files: str, secrets: list[str]) -> None:
    for f in files:
        data = (ws.path / f).read_bytes()
        for s in secrets:
            assert s.encode() not in data, f"{f} holds a secret"


# --------------------------------------------------------------------------------------------
# ephemeral tokens
# --------------------------------------------------------------------------------------------

USE_TOKEN = """
ephemeral "{type}" "this" {{}}

resource "terraform_data" "login" {{
  provisioner "local-exec" {{
    command     = "printf %s \\"$AUTH\\" > used-token.txt"
    environment = {{ AUTH = ephemeral.{type}.this.authorization_token }}
  }}
}}
"""


@pytest.mark.parametrize("kind", ["ecr_authorization_token", "ecr_public_authorization_token"])
def test_ephemeral_token_is_used_and_never_stored(ws, moto, public, kind):
    ws.write(public_provider(moto, public) + USE_TOKEN.format(type=kind))
    ws.plan("-out=saved.tfplan")
    ws.apply("saved.tfplan")
    used = (ws.path / "used-token.txt").read_text()
    user, password = base64.b64decode(used).decode().split(":", 1)
    assert user == "AWS" and password, "the provisioner got the token"
    secrets = [used, password]
    if kind == "ecr_authorization_token":
        assert used == MOTO_TOKEN
    # Neither the state, nor the saved plan, nor its JSON rendering holds the token.
    files_without(ws, "terraform.tfstate", "saved.tfplan", secrets=secrets)
    shown = ws.run("show", "-json", "saved.tfplan").stdout
    assert all(s not in shown for s in secrets)
    assert all(s not in json.dumps(ws.state()) for s in secrets)
    # Opened again on the next run, which changes nothing.
    code, out = ws.plan_exitcode()
    assert code == 0, out
    assert "ephemeral." + kind in out and "Opening" in out, out


def test_ephemeral_token_config_is_validated(ws, moto, public):
    ws.write(public_provider(moto, public) + 'ephemeral "ecr_authorization_token" "x" {\n  registry_id = "12345"\n}\n')
    r = ws.validate(check=False)
    assert r.returncode == 1
    assert "registry_id must be a 12-digit AWS account id" in r.stdout + r.stderr


# --------------------------------------------------------------------------------------------
# terraform query
# --------------------------------------------------------------------------------------------

LIFECYCLE = json.dumps(
    {
        "rules": [
            {
                "rulePriority": 1,
                "description": "untagged",
                "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
                "action": {"type": "expire"},
            }
        ]
    }
)
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["ecr:BatchGetImage"]}
        ],
    }
)


def seed(ecr) -> None:
    for name in ["team/api", "team/web", "other/tool"]:
        ecr.create_repository(repositoryName=name, imageTagMutability="IMMUTABLE" if name == "team/api" else "MUTABLE")
    ecr.tag_resource(
        resourceArn=ecr.describe_repositories(repositoryNames=["team/web"])["repositories"][0]["repositoryArn"],
        tags=[{"Key": "team", "Value": "web"}],
    )
    ecr.put_lifecycle_policy(repositoryName="team/api", lifecyclePolicyText=LIFECYCLE)
    ecr.set_repository_policy(repositoryName="team/web", policyText=POLICY)


def listed(out: str, list_address: str) -> list[str]:
    """Display names in `terraform query` output lines of `list_address`."""
    return sorted(line.split()[-1] for line in out.splitlines() if line.startswith(list_address + " "))


def test_query_lists_and_generated_configuration_imports_with_no_change(ws, ecr, provider_hcl):
    seed(ecr)
    ws.write(provider_hcl)
    (ws.path / "all.tfquery.hcl").write_text(
        textwrap.dedent(
            """
            list "ecr_repository" "team" {
              provider         = ecr
              include_resource = true
              config {
                name_prefix = "team/"
              }
            }
            list "ecr_repository" "everything" {
              provider = ecr
            }
            list "ecr_lifecycle_policy" "all" {
              provider         = ecr
              include_resource = true
            }
            list "ecr_repository_policy" "all" {
              provider         = ecr
              include_resource = true
            }
            """
        )
    )
    out = ws.run("query", "-no-color").stdout
    assert listed(out, "list.ecr_repository.team") == ["team/api", "team/web"]
    assert listed(out, "list.ecr_repository.everything") == ["other/tool", "team/api", "team/web"]
    assert listed(out, "list.ecr_lifecycle_policy.all") == ["team/api"]
    assert listed(out, "list.ecr_repository_policy.all") == ["team/web"]
    assert f"account_id={ACCOUNT},name=team/api,region={REGION}" in out

    # Generate configuration for the listings that carry full states, then import it.
    (ws.path / "all.tfquery.hcl").write_text(
        (ws.path / "all.tfquery.hcl").read_text().split('list "ecr_repository" "everything"')[0]
        + textwrap.dedent(
            """
            list "ecr_lifecycle_policy" "all" {
              provider         = ecr
              include_resource = true
            }
            list "ecr_repository_policy" "all" {
              provider         = ecr
              include_resource = true
            }
            """
        )
    )
    ws.run("query", "-no-color", "-generate-config-out=generated.tf")
    generated = (ws.path / "generated.tf").read_text()
    assert generated.count("import {") == 4, generated
    assert 'image_tag_mutability = "IMMUTABLE"' in generated
    assert "arn" not in generated.replace("arn:aws:iam", ""), "computed-only attributes are left out"
    (ws.path / "all.tfquery.hcl").unlink()
    applied = ws.apply().stdout
    assert "4 imported, 0 added, 0 changed, 0 destroyed" in applied, applied
    code, out = ws.plan_exitcode()
    assert code == 0, out
    identities = {r["address"]: r.get("identity") for r in ws.state()["values"]["root_module"]["resources"]}
    assert identities["ecr_repository.team_0"] == {"account_id": ACCOUNT, "name": "team/api", "region": REGION}
    tags = {t["Key"]: t["Value"] for t in ecr.list_tags_for_resource(
        resourceArn=ecr.describe_repositories(repositoryNames=["team/web"])["repositories"][0]["repositoryArn"])["tags"]}
    assert tags == {"team": "web"}, "import changed nothing"


def test_query_reports_a_bad_filter_at_validate(ws, provider_hcl):
    ws.write(provider_hcl)
    (ws.path / "q.tfquery.hcl").write_text('list "ecr_repository" "x" {\n  provider = ecr\n  config {\n    name = "x"\n  }\n}\n')
    r = ws.run("query", "-no-color", check=False)
    assert r.returncode == 1
    assert "name" in r.stdout + r.stderr


# --------------------------------------------------------------------------------------------
# functions
# --------------------------------------------------------------------------------------------

DIGEST = "sha256:" + "0123456789abcdef" * 4

URIS = {
    "private": (
        f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.2",
        {"registry_id": ACCOUNT, "region": "eu-west-1", "repository_name": "team/app", "tag": "1.2", "digest": None},
    ),
    "fips": (
        f"{ACCOUNT}.dkr.ecr-fips.us-gov-west-1.amazonaws.com/app@{DIGEST}",
        {"registry_id": ACCOUNT, "region": "us-gov-west-1", "repository_name": "app", "tag": None, "digest": DIGEST},
    ),
    "dual_stack": (
        f"{ACCOUNT}.dkr-ecr.us-west-2.on.aws/app:v1@{DIGEST}",
        {"registry_id": ACCOUNT, "region": "us-west-2", "repository_name": "app", "tag": "v1", "digest": DIGEST},
    ),
    "china": (
        f"{ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn/app",
        {"registry_id": ACCOUNT, "region": "cn-north-1", "repository_name": "app", "tag": None, "digest": None},
    ),
    "public": (
        "public.ecr.aws/docker/library/nginx:1.27",
        {"registry_id": "docker", "region": "us-east-1", "repository_name": "library/nginx", "tag": "1.27", "digest": None},
    ),
    "pull_through": (
        f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/library/node:20",
        {"registry_id": ACCOUNT, "region": "eu-west-1", "repository_name": "docker-hub/library/node", "tag": "20", "digest": None},
    ),
}


def rule(priority: int, selection: dict, description: str | None = None, action: str = "expire") -> dict:
    r = {"rulePriority": priority, "selection": selection, "action": {"type": action}}
    if description is not None:
        r["description"] = description
    return r


UNTAGGED = {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14}
RELEASES = {"tagStatus": "tagged", "tagPrefixList": ["v", "release", "v"], "countType": "imageCountMoreThan", "countNumber": 10}

# name -> (policy as written, the canonical policy): rules by priority, defaults and empty
# descriptions left out, tag lists sorted without repeats.
POLICIES = {
    "as_written": ({"rules": [rule(1, UNTAGGED, "untagged")]}, {"rules": [rule(1, UNTAGGED, "untagged")]}),
    "rules_by_priority": (
        {"rules": [rule(2, RELEASES), rule(1, UNTAGGED)]},
        {"rules": [rule(1, UNTAGGED), rule(2, {**RELEASES, "tagPrefixList": ["release", "v"]})]},
    ),
    "defaults_left_out": (
        {"rules": [rule(1, {**UNTAGGED, "storageClass": "standard"}, "")]},
        {"rules": [rule(1, UNTAGGED)]},
    ),
}


def test_functions_results(ws, provider_hcl):
    outputs = [f'output "{k}" {{\n  value = provider::ecr::parse_image_uri("{uri}")\n}}\n' for k, (uri, _) in URIS.items()]
    outputs.append(
        'output "by_tag" {\n  value = provider::ecr::image_uri("' + ACCOUNT + '.dkr.ecr.eu-west-1.amazonaws.com/app", "v2")\n}\n'
        'output "by_digest" {\n  value = provider::ecr::image_uri("public.ecr.aws/a1b2/tool", "' + DIGEST + '")\n}\n'
    )
    for k, (written, _) in POLICIES.items():
        outputs.append(
            f'output "policy_{k}" {{\n  value = provider::ecr::lifecycle_policy(<<EOT\n'
            + json.dumps(written, indent=4)
            + "\nEOT\n  )\n}\n"
        )
    ws.write(provider_hcl + "\n".join(outputs))
    ws.apply()
    for k, (uri, want) in URIS.items():
        got = ws.output(k)
        assert {f: got[f] for f in want} == want, k
        assert uri.startswith(got["registry_host"] + "/"), k
    assert ws.output("by_tag") == f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/app:v2"
    assert ws.output("by_digest") == f"public.ecr.aws/a1b2/tool@{DIGEST}"
    for k, (_, canonical) in POLICIES.items():
        text = ws.output(f"policy_{k}")
        assert json.loads(text) == canonical, k
        assert " " not in text.replace('"untagged"', "") and "\n" not in text, f"{k}: compact JSON"


# call -> (the parameter Terraform names, text of the error)
FUNCTION_ERRORS = {
    'parse_image_uri("nginx:latest")': ("uri", "repository:"),
    'parse_image_uri("docker.io/library/nginx")': ("uri", "registry host:"),
    'parse_image_uri("https://' + ACCOUNT + '.dkr.ecr.eu-west-1.amazonaws.com/app")': ("uri", "scheme:"),
    'parse_image_uri("' + ACCOUNT + '.dkr.ecr.eu-west-1.amazonaws.com/App")': ("uri", "repository:"),
    'parse_image_uri("' + ACCOUNT + '.dkr.ecr.eu-west-1.amazonaws.com/app:-bad")': ("uri", "tag:"),
    'parse_image_uri("public.ecr.aws/nginx")': ("uri", "lacks the registry alias"),
    'image_uri("' + ACCOUNT + '.dkr.ecr.eu-west-1.amazonaws.com/app", "sha256:beef")': ("tag_or_digest", "digest:"),
    'image_uri("' + ACCOUNT + '.dkr.ecr.eu-west-1.amazonaws.com/app:v1", "v2")': ("repository_url", "already names an image"),
    'lifecycle_policy("{\\"rules\\": []}")': ("json", "invalid lifecycle policy"),
    'lifecycle_policy("not json")': ("json", "invalid lifecycle policy"),
}


@pytest.mark.parametrize("call", list(FUNCTION_ERRORS))
def test_function_errors_name_the_argument_and_part(ws, provider_hcl, call):
    ws.write(provider_hcl + f'output "x" {{\n  value = provider::ecr::{call}\n}}\n')
    r = ws.plan(check=False)
    out = " ".join((r.stdout + r.stderr).split())
    assert r.returncode == 1, out
    param, text = FUNCTION_ERRORS[call]
    assert "Invalid function argument" in out and f'Invalid value for "{param}" parameter' in out, out
    assert text in out, out


# --------------------------------------------------------------------------------------------
# import by identity
# --------------------------------------------------------------------------------------------

ID_CASES = {
    "ecr_repository": ('name = "team/app"', 'name = "team/app"'),
    "ecr_lifecycle_policy": (
        f'repository = "team/app"\npolicy = {json.dumps(LIFECYCLE)}',
        'repository = "team/app"',
    ),
    "ecr_repository_policy": (f'repository = "team/app"\npolicy = {json.dumps(POLICY)}', 'repository = "team/app"'),
    "ecr_cross_account_grant": (
        'repository = "team/app"\nsid = "Pull"\nprincipals = ["arn:aws:iam::111122223333:root"]\naccess = "pull"',
        'repository = "team/app"\nsid = "Pull"',
    ),
    "ecr_registry_policy": (
        "policy = "
        + json.dumps(
            json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "Replicate",
                            "Effect": "Allow",
                            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                            "Action": ["ecr:ReplicateImage"],
                            "Resource": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/*",
                        }
                    ],
                }
            )
        ),
        f'account_id = "{ACCOUNT}"',
    ),
    "ecr_registry_scanning_configuration": (
        'scan_type = "BASIC"\nrule {\n  scan_frequency = "SCAN_ON_PUSH"\n  repository_filter {\n    filter = "*"\n    filter_type = "WILDCARD"\n  }\n}',
        f'account_id = "{ACCOUNT}"\nregion = "{REGION}"',
    ),
}


def import_with_identity(ws, head: str, type_name: str, body: str, identity: str) -> dict:
    """Create with `body`, forget it, import it back with `identity`: returns the stored identity."""
    resource = f'resource "{type_name}" "x" {{\n{textwrap.indent(body, "  ")}\n}}\n'
    ws.write(head + resource)
    ws.apply()
    ws.run("state", "rm", f"{type_name}.x")
    block = f'import {{\n  to = {type_name}.x\n  identity = {{\n{textwrap.indent(identity, "    ")}\n  }}\n}}\n'
    ws.write(head + resource + block)
    out = ws.apply().stdout
    assert "1 imported, 0 added, 0 changed, 0 destroyed" in out, out
    code, plan = ws.plan_exitcode()
    assert code == 0, plan
    (entry,) = [r for r in ws.state()["values"]["root_module"]["resources"] if r["address"] == f"{type_name}.x"]
    return entry["identity"]


@pytest.mark.parametrize("type_name", list(ID_CASES))
def test_import_by_identity(ws, ecr, provider_hcl, type_name):
    if type_name != "ecr_repository":
        ecr.create_repository(repositoryName="team/app")
    body, identity = ID_CASES[type_name]
    stored = import_with_identity(ws, provider_hcl, type_name, body, identity)
    assert stored["account_id"] == ACCOUNT and stored["region"] == REGION, stored
    assert all(v for v in stored.values()), f"complete identity: {stored}"


@pytest.mark.parametrize(
    "type_name,body,identity",
    [
        ("ecr_public_repository", 'repository_name = "my-tool"', 'repository_name = "my-tool"'),
        (
            "ecr_public_repository_policy",
            'repository_name = "my-tool"\npolicy = '
            + json.dumps(
                json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {"Sid": "Push", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": ["ecr-public:PutImage"]}
                        ],
                    }
                )
            ),
            'repository_name = "my-tool"',
        ),
    ],
)
def test_import_by_identity_public(ws, moto, public, type_name, body, identity):
    if type_name == "ecr_public_repository_policy":
        ws.write(public_provider(moto, public) + 'resource "ecr_public_repository" "r" {\n  repository_name = "my-tool"\n}\n')
        ws.apply()
        head = public_provider(moto, public) + 'resource "ecr_public_repository" "r" {\n  repository_name = "my-tool"\n}\n'
    else:
        head = public_provider(moto, public)
    stored = import_with_identity(ws, head, type_name, body, identity)
    assert stored["repository_name"] == "my-tool" and stored["account_id"], stored
    assert "region" not in stored, "ECR Public is us-east-1 only"


def test_import_by_identity_pull_through_cache_rule(ws, fakecloud):
    fakecloud.reset()
    stored = import_with_identity(
        ws,
        provider_block(fakecloud.url),
        "ecr_pull_through_cache_rule",
        'ecr_repository_prefix = "quay"\nupstream_registry_url = "quay.io"',
        'ecr_repository_prefix = "quay"',
    )
    assert stored["ecr_repository_prefix"] == "quay" and stored["region"] == REGION, stored


# Registry-wide types, on fakecloud: (body, identity, what the stored identity names). The
# provider skips credential validation here, so types whose AWS answers carry no registry id
# (account settings, exclusions) are given their account_id, as their import_id asks.
REGISTRY_ID_CASES = {
    "ecr_replication_configuration": (
        'replication_configuration {\n  rule {\n    destination {\n      region = "eu-west-1"\n      registry_id = "123456789012"\n    }\n  }\n}',
        f'account_id = "{ACCOUNT}"',
        {},
    ),
    "ecr_replication_rule": (
        'destination {\n  region = "eu-west-1"\n  registry_id = "123456789012"\n}\nrepository_filter {\n  filter = "prod"\n  filter_type = "PREFIX_MATCH"\n}',
        'rule = "eu-west-1:123456789012|PREFIX_MATCH:prod"',
        {"rule": "eu-west-1:123456789012|PREFIX_MATCH:prod"},
    ),
    "ecr_repository_creation_template": (
        'prefix = "docker-hub"\napplied_for = ["PULL_THROUGH_CACHE"]',
        f'prefix = "docker-hub"\nregion = "{REGION}"',
        {"prefix": "docker-hub"},
    ),
    "ecr_account_setting": (
        'name = "BLOB_MOUNTING"\nvalue = "ENABLED"',
        f'account_id = "{ACCOUNT}"\nname = "BLOB_MOUNTING"',
        {"name": "BLOB_MOUNTING"},
    ),
    "ecr_signing_configuration": (
        'rule {\n  signing_profile_arn = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/ci_profile"\n}',
        f'account_id = "{ACCOUNT}"\nregion = "{REGION}"',
        {},
    ),
    "ecr_pull_time_update_exclusion": (
        'principal_arn = "arn:aws:iam::123456789012:role/scanner"',
        f'account_id = "{ACCOUNT}"\nprincipal_arn = "arn:aws:iam::123456789012:role/scanner"',
        {"principal_arn": "arn:aws:iam::123456789012:role/scanner"},
    ),
}


@pytest.mark.parametrize("type_name", list(REGISTRY_ID_CASES))
def test_import_by_identity_registry_types(ws, fakecloud, type_name):
    fakecloud.reset()
    body, identity, names = REGISTRY_ID_CASES[type_name]
    stored = import_with_identity(ws, provider_block(fakecloud.url), type_name, body, identity)
    assert stored == {"account_id": ACCOUNT, "region": REGION, **names}, stored


def test_identity_of_another_region_imports_there(ws, moto, provider_hcl):
    """With per-resource `region`, an identity naming another region imports the object there
    (as `terraform import ecr_repository.x team/app@ap-south-1` would)."""
    boto3.client("ecr", endpoint_url=moto.url, region_name="ap-south-1", aws_access_key_id="test",
                 aws_secret_access_key="test").create_repository(repositoryName="team/app")
    ws.write(
        provider_hcl
        + 'resource "ecr_repository" "x" {\n  name   = "team/app"\n  region = "ap-south-1"\n}\n'
        + 'import {\n  to = ecr_repository.x\n  identity = {\n    name   = "team/app"\n    region = "ap-south-1"\n  }\n}\n'
    )
    ws.apply()
    r = ws.resource("ecr_repository.x")
    assert r["values"]["region"] == "ap-south-1", r
    assert r["identity"]["region"] == "ap-south-1", r
    assert ws.plan_exitcode()[0] == 0


def test_identity_is_stable_across_updates_and_filled_on_read(ws, ecr, provider_hcl):
    ws.write(provider_hcl + 'resource "ecr_repository" "x" {\n  name = "team/app"\n}\n')
    ws.apply()
    want = {"account_id": ACCOUNT, "name": "team/app", "region": REGION}
    assert ws.resource("ecr_repository.x")["identity"] == want
    ws.write(provider_hcl + 'resource "ecr_repository" "x" {\n  name = "team/app"\n  image_tag_mutability = "IMMUTABLE"\n}\n')
    assert "0 added, 1 changed, 0 destroyed" in ws.apply().stdout
    assert ws.resource("ecr_repository.x")["identity"] == want
    # A state written without identity (an older provider, or Terraform < 1.12) gets it on refresh.
    state = json.loads((ws.path / "terraform.tfstate").read_text())
    for r in state["resources"]:
        for i in r["instances"]:
            i.pop("identity", None)
            i.pop("identity_schema_version", None)
    state["serial"] += 1
    (ws.path / "terraform.tfstate").write_text(json.dumps(state))
    ws.refresh()
    assert ws.resource("ecr_repository.x")["identity"] == want
