#!/usr/bin/env python3
"""Checks an HTML report page as a browser would parse it (html5lib, the
WHATWG parsing algorithm) and prints what the tests assert on, as JSON:

  parse_errors   the parser's errors (strict conformance of the markup)
  unsafe         every script element, event-handler attribute, element that
                 loads or embeds something, and URL that leaves the page
  headings       the h1-h4 texts in order
  svg            how many inline svg elements the page holds
  text           the page's visible text (for escaping checks)

Usage: check_html.py PAGE.html
"""
import json
import re
import sys

import html5lib

EMBEDDING = {"script", "iframe", "object", "embed", "frame", "frameset", "base", "link", "meta-refresh", "form", "img", "audio", "video", "source", "track", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background"}
HTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"


def local(tag):
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def main(path):
    with open(path, "rb") as handle:
        data = handle.read()
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=True)
    document = parser.parse(data, transport_encoding="utf-8")
    errors = [f"line {line}:{column} {code} {params}" for (line, column), code, params in parser.errors]
    unsafe = []
    headings = []
    svg = 0
    for element in document.iter():
        name = local(element.tag)
        if element.tag == SVG + "svg":
            svg += 1
        if name in EMBEDDING:
            unsafe.append(f"element <{name}>")
        if name == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            unsafe.append("meta refresh")
        for attribute, value in element.attrib.items():
            attribute_name = local(attribute).lower()
            if attribute_name.startswith("on"):
                unsafe.append(f"event attribute {attribute_name} on <{name}>")
            if attribute_name in URL_ATTRIBUTES or attribute.endswith("}href"):
                if re.match(r"^\s*([a-z][a-z0-9+.-]*:|//)", value or "", re.I) and not value.startswith("#"):
                    unsafe.append(f"url {value!r} in {attribute_name} of <{name}>")
            if attribute_name == "style" and "url(" in (value or "").lower():
                unsafe.append(f"url() in a style attribute of <{name}>")
        if name == "style" and re.search(r"url\(|@import", element.text or "", re.I):
            unsafe.append("url() or @import in a style element")
        if element.tag in {HTML + f"h{level}" for level in range(1, 5)}:
            headings.append("".join(element.itertext()).strip())
    body = document.find(f"{HTML}body")
    text = "".join(body.itertext()) if body is not None else ""
    print(json.dumps({"parse_errors": errors, "unsafe": unsafe, "headings": headings, "svg": svg, "text": text}))


if __name__ == "__main__":
    main(sys.argv[1])
