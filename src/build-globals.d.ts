// Defined by esbuild at build time (scripts/build.mjs).
declare const RUNBOOK_VERSION: string;
