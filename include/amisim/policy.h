/* amisim — IAM policy documents: compile once, evaluate many times.
 *
 * The subset of IAM policy evaluation that decides AMI distribution
 * (DOMAIN.md §2): identity policies, resource policies (KMS key policies,
 * role trust policies, other resource policies) and service control
 * policies, with Principal/NotPrincipal, Action/NotAction,
 * Resource/NotResource (wildcards * and ?), and Condition blocks with the
 * String*, Arn*, Bool, Null, Numeric* and Date* operators, their …IfExists
 * forms and the ForAnyValue:/ForAllValues: set qualifiers.
 *
 * A document is compiled from an AmsValue tree (value.h) once; constructs
 * outside that subset are compile errors that name them, never a silent
 * allow, and constructs IAM accepts but that cannot mean what they say are
 * compile warnings (ams_policy_warning). Evaluation answers Allow,
 * ImplicitDeny or ExplicitDeny and says which statements decided it.
 *
 * The module knows nothing of YAML, scenarios or AMIs.
 */
#pragma once

#include <glib.h>
#include "amisim/srcloc.h"
#include "amisim/value.h"

G_BEGIN_DECLS

/* ---- compiled documents ------------------------------------------------- */

typedef enum
{
  AMS_POLICY_IDENTITY, /* attached to a user or role: no Principal allowed    */
  AMS_POLICY_RESOURCE, /* on a resource (key policy, trust policy, …): Principal or
                          NotPrincipal required                                  */
  AMS_POLICY_SCP,      /* service control policy: no Principal                 */
} AmsPolicyKind;

typedef struct AmsPolicy AmsPolicy;

/* Called once per problem found while compiling; `loc` is where the
 * offending value (or key) was written, with its document path. */
typedef void (*AmsPolicyErrorFn) (void *user, const AmsSrcLoc *loc, const char *message);

/* Compiles `doc` (a policy document object: Version, Id, Statement) as a
 * policy of `kind`. `name` names it in verdicts ("key policy of
 * alias/ami-factory"; copied). Reports every problem through `report` and
 * returns NULL if there was any. The result does not refer to `doc`.
 *
 * Among the errors: a policy variable in an ARN (Resource, NotResource, an
 * Arn… condition value) before its fifth colon, i.e. in the partition,
 * service, region or account part: IAM replaces variables only in the
 * resource part. Warnings (not errors; see ams_policy_warning): an
 * operator without ForAnyValue:/ForAllValues: on a key IAM documents as
 * multivalued (aws:PrincipalOrgPaths, aws:ResourceOrgPaths,
 * aws:SourceOrgPaths, aws:VpceOrgPaths, aws:TagKeys, aws:CalledVia,
 * aws:PrincipalServiceNamesList), which never matches a request that has
 * the key. */
AmsPolicy *ams_policy_compile (const AmsValue *doc, AmsPolicyKind kind, const char *name,
                               AmsPolicyErrorFn report, void *user);

/* Like ams_policy_compile, for a document held as JSON text (built-in or
 * default policies written in C). `display_name` is the file name in
 * locations ("builtin:Name"); JSON syntax errors are reported through
 * `report` like compile errors. NULL if there was any problem. */
AmsPolicy *ams_policy_compile_json (const char *display_name, const char *json,
                                    AmsPolicyKind kind, const char *name,
                                    AmsPolicyErrorFn report, void *user);

/* Like ams_policy_compile, for a document held in a string: `text` is a
 * string AmsValue whose text is the JSON document (what kms
 * get-key-policy, Organizations describe-policy and Terraform state give),
 * and whose location is where the string was written, with its path. The
 * text is read with this module's JSON reader, within its limits.
 * Everything found inside the string (JSON syntax, limits, control
 * characters, compile errors) is reported through `report` at the
 * string's own location, the path going on into the document
 * ("accounts[0].kms_keys[0].policy.Statement[0].Effect"), the message
 * starting "in the JSON string at line L, column C: " (L and C counted in
 * the string's text, line 1 its first). A string that is empty or does
 * not hold a JSON object is refused ("expected a policy document ...").
 * The statements are cited at the string's location, and their warnings
 * (ams_policy_warning) start like the errors. NULL if there was any
 * problem. */
