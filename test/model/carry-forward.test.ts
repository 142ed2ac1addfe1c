import {describe, expect, it} from 'vitest';
import {carryMissingMetrics} from '../../source/model/carry-forward.js';
import {dbzText, lagCell} from '../../source/ui/layout/columns.js';
import {lineText} from '../../source/ui/lines.js';
import {makeTheme} from '../../source/ui/theme.js';
import {headerLines} from '../../source/ui/views/header.js';
import {workerMetricsCell} from '../../source/ui/views/workers-metrics.js';
import {makeConnector, makeDebezium, makeHealth, makeSnapshot, makeWorker, takenAt} from '../helpers/snapshot-factory.js';

/**
 * Partial metric answers (issue #8, `prometheus:partial`): Prometheus answers, but without
 * any series of worker c2. Its METRICS and the lag and Debezium state of what it runs keep
 * their last values, marked old with their age; the header names the source, the worker and
 * since when.
 */

const theme = makeTheme({ascii: false, color: false});
const sink = (overrides: Parameters<typeof makeConnector>[0]) => makeConnector({type: 'sink', workerId: 'c2:8083', workers: ['c2:8083'], ...overrides});
const cdc = (overrides: Parameters<typeof makeConnector>[0]) => makeConnector({type: 'source', workerId: 'c1:8083', workers: ['c1:8083'], ...overrides});

/** Before: both workers' series came. */
const before = makeSnapshot({
	takenAt: takenAt - 10_000,
	workers: [makeWorker({id: 'c1:8083'}), makeWorker({id: 'c2:8083', metricConnectors: 1, metricTasks: 3})],
	connectors: [sink({name: 'orders-sink', lag: 24, lagUnit: 'records'}), cdc({name: 'cdc-inventory', lag: 279, lagUnit: 'ms', debezium: makeDebezium({connected: true})})],
});

/** Now: no series of c2 (no instance pairs with it), so the sink on it has no lag. */
const missingC2 = makeWorker({id: 'c2:8083', instance: undefined, up: undefined, liveness: 'unknown', pairing: 'rest', metricConnectors: undefined, metricTasks: undefined, rebalancing: undefined});
const now = makeSnapshot({
	workers: [makeWorker({id: 'c1:8083'}), missingC2],
	connectors: [sink({name: 'orders-sink', lag: undefined, lagUnit: undefined}), cdc({name: 'cdc-inventory', lag: 280, lagUnit: 'ms', debezium: makeDebezium({connected: true})})],
});

describe('carryMissingMetrics', () => {
	it('keeps the missing worker\'s counts and the lag of what it runs, marked old with their age; the rest is untouched', () => {
		const carried = carryMissingMetrics(now, before);
		const c2 = carried.workers.find(worker => worker.id === 'c2:8083');
		expect(c2).toMatchObject({up: undefined, instance: 'c2:9404', metricConnectors: 1, metricTasks: 3, metricsStale: {ageMs: 10_000, missing: true}});
		expect(carried.workers.find(worker => worker.id === 'c1:8083')?.metricsStale).toBeUndefined();
		const orders = carried.connectors.find(row => row.name === 'orders-sink');
		// Never current: lag stays unknown for health and `check`; the old value is there to show, marked.
		expect(orders?.lag).toBeUndefined();
		expect(orders?.staleMetrics).toEqual({ageMs: 10_000, lag: 24, connected: undefined});
		expect(carried.connectors.find(row => row.name === 'cdc-inventory')).toEqual(now.connectors[1]);
	});

	it('ages on over the following refreshes, counted from the last answer that had the series', () => {
		const second = carryMissingMetrics(now, before);
		const third = carryMissingMetrics({...now, takenAt: takenAt + 30_000}, second);
		expect(third.workers.find(worker => worker.id === 'c2:8083')?.metricsStale).toEqual({ageMs: 40_000, missing: true});
		expect(third.connectors.find(row => row.name === 'orders-sink')?.staleMetrics).toEqual({ageMs: 40_000, lag: 24, connected: undefined});
	});

	it('keeps carrying while the metrics source fails (the snapshot is rebuilt from the last good, partial, answer), so the values come back after it', () => {
		const second = carryMissingMetrics(now, before);
		const failing = {...now, takenAt: takenAt + 5000, metrics: makeHealth({source: 'prometheus', stale: true, lastError: 'connect ECONNREFUSED'})};
		const during = carryMissingMetrics(failing, second);
		expect(during.workers.find(worker => worker.id === 'c2:8083')).toMatchObject({metricConnectors: 1, metricsStale: {ageMs: 15_000, missing: true}});
		const after = carryMissingMetrics({...now, takenAt: takenAt + 10_000}, during);
		expect(after.connectors.find(row => row.name === 'orders-sink')?.staleMetrics).toEqual({ageMs: 20_000, lag: 24, connected: undefined});
	});

	it('changes nothing on the first refresh, or before the metrics source ever answered', () => {
		expect(carryMissingMetrics(now, undefined)).toBe(now);
		const never = {...now, metrics: makeHealth({source: 'prometheus', everSucceeded: false, lastSuccessAt: undefined, lastError: 'connect ECONNREFUSED'})};
		expect(carryMissingMetrics(never, before)).toBe(never);
	});

	it('carries nothing for a worker that never had series (a new worker whose exporter is not scraped yet)', () => {
		const earlier = {...before, workers: [makeWorker({id: 'c1:8083'})]};
		expect(carryMissingMetrics(now, earlier)).toBe(now);
	});
});

