/*
 * remote.c - fetch, push and clone through libgit2, with the rules an
 * office's admin expects of ssh: keys from ssh-agent or ~/.ssh, and a
 * host key that must be in ~/.ssh/known_hosts (plain, [host]:port or
 * hashed entries, as ssh-keyscan and ssh write them).  HTTPS takes a
 * user and password from DOCKET_SYNC_USER / DOCKET_SYNC_PASSWORD and
 * libgit2's own certificate check.  Each failure gets its own message:
 * host unreachable, authentication refused, unknown or changed host
 * key, push rejected.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "gitlock.h"
#include "intl.h"
#include "remote.h"
#include "store-int.h"

/* What the callbacks learnt, for the message after a failure. */
struct conn {
	const char *url;
	int port;		/* ssh port from the URL, 22 by default */
	int progress;
	int tries;		/* credentials offered so far */
	int gave_up;		/* credentials() had nothing more */
	int auth_tried;
	int host_unknown;
	int host_changed;
	int mid_line;		/* the server's text ended inside a line */
	char host[256];
	struct sb rejected;	/* a push the remote refused: its reason */
};

static void conn_init(struct conn *c, const char *url, int progress)
{
	const char *p, *colon;

	memset(c, 0, sizeof(*c));
	c->url = url;
	c->port = 22;
	c->progress = progress;
	sb_init(&c->rejected);
	/* ssh://[user@]host[:port]/path: the port names the known_hosts
	 * entry "[host]:port" */
	if (strncmp(url, "ssh://", 6))
		return;
	p = url + 6;
	if (strchr(p, '@') && strchr(p, '@') < strchr(p, '/'))
		p = strchr(p, '@') + 1;
	colon = strchr(p, ':');
	if (colon && (!strchr(p, '/') || colon < strchr(p, '/')))
		c->port = atoi(colon + 1);
}

/* ---- known_hosts ------------------------------------------------------ */

/*
 * OpenSSL's EVP_DecodeBlock decodes '=' padding as zero bytes and counts
 * them, so the one or two '=' at the end come off its length; '='
 * anywhere else (or "====", which it takes for 3 bytes) is refused.
 */
static size_t b64_decode(unsigned char *out, size_t cap, const char *in)
{
	size_t len = strlen(in), pad = 0;
	const char *eq = strchr(in, '=');
	int n;

	if (!len || len % 4 || len / 4 * 3 > cap)
		return 0;
	if (eq) {
		pad = (size_t)(in + len - eq);
		if (pad > 2 || strspn(eq, "=") != pad)
			return 0;
	}
	n = EVP_DecodeBlock(out, (const unsigned char *)in, (int)len);
	if (n < 0 || (size_t)n <= pad)
		return 0;
	return (size_t)n - pad;
}

/* "|1|salt|hash": HMAC-SHA1 of the name under the salt, as ssh hashes */
static int hashed_match(const char *pat, const char *name)
{
	unsigned char salt[64], want[64], got[EVP_MAX_MD_SIZE];
	char buf[256];
	const char *bar;
	size_t nsalt, nwant;
	unsigned int ngot = 0;

	if (strncmp(pat, "|1|", 3) || !(bar = strchr(pat + 3, '|')) ||
	    (size_t)(bar - pat - 3) >= sizeof(buf))
		return 0;
	memcpy(buf, pat + 3, (size_t)(bar - pat - 3));
	buf[bar - pat - 3] = '\0';
	nsalt = b64_decode(salt, sizeof(salt), buf);
	nwant = b64_decode(want, sizeof(want), bar + 1);
	if (!nsalt || nwant != 20 || !HMAC(EVP_sha1(), salt, (int)nsalt,
	    (const unsigned char *)name, strlen(name), got, &ngot))
		return 0;
	return ngot == 20 && !memcmp(got, want, 20);
}

static int host_match(const char *hosts, const char *name)
{
	char *copy = xstrdup(hosts), *tok, *save = NULL;
	int hit = 0;

	for (tok = strtok_r(copy, ",", &save); tok && !hit;
	    tok = strtok_r(NULL, ",", &save))
		hit = tok[0] == '|' ? hashed_match(tok, name) :
			!strcmp(tok, name);
	free(copy);
	return hit;
}

