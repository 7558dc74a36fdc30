// SPDX-License-Identifier: GPL-2.0
/* Where /proc and /sys are (root.h). */
#include <stdio.h>

#include "root.h"

const char *measure_procfs = "/proc";
const char *measure_sysfs = "/sys";

const char *measure_path(char *buf, size_t size, const char *root,
			 const char *rel)
{
	snprintf(buf, size, "%s/%s", root, rel);
	return buf;
}
