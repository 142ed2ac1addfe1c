import {describe, expect, it} from 'vitest';
import {batchOf} from '../../../source/model/action-plan.js';
import {isDeliberate, reduceModal} from '../../../source/ui/state/modal.js';
import {onePlan} from '../../helpers/plans.js';

describe('reduceModal', () => {
	const batch = batchOf(onePlan({kind: 'pause', connector: 'jdbc-sink'}));

	it('opens unarmed with the focus on Cancel, and closes on confirm or dismiss', () => {
		const open = reduceModal(undefined, {type: 'modal/opened', batch});
		expect(open).toEqual({kind: 'confirm', batch, unknownBefore: [], deliberate: true, focus: 'cancel', armed: false, dropped: 0});
		expect(reduceModal(open, {type: 'modal/confirmed'})).toBeUndefined();
		expect(reduceModal(open, {type: 'modal/dismissed'})).toBeUndefined();
	});

	it('arms, and a dropped key disarms it again and is counted', () => {
		const armed = reduceModal(reduceModal(undefined, {type: 'modal/opened', batch}), {type: 'modal/armed'});
		expect(armed?.armed).toBe(true);
		const dropped = reduceModal(armed, {type: 'modal/input-dropped'});
		expect(dropped).toMatchObject({armed: false, dropped: 1});
		expect(reduceModal(dropped, {type: 'modal/focus-moved'})?.focus).toBe('ok');
	});

	it('asks for a deliberate key for the actions that stop data flowing', () => {
		expect(isDeliberate({kind: 'pause', connector: 'a'})).toBe(true);
		expect(isDeliberate({kind: 'stop', connector: 'a'})).toBe(true);
		expect(isDeliberate({kind: 'restart-all', connector: 'a'})).toBe(true);
		expect(isDeliberate({kind: 'restart-failed', connector: 'a'})).toBe(false);
		expect(isDeliberate({kind: 'restart-task', connector: 'a', task: 1})).toBe(false);
		expect(isDeliberate({kind: 'resume', connector: 'a'})).toBe(false);
	});
});
