import {describe, expect, it} from 'vitest';
import {KctopError} from '../../source/clients/errors.js';
import {catchAllProfile} from '../../source/metrics/profiles/catch-all.js';
import {defaultProfile, kctopProfile} from '../../source/metrics/profiles/default.js';
import {joinOr, quotePromQLString, selectorToString, toPromQL} from '../../source/metrics/promql.js';
import type {LogicalMetricId, MetricDefinition} from '../../source/metrics/types.js';
import {logicalMetricIds} from '../../source/metrics/types.js';

const streaming = '{context=~"streaming|binlog"}';

const expected: Record<LogicalMetricId, string> = {
	workerUp: 'max by (instance, job, worker_id) (up{job=~".*connect.*"})',
	workerConnectorCount: 'max by (instance, worker_id) (kafka_connect_worker_connector_count)',
	workerTaskCount: 'max by (instance, worker_id) (kafka_connect_worker_task_count)',
	workerRebalancing: 'max by (instance, worker_id) (kafka_connect_worker_rebalancing)',
	connectorStatus: 'max by (connector, status, instance) (kafka_connect_connector_status)',
	taskStatus: 'max by (connector, task, status, instance) (kafka_connect_task_status)',
	dbzConnected: `min by (server, plugin) (debezium_connected${streaming})`,
	dbzMsBehindSource: `max by (server) (debezium_milli_seconds_behind_source${streaming})`,
	dbzMsSinceLastEvent: `max by (server) (debezium_milli_seconds_since_last_event${streaming})`,
	dbzEventsRate: 'sum by (server) (rate(debezium_total_number_of_events_seen[1m]))',
	dbzErroneousEvents: 'sum by (server) (debezium_number_of_erroneous_events)',
	dbzSnapshotRunning: 'max by (server) (debezium_snapshot_running{context="snapshot"})',
	dbzSnapshotTablesTotal: 'sum by (server) (debezium_total_table_count{context="snapshot"})',
	dbzSnapshotTablesRemaining: 'sum by (server) (debezium_remaining_table_count{context="snapshot"})',
	dbzQueueRemaining: `sum by (server) (debezium_queue_remaining_capacity${streaming})`,
	dbzQueueTotal: `sum by (server) (debezium_queue_total_capacity${streaming})`,
	dbzSnapshotRows: 'sum by (server) (debezium_total_number_of_events_seen{context="snapshot"})',
	recordRate:
		'sum by (connector) (rate(kafka_connect_source_task_source_record_write_total[1m])) or sum by (connector) (rate(kafka_connect_sink_task_sink_record_read_total[1m]))',
	recordErrors: 'sum by (connector) (kafka_connect_task_record_errors_total)',
	recordFailures: 'sum by (connector) (kafka_connect_task_record_failures_total)',
	dlqWrites: 'sum by (connector) (kafka_connect_task_deadletterqueue_produce_requests_total)',
	sinkLag: 'max by (connector) (kafka_connect_sink_consumer_records_lag_max)',
	sinkOffsetCommits: 'sum by (connector) (kafka_connect_sink_task_offset_commit_completion_total)',
	taskRunningRatio: 'max by (connector, task, instance) (kafka_connect_task_running_ratio)',
};

const options = {rateWindow: '1m', upMatchers: [{label: 'job', op: '=~', value: '.*connect.*'}]} as const;

