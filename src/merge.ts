import { runMerge } from './action/merge.js';

await runMerge();
