// Census and plan files as the dashboard receives them: bytes decoded as UTF-8 or, when they are
// not valid UTF-8 (a file saved again by Excel in France), as windows-1252; the zones the files
// list; the zone chosen; a plan JSON checked before it is offered for saving.
import { describe, expect, it } from 'vitest';
import type { CensusFileInfo } from '../../../src/core/quota/census-files.ts';
import {
  chosenZone,
  decodeBytes,
  matchingZones,
  readPlanFile,
  zonesOf,
} from '../../../src/dashboard/census-upload.ts';
import { tinyDemoPlan } from '../../helpers/plans.ts';

describe('decodeBytes', () => {
  it('reads UTF-8, dropping a byte-order mark', () => {
    const bytes = new TextEncoder().encode('\uFEFFCODGEO;LIBGEO\n97302;Cayenne;Rémire\n');
    expect(decodeBytes(bytes)).toEqual({
      text: 'CODGEO;LIBGEO\n97302;Cayenne;Rémire\n',
      encoding: 'utf-8',
    });
  });

  it('falls back to windows-1252 when the bytes are not valid UTF-8', () => {
    // "Rémire;–;œ" as Excel saves it in France (é, en dash and œ are single bytes there).
    const bytes = Uint8Array.from([
      0x52, 0xe9, 0x6d, 0x69, 0x72, 0x65, 0x3b, 0x96, 0x3b, 0x9c, 0x0a,
    ]);
    expect(decodeBytes(bytes)).toEqual({ text: 'Rémire;–;œ\n', encoding: 'windows-1252' });
  });

  it('reads plain ASCII as UTF-8', () => {
    expect(decodeBytes(new TextEncoder().encode('sex;age;csp;count\n')).encoding).toBe('utf-8');
  });
});

const file = (name: string, zones: CensusFileInfo['zones']): CensusFileInfo => ({
  name,
  layout: 'ic-population',
  zones,
  issues: [],
});

describe('zones', () => {
  const files = [
    file('pop.csv', [
      { code: '973020101', name: 'Centre', commune: 'Cayenne' },
      { code: '97307', name: 'Rémire-Montjoly', commune: 'Rémire-Montjoly' },
    ]),
    file('dipl.csv', [
      { code: '97307', name: 'REMIRE', commune: 'Rémire-Montjoly' },
      { code: '97302', name: 'Cayenne', commune: 'Cayenne' },
    ]),
  ];

  it('lists each zone once, named by the first file naming it', () => {
    expect(zonesOf(files).map((zone) => `${zone.code} ${zone.name}`)).toEqual([
      '97302 Cayenne',
      '973020101 Centre',
      '97307 Rémire-Montjoly',
    ]);
  });

  it('finds zones by code, name or commune, ignoring case and accents', () => {
    const zones = zonesOf(files);
    expect(matchingZones(zones, 'remire').map((zone) => zone.code)).toEqual(['97307']);
    expect(matchingZones(zones, 'CAYENNE').map((zone) => zone.code)).toEqual([
      '97302',
      '973020101',
    ]);
    expect(matchingZones(zones, ' ')).toHaveLength(3);
  });

  it('sends the ticked codes and the typed ones, each once', () => {
    expect(chosenZone(['97302'], '97307, 97302;97311')).toEqual(['97302', '97307', '97311']);
    expect(chosenZone([], '')).toEqual([]);
  });
});

describe('readPlanFile', () => {
  it('accepts a valid plan of this site', () => {
    const plan = tinyDemoPlan('cayenne');
    expect(readPlanFile(`\uFEFF${JSON.stringify(plan)}`, 'cayenne')).toEqual({ plan });
  });

  it('says why a file cannot be sent', () => {
    expect(readPlanFile('sex;age;csp;count', 'cayenne')).toEqual({ problem: 'json' });
    expect(readPlanFile(JSON.stringify(tinyDemoPlan('lille')), 'cayenne')).toEqual({
      problem: 'site',
      site: 'lille',
    });
    const wrong = readPlanFile(
      JSON.stringify({ ...tinyDemoPlan('cayenne'), sampleSize: 0 }),
      'cayenne',
    );
    expect(wrong).toMatchObject({ problem: 'invalid' });
    expect('issues' in wrong && wrong.issues.some((issue) => issue.path === 'sampleSize')).toBe(
      true,
    );
  });
});
