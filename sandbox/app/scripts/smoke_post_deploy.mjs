// Post-deploy smoke checks against the API: health, auth, an authenticated
// write and sign-out. Exit 0 when every check passes, 1 when one fails, 2 when
// it is pointed at the wrong place (RELEASE_REQUIRED_API_ORIGIN guards that).
import {randomBytes} from 'node:crypto';
import {Client, describe, failureMessage} from './lib/client.mjs';

const base = process.env.SMOKE_API_BASE_URL ?? '';
const required = process.env.RELEASE_REQUIRED_API_ORIGIN ?? '';

function originOf(name, value) {
  try {
    return new URL(value).origin;
  } catch {
    console.error(`smoke: ${name} is ${value === '' ? 'not set' : `not a URL: ${value}`}`);
    process.exit(2);
  }
}

const origin = originOf('SMOKE_API_BASE_URL', base);
if (required !== '' && originOf('RELEASE_REQUIRED_API_ORIGIN', required) !== origin) {
  console.error(`smoke: refusing to run: SMOKE_API_BASE_URL is ${origin} but this release requires ${originOf('RELEASE_REQUIRED_API_ORIGIN', required)}`);
  process.exit(2);
}

const client = new Client(base);
const expect = async (method, path, status, body) => {
  const response = await client.request(method, path, body);
  if (response.status !== status) throw new Error(describe(method, path, response));
  return response;
};

const release = await client.request('GET', '/api/release').then((response) => response.json?.release ?? 'unknown', () => 'unknown');
console.log(`smoke: ${origin} (release ${release})`);

const checks = [
  {name: 'health', run: async () => {
    const response = await expect('GET', '/health', 200);
    if (response.json?.status !== 'ok') throw new Error(describe('GET', '/health', response));
  }},
  {name: 'auth: sign up a throwaway account', run: async () => {
    await expect('POST', '/api/auth/signup', 201, {email: `smoke+${randomBytes(5).toString('hex')}@kezilu.test`, password: randomBytes(12).toString('hex')});
  }},
  {name: 'auth: session cookie accepted', needs: 'auth: sign up a throwaway account', run: async () => {
    await expect('GET', '/api/auth/session', 200);
  }},
  {name: 'import: authenticated write', needs: 'auth: session cookie accepted', run: async () => {
    await expect('POST', '/api/imports', 201, {source: 'csv', rows: [{pgn: '1. e4 e5 2. Nf3 Nc6 3. Bc4 Bc5'}]});
  }},
  {name: 'auth: sign out ends the session', needs: 'auth: session cookie accepted', run: async () => {
    await expect('POST', '/api/auth/logout', 204);
    await expect('GET', '/api/auth/session', 401);
  }},
];

const outcome = new Map();
for (const check of checks) {
  if (check.needs !== undefined && outcome.get(check.needs) !== 'passed') {
    outcome.set(check.name, 'skipped');
    console.log(`- ${check.name} (skipped: needs "${check.needs}")`);
    continue;
  }
  try {
    await check.run();
    outcome.set(check.name, 'passed');
    console.log(`✓ ${check.name}`);
  } catch (error) {
    outcome.set(check.name, 'failed');
    console.log(`✗ ${check.name}: ${failureMessage(error)}`);
  }
}

const count = (status) => [...outcome.values()].filter((value) => value === status).length;
if (count('passed') === checks.length) {
  console.log(`smoke: ${checks.length} passed`);
} else {
  console.error(`smoke: FAILED: ${count('failed')} failed, ${count('skipped')} skipped, ${count('passed')} passed`);
  process.exitCode = 1;
}
