#!/usr/bin/python3
# make_refs.py - writes refs_2026.tsv, the sunrise and sunset references that
# tests/unit/common/test_mue_sun_year.c holds common/mue_sun.c to (within a minute).
# SPDX-License-Identifier: MIT
#
# How the table is made
#   An implementation independent of ours: PyEphem 4.1.4 (Debian's python3-ephem, the
#   libastro of XEphem: VSOP87 planetary theory, IAU nutation, Delta T), not NOAA's
#   formulas. Run it with Debian's /usr/bin/python3 after `apt-get install -y python3-ephem`;
#   CI does not need it, the .tsv is committed.
#   The convention is the official sunrise that NOAA's solar calculator uses (its zenith
#   90.833 degrees): the sun's upper limb on a sea-level horizon with 34' of refraction. In
#   PyEphem terms: elevation 0, pressure 0 (no refraction model of its own),
#   horizon '-0:34', use_center=False (the limb, with the sun's apparent radius of the date).
#   Places: Marseille (Vieux-Port, 43.2965 N 5.3698 E) and Aix-en-Provence (43.5297 N
#   5.4474 E). Dates: every day of 2026, plus 2027-03-28 and 2027-10-31 (days when the clocks
#   change). For each date the first rising and the first setting after local midnight.
#   Columns, tab-separated, after a header line: place, lat, lon, date, sunrise_local,
#   sunset_local (HH:MM:SS, Europe/Paris civil time from Python's zoneinfo, rounded to the
#   second), utc_offset_h (1 or 2: the offset in force at both events of that day).
#
# NOAA against PyEphem
#   NOAA publishes its algorithm as a calculator and a spreadsheet; no published NOAA
#   figure for Marseille or Aix could be found. The published NOAA figures found elsewhere
#   agree with PyEphem to a few seconds, and noaa_check() below repeats the comparison on
#   every run (it stops if any differs by more than 5 s):
#   - NOAA_Solar_Calculations_day.xls, NOAA GML's one-day spreadsheet (a copy, saved with
#     its example inputs: 40 N, 105 W, UTC-7, 2010-06-21, is in github.com/pyenergyplus/
#     pysunNOAA, resources/NOAA_Solar_Calculations_day.ods). Its rows evaluated at the events
#     (04:30 and 19:30 local) give sunrise 04:31:18.8 and sunset 19:32:19.6, i.e. 11:31:18.8
#     and 02:32:19.6 (next day) UTC; PyEphem: 11:31:21.8 (+3.0 s) and 02:32:17.8 (-1.8 s).
#   - The same spreadsheet at 37.4219444 N, 122.0795833 W, UTC-8, 2023-09-21 05:33, as
#     pysunNOAA's tests record it (sunrise 0.246693155717973 day = 05:55:14.3 PST): PyEphem
#     13:55:14.7 UTC (+0.4 s). (Its sunset cell is evaluated with the sun of 05:33, twelve
#     hours early, so it is not used.)
#   - NOAA's web calculator as quoted in github.com/kevinboone/solunar_cmdline issue 3:
#     sunset 17:31 PST on 2018-01-31 at 37.33085 N, 121.880779 W; PyEphem 17:31:04.
import datetime
import os
import sys
import zoneinfo

import ephem

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = datetime.timezone.utc

PLACES = [
    ("Marseille", "43.2965", "5.3698"),
    ("Aix", "43.5297", "5.4474"),
]
EXTRA_DATES = [datetime.date(2027, 3, 28), datetime.date(2027, 10, 31)]


def observer(lat, lon):
    o = ephem.Observer()
    o.lat = str(lat)  # a string is degrees to PyEphem, a float radians
    o.lon = str(lon)
    o.elevation = 0
    o.pressure = 0
    o.horizon = "-0:34"
    return o


def events_after(lat, lon, start_utc):
    """The first rising and setting of the sun's upper limb after start_utc, as aware
    UTC datetimes."""
    o = observer(lat, lon)
    o.date = ephem.Date(start_utc.replace(tzinfo=None))
    sun = ephem.Sun()
    rise = o.next_rising(sun, use_center=False).datetime().replace(tzinfo=UTC)
    o.date = ephem.Date(start_utc.replace(tzinfo=None))
    set_ = o.next_setting(sun, use_center=False).datetime().replace(tzinfo=UTC)
    return rise, set_


def noaa_check():
    """NOAA's published figures (see the header) against PyEphem."""
    cases = [
        # lat, lon, search from (UTC), event, NOAA's instant (UTC)
        (40, -105, datetime.datetime(2010, 6, 21, 7, tzinfo=UTC), 0,
         datetime.datetime(2010, 6, 21, 11, 31, 18, 800000, tzinfo=UTC)),
        (40, -105, datetime.datetime(2010, 6, 21, 7, tzinfo=UTC), 1,
         datetime.datetime(2010, 6, 22, 2, 32, 19, 600000, tzinfo=UTC)),
        (37.4219444444444, -122.079583333333, datetime.datetime(2023, 9, 21, 8, tzinfo=UTC), 0,
         datetime.datetime(2023, 9, 21, 13, 55, 14, 300000, tzinfo=UTC)),
        (37.33085, -121.880779, datetime.datetime(2018, 1, 31, 8, tzinfo=UTC), 1,
         datetime.datetime(2018, 2, 1, 1, 31, 0, tzinfo=UTC)),
    ]
    for lat, lon, start, which, noaa in cases:
        got = events_after(lat, lon, start)[which]
        diff = (got - noaa).total_seconds()
        # NOAA's web figure is to the minute: allow its half minute on top.
        tol = 5 + (30 if noaa.second == 0 and noaa.microsecond == 0 else 0)
        print(f"NOAA {noaa:%Y-%m-%d %H:%M:%S} PyEphem {got:%H:%M:%S.%f} diff {diff:+.1f} s",
              file=sys.stderr)
        if abs(diff) > tol:
            sys.exit(f"make_refs: PyEphem differs from NOAA by {diff:.1f} s")


def local_hms(t):
    t = (t + datetime.timedelta(microseconds=500000)).replace(microsecond=0)
    return t.astimezone(PARIS).strftime("%H:%M:%S")


def rows():
    day = datetime.date(2026, 1, 1)
    dates = []
    while day.year == 2026:
        dates.append(day)
        day += datetime.timedelta(days=1)
    dates += EXTRA_DATES
    for name, lat, lon in PLACES:
        for d in dates:
            midnight = datetime.datetime(d.year, d.month, d.day, tzinfo=PARIS).astimezone(UTC)
            rise, set_ = events_after(lat, lon, midnight)
            off_rise = rise.astimezone(PARIS).utcoffset()
            off_set = set_.astimezone(PARIS).utcoffset()
            assert off_rise == off_set, (name, d)
            assert rise.astimezone(PARIS).date() == d and set_.astimezone(PARIS).date() == d
            yield (name, lat, lon, d.isoformat(), local_hms(rise), local_hms(set_),
                   str(int(off_rise.total_seconds()) // 3600))


def main():
    noaa_check()
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "refs_2026.tsv")
    with open(out + ".tmp", "w", encoding="ascii") as f:
        f.write("place\tlat\tlon\tdate\tsunrise_local\tsunset_local\tutc_offset_h\n")
        n = 0
        for r in rows():
            f.write("\t".join(r) + "\n")
            n += 1
    os.replace(out + ".tmp", out)
    print(f"{out}: {n} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
