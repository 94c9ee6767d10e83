const secretWords = ['TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'CREDENTIAL', 'PRIVATE'] as const;

// Environment values are masked by the name they travel under, since the
// runbook never says whether, say, GITHUB_TOKEN is secret.
export function looksSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  return upper.endsWith('_KEY') || secretWords.some((word) => upper.includes(word));
}

// Header names whose values are credentials wherever they appear: in a
// request shown before it runs, in `curl -v` output, in an http summary.
export const credentialHeaderNames: readonly string[] = ['proxy-authorization', 'authorization', 'set-cookie', 'cookie'];

export function isCredentialHeader(name: string): boolean {
  return credentialHeaderNames.includes(name.toLowerCase());
}
