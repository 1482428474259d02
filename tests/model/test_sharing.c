/* Tests of the sharing module (include/amisim/sharing.h): AMI launch
 * permissions with organizations and nested OUs, and RAM shares of Image
 * Builder resources. One organization with a three-level OU tree (root →
 * ou-a → ou-b → ou-c, plus two siblings of ou-a) and accounts at every
 * level is the world of most cases.
 */
#include "amisim/sharing.h"
#include "ams_test.h"

#include <string.h>

/* ---- the world ---------------------------------------------------------- */

#define ORG "o-abcdefghij"
#define OTHER_ORG "o-zzzzzzzzzz"
#define ROOT ORG "/r-ab12/"
#define OU_A "ou-ab12-aaaaaaaa"
#define OU_B "ou-ab12-bbbbbbbb"
#define OU_C "ou-ab12-cccccccc"
#define OU_S "ou-ab12-ssssssss"  /* sibling of ou-a */
#define OU_X "ou-ab12-aaaaaaaaa" /* sibling whose id starts with ou-a's */

#define ORG_ARN "arn:aws:organizations::111111111111:organization/" ORG
#define OTHER_ORG_ARN "arn:aws:organizations::999999999999:organization/" OTHER_ORG
#define OU_ARN(ou) "arn:aws:organizations::111111111111:ou/" ORG "/" ou

#define OWNER "111111111111"

enum
{
  P_OWNER,
  P_ROOT,
  P_A,
  P_B,
  P_C,
  P_S,
  P_X,
  P_OTHER, /* another organization, with an OU of the same id as ou-a */
  P_LONER, /* in no organization */
  N_PLACES
};

static const AmsPlace places[N_PLACES] = {
  [P_OWNER] = { OWNER, ORG, ROOT },
  [P_ROOT] = { "100000000000", ORG, ROOT },
  [P_A] = { "200000000000", ORG, ROOT OU_A "/" },
  [P_B] = { "300000000000", ORG, ROOT OU_A "/" OU_B "/" },
  [P_C] = { "400000000000", ORG, ROOT OU_A "/" OU_B "/" OU_C "/" },
  [P_S] = { "500000000000", ORG, ROOT OU_S "/" },
  [P_X] = { "600000000000", ORG, ROOT OU_X "/" },
  [P_OTHER] = { "700000000000", OTHER_ORG, OTHER_ORG "/r-zz99/" OU_A "/" },
  [P_LONER] = { "800000000000", NULL, NULL },
};

static const char *const place_names[N_PLACES] = {
  "owner", "root", "a", "b", "c", "s", "x", "other", "loner",
};

static AmsLaunchPerms *
new_perms (void)
{
  const AmsAmiTraits traits = { 0 };
  return ams_launch_perms_new (OWNER, &traits);
}

/* A twelve-digit account id made from a number. */
static void
account_id (char buf[13], guint n)
{
  g_snprintf (buf, 13, "9%011u", n);
}

/* ---- launch permissions ------------------------------------------------- */

static void
test_sharing_result_names (void)
{
  static const struct
  {
    AmsShareResult r;
    const char *name;
  } share[] = {
    { AMS_SHARE_OK, "ok" },
    { AMS_SHARE_STILL_COVERED, "still_covered" },
    { AMS_SHARE_AWS_MANAGED_KEY, "aws_managed_key" },
    { AMS_SHARE_PUBLIC_BLOCKED, "public_blocked" },
    { AMS_SHARE_BAD_ARN, "bad_arn" },
    { AMS_SHARE_TOO_MANY, "too_many" },
    { AMS_SHARE_NOT_OWNER, "not_owner" },
    { AMS_SHARE_DISABLED, "disabled" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (share); i++)
    CU_ASSERT_STRING_EQUAL (ams_share_result_name (share[i].r), share[i].name);

  static const struct
  {
    AmsRamResult r;
    const char *name;
  } ram[] = {
    { AMS_RAM_OK, "ok" },
    { AMS_RAM_PENDING, "pending" },
    { AMS_RAM_NOT_OWNER, "not_owner" },
    { AMS_RAM_WRONG_REGION, "wrong_region" },
    { AMS_RAM_STILL_SHARED, "still_shared" },
    { AMS_RAM_IN_USE, "in_use" },
    { AMS_RAM_UNKNOWN, "unknown" },
    { AMS_RAM_KEY_NOT_SHARED, "key_not_shared" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (ram); i++)
    CU_ASSERT_STRING_EQUAL (ams_ram_result_name (ram[i].r), ram[i].name);
}

typedef enum
{
  T_ORG,
  T_OU,
  T_ACCOUNT,
  T_ALL,
} TargetKind;

/* Which places can launch after one share (the owner always can). */
static const struct
{
  TargetKind kind;
  const char *target;
  gboolean sees[N_PLACES];
} visibility[] = {
  /*                               owner root  a     b     c     s     x     other loner */
  { T_ORG, ORG_ARN, { TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, FALSE, FALSE } },
  { T_ORG, OTHER_ORG_ARN, { TRUE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, TRUE, FALSE } },
  { T_OU, OU_ARN (OU_A), { TRUE, FALSE, TRUE, TRUE, TRUE, FALSE, FALSE, FALSE, FALSE } },
  { T_OU, OU_ARN (OU_B), { TRUE, FALSE, FALSE, TRUE, TRUE, FALSE, FALSE, FALSE, FALSE } },
  { T_OU, OU_ARN (OU_C), { TRUE, FALSE, FALSE, FALSE, TRUE, FALSE, FALSE, FALSE, FALSE } },
  { T_OU, OU_ARN (OU_S), { TRUE, FALSE, FALSE, FALSE, FALSE, TRUE, FALSE, FALSE, FALSE } },
  { T_OU, OU_ARN (OU_X), { TRUE, FALSE, FALSE, FALSE, FALSE, FALSE, TRUE, FALSE, FALSE } },
  { T_ACCOUNT, "300000000000", { TRUE, FALSE, FALSE, TRUE, FALSE, FALSE, FALSE, FALSE, FALSE } },
  { T_ALL, NULL, { TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE } },
};

static AmsShareResult
add_target (AmsLaunchPerms *lp, const char *caller, TargetKind kind, const char *target)
{
  switch (kind)
    {
    case T_ORG:
      return ams_launch_perms_add_org (lp, caller, target);
    case T_OU:
      return ams_launch_perms_add_ou (lp, caller, target);
    case T_ACCOUNT:
      return ams_launch_perms_add_account (lp, caller, target);
    case T_ALL:
      return ams_launch_perms_add_all (lp, caller);
    }
  g_assert_not_reached ();
  return AMS_SHARE_BAD_ARN;
}

static void
test_sharing_org_ou_visibility (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (visibility); i++)
    {
      g_autoptr (AmsLaunchPerms) lp = new_perms ();
      CU_ASSERT_EQUAL (add_target (lp, OWNER, visibility[i].kind, visibility[i].target),
                       AMS_SHARE_OK);
      CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 1);
      for (int p = 0; p < N_PLACES; p++)
        if (ams_launch_perms_can_launch (lp, &places[p]) != visibility[i].sees[p])
          {
            g_printerr ("\n  share %s: %s expected %s\n",
                        visibility[i].target ? visibility[i].target : "all", place_names[p],
                        visibility[i].sees[p] ? "to launch" : "not to launch");
            CU_FAIL ("launch visibility");
          }
    }
}

