#include "ams_test.h"
static void t (void) { CU_ASSERT (1); }
static const AmsTestCase cases[] = { { "t", t }, { NULL, NULL } };
int main (void) { return ams_test_main ("x", cases); }
