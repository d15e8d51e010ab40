/* test_ledger.c - the simulator's ledger: a line written reads back the same, including the
 * times of posting and answer the benchmarks measure from; damaged lines are refused.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../mue_test.h"
#include "ledger.h"
#include "mue_err.h"

/* Writes 'e' as a ledger line into 'line' (header first when 'header'). */
static void write_line(const struct ledger_entry *e, char *line, size_t cap, int header)
{
    FILE *f = fmemopen(line, cap, "w");

    MUE_ASSERT(f != NULL);
    if (header)
        ledger_header(f);
    ledger_write(f, e);
    fclose(f);
}

static void test_a_written_line_reads_back_the_same(void)
{
    struct ledger_entry e = { .time_us = 1764547200123456, .dev_eui = "fe00000000000007",
                              .fcnt = 4294967295u, .fport = 85, .outcome = LEDGER_DUPLICATE,
                              .http_status = 202, .attempts = 2, .repeat = true,
                              .posted_us = 1796000000000001, .answered_us = 1796000000001503 },
                        back;
    char line[256];

    write_line(&e, line, sizeof(line), 0);
    MUE_ASSERT_INT_EQ(ledger_parse(line, &back), MUE_OK);
    MUE_ASSERT_INT_EQ(back.time_us, e.time_us);
    MUE_ASSERT_STR_EQ(back.dev_eui, e.dev_eui);
    MUE_ASSERT_UINT_EQ(back.fcnt, e.fcnt);
    MUE_ASSERT_UINT_EQ(back.fport, e.fport);
    MUE_ASSERT_STR_EQ(back.outcome, "duplicate");
    MUE_ASSERT_INT_EQ(back.http_status, 202);
    MUE_ASSERT_INT_EQ(back.attempts, 2);
    MUE_ASSERT(back.repeat);
    MUE_ASSERT_INT_EQ(back.posted_us, e.posted_us);
    MUE_ASSERT_INT_EQ(back.answered_us - back.posted_us, 1502);
}

static void test_the_header_and_blank_lines_are_skipped(void)
{
    struct ledger_entry e = { .dev_eui = "0011223344556677", .outcome = LEDGER_FAILED }, back;
    char text[512];

    write_line(&e, text, sizeof(text), 1);
    MUE_ASSERT_INT_EQ(ledger_parse(text, &back), MUE_ENOENT); /* the header line */
    MUE_ASSERT(strstr(text, "posted_us,answered_us\n") != NULL);
    MUE_ASSERT_INT_EQ(ledger_parse("\n", &back), MUE_ENOENT);
    MUE_ASSERT_INT_EQ(ledger_parse(strchr(text, '\n') + 1, &back), MUE_OK);
    MUE_ASSERT_INT_EQ(back.answered_us, 0); /* no answer came */
}

static void test_damaged_lines_are_refused(void)
{
    static const char *const bad[] = {
        /* the two time columns missing: a ledger of an older simulator */
        "1,fe00000000000007,1,85,accepted,202,1,0\n",
        "1,fe00000000000007,1,85,accepted,202,1,0,5\n",
        "1,fe0000000000007,1,85,accepted,202,1,0,5,6\n",  /* 15 digits */
        "1,fe00000000000007,1,85,accepted,202,1,0,5,6,7\n", /* a column more */
        "1,FE00000000000007,1,85,accepted,202,1,0,5,6\n",  /* upper case */
        "1,fe00000000000007,1,85,accepted,202,1,0,5,x\n",
    };
    struct ledger_entry back;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        MUE_ASSERT_INT_EQ(ledger_parse(bad[i], &back), MUE_EDECODE);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_a_written_line_reads_back_the_same),
        MUE_TEST(test_the_header_and_blank_lines_are_skipped),
        MUE_TEST(test_damaged_lines_are_refused),
    };

    return mue_test_run("ledger", tests);
}
