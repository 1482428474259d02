/* A property that holds `explain` and `run` together, over every scenario
 * under scenarios/ and hundreds of random perturbations of them.
 *
 * A perturbation changes the world before anything happens, the way a
 * user's real estate differs from the one they wrote down: a statement
 * removed from a key policy, a trust policy or a role's inline policy; a
 * key disabled; a role deleted; an account moved to another place of its
 * organization. The same perturbation is applied to two fresh worlds of
 * the scenario: `explain`'s preflight runs on one, the engine on the
 * other. Then:
 *
 *   1. every failure the run counts for a cause that a permission, a key,
 *      a share or the organization decides (not builds, tests, quotas,
 *      limits, timeouts or transient faults) was named by explain with the
 *      same cause, account and region;
 *   2. every blocker explain names for the world as it starts shows up in
 *      the run's failures (same cause, account and region) wherever the
 *      run exercised that path before the scenario's first event changed
 *      anything: the pipeline's copy to that account and region was asked
 *      for, its distribution started, its build started, a consumer there
 *      launched from it, its lifecycle acted on a copy there, the policy
 *      ran.
 *
 * The perturbations are drawn from a fixed seed per scenario, so a failure
 * reproduces; its message names the scenario and the perturbation.
 */
#include <stdio.h>
#include <string.h>

#include "ams_test.h"
#include "amisim/engine.h"
#include "amisim/preflight.h"

#define SINGLES 60 /* perturbations per scenario, at most (all when fewer) */
#define PAIRS 20   /* pairs of them per scenario, when there are two or more */

/* Benchmark scenarios: long runs with nothing a permission decides. */
static const char *const skipped[] = { "capacity.yaml", "bench-mmc.yaml" };

/* ---- perturbations ---------------------------------------------------------- */

typedef enum
{
  P_NONE,
  P_KEY_STATEMENT,   /* remove statement `statement` of the key's policy */
  P_ROLE_STATEMENT,  /* of the role's trust (policy -1) or inline policy `policy` */
  P_DISABLE_KEY,
  P_DELETE_ROLE,
  P_MOVE_ACCOUNT,    /* into node `to` */
} PKind;

typedef struct
{
  PKind kind;
  guint account;           /* world index */
  const AmsScKey *key;
  const char *role;
  int policy;
  guint statement;
  const char *to;
} Perturbation;

static void
describe (const Perturbation *p, const AmsWorld *w, GString *out)
{
  const AmsAccount *a = ams_world_account (w, p->account);
  switch (p->kind)
    {
    case P_NONE:
      g_string_append (out, "none");
      break;
    case P_KEY_STATEMENT:
      g_string_append_printf (out, "key %s of %s without statement %u", p->key->id, a->id,
                              p->statement);
      break;
    case P_ROLE_STATEMENT:
      if (p->policy < 0)
        g_string_append_printf (out, "role %s of %s without statement %u of its trust", p->role,
                                a->id, p->statement);
      else
        g_string_append_printf (out, "role %s of %s without statement %u of inline policy %d",
                                p->role, a->id, p->statement, p->policy);
      break;
    case P_DISABLE_KEY:
      g_string_append_printf (out, "key %s of %s disabled", p->key->id, a->id);
      break;
    case P_DELETE_ROLE:
      g_string_append_printf (out, "role %s of %s deleted", p->role, a->id);
      break;
    case P_MOVE_ACCOUNT:
      g_string_append_printf (out, "account %s moved to %s", a->id, p->to);
      break;
    }
}

static gboolean
find_key (AmsWorld *w, const AmsAccount *a, const AmsScKey *key, AmsKeyInfo *k)
{
  const AmsRegion *region = ams_world_find_region (w, key->region.value);
  return region != NULL && ams_world_find_key (w, key->id, a, region, k) == AMS_KEY_FOUND;
}

