#!/usr/bin/env python3
"""Prints, as JSON, how much of a screenshot is drawn: the share of pixels
that differ from the page's background (the top-left pixel), overall and in
each of `--bands` horizontal bands, so a test can tell a rendered page from a
blank one and find the bands where charts stand.

Usage: screenshot_ink.py SHOT.png [--bands N]
"""
import json
import sys

from PIL import Image


def main(path, bands):
    image = Image.open(path).convert("RGB")
    width, height = image.size
    background = image.getpixel((0, 0))
    pixels = image.load()
    drawn = [0] * bands
    for y in range(height):
        band = min(bands - 1, y * bands // height)
        for x in range(0, width, 2):
            if pixels[x, y] != background:
                drawn[band] += 1
    per_band = (width // 2 + 1) * (height / bands)
    print(json.dumps({
        "width": width, "height": height,
        "drawn": sum(drawn) / ((width // 2 + 1) * height),
        "bands": [count / per_band for count in drawn],
    }))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    bands = 1
    if "--bands" in arguments:
        index = arguments.index("--bands")
        bands = int(arguments[index + 1])
        del arguments[index:index + 2]
    main(arguments[0], bands)
