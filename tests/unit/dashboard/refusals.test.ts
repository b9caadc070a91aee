// The server's refusals in the dashboard's words, family by family: the server answers a code
// with its parameters, the dashboard says it in French (or English), never in the server's
// English sentence; and every code the server's sources can answer is worded.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ErrorParams } from '../../../src/core/protocol/index.ts';
import type { Fetch } from '../../../src/dashboard/api.ts';
import { ApiError, DashboardApi, refusalWords } from '../../../src/dashboard/api.ts';
import { explainWithPlan, refusalText } from '../../../src/dashboard/refusals.ts';
import { DASHBOARD_TEXT, fill } from '../../../src/dashboard/text.ts';
import { tinyDemoPlan } from '../../helpers/plans.ts';

const fr = DASHBOARD_TEXT.fr;
const en = DASHBOARD_TEXT.en;

/** The French words for a refusal with `code` and `params`. */
function french(status: number, code: string, params: ErrorParams = {}, seconds?: number) {
  return refusalText(
    new ApiError(status, code, 'the server’s English message', seconds, params),
    fr,
    {
      language: 'fr',
    },
  );
}

describe('the connection and the server itself', () => {
  it('says an unreachable server, a proxy’s error page and an unexpected answer in French', async () => {
    const down: Fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    const unreachable = await new DashboardApi(down).sites().catch((e: unknown) => e);
    expect(refusalText(unreachable as ApiError, fr, { language: 'fr' })).toBe(fr.networkError);
    const proxy: Fetch = async () => new Response('<html>Bad gateway</html>', { status: 502 });
    const gateway = await new DashboardApi(proxy).sites().catch((e: unknown) => e);
    expect(refusalText(gateway as ApiError, fr, { language: 'fr' })).toBe(
      'Le serveur a répondu par l’erreur 502. Réessayez dans un moment ; si cela dure, prévenez l’administrateur·rice du serveur.',
    );
    expect(french(200, 'bad_response')).toContain('réponse inattendue');
    expect(french(500, 'internal')).toContain('n’a pas pu terminer cette opération');
    expect(french(413, 'too_large')).toBe('C’est trop volumineux pour le serveur.');
  });

  it('gives the time to wait of a busy or rate-limited server, and an ended session', () => {
    expect(french(503, 'busy', {}, 5)).toBe('Le serveur est occupé. Réessayez dans 5 s.');
    expect(french(429, 'rate_limited', {}, 600)).toBe(
      'Trop de demandes en peu de temps. Réessayez dans 10 min.',
    );
    expect(french(401, 'unauthorized')).toBe(fr.sessionExpired);
  });
});

describe('access', () => {
  it('says which role a refused action needs, and on which site', async () => {
    const answer: Fetch = async () =>
      new Response(
        JSON.stringify({
          error: 'forbidden',
          message: 'this needs an admin or a coordinator of site lille',
          params: { roles: ['admin', 'coordinator'], site: 'lille' },
        }),
        { status: 403 },
      );
    const failure = (await new DashboardApi(answer)
      .setPickupPoints('lille', [])
      .catch((e: unknown) => e)) as ApiError;
    expect(failure.params).toEqual({ roles: ['admin', 'coordinator'], site: 'lille' });
    expect(refusalText(failure, fr, { language: 'fr' })).toBe(
      'Il faut être administrateur·rice de l’enquête ou coordinateur·rice du site lille pour faire cela.',
    );
    expect(refusalText(failure, en, { language: 'en' })).toBe(
      'This needs an admin of the survey or a coordinator of site lille.',
    );
    expect(french(403, 'forbidden', { site: 'lyon' })).toBe(
      'Votre compte n’a pas accès au site lyon.',
    );
    expect(french(403, 'forbidden')).toBe('Votre compte n’a pas le droit de faire cela.');
  });

  it('names what was not found', () => {
    expect(french(404, 'not_found', { what: 'site', site: 'paris' })).toBe(
      'Le site « paris » n’existe pas (ou plus) sur ce serveur.',
    );
    expect(french(404, 'not_found', { what: 'user', user: 'marie.d' })).toBe(
      'Le compte « marie.d » n’existe pas (ou plus).',
    );
    expect(french(404, 'not_found', { what: 'enrolment_code' })).toContain('a déjà servi');
    expect(french(404, 'not_found', { what: 'device' })).toContain('tablette');
    expect(french(404, 'not_found', { what: 'refused_record' })).toContain('entretien refusé');
    expect(french(404, 'not_found', { what: 'questionnaire', questionnaire: 'smpg' })).toBe(
      'Le questionnaire smpg n’est pas publié sur ce serveur.',
    );
    expect(french(404, 'not_found')).toBe('Introuvable sur le serveur : actualisez la page.');
  });
});