/* FALSE if the world does not allow it (a pair: the first took it away). */
static gboolean
apply (AmsWorld *w, const Perturbation *p)
{
  const AmsAccount *a = ams_world_account (w, p->account);
  AmsKeyInfo k;
  switch (p->kind)
    {
    case P_NONE:
      return TRUE;
    case P_KEY_STATEMENT:
      return find_key (w, a, p->key, &k) && ams_world_remove_key_statement (w, &k, p->statement);
    case P_ROLE_STATEMENT:
      return ams_world_remove_role_statement (w, a, p->role, p->policy, p->statement);
    case P_DISABLE_KEY:
      if (!find_key (w, a, p->key, &k))
        return FALSE;
      ams_world_set_key_state (w, &k, AMS_KEY_DISABLED);
      return TRUE;
    case P_DELETE_ROLE:
      return ams_world_delete_role (w, a, p->role);
    case P_MOVE_ACCOUNT:
      ams_world_move_account (w, a, ams_world_find_org_node (w, p->to));
      return TRUE;
    }
  return FALSE;
}

static void
add_nodes (const AmsWorld *w, GPtrArray *units, GPtrArray *out)
{
  for (guint i = 0; i < units->len; i++)
    {
      const AmsScUnit *u = units->pdata[i];
      g_ptr_array_add (out, (gpointer) ams_world_find_org_node (w, u->id));
      add_nodes (w, u->units, out);
    }
}

/* Every perturbation the world allows, to draw from. */
static GArray *
candidates (const AmsScenario *sc, AmsWorld *w)
{
  GArray *all = g_array_new (FALSE, TRUE, sizeof (Perturbation));
  g_autoptr (GPtrArray) nodes = g_ptr_array_new ();
  for (guint i = 0; i < sc->organizations->len; i++)
    {
      const AmsScOrg *o = sc->organizations->pdata[i];
      g_ptr_array_add (nodes, (gpointer) ams_world_find_org_node (w, o->root));
      add_nodes (w, o->units, nodes);
    }
  for (guint i = 0; i < ams_world_n_accounts (w); i++)
    {
      const AmsAccount *a = ams_world_account (w, i);
      const AmsScAccount *proto = a->proto;
      for (guint j = 0; proto != NULL && j < proto->kms_keys->len; j++)
        {
          const AmsScKey *key = proto->kms_keys->pdata[j];
          AmsKeyInfo k;
          if (!find_key (w, a, key, &k))
            continue;
          Perturbation p = { .kind = P_DISABLE_KEY, .account = i, .key = key };
          g_array_append_val (all, p);
          guint n = ams_policy_n_statements (ams_world_key_policy (w, &k));
          for (guint s = 0; s < n; s++)
            {
              Perturbation q = { .kind = P_KEY_STATEMENT, .account = i, .key = key, .statement = s };
              g_array_append_val (all, q);
            }
        }
      for (guint j = 0; proto != NULL && j < proto->roles->len; j++)
        {
          const AmsScRole *role = proto->roles->pdata[j];
          Perturbation p = { .kind = P_DELETE_ROLE, .account = i, .role = role->name };
          g_array_append_val (all, p);
          for (int policy = -1; policy < (int) role->inline_policies->len; policy++)
            {
              const AmsPolicy *pol = policy < 0 ? role->trust : role->inline_policies->pdata[policy];
              for (guint s = 0; s < ams_policy_n_statements (pol); s++)
                {
                  Perturbation q = { .kind = P_ROLE_STATEMENT, .account = i, .role = role->name,
                                     .policy = policy, .statement = s };
                  g_array_append_val (all, q);
                }
            }
        }
      for (guint j = 0; a->parent != NULL && j < nodes->len; j++)
        {
          const AmsOrgNode *to = nodes->pdata[j];
          if (to == NULL || to == a->parent || to->org != a->parent->org)
            continue;
          Perturbation p = { .kind = P_MOVE_ACCOUNT, .account = i, .to = to->id };
          g_array_append_val (all, p);
        }
    }
  return all;
}

