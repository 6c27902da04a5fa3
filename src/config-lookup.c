/*
 * config-lookup.c - look-ups in a loaded configuration: by id, by label
 * or name, and category ancestry.
 */
#include "config-int.h"

const struct labelled *config_channel(const struct config *cfg,
	const char *id)
{
	return cfg_find_labelled(cfg->channels, cfg->nchannels, id);
}

const struct labelled *config_priority(const struct config *cfg,
	const char *id)
{
	return cfg_find_labelled(cfg->priorities, cfg->npriorities, id);
}

const struct labelled *config_reject_reason(const struct config *cfg,
	const char *id)
{
	return cfg_find_labelled(cfg->reject_reasons, cfg->nreject_reasons, id);
}

const char *config_numbering(const struct config *cfg, const char *form)
{
	const struct labelled *l = cfg_find_labelled(cfg->numbering,
		cfg->nnumbering, form);

	return l ? l->label : CONFIG_DEFAULT_NUMBERING;
}

const struct department *config_department(const struct config *cfg,
	const char *id)
{
	return cfg_find_department(cfg->departments, cfg->ndepartments, id);
}

const struct category *config_category(const struct config *cfg,
	const char *id)
{
	return cfg_find_category(cfg->categories, cfg->ncategories, id);
}

const struct staff *config_staff(const struct config *cfg, const char *id)
{
	return cfg_find_staff(cfg->staff, cfg->nstaff, id);
}

const struct staff *config_staff_by_email(const struct config *cfg,
	const char *email)
{
	return cfg_find_staff_email(cfg->staff, cfg->nstaff, email);
}

int category_under(const char *cat, const char *anc)
{
	size_t n;

	if (!cat || !anc)
		return 0;
	n = strlen(anc);
	return !strncmp(cat, anc, n) && (cat[n] == '\0' || cat[n] == '/');
}
