"""`ecr_repository` driven end to end by the real Terraform CLI against moto.

Every case checks the outcome twice: through Terraform (plan output, state, outputs) and
through a boto3 client talking to the same moto server.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from harness import assert_plan, config, provider_block, push_image

ADDR = "ecr_repository.x"


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def repo(name: str = "app", body: str = "", label: str = "x") -> str:
    """An ecr_repository block; `body` holds the extra arguments/blocks."""
    inner = textwrap.indent(textwrap.dedent(body).strip(), "  ")
    return f'resource "ecr_repository" "{label}" {{\n  name = "{name}"\n{inner}\n}}\n'


def describe(ecr, name: str) -> dict | None:
    try:
        return ecr.describe_repositories(repositoryNames=[name])["repositories"][0]
    except ecr.exceptions.RepositoryNotFoundException:
        return None


def all_repo_names(ecr) -> list[str]:
    return sorted(r["repositoryName"] for r in ecr.describe_repositories()["repositories"])


def remote_tags(ecr, arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in ecr.list_tags_for_resource(resourceArn=arn)["tags"]}


def block(values: dict, key: str) -> dict | None:
    """A max-1 nested block from state JSON: a one-element list (list nesting) or an object
    (single nesting), whichever the provider chose; None when absent."""
    v = values.get(key)
    if isinstance(v, list):
        assert len(v) <= 1, f"{key} has {len(v)} elements: {v}"
        return v[0] if v else None
    return v


def filters_of(values: dict) -> list[dict]:
    return [
        {"filter": f["filter"], "filter_type": f["filter_type"]}
        for f in values.get("image_tag_mutability_exclusion_filter") or []
    ]


def summary(add: int, change: int, destroy: int) -> str:
    return f"Plan: {add} to add, {change} to change, {destroy} to destroy."


FULL_BODY = """
image_tag_mutability = "IMMUTABLE"
image_scanning_configuration {
  scan_on_push = true
}
encryption_configuration {
  encryption_type = "AES256"
}
tags = {
  team = "platform"
}
force_delete = false
"""

EXCLUSION_BODY = """
image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"
image_tag_mutability_exclusion_filter {
  filter      = "latest*"
  filter_type = "WILDCARD"
}
image_tag_mutability_exclusion_filter {
  filter      = "dev-*"
  filter_type = "WILDCARD"
}
"""


# --------------------------------------------------------------------------------------------
# create / read / no-op plan
# --------------------------------------------------------------------------------------------


@pytest.mark.compat
def test_create(ws, ecr, provider_hcl):
    ws.write(
        config(
            provider_hcl,
            repo("app", FULL_BODY),
            'output "url" {\n  value = ecr_repository.x.repository_url\n}',
        )
    )
    result = ws.apply()
    assert "Apply complete! Resources: 1 added, 0 changed, 0 destroyed." in result.stdout

    remote = describe(ecr, "app")
    assert remote is not None, "repository not created in moto"
    assert remote["imageTagMutability"] == "IMMUTABLE"
    assert remote["imageScanningConfiguration"] == {"scanOnPush": True}
    assert remote["encryptionConfiguration"]["encryptionType"] == "AES256"
    assert remote_tags(ecr, remote["repositoryArn"]) == {"team": "platform"}

    a = ws.attrs(ADDR)
    assert a["id"] == "app"
    assert a["name"] == "app"
    assert a["arn"] == remote["repositoryArn"]
    assert a["registry_id"] == remote["registryId"]
    assert a["repository_url"] == remote["repositoryUri"]
    assert a["image_tag_mutability"] == "IMMUTABLE"
    assert block(a, "image_scanning_configuration")["scan_on_push"] is True
    assert block(a, "encryption_configuration")["encryption_type"] == "AES256"
    assert a["tags"] == {"team": "platform"}
    assert a["tags_all"] == {"team": "platform"}
    assert ws.output("url") == remote["repositoryUri"]


def test_create_minimal_uses_defaults(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, repo("app")))
    ws.apply()

    remote = describe(ecr, "app")
    assert remote is not None
    assert remote["imageTagMutability"] == "MUTABLE"
    a = ws.attrs(ADDR)
    assert a["image_tag_mutability"] == "MUTABLE"
    assert a["arn"] == remote["repositoryArn"]
    assert a["repository_url"] == remote["repositoryUri"]
    assert not a.get("tags_all")  # {} or null: no tags anywhere
    assert remote_tags(ecr, remote["repositoryArn"]) == {}


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("", id="minimal"),
        pytest.param(FULL_BODY, id="full"),
        pytest.param(EXCLUSION_BODY, id="exclusion-filters"),
        pytest.param('encryption_configuration {\n  encryption_type = "KMS"\n}', id="kms-default-key"),
    ],
)
@pytest.mark.compat
def test_second_plan_shows_no_changes(ws, ecr, provider_hcl, body):
    ws.write(config(provider_hcl, repo("app", body)))
    ws.apply()
    assert describe(ecr, "app") is not None
    assert_plan(ws.plan_exitcode(), 0, "No changes.")


# --------------------------------------------------------------------------------------------
# updates
# --------------------------------------------------------------------------------------------


def test_update_in_place(ws, ecr, provider_hcl):
    ws.write(
        config(
            provider_hcl,
            repo(
                "app",
                """
                image_tag_mutability = "MUTABLE"
                image_scanning_configuration {
                  scan_on_push = false
                }
                tags = {
                  team = "platform"
                  gone = "soon"
                }
                """,
            ),
        )
    )
    ws.apply()
    before = describe(ecr, "app")
    arn_before = ws.attrs(ADDR)["arn"]

    ws.write(
        config(
            provider_hcl,
            repo(
                "app",
                """
                image_tag_mutability = "IMMUTABLE"
                image_scanning_configuration {
                  scan_on_push = true
                }
                tags = {
                  team = "infra"
                  cost = "42"
                }
                """,
            ),
        )
    )
    assert_plan(
        ws.plan_exitcode(),
        2,
        f"{ADDR} will be updated in-place",
        summary(0, 1, 0),
        absent=("must be replaced",),
    )
    ws.apply()

    after = describe(ecr, "app")
    assert after["imageTagMutability"] == "IMMUTABLE"
    assert after["imageScanningConfiguration"] == {"scanOnPush": True}
    assert remote_tags(ecr, after["repositoryArn"]) == {"team": "infra", "cost": "42"}
    assert after["createdAt"] == before["createdAt"], "repository was recreated, not updated"

    a = ws.attrs(ADDR)
    assert a["arn"] == arn_before
    assert a["image_tag_mutability"] == "IMMUTABLE"
    assert block(a, "image_scanning_configuration")["scan_on_push"] is True
    assert a["tags"] == {"team": "infra", "cost": "42"}
    assert a["tags_all"] == {"team": "infra", "cost": "42"}
    assert_plan(ws.plan_exitcode(), 0)


def test_exclusion_filters_create_update_and_remove(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, repo("app", EXCLUSION_BODY)))
    ws.apply()
    remote = describe(ecr, "app")
    assert remote["imageTagMutability"] == "IMMUTABLE_WITH_EXCLUSION"
    assert sorted(f["filter"] for f in remote["imageTagMutabilityExclusionFilters"]) == ["dev-*", "latest*"]
    assert sorted(f["filter"] for f in filters_of(ws.attrs(ADDR))) == ["dev-*", "latest*"]

    # Different filters and the other exclusion mode: in place.
    ws.write(
        config(
            provider_hcl,
            repo(
                "app",
                """
                image_tag_mutability = "MUTABLE_WITH_EXCLUSION"
                image_tag_mutability_exclusion_filter {
                  filter      = "release-*"
                  filter_type = "WILDCARD"
                }
                """,
            ),
        )
    )
    assert_plan(ws.plan_exitcode(), 2, "will be updated in-place", absent=("must be replaced",))
    ws.apply()
    remote = describe(ecr, "app")
    assert remote["imageTagMutability"] == "MUTABLE_WITH_EXCLUSION"
    assert [f["filter"] for f in remote["imageTagMutabilityExclusionFilters"]] == ["release-*"]
    assert filters_of(ws.attrs(ADDR)) == [{"filter": "release-*", "filter_type": "WILDCARD"}]
    assert_plan(ws.plan_exitcode(), 0)

    # Back to plain MUTABLE: the filters go away.
    ws.write(config(provider_hcl, repo("app", 'image_tag_mutability = "MUTABLE"')))
    ws.apply()
    remote = describe(ecr, "app")
    assert remote["imageTagMutability"] == "MUTABLE"
    assert not remote.get("imageTagMutabilityExclusionFilters")
    assert filters_of(ws.attrs(ADDR)) == []
    assert_plan(ws.plan_exitcode(), 0)


def test_rename_forces_replacement(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, repo("app")))
    ws.apply()
    old_arn = ws.attrs(ADDR)["arn"]

    ws.write(config(provider_hcl, repo("app2")))
    assert_plan(ws.plan_exitcode(), 2, f"{ADDR} must be replaced", "forces replacement", summary(1, 0, 1))
    ws.apply()

    assert describe(ecr, "app") is None, "old repository still exists"
    new = describe(ecr, "app2")
    assert new is not None, "new repository not created"
    assert all_repo_names(ecr) == ["app2"]
    a = ws.attrs(ADDR)
    assert a["id"] == "app2"
    assert a["arn"] == new["repositoryArn"] != old_arn
    assert_plan(ws.plan_exitcode(), 0)


def test_encryption_change_forces_replacement(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, repo("app", 'encryption_configuration {\n  encryption_type = "AES256"\n}')))
    ws.apply()
    created_before = describe(ecr, "app")["createdAt"]

    ws.write(config(provider_hcl, repo("app", 'encryption_configuration {\n  encryption_type = "KMS"\n}')))
    assert_plan(ws.plan_exitcode(), 2, "must be replaced", "forces replacement", summary(1, 0, 1))
    ws.apply()

    remote = describe(ecr, "app")
    assert remote["encryptionConfiguration"]["encryptionType"] == "KMS"
    assert remote["createdAt"] != created_before
    enc = block(ws.attrs(ADDR), "encryption_configuration")
    assert enc["encryption_type"] == "KMS"
    # moto, like AWS, fills in a KMS key when none is given: kms_key must be computed.
    assert enc["kms_key"] == remote["encryptionConfiguration"]["kmsKey"]
    assert_plan(ws.plan_exitcode(), 0)


# --------------------------------------------------------------------------------------------
# import, drift
# --------------------------------------------------------------------------------------------


@pytest.mark.compat
def test_import_then_plan_is_empty(ws, ecr, provider_hcl):
    created = ecr.create_repository(
        repositoryName="imported",
        imageTagMutability="IMMUTABLE",
        imageScanningConfiguration={"scanOnPush": True},
        tags=[{"Key": "team", "Value": "platform"}],
    )["repository"]
    ws.write(
        config(
            provider_hcl,
            repo(
                "imported",
                """
                image_tag_mutability = "IMMUTABLE"
                image_scanning_configuration {
                  scan_on_push = true
                }
                tags = {
                  team = "platform"
                }
                """,
            ),
        )
    )
    result = ws.import_(ADDR, "imported")
    assert "Import successful" in result.stdout

    a = ws.attrs(ADDR)
    assert a["id"] == "imported"
    assert a["name"] == "imported"
    assert a["arn"] == created["repositoryArn"]
    assert a["registry_id"] == created["registryId"]
    assert a["repository_url"] == created["repositoryUri"]
    assert a["image_tag_mutability"] == "IMMUTABLE"
    assert a["tags"] == {"team": "platform"}
    assert_plan(ws.plan_exitcode(), 0, "No changes.")
    # Still exactly the one repository, untouched.
    assert all_repo_names(ecr) == ["imported"]
    assert describe(ecr, "imported")["createdAt"] == created["createdAt"]


def test_import_missing_repository_fails(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, repo("nope")))
    result = ws.import_(ADDR, "nope", check=False)
    assert result.returncode != 0, result.stdout
    out = result.stdout + result.stderr
    assert re.search(r"(?i)non-existent|not ?found|does not exist", out), out
    assert ws.resources() == []
    assert all_repo_names(ecr) == []


def test_deleted_outside_terraform_is_recreated(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, repo("app", FULL_BODY)))
    ws.apply()
    ecr.delete_repository(repositoryName="app", force=True)
    assert describe(ecr, "app") is None

    assert_plan(ws.plan_exitcode(), 2, f"{ADDR} will be created", summary(1, 0, 0))
    ws.apply()

    remote = describe(ecr, "app")
    assert remote is not None, "repository not recreated"
    assert remote["imageTagMutability"] == "IMMUTABLE"
    assert remote_tags(ecr, remote["repositoryArn"]) == {"team": "platform"}
    assert ws.attrs(ADDR)["arn"] == remote["repositoryArn"]
    assert_plan(ws.plan_exitcode(), 0)


def test_changed_outside_terraform_shows_diff(ws, ecr, provider_hcl):
    ws.write(
        config(
            provider_hcl,
            repo(
                "app",
                """
                image_tag_mutability = "MUTABLE"
                tags = {
                  team = "platform"
                }
                """,
            ),
        )
    )
    ws.apply()
    arn = ws.attrs(ADDR)["arn"]

    ecr.put_image_tag_mutability(repositoryName="app", imageTagMutability="IMMUTABLE")
    ecr.tag_resource(resourceArn=arn, tags=[{"Key": "intruder", "Value": "yes"}])

    out = assert_plan(
        ws.plan_exitcode(),
        2,
        f"{ADDR} will be updated in-place",
        '"IMMUTABLE" -> "MUTABLE"',
        "intruder",
        absent=("must be replaced",),
    )
    assert summary(0, 1, 0) in out
    ws.apply()

    remote = describe(ecr, "app")
    assert remote["imageTagMutability"] == "MUTABLE"
    assert remote_tags(ecr, arn) == {"team": "platform"}
    assert ws.attrs(ADDR)["image_tag_mutability"] == "MUTABLE"
    assert_plan(ws.plan_exitcode(), 0)


# --------------------------------------------------------------------------------------------
# force_delete and destroy
# --------------------------------------------------------------------------------------------


def test_destroy_with_images_without_force_delete_fails(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, repo("app")))
    ws.apply()
    push_image(ecr, "app")

    result = ws.destroy(check=False)
    assert result.returncode != 0, "destroy of a repository with images succeeded without force_delete"
    out = result.stdout + result.stderr
    assert "force_delete" in out, f"error does not point the user at force_delete:\n{out}"

    assert describe(ecr, "app") is not None
    assert ecr.list_images(repositoryName="app")["imageIds"], "images were deleted"
    assert ws.resource(ADDR) is not None, "resource dropped from state although not destroyed"


def test_force_delete_set_in_config_before_destroy(ws, ecr, provider_hcl):
    """State is written with force_delete = false; the configuration then says true.

    Terraform never sends the configuration with a destroy (ApplyResourceChange gets a null
    config for deletes, in 1.0 as in later versions), so the new value reaches the provider
    through an apply that updates only state, and the destroy that follows honours it.
    """
    ws.write(config(provider_hcl, repo("app", "force_delete = false")))
    ws.apply()
    assert ws.attrs(ADDR)["force_delete"] is False
    push_image(ecr, "app")

    ws.write(config(provider_hcl, repo("app", "force_delete = true")))
    assert_plan(ws.plan_exitcode(), 2, "force_delete", "will be updated in-place", absent=("must be replaced",))
    ws.apply()
    assert ws.attrs(ADDR)["force_delete"] is True
    assert ecr.list_images(repositoryName="app")["imageIds"], "apply of force_delete touched the images"

    ws.destroy()
    assert describe(ecr, "app") is None
    assert ws.resources() == []


def test_force_delete_added_just_before_destroy_is_honoured(ws, ecr, provider_hcl):
    """`force_delete = true` written into the configuration, then straight `terraform destroy`
    (no apply in between): the destroy's refresh plan sees the configuration and the delete
    honours it (the incumbent ignores it: its issue #33523)."""
    ws.write(config(provider_hcl, repo("app", "force_delete = false")))
    ws.apply()
    push_image(ecr, "app")

    ws.write(config(provider_hcl, repo("app", "force_delete = true")))
    result = ws.destroy()
    assert "Destroy complete! Resources: 1 destroyed." in result.stdout
    assert describe(ecr, "app") is None
    assert ws.resources() == []


def test_scan_on_push_true_to_false_in_place(ws, ecr, provider_hcl):
    on = "image_scanning_configuration {\n  scan_on_push = true\n}"
    off = "image_scanning_configuration {\n  scan_on_push = false\n}"
    ws.write(config(provider_hcl, repo("app", on)))
    ws.apply()
    assert describe(ecr, "app")["imageScanningConfiguration"]["scanOnPush"] is True
    ws.write(config(provider_hcl, repo("app", off)))
    assert_plan(ws.plan_exitcode(), 2, "will be updated in-place", absent=("must be replaced",))
    ws.apply()
    assert describe(ecr, "app")["imageScanningConfiguration"]["scanOnPush"] is False
    assert_plan(ws.plan_exitcode(), 0)


def test_force_delete_true_from_start(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, repo("app", "force_delete = true")))
    ws.apply()
    push_image(ecr, "app", "v1")
    push_image(ecr, "app", "v2")

    result = ws.destroy()
    assert "Destroy complete! Resources: 1 destroyed." in result.stdout
    assert all_repo_names(ecr) == []


