/* amisim fuzzing — the replay driver: a fuzz target linked with this main()
 * runs files through the target without libFuzzer, with any compiler.
 *
 *   replay_TARGET [--timeout SECONDS] [--memory MIB] PATH…
 *
 * Each PATH is a file or a folder, whose files (not its subfolders, not
 * hidden files) are taken in name order; a missing PATH or an empty folder
 * is an error, so that a wrong path cannot pass. Each input runs in a child
 * process under an alarm (--timeout, default 20 s: a hang is a failure)
 * and a memory cap (--memory, default 2048 MiB): an address-space limit
 * (setrlimit RLIMIT_AS). AddressSanitizer reserves terabytes of address
 * space for its shadow memory, so an ASan build cannot take that limit:
 * there a watchdog thread in the child reads its resident size every 10 ms
 * and ends it past the cap. Either way, the child's peak resident size is
 * checked against the cap once it ends. An input whose file name starts
 * with "refused-" must also be refused by the target (a hostile input a
 * loader limit is there for; see docs/fuzzing.md).
 *
 * One line per input on stdout; exit status 0 when every input passed, 1
 * when one failed (crashed, hung, went over the memory cap, or was accepted
 * while it must be refused), 2 for bad arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

#if defined(__SANITIZE_ADDRESS__)
#define AMS_REPLAY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AMS_REPLAY_ASAN 1
#endif
#endif

#define REFUSED_PREFIX "refused-"
#define REASON_SIZE 512

/* Child exit statuses. */
enum
{
  CHILD_ACCEPTED = 0,
  CHILD_REFUSED = 3,
  CHILD_UNREADABLE = 4,
  CHILD_OVER_MEMORY = 5,
};

typedef struct
{
  guint timeout_s;
  guint64 memory_mib;
} Limits;

/* Whether the address-space limit can be used (not under ASan). */
static gboolean
can_limit_address_space (void)
{
#ifdef AMS_REPLAY_ASAN
  return FALSE;
#else
  return TRUE;
#endif
}

/* Resident bytes of this process, from /proc/self/statm (no allocation:
 * it runs beside an allocator that may be running away); 0 if unknown. */
