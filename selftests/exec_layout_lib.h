/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libexec_layout.so: the shared library of exec_layout_64_dyn.  Linked with
 * an executable first PT_LOAD (as CentOS 6's binutils 2.20 links every
 * library), so the dynamic loader maps its whole span with PROT_EXEC and
 * asks the kernel's exec allocator for the address.
 */
#ifndef EXEC_LAYOUT_LIB_H
#define EXEC_LAYOUT_LIB_H

/* Address of the library's own text, as the child reports it. */
unsigned long exec_layout_lib_text(void);

#endif