describe('users and sites', () => {
  it('says what an admin must do differently', () => {
    expect(french(409, 'exists', { what: 'user', user: 'marie.d' })).toBe(
      'Le compte « marie.d » existe déjà : choisissez un autre identifiant.',
    );
    expect(french(409, 'exists', { what: 'site', site: 'lille' })).toBe(
      'Un site a déjà l’identifiant « lille » : choisissez-en un autre.',
    );
    expect(french(409, 'last_admin', { user: 'admin' })).toContain('dernier compte');
    expect(french(409, 'self')).toContain('votre propre compte');
    expect(french(400, 'confirm', { site: 'lille' })).toBe(
      'Pour supprimer le site, tapez son identifiant : lille.',
    );
    expect(
      french(400, 'bad_request', { reason: 'every_site_analyst_only', field: 'grants.0' }),
    ).toContain('Seul·e un·e analyste');
    expect(french(400, 'bad_request', { reason: 'unknown_site', site: 'roubaix' })).toBe(
      'Le site « roubaix » n’existe pas (ou plus) sur ce serveur.',
    );
    expect(french(409, 'site_closed', { site: 'lille' })).toBe(
      'Le site lille est clôturé : il n’enregistre plus de tablette (un·e administrateur·rice peut le rouvrir).',
    );
  });

  it('names the languages by their names and the time zone refused', () => {
    expect(
      french(400, 'bad_request', {
        reason: 'unknown_languages',
        field: 'languages',
        languages: ['es'],
        known: ['en', 'fr'],
      }),
    ).toBe(
      'Aucun questionnaire publié n’existe en espagnol : les langues possibles sont anglais et français.',
    );
    expect(
      french(400, 'bad_request', {
        reason: 'unknown_time_zone',
        field: 'settings.timeZone',
        timeZone: 'Mars/Olympus',
      }),
    ).toBe(
      'Le fuseau horaire « Mars/Olympus » est inconnu du serveur : choisissez-en un dans la liste, par exemple Europe/Paris.',
    );
    // A value the form did not check first: the field, and the server's words as a detail.
    expect(
      refusalText(
        new ApiError(400, 'bad_request', 'settings.helpline: too long', 0, {
          reason: 'invalid',
          field: 'settings.helpline',
        }),
        fr,
        { language: 'fr' },
      ),
    ).toBe(
      'Le serveur a refusé la valeur du champ « settings.helpline » (détail technique : too long).',
    );
  });
});

describe('quota plans and shares', () => {
  const plan = tinyDemoPlan('lille');
  const belowDone = new ApiError(
    409,
    'below_done',
    'ENQ04 has already done 1 interview in age 18-49: their share there cannot go below 1',
    undefined,
    { cells: [{ interviewer: 'ENQ04', table: 'age', cell: 'young', done: 1 }] },
  );

  it('says a share below what was done with the cell’s name in the plan, plurals agreeing', () => {
    expect(refusalText(belowDone, fr, { language: 'fr', plan })).toBe(
      'ENQ04 a déjà fait 1 entretien dans la case « 18-49 ans » : sa part ne peut pas descendre sous 1.',
    );
    expect(refusalText(belowDone, en, { language: 'en', plan })).toBe(
      'ENQ04 has already done 1 interview in cell “18-49”: their share there cannot go below 1.',
    );
    const two = new ApiError(409, 'below_done', 'm', undefined, {
      cells: [{ interviewer: 'ENQ01', table: 'age', cell: 'old', done: 2 }],
    });
    expect(refusalText(two, fr, { language: 'fr', plan })).toBe(
      'ENQ01 a déjà fait 2 entretiens dans la case « 50 ans et plus » : sa part ne peut pas descendre sous 2.',
    );
  });

  it('says it after the form’s lead, through the form’s explanation', () => {
    const explain = explainWithPlan(() => 'the page’s words', fr, { language: 'fr', plan });
    expect(refusalWords(belowDone, fr.moveRefused, explain)).toBe(
      'Le serveur a refusé ce déplacement : ENQ04 a déjà fait 1 entretien dans la case « 18-49 ans » : sa part ne peut pas descendre sous 1.',
    );
    // Anything else stays with the page's own explanation.
    expect(refusalWords(new ApiError(0, 'network', 'down'), fr.moveRefused, explain)).toBe(
      'the page’s words',
    );
  });

  it('says a plan without a site, for another site, or with an interviewer twice', () => {
    expect(french(409, 'no_plan', { site: 'lyon' })).toBe(
      'Ce site n’a pas de plan de quotas : enregistrez-en un d’abord.',
    );
    expect(
      french(400, 'invalid_plan', { reason: 'other_site', planSite: 'lyon', site: 'lille' }),
    ).toBe('Ce plan est celui du site « lyon », pas du site « lille ».');
    expect(french(400, 'invalid_allocations', { reason: 'twice', interviewer: 'ENQ01' })).toBe(
      'ENQ01 a deux parts : donnez-en une seule par enquêteur·rice.',
    );
    // An older server's issues, English sentences, are shown as they came.
    expect(french(400, 'invalid_plan', { issues: ['tables.0: no cells'] })).toBe(
      'Le serveur juge ce plan de quotas non valable : tables.0: no cells.',
    );
  });

  it('words a refused plan’s or split’s issues from their codes, as a plan file’s', () => {
    const issue = (
      path: string,
      code: string,
      params: Record<string, string | number | string[]>,
    ) => ({
      path,
      code,
      params,
      message: 'the core’s English message',
    });
    expect(
      french(400, 'invalid_plan', {
        issues: [
          issue('tables[0]', 'targets_sum', { total: 1200, size: 900 }),
          issue('tables[1].cells', 'missing_cells', { cells: ['1|18-29', '2|18-29'] }),
        ],
      }),
    ).toBe(
      'Le serveur juge ce plan de quotas non valable : tables[0] : les objectifs font 1\u202f200 en tout, pas la taille de l’échantillon (900) ; tables[1].cells : il manque les cases 1|18-29 et 2|18-29 (donnez-leur un objectif, 0 s’il n’y en a pas).',
    );
    expect(
      french(400, 'invalid_allocations', {
        issues: [
          issue('allocations', 'over_limit', { table: 'age', cell: 'young', sum: 3, limit: 2 }),
        ],
      }),
    ).toBe(
      'Cette répartition ne respecte pas le plan de quotas : allocations : case young du tableau age : les enquêteur·rices reçoivent 3 en tout, plus que la limite de la case (2).',
    );
    const english = refusalText(
      new ApiError(400, 'invalid_plan', 'targets add up to 4, not the sample size 5', undefined, {
        issues: [issue('tables[0]', 'targets_sum', { total: 4, size: 5 })],
      }),
      en,
      { language: 'en' },
    );
    expect(english).toBe(
      'The server finds this quota plan invalid: tables[0]: the targets add up to 4, not the sample size (5).',
    );
    // A code of a newer core, or values its words cannot read, keep the server's English.
    expect(
      french(400, 'invalid_plan', {
        issues: [issue('tables[0]', 'newer_code', {}), issue('tables[1]', 'missing_cells', {})],
      }),
    ).toBe(
      'Le serveur juge ce plan de quotas non valable : tables[0] : the core’s English message ; tables[1] : the core’s English message.',
    );
  });
});

