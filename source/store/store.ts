import {isKctopError} from '../clients/errors.js';
import type {ConnectorsExpanded, ConnectorOffsets, ConnectorStatus, ServerInfo} from '../clients/connect/schemas.js';
import type {MetricsFetch, MetricsSource} from '../metrics/source.js';
import {summarizeMatch} from '../metrics/detect.js';
import type {LogicalMetricId, MetricHistory, MetricResults, NamingProfile, ProfileMatch} from '../metrics/types.js';
import {changedConnectors} from '../model/diff.js';
import {formatAge} from '../model/format.js';
import {HistoryStore, type HistoryPoint} from '../model/history.js';
import {debeziumServerOf, normaliseServerLabel} from '../model/join.js';
import {buildSnapshot, type HealthThresholds} from '../model/snapshot.js';
import type {ClusterSnapshot, SourceHealth} from '../model/types.js';
import {batchOf, intentLabel, type ActionBatch} from '../model/action-plan.js';
import {appendEvents, emptyJournal, recordSnapshot, type Journal, type JournalEvent} from '../model/journal.js';
import {settle} from '../model/settle.js';
import {createActionRunner, type ActionApi} from './action-runner.js';
import type {JournalFile} from './journal-file.js';
import type {AuditSink} from './audit-file.js';
import type {AppState, BatchOutcome, DetailData, ItemOutcome, Loadable, OffsetRow, Store} from './types.js';

/** The part of the Connect client the store uses (structural, so tests can pass a fake). */
export interface ConnectApi extends ActionApi {
	currentUrl(): string;
	serverInfo(signal?: AbortSignal): Promise<ServerInfo>;
	connectors(signal?: AbortSignal): Promise<{readonly connectors: ConnectorsExpanded; readonly fallback: boolean}>;
	topics(name: string, signal?: AbortSignal): Promise<readonly string[]>;
	offsets(name: string, signal?: AbortSignal): Promise<ConnectorOffsets>;
}

export interface StoreOptions {
	readonly connect: ConnectApi;
	readonly metrics: MetricsSource | undefined;
	readonly profile: NamingProfile;
	readonly clock?: {now(): number};
	readonly intervalMs: number;
	/** History window for sparklines (points = window / interval). */
	readonly historyWindowMs: number;
	readonly maxBackoffMs?: number;
	readonly workerMap?: ReadonlyMap<string, string>;
	readonly thresholds: HealthThresholds;
	readonly demo?: boolean;
	readonly readOnly?: boolean;
	/** Shown when Connect never answered. */
	readonly unreachableHint?: string;
	/** Opens the journal file of the cluster once its id is known (after the first answer); undefined keeps it in memory. */
	readonly openJournal?: (kafkaClusterId: string | undefined) => JournalFile | undefined;
	/** Hears every batch of actions once it is sent, and what later refreshes showed of it (the audit log, store/audit-file.ts). */
	readonly audit?: AuditSink;
	/**
	 * The live view against a metrics source that may answer slower than a refresh: a refresh
	 * waits `waitMs` for the metrics answer, then draws with the last good metrics while the
	 * request stays out (its own timeout is `giveUpMs`, for the message); the next refresh
	 * waits for that same request instead of sending another. Undefined: every refresh waits
	 * for its own metrics request to answer or fail (the one-shot modes, tests).
	 */
	readonly metricsWait?: {readonly waitMs: number; readonly giveUpMs: number};
}

export interface PollingStore extends Store {
	/** Starts polling: the first refresh runs at once (with the start-up history query). */
	start(): void;
	/** Stops timers and aborts what is in flight. */
	stop(): void;
	/** Runs one refresh and resolves when it is done (or at once when one is already in flight). For --once and tests. */
	refresh(): Promise<void>;
	/** Resolves once the start-up range query, if one is out, has answered or failed and its points are recorded. For --once and check. */
	historySettled(): Promise<void>;
	/**
	 * Resolves once start-up's largest reads are over: the first refresh drawn, and the range
	 * query it sent, if any, answered or failed and its points recorded. Never rejects; stays
	 * pending when the store stops before that.
	 */
	startupSettled(): Promise<void>;
}

/** The clock's tick (ages on screen move in whole seconds). */
const heartbeatMs = 1000;
/** A tick this close before the next refresh is due is skipped (see tick in createStore). */
export const tickSkipMs = 100;

