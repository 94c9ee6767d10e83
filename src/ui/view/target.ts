import type {RunState} from '../../engine/run-state.js';
import type {Runbook} from '../../runbook/model.js';
import {findTemplateReferences, renderTemplate} from '../../runbook/templates.js';
import {shownLine} from '../../text/terminal-text.js';

// The environment the run acts on, in one line for the header, so that
// production and a sandbox never look alike: the runbook's `target:` with
// its `{{NAME}}` filled in from the values the engine recorded (secrets
// already masked), or else the values of its origin-like variables (names
// ending in _ORIGIN, _URL or _HOST). Empty when there is neither.

const originLike = /_(ORIGIN|URL|HOST)$/;

export function targetText(runbook: Runbook, run: RunState): string {
  const values = new Map(run.inputs.map((input) => [input.name, input.value]));
  const template = runbook.frontmatter.target;
  if (template !== undefined) {
    return shownLine(renderTemplate(template, findTemplateReferences(template), (reference) => values.get(reference.expression) ?? `{{${reference.expression}}}`));
  }
  return shownLine(run.inputs.filter((input) => originLike.test(input.name)).map((input) => `${input.name} ${input.value}`).join(' · '));
}
