/* The functions of PromQL (Prometheus 2.x) with their argument and result
 * types. Those behind --enable-feature=promql-experimental-functions
 * (sort_by_label, mad_over_time, …) are left out, as a default Prometheus
 * refuses them too. */
#include "promql/promql.h"
#include <stdlib.h>
#include <string.h>

#define S PQ_SCALAR
#define V PQ_VECTOR
#define M PQ_MATRIX
#define STR PQ_STRING

/* Sorted by name: pq_function_find searches it. */
static const struct pq_function functions[] = {
	{ "abs", { V }, 1, 0, V },
	{ "absent", { V }, 1, 0, V },
	{ "absent_over_time", { M }, 1, 0, V },
	{ "acos", { V }, 1, 0, V },
	{ "acosh", { V }, 1, 0, V },
	{ "asin", { V }, 1, 0, V },
	{ "asinh", { V }, 1, 0, V },
	{ "atan", { V }, 1, 0, V },
	{ "atanh", { V }, 1, 0, V },
	{ "avg_over_time", { M }, 1, 0, V },
	{ "ceil", { V }, 1, 0, V },
	{ "changes", { M }, 1, 0, V },
	{ "clamp", { V, S, S }, 3, 0, V },
	{ "clamp_max", { V, S }, 2, 0, V },
	{ "clamp_min", { V, S }, 2, 0, V },
	{ "cos", { V }, 1, 0, V },
	{ "cosh", { V }, 1, 0, V },
	{ "count_over_time", { M }, 1, 0, V },
	{ "day_of_month", { V }, 1, 1, V },
	{ "day_of_week", { V }, 1, 1, V },
	{ "day_of_year", { V }, 1, 1, V },
	{ "days_in_month", { V }, 1, 1, V },
	{ "deg", { V }, 1, 0, V },
	{ "delta", { M }, 1, 0, V },
	{ "deriv", { M }, 1, 0, V },
	{ "exp", { V }, 1, 0, V },
	{ "floor", { V }, 1, 0, V },
	{ "histogram_avg", { V }, 1, 0, V },
	{ "histogram_count", { V }, 1, 0, V },
	{ "histogram_fraction", { S, S, V }, 3, 0, V },
	{ "histogram_quantile", { S, V }, 2, 0, V },
	{ "histogram_stddev", { V }, 1, 0, V },
	{ "histogram_stdvar", { V }, 1, 0, V },
	{ "histogram_sum", { V }, 1, 0, V },
	{ "holt_winters", { M, S, S }, 3, 0, V },
	{ "hour", { V }, 1, 1, V },
	{ "idelta", { M }, 1, 0, V },
	{ "increase", { M }, 1, 0, V },
	{ "irate", { M }, 1, 0, V },
	{ "label_join", { V, STR, STR, STR }, 4, -1, V },
	{ "label_replace", { V, STR, STR, STR, STR }, 5, 0, V },
	{ "last_over_time", { M }, 1, 0, V },
	{ "ln", { V }, 1, 0, V },
	{ "log10", { V }, 1, 0, V },
	{ "log2", { V }, 1, 0, V },
	{ "max_over_time", { M }, 1, 0, V },
	{ "min_over_time", { M }, 1, 0, V },
	{ "minute", { V }, 1, 1, V },
	{ "month", { V }, 1, 1, V },
	{ "pi", { 0 }, 0, 0, S },
	{ "predict_linear", { M, S }, 2, 0, V },
	{ "present_over_time", { M }, 1, 0, V },
	{ "quantile_over_time", { S, M }, 2, 0, V },
	{ "rad", { V }, 1, 0, V },
	{ "rate", { M }, 1, 0, V },
	{ "resets", { M }, 1, 0, V },
	{ "round", { V, S }, 2, 1, V },
	{ "scalar", { V }, 1, 0, S },
	{ "sgn", { V }, 1, 0, V },
	{ "sin", { V }, 1, 0, V },
	{ "sinh", { V }, 1, 0, V },
	{ "sort", { V }, 1, 0, V },
	{ "sort_desc", { V }, 1, 0, V },
	{ "sqrt", { V }, 1, 0, V },
	{ "stddev_over_time", { M }, 1, 0, V },
	{ "stdvar_over_time", { M }, 1, 0, V },
	{ "sum_over_time", { M }, 1, 0, V },
	{ "tan", { V }, 1, 0, V },
	{ "tanh", { V }, 1, 0, V },
	{ "time", { 0 }, 0, 0, S },
	{ "timestamp", { V }, 1, 0, V },
	{ "vector", { S }, 1, 0, V },
	{ "year", { V }, 1, 1, V },
};

static int by_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct pq_function *)elem)->name);
}

const struct pq_function *pq_function_find(const char *name)
{
	return bsearch(name, functions, ARRAY_SIZE(functions), sizeof(functions[0]), by_name);
}

const char *pq_type_name(enum pq_type t)
{
	static const char *const names[] = {
		[PQ_SCALAR] = "scalar", [PQ_VECTOR] = "instant vector",
		[PQ_MATRIX] = "range vector", [PQ_STRING] = "string",
	};
	return names[t];
}
