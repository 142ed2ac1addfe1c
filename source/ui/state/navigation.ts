/** The navigation stack (pure): a root list view with detail, trace and help views pushed on top. */

export const detailTabs = ['overview', 'tasks', 'config', 'topics', 'offsets', 'charts'] as const;
export type DetailTab = (typeof detailTabs)[number];

export type RootView = {readonly kind: 'connectors'} | {readonly kind: 'workers'} | {readonly kind: 'events'} | {readonly kind: 'failures'};

export interface DetailView {
	readonly kind: 'detail';
	readonly connector: string;
	readonly tab: DetailTab;
	/** Selected task (index into the task list) on the Tasks tab. */
	readonly task: number;
	/** Scroll position on the other tabs. */
	readonly scroll: number;
}

export interface TraceView {
	readonly kind: 'trace';
	readonly connector: string;
	/** Task id, or undefined for the connector's own trace. */
	readonly task: number | undefined;
	readonly scroll: number;
	readonly wrap: boolean;
}

export interface HelpView {
	readonly kind: 'help';
	readonly scroll: number;
}

/** The FAILED connectors and tasks that share one root cause (pushed from `:failures`). */
export interface FailureMembersView {
	readonly kind: 'failure-members';
	readonly fingerprint: string;
	/** Selected member. */
	readonly index: number;
}

export type PushedView = DetailView | TraceView | HelpView | FailureMembersView;
export type View = RootView | PushedView;
export type ViewKind = View['kind'];

/** Never empty: index 0 is the root view. */
export type NavigationStack = readonly [RootView, ...View[]];

export type NavigationEvent =
	| {readonly type: 'nav/pushed'; readonly view: PushedView}
	| {readonly type: 'nav/popped'}
	| {readonly type: 'nav/root-chosen'; readonly root: RootView['kind']}
	| {readonly type: 'nav/top-changed'; readonly view: PushedView};

export const initialNavigation: NavigationStack = [{kind: 'connectors'}];

export function topView(stack: NavigationStack): View {
	return stack.at(-1) ?? stack[0];
}

export function reduceNavigation(stack: NavigationStack, event: NavigationEvent): NavigationStack {
	switch (event.type) {
		case 'nav/pushed':
			return [...stack, event.view];
		case 'nav/popped':
			return stack.length > 1 ? [stack[0], ...stack.slice(1, -1)] : stack;
		case 'nav/root-chosen':
			return [{kind: event.root}];
		case 'nav/top-changed':
			// The root cannot be replaced this way; only pushed views can change.
			return stack.length > 1 && topView(stack).kind === event.view.kind ? [stack[0], ...stack.slice(1, -1), event.view] : stack;
	}
}

/** The connector whose detail is open anywhere in the stack (a trace viewer sits above its detail). */
export function openDetailConnector(stack: NavigationStack): string | undefined {
	for (const view of stack) if (view.kind === 'detail') return view.connector;
	return undefined;
}

export function tabIndex(tab: DetailTab): number {
	return detailTabs.indexOf(tab);
}

export function tabAt(index: number): DetailTab {
	const count = detailTabs.length;
	return detailTabs[((index % count) + count) % count] ?? 'overview';
}
