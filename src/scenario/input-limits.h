/* amisim — the input limits of every document amisim reads as YAML or
 * JSON: scenarios (`run`, `validate`, `explain`, `sweep`) and `policy eval`
 * requests, both through the loader (ynode.c, loader.c). Each limit is here
 * and only here; docs/limits.md explains them, and the messages that refuse
 * an input name the limit it passed. The policy module's own JSON reader
 * (src/policy/json.c, built-in and pasted policy texts) cannot see this
 * private header and keeps the same values in src/policy/policy-private.h;
 * tests/policy/test_policy_hostile.c holds the two to each other.
 *
 * The values are far above any real estate (a scenario of a million
 * accounts, 47 MB and 5 million nodes, loads with room to spare) and low
 * enough that a hostile file is refused in well under a second, in memory
 * proportional to what it holds. */
#pragma once

/* Bytes of a file or text. A scenario file that is not a regular file
 * (a folder, FIFO, device) is refused before anything is read, and a
 * regular file is never read past this size. */
#define AMS_LIMIT_INPUT_BYTES (256u * 1024 * 1024)

/* Nodes of the document (scalars, sequences and mappings) with every alias
 * expanded: an alias of a 1,000-node anchor counts 1,000. Counted while
 * the YAML is parsed, so an input stops at the node or alias that passes
 * it. This bounds the memory and time of the largest documents. */
#define AMS_LIMIT_NODES 20000000u

/* Of those, the nodes that aliases add (an alias of a 1,000-node anchor
 * adds 1,000). Aliases let a few bytes stand for a large tree, which the
 * loader then walks node by node and the policy reader copies; this bounds
 * that amplification, so that an alias bomb stops at once and no short
 * file can cost much more than a long one. */
#define AMS_LIMIT_ALIAS_NODES 1000000u

/* Collections (sequences, mappings, JSON arrays and objects) nested in one
 * another. The deepest real path, a condition value of a key policy in a
 * scenario, is twelve. */
#define AMS_LIMIT_DEPTH 64u

/* Bytes of one scalar (a string, number or key), after YAML or JSON
 * unescaping. The longest real value, a component's inline document, has
 * at most 16,000 characters. */
#define AMS_LIMIT_SCALAR_BYTES (1024u * 1024)

/* Policy documents written as strings and repeated by YAML aliases hold
 * at most this much text together, each use counted: eight strings of
 * the largest size. Each use is parsed and compiled, and an alias repeats
 * a string of up to the scalar limit for a few bytes, where an alias of a
 * mapping counts its nodes against AMS_LIMIT_ALIAS_NODES; this keeps a
 * short file from costing much more than a long one. A string used once
 * is part of the file and needs no other bound. */
#define AMS_LIMIT_POLICY_ALIAS_TEXT_BYTES (8u * AMS_LIMIT_SCALAR_BYTES)

/* Key/value pairs that merge keys (<<) copy into mappings, over the whole
 * document: merging shares nodes but copies the pairs. */
#define AMS_LIMIT_MERGED_PAIRS 1000000u
