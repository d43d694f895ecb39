/**
 * @outrun/store/mongo — the MongoDB store (official driver): the seed's collections, change streams for data changes.
 */
export { createMongoStore, type MongoStoreOptions } from './create-mongo-store';
export { names as mongoCollectionNames } from './mongo-context';