static void
test_sharing_no_share_owner_only (void)
{
  g_autoptr (AmsLaunchPerms) lp = new_perms ();
  for (int p = 0; p < N_PLACES; p++)
    CU_ASSERT_EQUAL (ams_launch_perms_can_launch (lp, &places[p]), p == P_OWNER);
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 0);
  CU_ASSERT_FALSE (ams_launch_perms_is_public (lp));
  /* Listing the owner changes nothing, and does not count. */
  CU_ASSERT_EQUAL (ams_launch_perms_add_account (lp, OWNER, OWNER), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 0);
  /* Removing the owner leaves it its access. */
  CU_ASSERT_EQUAL (ams_launch_perms_remove_account (lp, OWNER, OWNER), AMS_SHARE_OK);
  CU_ASSERT_TRUE (ams_launch_perms_can_launch (lp, &places[P_OWNER]));
}

static void
test_sharing_add_twice_changes_nothing (void)
{
  g_autoptr (AmsLaunchPerms) lp = new_perms ();
  for (int round = 0; round < 2; round++)
    {
      CU_ASSERT_EQUAL (ams_launch_perms_add_account (lp, OWNER, places[P_S].account), AMS_SHARE_OK);
      CU_ASSERT_EQUAL (ams_launch_perms_add_org (lp, OWNER, ORG_ARN), AMS_SHARE_OK);
      CU_ASSERT_EQUAL (ams_launch_perms_add_ou (lp, OWNER, OU_ARN (OU_B)), AMS_SHARE_OK);
      CU_ASSERT_EQUAL (ams_launch_perms_add_all (lp, OWNER), AMS_SHARE_OK);
    }
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 4);
  /* Another management account in the ARN names the same organization. */
  CU_ASSERT_EQUAL (ams_launch_perms_add_org (
                       lp, OWNER, "arn:aws:organizations::222222222222:organization/" ORG),
                   AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 4);
  CU_ASSERT_TRUE (ams_launch_perms_is_public (lp));
}

static void
test_sharing_remove_covered_account (void)
{
  g_autoptr (AmsLaunchPerms) lp = new_perms ();
  const AmsPlace *c = &places[P_C];
  CU_ASSERT_EQUAL (ams_launch_perms_add_ou (lp, OWNER, OU_ARN (OU_B)), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_add_account (lp, OWNER, c->account), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 2);

  /* ou-b still covers the account in ou-c: the removal "succeeds" but
   * access stays. */
  CU_ASSERT_EQUAL (ams_launch_perms_remove_account_at (lp, OWNER, c), AMS_SHARE_STILL_COVERED);
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 1);
  CU_ASSERT_TRUE (ams_launch_perms_can_launch (lp, c));

  /* An account only listed loses its access. */
  CU_ASSERT_EQUAL (ams_launch_perms_add_account (lp, OWNER, places[P_S].account), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_remove_account_at (lp, OWNER, &places[P_S]), AMS_SHARE_OK);
  CU_ASSERT_FALSE (ams_launch_perms_can_launch (lp, &places[P_S]));
  /* Removing one never listed is fine too. */
  CU_ASSERT_EQUAL (ams_launch_perms_remove_account_at (lp, OWNER, &places[P_ROOT]), AMS_SHARE_OK);

  /* Once the OU share goes, so does the access. */
  CU_ASSERT_EQUAL (ams_launch_perms_remove_ou (lp, OWNER, OU_ARN (OU_B)), AMS_SHARE_OK);
  CU_ASSERT_FALSE (ams_launch_perms_can_launch (lp, c));
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 0);

  /* The organization covers it the same way. */
  CU_ASSERT_EQUAL (ams_launch_perms_add_org (lp, OWNER, ORG_ARN), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_remove_account_at (lp, OWNER, c), AMS_SHARE_STILL_COVERED);
  CU_ASSERT_EQUAL (ams_launch_perms_remove_org (lp, OWNER, ORG_ARN), AMS_SHARE_OK);

  /* By id alone only `all` can be seen to cover the account. */
  CU_ASSERT_EQUAL (ams_launch_perms_add_all (lp, OWNER), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_add_account (lp, OWNER, places[P_LONER].account),
                   AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_remove_account (lp, OWNER, places[P_LONER].account),
                   AMS_SHARE_STILL_COVERED);
  CU_ASSERT_TRUE (ams_launch_perms_can_launch (lp, &places[P_LONER]));
  CU_ASSERT_EQUAL (ams_launch_perms_remove_all (lp, OWNER), AMS_SHARE_OK);
  CU_ASSERT_FALSE (ams_launch_perms_can_launch (lp, &places[P_LONER]));
  CU_ASSERT_FALSE (ams_launch_perms_is_public (lp));
}

