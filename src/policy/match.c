/* amisim — policy strings: wildcards, ARN parts, policy variables, and the
 * "did you mean" helper for compile errors.
 *
 * Everything a statement compares is a string: actions (case-insensitive),
 * resources and condition values (case-sensitive unless the operator says
 * otherwise). Patterns are kept in an internal form where '\' escapes the
 * next character, so that a '*' produced by ${*} or by a variable's value is
 * literal while one written in the policy is a wildcard (see
 * policy-private.h).
 */
#include <string.h>

#include "policy-private.h"

/* ---- errors and suggestions ---------------------------------------------- */

void
ams__report (AmsReporter *r, const AmsSrcLoc *loc, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  r->n_errors++;
  if (r->report != NULL)
    r->report (r->user, loc, msg);
}

/* ---- wildcard matching ---------------------------------------------------- */

char *
ams__escape (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 4);
  for (const char *c = text; *c; c++)
    {
      if (*c == '\\' || *c == '*' || *c == '?')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
chars_equal (char a, char b, gboolean icase)
{
  return icase ? g_ascii_tolower (a) == g_ascii_tolower (b) : a == b;
}

/* Classic greedy matching with one backtrack point: on a mismatch after a
 * '*', the star absorbs one more character and matching resumes. Linear in
 * practice, at worst O(|pat| * |s|); no recursion, so no stack to blow.
 * Works on [p, pe) and [s, se) so that ARN parts need no copies. */
static gboolean
glob_n (const char *p, const char *pe, const char *s, const char *se, gboolean wild,
        gboolean icase)
{
  const char *star_p = NULL, *star_s = NULL;
  while (s < se)
    {
      if (wild && p < pe && *p == '*')
        {
          star_p = ++p;
          star_s = s;
          continue;
        }
      if (p < pe)
        {
          gboolean esc = *p == '\\' && p + 1 < pe;
          char pc = esc ? p[1] : *p;
          if (wild && !esc && pc == '?')
            {
              /* '?' is one character, not one byte. */
              p++;
              s = MIN (g_utf8_next_char (s), se);
              continue;
            }
          if (chars_equal (pc, *s, icase))
            {
              p += esc ? 2 : 1;
              s++;
              continue;
            }
        }
      if (star_p == NULL)
        return FALSE;
      p = star_p;
      s = ++star_s;
    }
  while (wild && p < pe && *p == '*')
    p++;
  return p == pe;
}

gboolean
ams__glob (const char *pat, const char *s, gboolean wild, gboolean icase)
{
  return glob_n (pat, pat + strlen (pat), s, s + strlen (s), wild, icase);
}

/* Finds the five colons that split an ARN into six parts: part i is
 * [start[i], end[i]). FALSE when there are fewer. */
static gboolean
split6 (const char *arn, const char *start[6], const char *end[6])
{
  const char *c = arn;
  start[0] = c;
  for (int i = 1; i < 6; i++)
    {
      c = strchr (c, ':');
      if (c == NULL)
        return FALSE;
      end[i - 1] = c;
      start[i] = ++c;
    }
  end[5] = c + strlen (c);
  return TRUE;
}

gboolean
ams__is_account_id (const char *s)
{
  if (strlen (s) != 12)
    return FALSE;
  for (const char *c = s; *c; c++)
    if (!g_ascii_isdigit (*c))
      return FALSE;
  return TRUE;
}

gboolean
ams__arn_split (const char *arn, char **buf, const char *parts[6])
{
  *buf = g_strdup (arn);
  char *c = *buf;
  parts[0] = c;
  for (int i = 1; i < 6; i++)
    {
      c = strchr (c, ':');
      if (c == NULL)
        return FALSE;
      *c++ = '\0';
      parts[i] = c;
    }
  return TRUE;
}

/* Both strings split at their first five colons; a colon is never escaped
 * in the internal form, so splitting the pattern needs no unescaping. */
static gboolean
parts_match (const char *pat, const char *arn, gboolean *both_arns)
{
  const char *ps[6], *pe[6], *ss[6], *se[6];
  *both_arns = split6 (pat, ps, pe) && split6 (arn, ss, se);
  if (!*both_arns)
    return FALSE;
  for (int i = 0; i < 6; i++)
    if (!glob_n (ps[i], pe[i], ss[i], se[i], TRUE, FALSE))
      return FALSE;
  return TRUE;
}

gboolean
ams__arn_match (const char *pat, const char *arn)
{
  gboolean both;
  return parts_match (pat, arn, &both);
}

gboolean
ams__resource_match (const char *pat, const char *resource)
{
  if (strcmp (pat, "*") == 0)
    return TRUE;
  /* Without wildcards, part-by-part and whole-string matching agree. */
  if (strpbrk (pat, "*?") == NULL)
    return ams__glob (pat, resource, FALSE, FALSE);
  gboolean both;
  gboolean m = parts_match (pat, resource, &both);
  if (both)
    return m;
  return ams__glob (pat, resource, TRUE, FALSE);
}

/* ---- templates (policy variables) ------------------------------------------ */

static void
segment_clear (gpointer p)
{
  AmsSegment *s = p;
  g_free (s->text);
  g_free (s->fallback);
}

void
ams__template_free (AmsTemplate *t)
{
  if (t == NULL)
    return;
  g_free (t->text);
  g_free (t->pattern);
  if (t->segments != NULL)
    g_array_unref (t->segments);
  g_free (t);
}

/* Internal form of text written in the policy: its wildcards stay
 * wildcards, only '\' needs escaping. */
static void
append_written (GString *out, const char *text);

char *
ams__written (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 4);
  append_written (out, text);
  return g_string_free (out, FALSE);
}

