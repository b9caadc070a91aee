// `npx tsx scripts/make-icons.ts`: renders public/icon.svg to the PNG sizes browsers ask for
// (192, 512, and a maskable 512 with a safe margin) with Debian's Chromium. Run after changing
// the SVG; the PNGs are committed.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync('public/icon.svg', 'utf8');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
});
try {
  for (const { size, file, padding } of [
    { size: 192, file: 'public/icon-192.png', padding: 0 },
    { size: 512, file: 'public/icon-512.png', padding: 0 },
    { size: 512, file: 'public/icon-512-maskable.png', padding: 0.1 },
  ]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const inset = Math.round(size * padding);
    await page.setContent(
      `<body style="margin:0;background:#12355b"><div style="padding:${inset}px">` +
        svg.replace('<svg ', `<svg width="${size - 2 * inset}" height="${size - 2 * inset}" `) +
        '</div></body>',
    );
    await page.screenshot({ path: file, omitBackground: padding === 0 });
    await page.close();
  }
} finally {
  await browser.close();
}
