/* The cache of copy decisions (issue 16 part 2): ams_access_check_copy_phase
 * answers each distinct question once per world generation; these tests
 * hold every answer it gives to the uncached evaluation, field by field
 * (cause, step, account, region, resource, message, verdict), over
 * scenarios with every kind of blocker and every pipeline × entry × account
 * × region × phase, asked twice, and again after each change to the world
 * (the shipped scenarios' what-if events, and changes made here): a fault
 * appears at once after the change, and a healthy copy stays healthy. */
#include <glib/gstdio.h>
#include <string.h>

#include "ams_test.h"
#include "amisim/access.h"
#include "amisim/scenario.h"
#include "../../src/model/access-private.h"

static gboolean
verdicts_equal (const AmsVerdict *a, const AmsVerdict *b)
{
  if (a->decision != b->decision || a->missing != b->missing || a->denied_by != b->denied_by
      || a->scp_layer != b->scp_layer || g_strcmp0 (a->reason, b->reason) != 0)
    return FALSE;
  guint na = a->statements ? a->statements->len : 0, nb = b->statements ? b->statements->len : 0;
  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    {
      AmsStatementRef x = g_array_index (a->statements, AmsStatementRef, i);
      AmsStatementRef y = g_array_index (b->statements, AmsStatementRef, i);
      if (x.policy != y.policy || x.statement != y.statement)
        return FALSE;
    }
  na = a->near_misses ? a->near_misses->len : 0;
  nb = b->near_misses ? b->near_misses->len : 0;
  if (na != nb || (a->near_misses == NULL) != (b->near_misses == NULL))
    return FALSE;
  for (guint i = 0; i < na; i++)
    {
      const AmsNearMiss *x = &g_array_index (a->near_misses, AmsNearMiss, i);
      const AmsNearMiss *y = &g_array_index (b->near_misses, AmsNearMiss, i);
      if (x->ref.policy != y->ref.policy || x->ref.statement != y->ref.statement
          || g_strcmp0 (x->why, y->why) != 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
blockers_equal (const AmsBlocker *a, const AmsBlocker *b)
{
  return a->cause == b->cause && a->step == b->step && a->account == b->account
         && a->region == b->region && g_strcmp0 (a->resource, b->resource) == 0
         && g_strcmp0 (a->message, b->message) == 0 && verdicts_equal (&a->verdict, &b->verdict);
}

typedef struct
{
  guint asked, refused, differ;
  gboolean by_cause[AMS_CAUSE_COUNT];
} Tally;

/* Asks one question of the cache (`ax`) and of a fresh evaluation (`plain`,
 * another AmsAccess over the same world, never through its cache). */
static void
ask (AmsAccess *ax, AmsAccess *plain, const AmsCopySpec *spec, AmsCopyPhase phase, Tally *t)
{
  g_auto (AmsBlocker) cached = { 0 };
  g_auto (AmsBlocker) fresh = { 0 };
  gboolean ok = ams_access_check_copy_phase (ax, spec, phase, &cached);
  gboolean want = ams__access_check_copy_phase_uncached (plain, spec, phase, &fresh);
  t->asked++;
  if (!want)
    {
      t->refused++;
      t->by_cause[fresh.cause] = TRUE;
    }
  if (ok != want || !blockers_equal (&cached, &fresh))
    {
      if (t->differ++ < 5)
        printf ("\n    differs: %s %s phase %d: cached %s '%s', fresh %s '%s'", spec->target->id,
                spec->region->name, (int) phase, ams_cause_name (cached.cause),
                cached.message ? cached.message : "", ams_cause_name (fresh.cause),
                fresh.message ? fresh.message : "");
    }
}

typedef void (*SpecFn) (const AmsCopySpec *spec, gpointer user);

/* Calls fn for every pipeline × entry of the scenario, with the spec's
 * pipeline, owner, source region, entry and the entry's region (no target). */
static void
each_entry (const AmsScenario *sc, const AmsWorld *w, SpecFn fn, gpointer user)
{
  for (guint p = 0; p < sc->pipelines->len; p++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[p];
      AmsCopySpec spec = {
        .pipeline = pl,
        .owner = ams_world_find_account (w, pl->account.value),
        .source_region = ams_world_find_region (w, pl->region.value),
      };
      for (guint e = 0; e < pl->distributions->len; e++)
        {
          spec.entry = pl->distributions->pdata[e];
          spec.region = ams_world_find_region (w, spec.entry->region.value);
          fn (&spec, user);
        }
    }
}

typedef struct
{
  const AmsWorld *w;
  guint stride;
  SpecFn fn;
  gpointer user;
} Spreading;

static void
spread_one (const AmsCopySpec *entry, gpointer user)
{
  Spreading *s = user;
  AmsCopySpec spec = *entry;
  for (guint a = 0; a < ams_world_n_accounts (s->w); a += s->stride)
    for (guint r = 0; r < ams_world_n_regions (s->w); r++)
      {
        spec.target = ams_world_account (s->w, a);
        spec.region = ams_world_region (s->w, r);
        s->fn (&spec, s->user);
      }
}

/* Calls fn for every pipeline × entry × account (at most `max_accounts`,
 * spread over the world) × region. */
static void
each_spec (const AmsScenario *sc, const AmsWorld *w, guint max_accounts, SpecFn fn, gpointer user)
{
  guint n = ams_world_n_accounts (w);
  Spreading s = { w, n > max_accounts ? (n + max_accounts - 1) / max_accounts : 1, fn, user };
  each_entry (sc, w, spread_one, &s);
}

typedef struct
{
  AmsAccess *ax, *plain;
  Tally *t;
} Asking;

static void
ask_both (const AmsCopySpec *spec, gpointer user)
{
  Asking *k = user;
  ask (k->ax, k->plain, spec, AMS_COPY_AT_REQUEST, k->t);
  ask (k->ax, k->plain, spec, AMS_COPY_AT_TRANSFER, k->t);
}

/* Both phases of every spec each_spec makes. */
static void
ask_all (const AmsScenario *sc, const AmsWorld *w, AmsAccess *ax, AmsAccess *plain,
         guint max_accounts, Tally *t)
{
  Asking k = { ax, plain, t };
  each_spec (sc, w, max_accounts, ask_both, &k);
}

static AmsScenario *
load (const char *file)
{
  g_autofree char *path = ams_source_path (file);
  g_autoptr (GError) error = NULL;
  AmsScenario *sc = ams_scenario_load_file (path, NULL, 0, &error);
  if (sc == NULL)
    printf ("\n%s: %s\n", file, error->message);
  return sc;
}

static void
test_cache_agrees_with_evaluation (void)
{
  static const char *const files[] = {
    "scenarios/broken-permissions.yaml", "scenarios/encrypted-multiregion.yaml",
    "scenarios/org-fanout.yaml",         "scenarios/supply-chain.yaml",
    "scenarios/lifecycle-cross-account.yaml", "scenarios/quickstart.yaml",
  };
  Tally all = { 0 };
  guint events = 0;
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autoptr (AmsScenario) sc = load (files[f]);
      CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
      g_autoptr (AmsWorld) w = ams_world_new (sc);
      g_autoptr (AmsAccess) ax = ams_access_new (w);
      g_autoptr (AmsAccess) plain = ams_access_new (w);
      Tally t = { 0 };
      ask_all (sc, w, ax, plain, 40, &t); /* fills the cache */
      ask_all (sc, w, ax, plain, 40, &t); /* answers from it */
      /* each what-if event changes the world; the cache answers for the new one */
      for (guint i = 0; i < sc->events->len; i++)
        if (ams_world_apply_event (w, sc->events->pdata[i]))
          {
            events++;
            ask_all (sc, w, ax, plain, 40, &t);
          }
      if (t.differ > 0)
        printf ("\n    %s: %u of %u answers differ", files[f], t.differ, t.asked);
      CU_ASSERT_EQUAL (t.differ, 0);
      all.asked += t.asked;
      all.refused += t.refused;
      for (guint c = 0; c < AMS_CAUSE_COUNT; c++)
        all.by_cause[c] = all.by_cause[c] || t.by_cause[c];
    }
  /* the worlds are varied: many refusals, of many kinds, and events */
  guint kinds = 0;
  for (guint c = 0; c < AMS_CAUSE_COUNT; c++)
    kinds += all.by_cause[c] ? 1 : 0;
  CU_ASSERT_TRUE (all.refused > 100 && all.refused < all.asked);
  CU_ASSERT_TRUE (kinds >= 8);
  CU_ASSERT_TRUE (events >= 2);
}

/* ams_access_copy_question: specs given one number get the same answer,
 * at both phases, from a fresh evaluation (the engine shares one decision
 * between them); the estates' pipelines do share numbers. */
typedef struct
{
  gboolean ok[2];
  AmsBlocker b[2];
} Answer;

static void
answer_free (gpointer p)
{
  Answer *a = p;
  ams_blocker_clear (&a->b[0]);
  ams_blocker_clear (&a->b[1]);
  g_free (a);
}

typedef struct
{
  AmsAccess *ax;
  GHashTable *answers; /* 1 + question number -> Answer* of its first spec */
  guint specs, numbers, differ;
} Numbering;

static void
number_one (const AmsCopySpec *spec, gpointer user)
{
  Numbering *n = user;
  guint q = ams_access_copy_question (n->ax, spec);
  CU_ASSERT_EQUAL (ams_access_copy_question (n->ax, spec), q); /* stable */
  Answer *now = g_new0 (Answer, 1);
  for (int ph = 0; ph < 2; ph++)
    now->ok[ph] = ams__access_check_copy_phase_uncached (n->ax, spec, (AmsCopyPhase) ph,
                                                         &now->b[ph]);
  n->specs++;
  Answer *first = g_hash_table_lookup (n->answers, GUINT_TO_POINTER (q + 1));
  if (first == NULL)
    {
      g_hash_table_insert (n->answers, GUINT_TO_POINTER (q + 1), now);
      n->numbers++;
      return;
    }
  for (int ph = 0; ph < 2; ph++)
    if (first->ok[ph] != now->ok[ph] || !blockers_equal (&first->b[ph], &now->b[ph]))
      n->differ++;
  answer_free (now);
}

static void
test_question_numbers (void)
{
  static const char *const files[] = {
    "scenarios/broken-permissions.yaml", "scenarios/encrypted-multiregion.yaml",
    "scenarios/org-fanout.yaml", "scenarios/lifecycle-cross-account.yaml",
  };
  Numbering n = { 0 };
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autoptr (AmsScenario) sc = load (files[f]);
      CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
      g_autoptr (AmsWorld) w = ams_world_new (sc);
      g_autoptr (AmsAccess) ax = ams_access_new (w);
      g_autoptr (GHashTable) answers = g_hash_table_new_full (NULL, NULL, NULL, answer_free);
      n.ax = ax;
      n.answers = answers;
      each_spec (sc, w, 40, number_one, &n);
    }
  guint differ = n.differ, numbers = n.numbers, specs = n.specs;
  CU_ASSERT_EQUAL (differ, 0);
  CU_ASSERT_TRUE (numbers > 10 && numbers < specs); /* shared, but not all one */
}

#define DIST_TRUST \
  "{Statement: [{Effect: Allow, Action: \"sts:AssumeRole\", Principal: {AWS: " \
  "\"arn:aws:iam::111111111111:root\"}}]}"

/* A healthy world: an encrypted image copied to two accounts in two
 * regions, the key's policy allowing both. */
static const char healthy_yaml[] =
  "amisim: 1\n"
  "horizon: 1d\n"
  "regions: [{name: us-east-1}, {name: eu-west-1}]\n"
  "organizations:\n"
  "  - id: o-a1b2c3d4e5\n"
  "    management_account: \"999999999999\"\n"
  "    root: r-a1b2\n"
  "    units:\n"
  "      - {id: ou-a1b2-aaaaaaaa, name: good, accounts: [\"222222222222\", \"333333333333\"]}\n"
  "      - {id: ou-a1b2-bbbbbbbb, name: deny}\n"
  "    scps:\n"
  "      - target: ou-a1b2-bbbbbbbb\n"
  "        name: no-copies\n"
  "        policy: {Statement: [{Effect: Deny, Action: \"ec2:CopyImage\", Resource: \"*\"}]}\n"
  "x-role: &role\n"
  "  name: EC2ImageBuilderDistributionCrossAccountRole\n"
  "  trust: " DIST_TRUST "\n"
  "  managed_policies: [Ec2ImageBuilderCrossAccountDistributionAccess]\n"
  "  inline_policies: [{Statement: [{Effect: Allow, Action: \"kms:*\", Resource: \"*\"}]}]\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "    kms_keys:\n"
  "      - id: 1234abcd-12ab-34cd-56ef-1234567890ab\n"
  "        region: us-east-1\n"
  "        alias: alias/golden\n"
  "        policy: {Statement: [{Sid: Fleet, Effect: Allow, Action: \"kms:*\", Resource: \"*\", "
  "Principal: {AWS: [\"111111111111\", \"222222222222\", \"333333333333\"]}}]}\n"
  "  - {id: \"999999999999\"}\n"
  "  - {id: \"222222222222\", roles: [*role]}\n"
  "  - {id: \"333333333333\", roles: [*role]}\n"
  "pipelines:\n"
  "  - name: golden\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    schedule: {scheduleExpression: rate(1 day), pipelineExecutionStartCondition: "
  "EXPRESSION_MATCH_ONLY}\n"
  "    recipe: {name: golden, version: 1.0.0, encrypted: true, kms_key: alias/golden}\n"
  "    build_time: 10m\n"
  "    test_time: 0s\n"
  "    distribution:\n"
  "      name: fanout\n"
  "      distributions:\n"
  "        - region: us-east-1\n"
  "          amiDistributionConfiguration: {targetAccountIds: [\"222222222222\", "
  "\"333333333333\"]}\n"
  "        - region: eu-west-1\n"
  "          amiDistributionConfiguration: {targetAccountIds: [\"222222222222\", "
  "\"333333333333\"]}\n";

/* The copy to `target` in the pipeline's entry `e`, both phases: the
 * cause of the first refusal (AMS_CAUSE_NONE if allowed), checked against
 * the uncached evaluation. */
static AmsCause
copy_cause (const AmsScenario *sc, const AmsWorld *w, AmsAccess *ax, const char *target, guint e)
{
  const AmsScPipeline *pl = sc->pipelines->pdata[0];
  const AmsScDistRegion *entry = pl->distributions->pdata[e];
  AmsCopySpec spec = {
    .pipeline = pl,
    .owner = ams_world_find_account (w, pl->account.value),
    .source_region = ams_world_find_region (w, pl->region.value),
    .entry = entry,
    .region = ams_world_find_region (w, entry->region.value),
    .target = ams_world_find_account (w, target),
  };
  g_autoptr (AmsAccess) plain = ams_access_new (w);
  Tally t = { 0 };
  ask (ax, plain, &spec, AMS_COPY_AT_REQUEST, &t);
  ask (ax, plain, &spec, AMS_COPY_AT_TRANSFER, &t);
  CU_ASSERT_EQUAL (t.differ, 0);
  g_auto (AmsBlocker) b = { 0 };
  if (ams_access_check_copy (ax, &spec, &b))
    return AMS_CAUSE_NONE;
  return b.cause;
}

static void
test_cache_follows_world_changes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("amisim-cache-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "healthy.yaml", NULL);
  CU_ASSERT_TRUE_FATAL (g_file_set_contents (path, healthy_yaml, -1, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsScenario) sc = ams_scenario_load_file (path, NULL, 0, &error);
  g_unlink (path);
  g_rmdir (dir);
  if (sc == NULL)
    printf ("\n%s\n", error->message);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsAccess) ax = ams_access_new (w);
  const AmsAccount *owner = ams_world_find_account (w, "111111111111");
  const AmsAccount *a2 = ams_world_find_account (w, "222222222222");
  const AmsRegion *use1 = ams_world_find_region (w, "us-east-1");
  AmsKeyInfo k;
  CU_ASSERT_EQUAL_FATAL (ams_world_find_key (w, "alias/golden", owner, use1, &k), AMS_KEY_FOUND);

  /* healthy, asked twice (the second from the cache) */
  for (guint i = 0; i < 2; i++)
    for (guint e = 0; e < 2; e++)
      {
        CU_ASSERT_EQUAL (copy_cause (sc, w, ax, "222222222222", e), AMS_CAUSE_NONE);
        CU_ASSERT_EQUAL (copy_cause (sc, w, ax, "333333333333", e), AMS_CAUSE_NONE);
      }
  guint64 g = ams_world_generation (w);

  /* the key disabled: every copy fails at once; enabled: healthy again */
  ams_world_set_key_state (w, &k, AMS_KEY_DISABLED);
  CU_ASSERT_TRUE (ams_world_generation (w) > g);
  CU_ASSERT_EQUAL (copy_cause (sc, w, ax, "222222222222", 0), AMS_CAUSE_KEY_DISABLED);
  CU_ASSERT_EQUAL (copy_cause (sc, w, ax, "333333333333", 1), AMS_CAUSE_KEY_DISABLED);
  ams_world_set_key_state (w, &k, AMS_KEY_ENABLED);
  CU_ASSERT_EQUAL (copy_cause (sc, w, ax, "222222222222", 0), AMS_CAUSE_NONE);
  CU_ASSERT_EQUAL (copy_cause (sc, w, ax, "333333333333", 1), AMS_CAUSE_NONE);

  /* the key policy's statement removed: the cross-account copies fail */
  CU_ASSERT_TRUE (ams_world_remove_key_statement (w, &k, 0));
  CU_ASSERT_EQUAL (copy_cause (sc, w, ax, "222222222222", 1), AMS_CAUSE_KEY_POLICY_DENIES);

  /* one account's role deleted: only its copies fail */
  g_autoptr (AmsWorld) w2 = ams_world_new (sc);
  g_autoptr (AmsAccess) ax2 = ams_access_new (w2);
  const AmsAccount *b2 = ams_world_find_account (w2, "222222222222");
  for (guint e = 0; e < 2; e++)
    CU_ASSERT_EQUAL (copy_cause (sc, w2, ax2, "222222222222", e), AMS_CAUSE_NONE);
  CU_ASSERT_TRUE (ams_world_delete_role (w2, b2, AMS_CROSS_ACCOUNT_ROLE));
  for (guint e = 0; e < 2; e++)
    {
      CU_ASSERT_EQUAL (copy_cause (sc, w2, ax2, "222222222222", e), AMS_CAUSE_ROLE_MISSING);
      CU_ASSERT_EQUAL (copy_cause (sc, w2, ax2, "333333333333", e), AMS_CAUSE_NONE);
    }

  /* an account moved into an OU whose SCP denies the copy, and back */
  const AmsAccount *c2 = ams_world_find_account (w2, "333333333333");
  ams_world_move_account (w2, c2, ams_world_find_org_node (w2, "ou-a1b2-bbbbbbbb"));
  CU_ASSERT_EQUAL (copy_cause (sc, w2, ax2, "333333333333", 0), AMS_CAUSE_SCP_DENIES);
  ams_world_move_account (w2, c2, ams_world_find_org_node (w2, "ou-a1b2-aaaaaaaa"));
  CU_ASSERT_EQUAL (copy_cause (sc, w2, ax2, "333333333333", 0), AMS_CAUSE_NONE);

  /* the trust of a role edited to drop its only statement */
  CU_ASSERT_TRUE (ams_world_remove_role_statement (w2, c2, AMS_CROSS_ACCOUNT_ROLE, -1, 0));
  CU_ASSERT_EQUAL (copy_cause (sc, w2, ax2, "333333333333", 1), AMS_CAUSE_ROLE_TRUST_DENIES);
  (void) a2;
}

typedef struct
{
  const AmsWorld *w;
  AmsAccess *ax;  /* by lists */
  AmsAccess *one; /* one by one, in the same order */
  guint lists, differ;
} ListNumbering;

static void
number_list (const AmsCopySpec *spec, gpointer user)
{
  ListNumbering *n = user;
  const GArray *ids = spec->entry->target_account_ids;
  g_autofree const AmsAccount **targets = g_new (const AmsAccount *, ids->len + 1);
  for (guint i = 0; i < ids->len; i++)
    targets[i] = ams_world_find_account (n->w, g_array_index (ids, AmsScRef, i).value);
  const guint *got = ams_access_copy_questions (n->ax, spec, ids, targets, ids->len);
  CU_ASSERT_PTR_NOT_NULL_FATAL (got);
  CU_ASSERT_PTR_EQUAL (ams_access_copy_questions (n->ax, spec, ids, targets, ids->len), got);
  n->lists++;
  for (guint i = 0; i < ids->len; i++)
    {
      AmsCopySpec s = *spec;
      s.target = targets[i];
      if (targets[i] == spec->owner)
        {
          n->differ += got[i] != G_MAXUINT;
          continue;
        }
      n->differ += got[i] != ams_access_copy_question (n->one, &s);
      n->differ += got[i] != ams_access_copy_question (n->ax, &s);
    }
}

/* ams_access_copy_questions (issue 16: an estate's set-up numbers a list's
 * targets at once): for every pipeline × entry of the shipped scenarios,
 * its numbers are those ams_access_copy_question gives one by one, in the
 * order first seen; G_MAXUINT for the owner; the same array for the same
 * spec and list, and for another spec (another region) not. */
static void
test_question_numbers_of_lists (void)
{
  static const char *const files[] = {
    "scenarios/broken-permissions.yaml", "scenarios/encrypted-multiregion.yaml",
    "scenarios/org-fanout.yaml", "scenarios/capacity.yaml",
  };
  guint lists = 0, differ = 0;
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autoptr (AmsScenario) sc = load (files[f]);
      CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
      g_autoptr (AmsWorld) w = ams_world_new (sc);
      g_autoptr (AmsAccess) ax = ams_access_new (w);
      g_autoptr (AmsAccess) one = ams_access_new (w);
      ListNumbering n = { w, ax, one, 0, 0 };
      each_entry (sc, w, number_list, &n);
      lists += n.lists;
      differ += n.differ;
    }
  CU_ASSERT_EQUAL (differ, 0);
  CU_ASSERT_TRUE (lists > 600); /* capacity: 80 pipelines x 8 regions */
  /* (no shipped list names its owner: the world below does) */

  /* the owner in the list asks nothing; the same list in another region
   * is another question: numbers of its own */
  g_autoptr (AmsScenario) sc = ams_scenario_load_data ("healthy.yaml", healthy_yaml, -1, NULL, 0,
                                                       NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsAccess) ax = ams_access_new (w);
  const AmsScPipeline *pl = sc->pipelines->pdata[0];
  const AmsScDistRegion *us = pl->distributions->pdata[0], *eu = pl->distributions->pdata[1];
  const AmsAccount *targets[] = { ams_world_find_account (w, "222222222222"),
                                  ams_world_find_account (w, "111111111111"),
                                  ams_world_find_account (w, "333333333333") };
  AmsCopySpec spec = {
    .pipeline = pl,
    .owner = targets[1],
    .source_region = ams_world_find_region (w, "us-east-1"),
    .entry = us,
    .region = ams_world_find_region (w, "us-east-1"),
  };
  const guint *a = ams_access_copy_questions (ax, &spec, us->target_account_ids, targets, 3);
  CU_ASSERT_EQUAL (a[0], 0);
  CU_ASSERT_EQUAL (a[1], G_MAXUINT);
  CU_ASSERT_EQUAL (a[2], 1);
  spec.entry = eu;
  spec.region = ams_world_find_region (w, "eu-west-1");
  const guint *b = ams_access_copy_questions (ax, &spec, us->target_account_ids, targets, 3);
  CU_ASSERT_PTR_NOT_EQUAL (a, b);
  CU_ASSERT_EQUAL (b[0], 2);
  CU_ASSERT_EQUAL (b[1], G_MAXUINT);
  CU_ASSERT_EQUAL (b[2], 3);
}

static const AmsTestCase cases[] = {
  { "cache agrees with the evaluation", test_cache_agrees_with_evaluation },
  { "cache follows world changes", test_cache_follows_world_changes },
  { "question numbers", test_question_numbers },
  { "question numbers of lists", test_question_numbers_of_lists },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("access_cache", cases);
}