static void
append_written (GString *out, const char *text)
{
  for (const char *c = text; *c; c++)
    {
      if (*c == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *c);
    }
}

static void
append_value (GString *out, const char *value)
{
  g_autofree char *e = ams__escape (value);
  g_string_append (out, e);
}

static gboolean
is_key_char (char c)
{
  return g_ascii_isalnum (c) || strchr ("_.:/+=@-", c) != NULL;
}

/* Parses the inside of "${...}" (`inner`, `len` bytes) into `seg`.
 * Accepted: "*", "?", "$", "key", "key, 'default'" with '' for a quote. */
static gboolean
parse_variable (const char *inner, gsize len, AmsSegment *seg)
{
  memset (seg, 0, sizeof *seg);
  if (len == 1 && strchr ("*?$", inner[0]) != NULL)
    {
      seg->kind = AMS__SEG_LITERAL;
      seg->text = g_strndup (inner, 1);
      return TRUE;
    }
  gsize i = 0;
  while (i < len && inner[i] == ' ')
    i++;
  gsize k0 = i;
  while (i < len && is_key_char (inner[i]))
    i++;
  gsize k1 = i;
  if (k1 == k0)
    return FALSE;
  while (i < len && inner[i] == ' ')
    i++;
  g_autofree char *fallback = NULL;
  if (i < len && inner[i] == ',')
    {
      i++;
      while (i < len && inner[i] == ' ')
        i++;
      if (i >= len || inner[i] != '\'')
        return FALSE;
      i++;
      GString *d = g_string_new (NULL);
      gboolean closed = FALSE;
      while (i < len)
        {
          if (inner[i] == '\'')
            {
              if (i + 1 < len && inner[i + 1] == '\'')
                {
                  g_string_append_c (d, '\'');
                  i += 2;
                  continue;
                }
              closed = TRUE;
              i++;
              break;
            }
          g_string_append_c (d, inner[i++]);
        }
      fallback = g_string_free (d, FALSE);
      if (!closed)
        return FALSE;
      while (i < len && inner[i] == ' ')
        i++;
    }
  if (i != len)
    return FALSE;
  seg->kind = AMS__SEG_VARIABLE;
  seg->text = g_ascii_strdown (inner + k0, (gssize) (k1 - k0));
  seg->fallback = g_steal_pointer (&fallback);
  return TRUE;
}

/* The ARN part that a variable after `colons` colons (1 to 5) stands in. */
static const char *
arn_part_name (guint colons)
{
  static const char *const names[] = { "arn", "partition", "service", "region", "account" };
  return colons < G_N_ELEMENTS (names) ? names[colons] : "resource";
}

