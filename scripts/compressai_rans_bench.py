#!/usr/bin/python3
"""Times CompressAI's rANS coder on the symbols and tables of `tiny bench rans`.

Usage: compressai_rans_bench.py DIR [--repeats R]
       compressai_rans_bench.py --check

DIR holds what tiny wrote: tables.json ({"cdfs": [[...], ...], "offsets": [...]}: the quantized CDFs,
each ending with its tail bin, as CompressAI's entropy models hold them), symbols.i32 and indexes.i32
(little-endian int32, one value and one table index per symbol). The script codes them with
compressai.ans.RansEncoder.encode_with_indexes and decodes them with RansDecoder.decode_with_indexes,
the calls CompressAI's models make, each timed after one warm-up run, fastest of R runs; converting the
arrays to Python lists is not timed. The decoded values must equal the symbols.

Prints one JSON object: compressai_version, symbols, encode_s, decode_s (wall seconds), encode_cpu_s,
decode_cpu_s (CPU seconds of the process), bytes (the coded string). Exits 77 with a one-line message
on stderr where CompressAI cannot be imported; --check does only that test.
"""
import argparse
import array
import json
import os
import sys

from compressai_timing import fastest, require_compressai


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--check", action="store_true", help="only test that CompressAI imports")
    p.add_argument("dir", nargs="?")
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    if not args.check and not args.dir:
        p.error("DIR is required")
    return args


def read_int32(path):
    values = array.array("i")
    with open(path, "rb") as f:
        values.frombytes(f.read())
    if sys.byteorder != "little":
        values.byteswap()
    return values.tolist()


def main():
    args = parse_args()
    require_compressai()
    if args.check:
        return
    import compressai
    from compressai.ans import RansDecoder, RansEncoder

    with open(os.path.join(args.dir, "tables.json")) as f:
        tables = json.load(f)
    cdfs, offsets = tables["cdfs"], tables["offsets"]
    sizes = [len(c) for c in cdfs]
    symbols = read_int32(os.path.join(args.dir, "symbols.i32"))
    indexes = read_int32(os.path.join(args.dir, "indexes.i32"))
    if len(symbols) != len(indexes):
        raise SystemExit(f"{len(symbols)} symbols but {len(indexes)} indexes")
    repeats = max(1, args.repeats)
    encoder, decoder = RansEncoder(), RansDecoder()
    coded, encode_s, encode_cpu_s = fastest(
        repeats, lambda: encoder.encode_with_indexes(symbols, indexes, cdfs, sizes, offsets))
    decoded, decode_s, decode_cpu_s = fastest(
        repeats, lambda: decoder.decode_with_indexes(coded, indexes, cdfs, sizes, offsets))
    if decoded != symbols:
        raise SystemExit("CompressAI's decoder did not return the symbols it encoded")
    print(json.dumps({
        "compressai_version": compressai.__version__,
        "symbols": len(symbols),
        "encode_s": encode_s,
        "encode_cpu_s": encode_cpu_s,
        "decode_s": decode_s,
        "decode_cpu_s": decode_cpu_s,
        "bytes": len(coded),
    }))


if __name__ == "__main__":
    main()