/* 1: the key is known for the host; 0: the host is not in the file;
 * -1: the host is there with other keys only (the key changed). */
static int known_host(const struct conn *c, const unsigned char *key,
	size_t keylen)
{
	char name[300], line[16384], *hosts, *type, *b64, *save = NULL;
	unsigned char *blob = NULL;
	const char *home = getenv("HOME");
	struct sb path = SB_INIT;
	FILE *f;
	int seen = 0, ok = 0;
	size_t n;

	if (c->port == 22)
		snprintf(name, sizeof(name), "%s", c->host);
	else
		snprintf(name, sizeof(name), "[%s]:%d", c->host, c->port);
	sb_addf(&path, "%s/.ssh/known_hosts", home ? home : "");
	f = fopen(path.buf, "r");
	sb_release(&path);
	if (!f)
		return 0;
	blob = xmalloc(sizeof(line));
	while (!ok && fgets(line, sizeof(line), f)) {
		save = NULL;
		if (line[0] == '#' || line[0] == '@' ||
		    !(hosts = strtok_r(line, " \t\n", &save)) ||
		    !(type = strtok_r(NULL, " \t\n", &save)) ||
		    !(b64 = strtok_r(NULL, " \t\n", &save)) ||
		    !host_match(hosts, name))
			continue;
		seen = 1;
		n = b64_decode(blob, sizeof(line), b64);
		ok = n == keylen && !memcmp(blob, key, n);
	}
	free(blob);
	fclose(f);
	return ok ? 1 : seen ? -1 : 0;
}

static int check_cert(git_cert *cert, int valid, const char *host,
	void *payload)
{
	struct conn *c = payload;
	git_cert_hostkey *hk;
	int known;

	snprintf(c->host, sizeof(c->host), "%s", host ? host : "");
	if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2)
		return valid ? 0 : GIT_PASSTHROUGH;
	hk = (git_cert_hostkey *)cert;
	if (!(hk->type & GIT_CERT_SSH_RAW))
		return GIT_ECERTIFICATE;
	known = known_host(c, (const unsigned char *)hk->hostkey,
		hk->hostkey_len);
	if (known > 0)
		return 0;
	if (known < 0)
		c->host_changed = 1;
	else
		c->host_unknown = 1;
	return GIT_ECERTIFICATE;
}

/* ---- credentials ------------------------------------------------------ */

static int ssh_key(git_credential **out, const char *user, int nth)
{
	static const char *const names[] = { "id_ed25519", "id_ecdsa",
		"id_rsa", NULL };
	const char *home = getenv("HOME");
	struct sb key = SB_INIT, pub = SB_INIT;
	int i, seen = 0, ret = 1;

	for (i = 0; names[i] && ret > 0; i++) {
		sb_reset(&key);
		sb_addf(&key, "%s/.ssh/%s", home ? home : "", names[i]);
		if (access(key.buf, R_OK))
			continue;
		if (seen++ != nth)
			continue;
		sb_reset(&pub);
		sb_addf(&pub, "%s.pub", key.buf);
		ret = git_credential_ssh_key_new(out, user,
			access(pub.buf, R_OK) ? NULL : pub.buf, key.buf, NULL);
	}
	sb_release(&key);
	sb_release(&pub);
	return ret;
}

/*
 * libgit2 asks again after each refusal: offer the agent, then each key
 * of ~/.ssh once, then give up (a loop of refusals would never end).
 */
static int credentials(git_credential **out, const char *url,
	const char *user_from_url, unsigned int allowed, void *payload)
{
	struct conn *c = payload;
	const char *user = user_from_url && *user_from_url ? user_from_url :
		getenv("DOCKET_SYNC_USER");
	const char *pass = getenv("DOCKET_SYNC_PASSWORD");
	int nth = c->tries++;

	(void)url;
	c->auth_tried = 1;
	if (!user || !*user)
		user = getenv("USER") ? getenv("USER") : "git";
	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user);
	if (allowed & GIT_CREDENTIAL_SSH_KEY) {
		if (getenv("SSH_AUTH_SOCK")) {
			if (nth == 0)
				return git_credential_ssh_key_from_agent(out,
					user);
			nth--;
		}
		if (ssh_key(out, user, nth) == 0)
			return 0;
		c->gave_up = 1;
		return GIT_EAUTH;
	}
	if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && nth == 0 &&
	    pass)
		return git_credential_userpass_plaintext_new(out, user, pass);
	c->gave_up = 1;
	return GIT_EAUTH;
}

