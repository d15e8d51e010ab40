/* test_dcat_rdflib.c - writes sample catalogues with dcat.c and has check_dcat.py (rdflib, as
 * data.gouv.fr's harvester reads them) judge them: from files, over HTTP on loopback, JSON-LD
 * against Turtle, and catalogues it must refuse. Needs /usr/bin/python3 with rdflib; runs from
 * the repository root (or set MUE_DCAT_CHECK to check_dcat.py's path).
 * SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dcat.h"
#include "mue_buf.h"
#include "mue_err.h"
#include "../../unit/loopback.h"
#include "../../unit/mue_test.h"

static char dir[64];
static int port;
static char base[64];

static const char *checker(void)
{
    const char *p = getenv("MUE_DCAT_CHECK");
    return p ? p : "tests/integration/opendata/check_dcat.py";
}

/* Runs check_dcat.py with 'args'; returns its exit status (-1 when it did not exit). */
static int check(const char *args)
{
    char cmd[1024];

    snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s %s", checker(), args);
    printf("# %s\n", cmd);
    fflush(stdout);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *const kw[] = { "mobilité", "vélo" };

static struct dcat_distribution dists[2] = {
    { "CSV", "CSV", "text/csv", NULL, 2048, "2025-06-01T00:00:00Z" },
    { "GeoJSON (carte)", "GeoJSON", "application/geo+json", NULL, -1, NULL },
};
static char urls[2][128];

static struct dcat_dataset sample(const char *id)
{
    struct dcat_dataset d = {
        .id = id,
        .title = "Comptages vélo \"boulevard\"\nà Marseille",
        .description = "Passages par quart d'heure.\\ Source : capteurs.",
        .landing_page = "https://mue.example/donnees/velo",
        .licence_url = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        .licence_title = "Licence Ouverte v2.0",
        .frequency = "hourly",
        .theme = "TRAN",
        .keywords = kw,
        .nkeywords = 2,
        .temporal_start = "2024-01-01",
        .temporal_end = "2025-06-01T00:00:00Z",
        .issued = "2024-01-02T08:00:00Z",
        .modified = "2025-06-01T02:00:00+02:00",
        .dist = dists,
        .ndist = 2,
    };
    return d;
}

static struct dcat_catalog sample_catalog(const struct dcat_dataset *ds, int nds)
{
    struct dcat_catalog c = {
        .base_url = base,
        .title = "Données ouvertes mue",
        .description = "Capteurs de la métropole.",
        .language = "fr",
        .homepage = "https://mue.example/",
        .publisher_name = "Métropole",
        .publisher_url = "https://ampmetropole.fr",
        .contact_email = "opendata@mue.example",
        .spatial_name = "Aix-Marseille",
        .bbox = { 4.8, 43.1, 5.9, 43.8 },
        .modified = "2025-06-01T02:00:00Z",
        .ds = ds,
        .nds = nds,
    };
    return c;
}

/* Writes every page of 'c' in both syntaxes into dir/<sub>/. */
static void write_all(const struct dcat_catalog *c, int per_page, const char *sub)
{
    char path[256], name[64];

    snprintf(path, sizeof(path), "%s/%s", dir, sub);
    mkdir(path, 0755);
    for (int page = 1; page <= dcat_pages(c->nds, per_page); page++) {
        for (int syntax = 0; syntax < 2; syntax++) {
            struct mue_buf b;
            mue_buf_init(&b, 0);
            int rc = syntax ? dcat_write_turtle(c, page, per_page, &b)
                            : dcat_write_jsonld(c, page, per_page, &b);
            MUE_ASSERT_INT_EQ(rc, MUE_OK);
            dcat_page_file(name, sizeof(name), page, syntax ? "ttl" : "jsonld");
            snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
            FILE *f = fopen(path, "w");
            MUE_ASSERT(f != NULL);
            fwrite(b.data, 1, b.len, f);
            fclose(f);
            mue_buf_fini(&b);
        }
    }
}

static void test_paged_files_pass(void)
{
    struct dcat_dataset ds[5] = { sample("a"), sample("b"), sample("c"), sample("d"), sample("e") };
    struct dcat_catalog c = sample_catalog(ds, 5);
    char args[512];

    ds[1].frequency = "15min";
    ds[2].theme = "ENVI";
    write_all(&c, 2, "opendata");
    snprintf(args, sizeof(args), "--expect-ids a,b,c,d,e %s/opendata/catalog.jsonld", dir);
    MUE_ASSERT_INT_EQ(check(args), 0);
    snprintf(args, sizeof(args), "--expect-ids a,b,c,d,e %s/opendata/catalog.ttl", dir);
    MUE_ASSERT_INT_EQ(check(args), 0);
    snprintf(args, sizeof(args), "--same %s/opendata/catalog.jsonld %s/opendata/catalog.ttl", dir,
             dir);
    MUE_ASSERT_INT_EQ(check(args), 0);
}

static void test_one_page_passes(void)
{
    struct dcat_dataset ds[2] = { sample("x"), sample("y") };
    struct dcat_catalog c = sample_catalog(ds, 2);
    char args[512];

    write_all(&c, 10, "single");
    snprintf(args, sizeof(args),
             "--expect-ids x,y %s/single/catalog.ttl --same %s/single/catalog.jsonld "
             "%s/single/catalog.ttl",
             dir, dir, dir);
    MUE_ASSERT_INT_EQ(check(args), 0);
}

static void test_wrong_ids_missing_fields_and_broken_pages_fail(void)
{
    struct dcat_dataset ds[3] = { sample("p"), sample("q"), sample("r") };
    struct dcat_catalog c = sample_catalog(ds, 3);
    char args[512], path[256];

    write_all(&c, 2, "paged");
    printf("# each check_dcat.py run below must find a failure (not ok, exit 1)\n");
    snprintf(args, sizeof(args), "--expect-ids p,q %s/paged/catalog.jsonld", dir);
    MUE_ASSERT_INT_EQ(check(args), 1);

    /* Valid for dcat.c, not enough for a harvester: no keyword, licence, period, frequency. */
    ds[1].nkeywords = 0;
    ds[1].licence_url = NULL;
    ds[1].temporal_start = ds[1].temporal_end = NULL;
    ds[1].frequency = NULL;
    write_all(&c, 10, "thin");
    snprintf(args, sizeof(args), "%s/thin/catalog.ttl", dir);
    MUE_ASSERT_INT_EQ(check(args), 1);

    /* JSON-LD and Turtle of different catalogues are not the same graph. */
    snprintf(args, sizeof(args), "--same %s/thin/catalog.jsonld %s/paged/catalog.ttl", dir, dir);
    MUE_ASSERT_INT_EQ(check(args), 1);

    /* A page cut short is a parse failure, not a crash. */
    snprintf(path, sizeof(path), "%s/paged/catalog-2.ttl", dir);
    MUE_ASSERT_INT_EQ(truncate(path, 200), 0);
    snprintf(args, sizeof(args), "%s/paged/catalog.ttl", dir);
    MUE_ASSERT_INT_EQ(check(args), 1);
    /* A missing page too. */
    snprintf(path, sizeof(path), "%s/paged/catalog-2.jsonld", dir);
    MUE_ASSERT_INT_EQ(unlink(path), 0);
    snprintf(args, sizeof(args), "%s/paged/catalog.jsonld", dir);
    MUE_ASSERT_INT_EQ(check(args), 1);
}

static void test_pages_followed_over_http(void)
{
    char args[512];
    pid_t server = fork();

    if (server == 0) {
        char p[16];
        snprintf(p, sizeof(p), "%d", port);
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl("/usr/bin/python3", "python3", "-m", "http.server", p, "--bind", "127.0.0.1",
              "--directory", dir, (char *)NULL);
        _exit(127);
    }
    MUE_ASSERT(server > 0);
    /* Wait until it listens. */
    int up = 0;
    for (int i = 0; i < 100 && !up; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        up = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
        close(fd);
        if (!up)
            nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
    }
    snprintf(args, sizeof(args), "--expect-ids a,b,c,d,e %s/opendata/catalog.jsonld", base);
    int rc = up ? check(args) : -2;
    snprintf(args, sizeof(args), "--same %s/opendata/catalog.ttl %s/opendata/catalog.jsonld", base,
             base);
    int same = up ? check(args) : -2;
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    MUE_ASSERT_INT_EQ(up, 1);
    MUE_ASSERT_INT_EQ(rc, 0);
    MUE_ASSERT_INT_EQ(same, 0);
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_paged_files_pass),
        MUE_TEST(test_one_page_passes),
        MUE_TEST(test_wrong_ids_missing_fields_and_broken_pages_fail),
        MUE_TEST(test_pages_followed_over_http),
    };
    char cmd[128];

    snprintf(dir, sizeof(dir), "/tmp/mue-dcat.XXXXXX");
    if (!mkdtemp(dir) || (port = free_port()) < 0) {
        perror("setup");
        return 1;
    }
    snprintf(base, sizeof(base), "http://127.0.0.1:%d", port);
    for (int i = 0; i < 2; i++) {
        snprintf(urls[i], sizeof(urls[i]), "%s/opendata/velo/velo.%s", base, i ? "geojson" : "csv");
        dists[i].url = urls[i];
    }
    int rc = mue_test_run("dcat_rdflib", tests);
    if (!getenv("MUE_KEEP_TMP")) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir); /* the folder mkdtemp made above */
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    } else {
        fprintf(stderr, "kept %s\n", dir);
    }
    return rc;
}
