/* test_sun.c - "mue-admin sun": its two lines against the PyEphem reference table, rounded to
 * the minute, and its refusal of bad arguments.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../mue_test.h"
#include "mue_err.h"
#include "sun.h"

/* Rows of tests/data/sun/refs_2026.tsv (PyEphem, Europe/Paris time), chosen with both events
 * at least 8 s from a half minute so that mue_sun's few seconds cannot change the rounding:
 * Marseille 2027-03-28 (summer time starts) 07:28:11 19:59:52, Marseille 2026-12-22
 * 08:07:58 17:06:12, Aix 2026-06-21 05:57:12 21:22:51, Aix 2027-10-31 (summer time ends)
 * 07:11:57 17:31:08. */
static const struct {
    double lat, lon;
    int y, m, d;
    const char *want;
} refs[] = {
    { 43.2965, 5.3698, 2027, 3, 28, "sunrise 07:28\nsunset 20:00\n" },
    { 43.2965, 5.3698, 2026, 12, 22, "sunrise 08:08\nsunset 17:06\n" },
    { 43.5297, 5.4474, 2026, 6, 21, "sunrise 05:57\nsunset 21:23\n" },
    { 43.5297, 5.4474, 2027, 10, 31, "sunrise 07:12\nsunset 17:31\n" },
};

static void test_lines_are_the_reference_times_rounded_to_the_minute(void)
{
    for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
        char out[SUN_LINES_CAP];

        MUE_ASSERT_INT_EQ(
            sun_lines(refs[i].lat, refs[i].lon, refs[i].y, refs[i].m, refs[i].d, out, sizeof(out)),
            MUE_OK);
        MUE_ASSERT_STR_EQ(out, refs[i].want);
    }
}

static void test_polar_day_and_night_say_none(void)
{
    char out[SUN_LINES_CAP];

    /* Tromsø, 69.65 N. */
    MUE_ASSERT_INT_EQ(sun_lines(69.65, 18.96, 2026, 6, 21, out, sizeof(out)), MUE_OK);
    MUE_ASSERT_STR_EQ(out, "sunrise none (sun always up)\nsunset none (sun always up)\n");
    MUE_ASSERT_INT_EQ(sun_lines(69.65, 18.96, 2026, 12, 21, out, sizeof(out)), MUE_OK);
    MUE_ASSERT_STR_EQ(out, "sunrise none (sun always down)\nsunset none (sun always down)\n");
}

