// The sandbox's app checkout: a git repository with two commits, the last
// known good release and the bad one on top, so the runbook's `git worktree`
// and `railway up` work on real commits. Dates and authors are fixed and the
// user's git configuration is ignored, so the commit ids are reproducible.
import {execFileSync} from 'node:child_process';
import {cpSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

const lkgMessage = 'Batch position imports in chunks of 500 (#412)';
const badMessage = 'Rotate session cookie signing and enforce the strict S3 startup check (#418)';

function git(cwd, args, date) {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Kezilu CI',
      GIT_AUTHOR_EMAIL: 'ci@kezilu.test',
      GIT_COMMITTER_NAME: 'Kezilu CI',
      GIT_COMMITTER_EMAIL: 'ci@kezilu.test',
      ...(date === undefined ? {} : {GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date}),
    },
  }).trim();
}

export function createAppRepo(templateDir, targetDir) {
  rmSync(targetDir, {recursive: true, force: true});
  cpSync(templateDir, targetDir, {recursive: true});
  git(targetDir, ['init', '--quiet']);
  git(targetDir, ['checkout', '--quiet', '-b', 'main']);
  git(targetDir, ['add', '--all']);
  git(targetDir, ['commit', '--quiet', '--no-verify', '--no-gpg-sign', '-m', lkgMessage], '2026-05-03T16:40:00Z');
  const lkgSha = git(targetDir, ['rev-parse', 'HEAD']);

  const configFile = join(targetDir, 'src', 'config.mjs');
  writeFileSync(configFile, readFileSync(configFile, 'utf8')
    .replace("signing: 'hmac-sha256-v1'", "signing: 'hmac-sha256-v2'")
    .replace("process.env.S3_STARTUP_CHECK_STRICT === 'true'", "process.env.S3_STARTUP_CHECK_STRICT !== 'false'"));
  const changelog = join(targetDir, 'CHANGELOG.md');
  writeFileSync(changelog, readFileSync(changelog, 'utf8').replace('# Changelog\n', '# Changelog\n\n## 2026.5.1\n\n- Rotate session cookie signing (v2).\n- Enforce the strict S3 startup check by default.\n'));
  git(targetDir, ['commit', '--quiet', '--no-verify', '--no-gpg-sign', '--all', '-m', badMessage], '2026-05-04T09:12:00Z');
  const badSha = git(targetDir, ['rev-parse', 'HEAD']);
  return {lkgSha, lkgMessage, badSha, badMessage};
}