@pytest.mark.compat
def test_destroy_leaves_nothing(ws, ecr, provider_hcl):
    ws.write(
        config(
            provider_hcl,
            repo("app", FULL_BODY, label="x"),
            repo("team/app-2", EXCLUSION_BODY, label="y"),
        )
    )
    ws.apply()
    assert all_repo_names(ecr) == ["app", "team/app-2"]

    result = ws.destroy()
    assert "Destroy complete! Resources: 2 destroyed." in result.stdout
    assert all_repo_names(ecr) == []
    assert ws.resources() == []
    # And Terraform agrees there is nothing left: a fresh plan would create both again.
    assert_plan(ws.plan_exitcode(), 2, summary(2, 0, 0))


# --------------------------------------------------------------------------------------------
# provider default_tags
# --------------------------------------------------------------------------------------------


def test_default_tags_in_tags_all_and_on_repository(ws, ecr, moto):
    hcl = provider_block(moto.url, 'default_tags {\n  tags = {\n    env = "test"\n  }\n}')
    ws.write(config(hcl, repo("app", 'tags = {\n  team = "platform"\n}')))
    ws.apply()

    a = ws.attrs(ADDR)
    assert a["tags"] == {"team": "platform"}
    assert a["tags_all"] == {"team": "platform", "env": "test"}
    assert remote_tags(ecr, a["arn"]) == {"team": "platform", "env": "test"}
    assert_plan(ws.plan_exitcode(), 0)

    # A resource tag wins over a default tag of the same key.
    ws.write(config(hcl, repo("app", 'tags = {\n  team = "platform"\n  env  = "prod"\n}')))
    assert_plan(ws.plan_exitcode(), 2, "will be updated in-place")
    ws.apply()
    a = ws.attrs(ADDR)
    assert a["tags_all"] == {"team": "platform", "env": "prod"}
    assert remote_tags(ecr, a["arn"]) == {"team": "platform", "env": "prod"}
    assert_plan(ws.plan_exitcode(), 0)


