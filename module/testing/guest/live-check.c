// SPDX-License-Identifier: GPL-2.0
/*
 * live-guest: hook_integrity and check_verdict: execfix_hook.ko seen by
 * /proc/execfix/integrity and execfix-check, and execfix-check's verdicts;
 * check_scan (its process scan: a JIT-like process, a dynamic child of a
 * 32-bit parent) and check_restricted (not root, slabinfo masked,
 * /proc/sys read-only).  execfix_check_es=V on the kernel command line
 * sets exec-shield for the three execfix-check tests (put back after),
 * execfix_check_wa=stack,cleared:1,off:0 the workarounds check_verdict
 * must recommend, in that order.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "execfix_util.h"
#include "execshield.h"
#include "execloop.h"
#include "kmod.h"
#include "leakrun.h"
#include "seq.h"
#include "tap.h"
#include "live-guest.h"

/* Lines of integrity naming module:execfix_hook, and hooked=. */
static void read_integrity(unsigned long long *hooked, int *naming)
{
	char path[256], buf[16384], *p;

	*hooked = ~0ULL;
	*naming = 0;
	snprintf(path, sizeof(path), "%s/integrity", execfix_proc_dir());
	if (read_text(path, buf, sizeof(buf)) <= 0)
		return;
	kv_get_ull(buf, "hooked", hooked);
	for (p = buf; (p = strstr(p, "module:execfix_hook")); p++)
		(*naming)++;
}

int test_hook(void)
{
	char *const check[] = { T "execfix-check", "--json", "--execs", "20", NULL };
	char *const exec64[] = { T "interp_stub", NULL };
	char *const exec32[] = { T "execfix_helper32", T "interp_stub", NULL };
	static char out[1 << 16];
	unsigned long long hooked, hits = 0;
	char path[256];
	int naming, err;

	snprintf(path, sizeof(path), "%s/integrity", execfix_proc_dir());
	if (access(path, R_OK))
		return printf("1..0 # SKIP %s absent: execfix.ko not loaded\n",
			      path), 4;
	read_integrity(&hooked, &naming);
	tap(hooked == 0, "before: hooked=%llu", hooked);
	err = kmod_load(HOOK_KO, "");
	show_dmesg("execfix_hook");
	if (err == EPERM) {
		printf("1..%d # SKIP execfix_hook.ko refused: this kernel forbids writing the system call table\n",
		       test_no);
		return test_failed ? 1 : 4;
	}
	tap(err == 0, "execfix_hook.ko loads (%s)", err ? strerror(err) : "ok");
	if (err)
		return tap_done(0);
	read_integrity(&hooked, &naming);
	show_file(path);
	tap(hooked == 2 && naming == 2,
	   "hooked: integrity says hooked=%llu, %d entries name module:execfix_hook",
	   hooked, naming);
	/* interp_stub exits with its argc, 1 */
	tap(run(exec64, 1, NULL, 0) == 1, "a 64-bit exec works while hooked");
	if (!access(exec32[0], X_OK))
		tap(run(exec32, 1, NULL, 0) == 1,
		   "a 32-bit parent's exec works while hooked");
	{
		char buf[64];

		if (read_text("/sys/module/execfix_hook/parameters/native_hits",
			      buf, sizeof(buf)) > 0)
			hits = strtoull(buf, NULL, 10);
	}
	tap(hits > 0, "the hook saw %llu native execve calls", hits);
	if (!access(check[0], X_OK)) {
		int rc = run(check, 1, out, sizeof(out));

		diag("execfix-check: %.*s", (int)strcspn(out, "\n"), out);
		tap(rc == 1 && strstr(out, "\"hooked\":2") &&
		   strstr(out, "module:execfix_hook"),
		   "execfix-check reports hooked=2 naming execfix_hook (exit %d)",
		   rc);
	}
	err = kmod_unload("execfix_hook");
	tap(err == 0, "execfix_hook.ko unloads (%s)", err ? strerror(err) : "ok");
	show_dmesg("execfix_hook");
	read_integrity(&hooked, &naming);
	tap(hooked == 0 && naming == 0, "after unload: hooked=%llu", hooked);
	return tap_done(0);
}

