import { ErrorCode, OutrunError } from '@outrun/schemas';
import { isRetriable } from '../retry/should-retry';

/** The serialisable error a step records. */
export interface StepError {
  code: string;
  message: string;
  nodeId?: string;
  retriable?: boolean;
}

/** Maps anything a node threw to a stable `{code, message}`: Outrun errors keep their code, the rest are OUT_ERR_NODE_FAILED. */
export function toStepError(err: unknown, nodeId: string | undefined): StepError {
  let code: string = ErrorCode.NODE_FAILED;
  let message: string;
  if (err instanceof OutrunError) code = err.code;
  else if (err !== null && typeof err === 'object' && typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('OUT_ERR_')) {
    code = (err as { code: string }).code;
  }
  if (err instanceof Error) message = err.message;
  else if (err !== null && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') message = (err as { message: string }).message;
  else message = String(err);
  const out: StepError = { code, message: message || code, retriable: isRetriable(err) };
  if (nodeId !== undefined) out.nodeId = nodeId;
  return out;
}
