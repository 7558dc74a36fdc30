// SPDX-License-Identifier: GPL-2.0
/*
 * PID 1's configuration (runconf.h): /etc/execfix/run.conf, written by
 * run-qemu, and execfix.stress=N on the kernel command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmod.h"
#include "runconf.h"

/* Truncating copy; the limits are generous for what run-qemu writes. */
static void copy_string(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = 0;
}

static void parse_module_line(struct module_spec *m, char *rest)
{
	char *params = strchr(rest, ' ');

	if (params) {
		*params++ = '\0';
		copy_string(m->params, sizeof(m->params), params);
	}
	copy_string(m->path, sizeof(m->path), rest);
	kmod_name(m->path, m->name, sizeof(m->name));
}

static void parse_test_line(struct run_config *cfg, char *rest,
			    void (*log)(const char *fmt, ...))
{
	struct test_spec *t;
	char *flag;

	if (cfg->nr_tests >= MAX_TESTS) {
		log("too many tests, ignoring %s", rest);
		return;
	}
	t = &cfg->tests[cfg->nr_tests++];
	flag = strchr(rest, ' ');
	if (flag) {
		*flag++ = '\0';
		t->expect_fail = strcmp(flag, "xfail") == 0;
	}
	copy_string(t->name, sizeof(t->name), rest);
}

int runconf_read(struct run_config *cfg,
		 void (*log)(const char *fmt, ...))
{
	char line[CONF_LINE_MAX];
	FILE *f;

	f = fopen(CONFIG_PATH, "r");
	if (!f) {
		log("open %s: %s", CONFIG_PATH, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "load ", 5) == 0 &&
		    cfg->nr_helpers < MAX_MODULES)
			parse_module_line(&cfg->helpers[cfg->nr_helpers++],
					  line + 5);
		else if (strncmp(line, "module ", 7) == 0) {
			parse_module_line(&cfg->target, line + 7);
			cfg->has_target = 1;
		} else if (strncmp(line, "test ", 5) == 0)
			parse_test_line(cfg, line + 5, log);
		else if (strncmp(line, "shell ", 6) == 0)
			copy_string(cfg->shell, sizeof(cfg->shell), line + 6);
		else if (line[0] && line[0] != '#')
			log("%s: ignoring \"%s\"", CONFIG_PATH, line);
	}
	fclose(f);
	return 0;
}

/* execfix.stress=N on the kernel command line. */
int runconf_stress_cycles(void)
{
	char cmdline[4096];
	const char *opt;
	ssize_t n;
	int fd;

	fd = open("/proc/cmdline", O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, cmdline, sizeof(cmdline) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	cmdline[n] = '\0';
	opt = strstr(cmdline, STRESS_OPTION);
	if (!opt)
		return 0;
	return atoi(opt + strlen(STRESS_OPTION));
}
