declare const RUNBOOK_VERSION: string;
