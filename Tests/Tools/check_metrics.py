#!/usr/bin/env python3
"""Parses a Prometheus text exposition (what chimerad's /metrics served) with
the prometheus-client package's own parser, as a scraper would: prints JSON
with `problems` (empty when the text parses), and every family by name with
its type and samples ([name, labels, value]).

Usage: check_metrics.py METRICS.txt
"""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def main(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    problems = []
    families = {}
    try:
        for family in text_string_to_metric_families(text):
            samples = []
            for sample in family.samples:
                value = sample.value
                if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
                    value = str(value)
                samples.append([sample.name, dict(sample.labels), value])
            if family.name in families:
                problems.append(f"family {family.name} appears twice")
            families[family.name] = {"type": family.type, "samples": samples}
    except Exception as error:  # the parser raises ValueError and friends on bad text
        problems.append(f"{type(error).__name__}: {error}")
    json.dump({"problems": problems, "families": families}, sys.stdout)
    print()


if __name__ == "__main__":
    main(sys.argv[1])
