/* amisim — the kernel's relays: a hash table by time of the second steps
 * pending alone (relay-private.h). */
#include "relay-private.h"

#define RELAYS_PER_CHUNK 64
#define BITS_FIRST 6

struct RelayChunk
{
  RelayChunk *next;
  Relay r[RELAYS_PER_CHUNK];
};

#define slot_of relay_slot_of

void
relay_set_init (RelaySet *s)
{
  *s = (RelaySet) { .hi = -1 };
}

void
relay_set_clear (RelaySet *s)
{
  RelayChunk *c = s->chunks;
  while (c != NULL)
    {
      RelayChunk *next = c->next;
      g_free (c);
      c = next;
    }
  g_free (s->slot);
  *s = (RelaySet) { .hi = -1 };
}

Relay *
relay_new (RelaySet *s)
{
  if (s->free == NULL)
    {
      RelayChunk *c = g_new (RelayChunk, 1);
      c->next = s->chunks;
      s->chunks = c;
      for (size_t i = RELAYS_PER_CHUNK; i-- > 0;)
        {
          c->r[i].next = s->free;
          s->free = &c->r[i];
        }
    }
  Relay *r = s->free;
  s->free = r->next;
  r->next = NULL;
  r->merged = FALSE;
  r->second = (AmsEventHandle) { 0 };
  return r;
}

void
relay_release (RelaySet *s, Relay *r)
{
  r->next = s->free;
  s->free = r;
}

static void
link_relay (RelaySet *s, Relay *r)
{
  size_t j = slot_of (s, r->t2);
  r->next = s->slot[j];
  s->slot[j] = r;
}

static void
grow (RelaySet *s)
{
  Relay **old = s->slot;
  size_t old_n = s->bits == 0 ? 0 : (size_t) 1 << s->bits;
  s->bits = s->bits == 0 ? BITS_FIRST : s->bits + 1;
  s->slot = g_new0 (Relay *, (size_t) 1 << s->bits);
  for (size_t i = 0; i < old_n; i++)
    for (Relay *r = old[i], *next; r != NULL; r = next)
      {
        next = r->next;
        link_relay (s, r);
      }
  g_free (old);
}

void
relay_add (RelaySet *s, Relay *r)
{
  if (s->bits == 0 || s->merged >= ((size_t) 1 << s->bits) / 8)
    grow (s);
  link_relay (s, r);
  r->merged = TRUE;
  s->merged++;
  s->credit += RELAY_CREDIT;
  if (r->t2 > s->hi)
    s->hi = r->t2;
}

void
relay_remove (RelaySet *s, Relay *r)
{
  Relay **p = &s->slot[slot_of (s, r->t2)];
  while (*p != r)
    p = &(*p)->next;
  *p = r->next;
  r->next = NULL;
  r->merged = FALSE;
  if (--s->merged == 0)
    s->hi = -1;
}

gboolean
relay_any_second_at (const RelaySet *s, AmsTime t, int priority)
{
  if (s->merged == 0)
    return FALSE;
  for (const Relay *r = s->slot[slot_of (s, t)]; r != NULL; r = r->next)
    if (r->t2 == t && r->priority2 == priority)
      return TRUE;
  return FALSE;
}

Relay *
relay_take_overtaken (RelaySet *s, AmsTime at, int priority, AmsTime now, uint64_t max_key)
{
  for (Relay *r = s->slot[slot_of (s, at)]; r != NULL; r = r->next)
    if (r->t2 == at && r->priority2 == priority
        && (now < r->t1 || (now == r->t1 && max_key < r->key1)))
      {
        relay_remove (s, r);
        return r;
      }
  return NULL;
}

Relay *
relay_take_any (RelaySet *s)
{
  if (s->merged == 0)
    return NULL;
  for (size_t i = 0; i < (size_t) 1 << s->bits; i++)
    if (s->slot[i] != NULL)
      {
        Relay *r = s->slot[i];
        relay_remove (s, r);
        return r;
      }
  return NULL;
}
