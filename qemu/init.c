// SPDX-License-Identifier: GPL-2.0
/*
 * init.c - PID 1 of the el6-execfix QEMU guest.
 *
 * Built static against musl by qemu/run-qemu and placed at /init in an
 * initramfs.  It must run on 2.6.32 vendor kernels as well as on current
 * ones, so it only uses system calls 2.6.32 has: init_module(2) (measure/
 * kmod.c), mount(2), reboot(2), fork/execve/waitpid,
 * poll(2).  Times come from /proc/uptime rather than clock_gettime(), so a
 * kernel with a broken vDSO clock does not take the suite down with it.
 *
 * Its job: mount, read what to run (runconf.c: /etc/execfix/run.conf,
 * written by run-qemu), load the modules, run the steps, relay their TAP
 * and the console lines, power off (or, run-qemu --shell, start a shell
 * and power off when it exits).  Measurements are the programs' own.
 *
 * The kernel command line option execfix.stress=N adds a step, run before
 * the module under test is loaded: /execfix-stress (qemu/stress.c) with N
 * load/unload cycles of it while a '#!' script is exec'd in a loop.
 *
 * Results go to the second serial port (/dev/ttyS1) as TAP 13, written
 * with kselftest.h's API (selftests/compat/): the port is init's stdout,
 * the console another descriptor.  One result per step, "ok N - STEP",
 * "ok N - STEP # SKIP ", "ok N - STEP # XFAIL expected failure[: WHY]" or
 * "not ok N - STEP # WHY" (qemu/results-junit reads them).  Every
 * program's stdout and stderr are copied there, each line prefixed "# ".
 * Machine-readable lines, which run-qemu parses:
 *
 *	# execfix-init: start uptime=SECONDS
 *	# run: NAME
 *	# result: NAME exit=N verdict=pass|fail|skip|xfail|xpass time=SECONDS
 *	# execfix-init: done failed=N
 *
 * Progress also goes to the console, beside the kernel's messages, with
 * one line per subtest for LAVA (subtest.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "kmod.h"
#include "kselftest.h"
#include "runconf.h"
#include "subtest.h"

#define TESTS_DIR	"/tests"
#define RESULTS_PORT	"/dev/ttyS1"
#define STRESS_PROG	"/execfix-stress"
#define LINE_MAX_LEN	1024

static int console_fd = STDOUT_FILENO;	/* stdout: the results port */
static const char *subtest_program;	/* the test whose output is read */

/* ---- output ---------------------------------------------------------- */

static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		buf += n;
		len -= n;
	}
}

/* A progress line on the console, next to the kernel's own messages. */
static void console_log(const char *fmt, ...)
{
	char line[LINE_MAX_LEN];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "execfix-init: ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	strncat(line, "\n", sizeof(line) - strlen(line) - 1);
	write_all(console_fd, line, strlen(line));
}

static double uptime_seconds(void)
{
	char buf[64];
	double up = -1;
	ssize_t n;
	int fd;

	fd = open("/proc/uptime", O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0) {
		buf[n] = '\0';
		up = strtod(buf, NULL);
	}
	return up;
}

/* ---- step: mount the pseudo file systems ----------------------------- */

static void mount_one(const char *source, const char *target,
		      const char *fstype, const char *data)
{
	mkdir(target, 0755);
	if (mount(source, target, fstype, 0, data) != 0 && errno != EBUSY)
		console_log("mount %s on %s: %s", fstype, target,
			    strerror(errno));
}

/*
 * Without devtmpfs (or if the kernel lacks it) the nodes we need are made
 * by hand; the numbers are fixed since 2.6.
 */
static void make_device_nodes(void)
{
	mknod("/dev/console", S_IFCHR | 0600, makedev(5, 1));
	mknod("/dev/null", S_IFCHR | 0666, makedev(1, 3));
	mknod("/dev/kmsg", S_IFCHR | 0644, makedev(1, 11));
	mknod("/dev/ttyS0", S_IFCHR | 0660, makedev(4, 64));
	mknod("/dev/ttyS1", S_IFCHR | 0660, makedev(4, 65));
}

