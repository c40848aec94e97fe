"""ECR Public (`ecr_public_repository`, `ecr_public_repository_policy`,
`ecr_public_authorization_token`) driven by the real Terraform CLI.

No emulator implements ECR Public (moto has no ecr-public backend), so these tests run against
`ecr_public_standin.py`, a clearly marked in-memory TEST DOUBLE speaking the AWS JSON 1.1
protocol with the API model's shapes and error codes. Out-of-band changes go through boto3's
`ecr-public` client, so the double is also checked against botocore's serialisation.

The provider is configured for eu-west-1 throughout: ECR Public calls must still be signed for
us-east-1, which the stand-in checks on every request (SigV4 credential scope).
"""

from __future__ import annotations

import base64
import json
import textwrap

import boto3
import pytest

from harness import PROVIDER_SOURCE, assert_plan

REPO = "ecr_public_repository.tool"
POLICY = "ecr_public_repository_policy.tool"
NAME = "my-org/my-tool"

PUSH_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "CIPush",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"},
            "Action": ["ecr-public:PutImage", "ecr-public:InitiateLayerUpload"],
        }
    ],
}


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def provider(public, moto, region: str = "eu-west-1", extra: str = "") -> str:
    extra_block = textwrap.indent(textwrap.dedent(extra).strip("\n"), "  ") + "\n" if extra.strip() else ""
    return (
        "terraform {\n"
        f'  required_providers {{\n    ecr = {{ source = "{PROVIDER_SOURCE}" }}\n  }}\n'
        "}\n\n"
        'provider "ecr" {\n'
        f'  region                      = "{region}"\n'
        '  access_key                  = "test"\n'
        '  secret_key                  = "test"\n'
        "  skip_credentials_validation = true\n"
        "  endpoints {\n"
        f'    ecr       = "{moto.url}"\n'
        f'    sts       = "{moto.url}"\n'
        f'    ecrpublic = "{public.url}"\n'
        "  }\n"
        f"{extra_block}"
        "}\n"
    )


def repo_block(body: str = "", name: str = NAME) -> str:
    inner = textwrap.indent(textwrap.dedent(body).strip(), "  ")
    return f'resource "ecr_public_repository" "tool" {{\n  repository_name = "{name}"\n{inner}\n}}\n'


def write(ws, public, moto, *blocks: str, extra: str = "") -> None:
    ws.env["AWS_REGION"] = ws.env["AWS_DEFAULT_REGION"] = "eu-west-1"
    ws.write(provider(public, moto, extra=extra) + "\n" + "\n".join(textwrap.dedent(b) for b in blocks))