/* "key":"value" after p, the value in v ("" when absent) */
static void json_s_after(const char *p, const char *key, char *v, size_t size)
{
	char want[64];
	const char *q;

	v[0] = '\0';
	snprintf(want, sizeof(want), "\"%s\":\"", key);
	q = strstr(p, want);
	if (q) {
		q += strlen(want);
		snprintf(v, size, "%.*s", (int)strcspn(q, "\""), q);
	}
}

static int verdict_of(const char *json, const char *section, char *v,
		      size_t size)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "\"%s\":{\"verdict\":\"", section);
	p = strstr(json, key);
	if (!p)
		return -1;
	p += strlen(key);
	snprintf(v, size, "%.*s", (int)strcspn(p, "\""), p);
	return 0;
}

/*
 * execfix_check_es=V on the kernel command line: exec-shield set to V for
 * the test (put back by es_restore()); 1 when set.
 */
static int es_from_cmdline(void)
{
	char v[16];
	int ok;

	if (cmdline_value("execfix_check_es=", v, sizeof(v)) || !v[0])
		return 0;
	es_save();
	ok = !es_set(atoi(v));
	tap(ok, "exec-shield set to %s for the test", v);
	return ok;
}

/* exec-shield's value (es_read()) as the tests name it: "absent" or N */
static const char *es_text(int value, char *buf, size_t size)
{
	if (value < 0)
		return "absent";
	snprintf(buf, size, "%d", value);
	return buf;
}

/*
 * The workarounds of a JSON report as "stack,cleared:1,off:0" (kind, and
 * the exec-shield value of each; "+" after one measured to work).
 */
static void wa_list(const char *json, char *buf, size_t size)
{
	const char *p = strstr(json, "\"workarounds\":["), *end;
	size_t len = 0;

	buf[0] = '\0';
	end = p ? strstr(p, "],\"processes_scanned\"") : NULL;
	while (p && end && (p = strstr(p + 1, "{\"name\":\"")) && p < end) {
		char name[48] = "", kind[40] = "";
		const char *w = strstr(p, "\"works\":");

		json_s_after(p, "name", name, sizeof(name));
		json_s_after(p, "kind", kind, sizeof(kind));
		len += snprintf(buf + len, size - len, "%s%s", len ? "," : "",
				!strcmp(kind, "stack") ? "stack" :
				!strcmp(kind, "exec_shield_off") ? "off" :
				"cleared");
		if (strncmp(name, "exec-shield=", 12) == 0)
			len += snprintf(buf + len, size - len, ":%s", name + 12);
		if (w && w < end && w[8] == '1')
			len += snprintf(buf + len, size - len, "+");
		if (len >= size)
			break;
	}
}

