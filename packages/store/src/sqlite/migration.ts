/** One step of the SQLite schema: applied once, in version order, inside the start-up transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