/* ---- what explain names, what the run did ------------------------------------- */

typedef struct
{
  GHashTable *named;       /* "cause account region" of every finding */
  GPtrArray *at_start;     /* of Start*: the findings on the world as it starts */
} Explained;

typedef struct
{
  AmsFindingKind kind;
  char *subject;
  AmsStep step;
  AmsCause cause;
  char *account, *region;
  char *message;
} Start;

static void
start_free (gpointer p)
{
  Start *s = p;
  g_free (s->subject);
  g_free (s->account);
  g_free (s->region);
  g_free (s->message);
  g_free (s);
}

static char *
triple (AmsCause cause, const char *account, const char *region)
{
  return g_strdup_printf ("%s %s %s", ams_cause_name (cause), account ? account : "-",
                          region ? region : "-");
}

static void
on_finding (const AmsFinding *f, gpointer user)
{
  Explained *x = user;
  const AmsBlocker *b = f->b;
  const char *account = b->account ? b->account->id : NULL;
  const char *region = b->region ? b->region->name : NULL;
  g_hash_table_add (x->named, triple (b->cause, account, region));
  if (f->after != NULL)
    return;
  Start *s = g_new0 (Start, 1);
  s->kind = f->kind;
  s->subject = g_strdup (f->subject);
  s->step = b->step;
  s->cause = b->cause;
  s->account = g_strdup (account);
  s->region = g_strdup (region);
  s->message = g_strdup (b->message);
  g_ptr_array_add (x->at_start, s);
}

/* What the run exercised before `until` (its first event): evidence keys. */
typedef struct
{
  AmsTime until;
  GHashTable *did;         /* "what subject [account region]" */
} Exercised;

static void
did (Exercised *ex, const char *what, const char *subject, const char *account,
     const char *region)
{
  g_hash_table_add (ex->did, g_strdup_printf ("%s %s %s %s", what, subject ? subject : "-",
                                              account ? account : "-", region ? region : "-"));
}

static void
on_trace (void *user, const AmsTraceEvent *ev)
{
  Exercised *ex = user;
  if (ev->t >= ex->until)
    return;
  switch (ev->kind)
    {
    case AMS_TRACE_IMAGE_STARTED:
      did (ex, "build", ev->image, NULL, NULL);
      break;
    case AMS_TRACE_DISTRIBUTION_STARTED:
      did (ex, "distribution", ev->image, NULL, NULL);
      break;
    case AMS_TRACE_COPY_REQUESTED:
      did (ex, "copy", ev->image, ev->account, ev->region);
      break;
    case AMS_TRACE_LAUNCH:
    case AMS_TRACE_LAUNCH_FAILED:
      did (ex, "launch", ev->image, ev->account, ev->region);
      break;
    case AMS_TRACE_LIFECYCLE_RUN_STARTED:
      did (ex, "execution", ev->policy, NULL, NULL);
      break;
    case AMS_TRACE_LIFECYCLE_ACTION:
      if (ev->resource != NULL)
        did (ex, ev->resource, ev->policy, ev->account, ev->region);
      if (ev->resource != NULL && strcmp (ev->resource, "ami") == 0)
        did (ex, "lifecycle", ev->image, ev->account, ev->region);
      break;
    default:
      break;
    }
}

