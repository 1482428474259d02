/* Engine-private: a free list of fixed-size records allocated in chunks.
 *
 * Images and copies come and go millions of times in a long run; taking
 * them from a free list keeps malloc off the hot path, and since records are
 * recycled, memory follows the number in flight, not the number ever made. */
#pragma once

#include <glib.h>
#include <string.h>

typedef struct
{
  gsize size;       /* record size, >= sizeof (void *) */
  guint per_chunk;
  void *free;       /* singly linked through the first word */
  GPtrArray *chunks;
  gsize live;       /* records handed out and not yet returned */
} AmsFreeList;

void ams_freelist_init (AmsFreeList *fl, gsize size, guint per_chunk);
void ams_freelist_clear (AmsFreeList *fl);
void *ams_freelist_grow (AmsFreeList *fl);

/* A record as it was left: the caller sets every field. */
static inline void *
ams_freelist_take (AmsFreeList *fl)
{
  void *p = fl->free;
  if (G_UNLIKELY (p == NULL))
    p = ams_freelist_grow (fl);
  fl->free = *(void **) p;
  /* the next take reads the next record's link: records freed long ago
   * are out of the cache (a lifecycle run over an estate takes thousands
   * of updates in a row) */
  __builtin_prefetch (fl->free, 1);
  fl->live++;
  return p;
}

/* A zeroed record. */
static inline void *
ams_freelist_alloc (AmsFreeList *fl)
{
  return memset (ams_freelist_take (fl), 0, fl->size);
}

static inline void
ams_freelist_release (AmsFreeList *fl, void *p)
{
  *(void **) p = fl->free;
  fl->free = p;
  fl->live--;
}
