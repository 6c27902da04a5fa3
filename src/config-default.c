/*
 * config-default.c - the docket.yaml that `docket init` writes.
 *
 * The text is examples/docket.yaml, installed with the templates, where
 * an admin reads and diffs it like any other; the build turns it into
 * the C string below (src/default-yaml.inc, see the Makefile) so that
 * init needs no installed file to start a store.
 */
#include "config.h"

const char config_default_yaml[] =
#include "default-yaml.inc"
	;
