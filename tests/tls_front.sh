# Sourced by the test scripts (after tests/emulator.sh): puts nginx, terminating TLS
# with HTTP/2 and HTTP/1.1 (ALPN), in front of a running emulator, as real users reach
# Pinata. Everything lives in a temporary directory: a test CA and server certificate
# made with openssl at start, nginx's configuration, pid, logs and temp files.
#
#   start_tls_front      needs PINATA_TEST_URL (the emulator); exports
#                        PINATA_TEST_EMULATOR_URL (the emulator itself),
#                        PINATA_TEST_URL=https://127.0.0.1:PORT (the front),
#                        PINATA_TEST_CA (the CA bundle to trust), PINATA_TEST_BEHIND_NGINX=1,
#                        TLS_FRONT_DIR (the CA's files, for certificate tests:
#                        ca.key, ca.pem) and TLS_FRONT_LOG (nginx's access log: one
#                        line "PROTOCOL METHOD PATH USER-AGENT" per request)
#   tls_front_protocols [uploads|calls]
#                        prints the protocols libpinata's requests (or only its
#                        uploads to pinFileToIPFS, or only the other calls) used so
#                        far, sorted and unique (e.g. "HTTP/2.0")
#   stop_tls_front       stops nginx and removes the directory (safe to call twice)
#   tls_free_port        prints a free loopback port
#
# The server certificate names only IP 127.0.0.1, so https://localhost:PORT is a
# hostname mismatch. nginx streams request bodies to the emulator (no buffering) and
# answers what it gets; where it changes an answer (a connection the emulator resets
# becomes "502 Bad Gateway"), emulator/README.md says so.
#
# As root, nginx runs as the user nobody (setpriv), never as root.

tls_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# tls_make_ca DIR: a test CA (DIR/ca.key, DIR/ca.pem).
tls_make_ca() {
    local dir=$1
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=libpinata test CA" \
        -keyout "$dir/ca.key" -out "$dir/ca.pem" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
        2>/dev/null
}

# tls_make_cert DIR NAME SAN [DAYS_OFFSET...]: a server certificate DIR/NAME.pem and key
# DIR/NAME.key signed by DIR/ca.*, for subjectAltName SAN (e.g. IP:127.0.0.1). With
# "expired", it is valid from 3 days ago to 1 day ago (openssl x509 -not_before/after
# need openssl 3.4, so `openssl ca` with explicit dates does it).
tls_make_cert() {
    local dir=$1 name=$2 san=$3 when=${4:-valid}
    openssl req -newkey rsa:2048 -nodes -subj "/CN=libpinata test server" \
        -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$san" \
        >"$dir/$name.ext"
    if [ "$when" = expired ]; then
        mkdir -p "$dir/ca-db"
        : >"$dir/ca-db/index.txt"
        cat >"$dir/ca-db/ca.cnf" <<EOF
[ca]
default_ca = test
[test]
database = $dir/ca-db/index.txt
new_certs_dir = $dir/ca-db
serial = $dir/ca-db/serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
EOF
        openssl rand -hex 8 >"$dir/ca-db/serial"
        openssl ca -batch -config "$dir/ca-db/ca.cnf" -cert "$dir/ca.pem" -keyfile "$dir/ca.key" \
            -in "$dir/$name.csr" -out "$dir/$name.pem" -extfile "$dir/$name.ext" -notext \
            -startdate "$(date -u -d '-3 days' +%Y%m%d%H%M%SZ)" \
            -enddate "$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)" 2>/dev/null
    else
        openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
            -CAcreateserial -days 2 -sha256 -extfile "$dir/$name.ext" -out "$dir/$name.pem" \
            2>/dev/null
    fi
}

# tls_start_nginx DIR PORT UPSTREAM CERT_NAME INSTANCE: nginx on 127.0.0.1:PORT with
# DIR/CERT_NAME.{pem,key}, proxying to UPSTREAM (host:port), its files in
# DIR/nginx-INSTANCE; waits until it answers over TLS (tls_start_nginx_unchecked: until
# it accepts connections, for a certificate curl refuses).
tls_start_nginx() {
    check=tls tls_start_nginx_any "$@"
}

tls_start_nginx_unchecked() {
    check=tcp tls_start_nginx_any "$@"
}

