/* The trace file (--trace): trace events as JSON Lines, streamed to a
 * temporary file next to the target (registered with the signal handler,
 * cleanup.h) and renamed into place at the end, so that a failed or
 * interrupted run leaves no half-written trace behind. A character device
 * or a FIFO (/dev/null, a pipe) is written directly. Every write is
 * checked: the first one that fails is the reason given at the end. One
 * reusable buffer per writer: memory does not grow with the run. */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "amisim/tracelog.h"
#include "report/cleanup.h"
#include "report/json.h"

struct AmsTraceWriter
{
  char *path;
  AmsTemp *temp;       /* NULL when written directly, or once published */
  FILE *f;             /* NULL once closed */
  gboolean closed;
  int err;             /* errno of the first failed write; 0: none */
  GString *line;
  uint64_t lines;
  AmsTime start;       /* the scenario's start (the header's): the clock of t_at */
  /* the filter, copied; NULL: any */
  GStrv accounts;
  GStrv regions;
  GStrv images;
  gboolean kinds_given;
  gboolean kinds[AMS_TRACE_N_KINDS];
};

/* ---- the filter ---------------------------------------------------------- */

static gboolean
given (const char *const *list)
{
  return list != NULL && list[0] != NULL;
}

static gboolean
check_kinds (const char *const *kinds, GError **error)
{
  for (const char *const *k = kinds; k != NULL && *k != NULL; k++)
    if (!ams_trace_kind_from_name (*k, NULL))
      {
        g_autoptr (GString) all = g_string_new (NULL);
        for (guint i = 0; i < AMS_TRACE_N_KINDS; i++)
          g_string_append_printf (all, "%s%s", i ? ", " : "", ams_trace_kind_name (i));
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "--trace-kind %s: no such event kind; the kinds are: %s", *k, all->str);
        return FALSE;
      }
  return TRUE;
}

/* Whether the scenario has account `id`: listed, or made by an account set. */
static gboolean
has_account (const AmsScenario *sc, const char *id)
{
  for (guint i = 0; i < sc->accounts->len; i++)
    if (strcmp (((const AmsScAccount *) sc->accounts->pdata[i])->id, id) == 0)
      return TRUE;
  if (strlen (id) != 12 || strspn (id, "0123456789") != 12)
    return FALSE;
  guint64 v = g_ascii_strtoull (id, NULL, 10);
  for (guint i = 0; i < sc->account_sets->len; i++)
    {
      const AmsScAccountSet *set = sc->account_sets->pdata[i];
      guint64 first = g_ascii_strtoull (set->first_id, NULL, 10);
      if (v >= first && v - first < set->count)
        return TRUE;
    }
  return FALSE;
}

gboolean
ams_trace_filter_check (const AmsTraceFilter *f, const AmsScenario *sc, GError **error)
{
  g_return_val_if_fail (f != NULL, FALSE);
  if (!check_kinds (f->kinds, error))
    return FALSE;
  if (sc == NULL)
    return TRUE;
  for (const char *const *a = f->accounts; a != NULL && *a != NULL; a++)
    if (!has_account (sc, *a))
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "--trace-account %s: the scenario has no such account", *a);
        return FALSE;
      }
  for (const char *const *r = f->regions; r != NULL && *r != NULL; r++)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < sc->regions->len && !found; i++)
        found = strcmp (((const AmsScRegion *) sc->regions->pdata[i])->name, *r) == 0;
      if (!found)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--trace-region %s: the scenario has no such region", *r);
          return FALSE;
        }
    }
  for (const char *const *p = f->images; p != NULL && *p != NULL; p++)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < sc->pipelines->len && !found; i++)
        found = strcmp (((const AmsScPipeline *) sc->pipelines->pdata[i])->name, *p) == 0;
      if (!found)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--trace-image %s: the scenario has no pipeline so named", *p);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
in_list (const char *const *list, const char *s)
{
  if (list == NULL)
    return TRUE;
  if (s == NULL)
    return FALSE;
  for (; *list != NULL; list++)
    if (strcmp (*list, s) == 0)
      return TRUE;
  return FALSE;
}

gboolean
ams_trace_writer_keeps (const AmsTraceWriter *w, const AmsTraceEvent *ev)
{
  return (!w->kinds_given || w->kinds[ev->kind])
         && in_list ((const char *const *) w->accounts, ev->account)
         && in_list ((const char *const *) w->regions, ev->region)
         && in_list ((const char *const *) w->images, ev->image);
}

/* ---- the lines ----------------------------------------------------------- */

static void
str_field (GString *out, const char *key, const char *value)
{
  if (value == NULL)
    return;
  g_string_append_printf (out, ", \"%s\": ", key);
  ams_json_escape (out, value);
}

