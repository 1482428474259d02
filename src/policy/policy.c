/* amisim — compiled policies: lifetime and accessors.
 *
 * A compiled AmsPolicy is immutable and reference counted, so that one
 * document shared by many accounts (account_sets) is compiled once and
 * handed to each. Compilation lives in compile.c, evaluation in
 * evaluate.c.
 */
#include <string.h>
#include "policy-private.h"

AmsPolicy *
ams_policy_ref (AmsPolicy *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  g_atomic_int_inc (&p->ref);
  return p;
}

void
ams_policy_unref (AmsPolicy *p)
{
  if (p == NULL || !g_atomic_int_dec_and_test (&p->ref))
    return;
  g_free (p->name);
  if (p->statements != NULL)
    g_ptr_array_unref (p->statements);
  if (p->strings != NULL)
    g_string_chunk_free (p->strings);
  if (p->sources != NULL)
    g_ptr_array_unref (p->sources);
  g_free (p);
}

/* An empty policy made from `base`: its statements will stay owned by the
 * policies they were compiled in, which this one keeps alive (with their
 * locations' strings). */
static AmsPolicy *
derived (AmsPolicy *base)
{
  AmsPolicy *p = g_new0 (AmsPolicy, 1);
  p->ref = 1;
  p->name = g_strdup (base->name);
  p->kind = base->kind;
  p->variables = base->variables;
  p->statements = g_ptr_array_new ();
  p->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) ams_policy_unref);
  g_ptr_array_add (p->sources, ams_policy_ref (base));
  return p;
}

AmsPolicy *
ams_policy_edit (AmsPolicy *base, const char *remove_sid, AmsPolicy *add, guint *removed)
{
  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (add == NULL || add->kind == base->kind, NULL);
  AmsPolicy *p = derived (base);
  guint n = 0;
  for (guint i = 0; i < base->statements->len; i++)
    {
      const AmsStatement *st = base->statements->pdata[i];
      if (remove_sid != NULL && st->sid != NULL && strcmp (st->sid, remove_sid) == 0)
        {
          n++;
          continue;
        }
      g_ptr_array_add (p->statements, (gpointer) st);
    }
  if (add != NULL)
    {
      g_ptr_array_add (p->sources, ams_policy_ref (add));
      for (guint i = 0; i < add->statements->len; i++)
        g_ptr_array_add (p->statements, add->statements->pdata[i]);
    }
  if (removed != NULL)
    *removed = n;
  return p;
}

AmsPolicy *
ams_policy_without (AmsPolicy *base, guint i)
{
  g_return_val_if_fail (base != NULL && i < base->statements->len, NULL);
  AmsPolicy *p = derived (base);
  for (guint j = 0; j < base->statements->len; j++)
    if (j != i)
      g_ptr_array_add (p->statements, base->statements->pdata[j]);
  return p;
}

const char *
ams_policy_name (const AmsPolicy *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  return p->name;
}

AmsPolicyKind
ams_policy_kind (const AmsPolicy *p)
{
  g_return_val_if_fail (p != NULL, AMS_POLICY_IDENTITY);
  return p->kind;
}

guint
ams_policy_n_statements (const AmsPolicy *p)
{
  g_return_val_if_fail (p != NULL, 0);
  return p->statements->len;
}

static const AmsStatement *
statement (const AmsPolicy *p, guint i)
{
  g_return_val_if_fail (p != NULL && i < p->statements->len, NULL);
  return g_ptr_array_index (p->statements, i);
}

const char *
ams_policy_statement_sid (const AmsPolicy *p, guint i)
{
  const AmsStatement *s = statement (p, i);
  return s != NULL ? s->sid : NULL;
}

gboolean
ams_policy_statement_allows (const AmsPolicy *p, guint i)
{
  const AmsStatement *s = statement (p, i);
  return s != NULL && s->allow;
}

const AmsSrcLoc *
ams_policy_statement_loc (const AmsPolicy *p, guint i)
{
  const AmsStatement *s = statement (p, i);
  return s != NULL ? &s->loc : NULL;
}

char *
ams_policy_statement_to_json (const AmsPolicy *p, guint i)
{
  const AmsStatement *s = statement (p, i);
  return s != NULL ? g_strdup (s->json) : NULL;
}

guint
ams_policy_n_warnings (const AmsPolicy *p)
{
  g_return_val_if_fail (p != NULL, 0);
  guint n = 0;
  for (guint i = 0; i < p->statements->len; i++)
    n += ((const AmsStatement *) p->statements->pdata[i])->warnings->len;
  return n;
}

const char *
ams_policy_warning (const AmsPolicy *p, guint i, const AmsSrcLoc **loc)
{
  g_return_val_if_fail (p != NULL, NULL);
  for (guint k = 0; k < p->statements->len; k++)
    {
      const AmsStatement *s = p->statements->pdata[k];
      if (i < s->warnings->len)
        {
          if (loc != NULL)
            *loc = &s->loc;
          return g_ptr_array_index (s->warnings, i);
        }
      i -= s->warnings->len;
    }
  g_return_val_if_reached (NULL);
}

static void
builtin_error (void *user, const AmsSrcLoc *loc, const char *message)
{
  g_critical ("built-in policy %s: %s:%u:%u: %s", (const char *) user, loc->path ? loc->path : "",
              loc->line, loc->col, message);
}

AmsPolicy *
ams_policy_builtin (const char *name, const char *json, AmsPolicyKind kind)
{
  g_autofree char *file = g_strdup_printf ("builtin:%s", name);
  AmsPolicy *p = ams_policy_compile_json (file, json, kind, name, builtin_error, (void *) name);
  g_assert (p != NULL);
  return p;
}
