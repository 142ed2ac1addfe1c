// Types of scripts/undici-entry.cjs: the parts of undici it passes on, as undici types them.
export {Agent, Dispatcher, request} from 'undici';