/* "t_s": seconds, "t_at": the instant (ISO 8601 UTC) */
static void
time_fields (GString *out, AmsTime t, AmsTime start)
{
  /* t_s as integer seconds and six decimals: exact, and the same bytes
   * whatever the locale */
  char iso[AMS_ISO_TIME_LEN];
  g_string_append_printf (out, "{\"t_s\": %s%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT
                               ", \"t_at\": \"%s\"",
                          t < 0 ? "-" : "", ABS (t) / AMS_TICKS_PER_SECOND,
                          ABS (t) % AMS_TICKS_PER_SECOND, ams_iso_time (iso, start, t));
}

void
ams_trace_header_json (GString *out, const AmsTraceHeader *h)
{
  time_fields (out, 0, h->start);
  g_string_append (out, ", \"kind\": \"header\"");
  str_field (out, "amisim_version", PACKAGE_VERSION);
  str_field (out, "scenario", h->scenario);
  str_field (out, "scenario_file", h->scenario_file);
  g_string_append_printf (out, ", \"seed\": %" G_GUINT64_FORMAT, (guint64) h->seed);
  char iso[AMS_ISO_TIME_LEN];
  str_field (out, "start", ams_iso_time (iso, h->start, 0));
  g_string_append_printf (out, ", \"horizon_s\": %" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT
                               ", \"replication\": %u}\n",
                          h->horizon / AMS_TICKS_PER_SECOND, h->horizon % AMS_TICKS_PER_SECOND,
                          h->replication);
}

void
ams_trace_event_json (GString *out, const AmsTraceEvent *ev, AmsTime start)
{
  time_fields (out, ev->t, start);
  g_string_append_printf (out, ", \"kind\": \"%s\"", ams_trace_kind_name (ev->kind));
  /* the pipeline (the event's `image`, as the --trace-image filter says) */
  str_field (out, "pipeline", ev->image);
  str_field (out, "version", ev->version);
  str_field (out, "trigger", ev->trigger);
  str_field (out, "upstream", ev->upstream);
  str_field (out, "policy", ev->policy);
  str_field (out, "policy_account", ev->policy_account);
  str_field (out, "share", ev->share);
  str_field (out, "principal", ev->principal);
  str_field (out, "account", ev->account);
  str_field (out, "region", ev->region);
  str_field (out, "source_region", ev->source_region);
  if (ev->has_pool)
    g_string_append_printf (out, ", \"busy\": %u, \"queued\": %u, \"limit\": %u", ev->busy,
                            ev->queued, ev->limit);
  switch (ev->kind)
    {
    case AMS_TRACE_DISTRIBUTION_STARTED:
      g_string_append_printf (out, ", \"outputs\": %u, \"copies\": %u, \"accounts\": %u, "
                                   "\"regions\": %u",
                              ev->outputs, ev->copies, ev->accounts, ev->regions);
      break;
    case AMS_TRACE_IMAGE_AVAILABLE:
      g_string_append_printf (out, ", \"outputs\": %u", ev->outputs);
      break;
    case AMS_TRACE_IMAGE_FAILED:
      g_string_append_printf (out, ", \"outputs\": %u, \"failed\": %u", ev->outputs, ev->failed);
      break;
    case AMS_TRACE_COPY_RETRY:
      g_string_append_printf (out, ", \"attempt\": %u", ev->attempt);
      break;
    default:
      break;
    }
  str_field (out, "resource", ev->resource);
  str_field (out, "resource_id", ev->resource_id);
  str_field (out, "action", ev->action);
  str_field (out, "status", ev->status);
  if (ev->cause != AMS_CAUSE_NONE)
    str_field (out, "cause", ams_cause_name (ev->cause));
  str_field (out, "step", ev->step);
  str_field (out, "message", ev->message);
  g_string_append (out, "}\n");
}

/* ---- the file ------------------------------------------------------------ */

static GStrv
copy_list (const char *const *list)
{
  return given (list) ? g_strdupv ((char **) list) : NULL;
}

