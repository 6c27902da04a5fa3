/*
 * fuzz_config.c - libFuzzer target: config_parse().
 *
 * Any bytes as docket.yaml: parse, and when accepted, use the result the
 * way commands do (look up every id, compute each deadline from a fixed
 * start) so a config that parses but breaks its users is found too.
 * The input buffer has exactly the input's length, no NUL after it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const char *id)
{
	fprintf(stderr, "fuzz_config: %s '%s'\n", what, id ? id : "");
	abort();
}

/* Every id the config defines must be found by its lookup. */
static void check_lookups(const struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nchannels; i++)
		if (config_channel(cfg, cfg->channels[i].id) !=
		    &cfg->channels[i])
			broken("channel not found", cfg->channels[i].id);
	for (i = 0; i < cfg->npriorities; i++)
		if (!config_priority(cfg, cfg->priorities[i].id))
			broken("priority not found", cfg->priorities[i].id);
	for (i = 0; i < cfg->ndepartments; i++)
		if (!config_department(cfg, cfg->departments[i].id))
			broken("department not found",
				cfg->departments[i].id);
	for (i = 0; i < cfg->nstaff; i++)
		if (!config_staff(cfg, cfg->staff[i].id))
			broken("staff not found", cfg->staff[i].id);
	for (i = 0; i < cfg->nreject_reasons; i++)
		if (!config_reject_reason(cfg, cfg->reject_reasons[i].id))
			broken("reject reason not found",
				cfg->reject_reasons[i].id);
	for (i = 0; i < cfg->ncategories; i++) {
		const struct category *c = &cfg->categories[i];

		if (!config_category(cfg, c->id))
			broken("category not found", c->id);
		if (c->parent >= (int)i)
			broken("category listed before its parent", c->id);
		if (c->parent >= 0 &&
		    !category_under(c->id, cfg->categories[c->parent].id))
			broken("category not under its parent", c->id);
	}
	if (cfg->default_priority &&
	    !config_priority(cfg, cfg->default_priority))
		broken("default priority not defined", cfg->default_priority);
}

/* Deadlines from a fixed start: each must end, and not before it. */
static void check_deadlines(const struct config *cfg)
{
	struct ts start = cal_zoned(&cfg->cal, 1795000000);
	struct duration d[3];
	size_t i, k;

	d[0] = cfg->ack;
	d[1] = cfg->feedback;
	d[2] = cfg->resolve;
	for (k = 0; k < 3; k++)
		if (ts_cmp(cal_add(&cfg->cal, start, d[k]), start) < 0)
			broken("a deadline before its start", "default");
	for (i = 0; i < cfg->nrules; i++) {
		const struct dl_rule *r = &cfg->rules[i];

		if ((r->has & DL_RESOLVE) &&
		    ts_cmp(cal_add(&cfg->cal, start, r->resolve), start) < 0)
			broken("a deadline before its start", "rule");
	}
	cal_add(&cfg->cal, start, cfg->look_back);
	cal_add(&cfg->cal, start, cfg->remind_within);
	cal_add(&cfg->cal, start, cfg->escalate_after);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = DIAG_INIT;
	struct config cfg;
	char *buf = NULL;

	buf = xmalloc(size ? size : 1);
	if (size)
		memcpy(buf, data, size);
	if (!config_parse(&cfg, buf, size, "docket.yaml", &d)) {
		check_lookups(&cfg);
		check_deadlines(&cfg);
	} else if (!d.n) {
		broken("a refused config has no message", "");
	}
	config_release(&cfg);
	diag_release(&d);
	free(buf);
	return 0;
}
