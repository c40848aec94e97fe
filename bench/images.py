#!/usr/bin/env python3
"""Image lookup figures: `terraform plan` reading a repository of N images (default 5,000) in moto.

    bench/images.py [--binary target/release/terraform-provider-ecr] [--images 5000] [--runs 5]

Seeds the repository once (not measured; push times one second apart, a third of the images
untagged), then for each lookup runs `terraform plan` --runs times and prints, for the median run:
wall time, the provider's peak RSS (VmHWM) and the ECR calls by operation, counted by a proxy
between the provider and moto (moto_launcher.py pages DescribeImages as AWS does: at most 1,000
per call). Lookups: `ecr_images` of every image; `ecr_images` with tag_pattern, most_recent_first
and limit; `ecr_image` with most_recent; `ecr_repository` (most_recent_image_tags).
Run with the venv's python: ~/.cache/terraform-provider-ecr/venv/bin/python.
"""
import argparse
import hashlib
import json
import math
import sys
import tempfile
import time
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "acceptance-tests"))
sys.path.insert(0, str(ROOT / "bench"))
from harness import MotoServer, Workspace, link_provider, provider_block  # noqa: E402
from counting_proxy import CountingProxy  # noqa: E402
from refresh import PeakRss  # noqa: E402

T0 = 1_767_225_600
REPO = "bench/images"

LOOKUPS = {
    "ecr_images, every image": '''
data "ecr_images" "x" {
  repository_name = "%s"
}
output "n" { value = length(data.ecr_images.x.image_ids) }
''',
    "ecr_images, v* newest 10": '''
data "ecr_images" "x" {
  repository_name   = "%s"
  tag_pattern       = "v*"
  most_recent_first = true
  limit             = 10
}
output "n" { value = length(data.ecr_images.x.image_ids) }
''',
    "ecr_image, most_recent": '''
data "ecr_image" "x" {
  repository_name = "%s"
  most_recent     = true
}
output "n" { value = data.ecr_image.x.image_digest }
''',
    "ecr_repository": '''
data "ecr_repository" "x" {
  name = "%s"
}
output "n" { value = data.ecr_repository.x.most_recent_image_tags }
''',
}


def seed(url: str, n: int) -> float:
    """Push `n` images (4 threads; push times come from the annotation, not the order)."""
    from concurrent.futures import ThreadPoolExecutor

    ecr = boto3.client("ecr", endpoint_url=url, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
    ecr.create_repository(repositoryName=REPO)
    started = time.perf_counter()

    def push(i: int) -> None:
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 1000 + i,
                       "digest": "sha256:" + hashlib.sha256(b"c%d" % i).hexdigest()},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 10,
                        "digest": "sha256:" + hashlib.sha256(b"l%d" % i).hexdigest()}],
            "annotations": {"tpe.test/pushed-at": str(T0 + i)},
        }
        kw = {"repositoryName": REPO, "imageManifest": json.dumps(manifest), "imageManifestMediaType": manifest["mediaType"]}
        if i % 3:
            kw["imageTag"] = f"v1.{i}" if i % 3 == 1 else f"sha-{i:06x}"
        ecr.put_image(**kw)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(push, range(n)))
    return time.perf_counter() - started


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(ROOT / "target/release/terraform-provider-ecr"))
    ap.add_argument("--images", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        pdir = link_provider(a.binary, tmp / "provider")
        with MotoServer(tmp / "moto") as moto, CountingProxy(moto.url) as proxy:
            took = seed(moto.url, a.images)
            print(f"setup: {a.images} images pushed to moto in {took:.1f} s (not measured)")
            pages = math.ceil(a.images / 1000)
            print(f"plan reading a repository of {a.images} images, median of {a.runs} (a page walk is "
                  f"{pages} DescribeImages calls at 1,000 a page; ListImages at its default 100 a page, "
                  f"as hashicorp/aws's aws_ecr_images reads, would be {math.ceil(a.images / 100)} calls):")
            for label, body in LOOKUPS.items():
                ws = Workspace(tmp / label.replace(" ", "_").replace(",", ""), pdir,
                               env={"TF_LOG": "", "TF_LOG_PATH": ""}, timeout=1800)
                ws.write(provider_block(proxy.url) + body % REPO)
                runs = []
                for _ in range(a.runs):
                    proxy.reset()
                    with PeakRss("terraform-provider-ecr") as rss:
                        t = time.perf_counter()
                        ws.run("plan", "-input=false", "-no-color")
                        wall = time.perf_counter() - t
                    runs.append((wall, rss.peak_kib, dict(proxy.counts)))
                runs.sort(key=lambda x: x[0])
                wall, peak, counts = runs[len(runs) // 2]
                calls = ", ".join(f"{op} {c}" for op, c in sorted(counts.items()))
                print(f"  {label:28} {wall:6.2f} s  peak RSS {peak / 1024:5.1f} MiB  calls: {calls}")


if __name__ == "__main__":
    main()
