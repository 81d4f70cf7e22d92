#!/usr/bin/env python3
"""The DuckDB query a user would write instead of running chimerad.

    duckdb_query.py ROOT

Reads every CSV under ROOT with DuckDB's read_csv as a user would call it (no
options: DuckDB sniffs the columns and uses every core) and prints, per model, the successful and failed run counts
and the median tokens/s and TTFT of the successful runs, as JSON on stdout in
baseline.py's layout, so compare.py can check chimerad against it too. A run
failed when its error is not empty or it generated no tokens, as in
baseline.py.
"""

import json
import os
import sys

import duckdb

QUERY = """
SELECT model,
       count(*) FILTER (WHERE ok)          AS runs_ok,
       count(*) FILTER (WHERE NOT ok)      AS runs_failed,
       median(tokens_s) FILTER (WHERE ok)  AS median_tokens_s,
       median(ttft_s) FILTER (WHERE ok)    AS median_ttft_s
FROM (
    SELECT model, tokens_s, ttft_s,
           coalesce(error, '') = '' AND coalesce(eval_count, 0) <> 0 AS ok
    FROM read_csv(?)
)
GROUP BY model
ORDER BY model
"""


def main():
    root = sys.argv[1]
    connection = duckdb.connect()
    rows = connection.execute(QUERY, [os.path.join(root, "**", "*.csv")]).fetchall()
    result = {
        model: {
            "runs_ok": runs_ok,
            "runs_failed": runs_failed,
            "median_tokens_s": median_tokens_s,
            "median_ttft_s": median_ttft_s,
        }
        for model, runs_ok, runs_failed, median_tokens_s, median_ttft_s in rows
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
