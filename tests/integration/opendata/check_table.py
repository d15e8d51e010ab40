#!/usr/bin/python3
"""check_table.py - an exported dataset's CSV, GeoJSON and JSON checked against each other and
against reference rows computed from the database by the test.

  check_table.py --name NAME --columns c1,c2,... --key k1,k2 --values v1,v2 \
      EXPORT.csv REFERENCE.csv [--geojson FILE] [--json FILE]

The CSV must have exactly the columns given, in order, no two rows with the same key, the same
keys as the reference, and each value column equal to the reference's (1e-9 relative; both empty
is equal). The GeoJSON must be RFC 7946 (a FeatureCollection of Features whose geometry is null
or a Point [longitude, latitude] in range, properties an object, no "crs") with one feature per
CSV row carrying the same values; the JSON an array of one object per row with the CSV's columns.
Prints "ok - ..." or "not ok - ..." lines; exits 1 on any failure.
"""
import argparse
import csv
import json
import math
import sys

failures = 0


def ok(cond, what, why=""):
    global failures
    if cond:
        print(f"ok - {what}")
    else:
        failures += 1
        print(f"not ok - {what}{': ' + why if why else ''}")
    return cond


def same_number(a, b):
    if a in ("", None) or b in ("", None):
        return a in ("", None) and b in ("", None)
    x, y = float(a), float(b)
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def check_geojson(path, name, rows, key):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    ok(doc.get("type") == "FeatureCollection" and isinstance(doc.get("features"), list)
       and "crs" not in doc, f"{name}: the GeoJSON is an RFC 7946 FeatureCollection")
    feats = doc.get("features", [])
    ok(len(feats) == len(rows), f"{name}: one feature per CSV row ({len(rows)})",
       f"{len(feats)} features")
    bad = []
    by_key = {tuple(r[k] for k in key): r for r in rows}
    for i, ft in enumerate(feats):
        g = ft.get("geometry")
        props = ft.get("properties")
        if ft.get("type") != "Feature" or not isinstance(props, dict):
            bad.append(f"feature {i}: not a Feature with properties")
            continue
        if g is not None:
            c = g.get("coordinates") if isinstance(g, dict) else None
            if (not isinstance(g, dict) or g.get("type") != "Point" or not isinstance(c, list)
                    or len(c) not in (2, 3)
                    or not all(isinstance(v, (int, float)) for v in c)
                    or not (-180 <= c[0] <= 180 and -90 <= c[1] <= 90)):
                bad.append(f"feature {i}: bad geometry {g}")
                continue
        k = tuple(str(props.get(x)) for x in key)
        row = by_key.get(k)
        if row is None:
            bad.append(f"feature {i}: key {k} not in the CSV")
            continue
        if g is not None and not (same_number(row["longitude"], c[0])
                                  and same_number(row["latitude"], c[1])):
            bad.append(f"feature {i}: position differs from the CSV")
        for col, v in props.items():
            w = row.get(col)
            if isinstance(v, (int, float)):
                good = same_number(w, v)
            else:
                good = (w or "") == ("" if v is None else str(v))
            if not good:
                bad.append(f"feature {i}: {col} {v!r} vs CSV {w!r}")
                break
    ok(not bad, f"{name}: every feature's geometry and properties match the CSV", "; ".join(bad[:3]))


def check_json(path, name, header, rows):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    ok(isinstance(doc, list) and len(doc) == len(rows),
       f"{name}: the JSON is an array of one object per CSV row",
       f"{len(doc) if isinstance(doc, list) else type(doc)} items")
    bad = [i for i, o in enumerate(doc if isinstance(doc, list) else [])
           if not isinstance(o, dict) or list(o.keys()) != header]
    ok(not bad, f"{name}: each JSON object has the CSV's columns in order", f"items {bad[:3]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--columns", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--values", required=True)
    ap.add_argument("--geojson")
    ap.add_argument("--json")
    ap.add_argument("export")
    ap.add_argument("reference")
    a = ap.parse_args()
    name, key, values = a.name, a.key.split(","), a.values.split(",")

    header, rows = read_csv(a.export)
    ok(header == a.columns.split(","), f"{name}: the CSV has the documented columns",
       f"{header}")
    keys = [tuple(r.get(k) for k in key) for r in rows]
    ok(len(keys) == len(set(keys)), f"{name}: no row appears twice ({len(rows)} rows)",
       f"{len(keys) - len(set(keys))} duplicates")
    ref_header, ref = read_csv(a.reference)
    ref_by_key = {tuple(r.get(k) for k in key): r for r in ref}
    ok(ok(len(rows) > 0, f"{name}: the export has rows") and set(keys) == set(ref_by_key),
       f"{name}: the same rows as the database ({len(ref)})",
       f"{len(set(keys) - set(ref_by_key))} extra, {len(set(ref_by_key) - set(keys))} missing")
    diffs = []
    for r in rows:
        ref_row = ref_by_key.get(tuple(r.get(k) for k in key))
        if ref_row is None:
            continue
        for v in values:
            if not same_number(r.get(v), ref_row.get(v)):
                diffs.append(f"{v} at {tuple(r.get(k) for k in key)}: {r.get(v)} vs {ref_row.get(v)}")
    ok(not diffs, f"{name}: every value equals the database's ({', '.join(values)})",
       "; ".join(diffs[:3]))
    if a.geojson:
        check_geojson(a.geojson, name, rows, key)
    if a.json:
        check_json(a.json, name, header, rows)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
