/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exec-shield sysctl (execshield.c): save, set, restore (also from a
 * signal handler), and learning which values make the kernel give a
 * 32-bit task the ia32 exec allocator.  RHEL installs it for any value
 * with a top-down layout; OpenVZ's 042stab kernels only with flag 16
 * ("16 & exec_shield" in their arch_pick_mmap_layout()).  So the values
 * are asked of the kernel, never assumed where it can be asked.
 */
#ifndef MEASURE_EXECSHIELD_H
#define MEASURE_EXECSHIELD_H

#define ES_PATH		"/proc/sys/kernel/exec-shield"
#define ES_FLAG16	16
#define ES_NCAND	8
#define ES_REFUSED	(-2)

/* The values tried: 0..3, then 16..19. */
extern const int es_candidates[ES_NCAND];

/* Remember the current value; 0, or -1 when there is no sysctl. */
int es_save(void);

/* The saved value as text ("1\n"), "" before es_save(). */
const char *es_saved(void);

/* Set a value; 0, or -1 with errno (the saved value is put back then). */
int es_set(int value);

/* Put the saved value back if it was changed.  Async-signal-safe. */
void es_restore(void);

/* The value now, or -1. */
int es_read(void);

/*
 * Learn the candidates: for each, set it and ask probe (1: a 32-bit task
 * gets the allocator, 0: it does not, -1: could not tell), then restore.
 * alloc[i] gets the answer; ES_REFUSED where the kernel did not take the
 * value (it reads back otherwise), -1 where it could not be set.
 * Returns 0 when at least one value was learned, else -1.
 */
int es_learn(int alloc[ES_NCAND], int (*probe)(void *ctx, int value),
	     void *ctx);

/* Does flag 16 change any answer (then its values join the matrix)? */
int es_flag16_matters(const int alloc[ES_NCAND]);

#endif /* MEASURE_EXECSHIELD_H */
