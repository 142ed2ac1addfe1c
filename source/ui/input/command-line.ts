/** The `:` command line (pure parsing). */
export type CommandLineResult =
	| {readonly kind: 'root'; readonly root: 'connectors' | 'workers' | 'events' | 'failures'}
	| {readonly kind: 'help'}
	/** `:ctx` lists the contexts, `:ctx NAME` switches to one. */
	| {readonly kind: 'context'; readonly name: string | undefined}
	| {readonly kind: 'quit'}
	| {readonly kind: 'none'}
	| {readonly kind: 'message'; readonly level: 'info' | 'error'; readonly text: string};

export function parseCommandLine(text: string): CommandLineResult {
	const [word = '', ...rest] = text.trim().split(/\s+/);
	switch (word.toLowerCase()) {
		case '':
			return {kind: 'none'};
		case 'connectors':
		case 'connector':
		case 'co':
			return {kind: 'root', root: 'connectors'};
		case 'workers':
		case 'worker':
		case 'wo':
			return {kind: 'root', root: 'workers'};
		case 'failures':
		case 'failure':
		case 'fa':
			return {kind: 'root', root: 'failures'};
		case 'events':
		case 'event':
		case 'ev':
			return {kind: 'root', root: 'events'};
		case 'help':
		case 'h':
		case '?':
			return {kind: 'help'};
		case 'q':
		case 'q!':
		case 'quit':
		case 'exit':
			return {kind: 'quit'};
		case 'ctx':
		case 'context':
			return {kind: 'context', name: rest[0]};
		default:
			return {kind: 'message', level: 'error', text: `unknown command: ${word} (try :connectors, :workers, :failures, :events, :help, :q)`};
	}
}
