"""The speed benchmark's workloads (npm run bench -- speed): ordinary Python, stdlib only, no I/O.

Run by each interpreter under comparison: prints one JSON object, each workload's best time in
seconds over REPEATS runs of a fixed amount of work (the same work on every interpreter, so
the ratio of two times is the ratio of their speeds). Start-up and imports are not timed. The
time is the process's CPU time (time.process_time), not the wall clock: on a machine shared
with other jobs the wall time measures the scheduler as much as the interpreter (wall-clock
ratios swung from 0.42x to 2.09x between rounds here at load average 10).
"""

import hashlib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction

REPEATS = 3


def numbers():
    # Integer and float arithmetic in loops: the interpreter's dispatch and number objects.
    total = 0
    for i in range(1, 500_000):
        total += (i * i) % 7 + i // 3
    x = 0.0
    for i in range(1, 200_000):
        x += (i ** 0.5) / (1.0 + i % 13)
    f = sum(Fraction(1, n) for n in range(1, 400))
    return total, round(x, 3), f.numerator % 1000


@dataclass
class Point:
    x: float
    y: float

    def moved(self, dx, dy):
        return Point(self.x + dx, self.y + dy)


class Node:
    __slots__ = ("value", "children")

    def __init__(self, value):
        self.value = value
        self.children = []

    def total(self):
        return self.value + sum(c.total() for c in self.children)


def objects():
    # Classes, attribute access, method calls, recursion, dict-backed and slotted instances.
    p = Point(0.0, 0.0)
    for i in range(120_000):
        p = p.moved(1.0, -0.5)
    nodes = [Node(i) for i in range(30_000)]
    for i, n in enumerate(nodes[1:], 1):
        nodes[(i - 1) // 4].children.append(n)
    return p.x, nodes[0].total()


DOCUMENT = {
    "runtimes": [
        {"python": f"3.{i % 14}.{i}", "openssl": "3.5.7", "floor": "1.2", "bytes": i * 1024,
         "identity": {"options": ["--with-ensurepip=install", "OPT=-O3"], "ok": True, "ratio": i / 7}}
        for i in range(300)
    ]
}


def json_workload():
    # Encoding and decoding nested documents (the C accelerator and the Python objects it builds).
    size = 0
    for _ in range(30):
        text = json.dumps(DOCUMENT)
        size += len(json.loads(text)["runtimes"])
        size += len(json.dumps(DOCUMENT, indent=2, sort_keys=True))
    return size


LOG = "\n".join(
    f"2026-12-01T15:{i % 60:02d}:{i % 59:02d}Z handshake tls1.{2 + i % 2} cipher=TLS_AES_{128 * (1 + i % 2)}_GCM_SHA256 "
    f"peer=127.0.0.{i % 250} port={40000 + i} bytes={i * 37} status={'ok' if i % 9 else 'refused'}"
    for i in range(6000)
)
LINE = re.compile(r"^(\S+) handshake (tls1\.\d) cipher=(\S+) peer=([\d.]+) port=(\d+) bytes=(\d+) status=(\w+)$", re.M)


def regex():
    # The regex engine: compiled patterns, findall, sub, split.
    found = 0
    for _ in range(6):
        found += len(LINE.findall(LOG))
        found += len(re.sub(r"peer=[\d.]+", "peer=x", LOG))
        found += len(re.split(r"\s+", LOG))
    return found


def strings():
    # str methods, formatting, joins, dict and Counter over words.
    words = ("floor probe control verdict runtime policy " * 2000).split()
    out = 0
    for _ in range(20):
        text = " ".join(w.upper() if i % 3 else w.capitalize() for i, w in enumerate(words))
        out += len(text.lower().replace("probe", "PROBE"))
        out += sum(len(f"{w}:{i:05d}") for i, w in enumerate(words[:5000]))
        out += len(Counter(text.split()))
    return out


def generators():
    # Generators, comprehensions, closures, sorting with keys, defaultdict.
    def chunks(n):
        for i in range(n):
            yield i, i % 17, str(i)

    groups = defaultdict(list)
    for i, k, s in chunks(60_000):
        groups[k].append(s)
    ordered = sorted((v for vs in groups.values() for v in vs), key=lambda s: (len(s), s[::-1]))
    evens = [x * 2 for x in range(60_000) if x % 3]
    return len(ordered), sum(evens)


def hashing():
    # hashlib through OpenSSL (sha256, sha512, blake2 from CPython's own code) on many small inputs.
    h = 0
    for i in range(60_000):
        data = b"tls-floor %d" % i
        h ^= hashlib.sha256(data).digest()[0]
        h ^= hashlib.blake2b(data, digest_size=16).digest()[0]
    big = bytes(range(256)) * 4096
    for _ in range(20):
        h ^= hashlib.sha512(big).digest()[0]
    return h


WORKLOADS = {
    "numbers": numbers,
    "objects": objects,
    "json": json_workload,
    "regex": regex,
    "strings": strings,
    "generators": generators,
    "hashing": hashing,
}


def main():
    results = {}
    for name, work in WORKLOADS.items():
        best = float("inf")
        for _ in range(REPEATS):
            start = time.process_time()
            work()
            best = min(best, time.process_time() - start)
        results[name] = best
    json.dump(results, sys.stdout)
    print()


if __name__ == "__main__":
    main()
