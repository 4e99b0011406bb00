/*
 * Names and argument decoding for `sonde strace`. The calls strace users
 * read most have a row in calls[] (one letter per argument, see decode_arg());
 * the others are printed from their tracepoint's field types.
 */
#include "strace_decode.h"
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

struct nr {
	const char *name;
	int nr;
};

static const struct nr nrs[] = {
#include "syscall_nrs.h"
};

const char *sd_syscall_name(int nr)
{
	static const char *byn[SD_NR_MAX];
	static int ready;
	if (!ready) {
		for (size_t i = 0; i < ARRAY_SIZE(nrs); i++)
			if (nrs[i].nr >= 0 && nrs[i].nr < SD_NR_MAX)
				byn[nrs[i].nr] = nrs[i].name;
		ready = 1;
	}
	return nr >= 0 && nr < SD_NR_MAX ? byn[nr] : NULL;
}

int sd_syscall_nr(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(nrs); i++)
		if (!strcmp(nrs[i].name, name))
			return nrs[i].nr;
	return -1;
}

/* strace's classes (man strace, -e trace=%CLASS), x86-64 names. */
static const struct {
	const char *cls;
	const char *members;
} classes[] = {
	{ "file", "open openat openat2 creat stat lstat newfstatat statx access faccessat faccessat2 execve execveat "
		  "chdir chmod fchmodat fchmodat2 chown lchown fchownat mkdir mkdirat rmdir unlink unlinkat rename renameat "
		  "renameat2 link linkat symlink symlinkat readlink readlinkat truncate utime utimes utimensat futimesat "
		  "mknod mknodat statfs getxattr lgetxattr setxattr lsetxattr listxattr llistxattr removexattr lremovexattr "
		  "chroot mount umount2 swapon swapoff acct pivot_root quotactl inotify_add_watch fanotify_mark "
		  "name_to_handle_at uselib getcwd" },
	{ "network", "socket socketpair bind connect listen accept accept4 getsockname getpeername sendto recvfrom "
		     "sendmsg recvmsg sendmmsg recvmmsg shutdown setsockopt getsockopt" },
	{ "process", "clone clone3 fork vfork execve execveat exit exit_group wait4 waitid kill tkill tgkill "
		     "rt_sigqueueinfo rt_tgsigqueueinfo pidfd_open pidfd_send_signal unshare" },
	{ "signal", "rt_sigaction rt_sigprocmask rt_sigreturn rt_sigpending rt_sigtimedwait rt_sigsuspend "
		    "rt_sigqueueinfo rt_tgsigqueueinfo sigaltstack kill tkill tgkill pause signalfd signalfd4 "
		    "pidfd_send_signal" },
	{ "memory", "mmap munmap mprotect brk mremap msync mincore madvise mlock mlock2 munlock mlockall munlockall "
		    "mbind set_mempolicy get_mempolicy migrate_pages move_pages remap_file_pages pkey_mprotect shmat "
		    "shmdt process_madvise mseal" },
	{ "desc", "open openat openat2 creat pipe pipe2 socket socketpair accept accept4 dup dup2 dup3 epoll_create "
		  "epoll_create1 eventfd eventfd2 signalfd signalfd4 timerfd_create memfd_create memfd_secret "
		  "inotify_init inotify_init1 fanotify_init perf_event_open bpf pidfd_open pidfd_getfd userfaultfd "
		  "io_uring_setup select pselect6 poll ppoll open_by_handle_at fsopen fsmount open_tree" },
	{ "ipc", "msgget msgsnd msgrcv msgctl semget semop semtimedop semctl shmget shmat shmdt shmctl" },
	{ "creds", "getuid geteuid getgid getegid setuid setgid setreuid setregid setresuid getresuid setresgid "
		   "getresgid setfsuid setfsgid getgroups setgroups capget capset prctl" },
};

static void add_words(const char *words, unsigned char *set)
{
	char w[64];
	for (const char *p = words; *p;) {
		size_t n = strcspn(p, " ");
		if (n && n < sizeof(w)) {
			memcpy(w, p, n);
			w[n] = 0;
			int nr = sd_syscall_nr(w);
			if (nr >= 0 && nr < SD_NR_MAX)
				set[nr] = 1;
		}
		p += n + (p[n] == ' ');
	}
}