int test_check(void)
{
	char *const check[] = { T "execfix-check", "--json", "--execs", "200", NULL };
	char *const human[] = { T "execfix-check", "--execs", "200", NULL };
	static char out[1 << 16];
	char layout[32] = "?", interp[32] = "?";
	const char *want_layout = expect_layout ? "affected" : "not_affected";
	const char *want_interp = expect_leak ? "affected" : "not_affected";
	int rc, want_rc = expect_layout || expect_leak;

	char want_wa[64], got_wa[160], es_buf[16];
	pid_t held = -1;
	int es_changed, es0, es1;

	if (access(check[0], X_OK))
		return printf("1..0 # SKIP no execfix-check\n"), 4;
	/*
	 * e.g. OpenVZ 042stab at 17: flag 16 gates the ia32 allocator; set
	 * before the held process starts, which must be hit.
	 */
	es_changed = es_from_cmdline();
	/* A 64-bit process started by a 32-bit parent, for the scan. */
	if (!access(T "execfix_helper32", X_OK)) {
		char *const hold[] = { T "execfix_helper32", check[0], "--hold", NULL };

		held = fork();
		if (held == 0) {
			execv(hold[0], hold);
			_exit(127);
		}
		sleep(1);
	}
	es0 = es_read();
	diag("execfix-check (for a person, shorter leak rounds):");
	run(human, 0, NULL, 0);
	rc = run(check, 1, out, sizeof(out));
	es1 = es_read();
	tap(es0 == es1, "exec-shield restored (%s)",
	    es_text(es1, es_buf, sizeof(es_buf)));
	diag("json: %.*s", (int)strcspn(out, "\n"), out);
	verdict_of(out, "layout", layout, sizeof(layout));
	verdict_of(out, "interp", interp, sizeof(interp));
	tap(!strcmp(layout, want_layout), "layout: %s (want %s)", layout,
	   want_layout);
	tap(!strcmp(interp, want_interp), "interp: %s (want %s)", interp,
	   want_interp);
	tap(rc == want_rc, "exit %d (want %d)", rc, want_rc);
	if (expect_layout)
		tap(strstr(out, "\"works\":1") != NULL,
		   "a workaround was measured to work here");
	/* execfix_check_wa=stack,cleared:1,off:0: the order recommended */
	wa_list(out, got_wa, sizeof(got_wa));
	diag("workarounds in order (+: measured to work): %s",
	     got_wa[0] ? got_wa : "none");
	if (!cmdline_value("execfix_check_wa=", want_wa, sizeof(want_wa)) &&
	    want_wa[0]) {
		char bare[160];
		size_t i, j;

		for (i = j = 0; got_wa[i] && j < sizeof(bare) - 1; i++)
			if (got_wa[i] != '+')
				bare[j++] = got_wa[i];
		bare[j] = '\0';
		tap(!strcmp(bare, want_wa),
		   "workarounds recommended in order %s (want %s)", bare,
		   want_wa);
	}
	if (es_changed)
		es_restore();
	if (held > 0) {
		char want[64];

		snprintf(want, sizeof(want), "{\"pid\":%d,", (int)held);
		tap(!expect_layout == !strstr(out, want),
		   "the scan %s pid %d, a 64-bit process started by a 32-bit parent",
		   expect_layout ? "lists" : "does not list", (int)held);
		kill(held, SIGKILL);
		waitpid(held, NULL, 0);
	}
	return tap_done(0);
}

/* ---- check_scan and check_restricted ------------------------------------ */

/* execfix-check's exits (scripts/lib/exit-codes.sh: EX_OK .. EX_SKIP) */
enum { EX_OK, EX_FAIL, EX_USAGE, EX_ENV, EX_SKIP };

/* The part of json from after key up to the end marker (or the end), in buf */
static void json_part(const char *json, const char *key, const char *end,
		      char *buf, size_t size)
{
	const char *p = strstr(json, key), *q;

	buf[0] = '\0';
	if (!p)
		return;
	p += strlen(key);
	q = end ? strstr(p, end) : NULL;
	snprintf(buf, size, "%.*s", q ? (int)(q - p) : (int)strlen(p), p);
}

static int lists_pid(const char *list, pid_t pid)
{
	char want[32];

	snprintf(want, sizeof(want), "{\"pid\":%d,", (int)pid);
	return strstr(list, want) != NULL;
}

/* A JIT-like process: a 64-bit task with an anonymous MAP_32BIT code cache */
static pid_t start_jit(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		void *p;

		prctl(PR_SET_NAME, "jit-like", 0, 0, 0);
		p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE | PROT_EXEC,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		if (p == MAP_FAILED)
			_exit(1);
		memset(p, 0xc3, 4096);	/* ret: code was "generated" */
		pause();
		_exit(0);
	}
	return pid;
}

/* The maps line of pid's first PROT_EXEC mapping below 4 GiB, or "none" */
static void low_exec_map(pid_t pid, char *line, size_t size)
{
	char path[64], buf[16384], *p, *nl;
	unsigned long long start;
	char perms[8];

	snprintf(line, size, "none");
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	if (read_text(path, buf, sizeof(buf)) <= 0)
		return;
	for (p = buf; p && *p; p = nl) {
		nl = strchr(p, '\n');
		if (nl)
			*nl++ = '\0';
		if (sscanf(p, "%llx-%*x %7s", &start, perms) == 2 &&
		    perms[2] == 'x' && start < (1ULL << 32)) {
			snprintf(line, size, "%.*s", (int)size - 1, p);
			return;
		}
	}
}

