/* amisim — policy module internals shared by the files of src/policy/.
 *
 * A compiled AmsPolicy is a list of statements whose strings have already
 * been checked and turned into matchers: action and resource patterns,
 * principals, and condition blocks with their operator, set qualifier and
 * typed values. Nothing here refers back to the AmsValue tree the policy was
 * compiled from; source locations are copied into the policy's own string
 * chunk. Symbols shared between files carry the `ams__` prefix (internal,
 * not part of policy.h's contract).
 */
#pragma once

#include "amisim/policy.h"
#include "amisim/text.h"

G_BEGIN_DECLS

/* ---- error reporting while compiling ----------------------------------- */

/* Passed down through every compile step: where problems go and how many. */
typedef struct
{
  AmsPolicyErrorFn report;
  void *user;
  guint n_errors;
} AmsReporter;

void ams__report (AmsReporter *r, const AmsSrcLoc *loc, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

/* Control characters in the strings and member names of a document: C0
 * (NUL, tab, line feed, escape, ...), DEL and C1. No policy or request
 * string may hold one (an Action, Resource, Principal, Condition key or
 * value, Sid, an ARN of the request): a tab or line feed would be matched
 * as itself, or forge lines where the string is printed. Reports each one
 * (where it was written, which character, at which character of the
 * string) and returns FALSE if there was any. Every document the module
 * compiles goes through it first. */
gboolean ams__check_controls (const AmsValue *v, AmsReporter *r);

/* NULL when `s` holds no control character; else a new "control character
 * U+0009 (tab) at character 4" for the first one. */
char *ams__find_control (const char *s);

/* ---- patterns ----------------------------------------------------------- */

/* Matchers work on an internal pattern form in which '\' escapes the next
 * character, so that a '*' or '?' that came from a policy variable's value
 * or from ${*} / ${?} is literal while the ones written in the policy are
 * wildcards. */

/* One piece of a string written in a policy (see AmsTemplate). */
typedef enum
{
  AMS__SEG_TEXT,     /* text as written: '*' and '?' are wildcards */
  AMS__SEG_LITERAL,  /* ${*}, ${?}, ${$}: one literal character      */
  AMS__SEG_VARIABLE, /* ${key} or ${key, 'default'}                  */
} AmsSegKind;

typedef struct
{
  AmsSegKind kind;
  char *text;     /* TEXT: the text; LITERAL: the character; VARIABLE: key (lower case) */
  char *fallback; /* VARIABLE: the default value, or NULL */
} AmsSegment;

/* A string from a Resource element or a String… or Arn… condition value. With
 * no policy variable in it, `pattern` is its internal form, ready to match;
 * otherwise `segments` are expanded against each request's context. */
typedef struct
{
  char *text;        /* as written */
  char *pattern;     /* internal form, or NULL when there are variables */
  GArray *segments;  /* of AmsSegment, NULL when there are none */
  guint colons;      /* ':' in the text outside ${…}: an ARN has at least 5 */
} AmsTemplate;

/* Compiles `text` (at `loc`). `variables` is whether policy variables are
 * interpreted (Version 2012-10-17): when FALSE, a "${" is reported as an
 * error rather than silently kept as literal text. `arn`: the text is an
 * ARN (Resource, NotResource, Arn… condition values), where IAM replaces
 * variables only in the resource part, after the fifth colon; a variable
 * before it is reported. NULL after reporting. */
AmsTemplate *ams__template_new (const char *text, gboolean variables, gboolean arn,
                                const AmsSrcLoc *loc, AmsReporter *r);
void ams__template_free (AmsTemplate *t);
/* The internal pattern for this request: borrowed `pattern` or, with
 * variables, a new string stored in *owned (free it). NULL when a variable
 * has no single value in `ctx` and no default: the string matches nothing. */
const char *ams__template_expand (const AmsTemplate *t, const AmsContext *ctx, char **owned);

/* Internal form of plain text: '\', '*' and '?' escaped (all literal). */
char *ams__escape (const char *text);
/* Internal form of a pattern written in a policy: '*' and '?' stay
 * wildcards, only '\' is escaped. */
char *ams__written (const char *text);
/* Matches internal pattern `pat` against `s`. `wild`: '*' matches any run of
 * characters and '?' any one (otherwise both are literal); `icase`: ASCII
 * case folded. */
gboolean ams__glob (const char *pat, const char *s, gboolean wild, gboolean icase);
/* ARN matching of the Arn* operators: both split into their six
 * colon-separated parts (the last may contain colons), each part matched on
 * its own with wildcards. FALSE when either is not a six-part ARN. */
gboolean ams__arn_match (const char *pat, const char *arn);
/* Resource matching: "*" matches anything; two six-part ARNs are compared
 * part by part; anything else as one case-sensitive wildcard string. */
gboolean ams__resource_match (const char *pat, const char *resource);
/* Splits an ARN at its first five colons. TRUE if it has six parts;
 * parts[i] point into `buf` (a copy the caller frees). */
gboolean ams__arn_split (const char *arn, char **buf, const char *parts[6]);
/* Twelve digits: an AWS account ID. */
gboolean ams__is_account_id (const char *s);

/* ---- context ------------------------------------------------------------ */

/* Values of a key already in lower case (no allocation on the hot path). */
const char *const *ams__context_get_lc (const AmsContext *c, const char *key_lc);

/* Whether `key_lc` (lower case) is a global key that IAM documents as
 * multivalued (aws:PrincipalOrgPaths, aws:TagKeys, aws:CalledVia, …): one
 * that needs ForAnyValue:/ForAllValues: and cannot be a policy variable,
 * however many values a request gives it. */
gboolean ams__key_is_multivalued (const char *key_lc);

/* ---- conditions --------------------------------------------------------- */

typedef struct AmsCondition AmsCondition;

/* Compiles one Condition block (the object under "Condition"); the
 * compiled conditions are appended to `out`, and warnings (messages, char*)
 * about conditions that compile but cannot mean what they say to
 * `warnings`. FALSE after reporting. */
gboolean ams__conditions_compile (const AmsValue *block, gboolean variables, GPtrArray *out,
                                  GPtrArray *warnings, AmsReporter *r);
void ams__condition_free (AmsCondition *c);
/* Whether one compiled condition holds for the request's context. */
gboolean ams__condition_eval (const AmsCondition *c, const AmsContext *ctx);
/* Why a condition does not hold, for people: "ForAnyValue:StringLike on
 * aws:PrincipalOrgPaths [\"o-…/ou-a/ *\"] is false for [\"o-…/ou-b/\"]". Free with g_free. */
char *ams__condition_explain (const AmsCondition *c, const AmsContext *ctx);

/* ---- compiled policies -------------------------------------------------- */

typedef enum
{
  AMS__PRIN_ANY,     /* "*" or {"AWS": "*"}                          */
  AMS__PRIN_ACCOUNT, /* 12 digits or arn:aws:iam::ID:root: the account */
  AMS__PRIN_ARN,     /* a role, user or assumed-role ARN, exactly      */
  AMS__PRIN_SERVICE, /* {"Service": "x.amazonaws.com"}                 */
} AmsPrinKind;

typedef struct
{
  AmsPrinKind kind;
  char *value; /* account id, ARN or service name; NULL for ANY */
  /* A role ARN: "arn:PARTITION:sts::ACCOUNT:assumed-role/NAME/", the
   * prefix of the ARNs of its sessions, which a Principal naming the role
   * grants; NULL otherwise. */
  char *sessions;
} AmsPrincipal;

typedef struct
{
  char *sid;
  gboolean allow;
  AmsSrcLoc loc;            /* strings owned by the policy's chunk */
  char *json;               /* the statement as written, compact   */

  gboolean has_principal;   /* Principal or NotPrincipal present   */
  gboolean not_principal;
  GArray *principals;       /* of AmsPrincipal                     */

  gboolean not_action;
  GPtrArray *actions;       /* of char*, internal pattern form     */

  gboolean has_resource;    /* Resource or NotResource present     */
  gboolean not_resource;
  GPtrArray *resources;     /* of AmsTemplate*                     */

  GPtrArray *conditions;    /* of AmsCondition*                    */
  GPtrArray *warnings;      /* of char*: compile warnings          */
} AmsStatement;

struct AmsPolicy
{
  gint ref;
  char *name;
  AmsPolicyKind kind;
  gboolean variables;       /* Version 2012-10-17 */
  GPtrArray *statements;    /* of AmsStatement*; owned unless `sources` is set */
  GStringChunk *strings;    /* loc file and path strings */
  GPtrArray *sources;       /* an edited policy: the policies its statements belong to */
};

void ams__statement_free (AmsStatement *s);

/* How a resource-policy statement's principal element matched the request. */
typedef enum
{
  AMS__MATCH_NONE,
  AMS__MATCH_ACCOUNT, /* names the principal's account: a delegation */
  AMS__MATCH_DIRECT,  /* names the principal itself, or "*"          */
} AmsMatch;

/* Whether statement `s` of a policy of `kind` applies to `req`: action,
 * resource, principal (resource policies only) and conditions. */
AmsMatch ams__statement_match (const AmsStatement *s, AmsPolicyKind kind, const AmsRequest *req);

/* Whether `action` (case-insensitive) is part of assuming a role:
 * sts:AssumeRole…, and sts:TagSession and sts:SetSourceIdentity, which a
 * role's trust policy must allow too when the caller passes session tags or
 * a source identity. */
gboolean ams__action_assumes_role (const char *action);

/* ---- documents held as JSON strings (ams_policy_compile_string) --------- */

/* Relays what the JSON reader and the compiler report about a document
 * held in a string AmsValue to the caller's callback, at the string's own
 * location: the path is the string's joined with the one inside, and the
 * message starts "in the JSON string at line L, column C: ", L and C
 * counted in the string's text (after the escapes of the YAML or JSON it
 * was written in are decoded; line 1 is the string's first). `file` names
 * the text as a file of its own, so that its locations (the reader's
 * pointer, or the copy `interned` in the parsed document) are told apart
 * from any other. */
typedef struct
{
  AmsPolicyErrorFn report;
  void *user;
  const AmsValue *text;
  char *file;
  const char *interned;
} AmsStringRelay;

/* Parses the JSON document held in `text` (a string), setting up `sr`
 * (clear it with ams__string_relay_clear whatever the result). NULL after
 * reporting: a string that is empty or does not start with '{' (at the
 * string's location), a syntax error or a limit passed (relayed). */
AmsValueDoc *ams__string_doc_parse (AmsStringRelay *sr, const AmsValue *text,
                                    AmsPolicyErrorFn report, void *user);
/* Compiles `root` (parsed by ams__string_doc_parse with `sr`), problems
 * relayed; the statements are cited at the string's location. */
AmsPolicy *ams__string_doc_compile (AmsStringRelay *sr, const AmsValue *root, AmsPolicyKind kind,
                                    const char *name);
void ams__string_relay_clear (AmsStringRelay *sr);

/* ---- JSON text -> AmsValue (for built-in documents and callers' texts) -- */

/* The limits of the JSON reader: the values of the scenario loader's
 * (src/scenario/input-limits.h, docs/limits.md), which this module cannot
 * include; tests/policy/test_policy_hostile.c holds the two together. JSON
 * has no aliases: every node is written. */
#define AMS__JSON_MAX_BYTES (256u * 1024 * 1024) /* the text */
#define AMS__JSON_MAX_NODES 20000000u            /* values, members included */
#define AMS__JSON_MAX_DEPTH 64u                  /* arrays and objects nested */
#define AMS__JSON_MAX_STRING (1024u * 1024)      /* bytes of a string, unescaped */
/* Bytes of all the policy documents a `policy eval` request gives as
 * strings, each use counted: eight strings of the largest size. Each is
 * parsed and compiled, and a YAML alias repeats one for a few bytes. */
#define AMS__JSON_MAX_STRING_DOCS (8u * AMS__JSON_MAX_STRING)

/* Parses one JSON document. Locations carry `file`, 1-based line and
 * column, and paths like the scenario loader's ("Statement[0].Effect").
 * NULL after reporting the first syntax error or limit passed. */
AmsValueDoc *ams__json_parse (const char *file, const char *text, AmsReporter *r);

/* Appends `v` as compact JSON. */
void ams__json_write (GString *out, const AmsValue *v);

G_END_DECLS