static int is_fd_field(const char *name)
{
	static const char *const fd_names[] = { "fd", "dfd", "oldfd", "newfd", "epfd", "ufd", "fd_in", "fd_out",
						"infd", "outfd", "olddfd", "newdfd", "fdin", "fdout" };
	for (size_t i = 0; i < ARRAY_SIZE(fd_names); i++)
		if (!strcmp(name, fd_names[i]))
			return 1;
	return 0;
}

int sd_class_add(const char *cls, unsigned char *set, const struct tp_format *const *fmts)
{
	for (size_t i = 0; i < ARRAY_SIZE(classes); i++) {
		if (strcmp(cls, classes[i].cls))
			continue;
		add_words(classes[i].members, set);
		/* %desc: also every call that takes a descriptor, by its tracepoint's field names */
		if (!strcmp(cls, "desc"))
			for (int nr = 0; nr < SD_NR_MAX; nr++)
				for (int f = 0; fmts[nr] && f < fmts[nr]->nfields; f++)
					if (is_fd_field(fmts[nr]->fields[f].name))
						set[nr] = 1;
		return 0;
	}
	return -1;
}

/* ---- flag sets ---- */

struct flag {
	unsigned long v;
	const char *name;
};

#define F(x) { x, #x }
#define KERNEL_O_LARGEFILE 0100000	/* glibc defines O_LARGEFILE as 0 on 64-bit; the kernel's bit */

static const struct flag open_flags[] = {
	{ O_TMPFILE, "O_TMPFILE" }, { O_SYNC, "O_SYNC" }, F(O_CREAT), F(O_EXCL), F(O_NOCTTY), F(O_TRUNC),
	F(O_APPEND), F(O_NONBLOCK), F(O_DSYNC), { O_ASYNC, "O_ASYNC" }, F(O_DIRECT),
	{ KERNEL_O_LARGEFILE, "O_LARGEFILE" }, F(O_DIRECTORY), F(O_NOFOLLOW), F(O_NOATIME), F(O_CLOEXEC),
	F(O_PATH),
};
static const struct flag prot_flags[] = { F(PROT_READ), F(PROT_WRITE), F(PROT_EXEC), F(PROT_GROWSDOWN), F(PROT_GROWSUP) };
static const struct flag map_flags[] = {
	F(MAP_SHARED_VALIDATE), F(MAP_SHARED), F(MAP_PRIVATE), F(MAP_FIXED), F(MAP_ANONYMOUS), F(MAP_32BIT),
	F(MAP_GROWSDOWN), F(MAP_DENYWRITE), F(MAP_EXECUTABLE), F(MAP_LOCKED), F(MAP_NORESERVE), F(MAP_POPULATE),
	F(MAP_NONBLOCK), F(MAP_STACK), F(MAP_HUGETLB), F(MAP_SYNC), F(MAP_FIXED_NOREPLACE),
};
static const struct flag at_flags[] = {
	F(AT_SYMLINK_NOFOLLOW), F(AT_REMOVEDIR), F(AT_SYMLINK_FOLLOW), F(AT_NO_AUTOMOUNT), F(AT_EMPTY_PATH),
	F(AT_EACCESS),
};
static const struct flag access_flags[] = { F(R_OK), F(W_OK), F(X_OK) };
static const struct flag sock_flags[] = { F(SOCK_NONBLOCK), F(SOCK_CLOEXEC) };

static void flags(struct strbuf *out, const struct flag *t, size_t n, unsigned long v, const char *zero)
{
	int any = 0;
	for (size_t i = 0; i < n; i++)
		if (t[i].v && (v & t[i].v) == t[i].v) {
			sb_printf(out, "%s%s", any++ ? "|" : "", t[i].name);
			v &= ~t[i].v;
		}
	if (v || !any) {
		if (v || !zero)
			sb_printf(out, "%s%#lx", any ? "|" : "", v);
		else
			sb_puts(out, zero);
	}
}

static void open_flags_str(struct strbuf *out, unsigned long v)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	sb_puts(out, acc[v & O_ACCMODE]);
	v &= ~(unsigned long)O_ACCMODE;
	if (v) {
		sb_putc(out, '|');
		flags(out, open_flags, ARRAY_SIZE(open_flags), v, NULL);
	}
}

static void signal_str(struct strbuf *out, long sig)
{
	const char *abbrev = sig > 0 && sig < SIGRTMIN ? sigabbrev_np((int)sig) : NULL;
	if (abbrev)
		sb_printf(out, "SIG%s", abbrev);
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		sb_printf(out, "SIGRT_%ld", sig - SIGRTMIN);
	else
		sb_printf(out, "%ld", sig);
}