static void
test_sharing_reset (void)
{
  g_autoptr (AmsLaunchPerms) lp = new_perms ();
  CU_ASSERT_EQUAL (ams_launch_perms_add_org (lp, OWNER, ORG_ARN), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_add_ou (lp, OWNER, OU_ARN (OU_A)), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_add_account (lp, OWNER, places[P_LONER].account),
                   AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_add_all (lp, OWNER), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 4);

  CU_ASSERT_EQUAL (ams_launch_perms_reset (lp, places[P_A].account), AMS_SHARE_NOT_OWNER);
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 4);
  CU_ASSERT_EQUAL (ams_launch_perms_reset (lp, OWNER), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 0);
  CU_ASSERT_FALSE (ams_launch_perms_is_public (lp));
  for (int p = 0; p < N_PLACES; p++)
    CU_ASSERT_EQUAL (ams_launch_perms_can_launch (lp, &places[p]), p == P_OWNER);
  /* Unlike disabling, a reset AMI can be shared again. */
  CU_ASSERT_EQUAL (ams_launch_perms_add_ou (lp, OWNER, OU_ARN (OU_C)), AMS_SHARE_OK);
  CU_ASSERT_TRUE (ams_launch_perms_can_launch (lp, &places[P_C]));
}

static void
test_sharing_public_block (void)
{
  const AmsAmiTraits blocked = { .block_public = TRUE };
  g_autoptr (AmsLaunchPerms) lp = ams_launch_perms_new (OWNER, &blocked);
  CU_ASSERT_EQUAL (ams_launch_perms_add_all (lp, OWNER), AMS_SHARE_PUBLIC_BLOCKED);
  CU_ASSERT_FALSE (ams_launch_perms_is_public (lp));
  CU_ASSERT_FALSE (ams_launch_perms_can_launch (lp, &places[P_LONER]));
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 0);
  /* Block public access does not stop sharing with accounts or an org. */
  CU_ASSERT_EQUAL (ams_launch_perms_add_account (lp, OWNER, places[P_LONER].account),
                   AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_add_org (lp, OWNER, ORG_ARN), AMS_SHARE_OK);

  g_autoptr (AmsLaunchPerms) open = new_perms ();
  CU_ASSERT_EQUAL (ams_launch_perms_add_all (open, OWNER), AMS_SHARE_OK);
  CU_ASSERT_TRUE (ams_launch_perms_is_public (open));
}

static void
test_sharing_aws_managed_key (void)
{
  const AmsAmiTraits managed = { .aws_managed_key = TRUE };
  g_autoptr (AmsLaunchPerms) lp = ams_launch_perms_new (OWNER, &managed);
  for (gsize i = 0; i < G_N_ELEMENTS (visibility); i++)
    CU_ASSERT_EQUAL (add_target (lp, OWNER, visibility[i].kind, visibility[i].target),
                     AMS_SHARE_AWS_MANAGED_KEY);
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 0);
  for (int p = 0; p < N_PLACES; p++)
    CU_ASSERT_EQUAL (ams_launch_perms_can_launch (lp, &places[p]), p == P_OWNER);
}

static void
test_sharing_bad_arn (void)
{
  static const struct
  {
    TargetKind kind;
    const char *target;
  } bad[] = {
    { T_ORG, ORG },                                      /* the id alone */
    { T_OU, OU_A },                                      /* the id alone */
    { T_OU, ORG "/" OU_A },                              /* ids, no ARN */
    { T_ORG, "r-ab12" },                                 /* a root */
    { T_ORG, OU_ARN (OU_A) },                            /* an OU where an org is asked */
    { T_OU, ORG_ARN },                                   /* an org where an OU is asked */
    { T_ORG, ORG_ARN "\n" },                             /* trailing newline */
    { T_ORG, ORG_ARN "/x" },                             /* trailing garbage */
    { T_OU, OU_ARN (OU_A) "/extra" },                    /* the model's OU pattern is unanchored */
    { T_ORG, "arn:aws:organizations::11111111111:organization/" ORG },  /* 11 digits */
    { T_ORG, "arn:aws:organizations:us-east-1:111111111111:organization/" ORG },
    { T_ORG, "arn:aws:iam::111111111111:organization/" ORG },
    { T_ORG, "arn:aws:organizations::111111111111:organization/o-ABCDEFGHIJ" },
    { T_ORG, "arn:aws:organizations::111111111111:organization/o-abc" },
    { T_OU, "arn:aws:organizations::111111111111:ou/" ORG "/ou-ab1-11111111" },
    { T_ORG, "" },
    { T_ORG, NULL },
    { T_ACCOUNT, "12345678901" },
    { T_ACCOUNT, "1234567890123" },
    { T_ACCOUNT, "12345678901A" },
    { T_ACCOUNT, ORG },
  };
  g_autoptr (AmsLaunchPerms) lp = new_perms ();
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      AmsShareResult r = add_target (lp, OWNER, bad[i].kind, bad[i].target);
      if (r != AMS_SHARE_BAD_ARN)
        {
          g_printerr ("\n  %s: %s\n", bad[i].target ? bad[i].target : "(null)",
                      ams_share_result_name (r));
          CU_FAIL ("expected bad_arn");
        }
    }
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 0);
  CU_ASSERT_EQUAL (ams_launch_perms_remove_org (lp, OWNER, ORG), AMS_SHARE_BAD_ARN);
  CU_ASSERT_EQUAL (ams_launch_perms_remove_ou (lp, OWNER, OU_A), AMS_SHARE_BAD_ARN);
  CU_ASSERT_EQUAL (ams_launch_perms_remove_account (lp, OWNER, "o-abcdefghij"),
                   AMS_SHARE_BAD_ARN);

  /* Other partitions are ARNs too. */
  CU_ASSERT_EQUAL (ams_launch_perms_add_org (
                       lp, OWNER, "arn:aws-cn:organizations::111111111111:organization/" ORG),
                   AMS_SHARE_OK);
  CU_ASSERT_EQUAL (
      ams_launch_perms_add_ou (lp, OWNER,
                               "arn:aws-us-gov:organizations::111111111111:ou/" ORG "/" OU_B),
      AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 2);
}