/** A refresh in flight this long shows the refreshing marker in the header. */
export const refreshingShownAfterMs = 300;

/** What metricsAnswer gives a refresh when the metrics request is still out after metricsWait.waitMs. */
const stillOut: unique symbol = Symbol('metrics request still out');

const neverHealth = (source: SourceHealth['source']): SourceHealth => ({
	source,
	everSucceeded: false,
	stale: false,
	lastSuccessAt: undefined,
	lastAttemptAt: undefined,
	lastError: undefined,
	endpoint: undefined,
	warnings: [],
	consecutiveFailures: 0,
});

/**
 * The only owner of timers (DESIGN rule 2): one refresh = every fetch in parallel;
 * a refresh is skipped while one is in flight; failures back off exponentially up to
 * maxBackoffMs; the last good data of each source is kept and marked stale with its
 * age, and polling recovers by itself. Keys and resizes never reach this code.
 */
export function createStore(options: StoreOptions): PollingStore {
	const clock = options.clock ?? {now: () => Date.now()};
	const maxBackoffMs = options.maxBackoffMs ?? 30_000;
	const capacity = Math.max(10, Math.ceil(options.historyWindowMs / options.intervalMs));
	const history = new HistoryStore(capacity);
	const workerMap = options.workerMap ?? new Map<string, string>();
	const listeners = new Set<() => void>();

	let state = initialAppState({demo: options.demo ?? false, readOnly: options.readOnly ?? false, intervalMs: options.intervalMs, unreachableHint: options.unreachableHint});

	// Last good data per source, kept across failures.
	let serverInfo: ServerInfo | undefined;
	let connectors: ConnectorsExpanded | undefined;
	let metricResults: MetricResults | undefined;
	let emptyMetrics: readonly LogicalMetricId[] = [];
	let profileMatch: ProfileMatch | undefined; // the profile the metrics source detected (or was forced to)
	let restHealth = neverHealth('rest');
	let metricsHealth: SourceHealth | undefined = options.metrics ? neverHealth(options.metrics.kind === 'prometheus' ? 'prometheus' : 'scrape') : undefined;
	let pendingHistory: MetricHistory | undefined;
	let historyRequested = false;
	// A failed start-up range query is asked again after 1, 2, 4 … 32 refreshes, not on every
	// refresh: at 10,000 connectors it is the largest body kctop reads. When asking again would
	// get the same answer (a body over --max-body, a malformed answer, a 4xx) it is not asked
	// again, and the header says why the sparklines start empty.
	// After a failure it also waits for the instant query to have answered on the refresh
	// before: against a Prometheus too slow for --timeout (a bench run at 10,009 connectors
	// on a loaded machine: both start-up queries gave up at 30 s, were sent again together,
	// and the range query gave up again while the instant one took 23 s), the two queries
	// sent at once slow each other down, and the first frame waits for the instant one.
	let historyFailures = 0;
	let historyNextTick = 0;
	let historyWarning: string | undefined;
	// The first refresh's points, held back while the start-up range query is still out: the
	// ring buffers are seeded first (seeding skips a connector that has points already).
	// Refreshes go on while it is out (it can take longer than an interval at thousands of
	// connectors), and their points wait here, in order, to be recorded after the seeding.
	let deferred: Array<{readonly points: ReadonlyMap<string, HistoryPoint>; readonly at: number}> = [];
	let historyPending = false;
	let historySettling: Promise<void> | undefined;
	let startupOver: (() => void) | undefined;
	const startedUp = new Promise<void>(resolve => {
		startupOver = resolve;
	});
	const settleStartup = (): void => {
		startupOver?.();
		startupOver = undefined;
	};
	// Its own abort signal: later refreshes replace the refresh controller while it is still out.
	const historyController = new AbortController();
	// With options.metricsWait: the metrics request still out, sent by an earlier refresh (its
	// clock time), with its own abort signal for the same reason.
	let metricsOut: {readonly answer: Promise<PromiseSettledResult<MetricsFetch>>; readonly since: number; outcome?: PromiseSettledResult<MetricsFetch>} | undefined;
	const metricsController = new AbortController();
	let ticks = 0;
	let sequence = 0;

	let timer: ReturnType<typeof setTimeout> | undefined;
	let heartbeat: ReturnType<typeof setTimeout> | undefined;
	let tickedAt: number | undefined;
	/** When the refresh in flight started, and when the next one is due (clock times). */
	let refreshStartedAt: number | undefined;
	let dueAt: number | undefined;
	const clockListeners = new Set<() => void>();
	let restBackoff = true;
	let running = false;
	let inFlight: Promise<void> | undefined;
	let controller: AbortController | undefined;
	let detailGeneration = 0;

	const setState = (patch: Partial<AppState>): void => {
		state = {...state, ...patch};
		for (const listener of listeners) listener();
	};

	/** Arms the next refresh; returns its clock time (undefined when polling is off). */
	const schedule = (delay: number): number | undefined => {
		if (!running) return undefined;
		if (timer !== undefined) clearTimeout(timer);
		timer = setTimeout(() => {
			timer = undefined;
			void refresh();
		}, delay);
		dueAt = clock.now() + delay;
		return dueAt;
	};

	/**
	 * The clock that moves the ages on screen: it ticks a second after each refresh's answer,
	 * then every second. A tick is skipped while a refresh that started less than a second ago
	 * is in flight, or when the next refresh is due within tickSkipMs: that refresh's answer
	 * redraws every age a moment later. At a 2 s interval that is one tick per refresh, not two.
	 */
	const tick = (): void => {
		heartbeat = setTimeout(tick, heartbeatMs);
		const now = clock.now();
		if (refreshStartedAt !== undefined ? now - refreshStartedAt < heartbeatMs : dueAt !== undefined && dueAt - now < tickSkipMs) return;
		tickedAt = now;
		for (const listener of clockListeners) listener();
	};
	const armHeartbeat = (): void => {
		if (!running) return;
		if (heartbeat !== undefined) clearTimeout(heartbeat);
		heartbeat = setTimeout(tick, heartbeatMs);
	};

	const nextDelay = (): number => {
		const failures = restHealth.consecutiveFailures;
		// A 409 means the cluster is there but rebalancing: ask again at the normal pace.
		if (failures === 0 || !restBackoff) return options.intervalMs;
		return Math.min(options.intervalMs * 2 ** Math.min(failures, 16), maxBackoffMs);
	};

	const succeeded = (health: SourceHealth, at: number, endpoint: string, warnings: readonly string[]): SourceHealth => ({
		...health,
		everSucceeded: true,
		stale: false,
		lastSuccessAt: at,
		lastAttemptAt: at,
		lastError: undefined,
		endpoint,
		warnings,
		consecutiveFailures: 0,
		pendingSince: undefined,
	});

	const failed = (health: SourceHealth, at: number, error: unknown): SourceHealth => ({
		...health,
		stale: health.everSucceeded,
		lastAttemptAt: at,
		lastError: describeError(error),
		consecutiveFailures: health.consecutiveFailures + 1,
		pendingSince: undefined,
	});

	// The refreshing marker: shown only once a refresh has taken refreshingShownAfterMs. A quick
	// refresh (most of them) would draw it and take it away within the same few milliseconds,
	// two header rebuilds and two draws per refresh for nothing a person could see.
	let refreshingTimer: ReturnType<typeof setTimeout> | undefined;
	const stopRefreshingTimer = (): void => {
		if (refreshingTimer !== undefined) clearTimeout(refreshingTimer);
		refreshingTimer = undefined;
	};

	const refresh = (): Promise<void> => {
		if (inFlight) return inFlight;
		inFlight = runRefresh().finally(() => {
			refreshStartedAt = undefined;
			stopRefreshingTimer();
			inFlight = undefined;
		});
		return inFlight;
	};

	const runRefresh = async (): Promise<void> => {
		controller = new AbortController();
		const {signal} = controller;
		const startedAt = clock.now();
		refreshStartedAt = startedAt;
		dueAt = undefined;
		stopRefreshingTimer();
		refreshingTimer = setTimeout(() => {
			refreshingTimer = undefined;
			setState({refreshing: true});
		}, refreshingShownAfterMs);
		const wantInfo = serverInfo === undefined || ticks % 15 === 0;
		const metricsAnswered = metricsHealth !== undefined && metricsHealth.everSucceeded && metricsHealth.consecutiveFailures === 0;
		const wantHistory = options.metrics !== undefined && !historyRequested && ticks >= historyNextTick && (historyFailures === 0 || metricsAnswered);
		if (wantHistory) historyRequested = true;
		ticks += 1;

		// The start-up range query runs beside the refresh but does not hold up its frame: the
		// grid is drawn as soon as REST and the instant query answer, the sparklines when it does.
		const historyResult = wantHistory && options.metrics ? settle(options.metrics.fetchHistory(startedAt, options.historyWindowMs, options.intervalMs, historyController.signal)) : undefined;
		const [infoResult, connectorsResult, metricsResult] = await Promise.allSettled([
			wantInfo ? options.connect.serverInfo(signal) : Promise.resolve(serverInfo),
			options.connect.connectors(signal),
			options.metrics ? metricsAnswer(options.metrics, startedAt, signal) : Promise.resolve(undefined),
		]);
		stopRefreshingTimer();
		if (signal.aborted) {
			if (state.refreshing) setState({refreshing: false});
			return;
		}
		const at = clock.now();

		if (infoResult.status === 'fulfilled' && infoResult.value !== undefined) serverInfo = infoResult.value;
		if (connectorsResult.status === 'fulfilled') {
			connectors = connectorsResult.value.connectors;
			restHealth = succeeded(restHealth, at, options.connect.currentUrl(), connectorsResult.value.fallback ? ['worker older than 2.3: one status call per connector'] : []);
			restBackoff = true;
		} else {
			restHealth = failed(restHealth, at, connectorsResult.reason);
			const reason: unknown = connectorsResult.reason;
			restBackoff = !(isKctopError(reason) && reason.kind === 'http' && reason.status === 409);
		}
		if (options.metrics && metricsHealth) {
			// Still out when this refresh stopped waiting for it, but in by now (while REST was still out): taken now.
			const late = metricsResult.status === 'fulfilled' && metricsResult.value === stillOut ? metricsOut?.outcome : undefined;
			if (late !== undefined) metricsOut = undefined;
			const result = late ?? metricsResult;
			if (result.status === 'fulfilled') {
				const answer = result.value;
				if (answer === stillOut) metricsHealth = waiting(metricsHealth, at);
				else if (answer !== undefined) takeMetrics(answer, at);
			} else {
				metricsHealth = failed(metricsHealth, at, result.reason);
			}
		}

		// One state change per refresh: the new snapshot, the end of `refreshing` and the next time together.
		if (historyResult !== undefined) historyPending = true;
		const published = publish(at, historyPending ? 'defer' : 'record');
		const nextRefreshAt = schedule(nextDelay());
		setState({...published, refreshing: false, ...(nextRefreshAt === undefined ? {} : {nextRefreshAt})});
		armHeartbeat();
		if (state.detail) void loadDetail(state.detail.connector, false);
		if (historyResult === undefined) {
			// A range query sent by an earlier refresh and still out settles start-up when it is in.
			if (!historyPending) settleStartup();
			return;
		}
		// Not awaited: the next refreshes must not wait for the start-up range query.
		historySettling = historyResult.then(ranges => {
			historyPending = false;
			settleHistory(ranges, historyController.signal);
		});
		void historySettling.then(settleStartup, settleStartup);
	};

	/**
	 * This refresh's metrics answer. Without options.metricsWait, a request of its own. With it,
	 * the request still out from an earlier refresh, or a new one; `stillOut` when it has not
	 * answered within waitMs of this refresh's start (it stays out, and the next refresh waits
	 * for it). An answer that comes between refreshes is drawn at once.
	 */
	const metricsAnswer = async (source: MetricsSource, startedAt: number, signal: AbortSignal): Promise<MetricsFetch | typeof stillOut> => {
		const wait = options.metricsWait;
		if (wait === undefined) return source.fetch(startedAt, signal);
		let out = metricsOut;
		if (out === undefined) {
			const answer = settle(source.fetch(startedAt, metricsController.signal));
			const sent: NonNullable<typeof metricsOut> = {answer, since: startedAt};
			out = sent;
			metricsOut = sent;
			void answer.then(outcome => {
				sent.outcome = outcome;
				// A refresh in flight takes it (see lateOutcome); otherwise it is drawn now.
				if (metricsOut !== sent || inFlight !== undefined || metricsController.signal.aborted) return;
				metricsOut = undefined;
				takeLateMetrics(outcome);
			});
		}
		const {answer} = out;
		let waitTimer: ReturnType<typeof setTimeout> | undefined;
		const elapsed = Math.max(0, clock.now() - startedAt);
		const outcome = await Promise.race([
			answer,
			new Promise<typeof stillOut>(resolve => {
				waitTimer = setTimeout(() => resolve(stillOut), Math.max(0, wait.waitMs - elapsed));
			}),
		]);
		clearTimeout(waitTimer);
		if (outcome === stillOut) return stillOut;
		if (metricsOut === out) metricsOut = undefined;
		if (outcome.status === 'rejected') throw outcome.reason;
		return outcome.value;
	};

	/** A metrics answer that came between refreshes (see metricsAnswer): taken as a refresh would, and drawn without moving the history. */
	const takeLateMetrics = (outcome: PromiseSettledResult<MetricsFetch>): void => {
		if (!metricsHealth) return;
		const at = clock.now();
		if (outcome.status === 'fulfilled') takeMetrics(outcome.value, at);
		else metricsHealth = failed(metricsHealth, at, outcome.reason);
		setState(publish(at, 'none'));
	};

	/** Keeps a metrics answer as the last good one. */
	const takeMetrics = (answer: MetricsFetch, at: number): void => {
		if (!metricsHealth) return;
		metricResults = answer.results;
		emptyMetrics = answer.empty;
		profileMatch = answer.profile ?? profileMatch;
		const warnings = historyWarning === undefined ? answer.warnings : [...answer.warnings, historyWarning];
		metricsHealth = {...succeeded(metricsHealth, at, answer.endpoint, warnings), staleSamples: answer.stale};
	};

	/** The metrics request is still out past metricsWait.waitMs: the last good metrics stay, marked stale, and the header says since when it was sent. */
	const waiting = (health: SourceHealth, at: number): SourceHealth => {
		const wait = options.metricsWait;
		const why = wait === undefined ? 'no answer yet' : `no answer within ${formatAge(wait.waitMs)}: still waiting for it, up to ${formatAge(wait.giveUpMs)}`;
		return {...health, stale: health.everSucceeded, lastAttemptAt: at, pendingSince: metricsOut?.since ?? at, lastError: why};
	};

	const settleHistory = (ranges: PromiseSettledResult<MetricHistory>, signal: AbortSignal): void => {
		if (signal.aborted) return;
		if (ranges.status === 'fulfilled') pendingHistory = ranges.value;
		else if (isKctopError(ranges.reason) && !ranges.reason.isRetryable) historyWarning = `sparklines not backfilled: ${describeError(ranges.reason)}`;
		else {
			historyFailures += 1;
			historyNextTick = ticks + Math.min(2 ** (historyFailures - 1), 32) - 1;
			historyRequested = false;
		}
		if (recordDeferred()) setState(publish(clock.now(), 'none'));
	};

	/** Seeds the ring buffers from the start-up history, then records the points held back for it. True when there was something to show. */
	const recordDeferred = (): boolean => {
		const held = deferred;
		deferred = [];
		const seeded = pendingHistory !== undefined && connectors !== undefined;
		if (pendingHistory !== undefined && connectors !== undefined) {
			seedHistory(history, pendingHistory, connectors, options.profile, held[0]?.at ?? clock.now(), options.intervalMs, capacity);
			pendingHistory = undefined;
		}
		for (const {points} of held) history.record(points);
		return seeded;
	};

	/** The state a refresh publishes: the snapshot built from the last good data of each source. */
	/** `points`: record this refresh's points in the ring buffers, hold them back for the start-up history, or leave the buffers alone (a redraw). */
	const publish = (at: number, points: 'record' | 'defer' | 'none'): Partial<AppState> => {
		if (connectors === undefined && metricResults === undefined && serverInfo === undefined) {
			// Nothing known yet: still publish so the header can say why.
			connectors = undefined;
		}
		if (!historyPending && (deferred.length > 0 || pendingHistory !== undefined)) recordDeferred();
		sequence += 1;
		const built = buildSnapshot(
			{
				serverInfo,
				connectors,
				metrics: metricResults,
				rest: restHealth,
				metricsHealth,
				profile: profileMatch?.profile ?? options.profile,
				profileSummary: profileMatch === undefined ? undefined : summarizeMatch(profileMatch),
				emptyMetrics,
				workerMap,
				thresholds: options.thresholds,
			},
			{now: at, sequence, window: (name, series, current) => history.window(name, series, current), counterChange: (name, series, current) => history.counterChange(name, series, current), previous: state.snapshot, stepMs: options.intervalMs},
		);
		// Only REST data moves the history forward: a failed REST refresh must not stretch the sparklines with copies.
		if (restHealth.lastSuccessAt === at && points !== 'none') {
			if (points === 'defer') {
				deferred.push({points: built.points, at});
				if (deferred.length > capacity) deferred.shift();
			}
			else history.record(built.points);
		}
		const snapshot = built.snapshot;
		const previous = state.snapshot;
		const changed = previous === undefined ? new Set<string>() : changedConnectors(previous, snapshot);
		const frozen = state.frozen ? {...state.frozen, changesSinceFreeze: changedConnectors(state.frozen.snapshot, snapshot).size} : undefined;
		const lastBatch = actions.verifyBatch(state.lastBatch, snapshot);
		const lastAction = lastBatch === state.lastBatch ? state.lastAction : lastBatch?.items.at(-1);
		let journal = openJournalOnce(snapshot);
		const recorded = recordSnapshot(journal, snapshot);
		journal = recorded.journal;
		const concludedItems = (lastBatch?.items ?? []).filter((item, index) => item.verification !== undefined && item.verification.status !== 'waiting' && item !== state.lastBatch?.items[index]);
		for (const item of concludedItems) options.audit?.verified(item, at);
		const concluded = concludedItems.map(item => actionEvent(item.plan.intent.connector, item.verification?.status ?? '', `${intentLabel(item.plan.intent)}: ${item.verification?.text ?? ''}`, at));
		journal = appendEvents(journal, concluded);
		journalFile?.append([...recorded.added, ...concluded]);
		return {snapshot, frozen, now: at, changed, lastAction, lastBatch, journal, journalProblem: journalFile?.problem()};
	};

	let journalFile: JournalFile | undefined;
	let journalOpened = false;
	/** On the first answer from Connect (the cluster id is known then): open the file and replay what earlier runs saw. */
	const openJournalOnce = (snapshot: ClusterSnapshot): Journal => {
		if (journalOpened || options.openJournal === undefined || !snapshot.rest.everSucceeded) return state.journal;
		journalOpened = true;
		journalFile = options.openJournal(snapshot.cluster.kafkaClusterId);
		return appendEvents(state.journal, journalFile?.load() ?? []);
	};

	const recordActions = (events: readonly JournalEvent[]): void => {
		journalFile?.append(events);
		setState({journal: appendEvents(state.journal, events), journalProblem: journalFile?.problem()});
	};

	const loadDetail = async (connector: string, initial: boolean): Promise<void> => {
		const generation = detailGeneration;
		const current = (): DetailData | undefined => (state.detail?.connector === connector && generation === detailGeneration ? state.detail : undefined);
		if (initial) setState({detail: {connector, topics: {status: 'loading'}, offsets: {status: 'loading'}}});
		const [topics, offsets] = await Promise.allSettled([options.connect.topics(connector), options.connect.offsets(connector)]);
		const detail = current();
		if (!detail) return;
		const at = clock.now();
		const topicsValue: Loadable<readonly string[]> = topics.status === 'fulfilled' ? {status: 'ok', value: topics.value, at} : {status: 'error', error: describeError(topics.reason)};
		const offsetsValue: Loadable<readonly OffsetRow[]> = offsets.status === 'fulfilled' ? {status: 'ok', value: offsetRows(offsets.value), at} : {status: 'error', error: describeError(offsets.reason)};
		setState({detail: {connector, topics: topicsValue, offsets: offsetsValue}});
	};

	const actions = createActionRunner({api: options.connect, clock, readOnly: state.readOnly, describeError});
	/** Publishes a sent batch: the footer, the journal, the audit log, and a refresh to see what it did. */
	const finishBatch = (sent: BatchOutcome): void => {
		options.audit?.sent(sent);
		// An action that cannot be audited still happened: say so where its outcome shows.
		const auditProblem = options.audit?.problem();
		const outcome = auditProblem === undefined ? sent : {...sent, message: `${sent.message} · ${auditProblem}`};
		setState({lastBatch: outcome, lastAction: outcome.items.at(-1)});
		// One event per connector; with several calls each call and its answer (the :events view shows them).
		const perCall = (item: ItemOutcome): string => (item.calls.length > 1 ? ` [${item.calls.map(call => `${call.method} ${call.path}: ${call.text}`).join('; ')}]` : '');
		recordActions(outcome.items.map(item => actionEvent(item.plan.intent.connector, item.result === 'applied' ? 'sent' : item.result === 'unknown' ? 'unknown' : 'not sent', `${intentLabel(item.plan.intent)}: ${item.message}${perCall(item)}`, item.at)));
		// Applied or maybe applied: the next refresh shows what the cluster did.
		if (outcome.items.some(item => item.result === 'applied' || item.result === 'unknown')) store.refreshNow();
	};
	const runBatch = async (batch: ActionBatch): Promise<BatchOutcome> => {
		const outcome = await actions.runBatch(batch);
		finishBatch(outcome);
		return outcome;
	};

	const store: PollingStore = {
		getState: () => state,
		subscribeClock(listener) {
			clockListeners.add(listener);
			return () => clockListeners.delete(listener);
		},
		clockNow: () => tickedAt,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		refreshNow() {
			if (inFlight) return;
			if (timer !== undefined) clearTimeout(timer);
			timer = undefined;
			void refresh();
		},
		toggleFreeze() {
			if (state.frozen) setState({frozen: undefined});
			else if (state.snapshot) setState({frozen: {snapshot: state.snapshot, at: clock.now(), changesSinceFreeze: 0}});
		},
		history: name => history.get(name),
		openDetail(connector) {
			detailGeneration += 1;
			void loadDetail(connector, true);
		},
		closeDetail() {
			detailGeneration += 1;
			setState({detail: undefined});
		},
		async runAction(plan) {
			const outcome = await actions.runBatch(batchOf(plan));
			finishBatch(outcome);
			const [item] = outcome.items;
			return item ?? {plan, ok: false, message: outcome.message, at: outcome.at, verification: undefined};
		},
		runBatch: batch => runBatch(batch),
		start() {
			if (running) return;
			running = true;
			void refresh();
			armHeartbeat();
		},
		stop() {
			running = false;
			if (timer !== undefined) clearTimeout(timer);
			timer = undefined;
			if (heartbeat !== undefined) clearTimeout(heartbeat);
			heartbeat = undefined;
			stopRefreshingTimer();
			controller?.abort();
			historyController.abort();
			metricsController.abort();
			metricsOut = undefined;
		},
		refresh,
		historySettled: async () => historySettling,
		startupSettled: async () => startedUp,
	};
	return store;
}

