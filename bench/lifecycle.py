#!/usr/bin/env python3
"""Lifecycle figures: local validation and preview vs the emulator's preview, side by side.

    bench/lifecycle.py [--binary target/release/terraform-provider-ecr] [--images 100000]
                       [--runs 7] [--fakecloud PATH] [--fakecloud-images N]

1. `lifecycle validate` of a generated 50-rule policy (every rule kind, at the 50-rule limit).
2. `lifecycle preview` of the seed's production policy over N synthetic images (mixed v*, sha-*,
   other tags, untagged; push times spread over a year; some pulled).
   Both are process wall times (exec + parse + work + print); the time of `lifecycle validate`
   on a 1-rule policy is printed as the fixed per-process cost, to subtract by eye.
3. With --fakecloud: the same policy's StartLifecyclePolicyPreview round trip (start, then poll
   GetLifecyclePolicyPreview until COMPLETE and page through every result) against fakecloud,
   after PutImage of --fakecloud-images images (default: same N). Upload time is printed apart.
Run with the venv's python (boto3): ~/.cache/terraform-provider-ecr/venv/bin/python.
"""
import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_PROD = ROOT / "tests/fixtures/lifecycle/seed-prod.json"
NOW = 1_790_000_000  # 2026-09-21T...Z, fixed so runs are comparable


def policy_50_rules() -> dict:
    rules = []
    for i in range(1, 50):
        kind = i % 3
        if kind == 0:
            sel = {"tagStatus": "tagged", "tagPrefixList": [f"p{i}-"],
                   "countType": "imageCountMoreThan", "countNumber": i}
        elif kind == 1:
            sel = {"tagStatus": "tagged", "tagPatternList": [f"r{i}-*-rc*"],
                   "countType": "sinceImagePushed", "countUnit": "days", "countNumber": i}
        else:
            sel = {"tagStatus": "tagged", "tagPrefixList": [f"t{i}"],
                   "countType": "sinceImagePushed",
                   "countUnit": "days", "countNumber": 90 + i}
        action = {"type": "expire"}
        rules.append({"rulePriority": i, "description": f"rule {i}", "selection": sel, "action": action})
    rules.append({"rulePriority": 50, "description": "everything else",
                  "selection": {"tagStatus": "any", "countType": "sinceImagePushed", "countUnit": "days",
                                "countNumber": 400}, "action": {"type": "expire"}})
    return {"rules": rules}


def synthetic_images(n: int, seed: int = 7) -> dict:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        r = rnd.random()
        if r < 0.25:
            tags = [f"v1.{i // 100}.{i % 100}"]
        elif r < 0.6:
            tags = [f"sha-{i:08x}"]
        elif r < 0.7:
            tags = [f"feature-{i}", f"sha-{i:08x}b"]
        else:
            tags = []
        pushed = NOW - rnd.randint(0, 365 * 86400)
        img = {"imageDigest": f"sha256:{i:064x}", "imagePushedAt": pushed,
               "imageSizeInBytes": rnd.randint(5_000_000, 500_000_000), "imageStatus": "ACTIVE"}
        if tags:
            img["imageTags"] = tags
        if rnd.random() < 0.5:
            img["lastRecordedPullTime"] = pushed + rnd.randint(0, 30 * 86400)
        out.append(img)
    return {"imageDetails": out}


def timed(cmd, runs):
    times = []
    out = None
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        out = p
    return statistics.median(times), min(times), out


