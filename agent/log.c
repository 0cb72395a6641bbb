// SPDX-License-Identifier: Apache-2.0
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

bool vigil_verbose;

static void vlog(const char *fmt, va_list ap)
{
	fputs("vigild: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void vigil_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void vigil_dbg(const char *fmt, ...)
{
	va_list ap;

	if (!vigil_verbose)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}
