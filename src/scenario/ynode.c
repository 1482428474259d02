/* amisim — scenario loader: YAML text to a tree of positioned nodes.
 *
 * libyaml's event API gives each event its start mark and the scalar's text
 * and style exactly as written; the document API would lose what we need
 * for error messages and for ids such as 012345678901. A stack of frames
 * holds the collections being built; a finished node is handed to the frame
 * below it (as a sequence item, a mapping key, or a key's value).
 *
 * YAML features handled here rather than left to validation:
 * - anchors and aliases: an alias is the anchored node itself (no copy), an
 *   alias to an unknown anchor or to a collection that contains it is an
 *   error;
 * - merge keys (<<: *a or <<: [*a, *b]): resolved when the mapping ends;
 *   keys written in the mapping win wherever they are, earlier sources win
 *   over later ones, merged keys are never duplicates;
 * - duplicate keys (written twice in one mapping): an error naming the
 *   first; the first value is kept so that validation can go on;
 * - one document per file, and a clear message for tabs in indentation
 *   (libyaml says "found character that cannot start any token");
 * - the limits of input-limits.h, checked as events arrive so that a hostile
 *   input stops at the event that passes one: the size of the text, the
 *   nodes of the tree with aliases expanded (each node keeps its `weight`,
 *   what an alias to it adds), the nesting depth (libyaml's scanner is
 *   quadratic in it) and the length of a scalar;
 * - tags: only those of YAML's core schema, fitting the node (a tag asks
 *   for a meaning amisim would silently lose);
 * - control characters: none in a key, only tabs and line feeds in other
 *   scalars (free text); names and values refuse those too when they are
 *   read (check.c), policy strings when they are compiled.
 */
#include "ynode.h"

#include <string.h>
#include <yaml.h>

#include "input-limits.h"

#define CORE_TAG_PREFIX "tag:yaml.org,2002:"
#define TAG_STR CORE_TAG_PREFIX "str"
#define TAG_NULL CORE_TAG_PREFIX "null"
#define TAG_MERGE CORE_TAG_PREFIX "merge"

/* Nodes are allocated a block at a time, the blocks growing from
 * FIRST_BLOCK to LAST_BLOCK nodes: one allocation per node would cost as
 * much as the node again in a document of millions. */
#define FIRST_BLOCK 32u
#define LAST_BLOCK 16384u

/* A mapping looks its keys up in its pairs while it has fewer than this
 * many, then in a hash table: most mappings are small, and a table for
 * each of millions of them would cost more time than the rest. */
#define HASHED_KEYS 16u

typedef struct
{
  AmsYNode *node;     /* SEQUENCE or MAPPING being built */
  AmsYNode *key;      /* MAPPING: key waiting for its value */
  GHashTable *keys;   /* MAPPING: key text -> key node, once it has HASHED_KEYS pairs */
  GPtrArray *merges;  /* MAPPING: values of << keys, in order */
} Frame;

typedef struct
{
  AmsYDoc *doc;
  AmsDiag *diag;
  const char *file;
  const char *data;
  gsize len;
  GArray *stack;         /* of Frame */
  GHashTable *anchors;   /* name -> node */
  const AmsYLimits *lim;
  guint64 merged_pairs;
  guint64 nodes;         /* of the tree so far, aliases expanded */
  guint64 alias_nodes;   /* of those, added by aliases */
  gboolean fatal;
} Builder;

const AmsYLimits ams_ylimits_default = {
  .input_bytes = AMS_LIMIT_INPUT_BYTES,
  .nodes = AMS_LIMIT_NODES,
  .alias_nodes = AMS_LIMIT_ALIAS_NODES,
  .depth = AMS_LIMIT_DEPTH,
  .scalar_bytes = AMS_LIMIT_SCALAR_BYTES,
  .merged_pairs = AMS_LIMIT_MERGED_PAIRS,
};

char *
ams_ylimit_size_text (gsize bytes)
{
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " MiB", bytes / (1024 * 1024));
  if (bytes >= 1024 && bytes % 1024 == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " KiB", bytes / 1024);
  return g_strdup_printf ("%" G_GSIZE_FORMAT " bytes", bytes);
}

/* Nodes in block `i` (0-based). */
static guint
block_size (guint i)
{
  return i >= 9 ? LAST_BLOCK : MIN (FIRST_BLOCK << i, LAST_BLOCK);
}

