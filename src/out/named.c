/* Numbers a script asked to see by name: cgroup_path(), signal_name(), strerror(), syscall_name(), username, comm(pid). */
#include "named.h"
#include "../rt/cgroup.h"
#include "../probe/syscalls.h"
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static void user_name(struct strbuf *out, uint64_t uid)
{
	/* a record per event may ask: /etc/passwd (or NSS) is read once per uid */
	static struct { uint64_t uid; char name[64]; } cache[64];
	static int ncache;
	for (int i = 0; i < ncache; i++)
		if (cache[i].uid == uid) {
			sb_puts(out, cache[i].name);
			return;
		}
	struct passwd pw, *res = NULL;
	char buf[4096], name[64];
	if (uid <= 0xffffffffu && !getpwuid_r((uid_t)uid, &pw, buf, sizeof(buf), &res) && res)
		snprintf(name, sizeof(name), "%s", res->pw_name);
	else	/* as `ls -l` shows an unknown owner */
		snprintf(name, sizeof(name), "%llu", (unsigned long long)uid);
	if (ncache < (int)(sizeof(cache) / sizeof(cache[0]))) {
		cache[ncache].uid = uid;
		snprintf(cache[ncache++].name, sizeof(cache[0].name), "%s", name);
	}
	sb_puts(out, name);
}

/* comm(pid): the process's name now, as /proc has it; empty once it is gone */
static void proc_comm(struct strbuf *out, uint64_t pid)
{
	char path[64], name[64] = "";
	snprintf(path, sizeof(path), "/proc/%llu/comm", (unsigned long long)(uint32_t)pid);
	FILE *f = fopen(path, "r");
	if (f) {
		if (fgets(name, sizeof(name), f))
			name[strcspn(name, "\n")] = 0;
		fclose(f);
	}
	sb_puts(out, name);
}

void named_text(struct strbuf *out, int naming, uint64_t v)
{
	int64_t n = (int64_t)v;
	switch (naming) {
	case NAMED_CGROUP: {
		char path[512];
		if (!cgroup_path_of(v, path, sizeof(path)))
			sb_puts(out, path);
		else	/* gone, or not under this mount namespace's cgroup v2 */
			sb_printf(out, "<unknown cgroup %llu>", (unsigned long long)v);
		return;
	}
	case NAMED_SIGNAL: {
		const char *abbrev = n > 0 && n < 65 ? sigabbrev_np((int)n) : NULL;
		if (abbrev)
			sb_printf(out, "SIG%s", abbrev);
		else if (n >= SIGRTMIN && n <= SIGRTMAX)
			sb_printf(out, "SIGRTMIN+%lld", (long long)(n - SIGRTMIN));
		else
			sb_printf(out, "%lld", (long long)n);
		return;
	}
	case NAMED_ERRNO: {
		/* kernel return values are -errno: either sign names the same error */
		long long e = n < 0 ? -(long long)n : (long long)n;
		const char *d = e > 0 && e < 4096 ? strerrordesc_np((int)e) : NULL;
		if (d)
			sb_puts(out, d);
		else
			sb_printf(out, "Unknown error %lld", (long long)n);
		return;
	}
	case NAMED_SYSCALL: {
		const char *name = n >= 0 && n < SYSCALL_NR_MAX ? syscall_name((int)n) : NULL;
		if (name)
			sb_puts(out, name);
		else
			sb_printf(out, "<unknown syscall %lld>", (long long)n);
		return;
	}
	case NAMED_USER:
		user_name(out, v);
		return;
	case NAMED_COMM:
		proc_comm(out, v);
		return;
	}
}
