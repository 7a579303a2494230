/* tb-contact.h — plain records passed between the store, the importers,
 * the calendar, the introductions and the service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Profile facts: what you learn about a person. */
typedef enum
{
  TB_FACT_INTEREST,
  TB_FACT_GOAL,
  TB_FACT_OFFER, /* what they can help with */
  TB_FACT_NEED,  /* what they are looking for */
} TbFactKind;

typedef struct
{
  gint64 id;
  TbFactKind kind;
  char *text; /* (owned) */
} TbFact;

/* Interaction kinds; the first four are conversations. */
typedef enum
{
  TB_KIND_CALL,
  TB_KIND_VIDEO,
  TB_KIND_MEETING,
  TB_KIND_COFFEE,
  TB_KIND_EMAIL,
  TB_KIND_MESSAGE,
  TB_KIND_INTRO,
  TB_KIND_OTHER,
} TbInteractionKind;

typedef struct
{
  gint64 id;
  gint64 contact_id;
  gint64 at;
  TbInteractionKind kind;
  char *note; /* (owned) (nullable) */
  /* The source that found it (docs/design.md §12); NULL: logged by hand. */
  char *source; /* (owned) (nullable) */
} TbInteraction;

typedef struct
{
  gint64 id;
  gint64 contact_id;
  gint64 due_at;
  gint64 done_at; /* 0: open */
  gint64 created_at;
  gint64 next_alert_at; /* 0: nothing to alert */
  gint64 alerted_at;    /* 0: never alerted */
  guint sequence;       /* grows when due_at moves (iCalendar SEQUENCE) */
  char *text;           /* (owned) */
  char *contact_name;   /* (owned) (nullable): filled by queries that join */
  char *contact_uid;    /* (owned) (nullable): likewise */
} TbFollowUp;

typedef enum
{
  TB_INTRO_SUGGESTED,
  TB_INTRO_DECLINED,
  TB_INTRO_MADE,
  TB_INTRO_CONNECTED,
} TbIntroStatus;

typedef struct
{
  gint64 id;
  gint64 a_id;
  gint64 b_id;
  gint64 at;
  TbIntroStatus status;
  char *note; /* (owned) (nullable) */
} TbIntroduction;

/* Whether touchbase keeps the user in touch with a contact
 * (docs/design.md §2). Only a tracked contact has a due time, reminders
 * and calendar events; an imported connection arrives not tracked and
 * waits in the review queue until the user decides; an ignored one has
 * left the queue for good. The values are stored. */
typedef enum
{
  TB_TRACKING_NOT_TRACKED = 0,
  TB_TRACKING_TRACKED = 1,
  TB_TRACKING_IGNORED = 2,
} TbTracking;

/* Times are Unix seconds; 0 means "not set" throughout. Strings are NULL
 * when not set, never "". */
typedef struct
{
  gint64 id;
  char *uid;        /* (owned) */
  char *name;       /* (owned) */
  char *email;      /* (owned) (nullable) */
  char *phone;      /* (owned) (nullable) */
  char *url;        /* (owned) (nullable) */
  char *company;    /* (owned) (nullable) */
  char *position;   /* (owned) (nullable) */
  char *met;        /* (owned) (nullable): how we met */
  char *note;       /* (owned) (nullable) */
  char *birthday;   /* (owned) (nullable): "YYYY-MM-DD" or "--MM-DD" */
  char *source;     /* (owned): manual, linkedin, google, vcard, json */
  GStrv tags;       /* (owned) (nullable) */
  GPtrArray *facts; /* (owned) (nullable) (element-type TbFact) */
  /* Other addresses seen in an import: used to find duplicates. */
  GStrv other_emails; /* (owned) (nullable) */
  /* Keys an import computes off the main thread (tb-importer.c); when
   * NULL the store computes them itself. */
  char *name_key;  /* (owned) (nullable) tb_name_key of the name */
  char *url_key;   /* (owned) (nullable) tb_url_key of the url */
  char *email_key; /* (owned) (nullable) tb_email_key of the email */
  /* Set by a search only (tb_store_search): the fields the text was
   * found in, of "name", "company", "position", "email", "note" and
   * "facts". */
  GStrv matched; /* (owned) (nullable) */

  gint64 interval;           /* per-contact interval in seconds; 0: default */
  gint64 effective_interval; /* resolved: contact, else tag, else global */
  gint64 connected_on;       /* LinkedIn's "Connected On"; NOT an interaction */
  gint64 created_at;
  gint64 last_interaction_at;
  gint64 last_conversation_at;
  TbInteractionKind last_interaction_kind;
  gint64 snoozed_until;
  gboolean paused;
  TbTracking tracking;  /* tb_contact_new: tracked */
  gint64 tracked_since; /* when tracking last began; 0: since created */

  /* Scheduling state, maintained by the store. */
  gint64 due_at;        /* 0 when paused */
  gint64 next_alert_at; /* 0: nothing to alert */
  gint64 alerted_at;    /* last alert for the current due period, 0: none */
  guint sequence;       /* grows when due_at moves (iCalendar SEQUENCE) */
} TbContact;

