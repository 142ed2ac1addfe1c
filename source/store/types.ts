import type {ActionBatch, ActionPlan, ConnectorAction, Verification} from '../model/action-plan.js';
import type {Journal} from '../model/journal.js';
import type {ClusterSnapshot, ConnectorHistory} from '../model/types.js';

export type {ActionBatch, ActionIntent, ActionPlan, ConnectorAction, RefusedItem, Verification} from '../model/action-plan.js';

/** What the UI reads from the store (via useSyncExternalStore). Immutable: a new object on every change. */
export interface AppState {
	/** The latest snapshot, undefined before the first refresh finished. */
	readonly snapshot: ClusterSnapshot | undefined;
	/** While frozen the UI shows this snapshot; polling goes on and `changesSinceFreeze` counts what moved. */
	readonly frozen: {readonly snapshot: ClusterSnapshot; readonly at: number; readonly changesSinceFreeze: number} | undefined;
	/** A refresh has been in flight for refreshingShownAfterMs (store.ts) or longer: a quick one never shows the marker. */
	readonly refreshing: boolean;
	/** Clock time of the next scheduled refresh (backoff included). */
	readonly nextRefreshAt: number | undefined;
	/** The connector whose detail view is open: topics and offsets are fetched only then. */
	readonly detail: DetailData | undefined;
	/** The outcome of the last action (restart, pause…) on one connector: the last of lastBatch. */
	readonly lastAction: ActionOutcome | undefined;
	/** The outcome of the last confirmation (one or more connectors), shown in the footer until the next one. */
	readonly lastBatch: BatchOutcome | undefined;
	/** Running against the embedded simulator: the header says DEMO. */
	readonly demo: boolean;
	readonly readOnly: boolean;
	/** Refresh interval in ms. */
	readonly intervalMs: number;
	/** Clock time of the latest refresh. Ages between refreshes come from the store's clock (subscribeClock), which does not touch this state. */
	readonly now: number | undefined;
	/** Connectors whose state, tasks, placement or health changed in the latest refresh (highlighted in the grid). */
	readonly changed: ReadonlySet<string>;
	/** What to do when Connect never answered (e.g. "start the stack with `docker compose up -d` … or try `npm run demo`"). */
	readonly unreachableHint: string | undefined;
	/** Every transition seen (this run, and earlier runs when a journal file is kept), newest last. */
	readonly journal: Journal;
	/** Why the journal file cannot be read or written, if it cannot (the journal then lives in memory only). */
	readonly journalProblem: string | undefined;
}

export type Loadable<T> =
	| {readonly status: 'loading'}
	| {readonly status: 'ok'; readonly value: T; readonly at: number}
	| {readonly status: 'error'; readonly error: string};

export interface OffsetRow {
	readonly partition: string;
	readonly offset: string;
}

export interface DetailData {
	readonly connector: string;
	/** 403 "Topic tracking is disabled" and 404 (Kafka < 2.5) come back as errors with that text. */
	readonly topics: Loadable<readonly string[]>;
	readonly offsets: Loadable<readonly OffsetRow[]>;
}

export interface ActionOutcome {
	readonly plan: ActionPlan;
	/** Every call answered 2xx. */
	readonly ok: boolean;
	/** One line: "202 Accepted", "3 calls: 204 No Content", or the error (409 during a rebalance…) and how many calls went out before it. */
	readonly message: string;
	readonly at: number;
	/** After a successful send: whether later refreshes show the result ("task 3 RUNNING after 6 s", "still FAILED: …"). */
	readonly verification: Verification | undefined;
}

/**
 * What became of one call: answered 2xx (`ok`), answered otherwise or never reached the
 * worker (`failed`), or timed out / lost its connection after it was written (`unknown`:
 * it may have been applied; kctop never sends it again by itself); `not-sent` when an
 * earlier call stopped the batch.
 */
export type CallResult = 'ok' | 'failed' | 'unknown' | 'not-sent';

export interface CallOutcome {
	readonly call: ConnectorAction;
	readonly method: string;
	readonly path: string;
	/** The HTTP status, when an answer came. */
	readonly status: number | undefined;
	readonly result: CallResult;
	/** "204 No Content", "timed out after 5 s (POST …)", "not sent: …". */
	readonly text: string;
}

/** One connector's plan, sent: its calls, one by one. `ok` means every call answered 2xx. */
export interface ItemOutcome extends ActionOutcome {
	readonly calls: readonly CallOutcome[];
	readonly result: 'applied' | 'failed' | 'unknown' | 'not-sent';
}

export interface BatchOutcome {
	readonly batch: ActionBatch;
	/** One per plan of the batch, in order. */
	readonly items: readonly ItemOutcome[];
	/** Every plan applied (2xx on every call) and nothing refused. */
	readonly ok: boolean;
	/** One line: "204 No Content", or "3 connectors: 2 applied, 1 unknown (may have been applied)". */
	readonly message: string;
	readonly at: number;
}

export interface Store {
	getState(): AppState;
	subscribe(listener: () => void): () => void;
	/**
	 * The wall clock, ticking every second while polling runs, for ages ("REST ok 3s").
	 * Separate from the state so that a tick re-renders only what shows an age, not the grid.
	 */
	subscribeClock(listener: () => void): () => void;
	clockNow(): number | undefined;
	/** ctrl-r: refresh now (ignored while a refresh is in flight). */
	refreshNow(): void;
	toggleFreeze(): void;
	/** History of one connector for sparklines/charts (oldest first). */
	history(connector: string): ConnectorHistory;
	openDetail(connector: string): void;
	closeDetail(): void;
	/** Sends the plan's calls one after another (stopping at the first error); never throws: the outcome lands in state.lastAction. */
	runAction(plan: ActionPlan): Promise<ActionOutcome>;
	/** Sends every plan of a batch, one call at a time, each at most once; never throws: the outcome lands in state.lastBatch (and the audit log). */
	runBatch(batch: ActionBatch): Promise<BatchOutcome>;
}
