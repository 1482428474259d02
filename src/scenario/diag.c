/* amisim — scenario loader: collected diagnostics and "did you mean".
 *
 * Problems are kept with their position and document path and formatted
 * only at the end, sorted by (origin, line, column) with ties kept in the
 * order they were found: the scenario file's problems in document order
 * first, then those of command-line overrides in the order given. A
 * document built to explode (aliases) could yield millions of problems, so
 * only the first MAX_KEPT are kept and MAX_SHOWN printed; the problem
 * that made the loader give up is always kept, and listed first. A control
 * character quoted from the input (a key, a tag) is escaped, so that no
 * input can forge a line of the output.
 */
#include "diag.h"

#include <string.h>
#include "amisim/scenario.h"

#define MAX_KEPT 1000
#define MAX_SHOWN 100

typedef struct
{
  char *file;
  char *path;
  char *msg;
  guint line;
  guint col;
  guint rank; /* 0: forced, 1: the scenario file, 2: anything else */
  guint seq;
} Item;

struct _AmsDiag
{
  char *main_file;
  GArray *items; /* of Item */
  guint dropped;
  GHashTable *seen; /* "file:line:col message" of the items, owned keys */
};

G_DEFINE_QUARK (ams-scenario-error-quark, ams_scenario_error)

static void
item_clear (gpointer p)
{
  Item *it = p;
  g_free (it->file);
  g_free (it->path);
  g_free (it->msg);
}

AmsDiag *
ams_diag_new (const char *main_file)
{
  AmsDiag *d = g_new0 (AmsDiag, 1);
  d->main_file = g_strdup (main_file);
  d->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (d->items, item_clear);
  d->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return d;
}

void
ams_diag_free (AmsDiag *d)
{
  if (d == NULL)
    return;
  g_array_unref (d->items);
  g_hash_table_unref (d->seen);
  g_free (d->main_file);
  g_free (d);
}

/* `s` (taken) with its control characters escaped: \n, \t, \r, else \u00XX. */
static char *
printable (char *s)
{
  const guchar *p = (const guchar *) s;
  gboolean clean = TRUE;
  for (gsize i = 0; p[i] != '\0' && clean; i++)
    clean = p[i] >= 0x20 && p[i] != 0x7F && !(p[i] == 0xC2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F);
  if (clean)
    return s;
  GString *out = g_string_new (NULL);
  for (gsize i = 0; p[i] != '\0'; i++)
    {
      if (p[i] == '\n')
        g_string_append (out, "\\n");
      else if (p[i] == '\t')
        g_string_append (out, "\\t");
      else if (p[i] == '\r')
        g_string_append (out, "\\r");
      else if (p[i] < 0x20 || p[i] == 0x7F)
        g_string_append_printf (out, "\\u%04X", p[i]);
      else if (p[i] == 0xC2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)
        g_string_append_printf (out, "\\u%04X", p[++i]);
      else
        g_string_append_c (out, (char) p[i]);
    }
  g_free (s);
  return g_string_free (out, FALSE);
}

static void
add_item (AmsDiag *d, gboolean force, const char *file, guint line, guint col,
          const char *path, const char *fmt, va_list ap) G_GNUC_PRINTF (7, 0);

static void
add_item (AmsDiag *d, gboolean force, const char *file, guint line, guint col,
          const char *path, const char *fmt, va_list ap)
{
  if (d->items->len >= MAX_KEPT && !force)
    {
      d->dropped++;
      return;
    }
  Item it = {
    .file = printable (g_strdup (file != NULL ? file : d->main_file)),
    .path = printable (g_strdup (path != NULL && path[0] != '\0' ? path : "(root)")),
    .msg = printable (g_strdup_vprintf (fmt, ap)),
    .line = line,
    .col = col,
    .seq = d->items->len,
  };
  /* One mistake written once is reported once, even when aliases or merge
   * keys use the node it is in many times (under other paths). */
  char *key = g_strdup_printf ("%s:%u:%u %s", it.file, line, col, it.msg);
  if (!g_hash_table_add (d->seen, key))
    {
      item_clear (&it);
      return;
    }
  it.rank = force ? 0 : g_strcmp0 (it.file, d->main_file) == 0 ? 1 : 2;
  g_array_append_val (d->items, it);
}

void
ams_diag_addv (AmsDiag *d, const char *file, guint line, guint col,
               const char *path, const char *fmt, va_list ap)
{
  add_item (d, FALSE, file, line, col, path, fmt, ap);
}

void
ams_diag_add (AmsDiag *d, const char *file, guint line, guint col,
              const char *path, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  add_item (d, FALSE, file, line, col, path, fmt, ap);
  va_end (ap);
}

void
ams_diag_add_forced (AmsDiag *d, const char *file, guint line, guint col,
                     const char *path, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  add_item (d, TRUE, file, line, col, path, fmt, ap);
  va_end (ap);
}

guint
ams_diag_count (const AmsDiag *d)
{
  return d->items->len + d->dropped;
}

static gint
item_cmp (gconstpointer pa, gconstpointer pb)
{
  const Item *a = pa, *b = pb;
  if (a->rank != b->rank)
    return a->rank < b->rank ? -1 : 1;
  if (a->line != b->line)
    return a->line < b->line ? -1 : 1;
  if (a->col != b->col)
    return a->col < b->col ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

gboolean
ams_diag_take_error (AmsDiag *d, int code, GError **error)
{
  if (ams_diag_count (d) == 0)
    return FALSE;
  g_array_sort (d->items, item_cmp);
  g_autoptr (GString) out = g_string_new (NULL);
  guint shown = MIN (d->items->len, MAX_SHOWN);
  for (guint i = 0; i < shown; i++)
    {
      const Item *it = &g_array_index (d->items, Item, i);
      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append_printf (out, "%s:%u:%u: error: %s: %s",
                              it->file, it->line, it->col, it->path, it->msg);
    }
  guint hidden = ams_diag_count (d) - shown;
  if (hidden > 0)
    g_string_append_printf (out, "\n%s: note: %u more error%s not shown",
                            d->main_file, hidden, hidden == 1 ? "" : "s");
  g_set_error_literal (error, AMS_SCENARIO_ERROR, code, out->str);
  return TRUE;
}

