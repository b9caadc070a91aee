// An error body written by a newer server still reads in an older app: a field it does not know,
// or a parameter of a kind it does not know, must not turn the server's message into "HTTP 4xx".
import { describe, expect, it } from 'vitest';
import {
  ErrorResponseReadSchema,
  ErrorResponseSchema,
} from '../../../../src/core/protocol/index.ts';
import type { Transport } from '../../../../src/app/sync/api.ts';
import { ApiError, apiClient } from '../../../../src/app/sync/api.ts';

const newer = {
  error: 'invalid_plan',
  message: 'cell men/18-24: limit above the sample size',
  params: { cell: 'men/18-24', issue: { kind: 'nested', at: [1, 2] } },
  hint: 'a field added by a later release',
};

describe('error bodies', () => {
  it('are written strictly by the server', () => {
    expect(ErrorResponseSchema.safeParse(newer).success).toBe(false);
  });

  it('are read leniently by clients: the message stays, unreadable parameters go', () => {
    const read = ErrorResponseReadSchema.safeParse(newer);
    expect(read.success).toBe(true);
    expect(read.data?.message).toBe(newer.message);
    expect(read.data?.params).toBeUndefined();
    const plain = ErrorResponseReadSchema.safeParse({
      error: 'exists',
      message: 'already published',
      params: { version: '2026.2' },
    });
    expect(plain.data?.params).toEqual({ version: '2026.2' });
  });

  it("reach the tablet's interface with the server's message", async () => {
    const transport: Transport = async () => ({ status: 400, json: async () => newer });
    const client = apiClient(transport, 'https://collecte.example.org', 'dev_x');
    const error = await client.questionnaireIndex().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'client', status: 400, message: newer.message });
  });
});
