/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ia32 compat syscall numbers (x86_64 kernels running 32-bit code through int 0x80 /
 * sysenter). <asm/unistd_32.h> defines __NR_* with the i386 numbering, so this translation
 * unit must never include <sys/syscall.h>, which would bring in the native numbers under the
 * same names.
 *
 * Where i386 has two generations of a call, vg_syscall_nr_ia32() returns the one glibc uses
 * (setuid32, chown32, truncate64, ...) and vg_syscall_nr_ia32_legacy() the old one (16-bit
 * uids, 32-bit lengths, umount without flags); both must be mapped, or a hand-written 32-bit
 * binary could change credentials unseen. Both map to the same enum vg_syscall id: raw args of
 * the legacy uid calls are 16-bit, so (u16)-1 means "unchanged" there.
 *
 * Sockets: i386 libcs traditionally multiplex every socket call through socketcall(102); the
 * kernel has had direct numbers since 4.3 (socket 359, bind 361, connect 362, accept4 364,
 * ...) and those are what we map. accept has no direct ia32 number at all. socketcall itself
 * is not mapped (one nr cannot stand for several ids), so ia32 socket calls made through it
 * are not seen; a socketcall-aware BPF handler would be needed for that.
 */
#include "sensor/syscalls.h"

#if defined(__x86_64__)
#include <asm/unistd_32.h>

int vg_syscall_nr_ia32(unsigned sc)
{
	switch (sc) {
#ifdef __NR_execve
	case VG_SC_EXECVE:
		return __NR_execve;
#endif
#ifdef __NR_execveat
	case VG_SC_EXECVEAT:
		return __NR_execveat;
#endif
#ifdef __NR_clone
	case VG_SC_CLONE:
		return __NR_clone;
#endif
#ifdef __NR_clone3
	case VG_SC_CLONE3:
		return __NR_clone3;
#endif
#ifdef __NR_fork
	case VG_SC_FORK:
		return __NR_fork;
#endif
#ifdef __NR_vfork
	case VG_SC_VFORK:
		return __NR_vfork;
#endif
#ifdef __NR_open
	case VG_SC_OPEN:
		return __NR_open;
#endif
#ifdef __NR_openat
	case VG_SC_OPENAT:
		return __NR_openat;
#endif
#ifdef __NR_openat2
	case VG_SC_OPENAT2:
		return __NR_openat2;
#endif
#ifdef __NR_creat
	case VG_SC_CREAT:
		return __NR_creat;
#endif
#ifdef __NR_unlink
	case VG_SC_UNLINK:
		return __NR_unlink;
#endif
#ifdef __NR_unlinkat
	case VG_SC_UNLINKAT:
		return __NR_unlinkat;
#endif
#ifdef __NR_rename
	case VG_SC_RENAME:
		return __NR_rename;
#endif
#ifdef __NR_renameat
	case VG_SC_RENAMEAT:
		return __NR_renameat;
#endif
#ifdef __NR_renameat2
	case VG_SC_RENAMEAT2:
		return __NR_renameat2;
#endif
#ifdef __NR_link
	case VG_SC_LINK:
		return __NR_link;
#endif
#ifdef __NR_linkat
	case VG_SC_LINKAT:
		return __NR_linkat;
#endif
#ifdef __NR_symlink
	case VG_SC_SYMLINK:
		return __NR_symlink;
#endif
#ifdef __NR_symlinkat
	case VG_SC_SYMLINKAT:
		return __NR_symlinkat;
#endif
#ifdef __NR_mkdir
	case VG_SC_MKDIR:
		return __NR_mkdir;
#endif
#ifdef __NR_mkdirat
	case VG_SC_MKDIRAT:
		return __NR_mkdirat;
#endif
#ifdef __NR_rmdir
	case VG_SC_RMDIR:
		return __NR_rmdir;
#endif
#ifdef __NR_chmod
	case VG_SC_CHMOD:
		return __NR_chmod;
#endif
#ifdef __NR_fchmod
	case VG_SC_FCHMOD:
		return __NR_fchmod;
#endif
#ifdef __NR_fchmodat
	case VG_SC_FCHMODAT:
		return __NR_fchmodat;
#endif
#ifdef __NR_chown32
	case VG_SC_CHOWN:
		return __NR_chown32;
#endif
#ifdef __NR_lchown32
	case VG_SC_LCHOWN:
		return __NR_lchown32;
#endif
#ifdef __NR_fchown32
	case VG_SC_FCHOWN:
		return __NR_fchown32;
#endif
#ifdef __NR_fchownat
	case VG_SC_FCHOWNAT:
		return __NR_fchownat;
#endif
#ifdef __NR_truncate64
	case VG_SC_TRUNCATE:
		return __NR_truncate64;
#endif
#ifdef __NR_ftruncate64
	case VG_SC_FTRUNCATE:
		return __NR_ftruncate64;
#endif
#ifdef __NR_close
	case VG_SC_CLOSE:
		return __NR_close;
#endif
#ifdef __NR_socket
	case VG_SC_SOCKET:
		return __NR_socket;
#endif
#ifdef __NR_connect
	case VG_SC_CONNECT:
		return __NR_connect;
#endif
#ifdef __NR_accept
	case VG_SC_ACCEPT:
		return __NR_accept;
#endif
#ifdef __NR_accept4
	case VG_SC_ACCEPT4:
		return __NR_accept4;
#endif
#ifdef __NR_bind
	case VG_SC_BIND:
		return __NR_bind;
#endif
#ifdef __NR_listen
	case VG_SC_LISTEN:
		return __NR_listen;
#endif
#ifdef __NR_sendto
	case VG_SC_SENDTO:
		return __NR_sendto;
#endif
#ifdef __NR_sendmsg
	case VG_SC_SENDMSG:
		return __NR_sendmsg;
#endif
#ifdef __NR_recvfrom
	case VG_SC_RECVFROM:
		return __NR_recvfrom;
#endif
#ifdef __NR_recvmsg
	case VG_SC_RECVMSG:
		return __NR_recvmsg;
#endif
#ifdef __NR_dup
	case VG_SC_DUP:
		return __NR_dup;
#endif
#ifdef __NR_dup2
	case VG_SC_DUP2:
		return __NR_dup2;
#endif
#ifdef __NR_dup3
	case VG_SC_DUP3:
		return __NR_dup3;
#endif
#ifdef __NR_setuid32
	case VG_SC_SETUID:
		return __NR_setuid32;
#endif
#ifdef __NR_setgid32
	case VG_SC_SETGID:
		return __NR_setgid32;
#endif
#ifdef __NR_setreuid32
	case VG_SC_SETREUID:
		return __NR_setreuid32;
#endif
#ifdef __NR_setregid32
	case VG_SC_SETREGID:
		return __NR_setregid32;
#endif
#ifdef __NR_setresuid32
	case VG_SC_SETRESUID:
		return __NR_setresuid32;
#endif
#ifdef __NR_setresgid32
	case VG_SC_SETRESGID:
		return __NR_setresgid32;
#endif
#ifdef __NR_capset
	case VG_SC_CAPSET:
		return __NR_capset;
#endif
#ifdef __NR_ptrace
	case VG_SC_PTRACE:
		return __NR_ptrace;
#endif
#ifdef __NR_prctl
	case VG_SC_PRCTL:
		return __NR_prctl;
#endif
#ifdef __NR_unshare
	case VG_SC_UNSHARE:
		return __NR_unshare;
#endif
#ifdef __NR_setns
	case VG_SC_SETNS:
		return __NR_setns;
#endif
#ifdef __NR_mount
	case VG_SC_MOUNT:
		return __NR_mount;
#endif
#ifdef __NR_umount2
	case VG_SC_UMOUNT2:
		return __NR_umount2;
#endif
#ifdef __NR_pivot_root
	case VG_SC_PIVOT_ROOT:
		return __NR_pivot_root;
#endif
#ifdef __NR_chroot
	case VG_SC_CHROOT:
		return __NR_chroot;
#endif
#ifdef __NR_init_module
	case VG_SC_INIT_MODULE:
		return __NR_init_module;
#endif
#ifdef __NR_finit_module
	case VG_SC_FINIT_MODULE:
		return __NR_finit_module;
#endif
#ifdef __NR_bpf
	case VG_SC_BPF:
		return __NR_bpf;
#endif
#ifdef __NR_perf_event_open
	case VG_SC_PERF_EVENT_OPEN:
		return __NR_perf_event_open;
#endif
#ifdef __NR_userfaultfd
	case VG_SC_USERFAULTFD:
		return __NR_userfaultfd;
#endif
#ifdef __NR_memfd_create
	case VG_SC_MEMFD_CREATE:
		return __NR_memfd_create;
#endif
#ifdef __NR_process_vm_writev
	case VG_SC_PROCESS_VM_WRITEV:
		return __NR_process_vm_writev;
#endif
#ifdef __NR_kill
	case VG_SC_KILL:
		return __NR_kill;
#endif
#ifdef __NR_tkill
	case VG_SC_TKILL:
		return __NR_tkill;
#endif
#ifdef __NR_tgkill
	case VG_SC_TGKILL:
		return __NR_tgkill;
#endif
	default:
		return -1;
	}
}

