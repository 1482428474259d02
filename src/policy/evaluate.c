/* amisim — evaluating requests: statement matching, single policies, and
 * the combination of identity, resource and SCP policies (ams_authorize).
 *
 * The combination follows IAM's policy evaluation logic restricted to what
 * distribution needs (DOMAIN.md §2): any applicable Deny wins; every SCP
 * layer must allow; a service principal is decided by the resource policy
 * alone; in one account an identity allow or a resource allow naming the
 * principal suffices, except that KMS key policies and role trust policies
 * must themselves allow (naming the principal, or naming its account and
 * then an identity policy must allow too); across accounts both sides must
 * allow. A resource policy that names an *account* (12 digits or
 * arn:aws:iam::ID:root) delegates to that account's IAM policies: it matches
 * the account's principals only together with an identity allow. A
 * Principal that names a role also names the role's sessions
 * (arn:aws:sts::ID:assumed-role/NAME/SESSION), through which the role acts.
 * Before any of this, the root user of an account cannot assume a role at
 * all (AWS STS API Reference, AssumeRole: "You cannot call AssumeRole by
 * using AWS root account credentials; access is denied"): ImplicitDeny,
 * whatever the policies say, for sts:AssumeRole and the parts of assuming a
 * role (sts:TagSession, sts:SetSourceIdentity).
 */
#include <string.h>

#include "policy-private.h"

/* ---- statements ------------------------------------------------------------ */

static gboolean
action_matches (const AmsStatement *s, const char *action)
{
  gboolean any = FALSE;
  for (guint i = 0; i < s->actions->len && !any; i++)
    any = ams__glob (g_ptr_array_index (s->actions, i), action, TRUE, TRUE);
  return s->not_action ? !any : any;
}

static gboolean
resource_matches (const AmsStatement *s, const AmsRequest *req)
{
  if (!s->has_resource)
    return TRUE;
  const char *resource = req->resource != NULL ? req->resource : "";
  gboolean any = FALSE;
  for (guint i = 0; i < s->resources->len && !any; i++)
    {
      g_autofree char *owned = NULL;
      const char *pat = ams__template_expand (g_ptr_array_index (s->resources, i), req->context,
                                              &owned);
      any = pat != NULL && ams__resource_match (pat, resource);
    }
  return s->not_resource ? !any : any;
}

/* Whether the request's principal is the account root itself
 * (arn:aws:iam::ID:root), which an account-level Principal names directly. */
static gboolean
principal_is_root_of (const AmsRequest *req, const char *account)
{
  g_autofree char *buf = NULL;
  const char *p[6];
  return req->principal != NULL && ams__arn_split (req->principal, &buf, p)
         && strcmp (p[2], "iam") == 0 && strcmp (p[4], account) == 0 && strcmp (p[5], "root") == 0;
}

/* Whether `principal` is a session of the role whose session ARNs start
 * with `prefix` ("arn:aws:sts::A:assumed-role/NAME/"): a non-empty session
 * name follows, with no further '/'. */
static gboolean
is_session_of (const char *principal, const char *prefix)
{
  if (principal == NULL || prefix == NULL || !g_str_has_prefix (principal, prefix))
    return FALSE;
  const char *session = principal + strlen (prefix);
  return *session != '\0' && strchr (session, '/') == NULL;
}

/* `sessions`: whether a role named by `pr` also matches its sessions (in a
 * Principal; a NotPrincipal excludes only the identities it lists, see
 * principal_match). */
static AmsMatch
principal_entry_match (const AmsPrincipal *pr, const AmsRequest *req, gboolean sessions)
{
  switch (pr->kind)
    {
    case AMS__PRIN_ANY:
      return AMS__MATCH_DIRECT;
    case AMS__PRIN_ACCOUNT:
      if (req->principal_account == NULL || strcmp (pr->value, req->principal_account) != 0)
        return AMS__MATCH_NONE;
      return principal_is_root_of (req, pr->value) ? AMS__MATCH_DIRECT : AMS__MATCH_ACCOUNT;
    case AMS__PRIN_ARN:
      if (req->principal != NULL && strcmp (pr->value, req->principal) == 0)
        return AMS__MATCH_DIRECT;
      return sessions && is_session_of (req->principal, pr->sessions) ? AMS__MATCH_DIRECT
                                                                      : AMS__MATCH_NONE;
    case AMS__PRIN_SERVICE:
      return req->principal_account == NULL && req->principal != NULL
                 && g_ascii_strcasecmp (pr->value, req->principal) == 0
               ? AMS__MATCH_DIRECT : AMS__MATCH_NONE;
    }
  return AMS__MATCH_NONE;
}

