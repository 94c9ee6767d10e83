import {describe, expect, it} from 'vitest';
import {formatDiagnostic} from '../../src/runbook/diagnostics.js';
import {parseRunbook} from '../../src/runbook/parse.js';
import {mergeDiagnostics, shellDiagnostics} from '../../src/runbook/shell-check.js';
import {blockNames} from '../../src/runbook/shell-names.js';
import {fixturePath, readFixture} from './fixtures.js';

// What `runbook check` prints for a file: the parser's diagnostics and the shell parser's.
async function checkMessages(name: string): Promise<string[]> {
  const source = readFixture(name);
  const {runbook, diagnostics} = parseRunbook(source, fixturePath(name));
  return mergeDiagnostics(diagnostics, await shellDiagnostics(runbook, source)).map(formatDiagnostic);
}

async function shellMessages(markdown: string): Promise<string[]> {
  const {runbook} = parseRunbook(markdown, 'r.md');
  return (await shellDiagnostics(runbook, markdown)).map(formatDiagnostic);
}

const uses = async (code: string): Promise<string[]> => {
  const {uses: found, defined, opaqueFrom} = await blockNames(code);
  return found.filter((use) => use.offset < opaqueFrom && (defined.get(use.name) ?? Infinity) > use.offset).map((use) => use.written);
};