static AmsYNode *
node_new (AmsYDoc *doc, AmsYNodeKind kind, const char *file, guint line, guint col)
{
  guint last = doc->blocks->len;
  if (last == 0 || doc->used == block_size (last - 1))
    {
      g_ptr_array_add (doc->blocks, g_new (AmsYNode, block_size (last)));
      doc->used = 0;
      last++;
    }
  AmsYNode *n = (AmsYNode *) g_ptr_array_index (doc->blocks, last - 1) + doc->used++;
  *n = (AmsYNode) { .file = file, .line = line, .col = col, .kind = kind, .weight = 1 };
  if (kind == AMS_YNODE_SEQUENCE)
    n->items = g_ptr_array_new ();
  else if (kind == AMS_YNODE_MAPPING)
    n->pairs = g_array_new (FALSE, TRUE, sizeof (AmsYPair));
  return n;
}

static AmsYDoc *
doc_new (void)
{
  AmsYDoc *doc = g_new0 (AmsYDoc, 1);
  doc->strings = g_string_chunk_new (4096);
  doc->blocks = g_ptr_array_new_with_free_func (g_free);
  return doc;
}

void
ams_ydoc_free (AmsYDoc *doc)
{
  if (doc == NULL)
    return;
  for (guint i = 0; i < doc->blocks->len; i++)
    {
      AmsYNode *block = g_ptr_array_index (doc->blocks, i);
      guint n = i + 1 == doc->blocks->len ? doc->used : block_size (i);
      for (guint j = 0; j < n; j++)
        if (block[j].kind == AMS_YNODE_SEQUENCE)
          g_ptr_array_unref (block[j].items);
        else if (block[j].kind == AMS_YNODE_MAPPING)
          g_array_unref (block[j].pairs);
    }
  g_ptr_array_unref (doc->blocks);
  g_string_chunk_free (doc->strings);
  g_free (doc);
}

AmsYNode *
ams_ydoc_new_scalar (AmsYDoc *doc, const char *file, guint line, guint col, const char *text)
{
  AmsYNode *n = node_new (doc, AMS_YNODE_SCALAR,
                          g_string_chunk_insert_const (doc->strings, file), line, col);
  n->text = g_string_chunk_insert (doc->strings, text);
  n->len = (guint) strlen (text);
  n->style = AMS_YSTYLE_PLAIN;
  return n;
}

AmsYNode *
ams_ydoc_new_mapping (AmsYDoc *doc, const char *file, guint line, guint col)
{
  AmsYNode *n = node_new (doc, AMS_YNODE_MAPPING,
                          g_string_chunk_insert_const (doc->strings, file), line, col);
  n->style = AMS_YSTYLE_PLAIN;
  return n;
}

AmsYNode *
ams_ydoc_new_sequence (AmsYDoc *doc, const char *file, guint line, guint col)
{
  AmsYNode *n = node_new (doc, AMS_YNODE_SEQUENCE,
                          g_string_chunk_insert_const (doc->strings, file), line, col);
  n->style = AMS_YSTYLE_PLAIN;
  return n;
}

AmsYNode *
ams_ynode_lookup (const AmsYNode *map, const char *key)
{
  if (map == NULL || map->kind != AMS_YNODE_MAPPING)
    return NULL;
  for (guint i = 0; i < map->pairs->len; i++)
    {
      const AmsYPair *p = &g_array_index (map->pairs, AmsYPair, i);
      if (p->key->kind == AMS_YNODE_SCALAR && strcmp (p->key->text, key) == 0)
        return p->value;
    }
  return NULL;
}

gboolean
ams_ynode_is_null (const AmsYNode *n)
{
  if (n->kind != AMS_YNODE_SCALAR)
    return FALSE;
  if (g_strcmp0 (n->tag, TAG_NULL) == 0)
    return TRUE;
  if (n->style != AMS_YSTYLE_PLAIN || n->tag != NULL)
    return FALSE;
  return n->len == 0 || strcmp (n->text, "~") == 0 || strcmp (n->text, "null") == 0
         || strcmp (n->text, "Null") == 0 || strcmp (n->text, "NULL") == 0;
}

gboolean
ams_ynode_is_string (const AmsYNode *n)
{
  return n->kind == AMS_YNODE_SCALAR
         && (n->style != AMS_YSTYLE_PLAIN || g_strcmp0 (n->tag, TAG_STR) == 0);
}

