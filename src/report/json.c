/* A small streaming JSON writer; see json.h. GLib has no JSON writer and
 * json-glib is not among our dependencies; summary.json needs only this. */
#include <math.h>
#include <stdio.h>
#include "report/json.h"

void
ams_json_init (AmsJson *j, GString *out)
{
  j->s = out;
  j->depth = 0;
  j->need_comma = FALSE;
}

void
ams_json_escape (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

/* Comma, newline, indent and key before a value. */
static void
lead (AmsJson *j, const char *key)
{
  if (j->need_comma)
    g_string_append_c (j->s, ',');
  if (j->depth > 0 || j->s->len > 0)
    g_string_append_c (j->s, '\n');
  for (guint i = 0; i < j->depth; i++)
    g_string_append (j->s, "  ");
  if (key != NULL)
    {
      ams_json_escape (j->s, key);
      g_string_append (j->s, ": ");
    }
  j->need_comma = TRUE;
}

static void
json_open (AmsJson *j, const char *key, char c)
{
  lead (j, key);
  g_string_append_c (j->s, c);
  j->depth++;
  j->need_comma = FALSE;
}

static void
json_close (AmsJson *j, char c)
{
  g_return_if_fail (j->depth > 0);
  gboolean empty = !j->need_comma;
  j->depth--;
  if (!empty)
    {
      g_string_append_c (j->s, '\n');
      for (guint i = 0; i < j->depth; i++)
        g_string_append (j->s, "  ");
    }
  g_string_append_c (j->s, c);
  j->need_comma = TRUE;
  if (j->depth == 0)
    g_string_append_c (j->s, '\n');
}

void
ams_json_begin_object (AmsJson *j, const char *key)
{
  json_open (j, key, '{');
}

void
ams_json_end_object (AmsJson *j)
{
  json_close (j, '}');
}

void
ams_json_begin_array (AmsJson *j, const char *key)
{
  json_open (j, key, '[');
}

void
ams_json_end_array (AmsJson *j)
{
  json_close (j, ']');
}

void
ams_json_string (AmsJson *j, const char *key, const char *value)
{
  lead (j, key);
  if (value == NULL)
    g_string_append (j->s, "null");
  else
    ams_json_escape (j->s, value);
}

void
ams_json_uint (AmsJson *j, const char *key, uint64_t value)
{
  lead (j, key);
  g_string_append_printf (j->s, "%" G_GUINT64_FORMAT, (guint64) value);
}

void
ams_json_int (AmsJson *j, const char *key, int64_t value)
{
  lead (j, key);
  g_string_append_printf (j->s, "%" G_GINT64_FORMAT, (gint64) value);
}

void
ams_json_double (AmsJson *j, const char *key, double value)
{
  lead (j, key);
  if (!isfinite (value))
    {
      g_string_append (j->s, "null");
      return;
    }
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  /* g_ascii_formatd: the same bytes whatever the locale. */
  g_ascii_formatd (buf, sizeof buf, "%.10g", value == 0.0 ? 0.0 : value);
  g_string_append (j->s, buf);
}

void
ams_json_bool (AmsJson *j, const char *key, gboolean value)
{
  lead (j, key);
  g_string_append (j->s, value ? "true" : "false");
}

/* A number as ams_json_double writes it, without the lead. */
static void
number (GString *s, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (!isfinite (value))
    g_string_append (s, "null");
  else
    g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.10g", value == 0.0 ? 0.0 : value));
}

void
ams_json_pair (AmsJson *j, const char *key, double a, double b)
{
  lead (j, key);
  g_string_append_c (j->s, '[');
  number (j->s, a);
  g_string_append (j->s, ", ");
  number (j->s, b);
  g_string_append_c (j->s, ']');
}

void
ams_json_iso (AmsJson *j, const char *key, const char *iso)
{
  ams_json_string (j, key, iso != NULL && iso[0] ? iso : NULL);
}