static const char *const families[] = {
	[AF_UNSPEC] = "AF_UNSPEC", [AF_UNIX] = "AF_UNIX", [AF_INET] = "AF_INET", [AF_INET6] = "AF_INET6",
	[AF_NETLINK] = "AF_NETLINK", [AF_PACKET] = "AF_PACKET",
};
static const char *const sock_types[] = {
	[SOCK_STREAM] = "SOCK_STREAM", [SOCK_DGRAM] = "SOCK_DGRAM", [SOCK_RAW] = "SOCK_RAW",
	[SOCK_SEQPACKET] = "SOCK_SEQPACKET",
};

void sd_quote(struct strbuf *out, const char *s, size_t n, size_t max)
{
	sb_putc(out, '"');
	size_t i;
	for (i = 0; i < n && i < max; i++) {
		unsigned char ch = (unsigned char)s[i];
		switch (ch) {
		case '"': sb_puts(out, "\\\""); break;
		case '\\': sb_puts(out, "\\\\"); break;
		case '\n': sb_puts(out, "\\n"); break;
		case '\t': sb_puts(out, "\\t"); break;
		case '\r': sb_puts(out, "\\r"); break;
		case '\v': sb_puts(out, "\\v"); break;
		case '\f': sb_puts(out, "\\f"); break;
		default:
			if (ch >= 0x20 && ch < 0x7f)
				sb_putc(out, (char)ch);
			else
				sb_printf(out, "\\%o", ch);
		}
	}
	sb_putc(out, '"');
	if (i < n)
		sb_puts(out, "...");
}

/*
 * One letter per argument: i int, l long, u unsigned, x hex, p pointer,
 * s string, a directory fd (AT_FDCWD), o open flags, m mode (octal), P prot,
 * M mmap flags, T AT_ flags, A access mode, g signal, h sigprocmask's how,
 * w lseek's whence, f address family, t socket type, k SOCK_ flags.
 */
static const struct {
	const char *name, *args;
} calls[] = {
	{ "read", "ipu" }, { "write", "ipu" }, { "pread64", "ipul" }, { "pwrite64", "ipul" },
	{ "readv", "ipu" }, { "writev", "ipu" }, { "close", "i" }, { "open", "som" }, { "openat", "asom" },
	{ "creat", "sm" }, { "stat", "sp" }, { "lstat", "sp" }, { "fstat", "ip" }, { "newfstatat", "aspT" },
	{ "statx", "asTxp" }, { "access", "sA" }, { "faccessat", "asA" }, { "faccessat2", "asAT" },
	{ "execve", "spp" }, { "execveat", "asppT" }, { "mmap", "puPMix" }, { "mprotect", "puP" },
	{ "munmap", "pu" }, { "brk", "p" }, { "mremap", "puuxp" }, { "lseek", "ilw" }, { "kill", "ig" },
	{ "tkill", "ig" }, { "tgkill", "iig" }, { "rt_sigaction", "gppu" }, { "rt_sigprocmask", "hppu" },
	{ "socket", "fti" }, { "connect", "ipi" }, { "bind", "ipi" }, { "listen", "ii" }, { "accept", "ipp" },
	{ "accept4", "ippk" }, { "sendto", "ipuxpi" }, { "recvfrom", "ipuxpp" }, { "shutdown", "ii" },
	{ "dup", "i" }, { "dup2", "ii" }, { "dup3", "iio" }, { "pipe", "p" }, { "pipe2", "po" },
	{ "chdir", "s" }, { "fchdir", "i" }, { "mkdir", "sm" }, { "mkdirat", "asm" }, { "rmdir", "s" },
	{ "unlink", "s" }, { "unlinkat", "asT" }, { "rename", "ss" }, { "renameat", "asas" },
	{ "renameat2", "asasx" }, { "readlink", "spu" }, { "readlinkat", "aspu" }, { "getcwd", "pu" },
	{ "chmod", "sm" }, { "fchmod", "im" }, { "fchmodat", "asm" }, { "chown", "sii" }, { "fchown", "iii" },
	{ "exit", "i" }, { "exit_group", "i" }, { "wait4", "ipip" }, { "getdents64", "ipu" },
	{ "nanosleep", "pp" }, { "clock_nanosleep", "iipp" }, { "set_tid_address", "p" },
	{ "set_robust_list", "pu" }, { "prlimit64", "iipp" }, { "getrandom", "pux" }, { "fcntl", "iix" },
	{ "ioctl", "ixx" }, { "truncate", "sl" }, { "ftruncate", "il" }, { "fsync", "i" }, { "fdatasync", "i" },
	{ "symlink", "ss" }, { "link", "ss" }, { "umask", "m" }, { "getppid", "" }, { "getpid", "" },
	{ "gettid", "" }, { "getuid", "" }, { "geteuid", "" }, { "getgid", "" }, { "getegid", "" },
	{ "sched_yield", "" }, { "pause", "" }, { "fork", "" }, { "vfork", "" }, { "sync", "" },
};

