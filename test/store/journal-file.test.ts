import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {journalLimit, type JournalEvent} from '../../source/model/journal.js';
import {openJournalFile} from '../../source/store/journal-file.js';

/**
 * The journal file is read from its end: only the newest `journalLimit` valid events are
 * parsed. These hold that to what reading every line and keeping the last ones gives, on a
 * file with torn, invalid and blank lines among the events.
 */

let directory: string;
beforeEach(() => {
	directory = mkdtempSync(join(tmpdir(), 'kctop-journal-file-'));
});
afterEach(() => {
	rmSync(directory, {recursive: true, force: true});
});

function event(index: number): JournalEvent {
	return {at: 1_795_000_000_000 + index * 1000, kind: index % 3 === 0 ? 'task' : 'connector', subject: `conn-${index % 17}${index % 3 === 0 ? '/0' : ''}`, connector: `conn-${index % 17}`, from: index % 2 === 0 ? 'RUNNING' : undefined, to: index % 2 === 0 ? 'FAILED' : 'RUNNING', detail: index % 5 === 0 ? `trace ${index}` : undefined};
}

/** Lines of `count` events with junk among them; returns the text and the valid events in order. */
function messyFile(count: number): {readonly text: string; readonly valid: JournalEvent[]} {
	const lines: string[] = [];
	const valid: JournalEvent[] = [];
	for (let index = 0; index < count; index++) {
		if (index % 97 === 0) lines.push('{"at": 12, "kind": "conn'); // torn by a crash
		if (index % 89 === 0) lines.push(JSON.stringify({at: 'yesterday', kind: 'task', subject: 'x', to: 'FAILED'})); // wrong type
		if (index % 83 === 0) lines.push('   ');
		const value = event(index);
		lines.push(JSON.stringify(value));
		valid.push(value);
	}
	lines.push('{"at": 1795'); // a torn last line
	return {text: lines.join('\n'), valid};
}

/** An event as load() gives it back: JSON drops the undefined fields, load names them again. */
function asLoaded(value: JournalEvent): JournalEvent {
	return {...value, connector: value.connector, from: value.from, detail: value.detail};
}

describe('journal file load', () => {
	it('returns the newest journalLimit valid events, oldest first, skipping torn and invalid lines', () => {
		const path = join(directory, 'journal.jsonl');
		const {text, valid} = messyFile(journalLimit + 777);
		writeFileSync(path, text);
		const loaded = openJournalFile(path).load();
		expect(loaded).toHaveLength(journalLimit);
		expect(loaded).toEqual(valid.slice(-journalLimit).map(asLoaded));
	});

	it('returns every valid event of a file holding fewer than journalLimit', () => {
		const path = join(directory, 'journal.jsonl');
		const {text, valid} = messyFile(300);
		writeFileSync(path, `\n\n${text}\n\n`);
		expect(openJournalFile(path).load()).toEqual(valid.map(asLoaded));
	});

	it('starts a new line after a torn last line, so the first event appended is not glued to it', () => {
		const path = join(directory, 'journal.jsonl');
		const {text, valid} = messyFile(10);
		writeFileSync(path, text);
		const file = openJournalFile(path);
		expect(file.load()).toEqual(valid.map(asLoaded));
		const added = event(500);
		file.append([added]);
		file.append([event(501)]);
		expect(openJournalFile(path).load()).toEqual([...valid, added, event(501)].map(asLoaded));
	});

	it('past maxBytes keeps the newest half of journalLimit on disk', () => {
		const path = join(directory, 'journal.jsonl');
		const {text, valid} = messyFile(journalLimit + 100);
		writeFileSync(path, text);
		const file = openJournalFile(path, {maxBytes: text.length});
		const added = event(99_999);
		file.append([added]);
		expect(file.problem()).toBeUndefined();
		const kept = readFileSync(path, 'utf8').trim().split('\n').map((line): unknown => JSON.parse(line));
		const expected = [...valid, added].slice(-Math.floor(journalLimit / 2));
		expect(kept).toEqual(expected.map((value): unknown => JSON.parse(JSON.stringify(value))));
		expect(file.load()).toEqual(expected.map(asLoaded));
	});
});
