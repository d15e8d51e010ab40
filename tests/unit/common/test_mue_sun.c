/* test_mue_sun.c - unit tests for sunrise, sunset and the sun's elevation.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "mue_err.h"
#include "mue_localtime.h"
#include "mue_sun.h"
#include "../mue_test.h"

/* The tolerance against reference times: 2 minutes. */
#define TOL_S 120

static int64_t utc(int y, int mo, int d, int h, int mi)
{
    return mue_localtime_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

struct ref {
    const char *place;
    double lat, lon;
    int y, m, d;
    int rise_h, rise_m, set_h, set_m; /* UTC; set hour 24 is on the next UTC day */
};

/* Marseille (Vieux-Port, 43.2965 N 5.3698 E): the US Naval Observatory's almanac algorithm,
 * computed independently, gives 03:58 / 19:22 UTC on 2026-06-21 (05:58 / 21:22 CEST) and
 * 07:07 / 16:06 UTC on 2026-12-21 (08:07 / 17:06 CET). The other places are from the table
 * Astro::Sunrise tests against (Paul Schlyter's sunriset.c, centre of the disc at -0.833 degree,
 * local times shifted back to UTC): Greenwich at the solstices and an equinox, Reykjavik's
 * midsummer sunset after midnight UTC, Quito just south of the equator, El Hierro. */
static const struct ref refs[] = {
    { "Marseille", 43.2965, 5.3698, 2026, 6, 21, 3, 58, 19, 22 },
    { "Marseille", 43.2965, 5.3698, 2026, 12, 21, 7, 7, 16, 6 },
    { "Greenwich", 51.4667, 0.0, 2013, 1, 1, 8, 5, 16, 2 },
    { "Greenwich", 51.4667, 0.0, 2013, 3, 21, 6, 0, 18, 15 },
    { "Greenwich", 51.4667, 0.0, 2013, 6, 21, 3, 43, 20, 21 },
    { "Reykjavik", 64.0667, -21.9667, 2013, 6, 21, 2, 57, 24, 2 },
    { "Reykjavik", 64.0667, -21.9667, 2013, 1, 1, 11, 18, 15, 45 },
    { "Quito", -0.25, -78.5833, 2013, 1, 1, 11, 14, 23, 22 },
    { "El Hierro", 27.7333, -18.05, 2013, 3, 21, 7, 15, 19, 24 },
};

static void test_matches_reference_times_within_two_minutes(void)
{
    for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
        int64_t rise = 0, set = 0, want_rise, want_set;

        MUE_ASSERT_INT_EQ(mue_sun_times(refs[i].lat, refs[i].lon, refs[i].y, refs[i].m, refs[i].d,
                                        MUE_SUN_ZENITH_OFFICIAL, &rise, &set),
                          0);
        want_rise = utc(refs[i].y, refs[i].m, refs[i].d, refs[i].rise_h, refs[i].rise_m);
        want_set = utc(refs[i].y, refs[i].m, refs[i].d, refs[i].set_h, refs[i].set_m);
        if (llabs(rise - want_rise) > TOL_S || llabs(set - want_set) > TOL_S)
            fprintf(stderr, "  %s %d-%02d-%02d: rise %+lld s, set %+lld s\n", refs[i].place,
                    refs[i].y, refs[i].m, refs[i].d, (long long)(rise - want_rise),
                    (long long)(set - want_set));
        MUE_ASSERT(llabs(rise - want_rise) <= TOL_S);
        MUE_ASSERT(llabs(set - want_set) <= TOL_S);
    }
}

/* Day length at Marseille: about 15 h 24 in June, 8 h 58 in December; civil twilight widens both
 * ends by about half an hour. */
