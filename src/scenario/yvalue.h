/* amisim — scenario loader: YAML nodes to AmsValue trees (private).
 *
 * Documents interpreted outside the loader (IAM policies) leave it as
 * AmsValue trees, so that their interpreters need no YAML. A scalar's kind
 * follows YAML's core schema: quoted or block scalars are strings; plain
 * null/~/empty is null; plain true/false is a boolean; a plain number is a
 * number; anything else is a string. Aliases are expanded (the result is a
 * tree), merged keys come after explicit ones. */
#pragma once

#include "amisim/value.h"
#include "ynode.h"

G_BEGIN_DECLS

/* Converts `n` and everything below it into nodes of `doc`; `path` is the
 * document path of `n` ("" for a root). Never fails: every YAML tree has a
 * JSON-shaped reading (mapping keys are read as their text). */
AmsValue *ams_value_from_ynode (AmsValueDoc *doc, const AmsYNode *n, const char *path);

G_END_DECLS
