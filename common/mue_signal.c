/* mue_signal.c - the stop flag behind SIGTERM and SIGINT.
 * SPDX-License-Identifier: MIT */
#include <signal.h>
#include <string.h>
#include <time.h>

#include "mue_signal.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

void mue_signal_init(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

int mue_signal_stopping(void)
{
    return stop_requested != 0;
}

int mue_signal_sleep_ms(long ms)
{
    /* Slices of 50 ms: the signal may land on another thread and not interrupt this sleep. */
    while (ms > 0 && !stop_requested) {
        long slice = ms < 50 ? ms : 50;
        struct timespec ts = { 0, slice * 1000000L };
        nanosleep(&ts, NULL);
        ms -= slice;
    }
    return stop_requested != 0;
}
