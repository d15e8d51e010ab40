/* mue_signal.h - SIGTERM and SIGINT ask a service to stop; the loop finishes what it holds first.
 * SPDX-License-Identifier: MIT */
#ifndef MUE_SIGNAL_H
#define MUE_SIGNAL_H

/* Installs the handlers (they only set a flag) and ignores SIGPIPE. */
void mue_signal_init(void);

/* True once SIGTERM or SIGINT arrived. */
int mue_signal_stopping(void);

/* Sleeps 'ms' milliseconds, waking early when a stop was asked. Returns 1 when stopping. */
int mue_signal_sleep_ms(long ms);

#endif
