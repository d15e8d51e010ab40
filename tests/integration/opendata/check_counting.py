#!/usr/bin/python3
# check_counting.py - checks the three files of schema-comptage-mobilites 0.1.0 written by
# mue-opendata: the schema's header columns in order, required values present, values in their
# formats and ranges, and the references measures -> channels -> sites. Prints "ok -"/"not ok -"
# lines, exits 1 on failure.
# Usage: check_counting.py SITES CHANNELS MEASURES
# SPDX-License-Identifier: MIT
import csv
import re
import sys
from datetime import datetime

# The columns of each file in the schema's order; the required ones (*) may not be empty.
SITES = ["site_id*", "parent_site_id", "fr_insee_code", "xlong*", "ylat*", "external_ids",
         "infrastructure_type"]
CHANNELS = ["channel_id*", "channel_provider_id", "site_provider_id", "site_id*", "mobility_type",
            "comment", "counter_transmission_type", "publication_transmission_type",
            "counter_type", "direction", "provider_direction_code", "provider_direction_name",
            "data_provider_name", "temporality", "started_at", "ended_at", "last_updated_at",
            "time_step", "provider_portal_url"]
MEASURES = ["channel_id*", "counter_id*", "start_datetime*", "end_datetime", "count"]

INSEE = re.compile(r"^([013-9]\d|2[AB1-9])\d{3}$")
MOBILITY = {"BIKE", "TWO WHEELS MOTORIZED", "PEDESTRIAN", "E-SCOOTER", "HORSE-RIDER", "CAR",
            "BUS", "MINIBUS", "TRUCK", "VAN", "TRAMWAY", "CANOE", "UNDEFINED"}
COUNTER_TYPES = {"INDUCTIVE LOOP", "ELECTROMAGNETIC SENSOR", "PASSIVE INFRARED",
                 "ACTIVE INFRARED", "PIEZOELECTRIC SENSOR", "RADAR SENSOR", "VIDEO SENSOR",
                 "PNEUMATIC TUBE SENSOR", "SLAB SENSOR", "LIGHT BEAM SENSOR", "MANUAL",
                 "ACOUSTIC", "LIDAR", "OPTICAL FIBER SENSOR", "MAGNETOMETER", "OTHER"}
DIRECTIONS = {"N", "NW", "NE", "W", "SW", "S", "SE", "E"}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def parse_time(text):
    if not ISO.match(text):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def number(text):
    try:
        v = float(text)
    except ValueError:
        return None
    return v if v == v and v not in (float("inf"), float("-inf")) else None


def read(path, columns, report):
    """The rows of a file as dicts, after checking its header and required values; None when the
    header is not the schema's."""
    names = [c.rstrip("*") for c in columns]
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] != names:
        report(False, "%s: header is the schema's (%s)" % (path, rows[0] if rows else "empty"))
        return None
    report(True, "%s: header is the schema's" % path)
    bad = [i + 2 for i, r in enumerate(rows[1:]) if len(r) != len(names)]
    report(not bad, "%s: every line has %d fields%s" % (path, len(names),
                                                        " (lines %s)" % bad[:5] if bad else ""))
    out = [dict(zip(names, r)) for r in rows[1:] if len(r) == len(names)]
    missing = [(i + 2, c.rstrip("*")) for i, r in enumerate(out) for c in columns
               if c.endswith("*") and r[c.rstrip("*")] == ""]
    report(not missing, "%s: required values present%s" % (path, " %s" % missing[:5] if missing else ""))
    return out


def check_sites(rows, path, report):
    problems = []
    for i, r in enumerate(rows, 2):
        x, y = number(r["xlong"]), number(r["ylat"])
        if x is None or not -180 <= x <= 180 or y is None or not -90 <= y <= 90:
            problems.append("line %d: xlong/ylat %s,%s out of WGS84" % (i, r["xlong"], r["ylat"]))
        if r["fr_insee_code"] and not INSEE.match(r["fr_insee_code"]):
            problems.append("line %d: fr_insee_code %r" % (i, r["fr_insee_code"]))
    ids = [r["site_id"] for r in rows]
    if len(set(ids)) != len(ids):
        problems.append("site_id not unique")
    report(not problems, "%s: %d sites valid%s" % (path, len(rows), " %s" % problems[:5] if problems else ""))
    return set(ids)


