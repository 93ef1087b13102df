/* Booting the VM for one command: the job directory the init script reads
 * (vm_init.sh), QEMU's command line, signals passed on to the command, and
 * its exit status read back. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsutil.h"
#include "vm.h"

#define QEMU "qemu-system-x86_64"

extern char **environ;

static volatile sig_atomic_t got_signal, timed_out;
static int ctl_fd = -1;
static pid_t qemu_pid;

/* Passes SIGINT/SIGTERM/SIGHUP on to the command in the guest; a second
 * one, or the timeout, stops the VM. */
static void on_signal(int sig)
{
    if (sig == SIGALRM)
        timed_out = 1;
    if (sig != SIGALRM && !got_signal && ctl_fd >= 0) {
        char msg[8] = {(char)('0' + sig / 10), (char)('0' + sig % 10), '\n'};
        got_signal = sig;
        if (write(ctl_fd, msg, 3) == 3) {
            alarm(10); /* the command has 10 s to end */
            return;
        }
    }
    if (qemu_pid > 0)
        kill(qemu_pid, SIGKILL);
}

/* s in single quotes for sh. */
static void sb_shell_quote(struct strbuf *sb, const char *s)
{
    sb_puts(sb, "'");
    for (; *s; s++)
        if (*s == '\'')
            sb_puts(sb, "'\\''");
        else
            sb_add(sb, s, 1);
    sb_puts(sb, "'");
}

/* s with QEMU's option separator (,) doubled. */
static char *qemu_escape(const char *s)
{
    struct strbuf sb;
    sb_init(&sb);
    for (; *s; s++) {
        sb_add(&sb, s, 1);
        if (*s == ',')
            sb_add(&sb, ",", 1);
    }
    return sb_detach(&sb);
}

static bool shell_name(const char *s, size_t n)
{
    if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

/* The script the guest runs: this environment, the directory, the
 * command. */
static char *job_script(const struct vm_job *job)
{
    struct strbuf sb;
    sb_init(&sb);
    for (char **e = environ; *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq || !shell_name(*e, (size_t)(eq - *e)))
            continue;
        sb_printf(&sb, "export %.*s=", (int)(eq - *e), *e);
        sb_shell_quote(&sb, eq + 1);
        sb_puts(&sb, "\n");
    }
    sb_puts(&sb, "cd ");
    sb_shell_quote(&sb, job->cwd);
    sb_printf(&sb, " || exit %d\nexec", VM_EXIT_NOSTART);
    for (char **a = job->argv; *a; a++) {
        sb_puts(&sb, " ");
        sb_shell_quote(&sb, *a);
    }
    sb_puts(&sb, "\n");
    return sb_detach(&sb);
}

static int write_job_file(const char *dir, const char *name, const char *text)
{
    char *p = path_join(dir, name);
    int r = write_atomic(p, text, strlen(text));
    if (r < 0)
        vm_err("cannot write %s: %s", p, strerror(errno));
    free(p);
    return r < 0 ? -1 : 0;
}

struct argv {
    char **v;
    size_t n, cap;
};

static void av_push(struct argv *a, char *s)
{
    if (a->n + 1 >= a->cap)
        a->v = xrealloc(a->v, (a->cap = a->cap ? 2 * a->cap : 64) * sizeof *a->v);
    a->v[a->n++] = s;
    a->v[a->n] = NULL;
}

static void av_free(struct argv *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
}

/* A 9p export of path with tag. */
static void add_9p(struct argv *av, const char *tag, const char *path, bool ro)
{
    char *p = qemu_escape(path);
    av_push(av, xstrdup("-fsdev"));
    av_push(av, xasprintf("local,id=%s,path=%s,security_model=none,multidevs=remap%s",
                          tag, p, ro ? ",readonly=on" : ""));
    av_push(av, xstrdup("-device"));
    av_push(av, xasprintf("virtio-9p-pci,fsdev=%s,mount_tag=%s", tag, tag));
    free(p);
}

static void add_port(struct argv *av, const char *id, const char *chardev)
{
    av_push(av, xstrdup("-chardev"));
    av_push(av, xasprintf("%s,id=%s", chardev, id));
    av_push(av, xstrdup("-device"));
    av_push(av, xasprintf("virtserialport,chardev=%s,name=%s", id, id));
}