static void
test_sharing_target_limit (void)
{
  g_autoptr (AmsLaunchPerms) lp = new_perms ();
  char id[13];
  /* An organization, an OU and `all` count one each. */
  CU_ASSERT_EQUAL (ams_launch_perms_add_org (lp, OWNER, ORG_ARN), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_add_ou (lp, OWNER, OU_ARN (OU_A)), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_add_all (lp, OWNER), AMS_SHARE_OK);
  for (guint i = 0; i < 997; i++)
    {
      account_id (id, i);
      CU_ASSERT_EQUAL (ams_launch_perms_add_account (lp, OWNER, id), AMS_SHARE_OK);
    }
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 1000);

  account_id (id, 997);
  CU_ASSERT_EQUAL (ams_launch_perms_add_account (lp, OWNER, id), AMS_SHARE_TOO_MANY);
  CU_ASSERT_EQUAL (ams_launch_perms_add_org (lp, OWNER, OTHER_ORG_ARN), AMS_SHARE_TOO_MANY);
  CU_ASSERT_EQUAL (ams_launch_perms_add_ou (lp, OWNER, OU_ARN (OU_S)), AMS_SHARE_TOO_MANY);
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 1000);
  /* What is already there can be added again; the owner is no target. */
  account_id (id, 5);
  CU_ASSERT_EQUAL (ams_launch_perms_add_account (lp, OWNER, id), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_add_org (lp, OWNER, ORG_ARN), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_add_all (lp, OWNER), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_add_account (lp, OWNER, OWNER), AMS_SHARE_OK);

  /* Dropping `all` frees one slot. */
  CU_ASSERT_EQUAL (ams_launch_perms_remove_all (lp, OWNER), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_add_ou (lp, OWNER, OU_ARN (OU_S)), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 1000);

  /* Every listed account can launch; an unlisted one outside the org cannot. */
  guint launch = 0;
  for (guint i = 0; i < 1000; i++)
    {
      account_id (id, i);
      const AmsPlace who = { .account = id };
      launch += ams_launch_perms_can_launch (lp, &who) ? 1 : 0;
    }
  CU_ASSERT_EQUAL (launch, 997);
}

static void
test_sharing_disabled (void)
{
  g_autoptr (AmsLaunchPerms) lp = new_perms ();
  CU_ASSERT_EQUAL (ams_launch_perms_add_org (lp, OWNER, ORG_ARN), AMS_SHARE_OK);
  CU_ASSERT_EQUAL (ams_launch_perms_add_account (lp, OWNER, places[P_LONER].account),
                   AMS_SHARE_OK);
  CU_ASSERT_FALSE (ams_launch_perms_is_disabled (lp));

  ams_launch_perms_set_disabled (lp, TRUE);
  CU_ASSERT_TRUE (ams_launch_perms_is_disabled (lp));
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 0);
  /* Nobody launches, not even the owner, who still owns it. */
  for (int p = 0; p < N_PLACES; p++)
    CU_ASSERT_FALSE (ams_launch_perms_can_launch (lp, &places[p]));
  CU_ASSERT_TRUE (ams_launch_perms_can_modify (lp, OWNER));
  for (gsize i = 0; i < G_N_ELEMENTS (visibility); i++)
    CU_ASSERT_EQUAL (add_target (lp, OWNER, visibility[i].kind, visibility[i].target),
                     AMS_SHARE_DISABLED);
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 0);
  /* The owner check still comes first. */
  CU_ASSERT_EQUAL (ams_launch_perms_add_org (lp, places[P_A].account, ORG_ARN),
                   AMS_SHARE_NOT_OWNER);

  /* Re-enabling gives the owner back its launches, not the old shares. */
  ams_launch_perms_set_disabled (lp, FALSE);
  CU_ASSERT_FALSE (ams_launch_perms_is_disabled (lp));
  for (int p = 0; p < N_PLACES; p++)
    CU_ASSERT_EQUAL (ams_launch_perms_can_launch (lp, &places[p]), p == P_OWNER);
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 0);
  CU_ASSERT_EQUAL (ams_launch_perms_add_ou (lp, OWNER, OU_ARN (OU_A)), AMS_SHARE_OK);
  CU_ASSERT_TRUE (ams_launch_perms_can_launch (lp, &places[P_B]));
}

