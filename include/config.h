/*
 * config.h - docket.yaml: parse, validate, look up.
 *
 * config_parse() checks every section of DESIGN section 5, reports every
 * problem it finds as "FILE:LINE:COLUMN: message" in the diag, and fails
 * once at the end.  Unknown keys are errors (a typo in a deadline must not
 * silently fall back to a default).
 */
#ifndef DOCKET_CONFIG_H
#define DOCKET_CONFIG_H

#include <stddef.h>
#include "calendar.h"
#include "util.h"

#define CONFIG_FILE "docket.yaml"
/* mail.timeout: seconds, by default and at most (24 h) */
#define MAIL_TIMEOUT_DEFAULT 60
#define MAIL_TIMEOUT_MAX 86400

struct labelled {
	char *id;
	char *label;
};

struct department {
	char *id;
	char *label;
	char *head;		/**< staff id or NULL */
	char **members;		/**< staff ids */
	size_t nmembers;
};

struct category {
	char *id;		/**< full path, e.g. "fertilizer/fake" */
	char *label;
	char *label_path;	/**< the labels from the root, "肥料/假冒伪劣" */
	char *department;	/**< own or inherited from the parent, or NULL */
	char **co;		/**< co-handling departments (配合), own or
				     inherited from the parent */
	size_t nco;
	char **keywords;
	size_t nkeywords;
	int parent;		/**< index into categories, -1 for a root */
};

/** One office of a store shared by several (DESIGN section 14). */
struct site {
	char *id;
	char *label;
	char *prefix;		/**< its case ids' prefix, "HQ" */
	char **departments;	/**< department ids it works for */
	size_t ndepartments;
};

enum role {
	ROLE_INTAKE = 1 << 0,
	ROLE_TRIAGE = 1 << 1,
	ROLE_SUPERVISOR = 1 << 2,
	ROLE_HANDLER = 1 << 3
};

struct staff {
	char *id;
	char *name;
	char *email;
	unsigned roles;		/**< ROLE_* bits */
};

/** Deadline set: which of ack/feedback/resolve/visit are given, and which
 * parts of resolve's start, ceiling and extensions. */
enum {
	DL_ACK = 1, DL_FEEDBACK = 2, DL_RESOLVE = 4, DL_VISIT = 8,
	DL_FROM = 16, DL_MAX = 32, DL_EXT_MAX = 64, DL_EXT_BY = 128
};

/** Where the resolve deadline is counted from (`resolve: {from: ...}`). */
enum dl_from { FROM_ACCEPTED, FROM_RECEIVED, FROM_ASSIGNED };

/**
 * How the resolve deadline runs beyond its length: its start, its ceiling
 * counted from receipt (max; DUR_NONE: none), and how often and by how
 * much it may be extended (extend.max, -1: no limit; extend.by, DUR_NONE:
 * any length).
 */
struct resolve_policy {
	enum dl_from from;
	struct duration max;
	int ext_max;
	struct duration ext_by;
};

/** A duration that is not set: no such deadline (deadlines.visit). */
#define DUR_NONE ((struct duration){ -1, DUR_DAYS })

struct dl_rule {
	char *kind;		/**< match or NULL */
	char *priority;
	char *category;		/**< matches the category and its children */
	unsigned has;		/**< DL_* bits present */
	struct duration ack, feedback, resolve, visit;
	struct resolve_policy policy;	/**< the parts DL_FROM.. has */
};

/** A saved view of `docket list`: its name and the options it stands for. */
struct view {
	char *name;		/**< may be Chinese (我的待办) */
	char **args;		/**< list options, one word each */
	size_t nargs;
	int line, col;		/**< where it was defined, for messages */
};

