/* amisim — positioned document trees (JSON-shaped), with no YAML in sight.
 *
 * Documents that amisim interprets beyond the scenario's own keys (IAM
 * policy documents pasted into a scenario, the request file of `amisim
 * policy eval`) reach their interpreters as AmsValue trees: null, booleans,
 * numbers and strings (scalars keep the text as written), arrays and
 * objects, every node with its source location. The scenario loader, the
 * only code that knows YAML, builds them (ams_value_load_* in scenario.h's
 * module); the policy module reads them.
 *
 * A tree is owned by its AmsValueDoc: nodes and strings live as long as the
 * document, and are freed with it.
 */
#pragma once

#include <glib.h>
#include "amisim/srcloc.h"

G_BEGIN_DECLS

typedef enum
{
  AMS_VALUE_NULL,
  AMS_VALUE_BOOL,   /* text "true" or "false" (as written: may be "True") */
  AMS_VALUE_NUMBER, /* text as written: "42", "-1.5", "1e3" */
  AMS_VALUE_STRING,
  AMS_VALUE_ARRAY,
  AMS_VALUE_OBJECT,
} AmsValueKind;

typedef struct AmsValue AmsValue;

struct AmsValue
{
  AmsValueKind kind;
  const char *text;      /* scalars (NULL, BOOL, NUMBER, STRING): the text; "" for null */
  AmsSrcLoc loc;         /* where the value was written, with its path */
  guint n;               /* ARRAY, OBJECT: number of items / members */
  AmsValue **items;      /* ARRAY: items; OBJECT: member values */
  const char **keys;     /* OBJECT: member names, in document order */
  AmsSrcLoc *key_locs;   /* OBJECT: where each member name was written */
};

typedef struct AmsValueDoc AmsValueDoc;

/* An empty document; add nodes with the builders below, set the root. */
AmsValueDoc *ams_value_doc_new (void);
void ams_value_doc_free (AmsValueDoc *doc); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsValueDoc, ams_value_doc_free)

const AmsValue *ams_value_doc_root (const AmsValueDoc *doc);
void ams_value_doc_set_root (AmsValueDoc *doc, AmsValue *root);

/* A string owned by the document. */
const char *ams_value_doc_intern (AmsValueDoc *doc, const char *s);

/* Builders: nodes owned by `doc`; `loc` strings are interned. Arrays and
 * objects start empty and grow with ams_value_append / ams_value_set_member. */
AmsValue *ams_value_new_scalar (AmsValueDoc *doc, AmsValueKind kind, const char *text,
                                const AmsSrcLoc *loc);
AmsValue *ams_value_new_array (AmsValueDoc *doc, const AmsSrcLoc *loc);
AmsValue *ams_value_new_object (AmsValueDoc *doc, const AmsSrcLoc *loc);
void ams_value_append (AmsValueDoc *doc, AmsValue *array, AmsValue *item);
void ams_value_set_member (AmsValueDoc *doc, AmsValue *object, const char *key,
                           const AmsSrcLoc *key_loc, AmsValue *value);

/* The member `key` of an object (exact match), or NULL (also for non-objects). */
const AmsValue *ams_value_get (const AmsValue *object, const char *key);
/* Index of member `key`, or -1. */
int ams_value_index (const AmsValue *object, const char *key);
/* TRUE for STRING, NUMBER and BOOL: values that IAM compares as strings. */
gboolean ams_value_is_scalar (const AmsValue *v);
/* "null", "a boolean", "a number", "a string", "an array", "an object". */
const char *ams_value_describe (const AmsValue *v);

G_END_DECLS