static AmsMatch
principal_match (const AmsStatement *s, const AmsRequest *req)
{
  /* NotPrincipal: everyone not listed; a listed account excludes all of
   * its principals, but a listed role not its sessions: the IAM User
   * Guide ("AWS JSON policy elements: NotPrincipal") has a Deny spare an
   * assumed-role session by listing the session's own ARN, the role's and
   * the account's, as AWS may check each of them. Whoever remains is
   * matched as if named directly. */
  AmsMatch best = AMS__MATCH_NONE;
  for (guint i = 0; i < s->principals->len; i++)
    best = MAX (best, principal_entry_match (&g_array_index (s->principals, AmsPrincipal, i), req,
                                             !s->not_principal));
  if (!s->not_principal)
    return best;
  return best == AMS__MATCH_NONE ? AMS__MATCH_DIRECT : AMS__MATCH_NONE;
}

gboolean
ams__action_assumes_role (const char *action)
{
  return action != NULL
         && (g_ascii_strncasecmp (action, "sts:AssumeRole", strlen ("sts:AssumeRole")) == 0
             || g_ascii_strcasecmp (action, "sts:TagSession") == 0
             || g_ascii_strcasecmp (action, "sts:SetSourceIdentity") == 0);
}

/* Whether the request's principal is an account's root user
 * (arn:PARTITION:iam::ACCOUNT:root). */
static gboolean
principal_is_root (const AmsRequest *req)
{
  g_autofree char *buf = NULL;
  const char *p[6];
  return req->principal != NULL && g_str_has_prefix (req->principal, "arn:")
         && ams__arn_split (req->principal, &buf, p) && strcmp (p[2], "iam") == 0
         && strcmp (p[5], "root") == 0;
}

AmsMatch
ams__statement_match (const AmsStatement *s, AmsPolicyKind kind, const AmsRequest *req)
{
  if (!action_matches (s, req->action) || !resource_matches (s, req))
    return AMS__MATCH_NONE;
  AmsMatch m = AMS__MATCH_DIRECT;
  if (kind == AMS_POLICY_RESOURCE && s->has_principal)
    {
      m = principal_match (s, req);
      if (m == AMS__MATCH_NONE)
        return m;
    }
  for (guint i = 0; i < s->conditions->len; i++)
    if (!ams__condition_eval (g_ptr_array_index (s->conditions, i), req->context))
      return AMS__MATCH_NONE;
  return m;
}

/* Allow statements of `p` that name the action and resource but do not
 * apply, with the first thing that failed. */
static void
near_misses (const AmsPolicy *p, const AmsRequest *req, AmsVerdict *v)
{
  for (guint i = 0; i < p->statements->len; i++)
    {
      const AmsStatement *s = g_ptr_array_index (p->statements, i);
      if (!s->allow || !action_matches (s, req->action) || !resource_matches (s, req))
        continue;
      char *why = NULL;
      if (p->kind == AMS_POLICY_RESOURCE && s->has_principal
          && principal_match (s, req) == AMS__MATCH_NONE)
        why = g_strdup_printf ("its %s does not name %s", s->not_principal ? "NotPrincipal"
                                                                           : "Principal",
                               req->principal ? req->principal : "the principal");
      for (guint j = 0; why == NULL && j < s->conditions->len; j++)
        {
          const AmsCondition *c = g_ptr_array_index (s->conditions, j);
          if (!ams__condition_eval (c, req->context))
            why = ams__condition_explain (c, req->context);
        }
      if (why == NULL)
        continue; /* it applies: not a near miss */
      if (v->near_misses == NULL)
        v->near_misses = g_array_new (FALSE, FALSE, sizeof (AmsNearMiss));
      AmsNearMiss nm = { .ref = { p, i }, .why = why };
      g_array_append_val (v->near_misses, nm);
    }
}

