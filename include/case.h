/*
 * case.h - the case model: one complaint or report, as in DESIGN section 3.
 *
 * Top-level fields are the current state; `events` is the append-only
 * journal of how the case got there.  Text fields are NULL when absent.
 * Unknown keys are kept (as YAML trees) so that nothing a person wrote by
 * hand is ever dropped by a command that rewrites the file.
 */
#ifndef DOCKET_CASE_H
#define DOCKET_CASE_H

#include <stddef.h>
#include "calendar.h"
#include "util.h"

struct ynode;

/* Field limits in bytes (UTF-8); the codec refuses longer values. */
#define LIM_ID 40
#define LIM_NAME 200		/* names, staff ids, respondent, location */
#define LIM_SUBJECT 500
#define LIM_TEXT 65536		/* description, request, summary, notes */
#define LIM_LIST 1000		/* related, attachments, co-departments */
#define LIM_EVENTS 100000
#define LIM_CASEFILE (8 << 20)	/* a whole case file */

#define CASE_ID_BUFSZ 48
#define CASE_PATH_BUFSZ 96

enum case_kind { KIND_COMPLAINT, KIND_REPORT };

enum case_status {
	ST_RECEIVED,
	ST_PENDING_INFO,
	ST_ACCEPTED,
	ST_ASSIGNED,
	ST_ON_HOLD,
	ST_CLOSED,
	ST_REJECTED,
	ST__COUNT
};

/*
 * Top-level keys in canonical order.  The codec writes them in this order
 * and records where each was found (for messages from `check`).
 */
enum case_field {
	F_ID, F_KIND, F_STATUS, F_SUBJECT, F_CHANNEL, F_REF, F_RECEIVED_AT,
	F_RECEIVED_BY, F_COMPLAINANT, F_COLLECTIVE, F_RESPONDENT, F_LOCATION, F_OCCURRED_ON,
	F_DESCRIPTION, F_REQUEST, F_CATEGORY, F_PRIORITY, F_DEPARTMENT,
	F_CO_DEPARTMENTS, F_ASSIGNEE, F_DUE, F_RELATED, F_ATTACHMENTS,
	F_CLOSURE, F_EVENTS, F__COUNT
};
extern const char *const case_field_names[F__COUNT];

/** Where something was read from (0 when built in memory). */
struct mark {
	int line, col;
};

/** A key the model does not know, kept verbatim. */
struct extra {
	char *key;
	struct ynode *val;
	int line, col;		/**< where the key was read */
};

struct complainant {
	char *name;
	char *phone;
	char *email;
	char *address;
	int anonymous;		/**< 0/1 */
	long count;		/**< >= 1; > 1: group complaint */
	struct extra *extra;
	size_t nextra;
};

/** Deadline slots; bits for `has`. */
enum due_kind {
	DUE_ACK, DUE_FEEDBACK, DUE_RESOLVE, DUE_VISIT, DUE_DECIDE, DUE__COUNT
};
extern const char *const due_names[DUE__COUNT];	/* "ack", ... */

struct due {
	unsigned has;		/**< bit (1 << DUE_x) set when present */
	struct ts at[DUE__COUNT];
};

struct attachment {
	char *path;		/**< "attachments/ID/NAME" */
	char *sha256;		/**< 64 lowercase hex digits */
};

struct closure {
	int present;
	struct ts at;
	char *by;
	char *outcome;		/**< one of case_outcomes */
	char *summary;
	int notified;		/**< 1 if notified {at, via} present */
	struct ts notified_at;
	char *notified_via;
	char *satisfaction;	/**< one of case_satisfactions or NULL */
	int on_time;		/**< -1 absent, 0 false, 1 true */
	struct extra *extra;
	size_t nextra;
};

/**
 * One journal entry: `at`, `by`, `action` and then further fields in
 * the order given.  A field's value is a string, or a list of strings
 * (written as a flow sequence) when is_list is set.
 */
struct event_field {
	char *key;
	char *val;		/**< scalar value, NULL for lists */
	char **list;
	size_t nlist;
	int is_list;
};

struct event {
	struct ts at;
	char *by;
	char *action;
	struct event_field *f;
	size_t nf;
};

