import {describe, expect, it} from 'vitest';
import type {ConnectorsExpanded} from '../../source/clients/connect/schemas.js';
import {itemKey, pairInstances, type InstanceEvidence} from '../../source/model/join.js';
import type {Sample} from '../../source/metrics/types.js';
import {build, expandedFixture, okHealth, results} from './helpers.js';

/**
 * Pairing exporter instances with REST workers when labels and host names cannot decide:
 * three workers on one host (Connect 2.4.1 as tried), Kubernetes pod IPs against
 * advertised names, and rebalances.
 */

function evidence(instance: string, items: readonly string[], workerIdLabel?: string): InstanceEvidence {
	return {instance, workerIdLabel, items: new Set(items)};
}

function assignments(entries: Record<string, readonly string[]>): Map<string, Set<string>> {
	return new Map(Object.entries(entries).map(([id, items]) => [id, new Set(items)]));
}

describe('pairInstances', () => {
	const oneHost = assignments({
		'127.0.0.1:8083': ['file-source', 'file-source/0', 'pg-cdc/0'],
		'127.0.0.1:8084': ['pg-cdc', 'file-sink/0'],
		'127.0.0.1:8085': ['file-sink', 'file-sink/1'],
	});

	it('three workers on one host: each exporter goes to the worker whose tasks its metrics carry', () => {
		const pairing = pairInstances(
			[evidence('127.0.0.1:9404', ['file-source', 'file-source/0', 'pg-cdc/0']), evidence('127.0.0.1:9405', ['pg-cdc', 'file-sink/0']), evidence('127.0.0.1:9406', ['file-sink', 'file-sink/1'])],
			oneHost,
			new Map(),
		);
		expect(Object.fromEntries(pairing.pairs)).toEqual({'127.0.0.1:9404': '127.0.0.1:8083', '127.0.0.1:9405': '127.0.0.1:8084', '127.0.0.1:9406': '127.0.0.1:8085'});
		expect([...pairing.evidence.values()]).toEqual(['assignment', 'assignment', 'assignment']);
		expect(pairing.unpaired).toEqual([]);
	});

	it('Kubernetes: pod IPs share nothing with the advertised names, the assignment still decides', () => {
		const pairing = pairInstances(
			[evidence('10.244.1.17:9404', ['orders-cdc/0']), evidence('10.244.2.9:9404', ['orders-cdc', 's3-sink/0', 's3-sink/1'])],
			assignments({'connect-0.connect.kafka.svc:8083': ['orders-cdc/0', 's3-sink/1'], 'connect-1.connect.kafka.svc:8083': ['orders-cdc', 's3-sink/0']}),
			new Map(),
		);
		// 10.244.2.9 carries one item of connect-0 and two of connect-1: the larger overlap wins.
		expect(pairing.pairs.get('10.244.2.9:9404')).toBe('connect-1.connect.kafka.svc:8083');
		expect(pairing.pairs.get('10.244.1.17:9404')).toBe('connect-0.connect.kafka.svc:8083');
	});

	it('a worker with nothing assigned cannot be told apart: its exporter stays unpaired, never a worker of its own', () => {
		const pairing = pairInstances(
			[evidence('127.0.0.1:9404', ['a/0']), evidence('127.0.0.1:9405', ['b/0']), evidence('127.0.0.1:9406', [])],
			assignments({'127.0.0.1:8083': ['a/0'], '127.0.0.1:8084': ['b/0']}),
			new Map(),
		);
		expect(pairing.pairs.size).toBe(2);
		expect(pairing.unpaired).toEqual(['127.0.0.1:9406']);
	});

	it('a tie decides nothing', () => {
		const pairing = pairInstances(
			[evidence('127.0.0.1:9404', ['a/0', 'b/0']), evidence('127.0.0.1:9405', []), evidence('127.0.0.1:9406', [])],
			assignments({'127.0.0.1:8083': ['a/0'], '127.0.0.1:8084': ['b/0'], '127.0.0.1:8085': ['c/0']}),
			new Map(),
		);
		expect(pairing.pairs.has('127.0.0.1:9404')).toBe(false);
		expect(pairing.unpaired).toEqual(['127.0.0.1:9404', '127.0.0.1:9405', '127.0.0.1:9406']);
	});

	it('after a rebalance the new assignment pairs again; a dead worker (no metrics) keeps its previous pairing', () => {
		const before = pairInstances(
			[evidence('127.0.0.1:9404', ['a/0']), evidence('127.0.0.1:9405', ['b/0']), evidence('127.0.0.1:9406', ['c/0'])],
			assignments({'127.0.0.1:8083': ['a/0'], '127.0.0.1:8084': ['b/0'], '127.0.0.1:8085': ['c/0']}),
			new Map(),
		);
		// 8084 died: its exporter answers nothing (no items), its task moved to 8085; REST still names 8084 for nothing.
		const after = pairInstances(
			[evidence('127.0.0.1:9404', ['a/0']), evidence('127.0.0.1:9405', []), evidence('127.0.0.1:9406', ['c/0', 'b/0'])],
			assignments({'127.0.0.1:8083': ['a/0'], '127.0.0.1:8085': ['c/0', 'b/0'], '127.0.0.1:8084': []}),
			new Map(),
			before.pairs,
		);
		expect(Object.fromEntries(after.pairs)).toEqual({'127.0.0.1:9404': '127.0.0.1:8083', '127.0.0.1:9405': '127.0.0.1:8084', '127.0.0.1:9406': '127.0.0.1:8085'});
		expect(after.evidence.get('127.0.0.1:9405')).toBe('previous');
	});

	it('one instance and one worker left: paired by elimination', () => {
		const pairing = pairInstances([evidence('127.0.0.1:9404', ['a/0']), evidence('127.0.0.1:9405', [])], assignments({'127.0.0.1:8083': ['a/0'], '127.0.0.1:8084': ['b']}), new Map());
		expect(pairing.pairs.get('127.0.0.1:9405')).toBe('127.0.0.1:8084');
		expect(pairing.evidence.get('127.0.0.1:9405')).toBe('elimination');
	});

	it('--worker-map and the worker_id label come first; the host name only when one worker and one exporter share it', () => {
		const pairing = pairInstances(
			[evidence('10.0.0.9:9404', ['b/0']), evidence('x:9404', [], 'connect-9:8083'), evidence('connect-1.connect.svc:9404', []), evidence('127.0.0.1:9404', ['a/0'])],
			assignments({'connect-1:8083': ['c/0'], 'connect-2:8083': ['a/0'], 'other:8083': ['b/0']}),
			new Map([['10.0.0.9:9404', 'connect-2:8083']]),
		);
		expect(pairing.pairs.get('10.0.0.9:9404')).toBe('connect-2:8083');
		expect(pairing.evidence.get('x:9404')).toBe('label');
		expect(pairing.pairs.get('connect-1.connect.svc:9404')).toBe('connect-1:8083');
		expect(pairing.evidence.get('connect-1.connect.svc:9404')).toBe('host');
		// a/0 belongs to connect-2, which the map already took: nothing left overlaps.
		expect(pairing.unpaired).toEqual(['127.0.0.1:9404']);
	});

	it('keys connector instances and tasks apart', () => {
		expect(itemKey('a')).toBe('a');
		expect(itemKey('a', 0)).toBe('a/0');
	});
});

