/* dcat_vocab.c - tables of the EU authority codes the catalogue uses (DCAT-AP's controlled
 * vocabularies), from our own names to their IRIs.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "dcat_vocab.h"

#define EU_AUTHORITY "http://publications.europa.eu/resource/authority/"

struct code_map {
    const char *ours;
    const char *iri;
};

/* The EU table has 15MIN, but data.gouv.fr's harvester knows neither it nor HOURLY and drops
 * them; UPDATE_CONT ("continuously updated") it maps to "continuous", the closest for data
 * refreshed every quarter of an hour. */
static const struct code_map frequencies[] = {
    { "15min", EU_AUTHORITY "frequency/UPDATE_CONT" },
    { "hourly", EU_AUTHORITY "frequency/HOURLY" },
    { "daily", EU_AUTHORITY "frequency/DAILY" },
    { "weekly", EU_AUTHORITY "frequency/WEEKLY" },
    { "monthly", EU_AUTHORITY "frequency/MONTHLY" },
};

static const struct code_map themes[] = {
    { "AGRI", EU_AUTHORITY "data-theme/AGRI" },
    { "ECON", EU_AUTHORITY "data-theme/ECON" },
    { "EDUC", EU_AUTHORITY "data-theme/EDUC" },
    { "ENER", EU_AUTHORITY "data-theme/ENER" },
    { "ENVI", EU_AUTHORITY "data-theme/ENVI" },
    { "GOVE", EU_AUTHORITY "data-theme/GOVE" },
    { "HEAL", EU_AUTHORITY "data-theme/HEAL" },
    { "INTR", EU_AUTHORITY "data-theme/INTR" },
    { "JUST", EU_AUTHORITY "data-theme/JUST" },
    { "REGI", EU_AUTHORITY "data-theme/REGI" },
    { "SOCI", EU_AUTHORITY "data-theme/SOCI" },
    { "TECH", EU_AUTHORITY "data-theme/TECH" },
    { "TRAN", EU_AUTHORITY "data-theme/TRAN" },
    { "OP_DATPRO", EU_AUTHORITY "data-theme/OP_DATPRO" },
};

const char dcat_vocab_theme_scheme[] = EU_AUTHORITY "data-theme";

static const struct code_map languages[] = {
    { "fr", EU_AUTHORITY "language/FRA" }, { "en", EU_AUTHORITY "language/ENG" },
    { "oc", EU_AUTHORITY "language/OCI" }, { "it", EU_AUTHORITY "language/ITA" },
    { "es", EU_AUTHORITY "language/SPA" }, { "de", EU_AUTHORITY "language/DEU" },
    { "ca", EU_AUTHORITY "language/CAT" }, { "nl", EU_AUTHORITY "language/NLD" },
    { "pt", EU_AUTHORITY "language/POR" },
};

static const struct code_map file_types[] = {
    { "CSV", EU_AUTHORITY "file-type/CSV" },
    { "GeoJSON", EU_AUTHORITY "file-type/GEOJSON" },
    { "JSON", EU_AUTHORITY "file-type/JSON" },
    { "JSON-LD", EU_AUTHORITY "file-type/JSON_LD" },
};

#define LOOKUP(table, key, cmp)                                                                    \
    do {                                                                                           \
        if (!(key))                                                                                \
            return NULL;                                                                           \
        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)                              \
            if (cmp(table[i].ours, (key)) == 0)                                                    \
                return table[i].iri;                                                               \
        return NULL;                                                                               \
    } while (0)

const char *dcat_vocab_frequency(const char *frequency)
{
    LOOKUP(frequencies, frequency, strcmp);
}

const char *dcat_vocab_theme(const char *code)
{
    LOOKUP(themes, code, strcmp);
}

const char *dcat_vocab_language(const char *code)
{
    LOOKUP(languages, code, strcmp);
}

const char *dcat_vocab_file_type(const char *format)
{
    LOOKUP(file_types, format, strcasecmp);
}
