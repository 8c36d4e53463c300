"""Benchmark (SYNTHETIC data): ``evalkit dependence`` on a 5-million-row BACI-format file.

Writes a synthetic BACI file (t,i,j,k,v,q) to a temporary folder — invented
numbers, not trade data — then runs the CLI in a child process and prints the
wall time and peak resident memory (ru_maxrss of the child). Usage::

    PYTHONPATH=src python tools/bench_baci_stream.py [ROWS]
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write(path: Path, rows: int) -> None:
    rng = random.Random(20261128)
    codes = [f"{c:06d}" for c in rng.sample(range(10000, 999999), 4000)] + ["280530", "010121"]
    countries = list(range(4, 900, 4))
    with open(path, "w", encoding="utf-8") as out:
        out.write("t,i,j,k,v,q\n")
        pairs = [(i, j) for i in countries for j in countries if i != j]
        rng.shuffle(pairs)
        pairs = [(i, 392) for i in countries[:60] if i != 392] + pairs  # Japan as importer in some pairs
        per_pair = 7 * len(codes)
        for n in range(rows):  # (t, i, j, k) unique by construction
            i, j = pairs[n // per_pair]
            k = codes[(n // 7) % len(codes)]
            out.write(f"{2017 + n % 7},{i},{j},{k},{rng.random() * 1000 + 0.001:.3f},{rng.random() * 100:.3f}\n")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "BACI_SYNTHETIC.csv"
        write(path, rows)
        size = path.stat().st_size
        start = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "evalkit",
                "dependence",
                "--source",
                "baci",
                "--path",
                str(path),
                "--hs",
                "280530",
                "--importer",
                "392",
            ],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"rows={rows} file_mb={size / 1e6:.0f} status={proc.returncode} wall_s={wall:.1f} peak_rss_mb={peak_mb:.0f}"
        )
        if proc.returncode:
            print(proc.stderr[-2000:])


if __name__ == "__main__":
    main()
