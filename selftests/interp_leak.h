/* SPDX-License-Identifier: GPL-2.0 */
/* interp_leak: shared by interp_leak.c (measuring) and interp_leak_files.c. */
#ifndef EXECFIX_INTERP_LEAK_H
#define EXECFIX_INTERP_LEAK_H

#include <stddef.h>

#define MAX_INTERP_LEN	124	/* "#!" + path + "\n" fits a 128-byte bprm->buf */
#define BINFMT_DIR	"/proc/sys/fs/binfmt_misc"
#define MISC_EXT	"efxleak"

/* the private directory and what is in it; the binfmt_misc entry */
extern char tmpdir[128];
extern char stub_path[3200], interp_path[256], script_path[256];
extern char nested_mid[256], nested_path[256], misc_path[256];
extern char misc_name[64], misc_entry[256];
extern int misc_registered, binfmt_mounted;

/* Remove what was made; async-signal-safe calls only. */
void misc_unregister(void);
void cleanup(void);
void on_signal(int sig);

/* Pin this task and its children to one CPU; the CPU or -1. */
int pin_to_one_cpu(void);

/* Path length for a kstrdup() that lands in the class of this size. */
size_t class_len(unsigned int size);

/* The interpreter copy and scripts for the class; 0, or -1 and err. */
int make_scripts(unsigned int class_size, char *err, size_t errsize);

/* Register the binfmt_misc type; 0, or -1 and a reason to skip in err. */
int misc_register(char *err, size_t errsize);

#endif /* EXECFIX_INTERP_LEAK_H */
