/* tb-names.h — names and enums shared by touchbased and its clients.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#define TB_BUS_NAME "io.github.touchbase.Daemon"
#define TB_OBJECT_PATH "/io/github/touchbase/Daemon"
#define TB_INTERFACE "io.github.touchbase.Daemon1"
#define TB_ERROR_PREFIX "io.github.touchbase.Error."
#define TB_DESKTOP_ID "io.github.touchbase"
#define TB_SYSTEMD_UNIT "touchbased.service"

/* The error codes of TB_ERROR; the D-Bus name of each is
 * TB_ERROR_PREFIX followed by the name in the comment. */
typedef enum
{
  TB_ERROR_FAILED,           /* Failed */
  TB_ERROR_NOT_FOUND,        /* NotFound */
  TB_ERROR_AMBIGUOUS,        /* Ambiguous */
  TB_ERROR_INVALID_ARGUMENT, /* InvalidArgument */
  TB_ERROR_PARSE,            /* ParseError */
  TB_ERROR_STORAGE,          /* Storage */
  TB_ERROR_BUSY,             /* Busy */
  TB_ERROR_EXISTS,           /* Exists */
} TbErrorCode;

#define TB_N_ERRORS (TB_ERROR_EXISTS + 1)
