// The stand-in for https://kezilu.com: the pages the E2E stand-in drives.
import {sessionCookie} from './api.mjs';
import {cookies, router, sendJson, sendText} from './http.mjs';
import {currentDeployment, releaseOf} from './state.mjs';

const html = 'text/html; charset=utf-8';

export function webHandler(context) {
  const {state} = context;
  const page = (title, body) => {
    const release = currentDeployment(state.current(), 'web').meta.commitHash.slice(0, 7);
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="release" content="${release}">
<meta name="api-origin" content="${context.origins.api}">
<title>${title} · Kezilu</title>
</head>
<body>
${body}
</body>
</html>
`;
  };
  const signedIn = (req) => {
    const token = cookies(req)[sessionCookie];
    return token !== undefined && state.current().sessions.has(token) && releaseOf(state.current(), 'api') === 'lkg';
  };
  const match = router([
    ['GET /', (_req, res) => sendText(res, 200, page('Home', '<h1>Kezilu</h1>\n<p>Import your games, study your openings.</p>\n<a href="/login">Sign in</a>'), html)],
    ['GET /login', (_req, res) => sendText(res, 200, page('Sign in', '<h1>Sign in</h1>\n<form method="post" action="/api/auth/login"><input name="email"><input name="password" type="password"><button>Sign in</button></form>'), html)],
    ['GET /app', (req, res) => {
      if (!signedIn(req)) {
        res.writeHead(302, {location: '/login'});
        res.end();
        return;
      }
      if (state.current().modes.e2e === 'fail') {
        sendText(res, 500, page('Error', '<h1>Something went wrong</h1>\n<p>Minified React error #418: hydration failed.</p>'), html);
        return;
      }
      sendText(res, 200, page('Your analyses', '<h1>Your analyses</h1>\n<section id="imports"></section>'), html);
    }],
    ['GET /health', (_req, res) => sendJson(res, 200, {status: 'ok', release: currentDeployment(state.current(), 'web').meta.commitHash.slice(0, 7)})],
  ], (res, status) => sendText(res, status, page('Not found', '<h1>Not found</h1>'), html));
  return match;
}