struct config {
	int version;
	char *organization;
	char *language;		/**< `language:` ("zh"), NULL: the environment's */
	char *id_prefix;	/**< "" when none */
	struct site *sites;	/**< `sites:`; none for a one-office store */
	size_t nsites;
	struct labelled *channels;
	size_t nchannels;
	struct labelled *priorities;
	size_t npriorities;
	char *default_priority;
	struct department *departments;
	size_t ndepartments;
	struct category *categories;	/**< flattened, parents first */
	size_t ncategories;
	struct staff *staff;
	size_t nstaff;		/**< 0: no role checks */
	struct labelled *reject_reasons;
	size_t nreject_reasons;
	struct duration look_back;
	/** link a new case to those against the same respondent received
	 * this long before it (limits.same_respondent; n 0: never) */
	struct duration same_respondent;
	struct duration ack, feedback, resolve;	/**< defaults */
	struct resolve_policy policy;	/**< resolve's start, ceiling, extensions */
	/** a co-handler's reply, from its assignment (deadlines.co_reply) */
	struct duration co_reply;
	/** the acceptance decision after the material asked for arrived
	 * (deadlines.decide) */
	struct duration decide;
	/** the return visit (回访) after closing; DUR_NONE: none */
	struct duration visit;
	/** close needs --notified (close.require_notified, default 1) */
	int require_notified;
	/** complainants that make a complaint collective (集体投诉;
	 * collective.threshold, default 5) */
	long collective_threshold;
	struct dl_rule *rules;
	size_t nrules;
	struct calendar cal;
	struct duration remind_within, remind_repeat, escalate_after;
	/** remind.escalate_after as a mapping: per priority id */
	struct escalation {
		char *priority;
		struct duration after;
	} *escalate_by;
	size_t nescalate_by, nescalate_by_alloc;
	long digest_over;	/**< remind: a digest past this many cases */
	struct view *views;	/**< `views:`, in the file's order */
	size_t nviews;
	char *mail_from;
	char *sendmail;		/**< command line, split on blanks, no shell */
	int mail_timeout;	/**< seconds a sendmail may take (mail.timeout) */
	struct labelled *numbering;	/**< form name -> number pattern */
	size_t nnumbering;
};

/** Built-in defaults (used for keys a file leaves out). */
void config_init(struct config *cfg);
void config_release(struct config *cfg);
/**
 * Parse text of docket.yaml; `file` names it in messages.  Starts from
 * config_init() itself (do not init first); release the config afterwards
 * even on failure.
 */
int config_parse(struct config *cfg, const char *buf, size_t len,
	const char *file, struct diag *d);
/** Read and parse a file. */
int config_load(struct config *cfg, const char *path, struct diag *d);

const struct labelled *config_channel(const struct config *cfg,
	const char *id);
/** How long overdue a case of this priority (may be NULL) waits before
 * its reminders escalate: remind.escalate_after. */
struct duration config_escalate_after(const struct config *cfg,
	const char *priority);
const struct labelled *config_priority(const struct config *cfg,
	const char *id);
const struct department *config_department(const struct config *cfg,
	const char *id);
const struct category *config_category(const struct config *cfg,
	const char *id);
const struct staff *config_staff(const struct config *cfg, const char *id);
/** The view of that name, or NULL. */
const struct view *config_view(const struct config *cfg, const char *name);
const struct staff *config_staff_by_email(const struct config *cfg,
	const char *email);
const struct labelled *config_reject_reason(const struct config *cfg,
	const char *id);
/** The site with this id, or NULL. */
const struct site *config_site(const struct config *cfg, const char *id);
/** The site whose prefix the case id carries, or NULL. */
const struct site *config_site_of_id(const struct config *cfg,
	const char *case_id);
/** A form's number without a pattern of its own in `numbering`. */
#define CONFIG_DEFAULT_NUMBERING "〔{year}〕{seq}号"
/** The document number pattern of a form ("农投〔{year}〕{seq}号"). */
const char *config_numbering(const struct config *cfg, const char *form);
/** 1 if category `cat` is `anc` or lies below it ("a/b" is below "a"). */
int category_under(const char *cat, const char *anc);

/** The commented default docket.yaml that `init` writes. */
extern const char config_default_yaml[];

#endif
