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
    { AMS_RAM_UNKNOWN, "unknown" },
    { AMS_RAM_ORG_SHARING_DISABLED, "org_sharing_disabled" },
    { AMS_RAM_EXTERNAL_NOT_ALLOWED, "external_not_allowed" },
    { AMS_RAM_REJECTED, "rejected" },
    { AMS_RAM_EXPIRED, "expired" },
    { AMS_RAM_BAD_PRINCIPAL, "bad_principal" },
    { AMS_RAM_ALREADY, "already" },
    { AMS_RAM_NOT_ADDRESSED, "not_addressed" },
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
#define COMPONENT "arn:aws:imagebuilder:us-east-1:111111111111:component/hardening/1.0.0/1"
#define COMPONENT_2 "arn:aws:imagebuilder:us-east-1:111111111111:component/hardening/1.1.0/1"

/* A RAM registry with one share of the owner holding the component. */
static AmsRam *
new_ram (gboolean org_sharing, gboolean allow_external, guint *share)
{
  AmsRam *ram = ams_ram_new ();
  if (org_sharing)
    ams_ram_enable_org_sharing (ram, ORG);
  *share = ams_ram_create_share (ram, "golden", OWNER, REGION, allow_external);
  CU_ASSERT_EQUAL (ams_ram_associate_resource (ram, *share, COMPONENT), AMS_RAM_OK);
  return ram;
}

static AmsRamResult
add (AmsRam *ram, guint share, const char *principal, const AmsPlace *place, guint *inv)
{
  return ams_ram_associate_principal (ram, share, &places[P_OWNER], principal, place, inv);
}

static AmsRamResult
use (const AmsRam *ram, int p)
{
  return ams_ram_can_use (ram, COMPONENT, &places[p], NULL, NULL);
}

static void
test_sharing_ram_immediate_in_org (void)
{
  /* RAM sharing enabled: an OU principal gives access at once to the OU
   * and every OU below it, nobody else. */
  guint s;
  g_autoptr (AmsRam) ram = new_ram (TRUE, TRUE, &s);
  CU_ASSERT_EQUAL (add (ram, s, OU_ARN (OU_A), NULL, NULL), AMS_RAM_OK);
  static const AmsRamResult want[N_PLACES] = {
    [P_OWNER] = AMS_RAM_UNKNOWN, [P_ROOT] = AMS_RAM_UNKNOWN, [P_A] = AMS_RAM_OK,
    [P_B] = AMS_RAM_OK, [P_C] = AMS_RAM_OK, [P_S] = AMS_RAM_UNKNOWN, [P_X] = AMS_RAM_UNKNOWN,
    [P_OTHER] = AMS_RAM_UNKNOWN, [P_LONER] = AMS_RAM_UNKNOWN,
  };
  for (int p = 0; p < N_PLACES; p++)
    {
      AmsRamResult r = use (ram, p);
      if (r != want[p])
        CU_FAIL_FATAL (place_names[p]);
    }
  /* the organization: every member; an account of it: at once too */
  CU_ASSERT_EQUAL (add (ram, s, ORG_ARN, NULL, NULL), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_ROOT), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_S), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_OTHER), AMS_RAM_UNKNOWN);
  guint inv = 99;
  CU_ASSERT_EQUAL (add (ram, s, places[P_S].account, &places[P_S], &inv), AMS_RAM_OK);
  CU_ASSERT_EQUAL (inv, 0);
  CU_ASSERT_EQUAL (add (ram, s, places[P_S].account, &places[P_S], NULL), AMS_RAM_ALREADY);
  /* what decided is reported */
  guint which = 99;
  const char *principal = NULL;
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, COMPONENT, &places[P_C], &which, &principal), AMS_RAM_OK);
  CU_ASSERT_EQUAL (which, s);
  CU_ASSERT_STRING_EQUAL (principal, OU_ARN (OU_A));
}