/* QEMU's command line for job, its files in jobdir. */
static void qemu_argv(struct argv *av, const struct vm_assets *a,
                      const struct vm_job *job, const char *jobdir)
{
    char *j = qemu_escape(jobdir);
    av_push(av, xstrdup(QEMU));
    const char *fixed[] = {"-accel", "tcg", "-cpu", "max", "-smp", "1", "-nodefaults",
                           "-no-user-config", "-display", "none", "-monitor", "none",
                           "-no-reboot", "-append", "console=ttyS0 panic=-1 quiet loglevel=3"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        av_push(av, xstrdup(fixed[i]));
    av_push(av, xstrdup("-m"));
    av_push(av, xasprintf("%d", job->mem_mib));
    av_push(av, xstrdup("-kernel"));
    av_push(av, xstrdup(a->kernel));
    av_push(av, xstrdup("-initrd"));
    av_push(av, qemu_escape(a->initrd));
    av_push(av, xstrdup("-serial"));
    av_push(av, xasprintf("file:%s/serial.log", jobdir));
    av_push(av, xstrdup("-device"));
    av_push(av, xstrdup("virtio-serial-pci"));
    /* FIFOs that vm_run relays to its own stdout and stderr, whatever
     * those are (a file, a pipe, a terminal, a socket) */
    char *out = xasprintf("pipe,path=%s/stdout", j), *err = xasprintf("pipe,path=%s/stderr", j);
    add_port(av, "stdout", out);
    add_port(av, "stderr", err);
    free(out);
    free(err);
    char *ctl = xasprintf("pipe,path=%s/ctl", j);
    add_port(av, "ctl", ctl);
    free(ctl);
    add_9p(av, "root", "/", true);
    add_9p(av, "job", jobdir, false);
    for (size_t i = 0; i < job->rw.n; i++) {
        char tag[32];
        snprintf(tag, sizeof tag, "rw%zu", i);
        add_9p(av, tag, job->rw.v[i], false);
    }
    for (size_t i = 0; i < job->taps.n; i++) {
        char *t = qemu_escape(job->taps.v[i]);
        av_push(av, xstrdup("-netdev"));
        av_push(av, xasprintf("tap,id=n%zu,ifname=%s,script=no,downscript=no", i, t));
        av_push(av, xstrdup("-device"));
        av_push(av, xasprintf("virtio-net-pci,netdev=n%zu,mac=52:54:00:6d:6c:%02zx", i, i));
        free(t);
    }
    free(j);
}

/* Writes the job directory's files. */
static int write_job(const char *jobdir, const struct vm_job *job)
{
    struct strbuf mounts, taps;
    sb_init(&mounts);
    sb_init(&taps);
    for (size_t i = 0; i < job->rw.n; i++)
        sb_printf(&mounts, "rw%zu rw %s\n", i, job->rw.v[i]);
    for (size_t i = 0; i < job->tmpfs.n; i++)
        sb_printf(&mounts, "tmp%zu tmpfs %s\n", i, job->tmpfs.v[i]);
    for (size_t i = 0; i < job->taps.n; i++)
        sb_printf(&taps, "52:54:00:6d:6c:%02zx %s\n", i, job->taps.v[i]);
    char *script = job_script(job);
    int r = write_job_file(jobdir, "mounts", mounts.buf ? mounts.buf : "");
    if (r == 0)
        r = write_job_file(jobdir, "taps", taps.buf ? taps.buf : "");
    if (r == 0)
        r = write_job_file(jobdir, "cmd", script);
    free(script);
    sb_free(&mounts);
    sb_free(&taps);
    /* QEMU's pipe chardevs read PATH.in and write PATH.out */
    const char *fifos[] = {"ctl.in", "ctl.out", "stdout.in", "stdout.out",
                           "stderr.in", "stderr.out"};
    for (size_t i = 0; r == 0 && i < sizeof fifos / sizeof *fifos; i++) {
        char *p = path_join(jobdir, fifos[i]);
        if (mkfifo(p, 0600) < 0) {
            vm_err("cannot create %s: %s", p, strerror(errno));
            r = -1;
        }
        free(p);
    }
    return r;
}

/* Shows the end of a log the VM left, when it failed. */
static void show_log(const char *jobdir, const char *name)
{
    char *p = path_join(jobdir, name);
    size_t len;
    char *text = read_file(p, &len);
    free(p);
    if (!text || len == 0) {
        free(text);
        return;
    }
    const char *start = text;
    int lines = 0;
    for (const char *q = text + len; q > text; q--)
        if (q[-1] == '\n' && q != text + len && ++lines == 20) {
            start = q;
            break;
        }
    fprintf(stderr, "--- %s (last lines) ---\n%s", name, start);
    if (text[len - 1] != '\n')
        fputc('\n', stderr);
    free(text);
}

static bool in_path(const char *prog)
{
    const char *path = getenv("PATH");
    char *copy = xstrdup(path ? path : "/usr/bin:/bin"), *save = NULL;
    bool found = false;
    for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
        char *p = path_join(d, prog);
        found = access(p, X_OK) == 0;
        free(p);
    }
    free(copy);
    return found;
}

