// The screenshots reviewers read: `npm run screenshots` exists, the README links the folder, and
// the folder's index and its pictures agree (each screen at tablet and phone sizes, each picture
// listed, each listed picture there at the size its name says).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FOLDER = 'docs/screenshots';
const SIZES = { tablet: { width: 1024, height: 768 }, phone: { width: 390, height: 844 } };

function pngSize(bytes: Buffer): { width: number; height: number } {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the screenshots', () => {
  it('are made by `npm run screenshots` and linked from the README', () => {
    const scripts = (
      JSON.parse(readFileSync('package.json', 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts['screenshots']).toContain('scripts/screenshots.ts');
    expect(readFileSync('README.md', 'utf8')).toContain(`](${FOLDER}/README.md)`);
  });

  it('are all listed in their index, each screen at both sizes, each at its size', () => {
    const index = readFileSync(join(FOLDER, 'README.md'), 'utf8');
    const listed = new Set([...index.matchAll(/src="([^"]+\.png)"/g)].map((match) => match[1]));
    const files = readdirSync(FOLDER).filter((name) => name.endsWith('.png'));
    expect([...listed].sort()).toEqual([...files].sort());
    const screens = new Set(files.map((name) => name.replace(/-(tablet|phone)\.png$/, '')));
    expect(screens.size).toBeGreaterThanOrEqual(20);
    for (const screen of screens) {
      for (const [device, size] of Object.entries(SIZES)) {
        const file = join(FOLDER, `${screen}-${device}.png`);
        expect(existsSync(file), file).toBe(true);
        expect(pngSize(readFileSync(file)), file).toEqual(size);
      }
    }
    // Both the interviewers' app and the coordinators' dashboard.
    expect([...screens].filter((screen) => screen.startsWith('app-')).length).toBeGreaterThan(10);
    expect([...screens].filter((screen) => screen.startsWith('dashboard-')).length).toBeGreaterThan(
      5,
    );
  });
});