static void mount_filesystems(void)
{
	mount_one("proc", "/proc", "proc", NULL);
	mount_one("sysfs", "/sys", "sysfs", NULL);
	mkdir("/dev", 0755);
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0 &&
	    errno != EBUSY)
		console_log("mount devtmpfs on /dev: %s; making nodes",
			    strerror(errno));
	make_device_nodes();
	mount_one("debugfs", "/sys/kernel/debug", "debugfs", NULL);
	mount_one("tmpfs", "/tmp", "tmpfs", "mode=1777");
}

/* The kernel opens /dev/console for us; make sure 0, 1 and 2 exist. */
static void setup_stdio(void)
{
	int fd;

	if (fcntl(STDOUT_FILENO, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

/* ---- step: open the results port ------------------------------------- */

/*
 * The port becomes stdout, where kselftest.h writes, line-buffered (no
 * half line is left for a forked child to copy); the console moves to a
 * descriptor that programs do not inherit.
 */
static void open_results_port(void)
{
	struct termios tio;
	int fd, con;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open(RESULTS_PORT, O_WRONLY | O_NOCTTY);
	if (fd < 0) {
		console_log("open %s: %s; results go to the console",
			    RESULTS_PORT, strerror(errno));
		return;
	}
	/* Raw: no "\r\n" translation in the host's copy. */
	if (tcgetattr(fd, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(fd, TCSANOW, &tio);
	}
	con = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
	if (con < 0 || dup2(fd, STDOUT_FILENO) < 0) {
		console_log("%s as stdout: %s; results go to the console",
			    RESULTS_PORT, strerror(errno));
		if (con >= 0)
			close(con);
	} else {
		console_fd = con;
	}
	close(fd);
}

/* ---- TAP results ----------------------------------------------------- */

static const char *verdict_of(int exit_code, int expect_fail)
{
	if (expect_fail)
		return exit_code == KSFT_FAIL ? "xfail" :
		       exit_code == KSFT_PASS ? "xpass" : "fail";
	if (exit_code == KSFT_PASS)
		return "pass";
	if (exit_code == KSFT_SKIP)
		return "skip";
	return "fail";
}

/* A step's result line (kselftest.h counts it), after run-qemu's line. */
static void report_result(const char *name, int exit_code, int expect_fail,
			  double seconds, const char *note)
{
	const char *verdict = verdict_of(exit_code, expect_fail);
	const char *sep = note ? ": " : "";
	char desc[128];

	snprintf(desc, sizeof(desc), "- %s", name);
	if (!note)
		note = "";
	ksft_print_msg("result: %s exit=%d verdict=%s time=%.2f\n", name,
		       exit_code, verdict, seconds);
	if (strcmp(verdict, "pass") == 0)
		ksft_test_result_pass("%s\n", desc);
	else if (strcmp(verdict, "skip") == 0)
		ksft_test_result_code(KSFT_SKIP, desc, NULL);
	else if (strcmp(verdict, "xfail") == 0)
		ksft_test_result_code(KSFT_XFAIL, desc, "expected failure%s%s",
				      sep, note);
	else if (strcmp(verdict, "xpass") == 0)
		ksft_test_result_fail("%s # expected to fail, but passed\n", desc);
	else if (expect_fail)
		ksft_test_result_fail("%s # expected to fail with exit 1, got %d%s%s\n",
				      desc, exit_code, sep, note);
	else
		ksft_test_result_fail("%s # exit %d%s%s\n", desc, exit_code, sep,
				      note);
	console_log("%s: %s (exit %d)", name, verdict, exit_code);
}

/* ---- step: load modules ---------------------------------------------- */

static void load_one_module(const struct module_spec *m)
{
	char test_name[96];
	double start = uptime_seconds();
	int err;

	snprintf(test_name, sizeof(test_name), "load_%s", m->name);
	ksft_print_msg("run: %s\n", test_name);
	console_log("loading %s %s", m->path, m->params);
	/* init_module(2): 2.6.32 has no fd-based load */
	err = kmod_load(m->path, m->params);
	if (err == EEXIST)
		err = 0;
	if (err)
		ksft_print_msg("init_module %s %s: %s\n", m->path, m->params,
			       strerror(err));
	report_result(test_name, err ? KSFT_FAIL : KSFT_PASS, 0,
		      uptime_seconds() - start, err ? strerror(err) : NULL);
}

static void load_helper_modules(const struct run_config *cfg)
{
	int i;

	for (i = 0; i < cfg->nr_helpers; i++)
		load_one_module(&cfg->helpers[i]);
	/* binfmt_misc may be a module: mount it once it is there. */
	mkdir("/proc/sys/fs/binfmt_misc", 0755);
	if (mount("binfmt_misc", "/proc/sys/fs/binfmt_misc", "binfmt_misc",
		  0, NULL) != 0 && errno != EBUSY)
		console_log("mount binfmt_misc: %s", strerror(errno));
}

/* ---- console: one line per subtest ----------------------------------- */

/* A TAP result line of a test program, named for LAVA (subtest.c). */
static void console_subtest(const char *program, const char *line)
{
	char name[LINE_MAX_LEN];

	if (program && !subtest_name(program, line, name, sizeof(name)))
		console_log("%s", name);
}

/* ---- step: run the tests --------------------------------------------- */

/* Copy the child's output to the results port, each line prefixed "# ". */
static void copy_output_line(char *line, size_t *len)
{
	line[*len] = '\0';
	ksft_print_msg("%s\n", line);
	console_subtest(subtest_program, line);
	*len = 0;
}

static int wait_test(pid_t pid, int out_fd)
{
	char line[LINE_MAX_LEN];
	size_t len = 0;
	int status = 0, exited = 0;

	for (;;) {
		struct pollfd pfd = { .fd = out_fd, .events = POLLIN };
		char buf[512];
		ssize_t n, i;

		if (!exited && waitpid(pid, &status, WNOHANG) == pid) {
			exited = 1;
			/* Leftover background processes would hold the pipe. */
			kill(-pid, SIGKILL);
		}
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = read(out_fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n' || len == sizeof(line) - 1)
				copy_output_line(line, &len);
			if (buf[i] != '\n' && buf[i] != '\r')
				line[len++] = buf[i];
		}
	}
	if (len)
		copy_output_line(line, &len);
	if (!exited)
		waitpid(pid, &status, 0);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	ksft_print_msg("killed by signal %d\n", WTERMSIG(status));
	return 128 + WTERMSIG(status);
}

/*
 * One step that is a program: argv[0] with its output relayed, its exit
 * code the step's result.
 */
static void run_step(const char *name, char *const argv[], int expect_fail)
{
	char *envp[] = { "PATH=" TESTS_DIR ":/", "HOME=/tmp", "TERM=dumb",
			 NULL };
	const char *path = argv[0];
	double start = uptime_seconds();
	int pipe_fds[2], code;
	pid_t pid;

	ksft_print_msg("run: %s\n", name);
	console_log("running %s", path);
	if (pipe(pipe_fds) != 0) {
		ksft_print_msg("pipe: %s\n", strerror(errno));
		report_result(name, KSFT_FAIL, expect_fail, 0, "no pipe");
		return;
	}
	pid = fork();
	if (pid == 0) {
		int null_fd = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		dup2(null_fd, STDIN_FILENO);
		dup2(pipe_fds[1], STDOUT_FILENO);
		dup2(pipe_fds[1], STDERR_FILENO);
		close(pipe_fds[0]);
		close(pipe_fds[1]);
		if (chdir("/tmp") != 0)
			_exit(127);
		execve(path, argv, envp);
		fprintf(stderr, "execve %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(pipe_fds[1]);
	if (pid < 0) {
		close(pipe_fds[0]);
		ksft_print_msg("fork: %s\n", strerror(errno));
		report_result(name, KSFT_FAIL, expect_fail, 0, "no fork");
		return;
	}
	subtest_program = name;
	code = wait_test(pid, pipe_fds[0]);
	subtest_program = NULL;
	close(pipe_fds[0]);
	report_result(name, code, expect_fail, uptime_seconds() - start, NULL);
}

static void run_test(const struct test_spec *t)
{
	char path[256];
	char *argv[] = { path, NULL };

	snprintf(path, sizeof(path), "%s/%s", TESTS_DIR, t->name);
	run_step(t->name, argv, t->expect_fail);
}

/* execfix.stress=N: qemu/stress.c's cycles of the module under test. */
static void stress_module(const struct module_spec *m, int cycles)
{
	char name[96], count[16], params[sizeof(m->params)];
	char *argv[] = { STRESS_PROG, (char *)m->path, count, params, NULL };

	snprintf(name, sizeof(name), "stress_%s", m->name);
	snprintf(count, sizeof(count), "%d", cycles);
	snprintf(params, sizeof(params), "%s", m->params);
	run_step(name, argv, 0);
}

/* Orphans are reparented to us. */
static void reap_orphans(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* ---- step: a shell for debugging (run-qemu --shell) ------------------ */

static void run_shell(const char *path)
{
	char *const argv[] = { (char *)"sh", NULL };
	pid_t pid, w;

	console_log("starting %s on the console; exit it to power off", path);
	pid = fork();
	if (pid < 0) {
		console_log("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		setsid();
		/* the shell's output on the console, not the results port */
		dup2(console_fd, STDOUT_FILENO);
		execv(path, argv);
		console_log("exec %s: %s", path, strerror(errno));
		_exit(127);
	}
	/* Orphans of the shell's commands are reparented to us too. */
	do
		w = waitpid(-1, NULL, 0);
	while (w != pid && (w > 0 || errno == EINTR));
}

/* ---- step: power off ------------------------------------------------- */

static void power_off(void)
{
	fflush(stdout);
	tcdrain(STDOUT_FILENO);
	sync();
	/*
	 * Without ACPI the kernel has no power-off method and turns
	 * RB_POWER_OFF into a halt that never returns; a reboot ends qemu
	 * too (-no-reboot).
	 */
	if (access("/sys/firmware/acpi", F_OK) == 0)
		reboot(RB_POWER_OFF);
	console_log("power off: %s; rebooting", strerror(errno));
	reboot(RB_AUTOBOOT);
	for (;;)
		pause();
}

/* ---- main ------------------------------------------------------------ */

static int plan_size(const struct run_config *cfg)
{
	return cfg->nr_helpers + cfg->has_target +
	       (cfg->has_target && cfg->stress_cycles > 0) + cfg->nr_tests;
}

int main(int argc, char **argv)
{
	static struct run_config cfg;
	char version[256] = "";
	double start;
	int fd, i;

	(void)argc;
	if (getpid() != 1) {
		fprintf(stderr, "%s: PID 1 of the execfix guest only\n", argv[0]);
		return 2;
	}

	mount_filesystems();
	setup_stdio();
	start = uptime_seconds();
	open_results_port();
	console_log("start at uptime %.2f s", start);

	fd = open("/proc/version", O_RDONLY);
	if (fd >= 0) {
		ssize_t n = read(fd, version, sizeof(version) - 1);

		version[n > 0 ? n : 0] = '\0';
		version[strcspn(version, "\n")] = '\0';
		close(fd);
	}
	ksft_print_header();
	ksft_print_msg("execfix-init: start uptime=%.2f\n", start);
	ksft_print_msg("kernel: %s\n", version);

	/* kselftest.h's bail-out exits, which PID 1 must not: said here */
	if (runconf_read(&cfg, console_log) != 0)
		printf("Bail out! no %s\n", CONFIG_PATH);
	cfg.stress_cycles = runconf_stress_cycles();
	ksft_set_plan(plan_size(&cfg));

	load_helper_modules(&cfg);
	if (cfg.has_target && cfg.stress_cycles > 0)
		stress_module(&cfg.target, cfg.stress_cycles);
	/* After the cycles: the tests also check the module still works. */
	if (cfg.has_target)
		load_one_module(&cfg.target);
	for (i = 0; i < cfg.nr_tests; i++) {
		run_test(&cfg.tests[i]);
		reap_orphans();
	}

	ksft_print_msg("execfix-init: done failed=%u\n", ksft_get_fail_cnt());
	console_log("done, %u failed, at uptime %.2f s", ksft_get_fail_cnt(),
		    uptime_seconds());
	if (cfg.shell[0])
		run_shell(cfg.shell);
	power_off();
	return 0;
}