def fmt_ms(s):
    return f"{s * 1000:.1f} ms"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fakecloud_preview(fc_bin: str, images: dict, policy: dict, tmp: Path):
    import boto3
    from botocore.config import Config

    port = free_port()
    log = open(tmp / "fakecloud.log", "w")
    env = dict(os.environ)
    proc = subprocess.Popen([fc_bin, "--addr", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/_fakecloud/health", timeout=0.5)
                break
            except Exception as e:  # any HTTP answer means it's up
                if hasattr(e, "code"):
                    break
                time.sleep(0.1)
        ecr = boto3.client("ecr", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
                           aws_secret_access_key="test", config=Config(retries={"max_attempts": 2}))
        ecr.create_repository(repositoryName="bench")
        t = time.perf_counter()
        for img in images["imageDetails"]:
            manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                                   "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1,
                                              "digest": img["imageDigest"]}, "layers": []})
            kw = {"repositoryName": "bench", "imageManifest": manifest}
            tags = img.get("imageTags") or []
            if tags:
                kw["imageTag"] = tags[0]
            ecr.put_image(**kw)
        upload = time.perf_counter() - t
        ecr.put_lifecycle_policy(repositoryName="bench", lifecyclePolicyText=json.dumps(policy))
        t = time.perf_counter()
        ecr.start_lifecycle_policy_preview(repositoryName="bench", lifecyclePolicyText=json.dumps(policy))
        results = 0
        while True:
            r = ecr.get_lifecycle_policy_preview(repositoryName="bench", maxResults=100)
            if r["status"] == "COMPLETE":
                results += len(r.get("previewResults", []))
                tok = r.get("nextToken")
                while tok:
                    r = ecr.get_lifecycle_policy_preview(repositoryName="bench", maxResults=100, nextToken=tok)
                    results += len(r.get("previewResults", []))
                    tok = r.get("nextToken")
                break
            if r["status"] in ("FAILED", "EXPIRED"):
                raise RuntimeError(f"preview {r['status']}")
            time.sleep(0.05)
        return upload, time.perf_counter() - t, results
    finally:
        proc.terminate()
        proc.wait(5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(ROOT / "target/release/terraform-provider-ecr"))
    ap.add_argument("--images", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--fakecloud", default=os.environ.get("TPE_FAKECLOUD"))
    ap.add_argument("--fakecloud-images", type=int, default=None)
    a = ap.parse_args()
    binary = a.binary
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        p50 = tmp / "policy50.json"
        p50.write_text(json.dumps(policy_50_rules(), indent=2))
        p1 = tmp / "policy1.json"
        p1.write_text(json.dumps({"rules": [policy_50_rules()["rules"][-1] | {"rulePriority": 1}]}))
        imgs = synthetic_images(a.images)
        ipath = tmp / "images.json"
        ipath.write_text(json.dumps(imgs))
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(NOW))

        base, _, _ = timed([binary, "lifecycle", "validate", str(p1)], a.runs)
        med, best, out = timed([binary, "lifecycle", "validate", str(p50)], a.runs)
        if out.returncode != 0:
            sys.exit(f"50-rule policy did not validate:\n{out.stdout}{out.stderr}")
        print(f"validate 1-rule policy (process floor):  median {fmt_ms(base)}")
        print(f"validate 50-rule policy ({p50.stat().st_size} chars): median {fmt_ms(med)}, best {fmt_ms(best)}")
        pmed, pbest, pout = timed([binary, "lifecycle", "preview", "--policy", str(SEED_PROD), "--images", str(ipath),
                                   "--now", now, "--format", "json"], max(3, a.runs // 2))
        if pout.returncode != 0:
            sys.exit(f"preview failed:\n{pout.stderr}")
        summary = json.loads(pout.stdout)["summary"]
        print(f"preview seed policy over {a.images} images ({ipath.stat().st_size // 1_000_000} MB JSON): "
              f"median {fmt_ms(pmed)}, best {fmt_ms(pbest)}; expiring {summary['expiring']}, "
              f"bytes reclaimed {summary['bytesReclaimed']}")
        if a.fakecloud:
            n = a.fakecloud_images or a.images
            sub = {"imageDetails": imgs["imageDetails"][:n]}
            upload, rt, results = fakecloud_preview(a.fakecloud, sub, json.loads(SEED_PROD.read_text()), tmp)
            print(f"fakecloud StartLifecyclePolicyPreview over {n} images: round trip {fmt_ms(rt)} "
                  f"({results} results paged at 100); PutImage upload {upload:.1f} s (not counted)")
        else:
            print("fakecloud: not given (--fakecloud or TPE_FAKECLOUD); emulator comparison skipped")


if __name__ == "__main__":
    main()
