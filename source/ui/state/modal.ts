import type {ConnectorAction} from '../../store/types.js';

/** The confirmation dialog in front of every action (pure). While open it consumes every key. */
export type ModalState = {readonly kind: 'confirm'; readonly action: ConnectorAction} | undefined;

export type ModalEvent =
	| {readonly type: 'modal/opened'; readonly action: ConnectorAction}
	| {readonly type: 'modal/confirmed'}
	| {readonly type: 'modal/dismissed'};

export function reduceModal(state: ModalState, event: ModalEvent): ModalState {
	switch (event.type) {
		case 'modal/opened':
			return {kind: 'confirm', action: event.action};
		case 'modal/confirmed':
		case 'modal/dismissed':
			return undefined;
	}
}
