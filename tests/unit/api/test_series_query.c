/* test_series_query.c - the query string of a device's series: required parameters, the range,
 * the bucket auto picks, the aggregates and the format, each refusal with its reason (the texts
 * the API answers, which tests/integration/api_series.sh also checks).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "../mue_test.h"
#include "series_query.h"

#define NOW INT64_C(1795000000000000) /* 2026-11-18T11:06:40Z */

static int parse(const char *query, struct series_query *s, char why[160])
{
    memset(s, 0, sizeof(*s));
    why[0] = '\0';
    return series_query_parse(query, NOW, s, why, 160);
}

static void test_reads_a_full_query(void)
{
    struct series_query s;
    char why[160];

    MUE_ASSERT_INT_EQ(parse("quantity=LAeq&from=2026-11-27T10:00:00Z&to=2026-11-28T10:00:00Z"
                            "&bucket=hour&agg=energetic_mean&format=csv",
                            &s, why),
                      0);
    MUE_ASSERT_STR_EQ(s.quantity, "LAeq");
    MUE_ASSERT_INT_EQ(s.from, INT64_C(1795773600000000));
    MUE_ASSERT_INT_EQ(s.to - s.from, INT64_C(86400000000));
    MUE_ASSERT_INT_EQ(s.bucket, SERIES_BUCKET_HOUR);
    MUE_ASSERT_STR_EQ(s.agg->name, "energetic_mean");
    MUE_ASSERT(s.agg->sound_only);
    MUE_ASSERT(s.csv);
}

static void test_to_defaults_to_now_and_auto_picks_by_range(void)
{
    struct series_query s;
    char why[160];

    MUE_ASSERT_INT_EQ(parse("quantity=fill_level&from=2026-11-16T11:06:40Z", &s, why), 0);
    MUE_ASSERT_INT_EQ(s.to, NOW);
    MUE_ASSERT_INT_EQ(s.bucket, SERIES_BUCKET_RAW); /* exactly 2 days */
    MUE_ASSERT_STR_EQ(s.agg->name, "mean");
    MUE_ASSERT(!s.csv);
    MUE_ASSERT_INT_EQ(parse("quantity=fill_level&from=2026-11-16T11:06:39Z", &s, why), 0);
    MUE_ASSERT_INT_EQ(s.bucket, SERIES_BUCKET_HOUR);
    MUE_ASSERT_INT_EQ(parse("quantity=fill_level&from=2026-01-01T00:00:00Z&bucket=auto", &s, why),
                      0);
    MUE_ASSERT_INT_EQ(s.bucket, SERIES_BUCKET_DAY);
    MUE_ASSERT_STR_EQ(series_query_bucket_name(s.bucket), "day");
}

static void test_refusals_say_why(void)
{
    static const struct {
        const char *query, *why;
    } cases[] = {
        { "from=2026-11-01T00:00:00Z", "quantity is required" },
        { "quantity=&from=2026-11-01T00:00:00Z",
          "quantity must be 1 to 31 letters, digits or '_' (docs/quantities.md)" },
        { "quantity=fill_level_with_a_name_too_long_to_be&from=2026-11-01T00:00:00Z",
          "quantity must be 1 to 31 letters, digits or '_' (docs/quantities.md)" },
        { "quantity=fill_level'%20OR%20'1'%3D'1&from=2026-11-01T00:00:00Z",
          "quantity must be 1 to 31 letters, digits or '_' (docs/quantities.md)" },
        { "quantity=fill_level", "from is required (RFC 3339)" },
        { "quantity=fill_level&from=yesterday",
          "from must be an RFC 3339 time, like 2026-11-28T10:00:00Z" },
        { "quantity=q&from=2026-11-01T00:00:00Z&to=2026-13-01T00:00:00Z",
          "to must be an RFC 3339 time, like 2026-11-28T10:00:00Z" },
        { "quantity=q&from=2026-11-01T00:00:00Z&to=2026-11-01T00:00:00Z",
          "from must be before to" },
        { "quantity=q&from=1990-01-01T00:00:00Z&to=2020-01-01T00:00:00Z",
          "from and to may be at most 20 years apart" },
        { "quantity=q&from=2026-11-01T00:00:00Z&bucket=week",
          "bucket must be raw, hour, day or auto" },
        { "quantity=q&from=2026-11-01T00:00:00Z&agg=median",
          "agg must be mean, min, max, sum, count, first, last or energetic_mean" },
        { "quantity=fill_level&from=2026-11-01T00:00:00Z&agg=energetic_mean",
          "agg energetic_mean is for sound levels in dB (L[ACZ]...), not fill_level" },
        { "quantity=q&from=2026-11-01T00:00:00Z&format=xml", "format must be json or csv" },
    };
    struct series_query s;
    char why[160];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        MUE_ASSERT_INT_EQ(parse(cases[i].query, &s, why), -1);
        MUE_ASSERT_STR_EQ(why, cases[i].why);
    }
    MUE_ASSERT_INT_EQ(parse(NULL, &s, why), -1);
    MUE_ASSERT_STR_EQ(why, "quantity is required");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_reads_a_full_query),
        MUE_TEST(test_to_defaults_to_now_and_auto_picks_by_range),
        MUE_TEST(test_refusals_say_why),
    };
    return mue_test_run("series_query", tests);
}