static void
test_sharing_ram_org_sharing_disabled (void)
{
  /* Without RAM sharing enabled, an OU or organization of the owner's
   * own organization cannot be a principal (the association fails and
   * says why), while an account of it is invited. */
  guint s;
  g_autoptr (AmsRam) ram = new_ram (FALSE, TRUE, &s);
  CU_ASSERT_EQUAL (add (ram, s, OU_ARN (OU_A), NULL, NULL), AMS_RAM_ORG_SHARING_DISABLED);
  CU_ASSERT_EQUAL (add (ram, s, ORG_ARN, NULL, NULL), AMS_RAM_ORG_SHARING_DISABLED);
  CU_ASSERT_EQUAL (use (ram, P_B), AMS_RAM_ORG_SHARING_DISABLED);
  CU_ASSERT_EQUAL (use (ram, P_ROOT), AMS_RAM_ORG_SHARING_DISABLED);
  CU_ASSERT_EQUAL (use (ram, P_OTHER), AMS_RAM_UNKNOWN);
  guint inv;
  CU_ASSERT_EQUAL (add (ram, s, places[P_B].account, &places[P_B], &inv), AMS_RAM_PENDING);
  /* an invitation says more than the failed OU association */
  CU_ASSERT_EQUAL (use (ram, P_B), AMS_RAM_PENDING);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv, &places[P_B]), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_B), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_C), AMS_RAM_ORG_SHARING_DISABLED);
  /* the healthy case: the same principals with sharing enabled */
  guint s2;
  g_autoptr (AmsRam) on = new_ram (TRUE, TRUE, &s2);
  CU_ASSERT_EQUAL (add (on, s2, OU_ARN (OU_A), NULL, NULL), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_can_use (on, COMPONENT, &places[P_C], NULL, NULL), AMS_RAM_OK);
}

static void
test_sharing_ram_invitation (void)
{
  /* Outside the organization: an invitation, answered by the account it
   * is addressed to; access from then on, to every resource of the share,
   * including resources added later. */
  guint s;
  g_autoptr (AmsRam) ram = new_ram (TRUE, TRUE, &s);
  guint inv;
  CU_ASSERT_EQUAL (add (ram, s, places[P_LONER].account, &places[P_LONER], &inv),
                   AMS_RAM_PENDING);
  CU_ASSERT_EQUAL (use (ram, P_LONER), AMS_RAM_PENDING);
  guint found = 99;
  CU_ASSERT_TRUE (ams_ram_find_invitation (ram, s, &places[P_LONER], &found));
  CU_ASSERT_EQUAL (found, inv);
  CU_ASSERT_FALSE (ams_ram_find_invitation (ram, s, &places[P_B], NULL));
  CU_ASSERT_EQUAL (ams_ram_invitation_share (ram, inv), s);
  CU_ASSERT_STRING_EQUAL (ams_ram_invitation_principal (ram, inv), places[P_LONER].account);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv, &places[P_B]), AMS_RAM_NOT_ADDRESSED);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv + 1000, &places[P_LONER]), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv, &places[P_LONER]), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv, &places[P_LONER]), AMS_RAM_ALREADY);
  CU_ASSERT_FALSE (ams_ram_expire (ram, inv)); /* answered: nothing expires */
  CU_ASSERT_EQUAL (use (ram, P_LONER), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_associate_resource (ram, s, COMPONENT_2), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, COMPONENT_2, &places[P_LONER], NULL, NULL), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_associate_resource (ram, s, COMPONENT_2), AMS_RAM_ALREADY);
}

static void
test_sharing_ram_invitation_declined (void)
{
  /* Rejected or expired: no access, and the reason says which. */
  guint s;
  g_autoptr (AmsRam) ram = new_ram (TRUE, TRUE, &s);
  char a[13], b[13];
  account_id (a, 1);
  account_id (b, 2);
  const AmsPlace pa = { .account = a }, pb = { .account = b };
  guint ia, ib;
  CU_ASSERT_EQUAL (add (ram, s, a, &pa, &ia), AMS_RAM_PENDING);
  CU_ASSERT_EQUAL (add (ram, s, b, &pb, &ib), AMS_RAM_PENDING);
  CU_ASSERT_EQUAL (ams_ram_reject (ram, ia, &pa), AMS_RAM_OK);
  CU_ASSERT_TRUE (ams_ram_expire (ram, ib));
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, COMPONENT, &pa, NULL, NULL), AMS_RAM_REJECTED);
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, COMPONENT, &pb, NULL, NULL), AMS_RAM_EXPIRED);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, ia, &pa), AMS_RAM_ALREADY);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, ib, &pb), AMS_RAM_ALREADY);
  CU_ASSERT_FALSE (ams_ram_expire (ram, ib));
  /* a principal sharing again starts over with a new invitation */
  CU_ASSERT_EQUAL (ams_ram_disassociate_principal (ram, s, a), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, ia, &pa), AMS_RAM_ALREADY); /* withdrawn */
  guint again;
  CU_ASSERT_EQUAL (add (ram, s, a, &pa, &again), AMS_RAM_PENDING);
  CU_ASSERT_NOT_EQUAL (again, ia);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, again, &pa), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, COMPONENT, &pa, NULL, NULL), AMS_RAM_OK);
}

