/*
 * keys.c - keyed hashes of phone numbers and names under a per-store
 * secret (see keys.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "intl.h"
#include "keys.h"

struct keys {
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx;	/* keyed with the secret; re-initialised
				 * without the key for each hash */
	uint64_t id;
};

/* Kinds of key, hashed first so that no two kinds can collide. */
enum { K_PHONE = 'P', K_WHO = 'W', K_NAME = 'N', K_RESP = 'R', K_ID = 'I' };

/* The mode of the secret: the owner's, and the group's to read in a
 * shared store; never anyone else's. */
static unsigned secret_mode(int shared)
{
	return shared ? 0640 : 0600;
}

/* Read the secret at path into out: 0, ERR_NOTFOUND when there is none,
 * ERR_INVALID or ERR_IO otherwise. */
static int read_secret(unsigned char out[KEYS_SECRET_LEN], const char *path,
	int shared, struct diag *d)
{
	struct sb buf = SB_INIT;
	struct diag quiet = DIAG_INIT;
	struct stat st;
	int ret;

	if (lstat(path, &st) < 0 && errno == ENOENT)
		return ERR_NOTFOUND;
	ret = read_regular(&buf, path, KEYS_SECRET_LEN, &quiet);
	if (ret) {
		ret = diag_add(d, ret, _("the store's secret '%s' cannot be "
			"read: %s"), path, quiet.n ? quiet.msg[0] : "");
	} else if (buf.len != KEYS_SECRET_LEN) {
		ret = diag_add(d, ERR_INVALID, _("the store's secret '%s' is "
			"not %d bytes long; remove it and docket makes a new "
			"one"), path, KEYS_SECRET_LEN);
	} else {
		memcpy(out, buf.buf, KEYS_SECRET_LEN);
		/* someone widened it: take it back (best effort) */
		if ((st.st_mode & 07777) & ~secret_mode(shared))
			(void)chmod(path, secret_mode(shared));
	}
	diag_release(&quiet);
	sb_release(&buf);
	return ret;
}

/* Create a new secret at path, or read the one another docket created
 * first: link() never replaces, so two first runs agree on one. */
static int make_secret(unsigned char out[KEYS_SECRET_LEN], const char *path,
	int shared, struct diag *d)
{
	struct diag quiet = DIAG_INIT;
	int ret;

	if (RAND_bytes(out, KEYS_SECRET_LEN) != 1)
		return diag_add(d, ERR_IO, _("no random bytes for the store's "
			"secret '%s'"), path);
	ret = write_file_atomic(path, out, KEYS_SECRET_LEN,
		secret_mode(shared), AW_CREATE | AW_SYNC, &quiet);
	if (ret == ERR_CONFLICT)
		ret = read_secret(out, path, shared, d);
	else if (ret)
		ret = diag_add(d, ret, "%s", quiet.msg[0]);
	diag_release(&quiet);
	return ret;
}

/* HMAC-SHA256(secret, kind | a [| NUL b]) cut to 64 bits, never 0. */
static uint64_t mac64(const struct keys *k, int kind, const char *a,
	size_t alen, const char *b)
{
	unsigned char md[EVP_MAX_MD_SIZE], t = (unsigned char)kind;
	size_t n = 0;
	uint64_t h = 0;

	if (EVP_MAC_init(k->ctx, NULL, 0, NULL) != 1 ||
	    EVP_MAC_update(k->ctx, &t, 1) != 1 ||
	    EVP_MAC_update(k->ctx, (const unsigned char *)a, alen) != 1 ||
	    (b && (EVP_MAC_update(k->ctx, (const unsigned char *)"", 1) != 1 ||
	    EVP_MAC_update(k->ctx, (const unsigned char *)b, strlen(b)) !=
	    1)) || EVP_MAC_final(k->ctx, md, &n, sizeof(md)) != 1 || n < 8)
		abort();	/* libcrypto out of memory: nothing sane left */
	memcpy(&h, md, 8);
	return h ? h : 1;
}

int keys_open(struct keys **out, const char *gitdir, int shared,
	struct diag *d)
{
	unsigned char secret[KEYS_SECRET_LEN];
	struct keys *k = NULL;
	struct sb path = SB_INIT;
	OSSL_PARAM params[2];
	int ret;

	*out = NULL;
	sb_addf(&path, "%s/%s", gitdir, KEYS_SECRET_FILE);
	ret = read_secret(secret, path.buf, shared, d);
	if (ret == ERR_NOTFOUND)
		ret = make_secret(secret, path.buf, shared, d);
	if (ret)
		goto out;
	k = xcalloc(1, sizeof(*k));
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
		(char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	k->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	k->ctx = k->mac ? EVP_MAC_CTX_new(k->mac) : NULL;
	if (!k->ctx || EVP_MAC_init(k->ctx, secret, sizeof(secret),
	    params) != 1) {
		ret = diag_add(d, ERR_IO, _("libcrypto has no HMAC-SHA256 for "
			"the keys of '%s'"), path.buf);
		goto out;
	}
	k->id = mac64(k, K_ID, "docket-keys", 11, NULL);
	*out = k;
	k = NULL;
out:
	OPENSSL_cleanse(secret, sizeof(secret));
	keys_close(k);
	sb_release(&path);
	return ret;
}

void keys_close(struct keys *k)
{
	if (!k)
		return;
	EVP_MAC_CTX_free(k->ctx);
	EVP_MAC_free(k->mac);
	free(k);
}

uint64_t keys_hash_phone(const struct keys *k, const char *phone)
{
	char digits[64];
	size_t n = 0;

	if (!phone)
		return 0;
	/* a phone is at most 64 bytes (file.c); more digits than that are
	 * still hashed, in pieces of no consequence: only the first 63 */
	for (; *phone && n < sizeof(digits) - 1; phone++)
		if (*phone >= '0' && *phone <= '9')
			digits[n++] = *phone;
	return n ? mac64(k, K_PHONE, digits, n, NULL) : 0;
}

uint64_t keys_hash_who(const struct keys *k, const char *name,
	const char *respondent)
{
	if (!name || !respondent)
		return 0;
	return mac64(k, K_WHO, name, strlen(name), respondent);
}

uint64_t keys_hash_name(const struct keys *k, const char *name)
{
	if (!name || !*name)
		return 0;
	return mac64(k, K_NAME, name, strlen(name), NULL);
}

uint64_t keys_hash_respondent(const struct keys *k, const char *respondent)
{
	if (!respondent || !*respondent)
		return 0;
	return mac64(k, K_RESP, respondent, strlen(respondent), NULL);
}

uint64_t keys_id(const struct keys *k)
{
	return k->id;
}
