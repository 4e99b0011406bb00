/* printf formats (language spec 6.2). */
#include "test.h"
#include "out/format.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char result[8192];

/* Parses and renders fmt with values; returns the text, or the parse error.
 * The result stays valid until the next call. */
static const char *render(const char *fmt, const struct fmt_value *values, int n)
{
	struct fmt_spec spec;
	struct strbuf sb = { 0 };

	if (fmt_parse(fmt, &spec, result, sizeof(result)) < 0)
		return result;
	fmt_render(&sb, fmt, values, n);
	snprintf(result, sizeof(result), "%s", sb_str(&sb));
	sb_free(&sb);
	return result;
}

/* render() with integer arguments only. */
static const char *ints(const char *fmt, int n, ...)
{
	struct fmt_value v[FMT_MAX_CONV] = { 0 };
	va_list ap;

	va_start(ap, n);
	for (int i = 0; i < n; i++)
		v[i].i = va_arg(ap, int64_t);
	va_end(ap);
	return render(fmt, v, n);
}

static const char *parse_error(const char *fmt)
{
	struct fmt_spec spec;
	if (fmt_parse(fmt, &spec, result, sizeof(result)) == 0)
		return "(parsed)";
	return result;
}

TEST(test_format_plain_text_is_copied_and_percent_percent_is_one_percent)
{
	EXPECT_STR(ints("100%% done\n", 0), "100% done\n");
	EXPECT_STR(ints("", 0), "");
}

TEST(test_format_d_without_modifier_truncates_to_32_bits)
{
	EXPECT_STR(ints("%d", 1, (int64_t)5000000000), "705032704");
	EXPECT_STR(ints("%d", 1, (int64_t)-5000000000), "-705032704");
	EXPECT_STR(ints("%i", 1, (int64_t)-7), "-7");
}

TEST(test_format_x_without_modifier_shows_low_32_bits)
{
	EXPECT_STR(ints("%x", 1, (int64_t)0x12345678abcdef), "78abcdef");
	EXPECT_STR(ints("%X", 1, (int64_t)0x12345678abcdef), "78ABCDEF");
}

TEST(test_format_h_is_16_bit_and_hh_is_8_bit)
{
	EXPECT_STR(ints("%hx", 1, (int64_t)0x12345678abcdef), "cdef");
	EXPECT_STR(ints("%hhx", 1, (int64_t)0x12345678abcdef), "ef");
	EXPECT_STR(ints("%hd|%hhd|%hhu", 3, (int64_t)40000, (int64_t)200, (int64_t)200), "-25536|-56|200");
}

TEST(test_format_l_ll_j_z_t_are_64_bit)
{
	EXPECT_STR(ints("%lx %llx", 2, (int64_t)0x12345678abcdef, (int64_t)0x12345678abcdef),
		   "12345678abcdef 12345678abcdef");
	EXPECT_STR(ints("%ld %lu %lld %jd %zd %td", 6, (int64_t)-1, (int64_t)-1, (int64_t)-1,
			(int64_t)-1, (int64_t)-1, (int64_t)-1),
		   "-1 18446744073709551615 -1 -1 -1 -1");
	EXPECT_STR(ints("%ld", 1, (int64_t)5000000000), "5000000000");
}

TEST(test_format_unsigned_without_modifier_is_32_bit)
{
	EXPECT_STR(ints("%u", 1, (int64_t)-1), "4294967295");
	EXPECT_STR(ints("%o", 1, (int64_t)8), "10");
}

TEST(test_format_width_left_align_and_zero_padding)
{
	EXPECT_STR(ints("%5d|%-5d|%05d|", 3, (int64_t)3, (int64_t)3, (int64_t)3), "    3|3    |00003|");
	EXPECT_STR(ints("%-6d|", 1, (int64_t)1234), "1234  |");
	EXPECT_STR(ints("%08x|", 1, (int64_t)0xbeef), "0000beef|");
}

TEST(test_format_new_flags_plus_space_and_hash)
{
	EXPECT_STR(ints("%+d|% d|%#x|%#o|%+d", 5, (int64_t)2, (int64_t)3, (int64_t)255, (int64_t)8,
			(int64_t)-2),
		   "+2| 3|0xff|010|-2");
}

TEST(test_format_flags_c_does_not_define_are_dropped)
{
	EXPECT_STR(ints("%+u|%#d|%05c|", 3, (int64_t)1, (int64_t)2, (int64_t)'A'), "1|2|    A|");
}

TEST(test_format_integer_precision_pads_with_zeros)
{
	EXPECT_STR(ints("%.5d|%8.3d|%.0d|", 3, (int64_t)42, (int64_t)42, (int64_t)0), "00042|     042||");
}

TEST(test_format_c_prints_one_byte)
{
	EXPECT_STR(ints("%c", 1, (int64_t)0x141), "A");
	EXPECT_STR(ints("%-3c|%3c|", 2, (int64_t)'A', (int64_t)'B'), "A  |  B|");
}