AmsPolicy *ams_policy_compile_string (const AmsValue *text, AmsPolicyKind kind, const char *name,
                                      AmsPolicyErrorFn report, void *user);

/* Compiles a document that amisim itself ships (the service-linked role's
 * permissions, default key policies): its text is part of the program, so
 * a problem in it is a bug, reported as a critical message. `name` is used
 * both in locations ("builtin:<name>") and in verdicts. */
AmsPolicy *ams_policy_builtin (const char *name, const char *json, AmsPolicyKind kind);

/* A new policy like `base`, without its statements whose Sid is
 * `remove_sid` (NULL: none; *removed gets how many) and with the
 * statements of `add` (same kind; NULL: none) appended: what-if edits of a
 * key or trust policy. The statements keep where they were written. */
AmsPolicy *ams_policy_edit (AmsPolicy *base, const char *remove_sid, AmsPolicy *add,
                            guint *removed);

/* A new policy like `base` without its statement i (< the number of
 * statements): a statement removed whatever its Sid. */
AmsPolicy *ams_policy_without (AmsPolicy *base, guint i);

/* Reference counting: a policy shared by many accounts (account_sets) is
 * compiled once. ams_policy_unref accepts NULL. */
AmsPolicy *ams_policy_ref (AmsPolicy *p);
void ams_policy_unref (AmsPolicy *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsPolicy, ams_policy_unref)

const char *ams_policy_name (const AmsPolicy *p);
AmsPolicyKind ams_policy_kind (const AmsPolicy *p);
guint ams_policy_n_statements (const AmsPolicy *p);
/* The statement's Sid, or NULL. */
const char *ams_policy_statement_sid (const AmsPolicy *p, guint i);
/* TRUE for Effect Allow, FALSE for Deny. */
gboolean ams_policy_statement_allows (const AmsPolicy *p, guint i);
/* Where the statement was written; for a document compiled from a JSON
 * string (ams_policy_compile_string), where the string was written, the
 * path going on to the statement ("….policy.Statement[1]"): a position
 * inside the string is a line and column of the string's text, not of the
 * file, and is given in messages instead. */
const AmsSrcLoc *ams_policy_statement_loc (const AmsPolicy *p, guint i);
/* The statement as compact one-line JSON, as a person would paste it
 * (keys in document order). Free with g_free. */
char *ams_policy_statement_to_json (const AmsPolicy *p, guint i);

/* Compile warnings, in statement order: things IAM accepts but that do not
 * do what they seem to (see ams_policy_compile). ams_policy_warning
 * returns warning `i`'s message (borrowed, one sentence or two, no
 * location in it) and, if `loc` is not NULL, sets *loc to where the
 * statement it is about was written. An edited policy (ams_policy_edit)
 * has the warnings of the statements it keeps. */
guint ams_policy_n_warnings (const AmsPolicy *p);
const char *ams_policy_warning (const AmsPolicy *p, guint i, const AmsSrcLoc **loc);

/* ---- requests ------------------------------------------------------------ */

/* Request context keys: names case-insensitive, each with one or more
 * string values (aws:PrincipalOrgPaths is multi-valued). A condition
 * operator without ForAnyValue:/ForAllValues: does not match a key that
 * IAM documents as multivalued, nor one given several values (IAM requires
 * a set operator for them). */
typedef struct AmsContext AmsContext;

AmsContext *ams_context_new (void);
void ams_context_free (AmsContext *c); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsContext, ams_context_free)
/* Adds one more value to `key` (creating it). */
void ams_context_add (AmsContext *c, const char *key, const char *value);
/* Replaces every value of `key` with this one. */
void ams_context_set (AmsContext *c, const char *key, const char *value);
void ams_context_remove (AmsContext *c, const char *key);
/* The values of `key` (borrowed; NULL-terminated), or NULL if absent. */
const char *const *ams_context_get (const AmsContext *c, const char *key);