/* ---- progress --------------------------------------------------------- */

static int fetch_progress(const git_indexer_progress *p, void *payload)
{
	struct conn *c = payload;

	if (c->progress && p->total_objects)
		fprintf(stderr, "\r%s", "");
	if (c->progress && p->total_objects)
		fprintf(stderr, _("receiving objects: %u/%u"),
			p->received_objects, p->total_objects);
	if (c->progress && p->received_objects == p->total_objects &&
	    p->total_objects)
		fputc('\n', stderr);
	return 0;
}

static int push_progress(unsigned int current, unsigned int total,
	size_t bytes, void *payload)
{
	struct conn *c = payload;

	(void)bytes;
	if (c->progress && total)
		fprintf(stderr, "\r%s", "");
	if (c->progress && total)
		fprintf(stderr, _("sending objects: %u/%u"), current, total);
	if (c->progress && total && current == total)
		fputc('\n', stderr);
	return 0;
}

static int push_status(const char *ref, const char *status, void *payload)
{
	struct conn *c = payload;

	if (status && !c->rejected.len)
		sb_addf(&c->rejected, "%s: %s", ref, status);
	return 0;
}

/*
 * What the server says (its hooks' refusals, as git prints them):
 * "remote: " before each line, and no control character a hostile
 * server could use to rewrite the clerk's terminal.
 */
static int server_text(const char *str, int len, void *payload)
{
	struct conn *c = payload;
	int i;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)str[i];

		if (ch == '\r' || ch == '\n') {
			if (c->mid_line)
				fputc('\n', stderr);
			c->mid_line = 0;
			continue;
		}
		if (!c->mid_line)
			fputs(_("remote: "), stderr);
		c->mid_line = 1;
		fputc(ch < 0x20 || ch == 0x7f ? '?' : ch, stderr);
	}
	return 0;
}

static void set_callbacks(git_remote_callbacks *cb, struct conn *c)
{
	/* a fetch's text is progress, for a terminal only */
	cb->sideband_progress = c->progress ? server_text : NULL;
	cb->credentials = credentials;
	cb->certificate_check = check_cert;
	cb->transfer_progress = fetch_progress;
	cb->push_transfer_progress = push_progress;
	cb->push_update_reference = push_status;
	cb->payload = c;
}

/* One message per way a connection fails. */
static int remote_fail(struct conn *c, int err, const char *what,
	struct diag *d)
{
	const git_error *e = git_error_last();
	const char *msg = e && e->message ? e->message : "";

	if (c->host_changed)
		return diag_add(d, ERR_GIT, _("%s: the host key of %s has "
			"CHANGED since it was recorded in ~/.ssh/known_hosts; "
			"someone may be in between: ask the server's admin, "
			"nothing was changed"), what, c->host);
	if (c->host_unknown)
		return diag_add(d, ERR_GIT, _("%s: the host %s is not in "
			"~/.ssh/known_hosts; check its key with the server's "
			"admin, then add it: ssh-keyscan -p %d %s >> "
			"~/.ssh/known_hosts"), what, c->host, c->port,
			c->host);
	/* libgit2 sets no message when the credentials run out: what
	 * git_error_last() holds then is an older, unrelated one */
	if (c->gave_up || err == GIT_EAUTH || (c->auth_tried &&
	    (strstr(msg, "auth") || strstr(msg, "Auth") ||
	    strstr(msg, "401"))))
		return diag_add(d, ERR_GIT, _("%s: the server refused the "
			"login (tried ssh-agent and the keys in ~/.ssh, or "
			"DOCKET_SYNC_USER/DOCKET_SYNC_PASSWORD for https)%s%s"),
			what, c->gave_up || !*msg ? "" : ": ",
			c->gave_up ? "" : msg);
	if (e && (e->klass == GIT_ERROR_NET || e->klass == GIT_ERROR_OS ||
	    e->klass == GIT_ERROR_SSH || e->klass == GIT_ERROR_HTTP))
		return diag_add(d, ERR_GIT, _("%s: cannot reach %s: %s"),
			what, c->url, msg);
	return diag_add(d, ERR_GIT, _("%s: %s"), what, msg);
}

