// SPDX-License-Identifier: GPL-2.0
/*
 * interp_stub: the interpreter of interp_leak's scripts and binfmt_misc
 * file type.  It exits at once with its argc as status, which tells the
 * caller which path the kernel took: 1 when exec'd directly, 2 for a "#!"
 * script or a binfmt_misc file, 3 for a script whose interpreter is a
 * script.  No libc and no start-up code, so that it is tiny and the exec
 * loops measure the kernel, not the C library; built with -nostdlib
 * -static.
 */
#if defined(__x86_64__)
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	mov (%rsp), %rdi\n"	/* argc */
	"	mov $231, %eax\n"	/* __NR_exit_group */
	"	syscall\n"
	"	hlt\n");
#elif defined(__i386__)
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	mov (%esp), %ebx\n"	/* argc */
	"	mov $252, %eax\n"	/* __NR_exit_group */
	"	int $0x80\n"
	"	hlt\n");
#else
#error "interp_stub: only x86_64 and i386 are supported"
#endif
