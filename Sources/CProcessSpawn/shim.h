// Starting the managed llama-server so that it ends with chimerad: the child
// sets its parent-death signal (prctl PR_SET_PDEATHSIG) before it execs.
// posix_spawn runs no code of ours in the child, util-linux's setpriv needs
// capset(2), which a hardened unit's SystemCallFilter=~@privileged refuses,
// and Swift cannot run code between fork and exec safely; hence C.
#ifndef CHIMERAD_CPROCESSSPAWN_SHIM_H
#define CHIMERAD_CPROCESSSPAWN_SHIM_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

// From linux/close_range.h, which older kernel headers lack.
#define CHIMERAD_CLOSE_RANGE_CLOEXEC (1U << 2)

/// Marks every descriptor from 3 close-on-exec: the child gets none of the
/// daemon's beyond stdio, even one opened without O_CLOEXEC.
static inline void chimerad_spawn_close_from_3(void) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3U, ~0U, CHIMERAD_CLOSE_RANGE_CLOEXEC) == 0) return;
#endif
    long limit = sysconf(_SC_OPEN_MAX);
    if (limit < 0 || limit > 65536) limit = 65536;
    for (int fd = 3; fd < limit; fd++) fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/// Starts `path` with `argv` and `envp`: stdin from /dev/null, stdout and
/// stderr into `output`, an empty signal mask and every signal at its default
/// action, no descriptor beyond stdio, and `death_signal` sent to it by the
/// kernel when the calling thread ends (or the whole process: SIGKILL
/// included). The child inherits the calling thread's scheduling policy and
/// I/O class. Only system calls run between fork and exec.
/// Returns 0 and sets `*pid_out`, or the errno of what failed (an exec
/// failure included, reported through a close-on-exec pipe).
static inline int chimerad_spawn_tied(const char *path, char *const argv[], char *const envp[], int output,
                                      int death_signal, pid_t *pid_out) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return errno;
    // Every signal blocked across fork: no handler of the daemon's runs in
    // the child, and a parent-death signal that comes before the child has
    // reset what the daemon ignores waits, pending, and ends it at exec.
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        // The kernel's own call: glibc's sigaction refuses the signals it
        // keeps for itself (32 and 33), which a parent may have ignored.
        // Its sigset size is the kernel's (64 signals: 8 bytes).
        unsigned long default_action[4] = {0, 0, 0, 0};  // SIG_DFL, no flags, no restorer, empty mask
        for (int signal = 1; signal < NSIG; signal++) {
            if (signal != SIGKILL && signal != SIGSTOP) syscall(SYS_rt_sigaction, signal, default_action, 0, 8);
        }
        // The pipe and the output moved above stdio first: at 0, 1 or 2 (a
        // daemon started with them closed) the dup2s below would replace them.
        int pipe_end = fcntl(report[1], F_DUPFD_CLOEXEC, 3);
        int out = fcntl(output, F_DUPFD_CLOEXEC, 3);
        int error = 0;
        if (pipe_end < 0 || out < 0) {
            error = errno;
        } else if (prctl(PR_SET_PDEATHSIG, death_signal) != 0) {
            error = errno;
        } else if (getppid() != parent) {
            error = ESRCH;  // chimerad ended before the signal was set
        } else {
            int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (null < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0 || dup2(null, 0) < 0) error = errno;
        }
        if (error == 0) {
            chimerad_spawn_close_from_3();
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, 0);
            execve(path, argv, envp);
            error = errno;
        }
        ssize_t written = write(pipe_end >= 0 ? pipe_end : report[1], &error, sizeof error);
        (void)written;
        _exit(127);
    }
    int fork_error = errno;
    pthread_sigmask(SIG_SETMASK, &saved, 0);
    close(report[1]);
    if (pid < 0) {
        close(report[0]);
        return fork_error;
    }
    int error = 0;
    ssize_t count;
    do {
        count = read(report[0], &error, sizeof error);
    } while (count < 0 && errno == EINTR);
    close(report[0]);
    if (count == (ssize_t)sizeof error) {
        while (waitpid(pid, 0, 0) < 0 && errno == EINTR) {}
        return error;
    }
    *pid_out = pid;
    return 0;
}

#endif