/** The datagen fixture (real payload): 6 tasks over two workers, worker ids 10.0.0.x:8083. */
function taskSamples(expanded: ConnectorsExpanded, instanceOf: (workerId: string) => string | undefined): Sample[] {
	const samples: Sample[] = [];
	for (const [name, entry] of Object.entries(expanded)) {
		for (const task of entry.status?.tasks ?? []) {
			const instance = instanceOf(task.worker_id);
			if (instance !== undefined) samples.push({labels: {connector: name, task: String(task.id), status: task.state.toLowerCase(), instance}, value: 1});
		}
	}
	return samples;
}

describe('workers in the snapshot', () => {
	const datagen = expandedFixture('rest-connectors-expand-info-status-datagen-6-tasks-2-workers.json');
	const workerIds = [...new Set(Object.values(datagen).flatMap(entry => (entry.status?.tasks ?? []).map(task => task.worker_id)))].sort();
	const exporterOf = new Map(workerIds.map((id, index) => [id, `10.244.0.${index + 50}:9404`]));

	it('pairs exporters by assignment in the real payload: as many workers as REST has, not twice as many', () => {
		const {snapshot} = build({
			connectors: datagen,
			metrics: results({
				workerUp: [...exporterOf.values()].map(instance => ({labels: {instance}, value: 1})),
				taskStatus: taskSamples(datagen, id => exporterOf.get(id)),
			}),
		});
		expect(workerIds).toHaveLength(2);
		expect(snapshot.workers.map(worker => [worker.id, worker.instance, worker.pairing, worker.up])).toEqual(workerIds.map(id => [id, exporterOf.get(id), 'assignment', true]));
		expect(snapshot.totals).toMatchObject({workersUp: 2, workersTotal: 2, workersDown: 0});
		expect(snapshot.unpairedInstances).toEqual([]);
	});

	it('an exporter nothing pairs is listed as unpaired, after the workers, and not counted', () => {
		const {snapshot} = build({
			connectors: datagen,
			metrics: results({
				workerUp: [...exporterOf.values(), '10.244.0.99:9404'].map(instance => ({labels: {instance}, value: 1})),
				taskStatus: taskSamples(datagen, id => exporterOf.get(id)),
			}),
		});
		expect(snapshot.workers.map(worker => worker.pairing)).toEqual(['assignment', 'assignment', 'unpaired']);
		expect(snapshot.workers.at(-1)).toMatchObject({id: '10.244.0.99:9404', instance: '10.244.0.99:9404', inRest: false});
		expect(snapshot.unpairedInstances).toEqual(['10.244.0.99:9404']);
		expect(snapshot.totals.workersTotal).toBe(2);
	});

	it('the previous refresh pairs a worker whose exporter went quiet', () => {
		const metrics = results({workerUp: [...exporterOf.values()].map(instance => ({labels: {instance}, value: 1})), taskStatus: taskSamples(datagen, id => exporterOf.get(id))});
		const first = build({connectors: datagen, metrics}).snapshot;
		const [quietWorker = '', busyWorker = ''] = workerIds;
		const quiet = exporterOf.get(quietWorker) ?? '';
		// Its exporter is down (up 0, no task series); a third exporter appears: elimination cannot decide.
		const second = build(
			{
				connectors: datagen,
				metrics: results({
					workerUp: [{labels: {instance: quiet}, value: 0}, {labels: {instance: exporterOf.get(busyWorker) ?? ''}, value: 1}, {labels: {instance: '10.244.0.99:9404'}, value: 1}],
					taskStatus: taskSamples(datagen, id => (id === quietWorker ? undefined : exporterOf.get(id))),
				}),
			},
			() => [],
			first,
		).snapshot;
		expect(second.workers.find(worker => worker.id === quietWorker)).toMatchObject({instance: quiet, pairing: 'previous', up: false});
		expect(second.totals).toMatchObject({workersUp: 1, workersDown: 1, workersTotal: 2});
		expect(second.unpairedInstances).toEqual(['10.244.0.99:9404']);
	});
});

