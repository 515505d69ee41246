#!/usr/bin/python3
"""Checks tiny's CompressAI checkpoint import/export against Python torch (Debian python3-torch).

Usage: check_compressai_format.py TINY_EXE

Builds CompressAI-shaped state_dicts (CompressAI's names and shapes for bmshj2018-factorized,
bmshj2018-hyperprior and mbt2018-mean, random values), saves them with torch.save as OrderedDicts (bare, with DDP's
"module." prefix, nested under "state_dict" in a training checkpoint, pickle protocol 4), imports
them with `tiny convert`, exports them back to a CompressAI checkpoint and to safetensors, and
checks names, shapes and values both ways. Also checks that a pickle which would run code and a
legacy (non-zip) checkpoint are refused. Exits 77 (skipped) where Python torch is not installed.
"""
import collections
import json
import math
import os
import subprocess
import sys
import tempfile

try:
    import torch
except Exception as e:  # noqa: BLE001 - any import failure means "no torch here"
    print(f"SKIP: Python torch is not available ({e}); install python3-torch to run this check")
    sys.exit(77)

TINY = sys.argv[1]
FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def conv(sd, name, cin, cout, k, transposed=False):
    shape = (cin, cout, k, k) if transposed else (cout, cin, k, k)
    sd[name + ".weight"] = torch.randn(shape) * 0.05
    sd[name + ".bias"] = torch.randn(cout) * 0.05


def gdn(sd, name, c):
    ped = (2.0 ** -18) ** 2
    sd[name + ".beta"] = torch.rand(c) + 1.0
    sd[name + ".gamma"] = torch.rand(c, c) * 0.1
    sd[name + ".beta_reparam.pedestal"] = torch.tensor([ped])
    sd[name + ".beta_reparam.lower_bound.bound"] = torch.tensor([math.sqrt(1e-6 + ped)])
    sd[name + ".gamma_reparam.pedestal"] = torch.tensor([ped])
    sd[name + ".gamma_reparam.lower_bound.bound"] = torch.tensor([math.sqrt(ped)])


def tables(sd, name):
    for t in ("_offset", "_quantized_cdf", "_cdf_length"):
        sd[f"{name}.{t}"] = torch.zeros(0, dtype=torch.int32)


def bottleneck(sd, c):
    filters = (1, 3, 3, 3, 3, 1)
    tables(sd, "entropy_bottleneck")
    sd["entropy_bottleneck.likelihood_lower_bound.bound"] = torch.tensor([1e-9])
    for i in range(5):
        sd[f"entropy_bottleneck._matrix{i}"] = torch.randn(c, filters[i + 1], filters[i]) * 0.3
        sd[f"entropy_bottleneck._bias{i}"] = torch.rand(c, filters[i + 1], 1) - 0.5
        if i < 4:
            sd[f"entropy_bottleneck._factor{i}"] = torch.randn(c, filters[i + 1], 1) * 0.1
    sd["entropy_bottleneck.quantiles"] = torch.tensor([-10.0, 0.0, 10.0]).repeat(c, 1, 1) + torch.rand(c, 1, 3) * 0.1
    t = math.log(2 / 1e-9 - 1)
    sd["entropy_bottleneck.target"] = torch.tensor([-t, 0.0, t])