const char *
ams_ynode_describe (const AmsYNode *n)
{
  switch (n->kind)
    {
    case AMS_YNODE_MAPPING:
      return "a mapping";
    case AMS_YNODE_SEQUENCE:
      return "a sequence";
    case AMS_YNODE_SCALAR:
    default:
      return ams_ynode_is_null (n) ? "null" : "a scalar";
    }
}

/* ---- control characters ---- */

static const char *const c0_names[32] = {
  "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "backspace", "tab", "line feed",
  "vertical tab", "form feed", "carriage return", "SO", "SI", "DLE", "DC1", "DC2", "DC3",
  "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "escape", "FS", "GS", "RS", "US",
};

char *
ams_ynode_find_control (const char *text, gsize len, gboolean free_text)
{
  const guchar *p = (const guchar *) text;
  for (gsize i = 0; i < len; i++)
    {
      gunichar ch;
      if (p[i] < 0x20 || p[i] == 0x7F)
        ch = p[i];
      else if (p[i] == 0xC2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)
        ch = p[i + 1]; /* U+0080-U+009F in UTF-8 */
      else
        continue;
      if (free_text && (ch == '\t' || ch == '\n'))
        continue;
      glong index = 1;
      for (gsize j = 0; j < i; j++)
        if ((p[j] & 0xC0) != 0x80)
          index++;
      const char *name = ch < 0x20 ? c0_names[ch] : ch == 0x7F ? "DEL" : "a C1 control";
      return g_strdup_printf ("control character U+%04X (%s) at character %ld", ch, name,
                              index);
    }
  return NULL;
}

/* ---- positions and paths while building ---- */

static Frame *
top (Builder *b)
{
  return b->stack->len > 0 ? &g_array_index (b->stack, Frame, b->stack->len - 1) : NULL;
}

static void
append_key_segment (GString *path, const AmsYNode *key)
{
  if (path->len > 0)
    g_string_append_c (path, '.');
  if (key == NULL || key->kind != AMS_YNODE_SCALAR)
    g_string_append_c (path, '?');
  else if (key->controls)
    {
      g_autofree char *esc = g_strescape (key->text, NULL); /* paths are printed */
      g_string_append (path, esc);
    }
  else
    g_string_append (path, key->text);
}

/* The document path of the node the top frame is about to receive
 * (with_pending), or of the top frame's own node. */
static char *
build_path (Builder *b, gboolean with_pending)
{
  GString *path = g_string_new (NULL);
  guint n = b->stack->len;
  for (guint i = 0; i + 1 < n + (with_pending ? 1 : 0); i++)
    {
      const Frame *f = &g_array_index (b->stack, Frame, i);
      if (f->node->kind == AMS_YNODE_SEQUENCE)
        g_string_append_printf (path, "[%u]", f->node->items->len);
      else
        append_key_segment (path, f->key);
    }
  return g_string_free (path, FALSE);
}

static void
error_at (Builder *b, guint line, guint col, const char *path, const char *fmt, ...) G_GNUC_PRINTF (5, 6);

static void
error_at (Builder *b, guint line, guint col, const char *path, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  ams_diag_addv (b->diag, b->file, line, col, path, fmt, ap);
  va_end (ap);
}

static void give_up (Builder *b, guint line, guint col, gboolean pending, const char *fmt, ...)
  G_GNUC_PRINTF (5, 6);

/* Reports why the parse stops here (listed first, kept however many
 * problems came before) at the path of the top frame's node or, with
 * `pending`, of the node it is about to receive. */
static void
give_up (Builder *b, guint line, guint col, gboolean pending, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_autofree char *path = build_path (b, pending);
  ams_diag_add_forced (b->diag, b->file, line, col, path, "%s", msg);
  b->fatal = TRUE;
}

/* Counts `n` more nodes of the expanded tree, added by an alias or not;
 * FALSE (after giving up) past a limit. */
