import {render, Text} from 'ink';
import {inkFloorLine} from './ink-floor-line.js';

/**
 * The Ink floor of the bench (ink-floor.ts): the least a program on kctop's UI stack does to
 * put one line on a terminal. It loads React, Ink and yoga-layout as kctop's bundle does
 * (scripts/bundle.mjs builds this file with the same settings and start-up patches, into
 * dist/bench-bundle/ink-floor/), renders one line with the render options kctop uses, and
 * stays until the bench ends it. It reads no source and lays out no table: what kctop spends
 * past this line, it spends on its own work.
 */
render(<Text>{inkFloorLine}</Text>, {exitOnCtrlC: false, patchConsole: true, maxFps: 15});
// Nothing else keeps the process alive once the line is drawn; the bench kills it.
setInterval(() => undefined, 60_000);
