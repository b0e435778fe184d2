import { installCancellation } from './cancellation.js';
import { run } from './main.js';

installCancellation();
await run();