describe('undeclared variables in shell blocks and confirm prompts', () => {
  it('are reported once per block at the first use, with the shell syntax a block cannot be parsed with', async () => {
    expect(await checkMessages('diagnostics/undeclared-variables.md')).toEqual([
      'test/fixtures/diagnostics/undeclared-variables.md:10:60: warning: Unexpected `$ANNOUNCER` in a confirm prompt: nothing declares or captures `ANNOUNCER`, so the prompt shows it as written; expected a variable from `env` or `inputs`, or a `capture` before it [undeclared-variable]',
      'test/fixtures/diagnostics/undeclared-variables.md:12:43: warning: Unexpected `${LKG_DRI}` in a confirm prompt: `LKG_DRI` is captured only later, so the prompt shows it as written; expected a variable from `env` or `inputs`, or a `capture` before it [undeclared-variable]',
      'test/fixtures/diagnostics/undeclared-variables.md:13:57: warning: Unexpected `$LKG_DR` in a shell block: nothing declares, captures or sets `LKG_DR` before it; expected it in `env` or `inputs`, a `capture` before it, or `${LKG_DR:-}` if it may be unset [undeclared-variable]',
      'test/fixtures/diagnostics/undeclared-variables.md:16:46: warning: Unexpected `$HOME` in a confirm prompt: nothing declares or captures `HOME`, so the prompt shows it as written; expected a variable from `env` or `inputs`, or a `capture` before it [undeclared-variable]',
      'test/fixtures/diagnostics/undeclared-variables.md:17:34: warning: Unexpected `${SERVICE}` in a shell block: nothing declares, captures or sets `SERVICE` before it; expected it in `env` or `inputs`, a `capture` before it, or `${SERVICE:-}` if it may be unset [undeclared-variable]',
      'test/fixtures/diagnostics/undeclared-variables.md:22:23: warning: Unexpected `$LATER` in a shell block: `LATER` is only captured later; expected it in `env` or `inputs`, a `capture` before it, or `${LATER:-}` if it may be unset [undeclared-variable]',
      'test/fixtures/diagnostics/undeclared-variables.md:29:32: warning: Unexpected `$INNER` in a shell block: nothing declares, captures or sets `INNER` before it; expected it in `env` or `inputs`, a `capture` before it, or `${INNER:-}` if it may be unset [undeclared-variable]',
      'test/fixtures/diagnostics/undeclared-variables.md:33:17: warning: Unexpected shell syntax: reached EOF without closing quote `"`; expected a block bash can run (it fails when it runs) [shell-syntax]',
    ]);
  });

  it('are found inside list items and quotes at their own column', async () => {
    expect(await shellMessages('## S\n- Run:\n\n  ```sh\n  echo "$NOPE"\n  ```\n> ```bash\n> echo `x` $(\n> ```\n')).toEqual([
      'r.md:5:9: warning: Unexpected `$NOPE` in a shell block: nothing declares, captures or sets `NOPE` before it; expected it in `env` or `inputs`, a `capture` before it, or `${NOPE:-}` if it may be unset [undeclared-variable]',
      'r.md:8:12: warning: Unexpected shell syntax: reached EOF without matching `$(` with `)`; expected a block bash can run (it fails when it runs) [shell-syntax]',
    ]);
  });

  it('leave display-only blocks, zsh-only expansions and what follows `source` alone', async () => {
    expect(await shellMessages('## S\n```sh {run=false}\necho $NOPE\n```\n```text\n$NOPE\n```\n```zsh\necho ${(j:,:)NOPE}\n```\n```sh\nsource ./env.sh\necho $FROM_ENV\n```\n')).toEqual([]);
  });

  it('are not reported when set earlier in the block, guarded, special, or given by the engine or the environment', async () => {
    expect(await uses('echo "$FOO" ${BAR:-x} ${BAZ-y} ${Q:=z} ${R:?need} ${S:+s} ${T} ${#U} ${V[@]} ${W:0:2}')).toEqual(['$FOO', '${T}', '${#U}', '${V[@]}', '${W:0:2}']);
    expect(await uses('X=1; echo $X\nfor i in a b; do echo "$i"; done\necho $Y; Y=2')).toEqual(['$Y']);
    expect(await uses("echo '$NOT' $'$ALSO_NOT' \\$ESCAPED # $COMMENT\necho a#$HASH")).toEqual(['$HASH']);
    expect(await uses("cat <<EOF\nhi $HD\nEOF\ncat <<'EOF'\n$QUOTED\nEOF\ncat <<-END\n\t$TABS\n\tEND\necho $AFTER")).toEqual(['$HD', '$TABS', '$AFTER']);
    expect(await uses('read -r -p "Prompt: " ANSWER; echo $ANSWER\nwhile read -r line; do echo $line; done < f')).toEqual([]);
    expect(await uses('export A=1 B; local C=$D; declare -a E=(x $F); echo $A $B $C $E')).toEqual(['$D', '$F']);
    expect(await uses('(( n = 0 )); echo $n; echo $((n + $M)); for ((k=0;k<3;k++)); do echo $k; done')).toEqual(['$M']);
    expect(await uses('echo "$(echo $INNER)" `echo $BT` $(cat <<EOF\n$HDIN\nEOF\n)')).toEqual(['$INNER', '$BT', '$HDIN']);
    expect(await uses('f() { local x=$1; echo "$x $2 $@ $# $? $$ $!"; }\nsource env.sh\necho $LATER')).toEqual([]);
    expect(await uses('[ -n "${VAR:-}" ] && echo "$VAR"; [[ -z $UNSET ]]')).toEqual(['$UNSET']);
    expect(await uses('mapfile -t LINES < f; printf -v OUT "%s" x; getopts "ab" OPT; echo $LINES $OUT $OPT')).toEqual([]);
    expect(await uses('arr=(a b); echo ${arr[0]} 2>&1 >/dev/null; echo ${!ref}')).toEqual(['${!ref}']);
  });

  it('are read from bash\'s syntax tree, here-documents and command words included', async () => {
    // tree-sitter-bash 0.25.1 reads `  $NAME` at the start of a body line as text
    // and takes a first body line starting with `\` for words of the command
    expect(await uses("cat <<EOF\n  $A ${B}\n\tx\n\t$C\nEOF\ncat <<'EOF'\n\\x $QUOTED\nEOF\necho $AFTER")).toEqual(['$A', '${B}', '$C', '$AFTER']);
    // it looks for `E"OF"` itself as the end of `<<E"OF"`: the rest of the block is its body, and goes unchecked
    expect(await uses('echo $BEFORE; cat <<E"OF"\n$QUOTED\nEOF\necho $LOST')).toEqual(['$BEFORE']);
    expect(await uses('echo "$A $B"')).toEqual(['$A', '$B']);
    // a variable assigned before a command is set for that command only; `for` expands its words first
    expect(await uses('A=1 cmd "$A"; echo $A; B=2; echo $B; for i in $i; do echo $i; done')).toEqual(['$A', '$A', '$i']);
    // tree-sitter-bash 0.25.1 ends `X=a`cmd`` before the backtick
    expect(await uses('X=a/`cmd`/b; echo $X; Y=a`cmd` other $Y; echo $Y')).toEqual(['$Y', '$Y']);
    expect(await uses('echo $((n = 1)) $n; let "m=2" k+=1; echo $m $k; select o in a b; do echo $o; done')).toEqual([]);
    expect(await uses('read -a ARR; readarray -t -d , L; declare -g G; printf -v "$V" x; echo $ARR $L $G')).toEqual(['$V']);
    // `eval` and `source` expand their own words before they run
    expect(await uses('eval "$CMD"; echo $Y')).toEqual(['$CMD']);
    expect(await uses('. "$DIR/env.sh"; echo $Y')).toEqual(['$DIR']);
    expect(await uses('echo "${A:-$B}" ${C:+"$D"} ${1} $2 ${#} ${@}')).toEqual(['$B', '$D']);
  });

  it('count the engine\'s RUNBOOK_* variables, the usual environment and earlier captures as declared', async () => {
    expect(await shellMessages([
      '## S',
      '```sh {capture=SHA}',
      'echo "$RUNBOOK_RUN_ID $RUNBOOK_STEP_ID $RUNBOOK_NODE_ID $HOME $PATH $USER $PWD $SHELL $TERM $LANG $LC_ALL $TMPDIR $HOSTNAME $XDG_RUNTIME_DIR"',
      '```',
      '```sh',
      'echo "$SHA $RUNBOOK_OTHER"',
      '```',
    ].join('\n'))).toEqual([
      'r.md:6:12: warning: Unexpected `$RUNBOOK_OTHER` in a shell block: nothing declares, captures or sets `RUNBOOK_OTHER` before it; expected it in `env` or `inputs`, a `capture` before it, or `${RUNBOOK_OTHER:-}` if it may be unset [undeclared-variable]',
    ]);
  });

  it('count what an earlier shell block exports as defined, unless it does not carry or a block unsets it', async () => {
    expect(await shellMessages([
      '## S',
      '```bash',
      'export NAMESPACE=prod GONE=1',
      'PLAIN=1',
      '```',
      '```bash {carry=false}',
      'export QUIET=1',
      '```',
      '```bash',
      'unset GONE',
      'echo "$NAMESPACE"',
      '```',
      '```bash',
      'echo "$NAMESPACE $PLAIN $QUIET $GONE"',
      '```',
    ].join('\n'))).toEqual([
      'r.md:14:18: warning: Unexpected `$PLAIN` in a shell block: nothing declares, captures or sets `PLAIN` before it; expected it in `env` or `inputs`, a `capture` before it, or `${PLAIN:-}` if it may be unset [undeclared-variable]',
      'r.md:14:25: warning: Unexpected `$QUIET` in a shell block: nothing declares, captures or sets `QUIET` before it; expected it in `env` or `inputs`, a `capture` before it, or `${QUIET:-}` if it may be unset [undeclared-variable]',
      'r.md:14:32: warning: Unexpected `$GONE` in a shell block: nothing declares, captures or sets `GONE` before it; expected it in `env` or `inputs`, a `capture` before it, or `${GONE:-}` if it may be unset [undeclared-variable]',
    ]);
  });
});
