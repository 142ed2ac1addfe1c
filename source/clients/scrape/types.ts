/** One sample of a Prometheus text exposition as parsed (labels unescaped, values as numbers: NaN and ±Inf included). */
export interface ParsedSample {
	readonly name: string;
	readonly labels: Readonly<Record<string, string>>;
	readonly value: number;
	/** Explicit timestamp in ms when the line had one. */
	readonly timestamp?: number;
}

export interface ParsedFamily {
	readonly name: string;
	readonly type: 'counter' | 'gauge' | 'untyped' | 'unknown' | 'summary' | 'histogram' | 'gaugehistogram' | 'stateset' | 'info';
	readonly help: string | undefined;
}

export interface ParsedExposition {
	readonly samples: readonly ParsedSample[];
	readonly families: ReadonlyMap<string, ParsedFamily>;
	/** Lines that could not be parsed, with their line number: a broken line never fails the whole scrape. */
	readonly errors: readonly string[];
	/** Every sample name in the text, parsed or skipped (profile detection reads them). */
	readonly names: ReadonlySet<string>;
	/** Sample lines skipped unparsed because `keep` rejected their name. */
	readonly skipped: number;
}

/** One scrape of one exporter endpoint. */
export interface ScrapeResult {
	readonly url: string;
	/** host:port of the URL, used as the Prometheus-style `instance`. */
	readonly instance: string;
	readonly at: number;
	readonly exposition: ParsedExposition;
}
