/* Lexer for the bpftrace language; attach points are scanned raw on demand. */
#ifndef SONDE_LEXER_H
#define SONDE_LEXER_H
#include <stdint.h>
#include <stddef.h>
#include "diag.h"

enum tok {
	T_EOF, T_ERROR, T_INT, T_STR, T_IDENT, T_VAR, T_MAP, T_POSPARAM, T_POSCOUNT,
	T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE, T_LBRACKET, T_RBRACKET,
	T_SEMI, T_COMMA, T_DOT, T_ARROW, T_QUESTION, T_COLON, T_DOTDOT,
	T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_AMP, T_PIPE, T_CARET,
	T_TILDE, T_BANG, T_LT, T_GT, T_LE, T_GE, T_EQ, T_NE, T_SHL, T_SHR,
	T_ANDAND, T_OROR, T_ASSIGN, T_INC, T_DEC,
	/* compound assignments, in the order of their binary operator */
	T_ADD_ASSIGN, T_SUB_ASSIGN, T_MUL_ASSIGN, T_DIV_ASSIGN, T_MOD_ASSIGN,
	T_AND_ASSIGN, T_OR_ASSIGN, T_XOR_ASSIGN, T_SHL_ASSIGN, T_SHR_ASSIGN,
	T_COUNT_
};

struct token {
	enum tok kind;
	struct span span;
	const char *text;	/* points into the source */
	size_t len;
	uint64_t ival;		/* T_INT, T_POSPARAM */
	char *str;		/* T_STR decoded (malloc'd, freed by the lexer), T_IDENT/T_VAR/T_MAP name */
	size_t str_len;
};

struct lexer {
	const char *src;
	size_t pos;
	int line, col;
	struct diag *diag;
	char **owned;		/* strings handed out, freed with the lexer */
	int nowned, capowned;
};

void lexer_init(struct lexer *lx, const char *src, struct diag *diag);
void lexer_free(struct lexer *lx);
struct token lexer_next(struct lexer *lx);
/* Skips blanks and comments; returns the next raw character or 0 at the end. */
int lexer_peek_char(struct lexer *lx);
/* Scans one attach point (`provider:a:b`, quoted parts kept verbatim). */
struct token lexer_attach_point(struct lexer *lx);
const char *tok_name(enum tok t);

#endif
