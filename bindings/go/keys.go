package pinata

/*
#include "pinata.h"
*/
import "C"

import (
	"context"
	"fmt"
	"time"
)

// Endpoint is one legacy endpoint a key may be allowed.
type Endpoint int32

// The legacy endpoints of pinata.h.
const (
	EndpointPinList             Endpoint = C.PINATA_ENDPOINT_PIN_LIST
	EndpointUserPinnedDataTotal Endpoint = C.PINATA_ENDPOINT_USER_PINNED_DATA_TOTAL
	EndpointHashMetadata        Endpoint = C.PINATA_ENDPOINT_HASH_METADATA
	EndpointHashPinPolicy       Endpoint = C.PINATA_ENDPOINT_HASH_PIN_POLICY
	EndpointPinByHash           Endpoint = C.PINATA_ENDPOINT_PIN_BY_HASH
	EndpointPinFileToIPFS       Endpoint = C.PINATA_ENDPOINT_PIN_FILE_TO_IPFS
	EndpointPinJSONToIPFS       Endpoint = C.PINATA_ENDPOINT_PIN_JSON_TO_IPFS
	EndpointPinJobs             Endpoint = C.PINATA_ENDPOINT_PIN_JOBS
	EndpointUnpin               Endpoint = C.PINATA_ENDPOINT_UNPIN
	EndpointUserPinPolicy       Endpoint = C.PINATA_ENDPOINT_USER_PIN_POLICY
)

var endpointNames = map[Endpoint]string{
	EndpointPinList:             "pinList",
	EndpointUserPinnedDataTotal: "userPinnedDataTotal",
	EndpointHashMetadata:        "hashMetadata",
	EndpointHashPinPolicy:       "hashPinPolicy",
	EndpointPinByHash:           "pinByHash",
	EndpointPinFileToIPFS:       "pinFileToIPFS",
	EndpointPinJSONToIPFS:       "pinJSONToIPFS",
	EndpointPinJobs:             "pinJobs",
	EndpointUnpin:               "unpin",
	EndpointUserPinPolicy:       "userPinPolicy",
}

// String returns Pinata's name of the endpoint, e.g. "pinList".
func (e Endpoint) String() string {
	if n, ok := endpointNames[e]; ok {
		return n
	}
	return fmt.Sprintf("Endpoint(%d)", int32(e))
}

// CName returns the name of the endpoint's C constant, e.g. "PINATA_ENDPOINT_UNPIN"
// ("PINATA_ENDPOINT_UNKNOWN" for a value this version of libpinata does not know).
func (e Endpoint) CName() string {
	return C.GoString(C.pinata_endpoint_str(C.pinata_endpoint(e)))
}

// ParseEndpoint reads Pinata's name of an endpoint ("pinList", "pinFileToIPFS", ...).
func ParseEndpoint(name string) (Endpoint, error) {
	for e, n := range endpointNames {
		if n == name {
			return e, nil
		}
	}
	return 0, invalidArg(fmt.Sprintf("unknown endpoint %q", name))
}

// Resource is a v3 resource scope.
type Resource string

// The v3 resource scopes.
const (
	ResourceOrgRead           Resource = "org:read"
	ResourceOrgWrite          Resource = "org:write"
	ResourceOrgFilesRead      Resource = "org:files:read"
	ResourceOrgFilesWrite     Resource = "org:files:write"
	ResourceOrgGroupsRead     Resource = "org:groups:read"
	ResourceOrgGroupsWrite    Resource = "org:groups:write"
	ResourceOrgGatewaysRead   Resource = "org:gateways:read"
	ResourceOrgGatewaysWrite  Resource = "org:gateways:write"
	ResourceOrgAnalyticsRead  Resource = "org:analytics:read"
	ResourceOrgAnalyticsWrite Resource = "org:analytics:write"
)

// Permissions of a new key: admin (everything, key management included), or a set
// of legacy endpoints and v3 resources.
type Permissions struct {
	Admin     bool
	Endpoints []Endpoint
	Resources []Resource
}

// APIKey is a created key. Pinata shows the secret and the JWT only once.
type APIKey struct {
	Key    string // the pinata_api_key value
	Secret string
	JWT    string
}

// KeyInfo is one row of the key list.
type KeyInfo struct {
	ID        string
	Name      string
	Key       string
	CreatedAt time.Time
	MaxUses   uint64 // 0 when unlimited
	Uses      uint64
	Revoked   bool
	Admin     bool
	RawJSON   string // the whole row, secrets removed
}

// KeyQuery filters the key list. A nil flag means "either".
type KeyQuery struct {
	Revoked    *bool
	LimitedUse *bool
	Exhausted  *bool  // only with a use limit
	Name       string // case-insensitive substring
	Offset     uint64
}

// KeyPage is one page of keys and the total the service reported (-1 when none).
type KeyPage struct {
	Keys  []KeyInfo
	Total int64
}

// Bool returns a pointer to b, for optional fields.
func Bool(b bool) *bool { return &b }

// Int returns a pointer to i, for optional fields.
func Int(i int) *int { return &i }

func tri(b *bool) C.int32_t {
	switch {
	case b == nil:
		return -1
	case *b:
		return 1
	default:
		return 0
	}
}

