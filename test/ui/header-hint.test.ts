import {describe, expect, it} from 'vitest';
import {lineText} from '../../source/ui/lines.js';
import {makeTheme} from '../../source/ui/theme.js';
import {headerLines} from '../../source/ui/views/header.js';
import {makeHealth, makeSnapshot} from '../helpers/snapshot-factory.js';

const theme = makeTheme({ascii: false, color: false});
const localHint = 'if nothing runs on localhost: start the stack with `docker compose up -d` (see readme.md), point --connect at your cluster, or try `npm run demo`';

describe('a REST source that never answered, at 80 columns', () => {
	it('keeps why (a body over --max-body) ahead of the localhost hint, which gives way first', () => {
		const rest = makeHealth({source: 'rest', everSucceeded: false, lastSuccessAt: undefined, lastError: 'response larger than 1 MB (GET http://127.0.0.1:8083/connectors): raise --max-body if this is expected', consecutiveFailures: 1});
		const lines = headerLines({snapshot: makeSnapshot({connectors: [], rest}), demo: false, refreshing: false, frozen: undefined, theme, width: 80, hint: localHint}).map(line => lineText(line));
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
		const banner = lines.find(line => line.startsWith('⚠')) ?? '';
		expect(banner).toMatch(/^⚠ REST unavailable: response larger than 1 MB \(GET http:\/\/127\.0\.0\.1:8083\/conne/);
		expect(banner).not.toContain('nothing runs on localhost');
	});

	it('with room, shows both the reason and the hint', () => {
		const rest = makeHealth({source: 'rest', everSucceeded: false, lastSuccessAt: undefined, lastError: 'connect ECONNREFUSED 127.0.0.1:8083', consecutiveFailures: 1});
		const lines = headerLines({snapshot: makeSnapshot({connectors: [], rest}), demo: false, refreshing: false, frozen: undefined, theme, width: 220, hint: localHint}).map(line => lineText(line));
		expect(lines).toContain(`⚠ REST unavailable: connect ECONNREFUSED 127.0.0.1:8083 (http://c1:8083) — ${localHint}`);
	});
});
