/* Every C constant agrees with the library: the header's PINATA_* value, passed to the
 * library's name lookup, comes back as the constant's own name. The constants and the
 * names are generated from one table row each (build.rs, `c_table!`, `status_table!`);
 * this catches a header that no longer matches the library it is used with, and a row
 * whose value or name went astray. Needs no emulator. */
#include "check.h"

struct row {
    int32_t value;
    const char *name;
};
#define ROW(c) { (c), #c }

static void check_table(const char *family, const struct row *rows, size_t n,
                        const char *(*name_of)(int32_t), const char *unknown) {
    size_t i, j;
    for (i = 0; i < n; i++) {
        const char *got = name_of(rows[i].value);
        if (got == NULL || strcmp(got, rows[i].name) != 0) {
            check_failed++;
            fprintf(stderr, "%s: %s is %d in the header, but the library calls %d %s\n",
                    family, rows[i].name, (int)rows[i].value, (int)rows[i].value,
                    got ? got : "(NULL)");
        } else {
            check_passed++;
        }
        for (j = 0; j < i; j++) {
            CHECK(rows[j].value != rows[i].value); /* no value given twice */
        }
    }
    CHECK(strcmp(name_of(-1), unknown) == 0);
    CHECK(strcmp(name_of(1000), unknown) == 0);
}

static const char *status_name(int32_t v) { return pinata_status_str(v); }
static const char *op_name(int32_t v) { return pinata_keyvalue_op_str(v); }
static const char *endpoint_name(int32_t v) { return pinata_endpoint_str(v); }

int main(void) {
    static const struct row statuses[] = {
        ROW(PINATA_OK), ROW(PINATA_E_INVALID_ARGUMENT), ROW(PINATA_E_IO),
        ROW(PINATA_E_NETWORK), ROW(PINATA_E_TIMEOUT), ROW(PINATA_E_CANCELLED),
        ROW(PINATA_E_UNAUTHORIZED), ROW(PINATA_E_FORBIDDEN), ROW(PINATA_E_NOT_FOUND),
        ROW(PINATA_E_RATE_LIMITED), ROW(PINATA_E_BAD_REQUEST), ROW(PINATA_E_SERVER),
        ROW(PINATA_E_PROTOCOL), ROW(PINATA_E_INTEGRITY), ROW(PINATA_E_INTERNAL),
        ROW(PINATA_E_TLS),
    };
    static const struct row ops[] = {
        ROW(PINATA_OP_GT), ROW(PINATA_OP_GTE), ROW(PINATA_OP_LT), ROW(PINATA_OP_LTE),
        ROW(PINATA_OP_NE), ROW(PINATA_OP_EQ), ROW(PINATA_OP_BETWEEN),
        ROW(PINATA_OP_NOT_BETWEEN), ROW(PINATA_OP_LIKE), ROW(PINATA_OP_NOT_LIKE),
        ROW(PINATA_OP_ILIKE), ROW(PINATA_OP_NOT_ILIKE), ROW(PINATA_OP_REGEXP),
        ROW(PINATA_OP_IREGEXP),
    };
    static const struct row endpoints[] = {
        ROW(PINATA_ENDPOINT_PIN_LIST), ROW(PINATA_ENDPOINT_USER_PINNED_DATA_TOTAL),
        ROW(PINATA_ENDPOINT_HASH_METADATA), ROW(PINATA_ENDPOINT_HASH_PIN_POLICY),
        ROW(PINATA_ENDPOINT_PIN_BY_HASH), ROW(PINATA_ENDPOINT_PIN_FILE_TO_IPFS),
        ROW(PINATA_ENDPOINT_PIN_JSON_TO_IPFS), ROW(PINATA_ENDPOINT_PIN_JOBS),
        ROW(PINATA_ENDPOINT_UNPIN), ROW(PINATA_ENDPOINT_USER_PIN_POLICY),
    };
    /* DESIGN.md fixes the status values forever. */
    CHECK(PINATA_OK == 0 && PINATA_E_INVALID_ARGUMENT == 1 && PINATA_E_INTERNAL == 14 &&
          PINATA_E_TLS == 15);
    check_table("status", statuses, sizeof statuses / sizeof statuses[0], status_name,
                "PINATA_E_UNKNOWN");
    check_table("keyvalue op", ops, sizeof ops / sizeof ops[0], op_name, "PINATA_OP_UNKNOWN");
    check_table("endpoint", endpoints, sizeof endpoints / sizeof endpoints[0], endpoint_name,
                "PINATA_ENDPOINT_UNKNOWN");
    return check_finish("test_constants");
}
