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
 *   (libyaml says "found character that cannot start any token").
 */
#include "ynode.h"

#include <string.h>
#include <yaml.h>

/* Merges copy pairs; a short file can ask for a lot of them. */
#define MAX_MERGED_PAIRS 1000000

#define TAG_STR "tag:yaml.org,2002:str"
#define TAG_NULL "tag:yaml.org,2002:null"
#define TAG_MERGE "tag:yaml.org,2002:merge"

typedef struct
{
  AmsYNode *node;     /* SEQUENCE or MAPPING being built */
  AmsYNode *key;      /* MAPPING: key waiting for its value */
  GHashTable *keys;   /* MAPPING: explicit key text -> key node */
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
  guint64 merged_pairs;
  gboolean fatal;
} Builder;

static AmsYNode *
node_new (AmsYDoc *doc, AmsYNodeKind kind, const char *file, guint line, guint col)
{
  AmsYNode *n = g_new0 (AmsYNode, 1);
  n->kind = kind;
  n->file = file;
  n->line = line;
  n->col = col;
  if (kind == AMS_YNODE_SEQUENCE)
    n->items = g_ptr_array_new ();
  else if (kind == AMS_YNODE_MAPPING)
    n->pairs = g_array_new (FALSE, TRUE, sizeof (AmsYPair));
  g_ptr_array_add (doc->nodes, n);
  return n;
}

static void
node_free (gpointer p)
{
  AmsYNode *n = p;
  if (n->items != NULL)
    g_ptr_array_unref (n->items);
  if (n->pairs != NULL)
    g_array_unref (n->pairs);
  g_free (n);
}

static AmsYDoc *
doc_new (void)
{
  AmsYDoc *doc = g_new0 (AmsYDoc, 1);
  doc->strings = g_string_chunk_new (4096);
  doc->nodes = g_ptr_array_new_with_free_func (node_free);
  return doc;
}

void
ams_ydoc_free (AmsYDoc *doc)
{
  if (doc == NULL)
    return;
  g_ptr_array_unref (doc->nodes);
  g_string_chunk_free (doc->strings);
  g_free (doc);
}

AmsYNode *
ams_ydoc_new_scalar (AmsYDoc *doc, const char *file, guint line, guint col, const char *text)
{
  AmsYNode *n = node_new (doc, AMS_YNODE_SCALAR,
                          g_string_chunk_insert_const (doc->strings, file), line, col);
  n->text = g_string_chunk_insert (doc->strings, text);
  n->len = strlen (text);
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
  g_string_append (path, key != NULL && key->kind == AMS_YNODE_SCALAR ? key->text : "?");
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

/* ---- adding finished nodes ---- */

static gboolean
is_merge_key (const AmsYNode *key)
{
  return key->kind == AMS_YNODE_SCALAR && strcmp (key->text, "<<") == 0
         && ((key->style == AMS_YSTYLE_PLAIN && key->tag == NULL)
             || g_strcmp0 (key->tag, TAG_MERGE) == 0);
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
      if (f->keys == NULL)
        f->keys = g_hash_table_new (g_str_hash, g_str_equal);
      const AmsYNode *first = g_hash_table_lookup (f->keys, key->text);
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
      g_hash_table_insert (f->keys, (gpointer) key->text, key);
    }
  AmsYPair pair = { key, value, FALSE };
  key->refs++;
  value->refs++;
  g_array_append_val (f->node->pairs, pair);
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
  if (f->keys == NULL)
    f->keys = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < src->pairs->len && !b->fatal; i++)
    {
      const AmsYPair *p = &g_array_index (src->pairs, AmsYPair, i);
      if (p->key->kind == AMS_YNODE_SCALAR)
        {
          if (g_hash_table_contains (f->keys, p->key->text))
            continue;
          g_hash_table_insert (f->keys, (gpointer) p->key->text, p->key);
        }
      if (++b->merged_pairs > MAX_MERGED_PAIRS)
        {
          g_autofree char *path = build_path (b, FALSE);
          error_at (b, f->node->line, f->node->col, path,
                    "merge keys (<<) expand to more than %d keys; refusing to go on",
                    MAX_MERGED_PAIRS);
          b->fatal = TRUE;
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

static const char *
intern (Builder *b, const yaml_char_t *s)
{
  return s != NULL ? g_string_chunk_insert_const (b->doc->strings, (const char *) s) : NULL;
}

static void
set_anchor (Builder *b, AmsYNode *n, const yaml_char_t *anchor)
{
  if (anchor == NULL)
    return;
  n->anchor = intern (b, anchor);
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
  add_node (b, n);
}

static void
on_scalar (Builder *b, const yaml_event_t *ev)
{
  AmsYNode *n = node_new (b->doc, AMS_YNODE_SCALAR, b->file,
                          (guint) ev->start_mark.line + 1, (guint) ev->start_mark.column + 1);
  n->text = g_string_chunk_insert_len (b->doc->strings, (const char *) ev->data.scalar.value,
                                       (gssize) ev->data.scalar.length);
  n->len = ev->data.scalar.length;
  n->style = scalar_style (ev->data.scalar.style);
  n->tag = intern (b, ev->data.scalar.tag);
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
  AmsYNode *n = node_new (b->doc, kind, b->file,
                          (guint) ev->start_mark.line + 1, (guint) ev->start_mark.column + 1);
  n->style = flow ? AMS_YSTYLE_FLOW : AMS_YSTYLE_PLAIN;
  n->tag = intern (b, tag);
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
  if (f->node->kind == AMS_YNODE_MAPPING)
    resolve_merges (b, f);
  AmsYNode *n = f->node;
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
  g_autoptr (AmsYDoc) doc = doc_new ();
  Builder b = {
    .doc = doc,
    .diag = diag,
    .file = g_string_chunk_insert_const (doc->strings, display_name),
    .data = data,
    .len = len,
    .stack = g_array_new (FALSE, TRUE, sizeof (Frame)),
    .anchors = g_hash_table_new (g_str_hash, g_str_equal),
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
