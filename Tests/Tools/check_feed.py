#!/usr/bin/env python3
"""Reads an Atom feed as a feed reader would (feedparser) and checks what RFC
4287 requires of it (xml.etree): prints JSON with `problems` (empty when the
feed is well-formed and complete), the feed's id and its entries (id, title,
updated, category) in document order.

Usage: check_feed.py FEED.atom
"""
import json
import sys
import xml.etree.ElementTree as ElementTree

import feedparser

ATOM = "{http://www.w3.org/2005/Atom}"


def main(path):
    problems = []
    parsed = feedparser.parse(path)
    if parsed.bozo:
        problems.append(f"feedparser: {parsed.bozo_exception}")
    if parsed.version != "atom10":
        problems.append(f"not Atom 1.0: {parsed.version!r}")
    root = ElementTree.parse(path).getroot()
    if root.tag != ATOM + "feed":
        problems.append(f"root is {root.tag}")
    for name in ("id", "title", "updated"):
        if root.find(ATOM + name) is None:
            problems.append(f"feed without {name}")
    entries = root.findall(ATOM + "entry")
    if root.find(ATOM + "author") is None and any(entry.find(ATOM + "author") is None for entry in entries):
        problems.append("no author for the feed or an entry")
    ids = []
    listed = []
    for entry in entries:
        for name in ("id", "title", "updated"):
            if entry.find(ATOM + name) is None:
                problems.append(f"entry without {name}")
        ids.append(entry.findtext(ATOM + "id"))
        category = entry.find(ATOM + "category")
        listed.append({
            "id": entry.findtext(ATOM + "id"),
            "title": entry.findtext(ATOM + "title"),
            "updated": entry.findtext(ATOM + "updated"),
            "category": category.get("term") if category is not None else None,
        })
    if len(set(ids)) != len(ids):
        problems.append("entry ids repeat")
    print(json.dumps({"problems": problems, "id": root.findtext(ATOM + "id"), "entries": listed}))


if __name__ == "__main__":
    main(sys.argv[1])
