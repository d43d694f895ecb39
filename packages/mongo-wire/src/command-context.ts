import { Long, Timestamp, type Document, type ObjectId } from 'bson';
import { Query } from 'mingo';
import type { CollectionState } from './collection';
import { CommandError, notFoundNamespace } from './command-error';
import type { ServerState } from './server-state';

/** Options of {@link startMongoWireServer} that commands read. */
export interface ServerOptions {
  /** Replica-set name reported by hello; null reports a standalone (change streams then fail with 40573). */
  replicaSetName: string | null;
}

/** A command's view of the server: its database, the state, and reply helpers. */
export class CommandContext {
  constructor(
    readonly state: ServerState,
    readonly db: string,
    readonly options: ServerOptions,
    readonly address: string,
    readonly connectionId: number,
    readonly electionId: ObjectId,
  ) {}

  operationTime(): Timestamp {
    return new Timestamp({ t: Math.floor(Date.now() / 1000), i: this.state.log.head });
  }

  requireCollection(name: string): CollectionState {
    const collection = this.state.collection(this.db, name);
    if (!collection) throw notFoundNamespace(`${this.db}.${name}`);
    return collection;
  }

  assertNew(name: string): void {
    if (this.state.collection(this.db, name)) throw new CommandError(48, 'NamespaceExists', `Collection ${this.db}.${name} already exists.`);
  }

  /** A cursor reply: the first batch, and a cursor id for the rest (0 when nothing is left). */
  firstBatch(docs: Document[], ns: string, cursor: Document | undefined, singleBatch = false): Document {
    const size = typeof cursor?.batchSize === 'number' ? cursor.batchSize : 101;
    const first = docs.slice(0, size);
    const rest = docs.slice(size);
    const id = rest.length > 0 && !singleBatch ? this.state.openCursor({ kind: 'documents', ns, docs: rest, position: 0 }) : 0n;
    return { cursor: { firstBatch: first, id: Long.fromBigInt(id), ns } };
  }

  listCollections(cmd: Document): Document {
    const collections = [...(this.state.databases.get(this.db)?.values() ?? [])];
    const filter = new Query((cmd.filter as Document | undefined) ?? {});
    const infos = collections
      .map((c) => ({ name: c.name, type: 'collection', options: c.options, info: { readOnly: false }, idIndex: { v: 2, key: { _id: 1 }, name: '_id_' } }))
      .filter((info) => filter.test(info));
    const shown = cmd.nameOnly ? infos.map(({ name, type }) => ({ name, type })) : infos;
    return this.firstBatch(shown, `${this.db}.$cmd.listCollections`, cmd.cursor as Document | undefined);
  }
}

/** Runs one command; a thrown {@link CommandError} becomes an `{ok: 0}` reply. */
export type CommandHandler = (cmd: Document, ctx: CommandContext) => Document | Promise<Document>;
