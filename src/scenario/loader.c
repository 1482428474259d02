/* amisim — scenario loader: the entry points of amisim/scenario.h.
 *
 * Reading a scenario is four steps, each adding its problems to one
 * AmsDiag: YAML text to a node tree (ynode.c), command-line overrides
 * applied to that tree (override.c), validation of every key into an
 * AmsScenario through the format's tables (check.c, schema_*.c), and
 * resolution of references. Only when no step found anything wrong is the
 * scenario handed out; otherwise it is freed and the caller gets every
 * problem, first in the document first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "amisim/scenario.h"
#include "diag.h"
#include "input-limits.h"
#include "ynode.h"
#include "schema.h"
#include "ynode.h"

static AmsScenario *
scenario_new (const char *display_name)
{
  AmsScenario *sc = g_new0 (AmsScenario, 1);
  sc->strings = g_string_chunk_new (4096);
  sc->file = g_string_chunk_insert_const (sc->strings, display_name);
  sc->regions = g_ptr_array_new_with_free_func (g_free);
  sc->accounts = g_ptr_array_new_with_free_func (ams_sc_account_free);
  sc->organizations = g_ptr_array_new_with_free_func (ams_sc_org_free);
  sc->account_sets = g_ptr_array_new_with_free_func (g_free);
  sc->events = g_ptr_array_new_with_free_func (ams_sc_event_free_func ());
  sc->lifecycle_policies = g_ptr_array_new_with_free_func (ams_sc_lifecycle_policy_free);
  sc->pipelines = g_ptr_array_new_with_free_func (ams_sc_pipeline_free);
  sc->launches = g_ptr_array_new_with_free_func (ams_sc_launches_free);
  sc->amis = g_ptr_array_new_with_free_func (ams_sc_ami_free);
  sc->components = g_ptr_array_new_with_free_func (ams_sc_component_free);
  sc->recipes = g_ptr_array_new_with_free_func (ams_sc_recipe_free);
  sc->resource_shares = g_ptr_array_new_with_free_func (ams_sc_resource_share_free);
  sc->resource_policies = g_ptr_array_new_with_free_func (ams_sc_resource_policy_free);
  sc->infrastructure_configurations = g_ptr_array_new_with_free_func (ams_sc_infra_free_func ());

  /* defaults (SCENARIO.md §1, DOMAIN.md §3-§4) */
  sc->seed = 1;
  sc->start = INT64_C (1767225600) * AMS_TICKS_PER_SECOND; /* 2026-01-01T00:00:00Z */
  sc->sim.copies_per_account_region = 50;
  const double copy[2] = { 25 * 60.0, 8 * 60.0 };
  const double delay[2] = { 0.0, 60.0 };
  if (!ams_dist_set (&sc->sim.copy_duration, AMS_DIST_LOGNORMAL, copy, 2, NULL)
      || !ams_dist_set (&sc->sim.schedule_delay, AMS_DIST_UNIFORM, delay, 2, NULL))
    g_assert_not_reached ();
  sc->sim.drain = FALSE;
  ams_dist_set_fixed (&sc->sim.encryption_overhead, 0.0);
  sc->sim.distribution_timeout = AMS_MINUTES (720);
  sc->sim.output_copies = TRUE;
  sc->sim.per_copy_throughput = 500.0 * 1024 * 1024;     /* DOMAIN.md §4 */
  sc->sim.region_pair_throughput = 2000.0 * 1024 * 1024;
  sc->sim.incremental_fraction = 0.1;
  sc->sim.limit_overrides = g_ptr_array_new_with_free_func (g_free);
  sc->sim.on_limit = AMS_SC_ON_LIMIT_QUEUE;
  sc->sim.retry_base = AMS_SECONDS (30);
  sc->sim.retry_max = AMS_MINUTES (15);
  sc->sim.retry_attempts = 10;
  sc->sim.concurrent_builds = 100; /* Image Builder quota per account and region */
  sc->sim.amis_per_account_region = 50000; /* EC2 quota, Recycle Bin included */
  sc->sim.timeseries_max_rows = 100000;
  sc->sim.lifecycle_state_updates = 50;    /* Image Builder quota, DOMAIN.md §6 */
  sc->sim.lifecycle_run_at = AMS_HOURS (3);
  ams_dist_set_fixed (&sc->sim.lifecycle_update_time, 2.0);
  sc->sim.lifecycle_enabled = TRUE;
  sc->sim.lifecycle_compare = FALSE;
  sc->sim.storage_price = 0.05;            /* USD per GiB-month, EBS snapshot standard */
  const double accept[1] = { 4 * 3600.0 };  /* an assumption, DOMAIN.md §5 */
  if (!ams_dist_set (&sc->sim.ram_acceptance_delay, AMS_DIST_EXPONENTIAL, accept, 1, NULL))
    g_assert_not_reached ();
  sc->sim.ram_invitation_expiry = AMS_DAYS (7); /* RAM: unanswered invitations expire */
  sc->sim.components_per_account_region = 0;    /* no quota */

  /* name: the file's base name without extension ("builtin:default.yaml" -> "default") */
  const char *base = display_name;
  if (g_str_has_prefix (base, "builtin:"))
    base += strlen ("builtin:");
  g_autofree char *name = g_path_get_basename (base);
  char *dot = strrchr (name, '.');
  if (dot != NULL && dot != name)
    *dot = '\0';
  /* a name holds no control character, even one that came with the file's */
  g_autofree char *bad = ams_ynode_find_control (name, strlen (name), FALSE);
  g_autofree char *esc = bad != NULL ? g_strescape (name, NULL) : NULL;
  sc->name = g_string_chunk_insert_const (sc->strings, esc != NULL ? esc : name);
  return sc;
}