/* ---- the operations --------------------------------------------------- */

/*
 * A remote given as a relative path ("../hub.git", as git remote add
 * takes it) is relative to the store, as git reads it; libgit2 would
 * take it from the current folder.
 */
static void abs_url(struct sb *out, struct store *s, const char *url)
{
	if (url[0] == '/' || strstr(url, "://") || (strchr(url, ':') &&
	    (!strchr(url, '/') || strchr(url, ':') < strchr(url, '/'))))
		sb_adds(out, url);
	else
		sb_addf(out, "%s/%s", s->root, url);
}

/* url.BASE.insteadOf (or pushInsteadOf) PREFIX: the longest prefix wins. */
struct rewrite {
	const char *url;
	const char *suffix;	/* ".insteadof" or ".pushinsteadof" */
	size_t best;		/* length of the prefix taken */
	struct sb out;
};

static void try_rewrite(struct rewrite *w, const git_config_entry *e)
{
	const char *name = e->name, *end;
	size_t plen = strlen(e->value), slen = strlen(w->suffix);
	size_t n = strlen(name);

	if (strncmp(name, "url.", 4) || n < 4 + slen ||
	    strcmp(name + n - slen, w->suffix) || !plen || plen <= w->best ||
	    strncmp(w->url, e->value, plen))
		return;
	end = name + n - slen;
	w->best = plen;
	sb_reset(&w->out);
	sb_add(&w->out, name + 4, (size_t)(end - (name + 4)));
	sb_adds(&w->out, w->url + plen);
}

/*
 * git's url.BASE.insteadOf rules, read entry by entry: libgit2 1.5's
 * own reading matches them with a regex whose match data it leaks on
 * every entry that does not match.
 */
static void rewrite_url(struct sb *out, git_config *cfg, const char *url,
	int push)
{
	struct rewrite w = { url, push ? ".pushinsteadof" : ".insteadof", 0,
		SB_INIT };
	git_config_iterator *it = NULL;
	git_config_entry *e;

	if (git_config_iterator_new(&it, cfg) == 0)
		while (git_config_next(&e, it) == 0)
			try_rewrite(&w, e);
	git_config_iterator_free(it);
	if (!w.best && push) {
		rewrite_url(out, cfg, url, 0);
	} else {
		sb_adds(out, w.best ? w.out.buf : url);
	}
	sb_release(&w.out);
}

/*
 * The remote NAME as an anonymous one at its URL (its push URL for a
 * push): libgit2 then writes no ref but the ones docket names.  A named
 * remote would also move refs/remotes/NAME/ under git's locks, and a
 * sync killed there would leave a lock docket cannot prove its own.
 */
static int open_remote(git_remote **out, struct store *s, const char *name,
	int push, struct diag *d)
{
	git_remote_create_options o;
	git_config *cfg = NULL;
	struct sb key = SB_INIT, url = SB_INIT, full = SB_INIT;
	const char *u = NULL;
	int ret = 0;

	*out = NULL;
	if (git_repository_config_snapshot(&cfg, s->repo) < 0)
		return git_fail(d, _("cannot read the store's remotes"));
	if (push) {
		sb_addf(&key, "remote.%s.pushurl", name);
		if (git_config_get_string(&u, cfg, key.buf) < 0)
			u = NULL;
	}
	sb_reset(&key);
	sb_addf(&key, "remote.%s.url", name);
	if (!u && git_config_get_string(&u, cfg, key.buf) < 0)
		u = NULL;
	if (!u || !*u) {
		ret = diag_add(d, ERR_NOTFOUND, _("no remote '%s' in this "
			"store; add it with: git remote add %s URL"), name,
			name);
		goto out;
	}
	rewrite_url(&url, cfg, u, push);
	abs_url(&full, s, url.buf);
	git_remote_create_options_init(&o, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	o.repository = s->repo;
	o.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF |
		GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(out, full.buf, &o) < 0)
		ret = git_fail(d, _("cannot read the store's remotes"));
out:
	sb_release(&key);
	sb_release(&url);
	sb_release(&full);
	git_config_free(cfg);
	return ret;
}