static void stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/*
 * check_scan: the process scan on this kernel.  A JIT-like 64-bit process
 * (anonymous MAP_32BIT PROT_EXEC) is listed apart, never hit; a 64-bit
 * dynamic program (hold_64_dyn: musl's loader and libexec_layout.so)
 * started by a 32-bit parent is hit on a kernel with the layout bug
 * (execfix_expect=layout), and not elsewhere.
 */
int test_scan(void)
{
	char *const check[] = { T "execfix-check", "--format", "json", NULL };
	static char json[1 << 17];
	char hits[8192], anon[8192], map[256];
	pid_t jit, dyn = -1;
	int rc, es_changed;

	if (access(check[0], X_OK))
		return printf("1..0 # SKIP no execfix-check\n"), 4;
	es_changed = es_from_cmdline();
	jit = start_jit();
	if (!access(T "execfix_helper32", X_OK) && !access(T "hold_64_dyn", X_OK)) {
		char *const hold[] = { T "execfix_helper32", T "hold_64_dyn", NULL };

		dyn = fork();
		if (dyn == 0) {
			execv(hold[0], hold);
			_exit(127);
		}
	}
	sleep(1);
	low_exec_map(jit, map, sizeof(map));
	diag("jit-like pid %d: %s", (int)jit, map);
	if (dyn > 0) {
		low_exec_map(dyn, map, sizeof(map));
		diag("hold_64_dyn pid %d (32-bit parent): first exec map below 4 GiB: %s",
		     (int)dyn, map);
	}
	rc = run(check, 1, json, sizeof(json));
	json_part(json, "\"processes_hit\":", "\"anon_low_exec\"", hits, sizeof(hits));
	json_part(json, "\"anon_low_exec\":", "\"interp\":", anon, sizeof(anon));
	diag("hit: %s", hits);
	diag("listed apart: %s", anon);
	tap(rc >= 0 && rc != EX_USAGE && rc != EX_ENV, "execfix-check ran (exit %d)", rc);
	tap(!lists_pid(hits, jit), "the JIT-like process (pid %d) is not counted hit",
	    (int)jit);
	tap(lists_pid(anon, jit),
	    "it is listed apart, under anonymous exec maps below 4 GiB");
	if (dyn > 0)
		tap(!expect_layout == !lists_pid(hits, dyn),
		    "the 64-bit dynamic child of a 32-bit parent (pid %d) is %s",
		    (int)dyn, expect_layout ? "hit (the layout bug)" : "not hit");
	else
		tap_skip("no hold_64_dyn or 32-bit helper: the dynamic child was not run");
	stop(jit);
	stop(dyn);
	if (es_changed)
		es_restore();
	return tap_done(0);
}

enum restriction { R_USER, R_SLABINFO, R_SYSCTL_RO, NRESTRICT };

static const char *const restriction_name[NRESTRICT] = {
	"not root (uid 65534)",
	"/proc/slabinfo masked by /dev/null (a container's mask)",
	"/proc/sys read-only (a container's)",
};