// CreateKey creates an API key (POST /users/generateApiKey; needs an admin key).
// maxUses 0 means unlimited.
func (c *Client) CreateKey(ctx context.Context, name string, perms Permissions, maxUses uint64) (*APIKey, error) {
	var a cstrings
	defer a.free()
	cname := a.str("name", name)
	resources := make([]*C.char, len(perms.Resources))
	for i, r := range perms.Resources {
		resources[i] = a.str("resource", string(r))
	}
	if a.err != nil {
		return nil, a.err
	}
	var p *C.pinata_key_permissions
	var cerr *C.pinata_error
	if st := C.pinata_key_permissions_new(&p, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	defer C.pinata_key_permissions_free(p)
	if st := C.pinata_key_permissions_set_admin(p, C.bool(perms.Admin), &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	for _, e := range perms.Endpoints {
		if st := C.pinata_key_permissions_allow_endpoint(p, C.pinata_endpoint(e), &cerr); st != C.PINATA_OK {
			return nil, takeError(st, cerr)
		}
	}
	for _, r := range resources {
		if st := C.pinata_key_permissions_allow_resource(p, r, &cerr); st != C.PINATA_OK {
			return nil, takeError(st, cerr)
		}
	}

	k, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer k.end()
	var key *C.pinata_key_result
	if st := C.pinata_keys_create(k.cl, cname, p, C.uint64_t(maxUses), &key, &cerr); st != C.PINATA_OK {
		return nil, k.fail(st, cerr)
	}
	defer C.pinata_key_result_free(key)
	return &APIKey{
		Key:    goString(C.pinata_key_result_api_key(key)),
		Secret: goString(C.pinata_key_result_secret(key)),
		JWT:    goString(C.pinata_key_result_jwt(key)),
	}, nil
}

// newKeyQuery builds the C query (NULL for a nil q).
func newKeyQuery(q *KeyQuery) (*C.pinata_key_query, error) {
	if q == nil {
		return nil, nil
	}
	var a cstrings
	defer a.free()
	name := a.opt("name", q.Name)
	if a.err != nil {
		return nil, a.err
	}
	var cq *C.pinata_key_query
	var cerr *C.pinata_error
	if st := C.pinata_key_query_new(&cq, &cerr); st != C.PINATA_OK {
		return nil, takeError(st, cerr)
	}
	st := C.pinata_key_query_set_flags(cq, tri(q.Revoked), tri(q.LimitedUse), tri(q.Exhausted), &cerr)
	if st == C.PINATA_OK {
		st = C.pinata_key_query_set_name(cq, name, &cerr)
	}
	if st == C.PINATA_OK {
		st = C.pinata_key_query_set_offset(cq, C.uint64_t(q.Offset), &cerr)
	}
	if st != C.PINATA_OK {
		C.pinata_key_query_free(cq)
		return nil, takeError(st, cerr)
	}
	return cq, nil
}

// copyKeyList copies every row of a list into Go values.
func copyKeyList(list *C.pinata_key_list) KeyPage {
	n := int(C.pinata_key_list_len(list))
	page := KeyPage{Keys: make([]KeyInfo, 0, n), Total: int64(C.pinata_key_list_total(list))}
	for i := 0; i < n; i++ {
		info := C.pinata_key_list_get(list, C.size_t(i))
		if info == nil {
			continue
		}
		page.Keys = append(page.Keys, KeyInfo{
			ID:        goString(C.pinata_key_info_id(info)),
			Name:      goString(C.pinata_key_info_name(info)),
			Key:       goString(C.pinata_key_info_key(info)),
			CreatedAt: parseTime(goString(C.pinata_key_info_created_at(info))),
			MaxUses:   uint64(C.pinata_key_info_max_uses(info)),
			Uses:      uint64(C.pinata_key_info_uses(info)),
			Revoked:   bool(C.pinata_key_info_revoked(info)),
			Admin:     bool(C.pinata_key_info_admin(info)),
			RawJSON:   goString(C.pinata_key_info_raw_json(info)),
		})
	}
	return page
}

// ListKeys lists one page of keys (GET /users/apiKeys); q may be nil.
func (c *Client) ListKeys(ctx context.Context, q *KeyQuery) (*KeyPage, error) {
	return c.listKeys(ctx, q, false)
}

// ListAllKeys lists every key matching q (nil: all keys), page after page.
func (c *Client) ListAllKeys(ctx context.Context, q *KeyQuery) ([]KeyInfo, error) {
	page, err := c.listKeys(ctx, q, true)
	if err != nil {
		return nil, err
	}
	return page.Keys, nil
}

func (c *Client) listKeys(ctx context.Context, q *KeyQuery, all bool) (*KeyPage, error) {
	cq, err := newKeyQuery(q)
	if err != nil {
		return nil, err
	}
	defer C.pinata_key_query_free(cq)
	k, err := c.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer k.end()
	var list *C.pinata_key_list
	var cerr *C.pinata_error
	var st C.pinata_status
	if all {
		st = C.pinata_keys_list_all(k.cl, cq, &list, &cerr)
	} else {
		st = C.pinata_keys_list(k.cl, cq, &list, &cerr)
	}
	if st != C.PINATA_OK {
		return nil, k.fail(st, cerr)
	}
	defer C.pinata_key_list_free(list)
	page := copyKeyList(list)
	return &page, nil
}

// RevokeKey revokes a key by its pinata_api_key value (PUT /users/revokeApiKey).
func (c *Client) RevokeKey(ctx context.Context, apiKey string) error {
	return c.callText(ctx, "api_key", apiKey,
		func(cl *C.pinata_client, key *C.char, cerr **C.pinata_error) C.pinata_status {
			return C.pinata_keys_revoke(cl, key, cerr)
		})
}
