// SPDX-License-Identifier: GPL-2.0
/*
 * noise-guest: in-guest check of execfix_noise.ko (module/testing/kmod/).
 * Loads it (init_module), checks through /proc/execfix_noise and the slab
 * counts of the cache it allocates in that each mode moves the count at the
 * rate asked for, that the control file changes the settings and refuses
 * nonsense, and that "free" and unload give every object back.
 *
 *   noise-guest [KO]      default $EXECFIX_NOISE_KO, else
 *                         /tests/execfix_noise.ko (next to it in a
 *                         run-qemu --selftests directory)
 *
 * Slab counts: measure/'s (slab.h): the 32-byte class drained (SLUB: its
 * shrink flushes the CPU slabs; SLAB: its tunables written back free the
 * per-CPU arrays), then its active objects in /proc/slabinfo (kmalloc-32
 * and any kmalloc-rnd-NN-32, or size-32): exact but for other tasks'
 * allocations.  Times: the exec loop's clock (exec_now()).
 * Static, C99, no system call newer than Linux 2.6.32. TAP 13; exit 0 pass,
 * 1 fail, 4 skip (no module file).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "execfix_util.h"
#include "execloop.h"
#include "kmod.h"
#include "slab.h"
#include "tap.h"

#define NOISE_PROC	"/proc/execfix_noise"
#define NOISE_NAME	"execfix_noise"
#define CACHE_SIZE	32
/* Slack of a reading: a few slabs of 32-byte objects (128 a page). */
#define SLAB_SLACK	300

static const char *noise_ko;

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* measure/kmod.c's loader, in this program's -errno convention. */
static int load(const char *params)
{
	return -kmod_load(noise_ko, params);
}

static int unload(void)
{
	return -kmod_unload(NOISE_NAME);
}

/*
 * Objects in use in the 32-byte kmalloc cache, drained first (undrained
 * when the drain fails); -1 when unreadable.
 */
static long slab_count(void)
{
	static char text[SLABINFO_MAX];
	enum slab_kind kind;

	if (slab_read(NULL, text, sizeof(text)))
		return -1;
	kind = slab_kind_of(text);
	if (!slab_drain_class(slab_drain_for(kind), text, CACHE_SIZE) &&
	    slab_read(NULL, text, sizeof(text)))
		return -1;
	return (long)slab_active(text, kind, CACHE_SIZE);
}

/* A number of /proc/execfix_noise; -1 when unreadable. */
static long noise_get(const char *key)
{
	char buf[1024];
	unsigned long long v;

	if (read_text(NOISE_PROC, buf, sizeof(buf)) <= 0 ||
	    kv_get_ull(buf, key, &v))
		return -1;
	return (long)v;
}

struct sample {
	double t;
	long slab, allocated, freed, held;
};

static void take(struct sample *s)
{
	s->slab = slab_count();
	s->t = exec_now();
	s->allocated = noise_get("allocated");
	s->freed = noise_get("freed");
	s->held = noise_get("held");
}

/*
 * Over secs: the module's own allocation rate within 5% of alloc_rate, and
 * the slab count's growth within 20% (plus a reading's slack and quantum,
 * the burst size) of net_rate.
 */
static void check_rate(const char *what, double secs, double alloc_rate,
		       double net_rate, double quantum)
{
	struct sample a, b;
	double dt, got_alloc, got_net, tol;

	take(&a);
	sleep_s(secs);
	take(&b);
	dt = b.t - a.t;
	got_alloc = (b.allocated - a.allocated) / dt;
	got_net = (b.slab - a.slab) / dt;
	diag("%s: %.2f s, allocated %ld -> %ld (%.0f/s), freed %ld -> %ld, held %ld -> %ld, slab %ld -> %ld (%+.0f/s)",
	     what, dt, a.allocated, b.allocated, got_alloc, a.freed, b.freed,
	     a.held, b.held, a.slab, b.slab, got_net);
	tol = alloc_rate * 0.05 + (quantum + 2) / dt;
	tap(a.allocated >= 0 && got_alloc >= alloc_rate - tol &&
	    got_alloc <= alloc_rate + tol,
	    "%s: the module allocates %.0f/s (asked %.0f/s)", what, got_alloc,
	    alloc_rate);
	tol = net_rate * 0.2 + (SLAB_SLACK + quantum) / dt;
	tap(a.slab >= 0 && got_net >= net_rate - tol && got_net <= net_rate + tol,
	    "%s: the slab count moves %+.0f/s (expected %+.0f/s, +-%.0f)",
	    what, got_net, net_rate, tol);
}