/* Results strace prints in hexadecimal: addresses. */
static const char *const hex_results[] = { "mmap", "mremap", "brk", "shmat" };

static const char *row(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(calls); i++)
		if (!strcmp(calls[i].name, name))
			return calls[i].args;
	return NULL;
}

static void pointer(struct strbuf *out, uint64_t v)
{
	if (v)
		sb_printf(out, "%#llx", (unsigned long long)v);
	else
		sb_puts(out, "NULL");
}

/* A string read at entry; an empty one from a non-NULL pointer may be a page the probe could not read: the address. */
static void string_arg(struct strbuf *out, uint64_t v, const char *s, int empty_ok)
{
	if (!v)
		sb_puts(out, "NULL");
	else if (!s || (!*s && !empty_ok))
		pointer(out, v);
	else
		sd_quote(out, s, strlen(s), (size_t)-1);
}

static void decode_arg(struct strbuf *out, char kind, uint64_t v, const char *s, int empty_ok)
{
	switch (kind) {
	case 'i': sb_printf(out, "%d", (int)v); break;
	case 'l': sb_printf(out, "%lld", (long long)v); break;
	case 'u': sb_printf(out, "%llu", (unsigned long long)v); break;
	case 'x': sb_printf(out, "%#llx", (unsigned long long)v); break;
	case 'p': pointer(out, v); break;
	case 's': string_arg(out, v, s, empty_ok); break;
	case 'a':
		if ((int)v == AT_FDCWD)
			sb_puts(out, "AT_FDCWD");
		else
			sb_printf(out, "%d", (int)v);
		break;
	case 'o': open_flags_str(out, v); break;
	case 'm': sb_printf(out, "%#03llo", (unsigned long long)v); break;
	case 'P': flags(out, prot_flags, ARRAY_SIZE(prot_flags), v, "PROT_NONE"); break;
	case 'M': flags(out, map_flags, ARRAY_SIZE(map_flags), v, NULL); break;
	case 'T': flags(out, at_flags, ARRAY_SIZE(at_flags), v, "0"); break;
	case 'A': flags(out, access_flags, ARRAY_SIZE(access_flags), v, "F_OK"); break;
	case 'g': signal_str(out, (long)(int)v); break;
	case 'h': {
		static const char *const how[] = { "SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK" };
		if (v < 3)
			sb_puts(out, how[v]);
		else
			sb_printf(out, "%#llx", (unsigned long long)v);
		break;
	}
	case 'w': {
		static const char *const whence[] = { "SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA", "SEEK_HOLE" };
		if (v < 5)
			sb_puts(out, whence[v]);
		else
			sb_printf(out, "%llu", (unsigned long long)v);
		break;
	}
	case 'f':
		if (v < ARRAY_SIZE(families) && families[v])
			sb_puts(out, families[v]);
		else
			sb_printf(out, "%llu", (unsigned long long)v);
		break;
	case 't': case 'k': {
		unsigned long type = kind == 't' ? v & 0xf : 0, rest = kind == 't' ? v & ~0xful : v;
		int any = 0;
		if (kind == 't') {
			if (type < ARRAY_SIZE(sock_types) && sock_types[type])
				sb_puts(out, sock_types[type]);
			else
				sb_printf(out, "%lu", type);
			any = 1;
		}
		if (rest || !any) {
			if (any)
				sb_putc(out, '|');
			flags(out, sock_flags, ARRAY_SIZE(sock_flags), rest, "0");
		}
		break;
	}
	}
}

/* Without a row: each field by its declared type. */
static char kind_of_field(const struct tp_field *f)
{
	if (!strcmp(f->type, "const char *"))
		return 's';
	if (strchr(f->type, '*'))
		return 'p';
	if (strstr(f->name, "flags") || strstr(f->name, "mask"))
		return 'x';
	if (f->is_signed)
		return f->size == 8 ? 'l' : 'i';
	return 'u';
}

