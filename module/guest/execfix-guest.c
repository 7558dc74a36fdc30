/*
 * execfix-guest: in-guest driver for execfix.ko (static, runs on 2.6.32 and
 * on current kernels; C99, no header or system call newer than 2.6.32).
 *
 *   execfix-guest check KO [--expect-leak]  load KO, check every /proc/execfix
 *                                           file's content, unload (TAP 13)
 *   execfix-guest cycles KO N               N load/unload cycles while a child
 *                                           execs scripts (TAP 13)
 *   execfix-guest bench KO N [ROUNDS [PARAMS]]  exec rate of a #! script loop with
 *                                           KO loaded vs unloaded, as a ratio
 *   execfix-guest load KO [PARAMS]          load KO (init_module)
 *   execfix-guest unload                    unload execfix
 *   execfix-guest cat FILE...               print files
 *   execfix-guest exec PROG [ARG...]        execve PROG (a 32-bit build runs a
 *                                           64-bit one: the layout bug's case)
 *   execfix-guest stub ...                  exit 0 (the scripts' interpreter)
 *
 * Installed under the name execfix_module_check[32] or execfix_module_bench
 * and run without arguments (as the QEMU runner runs /tests/NAME), it does
 * "check" or "bench KO 500 5" on $EXECFIX_KO or /modules/execfix.ko.
 *
 * Exit: 0 pass, 1 fail, 4 skip. Temporary scripts go to $EXECFIX_TMP or /tmp.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* kv_get(): the parser of the key=value files, shared with the selftests. */
#include "../../selftests/execfix_util.h"

#define PROC_DIR	"/proc/execfix"
#define MODULE_NAME	"execfix"

static char self_path[PATH_MAX];
static char script1[PATH_MAX], script2[PATH_MAX];
static int test_no, test_failed;

static int usage(void);