struct dcase {
	char *id;
	enum case_kind kind;
	enum case_status status;
	char *subject;
	char *channel;
	/** an outside body's number for the case: a 12345 work order, a
	 * regulator's transfer number (工单号, 转办文号) */
	char *ref;
	struct ts received_at;
	char *received_by;
	struct complainant who;
	/** 集体投诉: flagged at intake (complainant.count at or past
	 * collective.threshold, or file --collective) */
	int collective;
	char *respondent;
	char *location;
	int has_occurred;
	struct date occurred_on;
	char *description;
	char *request;
	char *category;
	char *priority;
	char *department;
	char **co_departments;
	size_t nco;
	char *assignee;
	struct due due;
	char **related;
	size_t nrelated;
	struct attachment *att;
	size_t natt;
	struct closure closure;
	struct event *events;
	size_t nevents;
	struct extra *extra;	/**< unknown top-level keys, in order */
	size_t nextra;
	struct mark mark[F__COUNT];	/**< where each key was read */
	/**
	 * Set on a read-only case: one a scan decoded (its arrays live in
	 * this arena, its strings in the scan's cache) or one
	 * case_parse_shared() read (all of it in here, with the parsed
	 * document).  case_release() frees the arena at once.  Nothing
	 * may change such a case (case_copy() makes one that can be), and
	 * a scan's lasts only as long as its callback: keep a copy of
	 * anything needed after it.
	 */
	struct arena *arena;
};

extern const char *const case_kinds[];		/* NULL-terminated */
extern const char *const case_statuses[];	/* indexed by enum */
extern const char *const case_outcomes[];	/* NULL-terminated */
extern const char *const case_satisfactions[];	/* NULL-terminated */

void case_init(struct dcase *c);
void case_release(struct dcase *c);

const char *case_kind_name(enum case_kind k);
int case_kind_parse(enum case_kind *out, const char *s);
const char *case_status_name(enum case_status s);
int case_status_parse(enum case_status *out, const char *s);
/** 1 for received, pending-info, accepted, assigned, on-hold. */
int case_status_open(enum case_status s);
/**
 * 1 if s is a phone number someone can call back: 7 to 20 digits (a
 * landline without area code has 7), with only spaces, +, -, ( and )
 * besides.  "110" or "123" is no way to reach a complainant.
 */
int phone_usable(const char *s);
/** A top-level key docket does not model as a field, as text, or NULL. */
const char *case_extra_scalar(const struct dcase *c, const char *key);
/**
 * 1 if the case is a collective complaint (集体投诉): flagged
 * `collective: true`, or brought by `threshold` or more people.
 */
int case_is_collective(const struct dcase *c, long threshold);
/** 1 if s is in the NULL-terminated list. */
int str_in(const char *s, const char *const *list);

/**
 * 1 if id is [PREFIX-]YYYY-NNNNNN: an optional prefix of 1-8 characters
 * [A-Z0-9], a year 1970-9999 and a six-digit sequence.  Every path is
 * built only from an id that passed this check.
 */
int case_id_valid(const char *id);
/** Split a valid id: prefix (may be ""), year, sequence. */
int case_id_split(const char *id, char prefix[16], int *year, long *seq);
/** Build an id from parts; prefix "" for none. */
int case_id_make(char out[CASE_ID_BUFSZ], const char *prefix, int year,
	long seq);
/** 1 for the name of a case file (NAME.yaml, not hidden), as scans and
 * the store list them. */
int case_file_name(const char *name);
/** 1 if path is cases/YEAR/FOLDER/NAME.yaml, where case files live. */
int case_file_path(const char *path);
/** "cases/2026/000/2026-000123.yaml"; ERR_INVALID for a bad id. */
int case_path(char out[CASE_PATH_BUFSZ], const char *id);
/** "cases/2026/000"; the folder holding the id's file. */
int case_dir(char out[CASE_PATH_BUFSZ], const char *id);
/** 1 if a staff/department/category/channel id: [a-z0-9][a-z0-9._-]* */
int plain_id_valid(const char *s);

/**
 * A copy of src that owns every piece of its own (src may be a read-only
 * case, case_parse_shared()'s or a scan's): the copy can be changed and
 * is freed with case_release().
 */
void case_copy(struct dcase *dst, const struct dcase *src);
/** Append a new event; returns it for event_set() calls. */
struct event *case_add_event(struct dcase *c, struct ts at, const char *by,
	const char *action);
/** Set a scalar field on an event (replacing one of the same key). */
void event_set(struct event *e, const char *key, const char *val);
/** Set a list field. */
void event_set_list(struct event *e, const char *key, char *const *v,
	size_t n);
/** The scalar value of key, or NULL. */
const char *event_get(const struct event *e, const char *key);
const struct event_field *event_field(const struct event *e,
	const char *key);

/** Replace *slot with a copy of s (NULL clears). */
void set_str(char **slot, const char *s);
/** Add s to a string array unless present. */
void strv_add_unique(char ***v, size_t *n, const char *s);

#endif