def test_default_tags_only(ws, ecr, moto):
    hcl = provider_block(moto.url, 'default_tags {\n  tags = {\n    env = "test"\n  }\n}')
    ws.write(config(hcl, repo("app")))
    ws.apply()
    a = ws.attrs(ADDR)
    assert a["tags_all"] == {"env": "test"}
    assert remote_tags(ecr, a["arn"]) == {"env": "test"}
    assert_plan(ws.plan_exitcode(), 0)


# --------------------------------------------------------------------------------------------
# validation (terraform validate, no API calls)
# --------------------------------------------------------------------------------------------


def _validate_fails(ws, provider_hcl, body: str, name: str = "app") -> str:
    ws.write(config(provider_hcl, repo(name, body)))
    result = ws.validate(check=False)
    out = result.stdout + result.stderr
    assert result.returncode != 0, f"terraform validate accepted invalid configuration:\n{out}"
    assert "Error" in out, out
    return out


def _points_at(out: str, source_line: str) -> bool:
    """Terraform quotes the offending source line (`  12:   name = "x"`) when the diagnostic
    carries an attribute path; without a path it would quote the resource block header."""
    return re.search(r"^\s*\d+:\s+" + re.escape(source_line) + r"\s*$", out, re.M) is not None


@pytest.mark.parametrize(
    "bad_name",
    [
        pytest.param("Bad_Name!", id="uppercase-and-punctuation"),
        pytest.param("a", id="too-short"),
        pytest.param("a" * 257, id="too-long"),
        pytest.param("app-", id="trailing-separator"),
        pytest.param("team//app", id="empty-path-component"),
    ],
)
def test_validate_rejects_invalid_name(ws, ecr, provider_hcl, bad_name):
    out = _validate_fails(ws, provider_hcl, "", name=bad_name)
    assert "name" in out
    assert _points_at(out, f'name = "{bad_name}"'), f"diagnostic not attached to `name`:\n{out}"
    assert re.search(r"(?i)characters|length|pattern|match|lowercase|must", out), out
    assert all_repo_names(ecr) == []