def compressai_state_dict(arch, n, m):
    """CompressAI's state_dict names and shapes of bmshj2018-factorized, bmshj2018-hyperprior and mbt2018-mean."""
    sd = collections.OrderedDict()
    conv(sd, "g_a.0", 3, n, 5); gdn(sd, "g_a.1", n); conv(sd, "g_a.2", n, n, 5); gdn(sd, "g_a.3", n)
    conv(sd, "g_a.4", n, n, 5); gdn(sd, "g_a.5", n); conv(sd, "g_a.6", n, m, 5)
    conv(sd, "g_s.0", m, n, 5, True); gdn(sd, "g_s.1", n); conv(sd, "g_s.2", n, n, 5, True); gdn(sd, "g_s.3", n)
    conv(sd, "g_s.4", n, n, 5, True); gdn(sd, "g_s.5", n); conv(sd, "g_s.6", n, 3, 5, True)
    if arch == "bmshj2018-factorized":
        bottleneck(sd, m)
        return sd
    bottleneck(sd, n)
    conv(sd, "h_a.0", m, n, 3); conv(sd, "h_a.2", n, n, 5); conv(sd, "h_a.4", n, n, 5)
    if arch == "mbt2018-mean":  # same names as the hyperprior; h_s widens to 2M (mean and scale)
        conv(sd, "h_s.0", n, m, 5, True); conv(sd, "h_s.2", m, m * 3 // 2, 5, True); conv(sd, "h_s.4", m * 3 // 2, m * 2, 3)
    else:
        conv(sd, "h_s.0", n, n, 5, True); conv(sd, "h_s.2", n, n, 5, True); conv(sd, "h_s.4", n, m, 3)
    tables(sd, "gaussian_conditional")
    sd["gaussian_conditional.scale_bound"] = torch.tensor([0.11])
    sd["gaussian_conditional.lower_bound_scale.bound"] = torch.tensor([0.11])
    sd["gaussian_conditional.likelihood_lower_bound.bound"] = torch.tensor([1e-9])
    sd["gaussian_conditional.scale_table"] = torch.exp(torch.linspace(math.log(0.11), math.log(256), 64))
    return sd


def tiny(*args, expect_ok=True):
    r = subprocess.run([TINY, *args], capture_output=True, text=True)
    if expect_ok and r.returncode != 0:
        FAILURES.append(f"tiny {' '.join(args)}: {r.stderr.strip()}")
        print("FAIL: tiny", *args, "->", r.stderr.strip())
    return r


def is_table(name):
    return name.rsplit(".", 1)[-1] in ("_offset", "_quantized_cdf", "_cdf_length")


def compare(label, original, exported):
    """Every non-table tensor of `original` is in `exported` with the same shape and values; tables are rebuilt."""
    names = set(original)
    check(set(exported) == names, f"{label}: names differ: {sorted(set(exported) ^ names)[:5]}")
    for k, v in original.items():
        if k not in exported:
            continue
        e = exported[k]
        if is_table(k):
            check(e.dtype == torch.int32 and e.numel() > 0, f"{label}: table {k} was not rebuilt")
            continue
        check(tuple(e.shape) == tuple(v.shape), f"{label}: {k} shape {tuple(e.shape)} != {tuple(v.shape)}")
        check(e.dtype == torch.float32, f"{label}: {k} dtype {e.dtype}")
        check(torch.equal(e, v.float()), f"{label}: {k} values differ")


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + n])
    dtypes = {"F32": torch.float32, "I32": torch.int32, "F16": torch.float16}
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        b, e = v["data_offsets"]
        buf = bytearray(data[8 + n + b:8 + n + e])
        out[k] = torch.frombuffer(buf, dtype=dtypes[v["dtype"]]).reshape(v["shape"]) if buf else \
            torch.zeros(v["shape"], dtype=dtypes[v["dtype"]])
    return out, header.get("__metadata__", {})


class RunsCode:
    def __reduce__(self):
        return (os.system, ("touch " + MARKER,))


def main():
    global MARKER
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as d:
        MARKER = os.path.join(d, "pwned")
        for arch, n, m, q in (("bmshj2018-factorized", 16, 24, 2), ("bmshj2018-hyperprior", 16, 24, 3),
                              ("mbt2018-mean", 16, 24, 4)):
            sd = compressai_state_dict(arch, n, m)
            variants = {
                "bare": (sd, {}),
                "ddp": (collections.OrderedDict(("module." + k, v) for k, v in sd.items()), {}),
                "nested": ({"epoch": 12, "state_dict": sd, "loss": torch.tensor(0.5),
                            "optimizer": {"state": {}, "param_groups": [{"lr": 1e-4, "betas": (0.9, 0.999)}]}}, {}),
                "protocol4": (sd, {"pickle_protocol": 4}),
            }
            for label, (obj, kw) in variants.items():
                label = f"{arch}/{label}"
                src = os.path.join(d, f"{arch}-{label.split('/')[1]}.pth")
                torch.save(obj, src, **kw)
                tm, back, st = src + ".tmodel", src + ".back.pth", src + ".safetensors"
                r = tiny("convert", src, "-o", tm, "--quality", str(q), "--json")
                if r.returncode != 0:
                    continue
                info = json.loads(r.stdout)["models"][0]
                check(info["arch"] == arch and info["N"] == n and info["M"] == m, f"{label}: inferred {info}")
                tiny("convert", tm, "--to", "compressai", "-o", back)
                exported = torch.load(back)
                check(type(exported) is dict, f"{label}: export is a {type(exported)}")
                compare(label, sd, exported)
                tiny("convert", tm, "--to", "safetensors", "-o", st)
                st_tensors, meta = read_safetensors(st)
                compare(label + " (safetensors)", sd, st_tensors)
                check(meta.get("tiny.arch") == arch and meta.get("tiny.quality") == str(q), f"{label}: metadata {meta}")
            print(f"ok: {arch} (bare, module. prefix, nested state_dict, protocol 4; compressai and safetensors export)")

        evil = os.path.join(d, "evil.pth")
        torch.save({"state_dict": {"x": RunsCode()}}, evil)
        r = tiny("convert", evil, "-o", os.path.join(d, "evil.tmodel"), expect_ok=False)
        check(r.returncode == 1 and "which tiny does not allow" in r.stderr, f"code-running pickle: {r.stderr.strip()}")
        check(not os.path.exists(MARKER), "a pickle ran code")
        legacy = os.path.join(d, "legacy.pth")
        torch.save(compressai_state_dict("bmshj2018-factorized", 8, 8), legacy, _use_new_zipfile_serialization=False)
        r = tiny("convert", legacy, "--from", "compressai", "-o", os.path.join(d, "legacy.tmodel"), expect_ok=False)
        check(r.returncode == 1 and "legacy" in r.stderr, f"legacy checkpoint: {r.stderr.strip()}")
        print("ok: code-running pickle and legacy checkpoint refused")
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        sys.exit(1)
    print("all checks passed")


if __name__ == "__main__":
    main()
