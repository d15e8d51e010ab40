/* compile_ws558.c - a cabinet's plan as Milesight WS558 delay tasks (fPort 85).
 * SPDX-License-Identifier: MIT
 *
 * Layout from Milesight-IoT/SensorDecoders ws-series/ws558/ws558-encoder.js @e79c9d8b
 * (controlSwitchWithDelay: 0xFF 0x32 [task_id, "0: force control, > 0: task_id"][delay_time u16
 * LE][mask][status]; controlSwitch: 0x08 [mask][status]) and the WS558 user guide, section 5.3
 * ("the application port is 85 by default"; "Add Delay Task ... WS558 supports adding only one
 * task. Later command will cover previous command."). The device echoes the task in the same
 * layout, which services/normalizer/codec_milesight_ws558.c reads (delay_task_id, delay_task_s,
 * delay_task_switches): the tests decode these packets with it.
 */
#include <stdio.h>
#include <string.h>

#include "compile_ws558.h"
#include "mue_err.h"

static void task_packet(struct light_packet *pk, int id, unsigned delay_s, uint8_t circuits,
                        bool on)
{
    memset(pk, 0, sizeof(*pk));
    pk->fport = WS558_FPORT;
    pk->bytes[0] = 0xFF;
    pk->bytes[1] = 0x32;
    pk->bytes[2] = (uint8_t)id;
    pk->bytes[3] = (uint8_t)(delay_s & 0xFF);
    pk->bytes[4] = (uint8_t)(delay_s >> 8);
    pk->bytes[5] = circuits;
    pk->bytes[6] = on ? circuits : 0;
    pk->len = 7;
}

int ws558_compile(int64_t now_s, const uint8_t *levels, int nmin, uint8_t circuits,
                  int first_task_id, struct light_packet *out, int cap, int *n)
{
    /* Minutes are whole clock minutes: the first began (now_s mod 60) s ago. */
    int64_t into_minute = (now_s % 60 + 60) % 60;
    int id = first_task_id;

    *n = 0;
    if (circuits == 0 || first_task_id < 1 || first_task_id > 255 || nmin < 0 || cap < 0)
        return MUE_EINVAL;
    for (int i = 1; i < nmin && *n < cap; i++) {
        bool on = levels[i] > 0;
        int64_t delay = (int64_t)i * 60 - into_minute;

        if (on == (levels[i - 1] > 0))
            continue;
        if (delay > WS558_DELAY_MAX)
            break;
        task_packet(&out[*n], id, (unsigned)delay, circuits, on);
        snprintf(out[*n].key, sizeof(out[*n].key), "ws558.task.%d", id);
        (*n)++;
        id = id == 255 ? 1 : id + 1;
    }
    return MUE_OK;
}

int ws558_switch_command(uint8_t circuits, bool on, struct light_packet *out)
{
    if (circuits == 0)
        return MUE_EINVAL;
    task_packet(out, 0, 0, circuits, on);
    snprintf(out->key, sizeof(out->key), "ws558.switch");
    return MUE_OK;
}