static guint64
resident_bytes (void)
{
  int fd = open ("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  char buf[128];
  ssize_t n = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  const char *p = strchr (buf, ' '); /* size, then resident, in pages */
  return p != NULL ? g_ascii_strtoull (p + 1, NULL, 10) * (guint64) sysconf (_SC_PAGESIZE) : 0;
}

/* The child's watchdog where the address space cannot be limited. */
static gpointer
watch_memory (gpointer data)
{
  const Limits *lim = data;
  for (;;)
    {
      if (resident_bytes () > lim->memory_mib << 20)
        _exit (CHILD_OVER_MEMORY);
      g_usleep (10 * 1000);
    }
  return NULL;
}

/* In the child: read the file, run the target, exit with its verdict and
 * leave the reason for a refusal in `reason` (shared with the parent). */
static G_NORETURN void
run_child (const char *path, const Limits *lim, char *reason)
{
  if (can_limit_address_space ())
    {
      struct rlimit rl = { .rlim_cur = (rlim_t) lim->memory_mib << 20,
                           .rlim_max = (rlim_t) lim->memory_mib << 20 };
      if (setrlimit (RLIMIT_AS, &rl) != 0)
        {
          fprintf (stderr, "replay: setrlimit: %s\n", g_strerror (errno));
          _exit (CHILD_UNREADABLE);
        }
    }
  else
    g_thread_unref (g_thread_new ("memory watchdog", watch_memory, (gpointer) lim));
  alarm (lim->timeout_s);
  gchar *data = NULL;
  gsize len = 0;
  GError *error = NULL;
  if (!g_file_get_contents (path, &data, &len, &error))
    {
      fprintf (stderr, "replay: %s\n", error->message);
      g_error_free (error);
      _exit (CHILD_UNREADABLE);
    }
  /* exactly the input's bytes, so that reading past them is caught */
  uint8_t *input = g_memdup2 (data, len);
  g_free (data);
  LLVMFuzzerTestOneInput (input, len);
  g_free (input);
  g_strlcpy (reason, ams_fuzz_reason (), REASON_SIZE);
  /* exit, not _exit: LeakSanitizer checks at exit */
  exit (ams_fuzz_accepted () ? CHILD_ACCEPTED : CHILD_REFUSED);
}

static double
seconds_since (const struct timeval *start)
{
  struct timeval now;
  gettimeofday (&now, NULL);
  return (double) (now.tv_sec - start->tv_sec) + (double) (now.tv_usec - start->tv_usec) / 1e6;
}

/* Runs one input; prints its line; TRUE when it passed. */
static gboolean
replay_one (const char *path, const Limits *lim, char *reason)
{
  g_autofree char *base = g_path_get_basename (path);
  gboolean must_refuse = g_str_has_prefix (base, REFUSED_PREFIX);
  struct timeval start;
  gettimeofday (&start, NULL);
  reason[0] = '\0';
  fflush (stdout);
  fflush (stderr);
  pid_t pid = fork ();
  if (pid < 0)
    {
      fprintf (stderr, "replay: fork: %s\n", g_strerror (errno));
      exit (2);
    }
  if (pid == 0)
    run_child (path, lim, reason);

  int status = 0;
  struct rusage ru = { 0 };
  while (wait4 (pid, &status, 0, &ru) < 0)
    if (errno != EINTR)
      {
        fprintf (stderr, "replay: wait4: %s\n", g_strerror (errno));
        exit (2);
      }
  double wall = seconds_since (&start);
  guint64 peak_mib = (guint64) ru.ru_maxrss / 1024; /* ru_maxrss is in KiB */

  g_autofree char *failure = NULL;
  g_autofree char *verdict = NULL;
  if (WIFSIGNALED (status) && WTERMSIG (status) == SIGALRM)
    failure = g_strdup_printf ("hung: still running after %u s", lim->timeout_s);
  else if (WIFSIGNALED (status))
    failure = g_strdup_printf ("crashed: signal %d (%s)", WTERMSIG (status),
                               g_strsignal (WTERMSIG (status)));
  else if (WEXITSTATUS (status) == CHILD_OVER_MEMORY)
    failure = g_strdup_printf ("went over the %" G_GUINT64_FORMAT " MiB cap (resident size)",
                               lim->memory_mib);
  else if (WEXITSTATUS (status) == CHILD_UNREADABLE)
    failure = g_strdup ("could not be read or capped");
  else if (WEXITSTATUS (status) != CHILD_ACCEPTED && WEXITSTATUS (status) != CHILD_REFUSED)
    failure = g_strdup_printf ("failed: exit status %d (a sanitizer report?)",
                               WEXITSTATUS (status));
  else
    {
      gboolean accepted = WEXITSTATUS (status) == CHILD_ACCEPTED;
      verdict = accepted ? g_strdup ("accepted")
                         : g_strdup_printf ("refused: %s", reason[0] ? reason : "(no reason given)");
      if (peak_mib > lim->memory_mib)
        failure = g_strdup_printf ("used %" G_GUINT64_FORMAT " MiB, over the %" G_GUINT64_FORMAT
                                   " MiB cap", peak_mib, lim->memory_mib);
      else if (accepted && must_refuse)
        failure = g_strdup ("accepted, but its name says it must be refused");
    }

  if (failure != NULL)
    printf ("FAIL  %s: %s (%.2f s, %" G_GUINT64_FORMAT " MiB)\n", path, failure, wall, peak_mib);
  else
    printf ("ok    %s: %s (%.2f s, %" G_GUINT64_FORMAT " MiB)\n", path, verdict, wall, peak_mib);
  return failure == NULL;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The inputs a PATH names, appended to `files`; FALSE (with a message) if none. */
static gboolean
collect (const char *path, GPtrArray *files)
{
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return TRUE;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (path, 0, &error);
  if (dir == NULL)
    {
      fprintf (stderr, "replay: %s\n", error->message);
      return FALSE;
    }
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  for (const char *name = g_dir_read_name (dir); name != NULL; name = g_dir_read_name (dir))
    {
      if (name[0] == '.')
        continue;
      char *full = g_build_filename (path, name, NULL);
      if (g_file_test (full, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (found, full);
      else
        g_free (full);
    }
  if (found->len == 0)
    {
      fprintf (stderr, "replay: %s: no inputs in this folder\n", path);
      return FALSE;
    }
  g_ptr_array_sort (found, compare_names);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (files, g_steal_pointer (&found->pdata[i]));
  return TRUE;
}

static G_NORETURN void
usage (const char *prog)
{
  fprintf (stderr, "usage: %s [--timeout SECONDS] [--memory MIB] PATH…\n", prog);
  exit (2);
}

static guint64
number_arg (const char *prog, const char *option, const char *text)
{
  guint64 v = 0;
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &v, NULL))
    {
      fprintf (stderr, "%s: %s needs a positive whole number\n", prog, option);
      usage (prog);
    }
  return v;
}

int
main (int argc, char **argv)
{
  Limits lim = { .timeout_s = 20, .memory_mib = 2048 };
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = TRUE;
  int i = 1;
  for (; i < argc && g_str_has_prefix (argv[i], "--"); i++)
    {
      if (strcmp (argv[i], "--timeout") == 0)
        {
          lim.timeout_s = (guint) number_arg (argv[0], argv[i], argv[i + 1]);
          i++;
        }
      else if (strcmp (argv[i], "--memory") == 0)
        {
          lim.memory_mib = number_arg (argv[0], argv[i], argv[i + 1]);
          i++;
        }
      else if (strcmp (argv[i], "--") == 0)
        {
          i++;
          break;
        }
      else
        usage (argv[0]);
    }
  if (i == argc)
    usage (argv[0]);
  for (; i < argc; i++)
    ok = collect (argv[i], files) && ok;
  if (!ok)
    return 2;

  if (can_limit_address_space ())
    printf ("replay: %u inputs, %u s each at most, address space capped at %" G_GUINT64_FORMAT
            " MiB\n", files->len, lim.timeout_s, lim.memory_mib);
  else
    printf ("replay: %u inputs, %u s each at most; AddressSanitizer build: resident size capped "
            "at %" G_GUINT64_FORMAT " MiB (no address-space cap under ASan)\n",
            files->len, lim.timeout_s, lim.memory_mib);
  /* the child's reason for a refusal, written where the parent sees it */
  char *reason = mmap (NULL, REASON_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (reason == MAP_FAILED)
    {
      fprintf (stderr, "replay: mmap: %s\n", g_strerror (errno));
      return 2;
    }
  guint failed = 0;
  for (guint f = 0; f < files->len; f++)
    if (!replay_one (files->pdata[f], &lim, reason))
      failed++;
  munmap (reason, REASON_SIZE);
  printf ("replay: %u of %u inputs passed\n", files->len - failed, files->len);
  return failed == 0 ? 0 : 1;
}
