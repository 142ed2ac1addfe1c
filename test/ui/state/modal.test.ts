import {describe, expect, it} from 'vitest';
import {reduceModal} from '../../../source/ui/state/modal.js';

describe('reduceModal', () => {
	const action = {kind: 'pause', connector: 'jdbc-sink'} as const;

	it('opens with the action and closes on confirm or dismiss', () => {
		const open = reduceModal(undefined, {type: 'modal/opened', action});
		expect(open).toEqual({kind: 'confirm', action});
		expect(reduceModal(open, {type: 'modal/confirmed'})).toBeUndefined();
		expect(reduceModal(open, {type: 'modal/dismissed'})).toBeUndefined();
	});
});