@pytest.mark.parametrize("good_name", ["ab", "team/app-1.x_y", "a" * 256, "a.b-c_d/e"])
def test_validate_accepts_valid_name(ws, provider_hcl, good_name):
    ws.write(config(provider_hcl, repo(good_name)))
    ws.validate()


@pytest.mark.parametrize(
    "bad_filter",
    [
        pytest.param("bad filter!", id="space-and-bang"),
        pytest.param("x" * 129, id="too-long"),
        pytest.param("", id="empty"),
    ],
)
def test_validate_rejects_invalid_exclusion_filter(ws, ecr, provider_hcl, bad_filter):
    out = _validate_fails(
        ws,
        provider_hcl,
        f"""
        image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"
        image_tag_mutability_exclusion_filter {{
          filter      = "{bad_filter}"
          filter_type = "WILDCARD"
        }}
        """,
    )
    assert "filter" in out
    assert _points_at(out, f'filter      = "{bad_filter}"'), f"diagnostic not attached to `filter`:\n{out}"
    assert re.search(r"(?i)characters|length|pattern|match|must", out), out


def test_validate_rejects_invalid_filter_type(ws, provider_hcl):
    out = _validate_fails(
        ws,
        provider_hcl,
        """
        image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"
        image_tag_mutability_exclusion_filter {
          filter      = "latest"
          filter_type = "REGEX"
        }
        """,
    )
    assert _points_at(out, 'filter_type = "REGEX"'), out
    assert "WILDCARD" in out


