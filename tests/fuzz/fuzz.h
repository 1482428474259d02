/* amisim fuzzing — what every target shares (docs/fuzzing.md).
 *
 * A target is one LLVMFuzzerTestOneInput. It is linked twice: with
 * libFuzzer (-Dfuzz=true under clang) to explore, and with replay.c, always,
 * to run the corpora in the test suite. Besides returning, a target tells
 * whether the input was accepted (a scenario loaded, a policy compiled), so
 * that the replay can hold inputs that must be refused to that.
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/* libFuzzer's entry point; returns 0. */
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Called by each target at the start of every input: makes GLib critical
 * and warning messages fatal (a failed g_return_if_fail on hostile input is
 * a bug the fuzzer must report, not a line on stderr), and clears the
 * verdict. */
void ams_fuzz_begin (void);

/* The target accepted the input (at least one of its ways of reading it). */
void ams_fuzz_accept (void);

/* Whether the last input was accepted. */
gboolean ams_fuzz_accepted (void);

/* Notes why the input was refused: the first line of the first reason
 * given since ams_fuzz_begin is kept (the replay prints it). */
void ams_fuzz_refuse (const char *why);

/* The reason kept for the last input ("" when none). */
const char *ams_fuzz_reason (void);

/* The input as a pointer that is never NULL: libFuzzer may hand an empty
 * input as NULL, the loaders want text. */
static inline const char *
ams_fuzz_text (const uint8_t *data, size_t size)
{
  return size > 0 ? (const char *) data : "";
}

G_END_DECLS
