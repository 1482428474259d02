/* amisim — scenario loader: the YAML document as a tree of positioned nodes
 * (private to src/scenario/; also meant for the policy parser, which reads
 * IAM JSON documents embedded in scenarios or given on their own).
 *
 * Built from libyaml's event stream rather than its document API so that
 * each node keeps what was written: 1-based line and column, the scalar's
 * raw text (an unquoted account id 012345678901 keeps its leading zero), its
 * style (plain or quoted) and tag. Anchors and aliases share nodes (an alias
 * is the anchored node itself, so the tree is a DAG; `refs` counts the
 * holders); merge keys (<<) are resolved into the mapping, where merged
 * pairs are marked. Problems (syntax, duplicate keys, several documents, an
 * empty file, tabs in indentation) go to an AmsDiag, and so do inputs past
 * the limits of input-limits.h (size, nodes with aliases expanded, nesting depth,
 * scalar length), tags outside YAML's core schema and control characters
 * (ams_ynode_find_control): the parse stops at the first of these.
 */
#pragma once

#include <glib.h>
#include "amisim/scenario.h"
#include "diag.h"

G_BEGIN_DECLS

typedef enum
{
  AMS_YNODE_SCALAR,
  AMS_YNODE_SEQUENCE,
  AMS_YNODE_MAPPING,
} AmsYNodeKind;

typedef enum
{
  AMS_YSTYLE_PLAIN,   /* scalars: unquoted; collections: block */
  AMS_YSTYLE_SINGLE_QUOTED,
  AMS_YSTYLE_DOUBLE_QUOTED,
  AMS_YSTYLE_LITERAL, /* | */
  AMS_YSTYLE_FOLDED,  /* > */
  AMS_YSTYLE_FLOW,    /* collections written [..] or {..} (JSON) */
} AmsYStyle;

typedef struct _AmsYNode AmsYNode;

typedef struct
{
  AmsYNode *key;
  AmsYNode *value;
  gboolean merged; /* came in through a merge key (<<) */
} AmsYPair;

struct _AmsYNode
{
  const char *file;   /* display name, or an override's origin ("--set") */
  const char *tag;    /* as resolved by libyaml ("tag:yaml.org,2002:str"): a core tag, or NULL */
  const char *anchor; /* NULL if none */
  const char *text;   /* SCALAR: the text as written (after YAML unescaping), NUL-terminated */
  union
  {
    GPtrArray *items; /* SEQUENCE: of AmsYNode*, borrowed from the document */
    GArray *pairs;    /* MAPPING: of AmsYPair, explicit pairs first, then merged ones */
  };
  guint len;          /* SCALAR: length of text (it may contain NUL) */
  guint line;         /* 1-based */
  guint col;          /* 1-based, in characters */
  guint refs;         /* number of places in the tree holding this node */
  guint32 weight;     /* nodes of the tree it stands for, itself included, aliases
                         expanded; G_MAXUINT32 for more */
  AmsYNodeKind kind : 8;
  AmsYStyle style : 8;
  guint open : 1;     /* while it is being built (an alias to it would be a cycle) */
  guint controls : 1; /* SCALAR: holds a control character no text may hold, reported
                         where it was read (parse, override) */
};

typedef struct
{
  GStringChunk *strings; /* texts, tags, anchors, file names */
  GPtrArray *blocks;     /* own every node: arrays of nodes, allocated a block at a time */
  guint used;            /* nodes taken from the last block */
  AmsYNode *root;
} AmsYDoc;

/* The limits of one parse: input-limits.h's (ams_ylimits_default), or
 * smaller ones where a test needs to reach them cheaply. */
typedef struct
{
  gsize input_bytes;
  guint64 nodes;        /* with aliases expanded */
  guint64 alias_nodes;  /* what aliases add */
  guint depth;
  gsize scalar_bytes;
  guint64 merged_pairs;
} AmsYLimits;

extern const AmsYLimits ams_ylimits_default;

/* Parses one YAML document (JSON is YAML flow style). On any problem adds
 * it to `diag` and returns NULL; `display_name` is the file in positions;
 * `empty_hint` (may be NULL) follows "the file is empty; " in that message. */
AmsYDoc *ams_ydoc_parse (const char *display_name, const char *data, gsize len,
                         const char *empty_hint, AmsDiag *diag);
/* The same within `limits`. */
AmsYDoc *ams_ydoc_parse_limited (const char *display_name, const char *data, gsize len,
                                 const char *empty_hint, const AmsYLimits *limits,
                                 AmsDiag *diag);

/* "256 MiB", "1 KiB" or "1000 bytes": a size in a limit's message. */
char *ams_ylimit_size_text (gsize bytes);
void ams_ydoc_free (AmsYDoc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsYDoc, ams_ydoc_free)

/* New nodes owned by `doc`, at (file, line, col). A new scalar is plain. */
AmsYNode *ams_ydoc_new_scalar (AmsYDoc *doc, const char *file, guint line, guint col,
                               const char *text);
AmsYNode *ams_ydoc_new_mapping (AmsYDoc *doc, const char *file, guint line, guint col);
AmsYNode *ams_ydoc_new_sequence (AmsYDoc *doc, const char *file, guint line, guint col);

/* Applies a command-line override (override.c): sets the scalar at
 * ov->path to ov->value as a plain scalar, creating missing mapping keys,
 * copying nodes shared through aliases or merges so that only this path
 * changes. Problems go to `diag` at (ov->origin, 1, 1). */
gboolean ams_ydoc_apply_override (AmsYDoc *doc, const AmsOverride *ov, AmsDiag *diag);

/* The value of `key` in a mapping (explicit or merged), or NULL. */
AmsYNode *ams_ynode_lookup (const AmsYNode *map, const char *key);

/* A plain scalar ~, null, Null, NULL or empty (or tagged !!null). */
gboolean ams_ynode_is_null (const AmsYNode *n);

/* TRUE for a scalar that YAML reads as a string no matter what it looks
 * like: quoted, a block scalar, or tagged !!str. */
gboolean ams_ynode_is_string (const AmsYNode *n);

/* "a mapping", "a sequence", "null", or for other scalars "a scalar". */
const char *ams_ynode_describe (const AmsYNode *n);

/* Control characters in the `len` bytes of UTF-8 `text`: the C0 controls
 * (U+0000-U+001F: NUL, escape, carriage return, ...), DEL (U+007F) and the
 * C1 controls (U+0080-U+009F). Free text (a description, a component's
 * document) may hold tabs and line feeds; names, ids, keys, values and
 * policy strings none. Returns NULL when there is none to refuse, else a
 * new message naming the first one and where it is in the string:
 * "control character U+0000 (NUL) at character 12". */
char *ams_ynode_find_control (const char *text, gsize len, gboolean free_text);

G_END_DECLS
