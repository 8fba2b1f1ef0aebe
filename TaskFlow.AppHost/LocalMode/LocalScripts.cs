namespace TaskFlow.AppHost.LocalMode;

/// <summary>
/// Start scripts of the local servers. Each ends in <c>exec</c>, so the process Aspire monitors (and stops)
/// is the server itself. Servers that refuse to run as root are started as their Debian system user.
/// </summary>
internal static class LocalScripts
{
    public const string Postgres = """
        set -e
        BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
        [ -x "$BIN/postgres" ] || { echo "PostgreSQL is not installed: run ./run.sh (it installs the local-mode packages)" >&2; exit 1; }
        mkdir -p "$PG_DATA_DIR"
        AS=""
        if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PG_DATA_DIR"; AS="setpriv --reuid=postgres --regid=postgres --init-groups --"; fi
        chmod 700 "$PG_DATA_DIR"
        if [ ! -s "$PG_DATA_DIR/PG_VERSION" ]; then $AS "$BIN/initdb" -D "$PG_DATA_DIR" -U postgres --auth=trust -E UTF8 >/dev/null; fi
        for db in $PG_DATABASES; do
          if [ ! -f "$PG_DATA_DIR/taskflow-created-$db" ]; then
            echo "CREATE DATABASE \"$db\";" | $AS "$BIN/postgres" --single -D "$PG_DATA_DIR" -j postgres >/dev/null || true
            $AS touch "$PG_DATA_DIR/taskflow-created-$db"
          fi
        done
        exec $AS "$BIN/postgres" -D "$PG_DATA_DIR" -p "$PG_PORT" -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on -c log_min_messages=warning -c log_min_error_statement=fatal -c log_checkpoints=off
        """;

    public const string Redis = """
        set -e
        command -v redis-server >/dev/null || { echo "redis-server is not installed: run ./run.sh (it installs the local-mode packages)" >&2; exit 1; }
        mkdir -p "$REDIS_DATA_DIR"
        exec redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$REDIS_DATA_DIR" --appendonly yes --save "" --protected-mode yes
        """;

    public const string RabbitMQ = """
        set -e
        [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || { echo "rabbitmq-server is not installed: run ./run.sh (it installs the local-mode packages)" >&2; exit 1; }
        mkdir -p "$RABBIT_DATA_DIR/mnesia" "$RABBIT_DATA_DIR/log"
        echo '[].' > "$RABBIT_DATA_DIR/enabled_plugins"
        export RABBITMQ_MNESIA_BASE="$RABBIT_DATA_DIR/mnesia" RABBITMQ_LOG_BASE="$RABBIT_DATA_DIR/log"
        export RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DATA_DIR/enabled_plugins" RABBITMQ_LOGS=- RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
        if [ "$(id -u)" = 0 ]; then
          chown -R rabbitmq:rabbitmq "$RABBIT_DATA_DIR"
          export HOME=/var/lib/rabbitmq
          exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups -- /usr/lib/rabbitmq/bin/rabbitmq-server
        fi
        exec /usr/lib/rabbitmq/bin/rabbitmq-server
        """;

    public const string MongoStandIn = """
        set -e
        [ -f "$MONGO_STANDIN_DLL" ] || { echo "MongoDB stand-in not built: $MONGO_STANDIN_DLL" >&2; exit 1; }
        mkdir -p "$MONGO_DATA_DIR"
        exec dotnet "$MONGO_STANDIN_DLL" --port "$MONGO_PORT" --data "$MONGO_DATA_DIR"
        """;
}
