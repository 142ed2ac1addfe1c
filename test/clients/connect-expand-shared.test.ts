import v8 from 'node:v8';
import {describe, expect, it} from 'vitest';
import {z} from 'zod';
import {readConnectorsExpanded} from '../../source/clients/connect/expand.js';

/**
 * readConnectorsExpanded keeps one copy of each text the expand body repeats (states, workers,
 * types, config values). Which string object a property holds cannot be seen from JavaScript,
 * so the copies are counted where they are: in a heap snapshot of this process, which tells
 * string objects apart and names each by its text.
 */

const worker = 'shared-text-test-worker-7:8083';
const connectorClass = 'com.example.SharedTextTestSinkConnector';
const connectors = 300;

/** An expand body of `connectors` connectors with two tasks each, all on one worker and of one class. */
function bodyText(): string {
	const body: Record<string, unknown> = {};
	for (let index = 0; index < connectors; index++) {
		const name = `shared-text-${index}`;
		body[name] = {
			status: {name, connector: {state: 'RUNNING', worker_id: worker}, tasks: [0, 1].map(id => ({id, state: 'RUNNING', worker_id: worker})), type: 'sink'},
			info: {name, config: {'connector.class': connectorClass, name, 'tasks.max': '2'}, tasks: [0, 1].map(task => ({connector: name, task})), type: 'sink'},
		};
	}
	return JSON.stringify(body);
}

const snapshotShape = z.object({
	snapshot: z.object({meta: z.object({node_fields: z.array(z.string()), node_types: z.tuple([z.array(z.string())]).rest(z.unknown())})}),
	nodes: z.array(z.number()),
	strings: z.array(z.string()),
});

/** How many string objects with each of `texts` the heap holds (a snapshot collects garbage first). */
async function copiesInHeap(texts: readonly string[]): Promise<number[]> {
	const chunks: Buffer[] = [];
	for await (const chunk of v8.getHeapSnapshot()) chunks.push(Buffer.from(chunk as Uint8Array));
	const {snapshot, nodes, strings} = snapshotShape.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
	const fields = snapshot.meta.node_fields;
	const typeAt = fields.indexOf('type');
	const nameAt = fields.indexOf('name');
	const stringType = snapshot.meta.node_types[0].indexOf('string');
	const counts = texts.map(() => 0);
	for (let at = 0; at < nodes.length; at += fields.length) {
		if (nodes[at + typeAt] !== stringType) continue;
		const index = texts.indexOf(strings[nodes[at + nameAt] ?? -1] ?? '');
		if (index >= 0) counts[index] = (counts[index] ?? 0) + 1;
	}
	return counts;
}

describe('readConnectorsExpanded keeps one copy of each repeated text', () => {
	it('a worker id named by 900 instances, a class named by 300 configs, a connector named 6 times: one string each', async () => {
		// A connector's name: its key in the body, its status's and info's name, its config's name and its two task ids'.
		const name = `shared-text-${connectors - 1}`;
		// The test's own constants (and `name`, once a comparison has flattened it into one string) are copies too.
		await copiesInHeap([name]);
		const [workers = 0, classes = 0, names = 0] = await copiesInHeap([worker, connectorClass, name]);
		const text = bodyText();
		const parsed: unknown = JSON.parse(text);
		// The count holds the copies JSON.parse makes: else the test could not fail.
		expect(await copiesInHeap([worker, connectorClass, name])).toEqual([workers + 3 * connectors, classes + connectors, names + 6]);
		const read = readConnectorsExpanded(parsed);
		// One each; a name's one is the body's key.
		expect(await copiesInHeap([worker, connectorClass, name])).toEqual([workers + 1, classes + 1, names + 1]);
		// The values are the same texts as before.
		expect(read).toEqual(JSON.parse(text));
		expect(read['shared-text-7']?.status?.tasks[1]?.worker_id).toBe(worker);
	}, 60_000);
});
