/* tb-found.h — what a source found: one conversation, before it is matched
 * to a contact. Placeholder of the calendar sources until the sources
 * framework lands; its version wins on merge.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tb-contact.h"

G_BEGIN_DECLS

typedef struct
{
  char *source; /* (owned): "ics:/path", "caldav:https://...", "eds:UID" */
  char *key;    /* (owned): unique within the source */
  gint64 at;    /* Unix seconds */
  TbInteractionKind kind;
  char *note;      /* (owned) (nullable) */
  GStrv addresses; /* (owned): lower-cased, never the user's own */
} TbFound;

static inline void
tb_found_free (TbFound *found)
{
  if (found == NULL)
    return;
  g_free (found->source);
  g_free (found->key);
  g_free (found->note);
  g_strfreev (found->addresses);
  g_free (found);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbFound, tb_found_free)

G_END_DECLS
