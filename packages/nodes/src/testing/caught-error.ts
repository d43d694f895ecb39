/** Test helper: the error `promise` rejects with; throws when it resolves instead. */
export async function caughtError(promise: Promise<unknown>, what = 'the call'): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error(`expected ${what} to fail`);
}
