#!/usr/bin/python3
# check_ngsild.py - checks NGSI-LD files written by mue-opendata: the array-file layout, each
# entity well-formed (normalized form) and carrying its Smart Data Model's required attributes and
# enumerated values, ids unique within a file. Prints "ok -"/"not ok -" lines, exits 1 on failure.
# Usage: check_ngsild.py FILE...
# SPDX-License-Identifier: MIT
import json
import re
import sys

CORE_CONTEXT = re.compile(r"^https://uri\.etsi\.org/ngsi-ld/v1/ngsi-ld-core-context(-v[0-9.]+)?\.jsonld$")

# Required attributes of each model (../shared/reference/formats.md §4), id and type aside.
REQUIRED = {
    "NoiseLevelObserved": ["dateObservedFrom", "dateObservedTo", "location"],
    "WaterQualityObserved": ["dateObserved", "location"],
    "WaterObserved": ["location", "dateObserved"],
    "TrafficFlowObserved": ["dateObserved", "location"],
    "CrowdFlowObserved": ["dateObserved", "location"],
    "WasteContainer": ["location"],
    "Streetlight": ["location", "status"],
    "StreetlightGroup": ["location"],
    "StreetlightControlCabinet": ["location", "refStreetlightGroup", "workingMode"],
}

# Values the models fix: (type, attribute) -> allowed values. None as type: any model.
ENUMS = {
    ("Streetlight", "status"): {"brokenLantern", "columnIssue", "defectiveLamp", "ok"},
    ("Streetlight", "powerState"): {"bootingUp", "low", "off", "on"},
    ("Streetlight", "controllingMethod"): {"group", "individual"},
    ("StreetlightGroup", "powerState"): {"on", "off", "low", "bootingUp"},
    ("StreetlightControlCabinet", "workingMode"): {"automatic", "manual", "semiautomatic"},
    ("StreetlightControlCabinet", "cupboardMadeOf"): {"plastic", "metal", "concrete", "other"},
    ("WasteContainer", "status"): {"ok", "lidOpen", "dropped", "moved", "vandalized", "burning",
                                   "unknown"},
    ("WasteContainer", "storedWasteKind"): {"organic", "inorganic", "glass", "oil", "plastic",
                                            "metal", "paper", "batteries", "electronics",
                                            "hazardous", "other"},
    ("WasteContainer", "category"): {"fixed", "ground", "other", "portable", "underground"},
    ("TrafficFlowObserved", "laneDirection"): {"forward", "backward"},
    ("TrafficFlowObserved", "vehicleType"): {
        "agriculturalVehicle", "bicycle", "bus", "minibus", "car", "caravan", "tram", "tanker",
        "carWithCaravan", "carWithTrailer", "lorry", "moped", "motorcycle",
        "motorcycleWithSideCar", "motorscooter", "trailer", "van",
        "constructionOrMaintenanceVehicle", "trolley", "binTrolley", "sweepingMachine",
        "cleaningTrolley"},
    ("NoiseLevelObserved", "sonometerClass"): {"0", "1", "2"},
    ("CrowdFlowObserved", "direction"): {"inbound", "outbound"},
}

# Numbers the models bound to [0, 1].
FRACTIONS = {("WasteContainer", "fillingLevel"), ("TrafficFlowObserved", "occupancy"),
             ("CrowdFlowObserved", "occupancy"), ("Streetlight", "illuminanceLevel"),
             ("StreetlightGroup", "illuminanceLevel")}

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")
INTERVAL = re.compile(r"^(\S+)/(\S+)$")


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_point(value):
    """The problem with a GeoProperty's value, or None."""
    if not isinstance(value, dict) or value.get("type") != "Point":
        return "not a GeoJSON Point"
    c = value.get("coordinates")
    if not isinstance(c, list) or len(c) != 2 or not all(is_number(x) for x in c):
        return "coordinates are not two numbers"
    if not (-180 <= c[0] <= 180 and -90 <= c[1] <= 90):
        return "coordinates %r out of WGS84 range" % (c,)
    return None


