/* amisim — internals shared by the two halves of the sharing module
 * (launch_perms.c and ram.c): recognising account ids and organization /
 * OU ARNs, and deciding whether an account sits in an organization or below
 * an OU. Not part of the public contract; defined in launch_perms.c.
 */
#pragma once

#include "amisim/sharing.h"

G_BEGIN_DECLS

/* TRUE when `s` is a 12-digit account id. */
gboolean ams__share_is_account (const char *s);

/* Parses arn:aws…:organizations::<12 digits>:organization/o-…; on success
 * *org_id gets the organization id (newly allocated). IDs alone fail. */
gboolean ams__share_parse_org_arn (const char *arn, char **org_id);

/* Parses arn:aws…:organizations::<12 digits>:ou/o-…/ou-…; on success
 * *org_id and *ou_id get the two ids (newly allocated). IDs alone fail. */
gboolean ams__share_parse_ou_arn (const char *arn, char **org_id, char **ou_id);

/* TRUE when `who` is in organization `org_id` and `ou_id` is one of the
 * segments of its org path (so the OU itself or any OU above the account's
 * own). Segments are compared whole: "ou-ab12-11111111" never matches a
 * longer id that merely starts with it. */
gboolean ams__share_place_in_ou (const AmsPlace *who, const char *org_id, const char *ou_id);

/* TRUE when `who` is in organization `org_id`. */
gboolean ams__share_place_in_org (const AmsPlace *who, const char *org_id);

G_END_DECLS
