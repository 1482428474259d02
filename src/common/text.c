/* Suggestions and number syntax (text.h), shared by the loader and the
 * policy compiler so that both spell "did you mean" the same way. */
#include <string.h>
#include "amisim/text.h"

guint
ams_levenshtein (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);
  for (gsize j = 0; j <= lb; j++)
    row[j] = (guint) j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diag = row[0];
      row[0] = (guint) i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint up = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
          guint best = MIN (row[j] + 1, row[j - 1] + 1);
          row[j] = MIN (best, diag + cost);
          diag = up;
        }
    }
  return row[lb];
}

const char *
ams_suggest (const char *word, const char *const *candidates, guint n)
{
  const char *best = NULL;
  guint best_d = G_MAXUINT;
  guint len = (guint) strlen (word);
  for (guint i = 0; i < n; i++)
    {
      guint dist = ams_levenshtein (word, candidates[i]);
      if (dist < best_d)
        {
          best_d = dist;
          best = candidates[i];
        }
    }
  /* A suggestion as far away as the word is long is no suggestion. */
  if (best == NULL || best_d >= len)
    return NULL;
  if (best_d <= 2 || best_d * 3 <= len)
    return best;
  return NULL;
}

void
ams_append_suggestion (GString *msg, const char *word, const char *const *candidates, guint n,
                       guint list_max, const char *list_intro)
{
  const char *s = ams_suggest (word, candidates, n);
  if (s != NULL)
    {
      g_string_append_printf (msg, "; did you mean '%s'?", s);
      return;
    }
  if (n == 0 || n > list_max)
    return;
  g_string_append_printf (msg, "; %s", list_intro != NULL ? list_intro : "expected one of: ");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (msg, "%s%s", i > 0 ? ", " : "", candidates[i]);
}

static const char *
digits (const char *c)
{
  while (g_ascii_isdigit (*c))
    c++;
  return c;
}

gsize
ams_json_number_length (const char *s)
{
  const char *c = s;
  if (*c == '-')
    c++;
  if (*c == '0')
    c++;
  else if (g_ascii_isdigit (*c))
    c = digits (c);
  else
    return 0;
  if (*c == '.')
    {
      if (!g_ascii_isdigit (c[1]))
        return 0;
      c = digits (c + 1);
    }
  if (*c == 'e' || *c == 'E')
    {
      const char *e = c + 1;
      if (*e == '+' || *e == '-')
        e++;
      if (!g_ascii_isdigit (*e))
        return 0;
      c = digits (e);
    }
  return (gsize) (c - s);
}

/* Cells of a table row "| a | b \| c | d |": split at unescaped '|'. */
GPtrArray *
ams_md_table_cells (const char *line)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);
  const char *p = line;
  while (*p == ' ')
    p++;
  if (*p == '|')
    p++;
  GString *cell = g_string_new (NULL);
  for (; *p != '\0'; p++)
    {
      if (p[0] == '\\' && p[1] == '|')
        {
          g_string_append_c (cell, '|');
          p++;
        }
      else if (*p == '|')
        {
          g_ptr_array_add (cells, g_strstrip (g_string_free (cell, FALSE)));
          cell = g_string_new (NULL);
        }
      else
        g_string_append_c (cell, *p);
    }
  /* text after the last '|' is not a cell (a row ends with '|') */
  g_autofree char *rest = g_strstrip (g_string_free (cell, FALSE));
  if (rest[0] != '\0')
    g_ptr_array_add (cells, g_strdup (rest));
  return cells;
}
