/**
 * @outrun/store — persistence ports and their adapters.
 * Import the types from here; adapters from the side-effecting subpaths
 * `@outrun/store/sqlite` and `@outrun/store/mongo`, so importing a type never opens a file or socket.
 */
export type * from './ports';
