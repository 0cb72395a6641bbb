/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy_watch.h - the tracing policy directory, applied live.
 *
 * vigild loads every *.yaml / *.yml file of the directory at start and then
 * follows it with inotify.  A file written (closed after writing) or moved
 * in is loaded again: a policy of the same name is replaced gap-free, and
 * when the name changed, the policy the file loaded before is deleted once
 * the new one enforces.  A file deleted or moved away deletes the policy it
 * loaded.  A file that fails to load leaves its earlier version enforcing;
 * the errors are logged once per content.  Dotfiles and other names are
 * ignored, so an editor's temporary file counts only when it is renamed
 * over a policy file.  The events of one read are applied together, files
 * present before files gone: a rename from one name to another replaces
 * the policy before the old name is forgotten.
 *
 * A directory that does not exist is waited for: its nearest existing
 * ancestor is watched until it appears.  A directory that goes away takes
 * its policies with it.
 *
 * The lifecycle calls go through ops, so that the decisions are unit-tested
 * against fakes; vigil_policy_watch_lifecycle binds them to policies.c.
 */
#ifndef VIGIL_POLICY_WATCH_H
#define VIGIL_POLICY_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vigil_policy_watch_ops {
	/* Load text as a policy; file names it in messages.  On success the
	 * loaded policy's name goes to name; on failure errs receives every
	 * diagnostic, one per line. */
	int (*add)(void *ctx, const char *file, const char *text, size_t len, char *name,
		   size_t namesz, char *errs, size_t errsz);
	/* Delete the policy of this name. */
	int (*del)(void *ctx, const char *name);
};

/* agent/policies.c behind the ops; ctx is a struct vigil_policies. */
extern const struct vigil_policy_watch_ops vigil_policy_watch_lifecycle;

enum vigil_watch_action {
	VIGIL_WATCH_NONE,   /* not a policy file, or nothing that changes one */
	VIGIL_WATCH_FILE,   /* a policy file was written, moved in, deleted or moved away */
	VIGIL_WATCH_RESCAN, /* events were lost: compare the whole directory */
	VIGIL_WATCH_REARM,  /* the directory (or the ancestor waited on) changed */
};

/*
 * What one inotify event asks for.  on_dir: the event is of the directory's
 * own watch (else of the ancestor waited on, where only next, the name the
 * directory's path continues with, or the ancestor itself matters).
 */
enum vigil_watch_action vigil_watch_decide(bool on_dir, uint32_t mask, const char *name,
					   const char *next);

/* True for the names loaded from the directory: *.yaml and *.yml, no dotfile. */
bool vigil_watch_policy_name(const char *name);

struct vigil_policy_watch;

/* A watcher of dir without a file descriptor yet (see start). */
int vigil_policy_watch_new(const char *dir, const struct vigil_policy_watch_ops *ops, void *ctx,
			   struct vigil_policy_watch **out);
void vigil_policy_watch_free(struct vigil_policy_watch *w);

/*
 * Load the directory's files and start watching.  A directory that does not
 * exist is waited for (said once, unless missing_ok: the default directory);
 * one that cannot be watched is loaded once and said so.  Returns 0, or
 * -ENOMEM.
 */
int vigil_policy_watch_start(struct vigil_policy_watch *w, bool missing_ok);

/* The inotify descriptor to poll for reading, or -1 (w NULL, not watching). */
int vigil_policy_watch_fd(const struct vigil_policy_watch *w);

/* Read every pending event and apply the changes.  Returns 0. */
int vigil_policy_watch_handle(struct vigil_policy_watch *w);

/* The steps of handle, apart for the unit tests: note an event (what
 * vigil_watch_decide() says of it, for the directory's watch), then apply
 * what the noted events changed, reading the files as they are now. */
void vigil_policy_watch_note(struct vigil_policy_watch *w, uint32_t mask, const char *name);
void vigil_policy_watch_apply(struct vigil_policy_watch *w);

/* The policy that file (a name in the directory) loaded, or NULL. */
const char *vigil_policy_watch_policy(const struct vigil_policy_watch *w, const char *file);

#endif
