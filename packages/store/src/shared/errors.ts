import { ErrorCode, UserError } from '@outrun/schemas';

/** 409 for an `expectedVersion` that is not the current version. */
export function versionConflict(workflowId: string, expected: number, actual: number): UserError {
  return new UserError(ErrorCode.VERSION_CONFLICT, `Workflow ${workflowId} is at version ${actual}, not ${expected}: reload and retry.`, 409, {
    details: [{ path: 'expectedVersion', message: `current version is ${actual}` }],
  });
}

/** 409 for a create with an id that already exists. */
export function alreadyExists(what: string, id: string): UserError {
  return new UserError(ErrorCode.CONFLICT, `${what} ${id} already exists.`, 409, { details: [{ path: 'id', message: 'already exists' }] });
}

/** A trigger id another (non-archived) workflow of the workspace holds: the unique index said no (same 409 as the API's check). */
export function triggerIdTaken(): UserError {
  return new UserError(ErrorCode.CONFLICT, 'Trigger ids must be unique in the workspace.', 409, {
    details: [{ path: 'triggers', message: 'a trigger id is already used by another workflow of the workspace' }],
  });
}

/** Drops `undefined` properties, so objects satisfy `exactOptionalPropertyTypes`. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}
