# SPDX-License-Identifier: GPL-2.0
#
# The measurement library, for a Makefile that builds a program with it:
#
#   include path/to/measure/measure.mk
#   prog: prog.c $(MEASURE_SRCS) $(MEASURE_HDRS)
#   	$(CC) $(CFLAGS) $(MEASURE_CFLAGS) -o $@ prog.c $(MEASURE_SRCS)
#
# Every .c directly in measure/ is the library (shell build lines may glob
# measure/*.c); measure/tests/ is not.  Plain C99 (gnu99 for gcc 4.4),
# static musl or glibc, system calls of Linux 2.6.32 only.
MEASURE_DIR	:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
MEASURE_SRCS	:= $(sort $(wildcard $(MEASURE_DIR)/*.c))
MEASURE_HDRS	:= $(sort $(wildcard $(MEASURE_DIR)/*.h))
MEASURE_CFLAGS	:= -I$(MEASURE_DIR)
