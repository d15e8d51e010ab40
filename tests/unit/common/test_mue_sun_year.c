/* test_mue_sun_year.c - sunrise and sunset in Marseille and Aix on every day of 2026 (and the
 * 2027 clock-change days), in Europe/Paris time, within a minute of an independent reference.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mue_localtime.h"
#include "mue_sun.h"
#include "../mue_test.h"

/* Made by tests/data/sun/make_refs.py with PyEphem (not NOAA's formulas), which agrees with the
 * NOAA calculator to a few seconds; the tests run from the repository's root. */
#define REFS_PATH "tests/data/sun/refs_2026.tsv"
/* Two places, the 365 days of 2026 and two days of 2027. */
#define DAYS_PER_PLACE 367
#define EXPECTED_ROWS  (2 * DAYS_PER_PLACE)
#define TOL_S          60

struct row {
    char place[16];
    double lat, lon;
    int y, m, d;
    int rise_sod, set_sod; /* local clock, seconds after midnight */
    int offset_h;          /* 1 (CET) or 2 (CEST) */
};

static struct row rows[EXPECTED_ROWS + 16];

/* Reads the table into rows[]. Returns the number of rows, or -1 when the file is missing or a
 * line is malformed (which then names the line on stderr). */
static int load_rows(void)
{
    FILE *f = fopen(REFS_PATH, "r");
    char line[256];
    int n = 0, lineno = 0;

    if (f == NULL) {
        fprintf(stderr, "  cannot open %s (run the tests from the repository root)\n", REFS_PATH);
        return -1;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        struct row r;
        int rh, rm, rs, sh, sm, ss, end = 0;

        lineno++;
        if (lineno == 1 && strncmp(line, "place\t", 6) == 0)
            continue;
        if (n == (int)(sizeof(rows) / sizeof(rows[0])) ||
            sscanf(line, "%15[^\t]\t%lf\t%lf\t%d-%d-%d\t%d:%d:%d\t%d:%d:%d\t%d%n", r.place, &r.lat,
                   &r.lon, &r.y, &r.m, &r.d, &rh, &rm, &rs, &sh, &sm, &ss, &r.offset_h,
                   &end) != 13 ||
            (line[end] != '\n' && line[end] != '\0')) {
            fprintf(stderr, "  %s:%d: malformed line\n", REFS_PATH, lineno);
            fclose(f);
            return -1;
        }
        r.rise_sod = rh * 3600 + rm * 60 + rs;
        r.set_sod = sh * 3600 + sm * 60 + ss;
        rows[n++] = r;
    }
    fclose(f);
    return n;
}

/* The reference instant of a local clock time of a row's date, read with the row's offset. */
static int64_t ref_utc(const struct row *r, int sod)
{
    return mue_localtime_days_from_civil(r->y, r->m, r->d) * 86400 + sod - r->offset_h * 3600;
}

static const struct row *find_row(int n, const char *place, int y, int m, int d)
{
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].place, place) == 0 && rows[i].y == y && rows[i].m == m && rows[i].d == d)
            return &rows[i];
    return NULL;
}

static void test_reference_table_has_every_day_of_both_places(void)
{
    int n = load_rows(), marseille = 0, aix = 0;

    MUE_ASSERT_INT_EQ(n, EXPECTED_ROWS);
    for (int i = 0; i < n; i++) {
        if (strcmp(rows[i].place, "Marseille") == 0)
            marseille++;
        else if (strcmp(rows[i].place, "Aix") == 0)
            aix++;
        /* Each place's 2026 rows follow one another a day apart. */
        if (i > 0 && rows[i].y == 2026 && strcmp(rows[i].place, rows[i - 1].place) == 0)
            MUE_ASSERT_INT_EQ(
                mue_localtime_days_from_civil(rows[i].y, rows[i].m, rows[i].d) -
                    mue_localtime_days_from_civil(rows[i - 1].y, rows[i - 1].m, rows[i - 1].d),
                1);
    }
    MUE_ASSERT_INT_EQ(marseille, DAYS_PER_PLACE);
    MUE_ASSERT_INT_EQ(aix, DAYS_PER_PLACE);
    MUE_ASSERT(find_row(n, "Marseille", 2026, 1, 1) != NULL);
    MUE_ASSERT(find_row(n, "Aix", 2026, 12, 31) != NULL);
}

struct worst {
    int64_t diff;
    const struct row *at;
};

static void note_worst(struct worst *w, int64_t diff, const struct row *r)
{
    if (w->at == NULL || llabs(diff) > llabs(w->diff)) {
        w->diff = diff;
        w->at = r;
    }
}

static void print_worst(const char *place, const char *event, const struct worst *w)
{
    printf("  %-9s worst %s %+3lld s on %d-%02d-%02d\n", place, event, (long long)w->diff, w->at->y,
           w->at->m, w->at->d);
}

/* Every row: the computed events within TOL_S of the reference, on the row's local date, with
 * the row's UTC offset, i.e. mue_localtime shows the same clock time as Europe/Paris. */
