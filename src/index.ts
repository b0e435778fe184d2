import { run } from './action/run.js';
import { installCancellation } from './shared/cancellation.js';

installCancellation();
await run();
