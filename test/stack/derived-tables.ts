import {readFileSync} from 'node:fs';

/** One row of a derived-names table (test/fixtures/mbeans/derived-names/*.md). */
export interface DerivedRow {
	readonly mbean: string;
	readonly attribute: string;
	/** undefined: the attribute is not exported (UNMATCHED or DROPPED). */
	readonly metric: string | undefined;
	readonly labels: string;
	readonly type: 'gauge' | 'counter' | 'untyped' | undefined;
	readonly line: number;
}

const rowPattern = /^\| `([^`]*)` \| `([^`]*)` \| `(.*?)` \| `(.*?)` \| (.*?) \| (.*?) \|$/;

export function readDerivedTable(path: string): DerivedRow[] {
	const rows: DerivedRow[] = [];
	const lines = readFileSync(path, 'utf8').split('\n');
	lines.forEach((text, index) => {
		if (!text.startsWith('| `')) return;
		const match = rowPattern.exec(text);
		if (match === null) throw new Error(`${path}:${index + 1}: unparsable row: ${text}`);
		const [, mbean = '', attribute = '', metric = '', labels = '', typeText = ''] = match;
		const exported = metric !== 'UNMATCHED' && !metric.startsWith('DROPPED') && !metric.startsWith('FILTERED');
		const type = typeText.startsWith('untyped') ? 'untyped' : typeText === 'gauge' || typeText === 'counter' ? typeText : undefined;
		rows.push({mbean, attribute, metric: exported ? metric : undefined, labels, type: exported ? type : undefined, line: index + 1});
	});
	return rows;
}
