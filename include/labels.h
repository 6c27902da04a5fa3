/*
 * labels.h - ids for files and scripts, labels for people.
 *
 * Every vocabulary docket knows is named by an id in case files, JSON,
 * CSV and YAML, and by a label where people read or type: a channel
 * (来电), priority, department (执法大队), category (肥料/假冒伪劣), staff
 * member (their name, 钱浩), reject reason -- labels from docket.yaml --
 * and an outcome, satisfaction level (较满意), status or kind -- words
 * from the message catalog, in the user's language.
 *
 * vocab_resolve() turns what a person typed for an option into the id:
 * the id itself, else a label (for categories also the path of labels,
 * for staff the name); a label that fits several is an error listing
 * them, and a value that fits none is an error listing the nearest ones,
 * so that a filter never silently matches nothing.
 */
#ifndef DOCKET_LABELS_H
#define DOCKET_LABELS_H

#include "case.h"
#include "config.h"
#include "util.h"

enum vocab {
	VOC_CHANNEL,
	VOC_PRIORITY,
	VOC_DEPARTMENT,
	VOC_CATEGORY,
	VOC_STAFF,
	VOC_REJECT_REASON,
	VOC_OUTCOME,
	VOC_SATISFACTION,
	VOC_STATUS,
	VOC_KIND,
	VOC__COUNT
};
#define VOCAB(v) (1u << (v))

/**
 * The label people read for an id of vocabulary v: docket.yaml's label
 * (a category's path of labels, a staff member's name), the catalog's
 * word for the fixed vocabularies; the id itself when it has none.
 * NULL for NULL.  cfg may be NULL for the fixed vocabularies (outcome,
 * satisfaction, status, kind).  Safe to call from several threads.
 */
const char *vocab_label(const struct config *cfg, enum vocab v,
	const char *id);

/** An id of a fixed vocabulary and its Chinese word (VOC__COUNT ends). */
struct vocab_word {
	enum vocab v;
	const char *id;
	const char *zh;
};
/**
 * The Chinese words of the fixed vocabularies, which vocab_resolve()
 * accepts in every language; they equal the zh_CN catalog's.
 */
extern const struct vocab_word vocab_zh_words[];

/** A deadline's name for people ("resolve": 办结期限). */
const char *due_label(enum due_kind k);

/** What a vocabulary is called, in the user's language ("department"). */
const char *vocab_noun(enum vocab v);

/**
 * Resolve `input`, given for option `what` ("--to"), to an id of one of
 * the vocabularies in mask (VOCAB(VOC_STAFF) | VOCAB(VOC_DEPARTMENT)).
 * On success *out is the id (owned by cfg or static) and *out_v (may be
 * NULL) its vocabulary.  ERR_INVALID when the input is ambiguous, with a
 * message listing the matches; ERR_NOTFOUND when it names nothing, with
 * a message listing the nearest values.  Nothing is added to d on
 * success.
 */
int vocab_resolve(const char **out, enum vocab *out_v,
	const struct config *cfg, unsigned mask, const char *what,
	const char *input, struct diag *d);

/**
 * As vocab_resolve(), but a value that names nothing is no error
 * (returns ERR_NOTFOUND, d untouched): for options that also take ids
 * of their own (a contact via "sms").
 */
int vocab_lookup(const char **out, enum vocab *out_v,
	const struct config *cfg, unsigned mask, const char *what,
	const char *input, struct diag *d);

/** Append "id (label)", or the id alone when the label is the id. */
void vocab_describe(struct sb *out, const struct config *cfg, enum vocab v,
	const char *id);
/** Append "label (id)" for people, or the id alone when they are one. */
void vocab_show(struct sb *out, const struct config *cfg, enum vocab v,
	const char *id);

#endif