static void
test_sharing_ram_invitation_outside_org (void)
{
  /* Another organization's OU: one invitation for the OU, answered by
   * any account beneath it; an account of the owner's organization that
   * is not beneath it cannot answer. */
  guint s;
  g_autoptr (AmsRam) ram = new_ram (TRUE, TRUE, &s);
  const char *other_ou = "arn:aws:organizations::999999999999:ou/" OTHER_ORG "/" OU_A;
  guint inv;
  CU_ASSERT_EQUAL (add (ram, s, other_ou, NULL, &inv), AMS_RAM_PENDING);
  CU_ASSERT_EQUAL (use (ram, P_A), AMS_RAM_UNKNOWN); /* same OU id, other organization */
  CU_ASSERT_EQUAL (use (ram, P_OTHER), AMS_RAM_PENDING);
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv, &places[P_A]), AMS_RAM_NOT_ADDRESSED);
  CU_ASSERT_TRUE (ams_ram_find_invitation (ram, s, &places[P_OTHER], NULL));
  CU_ASSERT_EQUAL (ams_ram_accept (ram, inv, &places[P_OTHER]), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_OTHER), AMS_RAM_OK);
  /* another organization as a whole is invited too */
  CU_ASSERT_EQUAL (add (ram, s, OTHER_ORG_ARN, NULL, NULL), AMS_RAM_PENDING);
}

static void
test_sharing_ram_external (void)
{
  /* allowExternalPrincipals false: principals outside the owner's
   * organization cannot join; inside, nothing changes. */
  guint s;
  g_autoptr (AmsRam) ram = new_ram (TRUE, FALSE, &s);
  CU_ASSERT_EQUAL (add (ram, s, places[P_LONER].account, &places[P_LONER], NULL),
                   AMS_RAM_EXTERNAL_NOT_ALLOWED);
  CU_ASSERT_EQUAL (add (ram, s, OTHER_ORG_ARN, NULL, NULL), AMS_RAM_EXTERNAL_NOT_ALLOWED);
  CU_ASSERT_EQUAL (use (ram, P_LONER), AMS_RAM_EXTERNAL_NOT_ALLOWED);
  CU_ASSERT_EQUAL (use (ram, P_OTHER), AMS_RAM_EXTERNAL_NOT_ALLOWED);
  CU_ASSERT_EQUAL (add (ram, s, OU_ARN (OU_B), NULL, NULL), AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_C), AMS_RAM_OK);
  /* an account never known to be in an organization is outside it */
  CU_ASSERT_EQUAL (add (ram, s, "123456789012", NULL, NULL), AMS_RAM_EXTERNAL_NOT_ALLOWED);
  /* an owner in no organization has nothing to be outside of: invitations */
  AmsRam *loner = ams_ram_new ();
  guint ls = ams_ram_create_share (loner, "x", places[P_LONER].account, REGION, FALSE);
  CU_ASSERT_EQUAL (ams_ram_associate_principal (loner, ls, &places[P_LONER], places[P_B].account,
                                                &places[P_B], NULL),
                   AMS_RAM_PENDING);
  ams_ram_free (loner);
}

static void
test_sharing_ram_moves (void)
{
  /* Coverage follows where an account sits at the moment it asks. */
  guint s;
  g_autoptr (AmsRam) ram = new_ram (TRUE, TRUE, &s);
  CU_ASSERT_EQUAL (add (ram, s, OU_ARN (OU_B), NULL, NULL), AMS_RAM_OK);
  AmsPlace moving = places[P_S];
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, COMPONENT, &moving, NULL, NULL), AMS_RAM_UNKNOWN);
  moving.org_path = places[P_C].org_path;
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, COMPONENT, &moving, NULL, NULL), AMS_RAM_OK);
}

