"""A reverse proxy that counts AWS JSON-protocol calls by operation on their way to an emulator.

    proxy = CountingProxy("http://127.0.0.1:5000").start()   # proxy.url to give the provider
    proxy.counts  -> Counter({"DescribeRepositories": 3, ...}); proxy.reset()

The operation is the part of `X-Amz-Target` after the dot (e.g.
`AmazonEC2ContainerRegistry_V20150921.DescribeRepositories`). Used by the benchmarks to count
the ECR calls the provider makes; it adds no faults (microburst does that).
"""
import collections
import http.client
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


class CountingProxy:
    def __init__(self, upstream: str):
        u = urllib.parse.urlparse(upstream)
        self.upstream = (u.hostname, u.port or 80)
        self.counts = collections.Counter()
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                target = self.headers.get("X-Amz-Target", "")
                op = target.rsplit(".", 1)[-1] if target else f"{self.command} {self.path.split('?')[0]}"
                with proxy.lock:
                    proxy.counts[op] += 1
                conn = http.client.HTTPConnection(*proxy.upstream, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in _HOP and k.lower() != "content-length":
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "CountingProxy":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def reset(self) -> None:
        with self.lock:
            self.counts.clear()

    def stop(self) -> None:
        self.server.shutdown()