describe('what the screen shows for a partial answer', () => {
	it('the header names the source, the worker, since when and what it means, within 80 columns', () => {
		const carried = carryMissingMetrics(now, before);
		const lines = headerLines({snapshot: carried, demo: false, refreshing: false, frozen: undefined, theme, width: 80, now: takenAt + 30_000}).map(line => lineText(line));
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
		expect(lines).toContain('⚠ Prometheus partial: c2:8083 no samples 40s — old values marked ?');
		expect(lines.join('\n')).toContain('· Prometheus partial ·');
		expect(lines.join('\n')).not.toContain('Prometheus ok');
	});

	it('the grid\'s lag and DBZ cells show the last values marked ?, with their age where the column has room; the detail view always has it', () => {
		const later = carryMissingMetrics({...now, connectors: [...now.connectors, cdc({name: 'cdc-orders', workerId: 'c2:8083', workers: ['c2:8083'], lag: undefined, debezium: makeDebezium({connected: undefined})})]}, {...before, connectors: [...before.connectors, cdc({name: 'cdc-orders', workerId: 'c2:8083', workers: ['c2:8083'], lag: 279, debezium: makeDebezium({connected: false})})]});
		const orders = later.connectors.find(row => row.name === 'orders-sink');
		const cdcOrders = later.connectors.find(row => row.name === 'cdc-orders');
		if (orders === undefined || cdcOrders === undefined) throw new Error('rows missing');
		expect(lagCell(orders, theme, 11)).toEqual({text: '24 rec? 10s', dim: true});
		expect(lagCell(orders, theme, 8)).toEqual({text: '24 rec?', dim: true});
		expect(lagCell(cdcOrders, theme, 11)).toEqual({text: '279ms? 10s', dim: true});
		expect(dbzText(cdcOrders, theme, 3)).toEqual({text: 'NO?', dim: true});
		expect(dbzText(cdcOrders, theme)).toEqual({text: 'NO? 10s', dim: true});
	});

	it('the workers view\'s METRICS cell marks old counts with their age, dim; current ones as before', () => {
		const carried = carryMissingMetrics(now, before);
		const [c1, c2] = carried.workers;
		expect(c2 === undefined ? undefined : workerMetricsCell(c2, theme)).toEqual({text: '1c/3t? 10s', dim: true});
		expect(c1 === undefined ? undefined : workerMetricsCell(c1, theme)).toEqual({text: '2c/4t'});
		// Samples Prometheus kept serving (not missing, but old) read the same way.
		expect(workerMetricsCell(makeWorker({id: 'c3:8083', metricsStale: {ageMs: 180_000, missing: false}}), theme)).toEqual({text: '2c/4t? 3m0s', dim: true});
	});
});
