/* The CID profile a check matched, and the v1 profile a client learns (issue 17 §1):
 * after a v1 upload whose check matched exactly one of kubo v1 and unixfs-v1-2025,
 * later v1 checks hash only that one, and hash the other too when it stops matching.
 * A service answering in unixfs-v1-2025 is simulated with the emulator's `status`
 * fault (a 200 carrying that CID). Runs under valgrind and ASan (tests/c/run.sh). */
#include <stdint.h>
#include "check.h"

#define SIZE (2 * 1024 * 1024)

/* unixfs-v1-2025 CID of content(3) (tests/cid_learning.rs computes the same). */
static const char *MODERN_3 = "bafybeidnnfqinuub2ct73zvntb7fgdcta4j2yickyvnrmulr67kehxmibu";
static const char *KUBO_V1_3 = "bafybeiad2ll22yhdx26plpaeppffzxsmdfcstgceovt6ywgyj66bpr53ae";

/* 2 MiB of pseudo-random bytes, the same generator as tests/cid_learning.rs. */
static void write_content(const char *path, uint32_t seed) {
    uint32_t x = seed * 2654435761u + 1u;
    unsigned char *buf = malloc(SIZE);
    FILE *f = fopen(path, "wb");
    size_t i;
    CHECK(buf != NULL && f != NULL);
    if (buf != NULL && f != NULL) {
        for (i = 0; i < SIZE; i++) {
            x = x * 1103515245u + 12345u;
            buf[i] = (unsigned char)(x >> 16);
        }
        CHECK(fwrite(buf, 1, SIZE, f) == SIZE);
    }
    if (f != NULL) {
        fclose(f);
    }
    free(buf);
}

static void answer_next_with(const char *cid) {
    char json[512];
    snprintf(json, sizeof json,
             "{\"path\":\"/pinning/pinFileToIPFS\",\"kind\":\"status\",\"status\":200,\"times\":1,"
             "\"body\":{\"IpfsHash\":\"%s\",\"PinSize\":2097152,\"Timestamp\":\"2026-12-06T00:00:00Z\"}}",
             cid);
    CHECK(test_hook("POST", "/__emulator/faults", json) == 0);
}

/* Uploads `path` and checks the outcome: check, matched profile, profiles hashed. */
static void upload(pinata_client *client, const pinata_pin_options *o, const char *path,
                   int32_t check, int32_t profile, uint32_t hashed, const char *cid) {
    pinata_pin_result *r = NULL;
    CHECK_ERR(PINATA_OK, pinata_pin_file(client, path, o, &r, &err));
    if (r == NULL) {
        return;
    }
    CHECK(pinata_pin_result_cid_check(r) == check);
    CHECK(pinata_pin_result_cid_profile(r) == profile);
    CHECK(pinata_pin_result_profiles_hashed(r) == hashed);
    if (cid != NULL) {
        CHECK(strcmp(pinata_pin_result_cid(r), cid) == 0);
        CHECK(pinata_pin_result_local_cid(r) != NULL &&
              strcmp(pinata_pin_result_local_cid(r), cid) == 0);
    }
    pinata_pin_result_free(r);
}

int main(void) {
    pinata_client *client = test_client();
    pinata_client *other = test_client();
    pinata_pin_options *v1 = NULL;
    pinata_pin_options *v0 = NULL;
    pinata_pin_options *off = NULL;

    write_content("learn_a.bin", 1);
    write_content("learn_b.bin", 2);
    write_content("learn_d.bin", 3);
    CHECK_ERR(PINATA_OK, pinata_pin_options_new(&v1, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_cid_version(v1, 1, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_new(&v0, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_new(&off, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_cid_version(off, 1, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_options_set_verify_cid(off, false, &err));

    /* NULL handles. */
    CHECK(pinata_pin_result_cid_profile(NULL) == PINATA_CID_PROFILE_NONE);
    CHECK(pinata_pin_result_profiles_hashed(NULL) == 0);
    CHECK(pinata_client_learned_cid_profile(NULL) == PINATA_CID_PROFILE_NONE);

    /* First v1 check: both profiles hashed, kubo v1 matches and is learned. */
    CHECK(pinata_client_learned_cid_profile(client) == PINATA_CID_PROFILE_NONE);
    upload(client, v1, "learn_a.bin", PINATA_CID_VERIFIED, PINATA_CID_PROFILE_KUBO_V1, 2, NULL);
    CHECK(pinata_client_learned_cid_profile(client) == PINATA_CID_PROFILE_KUBO_V1);
    /* Another client (its own connections) has learned nothing. */
    CHECK(pinata_client_learned_cid_profile(other) == PINATA_CID_PROFILE_NONE);

    /* Then only the learned profile is hashed. */
    upload(client, v1, "learn_b.bin", PINATA_CID_VERIFIED, PINATA_CID_PROFILE_KUBO_V1, 1, NULL);

    /* The service answers in unixfs-v1-2025: the fallback hashes it, still verified. */
    answer_next_with(MODERN_3);
    upload(client, v1, "learn_d.bin", PINATA_CID_VERIFIED, PINATA_CID_PROFILE_UNIXFS_V1_2025, 2,
           MODERN_3);
    CHECK(pinata_client_learned_cid_profile(client) == PINATA_CID_PROFILE_UNIXFS_V1_2025);
    upload(client, v1, "learn_b.bin", PINATA_CID_VERIFIED, PINATA_CID_PROFILE_KUBO_V1, 2, NULL);
    CHECK(pinata_client_learned_cid_profile(client) == PINATA_CID_PROFILE_KUBO_V1);
    upload(client, v1, "learn_d.bin", PINATA_CID_VERIFIED, PINATA_CID_PROFILE_KUBO_V1, 1, KUBO_V1_3);

    /* An answer neither profile explains: unverifiable, nothing stays learned. */
    answer_next_with(KUBO_V1_3);
    upload(client, v1, "learn_a.bin", PINATA_CID_UNVERIFIABLE, PINATA_CID_PROFILE_NONE, 2, NULL);
    CHECK(pinata_client_learned_cid_profile(client) == PINATA_CID_PROFILE_NONE);

    /* v0: one profile, reported; verification off: none. */
    upload(client, v0, "learn_a.bin", PINATA_CID_VERIFIED, PINATA_CID_PROFILE_KUBO_V0, 1, NULL);
    upload(client, off, "learn_a.bin", PINATA_CID_NOT_CHECKED, PINATA_CID_PROFILE_NONE, 0, NULL);
    CHECK(pinata_client_learned_cid_profile(client) == PINATA_CID_PROFILE_NONE);

    pinata_pin_options_free(v1);
    pinata_pin_options_free(v0);
    pinata_pin_options_free(off);
    pinata_client_free(other);
    pinata_client_free(client);
    remove("learn_a.bin");
    remove("learn_b.bin");
    remove("learn_d.bin");
    return check_finish("test_cid_profiles");
}
