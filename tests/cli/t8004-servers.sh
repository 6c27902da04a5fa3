#!/bin/sh
test_description='docket clone and sync through real servers: OpenSSH and git http-backend'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-sites.sh"

# Under `make asan`: full stacks for allocations, so that the one
# suppression in tests/lsan.supp (libgit2 1.5's ssh transport leaks its
# known_hosts handle under git_remote_connect_ext) matches by name, not
# by a library-wide rule.  Other builds ignore ASAN_OPTIONS.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
export ASAN_OPTIONS

# The servers run on 127.0.0.1 for this script only: sshd with a
# throw-away host key and a user key made here, and lighttpd running
# git http-backend as CGI with basic authentication (gz:secret).  Both
# are stopped when the script ends, whatever happens.
sshd=$(command -v sshd || echo /usr/sbin/sshd)
lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
backend=$(git --exec-path)/git-http-backend
me=$(id -un)
stop_servers () {
	for f in "$TRASH_DIRECTORY"/sshd.pid "$TRASH_DIRECTORY"/http.pid; do
		test -s "$f" && kill "$(cat "$f")" 2>/dev/null
	done
	return 0
}
trap 'stop_servers' EXIT
trap 'stop_servers; exit 130' INT TERM

# a port nothing listens on yet: bind it and let go
free_port () {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait until a server answers on its port (at most 10 s)
wait_port () {
	i=0
	while [ $i -lt 100 ]; do
		python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

test_expect_success 'a central bare repository, served by sshd and by http-backend' '
	test -x "$sshd" && test -x "$lighttpd" && test -x "$backend" &&
	docket init hq --template net --site hq >out &&
	mkdir srv &&
	git clone -q --bare hq srv/hub.git &&
	git -C srv/hub.git config http.receivepack true &&
	printf "#!/bin/sh\nexec \"%s\" hook pre-receive\n" "$DOCKET_ROOT/docket" \
		>srv/hub.git/hooks/pre-receive &&
	chmod +x srv/hub.git/hooks/pre-receive &&
	git -C srv/hub.git config docket.pusher.gz gz &&

	mkdir -p "$HOME/.ssh" &&
	ssh-keygen -q -t ed25519 -N "" -f hostkey &&
	ssh-keygen -q -t ed25519 -N "" -f "$HOME/.ssh/id_ed25519" &&
	cp "$HOME/.ssh/id_ed25519.pub" authorized_keys &&
	sport=$(free_port) && echo $sport >sport &&
	cat >sshd_config <<-EOF &&
	Port $sport
	ListenAddress 127.0.0.1
	HostKey $PWD/hostkey
	AuthorizedKeysFile $PWD/authorized_keys
	StrictModes no
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	UsePAM no
	PermitRootLogin prohibit-password
	PidFile $PWD/sshd.pid
	SetEnv PATH=$PATH
	EOF
	if [ "$(id -u)" = 0 ]; then mkdir -p /run/sshd; fi &&
	"$sshd" -f "$PWD/sshd_config" -E "$PWD/sshd.log" &&
	wait_port $sport &&

	printf "gz:secret\n" >users &&
	hport=$(free_port) && echo $hport >hport &&
	cat >http.conf <<-EOF &&
	server.document-root = "$PWD/srv"
	server.port = $hport
	server.bind = "127.0.0.1"
	server.pid-file = "$PWD/http.pid"
	server.errorlog = "$PWD/http.log"
	server.modules = ("mod_alias", "mod_setenv", "mod_auth", "mod_authn_file", "mod_cgi")
	alias.url = ("/git" => "$backend")
	auth.backend = "plain"
	auth.backend.plain.userfile = "$PWD/users"
	auth.require = ("/git" => ("method" => "basic", "realm" => "docket", "require" => "valid-user"))
	\$HTTP["url"] =~ "^/git" {
	  cgi.assign = ("" => "")
	  setenv.add-environment = ("GIT_PROJECT_ROOT" => "$PWD/srv", "GIT_HTTP_EXPORT_ALL" => "", "PATH" => "$PATH")
	}
	EOF
	"$lighttpd" -f "$PWD/http.conf" &&
	wait_port $hport
'

ssh_url () {
	echo "ssh://$me@127.0.0.1:$(cat sport)$TRASH_DIRECTORY/srv/hub.git"
}
http_url () {
	echo "http://127.0.0.1:$(cat hport)/git/hub.git"
}

test_expect_success 'a host missing from known_hosts is refused, saying how to add it' '
	test_must_fail docket clone "$(ssh_url)" sz --site sz >out 2>err &&
	test_grep "known_hosts" err &&
	test_grep "ssh-keyscan -p $(cat sport) 127.0.0.1" err &&
	! test -e sz
'

test_expect_success 'clone over ssh once the host key is known' '
	ssh-keyscan -p "$(cat sport)" 127.0.0.1 >"$HOME/.ssh/known_hosts" 2>/dev/null &&
	test -s "$HOME/.ssh/known_hosts" &&
	docket clone "$(ssh_url)" sz --site sz >out &&
	test "$(git -C sz config docket.site)" = sz &&
	docket -C sz check
'

test_expect_success 'a changed host key is refused, and nothing changes' '
	cp "$HOME/.ssh/known_hosts" kh.good &&
	ssh-keygen -q -t ed25519 -N "" -f otherkey &&
	awk -v k="$(cut -d" " -f2 otherkey.pub)" "{ print \$1, \$2, k }" \
		kh.good >"$HOME/.ssh/known_hosts" &&
	file_case sz 深圳受理 >sid &&
	head=$(git -C sz rev-parse HEAD) &&
	test_must_fail docket -C sz --as "$intake" sync >out 2>err &&
	test_grep "CHANGED" err &&
	test "$(git -C sz rev-parse HEAD)" = "$head" &&
	cp kh.good "$HOME/.ssh/known_hosts"
'

# ssh -o HashKnownHosts=yes and ssh-keyscan -H write "|1|salt|hash", both
# base64 with '=' padding that must come off before the HMAC.
test_expect_success 'a hashed known_hosts entry is known too' '
	ssh-keyscan -H -p "$(cat sport)" 127.0.0.1 \
		>"$HOME/.ssh/known_hosts" 2>/dev/null &&
	test_grep "^|1|[^|]*=|[^ ]*= " "$HOME/.ssh/known_hosts" &&
	docket clone "$(ssh_url)" sz-hashed --site sz >out &&
	docket -C sz-hashed check &&
	rm -rf sz-hashed &&
	cp kh.good "$HOME/.ssh/known_hosts"
'

test_expect_success 'a wrong password over http is refused, with no stale message' '
	DOCKET_SYNC_USER=gz DOCKET_SYNC_PASSWORD=wrong \
		test_must_fail docket clone "$(http_url)" gz --site gz >out 2>err &&
	test_grep "refused the login" err &&
	! grep -q "config value" err &&
	! test -e gz
'

test_expect_success 'a server that does not answer is named' '
	test_must_fail docket clone "http://127.0.0.1:$(free_port)/git/hub.git" \
		gz --site gz >out 2>err &&
	test_grep "cannot reach" err &&
	! test -e gz
'

test_expect_success 'clone over http with a user and password' '
	DOCKET_SYNC_USER=gz DOCKET_SYNC_PASSWORD=secret \
		docket clone "$(http_url)" gz --site gz >out &&
	docket -C gz check
'

test_expect_success 'three offices over ssh, http and a path converge on one history' '
	git -C hq remote add origin "$TRASH_DIRECTORY/srv/hub.git" &&
	file_case hq 总公司受理 >hid &&
	file_case gz 广州受理 >gid &&
	docket -C sz --as "$intake" sync >out 2>err &&
	DOCKET_SYNC_USER=gz DOCKET_SYNC_PASSWORD=secret \
		docket -C gz --as "$intake" sync >out 2>err &&
	docket -C hq --as "$intake" sync >out 2>err &&
	docket -C sz --as "$intake" sync >out 2>err &&
	DOCKET_SYNC_USER=gz DOCKET_SYNC_PASSWORD=secret \
		docket -C gz --as "$intake" sync >out 2>err &&
	hub=$(git -C srv/hub.git rev-parse "main^{tree}") &&
	for s in hq gz sz; do
		test "$(git -C $s rev-parse "HEAD^{tree}")" = "$hub" &&
		docket -C $s check || exit 1
	done &&
	for id in $(cat hid gid sid); do
		git -C srv/hub.git cat-file -e "main:cases/2026/000/$id.yaml" ||
			exit 1
	done
'

test_expect_success 'the hook refuses a push over http and its reason reaches the clerk' '
	head=$(git -C srv/hub.git rev-parse main) &&
	sed "s/^id: .*/id: HQ-2026-000099/" \
		gz/cases/2026/000/$(cat gid).yaml \
		>gz/cases/2026/000/HQ-2026-000099.yaml &&
	git -C gz add cases/2026/000/HQ-2026-000099.yaml &&
	git -C gz commit -q -m "a case under the head office prefix" &&
	DOCKET_SYNC_USER=gz DOCKET_SYNC_PASSWORD=secret \
		test_must_fail docket -C gz --as "$intake" sync >out 2>err &&
	test_grep "remote: .*HQ-2026-000099" err &&
	test "$(git -C srv/hub.git rev-parse main)" = "$head" &&
	cat err >&4
'

# before test_done: on success it removes the trash, pid files with it
stop_servers
test_done
