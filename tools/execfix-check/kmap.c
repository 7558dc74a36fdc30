// SPDX-License-Identifier: GPL-2.0
/*
 * execfix-check: the known status of the running release, from the
 * affected-kernel map data/affected-kernels.tsv (tab-separated, '#'
 * comments, a header line; columns uname tree kind source commit layout
 * interp proof build_s boot_s).  The Makefile embeds the file at build
 * time (kmap-table.h); --map FILE reads another at run time.  A release
 * matches a row when it equals `uname` or starts with `uname` and a '.'
 * (2.6.32-431.el6.x86_64 matches 2.6.32-431.el6; 2.6.32-431.5.1.el6 does
 * not); the longest such `uname` wins.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "execfix_util.h"
#include "execfix-check.h"
#include "kmap-table.h"		/* kmap_embedded[]: the TSV, or "" */

#define KMAP_MAX	(1 << 20)

static void field(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* One data line into row; 0 when it has the ten columns. */
static int parse_row(char *line, struct kmap_row *row)
{
	char *f[10];
	int n = 0;
	char *p = line;

	while (n < 10) {
		f[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (n < 10)
		return -1;
	field(row->uname, sizeof(row->uname), f[0]);
	field(row->tree, sizeof(row->tree), f[1]);
	field(row->kind, sizeof(row->kind), f[2]);
	field(row->source, sizeof(row->source), f[3]);
	field(row->commit, sizeof(row->commit), f[4]);
	field(row->layout, sizeof(row->layout), f[5]);
	field(row->interp, sizeof(row->interp), f[6]);
	field(row->proof, sizeof(row->proof), f[7]);
	field(row->build_s, sizeof(row->build_s), f[8]);
	field(row->boot_s, sizeof(row->boot_s), f[9]);
	return 0;
}

static int matches(const char *release, const char *uname)
{
	size_t n = strlen(uname);

	return n && !strncmp(release, uname, n) &&
	       (release[n] == '\0' || release[n] == '.');
}

static void lookup(char *text, const char *release, struct kmap_match *m)
{
	char *line = text, *next;
	size_t best = 0;
	int header = 0;

	for (; line && *line; line = next) {
		struct kmap_row row;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (line[0] == '#' || !line[0])
			continue;
		if (!header && !strncmp(line, "uname\t", 6)) {
			header = 1;
			continue;
		}
		if (parse_row(line, &row) || !matches(release, row.uname) ||
		    strlen(row.uname) <= best)
			continue;
		best = strlen(row.uname);
		m->row = row;
		m->found = 1;
	}
	if (!header) {
		m->loaded = 0;
		snprintf(m->why, sizeof(m->why),
			 "%.120s has no header line (uname<TAB>tree<TAB>...)",
			 m->source);
	}
}

void kmap_lookup(const char *file, const char *release, struct kmap_match *m)
{
	static char text[KMAP_MAX];

	memset(m, 0, sizeof(*m));
	if (file) {
		snprintf(m->source, sizeof(m->source), "%s", file);
		if (read_text(file, text, sizeof(text)) < 0) {
			snprintf(m->why, sizeof(m->why), "cannot read %s: %s",
				 file, strerror(errno));
			return;
		}
	} else {
		snprintf(m->source, sizeof(m->source), "embedded");
		if (!kmap_embedded[0]) {
			snprintf(m->why, sizeof(m->why),
				 "this build carries no map (data/affected-kernels.tsv was absent)");
			return;
		}
		snprintf(text, sizeof(text), "%s", kmap_embedded);
	}
	m->loaded = 1;
	lookup(text, release, m);
}