/** The state before the first refresh: nothing known yet. */
export function initialAppState(settings: Pick<AppState, 'demo' | 'readOnly' | 'intervalMs' | 'unreachableHint'>): AppState {
	return {
		snapshot: undefined,
		frozen: undefined,
		refreshing: false,
		nextRefreshAt: undefined,
		detail: undefined,
		lastAction: undefined,
		lastBatch: undefined,
		now: undefined,
		changed: new Set(),
		journal: emptyJournal,
		journalProblem: undefined,
		...settings,
	};
}

function actionEvent(connector: string, to: string, detail: string, at: number): JournalEvent {
	return {at, kind: 'action', subject: connector, connector, from: undefined, to, detail};
}

export function describeError(error: unknown): string {
	if (isKctopError(error)) return error.message;
	if (error instanceof Error) return `unexpected error: ${error.message}`;
	return `unexpected error: ${String(error)}`;
}

function offsetRows(offsets: ConnectorOffsets): OffsetRow[] {
	return offsets.offsets.map(entry => ({partition: compactJson(entry.partition), offset: entry.offset === null ? 'null' : compactJson(entry.offset)}));
}

function compactJson(value: unknown): string {
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		return Object.entries(value)
			.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
			.join(' ');
	}
	return JSON.stringify(value);
}