static void
test_sharing_ram_shares_and_resources (void)
{
  guint s;
  g_autoptr (AmsRam) ram = new_ram (TRUE, TRUE, &s);
  CU_ASSERT_EQUAL (ams_ram_n_shares (ram), 1);
  CU_ASSERT_STRING_EQUAL (ams_ram_share_name (ram, s), "golden");
  CU_ASSERT_STRING_EQUAL (ams_ram_share_owner (ram, s), OWNER);
  CU_ASSERT_STRING_EQUAL (ams_ram_share_region (ram, s), REGION);
  guint found = 99;
  CU_ASSERT_TRUE (ams_ram_find_share (ram, "golden", &found));
  CU_ASSERT_EQUAL (found, s);
  CU_ASSERT_FALSE (ams_ram_find_share (ram, "nope", &found));
  guint t = ams_ram_create_share (ram, "second", OWNER, REGION, TRUE);
  CU_ASSERT_EQUAL (t, 1);
  CU_ASSERT_TRUE (ams_ram_is_shared (ram, COMPONENT));
  CU_ASSERT_TRUE (ams_ram_share_has_resource (ram, s, COMPONENT));
  CU_ASSERT_FALSE (ams_ram_share_has_resource (ram, t, COMPONENT));
  CU_ASSERT_FALSE (ams_ram_is_shared (ram, COMPONENT_2));
  /* a resource in two shares is reached through either */
  CU_ASSERT_EQUAL (ams_ram_associate_resource (ram, t, COMPONENT), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_associate_principal (ram, t, &places[P_OWNER], OU_ARN (OU_S), NULL,
                                                NULL),
                   AMS_RAM_OK);
  CU_ASSERT_EQUAL (use (ram, P_S), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_disassociate_resource (ram, s, COMPONENT), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_disassociate_resource (ram, s, COMPONENT), AMS_RAM_UNKNOWN);
  CU_ASSERT_TRUE (ams_ram_is_shared (ram, COMPONENT));
  CU_ASSERT_EQUAL (ams_ram_disassociate_resource (ram, t, COMPONENT), AMS_RAM_OK);
  CU_ASSERT_FALSE (ams_ram_is_shared (ram, COMPONENT));
  CU_ASSERT_EQUAL (use (ram, P_S), AMS_RAM_UNKNOWN);
  /* principals, by index */
  CU_ASSERT_EQUAL (ams_ram_n_principals (ram, t), 1);
  CU_ASSERT_STRING_EQUAL (ams_ram_principal (ram, t, 0), OU_ARN (OU_S));
  CU_ASSERT_TRUE (ams_ram_principal_covers (ram, t, 0, &places[P_S]));
  CU_ASSERT_FALSE (ams_ram_principal_covers (ram, t, 0, &places[P_A]));
  CU_ASSERT_EQUAL (ams_ram_disassociate_principal (ram, t, OU_ARN (OU_S)), AMS_RAM_OK);
  CU_ASSERT_EQUAL (ams_ram_disassociate_principal (ram, t, OU_ARN (OU_S)), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_n_principals (ram, t), 0);
}

static void
test_sharing_ram_bad_principals (void)
{
  guint s;
  g_autoptr (AmsRam) ram = new_ram (TRUE, TRUE, &s);
  /* ids alone, roles, services, nothing */
  static const char *const bad[] = {
    ORG, OU_A, "r-ab12", "1234", "", "arn:aws:iam::111111111111:role/R",
    "imagebuilder.amazonaws.com",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    CU_ASSERT_EQUAL (add (ram, s, bad[i], NULL, NULL), AMS_RAM_BAD_PRINCIPAL);
  CU_ASSERT_EQUAL (ams_ram_n_principals (ram, s), 0);
  CU_ASSERT_EQUAL (use (ram, P_B), AMS_RAM_UNKNOWN);
  CU_ASSERT_EQUAL (ams_ram_can_use (ram, NULL, &places[P_B], NULL, NULL), AMS_RAM_UNKNOWN);
}

static void
test_sharing_ram_many_consumers (void)
{
  /* Many invitations, half accepted, all freed in one go. */
  guint s;
  g_autoptr (AmsRam) ram = new_ram (FALSE, TRUE, &s);
  char id[13];
  for (guint i = 0; i < 2000; i++)
    {
      account_id (id, i);
      const AmsPlace who = { .account = id };
      guint inv = 0;
      CU_ASSERT_EQUAL (add (ram, s, id, &who, &inv), AMS_RAM_PENDING);
      CU_ASSERT_EQUAL (inv, i);
      if (i % 2 == 0)
        CU_ASSERT_EQUAL (ams_ram_accept (ram, inv, &who), AMS_RAM_OK);
    }
  guint ok = 0, pending = 0;
  for (guint i = 0; i < 2000; i++)
    {
      account_id (id, i);
      const AmsPlace who = { .account = id };
      AmsRamResult r = ams_ram_can_use (ram, COMPONENT, &who, NULL, NULL);
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
  { "ram_org_sharing_disabled", test_sharing_ram_org_sharing_disabled },
  { "ram_invitation", test_sharing_ram_invitation },
  { "ram_invitation_declined", test_sharing_ram_invitation_declined },
  { "ram_invitation_outside_org", test_sharing_ram_invitation_outside_org },
  { "ram_external", test_sharing_ram_external },
  { "ram_moves", test_sharing_ram_moves },
  { "ram_shares_and_resources", test_sharing_ram_shares_and_resources },
  { "ram_bad_principals", test_sharing_ram_bad_principals },
  { "ram_many_consumers", test_sharing_ram_many_consumers },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("sharing", cases);
}
