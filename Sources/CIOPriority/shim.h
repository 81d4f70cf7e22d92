// ioprio_set(2) and ioprio_get(2): glibc has no wrappers, and Swift does not
// import the variadic syscall(2), so these two small functions make the calls.
#ifndef CHIMERAD_CIOPRIORITY_SHIM_H
#define CHIMERAD_CIOPRIORITY_SHIM_H

#include <sys/syscall.h>
#include <unistd.h>

// From linux/ioprio.h, which older kernel headers lack.
#define CHIMERAD_IOPRIO_WHO_PROCESS 1
#define CHIMERAD_IOPRIO_CLASS_SHIFT 13
#define CHIMERAD_IOPRIO_CLASS_IDLE 3

/// Puts the calling thread in the idle I/O class (it reaches the disk only when
/// nothing else asks for it); a child it starts inherits the class.
/// Returns 0, or -1 with errno set.
static inline int chimerad_ioprio_set_idle(void) {
    return (int)syscall(SYS_ioprio_set, CHIMERAD_IOPRIO_WHO_PROCESS, 0,
                        CHIMERAD_IOPRIO_CLASS_IDLE << CHIMERAD_IOPRIO_CLASS_SHIFT);
}

/// The I/O class of process (or thread) `pid`: 0 none (follows the CPU
/// priority), 1 real-time, 2 best-effort, 3 idle; -1 with errno set on failure.
static inline int chimerad_ioprio_class(int pid) {
    int value = (int)syscall(SYS_ioprio_get, CHIMERAD_IOPRIO_WHO_PROCESS, pid);
    return value < 0 ? -1 : value >> CHIMERAD_IOPRIO_CLASS_SHIFT;
}

#endif
