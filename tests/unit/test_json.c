/* JSON string escaping (language spec 7.8). */
#include "test.h"
#include "out/json.h"
#include <stdio.h>
#include <string.h>

static char result[1024];

static const char *escape(const char *s, size_t n)
{
	struct strbuf sb = { 0 };
	json_escape(&sb, s, n);
	snprintf(result, sizeof(result), "%s", sb_str(&sb));
	sb_free(&sb);
	return result;
}

TEST(test_json_plain_string_is_quoted)
{
	EXPECT_STR(escape("hello 5", 7), "\"hello 5\"");
	EXPECT_STR(escape("", 0), "\"\"");
}

TEST(test_json_quote_backslash_newline_return_tab_use_short_escapes)
{
	const char *s = "a\"b\\c\nd\re\tf";
	EXPECT_STR(escape(s, strlen(s)), "\"a\\\"b\\\\c\\nd\\re\\tf\"");
}

TEST(test_json_other_control_bytes_use_u00xx_lowercase)
{
	const char *s = "\x01|\x1b|\x1f|\b|\f";
	EXPECT_STR(escape(s, strlen(s)), "\"\\u0001|\\u001b|\\u001f|\\u0008|\\u000c\"");
}

TEST(test_json_embedded_nul_is_escaped_and_length_is_respected)
{
	EXPECT_STR(escape("a\0b", 3), "\"a\\u0000b\"");
	EXPECT_STR(escape("abcdef", 3), "\"abc\"");
}

TEST(test_json_utf8_and_del_pass_through)
{
	const char *s = "caf\xc3\xa9 \x7f";
	EXPECT_STR(escape(s, strlen(s)), "\"caf\xc3\xa9 \x7f\"");
}