static void test_sunrise_and_sunset_within_a_minute_all_year(void)
{
    static const char *const places[] = { "Marseille", "Aix" };
    struct worst rise_w[2] = { { 0, NULL }, { 0, NULL } }, set_w[2] = { { 0, NULL }, { 0, NULL } };
    int n = load_rows(), failures = 0;

    MUE_ASSERT_INT_EQ(n, EXPECTED_ROWS);
    for (int i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        int p = strcmp(r->place, places[0]) == 0 ? 0 : 1;
        int64_t rise = 0, set = 0, drise, dset;
        struct mue_localtime lr, ls;

        MUE_ASSERT_INT_EQ(
            mue_sun_times(r->lat, r->lon, r->y, r->m, r->d, MUE_SUN_ZENITH_OFFICIAL, &rise, &set),
            0);
        drise = rise - ref_utc(r, r->rise_sod);
        dset = set - ref_utc(r, r->set_sod);
        note_worst(&rise_w[p], drise, r);
        note_worst(&set_w[p], dset, r);
        mue_localtime_from_utc(rise, &lr);
        mue_localtime_from_utc(set, &ls);
        if (llabs(drise) > TOL_S || llabs(dset) > TOL_S || lr.day != r->d || ls.day != r->d ||
            lr.utc_offset_s != r->offset_h * 3600 || ls.utc_offset_s != r->offset_h * 3600) {
            fprintf(stderr,
                    "  %s %d-%02d-%02d: rise %02d:%02d:%02d (%+lld s), set %02d:%02d:%02d "
                    "(%+lld s), offsets %d/%d h, want %d h\n",
                    r->place, r->y, r->m, r->d, lr.hour, lr.minute, lr.second, (long long)drise,
                    ls.hour, ls.minute, ls.second, (long long)dset, lr.utc_offset_s / 3600,
                    ls.utc_offset_s / 3600, r->offset_h);
            failures++;
        }
    }
    for (int p = 0; p < 2; p++) {
        print_worst(places[p], "sunrise", &rise_w[p]);
        print_worst(places[p], "sunset ", &set_w[p]);
    }
    MUE_ASSERT_INT_EQ(failures, 0);
}

/* The clock-change days: present, with the offset the table says, the change having happened
 * the night before (for 2026 the previous row has the other offset), and mue_localtime agreeing
 * on both sides of it. */
static void test_daylight_saving_days_are_present_and_right(void)
{
    static const struct {
        int y, m, d, offset_h;
    } days[] = {
        { 2026, 3, 29, 2 },
        { 2026, 10, 25, 1 },
        { 2027, 3, 28, 2 },
        { 2027, 10, 31, 1 },
    };
    static const char *const places[] = { "Marseille", "Aix" };
    int n = load_rows();

    MUE_ASSERT_INT_EQ(n, EXPECTED_ROWS);
    for (size_t p = 0; p < 2; p++) {
        for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
            const struct row *r = find_row(n, places[p], days[i].y, days[i].m, days[i].d);
            const struct row *before;
            int64_t rise = 0, set = 0;
            struct mue_localtime lt;

            MUE_ASSERT(r != NULL);
            MUE_ASSERT_INT_EQ(r->offset_h, days[i].offset_h);
            if (days[i].y == 2026) {
                int64_t prev = mue_localtime_days_from_civil(r->y, r->m, r->d) - 1;
                int py, pm, pd;

                mue_localtime_civil_from_days(prev, &py, &pm, &pd);
                before = find_row(n, places[p], py, pm, pd);
                MUE_ASSERT(before != NULL);
                MUE_ASSERT_INT_EQ(before->offset_h, 3 - days[i].offset_h);
            }
            MUE_ASSERT_INT_EQ(mue_sun_times(r->lat, r->lon, r->y, r->m, r->d,
                                            MUE_SUN_ZENITH_OFFICIAL, &rise, &set),
                              0);
            MUE_ASSERT(llabs(rise - ref_utc(r, r->rise_sod)) <= TOL_S);
            MUE_ASSERT(llabs(set - ref_utc(r, r->set_sod)) <= TOL_S);
            mue_localtime_from_utc(rise, &lt);
            MUE_ASSERT_INT_EQ(lt.utc_offset_s, days[i].offset_h * 3600);
            MUE_ASSERT(llabs(lt.hour * 3600 + lt.minute * 60 + lt.second - r->rise_sod) <= TOL_S);
            mue_localtime_from_utc(set, &lt);
            MUE_ASSERT_INT_EQ(lt.utc_offset_s, days[i].offset_h * 3600);
            MUE_ASSERT(llabs(lt.hour * 3600 + lt.minute * 60 + lt.second - r->set_sod) <= TOL_S);
            /* A day earlier the other offset was in force. */
            MUE_ASSERT_INT_EQ(mue_localtime_offset(rise - 86400), (3 - days[i].offset_h) * 3600);
        }
    }
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_reference_table_has_every_day_of_both_places),
        MUE_TEST(test_sunrise_and_sunset_within_a_minute_all_year),
        MUE_TEST(test_daylight_saving_days_are_present_and_right),
    };
    return mue_test_run("mue_sun_year", tests);
}
