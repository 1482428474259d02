/* amisim — a small JSON reader and writer over AmsValue trees.
 *
 * The policy module must not depend on the scenario loader (the loader
 * depends on it), yet it ships built-in policy documents written as JSON
 * text and offers ams_policy_compile_json to callers that hold one. This
 * reader builds the same positioned trees the loader does (line, column,
 * "Statement[0].Effect" paths), so compile errors in a built-in or pasted
 * document point where they would in a file. Its limits are the loader's
 * (AMS__JSON_MAX_*, docs/limits.md): the text, the values, the nesting and
 * the length of a string, each checked as the text is read so that a
 * hostile text stops where it passes one. The writer gives statements
 * back as the compact one-line JSON of ams_policy_statement_to_json.
 */
#include <string.h>

#include "policy-private.h"

typedef struct
{
  const char *file;
  const char *p;
  const char *line_start;
  guint line;
  AmsValueDoc *doc;
  AmsReporter *r;
  guint64 nodes;
  gboolean failed;
} Parser;

static void
here (Parser *ps, const char *path, AmsSrcLoc *loc)
{
  loc->file = ps->file;
  loc->path = path;
  loc->line = ps->line;
  loc->col = (guint) (ps->p - ps->line_start) + 1;
  loc->item = 0;
}

static void fail (Parser *ps, const char *path, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static void
fail (Parser *ps, const char *path, const char *fmt, ...)
{
  if (ps->failed)
    return;
  ps->failed = TRUE;
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  AmsSrcLoc loc;
  here (ps, path, &loc);
  ams__report (ps->r, &loc, "%s", msg);
}

static void
skip_ws (Parser *ps)
{
  for (;;)
    {
      char c = *ps->p;
      if (c == '\n')
        {
          ps->p++;
          ps->line++;
          ps->line_start = ps->p;
        }
      else if (c == ' ' || c == '\t' || c == '\r')
        ps->p++;
      else
        return;
    }
}

static char *
join_key (const char *path, const char *key)
{
  /* paths are printed: a control character (refused) is escaped there */
  g_autofree char *bad = ams__find_control (key);
  g_autofree char *esc = bad != NULL ? g_strescape (key, NULL) : NULL;
  const char *seg = esc != NULL ? esc : key;
  return *path ? g_strdup_printf ("%s.%s", path, seg) : g_strdup (seg);
}

static int
hex4 (const char *s)
{
  int v = 0;
  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (s[i]);
      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

/* Reads a string at ps->p (on the opening quote); NULL after an error. */
static char *
parse_string (Parser *ps, const char *path)
{
  const char *start = ps->p++;
  GString *out = g_string_new (NULL);
  for (;;)
    {
      unsigned char c = (unsigned char) *ps->p;
      if (out->len > AMS__JSON_MAX_STRING)
        {
          ps->p = start; /* reported where the string starts (it holds no line break) */
          fail (ps, path, "a string of more than %u bytes, the limit; refusing to go on",
                AMS__JSON_MAX_STRING);
          break;
        }
      if (c == '\0' || c == '\n')
        {
          fail (ps, path, "unterminated string");
          break;
        }
      if (c < 0x20)
        {
          fail (ps, path, "control character in a string: write it as \\u%04x", c);
          break;
        }
      if (c == '"')
        {
          ps->p++;
          return g_string_free (out, FALSE);
        }
      if (c != '\\')
        {
          g_string_append_c (out, (char) c);
          ps->p++;
          continue;
        }
      char e = ps->p[1];
      const char *simple = strchr ("\"\\/bfnrt", e);
      if (e != '\0' && simple != NULL)
        {
          static const char repl[] = "\"\\/\b\f\n\r\t";
          g_string_append_c (out, repl[simple - "\"\\/bfnrt"]);
          ps->p += 2;
          continue;
        }
      if (e == 'u')
        {
          int u = hex4 (ps->p + 2);
          if (u < 0)
            {
              fail (ps, path, "bad \\u escape: expected four hex digits");
              break;
            }
          ps->p += 6;
          gunichar ch = (gunichar) u;
          if (u >= 0xD800 && u < 0xDC00)
            {
              int lo = ps->p[0] == '\\' && ps->p[1] == 'u' ? hex4 (ps->p + 2) : -1;
              if (lo < 0xDC00 || lo > 0xDFFF)
                {
                  fail (ps, path, "bad \\u escape: a high surrogate needs a low one after it");
                  break;
                }
              ps->p += 6;
              ch = 0x10000 + (((gunichar) u - 0xD800) << 10) + ((gunichar) lo - 0xDC00);
            }
          else if (u >= 0xDC00 && u <= 0xDFFF)
            {
              fail (ps, path, "bad \\u escape: a lone low surrogate");
              break;
            }
          if (ch == 0)
            {
              fail (ps, path, "\\u0000 is not allowed in a string");
              break;
            }
          g_string_append_unichar (out, ch);
          continue;
        }
      fail (ps, path, "bad escape '\\%c' in a string", e ? e : ' ');
      break;
    }
  g_string_free (out, TRUE);
  return NULL;
}

static gboolean
scan_number (Parser *ps)
{
  gsize n = ams_json_number_length (ps->p);
  if (n == 0 || g_ascii_isdigit (ps->p[n]))
    return FALSE; /* not a number, or a leading zero (not JSON) */
  ps->p += n;
  return TRUE;
}

static AmsValue *parse_value (Parser *ps, const char *path, guint depth);

/* Counts a value or member name; FALSE (after failing) past the limit. */
static gboolean
count_node (Parser *ps, const char *path)
{
  if (++ps->nodes <= AMS__JSON_MAX_NODES)
    return TRUE;
  fail (ps, path, "the document has more than %u nodes, the limit; refusing to go on",
        AMS__JSON_MAX_NODES);
  return FALSE;
}

static AmsValue *
parse_object (Parser *ps, const char *path, guint depth)
{
  AmsSrcLoc loc;
  here (ps, path, &loc);
  AmsValue *o = ams_value_new_object (ps->doc, &loc);
  ps->p++;
  skip_ws (ps);
  if (*ps->p == '}')
    {
      ps->p++;
      return o;
    }
  for (;;)
    {
      skip_ws (ps);
      if (*ps->p != '"')
        {
          fail (ps, path, "expected a member name in double quotes");
          return NULL;
        }
      if (!count_node (ps, path))
        return NULL;
      AmsSrcLoc key_loc;
      here (ps, path, &key_loc);
      g_autofree char *key = parse_string (ps, path);
      if (key == NULL)
        return NULL;
      g_autofree char *sub = join_key (path, key);
      key_loc.path = sub;
      if (ams_value_get (o, key) != NULL)
        {
          ps->r->n_errors++;
          ps->failed = TRUE;
          g_autofree char *msg = g_strdup_printf ("duplicate member '%s'", key);
          if (ps->r->report != NULL)
            ps->r->report (ps->r->user, &key_loc, msg);
          return NULL;
        }
      skip_ws (ps);
      if (*ps->p != ':')
        {
          fail (ps, sub, "expected ':' after the member name");
          return NULL;
        }
      ps->p++;
      AmsValue *v = parse_value (ps, sub, depth + 1);
      if (v == NULL)
        return NULL;
      ams_value_set_member (ps->doc, o, key, &key_loc, v);
      skip_ws (ps);
      if (*ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (*ps->p == '}')
        {
          ps->p++;
          return o;
        }
      fail (ps, path, "expected ',' or '}' in an object");
      return NULL;
    }
}

static AmsValue *
parse_array (Parser *ps, const char *path, guint depth)
{
  AmsSrcLoc loc;
  here (ps, path, &loc);
  AmsValue *a = ams_value_new_array (ps->doc, &loc);
  ps->p++;
  skip_ws (ps);
  if (*ps->p == ']')
    {
      ps->p++;
      return a;
    }
  for (guint i = 0;; i++)
    {
      g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);
      AmsValue *v = parse_value (ps, sub, depth + 1);
      if (v == NULL)
        return NULL;
      ams_value_append (ps->doc, a, v);
      skip_ws (ps);
      if (*ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (*ps->p == ']')
        {
          ps->p++;
          return a;
        }
      fail (ps, path, "expected ',' or ']' in an array");
      return NULL;
    }
}

/* `depth`: the arrays and objects around the value. */
static AmsValue *
parse_value (Parser *ps, const char *path, guint depth)
{
  skip_ws (ps);
  char c = *ps->p;
  if ((c == '[' || c == '{') && depth >= AMS__JSON_MAX_DEPTH)
    {
      fail (ps, path, "collections nested more than %u deep, the limit; refusing to go on",
            AMS__JSON_MAX_DEPTH);
      return NULL;
    }
  if (!count_node (ps, path))
    return NULL;
  AmsSrcLoc loc;
  here (ps, path, &loc);
  if (c == '{')
    return parse_object (ps, path, depth);
  if (c == '[')
    return parse_array (ps, path, depth);
  if (c == '"')
    {
      g_autofree char *s = parse_string (ps, path);
      return s == NULL ? NULL : ams_value_new_scalar (ps->doc, AMS_VALUE_STRING, s, &loc);
    }
  static const struct
  {
    const char *word;
    AmsValueKind kind;
  } words[] = {
    { "true", AMS_VALUE_BOOL }, { "false", AMS_VALUE_BOOL }, { "null", AMS_VALUE_NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      gsize n = strlen (words[i].word);
      if (strncmp (ps->p, words[i].word, n) == 0 && !g_ascii_isalnum (ps->p[n]))
        {
          ps->p += n;
          return ams_value_new_scalar (ps->doc, words[i].kind,
                                       words[i].kind == AMS_VALUE_NULL ? "" : words[i].word,
                                       &loc);
        }
    }
  if (c == '-' || g_ascii_isdigit (c))
    {
      const char *start = ps->p;
      if (!scan_number (ps))
        {
          fail (ps, path, "malformed number");
          return NULL;
        }
      g_autofree char *text = g_strndup (start, (gsize) (ps->p - start));
      return ams_value_new_scalar (ps->doc, AMS_VALUE_NUMBER, text, &loc);
    }
  if (c == '\0')
    fail (ps, path, "unexpected end of the document");
  else
    fail (ps, path, "unexpected character '%c'", c);
  return NULL;
}

AmsValueDoc *
ams__json_parse (const char *file, const char *text, AmsReporter *r)
{
  Parser ps = { 0 };
  ps.file = file;
  ps.p = text;
  ps.line_start = text;
  ps.line = 1;
  ps.r = r;
  gsize len = strlen (text);
  if (len > AMS__JSON_MAX_BYTES)
    {
      fail (&ps, "", "the text is %" G_GSIZE_FORMAT " bytes, more than the limit of %u MiB",
            len, AMS__JSON_MAX_BYTES / (1024 * 1024));
      return NULL;
    }
  ps.doc = ams_value_doc_new ();
  AmsValue *root = parse_value (&ps, "", 0);
  if (root != NULL)
    {
      skip_ws (&ps);
      if (*ps.p != '\0')
        fail (&ps, "", "unexpected text after the document");
    }
  if (ps.failed || root == NULL)
    {
      ams_value_doc_free (ps.doc);
      return NULL;
    }
  ams_value_doc_set_root (ps.doc, root);
  return ps.doc;
}

/* ---- writing -------------------------------------------------------------- */

static void
write_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const unsigned char *c = (const unsigned char *) s; *c; c++)
    {
      switch (*c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (*c < 0x20)
            g_string_append_printf (out, "\\u%04x", *c);
          else
            g_string_append_c (out, (char) *c);
        }
    }
  g_string_append_c (out, '"');
}

void
ams__json_write (GString *out, const AmsValue *v)
{
  switch (v->kind)
    {
    case AMS_VALUE_NULL:
      g_string_append (out, "null");
      return;
    case AMS_VALUE_BOOL:
      /* YAML may have written "True"; JSON has one spelling. */
      g_string_append (out, g_ascii_strcasecmp (v->text, "true") == 0 ? "true" : "false");
      return;
    case AMS_VALUE_NUMBER:
      g_string_append (out, v->text);
      return;
    case AMS_VALUE_STRING:
      write_string (out, v->text);
      return;
    case AMS_VALUE_ARRAY:
      g_string_append_c (out, '[');
      for (guint i = 0; i < v->n; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          ams__json_write (out, v->items[i]);
        }
      g_string_append_c (out, ']');
      return;
    case AMS_VALUE_OBJECT:
      g_string_append_c (out, '{');
      for (guint i = 0; i < v->n; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          write_string (out, v->keys[i]);
          g_string_append_c (out, ':');
          ams__json_write (out, v->items[i]);
        }
      g_string_append_c (out, '}');
      return;
    }
}
