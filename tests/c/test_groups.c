/* Groups, legacy (pinata_pin_groups_*, CID based) and v3 (pinata_groups_*, per network):
 * every function against the emulator, key scopes, bad input (NULL, invalid UTF-8,
 * CR/LF, overlong, out of range, unknown ids), and faults injected through the
 * emulator's hooks. Runs under valgrind and ASan (tests/c/run.sh). */
#include "check.h"

static const char bad_utf8[] = {'g', (char)0xc3, (char)0x28, 0};

/* A text of `n` 'x' bytes (caller frees). */
static char *long_text(size_t n) {
    char *s = malloc(n + 1);
    if (s == NULL) exit(2);
    memset(s, 'x', n);
    s[n] = '\0';
    return s;
}

/* Pins `text` (CID version 1) and returns its CID (caller frees). */
static char *pin_text(pinata_client *c, const char *text) {
    pinata_pin_options *o = NULL;
    pinata_pin_result *r = NULL;
    char *cid = NULL;
    CHECK_STATUS(PINATA_OK, pinata_pin_options_new(&o, NULL));
    CHECK_STATUS(PINATA_OK, pinata_pin_options_set_cid_version(o, 1, NULL));
    CHECK_ERR(PINATA_OK, pinata_pin_bytes(c, (const uint8_t *)text, strlen(text), "g.txt", o, &r, &err));
    if (r != NULL) {
        const char *got = pinata_pin_result_cid(r);
        cid = malloc(strlen(got) + 1);
        if (cid == NULL) exit(2);
        strcpy(cid, got);
    }
    pinata_pin_result_free(r);
    pinata_pin_options_free(o);
    return cid;
}

/* Active pins in a legacy group, by the pin list's groupId filter. */
static int pins_in_group(pinata_client *c, const char *group_id) {
    pinata_pin_list_query *q = NULL;
    pinata_pin_list_iter *it = NULL;
    const pinata_pin_row *row = NULL;
    int n = 0;
    CHECK_STATUS(PINATA_OK, pinata_pin_list_query_new(&q, NULL));
    CHECK_STATUS(PINATA_OK, pinata_pin_list_query_set_text(q, NULL, group_id, NULL, NULL));
    CHECK_STATUS(PINATA_OK, pinata_pin_list_query_set_status(q, PINATA_PIN_STATUS_PINNED, NULL));
    CHECK_STATUS(PINATA_OK, pinata_pin_list_iter_new(c, q, &it, NULL));
    while (pinata_pin_list_iter_next(it, &row, NULL) == PINATA_OK && row != NULL) n++;
    pinata_pin_list_iter_free(it);
    pinata_pin_list_query_free(q);
    return n;
}

/* Counts the legacy groups a query lists (NULL: all); -1 on a failure. */
static int count_pin_groups(pinata_client *c, const pinata_pin_group_query *q) {
    pinata_pin_group_iter *it = NULL;
    const pinata_pin_group *g = NULL;
    int n = 0;
    if (pinata_pin_groups_list(c, q, &it, NULL) != PINATA_OK) return -1;
    for (;;) {
        if (pinata_pin_group_iter_next(it, &g, NULL) != PINATA_OK) { n = -1; break; }
        if (g == NULL) break;
        CHECK(pinata_pin_group_id(g) != NULL && pinata_pin_group_name(g) != NULL);
        n++;
    }
    pinata_pin_group_iter_free(it);
    return n;
}

