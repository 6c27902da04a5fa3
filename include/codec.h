/*
 * codec.h - case files: YAML text <-> struct dcase.
 *
 * case_parse() checks the structure of a case file against DESIGN
 * section 3 (types, enums, RFC 3339 timestamps with offsets, real dates,
 * ids, field sizes, control characters) and reports every problem as
 * "FILE:LINE:COLUMN: message".  Checks that need docket.yaml (is the
 * channel configured?) live in case_check_config().
 *
 * case_emit() writes the canonical form; for any file case_parse()
 * accepts, emitting it back yields a file that parses to the same case,
 * and for a canonical file, the same bytes.
 */
#ifndef DOCKET_CODEC_H
#define DOCKET_CODEC_H

#include <stddef.h>
#include "case.h"
#include "util.h"

struct config;

int case_parse(struct dcase *out, const char *buf, size_t len,
	const char *file, struct diag *d);
/**
 * case_parse() for a case only read: it lives in one arena (the parsed
 * tree's), freed at once by case_release(); nothing may change it (see
 * dcase.arena).  A scan reads every file of the store this way.
 */
int case_parse_shared(struct dcase *out, const char *buf, size_t len,
	const char *file, struct diag *d);
/** case_parse_shared() into mem, as ytree_parse_in() takes it. */
int case_parse_in(struct arena *mem, struct dcase *out, const char *buf,
	size_t len, const char *file, struct diag *d);
void case_emit(struct sb *out, const struct dcase *c);
/**
 * Values that must name something in the configuration: channel,
 * category, priority, department, co-departments, and the assignee
 * (when the config has staff: ids in the journal are history and stay
 * valid after a person leaves the staff list).  Unknown keys are reported too.
 * Every problem is added; returns ERR_INVALID if any.
 */
int case_check_config(const struct dcase *c, const struct config *cfg,
	const char *file, struct diag *d);

#endif