static void
test_sharing_not_owner (void)
{
  g_autoptr (AmsLaunchPerms) lp = new_perms ();
  CU_ASSERT_EQUAL (ams_launch_perms_add_org (lp, OWNER, ORG_ARN), AMS_SHARE_OK);
  const char *consumer = places[P_B].account;
  CU_ASSERT_TRUE (ams_launch_perms_can_launch (lp, &places[P_B]));
  CU_ASSERT_FALSE (ams_launch_perms_can_modify (lp, consumer));
  CU_ASSERT_TRUE (ams_launch_perms_can_modify (lp, OWNER));
  CU_ASSERT_FALSE (ams_launch_perms_can_modify (lp, NULL));

  static const char *const callers[] = { "300000000000", "999999999999", NULL };
  for (gsize i = 0; i < G_N_ELEMENTS (callers); i++)
    {
      const char *c = callers[i];
      CU_ASSERT_EQUAL (ams_launch_perms_add_account (lp, c, places[P_LONER].account),
                       AMS_SHARE_NOT_OWNER);
      CU_ASSERT_EQUAL (ams_launch_perms_add_all (lp, c), AMS_SHARE_NOT_OWNER);
      CU_ASSERT_EQUAL (ams_launch_perms_add_org (lp, c, OTHER_ORG_ARN), AMS_SHARE_NOT_OWNER);
      CU_ASSERT_EQUAL (ams_launch_perms_add_ou (lp, c, OU_ARN (OU_A)), AMS_SHARE_NOT_OWNER);
      CU_ASSERT_EQUAL (ams_launch_perms_remove_account (lp, c, consumer), AMS_SHARE_NOT_OWNER);
      CU_ASSERT_EQUAL (ams_launch_perms_remove_account_at (lp, c, &places[P_B]),
                       AMS_SHARE_NOT_OWNER);
      CU_ASSERT_EQUAL (ams_launch_perms_remove_all (lp, c), AMS_SHARE_NOT_OWNER);
      CU_ASSERT_EQUAL (ams_launch_perms_remove_org (lp, c, ORG_ARN), AMS_SHARE_NOT_OWNER);
      CU_ASSERT_EQUAL (ams_launch_perms_remove_ou (lp, c, OU_ARN (OU_A)), AMS_SHARE_NOT_OWNER);
      CU_ASSERT_EQUAL (ams_launch_perms_reset (lp, c), AMS_SHARE_NOT_OWNER);
    }
  /* Nothing changed. */
  CU_ASSERT_EQUAL (ams_launch_perms_n_targets (lp), 1);
  CU_ASSERT_FALSE (ams_launch_perms_is_public (lp));
  CU_ASSERT_TRUE (ams_launch_perms_can_launch (lp, &places[P_B]));
  CU_ASSERT_FALSE (ams_launch_perms_can_launch (lp, &places[P_LONER]));
}

static void
test_sharing_free_null (void)
{
  ams_launch_perms_free (NULL);
  ams_ram_free (NULL);
  CU_PASS ("free accepts NULL");
}

/* ---- RAM ---------------------------------------------------------------- */

#define REGION "us-east-1"
#define OTHER_REGION "eu-west-1"
#define COMPONENT "arn:aws:imagebuilder:us-east-1:111111111111:component/hardening/1.0.0/1"
#define RECIPE_B "arn:aws:imagebuilder:us-east-1:300000000000:image-recipe/app/1.0.0"
#define RECIPE_C "arn:aws:imagebuilder:us-east-1:400000000000:image-recipe/app/1.0.0"

/* A RAM registry that knows every place, with the component registered. */
static AmsRam *
new_ram (gboolean org_sharing)
{
  AmsRam *ram = ams_ram_new ();
  if (org_sharing)
    ams_ram_enable_org_sharing (ram, ORG);
  for (int p = 0; p < N_PLACES; p++)
    ams_ram_add_account (ram, &places[p]);
  CU_ASSERT_EQUAL (ams_ram_add_resource (ram, COMPONENT, AMS_RAM_COMPONENT, OWNER, REGION, NULL,
                                         NULL),
                   AMS_RAM_OK);
  return ram;
}

static AmsRamResult
share (AmsRam *ram, const char *principal, guint64 *invitation)
{
  return ams_ram_share (ram, COMPONENT, OWNER, &places[P_OWNER], principal, invitation);
}

static AmsRamResult
use (const AmsRam *ram, int p)
{
  return ams_ram_can_use (ram, COMPONENT, &places[p], REGION);
}

static void
test_sharing_ram_immediate_in_org (void)
{
  g_autoptr (AmsRam) ram = new_ram (TRUE);
  guint64 inv = 99;
  CU_ASSERT_EQUAL (share (ram, places[P_S].account, &inv), AMS_RAM_OK);
  CU_ASSERT_EQUAL (inv, 0);
  CU_ASSERT_EQUAL (use (ram, P_S), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_A), AMS_RAM_UNKNOWN);

  /* An OU of the organization: that OU and everything below it. */
  CU_ASSERT_EQUAL (share (ram, OU_ARN (OU_B), &inv), AMS_RAM_OK);
  CU_ASSERT_EQUAL (inv, 0);
  static const AmsRamResult after_ou[N_PLACES] = {
    [P_OWNER] = AMS_RAM_OK,     [P_ROOT] = AMS_RAM_UNKNOWN,  [P_A] = AMS_RAM_UNKNOWN,
    [P_B] = AMS_RAM_OK,         [P_C] = AMS_RAM_OK,          [P_S] = AMS_RAM_OK,
    [P_X] = AMS_RAM_UNKNOWN,    [P_OTHER] = AMS_RAM_UNKNOWN, [P_LONER] = AMS_RAM_UNKNOWN,
  };
  for (int p = 0; p < N_PLACES; p++)
    CU_ASSERT_EQUAL (use (ram, p), after_ou[p]);

  /* The whole organization. */
  CU_ASSERT_EQUAL (share (ram, ORG_ARN, &inv), AMS_RAM_OK);
  for (int p = 0; p < N_PLACES; p++)
    CU_ASSERT_EQUAL (use (ram, p), p == P_OTHER || p == P_LONER ? AMS_RAM_UNKNOWN : AMS_RAM_OK);
  /* Sharing again answers how the share stands. */
  CU_ASSERT_EQUAL (share (ram, ORG_ARN, NULL), AMS_RAM_OK);
  CU_ASSERT_EQUAL (share (ram, OWNER, NULL), AMS_RAM_OK);
}

