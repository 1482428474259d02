/* Chunked free list for engine records; see freelist.h. */
#include <string.h>
#include "engine/freelist.h"

void
ams_freelist_init (AmsFreeList *fl, gsize size, guint per_chunk)
{
  g_return_if_fail (size >= sizeof (void *) && per_chunk > 0);
  fl->size = (size + sizeof (void *) - 1) / sizeof (void *) * sizeof (void *);
  fl->per_chunk = per_chunk;
  fl->free = NULL;
  fl->chunks = g_ptr_array_new_with_free_func (g_aligned_free);
  fl->live = 0;
}

void
ams_freelist_clear (AmsFreeList *fl)
{
  if (fl->chunks != NULL)
    g_ptr_array_unref (fl->chunks);
  fl->chunks = NULL;
  fl->free = NULL;
  fl->live = 0;
}

/* Adds a chunk and threads its records onto the free list; returns the
 * head, so that ams_freelist_alloc can go on as if it had found one. */
void *
ams_freelist_grow (AmsFreeList *fl)
{
  /* aligned to a cache line: a record of 64 bytes (a copy) then fills
   * exactly one */
  char *chunk = g_aligned_alloc (fl->per_chunk, fl->size, 64);
  g_ptr_array_add (fl->chunks, chunk);
  for (guint i = 0; i < fl->per_chunk; i++)
    {
      /* records are pointer-aligned (size is a multiple of a pointer); memcpy
       * says so without a cast that raises the alignment of a char * */
      void *next = (i + 1 < fl->per_chunk) ? chunk + (gsize) (i + 1) * fl->size : fl->free;
      memcpy (chunk + (gsize) i * fl->size, &next, sizeof next);
    }
  fl->free = chunk;
  return chunk;
}
