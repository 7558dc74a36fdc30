/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which x86 kernel runs this program (arch.c): a 64-bit one (x86_64,
 * which may run 32-bit programs too) or a 32-bit one (i386..i686, which
 * runs no 64-bit program and so cannot have the exec-shield layout bug:
 * that needs a 64-bit child of a 32-bit parent).
 */
#ifndef MEASURE_ARCH_H
#define MEASURE_ARCH_H

/*
 * 64 or 32: the width of the running kernel; 0 when uname(2) names no x86
 * machine.  A 32-bit program under PER_LINUX32 (setarch i386, linux32) is
 * told "i686" by newer 64-bit kernels: the personality is set to
 * PER_LINUX for the one call and put back.
 */
int kernel_bits(void);

#endif /* MEASURE_ARCH_H */
