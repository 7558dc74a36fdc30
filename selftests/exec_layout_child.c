// SPDX-License-Identifier: GPL-2.0
/*
 * exec_layout: its children (exec_layout.h).  Which siblings exist and
 * whether they are dynamically linked (their PT_INTERP), and one run of a
 * child under a variant (exec-shield is set by the caller; the stack
 * limit here, in the child, before the exec), its report collected.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "execfix_util.h"
#include "exec_layout.h"

/* Is the ELF file dynamically linked?  Fills interp with its PT_INTERP. */
static int elf_interp(const char *path, char *interp, size_t size)
{
	unsigned char ehdr[sizeof(Elf64_Ehdr)];
	int fd = open(path, O_RDONLY);
	unsigned long long phoff;
	unsigned int phnum, phentsize, i;
	int is64, found = 0;

	interp[0] = '\0';
	if (fd < 0)
		return -1;
	if (pread(fd, ehdr, sizeof(ehdr), 0) < (ssize_t)sizeof(Elf32_Ehdr) ||
	    memcmp(ehdr, ELFMAG, SELFMAG)) {
		close(fd);
		return -1;
	}
	is64 = ehdr[EI_CLASS] == ELFCLASS64;
	if (is64) {
		Elf64_Ehdr *e = (Elf64_Ehdr *)ehdr;

		phoff = e->e_phoff;
		phnum = e->e_phnum;
		phentsize = e->e_phentsize;
	} else {
		Elf32_Ehdr *e = (Elf32_Ehdr *)ehdr;

		phoff = e->e_phoff;
		phnum = e->e_phnum;
		phentsize = e->e_phentsize;
	}
	for (i = 0; i < phnum && !found; i++) {
		unsigned char ph[sizeof(Elf64_Phdr)];
		unsigned long long off, len;
		unsigned int type;

		if (phentsize > sizeof(ph) ||
		    pread(fd, ph, phentsize, phoff + (unsigned long long)i *
			  phentsize) != (ssize_t)phentsize)
			break;
		if (is64) {
			type = ((Elf64_Phdr *)ph)->p_type;
			off = ((Elf64_Phdr *)ph)->p_offset;
			len = ((Elf64_Phdr *)ph)->p_filesz;
		} else {
			type = ((Elf32_Phdr *)ph)->p_type;
			off = ((Elf32_Phdr *)ph)->p_offset;
			len = ((Elf32_Phdr *)ph)->p_filesz;
		}
		if (type != PT_INTERP)
			continue;
		if (len >= size)
			len = size - 1;
		if (pread(fd, interp, len, off) == (ssize_t)len) {
			interp[len] = '\0';
			found = 1;
		}
	}
	close(fd);
	return found;
}

void child_kind_init(struct child_kind *c, const char *dir, int bits,
			    const char *suffix)
{
	c->bits = bits;
	snprintf(c->path, sizeof(c->path), "%s/exec_layout_%d%s", dir, bits,
		 suffix);
	c->present = access(c->path, X_OK) == 0;
	c->dynamic = c->present &&
		elf_interp(c->path, c->interp, sizeof(c->interp)) > 0;
	c->interp_present = c->dynamic && access(c->interp, R_OK) == 0;
}

int run_child(const struct child_kind *c, const struct variant *v,
		     struct report *r)
{
	int pipefd[2];
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe(pipefd))
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		int err = errno;

		close(pipefd[0]);
		close(pipefd[1]);
		errno = err;
		return -1;
	}
	if (pid == 0) {
		char *argv[] = { (char *)c->path, "--child", NULL };
		char msg[64];
		int n;

		close(pipefd[0]);
		if (dup2(pipefd[1], 1) < 0)
			_exit(126);
		if (v->stack_unlimited) {
			struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

			if (setrlimit(RLIMIT_STACK, &rl)) {
				n = snprintf(msg, sizeof(msg),
					     "rlimit_errno=%d\n", errno);
				if (write(1, msg, n) < 0)
					_exit(126);
				_exit(126);
			}
		}
		execv(c->path, argv);
		n = snprintf(msg, sizeof(msg), "exec_errno=%d\n", errno);
		if (write(1, msg, n) < 0)
			_exit(127);
		_exit(127);
	}
	close(pipefd[1]);
	read_child(pipefd[0], pid, r->text, sizeof(r->text), &r->status);
	{
		unsigned long long e;

		if (!kv_get_ull(r->text, "exec_errno", &e))
			r->exec_errno = (int)e;
		if (!kv_get_ull(r->text, "rlimit_errno", &e))
			r->exec_errno = (int)e;
	}
	layout_parse(r->text, &r->l);
	return 0;
}
