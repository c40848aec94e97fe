#!/usr/bin/env python3
"""Startup figures for provider binaries, measured side by side in one run.

For each binary: exec it with the go-plugin environment Terraform uses (magic cookie,
PLUGIN_PROTOCOL_VERSIONS=5,6, a fresh ECDSA P-521 client certificate in PLUGIN_CLIENT_CERT),
time until the handshake line arrives on stdout, then let it idle and read its RSS from
/proc. Runs are interleaved across binaries so machine noise hits them alike.

    bench/handshake.py [--runs 20] [--idle 1.0] BINARY [BINARY...]

Prints one line per binary: median and p90 handshake time, median idle RSS.
"""
import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID

COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"


def client_cert_pem() -> str:
    """A certificate shaped like go-plugin's AutoMTLS client certificate."""
    key = ec.generate_private_key(ec.SECP521R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HashiCorp"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(seconds=30))
            .not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH,
                                                  ExtendedKeyUsageOID.SERVER_AUTH]), False)
            .sign(key, hashes.SHA512()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def one_run(binary: str, idle: float):
    env = dict(os.environ)
    env.update({
        "TF_PLUGIN_MAGIC_COOKIE": COOKIE,
        "PLUGIN_PROTOCOL_VERSIONS": "5,6",
        "PLUGIN_MIN_PORT": "10000",
        "PLUGIN_MAX_PORT": "25000",
        "PLUGIN_CLIENT_CERT": client_cert_pem(),
    })
    t0 = time.perf_counter()
    p = subprocess.Popen([binary], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = p.stdout.readline()
    dt = time.perf_counter() - t0
    try:
        if not line or line.count(b"|") < 5:
            raise RuntimeError(f"{binary}: no handshake line (got {line!r})")
        time.sleep(idle)
        rss = rss_kib(p.pid)
    finally:
        p.kill()
        p.wait()
    return dt, rss


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--idle", type=float, default=1.0, help="seconds to idle before reading RSS")
    ap.add_argument("binaries", nargs="+")
    a = ap.parse_args()
    results = {b: ([], []) for b in a.binaries}
    for _ in range(a.runs):
        for b in a.binaries:
            dt, rss = one_run(b, a.idle)
            results[b][0].append(dt)
            results[b][1].append(rss)
    print(f"{'binary':<60} {'handshake median':>17} {'p90':>9} {'idle RSS median':>16}   (runs={a.runs})")
    medians = {}
    for b, (times, rsss) in results.items():
        times.sort()
        p90 = times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))]
        med_t = statistics.median(times)
        med_r = statistics.median(rsss)
        medians[b] = (med_t, med_r)
        print(f"{b:<60} {med_t*1000:>14.1f} ms {p90*1000:>6.1f} ms {med_r/1024:>12.1f} MiB")
    if len(a.binaries) > 1:
        base = a.binaries[0]
        for b in a.binaries[1:]:
            print(f"ratio {os.path.basename(base)}/{os.path.basename(b)}: handshake "
                  f"{medians[base][0]/medians[b][0]:.2f}x, idle RSS {medians[base][1]/medians[b][1]:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
