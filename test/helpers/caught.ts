import {KctopError} from '../../source/clients/errors.js';

/** The KctopError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function caught(promise: Promise<unknown>): Promise<KctopError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof KctopError) return error;
		throw error;
	}
	throw new Error('expected a KctopError, got a result');
}
