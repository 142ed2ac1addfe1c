import type {ClusterSnapshot, ConnectorHistory} from '../../source/model/types.js';
import type {ActionBatch, ActionOutcome, ActionPlan, AppState, BatchOutcome, ConnectorAction, DetailData, Store} from '../../source/store/types.js';
import {initialAppState} from '../../source/store/store.js';

const emptyHistory: ConnectorHistory = {lag: [], recordRate: [], errors: []};

export interface FakeStoreCalls {
	refreshNow: number;
	toggleFreeze: number;
	closeDetail: number;
	readonly openDetail: string[];
	/** Every REST call the confirmed plans would send, in order. */
	readonly runAction: ConnectorAction[];
	readonly history: string[];
}

/** An in-memory Store: tests set the state and read back every call the UI made. */
export class FakeStore implements Store {
	readonly calls: FakeStoreCalls = {refreshNow: 0, toggleFreeze: 0, closeDetail: 0, openDetail: [], runAction: [], history: []};
	private state: AppState;
	private readonly listeners = new Set<() => void>();
	private readonly histories = new Map<string, ConnectorHistory>();
	/** What runAction answers (the outcome also lands in state.lastAction). */
	actionAnswer: {readonly ok: boolean; readonly message: string} = {ok: true, message: '202 Accepted'};

	constructor(initial: Partial<AppState> = {}) {
		this.state = {...initialAppState({demo: false, readOnly: false, intervalMs: 2000, unreachableHint: undefined}), ...initial};

	}

	getState = (): AppState => this.state;

	private clock: number | undefined;
	private readonly clockListeners = new Set<() => void>();

	subscribeClock = (listener: () => void): (() => void) => {
		this.clockListeners.add(listener);
		return () => this.clockListeners.delete(listener);
	};

	clockNow = (): number | undefined => this.clock;

	/** A clock tick, as the store's heartbeat does every second. */
	tick(now: number): void {
		this.clock = now;
		for (const listener of this.clockListeners) listener();
	}

	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	};

	setState(patch: Partial<AppState>): void {
		this.state = {...this.state, ...patch};
		for (const listener of this.listeners) listener();
	}

	setSnapshot(snapshot: ClusterSnapshot): void {
		this.setState({snapshot});
	}

	setDetail(detail: DetailData | undefined): void {
		this.setState({detail});
	}

	setHistory(connector: string, history: ConnectorHistory): void {
		this.histories.set(connector, history);
	}

	refreshNow = (): void => {
		this.calls.refreshNow++;
	};

	toggleFreeze = (): void => {
		this.calls.toggleFreeze++;
	};

	history = (connector: string): ConnectorHistory => {
		this.calls.history.push(connector);
		return this.histories.get(connector) ?? emptyHistory;
	};

	openDetail = (connector: string): void => {
		this.calls.openDetail.push(connector);
	};

	closeDetail = (): void => {
		this.calls.closeDetail++;
	};

	runAction = async (plan: ActionPlan): Promise<ActionOutcome> => {
		this.calls.runAction.push(...plan.calls);
		const outcome: ActionOutcome = {plan, ok: this.actionAnswer.ok, message: this.actionAnswer.message, at: Date.now(), verification: undefined};
		this.setState({lastAction: outcome});
		return outcome;
	};

	/** Every call of every plan is recorded; each plan answers actionAnswer. */
	runBatch = async (batch: ActionBatch): Promise<BatchOutcome> => {
		const items = batch.plans.map(plan => {
			this.calls.runAction.push(...plan.calls);
			const calls = plan.calls.map(call => ({call, method: 'POST', path: '', status: this.actionAnswer.ok ? 204 : 500, result: this.actionAnswer.ok ? ('ok' as const) : ('failed' as const), text: this.actionAnswer.message}));
			return {plan, calls, result: this.actionAnswer.ok ? ('applied' as const) : ('failed' as const), ok: this.actionAnswer.ok, message: this.actionAnswer.message, at: Date.now(), verification: undefined};
		});
		const outcome: BatchOutcome = {batch, items, ok: this.actionAnswer.ok && batch.refused.length === 0, message: this.actionAnswer.message, at: Date.now()};
		this.setState({lastBatch: outcome, lastAction: items.at(-1)});
		return outcome;
	};
}
