"""TMX reading benchmark: units/s (wall and CPU) and peak memory of the TMX reader on TMX files of N units made from the
benchmark corpus (bench/corpora.py), each read in a fresh process: a flat peak across sizes is the point.

    .venv/bin/python bench/tmx_bench.py --sizes 100000 1000000 [--gzip]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpora import OUT, make_tmx  # noqa: E402


def _read(path: str, queue):
    """Open (the checking pass) and read (the parts) one TMX unit as a build does; report figures."""
    from indexer.readers import detect, open_unit

    start = time.perf_counter()
    stream = open_unit(detect(Path(path), Path(path).name))
    checked = time.perf_counter()
    units = documents = 0
    for part in stream:
        units += len(part.documents[0].paragraphs)
        documents += sum(1 for _ in part.documents) if part.offset == 0 else 0
    done = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    queue.put(
        {
            "units": units,
            "documents": documents,
            "check_s": checked - start,
            "read_s": done - checked,
            "cpu_s": usage.ru_utime + usage.ru_stime,  # what the reading cost, whatever else the machine runs
            "peak": usage.ru_maxrss * 1024,
        }
    )


def measure(path: Path) -> dict:
    """The figures of reading one TMX file, in a process of its own (its peak is the reader's alone)."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_read, args=(str(path), queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main(argv=None):
    """Make the TMX files (once) and print units/s and peak memory for each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--gzip", action="store_true", help="compress the TMX files (.tmx.gz)")
    args = parser.parse_args(argv)
    print("units      file MB  check s  read s  units/s  CPU s  units/CPU s  documents  peak RSS MB")
    for size in args.sizes:
        path = OUT / f"bench-{size}.tmx{'.gz' if args.gzip else ''}"
        if not path.exists():
            make_tmx(path, size, compress=args.gzip)
        r = measure(path)
        total = r["check_s"] + r["read_s"]
        print(
            f"{r['units']:<10,} {path.stat().st_size / 2**20:7.0f} {r['check_s']:8.1f} {r['read_s']:7.1f} "
            f"{r['units'] / total:8,.0f} {r['cpu_s']:6.1f} {r['units'] / r['cpu_s']:12,.0f} {r['documents']:10,} "
            f"{r['peak'] / 2**20:12.0f}"
        )


if __name__ == "__main__":
    main()