/* read, write, pread64, pwrite64: their buffer is shown as strace does, up to -s bytes */
static int is_io(const char *name)
{
	return name && (!strcmp(name, "read") || !strcmp(name, "write") || !strcmp(name, "pread64") ||
			!strcmp(name, "pwrite64"));
}

static void io_buffer(struct strbuf *out, const struct sd_call *c)
{
	int reads = !strcmp(sd_syscall_name(c->nr), "read") || !strcmp(sd_syscall_name(c->nr), "pread64");
	int64_t total = reads ? c->ret : (int64_t)c->a[2];
	/* a failed read has no data; a buffer the probe could not read is its address */
	if ((reads && (!c->returned || c->ret < 0)) || (total > 0 && !c->datalen)) {
		pointer(out, c->a[1]);
		return;
	}
	sd_quote(out, c->data, total > 0 ? (size_t)total : 0, c->datalen);
}

void sd_call(struct strbuf *out, const struct sd_call *c)
{
	const char *name = sd_syscall_name(c->nr);
	if (name)
		sb_puts(out, name);
	else
		sb_printf(out, "syscall_%#x", c->nr);
	sb_putc(out, '(');
	const char *kinds = name ? row(name) : NULL;
	/* the format's fields after __syscall_nr, in order: which are strings */
	char bytype[7] = { 0 };
	int nargs = 0;
	if (c->fmt)
		for (int f = 0; f < c->fmt->nfields && nargs < 6; f++)
			if (strcmp(c->fmt->fields[f].name, "__syscall_nr"))
				bytype[nargs++] = kind_of_field(&c->fmt->fields[f]);
	if (!kinds) {
		kinds = bytype;
		if (!c->fmt)	/* no tracepoint: six numbers, as strace prints an unknown call */
			kinds = "xxxxxx";
	}
	/* with AT_EMPTY_PATH an empty path is meant, not a page the probe could not read */
	int nstr = 0, empty_ok = 0;
	for (int i = 0; kinds[i] && i < 6; i++)
		empty_ok |= kinds[i] == 'T' && (c->a[i] & AT_EMPTY_PATH);
	for (int i = 0; kinds[i] && i < 6; i++) {
		if (i)
			sb_puts(out, ", ");
		const char *s = NULL;
		/* strings were read for the format's `const char *` fields, in order */
		if (bytype[i] == 's' && nstr < 2)
			s = c->str[nstr++];
		char k = kinds[i] == 's' && bytype[i] != 's' ? 'p' : kinds[i];
		if (k == 'm' && name && (!strcmp(name, "open") || !strcmp(name, "openat"))) {
			/* open's mode only matters with O_CREAT or O_TMPFILE, and strace prints it only then */
			if (!(c->a[i - 1] & (O_CREAT | __O_TMPFILE))) {
				out->len -= 2;
				out->s[out->len] = 0;
				continue;
			}
		}
		if (i == 1 && c->data && is_io(name)) {
			io_buffer(out, c);
			continue;
		}
		decode_arg(out, k, c->a[i], s, empty_ok);
	}
	sb_putc(out, ')');
}

/* The kernel's restart codes, which strace names too (not in glibc). */
static const struct {
	int code;
	const char *name, *text;
} restarts[] = {
	{ 512, "ERESTARTSYS", "To be restarted if SA_RESTART is set" },
	{ 513, "ERESTARTNOINTR", "To be restarted" },
	{ 514, "ERESTARTNOHAND", "To be restarted if no handler" },
	{ 516, "ERESTART_RESTARTBLOCK", "Interrupted by signal" },
};

void sd_result(struct strbuf *out, const struct sd_call *c)
{
	if (!c->returned) {
		sb_putc(out, '?');
		return;
	}
	int64_t r = c->ret;
	if (r < 0 && r >= -4095) {
		int e = (int)-r;
		for (size_t i = 0; i < ARRAY_SIZE(restarts); i++)
			if (restarts[i].code == e) {
				sb_printf(out, "? %s (%s)", restarts[i].name, restarts[i].text);
				return;
			}
		const char *ename = strerrorname_np(e);
		if (ename)
			sb_printf(out, "-1 %s (%s)", ename, strerror(e));
		else
			sb_printf(out, "-1 E%d (errno %d)", e, e);
		return;
	}
	const char *name = sd_syscall_name(c->nr);
	for (size_t i = 0; name && i < ARRAY_SIZE(hex_results); i++)
		if (!strcmp(name, hex_results[i])) {
			sb_printf(out, "%#llx", (unsigned long long)r);
			return;
		}
	sb_printf(out, "%lld", (long long)r);
}
