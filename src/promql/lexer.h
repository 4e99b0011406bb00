/* PromQL tokens: the lexer turns the whole text into an array up front. */
#ifndef SONDE_PROMQL_LEXER_H
#define SONDE_PROMQL_LEXER_H
#include "promql/promql.h"

enum pq_tok {
	T_EOF,
	T_IDENT,	/* names; keywords are identifiers the parser recognises */
	T_NUMBER,	/* also Inf and NaN in any case */
	T_STRING,
	T_DURATION,
	T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE, T_LBRACKET, T_RBRACKET,
	T_COMMA, T_COLON, T_AT,
	T_ASSIGN, T_EQL_REGEX, T_NEQ_REGEX,	/* matchers; != and == are operators below */
	T_OP,		/* a binary operator sign: + - * / % ^ == != > < >= <= */
};

struct pq_token {
	enum pq_tok kind;
	enum pq_op op;		/* T_OP */
	const char *text;	/* into the source */
	int len;
	struct span sp;
	char *value;		/* T_STRING: the decoded value (arena) */
};

struct pq_tokens {
	struct pq_token *v;
	int n, cap;
};

/* Appends the tokens of text, ending with T_EOF; -1 with *err on a bad token. */
int pq_lex(struct arena *arena, const char *text, struct pq_tokens *out, struct pq_error *err);
const char *pq_tok_describe(const struct pq_token *t, char *buf, size_t n);

#endif
