// SPDX-License-Identifier: GPL-2.0
/* Reading a slabinfo sequence file (seq.h has the format). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seq.h"

#define SEQ_FILE_MAX	(4 * 1024 * 1024)

static int header(const char *line, struct leak_seq *s)
{
	const char *p;

	p = strstr(line, "execs=");
	if (!p)
		return -1;
	s->execs = strtol(p + 6, NULL, 10);
	p = strstr(line, "drained=");
	s->drained = p ? atoi(p + 8) : 0;
	p = strstr(line, "size=");
	s->size = p ? (unsigned int)strtoul(p + 5, NULL, 10) : 32;
	return s->execs > 0 ? 0 : -1;
}

/* The reading before the next part's end, per kind of round. */
static long long last_reading[2];

/* Count the section [text, end) of a reading into the right round. */
static int section(struct leak_seq *s, const char *label, char *text,
		   char *err, size_t errsize)
{
	struct leak_round *r;
	int *nr, kind;
	long long active;
	const char *secs;

	if (!strncmp(label, "control ", 8)) {
		r = s->control;
		nr = &s->ncontrol;
		label += 8;
		kind = 0;
	} else if (!strncmp(label, "loop ", 5)) {
		r = s->loop;
		nr = &s->nloop;
		label += 5;
		kind = 1;
	} else {
		snprintf(err, errsize, "unknown reading \"%s\"", label);
		return -1;
	}
	if (strncmp(label, "after", 5) && strncmp(label, "before", 6) &&
	    strncmp(label, "part", 4)) {
		snprintf(err, errsize, "reading must be before, part or after: \"%s\"",
			 label);
		return -1;
	}
	if (s->kind == SLAB_NONE)
		s->kind = slab_kind_of(text);
	active = slab_active(text, s->kind, s->size);
	if (active < 0) {
		snprintf(err, errsize, "no %u-byte kmalloc cache in reading \"%s\"",
			 s->size, label);
		return -1;
	}
	if (!strncmp(label, "before", 6)) {
		if (*nr >= SEQ_MAX_ROUNDS) {
			snprintf(err, errsize, "more than %d rounds", SEQ_MAX_ROUNDS);
			return -1;
		}
		memset(&r[*nr], 0, sizeof(r[*nr]));
		r[*nr].n = s->execs;
		r[*nr].before = active;
		r[*nr].after = -1;
		last_reading[kind] = active;
		(*nr)++;
		return 0;
	}
	if (!*nr || r[*nr - 1].after >= 0) {
		snprintf(err, errsize, "\"%s\" without \"before\"", label);
		return -1;
	}
	r += *nr - 1;
	if (r->nparts >= LEAK_MAX_PARTS - (label[0] == 'p')) {
		snprintf(err, errsize, "more than %d parts in a round",
			 LEAK_MAX_PARTS);
		return -1;
	}
	/* parts only when the round has a "part" reading */
	if (label[0] == 'p' || r->nparts)
		r->part[r->nparts++] = active - last_reading[kind];
	last_reading[kind] = active;
	if (label[0] == 'a') {
		r->after = active;
		secs = strstr(label, "secs=");
		if (secs)
			r->secs = strtod(secs + 5, NULL);
	}
	return 0;
}

int leak_seq_load(const char *path, struct leak_seq *s, char *err,
		  size_t errsize)
{
	char *buf, *p, *next, *label = NULL, *body = NULL;
	FILE *f;
	size_t len;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	f = fopen(path, "r");
	buf = malloc(SEQ_FILE_MAX);
	if (!f || !buf) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		goto out;
	}
	len = fread(buf, 1, SEQ_FILE_MAX - 1, f);
	buf[len] = '\0';
	next = strchr(buf, '\n');
	if (next)
		*next = '\0';
	if (!next || header(buf, s)) {
		snprintf(err, errsize, "%s: first line must be \"execs=N drained=0|1\"",
			 path);
		goto out;
	}
	for (p = next + 1; p && *p; p = next) {
		next = strstr(p, "\n=== ");
		if (!strncmp(p, "=== ", 4)) {
			char *eol = strchr(p, '\n');

			if (!eol)
				break;
			*eol = '\0';
			label = p + 4;
			body = eol + 1;
		}
		if (next) {
			*next = '\0';
			next++;
		}
		if (label && section(s, label, body, err, errsize))
			goto out;
		label = NULL;
	}
	if (s->nloop && s->loop[s->nloop - 1].after < 0) {
		snprintf(err, errsize, "%s: last \"loop before\" has no \"after\"", path);
		goto out;
	}
	if (s->ncontrol && s->control[s->ncontrol - 1].after < 0) {
		snprintf(err, errsize, "%s: last \"control before\" has no \"after\"", path);
		goto out;
	}
	rc = 0;
out:
	if (f)
		fclose(f);
	free(buf);
	return rc;
}

int leak_seq_judge(const char *path, leak_judge_fn *judge)
{
	struct leak_judgement j;
	struct leak_seq s;
	char err[256];

	if (leak_seq_load(path, &s, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	judge(s.drained, s.control, s.ncontrol, s.loop, s.nloop, &j);
	printf("verdict=%s rule=%s rounds=%d execs=%ld\n",
	       leak_verdict_name(j.verdict), j.rule, j.rounds, j.execs);
	return j.verdict == LEAK_CLEAN ? 0 : j.verdict == LEAK_LEAKY ? 1 : 4;
}
