/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VIGIL_MOUNTS_H
#define VIGIL_MOUNTS_H

/* Mount securityfs, bpffs and tracefs at their usual places when they are
 * missing.  Failures are reported once each and are not fatal. */
void vigil_ensure_mounts(void);

#endif