/* Starts QEMU; its own messages go to jobdir/qemu.log. */
static pid_t start_qemu(struct argv *av, const char *jobdir)
{
    char *log = path_join(jobdir, "qemu.log");
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0)
            dup2(fd, 2);
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, 0);
        execvp(av->v[0], av->v);
        _exit(127);
    }
    free(log);
    return pid;
}

/* Copies what is waiting in from to fd to; false when nothing was. */
static bool relay(int from, int to)
{
    char buf[65536];
    ssize_t n = read(from, buf, sizeof buf);
    if (n <= 0)
        return false;
    for (ssize_t off = 0; n > 0 && off < n;) {
        ssize_t w = write(to, buf + off, (size_t)(n - off));
        if (w < 0 && errno != EINTR)
            break; /* our reader went away: keep draining */
        off += w > 0 ? w : 0;
    }
    return true;
}

/* Relays the guest's stdout and stderr until QEMU exits; returns its
 * wait status. */
static int relay_until_exit(int out, int err)
{
    int st;
    struct pollfd p[2] = {{out, POLLIN, 0}, {err, POLLIN, 0}};
    for (;;) {
        pid_t w = waitpid(qemu_pid, &st, WNOHANG);
        if (w == qemu_pid)
            break;
        if (poll(p, 2, 100) > 0)
            for (int i = 0; i < 2; i++)
                if (p[i].revents & POLLIN)
                    relay(p[i].fd, i ? 2 : 1);
    }
    while (relay(out, 1))
        ;
    while (relay(err, 2))
        ;
    return st;
}

/* The command's status from jobdir/status, or -1. */
static int read_status(const char *jobdir)
{
    char *p = path_join(jobdir, "status");
    char *text = read_file(p, NULL);
    free(p);
    int st = -1;
    if (text) {
        char *end;
        long v = strtol(text, &end, 10);
        if (end != text && v >= 0 && v <= 255)
            st = (int)v;
    }
    free(text);
    return st;
}

int vm_run(const struct vm_assets *a, const struct vm_job *job)
{
    if (!in_path(QEMU)) {
        vm_err("%s is not installed: apt-get install qemu-system-x86", QEMU);
        return VM_EXIT_NOSTART;
    }
    const char *tmp = getenv("TMPDIR");
    char *jobdir = xasprintf("%s/mirleft-vm.XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
    if (!mkdtemp(jobdir)) {
        vm_err("cannot create %s: %s", jobdir, strerror(errno));
        free(jobdir);
        return VM_EXIT_NOSTART;
    }
    int st = VM_EXIT_NOSTART;
    struct argv av = {0};
    if (write_job(jobdir, job) < 0)
        goto out;
    /* O_RDWR: no open waits for QEMU to open the other end, and the
     * output FIFOs never see end of file while we hold them: reads are
     * non-blocking. */
    int fds[6];
    const char *names[] = {"ctl.in", "ctl.out", "stdout.out", "stderr.out",
                           "stdout.in", "stderr.in"};
    for (int i = 0; i < 6; i++) {
        char *p = path_join(jobdir, names[i]);
        fds[i] = open(p, O_RDWR | O_CLOEXEC | (i == 2 || i == 3 ? O_NONBLOCK : 0));
        free(p);
    }
    ctl_fd = fds[0];
    qemu_argv(&av, a, job, jobdir);
    if (!job->quiet)
        vm_err("running in an emulated VM (QEMU without KVM): expect it to be slow");
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGALRM};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);
    qemu_pid = start_qemu(&av, jobdir);
    if (qemu_pid < 0) {
        vm_err("cannot start %s: %s", QEMU, strerror(errno));
        goto out_fds;
    }
    if (job->timeout_s > 0)
        alarm((unsigned)job->timeout_s);
    int qst = relay_until_exit(fds[2], fds[3]);
    alarm(0);
    qemu_pid = 0;
    st = read_status(jobdir);
    if (st >= 0)
        goto out_fds;
    st = VM_EXIT_NOSTART;
    if (timed_out && !got_signal) {
        vm_err("the command did not end within %d s; the VM was stopped", job->timeout_s);
        st = 124;
    }
    else if (got_signal)
        st = 128 + got_signal;
    else {
        vm_err("the emulated VM stopped before the command ended (QEMU %s %d)",
               WIFEXITED(qst) ? "exit status" : "signal",
               WIFEXITED(qst) ? WEXITSTATUS(qst) : WTERMSIG(qst));
        show_log(jobdir, "qemu.log");
        show_log(jobdir, "serial.log");
    }
out_fds:
    for (int i = 0; i < 6; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    ctl_fd = -1;
out:
    if (!getenv("MIRLEFT_VM_KEEP"))
        rm_rf(jobdir);
    else
        vm_err("job directory kept: %s", jobdir);
    av_free(&av);
    free(jobdir);
    return st;
}
