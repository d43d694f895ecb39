import { randomUUID } from 'node:crypto';
import type { CredentialInfo } from '@outrun/schemas';
import type { Document } from 'mongodb';
import type { CredentialStore } from '../ports';
import type { CredentialCipher } from '../shared/credential-cipher';
import { names, type MongoContext } from './mongo-context';

const toInfo = (d: Document): CredentialInfo => ({
  id: String(d._id),
  workspaceId: String(d.workspaceId),
  name: String(d.name),
  type: d.type as CredentialInfo['type'],
  // Documents written before allowed hosts existed have none: nowhere (see docs/api.md, credentials).
  allowedHosts: Array.isArray(d.allowedHosts) ? (d.allowedHosts as string[]) : [],
  createdAt: String(d.createdAt),
  updatedAt: String(d.updatedAt),
});
const aad = (workspaceId: string, id: string) => `credential:${workspaceId}:${id}`;
const INFO = { sealed: 0 } as const;

/** Credentials in `credentials`, sealed with AES-256-GCM (key id inside the sealed string). */
export function createMongoCredentialStore(ctx: MongoContext, cipher: CredentialCipher): CredentialStore {
  const creds = ctx.db.collection(names.credentials);
  return {
    async create(workspaceId, input) {
      const now = ctx.now();
      const id = randomUUID();
      const doc = { _id: id as never, workspaceId, name: input.name, type: input.type, allowedHosts: [...(input.allowedHosts ?? [])], sealed: cipher.encrypt(input.data, aad(workspaceId, id)), createdAt: now, updatedAt: now };
      await creds.insertOne(doc);
      return toInfo(doc);
    },
    async list(workspaceId) {
      return (await creds.find({ workspaceId }, { projection: INFO }).sort({ createdAt: 1, _id: 1 }).toArray()).map(toInfo);
    },
    async getInfo(workspaceId, credentialId) {
      const d = await creds.findOne({ _id: credentialId as never, workspaceId }, { projection: INFO });
      return d ? toInfo(d) : null;
    },
    async getSecret(workspaceId, credentialId) {
      const d = await creds.findOne({ _id: credentialId as never, workspaceId }, { projection: { sealed: 1 } });
      return d ? cipher.decrypt(String(d.sealed), aad(workspaceId, credentialId)) : null;
    },
    async updateSecret(workspaceId, credentialId, data) {
      const sealed = cipher.encrypt(data, aad(workspaceId, credentialId));
      return (await creds.updateOne({ _id: credentialId as never, workspaceId }, { $set: { sealed, updatedAt: ctx.now() } })).matchedCount > 0;
    },
    async setAllowedHosts(workspaceId, credentialId, allowedHosts) {
      const d = await creds.findOneAndUpdate({ _id: credentialId as never, workspaceId }, { $set: { allowedHosts: [...allowedHosts], updatedAt: ctx.now() } }, { projection: INFO, returnDocument: 'after' });
      return d ? toInfo(d) : null;
    },
    async delete(workspaceId, credentialId) {
      return (await creds.deleteOne({ _id: credentialId as never, workspaceId })).deletedCount > 0;
    },
  };
}
