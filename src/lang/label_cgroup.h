/* --label-cgroup: the script rewritten so events and metrics carry their cgroup. */
#ifndef SONDE_LABEL_CGROUP_H
#define SONDE_LABEL_CGROUP_H
#include "ast.h"

/*
 * Every printf gets `cgroup` as a hidden last argument (hidden_args); with
 * wanted, every statement that writes a wanted map is followed by a copy
 * that writes its shadow (label_cgroup_shadow_name), keyed by cgroup too.
 */
void label_cgroup_rewrite(struct arena *a, struct node *prog, int (*wanted)(const char *map, void *arg), void *arg);
/* "@m:cgroup": a name no script can write */
void label_cgroup_shadow_name(struct strbuf *out, const char *map);
int label_cgroup_is_shadow(const char *map);

#endif
