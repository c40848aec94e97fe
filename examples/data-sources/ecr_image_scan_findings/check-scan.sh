#!/usr/bin/env bash
# Block the deploy on a critical CVE, without the usual AWS CLI polling loop:
# waits for the image's ECR scan (up to 10 minutes), then fails when a CRITICAL finding remains
# that is not listed in .accepted-cves (one CVE id per line, # comments allowed).
#
#   usage: check-scan.sh REPOSITORY TAG
#   exit:  0 pass, 1 blocked (findings listed), 2 error (no scan, scan failed, timeout, AWS)
#
# AWS settings come from the environment (AWS_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL_ECR).
set -euo pipefail

repository="${1:?usage: check-scan.sh REPOSITORY TAG}"
tag="${2:?usage: check-scan.sh REPOSITORY TAG}"
provider="${TERRAFORM_PROVIDER_ECR:-terraform-provider-ecr}"

ignores=()
if [ -f .accepted-cves ]; then
    while IFS= read -r line; do
        line="${line%%#*}"
        line="${line//[[:space:]]/}"
        [ -n "$line" ] && ignores+=(--ignore "$line")
    done < .accepted-cves
fi

exec "$provider" scan gate \
    --repository "$repository" --tag "$tag" \
    --fail-on CRITICAL --timeout 10m --start-scan \
    ${ignores[@]+"${ignores[@]}"}