/* refs/docket/sync/REMOTE/BRANCH: where docket keeps what it fetched */
static void sync_ref(struct sb *out, const char *name, const char *branch)
{
	sb_addf(out, REMOTE_SYNC_REFS "/%s/%s", name, branch);
}

/*
 * A lock left on docket's own ref by a sync killed mid-fetch.  Only a
 * docket sync writes under refs/docket/sync/, and the caller holds
 * .git/docket-sync.lock, so a lock there now is a dead sync's.
 */
static void drop_dead_lock(struct store *s, const char *ref)
{
	struct sb path = SB_INIT;

	sb_addf(&path, "%s/%s.lock", git_repository_path(s->repo), ref);
	unlink(path.buf);
	sb_release(&path);
}

int remote_fetch(struct store *s, const char *name, const char *branch,
	int progress, struct diag *d)
{
	git_fetch_options opts;
	git_remote *remote = NULL;
	struct sb spec = SB_INIT, ref = SB_INIT;
	char *specs[1];
	git_strarray arr = { specs, 1 };
	struct conn c;
	int err, ret;

	git_fetch_options_init(&opts, GIT_FETCH_OPTIONS_VERSION);
	ret = open_remote(&remote, s, name, 0, d);
	if (ret)
		return ret;
	sync_ref(&ref, name, branch);
	drop_dead_lock(s, ref.buf);
	conn_init(&c, git_remote_url(remote), progress);
	set_callbacks(&opts.callbacks, &c);
	opts.prune = GIT_FETCH_NO_PRUNE;
	opts.update_fetchhead = 0;
	opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	sb_addf(&spec, "+refs/heads/%s:%s", branch, ref.buf);
	specs[0] = spec.buf;
	err = git_remote_fetch(remote, &arr, &opts, "docket sync: fetch");
	if (err < 0)
		ret = remote_fail(&c, err, _("fetch"), d);
	sb_release(&c.rejected);
	sb_release(&spec);
	sb_release(&ref);
	git_remote_free(remote);
	return ret;
}

/*
 * refs/remotes/NAME/BRANCH to what docket fetched or pushed, so that
 * `git status` counts ahead and behind as after a git fetch.  Git's own
 * ref, under git's lock: a git fetch holding it wins, and docket does
 * not need it.
 */
void remote_track(struct store *s, const char *name, const char *branch)
{
	struct sb from = SB_INIT, to = SB_INIT;
	git_reference *out = NULL;
	git_oid oid;

	sync_ref(&from, name, branch);
	sb_addf(&to, "refs/remotes/%s/%s", name, branch);
	if (git_reference_name_to_id(&oid, s->repo, from.buf) == 0)
		git_reference_create(&out, s->repo, to.buf, &oid, 1,
			"docket sync");
	git_reference_free(out);
	sb_release(&from);
	sb_release(&to);
}

/* After a push the remote's branch is the local one. */
static void pushed(struct store *s, const char *name, const char *branch)
{
	struct sb ref = SB_INIT, head = SB_INIT;
	git_reference *out = NULL;
	git_oid oid;

	sync_ref(&ref, name, branch);
	sb_addf(&head, "refs/heads/%s", branch);
	if (git_reference_name_to_id(&oid, s->repo, head.buf) == 0)
		git_reference_create(&out, s->repo, ref.buf, &oid, 1,
			"docket sync: push");
	git_reference_free(out);
	remote_track(s, name, branch);
	sb_release(&ref);
	sb_release(&head);
}

/*
 * A push to a repository on a local path (a shared folder) is done by
 * libgit2 in this process: killed mid-push, it leaves the branch's lock
 * in that repository and every office's push fails from then on.  So a
 * docket push there holds <gitdir>/docket-push.lock (flock) and writes
 * into it the ref it is about to lock; a clean push empties it.  The next
 * docket push finding a record there knows its writer died mid-push
 * (the flock is free), and removes the ref's lock if it was made after
 * the record and is more than a few seconds old: then it is provably
 * the dead push's (a git push holds its lock for milliseconds).
 */
#define PUSH_LOCK "docket-push.lock"
#define PUSH_LOCK_STALE 5	/* seconds */

