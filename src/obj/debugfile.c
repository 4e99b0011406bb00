#include "debugfile.h"
#include "elf.h"
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define NT_GNU_BUILD_ID_TYPE 3
#define MAX_BUILD_ID 64
#define MAX_ROOTS 16

struct build_id {
	unsigned char v[MAX_BUILD_ID];
	size_t n;
};

/* The GNU build-id note in one block of notes; 0 when it is there. */
static int find_build_id(Elf_Data *data, struct build_id *id)
{
	size_t off = 0, name_off, desc_off;
	GElf_Nhdr nh;
	while (data && data->d_buf && (off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type != NT_GNU_BUILD_ID_TYPE || nh.n_namesz != 4 ||
		    memcmp((const char *)data->d_buf + name_off, "GNU", 4) || !nh.n_descsz || nh.n_descsz > MAX_BUILD_ID)
			continue;
		memcpy(id->v, (const char *)data->d_buf + desc_off, nh.n_descsz);
		id->n = nh.n_descsz;
		return 0;
	}
	return -1;
}

/* From the note sections, else (no section headers) from the PT_NOTE segments. */
static int read_build_id(Elf *e, struct build_id *id)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(e, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_NOTE && !find_build_id(elf_getdata(scn, NULL), id))
			return 0;
	size_t nph;
	if (elf_getphdrnum(e, &nph))
		return -1;
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_NOTE)
			continue;
		Elf_Data *d = elf_getdata_rawchunk(e, (int64_t)ph.p_offset, ph.p_filesz,
						   ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
		if (!find_build_id(d, id))
			return 0;
	}
	return -1;
}

static int file_build_id(const char *path, struct build_id *id)
{
	int fd, err;
	Elf *e = elf_open_file(path, &fd, &err);
	if (!e)
		return -1;
	int rc = read_build_id(e, id);
	elf_close_file(e, fd);
	return rc;
}

int elf_build_id_hex(const char *path, char *out, size_t n)
{
	struct build_id id;
	if (file_build_id(path, &id) || n < 2 * id.n + 1)
		return -1;
	for (size_t i = 0; i < id.n; i++)
		snprintf(out + 2 * i, 3, "%02x", id.v[i]);
	return 0;
}

/* .gnu_debuglink: the debug file's name, then (4-aligned) the CRC-32 of its contents. */
static int read_debuglink(Elf *e, char *name, size_t n, uint32_t *crc)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(e, &shstrndx))
		return -1;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(e, scn))) {
		const char *sname;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    !(sname = elf_strptr(e, shstrndx, sh.sh_name)) || strcmp(sname, ".gnu_debuglink"))
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			return -1;
		const char *s = d->d_buf;
		const char *nul = memchr(s, 0, d->d_size);
		size_t at = nul ? ((size_t)(nul - s) + 4) & ~(size_t)3 : 0;
		if (!nul || nul == s || at + 4 > d->d_size || (size_t)(nul - s) >= n)
			return -1;
		memcpy(name, s, (size_t)(nul - s) + 1);
		unsigned char b[4];
		memcpy(b, s + at, 4);
		/* stored in the file's byte order */
		GElf_Ehdr eh;
		if (!gelf_getehdr(e, &eh))
			return -1;
		*crc = eh.e_ident[EI_DATA] == ELFDATA2MSB ?
			(uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3] :
			(uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
		return 0;
	}
	return -1;
}

static int file_crc(const char *path, uint32_t *crc)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	enum { CHUNK = 1 << 16 };
	unsigned char *buf = xmalloc(CHUNK);
	uLong c = crc32(0L, Z_NULL, 0);
	ssize_t r;
	while ((r = read(fd, buf, CHUNK)) > 0)
		c = crc32(c, buf, (uInt)r);
	free(buf);
	close(fd);
	*crc = (uint32_t)c;
	return r < 0 ? -1 : 0;
}

/* A regular file that is not the binary itself (a debuglink may name the binary's own name). */
static int other_file(const char *path, const struct stat *self)
{
	struct stat st;
	return !stat(path, &st) && S_ISREG(st.st_mode) && (st.st_dev != self->st_dev || st.st_ino != self->st_ino);
}

