# SPDX-License-Identifier: GPL-2.0
#
# The measurement library, for a Makefile that builds a program with it:
#
#   MEASURE_PATH_VARS := OUTPUT	# optional, see below
#   include relative/path/to/measure/measure.mk
#   prog: prog.c $(MEASURE_SRCS) $(MEASURE_HDRS)
#   	$(CC) $(CFLAGS) $(MEASURE_CFLAGS) -o $@ prog.c $(MEASURE_SRCS)
#
# Every .c directly in measure/ is the library (shell build lines may glob
# measure/*.c); measure/tests/ is not.  Plain C99 (gnu99 for gcc 4.4),
# static musl or glibc, system calls of Linux 2.6.32 only.
#
# make splits paths at spaces, so a checkout whose path has one, or an
# output directory whose variable the including Makefile names in
# MEASURE_PATH_VARS, is refused here at once with exit 2, as kbuild refuses
# one (the top Makefile and selftests/Makefile say the same;
# tests/space-path.sh).  Include this file by a relative path: an absolute
# one would split before the check is read.
measure_comma	:= ,
ifneq ($(filter-out 1,$(words $(CURDIR)) $(foreach v,$(MEASURE_PATH_VARS),$(words $(or $($(v)),.)))),)
$(error el6-execfix cannot work in a path with a space ('$(CURDIR)'$(foreach v,$(MEASURE_PATH_VARS),$(measure_comma) $(v) '$($(v))')): clone it to a path without one)
endif

MEASURE_DIR	:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
MEASURE_SRCS	:= $(sort $(wildcard $(MEASURE_DIR)/*.c))
MEASURE_HDRS	:= $(sort $(wildcard $(MEASURE_DIR)/*.h))
MEASURE_CFLAGS	:= -I$(MEASURE_DIR)
