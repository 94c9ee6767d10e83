import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa, execaSync} from 'execa';
import {sealNamespace, type SealSignature} from '../transcript/format.js';
import type {SignatureStatus} from '../transcript/verify.js';

// Seals are signed and checked with OpenSSH's `ssh-keygen -Y`, the
// signatures git uses for commits (gpg.format=ssh): the key an engineer
// already has, the allowed-signers file a team already keeps.

// Signs with a private key file, or with the public key of one loaded in
// ssh-agent. Throws an Error saying why when ssh-keygen cannot sign.
export function signWithSshKey(keyPath: string): (message: string) => SealSignature {
  return (message) => {
    const result = execaSync('ssh-keygen', ['-Y', 'sign', '-f', keyPath, '-n', sealNamespace], {input: message, reject: false, timeout: 30_000, stdin: 'pipe'});
    if (result.failed || !result.stdout.includes('BEGIN SSH SIGNATURE')) {
      throw new Error(`ssh-keygen could not sign with ${keyPath}: ${lastLine(result.stderr) || (result.code === 'ENOENT' ? 'ssh-keygen is not installed' : `exit ${result.exitCode ?? '?'}`)}`);
    }
    return {kind: 'ssh', namespace: sealNamespace, signature: result.stdout.trim()};
  };
}

// Checks a seal's signature: against an allowed-signers file when one is
// given (whose key, and is it good), else only whether it is valid.
export function sshSignatureChecker(allowedSigners: string | undefined): (message: string, signature: SealSignature) => Promise<SignatureStatus> {
  return async (message, signature) => {
    if (signature.kind !== 'ssh' || signature.namespace !== sealNamespace) return {status: 'bad', why: `not an ssh signature in namespace ${sealNamespace}`};
    const dir = mkdtempSync(join(tmpdir(), 'runbook-verify-'));
    try {
      const file = join(dir, 'seal.sig');
      writeFileSync(file, `${signature.signature}\n`);
      const valid = await run(['-Y', 'check-novalidate', '-n', sealNamespace, '-s', file], message);
      if (valid.exitCode !== 0) return {status: 'bad', why: lastLine(valid.stderr) || lastLine(valid.stdout) || 'ssh-keygen rejected it'};
      const key = keyOf(valid.stdout) ?? 'unknown';
      if (allowedSigners === undefined) return {status: 'unchecked', key};
      const found = await run(['-Y', 'find-principals', '-s', file, '-f', allowedSigners]);
      const principal = found.exitCode === 0 ? found.stdout.split('\n')[0]?.trim() : undefined;
      if (principal === undefined || principal === '') return {status: 'unknown-key', key};
      const verified = await run(['-Y', 'verify', '-f', allowedSigners, '-I', principal, '-n', sealNamespace, '-s', file], message);
      if (verified.exitCode !== 0) return {status: 'bad', why: lastLine(verified.stderr) || 'ssh-keygen rejected it'};
      return {status: 'good', principal, key};
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  };
}

async function run(args: string[], input?: string): Promise<{exitCode: number | undefined; stdout: string; stderr: string}> {
  const result = await execa('ssh-keygen', args, {...(input === undefined ? {stdin: 'ignore' as const} : {input}), reject: false, timeout: 30_000});
  if (result.code === 'ENOENT') throw new Error('ssh-keygen is not installed: it is needed to check signed seals (OpenSSH 8.2 or later)');
  return {exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr};
}

// `Good "…" signature with ED25519 key SHA256:…` / `… for alice with …`
function keyOf(text: string): string | undefined {
  return /(\S+ key SHA256:[A-Za-z0-9+/=]+)/.exec(text)?.[1];
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}