static void
test_sharing_ram_invitation (void)
{
  /* Without RAM sharing enabled for the organization, even its own
   * accounts get invitations. */
  g_autoptr (AmsRam) ram = new_ram (FALSE);
  guint64 inv_b = 0;
  CU_ASSERT_EQUAL (share (ram, places[P_B].account, &inv_b), AMS_RAM_PENDING);
  CU_ASSERT_NOT_EQUAL (inv_b, 0);
  CU_ASSERT_EQUAL (use (ram, P_B), AMS_RAM_PENDING);
  /* Sharing again gives the same invitation. */
  guint64 again = 0;
  CU_ASSERT_EQUAL (share (ram, places[P_B].account, &again), AMS_RAM_PENDING);
  CU_ASSERT_EQUAL (again, inv_b);

  /* Only the invited account accepts. */
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv_b, places[P_C].account), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv_b + 1000, places[P_B].account), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (use (ram, P_B), AMS_RAM_PENDING);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv_b, places[P_B].account), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_B), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv_b, places[P_B].account), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_C), AMS_RAM_UNKNOWN);

  /* An organization outside: one invitation, and any of its accounts
   * accepting opens it for all of them. */
  guint64 inv_other = 0;
  CU_ASSERT_EQUAL (share (ram, OTHER_ORG_ARN, &inv_other), AMS_RAM_PENDING);
  CU_ASSERT_NOT_EQUAL (inv_other, 0);
  CU_ASSERT_NOT_EQUAL (inv_other, inv_b);
  const AmsPlace other2 = { "710000000000", OTHER_ORG, OTHER_ORG "/r-zz99/" };
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, COMPONENT, &other2, REGION), AMS_RAM_PENDING);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv_other, places[P_LONER].account), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv_other, places[P_OTHER].account), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, COMPONENT, &other2, REGION), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_OTHER), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_LONER), AMS_RAM_UNKNOWN);

  /* Unsharing withdraws a pending invitation. */
  guint64 inv_loner = 0;
  CU_ASSERT_EQUAL (share (ram, places[P_LONER].account, &inv_loner), AMS_RAM_PENDING);
  CU_ASSERT_EQUAL (ams_ram_unshare (ram, COMPONENT, OWNER, places[P_LONER].account), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv_loner, places[P_LONER].account), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (use (ram, P_LONER), AMS_RAM_UNKNOWN);
}

static void
test_sharing_ram_invitation_outside_org (void)
{
  /* Sharing enabled for the owner's organization: immediate inside it,
   * invitations for everything else. */
  g_autoptr (AmsRam) ram = new_ram (TRUE);
  guint64 inv = 0;
  CU_ASSERT_EQUAL (share (ram, places[P_LONER].account, &inv), AMS_RAM_PENDING);
  CU_ASSERT_NOT_EQUAL (inv, 0);
  CU_ASSERT_EQUAL (share (ram, places[P_OTHER].account, NULL), AMS_RAM_PENDING);
  /* An account nobody registered counts as outside. */
  CU_ASSERT_EQUAL (share (ram, "123456789012", NULL), AMS_RAM_PENDING);
  /* An OU of another organization. */
  guint64 inv_ou = 0;
  CU_ASSERT_EQUAL (share (ram, "arn:aws:organizations::999999999999:ou/" OTHER_ORG "/" OU_A,
                          &inv_ou),
                   AMS_RAM_PENDING);
  CU_ASSERT_EQUAL (use (ram, P_OTHER), AMS_RAM_PENDING);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv_ou, places[P_A].account), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv_ou, places[P_OTHER].account), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_OTHER), AMS_RAM_OK);
  /* The same OU id in the owner's organization is another OU. */
  CU_ASSERT_EQUAL (use (ram, P_A), AMS_RAM_UNKNOWN);
}

static void
test_sharing_ram_region (void)
{
  g_autoptr (AmsRam) ram = new_ram (TRUE);
  CU_ASSERT_EQUAL (share (ram, OU_ARN (OU_A), NULL), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, COMPONENT, &places[P_B], REGION), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, COMPONENT, &places[P_B], OTHER_REGION),
                   AMS_RAM_WRONG_REGION);
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, COMPONENT, &places[P_OWNER], OTHER_REGION),
                   AMS_RAM_WRONG_REGION);
  /* No share at all stays unknown in any region. */
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, COMPONENT, &places[P_S], OTHER_REGION),
                   AMS_RAM_UNKNOWN);
  /* A dependency is asked for in the resource's own region. */
  CU_ASSERT_EQUAL (ams_ram_add_dependency (ram, COMPONENT, &places[P_B], RECIPE_B), AMS_RAM_OK);

  /* The same component registered in another region is another resource. */
  const char *eu = "arn:aws:imagebuilder:eu-west-1:111111111111:component/hardening/1.0.0/1";
  CU_ASSERT_EQUAL (ams_ram_add_resource (ram, eu, AMS_RAM_COMPONENT, OWNER, OTHER_REGION, NULL,
                                         NULL),
                   AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, eu, &places[P_B], OTHER_REGION), AMS_RAM_UNKNOWN);
}

