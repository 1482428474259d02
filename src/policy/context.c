/* amisim — request context: the condition keys a request carries.
 *
 * IAM compares condition key *names* case-insensitively, so keys are stored
 * under their lower-case form; each holds one or more string values in the
 * order they were added (aws:PrincipalOrgPaths has several). The values
 * array is kept NULL-terminated so that ams_context_get can hand it out
 * without copying.
 */
#include <string.h>

#include "policy-private.h"

struct AmsContext
{
  GHashTable *keys; /* lower-case name -> GPtrArray* of char* (NULL-terminated) */
};

AmsContext *
ams_context_new (void)
{
  AmsContext *c = g_new0 (AmsContext, 1);
  c->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) g_ptr_array_unref);
  return c;
}

void
ams_context_free (AmsContext *c)
{
  if (c == NULL)
    return;
  g_hash_table_unref (c->keys);
  g_free (c);
}

static GPtrArray *
values_for (AmsContext *c, const char *key, gboolean create)
{
  g_autofree char *lc = g_ascii_strdown (key, -1);
  GPtrArray *v = g_hash_table_lookup (c->keys, lc);
  if (v == NULL && create)
    {
      v = g_ptr_array_new_null_terminated (1, g_free, TRUE);
      g_hash_table_insert (c->keys, g_steal_pointer (&lc), v);
    }
  return v;
}

void
ams_context_add (AmsContext *c, const char *key, const char *value)
{
  g_return_if_fail (c != NULL && key != NULL && value != NULL);
  g_ptr_array_add (values_for (c, key, TRUE), g_strdup (value));
}

void
ams_context_set (AmsContext *c, const char *key, const char *value)
{
  g_return_if_fail (c != NULL && key != NULL && value != NULL);
  GPtrArray *v = values_for (c, key, TRUE);
  g_ptr_array_set_size (v, 0);
  g_ptr_array_add (v, g_strdup (value));
}

void
ams_context_remove (AmsContext *c, const char *key)
{
  g_return_if_fail (c != NULL && key != NULL);
  g_autofree char *lc = g_ascii_strdown (key, -1);
  g_hash_table_remove (c->keys, lc);
}

const char *const *
ams__context_get_lc (const AmsContext *c, const char *key_lc)
{
  GPtrArray *v = g_hash_table_lookup (c->keys, key_lc);
  if (v == NULL || v->len == 0)
    return NULL;
  return (const char *const *) v->pdata;
}

const char *const *
ams_context_get (const AmsContext *c, const char *key)
{
  g_return_val_if_fail (c != NULL && key != NULL, NULL);
  g_autofree char *lc = g_ascii_strdown (key, -1);
  return ams__context_get_lc (c, lc);
}