typedef struct
{
  const char *action;             /* "kms:Decrypt", case-insensitive            */
  const char *resource;           /* ARN of the resource, or "*" for an action
                                     without resource-level permissions (only a
                                     Resource "*" matches it; a NotResource of
                                     ARNs does)                                  */
  const char *resource_account;   /* 12-digit owner of the resource; NULL: the
                                     principal's own account                    */
  const char *principal;          /* ARN ("arn:aws:iam::222222222222:role/R",
                                     a role session "arn:aws:sts::2…2:assumed-
                                     role/R/S", which a Principal naming role R
                                     matches), or a service
                                     ("imagebuilder.amazonaws.com")             */
  const char *principal_account;  /* 12 digits; NULL for a service principal    */
  const AmsContext *context;      /* may be NULL: no context keys               */
} AmsRequest;

/* ---- authorization ------------------------------------------------------- */

typedef enum
{
  AMS_DECISION_IMPLICIT_DENY,
  AMS_DECISION_ALLOW,
  AMS_DECISION_EXPLICIT_DENY,
} AmsDecision;

/* "Allow", "ImplicitDeny", "ExplicitDeny". */
const char *ams_decision_name (AmsDecision d);

typedef enum
{
  AMS_RESOURCE_GENERIC, /* same account: identity OR resource policy allow suffices */
  AMS_RESOURCE_KMS_KEY, /* the key policy must allow: directly, or by naming the
                           account (root) and then an identity policy must allow too */
  AMS_RESOURCE_TRUST,   /* role trust policy, likewise: it must itself allow the
                           principal (directly, or its account plus identity allow) */
} AmsResourceKind;

/* The policies that bear on one request. Any part may be empty/NULL. */
typedef struct
{
  AmsPolicy *const *identity;   /* the principal's identity policies */
  guint n_identity;
  const AmsPolicy *resource;    /* the resource's policy, or NULL */
  AmsResourceKind resource_kind;
  /* SCP layers from the root down to the principal's account: every layer
   * must allow (some policy attached at that level allows) and no policy at
   * any layer may deny. n_scp_layers == 0: no SCPs apply (no organization,
   * the management account, or a service principal). */
  AmsPolicy *const *const *scp_layers;
  const guint *n_scp;           /* number of policies in each layer */
  const char *const *scp_layer_names; /* "r-a1b2", "ou-…", "111111111111" (for reasons) */
  guint n_scp_layers;
} AmsPolicySet;

/* One statement that took part in a decision. */
typedef struct
{
  const AmsPolicy *policy;
  guint statement;
} AmsStatementRef;

typedef enum
{
  AMS_PART_NONE,
  AMS_PART_IDENTITY,
  AMS_PART_RESOURCE,
  AMS_PART_SCP,
} AmsPolicyPart;

/* An Allow statement that names the request's action and resource but did
 * not apply: most likely the one the user meant. `why` says what failed
 * ("the principal is not listed", "ForAnyValue:StringLike on
 * aws:PrincipalOrgPaths is false for [o-…/…/]"). */
typedef struct
{
  AmsStatementRef ref;
  char *why;
} AmsNearMiss;

/* Why: for Allow, the allowing statements; for ExplicitDeny, the denying
 * statements; for ImplicitDeny, which part lacked an allow (`missing`, and
 * for SCPs the layer index) and no statements. `reason` is one readable
 * sentence ("no statement of key policy of alias/x allows kms:Decrypt for
 * arn:aws:iam::222222222222:role/R"). */
typedef struct
{
  AmsDecision decision;
  GArray *statements;           /* of AmsStatementRef */
  AmsPolicyPart missing;        /* ImplicitDeny: the part with no allow */
  AmsPolicyPart denied_by;      /* ExplicitDeny: the part that denied */
  guint scp_layer;              /* for missing/denied_by == AMS_PART_SCP */
  char *reason;
  GArray *near_misses;          /* ImplicitDeny: of AmsNearMiss in the missing part;
                                   NULL when there are none */
} AmsVerdict;

