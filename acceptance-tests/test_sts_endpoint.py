"""Every STS call goes to `endpoints { sts }`: a CI runner whose only way to STS is a VPC
endpoint exchanges its OIDC token there, with no AWS_ENDPOINT_URL* variables and no static keys.
The only STS here is moto's, behind a proxy that counts what reaches it; the public STS host
cannot be reached from the test machine at all."""

from __future__ import annotations

import collections

from harness import PROVIDER_SOURCE, REGION, ForwardingProxy


class CountingProxy(ForwardingProxy):
    def __init__(self, upstream_url: str):
        super().__init__(upstream_url)
        self.count = collections.Counter()

    def seen(self, op, headers):
        with self.lock:
            self.count[op] += 1


def test_web_identity_uses_the_sts_endpoint_of_the_provider_block(ws, moto, ecr, tmp_path):
    token = tmp_path / "web-identity-token"
    token.write_text("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl\n")
    for k in [k for k in ws.env if k.startswith("AWS_")]:
        del ws.env[k]
    ws.env.update({"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": str(ws.aws_config_path),
                   "AWS_SHARED_CREDENTIALS_FILE": str(ws.aws_config_path)})
    with CountingProxy(moto.url) as sts:
        ws.write(f"""
            terraform {{
              required_providers {{
                ecr = {{ source = "{PROVIDER_SOURCE}" }}
              }}
            }}

            provider "ecr" {{
              region = "{REGION}"
              assume_role_with_web_identity {{
                role_arn                = "arn:aws:iam::123456789012:role/ci-ecr"
                web_identity_token_file = "{token}"
              }}
              endpoints {{
                ecr = "{moto.url}"
                sts = "{sts.url}"
              }}
            }}

            resource "ecr_repository" "ci" {{
              name = "ci-built"
            }}
        """)
        ws.apply()
        assert sum(sts.count.values()) >= 1, "STS calls did not reach endpoints.sts"
        assert [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]] == ["ci-built"]
        assert ws.plan_exitcode()[0] == 0
        ws.destroy()
    assert not any(k.startswith("AWS_ENDPOINT_URL") or k == "AWS_ACCESS_KEY_ID" for k in ws.env)
