/* fuzz_talq.c - libFuzzer target: the TALQ program and calendar readers on any bytes, and what they
 * accept written back and read again to the same text.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mue_err.h"
#include "talq_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(int rc, const char *why)
{
    if (rc != MUE_OK && rc != MUE_EINVAL)
        abort();
    if (rc == MUE_EINVAL && (why[0] == '\0' || memchr(why, '\0', 256) == NULL))
        abort();
}

/* What the reader accepts the writer says, and the reader reads the same again. */
static void check_program(const struct light_program *p)
{
    struct light_program again;
    char *text, *text2;

    if (strnlen(p->id, LIGHT_ID_MAX) == 0 || strnlen(p->id, LIGHT_ID_MAX) >= LIGHT_ID_MAX ||
        p->nsteps < 0 || p->nsteps > LIGHT_MAX_STEPS)
        abort();
    for (int i = 0; i < p->nsteps; i++)
        if (p->steps[i].level < 0 || p->steps[i].level > 100 || p->steps[i].ramp_s < 0 ||
            p->steps[i].at.minutes < -720 || p->steps[i].at.minutes >= LIGHT_DAY_MIN)
            abort();
    text = talq_program_json(p);
    if (text == NULL || talq_program_parse(text, strlen(text), &again, NULL, 0) != MUE_OK)
        abort();
    text2 = talq_program_json(&again);
    if (text2 == NULL || strcmp(text, text2) != 0)
        abort();
    free(text);
    free(text2);
}

static void check_calendar(const struct light_calendar *c)
{
    static struct light_calendar again;
    char *text, *text2;

    if (strnlen(c->id, LIGHT_ID_MAX) == 0 || c->nrules < 0 || c->nrules > LIGHT_MAX_RULES)
        abort();
    for (int i = 0; i < c->nrules; i++) {
        const struct light_rule *r = &c->rules[i];
        if (r->nspans < 0 || r->nspans > LIGHT_MAX_SPANS || r->program[0] == '\0')
            abort();
        /* Matching any date must not crash either. */
        (void)light_rule_matches(r, 20454 + i * 11);
    }
    text = talq_calendar_json(c);
    if (text == NULL || talq_calendar_parse(text, strlen(text), &again, NULL, 0) != MUE_OK)
        abort();
    text2 = talq_calendar_json(&again);
    if (text2 == NULL || strcmp(text, text2) != 0)
        abort();
    free(text);
    free(text2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct light_calendar c;
    struct light_program p;
    char why[256];
    int rc;

    why[0] = '\0';
    rc = talq_program_parse((const char *)data, size, &p, why, sizeof(why));
    check_error(rc, why);
    if (rc == MUE_OK)
        check_program(&p);
    why[0] = '\0';
    rc = talq_calendar_parse((const char *)data, size, &c, why, sizeof(why));
    check_error(rc, why);
    if (rc == MUE_OK)
        check_calendar(&c);
    return 0;
}