static void test_lines_refuse_values_out_of_range(void)
{
    char out[SUN_LINES_CAP] = "untouched";

    MUE_ASSERT_INT_EQ(sun_lines(90.5, 5.0, 2026, 1, 1, out, sizeof(out)), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(sun_lines(43.0, -180.5, 2026, 1, 1, out, sizeof(out)), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(sun_lines(NAN, 5.0, 2026, 1, 1, out, sizeof(out)), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(sun_lines(43.0, 5.0, 2026, 2, 29, out, sizeof(out)), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(sun_lines(43.0, 5.0, 2026, 4, 31, out, sizeof(out)), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(sun_lines(43.0, 5.0, 2026, 13, 1, out, sizeof(out)), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(sun_lines(43.0, 5.0, 1899, 12, 31, out, sizeof(out)), MUE_EINVAL);
    MUE_ASSERT_INT_EQ(sun_lines(43.0, 5.0, 2026, 1, 1, out, SUN_LINES_CAP - 1), MUE_EINVAL);
    MUE_ASSERT_STR_EQ(out, "untouched");
    /* The edges are places. */
    MUE_ASSERT_INT_EQ(sun_lines(-90.0, 180.0, 2028, 2, 29, out, sizeof(out)), MUE_OK);
}

/* What one sun_command call printed. */
struct run {
    int status;
    char out[256];
    char err[512];
};

/* Points 'fd' at a fresh temporary file; returns the saved descriptor. */
static int capture_begin(int fd, FILE **tmp)
{
    int saved;

    fflush(stdout);
    fflush(stderr);
    *tmp = tmpfile();
    saved = dup(fd);
    dup2(fileno(*tmp), fd);
    return saved;
}

static void capture_end(int fd, int saved, FILE *tmp, char *buf, size_t cap)
{
    size_t n;

    fflush(stdout);
    fflush(stderr);
    dup2(saved, fd);
    close(saved);
    rewind(tmp);
    n = fread(buf, 1, cap - 1, tmp);
    buf[n] = '\0';
    fclose(tmp);
}

/* Runs sun_command on 'args' (NULL-terminated, at most 8). */
static void run_sun(const char *const *args, struct run *r)
{
    char *argv[9];
    int argc = 0;
    FILE *out_tmp, *err_tmp;
    int out_fd, err_fd;

    while (argc < 8 && args[argc] != NULL) {
        argv[argc] = (char *)args[argc]; /* sun_command does not write them */
        argc++;
    }
    argv[argc] = NULL;
    out_fd = capture_begin(STDOUT_FILENO, &out_tmp);
    err_fd = capture_begin(STDERR_FILENO, &err_tmp);
    r->status = sun_command(argc, argv);
    capture_end(STDERR_FILENO, err_fd, err_tmp, r->err, sizeof(r->err));
    capture_end(STDOUT_FILENO, out_fd, out_tmp, r->out, sizeof(r->out));
}

static void test_command_prints_the_two_lines(void)
{
    static const char *const args[] = { "sun",    "--lat",  "43.2965",    "--lon",
                                        "5.3698", "--date", "2027-03-28", NULL };
    static const char *const args_eq[] = { "sun", "--date=2026-06-21", "--lon=5.4474",
                                           "--lat=43.5297", NULL };
    struct run r;

    run_sun(args, &r);
    MUE_ASSERT_INT_EQ(r.status, 0);
    MUE_ASSERT_STR_EQ(r.out, "sunrise 07:28\nsunset 20:00\n");
    MUE_ASSERT_STR_EQ(r.err, "");
    run_sun(args_eq, &r);
    MUE_ASSERT_INT_EQ(r.status, 0);
    MUE_ASSERT_STR_EQ(r.out, "sunrise 05:57\nsunset 21:23\n");
}

static void test_command_refuses_bad_arguments_in_one_line(void)
{
    static const struct {
        const char *args[9];
        const char *err;
    } bad[] = {
        { { "sun", "--lat", "43.3", "--lon", "5.4" },
          "mue-admin sun: --date is required (usage: mue-admin sun --lat LAT --lon LON --date "
          "YYYY-MM-DD)\n" },
        { { "sun" },
          "mue-admin sun: --lat is required (usage: mue-admin sun --lat LAT --lon LON --date "
          "YYYY-MM-DD)\n" },
        { { "sun", "--lat", "91", "--lon", "5.4", "--date", "2026-06-21" },
          "mue-admin sun: --lat must be a number from -90 to 90, not '91'\n" },
        { { "sun", "--lat", "43,3", "--lon", "5.4", "--date", "2026-06-21" },
          "mue-admin sun: --lat must be a number from -90 to 90, not '43,3'\n" },
        { { "sun", "--lat", "nan", "--lon", "5.4", "--date", "2026-06-21" },
          "mue-admin sun: --lat must be a number from -90 to 90, not 'nan'\n" },
        { { "sun", "--lat", "43.3", "--lon", "-180.1", "--date", "2026-06-21" },
          "mue-admin sun: --lon must be a number from -180 to 180, not '-180.1'\n" },
        { { "sun", "--lat", "43.3", "--lon", "", "--date", "2026-06-21" },
          "mue-admin sun: --lon must be a number from -180 to 180, not ''\n" },
        { { "sun", "--lat", "43.3", "--lon", "5.4", "--date", "2026-02-29" },
          "mue-admin sun: --date must be a real date YYYY-MM-DD from 1900 to 2100, not "
          "'2026-02-29'\n" },
        { { "sun", "--lat", "43.3", "--lon", "5.4", "--date", "2026-6-21" },
          "mue-admin sun: --date must be a real date YYYY-MM-DD from 1900 to 2100, not "
          "'2026-6-21'\n" },
        { { "sun", "--lat", "43.3", "--lon", "5.4", "--date", "21/06/2026" },
          "mue-admin sun: --date must be a real date YYYY-MM-DD from 1900 to 2100, not "
          "'21/06/2026'\n" },
        { { "sun", "--lat", "43.3", "--lon", "5.4", "--date" },
          "mue-admin sun: --date needs a value\n" },
        { { "sun", "--lat", "43.3", "--lat", "43.4", "--lon", "5.4" },
          "mue-admin sun: --lat given twice\n" },
        { { "sun", "--latitude", "43.3" },
          "mue-admin sun: unknown argument '--latitude' (usage: mue-admin sun --lat LAT --lon "
          "LON --date YYYY-MM-DD)\n" },
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct run r;

        run_sun(bad[i].args, &r);
        MUE_ASSERT_INT_EQ(r.status, 2);
        MUE_ASSERT_STR_EQ(r.err, bad[i].err);
        MUE_ASSERT_STR_EQ(r.out, "");
    }
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_lines_are_the_reference_times_rounded_to_the_minute),
        MUE_TEST(test_polar_day_and_night_say_none),
        MUE_TEST(test_lines_refuse_values_out_of_range),
        MUE_TEST(test_command_prints_the_two_lines),
        MUE_TEST(test_command_refuses_bad_arguments_in_one_line),
    };
    return mue_test_run("sun", tests);
}
