/* test_csv.c - the CSV reader of registry imports.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "../mue_test.h"
#include "csv.h"
#include "mue_err.h"

static struct csv c;
static char reason[128];

static int parse(const char *text)
{
    csv_fini(&c);
    reason[0] = '\0';
    return csv_parse(text, strlen(text), &c, reason, sizeof(reason));
}

static void test_plain_lines_become_records_of_fields(void)
{
    MUE_ASSERT_INT_EQ(parse("a,b,c\n1,2,3\n"), MUE_OK);
    MUE_ASSERT_UINT_EQ(c.n, 2);
    MUE_ASSERT_UINT_EQ(c.rec[1].n, 3);
    MUE_ASSERT_STR_EQ(c.rec[1].field[2], "3");
    MUE_ASSERT_UINT_EQ(c.rec[1].line, 2);
}

static void test_quotes_keep_separators_newlines_and_doubled_quotes(void)
{
    MUE_ASSERT_INT_EQ(
        parse("name,note\r\n\"PAV verre, Aix\",\"dit \"\"la Rotonde\"\"\nsur 2 lignes\"\r\n"),
        MUE_OK);
    MUE_ASSERT_UINT_EQ(c.n, 2);
    MUE_ASSERT_STR_EQ(c.rec[1].field[0], "PAV verre, Aix");
    MUE_ASSERT_STR_EQ(c.rec[1].field[1], "dit \"la Rotonde\"\nsur 2 lignes");
}

static void test_semicolons_are_the_separator_when_the_header_uses_them(void)
{
    MUE_ASSERT_INT_EQ(parse("dev_eui;latitude\n24e1;43,52\n"), MUE_OK);
    MUE_ASSERT_STR_EQ(c.rec[1].field[1], "43,52");
}

static void test_empty_lines_and_a_missing_final_newline(void)
{
    MUE_ASSERT_INT_EQ(parse("a,b\n\n1,\n"), MUE_OK);
    MUE_ASSERT_UINT_EQ(c.n, 2);
    MUE_ASSERT_STR_EQ(c.rec[1].field[1], "");
    MUE_ASSERT_INT_EQ(parse("a,b\n1,2"), MUE_OK);
    MUE_ASSERT_UINT_EQ(c.n, 2);
    MUE_ASSERT_INT_EQ(parse(""), MUE_OK);
    MUE_ASSERT_UINT_EQ(c.n, 0);
}

static void test_broken_quoting_names_the_line(void)
{
    MUE_ASSERT_INT_EQ(parse("a\n\"open"), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "line 2: quote not closed");
    MUE_ASSERT_INT_EQ(parse("a,b\nx,\"q\"z\n"), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "line 2: text after a closing quote");
    MUE_ASSERT_UINT_EQ(c.n, 0);
}

static void test_nul_bytes_are_refused(void)
{
    static const char text[] = { 'a', ',', 'b', '\n', '1', '\0', '2', '\n' };
    csv_fini(&c);
    MUE_ASSERT_INT_EQ(csv_parse(text, sizeof(text), &c, reason, sizeof(reason)), MUE_EDECODE);
    MUE_ASSERT_STR_EQ(reason, "line 2: NUL byte");
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_plain_lines_become_records_of_fields),
        MUE_TEST(test_quotes_keep_separators_newlines_and_doubled_quotes),
        MUE_TEST(test_semicolons_are_the_separator_when_the_header_uses_them),
        MUE_TEST(test_empty_lines_and_a_missing_final_newline),
        MUE_TEST(test_broken_quoting_names_the_line),
        MUE_TEST(test_nul_bytes_are_refused),
    };
    int rc = mue_test_run("csv", tests);
    csv_fini(&c);
    return rc;
}
