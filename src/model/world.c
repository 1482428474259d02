/* The world of a simulation: regions and accounts with dense indices.
 *
 * Built once from a scenario the loader has already validated, so every
 * reference in it resolves; a failed lookup here is a programming error. */
#include "amisim/world.h"

struct AmsWorld
{
  GArray *regions;      /* of AmsRegion  */
  GArray *accounts;     /* of AmsAccount */
  GHashTable *by_region;  /* name -> index + 1 */
  GHashTable *by_account; /* id   -> index + 1 */
};

AmsWorld *
ams_world_new (const AmsScenario *sc)
{
  g_return_val_if_fail (sc != NULL, NULL);
  AmsWorld *w = g_new0 (AmsWorld, 1);
  w->regions = g_array_sized_new (FALSE, TRUE, sizeof (AmsRegion), sc->regions->len);
  w->accounts = g_array_sized_new (FALSE, TRUE, sizeof (AmsAccount), sc->accounts->len);
  w->by_region = g_hash_table_new (g_str_hash, g_str_equal);
  w->by_account = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < sc->regions->len; i++)
    {
      const AmsScRegion *r = g_ptr_array_index (sc->regions, i);
      AmsRegion region = { .index = i, .name = r->name };
      g_array_append_val (w->regions, region);
      g_hash_table_insert (w->by_region, (gpointer) r->name, GUINT_TO_POINTER (i + 1));
    }
  for (guint i = 0; i < sc->accounts->len; i++)
    {
      const AmsScAccount *a = g_ptr_array_index (sc->accounts, i);
      AmsAccount account = { .index = i, .id = a->id, .name = a->name };
      g_array_append_val (w->accounts, account);
      g_hash_table_insert (w->by_account, (gpointer) a->id, GUINT_TO_POINTER (i + 1));
    }
  return w;
}

void
ams_world_free (AmsWorld *w)
{
  if (w == NULL)
    return;
  g_array_unref (w->regions);
  g_array_unref (w->accounts);
  g_hash_table_unref (w->by_region);
  g_hash_table_unref (w->by_account);
  g_free (w);
}

guint
ams_world_n_regions (const AmsWorld *w)
{
  return w->regions->len;
}

guint
ams_world_n_accounts (const AmsWorld *w)
{
  return w->accounts->len;
}

const AmsRegion *
ams_world_region (const AmsWorld *w, guint index)
{
  g_return_val_if_fail (index < w->regions->len, NULL);
  return &g_array_index (w->regions, AmsRegion, index);
}

const AmsAccount *
ams_world_account (const AmsWorld *w, guint index)
{
  g_return_val_if_fail (index < w->accounts->len, NULL);
  return &g_array_index (w->accounts, AmsAccount, index);
}

const AmsRegion *
ams_world_find_region (const AmsWorld *w, const char *name)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (w->by_region, name));
  return i == 0 ? NULL : ams_world_region (w, i - 1);
}

const AmsAccount *
ams_world_find_account (const AmsWorld *w, const char *id)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (w->by_account, id));
  return i == 0 ? NULL : ams_world_account (w, i - 1);
}
