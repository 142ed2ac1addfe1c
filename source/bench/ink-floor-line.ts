/** The line the Ink floor (ink-floor-app.tsx) draws, and the bench (ink-floor.ts) waits for. */
export const inkFloorLine = 'ink floor: one line drawn';