static int restrict_to(enum restriction r)
{
	switch (r) {
	case R_USER:
		return setgroups(0, NULL) || setgid(65534) || setuid(65534);
	case R_SLABINFO:
		return unshare(CLONE_NEWNS) ||
		       mount("/dev/null", "/proc/slabinfo", NULL, MS_BIND, NULL);
	default:
		return unshare(CLONE_NEWNS) ||
		       mount("/proc/sys", "/proc/sys", NULL, MS_BIND, NULL) ||
		       mount(NULL, "/proc/sys", NULL,
			     MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
	}
}

/* execfix-check under a restriction; its output in out, its exit code */
static int run_restricted(enum restriction r, char *out, size_t size)
{
	char *const argv[] = { T "execfix-check", "--format", "json", NULL };
	int fds[2], st;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		if (restrict_to(r)) {
			printf("restriction failed: %s\n", strerror(errno));
			_exit(126);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return -1;
	}
	read_child(fds[0], pid, out, size, &st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Private directories execfix-check left in /tmp */
static int leftovers(void)
{
	struct dirent *e;
	DIR *d = opendir("/tmp");
	int n = 0;

	while (d && (e = readdir(d)))
		n += !strncmp(e->d_name, "execfix-check.", 14);
	if (d)
		closedir(d);
	return n;
}

/*
 * check_restricted: execfix-check where it cannot look or change things.
 * Each part it cannot measure says "could not tell" and why, nothing is
 * changed (exec-shield as before, no directory left), and the exit is the
 * verdicts': affected (1) when a part it could measure is, else could not
 * tell (4) when a part could not be measured, else 0.  What it can still
 * measure it must get right: the layout as non-root; the leak from exact
 * counts where a module gives them, and as non-root where slabinfo is
 * readable by all (2.6.32 makes it 0444: undrained, it cannot write it).
 */
int test_restricted(void)
{
	static char json[1 << 17];
	char iv[32], lv[32], iwhy[400], wwhy[300], es_buf[16];
	const char *want_iv = expect_leak ? "affected" : "not_affected";
	int r, rc, want, left0 = leftovers(), es_changed, es0, es1;

	if (access(T "execfix-check", X_OK))
		return printf("1..0 # SKIP no execfix-check\n"), 4;
	es_changed = es_from_cmdline();
	for (r = 0; r < NRESTRICT; r++) {
		const char *cannot = r == R_USER ?
			"could not tell: /proc/slabinfo cannot be read (Permission denied): not root" :
			"could not tell: /proc/slabinfo cannot be read";

		es0 = es_read();
		rc = run_restricted(r, json, sizeof(json));
		es1 = es_read();
		verdict_of(json, "layout", lv, sizeof(lv));
		verdict_of(json, "interp", iv, sizeof(iv));
		json_part(json, "\"interp\":{\"verdict\":", "\"cache\"", iwhy,
			  sizeof(iwhy));
		json_part(json, "\"workarounds_why\":", "\"workarounds\"", wwhy,
			  sizeof(wwhy));
		diag("%s: exit %d, layout %s, interp %s", restriction_name[r], rc,
		     lv, iwhy);
		diag("  workarounds: %s", wwhy);
		if (rc == 126)
			diag("  %.*s", (int)strcspn(json, "\n"), json);
		tap(es0 == es1, "%s: exec-shield unchanged (%s)",
		    restriction_name[r], es_text(es1, es_buf, sizeof(es_buf)));
		tap(leftovers() == left0, "%s: no private directory left in /tmp",
		    restriction_name[r]);
		if (r == R_SYSCTL_RO)
			/* the slab is readable and drained: interp decides */
			tap(!strcmp(iv, want_iv), "%s: interp measured: %s",
			    restriction_name[r], iv);
		else if (!strcmp(iv, "unknown"))
			tap(strstr(iwhy, cannot) != NULL,
			    "%s: interp could not tell, and says why",
			    restriction_name[r]);
		else
			tap(!strcmp(iv, want_iv) &&
			    (strstr(iwhy, "exact counts") ||
			     (r == R_USER && strstr(iwhy, "drain none"))),
			    "%s: interp %s, measured without it (%s)",
			    restriction_name[r], iv,
			    strstr(iwhy, "exact counts") ? "the module's exact counts" :
			    "slabinfo readable by all, undrained");
		if (expect_layout && r != R_SLABINFO)
			tap(strstr(wwhy, r == R_USER ?
				   "could not tell which exec-shield values help: not root; nothing changed" :
				   "could not tell which exec-shield values help: the sysctl cannot be written") != NULL,
			    "%s: the exec-shield values: could not tell, nothing changed",
			    restriction_name[r]);
		tap(!strcmp(lv, expect_layout ? "affected" : "not_affected"),
		    "%s: layout %s (measured without root or writes)",
		    restriction_name[r], lv);
		want = !strcmp(lv, "affected") || !strcmp(iv, "affected") ? EX_FAIL :
		       !strcmp(lv, "unknown") || !strcmp(iv, "unknown") ? EX_SKIP :
		       EX_OK;
		tap(rc == want, "%s: exit %d, the verdicts' (%d)",
		    restriction_name[r], rc, want);
	}
	if (es_changed)
		es_restore();
	return tap_done(0);
}
