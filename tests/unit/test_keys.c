/*
 * test_keys.c - keyed hashes of phones and names (keys.c): HMAC-SHA256
 * as any other implementation computes it, the secret made private on
 * first need, refused when damaged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "keys.h"

struct fx {
	char dir[64];
	char secret[128];
	struct keys *k;
	struct diag d;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_keys.XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	snprintf(fx->secret, sizeof(fx->secret), "%s/%s", fx->dir,
		KEYS_SECRET_FILE);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	keys_close(fx->k);
	diag_release(&fx->d);
	unlink(fx->secret);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* A secret of the bytes 0, 1, ..., 31. */
static void put_secret(struct fx *fx, size_t len)
{
	unsigned char b[64];
	FILE *f;
	size_t i;

	for (i = 0; i < sizeof(b); i++)
		b[i] = (unsigned char)i;
	f = fopen(fx->secret, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, len, f), len);
	fclose(f);
	chmod(fx->secret, 0600);
}

/* The values are Python's: struct.unpack("<Q", hmac.new(bytes(range(32)),
 * KIND + TEXT, sha256).digest()[:8]) (little-endian machines). */
static void test_keys__hmac_sha256_of_kind_and_text(void **state)
{
	struct fx *fx = *state;

	put_secret(fx, KEYS_SECRET_LEN);
	assert_int_equal(keys_open(&fx->k, fx->dir, 0, &fx->d), 0);
	assert_true(keys_hash_phone(fx->k, "13800000001") ==
		0x479e924c5eb73276ULL);
	assert_true(keys_hash_who(fx->k, "王某某", "某某物业") ==
		0x4f487642d1fe9985ULL);
	assert_true(keys_hash_name(fx->k, "王某某") == 0x12bcd651ff858789ULL);
	assert_true(keys_id(fx->k) == 0xec2a8c8a4a57c2cdULL);
}

static void test_keys__a_phone_is_its_digits(void **state)
{
	struct fx *fx = *state;
	uint64_t h;

	put_secret(fx, KEYS_SECRET_LEN);
	assert_int_equal(keys_open(&fx->k, fx->dir, 0, &fx->d), 0);
	h = keys_hash_phone(fx->k, "13800000001");
	assert_true(keys_hash_phone(fx->k, "138-0000 0001") == h);
	assert_true(keys_hash_phone(fx->k, "(138) 0000-0001") == h);
	assert_true(keys_hash_phone(fx->k, "13800000002") != h);
	/* a name and a phone of the same text differ: kinds are hashed */
	assert_true(keys_hash_name(fx->k, "13800000001") != h);
	assert_true(keys_hash_phone(fx->k, NULL) == 0);
	assert_true(keys_hash_phone(fx->k, "+-()") == 0);
	assert_true(keys_hash_who(fx->k, "王某某", NULL) == 0);
	assert_true(keys_hash_name(fx->k, "") == 0);
}

static void test_keys__secret_made_private_whatever_the_umask(void **state)
{
	struct fx *fx = *state;
	struct keys *again = NULL;
	struct stat st;
	mode_t old = umask(0);
	uint64_t h;

	assert_int_equal(keys_open(&fx->k, fx->dir, 0, &fx->d), 0);
	umask(old);
	assert_int_equal(stat(fx->secret, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, KEYS_SECRET_LEN);
	/* opened again: the same secret, the same keys */
	h = keys_hash_phone(fx->k, "13800000001");
	assert_int_equal(keys_open(&again, fx->dir, 0, &fx->d), 0);
	assert_true(keys_hash_phone(again, "13800000001") == h);
	keys_close(again);
}

static void test_keys__shared_secret_is_the_groups_to_read(void **state)
{
	struct fx *fx = *state;
	struct stat st;
	mode_t old = umask(0);

	assert_int_equal(keys_open(&fx->k, fx->dir, 1, &fx->d), 0);
	umask(old);
	assert_int_equal(stat(fx->secret, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
}

static void test_keys__a_widened_secret_is_made_private_again(void **state)
{
	struct fx *fx = *state;
	struct stat st;

	put_secret(fx, KEYS_SECRET_LEN);
	chmod(fx->secret, 0644);
	assert_int_equal(keys_open(&fx->k, fx->dir, 0, &fx->d), 0);
	assert_int_equal(stat(fx->secret, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

static void test_keys__a_damaged_secret_is_refused(void **state)
{
	struct fx *fx = *state;

	put_secret(fx, 31);
	assert_int_equal(keys_open(&fx->k, fx->dir, 0, &fx->d), ERR_INVALID);
	assert_null(fx->k);
	assert_non_null(strstr(fx->d.msg[0], "is not 32 bytes long"));
	unlink(fx->secret);
	assert_int_equal(symlink("/etc/hostname", fx->secret), 0);
	assert_int_not_equal(keys_open(&fx->k, fx->dir, 0, &fx->d), 0);
	assert_null(fx->k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_keys__hmac_sha256_of_kind_and_text, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_keys__a_phone_is_its_digits, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_keys__secret_made_private_whatever_the_umask, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_keys__shared_secret_is_the_groups_to_read, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_keys__a_widened_secret_is_made_private_again, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_keys__a_damaged_secret_is_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