AmsTemplate *
ams__template_new (const char *text, gboolean variables, gboolean arn, const AmsSrcLoc *loc,
                   AmsReporter *r)
{
  g_autoptr (GArray) segs = g_array_new (FALSE, TRUE, sizeof (AmsSegment));
  g_array_set_clear_func (segs, segment_clear);
  GString *lit = g_string_new (NULL);
  gboolean any_var = FALSE;
  guint colons = 0;
  const char *c = text;
  while (*c)
    {
      if (c[0] != '$' || c[1] != '{')
        {
          if (*c == ':')
            colons++;
          g_string_append_c (lit, *c++);
          continue;
        }
      const char *end = strchr (c + 2, '}');
      if (end == NULL)
        {
          ams__report (r, loc, "'%s' has a '${' with no closing '}'; write ${$} for a literal '$'",
                       text);
          g_string_free (lit, TRUE);
          return NULL;
        }
      g_autofree char *written = g_strndup (c, (gsize) (end - c + 1));
      if (!variables)
        {
          ams__report (r, loc,
                       "policy variable %s needs \"Version\": \"2012-10-17\" in the policy; "
                       "without it IAM compares the text literally", written);
          g_string_free (lit, TRUE);
          return NULL;
        }
      AmsSegment seg;
      if (!parse_variable (c + 2, (gsize) (end - c - 2), &seg))
        {
          ams__report (r, loc,
                       "malformed policy variable %s: expected ${prefix:Key}, "
                       "${prefix:Key, 'default'}, ${*}, ${?} or ${$}", written);
          g_string_free (lit, TRUE);
          return NULL;
        }
      if (seg.kind == AMS__SEG_VARIABLE && strchr (seg.text, ':') == NULL)
        {
          ams__report (r, loc,
                       "policy variable %s names no context key: keys have a service prefix, "
                       "like ${aws:PrincipalAccount}", written);
          segment_clear (&seg);
          g_string_free (lit, TRUE);
          return NULL;
        }
      /* IAM User Guide, "IAM policy elements: Variables and tags", Where you
       * can use policy variables: "You can use a policy variable in the
       * Resource element, but only in the resource portion of the ARN. This
       * portion of the ARN appears after the fifth colon (:). You can't use
       * a variable to replace parts of the ARN before the fifth colon, such
       * as the service or account." A variable there would not do what it
       * seems to: refused, with the place it may go. */
      if (seg.kind == AMS__SEG_VARIABLE && arn && colons < 5)
        {
          if (colons == 0)
            ams__report (r, loc,
                         "policy variable %s begins the ARN '%s': IAM replaces variables only "
                         "in the resource part, after the fifth colon; write "
                         "arn:partition:service:region:account: before it", written, text);
          else
            ams__report (r, loc,
                         "policy variable %s is in the %s part of the ARN '%s': IAM replaces "
                         "variables only in the resource part, after the fifth colon; write the "
                         "%s as text (wildcards allowed) and test the variable in a Condition "
                         "instead", written, arn_part_name (colons), text, arn_part_name (colons));
          segment_clear (&seg);
          g_string_free (lit, TRUE);
          return NULL;
        }
      if (lit->len > 0)
        {
          AmsSegment t = { AMS__SEG_TEXT, g_strdup (lit->str), NULL };
          g_array_append_val (segs, t);
          g_string_truncate (lit, 0);
        }
      g_array_append_val (segs, seg);
      any_var = TRUE;
      c = end + 1;
    }
  AmsTemplate *t = g_new0 (AmsTemplate, 1);
  t->text = g_strdup (text);
  t->colons = colons;
  if (!any_var)
    {
      GString *p = g_string_new (NULL);
      append_written (p, text);
      t->pattern = g_string_free (p, FALSE);
      g_string_free (lit, TRUE);
      return t;
    }
  if (lit->len > 0)
    {
      AmsSegment s = { AMS__SEG_TEXT, g_strdup (lit->str), NULL };
      g_array_append_val (segs, s);
    }
  g_string_free (lit, TRUE);
  t->segments = g_steal_pointer (&segs);
  return t;
}

const char *
ams__template_expand (const AmsTemplate *t, const AmsContext *ctx, char **owned)
{
  *owned = NULL;
  if (t->segments == NULL)
    return t->pattern;
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < t->segments->len; i++)
    {
      const AmsSegment *s = &g_array_index (t->segments, AmsSegment, i);
      switch (s->kind)
        {
        case AMS__SEG_TEXT:
          append_written (out, s->text);
          break;
        case AMS__SEG_LITERAL:
          append_value (out, s->text);
          break;
        case AMS__SEG_VARIABLE:
          {
            /* Only a single-valued key can stand in for a variable (IAM
             * User Guide, "Single-valued vs. multivalued context keys":
             * "you cannot use a multivalued context key as a policy
             * variable"): not a key documented as multivalued, nor one the
             * request gives several values. Otherwise the default, if
             * any, is used. */
            const char *const *v = ctx != NULL && !ams__key_is_multivalued (s->text)
                                     ? ams__context_get_lc (ctx, s->text) : NULL;
            if (v != NULL && v[0] != NULL && v[1] == NULL)
              append_value (out, v[0]);
            else if (s->fallback != NULL)
              append_value (out, s->fallback);
            else
              {
                g_string_free (out, TRUE);
                return NULL;
              }
            break;
          }
        }
    }
  *owned = g_string_free (out, FALSE);
  return *owned;
}