tls_start_nginx_any() {
    local dir=$1 port=$2 upstream=$3 cert=$4 n=$5
    local prefix=$dir/nginx-$n
    mkdir -p "$prefix/tmp" "$prefix/logs"
    cat >"$prefix/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log warn;
events { worker_connections 512; }
http {
    # One line per request: the protocol the client negotiated and its user agent,
    # so a suite can prove which HTTP version libpinata spoke.
    log_format proto '\$server_protocol \$request_method \$uri \$http_user_agent';
    access_log $prefix/logs/access.log proto;
    client_body_temp_path $prefix/tmp/body;
    proxy_temp_path $prefix/tmp/proxy;
    fastcgi_temp_path $prefix/tmp/fastcgi;
    uwsgi_temp_path $prefix/tmp/uwsgi;
    scgi_temp_path $prefix/tmp/scgi;
    # No idle upstream connections for the tests (TLS_FRONT_UPSTREAM_KEEPALIVE unset):
    # with proxy_next_upstream off, a request nginx sends on a kept connection the
    # emulator has just closed (it closes one whose request body it did not read, as
    # after an injected fault) fails as a 502 the emulator never saw, and the
    # client's retry can make the fault suite's request count one short (the likely
    # cause of a one-off test_faults failure). bench/tls.sh keeps 32, as a production
    # front would.
    upstream emulator {
        server $upstream;
        ${TLS_FRONT_UPSTREAM_KEEPALIVE:+keepalive $TLS_FRONT_UPSTREAM_KEEPALIVE;}
    }
    server {
        # nginx 1.22 (Debian 12) spells "http2 on" as a listen parameter.
        listen 127.0.0.1:$port ssl http2;
        ssl_certificate $dir/$cert.pem;
        ssl_certificate_key $dir/$cert.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        keepalive_requests 100000;
        # Pinata's key headers (pinata_api_key) have underscores, which nginx drops
        # by default.
        underscores_in_headers on;
        # Uploads stream to the emulator as they arrive, of any size.
        client_max_body_size 0;
        proxy_request_buffering off;
        proxy_buffering off;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        # The emulator builds absolute URLs (signed upload URLs, TUS Location) from
        # these: the address the client used (HTTP/2 sends no Host line) and https.
        proxy_set_header Host \$host:\$server_port;
        proxy_set_header X-Forwarded-Proto https;
        proxy_read_timeout 300s;
        proxy_send_timeout 300s;
        # Never re-send a request to the emulator: a fault it injects happens once.
        proxy_next_upstream off;
        location / {
            proxy_pass http://emulator;
        }
    }
}
EOF
    local -a run=()
    if [ "$(id -u)" = 0 ]; then
        chown -R nobody:nogroup "$prefix"
        chmod 755 "$dir"
        chmod 644 "$dir/$cert.key"
        run=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    fi
    "${run[@]}" nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log" \
        2>>"$prefix/logs/start.log" &
    TLS_FRONT_PIDS+=("$!")
    for _ in $(seq 1 100); do
        if [ "$check" = tls ]; then
            curl -s -o /dev/null --cacert "$dir/ca.pem" "https://127.0.0.1:$port/" 2>/dev/null && return 0
        else
            (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        fi
        sleep 0.05
    done
    echo "nginx did not start on 127.0.0.1:$port:" >&2
    cat "$prefix/logs/start.log" "$prefix/logs/error.log" >&2 2>/dev/null
    return 1
}

TLS_FRONT_PIDS=()

start_tls_front() {
    command -v nginx >/dev/null || { echo "nginx is missing (tests/prereqs.sh installs it)" >&2; return 1; }
    command -v openssl >/dev/null || { echo "openssl is missing" >&2; return 1; }
    TLS_FRONT_DIR=$(mktemp -d)
    export TLS_FRONT_DIR
    tls_make_ca "$TLS_FRONT_DIR" && tls_make_cert "$TLS_FRONT_DIR" server IP:127.0.0.1 || {
        echo "openssl could not make the test certificates" >&2
        return 1
    }
    local port upstream=${PINATA_TEST_URL#http://}
    port=$(tls_free_port)
    tls_start_nginx "$TLS_FRONT_DIR" "$port" "$upstream" server main || return 1
    export PINATA_TEST_EMULATOR_URL=$PINATA_TEST_URL
    export PINATA_TEST_URL=https://127.0.0.1:$port
    export PINATA_TEST_CA=$TLS_FRONT_DIR/ca.pem
    export PINATA_TEST_BEHIND_NGINX=1
    export TLS_FRONT_LOG=$TLS_FRONT_DIR/nginx-main/logs/access.log
}

tls_front_protocols() {
    local filter=(cat)
    case ${1:-} in
    uploads) filter=(grep ' /pinning/pinFileToIPFS ') ;;
    calls) filter=(grep -v ' /pinning/pinFileToIPFS ') ;;
    esac
    # (https_cases' version switches, under /version-switch-*, change the version on
    # purpose and check their own requests.)
    { grep ' libpinata/' "$TLS_FRONT_LOG" || true; } | { grep -v ' /version-switch-' || true; } |
        { "${filter[@]}" || true; } | cut -d' ' -f1 | sort -u
}

stop_tls_front() {
    local pid
    for pid in "${TLS_FRONT_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    TLS_FRONT_PIDS=()
    if [ -n "${TLS_FRONT_DIR:-}" ]; then
        rm -rf "$TLS_FRONT_DIR"
        TLS_FRONT_DIR=""
    fi
}