def test_validate_warns_about_exclusion_filter_with_plain_mutability(ws, provider_hcl):
    """AWS documents no refusal of filters with a plain mode (the rule is the CDK's): a warning
    (issue 19, docs/design/validation.md)."""
    ws.write(config(provider_hcl, repo("app", """
        image_tag_mutability = "MUTABLE"
        image_tag_mutability_exclusion_filter {
          filter      = "latest*"
          filter_type = "WILDCARD"
        }
        """)))
    result = ws.validate(check=False)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "Warning: Exclusion filters need an exclusion mode" in out, out
    # The message must say which modes use filters.
    assert re.search(r"(?i)_WITH_EXCLUSION", out), out


def test_validate_rejects_invalid_mutability(ws, provider_hcl):
    out = _validate_fails(ws, provider_hcl, 'image_tag_mutability = "SOMETIMES"')
    assert _points_at(out, 'image_tag_mutability = "SOMETIMES"'), out
    assert "IMMUTABLE" in out


def test_validate_rejects_too_many_exclusion_filters(ws, provider_hcl):
    filters = "\n".join(
        f'image_tag_mutability_exclusion_filter {{\n  filter      = "f{i}*"\n  filter_type = "WILDCARD"\n}}'
        for i in range(6)
    )
    out = _validate_fails(ws, provider_hcl, 'image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"\n' + filters)
    assert "image_tag_mutability_exclusion_filter" in out


