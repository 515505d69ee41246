#!/usr/bin/python3
"""Times CompressAI's own compress and decompress on weights exported by tiny (`tiny bench codec`).

Usage: compressai_codec_bench.py CHECKPOINT --arch ARCH --quality Q --image IMAGE [--threads N] [--repeats R]
       compressai_codec_bench.py --check

CHECKPOINT is a CompressAI state_dict as `tiny convert MODEL --to compressai` writes it. The script builds
CompressAI's zoo model (compressai.zoo.image_models[ARCH](quality=Q), untrained), loads the state_dict, rebuilds the CDF tables with update(force=True), and codes IMAGE as tiny does: RGB in [0, 1], padded on the
right and bottom to a multiple of 64 by repeating the last column and row. compress and decompress are
each timed after one warm-up run, fastest of R runs, on N torch threads under torch.inference_mode().
The decoded image is cropped, rounded to 8 bits and compared with the input.

Prints one JSON object: compressai_version, arch, quality, threads, width, height, encode_s, decode_s
(wall seconds), encode_cpu_s, decode_cpu_s (CPU seconds of the process, all threads), bytes (the entropy
coded strings, no container), bpp, psnr (dB, 8-bit RGB).
Exits 77 with a one-line message on stderr where torch or CompressAI cannot be imported; --check does
only that test.
"""
import argparse
import json
import math
import sys

from compressai_timing import fastest

try:
    import torch
    import torch.nn.functional as F
    import compressai
    from compressai.zoo import image_models
    from PIL import Image
except Exception as e:  # noqa: BLE001 - any import failure means "cannot run CompressAI here"
    print(f"{sys.executable} cannot import torch, CompressAI and PIL ({type(e).__name__}: {e})", file=sys.stderr)
    sys.exit(77)

PAD_MULTIPLE = 64


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--check", action="store_true", help="only test that torch and CompressAI import")
    p.add_argument("checkpoint", nargs="?")
    p.add_argument("--arch")
    p.add_argument("--quality", type=int)
    p.add_argument("--image")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    if not args.check and not (args.checkpoint and args.arch and args.quality and args.image):
        p.error("CHECKPOINT, --arch, --quality and --image are required")
    return args


def load_model(path, arch, quality):
    if arch not in image_models:
        raise SystemExit(f"CompressAI {compressai.__version__} has no model '{arch}'")
    model = image_models[arch](quality=quality)
    state_dict = torch.load(path, map_location="cpu")
    model.load_state_dict(state_dict)
    model.update(force=True)
    return model.eval()


def read_image(path):
    with Image.open(path) as img:
        rgb = img.convert("RGB")
    width, height = rgb.size
    return torch.frombuffer(bytearray(rgb.tobytes()), dtype=torch.uint8).reshape(height, width, 3).permute(2, 0, 1)[None]


def padded(x):
    h, w = x.shape[-2:]
    ph, pw = -h % PAD_MULTIPLE, -w % PAD_MULTIPLE
    return F.pad(x, (0, pw, 0, ph), mode="replicate") if ph or pw else x


def psnr(a, b):
    mse = (a.double() - b.double()).pow(2).mean().item()
    return 10 * math.log10(255.0 ** 2 / mse) if mse > 0 else 100.0


def main():
    args = parse_args()
    if args.check:
        return
    torch.set_num_threads(args.threads)
    model = load_model(args.checkpoint, args.arch, args.quality)
    pixels = read_image(args.image)
    height, width = pixels.shape[-2:]
    x = padded(pixels.float() / 255.0)
    repeats = max(1, args.repeats)
    with torch.inference_mode():
        encoded, encode_s, encode_cpu_s = fastest(repeats, lambda: model.compress(x))
        decoded, decode_s, decode_cpu_s = fastest(
            repeats, lambda: model.decompress(encoded["strings"], encoded["shape"]))
    x_hat = decoded["x_hat"]
    if tuple(x_hat.shape) != tuple(x.shape):
        raise SystemExit(f"decompress returned a {tuple(x_hat.shape)} tensor for a {tuple(x.shape)} input")
    out = x_hat[..., :height, :width].clamp(0, 1).mul(255).round().to(torch.uint8)
    size = sum(len(s) for strings in encoded["strings"] for s in strings)
    print(json.dumps({
        "compressai_version": compressai.__version__,
        "arch": args.arch,
        "quality": args.quality,
        "threads": args.threads,
        "width": width,
        "height": height,
        "encode_s": encode_s,
        "encode_cpu_s": encode_cpu_s,
        "decode_s": decode_s,
        "decode_cpu_s": decode_cpu_s,
        "bytes": size,
        "bpp": 8.0 * size / (width * height),
        "psnr": psnr(pixels, out),
    }))


if __name__ == "__main__":
    main()
