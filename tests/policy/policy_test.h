/* amisim policy tests — helpers shared by the policy suites.
 *
 * Documents are written as JSON text in the tables and loaded through the
 * scenario module's ams_value_load_data, as `amisim policy eval` does;
 * compile errors are collected as "LINE:COL: PATH: MESSAGE" strings so that
 * a table can state each one exactly.
 */
#pragma once

#include <string.h>

#include "ams_test.h"
#include "amisim/policy.h"
#include "amisim/scenario.h"

/* Collected compile errors. */
typedef struct
{
  GPtrArray *lines; /* of char* "LINE:COL: PATH: MESSAGE" */
} PtErrors;

static inline void
pt_collect (void *user, const AmsSrcLoc *loc, const char *message)
{
  PtErrors *e = user;
  g_ptr_array_add (e->lines, g_strdup_printf ("%u:%u: %s: %s", loc->line, loc->col,
                                              loc->path && *loc->path ? loc->path : "(root)",
                                              message));
}

static inline void
pt_errors_init (PtErrors *e)
{
  e->lines = g_ptr_array_new_with_free_func (g_free);
}

static inline void
pt_errors_clear (PtErrors *e)
{
  g_ptr_array_unref (e->lines);
}

static inline AmsValueDoc *
pt_load (const char *json)
{
  GError *error = NULL;
  AmsValueDoc *doc = ams_value_load_data ("t.json", json, -1, &error);
  if (doc == NULL)
    {
      fprintf (stderr, "test document does not load: %s\n%s\n", error->message, json);
      g_error_free (error);
    }
  return doc;
}

/* Compiles `json` as a policy of `kind`; NULL (and the errors printed) if
 * it does not compile. */
static inline AmsPolicy *
pt_policy (const char *json, AmsPolicyKind kind, const char *name)
{
  g_autoptr (AmsValueDoc) doc = pt_load (json);
  if (doc == NULL)
    return NULL;
  PtErrors e;
  pt_errors_init (&e);
  AmsPolicy *p = ams_policy_compile (ams_value_doc_root (doc), kind, name, pt_collect, &e);
  for (guint i = 0; i < e.lines->len; i++)
    fprintf (stderr, "unexpected compile error: %s\n", (char *) g_ptr_array_index (e.lines, i));
  pt_errors_clear (&e);
  return p;
}

/* A context from "key=v1|v2;key2=v3" (NULL or "" for none). */
static inline AmsContext *
pt_context (const char *spec)
{
  AmsContext *c = ams_context_new ();
  if (spec == NULL || *spec == '\0')
    return c;
  g_auto (GStrv) pairs = g_strsplit (spec, ";", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq = strchr (pairs[i], '=');
      g_assert (eq != NULL);
      *eq = '\0';
      if (eq[1] == '\0')
        {
          ams_context_add (c, pairs[i], "");
          continue;
        }
      g_auto (GStrv) values = g_strsplit (eq + 1, "|", -1);
      for (guint j = 0; values[j] != NULL; j++)
        ams_context_add (c, pairs[i], values[j]);
    }
  return c;
}

static inline const char *
pt_decision (AmsDecision d)
{
  return ams_decision_name (d);
}