AmsTraceWriter *
ams_trace_writer_new (const char *path, const AmsTraceFilter *f, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  static const AmsTraceFilter none = { 0 };
  if (f == NULL)
    f = &none;
  if (!check_kinds (f->kinds, error))
    return NULL;
  GStatBuf st;
  gboolean to_stdout = strcmp (path, "-") == 0;
  gboolean exists = !to_stdout && g_stat (path, &st) == 0;
  if (exists && S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, "--trace %s: is a folder", path);
      return NULL;
    }
  FILE *file = NULL;
  AmsTemp *temp = NULL;
  if (to_stdout)
    {
      /* `-`: stdout, written as the run goes (a copy of the descriptor, so
       * that closing the trace leaves stdout open) */
      int fd = dup (STDOUT_FILENO);
      file = fd >= 0 ? fdopen (fd, "w") : NULL;
      if (file == NULL && fd >= 0)
        close (fd);
    }
  else if (exists && (S_ISCHR (st.st_mode) || S_ISFIFO (st.st_mode)))
    file = fopen (path, "w"); /* a device or a pipe: nothing to rename */
  else
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *temp_name = g_strdup_printf (".%s.tmp-%d", base, (int) getpid ());
      g_autofree char *temp_path = g_build_filename (dir, temp_name, NULL);
      temp = ams_temp_create_file (temp_path, &file);
    }
  if (file == NULL)
    {
      int err = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                   "--trace %s: cannot write: %s", path, g_strerror (err));
      return NULL;
    }
  AmsTraceWriter *w = g_new0 (AmsTraceWriter, 1);
  w->path = g_strdup (path);
  w->temp = temp;
  w->f = file;
  w->line = g_string_sized_new (256);
  w->accounts = copy_list (f->accounts);
  w->regions = copy_list (f->regions);
  w->images = copy_list (f->images);
  w->kinds_given = given (f->kinds);
  for (const char *const *k = f->kinds; k != NULL && *k != NULL; k++)
    {
      AmsTraceKind kind;
      if (ams_trace_kind_from_name (*k, &kind))
        w->kinds[kind] = TRUE;
    }
  return w;
}

void
ams_trace_writer_event (AmsTraceWriter *w, const AmsTraceEvent *ev)
{
  g_return_if_fail (w != NULL && w->f != NULL);
  if (!ams_trace_writer_keeps (w, ev))
    return;
  g_string_truncate (w->line, 0);
  ams_trace_event_json (w->line, ev, w->start);
  errno = 0;
  if (fwrite (w->line->str, 1, w->line->len, w->f) != w->line->len && w->err == 0)
    w->err = errno != 0 ? errno : EIO;
  w->lines++;
}

void
ams_trace_writer_header (AmsTraceWriter *w, const AmsTraceHeader *h)
{
  g_return_if_fail (w != NULL && w->f != NULL && h != NULL);
  w->start = h->start;
  g_string_truncate (w->line, 0);
  ams_trace_header_json (w->line, h);
  errno = 0;
  if (fwrite (w->line->str, 1, w->line->len, w->f) != w->line->len && w->err == 0)
    w->err = errno != 0 ? errno : EIO;
}

uint64_t
ams_trace_writer_lines (const AmsTraceWriter *w)
{
  g_return_val_if_fail (w != NULL, 0);
  return w->lines;
}

gboolean
ams_trace_writer_close (AmsTraceWriter *w, GError **error)
{
  g_return_val_if_fail (w != NULL, FALSE);
  if (w->closed)
    return w->err == 0;
  w->closed = TRUE;
  int err = w->err;
  gboolean bad = err != 0 || ferror (w->f) != 0;
  errno = 0;
  if (fflush (w->f) != 0 && err == 0)
    {
      bad = TRUE;
      err = errno;
    }
  if (fclose (w->f) != 0 && err == 0)
    {
      bad = TRUE;
      err = errno;
    }
  w->f = NULL;
  if (!bad)
    return TRUE;
  w->err = err != 0 ? err : EIO;
  g_clear_pointer (&w->temp, ams_temp_remove);
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (w->err),
               "--trace %s: cannot write: %s", w->path, g_strerror (w->err));
  return FALSE;
}

gboolean
ams_trace_writer_commit (AmsTraceWriter *w, GError **error)
{
  g_return_val_if_fail (w != NULL && (w->f != NULL || w->closed), FALSE);
  if (!ams_trace_writer_close (w, error))
    return FALSE;
  if (w->temp == NULL)
    return TRUE; /* written directly */
  sigset_t saved;
  ams_cleanup_block (&saved);
  gboolean ok = g_rename (ams_temp_path (w->temp), w->path) == 0;
  int err = errno;
  if (ok)
    g_clear_pointer (&w->temp, ams_temp_release);
  else
    g_clear_pointer (&w->temp, ams_temp_remove);
  ams_cleanup_unblock (&saved);
  if (!ok)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                   "--trace %s: cannot write: %s", w->path, g_strerror (err));
      return FALSE;
    }
  return TRUE;
}

void
ams_trace_writer_free (AmsTraceWriter *w)
{
  if (w == NULL)
    return;
  if (w->f != NULL)
    fclose (w->f);
  ams_temp_remove (w->temp); /* not committed: no trace rather than half of one */
  g_free (w->path);
  g_string_free (w->line, TRUE);
  g_strfreev (w->accounts);
  g_strfreev (w->regions);
  g_strfreev (w->images);
  g_free (w);
}
