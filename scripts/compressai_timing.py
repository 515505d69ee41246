"""What tiny's CompressAI side-by-side scripts share: the import test and best-of-N timing."""
import math
import sys
import time


def require_compressai():
    """Imports CompressAI, or exits 77 with a one-line reason on stderr (the benches then skip it)."""
    try:
        import compressai  # noqa: F401
    except Exception as e:  # noqa: BLE001 - any import failure means "cannot run CompressAI here"
        print(f"{sys.executable} cannot import CompressAI ({type(e).__name__}: {e})", file=sys.stderr)
        sys.exit(77)


def fastest(repeats, run):
    """The result of the last run, and the smallest wall and CPU seconds of `repeats` runs after a warm-up."""
    out = run()
    wall = cpu = math.inf
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        out = run()
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return out, wall, cpu
