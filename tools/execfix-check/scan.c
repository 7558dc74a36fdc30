// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check: running 64-bit processes that the layout bug already hit.
 * The signature: ld.so or a library (a file other than the process's own
 * executable) mapped PROT_EXEC below 4 GiB.  Anonymous PROT_EXEC maps
 * below 4 GiB are what MAP_32BIT JIT caches (LuaJIT, Mono) ask for: listed
 * apart, never counted as hits; so are memfd, /dev/zero and SysV shared
 * memory maps (anonymous memory with a name).  A process's own text below
 * 4 GiB is how a non-PIE program is linked: not a hit.
 *
 * maps_classify() reads one maps file (tests feed it fixtures: the
 * --classify-maps mode); scan_processes() runs it on every 64-bit process
 * of EXECFIX_PROCFS (default /proc).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "execfix_util.h"
#include "execfix-check.h"

static int anon_like(const char *file)
{
	return !file[0] || !strncmp(file, "/memfd:", 7) ||
	       !strncmp(file, "/dev/zero", 9) || !strncmp(file, "/SYSV", 5);
}

static void strip_deleted(char *s)
{
	size_t n = strlen(s);

	if (n > 10 && !strcmp(s + n - 10, " (deleted)"))
		s[n - 10] = '\0';
}

int maps_classify(const char *maps_path, const char *exe,
		  struct maps_verdict *v)
{
	char line[4608], own[4096];
	FILE *f = fopen(maps_path, "r");

	memset(v, 0, sizeof(*v));
	if (!f)
		return -1;
	snprintf(own, sizeof(own), "%s", exe ? exe : "");
	strip_deleted(own);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end;
		char perms[8], *file;
		int off = 0;

		if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %n", &start, &end,
			   perms, &off) < 3 || !off)
			continue;
		file = line + off;
		file[strcspn(file, "\n")] = '\0';
		strip_deleted(file);
		if (!strchr(perms, 'x') || start >= ADDR_4G || file[0] == '[')
			continue;
		if (anon_like(file)) {
			if (!v->anon_low++)
				v->anon_map = start;
			continue;
		}
		if (own[0] && !strcmp(file, own))
			continue;
		if (!v->hit++) {
			v->hit_map = start;
			snprintf(v->hit_file, sizeof(v->hit_file), "%s", file);
		}
	}
	fclose(f);
	return 0;
}

enum maps_class maps_class_of(const struct maps_verdict *v)
{
	return v->hit ? MAPS_HIT : v->anon_low ? MAPS_ANON_LOW : MAPS_CLEAN;
}

/* Class of an ELF file: 64, 32 or 0 (unreadable). */
static int elf_bits(const char *path)
{
	unsigned char h[5];
	int fd = open(path, O_RDONLY), bits = 0;

	if (fd < 0)
		return 0;
	if (read(fd, h, 5) == 5 && !memcmp(h, "\177ELF", 4))
		bits = h[4] == 2 ? 64 : h[4] == 1 ? 32 : 0;
	close(fd);
	return bits;
}

/* Without a readable executable: a map at or above 4 GiB is 64-bit. */
static int maps_bits(const char *maps_path)
{
	char line[512];
	unsigned long long start;
	FILE *f = fopen(maps_path, "r");
	int bits = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx-", &start) == 1 && start >= ADDR_4G &&
		    !strstr(line, "[vsyscall]")) {
			bits = 64;
			break;
		}
	fclose(f);
	return bits ? bits : 32;
}

static void proc_comm(int pid, char *comm, size_t size, int *ppid)
{
	char rel[64], path[512], buf[512], *l, *r;

	snprintf(comm, size, "?");
	*ppid = 0;
	snprintf(rel, sizeof(rel), "%d/stat", pid);
	if (read_text(procfs_path(path, sizeof(path), rel), buf,
		      sizeof(buf)) <= 0)
		return;
	l = strchr(buf, '(');
	r = strrchr(buf, ')');
	if (!l || !r || r < l)
		return;
	snprintf(comm, size, "%.*s", (int)(r - l - 1), l + 1);
	if (sscanf(r + 1, " %*c %d", ppid) != 1)
		*ppid = 0;
}

/* A kernel thread (PF_KTHREAD in /proc/PID/stat's flags, world-readable)? */
static int kthread(int pid)
{
	char rel[64], path[512], buf[512], *r;
	unsigned long flags = 0;

	snprintf(rel, sizeof(rel), "%d/stat", pid);
	if (read_text(procfs_path(path, sizeof(path), rel), buf,
		      sizeof(buf)) <= 0)
		return 0;
	r = strrchr(buf, ')');
	if (!r || sscanf(r + 1, " %*c %*d %*d %*d %*d %*d %lu", &flags) != 1)
		return 0;
	return (flags & 0x00200000UL) != 0;
}

static void note(struct proc_entry *list, int *n, int pid,
		 unsigned long long map, const char *file)
{
	struct proc_entry *e;
	int pp;

	if (*n >= MAX_LIST)
		return;
	e = &list[(*n)++];
	e->pid = pid;
	proc_comm(pid, e->comm, sizeof(e->comm), &e->ppid);
	proc_comm(e->ppid, e->pcomm, sizeof(e->pcomm), &pp);
	e->low_map = map;
	snprintf(e->file, sizeof(e->file), "%s", file);
}

void scan_processes(struct scan_result *s)
{
	char dir[512];
	DIR *d = opendir(procfs_path(dir, sizeof(dir), ""));
	struct dirent *e;

	memset(s, 0, sizeof(*s));
	if (!d)
		return;
	s->done = 1;
	while ((e = readdir(d))) {
		char rel[64], exe_path[512], maps[512], exe[4096];
		struct maps_verdict v;
		int pid = atoi(e->d_name), bits;
		ssize_t n;

		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(rel, sizeof(rel), "%d/exe", pid);
		procfs_path(exe_path, sizeof(exe_path), rel);
		snprintf(rel, sizeof(rel), "%d/maps", pid);
		procfs_path(maps, sizeof(maps), rel);
		n = readlink(exe_path, exe, sizeof(exe) - 1);
		if (n <= 0) {
			/* kernel threads have none; else not ours to read */
			if ((errno == EACCES || errno == EPERM) && !kthread(pid))
				s->unreadable++;
			continue;
		}
		exe[n] = '\0';
		bits = elf_bits(exe_path);
		if (!bits)
			bits = maps_bits(maps);
		if (bits != 64)
			continue;
		if (maps_classify(maps, exe, &v)) {
			s->unreadable++;
			continue;
		}
		s->scanned++;
		if (v.hit) {
			s->nhits_total++;
			note(s->hits, &s->nhits, pid, v.hit_map, v.hit_file);
		}
		if (v.anon_low) {
			s->nanon_total++;
			note(s->anon, &s->nanon, pid, v.anon_map, "anonymous");
		}
	}
	closedir(d);
}
