#!/usr/bin/env python3
"""Filter rows of a CSV file, e.g.

    csvfilter.py orders.csv --where "amount > 100" --where "country == 'DE'"
"""
import argparse
import ast
import csv
import operator
import re
import sys

OPERATORS = {
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}
CONDITION_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(==|!=|>=|<=|>|<)\s*(.+?)\s*$")


def coerce(value):
    for cast in (int, float):
        try:
            return cast(value)
        except (TypeError, ValueError):
            pass
    return value


def build_predicate(condition):
    match = CONDITION_RE.match(condition)
    if not match:
        raise ValueError(f"cannot parse condition: {condition!r}")
    field, op, raw = match.groups()
    try:
        expected = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        expected = raw
    compare = OPERATORS[op]
    return lambda row: compare(coerce(row.get(field)), expected)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("csv_file")
    parser.add_argument("--where", action="append", default=[])
    args = parser.parse_args(argv)

    predicates = [build_predicate(cond) for cond in args.where]
    with open(args.csv_file, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        writer = csv.DictWriter(sys.stdout, fieldnames=reader.fieldnames)
        writer.writeheader()
        for row in reader:
            if all(pred(row) for pred in predicates):
                writer.writerow(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
