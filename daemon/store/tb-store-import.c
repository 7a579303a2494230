/* tb-store-import.c — what imports need from the store: bulk mode, the
 * name-only look-up and merging an incoming contact into an existing
 * one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tb-store"

#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "tb-error.h"
#include "tb-keys.h"
#include "tb-store-private.h"

gboolean
tb_store_set_bulk (TbStore *store, gboolean bulk, GError **error)
{
  gboolean ok = TRUE;

  if (bulk && store->txn_depth > 0)
    store->bulk_first_id = tb_store_next_contact_id (store, NULL);
  /* A failed write can roll SQLite's whole transaction back (a full
   * disk): the caller must hear of it here, not from the savepoint
   * that is then missing at its commit. */
  if (!bulk && store->bulk_first_id > 0 && !store->bulk_failed
      && store->txn_depth > 0
      && !tb_store_search_index_from (store, store->bulk_first_id, error))
    {
      store->bulk_failed = TRUE;
      ok = FALSE;
    }
  if (!bulk)
    store->bulk_first_id = 0;
  store->bulk = bulk;
  /* Negative: KiB. -2000 is SQLite's default. A fixed 128 MiB during
   * an import, whatever the size of the file: a large import makes the
   * indexes (uid, url_key, email_key, name_key, due times) larger than a
   * smaller cache, which then spills pages to the WAL half-way and reads
   * them back (bench/README.md has the figures). */
  sqlite3_exec (store->db,
                bulk ? "PRAGMA cache_size = -131072"
                     : "PRAGMA cache_size = -2000",
                NULL, NULL, NULL);
  return ok;
}

void
tb_store_trim_wal (TbStore *store)
{
  /* The commit itself was synced already; this only moves it into the
   * database file (what the automatic checkpoint at commit did) and
   * empties the WAL, which otherwise keeps the size of everything the
   * import wrote until the connection closes. Inside a transaction
   * (the import was part of a change) the outer commit calls it. */
  if (store->txn_depth > 0)
    return;
  if (sqlite3_wal_checkpoint_v2 (store->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                 NULL, NULL)
      != SQLITE_OK)
    g_debug ("WAL checkpoint after the import: %s", sqlite3_errmsg (store->db));
}

void
tb_store_release_memory (TbStore *store)
{
  sqlite3_db_release_memory (store->db);
  /* glibc keeps freed memory in its arenas; the records of a rebuild
   * are freed in an order that leaves the top of the heap in use, so
   * only an explicit trim returns the pages below it. */
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}

gint64
tb_store_find_by_name (TbStore *store, const TbContact *in, GError **error)
{
  g_autoptr (TbStmt) stmt = NULL;
  g_autofree char *own_key = in->name_key ? NULL : tb_name_key (in->name);
  const char *key = in->name_key ? in->name_key : own_key;
  g_autofree char *phone = tb_phone_key (in->phone);
  gint64 same = 0, near = 0;
  guint n_same = 0, n_near = 0;
  int rc;

  /* Bounded: of more people of one name without any address than this,
   * an import cannot pick out one by name anyway. */
  stmt = tb_store_prepare (store,
                           "SELECT id, phone, uid FROM contacts "
                           "WHERE name_key = ? AND email IS NULL "
                           "AND url IS NULL LIMIT 64",
                           error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *their_phone
          = tb_phone_key ((const char *) sqlite3_column_text (stmt, 1));
      const char *uid = (const char *) sqlite3_column_text (stmt, 2);

      /* The uid was looked up already: a record with one that matched
       * no contact is someone else than any contact with a uid. */
      if (in->uid != NULL && uid != NULL && g_strcmp0 (in->uid, uid) != 0)
        continue;
      if (phone != NULL && their_phone != NULL
          && !g_str_equal (phone, their_phone))
        continue;
      if ((phone == NULL) == (their_phone == NULL))
        {
          same = sqlite3_column_int64 (stmt, 0);
          n_same++;
        }
      else
        {
          near = sqlite3_column_int64 (stmt, 0);
          n_near++;
        }
    }
  if (rc != SQLITE_DONE)
    {
      tb_store_fail (store, error, _ ("Cannot find contacts by name"));
      return -1;
    }
  if (n_same > 0)
    return n_same == 1 ? same : 0;
  return n_near == 1 ? near : 0;
}

static gboolean
text_differs (const char *incoming, const char *existing)
{
  return incoming != NULL && g_strcmp0 (incoming, existing) != 0;
}