TEST(test_format_s_width_pads_and_minus_left_aligns)
{
	struct fmt_value v[] = { { .s = "ab" }, { .s = "cd" } };
	EXPECT_STR(render("%-5s|%5s|", v, 2), "ab   |   cd|");
}

TEST(test_format_s_precision_is_ignored_as_in_new_bpftrace)
{
	struct fmt_value v[] = { { .s = "abcdef" } };
	EXPECT_STR(render("%.3s|", v, 1), "abcdef|");
}

TEST(test_format_strings_and_integers_mix)
{
	struct fmt_value v[] = { { .s = "bash" }, { .i = 1234 }, { .s = "/etc/passwd" } };
	EXPECT_STR(render("%s %d: %s\n", v, 3), "bash 1234: /etc/passwd\n");
}

TEST(test_format_p_prints_0x_and_lowercase_hex_of_64_bits)
{
	EXPECT_STR(ints("%p", 1, (int64_t)4096), "0x1000");
	EXPECT_STR(ints("%p", 1, (int64_t)0), "0x0");
	EXPECT_STR(ints("%p", 1, (int64_t)-1), "0xffffffffffffffff");
	EXPECT_STR(ints("%hp", 1, (int64_t)0x12345678abcdef), "0x12345678abcdef");
	EXPECT_STR(ints("%10p|%-10p|", 2, (int64_t)4096, (int64_t)4096), "    0x1000|0x1000    |");
}

TEST(test_format_missing_values_render_as_zero_and_empty)
{
	EXPECT_STR(render("%d|%s|", NULL, 0), "0||");
}

TEST(test_format_parse_records_kind_conversion_and_bits)
{
	struct fmt_spec spec;
	char err[128];

	EXPECT_INT(fmt_parse("%d %hhx %s %lu %c %p %% %hi", &spec, err, sizeof(err)), 0);
	EXPECT_INT(spec.nconv, 7);
	EXPECT_INT(spec.conv[0].kind, FMT_INT);
	EXPECT_INT(spec.conv[0].conv, 'd');
	EXPECT_INT(spec.conv[0].length_bits, 32);
	EXPECT_INT(spec.conv[1].conv, 'x');
	EXPECT_INT(spec.conv[1].length_bits, 8);
	EXPECT_INT(spec.conv[2].kind, FMT_STR);
	EXPECT_INT(spec.conv[2].conv, 's');
	EXPECT_INT(spec.conv[3].length_bits, 64);
	EXPECT_INT(spec.conv[4].conv, 'c');
	EXPECT_INT(spec.conv[4].length_bits, 8);
	EXPECT_INT(spec.conv[5].conv, 'p');
	EXPECT_INT(spec.conv[5].length_bits, 64);
	EXPECT_INT(spec.conv[6].conv, 'i');
	EXPECT_INT(spec.conv[6].length_bits, 16);
}

TEST(test_format_unknown_conversion_is_an_error)
{
	EXPECT_STR(parse_error("%q\n"), "printf: Unknown format string token: %q");
	EXPECT_STR(parse_error("x %-5ls"), "printf: Unknown format string token: %-5ls");
	EXPECT_STR(parse_error("%5%"), "printf: Unknown format string token: %5%");
	EXPECT_STR(parse_error("%*d"), "printf: Unknown format string token: %*");
}

TEST(test_format_percent_at_end_is_an_error)
{
	EXPECT_STR(parse_error("abc %"), "printf: Incomplete format string token: %");
	EXPECT_STR(parse_error("abc %-08.3l"), "printf: Incomplete format string token: %-08.3l");
}

TEST(test_format_huge_width_is_an_error)
{
	EXPECT_STR(parse_error("%99999d"),
		   "printf: Width or precision too large in format string token: %99999");
	EXPECT_INT(strlen(ints("%4096d", 1, (int64_t)1)), 4096);
}

TEST(test_format_more_than_32_conversions_is_an_error)
{
	char fmt[3 * 33 + 1] = "";
	for (int i = 0; i < 33; i++)
		strcat(fmt, "%d ");
	EXPECT_STR(parse_error(fmt), "printf: Too many conversions in format string (at most 32)");
}

TEST(test_format_argument_count_errors_use_bpftrace_words)
{
	struct fmt_spec spec;
	char err[128] = "";

	fmt_parse("%d %d\n", &spec, err, sizeof(err));
	EXPECT_INT(fmt_check_args(&spec, 2, err, sizeof(err)), 0);
	EXPECT_INT(fmt_check_args(&spec, 1, err, sizeof(err)), -1);
	EXPECT_STR(err, "printf: Not enough arguments for format string (1 supplied, 2 expected)");
	fmt_parse("hello\n", &spec, err, sizeof(err));
	EXPECT_INT(fmt_check_args(&spec, 1, err, sizeof(err)), -1);
	EXPECT_STR(err, "printf: Too many arguments for format string (1 supplied, 0 expected)");
}