/* The git directory of a remote URL that is a local path, or empty. */
static void local_gitdir(struct sb *out, const char *url)
{
	struct sb p = SB_INIT;
	struct stat st;

	if (!strncmp(url, "file://", 7))
		url += 7;
	if (*url != '/')
		goto out;
	sb_addf(&p, "%s/HEAD", url);
	if (stat(p.buf, &st) == 0) {
		sb_adds(out, url);
		goto out;
	}
	sb_reset(&p);
	sb_addf(&p, "%s/.git/HEAD", url);
	if (stat(p.buf, &st) == 0)
		sb_addf(out, "%s/.git", url);
out:
	sb_release(&p);
}

/*
 * The ref lock a dead push left, made at or after its record (recorded
 * at `since`): removed once it is PUSH_LOCK_STALE seconds old and still
 * the same file.  A younger one is waited for (within the timeout)
 * rather than left, since this push then replaces the record that
 * proves it dead; -1 if the timeout came first (the record is kept).
 */
static int clear_dead_lock(const char *path, time_t since, time_t start,
	int timeout)
{
	struct stat lst;

	if (lstat(path, &lst) < 0 || !S_ISREG(lst.st_mode) ||
	    lst.st_mtime < since)
		return 0;
	/* -1: the record stays for the next push */
	return gitlock_remove_stale(path, &lst, PUSH_LOCK_STALE,
		start + timeout);
}

/* Take the push lock of a local remote (waiting up to timeout seconds),
 * clear a dead push's ref lock, record ours.  -1 when not taken. */
static int push_lock(const char *gitdir, const char *dst, int timeout)
{
	struct sb path = SB_INIT, rec = SB_INIT, ref = SB_INIT;
	struct stat st;
	char buf[512];
	time_t start = time(NULL);
	ssize_t n;
	int fd;

	sb_addf(&path, "%s/" PUSH_LOCK, gitdir);
	fd = open(path.buf, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0660);
	while (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK || time(NULL) - start > timeout) {
			close(fd);
			fd = -1;
			break;
		}
		usleep(100000);
	}
	if (fd < 0)
		goto out;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n > 0 && fstat(fd, &st) == 0) {
		/* "ref REFNAME\n" of a push that never finished */
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		if (!strncmp(buf, "ref refs/", 9)) {
			sb_addf(&ref, "%s/%s.lock", gitdir, buf + 4);
			if (clear_dead_lock(ref.buf, st.st_mtime, start,
			    timeout)) {
				close(fd);
				fd = -1;
				goto out;
			}
		}
	}
	sb_addf(&rec, "ref %s\n", dst);
	if (ftruncate(fd, 0) < 0 ||
	    pwrite(fd, rec.buf, rec.len, 0) != (ssize_t)rec.len) {
		close(fd);
		fd = -1;
	}
out:
	sb_release(&ref);
	sb_release(&rec);
	sb_release(&path);
	return fd;
}

/* The push finished (either way): no record, and the lock goes. */
static void push_unlock(int fd)
{
	if (fd < 0)
		return;
	(void)ftruncate(fd, 0);
	close(fd);
}

/* Push refspec spec to the remote; *rejected when it moved on.  On
 * success, branch (if any) is noted as what the remote now has. */
