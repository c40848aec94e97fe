"""A reverse proxy that counts AWS JSON-protocol calls by operation on their way to an emulator.

    proxy = CountingProxy("http://127.0.0.1:5000").start()   # proxy.url to give the provider
    proxy.counts  -> Counter({"DescribeRepositories": 3, ...}); proxy.reset()

The operation is the part of `X-Amz-Target` after the dot (e.g.
`AmazonEC2ContainerRegistry_V20150921.DescribeRepositories`). Used by the benchmarks to count
the ECR calls the provider makes; it adds no faults (microburst does that).
"""
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "acceptance-tests"))
from harness import ForwardingProxy  # noqa: E402


class CountingProxy(ForwardingProxy):
    def __init__(self, upstream: str):
        super().__init__(upstream)
        self.counts = collections.Counter()

    def seen(self, op, headers):
        with self.lock:
            self.counts[op] += 1

    def reset(self) -> None:
        with self.lock:
            self.counts.clear()