static void
test_sharing_ram_reshare_refused (void)
{
  g_autoptr (AmsRam) ram = new_ram (TRUE);
  CU_ASSERT_EQUAL (share (ram, places[P_B].account, NULL), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_B), AMS_RAM_OK);
  /* The consumer may use but not pass it on, change or delete it. */
  CU_ASSERT_EQUAL (ams_ram_share (ram, COMPONENT, places[P_B].account, &places[P_B],
                                  places[P_C].account, NULL),
                   AMS_RAM_NOT_OWNER);
  CU_ASSERT_EQUAL (use (ram, P_C), AMS_RAM_UNKNOWN);
  CU_ASSERT_FALSE (ams_ram_can_modify (ram, COMPONENT, places[P_B].account));
  CU_ASSERT_TRUE (ams_ram_can_modify (ram, COMPONENT, OWNER));
  CU_ASSERT_FALSE (ams_ram_can_modify (ram, "arn:aws:imagebuilder:nope", OWNER));
  CU_ASSERT_EQUAL (ams_ram_unshare (ram, COMPONENT, places[P_B].account, places[P_B].account),
                   AMS_RAM_NOT_OWNER);
  CU_ASSERT_EQUAL (ams_ram_delete_resource (ram, COMPONENT, places[P_B].account),
                   AMS_RAM_NOT_OWNER);
  CU_ASSERT_EQUAL (use (ram, P_B), AMS_RAM_OK);
  /* Registering someone else's ARN as one's own fails too. */
  CU_ASSERT_EQUAL (ams_ram_add_resource (ram, COMPONENT, AMS_RAM_COMPONENT, places[P_B].account,
                                         REGION, NULL, NULL),
                   AMS_RAM_NOT_OWNER);
  CU_ASSERT_EQUAL (ams_ram_add_resource (ram, COMPONENT, AMS_RAM_COMPONENT, OWNER, REGION, NULL,
                                         NULL),
                   AMS_RAM_OK);
}

static void
test_sharing_ram_delete_while_shared (void)
{
  g_autoptr (AmsRam) ram = new_ram (FALSE);
  guint64 inv = 0;
  /* Even a share not yet accepted holds the resource. */
  CU_ASSERT_EQUAL (share (ram, places[P_LONER].account, &inv), AMS_RAM_PENDING);
  CU_ASSERT_EQUAL (ams_ram_delete_resource (ram, COMPONENT, OWNER), AMS_RAM_STILL_SHARED);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv, places[P_LONER].account), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_delete_resource (ram, COMPONENT, OWNER), AMS_RAM_STILL_SHARED);
  CU_ASSERT_EQUAL (ams_ram_unshare (ram, COMPONENT, OWNER, places[P_LONER].account), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_delete_resource (ram, COMPONENT, OWNER), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_OWNER), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_delete_resource (ram, COMPONENT, OWNER), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv, places[P_LONER].account), AMS_RAM_UNKNOWN);
}

static void
test_sharing_ram_unshare_in_use (void)
{
  g_autoptr (AmsRam) ram = new_ram (TRUE);
  CU_ASSERT_EQUAL (share (ram, OU_ARN (OU_A), NULL), AMS_RAM_OK);
  CU_ASSERT_EQUAL (share (ram, places[P_S].account, NULL), AMS_RAM_OK);
  /* A consumer in ou-c builds a recipe on the component. */
  CU_ASSERT_EQUAL (ams_ram_add_dependency (ram, COMPONENT, &places[P_C], RECIPE_C), AMS_RAM_OK);
  /* Nobody without access can depend on it. */
  CU_ASSERT_EQUAL (ams_ram_add_dependency (ram, COMPONENT, &places[P_ROOT], "arn:x"),
                   AMS_RAM_UNKNOWN);

  CU_ASSERT_EQUAL (ams_ram_unshare (ram, COMPONENT, OWNER, OU_ARN (OU_A)), AMS_RAM_IN_USE);
  CU_ASSERT_EQUAL (use (ram, P_C), AMS_RAM_OK);
  /* Shares that do not cover the consumer can go. */
  CU_ASSERT_EQUAL (ams_ram_unshare (ram, COMPONENT, OWNER, places[P_S].account), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_delete_resource (ram, COMPONENT, OWNER), AMS_RAM_STILL_SHARED);

  /* Once the recipe lets go, the share can be withdrawn. */
  CU_ASSERT_EQUAL (ams_ram_remove_dependency (ram, COMPONENT, RECIPE_C), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_remove_dependency (ram, COMPONENT, RECIPE_C), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_unshare (ram, COMPONENT, OWNER, OU_ARN (OU_A)), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_C), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_unshare (ram, COMPONENT, OWNER, OU_ARN (OU_A)), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_delete_resource (ram, COMPONENT, OWNER), AMS_RAM_OK);
}

static void
test_sharing_ram_unshare_account_in_use (void)
{
  g_autoptr (AmsRam) ram = new_ram (TRUE);
  CU_ASSERT_EQUAL (share (ram, places[P_B].account, NULL), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_add_dependency (ram, COMPONENT, &places[P_B], RECIPE_B), AMS_RAM_OK);
  /* Depending twice through one recipe is one dependency. */
  CU_ASSERT_EQUAL (ams_ram_add_dependency (ram, COMPONENT, &places[P_B], RECIPE_B), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_unshare (ram, COMPONENT, OWNER, places[P_B].account), AMS_RAM_IN_USE);
  CU_ASSERT_EQUAL (ams_ram_remove_dependency (ram, COMPONENT, RECIPE_B), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_unshare (ram, COMPONENT, OWNER, places[P_B].account), AMS_RAM_OK);
  /* The owner's own recipes never block anything. */
  CU_ASSERT_EQUAL (ams_ram_add_dependency (ram, COMPONENT, &places[P_OWNER], "arn:own"),
                   AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_delete_resource (ram, COMPONENT, OWNER), AMS_RAM_OK);
}