void ams_verdict_init (AmsVerdict *v);
void ams_verdict_clear (AmsVerdict *v);
/* Makes *dst (not initialised; ams_verdict_clear it after) an independent
 * copy of *src: the same decision, statements, reason and near misses. */
void ams_verdict_copy (AmsVerdict *dst, const AmsVerdict *src);

/* Decides `req` against `set` (DOMAIN.md §2): an explicit deny anywhere
 * wins; SCP layers must each allow; then same account: identity or resource
 * allow (for KMS keys and trust policies, see AmsResourceKind); cross
 * account: both an identity allow and a resource allow. A service principal
 * has no identity policies: the resource policy alone decides. Before all
 * that, an account's root user (arn:aws:iam::ACCOUNT:root) cannot assume a
 * role: sts:AssumeRole… and its parts sts:TagSession and
 * sts:SetSourceIdentity are ImplicitDeny for it whatever the policies say
 * (missing AMS_PART_IDENTITY; the reason says "the root user cannot assume
 * roles"). `out` may be NULL; otherwise it is cleared and filled. */
AmsDecision ams_authorize (const AmsPolicySet *set, const AmsRequest *req, AmsVerdict *out);

/* Evaluates one policy on its own: ExplicitDeny if a statement denies,
 * Allow if one allows, else ImplicitDeny; the matching statements are
 * appended to `matched` (of AmsStatementRef; may be NULL). For resource
 * policies, a statement whose Principal names the request's account (not
 * the principal itself) counts as matching. */
AmsDecision ams_policy_evaluate (const AmsPolicy *p, const AmsRequest *req, GArray *matched);

/* ---- managed policies ---------------------------------------------------- */

/* The AWS managed policy documents amisim ships (DOMAIN.md §1), by exact
 * name: Ec2ImageBuilderCrossAccountDistributionAccess,
 * EC2ImageBuilderLifecycleExecutionPolicy, and the permissions the
 * Ec2ImageBuilderCrossAccountLifecycleAccess role needs. Returns a new
 * reference to a freshly compiled policy, or NULL for an unknown name
 * (callers compile each once and share it). */
AmsPolicy *ams_managed_policy_new (const char *name);
/* The names it knows, NULL-terminated. */
const char *const *ams_managed_policy_names (void);

/* ---- `amisim policy eval` input ------------------------------------------ */

/* The document `amisim policy eval FILE` reads (SCENARIO.md §2):
 *   {"policies": {"identity": [P…], "resource": P or null, "scp": [P…]},
 *    "request": {"action", "resource", "resource_account", "principal",
 *                "principal_account", "context": {key: value or [values]}}}
 * Each P is a policy document: an object, or a string holding one as JSON
 * (ams_policy_compile_string; what kms get-key-policy gives), such strings
 * holding at most 8 MiB of text together (each use of a YAML alias
 * counted).
 * Extensions: "scp" may be a list of lists, one list per layer from the
 * root down (a flat list is one layer); "resource_kind" ("kms_key", "trust"
 * or "generic") next to "resource" says how the resource policy counts,
 * inferred from the action otherwise (kms:* -> kms_key; sts:AssumeRole*,
 * sts:TagSession and sts:SetSourceIdentity -> trust). Optional members
 * given as null ("principal_account": null) are absent. The request's
 * "resource" may be "*" for an action without resource-level permissions;
 * it names no account, so resource_account stays NULL (the principal's own
 * account) unless given. */
typedef struct AmsEvalInput AmsEvalInput;

/* Compiles the whole input; every problem goes to `report`; NULL if any. */
AmsEvalInput *ams_eval_input_compile (const AmsValue *root, AmsPolicyErrorFn report, void *user);
void ams_eval_input_free (AmsEvalInput *in); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsEvalInput, ams_eval_input_free)
const AmsPolicySet *ams_eval_input_policies (const AmsEvalInput *in);
const AmsRequest *ams_eval_input_request (const AmsEvalInput *in);

G_END_DECLS
