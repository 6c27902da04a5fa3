# lib-sites.sh - a store template shared by several offices, for the
# tests of sites, sync and the pre-receive hook (sourced after lib.sh):
# tpl/net is the insurance template with sites hq (总公司), gz and sz;
# $intake and $sup are staff ids with those roles; file_case DIR SUBJECT
# files a hotline complaint and prints its id.

mkdir -p tpl/net &&
cp "$DOCKET_ROOT/examples/insurance/docket.yaml" tpl/net/docket.yaml &&
cat >>tpl/net/docket.yaml <<'YAML'
sites:
  - {id: hq, label: 总公司, prefix: HQ}
  - {id: gz, label: 广州分公司, prefix: GZ}
  - {id: sz, label: 深圳分公司, prefix: SZ}
YAML
DOCKET_TEMPLATES=$PWD/tpl
export DOCKET_TEMPLATES
intake=$(sed -n 's/.*{id: \([a-z.]*\),.*roles: \[[^]]*intake.*/\1/p' \
	tpl/net/docket.yaml | head -n 1)
sup=$(sed -n 's/.*{id: \([a-z.]*\),.*roles: \[[^]]*supervisor.*/\1/p' \
	tpl/net/docket.yaml | head -n 1)

file_case () {
	docket -C "$1" --as "$intake" file --channel hotline \
		--phone 13800000000 --subject "$2" --description 说明
}
