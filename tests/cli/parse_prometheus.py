#!/usr/bin/python3
"""Parses a Prometheus text exposition with the reference client library
(Debian's python3-prometheus-client) and prints its samples as JSON:
{"families": {family: type}, "samples": [{"name", "labels", "value"}]}.
A text the parser refuses exits 1 with the parser's reason."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def main(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    families, samples = {}, []
    try:
        for fam in text_string_to_metric_families(text):
            families[fam.name] = fam.type
            for s in fam.samples:
                samples.append({"name": s.name, "labels": s.labels, "value": s.value})
    except Exception as e:  # the parser's own error, one line
        print(f"{path}: not Prometheus text: {e}", file=sys.stderr)
        return 1
    json.dump({"families": families, "samples": samples}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