/* The debug roots: $SONDE_DEBUG_DIRS, else /usr/lib/debug (inside PREFIX first: a process's root). */
static int debug_roots(const char *prefix, char roots[][PATH_MAX], int max)
{
	int k = 0;
	const char *env = getenv("SONDE_DEBUG_DIRS");
	if (env && *env) {
		for (const char *p = env; *p && k < max;) {
			size_t len = strcspn(p, ":");
			if (len && len < PATH_MAX)
				snprintf(roots[k++], PATH_MAX, "%.*s", (int)len, p);
			p += len + (p[len] == ':');
		}
		return k;
	}
	if (*prefix)
		snprintf(roots[k++], PATH_MAX, "%s/usr/lib/debug", prefix);
	snprintf(roots[k++], PATH_MAX, "/usr/lib/debug");
	return k;
}

static int by_build_id(const struct build_id *id, char roots[][PATH_MAX], int nroots, const struct stat *self,
		       char *out, size_t n)
{
	char hex[2 * MAX_BUILD_ID + 1];
	for (size_t i = 0; i < id->n; i++)
		snprintf(hex + 2 * i, 3, "%02x", id->v[i]);
	for (int r = 0; r < nroots; r++) {
		char cand[PATH_MAX + 2 * MAX_BUILD_ID + 32];
		snprintf(cand, sizeof(cand), "%s/.build-id/%.2s/%s.debug", roots[r], hex, hex + 2);
		struct build_id got;
		/* a stale link (the package was upgraded, the dbgsym not) must not be used */
		if (other_file(cand, self) && !file_build_id(cand, &got) && got.n == id->n && !memcmp(got.v, id->v, id->n) &&
		    (size_t)snprintf(out, n, "%s", cand) < n)
			return 0;
	}
	return -1;
}

static int try_debuglink(const char *cand, uint32_t crc, const struct stat *self, char *out, size_t n)
{
	uint32_t got;
	return other_file(cand, self) && !file_crc(cand, &got) && got == crc && (size_t)snprintf(out, n, "%s", cand) < n ?
		0 : -1;
}

static int by_debuglink(const char *path, const char *prefix, const char *link, uint32_t crc,
			char roots[][PATH_MAX], int nroots, const struct stat *self, char *out, size_t n)
{
	/* DIR is where the binary really is (a symlink's target; for a relative path, the absolute one) */
	char dir[PATH_MAX], cand[2 * PATH_MAX + NAME_MAX + 16];
	if (*prefix || !realpath(path, dir))
		snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(dir, sizeof(dir), ".");
	snprintf(cand, sizeof(cand), "%s/%s", dir, link);
	if (!try_debuglink(cand, crc, self, out, n))
		return 0;
	snprintf(cand, sizeof(cand), "%s/.debug/%s", dir, link);
	if (!try_debuglink(cand, crc, self, out, n))
		return 0;
	/* ROOT/DIR/NAME with DIR as the process sees it */
	for (int r = 0; r < nroots; r++) {
		snprintf(cand, sizeof(cand), "%s%s/%s", roots[r], dir + strlen(prefix), link);
		if (!try_debuglink(cand, crc, self, out, n))
			return 0;
	}
	return -1;
}

int debug_file_for(const char *path, char *out, size_t n)
{
	struct stat self;
	if (stat(path, &self))
		return -1;
	int fd, err;
	Elf *e = elf_open_file(path, &fd, &err);
	if (!e)
		return -1;
	struct build_id id = { .n = 0 };
	int have_id = !read_build_id(e, &id);
	char link[NAME_MAX + 1];
	uint32_t crc = 0;
	int have_link = !read_debuglink(e, link, sizeof(link), &crc) && !strchr(link, '/');
	elf_close_file(e, fd);

	/* a file inside a process's root (/proc/PID/root/...): its debug files are there too */
	char prefix[64] = "";
	int end = 0;
	unsigned pid;
	if (sscanf(path, "/proc/%u/root%n", &pid, &end) == 1 && end && path[end] == '/')
		snprintf(prefix, sizeof(prefix), "%.*s", end, path);
	char (*roots)[PATH_MAX] = xcalloc(MAX_ROOTS, PATH_MAX);
	int nroots = debug_roots(prefix, roots, MAX_ROOTS);
	int rc = -1;
	if (have_id)
		rc = by_build_id(&id, roots, nroots, &self, out, n);
	if (rc && have_link)
		rc = by_debuglink(path, prefix, link, crc, roots, nroots, &self, out, n);
	free(roots);
	return rc;
}