static int push_spec(struct store *s, const char *name, const char *spec,
	const char *branch, int *rejected, int progress, struct diag *d)
{
	git_push_options opts;
	git_remote *remote = NULL;
	char *specs[1];
	git_strarray arr = { specs, 1 };
	struct sb gitdir = SB_INIT;
	const char *dst;
	struct conn c;
	int err, ret, pfd = -1;

	*rejected = 0;
	git_push_options_init(&opts, GIT_PUSH_OPTIONS_VERSION);
	ret = open_remote(&remote, s, name, 1, d);
	if (ret)
		return ret;
	conn_init(&c, git_remote_url(remote), progress);
	set_callbacks(&opts.callbacks, &c);
	/* a push's text is the server's hooks: why it refused, always */
	opts.callbacks.sideband_progress = server_text;
	specs[0] = (char *)spec;
	local_gitdir(&gitdir, git_remote_url(remote));
	if (gitdir.len) {
		dst = strchr(spec, ':');
		pfd = push_lock(gitdir.buf, dst ? dst + 1 : spec, s->timeout);
		if (pfd < 0) {
			ret = diag_add(d, ERR_LOCKED, _("push: another docket "
				"is pushing to %s; try again"), gitdir.buf);
			goto out;
		}
	}
	err = git_remote_push(remote, &arr, &opts);
	push_unlock(pfd);
	if (err < 0) {
		const git_error *e = git_error_last();

		/* a local or smart remote that moved on says so here */
		if (e && e->message && (strstr(e->message, "non-fast") ||
		    strstr(e->message, "not present locally")))
			*rejected = 1;
		else
			ret = remote_fail(&c, err, _("push"), d);
	} else if (c.rejected.len) {
		if (strstr(c.rejected.buf, "fast-forward") ||
		    strstr(c.rejected.buf, "fetch first") ||
		    strstr(c.rejected.buf, "stale"))
			*rejected = 1;
		else
			ret = diag_add(d, ERR_GIT, _("push: the remote "
				"refused it: %s"), c.rejected.buf);
	} else if (branch) {
		pushed(s, name, branch);
	}
out:
	sb_release(&gitdir);
	sb_release(&c.rejected);
	git_remote_free(remote);
	return ret;
}

int remote_push(struct store *s, const char *name, const char *branch,
	int *rejected, int progress, struct diag *d)
{
	struct sb spec = SB_INIT;
	int ret;

	sb_addf(&spec, "refs/heads/%s:refs/heads/%s", branch, branch);
	ret = push_spec(s, name, spec.buf, branch, rejected, progress, d);
	sb_release(&spec);
	return ret;
}

int remote_push_ref(struct store *s, const char *name, const char *ref,
	const char *branch, int *rejected, int progress, struct diag *d)
{
	struct sb spec = SB_INIT;
	int ret;

	sb_addf(&spec, "%s:refs/heads/%s", ref, branch);
	ret = push_spec(s, name, spec.buf, NULL, rejected, progress, d);
	sb_release(&spec);
	return ret;
}

/*
 * origin, as git clone sets it up (the URL as given), reached through
 * the user's url.BASE.insteadOf rules, read by rewrite_url().
 */
static int clone_remote(git_remote **out, git_repository *repo,
	const char *name, const char *url, void *payload)
{
	git_remote_create_options o;
	git_config *cfg = NULL;
	struct sb to = SB_INIT;
	int err;

	(void)payload;
	git_remote_create_options_init(&o, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	o.repository = repo;
	o.name = name;
	o.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
	err = git_remote_create_with_opts(out, url, &o);
	if (err == 0 && git_config_open_default(&cfg) == 0) {
		rewrite_url(&to, cfg, url, 0);
		if (strcmp(to.buf, url))
			err = git_remote_set_instance_url(*out, to.buf);
	}
	git_config_free(cfg);
	sb_release(&to);
	return err;
}

int remote_clone(const char *url, const char *dir, int progress,
	clone_accept_fn accept, void *arg, struct diag *d)
{
	git_clone_options opts;
	git_repository *repo = NULL;
	struct conn c;
	int err, ret = 0;

	if (access(dir, F_OK) == 0 || errno != ENOENT)
		return diag_add(d, ERR_CONFLICT, _("'%s' exists already; "
			"clone into a new folder"), dir);
	git_libgit2_init();
	git_clone_options_init(&opts, GIT_CLONE_OPTIONS_VERSION);
	conn_init(&c, url, progress);
	set_callbacks(&opts.fetch_opts.callbacks, &c);
	opts.remote_cb = clone_remote;
	/* what the clone holds is personal data: private from the start */
	umask(077);
	err = git_clone(&repo, url, dir, &opts);
	if (err < 0)
		ret = remote_fail(&c, err, _("fetch"), d);
	git_repository_free(repo);
	if (!ret && accept(dir, arg, d))
		ret = ERR_INVALID;
	/* the folder did not exist: everything in it is this clone's */
	if (ret && access(dir, F_OK) == 0)
		remove_tree(dir);
	sb_release(&c.rejected);
	git_libgit2_shutdown();
	return ret;
}

char *store_branch(struct store *s)
{
	char *full = head_branch(s), *b = NULL;

	if (full)
		b = xstrdup(full + strlen("refs/heads/"));
	free(full);
	return b;
}
