import {stripVTControlCharacters} from 'node:util';
import {describe, expect, it} from 'vitest';
import {renderSnapshotText} from '../../source/ui/once.js';
import {displayWidth} from '../../source/ui/text.js';
import {makeConnector, realisticSnapshot, staleRest, unreachablePrometheus} from '../helpers/snapshot-factory.js';

describe('renderSnapshotText', () => {
	const snapshot = realisticSnapshot();

	it('prints the header, the workers and the connectors, failures first', () => {
		const text = renderSnapshotText(snapshot, {columns: 160, ascii: false, color: false});
		const lines = text.trimEnd().split('\n');
		expect(lines[0]).toContain('Connect 3.9.0');
		expect(text).toContain('Workers (4)');
		expect(text).toContain('Connectors (7)');
		const connectorsAt = lines.findIndex(each => each.startsWith('Connectors (7)'));
		expect(lines[connectorsAt + 1]).toMatch(/^NAME\s+TYPE\s+CLASS\s+STATE/);
		expect(lines[connectorsAt + 2]).toMatch(/^debezium-sqlserver-source\s+source\s+SqlServer\s+RUNNING/);
		expect(lines.at(-1)).toMatch(/^source-datagen-01\b/);
		expect(text).toContain('DOWN');
	});

	it('has no escape codes without colour and colours states with it', () => {
		const plain = renderSnapshotText(snapshot, {columns: 120, ascii: false, color: false});
		expect(plain).not.toContain('\u001B');
		const coloured = renderSnapshotText(snapshot, {columns: 120, ascii: false, color: true});
		expect(coloured).toContain('\u001B[32mRUNNING');
		expect(coloured).toMatch(/\u001B\[[0-9;]*31m/);
		expect(stripVTControlCharacters(coloured).split('\n').map(each => each.trimEnd())).toEqual(plain.split('\n'));
	});

	it('keeps every line within the width at 80 columns', () => {
		const text = renderSnapshotText(snapshot, {columns: 80, ascii: true, color: false});
		for (const each of text.split('\n')) expect(displayWidth(each)).toBeLessThanOrEqual(80);
		expect(text).not.toContain('WORKERS ');
		expect(text).toContain('…');
	});

	it('draws sparklines from the history when given one (ASCII ramp with --ascii)', () => {
		const text = renderSnapshotText(snapshot, {columns: 200, ascii: true, color: false, history: name => ({lag: name === 'jdbc-sink' ? [0, 1, 2, 3, 4, 5, 6, 7] : [], recordRate: [], errors: []})});
		expect(text).toContain('LAG TREND');
		expect(text).toContain(' .:-=+*#');
		expect(renderSnapshotText(snapshot, {columns: 200, ascii: true, color: false})).not.toContain('LAG TREND');
	});

	it('says when REST is stale and why metrics are unavailable', () => {
		const text = renderSnapshotText(realisticSnapshot({rest: staleRest(), metrics: unreachablePrometheus()}), {columns: 160, ascii: false, color: false});
		expect(text).toContain('REST stale 34s: connection refused (http://c1:8083)');
		expect(text).toContain('metrics unavailable: connect ECONNREFUSED 127.0.0.1:9090');
	});

	it('prints hostile names with their escape codes neutralised and visible', () => {
		const text = renderSnapshotText(realisticSnapshot({connectors: [makeConnector({name: 'evil\u001B[2J\u001B[31m\u0007-sink'})]}), {columns: 120, ascii: false, color: false});
		expect(text).toContain('evil␛[2J␛[31m␇-sink');
		expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F]/);
	});
});