/* The component's key is usable by the accounts in this set. */
static gboolean
key_usable (const AmsPlace *consumer, gpointer user)
{
  return g_hash_table_contains (user, consumer->account);
}

static void
test_sharing_ram_key_check (void)
{
  g_autoptr (AmsRam) ram = ams_ram_new ();
  ams_ram_enable_org_sharing (ram, ORG);
  for (int p = 0; p < N_PLACES; p++)
    ams_ram_add_account (ram, &places[p]);
  g_autoptr (GHashTable) key_users = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_add (key_users, (gpointer) places[P_B].account);
  const char *image = "arn:aws:imagebuilder:us-east-1:111111111111:image/app/1.0.0/1";
  CU_ASSERT_EQUAL (ams_ram_add_resource (ram, image, AMS_RAM_IMAGE, OWNER, REGION, key_usable,
                                         key_users),
                   AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_share (ram, image, OWNER, &places[P_OWNER], OU_ARN (OU_A), NULL),
                   AMS_RAM_OK);

  CU_ASSERT_EQUAL (ams_ram_can_use (ram, image, &places[P_B], REGION), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, image, &places[P_C], REGION), AMS_RAM_KEY_NOT_SHARED);
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, image, &places[P_OWNER], REGION), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_add_dependency (ram, image, &places[P_C], RECIPE_C),
                   AMS_RAM_KEY_NOT_SHARED);
  /* Sharing the key fixes it. */
  g_hash_table_add (key_users, (gpointer) places[P_C].account);
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, image, &places[P_C], REGION), AMS_RAM_OK);
  /* Someone with no share never reaches the key check. */
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, image, &places[P_S], REGION), AMS_RAM_UNKNOWN);
}

static void
test_sharing_ram_unknown (void)
{
  g_autoptr (AmsRam) ram = new_ram (TRUE);
  const char *nope = "arn:aws:imagebuilder:us-east-1:111111111111:component/nope/1.0.0/1";
  CU_ASSERT_EQUAL (ams_ram_share (ram, nope, OWNER, &places[P_OWNER], places[P_B].account, NULL),
                   AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, nope, &places[P_OWNER], REGION), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_unshare (ram, nope, OWNER, places[P_B].account), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_delete_resource (ram, nope, OWNER), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_add_dependency (ram, nope, &places[P_B], RECIPE_B), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_remove_dependency (ram, nope, RECIPE_B), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, 12345, places[P_B].account), AMS_RAM_UNKNOWN);
  /* Principals that are neither an account nor an ARN (ids alone). */
  static const char *const bad[] = { ORG, OU_A, "r-ab12", "1234", "" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    CU_ASSERT_EQUAL (share (ram, bad[i], NULL), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_unshare (ram, COMPONENT, OWNER, places[P_B].account), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_delete_resource (ram, COMPONENT, OWNER), AMS_RAM_OK);
}

static void
test_sharing_ram_many_consumers (void)
{
  /* Shares and resources far beyond the toy world are freed in one go. */
  g_autoptr (AmsRam) ram = new_ram (FALSE);
  char id[13];
  guint64 last = 0;
  for (guint i = 0; i < 2000; i++)
    {
      account_id (id, i);
      guint64 inv = 0;
      CU_ASSERT_EQUAL (share (ram, id, &inv), AMS_RAM_PENDING);
      CU_ASSERT (inv > last);
      last = inv;
      if (i % 2 == 0)
        CU_ASSERT_EQUAL (ams_ram_accept (ram, inv, id), AMS_RAM_OK);
    }
  guint ok = 0, pending = 0;
  for (guint i = 0; i < 2000; i++)
    {
      account_id (id, i);
      const AmsPlace who = { .account = id };
      AmsRamResult r = ams_ram_can_use (ram, COMPONENT, &who, REGION);
      ok += r == AMS_RAM_OK;
      pending += r == AMS_RAM_PENDING;
    }
  CU_ASSERT_EQUAL (ok, 1000);
  CU_ASSERT_EQUAL (pending, 1000);
}

static const AmsTestCase cases[] = {
  { "result_names", test_sharing_result_names },
  { "org_ou_visibility", test_sharing_org_ou_visibility },
  { "no_share_owner_only", test_sharing_no_share_owner_only },
  { "add_twice_changes_nothing", test_sharing_add_twice_changes_nothing },
  { "remove_covered_account", test_sharing_remove_covered_account },
  { "reset", test_sharing_reset },
  { "public_block", test_sharing_public_block },
  { "aws_managed_key", test_sharing_aws_managed_key },
  { "bad_arn", test_sharing_bad_arn },
  { "target_limit", test_sharing_target_limit },
  { "disabled", test_sharing_disabled },
  { "not_owner", test_sharing_not_owner },
  { "free_null", test_sharing_free_null },
  { "ram_immediate_in_org", test_sharing_ram_immediate_in_org },
  { "ram_invitation", test_sharing_ram_invitation },
  { "ram_invitation_outside_org", test_sharing_ram_invitation_outside_org },
  { "ram_region", test_sharing_ram_region },
  { "ram_reshare_refused", test_sharing_ram_reshare_refused },
  { "ram_delete_while_shared", test_sharing_ram_delete_while_shared },
  { "ram_unshare_in_use", test_sharing_ram_unshare_in_use },
  { "ram_unshare_account_in_use", test_sharing_ram_unshare_account_in_use },
  { "ram_key_check", test_sharing_ram_key_check },
  { "ram_unknown", test_sharing_ram_unknown },
  { "ram_many_consumers", test_sharing_ram_many_consumers },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("sharing", cases);
}
