import {exitCodes, UsageError} from '../cli/errors.js';
import {describeFsError, isFsError} from '../cli/fs-errors.js';
import {transcriptPathFor} from '../cli/run-argument.js';
import {jsonForTerminal, shownText} from '../text/terminal-text.js';
import {shownHead} from '../transcript/format.js';
import {minimumHeadDigits, normaliseHead, verifyTranscript, type SealCheck, type SignatureChecker, type VerifyOptions, type VerifyResult} from '../transcript/verify.js';

export interface VerifyCommandOptions {
  readonly json?: boolean;
  readonly expectHead?: string;
  readonly allowedSigners?: string;
  readonly transcriptDir?: string;
}

// `runbook verify RUN`: recompute the hash chain, check every seal (and its
// signature), side files and the end. Exit 0 when intact and sealed, 1 when
// anything was altered or lost, or cannot be checked yet (in progress, or
// never sealed).
export async function verifyCommand(run: string, options: VerifyCommandOptions): Promise<number> {
  const path = transcriptPathFor(run, options.transcriptDir);
  if (options.expectHead !== undefined && normaliseHead(options.expectHead) === undefined) {
    throw new UsageError(`--expect-head ${options.expectHead}: not a head; give the \`sha256:…\` that play printed (at least ${minimumHeadDigits} hex digits)`);
  }
  const allowedSigners = options.allowedSigners ?? nonEmpty(process.env['RUNBOOK_ALLOWED_SIGNERS']);
  const verifyOptions: VerifyOptions = {
    ...(options.expectHead === undefined ? {} : {expectHead: options.expectHead}),
    ...signatureOptions(allowedSigners),
  };
  let result: VerifyResult;
  try {
    result = await verifyTranscript(path, verifyOptions);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') throw new UsageError(`${path}: no transcript there; give the path of a transcript.jsonl`);
    if (isFsError(error)) throw new UsageError(`${path}: cannot read the transcript (${describeFsError(error)}); give the path of a transcript.jsonl you can read`);
    throw error;
  }
  const trusted = result.ok && result.sealed;
  if (options.json === true) {
    process.stdout.write(`${jsonForTerminal(JSON.stringify({...result, trusted}, null, 2))}\n`);
    return trusted ? exitCodes.ok : exitCodes.failed;
  }
  for (const problem of result.problems) {
    process.stdout.write(`${shownText(`${path}${problem.line === undefined ? '' : `:${problem.line}`}: ${problem.severity}: ${problem.message}`)}\n`);
  }
  for (const seal of result.seals) {
    const signed = signatureLine(seal);
    if (signed !== undefined) process.stdout.write(`${shownText(`${path}:${seal.line}: attempt ${seal.attempt} ${signed}`)}\n`);
  }
  const verdict = !result.ok ? 'NOT intact' : result.status === 'in-progress' ? 'intact so far, in progress (not sealed yet)' : 'intact';
  const attempts = `${result.attempts} attempt${result.attempts === 1 ? '' : 's'}`;
  process.stdout.write(`${shownText(`${path}: ${verdict} — run ${result.runId ?? '(unknown)'}, ${result.lines} line${result.lines === 1 ? '' : 's'}, ${attempts}, ${result.status}${result.outcome === undefined ? '' : ` (${result.outcome})`}`)}\n`);
  if (result.head !== undefined) {
    const anchor = options.expectHead === undefined ? '' : result.ok ? ', as expected' : '';
    process.stdout.write(`transcript head: ${shownHead(result.head)}${result.sealed ? '' : ' (not sealed)'}${anchor}\n`);
  }
  return trusted ? exitCodes.ok : exitCodes.failed;
}

function signatureLine(seal: SealCheck): string | undefined {
  const signature = seal.signature;
  if (signature === undefined) return undefined;
  switch (signature.status) {
    case 'good':
      return `signed by ${signature.principal} (${signature.key}): good`;
    case 'unchecked':
      return `signed by ${signature.key}: valid, signer not checked (give --allowed-signers)`;
    case 'unknown-key':
      return `signed by ${signature.key}: unknown key`;
    case 'bad':
      return `signature: bad (${signature.why})`;
  }
}

// ssh-keygen (and execa) load only when a seal is signed.
function signatureOptions(allowedSigners: string | undefined): Pick<VerifyOptions, 'checkSignature' | 'requireSignatures'> {
  const checkSignature: SignatureChecker = async (message, signature) => {
    const {sshSignatureChecker} = await import('../executors/ssh-signatures.js');
    return sshSignatureChecker(allowedSigners)(message, signature);
  };
  return {checkSignature, ...(allowedSigners === undefined ? {} : {requireSignatures: true})};
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
