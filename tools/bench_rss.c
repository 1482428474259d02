/* bench_rss: runs a command and reports its peak resident set size.
 *
 *   bench_rss PROGRAM [ARG…]
 *
 * The child's output passes through; after it exits, one line goes to
 * stderr: "bench_rss: maxrss_kib=N wall_s=S cpu_s=S status=C" (cpu_s: the
 * child's user plus system CPU time). A process's peak RSS
 * includes what it had between fork and exec, so measuring from a large
 * parent (a Python script) reports the parent's size; this launcher is small,
 * so what it reports is the program's own peak. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  if (argc < 2)
    {
      fprintf (stderr, "usage: bench_rss PROGRAM [ARG…]\n");
      return 2;
    }
  struct timespec t0, t1;
  clock_gettime (CLOCK_MONOTONIC, &t0);
  pid_t pid = fork ();
  if (pid < 0)
    {
      perror ("bench_rss: fork");
      return 2;
    }
  if (pid == 0)
    {
      execvp (argv[1], argv + 1);
      perror ("bench_rss: exec");
      _exit (127);
    }
  int status = 0;
  struct rusage ru;
  if (wait4 (pid, &status, 0, &ru) < 0)
    {
      perror ("bench_rss: wait4");
      return 2;
    }
  clock_gettime (CLOCK_MONOTONIC, &t1);
  double wall = (double) (t1.tv_sec - t0.tv_sec) + 1e-9 * (double) (t1.tv_nsec - t0.tv_nsec);
  int code = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
  double cpu = (double) ru.ru_utime.tv_sec + 1e-6 * (double) ru.ru_utime.tv_usec
               + (double) ru.ru_stime.tv_sec + 1e-6 * (double) ru.ru_stime.tv_usec;
  fprintf (stderr, "bench_rss: maxrss_kib=%ld wall_s=%.6f cpu_s=%.6f status=%d\n", ru.ru_maxrss,
           wall, cpu, code);
  return code;
}