TbContact *tb_contact_new (void);
void tb_contact_free (TbContact *contact);
TbFact *tb_fact_new (TbFactKind kind, const char *text);
void tb_fact_free (TbFact *fact);
void tb_interaction_free (TbInteraction *interaction);
void tb_follow_up_free (TbFollowUp *follow_up);
void tb_introduction_free (TbIntroduction *intro);

/* Add @fact (transfer full) to @contact's facts. */
void tb_contact_add_fact (TbContact *contact, TbFact *fact);

const char *tb_fact_kind_to_string (TbFactKind kind);
gboolean tb_fact_kind_from_string (const char *str, TbFactKind *out);
const char *tb_interaction_kind_to_string (TbInteractionKind kind);
gboolean tb_interaction_kind_from_string (const char *str,
                                          TbInteractionKind *out);
gboolean tb_interaction_kind_is_conversation (TbInteractionKind kind);
const char *tb_intro_status_to_string (TbIntroStatus status);
/* "tracked", "not-tracked", "ignored". */
const char *tb_tracking_to_string (TbTracking tracking);
gboolean tb_tracking_from_string (const char *str, TbTracking *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbContact, tb_contact_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbFact, tb_fact_free)
/* The largest texts touchbase keeps, in bytes of UTF-8 (docs/design.md
 * §5): a name, company, position, e-mail or phone; a link; a note, "how
 * we met", an interaction's or an introduction's note; a tag; a fact; a
 * follow-up. And how many tags and facts one contact brings in one call
 * or record. */
#define TB_TEXT_MAX_LINE 1000
#define TB_TEXT_MAX_URL 4096
#define TB_TEXT_MAX_NOTE 100000
#define TB_TEXT_MAX_TAG 200
#define TB_TEXT_MAX_FACT 2000
#define TB_TEXT_MAX_FOLLOW_UP 2000
/* The name an import is given for its file (PATH_MAX). */
#define TB_TEXT_MAX_FILE_NAME 4096
#define TB_TEXT_MAX_TAGS 200
#define TB_TEXT_MAX_FACTS 500

gboolean tb_text_check_size (const char *what, const char *text, gsize max,
                             GError **error);
gboolean tb_contact_check_sizes (const TbContact *contact, GError **error);
/* Whether @email can be an address: one "@" with something on both
 * sides, valid UTF-8, no space and no control character. Not whether it
 * exists: only that it is not some other text in the e-mail field (a
 * name, a LinkedIn id, a second address, a header smuggled in).
 * TB_ERROR_INVALID_ARGUMENT naming it otherwise. */
gboolean tb_email_check (const char *email, GError **error);
/* Whether @url can be a link: valid UTF-8 without a space or a control
 * character. A line break in one would start a new line (a whole new
 * card) in a vCard export, and an address with spaces opens something
 * else than it shows. TB_ERROR_INVALID_ARGUMENT otherwise. */
gboolean tb_url_check (const char *url, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbInteraction, tb_interaction_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbFollowUp, tb_follow_up_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TbIntroduction, tb_introduction_free)

G_END_DECLS