/* Did the run go where the finding blocks? */
static gboolean
exercised (const Exercised *ex, const Start *s)
{
  g_autofree char *key = NULL;
  switch (s->kind)
    {
    case AMS_FINDING_EVENT:
      return TRUE;
    case AMS_FINDING_LIFECYCLE:
      if (s->cause == AMS_CAUSE_ECR_REPOSITORY_TAG_MISSING)
        key = g_strdup_printf ("container %s %s %s", s->subject, s->account, s->region);
      else
        key = g_strdup_printf ("execution %s - -", s->subject);
      break;
    case AMS_FINDING_PIPELINE:
      switch (s->step)
        {
        case AMS_STEP_REGION:
        case AMS_STEP_ASSUME_ROLE:
        case AMS_STEP_COPY:
        case AMS_STEP_DECRYPT:
        case AMS_STEP_ENCRYPT:
          key = g_strdup_printf ("copy %s %s %s", s->subject, s->account, s->region);
          break;
        case AMS_STEP_SHARE:
        case AMS_STEP_LAUNCH_TEMPLATE:
        case AMS_STEP_SSM_PARAMETER:
          key = g_strdup_printf ("distribution %s - -", s->subject);
          break;
        case AMS_STEP_LAUNCH:
          key = g_strdup_printf ("launch %s %s %s", s->subject, s->account, s->region);
          break;
        case AMS_STEP_LIFECYCLE:
          key = g_strdup_printf ("lifecycle %s %s %s", s->subject, s->account, s->region);
          break;
        default: /* the build and what it uses */
          key = g_strdup_printf ("build %s - -", s->subject);
          break;
        }
      break;
    }
  return g_hash_table_contains (ex->did, key);
}

/* Causes a permission, a key, a share or the organization decides. */
static gboolean
decided_by_access (AmsCause c)
{
  switch (c)
    {
    case AMS_CAUSE_AMI_QUOTA_EXCEEDED:
    case AMS_CAUSE_COPY_LIMIT_REJECTED:
    case AMS_CAUSE_TRANSIENT:
    case AMS_CAUSE_DISTRIBUTION_TIMEOUT:
    case AMS_CAUSE_BUILD_FAILED:
    case AMS_CAUSE_TEST_FAILED:
    case AMS_CAUSE_DEREGISTRATION_PROTECTED:
      return FALSE;
    default:
      return TRUE;
    }
}

/* ---- the property ------------------------------------------------------------- */

typedef struct
{
  guint runs;
  guint violations;
  guint forward_checked;   /* run failures matched against explain */
  guint reverse_checked;   /* explain blockers found exercised and matched */
} Tally;

/* The property for the scenario changed by the n perturbations p[];
 * FALSE (nothing checked) if they cannot all be applied. */
static gboolean
check_one (const char *file, const AmsScenario *sc, const Perturbation *p, guint n, Tally *t)
{
  /* explain */
  g_autoptr (AmsWorld) w1 = ams_world_new (sc);
  for (guint i = 0; i < n; i++)
    if (!apply (w1, &p[i]))
      return FALSE;
  Explained x = {
    .named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .at_start = g_ptr_array_new_with_free_func (start_free),
  };
  ams_preflight (w1, on_finding, &x);

  /* run */
  g_autoptr (AmsWorld) w2 = ams_world_new (sc);
  for (guint i = 0; i < n; i++)
    apply (w2, &p[i]);
  Exercised ex = {
    .until = sc->horizon + 1,
    .did = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };
  for (guint i = 0; i < sc->events->len; i++)
    ex.until = MIN (ex.until, ((const AmsScEvent *) sc->events->pdata[i])->at);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w2, sc->seed, 0);
  AmsTracer tracer = { .event = on_trace, .user = &ex };
  ams_engine_set_tracer (e, &tracer);
  ams_engine_run (e);
  AmsResults r;
  ams_engine_take_results (e, &r);
  t->runs++;

  g_autoptr (GString) what = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (what, " and ");
      describe (&p[i], w2, what);
    }
  g_autoptr (GHashTable) failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; r.failures != NULL && i < r.failures->len; i++)
    {
      const AmsFailureCount *f = &g_array_index (r.failures, AmsFailureCount, i);
      g_hash_table_add (failed, triple (f->cause, f->account, f->region));
      if (!decided_by_access (f->cause))
        continue;
      g_autofree char *key = triple (f->cause, f->account, f->region);
      t->forward_checked++;
      if (!g_hash_table_contains (x.named, key))
        {
          t->violations++;
          printf ("\n%s, %s: the run failed %" G_GUINT64_FORMAT " times with %s, which explain "
                  "did not name\n", file, what->str, f->count, key);
        }
    }
  for (guint i = 0; i < x.at_start->len; i++)
    {
      const Start *s = x.at_start->pdata[i];
      if (!exercised (&ex, s))
        continue;
      g_autofree char *key = triple (s->cause, s->account, s->region);
      t->reverse_checked++;
      if (!g_hash_table_contains (failed, key))
        {
          t->violations++;
          printf ("\n%s, %s: explain named %s (%s, step %s) and the run went there without "
                  "that failure:\n  %s\n", file, what->str, key, s->subject,
                  ams_step_name (s->step), s->message);
        }
    }
  ams_results_clear (&r);
  g_hash_table_unref (ex.did);
  g_hash_table_unref (x.named);
  g_ptr_array_unref (x.at_start);
  return TRUE;
}