def check_attribute(etype, name, attr):
    """The problems of one attribute: a list of texts."""
    if not isinstance(attr, dict):
        return ["%s is not an object" % name]
    kind = attr.get("type")
    if kind == "Property":
        if "value" not in attr or attr["value"] is None:
            return ["%s: Property without a value" % name]
        v = attr["value"]
        if isinstance(v, dict) and v.get("@type") == "DateTime":
            if not isinstance(v.get("@value"), str) or not DATETIME.match(v["@value"]):
                return ["%s: DateTime %r is not ISO 8601" % (name, v.get("@value"))]
        if isinstance(v, float) and v != v:
            return ["%s: NaN" % name]
        allowed = ENUMS.get((etype, name))
        values = v if isinstance(v, list) else [v]
        if allowed is not None and any(x not in allowed for x in values):
            return ["%s: %r is not one of the model's values" % (name, v)]
        if (etype, name) in FRACTIONS and (not is_number(v) or not 0 <= v <= 1):
            return ["%s: %r is not a number in [0, 1]" % (name, v)]
        if name == "dateObserved" and isinstance(v, str):
            m = INTERVAL.match(v)
            parts = m.groups() if m else (v,)
            if not all(DATETIME.match(p) for p in parts):
                return ["dateObserved: %r is neither a datetime nor an interval" % v]
        return []
    if kind == "GeoProperty":
        problem = check_point(attr.get("value"))
        return ["%s: %s" % (name, problem)] if problem else []
    if kind == "Relationship":
        obj = attr.get("object")
        objs = obj if isinstance(obj, list) else [obj]
        if not objs or not all(isinstance(o, str) and o.startswith("urn:") for o in objs):
            return ["%s: Relationship object %r is not a URN (or a list of)" % (name, obj)]
        return []
    return ["%s: type %r is none of Property, GeoProperty, Relationship" % (name, kind)]


def check_entity(e):
    """The problems of one entity: a list of texts."""
    if not isinstance(e, dict):
        return ["not an object"]
    problems = []
    etype = e.get("type")
    if not isinstance(etype, str) or not etype:
        return ["no type"]
    eid = e.get("id")
    if not isinstance(eid, str) or not eid.startswith("urn:ngsi-ld:%s:" % etype):
        problems.append("id %r does not start with urn:ngsi-ld:%s:" % (eid, etype))
    ctx = e.get("@context")
    ctx = ctx if isinstance(ctx, list) else [ctx]
    if not ctx or not all(isinstance(c, str) and c.startswith("http") for c in ctx):
        problems.append("@context %r is not a list of URLs" % (e.get("@context"),))
    elif not any(CORE_CONTEXT.match(c) for c in ctx):
        problems.append("@context lacks the NGSI-LD core context")
    for name, attr in e.items():
        if name in ("id", "type", "@context"):
            continue
        problems += check_attribute(etype, name, attr)
    if "location" in e and (e["location"] or {}).get("type") != "GeoProperty":
        problems.append("location is not a GeoProperty")
    for name in REQUIRED.get(etype, []):
        if name not in e:
            problems.append("%s lacks the required %s" % (etype, name))
    return [("%s: %s" % (eid, p)) for p in problems]


def check_layout(text):
    """The array-file layout: '[', one item a line with ',' but the last, ']'."""
    lines = text.split("\n")
    if not text.endswith("\n"):
        return "the file does not end with a newline"
    lines = lines[:-1]
    if len(lines) < 2 or lines[0] != "[" or lines[-1] != "]":
        return "the first and last lines are not '[' and ']'"
    items = lines[1:-1]
    for i, line in enumerate(items):
        last = i == len(items) - 1
        if line.endswith(",") == last:
            return "line %d: a comma where none belongs, or none where one does" % (i + 2)
    return None


def check_file(path, report):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        report(False, "%s: readable JSON (%s)" % (path, exc))
        return
    if not isinstance(data, list):
        report(False, "%s: an array" % path)
        return
    layout = check_layout(text)
    report(layout is None, "%s: array-file layout%s" % (path, " (%s)" % layout if layout else ""))
    problems, seen, dups = [], set(), set()
    for e in data:
        problems += check_entity(e)
        eid = e.get("id") if isinstance(e, dict) else None
        if eid in seen:
            dups.add(eid)
        seen.add(eid)
    for p in problems[:20]:
        print("# " + p)
    report(not problems, "%s: %d entities well-formed, with their models' attributes (%d problems)"
           % (path, len(data), len(problems)))
    report(not dups, "%s: ids unique%s" % (path, " (%s)" % ", ".join(sorted(dups)[:5]) if dups else ""))


def main(argv):
    if len(argv) < 2:
        print("usage: check_ngsild.py FILE...", file=sys.stderr)
        return 2
    failed = []

    def report(ok, what):
        print("%s - %s" % ("ok" if ok else "not ok", what))
        if not ok:
            failed.append(what)

    for path in argv[1:]:
        check_file(path, report)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