static void legacy_cycle(pinata_client *c) {
    pinata_pin_group *g = NULL, *h = NULL;
    pinata_pin_group_query *q = NULL;
    char id[128];
    char *cid_a = pin_text(c, "group member a");
    char *cid_b = pin_text(c, "group member b");
    const char *cids[2];
    int i;

    /* Create and read back. */
    CHECK_ERR(PINATA_OK, pinata_pin_groups_create(c, "photos-2024", &g, &err));
    CHECK(g != NULL && strcmp(pinata_pin_group_name(g), "photos-2024") == 0);
    CHECK(pinata_pin_group_created_at(g) != NULL && pinata_pin_group_updated_at(g) != NULL);
    CHECK(pinata_pin_group_user_id(g) != NULL);
    CHECK(strstr(pinata_pin_group_raw_json(g), "\"createdAt\"") != NULL);
    snprintf(id, sizeof id, "%s", pinata_pin_group_id(g));
    pinata_pin_group_free(g);
    g = NULL;
    CHECK_ERR(PINATA_OK, pinata_pin_groups_get(c, id, &g, &err));
    CHECK(g != NULL && strcmp(pinata_pin_group_id(g), id) == 0);
    pinata_pin_group_free(g);
    g = NULL;

    /* Rename; the answer is the updated group. */
    CHECK_ERR(PINATA_OK, pinata_pin_groups_update(c, id, "photos-2025", &h, &err));
    CHECK(h != NULL && strcmp(pinata_pin_group_name(h), "photos-2025") == 0);
    pinata_pin_group_free(h);
    CHECK_ERR(PINATA_OK, pinata_pin_groups_update(c, id, "photos-2025b", NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_groups_get(c, id, &g, &err));
    CHECK(g != NULL && strcmp(pinata_pin_group_name(g), "photos-2025b") == 0);
    pinata_pin_group_free(g);

    /* Add CIDs: the pins join the group (pinList groupId); remove one: it leaves. */
    CHECK(cid_a != NULL && cid_b != NULL);
    cids[0] = cid_a;
    cids[1] = cid_b;
    CHECK(pins_in_group(c, id) == 0);
    CHECK_ERR(PINATA_OK, pinata_pin_groups_add_cids(c, id, cids, 2, &err));
    CHECK(pins_in_group(c, id) == 2);
    CHECK_ERR(PINATA_OK, pinata_pin_groups_remove_cids(c, id, cids + 1, 1, &err));
    CHECK(pins_in_group(c, id) == 1);

    /* Listing: 12 more groups, pages of 5 (three requests), a name filter, an offset. */
    for (i = 0; i < 12; i++) {
        char name[32];
        snprintf(name, sizeof name, "%s-%02d", i % 2 ? "odd" : "even", i);
        CHECK_ERR(PINATA_OK, pinata_pin_groups_create(c, name, &g, &err));
        pinata_pin_group_free(g);
        g = NULL;
    }
    CHECK(count_pin_groups(c, NULL) == 13);
    CHECK_STATUS(PINATA_OK, pinata_pin_group_query_new(&q, NULL));
    CHECK_STATUS(PINATA_OK, pinata_pin_group_query_set_paging(q, 5, 0, NULL));
    {
        long before = test_requests_total();
        CHECK(count_pin_groups(c, q) == 13);
        CHECK(before >= 0 && test_requests_total() - before == 3);
    }
    CHECK_STATUS(PINATA_OK, pinata_pin_group_query_set_paging(q, 5, 10, NULL));
    CHECK(count_pin_groups(c, q) == 3);
    CHECK_STATUS(PINATA_OK, pinata_pin_group_query_set_paging(q, 5, 0, NULL));
    CHECK_STATUS(PINATA_OK, pinata_pin_group_query_set_name_contains(q, "ODD", NULL));
    CHECK(count_pin_groups(c, q) == 6);
    CHECK_STATUS(PINATA_OK, pinata_pin_group_query_set_name_contains(q, "photos", NULL));
    CHECK(count_pin_groups(c, q) == 1);
    CHECK_STATUS(PINATA_OK, pinata_pin_group_query_set_name_contains(q, NULL, NULL));
    CHECK(count_pin_groups(c, q) == 13);

    /* The iterator keeps its own client: free the one it came from first. */
    {
        pinata_client *own = test_client();
        pinata_pin_group_iter *it = NULL;
        const pinata_pin_group *row = NULL;
        CHECK_STATUS(PINATA_OK, pinata_pin_groups_list(own, q, &it, NULL));
        pinata_client_free(own);
        pinata_pin_group_query_free(q);
        q = NULL;
        CHECK_ERR(PINATA_OK, pinata_pin_group_iter_next(it, &row, &err));
        CHECK(row != NULL && strcmp(pinata_pin_group_name(row), "odd-11") == 0);
        pinata_pin_group_iter_free(it);
    }

    /* Delete: the group is gone, its pins stay pinned and leave it. */
    CHECK_ERR(PINATA_OK, pinata_pin_groups_delete(c, id, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_pin_groups_get(c, id, &g, &err));
    CHECK(g == NULL);
    CHECK(pins_in_group(c, id) == 0);
    CHECK(count_pin_groups(c, NULL) == 12);
    free(cid_a);
    free(cid_b);
}

static void legacy_bad_input(pinata_client *c) {
    pinata_pin_group *g = NULL;
    pinata_pin_group_query *q = NULL;
    pinata_pin_group_iter *it = NULL;
    const pinata_pin_group *row = NULL;
    const char *unknown = "00000000-0000-4000-8000-000000000000";
    const char *good[] = {"bafkreidvbhs33ighmljlvr7zbv2ywwzcmp5adtf4kqvlly67cy56bdtmve"};
    const char *bad_cid[] = {"not-a-cid"};
    const char *null_cid[] = {NULL};
    const char *crlf_cid[] = {"bafkreidvbhs33ighmljlvr7zbv2ywwzcmp5adtf4kqvlly67cy56bdtmve\r\n"};
    char *overlong = long_text(64 * 1024 + 1);
    long before = test_requests_total();

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_create(NULL, "n", &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_create(c, NULL, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_create(c, "", &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_create(c, bad_utf8, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_create(c, "a\r\nX-Evil: 1", &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_create(c, overlong, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_create(c, "n", NULL, &err));
    CHECK(g == NULL);
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_get(c, NULL, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_get(c, "a\nb", &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_get(c, bad_utf8, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_get(c, unknown, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_update(c, unknown, NULL, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_update(c, NULL, "n", NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_delete(c, "", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_delete(NULL, unknown, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_add_cids(c, unknown, NULL, 1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_add_cids(c, unknown, good, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_add_cids(c, unknown, bad_cid, 1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_add_cids(c, unknown, null_cid, 1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_remove_cids(c, unknown, crlf_cid, 1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_remove_cids(c, "x\r", good, 1, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_group_query_new(NULL, &err));
    CHECK_STATUS(PINATA_OK, pinata_pin_group_query_new(&q, NULL));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_group_query_set_paging(q, 0, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_group_query_set_paging(q, 1001, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_group_query_set_paging(NULL, 10, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_group_query_set_name_contains(q, bad_utf8, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_group_query_set_name_contains(NULL, "a", &err));
    CHECK_STATUS(PINATA_OK, pinata_pin_group_query_set_name_contains(q, "a\nb", NULL));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_list(c, q, &it, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_groups_list(c, NULL, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_pin_group_iter_next(NULL, &row, &err));
    CHECK(it == NULL);
    pinata_pin_group_query_free(q);
    /* Nothing above reached the server. */
    CHECK(before >= 0 && test_requests_total() == before);

    /* Ids the account does not have: PINATA_E_NOT_FOUND from the server. */
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_pin_groups_get(c, unknown, &g, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_pin_groups_update(c, unknown, "n", &g, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_pin_groups_delete(c, unknown, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_pin_groups_add_cids(c, unknown, good, 1, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_pin_groups_remove_cids(c, unknown, good, 1, &err));
    CHECK(g == NULL);

    /* NULL handles in accessors and frees. */
    CHECK(pinata_pin_group_id(NULL) == NULL && pinata_pin_group_name(NULL) == NULL);
    CHECK(pinata_pin_group_raw_json(NULL) == NULL && pinata_pin_group_user_id(NULL) == NULL);
    CHECK(pinata_pin_group_created_at(NULL) == NULL && pinata_pin_group_updated_at(NULL) == NULL);
    pinata_pin_group_free(NULL);
    pinata_pin_group_iter_free(NULL);
    pinata_pin_group_query_free(NULL);
    free(overlong);
}

/* Counts the v3 groups of a network a query lists; -1 on a failure. */
static int count_groups(pinata_client *c, int32_t net, const pinata_group_query *q) {
    pinata_group_iter *it = NULL;
    const pinata_group *g = NULL;
    int n = 0;
    if (pinata_groups_list(c, net, q, &it, NULL) != PINATA_OK) return -1;
    for (;;) {
        if (pinata_group_iter_next(it, &g, NULL) != PINATA_OK) { n = -1; break; }
        if (g == NULL) break;
        n++;
    }
    pinata_group_iter_free(it);
    return n;
}

static void v3_cycle(pinata_client *c) {
    pinata_group *g = NULL;
    pinata_group_query *q = NULL;
    char id[128], priv[128];
    int i;

    CHECK_ERR(PINATA_OK, pinata_groups_create(c, PINATA_NETWORK_PUBLIC, "album", true, &g, &err));
    CHECK(g != NULL && strcmp(pinata_group_name(g), "album") == 0 && pinata_group_is_public(g));
    CHECK(pinata_group_created_at(g) != NULL);
    CHECK(strstr(pinata_group_raw_json(g), "\"is_public\":true") != NULL);
    snprintf(id, sizeof id, "%s", pinata_group_id(g));
    pinata_group_free(g);
    g = NULL;
    CHECK_ERR(PINATA_OK, pinata_groups_create(c, PINATA_NETWORK_PRIVATE, "secret", false, &g, &err));
    CHECK(g != NULL && !pinata_group_is_public(g));
    snprintf(priv, sizeof priv, "%s", g ? pinata_group_id(g) : "");
    pinata_group_free(g);
    g = NULL;

    /* Networks are separate: each group is found on its own only. */
    CHECK_ERR(PINATA_OK, pinata_groups_get(c, PINATA_NETWORK_PUBLIC, id, &g, &err));
    CHECK(g != NULL && strcmp(pinata_group_id(g), id) == 0);
    pinata_group_free(g);
    g = NULL;
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_groups_get(c, PINATA_NETWORK_PRIVATE, id, &g, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_groups_get(c, PINATA_NETWORK_PUBLIC, priv, &g, &err));
    CHECK(g == NULL);

    /* Update: name only, visibility only, both; nothing is refused before sending. */
    CHECK_ERR(PINATA_OK, pinata_groups_update(c, PINATA_NETWORK_PUBLIC, id, "album-2", -1, &g, &err));
    CHECK(g != NULL && strcmp(pinata_group_name(g), "album-2") == 0 && pinata_group_is_public(g));
    pinata_group_free(g);
    g = NULL;
    CHECK_ERR(PINATA_OK, pinata_groups_update(c, PINATA_NETWORK_PUBLIC, id, NULL, 0, &g, &err));
    CHECK(g != NULL && strcmp(pinata_group_name(g), "album-2") == 0 && !pinata_group_is_public(g));
    pinata_group_free(g);
    g = NULL;
    CHECK_ERR(PINATA_OK, pinata_groups_update(c, PINATA_NETWORK_PUBLIC, id, "album-3", 1, NULL, &err));
    CHECK_ERR(PINATA_OK, pinata_groups_get(c, PINATA_NETWORK_PUBLIC, id, &g, &err));
    CHECK(g != NULL && strcmp(pinata_group_name(g), "album-3") == 0 && pinata_group_is_public(g));
    pinata_group_free(g);
    g = NULL;

    /* Listing: 7 more public groups (4 public, 3 not); pages of 3 follow the tokens. */
    for (i = 0; i < 7; i++) {
        char name[32];
        snprintf(name, sizeof name, "set-%d", i);
        CHECK_ERR(PINATA_OK, pinata_groups_create(c, PINATA_NETWORK_PUBLIC, name, i % 2 == 0, &g, &err));
        pinata_group_free(g);
        g = NULL;
    }
    CHECK(count_groups(c, PINATA_NETWORK_PUBLIC, NULL) == 8);
    CHECK(count_groups(c, PINATA_NETWORK_PRIVATE, NULL) == 1);
    CHECK_STATUS(PINATA_OK, pinata_group_query_new(&q, NULL));
    CHECK_STATUS(PINATA_OK, pinata_group_query_set_limit(q, 3, NULL));
    {
        long before = test_requests_total();
        CHECK(count_groups(c, PINATA_NETWORK_PUBLIC, q) == 8);
        CHECK(before >= 0 && test_requests_total() - before == 3);
    }
    CHECK_STATUS(PINATA_OK, pinata_group_query_set_filters(q, NULL, 1, NULL));
    CHECK(count_groups(c, PINATA_NETWORK_PUBLIC, q) == 5);
    CHECK_STATUS(PINATA_OK, pinata_group_query_set_filters(q, NULL, 0, NULL));
    CHECK(count_groups(c, PINATA_NETWORK_PUBLIC, q) == 3);
    CHECK_STATUS(PINATA_OK, pinata_group_query_set_filters(q, "set-", -1, NULL));
    CHECK(count_groups(c, PINATA_NETWORK_PUBLIC, q) == 7);
    CHECK_STATUS(PINATA_OK, pinata_group_query_set_filters(q, "album", 1, NULL));
    CHECK(count_groups(c, PINATA_NETWORK_PUBLIC, q) == 1);

    /* The iterator keeps its own client; newest first. */
    {
        pinata_client *own = test_client();
        pinata_group_iter *it = NULL;
        const pinata_group *row = NULL;
        CHECK_STATUS(PINATA_OK, pinata_group_query_set_filters(q, NULL, -1, NULL));
        CHECK_STATUS(PINATA_OK, pinata_groups_list(own, PINATA_NETWORK_PUBLIC, q, &it, NULL));
        pinata_client_free(own);
        pinata_group_query_free(q);
        q = NULL;
        CHECK_ERR(PINATA_OK, pinata_group_iter_next(it, &row, &err));
        CHECK(row != NULL && strcmp(pinata_group_name(row), "set-6") == 0);
        pinata_group_iter_free(it);
    }

    /* Delete. */
    CHECK_ERR(PINATA_OK, pinata_groups_delete(c, PINATA_NETWORK_PUBLIC, id, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_groups_get(c, PINATA_NETWORK_PUBLIC, id, &g, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_groups_delete(c, PINATA_NETWORK_PUBLIC, id, &err));
    CHECK_ERR(PINATA_OK, pinata_groups_delete(c, PINATA_NETWORK_PRIVATE, priv, &err));
    CHECK(count_groups(c, PINATA_NETWORK_PUBLIC, NULL) == 7);
    CHECK(count_groups(c, PINATA_NETWORK_PRIVATE, NULL) == 0);
}

static void v3_bad_input(pinata_client *c) {
    pinata_group *g = NULL;
    pinata_group_query *q = NULL;
    pinata_group_iter *it = NULL;
    const pinata_group *row = NULL;
    const char *unknown = "0193a0f8-0000-7000-8000-000000000000";
    char *overlong = long_text(64 * 1024 + 1);
    long before = test_requests_total();

    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_create(NULL, PINATA_NETWORK_PUBLIC, "n", false, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_create(c, 2, "n", false, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_create(c, -1, "n", false, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_create(c, PINATA_NETWORK_PUBLIC, NULL, false, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_create(c, PINATA_NETWORK_PUBLIC, bad_utf8, false, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_create(c, PINATA_NETWORK_PUBLIC, "a\r\nb", false, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_create(c, PINATA_NETWORK_PUBLIC, overlong, false, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_create(c, PINATA_NETWORK_PUBLIC, "n", false, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_get(c, PINATA_NETWORK_PUBLIC, NULL, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_get(c, PINATA_NETWORK_PUBLIC, "a\nb", &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_get(c, 7, unknown, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_get(c, PINATA_NETWORK_PUBLIC, unknown, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_update(c, PINATA_NETWORK_PUBLIC, unknown, NULL, -1, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_update(c, PINATA_NETWORK_PUBLIC, unknown, "n", 2, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_update(c, PINATA_NETWORK_PUBLIC, unknown, bad_utf8, -1, &g, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_delete(c, PINATA_NETWORK_PRIVATE, "", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_delete(c, 2, unknown, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_add_file(c, PINATA_NETWORK_PUBLIC, unknown, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_add_file(c, PINATA_NETWORK_PUBLIC, NULL, unknown, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_add_file(c, PINATA_NETWORK_PUBLIC, unknown, "f\r\n", &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_remove_file(c, 9, unknown, unknown, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_remove_file(c, PINATA_NETWORK_PUBLIC, unknown, bad_utf8, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_group_query_new(NULL, &err));
    CHECK_STATUS(PINATA_OK, pinata_group_query_new(&q, NULL));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_group_query_set_limit(q, 0, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_group_query_set_limit(q, 1001, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_group_query_set_limit(NULL, 5, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_group_query_set_filters(q, NULL, 2, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_group_query_set_filters(q, bad_utf8, -1, &err));
    CHECK_STATUS(PINATA_OK, pinata_group_query_set_filters(q, "a\rb", -1, NULL));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_list(c, PINATA_NETWORK_PUBLIC, q, &it, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_list(c, 3, NULL, &it, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_groups_list(c, PINATA_NETWORK_PUBLIC, NULL, NULL, &err));
    CHECK_ERR(PINATA_E_INVALID_ARGUMENT, pinata_group_iter_next(NULL, &row, &err));
    CHECK(it == NULL && g == NULL);
    pinata_group_query_free(q);
    CHECK(before >= 0 && test_requests_total() == before);

    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_groups_get(c, PINATA_NETWORK_PUBLIC, unknown, &g, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_groups_update(c, PINATA_NETWORK_PRIVATE, unknown, "n", -1, &g, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_groups_delete(c, PINATA_NETWORK_PUBLIC, unknown, &err));
    CHECK(g == NULL);

    CHECK(pinata_group_id(NULL) == NULL && pinata_group_name(NULL) == NULL);
    CHECK(pinata_group_created_at(NULL) == NULL && pinata_group_raw_json(NULL) == NULL);
    CHECK(!pinata_group_is_public(NULL));
    pinata_group_free(NULL);
    pinata_group_iter_free(NULL);
    pinata_group_query_free(NULL);
    free(overlong);
}

/* A client for a new key with the given scopes (caller frees). */
static pinata_client *scoped_client(pinata_client *admin, int endpoint, const char *resource) {
    pinata_key_permissions *p = NULL;
    pinata_key_result *k = NULL;
    pinata_client *c = NULL;
    CHECK_STATUS(PINATA_OK, pinata_key_permissions_new(&p, NULL));
    if (endpoint >= 0) CHECK_STATUS(PINATA_OK, pinata_key_permissions_allow_endpoint(p, endpoint, NULL));
    if (resource) CHECK_STATUS(PINATA_OK, pinata_key_permissions_allow_resource(p, resource, NULL));
    CHECK_ERR(PINATA_OK, pinata_keys_create(admin, "groups-scope", p, 0, &k, &err));
    if (k == NULL || pinata_client_new_jwt(pinata_key_result_jwt(k), &c, NULL) != PINATA_OK ||
        test_configure(c) != PINATA_OK) {
        fprintf(stderr, "cannot make a scoped client\n");
        exit(2);
    }
    pinata_key_result_free(k);
    pinata_key_permissions_free(p);
    return c;
}

static void scopes(pinata_client *admin) {
    pinata_client *legacy = scoped_client(admin, PINATA_ENDPOINT_PIN_LIST, NULL);
    pinata_client *reader = scoped_client(admin, -1, "org:groups:read");
    pinata_client *writer = scoped_client(admin, -1, "org:groups:write");
    pinata_pin_group *pg = NULL;
    pinata_group *g = NULL;
    pinata_error *e = NULL;

    /* A legacy endpoint key reaches neither kind of group. */
    CHECK_ERR(PINATA_E_FORBIDDEN, pinata_pin_groups_create(legacy, "n", &pg, &err));
    CHECK(count_pin_groups(legacy, NULL) == -1);
    /* On v3 paths Pinata answers such a key 401 "no Authorization header found". */
    CHECK_STATUS(PINATA_E_UNAUTHORIZED, pinata_groups_create(legacy, PINATA_NETWORK_PUBLIC, "n", false, &g, &e));
    CHECK(e != NULL && pinata_error_http_status(e) == 401 &&
          strstr(pinata_error_message(e), "no Authorization header found") != NULL);
    pinata_error_free(e);
    /* groups:read lists but does not write; groups:write does both. */
    CHECK(count_pin_groups(reader, NULL) >= 0);
    CHECK(count_groups(reader, PINATA_NETWORK_PUBLIC, NULL) >= 0);
    CHECK_ERR(PINATA_E_FORBIDDEN, pinata_pin_groups_create(reader, "n", &pg, &err));
    CHECK_ERR(PINATA_E_FORBIDDEN, pinata_groups_create(reader, PINATA_NETWORK_PUBLIC, "n", false, &g, &err));
    CHECK_ERR(PINATA_OK, pinata_pin_groups_create(writer, "by-writer", &pg, &err));
    CHECK_ERR(PINATA_OK, pinata_groups_create(writer, PINATA_NETWORK_PRIVATE, "by-writer", false, &g, &err));
    CHECK(count_groups(writer, PINATA_NETWORK_PRIVATE, NULL) == 1);
    if (pg) CHECK_ERR(PINATA_OK, pinata_pin_groups_delete(writer, pinata_pin_group_id(pg), &err));
    if (g) CHECK_ERR(PINATA_OK, pinata_groups_delete(writer, PINATA_NETWORK_PRIVATE, pinata_group_id(g), &err));
    pinata_pin_group_free(pg);
    pinata_group_free(g);
    pinata_client_free(legacy);
    pinata_client_free(reader);
    pinata_client_free(writer);
}

/* The group a v3 file is in, by pinata_files_get (caller frees; NULL when in none or
 * on a failure, which is CHECKed). */
static char *file_group(pinata_client *c, int32_t net, const char *file_id) {
    pinata_file_row *row = NULL;
    char *out = NULL;
    CHECK_ERR(PINATA_OK, pinata_files_get(c, net, file_id, &row, &err));
    if (row != NULL && pinata_file_row_group_id(row) != NULL) {
        const char *g = pinata_file_row_group_id(row);
        out = malloc(strlen(g) + 1);
        if (out == NULL) exit(2);
        strcpy(out, g);
    }
    pinata_file_row_free(row);
    return out;
}

/* Uploads bytes as a v3 file and returns its id (caller frees). */
static char *upload_file(pinata_client *c, int32_t net, const char *text) {
    pinata_upload_options *o = NULL;
    pinata_upload_result *r = NULL;
    char *id = NULL;
    CHECK_STATUS(PINATA_OK, pinata_upload_options_new(&o, NULL));
    CHECK_STATUS(PINATA_OK, pinata_upload_options_set_network(o, net, NULL));
    CHECK_ERR(PINATA_OK, pinata_upload_bytes(c, (const uint8_t *)text, strlen(text), "f.txt", o, &r, &err));
    if (r != NULL) {
        const char *got = pinata_file_row_id(pinata_upload_result_file(r));
        id = malloc(strlen(got) + 1);
        if (id == NULL) exit(2);
        strcpy(id, got);
    }
    pinata_upload_result_free(r);
    pinata_upload_options_free(o);
    return id;
}

static int same(const char *a, const char *b) { return a != NULL && b != NULL && strcmp(a, b) == 0; }

/* Files in and out of v3 groups, on both networks. */
static void v3_members(pinata_client *c) {
    pinata_group *pub = NULL, *priv = NULL;
    char gpub[128], gpriv[128];
    const char *unknown = "0193a0f8-0000-7000-8000-000000000000";
    char *fpub, *fpriv, *in;

    CHECK_STATUS(PINATA_OK, pinata_client_set_upload_url(c, test_env("PINATA_TEST_URL"), NULL));
    fpub = upload_file(c, PINATA_NETWORK_PUBLIC, "a public member\n");
    fpriv = upload_file(c, PINATA_NETWORK_PRIVATE, "a private member\n");
    CHECK(fpub != NULL && fpriv != NULL);
    if (fpub == NULL || fpriv == NULL) return;
    CHECK_ERR(PINATA_OK, pinata_groups_create(c, PINATA_NETWORK_PUBLIC, "members", true, &pub, &err));
    CHECK_ERR(PINATA_OK, pinata_groups_create(c, PINATA_NETWORK_PRIVATE, "members", false, &priv, &err));
    snprintf(gpub, sizeof gpub, "%s", pub ? pinata_group_id(pub) : "x");
    snprintf(gpriv, sizeof gpriv, "%s", priv ? pinata_group_id(priv) : "x");
    pinata_group_free(pub);
    pinata_group_free(priv);

    /* Add: the file's row names the group. */
    CHECK(file_group(c, PINATA_NETWORK_PUBLIC, fpub) == NULL);
    CHECK_ERR(PINATA_OK, pinata_groups_add_file(c, PINATA_NETWORK_PUBLIC, gpub, fpub, &err));
    in = file_group(c, PINATA_NETWORK_PUBLIC, fpub);
    CHECK(same(in, gpub));
    free(in);
    CHECK_ERR(PINATA_OK, pinata_groups_add_file(c, PINATA_NETWORK_PRIVATE, gpriv, fpriv, &err));
    in = file_group(c, PINATA_NETWORK_PRIVATE, fpriv);
    CHECK(same(in, gpriv));
    free(in);
    /* Unknown group, unknown file, a file or group of the other network: not found. */
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_groups_add_file(c, PINATA_NETWORK_PUBLIC, unknown, fpub, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_groups_add_file(c, PINATA_NETWORK_PUBLIC, gpub, unknown, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_groups_add_file(c, PINATA_NETWORK_PUBLIC, gpub, fpriv, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_groups_add_file(c, PINATA_NETWORK_PRIVATE, gpub, fpriv, &err));
    CHECK_ERR(PINATA_E_NOT_FOUND, pinata_groups_remove_file(c, PINATA_NETWORK_PRIVATE, gpriv, unknown, &err));
    /* Remove: out of the group, the file stays. */
    CHECK_ERR(PINATA_OK, pinata_groups_remove_file(c, PINATA_NETWORK_PUBLIC, gpub, fpub, &err));
    CHECK(file_group(c, PINATA_NETWORK_PUBLIC, fpub) == NULL);
    /* Deleting a group leaves its files outside any group. */
    CHECK_ERR(PINATA_OK, pinata_groups_delete(c, PINATA_NETWORK_PRIVATE, gpriv, &err));
    CHECK(file_group(c, PINATA_NETWORK_PRIVATE, fpriv) == NULL);
    CHECK_ERR(PINATA_OK, pinata_groups_delete(c, PINATA_NETWORK_PUBLIC, gpub, &err));
    free(fpub);
    free(fpriv);
}

/* A client that retries twice, quickly, and gives up after a second. */
static pinata_client *fault_client(void) {
    pinata_client *c = test_client();
    CHECK_STATUS(PINATA_OK, pinata_client_set_retry_policy(c, 2, 20000, NULL));
    CHECK_STATUS(PINATA_OK, pinata_client_set_backoff_ms(c, 1, 5, NULL));
    CHECK_STATUS(PINATA_OK, pinata_client_set_request_timeout_ms(c, 1000, NULL));
    return c;
}

static void fault(const char *path, const char *method, const char *spec) {
    char json[1024];
    CHECK(test_hook("DELETE", "/__emulator/faults", NULL) == 0);
    snprintf(json, sizeof json, "{\"path\":\"%s\",\"method\":\"%s\",%s}", path, method, spec);
    CHECK(test_hook("POST", "/__emulator/faults", json) == 0);
}

static void faults(pinata_client *admin) {
    pinata_pin_group *pg = NULL;
    pinata_group *g = NULL;
    pinata_client *c;
    char lid[128], vid[128], lpath[200], vpath[200];
    const char *cid[] = {"bafkreidvbhs33ighmljlvr7zbv2ywwzcmp5adtf4kqvlly67cy56bdtmve"};
    pinata_error *e = NULL;

    CHECK_ERR(PINATA_OK, pinata_pin_groups_create(admin, "faulty", &pg, &err));
    CHECK_ERR(PINATA_OK, pinata_groups_create(admin, PINATA_NETWORK_PUBLIC, "faulty", false, &g, &err));
    snprintf(lid, sizeof lid, "%s", pg ? pinata_pin_group_id(pg) : "x");
    snprintf(vid, sizeof vid, "%s", g ? pinata_group_id(g) : "x");
    snprintf(lpath, sizeof lpath, "/groups/%s", lid);
    snprintf(vpath, sizeof vpath, "/v3/groups/public/%s", vid);
    pinata_pin_group_free(pg);
    pinata_group_free(g);
    pg = NULL;
    g = NULL;

    c = fault_client();
    /* 503 once: every call is retried and succeeds. */
    fault("/groups", "POST", "\"kind\":\"status\",\"status\":503,\"times\":1");
    CHECK_ERR(PINATA_OK, pinata_pin_groups_create(c, "after-503", &pg, &err));
    pinata_pin_group_free(pg);
    pg = NULL;
    fault("/v3/groups/public", "POST", "\"kind\":\"status\",\"status\":503,\"times\":1");
    CHECK_ERR(PINATA_OK, pinata_groups_create(c, PINATA_NETWORK_PUBLIC, "after-503", true, &g, &err));
    pinata_group_free(g);
    g = NULL;
    /* 500 once: a read is repeated, a write is not. */
    fault(lpath, "GET", "\"kind\":\"status\",\"status\":500,\"times\":1");
    CHECK_ERR(PINATA_OK, pinata_pin_groups_get(c, lid, &pg, &err));
    pinata_pin_group_free(pg);
    pg = NULL;
    fault(vpath, "PUT", "\"kind\":\"status\",\"status\":500,\"times\":1");
    CHECK_STATUS(PINATA_E_SERVER, pinata_groups_update(c, PINATA_NETWORK_PUBLIC, vid, "x", -1, &g, &e));
    CHECK(e != NULL && pinata_error_http_status(e) == 500 && pinata_error_reason(e) != NULL &&
          strcmp(pinata_error_reason(e), "INJECTED_FAULT") == 0);
    pinata_error_free(e);
    e = NULL;
    /* A broken JSON body: JSON answers fail as PROTOCOL, the legacy "OK" ones are not parsed. */
    fault("/groups", "GET", "\"kind\":\"malformed_json\"");
    CHECK(count_pin_groups(c, NULL) == -1);
    fault("/v3/groups/public", "GET", "\"kind\":\"malformed_json\"");
    {
        pinata_group_iter *it = NULL;
        const pinata_group *row = NULL;
        CHECK_STATUS(PINATA_OK, pinata_groups_list(c, PINATA_NETWORK_PUBLIC, NULL, &it, NULL));
        CHECK_ERR(PINATA_E_PROTOCOL, pinata_group_iter_next(it, &row, &err));
        pinata_group_iter_free(it);
    }
    fault(vpath, "GET", "\"kind\":\"malformed_json\"");
    CHECK_ERR(PINATA_E_PROTOCOL, pinata_groups_get(c, PINATA_NETWORK_PUBLIC, vid, &g, &err));
    fault(lpath, "GET", "\"kind\":\"malformed_json\"");
    CHECK_ERR(PINATA_E_PROTOCOL, pinata_pin_groups_get(c, lid, &pg, &err));
    fault("/groups/*", "PUT", "\"kind\":\"malformed_json\"");
    CHECK_ERR(PINATA_OK, pinata_pin_groups_add_cids(c, lid, cid, 1, &err));
    /* A shape C 404 and a shape A 403 keep their texts. */
    fault(vpath, "DELETE", "\"kind\":\"status\",\"status\":404,\"body\":{\"error\":{\"code\":404,\"message\":\"gone\"}}");
    CHECK_STATUS(PINATA_E_NOT_FOUND, pinata_groups_delete(c, PINATA_NETWORK_PUBLIC, vid, &e));
    CHECK(e != NULL && strstr(pinata_error_message(e), "gone") != NULL);
    pinata_error_free(e);
    e = NULL;
    fault("/groups/*", "DELETE", "\"kind\":\"status\",\"status\":403,\"body\":{\"error\":{\"reason\":\"NO_SCOPES_FOUND\",\"details\":\"x\"}}");
    CHECK_ERR(PINATA_E_FORBIDDEN, pinata_pin_groups_remove_cids(c, lid, cid, 1, &err));
    /* Connection reset on every attempt, and an answer slower than the timeout. */
    fault("/v3/groups/*", "GET", "\"kind\":\"reset\",\"after_bytes\":0");
    CHECK_ERR(PINATA_E_NETWORK, pinata_groups_get(c, PINATA_NETWORK_PUBLIC, vid, &g, &err));
    fault("/groups", "GET", "\"kind\":\"delay\",\"delay_ms\":2500");
    {
        pinata_pin_group_iter *it = NULL;
        const pinata_pin_group *row = NULL;
        CHECK_STATUS(PINATA_OK, pinata_pin_groups_list(c, NULL, &it, NULL));
        CHECK_ERR(PINATA_E_TIMEOUT, pinata_pin_group_iter_next(it, &row, &err));
        /* Once healed, the same iterator fetches the page again. */
        CHECK(test_hook("DELETE", "/__emulator/faults", NULL) == 0);
        CHECK_ERR(PINATA_OK, pinata_pin_group_iter_next(it, &row, &err));
        CHECK(row != NULL);
        pinata_pin_group_iter_free(it);
    }
    CHECK(g == NULL && pg == NULL);
    CHECK(test_hook("DELETE", "/__emulator/faults", NULL) == 0);
    pinata_client_free(c);
}

int main(void) {
    pinata_client *client = test_client();
    legacy_cycle(client);
    legacy_bad_input(client);
    v3_cycle(client);
    v3_bad_input(client);
    v3_members(client);
    scopes(client);
    faults(client);
    pinata_client_free(client);
    return check_finish("test_groups");
}
