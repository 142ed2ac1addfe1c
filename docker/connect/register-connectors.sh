#!/bin/sh
# One-shot setup: waits for the Connect REST API, then creates or updates the demo
# connectors with PUT /connectors/<name>/config (idempotent: 201 created, 200 updated).
set -eu

CONNECT_URL="${CONNECT_URL:-http://connect-1:8083}"

echo "waiting for ${CONNECT_URL}"
attempt=0
until curl -fsS "${CONNECT_URL}/connector-plugins" | grep -q 'io.debezium.connector.mysql.MySqlConnector'; do
	attempt=$((attempt + 1))
	if [ "${attempt}" -ge 90 ]; then
		echo "Kafka Connect did not come up at ${CONNECT_URL}" >&2
		exit 1
	fi
	sleep 2
done

for file in /setup/cdc-test-connector.json /setup/cdc-other-connector.json; do
	name=$(sed -n 's/^ *"name": *"\([^"]*\)".*/\1/p' "${file}")
	echo "registering ${name}"
	attempt=0
	# 409 while the workers rebalance: try again
	until status=$(curl -sS -o /tmp/response -w '%{http_code}' -X PUT -H 'Content-Type: application/json' --data @"${file}" "${CONNECT_URL}/connectors/${name}/config") && [ "${status}" = 200 -o "${status}" = 201 ]; do
		attempt=$((attempt + 1))
		if [ "${attempt}" -ge 30 ]; then
			echo "could not register ${name}: HTTP ${status:-none} $(cat /tmp/response 2>/dev/null)" >&2
			exit 1
		fi
		sleep 2
	done
	echo "${name}: HTTP ${status}"
done
