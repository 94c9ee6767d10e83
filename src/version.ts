// Replaced at build time by esbuild; tests running the sources read package.json.
export const engineVersion: string = typeof RUNBOOK_VERSION === 'string' ? RUNBOOK_VERSION : '0.0.0-dev';
