import type {ActionBatch, ActionIntent} from '../../model/action-plan.js';

/**
 * The confirmation dialog in front of every action (pure). While it is open it consumes
 * every key. It protects against keys nobody meant for it:
 * - it opens **unarmed**: keys that arrive before it is armed are dropped (the rest of the
 *   burst that opened it, type-ahead read before it was drawn, key repeat). The UI arms it
 *   once the dialog has been on screen with no input for {@link armQuietMs};
 * - a burst (several keys in one read, or a paste) never confirms: it disarms the dialog;
 * - focus starts on Cancel: a stray Enter cancels;
 * - actions that stop data flowing (pause, stop, restart all) are **deliberate**: only
 *   moving the focus to OK and pressing Enter sends them; `y` does not. So is any action
 *   on a connector whose last call timed out (it may have been applied): asking again is
 *   a new, deliberate decision, never a retry.
 */
export interface ConfirmModal {
	readonly kind: 'confirm';
	/** What will be sent (a plan per connector): every call is listed in the dialog. */
	readonly batch: ActionBatch;
	/** Connectors of the batch whose last action had an unknown outcome (timed out, may have been applied). */
	readonly unknownBefore: readonly string[];
	/** Only Tab-to-OK then Enter sends it. */
	readonly deliberate: boolean;
	readonly focus: 'cancel' | 'ok';
	/** False until the dialog has been shown with no input for armQuietMs. */
	readonly armed: boolean;
	/** Keys dropped since the dialog opened (shown, so nobody wonders where they went). */
	readonly dropped: number;
}

export type ModalState = ConfirmModal | undefined;

/** How long the dialog must be on screen with no input before a key can confirm it. */
export const armQuietMs = 400;

export type ModalEvent =
	| {readonly type: 'modal/opened'; readonly batch: ActionBatch; readonly unknownBefore?: readonly string[]}
	| {readonly type: 'modal/armed'}
	| {readonly type: 'modal/input-dropped'}
	| {readonly type: 'modal/focus-moved'}
	| {readonly type: 'modal/confirmed'}
	| {readonly type: 'modal/dismissed'};

/** Actions that stop data flowing, or restart everything: they need a deliberate confirmation. */
export function isDeliberate(intent: ActionIntent): boolean {
	return isDeliberateKind(intent.kind);
}

export function isDeliberateKind(kind: ActionIntent['kind']): boolean {
	return kind === 'pause' || kind === 'stop' || kind === 'restart-all';
}

export function reduceModal(state: ModalState, event: ModalEvent): ModalState {
	switch (event.type) {
		case 'modal/opened': {
			const unknownBefore = event.unknownBefore ?? [];
			return {kind: 'confirm', batch: event.batch, unknownBefore, deliberate: isDeliberateKind(event.batch.kind) || unknownBefore.length > 0, focus: 'cancel', armed: false, dropped: 0};
		}
		case 'modal/armed':
			return state === undefined || state.armed ? state : {...state, armed: true};
		case 'modal/input-dropped':
			return state === undefined ? state : {...state, armed: false, dropped: state.dropped + 1};
		case 'modal/focus-moved':
			return state === undefined ? state : {...state, focus: state.focus === 'ok' ? 'cancel' : 'ok'};
		case 'modal/confirmed':
		case 'modal/dismissed':
			return undefined;
	}
}