void
ams_scenario_free (AmsScenario *sc)
{
  if (sc == NULL)
    return;
  g_ptr_array_unref (sc->regions);
  g_ptr_array_unref (sc->events);
  g_ptr_array_unref (sc->lifecycle_policies);
  g_ptr_array_unref (sc->pipelines);
  g_ptr_array_unref (sc->launches);
  g_ptr_array_unref (sc->amis);
  g_ptr_array_unref (sc->resource_policies);
  g_ptr_array_unref (sc->infrastructure_configurations);
  g_ptr_array_unref (sc->resource_shares);
  g_ptr_array_unref (sc->recipes);
  g_ptr_array_unref (sc->components);
  g_ptr_array_unref (sc->account_sets);
  g_ptr_array_unref (sc->organizations);
  g_ptr_array_unref (sc->accounts);
  ams_dist_clear (&sc->sim.copy_duration);
  ams_dist_clear (&sc->sim.schedule_delay);
  ams_dist_clear (&sc->sim.encryption_overhead);
  ams_dist_clear (&sc->sim.lifecycle_update_time);
  ams_dist_clear (&sc->sim.ram_acceptance_delay);
  g_ptr_array_unref (sc->sim.limit_overrides);
  g_string_chunk_free (sc->strings);
  g_free (sc);
}

AmsScenario *
ams_scenario_load_data (const char *display_name, const char *data, gssize len,
                        const AmsOverride *overrides, guint n_overrides, GError **error)
{
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (data == NULL)
    data = "";
  gsize size = len < 0 ? strlen (data) : (gsize) len;

  g_autoptr (AmsDiag) diag = ams_diag_new (display_name);
  g_autoptr (AmsYDoc) doc = ams_ydoc_parse (display_name, data, size,
                                            "a scenario needs at least 'amisim: 1' and 'horizon'",
                                            diag);
  if (doc == NULL)
    {
      ams_diag_take_error (diag, AMS_SCENARIO_ERROR_INVALID, error);
      return NULL;
    }
  for (guint i = 0; i < n_overrides; i++)
    ams_ydoc_apply_override (doc, &overrides[i], diag);

  g_autoptr (AmsScenario) sc = scenario_new (display_name);
  ams_schema_check_scenario (diag, doc->root, sc);
  if (ams_diag_take_error (diag, AMS_SCENARIO_ERROR_INVALID, error))
    return NULL;
  return g_steal_pointer (&sc);
}

/* What a file that is not a regular file is, for the message. */
static const char *
file_kind (mode_t mode)
{
  if (S_ISDIR (mode))
    return "a folder";
  if (S_ISFIFO (mode))
    return "a FIFO (named pipe)";
  if (S_ISCHR (mode))
    return "a character device";
  if (S_ISBLK (mode))
    return "a block device";
  if (S_ISSOCK (mode))
    return "a socket";
  return "a special file";
}