/* ---- single policies ---------------------------------------------------------- */

/* The statements of `p` that apply to `req`, sorted by effect and, for
 * allows, by how the principal matched. Any array may be NULL. */
static void
collect (const AmsPolicy *p, const AmsRequest *req, GArray *deny, GArray *direct, GArray *account)
{
  for (guint i = 0; i < p->statements->len; i++)
    {
      const AmsStatement *s = g_ptr_array_index (p->statements, i);
      AmsMatch m = ams__statement_match (s, p->kind, req);
      if (m == AMS__MATCH_NONE)
        continue;
      AmsStatementRef ref = { p, i };
      GArray *to = !s->allow ? deny : m == AMS__MATCH_DIRECT ? direct : account;
      if (to != NULL)
        g_array_append_val (to, ref);
    }
}

static GArray *
refs_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (AmsStatementRef));
}

static void
append_refs (GArray *to, const GArray *from)
{
  if (to != NULL && from->len > 0)
    g_array_append_vals (to, from->data, from->len);
}

AmsDecision
ams_policy_evaluate (const AmsPolicy *p, const AmsRequest *req, GArray *matched)
{
  g_return_val_if_fail (p != NULL && req != NULL && req->action != NULL,
                        AMS_DECISION_IMPLICIT_DENY);
  g_autoptr (GArray) deny = refs_new ();
  g_autoptr (GArray) allow = refs_new ();
  collect (p, req, deny, allow, allow);
  if (deny->len > 0)
    {
      append_refs (matched, deny);
      return AMS_DECISION_EXPLICIT_DENY;
    }
  if (allow->len > 0)
    {
      append_refs (matched, allow);
      return AMS_DECISION_ALLOW;
    }
  return AMS_DECISION_IMPLICIT_DENY;
}

/* ---- verdicts ----------------------------------------------------------------- */

const char *
ams_decision_name (AmsDecision d)
{
  switch (d)
    {
    case AMS_DECISION_ALLOW: return "Allow";
    case AMS_DECISION_IMPLICIT_DENY: return "ImplicitDeny";
    case AMS_DECISION_EXPLICIT_DENY: return "ExplicitDeny";
    }
  return "ImplicitDeny";
}

void
ams_verdict_init (AmsVerdict *v)
{
  g_return_if_fail (v != NULL);
  memset (v, 0, sizeof *v);
  v->decision = AMS_DECISION_IMPLICIT_DENY;
  v->statements = refs_new ();
}

void
ams_verdict_clear (AmsVerdict *v)
{
  if (v == NULL)
    return;
  if (v->statements != NULL)
    g_array_unref (v->statements);
  if (v->near_misses != NULL)
    {
      for (guint i = 0; i < v->near_misses->len; i++)
        g_free (g_array_index (v->near_misses, AmsNearMiss, i).why);
      g_array_unref (v->near_misses);
    }
  g_free (v->reason);
  memset (v, 0, sizeof *v);
}

void
ams_verdict_copy (AmsVerdict *dst, const AmsVerdict *src)
{
  g_return_if_fail (dst != NULL && src != NULL);
  *dst = *src;
  dst->statements = refs_new ();
  if (src->statements != NULL && src->statements->len > 0)
    g_array_append_vals (dst->statements, src->statements->data, src->statements->len);
  dst->reason = g_strdup (src->reason);
  if (src->near_misses != NULL)
    {
      dst->near_misses = g_array_sized_new (FALSE, FALSE, sizeof (AmsNearMiss),
                                            src->near_misses->len);
      for (guint i = 0; i < src->near_misses->len; i++)
        {
          AmsNearMiss m = g_array_index (src->near_misses, AmsNearMiss, i);
          m.why = g_strdup (m.why);
          g_array_append_val (dst->near_misses, m);
        }
    }
}