describe('worker liveness', () => {
	const parked: ConnectorsExpanded = {
		stopped: {
			status: {name: 'stopped', connector: {state: 'STOPPED', worker_id: 'connect-1:8083'}, tasks: [], type: 'source'},
			info: {name: 'stopped', config: {'connector.class': 'x.A'}, tasks: [], type: 'source'},
		},
		orphan: {
			status: {name: 'orphan', connector: {state: 'RUNNING', worker_id: 'connect-2:8083'}, tasks: [{id: 0, state: 'UNASSIGNED', worker_id: 'connect-1:8083'}], type: 'sink'},
			info: {name: 'orphan', config: {'connector.class': 'x.B'}, tasks: [{connector: 'orphan', task: 0}], type: 'sink'},
		},
	};

	it('without metrics, a worker hosting only STOPPED and UNASSIGNED items is not down: unknown', () => {
		const {snapshot} = build({connectors: parked, metrics: undefined, metricsHealth: {...okHealth('prometheus'), everSucceeded: false, lastSuccessAt: undefined}, rest: {...okHealth('rest'), endpoint: 'http://elsewhere:8083'}});
		expect(snapshot.workers.map(worker => [worker.id, worker.up, worker.liveness])).toEqual([
			['connect-1:8083', undefined, 'unknown'],
			['connect-2:8083', undefined, 'unknown'],
		]);
		expect(snapshot.totals).toMatchObject({workersUp: 0, workersDown: 0, workersUnknown: 2, workersTotal: 2});
	});

	it('failing an exporter, REST vouches for the worker whose own endpoint answered', () => {
		const {snapshot} = build({connectors: parked, metrics: undefined, rest: {...okHealth('rest'), endpoint: 'http://Connect-1:8083/'}});
		expect(snapshot.workers.find(worker => worker.id === 'connect-1:8083')).toMatchObject({up: true, liveness: 'rest'});
		expect(snapshot.workers.find(worker => worker.id === 'connect-2:8083')).toMatchObject({up: undefined, liveness: 'unknown'});
	});

	it('the exporter\'s up decides over REST, whatever the worker hosts', () => {
		const {snapshot} = build({
			connectors: parked,
			metrics: results({workerUp: [{labels: {instance: 'connect-1:9404'}, value: 0}, {labels: {instance: 'connect-2:9404'}, value: 1}]}),
			rest: {...okHealth('rest'), endpoint: 'http://connect-1:8083'},
		});
		expect(snapshot.workers.map(worker => [worker.id, worker.up, worker.liveness, worker.pairing])).toEqual([
			['connect-1:8083', false, 'exporter', 'host'],
			['connect-2:8083', true, 'exporter', 'host'],
		]);
	});

	it('an UNASSIGNED task keeps its worker as the last known one, not as where it runs', () => {
		const {snapshot} = build({connectors: parked});
		const orphan = snapshot.connectors.find(row => row.name === 'orphan');
		expect(orphan?.tasks[0]).toMatchObject({state: 'UNASSIGNED', workerId: 'connect-1:8083', workerLastKnown: true});
		expect(orphan?.workers).toEqual(['connect-2:8083']);
	});
});
