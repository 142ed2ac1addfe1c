/** A promise's outcome as a value (like one entry of Promise.allSettled), so it can be awaited later without an unhandled rejection in between. */
export async function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
	return promise.then(
		value => ({status: 'fulfilled', value}),
		(reason: unknown) => ({status: 'rejected', reason}),
	);
}
