/* Python frames' pure parts: the 3.11 location table (python/names.c) against
 * what python3.11's own co_lines() says for the same code object, and which
 * mapped files are interpreters (python/offsets.c). */
#include "test.h"
#include "python/names.h"
#include "python/offsets.h"
#include <stdint.h>

/*
 * def f(x):            # line 1
 *     a = x + 1
 *
 *
 *     if a:
 *         return [i for i in range(a)]
 *     return None
 * f.__code__.co_linetable from Debian's python3.11 3.11.2, and co_lines()
 * as (first unit, end unit, line): long and short forms, a 3-line jump.
 */
static const uint8_t table[] = { 128, 0, 216, 8, 9, 136, 65, 137, 5, 128, 65, 240, 6, 0, 8, 9, 240, 0, 1, 5, 37,
				 216, 15, 36, 208, 15, 36, 157, 53, 160, 17, 153, 56, 156, 56, 208, 15, 36, 209, 15,
				 36, 212, 15, 36, 208, 8, 36, 216, 11, 15, 136, 52 };
static const int lines[][3] = { { 0, 1, 1 }, { 1, 2, 2 }, { 2, 3, 2 }, { 3, 5, 2 }, { 5, 6, 2 }, { 6, 7, 5 },
				{ 7, 8, 5 }, { 8, 9, 6 }, { 9, 10, 6 }, { 10, 16, 6 }, { 16, 17, 6 }, { 17, 19, 6 },
				{ 19, 24, 6 }, { 24, 25, 6 }, { 25, 27, 6 }, { 27, 32, 6 }, { 32, 33, 6 }, { 33, 34, 7 },
				{ 34, 35, 7 } };

TEST(test_python_line_table_matches_co_lines_for_every_code_unit)
{
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		for (int u = lines[i][0]; u < lines[i][1]; u++)
			EXPECT_INT(py_line_of(table, sizeof(table), 1, u), lines[i][2]);
	EXPECT_INT(py_line_of(table, sizeof(table), 1, 35), -1);	/* past the code */
	EXPECT_INT(py_line_of(table, sizeof(table), 101, 33), 107);	/* lines count from co_firstlineno */
	static const uint8_t garbage[] = { 1, 2, 3 };
	EXPECT_INT(py_line_of(garbage, sizeof(garbage), 1, 0), -1);	/* not an entry's first byte */
	static const uint8_t none[] = { 0xf8 | 1 };	/* "no location" for two units */
	EXPECT_INT(py_line_of(none, sizeof(none), 1, 1), -1);
}

TEST(test_python_interpreters_are_known_by_their_file_names)
{
	char v[16];
	EXPECT_INT(py_version_of_path("/usr/bin/python3.11", v, sizeof(v)), 0);
	EXPECT_STR(v, "3.11");
	EXPECT_INT(py_version_of_path("/proc/7/root/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0", v, sizeof(v)), 0);
	EXPECT_STR(v, "3.11");
	EXPECT_INT(py_version_of_path("/usr/bin/python3.12d", v, sizeof(v)), 0);
	EXPECT_STR(v, "3.12");
	EXPECT_INT(py_version_of_path("/usr/bin/python3.11-config", v, sizeof(v)), -1);
	EXPECT_INT(py_version_of_path("/srv/python3.11.py", v, sizeof(v)), -1);
	EXPECT_INT(py_version_of_path("/usr/lib/libpython3.11.a", v, sizeof(v)), -1);
	EXPECT_INT(py_offsets_for("3.11") != NULL, 1);
	EXPECT_INT(py_offsets_for("3.12") == NULL, 1);	/* not in the table: no Python frames, never a guess */
	EXPECT_INT(py_offsets_for("3.11")->fr_is_entry, 68);
}