static gboolean
count_nodes (Builder *b, guint64 n, gboolean alias, guint line, guint col)
{
  b->nodes += n; /* n is at most G_MAXUINT32 */
  if (alias)
    b->alias_nodes += n;
  if (alias && b->alias_nodes > b->lim->alias_nodes)
    give_up (b, line, col, TRUE,
             "aliases add more than %" G_GUINT64_FORMAT " nodes to the document, the limit "
             "(an alias counts every node of what it names); refusing to go on",
             b->lim->alias_nodes);
  else if (b->nodes > b->lim->nodes)
    give_up (b, line, col, TRUE,
             "the document has more than %" G_GUINT64_FORMAT " nodes, the limit (aliases "
             "count every node of what they name); refusing to go on", b->lim->nodes);
  return !b->fatal;
}

/* A tag as written: !!x for the core ones, escaped (a tag may hold %-escapes). */
static char *
tag_display (const char *tag)
{
  g_autofree char *esc = g_strescape (tag, NULL);
  if (g_str_has_prefix (esc, CORE_TAG_PREFIX))
    return g_strconcat ("!!", esc + strlen (CORE_TAG_PREFIX), NULL);
  return g_steal_pointer (&esc);
}

/* The tags of YAML's core schema that amisim reads. */
static const char *const core_tags[] = { "str", "int", "float", "bool", "null",
                                         "seq", "map", "merge" };

