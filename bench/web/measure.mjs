// Loads the signed-out page N times in one warm browser and prints time-to-interactive and FCP percentiles.
// Arguments: <path to playwright-core's index.mjs> <url> <loads>
const [, , playwrightPath, url, loadsText] = process.argv;
const { chromium } = await import(playwrightPath);
const loads = Number(loadsText ?? 30);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();

async function load() {
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => performance.getEntriesByName('taskflow-interactive').length > 0);
  return page.evaluate(() => ({
    interactive: performance.getEntriesByName('taskflow-interactive')[0].startTime,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    requests: performance.getEntriesByType('resource').filter((r) => r.transferSize > 0).length,
  }));
}

const cold = await load();
const samples = [];
for (let i = 0; i < loads; i++) samples.push(await load());
await browser.close();

const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const row = (name, values) =>
  console.log(`${name.padEnd(28)} p50 ${pct(values, 50).toFixed(1).padStart(7)} ms   p95 ${pct(values, 95).toFixed(1).padStart(7)} ms   max ${Math.max(...values).toFixed(1).padStart(7)} ms`);

console.log(`TaskFlow web client, signed-out page: ${url} (${loads} warm loads after one cold load)`);
console.log(`cold load: interactive ${cold.interactive.toFixed(1)} ms, first contentful paint ${cold.fcp.toFixed(1)} ms`);
row('time to interactive (warm)', samples.map((s) => s.interactive));
row('first contentful paint', samples.map((s) => s.fcp).filter((v) => !Number.isNaN(v)));
console.log(`network fetches per warm load (not from cache): p50 ${pct(samples.map((s) => s.requests), 50)}`);
