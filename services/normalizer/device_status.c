/* device_status.c - the network server's DevStatusAns (battery, demodulation margin) as
 * readings, for devices whose own frames never report their battery.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "device_status.h"
#include "mue_err.h"

int normalize_device_event(const Mue__V1__DeviceEvent *ev, const struct registry_device *dev,
                           struct normalize_out *out)
{
    struct codec_result res;
    int rc = MUE_OK;

    memset(out, 0, sizeof(*out));
    memset(&res, 0, sizeof(res));
    if (ev->kind != MUE__V1__DEVICE_EVENT_KIND__DEVICE_EVENT_KIND_STATUS)
        return 0;
    if (ev->has_battery && !(ev->battery_pct >= 0 && ev->battery_pct <= 100)) {
        out->code = "bad_value";
        snprintf(out->reason, sizeof(out->reason), "status event: battery %g %% out of 0..100",
                 ev->battery_pct);
        return MUE_EDECODE;
    }
    if (ev->has_battery)
        rc = codec_add(&res, "battery", ev->battery_pct);
    if (rc == MUE_OK && ev->has_margin)
        rc = codec_add(&res, "link_margin", (double)ev->margin_db);
    if (rc < 0 || res.n == 0)
        return rc < 0 ? rc : 0;
    rc = normalize_pack(&res, dev, ev->id, 0, ev->time_us ? ev->time_us : ev->ingested_at_us, out);
    return rc < 0 ? rc : 1;
}
