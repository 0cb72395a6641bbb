/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arena.h - one owner for the memory of a protobuf-c message tree.
 *
 * A message built from an event (event_pb.h) or unpacked from a client's
 * bytes is many small allocations that live and die together.  An arena
 * hands them out from a few large chunks and frees them all in one call,
 * so that no path can leak or double-free a part of the tree.  It is also a
 * ProtobufCAllocator, for protobuf_c_message_unpack(): the unpacked message
 * then needs no protobuf_c_message_free_unpacked().
 */
#ifndef VIGIL_ARENA_H
#define VIGIL_ARENA_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

struct vigil_arena_chunk;

struct vigil_arena {
	struct vigil_arena_chunk *chunks; /* newest first */
	size_t used;			  /* bytes taken from the newest chunk */
	size_t total;			  /* bytes of every chunk */
	ProtobufCAllocator pb;		  /* allocates here; its free is a no-op */
};

/* An empty arena (no memory until the first allocation). */
void vigil_arena_init(struct vigil_arena *a);

/* Free everything the arena handed out; it is empty and usable again. */
void vigil_arena_free(struct vigil_arena *a);

/* size zeroed bytes aligned for any type, or NULL when out of memory. */
void *vigil_arena_alloc(struct vigil_arena *a, size_t size);

/* A copy of s, or NULL when out of memory. */
char *vigil_arena_strdup(struct vigil_arena *a, const char *s);

/* The arena as a protobuf-c allocator. */
static inline ProtobufCAllocator *vigil_arena_allocator(struct vigil_arena *a)
{
	return &a->pb;
}

#endif
