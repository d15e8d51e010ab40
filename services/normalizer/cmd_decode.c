/* cmd_decode.c - mue-decode: decodes one payload with a model's codec, for people commissioning
 * sensors; prints the measurements as JSON.
 * SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "codec.h"
#include "derive.h"
#include "mue_base64.h"
#include "mue_config.h"
#include "mue_err.h"
#include "quantity.h"

static const char usage[] =
    "Usage: mue-decode --model MODEL --fport N (--hex HEX | --base64 B64)\n"
    "                  [--use-case UC --params JSON]\n"
    "       mue-decode --list-models\n"
    "       mue-decode --list-quantities [--markdown]\n\n"
    "Decodes one LoRaWAN payload with the codec of MODEL and prints the measurements as JSON\n"
    "(quantity, value, unit), the frame's attributes and the device's warnings. With --use-case\n"
    "and --params (the device's installation parameters) the derived quantities are added too.\n"
    "Exit status: 0 decoded, 2 the payload or the arguments are refused.\n";

static int list_models(void)
{
    for (const struct codec *const *c = codec_list; *c != NULL; c++)
        printf("%-22s %s %s\n", (*c)->model, (*c)->vendor, (*c)->name);
    return 0;
}

static int list_quantities(int markdown)
{
    if (markdown)
        printf("| quantity | unit | meaning | Smart Data Models |\n|---|---|---|---|\n");
    for (const struct quantity *q = quantity_table; q->name != NULL; q++) {
        if (markdown)
            printf("| `%s%s` | %s | %s | %s |\n", q->name, q->indexed ? "_N" : "", q->unit,
                   q->meaning, q->sdm ? q->sdm : "—");
        else
            printf("%-24s %-8s %s\n", q->name, q->unit, q->meaning);
    }
    return 0;
}

static json_t *result_json(const struct codec *c, unsigned fport, const struct codec_result *r)
{
    json_t *out = json_object(), *ms = json_array(), *attrs = json_object(), *warns = json_array();

    json_object_set_new(out, "model", json_string(c->model));
    json_object_set_new(out, "fport", json_integer(fport));
    for (size_t i = 0; i < r->n; i++) {
        const struct quantity *q = quantity_find(r->r[i].quantity);
        json_t *m = json_pack("{s:s, s:f, s:s}", "quantity", r->r[i].quantity, "value",
                              r->r[i].value, "unit", q ? q->unit : "?");
        if (r->r[i].time_us != 0)
            json_object_set_new(m, "time_us", json_integer(r->r[i].time_us));
        json_array_append_new(ms, m);
    }
    for (size_t i = 0; i < r->nattr; i++)
        json_object_set_new(attrs, r->attr[i].key, json_string(r->attr[i].value));
    for (size_t i = 0; i < r->nwarn; i++)
        json_array_append_new(warns, json_string(r->warning[i]));
    json_object_set_new(out, "measurements", ms);
    json_object_set_new(out, "attributes", attrs);
    json_object_set_new(out, "warnings", warns);
    return out;
}

static int payload_from(const char *hex, const char *b64, uint8_t *buf, size_t cap)
{
    if (hex != NULL)
        return mue_hex_decode(hex, strlen(hex), buf, cap);
    return mue_base64_decode(b64, strlen(b64), buf, cap);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "model", required_argument, NULL, 'm' },
        { "fport", required_argument, NULL, 'f' },
        { "hex", required_argument, NULL, 'x' },
        { "base64", required_argument, NULL, 'b' },
        { "use-case", required_argument, NULL, 'u' },
        { "params", required_argument, NULL, 'p' },
        { "list-models", no_argument, NULL, 'L' },
        { "list-quantities", no_argument, NULL, 'Q' },
        { "markdown", no_argument, NULL, 'M' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *model = NULL, *fport_text = NULL, *hex = NULL, *b64 = NULL, *use_case = NULL,
               *params_text = NULL;
    int c, list_m = 0, list_q = 0, markdown = 0, n, rc = 2;
    long fport = 0;
    uint8_t payload[1024];
    struct codec_result res;
    json_t *params = NULL, *out;
    json_error_t jerr;
    const struct codec *codec;

    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            model = optarg;
            break;
        case 'f':
            fport_text = optarg;
            break;
        case 'x':
            hex = optarg;
            break;
        case 'b':
            b64 = optarg;
            break;
        case 'u':
            use_case = optarg;
            break;
        case 'p':
            params_text = optarg;
            break;
        case 'L':
            list_m = 1;
            break;
        case 'Q':
            list_q = 1;
            break;
        case 'M':
            markdown = 1;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 2;
        }
    }
    if (list_m)
        return list_models();
    if (list_q)
        return list_quantities(markdown);
    if (model == NULL || fport_text == NULL || (hex == NULL) == (b64 == NULL)) {
        fputs(usage, stderr);
        return 2;
    }
    codec = codec_find(model);
    if (codec == NULL) {
        fprintf(stderr, "mue-decode: no codec for model '%s' (see --list-models)\n", model);
        return 2;
    }
    if (mue_config_parse_long(fport_text, 0, 255, &fport) < 0) {
        fprintf(stderr, "mue-decode: --fport must be an integer from 0 to 255\n");
        return 2;
    }
    n = payload_from(hex, b64, payload, sizeof(payload));
    if (n < 0) {
        fprintf(stderr, "mue-decode: the payload is not valid %s (%s)\n", hex ? "hex" : "base64",
                mue_strerror(n));
        return 2;
    }
    if (params_text != NULL) {
        params = json_loads(params_text, 0, &jerr);
        if (!json_is_object(params)) {
            fprintf(stderr, "mue-decode: --params must be a JSON object (%s)\n", jerr.text);
            goto out;
        }
    }
    memset(&res, 0, sizeof(res));
    if (codec_decode(codec, payload, (size_t)n, (unsigned)fport, &res) < 0) {
        fprintf(stderr, "mue-decode: %s rejects the payload: %s\n", model, res.reason);
        goto out;
    }
    if (use_case != NULL && derive_apply(use_case, params, &res) < 0) {
        fprintf(stderr, "mue-decode: the parameters cannot be applied: %s\n", res.reason);
        goto out;
    }
    out = result_json(codec, (unsigned)fport, &res);
    json_dumpf(out, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    putchar('\n');
    json_decref(out);
    rc = 0;
out:
    json_decref(params);
    return rc;
}
