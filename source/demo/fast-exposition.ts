import {applyRules, compareLabels, compareStrings, type JmxExporterConfig} from './jmx/rules.js';
import {jmxSanitize} from './jmx/mbeans.js';
import type {ExportedSample, ExportedType, MBean} from './jmx/types.js';

/**
 * The rule engine, memoised for the simulator: `applyRules` matches every attribute
 * against the rules' regular expressions, which costs seconds for a worker running
 * 10,000 tasks. The outcome of a rule depends on the bean's name, the attribute and its
 * non-numeric value — not on which connector it is nor on a numeric value — so it is
 * computed once per bean *kind* (connector, task and server replaced by placeholders)
 * and attribute, with two numeric probes to recover a linear `valueFactor` or a constant
 * `value:`. Whatever does not fit that model (a quoted name, an output that is not linear,
 * a label collision) falls back to `applyRules` itself, so the result is always exactly
 * what `applyRules` gives (test/demo/fast-exposition.test.ts checks that).
 */

const CONNECTOR = 'kctopphconnector';
const TASK = '987654321';
const SERVER = 'kctopphserver';

export interface BeanIdentity {
	readonly connector?: string;
	readonly task?: number;
	readonly server?: string;
}

interface Template {
	readonly name: string;
	readonly type: ExportedType;
	readonly help: string;
	readonly labels: ReadonlyArray<readonly [string, string]>;
	/** Output = value × factor, or the constant when defined. */
	readonly factor: number;
	readonly constant: number | undefined;
}

interface Point {
	readonly name: string;
	readonly type: ExportedType;
	readonly help: string;
	readonly labels: ReadonlyArray<readonly [string, string]>;
	readonly value: number;
}


class Fallback extends Error {}

export class FastExporter {
	private readonly templates = new Map<string, Template | null>();

	constructor(private readonly config: JmxExporterConfig) {}

	/** Exactly `applyRules(config, beans)`; `identities[i]` names the connector/task/server of `beans[i]`. */
	samples(beans: readonly MBean[], identities: ReadonlyArray<BeanIdentity | undefined>): ExportedSample[] {
		try {
			return this.fast(beans, identities);
		} catch (error) {
			if (error instanceof Fallback) return applyRules(this.config, beans);
			throw error;
		}
	}

	private fast(beans: readonly MBean[], identities: ReadonlyArray<BeanIdentity | undefined>): ExportedSample[] {
		const byName = new Map<string, Point[]>();
		for (let index = 0; index < beans.length; index++) {
			const bean = beans[index];
			if (!bean) continue;
			const identity = identities[index] ?? {};
			const replacements = this.replacements(identity);
			const properties = bean.properties.map(([key, value]) => [key, this.placeholder(key, value, identity)] as const);
			const kind = `${bean.domain}|${properties.map(([key, value]) => `${key}=${value}`).join(',')}`;
			for (const [attribute, value] of Object.entries(bean.attributes)) {
				const template = this.template(bean, properties, kind, attribute, value);
				if (!template) continue;
				const output = template.constant ?? (typeof value === 'number' ? value * template.factor : typeof value === 'boolean' ? (value ? 1 : 0) : Number.NaN);
				const point: Point = {
					name: replace(template.name, replacements),
					type: template.type,
					help: replace(template.help, replacements),
					labels: template.labels.map(([label, text]) => [label, replace(text, replacements)] as const),
					value: output,
				};
				const group = byName.get(point.name);
				if (group) group.push(point);
				else byName.set(point.name, [point]);
			}
		}
		const samples: ExportedSample[] = [];
		for (const name of [...byName.keys()].sort(compareStrings)) {
			const group = byName.get(name) ?? [];
			const first = group[0];
			if (!first) continue;
			if (!group.every(point => point.type === first.type)) throw new Fallback();
			group.sort((a, b) => compareLabels(a.labels, b.labels));
			for (let i = 1; i < group.length; i++) {
				// Two series with the same labels: applyRules disambiguates with _objectname.
				if (compareLabels(group[i - 1]?.labels ?? [], group[i]?.labels ?? []) === 0) throw new Fallback();
			}
			const sampleName = first.type === 'counter' ? `${name}_total` : name;
			for (const point of group) samples.push({name: sampleName, family: sampleName, type: first.type, help: first.help, labels: point.labels, value: point.value});
		}
		return samples;
	}