static char *
io_error (GError **error, const char *filename, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static char *
io_error (GError **error, const char *filename, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, AMS_SCENARIO_ERROR, AMS_SCENARIO_ERROR_IO, "%s:1:1: error: (file): %s",
               filename, msg);
  return NULL;
}

/* Reads `fd` to its end into a NUL-terminated buffer, starting with room
 * for `cap` bytes and never past AMS_LIMIT_INPUT_BYTES. NULL with *error
 * naming `name` (past the limit: "`what` the limit of N`when`"). */
static char *
read_all (int fd, gsize cap, const char *name, const char *what, const char *when, gsize *len,
          GError **error)
{
  gsize got = 0;
  char *buf = g_malloc (cap + 1);
  for (;;)
    {
      if (got == cap)
        {
          if (cap > AMS_LIMIT_INPUT_BYTES)
            {
              g_free (buf);
              g_autofree char *limit = ams_ylimit_size_text (AMS_LIMIT_INPUT_BYTES);
              return io_error (error, name, "%s the limit of %s%s", what, limit, when);
            }
          cap = MIN (2 * cap, (gsize) AMS_LIMIT_INPUT_BYTES + 1);
          buf = g_realloc (buf, cap + 1);
        }
      ssize_t n = read (fd, buf + got, cap - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_free (buf);
          return io_error (error, name, "cannot read %s: %s",
                           fd == STDIN_FILENO ? "standard input" : "file", g_strerror (saved));
        }
      if (n == 0)
        break;
      got += (gsize) n;
    }
  buf[got] = '\0';
  *len = got;
  return buf;
}

const char *
ams_input_name (const char *filename)
{
  return strcmp (filename, "-") == 0 ? AMS_STDIN_NAME : filename;
}

/* Regular files only: opened without blocking (a FIFO with no writer would
 * wait forever) and looked at before anything is read, so that a folder,
 * a device (/dev/zero, /dev/urandom) or a FIFO is refused at once; never
 * read past AMS_LIMIT_INPUT_BYTES, even if the file grows meanwhile.
 * `-`: standard input, whatever it is (a pipe, a file, a terminal), read
 * to its end within the same limit. */
char *
ams_read_file (const char *filename, gsize *len, GError **error)
{
  if (strcmp (filename, "-") == 0)
    return read_all (STDIN_FILENO, 65536, AMS_STDIN_NAME, "standard input is more than", "",
                     len, error);
  int fd = open (filename, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      int saved = errno;
      return io_error (error, filename, "cannot read file: %s", g_strerror (saved));
    }
  struct stat st;
  if (fstat (fd, &st) != 0)
    {
      int saved = errno;
      close (fd);
      return io_error (error, filename, "cannot read file: %s", g_strerror (saved));
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      return io_error (error, filename, "%s, not a regular file; amisim reads scenarios and "
                       "policy documents from regular files only", file_kind (st.st_mode));
    }
  if ((guint64) st.st_size > AMS_LIMIT_INPUT_BYTES)
    {
      close (fd);
      g_autofree char *limit = ams_ylimit_size_text (AMS_LIMIT_INPUT_BYTES);
      return io_error (error, filename, "the file is %" G_GUINT64_FORMAT " bytes, more than "
                       "the limit of %s", (guint64) st.st_size, limit);
    }
  /* the size as it was; one byte more tells whether the file has grown */
  char *buf = read_all (fd, (gsize) st.st_size + 1, filename, "the file grew past",
                        " while it was read", len, error);
  close (fd);
  return buf;
}

char *
ams_scenario_read (const char *filename, gsize *len, const char **display_name, GError **error)
{
  g_return_val_if_fail (filename != NULL && len != NULL && display_name != NULL, NULL);
  *display_name = ams_input_name (filename);
  return ams_read_file (filename, len, error);
}

AmsScenario *
ams_scenario_load_file (const char *filename, const AmsOverride *overrides, guint n_overrides,
                        GError **error)
{
  g_return_val_if_fail (filename != NULL, NULL);
  gsize len = 0;
  g_autofree char *data = ams_read_file (filename, &len, error);
  if (data == NULL)
    return NULL;
  return ams_scenario_load_data (ams_input_name (filename), data, (gssize) len, overrides,
                                 n_overrides, error);
}