def check_channels(rows, sites, path, report):
    problems = []
    for i, r in enumerate(rows, 2):
        if r["site_id"] not in sites:
            problems.append("line %d: site_id %r not in sites" % (i, r["site_id"]))
        if r["mobility_type"] and not set(r["mobility_type"].split(",")) <= MOBILITY:
            problems.append("line %d: mobility_type %r" % (i, r["mobility_type"]))
        if r["counter_type"] and not set(r["counter_type"].split(",")) <= COUNTER_TYPES:
            problems.append("line %d: counter_type %r" % (i, r["counter_type"]))
        if r["direction"] and r["direction"] not in DIRECTIONS:
            problems.append("line %d: direction %r" % (i, r["direction"]))
        if r["counter_transmission_type"] not in ("", "REMOTE TRANSMISSION", "MANUAL"):
            problems.append("line %d: counter_transmission_type" % i)
        if r["publication_transmission_type"] not in ("", "API", "MANUAL"):
            problems.append("line %d: publication_transmission_type" % i)
        for c in ("started_at", "ended_at", "last_updated_at"):
            if r[c] and parse_time(r[c]) is None:
                problems.append("line %d: %s %r is not ISO 8601 with an offset" % (i, c, r[c]))
        if r["time_step"] and (number(r["time_step"]) is None or number(r["time_step"]) <= 0):
            problems.append("line %d: time_step %r" % (i, r["time_step"]))
        if not r["time_step"]:
            problems.append("line %d: no time_step (measures may leave end_datetime empty)" % i)
    ids = [r["channel_id"] for r in rows]
    if len(set(ids)) != len(ids):
        problems.append("channel_id not unique")
    report(not problems, "%s: %d channels valid, each on a site%s"
           % (path, len(rows), " %s" % problems[:5] if problems else ""))
    return set(ids)


def check_measures(rows, channels, path, report):
    problems = []
    for i, r in enumerate(rows, 2):
        if r["channel_id"] not in channels:
            problems.append("line %d: channel_id %r not in channels" % (i, r["channel_id"]))
        start = parse_time(r["start_datetime"])
        end = parse_time(r["end_datetime"]) if r["end_datetime"] else None
        if start is None:
            problems.append("line %d: start_datetime %r" % (i, r["start_datetime"]))
        elif r["end_datetime"] and (end is None or not start < end):
            problems.append("line %d: end_datetime %r not after the start" % (i, r["end_datetime"]))
        if r["count"]:
            v = number(r["count"])
            if v is None or v < 0:
                problems.append("line %d: count %r" % (i, r["count"]))
    report(not problems, "%s: %d measures valid, each on a channel%s"
           % (path, len(rows), " %s" % problems[:5] if problems else ""))


def main(argv):
    if len(argv) != 4:
        print("usage: check_counting.py SITES CHANNELS MEASURES", file=sys.stderr)
        return 2
    failed = []

    def report(ok, what):
        print("%s - %s" % ("ok" if ok else "not ok", what))
        if not ok:
            failed.append(what)

    try:
        sites = read(argv[1], SITES, report)
        channels = read(argv[2], CHANNELS, report)
        measures = read(argv[3], MEASURES, report)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        report(False, "files readable as UTF-8 CSV (%s)" % exc)
        return 1
    if sites is not None:
        site_ids = check_sites(sites, argv[1], report)
        if channels is not None:
            channel_ids = check_channels(channels, site_ids, argv[2], report)
            if measures is not None:
                check_measures(measures, channel_ids, argv[3], report)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