static gboolean
is_core_tag (const char *tag)
{
  if (!g_str_has_prefix (tag, CORE_TAG_PREFIX))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (core_tags); i++)
    if (strcmp (tag + strlen (CORE_TAG_PREFIX), core_tags[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Whether `tag` is one of YAML's core schema that fits `n`. */
static gboolean
tag_fits (const char *tag, const AmsYNode *n)
{
  if (!is_core_tag (tag))
    return FALSE;
  const char *t = tag + strlen (CORE_TAG_PREFIX);
  switch (n->kind)
    {
    case AMS_YNODE_SEQUENCE:
      return strcmp (t, "seq") == 0;
    case AMS_YNODE_MAPPING:
      return strcmp (t, "map") == 0;
    case AMS_YNODE_SCALAR:
    default:
      return strcmp (t, "str") == 0 || strcmp (t, "int") == 0 || strcmp (t, "float") == 0
             || strcmp (t, "bool") == 0 || strcmp (t, "null") == 0
             || (strcmp (t, "merge") == 0 && strcmp (n->text, "<<") == 0);
    }
}

static const char *const core_tag_kinds[] = {
  [AMS_YNODE_SCALAR] = "a scalar", [AMS_YNODE_SEQUENCE] = "a sequence",
  [AMS_YNODE_MAPPING] = "a mapping",
};

/* Sets n->tag from the event's tag; FALSE (after giving up) for a tag
 * outside the core schema or one that does not fit the node. */
static gboolean
set_tag (Builder *b, AmsYNode *n, const yaml_char_t *tag)
{
  if (tag == NULL)
    return TRUE;
  if (tag_fits ((const char *) tag, n))
    {
      n->tag = g_string_chunk_insert_const (b->doc->strings, (const char *) tag);
      return TRUE;
    }
  g_autofree char *shown = tag_display ((const char *) tag);
  if (is_core_tag ((const char *) tag))
    give_up (b, n->line, n->col, TRUE, "YAML tag '%s' does not fit %s; remove it", shown,
             strcmp (shown, "!!merge") == 0 ? "anything but the key <<"
                                             : core_tag_kinds[n->kind]);
  else
    give_up (b, n->line, n->col, TRUE,
             "YAML tag '%s' is not supported (amisim reads YAML's core schema only: !!str, "
             "!!int, !!float, !!bool, !!null, !!seq, !!map, and !!merge on <<); remove it",
             shown);
  return FALSE;
}

/* ---- adding finished nodes ---- */

/* Whether the next node is a mapping's key. */
static gboolean
next_is_key (Builder *b)
{
  const Frame *f = top (b);
  return f != NULL && f->node->kind == AMS_YNODE_MAPPING && f->key == NULL;
}

/* Reports the first control character of a scalar that a key (a name:
 * none) or other text (tabs and line feeds only) may not hold, once per
 * node (an alias can make a scalar checked as text a key). */
static void
check_control (Builder *b, AmsYNode *n, gboolean key)
{
  if (n->controls)
    return;
  g_autofree char *bad = ams_ynode_find_control (n->text, n->len, !key);
  if (bad == NULL)
    return;
  n->controls = TRUE; /* before the path: its key is shown escaped */
  if (key)
    {
      g_autoptr (GString) key_path = g_string_new (NULL);
      g_autofree char *base = build_path (b, FALSE);
      g_string_append (key_path, base);
      append_key_segment (key_path, n);
      error_at (b, n->line, n->col, key_path->str,
                "%s of a key; a key holds no control characters", bad);
    }
  else
    {
      g_autofree char *path = build_path (b, TRUE);
      error_at (b, n->line, n->col, path, "%s; no string may hold one (free text such as a "
                "description may hold tabs and line breaks)", bad);
    }
}

static gboolean
is_merge_key (const AmsYNode *key)
{
  return key->kind == AMS_YNODE_SCALAR && strcmp (key->text, "<<") == 0
         && ((key->style == AMS_YSTYLE_PLAIN && key->tag == NULL)
             || g_strcmp0 (key->tag, TAG_MERGE) == 0);
}

/* The key node of f's mapping with text `text`, or NULL. */
static const AmsYNode *
frame_key (const Frame *f, const char *text)
{
  if (f->keys != NULL)
    return g_hash_table_lookup (f->keys, text);
  const GArray *pairs = f->node->pairs;
  for (guint i = 0; i < pairs->len; i++)
    {
      const AmsYNode *k = g_array_index (pairs, AmsYPair, i).key;
      if (k->kind == AMS_YNODE_SCALAR && strcmp (k->text, text) == 0)
        return k;
    }
  return NULL;
}

/* The hash table of f's keys, made from its pairs when it is missing. */
static GHashTable *
frame_keys (Frame *f)
{
  if (f->keys == NULL)
    {
      f->keys = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < f->node->pairs->len; i++)
        {
          AmsYNode *k = g_array_index (f->node->pairs, AmsYPair, i).key;
          if (k->kind == AMS_YNODE_SCALAR)
            g_hash_table_insert (f->keys, (gpointer) k->text, k);
        }
    }
  return f->keys;
}

static void
add_pair (Builder *b, Frame *f, AmsYNode *key, AmsYNode *value)
{
  if (is_merge_key (key))
    {
      if (f->merges == NULL)
        f->merges = g_ptr_array_new ();
      g_ptr_array_add (f->merges, value);
      return;
    }
  if (key->kind == AMS_YNODE_SCALAR)
    {
      const AmsYNode *first = frame_key (f, key->text);
      if (first != NULL)
        {
          g_autoptr (GString) path = g_string_new (NULL);
          g_autofree char *base = build_path (b, FALSE);
          g_string_append (path, base);
          append_key_segment (path, key);
          error_at (b, key->line, key->col, path->str,
                    "duplicate key '%s' (first at %u:%u)", key->text, first->line, first->col);
          return;
        }
    }
  AmsYPair pair = { key, value, FALSE };
  key->refs++;
  value->refs++;
  g_array_append_val (f->node->pairs, pair);
  if (f->keys != NULL && key->kind == AMS_YNODE_SCALAR)
    g_hash_table_insert (f->keys, (gpointer) key->text, key);
  else if (f->keys == NULL && f->node->pairs->len >= HASHED_KEYS)
    frame_keys (f);
}

static void
add_node (Builder *b, AmsYNode *n)
{
  Frame *f = top (b);
  if (f == NULL)
    {
      b->doc->root = n;
      n->refs++;
    }
  else if (f->node->kind == AMS_YNODE_SEQUENCE)
    {
      g_ptr_array_add (f->node->items, n);
      n->refs++;
    }
  else if (f->key == NULL)
    f->key = n;
  else
    {
      AmsYNode *key = f->key;
      f->key = NULL;
      add_pair (b, f, key, n);
    }
}

/* Merges the pairs of `src` into the mapping of `f`, skipping keys already
 * there (written in the mapping, or merged from an earlier source). */
static void
merge_from (Builder *b, Frame *f, const AmsYNode *src)
{
  GHashTable *keys = frame_keys (f);
  for (guint i = 0; i < src->pairs->len && !b->fatal; i++)
    {
      const AmsYPair *p = &g_array_index (src->pairs, AmsYPair, i);
      if (p->key->kind == AMS_YNODE_SCALAR)
        {
          if (g_hash_table_contains (keys, p->key->text))
            continue;
          g_hash_table_insert (keys, (gpointer) p->key->text, p->key);
        }
      if (++b->merged_pairs > b->lim->merged_pairs)
        {
          give_up (b, f->node->line, f->node->col, FALSE,
                   "merge keys (<<) copy more than %" G_GUINT64_FORMAT " keys, the limit; "
                   "refusing to go on", b->lim->merged_pairs);
          return;
        }
      AmsYPair pair = { p->key, p->value, TRUE };
      p->key->refs++;
      p->value->refs++;
      g_array_append_val (f->node->pairs, pair);
    }
}

static void
resolve_merges (Builder *b, Frame *f)
{
  for (guint i = 0; f->merges != NULL && i < f->merges->len && !b->fatal; i++)
    {
      const AmsYNode *v = g_ptr_array_index (f->merges, i);
      if (v->kind == AMS_YNODE_MAPPING)
        {
          merge_from (b, f, v);
          continue;
        }
      gboolean ok = v->kind == AMS_YNODE_SEQUENCE;
      for (guint j = 0; ok && j < v->items->len; j++)
        ok = ((const AmsYNode *) g_ptr_array_index (v->items, j))->kind == AMS_YNODE_MAPPING;
      if (!ok)
        {
          g_autoptr (GString) path = g_string_new (NULL);
          g_autofree char *base = build_path (b, FALSE);
          g_string_append (path, base);
          g_string_append (path, path->len > 0 ? ".<<" : "<<");
          error_at (b, v->line, v->col, path->str,
                    "a merge key (<<) takes a mapping or a list of mappings "
                    "(usually an alias such as *defaults), got %s",
                    v->kind == AMS_YNODE_SEQUENCE ? "a sequence with other entries"
                                                  : ams_ynode_describe (v));
          continue;
        }
      for (guint j = 0; j < v->items->len && !b->fatal; j++)
        merge_from (b, f, g_ptr_array_index (v->items, j));
    }
}

static void
frame_clear (gpointer p)
{
  Frame *f = p;
  if (f->keys != NULL)
    g_hash_table_unref (f->keys);
  if (f->merges != NULL)
    g_ptr_array_unref (f->merges);
}

/* ---- events ---- */

static AmsYStyle
scalar_style (yaml_scalar_style_t s)
{
  switch (s)
    {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
      return AMS_YSTYLE_SINGLE_QUOTED;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
      return AMS_YSTYLE_DOUBLE_QUOTED;
    case YAML_LITERAL_SCALAR_STYLE:
      return AMS_YSTYLE_LITERAL;
    case YAML_FOLDED_SCALAR_STYLE:
      return AMS_YSTYLE_FOLDED;
    case YAML_ANY_SCALAR_STYLE:
    case YAML_PLAIN_SCALAR_STYLE:
    default:
      return AMS_YSTYLE_PLAIN;
    }
}

static void
set_anchor (Builder *b, AmsYNode *n, const yaml_char_t *anchor)
{
  if (anchor == NULL)
    return;
  n->anchor = g_string_chunk_insert_const (b->doc->strings, (const char *) anchor);
  g_hash_table_insert (b->anchors, (gpointer) n->anchor, n);
}

static void
on_alias (Builder *b, const yaml_event_t *ev)
{
  const char *name = (const char *) ev->data.alias.anchor;
  AmsYNode *n = g_hash_table_lookup (b->anchors, name);
  guint line = (guint) ev->start_mark.line + 1, col = (guint) ev->start_mark.column + 1;
  if (n == NULL || n->open)
    {
      g_autofree char *path = build_path (b, TRUE);
      if (n == NULL)
        error_at (b, line, col, path,
                  "alias '*%s' names no anchor; define '&%s' before using it", name, name);
      else
        error_at (b, line, col, path,
                  "alias '*%s' refers to a node that contains it (a cycle)", name);
      b->fatal = TRUE;
      return;
    }
  if (!count_nodes (b, n->weight, TRUE, line, col))
    return;
  if (n->kind == AMS_YNODE_SCALAR && next_is_key (b))
    check_control (b, n, TRUE);
  add_node (b, n);
}

static void
on_scalar (Builder *b, const yaml_event_t *ev)
{
  guint line = (guint) ev->start_mark.line + 1, col = (guint) ev->start_mark.column + 1;
  gsize len = ev->data.scalar.length;
  if (len > b->lim->scalar_bytes)
    {
      g_autofree char *limit = ams_ylimit_size_text (b->lim->scalar_bytes);
      give_up (b, line, col, TRUE,
               "a scalar of %" G_GSIZE_FORMAT " bytes, more than the limit of %s; refusing "
               "to go on", len, limit);
      return;
    }
  if (!count_nodes (b, 1, FALSE, line, col))
    return;
  AmsYNode *n = node_new (b->doc, AMS_YNODE_SCALAR, b->file, line, col);
  n->text = g_string_chunk_insert_len (b->doc->strings, (const char *) ev->data.scalar.value,
                                       (gssize) len);
  n->len = (guint) len; /* at most the scalar limit */
  n->style = scalar_style (ev->data.scalar.style);
  if (!set_tag (b, n, ev->data.scalar.tag))
    return;
  check_control (b, n, next_is_key (b));
  set_anchor (b, n, ev->data.scalar.anchor);
  add_node (b, n);
}

static void
on_start (Builder *b, const yaml_event_t *ev, AmsYNodeKind kind)
{
  const yaml_char_t *anchor, *tag;
  gboolean flow;
  if (kind == AMS_YNODE_SEQUENCE)
    {
      anchor = ev->data.sequence_start.anchor;
      tag = ev->data.sequence_start.tag;
      flow = ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
    }
  else
    {
      anchor = ev->data.mapping_start.anchor;
      tag = ev->data.mapping_start.tag;
      flow = ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
    }
  guint line = (guint) ev->start_mark.line + 1, col = (guint) ev->start_mark.column + 1;
  if (b->stack->len >= b->lim->depth)
    {
      give_up (b, line, col, TRUE,
               "collections nested more than %u deep, the limit; refusing to go on",
               b->lim->depth);
      return;
    }
  if (!count_nodes (b, 1, FALSE, line, col))
    return;
  AmsYNode *n = node_new (b->doc, kind, b->file, line, col);
  n->style = flow ? AMS_YSTYLE_FLOW : AMS_YSTYLE_PLAIN;
  if (!set_tag (b, n, tag))
    return;
  n->open = TRUE;
  set_anchor (b, n, anchor);
  Frame f = { .node = n };
  g_array_append_val (b->stack, f);
}

static void
on_end (Builder *b)
{
  /* libyaml's events are balanced: an end always has its start */
  Frame *f = &g_array_index (b->stack, Frame, b->stack->len - 1);
  AmsYNode *n = f->node;
  guint64 weight = 1;
  if (n->kind == AMS_YNODE_MAPPING)
    {
      resolve_merges (b, f);
      for (guint i = 0; i < n->pairs->len; i++)
        {
          const AmsYPair *p = &g_array_index (n->pairs, AmsYPair, i);
          weight += (guint64) p->key->weight + p->value->weight;
        }
    }
  else
    for (guint i = 0; i < n->items->len; i++)
      weight += ((const AmsYNode *) g_ptr_array_index (n->items, i))->weight;
  n->weight = (guint32) MIN (weight, G_MAXUINT32);
  n->open = FALSE;
  g_array_set_size (b->stack, b->stack->len - 1);
  add_node (b, n);
}

/* ---- libyaml's errors ---- */

/* Start of 0-based line `line` in the data, or NULL. */
static const char *
line_start (const char *data, gsize len, gsize line)
{
  const char *p = data, *end = data + len;
  for (gsize l = 0; l < line; l++)
    {
      while (p < end && *p != '\n' && *p != '\r')
        p++;
      if (p >= end)
        return NULL;
      if (*p == '\r' && p + 1 < end && p[1] == '\n')
        p++;
      p++;
    }
  return p;
}

/* If the problem at (line, col) (0-based) is a tab in the line's
 * indentation, reports it clearly and returns TRUE. */
static gboolean
report_tab (Builder *b, gsize line, gsize col)
{
  const char *p = line_start (b->data, b->len, line);
  if (p == NULL)
    return FALSE;
  const char *end = b->data + b->len;
  gsize indent = 0, first_tab = G_MAXSIZE;
  while (p + indent < end && (p[indent] == ' ' || p[indent] == '\t'))
    {
      if (p[indent] == '\t' && first_tab == G_MAXSIZE)
        first_tab = indent;
      indent++;
    }
  if (first_tab == G_MAXSIZE || col > indent)
    return FALSE;
  error_at (b, (guint) line + 1, (guint) first_tab + 1, NULL,
            "tab character in indentation; YAML indents with spaces");
  return TRUE;
}

static void
report_libyaml (Builder *b, const yaml_parser_t *p)
{
  b->fatal = TRUE;
  if (p->error == YAML_MEMORY_ERROR)
    {
      error_at (b, 1, 1, NULL, "out of memory while reading YAML");
      return;
    }
  gsize line, col;
  if (p->error == YAML_READER_ERROR)
    {
      /* the reader knows the byte offset only */
      line = 0;
      col = 0;
      for (gsize i = 0; i < p->problem_offset && i < b->len; i++)
        if (b->data[i] == '\n')
          line++, col = 0;
        else if (((guchar) b->data[i] & 0xC0) != 0x80)
          col++;
    }
  else
    {
      line = p->problem_mark.line;
      col = p->problem_mark.column;
      if (report_tab (b, line, col))
        return;
      if (p->context != NULL && report_tab (b, p->context_mark.line, p->context_mark.column))
        return;
    }
  error_at (b, (guint) line + 1, (guint) col + 1, NULL, "YAML syntax error: %s",
            p->problem != NULL ? p->problem : "unknown problem");
}

AmsYDoc *
ams_ydoc_parse (const char *display_name, const char *data, gsize len, const char *empty_hint,
                AmsDiag *diag)
{
  return ams_ydoc_parse_limited (display_name, data, len, empty_hint, &ams_ylimits_default,
                                 diag);
}

AmsYDoc *
ams_ydoc_parse_limited (const char *display_name, const char *data, gsize len,
                        const char *empty_hint, const AmsYLimits *limits, AmsDiag *diag)
{
  if (len > limits->input_bytes)
    {
      g_autofree char *limit = ams_ylimit_size_text (limits->input_bytes);
      ams_diag_add_forced (diag, display_name, 1, 1, NULL,
                           "the text is %" G_GSIZE_FORMAT " bytes, more than the limit of %s",
                           len, limit);
      return NULL;
    }
  g_autoptr (AmsYDoc) doc = doc_new ();
  Builder b = {
    .doc = doc,
    .diag = diag,
    .file = g_string_chunk_insert_const (doc->strings, display_name),
    .data = data,
    .len = len,
    .stack = g_array_new (FALSE, TRUE, sizeof (Frame)),
    .anchors = g_hash_table_new (g_str_hash, g_str_equal),
    .lim = limits,
  };
  g_array_set_clear_func (b.stack, frame_clear);

  yaml_parser_t parser;
  yaml_parser_initialize (&parser);
  yaml_parser_set_input_string (&parser, (const unsigned char *) data, len);
  guint docs = 0;
  gboolean done = FALSE;
  while (!done && !b.fatal)
    {
      yaml_event_t ev;
      if (!yaml_parser_parse (&parser, &ev))
        {
          report_libyaml (&b, &parser);
          break;
        }
      switch (ev.type)
        {
        case YAML_STREAM_END_EVENT:
          done = TRUE;
          break;
        case YAML_DOCUMENT_START_EVENT:
          if (docs++ > 0)
            {
              error_at (&b, (guint) ev.start_mark.line + 1, (guint) ev.start_mark.column + 1,
                        NULL, "more than one YAML document; a file holds one");
              b.fatal = TRUE;
            }
          break;
        case YAML_ALIAS_EVENT:
          on_alias (&b, &ev);
          break;
        case YAML_SCALAR_EVENT:
          on_scalar (&b, &ev);
          break;
        case YAML_SEQUENCE_START_EVENT:
          on_start (&b, &ev, AMS_YNODE_SEQUENCE);
          break;
        case YAML_MAPPING_START_EVENT:
          on_start (&b, &ev, AMS_YNODE_MAPPING);
          break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          on_end (&b);
          break;
        case YAML_NO_EVENT:
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
        default:
          break;
        }
      yaml_event_delete (&ev);
    }
  yaml_parser_delete (&parser);
  g_array_unref (b.stack);
  g_hash_table_unref (b.anchors);

  if (!b.fatal && docs == 0)
    {
      if (empty_hint != NULL)
        error_at (&b, 1, 1, NULL, "the file is empty; %s", empty_hint);
      else
        error_at (&b, 1, 1, NULL, "the file is empty");
      b.fatal = TRUE;
    }
  if (b.fatal || doc->root == NULL)
    return NULL;
  return g_steal_pointer (&doc);
}