int vg_syscall_nr_ia32_legacy(unsigned sc)
{
	switch (sc) {
#ifdef __NR_setuid
	case VG_SC_SETUID:
		return __NR_setuid;
#endif
#ifdef __NR_setgid
	case VG_SC_SETGID:
		return __NR_setgid;
#endif
#ifdef __NR_setreuid
	case VG_SC_SETREUID:
		return __NR_setreuid;
#endif
#ifdef __NR_setregid
	case VG_SC_SETREGID:
		return __NR_setregid;
#endif
#ifdef __NR_setresuid
	case VG_SC_SETRESUID:
		return __NR_setresuid;
#endif
#ifdef __NR_setresgid
	case VG_SC_SETRESGID:
		return __NR_setresgid;
#endif
#ifdef __NR_chown
	case VG_SC_CHOWN:
		return __NR_chown;
#endif
#ifdef __NR_lchown
	case VG_SC_LCHOWN:
		return __NR_lchown;
#endif
#ifdef __NR_fchown
	case VG_SC_FCHOWN:
		return __NR_fchown;
#endif
#ifdef __NR_truncate
	case VG_SC_TRUNCATE:
		return __NR_truncate;
#endif
#ifdef __NR_ftruncate
	case VG_SC_FTRUNCATE:
		return __NR_ftruncate;
#endif
#ifdef __NR_umount
	case VG_SC_UMOUNT2:
		return __NR_umount;
#endif
	default:
		return -1;
	}
}

#else

int vg_syscall_nr_ia32(unsigned sc)
{
	return -1;
}

int vg_syscall_nr_ia32_legacy(unsigned sc)
{
	return -1;
}

#endif
