/* amisim — one run over the ranks of an MPI job (mpi.c), or in one
 * process (mpi-none.c, the build without MPI; and mpi.c when amisim was
 * not started by mpirun, mpiexec or srun, or with one rank).
 *
 * Every rank parses the same command line and runs the same command up to
 * its jobs: the other ranks load and check the scenario (every point of a
 * sweep) as rank 0 does, but make no output (no --out, --trace, progress,
 * standard output: theirs goes to /dev/null, their stderr is held until
 * the jobs start). At ams_mpi_run_jobs the ranks agree: if any found the
 * input bad or could not start, rank 0 alone says why (once) and every
 * rank exits with that status. Then the jobs are dealt out one at a time
 * to whichever rank asks (dynamic scheduling): rank 0 runs job 0 (the one
 * recorded and observed) and others on its --threads; every other rank
 * runs --threads jobs at a time and sends each one's results to rank 0
 * (report/results_wire.h), which reports them in job order: the same bytes
 * as one process. A job that fails on a rank stops the run: rank 0 says
 * which, nothing is published, exit 1. A rank that dies ends the job
 * (mpirun stops every rank; rank 0's temporaries are removed).
 *
 * AMISIM_MPI_FAIL_RANK=R (tests only): rank R > 0 fails its first job
 * instead of running it, or, given none, as it is refused one ("R:exit": it
 * exits at once, without a word, as a rank that dies). */
#pragma once

#include "cli/cli-private.h"

G_BEGIN_DECLS

/* First thing in main: joins the MPI job when started by a launcher. */
void ams_mpi_init (int *argc, char ***argv);

/* TRUE on a rank other than 0 of a job of two ranks or more. */
gboolean ams_mpi_worker (void);

/* FALSE (with a message on rank 0) when the scenario cannot be read by
 * every rank: `-` (standard input reaches rank 0 only) in a job of two
 * ranks or more. */
gboolean ams_mpi_input_ok (const char *scenario);

/* Runs the jobs (ams_cli_run_jobs) on every rank. TRUE when this process
 * holds every job's results and reports them (one process; rank 0 when
 * all went well). FALSE otherwise, with *status the command's exit
 * status and, on rank 0, `error` saying why (nothing on the others). */
gboolean ams_mpi_run_jobs (AmsCliJob *jobs, guint n, guint threads, int *status,
                           GError **error);

/* Last thing in main, on every rank, with the command's status: the exit
 * status of this rank (the run's verdict on rank 0, 0 on the others, so
 * that mpirun exits with rank 0's status and names it). */
int ams_mpi_finish (int status);

G_END_DECLS
