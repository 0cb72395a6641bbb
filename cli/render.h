/* SPDX-License-Identifier: Apache-2.0 */
/*
 * render.h - what the CLI prints of the API's messages for a person: an
 * event as one compact line (`vigil getevents -o compact`) and the tracing
 * policies as a table (`vigil tp list`).
 *
 * The compact line is vigild's own (`vigild --output compact`,
 * agent/encode_compact.c): both are made of the pieces in
 * agent/compact_text.h, so an event prints the same bytes either way.  One
 * fact is not in the message: a policy in monitor mode.  Like Tetragon's,
 * the API's events name the action the selector asks for, so a monitored
 * kill renders as "killed" here and as "would-kill" in vigild's line.
 *
 * Every string of a message is outside input and is escaped as
 * compact_text.h says before it reaches the terminal.
 */
#ifndef VIGIL_CLI_RENDER_H
#define VIGIL_CLI_RENDER_H

#include <stdio.h>

#include "tetragon/events.pb-c.h"
#include "tetragon/sensors.pb-c.h"

/*
 * ev as one line and a newline.  A rate_limit_info event (events the
 * stream lost) is "❗ lost    <node> N events".  0; -EINVAL, and nothing
 * printed, for an event of no kind vigil renders or without its process;
 * -EIO when out fails.
 */
int vigil_render_compact(FILE *out, const Tetragon__GetEventsResponse *ev);

/*
 * r's policies as a table with a header line, columns aligned:
 * ID, NAME, NAMESPACE ("(global)" when empty), STATE and MODE (the enum
 * names without their prefix, in lower case), SENSORS (how many), KERNEL
 * MEMORY (in B, kB, MB, ... as Tetragon's CLI writes it), NPOST, NENFORCE
 * and NMONITOR (the action counters), ERROR (escaped; last, unpadded).
 * 0, -ENOMEM or -EIO.
 */
int vigil_render_policies(FILE *out, const Tetragon__ListTracingPoliciesResponse *r);

#endif
