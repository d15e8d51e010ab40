/* test_site_files.c - which file answers which URL of the site: clean URLs, folders' index pages,
 * assets as they are, and nothing outside the folder or hidden, whatever the path says.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../mue_test.h"
#include "site_files.h"

static char root[64];

static void put(const char *rel)
{
    char name[256];
    FILE *f;

    snprintf(name, sizeof(name), "%s/%s", root, rel);
    f = fopen(name, "w");
    MUE_ASSERT(f != NULL);
    fputs("x", f);
    fclose(f);
}

static void make_site(void)
{
    char dir[128];

    snprintf(root, sizeof(root), "/tmp/mue-site.XXXXXX");
    MUE_ASSERT(mkdtemp(root) != NULL);
    snprintf(dir, sizeof(dir), "%s/supervision", root);
    mkdir(dir, 0755);
    snprintf(dir, sizeof(dir), "%s/assets", root);
    mkdir(dir, 0755);
    put("index.html");
    put("bruit.html");
    put(".env");
    put("supervision/index.html");
    put("supervision/alertes.html");
    put("assets/site.css");
}

static void remove_site(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    MUE_ASSERT(system(cmd) == 0);
}

/* The file 'path' resolves to, relative to the root, or "-" when none. */
static const char *resolve(const char *path)
{
    static char file[512];

    if (site_resolve(root, path, file, sizeof(file)) != 0)
        return "-";
    return file + strlen(root);
}

static void test_clean_urls_name_their_pages(void)
{
    make_site();
    MUE_ASSERT_STR_EQ(resolve("/"), "/index.html");
    MUE_ASSERT_STR_EQ(resolve("/bruit"), "/bruit.html");
    MUE_ASSERT_STR_EQ(resolve("/supervision/"), "/supervision/index.html");
    MUE_ASSERT_STR_EQ(resolve("/supervision/alertes"), "/supervision/alertes.html");
    MUE_ASSERT_STR_EQ(resolve("/assets/site.css"), "/assets/site.css");
    MUE_ASSERT_STR_EQ(resolve("/bruit.html"), "/bruit.html");
    remove_site();
}

static void test_missing_files_and_folders_are_not_pages(void)
{
    make_site();
    MUE_ASSERT_STR_EQ(resolve("/eau"), "-");
    MUE_ASSERT_STR_EQ(resolve("/supervision"), "-"); /* a folder: the server redirects */
    MUE_ASSERT_STR_EQ(resolve("/assets"), "-");
    MUE_ASSERT_STR_EQ(resolve("/assets/"), "-");
    MUE_ASSERT_STR_EQ(resolve(""), "-");
    remove_site();
}

static void test_no_path_leaves_the_folder_or_reaches_a_hidden_file(void)
{
    make_site();
    MUE_ASSERT_STR_EQ(resolve("/../etc/passwd"), "-");
    MUE_ASSERT_STR_EQ(resolve("/assets/../bruit.html"), "-");
    MUE_ASSERT_STR_EQ(resolve("/assets/.."), "-");
    MUE_ASSERT_STR_EQ(resolve("/./bruit"), "-");
    MUE_ASSERT_STR_EQ(resolve("/.env"), "-");
    MUE_ASSERT_STR_EQ(resolve("//bruit"), "-");
    MUE_ASSERT_STR_EQ(resolve("/assets//site.css"), "-");
    MUE_ASSERT_STR_EQ(resolve("\\bruit"), "-");
    MUE_ASSERT_STR_EQ(resolve("/assets\\site.css"), "-");
    MUE_ASSERT_STR_EQ(resolve("bruit"), "-");
    remove_site();
}

static void test_a_name_too_long_is_refused_not_cut(void)
{
    char path[700];

    make_site();
    path[0] = '/';
    memset(path + 1, 'a', sizeof(path) - 2);
    path[sizeof(path) - 1] = '\0';
    MUE_ASSERT_STR_EQ(resolve(path), "-");
    remove_site();
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_clean_urls_name_their_pages),
        MUE_TEST(test_missing_files_and_folders_are_not_pages),
        MUE_TEST(test_no_path_leaves_the_folder_or_reaches_a_hidden_file),
        MUE_TEST(test_a_name_too_long_is_refused_not_cut),
    };
    return mue_test_run("site_files", tests);
}
