#!/usr/bin/env python3
"""Pillow + torchvision-style baseline for `tiny bench load`: Resize(256) (bilinear, antialiased),
CenterCrop(224), ToTensor, Normalize(imagenet), one thread. Prints {"images": N, "seconds": S}."""
import json
import sys
import time

import numpy as np
from PIL import Image

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32).reshape(3, 1, 1)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32).reshape(3, 1, 1)


def load(path, size=256, crop=224):
    with Image.open(path) as im:
        im = im.convert("RGB")
        w, h = im.size
        if w <= h:
            nw, nh = size, int(size * h / w)
        else:
            nw, nh = int(size * w / h), size
        im = im.resize((nw, nh), Image.BILINEAR)
        left, top = int(round((nw - crop) / 2.0)), int(round((nh - crop) / 2.0))
        im = im.crop((left, top, left + crop, top + crop))
        x = np.asarray(im, dtype=np.float32).transpose(2, 0, 1) / 255.0
        return (x - MEAN) / STD


def main():
    repeats = int(sys.argv[1])
    files = sys.argv[2:]
    start = time.perf_counter()
    for _ in range(repeats):
        for f in files:
            load(f)
    seconds = time.perf_counter() - start
    print(json.dumps({"images": repeats * len(files), "seconds": seconds}))


if __name__ == "__main__":
    main()