static int
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
test_agreement_scenarios (void)
{
  g_autofree char *dir = ams_source_path ("scenarios");
  g_autoptr (GError) error = NULL;
  GDir *d = g_dir_open (dir, 0, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    {
      gboolean skip = !g_str_has_suffix (name, ".yaml");
      for (guint i = 0; i < G_N_ELEMENTS (skipped); i++)
        skip |= strcmp (name, skipped[i]) == 0;
      if (!skip)
        g_ptr_array_add (files, g_strdup (name));
    }
  g_dir_close (d);
  g_ptr_array_sort (files, by_name);
  CU_ASSERT (files->len >= 10);

  Tally t = { 0 };
  guint perturbed = 0;
  for (guint i = 0; i < files->len; i++)
    {
      const char *name = files->pdata[i];
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (AmsScenario) sc = ams_scenario_load_file (path, NULL, 0, &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
      Perturbation none = { .kind = P_NONE };
      check_one (name, sc, &none, 1, &t);
      g_autoptr (AmsWorld) w = ams_world_new (sc);
      g_autoptr (GArray) all = candidates (sc, w);
      /* SINGLES different ones (all there are, if fewer): the first of a
       * shuffle; then PAIRS of two different ones */
      g_autoptr (GRand) rng = g_rand_new_with_seed (1000 + i);
      for (guint k = 0; k < SINGLES && k < all->len; k++)
        {
          guint pick = (guint) g_rand_int_range (rng, (gint32) k, (gint32) all->len);
          Perturbation p = g_array_index (all, Perturbation, pick);
          g_array_index (all, Perturbation, pick) = g_array_index (all, Perturbation, k);
          g_array_index (all, Perturbation, k) = p;
          perturbed += check_one (name, sc, &p, 1, &t);
        }
      for (guint k = 0; k < PAIRS && all->len >= 2; k++)
        {
          guint a = (guint) g_rand_int_range (rng, 0, (gint32) all->len);
          guint b = (guint) g_rand_int_range (rng, 0, (gint32) all->len - 1);
          Perturbation pair[2] = { g_array_index (all, Perturbation, a),
                                   g_array_index (all, Perturbation, b >= a ? b + 1 : b) };
          perturbed += check_one (name, sc, pair, 2, &t);
        }
    }
  printf ("\n%u runs (%u perturbed): %u run failures matched to explain, %u explain blockers "
          "matched to the run, %u disagreements\n", t.runs, perturbed, t.forward_checked,
          t.reverse_checked, t.violations);
  CU_ASSERT_EQUAL (t.violations, 0);
  /* the property was put to work both ways */
  CU_ASSERT (perturbed >= 250);
  CU_ASSERT (t.forward_checked >= 100);
  CU_ASSERT (t.reverse_checked >= 100);
}

static const AmsTestCase cases[] = {
  { "scenarios", test_agreement_scenarios },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("agreement", cases);
}