/* Settings through the control file; with ok_expected 0 it must refuse. */
static void control(const char *words, int ok_expected)
{
	int rc = write_text(NOISE_PROC, words);

	if (ok_expected)
		tap(rc == 0, "write \"%s\": taken", words);
	else
		tap(rc < 0 && errno == EINVAL, "write \"%s\": refused (EINVAL)",
		    words);
}

/* Back to the slab count before the module came: every object returned. */
static void check_returned(const char *what, long base)
{
	long now = slab_count();

	tap(base >= 0 && now >= 0 && now <= base + SLAB_SLACK,
	    "%s: slab count back to %ld (before the module: %ld, slack %d)",
	    what, now, base, SLAB_SLACK);
}

int main(int argc, char **argv)
{
	long base, held;
	int rc;

	noise_ko = argc > 1 ? argv[1] : getenv("EXECFIX_NOISE_KO");
	if (!noise_ko)
		noise_ko = "/tests/execfix_noise.ko";
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	if (access(noise_ko, R_OK) != 0) {
		printf("1..0 # SKIP no %s\n", noise_ko);
		return 4;
	}
	base = slab_count();
	diag("%d-byte kmalloc cache: %ld objects before the module", CACHE_SIZE,
	     base);

	rc = load("size=0");
	tap(rc == -EINVAL, "load with size=0 refused (%d)", rc);
	if (rc == 0)
		unload();

	rc = load("mode=grow rate=1000 size=32");
	tap(rc == 0, "load mode=grow rate=1000 (%d)", rc);
	if (rc)
		return tap_done(0);
	sleep_s(0.5);
	tap(noise_get("running") == 1, "running=1 in " NOISE_PROC);
	check_rate("grow 1000/s", 3, 1000, 1000, 0);

	control("rate=100", 1);
	check_rate("grow 100/s (about a '#!' exec rate)", 4, 100, 100, 0);

	control("mode=bogus", 0);
	control("rate=5 nonsense", 0);
	control("size=32,64,96,128,160", 0);
	tap(noise_get("rate") == 100, "a refused write changed nothing (rate=%ld)",
	    noise_get("rate"));

	/* Two caches, each at the full rate: the 32-byte one moves 200/s. */
	control("rate=200 size=32,64", 1);
	check_rate("grow 200/s in kmalloc-32 and -64", 3, 400, 200, 0);

	/* churn frees the older grow objects first (hold_ms ago and more) */
	control("mode=churn rate=1000 hold_ms=200 size=32", 1);
	sleep_s(0.5);
	check_rate("churn 1000/s, hold 200 ms", 3, 1000, 0, 0);
	held = noise_get("held");
	tap(held >= 100 && held <= 400, "churn holds about rate x hold = 200 (%ld)",
	    held);

	control("mode=burst burst=500 period_ms=500 hold_ms=0", 1);
	sleep_s(0.2);
	check_rate("burst 500 every 500 ms, kept", 3, 1000, 1000, 500);

	control("stop free", 1);
	tap(noise_get("held") == 0 && noise_get("running") == 0,
	    "\"stop free\": held=%ld running=%ld", noise_get("held"),
	    noise_get("running"));
	check_returned("after free", base);

	control("mode=grow rate=2000 start", 1);
	sleep_s(1);
	held = noise_get("held");
	tap(held > 1000, "grow 2000/s again: %ld held before unload", held);
	rc = unload();
	tap(rc == 0 && access(NOISE_PROC, F_OK) != 0,
	    "unload (%d), " NOISE_PROC " gone", rc);
	check_returned("after unload", base);

	return tap_done(0);
}
