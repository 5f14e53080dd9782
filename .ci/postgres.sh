#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on a free loopback port, with its data in DIR.
#
#   .ci/postgres.sh start DIR   starts it; writes DIR/url (mode 600): postgres://provision:PASSWORD@127.0.0.1:PORT/provision_test
#   .ci/postgres.sh stop DIR    stops it and removes DIR
#
# The password is random and is written only to DIR/url; nothing here prints it. The server refuses to run
# as root, so it runs as the unprivileged user postgres (created when missing). PostgreSQL's binaries come
# from the machine (/usr/lib/postgresql/*/bin), else from Debian's postgresql package.
set -euo pipefail

command=${1:?usage: .ci/postgres.sh start|stop DIR}
dir=${2:?usage: .ci/postgres.sh start|stop DIR}
data="$dir/data"

find_bin() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z "$found" || ! -x "$found/pg_ctl" ]]; then
        echo "PostgreSQL binaries not found; installing Debian's postgresql package" >&2
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        found=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    echo "$found"
}

# Runs a command as the server's user (directly when not root).
as_server_user() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    local bin port password
    bin=$(find_bin)
    if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
    fi
    mkdir -p "$dir"
    chmod 755 "$dir"
    install -d -m 700 "$data"
    [[ $(id -u) -eq 0 ]] && chown postgres "$data"
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    umask 077
    printf '%s\n' "$password" > "$dir/password"
    [[ $(id -u) -eq 0 ]] && chown postgres "$dir/password"
    as_server_user "$bin/initdb" -D "$data" -U provision --auth=scram-sha-256 --pwfile="$dir/password" -E UTF8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$dir/password"
    port=$(free_port)
    as_server_user "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $data -c max_connections=200 -c fsync=off" start >/dev/null \
        || { cat "$data/server.log" >&2; exit 1; }
    "$bin/pg_isready" -h 127.0.0.1 -p "$port" -t 30 >/dev/null
    PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$port" -U provision -d postgres -qAt -c 'CREATE DATABASE provision_test' >/dev/null
    printf 'postgres://provision:%s@127.0.0.1:%s/provision_test?sslmode=disable\n' "$password" "$port" > "$dir/url"
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port (data in $data)"
}

stop() {
    [[ -d "$data" ]] || return 0
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    as_server_user "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

case "$command" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: .ci/postgres.sh start|stop DIR" >&2; exit 2 ;;
esac
