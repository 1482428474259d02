/* amisim — scenario loader: command-line overrides (--set PATH=VALUE,
 * --seed N, --horizon D) applied to the YAML tree before validation.
 *
 * Overriding the tree rather than the typed scenario means a value from the
 * command line goes through exactly the checks a value in the file does,
 * and its errors point at where it came from ("--set:1:1: error: …").
 * PATH is dot-separated keys with [N] (or .N) indices into sequences:
 * pipelines[0].build_time, simulation.limits.copies_per_account_region.
 * Missing mapping keys are created; indices must exist.
 *
 * Aliases and merge keys share nodes between places in the tree, so a node
 * on the way down that is held by more than one place is copied first:
 * the override changes this path only, never the anchor or the other
 * places that use it.
 */
#include "ynode.h"

#include <string.h>

typedef struct
{
  char *key;         /* NULL for [N] */
  guint index;       /* [N], or a key made of digits (.N) */
  gboolean numeric;  /* key is all digits */
} Seg;

static void
seg_clear (gpointer p)
{
  g_free (((Seg *) p)->key);
}

static gboolean
parse_index (const char *s, gsize n, guint *out)
{
  if (n == 0 || n > 9)
    return FALSE;
  guint v = 0;
  for (gsize i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (guint) (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

/* Splits PATH into segments; on a malformed path returns NULL with *why set. */
static GArray *
parse_path (const char *path, const char **why)
{
  g_autoptr (GArray) segs = g_array_new (FALSE, TRUE, sizeof (Seg));
  g_array_set_clear_func (segs, seg_clear);
  const char *p = path;
  if (*p == '\0')
    {
      *why = "empty path; expected PATH=VALUE such as simulation.drain=true";
      return NULL;
    }
  for (;;)
    {
      const char *start = p;
      while (*p != '\0' && *p != '.' && *p != '[' && *p != ']')
        p++;
      if (p > start)
        {
          Seg s = { .key = g_strndup (start, (gsize) (p - start)) };
          s.numeric = parse_index (start, (gsize) (p - start), &s.index);
          g_array_append_val (segs, s);
        }
      else if (!(*p == '[' && segs->len == 0))
        {
          *why = "empty key in path; keys are separated by single dots";
          return NULL;
        }
      while (*p == '[')
        {
          const char *close = strchr (p, ']');
          Seg s = { 0 };
          if (close == NULL || !parse_index (p + 1, (gsize) (close - p - 1), &s.index))
            {
              *why = "bad index in path; write [N] with N a whole number, as in pipelines[0]";
              return NULL;
            }
          g_array_append_val (segs, s);
          p = close + 1;
        }
      if (*p == '\0')
        break;
      if (*p != '.')
        {
          *why = "unexpected character in path; expected key.key or key[N]";
          return NULL;
        }
      p++;
      if (*p == '\0')
        {
          *why = "empty key in path; keys are separated by single dots";
          return NULL;
        }
    }
  return g_steal_pointer (&segs);
}

static AmsYNode *
clone_node (AmsYDoc *doc, const AmsYNode *n)
{
  AmsYNode *c;
  if (n->kind == AMS_YNODE_MAPPING)
    {
      c = ams_ydoc_new_mapping (doc, n->file, n->line, n->col);
      for (guint i = 0; i < n->pairs->len; i++)
        {
          AmsYPair p = g_array_index (n->pairs, AmsYPair, i);
          p.key->refs++;
          p.value->refs++;
          g_array_append_val (c->pairs, p);
        }
    }
  else
    {
      c = ams_ydoc_new_sequence (doc, n->file, n->line, n->col);
      for (guint i = 0; i < n->items->len; i++)
        {
          AmsYNode *it = g_ptr_array_index (n->items, i);
          it->refs++;
          g_ptr_array_add (c->items, it);
        }
    }
  c->style = n->style;
  c->tag = n->tag;
  return c;
}

/* Puts `n` into *slot in place of what was there. */
static void
replace (AmsYNode **slot, AmsYNode *n)
{
  (*slot)->refs--;
  *slot = n;
  n->refs++;
}

static const char *
shown (const GString *done)
{
  return done->len > 0 ? done->str : "(root)";
}

gboolean
ams_ydoc_apply_override (AmsYDoc *doc, const AmsOverride *ov, AmsDiag *diag)
{
  const char *origin = ov->origin != NULL ? ov->origin : "--set";
  const char *why = NULL;
  g_autoptr (GArray) segs = parse_path (ov->path, &why);
  if (segs == NULL)
    {
      ams_diag_add (diag, origin, 1, 1, ov->path, "%s", why);
      return FALSE;
    }

  g_autoptr (GString) done = g_string_new (NULL);
  AmsYNode **slot = &doc->root;
  for (guint i = 0; i < segs->len; i++)
    {
      const Seg *s = &g_array_index (segs, Seg, i);
      gboolean last = i + 1 == segs->len;
      AmsYNode *cur = *slot;
      g_autofree char *parent = g_strdup (shown (done));

      if (s->key == NULL || (s->numeric && cur->kind == AMS_YNODE_SEQUENCE))
        {
          g_string_append_printf (done, "[%u]", s->index);
          if (cur->kind != AMS_YNODE_SEQUENCE)
            {
              ams_diag_add (diag, origin, 1, 1, done->str,
                            "cannot use an index: '%s' is %s, not a sequence",
                            parent, ams_ynode_describe (cur));
              return FALSE;
            }
          if (s->index >= cur->items->len)
            {
              if (cur->items->len == 0)
                ams_diag_add (diag, origin, 1, 1, done->str,
                              "index %u is out of range: '%s' has no entries", s->index, parent);
              else
                ams_diag_add (diag, origin, 1, 1, done->str,
                              "index %u is out of range: '%s' has %u entr%s (0 to %u)",
                              s->index, parent, cur->items->len,
                              cur->items->len == 1 ? "y" : "ies", cur->items->len - 1);
              return FALSE;
            }
          slot = (AmsYNode **) &cur->items->pdata[s->index];
        }
      else
        {
          if (done->len > 0)
            g_string_append_c (done, '.');
          g_string_append (done, s->key);
          if (i > 0 && ams_ynode_is_null (cur))
            {
              /* `simulation:` with nothing under it: a mapping to add to */
              replace (slot, ams_ydoc_new_mapping (doc, origin, 1, 1));
              cur = *slot;
            }
          if (cur->kind != AMS_YNODE_MAPPING)
            {
              if (cur->kind == AMS_YNODE_SEQUENCE)
                ams_diag_add (diag, origin, 1, 1, done->str,
                              "'%s' is a sequence; use an index, as in %s[0].%s",
                              parent, parent, s->key);
              else
                ams_diag_add (diag, origin, 1, 1, done->str,
                              "cannot set '%s': '%s' is %s, not a mapping",
                              s->key, parent, ams_ynode_describe (cur));
              return FALSE;
            }
          AmsYPair *pair = NULL;
          for (guint j = 0; j < cur->pairs->len && pair == NULL; j++)
            {
              AmsYPair *p = &g_array_index (cur->pairs, AmsYPair, j);
              if (p->key->kind == AMS_YNODE_SCALAR && strcmp (p->key->text, s->key) == 0)
                pair = p;
            }
          if (pair == NULL)
            {
              AmsYPair np = {
                .key = ams_ydoc_new_scalar (doc, origin, 1, 1, s->key),
                .value = last ? ams_ydoc_new_scalar (doc, origin, 1, 1, "")
                              : ams_ydoc_new_mapping (doc, origin, 1, 1),
              };
              np.key->refs++;
              np.value->refs++;
              g_array_append_val (cur->pairs, np);
              pair = &g_array_index (cur->pairs, AmsYPair, cur->pairs->len - 1);
            }
          pair->merged = FALSE;
          slot = &pair->value;
        }

      if (last)
        replace (slot, ams_ydoc_new_scalar (doc, origin, 1, 1, ov->value != NULL ? ov->value : ""));
      else if ((*slot)->refs > 1 && (*slot)->kind != AMS_YNODE_SCALAR)
        replace (slot, clone_node (doc, *slot));
    }
  return TRUE;
}