static void tap(int ok, const char *fmt, ...)
{
	va_list ap;

	test_no++;
	if (!ok)
		test_failed = 1;
	printf("%sok %d - ", ok ? "" : "not ", test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static int load_module(const char *ko, const char *params)
{
	struct stat st;
	char *image;
	int fd, rc;

	fd = open(ko, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	image = malloc(st.st_size);
	if (!image || read(fd, image, st.st_size) != st.st_size) {
		close(fd);
		free(image);
		return -EIO;
	}
	close(fd);
	rc = syscall(SYS_init_module, image, (unsigned long)st.st_size, params);
	free(image);
	return rc < 0 ? -errno : 0;
}

static int unload_module(void)
{
	int tries;

	for (tries = 0; tries < 100; tries++) {
		if (syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK) == 0)
			return 0;
		if (errno != EAGAIN && errno != EBUSY)
			return -errno;
		usleep(10000);
	}
	return -EBUSY;
}

static int read_file(const char *path, char *buf, size_t size)
{
	ssize_t n, total = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	while ((size_t)total < size - 1) {
		n = read(fd, buf + total, size - 1 - total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += n;
	}
	buf[total] = '\0';
	close(fd);
	return total;
}

static long get_num(const char *text, const char *key)
{
	char val[64];

	if (kv_get(text, key, val, sizeof(val)))
		return -1;
	return strtol(val, NULL, 0);
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

static int make_scripts(void)
{
	const char *tmp = getenv("EXECFIX_TMP");
	ssize_t n;
	FILE *f;

	n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	if (n < 0)
		return -1;
	self_path[n] = '\0';
	if (!tmp)
		tmp = "/tmp";
	mkdir(tmp, 01777);
	snprintf(script1, sizeof(script1), "%s/execfix-s1.%d", tmp,
		 (int)getpid());
	snprintf(script2, sizeof(script2), "%s/execfix-s2.%d", tmp,
		 (int)getpid());
	f = fopen(script1, "w");
	if (!f)
		return -1;
	fprintf(f, "#!%s stub\n", self_path);
	fclose(f);
	f = fopen(script2, "w");
	if (!f)
		return -1;
	/* A script whose interpreter is a script: two bprm_change_interp(). */
	fprintf(f, "#!%s\n", script1);
	fclose(f);
	if (chmod(script1, 0755) || chmod(script2, 0755))
		return -1;
	return 0;
}

static void remove_scripts(void)
{
	unlink(script1);
	unlink(script2);
}

/* fork + execve(path) + wait; 0 when the child exited 0. */
static int run(const char *path)
{
	char *argv[2];
	int status;
	pid_t pid;

	argv[0] = (char *)path;
	argv[1] = NULL;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(path, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int run_many(const char *path, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (run(path))
			return -1;
	return 0;
}

static void check_layout(void)
{
	char text[4096], val[256];
	static const char *const keys[] = {
		"compat", "personality", "mmap_base", "get_unmapped_area",
		"get_unmapped_exec_area", "shlib_base", "start_brk", "brk",
		"exec_shield",
	};
	unsigned long brk_now;
	size_t i;
	int missing = 0;
	int is32 = sizeof(long) == 4;

	if (read_file(PROC_DIR "/layout", text, sizeof(text)) <= 0) {
		tap(0, "layout: readable");
		return;
	}
	printf("%s", text);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (kv_get(text, keys[i], val, sizeof(val))) {
			diag("layout: no %s=", keys[i]);
			missing++;
		}
	tap(!missing, "layout: has every key of the contract");
	tap(get_num(text, "compat") == is32,
	    "layout: compat=%d for this %d-bit reader", is32, is32 ? 32 : 64);
	brk_now = (unsigned long)syscall(SYS_brk, 0);
	tap((unsigned long)get_num(text, "brk") == brk_now,
	    "layout: brk matches brk(0)=0x%lx", brk_now);
	kv_get(text, "get_unmapped_area", val, sizeof(val));
	tap(strstr(val, "get_unmapped_area") != NULL,
	    "layout: get_unmapped_area names an allocator (%s)", val);
	kv_get(text, "get_unmapped_exec_area", val, sizeof(val));
	if (is32) {
		/* exec-shield gives every ia32 task the exec allocator. */
		tap(!strcmp(val, "n/a") || strstr(val, "exec_area"),
		    "layout: 32-bit task: get_unmapped_exec_area=%s", val);
	} else {
		/* 64-bit task, 64-bit parent: none, bug or not. */
		tap(!strcmp(val, "n/a") || !strcmp(val, "none"),
		    "layout: 64-bit task: get_unmapped_exec_area=%s", val);
	}
}

static void check_integrity(void)
{
	char text[8192], val[256];
	long hooked;

	if (read_file(PROC_DIR "/integrity", text, sizeof(text)) <= 0) {
		tap(0, "integrity: readable");
		return;
	}
	printf("%s", text);
	tap(kv_get(text, "native.execve", val, sizeof(val)) == 0 &&
	    strstr(val, "execve") && strstr(val, " core"),
	    "integrity: native.execve is core kernel text (%s)", val);
	if (kv_get(text, "ia32", val, sizeof(val)) == 0)
		diag("ia32 table: %s", val);
	else
		tap(kv_get(text, "ia32.execve", val, sizeof(val)) == 0 &&
		    strstr(val, "execve") && strstr(val, " core"),
		    "integrity: ia32.execve is core kernel text (%s)", val);
	kv_get(text, "selftest", val, sizeof(val));
	tap(strstr(val, " module:execfix") != NULL,
	    "integrity: the classifier names module text (selftest=%s)", val);
	hooked = get_num(text, "hooked");
	tap(hooked == 0, "integrity: hooked=%ld on a guest with no hooking module",
	    hooked);
}

/* One accounting round: reset, n execs of path, check the counters. */
static void check_interp_round(const char *what, const char *path, int n,
			       int per_exec, int expect_leak)
{
	char text[4096];
	long allocated, freed, outstanding;

	if (write_str(PROC_DIR "/interp", "0\n")) {
		tap(0, "interp: write resets the counters");
		return;
	}
	if (run_many(path, n)) {
		tap(0, "interp: %d %s execs ran", n, what);
		return;
	}
	read_file(PROC_DIR "/interp", text, sizeof(text));
	allocated = get_num(text, "allocated");
	freed = get_num(text, "freed");
	outstanding = get_num(text, "outstanding");
	diag("%s x%d: allocated=%ld freed=%ld outstanding=%ld", what, n,
	     allocated, freed, outstanding);
	tap(allocated == (long)n * per_exec,
	    "interp: %d %s execs: allocated=%ld (expected %d)", n, what,
	    allocated, n * per_exec);
	if (expect_leak)
		tap(outstanding == (long)n,
		    "interp: %s: outstanding=%ld, the leak of one string per exec",
		    what, outstanding);
	else
		tap(outstanding == 0 && freed == allocated,
		    "interp: %s: outstanding=%ld (freed=%ld)", what,
		    outstanding, freed);
}

static void check_interp(int expect_leak)
{
	char text[4096], val[64];
	long nmissed;

	if (read_file(PROC_DIR "/interp", text, sizeof(text)) <= 0) {
		tap(0, "interp: readable");
		return;
	}
	printf("%s", text);
	kv_get(text, "interp_accounting", val, sizeof(val));
	if (strcmp(val, "supported")) {
		tap(!strcmp(val, "unsupported"),
		    "interp: interp_accounting=%s", val);
		return;
	}
	tap(get_num(text, "inject_leak") == 0, "interp: inject_leak=0 by default");
	check_interp_round("#! script", script1, 100, 1, expect_leak);
	/* Nested: the 2nd bprm_change_interp() frees the 1st string. */
	check_interp_round("nested #! script", script2, 50, 2, expect_leak);
	read_file(PROC_DIR "/interp", text, sizeof(text));
	printf("%s", text);
	nmissed = get_num(text, "nmissed");
	tap(nmissed == 0, "interp: nmissed=%ld", nmissed);
}

static void check_inject(const char *ko)
{
	char text[4096];
	long injected, outstanding;
	int rc;

	rc = load_module(ko, "inject_leak=1");
	tap(rc == 0, "load with inject_leak=1 (rc=%d)", rc);
	if (rc)
		return;
	write_str(PROC_DIR "/interp", "0\n");
	run_many(script1, 100);
	read_file(PROC_DIR "/interp", text, sizeof(text));
	printf("%s", text);
	injected = get_num(text, "injected");
	outstanding = get_num(text, "outstanding");
	if (get_num(text, "inject_leak") == 1 && strstr(text, "=supported"))
		tap(injected == 100, "inject: injected=%ld after 100 execs",
		    injected);
	else
		tap(strstr(text, "=unsupported") != NULL,
		    "inject: unsupported kernel reports injected=%ld", injected);
	diag("inject: outstanding=%ld (real strings are still accounted)",
	     outstanding);
	rc = unload_module();
	tap(rc == 0, "unload after inject (copies freed) (rc=%d)", rc);
}

/* The fallback freeing side (a probe on kfree() itself) must count alike. */
static void check_kfree_fallback(const char *ko, int expect_leak)
{
	char text[4096], mode[32];
	int rc;

	rc = load_module(ko, "kfree_probe=1");
	tap(rc == 0, "load with kfree_probe=1 (rc=%d)", rc);
	if (rc)
		return;
	read_file(PROC_DIR "/interp", text, sizeof(text));
	if (strstr(text, "=supported")) {
		kv_get(text, "free_probe", mode, sizeof(mode));
		tap(!strcmp(mode, "kfree"), "kfree fallback: free_probe=%s",
		    mode);
		check_interp_round("#! script (kfree probe)", script1, 100, 1,
				   expect_leak);
	}
	rc = unload_module();
	tap(rc == 0, "unload after kfree_probe=1 (rc=%d)", rc);
}

/* A probe that cannot be registered is reported; the rest still works. */
static void check_probe_failure(const char *ko)
{
	char text[4096], val[128];
	int rc;

	rc = load_module(ko, "interp_symbol=execfix_no_such_function");
	tap(rc == 0, "load with a probe that cannot register (rc=%d)", rc);
	if (rc)
		return;
	read_file(PROC_DIR "/interp", text, sizeof(text));
	printf("%s", text);
	kv_get(text, "interp_accounting", val, sizeof(val));
	tap(!strcmp(val, "unsupported"),
	    "failed probe: interp_accounting=%s", val);
	val[0] = '\0';
	kv_get(text, "probe.execfix_no_such_function", val, sizeof(val));
	tap(!strncmp(val, "error:-", 7),
	    "failed probe: reported with its symbol and error (%s)", val);
	tap(read_file(PROC_DIR "/layout", text, sizeof(text)) > 0 &&
	    strstr(text, "mmap_base=") &&
	    read_file(PROC_DIR "/integrity", text, sizeof(text)) > 0 &&
	    strstr(text, "hooked="),
	    "failed probe: layout and integrity still work");
	rc = unload_module();
	tap(rc == 0, "unload after the failed probe (rc=%d)", rc);
}

static int cmd_check(const char *ko, int expect_leak)
{
	static const char *const files[] = { "layout", "interp", "integrity" };
	struct stat st;
	char path[128];
	size_t i;
	int rc, was_loaded;

	printf("TAP version 13\n");
	if (make_scripts()) {
		printf("1..0 # SKIP cannot write scripts: %s\n", strerror(errno));
		return 4;
	}
	/* Loaded already (by the QEMU runner's PID 1): start afresh, restore after. */
	was_loaded = stat(PROC_DIR, &st) == 0;
	if (was_loaded) {
		rc = unload_module();
		tap(rc == 0, "unload the module loaded before this test (rc=%d)",
		    rc);
	}
	rc = load_module(ko, "");
	tap(rc == 0, "load %s (rc=%d)", ko, rc);
	if (rc) {
		printf("1..%d\n", test_no);
		remove_scripts();
		return 1;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), PROC_DIR "/%s", files[i]);
		memset(&st, 0, sizeof(st));
		rc = stat(path, &st);
		tap(rc == 0 && (st.st_mode & 07777) == 0400,
		    "%s exists, mode 0400 (0%o)", path,
		    (unsigned int)(st.st_mode & 07777));
	}
	check_layout();
	check_integrity();
	check_interp(expect_leak);
	rc = unload_module();
	tap(rc == 0, "unload (rc=%d)", rc);
	tap(stat(PROC_DIR, &st) < 0, "%s gone after unload", PROC_DIR);
	check_inject(ko);
	check_kfree_fallback(ko, expect_leak);
	check_probe_failure(ko);
	if (was_loaded) {
		rc = load_module(ko, "");
		tap(rc == 0, "load the module again, as it was (rc=%d)", rc);
	}
	remove_scripts();
	printf("1..%d\n", test_no);
	return test_failed;
}

static int cmd_cycles(const char *ko, int cycles)
{
	char text[4096];
	int i, rc = 0, status, reads = 0;
	pid_t child;

	printf("TAP version 13\n");
	if (make_scripts()) {
		printf("1..0 # SKIP cannot write scripts: %s\n", strerror(errno));
		return 4;
	}
	child = fork();
	if (child == 0) {
		for (;;)
			run(script2);
	}
	for (i = 0; i < cycles && rc == 0; i++) {
		rc = load_module(ko, i % 2 ? "inject_leak=1" : "");
		if (rc)
			break;
		if (read_file(PROC_DIR "/interp", text, sizeof(text)) > 0)
			reads++;
		rc = unload_module();
	}
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	remove_scripts();
	tap(rc == 0 && i == cycles,
	    "%d load/unload cycles during script execs (%d done, %d reads, rc=%d)",
	    cycles, i, reads, rc);
	printf("1..%d\n", test_no);
	return test_failed;
}

static double now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

/* Script execs per second over n execs. */
static double exec_rate(int n)
{
	double t0 = now(), dt;

	if (run_many(script1, n))
		return -1;
	dt = now() - t0;
	return dt > 0 ? n / dt : -1;
}

static int cmd_bench(const char *ko, int n, int rounds, const char *params)
{
	double unloaded = 0, loaded = 0, r0, r1;
	int round, rc, was_loaded;
	struct stat st;

	if (n <= 0 || rounds <= 0)
		return usage();
	/* Loaded already (by the QEMU runner's PID 1): measure, then restore. */
	was_loaded = stat(PROC_DIR, &st) == 0;
	if (was_loaded && unload_module()) {
		fprintf(stderr, "execfix-guest: cannot unload execfix\n");
		return 1;
	}
	if (make_scripts()) {
		fprintf(stderr, "execfix-guest: cannot write scripts\n");
		return 1;
	}
	exec_rate(n / 10 + 1);	/* warm up caches */
	/* Alternate, so that drift hits both sides alike. */
	for (round = 0; round < rounds; round++) {
		r0 = exec_rate(n);
		rc = load_module(ko, params);
		if (rc) {
			fprintf(stderr, "execfix-guest: load: %s\n", strerror(-rc));
			remove_scripts();
			return 1;
		}
		r1 = exec_rate(n);
		unload_module();
		if (r0 < 0 || r1 < 0) {
			fprintf(stderr, "execfix-guest: script execs failed\n");
			remove_scripts();
			return 1;
		}
		printf("bench: round=%d unloaded=%.1f/s loaded=%.1f/s ratio=%.3f\n",
		       round + 1, r0, r1, r1 / r0);
		unloaded += r0;
		loaded += r1;
	}
	remove_scripts();
	if (was_loaded)
		load_module(ko, "");
	printf("bench: execs_per_round=%d rounds=%d params=%s\n", n, rounds,
	       params);
	printf("bench: exec_rate_unloaded=%.1f/s\n", unloaded / rounds);
	printf("bench: exec_rate_loaded=%.1f/s\n", loaded / rounds);
	printf("bench: ratio_loaded_vs_unloaded=%.3f\n", loaded / unloaded);
	return 0;
}

static int cmd_cat(int argc, char **argv)
{
	char text[16384];
	int i, rc = 0;

	for (i = 0; i < argc; i++) {
		if (read_file(argv[i], text, sizeof(text)) < 0) {
			fprintf(stderr, "execfix-guest: %s: %s\n", argv[i],
				strerror(errno));
			rc = 1;
			continue;
		}
		fputs(text, stdout);
	}
	fflush(stdout);
	return rc;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: execfix-guest check KO [--expect-leak] | cycles KO N |\n"
		"       bench KO N [ROUNDS [PARAMS]] | load KO [PARAMS] | unload | cat FILE... |\n"
		"       exec PROG [ARG...] | stub\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *base = strrchr(argv[0], '/');
	const char *ko = getenv("EXECFIX_KO");

	setvbuf(stdout, NULL, _IOLBF, 0);
	/*
	 * Installed as execfix_module_check (or ...32), the QEMU runner runs it
	 * without arguments: check the module it staged in /modules.
	 */
	base = base ? base + 1 : argv[0];
	if (!strncmp(base, "execfix_module_check", 20) && argc == 1)
		return cmd_check(ko ? ko : "/modules/execfix.ko", 0);
	if (!strncmp(base, "execfix_module_bench", 20) && argc == 1)
		return cmd_bench(ko ? ko : "/modules/execfix.ko", 500, 5, "");
	if (!strcmp(cmd, "stub"))
		return 0;
	if (!strcmp(cmd, "check") && argc >= 3)
		return cmd_check(argv[2], argc > 3 &&
				 !strcmp(argv[3], "--expect-leak"));
	if (!strcmp(cmd, "cycles") && argc == 4)
		return cmd_cycles(argv[2], atoi(argv[3]));
	if (!strcmp(cmd, "bench") && argc >= 4 && argc <= 6)
		return cmd_bench(argv[2], atoi(argv[3]),
				 argc >= 5 ? atoi(argv[4]) : 5,
				 argc == 6 ? argv[5] : "");
	if (!strcmp(cmd, "load") && (argc == 3 || argc == 4)) {
		int rc = load_module(argv[2], argc == 4 ? argv[3] : "");

		if (rc)
			fprintf(stderr, "execfix-guest: load %s: %s\n", argv[2],
				strerror(-rc));
		return rc ? 1 : 0;
	}
	if (!strcmp(cmd, "unload") && argc == 2) {
		int rc = unload_module();

		if (rc)
			fprintf(stderr, "execfix-guest: unload: %s\n",
				strerror(-rc));
		return rc ? 1 : 0;
	}
	if (!strcmp(cmd, "cat") && argc >= 3)
		return cmd_cat(argc - 2, argv + 2);
	if (!strcmp(cmd, "exec") && argc >= 3) {
		execv(argv[2], argv + 2);
		fprintf(stderr, "execfix-guest: %s: %s\n", argv[2],
			strerror(errno));
		return 1;
	}
	return usage();
}