describe('toPromQL over the default profile', () => {
	it.each(logicalMetricIds.map((id) => [id]))('%s', (id) => {
		const definition = defaultProfile.metrics[id];
		expect(definition).toBeDefined();
		if (definition !== undefined) {
			expect(toPromQL(definition, options)).toBe(expected[id]);
		}
	});

	it('applies upMatchers to workerUp only, and leaves `up` bare without them', () => {
		const up = defaultProfile.metrics.workerUp;
		const lag = defaultProfile.metrics.sinkLag;
		expect(up && toPromQL(up, {rateWindow: '1m'})).toBe('max by (instance, job, worker_id) (up)');
		expect(lag && toPromQL(lag, options)).toBe(expected.sinkLag);
	});

	it('uses the given rate window', () => {
		const events = defaultProfile.metrics.dbzEventsRate;
		expect(events && toPromQL(events, {rateWindow: '5m30s'})).toBe('sum by (server) (rate(debezium_total_number_of_events_seen[5m30s]))');
	});

	it('rejects a rate window that is not a Prometheus duration', () => {
		const events = defaultProfile.metrics.dbzEventsRate;
		expect(() => events && toPromQL(events, {rateWindow: '1 minute'})).toThrow(KctopError);
		expect(() => events && toPromQL(events, {rateWindow: '1m])'})).toThrow(/invalid rate window/);
	});

	it('writes an empty by () for a total over everything', () => {
		const total: MetricDefinition = {id: 'recordErrors', entity: 'connector', series: [{name: 'x_total'}], kind: 'counter', transform: 'value', aggregate: 'sum', by: []};
		expect(toPromQL(total, options)).toBe('sum by () (x_total)');
	});
});

describe('escaping', () => {
	it('quotes label values as PromQL string literals', () => {
		expect(quotePromQLString('plain')).toBe('"plain"');
		expect(quotePromQLString('say "hi"')).toBe('"say \\"hi\\""');
		expect(quotePromQLString('C:\\dir')).toBe('"C:\\\\dir"');
		expect(quotePromQLString('two\nlines\ttab')).toBe('"two\\nlines\\ttab"');
		expect(quotePromQLString('bell\u0007')).toBe('"bell\\x07"');
		expect(quotePromQLString('ünïcödé ✓')).toBe('"ünïcödé ✓"');
	});

	it('writes selectors with every matcher operator, escaping values and regexes', () => {
		expect(selectorToString({name: 'up'})).toBe('up');
		expect(selectorToString({name: 'up', matchers: []})).toBe('up');
		expect(
			selectorToString({
				name: 'kafka_connect_connector_status',
				matchers: [
					{label: 'connector', op: '=', value: '"my:conn"'},
					{label: 'status', op: '!=', value: 'running'},
					{label: 'instance', op: '=~', value: 'connect-\\d+\\.example\\.com:9404'},
					{label: 'job', op: '!~', value: 'kafka|zookeeper'},
				],
			}),
		).toBe(
			'kafka_connect_connector_status{connector="\\"my:conn\\"",status!="running",instance=~"connect-\\\\d+\\\\.example\\\\.com:9404",job!~"kafka|zookeeper"}',
		);
	});

	it('rejects metric and label names that PromQL cannot express unquoted', () => {
		expect(() => selectorToString({name: 'my.metric'})).toThrow(/invalid metric name/);
		expect(() => selectorToString({name: 'ok', matchers: [{label: 'bad-label', op: '=', value: 'x'}]})).toThrow(/invalid label name/);
		const definition: MetricDefinition = {id: 'sinkLag', entity: 'connector', series: [{name: 'lag'}], kind: 'gauge', transform: 'value', aggregate: 'max', by: ['con nector']};
		expect(() => toPromQL(definition, options)).toThrow(KctopError);
	});
});

const catalogLag: MetricDefinition = {id: 'sinkLag', entity: 'connector', series: [], kind: 'gauge', transform: 'value', aggregate: 'max', by: ['connector']};

