import {createInterface} from 'node:readline';
import type {Readable} from 'node:stream';

/** Lines of a child's output, one at a time; rejects with `describe()` once the stream ends. */
export function lineReader(stream: Readable, describe: () => string): () => Promise<string> {
	const queued: string[] = [];
	const waiting: Array<{resolve: (line: string) => void; reject: (error: Error) => void}> = [];
	let ended = false;
	const lines = createInterface({input: stream});
	lines.on('line', line => {
		const waiter = waiting.shift();
		if (waiter) waiter.resolve(line);
		else queued.push(line);
	});
	lines.on('close', () => {
		ended = true;
		for (const waiter of waiting.splice(0)) waiter.reject(new Error(describe()));
	});
	return () => {
		const line = queued.shift();
		if (line !== undefined) return Promise.resolve(line);
		if (ended) return Promise.reject(new Error(describe()));
		return new Promise((resolve, reject) => waiting.push({resolve, reject}));
	};
}
