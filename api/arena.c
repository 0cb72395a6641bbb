// SPDX-License-Identifier: Apache-2.0
/*
 * arena.c - bump allocation in chunks for protobuf-c message trees
 * (arena.h).
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* A chunk holds most events whole; larger requests get a chunk of their
 * own size. */
#define CHUNK_SIZE 8192
#define ALIGN	   alignof(max_align_t)

struct vigil_arena_chunk {
	struct vigil_arena_chunk *next;
	size_t size; /* bytes of data[] */
	alignas(max_align_t) unsigned char data[];
};

static void *pb_alloc(void *data, size_t size)
{
	return vigil_arena_alloc(data, size);
}

static void pb_free(void *data, void *ptr)
{
	(void)data;
	(void)ptr;
}

void vigil_arena_init(struct vigil_arena *a)
{
	a->chunks = NULL;
	a->used = 0;
	a->total = 0;
	a->pb.alloc = pb_alloc;
	a->pb.free = pb_free;
	a->pb.allocator_data = a;
}

void vigil_arena_free(struct vigil_arena *a)
{
	struct vigil_arena_chunk *c = a->chunks, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	vigil_arena_init(a);
}

void *vigil_arena_alloc(struct vigil_arena *a, size_t size)
{
	struct vigil_arena_chunk *c = a->chunks;
	size_t need, csize;
	void *p;

	if (size > SIZE_MAX - ALIGN - sizeof(*c))
		return NULL;
	need = (size + ALIGN - 1) & ~(ALIGN - 1);
	if (!need)
		need = ALIGN;
	if (!c || c->size - a->used < need) {
		csize = need > CHUNK_SIZE ? need : CHUNK_SIZE;
		c = malloc(sizeof(*c) + csize);
		if (!c)
			return NULL;
		c->size = csize;
		a->total += csize;
		if (a->chunks && csize > CHUNK_SIZE &&
		    a->chunks->size - a->used >= CHUNK_SIZE / 4) {
			/* A big one-off: keep filling the current chunk. */
			c->next = a->chunks->next;
			a->chunks->next = c;
			memset(c->data, 0, need);
			return c->data;
		}
		c->next = a->chunks;
		a->chunks = c;
		a->used = 0;
	}
	p = c->data + a->used;
	a->used += need;
	memset(p, 0, need);
	return p;
}

char *vigil_arena_strdup(struct vigil_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = vigil_arena_alloc(a, n);

	if (d)
		memcpy(d, s, n);
	return d;
}
