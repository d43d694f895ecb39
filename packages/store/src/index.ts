/**
 * @outrun/store — persistence ports and their adapters.
 * Import the types from here; adapters from the side-effecting subpaths
 * `@outrun/store/sqlite`, `@outrun/store/mongo` and `@outrun/store/open`, so importing a type never opens a file or socket.
 */
export type * from './ports';
export { DEFAULT_MAX_STEP_BYTES } from './shared/truncate';
