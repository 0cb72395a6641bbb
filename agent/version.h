/* SPDX-License-Identifier: Apache-2.0 */
/*
 * version.h - the version of vigil: vigild reports it (GetVersion,
 * GetInfo) and the CLI prints it.
 */
#ifndef VIGIL_VERSION_H
#define VIGIL_VERSION_H

#define VIGIL_VERSION "0.1.0"

#endif