describe('tablets and their backups', () => {
  it('says why a backup file or a recovery code is refused', () => {
    expect(french(400, 'wrong_site', { site: 'lyon' })).toBe(
      'Ce fichier vient d’une tablette du site lyon : importez-le sur la page de ce site.',
    );
    expect(french(400, 'unknown_device')).toContain('inconnue de ce serveur');
    expect(french(400, 'unreadable_backup')).toContain(
      '(détail technique : the server’s English message)',
    );
    expect(french(404, 'no_recovery_secret')).toContain('code de secours');
  });
});

describe('any code', () => {
  it('keeps the server’s message, framed in French, for a code it does not know', () => {
    expect(french(418, 'teapot')).toBe(
      'Le serveur a refusé cette demande (détail technique : the server’s English message).',
    );
  });

  it('words every code the server answers the dashboard with', () => {
    // Codes only a tablet, or the API without the dashboard, meets.
    const notTheDashboards = new Set([
      'bad_code',
      'revoked',
      'token_expired',
      // Answered instead of the pages when they are not built: no dashboard to read it.
      'no_app',
    ]);
    const sources = ['src/server', 'src/server/routes'].flatMap((folder) =>
      readdirSync(folder)
        .filter((file) => file.endsWith('.ts'))
        .map((file) => readFileSync(join(folder, file), 'utf8')),
    );
    const codes = new Set<string>();
    for (const source of sources) {
      for (const match of source.matchAll(/new HttpError\(\s*\d{3},\s*'([a-z_]+)'/g))
        codes.add(match[1] ?? '');
      for (const match of source.matchAll(/retryLater\(\s*reply,\s*\d{3},\s*'([a-z_]+)'/g))
        codes.add(match[1] ?? '');
      for (const match of source.matchAll(/error: (?:status === 413 \? )?'([a-z_]+)'/g))
        codes.add(match[1] ?? '');
    }
    expect(codes.size).toBeGreaterThan(20);
    // Parameters for every kind of refusal at once: each code reads the ones it names.
    const params: ErrorParams = {
      reason: 'invalid',
      field: 'settings.name',
      issues: ['tables.0: no cells'],
      problem: 'bad tag',
      cells: [{ interviewer: 'ENQ01', table: 'age', cell: 'young', done: 1 }],
    };
    const generic = fill(fr.refusals.refused, { message: 'the server’s English message' });
    for (const code of codes) {
      if (notTheDashboards.has(code)) continue;
      expect(french(400, code, params), code).not.toBe(generic);
    }
    expect(french(400, 'no_such_code', params)).toBe(generic);
  });
});
