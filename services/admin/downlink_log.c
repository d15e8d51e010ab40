/* downlink_log.c - the DOWNLINKS stream read back, oldest first, for operators.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "downlink_log.h"
#include "mue/v1/downlink.pb-c.h"
#include "mue_base64.h"
#include "mue_bus.h"
#include "mue_err.h"
#include "mue_subjects.h"
#include "mue_time.h"

static const char *state_name(Mue__V1__DownlinkState s)
{
    switch (s) {
    case MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_QUEUED:
        return "queued";
    case MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_SENT:
        return "sent";
    case MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_ACKED:
        return "acknowledged";
    case MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_NACKED:
        return "not_acknowledged";
    case MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_FAILED:
        return "failed";
    case MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_EXPIRED:
        return "expired";
    case MUE__V1__DOWNLINK_STATE__DOWNLINK_STATE_RETRYING:
        return "retrying";
    default:
        return "unknown";
    }
}

/* The network servers' queue item ids of the downlink asked for: a status that came back
 * before the forwarder recorded its item (or while the bucket was away) carries only that. */
struct refs {
    size_t n;
    char ref[16][80];
};

static bool wanted(const struct downlink_log_filter *f, const char *id, const char *dev_eui)
{
    return (f->id == NULL || strcmp(f->id, id) == 0) &&
           (f->dev_eui == NULL || strcasecmp(f->dev_eui, dev_eui) == 0);
}

static bool has_ref(const struct refs *refs, const char *ref)
{
    for (size_t i = 0; ref[0] != '\0' && i < refs->n; i++)
        if (strcmp(refs->ref[i], ref) == 0)
            return true;
    return false;
}

static bool wanted_status(const struct downlink_log_filter *f, const struct refs *refs,
                          const Mue__V1__DownlinkStatus *s)
{
    if (f->id != NULL && s->id[0] == '\0' && has_ref(refs, s->network_ref))
        return f->dev_eui == NULL || strcasecmp(f->dev_eui, s->dev_eui) == 0;
    return wanted(f, s->id, s->dev_eui);
}

static json_t *request_line(const Mue__V1__DownlinkRequest *q)
{
    char hex[2 * 256 + 1] = "", ts[40];

    if (q->payload.len <= 256)
        mue_hex_encode(q->payload.data, q->payload.len, hex, sizeof(hex));
    mue_time_format(q->requested_at_us, ts, sizeof(ts));
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:b, s:s}", "time", ts, "kind", "request",
                     "id", q->id, "network", q->network, "dev_eui", q->dev_eui, "f_port",
                     (int)q->f_port, "payload_hex", hex, "confirmed", (int)q->confirmed, "origin",
                     q->origin);
}

static json_t *status_line(const Mue__V1__DownlinkStatus *s)
{
    char ts[40];

    mue_time_format(s->time_us, ts, sizeof(ts));
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s}", "time", ts, "kind",
                     "status", "id", s->id, "network", s->network, "dev_eui", s->dev_eui, "state",
                     state_name(s->state), "reason", s->reason, "network_ref", s->network_ref,
                     "attempt", (int)s->attempt, "f_cnt_down", (int)s->f_cnt_down, "source",
                     s->source);
}

/* The message as a JSON line when it matches the filter, else NULL. */
static json_t *line_of(natsMsg *m, const struct downlink_log_filter *f, const struct refs *refs)
{
    const char *subject = mue_bus_msg_subject(m);
    json_t *line = NULL;

    if (strncmp(subject, "mue.downlink.", 13) == 0) {
        Mue__V1__DownlinkRequest *q =
            mue__v1__downlink_request__unpack(NULL, mue_bus_msg_len(m), mue_bus_msg_data(m));
        if (q != NULL && wanted(f, q->id, q->dev_eui))
            line = request_line(q);
        mue__v1__downlink_request__free_unpacked(q, NULL);
    } else if (strncmp(subject, "mue.dlstatus.", 13) == 0) {
        Mue__V1__DownlinkStatus *s =
            mue__v1__downlink_status__unpack(NULL, mue_bus_msg_len(m), mue_bus_msg_data(m));
        if (s != NULL && wanted_status(f, refs, s))
            line = status_line(s);
        mue__v1__downlink_status__free_unpacked(s, NULL);
    }
    return line;
}

/* Calls 'fn' on every message of DOWNLINKS, oldest first. Returns 0, or MUE_EBUS. */
static int each_message(struct mue_bus *bus, void (*fn)(natsMsg *m, uint64_t seq, void *arg),
                        void *arg)
{
    uint64_t first = 0, last = 0;

    if (mue_bus_stream_range(bus, MUE_STREAM_DOWNLINKS, &first, &last) < 0)
        return MUE_EBUS;
    for (uint64_t seq = first; first != 0 && seq <= last; seq++) {
        natsMsg *m = NULL;
        int rc = mue_bus_stream_get(bus, MUE_STREAM_DOWNLINKS, seq, &m);

        if (rc == MUE_ENOENT)
            continue;
        if (rc < 0)
            return rc;
        fn(m, seq, arg);
        natsMsg_Destroy(m);
    }
    return 0;
}

struct collect {
    const struct downlink_log_filter *f;
    struct refs refs;
};

static void collect_refs(natsMsg *m, uint64_t seq, void *arg)
{
    struct collect *c = arg;
    Mue__V1__DownlinkStatus *s;
    (void)seq;

    if (strncmp(mue_bus_msg_subject(m), "mue.dlstatus.", 13) != 0)
        return;
    s = mue__v1__downlink_status__unpack(NULL, mue_bus_msg_len(m), mue_bus_msg_data(m));
    if (s != NULL && strcmp(s->id, c->f->id) == 0 && s->network_ref[0] != '\0' &&
        !has_ref(&c->refs, s->network_ref) && c->refs.n < 16)
        snprintf(c->refs.ref[c->refs.n++], sizeof(c->refs.ref[0]), "%s", s->network_ref);
    mue__v1__downlink_status__free_unpacked(s, NULL);
}

struct print {
    const struct downlink_log_filter *f;
    const struct refs *refs;
    FILE *out;
    int count;
};

static void print_one(natsMsg *m, uint64_t seq, void *arg)
{
    struct print *p = arg;
    json_t *line = line_of(m, p->f, p->refs);
    char *text;

    if (line == NULL)
        return;
    json_object_set_new(line, "seq", json_integer((json_int_t)seq));
    text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text != NULL)
        fprintf(p->out, "%s\n", text);
    free(text);
    json_decref(line);
    p->count++;
}

int downlink_log_print(struct mue_bus *bus, const struct downlink_log_filter *f, FILE *out)
{
    struct collect c;
    struct print p = { f, &c.refs, out, 0 };
    int rc = 0;

    memset(&c, 0, sizeof(c));
    c.f = f;
    if (f->id != NULL)
        rc = each_message(bus, collect_refs, &c);
    if (rc == 0)
        rc = each_message(bus, print_one, &p);
    return rc < 0 ? rc : p.count;
}
