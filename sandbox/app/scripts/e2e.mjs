// Stand-in for the Playwright suite (`npm run test:e2e`): the same user
// journeys, driven over HTTP against PLAYWRIGHT_BASE_URL (the web app) and the
// API origin the web app announces. Output follows Playwright's list reporter.
import {randomBytes} from 'node:crypto';
import {Client, describe, failureMessage} from './lib/client.mjs';

const base = process.env.PLAYWRIGHT_BASE_URL ?? '';
const project = (process.argv.find((arg) => arg.startsWith('--project=')) ?? '--project=chromium').slice('--project='.length);
if (!/^https?:\/\//.test(base)) {
  console.error('Error: PLAYWRIGHT_BASE_URL must be the web app URL, e.g. https://kezilu.com');
  process.exit(2);
}

const web = new Client(base);
let api;
let importId;

const expect = async (client, method, path, status, body) => {
  const response = await client.request(method, path, body);
  if (response.status !== status) throw new Error(`expected ${status}: ${describe(method, path, response)}`);
  return response;
};
const meta = (html, name) => new RegExp(`<meta name="${name}" content="([^"]*)"`).exec(html)?.[1];

const tests = [
  ['home.spec.ts', 'web and api serve the same release', async () => {
    const home = await expect(web, 'GET', '/', 200);
    const apiOrigin = meta(home.text, 'api-origin');
    if (apiOrigin === undefined) throw new Error('the home page does not announce its API origin');
    api = new Client(apiOrigin);
    const release = await expect(api, 'GET', '/api/release', 200);
    const webRelease = meta(home.text, 'release');
    if (webRelease !== release.json?.release) throw new Error(`web runs ${webRelease}, api runs ${release.json?.release}`);
  }],
  ['auth.spec.ts', 'sign up lands on the dashboard', async () => {
    await expect(api, 'POST', '/api/auth/signup', 201, {email: `e2e+${randomBytes(5).toString('hex')}@kezilu.test`, password: randomBytes(12).toString('hex')});
    web.cookie = api.cookie;
    const app = await web.request('GET', '/app');
    if (app.status === 302) throw new Error(`expected the dashboard, was redirected to ${app.headers.get('location')}`);
    if (app.status !== 200 || !app.text.includes('<h1>Your analyses</h1>')) throw new Error(`expected heading "Your analyses" to be visible: ${describe('GET', '/app', app)}`);
  }],
  ['auth.spec.ts', 'session survives a reload', async () => {
    await expect(api, 'POST', '/api/auth/refresh', 200);
    await expect(api, 'GET', '/api/auth/session', 200);
  }],
  ['import.spec.ts', 'CSV import completes and shows the analysis', async () => {
    const created = await expect(api, 'POST', '/api/imports', 201, {source: 'csv', rows: [{pgn: '1. e4 c5'}, {pgn: '1. e4 e5 2. Nf3 Nc6 3. Bc4'}]});
    importId = created.json?.id;
    const analysis = await expect(api, 'GET', `/api/analysis/${importId}`, 200);
    if (!Array.isArray(analysis.json?.openings) || analysis.json.openings.length === 0) throw new Error('the analysis shows no openings');
  }],
  ['export.spec.ts', 'CSV export downloads', async () => {
    const csv = await expect(api, 'GET', `/api/exports/${importId}.csv`, 200);
    if (!csv.text.startsWith('game_id,')) throw new Error('the export is not the CSV with a header row');
  }],
  ['auth.spec.ts', 'sign out ends the session', async () => {
    await expect(api, 'POST', '/api/auth/logout', 204);
    await expect(api, 'GET', '/api/auth/session', 401);
  }],
];

// The journeys build on each other (one account, one import), so they run
// in order and a failure stops the rest, as in a serial Playwright suite.
console.log(`\nRunning ${tests.length} tests using 1 worker\n`);
let failure;
let passed = 0;
for (const [index, [file, title, run]] of tests.entries()) {
  const label = `[${project}] › ${file} › ${title}`;
  if (failure !== undefined) {
    console.log(`  -  ${index + 1} ${label}`);
    continue;
  }
  try {
    await run();
    passed += 1;
    console.log(`  ✓  ${index + 1} ${label}`);
  } catch (error) {
    console.log(`  ✘  ${index + 1} ${label}`);
    failure = {label, message: failureMessage(error)};
  }
}

console.log('');
if (failure !== undefined) {
  console.log(`  1) ${failure.label}\n\n    Error: ${failure.message}\n`);
  console.log(`  1 failed\n    ${failure.label}`);
  const notRun = tests.length - passed - 1;
  if (notRun > 0) console.log(`  ${notRun} did not run`);
  process.exitCode = 1;
}
console.log(`  ${passed} passed`);
