#!/bin/bash
#
# DevStack plugin for Watcher: installs the package, writes watcher.conf, registers the
# infra-optim service in Keystone, creates and migrates the database, registers the plugins
# (watcher-sync) and runs watcher-api, watcher-decision-engine and watcher-applier.

# Save trace setting and turn it on for this file only.
_XTRACE_WATCHER=$(set +o | grep xtrace)
set -o xtrace

function is_watcher_enabled {
    is_service_enabled watcher-api watcher-decision-engine watcher-applier && return 0
    return 1
}

function install_watcher {
    setup_develop "$WATCHER_DIR"
    if [[ "$WATCHER_INSTALL_CLIENT" == "True" ]]; then
        pip_install_gr python-watcherclient
    fi
}

function create_watcher_accounts {
    create_service_user "watcher" "admin"
    local service_id
    service_id=$(get_or_create_service "watcher" "infra-optim" "Watcher Infrastructure Optimization Service")
    get_or_create_endpoint "$service_id" "$REGION_NAME" \
        "$WATCHER_SERVICE_PROTOCOL://$WATCHER_SERVICE_HOST:$WATCHER_SERVICE_PORT"
}

# Credentials Watcher uses towards Nova, Cinder, Placement and Keystone.
function _configure_watcher_client_auth {
    local group=$1
    iniset "$WATCHER_CONF" "$group" auth_type password
    iniset "$WATCHER_CONF" "$group" auth_url "$KEYSTONE_SERVICE_URI"
    iniset "$WATCHER_CONF" "$group" username watcher
    iniset "$WATCHER_CONF" "$group" password "$SERVICE_PASSWORD"
    iniset "$WATCHER_CONF" "$group" project_name "$SERVICE_PROJECT_NAME"
    iniset "$WATCHER_CONF" "$group" user_domain_name "$SERVICE_DOMAIN_NAME"
    iniset "$WATCHER_CONF" "$group" project_domain_name "$SERVICE_DOMAIN_NAME"
}

function configure_watcher {
    sudo install -d -o "$STACK_USER" "$WATCHER_CONF_DIR" "$WATCHER_STATE_PATH"
    sudo install -d -o "$STACK_USER" -m 700 "$WATCHER_AUTH_CACHE_DIR"
    rm -f "$WATCHER_CONF"

    # A commented sample next to the live file helps operators find the other options.
    (cd "$WATCHER_DIR" && oslo-config-generator \
        --config-file etc/watcher/oslo-config-generator/watcher.conf \
        --output-file "$WATCHER_CONF_DIR/watcher.conf.sample")
    (cd "$WATCHER_DIR" && oslopolicy-sample-generator \
        --config-file etc/watcher/oslo-policy-generator/watcher-policy-generator.conf \
        --output-file "$WATCHER_POLICY_YAML") || true

    iniset "$WATCHER_CONF" DEFAULT debug "$ENABLE_DEBUG_LOG_LEVEL"
    iniset "$WATCHER_CONF" DEFAULT state_path "$WATCHER_STATE_PATH"
    iniset "$WATCHER_CONF" DEFAULT host "$HOSTNAME"
    iniset_rpc_backend watcher "$WATCHER_CONF"
    iniset "$WATCHER_CONF" oslo_messaging_notifications driver messagingv2

    iniset "$WATCHER_CONF" api host "$WATCHER_SERVICE_HOST"
    iniset "$WATCHER_CONF" api port "$WATCHER_SERVICE_PORT"
    iniset "$WATCHER_CONF" database connection "$(database_connection_url watcher)"

    configure_keystone_authtoken_middleware "$WATCHER_CONF" watcher
    iniset "$WATCHER_CONF" keystone_authtoken memcached_servers "$MEMCACHE_SERVERS"
    _configure_watcher_client_auth watcher_clients_auth

    iniset "$WATCHER_CONF" nova api_version "$WATCHER_NOVA_API_VERSION"
    iniset "$WATCHER_CONF" collector collector_plugins "$WATCHER_COLLECTOR_PLUGINS"
    if [[ -n "$WATCHER_DATASOURCES" ]]; then
        iniset "$WATCHER_CONF" watcher_datasources datasources "$WATCHER_DATASOURCES"
    fi

    # Nova must publish versioned notifications for the model to follow instance changes.
    if is_service_enabled n-cpu n-api; then
        iniset "$NOVA_CONF" notifications notification_format both
        iniset "$NOVA_CONF" notifications notify_on_state_change vm_and_task_state
    fi
}

function init_watcher {
    recreate_database watcher
    watcher-db-manage --config-file "$WATCHER_CONF" upgrade
    watcher-sync --config-file "$WATCHER_CONF"
}

function start_watcher {
    run_process watcher-api "$(which watcher-api) --config-file $WATCHER_CONF"
    echo "Waiting for watcher-api to answer on port $WATCHER_SERVICE_PORT"
    if ! wait_for_service "$SERVICE_TIMEOUT" \
            "$WATCHER_SERVICE_PROTOCOL://$WATCHER_SERVICE_HOST:$WATCHER_SERVICE_PORT"; then
        die $LINENO "watcher-api did not start"
    fi
    run_process watcher-decision-engine "$(which watcher-decision-engine) --config-file $WATCHER_CONF"
    run_process watcher-applier "$(which watcher-applier) --config-file $WATCHER_CONF"
}

function stop_watcher {
    local service
    for service in watcher-api watcher-decision-engine watcher-applier; do
        stop_process "$service"
    done
}

function cleanup_watcher {
    sudo rm -rf "$WATCHER_STATE_PATH" "$WATCHER_AUTH_CACHE_DIR" "$WATCHER_CONF_DIR"
}

if is_watcher_enabled; then
    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        echo_summary "Installing Watcher"
        install_watcher
    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        echo_summary "Configuring Watcher"
        configure_watcher
        if is_service_enabled key; then
            create_watcher_accounts
        fi
    elif [[ "$1" == "stack" && "$2" == "extra" ]]; then
        echo_summary "Initializing and starting Watcher"
        init_watcher
        start_watcher
    fi

    if [[ "$1" == "unstack" ]]; then
        stop_watcher
    fi

    if [[ "$1" == "clean" ]]; then
        cleanup_watcher
    fi
fi

# Restore xtrace.
$_XTRACE_WATCHER