static void test_day_length_and_twilight(void)
{
    int64_t rise, set, crise, cset;

    MUE_ASSERT_INT_EQ(
        mue_sun_times(43.2965, 5.3698, 2026, 6, 21, MUE_SUN_ZENITH_OFFICIAL, &rise, &set), 0);
    MUE_ASSERT(llabs(set - rise - (15 * 3600 + 24 * 60)) <= 180);
    MUE_ASSERT_INT_EQ(
        mue_sun_times(43.2965, 5.3698, 2026, 6, 21, MUE_SUN_ZENITH_CIVIL, &crise, &cset), 0);
    MUE_ASSERT(rise - crise > 25 * 60 && rise - crise < 45 * 60);
    MUE_ASSERT(cset - set > 25 * 60 && cset - set < 45 * 60);
    MUE_ASSERT_INT_EQ(
        mue_sun_times(43.2965, 5.3698, 2026, 12, 21, MUE_SUN_ZENITH_OFFICIAL, &rise, &set), 0);
    MUE_ASSERT(llabs(set - rise - (8 * 3600 + 58 * 60)) <= 180);
}

static void test_polar_day_and_night(void)
{
    int64_t rise = 7, set = 8;

    /* Tromsø, 69.65 N. */
    MUE_ASSERT_INT_EQ(
        mue_sun_times(69.65, 18.96, 2026, 6, 21, MUE_SUN_ZENITH_OFFICIAL, &rise, &set),
        MUE_SUN_ALWAYS_UP);
    MUE_ASSERT_INT_EQ(
        mue_sun_times(69.65, 18.96, 2026, 12, 21, MUE_SUN_ZENITH_OFFICIAL, &rise, &set),
        MUE_SUN_ALWAYS_DOWN);
    MUE_ASSERT_INT_EQ(rise, 7); /* untouched */
    MUE_ASSERT_INT_EQ(set, 8);
    /* The southern hemisphere the other way round. */
    MUE_ASSERT_INT_EQ(mue_sun_times(-75.0, 0.0, 2026, 6, 21, MUE_SUN_ZENITH_OFFICIAL, &rise, &set),
                      MUE_SUN_ALWAYS_DOWN);
}

static void test_rejects_bad_arguments(void)
{
    int64_t rise, set;

    MUE_ASSERT_INT_EQ(mue_sun_times(91.0, 0.0, 2026, 1, 1, 90.833, &rise, &set), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_sun_times(43.0, 181.0, 2026, 1, 1, 90.833, &rise, &set), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_sun_times(NAN, 5.0, 2026, 1, 1, 90.833, &rise, &set), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_sun_times(43.0, 5.0, 2026, 13, 1, 90.833, &rise, &set), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(mue_sun_times(43.0, 5.0, 2026, 1, 1, -1.0, &rise, &set), MUE_EINVAL);
}

static void test_elevation(void)
{
    int64_t rise, set, noon;

    MUE_ASSERT_INT_EQ(
        mue_sun_times(43.2965, 5.3698, 2026, 6, 21, MUE_SUN_ZENITH_OFFICIAL, &rise, &set), 0);
    /* At the official sunrise and sunset the centre is 0.833 degree below the horizon. */
    MUE_ASSERT_DBL_NEAR(mue_sun_elevation(43.2965, 5.3698, rise), -0.833, 0.05);
    MUE_ASSERT_DBL_NEAR(mue_sun_elevation(43.2965, 5.3698, set), -0.833, 0.05);
    /* At noon on the solstice: 90 - 43.2965 + 23.44. */
    noon = (rise + set) / 2;
    MUE_ASSERT_DBL_NEAR(mue_sun_elevation(43.2965, 5.3698, noon), 70.14, 0.1);
    /* At midnight, well below. */
    MUE_ASSERT(mue_sun_elevation(43.2965, 5.3698, utc(2026, 6, 21, 23, 30)) < -20.0);
    /* Before 1970 the instant still resolves. */
    MUE_ASSERT(mue_sun_elevation(0.0, 0.0, utc(1969, 3, 21, 12, 7)) > 88.0);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_matches_reference_times_within_two_minutes),
        MUE_TEST(test_day_length_and_twilight),
        MUE_TEST(test_polar_day_and_night),
        MUE_TEST(test_rejects_bad_arguments),
        MUE_TEST(test_elevation),
    };
    return mue_test_run("mue_sun", tests);
}
