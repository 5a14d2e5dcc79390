import { ActiveSyncError } from '../../../src/activesync/errors';

/** The ActiveSyncError a promise rejects with; anything else fails the test. */
export async function failure(promise: Promise<unknown>): Promise<ActiveSyncError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ActiveSyncError) return error;
    throw error;
  }
  throw new Error('expected an ActiveSyncError');
}
