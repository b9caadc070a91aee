// Who may call what, generated from docs/api.md's route table: every route is called by every kind
// of caller, and must refuse those its "who may call" cell does not name and let in those it does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorResponseSchema } from '../../../src/core/protocol/index.ts';
import type { Caller, World } from '../../helpers/api-world.ts';
import { ALLOWED_NON_2XX, openWorld } from '../../helpers/api-world.ts';
import type { DocumentedRoute } from '../../helpers/route-table.ts';
import { allowedCallers, documentedRoutes, MEMBERS } from '../../helpers/route-table.ts';

const routes = documentedRoutes();

function describeAnswer(status: number, text: string): string {
  return `${status} ${text.slice(0, 200)}`;
}

describe('auth matrix generated from the docs/api.md route table', () => {
  let world: World;

  beforeAll(async () => {
    world = await openWorld();
  }, 120_000);

  afterAll(async () => {
    await world.close();
  });

  it('reads every route of the table', () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.map((route) => route.key)).toContain('POST /api/v1/records');
  });

  /** Calls the route as `caller`, with what an allowed caller would need. */
  const call = async (route: DocumentedRoute, caller: Caller, phase: 'refused' | 'allowed') => {
    const { url, payload } = await world.prepare(route, caller, phase);
    return world.send({
      method: route.method,
      url,
      authorization: caller.authorization,
      payload,
    });
  };

  it.each(routes.map((route) => [route.key, route] as const))(
    '%s: refuses whoever the table does not name, lets in whoever it does',
    async (_, route) => {
      const allowed = allowedCallers(route);
      const problems: string[] = [];
      const everyone = [...world.outsiders, ...MEMBERS.map((member) => world.members[member])];
      const letIn =
        allowed === 'anyone'
          ? everyone
          : everyone.filter(
              (caller) => caller.member !== undefined && allowed.includes(caller.member),
            );

      if (allowed !== 'anyone') {
        const refused = everyone.filter((caller) => !letIn.includes(caller));
        for (const caller of refused) {
          const answer = await call(route, caller, 'refused');
          if (answer.status !== 401 && answer.status !== 403)
            problems.push(
              `${caller.name} should be refused (401/403), got ${describeAnswer(answer.status, answer.text)}`,
            );
          else if (!ErrorResponseSchema.safeParse(answer.json).success)
            problems.push(
              `${caller.name} is refused with more than { error, message }: ${answer.text.slice(0, 200)}`,
            );
        }
        problems.push(...(await world.standingProblems()));
      }

      for (const caller of letIn) {
        const answer = await call(route, caller, 'allowed');
        const expected = ALLOWED_NON_2XX[route.key] ?? [];
        const tookBody = route.method === 'POST' || route.method === 'PUT';
        const ok =
          answer.status < 300 ||
          expected.includes(answer.status) ||
          // A route this file has no valid body for may refuse the empty body, after the auth check.
          (tookBody && answer.status === 400 && !world.hasBodyFor(route));
        if (!ok)
          problems.push(
            `${caller.name} should get in, got ${describeAnswer(answer.status, answer.text)}`,
          );
        await world.keepWorking(caller);
      }

      expect(problems, `${route.key} (who may call: ${route.who})`).toEqual([]);
    },
    60_000,
  );
});
