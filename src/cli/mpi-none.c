/* The build without MPI: one process (cli/mpi.h). */
#include "cli/mpi.h"

void
ams_mpi_init (int *argc, char ***argv)
{
}

gboolean
ams_mpi_worker (void)
{
  return FALSE;
}

gboolean
ams_mpi_input_ok (const char *scenario)
{
  return TRUE;
}

gboolean
ams_mpi_run_jobs (AmsCliJob *jobs, guint n, guint threads, int *status, GError **error)
{
  ams_cli_run_jobs (jobs, n, threads);
  *status = AMS_EXIT_OK;
  return TRUE;
}

int
ams_mpi_finish (int status)
{
  return status;
}