# tls_start_tinyproxy NAME PORT [EXTRA_CONFIG_LINE...]: tinyproxy on 127.0.0.1:PORT
# (unprivileged, in the foreground), its files under $TLS_FRONT_DIR/NAME.
tls_start_tinyproxy() {
    local name=$1 port=$2
    shift 2
    local dir=$TLS_FRONT_DIR/$name line
    mkdir -p "$dir"
    {
        echo "Port $port"
        echo "Listen 127.0.0.1"
        echo "Timeout 60"
        echo "MaxClients 64"
        echo "LogFile \"$dir/tinyproxy.log\""
        echo "LogLevel Connect"
        echo "PidFile \"$dir/tinyproxy.pid\""
        echo "Allow 127.0.0.1"
        echo "DisableViaHeader Yes"
        for line in "$@"; do echo "$line"; done
    } >"$dir/tinyproxy.conf"
    local -a run=()
    if [ "$(id -u)" = 0 ]; then
        chown -R nobody:nogroup "$dir"
        run=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    fi
    "${run[@]}" tinyproxy -d -c "$dir/tinyproxy.conf" >"$TLS_FRONT_DIR/$name.out" 2>&1 &
    TLS_FRONT_PIDS+=("$!")
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "tinyproxy ($name) did not start on 127.0.0.1:$port:" >&2
    cat "$TLS_FRONT_DIR/$name.out" >&2
    return 1
}

# start_tls_cases: after start_tls_front, the servers of the certificate and proxy
# cases, exported for the tests:
#   PINATA_TEST_TLS_MISMATCH_URL  the front as https://localhost:PORT (the certificate
#                                 names only 127.0.0.1)
#   PINATA_TEST_TLS_EXPIRED_URL   nginx with an expired certificate from the test CA
#   PINATA_TEST_TLS_PLAIN_URL     https:// to the emulator, which speaks plain HTTP
#   PINATA_TEST_TLS_STALL_URL     https:// to a listener that accepts and never answers
#   PINATA_TEST_OTHER_CA          a CA that did not sign the front's certificate
#   PINATA_TEST_NOT_PEM           a file that is not PEM
#   PINATA_TEST_PROXY_URL         tinyproxy, open to CONNECT
#   PINATA_TEST_PROXY_AUTH_URL    tinyproxy demanding Basic credentials ...
#   PINATA_TEST_PROXY_USER, PINATA_TEST_PROXY_PASSWORD  ... these
#   PINATA_TEST_PROXY_DENY_URL    tinyproxy refusing CONNECT to the front's port (403)
#   TLS_FRONT_PROXY_LOG           the open proxy's log (one CONNECT line per tunnel)
start_tls_cases() {
    local front_port=${PINATA_TEST_URL##*:} port dir=$TLS_FRONT_DIR
    export PINATA_TEST_TLS_MISMATCH_URL=https://localhost:$front_port

    tls_make_cert "$dir" expired IP:127.0.0.1 expired || { echo "openssl: no expired certificate" >&2; return 1; }
    port=$(tls_free_port)
    tls_start_nginx_unchecked "$dir" "$port" "${PINATA_TEST_EMULATOR_URL#http://}" expired expired || return 1
    export PINATA_TEST_TLS_EXPIRED_URL=https://127.0.0.1:$port

    export PINATA_TEST_TLS_PLAIN_URL=https://${PINATA_TEST_EMULATOR_URL#http://}

    port=$(tls_free_port)
    python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
held = []
while True:
    c, _ = s.accept(); held.append(c)  # accepted, never answered
' "$port" &
    TLS_FRONT_PIDS+=("$!")
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.05
    done
    export PINATA_TEST_TLS_STALL_URL=https://127.0.0.1:$port

    mkdir -p "$dir/other"
    tls_make_ca "$dir/other"
    export PINATA_TEST_OTHER_CA=$dir/other/ca.pem
    printf 'this is not a PEM certificate bundle\n' >"$dir/not-pem.txt"
    export PINATA_TEST_NOT_PEM=$dir/not-pem.txt

    command -v tinyproxy >/dev/null || { echo "tinyproxy is missing (tests/prereqs.sh installs it)" >&2; return 1; }
    port=$(tls_free_port)
    tls_start_tinyproxy proxy-open "$port" "ConnectPort $front_port" || return 1
    export PINATA_TEST_PROXY_URL=http://127.0.0.1:$port
    export TLS_FRONT_PROXY_LOG=$dir/proxy-open/tinyproxy.log
    export PINATA_TEST_PROXY_USER=pinata-proxy-user
    export PINATA_TEST_PROXY_PASSWORD=pr0xy-s3cret-$RANDOM$RANDOM
    port=$(tls_free_port)
    tls_start_tinyproxy proxy-auth "$port" "ConnectPort $front_port" \
        "BasicAuth $PINATA_TEST_PROXY_USER $PINATA_TEST_PROXY_PASSWORD" || return 1
    export PINATA_TEST_PROXY_AUTH_URL=http://127.0.0.1:$port
    port=$(tls_free_port)
    # Only CONNECT to port 1 is allowed: the front's port gets 403.
    tls_start_tinyproxy proxy-deny "$port" "ConnectPort 1" || return 1
    export PINATA_TEST_PROXY_DENY_URL=http://127.0.0.1:$port
}
