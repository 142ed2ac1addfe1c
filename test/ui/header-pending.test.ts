import {describe, expect, it} from 'vitest';
import {lineText} from '../../source/ui/lines.js';
import {makeTheme} from '../../source/ui/theme.js';
import {headerLines} from '../../source/ui/views/header.js';
import {makeHealth, makeWorker, realisticSnapshot, takenAt} from '../helpers/snapshot-factory.js';

// A Prometheus query still out past the refresh's wait (StoreOptions.metricsWait): the header
// says how long it has been out and what the screen shows meanwhile, not "unavailable".

const theme = makeTheme({ascii: false, color: false});
const workers = [makeWorker({id: 'c1:8083'}), makeWorker({id: 'c2:8083'})];
const why = 'no answer within 5s: still waiting for it, up to 1m0s';
const lines = (metrics: ReturnType<typeof makeHealth>, now = takenAt): string[] =>
	headerLines({snapshot: realisticSnapshot({metrics, workers}), demo: false, refreshing: false, frozen: undefined, theme, width: 200, now}).map(each => lineText(each));

describe('the header while a Prometheus query is out', () => {
	it('before the first answer: waiting, for how long, and that the screen shows what REST knows', () => {
		const pending = makeHealth({source: 'prometheus', everSucceeded: false, lastSuccessAt: undefined, lastAttemptAt: takenAt, lastError: why, endpoint: 'http://prom:9090', pendingSince: takenAt - 7000});
		const text = lines(pending).join('\n');
		expect(text).toContain('⚠ Prometheus waiting 7s: no answer within 5s: still waiting for it, up to 1m0s (http://prom:9090) — showing what REST knows');
		expect(text).not.toContain('unavailable');
		// The age moves with the clock the view reads, without a new snapshot.
		expect(lines(pending, takenAt + 3000).join('\n')).toContain('Prometheus waiting 10s');
	});

	it('after earlier answers: slow, and the last good values are shown', () => {
		const pending = makeHealth({source: 'prometheus', stale: true, lastSuccessAt: takenAt - 9000, lastAttemptAt: takenAt, lastError: why, endpoint: 'http://prom:9090', pendingSince: takenAt - 6000});
		const text = lines(pending).join('\n');
		expect(text).toContain('⚠ Prometheus slow 6s: no answer within 5s');
		expect(text).toContain('— last good values shown');
	});
});
