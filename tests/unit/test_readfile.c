// SPDX-License-Identifier: Apache-2.0
/*
 * vigil_read_file: a whole file up to the bound, a larger one refused
 * without being read whole, a non-regular file refused when asked (a FIFO
 * without waiting for a writer), the errno of open passed on.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "readfile.h"

static char path[64];

static int make_file(void **state)
{
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/vigil-readfile.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, "0123456789", 10) != 10)
		return -1;
	close(fd);
	return 0;
}

static int remove_file(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static void test_reads_up_to_the_bound(void **state)
{
	char *text = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(vigil_read_file(path, 10, true, &text, &len), 0);
	assert_int_equal(len, 10);
	assert_memory_equal(text, "0123456789", 10);
	free(text);
}

static void test_larger_than_the_bound(void **state)
{
	char *text = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(vigil_read_file(path, 9, true, &text, &len), -EFBIG);
	assert_null(text);
	/* a device with no end is not read whole either */
	assert_int_equal(vigil_read_file("/dev/zero", 1000, false, &text, &len), -EFBIG);
}

static void test_regular_only(void **state)
{
	char *text = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(vigil_read_file("/dev/null", 10, true, &text, &len), -EINVAL);
	assert_int_equal(vigil_read_file("/dev/null", 10, false, &text, &len), 0);
	assert_int_equal(len, 0);
	free(text);
	assert_int_equal(vigil_read_file("/nonexistent/vigil", 10, false, &text, &len), -ENOENT);
}

/* A FIFO without a writer is refused, not waited on. */
static void test_fifo_is_refused_without_blocking(void **state)
{
	char fifo[80];
	char *text = NULL;
	size_t len = 0;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s.fifo", path);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(vigil_read_file(fifo, 10, true, &text, &len), -EINVAL);
	assert_null(text);
	unlink(fifo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_up_to_the_bound),
		cmocka_unit_test(test_larger_than_the_bound),
		cmocka_unit_test(test_regular_only),
		cmocka_unit_test(test_fifo_is_refused_without_blocking),
	};

	return cmocka_run_group_tests(tests, make_file, remove_file);
}