/* "statement "Sid" of NAME" or "Statement[2] of NAME". */
static void
append_label (GString *out, const AmsStatementRef *ref)
{
  const char *sid = ams_policy_statement_sid (ref->policy, ref->statement);
  if (sid != NULL && *sid)
    g_string_append_printf (out, "statement \"%s\"", sid);
  else
    g_string_append_printf (out, "Statement[%u]", ref->statement);
  g_string_append_printf (out, " of %s", ref->policy->name);
}

static void
append_labels (GString *out, const GArray *refs)
{
  for (guint i = 0; i < refs->len; i++)
    {
      if (i > 0)
        g_string_append (out, i + 1 == refs->len ? " and " : ", ");
      append_label (out, &g_array_index (refs, AmsStatementRef, i));
    }
}

static void
append_request (GString *out, const AmsRequest *req)
{
  g_string_append (out, req->action);
  if (req->resource != NULL)
    g_string_append_printf (out, " on %s", req->resource);
  g_string_append_printf (out, " for %s", req->principal != NULL ? req->principal : "(anyone)");
}

static void
append_identity_names (GString *out, const AmsPolicySet *set)
{
  g_string_append (out, " (");
  for (guint i = 0; i < set->n_identity; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", set->identity[i]->name);
  g_string_append (out, ")");
}

static const char *
resource_noun (AmsResourceKind kind)
{
  switch (kind)
    {
    case AMS_RESOURCE_KMS_KEY: return "a key policy";
    case AMS_RESOURCE_TRUST: return "a role's trust policy";
    case AMS_RESOURCE_GENERIC: break;
    }
  return "the resource policy";
}

typedef struct
{
  const AmsPolicySet *set;
  const AmsRequest *req;
  AmsVerdict *v;
} Out;

static AmsDecision
finish (Out *o, AmsDecision d, GString *reason)
{
  o->v->decision = d;
  o->v->reason = g_string_free (reason, FALSE);
  return d;
}

static AmsDecision
decide_allow (Out *o, GArray *refs)
{
  GString *r = g_string_new (NULL);
  append_labels (r, refs);
  g_string_append (r, refs->len == 1 ? " allows " : " allow ");
  append_request (r, o->req);
  append_refs (o->v->statements, refs);
  return finish (o, AMS_DECISION_ALLOW, r);
}

static AmsDecision
missing_scp (Out *o, guint layer)
{
  const AmsPolicySet *set = o->set;
  const char *lname = set->scp_layer_names != NULL && set->scp_layer_names[layer] != NULL
                        ? set->scp_layer_names[layer] : "?";
  GString *r = g_string_new (NULL);
  guint n = set->n_scp != NULL ? set->n_scp[layer] : 0;
  if (n == 0)
    {
      g_string_append_printf (r, "no SCP is attached at %s, so nothing there allows ", lname);
      append_request (r, o->req);
    }
  else
    {
      g_string_append_printf (r, "no SCP attached at %s (", lname);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (r, "%s%s", i > 0 ? ", " : "", set->scp_layers[layer][i]->name);
      g_string_append (r, ") allows ");
      append_request (r, o->req);
    }
  g_string_append (r, "; SCPs must allow at every level from the root down to the account");
  o->v->missing = AMS_PART_SCP;
  o->v->scp_layer = layer;
  return finish (o, AMS_DECISION_IMPLICIT_DENY, r);
}

/* The resource side has no allow (or is absent). */
static AmsDecision
missing_resource (Out *o, gboolean cross)
{
  const AmsPolicySet *set = o->set;
  const AmsRequest *req = o->req;
  GString *r = g_string_new (NULL);
  o->v->missing = AMS_PART_RESOURCE;
  if (set->resource == NULL)
    {
      g_string_append (r, "no resource policy is given, and ");
      append_request (r, req);
      g_string_append_printf (r, " needs %s that allows it",
                              set->resource_kind == AMS_RESOURCE_GENERIC
                                ? "a resource policy" : resource_noun (set->resource_kind));
      return finish (o, AMS_DECISION_IMPLICIT_DENY, r);
    }
  near_misses (set->resource, req, o->v);
  g_string_append_printf (r, "no statement of %s allows ", set->resource->name);
  append_request (r, req);
  if (req->principal_account == NULL)
    g_string_append (r, "; a service principal is allowed only by the resource policy");
  else if (cross)
    g_string_append_printf (r,
                            "; cross-account access needs the resource policy to allow the "
                            "principal or its account %s", req->principal_account);
  else
    g_string_append_printf (r,
                            "; %s must allow the principal itself or its account %s, an "
                            "identity policy alone is not enough",
                            resource_noun (set->resource_kind), req->principal_account);
  return finish (o, AMS_DECISION_IMPLICIT_DENY, r);
}

/* The identity side has no allow; `account_refs` are resource statements
 * that named the principal's account (a delegation to identity policies). */
static AmsDecision
missing_identity (Out *o, const GArray *account_refs, gboolean cross)
{
  const AmsPolicySet *set = o->set;
  const AmsRequest *req = o->req;
  GString *r = g_string_new (NULL);
  o->v->missing = AMS_PART_IDENTITY;
  if (set->n_identity == 0)
    {
      g_string_append_printf (r, "%s has no identity policy, so nothing allows ",
                              req->principal);
      append_request (r, req);
    }
  else
    {
      g_string_append (r, "no identity policy");
      append_identity_names (r, set);
      g_string_append (r, " allows ");
      append_request (r, req);
      for (guint i = 0; i < set->n_identity; i++)
        near_misses (set->identity[i], req, o->v);
    }
  if (account_refs != NULL && account_refs->len > 0)
    {
      g_string_append (r, "; ");
      append_label (r, &g_array_index (account_refs, AmsStatementRef, 0));
      g_string_append_printf (r,
                              " names the account %s, which leaves the decision to that "
                              "account's identity policies", req->principal_account);
    }
  else if (cross)
    g_string_append (r, "; cross-account access needs an allow on both sides");
  else if (set->resource != NULL)
    g_string_append_printf (r, ", and neither does %s", set->resource->name);
  return finish (o, AMS_DECISION_IMPLICIT_DENY, r);
}

/* The root user asks to assume a role: refused before any policy counts. */
static AmsDecision
root_cannot_assume (Out *o)
{
  const AmsRequest *req = o->req;
  g_autofree char *buf = NULL;
  const char *p[6];
  const char *account = ams__arn_split (req->principal, &buf, p) ? p[4] : "?";
  GString *r = g_string_new (NULL);
  g_string_append (r, "the root user cannot assume roles: ");
  append_request (r, req);
  g_string_append_printf (r,
                          " is a call by the root user of account %s, which AWS STS refuses "
                          "whatever the policies say; make it as an IAM user or role of that "
                          "account", account);
  o->v->missing = AMS_PART_IDENTITY;
  return finish (o, AMS_DECISION_IMPLICIT_DENY, r);
}

static AmsDecision
explicit_deny (Out *o, AmsPolicyPart part, guint layer, GArray *denies)
{
  const AmsPolicySet *set = o->set;
  const AmsStatementRef *first = &g_array_index (denies, AmsStatementRef, 0);
  GString *r = g_string_new (NULL);
  append_label (r, first);
  if (part == AMS_PART_SCP)
    g_string_append_printf (r, " (SCP attached at %s)",
                            set->scp_layer_names != NULL && set->scp_layer_names[layer] != NULL
                              ? set->scp_layer_names[layer] : "?");
  g_string_append (r, " explicitly denies ");
  append_request (r, o->req);
  if (denies->len > 1)
    g_string_append_printf (r, " (%u deny statements apply)", denies->len);
  o->v->denied_by = part;
  o->v->scp_layer = part == AMS_PART_SCP ? layer : 0;
  append_refs (o->v->statements, denies);
  return finish (o, AMS_DECISION_EXPLICIT_DENY, r);
}

AmsDecision
ams_authorize (const AmsPolicySet *set, const AmsRequest *req, AmsVerdict *out)
{
  g_return_val_if_fail (set != NULL && req != NULL && req->action != NULL,
                        AMS_DECISION_IMPLICIT_DENY);
  AmsVerdict local;
  AmsVerdict *v = out != NULL ? out : &local;
  if (out != NULL)
    ams_verdict_clear (out);
  ams_verdict_init (v);
  Out o = { set, req, v };

  if (ams__action_assumes_role (req->action) && principal_is_root (req))
    {
      AmsDecision root = root_cannot_assume (&o);
      if (out == NULL)
        ams_verdict_clear (&local);
      return root;
    }

  /* Every part is evaluated before deciding, so that an ExplicitDeny lists
   * every deny that applies. The part reported is the most authoritative
   * one that denied: an SCP deny cannot be lifted by anything in the
   * account, a resource policy's deny not by the principal's own. */
  g_autoptr (GArray) denies = refs_new ();
  g_autoptr (GArray) scp_allow = refs_new ();
  g_autoptr (GArray) res_direct = refs_new ();
  g_autoptr (GArray) res_account = refs_new ();
  g_autoptr (GArray) id_allow = refs_new ();
  g_autoptr (GArray) refs = refs_new ();
  AmsDecision d;
  gint missing_layer = -1, deny_layer = -1;
  for (guint l = 0; l < set->n_scp_layers; l++)
    {
      guint allows_before = scp_allow->len, denies_before = denies->len;
      for (guint i = 0; i < set->n_scp[l]; i++)
        collect (set->scp_layers[l][i], req, denies, scp_allow, scp_allow);
      if (denies->len > denies_before && deny_layer < 0)
        deny_layer = (gint) l;
      if (scp_allow->len == allows_before && missing_layer < 0)
        missing_layer = (gint) l;
    }
  guint scp_denies = denies->len;
  if (set->resource != NULL)
    collect (set->resource, req, denies, res_direct, res_account);
  guint res_denies = denies->len - scp_denies;
  for (guint i = 0; i < set->n_identity; i++)
    collect (set->identity[i], req, denies, id_allow, id_allow);

  if (denies->len > 0)
    {
      if (scp_denies > 0)
        d = explicit_deny (&o, AMS_PART_SCP, (guint) deny_layer, denies);
      else if (res_denies > 0)
        d = explicit_deny (&o, AMS_PART_RESOURCE, 0, denies);
      else
        d = explicit_deny (&o, AMS_PART_IDENTITY, 0, denies);
      goto done;
    }

  if (missing_layer >= 0)
    {
      d = missing_scp (&o, (guint) missing_layer);
      goto done;
    }

  /* A service principal has no identity policies. */
  if (req->principal_account == NULL)
    {
      d = res_direct->len > 0 ? decide_allow (&o, res_direct) : missing_resource (&o, FALSE);
      goto done;
    }

  gboolean cross = req->resource_account != NULL
                   && strcmp (req->principal_account, req->resource_account) != 0;
  if (cross)
    {
      if (res_direct->len == 0 && res_account->len == 0)
        d = missing_resource (&o, TRUE);
      else if (id_allow->len == 0)
        d = missing_identity (&o, NULL, TRUE);
      else
        {
          append_refs (refs, res_direct);
          append_refs (refs, res_account);
          append_refs (refs, id_allow);
          d = decide_allow (&o, refs);
        }
    }
  else if (set->resource_kind == AMS_RESOURCE_GENERIC)
    {
      if (id_allow->len > 0 || res_direct->len > 0)
        {
          append_refs (refs, res_direct);
          if (id_allow->len > 0)
            append_refs (refs, res_account);
          append_refs (refs, id_allow);
          d = decide_allow (&o, refs);
        }
      else
        d = missing_identity (&o, res_account, FALSE);
    }
  else
    {
      /* KMS key policies and trust policies must allow themselves. */
      if (res_direct->len > 0)
        d = decide_allow (&o, res_direct);
      else if (res_account->len > 0 && id_allow->len > 0)
        {
          append_refs (refs, res_account);
          append_refs (refs, id_allow);
          d = decide_allow (&o, refs);
        }
      else if (res_account->len > 0)
        d = missing_identity (&o, res_account, FALSE);
      else
        d = missing_resource (&o, FALSE);
    }

done:
  if (out == NULL)
    ams_verdict_clear (&local);
  return d;
}
