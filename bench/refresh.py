#!/usr/bin/env python3
"""Refresh figures: `terraform plan` over N repositories + N lifecycle policies against moto.

    bench/refresh.py [--binary target/release/terraform-provider-ecr] [--n 300] [--runs 3]

Applies the configuration once (not measured), then runs `terraform plan` (which refreshes every
resource) --runs times and prints, for the median run: wall time, the provider's peak RSS
(VmHWM, polled from /proc), and the ECR API calls by operation, counted by a proxy between the
provider and moto. Target from issue 8: calls <= 2.25 N (the incumbent makes 3 N).
Run with the venv's python: ~/.cache/terraform-provider-ecr/venv/bin/python.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "acceptance-tests"))
sys.path.insert(0, str(ROOT / "bench"))
from harness import MotoServer, Workspace, link_provider, provider_block  # noqa: E402
from counting_proxy import CountingProxy  # noqa: E402

POLICY = json.dumps({"rules": [{"rulePriority": 1, "description": "expire untagged after 7 days",
                                "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                              "countUnit": "days", "countNumber": 7},
                                "action": {"type": "expire"}}]})


def config(endpoint: str, n: int) -> str:
    parts = [provider_block(endpoint)]
    parts.append(f'''
resource "ecr_repository" "r" {{
  count = {n}
  name  = "bench/repo-${{count.index}}"
}}

resource "ecr_lifecycle_policy" "p" {{
  count      = {n}
  repository = ecr_repository.r[count.index].name
  policy     = {json.dumps(POLICY)}
}}
''')
    return "\n".join(parts)


class PeakRss:
    """Polls /proc for processes whose executable name starts with the provider's; keeps max VmHWM."""

    def __init__(self, name: str):
        self.name = name[:15]
        self.peak_kib = 0
        self._stop = threading.Event()

    def _scan(self):
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/status") as f:
                    text = f.read()
            except OSError:
                continue
            if not text.startswith(f"Name:\t{self.name}"):
                continue
            for line in text.splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_kib = max(self.peak_kib, int(line.split()[1]))

    def __enter__(self):
        def loop():
            while not self._stop.is_set():
                self._scan()
                time.sleep(0.02)
        self.t = threading.Thread(target=loop, daemon=True)
        self.t.start()
        return self

    def __exit__(self, *a):
        self._stop.set()
        self.t.join()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(ROOT / "target/release/terraform-provider-ecr"))
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        pdir = link_provider(a.binary, tmp / "provider")
        with MotoServer(tmp / "moto") as moto:
            proxy = CountingProxy(moto.url).start()
            ws = Workspace(tmp / "ws", pdir, env={"TF_LOG": "", "TF_LOG_PATH": ""}, timeout=1800)
            ws.write(config(proxy.url, a.n))
            t = time.perf_counter()
            ws.run("apply", "-auto-approve", "-input=false", "-parallelism=10")
            print(f"setup: apply of {a.n} repositories + {a.n} lifecycle policies took {time.perf_counter() - t:.1f} s "
                  f"({sum(proxy.counts.values())} calls)")
            runs = []
            for _ in range(a.runs):
                proxy.reset()
                with PeakRss("terraform-provider-ecr") as rss:
                    t = time.perf_counter()
                    r = ws.run("plan", "-input=false", "-detailed-exitcode", check=False)
                    wall = time.perf_counter() - t
                if r.returncode != 0:
                    sys.exit(f"plan was not empty (exit {r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
                runs.append((wall, rss.peak_kib, dict(proxy.counts)))
            runs.sort(key=lambda x: x[0])
            wall, peak, counts = runs[len(runs) // 2]
            total = sum(counts.values())
            print(f"terraform plan (refresh) of {a.n} repositories + {a.n} lifecycle policies, median of {a.runs}:")
            print(f"  wall time      {wall:.2f} s   (all runs: {', '.join(f'{w:.2f}' for w, _, _ in runs)})")
            print(f"  provider peak RSS {peak / 1024:.1f} MiB")
            print(f"  ECR calls      {total} = {total / a.n:.2f} N  (target <= 2.25 N; incumbent 3 N)")
            for op, c in sorted(counts.items(), key=lambda x: -x[1]):
                print(f"    {op:32} {c}")
            ws.run("destroy", "-auto-approve", "-input=false")
            proxy.stop()


if __name__ == "__main__":
    main()