describe('toPromQL over the fall-backs every built-in profile has', () => {
	it('sink lag: kafka-exporter first, then each consumer spelling, the connector taken from the group or client id', () => {
		const lag = kctopProfile.metrics.sinkLag;
		expect(lag && toPromQL(lag, options)).toBe(
			[
				'max by (connector) (label_replace(kafka_consumergroup_lag{consumergroup=~"connect-.+"}, "connector", "$1", "consumergroup", "connect-(.+)"))',
				'max by (connector) (kafka_connect_sink_consumer_records_lag_max)',
				'max by (connector) (label_replace(kafka_consumer_consumer_fetch_manager_metrics_records_lag_max{client_id=~"connector-consumer-.+"}, "connector", "$1", "client_id", "connector-consumer-(.+)-[0-9]+"))',
				'max by (connector) (label_replace(kafka_consumer_fetch_manager_records_lag{clientid=~"connector-consumer-.+"}, "connector", "$1", "clientid", "connector-consumer-(.+)-[0-9]+"))',
				'max by (connector) (label_replace(kafka_consumer_fetch_manager_records_lag_max{clientid=~"connector-consumer-.+"}, "connector", "$1", "clientid", "connector-consumer-(.+)-[0-9]+"))',
			].join(' or '),
		);
	});

	it('Debezium connected: server from debezium-examples’ name label, plugin from the catch-all metric name', () => {
		const connected = kctopProfile.metrics.dbzConnected;
		expect(connected && toPromQL(connected, options)).toBe(
			[
				`min by (server, plugin) (debezium_connected${streaming})`,
				`min by (server, plugin) (label_replace(debezium_metrics_Connected${streaming}, "server", "$1", "name", "(.*)"))`,
				`min by (server, plugin) (label_replace(debezium_metrics_connected${streaming}, "server", "$1", "name", "(.*)"))`,
				'min by (server, plugin) (label_replace({__name__=~"debezium_[a-z0-9_]+_connector_metrics_(?:Connected|connected)",context=~"streaming|binlog"}, "plugin", "$1", "__name__", "debezium_([a-z0-9_]+)_connector_metrics_.+"))',
			].join(' or '),
		);
	});

	it('a rate never runs over a name regex (two families with one server would collide once rate() drops the name)', () => {
		const events = catchAllProfile.metrics.dbzEventsRate;
		const promql = events === undefined ? '' : toPromQL(events, options);
		expect(promql.startsWith('sum by (server) (rate(debezium_mysql_connector_metrics_TotalNumberOfEventsSeen[1m])) or sum by (server) (rate(debezium_mysql_connector_metrics_totalnumberofeventsseen[1m]))')).toBe(true);
		expect(promql).not.toContain('__name__');
		expect(promql).toContain('rate(debezium_sql_server_connector_metrics_TotalNumberOfEventsSeen[1m])');
	});

	it('relabel targets and sources must be label names', () => {
		expect(() => toPromQL({...catalogLag, series: [{name: 'x', relabel: [{target: 'bad-label', source: 'a', regex: '(.*)'}]}]}, options)).toThrow(/invalid label name/);
	});
});

describe('joinOr', () => {
	it('joins up to two parts as a plain `or`, more as a balanced tree with the parts in order', () => {
		expect(joinOr([])).toBe('');
		expect(joinOr(['a'])).toBe('a');
		expect(joinOr(['a', 'b'])).toBe('a or b');
		expect(joinOr(['a', 'b', 'c'])).toBe('(a or b) or c');
		expect(joinOr(['a', 'b', 'c', 'd'])).toBe('(a or b) or (c or d)');
		expect(joinOr(['a', 'b', 'c', 'd', 'e'])).toBe('((a or b) or c) or (d or e)');
	});

	it('nests about log2(parts) deep, so no row passes through more than that many `or`s', () => {
		const parts = Array.from({length: 40}, (_, index) => `m${index}`);
		const joined = joinOr(parts);
		expect(joined.replace(/[()]/g, '').split(' or ')).toEqual(parts);
		let depth = 0;
		let deepest = 0;
		for (const char of joined) {
			if (char === '(') deepest = Math.max(deepest, ++depth);
			else if (char === ')') depth -= 1;
		}
		expect(deepest).toBe(Math.ceil(Math.log2(40)) - 1);
	});
});