	private replacements(identity: BeanIdentity): Array<readonly [string, string]> {
		const pairs: Array<readonly [string, string]> = [];
		if (identity.connector !== undefined) pairs.push([CONNECTOR, identity.connector]);
		if (identity.task !== undefined) pairs.push([TASK, String(identity.task)]);
		if (identity.server !== undefined) pairs.push([SERVER, identity.server]);
		return pairs;
	}

	private placeholder(key: string, value: string, identity: BeanIdentity): string {
		const {connector, task, server} = identity;
		const plain = (text: string | undefined): boolean => text !== undefined && jmxSanitize(text) === text && !text.includes(CONNECTOR) && !text.includes(SERVER) && !text.includes(TASK);
		if (key === 'connector' && connector !== undefined && value === connector) {
			if (!plain(connector)) throw new Fallback();
			return CONNECTOR;
		}
		if (key === 'task' && task !== undefined && value === String(task)) return TASK;
		if (key === 'server' && server !== undefined && value === server) {
			if (!plain(server)) throw new Fallback();
			return SERVER;
		}
		if (key === 'client-id' && connector !== undefined && task !== undefined && value === `connector-consumer-${connector}-${task}`) {
			if (!plain(connector)) throw new Fallback();
			return `connector-consumer-${CONNECTOR}-${TASK}`;
		}
		if ((connector !== undefined && value.includes(connector)) || (server !== undefined && value.includes(server))) throw new Fallback();
		return value;
	}

	private template(bean: MBean, properties: ReadonlyArray<readonly [string, string]>, kind: string, attribute: string, value: MBean['attributes'][string]): Template | undefined {
		const key = `${kind}|${attribute}|${typeof value === 'number' ? '#' : JSON.stringify(value)}`;
		const cached = this.templates.get(key);
		if (cached !== undefined) return cached ?? undefined;
		const probe = (probeValue: MBean['attributes'][string]): ExportedSample[] => {
			const numericType = bean.numericTypes?.[attribute];
			const description = bean.descriptions?.[attribute];
			return applyRules(this.config, [
				{
					domain: bean.domain,
					properties,
					attributes: {[attribute]: probeValue},
					...(numericType === undefined ? {} : {numericTypes: {[attribute]: numericType}}),
					...(description === undefined ? {} : {descriptions: {[attribute]: description}}),
				},
			]);
		};
		let template: Template | null = null;
		if (typeof value === 'number') {
			const one = probe(3);
			const two = probe(7);
			const a = one[0];
			const b = two[0];
			if (one.length > 1 || two.length > 1 || (a === undefined) !== (b === undefined)) throw new Fallback();
			if (a && b) {
				if (a.name !== b.name || JSON.stringify(a.labels) !== JSON.stringify(b.labels)) throw new Fallback();
				const constant = a.value === b.value ? a.value : undefined;
				const factor = a.value / 3;
				if (constant === undefined && Math.abs(b.value - factor * 7) > 1e-9 * Math.abs(b.value)) throw new Fallback();
				template = {name: stripTotal(a), type: a.type, help: a.help, labels: a.labels, factor, constant};
			}
		} else {
			const samples = probe(value);
			if (samples.length > 1) throw new Fallback();
			const sample = samples[0];
			if (sample) template = {name: stripTotal(sample), type: sample.type, help: sample.help, labels: sample.labels, factor: 1, constant: sample.value};
		}
		this.templates.set(key, template);
		return template ?? undefined;
	}
}

function stripTotal(sample: ExportedSample): string {
	return sample.type === 'counter' && sample.name.endsWith('_total') ? sample.name.slice(0, -'_total'.length) : sample.name;
}

function replace(text: string, pairs: ReadonlyArray<readonly [string, string]>): string {
	let out = text;
	for (const [from, to] of pairs) if (out.includes(from)) out = out.split(from).join(to);
	return out;
}
