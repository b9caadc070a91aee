// Errors the storage layer rejects with, shared by both stores so that callers (screens, sync)
// can tell a missing interview from a failing database.

/** `updateInterview` on an id this device does not hold. */
export class InterviewNotFoundError extends Error {
  override readonly name = 'InterviewNotFoundError';

  constructor(readonly interviewId: string) {
    super(`No interview ${JSON.stringify(interviewId)} on this device.`);
  }
}

/** `updateInterview` with a paradata event that belongs to another interview. */
export class ParadataMismatchError extends Error {
  override readonly name = 'ParadataMismatchError';

  constructor(
    readonly interviewId: string,
    readonly eventInterviewId: string,
  ) {
    super(
      `A paradata event of interview ${JSON.stringify(eventInterviewId)} was logged with interview ${JSON.stringify(interviewId)}.`,
    );
  }
}