static gboolean
email_known (const TbContact *existing, const TbContact *in)
{
  g_autofree char *have = NULL;

  if (existing->email == NULL)
    return FALSE;
  if (in->email != NULL && g_str_equal (existing->email, in->email))
    return TRUE;
  have = tb_email_key (existing->email);
  if (have == NULL)
    return FALSE;
  for (guint i = 0; in->other_emails && in->other_emails[i]; i++)
    {
      g_autofree char *k = tb_email_key (in->other_emails[i]);

      if (g_strcmp0 (k, have) == 0)
        return TRUE;
    }
  {
    g_autofree char *k = tb_email_key (in->email);
    return g_strcmp0 (k, have) == 0;
  }
}

static gboolean
url_known (const TbContact *existing, const TbContact *in)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  if (existing->url == NULL)
    return FALSE;
  /* The common case, and no URI parsing: the import stored it as is. */
  if (g_str_equal (existing->url, in->url))
    return TRUE;
  a = tb_url_key (existing->url);
  b = tb_url_key (in->url);
  return a != NULL && g_strcmp0 (a, b) == 0;
}

static gboolean
phone_known (const TbContact *existing, const TbContact *in)
{
  g_autofree char *a = tb_phone_key (existing->phone);
  g_autofree char *b = tb_phone_key (in->phone);

  return a != NULL && g_strcmp0 (a, b) == 0;
}

static gboolean
has_tag (const char *const *tags, const char *tag)
{
  for (guint i = 0; tags && tags[i]; i++)
    if (g_str_equal (tags[i], tag))
      return TRUE;
  return FALSE;
}

TbFieldMask
tb_store_merge_import (const TbContact *existing, const TbContact *in,
                       TbContact *values)
{
  TbFieldMask mask = 0;

  /* Name, how-we-met and notes are the user's own words once set: an
   * export never overwrites them, it only fills them in. */
  if (in->met != NULL && existing->met == NULL)
    {
      values->met = g_strdup (in->met);
      mask |= TB_FIELD_MET;
    }
  if (in->note != NULL && existing->note == NULL)
    {
      values->note = g_strdup (in->note);
      mask |= TB_FIELD_NOTE;
    }
  /* An address or profile the contact already has, in any spelling, is
   * not a change; another one is (people move). */
  if (in->email != NULL && !email_known (existing, in)
      && text_differs (in->email, existing->email))
    {
      values->email = g_strdup (in->email);
      mask |= TB_FIELD_EMAIL;
    }
  if (in->url != NULL && !url_known (existing, in))
    {
      values->url = g_strdup (in->url);
      mask |= TB_FIELD_URL;
    }
  /* Job, phone and birthday: the export is the newer snapshot; a number
   * only written another way is the same one. */
  if (text_differs (in->phone, existing->phone) && !phone_known (existing, in))
    {
      values->phone = g_strdup (in->phone);
      mask |= TB_FIELD_PHONE;
    }
  if (text_differs (in->company, existing->company))
    {
      values->company = g_strdup (in->company);
      mask |= TB_FIELD_COMPANY;
    }
  if (text_differs (in->position, existing->position))
    {
      values->position = g_strdup (in->position);
      mask |= TB_FIELD_POSITION;
    }
  if (text_differs (in->birthday, existing->birthday))
    {
      values->birthday = g_strdup (in->birthday);
      mask |= TB_FIELD_BIRTHDAY;
    }
  if (in->connected_on != 0 && in->connected_on != existing->connected_on)
    {
      values->connected_on = in->connected_on;
      mask |= TB_FIELD_CONNECTED_ON;
    }
  /* An interval of the contact's own, set by hand or by an earlier
   * import, is the user's choice: an import only fills one in. */
  if (in->interval > 0 && existing->interval == 0
      && existing->tracking != TB_TRACKING_IGNORED)
    {
      values->interval = in->interval;
      mask |= TB_FIELD_INTERVAL;
    }
  /* Tags are added, never taken away: a label removed in Google is no
   * reason to drop a tag the user may have set here. */
  for (guint i = 0; in->tags && in->tags[i]; i++)
    {
      g_autofree char *tag = tb_tag_key (in->tags[i]);

      if (*tag == '\0' || has_tag ((const char *const *) existing->tags, tag))
        continue;
      if (!(mask & TB_FIELD_TAGS))
        {
          g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

          g_strv_builder_addv (b, (const char **) existing->tags);
          g_strv_builder_add (b, tag);
          values->tags = g_strv_builder_end (b);
          mask |= TB_FIELD_TAGS;
        }
      else if (!has_tag ((const char *const *) values->tags, tag))
        {
          guint n = g_strv_length (values->tags);

          values->tags = g_renew (char *, values->tags, n + 2);
          values->tags[n] = g_strdup (tag);
          values->tags[n + 1] = NULL;
        }
    }
  return mask;
}