def test_validate_accepts_valid_configuration(ws, provider_hcl):
    ws.write(config(provider_hcl, repo("app", FULL_BODY), repo("app2", EXCLUSION_BODY, label="y")))
    result = ws.validate()
    # ", but there were some validation warnings": dev_overrides always adds one.
    assert "Success! The configuration is valid" in result.stdout


def test_tags_with_a_value_known_only_after_apply_plan_and_converge(ws, ecr, provider_hcl):
    """`tags = { source = ecr_repository.a.arn }` has one unknown element at plan: the planned
    value must be exactly that map (Terraform rejects any other for a non-computed attribute)."""
    ws.write(config(provider_hcl, repo("unknown/a", label="a"),
                    repo("unknown/b", 'tags = { source = ecr_repository.a.arn, team = "x" }', label="b")))
    code, out = ws.plan_exitcode()
    assert code == 2, out
    ws.apply()
    a, b = describe(ecr, "unknown/a"), describe(ecr, "unknown/b")
    assert remote_tags(ecr, b["repositoryArn"]) == {"source": a["repositoryArn"], "team": "x"}
    assert ws.attrs("ecr_repository.b")["tags_all"] == {"source": a["repositoryArn"], "team": "x"}
    code, out = ws.plan_exitcode()
    assert code == 0, out
