import { deserialize, serialize, type Document } from 'bson';

/** Opcodes of the MongoDB wire protocol that this server speaks. */
export const OpCode = { reply: 1, query: 2004, msg: 2013 } as const;

const HEADER_BYTES = 16;
const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;
const BSON_OPTIONS = { promoteValues: true, promoteBuffers: false, bsonRegExp: false } as const;

/** One request, decoded: the command document with kind-1 sequences folded in (`documents`, `updates`, `deletes`). */
export interface WireRequest {
  requestId: number;
  opCode: number;
  command: Document;
  /** The client does not want an answer (OP_MSG moreToCome, e.g. unacknowledged writes). */
  moreToCome: boolean;
}

/** Splits complete messages off the front of `buffer`; returns them and the unread rest. */
export function takeMessages(buffer: Buffer): { messages: Buffer[]; rest: Buffer } {
  const messages: Buffer[] = [];
  let offset = 0;
  while (buffer.length - offset >= 4) {
    const length = buffer.readInt32LE(offset);
    if (length < HEADER_BYTES) throw new Error(`bad message length ${length}`);
    if (buffer.length - offset < length) break;
    messages.push(buffer.subarray(offset, offset + length));
    offset += length;
  }
  return { messages, rest: buffer.subarray(offset) };
}

/** Decodes an OP_MSG or legacy OP_QUERY command message. */
export function decodeRequest(message: Buffer): WireRequest {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OpCode.msg) return { requestId, opCode, ...decodeMsg(message) };
  if (opCode === OpCode.query) return { requestId, opCode, command: decodeQuery(message), moreToCome: false };
  throw new Error(`unsupported opcode ${opCode}`);
}

function decodeMsg(message: Buffer): { command: Document; moreToCome: boolean } {
  const flags = message.readUInt32LE(HEADER_BYTES);
  const end = message.length - (flags & CHECKSUM_PRESENT ? 4 : 0);
  let offset = HEADER_BYTES + 4;
  let command: Document | undefined;
  const sequences: Record<string, Document[]> = {};
  while (offset < end) {
    const kind = message.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      const size = message.readInt32LE(offset);
      command = deserialize(message.subarray(offset, offset + size), BSON_OPTIONS);
      offset += size;
    } else if (kind === 1) {
      const size = message.readInt32LE(offset);
      const sectionEnd = offset + size;
      const nameEnd = message.indexOf(0, offset + 4);
      const name = message.toString('utf8', offset + 4, nameEnd);
      const docs: Document[] = [];
      for (let p = nameEnd + 1; p < sectionEnd; ) {
        const docSize = message.readInt32LE(p);
        docs.push(deserialize(message.subarray(p, p + docSize), BSON_OPTIONS));
        p += docSize;
      }
      sequences[name] = docs;
      offset = sectionEnd;
    } else {
      throw new Error(`unsupported OP_MSG section kind ${kind}`);
    }
  }
  if (!command) throw new Error('OP_MSG without a body section');
  return { command: { ...command, ...sequences }, moreToCome: (flags & MORE_TO_COME) !== 0 };
}

function decodeQuery(message: Buffer): Document {
  let offset = HEADER_BYTES + 4;
  const nameEnd = message.indexOf(0, offset);
  const collection = message.toString('utf8', offset, nameEnd);
  offset = nameEnd + 1 + 8; // numberToSkip, numberToReturn
  const size = message.readInt32LE(offset);
  const query = deserialize(message.subarray(offset, offset + size), BSON_OPTIONS);
  // Legacy handshakes wrap the command in `$query`; the database is the namespace's first part.
  const command = (query.$query as Document | undefined) ?? query;
  return { ...command, $db: collection.split('.')[0] };
}

/** Encodes the answer to `request` in the same protocol it came in. */
export function encodeReply(request: WireRequest, responseId: number, body: Document): Buffer {
  const bson = serialize(body);
  if (request.opCode === OpCode.query) {
    const header = Buffer.alloc(HEADER_BYTES + 20);
    header.writeInt32LE(header.length + bson.length, 0);
    header.writeInt32LE(responseId, 4);
    header.writeInt32LE(request.requestId, 8);
    header.writeInt32LE(OpCode.reply, 12);
    header.writeInt32LE(0, 16); // responseFlags
    header.writeBigInt64LE(0n, 20); // cursorID
    header.writeInt32LE(0, 28); // startingFrom
    header.writeInt32LE(1, 32); // numberReturned
    return Buffer.concat([header, bson]);
  }
  const header = Buffer.alloc(HEADER_BYTES + 5);
  header.writeInt32LE(header.length + bson.length, 0);
  header.writeInt32LE(responseId, 4);
  header.writeInt32LE(request.requestId, 8);
  header.writeInt32LE(OpCode.msg, 12);
  header.writeUInt32LE(0, 16);
  header.writeUInt8(0, 20);
  return Buffer.concat([header, bson]);
}