/**
 * Fills the ring buffers from the start-up range queries, so sparklines are full on the
 * first frame. Points are placed on the refresh grid ending one interval before `now`
 * (the current refresh records the newest point).
 */
export function seedHistory(
	history: HistoryStore,
	ranges: MetricHistory,
	connectors: ConnectorsExpanded,
	profile: NamingProfile,
	now: number,
	stepMs: number,
	capacity: number,
): void {
	const count = capacity - 1;
	const slot = (t: number): number => Math.round((now - t) / stepMs); // 1 = one interval ago
	const index = (id: LogicalMetricId, key: (labels: Readonly<Record<string, string>>) => string | undefined): Map<string, Float64Array> => {
		const list = ranges.get(id) ?? [];
		// Every key's slots are views into one array, so that the index is one allocation: thousands
		// of small ones, freed while the rings made next stay, left glibc's heap with their pages.
		const keys = list.map((series) => key(series.labels));
		const slots = new Map<string, number>();
		for (const k of keys) if (k !== undefined && !slots.has(k)) slots.set(k, slots.size);
		const all = new Float64Array(slots.size * count).fill(Number.NaN);
		const out = new Map<string, Float64Array>();
		slots.forEach((slot, k) => out.set(k, all.subarray(slot * count, (slot + 1) * count)));
		for (let n = 0; n < list.length; n++) {
			const series = list[n];
			const k = keys[n];
			if (series === undefined || k === undefined) continue;
			const values = out.get(k);
			if (values === undefined) continue;
			const {times} = series;
			const samples = series.values;
			// A query at a coarser step than the refresh: each point stands for the slots up to the next one, at most one step.
			const hold = series.stepMs === undefined || series.stepMs <= stepMs ? 1 : Math.max(1, Math.round(series.stepMs / stepMs));
			for (let j = 0; j < times.length; j++) {
				const s = slot(times[j] ?? Number.NaN);
				const v = samples[j] ?? Number.NaN;
				if (!Number.isFinite(v)) continue;
				const next = hold === 1 || j + 1 >= times.length ? 0 : slot(times[j + 1] ?? Number.NaN);
				const last = hold === 1 ? s : Math.max(s - hold + 1, next + 1, 1);
				for (let t = Math.min(s, count); t >= last; t--) {
					if (!(t >= 1 && t <= count)) continue;
					const i = count - t;
					values[i] = Number.isNaN(values[i] ?? Number.NaN) ? v : (values[i] ?? 0) + v;
				}
			}
		}
		return out;
	};
	const byConnector = (labels: Readonly<Record<string, string>>) => {
		return labels[profile.labels.connector];
	};
	const byServer = (labels: Readonly<Record<string, string>>) => {
		const v = labels[profile.labels.server];
		return v === undefined ? undefined : normaliseServerLabel(v);
	};
	const sinkLag = index('sinkLag', byConnector);
	const dbzLag = index('dbzMsBehindSource', byServer);
	const rate = index('recordRate', byConnector);
	const dbzRate = index('dbzEventsRate', byServer);
	const errors = index('recordErrors', byConnector);
	const failures = index('recordFailures', byConnector);
	const dlq = index('dlqWrites', byConnector);
	const commits = index('sinkOffsetCommits', byConnector);
	if ([sinkLag, dbzLag, rate, dbzRate, errors, failures, dlq].every(m => m.size === 0)) return;

	for (const [name, entry] of Object.entries(connectors)) {
		if (history.has(name)) continue;
		const config = entry.info?.config ?? {};
		const server = debeziumServerOf(config);
		const isSink = (entry.status?.type ?? entry.info?.type) === 'sink';
		const lag = isSink ? sinkLag.get(name) : server === undefined ? undefined : dbzLag.get(server);
		const rates = rate.get(name) ?? (server === undefined ? undefined : dbzRate.get(server));
		const e = errors.get(name);
		const f = failures.get(name);
		const d = dlq.get(name);
		const c = isSink ? commits.get(name) : undefined;
		if (!lag && !rates && !e && !f && !d) continue;
		const points: HistoryPoint[] = [];
		for (let i = 0; i < count; i++) {
			const lagValue = lag?.[i];
			const errorsValue = addDefined(e?.[i], f?.[i]);
			points.push({
				lag: lagValue === undefined || Number.isNaN(lagValue) || lagValue < 0 ? undefined : lagValue,
				recordRate: nanToUndefined(rates?.[i]),
				errors: errorsValue,
				dlq: nanToUndefined(d?.[i]),
				commits: nanToUndefined(c?.[i]),
			});
		}
		history.seed(name, points);
	}
}

function nanToUndefined(value: number | undefined): number | undefined {
	return value === undefined || Number.isNaN(value) ? undefined : value;
}

function addDefined(a: number | undefined, b: number | undefined): number | undefined {
	const x = nanToUndefined(a);
	const y = nanToUndefined(b);
	if (x === undefined) return y;
	if (y === undefined) return x;
	return x + y;
}