def boto(public):
    return boto3.client(
        "ecr-public",
        endpoint_url=public.url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def assert_all_signed_for_us_east_1(public) -> None:
    reqs = public.requests()
    assert reqs, "the provider made no ECR Public request"
    wrong = [(r.operation, r.region, r.service) for r in reqs if (r.region, r.service) != ("us-east-1", "ecr-public")]
    assert not wrong, f"requests not signed for us-east-1/ecr-public: {wrong}"


CATALOG = """
catalog_data {
  description       = "A command-line tool"
  about_text        = "# my-tool"
  usage_text        = "docker run my-tool"
  architectures     = ["x86-64", "ARM 64"]
  operating_systems = ["Linux"]
}
"""
# CATALOG as the API takes it (CreateRepository's catalogData).
CATALOG_API = {
    "description": "A command-line tool",
    "aboutText": "# my-tool",
    "usageText": "docker run my-tool",
    "architectures": ["x86-64", "ARM 64"],
    "operatingSystems": ["Linux"],
}


# --------------------------------------------------------------------------------------------
# the seed's example, region pinning
# --------------------------------------------------------------------------------------------


def test_seed_example_applies_from_eu_west_1_and_is_stable(ws, public, moto):
    """examples/resources/ecr_public_repository (my-org/my-tool with catalog data and logo) and
    examples/resources/ecr_public_repository_policy, with the provider's region eu-west-1 (from
    AWS_REGION) and ECR Public reached through AWS_ENDPOINT_URL_ECR_PUBLIC: everything is
    created, every request is signed for us-east-1, the second plan is empty, destroy removes
    everything."""
    example = ws.use_example("resources/ecr_public_repository", moto.url)
    ws.env["AWS_REGION"] = ws.env["AWS_DEFAULT_REGION"] = "eu-west-1"
    ws.env["AWS_ENDPOINT_URL_ECR_PUBLIC"] = public.url
    ws.apply()

    r = public.repo(NAME)
    assert r is not None
    assert r.catalog["description"].startswith("my-tool:")
    assert sorted(r.catalog["architectures"]) == ["ARM 64", "x86-64"]
    assert r.catalog["operatingSystems"] == ["Linux"]
    assert r.catalog["aboutText"].startswith("# my-tool")
    assert r.logo == (example / "logo.png").read_bytes(), "the logo must be sent as the decoded PNG bytes"
    create = public.requests("CreateRepository")[-1].body
    assert create["catalogData"]["logoImageBlob"] == base64.b64encode((example / "logo.png").read_bytes()).decode()
    assert sorted(create["tags"], key=lambda t: t["Key"]) == [{"Key": "managed-by", "Value": "terraform"}, {"Key": "project", "Value": "my-tool"}]
    assert r.tags == {"managed-by": "terraform", "project": "my-tool"}

    a = ws.attrs(REPO)
    assert a["arn"] == f"arn:aws:ecr-public::123456789012:repository/{NAME}"
    assert a["registry_id"] == "123456789012"
    assert a["repository_uri"] == f"public.ecr.aws/standin/{NAME}"
    assert a["id"] == NAME
    assert a["force_destroy"] is False
    assert a["tags_all"] == {"managed-by": "terraform", "project": "my-tool"}
    assert ws.output("repository_uri") == a["repository_uri"]
    assert_all_signed_for_us_east_1(public)
    assert_plan(ws.plan_exitcode(), 0, "No changes.")
    ws.destroy()
    assert public.repo(NAME) is None

    # The policy example, same region setup.
    for f in ws.path.glob("*.tf"):
        f.unlink()
    ws.use_example("resources/ecr_public_repository_policy", moto.url)
    ws.apply()
    assert json.loads(public.repo(NAME).policy)["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::111122223333:role/ci"}
    assert {"CreateRepository", "SetRepositoryPolicy"} <= {r.operation for r in public.requests()}
    assert_plan(ws.plan_exitcode(), 0, "No changes.")
    ws.destroy()
    assert public.repo(NAME) is None
    assert_all_signed_for_us_east_1(public)


def test_stand_in_rejects_requests_signed_for_another_region(public):
    """The check the region test relies on is real: a client signing for eu-west-1 is refused."""
    eu = boto3.client("ecr-public", endpoint_url=public.url, region_name="eu-west-1", aws_access_key_id="t", aws_secret_access_key="t")
    with pytest.raises(eu.exceptions.ClientError) as e:
        eu.describe_repositories()
    assert e.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert public.requests()[-1].region == "eu-west-1"


# --------------------------------------------------------------------------------------------
# ecr_public_repository
# --------------------------------------------------------------------------------------------


def test_catalog_data_and_tags_update_in_place(ws, public, moto):
    write(ws, public, moto, repo_block(CATALOG + 'tags = { team = "a", keep = "1" }'), extra='default_tags { tags = { env = "test" } }')
    ws.apply()
    arn = ws.attrs(REPO)["arn"]
    assert public.repo(NAME).tags == {"env": "test", "team": "a", "keep": "1"}
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    changed = """
    catalog_data {
      description       = "A better command-line tool"
      architectures     = ["ARM 64"]
      operating_systems = ["Linux", "Windows"]
    }
    tags = { team = "b" }
    """
    write(ws, public, moto, repo_block(changed), extra='default_tags { tags = { env = "test" } }')
    out = assert_plan(ws.plan_exitcode(), 2, "update in-place", "Plan: 0 to add, 1 to change, 0 to destroy.")
    assert "forces replacement" not in out
    ws.apply()
    r = public.repo(NAME)
    assert r.catalog["description"] == "A better command-line tool"
    assert r.catalog["architectures"] == ["ARM 64"]
    assert sorted(r.catalog["operatingSystems"]) == ["Linux", "Windows"]
    # Removed arguments are cleared, not left behind.
    assert not r.catalog.get("aboutText") and not r.catalog.get("usageText")
    assert r.tags == {"env": "test", "team": "b"}
    assert ws.attrs(REPO)["arn"] == arn, "updated in place, not replaced"
    ops = [x.operation for x in public.requests()]
    assert "PutRepositoryCatalogData" in ops and "UntagResource" in ops and "TagResource" in ops
    # On the wire: removed text is sent empty (cleared), no logo was ever set so none is sent.
    put = public.requests("PutRepositoryCatalogData")[-1].body
    assert put["repositoryName"] == NAME
    assert put["catalogData"]["aboutText"] == "" and put["catalogData"]["usageText"] == ""
    assert put["catalogData"]["architectures"] == ["ARM 64"]
    assert "logoImageBlob" not in put["catalogData"]
    assert public.requests("UntagResource")[-1].body == {"resourceArn": arn, "tagKeys": ["keep"]}
    assert public.requests("TagResource")[-1].body == {"resourceArn": arn, "tags": [{"Key": "team", "Value": "b"}]}
    assert "DeleteRepository" not in ops
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    # Removing the block clears the Gallery data.
    write(ws, public, moto, repo_block('tags = { team = "b" }'), extra='default_tags { tags = { env = "test" } }')
    ws.apply()
    assert not any(public.repo(NAME).catalog.get(k) for k in ("description", "architectures", "operatingSystems"))
    assert ws.attrs(REPO)["catalog_data"] == []
    assert_plan(ws.plan_exitcode(), 0, "No changes.")
    assert_all_signed_for_us_east_1(public)


def test_logo_is_sent_decoded_and_kept_in_state(ws, public, moto):
    logo = b"\x89PNG\r\n\x1a\nfake-logo"
    (ws.path / "logo.png").write_bytes(logo)
    write(ws, public, moto, repo_block('catalog_data {\n  logo_image_blob = filebase64("${path.module}/logo.png")\n}'))
    ws.apply()
    assert public.repo(NAME).logo == logo
    assert ws.attrs(REPO)["catalog_data"][0]["logo_image_blob"] == base64.b64encode(logo).decode()
    assert_plan(ws.plan_exitcode(), 0, "No changes.")


def test_drift_changed_and_deleted_outside(ws, public, moto):
    write(ws, public, moto, repo_block(CATALOG + 'tags = { team = "a" }'))
    ws.apply()
    c = boto(public)
    arn = ws.attrs(REPO)["arn"]

    c.put_repository_catalog_data(repositoryName=NAME, catalogData={"description": "edited in the console", "architectures": ["x86"]})
    c.tag_resource(resourceArn=arn, tags=[{"Key": "team", "Value": "z"}])
    out = assert_plan(ws.plan_exitcode(), 2, "update in-place", '"A command-line tool"', '"edited in the console"', '"z" -> "a"')
    assert "forces replacement" not in out
    ws.apply()
    assert public.repo(NAME).catalog["description"] == "A command-line tool"
    assert public.repo(NAME).tags == {"team": "a"}
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    c.delete_repository(repositoryName=NAME)
    assert_plan(ws.plan_exitcode(), 2, "will be created", "Plan: 1 to add, 0 to change, 0 to destroy.")
    ws.refresh()
    assert ws.resource(REPO) is None, "deleted outside Terraform: removed from state on refresh"
    ws.apply()
    assert public.repo(NAME) is not None


@pytest.mark.compat
def test_import_by_name_matches_config(ws, public, moto):
    boto(public).create_repository(
        repositoryName=NAME,
        # Architectures in another order than the configuration's: compared as a set.
        catalogData=dict(CATALOG_API, architectures=["ARM 64", "x86-64"]),
        tags=[{"Key": "team", "Value": "a"}],
    )
    write(ws, public, moto, repo_block(CATALOG + 'tags = { team = "a" }'))
    ws.import_(REPO, NAME)
    a = ws.attrs(REPO)
    assert a["catalog_data"][0]["description"] == "A command-line tool"
    assert sorted(a["catalog_data"][0]["architectures"]) == ["ARM 64", "x86-64"]
    assert a["tags"] == {"team": "a"}
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    r = ws.import_("ecr_public_repository.other", "Not_A_Name", check=False)
    assert r.returncode != 0


def test_plan_time_validation_points_at_attributes(ws, public, moto):
    body = f"""
    catalog_data {{
      description       = "{'x' * 1025}"
      architectures     = ["arm64", "x86-64"]
      operating_systems = ["linux"]
      logo_image_blob   = "not base64!"
    }}
    """
    write(ws, public, moto, repo_block(body, name="My_Tool"))
    r = ws.plan(check=False)
    out = r.stdout + r.stderr
    assert r.returncode != 0
    for fragment in (
        "Invalid repository_name",
        "not a valid ECR Public repository name",
        "catalog_data.description is too long",
        "at most 1024 characters; it has 1025",
        '"arm64" is not an ECR Public Gallery architecture',
        'Did you mean "ARM 64"?',
        'Did you mean "Linux"?',
        "must be base64-encoded image data",
    ):
        assert fragment in out, f"missing {fragment!r}:\n{out}"
    assert 'repository_name = "My_Tool"' in out, "diagnostic should point at the attribute"
    assert not public.requests(), "validation must fail before any AWS call"


def test_force_destroy_from_config_at_destroy_time(ws, public, moto):
    write(ws, public, moto, repo_block())
    ws.apply()
    public.add_image(NAME)
    r = ws.destroy(check=False)
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert "RepositoryNotEmptyException" in out and "Set force_destroy = true" in out, out
    assert public.repo(NAME) is not None

    write(ws, public, moto, repo_block("force_destroy = true"))
    ws.destroy()
    assert public.repo(NAME) is None
    assert [x.body.get("force") for x in public.requests("DeleteRepository")] == [False, True]


def test_existing_repository_with_images_is_refused_with_import_hint(ws, public, moto):
    boto(public).create_repository(repositoryName=NAME)
    public.add_image(NAME)
    write(ws, public, moto, repo_block(CATALOG))
    r = ws.apply(check=False)
    out = " ".join((r.stdout + r.stderr).split())
    assert r.returncode != 0
    assert f'ECR Public repository "{NAME}" already exists and was not adopted: it holds images' in out, out
    assert f"terraform import ecr_public_repository.<name> {NAME}" in out, out
    assert public.repo(NAME).catalog == {}, "the existing repository was changed"
    assert ws.resource(REPO) is None


def test_leftover_repository_is_adopted(ws, public, moto):
    # What a killed apply leaves: CreateRepository carried the catalog data and tags.
    boto(public).create_repository(repositoryName=NAME, catalogData=CATALOG_API, tags=[{"Key": "team", "Value": "a"}])
    write(ws, public, moto, repo_block(CATALOG + 'tags = { team = "a" }'))
    r = ws.apply()
    out = " ".join((r.stdout + r.stderr).split())
    assert f'Warning: Adopted existing ECR Public repository "{NAME}"' in out, out
    repo = public.repo(NAME)
    assert repo.catalog["description"] == "A command-line tool"
    assert repo.tags == {"team": "a"}
    assert ws.attrs(REPO)["arn"] == repo.arn
    assert_plan(ws.plan_exitcode(), 0, "No changes.")


def test_new_repository_with_other_settings_is_not_taken_over(ws, public, moto):
    """Empty and minutes old, but not what this configuration creates: another workspace's."""
    boto(public).create_repository(repositoryName=NAME)
    write(ws, public, moto, repo_block(CATALOG + 'tags = { team = "a" }'))
    r = ws.apply(check=False)
    out = " ".join((r.stdout + r.stderr).split())
    assert r.returncode != 0
    assert "its catalog data differs from the planned catalog_data; its tags differ from the planned tags" in out, out
    assert f"terraform import ecr_public_repository.<name> {NAME}" in out, out
    repo = public.repo(NAME)
    assert repo.catalog == {} and repo.tags == {}, "the existing repository was changed"
    assert ws.resource(REPO) is None


def test_aws_errors_carry_code_message_and_remedy(ws, public, moto):
    write(ws, public, moto, repo_block())
    # (LimitExceededException would be retried by the SDK as throttling; this one is not.)
    public.inject_failure("CreateRepository", "TooManyTagsException", "The list of tags on the repository is over the limit.")
    r = ws.apply(check=False)
    out = " ".join((r.stdout + r.stderr).split())
    assert "TooManyTagsException: The list of tags on the repository is over the limit." in out, out
    assert "at most 50 tags, default_tags included" in out, out
    assert "SdkBody" not in out, "no raw HTTP dump in diagnostics"
    assert ws.resource(REPO) is None


def test_unreachable_endpoint_names_us_east_1(ws, public, moto):
    from harness import free_port

    ws.env["AWS_REGION"] = ws.env["AWS_DEFAULT_REGION"] = "eu-west-1"
    config = provider(public, moto, extra="max_retries = 0").replace(public.url, f"http://127.0.0.1:{free_port()}")
    ws.write(config + "\n" + repo_block())
    r = ws.apply(check=False)
    out = " ".join((r.stdout + r.stderr).split())
    assert r.returncode != 0
    assert "Could not reach the ECR Public API. It exists only in us-east-1" in out, out


# --------------------------------------------------------------------------------------------
# ecr_public_repository_policy
# --------------------------------------------------------------------------------------------


def policy_block(policy_expr: str) -> str:
    return f'resource "ecr_public_repository_policy" "tool" {{\n  repository_name = ecr_public_repository.tool.repository_name\n  policy = {policy_expr}\n}}\n'


def hcl_policy(p: dict) -> str:
    return f"jsonencode({json.dumps(p)})"


@pytest.mark.compat
def test_policy_semantic_comparison_update_drift_import(ws, public, moto):
    write(ws, public, moto, repo_block(), policy_block(hcl_policy(PUSH_POLICY)))
    ws.apply()
    assert json.loads(public.repo(NAME).policy) == PUSH_POLICY
    a = ws.attrs(POLICY)
    assert a["registry_id"] == "123456789012" and a["id"] == NAME
    # The stand-in returns the policy re-indented; that is not a change.
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    # Same meaning written differently: heredoc, other key order, single values, shuffled actions.
    same = textwrap.dedent(
        """\
        <<-EOT
          {
            "Statement": {
              "Action": ["ecr-public:InitiateLayerUpload", "ecr-public:PutImage"],
              "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"},
              "Effect": "Allow",
              "Sid": "CIPush"
            },
            "Version": "2012-10-17"
          }
        EOT"""
    )
    write(ws, public, moto, repo_block(), policy_block(same))
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    changed = json.loads(json.dumps(PUSH_POLICY))
    changed["Statement"][0]["Principal"]["AWS"] = "arn:aws:iam::111122223333:role/deploy"
    write(ws, public, moto, repo_block(), policy_block(hcl_policy(changed)))
    assert_plan(ws.plan_exitcode(), 2, "update in-place", "role/deploy")
    ws.apply()
    assert json.loads(public.repo(NAME).policy) == changed
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    c = boto(public)
    c.set_repository_policy(repositoryName=NAME, policyText=json.dumps(PUSH_POLICY))
    assert_plan(ws.plan_exitcode(), 2, "update in-place", "role/deploy")
    ws.apply()

    c.delete_repository_policy(repositoryName=NAME)
    assert_plan(ws.plan_exitcode(), 2, "will be created")
    ws.apply()
    assert public.repo(NAME).policy is not None

    ws.run("state", "rm", POLICY)
    ws.import_(POLICY, NAME)
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    ws.destroy()
    assert public.repo(NAME) is None
    assert_all_signed_for_us_east_1(public)


def test_policy_validation_and_propagation_retry(ws, public, moto):
    bad = {"Statement": [{"Effect": "Permit", "Action": "ecr-public:PutImage"}]}
    write(ws, public, moto, repo_block(), policy_block(hcl_policy(bad)))
    r = ws.plan(check=False)
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert "Invalid Effect" in out and "Statement[0].Effect" in out and "Missing Principal" in out, out
    assert not public.requests()

    # A policy for a repository that does not exist: AWS's error, pointed at repository_name.
    missing = f'resource "ecr_public_repository_policy" "tool" {{\n  repository_name = "nope"\n  policy = {hcl_policy(PUSH_POLICY)}\n}}\n'
    write(ws, public, moto, missing)
    r = ws.apply(check=False)
    out = " ".join((r.stdout + r.stderr).split())
    assert r.returncode != 0
    assert "RepositoryNotFoundException: The repository with name 'nope' does not exist" in out, out
    assert 'repository_name = "nope"' in out, "diagnostic should point at repository_name"
    assert "the repository must exist before its policy" in out, out
    public.reset()

    # AWS rejects policies naming principals IAM cannot see yet; the provider retries.
    public.inject_failure(
        "SetRepositoryPolicy",
        "InvalidParameterException",
        "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'",
    )
    write(ws, public, moto, repo_block(), policy_block(hcl_policy(PUSH_POLICY)))
    ws.apply()
    assert len(public.requests("SetRepositoryPolicy")) == 2
    assert public.repo(NAME).policy is not None


# --------------------------------------------------------------------------------------------
# ecr_public_authorization_token
# --------------------------------------------------------------------------------------------


def test_authorization_token_is_sensitive_and_never_logged(ws, public, moto):
    token_hcl = """
    data "ecr_public_authorization_token" "t" {}

    output "user" {
      value = data.ecr_public_authorization_token.t.user_name
    }

    output "password" {
      value     = data.ecr_public_authorization_token.t.password
      sensitive = true
    }

    output "expires_at" {
      value = data.ecr_public_authorization_token.t.expires_at
    }
    """
    write(ws, public, moto, token_hcl)
    r = ws.apply()
    tokens = public.tokens()
    assert tokens, "no GetAuthorizationToken call reached the stand-in"
    token = tokens[-1]
    password = base64.b64decode(token).decode().split(":", 1)[1]
    assert ws.output("user") == "AWS"
    assert ws.output("password") == password
    assert ws.output("expires_at").endswith("Z")

    state = ws.state()
    ds = next(x for x in state["values"]["root_module"]["resources"] if x["address"] == "data.ecr_public_authorization_token.t")
    assert ds["values"]["authorization_token"] == token
    assert ds["values"]["id"] == "us-east-1"
    schema = json.loads(ws.run("providers", "schema", "-json").stdout)
    attrs = next(iter(schema["provider_schemas"].values()))["data_source_schemas"]["ecr_public_authorization_token"]["block"]["attributes"]
    assert attrs["authorization_token"].get("sensitive") is True
    assert attrs["password"].get("sensitive") is True

    plan = ws.plan()
    shown = r.stdout + r.stderr + plan.stdout + plan.stderr
    # Terraform refuses to show it in a non-sensitive output.
    ws.write(ws.main_tf.read_text() + 'output "leak" {\n  value = data.ecr_public_authorization_token.t.authorization_token\n}\n')
    leak = ws.plan(check=False)
    ws.write(ws.main_tf.read_text().split('output "leak"')[0])
    assert leak.returncode != 0 and "Output refers to sensitive values" in leak.stdout + leak.stderr

    # Even at TRACE (the provider's most verbose level, SDK internals included).
    ws.env["TF_LOG"] = "TRACE"
    trace = ws.plan()
    assert "GetAuthorizationToken" in ws.log_since(trace), "TRACE log should show the SDK call"

    tokens = public.tokens()
    log = ws.log_path.read_text(errors="replace")
    for secret in {t for t in tokens} | {base64.b64decode(t).decode().split(":", 1)[1] for t in tokens}:
        assert secret not in shown, "token shown in terraform output"
        assert secret not in log, "token written to the TF_LOG=DEBUG log"
    assert_all_signed_for_us_east_1(public)
